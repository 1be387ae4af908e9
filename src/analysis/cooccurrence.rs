//! Which providers and jurisdictions were actually down with each design,
//! measured on one trial's timelines. Two figures per design × group
//! (docs/analysis.md §5):
//!
//! - **involved**: the time the design was down while some component of the
//!   group that the design depends on was below full service from an
//!   outage event that hit it (its own service was reduced, not merely
//!   something it needs);
//! - **responsible**: the down time that sparing the group would have
//!   avoided: the same world re-evaluated with every event's hits on the
//!   group's components removed (the events still hit everything else).
//!
//! Both use the world as sampled (common random numbers with the run).

use super::concentration::Group;
use super::estimate::Sums;
use super::graph::Graph;
use super::overlap;
use crate::engine::TrialRunner;
use crate::evaluate::{Counterfactual, Timelines};
use crate::model::Model;
use crate::service;
use crate::timeline::{self, Interval};
use crate::world::World;

/// What to observe, built once from the structure.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub groups: usize,
    pub architectures: usize,
    /// Per component: the slots (`g * architectures + a`) in which it counts:
    /// it belongs to group g and architecture a depends on it.
    pub slots_of: Vec<Vec<usize>>,
    /// Per group: its components as a mask over all components.
    pub members: Vec<Vec<bool>>,
    /// Per group: the architectures that depend on one of its components.
    pub archs_of: Vec<Vec<usize>>,
}

impl Plan {
    pub fn new(model: &Model, graph: &Graph, groups: &[Group]) -> Plan {
        let n_arch = model.architectures.len();
        let mut slots_of = vec![Vec::new(); model.components.len()];
        let mut members = Vec::with_capacity(groups.len());
        let mut archs_of = Vec::with_capacity(groups.len());
        // Per architecture: the components it depends on.
        let upstream: Vec<Vec<bool>> = model
            .architectures
            .iter()
            .map(|arch| graph.upstream_mask(model, &[arch.serves]))
            .collect();
        for (g, group) in groups.iter().enumerate() {
            let mut mask = vec![false; model.components.len()];
            let mut archs = Vec::new();
            for &c in &group.components {
                mask[c] = true;
            }
            for (a, upstream) in upstream.iter().enumerate() {
                let mut used = false;
                for &c in &group.components {
                    if upstream[c] {
                        slots_of[c].push(g * n_arch + a);
                        used = true;
                    }
                }
                if used {
                    archs.push(a);
                }
            }
            members.push(mask);
            archs_of.push(archs);
        }
        Plan {
            groups: groups.len(),
            architectures: n_arch,
            slots_of,
            members,
            archs_of,
        }
    }
}

/// Sums over trials, per slot `g * architectures + a`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums4 {
    /// (involved time, D).
    pub involved_down: Vec<Sums>,
    /// (loss of the design's outages that overlap the involved time, L).
    pub involved_loss: Vec<Sums>,
    /// (D − D with the group spared, D).
    pub responsible_down: Vec<Sums>,
    /// (L − L with the group spared, L).
    pub responsible_loss: Vec<Sums>,
}

impl Sums4 {
    pub fn new(plan: &Plan) -> Sums4 {
        let n = plan.groups * plan.architectures;
        Sums4 {
            involved_down: vec![Sums::default(); n],
            involved_loss: vec![Sums::default(); n],
            responsible_down: vec![Sums::default(); n],
            responsible_loss: vec![Sums::default(); n],
        }
    }

    pub fn merge(&mut self, o: &Sums4) {
        for (mine, theirs) in [
            (&mut self.involved_down, &o.involved_down),
            (&mut self.involved_loss, &o.involved_loss),
            (&mut self.responsible_down, &o.responsible_down),
            (&mut self.responsible_loss, &o.responsible_loss),
        ] {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
    }
}

/// Per-thread buffers, reused from trial to trial.
#[derive(Debug, Clone)]
pub struct Observer {
    /// Per slot: the group's hit time on the design's components.
    hit: Vec<Vec<Interval>>,
    /// Per architecture: its down intervals (outages) in this trial.
    design: Vec<Vec<Interval>>,
    meet: Vec<Interval>,
    /// Per group: whether some event of the trial hit it.
    touched: Vec<bool>,
    spared: World,
    spared_timelines: Timelines,
}

impl Observer {
    pub fn new(model: &Model, plan: &Plan) -> Observer {
        Observer {
            hit: vec![Vec::new(); plan.groups * plan.architectures],
            design: vec![Vec::new(); plan.architectures],
            meet: Vec::new(),
            touched: vec![false; plan.groups],
            spared: World::new(model),
            spared_timelines: Timelines::new(model),
        }
    }

    /// Adds the trial `runner` last ran (its world as sampled, the world's
    /// timelines and each architecture's outcome), over the period `[0, h)`.
    pub fn trial(
        &mut self,
        model: &Model,
        plan: &Plan,
        runner: &TrialRunner,
        h: f64,
        t: &mut Sums4,
    ) {
        let (world, base, outcomes) = (&runner.world, &runner.timelines, &runner.outcomes);
        let n_arch = plan.architectures;
        for b in &mut self.hit {
            b.clear();
        }
        self.touched.fill(false);
        for e in &world.events {
            for (&c, &f) in world.hit_components(e).iter().zip(world.hit_factors(e)) {
                let c = c as usize;
                if f >= 1.0 {
                    continue; // a hit of severity 0 leaves full service
                }
                for &slot in &plan.slots_of[c] {
                    self.hit[slot].push(Interval::new(e.start, e.end));
                    self.touched[slot / n_arch] = true;
                }
            }
        }
        // Each design's down intervals.
        let partial = model.has_partial_service();
        for (a, arch) in model.architectures.iter().enumerate() {
            let d = &mut self.design[a];
            d.clear();
            if partial {
                d.extend(
                    service::outages(&base.levels[arch.serves], arch.down_below)
                        .map(|o| Interval::new(o.start, o.end)),
                );
            } else {
                d.extend_from_slice(&base.down[arch.serves]);
            }
        }
        for g in 0..plan.groups {
            if !self.touched[g] {
                continue;
            }
            for &a in &plan.archs_of[g] {
                let slot = g * n_arch + a;
                let (d, l) = (outcomes[a].downtime_hours, outcomes[a].loss);
                let buf = &mut self.hit[slot];
                if d == 0.0 || buf.is_empty() {
                    continue;
                }
                timeline::normalize(buf);
                overlap::intersect(&self.design[a], buf, &mut self.meet);
                let x = timeline::measure_within(&self.meet, 0.0, h);
                if x == 0.0 {
                    continue;
                }
                t.involved_down[slot].add(x, d);
                let arch = &model.architectures[a];
                let meet = &self.meet;
                let lx: f64 = base
                    .architecture_outages(arch, h)
                    .filter(|(iv, _)| overlap::overlaps(iv, meet))
                    .map(|(_, loss)| loss)
                    .sum();
                if lx != 0.0 {
                    t.involved_loss[slot].add(lx, l);
                }
            }
            // Sparing the group changes nothing for designs that were neither
            // down nor lost anything: skip the re-evaluation when that is all of them.
            if plan.archs_of[g]
                .iter()
                .all(|&a| outcomes[a].downtime_hours == 0.0 && outcomes[a].loss == 0.0)
            {
                continue;
            }
            self.spare(model, world, g, plan);
            for &a in &plan.archs_of[g] {
                let slot = g * n_arch + a;
                let (d, l) = (outcomes[a].downtime_hours, outcomes[a].loss);
                let o = self.spared_timelines.outcome(&model.architectures[a], h);
                if d != o.downtime_hours {
                    t.responsible_down[slot].add(d - o.downtime_hours, d);
                }
                if l != o.loss {
                    t.responsible_loss[slot].add(l - o.loss, l);
                }
            }
        }
    }

    /// Evaluates `world` with every hit on group `g`'s components removed.
    fn spare(&mut self, model: &Model, world: &World, g: usize, plan: &Plan) {
        let w = &mut self.spared;
        w.events.clear();
        w.hits.clear();
        w.factors.clear();
        let members = &plan.members[g];
        for e in &world.events {
            let first = w.hits.len() as u32;
            for (&c, &f) in world.hit_components(e).iter().zip(world.hit_factors(e)) {
                if !members[c as usize] {
                    w.hits.push(c);
                    w.factors.push(f);
                }
            }
            let last = w.hits.len() as u32;
            if last > first {
                w.events.push(crate::world::Event {
                    hits: (first, last),
                    ..*e
                });
            }
        }
        w.sampled_until = world.sampled_until;
        self.spared_timelines
            .compute(model, &self.spared, Counterfactual::None);
    }
}
