//! Chart 1, the "gap" picture: per architecture, the simulated mean down
//! time per period with its 95% interval and the p90–p99 spread of bad
//! periods, beside the down time the independence arithmetic promises, on a
//! log axis, with the ratio between them.

use super::style::{
    self, color, decades, log_label, text, ALERT, GREY, INK, SMALL_SIZE, TEXT_SIZE,
};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::fmtnum::{hours, sig};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct DowntimeGap;

const TITLE: &str = "Down time: simulated vs. the independence arithmetic";
const ROW: u32 = 66;

impl Chart for DowntimeGap {
    chart_files!("downtime-gap");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        format!(
            "One row per architecture; hours down per {p} on a log scale (each grid line is ten times \
             the one to its left). The dot is the simulated mean, with its 95% confidence interval as \
             whiskers; the shaded bar runs from the 90th to the 99th percentile of down time per {p} \
             (a bad {p} and a very bad one). The black cross is what the vendors' composite-SLA \
             arithmetic promises from the same inputs, treating every component as independent; the \
             dashed line and the factor above it show how far the simulated mean is from that promise. \
             A factor well above 1 means shared causes make the redundancy worth much less than the \
             arithmetic says.",
            p = data.period()
        ) + &credible_note(data)
            + &data.grouping_note(false)
    }

    fn size(&self, data: &ChartData) -> (u32, u32) {
        let n = data.shown.len().max(1) as u32;
        let legend = if data.draws.is_some() { 22 } else { 0 };
        (
            1100,
            (style::TITLE_HEIGHT + n * ROW + 130 + legend).max(420),
        )
    }

    on_both_backends!(draw);
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    // The shown architectures (all, or the best MAX_SHOWN by the headline measure).
    let archs: Vec<&super::data::ArchData> =
        data.shown.iter().map(|&a| &data.architectures[a]).collect();
    let values: Vec<f64> = archs
        .iter()
        .flat_map(|a| {
            [
                a.naive_downtime,
                a.downtime_mean,
                a.downtime_ci.0,
                a.downtime_ci.1,
                a.downtime_p90,
                a.downtime_p99,
            ]
        })
        .chain(
            data.shown
                .iter()
                .filter_map(|&a| data.credible_downtime(a))
                .flat_map(|(l, h)| [l, h]),
        )
        .filter(|v| *v > 0.0)
        .collect();
    if values.is_empty() {
        return style::nothing_to_show(
            &area,
            "No architecture is ever down, by simulation or arithmetic.",
        );
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = decades(min / 3.0, max);
    let n = archs.len();
    let label_w = archs
        .iter()
        .map(|a| style::text_width(&a.id, TEXT_SIZE))
        .max()
        .unwrap_or(0)
        + 24;
    // With draws the legend takes a second line (the credible interval).
    let legend_h = if data.draws.is_some() { 62 } else { 40 };
    let (plot, legend) = area.split_vertically(area.dim_in_pixel().1 - legend_h);
    let mut chart = ChartBuilder::on(&plot)
        .margin_left(12)
        .margin_right(28)
        .margin_top(10)
        .x_label_area_size(52)
        .y_label_area_size(label_w)
        .build_cartesian_2d((lo..hi).log_scale(), 0f64..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(24)
        .x_label_formatter(&log_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc(format!("hours down per {} (log scale)", data.period()))
        .draw()?;

    let clamp = |v: f64| v.max(lo);
    let label_left = text(TEXT_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    let small_center = text(SMALL_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
    for (i, a) in archs.iter().enumerate() {
        let c = color(i);
        let y = (n - i) as f64 - 0.5;
        // Architecture name, left of the axis.
        let (px, py) = chart.backend_coord(&(lo, y));
        root.draw_text(&a.id, &label_left, (px - 10, py))?;
        // Row separator.
        if i > 0 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lo, y + 0.5), (hi, y + 0.5)],
                style::LIGHT.stroke_width(1),
            )))?;
        }
        // p90–p99 spread.
        if a.downtime_p99 > lo {
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (clamp(a.downtime_p90), y - 0.13),
                    (a.downtime_p99, y + 0.13),
                ],
                c.mix(0.25).filled(),
            )))?;
        }
        // Naive figure and the gap to the simulated mean.
        if a.naive_downtime > 0.0 && a.downtime_mean > 0.0 {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(a.naive_downtime, y), (a.downtime_mean, y)],
                6,
                4,
                GREY.stroke_width(1),
            )))?;
            if let Some(p) = a.correlation_penalty {
                let mid = (a.naive_downtime * a.downtime_mean).sqrt();
                let label = format!("×{}", sig(p, 3));
                let style = if p >= 1.5 {
                    style::bold(SMALL_SIZE).color(&ALERT)
                } else {
                    style::bold(SMALL_SIZE)
                };
                chart.draw_series(std::iter::once(Text::new(
                    label,
                    (mid, y + 0.3),
                    style.pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
            }
        }
        if a.naive_downtime > 0.0 {
            let at = clamp(a.naive_downtime);
            chart.draw_series(std::iter::once(Cross::new((at, y), 7, INK.stroke_width(3))))?;
            // The label goes on the side away from the simulated mean.
            let (offset, anchor) = if a.naive_downtime <= a.downtime_mean {
                (-14, HPos::Right)
            } else {
                (14, HPos::Left)
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((at, y))
                    + Text::new(
                        format!("naive {}", hours(a.naive_downtime)),
                        (offset, 0),
                        text(SMALL_SIZE).pos(Pos::new(anchor, VPos::Center)),
                    ),
            ))?;
        } else {
            chart.draw_series(std::iter::once(Text::new(
                "naive: never down".to_string(),
                (lo, y - 0.3),
                text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
        // The 90% credible interval across the draws, as a second bar below.
        let credible = data.credible_downtime(data.shown[i]);
        let mean_label = if credible.is_some() { 0.38 } else { 0.3 };
        if let Some((l, h)) = credible.filter(|&(_, h)| h > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(clamp(l), y - 0.25), (h.max(lo), y - 0.15)],
                c.stroke_width(2),
            )))?;
        }
        // Simulated mean and its 95% interval.
        if a.downtime_mean > 0.0 {
            let (l, h) = (clamp(a.downtime_ci.0), a.downtime_ci.1.max(lo));
            chart.draw_series([
                PathElement::new(vec![(l, y), (h, y)], c.stroke_width(2)),
                PathElement::new(vec![(l, y - 0.1), (l, y + 0.1)], c.stroke_width(2)),
                PathElement::new(vec![(h, y - 0.1), (h, y + 0.1)], c.stroke_width(2)),
            ])?;
            chart.draw_series(std::iter::once(Circle::new(
                (a.downtime_mean, y),
                6,
                c.filled(),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("mean {}", hours(a.downtime_mean)),
                (a.downtime_mean, y - mean_label),
                small_center.clone().color(&c),
            )))?;
        } else {
            chart.draw_series(std::iter::once(Text::new(
                "simulated: never down".to_string(),
                (lo, y + 0.3),
                text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            )))?;
        }
    }

    // Legend strip under the chart.
    let ly = 18;
    let mut x = label_w as i32 + 12;
    let item = |x: &mut i32, label: &str| -> Result<(), ChartError> {
        legend.draw_text(
            label,
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (*x + 18, ly),
        )?;
        *x += 18 + style::text_width(label, SMALL_SIZE) as i32 + 26;
        Ok(())
    };
    legend.draw(&Circle::new((x + 6, ly), 5, INK.filled()))?;
    legend.draw(&PathElement::new(
        vec![(x - 2, ly), (x + 14, ly)],
        INK.stroke_width(2),
    ))?;
    item(&mut x, "simulated mean, 95% CI")?;
    legend.draw(&Rectangle::new(
        [(x, ly - 5), (x + 14, ly + 5)],
        GREY.mix(0.35).filled(),
    ))?;
    item(&mut x, "90th–99th percentile")?;
    legend.draw(&Cross::new((x + 6, ly), 6, INK.stroke_width(3)))?;
    item(&mut x, "independence arithmetic (naive)")?;
    legend.draw(&Text::new(
        "×N".to_string(),
        (x + 6, ly),
        style::bold(SMALL_SIZE)
            .color(&ALERT)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    item(&mut x, "simulated ÷ naive")?;
    if data.draws.is_some() {
        // Second line: what the hollow bar is.
        let (x, ly) = (label_w as i32 + 12, 42);
        legend.draw(&Rectangle::new(
            [(x, ly - 4), (x + 14, ly + 4)],
            INK.stroke_width(2),
        ))?;
        legend.draw_text(
            "90% credible interval of the mean across draws (parameter uncertainty); whiskers: Monte Carlo 95% CI",
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (x + 18, ly),
        )?;
    }
    Ok(())
}

/// With draws, what the second bar is ("" without).
fn credible_note(data: &ChartData) -> String {
    match &data.draws {
        None => String::new(),
        Some(d) => format!(
            " The hollow bar under each row is the 90% credible interval of the mean down time: \
             from the 5th to the 95th percentile of the means of {} draws of the uncertain \
             inputs (parameter uncertainty). The whiskers are the Monte Carlo interval of the \
             plain run at the inputs' means (sampling only); the dot, the naive cross and the \
             shaded bar are the plain run's as well.",
            d.draws.len()
        ),
    }
}
