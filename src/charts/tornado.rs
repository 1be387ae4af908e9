//! The tornado chart, drawn from `tornado.csv` as read back into
//! [`ChartData::analyses`] (so `fateshare report` redraws it): one panel per
//! architecture (the first [`MAX_PANELS`] in file order), each with the
//! [`TOP`] sources' rate and duration bars that move its mean down time
//! most, ranked by swing. Each bar runs from the base (the scenario as
//! written) to the down time with that number scaled low (upper half) and
//! high (lower half). Only drawn when the folder has `tornado.csv`; shown in
//! the report's Sensitivity section, not with the other charts.

use super::style::{self, text, INK, SMALL_SIZE, TEXT_SIZE};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::fmtnum::{hours, sig, thousands};
use crate::report::analyses::TornadoBar;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct Tornado;

const TITLE: &str = "Sensitivity: which uncertain numbers move the down time most";
/// Bars per architecture.
pub const TOP: usize = 8;
/// Architectures drawn (the first ones in file order).
pub const MAX_PANELS: usize = 6;
const ROW: u32 = 30;
const PANEL_HEAD: u32 = 30;
const PANEL_AXIS: u32 = 46;
const LEGEND: u32 = 40;
/// Bar colours: the number scaled down, and scaled up.
pub const LOW: RGBColor = RGBColor(86, 180, 233);
pub const HIGH: RGBColor = RGBColor(213, 94, 0);

/// One architecture's panel: its index in the scenario, id and bars.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel<'a> {
    pub index: usize,
    pub architecture: &'a str,
    /// Base mean down time per period.
    pub base: f64,
    /// Largest down-time swing first; bars of zero swing left out.
    pub bars: Vec<&'a TornadoBar>,
}

/// The panels the chart draws, and how many architectures it leaves out.
pub fn panels(data: &ChartData) -> (Vec<Panel<'_>>, usize) {
    let Some(t) = &data.analyses.tornado else {
        return (Vec::new(), 0);
    };
    let mut all = Vec::new();
    for (index, a) in data.architectures.iter().enumerate() {
        let mut bars: Vec<&TornadoBar> = t.rows.iter().filter(|b| b.architecture == a.id).collect();
        let Some(first) = bars.first() else {
            continue;
        };
        let base = first.base_downtime_hours;
        bars.retain(|b| b.downtime_swing_hours > 0.0);
        bars.sort_by_key(|b| b.downtime_rank);
        bars.truncate(TOP);
        all.push(Panel {
            index,
            architecture: &a.id,
            base,
            bars,
        });
    }
    let more = all.len().saturating_sub(MAX_PANELS);
    all.truncate(MAX_PANELS);
    (all, more)
}

fn label(b: &TornadoBar) -> String {
    format!("{} · {}", b.source, b.parameter)
}

fn panel_height(p: &Panel) -> u32 {
    PANEL_HEAD + p.bars.len().max(1) as u32 * ROW + PANEL_AXIS
}

/// "×0.5" and "×2" from the table.
fn factors(data: &ChartData) -> (String, String) {
    let f = data
        .analyses
        .tornado
        .as_ref()
        .and_then(|t| t.rows.first())
        .map_or((0.5, 2.0), |b| (b.low_factor, b.high_factor));
    (format!("×{}", sig(f.0, 3)), format!("×{}", sig(f.1, 3)))
}

impl Chart for Tornado {
    chart_files!("tornado");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn applies(&self, data: &ChartData) -> bool {
        data.analyses.tornado.is_some()
    }

    fn section(&self) -> &'static str {
        "sensitivity"
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        let (lo, hi) = factors(data);
        let (_, more) = panels(data);
        let more = if more > 0 {
            format!(
                " The first {MAX_PANELS} architectures are drawn; tornado.csv has the other {more}."
            )
        } else {
            String::new()
        };
        format!(
            "One panel per architecture, each on its own scale of mean hours down per {p}. The \
             dashed line is the base: the scenario as written. Each row is one outage source's \
             rate or its durations, scaled {lo} (blue, upper half of the row) and {hi} (orange, \
             lower half) with everything else unchanged; the bar runs from the base to the mean \
             down time that gives. Rows are ranked by swing (the distance between the two ends, \
             printed on the right), the {TOP} largest per architecture. Long bars at the top are \
             the numbers worth checking before trusting the result; a short bar means the \
             result hardly depends on that number.{more}",
            p = data.period()
        )
    }

    fn size(&self, data: &ChartData) -> (u32, u32) {
        let (panels, more) = panels(data);
        let body: u32 = panels.iter().map(panel_height).sum();
        let note = if more > 0 { 24 } else { 0 };
        (1100, (style::TITLE_HEIGHT + body + LEGEND + note).max(320))
    }

    on_both_backends!(draw);
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let origin = data.analyses.tornado.as_ref().map(|t| &t.origin);
    let subtitle = format!(
        "{} · {} trials per run · seed {} · from tornado.csv",
        data.scenario,
        origin
            .and_then(|o| o.trials)
            .map_or("?".into(), |t| thousands(t as f64)),
        origin
            .and_then(|o| o.seed)
            .map_or("?".into(), |s| s.to_string())
    );
    let area = style::title_block(root, TITLE, &subtitle)?;
    let (panels, more) = panels(data);
    if panels.is_empty() {
        return style::nothing_to_show(&area, "tornado.csv has no architecture of this scenario.");
    }
    let label_w = panels
        .iter()
        .flat_map(|p| {
            p.bars
                .iter()
                .map(|b| style::text_width(&label(b), SMALL_SIZE))
        })
        .max()
        .unwrap_or(0)
        .max(120)
        + 24;
    let mut rest = area;
    for p in &panels {
        let (panel, below) = rest.split_vertically(panel_height(p));
        draw_panel(data, root, &panel, p, label_w)?;
        rest = below;
    }
    let (legend, note) = rest.split_vertically(LEGEND);
    let (lo, hi) = factors(data);
    let ly = 20;
    let mut x = label_w as i32 + 12;
    let item = |x: &mut i32, label: &str| -> Result<(), ChartError> {
        legend.draw_text(
            label,
            &text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center)),
            (*x + 20, ly),
        )?;
        *x += 20 + style::text_width(label, SMALL_SIZE) as i32 + 28;
        Ok(())
    };
    legend.draw(&Rectangle::new(
        [(x, ly - 6), (x + 14, ly + 6)],
        LOW.filled(),
    ))?;
    item(&mut x, &format!("rate or durations {lo}"))?;
    legend.draw(&Rectangle::new(
        [(x, ly - 6), (x + 14, ly + 6)],
        HIGH.filled(),
    ))?;
    item(&mut x, &format!("rate or durations {hi}"))?;
    legend.draw(&DashedPathElement::new(
        vec![(x + 7, ly - 9), (x + 7, ly + 9)],
        3,
        3,
        INK.stroke_width(2),
    ))?;
    item(&mut x, "base: the scenario as written")?;
    if more > 0 {
        note.draw_text(
            &format!("… and {more} more architectures in tornado.csv"),
            &text(SMALL_SIZE).color(&style::GREY),
            (16, 2),
        )?;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
    panel: &DrawingArea<DB, Shift>,
    p: &Panel,
    label_w: u32,
) -> Result<(), ChartError> {
    let (head, body) = panel.split_vertically(PANEL_HEAD);
    head.draw_text(
        p.architecture,
        &style::bold(TEXT_SIZE).color(&if data.shown.contains(&p.index) {
            data.color_of(p.index)
        } else {
            INK
        }),
        (16, 8),
    )?;
    head.draw_text(
        &format!("base {} down per {}", hours(p.base), data.period()),
        &text(SMALL_SIZE).color(&style::GREY),
        (24 + style::text_width(p.architecture, TEXT_SIZE) as i32, 10),
    )?;
    if p.bars.is_empty() {
        return style::nothing_to_show(
            &body,
            "No source's rate or durations change its mean down time.",
        );
    }
    let n = p.bars.len();
    let values = p
        .bars
        .iter()
        .flat_map(|b| [b.low_downtime_hours, b.high_downtime_hours])
        .chain(std::iter::once(p.base))
        .filter(|v| v.is_finite());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let span = if max > min {
        max - min
    } else {
        max.abs().max(1e-9)
    };
    let (xlo, xhi) = ((min - 0.06 * span).max(0.0), max + 0.06 * span);
    let mut chart = ChartBuilder::on(&body)
        .margin_left(12)
        .margin_right(96)
        .margin_top(2)
        .x_label_area_size(PANEL_AXIS - 4)
        .y_label_area_size(label_w)
        .build_cartesian_2d(xlo..xhi, 0f64..n as f64)?;
    let tick = |v: &f64| sig(*v, 3);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(8)
        .x_label_formatter(&tick)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(SMALL_SIZE))
        .x_desc(format!("mean hours down per {}", data.period()))
        .draw()?;
    let label_style = text(SMALL_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
    let swing_style = text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    // A rectangle given as (x0, x1, y0, y1) in any order, drawn upper-left
    // to lower-right (SVG has no negative widths).
    let rect = |a: f64, b: f64, y0: f64, y1: f64, c: RGBColor| {
        Rectangle::new([(a.min(b), y0.max(y1)), (a.max(b), y0.min(y1))], c.filled())
    };
    for (i, b) in p.bars.iter().enumerate() {
        let y = (n - i) as f64 - 0.5;
        chart.draw_series([
            rect(p.base, b.low_downtime_hours, y + 0.03, y + 0.36, LOW),
            rect(p.base, b.high_downtime_hours, y - 0.36, y - 0.03, HIGH),
        ])?;
        let (lx, ly) = chart.backend_coord(&(xlo, y));
        root.draw_text(&label(b), &label_style, (lx - 10, ly))?;
        let (rx, _) = chart.backend_coord(&(xhi, y));
        root.draw_text(
            &format!("swing {}", hours(b.downtime_swing_hours)),
            &swing_style,
            (rx + 8, ly),
        )?;
    }
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(p.base, 0.0), (p.base, n as f64)],
        5,
        4,
        INK.stroke_width(2),
    )))?;
    Ok(())
}
