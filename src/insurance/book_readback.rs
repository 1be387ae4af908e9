//! A book's figures for `fateshare report` that `policy_trials.csv` does not
//! hold, read back from the run's folder: the book's largest event per trial
//! (from `il_S1_splt.csv`, the paid outages with their EventIds, summed per
//! event in the order the run's observer sums them, so the figures are bit
//! for bit the run's) and the accumulation table (`accumulation.csv`).
//! Only for a scenario with `[book]`; see [`super::figures::InsuranceFigures`].

use super::accumulation::{Row, DIMENSIONS};
use crate::model::Model;
use crate::readback_error::ReadbackError;
use std::collections::HashMap;
use std::path::Path;

const RERUN: &str = "run the scenario again";

fn err(path: &Path, message: impl Into<String>) -> ReadbackError {
    ReadbackError {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads a CSV table (or its parquet twin); `None` when absent.
fn records(
    path: &Path,
) -> Result<Option<(csv::StringRecord, Vec<csv::StringRecord>)>, ReadbackError> {
    let text = match crate::parquet_io::read_table_text(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(err(path, format!("cannot read it ({e}); {RERUN}"))),
    };
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| err(path, format!("{e}; {RERUN}")))?
        .clone();
    let rows = r
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err(path, format!("{e}; {RERUN}")))?;
    Ok(Some((header, rows)))
}

fn column(path: &Path, header: &csv::StringRecord, name: &str) -> Result<usize, ReadbackError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| err(path, format!("it has no column `{name}`; {RERUN}")))
}

fn number(
    path: &Path,
    row: &csv::StringRecord,
    line: usize,
    i: usize,
) -> Result<f64, ReadbackError> {
    row.get(i)
        .and_then(|x| x.parse::<f64>().ok())
        .filter(|x| !x.is_nan())
        .ok_or_else(|| {
            err(
                path,
                format!("line {line}, column {}: not a number; {RERUN}", i + 1),
            )
        })
}

/// The book's largest event per trial (empty without `[book]` or without
/// `il_S1_splt.csv`).
pub fn book_max(dir: &Path, model: &Model, trials: u64) -> Result<Vec<f64>, ReadbackError> {
    if model.book.is_none() {
        return Ok(Vec::new());
    }
    let path = dir.join("il_S1_splt.csv");
    let Some((header, rows)) = records(&path)? else {
        return Ok(Vec::new());
    };
    let (period, event, loss) = (
        column(&path, &header, "Period")?,
        column(&path, &header, "EventId")?,
        column(&path, &header, "Loss")?,
    );
    let mut max = vec![0.0f64; trials as usize];
    let mut sums: HashMap<u64, f64> = HashMap::new();
    let mut current = None;
    let flush = |sums: &mut HashMap<u64, f64>, t: Option<usize>, max: &mut Vec<f64>| {
        if let Some(t) = t {
            let m = sums.values().fold(0.0f64, |m, &x| m.max(x));
            max[t] = m;
        }
        sums.clear();
    };
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let p = number(&path, r, line, period)?;
        let t = p as usize;
        if p.fract() != 0.0 || t == 0 || t > max.len() {
            return Err(err(
                &path,
                format!("line {line}: Period {p} is not a period of this run; {RERUN}"),
            ));
        }
        if current != Some(t - 1) {
            flush(&mut sums, current, &mut max);
            current = Some(t - 1);
        }
        let id = number(&path, r, line, event)? as u64;
        *sums.entry(id).or_insert(0.0) += number(&path, r, line, loss)?;
    }
    flush(&mut sums, current, &mut max);
    Ok(max)
}

/// `accumulation.csv` (empty without `[book]` or without the file).
pub fn accumulation(dir: &Path, model: &Model) -> Result<Vec<Row>, ReadbackError> {
    if model.book.is_none() {
        return Ok(Vec::new());
    }
    let path = dir.join("accumulation.csv");
    let Some((header, rows)) = records(&path)? else {
        return Ok(Vec::new());
    };
    let c = |name| column(&path, &header, name);
    let (portfolio, dimension, key, policies) =
        (c("portfolio")?, c("dimension")?, c("key")?, c("policies")?);
    let (annual, event, unlimited, expected, co, share) = (
        c("annual_limits_exposed")?,
        c("event_limits_exposed")?,
        c("policies_without_limit")?,
        c("expected_payout")?,
        c("co_tvar995")?,
        c("share_of_tvar995")?,
    );
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let line = i + 2;
            let text = |j: usize| r.get(j).unwrap_or("").to_string();
            let count = |j: usize| {
                r.get(j)
                    .and_then(|x| x.parse::<usize>().ok())
                    .ok_or_else(|| {
                        err(
                            &path,
                            format!("line {line}, column {}: not a count; {RERUN}", j + 1),
                        )
                    })
            };
            let dim = text(dimension);
            let Some(&dimension) = DIMENSIONS.iter().find(|d| **d == dim) else {
                return Err(err(
                    &path,
                    format!("line {line}: unknown dimension \"{dim}\"; {RERUN}"),
                ));
            };
            Ok(Row {
                portfolio: text(portfolio),
                dimension,
                key: text(key),
                policies: count(policies)?,
                annual_limits: number(&path, r, line, annual)?,
                event_limits: number(&path, r, line, event)?,
                unlimited: count(unlimited)?,
                expected_payout: number(&path, r, line, expected)?,
                co_tvar995: number(&path, r, line, co)?,
                share_of_tvar995: match r.get(share) {
                    Some("") | None => None,
                    Some(_) => Some(number(&path, r, line, share)?),
                },
            })
        })
        .collect()
}
