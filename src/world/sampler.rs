//! The per-run sampling plan of every outage source — its rate, stream key,
//! duration law, the law of its events in progress at 0, and which
//! components its events hit — and the per-source loop that draws one
//! source's events into a [`World`] from that plan.
//!
//! The plan is laid out for the hot loop: one record per source (no parallel
//! vectors), the hits of sources whose hits are not random laid out once as
//! a prefix of [`World::hits`] (an event of such a source costs one push),
//! and the targets of sources with random hits in one flat list.

use super::in_progress::InProgress;
use super::{gap, source_seed, splitmix64, stream_key, Event, World};
use crate::capped::Capped;
use crate::model::{Model, Severity};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution};
use std::sync::atomic::{AtomicU64, Ordering};

/// Per-source sampling state built once per run.
#[derive(Debug, Clone)]
pub struct Sampler {
    /// Per source, in `Model::sources` order.
    pub(super) sources: Vec<Plan>,
    /// The targets of every source whose hits are random, source by source
    /// (each source's in `Source::targets` order).
    pub(super) targets: Vec<TargetPlan>,
    /// The components hit (and the share of requests each still serves) by
    /// the events of every source whose hits are not random, source by
    /// source: the prefix every sampled [`World::hits`] begins with.
    pub(super) fixed_hits: Vec<u32>,
    pub(super) fixed_factors: Vec<f64>,
    /// Tells this plan's prefix from another's in a [`World`] (clones share it).
    pub(super) id: u64,
}

/// One source's plan.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub rate: f64,
    /// Its stream key: a hash of its id, so that a source's stream does not
    /// depend on which other sources the scenario declares.
    pub key: u64,
    /// Number of events in progress at a random instant: Poisson(rate × mean).
    pub in_progress: InProgress,
    pub duration: Capped,
    pub hits: Hits,
}

/// Which components a source's events hit.
#[derive(Debug, Clone, Copy)]
pub(super) enum Hits {
    /// The same every time, nothing drawn: this range of
    /// [`Sampler::fixed_hits`] (empty: the events hit nothing and are dropped).
    Fixed(u32, u32),
    /// Drawn per event and target: this range of [`Sampler::targets`].
    Random(u32, u32),
}

/// One target of a source whose hits are random.
#[derive(Debug, Clone)]
pub(super) struct TargetPlan {
    pub component: u32,
    pub probability: f64,
    pub severity: Severity,
    /// The Beta distribution of a beta severity.
    pub beta: Option<Beta<f64>>,
    /// The key of its hit-and-severity stream, from the source's and the
    /// component's ids.
    pub key: u64,
    /// Whether it draws from that stream (a random hit, or a random severity
    /// of a certain one): only then is the stream seeded.
    pub draws: bool,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Sampler {
    pub fn new(model: &Model) -> Self {
        let (mut targets, mut fixed_hits, mut fixed_factors) = (Vec::new(), Vec::new(), Vec::new());
        let sources = model
            .sources
            .iter()
            .map(|s| {
                let lambda = s.rate_per_hour * s.duration.mean();
                let key = stream_key(&s.id);
                let random = s.targets.iter().any(|t| {
                    (t.probability > 0.0 && t.probability < 1.0)
                        || !matches!(t.severity, Severity::Fixed(_))
                });
                let hits = if random {
                    let first = targets.len() as u32;
                    targets.extend(s.targets.iter().map(|t| TargetPlan {
                        component: t.component as u32,
                        probability: t.probability,
                        severity: t.severity,
                        beta: match t.severity {
                            Severity::Beta { alpha, beta } => Beta::new(alpha, beta).ok(),
                            _ => None,
                        },
                        key: splitmix64(
                            key ^ stream_key(&model.components[t.component].id).rotate_left(29),
                        ),
                        draws: (t.probability > 0.0 && t.probability < 1.0)
                            || (t.probability >= 1.0 && !matches!(t.severity, Severity::Fixed(_))),
                    }));
                    Hits::Random(first, targets.len() as u32)
                } else {
                    let first = fixed_hits.len() as u32;
                    for t in s.targets.iter().filter(|t| t.probability >= 1.0) {
                        if let Severity::Fixed(x) = t.severity {
                            fixed_hits.push(t.component as u32);
                            fixed_factors.push(1.0 - x);
                        }
                    }
                    Hits::Fixed(first, fixed_hits.len() as u32)
                };
                Plan {
                    rate: s.rate_per_hour,
                    key,
                    in_progress: InProgress::new(lambda),
                    duration: s.duration.clone(),
                    hits,
                }
            })
            .collect();
        Sampler {
            sources,
            targets,
            fixed_hits,
            fixed_factors,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }
}

/// Per source: its stream, and where its next arrival is.
#[derive(Debug, Clone)]
pub(super) struct SourceState {
    pub rng: Xoshiro256PlusPlus,
    pub next: f64,
    /// Whether its targets' streams are seeded for this trial (on its first
    /// event of the trial, for a source with random hits).
    pub seeded: bool,
}

impl SourceState {
    pub fn new() -> Self {
        SourceState {
            rng: Xoshiro256PlusPlus::seed_from_u64(0),
            next: 0.0,
            seeded: false,
        }
    }
}

/// Where one source's events go: `early` for those in progress at 0.
trait Record {
    fn record(&mut self, early: bool, start: f64, end: f64);
}

/// A source whose every event hits the same components: one push an event.
struct FixedHits<'a> {
    source: u32,
    hits: (u32, u32),
    early: &'a mut Vec<Event>,
    events: &'a mut Vec<Event>,
}

impl Record for FixedHits<'_> {
    #[inline(always)]
    fn record(&mut self, early: bool, start: f64, end: f64) {
        if end > start && self.hits.1 > self.hits.0 {
            let e = Event {
                source: self.source,
                start,
                end,
                hits: self.hits,
            };
            if early {
                self.early.push(e);
            } else {
                self.events.push(e);
            }
        }
    }
}

/// A source whose hits are drawn, each target from its own stream.
struct RandomHits<'a> {
    source: u32,
    targets: &'a [TargetPlan],
    rngs: &'a mut [Xoshiro256PlusPlus],
    seeded: &'a mut bool,
    trial_seed: u64,
    early: &'a mut Vec<Event>,
    events: &'a mut Vec<Event>,
    hits: &'a mut Vec<u32>,
    factors: &'a mut Vec<f64>,
}

impl Record for RandomHits<'_> {
    /// Draws which targets the event hits and with what severity; drops it
    /// if it hits none.
    #[inline]
    fn record(&mut self, early: bool, start: f64, end: f64) {
        if !*self.seeded {
            for (rng, t) in self.rngs.iter_mut().zip(self.targets) {
                if t.draws {
                    *rng = Xoshiro256PlusPlus::seed_from_u64(source_seed(self.trial_seed, t.key));
                }
            }
            *self.seeded = true;
        }
        let first = self.hits.len() as u32;
        for (rng, t) in self.rngs.iter_mut().zip(self.targets) {
            let hit = t.probability >= 1.0
                || (t.probability > 0.0 && rng.random::<f64>() < t.probability);
            if hit {
                self.hits.push(t.component);
                let severity = match t.severity {
                    Severity::Fixed(x) => x,
                    Severity::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
                    Severity::Beta { .. } => t.beta.as_ref().map_or(1.0, |b| b.sample(rng)),
                };
                self.factors.push(1.0 - severity);
            }
        }
        let last = self.hits.len() as u32;
        if last > first && end > start {
            let e = Event {
                source: self.source,
                start,
                end,
                hits: (first, last),
            };
            if early {
                self.early.push(e);
            } else {
                self.events.push(e);
            }
        } else {
            self.hits.truncate(first as usize);
            self.factors.truncate(first as usize);
        }
    }
}

/// A source's events in progress at 0, then its arrivals in [0, until):
/// how many it drew, and its next arrival.
#[inline(always)]
fn first_events<R: Record>(
    plan: &Plan,
    rng: &mut Xoshiro256PlusPlus,
    out: &mut R,
    until: f64,
) -> (u32, f64) {
    let k = plan.in_progress.sample(rng);
    for _ in 0..k {
        let (age, remaining) = plan.duration.sample_in_progress(rng);
        out.record(true, -age, remaining);
    }
    let n = k as u32;
    let t = gap(rng, plan.rate);
    let (m, next) = arrive(plan, rng, out, t, until);
    (n + m, next)
}

/// A source's arrivals from `t` (its next) until `until`: how many, and the
/// one after.
#[inline(always)]
fn arrive<R: Record>(
    plan: &Plan,
    rng: &mut Xoshiro256PlusPlus,
    out: &mut R,
    mut t: f64,
    until: f64,
) -> (u32, f64) {
    let mut n = 0;
    while t < until {
        n += 1;
        let d = plan.duration.sample(rng);
        out.record(false, t, t + d);
        t += gap(rng, plan.rate);
    }
    (n, t)
}

impl World {
    /// Sizes the per-source state for `sampler`, and lays its fixed hits at
    /// the start of `hits` (kept from the last trial when they are still
    /// there), dropping every other hit.
    pub(super) fn prepare(&mut self, sampler: &Sampler) {
        self.prepare_sizes(sampler);
        let n = sampler.fixed_hits.len();
        if self.prefix == Some((sampler.id, 0)) && self.hits.len() >= n && self.factors.len() >= n {
            self.hits.truncate(n);
            self.factors.truncate(n);
        } else {
            self.hits.clear();
            self.factors.clear();
            self.lay_prefix(sampler);
        }
    }

    /// Appends `sampler`'s fixed hits to `hits` and remembers where.
    fn lay_prefix(&mut self, sampler: &Sampler) {
        self.prefix = Some((sampler.id, self.hits.len() as u32));
        self.hits.extend_from_slice(&sampler.fixed_hits);
        self.factors.extend_from_slice(&sampler.fixed_factors);
    }

    /// Draws every source's events for a trial whose seed is `trial_seed`
    /// (after [`World::prepare`]): those in progress at 0 first, source by
    /// source, then the arrivals in [0, until), source by source.
    pub(super) fn draw(&mut self, sampler: &Sampler, trial_seed: u64, until: f64) {
        let World {
            events,
            hits,
            factors,
            arrivals,
            states,
            target_rngs,
            early,
            next_min,
            ..
        } = self;
        events.clear();
        early.clear();
        let mut min = f64::INFINITY;
        for (s, ((plan, st), arr)) in sampler
            .sources
            .iter()
            .zip(states.iter_mut())
            .zip(arrivals.iter_mut())
            .enumerate()
        {
            if plan.rate <= 0.0 {
                // Never fires: nothing to draw.
                *arr = 0;
                st.next = f64::INFINITY;
                continue;
            }
            st.rng = Xoshiro256PlusPlus::seed_from_u64(source_seed(trial_seed, plan.key));
            let (n, next) = match plan.hits {
                Hits::Fixed(a, b) => {
                    let mut out = FixedHits {
                        source: s as u32,
                        hits: (a, b),
                        early,
                        events,
                    };
                    first_events(plan, &mut st.rng, &mut out, until)
                }
                Hits::Random(a, b) => {
                    st.seeded = false;
                    let (a, b) = (a as usize, b as usize);
                    let mut out = RandomHits {
                        source: s as u32,
                        targets: &sampler.targets[a..b],
                        rngs: &mut target_rngs[a..b],
                        seeded: &mut st.seeded,
                        trial_seed,
                        early,
                        events,
                        hits,
                        factors,
                    };
                    first_events(plan, &mut st.rng, &mut out, until)
                }
            };
            *arr = n;
            st.next = next;
            min = min.min(next);
        }
        *next_min = min;
        if !early.is_empty() {
            events.splice(0..0, early.drain(..));
        }
    }

    /// Adds every source's arrivals in [its next, until), source by source.
    pub(super) fn draw_more(&mut self, sampler: &Sampler, until: f64) {
        if self.next_min >= until {
            return;
        }
        if self.prefix.is_none_or(|(id, _)| id != sampler.id) {
            // Never sampled with this plan: its fixed hits go after the rest.
            self.prepare_sizes(sampler);
            self.lay_prefix(sampler);
        }
        let offset = self.prefix.map_or(0, |p| p.1);
        let trial_seed = self.trial_seed;
        let World {
            events,
            hits,
            factors,
            arrivals,
            states,
            target_rngs,
            early,
            next_min,
            ..
        } = self;
        let mut min = f64::INFINITY;
        for (s, ((plan, st), arr)) in sampler
            .sources
            .iter()
            .zip(states.iter_mut())
            .zip(arrivals.iter_mut())
            .enumerate()
        {
            if st.next < until {
                let (n, next) = match plan.hits {
                    Hits::Fixed(a, b) => {
                        let mut out = FixedHits {
                            source: s as u32,
                            hits: (a + offset, b + offset),
                            early,
                            events,
                        };
                        arrive(plan, &mut st.rng, &mut out, st.next, until)
                    }
                    Hits::Random(a, b) => {
                        let (a, b) = (a as usize, b as usize);
                        let mut out = RandomHits {
                            source: s as u32,
                            targets: &sampler.targets[a..b],
                            rngs: &mut target_rngs[a..b],
                            seeded: &mut st.seeded,
                            trial_seed,
                            early,
                            events,
                            hits,
                            factors,
                        };
                        arrive(plan, &mut st.rng, &mut out, st.next, until)
                    }
                };
                *arr += n;
                st.next = next;
            }
            min = min.min(st.next);
        }
        *next_min = min;
    }

    /// Sizes the per-source state for `sampler` without touching the hits.
    fn prepare_sizes(&mut self, sampler: &Sampler) {
        if self.states.len() != sampler.sources.len() {
            self.states
                .resize(sampler.sources.len(), SourceState::new());
            self.arrivals.resize(sampler.sources.len(), 0);
        }
        if self.target_rngs.len() != sampler.targets.len() {
            self.target_rngs
                .resize(sampler.targets.len(), Xoshiro256PlusPlus::seed_from_u64(0));
        }
    }
}
