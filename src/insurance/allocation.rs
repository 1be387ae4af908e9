//! Co-TVaR allocation of a portfolio's tail to its policies: the portfolio's
//! TVaR at 99.5% is the mean of its total payout over its worst trials, so
//! each policy's share is its own mean payout over those same trials. The
//! allocations add up to the portfolio's TVaR exactly (up to rounding).

use super::ep;
use super::policies::PORTFOLIO_TVAR_LEVEL;

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
/// (and weights) [`ep::tail_trials`] picks from the portfolio's totals.
pub fn co_tvar(total: &[f64], members: &[Vec<f64>], level: f64) -> Vec<f64> {
    let (tail, m) = ep::tail_trials(total, level);
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
) -> Vec<Allocation> {
    co_tvar(total, payouts, PORTFOLIO_TVAR_LEVEL)
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
        let c = co_tvar(&total, &[a, b], 0.5);
        assert_eq!(c, vec![(4.0 + 5.0) / 2.0, (5.0 + 2.0) / 2.0]);
        assert_eq!(c[0] + c[1], ep::tvar(&total, 0.5));
        // m = 1.5 at level 0.625: half of the second worst trial.
        let c = co_tvar(&total, &[vec![1.0, 4.0, 0.0, 5.0]], 0.625);
        assert!((c[0] - (4.0 + 0.5 * 5.0) / 1.5).abs() < 1e-12);
    }
}
