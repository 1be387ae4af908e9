//! A mergeable histogram of non-negative values with logarithmic buckets of
//! fixed relative width: every value is represented within a relative error
//! of [`RELATIVE_ERROR`] (0.1%), whatever the number of values, in memory
//! that grows with the spread of the values (about 1,150 buckets per decade
//! at most), not with their number. Counts are integers, so merging is exact
//! and its order does not matter. Values of 0 are counted apart, exactly.
//! The run keeps one per architecture for the outage lengths
//! (`outage_lengths.csv`, the outage-survival chart), as a [`Tally`].

/// The largest relative distance between a value and its bucket's
/// representative: α in γ = (1 + α) ÷ (1 − α).
pub const RELATIVE_ERROR: f64 = 0.001;

/// Bucket ratio γ = (1 + α) ÷ (1 − α).
fn gamma() -> f64 {
    (1.0 + RELATIVE_ERROR) / (1.0 - RELATIVE_ERROR)
}

/// ln γ, written out so that it is not recomputed for every value (a test
/// checks it equals `gamma().ln()` bit for bit).
const LN_GAMMA: f64 = 0.0020000006666670215;

/// The bucket of the value 0, which is counted apart, exactly.
pub const ZERO_BUCKET: i32 = i32::MIN;

/// The bucket a value falls in: [`ZERO_BUCKET`] for 0, `None` for a value
/// that is not counted (negative, infinite or NaN).
#[inline]
pub fn bucket(x: f64) -> Option<i32> {
    if x == 0.0 {
        Some(ZERO_BUCKET)
    } else if x > 0.0 && x.is_finite() {
        Some((x.ln() / LN_GAMMA).ceil() as i32)
    } else {
        None
    }
}

/// Counts of non-negative finite values by bucket: bucket `i` holds
/// (γ^(i−1), γ^i], represented by 2γ^i ÷ (γ + 1). The counts are kept in one
/// dense array over the range of buckets seen (outage lengths span a few
/// decades: a few thousand buckets), so counting a value is an index.
#[derive(Debug, Clone, Default)]
pub struct LogHistogram {
    zeros: u64,
    /// The bucket of `counts[0]`.
    first: i32,
    /// Counts of buckets `first..first + counts.len()` (0 for buckets not seen).
    counts: Vec<u64>,
}

impl PartialEq for LogHistogram {
    /// Equal counts, whatever range of buckets each one keeps.
    fn eq(&self, other: &Self) -> bool {
        self.zeros == other.zeros && self.nonzero().eq(other.nonzero())
    }
}

impl LogHistogram {
    /// Counts `x` (a non-negative finite value; others are ignored).
    pub fn add(&mut self, x: f64) {
        if let Some(i) = bucket(x) {
            self.add_bucket(i, 1);
        }
    }

    /// Counts `n` values in bucket `i` (from [`bucket`]).
    #[inline]
    pub fn add_bucket(&mut self, i: i32, n: u64) {
        if i == ZERO_BUCKET {
            self.zeros += n;
            return;
        }
        self.cover(i, i);
        self.counts[(i - self.first) as usize] += n;
    }

    /// Grows the dense range to cover buckets `lo..=hi`, with slack on the
    /// side it grows so that growing bucket by bucket stays linear.
    fn cover(&mut self, lo: i32, hi: i32) {
        if self.counts.is_empty() {
            self.first = lo;
            self.counts.resize((hi - lo) as usize + 1, 0);
            return;
        }
        let len = self.counts.len() as i32;
        if lo < self.first {
            let new_first = lo - len / 2;
            let mut counts = vec![0; (self.first - new_first) as usize];
            counts.extend_from_slice(&self.counts);
            self.counts = counts;
            self.first = new_first;
        }
        let end = self.first + self.counts.len() as i32;
        if hi >= end {
            let extra = (hi - end + 1).max(self.counts.len() as i32 / 2);
            self.counts.resize(self.counts.len() + extra as usize, 0);
        }
    }

    /// The buckets with a count, ascending, with their counts.
    fn nonzero(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        let first = self.first;
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(move |(k, &n)| (first + k as i32, n))
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.zeros += other.zeros;
        let mut seen = other.nonzero();
        let Some((lo, _)) = seen.next() else {
            return;
        };
        let hi = other.nonzero().last().map_or(lo, |(i, _)| i);
        self.cover(lo, hi);
        let offset = (lo - self.first) as usize;
        let from = (lo - other.first) as usize;
        let to = (hi - other.first) as usize + 1;
        for (total, &n) in self.counts[offset..]
            .iter_mut()
            .zip(&other.counts[from..to])
        {
            *total += n;
        }
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.zeros + self.counts.iter().sum::<u64>()
    }

    /// The representative of bucket `i`: within [`RELATIVE_ERROR`] of every value in it.
    pub fn representative(i: i32) -> f64 {
        let g = gamma();
        2.0 * (f64::from(i) * g.ln()).exp() / (g + 1.0)
    }

    /// The counted values as ascending (representative, count) pairs.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        if self.zeros > 0 {
            t.values.push(0.0);
            t.counts.push(self.zeros);
        }
        for (i, n) in self.nonzero() {
            t.values.push(Self::representative(i));
            t.counts.push(n);
        }
        t
    }
}

/// Ascending distinct values with how often each occurred: a compressed
/// sorted sample, from a [`LogHistogram`] or read back from a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub values: Vec<f64>,
    pub counts: Vec<u64>,
}

impl Tally {
    /// Number of values.
    pub fn len(&self) -> u64 {
        self.counts.iter().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Adds the counts of `other` (values from the same kind of histogram
    /// match exactly, bucket for bucket).
    pub fn merge(&mut self, other: &Tally) {
        let (mut values, mut counts) = (Vec::new(), Vec::new());
        let (mut i, mut j) = (0, 0);
        while i < self.values.len() || j < other.values.len() {
            let a = self.values.get(i).copied().unwrap_or(f64::INFINITY);
            let b = other.values.get(j).copied().unwrap_or(f64::INFINITY);
            if a == b {
                values.push(a);
                counts.push(self.counts[i] + other.counts[j]);
                (i, j) = (i + 1, j + 1);
            } else if a < b {
                values.push(a);
                counts.push(self.counts[i]);
                i += 1;
            } else {
                values.push(b);
                counts.push(other.counts[j]);
                j += 1;
            }
        }
        (self.values, self.counts) = (values, counts);
    }

    /// The smallest positive value.
    pub fn min_positive(&self) -> Option<f64> {
        self.values.iter().copied().find(|&v| v > 0.0)
    }

    /// The largest value.
    pub fn max(&self) -> Option<f64> {
        self.values.last().copied()
    }

    /// Share of the values strictly greater than `x` (0 when empty).
    pub fn exceedance(&self, x: f64) -> f64 {
        let n = self.len();
        if n == 0 {
            return 0.0;
        }
        let first_above = self.values.partition_point(|&v| v <= x);
        let above: u64 = self.counts[first_above..].iter().sum();
        above as f64 / n as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_within_the_relative_error_of_its_representative() {
        let mut x = 1e-6;
        while x < 1e7 {
            let mut h = LogHistogram::default();
            h.add(x);
            let r = h.tally().values[0];
            assert!(
                ((r - x) / x).abs() <= RELATIVE_ERROR * (1.0 + 1e-9),
                "{x} -> {r}"
            );
            x *= 1.000_37;
        }
    }

    #[test]
    fn merge_is_exact_and_order_free() {
        let xs: Vec<f64> = (0..5000).map(|i| (i % 97) as f64 * 0.37).collect();
        let mut whole = LogHistogram::default();
        xs.iter().for_each(|&x| whole.add(x));
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        xs[..1234].iter().for_each(|&x| a.add(x));
        xs[1234..].iter().for_each(|&x| b.add(x));
        let mut ba = b.clone();
        ba.merge(&a);
        a.merge(&b);
        assert_eq!(a, whole);
        assert_eq!(ba, whole);
        // Tallies merge to the same counts as the histograms.
        let mut t = LogHistogram::default();
        xs[..1234].iter().for_each(|&x| t.add(x));
        let mut t = t.tally();
        let mut rest = LogHistogram::default();
        xs[1234..].iter().for_each(|&x| rest.add(x));
        t.merge(&rest.tally());
        assert_eq!(t, whole.tally());
        assert_eq!(whole.count(), 5000);
        // 0 is counted exactly: 52 of the 5000 values are i % 97 == 0.
        assert_eq!(whole.tally().counts[0], 52);
        assert_eq!(whole.tally().values[0], 0.0);
    }

    #[test]
    fn ln_gamma_is_gamma_ln_bit_for_bit() {
        assert_eq!(LN_GAMMA.to_bits(), gamma().ln().to_bits());
    }

    #[test]
    fn dense_counts_grow_both_ways_and_compare_by_content() {
        // Values falling one bucket lower, then higher, each time: the range
        // grows on both sides; equal counts compare equal whatever the range.
        let mut down = LogHistogram::default();
        let mut up = LogHistogram::default();
        let xs: Vec<f64> = (0..3000).map(|k| 1e3 * 0.999f64.powi(k)).collect();
        xs.iter().for_each(|&x| down.add(x));
        xs.iter().rev().for_each(|&x| up.add(x));
        assert_eq!(down, up);
        assert_eq!(down.tally(), up.tally());
        assert_eq!(down.count(), 3000);
        let mut merged = LogHistogram::default();
        merged.merge(&up);
        merged.merge(&LogHistogram::default());
        assert_eq!(merged, down);
        assert_ne!(merged, LogHistogram::default());
        // Every counted bucket is the one `bucket` names, and ascending.
        let t = down.tally();
        assert!(t.values.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(t.len(), 3000);
    }

    #[test]
    fn tally_exceedance_counts_strictly_greater() {
        let mut h = LogHistogram::default();
        for x in [0.0, 0.0, 1.0, 2.0, 2.0] {
            h.add(x);
        }
        let t = h.tally();
        assert_eq!(t.len(), 5);
        assert_eq!(t.exceedance(0.0), 0.6);
        assert_eq!(t.exceedance(1.5), 0.4);
        assert_eq!(t.exceedance(2.01), 0.0);
        assert_eq!(t.exceedance(-1.0), 1.0);
        // 1 is the top of its bucket: exactly at the bound (up to rounding).
        let within = |r: f64, x: f64| (r - x).abs() <= RELATIVE_ERROR * x * (1.0 + 1e-9);
        assert!(within(t.min_positive().unwrap(), 1.0));
        assert!(within(t.max().unwrap(), 2.0));
    }
}
