//! Scenario entries that take their numbers from the bundled catalogue:
//! `use = "CLASS"` in a `[[cause]]` or in a component's `outages` fills
//! `per_year` (the class's posterior mean rate) and `duration` (a lognormal
//! with the class's fitted median and p95) where the entry does not give
//! them; numbers the entry gives override the class's.

use super::fit::{fit_class, ClassFit};
use super::{sha256, Catalogue, BUNDLED_CLASSES, BUNDLED_INCIDENTS};
use crate::scenario::{Problem, ScenarioError};
use std::sync::OnceLock;
use toml::{Table, Value};

/// The bundled catalogue, checked once.
pub fn bundled() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::bundled().expect("the bundled catalogue is checked by its tests"))
}

/// The bundled catalogue's version and the SHA-256 of `classes.toml`
/// followed by `incidents.toml`, as written into `summary.json`.
pub fn identity() -> (&'static str, String) {
    let bytes = [BUNDLED_CLASSES.as_bytes(), BUNDLED_INCIDENTS.as_bytes()].concat();
    (&bundled().version, sha256::hex(&bytes))
}

/// One scenario entry that took numbers from a class.
#[derive(Debug, Clone, PartialEq)]
pub struct Used {
    /// `cause "x"` or `component "y" outages`.
    pub place: String,
    pub class: String,
    /// The fields filled from the class, with their values as written.
    pub filled: Vec<(String, String)>,
    /// The fields the entry gave itself (overrides).
    pub overridden: Vec<String>,
}

/// Whether a scenario document has any `use`.
pub fn any_use(doc: &Table) -> bool {
    !entries(doc).is_empty()
}

/// (place, index in [[cause]] or [[component]], is_cause) of entries with `use`.
fn entries(doc: &Table) -> Vec<(String, usize, bool)> {
    let mut out = Vec::new();
    for (table, is_cause) in [("component", false), ("cause", true)] {
        let Some(Value::Array(items)) = doc.get(table) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("?");
            let holder = if is_cause {
                Some(item)
            } else {
                item.get("outages")
            };
            if holder.and_then(|h| h.get("use")).is_some() {
                let place = if is_cause {
                    format!("cause \"{id}\"")
                } else {
                    format!("component \"{id}\" outages")
                };
                out.push((place, i, is_cause));
            }
        }
    }
    out
}

/// Fills the fields that entries with `use` leave out, in place; returns
/// what was filled, or every problem (unknown class, a class without a
/// duration fit when the entry gives no duration).
pub fn expand(doc: &mut Table, label: &str) -> Result<Vec<Used>, ScenarioError> {
    let cat = bundled();
    let mut used = Vec::new();
    let mut problems = Vec::new();
    for (place, i, is_cause) in entries(doc) {
        let table = if is_cause { "cause" } else { "component" };
        let Some(Value::Array(items)) = doc.get_mut(table) else {
            continue;
        };
        let item = items[i].as_table_mut().expect("entries are tables");
        let holder = if is_cause {
            item
        } else {
            item.get_mut("outages")
                .and_then(Value::as_table_mut)
                .expect("found above")
        };
        let Some(class_id) = holder
            .get("use")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            problems.push(Problem {
                place,
                message: "use must be a class id in quotes, e.g. use = \"cloud.region\"".into(),
            });
            continue;
        };
        let Some(class) = cat.class(&class_id) else {
            problems.push(Problem {
                place,
                message: cat.unknown_class_message(&class_id),
            });
            continue;
        };
        let fit: ClassFit = fit_class(cat, class);
        // `uncertain = true`: the class's posterior instead of its point values.
        let uncertain = match holder.remove("uncertain") {
            None => false,
            Some(Value::Boolean(b)) => b,
            Some(_) => {
                problems.push(Problem {
                    place,
                    message: "uncertain must be true or false (true: the class's posterior rate and median duration, docs/scenario-format.md)".into(),
                });
                continue;
            }
        };
        let mut u = Used {
            place: place.clone(),
            class: class_id.clone(),
            filled: Vec::new(),
            overridden: Vec::new(),
        };
        if holder.contains_key("per_year") {
            u.overridden.push("per_year".into());
        } else {
            let rate = fit.rate.mean();
            if uncertain {
                let posterior = uncertain_rate(&fit);
                u.filled.push((
                    "per_year".into(),
                    format!(
                        "{{ incidents = {}, years = {} }} (mean {rate})",
                        posterior["incidents"], posterior["years"]
                    ),
                ));
                holder.insert("per_year".into(), Value::Table(posterior));
            } else {
                holder.insert("per_year".into(), Value::Float(rate));
                u.filled.push(("per_year".into(), format!("{rate}")));
            }
        }
        if holder.contains_key("duration") {
            u.overridden.push("duration".into());
        } else if let Some(ln) = fit.duration {
            let mut d = Table::new();
            d.insert("dist".into(), Value::String("lognormal".into()));
            d.insert("median_hours".into(), Value::Float(ln.median()));
            d.insert("p95_hours".into(), Value::Float(ln.p95()));
            let median = if uncertain {
                let m = uncertain_median(&ln);
                let shown = format!(
                    "{{ dist = \"lognormal\", median = {}, p95 = {} }}",
                    m["median"], m["p95"]
                );
                d.insert("median_hours".into(), Value::Table(m));
                shown
            } else {
                ln.median().to_string()
            };
            holder.insert("duration".into(), Value::Table(d));
            u.filled.push((
                "duration".into(),
                format!(
                    "{{ dist = \"lognormal\", median_hours = {median}, p95_hours = {} }}",
                    ln.p95()
                ),
            ));
        } else {
            problems.push(Problem {
                place,
                message: format!(
                    "catalogue class \"{class_id}\" has no fitted duration ({} published); give duration = {{ ... }} here (docs/scenario-format.md)",
                    fit.durations.len()
                ),
            });
            continue;
        }
        used.push(u);
    }
    if problems.is_empty() {
        Ok(used)
    } else {
        Err(ScenarioError {
            file: label.to_string(),
            problems,
        })
    }
}

/// What `fateshare validate` prints about the catalogue: nothing when no
/// entry uses it, else one line per entry with the fields it took.
pub fn describe(used: &[Used]) -> String {
    if used.is_empty() {
        return String::new();
    }
    let (version, sha) = identity();
    let mut out = format!(
        "from the incident catalogue {version} (sha256 {}…; `fateshare catalogue show CLASS` lists the incidents):\n",
        &sha[..12]
    );
    for u in used {
        let filled: Vec<String> = u.filled.iter().map(|(f, v)| format!("{f} = {v}")).collect();
        out += &format!("  {} use = \"{}\": {}", u.place, u.class, filled.join(", "));
        if !u.overridden.is_empty() {
            out += &format!(" (given here instead: {})", u.overridden.join(", "));
        }
        out += "\n";
    }
    out
}

/// `per_year = { incidents = k, years = T }`: the class's Gamma posterior.
fn uncertain_rate(fit: &ClassFit) -> Table {
    let mut t = Table::new();
    t.insert(
        "incidents".into(),
        Value::Integer(fit.rate.events.min(i64::MAX as u64) as i64),
    );
    t.insert("years".into(), Value::Float(fit.rate.exposure_years));
    t
}

/// The fitted median's uncertainty as a lognormal: median exp(μ̂), p95
/// exp(μ̂ + 1.645·σ̂/√n) (the asymptotic normal law of μ̂).
fn uncertain_median(ln: &super::fit::LognormalFit) -> Table {
    let mut t = Table::new();
    t.insert("dist".into(), Value::String("lognormal".into()));
    t.insert("median".into(), Value::Float(ln.median()));
    t.insert(
        "p95".into(),
        Value::Float((ln.mu + super::special::Z95 * ln.se_mu()).exp()),
    );
    t
}
