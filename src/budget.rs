//! Budgets checked before any work: what a scenario and its run settings
//! would cost in events, memory and loss arithmetic, computed with checked
//! arithmetic from the model alone, and refused (with the figure, the limit,
//! what drives it and the fix) when over a documented limit. `validate` runs
//! the same check on the file's own settings, so it accepts exactly what
//! `run` can run; commands check again after their flags change the settings.
//! Every limit is listed in docs/limits.md and can be raised through an
//! environment variable named there.

use crate::engine::MAX_OVERHANG_HOURS;
use crate::evaluate::Outcome;
use crate::model::{Model, Settings, SourceKind};
use crate::scenario::Problem;

/// One limit: its environment variable, default and what it bounds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub var: &'static str,
    pub default: f64,
}

/// Expected outage events in one trial (arrivals in the period plus events
/// already in progress at its start), summed over sources.
pub const EVENTS_PER_TRIAL: Limit = Limit {
    var: "FATESHARE_MAX_EVENTS_PER_TRIAL",
    default: 1e6,
};
/// Work of one simulation: trials × (expected events per trial +
/// components + architectures).
pub const WORK_PER_RUN: Limit = Limit {
    var: "FATESHARE_MAX_WORK",
    default: 1e11,
};
/// Bytes of the per-trial tables held in memory (outcomes of every
/// architecture and every policy in every trial).
pub const TABLE_BYTES: Limit = Limit {
    var: "FATESHARE_MAX_TABLE_BYTES",
    default: 4.0 * 1024.0 * 1024.0 * 1024.0,
};
/// Components plus needs plus cause hits: the size of the dependency graph.
pub const GRAPH_SIZE: Limit = Limit {
    var: "FATESHARE_MAX_GRAPH",
    default: 1e6,
};
/// Loss or payout of one outage at its longest (money per outage).
pub const LOSS_PER_OUTAGE: Limit = Limit {
    var: "FATESHARE_MAX_LOSS",
    default: 1e100,
};
/// Simulated period in hours (time resolution stays below a millisecond).
pub const HORIZON_HOURS: Limit = Limit {
    var: "FATESHARE_MAX_HORIZON_HOURS",
    default: 1e9,
};

/// Bytes of `fateshare analyze`'s counterfactual tables: a flag per outage
/// source and component, and the components each source re-evaluates.
pub const ANALYSIS_BYTES: Limit = Limit {
    var: "FATESHARE_MAX_ANALYSIS_BYTES",
    default: 256.0 * 1024.0 * 1024.0,
};

/// Steps of `fateshare analyze`'s risk-group enumeration: candidate sets and
/// their subset checks (an upper bound from the structure, `--max-order`
/// and `--max-sets`).
pub const CUT_SETS: Limit = Limit {
    var: "FATESHARE_MAX_CUT_SETS",
    default: 2e9,
};

/// Steps of `fateshare analyze`'s structural walks (independence audit,
/// architectures, provider and jurisdiction groups).
pub const ANALYSIS_STEPS: Limit = Limit {
    var: "FATESHARE_MAX_ANALYSIS_STEPS",
    default: 1e9,
};

/// Every limit, in the order docs/limits.md lists them.
pub const ALL: [Limit; 9] = [
    EVENTS_PER_TRIAL,
    WORK_PER_RUN,
    TABLE_BYTES,
    GRAPH_SIZE,
    LOSS_PER_OUTAGE,
    HORIZON_HOURS,
    ANALYSIS_BYTES,
    CUT_SETS,
    ANALYSIS_STEPS,
];

/// Bytes per policy per trial kept by the insurance tables (its year's
/// payout, loss and counts), a bound used by [`TABLE_BYTES`].
pub const POLICY_BYTES_PER_TRIAL: u64 = 64;

impl Limit {
    /// The limit in force: the environment variable if set to a positive
    /// finite number, else the default; an unusable value is a problem.
    pub fn value(&self) -> Result<f64, Problem> {
        match std::env::var(self.var) {
            Err(_) => Ok(self.default),
            Ok(text) => match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
                _ => Err(Problem {
                    place: String::new(),
                    message: format!(
                        "environment variable {} = {:?} is not a positive number; unset it or give one, e.g. {}",
                        self.var,
                        crate::text::escape(&text),
                        sci(self.default)
                    ),
                }),
            },
        }
    }
}

/// A number for messages: plain when small, scientific when large.
pub fn sci(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e6 && x == x.round() {
        format!("{x}")
    } else if x.is_finite() && x.abs() >= 1e-3 && x.abs() < 1e6 {
        format!("{x:.3}")
    } else {
        format!("{x:.3e}")
    }
}

struct Check {
    problems: Vec<Problem>,
}

impl Check {
    fn limit(&mut self, l: Limit) -> f64 {
        match l.value() {
            Ok(v) => v,
            Err(p) => {
                self.problems.push(p);
                l.default
            }
        }
    }

    /// Adds the over-limit problem when `figure` is above (or not a finite
    /// number below) the limit.
    fn over(&mut self, place: &str, what: &str, figure: f64, l: Limit, driver: &str, fix: &str) {
        let limit = self.limit(l);
        if figure.is_nan() || figure > limit {
            self.problems.push(Problem {
                place: place.to_string(),
                message: format!(
                    "{what} is {}, over the limit of {} ({driver}); {fix}, or raise the limit with {}=N (docs/limits.md)",
                    sci(figure),
                    sci(limit),
                    l.var
                ),
            });
        }
    }
}

/// Expected events sampled in one trial of `horizon` hours, before any
/// extension past its end: Σ over firing sources of rate × (horizon + mean
/// duration) — arrivals plus the events in progress at the start (the
/// steady state's Poisson(rate × mean) of them). Infinite when a firing
/// source's mean is.
pub fn events_per_trial(model: &Model, horizon: f64) -> f64 {
    model
        .sources
        .iter()
        .map(|s| source_events(s.rate_per_hour, s.duration.mean(), horizon))
        .sum()
}

/// Expected events one source adds to a trial: arrivals over the horizon
/// plus those in progress at its start (rate × mean duration).
fn source_events(rate_per_hour: f64, mean_hours: f64, horizon: f64) -> f64 {
    if rate_per_hour > 0.0 {
        rate_per_hour * horizon + rate_per_hour * mean_hours
    } else {
        0.0
    }
}

fn source_place(kind: SourceKind, id: &str) -> String {
    match kind {
        SourceKind::Own => format!("component \"{id}\""),
        SourceKind::Cause => format!("cause \"{id}\""),
    }
}

impl Check {
    /// The per-trial tables' size in bytes, and whether their indices fit.
    fn tables(&mut self, model: &Model, settings: &Settings) {
        let ck = self;
        let trials = settings.trials as f64;
        let per_trial_bytes = (model.architectures.len() as u64)
            .checked_mul(std::mem::size_of::<Outcome>() as u64)
            .and_then(|a| {
                (model.policies.len() as u64)
                    .checked_mul(POLICY_BYTES_PER_TRIAL)
                    .and_then(|p| a.checked_add(p))
            });
        let bytes = per_trial_bytes.and_then(|b| b.checked_mul(settings.trials));
        ck.over(
            "simulation",
            "the per-trial tables' size in bytes",
            bytes.map_or(f64::INFINITY, |b| b as f64),
            TABLE_BYTES,
            &format!(
                "{} trials × ({} architectures, {} policies)",
                sci(trials),
                model.architectures.len(),
                model.policies.len()
            ),
            "run fewer trials",
        );
        if usize::try_from(settings.trials)
            .ok()
            .and_then(|t| t.checked_mul(model.architectures.len().max(1)))
            .is_none()
        {
            ck.problems.push(Problem {
                place: "simulation".into(),
                message: format!(
                    "{} trials × {} architectures does not fit in memory addresses; run fewer trials",
                    settings.trials,
                    model.architectures.len()
                ),
            });
        }
    }
}

/// Everything over a limit for simulating `model` with `settings`; empty when
/// the run fits. Cheap: linear in the model's size.
pub fn check(model: &Model, settings: &Settings) -> Vec<Problem> {
    check_with(model, settings, true)
}

/// [`check`], without the per-trial tables' size when the run keeps no
/// per-trial outcomes (`held` false: a streamed or summary-only run).
pub fn check_with(model: &Model, settings: &Settings, held: bool) -> Vec<Problem> {
    let mut ck = Check {
        problems: Vec::new(),
    };
    let h = settings.horizon_hours;
    ck.over(
        "simulation",
        "horizon_hours",
        h,
        HORIZON_HOURS,
        "the simulated period",
        "simulate a shorter period and scale the figures",
    );

    // Graph size.
    let edges: usize = model
        .components
        .iter()
        .map(|c| c.needs.len())
        .sum::<usize>()
        + model
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Cause)
            .map(|s| s.targets.len())
            .sum::<usize>();
    let graph = model.components.len() as f64 + edges as f64;
    ck.over(
        "",
        "the dependency graph's size (components + needs + hits)",
        graph,
        GRAPH_SIZE,
        &format!(
            "{} components, {edges} needs and hits",
            model.components.len()
        ),
        "split the scenario or merge components that always fail together",
    );

    // Events per trial, and each source's in-progress mean (which must stay
    // a usable Poisson mean).
    let mut events = 0.0;
    let mut biggest: Option<(f64, String)> = None;
    for s in &model.sources {
        let mean = s.duration.mean();
        let place = source_place(s.kind, &s.id);
        if s.rate_per_hour > 0.0 && !(mean.is_finite() && mean >= 0.0) {
            ck.problems.push(Problem {
                place,
                message: format!(
                    "the duration's mean is {}, too large to simulate; give durations whose mean is a finite number of hours",
                    sci(mean)
                ),
            });
            continue;
        }
        let e = source_events(s.rate_per_hour, mean, h);
        events += e;
        if biggest.as_ref().is_none_or(|(b, _)| e > *b) {
            biggest = Some((
                e,
                format!(
                    "{place}: {} outages a year × ({} h period + {} h mean duration)",
                    sci(s.per_year),
                    sci(h),
                    sci(mean)
                ),
            ));
        }
    }
    let driver = biggest.map_or_else(|| "no source".to_string(), |(_, d)| d);
    let before = ck.problems.len();
    ck.over(
        "",
        "expected outage events per trial",
        events,
        EVENTS_PER_TRIAL,
        &driver,
        "lower per_year, the durations or horizon_hours",
    );

    // Work of the whole run (not repeated when a trial alone is too much).
    let per_trial = events + model.components.len() as f64 + model.architectures.len() as f64;
    let trials = settings.trials as f64;
    if ck.problems.len() == before {
        ck.over(
            "simulation",
            "the run's work (trials × (events + components + architectures))",
            trials * per_trial,
            WORK_PER_RUN,
            &format!("{} trials × {} per trial", sci(trials), sci(per_trial)),
            "run fewer trials",
        );
    }

    // Per-trial tables, when held in memory.
    if held {
        ck.tables(model, settings);
    }

    // Losses and payouts of one outage at its longest.
    let longest = h + MAX_OVERHANG_HOURS;
    for a in &model.architectures {
        if let Some(l) = a.loss {
            let worst = l.per_outage + l.per_hour * longest;
            ck.over(
                &format!("architecture \"{}\"", a.id),
                "the loss of one outage at its longest",
                worst,
                LOSS_PER_OUTAGE,
                &format!(
                    "loss.per_outage {} + loss.per_hour {} × {} h",
                    sci(l.per_outage),
                    sci(l.per_hour),
                    sci(longest)
                ),
                "give losses in larger units (thousands or millions)",
            );
        }
    }
    for p in &model.policies {
        if let crate::model::PolicyTerms::Parametric { pay_per_hour, .. } = p.terms {
            ck.over(
                &format!("policy \"{}\"", p.id),
                "the payout of one outage at its longest",
                pay_per_hour * longest,
                LOSS_PER_OUTAGE,
                &format!("pay_per_hour {} × {} h", sci(pay_per_hour), sci(longest)),
                "give amounts in larger units (thousands or millions)",
            );
        }
    }
    ck.problems
}

/// What `fateshare analyze` needs beyond a run ([`crate::analysis::cost`]):
/// the risk-group enumeration, the counterfactual tables and their work per
/// trial, and the structural walks. Cheap: the counts stop at the limits.
pub fn check_analysis(
    model: &Model,
    settings: &Settings,
    limits: crate::analysis::risk_groups::Limits,
) -> Vec<Problem> {
    let mut ck = Check {
        problems: Vec::new(),
    };
    let bytes_limit = ck.limit(ANALYSIS_BYTES);
    let work_limit = ck.limit(WORK_PER_RUN);
    let steps_limit = ck.limit(ANALYSIS_STEPS);
    let (n, s) = (model.components.len() as f64, model.sources.len() as f64);
    let trials = settings.trials as f64;
    let cone_stop = (bytes_limit / 8.0).min(work_limit / (2.0 * trials.max(1.0)));
    let cost = crate::analysis::cost::estimate(model, limits, cone_stop, steps_limit);
    let at_least = |stopped: bool| if stopped { "at least " } else { "" };
    ck.over(
        "",
        "the risk-group enumeration's steps (an upper bound on candidate sets and subset checks)",
        cost.cut_sets,
        CUT_SETS,
        &cost.cut_driver,
        "lower --max-order or --max-sets",
    );
    ck.over(
        "",
        "the analysis's counterfactual tables in bytes",
        s * n + 8.0 * cost.cone_cells,
        ANALYSIS_BYTES,
        &format!(
            "{} sources × {} components flags + 8 bytes × {}{} components re-evaluated per trial",
            model.sources.len(),
            model.components.len(),
            at_least(cost.cones_stopped),
            sci(cost.cone_cells)
        ),
        "analyze a smaller scenario (merge components that always fail together)",
    );
    ck.over(
        "simulation",
        "the analysis's work (trials × 2 × components re-evaluated per trial)",
        trials * 2.0 * cost.cone_cells,
        WORK_PER_RUN,
        &format!(
            "{} trials × 2 × {}{} components",
            sci(trials),
            at_least(cost.cones_stopped),
            sci(cost.cone_cells)
        ),
        "run fewer trials or analyze a smaller scenario",
    );
    ck.over(
        "",
        "the analysis's structural steps",
        cost.steps,
        ANALYSIS_STEPS,
        &format!(
            "{}walks over {} components for every redundancy branch, architecture and provider or jurisdiction group",
            at_least(cost.steps_stopped),
            model.components.len()
        ),
        "analyze a smaller scenario",
    );
    ck.problems
}

/// [`check`] as an error naming the scenario file, for commands whose flags
/// changed the settings the file was validated with.
pub fn refuse(
    model: &Model,
    settings: &Settings,
    file: &str,
) -> Result<(), crate::scenario::ScenarioError> {
    refuse_with(model, settings, file, true)
}

/// [`refuse`], for a run that keeps (`held`) or does not keep its per-trial outcomes.
pub fn refuse_with(
    model: &Model,
    settings: &Settings,
    file: &str,
    held: bool,
) -> Result<(), crate::scenario::ScenarioError> {
    let problems = check_with(model, settings, held);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::scenario::ScenarioError {
            file: file.to_string(),
            problems,
        })
    }
}
