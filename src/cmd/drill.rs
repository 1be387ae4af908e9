//! `fateshare drill`: force causes or components down (`--cause ID --hours H`,
//! a named `[[drill]]` with `--drill ID`, or every one with `--all`) and
//! report what each architecture did; with `--trials N`, also the
//! distribution given the incident inside the run's sampled worlds. Writes
//! `drills.csv` (and its record `drills.json`), then brings report.html up
//! to date.

use super::progress_bar;
use super::refresh::{self, Ran};
use super::run::default_out;
use crate::cmd::flags::{CommonFlags, Failure};
use crate::drill;
use crate::engine::{self};
use crate::insurance::rds;
use crate::model::Drill;
use crate::output;
use crate::report::drills::{self as report, DrillReport, DrillResult};
use crate::report::provenance;
use crate::report::rds as report_rds;
use crate::scenario::{self, validate};
use crate::stats;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A cause or component id to force down (repeat to force several at once).
    #[arg(long = "cause", value_name = "ID")]
    pub causes: Vec<String>,
    /// How long the forced outage lasts, in hours (with --cause).
    #[arg(long, allow_negative_numbers = true)]
    pub hours: Option<f64>,
    /// When it starts, in hours from the start of the period (with --cause; default 0).
    #[arg(long, allow_negative_numbers = true)]
    pub at: Option<f64>,
    /// The share of requests the forced outages fail, in (0, 1] (default 1: complete).
    #[arg(long, allow_negative_numbers = true)]
    pub severity: Option<f64>,
    /// Replay the scenario's [[drill]] with this id (repeatable).
    #[arg(long = "drill", value_name = "ID")]
    pub drills: Vec<String>,
    /// Replay every [[drill]] of the scenario.
    #[arg(long)]
    pub all: bool,
    /// Also apply each drill to the scenario's policies as a realistic
    /// disaster scenario: every policy's payout, the book's loss and its
    /// return period on the book's OEP and AEP curves from a run of the
    /// scenario (its trials, or --trials): rds.csv, rds_policies.csv.
    #[arg(long)]
    pub book: bool,
    /// A name for this result in report.html, which keeps every drill,
    /// sweep and tornado result (default: its options); the same name again
    /// replaces the earlier result.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
}

pub fn drill(args: &DrillArgs) -> Result<(), Failure> {
    let (text, file, model) = scenario::load_with_text(&args.scenario)?;
    let label = args.scenario.display().to_string();
    let input = |m: String| {
        let m = m.replace('\n', &format!("\n{label}: "));
        Failure::Input(format!("{label}: {m}"))
    };
    let mut drills = chosen(args, &file, &model.drills).map_err(input)?;
    let mut model = model;
    if let Some(s) = args.severity {
        if !(s > 0.0 && s <= 1.0) {
            return Err(input(format!(
                "--severity {s}: it is the share of requests the forced outage fails, greater than 0 and at most 1 (e.g. 0.9)"
            )));
        }
        for d in &mut drills {
            d.severity = s;
        }
        model.service_levels |= s < 1.0;
    }
    let mut settings = model.settings;
    if let Some(t) = args.common.trials {
        settings.trials = t;
        if let Some(s) = args.common.seed {
            settings.seed = s;
        }
        for d in &drills {
            let at = d.at_hours.unwrap_or(0.0);
            if at >= settings.horizon_hours {
                return Err(input(format!(
                    "drill \"{}\": it starts at {at} h, outside the simulated period [0, {}) h; start it earlier or raise horizon_hours",
                    d.id, settings.horizon_hours
                )));
            }
        }
    } else if args.common.seed.is_some() {
        return Err(input(
            "--seed goes with --trials (a drill without --trials samples nothing)".into(),
        ));
    }
    if args.book && model.policies.is_empty() {
        return Err(input(
            "--book applies the drills to the scenario's policies, and it has no [[policy]]; add policies (docs/insurance.md §1) or drop --book".into(),
        ));
    }
    if args.common.trials.is_some() || args.book {
        crate::budget::refuse(&model, &settings, &label)?;
    }
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    output::prepare_dir(&out)?;

    let bar = args
        .common
        .trials
        .and_then(|t| progress_bar(t * (drills.len() as u64 + 1), args.common.quiet));
    let options = super::engine_options(args.common.threads, &bar, true);
    // With --book, one run gives both the baseline and the book's curves.
    let (sim, curves) = if args.book {
        let opts = crate::insurance::Options::default();
        let (sim, ins) = crate::insurance::run(&model, &settings, &options, opts);
        let curves = ins.map(|i| rds::book_curves(&i));
        (Some(sim), curves)
    } else {
        let sim = args
            .common
            .trials
            .map(|_| engine::simulate(&model, &settings, &options));
        (sim, None)
    };
    let baseline = args
        .common
        .trials
        .and(sim.as_ref())
        .map(|sim| stats::summarize(&model, sim));
    let mut scenarios = Vec::new();
    let results = drills
        .into_iter()
        .map(|d| {
            let forced = drill::forced_events(&model, &d);
            if args.book {
                let h = settings.horizon_hours;
                scenarios.push(rds::scenario(&model, &d, &forced, h, curves.as_ref()));
            }
            let conditional = args.common.trials.map(|_| {
                drill::conditional(&model, &settings, &options, &forced).summarize(&model)
            });
            DrillResult {
                effects: drill::deterministic(&model, &forced),
                conditional,
                drill: d,
            }
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = DrillReport {
        model: &model,
        drills: results,
        baseline,
    };
    let stage = output::Staging::begin(&out)?;
    let path = out.join(report::FILE);
    output::write_atomic(&stage.path().join(report::FILE), |w| {
        report::write_csv(&report, w)
    })?;
    write_rds(stage.path(), args.book.then_some(&scenarios[..]))?;
    if !args.common.quiet {
        match args.common.trials {
            Some(_) => println!(
                "drills of {label}: alone, and inside {} sampled periods of {} h (seed {})",
                settings.trials, settings.horizon_hours, settings.seed
            ),
            None => println!("drills of {label}: the forced outages alone, everything else up"),
        }
        print!("{}", report::render(&report));
        if args.book {
            println!(
                "the book ({} policies) in each scenario; return periods from {} sampled periods (seed {}):",
                model.policies.len(),
                settings.trials,
                settings.seed
            );
            print!("{}", report_rds::render(&scenarios));
            println!(
                "wrote {}, {} and {}",
                path.display(),
                report_rds::FILE,
                report_rds::POLICIES_FILE
            );
        } else {
            println!("wrote {}", path.display());
        }
    }
    let ran = Ran {
        kind: provenance::DRILLS,
        command: reproduce_command(args, &settings, &out),
        scenario: &args.scenario,
        scenario_text: &text,
        settings: (args.common.trials.is_some() || args.book).then_some(settings),
        horizon_hours: settings.horizon_hours,
        name: args.name.clone(),
    };
    refresh::after(stage.path(), &out, ran, args.common.quiet)?;
    stage.commit()?;
    Ok(())
}

/// Writes the RDS tables into the staged folder, or, without `--book`,
/// removes any an earlier `drill --book` left there (they would be stale).
fn write_rds(stage: &std::path::Path, scenarios: Option<&[rds::Rds]>) -> Result<(), Failure> {
    match scenarios {
        Some(rows) => {
            output::write_atomic(&stage.join(report_rds::FILE), |w| {
                report_rds::write_csv(rows, w)
            })?;
            output::write_atomic(&stage.join(report_rds::POLICIES_FILE), |w| {
                report_rds::write_policies_csv(rows, w)
            })?;
        }
        None => {
            for f in [report_rds::FILE, report_rds::POLICIES_FILE] {
                match std::fs::remove_file(stage.join(f)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(output::OutputError::Io {
                            path: stage.join(f).display().to_string(),
                            source: e,
                        }
                        .into())
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// The command that writes the same `drills.csv`.
fn reproduce_command(
    args: &DrillArgs,
    s: &crate::model::Settings,
    out: &std::path::Path,
) -> String {
    let mut c = format!("fateshare drill {}", args.scenario.display());
    if args.all {
        c.push_str(" --all");
    }
    for d in &args.drills {
        c.push_str(&format!(" --drill {d}"));
    }
    for id in &args.causes {
        c.push_str(&format!(" --cause {id}"));
    }
    if let Some(h) = args.hours {
        c.push_str(&format!(" --hours {h}"));
    }
    if let Some(at) = args.at {
        c.push_str(&format!(" --at {at}"));
    }
    if let Some(s) = args.severity {
        c.push_str(&format!(" --severity {s}"));
    }
    if args.book {
        c.push_str(" --book");
    }
    if args.common.trials.is_some() || args.book {
        c.push_str(&format!(" --trials {} --seed {}", s.trials, s.seed));
    }
    c.push_str(&format!(" --out {}", out.display()));
    c
}

/// The drills the flags ask for, or what is wrong with the flags.
fn chosen(
    args: &DrillArgs,
    file: &scenario::ScenarioFile,
    named: &[Drill],
) -> Result<Vec<Drill>, String> {
    let usage = "say what to drill: --cause ID --hours H, --drill ID, or --all";
    let adhoc = !args.causes.is_empty();
    if args.all && (adhoc || !args.drills.is_empty()) {
        return Err(format!(
            "--all replays every [[drill]]; give it alone ({usage})"
        ));
    }
    if !adhoc && (args.hours.is_some() || args.at.is_some()) {
        return Err("--hours and --at go with --cause (a [[drill]] has its own)".into());
    }
    let mut out = Vec::new();
    if args.all {
        if named.is_empty() {
            return Err("the scenario has no [[drill]]; add one (docs/sensitivity-and-drills.md) or use --cause ID --hours H".into());
        }
        out.extend_from_slice(named);
    }
    for id in &args.drills {
        match named.iter().find(|d| d.id == *id) {
            Some(d) => out.push(d.clone()),
            None => return Err(unknown_drill(id, named)),
        }
    }
    if adhoc {
        let Some(hours) = args.hours else {
            return Err("--cause needs --hours H (how long the forced outage lasts)".into());
        };
        let problems = validate::drill_problems(
            file,
            &args.causes,
            hours,
            args.at,
            ["--cause", "--hours", "--at"],
        );
        if !problems.is_empty() {
            return Err(problems.join("\n"));
        }
        out.push(Drill {
            id: args.causes.join("+"),
            description: None,
            causes: args.causes.clone(),
            hours,
            at_hours: args.at,
            source: None,
            severity: 1.0,
        });
    }
    if out.is_empty() {
        return Err(usage.into());
    }
    Ok(out)
}

fn unknown_drill(id: &str, named: &[Drill]) -> String {
    let ids: Vec<&str> = named.iter().map(|d| d.id.as_str()).collect();
    if ids.is_empty() {
        return format!("--drill names \"{id}\", but the scenario has no [[drill]]; add one or use --cause ID --hours H");
    }
    let near = ids
        .iter()
        .map(|k| (validate::distance(k, id), *k))
        .filter(|(d, _)| *d <= 2)
        .min();
    match near {
        Some((_, k)) => format!("--drill names unknown drill \"{id}\"; did you mean \"{k}\"?"),
        None => format!(
            "--drill names unknown drill \"{id}\"; the scenario's drills are {}",
            ids.join(", ")
        ),
    }
}
