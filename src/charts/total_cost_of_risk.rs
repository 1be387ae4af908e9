//! Chart 5b, the total cost of risk ("backup or cover?"): with insurance,
//! each row of the decision table (an architecture without cover, or with
//! one of the policies that insure it) as a horizontal bar stacking its
//! infrastructure cost per year, the premium and the expected retained loss
//! (loss minus payouts), cheapest total at the top. Drawn only when the
//! scenario has policies, and shown in the report's insurance section.

use super::style::{self, bold, money_short, text, GREY, INK, SMALL_SIZE, TEXT_SIZE};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::insurance::decision::Decision;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct TotalCostOfRisk;

const TITLE: &str = "Backup or cover: expected total cost of risk";

/// The most bars drawn (the cheapest); all rows are in decisions.csv.
pub const MAX_BARS: usize = 16;

/// Height of one bar's row, pixels.
const ROW: u32 = 40;

/// The three parts of a bar, in stacking order, with their colours.
pub const PARTS: [(&str, RGBColor); 3] = [
    ("infrastructure cost per year", RGBColor(0, 114, 178)),
    ("premium", RGBColor(0, 158, 115)),
    ("expected retained loss", RGBColor(213, 94, 0)),
];

impl Chart for TotalCostOfRisk {
    chart_files!("total-cost-of-risk");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        let n = data.insurance.as_ref().map_or(0, |i| i.decisions.len());
        let more = if n > MAX_BARS {
            format!(" The {MAX_BARS} cheapest of {n} options are drawn; all are in decisions.csv.")
        } else {
            String::new()
        };
        format!(
            "Each bar is one option of the decision table: an architecture without cover, or \
             with one of the policies that insure it. Its length is the expected total cost of \
             risk per {p}: the infrastructure cost per year, plus the premium, plus the loss the \
             insured still expects to bear after the policy's payouts. Cheapest at the top. A \
             cover is worth buying where its bar is shorter than the same architecture without \
             cover; a backup (a more redundant architecture) where its bar beats both. The \
             expected figures hide the tail: the retained TVaR 99% is in the decision table \
             below.{more}",
            p = data.period()
        )
    }

    fn size(&self, data: &ChartData) -> (u32, u32) {
        let rows = bars(data).len().max(1) as u32;
        (1100, (style::TITLE_HEIGHT + 150 + rows * ROW).max(400))
    }

    fn applies(&self, data: &ChartData) -> bool {
        data.insurance.is_some()
    }

    fn section(&self) -> &'static str {
        "insurance"
    }

    on_both_backends!(draw);
}

/// One bar: a decision row's label and parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// Infrastructure cost (0 when the architecture gives none), premium,
    /// expected retained loss.
    pub parts: [f64; 3],
    pub total: f64,
}

/// "ARCH · no cover" or "ARCH · cover POLICY".
pub fn option_label(d: &Decision) -> String {
    if d.option == "none" {
        format!("{} · no cover", d.architecture)
    } else {
        format!("{} · cover {}", d.architecture, d.option)
    }
}

/// The bars drawn, cheapest first: at most [`MAX_BARS`].
pub fn bars(data: &ChartData) -> Vec<Bar> {
    let Some(ins) = &data.insurance else {
        return Vec::new();
    };
    ins.decisions_by_cost()
        .into_iter()
        .take(MAX_BARS)
        .map(|d| Bar {
            label: option_label(d),
            parts: [
                d.cost_per_year.unwrap_or(0.0),
                d.premium,
                d.expected_retained_loss,
            ],
            total: d.total_cost_of_risk,
        })
        .collect()
}

/// (start, end) of each part along the axis: stacked from 0 in order.
fn spans(parts: &[f64; 3]) -> [(f64, f64); 3] {
    let mut at = 0.0;
    parts.map(|v| {
        let s = (at, at + v);
        at += v;
        s
    })
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    let bars = bars(data);
    if bars.is_empty() {
        return style::nothing_to_show(
            &area,
            "No insured architecture has a loss model, so there is no decision table.",
        );
    }
    let n = bars.len();
    let ends: Vec<f64> = bars
        .iter()
        .flat_map(|b| spans(&b.parts).into_iter().flat_map(|(s, e)| [s, e]))
        .collect();
    let lo = ends.iter().copied().fold(0.0, f64::min);
    let hi = ends.iter().copied().fold(0.0, f64::max);
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let (xlo, xhi) = (
        lo - 0.02 * (hi - lo) * f64::from(lo < 0.0),
        hi + 0.16 * (hi - lo),
    );
    let label_width = bars
        .iter()
        .map(|b| style::text_width(&b.label, SMALL_SIZE))
        .max()
        .unwrap_or(0)
        + 24;
    let (plot, legend) = area.split_vertically(area.dim_in_pixel().1 - 40);
    // n segments (plotters' integer ranges include their end); bar i is in
    // segment n − 1 − i, so the cheapest is at the top.
    let labels: Vec<String> = bars.iter().rev().map(|b| b.label.clone()).collect();
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(52)
        .y_label_area_size(label_width.min(560))
        .build_cartesian_2d(xlo..xhi, (0..n - 1).into_segmented())?;
    let money = |v: &f64| money_short(*v);
    let row_label = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(8)
        .y_labels(n + 1)
        .x_label_formatter(&money)
        .y_label_formatter(&row_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc(format!(
            "expected total cost of risk per {} (cost per year + premium + expected retained loss)",
            data.period()
        ))
        .draw()?;
    for (i, b) in bars.iter().enumerate() {
        let row = n - 1 - i;
        for ((s, e), (_, c)) in spans(&b.parts).into_iter().zip(PARTS) {
            if s != e {
                let mut r = Rectangle::new(
                    [
                        (s.min(e), SegmentValue::Exact(row)),
                        (s.max(e), SegmentValue::Exact(row + 1)),
                    ],
                    c.filled(),
                );
                r.set_margin(7, 7, 0, 0);
                chart.draw_series(std::iter::once(r))?;
            }
        }
        let end = spans(&b.parts)
            .iter()
            .flat_map(|&(s, e)| [s, e])
            .fold(0.0, f64::max);
        let style = if i == 0 {
            bold(SMALL_SIZE)
        } else {
            text(SMALL_SIZE)
        };
        let note = if i == 0 { "  lowest" } else { "" };
        chart.draw_series(std::iter::once(
            EmptyElement::at((end, SegmentValue::CenterOf(row)))
                + Text::new(
                    format!("{}{note}", money_short(b.total)),
                    (8, 0),
                    style.pos(Pos::new(HPos::Left, VPos::Center)),
                ),
        ))?;
    }
    if lo < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
            INK.stroke_width(1),
        )))?;
    }
    let ly = 18;
    let mut x = 90;
    for (label, c) in PARTS {
        legend.draw(&Rectangle::new([(x, ly - 7), (x + 14, ly + 7)], c.filled()))?;
        legend.draw_text(
            label,
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (x + 20, ly),
        )?;
        x += 20 + style::text_width(label, SMALL_SIZE) as i32 + 12;
    }
    legend.draw_text(
        "bar end: total cost of risk",
        &text(SMALL_SIZE)
            .color(&GREY)
            .pos(Pos::new(HPos::Left, VPos::Center)),
        (x, ly),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_stack_from_zero() {
        assert_eq!(
            spans(&[100.0, 20.0, 5.0]),
            [(0.0, 100.0), (100.0, 120.0), (120.0, 125.0)]
        );
        // A negative retained loss (payouts above the loss) steps back.
        assert_eq!(
            spans(&[100.0, 20.0, -5.0]),
            [(0.0, 100.0), (100.0, 120.0), (120.0, 115.0)]
        );
    }
}
