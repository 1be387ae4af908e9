//! The reinsurance section of `report.html` (`templates/treaties.html`),
//! shown when the scenario has `[[treaty]]` tables: the book's gross, ceded
//! and net loss, then each treaty's ceded loss (expected loss to the layer
//! with its interval, attachment and exhaustion with theirs, premium and
//! rate on line, AEP and OEP at 1 in 100, 200 and 250, TVaR 99.5%). It reads
//! the rows of `treaties.csv` from the page's [`InsuranceFigures`], which
//! `fateshare run` and `fateshare report` fill alike.
//!
//! [`InsuranceFigures`]: crate::insurance::figures::InsuranceFigures

use super::html::{Page, Section};
use super::templates;
use crate::fmtnum::{money, probability};
use crate::insurance::treaties::{Share, TreatyRow};
use serde::Serialize;

/// The reinsurance section.
pub struct Treaties;

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    kind: &'a str,
    book: bool,
    expected: String,
    lo: String,
    hi: String,
    sd: String,
    attach: String,
    exhaust: String,
    premium: String,
    rate_on_line: String,
    aep: Vec<String>,
    oep: Vec<String>,
    tvar: String,
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("–".into(), f)
}

fn share(s: &Share) -> String {
    format!(
        "{} [{} – {}]",
        probability(s.p),
        probability(s.lo),
        probability(s.hi)
    )
}

fn row(r: &TreatyRow) -> Row<'_> {
    let book = r.treaty.is_empty();
    Row {
        name: if book { &r.view } else { &r.treaty },
        kind: &r.kind,
        book,
        expected: money(r.expected),
        lo: money(r.expected_ci_low),
        hi: money(r.expected_ci_high),
        sd: money(r.sd),
        attach: share(&r.attachment),
        exhaust: r.exhaustion.as_ref().map_or("–".into(), share),
        premium: opt(r.premium, money),
        rate_on_line: opt(r.rate_on_line, probability),
        aep: r.aep.iter().map(|&x| opt(x, money)).collect(),
        oep: r.oep.iter().map(|&x| opt(x, money)).collect(),
        tvar: money(r.tvar995),
    }
}

#[derive(Serialize)]
struct Context<'a> {
    period: String,
    book: Vec<Row<'a>>,
    treaties: Vec<Row<'a>>,
}

impl Section for Treaties {
    fn id(&self) -> &'static str {
        "treaties"
    }
    fn title(&self) -> &'static str {
        "Reinsurance: gross, ceded and net"
    }
    fn summary(&self, page: &Page) -> String {
        let rows = page
            .data
            .insurance
            .as_deref()
            .map_or(&[][..], |i| &i.treaties[..]);
        let n = rows.iter().filter(|r| !r.treaty.is_empty()).count();
        let gross = rows
            .iter()
            .find(|r| r.treaty.is_empty() && r.view == "gross");
        let net = rows.iter().find(|r| r.treaty.is_empty() && r.view == "net");
        match (gross, net) {
            (Some(g), Some(n_)) => format!(
                "{n} treaties: the book's expected loss {} gross, {} net of reinsurance.",
                money(g.expected),
                money(n_.expected)
            ),
            _ => String::new(),
        }
    }
    fn applies(&self, page: &Page) -> bool {
        page.data
            .insurance
            .as_deref()
            .is_some_and(|i| !i.treaties.is_empty())
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(ins) = page.data.insurance.as_deref() else {
            return;
        };
        let (book, treaties): (Vec<&TreatyRow>, Vec<&TreatyRow>) =
            ins.treaties.iter().partition(|r| r.treaty.is_empty());
        out.push_str(&templates::render(
            "treaties.html",
            Context {
                period: page.data.period(),
                book: book.into_iter().map(row).collect(),
                treaties: treaties.into_iter().map(row).collect(),
            },
        ));
    }
}
