//! Finding and checking uncertain values in one scenario entry: which keys
//! may hold one, which distributions each kind of number takes, and the
//! messages (with the fix) when a value is malformed or its draws could
//! leave the valid range.

use super::{Kind, Param, Prior};
use crate::scenario::Problem;
use toml::{Table, Value};

/// Keys of a duration table that are numbers (times, or a Weibull's shape).
const DURATION_NUMBERS: [&str; 8] = [
    "hours",
    "mean_hours",
    "median_hours",
    "p95_hours",
    "scale_hours",
    "min_hours",
    "max_hours",
    "shape",
];

/// Keys of an entry that hold tables of their own (not uncertain values).
const STRUCTURE: [&str; 4] = ["duration", "severity", "hits", "outages"];

pub(super) struct Walk<'a> {
    pub table: &'static str,
    pub index: usize,
    pub place: String,
    pub prefix: String,
    pub found: &'a mut Vec<Param>,
    pub problems: &'a mut Vec<Problem>,
}

/// Whether a table is an uncertain value: counts (`incidents`/`years`,
/// `hits`/`of`), or a `dist` where the key takes no per-outage distribution.
fn looks_uncertain(t: &Table, dist_counts: bool) -> bool {
    ["incidents", "years", "of"]
        .iter()
        .any(|k| t.contains_key(*k))
        || (t.contains_key("hits") && !t.contains_key("p"))
        || (dist_counts && t.contains_key("dist"))
}

impl Walk<'_> {
    fn problem(&mut self, message: String) {
        self.problems.push(Problem {
            place: self.place.clone(),
            message,
        });
    }

    /// One `[[component]]` or `[[cause]]` table.
    pub fn entry(&mut self, entry: &mut Table) {
        self.holder(entry, &[]);
        if let Some(Value::Table(hits)) = entry.get_mut("hits") {
            let ids: Vec<String> = hits.keys().cloned().collect();
            for id in ids {
                let keys = vec!["hits".to_string(), id.clone()];
                let detailed =
                    matches!(hits.get(&id), Some(Value::Table(t)) if !looks_uncertain(t, true));
                if !detailed {
                    self.number(hits, &id, &keys, Kind::Probability, true);
                    continue;
                }
                let Some(Value::Table(t)) = hits.get_mut(&id) else {
                    continue;
                };
                let mut k = keys.clone();
                k.push("p".into());
                self.number(t, "p", &k, Kind::Probability, true);
                if let Some(sev) = t.get_mut("severity") {
                    k.pop();
                    k.push("severity".into());
                    self.severity(sev, &k);
                }
            }
        }
        if let Some(Value::Table(outages)) = entry.get_mut("outages") {
            self.holder(outages, &["outages".to_string()]);
        }
        self.unsupported(entry, "");
    }

    /// A table holding `per_year`, `duration` and `severity` (a cause, or a
    /// component's `outages`).
    fn holder(&mut self, holder: &mut Table, path: &[String]) {
        let at = |k: &str| {
            let mut p = path.to_vec();
            p.push(k.to_string());
            p
        };
        self.number(holder, "per_year", &at("per_year"), Kind::Rate, true);
        if let Some(Value::Table(d)) = holder.get_mut("duration") {
            let written_p95 = d.get("p95_hours").and_then(number);
            let before = self.found.len();
            for k in DURATION_NUMBERS {
                let mut keys = at("duration");
                keys.push(k.to_string());
                self.number(d, k, &keys, Kind::Positive, true);
            }
            let median = self.found[before..]
                .iter_mut()
                .find(|p| p.keys.last().is_some_and(|k| k == "median_hours"));
            if let (Some(m), Some(p95)) = (median, written_p95) {
                m.coupled_p95 = Some(p95);
            }
            if !path.is_empty() {
                self.unsupported(d, "outages.duration.");
            } else {
                self.unsupported(d, "duration.");
            }
        }
        if let Some(sev) = holder.get_mut("severity") {
            self.severity(sev, &at("severity"));
        }
        if !path.is_empty() {
            self.unsupported(holder, "outages.");
        }
    }

    /// `severity`: a share (a number or a counts table), or a per-outage
    /// distribution whose numbers may be uncertain.
    fn severity(&mut self, sev: &mut Value, keys: &[String]) {
        let Value::Table(t) = sev else { return };
        if looks_uncertain(t, false) {
            let parsed = parse_prior(t, Kind::Probability);
            self.record(sev, keys, Kind::Probability, parsed);
            return;
        }
        let Value::Table(t) = sev else { return };
        for (k, kind) in [
            ("value", Kind::Probability),
            ("min", Kind::Probability),
            ("max", Kind::Probability),
            ("alpha", Kind::Positive),
            ("beta", Kind::Positive),
        ] {
            let mut path = keys.to_vec();
            path.push(k.into());
            self.number(t, k, &path, kind, true);
        }
    }

    /// The number at `holder[key]`, if it is an uncertain value.
    fn number(&mut self, holder: &mut Table, key: &str, keys: &[String], kind: Kind, dist: bool) {
        let Some(v) = holder.get_mut(key) else { return };
        let Value::Table(t) = &*v else { return };
        if !looks_uncertain(t, dist) {
            return;
        }
        let parsed = parse_prior(t, kind);
        self.record(v, keys, kind, parsed);
    }

    fn record(
        &mut self,
        v: &mut Value,
        keys: &[String],
        kind: Kind,
        parsed: Result<Prior, String>,
    ) {
        let name = format!("{}.{}", self.prefix, keys.join("."));
        match parsed {
            Err(e) => self.problem(format!("{}: {e}", keys.join("."))),
            Ok(prior) => {
                let point = prior.mean();
                *v = Value::Float(point);
                self.found.push(Param {
                    table: self.table,
                    index: self.index,
                    keys: keys.to_vec(),
                    place: self.place.clone(),
                    name,
                    kind,
                    prior,
                    point,
                    coupled_p95: None,
                });
            }
        }
    }

    /// Uncertain values left where none is taken.
    fn unsupported(&mut self, t: &Table, prefix: &str) {
        for (k, v) in t {
            if let Value::Table(inner) = v {
                if !STRUCTURE.contains(&k.as_str()) && looks_uncertain(inner, true) {
                    self.problem(format!(
                        "{prefix}{k} is an uncertain value, which only per_year, hit probabilities, duration numbers and severities take; give a plain number (docs/scenario-format.md)"
                    ));
                }
            }
        }
    }
}

/// A TOML number as f64.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        _ => None,
    }
}

/// Checks an uncertain value's table and the range its draws can take.
pub(super) fn parse_prior(t: &Table, kind: Kind) -> Result<Prior, String> {
    let get = |k: &str| -> Result<f64, String> {
        match t.get(k) {
            None => Err(format!("{k} is missing; {}", forms(kind))),
            Some(v) => match number(v) {
                Some(x) if x.is_finite() => Ok(x),
                _ => Err(format!("{k} must be a finite number")),
            },
        }
    };
    let count = |k: &str| -> Result<u64, String> {
        let x = get(k)?;
        if x < 0.0 || x.fract() != 0.0 {
            Err(format!("{k} = {x}; it must be a whole number, 0 or more"))
        } else {
            Ok(x as u64)
        }
    };
    let only = |keys: &[&str]| -> Result<(), String> {
        match t.keys().find(|k| !keys.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "{k} does not belong here; this form takes {} only",
                keys.join(", ")
            )),
            None => Ok(()),
        }
    };
    let prior = if t.contains_key("incidents") || t.contains_key("years") {
        only(&["incidents", "years"])?;
        let incidents = count("incidents")?;
        let years = get("years")?;
        if years <= 0.0 {
            return Err(format!(
                "years = {years}; the observation window must be longer than 0 years"
            ));
        }
        Prior::Incidents { incidents, years }
    } else if t.contains_key("of") || t.contains_key("hits") {
        only(&["hits", "of"])?;
        let (hits, of) = (count("hits")?, count("of")?);
        if of == 0 {
            return Err("of = 0; count at least one incident of the cause".into());
        }
        if hits > of {
            return Err(format!(
                "hits = {hits} is more than of = {of}; hits counts the incidents among `of` that hit it"
            ));
        }
        Prior::Hits { hits, of }
    } else {
        let dist = t.get("dist").and_then(Value::as_str).unwrap_or("");
        match dist {
            "lognormal" => {
                only(&["dist", "median", "p95"])?;
                let (median, p95) = (get("median")?, get("p95")?);
                if median <= 0.0 || p95 <= median {
                    return Err(format!(
                        "median = {median}, p95 = {p95}; give 0 < median < p95"
                    ));
                }
                Prior::Lognormal { median, p95 }
            }
            "gamma" => {
                only(&["dist", "mean", "sd"])?;
                let (mean, sd) = (get("mean")?, get("sd")?);
                if mean <= 0.0 || sd <= 0.0 {
                    return Err(format!(
                        "mean = {mean}, sd = {sd}; both must be greater than 0"
                    ));
                }
                Prior::Gamma { mean, sd }
            }
            "uniform" => {
                only(&["dist", "min", "max"])?;
                let (min, max) = (get("min")?, get("max")?);
                if min >= max {
                    return Err(format!("min = {min}, max = {max}; give min < max"));
                }
                Prior::Uniform { min, max }
            }
            "beta" => {
                only(&["dist", "alpha", "beta"])?;
                let (alpha, beta) = (get("alpha")?, get("beta")?);
                if alpha <= 0.0 || beta <= 0.0 {
                    return Err(format!(
                        "alpha = {alpha}, beta = {beta}; both must be greater than 0"
                    ));
                }
                Prior::Beta { alpha, beta }
            }
            other => {
                return Err(format!(
                    "dist = \"{other}\" is not an uncertain-value distribution; {}",
                    forms(kind)
                ))
            }
        }
    };
    check_range(prior, kind)?;
    Ok(prior)
}

/// The forms a kind of number takes, for messages.
fn forms(kind: Kind) -> &'static str {
    match kind {
        Kind::Rate => "a rate takes { incidents = K, years = T }, or { dist = \"lognormal\", median, p95 }, \"gamma\" (mean, sd) or \"uniform\" (min, max)",
        Kind::Probability => "a probability takes { hits = H, of = N }, or { dist = \"beta\", alpha, beta } or \"uniform\" (min, max within 0 to 1)",
        Kind::Positive => "this number takes { dist = \"lognormal\", median, p95 }, \"gamma\" (mean, sd), \"uniform\" (min > 0, max) or \"beta\" (alpha, beta)",
    }
}

/// Refuses forms whose draws could leave the valid range of the number.
fn check_range(prior: Prior, kind: Kind) -> Result<(), String> {
    let (lo, hi) = prior.support();
    let wrong_form = matches!(
        (kind, prior),
        (Kind::Rate, Prior::Hits { .. })
            | (Kind::Positive, Prior::Hits { .. } | Prior::Incidents { .. })
            | (Kind::Probability, Prior::Incidents { .. })
    );
    if wrong_form {
        return Err(format!(
            "{} is not for this number; {}",
            prior.describe(),
            forms(kind)
        ));
    }
    match kind {
        Kind::Probability if hi > 1.0 => Err(format!(
            "{} can draw values above 1, and a probability must stay within 0 to 1; {}",
            prior.describe(),
            forms(kind)
        )),
        Kind::Probability | Kind::Rate if lo < 0.0 => Err(format!(
            "{} can draw values below 0; give min = 0 or more",
            prior.describe()
        )),
        Kind::Positive if lo <= 0.0 && matches!(prior, Prior::Uniform { .. }) => Err(format!(
            "{} can draw 0 or less, and this number must be greater than 0; give min > 0",
            prior.describe()
        )),
        _ => Ok(()),
    }
}
