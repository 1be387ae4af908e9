//! The exposure file: a CSV with a row per insured (what it runs on, its own
//! outages, its business-interruption loss and its policy terms), read and
//! checked here against the scenario's components and causes. Every problem
//! names the file, the line and column, and the fix; [`super`] turns the rows
//! into scenario tables. Columns are documented in docs/insurance.md § Books.

use crate::scenario::{Problem, ScenarioError};
use std::collections::{BTreeMap, BTreeSet};

mod row;
use row::Row;

/// Every column the file may have, in the order `book generate` writes them.
pub const COLUMNS: [&str; 31] = [
    "id",
    "description",
    "sector",
    "regions",
    "failover_minutes",
    "services",
    "causes",
    "own_per_year",
    "own_median_hours",
    "own_p95_hours",
    "loss_per_hour",
    "loss_per_outage",
    "grace_minutes",
    "cover",
    "index",
    "waiting_hours",
    "franchise",
    "pay_per_hour",
    "max_hours_per_event",
    "deductible",
    "share",
    "event_limit",
    "annual_limit",
    "basis_threshold",
    "pricing",
    "loading",
    "rate",
    "level",
    "expense_ratio",
    "portfolio",
    "threshold",
];

/// Columns that must be present in the header.
const REQUIRED: [&str; 2] = ["id", "regions"];

/// Policy columns that are amounts or hours (≥ 0), in the order they are
/// written into `[[policy]]`.
pub const POLICY_NUMBERS: [&str; 8] = [
    "waiting_hours",
    "pay_per_hour",
    "max_hours_per_event",
    "deductible",
    "share",
    "event_limit",
    "annual_limit",
    "basis_threshold",
];

/// Pricing parameters, in the order they are written into `pricing`.
pub const PRICING_NUMBERS: [&str; 4] = ["loading", "rate", "level", "expense_ratio"];

/// One insured's own outages: lognormal durations, as the scenario's
/// `outages = { per_year, duration = { dist = "lognormal", ... } }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Own {
    pub per_year: f64,
    pub median_hours: f64,
    pub p95_hours: f64,
}

/// The policy columns of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub kind: String,
    pub index: Option<String>,
    pub franchise: Option<bool>,
    pub threshold: Option<f64>,
    /// The [`POLICY_NUMBERS`] given, in that order.
    pub numbers: Vec<(&'static str, f64)>,
    /// The pricing method and its [`PRICING_NUMBERS`] given.
    pub pricing: Option<(String, Vec<(&'static str, f64)>)>,
    pub portfolio: Option<String>,
}

/// One row of the exposure file.
#[derive(Debug, Clone, PartialEq)]
pub struct Insured {
    /// 1-based line in the file.
    pub line: u64,
    pub id: String,
    pub description: Option<String>,
    pub sector: Option<String>,
    /// Component ids, in failover order.
    pub regions: Vec<String>,
    pub failover_minutes: Option<f64>,
    pub services: Vec<String>,
    /// Cause ids and the probability each occurrence hits this insured.
    pub causes: Vec<(String, f64)>,
    pub own: Option<Own>,
    /// The `loss` table's fields given (`per_hour`, `per_outage`, `grace_minutes`).
    pub loss: Vec<(&'static str, f64)>,
    pub cover: Option<Cover>,
}

/// What a row may refer to: the scenario's own components and causes.
pub struct Known<'a> {
    pub components: &'a BTreeSet<String>,
    pub causes: &'a BTreeSet<String>,
}

/// The component and table ids a row produces (naming rule of § Books).
pub fn generated_ids(id: &str) -> [String; 5] {
    [
        format!("app-{id}"),
        format!("regions-{id}"),
        format!("site-{id}"),
        format!("insured-{id}"),
        format!("cover-{id}"),
    ]
}

/// Reads and checks the file; `label` names it in messages.
pub fn read(text: &str, label: &str, known: &Known) -> Result<Vec<Insured>, ScenarioError> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => return Err(ScenarioError::single(label, "", csv_message(&e))),
    };
    let header_line = reader.position().line().max(1);
    let mut column: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in header.iter().enumerate() {
        let place = format!("line {header_line}, column {}", i + 1);
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if column.contains_key(c) => problems.push(problem(
                place,
                format!("column \"{name}\" appears twice; keep one"),
            )),
            Some(c) => {
                column.insert(c, i);
            }
            None => problems.push(problem(
                place,
                format!(
                    "unknown column \"{name}\"; the columns are {} (docs/insurance.md § Books)",
                    COLUMNS.join(", ")
                ),
            )),
        }
    }
    for r in REQUIRED {
        if !column.contains_key(r) {
            problems.push(problem(
                format!("line {header_line}"),
                format!("the header has no column \"{r}\"; add it (docs/insurance.md § Books)"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(error(label, problems));
    }
    let mut rows = Vec::new();
    let mut first_line: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let place = e
                    .position()
                    .map(|p| format!("line {}", p.line()))
                    .unwrap_or_default();
                problems.push(problem(place, csv_message(&e)));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut row = Row {
            record: &record,
            column: &column,
            line,
            problems: &mut problems,
        };
        let Some(insured) = row.insured(known) else {
            continue;
        };
        if let Some(first) = first_line.get(&insured.id) {
            let place = row.place("id");
            row.problems.push(problem(
                place,
                format!(
                    "insured \"{}\" is listed twice (first on line {first}); give each row its own id",
                    insured.id
                ),
            ));
            continue;
        }
        first_line.insert(insured.id.clone(), line);
        rows.push(insured);
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            "",
            "the exposure file has no insureds; add a row per insured under the header",
        ));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(error(label, problems))
    }
}

fn problem(place: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        place: place.into(),
        message: message.into(),
    }
}

fn error(label: &str, problems: Vec<Problem>) -> ScenarioError {
    ScenarioError {
        file: label.to_string(),
        problems,
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} fields and the header {expected_len}; quote fields that hold commas (\"a, b\") and give every column"
        ),
        csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8 text; save it as UTF-8".to_string(),
        _ => format!("cannot read the exposure file ({e}); check that it is CSV"),
    }
}

/// Up to 12 ids for a message, then how many more.
fn listing(ids: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = ids.iter().take(12).map(String::as_str).collect();
    match ids.len().saturating_sub(12) {
        0 => shown.join(", "),
        more => format!("{}, … {more} more", shown.join(", ")),
    }
}
