//! A run whose per-trial outcomes are not kept: the trials are simulated in
//! waves of chunks (each wave's chunks on rayon), and each wave is folded in
//! trial order into the summary ([`Summarizer`]), every pair of designs'
//! differences ([`Pairs`]), the outage-length histograms and, when asked, the
//! per-trial table, written as it goes: a wave's rows are written (one more
//! rayon job) while the next wave runs. Each rayon job sums its chunks into
//! one set of accumulators (exact, so the grouping changes nothing), which
//! keeps the merges few. Memory is then flat in the number of
//! trials: two waves' rows and the values kept for exact quantiles (at most
//! the limit given, [`crate::stats::stream::EXACT_UP_TO`] by default). Exact
//! sums and integer counts make every figure the same for any thread count
//! and wave size; the table's rows are written in trial order.

mod columns;

pub use columns::{ChunkColumns, Column};

use crate::engine::{in_pool, RunOptions, TrialRunner, CHUNK};
use crate::evaluate::Outcome;
use crate::model::{Model, Settings};
use crate::sketch::{LogHistogram, Tally};
use crate::stats::digest::Pairs;
use crate::stats::stream::Summarizer;
use rayon::prelude::*;
use std::io::{self, Write};

/// Chunks per worker thread in one wave: what is held at once is about
/// this many chunks' rows per thread.
pub const CHUNKS_PER_THREAD: u64 = 8;

/// How the per-trial table's rows are encoded on the worker threads: as
/// text, or as typed columns that the writer appends.
pub trait TrialRows: Sync {
    /// Appends the rows of the trials from `first` on, given their outcomes
    /// trial-major (one per architecture, in scenario order), to `buf`.
    fn encode(&self, first: u64, outcomes: &[Outcome], buf: &mut Vec<u8>);
    /// The same rows as typed columns (built where the trials ran).
    fn columns(&self, first: u64, outcomes: &[Outcome]) -> ChunkColumns;
}

/// A table's rows as typed cells (a Parquet writer,
/// [`crate::parquet_io::ParquetRows`]), pushed in column order; `end_row`
/// ends a row. Whole rows can also come column by column ([`RowSink::columns`]).
pub trait RowSink {
    fn int(&mut self, v: i64);
    fn float(&mut self, v: f64);
    fn text(&mut self, v: &str);
    /// Ends the row; an error if its cells did not match the table's columns.
    fn end_row(&mut self) -> io::Result<()>;
    /// Appends whole rows given column by column, every column as long:
    /// the same table as pushing them cell by cell; an error if the columns
    /// do not match the table's (their number, kinds or lengths).
    fn columns(&mut self, columns: &[Cells]) -> io::Result<()>;
}

/// One column's cells for several rows ([`RowSink::columns`]).
pub enum Cells<'a> {
    Int(&'a [i64]),
    Float(&'a [f64]),
    /// Text cells one after another in `text`, cell `i` ending at byte
    /// `ends[i]` (each end on a character boundary, ascending): a text
    /// column as one block ([`Column::text`]).
    Joined {
        text: &'a str,
        ends: &'a [usize],
    },
}

impl Cells<'_> {
    pub fn len(&self) -> usize {
        match self {
            Cells::Int(v) => v.len(),
            Cells::Float(v) => v.len(),
            Cells::Joined { ends, .. } => ends.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where the per-trial table's rows go, in trial order.
pub enum TableOut<'a> {
    /// Text, encoded on the worker threads.
    Text(&'a mut (dyn Write + Send)),
    /// Typed cells, put into columns on the worker threads
    /// ([`ChunkColumns`]) and appended a column at a time where they are
    /// written.
    Typed(&'a mut (dyn RowSink + Send)),
}

/// The per-trial table: its encoding and where the rows go.
pub struct Table<'a> {
    pub rows: &'a dyn TrialRows,
    pub out: TableOut<'a>,
}

/// What a streamed run accumulated.
pub struct Streamed {
    pub summary: Summarizer,
    /// Every pair's differences (when asked for).
    pub pairs: Option<Pairs>,
    /// Per architecture: the full lengths of its outages that started in a period.
    pub outage_lengths: Vec<Tally>,
}

/// What one rayon job of a wave accumulated over its chunks: exact sums and
/// integer counts, so that how the wave's chunks fall into jobs changes no
/// figure; and each chunk's rows, written in trial order afterwards.
struct Part {
    summary: Summarizer,
    pairs: Option<Pairs>,
    lengths: Vec<LogHistogram>,
    chunks: Vec<ChunkRows>,
}

/// One chunk's first trial, and its rows as text or as typed columns.
struct ChunkRows {
    first: u64,
    rows: Vec<u8>,
    typed: Option<ChunkColumns>,
}

/// Simulates every trial of `settings`, keeping only the accumulators
/// (quantiles exact while at most `exact_up_to` trials), writing the
/// per-trial table into `table` when given. `pairs`: accumulate every pair
/// of architectures' differences. An error writing the table stops the run.
pub fn simulate(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    exact_up_to: u64,
    pairs: bool,
    table: Option<Table>,
) -> io::Result<Streamed> {
    let all = (0, settings.trials);
    simulate_range(model, settings, all, options, exact_up_to, pairs, table)
}

/// [`simulate`] over the trials `first..last` of `settings` only (a shard,
/// `run --shard`): each trial seeded by its index as in the run of all of
/// them, the table's rows numbered by it.
pub fn simulate_range(
    model: &Model,
    settings: &Settings,
    (from, to): (u64, u64),
    options: &RunOptions,
    exact_up_to: u64,
    pairs: bool,
    mut table: Option<Table>,
) -> io::Result<Streamed> {
    let n_arch = model.architectures.len();
    let h = settings.horizon_hours;
    let mut out = Streamed {
        summary: Summarizer::new(model, h, exact_up_to),
        pairs: pairs.then(|| Pairs::new(model, h)),
        outage_lengths: Vec::new(),
    };
    out.summary.reserve(to.saturating_sub(from));
    let mut lengths = vec![LogHistogram::default(); n_arch];
    let chunks = to.saturating_sub(from).div_ceil(CHUNK);
    let encoder = table.as_ref().map(|t| t.rows);
    let text = table
        .as_ref()
        .is_some_and(|t| matches!(t.out, TableOut::Text(_)));
    let sink = table.as_mut().map(|t| &mut t.out);
    in_pool(options.threads, || -> io::Result<()> {
        let mut sink = sink;
        let wave = CHUNKS_PER_THREAD * rayon::current_num_threads() as u64;
        let mut next = 0;
        // The rows of the wave before, written in trial order while the
        // next wave runs (the writer is one more rayon job).
        let mut pending: Vec<ChunkRows> = Vec::new();
        let mut write = |rows: Vec<ChunkRows>| -> io::Result<()> {
            for r in rows {
                match (sink.as_deref_mut(), r.typed) {
                    (Some(TableOut::Text(s)), _) => s.write_all(&r.rows)?,
                    (Some(TableOut::Typed(s)), Some(c)) => s.columns(&c.cells())?,
                    _ => {}
                }
            }
            Ok(())
        };
        let waves = Wave {
            model,
            settings,
            options,
            exact_up_to,
            pairs,
            encoder,
            text,
            from,
            to,
        };
        while next < chunks || !pending.is_empty() {
            let end = (next + wave).min(chunks);
            let run_wave = || waves.run(next..end);
            let (parts, written) = match (next < end, std::mem::take(&mut pending)) {
                (true, rows) if rows.is_empty() => (run_wave(), Ok(())),
                (true, rows) => rayon::join(run_wave, || write(rows)),
                (false, rows) => (Vec::new(), write(rows)),
            };
            written?;
            for part in parts {
                out.summary.merge(&part.summary);
                if let (Some(all), Some(p)) = (&mut out.pairs, &part.pairs) {
                    all.merge(p);
                }
                for (x, y) in lengths.iter_mut().zip(&part.lengths) {
                    x.merge(y);
                }
                if encoder.is_some() {
                    pending.extend(part.chunks);
                }
            }
            pending.sort_unstable_by_key(|r| r.first);
            next = end;
        }
        Ok(())
    })?;
    out.outage_lengths = lengths.iter().map(LogHistogram::tally).collect();
    Ok(out)
}

/// What one wave of chunks needs: the run's inputs and how the table's
/// rows are kept.
struct Wave<'a> {
    model: &'a Model,
    settings: &'a Settings,
    options: &'a RunOptions,
    exact_up_to: u64,
    pairs: bool,
    encoder: Option<&'a dyn TrialRows>,
    text: bool,
    /// The trials run, `from..to`; chunk `c` starts at trial `from + c · CHUNK`.
    from: u64,
    to: u64,
}

impl Wave<'_> {
    /// Runs the chunks `chunks` on rayon: each job's accumulators and its
    /// chunks' rows.
    fn run(&self, chunks: std::ops::Range<u64>) -> Vec<Part> {
        let (model, settings, h) = (self.model, self.settings, self.settings.horizon_hours);
        let n_arch = model.architectures.len();
        chunks
            .into_par_iter()
            .fold(
                || {
                    let part = Part {
                        summary: Summarizer::new(model, h, self.exact_up_to),
                        pairs: self.pairs.then(|| Pairs::new(model, h)),
                        lengths: vec![LogHistogram::default(); n_arch],
                        chunks: Vec::new(),
                    };
                    let kept = Vec::with_capacity(CHUNK as usize * n_arch);
                    (TrialRunner::watched_only(model, &[]), kept, part)
                },
                |(mut runner, mut kept, mut part), c| {
                    let first = self.from + c * CHUNK;
                    let last = (first + CHUNK).min(self.to);
                    kept.clear();
                    kept.reserve(CHUNK as usize * n_arch);
                    part.summary.reserve(last - first);
                    for trial in first..last {
                        runner.run_counted(settings, trial, &mut part.lengths);
                        part.summary.add_trial(&runner.outcomes);
                        if let Some(p) = &mut part.pairs {
                            p.add_trial(&runner.outcomes);
                        }
                        if self.encoder.is_some() {
                            kept.extend_from_slice(&runner.outcomes);
                        }
                    }
                    let mut rows = ChunkRows {
                        first,
                        rows: Vec::new(),
                        typed: None,
                    };
                    match self.encoder {
                        Some(e) if self.text => e.encode(first, &kept, &mut rows.rows),
                        // Columns here, on the worker: the writer only appends them.
                        Some(e) => rows.typed = Some(e.columns(first, &kept)),
                        None => {}
                    }
                    part.chunks.push(rows);
                    if let Some(p) = &self.options.progress {
                        p(last - first);
                    }
                    (runner, kept, part)
                },
            )
            .map(|(_, _, part)| part)
            .collect()
    }
}
