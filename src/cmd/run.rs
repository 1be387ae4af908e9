//! `fateshare run`: simulate a scenario, print the results table and write the
//! output files.

use crate::cmd::flags::{CommonFlags, Failure};
use crate::insurance;
use crate::output;
use crate::report::{self, Report};
use crate::scenario;
use crate::stats;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `fateshare run`'s arguments.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
    /// Do not write the per-trial tables (trials.csv and, with policies or
    /// --ord, policy_trials.csv and splt.csv), for very large runs.
    #[arg(long)]
    pub no_trials_csv: bool,
    /// Also write the per-event table: outages.csv (every outage of every
    /// architecture) and, in splt.csv, the architectures' own outages beside
    /// the payouts.
    #[arg(long)]
    pub events: bool,
    /// Also write the ORD files (ept, alt, alct, splt, summary_map) for a
    /// scenario without policies (a scenario with policies always gets them).
    #[arg(long)]
    pub ord: bool,
    /// Return periods N (in periods, each at least 2) whose 1-in-N down time
    /// and loss go into summary.csv (downtime_hours_rpN, loss_rpN),
    /// summary.json and report.html: the type-7 quantile at 1 − 1/N.
    #[arg(long, value_delimiter = ',', value_name = "N,N,...",
          default_values_t = crate::stats::DEFAULT_RETURN_PERIODS,
          value_parser = clap::value_parser!(u32).range(2..))]
    pub return_periods: Vec<u32>,
}

/// The asked return periods, ascending, each once.
fn return_periods(asked: &[u32]) -> Vec<u32> {
    let mut v = asked.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Default output folder: `output/<scenario file stem>/`.
pub fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    PathBuf::from("output").join(stem)
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let (scenario_text, _, model) = scenario::load_with_text(&args.scenario)?;
    let mut settings = model.settings;
    if let Some(t) = args.common.trials {
        settings.trials = t;
    }
    if let Some(s) = args.common.seed {
        settings.seed = s;
    }
    crate::budget::refuse(&model, &settings, &args.scenario.display().to_string())?;
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    // Fail on an unusable output folder before spending time simulating.
    output::prepare_dir(&out)?;

    let bar = super::progress_bar(settings.trials, args.common.quiet);
    // outages.csv and the architectures' rows of splt.csv need the
    // per-outage records: kept only with --events.
    let options = super::engine_options(args.common.threads, &bar, args.events);
    let (sim, insurance) = insurance::run(
        &model,
        &settings,
        &options,
        insurance::Options {
            ord: args.ord,
            per_trial: !args.no_trials_csv,
        },
    );
    let insurance = insurance.map(Arc::new);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = Report {
        model: &model,
        scenario_file: args.scenario.display().to_string(),
        scenario_text,
        settings,
        command: reproduce_command(
            &args.scenario,
            &settings,
            &out,
            &return_periods(&args.return_periods),
        ),
        summaries: stats::summarize_with(&model, &sim, &return_periods(&args.return_periods)),
        simulation: &sim,
        insurance: insurance
            .as_deref()
            .and_then(|i| insurance::figures::InsuranceFigures::of(&model, i))
            .map(Arc::new),
    };
    let mut exports = report::standard_exports(!args.no_trials_csv, args.events);
    if let Some(ins) = &insurance {
        exports.extend(report::insurance_exports(ins));
    }
    // Analysis tables already in the folder that belong with this run.
    let (analyses, notes) = report::analyses::load(&out, &report);
    exports.extend(
        report::visuals::exports_with(&report, analyses)
            .map_err(|e| Failure::Internal(e.to_string()))?,
    );
    let stage = output::Staging::begin(&out)?;
    let written = output::write_all(stage.path(), &exports, &report)?;
    let files = describe_files(stage.path(), &written);
    stage.commit()?;
    if !args.common.quiet {
        print!("{}", report::table::render(&report));
        if let Some(ins) = &insurance {
            print!("{}", report::insurance_table::render(ins));
        }
        println!("wrote {files} in {}", out.display());
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    Ok(())
}

/// `summary.csv, report.html, charts/ (12 files)`: files in the folder by
/// name, files in subfolders counted.
pub fn describe_files(dir: &Path, written: &[PathBuf]) -> String {
    let mut names = Vec::new();
    let mut sub: Vec<(String, usize)> = Vec::new();
    for p in written {
        let rel = p.strip_prefix(dir).unwrap_or(p);
        let mut parts = rel.components();
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if parts.next().is_some() {
            match sub.iter_mut().find(|(d, _)| *d == first) {
                Some((_, n)) => *n += 1,
                None => sub.push((first, 1)),
            }
        } else {
            names.push(first);
        }
    }
    names.extend(sub.into_iter().map(|(d, n)| format!("{d}/ ({n} files)")));
    names.join(", ")
}

fn reproduce_command(
    scenario: &Path,
    s: &crate::model::Settings,
    out: &Path,
    return_periods: &[u32],
) -> String {
    let mut c = format!(
        "fateshare run {} --trials {} --seed {} --out {}",
        scenario.display(),
        s.trials,
        s.seed,
        out.display()
    );
    if return_periods != crate::stats::DEFAULT_RETURN_PERIODS {
        let list: Vec<String> = return_periods.iter().map(|n| n.to_string()).collect();
        c.push_str(&format!(" --return-periods {}", list.join(",")));
    }
    c
}
