//! Exceedance curves on log–log axes, shared by the down-time exceedance and
//! outage-duration survival charts: P(value > x) against x, one line per
//! series, with "1 in 10 / 1 in 100" reference lines.

use super::data::{exceedance, log_grid};
use super::style::{self, decade_floor, decades, log_label, text, GREY, SMALL_SIZE, TEXT_SIZE};
use super::ChartError;
use crate::sketch::Tally;
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

/// The values behind a curve: every value ascending, or a [`Tally`].
pub enum Sample<'a> {
    Sorted(&'a [f64]),
    Tally(&'a Tally),
}

impl Sample<'_> {
    fn min_positive(&self) -> Option<f64> {
        match self {
            Sample::Sorted(s) => s.iter().copied().find(|&v| v > 0.0),
            Sample::Tally(t) => t.min_positive(),
        }
    }

    fn max(&self) -> Option<f64> {
        match self {
            Sample::Sorted(s) => s.last().copied(),
            Sample::Tally(t) => t.max(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Sample::Sorted(s) => s.len(),
            Sample::Tally(t) => t.len() as usize,
        }
    }

    fn exceedance(&self, x: f64) -> f64 {
        match self {
            Sample::Sorted(s) => exceedance(s, x),
            Sample::Tally(t) => t.exceedance(x),
        }
    }
}

/// Points per curve (log-spaced in x).
const POINTS: usize = 400;

/// Draws the curves; `empty` is shown when no series has a positive value.
pub fn draw_exceedance<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    x_desc: &str,
    y_desc: &str,
    reference: &dyn Fn(f64) -> String,
    empty: &str,
) -> Result<(), ChartError> {
    let min = curves
        .iter()
        .filter_map(|c| c.sample.min_positive())
        .fold(f64::INFINITY, f64::min);
    let max = curves
        .iter()
        .filter_map(|c| c.sample.max())
        .fold(0.0, f64::max);
    if !(min.is_finite() && max > 0.0) {
        return style::nothing_to_show(area, empty);
    }
    let (xlo, xhi) = decades(min, max);
    let n_max = curves
        .iter()
        .map(|c| c.sample.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let ylo = decade_floor(1.0 / n_max as f64);
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d((xlo..xhi).log_scale(), (ylo..1.0).log_scale())?;
    chart
        .configure_mesh()
        .x_labels(30)
        .y_labels(30)
        .x_label_formatter(&log_label)
        .y_label_formatter(&log_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    for p in [0.1, 0.01] {
        if p > ylo {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(xlo, p), (xhi, p)],
                5,
                5,
                GREY.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                reference(p),
                (xhi, p),
                text(SMALL_SIZE)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))?;
        }
    }
    let grid = log_grid(xlo, xhi, POINTS);
    for c in curves {
        let points: Vec<(f64, f64)> = grid
            .iter()
            .map(|&x| (x, c.sample.exceedance(x)))
            .take_while(|&(_, p)| p > 0.0)
            .collect();
        let color = c.color;
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(3)))?
            .label(c.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
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
