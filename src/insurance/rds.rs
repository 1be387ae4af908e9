//! Realistic disaster scenarios (RDS): each named drill (`[[drill]]`, or
//! `--cause`) applied to the book of policies. The drill's forced outages
//! alone (everything else up) give every policy's payout under its own terms
//! ([`super::observer`], the same code as a run), the book's gross loss (the
//! sum), what each treaty cedes and the net loss after them, the scenario
//! taken as one event ([`net_of_treaties`]), and where the gross sits on the
//! book's occurrence (OEP) and aggregate (AEP) curves of a simulated run, and
//! the net on the net OEP curve: the share of trials whose largest event (OEP),
//! or whose total (AEP), is at least as large, with its Wilson 95% interval,
//! and the return period 1/p. See docs/insurance.md §14.

use super::observer::PayoutObserver;
use super::payout::PayoutTable;
use super::portfolio::Portfolios;
use super::treaty;
use super::Insurance;
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
    /// What it retains after the treaties (`None` without treaties).
    pub net: Option<f64>,
    /// Its outages that paid.
    pub outages_paid: u32,
}

/// What one treaty cedes in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Ceded {
    pub treaty: String,
    pub ceded: f64,
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
    /// What each treaty cedes, in inuring (file) order.
    pub ceded: Vec<Ceded>,
    /// After the book's treaties (`None` without treaties).
    pub net: Option<f64>,
    /// Trials of the run the curves come from (`None` without a run).
    pub trials: Option<u64>,
    /// Where the gross sits among the run's largest events per trial.
    pub oep: Option<Exceedance>,
    /// Where it sits among the run's annual totals.
    pub aep: Option<Exceedance>,
    /// Where the net sits among the run's largest net events per trial.
    pub net_oep: Option<Exceedance>,
}

/// The treaties' effect on a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct TreatyNet {
    /// Ceded by each treaty, in inuring order.
    pub ceded: Vec<f64>,
    /// What each policy retains.
    pub policy_net: Vec<f64>,
    /// The book's net loss: the sum of `policy_net`.
    pub net: f64,
}

/// The book's loss net of its reinsurance treaties in a scenario: every
/// policy's payout of the scenario's payout table (`years`, one trial) as
/// one event of each treaty ([`treaty::one_event`]: a scenario that forces
/// several causes is one event, aggregates untouched). `None` without treaties.
pub fn net_of_treaties(model: &Model, table: &PayoutTable) -> Option<TreatyNet> {
    if model.treaties.is_empty() {
        return None;
    }
    let payouts: Vec<(usize, f64)> = table
        .years
        .iter()
        .enumerate()
        .map(|(p, y)| (p, y.payout))
        .collect();
    let (ceded, nets) = treaty::one_event(&model.treaties, model.policies.len(), &payouts);
    let mut policy_net = vec![0.0; model.policies.len()];
    for (&(p, _), n) in payouts.iter().zip(nets) {
        policy_net[p] += n;
    }
    Some(TreatyNet {
        net: policy_net.iter().sum(),
        ceded,
        policy_net,
    })
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

/// The book's curves from a run, per trial.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BookCurves {
    /// The largest event (gross).
    pub oep: Vec<f64>,
    /// The total (gross).
    pub aep: Vec<f64>,
    /// The largest event net of treaties (`None` without treaties).
    pub net_oep: Option<Vec<f64>>,
}

/// The book's largest event and total per trial of a run, and its largest
/// net event when it has treaties.
pub fn book_curves(ins: &Insurance) -> BookCurves {
    let table = &ins.table;
    let p = table.policies.max(1);
    let aep = table
        .years
        .chunks(p)
        .map(|row| row.iter().fold(0.0, |s, y| s + y.payout))
        .collect();
    BookCurves {
        oep: table.book_max.clone(),
        aep,
        net_oep: ins
            .treaties
            .as_ref()
            .map(|t| t.book_max.iter().map(|b| b[2]).collect()),
    }
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
    curves: Option<&BookCurves>,
) -> Rds {
    let table = payouts(model, forced, horizon);
    let net = net_of_treaties(model, &table);
    let policies: Vec<RdsPolicy> = model
        .policies
        .iter()
        .zip(&table.years)
        .enumerate()
        .map(|(i, (p, y))| RdsPolicy {
            policy: p.id.clone(),
            kind: p.kind(),
            insured: model.architectures[p.insured].id.clone(),
            index: match &p.terms {
                PolicyTerms::Parametric { index_id, .. } => Some(index_id.clone()),
                PolicyTerms::Indemnity { .. } => None,
            },
            portfolio: p.portfolio.clone(),
            payout: y.payout,
            net: net.as_ref().map(|n| n.policy_net[i]),
            outages_paid: y.events_paid,
        })
        .collect();
    let gross = policies.iter().fold(0.0, |s, p| s + p.payout);
    Rds {
        drill: drill.id.clone(),
        description: drill.description.clone(),
        hours: drill.hours,
        ceded: model
            .treaties
            .iter()
            .zip(net.as_ref().map_or(&[][..], |n| &n.ceded[..]))
            .map(|(t, &c)| Ceded {
                treaty: t.id.clone(),
                ceded: c,
            })
            .collect(),
        net: net.as_ref().map(|n| n.net),
        trials: curves.map(|c| c.oep.len() as u64),
        oep: curves.and_then(|c| exceedance(&c.oep, gross)),
        aep: curves.and_then(|c| exceedance(&c.aep, gross)),
        net_oep: curves.and_then(|c| {
            let n = net.as_ref()?.net;
            exceedance(c.net_oep.as_ref()?, n)
        }),
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
