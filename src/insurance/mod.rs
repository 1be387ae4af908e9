//! Insurance pricing on the simulated outages, in the insurance industry's
//! terms: policy payouts collected during the one simulation pass
//! ([`payout`]), premiums ([`pricing`]), exceedance-probability curves, PML and
//! TVaR ([`ep`]), per-policy figures and basis risk ([`policies`]), the
//! "backup or cover" decision table ([`decision`]), portfolio aggregation
//! ([`portfolio`]) and the Open Results Data figures ([`ord`]). An
//! importance-sampled run's trials carry their likelihood ratios, and every
//! figure here is weighted by them ([`weighing`]; the ORD files with period
//! weights: [`period_weights`]). Reports write the results; formulas are in
//! docs/insurance.md.

pub mod accumulation;
pub mod allocation;
pub mod book_readback;
pub mod decision;
pub mod ep;
pub mod events;
pub mod figures;
pub mod observer;
pub mod ord;
pub mod payout;
pub mod period_weights;
pub mod policies;
pub mod portfolio;
pub mod premiums;
pub mod pricing;
pub mod rds;
pub mod readback;
pub mod treaties;
pub mod treaty;
pub mod treaty_readback;
pub mod weighing;

use crate::engine::{self, RunOptions, Simulation};
use crate::model::{Model, Settings};
use decision::Decision;
use ep::EpCurve;
use ord::{Ord, OrdSummary, SummaryKind};
use payout::{PayoutObserver, PayoutTable};
use policies::PolicySummary;
use portfolio::{PortfolioSummary, Portfolios};
use weighing::{Curve, Weights};

/// What to compute beyond the policies.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// Compute the ORD tables also when the scenario has no policies.
    pub ord: bool,
    /// Keep every paid event (for the `*_splt.csv` tables) and per-trial rows.
    pub per_trial: bool,
}

/// Everything the insurance reports show about one run.
#[derive(Debug, Clone)]
pub struct Insurance {
    pub trials: u64,
    pub policy_ids: Vec<String>,
    pub policies: Vec<PolicySummary>,
    pub decisions: Vec<Decision>,
    pub portfolios: Vec<PortfolioSummary>,
    /// Per portfolio, its total payout per trial (in trial order).
    pub portfolio_totals: Vec<Vec<f64>>,
    /// Every policy under each principle it is priced under (`premiums.csv`).
    pub premiums: Vec<premiums::PremiumRow>,
    /// Co-TVaR allocation of each portfolio's TVaR 99.5% to its policies
    /// (`portfolio_allocation.csv`).
    pub allocations: Vec<allocation::Allocation>,
    /// Per portfolio, its exposure by provider, component, jurisdiction,
    /// cause and sector (`accumulation.csv`).
    pub accumulation: Vec<accumulation::Row>,
    /// Per portfolio and principle (`portfolio_premiums.csv`).
    pub portfolio_premiums: Vec<premiums::PortfolioPremiumRow>,
    pub table: PayoutTable,
    pub ord: Ord,
    pub per_trial: bool,
    /// The treaties' figures and the `ri` perspective, when the scenario has treaties.
    pub treaties: Option<treaties::TreatyResults>,
}

impl Insurance {
    pub fn has_policies(&self) -> bool {
        !self.policy_ids.is_empty()
    }
}

/// Simulates the scenario once; with policies, collects their payouts on the
/// way (no second pass over the world). Returns `None` for the insurance
/// results when there are no policies and `opts.ord` is off.
pub fn run(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    opts: Options,
) -> (Simulation, Option<Insurance>) {
    if model.policies.is_empty() && !(opts.ord && opts.per_trial) {
        let sim = engine::simulate(model, settings, options);
        if !opts.ord {
            return (sim, None);
        }
        let ins = analyze(
            model,
            &sim,
            PayoutTable::default(),
            &Portfolios::default(),
            opts.per_trial,
        );
        return (sim, Some(ins));
    }
    // With policies, or for the ground-up event table of `--ord`.
    let (portfolios, observer) = payout_observer(model, settings, opts);
    let (sim, chunks) = engine::simulate_observed(model, settings, options, &observer);
    let table = observer.merge(chunks);
    let ins = analyze(model, &sim, table, &portfolios, opts.per_trial);
    (sim, Some(ins))
}

/// The scenario's portfolios and the observer that collects its policies'
/// payouts during the simulation pass (also of a tilted one, `run --tilt`).
pub fn payout_observer<'m>(
    model: &'m Model,
    settings: &Settings,
    opts: Options,
) -> (Portfolios, PayoutObserver<'m>) {
    let portfolios = Portfolios::of_model(model);
    let observer = PayoutObserver::new(
        model,
        settings.horizon_hours,
        portfolios.of.clone(),
        portfolios.names.len(),
        // Treaties need every paid event.
        opts.per_trial || !model.treaties.is_empty(),
    );
    (portfolios, observer)
}

/// Largest single outage loss per trial of each architecture with a loss.
fn architecture_occurrence(model: &Model, sim: &Simulation) -> Vec<Option<Vec<f64>>> {
    model
        .architectures
        .iter()
        .enumerate()
        .map(|(a, arch)| {
            arch.loss
                .map(|_| sim.of(a).map(|o| o.largest_outage_loss).collect())
        })
        .collect()
}

/// `Some(x)` for a finite amount, `None` for an unlimited one.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One ORD summary ([`ord::summary`]), or with weights its period-weighted
/// figures ([`period_weights::summary`]).
pub(crate) fn ord_summary(
    (summary_id, kind, id, tiv): (u32, SummaryKind, &str, Option<f64>),
    annual: &[f64],
    curve: &Curve,
    occurrence: &[f64],
    w: Weights,
) -> OrdSummary {
    match (curve, w) {
        (Curve::Plain(aep), _) => ord::summary(summary_id, kind, id, tiv, annual, aep, occurrence),
        (Curve::Weighted(_), w) => period_weights::summary(
            summary_id,
            kind,
            id,
            tiv,
            annual,
            occurrence,
            w.unwrap_or_default(),
        ),
    }
}

/// Computes every insurance figure from the simulation and the payout table.
pub fn analyze(
    model: &Model,
    sim: &Simulation,
    table: PayoutTable,
    portfolios: &Portfolios,
    per_trial: bool,
) -> Insurance {
    let n = sim.settings.trials as usize;
    let w: Weights = sim.importance.as_ref().map(|i| &i.weights[..]);
    let mut ord = Ord {
        periods: sim.settings.trials,
        ..Ord::default()
    };
    // SummaryIds count from 1 within each summary set.
    let mut next_id = 1u32;
    for (a, (arch, occ)) in model
        .architectures
        .iter()
        .zip(architecture_occurrence(model, sim))
        .enumerate()
    {
        match occ {
            Some(occ) => {
                let annual: Vec<f64> = sim.of(a).map(|o| o.loss).collect();
                // An importance-sampled run's periods carry their likelihood ratios.
                ord.summaries.push(match &sim.importance {
                    Some(imp) => period_weights::summary(
                        next_id,
                        SummaryKind::Architecture,
                        &arch.id,
                        None,
                        &annual,
                        &occ,
                        &imp.weights,
                    ),
                    None => ord::summary(
                        next_id,
                        SummaryKind::Architecture,
                        &arch.id,
                        None,
                        &annual,
                        &EpCurve::new(annual.iter().copied()),
                        &occ,
                    ),
                });
                ord.architecture_summary.push(Some(next_id));
                next_id += 1;
            }
            None => ord.architecture_summary.push(None),
        }
    }
    let mut summaries = Vec::with_capacity(model.policies.len());
    let mut premium_rows = Vec::new();
    for (p, policy) in model.policies.iter().enumerate() {
        let payouts: Vec<f64> = table.of(p).map(|y| y.payout).collect();
        let occ: Vec<f64> = table.of(p).map(|y| y.max_event).collect();
        let aep = Curve::new(&payouts, w);
        let moments = weighing::mean(&payouts, w).moments;
        premium_rows.extend(premiums::policy_rows(model, p, &moments, &aep));
        summaries.push(policies::summarize(model, p, sim, &table, &payouts, &aep));
        ord.summaries.push(ord_summary(
            (
                p as u32 + 1,
                SummaryKind::Policy,
                &policy.id,
                finite(policy.annual_limit),
            ),
            &payouts,
            &aep,
            &occ,
            w,
        ));
        ord.policy_summary.push(p as u32 + 1);
    }
    let mut totals = Vec::with_capacity(portfolios.names.len());
    let mut portfolio_rows = Vec::with_capacity(portfolios.names.len());
    let mut portfolio_premiums = Vec::new();
    let mut allocations = Vec::new();
    let mut accumulation = Vec::new();
    for (k, (name, members)) in portfolios.names.iter().zip(&portfolios.members).enumerate() {
        let total: Vec<f64> = (0..n)
            .map(|t| {
                let row = &table.years[t * table.policies..(t + 1) * table.policies];
                portfolio::trial_total(members, |p| row[p].payout)
            })
            .collect();
        let occ: Vec<f64> = table.portfolio_max_of(k).collect();
        let aep = Curve::new(&total, w);
        portfolio_rows.push(portfolio::summarize(
            name, members, &total, &aep, &summaries, w,
        ));
        let member_payouts: Vec<Vec<f64>> = members
            .iter()
            .map(|&p| table.of(p).map(|y| y.payout).collect())
            .collect();
        let ids: Vec<(String, f64)> = members
            .iter()
            .map(|&p| (model.policies[p].id.clone(), summaries[p].expected_payout))
            .collect();
        let tvar = portfolio_rows.last().map_or(0.0, |r| r.tvar995);
        allocations.extend(allocation::rows(
            name,
            &ids,
            &member_payouts,
            &total,
            tvar,
            w,
        ));
        let mine = &allocations[allocations.len() - members.len()..];
        accumulation.extend(accumulation::rows(
            model,
            name,
            members,
            &mine.iter().map(|a| a.expected_payout).collect::<Vec<_>>(),
            &mine.iter().map(|a| a.co_tvar995).collect::<Vec<_>>(),
            tvar,
        ));
        drop(member_payouts);
        portfolio_premiums.extend(premiums::portfolio_rows(
            model,
            name,
            members,
            |p| table.of(p).map(|y| y.payout).collect(),
            &total,
            w,
        ));
        ord.summaries.push(ord_summary(
            (
                k as u32 + 1,
                SummaryKind::Portfolio,
                name,
                members.iter().try_fold(0.0, |s, &p| {
                    finite(model.policies[p].annual_limit).map(|l| s + l)
                }),
            ),
            &total,
            &aep,
            &occ,
            w,
        ));
        ord.portfolio_summary.push(k as u32 + 1);
        totals.push(total);
    }
    let treaties =
        (!model.treaties.is_empty()).then(|| treaties::analyze(model, &table, n, &mut ord, w));
    Insurance {
        treaties,
        trials: sim.settings.trials,
        policy_ids: model.policies.iter().map(|p| p.id.clone()).collect(),
        decisions: decision::decisions(model, sim, &summaries),
        policies: summaries,
        portfolios: portfolio_rows,
        portfolio_totals: totals,
        premiums: premium_rows,
        allocations,
        accumulation,
        portfolio_premiums,
        table,
        ord,
        per_trial,
    }
}
