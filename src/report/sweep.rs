//! `sweep.csv` (one row per point and architecture: the swept values, then
//! the `summary.csv` columns) and the terminal table of `fateshare sweep`.

use super::csv::{csv_err, summary_header, summary_record};
use super::table::money;
use super::text;
use crate::sensitivity::PointResult;
use std::io::{self, Write};

pub const FILE: &str = "sweep.csv";

/// Writes `sweep.csv`: `point`, one column per swept path, then the
/// `summary.csv` columns (architecture first).
pub fn write_csv(points: &[PointResult], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let mut header = vec!["point".to_string()];
    if let Some(p) = points.first() {
        header.extend(p.changes.iter().map(|a| a.path.clone()));
        header.extend(summary_header(&p.summaries));
    }
    w.write_record(&header).map_err(csv_err)?;
    for (i, p) in points.iter().enumerate() {
        for s in &p.summaries {
            let mut row = vec![i.to_string()];
            row.extend(p.changes.iter().map(|a| a.value.to_string()));
            row.extend(summary_record(s));
            w.write_record(&row).map_err(csv_err)?;
        }
    }
    w.flush()
}

/// The terminal table: a row per point and architecture.
pub fn render(points: &[PointResult]) -> String {
    let mut header = vec!["point"];
    if let Some(p) = points.first() {
        header.extend(p.changes.iter().map(|a| a.path.as_str()));
    }
    let fixed = header.len();
    header.extend([
        "architecture",
        "availability %",
        "nines",
        "down h mean",
        "down h p99",
        "expected loss",
    ]);
    let mut rows = Vec::new();
    for (i, p) in points.iter().enumerate() {
        for s in &p.summaries {
            let mut row = vec![i.to_string()];
            row.extend(p.changes.iter().map(|a| a.value.to_string()));
            row.extend([
                s.architecture.clone(),
                format!("{:.4}", 100.0 * s.availability),
                s.nines.map_or("-".into(), |n| format!("{n:.2}")),
                format!("{:.2}", s.downtime_hours_mean),
                format!("{:.2}", s.downtime_hours_p99),
                s.expected_loss.map_or("-".into(), money),
            ]);
            rows.push(row);
        }
    }
    let right: Vec<bool> = (0..header.len()).map(|i| i != fixed).collect();
    text::table(&header, &rows, &right)
}
