//! The sections of `report.html` drawn from the analysis tables in the
//! output folder ([`super::analyses`]), one module and one template each:
//! what takes each design down ([`importance`]: `importance.csv`,
//! `risk_groups.csv`), the redundancy audit ([`redundancy`]:
//! `independence.csv`), concentration by provider and jurisdiction
//! ([`concentration`]: `concentration.csv`), sensitivity ([`sensitivity`]:
//! `tornado.csv` with its chart, `sweep.csv`) and drills ([`drills`]:
//! `drills.csv`; [`rds`]: `rds.csv`). Each applies only when its table was loaded, and each is
//! kept short for paper: the first few architectures and rows, with the full
//! tables in the CSV files.

pub mod concentration;
pub mod drills;
pub mod importance;
pub mod rds;
pub mod redundancy;
pub mod sensitivity;

pub use concentration::Concentration;
pub use drills::Drills;
pub use importance::WhatTakesItDown;
pub use rds::Rds;
pub use redundancy::RedundancyAudit;
pub use sensitivity::Sensitivity;

use super::analyses::Origin;
use super::html::Page;
use crate::fmtnum::{sig, thousands};
use serde::Serialize;

/// Architectures shown per section (file order); the CSV files have all.
pub const MAX_ARCHS: usize = 8;
/// Architectures shown as columns of a table.
pub const MAX_COLUMNS: usize = 6;
/// Sources per architecture in the importance and tornado tables.
pub const TOP: usize = 5;

/// `12%`, `5.1%`, `0.52%`; `–` when undefined; never `100%` for a share
/// below 1 (`> 99%`).
fn pct(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = sig(100.0 * x, 2);
    if s == "100" && x < 1.0 {
        "> 99%".into()
    } else {
        format!("{s}%")
    }
}

/// The first `max` architectures of the scenario (file order) that have
/// rows in a table, and how many more there are.
fn archs_in<'a>(page: &'a Page, has: impl Fn(&str) -> bool, max: usize) -> (Vec<&'a str>, usize) {
    let all: Vec<&str> = page
        .report
        .model
        .architectures
        .iter()
        .map(|a| a.id.as_str())
        .filter(|id| has(id))
        .collect();
    let more = all.len().saturating_sub(max);
    (all.into_iter().take(max).collect(), more)
}

/// "From `a.csv` and `b.csv`, written by `command` (…)." (`_macros.html`).
#[derive(Serialize)]
struct From {
    files: Vec<String>,
    command: String,
    settings: String,
}

fn from(origins: &[&Origin], settings: String) -> Option<From> {
    let first = origins.first()?;
    Some(From {
        files: origins.iter().map(|o| o.file.to_string()).collect(),
        command: first.command.clone(),
        settings,
    })
}

fn trials_seed(o: &Origin) -> String {
    match (o.trials, o.seed) {
        (Some(t), Some(s)) => format!("{} trials, seed {s}", thousands(t as f64)),
        _ => String::new(),
    }
}
