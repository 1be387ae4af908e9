//! Policy payout terms (parametric and indemnity, the annual limit) and the
//! table of payouts a run collects ([`PayoutTable`]; the collecting is done
//! by [`super::observer`]). Per-event payouts are capped by the annual limit
//! in outage start order; a payout belongs to the trial in which its outage
//! starts.

use crate::model::{Policy, PolicyTerms};

pub use super::observer::{GulEvent, PaidEvent, PayoutChunk, PayoutObserver, PortfolioEvent};

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
    /// Largest payout of one event (its payouts summed, after the annual
    /// limit): the occurrence loss (`super::events`).
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
    /// Largest event of the whole book (every policy) per trial.
    pub book_max: Vec<f64>,
    /// Paid outages in trial, policy, start order (empty unless recorded),
    /// each with its `event_id`.
    pub events: Vec<PaidEvent>,
    /// Portfolio events in trial, portfolio, event order (empty unless recorded).
    pub portfolio_events: Vec<PortfolioEvent>,
    /// The insured architectures' own outages with a loss, in trial,
    /// architecture, start order, with their `event_id` (empty unless recorded).
    pub gul_events: Vec<GulEvent>,
    /// How many events were numbered (`event_id`s run from 1 to this).
    pub events_numbered: u64,
}

impl PayoutTable {
    /// Appends the rows of the trials that follow this table's (a chunk's
    /// or a shard's), adding `offset` to their EventIds so that the numbering
    /// continues this table's.
    pub fn append(&mut self, next: PayoutTable, offset: u64) {
        self.years.extend(next.years);
        self.portfolio_max.extend(next.portfolio_max);
        self.book_max.extend(next.book_max);
        let renumber = |id: u64| id + offset;
        self.events
            .extend(next.events.into_iter().map(|e| PaidEvent {
                event_id: renumber(e.event_id),
                ..e
            }));
        self.portfolio_events
            .extend(next.portfolio_events.into_iter().map(|e| PortfolioEvent {
                event_id: renumber(e.event_id),
                ..e
            }));
        self.gul_events
            .extend(next.gul_events.into_iter().map(|e| GulEvent {
                event_id: renumber(e.event_id),
                ..e
            }));
        self.events_numbered += next.events_numbered;
    }

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
