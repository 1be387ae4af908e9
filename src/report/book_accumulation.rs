//! The accumulation section of a book's page (`templates/book-accumulation.html`):
//! per provider, component (cloud region or service), jurisdiction, shared
//! cause and sector, the keys
//! with the largest share of the book's TVaR 99.5% allocated by co-TVaR, with
//! the limits exposed and the expected payout, from the rows of
//! `accumulation.csv` the page's
//! [`InsuranceFigures`](crate::insurance::figures::InsuranceFigures) carry.
//! Formulas: docs/insurance.md §16.

use super::html::{Page, Section};
use super::templates;
use crate::fmtnum::{money, probability};
use crate::insurance::accumulation::Row;
use serde::Serialize;

/// The dimensions shown, in order, with their headings.
const SHOWN: [(&str, &str); 5] = [
    ("provider", "provider"),
    (
        "component",
        "component (a cloud region or a provider's service)",
    ),
    ("jurisdiction", "jurisdiction"),
    ("cause", "shared cause"),
    ("sector", "sector"),
];

/// Keys shown per dimension.
pub const PER_DIMENSION: usize = 6;

/// Accumulation by provider, region, cause and sector.
pub struct Accumulation;

#[derive(Serialize)]
struct Line {
    portfolio: String,
    key: String,
    policies: usize,
    annual: String,
    event: String,
    unlimited: usize,
    expected: String,
    co_tvar: String,
    share: String,
}

#[derive(Serialize)]
struct Group {
    heading: &'static str,
    lines: Vec<Line>,
    more: usize,
}

#[derive(Serialize)]
struct Context {
    groups: Vec<Group>,
    portfolios: bool,
    per: usize,
}

/// The rows of one dimension, the largest co-TVaR first (ties by portfolio, key).
pub fn largest<'a>(rows: &'a [Row], dimension: &str) -> Vec<&'a Row> {
    let mut v: Vec<&Row> = rows.iter().filter(|r| r.dimension == dimension).collect();
    v.sort_by(|a, b| {
        b.co_tvar995
            .total_cmp(&a.co_tvar995)
            .then(a.portfolio.cmp(&b.portfolio))
            .then(a.key.cmp(&b.key))
    });
    v
}

impl Section for Accumulation {
    fn id(&self) -> &'static str {
        "accumulation"
    }
    fn title(&self) -> &'static str {
        "Accumulation"
    }
    fn summary(&self, _page: &Page) -> String {
        "What the book has exposed to each provider, cloud region, shared cause and sector, and their shares of its TVaR 99.5%.".into()
    }
    fn applies(&self, page: &Page) -> bool {
        page.report
            .insurance
            .as_ref()
            .is_some_and(|f| !f.accumulation.is_empty())
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(f) = &page.report.insurance else {
            return;
        };
        let rows = &f.accumulation;
        let mut names: Vec<&str> = rows.iter().map(|r| r.portfolio.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let groups = SHOWN
            .iter()
            .map(|&(dim, heading)| {
                let all = largest(rows, dim);
                Group {
                    heading,
                    more: all.len().saturating_sub(PER_DIMENSION),
                    lines: all
                        .into_iter()
                        .take(PER_DIMENSION)
                        .map(|r| Line {
                            portfolio: r.portfolio.clone(),
                            key: r.key.clone(),
                            policies: r.policies,
                            annual: money(r.annual_limits),
                            event: money(r.event_limits),
                            unlimited: r.unlimited,
                            expected: money(r.expected_payout),
                            co_tvar: money(r.co_tvar995),
                            share: r.share_of_tvar995.map_or("–".into(), probability),
                        })
                        .collect(),
                }
            })
            .filter(|g| !g.lines.is_empty())
            .collect();
        out.push_str(&templates::render(
            "book-accumulation.html",
            Context {
                groups,
                portfolios: names.len() > 1,
                per: PER_DIMENSION,
            },
        ));
    }
}
