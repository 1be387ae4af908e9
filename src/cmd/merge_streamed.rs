//! `fateshare merge` of parts whose run streamed: each part's accumulators
//! are read and added in shard order ([`shard::Joined`], exact), its
//! per-trial table segment appended to the run's table as it is read
//! ([`shard::segment`]), one part at a time: memory holds one part's
//! accumulators and the run's (flat in the trials past the exact-quantile
//! limit), never the trials. The folder is then written as a streamed run
//! writes it ([`super::streamed`]).

use super::flags::Failure;
use super::merge::{input, mixed, read_state, Read};
use super::run::{return_periods, write_outputs, Finished, RunArgs};
use crate::model::{Model, Settings};
use crate::output;
use crate::report::csv::trials_header;
use crate::shard::{self, segment, state::State};
use std::path::PathBuf;

/// Merges `parts` (in shard order; `first` is the first part's state, read
/// already) into `run_args`' output folder.
pub(crate) fn merge(
    run_args: &RunArgs,
    model: &Model,
    settings: &Settings,
    baseline: Option<usize>,
    parts: &[Read],
    first: State,
) -> Result<(), Failure> {
    let out = run_args.common.out.clone().unwrap_or_default();
    let stage = output::Staging::begin(&out)?;
    let parquet = super::streamed::table_is_parquet(run_args.format, model, settings);
    let name = segment::name(parquet);
    let header = trials_header(false);
    // The table is written under a temporary name and renamed when complete
    // (the staging folder holds links to the old folder's files).
    let (path, tmp) = (
        stage.path().join(name),
        stage
            .path()
            .join(format!(".{name}.tmp-{}", std::process::id())),
    );
    let writing = |e: std::io::Error| Failure::Internal(format!("writing {}: {e}", path.display()));
    let mut table = match run_args.no_trials_csv {
        true => None,
        false => Some(segment::Writer::create(&tmp, parquet, &header).map_err(writing)?),
    };
    let n_arch = model.architectures.len() as u64;
    let mut joined = shard::Joined::new(
        model,
        settings.horizon_hours,
        run_args.exact_quantiles_up_to,
    );
    let mut first = Some(first);
    for part in parts {
        let state = match first.take() {
            Some(s) => s,
            None => read_state(part)?,
        };
        let bin = part.dir.join(shard::STATE);
        let State::Streamed(acc) = state else {
            return Err(mixed(&bin));
        };
        let m = &part.manifest;
        let trials = m.last - m.first;
        joined.add(model, trials, acc).map_err(|e| {
            input(
                &bin,
                format!("does not fit scenario.toml or shard.json: it {e}; run the shard again"),
            )
        })?;
        if let Some(t) = table.as_mut() {
            let seg = part.dir.join(name);
            let rows = t.append(&seg, &header).map_err(|e| {
                input(
                    &seg,
                    format!("cannot be read as this shard's table ({e}); run the shard again"),
                )
            })?;
            if rows != trials * n_arch {
                return Err(input(
                    &seg,
                    format!(
                        "holds {rows} rows, not {} (trials {}..{} of {n_arch} architectures); run the shard again",
                        trials * n_arch,
                        m.first,
                        m.last
                    ),
                ));
            }
        }
    }
    let mut written: Vec<PathBuf> = Vec::new();
    if let Some(t) = table {
        t.finish()
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(writing)?;
        written.push(path.clone());
    }
    let shard::Joined {
        summary,
        pairs,
        outage_lengths,
        ..
    } = joined;
    let pairs = pairs.complete(&summary);
    let (summaries, mut digest) =
        summary.finish_digest(model, &return_periods(&run_args.return_periods));
    digest.pairs = Some(pairs);
    let sim = crate::engine::Simulation {
        settings: *settings,
        architectures: model.architectures.len(),
        outcomes: Vec::new(),
        outages: Vec::new(),
        outage_lengths,
        importance: None,
    };
    let scenario_text = parts[0].scenario_text.clone();
    write_outputs(
        run_args,
        Finished {
            model,
            scenario_text,
            settings: *settings,
            sim: &sim,
            insurance: None,
            precision: None,
            baseline,
            draws: None,
            digest: Some((summaries, digest)),
            staged: Some((stage, written)),
        },
        &out,
    )
}
