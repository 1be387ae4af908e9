//! Paired differences between two sets of per-trial figures evaluated on the
//! same sampled worlds (common random numbers): the mean of the trial-by-trial
//! differences, its 95% interval, whether that interval excludes zero, and
//! about how many trials would make it do so. Used by every "X beats Y"
//! statement of the report (docs/report.md §3).

use crate::stats::{Moments, Z_95};

/// z for 80% power: the trials estimate asks for an interval that excludes
/// zero in 4 runs out of 5 when the true difference is the one observed.
pub const Z_80: f64 = 0.841_621_233_572_914_3;

/// The mean of `b − a` trial by trial, with its normal-approximation interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    pub moments: Moments,
    pub lo: f64,
    pub hi: f64,
}

impl Paired {
    /// Differences `b − a`, in trial order.
    pub fn of(diffs: impl Iterator<Item = f64>) -> Self {
        Paired::from_moments(Moments::of(diffs))
    }

    /// From the moments of the differences `b − a`.
    pub fn from_moments(moments: Moments) -> Self {
        let (lo, hi) = moments.ci(Z_95);
        Paired { moments, lo, hi }
    }

    /// `shift + scale·d` for every difference `d` (`scale` ≥ 0): a constant
    /// difference plus a scaled one (a cost plus a loss a year).
    pub fn affine(self, shift: f64, scale: f64) -> Self {
        Paired::from_moments(Moments {
            n: self.moments.n,
            mean: shift + scale * self.moments.mean,
            sd: scale * self.moments.sd,
        })
    }

    /// The differences `a − b`.
    pub fn reversed(self) -> Self {
        Paired::from_moments(Moments {
            mean: 0.0 - self.moments.mean,
            ..self.moments
        })
    }

    pub fn mean(&self) -> f64 {
        self.moments.mean
    }

    /// The 95% interval excludes zero.
    pub fn separated(&self) -> bool {
        self.lo > 0.0 || self.hi < 0.0
    }

    /// Every trial gave the same figure for both: no number of trials separates them.
    pub fn identical(&self) -> bool {
        self.moments.mean == 0.0 && self.moments.sd == 0.0
    }

    /// About how many trials would separate the two if the true difference
    /// were the observed one: ⌈((z₀.₉₇₅ + z₀.₈) · s_d / |d̄|)²⌉, with s_d the
    /// standard deviation of the per-trial differences. `None` when the
    /// observed difference is exactly zero.
    pub fn trials_to_separate(&self) -> Option<u64> {
        let d = self.moments.mean.abs();
        if d == 0.0 || !d.is_finite() {
            return None;
        }
        let n = ((Z_95 + Z_80) * self.moments.sd / d).powi(2).ceil();
        Some(n.max(2.0).min(u64::MAX as f64) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_figures_give_a_zero_width_interval_and_no_estimate() {
        let p = Paired::of([0.0; 50].into_iter());
        assert!(p.identical() && !p.separated());
        assert_eq!((p.lo, p.hi), (0.0, 0.0));
        assert_eq!(p.trials_to_separate(), None);
    }

    #[test]
    fn trials_to_separate_follows_the_formula() {
        // Differences ±1 around 0.1: sd ≈ 1, so n ≈ (2.8 / 0.1)² ≈ 785.
        let d: Vec<f64> = (0..1000)
            .map(|i| if i % 2 == 0 { 1.1 } else { -0.9 })
            .collect();
        let p = Paired::of(d.iter().copied());
        let sd = p.moments.sd;
        let want = ((Z_95 + Z_80) * sd / 0.1).powi(2).ceil() as u64;
        assert_eq!(p.trials_to_separate(), Some(want));
        assert!((780..=790).contains(&want), "{want}");
        // At 1000 trials the interval is 0.1 ± 0.062: separated.
        assert!(p.separated());
    }
}
