//! Counterfactuals on one trial's world (an outage source removed, or its
//! targets held down), evaluated incrementally against the timelines of the
//! world as sampled: only components whose inputs differ are recomputed.

use crate::evaluate::{hangs, Counterfactual, Subset, Timelines};
use crate::model::Model;
use crate::service::Piece;
use crate::timeline::Interval;
use crate::world::World;

/// Counterfactuals on one trial's world, evaluated incrementally against the
/// timelines of the world as sampled (the base): only components whose
/// inputs differ from the base are recomputed, and propagation stops where a
/// timeline comes out unchanged.
#[derive(Debug, Clone, Default)]
pub struct Incremental {
    /// The counterfactual's timelines; equal to the base between evaluations.
    pub timelines: Timelines,
    /// Per component: the world's events that hit it (indices into
    /// `World::events`) and the hit's index into `World::factors`.
    by_component: Vec<Vec<(u32, u32)>>,
    /// Per source: its events.
    by_source: Vec<Vec<u32>>,
    /// Components whose timeline differs from the base.
    changed: Vec<bool>,
    /// Components recomputed by the last evaluation.
    touched: Vec<usize>,
}

impl Incremental {
    pub fn new(model: &Model) -> Self {
        Incremental {
            timelines: Timelines::new(model),
            by_component: vec![Vec::new(); model.components.len()],
            by_source: vec![Vec::new(); model.sources.len()],
            changed: vec![false; model.components.len()],
            touched: Vec::new(),
        }
    }

    /// Starts a new trial: indexes its world and copies the base timelines.
    pub fn reset(&mut self, world: &World, base: &Timelines) {
        for v in self.by_component.iter_mut() {
            v.clear();
        }
        for v in self.by_source.iter_mut() {
            v.clear();
        }
        for (i, e) in world.events.iter().enumerate() {
            self.by_source[e.source as usize].push(i as u32);
            for (h, &c) in (e.hits.0..).zip(world.hit_components(e)) {
                self.by_component[c as usize].push((i as u32, h));
            }
        }
        for (mine, theirs) in self.timelines.down.iter_mut().zip(&base.down) {
            mine.clone_from(theirs);
        }
        for (mine, theirs) in self.timelines.levels.iter_mut().zip(&base.levels) {
            mine.clone_from(theirs);
        }
    }

    /// The events of a source in this trial's world.
    pub fn events_of(&self, source: usize) -> &[u32] {
        &self.by_source[source]
    }

    /// Evaluates `cf` on the world given to [`Incremental::reset`]. The
    /// components of `subset` (which must contain every component `cf` can
    /// change that the caller reads) are recomputed in order, but only when
    /// an input differs from `base`: an event of theirs removed or held down,
    /// or a need whose timeline came out changed. [`Incremental::restore`]
    /// puts the timelines back to `base`.
    pub fn evaluate(
        &mut self,
        model: &Model,
        world: &World,
        cf: Counterfactual,
        subset: &Subset,
        base: &Timelines,
    ) {
        let (skip, held) = match cf {
            Counterfactual::None => (None, None),
            Counterfactual::Remove(s) => (Some(s), None),
            Counterfactual::HoldDown(s) => (None, Some(s)),
        };
        if let Some(s) = skip {
            for &i in &self.by_source[s] {
                for &c in world.hit_components(&world.events[i as usize]) {
                    self.changed[c as usize] |= subset.member[c as usize];
                }
            }
        }
        if let Some(s) = held {
            for t in &model.sources[s].targets {
                self.changed[t.component] |= t.probability > 0.0 && subset.member[t.component];
            }
        }
        let tl = &mut self.timelines;
        for &c in &subset.list {
            let needs = &model.components[c].needs;
            if !self.changed[c] && !needs.iter().any(|&d| self.changed[d]) {
                continue;
            }
            tl.own[c].clear();
            if tl.partial {
                tl.own_pieces[c].clear();
            }
            for &(i, h) in &self.by_component[c] {
                let e = &world.events[i as usize];
                if Some(e.source as usize) != skip {
                    if tl.partial {
                        tl.own_pieces[c].push(Piece {
                            start: e.start,
                            end: e.end,
                            factor: world.factors[h as usize],
                            hang: hangs(model, e.source),
                        });
                    } else {
                        tl.own[c].push(Interval::new(e.start, e.end));
                    }
                }
            }
            if let Some(s) = held {
                let hit = model.sources[s]
                    .targets
                    .iter()
                    .any(|t| t.component == c && t.probability > 0.0);
                if hit {
                    tl.hold_down(c);
                }
            }
            tl.combine(model, c);
            self.touched.push(c);
            self.changed[c] =
                tl.down[c] != base.down[c] || (tl.partial && tl.levels[c] != base.levels[c]);
        }
    }

    /// Undoes the last [`Incremental::evaluate`]: copies back from `base`
    /// the timelines it recomputed.
    pub fn restore(&mut self, base: &Timelines) {
        for &c in &self.touched {
            self.timelines.down[c].clone_from(&base.down[c]);
            if self.timelines.partial {
                self.timelines.levels[c].clone_from(&base.levels[c]);
            }
            self.changed[c] = false;
        }
        self.touched.clear();
    }
}
