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
        // `(x.ln() / LN_GAMMA).ceil() as i32` without a call to `ceil`: |q|
        // stays under 4e5 for every positive finite x, so the truncation is
        // exact and one step up makes it the ceiling (a test compares the two).
        let q = x.ln() / LN_GAMMA;
        let t = q as i32;
        Some(if f64::from(t) < q { t + 1 } else { t })
    } else {
        None
    }
}

/// Buckets per page of counts.
const PAGE: usize = 512;

/// Counts of non-negative finite values by bucket: bucket `i` holds
/// (γ^(i−1), γ^i], represented by 2γ^i ÷ (γ + 1). The counts are kept in
/// pages of [`PAGE`] consecutive buckets, allocated (zeroed) the first time
/// one of their buckets is counted, over the range of pages seen: counting a
/// value is two indexes, and a histogram that sees a wide range of values
/// (outage lengths down to float noise, losses up to millions: tens of
/// thousands of buckets) neither copies nor scans the buckets in between.
#[derive(Debug, Clone, Default)]
pub struct LogHistogram {
    zeros: u64,
    /// The page of `pages[0]`: page `p` holds buckets `p·PAGE..(p + 1)·PAGE`.
    first_page: i32,
    /// Pages `first_page..first_page + pages.len()`, `None` where nothing was counted.
    pages: Vec<Option<Box<[u64]>>>,
}

impl PartialEq for LogHistogram {
    /// Equal counts, whatever range of buckets each one keeps.
    fn eq(&self, other: &Self) -> bool {
        self.zeros == other.zeros && self.nonzero().eq(other.nonzero())
    }
}

impl LogHistogram {
    /// Counts `x` (a non-negative finite value; others are ignored).
    #[inline]
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
        let (page, slot) = (
            i.div_euclid(PAGE as i32),
            i.rem_euclid(PAGE as i32) as usize,
        );
        // A page seen already (the common case): two indexes.
        let k = page.wrapping_sub(self.first_page) as u32 as usize;
        if let Some(Some(counts)) = self.pages.get_mut(k) {
            counts[slot] += n;
            return;
        }
        self.page_mut(page)[slot] += n;
    }

    /// Page `page`, allocated (and the range of pages grown) if needed.
    #[cold]
    #[inline(never)]
    fn page_mut(&mut self, page: i32) -> &mut [u64] {
        if self.pages.is_empty() {
            self.first_page = page;
        } else if page < self.first_page {
            let extra = (self.first_page - page) as usize;
            self.pages
                .splice(0..0, std::iter::repeat_with(|| None).take(extra));
            self.first_page = page;
        }
        let k = (page - self.first_page) as usize;
        if k >= self.pages.len() {
            self.pages.resize_with(k + 1, || None);
        }
        self.pages[k].get_or_insert_with(|| vec![0; PAGE].into_boxed_slice())
    }

    /// The pages allocated, ascending, with their first buckets.
    fn pages(&self) -> impl Iterator<Item = (i32, &[u64])> + '_ {
        let first = self.first_page;
        self.pages.iter().enumerate().filter_map(move |(k, p)| {
            p.as_deref()
                .map(|counts| ((first + k as i32) * PAGE as i32, counts))
        })
    }

    /// The buckets with a count, ascending, with their counts.
    fn nonzero(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        self.pages().flat_map(|(lo, counts)| {
            counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(move |(k, &n)| (lo + k as i32, n))
        })
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &LogHistogram) {
        self.zeros += other.zeros;
        for (lo, counts) in other.pages() {
            if counts.iter().all(|&n| n == 0) {
                continue;
            }
            let mine = self.page_mut(lo.div_euclid(PAGE as i32));
            for (total, &n) in mine.iter_mut().zip(counts) {
                *total += n;
            }
        }
    }

    /// Values counted.
    pub fn count(&self) -> u64 {
        self.zeros + self.pages().flat_map(|(_, c)| c).sum::<u64>()
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
    fn bucket_is_the_ceiling_of_ln_over_ln_gamma() {
        // The integer ceiling in `bucket` equals `f64::ceil` everywhere:
        // across the whole positive range (subnormals to the largest value),
        // at exact bucket edges γ^i (where the quotient is near an integer)
        // and their neighbours one ulp away.
        let reference = |x: f64| (x.ln() / LN_GAMMA).ceil() as i32;
        let mut xs = vec![f64::MIN_POSITIVE, 5e-324, f64::MAX, 1.0, 1.0 - 1e-16];
        let mut x = 1e-300;
        while x < 1e300 {
            xs.push(x);
            x *= 1.37;
        }
        for i in -20_000..20_000 {
            let edge = (f64::from(i) * LN_GAMMA).exp();
            xs.extend([
                edge,
                f64::from_bits(edge.to_bits() - 1),
                f64::from_bits(edge.to_bits() + 1),
            ]);
        }
        for x in xs {
            assert_eq!(bucket(x), Some(reference(x)), "{x:e}");
        }
    }

    #[test]
    fn ln_gamma_is_gamma_ln_bit_for_bit() {
        assert_eq!(LN_GAMMA.to_bits(), gamma().ln().to_bits());
    }

    #[test]
    fn paged_counts_equal_a_map_of_buckets_across_a_wide_range() {
        // Values from float noise (1e-12 h) to 1e7, in a scrambled order,
        // across many pages on both sides of bucket 0 and page edges: the
        // tally is exactly the map from `bucket` to counts, and two halves
        // merged in either order give the same histogram.
        let mut xs: Vec<f64> = (0..40_000u64)
            .map(|k| {
                let u = (crate::world::splitmix64(k) >> 11) as f64 / (1u64 << 53) as f64;
                10f64.powf(-12.0 + 19.0 * u)
            })
            .collect();
        xs.extend((-3..3).map(|p| LogHistogram::representative(p * PAGE as i32)));
        xs.extend([0.0, 0.0]);
        let mut map = std::collections::BTreeMap::new();
        for &x in &xs {
            *map.entry(bucket(x).unwrap()).or_insert(0u64) += 1;
        }
        let mut whole = LogHistogram::default();
        let (mut a, mut b) = (LogHistogram::default(), LogHistogram::default());
        for (k, &x) in xs.iter().enumerate() {
            whole.add(x);
            let part = if k % 3 == 0 { &mut a } else { &mut b };
            part.add(x);
        }
        let (mut ab, mut ba) = (a.clone(), b.clone());
        ab.merge(&b);
        ba.merge(&a);
        assert_eq!(ab, whole);
        assert_eq!(ba, whole);
        assert_eq!(whole.count(), xs.len() as u64);
        let t = whole.tally();
        let expected: Vec<u64> = map.values().copied().collect();
        assert_eq!(t.counts, expected);
        let reps: Vec<f64> = map
            .keys()
            .map(|&i| {
                if i == ZERO_BUCKET {
                    0.0
                } else {
                    LogHistogram::representative(i)
                }
            })
            .collect();
        assert_eq!(t.values, reps);
    }

    #[test]
    fn counts_grow_both_ways_and_compare_by_content() {
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
