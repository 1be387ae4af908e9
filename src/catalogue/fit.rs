//! Fits per catalogue class: the event rate as a Gamma posterior (Jeffreys
//! prior), durations as a lognormal by maximum likelihood with asymptotic
//! parameter uncertainty, the empirical durations, and the published shares
//! affected. docs/catalogue.md gives every formula.

use super::special::{gamma_quantile, Z95};
use super::{Catalogue, Class};
use std::collections::BTreeSet;

/// Gamma posterior of a Poisson rate per unit-year: with the Jeffreys prior
/// p(λ) ∝ λ^(−1/2), k events over T unit-years give Gamma(k + ½, T).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatePosterior {
    pub events: u64,
    pub exposure_years: f64,
    /// k + ½.
    pub shape: f64,
    /// T (per year).
    pub rate: f64,
}

impl RatePosterior {
    pub fn new(events: u64, exposure_years: f64) -> Self {
        RatePosterior {
            events,
            exposure_years,
            shape: events as f64 + 0.5,
            rate: exposure_years,
        }
    }
    /// (k + ½) / T.
    pub fn mean(&self) -> f64 {
        self.shape / self.rate
    }
    pub fn quantile(&self, p: f64) -> f64 {
        gamma_quantile(self.shape, self.rate, p)
    }
    /// The central 90% interval (5% and 95% points).
    pub fn interval90(&self) -> (f64, f64) {
        (self.quantile(0.05), self.quantile(0.95))
    }
}

/// A lognormal fitted by maximum likelihood to n > 1 positive durations:
/// μ̂ = mean of ln x, σ̂² = mean of (ln x − μ̂)² (the 1/n estimator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LognormalFit {
    pub n: usize,
    pub mu: f64,
    pub sigma: f64,
}

impl LognormalFit {
    /// None with fewer than two durations or when they are all equal.
    pub fn fit(hours: &[f64]) -> Option<LognormalFit> {
        let n = hours.len();
        if n < 2 {
            return None;
        }
        let logs: Vec<f64> = hours.iter().map(|h| h.ln()).collect();
        let mu = logs.iter().sum::<f64>() / n as f64;
        let var = logs.iter().map(|l| (l - mu) * (l - mu)).sum::<f64>() / n as f64;
        (var > 0.0).then(|| LognormalFit {
            n,
            mu,
            sigma: var.sqrt(),
        })
    }
    /// Standard error of μ̂ from the Fisher information: σ̂/√n.
    pub fn se_mu(&self) -> f64 {
        self.sigma / (self.n as f64).sqrt()
    }
    /// Standard error of σ̂ from the Fisher information: σ̂/√(2n).
    pub fn se_sigma(&self) -> f64 {
        self.sigma / (2.0 * self.n as f64).sqrt()
    }
    pub fn median(&self) -> f64 {
        self.mu.exp()
    }
    pub fn p95(&self) -> f64 {
        (self.mu + Z95 * self.sigma).exp()
    }
    /// 90% interval of the median: exp(μ̂ ± 1.645·se(μ̂)).
    pub fn median_interval90(&self) -> (f64, f64) {
        let s = Z95 * self.se_mu();
        ((self.mu - s).exp(), (self.mu + s).exp())
    }
    /// 90% interval of the p95 by the delta method: ln p95 = μ + zσ, μ̂ and
    /// σ̂ asymptotically independent, so se(ln p95) = √(σ̂²/n + z²σ̂²/(2n)).
    pub fn p95_interval90(&self) -> (f64, f64) {
        let n = self.n as f64;
        let se =
            (self.sigma * self.sigma / n + Z95 * Z95 * self.sigma * self.sigma / (2.0 * n)).sqrt();
        let l = self.p95().ln();
        ((l - Z95 * se).exp(), (l + Z95 * se).exp())
    }
    /// P(duration ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            0.0
        } else {
            crate::dist::normal_cdf((x.ln() - self.mu) / self.sigma)
        }
    }
}

/// Everything fitted for one class.
#[derive(Debug, Clone)]
pub struct ClassFit<'a> {
    pub class: &'a Class,
    /// Incidents in the class (records).
    pub records: usize,
    pub rate: RatePosterior,
    /// Published durations, ascending.
    pub durations: Vec<f64>,
    pub duration: Option<LognormalFit>,
    /// Published shares affected, in file order.
    pub shares: Vec<f64>,
    /// Providers that appear in the class's incidents, sorted.
    pub providers_seen: Vec<String>,
}

impl ClassFit<'_> {
    /// Mean of the published shares affected.
    pub fn share_mean(&self) -> Option<f64> {
        (!self.shares.is_empty())
            .then(|| self.shares.iter().sum::<f64>() / self.shares.len() as f64)
    }
}

/// Fits one class. Events are distinct `event` values (an incident without
/// one is its own event).
pub fn fit_class<'a>(cat: &'a Catalogue, class: &'a Class) -> ClassFit<'a> {
    let incidents: Vec<_> = cat.incidents_of(&class.spec.id).collect();
    let events: BTreeSet<&str> = incidents
        .iter()
        .map(|i| i.spec.event.as_deref().unwrap_or(&i.spec.id))
        .collect();
    let mut durations: Vec<f64> = incidents
        .iter()
        .filter_map(|i| i.spec.duration_hours)
        .collect();
    durations.sort_by(f64::total_cmp);
    let providers_seen: BTreeSet<String> =
        incidents.iter().map(|i| i.spec.provider.clone()).collect();
    ClassFit {
        class,
        records: incidents.len(),
        rate: RatePosterior::new(events.len() as u64, class.spec.exposure_years),
        duration: LognormalFit::fit(&durations),
        durations,
        shares: incidents
            .iter()
            .filter_map(|i| i.spec.share_affected)
            .collect(),
        providers_seen: providers_seen.into_iter().collect(),
    }
}

/// Fits every class, in file order.
pub fn fit_all(cat: &Catalogue) -> Vec<ClassFit<'_>> {
    cat.classes.iter().map(|c| fit_class(cat, c)).collect()
}
