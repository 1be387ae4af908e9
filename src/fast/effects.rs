//! The lone effects of hit patterns: what one event alone does to the
//! watched components, worked out once per (source, hit pattern) by
//! [`super::lone`] and cached — the watched components it takes down and how
//! ([`Kind`]), and those it reaches (hits, or depends on something it hits)
//! with whether it takes them down for its whole interval. An event that
//! hits every target of its source has its effect in one lookup; one that
//! hits some of them (random hits) in a table per source indexed by which
//! of its needed targets it hit, found in one walk over its targets (hits
//! come in target order); other events (forced ones, sources with many
//! needed targets) by a hash of their hits.

use super::lone::{self, Kind, State};
use crate::model::Model;
use crate::world::{Event, World};
use std::collections::HashMap;

/// What a lone event of one pattern does to the watched components: an index
/// into [`Effects::infos`], or [`COMPLEX`] (evaluate it in full).
pub(crate) type Effect = u32;

/// The effect of a pattern whose outcome depends on the event's length.
pub(crate) const COMPLEX: Effect = u32::MAX;

/// Not yet known: a [`SourceInfo::full`] or table entry that is no effect.
const UNKNOWN: Effect = u32::MAX - 1;

/// Needed targets up to which a source's partial hit patterns are kept in
/// a table of `2^needed` effects (4 KiB at most, made on the first such
/// event); beyond, they are hashed.
const DENSE_BITS: u32 = 10;

/// A [`SourceInfo::table`] not made (yet).
const NO_TABLE: u32 = u32::MAX;

/// A pattern's effect: the watched components it takes down are
/// `Effects::down[down.0..down.1]`, those it reaches
/// `Effects::reached[reached.0..reached.1]`.
#[derive(Debug, Clone, Copy)]
struct EffectInfo {
    down: (u32, u32),
    reached: (u32, u32),
}

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

/// What is kept per source.
#[derive(Debug, Clone, Copy)]
struct SourceInfo {
    targets: u32,
    /// The effect of an event hitting every target ([`UNKNOWN`] until one has).
    full: Effect,
    /// Its targets' range in [`Effects::bits`].
    bits: (u32, u32),
    /// How many of its targets are needed (none: its events change no
    /// watched timeline).
    needed: u32,
    /// Where its table of effects by hit pattern starts in
    /// [`Effects::table`] ([`NO_TABLE`]: not made).
    table: u32,
}

/// The cache of lone effects, with the model's watched and needed components.
#[derive(Debug, Clone)]
pub(crate) struct Effects {
    watched: Vec<usize>,
    /// The watched components and everything they depend on, ascending, and
    /// marked (indexed like `Model::components`).
    needed: Vec<usize>,
    needed_mask: Vec<bool>,
    sources: Vec<SourceInfo>,
    /// Per target of each source (in its order): the component, and its
    /// bit in the source's hit patterns (0: not needed).
    bits: Vec<(u32, u64)>,
    /// Per source with a table: effects by the bits of the needed targets
    /// hit ([`UNKNOWN`]: not seen yet).
    table: Vec<Effect>,
    /// Effects of other patterns by a hash of (source, hits).
    cache: HashMap<u64, Bucket, Keyed>,
    infos: Vec<EffectInfo>,
    down: Vec<(u32, Kind)>,
    reached: Vec<(u32, bool)>,
    /// Scratch for [`lone::propagate`].
    states: Vec<State>,
    reached_mask: Vec<bool>,
}

impl Effects {
    pub(crate) fn new(model: &Model, watched: &[usize], needed_mask: &[bool]) -> Self {
        let n = model.components.len();
        let mut bits = Vec::new();
        let sources = model
            .sources
            .iter()
            .map(|src| {
                let from = bits.len() as u32;
                let mut needed = 0u32;
                for t in &src.targets {
                    let bit = match needed_mask[t.component] {
                        true if needed < 64 => 1u64 << needed,
                        _ => 0,
                    };
                    needed += u32::from(needed_mask[t.component]);
                    bits.push((t.component as u32, bit));
                }
                SourceInfo {
                    targets: src.targets.len() as u32,
                    full: UNKNOWN,
                    bits: (from, bits.len() as u32),
                    needed,
                    table: NO_TABLE,
                }
            })
            .collect();
        Effects {
            bits,
            table: Vec::new(),
            watched: watched.to_vec(),
            needed: (0..n).filter(|&c| needed_mask[c]).collect(),
            needed_mask: needed_mask.to_vec(),
            sources,
            cache: HashMap::default(),
            infos: Vec::new(),
            down: Vec::new(),
            reached: Vec::new(),
            states: vec![State::Up; n],
            reached_mask: vec![false; n],
        }
    }

    /// The effect of event `e` alone, or `None` when it hits no needed
    /// component (it changes no watched timeline, alone or with others).
    #[inline]
    pub(crate) fn of_event(&mut self, model: &Model, world: &World, e: &Event) -> Option<Effect> {
        if let Some(src) = self.sources.get(e.source as usize) {
            if src.needed == 0 {
                return None;
            }
            // Every target hit: the pattern's effect.
            if e.hits.1.wrapping_sub(e.hits.0) == src.targets && src.full != UNKNOWN {
                return Some(src.full);
            }
            let hits = world.hit_components(e);
            if src.needed <= DENSE_BITS {
                let targets = &self.bits[src.bits.0 as usize..src.bits.1 as usize];
                if let Some(pattern) = pattern(targets, hits) {
                    return (pattern != 0).then(|| self.tabled(model, e.source, pattern, hits));
                }
            }
        }
        if world
            .hit_components(e)
            .iter()
            .any(|&c| self.needed_mask[c as usize])
        {
            Some(self.effect(model, world, e))
        } else {
            None
        }
    }

    /// The effect of a lone event of source `s` hitting `hits`, whose
    /// needed targets hit are the bits of `pattern` (not 0), from the
    /// source's table (made here if need be).
    fn tabled(&mut self, model: &Model, s: u32, pattern: u64, hits: &[u32]) -> Effect {
        let src = &mut self.sources[s as usize];
        if src.table == NO_TABLE {
            src.table = self.table.len() as u32;
            self.table
                .resize(self.table.len() + (1usize << src.needed), UNKNOWN);
        }
        let at = src.table as usize + pattern as usize;
        let full = hits.len() == src.targets as usize;
        if self.table[at] == UNKNOWN {
            self.table[at] = if self.propagate(model, hits) {
                (self.infos.len() - 1) as u32
            } else {
                COMPLEX
            };
        }
        let effect = self.table[at];
        if full {
            self.sources[s as usize].full = effect;
        }
        effect
    }

    /// The watched components an effect takes down, ascending, and how.
    #[inline]
    pub(crate) fn down(&self, effect: Effect) -> &[(u32, Kind)] {
        let (a, b) = self.infos[effect as usize].down;
        &self.down[a as usize..b as usize]
    }

    /// The watched components an effect reaches, ascending, each with
    /// whether it takes it down for the whole event ([`Kind::Down`]).
    #[inline]
    pub(crate) fn reached(&self, effect: Effect) -> &[(u32, bool)] {
        let (a, b) = self.infos[effect as usize].reached;
        &self.reached[a as usize..b as usize]
    }

    /// The effect of a lone event (cached per source and hit pattern).
    fn effect(&mut self, model: &Model, world: &World, e: &Event) -> Effect {
        let hits = world.hit_components(e);
        let s = e.source as usize;
        let full = model
            .sources
            .get(s)
            .is_some_and(|src| src.targets.len() == hits.len());
        if full && self.sources[s].full != UNKNOWN {
            return self.sources[s].full;
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
        let effect = if self.propagate(model, hits) {
            (self.infos.len() - 1) as u32
        } else {
            COMPLEX
        };
        if full {
            self.sources[s].full = effect;
        } else {
            self.cache
                .entry(key)
                .or_default()
                .push((e.source, hits.into(), effect));
        }
        effect
    }

    /// Works out how one event hitting `hits` takes down each watched
    /// component ([`lone`]) and which it reaches, and appends that as a new
    /// effect; false, appending nothing, when that depends on more than the
    /// event's length.
    fn propagate(&mut self, model: &Model, hits: &[u32]) -> bool {
        lone::propagate(
            model,
            &self.needed,
            hits,
            &mut self.states,
            &mut self.reached_mask,
        );
        let (down_from, reached_from) = (self.down.len(), self.reached.len());
        for &c in &self.watched {
            if self.reached_mask[c] {
                self.reached.push((c as u32, self.states[c] == State::Down));
            }
            let kind = match self.states[c] {
                State::Up => continue,
                State::Down => Kind::Down,
                State::Cut(w) => Kind::Cut(w),
                State::Late(t) => Kind::Late(t),
                State::Complex => {
                    self.down.truncate(down_from);
                    self.reached.truncate(reached_from);
                    return false;
                }
            };
            self.down.push((c as u32, kind));
        }
        self.infos.push(EffectInfo {
            down: (down_from as u32, self.down.len() as u32),
            reached: (reached_from as u32, self.reached.len() as u32),
        });
        true
    }
}

/// The bits of the needed targets that `hits` hit, when `hits` are some of
/// `targets` in their order (as a sampled event's are); `None` otherwise.
#[inline]
fn pattern(targets: &[(u32, u64)], hits: &[u32]) -> Option<u64> {
    let mut pattern = 0;
    let mut rest = targets.iter();
    for &h in hits {
        loop {
            let &(c, bit) = rest.next()?;
            if c == h {
                pattern |= bit;
                break;
            }
        }
    }
    Some(pattern)
}
