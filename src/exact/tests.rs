//! Tests of the exact sums: against the narrow accumulator the figures
//! were first computed with, fused products and closed forms.

use super::*;

#[test]
fn the_difference_from_cross_sums_is_the_exact_difference() {
    let xs = [0.1, 3.0, 0.0, 7.25, 1e-3, 2.5];
    let ys = [0.3, 0.0, 0.0, 9.5, 2e-3, 1.0];
    let (mut x, mut y, mut xy) = (
        ExactMoments::default(),
        ExactMoments::default(),
        ExactSum::default(),
    );
    for (&a, &b) in xs.iter().zip(&ys) {
        x.add(a);
        y.add(b);
        xy.add_product(a, b);
    }
    let d = ExactMoments::of_difference(&x, &y, &xy);
    // Σ(y − x) and Σ(y − x)² by hand: −0.8 + 0.1 … in exact rationals
    // agree with the rounded differences to a few ulps.
    let diffs: Vec<f64> = xs.iter().zip(&ys).map(|(a, b)| b - a).collect();
    let mean = diffs.iter().sum::<f64>() / 6.0;
    let var = diffs.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / 5.0;
    let (m, sd) = d.mean_sd();
    assert!((m - mean).abs() < 1e-15, "{m} {mean}");
    assert!((sd - var.sqrt()).abs() < 1e-14, "{sd} {}", var.sqrt());
    let mut i = ExactSum::default();
    i.add_integer(-(1i128 << 100) - 12345);
    i.add_integer((1i128 << 100) + 12346);
    assert_eq!(i.value(), 1.0);
    assert_eq!(
        ExactMoments::of_difference(&x, &x, &{
            let mut s = ExactSum::default();
            xs.iter().for_each(|&a| s.add_product(a, a));
            s
        })
        .mean_sd(),
        (0.0, 0.0)
    );
}

#[test]
fn sums_are_exact_and_order_free() {
    let mut a = ExactSum::default();
    for x in [1e100, 1.0, -1e100, 1e-300, 3.0] {
        a.add(x);
    }
    assert_eq!(a.value(), 4.0);
    let (hi, lo) = a.double_double();
    assert_eq!((hi, lo), (4.0, 1e-300));
    // 0.1 ten times: rounded sums give 0.9999999999999999; the exact sum of
    // the ten doubles rounds to 1.
    let mut b = ExactSum::default();
    (0..10).for_each(|_| b.add(0.1));
    assert_eq!(b.value(), 1.0);
    let xs: Vec<f64> = (0..2000)
        .map(|i| ((i * 7919) % 1000) as f64 * 1.37e-3 - 0.5 + (i as f64).sin() * 1e6)
        .collect();
    let mut fwd = ExactSum::default();
    xs.iter().for_each(|&x| fwd.add(x));
    let mut back = ExactSum::default();
    xs.iter().rev().for_each(|&x| back.add(x));
    let (mut p, mut q) = (ExactSum::default(), ExactSum::default());
    xs[..777].iter().for_each(|&x| p.add(x));
    xs[777..].iter().for_each(|&x| q.add(x));
    q.merge(&p);
    assert_eq!(fwd.double_double(), back.double_double());
    assert_eq!(fwd.double_double(), q.double_double());
    // Negative totals, subnormal terms.
    let mut c = ExactSum::default();
    c.add(-2.5);
    c.add(5e-324);
    assert_eq!(c.double_double(), (-2.5, 5e-324));
}

/// The accumulator of 32-bit digits in `i64`s the figures were first
/// computed with: a reference for the wide one.
struct Narrow([i64; 68]);

impl Narrow {
    fn add(&mut self, x: f64) {
        if x == 0.0 {
            return;
        }
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, p) = if exp == 0 {
            (frac, 0)
        } else {
            (frac | (1 << 52), exp - 1)
        };
        let v = u128::from(m) << (p % 32);
        let sign = if x < 0.0 { -1 } else { 1 };
        for j in 0..3 {
            self.0[(p / 32) as usize + j] += sign * ((v >> (32 * j)) as u64 & 0xffff_ffff) as i64;
        }
        for i in 0..67 {
            let c = self.0[i] >> 32;
            self.0[i] -= c << 32;
            self.0[i + 1] += c;
        }
    }

    fn approximate(&self) -> f64 {
        let mut d = self.0;
        let negative = d[67] < 0;
        if negative {
            d.iter_mut().for_each(|x| *x = -*x);
            for i in 0..67 {
                let c = d[i] >> 32;
                d[i] -= c << 32;
                d[i + 1] += c;
            }
        }
        let Some(top) = d.iter().rposition(|&x| x != 0) else {
            return 0.0;
        };
        let v: f64 = (top.saturating_sub(2)..=top)
            .rev()
            .fold(0.0, |v, i| v + d[i] as f64 * pow2(32 * i as i32 - 1074));
        if negative {
            -v
        } else {
            v
        }
    }
}

#[test]
fn wide_digits_round_as_the_narrow_ones_did() {
    // Terms across the range (subnormal to 1e300, both signs), past
    // many carry spans, and sums that cancel: the rounded sum and its
    // double-double are those of the 32-bit-digit accumulator.
    let mut wide = ExactSum::default();
    let mut narrow = Narrow([0; 68]);
    for i in 0..5000u64 {
        let u = (crate::world::splitmix64(i) >> 11) as f64 / (1u64 << 53) as f64;
        let mut x = 10f64.powf(-320.0 + 620.0 * u);
        if i % 3 == 0 {
            x = -x;
        }
        if i % 7 == 0 {
            x = 1.0 + u;
        }
        for t in [x, -x * 0.5, 5e-324] {
            wide.add(t);
            narrow.add(t);
        }
        if i % 500 == 0 {
            assert_eq!(
                wide.approximate().to_bits(),
                narrow.approximate().to_bits(),
                "{i}"
            );
            let (hi, lo) = wide.double_double();
            let mut rest = Narrow(narrow.0);
            rest.add(-hi);
            assert_eq!(lo.to_bits(), rest.approximate().to_bits(), "{i}");
        }
    }
    // Many equal terms: 3000 carries' worth of spans.
    let (mut w, mut n) = (ExactSum::default(), Narrow([0; 68]));
    for _ in 0..(3 * SPAN) {
        w.add(0.1);
        n.add(0.1);
        w.add(-1e-17);
        n.add(-1e-17);
    }
    assert_eq!(w.approximate().to_bits(), n.approximate().to_bits());
}

#[test]
fn dekker_products_are_the_fused_ones_bit_for_bit() {
    // Across magnitudes from the guard's lower edge to its upper one,
    // both signs, and values of few bits (exact products, e = 0).
    let mut xs = vec![
        1.0,
        0.1,
        3.0,
        1.0 / 3.0,
        8760.0,
        1e6 + 0.5,
        2f64.powi(52) + 1.0,
    ];
    for i in 0..4000u64 {
        let u = (crate::world::splitmix64(i) >> 11) as f64 / (1u64 << 53) as f64;
        let x = 10f64.powf(-140.0 + 280.0 * u);
        xs.push(if i % 2 == 0 { x } else { -x });
    }
    for (i, &a) in xs.iter().enumerate() {
        for &b in xs.iter().skip(i % 97).step_by(97) {
            let (p, e) = two_prod(a, b);
            assert_eq!(p.to_bits(), (a * b).to_bits());
            assert_eq!(e.to_bits(), a.mul_add(b, -p).to_bits(), "{a:e} × {b:e}");
        }
    }
    // Outside the guard: the fused product (huge, tiny, zero).
    for (a, b) in [
        (1e300, 1e5),
        (1e-200, 1e-100),
        (0.0, 3.0),
        (-0.0, 3.0),
        (0.0, -3.0),
        (-0.0, -0.0),
        (5e-324, 0.5),
    ] {
        let (p, e) = two_prod(a, b);
        assert_eq!(e.to_bits(), a.mul_add(b, -p).to_bits(), "{a:e} × {b:e}");
    }
}

#[test]
fn moments_match_the_two_pass_formulas() {
    let xs = [1.0, 4.0, 4.0, 7.0, 9.0];
    let mut m = ExactMoments::default();
    xs.iter().for_each(|&x| m.add(x));
    let (mean, sd) = m.mean_sd();
    assert_eq!(mean, 5.0);
    assert_eq!(sd, 9.5_f64.sqrt());
    // A large mean with a tiny spread: no cancellation.
    let mut big = ExactMoments::default();
    for x in [1e9 + 1.0, 1e9 - 1.0, 1e9 + 1.0, 1e9 - 1.0] {
        big.add(x);
    }
    let (mean, sd) = big.mean_sd();
    assert_eq!(mean, 1e9);
    assert!((sd - (4.0f64 / 3.0).sqrt()).abs() < 1e-15, "{sd}");
    assert_eq!(ExactMoments::default().mean_sd(), (0.0, 0.0));
}
