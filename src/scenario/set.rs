//! Changing numbers in a scenario by path, for sweeps and the tornado table.
//! A path names one number in the TOML document: `simulation.KEY`, or
//! `TABLE.ID.FIELD[.FIELD...]` where `TABLE` is `component`, `cause` or
//! `architecture`, `ID` is the `id` of one entry of that array of tables and
//! the fields lead to the number (`outages.duration.p95_hours`, `hits.alchemy`,
//! `loss.per_hour`); needs by id (`needs.idp.tolerate_minutes`), and a plain
//! hit probability becomes `{ p = ... }` below it (`hits.kv.severity`). The
//! change is made on the parsed document, then deserialized and validated
//! exactly like a file: an invalid value gets the normal validation message,
//! with the `--set` named in the file label.

use super::{validate, Problem, ScenarioError, ScenarioFile};
use crate::model::Model;
use toml::{Table, Value};

/// Tables whose entries a path can address by id.
const ENTRY_TABLES: [&str; 3] = ["component", "cause", "architecture"];

/// Fields that the format requires to be integers.
const INTEGER_FIELDS: [&str; 4] = ["quorum", "trials", "seed", "retries"];

/// Parameters of a duration table that are times (scaled with the duration).
pub const TIME_PARAMETERS: [&str; 7] = [
    "hours",
    "mean_hours",
    "median_hours",
    "p95_hours",
    "scale_hours",
    "min_hours",
    "max_hours",
];

/// Largest number of points a sweep grid may have.
pub const MAX_POINTS: usize = 10_000;

/// One `--set PATH=VALUES` flag: a path and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct SetSpec {
    pub path: String,
    pub values: Vec<f64>,
}

/// One path set to one value.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub path: String,
    pub value: f64,
}

impl std::fmt::Display for Assignment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

/// Rounds to 12 significant digits, so that grid values print as written
/// (0.3, not 0.30000000000000004).
fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Parses `PATH=LO:HI:N` (N evenly spaced values from LO to HI, both
/// included) or `PATH=V1,V2,...`.
pub fn parse_spec(arg: &str) -> Result<SetSpec, String> {
    let usage = "give PATH=LO:HI:N (N evenly spaced values) or PATH=V1,V2,... (docs/sensitivity-and-drills.md)";
    let Some((path, values)) = arg.split_once('=') else {
        return Err(format!("--set {arg}: no '='; {usage}"));
    };
    let path = path.trim();
    if path.is_empty() {
        return Err(format!("--set {arg}: the path is empty; {usage}"));
    }
    let number = |s: &str| -> Result<f64, String> {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("--set {arg}: \"{}\" is not a number; {usage}", s.trim()))
    };
    let values = if values.contains(':') {
        let parts: Vec<&str> = values.split(':').collect();
        let [lo, hi, n] = parts[..] else {
            return Err(format!(
                "--set {arg}: a range has three parts, LO:HI:N; {usage}"
            ));
        };
        let (lo, hi) = (number(lo)?, number(hi)?);
        let n: usize = n.trim().parse().map_err(|_| {
            format!(
                "--set {arg}: N = \"{}\" is not a whole number of points; give N >= 2",
                n.trim()
            )
        })?;
        if n < 2 {
            return Err(format!(
                "--set {arg}: N = {n}; a range needs at least 2 points (for one value write {path}=V)"
            ));
        }
        if n > MAX_POINTS {
            return Err(format!(
                "--set {arg}: N = {n} is more than {MAX_POINTS} points; use fewer"
            ));
        }
        (0..n)
            .map(|i| match i {
                0 => lo,
                i if i == n - 1 => hi,
                i => tidy(lo + (hi - lo) * i as f64 / (n - 1) as f64),
            })
            .collect()
    } else {
        values
            .split(',')
            .map(number)
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(SetSpec {
        path: path.to_string(),
        values,
    })
}

/// The points of a grid over several specs: the cartesian product, the first
/// spec varying slowest. Errors on a path given twice or too many points.
pub fn grid(specs: &[SetSpec]) -> Result<Vec<Vec<Assignment>>, String> {
    for (i, s) in specs.iter().enumerate() {
        if specs[..i].iter().any(|t| t.path == s.path) {
            return Err(format!(
                "--set {}: the path is given twice; give each path once (with all its values)",
                s.path
            ));
        }
    }
    let total = specs
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.values.len()))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| {
            format!("the --set grid has more than {MAX_POINTS} points; use fewer values")
        })?;
    let mut points = Vec::with_capacity(total);
    for k in 0..total {
        let mut rest = k;
        let mut point = vec![];
        for s in specs.iter().rev() {
            let n = s.values.len();
            point.push(Assignment {
                path: s.path.clone(),
                value: s.values[rest % n],
            });
            rest /= n;
        }
        point.reverse();
        points.push(point);
    }
    Ok(points)
}

/// Reads a scenario file, checks it the usual way (syntax, then validation)
/// and returns its TOML document with the validated model.
pub fn load(path: &std::path::Path) -> Result<(Table, Model), ScenarioError> {
    load_with_text(path).map(|(_, doc, model)| (doc, model))
}

/// As [`load`], also returning the file's text as read.
pub fn load_with_text(path: &std::path::Path) -> Result<(String, Table, Model), ScenarioError> {
    let label = path.display().to_string();
    let (text, _, model) = super::load_with_text(path)?;
    let doc = document(&text, &label)?;
    Ok((text, doc, model))
}

/// Parses scenario text into a TOML document (syntax only).
pub fn document(text: &str, label: &str) -> Result<Table, ScenarioError> {
    // Report syntax and type errors with line and column the usual way first.
    super::parse(text, label)?;
    Ok(super::document_with_catalogue(text, label)?.0)
}

/// Deserializes and validates a (changed) document. `label` names the file
/// and the change, e.g. `web.toml (with --set cause.x.per_year=2)`.
pub fn compile(doc: &Table, label: &str) -> Result<(ScenarioFile, Model), ScenarioError> {
    let file: ScenarioFile = doc.clone().try_into().map_err(|e: toml::de::Error| {
        let message = e.message().trim().replace('\n', " ");
        let hint = if message.starts_with("unknown field") {
            "; fix the path (docs/sensitivity-and-drills.md)"
        } else if message.starts_with("invalid type") {
            "; --set sets numbers, and this field is not a number"
        } else {
            ""
        };
        ScenarioError::single(label, "", format!("{message}{hint}"))
    })?;
    let model = validate::compile(&file).map_err(|problems| ScenarioError {
        file: label.to_string(),
        problems,
    })?;
    Ok((file, model))
}

/// The label of a file with changes applied.
pub fn label(file: &str, changes: &[Assignment]) -> String {
    if changes.is_empty() {
        return file.to_string();
    }
    let sets: Vec<String> = changes.iter().map(|a| format!("--set {a}")).collect();
    format!("{file} (with {})", sets.join(" "))
}

/// A copy of `doc` with every assignment applied, compiled and validated.
pub fn apply_all(
    doc: &Table,
    file: &str,
    changes: &[Assignment],
) -> Result<(ScenarioFile, Model), ScenarioError> {
    let mut doc = doc.clone();
    for a in changes {
        set(&mut doc, &a.path, a.value).map_err(|message| ScenarioError {
            file: file.to_string(),
            problems: vec![Problem {
                place: format!("--set {}", a.path),
                message,
            }],
        })?;
    }
    compile(&doc, &label(file, changes))
}

/// Sets the number at `path` to `value`. Integer fields (`quorum`, `trials`,
/// `seed`) stay integers and take whole numbers only; every other number is
/// written as a float. A missing last field (or missing tables on the way)
/// is created, and deserialization then rejects it if the format has no such field.
pub fn set(doc: &mut Table, path: &str, value: f64) -> Result<(), String> {
    let (table, key) = locate(doc, path)?;
    let new = if INTEGER_FIELDS.contains(&key.as_str()) {
        if value.fract() != 0.0 || !value.is_finite() || value.abs() > 9.0e15 {
            return Err(format!("{key} takes a whole number; {value} is not one"));
        }
        Value::Integer(value as i64)
    } else {
        Value::Float(value)
    };
    match table.get(&key) {
        None | Some(Value::Integer(_) | Value::Float(_)) => {
            table.insert(key, new);
            Ok(())
        }
        Some(other) => Err(not_a_number(&key, other)),
    }
}

/// Multiplies the number at `path` by `factor` (it must exist).
pub fn scale(doc: &mut Table, path: &str, factor: f64) -> Result<(), String> {
    let (table, key) = locate(doc, path)?;
    match table.get_mut(&key) {
        Some(v) => scale_value(v, &key, factor),
        None => Err(format!("{key} is not set; nothing to scale")),
    }
}

/// Scales a duration table's time parameters (`hours` — a number or a list —,
/// `mean_hours`, `median_hours`, `p95_hours`, `scale_hours`, `min_hours`,
/// `max_hours`) by `factor`, which scales its mean (and every quantile) by
/// `factor`; a Weibull's `shape` is left alone.
pub fn scale_duration(doc: &mut Table, path: &str, factor: f64) -> Result<(), String> {
    let (table, key) = locate(doc, path)?;
    let Some(Value::Table(d)) = table.get_mut(&key) else {
        return Err(format!("{key} is not a duration table"));
    };
    for (k, v) in d.iter_mut() {
        if TIME_PARAMETERS.contains(&k.as_str()) {
            scale_value(v, k, factor)?;
        }
    }
    Ok(())
}

fn scale_value(v: &mut Value, key: &str, factor: f64) -> Result<(), String> {
    match v {
        Value::Integer(i) => *v = Value::Float(*i as f64 * factor),
        Value::Float(x) => *x *= factor,
        Value::Array(items) => {
            for item in items {
                scale_value(item, key, factor)?;
            }
        }
        other => return Err(not_a_number(key, other)),
    }
    Ok(())
}

fn not_a_number(key: &str, v: &Value) -> String {
    match v {
        Value::Table(t) => {
            let keys: Vec<String> = t.keys().map(|k| format!("{key}.{k}")).collect();
            format!(
                "{key} is a table, not a number; name one of its numbers ({})",
                keys.join(", ")
            )
        }
        other => format!(
            "{key} is {}, not a number; --set changes numbers only",
            a_type(other)
        ),
    }
}

/// Finds the table holding the path's last field, creating missing tables
/// below the entry; returns it with the field's name.
fn locate<'d>(doc: &'d mut Table, path: &str) -> Result<(&'d mut Table, String), String> {
    let Some((head, rest)) = path.split_once('.') else {
        return Err(bad_start(path));
    };
    let table: &mut Table = if head == "simulation" {
        table_at(doc, "simulation")?
    } else if ENTRY_TABLES.contains(&head) {
        let entries = match doc.get_mut(head) {
            Some(Value::Array(a)) => a,
            _ => return Err(format!("the scenario has no [[{head}]]")),
        };
        let ids: Vec<String> = entries
            .iter()
            .filter_map(|e| e.get("id").and_then(Value::as_str).map(str::to_string))
            .collect();
        // Ids may contain '.', so take the longest id that the path continues.
        let found = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| rest.len() > id.len() + 1 && rest.starts_with(&format!("{id}.")))
            .max_by_key(|(_, id)| id.len())
            .map(|(i, id)| (i, id.len()));
        let Some((i, len)) = found else {
            if ids.iter().any(|id| id == rest) {
                return Err(format!(
                    "the path ends at [[{head}]] \"{rest}\"; add the number to change, e.g. {}",
                    example(head, rest)
                ));
            }
            return Err(unknown_entry(head, rest, &ids));
        };
        let rest = &rest[len + 1..];
        let entry = entries[i]
            .as_table_mut()
            .expect("entries with an id are tables");
        return descend(entry, rest, false);
    } else {
        return Err(bad_start(path));
    };
    if rest.contains('.') || rest.is_empty() {
        return Err(format!(
            "simulation has only numbers horizon_hours, trials and seed; \"{rest}\" is not one of them"
        ));
    }
    Ok((table, rest.to_string()))
}

/// Walks `rest` (dotted keys, the keys themselves possibly holding dots, as
/// in `hits.aws.us-east-1`) down from `t`; `in_hits` when `t` is a `hits` table.
fn descend<'d>(
    t: &'d mut Table,
    rest: &str,
    in_hits: bool,
) -> Result<(&'d mut Table, String), String> {
    if rest.is_empty() {
        return Err("the path ends at an entry; add the field to change, e.g. .per_year".into());
    }
    if t.contains_key(rest) || !rest.contains('.') {
        return Ok((t, rest.to_string()));
    }
    let number = |v: &Value| v.is_integer() || v.is_float();
    let key = t
        .iter()
        .filter(|(k, v)| {
            (v.is_table() || v.is_array() || (in_hits && number(v)))
                && rest.starts_with(&format!("{k}."))
        })
        .map(|(k, _)| k.clone())
        .max_by_key(String::len)
        .unwrap_or_else(|| rest.split('.').next().unwrap_or_default().to_string());
    let below = &rest[key.len() + 1..];
    if matches!(t.get(&key), Some(Value::Array(_))) {
        let Some(Value::Array(items)) = t.get_mut(&key) else {
            unreachable!("an array")
        };
        return entry_of(items, &key, below);
    }
    if let Some(v) = t.get_mut(&key).filter(|v| in_hits && number(v)) {
        // A plain hit probability becomes { p = probability }.
        let mut hit = Table::new();
        hit.insert("p".into(), v.clone());
        *v = Value::Table(hit);
    }
    let sub = table_at(t, &key)?;
    descend(sub, below, key == "hits")
}

/// The table of the entry of an array of entries (`needs`) whose id the path
/// `rest` continues with; a bare id becomes `{ id = "..." }`.
fn entry_of<'d>(
    items: &'d mut [Value],
    key: &str,
    rest: &str,
) -> Result<(&'d mut Table, String), String> {
    let id_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Table(t) => t.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let ids: Vec<Option<String>> = items.iter().map(id_of).collect();
    if ids.iter().all(Option::is_none) {
        return Err(format!(
            "{key} is an array, not a table; --set changes single numbers, so edit {key} in the file"
        ));
    }
    let found = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| id.as_ref().map(|id| (i, id)))
        .filter(|(_, id)| rest.len() > id.len() + 1 && rest.starts_with(&format!("{id}.")))
        .max_by_key(|(_, id)| id.len());
    let Some((i, id)) = found else {
        let listed: Vec<&str> = ids.iter().flatten().map(String::as_str).collect();
        return Err(format!(
            "{key} has no entry that \"{rest}\" names; give {key}.ID.FIELD with ID one of {}",
            listed.join(", ")
        ));
    };
    let field = rest[id.len() + 1..].to_string();
    if let Value::String(s) = &items[i] {
        let mut t = Table::new();
        t.insert("id".into(), Value::String(s.clone()));
        items[i] = Value::Table(t);
    }
    match &mut items[i] {
        Value::Table(t) => Ok((t, field)),
        _ => unreachable!("made a table above"),
    }
}

/// The table under `key`, created if missing.
fn table_at<'d>(t: &'d mut Table, key: &str) -> Result<&'d mut Table, String> {
    match t
        .entry(key.to_string())
        .or_insert_with(|| Value::Table(Table::new()))
    {
        Value::Table(sub) => Ok(sub),
        other => Err(format!(
            "{key} is {}, not a table; the path cannot go below it",
            a_type(other)
        )),
    }
}

/// "an array", "a string", ...
fn a_type(v: &Value) -> String {
    let t = v.type_str();
    let article = if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {t}")
}

fn example(head: &str, id: &str) -> String {
    match head {
        "component" => format!("component.{id}.outages.per_year"),
        "cause" => format!("cause.{id}.per_year"),
        _ => format!("architecture.{id}.loss.per_hour"),
    }
}

fn bad_start(path: &str) -> String {
    format!(
        "\"{path}\" is not a path to a number; start with simulation., component.ID., cause.ID. or architecture.ID. (e.g. cause.ID.per_year)"
    )
}

fn unknown_entry(head: &str, rest: &str, ids: &[String]) -> String {
    let guess = rest.split('.').next().unwrap_or(rest);
    let near = ids
        .iter()
        .map(|id| (validate::distance(id, guess), id))
        .filter(|(d, _)| *d <= 2)
        .min();
    match near {
        Some((_, id)) => format!("no [[{head}]] has id \"{guess}\"; did you mean \"{id}\"?"),
        None => {
            let shown: Vec<&str> = ids.iter().take(12).map(String::as_str).collect();
            let more = if ids.len() > shown.len() { ", ..." } else { "" };
            format!(
                "no [[{head}]] has id \"{guess}\"; the ids are {}{more}",
                shown.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests;
