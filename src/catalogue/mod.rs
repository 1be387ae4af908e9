//! The incident catalogue: public provider incidents, each with its source,
//! grouped into cause classes with the window they were counted over
//! (`catalogue/` in the repository, built into the binary), and the rates and
//! durations fitted from them ([`fit`]). docs/catalogue.md describes the files
//! and every class.

pub mod calibrate;
pub mod chart;
pub mod fit;
pub mod format;
pub mod scenario;
pub mod sha256;
pub mod special;

use crate::scenario::{Problem, ScenarioError};
use format::{ClassSpec, ClassesFile, IncidentSpec, IncidentsFile};
use std::collections::HashMap;
use std::path::Path;

/// The catalogue shipped in the repository's `catalogue/` folder.
pub const BUNDLED_CLASSES: &str = include_str!("../../catalogue/classes.toml");
pub const BUNDLED_INCIDENTS: &str = include_str!("../../catalogue/incidents.toml");

/// A calendar date (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A checked class.
#[derive(Debug, Clone)]
pub struct Class {
    pub spec: ClassSpec,
    pub from: Date,
    pub to: Date,
}

/// A checked incident.
#[derive(Debug, Clone)]
pub struct Incident {
    pub spec: IncidentSpec,
    pub date: Date,
}

/// A checked catalogue: classes in file order, incidents in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub version: String,
    pub classes: Vec<Class>,
    pub incidents: Vec<Incident>,
}

impl Catalogue {
    /// The catalogue built into the binary.
    pub fn bundled() -> Result<Catalogue, ScenarioError> {
        Catalogue::from_text(
            BUNDLED_CLASSES,
            "catalogue/classes.toml",
            BUNDLED_INCIDENTS,
            "catalogue/incidents.toml",
        )
    }

    /// Reads `classes.toml` and `incidents.toml` from a folder.
    pub fn load(dir: &Path) -> Result<Catalogue, ScenarioError> {
        let read = |name: &str| {
            let path = dir.join(name);
            let label = path.display().to_string();
            std::fs::read_to_string(&path)
                .map(|t| (t, label.clone()))
                .map_err(|e| {
                    ScenarioError::single(
                        &label,
                        "",
                        format!("cannot read the catalogue file ({e}); give a folder holding classes.toml and incidents.toml"),
                    )
                })
        };
        let (classes, cl) = read("classes.toml")?;
        let (incidents, il) = read("incidents.toml")?;
        Catalogue::from_text(&classes, &cl, &incidents, &il)
    }

    /// Parses and checks the two files' text; labels name them in messages.
    pub fn from_text(
        classes: &str,
        classes_label: &str,
        incidents: &str,
        incidents_label: &str,
    ) -> Result<Catalogue, ScenarioError> {
        let cf: ClassesFile = parse_toml(classes, classes_label)?;
        let inf: IncidentsFile = parse_toml(incidents, incidents_label)?;
        check(cf, classes_label, inf, incidents_label)
    }

    /// The class with this id.
    pub fn class(&self, id: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.spec.id == id)
    }

    /// The incidents of a class, in file order.
    pub fn incidents_of<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a Incident> + 'a {
        self.incidents.iter().filter(move |i| i.spec.class == class)
    }

    /// "unknown class X; did you mean Y?" for an id that is not a class.
    pub fn unknown_class_message(&self, id: &str) -> String {
        let near = self
            .classes
            .iter()
            .map(|c| {
                (
                    crate::scenario::validate::distance(&c.spec.id, id),
                    &c.spec.id,
                )
            })
            .min_by_key(|(d, _)| *d)
            .filter(|(d, _)| *d <= 4);
        match near {
            Some((_, k)) => format!("unknown catalogue class \"{id}\"; did you mean \"{k}\"? (`fateshare catalogue` lists them)"),
            None => format!("unknown catalogue class \"{id}\"; `fateshare catalogue` lists the classes"),
        }
    }
}

fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, label: &str) -> Result<T, ScenarioError> {
    toml::from_str::<T>(text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}")
            })
            .unwrap_or_default();
        let message = e.message().trim().replace('\n', " ");
        ScenarioError::single(
            label,
            place,
            format!("{message}; docs/catalogue.md lists the fields and their types"),
        )
    })
}

/// Parses `YYYY-MM-DD`, optionally followed by `THH:MMZ`.
pub fn parse_date(s: &str) -> Option<Date> {
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return None;
    }
    let year: i32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let day: u32 = parts[2].parse().ok()?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days {
        return None;
    }
    if let Some(t) = time {
        let t = t.strip_suffix('Z')?;
        let (h, m) = t.split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        if t.len() != 5 || h > 23 || m > 59 {
            return None;
        }
    }
    Some(Date { year, month, day })
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
}

/// Every problem in the two files, each in the file it belongs to.
fn check(
    cf: ClassesFile,
    classes_label: &str,
    inf: IncidentsFile,
    incidents_label: &str,
) -> Result<Catalogue, ScenarioError> {
    let mut cp: Vec<Problem> = Vec::new();
    let add =
        |v: &mut Vec<Problem>, place: String, message: String| v.push(Problem { place, message });
    if cf.version.trim().is_empty() {
        add(
            &mut cp,
            "version".into(),
            "version is empty; give the catalogue's version, e.g. version = \"2026.11.28\"".into(),
        );
    }
    if cf.classes.is_empty() {
        add(
            &mut cp,
            String::new(),
            "no [[class]] entries; add at least one".into(),
        );
    }
    let mut classes = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for c in &cf.classes {
        let place = format!("class \"{}\"", c.id);
        if !valid_id(&c.id) {
            add(
                &mut cp,
                place.clone(),
                "id must match [a-z0-9][a-z0-9_.-]*".into(),
            );
        }
        if seen.insert(&c.id, ()).is_some() {
            add(
                &mut cp,
                place.clone(),
                "id is already used by another class; ids must be unique".into(),
            );
        }
        if c.providers.is_empty() {
            add(
                &mut cp,
                place.clone(),
                "providers is empty; list the providers watched, or [\"any\"]".into(),
            );
        }
        for (field, v) in [
            ("title", &c.title),
            ("unit", &c.unit),
            ("scope", &c.scope),
            ("counting", &c.counting),
        ] {
            if v.trim().is_empty() {
                add(
                    &mut cp,
                    place.clone(),
                    format!("{field} is empty; describe it (docs/catalogue.md)"),
                );
            }
        }
        if !(c.exposure_years.is_finite() && c.exposure_years > 0.0) {
            add(&mut cp, place.clone(), format!("exposure_years is {}; give the years observed (window length times units), greater than 0", c.exposure_years));
        }
        let from = parse_date(&c.from);
        let to = parse_date(&c.to);
        for (field, v, d) in [("from", &c.from, from), ("to", &c.to, to)] {
            if d.is_none() {
                add(
                    &mut cp,
                    place.clone(),
                    format!("{field} = \"{v}\" is not a date; write YYYY-MM-DD"),
                );
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                add(
                    &mut cp,
                    place.clone(),
                    format!(
                        "window from {} to {} is empty; `to` must be after `from`",
                        c.from, c.to
                    ),
                );
            }
            classes.push(Class {
                spec: c.clone(),
                from: f,
                to: t,
            });
        }
    }

    let mut ip: Vec<Problem> = Vec::new();
    let mut incidents = Vec::new();
    let mut ids: HashMap<&str, ()> = HashMap::new();
    let class_of: HashMap<&str, &Class> = classes.iter().map(|c| (c.spec.id.as_str(), c)).collect();
    for i in &inf.incidents {
        let place = format!("incident \"{}\"", i.id);
        if !valid_id(&i.id) {
            add(
                &mut ip,
                place.clone(),
                "id must match [a-z0-9][a-z0-9_.-]*".into(),
            );
        }
        if ids.insert(&i.id, ()).is_some() {
            add(
                &mut ip,
                place.clone(),
                "id is already used by another incident; ids must be unique".into(),
            );
        }
        if !i.source.starts_with("https://") {
            add(&mut ip, place.clone(), format!("source \"{}\" is not a public https:// address; give the postmortem or status-page address", i.source));
        }
        for (field, v) in [
            ("provider", &i.provider),
            ("service", &i.service),
            ("scope", &i.scope),
            ("shared_cause", &i.shared_cause),
        ] {
            if v.trim().is_empty() {
                add(
                    &mut ip,
                    place.clone(),
                    format!("{field} is empty; fill it in from the source"),
                );
            }
        }
        if let Some(h) = i.duration_hours {
            if !(h.is_finite() && h > 0.0) {
                add(&mut ip, place.clone(), format!("duration_hours is {h}; give hours from start to full recovery (> 0), or leave it out"));
            }
        }
        if let Some(s) = i.share_affected {
            if !(s > 0.0 && s <= 1.0) {
                add(
                    &mut ip,
                    place.clone(),
                    format!("share_affected is {s}; give a fraction in (0, 1], e.g. 0.85 for 85%"),
                );
            }
        }
        let date = parse_date(&i.start);
        if date.is_none() {
            add(
                &mut ip,
                place.clone(),
                format!(
                    "start = \"{}\" is not a UTC time; write YYYY-MM-DD or YYYY-MM-DDTHH:MMZ",
                    i.start
                ),
            );
        }
        match class_of.get(i.class.as_str()) {
            None => {
                let near = classes
                    .iter()
                    .map(|c| {
                        (
                            crate::scenario::validate::distance(&c.spec.id, &i.class),
                            &c.spec.id,
                        )
                    })
                    .min_by_key(|(d, _)| *d)
                    .filter(|(d, _)| *d <= 4)
                    .map(|(_, k)| format!("; did you mean \"{k}\"?"))
                    .unwrap_or_else(|| "; declare it in classes.toml".into());
                add(
                    &mut ip,
                    place.clone(),
                    format!("class \"{}\" is not in classes.toml{near}", i.class),
                );
            }
            Some(c) => {
                if !c
                    .spec
                    .providers
                    .iter()
                    .any(|p| p == "any" || p == &i.provider)
                {
                    add(&mut ip, place.clone(), format!("provider \"{}\" is not among class \"{}\"'s providers ({}); add it there (and its exposure) or fix the class", i.provider, c.spec.id, c.spec.providers.join(", ")));
                }
                if let Some(d) = date {
                    if d < c.from || d >= c.to {
                        add(&mut ip, place.clone(), format!("start {} is outside class \"{}\"'s window [{}, {}); widen the window (and exposure_years) or fix the class", i.start, c.spec.id, c.spec.from, c.spec.to));
                    }
                }
            }
        }
        if let Some(date) = date {
            incidents.push(Incident {
                spec: i.clone(),
                date,
            });
        }
    }
    if !cp.is_empty() {
        return Err(ScenarioError {
            file: classes_label.into(),
            problems: cp,
        });
    }
    if !ip.is_empty() {
        return Err(ScenarioError {
            file: incidents_label.into(),
            problems: ip,
        });
    }
    Ok(Catalogue {
        version: cf.version,
        classes,
        incidents,
    })
}
