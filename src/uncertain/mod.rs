//! Uncertain parameters: numbers of a scenario written as a distribution of
//! plausible values instead of one value (`per_year = { incidents = 3,
//! years = 5 }`, `hits = { kv = { hits = 2, of = 9 } }`,
//! `median_hours = { dist = "lognormal", median = 4, p95 = 12 }`). This module
//! finds them in the scenario document ([`extract`]), checks them, puts their
//! point value (the distribution's mean) in their place so that everything
//! else reads an ordinary scenario, and writes one draw's values into a copy of
//! the document ([`Param::write`]). The two-level run over draws is
//! [`draws`]; the distributions are [`prior`].

pub mod curves;
pub mod draws;
pub mod importance;
mod parse;
pub mod prior;
pub mod readback;
pub mod spread;

pub use prior::Prior;

use crate::scenario::ScenarioError;
use toml::{Table, Value};

/// What kind of number an uncertain value stands for: it fixes which
/// distributions may be used (their draws must stay in the valid range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A rate per year (`per_year`): 0 or more.
    Rate,
    /// A probability or share (hit probabilities, severities): 0 to 1.
    Probability,
    /// A positive number (duration parameters, a Beta severity's alpha/beta).
    Positive,
}

/// One uncertain number of the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// `[[component]]` or `[[cause]]` array, and the entry's index in it.
    pub table: &'static str,
    pub index: usize,
    /// Keys from the entry to the number, e.g. `["outages", "per_year"]`.
    pub keys: Vec<String>,
    /// `cause "x"` or `component "y"`, for messages.
    pub place: String,
    /// The name used in `uncertainty.csv`: `cause.x.per_year`,
    /// `component.y.outages.duration.median_hours` (the `--set` path).
    pub name: String,
    pub kind: Kind,
    pub prior: Prior,
    /// The point value (the prior's mean), written in its place.
    pub point: f64,
    /// A duration's plain `p95_hours` that scales with an uncertain
    /// `median_hours` (keeps the lognormal's σ): its value at the point median.
    pub coupled_p95: Option<f64>,
}

impl Param {
    /// Writes a drawn value (and the coupled p95, if any) into `doc`, a copy
    /// of the document [`extract`] returned.
    pub fn write(&self, doc: &mut Table, value: f64) {
        let Some(Value::Array(items)) = doc.get_mut(self.table) else {
            return;
        };
        let Some(mut table) = items.get_mut(self.index).and_then(Value::as_table_mut) else {
            return;
        };
        let (last, path) = self.keys.split_last().expect("a parameter has a key");
        for k in path {
            match table.get_mut(k).and_then(Value::as_table_mut) {
                Some(t) => table = t,
                None => return,
            }
        }
        table.insert(last.clone(), Value::Float(value));
        if let Some(p95) = self.coupled_p95 {
            table.insert("p95_hours".into(), Value::Float(p95 * value / self.point));
        }
    }
}

/// Finds every uncertain number in the `[[component]]` and `[[cause]]`
/// entries of `doc`, checks it and replaces it by its point value; returns
/// them in file order (components, then causes), or every problem found.
pub fn extract(doc: &mut Table, label: &str) -> Result<Vec<Param>, ScenarioError> {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for table in ["component", "cause"] {
        let Some(Value::Array(items)) = doc.get_mut(table) else {
            continue;
        };
        for (index, item) in items.iter_mut().enumerate() {
            let Some(entry) = item.as_table_mut() else {
                continue;
            };
            let id = entry
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            let mut walk = parse::Walk {
                table,
                index,
                place: format!("{table} \"{id}\""),
                prefix: format!("{table}.{id}"),
                found: &mut found,
                problems: &mut problems,
            };
            walk.entry(entry);
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(ScenarioError {
            file: label.to_string(),
            problems,
        })
    }
}

/// What `fateshare validate` prints about uncertain parameters: nothing
/// when there are none, else one line each with its point value.
pub fn describe(params: &[Param]) -> String {
    if params.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "{} uncertain parameter(s); a plain run uses each one's mean, `run --uncertainty N` draws them:\n",
        params.len()
    );
    for p in params {
        out += &format!(
            "  {} = {} (mean {})\n",
            p.name,
            p.prior.describe(),
            crate::fmtnum::sig(p.point, 4)
        );
    }
    out
}
