//! Policy payouts, collected while the engine runs: an [`Observer`] reads each
//! trial's outage intervals (the index component's for parametric policies,
//! the insured architecture's for indemnity) and applies the policy terms, so
//! pricing never needs a second pass over the world. Per-event payouts are
//! capped by the annual limit in outage start order; a payout belongs to the
//! trial in which its outage starts. Per portfolio, paid events that overlap in
//! time are joined into one portfolio event (an occurrence).

use crate::engine::Observer;
use crate::evaluate::{Outcome, Timelines};
use crate::model::{Model, Policy, PolicyTerms};

/// Payout of one outage of `d` hours of a parametric policy's index, before the annual limit:
/// `min(pay_per_hour × min(X, max_hours), event_limit)` with `X = max(d − waiting, 0)`, or
/// `X = d` once `d > waiting` under a franchise.
#[inline]
pub fn parametric_payout(
    d: f64,
    waiting_hours: f64,
    franchise: bool,
    pay_per_hour: f64,
    max_hours_per_event: f64,
    event_limit: f64,
) -> f64 {
    let hours = if franchise {
        if d > waiting_hours {
            d
        } else {
            0.0
        }
    } else {
        (d - waiting_hours).max(0.0)
    };
    if hours <= 0.0 || pay_per_hour <= 0.0 {
        return 0.0;
    }
    (pay_per_hour * hours.min(max_hours_per_event)).min(event_limit)
}

/// Payout of one outage with loss `loss` of an indemnity policy, before the annual limit:
/// `share × min(max(loss − deductible, 0), event_limit)`.
#[inline]
pub fn indemnity_payout(loss: f64, deductible: f64, share: f64, event_limit: f64) -> f64 {
    share * (loss - deductible).max(0.0).min(event_limit)
}

/// What is left of an annual limit while a trial's payouts are applied in order.
#[derive(Debug, Clone, Copy)]
pub struct AnnualLimit {
    remaining: f64,
    /// Set once a payout reached the limit.
    pub exhausted: bool,
}

impl AnnualLimit {
    pub fn new(limit: f64) -> Self {
        AnnualLimit {
            remaining: limit,
            exhausted: false,
        }
    }

    /// Pays what the limit allows of `amount`.
    #[inline]
    pub fn pay(&mut self, amount: f64) -> f64 {
        if amount <= 0.0 {
            0.0
        } else if amount >= self.remaining {
            self.exhausted = true;
            std::mem::replace(&mut self.remaining, 0.0)
        } else {
            self.remaining -= amount;
            amount
        }
    }
}

/// The most one event can cost a policy: its per-event cap and annual limit
/// (infinite when unlimited). Written as `ImpactedExposure` in `il_S1_splt.csv`.
pub fn event_exposure(p: &Policy) -> f64 {
    let per_event = match p.terms {
        PolicyTerms::Parametric {
            pay_per_hour,
            max_hours_per_event,
            ..
        } => {
            if pay_per_hour <= 0.0 {
                0.0
            } else {
                (pay_per_hour * max_hours_per_event).min(p.event_limit)
            }
        }
        PolicyTerms::Indemnity { share, .. } => share * p.event_limit,
    };
    per_event.min(p.annual_limit)
}

/// One policy in one trial.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PolicyYear {
    /// Sum of the payouts after the annual limit (exactly the limit when exhausted).
    pub payout: f64,
    /// Largest single payout after the annual limit (the occurrence loss).
    pub max_event: f64,
    /// Outages that paid something.
    pub events_paid: u32,
    /// Whether the annual limit was reached.
    pub exhausted: bool,
    /// Parametric: outages of the index during which the insured lost nothing
    /// (no outage of its own with a loss overlapped them, e.g. it failed over).
    pub no_need_outages: u32,
    /// Of those, the ones that paid.
    pub no_need_paid: u32,
}

/// Whether the insured lost something during `[start, end)`: one of its
/// outages (starting in the period, sorted by start) with a positive loss
/// overlaps it.
#[inline]
pub fn insured_lost_during<'a>(
    start: f64,
    end: f64,
    insured: impl Iterator<Item = &'a crate::timeline::Interval>,
    loss: impl Fn(f64) -> f64,
) -> bool {
    insured
        .take_while(|o| o.start < end)
        .any(|o| o.end > start && loss(o.len()) > 0.0)
}

/// One outage that paid (after the annual limit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaidEvent {
    pub trial: u64,
    pub policy: u32,
    pub start_hours: f64,
    pub duration_hours: f64,
    pub payout: f64,
}

/// One portfolio event: paid outages of a portfolio's policies that overlap in time, joined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortfolioEvent {
    pub trial: u64,
    pub portfolio: u32,
    pub start_hours: f64,
    pub duration_hours: f64,
    pub payout: f64,
    /// Sum of [`event_exposure`] over the distinct policies that paid in it.
    pub exposure: f64,
    pub policies: u32,
}

/// A paid outage waiting to be joined into portfolio events.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: f64,
    end: f64,
    payout: f64,
    policy: u32,
}

/// What one chunk of trials collects.
pub struct PayoutChunk {
    years: Vec<PolicyYear>,
    portfolio_max: Vec<f64>,
    events: Vec<PaidEvent>,
    portfolio_events: Vec<PortfolioEvent>,
    pieces: Vec<Vec<Piece>>,
    stamp: Vec<u64>,
    clusters: u64,
}

/// Collects every policy's payouts per trial (and, if asked, every paid event).
pub struct PayoutObserver<'m> {
    model: &'m Model,
    horizon: f64,
    /// Portfolio of each policy (index into the portfolio list).
    portfolio_of: Vec<Option<usize>>,
    portfolios: usize,
    exposure: Vec<f64>,
    record_events: bool,
}

impl<'m> PayoutObserver<'m> {
    /// `portfolio_of[p]` is policy p's portfolio among `portfolios` portfolios.
    pub fn new(
        model: &'m Model,
        horizon: f64,
        portfolio_of: Vec<Option<usize>>,
        portfolios: usize,
        record_events: bool,
    ) -> Self {
        PayoutObserver {
            model,
            horizon,
            portfolio_of,
            portfolios,
            exposure: model.policies.iter().map(event_exposure).collect(),
            record_events,
        }
    }

    /// Joins the chunks (in chunk order) into one table.
    pub fn merge(&self, chunks: Vec<PayoutChunk>) -> PayoutTable {
        let mut t = PayoutTable {
            policies: self.model.policies.len(),
            portfolios: self.portfolios,
            exposure: self.exposure.clone(),
            years: Vec::new(),
            portfolio_max: Vec::new(),
            events: Vec::new(),
            portfolio_events: Vec::new(),
        };
        t.years.reserve(chunks.iter().map(|c| c.years.len()).sum());
        for c in chunks {
            t.years.extend_from_slice(&c.years);
            t.portfolio_max.extend_from_slice(&c.portfolio_max);
            t.events.extend_from_slice(&c.events);
            t.portfolio_events.extend_from_slice(&c.portfolio_events);
        }
        t
    }

    fn join_portfolio(&self, chunk: &mut PayoutChunk, trial: u64, k: usize) {
        let PayoutChunk {
            pieces,
            stamp,
            clusters,
            portfolio_max,
            portfolio_events,
            ..
        } = chunk;
        let pieces = &mut pieces[k];
        pieces.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.policy.cmp(&b.policy)));
        let mut max = 0.0f64;
        let mut i = 0;
        while i < pieces.len() {
            *clusters += 1;
            let mut ev = PortfolioEvent {
                trial,
                portfolio: k as u32,
                start_hours: pieces[i].start,
                duration_hours: 0.0,
                payout: 0.0,
                exposure: 0.0,
                policies: 0,
            };
            let mut end = pieces[i].end;
            while i < pieces.len() && pieces[i].start <= end {
                let p = pieces[i];
                end = end.max(p.end);
                ev.payout += p.payout;
                if stamp[p.policy as usize] != *clusters {
                    stamp[p.policy as usize] = *clusters;
                    ev.exposure += self.exposure[p.policy as usize];
                    ev.policies += 1;
                }
                i += 1;
            }
            ev.duration_hours = end - ev.start_hours;
            max = max.max(ev.payout);
            if self.record_events {
                portfolio_events.push(ev);
            }
        }
        portfolio_max.push(max);
    }
}

impl Observer for PayoutObserver<'_> {
    type Chunk = PayoutChunk;

    /// The parametric indices (the insured architectures are watched already).
    fn components(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .model
            .policies
            .iter()
            .filter_map(|p| match p.terms {
                PolicyTerms::Parametric { index, .. } => Some(index),
                PolicyTerms::Indemnity { .. } => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn start_chunk(&self) -> PayoutChunk {
        let trials = crate::engine::CHUNK as usize;
        PayoutChunk {
            years: Vec::with_capacity(trials * self.model.policies.len()),
            portfolio_max: Vec::with_capacity(trials * self.portfolios),
            events: Vec::new(),
            portfolio_events: Vec::new(),
            pieces: vec![Vec::new(); self.portfolios],
            stamp: vec![0; self.model.policies.len()],
            clusters: 0,
        }
    }

    fn trial(&self, chunk: &mut PayoutChunk, trial: u64, timelines: &Timelines, _: &[Outcome]) {
        for p in &mut chunk.pieces {
            p.clear();
        }
        for (i, policy) in self.model.policies.iter().enumerate() {
            let arch = &self.model.architectures[policy.insured];
            let (component, threshold) = match policy.terms {
                PolicyTerms::Parametric {
                    index, threshold, ..
                } => (index, threshold),
                PolicyTerms::Indemnity { .. } => (arch.serves, 1.0),
            };
            let mut limit = AnnualLimit::new(policy.annual_limit);
            let mut year = PolicyYear::default();
            for iv in timelines.outages_below(component, threshold, self.horizon) {
                let d = iv.len();
                let gross = match policy.terms {
                    PolicyTerms::Parametric {
                        waiting_hours,
                        franchise,
                        pay_per_hour,
                        max_hours_per_event,
                        ..
                    } => parametric_payout(
                        d,
                        waiting_hours,
                        franchise,
                        pay_per_hour,
                        max_hours_per_event,
                        policy.event_limit,
                    ),
                    PolicyTerms::Indemnity { deductible, share } => indemnity_payout(
                        arch.loss.map_or(0.0, |l| l.of_outage(d)),
                        deductible,
                        share,
                        policy.event_limit,
                    ),
                };
                let paid = limit.pay(gross);
                if let PolicyTerms::Parametric { .. } = policy.terms {
                    let lost = insured_lost_during(
                        iv.start,
                        iv.end,
                        timelines.outages_in_period(arch.serves, self.horizon),
                        |d| arch.loss.map_or(0.0, |l| l.of_outage(d)),
                    );
                    if !lost {
                        year.no_need_outages += 1;
                        year.no_need_paid += u32::from(paid > 0.0);
                    }
                }
                if paid <= 0.0 {
                    continue;
                }
                year.payout += paid;
                year.events_paid += 1;
                year.max_event = year.max_event.max(paid);
                if self.record_events {
                    chunk.events.push(PaidEvent {
                        trial,
                        policy: i as u32,
                        start_hours: iv.start,
                        duration_hours: d,
                        payout: paid,
                    });
                }
                if let Some(k) = self.portfolio_of[i] {
                    chunk.pieces[k].push(Piece {
                        start: iv.start,
                        end: iv.end,
                        payout: paid,
                        policy: i as u32,
                    });
                }
            }
            if limit.exhausted {
                year.exhausted = true;
                year.payout = policy.annual_limit;
            }
            chunk.years.push(year);
        }
        for k in 0..self.portfolios {
            self.join_portfolio(chunk, trial, k);
        }
    }
}

/// Every policy's payouts per trial, trial-major, and the paid events.
#[derive(Debug, Clone, Default)]
pub struct PayoutTable {
    pub policies: usize,
    pub portfolios: usize,
    /// [`event_exposure`] of each policy.
    pub exposure: Vec<f64>,
    /// `years[trial * policies + p]`.
    pub years: Vec<PolicyYear>,
    /// Largest portfolio event per trial: `portfolio_max[trial * portfolios + k]`.
    pub portfolio_max: Vec<f64>,
    /// Paid events in trial, policy, start order (empty unless recorded).
    pub events: Vec<PaidEvent>,
    /// Portfolio events in trial, portfolio, start order (empty unless recorded).
    pub portfolio_events: Vec<PortfolioEvent>,
}

impl PayoutTable {
    /// Policy `p`'s years, in trial order.
    pub fn of(&self, p: usize) -> impl Iterator<Item = &PolicyYear> + '_ {
        self.years.iter().skip(p).step_by(self.policies.max(1))
    }

    /// Portfolio `k`'s largest event per trial, in trial order.
    pub fn portfolio_max_of(&self, k: usize) -> impl Iterator<Item = f64> + '_ {
        self.portfolio_max
            .iter()
            .skip(k)
            .step_by(self.portfolios.max(1))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parametric_terms() {
        let inf = f64::INFINITY;
        // 10 h outage, 8 h waiting: 2 paid hours.
        assert_eq!(parametric_payout(10.0, 8.0, false, 100.0, inf, inf), 200.0);
        // Franchise: once past the waiting period, all 10 hours.
        assert_eq!(parametric_payout(10.0, 8.0, true, 100.0, inf, inf), 1000.0);
        // Not past it: nothing, also with a franchise; exactly at it: nothing.
        assert_eq!(parametric_payout(7.0, 8.0, true, 100.0, inf, inf), 0.0);
        assert_eq!(parametric_payout(8.0, 8.0, true, 100.0, inf, inf), 0.0);
        // Hour cap, then the event limit.
        assert_eq!(
            parametric_payout(40.0, 8.0, false, 100.0, 24.0, inf),
            2400.0
        );
        assert_eq!(
            parametric_payout(40.0, 8.0, false, 100.0, 24.0, 1500.0),
            1500.0
        );
    }

    #[test]
    fn indemnity_terms() {
        assert_eq!(indemnity_payout(1000.0, 250.0, 0.8, f64::INFINITY), 600.0);
        assert_eq!(indemnity_payout(1000.0, 250.0, 0.8, 500.0), 400.0);
        assert_eq!(indemnity_payout(100.0, 250.0, 0.8, 500.0), 0.0);
    }

    #[test]
    fn insured_loss_during_an_index_outage() {
        use crate::timeline::Interval;
        let own = [Interval::new(1.0, 2.0), Interval::new(5.0, 5.01)];
        let loss = |d: f64| if d > 0.1 { 100.0 * d } else { 0.0 };
        // Overlaps the first outage, which costs something.
        assert!(insured_lost_during(1.5, 3.0, own.iter(), loss));
        // Touching is not overlapping; the second outage is within the grace.
        assert!(!insured_lost_during(2.0, 4.0, own.iter(), loss));
        assert!(!insured_lost_during(4.0, 6.0, own.iter(), loss));
        assert!(!insured_lost_during(0.0, 1.0, own.iter(), loss));
    }

    #[test]
    fn annual_limit_in_order() {
        let mut l = AnnualLimit::new(25.0);
        assert_eq!(
            [l.pay(10.0), l.pay(10.0), l.pay(10.0), l.pay(10.0)],
            [10.0, 10.0, 5.0, 0.0]
        );
        assert!(l.exhausted);
        let mut l = AnnualLimit::new(f64::INFINITY);
        assert_eq!(l.pay(1e12), 1e12);
        assert!(!l.exhausted);
    }
}
