//! Outage duration distributions: built once from validated parameters, then
//! sampled in the hot loop. Each knows its mean and how to sample the
//! *equilibrium* (length-biased) state of an outage already in progress, which
//! is what makes every trial start in the steady state.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, LogNormal};

/// z such that Φ(z) = 0.95.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// A duration distribution in hours.
#[derive(Debug, Clone)]
pub enum Duration {
    Fixed(f64),
    Exponential {
        mean: f64,
        exp: Exp<f64>,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        ln: LogNormal<f64>,
        biased: LogNormal<f64>,
    },
    Weibull {
        shape: f64,
        scale: f64,
        biased: Gamma<f64>,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Observed durations and their running sums (for length-biased picks).
    Empirical {
        hours: Vec<f64>,
        cumulative: Vec<f64>,
    },
}

impl Duration {
    pub fn fixed(hours: f64) -> Self {
        Duration::Fixed(hours)
    }

    /// Exponential with the given mean (> 0); panics where
    /// [`Duration::try_exponential`] fails.
    pub fn exponential(mean: f64) -> Self {
        Self::try_exponential(mean).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Exponential with the given mean, or why it cannot be built.
    pub fn try_exponential(mean: f64) -> Result<Self, String> {
        let rate = 1.0 / mean;
        if !(mean > 0.0 && mean.is_finite() && rate.is_finite()) {
            return Err(format!(
                "mean_hours {mean} must be a positive number whose reciprocal is finite"
            ));
        }
        Ok(Duration::Exponential {
            mean,
            exp: Exp::new(rate).map_err(|e| e.to_string())?,
        })
    }

    /// Lognormal from its median and 95th percentile (p95 > median > 0);
    /// panics where [`Duration::try_lognormal`] fails.
    pub fn lognormal(median: f64, p95: f64) -> Self {
        Self::try_lognormal(median, p95).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Lognormal from its median and 95th percentile, or why it cannot be
    /// built (their ratio or the length-biased parameters overflow).
    pub fn try_lognormal(median: f64, p95: f64) -> Result<Self, String> {
        let mu = median.ln();
        let sigma = (p95 / median).ln() / Z95;
        // Length-biasing a lognormal shifts mu by sigma².
        let biased_mu = mu + sigma * sigma;
        if !(mu.is_finite() && sigma.is_finite() && sigma > 0.0 && biased_mu.is_finite()) {
            return Err(format!(
                "p95_hours / median_hours = {} / {} is too large a spread to simulate; bring p95_hours closer to median_hours",
                crate::budget::sci(p95),
                crate::budget::sci(median)
            ));
        }
        Ok(Duration::LogNormal {
            mu,
            sigma,
            ln: LogNormal::new(mu, sigma).map_err(|e| e.to_string())?,
            biased: LogNormal::new(biased_mu, sigma).map_err(|e| e.to_string())?,
        })
    }

    /// Weibull with shape k > 0 and scale > 0; panics where
    /// [`Duration::try_weibull`] fails.
    pub fn weibull(shape: f64, scale: f64) -> Self {
        Self::try_weibull(shape, scale).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Weibull with shape k and scale, or why it cannot be built.
    pub fn try_weibull(shape: f64, scale: f64) -> Result<Self, String> {
        let k = 1.0 + 1.0 / shape;
        if !(shape > 0.0 && scale > 0.0 && scale.is_finite() && k.is_finite()) {
            return Err(format!(
                "shape {shape} and scale_hours {scale} must be positive, with 1/shape finite"
            ));
        }
        Ok(Duration::Weibull {
            shape,
            scale,
            biased: Gamma::new(k, 1.0).map_err(|e| e.to_string())?,
        })
    }

    /// Uniform on [min, max] (0 <= min <= max).
    pub fn uniform(min: f64, max: f64) -> Self {
        Duration::Uniform { min, max }
    }

    /// Resample the given observations with equal weight (non-empty, >= 0, not all 0).
    pub fn empirical(hours: Vec<f64>) -> Self {
        let mut acc = 0.0;
        let cumulative = hours
            .iter()
            .map(|h| {
                acc += h;
                acc
            })
            .collect();
        Duration::Empirical { hours, cumulative }
    }

    /// Expected duration in hours.
    pub fn mean(&self) -> f64 {
        match self {
            Duration::Fixed(h) => *h,
            Duration::Exponential { mean, .. } => *mean,
            Duration::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            Duration::Weibull { shape, scale, .. } => scale * gamma(1.0 + 1.0 / shape),
            Duration::Uniform { min, max } => (min + max) / 2.0,
            Duration::Empirical { hours, .. } => hours.iter().sum::<f64>() / hours.len() as f64,
        }
    }

    /// P(duration > x).
    pub fn survival(&self, x: f64) -> f64 {
        if x < 0.0 {
            return 1.0;
        }
        match self {
            Duration::Fixed(h) => f64::from(u8::from(*h > x)),
            Duration::Exponential { mean, .. } => (-x / mean).exp(),
            Duration::LogNormal { mu, sigma, .. } => {
                if x == 0.0 {
                    1.0
                } else {
                    1.0 - normal_cdf((x.ln() - mu) / sigma)
                }
            }
            Duration::Weibull { shape, scale, .. } => (-(x / scale).powf(*shape)).exp(),
            Duration::Uniform { min, max } => {
                if x < *min {
                    1.0
                } else if x >= *max {
                    0.0
                } else {
                    (max - x) / (max - min)
                }
            }
            Duration::Empirical { hours, .. } => {
                hours.iter().filter(|&&h| h > x).count() as f64 / hours.len() as f64
            }
        }
    }

    /// One outage duration.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Duration::Fixed(h) => *h,
            Duration::Exponential { exp, .. } => exp.sample(rng),
            Duration::LogNormal { ln, .. } => ln.sample(rng),
            Duration::Weibull { shape, scale, .. } => {
                // Inverse transform: scale · (−ln U)^(1/k), U in (0,1].
                let u: f64 = 1.0 - rng.random::<f64>();
                scale * (-u.ln()).powf(1.0 / shape)
            }
            Duration::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Duration::Empirical { hours, .. } => hours[rng.random_range(0..hours.len())],
        }
    }

    /// An outage in progress at a random instant of a stationary process:
    /// returns `(age, remaining)`, both >= 0. Its total length is drawn from
    /// the length-biased distribution (density x·f(x)/E[D]) and the instant
    /// falls uniformly inside it.
    pub fn sample_in_progress<R: Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        let total = match self {
            Duration::Fixed(h) => *h,
            // Length-biased exponential is Gamma(2, mean): the sum of two.
            Duration::Exponential { exp, .. } => exp.sample(rng) + exp.sample(rng),
            Duration::LogNormal { biased, .. } => biased.sample(rng),
            Duration::Weibull {
                shape,
                scale,
                biased,
            } => scale * biased.sample(rng).powf(1.0 / shape),
            Duration::Uniform { min, max } => {
                // sqrt(min² + u (max² − min²)), scaled by max so that it
                // cannot overflow.
                let u: f64 = rng.random();
                let r = min / max;
                max * (r * r + u * (1.0 - r * r)).sqrt()
            }
            Duration::Empirical { hours, cumulative } => {
                let total = *cumulative.last().expect("non-empty");
                let target = rng.random::<f64>() * total;
                let i = cumulative
                    .partition_point(|&c| c <= target)
                    .min(hours.len() - 1);
                hours[i]
            }
        };
        let remaining = rng.random::<f64>() * total;
        (total - remaining, remaining)
    }

    /// Short human description, e.g. `lognormal(median 4 h, p95 16 h)`.
    pub fn describe(&self) -> String {
        match self {
            Duration::Fixed(h) => format!("fixed {h} h"),
            Duration::Exponential { mean, .. } => format!("exponential(mean {mean} h)"),
            Duration::LogNormal { mu, sigma, .. } => format!(
                "lognormal(median {} h, p95 {} h)",
                round_sig(mu.exp()),
                round_sig((mu + sigma * Z95).exp())
            ),
            Duration::Weibull { shape, scale, .. } => {
                format!("weibull(shape {shape}, scale {scale} h)")
            }
            Duration::Uniform { min, max } => format!("uniform({min}–{max} h)"),
            Duration::Empirical { hours, .. } => format!("empirical({} observations)", hours.len()),
        }
    }
}

fn round_sig(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The Lanczos series (g = 7, n = 9) at x ≥ 0.5: (x − 1, t, A) with
/// t = x + 6.5 and Γ(x) = √(2π) · t^(x − ½) · e^(−t) · A.
fn lanczos(x: f64) -> (f64, f64, f64) {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    (x, t, a)
}

/// Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-13).
pub fn gamma(x: f64) -> f64 {
    if x < 0.5 {
        std::f64::consts::PI / ((std::f64::consts::PI * x).sin() * gamma(1.0 - x))
    } else {
        let (x, t, a) = lanczos(x);
        (2.0 * std::f64::consts::PI).sqrt() * t.powf(x + 0.5) * (-t).exp() * a
    }
}

/// ln Γ(x) for x > 0 (the same series; relative error ~1e-15), finite where
/// Γ(x) itself overflows.
pub fn ln_gamma(x: f64) -> f64 {
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let (x, t, a) = lanczos(x);
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Standard normal CDF Φ(z) (via erfc; absolute error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function (Numerical Recipes' Chebyshev fit).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn gamma_matches_known_values() {
        assert!((gamma(1.0) - 1.0).abs() < 1e-12);
        assert!((gamma(5.0) - 24.0).abs() < 1e-10);
        assert!((gamma(0.5) - std::f64::consts::PI.sqrt()).abs() < 1e-12);
        assert!((gamma(1.5) - std::f64::consts::PI.sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn normal_cdf_matches_table() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(Z95) - 0.95).abs() < 1e-6);
        assert!((normal_cdf(-1.959_963_985) - 0.025).abs() < 1e-6);
    }

    /// Sample means of every distribution, and of the in-progress total
    /// (length-biased mean E[D²]/E[D]), agree with closed forms.
    #[test]
    fn sample_means_match_closed_forms() {
        let cases: Vec<(Duration, f64)> = vec![
            (Duration::fixed(3.0), 9.0 / 3.0),
            (Duration::exponential(2.0), 2.0 * 4.0 / 2.0), // E[D²] = 2m²
            // E[D²]/E[D] = exp(mu + 3σ²/2) for a lognormal.
            (Duration::lognormal(1.5, 6.0), {
                let (mu, s) = (1.5f64.ln(), (6.0f64 / 1.5).ln() / Z95);
                (mu + 1.5 * s * s).exp()
            }),
            // E[D²]/E[D] = scale · Γ(1+2/k) / Γ(1+1/k) for a Weibull.
            (
                Duration::weibull(1.5, 2.0),
                2.0 * gamma(1.0 + 2.0 / 1.5) / gamma(1.0 + 1.0 / 1.5),
            ),
            (Duration::uniform(1.0, 3.0), (27.0 - 1.0) / 3.0 / 2.0 / 2.0),
            (
                Duration::empirical(vec![1.0, 2.0, 6.0]),
                (1.0 + 4.0 + 36.0) / 9.0,
            ),
        ];
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7);
        let n = 400_000;
        for (d, biased_mean) in cases {
            let (mut s, mut s2) = (0.0, 0.0);
            let (mut b, mut b2) = (0.0, 0.0);
            for _ in 0..n {
                let x = d.sample(&mut rng);
                s += x;
                s2 += x * x;
                let (age, rem) = d.sample_in_progress(&mut rng);
                assert!(age >= 0.0 && rem >= 0.0);
                b += age + rem;
                b2 += (age + rem) * (age + rem);
            }
            let nf = n as f64;
            let mean = s / nf;
            let se = ((s2 / nf - mean * mean).max(0.0) / nf).sqrt();
            assert!(
                (mean - d.mean()).abs() <= 4.0 * se + 1e-12,
                "{d:?}: {mean} vs {}",
                d.mean()
            );
            let bm = b / nf;
            let bse = ((b2 / nf - bm * bm).max(0.0) / nf).sqrt();
            assert!(
                (bm - biased_mean).abs() <= 4.0 * bse + 1e-12,
                "{d:?}: biased {bm} vs {biased_mean}"
            );
        }
    }

    #[test]
    fn survival_is_consistent_with_mean() {
        // ∫ S(x) dx = E[D], by the trapezoid rule on a fine grid.
        for d in [
            Duration::exponential(2.0),
            Duration::lognormal(1.0, 3.0),
            Duration::weibull(0.8, 2.0),
            Duration::uniform(1.0, 5.0),
        ] {
            let (dx, mut acc, mut x) = (0.001, 0.0, 0.0);
            while x < 400.0 {
                acc += 0.5 * (d.survival(x) + d.survival(x + dx)) * dx;
                x += dx;
            }
            assert!(
                (acc - d.mean()).abs() < 2e-3 * d.mean(),
                "{d:?}: {acc} vs {}",
                d.mean()
            );
        }
    }
}
