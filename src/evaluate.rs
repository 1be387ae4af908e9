//! From one sampled world to every component's down timeline (in topological
//! order: own events, then needs through the component's mode) and from there
//! to each architecture's outcome for the trial. Buffers live in [`Timelines`]
//! and are reused from trial to trial.

use crate::model::{Architecture, Component, Mode, Model};
use crate::timeline::{self, Edge, Interval};
use crate::world::World;

/// Every component's down timeline for one trial, with scratch space.
#[derive(Debug, Clone, Default)]
pub struct Timelines {
    /// Down intervals per component (indexed like `Model::components`).
    pub down: Vec<Vec<Interval>>,
    own: Vec<Vec<Interval>>,
    scratch: Scratch,
}

/// Buffers for combining a component's needs.
#[derive(Debug, Clone, Default)]
struct Scratch {
    needs: Vec<Interval>,
    tmp: Vec<Interval>,
    edges: Vec<Edge>,
    states: Vec<bool>,
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

    /// Computes every component's timeline from the world's events.
    /// `skip` removes one source's events (for counterfactuals); `None` keeps all.
    pub fn compute(&mut self, model: &Model, world: &World, skip: Option<usize>) {
        for own in &mut self.own {
            own.clear();
        }
        for e in &world.events {
            if Some(e.source as usize) == skip {
                continue;
            }
            for &c in world.hit_components(e) {
                self.own[c as usize].push(Interval::new(e.start, e.end));
            }
        }
        for (c, comp) in model.components.iter().enumerate() {
            let own = &mut self.own[c];
            timeline::normalize(own);
            let (done, rest) = self.down.split_at_mut(c);
            let down = &mut rest[0];
            if !self.scratch.needs_from(comp, done) {
                // The needs never fail together: the component's own events are all.
                std::mem::swap(down, own);
                continue;
            }
            if own.is_empty() {
                std::mem::swap(down, &mut self.scratch.needs);
            } else {
                timeline::union(own, &self.scratch.needs, down);
            }
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

impl Scratch {
    /// Computes into `self.needs` when the component's needs are not met, from
    /// the needs' timelines in `done`. Returns false, without computing, when
    /// they are met throughout (the common case in a quiet year).
    fn needs_from(&mut self, comp: &Component, done: &[Vec<Interval>]) -> bool {
        let n = comp.needs.len();
        let troubled = comp.needs.iter().filter(|&&d| !done[d].is_empty()).count();
        let threshold = match comp.mode {
            Mode::All => 1,
            Mode::Any => n,
            Mode::Quorum(k) => n - k + 1,
            // Failover serves from the first need while it is up.
            Mode::Failover { .. } if done[comp.needs[0]].is_empty() => return false,
            Mode::Failover { .. } => 1,
        };
        if n == 0 || troubled < threshold {
            return false;
        }
        let mut troubled_needs = comp
            .needs
            .iter()
            .map(|&d| done[d].as_slice())
            .filter(|t| !t.is_empty());
        match comp.mode {
            // Union (all) or intersection (any) by pairwise linear merges.
            Mode::All | Mode::Any => {
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
            Mode::Quorum(_) | Mode::Failover { .. } => {}
        }
        timeline::edges(
            comp.needs.iter().map(|&d| done[d].as_slice()),
            &mut self.edges,
        );
        match comp.mode {
            Mode::Failover { switch_hours } => timeline::failover(
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
