//! `fateshare run` without keeping the trials: the default for a plain run
//! (no policies, `--ord`, `--events`, `--precision`, `--tilt` or
//! `--uncertainty`, and at most [`MAX_STREAMED`] architectures). The trials
//! stream past the summary, the digest the report and charts read, and the
//! per-trial table, which is written into the new output folder as it goes
//! ([`crate::streaming`]); memory is flat in the number of trials. The
//! folder is the same, byte for byte, as the one a run keeping every trial
//! in memory writes.

use super::flags::Failure;
use super::run::{return_periods, write_outputs, Finished, RunArgs, TableFormat};
use crate::model::{Model, Settings};
use crate::output;
use crate::parquet_io::ParquetRows;
use crate::report::csv::{trials_header, TrialsRows};
use crate::stats::digest::MAX_STREAMED;
use crate::streaming::{self, Table, TableOut};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Whether `run` streams: every output of such a run is drawn from what
/// streaming accumulates.
pub fn applies(args: &RunArgs, model: &Model) -> bool {
    args.precision.is_none()
        && args.tilt.tilt.is_none()
        && args.uncertainty.is_none()
        && !args.events
        && !args.ord
        && model.policies.is_empty()
        && model.architectures.len() <= MAX_STREAMED
}

/// Where the per-trial table's bytes go while the run streams.
enum Sink {
    Csv(BufWriter<File>),
    Parquet(Box<ParquetRows<BufWriter<File>>>),
}

impl Sink {
    fn out(&mut self) -> TableOut<'_> {
        match self {
            Sink::Csv(w) => TableOut::Text(w),
            Sink::Parquet(p) => TableOut::Typed(p.as_mut()),
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut w = match self {
            Sink::Csv(w) => w,
            Sink::Parquet(p) => (*p).finish()?,
        };
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

/// Simulates and writes the folder (see the module's comment).
pub fn run(
    args: &RunArgs,
    scenario_text: String,
    model: &Model,
    settings: &Settings,
    baseline: Option<usize>,
    out: &Path,
) -> Result<(), Failure> {
    let stage = output::Staging::begin(out)?;
    // The table is written under a temporary name and renamed when complete
    // (the staging folder holds links to the old folder's files).
    // `--format auto`: the table has a row per trial and architecture, known before it is written.
    let parquet = table_is_parquet(args.format, model, settings);
    let table = (!args.no_trials_csv).then(|| {
        let name = if parquet {
            "trials.parquet"
        } else {
            "trials.csv"
        };
        let path = stage.path().join(name);
        let tmp = stage
            .path()
            .join(format!(".{name}.tmp-{}", std::process::id()));
        (path, tmp)
    });
    let io_failure =
        |path: &Path, e: io::Error| Failure::Internal(format!("writing {}: {e}", path.display()));
    let mut sink = match &table {
        None => None,
        Some((_, tmp)) => {
            let file = File::create(tmp).map_err(|e| io_failure(tmp, e))?;
            let mut w = BufWriter::with_capacity(1 << 16, file);
            let header = trials_header(false);
            Some(if parquet {
                let p = ParquetRows::new(w, &header).map_err(|e| io_failure(tmp, e))?;
                Sink::Parquet(Box::new(p))
            } else {
                w.write_all(header.as_bytes())
                    .map_err(|e| io_failure(tmp, e))?;
                Sink::Csv(w)
            })
        }
    };
    let rows = TrialsRows {
        ids: model.architectures.iter().map(|a| a.id.clone()).collect(),
    };
    let bar = super::progress_bar(settings.trials, args.common.quiet);
    let options = super::engine_options(args.common.threads, &bar, false);
    let streamed = streaming::simulate(
        model,
        settings,
        &options,
        args.exact_quantiles_up_to,
        true,
        sink.as_mut().map(|s| Table {
            rows: &rows,
            out: s.out(),
        }),
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut written: Vec<PathBuf> = Vec::new();
    if let (Some((path, tmp)), Some(sink)) = (&table, sink) {
        streamed
            .as_ref()
            .map_err(|e| io::Error::new(e.kind(), e.to_string()))
            .and_then(|_| sink.finish())
            .and_then(|_| std::fs::rename(tmp, path))
            .map_err(|e| io_failure(path, e))?;
        written.push(path.clone());
    }
    let streamed = streamed.map_err(|e| Failure::Internal(e.to_string()))?;
    let pairs = streamed.pairs.map(|p| p.complete(&streamed.summary));
    let (summaries, mut digest) = streamed
        .summary
        .finish_digest(model, &return_periods(&args.return_periods));
    digest.pairs = pairs;
    let sim = crate::engine::Simulation {
        settings: *settings,
        architectures: model.architectures.len(),
        outcomes: Vec::new(),
        outages: Vec::new(),
        outage_lengths: streamed.outage_lengths,
        importance: None,
    };
    write_outputs(
        args,
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
        out,
    )
}

/// Whether the run's per-trial table is Parquet: `--format`, and for
/// `auto` the size of the whole run's table (not the shard's).
pub(crate) fn table_is_parquet(format: TableFormat, model: &Model, settings: &Settings) -> bool {
    match format {
        TableFormat::Csv => false,
        TableFormat::Parquet => true,
        TableFormat::Auto => crate::parquet_io::auto_is_parquet(
            settings
                .trials
                .saturating_mul(model.architectures.len() as u64),
        ),
    }
}
