//! Chart 4: loss exceedance, the annual loss against its return period
//! (aggregate exceedance probability, AEP) per architecture that declares a
//! `loss`, from the per-trial losses: the loss L(T) exceeded once in T
//! periods is the 1 − 1/T quantile of the loss per period. The curves come
//! from [`curves`], so more series (insurance policies, portfolios) can be
//! added there without touching the drawing.

use super::data::log_grid;
use super::style::{
    self, color, decades, log_label, money_log_label, text, GREY, SMALL_SIZE, TEXT_SIZE,
};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::stats::quantile_sorted;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub struct LossExceedance;

const TITLE: &str = "What a bad year costs: loss exceedance (AEP)";

impl Chart for LossExceedance {
    chart_files!("loss-exceedance");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        format!(
            "For each architecture with a loss model, the loss per {p} (vertical, log scale) \
             against its return period (horizontal, log scale): the point at 100 is the loss \
             exceeded in one {p} out of 100 (the 99th percentile, a 1% aggregate exceedance \
             probability). Lower is better. A curve that starts only at a long return period \
             means most {p}s cost nothing; a steep rise on the right is a heavy tail, which \
             expected loss alone hides. The curve ends at the number of trials: rarer events \
             were not simulated.",
            p = data.period()
        )
    }

    on_both_backends!(draw);
}

/// One line of the chart.
pub struct LossCurve<'a> {
    pub label: String,
    pub color: RGBColor,
    /// Losses per period, ascending.
    pub sorted: &'a [f64],
}

/// The series drawn: one per architecture with a loss model.
pub fn curves(data: &ChartData) -> Vec<LossCurve<'_>> {
    data.architectures
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.loss.as_ref().map(|l| LossCurve {
                label: a.id.clone(),
                color: color(i),
                sorted: &l.sorted,
            })
        })
        .collect()
}

/// (return period, loss) points of one curve, positive losses only.
pub fn points(sorted: &[f64], max_period: f64) -> Vec<(f64, f64)> {
    if sorted.is_empty() {
        return Vec::new();
    }
    log_grid(1.0, max_period, 300)
        .into_iter()
        .map(|t| (t, quantile_sorted(sorted, 1.0 - 1.0 / t)))
        .filter(|&(_, l)| l > 0.0)
        .collect()
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    let curves = curves(data);
    let period = data.period();
    let max_period = data.trials.max(1) as f64;
    let series: Vec<(&LossCurve, Vec<(f64, f64)>)> = curves
        .iter()
        .map(|c| (c, points(c.sorted, max_period)))
        .collect();
    let all: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|q| q.1))
        .collect();
    if curves.is_empty() {
        return style::nothing_to_show(
            &area,
            "No architecture declares a loss model (add `loss = { per_hour = ... }`).",
        );
    }
    if all.is_empty() {
        return style::nothing_to_show(&area, "No simulated period had any loss.");
    }
    let (ylo, yhi) = decades(
        all.iter().copied().fold(f64::INFINITY, f64::min),
        all.iter().copied().fold(0.0, f64::max),
    );
    let (_, xhi) = decades(1.0, max_period);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(12)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d((1.0..xhi).log_scale(), (ylo..yhi).log_scale())?;
    chart
        .configure_mesh()
        .x_labels(30)
        .y_labels(30)
        .x_label_formatter(&log_label)
        .y_label_formatter(&money_log_label)
        .light_line_style(WHITE)
        .label_style(text(SMALL_SIZE))
        .axis_desc_style(text(TEXT_SIZE))
        .x_desc(format!("return period, {period}s (log scale)"))
        .y_desc(format!("loss in one {period} (log scale)"))
        .draw()?;
    for t in [10.0, 100.0, 1000.0] {
        if t <= max_period {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(t, ylo), (t, yhi)],
                5,
                5,
                GREY.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                format!(" 1 in {t}"),
                (t, yhi),
                text(SMALL_SIZE)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Left, VPos::Top)),
            )))?;
        }
    }
    for (c, pts) in series {
        let color = c.color;
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(3)))?
            .label(c.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .margin(12)
        .label_font(text(SMALL_SIZE))
        .background_style(WHITE.mix(0.9))
        .border_style(GREY)
        .draw()?;
    Ok(())
}
