//! The redundancy audit (`templates/redundancy-audit.html`): every
//! redundancy whose branches share outage sources, worst first, from
//! `independence.csv`.

use super::{from, pct, trials_seed, From};
use crate::fmtnum::hours;
use crate::model::Mode;
use crate::report::analyses::Redundancy;
use crate::report::html::{Page, Section};
use crate::report::templates;
use serde::Serialize;

/// Redundancies described in words, and rows of the audit table.
const WORST: usize = 3;
const MAX_ROWS: usize = 12;

/// Redundancies whose branches share outage sources.
pub struct RedundancyAudit;

/// "2-of-3 quorum over", "failover across", "any of", from the scenario.
fn mode_words(page: &Page, r: &Redundancy) -> String {
    let comp = page
        .report
        .model
        .components
        .iter()
        .find(|c| c.id == r.component);
    match comp.map(|c| c.mode) {
        Some(Mode::Quorum(k)) => format!("{k}-of-{} quorum over", r.branches.len()),
        Some(Mode::Failover { .. }) => "failover across".into(),
        Some(Mode::Any) => "any of".into(),
        _ => format!("{} over", r.mode),
    }
}

/// Worst first: by the share of down time the shared sources explain,
/// then by branch overlap, then by id.
fn worst_first(rows: &[Redundancy]) -> Vec<&Redundancy> {
    let share = |r: &Redundancy| {
        if r.shared_downtime_share.is_finite() {
            r.shared_downtime_share
        } else {
            -1.0
        }
    };
    let mut v: Vec<&Redundancy> = rows.iter().collect();
    v.sort_by(|x, y| {
        x.shared_sources
            .is_empty()
            .cmp(&y.shared_sources.is_empty())
            .then(share(y).total_cmp(&share(x)))
            .then(y.jaccard.total_cmp(&x.jaccard))
            .then(x.component.cmp(&y.component))
    });
    v
}

#[derive(Serialize)]
struct Row<'a> {
    component: &'a str,
    mode: String,
    branches: &'a [String],
    shared_sources: &'a [String],
    single_points: &'a [String],
    down: String,
    share: String,
    /// The share restored, when the redundancy was ever down.
    restored: Option<String>,
    pair: Option<&'a [String]>,
    overlap: String,
}

#[derive(Serialize)]
struct Context<'a> {
    worst: Vec<Row<'a>>,
    rows: Vec<Row<'a>>,
    more: usize,
    from: Option<From>,
}

impl Section for RedundancyAudit {
    fn id(&self) -> &'static str {
        "redundancy-audit"
    }
    fn title(&self) -> &'static str {
        "Redundancy audit"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.independence.is_some()
    }
    fn render<'a>(&self, page: &'a Page, out: &mut String) {
        let Some(t) = &page.data.analyses.independence else {
            return;
        };
        let row = |r: &'a Redundancy| -> Row<'a> {
            Row {
                component: &r.component,
                mode: mode_words(page, r),
                branches: &r.branches,
                shared_sources: &r.shared_sources,
                single_points: &r.single_points,
                down: hours(r.downtime_hours),
                share: pct(r.shared_downtime_share),
                restored: (r.downtime_hours > 0.0 && r.shared_downtime_share.is_finite())
                    .then(|| pct(r.shared_downtime_share)),
                pair: (r.jaccard_pair.len() == 2).then_some(&r.jaccard_pair[..]),
                overlap: pct(r.jaccard),
            }
        };
        let sorted = worst_first(&t.rows);
        let worst = sorted
            .iter()
            .filter(|r| !r.shared_sources.is_empty())
            .take(WORST)
            .map(|r| row(r))
            .collect();
        let rows = sorted.iter().take(MAX_ROWS).map(|r| row(r)).collect();
        let settings = if t.rows.is_empty() {
            String::new()
        } else {
            format!(" ({})", trials_seed(&t.origin))
        };
        out.push_str(&templates::render(
            "redundancy-audit.html",
            Context {
                worst,
                rows,
                more: sorted.len().saturating_sub(MAX_ROWS),
                from: from(&[&t.origin], settings),
            },
        ));
    }
}
