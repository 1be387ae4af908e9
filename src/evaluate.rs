//! From one sampled world to every component's down timeline (in topological
//! order: own events, then needs through the component's mode) and from there
//! to each architecture's outcome for the trial. Buffers live in [`Timelines`]
//! and are reused from trial to trial.

use crate::model::{Architecture, Mode, Model};
use crate::timeline::{self, Edge, Interval};
use crate::world::World;

/// Every component's down timeline for one trial, with scratch space.
#[derive(Debug, Clone, Default)]
pub struct Timelines {
    /// Down intervals per component (indexed like `Model::components`).
    pub down: Vec<Vec<Interval>>,
    own: Vec<Vec<Interval>>,
    needs: Vec<Interval>,
    edges: Vec<Edge>,
    states: Vec<bool>,
    /// Counterfactual bookkeeping: components whose timeline differs from the base.
    changed: Vec<bool>,
    /// Components recomputed by the last counterfactual.
    touched: Vec<usize>,
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

/// Components a counterfactual may recompute ([`Timelines::compute_changes`]): ascending
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
}

impl Timelines {
    pub fn new(model: &Model) -> Self {
        let n = model.components.len();
        Timelines {
            down: vec![Vec::new(); n],
            own: vec![Vec::new(); n],
            ..Default::default()
        }
    }

    /// Computes every component's timeline from the world's events, with the
    /// counterfactual change `cf` applied (`Counterfactual::None` for the world as sampled).
    pub fn compute(&mut self, model: &Model, world: &World, cf: Counterfactual) {
        for own in &mut self.own {
            own.clear();
        }
        self.collect(model, world, cf, |_| true);
        for c in 0..model.components.len() {
            self.combine(model, c);
        }
    }

    /// Evaluates a counterfactual incrementally. On entry `self` must hold
    /// the same timelines as `base` (the world as sampled). Components of
    /// `subset` (which must contain every component `cf` can change) are
    /// recomputed in order, but only when an input differs from `base`: an
    /// event of theirs removed or held down, or a need whose timeline came out
    /// changed; propagation stops where a timeline comes out unchanged.
    /// [`Timelines::restore`] puts `self` back to `base`.
    pub fn compute_changes(
        &mut self,
        model: &Model,
        world: &World,
        cf: Counterfactual,
        subset: &Subset,
        base: &Timelines,
    ) {
        for &c in &subset.list {
            self.own[c].clear();
        }
        self.collect(model, world, cf, |c| subset.member[c]);
        self.changed.resize(model.components.len(), false);
        match cf {
            Counterfactual::None => {}
            Counterfactual::Remove(s) => {
                for e in world.events.iter().filter(|e| e.source as usize == s) {
                    for &c in world.hit_components(e) {
                        self.changed[c as usize] |= subset.member[c as usize];
                    }
                }
            }
            Counterfactual::HoldDown(s) => {
                for t in &model.sources[s].targets {
                    self.changed[t.component] |= t.probability > 0.0 && subset.member[t.component];
                }
            }
        }
        self.touched.clear();
        for &c in &subset.list {
            let needs = &model.components[c].needs;
            if !self.changed[c] && !needs.iter().any(|&d| self.changed[d]) {
                continue;
            }
            self.combine(model, c);
            self.touched.push(c);
            self.changed[c] = self.down[c] != base.down[c];
        }
    }

    /// Undoes [`Timelines::compute_changes`]: copies back from `base` the
    /// timelines it recomputed.
    pub fn restore(&mut self, base: &Timelines) {
        for &c in &self.touched {
            self.down[c].clone_from(&base.down[c]);
            self.changed[c] = false;
        }
        self.touched.clear();
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
            for &c in world.hit_components(e) {
                if keep(c as usize) {
                    self.own[c as usize].push(Interval::new(e.start, e.end));
                }
            }
        }
        if let Counterfactual::HoldDown(s) = cf {
            for t in &model.sources[s].targets {
                if t.probability > 0.0 && keep(t.component) {
                    self.own[t.component].push(HELD_DOWN);
                }
            }
        }
    }

    /// One component's timeline from its own intervals and its needs' timelines.
    #[inline]
    fn combine(&mut self, model: &Model, c: usize) {
        let comp = &model.components[c];
        let own = &mut self.own[c];
        timeline::normalize(own);
        if comp.needs.is_empty() {
            std::mem::swap(&mut self.down[c], own);
            return;
        }
        let (done, rest) = self.down.split_at_mut(c);
        let lists = comp.needs.iter().map(|&n| done[n].as_slice());
        timeline::edges(lists, &mut self.edges);
        let n = comp.needs.len();
        match comp.mode {
            Mode::All => timeline::at_least_down(&self.edges, 1, &mut self.needs),
            Mode::Any => timeline::at_least_down(&self.edges, n, &mut self.needs),
            Mode::Quorum(k) => timeline::at_least_down(&self.edges, n - k + 1, &mut self.needs),
            Mode::Failover { switch_hours } => timeline::failover(
                &self.edges,
                n,
                switch_hours,
                &mut self.states,
                &mut self.needs,
            ),
        }
        timeline::union(own, &self.needs, &mut rest[0]);
    }

    /// The outages of `component` that start inside `[0, horizon)`, with their full length.
    pub fn outages_in_period(&self, component: usize, horizon: f64) -> impl Iterator<Item = &Interval> + '_ {
        self.down[component].iter().take_while(move |iv| iv.start < horizon).filter(|iv| iv.start >= 0.0)
    }

    /// The outcome of an architecture over the period `[0, horizon)`.
    pub fn outcome(&self, arch: &Architecture, horizon: f64) -> Outcome {
        let mut o = Outcome {
            downtime_hours: timeline::measure_within(&self.down[arch.serves], 0.0, horizon),
            ..Outcome::default()
        };
        for iv in self.outages_in_period(arch.serves, horizon) {
            let d = iv.len();
            o.outages += 1;
            o.longest_outage_hours = o.longest_outage_hours.max(d);
            o.loss += arch.loss.map_or(0.0, |l| l.of_outage(d));
        }
        o
    }
}
