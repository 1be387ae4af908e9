//! Drills: force named causes or components down for a given time and see
//! what each architecture does. Two ways:
//!
//! - **deterministic**: a world that holds only the forced events (everything
//!   else stays up); per architecture, whether it went down, for how long,
//!   the loss, and the path the failure took through the graph;
//! - **conditional** (`--trials N`): the forced events are added to the
//!   run's own sampled worlds (same seeds, no extra random numbers drawn),
//!   giving the distribution of each trial's down time and loss given the
//!   incident, and how likely the architecture is to be down during it.
//!
//! A forced cause takes down every component it hits with probability > 0
//! (the incident "as modelled, at its worst"); a forced component id takes
//! down that component only. With `--severity S` the forced outages fail the
//! share S of requests (the run then goes on service levels). See docs/sensitivity-and-drills.md.

use crate::engine::{RunOptions, Simulation, TrialRunner, CHUNK};
use crate::evaluate::{Counterfactual, Timelines};
use crate::model::{Drill, Model, Settings, SourceKind};
use crate::stats::{self, ArchSummary, Moments};
use crate::timeline;
use crate::world::{Forced, World, NO_SOURCE};
use rayon::prelude::*;

/// The events a drill forces, all over `[at, at + hours)`. The ids must have
/// been validated (see `scenario::validate::drill_problems`).
pub fn forced_events(model: &Model, drill: &Drill) -> Vec<Forced> {
    let start = drill.at_hours.unwrap_or(0.0);
    let end = start + drill.hours;
    drill
        .causes
        .iter()
        .map(|id| {
            let cause = model
                .sources
                .iter()
                .position(|s| s.kind == SourceKind::Cause && s.id == *id);
            match cause {
                Some(s) => Forced {
                    source: s as u32,
                    start,
                    end,
                    components: model.sources[s]
                        .targets
                        .iter()
                        .filter(|t| t.probability > 0.0)
                        .map(|t| t.component as u32)
                        .collect(),
                    severity: drill.severity,
                },
                None => {
                    let c = model
                        .component_index(id)
                        .unwrap_or_else(|| panic!("drill id \"{id}\" was validated"));
                    Forced {
                        source: model.components[c]
                            .own_source
                            .map_or(NO_SOURCE, |s| s as u32),
                        start,
                        end,
                        components: vec![c as u32],
                        severity: drill.severity,
                    }
                }
            }
        })
        .collect()
}

/// What a deterministic drill did to one architecture.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub went_down: bool,
    /// Outages of the architecture (maximal down intervals).
    pub outages: u32,
    /// Total down time, full length (no horizon applies).
    pub downtime_hours: f64,
    pub longest_outage_hours: f64,
    /// `None` when the architecture has no `loss`.
    pub loss: Option<f64>,
    /// The failure's path: the components that went down and explain the
    /// architecture's outage, from the forced ones up to its `serves`, grouped
    /// by level (a component's level is one more than its highest need on the
    /// path). Empty when the architecture stayed up.
    pub path: Vec<Vec<usize>>,
    /// Components the architecture depends on that went down but did not
    /// take it down (redundancy absorbed them), in dependency order.
    pub absorbed: Vec<usize>,
}

/// Evaluates every architecture on a world holding only the forced events.
pub fn deterministic(model: &Model, forced: &[Forced]) -> Vec<Effect> {
    let world = World::forced_only(model, forced);
    let mut timelines = Timelines::new(model);
    timelines.compute(model, &world, Counterfactual::None);
    let down: Vec<bool> = timelines.down.iter().map(|d| !d.is_empty()).collect();
    model
        .architectures
        .iter()
        .map(|arch| {
            let o = timelines.outcome(arch, f64::INFINITY);
            let n = model.components.len();
            // Walk needs down from `serves` (components are in topological order).
            let (mut closure, mut on_path) = (vec![false; n], vec![false; n]);
            closure[arch.serves] = true;
            on_path[arch.serves] = down[arch.serves];
            for c in (0..n).rev() {
                for &need in &model.components[c].needs {
                    closure[need] |= closure[c];
                    on_path[need] |= on_path[c] && down[need];
                }
            }
            let mut level = vec![0usize; n];
            let mut path: Vec<Vec<usize>> = Vec::new();
            for c in (0..n).filter(|&c| on_path[c]) {
                level[c] = model.components[c]
                    .needs
                    .iter()
                    .filter(|&&need| on_path[need])
                    .map(|&need| level[need] + 1)
                    .max()
                    .unwrap_or(0);
                if path.len() <= level[c] {
                    path.resize(level[c] + 1, Vec::new());
                }
                path[level[c]].push(c);
            }
            let absorbed = (0..n)
                .filter(|&c| closure[c] && down[c] && !on_path[c])
                .collect();
            Effect {
                went_down: o.downtime_hours > 0.0,
                outages: o.outages,
                downtime_hours: o.downtime_hours,
                longest_outage_hours: o.longest_outage_hours,
                loss: arch.loss.map(|_| o.loss),
                path,
                absorbed,
            }
        })
        .collect()
}

/// The path as text: levels joined by " > ", components of a level by " + ".
pub fn path_text(model: &Model, path: &[Vec<usize>]) -> String {
    path.iter()
        .map(|level| {
            level
                .iter()
                .map(|&c| model.components[c].id.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect::<Vec<_>>()
        .join(" > ")
}

/// The distribution of outcomes given the forced events, over sampled worlds.
#[derive(Debug, Clone)]
pub struct Conditional {
    /// Per-trial outcomes (trial-major), as `run` would give with the events added.
    pub simulation: Simulation,
    /// Per trial and architecture (trial-major): down time inside the drill's
    /// window `[at, min(at + hours, horizon))`.
    pub during: Vec<f64>,
    /// The window used.
    pub window: (f64, f64),
}

/// Per-architecture figures of a [`Conditional`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalSummary {
    pub summary: ArchSummary,
    /// Share of trials in which the architecture was down at some time in the window.
    pub p_down_during: f64,
    /// Mean down time inside the window.
    pub down_during_mean: f64,
    pub loss_p50: Option<f64>,
    pub loss_p90: Option<f64>,
}

/// Runs every trial of `settings` with the forced events added to the
/// sampled world (trial `i` samples exactly the events `run` samples).
pub fn conditional(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    forced: &[Forced],
) -> Conditional {
    let start = forced.iter().map(|f| f.start).fold(f64::INFINITY, f64::min);
    let end = forced
        .iter()
        .map(|f| f.end)
        .fold(f64::NEG_INFINITY, f64::max);
    let window = (start, end.min(settings.horizon_hours));
    let n_arch = model.architectures.len();
    let chunks = settings.trials.div_ceil(CHUNK);
    let work = || {
        (0..chunks)
            .into_par_iter()
            .map_init(
                || {
                    let mut runner = TrialRunner::new(model, &[]);
                    runner.world.force(forced.to_vec());
                    runner
                },
                |runner, chunk| {
                    let first = chunk * CHUNK;
                    let last = (first + CHUNK).min(settings.trials);
                    let rows = (last - first) as usize * n_arch;
                    let (mut outcomes, mut during) =
                        (Vec::with_capacity(rows), Vec::with_capacity(rows));
                    for trial in first..last {
                        runner.run(settings, trial);
                        outcomes.extend_from_slice(&runner.outcomes);
                        for arch in &model.architectures {
                            let down = &runner.timelines.down[arch.serves];
                            during.push(timeline::measure_within(down, window.0, window.1));
                        }
                    }
                    if let Some(p) = &options.progress {
                        p(last - first);
                    }
                    (outcomes, during)
                },
            )
            .collect::<Vec<_>>()
    };
    let parts = crate::engine::in_pool(options.threads, work);
    let mut outcomes = Vec::with_capacity(settings.trials as usize * n_arch);
    let mut during = Vec::with_capacity(outcomes.capacity());
    for (o, d) in parts {
        outcomes.extend_from_slice(&o);
        during.extend_from_slice(&d);
    }
    Conditional {
        simulation: Simulation {
            settings: *settings,
            architectures: n_arch,
            outcomes,
            outages: Vec::new(),
            outage_lengths: Vec::new(),
            importance: None,
        },
        during,
        window,
    }
}

impl Conditional {
    /// Window down time of architecture `a`, in trial order.
    pub fn during_of(&self, a: usize) -> impl Iterator<Item = f64> + '_ {
        self.during
            .iter()
            .skip(a)
            .step_by(self.simulation.architectures.max(1))
            .copied()
    }

    /// Summary figures per architecture, in scenario order.
    pub fn summarize(&self, model: &Model) -> Vec<ConditionalSummary> {
        let sim = &self.simulation;
        stats::summarize(model, sim)
            .into_iter()
            .enumerate()
            .map(|(a, summary)| {
                let trials = sim.settings.trials as f64;
                let down = self.during_of(a).filter(|&d| d > 0.0).count() as f64;
                let losses = model.architectures[a]
                    .loss
                    .map(|_| stats::sorted(sim.of(a).map(|o| o.loss)));
                ConditionalSummary {
                    summary,
                    p_down_during: down / trials,
                    down_during_mean: Moments::of(self.during_of(a)).mean,
                    loss_p50: losses.as_ref().map(|l| stats::quantile_sorted(l, 0.5)),
                    loss_p90: losses.as_ref().map(|l| stats::quantile_sorted(l, 0.9)),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn model(text: &str) -> Model {
        let file = scenario::parse(text, "t.toml").unwrap();
        scenario::validate::compile(&file).unwrap()
    }

    const PAIRS: &str = r#"
name = "t"
[[component]]
id = "a"
[[component]]
id = "b"
[[component]]
id = "c"
[[component]]
id = "ab"
needs = ["a", "b"]
mode = "any"
[[component]]
id = "top"
needs = ["ab", "c"]
[[cause]]
id = "both"
per_year = 1
duration = { dist = "fixed", hours = 1 }
hits = { a = 1.0, b = 0.5 }
[[architecture]]
id = "top"
serves = "top"
loss = { per_hour = 10, per_outage = 1 }
[[architecture]]
id = "c-only"
serves = "c"
"#;

    fn drill(causes: &[&str], hours: f64) -> Drill {
        Drill {
            id: "d".into(),
            description: None,
            causes: causes.iter().map(|s| s.to_string()).collect(),
            hours,
            at_hours: Some(5.0),
            source: None,
            severity: 1.0,
        }
    }

    #[test]
    fn path_goes_from_the_forced_components_up_to_serves() {
        let m = model(PAIRS);
        let f = forced_events(&m, &drill(&["both"], 3.0));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start, f[0].end), (5.0, 8.0));
        let e = deterministic(&m, &f);
        assert!(e[0].went_down);
        assert_eq!(e[0].downtime_hours, 3.0);
        assert_eq!(e[0].loss, Some(31.0));
        assert_eq!(path_text(&m, &e[0].path), "a + b > ab > top");
        assert!(e[0].absorbed.is_empty());
        assert!(!e[1].went_down);
        assert_eq!(e[1].loss, None);
        assert!(e[1].path.is_empty());
    }

    #[test]
    fn redundancy_absorbs_one_branch() {
        let m = model(PAIRS);
        let e = deterministic(&m, &forced_events(&m, &drill(&["a"], 3.0)));
        assert!(!e[0].went_down);
        assert_eq!(e[0].downtime_hours, 0.0);
        assert!(e[0].path.is_empty());
        let ids: Vec<&str> = e[0]
            .absorbed
            .iter()
            .map(|&c| m.components[c].id.as_str())
            .collect();
        assert_eq!(ids, ["a"]);
        let e = deterministic(&m, &forced_events(&m, &drill(&["a", "c"], 2.0)));
        assert_eq!(path_text(&m, &e[0].path), "c > top");
        assert_eq!(path_text(&m, &e[1].path), "c");
    }
}
