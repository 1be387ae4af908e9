//! The byte codec `shard.bin` is written in: every number as its
//! little-endian bits (u64, u32, i128, IEEE-754 f64), a flag as a byte 0/1,
//! a list as its length (u64) then its items; and the encodings of the
//! exact accumulators the parts are built of (exact sums, moments,
//! histogram tallies, quantile values). Reading checks every length against
//! the bytes left before allocating, and every value's range, so damaged
//! bytes give an error saying where, never a panic.

use crate::exact::{ExactMoments, ExactSum, SumState};
use crate::sketch::Tally;
use crate::stats::stream::QuantilesState;

/// Bytes being written.
pub(super) struct Out(pub Vec<u8>);

impl Out {
    pub fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn i128(&mut self, x: i128) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn f64(&mut self, x: f64) {
        self.u64(x.to_bits());
    }
    pub fn flag(&mut self, x: bool) {
        self.0.push(u8::from(x));
    }
    pub fn list<T>(&mut self, items: &[T], mut put: impl FnMut(&mut Self, &T)) {
        self.u64(items.len() as u64);
        for x in items {
            put(self, x);
        }
    }
    /// An exact sum: its digits (carries propagated; each an `i128`) and its non-finite flag.
    pub fn sum(&mut self, s: &ExactSum) {
        let st = s.state();
        for &d in &st.digits {
            self.i128(d);
        }
        self.flag(st.non_finite);
    }
    pub fn moments(&mut self, m: &ExactMoments) {
        self.u64(m.n);
        self.sum(m.sum());
        self.sum(m.squares());
    }
    pub fn tally(&mut self, t: &Tally) {
        self.list(&t.values, |o, &v| o.f64(v));
        self.list(&t.counts, |o, &c| o.u64(c));
    }
    /// 0 and the values kept, or 1 and the histogram's tally.
    pub fn quantiles(&mut self, q: &QuantilesState) {
        match q {
            QuantilesState::Kept(v) => {
                self.0.push(0);
                self.list(v, |o, &x| o.f64(x));
            }
            QuantilesState::Counts(t) => {
                self.0.push(1);
                self.tally(t);
            }
        }
    }
}

/// Why `shard.bin` could not be read: where, and what.
pub(super) type Bad = String;

/// Bytes being read.
pub(super) struct In<'a> {
    pub bytes: &'a [u8],
    pub at: usize,
}

/// Bytes of an encoded exact sum.
const SUM_SIZE: usize = ExactSum::DIGITS * 16 + 1;

impl In<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Bad> {
        let end = self.at.checked_add(N).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "ends early (byte {} of {})",
                self.at,
                self.bytes.len()
            ));
        };
        let mut b = [0u8; N];
        b.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        Ok(b)
    }
    pub fn u64(&mut self) -> Result<u64, Bad> {
        self.take().map(u64::from_le_bytes)
    }
    pub fn u32(&mut self) -> Result<u32, Bad> {
        self.take().map(u32::from_le_bytes)
    }
    pub fn i128(&mut self) -> Result<i128, Bad> {
        self.take().map(i128::from_le_bytes)
    }
    pub fn f64(&mut self) -> Result<f64, Bad> {
        self.u64().map(f64::from_bits)
    }
    /// A byte that must be below `kinds`.
    pub fn kind(&mut self, kinds: u8) -> Result<u8, Bad> {
        match self.take::<1>()?[0] {
            b if b < kinds => Ok(b),
            b => Err(format!(
                "byte {}: {b} is not a kind (0 to {})",
                self.at - 1,
                kinds - 1
            )),
        }
    }
    pub fn flag(&mut self) -> Result<bool, Bad> {
        match self.take::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(format!("byte {}: {b} is not a flag (0 or 1)", self.at - 1)),
        }
    }
    /// A list whose items are each at least `min_size` bytes long.
    pub fn list<T>(
        &mut self,
        min_size: usize,
        mut get: impl FnMut(&mut Self) -> Result<T, Bad>,
    ) -> Result<Vec<T>, Bad> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) as u64;
        if n.saturating_mul(min_size as u64) > left {
            return Err(format!(
                "byte {}: a list of {n} items does not fit in the {left} bytes left",
                self.at - 8
            ));
        }
        (0..n).map(|_| get(self)).collect()
    }
    pub fn sum(&mut self) -> Result<ExactSum, Bad> {
        let at = self.at;
        let digits = (0..ExactSum::DIGITS)
            .map(|_| self.i128())
            .collect::<Result<Vec<_>, _>>()?;
        let state = SumState {
            digits,
            non_finite: self.flag()?,
        };
        ExactSum::from_state(&state)
            .ok_or_else(|| format!("byte {at}: an exact sum's digits are out of range"))
    }
    pub fn moments(&mut self) -> Result<ExactMoments, Bad> {
        let n = self.u64()?;
        Ok(ExactMoments::from_sums(n, self.sum()?, self.sum()?))
    }
    /// Size of an encoded [`ExactMoments`].
    pub const MOMENTS_SIZE: usize = 8 + 2 * SUM_SIZE;
    pub const SUM_SIZE: usize = SUM_SIZE;
    /// A tally: ascending non-negative values, as many counts as values.
    pub fn tally(&mut self) -> Result<Tally, Bad> {
        let at = self.at;
        let t = Tally {
            values: self.list(8, In::f64)?,
            counts: self.list(8, In::u64)?,
        };
        let ascending = t.values.windows(2).all(|w| w[0] < w[1]);
        let in_range = t.values.iter().all(|v| v.is_finite() && *v >= 0.0);
        if t.values.len() != t.counts.len() || !ascending || !in_range {
            return Err(format!(
                "byte {at}: a tally's values are not ascending, non-negative and one per count"
            ));
        }
        Ok(t)
    }
    pub fn quantiles(&mut self) -> Result<QuantilesState, Bad> {
        Ok(match self.kind(2)? {
            0 => QuantilesState::Kept(self.list(8, In::f64)?),
            _ => QuantilesState::Counts(self.tally()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::stats::stream::{Quantiles, QuantilesState};

    /// A histogram written as its tally (bucket representatives and counts)
    /// reads back into the same buckets: over twenty-four decades of values,
    /// the state read back gives the same state, and merging read-back parts
    /// gives the quantiles of the whole.
    #[test]
    fn histogram_counts_read_back_into_the_same_buckets() {
        let xs: Vec<f64> = (0..40_000)
            .map(|i| {
                let u = ((i as u64 * 2_654_435_761) % 1_000_003) as f64 / 1_000_003.0;
                if i % 7 == 0 {
                    0.0
                } else {
                    10f64.powf(-12.0 + 24.0 * u)
                }
            })
            .collect();
        let mut whole = Quantiles::new(100);
        let mut merged = Quantiles::new(100);
        for part in xs.chunks(9_000) {
            let mut q = Quantiles::new(100);
            part.iter().for_each(|&x| {
                q.add(x);
                whole.add(x);
            });
            let state = q.state();
            assert!(matches!(state, QuantilesState::Counts(_)));
            let back = Quantiles::from_state(100, state.clone()).unwrap();
            assert_eq!(back.state(), state);
            merged.merge(&back);
        }
        assert_eq!(merged.state(), whole.state());
        let (a, b) = (whole.finish(), merged.finish());
        for p in [0.0, 0.3, 0.5, 0.9, 0.999, 1.0] {
            assert_eq!(a.quantile(p).to_bits(), b.quantile(p).to_bits(), "p {p}");
        }
        // A value that is no bucket's representative is refused.
        let bad = crate::sketch::Tally {
            values: vec![1.0],
            counts: vec![1],
        };
        assert!(Quantiles::from_state(100, QuantilesState::Counts(bad)).is_err());
        assert!(Quantiles::from_state(1, QuantilesState::Kept(vec![1.0, 2.0])).is_err());
    }
}
