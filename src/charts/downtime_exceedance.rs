//! Chart 2: annual down-time exceedance, P(down time > x hours in a period)
//! for each architecture, on log–log axes, from the per-trial down times.

use super::curves::{architecture_curves, draw_exceedance, Marks, Sample};
use super::style;
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use plotters::coord::Shift;
use plotters::prelude::*;

pub struct DowntimeExceedance;

const TITLE: &str = "How likely is a bad year: down-time exceedance";

impl Chart for DowntimeExceedance {
    chart_files!("downtime-exceedance");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        format!(
            "For each architecture, the share of simulated {p}s (vertical, log scale) whose total \
             down time exceeds the hours on the horizontal axis (log scale). Read across at \
             \"1 {p} in 100\" to find the down time of a 1-in-100 {p} (the dashed lines are the \
             run's return periods, each curve's dot on them the value in the comparison table); read up from a number of \
             hours to find how often a {p} is worse than that. A curve further down and to the \
             left is better. Where a curve starts on the left is the chance of any down time at \
             all; the curve stops at the worst {p} simulated.{weighted}",
            p = data.period(),
            weighted = if data.architectures.iter().any(|a| a.downtime_weighted.is_some()) {
                " The run was importance-sampled: each simulated period counts with its \
                 likelihood-ratio weight, so a share is the weight of the periods with more \
                 down time over the total weight, and the curve reaches shares below one in \
                 the number of trials (down to a thousandth of it)."
            } else {
                ""
            }
        ) + &wheatsheaf_note(data)
            + &data.grouping_note(true)
    }

    on_both_backends!(draw);
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    let period = data.period();
    let x_desc = format!("hours down in one {period} (log scale)");
    let y_desc = format!("share of {period}s with more (log scale)");
    if data.draws.is_some() {
        return super::wheatsheaf::draw_downtime(data, &area, &x_desc, &y_desc);
    }
    let (curves, others) = architecture_curves(
        data,
        |a| match &data.architectures[a].downtime_weighted {
            Some(w) => Sample::Weighted(w),
            None => Sample::of(&data.architectures[a].downtime),
        },
        |a| data.architectures[a].id.clone(),
    );
    let marks = Marks {
        lines: data
            .return_periods
            .iter()
            .map(|&n| (1.0 / f64::from(n), format!("1 {period} in {n}")))
            .collect(),
        dots: true,
    };
    draw_exceedance(
        &area,
        &curves,
        &others,
        &x_desc,
        &y_desc,
        &marks,
        "No architecture was down in any trial.",
    )
}

/// With draws, what the wheatsheaf shows ("" without).
pub fn wheatsheaf_note(data: &ChartData) -> String {
    let Some(d) = &data.draws else {
        return String::new();
    };
    format!(
        " With parameter uncertainty ({n} draws of the uncertain inputs, each simulated on the \
         same trials), each architecture is a wheatsheaf: a thin line per draw (the first {thin} \
         draws), the shaded band holding 90% of the draws at each return period (5% to 95%), \
         and the thick line their mean. The width of the band is parameter uncertainty; each \
         draw's own curve still carries the sampling noise of {trials} trials. Each draw's \
         curve is kept at {k} return periods (uncertainty_curves.csv).",
        n = d.draws.len(),
        thin = d.draws.len().min(super::wheatsheaf::MAX_THIN),
        trials = crate::fmtnum::thousands(data.trials as f64),
        k = d.return_periods.len()
    )
}
