//! The run's fast evaluator: the down timelines of the *watched* components
//! only (the architectures' and the observers'), cluster by cluster, for
//! scenarios on the binary interval algebra (complete outages, no service
//! levels). Analyses that need every component's timeline keep the full
//! evaluator ([`crate::evaluate::Timelines::compute`]).
//!
//! Why it is exact. In the binary algebra a component's state at an instant
//! depends only on which events are in progress then (`all`, `any`, quorum),
//! or on the current stretch of its needs' down time (ride-through, failover
//! switching, which always ends by the time every need is up again, back on
//! the first need). So every down interval lies inside one *cluster*: a
//! maximal set of events whose closed intervals `[start, end]` chain together
//! (touching ones included, since touching outages merge). Clusters are then
//! independent, and a component's timeline is the time-ordered concatenation
//! of its timelines for each cluster alone.
//!
//! Most events are alone in their cluster. For a lone event, which watched
//! components go down depends only on its source and the components it hit,
//! and each of them is then down for exactly `[start, end)`, or for a part of
//! it that a failover's switch time cuts or a ride-through starts late
//! ([`lone`]); other ways through the graph make the pattern "complex". The
//! watched components a pattern takes down, and how, are computed once per
//! (source, hit pattern) and cached. Clusters of several
//! events and lone events of complex patterns are evaluated together by the
//! full algebra restricted to those events and to the components the watched
//! ones depend on; the two sets of intervals are merged by start time. The
//! intervals are the same values the full evaluator produces, in the same
//! order, so every figure computed from them is byte-identical (a test
//! compares the two trial by trial on random graphs).

mod lone;
mod order;

use crate::evaluate::Timelines;
use crate::model::Model;
use crate::timeline::Interval;
use crate::world::{Event, World};
use lone::{Kind, State};
use std::collections::HashMap;

/// What a lone event of one pattern does to the watched components: an index
/// into [`Fast::effects`] (the watched components it takes down, ascending,
/// each with how: [`Kind`]), or [`COMPLEX`] (evaluate it in full).
type Effect = u32;

/// The effect of a pattern whose outcome depends on the event's length.
const COMPLEX: Effect = u32::MAX;

/// Mean number of events in progress from which the full evaluator is used
/// ([`Fast::pays`]).
pub const CONCURRENT_MAX: f64 = 0.25;

/// Cached effects of one hash: (source, hits, effect).
type Bucket = Vec<(u32, Box<[u32]>, Effect)>;

/// The cache's keys are already well-mixed hashes: used as they are.
#[derive(Debug, Clone, Copy, Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = crate::world::splitmix64(self.0 ^ u64::from(b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type Keyed = std::hash::BuildHasherDefault<KeyHasher>;

/// Per-thread state of the fast evaluator.
#[derive(Debug, Clone)]
pub struct Fast {
    watched: Vec<usize>,
    /// The watched components and everything they depend on, ascending.
    needed: Vec<usize>,
    needed_mask: Vec<bool>,
    /// Per source: the effect of an event hitting all its targets, once known.
    full_hit: Vec<Option<Effect>>,
    /// Effects of other patterns, by a hash of (source, hits).
    cache: HashMap<u64, Bucket, Keyed>,
    /// The effects' components: effect `i` takes down
    /// `effect_components[effects[i].0..effects[i].1]`.
    effects: Vec<(u32, u32)>,
    effect_components: Vec<(u32, Kind)>,
    /// Per source: whether every target is needed ([`Reach::All`]), none
    /// ([`Reach::None`]), or some.
    reach: Vec<Reach>,
    /// Scratch: the needed components that events going to the full algebra
    /// can reach (marked, and listed ascending).
    affected: Vec<bool>,
    affected_list: Vec<usize>,
    /// Scratch: events that touch a needed component, sorted by start (then
    /// index): [`order::order_key`]s.
    order: order::Order,
    /// Scratch: per event, whether it goes to the full algebra.
    slow: Vec<bool>,
    /// Scratch: per watched component (indexed like `Model::components`), the lone intervals.
    lone: Vec<Vec<Interval>>,
    states: Vec<State>,
    merged: Vec<Interval>,
}

impl Fast {
    /// Whether the fast evaluator applies to this model (the binary algebra).
    pub fn applies(model: &Model) -> bool {
        !model.has_partial_service()
    }

    /// Whether it is expected to be cheaper than the full evaluator: when
    /// few events overlap, so that most are alone in their cluster. The
    /// mean number of events in progress at an instant is Σ rate × mean
    /// duration over the sources; from [`CONCURRENT_MAX`] on, clusters of
    /// several events are common and the full algebra over all of them is
    /// cheaper (the long-outages shape: 0.71 events in progress, cluster
    /// evaluator 4.9k instructions a trial against 2.9k; the benchmark
    /// scenario: 0.014). Both give the same timelines, so the choice changes
    /// only the speed.
    pub fn pays(model: &Model) -> bool {
        let concurrent: f64 = model
            .sources
            .iter()
            .map(|s| s.rate_per_hour * s.duration.mean())
            .sum();
        concurrent < CONCURRENT_MAX
    }

    /// `watched`: the components whose timelines must be exact, ascending.
    pub fn new(model: &Model, watched: &[usize]) -> Self {
        let n = model.components.len();
        let mut needed_mask = vec![false; n];
        for &c in watched {
            needed_mask[c] = true;
        }
        for c in (0..n).rev() {
            if needed_mask[c] {
                for &d in &model.components[c].needs {
                    needed_mask[d] = true;
                }
            }
        }
        let reach = model
            .sources
            .iter()
            .map(|src| {
                let needed = src.targets.iter().filter(|t| needed_mask[t.component]);
                match needed.count() {
                    0 => Reach::None,
                    k if k == src.targets.len() => Reach::All,
                    _ => Reach::Some,
                }
            })
            .collect();
        Fast {
            watched: watched.to_vec(),
            needed: (0..n).filter(|&c| needed_mask[c]).collect(),
            needed_mask,
            full_hit: vec![None; model.sources.len()],
            cache: HashMap::default(),
            effects: Vec::new(),
            effect_components: Vec::new(),
            reach,
            affected: vec![false; n],
            affected_list: Vec::new(),
            order: order::Order::default(),
            slow: Vec::new(),
            lone: vec![Vec::new(); n],
            states: vec![State::Up; n],
            merged: Vec::new(),
        }
    }

    /// The watched components' timelines from the world's events, into
    /// `tl.down` (other components' timelines are left as they are: not valid).
    pub fn compute(&mut self, model: &Model, world: &World, tl: &mut Timelines) {
        self.order.clear();
        for (i, e) in world.events.iter().enumerate() {
            let hits = world.hit_components(e);
            let touches = match self.reach.get(e.source as usize) {
                Some(Reach::None) => false,
                Some(Reach::All) => !hits.is_empty(),
                _ => hits.iter().any(|&c| self.needed_mask[c as usize]),
            };
            if touches {
                self.order.push(e.start, i as u32);
            }
        }
        self.order.sort();
        self.slow.clear();
        self.slow.resize(world.events.len(), false);
        for &c in &self.watched {
            self.lone[c].clear();
        }
        let mut any_slow = false;
        let mut i = 0;
        // Taken out while `self.effect` runs, and put back for the next trial.
        let order = std::mem::take(&mut self.order.keys);
        while i < order.len() {
            let event = |k: usize| &world.events[order[k] as u32 as usize];
            let first = event(i);
            let mut end = first.end;
            let mut j = i + 1;
            while j < order.len() && event(j).start <= end {
                end = end.max(event(j).end);
                j += 1;
            }
            let lone = j == i + 1 && {
                let ev = *first;
                match self.effect(model, world, &ev) {
                    COMPLEX => false,
                    effect => {
                        let (a, b) = self.effects[effect as usize];
                        for &(c, kind) in &self.effect_components[a as usize..b as usize] {
                            if let Some(iv) = kind.interval(ev.start, ev.end) {
                                self.lone[c as usize].push(iv);
                            }
                        }
                        true
                    }
                }
            };
            if !lone {
                any_slow = true;
                for &key in &order[i..j] {
                    self.slow[key as u32 as usize] = true;
                }
            }
            i = j;
        }
        self.order.keys = order;
        if any_slow {
            self.mark_affected(model, world, tl);
            tl.compute_only(
                model,
                world,
                &self.slow,
                &self.affected_list,
                &self.affected,
            );
            for &c in &self.watched {
                if self.lone[c].is_empty() {
                    continue;
                }
                merge_by_start(&self.lone[c], &tl.down[c], &mut self.merged);
                std::mem::swap(&mut self.merged, &mut tl.down[c]);
            }
        } else {
            for &c in &self.watched {
                std::mem::swap(&mut self.lone[c], &mut tl.down[c]);
            }
        }
    }

    /// Marks and lists the needed components that the events going to the
    /// full algebra hit or depend on a component they hit; empties the
    /// timelines of the other needed components (under those events alone,
    /// nothing of theirs is down), which the affected ones may read.
    fn mark_affected(&mut self, model: &Model, world: &World, tl: &mut Timelines) {
        for &c in &self.affected_list {
            self.affected[c] = false;
        }
        self.affected_list.clear();
        let mut lowest = usize::MAX;
        for (e, _) in world.events.iter().zip(&self.slow).filter(|(_, &s)| s) {
            for &c in world.hit_components(e) {
                let c = c as usize;
                if self.needed_mask[c] {
                    self.affected[c] = true;
                    lowest = lowest.min(c);
                }
            }
        }
        // Needs come before the components that need them.
        let from = self.needed.partition_point(|&c| c < lowest);
        for &c in &self.needed[..from] {
            tl.down[c].clear();
        }
        for &c in &self.needed[from..] {
            if self.affected[c] || model.components[c].needs.iter().any(|&d| self.affected[d]) {
                self.affected[c] = true;
                self.affected_list.push(c);
            } else {
                tl.down[c].clear();
            }
        }
    }

    /// The effect of a lone event (cached per source and hit pattern).
    fn effect(&mut self, model: &Model, world: &World, e: &Event) -> Effect {
        let hits = world.hit_components(e);
        let s = e.source as usize;
        let full = model
            .sources
            .get(s)
            .is_some_and(|src| src.targets.len() == hits.len());
        if full {
            if let Some(effect) = self.full_hit[s] {
                return effect;
            }
        }
        let key = hits
            .iter()
            .fold(crate::world::splitmix64(u64::from(e.source)), |h, &c| {
                crate::world::splitmix64(h ^ u64::from(c))
            });
        if !full {
            if let Some(found) = self.cache.get(&key).and_then(|bucket| {
                bucket
                    .iter()
                    .find(|(src, h, _)| *src == e.source && **h == *hits)
            }) {
                return found.2;
            }
        }
        let effect = match self.propagate(model, hits) {
            None => COMPLEX,
            Some(down) => {
                let a = self.effect_components.len() as u32;
                self.effect_components.extend_from_slice(&down);
                self.effects.push((a, self.effect_components.len() as u32));
                (self.effects.len() - 1) as u32
            }
        };
        if full {
            self.full_hit[s] = Some(effect);
        } else {
            self.cache
                .entry(key)
                .or_default()
                .push((e.source, hits.into(), effect));
        }
        effect
    }

    /// How one event hitting `hits` takes down each watched component
    /// ([`lone`]); `None` when that depends on more than the event's length.
    fn propagate(&mut self, model: &Model, hits: &[u32]) -> Option<Vec<(u32, Kind)>> {
        lone::propagate(model, &self.needed, hits, &mut self.states);
        let mut out = Vec::new();
        for &c in &self.watched {
            let kind = match self.states[c] {
                State::Up => continue,
                State::Down => Kind::Down,
                State::Cut(w) => Kind::Cut(w),
                State::Late(t) => Kind::Late(t),
                State::Complex => return None,
            };
            out.push((c as u32, kind));
        }
        Some(out)
    }
}

/// Which of a source's targets are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    None,
    Some,
    All,
}

/// `out` = two sorted lists of intervals with no common or touching points, merged by start.
fn merge_by_start(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].start < b[j].start {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}
