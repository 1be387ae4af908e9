//! `fateshare run --summary-only`: the summary accumulated as the trials
//! stream past ([`crate::stats::stream`]), with no per-trial table kept.

use super::flags::Failure;
use super::run::{describe_files, reproduce_command, return_periods, RunArgs};
use crate::output;
use crate::report::{self, Report};
use std::path::Path;

/// `run --summary-only`: the summary accumulated as the trials stream past.
pub fn run(
    args: &RunArgs,
    scenario_text: String,
    model: &crate::model::Model,
    settings: &crate::model::Settings,
    out: &Path,
) -> Result<(), Failure> {
    if !model.policies.is_empty() {
        return Err(Failure::Input(format!(
            "--summary-only: {} has policies, which it does not price; run without --summary-only",
            args.scenario.display()
        )));
    }
    let bar = super::progress_bar(settings.trials, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, false);
    let streamed = crate::streaming::simulate(
        model,
        settings,
        &options,
        args.exact_quantiles_up_to,
        false,
        None,
    )
    .map_err(|e| Failure::Internal(e.to_string()))?;
    let (summary, lengths) = (streamed.summary, streamed.outage_lengths);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let sim = crate::engine::Simulation {
        settings: *settings,
        architectures: model.architectures.len(),
        outcomes: Vec::new(),
        outages: Vec::new(),
        outage_lengths: lengths,
        importance: None,
    };
    let rps = return_periods(&args.return_periods);
    let (summaries, digest) = summary.finish_digest(model, &rps);
    let mut command = reproduce_command(&args.scenario, settings, out, &rps, None, None);
    command.push_str(" --summary-only");
    let report = Report {
        model,
        scenario_file: args.scenario.display().to_string(),
        scenario_text,
        settings: *settings,
        command,
        summaries,
        digest,
        simulation: &sim,
        insurance: None,
        baseline: None,
        draws: None,
    };
    let exports = report::standard_exports(false, false);
    let stage = output::Staging::begin(out)?;
    let written = output::write_all(stage.path(), &exports, &report)?;
    let files = describe_files(stage.path(), &written);
    stage.commit()?;
    if !args.common.quiet {
        print!("{}", report::table::render(&report));
        println!("wrote {files} in {}", out.display());
    }
    Ok(())
}
