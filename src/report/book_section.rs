//! The page of a book (`[book]`: many insureds held together, not
//! alternative designs). It leads with the book as a whole: what the
//! policies pay in a period (the expected annual loss with its interval,
//! standard deviation, the 1-in-100, 200 and 250 aggregate (AEP) and
//! occurrence (OEP) losses, TVaR 99.5%), gross and, with treaties, net; then
//! the insureds contributing most to the expected loss (the `[book] top`
//! largest, each with its own colour). No insured is ranked against another
//! as a choice: the design sections (headline, decision, results, charts) are
//! left out. The figures come from the page's
//! [`InsuranceFigures`](crate::insurance::figures::InsuranceFigures), which
//! `fateshare run` and `fateshare report` fill alike. Formulas:
//! docs/insurance.md §15.

use super::html::{Page, Section};
use super::templates;
use crate::fmtnum::{money, probability};
use crate::insurance::ep::EpCurve;
use crate::insurance::figures::InsuranceFigures;
use crate::insurance::policies::PORTFOLIO_TVAR_LEVEL;
use crate::insurance::portfolio::PML_RETURN_PERIODS;
use crate::stats::{Moments, Z_95};
use serde::Serialize;

/// The sections of a book's page, in order.
pub fn sections() -> Vec<Box<dyn Section>> {
    vec![
        Box::new(BookLead),
        Box::new(super::treaty_section::Treaties),
        Box::new(super::analysis_sections::Rds),
        Box::new(super::book_accumulation::Accumulation),
        Box::new(super::analysis_sections::Concentration),
        Box::new(super::sections::Assumptions),
        Box::new(super::method_section::Method),
    ]
}

/// The book as a whole and its largest contributors.
pub struct BookLead;

/// One line of the book's table.
#[derive(Serialize)]
struct Line {
    name: &'static str,
    expected: String,
    lo: String,
    hi: String,
    sd: String,
    aep: Vec<String>,
    oep: Vec<String>,
    tvar: String,
}

/// One of the largest contributors.
#[derive(Serialize)]
struct Insured {
    id: String,
    colour: String,
    policies: usize,
    expected: String,
    share: String,
    tvar: String,
}

#[derive(Serialize)]
struct Context {
    period: String,
    insureds: usize,
    policies: usize,
    trials: String,
    lines: Vec<Line>,
    oep: bool,
    clause: Option<String>,
    top: Vec<Insured>,
    top_n: usize,
}

fn opt(v: Option<f64>) -> String {
    v.map_or("–".into(), money)
}

/// The book's total payout per trial: its policies' payouts summed in
/// policy order.
pub fn book_totals(f: &InsuranceFigures) -> Vec<f64> {
    let n = f.payouts.first().map_or(0, Vec::len);
    (0..n)
        .map(|t| f.payouts.iter().fold(0.0, |s, p| s + p[t]))
        .collect()
}

/// `count` colours, evenly spaced in hue: no two insureds share one.
pub fn colours(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("hsl({}, 70%, 42%)", i * 360 / count.max(1)))
        .collect()
}

/// Per insured (in first-policy order): its policies, Σ expected payout and
/// Σ stand-alone payout TVaR 99.5%.
fn by_insured(f: &InsuranceFigures) -> Vec<(String, usize, f64, f64)> {
    let mut out: Vec<(String, usize, f64, f64)> = Vec::new();
    for p in &f.policies {
        match out.iter_mut().find(|x| x.0 == p.insured) {
            Some(x) => {
                x.1 += 1;
                x.2 += p.expected_payout;
                x.3 += p.payout_tvar995;
            }
            None => out.push((p.insured.clone(), 1, p.expected_payout, p.payout_tvar995)),
        }
    }
    out
}

/// The `top` insureds by expected payout (ties by id).
pub fn top_insureds(f: &InsuranceFigures, top: usize) -> Vec<(String, usize, f64, f64)> {
    let mut v = by_insured(f);
    v.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    v.truncate(top);
    v
}

impl Section for BookLead {
    fn id(&self) -> &'static str {
        "book"
    }
    fn title(&self) -> &'static str {
        "The book"
    }
    fn open(&self) -> bool {
        true
    }
    fn applies(&self, page: &Page) -> bool {
        page.report.model.book.is_some() && page.report.insurance.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let (Some(f), Some(book)) = (&page.report.insurance, page.report.model.book) else {
            return;
        };
        let totals = book_totals(f);
        let m = Moments::of(totals.iter().copied());
        let (lo, hi) = m.ci(Z_95);
        let aep = EpCurve::new(totals.iter().copied());
        let oep = (!f.book_max.is_empty()).then(|| EpCurve::new(f.book_max.iter().copied()));
        let mut lines = vec![Line {
            name: "gross",
            expected: money(m.mean),
            lo: money(lo.max(0.0)),
            hi: money(hi),
            sd: money(m.sd),
            aep: PML_RETURN_PERIODS.map(|rp| opt(aep.loss_at(rp))).to_vec(),
            oep: PML_RETURN_PERIODS
                .map(|rp| opt(oep.as_ref().and_then(|c| c.loss_at(rp))))
                .to_vec(),
            tvar: money(aep.tvar(PORTFOLIO_TVAR_LEVEL)),
        }];
        for view in ["ceded", "net"] {
            if let Some(r) = f
                .treaties
                .iter()
                .find(|r| r.treaty.is_empty() && r.view == view)
            {
                lines.push(Line {
                    name: if view == "net" {
                        "net of treaties"
                    } else {
                        "ceded"
                    },
                    expected: money(r.expected),
                    lo: money(r.expected_ci_low),
                    hi: money(r.expected_ci_high),
                    sd: money(r.sd),
                    aep: r.aep.iter().map(|&x| opt(x)).collect(),
                    oep: r.oep.iter().map(|&x| opt(x)).collect(),
                    tvar: money(r.tvar995),
                });
            }
        }
        let top = top_insureds(f, book.top);
        let palette = colours(top.len());
        let whole: f64 = f.policies.iter().map(|p| p.expected_payout).sum();
        let top = top
            .into_iter()
            .zip(palette)
            .map(|((id, policies, expected, tvar), colour)| Insured {
                id,
                colour,
                policies,
                expected: money(expected),
                share: if whole > 0.0 {
                    probability(expected / whole)
                } else {
                    "–".into()
                },
                tvar: money(tvar),
            })
            .collect();
        out.push_str(&templates::render(
            "book.html",
            Context {
                period: page.data.period(),
                insureds: by_insured(f).len(),
                policies: f.policies.len(),
                trials: crate::fmtnum::thousands(totals.len() as f64),
                lines,
                oep: oep.is_some(),
                clause: page
                    .report
                    .model
                    .hours_clause
                    .map(|h| crate::fmtnum::sig(h, 4)),
                top,
                top_n: book.top,
            },
        ));
    }
}
