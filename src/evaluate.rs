//! From one sampled world to every component's down timeline (in topological
//! order: own events, then needs through the component's mode) and from there
//! to each architecture's outcome for the trial. Buffers live in [`Timelines`]
//! and are reused from trial to trial.

use crate::model::{Architecture, Component, Mode, Model};
use crate::service::{self, Piece, Seg};
use crate::timeline::{self, Edge, Interval};
use crate::world::World;

pub use crate::incremental::Incremental;

/// Every component's down timeline for one trial, with scratch space.
#[derive(Debug, Clone, Default)]
pub struct Timelines {
    /// Intervals below full service per component (indexed like
    /// `Model::components`); with complete outages only, the down intervals.
    pub down: Vec<Vec<Interval>>,
    /// Service-level timelines per component when the scenario has partial
    /// outages ([`Model::has_partial_service`]); empty otherwise.
    pub levels: Vec<Vec<Seg>>,
    pub(crate) partial: bool,
    pub(crate) own: Vec<Vec<Interval>>,
    pub(crate) own_pieces: Vec<Vec<Piece>>,
    own_levels: Vec<Seg>,
    /// Per need position: a need's timeline after its ride-through.
    tolerated: Vec<Vec<Interval>>,
    tolerated_levels: Vec<Vec<Seg>>,
    scratch: Scratch,
    service: service::Scratch,
}

/// Buffers for combining a component's needs.
#[derive(Debug, Clone, Default)]
struct Scratch {
    needs: Vec<Interval>,
    tmp: Vec<Interval>,
    edges: Vec<Edge>,
    states: Vec<bool>,
}

/// A change to one trial's sampled world, for counterfactual evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counterfactual {
    /// The world as sampled.
    None,
    /// Without this source's events (as if it never happened).
    Remove(usize),
    /// With every target of this source that it can hit (hit probability > 0)
    /// down for the whole trial, [`HELD_DOWN`], on top of the sampled events.
    HoldDown(usize),
}

/// The interval a held-down target is down for: far before the earliest and
/// after the latest sampled event, so a failover away from it completed long
/// before the period starts.
pub const HELD_DOWN: Interval = Interval {
    start: -1.0e12,
    end: 1.0e12,
};

/// Whether the outages of this event's source hang (a forced event's with no source do not).
#[inline]
pub(crate) fn hangs(model: &Model, source: u32) -> bool {
    model.sources.get(source as usize).is_some_and(|s| s.hangs)
}

/// Components a counterfactual may recompute ([`Incremental::evaluate`]): ascending
/// indices, with a membership mask over all components.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subset {
    pub list: Vec<usize>,
    pub member: Vec<bool>,
}

impl Subset {
    /// The subset of `0..n` marked in `member`.
    pub fn from_mask(member: Vec<bool>) -> Self {
        let list = (0..member.len()).filter(|&c| member[c]).collect();
        Subset { list, member }
    }
}

/// What one architecture went through in one trial.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outcome {
    /// Down time inside the period, in hours.
    pub downtime_hours: f64,
    /// Outages that started inside the period.
    pub outages: u32,
    /// Full length of the longest outage that started inside the period (0 if none).
    pub longest_outage_hours: f64,
    /// Loss of the outages that started inside the period.
    pub loss: f64,
    /// Largest loss of one of those outages (0 if none): the occurrence loss.
    pub largest_outage_loss: f64,
    /// ∫(1 − service level) inside the period, in hours (equal to the down
    /// time when every outage is complete): 1 − this ÷ period is the share served.
    pub unserved_hours: f64,
    /// Hours inside the period below full service but not down (not below `down_below`).
    pub degraded_hours: f64,
}

impl Timelines {
    pub fn new(model: &Model) -> Self {
        let n = model.components.len();
        let partial = model.has_partial_service();
        Timelines {
            down: vec![Vec::new(); n],
            own: vec![Vec::new(); n],
            levels: vec![Vec::new(); if partial { n } else { 0 }],
            own_pieces: vec![Vec::new(); if partial { n } else { 0 }],
            partial,
            ..Default::default()
        }
    }

    /// Computes every component's timeline from the world's events, with the
    /// counterfactual change `cf` applied (`Counterfactual::None` for the world as sampled).
    pub fn compute(&mut self, model: &Model, world: &World, cf: Counterfactual) {
        for own in &mut self.own {
            own.clear();
        }
        for own in &mut self.own_pieces {
            own.clear();
        }
        self.collect(model, world, cf, |_| true);
        for c in 0..model.components.len() {
            self.combine(model, c);
        }
    }

    /// The timelines of the components in `components` (ascending, marked
    /// in `member`) from the events listed in `events` only (indices into
    /// the world's events, in any order); other
    /// components' timelines are left as they were, and those of them that
    /// are needs of `components` must be empty already (nothing of theirs
    /// is down under these events). Binary algebra only (see [`crate::fast`]).
    pub(crate) fn compute_only(
        &mut self,
        model: &Model,
        world: &World,
        events: &[u32],
        components: &[usize],
        member: &[bool],
    ) {
        debug_assert!(!self.partial);
        for &c in components {
            self.own[c].clear();
        }
        for &e in events {
            let e = &world.events[e as usize];
            for &c in world.hit_components(e) {
                if member[c as usize] {
                    self.own[c as usize].push(Interval::new(e.start, e.end));
                }
            }
        }
        for &c in components {
            self.combine(model, c);
        }
    }

    /// Puts each component's own down intervals (events that hit it) into `own`.
    #[inline]
    fn collect(
        &mut self,
        model: &Model,
        world: &World,
        cf: Counterfactual,
        keep: impl Fn(usize) -> bool,
    ) {
        let skip = match cf {
            Counterfactual::Remove(s) => Some(s),
            _ => None,
        };
        for e in &world.events {
            if Some(e.source as usize) == skip {
                continue;
            }
            if self.partial {
                for (&c, &factor) in world.hit_components(e).iter().zip(world.hit_factors(e)) {
                    if keep(c as usize) {
                        self.own_pieces[c as usize].push(Piece {
                            start: e.start,
                            end: e.end,
                            factor,
                            hang: hangs(model, e.source),
                        });
                    }
                }
                continue;
            }
            for &c in world.hit_components(e) {
                if keep(c as usize) {
                    self.own[c as usize].push(Interval::new(e.start, e.end));
                }
            }
        }
        if let Counterfactual::HoldDown(s) = cf {
            for t in &model.sources[s].targets {
                if t.probability > 0.0 && keep(t.component) {
                    self.hold_down(t.component);
                }
            }
        }
    }

    /// Adds a complete outage of component `c` for the whole trial.
    pub(crate) fn hold_down(&mut self, c: usize) {
        if self.partial {
            self.own_pieces[c].push(Piece {
                start: HELD_DOWN.start,
                end: HELD_DOWN.end,
                factor: 0.0,
                hang: false,
            });
        } else {
            self.own[c].push(HELD_DOWN);
        }
    }

    /// One component's timeline from its own intervals and its needs' timelines.
    #[inline]
    pub(crate) fn combine(&mut self, model: &Model, c: usize) {
        let comp = &model.components[c];
        let n = comp.needs.len();
        let tolerates = comp.tolerate_hours.iter().any(|&t| t > 0.0);
        if self.partial {
            service::own_levels(&self.own_pieces[c], &mut self.service, &mut self.own_levels);
            let (done, rest) = self.levels.split_at_mut(c);
            let tol = &mut self.tolerated_levels;
            if tolerates {
                if tol.len() < n {
                    tol.resize(n, Vec::new());
                }
                for (k, (&d, &t)) in comp.needs.iter().zip(&comp.tolerate_hours).enumerate() {
                    if t > 0.0 {
                        service::ride_through(&done[d], t, &mut tol[k]);
                    }
                }
            }
            let (done, tol) = (&*done, &*tol);
            let need = move |k: usize| -> &[Seg] {
                if comp.tolerate_hours[k] > 0.0 {
                    &tol[k]
                } else {
                    &done[comp.needs[k]]
                }
            };
            service::combine(
                &self.own_levels,
                comp,
                need,
                &mut self.service,
                &mut rest[0],
            );
            service::below_full(&rest[0], &mut self.down[c]);
            return;
        }
        let own = &mut self.own[c];
        timeline::normalize(own);
        if n == 0 {
            // No needs: its own events are all.
            std::mem::swap(&mut self.down[c], own);
            return;
        }
        let (done, rest) = self.down.split_at_mut(c);
        let down = &mut rest[0];
        let tol = &mut self.tolerated;
        if tolerates {
            if tol.len() < n {
                tol.resize(n, Vec::new());
            }
            for (k, (&d, &t)) in comp.needs.iter().zip(&comp.tolerate_hours).enumerate() {
                if t > 0.0 {
                    timeline::ride_through(&done[d], t, &mut tol[k]);
                }
            }
        }
        let (done, tol) = (&*done, &*tol);
        let need = move |k: usize| -> &[Interval] {
            if comp.tolerate_hours[k] > 0.0 {
                &tol[k]
            } else {
                &done[comp.needs[k]]
            }
        };
        if !self.scratch.needs_from(comp, need) {
            // The needs never fail together: the component's own events are all.
            std::mem::swap(down, own);
        } else if own.is_empty() {
            std::mem::swap(down, &mut self.scratch.needs);
        } else {
            timeline::union(own, &self.scratch.needs, down);
        }
    }

    /// The outages of `component` that start inside `[0, horizon)`, with their full length.
    pub fn outages_in_period(
        &self,
        component: usize,
        horizon: f64,
    ) -> impl Iterator<Item = &Interval> + '_ {
        self.down[component]
            .iter()
            .take_while(move |iv| iv.start < horizon)
            .filter(|iv| iv.start >= 0.0)
    }

    /// The outages of `component` that start inside `[0, horizon)`, with
    /// their full length, an outage being a maximal stretch below the service
    /// level `threshold` (1: below full service, [`Self::outages_in_period`]).
    pub fn outages_below(
        &self,
        component: usize,
        threshold: f64,
        horizon: f64,
    ) -> impl Iterator<Item = Interval> + '_ {
        let partial = self.partial && threshold < 1.0;
        let full = (!partial).then(|| self.outages_in_period(component, horizon).copied());
        let below = partial.then(|| {
            service::outages(&self.levels[component], threshold)
                .take_while(move |o| o.start < horizon)
                .filter(|o| o.start >= 0.0)
                .map(|o| Interval::new(o.start, o.end))
        });
        full.into_iter()
            .flatten()
            .chain(below.into_iter().flatten())
    }

    /// The outcome of an architecture over the period `[0, horizon)`.
    pub fn outcome(&self, arch: &Architecture, horizon: f64) -> Outcome {
        self.outcome_with(arch, horizon, |_, _| {})
    }

    /// The outcome of an architecture over the period `[0, horizon)` and, in
    /// the same pass over its timeline, each of its outages that start inside
    /// the period with its full length and loss, in time order (what
    /// [`Self::architecture_outages`] lists), given to `each`.
    pub fn outcome_with(
        &self,
        arch: &Architecture,
        horizon: f64,
        mut each: impl FnMut(Interval, f64),
    ) -> Outcome {
        if self.partial {
            for (iv, loss) in self.architecture_outages(arch, horizon) {
                each(iv, loss);
            }
            return service::outcome(&self.levels[arch.serves], arch, horizon);
        }
        let mut o = Outcome::default();
        // Summed from +0.0 in time order, as `timeline::measure_within` does.
        let mut down = 0.0;
        let mut outages = 0u32;
        for iv in self.down[arch.serves].iter() {
            if iv.start >= horizon {
                break;
            }
            if iv.start >= 0.0 {
                let d = iv.len();
                // The part inside the period, as `Interval::overlap` computes
                // it for an interval that starts inside: its length when it
                // ends inside too (both positive: no clamp at 0).
                down += if iv.end <= horizon {
                    d
                } else {
                    horizon - iv.start
                };
                outages = outages.wrapping_add(1);
                o.longest_outage_hours = o.longest_outage_hours.max(d);
                let loss = match &arch.loss {
                    Some(l) => l.of_outage(d),
                    None => 0.0,
                };
                o.loss += loss;
                o.largest_outage_loss = o.largest_outage_loss.max(loss);
                each(*iv, loss);
            } else {
                down += iv.overlap(0.0, horizon);
            }
        }
        o.outages = outages;
        o.downtime_hours = down;
        o.unserved_hours = down;
        o
    }

    /// The outages of an architecture that start inside `[0, horizon)`, each
    /// with its full length and loss.
    pub fn architecture_outages(
        &self,
        arch: &Architecture,
        horizon: f64,
    ) -> impl Iterator<Item = (Interval, f64)> + '_ {
        let loss = arch.loss;
        let (binary, partial) = if self.partial {
            let levels = &self.levels[arch.serves];
            let it = service::outages(levels, arch.down_below)
                .take_while(move |o| o.start < horizon)
                .filter(|o| o.start >= 0.0)
                .map(move |o| {
                    let d = o.end - o.start;
                    let l = loss.map_or(0.0, |l| l.of_partial(d, o.unserved_hours));
                    (Interval::new(o.start, o.end), l)
                });
            (None, Some(it))
        } else {
            let it = self
                .outages_in_period(arch.serves, horizon)
                .map(move |iv| (*iv, loss.map_or(0.0, |l| l.of_outage(iv.len()))));
            (Some(it), None)
        };
        binary
            .into_iter()
            .flatten()
            .chain(partial.into_iter().flatten())
    }
}

impl Scratch {
    /// Computes into `self.needs` when the component's needs are not met, from
    /// the needs' timelines in `done`. Returns false, without computing, when
    /// they are met throughout (the common case in a quiet year).
    fn needs_from<'a>(&mut self, comp: &Component, need: impl Fn(usize) -> &'a [Interval]) -> bool {
        let n = comp.needs.len();
        if n == 0 {
            return false;
        }
        let troubled = (0..n).filter(|&k| !need(k).is_empty()).count();
        let threshold = match comp.mode {
            Mode::All => 1,
            Mode::Any => n,
            Mode::Quorum(k) => n - k + 1,
            // With levels 0 and 1, retrying every failed request on the other
            // needs serves whenever one of them is up: exactly `any`.
            Mode::Failover { retry: true, .. } => n,
            // Failover serves from the first need while it is up.
            Mode::Failover { .. } if need(0).is_empty() => return false,
            Mode::Failover { .. } => 1,
            // Pools run on service levels; with 0/1 levels and equal
            // capacities this is the same threshold.
            Mode::Pool => comp.pool_cut().max(1),
        };
        if troubled < threshold {
            return false;
        }
        let mut troubled_needs = (0..n).map(&need).filter(|t| !t.is_empty());
        match comp.mode {
            // Union (all) or intersection (any) by pairwise linear merges.
            Mode::All | Mode::Any | Mode::Failover { retry: true, .. } => {
                let first = troubled_needs.next().expect("at least one");
                self.needs.clear();
                self.needs.extend_from_slice(first);
                for t in troubled_needs {
                    if matches!(comp.mode, Mode::All) {
                        timeline::union(&self.needs, t, &mut self.tmp);
                    } else {
                        timeline::intersect(&self.needs, t, &mut self.tmp);
                    }
                    std::mem::swap(&mut self.needs, &mut self.tmp);
                }
                return true;
            }
            Mode::Quorum(_) | Mode::Failover { .. } | Mode::Pool => {}
        }
        timeline::edges((0..n).map(need), &mut self.edges);
        match comp.mode {
            Mode::Failover { switch_hours, .. } => timeline::failover(
                &self.edges,
                n,
                switch_hours,
                &mut self.states,
                &mut self.needs,
            ),
            _ => timeline::at_least_down(&self.edges, threshold, &mut self.needs),
        }
        true
    }
}
