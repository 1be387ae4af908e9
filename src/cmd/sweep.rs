//! `fateshare sweep`: simulate the scenario at every point of a grid of
//! values (`--set PATH=LO:HI:N` or `PATH=V1,V2,...`, several flags making a
//! cartesian grid), all with the same seed and trials; write `sweep.csv`
//! (and its record `sweep.json`), then bring report.html up to date.

use super::progress_bar;
use super::refresh::{self, Ran};
use super::run::default_out;
use crate::cmd::flags::{CommonFlags, Failure};
use crate::output;
use crate::report::provenance;
use crate::report::sweep as report;
use crate::scenario::set;
use crate::sensitivity::{self, Overrides, SweepError};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A number in the scenario and its values: PATH=LO:HI:N (N evenly spaced
    /// values) or PATH=V1,V2,... e.g. cause.aws-global-control-plane.per_year=0.1:1:10.
    /// Repeat for a grid over several numbers.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub sets: Vec<String>,
    /// A name for this result in report.html, which keeps every drill,
    /// sweep and tornado result (default: its options); the same name again
    /// replaces the earlier result.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
}

pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let (text, doc, model) = set::load_with_text(&args.scenario)?;
    let label = args.scenario.display().to_string();
    let specs = args
        .sets
        .iter()
        .map(|s| set::parse_spec(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::Input)?;
    let points = sensitivity::points(&doc, &label, &specs).map_err(|e| match e {
        SweepError::Flags(m) => Failure::Input(m),
        SweepError::Scenario(e) => e.into(),
    })?;
    let overrides = Overrides {
        trials: args.common.trials,
        seed: args.common.seed,
    };
    for p in &points {
        crate::budget::refuse(
            &p.model,
            &overrides.apply(&p.model),
            &set::label(&label, &p.changes),
        )?;
    }
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    output::prepare_dir(&out)?;
    let total = points
        .iter()
        .map(|p| overrides.apply(&p.model).trials)
        .fold(0u64, u64::saturating_add);
    let bar = progress_bar(total, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, false);
    let results = sensitivity::sweep(&points, overrides, &options);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let stage = output::Staging::begin(&out)?;
    let path = out.join(report::FILE);
    output::write_atomic(&stage.path().join(report::FILE), |w| {
        report::write_csv(&results, w)
    })?;
    if !args.common.quiet {
        let s = results.first().map(|r| r.settings).unwrap_or_default();
        println!(
            "sweep of {}: {} points, {} trials each, seed {}",
            label,
            results.len(),
            s.trials,
            s.seed
        );
        print!("{}", report::render(&results));
        println!("wrote {}", path.display());
    }
    let s = results
        .first()
        .map_or_else(|| overrides.apply(&model), |r| r.settings);
    let mut command = format!("fateshare sweep {}", args.scenario.display());
    for set in &args.sets {
        command.push_str(&format!(" --set {set}"));
    }
    command.push_str(&format!(
        " --trials {} --seed {} --out {}",
        s.trials,
        s.seed,
        out.display()
    ));
    let ran = Ran {
        kind: provenance::SWEEP,
        command,
        scenario: &args.scenario,
        scenario_text: &text,
        settings: Some(s),
        horizon_hours: model.settings.horizon_hours,
        name: args.name.clone(),
    };
    refresh::after(stage.path(), &out, ran, args.common.quiet)?;
    stage.commit()?;
    Ok(())
}
