//! Chart 4: loss exceedance, the annual loss against its return period
//! (aggregate exceedance probability, AEP) per architecture that declares a
//! `loss`, from the per-trial losses: the loss L(T) exceeded once in T
//! periods is the 1 − 1/T quantile of the loss per period. With policies,
//! the same curve of each policy's annual payout (dashed; at most
//! [`MAX_POLICY_CURVES`], those with the largest expected payout) and of each
//! portfolio's annual total payout (long dashes, thicker). The series come
//! from [`curves`].

use super::data::log_grid;
use super::style::{self, color, decades, text, GREY, OTHERS, SMALL_SIZE};
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::stats::sorted::Sorted;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::borrow::Cow;

pub struct LossExceedance;

const TITLE: &str = "What a bad year costs: loss exceedance (AEP)";

impl Chart for LossExceedance {
    chart_files!("loss-exceedance");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        let mut s = format!(
            "For each architecture with a loss model, the loss per {p} (vertical, log scale) \
             against its return period (horizontal, log scale): the point at 100 is the loss \
             exceeded in one {p} out of 100 (the 99th percentile, a 1% aggregate exceedance \
             probability). Lower is better. A curve that starts only at a long return period \
             means most {p}s cost nothing; a steep rise on the right is a heavy tail, which \
             expected loss alone hides. The curve ends at the number of trials: rarer events \
             were not simulated. The dashed vertical lines are the run's return periods; each \
             architecture's dot on one is its loss of a 1-in-N {p}, as in the tables.",
            p = data.period()
        );
        s.push_str(&super::downtime_exceedance::wheatsheaf_note(data));
        if data.draws.is_some() && data.insurance.is_some() {
            s.push_str(
                " The policies' payout curves are those of the plain run, at the uncertain \
                 inputs' means.",
            );
        }
        if data.insurance.is_none() {
            s.push_str(&data.grouping_note(true));
        }
        if let Some(ins) = &data.insurance {
            let archs = shown_architectures(data).len();
            let with_loss = data
                .architectures
                .iter()
                .filter(|a| a.loss.is_some())
                .count();
            if archs < with_loss {
                s.push_str(&format!(
                    " With {with_loss} architectures, only the {archs} insured by the policies \
                     drawn are shown."
                ));
            }
            let shown = shown_policies(data).len();
            let n = ins.policies.len();
            s.push_str(&format!(
                " Dashed: what each insurance policy pays in a {p} at the same return periods \
                 ({which}); where its curve runs below its insured architecture's, the \
                 difference is the loss the insured keeps.",
                p = data.period(),
                which = if shown == n {
                    "all policies".to_string()
                } else {
                    format!(
                        "the {shown} of {n} policies with the largest expected payout; all are in policies.csv"
                    )
                }
            ));
            if !ins.portfolios.is_empty() {
                s.push_str(
                    " Long dashes: each portfolio's total payout, the sum of its policies' \
                     payouts in the same simulated years: the insurer's aggregate exposure.",
                );
            }
        }
        s
    }

    on_both_backends!(draw);
}

/// The most policy curves drawn; beyond it, those with the largest expected payout.
pub const MAX_POLICY_CURVES: usize = 8;

/// What a curve shows, which sets its line style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    /// An architecture's loss: solid.
    Architecture,
    /// A policy's payout: dashed.
    Policy,
    /// A portfolio's total payout: long dashes, thicker.
    Portfolio,
}

impl Series {
    /// (dash length, gap, stroke width); no dashes for a solid line.
    fn stroke(self) -> (Option<(u32, u32)>, u32) {
        match self {
            Series::Architecture => (None, 3),
            Series::Policy => (Some((7, 5)), 3),
            Series::Portfolio => (Some((18, 6)), 4),
        }
    }
}

/// One line of the chart.
pub struct LossCurve<'a> {
    pub label: String,
    pub color: RGBColor,
    pub series: Series,
    /// Losses (payouts) per period: ascending, or their histogram.
    pub sorted: Cow<'a, Sorted>,
}

/// The policies drawn, in scenario order: all, or the
/// [`MAX_POLICY_CURVES`] with the largest expected payout.
pub fn shown_policies(data: &ChartData) -> Vec<usize> {
    let Some(ins) = &data.insurance else {
        return Vec::new();
    };
    let mut v: Vec<usize> = (0..ins.policies.len()).collect();
    if v.len() > MAX_POLICY_CURVES {
        v.sort_by(|&a, &b| {
            ins.policies[b]
                .expected_payout
                .total_cmp(&ins.policies[a].expected_payout)
                .then(a.cmp(&b))
        });
        v.truncate(MAX_POLICY_CURVES);
        v.sort_unstable();
    }
    v
}

/// With policies and more architectures with a loss than this (a book of
/// insureds), only the insureds of the shown policies are drawn.
pub const MAX_ARCH_CURVES_WITH_POLICIES: usize = 12;

/// The architectures drawn one by one, in scenario order: every one with a
/// loss model among [`ChartData::shown`]; with policies, every one with a
/// loss model, or with more than [`MAX_ARCH_CURVES_WITH_POLICIES`] of them,
/// the insureds of [`shown_policies`] only.
pub fn shown_architectures(data: &ChartData) -> Vec<usize> {
    let with_loss = (0..data.architectures.len()).filter(|&a| data.architectures[a].loss.is_some());
    let Some(ins) = &data.insurance else {
        return with_loss.filter(|a| data.shown.contains(a)).collect();
    };
    let all: Vec<usize> = with_loss.collect();
    if all.len() <= MAX_ARCH_CURVES_WITH_POLICIES {
        return all;
    }
    let insured: Vec<&str> = shown_policies(data)
        .into_iter()
        .map(|p| ins.policies[p].insured.as_str())
        .collect();
    all.into_iter()
        .filter(|&a| insured.contains(&data.architectures[a].id.as_str()))
        .collect()
}

/// Without policies, the architectures with a loss model not drawn one by
/// one: drawn as one grey group.
pub fn grouped_architectures(data: &ChartData) -> Vec<usize> {
    if data.insurance.is_some() {
        return Vec::new();
    }
    data.others()
        .into_iter()
        .filter(|&a| data.architectures[a].loss.is_some())
        .collect()
}

/// The series drawn: the [`shown_architectures`]' losses, then (with
/// insurance) the [`shown_policies`]' payouts and every portfolio's total.
/// A shown architecture keeps its colour of every chart
/// ([`ChartData::color_of`]); every other series takes a colour after those,
/// each its own.
pub fn curves(data: &ChartData) -> Vec<LossCurve<'_>> {
    let mut next = data.shown.len();
    let mut fresh = || {
        next += 1;
        color(next - 1)
    };
    let mut out: Vec<LossCurve> = Vec::new();
    for i in shown_architectures(data) {
        let a = &data.architectures[i];
        if let Some(l) = a.loss.as_ref() {
            out.push(LossCurve {
                label: a.id.clone(),
                color: if data.shown.contains(&i) {
                    data.color_of(i)
                } else {
                    fresh()
                },
                series: Series::Architecture,
                sorted: Cow::Borrowed(&l.sorted),
            });
        }
    }
    let Some(ins) = &data.insurance else {
        return out;
    };
    for p in shown_policies(data) {
        out.push(LossCurve {
            label: format!("policy {} (payout)", ins.policies[p].policy),
            color: fresh(),
            series: Series::Policy,
            sorted: Cow::Owned(Sorted::of(ins.payouts[p].iter().copied())),
        });
    }
    for (k, pf) in ins.portfolios.iter().enumerate() {
        out.push(LossCurve {
            label: format!("portfolio {} (total payout)", pf.portfolio),
            color: fresh(),
            series: Series::Portfolio,
            sorted: Cow::Owned(Sorted::of(ins.totals[k].iter().copied())),
        });
    }
    out
}

/// (return period, loss) points of one curve, positive losses only.
pub fn points(sorted: &Sorted, max_period: f64) -> Vec<(f64, f64)> {
    if sorted.is_empty() {
        return Vec::new();
    }
    log_grid(1.0, max_period, 300)
        .into_iter()
        .map(|t| (t, sorted.quantile(1.0 - 1.0 / t)))
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
    if data.draws.is_some() {
        let archs: Vec<(usize, RGBColor)> = shown_architectures(data)
            .into_iter()
            .zip(curves.iter().filter(|c| c.series == Series::Architecture))
            .map(|(a, c)| (a, c.color))
            .collect();
        let extra: Vec<super::wheatsheaf::Extra> = curves
            .iter()
            .filter(|c| c.series != Series::Architecture)
            .map(|c| (c.label.clone(), c.color, points(&c.sorted, max_period)))
            .collect();
        return super::wheatsheaf::draw_loss(
            data,
            &area,
            &archs,
            &grouped_architectures(data),
            &extra,
        );
    }
    let series: Vec<(&LossCurve, Vec<(f64, f64)>)> = curves
        .iter()
        .map(|c| (c, points(&c.sorted, max_period)))
        .collect();
    let grouped: Vec<Vec<(f64, f64)>> = grouped_architectures(data)
        .into_iter()
        .filter_map(|a| data.architectures[a].loss.as_ref())
        .map(|l| points(&l.sorted, max_period))
        .collect();
    let all: Vec<f64> = series
        .iter()
        .map(|(_, p)| p)
        .chain(grouped.iter())
        .flat_map(|p| p.iter().map(|q| q.1))
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
    // The legend has its own strip on the right: it never covers a curve or
    // a return-period label.
    let (w, _) = area.dim_in_pixel();
    let grouped_label = format!("{} other designs", grouped.len());
    let strip = style::legend_width(
        curves
            .iter()
            .map(|c| c.label.clone())
            .chain((!grouped.is_empty()).then(|| grouped_label.clone())),
    );
    let (plot, legend) = area.split_horizontally(w.saturating_sub(strip));
    let mut chart = style::loss_frame(&plot, xhi, ylo..yhi, &period)?;
    // The run's return periods: a dashed line each, labelled above the plot.
    let periods: Vec<f64> = data
        .return_periods
        .iter()
        .map(|&n| f64::from(n))
        .filter(|&t| t <= max_period)
        .collect();
    let mut last_label_end = i32::MIN;
    for &t in &periods {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(t, ylo), (t, yhi)],
            5,
            5,
            GREY.stroke_width(1),
        )))?;
        // Above the plotting area, skipping a label that would run into the previous one.
        let label = format!("1 in {t}");
        let (x, y) = chart.backend_coord(&(t, yhi));
        let width = style::text_width(&label, SMALL_SIZE) as i32;
        if x - width / 2 > last_label_end + 4 {
            plot.draw_text(
                &label,
                &text(SMALL_SIZE)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
                (x - plot.get_base_pixel().0, y - plot.get_base_pixel().1 - 4),
            )?;
            last_label_end = x + width / 2;
        }
    }
    for pts in &grouped {
        chart.draw_series(LineSeries::new(pts.clone(), OTHERS.stroke_width(1)))?;
    }
    let mut entries = Vec::new();
    for (c, pts) in series {
        let color = c.color;
        let (dash, width) = c.series.stroke();
        let style = color.stroke_width(width);
        match dash {
            None => chart.draw_series(LineSeries::new(pts, style))?,
            Some((len, gap)) => chart.draw_series(DashedLineSeries::new(pts, len, gap, style))?,
        };
        if c.series == Series::Architecture {
            // The loss of a 1-in-N period on the curve, for each return period.
            let dots: Vec<(f64, f64)> = periods
                .iter()
                .map(|&t| (t, c.sorted.quantile(1.0 - 1.0 / t)))
                .filter(|&(_, l)| l > 0.0)
                .collect();
            chart.draw_series(
                dots.into_iter()
                    .map(|(t, l)| Circle::new((t, l.max(ylo)), 4, color.filled())),
            )?;
        }
        entries.push(style::LegendEntry {
            label: c.label.clone(),
            color,
            width,
            dash: dash.map(|(len, gap)| (len.div_ceil(2), gap.div_ceil(2))),
        });
    }
    if !grouped.is_empty() {
        entries.push(style::LegendEntry {
            label: grouped_label,
            color: OTHERS,
            width: 2,
            dash: None,
        });
    }
    style::legend_panel(&legend, &entries)
}
