//! `fateshare tornado`: scale every outage source's rate and mean duration
//! by 1/F and F (default 2) one at a time, rank by the swing in each
//! architecture's down time and expected loss; write `tornado.csv` (and
//! its record `tornado.json`), then bring report.html up to date.

use super::progress_bar;
use super::refresh::{self, Ran};
use super::run::default_out;
use crate::cmd::flags::{CommonFlags, Failure};
use crate::output;
use crate::report::provenance;
use crate::report::tornado as report;
use crate::scenario::set;
use crate::sensitivity::{self, Overrides};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct TornadoArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Scale factor F > 1: each rate and duration is run at x1/F and xF.
    #[arg(long, default_value_t = 2.0, allow_negative_numbers = true)]
    pub factor: f64,
    /// Bars printed per architecture (tornado.csv has them all).
    #[arg(long, default_value_t = 8)]
    pub top: usize,
    /// A name for this result in report.html, which keeps every drill,
    /// sweep and tornado result (default: its options); the same name again
    /// replaces the earlier result.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
}

pub fn tornado(args: &TornadoArgs) -> Result<(), Failure> {
    if !(args.factor.is_finite() && args.factor > 1.0) {
        return Err(Failure::Input(format!(
            "--factor {}: give a number above 1 (2 runs every rate and duration at x0.5 and x2)",
            args.factor
        )));
    }
    let (text, doc, model) = set::load_with_text(&args.scenario)?;
    let label = args.scenario.display().to_string();
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    let overrides = Overrides {
        trials: args.common.trials,
        seed: args.common.seed,
    };
    crate::budget::refuse(&model, &overrides.apply(&model), &label)?;
    output::prepare_dir(&out)?;
    let firing = model.sources.iter().filter(|s| s.per_year > 0.0).count() as u64;
    let total = (1 + 4 * firing).saturating_mul(overrides.apply(&model).trials);
    let bar = progress_bar(total, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, false);
    let t = sensitivity::tornado(&doc, &label, args.factor, overrides, &options)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let stage = output::Staging::begin(&out)?;
    let path = out.join(report::FILE);
    output::write_atomic(&stage.path().join(report::FILE), |w| {
        report::write_csv(&t, w)
    })?;
    if !args.common.quiet {
        println!(
            "tornado of {}: {} runs of {} trials, seed {}",
            label, t.runs, t.settings.trials, t.settings.seed
        );
        print!("{}", report::render(&t, args.top));
        println!("wrote {}", path.display());
    }
    let s = t.settings;
    let ran = Ran {
        kind: provenance::TORNADO,
        command: format!(
            "fateshare tornado {} --factor {} --trials {} --seed {} --out {}",
            args.scenario.display(),
            args.factor,
            s.trials,
            s.seed,
            out.display()
        ),
        scenario: &args.scenario,
        scenario_text: &text,
        settings: Some(s),
        horizon_hours: s.horizon_hours,
        name: args.name.clone(),
    };
    refresh::after(stage.path(), &out, ran, args.common.quiet)?;
    stage.commit()?;
    Ok(())
}
