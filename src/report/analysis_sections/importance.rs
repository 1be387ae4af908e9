//! "What takes each design down" (`templates/what-takes-it-down.html`): per
//! design its single points of failure (or smallest risk groups, from
//! `risk_groups.csv`) and the outage sources whose removal would avoid the
//! most (`importance.csv`).

use super::{archs_in, from, pct, trials_seed, From, MAX_ARCHS, TOP};
use crate::fmtnum::{hours, money, sig};
use crate::report::analyses::{Importance, RiskGroup};
use crate::report::html::{Page, Section};
use crate::report::templates;
use serde::Serialize;

/// Where the design's down time and loss come from; single points of failure.
pub struct WhatTakesItDown;

#[derive(Serialize)]
struct Listed<'a> {
    sources: &'a [String],
    share: Option<String>,
}

/// The smallest risk groups of one design.
#[derive(Serialize)]
struct Groups<'a> {
    /// Sources in each of the smallest groups (1: single points of failure).
    size: usize,
    /// How many groups of that size.
    count: usize,
    listed: Vec<Listed<'a>>,
    rest: usize,
}

#[derive(Serialize)]
struct Row<'a> {
    rank: usize,
    source: &'a str,
    own: bool,
    loss_avoided: String,
    downtime_avoided: String,
    fv: String,
    birnbaum: String,
    raw: String,
}

#[derive(Serialize)]
struct Arch<'a> {
    id: &'a str,
    groups: Option<Groups<'a>>,
    loss: bool,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Context<'a> {
    archs: Vec<Arch<'a>>,
    more: usize,
    from: Option<From>,
}

/// The smallest risk groups of `arch`, most often seen first.
fn groups<'a>(arch: &str, rows: &'a [RiskGroup]) -> Groups<'a> {
    let mut groups: Vec<&RiskGroup> = rows.iter().filter(|g| g.architecture == arch).collect();
    let share = |g: &RiskGroup| {
        if g.observed_share.is_finite() {
            g.observed_share
        } else {
            -1.0
        }
    };
    groups.sort_by(|x, y| {
        x.size
            .cmp(&y.size)
            .then(share(y).total_cmp(&share(x)))
            .then(x.sources.cmp(&y.sources))
    });
    let size = groups.first().map_or(0, |g| g.size);
    let smallest: Vec<&RiskGroup> = groups.into_iter().filter(|g| g.size == size).collect();
    let listed: Vec<Listed> = smallest
        .iter()
        .take(8)
        .map(|g| Listed {
            sources: &g.sources,
            share: g.observed_share.is_finite().then(|| pct(g.observed_share)),
        })
        .collect();
    Groups {
        size,
        count: smallest.len(),
        rest: smallest.len() - listed.len(),
        listed,
    }
}

impl Section for WhatTakesItDown {
    fn id(&self) -> &'static str {
        "what-takes-it-down"
    }
    fn title(&self) -> &'static str {
        "What takes each design down"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.importance.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let a = &page.data.analyses;
        let Some(imp) = &a.importance else {
            return;
        };
        let (ids, more) = archs_in(
            page,
            |id| imp.rows.iter().any(|r| r.architecture == id),
            MAX_ARCHS,
        );
        let archs = ids
            .into_iter()
            .map(|arch| {
                let mut rows: Vec<&Importance> = imp
                    .rows
                    .iter()
                    .filter(|r| r.architecture == arch)
                    .filter(|r| {
                        r.downtime_avoided_hours > 0.0 || r.loss_avoided.is_some_and(|l| l > 0.0)
                    })
                    .collect();
                rows.sort_by_key(|r| r.rank);
                rows.truncate(TOP);
                Arch {
                    id: arch,
                    groups: a.risk_groups.as_ref().map(|rg| groups(arch, &rg.rows)),
                    loss: rows.iter().any(|r| r.loss_avoided.is_some()),
                    rows: rows
                        .into_iter()
                        .map(|r| Row {
                            rank: r.rank,
                            source: &r.source,
                            own: r.source_kind == "own",
                            loss_avoided: r.loss_avoided.map_or("–".into(), money),
                            downtime_avoided: hours(r.downtime_avoided_hours),
                            fv: pct(r.fussell_vesely),
                            birnbaum: if r.birnbaum.is_finite() {
                                sig(r.birnbaum, 3)
                            } else {
                                "–".into()
                            },
                            raw: if r.risk_achievement_ratio.is_finite() {
                                format!("×{}", sig(r.risk_achievement_ratio, 3))
                            } else {
                                "–".into()
                            },
                        })
                        .collect(),
                }
            })
            .collect();
        let mut origins = vec![&imp.origin];
        if let Some(rg) = &a.risk_groups {
            origins.push(&rg.origin);
        }
        let from = from(
            &origins,
            format!(
                " ({}: the run's own sampled years)",
                trials_seed(&imp.origin)
            ),
        );
        out.push_str(&templates::render(
            "what-takes-it-down.html",
            Context { archs, more, from },
        ));
    }
}
