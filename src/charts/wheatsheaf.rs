//! Wheatsheaf exceedance charts for a two-level run (`run --uncertainty N`):
//! per architecture drawn one by one, one thin curve per outer draw (at most
//! [`MAX_THIN`]), the pointwise 5–95% band across draws and the mean curve
//! (the per-sample mean, Oasis's EPCalc 3), from each draw's curve points
//! ([`crate::uncertain::curves`]); the architectures beyond the shown ones as
//! their mean curve in thin grey. Used by the down-time and loss exceedance
//! charts in place of their single curves.

use super::data::ChartData;
use super::style::{self, decade_floor, decades, log_label, text, GREY, OTHERS, SMALL_SIZE};
use super::ChartError;
use crate::uncertain::curves::Band;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// The most draws drawn as thin curves (the first ones); the band and the
/// mean use every draw.
pub const MAX_THIN: usize = 200;

/// A point run's series drawn on the loss wheatsheaf (a policy's payout):
/// label, colour and (return period, loss) points, dashed.
pub type Extra = (String, RGBColor, Vec<(f64, f64)>);

/// Which curve of each draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Downtime,
    Loss,
}

/// One architecture's sheaf: its draws' values at each return period.
pub struct Sheaf<'a> {
    pub draws: Vec<&'a [f64]>,
    pub band: Band,
}

/// Architecture `a`'s sheaf of `figure` (None without draws, or for a loss
/// curve of an architecture without a loss model).
pub fn sheaf(data: &ChartData, a: usize, figure: Figure) -> Option<Sheaf<'_>> {
    let d = data.draws.as_ref()?;
    let draws: Option<Vec<&[f64]>> = d
        .draws
        .iter()
        .map(|x| match figure {
            Figure::Downtime => Some(x.curves[a].downtime.as_slice()),
            Figure::Loss => x.curves[a].loss.as_deref(),
        })
        .collect();
    let draws = draws?;
    let band = Band::of(draws.iter().copied())?;
    Some(Sheaf { draws, band })
}

type LogLog = Cartesian2d<
    plotters::coord::combinators::LogCoord<f64>,
    plotters::coord::combinators::LogCoord<f64>,
>;

/// The smallest positive and the largest value of the sheaves.
fn range<'a>(sheaves: impl Iterator<Item = &'a Sheaf<'a>>) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = 0.0f64;
    for s in sheaves {
        for v in s.draws.iter().flat_map(|c| c.iter()).chain(&s.band.p95) {
            if *v > 0.0 {
                lo = lo.min(*v);
            }
            hi = hi.max(*v);
        }
    }
    (lo, hi)
}

/// Draws one sheaf; `xy(t, value)` places a value of a 1-in-t period
/// (values at or below 0 are clamped to the axis by it).
fn draw_sheaf<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, LogLog>,
    s: &Sheaf,
    periods: &[f64],
    color: RGBColor,
    xy: &dyn Fn(f64, f64) -> (f64, f64),
) -> Result<(), ChartError> {
    let line = |values: &[f64]| -> Vec<(f64, f64)> {
        periods
            .iter()
            .zip(values)
            .filter(|&(_, &v)| v > 0.0)
            .map(|(&t, &v)| xy(t, v))
            .collect()
    };
    let mut band: Vec<(f64, f64)> = periods
        .iter()
        .zip(&s.band.p95)
        .map(|(&t, &v)| xy(t, v))
        .collect();
    band.extend(
        periods
            .iter()
            .zip(&s.band.p05)
            .rev()
            .map(|(&t, &v)| xy(t, v)),
    );
    if s.band.p95.iter().any(|&v| v > 0.0) {
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            color.mix(0.16).filled(),
        )))?;
    }
    // Fainter the more lines there are, so that the band and the mean stay readable.
    let shown = s.draws.len().clamp(1, MAX_THIN) as f64;
    let alpha = (0.28 * (10.0 / shown).sqrt()).clamp(0.08, 0.28);
    for c in s.draws.iter().take(MAX_THIN) {
        chart.draw_series(LineSeries::new(line(c), color.mix(alpha).stroke_width(1)))?;
    }
    chart.draw_series(LineSeries::new(line(&s.band.mean), color.stroke_width(3)))?;
    Ok(())
}

/// The legend entries shared by both charts: the shown architectures' mean
/// curves, then what the thin lines and the band are.
fn legend(data: &ChartData, shown: &[(usize, RGBColor)], others: bool) -> Vec<style::LegendEntry> {
    let n = data.draws.as_ref().map_or(0, |d| d.draws.len());
    let mut v: Vec<style::LegendEntry> = shown
        .iter()
        .map(|&(a, color)| style::LegendEntry {
            label: format!("{}: mean of draws", data.architectures[a].id),
            color,
            width: 3,
            dash: None,
        })
        .collect();
    if others {
        v.push(style::LegendEntry {
            label: format!("{} other designs (mean)", data.others().len()),
            color: OTHERS,
            width: 2,
            dash: None,
        });
    }
    v.push(style::LegendEntry {
        label: format!("thin: one per draw ({})", n.min(MAX_THIN)),
        color: GREY,
        width: 1,
        dash: None,
    });
    v.push(style::LegendEntry {
        label: "shade: 5–95% across draws".into(),
        color: over_white(GREY, 0.3),
        width: 10,
        dash: None,
    });
    v
}

/// `c` at opacity `alpha` over white.
fn over_white(c: RGBColor, alpha: f64) -> RGBColor {
    let mix = |x: u8| (255.0 - (255.0 - f64::from(x)) * alpha).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The down-time wheatsheaf: P(down time > x) against x, log–log, with the
/// run's return periods as dashed lines.
pub fn draw_downtime<DB: DrawingBackend>(
    data: &ChartData,
    area: &DrawingArea<DB, Shift>,
    x_desc: &str,
    y_desc: &str,
) -> Result<(), ChartError> {
    let periods = &data
        .draws
        .as_ref()
        .expect("a wheatsheaf has draws")
        .return_periods;
    let shown: Vec<(usize, Sheaf)> = data
        .shown
        .iter()
        .filter_map(|&a| sheaf(data, a, Figure::Downtime).map(|s| (a, s)))
        .collect();
    let others: Vec<Sheaf> = data
        .others()
        .into_iter()
        .filter_map(|a| sheaf(data, a, Figure::Downtime))
        .collect();
    let (min, max) = range(shown.iter().map(|(_, s)| s).chain(&others));
    if !(min.is_finite() && max > 0.0) {
        return style::nothing_to_show(area, "No architecture was down in any trial of any draw.");
    }
    let (xlo, xhi) = decades(min, max);
    let ylo = decade_floor(1.0 / data.trials.max(1) as f64);
    let (w, _) = area.dim_in_pixel();
    let colored: Vec<(usize, RGBColor)> =
        data.shown.iter().map(|&a| (a, data.color_of(a))).collect();
    let entries = legend(data, &colored, !others.is_empty());
    let strip = style::legend_width(entries.iter().map(|e| e.label.clone()));
    let (plot, legend_area) = area.split_horizontally(w.saturating_sub(strip));
    let mut chart = style::log_log_frame(
        &plot,
        xlo..xhi,
        ylo..1.0,
        (10, 16),
        &log_label,
        x_desc,
        y_desc,
    )?;
    let period = data.period();
    for &n in &data.return_periods {
        let p = 1.0 / f64::from(n);
        if p > ylo {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(xlo, p), (xhi, p)],
                5,
                5,
                GREY.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("1 {period} in {n}"),
                (xhi, p),
                text(SMALL_SIZE)
                    .color(&GREY)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Right,
                        plotters::style::text_anchor::VPos::Bottom,
                    )),
            )))?;
        }
    }
    let xy = |t: f64, v: f64| (v.max(xlo), (1.0 / t).max(ylo));
    for s in &others {
        let pts: Vec<(f64, f64)> = periods
            .iter()
            .zip(&s.band.mean)
            .filter(|&(_, &v)| v > 0.0)
            .map(|(&t, &v)| xy(t, v))
            .collect();
        chart.draw_series(LineSeries::new(pts, OTHERS.stroke_width(1)))?;
    }
    for (a, s) in &shown {
        draw_sheaf(&mut chart, s, periods, data.color_of(*a), &xy)?;
    }
    style::legend_panel(&legend_area, &entries)
}

/// The loss wheatsheaf: the loss of a 1-in-T period against T, log–log, for
/// `archs`; `extra` draws the point run's other series (policies) after.
pub fn draw_loss<DB: DrawingBackend>(
    data: &ChartData,
    area: &DrawingArea<DB, Shift>,
    archs: &[(usize, RGBColor)],
    grouped: &[usize],
    extra: &[Extra],
) -> Result<(), ChartError> {
    let periods = &data
        .draws
        .as_ref()
        .expect("a wheatsheaf has draws")
        .return_periods;
    let shown: Vec<(RGBColor, Sheaf)> = archs
        .iter()
        .filter_map(|&(a, c)| sheaf(data, a, Figure::Loss).map(|s| (c, s)))
        .collect();
    let others: Vec<Sheaf> = grouped
        .iter()
        .filter_map(|&a| sheaf(data, a, Figure::Loss))
        .collect();
    if shown.is_empty() {
        return style::nothing_to_show(
            area,
            "No architecture declares a loss model (add `loss = { per_hour = ... }`).",
        );
    }
    let (mut min, mut max) = range(shown.iter().map(|(_, s)| s).chain(&others));
    for (_, _, pts) in extra {
        for &(_, v) in pts {
            min = min.min(v);
            max = max.max(v);
        }
    }
    if !(min.is_finite() && max > 0.0) {
        return style::nothing_to_show(area, "No simulated period of any draw had any loss.");
    }
    let (ylo, yhi) = decades(min, max);
    let max_period = data.trials.max(1) as f64;
    let (_, xhi) = decades(1.0, max_period);
    let mut entries = legend(data, archs, !others.is_empty());
    for (label, color, _) in extra {
        entries.push(style::LegendEntry {
            label: label.clone(),
            color: *color,
            width: 3,
            dash: Some((4, 3)),
        });
    }
    let (w, _) = area.dim_in_pixel();
    let strip = style::legend_width(entries.iter().map(|e| e.label.clone()));
    let (plot, legend_area) = area.split_horizontally(w.saturating_sub(strip));
    let period = data.period();
    let mut chart = style::loss_frame(&plot, xhi, ylo..yhi, &period)?;
    for &n in &data.return_periods {
        let t = f64::from(n);
        if t <= max_period {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(t, ylo), (t, yhi)],
                5,
                5,
                GREY.stroke_width(1),
            )))?;
        }
    }
    let xy = |t: f64, v: f64| (t.max(1.0), v.max(ylo));
    for s in &others {
        let pts: Vec<(f64, f64)> = periods
            .iter()
            .zip(&s.band.mean)
            .filter(|&(_, &v)| v > 0.0)
            .map(|(&t, &v)| xy(t, v))
            .collect();
        chart.draw_series(LineSeries::new(pts, OTHERS.stroke_width(1)))?;
    }
    for (c, s) in &shown {
        draw_sheaf(&mut chart, s, periods, *c, &xy)?;
    }
    for (_, color, pts) in extra {
        chart.draw_series(DashedLineSeries::new(
            pts.clone(),
            7,
            5,
            color.stroke_width(3),
        ))?;
    }
    style::legend_panel(&legend_area, &entries)
}
