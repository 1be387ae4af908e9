//! Statistics over per-trial values: means with normal-approximation
//! confidence intervals, quantiles, and the per-architecture summary built
//! from a [`Simulation`]. All sums run in trial order, so figures are
//! identical whatever the thread count.

use crate::engine::Simulation;
use crate::model::Model;
use serde::Serialize;

pub mod digest;
pub mod importance;
pub mod sorted;
pub mod stream;

/// Two-sided 95% normal quantile.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Mean, sample standard deviation and count, summed in order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub sd: f64,
}

impl Moments {
    /// Welford's algorithm, in the order given.
    pub fn of(values: impl Iterator<Item = f64>) -> Self {
        let (mut n, mut mean, mut m2) = (0u64, 0.0, 0.0);
        for x in values {
            n += 1;
            let d = x - mean;
            mean += d / n as f64;
            m2 += d * (x - mean);
        }
        let sd = if n > 1 {
            (m2 / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        Moments { n, mean, sd }
    }

    /// Standard error of the mean.
    pub fn se(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sd / (self.n as f64).sqrt()
        }
    }

    /// Normal-approximation interval `mean ± z·se`.
    pub fn ci(&self, z: f64) -> (f64, f64) {
        (self.mean - z * self.se(), self.mean + z * self.se())
    }
}

/// Quantile of sorted values by linear interpolation between order
/// statistics (Hyndman–Fan type 7): position `h = (n−1)·p`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Sorts a copy of the values (NaN-free) for quantiles.
pub fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// Nines of availability: −log10(1 − A); `None` when no down time was seen.
pub fn nines(availability: f64) -> Option<f64> {
    let u = 1.0 - availability;
    (u > 0.0).then(|| -u.log10())
}

/// The return periods reported when none are asked for (`--return-periods`).
pub const DEFAULT_RETURN_PERIODS: [u32; 5] = [10, 20, 50, 100, 200];

/// The quantile probability of a 1-in-`n` period: `1 − 1/n`. "1 in N" means
/// this type-7 quantile everywhere (docs/statistics.md §4).
pub fn return_period_probability(n: u32) -> f64 {
    1.0 - 1.0 / f64::from(n)
}

/// The down time and loss of a 1-in-`period` period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturnValue {
    pub period: u32,
    pub downtime_hours: f64,
    /// `None` without a loss model.
    pub loss: Option<f64>,
}

/// The headline figures of one architecture over all trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArchSummary {
    pub architecture: String,
    pub trials: u64,
    pub availability: f64,
    pub availability_ci_low: f64,
    pub availability_ci_high: f64,
    pub nines: Option<f64>,
    pub downtime_hours_mean: f64,
    pub downtime_hours_sd: f64,
    pub downtime_hours_p50: f64,
    pub downtime_hours_p90: f64,
    pub downtime_hours_p99: f64,
    pub outages_mean: f64,
    pub longest_outage_hours_p99: f64,
    pub sla: Option<f64>,
    pub sla_met_probability: Option<f64>,
    pub expected_loss: Option<f64>,
    pub expected_loss_ci_low: Option<f64>,
    pub expected_loss_ci_high: Option<f64>,
    pub loss_p99: Option<f64>,
    pub cost_per_year: Option<f64>,
    /// Mean share of demand served over the period (request-weighted
    /// availability): 1 − ∫(1 − level) ÷ period; equals `availability` when
    /// every outage is complete.
    pub served: f64,
    pub served_ci_low: f64,
    pub served_ci_high: f64,
    /// Mean hours below full service but not down (level at or above `down_below`).
    pub degraded_hours_mean: f64,
    /// Availability by the independence arithmetic ([`crate::naive`]).
    pub naive_availability: f64,
    /// Served share by the same arithmetic on service levels: stand-alone
    /// expected levels combined by each mode's rule as if independent
    /// ([`crate::naive::architecture_served`]).
    pub naive_served: f64,
    /// Simulated mean down time ÷ naive down time; `None` when the naive down time is 0.
    pub correlation_penalty: Option<f64>,
    /// Down time and loss of a 1-in-N period, per asked return period.
    pub return_periods: Vec<ReturnValue>,
    /// How the quantiles (p50 … p99, 1-in-N) were computed: `exact` from the
    /// sorted values, or `histogram` (within 0.1%, [`stream`]).
    pub quantiles: stream::QuantileMethod,
}

/// Summaries of every architecture, in scenario order, with the default
/// return periods.
pub fn summarize(model: &Model, sim: &Simulation) -> Vec<ArchSummary> {
    summarize_with(model, sim, &DEFAULT_RETURN_PERIODS)
}

/// Summaries of every architecture, in scenario order, with the 1-in-N
/// values of `return_periods`.
pub fn summarize_with(model: &Model, sim: &Simulation, return_periods: &[u32]) -> Vec<ArchSummary> {
    if let Some(imp) = &sim.importance {
        return importance::summarize(model, sim, &imp.weights, return_periods);
    }
    // Every run's summary goes through the streaming accumulator, with the
    // same exact limit as a streamed run, so both give the same figures.
    let mut s = stream::Summarizer::new(model, sim.settings.horizon_hours, stream::EXACT_UP_TO);
    for trial in sim.outcomes.chunks_exact(sim.architectures.max(1)) {
        s.add_trial(trial);
    }
    s.finish(model, return_periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_match_two_pass_formulas() {
        let xs = [1.0, 4.0, 4.0, 7.0, 9.0];
        let m = Moments::of(xs.iter().copied());
        let mean = 25.0 / 5.0;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 4.0;
        assert_eq!(m.n, 5);
        assert!((m.mean - mean).abs() < 1e-12);
        assert!((m.sd - var.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn type7_quantiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 1.0), 5.0);
        assert!((quantile_sorted(&v, 0.9) - 4.6).abs() < 1e-12);
    }

    #[test]
    fn nines_of_three_nines() {
        assert!((nines(0.999).unwrap() - 3.0).abs() < 1e-9);
        assert_eq!(nines(1.0), None);
    }
}
