//! The summary of an importance-sampled run ([`crate::tilt`]): the same
//! [`ArchSummary`] figures as a plain run's, each trial weighted by its
//! likelihood ratio w (docs/statistics.md, importance sampling).
//!
//! Means are the plain (unnormalised) ratio estimator: the mean of w·x over
//! the n trials, unbiased because w is the exact likelihood ratio; its 95%
//! interval is mean ± z·sd(w·x)/√n, and `downtime_hours_sd` holds sd(w·x), the
//! figure that interval comes from. Probabilities are means of w times an
//! indicator; availability and the served share are 1 − (weighted mean of
//! the unavailable share), so the rare quantity is the one estimated.
//! Quantiles (p50 … p99, 1-in-N) are the smallest value whose
//! self-normalised weighted share Σ w / Σ w reaches p ([`weighted::Sorted`]).
//! Every sum runs in trial order, so the figures do not depend on the threads.

use super::{nines, return_period_probability, ArchSummary, ReturnValue, Z_95};
use crate::engine::Simulation;
use crate::model::Model;
use crate::weighted::{self, Estimate};

/// The summaries of every architecture of `sim`, weighted by `weights`, in
/// scenario order, with the 1-in-N values of `return_periods`.
pub fn summarize(
    model: &Model,
    sim: &Simulation,
    weights: &[f64],
    return_periods: &[u32],
) -> Vec<ArchSummary> {
    let h = sim.settings.horizon_hours;
    let naive = crate::naive::architecture_unavailability(model);
    let naive_served = crate::naive::architecture_served(model);
    let trials = sim.settings.trials;
    model
        .architectures
        .iter()
        .enumerate()
        .map(|(a, arch)| {
            let of = |f: &dyn Fn(&crate::evaluate::Outcome) -> f64| {
                weighted::mean(sim.of(a).map(f), weights)
            };
            let down = of(&|o| o.downtime_hours);
            let unserved = of(&|o| o.unserved_hours);
            let loss = of(&|o| o.loss);
            let (avail, avail_lo, avail_hi) = complement(&down, h);
            let (served, served_lo, served_hi) = complement(&unserved, h);
            let has_loss = arch.loss.is_some();
            let allowed = arch.sla.map(|sla| (1.0 - sla) * h);
            let missed = allowed.map(|al| of(&|o| f64::from(u8::from(o.downtime_hours > al))));
            let down_q = weighted::Sorted::of(sim.of(a).map(|o| o.downtime_hours), weights);
            let longest_q =
                weighted::Sorted::of(sim.of(a).map(|o| o.longest_outage_hours), weights);
            let loss_q = has_loss.then(|| weighted::Sorted::of(sim.of(a).map(|o| o.loss), weights));
            ArchSummary {
                architecture: arch.id.clone(),
                trials,
                availability: avail,
                availability_ci_low: avail_lo,
                availability_ci_high: avail_hi,
                nines: nines(avail),
                downtime_hours_mean: down.mean,
                downtime_hours_sd: down.se * (down.trials as f64).sqrt(),
                downtime_hours_p50: down_q.quantile(0.5),
                downtime_hours_p90: down_q.quantile(0.9),
                downtime_hours_p99: down_q.quantile(0.99),
                outages_mean: of(&|o| f64::from(o.outages)).mean,
                longest_outage_hours_p99: longest_q.quantile(0.99),
                sla: arch.sla,
                sla_met_probability: missed.map(|m| 1.0 - m.mean),
                expected_loss: has_loss.then_some(loss.mean),
                expected_loss_ci_low: has_loss.then_some((loss.mean - loss.half_width()).max(0.0)),
                expected_loss_ci_high: has_loss.then_some(loss.mean + loss.half_width()),
                loss_p99: loss_q.as_ref().map(|l| l.quantile(0.99)),
                cost_per_year: arch.cost_per_year,
                served,
                served_ci_low: served_lo,
                served_ci_high: served_hi,
                degraded_hours_mean: of(&|o| o.degraded_hours).mean,
                naive_availability: 1.0 - naive[a],
                naive_served: naive_served[a],
                correlation_penalty: (naive[a] > 0.0).then(|| down.mean / (naive[a] * h)),
                return_periods: return_periods
                    .iter()
                    .map(|&n| {
                        let p = return_period_probability(n);
                        ReturnValue {
                            period: n,
                            downtime_hours: down_q.quantile(p),
                            loss: loss_q.as_ref().map(|l| l.quantile(p)),
                        }
                    })
                    .collect(),
                quantiles: super::stream::QuantileMethod::Exact,
            }
        })
        .collect()
}

/// 1 − (weighted mean of the hours ÷ horizon), with its 95% interval within [0, 1].
fn complement(e: &Estimate, h: f64) -> (f64, f64, f64) {
    let half = Z_95 * e.se;
    (
        1.0 - e.mean / h,
        (1.0 - (e.mean + half) / h).max(0.0),
        (1.0 - (e.mean - half) / h).min(1.0),
    )
}
