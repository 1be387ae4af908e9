//! Events in start order without a comparison sort. A trial's event starts
//! are spread over `[0, sampled_until)` (those in progress at 0 start
//! before it), so a counting pass by start into about as many buckets as
//! events — a monotone function of the start over that known range, counted
//! as the events are pushed — leaves each event among a few neighbours, and
//! a stable insertion pass then puts them in exact order by start.
//!
//! Only the order by start matters to the cluster evaluator: events that
//! start at the same instant are in the same cluster whichever comes first
//! (each one's start is at most the other's end), so ties may come in any
//! order (they come in push order).

/// Below this many events an insertion pass alone is as cheap.
const SMALL: usize = 12;

/// One event to order: its interval, its index in the world, and its lone
/// effect ([`super::Effect`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Item {
    pub(crate) start: f64,
    pub(crate) end: f64,
    pub(crate) index: u32,
    pub(crate) effect: u32,
}

/// `2^52`: adding it to a number in `[0, 2^52)` leaves that number, rounded
/// to an integer, in the low bits of the sum.
const SHIFT: f64 = 4_503_599_627_370_496.0;

/// Scratch for [`Order::sort`]: the items, their buckets, bucket counts, and
/// the sorted copy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Order {
    pub(crate) items: Vec<Item>,
    buckets: Vec<u32>,
    counts: Vec<u32>,
    out: Vec<Item>,
    /// Buckets − 1, and buckets per hour.
    last: u64,
    scale: f64,
}

impl Order {
    /// Empties the list for at most `events` items whose starts mostly lie
    /// in `[0, until)`.
    pub(crate) fn clear(&mut self, events: usize, until: f64) {
        self.items.clear();
        self.buckets.clear();
        // About one bucket per two events: not all of them are pushed.
        let buckets = (events / 2).max(1);
        self.last = buckets as u64 - 1;
        // A start outside [0, until), or a range that is not finite and
        // positive, falls into the first or last bucket (monotone still).
        self.scale = if until.is_finite() && until > 0.0 {
            buckets as f64 / until
        } else {
            0.0
        };
        self.counts.clear();
        self.counts.resize(buckets + 1, 0);
    }

    /// The bucket of a start: non-decreasing in the start. Each step is: a
    /// product with a non-negative constant; the larger of that and 0 (NaN
    /// to 0); plus [`SHIFT`], rounded to nearest (a sum with a constant, so
    /// non-decreasing); its bits, which order non-negative numbers as they
    /// are ordered, less those of `SHIFT` (which it is at least); the
    /// smaller of that and the last bucket.
    #[inline]
    fn bucket(&self, start: f64) -> u32 {
        let x = (start * self.scale).max(0.0) + SHIFT;
        (x.to_bits() - SHIFT.to_bits()).min(self.last) as u32
    }

    /// Adds one item.
    #[inline]
    pub(crate) fn push(&mut self, item: Item) {
        let b = self.bucket(item.start);
        if let Some(count) = self.counts.get_mut(b as usize + 1) {
            *count += 1;
        }
        self.buckets.push(b);
        self.items.push(item);
    }

    /// Sorts the items by start (stable). Not inlined: inlined into the
    /// cluster evaluator's loop it cost more (deep chain, 300 instructions
    /// a trial).
    #[inline(never)]
    pub(crate) fn sort(&mut self) {
        let n = self.items.len();
        if n >= SMALL {
            for b in 1..self.counts.len() {
                self.counts[b] += self.counts[b - 1];
            }
            // Every slot below `n` is written: only grown, never cleared.
            if self.out.len() < n {
                self.out.resize(
                    n,
                    Item {
                        start: 0.0,
                        end: 0.0,
                        index: 0,
                        effect: 0,
                    },
                );
            }
            for (&item, &b) in self.items.iter().zip(&self.buckets) {
                let at = &mut self.counts[b as usize];
                self.out[*at as usize] = item;
                *at += 1;
            }
            std::mem::swap(&mut self.items, &mut self.out);
            self.items.truncate(n);
        }
        // Exact order: out of place only within a bucket (and anywhere, were
        // the bucket function not monotone, only slower).
        insertion(&mut self.items);
    }
}

/// Stable insertion sort by start; an item already after its predecessor
/// (most of them, after the bucket pass) is only compared.
#[inline]
fn insertion(a: &mut [Item]) {
    for i in 1..a.len() {
        if a[i - 1].start > a[i].start {
            let x = a[i];
            let mut j = i - 1;
            a[i] = a[j];
            while j > 0 && a[j - 1].start > x.start {
                a[j] = a[j - 1];
                j -= 1;
            }
            a[j] = x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorted as a stable comparison sort by start sorts them, for every
    /// size around the bucketed one's threshold, starts inside and outside
    /// the announced range, ties and signed zeros included.
    #[test]
    fn order_equals_a_stable_sort_by_start() {
        let mut x = 7u64;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x >> 11
        };
        for n in 0..80usize {
            for &until in &[100.0, 1.0, f64::INFINITY, 0.0] {
                let mut order = Order::default();
                order.clear(n + 3, until);
                let mut expected = Vec::new();
                for k in 0..n {
                    let start = match next() % 7 {
                        0 => -((next() % 50) as f64),
                        1 => 120.0 + (next() % 9) as f64,
                        2 => (next() % 4) as f64 * 25.0,
                        3 => -0.0,
                        _ => (next() % 1_000_000) as f64 * 1e-4,
                    };
                    let item = Item {
                        start,
                        end: start + 1.0,
                        index: k as u32,
                        effect: 0,
                    };
                    order.push(item);
                    expected.push(item);
                }
                expected.sort_by(|a, b| a.start.partial_cmp(&b.start).expect("finite"));
                order.sort();
                assert_eq!(order.items, expected, "n = {n}, until = {until}");
            }
        }
    }
}
