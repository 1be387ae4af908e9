//! Premiums from the simulated annual payouts: the four premium principles
//! (expected value, standard deviation, cost of capital, Wang transform) give
//! a risk premium, which is grossed up by the expense ratio:
//! `premium = risk premium / (1 − expense_ratio)` (expenses are that share of
//! the gross premium). An importance-sampled run's premiums read the
//! weighted moments and curve ([`super::weighing`]). Formulas in
//! docs/insurance.md.

use super::ep::EpCurve;
use super::period_weights::WeightedCurve;
use super::weighing::Curve;
use crate::dist::normal_cdf;
use crate::model::{PremiumPrinciple, Pricing};
use crate::stats::Moments;

/// The risk premium and the premium after the expense gross-up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Premium {
    pub risk: f64,
    pub gross: f64,
}

/// Prices annual payouts with the given moments and exceedance curve.
pub fn premium(pricing: &Pricing, m: &Moments, curve: &Curve) -> Premium {
    let e = m.mean;
    let risk = match pricing.principle {
        PremiumPrinciple::ExpectedValue { loading } => (1.0 + loading) * e,
        PremiumPrinciple::StdDev { loading } => e + loading * m.sd,
        PremiumPrinciple::CostOfCapital { rate, level } => e + rate * (curve.tvar(level) - e),
        PremiumPrinciple::Wang { lambda } => match curve {
            Curve::Plain(c) => wang(c, lambda),
            Curve::Weighted(c) => wang_weighted(c, lambda),
        },
    };
    Premium {
        risk,
        gross: gross_up(risk, pricing.expense_ratio),
    }
}

/// `risk / (1 − expense_ratio)`.
pub fn gross_up(risk: f64, expense_ratio: f64) -> f64 {
    risk / (1.0 - expense_ratio)
}

/// Wang transform premium `∫₀^∞ g(S(x)) dx` with `g(s) = Φ(Φ⁻¹(s) + λ)` over the
/// simulated exceedance curve (non-negative losses). S is a step function, so
/// with losses L₁ ≥ … ≥ L_N (L_{N+1} = 0) the integral is
/// `Σᵢ (Lᵢ − Lᵢ₊₁) g(i / N)`; with λ = 0 it is the sample mean.
pub fn wang(curve: &EpCurve, lambda: f64) -> f64 {
    let l = curve.descending();
    let n = l.len();
    let mut sum = 0.0;
    for i in 1..=n {
        let next = if i < n { l[i] } else { 0.0 };
        let step = l[i - 1] - next;
        if step != 0.0 {
            sum += step * wang_distortion(i as f64 / n as f64, lambda);
        }
    }
    sum
}

/// The Wang transform premium over a period-weighted curve: with losses
/// L₁ ≥ … ≥ L_N (L_{N+1} = 0) and F_i = Σ_{j ≤ i} w_j / N the weighted share
/// of periods at or above L_i, `Σᵢ (Lᵢ − Lᵢ₊₁) g(F_i)`; with λ = 0 it is
/// Σ w L / N, the weighted mean, and with every weight 1, [`wang`].
pub fn wang_weighted(curve: &WeightedCurve, lambda: f64) -> f64 {
    let mut ranked = curve.ranked().peekable();
    let mut sum = 0.0;
    while let Some((x, f)) = ranked.next() {
        let next = ranked.peek().map_or(0.0, |p| p.0);
        let step = x - next;
        if step != 0.0 {
            sum += step * wang_distortion(f, lambda);
        }
    }
    sum
}

/// `g(s) = Φ(Φ⁻¹(s) + λ)`, with g(0) = 0 and g(1) = 1.
pub fn wang_distortion(s: f64, lambda: f64) -> f64 {
    if s <= 0.0 {
        0.0
    } else if s >= 1.0 {
        1.0
    } else {
        normal_cdf(normal_quantile(s) + lambda)
    }
}

/// Standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational
/// approximation, relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PremiumPrinciple::*;

    #[test]
    fn normal_quantiles() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.95, crate::dist::Z95),
            (0.1, -1.281_551_565_544_601),
            (0.001, -3.090_232_306_167_813),
            (0.999_99, 4.264_890_793_922_602),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-8,
                "{p}: {}",
                normal_quantile(p)
            );
        }
    }

    fn setup(v: &[f64]) -> (Moments, Curve) {
        (Moments::of(v.iter().copied()), Curve::new(v, None))
    }

    #[test]
    fn principles() {
        let v = [0.0, 0.0, 10.0, 0.0, 30.0, 0.0, 0.0, 20.0, 0.0, 40.0];
        let (m, c) = setup(&v);
        let price = |principle, expense_ratio| {
            premium(
                &Pricing {
                    principle,
                    expense_ratio,
                },
                &m,
                &c,
            )
        };
        assert!((price(ExpectedValue { loading: 0.25 }, 0.0).risk - 12.5).abs() < 1e-12);
        let sd = price(StdDev { loading: 0.5 }, 0.3);
        assert!((sd.risk - (10.0 + 0.5 * m.sd)).abs() < 1e-12);
        assert!((sd.gross - sd.risk / 0.7).abs() < 1e-12);
        // TVaR at 0.8: the mean of the two worst of ten periods, 35.
        let coc = price(
            CostOfCapital {
                rate: 0.1,
                level: 0.8,
            },
            0.0,
        );
        assert!((coc.risk - (10.0 + 0.1 * 25.0)).abs() < 1e-12);
        // Wang with λ = 0 is the mean; with λ > 0 a Bernoulli loss c (probability q) costs c Φ(Φ⁻¹(q) + λ).
        assert!((price(Wang { lambda: 0.0 }, 0.0).risk - 10.0).abs() < 1e-5);
        let (m1, c1) = setup(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0]);
        let w = premium(
            &Pricing {
                principle: Wang { lambda: 0.5 },
                expense_ratio: 0.0,
            },
            &m1,
            &c1,
        );
        // Φ(−1.2815516 + 0.5) = Φ(−0.7815516) = 0.2172391.
        assert!((w.risk - 21.723_908).abs() < 1e-4, "{}", w.risk);
        // A larger λ loads more.
        let w2 = premium(
            &Pricing {
                principle: Wang { lambda: 1.0 },
                expense_ratio: 0.0,
            },
            &m1,
            &c1,
        );
        assert!(w2.risk > w.risk && w.risk > m1.mean);
        // A certain loss is not loaded: S = 1 below it, and g(1) = 1.
        let (m3, c3) = setup(&[5.0; 8]);
        let w3 = premium(
            &Pricing {
                principle: Wang { lambda: 0.7 },
                expense_ratio: 0.0,
            },
            &m3,
            &c3,
        );
        assert_eq!(w3.risk, 5.0);
    }

    #[test]
    fn weighted_wang_with_unit_weights_is_plain_and_with_no_load_the_weighted_mean() {
        let v = [0.0, 0.0, 10.0, 0.0, 30.0, 0.0, 0.0, 20.0, 0.0, 40.0];
        let unit = WeightedCurve::new(&v, &[1.0; 10]);
        let plain = EpCurve::new(v.iter().copied());
        for lambda in [0.0, 0.3, 1.0] {
            let (a, b) = (wang_weighted(&unit, lambda), wang(&plain, lambda));
            assert!((a - b).abs() < 1e-12, "{lambda}: {a} {b}");
        }
        // λ = 0: Σ w L / N exactly (the distortion is the identity).
        let w = [0.5, 2.0, 0.1, 1.0, 0.2, 1.0, 3.0, 0.7, 1.0, 0.5];
        let mean: f64 = v.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() / 10.0;
        let c = WeightedCurve::new(&v, &w);
        assert!((wang_weighted(&c, 0.0) - mean).abs() < 1e-6);
        assert!(wang_weighted(&c, 0.5) > mean);
    }
}
