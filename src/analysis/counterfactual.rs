//! The simulation pass of `fateshare analyze`: every trial's world is
//! sampled once (as `fateshare run` samples it), evaluated as sampled, then
//! re-evaluated per outage source with the source removed and with it held
//! down, re-using the same events (common random numbers). Only the
//! components a source can change, and that the analysis reads, are
//! recomputed. Per-trial results are summed per chunk of trials, in trial
//! order, and chunks are added in chunk order, so totals are identical for
//! any number of threads.

use super::cooccurrence::{self, Sums4};
use super::estimate::Sums;
use super::overlap;
use crate::engine::{RunOptions, TrialRunner, CHUNK};
use crate::evaluate::{Counterfactual, Incremental, Outcome, Subset};
use crate::model::{Model, Settings};
use crate::timeline::{self, Interval};
use rayon::prelude::*;

/// A source's activity restricted to some components: the union of the
/// source's events that hit at least one of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub source: usize,
    /// Ascending component indices.
    pub components: Vec<usize>,
}

/// A risk group to observe: architecture `arch` is down while every member is active.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    pub arch: usize,
    /// Indices into [`Plan::actives`].
    pub members: Vec<usize>,
}

/// What to evaluate and collect, built once from the structure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Per source: the components to recompute for its counterfactuals.
    pub cones: Vec<Subset>,
    /// Per source: the architectures whose served component is in its cone.
    pub arch_in_cone: Vec<Vec<usize>>,
    /// The audited components (redundancy nodes).
    pub nodes: Vec<usize>,
    /// Per source: the audited nodes (indices into `nodes`) it is shared by.
    pub node_shared: Vec<Vec<usize>>,
    /// The concentration groups (providers, then jurisdictions) to observe.
    pub groups: cooccurrence::Plan,
    pub actives: Vec<Active>,
    pub watches: Vec<Watch>,
}

/// Sums over trials. Vectors over architecture × source are indexed
/// `a * sources + s`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub trials: u64,
    /// Per architecture: (D, D), D = down time in the period.
    pub down: Vec<Sums>,
    /// Per architecture: (L, L), L = loss of the outages starting in the period.
    pub loss: Vec<Sums>,
    /// (D − D_removed, D).
    pub avoided_down: Vec<Sums>,
    /// (L − L_removed, L).
    pub avoided_loss: Vec<Sums>,
    /// (X, D), X = time down as sampled and up with the source removed.
    pub restored: Vec<Sums>,
    /// (D_held, D).
    pub held: Vec<Sums>,
    /// ((D_held − D_removed) / horizon, D).
    pub birnbaum: Vec<Sums>,
    /// Per audited node: (D_node, D_node).
    pub node_down: Vec<Sums>,
    /// Per audited node: (time restored by removing some shared source, D_node).
    pub node_shared: Vec<Sums>,
    /// Per group × architecture: involved and responsible time and loss.
    pub groups: Sums4,
    /// Per watch: (time down while every member is active, D).
    pub watches: Vec<Sums>,
}

impl Tally {
    fn new(model: &Model, plan: &Plan) -> Self {
        let a = model.architectures.len();
        let s = model.sources.len();
        let z = |n: usize| vec![Sums::default(); n];
        Tally {
            trials: 0,
            down: z(a),
            loss: z(a),
            avoided_down: z(a * s),
            avoided_loss: z(a * s),
            restored: z(a * s),
            held: z(a * s),
            birnbaum: z(a * s),
            node_down: z(plan.nodes.len()),
            node_shared: z(plan.nodes.len()),
            groups: Sums4::new(&plan.groups),
            watches: z(plan.watches.len()),
        }
    }

    fn merge(&mut self, o: &Tally) {
        self.trials += o.trials;
        self.groups.merge(&o.groups);
        let pairs: [(&mut Vec<Sums>, &Vec<Sums>); 10] = [
            (&mut self.down, &o.down),
            (&mut self.loss, &o.loss),
            (&mut self.avoided_down, &o.avoided_down),
            (&mut self.avoided_loss, &o.avoided_loss),
            (&mut self.restored, &o.restored),
            (&mut self.held, &o.held),
            (&mut self.birnbaum, &o.birnbaum),
            (&mut self.node_down, &o.node_down),
            (&mut self.node_shared, &o.node_shared),
            (&mut self.watches, &o.watches),
        ];
        for (mine, theirs) in pairs {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.merge(t);
            }
        }
    }
}

/// Per-thread state: the trial runner, a second set of timelines for
/// counterfactuals, and scratch buffers.
struct Worker<'m> {
    runner: TrialRunner<'m>,
    cf: Incremental,
    diff: Vec<Interval>,
    node_buf: Vec<Vec<Interval>>,
    groups: cooccurrence::Observer,
    active: Vec<Vec<Interval>>,
    active_trial: Vec<u64>,
    meet: Vec<Interval>,
    meet2: Vec<Interval>,
    removed: Vec<Outcome>,
    restored: Vec<f64>,
    held: Vec<f64>,
}

impl<'m> Worker<'m> {
    fn new(model: &'m Model, plan: &Plan) -> Self {
        let a = model.architectures.len();
        Worker {
            // No extra components: the world is extended exactly as `fateshare run`
            // extends it, so the baseline outcomes are identical to the run's.
            runner: TrialRunner::new(model, &[]),
            cf: Incremental::new(model),
            diff: Vec::new(),
            node_buf: vec![Vec::new(); plan.nodes.len()],
            groups: cooccurrence::Observer::new(model, &plan.groups),
            active: vec![Vec::new(); plan.actives.len()],
            active_trial: vec![u64::MAX; plan.actives.len()],
            meet: Vec::new(),
            meet2: Vec::new(),
            removed: vec![Outcome::default(); a],
            restored: vec![0.0; a],
            held: vec![0.0; a],
        }
    }

    /// Runs one trial and adds what it shows to `tally`; returns nothing but
    /// leaves the trial's baseline outcomes in `self.runner.outcomes`.
    fn trial(
        &mut self,
        model: &Model,
        plan: &Plan,
        settings: &Settings,
        trial: u64,
        t: &mut Tally,
    ) {
        self.runner.run(settings, trial);
        let h = settings.horizon_hours;
        let n_arch = model.architectures.len();
        let n_src = model.sources.len();
        let Worker {
            runner,
            cf,
            diff,
            node_buf,
            groups,
            removed,
            restored,
            held,
            ..
        } = self;
        let world = &runner.world;
        let base = &runner.timelines;
        let outcomes = &runner.outcomes;
        t.trials += 1;
        for (a, o) in outcomes.iter().enumerate() {
            t.down[a].add(o.downtime_hours, o.downtime_hours);
            t.loss[a].add(o.loss, o.loss);
        }
        cf.reset(world, base);
        for b in node_buf.iter_mut() {
            b.clear();
        }
        for s in 0..n_src {
            let cone = &plan.cones[s];
            removed.copy_from_slice(outcomes);
            restored.fill(0.0);
            for (d, o) in held.iter_mut().zip(outcomes.iter()) {
                *d = o.downtime_hours;
            }
            if !cone.list.is_empty() {
                if !cf.events_of(s).is_empty() {
                    cf.evaluate(model, world, Counterfactual::Remove(s), cone, base);
                    for &a in &plan.arch_in_cone[s] {
                        let arch = &model.architectures[a];
                        removed[a] = cf.timelines.outcome(arch, h);
                        diff.clear();
                        overlap::difference(
                            &base.down[arch.serves],
                            &cf.timelines.down[arch.serves],
                            diff,
                        );
                        restored[a] = timeline::measure_within(diff, 0.0, h);
                    }
                    for &v in &plan.node_shared[s] {
                        let c = plan.nodes[v];
                        overlap::difference(&base.down[c], &cf.timelines.down[c], &mut node_buf[v]);
                    }
                    cf.restore(base);
                }
                cf.evaluate(model, world, Counterfactual::HoldDown(s), cone, base);
                for &a in &plan.arch_in_cone[s] {
                    let c = model.architectures[a].serves;
                    held[a] = timeline::measure_within(&cf.timelines.down[c], 0.0, h);
                }
                cf.restore(base);
            }
            for a in 0..n_arch {
                let i = a * n_src + s;
                let (d, l) = (outcomes[a].downtime_hours, outcomes[a].loss);
                let (dr, lr) = (removed[a].downtime_hours, removed[a].loss);
                if d != dr {
                    t.avoided_down[i].add(d - dr, d);
                }
                if l != lr {
                    t.avoided_loss[i].add(l - lr, l);
                }
                if restored[a] != 0.0 {
                    t.restored[i].add(restored[a], d);
                }
                t.held[i].add(held[a], d);
                if held[a] != dr {
                    t.birnbaum[i].add((held[a] - dr) / h, d);
                }
            }
        }
        for (v, &c) in plan.nodes.iter().enumerate() {
            let dv = timeline::measure_within(&base.down[c], 0.0, h);
            t.node_down[v].add(dv, dv);
            let buf = &mut node_buf[v];
            if !buf.is_empty() {
                timeline::normalize(buf);
                t.node_shared[v].add(timeline::measure_within(buf, 0.0, h), dv);
            }
        }
        groups.trial(model, &plan.groups, runner, h, &mut t.groups);
        self.observe_watches(model, plan, settings, trial, t);
    }

    /// Down time of each watched risk group's architecture while all its members are active.
    fn observe_watches(
        &mut self,
        model: &Model,
        plan: &Plan,
        settings: &Settings,
        trial: u64,
        t: &mut Tally,
    ) {
        let h = settings.horizon_hours;
        let world = &self.runner.world;
        let base = &self.runner.timelines;
        for (w, watch) in plan.watches.iter().enumerate() {
            let arch = &model.architectures[watch.arch];
            let d = self.runner.outcomes[watch.arch].downtime_hours;
            if d == 0.0
                || watch
                    .members
                    .iter()
                    .any(|&m| self.cf.events_of(plan.actives[m].source).is_empty())
            {
                continue;
            }
            self.meet.clone_from(&base.down[arch.serves]);
            for &m in &watch.members {
                if self.active_trial[m] != trial {
                    let act = &plan.actives[m];
                    let buf = &mut self.active[m];
                    buf.clear();
                    for &i in self.cf.events_of(act.source) {
                        let e = &world.events[i as usize];
                        let hits = world.hit_components(e);
                        if hits
                            .iter()
                            .any(|&c| act.components.binary_search(&(c as usize)).is_ok())
                        {
                            buf.push(Interval::new(e.start, e.end));
                        }
                    }
                    timeline::normalize(buf);
                    self.active_trial[m] = trial;
                }
                overlap::intersect(&self.meet, &self.active[m], &mut self.meet2);
                std::mem::swap(&mut self.meet, &mut self.meet2);
                if self.meet.is_empty() {
                    break;
                }
            }
            let x = timeline::measure_within(&self.meet, 0.0, h);
            if x != 0.0 {
                t.watches[w].add(x, d);
            }
        }
    }
}

/// Runs every trial; returns the totals and the baseline outcomes
/// (trial-major, as [`crate::engine::Simulation::outcomes`]).
pub fn run(
    model: &Model,
    plan: &Plan,
    settings: &Settings,
    options: &RunOptions,
) -> (Tally, Vec<Outcome>) {
    let chunks = settings.trials.div_ceil(CHUNK);
    let n_arch = model.architectures.len();
    let work = || {
        (0..chunks)
            .into_par_iter()
            .map_init(
                || Worker::new(model, plan),
                |worker, chunk| {
                    let first = chunk * CHUNK;
                    let last = (first + CHUNK).min(settings.trials);
                    let mut tally = Tally::new(model, plan);
                    let mut rows = Vec::with_capacity((last - first) as usize * n_arch);
                    for trial in first..last {
                        worker.trial(model, plan, settings, trial, &mut tally);
                        rows.extend_from_slice(&worker.runner.outcomes);
                    }
                    if let Some(p) = &options.progress {
                        p(last - first);
                    }
                    (tally, rows)
                },
            )
            .collect::<Vec<_>>()
    };
    let parts = crate::engine::in_pool(options.threads, work);
    let mut total = Tally::new(model, plan);
    let mut outcomes = Vec::with_capacity(settings.trials as usize * n_arch);
    for (tally, rows) in parts {
        total.merge(&tally);
        outcomes.extend_from_slice(&rows);
    }
    (total, outcomes)
}
