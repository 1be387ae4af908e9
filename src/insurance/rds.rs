//! Realistic disaster scenarios (RDS): each named drill (`[[drill]]`, or
//! `--cause`) applied to the book of policies. The drill's forced outages
//! alone (everything else up) give every policy's payout under its own terms
//! ([`super::observer`], the same code as a run), the book's gross loss (the
//! sum), its net loss after treaties ([`net_of_treaties`]), and where the
//! gross sits on the book's occurrence (OEP) and aggregate (AEP) curves of a
//! simulated run: the share of trials whose largest event (OEP), or whose
//! total (AEP), is at least as large, with its Wilson 95% interval, and the
//! return period 1/p. See docs/insurance.md §14.

use super::observer::PayoutObserver;
use super::payout::PayoutTable;
use super::portfolio::Portfolios;
use crate::engine::Observer;
use crate::evaluate::{Counterfactual, Timelines};
use crate::model::{Model, PolicyTerms};
use crate::stats::Z_95;
use crate::world::{Forced, World};

/// One policy's payout in one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct RdsPolicy {
    pub policy: String,
    pub kind: &'static str,
    pub insured: String,
    pub index: Option<String>,
    pub portfolio: Option<String>,
    pub payout: f64,
    /// Its outages that paid.
    pub outages_paid: u32,
}

/// How often a simulated trial is at least as bad as the scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exceedance {
    /// Trials at least as bad, of `trials`.
    pub count: u64,
    pub trials: u64,
    pub probability: f64,
    /// Wilson score 95% interval of the probability.
    pub probability_low: f64,
    pub probability_high: f64,
}

impl Exceedance {
    /// `count` of `trials` at least as bad.
    pub fn new(count: u64, trials: u64) -> Self {
        let (lo, hi) = wilson(count, trials, Z_95);
        Exceedance {
            count,
            trials,
            probability: count as f64 / trials.max(1) as f64,
            probability_low: lo,
            probability_high: hi,
        }
    }

    /// 1/p, and its interval 1/p_high .. 1/p_low (`None`: infinite, no
    /// trial was as bad).
    pub fn return_period(&self) -> (Option<f64>, Option<f64>, Option<f64>) {
        let inv = |p: f64| (p > 0.0).then(|| 1.0 / p);
        (
            inv(self.probability),
            inv(self.probability_high),
            inv(self.probability_low),
        )
    }
}

/// The Wilson score interval of a binomial proportion k/n at `z`.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // The ends are exact at k = 0 and k = n (the formula gives them up to rounding).
    (
        if k == 0.0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        if k == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    )
}

/// One scenario applied to the book.
#[derive(Debug, Clone, PartialEq)]
pub struct Rds {
    pub drill: String,
    pub description: Option<String>,
    pub hours: f64,
    pub policies: Vec<RdsPolicy>,
    /// Sum of the policies' payouts.
    pub gross: f64,
    /// After the book's treaties (`None` until treaties exist).
    pub net: Option<f64>,
    /// Trials of the run the curves come from (`None` without a run).
    pub trials: Option<u64>,
    /// Where the gross sits among the run's largest events per trial.
    pub oep: Option<Exceedance>,
    /// Where it sits among the run's annual totals.
    pub aep: Option<Exceedance>,
}

/// The book's loss net of its reinsurance treaties, from the scenario's
/// payout table (its `events` carry their `event_id`s). `None` while the
/// scenario has no treaties: the `ri` perspective fills this in.
pub fn net_of_treaties(_model: &Model, _table: &PayoutTable) -> Option<f64> {
    None
}

/// The payout table of a world holding only `forced` (one trial, every
/// paid outage recorded with its event).
pub fn payouts(model: &Model, forced: &[Forced], horizon: f64) -> PayoutTable {
    let portfolios = Portfolios::of_model(model);
    let observer = PayoutObserver::new(
        model,
        horizon,
        portfolios.of.clone(),
        portfolios.names.len(),
        true,
    );
    let world = World::forced_only(model, forced);
    let mut timelines = Timelines::new(model);
    timelines.compute(model, &world, Counterfactual::None);
    let mut chunk = observer.start_chunk();
    observer.trial(&mut chunk, 0, &world, &timelines, &[]);
    observer.merge(vec![chunk])
}

/// The book's largest event and total per trial of a run's payout table.
pub fn book_curves(table: &PayoutTable) -> (Vec<f64>, Vec<f64>) {
    let p = table.policies.max(1);
    let totals = table
        .years
        .chunks(p)
        .map(|row| row.iter().fold(0.0, |s, y| s + y.payout))
        .collect();
    (table.book_max.clone(), totals)
}

/// The trials of `per_trial` at least as bad as `loss` (`None` for no loss:
/// every trial is).
pub fn exceedance(per_trial: &[f64], loss: f64) -> Option<Exceedance> {
    (loss > 0.0).then(|| {
        let count = per_trial.iter().filter(|&&x| x >= loss).count() as u64;
        Exceedance::new(count, per_trial.len() as u64)
    })
}

/// Applies one drill's forced outages to the book; `curves` are the run's
/// [`book_curves`] (`None` without a run).
pub fn scenario(
    model: &Model,
    drill: &crate::model::Drill,
    forced: &[Forced],
    horizon: f64,
    curves: Option<&(Vec<f64>, Vec<f64>)>,
) -> Rds {
    let table = payouts(model, forced, horizon);
    let policies: Vec<RdsPolicy> = model
        .policies
        .iter()
        .zip(&table.years)
        .map(|(p, y)| RdsPolicy {
            policy: p.id.clone(),
            kind: p.kind(),
            insured: model.architectures[p.insured].id.clone(),
            index: match &p.terms {
                PolicyTerms::Parametric { index_id, .. } => Some(index_id.clone()),
                PolicyTerms::Indemnity { .. } => None,
            },
            portfolio: p.portfolio.clone(),
            payout: y.payout,
            outages_paid: y.events_paid,
        })
        .collect();
    let gross = policies.iter().fold(0.0, |s, p| s + p.payout);
    Rds {
        drill: drill.id.clone(),
        description: drill.description.clone(),
        hours: drill.hours,
        net: net_of_treaties(model, &table),
        trials: curves.map(|(oep, _)| oep.len() as u64),
        oep: curves.and_then(|(oep, _)| exceedance(oep, gross)),
        aep: curves.and_then(|(_, aep)| exceedance(aep, gross)),
        policies,
        gross,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_by_hand() {
        // k = 0: [0, z²/(n + z²)].
        let (lo, hi) = wilson(0, 100, Z_95);
        assert_eq!(lo, 0.0);
        assert!((hi - Z_95 * Z_95 / (100.0 + Z_95 * Z_95)).abs() < 1e-12);
        // Symmetric about 1/2 for k = n/2, and contains it.
        let (lo, hi) = wilson(50, 100, Z_95);
        assert!((lo + hi - 1.0).abs() < 1e-12 && lo < 0.5 && hi > 0.5);
        assert_eq!(wilson(10, 10, Z_95).1, 1.0);
    }

    #[test]
    fn exceedance_counts_trials_at_least_as_bad() {
        let e = exceedance(&[0.0, 5.0, 10.0, 20.0], 10.0).unwrap();
        assert_eq!((e.count, e.trials, e.probability), (2, 4, 0.5));
        assert_eq!(e.return_period().0, Some(2.0));
        assert_eq!(exceedance(&[1.0], 0.0), None);
        let none = exceedance(&[1.0, 2.0], 5.0).unwrap();
        assert_eq!(none.return_period().0, None);
        assert!(none.return_period().2.is_none() && none.return_period().1.is_some());
    }
}
