//! Per-policy figures from the payout table and the insured architecture's
//! per-trial losses: expected payout (pure premium) with its confidence
//! interval, attachment and exhaustion probabilities, the premium, loss on line
//! and loss ratio, the insured's loss before and after the policy, and basis
//! risk for parametric policies. Everything is summed in trial order; an
//! importance-sampled run's trials are weighted ([`super::weighing`]).

use super::payout::PayoutTable;
use super::pricing::{self, Premium};
use super::weighing::{self, Curve, Weights};
use crate::engine::Simulation;
use crate::model::{Model, PolicyTerms};
use crate::stats::Moments;

/// The TVaR level of the insured's loss before and after the policy.
pub const INSURED_TVAR_LEVEL: f64 = 0.99;
/// The TVaR level of the diversification ratio.
pub const PORTFOLIO_TVAR_LEVEL: f64 = 0.995;

/// One row of `policies.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySummary {
    pub policy: String,
    pub kind: &'static str,
    pub insured: String,
    pub index: Option<String>,
    pub portfolio: Option<String>,
    pub expected_payout: f64,
    pub expected_payout_ci_low: f64,
    pub expected_payout_ci_high: f64,
    pub sd_payout: f64,
    pub attachment_probability: f64,
    /// `None` without an annual limit.
    pub exhaustion_probability: Option<f64>,
    pub pricing_method: &'static str,
    pub premium: Premium,
    pub expected_loss_on_line: Option<f64>,
    pub loss_ratio: Option<f64>,
    pub annual_limit: Option<f64>,
    pub insured_expected_loss_before: f64,
    pub insured_expected_loss_after: f64,
    pub insured_tvar99_before: f64,
    pub insured_tvar99_after: f64,
    /// Parametric: P(X = 0 | L > basis_threshold); `None` without bad years.
    pub p_no_payout_given_bad_year: Option<f64>,
    /// Parametric: of the index outages during which the insured lost
    /// nothing, the share that paid; `None` when there were none.
    pub p_payout_given_no_need: Option<f64>,
    /// Share of the insured's tail loss (its worst 1% of trials, as TVaR 99%
    /// ranks them) that the policy pays; `None` when that loss is 0.
    pub tail_loss_paid_share: Option<f64>,
    pub payout_loss_correlation: Option<f64>,
    /// Stand-alone TVaR of the annual payout at [`PORTFOLIO_TVAR_LEVEL`].
    pub payout_tvar995: f64,
}

/// Pearson correlation of two series (`None` when either is constant).
pub fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    let (mx, my) = (
        Moments::of(x.iter().copied()).mean,
        Moments::of(y.iter().copied()).mean,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The share of the tail of `losses` that `payouts` (trial by trial) cover:
/// with the trials ranked by loss from the largest down (ties in trial
/// order) and m = N(1 − level) as for TVaR (a fraction f of the next trial
/// when m is fractional), Σ_tail X / Σ_tail L. `None` when Σ_tail L is 0.
/// Weighted ([`weighing::tail_trials`]), each tail trial counts with its weight.
pub fn tail_share(losses: &[f64], payouts: &[f64], w: Weights, level: f64) -> Option<f64> {
    let (tail, _) = weighing::tail_trials(losses, w, level);
    let (l, x) = tail.iter().fold((0.0, 0.0), |(l, x), &(t, w)| {
        (l + w * losses[t], x + w * payouts[t])
    });
    (l > 0.0).then(|| x / l)
}

/// The figures of policy `p`, given its annual payouts in trial order and
/// their curve, and the trials' weights `w` of an importance-sampled run.
pub fn summarize(
    model: &Model,
    p: usize,
    sim: &Simulation,
    table: &PayoutTable,
    payouts: &[f64],
    curve: &Curve,
) -> PolicySummary {
    let policy = &model.policies[p];
    let arch = &model.architectures[policy.insured];
    let w = sim.importance.as_ref().map(|i| &i.weights[..]);
    let n = payouts.len();
    let mean = weighing::mean(payouts, w);
    let m = mean.moments;
    let premium = pricing::premium(&policy.pricing, &m, curve);
    let (ci_low, ci_high) = (mean.lo, mean.hi);
    let limited = policy.annual_limit.is_finite();
    let losses: Vec<f64> = sim.of(policy.insured).map(|o| o.loss).collect();
    let net: Vec<f64> = losses.iter().zip(payouts).map(|(l, p)| l - p).collect();
    let (basis_missed, basis_unneeded, corr) = match policy.terms {
        PolicyTerms::Parametric {
            basis_threshold, ..
        } => {
            let missed = weighing::conditional(
                losses
                    .iter()
                    .zip(payouts)
                    .map(|(&l, &p)| (l > basis_threshold, p == 0.0)),
                w,
            );
            let (no_need, paid) = table.of(p).fold((0u64, 0u64), |(a, b), y| {
                (
                    a + u64::from(y.no_need_outages),
                    b + u64::from(y.no_need_paid),
                )
            });
            let unneeded = match w {
                None => (no_need > 0).then(|| paid as f64 / no_need as f64),
                // Outages weighted by their trial's likelihood ratio.
                Some(w) => {
                    let (a, b) = table.of(p).zip(w).fold((0.0, 0.0), |(a, b), (y, w)| {
                        (
                            a + w * f64::from(y.no_need_outages),
                            b + w * f64::from(y.no_need_paid),
                        )
                    });
                    (a > 0.0).then(|| b / a)
                }
            };
            let corr = match w {
                None => correlation(payouts, &losses),
                Some(w) => weighing::correlation_weighted(payouts, &losses, w),
            };
            (missed, unneeded, corr)
        }
        PolicyTerms::Indemnity { .. } => (None, None, None),
    };
    PolicySummary {
        policy: policy.id.clone(),
        kind: policy.kind(),
        insured: arch.id.clone(),
        index: match &policy.terms {
            PolicyTerms::Parametric { index_id, .. } => Some(index_id.clone()),
            PolicyTerms::Indemnity { .. } => None,
        },
        portfolio: policy.portfolio.clone(),
        expected_payout: m.mean,
        expected_payout_ci_low: ci_low.max(0.0),
        expected_payout_ci_high: ci_high,
        sd_payout: m.sd,
        attachment_probability: weighing::share(payouts.iter().map(|&x| x > 0.0), w, n),
        exhaustion_probability: limited
            .then(|| weighing::share(table.of(p).map(|y| y.exhausted), w, n)),
        pricing_method: policy.pricing.principle.name(),
        premium,
        expected_loss_on_line: (limited && policy.annual_limit > 0.0)
            .then(|| m.mean / policy.annual_limit),
        loss_ratio: (premium.gross > 0.0).then(|| m.mean / premium.gross),
        annual_limit: limited.then_some(policy.annual_limit),
        insured_expected_loss_before: weighing::mean(&losses, w).moments.mean,
        insured_expected_loss_after: weighing::mean(&net, w).moments.mean,
        insured_tvar99_before: weighing::tvar(&losses, w, INSURED_TVAR_LEVEL),
        insured_tvar99_after: weighing::tvar(&net, w, INSURED_TVAR_LEVEL),
        p_no_payout_given_bad_year: basis_missed,
        p_payout_given_no_need: basis_unneeded,
        tail_loss_paid_share: tail_share(&losses, payouts, w, INSURED_TVAR_LEVEL),
        payout_loss_correlation: corr,
        payout_tvar995: curve.tvar(PORTFOLIO_TVAR_LEVEL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_of_lines() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [2.0, 4.0, 6.0, 8.0];
        assert!((correlation(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        let z = [8.0, 6.0, 4.0, 2.0];
        assert!((correlation(&x, &z).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(correlation(&x, &[1.0; 4]), None);
    }

    #[test]
    fn tail_share_by_hand() {
        // 200 trials, worst 1% = 2 trials: losses 50 and 40 (trials 3 and 7),
        // payouts there 10 and 30: (10 + 30) / (50 + 40).
        let mut l = vec![1.0; 200];
        let mut x = vec![5.0; 200];
        (l[3], l[7], x[3], x[7]) = (50.0, 40.0, 10.0, 30.0);
        assert_eq!(tail_share(&l, &x, None, 0.99), Some(40.0 / 90.0));
        // 150 trials: m = 1.5, half of the second worst trial counts.
        let (l, x) = (&l[..150], &x[..150]);
        // (N(1 − 0.99) = 1.5 up to rounding, so compare within 1e-12.)
        let want = (10.0 + 15.0) / (50.0 + 20.0);
        assert!((tail_share(l, x, None, 0.99).unwrap() - want).abs() < 1e-12);
        // Ties are ranked in trial order; no loss, no share.
        assert_eq!(tail_share(&[2.0, 2.0], &[1.0, 0.0], None, 0.5), Some(0.5));
        assert_eq!(tail_share(&[0.0; 10], &[1.0; 10], None, 0.99), None);
    }
}
