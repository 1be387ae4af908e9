//! One trial's sampled world: every outage event of every source (its start,
//! full end, and the components it hit), seeded from the run's seed and the
//! trial's index alone, so a trial is the same whichever thread runs it.
//! Each source draws from its own stream (seeded from the trial's seed and a
//! hash of the source's id), so changing one source's numbers — a sweep, a
//! tornado bar — or adding or removing a source leaves every other source's
//! events exactly as they were.
//!
//! Which components an event hits, and how badly (its severity: the share of
//! requests that fail), is drawn from a stream of its own per (source,
//! component), so changing one hit probability or severity, or adding a hit,
//! changes nothing but that component's draws.
//!
//! Each source is a stationary Poisson process: the events already in progress
//! at time 0 are drawn from the steady state (Poisson(rate × mean duration) of
//! them, each with a length-biased total duration and a uniform age), then new
//! events arrive in [0, horizon). The world can be extended past the horizon on
//! demand, continuing the same random streams, so outages that start inside the
//! period get their full length.

use crate::model::{Model, Severity, Source};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution, Exp1, Poisson};

/// One outage event of one source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub source: u32,
    pub start: f64,
    pub end: f64,
    /// Range into [`World::hits`] (and [`World::factors`]) of the components this event hit.
    pub hits: (u32, u32),
}

/// The `source` of a forced event that belongs to no outage source (a
/// component forced down that has no `outages` of its own).
pub const NO_SOURCE: u32 = u32::MAX;

/// An event imposed on a world (a drill), not drawn: it consumes no random
/// numbers, so the events sampled around it are exactly the run's.
#[derive(Debug, Clone, PartialEq)]
pub struct Forced {
    /// The cause, or the component's own outage source; [`NO_SOURCE`] if none.
    pub source: u32,
    pub start: f64,
    pub end: f64,
    /// The components it takes down, ascending.
    pub components: Vec<u32>,
    /// The share of their requests it fails (1: a complete outage).
    pub severity: f64,
}

/// Per-source sampling state built once per run.
#[derive(Debug, Clone)]
pub struct Sampler {
    /// Number of events in progress at a random instant: Poisson(rate × mean).
    in_progress: Vec<Option<Poisson<f64>>>,
    /// Each source's stream key: a hash of its id, so that a source's
    /// stream does not depend on which other sources the scenario declares.
    stream: Vec<u64>,
    /// Per source and target (in `Source::targets` order): the key of its
    /// hit-and-severity stream, from the source's and the component's ids.
    target_stream: Vec<Vec<u64>>,
    /// Per source and target: the Beta distribution of a beta severity.
    beta: Vec<Vec<Option<Beta<f64>>>>,
    /// Per source: whether any target's hit or severity is random.
    random_targets: Vec<bool>,
    /// Per source whose hits are not random: the components every event
    /// hits and the share of requests each still serves (no draws needed).
    fixed: Vec<Option<Fixed>>,
}

/// The components a source's every event hits, with their factors.
type Fixed = (Box<[u32]>, Box<[f64]>);

impl Sampler {
    pub fn new(model: &Model) -> Self {
        let in_progress = model
            .sources
            .iter()
            .map(|s| {
                let lambda = s.rate_per_hour * s.duration.mean();
                (lambda > 0.0).then(|| Poisson::new(lambda).expect("finite positive mean"))
            })
            .collect();
        let stream: Vec<u64> = model.sources.iter().map(|s| stream_key(&s.id)).collect();
        let target_stream = model
            .sources
            .iter()
            .zip(&stream)
            .map(|(s, &key)| {
                s.targets
                    .iter()
                    .map(|t| {
                        splitmix64(
                            key ^ stream_key(&model.components[t.component].id).rotate_left(29),
                        )
                    })
                    .collect()
            })
            .collect();
        let beta = model
            .sources
            .iter()
            .map(|s| {
                s.targets
                    .iter()
                    .map(|t| match t.severity {
                        Severity::Beta { alpha, beta } => Beta::new(alpha, beta).ok(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let random_targets: Vec<bool> = model
            .sources
            .iter()
            .map(|s| {
                s.targets.iter().any(|t| {
                    (t.probability > 0.0 && t.probability < 1.0)
                        || !matches!(t.severity, Severity::Fixed(_))
                })
            })
            .collect();
        let fixed = model
            .sources
            .iter()
            .zip(&random_targets)
            .map(|(s, &random)| {
                (!random).then(|| {
                    let hit: Vec<(u32, f64)> = s
                        .targets
                        .iter()
                        .filter(|t| t.probability >= 1.0)
                        .filter_map(|t| match t.severity {
                            Severity::Fixed(x) => Some((t.component as u32, 1.0 - x)),
                            _ => None,
                        })
                        .collect();
                    (
                        hit.iter().map(|h| h.0).collect(),
                        hit.iter().map(|h| h.1).collect(),
                    )
                })
            })
            .collect();
        Sampler {
            in_progress,
            stream,
            target_stream,
            beta,
            random_targets,
            fixed,
        }
    }
}

/// The events of one trial, with reusable buffers.
#[derive(Debug, Clone)]
pub struct World {
    pub events: Vec<Event>,
    pub hits: Vec<u32>,
    /// Per hit: the share of requests the component still serves during the
    /// event, 1 − severity (0 for a complete outage).
    pub factors: Vec<f64>,
    /// Events are complete for every arrival before this time.
    pub sampled_until: f64,
    /// Per source: the events drawn in this trial (in progress at 0 plus
    /// arrivals, including those that hit nothing), for likelihood ratios
    /// ([`crate::tilt`]).
    pub arrivals: Vec<u32>,
    next_arrival: Vec<f64>,
    /// One random stream per source (see [`source_seed`]).
    rngs: Vec<Xoshiro256PlusPlus>,
    /// Per source and target: its hit-and-severity stream, seeded on the
    /// source's first event of the trial (`seeded`).
    target_rngs: Vec<Vec<Xoshiro256PlusPlus>>,
    seeded: Vec<bool>,
    trial_seed: u64,
    /// Events added to every trial after sampling (see [`World::force`]).
    forced: Vec<Forced>,
}

/// SplitMix64 finaliser: a well-mixed 64-bit hash.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator seed of one trial: depends on (seed, trial) only.
#[inline]
pub fn trial_seed(seed: u64, trial: u64) -> u64 {
    splitmix64(splitmix64(seed) ^ trial.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// A source's stream key: the FNV-1a hash of its id, mixed.
pub fn stream_key(id: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix64(h)
}

/// The seed of one source's stream in a trial: depends on the trial's seed
/// and the source's [`stream_key`] only.
#[inline]
pub fn source_seed(trial_seed: u64, key: u64) -> u64 {
    splitmix64(trial_seed ^ key)
}

/// Exponential gap to the next arrival (infinite at rate 0).
#[inline]
fn gap(rng: &mut Xoshiro256PlusPlus, rate: f64) -> f64 {
    if rate > 0.0 {
        let e: f64 = Exp1.sample(rng);
        e / rate
    } else {
        f64::INFINITY
    }
}

/// The random state for drawing one source's hits.
struct Hits<'a> {
    rngs: &'a mut [Xoshiro256PlusPlus],
    seeded: &'a mut bool,
    keys: &'a [u64],
    beta: &'a [Option<Beta<f64>>],
    /// The source's hits when none is random ([`Sampler::fixed`]).
    fixed: Option<&'a Fixed>,
    trial_seed: u64,
}

/// Records one event of source `s`, drawing which targets it hits and with
/// what severity, each target from its own stream; drops it if it hits none.
#[inline]
#[allow(clippy::too_many_arguments)]
fn push(
    source: &Source,
    s: usize,
    start: f64,
    end: f64,
    random: &mut Hits<'_>,
    events: &mut Vec<Event>,
    hits: &mut Vec<u32>,
    factors: &mut Vec<f64>,
) {
    if let Some((components, shares)) = random.fixed {
        // Nothing to draw: the same hits every time.
        if end > start && !components.is_empty() {
            let first = hits.len() as u32;
            // Element by element: most sources hit one component, for which
            // a copy of a slice costs more than a push.
            for (&c, &f) in components.iter().zip(shares.iter()) {
                hits.push(c);
                factors.push(f);
            }
            events.push(Event {
                source: s as u32,
                start,
                end,
                hits: (first, hits.len() as u32),
            });
        }
        return;
    }
    if !*random.seeded && !random.rngs.is_empty() {
        for (rng, &key) in random.rngs.iter_mut().zip(random.keys) {
            *rng = Xoshiro256PlusPlus::seed_from_u64(source_seed(random.trial_seed, key));
        }
        *random.seeded = true;
    }
    let first = hits.len() as u32;
    for (k, t) in source.targets.iter().enumerate() {
        let hit = t.probability >= 1.0
            || (t.probability > 0.0 && random.rngs[k].random::<f64>() < t.probability);
        if hit {
            hits.push(t.component as u32);
            let severity = match t.severity {
                Severity::Fixed(x) => x,
                Severity::Uniform { min, max } => {
                    min + (max - min) * random.rngs[k].random::<f64>()
                }
                Severity::Beta { .. } => random.beta[k]
                    .as_ref()
                    .map_or(1.0, |b| b.sample(&mut random.rngs[k])),
            };
            factors.push(1.0 - severity);
        }
    }
    let last = hits.len() as u32;
    if last > first && end > start {
        events.push(Event {
            source: s as u32,
            start,
            end,
            hits: (first, last),
        });
    } else {
        hits.truncate(first as usize);
        factors.truncate(first as usize);
    }
}

impl World {
    pub fn new(model: &Model) -> Self {
        World {
            events: Vec::new(),
            hits: Vec::new(),
            factors: Vec::new(),
            sampled_until: 0.0,
            arrivals: vec![0; model.sources.len()],
            next_arrival: vec![0.0; model.sources.len()],
            rngs: vec![Xoshiro256PlusPlus::seed_from_u64(0); model.sources.len()],
            target_rngs: model
                .sources
                .iter()
                .map(|s| vec![Xoshiro256PlusPlus::seed_from_u64(0); s.targets.len()])
                .collect(),
            seeded: vec![false; model.sources.len()],
            trial_seed: 0,
            forced: Vec::new(),
        }
    }

    /// A world holding only the given events and nothing else, complete for
    /// all time (nothing is sampled).
    pub fn forced_only(model: &Model, forced: &[Forced]) -> Self {
        let mut w = World::new(model);
        w.forced = forced.to_vec();
        w.add_forced();
        w.sampled_until = f64::INFINITY;
        w
    }

    /// Adds these events to every trial that [`World::sample`] draws from now
    /// on, after the sampled ones (the sampled events stay the same).
    pub fn force(&mut self, forced: Vec<Forced>) {
        self.forced = forced;
    }

    fn add_forced(&mut self) {
        for f in &self.forced {
            if f.end > f.start && !f.components.is_empty() {
                let first = self.hits.len() as u32;
                self.hits.extend_from_slice(&f.components);
                self.factors.resize(self.hits.len(), 1.0 - f.severity);
                self.events.push(Event {
                    source: f.source,
                    start: f.start,
                    end: f.end,
                    hits: (first, self.hits.len() as u32),
                });
            }
        }
    }

    /// Samples trial `trial`: events in progress at 0 and arrivals in [0, until).
    pub fn sample(&mut self, model: &Model, sampler: &Sampler, seed: u64, trial: u64, until: f64) {
        self.events.clear();
        self.hits.clear();
        self.factors.clear();
        let trial_seed = trial_seed(seed, trial);
        self.trial_seed = trial_seed;
        let World {
            events,
            hits,
            factors,
            arrivals,
            next_arrival,
            rngs,
            target_rngs,
            seeded,
            ..
        } = self;
        for (s, source) in model.sources.iter().enumerate() {
            arrivals[s] = 0;
            if source.rate_per_hour <= 0.0 {
                // Never fires: nothing to draw.
                next_arrival[s] = f64::INFINITY;
                continue;
            }
            let rng = &mut rngs[s];
            *rng = Xoshiro256PlusPlus::seed_from_u64(source_seed(trial_seed, sampler.stream[s]));
            seeded[s] = !sampler.random_targets[s];
            let mut random = Hits {
                rngs: &mut target_rngs[s],
                seeded: &mut seeded[s],
                keys: &sampler.target_stream[s],
                beta: &sampler.beta[s],
                fixed: sampler.fixed[s].as_ref(),
                trial_seed,
            };
            if let Some(p) = &sampler.in_progress[s] {
                let n = p.sample(rng) as u64;
                arrivals[s] = n as u32;
                for _ in 0..n {
                    let (age, remaining) = source.duration.sample_in_progress(rng);
                    push(
                        source,
                        s,
                        -age,
                        remaining,
                        &mut random,
                        events,
                        hits,
                        factors,
                    );
                }
            }
            next_arrival[s] = gap(rng, source.rate_per_hour);
        }
        self.sampled_until = 0.0;
        self.extend(model, sampler, until);
        self.add_forced();
    }

    /// Adds the arrivals in [sampled_until, until), continuing each source's stream.
    pub fn extend(&mut self, model: &Model, sampler: &Sampler, until: f64) {
        let trial_seed = self.trial_seed;
        let World {
            events,
            hits,
            factors,
            arrivals,
            next_arrival,
            rngs,
            target_rngs,
            seeded,
            ..
        } = self;
        for (s, source) in model.sources.iter().enumerate() {
            let mut t = next_arrival[s];
            if t >= until {
                continue;
            }
            let rng = &mut rngs[s];
            let mut random = Hits {
                rngs: &mut target_rngs[s],
                seeded: &mut seeded[s],
                keys: &sampler.target_stream[s],
                beta: &sampler.beta[s],
                fixed: sampler.fixed[s].as_ref(),
                trial_seed,
            };
            while t < until {
                arrivals[s] += 1;
                let d = source.duration.sample(rng);
                push(source, s, t, t + d, &mut random, events, hits, factors);
                t += gap(rng, source.rate_per_hour);
            }
            next_arrival[s] = t;
        }
        self.sampled_until = until;
    }

    /// The components hit by an event.
    #[inline]
    pub fn hit_components(&self, e: &Event) -> &[u32] {
        &self.hits[e.hits.0 as usize..e.hits.1 as usize]
    }

    /// Per component hit by an event: the share of requests it still serves.
    #[inline]
    pub fn hit_factors(&self, e: &Event) -> &[f64] {
        &self.factors[e.hits.0 as usize..e.hits.1 as usize]
    }
}
