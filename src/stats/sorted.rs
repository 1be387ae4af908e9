//! One series' distribution as the reports read it: every value ascending
//! (a run small enough to keep them), or the mergeable histogram's
//! representatives with their counts (within 0.1% of each value,
//! [`crate::sketch`]). Quantiles, their distribution-free intervals,
//! exceedance and tail means are defined once here for both, so a figure
//! reads the same whichever the run kept.

use super::{quantile_sorted, Z_95};
use crate::sketch::Tally;

/// Sorted values, or the histogram's ascending representatives with counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Sorted {
    Values(Vec<f64>),
    Counts(Tally),
}

impl Default for Sorted {
    fn default() -> Self {
        Sorted::Values(Vec::new())
    }
}

impl Sorted {
    /// Sorts the values (NaN-free).
    pub fn of(values: impl Iterator<Item = f64>) -> Self {
        Sorted::Values(super::sorted(values))
    }

    /// Number of values.
    pub fn len(&self) -> u64 {
        match self {
            Sorted::Values(v) => v.len() as u64,
            Sorted::Counts(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every value, when they were kept.
    pub fn values(&self) -> Option<&[f64]> {
        match self {
            Sorted::Values(v) => Some(v),
            Sorted::Counts(_) => None,
        }
    }

    /// The `k`-th smallest value (0-based; the last for `k` past the end).
    pub fn order_statistic(&self, k: u64) -> f64 {
        match self {
            Sorted::Values(v) => v.get(k as usize).or(v.last()).copied().unwrap_or(f64::NAN),
            Sorted::Counts(t) => {
                let mut seen = 0;
                for (&v, &c) in t.values.iter().zip(&t.counts) {
                    seen += c;
                    if k < seen {
                        return v;
                    }
                }
                t.values.last().copied().unwrap_or(f64::NAN)
            }
        }
    }

    /// The type-7 quantile: exact from the values; from the counts, the same
    /// interpolation between the representatives of the order statistics.
    pub fn quantile(&self, p: f64) -> f64 {
        match self {
            Sorted::Values(v) => quantile_sorted(v, p),
            Sorted::Counts(_) => {
                let n = self.len();
                if n == 0 {
                    return f64::NAN;
                }
                let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
                let lo = h.floor() as u64;
                let hi = (lo + 1).min(n - 1);
                let (a, b) = (self.order_statistic(lo), self.order_statistic(hi));
                a + (h - lo as f64) * (b - a)
            }
        }
    }

    /// The distribution-free 95% interval of the quantile at `q`: the order
    /// statistics ⌊nq − 1.96·√(nq(1−q))⌋ and ⌈nq + 1.96·√(nq(1−q))⌉
    /// (1-based, clamped to the sample).
    pub fn quantile_interval(&self, q: f64) -> (f64, f64) {
        let n = self.len();
        if n == 0 {
            return (f64::NAN, f64::NAN);
        }
        let nf = n as f64;
        let half = Z_95 * (nf * q * (1.0 - q)).sqrt();
        let lo = ((nf * q - half).floor() as i64).clamp(1, n as i64) as u64;
        let hi = ((nf * q + half).ceil() as i64).clamp(1, n as i64) as u64;
        (self.order_statistic(lo - 1), self.order_statistic(hi - 1))
    }

    /// Share of the values strictly greater than `x` (0 when empty).
    pub fn exceedance(&self, x: f64) -> f64 {
        match self {
            Sorted::Values(v) => {
                if v.is_empty() {
                    return 0.0;
                }
                let above = v.len() - v.partition_point(|&y| y <= x);
                above as f64 / v.len() as f64
            }
            Sorted::Counts(t) => t.exceedance(x),
        }
    }

    /// TVaR at `level`: the mean of the worst m = n(1 − level) values, a
    /// fraction of the next one when m is fractional
    /// ([`crate::insurance::ep::tail_size`]); 0 for no values.
    pub fn tail_mean(&self, level: f64) -> f64 {
        match self {
            Sorted::Values(v) => crate::insurance::ep::tvar(v, level),
            Sorted::Counts(t) => {
                let n = t.len();
                if n == 0 {
                    return 0.0;
                }
                let m = crate::insurance::ep::tail_size(n as usize, level);
                if m < 1.0 {
                    return t.max().unwrap_or(0.0);
                }
                // From the largest down: whole values, then a fraction of the next.
                let (mut left, mut sum) = (m, 0.0);
                for (&v, &c) in t.values.iter().zip(&t.counts).rev() {
                    let take = left.min(c as f64);
                    sum += take * v;
                    left -= take;
                    if left <= 0.0 {
                        break;
                    }
                }
                sum / m
            }
        }
    }

    /// The smallest positive value.
    pub fn min_positive(&self) -> Option<f64> {
        match self {
            Sorted::Values(v) => v.iter().copied().find(|&x| x > 0.0),
            Sorted::Counts(t) => t.min_positive(),
        }
    }

    /// The largest value.
    pub fn max(&self) -> Option<f64> {
        match self {
            Sorted::Values(v) => v.last().copied(),
            Sorted::Counts(t) => t.max(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::LogHistogram;

    fn both(xs: &[f64]) -> (Sorted, Sorted) {
        let mut h = LogHistogram::default();
        xs.iter().for_each(|&x| h.add(x));
        (Sorted::of(xs.iter().copied()), Sorted::Counts(h.tally()))
    }

    #[test]
    fn counts_and_values_agree_on_every_figure_within_the_histograms_error() {
        let xs: Vec<f64> = (0..5000)
            .map(|i| {
                if i % 3 == 0 {
                    0.0
                } else {
                    f64::from(i % 997) * 0.37
                }
            })
            .collect();
        let (v, c) = both(&xs);
        let close =
            |a: f64, b: f64| (a - b).abs() <= crate::sketch::RELATIVE_ERROR * a.abs() * 1.000_001;
        assert_eq!(v.len(), c.len());
        for p in [0.0, 0.3, 0.5, 0.9, 0.99, 1.0] {
            assert!(close(v.quantile(p), c.quantile(p)), "quantile {p}");
            let ((a, b), (x, y)) = (v.quantile_interval(p), c.quantile_interval(p));
            assert!(close(a, x) && close(b, y), "interval {p}");
        }
        for level in [0.5, 0.9, 0.99, 0.9999] {
            assert!(
                close(v.tail_mean(level), c.tail_mean(level)),
                "tail {level}"
            );
        }
        // Exceedance at a value between representatives is the same share.
        for x in [0.0, 1.0, 100.0, 400.0] {
            assert_eq!(v.exceedance(x), c.exceedance(x), "exceedance {x}");
        }
    }

    #[test]
    fn the_interval_brackets_the_quantile_and_is_the_order_statistics() {
        let xs: Vec<f64> = (1..=100).map(f64::from).collect();
        let v = Sorted::of(xs.iter().rev().copied());
        // n = 100, q = 0.5: 50 ± 1.96·5 = 40.2 … 59.8 → 40th and 60th values.
        assert_eq!(v.quantile_interval(0.5), (40.0, 60.0));
        assert_eq!(v.tail_mean(0.9), 95.5);
        assert_eq!(v.order_statistic(1000), 100.0);
        assert!(Sorted::default().quantile(0.5).is_nan());
        assert_eq!(Sorted::default().tail_mean(0.9), 0.0);
    }
}
