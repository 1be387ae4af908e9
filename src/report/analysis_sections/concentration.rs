//! Concentration by provider and jurisdiction
//! (`templates/concentration.html`), from `concentration.csv`: what each
//! design cannot run without, and the share of each design's down time each
//! provider was involved in (down with it) and responsible for (sparing it
//! would have avoided).

use super::{archs_in, from, pct, trials_seed, From, MAX_ARCHS, MAX_COLUMNS};
use crate::report::analyses::Concentration as Row;
use crate::report::html::{Page, Section};
use crate::report::templates;
use serde::Serialize;

/// Providers and jurisdictions each design depends on.
pub struct Concentration;

const KINDS: [&str; 2] = ["provider", "jurisdiction"];

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    involved: String,
    responsible: String,
}

#[derive(Serialize)]
struct Part<'a> {
    kind: &'static str,
    items: Vec<Named<'a>>,
}

#[derive(Serialize)]
struct Arch<'a> {
    id: &'a str,
    /// What it cannot run without, by kind.
    parts: Vec<Part<'a>>,
}

#[derive(Serialize)]
struct Cell {
    critical: bool,
    involved: String,
    responsible: String,
    involved_loss: Option<String>,
    responsible_loss: Option<String>,
}

#[derive(Serialize)]
struct TableRow<'a> {
    name: &'a str,
    connected: &'a [String],
    cells: Vec<Option<Cell>>,
}

#[derive(Serialize)]
struct Table<'a> {
    kind: &'static str,
    rows: Vec<TableRow<'a>>,
}

#[derive(Serialize)]
struct Context<'a> {
    archs: Vec<Arch<'a>>,
    more: usize,
    columns: Vec<&'a str>,
    more_columns: usize,
    tables: Vec<Table<'a>>,
    from: Option<From>,
}

impl Section for Concentration {
    fn id(&self) -> &'static str {
        "concentration"
    }
    fn title(&self) -> &'static str {
        "Concentration by provider and jurisdiction"
    }
    fn summary(&self, _page: &Page) -> String {
        "What each design cannot run without, and the share of its down time each provider and jurisdiction was involved in and responsible for.".into()
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.concentration.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(t) = &page.data.analyses.concentration else {
            return;
        };
        let has = |id: &str| t.rows.iter().any(|r| r.architecture == id);
        let (ids, more) = archs_in(page, has, MAX_ARCHS);
        let archs = ids
            .into_iter()
            .map(|arch| Arch {
                id: arch,
                parts: KINDS
                    .into_iter()
                    .filter_map(|kind| {
                        let mut critical: Vec<&Row> = t
                            .rows
                            .iter()
                            .filter(|r| {
                                r.architecture == arch
                                    && r.kind == kind
                                    && r.in_design
                                    && !r.substitutable
                            })
                            .collect();
                        critical.sort_by(|x, y| {
                            y.involved_share
                                .total_cmp(&x.involved_share)
                                .then(y.responsible_share.total_cmp(&x.responsible_share))
                        });
                        (!critical.is_empty()).then(|| Part {
                            kind,
                            items: critical
                                .into_iter()
                                .map(|r| Named {
                                    name: &r.name,
                                    involved: pct(r.involved_share),
                                    responsible: pct(r.responsible_share),
                                })
                                .collect(),
                        })
                    })
                    .collect(),
            })
            .collect();
        let (columns, more_columns) = archs_in(page, has, MAX_COLUMNS);
        let tables = KINDS
            .into_iter()
            .filter_map(|kind| {
                let mut names: Vec<&Row> = Vec::new();
                for r in t.rows.iter().filter(|r| r.kind == kind) {
                    if !names.iter().any(|n| n.name == r.name) {
                        names.push(r);
                    }
                }
                (!names.is_empty()).then(|| Table {
                    kind,
                    rows: names
                        .into_iter()
                        .map(|first| TableRow {
                            name: &first.name,
                            connected: &first.closely_connected,
                            cells: columns
                                .iter()
                                .map(|c| {
                                    t.rows
                                        .iter()
                                        .find(|r| {
                                            r.kind == kind
                                                && r.name == first.name
                                                && r.architecture == *c
                                        })
                                        .filter(|r| r.in_design)
                                        .map(|r| Cell {
                                            critical: !r.substitutable,
                                            involved: pct(r.involved_share),
                                            responsible: pct(r.responsible_share),
                                            involved_loss: r.involved_loss_share.map(pct),
                                            responsible_loss: r.responsible_loss_share.map(pct),
                                        })
                                })
                                .collect(),
                        })
                        .collect(),
                })
            })
            .collect();
        let settings = if t.rows.is_empty() {
            String::new()
        } else {
            format!(" ({})", trials_seed(&t.origin))
        };
        out.push_str(&templates::render(
            "concentration.html",
            Context {
                archs,
                more,
                columns,
                more_columns,
                tables,
                from: from(&[&t.origin], settings),
            },
        ));
    }
}
