//! Drills (`templates/drills.html`), from `drills.csv`: each forced incident
//! and what each design did; the latest `fateshare drill` result, then each
//! earlier one kept in `history/` ([`crate::report::history`]), newest first.

use super::{archs_in, from, From, MAX_ARCHS};
use crate::fmtnum::{hours, money, sig, thousands};
use crate::report::analyses::{DrillRow, Table};
use crate::report::html::{Page, Section};
use crate::report::templates;
use serde::Serialize;

/// Forced incidents and what each design did.
pub struct Drills;

#[derive(Serialize)]
struct Conditional {
    trials: String,
    seed: Option<u64>,
}

#[derive(Serialize)]
struct CondCells {
    p: String,
    with: String,
    without: String,
}

#[derive(Serialize)]
struct Row<'a> {
    architecture: &'a str,
    /// Down time, when it went down.
    down: Option<String>,
    loss: String,
    conditional: Option<CondCells>,
    path: &'a str,
    absorbed: &'a str,
}

#[derive(Serialize)]
struct Drill<'a> {
    id: &'a str,
    description: Option<&'a str>,
    forced: &'a [String],
    hours: String,
    at: Option<String>,
    source: &'a str,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Context<'a> {
    /// The invocation's name and whether it is the newest, when several are shown.
    heading: Option<String>,
    /// The explanation, once, above the first.
    first: bool,
    period: String,
    conditional: Option<Conditional>,
    drills: Vec<Drill<'a>>,
    more: usize,
    from: Option<From>,
}

impl Section for Drills {
    fn id(&self) -> &'static str {
        "drills"
    }
    fn title(&self) -> &'static str {
        "Drills"
    }
    fn summary(&self, _page: &Page) -> String {
        "Forced incidents and what each design did: down or up, for how long, at what cost, and the path.".into()
    }
    fn applies(&self, page: &Page) -> bool {
        let a = &page.data.analyses;
        a.drills.is_some() || !a.earlier.drills.is_empty()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let a = &page.data.analyses;
        let all: Vec<&Table<DrillRow>> = a.drills.iter().chain(&a.earlier.drills).collect();
        let several = all.len() > 1;
        for (k, t) in all.into_iter().enumerate() {
            let heading = several.then(|| {
                let name = t
                    .origin
                    .name
                    .clone()
                    .unwrap_or_else(|| t.origin.command.clone());
                if k == 0 {
                    format!("{name} (newest)")
                } else {
                    name
                }
            });
            render_one(page, t, heading, k == 0, out);
        }
    }
}

/// One `fateshare drill` result.
fn render_one(
    page: &Page,
    t: &Table<DrillRow>,
    heading: Option<String>,
    first: bool,
    out: &mut String,
) {
    {
        let conditional = t
            .rows
            .iter()
            .find_map(|r| r.conditional.as_ref())
            .map(|c| Conditional {
                trials: thousands(c.trials as f64),
                seed: t.origin.seed,
            });
        let mut ids: Vec<&str> = Vec::new();
        for r in &t.rows {
            if !ids.contains(&r.drill.as_str()) {
                ids.push(&r.drill);
            }
        }
        let (archs, more) = archs_in(
            page,
            |id| t.rows.iter().any(|r| r.architecture == id),
            MAX_ARCHS,
        );
        let model = page.report.model;
        let drills = ids
            .into_iter()
            .filter_map(|d| {
                let rows: Vec<_> = archs
                    .iter()
                    .filter_map(|a| t.rows.iter().find(|r| r.drill == d && r.architecture == *a))
                    .collect();
                let first = rows.first()?;
                Some(Drill {
                    id: d,
                    description: model
                        .drills
                        .iter()
                        .find(|x| x.id == d)
                        .and_then(|x| x.description.as_deref()),
                    forced: &first.forced,
                    hours: hours(first.hours),
                    at: (first.at_hours > 0.0).then(|| sig(first.at_hours, 4)),
                    source: &first.source,
                    rows: rows
                        .iter()
                        .map(|r| Row {
                            architecture: &r.architecture,
                            down: r.went_down.then(|| hours(r.downtime_hours)),
                            loss: r.loss.map_or("–".into(), money),
                            conditional: r.conditional.as_ref().map(|c| CondCells {
                                p: crate::fmtnum::probability(c.p_down_during_drill),
                                with: hours(c.downtime_hours_mean),
                                without: hours(c.baseline_downtime_hours_mean),
                            }),
                            path: &r.path,
                            absorbed: &r.absorbed,
                        })
                        .collect(),
                })
            })
            .collect();
        out.push_str(&templates::render(
            "drills.html",
            Context {
                heading,
                first,
                period: page.data.period(),
                conditional,
                drills,
                more,
                from: from(&[&t.origin], String::new()),
            },
        ));
    }
}
