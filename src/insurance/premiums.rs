//! One cover priced under several principles at once: the premium it is
//! charged (`pricing`) and those it is compared under (`compare_pricing`),
//! from the same simulated payouts; and per portfolio, each of those
//! principles applied to the portfolio's total payout against the sum of its
//! policies' stand-alone premiums (the diversification credit a portfolio
//! price can give). Written as `premiums.csv` and `portfolio_premiums.csv`;
//! an importance-sampled run's are priced on weighted figures
//! ([`super::weighing`]).

use super::pricing::{self, Premium};
use super::weighing::{self, Curve, Weights};
use crate::model::{Model, Pricing};
use crate::stats::Moments;

/// One `premiums.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct PremiumRow {
    pub policy: String,
    /// Whether this is the premium charged (the policy's `pricing`).
    pub charged: bool,
    pub pricing: Pricing,
    pub premium: Premium,
    /// E[X] / premium; `None` when the premium is 0.
    pub loss_ratio: Option<f64>,
}

/// One `portfolio_premiums.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioPremiumRow {
    pub portfolio: String,
    pub pricing: Pricing,
    /// The principle applied to the portfolio's annual total payout.
    pub portfolio_premium: Premium,
    /// Σ over its policies of the principle applied to each one's payouts.
    pub standalone_sum: Premium,
}

impl PortfolioPremiumRow {
    /// 1 − portfolio premium / Σ stand-alone premiums (gross); `None` when the sum is 0.
    pub fn diversification_credit(&self) -> Option<f64> {
        (self.standalone_sum.gross > 0.0)
            .then(|| 1.0 - self.portfolio_premium.gross / self.standalone_sum.gross)
    }
}

/// The principles policy `p` is priced under: the charged one first.
pub fn principles(model: &Model, p: usize) -> impl Iterator<Item = (bool, &Pricing)> + '_ {
    let policy = &model.policies[p];
    std::iter::once((true, &policy.pricing))
        .chain(policy.compare_pricing.iter().map(|c| (false, c)))
}

/// The rows of policy `p`, from its annual payouts' moments and curve.
pub fn policy_rows(model: &Model, p: usize, m: &Moments, curve: &Curve) -> Vec<PremiumRow> {
    principles(model, p)
        .map(|(charged, pr)| {
            let premium = pricing::premium(pr, m, curve);
            PremiumRow {
                policy: model.policies[p].id.clone(),
                charged,
                pricing: *pr,
                premium,
                loss_ratio: (premium.gross > 0.0).then(|| m.mean / premium.gross),
            }
        })
        .collect()
}

/// The rows of one portfolio: every distinct principle its members are
/// priced under (in member order), applied to the total and to each member
/// (whose annual payouts `payouts(p)` gives, in trial order), with the
/// trials' weights `w` of an importance-sampled run.
pub fn portfolio_rows(
    model: &Model,
    name: &str,
    members: &[usize],
    payouts: impl Fn(usize) -> Vec<f64>,
    total: &[f64],
    w: Weights,
) -> Vec<PortfolioPremiumRow> {
    let mut seen: Vec<Pricing> = Vec::new();
    for &p in members {
        for (_, pr) in principles(model, p) {
            if !seen.contains(pr) {
                seen.push(*pr);
            }
        }
    }
    let mut sums = vec![(0.0, 0.0); seen.len()];
    for &p in members {
        let x = payouts(p);
        let (m, curve) = (weighing::mean(&x, w).moments, Curve::new(&x, w));
        for (sum, pr) in sums.iter_mut().zip(&seen) {
            let q = pricing::premium(pr, &m, &curve);
            *sum = (sum.0 + q.risk, sum.1 + q.gross);
        }
    }
    let m = weighing::mean(total, w).moments;
    let curve = Curve::new(total, w);
    seen.into_iter()
        .zip(sums)
        .map(|(pr, (risk, gross))| PortfolioPremiumRow {
            portfolio: name.to_string(),
            pricing: pr,
            portfolio_premium: pricing::premium(&pr, &m, &curve),
            standalone_sum: Premium { risk, gross },
        })
        .collect()
}
