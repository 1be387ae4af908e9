//! Runs the trials: splits them into fixed-size chunks, simulates the chunks
//! on rayon (each trial seeded from the run's seed and its own index), and
//! returns per-trial outcomes in trial order, so results do not depend on the
//! number of threads. Observers can look at each trial's timelines to collect
//! more than the standard outcomes without a second pass over the world.

use crate::evaluate::{Counterfactual, Outcome, Timelines};
use crate::fast::Fast;
use crate::model::{Model, Settings};
use crate::sketch::{self, LogHistogram, Tally};
use crate::world::{Sampler, World};
use rayon::prelude::*;

/// Trials per chunk: the unit of parallel work and of progress.
pub const CHUNK: u64 = 256;

/// How far past the period's end the world is sampled to find where its
/// outages end (about 114 years); an outage still running then is cut there.
pub const MAX_OVERHANG_HOURS: f64 = 1.0e6;

/// Extra collection over each trial's timelines, merged in chunk order.
pub trait Observer: Sync {
    /// What one chunk of trials collects.
    type Chunk: Send;
    /// Components whose outages this observer reads, beyond the architectures'
    /// (the world is extended until their outages starting in the period end).
    fn components(&self) -> Vec<usize> {
        Vec::new()
    }
    fn start_chunk(&self) -> Self::Chunk;
    /// Called once per trial, in trial order within a chunk, with the
    /// trial's sampled world (its cause occurrences) and timelines.
    fn trial(
        &self,
        chunk: &mut Self::Chunk,
        trial: u64,
        world: &World,
        timelines: &Timelines,
        outcomes: &[Outcome],
    );
}

/// The observer that collects nothing.
pub struct NoObserver;

impl Observer for NoObserver {
    type Chunk = ();
    fn start_chunk(&self) {}
    fn trial(&self, _: &mut (), _: u64, _: &World, _: &Timelines, _: &[Outcome]) {}
}

/// How to run.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses rayon's default (all cores).
    pub threads: Option<usize>,
    /// Called with the number of trials finished, from worker threads.
    pub progress: Option<std::sync::Arc<dyn Fn(u64) + Send + Sync>>,
    /// Keep no per-outage records (`Simulation::outages` stays empty), so
    /// memory grows with trials only by the per-trial outcomes.
    pub skip_outage_records: bool,
}

/// One outage of one architecture (the event-loss table's row).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutageRecord {
    pub trial: u64,
    pub architecture: u32,
    /// Start, in hours from the start of the period.
    pub start_hours: f64,
    /// Full length, also past the period's end.
    pub duration_hours: f64,
    pub loss: f64,
}

/// Per-trial outcomes, trial-major: `outcomes[trial * architectures + a]`,
/// every outage that started inside a period, in trial then architecture
/// order (unless [`RunOptions::skip_outage_records`]), and per architecture
/// the full lengths of those outages within 0.1% ([`crate::sketch`]).
#[derive(Debug, Clone)]
pub struct Simulation {
    pub settings: Settings,
    pub architectures: usize,
    pub outcomes: Vec<Outcome>,
    pub outages: Vec<OutageRecord>,
    /// Per architecture (empty where not collected): outage lengths, hours.
    pub outage_lengths: Vec<Tally>,
    /// An importance-sampled run ([`crate::tilt`]): its factors and each
    /// trial's likelihood ratio; `None` for a plain run.
    pub importance: Option<crate::weighted::Importance>,
}

impl Simulation {
    /// Outcome of architecture `a` in trial `t`.
    pub fn outcome(&self, t: u64, a: usize) -> &Outcome {
        &self.outcomes[t as usize * self.architectures + a]
    }

    /// Outcomes of architecture `a`, in trial order.
    pub fn of(&self, a: usize) -> impl Iterator<Item = &Outcome> + '_ {
        self.outcomes
            .iter()
            .skip(a)
            .step_by(self.architectures.max(1))
    }
}

/// Reusable per-thread state for simulating trials one at a time.
pub struct TrialRunner<'m> {
    model: &'m Model,
    sampler: Sampler,
    watched: Vec<usize>,
    pub world: World,
    pub timelines: Timelines,
    pub outcomes: Vec<Outcome>,
    /// The watched components' timelines only, cluster by cluster
    /// ([`crate::fast`]); `None`: every component's, in full.
    fast: Option<Fast>,
}

impl<'m> TrialRunner<'m> {
    /// Like [`TrialRunner::new`], but only the watched components' timelines
    /// (the architectures' and `extra`) are computed, and by the fast
    /// evaluator where it applies: what a run needs; analyses that read every
    /// component's timeline use [`TrialRunner::new`].
    /// The cluster evaluator is used where it is expected to be cheaper
    /// ([`Fast::pays`]); the timelines are the same either way.
    pub fn watched_only(model: &'m Model, extra: &[usize]) -> Self {
        if Fast::pays(model) {
            TrialRunner::clustered(model, extra)
        } else {
            TrialRunner::new(model, extra)
        }
    }

    /// Like [`TrialRunner::watched_only`], with the cluster evaluator wherever
    /// it applies, cheaper or not (tests compare it with the full one).
    pub fn clustered(model: &'m Model, extra: &[usize]) -> Self {
        let mut runner = TrialRunner::new(model, extra);
        if Fast::applies(model) {
            runner.fast = Some(Fast::new(model, &runner.watched));
        }
        runner
    }

    /// `extra` lists components, beyond the architectures', whose outages must be complete.
    pub fn new(model: &'m Model, extra: &[usize]) -> Self {
        let mut watched: Vec<usize> = model.architectures.iter().map(|a| a.serves).collect();
        watched.extend_from_slice(extra);
        watched.sort_unstable();
        watched.dedup();
        TrialRunner {
            model,
            sampler: Sampler::new(model),
            watched,
            world: World::new(model),
            timelines: Timelines::new(model),
            outcomes: vec![Outcome::default(); model.architectures.len()],
            fast: None,
        }
    }

    /// Samples and evaluates one trial; results are left in `timelines` and `outcomes`.
    pub fn run(&mut self, settings: &Settings, trial: u64) {
        self.evaluate(settings, trial);
        let h = settings.horizon_hours;
        for (o, arch) in self.outcomes.iter_mut().zip(&self.model.architectures) {
            *o = self.timelines.outcome(arch, h);
        }
    }

    /// Like [`TrialRunner::run`] followed by [`TrialRunner::record_outages`]
    /// without records, in one pass over each architecture's timeline: counts
    /// the lengths of every architecture's outages into `lengths` (one per
    /// architecture).
    pub fn run_counted(&mut self, settings: &Settings, trial: u64, lengths: &mut [LogHistogram]) {
        self.evaluate(settings, trial);
        let h = settings.horizon_hours;
        for ((o, arch), hist) in self
            .outcomes
            .iter_mut()
            .zip(&self.model.architectures)
            .zip(lengths)
        {
            *o = self
                .timelines
                .outcome_with(arch, h, |iv, _| hist.add(iv.len()));
        }
    }

    /// Like [`TrialRunner::run`], and in the same pass over each
    /// architecture's timeline counts its outages' lengths into `lengths`, as
    /// (architecture, [`sketch::bucket`]) pairs, and with `out` appends them.
    fn run_recording(
        &mut self,
        settings: &Settings,
        trial: u64,
        lengths: &mut Vec<(u32, i32)>,
        mut out: Option<&mut Vec<OutageRecord>>,
    ) {
        self.evaluate(settings, trial);
        let h = settings.horizon_hours;
        for (a, (o, arch)) in self
            .outcomes
            .iter_mut()
            .zip(&self.model.architectures)
            .enumerate()
        {
            *o = self.timelines.outcome_with(arch, h, |iv, loss| {
                if let Some(b) = sketch::bucket(iv.len()) {
                    lengths.push((a as u32, b));
                }
                if let Some(out) = out.as_deref_mut() {
                    out.push(OutageRecord {
                        trial,
                        architecture: a as u32,
                        start_hours: iv.start,
                        duration_hours: iv.len(),
                        loss,
                    });
                }
            });
        }
    }

    /// Samples one trial and evaluates its timelines, extending the world
    /// past the period until the watched components' outages that start in
    /// it have ended.
    fn evaluate(&mut self, settings: &Settings, trial: u64) {
        let h = settings.horizon_hours;
        self.world
            .sample(self.model, &self.sampler, settings.seed, trial, h);
        loop {
            match &mut self.fast {
                Some(fast) => fast.compute(self.model, &self.world, &mut self.timelines),
                None => self
                    .timelines
                    .compute(self.model, &self.world, Counterfactual::None),
            }
            let until = self.world.sampled_until;
            let open = self.watched.iter().filter_map(|&c| {
                self.timelines.down[c]
                    .iter()
                    .rev()
                    .take_while(|iv| iv.end >= until)
                    .filter(|iv| iv.start >= 0.0 && iv.start < h)
                    .map(|iv| iv.end)
                    .reduce(f64::max)
            });
            match open.reduce(f64::max) {
                Some(end) if until < h + MAX_OVERHANG_HOURS => {
                    // Sample past the open outage's current end, at least doubling the overhang.
                    let next = end.max(until) + (until - h).max(24.0);
                    self.world
                        .extend(self.model, &self.sampler, next.min(h + MAX_OVERHANG_HOURS));
                }
                _ => break,
            }
        }
    }
}

impl TrialRunner<'_> {
    /// Counts the length of every architecture's outages in the last trial
    /// run into `lengths` (one per architecture) and, with `out`, appends them.
    pub fn record_outages(
        &self,
        settings: &Settings,
        trial: u64,
        lengths: &mut [LogHistogram],
        mut out: Option<&mut Vec<OutageRecord>>,
    ) {
        for ((a, arch), hist) in self.model.architectures.iter().enumerate().zip(lengths) {
            for (iv, loss) in self
                .timelines
                .architecture_outages(arch, settings.horizon_hours)
            {
                hist.add(iv.len());
                if let Some(out) = out.as_deref_mut() {
                    out.push(OutageRecord {
                        trial,
                        architecture: a as u32,
                        start_hours: iv.start,
                        duration_hours: iv.len(),
                        loss,
                    });
                }
            }
        }
    }
}

/// Runs every trial and returns the outcomes (and the observer's chunks, in order).
pub fn simulate_observed<O: Observer>(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    observer: &O,
) -> (Simulation, Vec<O::Chunk>) {
    simulate_from(model, settings, 0, options, observer)
}

/// Runs trials `first..settings.trials` only (a shard of a run: each trial
/// seeded by its own index, as in the whole run); `outcomes` then start at `first`.
pub fn simulate_range<O: Observer>(
    model: &Model,
    settings: &Settings,
    first: u64,
    options: &RunOptions,
    observer: &O,
) -> (Simulation, Vec<O::Chunk>) {
    simulate_from(model, settings, first, options, observer)
}

/// Simulates trials `sim.settings.trials..last` and appends them to `sim`,
/// which then equals a run of `last` trials (each trial is seeded by its own
/// index), except for chunk boundaries, which no figure depends on.
pub fn extend(model: &Model, sim: &mut Simulation, last: u64, options: &RunOptions) {
    let settings = Settings {
        trials: last,
        ..sim.settings
    };
    let (more, _) = simulate_from(model, &settings, sim.settings.trials, options, &NoObserver);
    sim.outcomes.extend_from_slice(&more.outcomes);
    sim.outages.extend_from_slice(&more.outages);
    if sim.outage_lengths.is_empty() {
        sim.outage_lengths = more.outage_lengths;
    } else {
        for (t, m) in sim.outage_lengths.iter_mut().zip(&more.outage_lengths) {
            t.merge(m);
        }
    }
    sim.settings = settings;
}

/// Simulates trials `first..settings.trials`.
fn simulate_from<O: Observer>(
    model: &Model,
    settings: &Settings,
    first: u64,
    options: &RunOptions,
    observer: &O,
) -> (Simulation, Vec<O::Chunk>) {
    let extra = observer.components();
    let n_arch = model.architectures.len();
    // Each chunk writes its trials' outcomes straight into its own slice of
    // the result, so nothing is copied or re-collected afterwards.
    // `budget::check` refuses runs whose table does not fit, before any work.
    let rows = usize::try_from(settings.trials.saturating_sub(first))
        .ok()
        .and_then(|t| t.checked_mul(n_arch))
        .expect("table size checked by budget::check");
    let mut outcomes = vec![Outcome::default(); rows];
    // Integer counts: merged as chunks finish, in any order, with the same result.
    let lengths = std::sync::Mutex::new(vec![LogHistogram::default(); n_arch]);
    let work = |outcomes: &mut [Outcome]| {
        outcomes
            .par_chunks_mut((CHUNK as usize * n_arch).max(1))
            .enumerate()
            .map_init(
                || (TrialRunner::watched_only(model, &extra), Vec::new()),
                |(runner, chunk_lengths), (chunk, rows)| {
                    let first = first + chunk as u64 * CHUNK;
                    let last = (first + CHUNK).min(settings.trials);
                    let mut outages = Vec::new();
                    chunk_lengths.clear();
                    let mut collected = observer.start_chunk();
                    for (i, trial) in (first..last).enumerate() {
                        let keep = (!options.skip_outage_records).then_some(&mut outages);
                        runner.run_recording(settings, trial, chunk_lengths, keep);
                        rows[i * n_arch..(i + 1) * n_arch].copy_from_slice(&runner.outcomes);
                        observer.trial(
                            &mut collected,
                            trial,
                            &runner.world,
                            &runner.timelines,
                            &runner.outcomes,
                        );
                    }
                    {
                        let mut all = lengths.lock().unwrap_or_else(|e| e.into_inner());
                        for &(a, b) in chunk_lengths.iter() {
                            all[a as usize].add_bucket(b, 1);
                        }
                    }
                    if let Some(p) = &options.progress {
                        p(last - first);
                    }
                    (outages, collected)
                },
            )
            .collect::<Vec<_>>()
    };
    let parts = in_pool(options.threads, || work(&mut outcomes));
    let mut outages = Vec::new();
    let mut collected = Vec::with_capacity(parts.len());
    for (o, c) in parts {
        outages.extend_from_slice(&o);
        collected.push(c);
    }
    (
        Simulation {
            settings: *settings,
            architectures: n_arch,
            outcomes,
            outages,
            outage_lengths: lengths
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .map(LogHistogram::tally)
                .collect(),
            importance: None,
        },
        collected,
    )
}

/// Runs `work` on a pool of `threads` workers (all cores when `None`). Where
/// the system refuses to start threads, runs it on the calling thread
/// instead: results do not depend on the number of threads, so this changes
/// only the speed.
pub fn in_pool<R: Send>(threads: Option<usize>, work: impl FnOnce() -> R + Send) -> R {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .use_current_thread()
                .build()
        });
    match pool {
        Ok(pool) => pool.install(work),
        // Already inside a pool (a nested call): use it.
        Err(_) => work(),
    }
}

/// Runs every trial and returns the outcomes.
pub fn simulate(model: &Model, settings: &Settings, options: &RunOptions) -> Simulation {
    simulate_observed(model, settings, options, &NoObserver).0
}
