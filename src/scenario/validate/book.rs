//! Checks the `[book]` table: the book's report settings (`top`), its
//! exposure file (compiled before validation, so a name left here means the
//! text came without its file) and the treaty event rule (`hours_clause`).

use super::Checker;
use crate::scenario::format::ScenarioFile;

/// `[book] hours_clause`, checked: hours > 0.
pub(super) fn hours_clause(ck: &mut Checker, file: &ScenarioFile) -> Option<f64> {
    let hours_clause = file.book.as_ref().and_then(|b| b.hours_clause);
    if let Some(h) = hours_clause {
        ck.number("[book]", "hours_clause", h, true);
    }
    hours_clause
}

/// `[book]`: how many insureds the report details; an exposure file left
/// in the text means it was not compiled (only `scenario::load` reads files).
pub(super) fn book(ck: &mut Checker, file: &ScenarioFile) -> Option<crate::model::Book> {
    let b = file.book.as_ref()?;
    if let Some(x) = &b.exposure {
        ck.add(
            "book",
            format!("exposure = \"{x}\" was not read: the scenario text was given without its file; load the scenario from its file"),
        );
    }
    let top = match b.top {
        None => 10,
        Some(t) if t >= 1 => t as usize,
        Some(t) => {
            ck.add(
                "book",
                format!("top = {t}; give how many insureds the report details (1 or more)"),
            );
            10
        }
    };
    Some(crate::model::Book { top })
}
