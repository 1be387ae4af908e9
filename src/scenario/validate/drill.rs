//! Checks the `[[drill]]` tables (named what-ifs) and the ids a drill forces
//! down; `fateshare drill` uses the same checks for its flags.

use super::{distance, valid_id, Checker};
use crate::model::Drill;
use crate::scenario::format::ScenarioFile;
use std::collections::HashMap;

/// Checks the `[[drill]]` entries: ids, the causes/components they force, hours.
pub(super) fn drills(ck: &mut Checker, file: &ScenarioFile) -> Vec<Drill> {
    let mut ids: HashMap<&str, ()> = HashMap::new();
    let mut out = Vec::new();
    for d in &file.drills {
        let place = format!("drill \"{}\"", d.id);
        if !valid_id(&d.id) {
            ck.add(
                &place,
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if ids.insert(&d.id, ()).is_some() {
            ck.add(
                &place,
                "id is already used by another drill; ids must be unique",
            );
        }
        let names = ["causes", "hours", "at_hours"];
        for message in drill_problems(file, &d.causes, d.hours, d.at_hours, names) {
            ck.add(&place, message);
        }
        out.push(Drill {
            id: d.id.clone(),
            description: d.description.clone(),
            causes: d.causes.clone(),
            hours: d.hours,
            at_hours: d.at_hours,
            source: d.source.clone(),
            severity: 1.0,
        });
    }
    out
}

/// What is wrong with a drill: the ids it forces down (each a declared cause
/// or component, listed once), its length (> 0) and start (>= 0). `names`
/// are the words for these three in the messages: `["causes", "hours",
/// "at_hours"]` in a file, the flags on the command line.
pub fn drill_problems(
    file: &ScenarioFile,
    causes: &[String],
    hours: f64,
    at_hours: Option<f64>,
    names: [&str; 3],
) -> Vec<String> {
    let mut ck = Checker {
        problems: Vec::new(),
    };
    let [causes_name, hours_name, at_name] = names;
    if causes.is_empty() {
        ck.add(
            "",
            format!("{causes_name} is empty; list the causes or components to force down, e.g. [\"aws-us-east-1\"]"),
        );
    }
    for (i, id) in causes.iter().enumerate() {
        if causes[..i].contains(id) {
            ck.add(
                "",
                format!("{causes_name} lists \"{id}\" twice; list each once"),
            );
        } else if let Some(message) = unknown_cause_or_component(file, id) {
            ck.add("", format!("{causes_name} {message}"));
        }
    }
    ck.number("", hours_name, hours, true);
    if let Some(at) = at_hours {
        ck.number("", at_name, at, false);
    }
    ck.problems.into_iter().map(|p| p.message).collect()
}

/// `None` when `id` is a declared cause or component; otherwise the complaint
/// ("names unknown cause or component ..."), with a near spelling if there is one.
pub fn unknown_cause_or_component(file: &ScenarioFile, id: &str) -> Option<String> {
    let declared = file
        .components
        .iter()
        .map(|c| c.id.as_str())
        .chain(file.causes.iter().map(|c| c.id.as_str()));
    let mut near: Option<(usize, &str)> = None;
    for k in declared {
        if k == id {
            return None;
        }
        let d = distance(k, id);
        if d <= 2 && near.is_none_or(|best| (d, k) < best) {
            near = Some((d, k));
        }
    }
    Some(match near {
        Some((_, k)) => format!("names unknown cause or component \"{id}\"; did you mean \"{k}\"?"),
        None => format!(
            "names unknown cause or component \"{id}\"; name a [[cause]] or [[component]] id"
        ),
    })
}
