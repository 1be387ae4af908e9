//! Each outer draw's exceedance curves, kept as a fixed handful of numbers so
//! that memory grows with draws × architectures, never with trials × draws:
//! per draw and architecture, the down time and the loss of a 1-in-T period
//! (the type-7 quantile at 1 − 1/T) at [`POINTS`] return periods T spaced
//! evenly in log from 1 to the number of trials. The wheatsheaf charts draw
//! them (one thin curve per draw, the pointwise 5–95% band across draws and
//! the mean curve); `uncertainty_curves.csv` holds them so `fateshare report`
//! redraws the same charts (docs/statistics.md §two-level).

use crate::stats;

/// `uncertainty_curves.csv`'s header.
pub const CURVES_HEADER: &str = "draw,architecture,return_period,downtime_hours,loss";

/// Return periods kept per curve.
pub const POINTS: usize = 41;

/// The return periods T (in periods) at which every draw's curves are kept:
/// `trials^(k / (POINTS − 1))` for k = 0 … POINTS − 1 (1 to the trials).
pub fn return_periods(trials: u64) -> Vec<f64> {
    let top = (trials.max(1) as f64).ln();
    (0..POINTS)
        .map(|k| (top * k as f64 / (POINTS - 1) as f64).exp())
        .collect()
}

/// One draw's curves for one architecture, at [`Draws::return_periods`](super::draws::Draws).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curve {
    /// Down time (hours) of a 1-in-T period, for each T.
    pub downtime: Vec<f64>,
    /// Loss of a 1-in-T period, for an architecture with a loss model.
    pub loss: Option<Vec<f64>>,
}

/// The values of a 1-in-T period of `sorted` (ascending) at each T.
pub fn at(sorted: &[f64], periods: &[f64]) -> Vec<f64> {
    periods
        .iter()
        .map(|&t| stats::quantile_sorted(sorted, 1.0 - 1.0 / t))
        .collect()
}

/// Across the draws' curves, pointwise at each return period: the 5% and
/// 95% values (type 7) and the mean (Oasis's per-sample mean, EPCalc 3).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub p05: Vec<f64>,
    pub mean: Vec<f64>,
    pub p95: Vec<f64>,
}

impl Band {
    /// The band of `curves` (each of the same length); None for no curves.
    pub fn of<'a>(curves: impl Iterator<Item = &'a [f64]>) -> Option<Band> {
        let curves: Vec<&[f64]> = curves.collect();
        let n = curves.first()?.len();
        let mut band = Band {
            p05: Vec::with_capacity(n),
            mean: Vec::with_capacity(n),
            p95: Vec::with_capacity(n),
        };
        for k in 0..n {
            let sorted = stats::sorted(curves.iter().map(|c| c[k]));
            band.p05.push(stats::quantile_sorted(&sorted, 0.05));
            band.p95.push(stats::quantile_sorted(&sorted, 0.95));
            band.mean
                .push(sorted.iter().sum::<f64>() / sorted.len() as f64);
        }
        Some(band)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_periods_run_from_one_to_the_trials() {
        let t = return_periods(10_000);
        assert_eq!(t.len(), POINTS);
        assert_eq!(t[0], 1.0);
        assert!((t[POINTS - 1] / 10_000.0 - 1.0).abs() < 1e-12);
        assert!((t[10] / 10.0 - 1.0).abs() < 1e-12, "{}", t[10]);
        assert!(return_periods(1).iter().all(|&x| x == 1.0));
    }

    #[test]
    fn band_is_pointwise_quantiles_and_mean() {
        let c: Vec<Vec<f64>> = (0..21).map(|d| vec![d as f64, 2.0 * d as f64]).collect();
        let b = Band::of(c.iter().map(|v| v.as_slice())).unwrap();
        // 21 values 0..20: type-7 5% = 1, 95% = 19, mean 10.
        assert_eq!(b.p05, vec![1.0, 2.0]);
        assert_eq!(b.p95, vec![19.0, 38.0]);
        assert_eq!(b.mean, vec![10.0, 20.0]);
        assert_eq!(at(&[0.0, 1.0, 2.0, 3.0], &[1.0, 2.0]), vec![0.0, 1.5]);
    }
}
