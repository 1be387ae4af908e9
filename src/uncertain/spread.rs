//! How much of a design's spread across outer draws is parameter
//! uncertainty and how much Monte Carlo sampling, and paired comparisons
//! across draws (docs/statistics.md, two-level runs). By the law of total
//! variance, the variance across draws of a draw's estimated mean, S², is
//! the variance of the true means across plausible worlds plus the mean
//! sampling variance of each draw's estimate, mean(se²); the parameter part
//! is estimated as max(0, S² − mean(se²)) and its share of S² reported.

use crate::stats;

/// The decomposition of one figure's spread across draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// S²: the sample variance (n − 1) of the draws' estimates.
    pub between: f64,
    /// mean(se²): the mean squared Monte Carlo standard error of a draw's estimate.
    pub sampling: f64,
    /// max(0, S² − mean(se²)) / S², from 0 to 1.
    pub parameter_share: f64,
}

/// The spread of `estimates` (one per draw) with their standard errors;
/// None for fewer than 2 draws or no spread at all.
pub fn decompose(estimates: &[f64], ses: &[f64]) -> Option<Spread> {
    let m = stats::Moments::of(estimates.iter().copied());
    if estimates.len() < 2 || ses.len() != estimates.len() {
        return None;
    }
    let between = m.sd * m.sd;
    if between <= 0.0 {
        return None;
    }
    let sampling = ses.iter().map(|s| s * s).sum::<f64>() / ses.len() as f64;
    Some(Spread {
        between,
        sampling,
        parameter_share: ((between - sampling) / between).clamp(0.0, 1.0),
    })
}

/// The 5% and 95% values (type 7) across draws of the paired difference
/// `other − this`, and the share of draws in which `this` is lower.
pub fn paired(this: &[f64], other: &[f64]) -> Option<(f64, f64, f64)> {
    if this.is_empty() || this.len() != other.len() {
        return None;
    }
    let diffs = stats::sorted(this.iter().zip(other).map(|(a, b)| b - a));
    let lower = this.iter().zip(other).filter(|(a, b)| a < b).count();
    Some((
        stats::quantile_sorted(&diffs, 0.05),
        stats::quantile_sorted(&diffs, 0.95),
        lower as f64 / this.len() as f64,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_follows_the_law_of_total_variance() {
        // Estimates 1, 2, 3: S² = 1; se² = 0.25 each: parameter share 0.75.
        let s = decompose(&[1.0, 2.0, 3.0], &[0.5, 0.5, 0.5]).unwrap();
        assert_eq!(
            (s.between, s.sampling, s.parameter_share),
            (1.0, 0.25, 0.75)
        );
        // Sampling noise larger than the spread: no parameter part.
        let s = decompose(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0]).unwrap();
        assert_eq!(s.parameter_share, 0.0);
        assert_eq!(decompose(&[1.0, 1.0], &[0.1, 0.1]), None);
        assert_eq!(decompose(&[1.0], &[0.1]), None);
    }

    #[test]
    fn paired_difference_quantiles() {
        // Differences 0..=20 (other − this): 5% = 1, 95% = 19; this lower in 20 of 21.
        let this = vec![0.0; 21];
        let other: Vec<f64> = (0..21).map(f64::from).collect();
        assert_eq!(paired(&this, &other), Some((1.0, 19.0, 20.0 / 21.0)));
    }
}
