//! Exceedance curves on log–log axes, shared by the down-time exceedance and
//! outage-duration survival charts: P(value > x) against x, one line per
//! series, with "1 in N" reference lines (for down time, the run's return
//! periods, with a dot where each curve crosses them), and the architectures
//! beyond the shown ones as one thin grey group with one legend entry.

use super::data::{exceedance, log_grid};
use super::style::{self, decade_floor, decades, log_label, text, GREY, OTHERS, SMALL_SIZE};
use super::ChartError;
use crate::sketch::Tally;
use crate::stats::quantile_sorted;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One line: a legend label, its colour and the values behind it.
pub struct Curve<'a> {
    pub label: String,
    pub color: RGBColor,
    pub sample: Sample<'a>,
}

/// The values behind a curve: every value ascending, a [`Tally`], or the
/// values of an importance-sampled run with their weights (shares of the
/// total weight, [`crate::weighted::Sorted`]).
pub enum Sample<'a> {
    Sorted(&'a [f64]),
    Tally(&'a Tally),
    /// A run's histogram of a per-period figure (past the exact limit).
    Counts(&'a crate::stats::sorted::Sorted),
    Weighted(&'a crate::weighted::Sorted),
}

impl<'a> Sample<'a> {
    /// Every value ascending, or the histogram's counts.
    pub fn of(sorted: &'a crate::stats::sorted::Sorted) -> Self {
        match sorted {
            crate::stats::sorted::Sorted::Values(v) => Sample::Sorted(v),
            counts => Sample::Counts(counts),
        }
    }

    fn min_positive(&self) -> Option<f64> {
        match self {
            Sample::Sorted(s) => s.iter().copied().find(|&v| v > 0.0),
            Sample::Tally(t) => t.min_positive(),
            Sample::Counts(c) => c.min_positive(),
            Sample::Weighted(w) => w.values().iter().copied().find(|&v| v > 0.0),
        }
    }

    fn max(&self) -> Option<f64> {
        match self {
            Sample::Sorted(s) => s.last().copied(),
            Sample::Tally(t) => t.max(),
            Sample::Counts(c) => c.max(),
            Sample::Weighted(w) => w.values().last().copied(),
        }
    }

    /// The smallest positive share the curve shows: 1/n for n values; for a
    /// weighted sample, the lightest value's share of the weight, but no
    /// lower than [`WEIGHTED_DEPTH`]/n (below that a tail rests on a few
    /// trials' tiny weights).
    fn floor(&self) -> f64 {
        match self {
            Sample::Sorted(s) => 1.0 / s.len().max(1) as f64,
            Sample::Tally(t) => 1.0 / t.len().max(1) as f64,
            Sample::Counts(c) => 1.0 / c.len().max(1) as f64,
            Sample::Weighted(w) => w
                .smallest_share()
                .max(WEIGHTED_DEPTH / w.values().len().max(1) as f64),
        }
    }

    fn exceedance(&self, x: f64) -> f64 {
        match self {
            Sample::Sorted(s) => exceedance(s, x),
            Sample::Tally(t) => t.exceedance(x),
            Sample::Counts(c) => c.exceedance(x),
            Sample::Weighted(w) => w.exceedance(x),
        }
    }

    /// The type-7 quantile at `p`, for every value kept or a run's histogram
    /// (none for an outage-length tally);
    /// for a weighted sample, the weighted quantile of the summary.
    fn quantile(&self, p: f64) -> Option<f64> {
        match self {
            Sample::Sorted(s) if s.len() > 1 => Some(quantile_sorted(s, p)),
            Sample::Counts(c) if c.len() > 1 => Some(c.quantile(p)),
            Sample::Weighted(w) if w.values().len() > 1 => Some(w.quantile(p)),
            _ => None,
        }
    }
}

/// The curves of `data`'s architectures: one per shown architecture in its
/// colour (label from `label`), then the others as one group
/// ("N other designs").
pub fn architecture_curves<'a>(
    data: &'a super::ChartData,
    sample: impl Fn(usize) -> Sample<'a>,
    label: impl Fn(usize) -> String,
) -> (Vec<Curve<'a>>, Vec<Sample<'a>>) {
    let shown = data
        .shown
        .iter()
        .map(|&a| Curve {
            label: label(a),
            color: data.color_of(a),
            sample: sample(a),
        })
        .collect();
    let others = data.others().into_iter().map(sample).collect();
    (shown, others)
}

/// Horizontal reference lines: (probability, label), and whether each curve
/// gets a dot where it crosses them.
pub struct Marks {
    pub lines: Vec<(f64, String)>,
    pub dots: bool,
}

/// How far below one in the number of trials a weighted curve is drawn.
pub const WEIGHTED_DEPTH: f64 = 1e-3;

/// Points per curve (log-spaced in x).
const POINTS: usize = 400;

/// Draws the curves; `empty` is shown when no series has a positive value.
#[allow(clippy::too_many_arguments)]
pub fn draw_exceedance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    others: &[Sample],
    x_desc: &str,
    y_desc: &str,
    marks: &Marks,
    empty: &str,
) -> Result<(), ChartError> {
    let all = || curves.iter().map(|c| &c.sample).chain(others.iter());
    let min = all()
        .filter_map(|s| s.min_positive())
        .fold(f64::INFINITY, f64::min);
    let max = all().filter_map(|s| s.max()).fold(0.0, f64::max);
    if !(min.is_finite() && max > 0.0) {
        return style::nothing_to_show(area, empty);
    }
    let (xlo, xhi) = decades(min, max);
    let ylo = decade_floor(all().map(|s| s.floor()).fold(1.0, f64::min));
    let mut chart = style::log_log_frame(
        area,
        xlo..xhi,
        ylo..1.0,
        (10, 30),
        &log_label,
        x_desc,
        y_desc,
    )?;
    for (p, label) in &marks.lines {
        let p = *p;
        if p > ylo {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(xlo, p), (xhi, p)],
                5,
                5,
                GREY.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                (xhi, p),
                text(SMALL_SIZE)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))?;
        }
    }
    let grid = log_grid(xlo, xhi, POINTS);
    let line = |sample: &Sample| -> Vec<(f64, f64)> {
        grid.iter()
            .map(|&x| (x, sample.exceedance(x)))
            .take_while(|&(_, p)| p > 0.0 && p >= ylo)
            .collect()
    };
    // The group first, underneath, with one legend entry.
    for (k, sample) in others.iter().enumerate() {
        let s = chart.draw_series(LineSeries::new(line(sample), OTHERS.stroke_width(1)))?;
        if k == 0 {
            s.label(format!("{} other designs", others.len()))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], OTHERS.stroke_width(2))
                });
        }
    }
    for c in curves {
        let points = line(&c.sample);
        let color = c.color;
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(3)))?
            .label(c.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
        if marks.dots {
            // Where the curve crosses each line: the type-7 quantile at 1 − p.
            let dots: Vec<(f64, f64)> = marks
                .lines
                .iter()
                .filter_map(|&(p, _)| c.sample.quantile(1.0 - p).map(|x| (x, p)))
                .filter(|&(x, p)| x > 0.0 && p > ylo)
                .collect();
            chart.draw_series(
                dots.into_iter()
                    .map(|(x, p)| Circle::new((x.max(xlo), p), 4, color.filled())),
            )?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .margin(12)
        .label_font(text(SMALL_SIZE))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()?;
    Ok(())
}
