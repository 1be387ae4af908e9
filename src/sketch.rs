//! A mergeable histogram of non-negative values with buckets of bounded
//! relative width: every value is represented within a relative error of
//! [`RELATIVE_ERROR`] (0.1%), whatever the number of values, in memory that
//! grows with the spread of the values (about 1,700 buckets per decade at
//! most), not with their number. A value's bucket is read off its IEEE-754
//! bits (the exponent and the top [`MANTISSA_BITS`] bits of the fraction:
//! log-linear buckets, no logarithm to compute). Counts are integers, so
//! merging is exact and its order does not matter. Values of 0 are counted
//! apart, exactly. The run keeps one per architecture for the outage lengths
//! (`outage_lengths.csv`, the outage-survival chart), as a [`Tally`].

/// The largest relative distance between a value and its bucket's
/// representative (bound: 2⁻⁽ᴹ⁺¹⁾ ≤ this, with M = [`MANTISSA_BITS`]).
pub const RELATIVE_ERROR: f64 = 0.001;

/// Fraction bits kept in a bucket's index: 2⁹ buckets per doubling, each
/// [L, L + 2^(e−9)) for a value 2^e·(1 + j/2⁹), of relative half-width
/// 2⁻¹⁰ ≈ 0.098% at most.
pub const MANTISSA_BITS: u32 = 9;

/// Bits below the kept ones.
const SHIFT: u32 = 52 - MANTISSA_BITS;

/// The index of 1.0 (its bits shifted), so that bucket 0 starts at 1.
const BIAS: i64 = (1023 << MANTISSA_BITS) as i64;

/// Subnormal values are scaled by 2^SUBNORMAL_SCALE (exactly) into the
/// normal range, so that their buckets keep the same relative width.
const SUBNORMAL_SCALE: i32 = 64;

/// The bucket of the value 0, which is counted apart, exactly.
pub const ZERO_BUCKET: i32 = i32::MIN;

/// The bucket a value falls in: [`ZERO_BUCKET`] for 0, `None` for a value
/// that is not counted (negative, infinite or NaN). Ascending with the value.
#[inline]
pub fn bucket(x: f64) -> Option<i32> {
    if x >= f64::MIN_POSITIVE && x.is_finite() {
        Some(((x.to_bits() >> SHIFT) as i64 - BIAS) as i32)
    } else if x == 0.0 {
        Some(ZERO_BUCKET)
    } else if x > 0.0 && x.is_finite() {
        let scaled = x * 2f64.powi(SUBNORMAL_SCALE);
        let shift = i64::from(SUBNORMAL_SCALE) << MANTISSA_BITS;
        Some(((scaled.to_bits() >> SHIFT) as i64 - BIAS - shift) as i32)
    } else {
        None
    }
}

/// The smallest value of bucket `i` (normal and subnormal buckets alike).
fn lower_edge(i: i32) -> f64 {
    let index = i64::from(i) + BIAS;
    if index >= 1 << MANTISSA_BITS {
        f64::from_bits((index as u64) << SHIFT)
    } else {
        let shift = i64::from(SUBNORMAL_SCALE) << MANTISSA_BITS;
        f64::from_bits(((index + shift) as u64) << SHIFT) * 2f64.powi(-SUBNORMAL_SCALE)
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

    /// The representative of bucket `i`: the middle of [L, L + w), within
    /// [`RELATIVE_ERROR`] of every value in it (w/2 ≤ 2⁻¹⁰·L).
    pub fn representative(i: i32) -> f64 {
        let lo = lower_edge(i);
        // w = 2^(e − M) for the bucket's exponent e: half of it is the
        // power of two below `lo` scaled down exactly (a power of two's
        // division by a power of two is exact down to the subnormals).
        let unit = f64::from_bits(lo.to_bits() & (0x7ff << 52));
        let unit = if unit == 0.0 {
            // A subnormal bucket: its unit is that of the scaled value.
            let scaled = lo * 2f64.powi(SUBNORMAL_SCALE);
            f64::from_bits(scaled.to_bits() & (0x7ff << 52)) * 2f64.powi(-SUBNORMAL_SCALE)
        } else {
            unit
        };
        lo + unit / f64::from(1u32 << (MANTISSA_BITS + 1))
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
    fn bucket_is_the_binary_exponent_and_top_fraction_bits() {
        // Bucket i of a value x = 2^k·f (1 ≤ f < 2, both exact) is
        // 2⁹·k + ⌊2⁹·(f − 1)⌋, and its edges hold x: across the whole
        // positive range (subnormals to the largest value), at bucket edges
        // and their neighbours one ulp away.
        // 2^k exactly, subnormal powers included.
        let pow2 = |k: i32| 2f64.powf(f64::from(k));
        let reference = |x: f64| {
            let k = x.log2().floor() as i32;
            // Correct a rounded log2 at powers of two.
            let k = if pow2(k) > x {
                k - 1
            } else if pow2(k + 1) <= x {
                k + 1
            } else {
                k
            };
            let f = x / pow2(k);
            (k << MANTISSA_BITS) + ((f - 1.0) * f64::from(1u32 << MANTISSA_BITS)).floor() as i32
        };
        let mut xs = vec![
            f64::MIN_POSITIVE,
            1e-310,
            f64::MAX,
            1.0,
            1.0 - 1e-16,
            2.0,
            3.0,
        ];
        let mut x = 1e-300;
        while x < 1e300 {
            xs.push(x);
            x *= 1.37;
        }
        for i in -20_000..20_000 {
            let edge = lower_edge(i);
            xs.extend([
                edge,
                f64::from_bits(edge.to_bits() - 1),
                f64::from_bits(edge.to_bits() + 1),
            ]);
        }
        for x in xs {
            let b = bucket(x).unwrap();
            assert_eq!(b, reference(x), "{x:e}");
            assert!(lower_edge(b) <= x && x < lower_edge(b + 1), "{x:e} in {b}");
        }
        // Ascending: the larger of two values never has the lower bucket.
        let mut last = i32::MIN + 1;
        let mut x = 1e-320;
        while x < 1e300 {
            let b = bucket(x).unwrap();
            assert!(b >= last, "{x:e}");
            last = b;
            x *= 1.001;
        }
        assert_eq!(bucket(0.0), Some(ZERO_BUCKET));
        for bad in [-1.0, -0.0 - 1e-300, f64::INFINITY, f64::NAN] {
            assert_eq!(bucket(bad), None, "{bad}");
        }
    }

    #[test]
    fn mantissa_bits_keep_the_stated_relative_error() {
        // Half a bucket's width over its lower edge: 2^-(M+1).
        assert!(0.5 / f64::from(1u32 << MANTISSA_BITS) <= RELATIVE_ERROR);
        // Down to the subnormals that still have M + 1 significant bits.
        let mut x = 2f64.powi(-1060);
        while x < 1e300 {
            let r = LogHistogram::representative(bucket(x).unwrap());
            assert!(((r - x) / x).abs() <= RELATIVE_ERROR, "{x:e} -> {r:e}");
            x *= 1.000_7;
        }
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
