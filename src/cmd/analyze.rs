//! `fateshare analyze`: simulate a scenario with every outage source removed
//! and held down on the same sampled worlds, print where each design's down
//! time comes from, and write importance.csv, risk_groups.csv,
//! independence.csv and concentration.csv (with analysis.json, their
//! record); then bring report.html up to date ([`refresh`]).

use crate::analysis::{self, risk_groups::Limits};
use crate::cmd::flags::{CommonFlags, Failure};
use crate::cmd::refresh::{self, Ran};
use crate::cmd::run::default_out;
use crate::output;
use crate::report::{analysis_csv, analysis_table, provenance, Report};
use crate::scenario;
use crate::stats;
use clap::Args;
use std::path::Path;
use std::sync::Arc;

/// `fateshare analyze`'s arguments.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The scenario file (TOML).
    pub scenario: std::path::PathBuf,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
    /// Largest risk group (minimal cut set) listed, in outage sources.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=8))]
    pub max_order: u64,
    /// Most risk groups kept per component; beyond it, only the smallest sizes are listed.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_sets: u64,
}

pub fn analyze(args: &AnalyzeArgs) -> Result<(), Failure> {
    let (scenario_text, _, model) = scenario::load_with_text(&args.scenario)?;
    let mut settings = model.settings;
    if let Some(t) = args.common.trials {
        settings.trials = t;
    }
    if let Some(s) = args.common.seed {
        settings.seed = s;
    }
    let label = args.scenario.display().to_string();
    crate::budget::refuse(&model, &settings, &label)?;
    let limits = Limits {
        max_order: args.max_order as usize,
        max_sets: args.max_sets as usize,
    };
    let over = crate::budget::check_analysis(&model, &settings, limits);
    if !over.is_empty() {
        return Err(scenario::ScenarioError {
            file: label,
            problems: over,
        }
        .into());
    }
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    // Fail on an unusable output folder before spending time simulating.
    output::prepare_dir(&out)?;

    let bar = super::progress_bar(settings.trials, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, false);
    let result = Arc::new(analysis::analyze(&model, &settings, &options, limits));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let (summaries, digest) =
        stats::digest::of(&model, &result.simulation, &stats::DEFAULT_RETURN_PERIODS);
    let report = Report {
        model: &model,
        scenario_file: args.scenario.display().to_string(),
        scenario_text,
        settings,
        command: reproduce_command(&args.scenario, args, &settings, &out),
        summaries,
        digest,
        simulation: &result.simulation,
        insurance: None,
        baseline: None,
        draws: None,
    };
    let stage = output::Staging::begin(&out)?;
    let written = output::write_all(stage.path(), &analysis_csv::exports(&result), &report)?;
    if !args.common.quiet {
        print!("{}", analysis_table::render(&model, &result));
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        println!("\nwrote {} in {}", names.join(", "), out.display());
    }
    let ran = Ran {
        kind: provenance::ANALYZE,
        command: report.command.clone(),
        scenario: &args.scenario,
        scenario_text: &report.scenario_text,
        settings: Some(settings),
        horizon_hours: settings.horizon_hours,
        name: None,
    };
    refresh::after(stage.path(), &out, ran, args.common.quiet)?;
    stage.commit()?;
    Ok(())
}

fn reproduce_command(
    scenario: &Path,
    args: &AnalyzeArgs,
    s: &crate::model::Settings,
    out: &Path,
) -> String {
    format!(
        "fateshare analyze {} --trials {} --seed {} --max-order {} --max-sets {} --out {}",
        scenario.display(),
        s.trials,
        s.seed,
        args.max_order,
        args.max_sets,
        out.display()
    )
}
