//! Exact sums of floating-point numbers: every finite `f64` is added without
//! rounding into a fixed-point accumulator wide enough for the whole `f64`
//! range (64-bit digits from 2⁻¹⁰⁷⁴ up, each held in an `i128` so that a
//! term is one wide addition and carries wait for a thousand terms), so a
//! sum does not depend on the order its terms come in, and sums of parts
//! merge into exactly the sum of the whole. [`ExactMoments`] builds the mean
//! and sample variance from the exact sums of `x` and `x²` (each square
//! split exactly into two doubles), rounded once at the end in double-double
//! arithmetic: the figures of a run are the same for any thread count,
//! chunking or split into shards.

/// Digits of 64 bits: 2098 bits of the `f64` range plus room for 2⁶⁴ carries.
const DIGITS: usize = 35;
/// Adds between carry propagations: a term adds less than 2¹¹⁶ to one
/// digit, and a digit holds less than 2⁶⁴ after a carry, so 2¹⁰ terms stay
/// far below 2¹²⁷.
const SPAN: u32 = 1 << 10;

/// The exact sum of finite `f64`s (non-finite terms make it NaN).
#[derive(Debug, Clone, PartialEq)]
pub struct ExactSum {
    digits: [i128; DIGITS],
    pending: u32,
    non_finite: bool,
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum {
            digits: [0; DIGITS],
            pending: 0,
            non_finite: false,
        }
    }
}

/// `2^e` for `−1074 ≤ e`, infinite past the `f64` range.
fn pow2(e: i32) -> f64 {
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

impl ExactSum {
    /// Adds `x` exactly.
    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.non_finite = true;
            return;
        }
        if x == 0.0 {
            return;
        }
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        // x = ±m · 2^(p − 1074).
        let (m, p) = if exp == 0 {
            (frac, 0)
        } else {
            (frac | (1u64 << 52), exp - 1)
        };
        let (k, r) = ((p >> 6) as usize, p & 63);
        let v = i128::from(m) << r;
        if x < 0.0 {
            self.digits[k] -= v;
        } else {
            self.digits[k] += v;
        }
        self.pending += 1;
        if self.pending >= SPAN {
            self.carry();
        }
    }

    /// Propagates carries: every digit but the top one into [0, 2⁶⁴).
    #[cold]
    #[inline(never)]
    fn carry(&mut self) {
        for i in 0..DIGITS - 1 {
            let c = self.digits[i] >> 64;
            self.digits[i] -= c << 64;
            self.digits[i + 1] += c;
        }
        self.pending = 0;
    }

    /// Adds the product `a · b` exactly (as two doubles whose sum it is).
    pub fn add_product(&mut self, a: f64, b: f64) {
        if a == 0.0 || b == 0.0 {
            return;
        }
        let (p, e) = two_prod(a, b);
        self.add(p);
        self.add(e);
    }

    /// Adds the integer `v` exactly (in pieces of at most 48 bits).
    pub fn add_integer(&mut self, v: i128) {
        let sign = if v < 0 { -1.0 } else { 1.0 };
        let u = v.unsigned_abs();
        for shift in [0, 48, 96] {
            let piece = (u >> shift) & ((1 << 48) - 1);
            if piece != 0 {
                self.add(sign * piece as f64 * pow2(shift));
            }
        }
    }

    /// `k` times this sum, for `k` in −2 … 2 (exact).
    pub fn scaled(&self, k: i64) -> ExactSum {
        debug_assert!((-2..=2).contains(&k));
        let mut s = self.clone();
        s.carry();
        for d in s.digits.iter_mut() {
            *d *= i128::from(k);
        }
        s.pending = 2;
        s
    }

    /// Adds every term of `other`.
    pub fn merge(&mut self, other: &ExactSum) {
        let mut o = other.clone();
        o.carry();
        self.carry();
        for (d, e) in self.digits.iter_mut().zip(&o.digits) {
            *d += e;
        }
        self.pending = 2;
        self.non_finite |= other.non_finite;
    }

    /// The sum rounded to an `f64` (within an ulp; the same for the same terms in any order).
    pub fn value(&self) -> f64 {
        self.double_double().0
    }

    /// The sum as an unevaluated `hi + lo` (about 106 bits).
    pub fn double_double(&self) -> (f64, f64) {
        if self.non_finite {
            return (f64::NAN, 0.0);
        }
        let hi = self.approximate();
        let mut rest = self.clone();
        rest.add(-hi);
        let lo = if hi.is_finite() {
            rest.approximate()
        } else {
            0.0
        };
        (hi, lo)
    }

    /// The sum from its top three 32-bit digits (of the magnitude), rounded.
    fn approximate(&self) -> f64 {
        let mut d = self.clone();
        d.carry();
        let negative = d.digits[DIGITS - 1] < 0;
        if negative {
            for x in d.digits.iter_mut() {
                *x = -*x;
            }
            d.carry();
        }
        // The magnitude in digits of 32 bits: each 64-bit digit below the
        // top is in [0, 2⁶⁴), so its halves are the canonical ones.
        let mut halves = [0i128; 2 * DIGITS];
        for (i, &x) in d.digits.iter().enumerate() {
            halves[2 * i] = x & 0xffff_ffff;
            halves[2 * i + 1] = x >> 32;
        }
        let Some(top) = halves.iter().rposition(|&x| x != 0) else {
            return 0.0;
        };
        let mut v = 0.0;
        for i in (top.saturating_sub(2)..=top).rev() {
            v += halves[i] as f64 * pow2(32 * i as i32 - 1074);
        }
        if negative {
            -v
        } else {
            v
        }
    }
}

/// `a + b` as `(s, e)` with `s + e` exactly `a + b`.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// `a · b` as `(p, e)` with `p + e` exactly `a · b`.
///
/// Where nothing can overflow or underflow, by Dekker's product of
/// Veltkamp halves (26 bits each, so every partial product is exact): the
/// error `e = a·b − p` is then a double, unique, so this is the same value
/// a fused multiply-add gives, bit for bit, without one (a call into the
/// runtime's `fma` where the build does not assume the instruction).
/// Elsewhere, the fused multiply-add itself.
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    // |a|, |b| < 2⁹⁹⁵: the split's 2²⁷·x stays finite; |p| > 2⁻⁹⁶⁰: every
    // partial product and the error stay normal.
    const BIG: f64 = 3.2e299; // < 2⁹⁹⁵ ≈ 3.35e299
    const SMALL: f64 = 1.1e-289; // > 2⁻⁹⁶⁰ ≈ 1.0e-289
    if p == 0.0 && (a == 0.0 || b == 0.0) {
        // An exact zero: the fused error term is +0 too.
        (p, 0.0)
    } else if a.abs() < BIG && b.abs() < BIG && p.abs() > SMALL {
        let (ah, al) = split(a);
        let (bh, bl) = split(b);
        (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    } else {
        (p, a.mul_add(b, -p))
    }
}

/// Veltkamp's split of `x` into `hi + lo`, each of at most 26 significant bits.
#[inline]
fn split(x: f64) -> (f64, f64) {
    let c = 134_217_729.0 * x; // (2²⁷ + 1)·x
    let hi = c - (c - x);
    (hi, x - hi)
}

/// Count, exact sum and exact sum of squares of a series: mean and sample
/// standard deviation independent of the order of the values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExactMoments {
    pub n: u64,
    sum: ExactSum,
    squares: ExactSum,
}

impl ExactMoments {
    /// The exact sum of the squares.
    pub fn squares(&self) -> &ExactSum {
        &self.squares
    }

    /// The moments of `n` integers from their sum and sum of squares.
    pub fn of_integers(n: u64, (sum, squares): (i128, i128)) -> Self {
        let exact = |v: i128| {
            let mut s = ExactSum::default();
            s.add_integer(v);
            s
        };
        ExactMoments::from_sums(n, exact(sum), exact(squares))
    }

    /// From a count and the exact sums of the values and of their squares.
    pub fn from_sums(n: u64, sum: ExactSum, squares: ExactSum) -> Self {
        ExactMoments { n, sum, squares }
    }

    /// The moments of `y − x` over the same trials, from those of `x` and
    /// `y` and the exact `Σxy`: `Σ(y − x) = Σy − Σx` and
    /// `Σ(y − x)² = Σy² − 2Σxy + Σx²`, every sum exact.
    pub fn of_difference(x: &ExactMoments, y: &ExactMoments, xy: &ExactSum) -> Self {
        let mut sum = y.sum.clone();
        sum.merge(&x.sum.scaled(-1));
        let mut squares = y.squares.clone();
        squares.merge(&x.squares);
        squares.merge(&xy.scaled(-2));
        ExactMoments {
            n: y.n,
            sum,
            squares,
        }
    }

    pub fn add(&mut self, x: f64) {
        self.n += 1;
        if x == 0.0 {
            // Adds nothing to either sum.
            return;
        }
        self.sum.add(x);
        let (p, e) = two_prod(x, x);
        self.squares.add(p);
        self.squares.add(e);
    }

    pub fn merge(&mut self, other: &ExactMoments) {
        self.n += other.n;
        self.sum.merge(&other.sum);
        self.squares.merge(&other.squares);
    }

    /// `(mean, sample sd)`: `Σx / n` and `√((Σx² − (Σx)²/n) / (n − 1))`
    /// in double-double arithmetic from the exact sums (sd 0 for n < 2).
    pub fn mean_sd(&self) -> (f64, f64) {
        if self.n == 0 {
            return (0.0, 0.0);
        }
        let n = self.n as f64;
        let (s_hi, s_lo) = self.sum.double_double();
        let m_hi = s_hi / n;
        // s_hi − m_hi·n is exact in one fused operation.
        let mean = m_hi + ((-m_hi).mul_add(n, s_hi) + s_lo) / n;
        if self.n < 2 {
            return (mean, 0.0);
        }
        // (Σx)² / n in double-double.
        let (p, e) = two_prod(s_hi, s_hi);
        let e = e + 2.0 * s_hi * s_lo;
        let (p, e) = two_sum(p, e);
        let q_hi = p / n;
        let (r, r_e) = two_prod(q_hi, n);
        let q_lo = ((p - r) - r_e + e) / n;
        // Σx² − (Σx)²/n.
        let (t_hi, t_lo) = self.squares.double_double();
        let (d, d_e) = two_sum(t_hi, -q_hi);
        let m2 = d + (d_e + t_lo - q_lo);
        (mean, (m2.max(0.0) / (n - 1.0)).sqrt())
    }
}

/// A sum's exact state as plain data (a shard's `shard.bin`): its 64-bit
/// digits from 2⁻¹⁰⁷⁴ up with the carries propagated (every digit but the
/// top one in [0, 2⁶⁴), the top one signed), and whether a non-finite term
/// was added.
#[derive(Debug, Clone, PartialEq)]
pub struct SumState {
    pub digits: Vec<i128>,
    pub non_finite: bool,
}

impl ExactSum {
    /// Digits in a sum's state.
    pub const DIGITS: usize = DIGITS;

    /// This sum's state (the same for the same terms in any order).
    pub fn state(&self) -> SumState {
        let mut s = self.clone();
        s.carry();
        SumState {
            digits: s.digits.to_vec(),
            non_finite: s.non_finite,
        }
    }

    /// The sum whose state is `state`; `None` unless it is one that
    /// [`ExactSum::state`] gives (digits in range, so later additions cannot overflow).
    pub fn from_state(state: &SumState) -> Option<ExactSum> {
        if state.digits.len() != DIGITS {
            return None;
        }
        let (low, top) = state.digits.split_at(DIGITS - 1);
        if low.iter().any(|d| !(0..1i128 << 64).contains(d)) || top[0].unsigned_abs() > 1u128 << 40
        {
            return None;
        }
        let mut digits = [0; DIGITS];
        digits.copy_from_slice(&state.digits);
        Some(ExactSum {
            digits,
            pending: 0,
            non_finite: state.non_finite,
        })
    }
}

impl ExactMoments {
    /// The exact sum of the values.
    pub fn sum(&self) -> &ExactSum {
        &self.sum
    }
}

#[cfg(test)]
mod tests;
