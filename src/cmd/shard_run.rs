//! `run --shard I/N`: simulates one shard of a run into a partial folder
//! (`shard.json`, `scenario.toml`, `shard.bin` and, for a run that streams,
//! its per-trial table segment) that `fateshare merge` joins with the other
//! shards ([`super::merge`]). A run that streams ([`super::streamed::applies`])
//! keeps only its accumulators, so a shard's memory and `shard.bin` are
//! flat in its trials past the exact-quantile limit; a run with policies,
//! `--ord` or `--events` keeps every outcome, as the single run does.

use crate::cmd::flags::Failure;
use crate::cmd::run::{self, RunArgs, TableFormat};
use crate::model::{Model, Settings};
use crate::output;
use crate::report::csv::{trials_header, TrialsRows};
use crate::shard::{self, segment, state::State, Manifest, OutputFlags, ShardSpec};
use crate::streaming::Table;
use std::path::Path;

fn format_name(f: TableFormat) -> &'static str {
    match f {
        TableFormat::Auto => "auto",
        TableFormat::Csv => "csv",
        TableFormat::Parquet => "parquet",
    }
}

/// Simulates shard `spec` of the run `args` asks for and writes its partial folder to `out`.
pub(crate) fn run_shard(
    args: &RunArgs,
    spec: ShardSpec,
    scenario_text: String,
    model: &Model,
    settings: &Settings,
    out: &Path,
) -> Result<(), Failure> {
    let range = spec.range(settings.trials);
    let stage = output::Staging::begin(out)?;
    // A shard folder holds the shard's files only.
    clear(stage.path())
        .map_err(|e| Failure::Internal(format!("clearing {}: {e}", stage.path().display())))?;
    let bar = super::progress_bar(range.1 - range.0, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, args.events);
    let state = if super::streamed::applies(args, model) {
        // The segment of the per-trial table, in the run's format.
        let io_failure = |p: &Path, e: std::io::Error| {
            Failure::Internal(format!("writing {}: {e}", p.display()))
        };
        let header = trials_header(false);
        let parquet = super::streamed::table_is_parquet(args.format, model, settings);
        let path = stage.path().join(segment::name(parquet));
        let mut writer = match args.no_trials_csv {
            true => None,
            false => Some(
                segment::Writer::create(&path, parquet, &header)
                    .map_err(|e| io_failure(&path, e))?,
            ),
        };
        let rows = TrialsRows {
            ids: model.architectures.iter().map(|a| a.id.clone()).collect(),
        };
        let table = writer.as_mut().map(|w| Table {
            rows: &rows,
            out: w.out(),
        });
        let accumulated = shard::simulate_streamed(
            model,
            settings,
            range,
            &options,
            args.exact_quantiles_up_to,
            table,
        )
        .map_err(|e| io_failure(&path, e))?;
        if let Some(w) = writer {
            w.finish().map_err(|e| io_failure(&path, e))?;
        }
        State::Streamed(accumulated)
    } else {
        State::Kept(shard::simulate(
            model,
            settings,
            range,
            &options,
            !args.no_trials_csv,
            args.ord,
        ))
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let manifest = Manifest {
        format: shard::FORMAT.into(),
        version: crate::report::VERSION.into(),
        scenario_file: args.scenario.display().to_string(),
        seed: settings.seed,
        trials: settings.trials,
        horizon_hours: settings.horizon_hours,
        shard: spec.index,
        shards: spec.count,
        first: range.0,
        last: range.1,
        flags: OutputFlags {
            no_trials_csv: args.no_trials_csv,
            events: args.events,
            format: format_name(args.format).into(),
            ord: args.ord,
            return_periods: run::return_periods(&args.return_periods),
            baseline: args.baseline.clone(),
            exact_quantiles_up_to: args.exact_quantiles_up_to,
        },
    };
    let json =
        serde_json::to_string_pretty(&manifest).map_err(|e| Failure::Internal(e.to_string()))?;
    let bytes = shard::state::encode(&state);
    drop(state);
    let json = format!("{json}\n");
    let files: [(&str, &[u8]); 3] = [
        (shard::MANIFEST, json.as_bytes()),
        ("scenario.toml", scenario_text.as_bytes()),
        (shard::STATE, &bytes),
    ];
    for (name, content) in files {
        output::write_atomic(&stage.path().join(name), |w| w.write_all(content))?;
    }
    stage.commit()?;
    if !args.common.quiet {
        println!(
            "shard {}/{}: trials {}..{} of {} written to {}; join the shards with `fateshare merge PART... --out DIR`",
            spec.index,
            spec.count,
            range.0,
            range.1,
            settings.trials,
            out.display()
        );
    }
    Ok(())
}

/// Removes everything inside `dir` (the staging copy of the old folder).
fn clear(dir: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
}
