//! The law of the number of a source's events in progress at time 0
//! (Poisson with mean rate × mean duration), drawn as `rand_distr` draws it.

use rand::rngs::Xoshiro256PlusPlus;
use rand::RngExt;
use rand_distr::{Distribution, Poisson};

/// The law of the number of a source's events in progress at 0.
#[derive(Debug, Clone)]
pub(crate) enum InProgress {
    /// None (a zero mean).
    Never,
    /// Poisson with a mean under 12, by Knuth's product of uniforms, as
    /// `rand_distr::Poisson` draws it (the same draws and bits), inline:
    /// e^(−mean).
    Knuth(f64),
    /// Poisson with a larger mean.
    Poisson(Poisson<f64>),
}

impl InProgress {
    pub(super) fn new(mean: f64) -> Self {
        if mean > 0.0 && mean < 12.0 {
            InProgress::Knuth((-mean).exp())
        } else if mean > 0.0 {
            InProgress::Poisson(Poisson::new(mean).expect("finite positive mean"))
        } else {
            InProgress::Never
        }
    }

    #[inline(always)]
    pub(super) fn sample(&self, rng: &mut Xoshiro256PlusPlus) -> u64 {
        match self {
            InProgress::Never => 0,
            InProgress::Knuth(exp_mean) => {
                let mut n = 0u64;
                let mut p: f64 = rng.random();
                while p > *exp_mean {
                    p *= rng.random::<f64>();
                    n += 1;
                }
                n
            }
            InProgress::Poisson(p) => p.sample(rng) as u64,
        }
    }
}
