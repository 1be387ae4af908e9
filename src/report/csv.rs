//! `summary.csv` (a row per architecture), `trials.csv` (a row per trial
//! and architecture: the year-loss table), `outages.csv` (a row per outage,
//! with `--events`) and `outage_lengths.csv` (outage lengths, counted).

use super::{Export, Report};
use crate::evaluate::Outcome;
use crate::stats::ArchSummary;
use crate::streaming::{ChunkColumns, Column, TrialRows};
use std::io::{self, Write};

/// `summary.csv`.
pub struct SummaryCsv;

/// `trials.csv`.
pub struct TrialsCsv;

/// `outages.csv`: every outage that started inside a period (the event-loss table).
pub struct OutagesCsv;

/// `outage_lengths.csv`: per architecture, how many outages had each length
/// (within 0.1%, [`crate::sketch`]): what the outage-survival chart draws.
pub struct OutageLengthsCsv;

/// The header of `outage_lengths.csv`.
pub const OUTAGE_LENGTHS_HEADER: &str = "architecture,hours,count";

pub(crate) fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

pub(crate) fn csv_err(e: ::csv::Error) -> io::Error {
    io::Error::other(e)
}

pub const SUMMARY_COLUMNS: [&str; 23] = [
    "architecture",
    "trials",
    "availability",
    "availability_ci_low",
    "availability_ci_high",
    "nines",
    "downtime_hours_mean",
    "downtime_hours_p50",
    "downtime_hours_p90",
    "downtime_hours_p99",
    "outages_mean",
    "longest_outage_hours_p99",
    "sla_met_probability",
    "expected_loss",
    "loss_p99",
    "cost_per_year",
    "naive_availability",
    "correlation_penalty",
    "served",
    "served_ci_low",
    "served_ci_high",
    "degraded_hours_mean",
    "naive_served",
];

/// The `summary.csv` header: [`SUMMARY_COLUMNS`], then
/// `downtime_hours_rpN` and `loss_rpN` for each return period of the run.
pub fn summary_header(summaries: &[ArchSummary]) -> Vec<String> {
    let mut h: Vec<String> = SUMMARY_COLUMNS.iter().map(|c| c.to_string()).collect();
    if let Some(s) = summaries.first() {
        for r in &s.return_periods {
            h.push(format!("downtime_hours_rp{}", r.period));
        }
        for r in &s.return_periods {
            h.push(format!("loss_rp{}", r.period));
        }
    }
    h
}

/// One `summary.csv` row, in [`summary_header`] order.
pub fn summary_record(s: &ArchSummary) -> Vec<String> {
    let mut row: Vec<String> = fixed_record(s).into();
    row.extend(
        s.return_periods
            .iter()
            .map(|r| r.downtime_hours.to_string()),
    );
    row.extend(s.return_periods.iter().map(|r| opt(r.loss)));
    row
}

fn fixed_record(s: &ArchSummary) -> [String; 23] {
    [
        s.architecture.clone(),
        s.trials.to_string(),
        s.availability.to_string(),
        s.availability_ci_low.to_string(),
        s.availability_ci_high.to_string(),
        opt(s.nines),
        s.downtime_hours_mean.to_string(),
        s.downtime_hours_p50.to_string(),
        s.downtime_hours_p90.to_string(),
        s.downtime_hours_p99.to_string(),
        s.outages_mean.to_string(),
        s.longest_outage_hours_p99.to_string(),
        opt(s.sla_met_probability),
        opt(s.expected_loss),
        opt(s.loss_p99),
        opt(s.cost_per_year),
        s.naive_availability.to_string(),
        opt(s.correlation_penalty),
        s.served.to_string(),
        s.served_ci_low.to_string(),
        s.served_ci_high.to_string(),
        s.degraded_hours_mean.to_string(),
        s.naive_served.to_string(),
    ]
}

impl Export for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(summary_header(&report.summaries))
            .map_err(csv_err)?;
        for s in &report.summaries {
            w.write_record(summary_record(s)).map_err(csv_err)?;
        }
        w.flush()
    }
}

/// The per-trial table's header; an importance-sampled run adds `weight`.
pub fn trials_header(weighted: bool) -> String {
    format!(
        "trial,architecture,downtime_hours,outages,longest_outage_hours,loss,unserved_hours,degraded_hours{}\n",
        if weighted { ",weight" } else { "" }
    )
}

/// One row of the per-trial table, without its end of line.
fn trial_row(out: &mut impl Write, t: u64, id: &str, o: &Outcome) -> io::Result<()> {
    write!(
        out,
        "{t},{id},{},{},{},{},{},{}",
        o.downtime_hours,
        o.outages,
        o.longest_outage_hours,
        o.loss,
        o.unserved_hours,
        o.degraded_hours
    )
}

/// The per-trial table's rows of a streamed run (`trials.csv`, or its
/// Parquet form through [`crate::parquet_io`]), the same bytes as [`TrialsCsv`].
pub struct TrialsRows {
    pub ids: Vec<String>,
}

impl TrialRows for TrialsRows {
    fn encode(&self, first: u64, outcomes: &[Outcome], buf: &mut Vec<u8>) {
        let n = self.ids.len().max(1);
        for (i, o) in outcomes.iter().enumerate() {
            let t = first + (i / n) as u64;
            // Writing into a Vec cannot fail.
            let _ = trial_row(buf, t, &self.ids[i % n], o);
            buf.push(b'\n');
        }
    }

    /// The rows column by column (one pass over the outcomes per column):
    /// pushing cells one by one cost about four times as much a row.
    fn columns(&self, first: u64, outcomes: &[Outcome]) -> ChunkColumns {
        let n = self.ids.len().max(1);
        let trial = (0..outcomes.len())
            .map(|i| (first + (i / n) as u64) as i64)
            .collect();
        let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
        let float = |f: fn(&Outcome) -> f64| Column::Float(outcomes.iter().map(f).collect());
        ChunkColumns(vec![
            Column::Int(trial),
            Column::text_cycle(&ids, outcomes.len() / n),
            float(|o| o.downtime_hours),
            Column::Int(outcomes.iter().map(|o| i64::from(o.outages)).collect()),
            float(|o| o.longest_outage_hours),
            float(|o| o.loss),
            float(|o| o.unserved_hours),
            float(|o| o.degraded_hours),
        ])
    }
}

impl Export for TrialsCsv {
    fn file_name(&self) -> &'static str {
        "trials.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        // An importance-sampled run adds each trial's likelihood ratio.
        let weights = report.simulation.importance.as_ref().map(|i| &i.weights);
        out.write_all(trials_header(weights.is_some()).as_bytes())?;
        let archs = &report.model.architectures;
        for (i, o) in report.simulation.outcomes.iter().enumerate() {
            let (t, a) = (i / archs.len(), i % archs.len());
            trial_row(&mut out, t as u64, &archs[a].id, o)?;
            match weights {
                Some(w) => writeln!(out, ",{}", w[t])?,
                None => writeln!(out)?,
            }
        }
        out.flush()
    }
}

impl Export for OutagesCsv {
    fn file_name(&self) -> &'static str {
        "outages.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "trial,architecture,start_hours,duration_hours,loss")?;
        let archs = &report.model.architectures;
        for o in &report.simulation.outages {
            writeln!(
                out,
                "{},{},{},{},{}",
                o.trial, archs[o.architecture as usize].id, o.start_hours, o.duration_hours, o.loss
            )?;
        }
        out.flush()
    }
}

impl Export for OutageLengthsCsv {
    fn file_name(&self) -> &'static str {
        "outage_lengths.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{OUTAGE_LENGTHS_HEADER}")?;
        let archs = &report.model.architectures;
        for (arch, t) in archs.iter().zip(&report.simulation.outage_lengths) {
            for (v, n) in t.values.iter().zip(&t.counts) {
                writeln!(out, "{},{v},{n}", arch.id)?;
            }
        }
        Ok(())
    }
}
