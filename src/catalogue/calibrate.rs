//! Fitting a user's own incident history (`fateshare calibrate`): a CSV of
//! incidents (start, end, component or cause, optional severity) grouped by
//! component or cause, each group fitted like a catalogue class (Gamma
//! posterior rate, lognormal durations) over the observation window.

use super::fit::{LognormalFit, RatePosterior};
use crate::scenario::{Problem, ScenarioError};
use std::collections::BTreeMap;

/// One group of incidents (one component or cause) and its fit.
#[derive(Debug, Clone)]
pub struct Group {
    /// `component` or `cause`: the CSV column the name came from.
    pub kind: &'static str,
    pub name: String,
    pub rate: RatePosterior,
    /// Durations in hours, ascending.
    pub durations: Vec<f64>,
    pub duration: Option<LognormalFit>,
    pub severities: Vec<f64>,
}

/// The whole history.
#[derive(Debug, Clone)]
pub struct History {
    pub incidents: usize,
    /// Observation window in years (given, or the span of the data).
    pub years: f64,
    /// Whether `years` is the span of the data (no --years given).
    pub years_from_data: bool,
    pub groups: Vec<Group>,
}

/// Hours since 1970-01-01T00:00 UTC of `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`,
/// `YYYY-MM-DD HH:MM` (seconds and a trailing `Z` allowed).
pub fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let d = super::parse_date(date)?;
    let mut hours = 0.0;
    if let Some(t) = time {
        let parts: Vec<&str> = t.split(':').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
            return None;
        }
        let h: u32 = parts[0].parse().ok()?;
        let m: u32 = parts[1].parse().ok()?;
        let sec: u32 = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
        if h > 23 || m > 59 || sec > 59 {
            return None;
        }
        hours = h as f64 + m as f64 / 60.0 + sec as f64 / 3600.0;
    }
    Some(days_from_civil(d.year as i64, d.month as i64, d.day as i64) as f64 * 24.0 + hours)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads and fits a history. `label` names the file in messages; `years`
/// is the observation window (default: from the first start to the last end).
pub fn fit(text: &str, label: &str, years: Option<f64>) -> Result<History, ScenarioError> {
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(ScenarioError::single(label, "line 1", format!("cannot read the header ({e}); the first line must be start,end,component (or cause)[,severity]")));
        }
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (start_col, end_col) = (col("start"), col("end"));
    let (name_col, kind) = match (col("component"), col("cause")) {
        (Some(c), None) => (Some(c), "component"),
        (None, Some(c)) => (Some(c), "cause"),
        (Some(_), Some(_)) => {
            push(&mut problems, "line 1".into(), "the header has both component and cause; give one of them (split the file by kind)".into());
            (None, "component")
        }
        (None, None) => (None, "component"),
    };
    for (needed, c) in [("start", start_col), ("end", end_col)] {
        if c.is_none() {
            push(&mut problems, "line 1".into(), format!("the header has no {needed} column; the first line must be start,end,component (or cause)[,severity]"));
        }
    }
    if name_col.is_none() && !header.iter().any(|h| h == "component" || h == "cause") {
        push(
            &mut problems,
            "line 1".into(),
            "the header has no component or cause column; name what failed in one of them".into(),
        );
    }
    let severity_col = col("severity");
    for h in &header {
        if !["start", "end", "component", "cause", "severity"].contains(&h.as_str()) {
            push(&mut problems, "line 1".into(), format!("unknown column \"{h}\"; the columns are start, end, component or cause, and optional severity"));
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError {
            file: label.into(),
            problems,
        });
    }
    let (start_col, end_col, name_col) = (start_col.unwrap(), end_col.unwrap(), name_col.unwrap());
    let mut rows: Vec<(String, f64, f64, Option<f64>)> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let place = format!("line {}", i + 2);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                push(
                    &mut problems,
                    place,
                    format!(
                        "cannot read the row ({e}); every row needs {} fields",
                        header.len()
                    ),
                );
                continue;
            }
        };
        let name = rec.get(name_col).unwrap_or("").to_string();
        if name.is_empty() {
            push(
                &mut problems,
                place.clone(),
                format!("{kind} is empty; name the {kind} that failed"),
            );
        }
        let time = |c: usize, field: &str, problems: &mut Vec<Problem>| {
            let v = rec.get(c).unwrap_or("");
            let t = parse_time(v);
            if t.is_none() {
                push(problems, place.clone(), format!("{field} \"{v}\" is not a UTC time; write YYYY-MM-DDTHH:MMZ (or YYYY-MM-DD HH:MM)"));
            }
            t
        };
        let start = time(start_col, "start", &mut problems);
        let end = time(end_col, "end", &mut problems);
        let severity = match severity_col.map(|c| rec.get(c).unwrap_or("")) {
            None | Some("") => None,
            Some(v) => match v.parse::<f64>() {
                Ok(x) if (0.0..=1.0).contains(&x) => Some(x),
                _ => {
                    push(&mut problems, place.clone(), format!("severity \"{v}\" is not a fraction in [0, 1]; give the share affected (0.4 for 40%) or leave it empty"));
                    None
                }
            },
        };
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                push(
                    &mut problems,
                    place.clone(),
                    "end is not after start; give the time of full recovery".into(),
                );
            } else if !name.is_empty() {
                rows.push((name, s, e, severity));
            }
        }
    }
    if rows.is_empty() && problems.is_empty() {
        push(
            &mut problems,
            String::new(),
            "no incidents; give one row per incident after the header".into(),
        );
    }
    let span_years = if rows.is_empty() {
        0.0
    } else {
        let first = rows.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        let last = rows.iter().map(|r| r.2).fold(f64::NEG_INFINITY, f64::max);
        (last - first) / crate::model::HOURS_PER_YEAR
    };
    if let Some(y) = years {
        if !(y.is_finite() && y > 0.0) {
            push(
                &mut problems,
                "--years".into(),
                format!("--years is {y}; give the observation window in years, greater than 0"),
            );
        } else if y < span_years * (1.0 - 1e-9) {
            push(&mut problems, "--years".into(), format!("--years {y} is shorter than the incidents' span ({span_years:.3} years); give the whole window the history covers"));
        }
    }
    if !problems.is_empty() {
        return Err(ScenarioError {
            file: label.into(),
            problems,
        });
    }
    let years_used = years.unwrap_or(span_years);
    if years_used <= 0.0 {
        return Err(ScenarioError::single(
            label,
            "--years",
            "the incidents span no time; give the observation window with --years",
        ));
    }
    let mut by_name: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (name, s, e, sev) in &rows {
        let g = by_name.entry(name.clone()).or_default();
        g.0.push(e - s);
        g.1.extend(sev);
    }
    let groups = by_name
        .into_iter()
        .map(|(name, (mut durations, severities))| {
            durations.sort_by(f64::total_cmp);
            Group {
                kind,
                name,
                rate: RatePosterior::new(durations.len() as u64, years_used),
                duration: LognormalFit::fit(&durations),
                durations,
                severities,
            }
        })
        .collect();
    Ok(History {
        incidents: rows.len(),
        years: years_used,
        years_from_data: years.is_none(),
        groups,
    })
}

fn push(problems: &mut Vec<Problem>, place: String, message: String) {
    problems.push(Problem { place, message });
}
