//! Events in start order without a comparison sort. A trial's event starts
//! are spread over the period, so a counting pass by start into as many
//! buckets as events (a monotone function of the start) leaves each event
//! among a few neighbours, and an insertion pass then puts them in exact
//! order: [`order_key`] order, by start ([`f64::total_cmp`]) then index —
//! the order a sort of the keys gives, at about a third of its cost.

/// Below this many events a comparison sort is as cheap.
const SMALL: usize = 24;

/// Scratch for [`Order::sort`]: keys, their starts, bucket counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Order {
    pub(crate) keys: Vec<u128>,
    starts: Vec<f64>,
    counts: Vec<u32>,
    out: Vec<u128>,
    lo: f64,
    hi: f64,
}

impl Order {
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.starts.clear();
        self.lo = f64::INFINITY;
        self.hi = f64::NEG_INFINITY;
    }

    /// Adds event `index` starting at `start`.
    #[inline]
    pub(crate) fn push(&mut self, start: f64, index: u32) {
        self.keys.push(order_key(start, index));
        self.starts.push(start);
        self.lo = self.lo.min(start);
        self.hi = self.hi.max(start);
    }

    /// Sorts the keys ascending.
    pub(crate) fn sort(&mut self) {
        let n = self.keys.len();
        let (lo, hi) = (self.lo, self.hi);
        if n < SMALL || !(lo.is_finite() && hi.is_finite() && hi > lo) {
            self.keys.sort_unstable();
            return;
        }
        let buckets = n.next_power_of_two();
        let scale = buckets as f64 / (hi - lo);
        let bucket = |s: f64| (((s - lo) * scale) as usize).min(buckets - 1);
        self.counts.clear();
        self.counts.resize(buckets + 1, 0);
        for &s in &self.starts {
            self.counts[bucket(s) + 1] += 1;
        }
        for b in 1..=buckets {
            self.counts[b] += self.counts[b - 1];
        }
        self.out.clear();
        self.out.resize(n, 0);
        for (&s, &key) in self.starts.iter().zip(&self.keys) {
            let at = &mut self.counts[bucket(s)];
            self.out[*at as usize] = key;
            *at += 1;
        }
        // Exact order: out of place only within a bucket (and anywhere, were
        // the bucket function not monotone, only slower).
        let a = &mut self.out;
        for i in 1..n {
            let x = a[i];
            let mut j = i;
            while j > 0 && a[j - 1] > x {
                a[j] = a[j - 1];
                j -= 1;
            }
            a[j] = x;
        }
        std::mem::swap(&mut self.keys, &mut self.out);
    }
}

/// A sort key ordering events by start ([`f64::total_cmp`]), then by index:
/// the start's bits mapped to an unsigned integer in the same order, above
/// the index. Sorting these integers is cheaper than comparing pairs.
#[inline]
pub(crate) fn order_key(start: f64, index: u32) -> u128 {
    let bits = start.to_bits() as i64;
    // As `total_cmp`: flip the magnitude bits of negatives, then offset the
    // signed order into the unsigned one.
    let ordered = (bits ^ (((bits >> 63) as u64) >> 1) as i64) as u64 ^ (1 << 63);
    (u128::from(ordered) << 32) | u128::from(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_keys_sort_as_total_cmp_then_index() {
        let starts = [
            -1.0e6,
            -3.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            2.0,
            8760.0,
            1.0e12,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1e-300,
        ];
        let pairs: Vec<(f64, u32)> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, (i as u32 * 7) % 5))
            .collect();
        for a in &pairs {
            for b in &pairs {
                let expected = a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
                assert_eq!(order_key(a.0, a.1).cmp(&order_key(b.0, b.1)), expected);
            }
        }
    }
}
