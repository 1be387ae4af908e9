//! `run --tilt auto|X [--tilt-own Y]`: importance sampling on the command
//! line. Parses and checks the flags, refuses the combinations whose outputs
//! would not be weighted, and runs the tilted simulation ([`crate::tilt`]),
//! whose likelihood ratios travel with the outcomes
//! ([`crate::weighted::Importance`]) so that the summary, the per-trial table,
//! the insurance figures and the report drawn from them are weighted
//! (docs/statistics.md, docs/insurance.md).

use super::flags::Failure;
use super::run::RunArgs;
use crate::engine::{RunOptions, Simulation};
use crate::insurance::{self, payout::PayoutTable, portfolio::Portfolios, Insurance};
use crate::model::{Model, Settings};
use crate::tilt::{self, Tilt};
use crate::weighted::{Importance, CROSS_ENTROPY, GIVEN};
use clap::Args;

/// `--tilt`: chosen by cross-entropy, or one factor for every shared cause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TiltFlag {
    Auto,
    Factor(f64),
}

/// `--tilt` and `--tilt-own`.
#[derive(Debug, Clone, Default, Args)]
pub struct TiltFlags {
    /// Importance sampling for rare outages: sample every shared cause at X
    /// times its rate (X ≥ 1) and weight each trial by its exact likelihood
    /// ratio; `auto` chooses a factor per outage source by cross-entropy on
    /// pilot runs. Summary, trials.csv (a `weight` column) and report are
    /// weighted, and so are the policies' payouts, premiums, portfolios,
    /// co-TVaR, accumulation, decisions and treaties, and the ORD files (with
    /// periods.csv, the period weights). Not with --events, --baseline,
    /// --shard, --precision, --uncertainty or --summary-only.
    #[arg(long, value_name = "auto|X", value_parser = parse_tilt)]
    pub tilt: Option<TiltFlag>,
    /// With --tilt X: the factor of the components' own outage rates (Y ≥ 1; default 1).
    #[arg(long, value_name = "Y", value_parser = parse_factor, requires = "tilt")]
    pub tilt_own: Option<f64>,
}

/// `auto`, or a factor ([`parse_factor`]).
pub fn parse_tilt(text: &str) -> Result<TiltFlag, String> {
    if text == "auto" {
        return Ok(TiltFlag::Auto);
    }
    parse_factor(text).map(TiltFlag::Factor)
}

/// A finite rate factor of at least 1 (at most [`tilt::MAX_FACTOR`]).
pub fn parse_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if (1.0..=tilt::MAX_FACTOR).contains(&v) => Ok(v),
        _ => Err(format!(
            "{text} is not a rate factor: give a number from 1 (the plain rates) to {} \
             (e.g. 50 samples rare causes 50 times as often), or `auto` for --tilt",
            tilt::MAX_FACTOR
        )),
    }
}

/// Refuses, before anything runs or is written, the flags whose outputs
/// would not carry the weights.
pub fn refuse(args: &RunArgs) -> Result<(), Failure> {
    let Some(flag) = args.tilt.tilt else {
        return Ok(());
    };
    if flag == TiltFlag::Auto && args.tilt.tilt_own.is_some() {
        return Err(Failure::Input(
            "--tilt-own: --tilt auto chooses the own outages' factors too; drop --tilt-own \
             or give --tilt a number"
                .into(),
        ));
    }
    let unweighted = [
        (args.events, "--events", "the per-event tables"),
        (
            args.baseline.is_some(),
            "--baseline",
            "the paired differences",
        ),
        (args.shard.is_some(), "--shard", "the shard merge"),
        (args.precision.is_some(), "--precision", "the stopping rule"),
        (
            args.uncertainty.is_some(),
            "--uncertainty",
            "the outer draws",
        ),
        (args.summary_only, "--summary-only", "the streaming summary"),
    ];
    match unweighted.iter().find(|(hit, _, _)| *hit) {
        None => Ok(()),
        Some((_, what, outputs)) => Err(Failure::Input(format!(
            "--tilt with {what} ({}): importance weights do not reach {outputs} yet, so its \
             figures would be unweighted; run without --tilt, or without {what}",
            args.scenario.display()
        ))),
    }
}

/// The run's simulation, sampled at the tilted rates with each trial's
/// likelihood ratio, and its insurance figures (with policies, or `--ord`),
/// weighted by them; with every factor exactly 1 (`--tilt 1`), the plain run
/// itself, unweighted (its outputs are the plain run's, byte for byte).
/// The budgets ([`crate::budget`]) are checked again on the tilted rates
/// (more events per trial) before the run, once the factors are known.
pub fn run(
    args: &RunArgs,
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    opts: insurance::Options,
) -> Result<(Simulation, Option<Insurance>), Failure> {
    let flags = &args.tilt;
    let own = flags.tilt_own.unwrap_or(1.0);
    let (tilt, method) = match flags.tilt {
        Some(TiltFlag::Auto) => (tilt::choose(model, settings, options), CROSS_ENTROPY),
        Some(TiltFlag::Factor(x)) => (Tilt::uniform(model, x, own), GIVEN),
        None => (Tilt::uniform(model, 1.0, 1.0), GIVEN),
    };
    crate::budget::refuse(
        &tilt.apply(model),
        settings,
        &format!("{} (with --tilt)", args.scenario.display()),
    )?;
    if method == GIVEN && tilt.is_plain() {
        return Ok(insurance::run(model, settings, options, opts));
    }
    let importance = |weights| Importance {
        method: method.into(),
        factors: tilt.factors.clone(),
        weights,
    };
    if model.policies.is_empty() {
        let (mut sim, weights) = tilt::simulate(model, settings, options, &tilt);
        sim.importance = Some(importance(weights));
        let ins = opts.ord.then(|| {
            insurance::analyze(
                model,
                &sim,
                PayoutTable::default(),
                &Portfolios::default(),
                opts.per_trial,
            )
        });
        return Ok((sim, ins));
    }
    // The policies' payouts are collected on the tilted pass itself.
    let (portfolios, observer) = insurance::payout_observer(model, settings, opts);
    let (mut sim, weights, chunks) =
        tilt::simulate_observed(model, settings, options, &tilt, &observer);
    sim.importance = Some(importance(weights));
    let table = observer.merge(chunks);
    let ins = insurance::analyze(model, &sim, table, &portfolios, opts.per_trial);
    Ok((sim, Some(ins)))
}

/// What the reproducing command adds for a weighted run ("" for a plain one).
pub fn command_suffix(args: &RunArgs, sim: &Simulation) -> String {
    if sim.importance.is_none() {
        return String::new();
    }
    match args.tilt.tilt {
        Some(TiltFlag::Auto) => " --tilt auto".into(),
        Some(TiltFlag::Factor(x)) => match args.tilt.tilt_own {
            Some(y) => format!(" --tilt {x} --tilt-own {y}"),
            None => format!(" --tilt {x}"),
        },
        None => String::new(),
    }
}

/// A weighted run writes no `outage_lengths.csv`: it would count the tilted
/// world's outages, and weights do not make counts (its `report.html` is
/// [`crate::report::importance::page`]). With ORD files (ground-up, or the
/// policies' insured ones) it writes the period weights (`periods.csv`) they
/// were computed with.
pub fn weighted_exports(exports: &mut Vec<Box<dyn crate::report::Export>>, sim: &Simulation) {
    if sim.importance.is_some() {
        exports.retain(|e| e.file_name() != "outage_lengths.csv");
        let ord = |name: &str| name.starts_with("gul_S1_") || name.starts_with("il_S1_");
        if exports.iter().any(|e| ord(e.file_name())) {
            exports.push(Box::new(crate::report::periods::PeriodsCsv));
        }
    }
}

/// The terminal's line for a weighted run: method, effective trials, factors.
pub fn terminal_line(sim: &Simulation) -> Option<String> {
    let imp = sim.importance.as_ref()?;
    let (lo, hi) = imp
        .factors
        .iter()
        .fold((f64::INFINITY, 0.0_f64), |(a, b), &f| (a.min(f), b.max(f)));
    let factors = if lo == hi {
        format!("every rate × {}", crate::fmtnum::sig(lo, 4))
    } else {
        format!(
            "rates × {} to × {}",
            crate::fmtnum::sig(lo, 4),
            crate::fmtnum::sig(hi, 4)
        )
    };
    let (effective, trials) = (imp.effective_trials(), imp.weights.len() as f64);
    let mut line = format!(
        "importance-sampled ({}, {factors}): figures weighted by each trial's likelihood ratio; \
         effective sample size {} of {} trials (report.html and its charts show weighted figures only)",
        imp.method,
        crate::fmtnum::thousands(effective.round()),
        crate::fmtnum::thousands(trials)
    );
    if too_few_effective(effective, trials) {
        line.push_str(&format!(
            "\nwarning: an effective sample size under {} (or under {:.0}% of the trials) means a \
             few trials carry nearly all the weight, and the figures and their intervals cannot \
             be trusted: the tilt is too strong for this scenario; use a smaller factor or \
             --tilt auto",
            MIN_EFFECTIVE,
            100.0 * MIN_EFFECTIVE_SHARE
        ));
    }
    Some(line)
}

/// Below this effective sample size a weighted run is flagged as unreliable.
pub const MIN_EFFECTIVE: f64 = 100.0;
/// ... or below this share of its trials.
pub const MIN_EFFECTIVE_SHARE: f64 = 0.01;

/// Whether a weighted run's effective sample size is too small to trust:
/// Kish's (Σw)²/Σw² under [`MIN_EFFECTIVE`] or under [`MIN_EFFECTIVE_SHARE`]
/// of the trials (a rule of thumb, docs/statistics.md §6).
pub fn too_few_effective(effective: f64, trials: f64) -> bool {
    effective < MIN_EFFECTIVE || effective < MIN_EFFECTIVE_SHARE * trials
}
