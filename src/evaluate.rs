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
            if comp.needs.is_empty() {
                std::mem::swap(&mut self.down[c], own);
                continue;
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
