//! An outage duration distribution with an optional cap (`max_hours`): every
//! outage lasts `min(D, max)`. The cap keeps a heavy tail (a lognormal's
//! thousands of hours) from producing outages no one believes. It wraps a
//! [`Duration`] and offers the same methods, with the mean, survival,
//! sampling and the length-biased in-progress draw of the capped length.

use crate::dist::{normal_cdf, Duration};
use rand::{Rng, RngExt};

/// Panels of the Simpson rule for a capped Weibull's mean.
const PANELS: usize = 4096;

/// A duration distribution, capped at `max` hours when given.
#[derive(Debug, Clone)]
pub struct Capped {
    pub base: Duration,
    pub max: Option<f64>,
    mean: f64,
}

impl Capped {
    /// `base` capped at `max` hours (> 0), or not capped.
    pub fn new(base: Duration, max: Option<f64>) -> Self {
        let mean = match max {
            None => base.mean(),
            Some(c) => capped_mean(&base, c),
        };
        Capped { base, max, mean }
    }

    /// E[min(D, max)].
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// P(min(D, max) > x).
    pub fn survival(&self, x: f64) -> f64 {
        match self.max {
            Some(c) if x >= c => 0.0,
            _ => self.base.survival(x),
        }
    }

    /// One outage duration.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let d = self.base.sample(rng);
        self.max.map_or(d, |c| d.min(c))
    }

    /// An outage in progress at a random instant: `(age, remaining)`. The
    /// capped length's length-biased law has density ∝ x·f(x) below the cap
    /// and mass ∝ c·P(D > c) at it: draw the base's length-biased total T and
    /// keep it when T ≤ c; otherwise take c with probability c/T, or draw again.
    pub fn sample_in_progress<R: Rng + ?Sized>(&self, rng: &mut R) -> (f64, f64) {
        let Some(c) = self.max else {
            return self.base.sample_in_progress(rng);
        };
        let mut total = c;
        for _ in 0..10_000 {
            let (age, remaining) = self.base.sample_in_progress(rng);
            let t = age + remaining;
            if t <= c {
                total = t;
                break;
            }
            if rng.random::<f64>() * t < c {
                break;
            }
        }
        let remaining = rng.random::<f64>() * total;
        (total - remaining, remaining)
    }

    /// Short human description, e.g. `lognormal(median 4 h, p95 16 h), at most 72 h`.
    pub fn describe(&self) -> String {
        match self.max {
            Some(c) => format!("{}, at most {c} h", self.base.describe()),
            None => self.base.describe(),
        }
    }
}

/// E[min(D, c)] = ∫₀ᶜ P(D > x) dx.
fn capped_mean(d: &Duration, c: f64) -> f64 {
    match d {
        Duration::Fixed(h) => h.min(c),
        Duration::Exponential { mean, .. } => mean * -(-c / mean).exp_m1(),
        Duration::LogNormal { mu, sigma, .. } => {
            let z = (c.ln() - mu) / sigma;
            (mu + sigma * sigma / 2.0).exp() * normal_cdf(z - sigma) + c * (1.0 - normal_cdf(z))
        }
        Duration::Uniform { min, max } => {
            if c >= *max {
                (min + max) / 2.0
            } else if c <= *min {
                c
            } else {
                // min + ∫_min^c (max − x)/(max − min) dx
                min + ((max - min).powi(2) - (max - c).powi(2)) / (2.0 * (max - min))
            }
        }
        Duration::Empirical { hours, .. } => {
            hours.iter().map(|h| h.min(c)).sum::<f64>() / hours.len() as f64
        }
        Duration::Weibull { .. } => {
            // Simpson's rule on the survival function (smooth but for x^k at 0).
            let h = c / PANELS as f64;
            let mut sum = d.survival(0.0) + d.survival(c);
            for i in 1..PANELS {
                let w = if i % 2 == 1 { 4.0 } else { 2.0 };
                sum += w * d.survival(i as f64 * h);
            }
            sum * h / 3.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::SeedableRng;

    #[test]
    fn capped_means_match_sampling() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        for d in [
            Duration::exponential(5.0),
            Duration::lognormal(4.0, 40.0),
            Duration::weibull(0.7, 6.0),
            Duration::uniform(1.0, 9.0),
            Duration::empirical(vec![1.0, 3.0, 12.0]),
        ] {
            let c = Capped::new(d, Some(6.0));
            let n = 400_000;
            let (mut s, mut s2) = (0.0, 0.0);
            for _ in 0..n {
                let x = c.sample(&mut rng);
                assert!(x <= 6.0);
                s += x;
                s2 += x * x;
            }
            let mean = s / n as f64;
            let se = ((s2 / n as f64 - mean * mean) / n as f64).sqrt();
            assert!(
                (mean - c.mean()).abs() < 4.0 * se + 1e-4,
                "{}: {mean} vs {}",
                c.describe(),
                c.mean()
            );
        }
    }

    #[test]
    fn in_progress_lengths_are_length_biased() {
        // E[total of the in-progress outage] = E[X²]/E[X] for X = min(D, c).
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        let c = Capped::new(Duration::exponential(5.0), Some(3.0));
        // X = min(Exp(5), 3): E[X²] = ∫₀³ 2x e^{−x/5} dx.
        let m = 5.0f64;
        let ex2 = 2.0 * (m * m - (-3.0 / m).exp() * (m * m + 3.0 * m));
        let exact = ex2 / c.mean();
        let n = 400_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let (a, r) = c.sample_in_progress(&mut rng);
            s += a + r;
            s2 += (a + r) * (a + r);
        }
        let mean = s / n as f64;
        let se = ((s2 / n as f64 - mean * mean) / n as f64).sqrt();
        assert!((mean - exact).abs() < 4.0 * se, "{mean} vs {exact}");
    }
}
