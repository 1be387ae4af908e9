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

//!
//! Sampling runs from a per-run plan ([`Sampler`], in [`sampler`]); the
//! events, in order and value, are those of drawing each source in turn:
//! first every source's events in progress at 0, then every source's
//! arrivals.

mod in_progress;
mod sampler;

pub use sampler::Sampler;

use crate::model::Model;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp1};
use sampler::SourceState;

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

/// The events of one trial, with reusable buffers.
#[derive(Debug, Clone)]
pub struct World {
    pub events: Vec<Event>,
    /// The components the events hit (see [`Event::hits`]). A sampled world's
    /// begins with its sampler's hits of the sources whose hits are not
    /// random, shared by all their events and kept from trial to trial.
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
    /// Per source: its stream (see [`source_seed`]) and next arrival.
    states: Vec<SourceState>,
    /// Per target of a source with random hits ([`Sampler`]'s order): its
    /// hit-and-severity stream, seeded on the source's first event of the
    /// trial.
    target_rngs: Vec<Xoshiro256PlusPlus>,
    /// The events in progress at 0, gathered while sampling, then put first.
    early: Vec<Event>,
    /// The earliest next arrival of any source.
    next_min: f64,
    /// Which sampler's fixed hits `hits` holds (its id), and from where.
    prefix: Option<(u64, u32)>,
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

impl World {
    pub fn new(model: &Model) -> Self {
        World {
            events: Vec::new(),
            hits: Vec::new(),
            factors: Vec::new(),
            sampled_until: 0.0,
            arrivals: vec![0; model.sources.len()],
            states: vec![SourceState::new(); model.sources.len()],
            target_rngs: Vec::new(),
            early: Vec::new(),
            next_min: 0.0,
            prefix: None,
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
        debug_assert_eq!(model.sources.len(), sampler.sources.len());
        self.prepare(sampler);
        self.trial_seed = trial_seed(seed, trial);
        self.draw(sampler, self.trial_seed, until);
        self.sampled_until = until;
        self.add_forced();
    }

    /// Adds the arrivals in [sampled_until, until), continuing each source's stream.
    pub fn extend(&mut self, model: &Model, sampler: &Sampler, until: f64) {
        debug_assert_eq!(model.sources.len(), sampler.sources.len());
        self.draw_more(sampler, until);
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
