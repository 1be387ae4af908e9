//! Portfolios: the policies that carry the same `portfolio` name. All insureds
//! share one sampled world per trial, so a portfolio's annual payout is the sum
//! of its policies' payouts trial by trial, and its tail shows how much the
//! insureds' common dependencies (clouds, DNS, CDN, identity) aggregate.
//! An importance-sampled run's figures are weighted ([`super::weighing`]).

use super::policies::{PolicySummary, PORTFOLIO_TVAR_LEVEL};
use super::weighing::{self, Curve, Weights};
use crate::model::Model;

/// The return periods of the probable maximum losses reported.
pub const PML_RETURN_PERIODS: [f64; 3] = [100.0, 200.0, 250.0];

/// Portfolio names in order of first appearance, and their policies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Portfolios {
    pub names: Vec<String>,
    /// Policy indices of each portfolio, in file order.
    pub members: Vec<Vec<usize>>,
    /// The portfolio of each policy.
    pub of: Vec<Option<usize>>,
}

impl Portfolios {
    pub fn of_model(model: &Model) -> Self {
        let mut out = Portfolios::default();
        for (i, p) in model.policies.iter().enumerate() {
            let k =
                p.portfolio
                    .as_ref()
                    .map(|name| match out.names.iter().position(|n| n == name) {
                        Some(k) => k,
                        None => {
                            out.names.push(name.clone());
                            out.members.push(Vec::new());
                            out.names.len() - 1
                        }
                    });
            if let Some(k) = k {
                out.members[k].push(i);
            }
            out.of.push(k);
        }
        out
    }
}

/// One row of `portfolios.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioSummary {
    pub portfolio: String,
    pub policies: usize,
    pub expected_payout: f64,
    pub expected_payout_ci_low: f64,
    pub expected_payout_ci_high: f64,
    pub sd_payout: f64,
    /// AEP loss at 1-in-100, 1-in-200 and 1-in-250 years (`None` where the trials do not reach).
    pub pml: [Option<f64>; 3],
    pub tvar995: f64,
    pub standalone_tvar995_sum: f64,
    /// Sum of stand-alone TVaRs over the portfolio's TVaR (`None` when that is 0).
    pub diversification_ratio: Option<f64>,
}

/// A portfolio's total payout in one trial: its members' payouts summed in
/// member order (the one summation both the run and `fateshare report` use).
pub fn trial_total(members: &[usize], payout: impl Fn(usize) -> f64) -> f64 {
    members.iter().fold(0.0, |s, &p| s + payout(p))
}

/// Sum of stand-alone TVaRs divided by the portfolio's TVaR.
pub fn diversification_ratio(standalone_sum: f64, portfolio: f64) -> Option<f64> {
    (portfolio > 0.0).then(|| standalone_sum / portfolio)
}

/// Summarizes one portfolio from its per-trial totals and their curve
/// (with the trials' weights `w` of an importance-sampled run).
pub fn summarize(
    name: &str,
    members: &[usize],
    totals: &[f64],
    curve: &Curve,
    policies: &[PolicySummary],
    w: Weights,
) -> PortfolioSummary {
    let mean = weighing::mean(totals, w);
    let (m, lo, hi) = (mean.moments, mean.lo, mean.hi);
    let tvar = curve.tvar(PORTFOLIO_TVAR_LEVEL);
    let standalone: f64 = members.iter().map(|&p| policies[p].payout_tvar995).sum();
    PortfolioSummary {
        portfolio: name.to_string(),
        policies: members.len(),
        expected_payout: m.mean,
        expected_payout_ci_low: lo.max(0.0),
        expected_payout_ci_high: hi,
        sd_payout: m.sd,
        pml: PML_RETURN_PERIODS.map(|rp| curve.loss_at(rp)),
        tvar995: tvar,
        standalone_tvar995_sum: standalone,
        diversification_ratio: diversification_ratio(standalone, tvar),
    }
}
