//! Importance sampling for rare outages: every outage source is sampled at
//! an inflated rate θ_s·λ_s (Poisson tilting) and each trial carries the
//! exact likelihood ratio of the sampled events under the scenario's rates,
//! so weighted statistics ([`crate::weighted`]) estimate the plain ones
//! without bias, with far fewer trials when outages are rare.
//!
//! A source's events in a trial are the Poisson(λ·m) events in progress at 0
//! (m: mean duration) and the arrivals of a Poisson process on `[0, T)`, T
//! the world's sampled window (the period, extended while an outage that
//! started in it runs on; a stopping time). Durations and hits do not depend
//! on the rate, so the likelihood ratio of a trial is
//! `w = Π_s θ_s^(−N_s) · exp((θ_s − 1)·λ_s·(m_s + T))`, N_s the source's
//! events (in progress at 0 plus arrivals, including those that hit nothing).
//! E[w] = 1 under the tilted rates; with every θ_s = 1, w = 1 and the run is
//! the plain run, byte for byte (the rates are multiplied by exactly 1).
//!
//! The tilt is given (`--tilt X`: causes, and own outages with
//! `--tilt-own`) or chosen by the cross-entropy method on pilot runs
//! ([`choose`]): per source, θ_s·λ_s = Σ w·x·N_s / Σ w·x·(m_s + T) over the
//! pilot's trials, x the trial's down time summed over the architectures —
//! the Poisson rate closest (in Kullback–Leibler divergence) to the
//! zero-variance sampler ∝ x·(plain law).

use crate::engine::{self, Observer, RunOptions, Simulation};
use crate::evaluate::{Outcome, Timelines};
use crate::model::{Model, Settings, SourceKind};
use crate::world::World;

/// The rate factors of a tilted run, one per outage source (`Model::sources` order).
#[derive(Debug, Clone, PartialEq)]
pub struct Tilt {
    pub factors: Vec<f64>,
}

/// Bounds on an automatically chosen factor.
pub const MIN_FACTOR: f64 = 1.0;
pub const MAX_FACTOR: f64 = 1.0e5;

impl Tilt {
    /// `causes` for every shared cause, `own` for every component's own outages.
    pub fn uniform(model: &Model, causes: f64, own: f64) -> Self {
        Tilt {
            factors: model
                .sources
                .iter()
                .map(|s| match s.kind {
                    SourceKind::Cause => causes,
                    SourceKind::Own => own,
                })
                .collect(),
        }
    }

    /// Whether every factor is 1 (the plain run).
    pub fn is_plain(&self) -> bool {
        self.factors.iter().all(|&f| f == 1.0)
    }

    /// The model with every source's rate multiplied by its factor.
    pub fn apply(&self, model: &Model) -> Model {
        let mut tilted = model.clone();
        for (s, &f) in tilted.sources.iter_mut().zip(&self.factors) {
            s.rate_per_hour *= f;
            s.per_year *= f;
        }
        tilted
    }

    /// ln w of one trial sampled from the tilted model (see the module doc):
    /// `events[s]` the source's events, `window` the sampled window T.
    pub fn log_weight(&self, model: &Model, events: &[u32], window: f64) -> f64 {
        let mut lw = 0.0;
        for ((s, &f), &n) in model.sources.iter().zip(&self.factors).zip(events) {
            if f == 1.0 || s.rate_per_hour <= 0.0 {
                continue;
            }
            lw +=
                (f - 1.0) * s.rate_per_hour * (s.duration.mean() + window) - f64::from(n) * f.ln();
        }
        lw
    }
}

/// Collects each trial's likelihood ratio, and for [`choose`] the statistics
/// of its cross-entropy step.
struct Weights<'a> {
    model: &'a Model,
    tilt: &'a Tilt,
    /// Collect per-source Σ w·x·N and Σ w·x·(m + T).
    cross_entropy: bool,
}

#[derive(Default)]
struct Chunk {
    weights: Vec<f64>,
    /// Per source: Σ w·x·N_s and Σ w·x·(m_s + T).
    num: Vec<f64>,
    den: Vec<f64>,
}

impl Observer for Weights<'_> {
    type Chunk = Chunk;

    fn start_chunk(&self) -> Chunk {
        let n = if self.cross_entropy {
            self.model.sources.len()
        } else {
            0
        };
        Chunk {
            num: vec![0.0; n],
            den: vec![0.0; n],
            ..Chunk::default()
        }
    }

    fn trial(&self, chunk: &mut Chunk, _: u64, world: &World, _: &Timelines, outcomes: &[Outcome]) {
        let (events, window) = (&world.arrivals, world.sampled_until);
        let w = self.tilt.log_weight(self.model, events, window).exp();
        chunk.weights.push(w);
        if self.cross_entropy {
            let x: f64 = outcomes.iter().map(|o| o.downtime_hours).sum();
            if x > 0.0 {
                for (s, src) in self.model.sources.iter().enumerate() {
                    chunk.num[s] += w * x * f64::from(events[s]);
                    chunk.den[s] += w * x * (src.duration.mean() + window);
                }
            }
        }
    }
}

/// A run sampled at tilted rates: the outcomes (of the tilted world) and
/// each trial's likelihood ratio, in trial order. Deterministic for a seed
/// whatever the number of threads, like [`engine::simulate`].
pub fn simulate(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    tilt: &Tilt,
) -> (Simulation, Vec<f64>) {
    let (sim, weights, _) = simulate_observed(model, settings, options, tilt, &engine::NoObserver);
    (sim, weights)
}

/// [`simulate`] with another observer on the same pass (the policies'
/// payouts, [`crate::insurance::observer`]), whose chunks come back in trial
/// order as [`engine::simulate_observed`] returns them.
pub fn simulate_observed<O: Observer>(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    tilt: &Tilt,
    other: &O,
) -> (Simulation, Vec<f64>, Vec<O::Chunk>) {
    let tilted = tilt.apply(model);
    let observer = Both(
        Weights {
            model,
            tilt,
            cross_entropy: false,
        },
        other,
    );
    let (sim, chunks) = engine::simulate_observed(&tilted, settings, options, &observer);
    let (mut weights, mut others) = (Vec::new(), Vec::with_capacity(chunks.len()));
    for (w, o) in chunks {
        weights.extend(w.weights);
        others.push(o);
    }
    (sim, weights, others)
}

/// Two observers of one pass: the likelihood ratios and another's.
struct Both<'a, O>(Weights<'a>, &'a O);

impl<O: Observer> Observer for Both<'_, O> {
    type Chunk = (Chunk, O::Chunk);

    fn components(&self) -> Vec<usize> {
        self.1.components()
    }

    fn start_chunk(&self) -> Self::Chunk {
        (self.0.start_chunk(), self.1.start_chunk())
    }

    fn trial(
        &self,
        chunk: &mut Self::Chunk,
        trial: u64,
        world: &World,
        timelines: &Timelines,
        outcomes: &[Outcome],
    ) {
        self.0
            .trial(&mut chunk.0, trial, world, timelines, outcomes);
        self.1
            .trial(&mut chunk.1, trial, world, timelines, outcomes);
    }
}

/// Pilot runs per automatic choice, and trials in each.
pub const PILOT_ROUNDS: usize = 6;
pub const PILOT_TRIALS: u64 = 4096;

/// Chooses a tilt by the cross-entropy method: pilot runs of
/// [`PILOT_TRIALS`] (seeded apart from the run's own trials), starting
/// plain and multiplying every rate by 4 while a pilot sees no down time,
/// then updating each source's rate to its cross-entropy optimum
/// (module doc), within [`MIN_FACTOR`, `MAX_FACTOR`] of the scenario's.
pub fn choose(model: &Model, settings: &Settings, options: &RunOptions) -> Tilt {
    let mut tilt = Tilt::uniform(model, 1.0, 1.0);
    let pilot = Settings {
        trials: PILOT_TRIALS,
        seed: crate::world::splitmix64(settings.seed ^ 0x7117_7117),
        ..*settings
    };
    let options = RunOptions {
        progress: None,
        skip_outage_records: true,
        ..options.clone()
    };
    for _ in 0..PILOT_ROUNDS {
        let tilted = tilt.apply(model);
        let observer = Weights {
            model,
            tilt: &tilt,
            cross_entropy: true,
        };
        let (_, chunks) = engine::simulate_observed(&tilted, &pilot, &options, &observer);
        let mut num = vec![0.0; model.sources.len()];
        let mut den = vec![0.0; model.sources.len()];
        for c in &chunks {
            for s in 0..num.len() {
                num[s] += c.num[s];
                den[s] += c.den[s];
            }
        }
        if den.iter().all(|&d| d == 0.0) {
            // No down time seen yet: inflate everything and look again.
            for f in &mut tilt.factors {
                *f = (*f * 4.0).min(MAX_FACTOR);
            }
            continue;
        }
        for ((f, s), (&n, &d)) in tilt
            .factors
            .iter_mut()
            .zip(&model.sources)
            .zip(num.iter().zip(&den))
        {
            if s.rate_per_hour > 0.0 && d > 0.0 {
                *f = (n / d / s.rate_per_hour).clamp(MIN_FACTOR, MAX_FACTOR);
            }
        }
    }
    tilt
}
