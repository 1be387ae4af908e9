//! Books of insureds. A scenario with `[book] exposure = "insureds.csv"`
//! keeps its shared components and causes in TOML and its insureds in an
//! exposure file ([`exposure`]); [`expand`] compiles the rows into the
//! scenario's `[[component]]`, `[[architecture]]` and `[[policy]]` tables and
//! its causes' `hits`, giving the same scenario text a hand-written book would
//! be. Synthetic books of any size come from [`generate`].
//!
//! Naming rule (docs/insurance.md § Books): the row with id `ID` gives the
//! components `app-ID` (its own outages, when given), `regions-ID` (failover
//! over two or more regions) and `site-ID` (what its users reach: the
//! services, the app, the region(s)), the architecture `insured-ID` and the
//! policy `cover-ID`.

pub mod exposure;
pub mod generate;

use crate::scenario::{Problem, ScenarioError};
use exposure::{Insured, Known};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The first line of a compiled book.
pub const COMPILED_HEADER: &str = "# Compiled by fateshare from";

/// The exposure file a scenario text names, if it names one (`None` also
/// when the text is not TOML: the usual parse reports that).
pub fn exposure_of(text: &str) -> Option<String> {
    let doc = text.parse::<Table>().ok()?;
    exposure_in(&doc)
}

fn exposure_in(doc: &Table) -> Option<String> {
    doc.get("book")?
        .get("exposure")?
        .as_str()
        .map(str::to_string)
}

/// The exposure file's path: relative paths are read from the scenario's folder.
pub fn exposure_path(scenario: &Path, exposure: &str) -> PathBuf {
    let p = Path::new(exposure);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    scenario
        .parent()
        .map_or_else(|| p.to_path_buf(), |dir| dir.join(p))
}

/// The scenario text with its exposure file compiled in; `None` when the
/// scenario names no exposure file (its text is used as it is).
pub fn expand(text: &str, scenario: &Path) -> Result<Option<String>, ScenarioError> {
    let Ok(mut doc) = text.parse::<Table>() else {
        return Ok(None);
    };
    let Some(exposure) = exposure_in(&doc) else {
        return Ok(None);
    };
    let path = exposure_path(scenario, &exposure);
    let label = path.display().to_string();
    let csv = std::fs::read_to_string(&path).map_err(|e| {
        ScenarioError::single(
            &scenario.display().to_string(),
            "[book] exposure",
            format!(
                "cannot read the exposure file {label} ({e}); the path is relative to the scenario's folder"
            ),
        )
    })?;
    let components = ids(&doc, "component");
    let causes = ids(&doc, "cause");
    let rows = exposure::read(
        &csv,
        &label,
        &Known {
            components: &components,
            causes: &causes,
        },
    )?;
    compile_rows(&mut doc, &rows);
    // The scenario's opening comment (its sources and assumptions) stays.
    let mut header = format!(
        "{COMPILED_HEADER} {} and its exposure file {exposure} ({} insureds): the book as simulated.\n",
        scenario
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        rows.len()
    );
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        header.push_str(line);
        header.push('\n');
    }
    header.push('\n');
    let body = toml::to_string(&doc).map_err(|e| {
        ScenarioError::single(&label, "", format!("cannot write the compiled book ({e})"))
    })?;
    Ok(Some(header + &body))
}

/// Where a problem of the compiled scenario comes from: problems whose place
/// names a table made from a row get the row's file and line appended.
pub fn locate(problems: &mut [Problem], rows: &[(String, u64)], exposure: &str) {
    for p in problems {
        let hit = rows.iter().find(|(id, _)| {
            exposure::generated_ids(id)
                .iter()
                .any(|g| p.place.contains(&format!("\"{g}\"")))
        });
        if let Some((id, line)) = hit {
            p.place = format!("{} (from {exposure} line {line}, insured {id})", p.place);
        }
    }
}

/// The insured ids and lines of an exposure file, for [`locate`] (best effort).
pub fn row_lines(csv: &str) -> Vec<(String, u64)> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(csv.as_bytes());
    let Some(i) = reader
        .headers()
        .ok()
        .and_then(|h| h.iter().position(|c| c == "id"))
    else {
        return Vec::new();
    };
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            let line = r.position()?.line();
            Some((r.get(i)?.to_string(), line))
        })
        .collect()
}

fn ids(doc: &Table, table: &str) -> BTreeSet<String> {
    doc.get(table)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("id")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

fn table(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Table(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn numbers<'a>(
    entries: &'a [(&'static str, f64)],
) -> impl Iterator<Item = (&'static str, Value)> + 'a {
    entries.iter().map(|&(k, v)| (k, Value::Float(v)))
}

/// Appends each row's tables to the document, in row order, and removes
/// `exposure` from `[book]`.
pub fn compile_rows(doc: &mut Table, rows: &[Insured]) {
    let mut components = Vec::new();
    let mut architectures = Vec::new();
    let mut policies = Vec::new();
    let mut hits: Vec<(String, String, f64)> = Vec::new();
    for r in rows {
        let [app, regions, site, insured, cover] = exposure::generated_ids(&r.id);
        let mut needs: Vec<Value> = r.services.iter().map(|s| string(s)).collect();
        if let Some(own) = &r.own {
            components.push(table([
                ("id", string(&app)),
                (
                    "outages",
                    table([
                        ("per_year", Value::Float(own.per_year)),
                        (
                            "duration",
                            table([
                                ("dist", string("lognormal")),
                                ("median_hours", Value::Float(own.median_hours)),
                                ("p95_hours", Value::Float(own.p95_hours)),
                            ]),
                        ),
                    ]),
                ),
            ]));
            needs.push(string(&app));
            for (cause, p) in &r.causes {
                hits.push((cause.clone(), app.clone(), *p));
            }
        }
        if r.regions.len() > 1 {
            let mut t = vec![
                ("id", string(&regions)),
                (
                    "needs",
                    Value::Array(r.regions.iter().map(|s| string(s)).collect()),
                ),
                ("mode", string("failover")),
            ];
            if let Some(m) = r.failover_minutes {
                t.push(("switch_minutes", Value::Float(m)));
            }
            components.push(table(t));
            needs.push(string(&regions));
        } else if let Some(region) = r.regions.first() {
            needs.push(string(region));
        }
        components.push(table([
            ("id", string(&site)),
            ("needs", Value::Array(needs)),
        ]));
        let mut a = vec![("id", string(&insured)), ("serves", string(&site))];
        if let Some(d) = &r.description {
            a.push(("description", string(d)));
        }
        if let Some(s) = &r.sector {
            a.push(("sector", string(s)));
        }
        if !r.loss.is_empty() {
            a.push(("loss", table(numbers(&r.loss))));
        }
        architectures.push(table(a));
        if let Some(c) = &r.cover {
            let mut p = vec![
                ("id", string(&cover)),
                ("kind", string(&c.kind)),
                ("insured", string(&insured)),
            ];
            if let Some(ix) = &c.index {
                p.push(("index", string(ix)));
            }
            if let Some(f) = c.franchise {
                p.push(("franchise", Value::Boolean(f)));
            }
            if let Some(t) = c.threshold {
                p.push(("threshold", Value::Float(t)));
            }
            p.extend(numbers(&c.numbers));
            if let Some((method, params)) = &c.pricing {
                let mut t = vec![("method", string(method))];
                t.extend(numbers(params));
                p.push(("pricing", table(t)));
            }
            if let Some(pf) = &c.portfolio {
                p.push(("portfolio", string(pf)));
            }
            policies.push(table(p));
        }
    }
    append(doc, "component", components);
    append(doc, "architecture", architectures);
    append(doc, "policy", policies);
    if let Some(causes) = doc.get_mut("cause").and_then(Value::as_array_mut) {
        for c in causes.iter_mut().filter_map(Value::as_table_mut) {
            let id = c
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let mine: Vec<_> = hits.iter().filter(|h| h.0 == id).collect();
            if mine.is_empty() {
                continue;
            }
            let entry = c
                .entry("hits".to_string())
                .or_insert_with(|| Value::Table(Table::new()));
            if let Some(t) = entry.as_table_mut() {
                for (_, comp, p) in mine {
                    t.insert(comp.clone(), Value::Float(*p));
                }
            }
        }
    }
    if let Some(book) = doc.get_mut("book").and_then(Value::as_table_mut) {
        book.remove("exposure");
    }
}

fn append(doc: &mut Table, key: &str, items: Vec<Value>) {
    if items.is_empty() {
        return;
    }
    let entry = doc
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(a) = entry.as_array_mut() {
        a.extend(items);
    }
}
