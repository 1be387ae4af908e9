//! Co-TVaR allocation of a portfolio's tail to its policies: the portfolio's
//! TVaR at 99.5% is the mean of its total payout over its worst trials, so
//! each policy's share is its own mean payout over those same trials. The
//! allocations add up to the portfolio's TVaR exactly (up to rounding). An
//! importance-sampled run's tail trials count with their weights
//! ([`super::weighing::tail_trials`]), as its TVaR does.

use super::policies::PORTFOLIO_TVAR_LEVEL;
use super::weighing::{self, Weights};

/// One `portfolio_allocation.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub portfolio: String,
    pub policy: String,
    pub expected_payout: f64,
    /// E[X_j | the portfolio's worst (1 − 0.995) of trials], weighted as TVaR is.
    pub co_tvar995: f64,
    /// co_tvar995 / the portfolio's TVaR (`None` when that is 0).
    pub share_of_tvar995: Option<f64>,
}

/// Co-TVaR of each member at `level`: Σ_t w_t X_{j,t} / m over the trials
/// (and shares) [`weighing::tail_trials`] picks from the portfolio's totals.
pub fn co_tvar(total: &[f64], members: &[Vec<f64>], w: Weights, level: f64) -> Vec<f64> {
    let (tail, m) = weighing::tail_trials(total, w, level);
    members
        .iter()
        .map(|x| {
            if m == 0.0 {
                return 0.0;
            }
            tail.iter().fold(0.0, |s, &(t, w)| s + w * x[t]) / m
        })
        .collect()
}

/// The rows of one portfolio: `policies` are its members' ids and expected
/// payouts, `payouts` their annual payouts (in trial order), in file order.
pub fn rows(
    portfolio: &str,
    policies: &[(String, f64)],
    payouts: &[Vec<f64>],
    total: &[f64],
    tvar: f64,
    w: Weights,
) -> Vec<Allocation> {
    co_tvar(total, payouts, w, PORTFOLIO_TVAR_LEVEL)
        .into_iter()
        .zip(policies)
        .map(|(c, (id, mean))| Allocation {
            portfolio: portfolio.to_string(),
            policy: id.clone(),
            expected_payout: *mean,
            co_tvar995: c,
            share_of_tvar995: (tvar > 0.0).then(|| c / tvar),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_by_hand_and_they_add_up() {
        // 4 trials, level 0.5: the worst 2 totals are trials 1 (9) and 3 (7).
        let a = vec![1.0, 4.0, 0.0, 5.0];
        let b = vec![1.0, 5.0, 3.0, 2.0];
        let total: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        let c = co_tvar(&total, &[a, b], None, 0.5);
        assert_eq!(c, vec![(4.0 + 5.0) / 2.0, (5.0 + 2.0) / 2.0]);
        assert_eq!(c[0] + c[1], super::super::ep::tvar(&total, 0.5));
        // m = 1.5 at level 0.625: half of the second worst trial.
        let c = co_tvar(&total, &[vec![1.0, 4.0, 0.0, 5.0]], None, 0.625);
        assert!((c[0] - (4.0 + 0.5 * 5.0) / 1.5).abs() < 1e-12);
    }

    #[test]
    fn weighted_allocations_add_up_to_the_weighted_tvar() {
        let a = vec![1.0, 4.0, 0.0, 5.0, 0.0, 2.0];
        let b = vec![1.0, 5.0, 3.0, 2.0, 0.0, 0.5];
        let w = [0.3, 0.05, 1.4, 0.1, 3.0, 1.15];
        let total: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
        for level in [0.5, 0.9, 0.97, 0.99] {
            let c = co_tvar(&total, &[a.clone(), b.clone()], Some(&w), level);
            let t = weighing::tvar(&total, Some(&w), level);
            assert!((c[0] + c[1] - t).abs() < 1e-12 * t.max(1.0), "{level}");
        }
        // Level 0.97: m = 0.18 of weight: 0.05 on trial 1 (9), 0.1 on trial 3
        // (7), 0.03 of trial 2 (3): a gets (0.05·4 + 0.1·5 + 0)/0.18.
        let c = co_tvar(&total, &[a, b], Some(&w), 0.97);
        assert!((c[0] - (0.05 * 4.0 + 0.1 * 5.0) / 0.18).abs() < 1e-12);
    }
}
