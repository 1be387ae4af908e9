//! The summary figures accumulated as trials stream past: exact sums for
//! means and standard deviations ([`crate::exact`]: the same bits for any
//! order of the trials, any chunking, thread count or split into shards),
//! counts for the SLA, and quantiles from the values themselves while there
//! are at most a given number of them, else from the mergeable logarithmic
//! histogram of [`crate::sketch`] (each quantile within 0.1% relative error
//! of the exact one, docs/statistics.md §4.2). Memory then stays flat in the
//! number of trials: about 3 × 8 bytes per trial and architecture while the
//! values are kept, at most a few hundred KB per architecture once they are
//! not. Unserved time and degraded hours cost nothing while they are down
//! time and zero, as they are in every trial without partial outages
//! ([`tied`]). [`super::summarize_with`] and [`crate::streaming`] run every
//! summary through here.

use super::digest::Digest;
pub use super::sorted::Sorted;
use super::{nines, return_period_probability, ArchSummary, ReturnValue, Z_95};
use crate::evaluate::Outcome;
use crate::exact::ExactMoments;
use crate::model::Model;
use crate::sketch::LogHistogram;
use serde::Serialize;
use tied::{Tie, Tied};

mod tied;

/// `run --summary-only` keeps each series' values for exact quantiles up to
/// this many trials (24 bytes per trial and architecture), then switches to the histogram.
pub const EXACT_UP_TO: u64 = 1 << 17;

/// How the quantiles of a summary were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuantileMethod {
    /// From the sorted values (type 7).
    Exact,
    /// From the logarithmic histogram: within 0.1% of the exact value.
    Histogram,
}

/// Quantiles of non-negative values: the values while at most `limit`, else their histogram.
#[derive(Debug, Clone)]
pub struct Quantiles {
    kept: Option<Vec<f64>>,
    hist: LogHistogram,
    limit: u64,
}

impl Quantiles {
    pub fn new(limit: u64) -> Self {
        Quantiles {
            kept: Some(Vec::new()),
            hist: LogHistogram::default(),
            limit,
        }
    }

    fn spill(&mut self) {
        if let Some(v) = self.kept.take() {
            v.iter().for_each(|&x| self.hist.add(x));
        }
    }

    pub fn add(&mut self, x: f64) {
        match &mut self.kept {
            Some(v) if (v.len() as u64) < self.limit => v.push(x),
            Some(_) => {
                self.spill();
                self.hist.add(x);
            }
            None => self.hist.add(x),
        }
    }

    /// Makes room for `n` more values where they will be kept (not past the limit).
    fn reserve(&mut self, n: u64) {
        if let Some(v) = &mut self.kept {
            if v.len() as u64 + n <= self.limit {
                v.reserve(n as usize);
            }
        }
    }

    /// Adds every value of `other` (the result does not depend on the order of merges).
    pub fn merge(&mut self, other: &Quantiles) {
        match (&mut self.kept, &other.kept) {
            (Some(a), Some(b)) if (a.len() + b.len()) as u64 <= self.limit => {
                a.extend_from_slice(b)
            }
            _ => {
                self.spill();
                match &other.kept {
                    Some(b) => b.iter().for_each(|&x| self.hist.add(x)),
                    None => self.hist.merge(&other.hist),
                }
            }
        }
    }

    pub fn method(&self) -> QuantileMethod {
        if self.kept.is_some() {
            QuantileMethod::Exact
        } else {
            QuantileMethod::Histogram
        }
    }

    /// What to read quantiles from.
    pub fn finish(self) -> Sorted {
        match self.kept {
            Some(mut v) => {
                v.sort_unstable_by(f64::total_cmp);
                Sorted::Values(v)
            }
            None => Sorted::Counts(self.hist.tally()),
        }
    }
}

/// One architecture's accumulated figures. Availability and the served
/// share are affine in down time and unserved time (`1 − x/h`), so their
/// moments are derived from those sums at the end instead of summed per
/// trial; outage counts are integers, summed as such.
#[derive(Debug, Clone)]
struct Arch {
    down: ExactMoments,
    /// Down time while no trial's unserved time differs from it.
    unserved: Tied,
    /// Zero while no trial has degraded hours.
    degraded: Tied,
    loss: ExactMoments,
    /// Σk and Σk² of the outage counts.
    outages: (i128, i128),
    sla_met: u64,
    down_q: Quantiles,
    longest_q: Quantiles,
    loss_q: Quantiles,
}

/// Every architecture's figures over the trials added so far.
#[derive(Debug, Clone)]
pub struct Summarizer {
    horizon: f64,
    /// Down time allowed by each architecture's SLA, hours.
    allowed: Vec<Option<f64>>,
    archs: Vec<Arch>,
    trials: u64,
}

impl Summarizer {
    /// Keeps each series' values for exact quantiles while there are at most `exact_up_to`.
    pub fn new(model: &Model, horizon: f64, exact_up_to: u64) -> Self {
        let q = || Quantiles::new(exact_up_to);
        Summarizer {
            horizon,
            allowed: model
                .architectures
                .iter()
                .map(|a| a.sla.map(|sla| (1.0 - sla) * horizon))
                .collect(),
            archs: model
                .architectures
                .iter()
                .map(|_| Arch {
                    down: ExactMoments::default(),
                    unserved: Tied::new(Tie::Base),
                    degraded: Tied::new(Tie::Zero),
                    loss: ExactMoments::default(),
                    outages: (0, 0),
                    sla_met: 0,
                    down_q: q(),
                    longest_q: q(),
                    loss_q: q(),
                })
                .collect(),
            trials: 0,
        }
    }

    /// Adds one trial: one outcome per architecture, in scenario order.
    pub fn add_trial(&mut self, outcomes: &[Outcome]) {
        for ((s, o), allowed) in self.archs.iter_mut().zip(outcomes).zip(&self.allowed) {
            // The tied series first: they read down time's moments before this trial.
            s.unserved.add(o.unserved_hours, o.downtime_hours, &s.down);
            s.degraded.add(o.degraded_hours, o.downtime_hours, &s.down);
            s.down.add(o.downtime_hours);
            s.loss.add(o.loss);
            let k = i128::from(o.outages);
            s.outages.0 += k;
            s.outages.1 += k * k;
            // Compare down time rather than availability to avoid rounding at the boundary.
            if allowed.is_some_and(|a| o.downtime_hours <= a) {
                s.sla_met += 1;
            }
            s.down_q.add(o.downtime_hours);
            s.longest_q.add(o.longest_outage_hours);
            s.loss_q.add(o.loss);
        }
        self.trials += 1;
    }

    /// Makes room for the values of `trials` more trials, where they are
    /// kept for exact quantiles: growing them a trial at a time copied them
    /// over and over.
    pub fn reserve(&mut self, trials: u64) {
        for a in &mut self.archs {
            for q in [&mut a.down_q, &mut a.longest_q, &mut a.loss_q] {
                q.reserve(trials);
            }
        }
    }

    /// Adds every trial of `other` (same model and horizon).
    pub fn merge(&mut self, other: &Summarizer) {
        for (a, b) in self.archs.iter_mut().zip(&other.archs) {
            // The tied series first: they read down time's moments before the merge.
            a.unserved.merge(&b.unserved, &a.down, &b.down);
            a.degraded.merge(&b.degraded, &a.down, &b.down);
            a.down.merge(&b.down);
            a.loss.merge(&b.loss);
            a.outages.0 += b.outages.0;
            a.outages.1 += b.outages.1;
            a.sla_met += b.sla_met;
            a.down_q.merge(&b.down_q);
            a.longest_q.merge(&b.longest_q);
            a.loss_q.merge(&b.loss_q);
        }
        self.trials += other.trials;
    }

    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// Architecture `a`'s sums that pairs of designs are compared on
    /// ([`super::digest::Pairs`]): down time and loss moments, Σk and Σk²
    /// of the outage counts, trials within the SLA.
    pub(super) fn sums(&self, a: usize) -> (&ExactMoments, &ExactMoments, (i128, i128), u64) {
        let s = &self.archs[a];
        (&s.down, &s.loss, s.outages, s.sla_met)
    }

    /// The summaries, in scenario order, with the 1-in-N values of `return_periods`.
    pub fn finish(self, model: &Model, return_periods: &[u32]) -> Vec<ArchSummary> {
        self.finish_digest(model, return_periods).0
    }

    /// The summaries and each architecture's down-time and loss distribution
    /// (the [`Digest`] without pairs).
    pub fn finish_digest(
        self,
        model: &Model,
        return_periods: &[u32],
    ) -> (Vec<ArchSummary>, Digest) {
        let h = self.horizon;
        let trials = self.trials;
        let naive = crate::naive::architecture_unavailability(model);
        let naive_served = crate::naive::architecture_served(model);
        let half = |sd: f64| {
            if trials == 0 {
                0.0
            } else {
                Z_95 * sd / (trials as f64).sqrt()
            }
        };
        let ci = |m: &ExactMoments| {
            let (mean, sd) = m.mean_sd();
            (mean, sd, mean - half(sd), mean + half(sd))
        };
        // The share of the period `1 − x/h` from the moments of x.
        let share = |m: &ExactMoments| {
            let (mean, sd) = m.mean_sd();
            let (v, sd) = (1.0 - mean / h, sd / h);
            (v, v - half(sd), v + half(sd))
        };
        let mut digest = Digest::default();
        let summaries = model
            .architectures
            .iter()
            .zip(self.archs)
            .enumerate()
            .map(|(a, (arch, s))| {
                let method = s.down_q.method();
                let (avail, lo, hi) = share(&s.down);
                let (down, down_sd, _, _) = ci(&s.down);
                let (served, served_lo, served_hi) = share(&s.unserved.moments(&s.down));
                let (loss, _, loss_lo, loss_hi) = ci(&s.loss);
                let has_loss = arch.loss.is_some();
                let down_q = s.down_q.finish();
                let longest = s.longest_q.finish();
                let loss_q = has_loss.then(|| s.loss_q.finish());
                let summary = ArchSummary {
                    architecture: arch.id.clone(),
                    trials,
                    availability: avail,
                    availability_ci_low: lo.max(0.0),
                    availability_ci_high: hi.min(1.0),
                    nines: nines(avail),
                    downtime_hours_mean: down,
                    downtime_hours_sd: down_sd,
                    downtime_hours_p50: down_q.quantile(0.5),
                    downtime_hours_p90: down_q.quantile(0.9),
                    downtime_hours_p99: down_q.quantile(0.99),
                    outages_mean: ExactMoments::of_integers(trials, s.outages).mean_sd().0,
                    longest_outage_hours_p99: longest.quantile(0.99),
                    sla: arch.sla,
                    sla_met_probability: arch.sla.map(|_| s.sla_met as f64 / trials as f64),
                    expected_loss: has_loss.then_some(loss),
                    expected_loss_ci_low: has_loss.then_some(loss_lo.max(0.0)),
                    expected_loss_ci_high: has_loss.then_some(loss_hi),
                    loss_p99: loss_q.as_ref().map(|l| l.quantile(0.99)),
                    cost_per_year: arch.cost_per_year,
                    served,
                    served_ci_low: served_lo.max(0.0),
                    served_ci_high: served_hi.min(1.0),
                    degraded_hours_mean: s.degraded.moments(&s.down).mean_sd().0,
                    naive_availability: 1.0 - naive[a],
                    naive_served: naive_served[a],
                    correlation_penalty: (naive[a] > 0.0).then(|| down / (naive[a] * h)),
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
                    quantiles: method,
                };
                digest.loss_moments.push(super::digest::moments(&s.loss));
                digest.downtime.push(down_q);
                digest.loss.push(loss_q);
                summary
            })
            .collect();
        (summaries, digest)
    }
}

/// A [`Quantiles`]' values as plain data (a shard's `shard.bin`): the
/// values kept, or the histogram's counts as its [`crate::sketch::Tally`]
/// (each bucket's representative, ascending, and its count).
#[derive(Debug, Clone, PartialEq)]
pub enum QuantilesState {
    Kept(Vec<f64>),
    Counts(crate::sketch::Tally),
}

impl Quantiles {
    /// What this holds, as plain data.
    pub fn state(&self) -> QuantilesState {
        match &self.kept {
            Some(v) => QuantilesState::Kept(v.clone()),
            None => QuantilesState::Counts(self.hist.tally()),
        }
    }

    /// The quantiles holding `state` under the exact limit `limit`; an error
    /// unless it is one [`Quantiles::state`] gives (at most `limit` values
    /// kept; counts of bucket representatives, ascending).
    pub fn from_state(limit: u64, state: QuantilesState) -> Result<Quantiles, String> {
        let mut q = Quantiles::new(limit);
        match state {
            QuantilesState::Kept(v) if v.len() as u64 <= limit => q.kept = Some(v),
            QuantilesState::Kept(v) => {
                return Err(format!(
                    "keeps {} values, more than the exact limit {limit}",
                    v.len()
                ))
            }
            QuantilesState::Counts(t) => {
                q.kept = None;
                for (&v, &n) in t.values.iter().zip(&t.counts) {
                    let i = crate::sketch::bucket(v)
                        .filter(|&i| {
                            i == crate::sketch::ZERO_BUCKET || LogHistogram::representative(i) == v
                        })
                        .ok_or_else(|| format!("{v} is not a histogram bucket's value"))?;
                    q.hist.add_bucket(i, n);
                }
            }
        }
        Ok(q)
    }
}

/// One architecture's accumulated figures as plain data: the exact
/// moments of down time, unserved time, degraded hours and loss (in that
/// order), Σk and Σk² of the outage counts, trials within the SLA, and the
/// values for the quantiles of down time, longest outage and loss.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchState {
    pub moments: [ExactMoments; 4],
    pub outages: (i128, i128),
    pub sla_met: u64,
    pub quantiles: [QuantilesState; 3],
}

impl Summarizer {
    /// Every architecture's figures, as plain data.
    pub fn state(&self) -> Vec<ArchState> {
        self.archs
            .iter()
            .map(|a| ArchState {
                moments: [
                    a.down.clone(),
                    a.unserved.moments(&a.down),
                    a.degraded.moments(&a.down),
                    a.loss.clone(),
                ],
                outages: a.outages,
                sla_met: a.sla_met,
                quantiles: [a.down_q.state(), a.longest_q.state(), a.loss_q.state()],
            })
            .collect()
    }

    /// The summarizer of `model` over `trials` trials whose figures are
    /// `archs` (from [`Summarizer::state`]); an error unless there is one per
    /// architecture, each counting `trials` trials.
    pub fn from_state(
        model: &Model,
        horizon: f64,
        exact_up_to: u64,
        trials: u64,
        archs: Vec<ArchState>,
    ) -> Result<Summarizer, String> {
        let mut s = Summarizer::new(model, horizon, exact_up_to);
        if archs.len() != s.archs.len() {
            return Err(format!(
                "holds {} architectures' figures, not {}",
                archs.len(),
                s.archs.len()
            ));
        }
        for (k, (mine, a)) in s.archs.iter_mut().zip(archs).enumerate() {
            // Each trial adds at most 2³² − 1 outages (a `u32`).
            let n = i128::from(trials);
            if a.moments.iter().any(|m| m.n != trials)
                || a.sla_met > trials
                || !(0..=n << 32).contains(&a.outages.0)
                || !(0..=n << 64).contains(&a.outages.1)
            {
                return Err(format!(
                    "architecture {}'s figures do not count {trials} trials",
                    k + 1
                ));
            }
            let [down, unserved, degraded, loss] = a.moments;
            let [down_q, longest_q, loss_q] = a.quantiles;
            let q = |x| Quantiles::from_state(exact_up_to, x);
            *mine = Arch {
                down,
                unserved: Tied::with(Tie::Base, unserved),
                degraded: Tied::with(Tie::Zero, degraded),
                loss,
                outages: a.outages,
                sla_met: a.sla_met,
                down_q: q(down_q)?,
                longest_q: q(longest_q)?,
                loss_q: q(loss_q)?,
            };
        }
        s.trials = trials;
        Ok(s)
    }
}

#[cfg(test)]
mod tests;
