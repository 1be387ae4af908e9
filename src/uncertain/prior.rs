//! What an uncertain number may be: a posterior from counts (`{ incidents,
//! years }`, `{ hits, of }`) or a named distribution (`lognormal`, `gamma`,
//! `uniform`, `beta`), with its mean (the point value a plain run uses), its
//! support and a sampler. docs/statistics.md gives every formula.

use rand::Rng;
use rand_distr::{Beta, Distribution, Gamma, LogNormal};

/// z with Φ(z) = 0.95.
const Z95: f64 = crate::catalogue::special::Z95;

/// The distribution of one uncertain number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// `{ incidents = k, years = T }`: the Gamma(k + ½, T) posterior of a
    /// Poisson rate per year under the Jeffreys prior (as the catalogue's).
    Incidents { incidents: u64, years: f64 },
    /// `{ hits = h, of = n }`: the Beta(h + ½, n − h + ½) posterior of a
    /// probability under the Jeffreys prior Beta(½, ½).
    Hits { hits: u64, of: u64 },
    /// `{ dist = "lognormal", median, p95 }`.
    Lognormal { median: f64, p95: f64 },
    /// `{ dist = "gamma", mean, sd }`.
    Gamma { mean: f64, sd: f64 },
    /// `{ dist = "uniform", min, max }`.
    Uniform { min: f64, max: f64 },
    /// `{ dist = "beta", alpha, beta }`.
    Beta { alpha: f64, beta: f64 },
}

impl Prior {
    /// Gamma shape and rate (per unit of the value) of a Gamma-shaped prior.
    pub fn gamma_shape_rate(&self) -> Option<(f64, f64)> {
        match *self {
            Prior::Incidents { incidents, years } => Some((incidents as f64 + 0.5, years)),
            Prior::Gamma { mean, sd } => {
                let shape = (mean / sd).powi(2);
                Some((shape, shape / mean))
            }
            _ => None,
        }
    }

    /// Beta parameters of a Beta-shaped prior.
    pub fn beta_parameters(&self) -> Option<(f64, f64)> {
        match *self {
            Prior::Hits { hits, of } => Some((hits as f64 + 0.5, (of - hits) as f64 + 0.5)),
            Prior::Beta { alpha, beta } => Some((alpha, beta)),
            _ => None,
        }
    }

    /// The lognormal's (μ, σ) of ln x.
    fn mu_sigma(median: f64, p95: f64) -> (f64, f64) {
        (median.ln(), (p95 / median).ln() / Z95)
    }

    /// The mean: the point value a plain run uses.
    pub fn mean(&self) -> f64 {
        if let Some((shape, rate)) = self.gamma_shape_rate() {
            return shape / rate;
        }
        if let Some((a, b)) = self.beta_parameters() {
            return a / (a + b);
        }
        match *self {
            Prior::Lognormal { median, p95 } => {
                let (mu, sigma) = Self::mu_sigma(median, p95);
                (mu + 0.5 * sigma * sigma).exp()
            }
            Prior::Uniform { min, max } => 0.5 * (min + max),
            _ => unreachable!("gamma and beta shapes handled above"),
        }
    }

    /// The smallest and largest value a draw can take (infinite when unbounded).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Prior::Uniform { min, max } => (min, max),
            Prior::Hits { .. } | Prior::Beta { .. } => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// The written form, e.g. `{ incidents = 3, years = 5 }`.
    pub fn describe(&self) -> String {
        match *self {
            Prior::Incidents { incidents, years } => {
                format!("{{ incidents = {incidents}, years = {years} }}")
            }
            Prior::Hits { hits, of } => format!("{{ hits = {hits}, of = {of} }}"),
            Prior::Lognormal { median, p95 } => {
                format!("{{ dist = \"lognormal\", median = {median}, p95 = {p95} }}")
            }
            Prior::Gamma { mean, sd } => {
                format!("{{ dist = \"gamma\", mean = {mean}, sd = {sd} }}")
            }
            Prior::Uniform { min, max } => {
                format!("{{ dist = \"uniform\", min = {min}, max = {max} }}")
            }
            Prior::Beta { alpha, beta } => {
                format!("{{ dist = \"beta\", alpha = {alpha}, beta = {beta} }}")
            }
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let Some((shape, rate)) = self.gamma_shape_rate() {
            return Gamma::new(shape, 1.0 / rate)
                .expect("validated shape and rate")
                .sample(rng);
        }
        if let Some((a, b)) = self.beta_parameters() {
            return Beta::new(a, b).expect("validated parameters").sample(rng);
        }
        match *self {
            Prior::Lognormal { median, p95 } => {
                let (mu, sigma) = Self::mu_sigma(median, p95);
                LogNormal::new(mu, sigma)
                    .expect("validated median and p95")
                    .sample(rng)
            }
            Prior::Uniform { min, max } => {
                let u: f64 = rand::RngExt::random(rng);
                min + (max - min) * u
            }
            _ => unreachable!("gamma and beta shapes handled above"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_are_the_posterior_means() {
        let g = Prior::Incidents {
            incidents: 3,
            years: 5.0,
        };
        assert_eq!(g.mean(), 3.5 / 5.0);
        let b = Prior::Hits { hits: 2, of: 9 };
        assert_eq!(b.mean(), 2.5 / 10.0);
        let l = Prior::Lognormal {
            median: 1.0,
            p95: Z95.exp(),
        };
        assert!((l.mean() - 0.5f64.exp()).abs() < 1e-12);
        let gm = Prior::Gamma { mean: 2.0, sd: 1.0 };
        assert!((gm.mean() - 2.0).abs() < 1e-12);
    }
}
