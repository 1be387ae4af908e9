//! Realistic disaster scenarios (`templates/rds.html`), from `rds.csv`
//! (`fateshare drill --book`): per drill, the book's gross loss, what each
//! treaty cedes, the net loss, and the return periods of the gross on the
//! book's OEP and AEP curves and of the net on the net OEP curve, with intervals.

use super::{from, trials_seed};
use crate::fmtnum::{money, sig};
use crate::report::html::{Page, Section};
use crate::report::templates;
use serde::Serialize;

/// The book in each named disaster scenario.
pub struct Rds;

#[derive(Serialize)]
struct Row<'a> {
    drill: &'a str,
    paid: String,
    gross: String,
    ceded: Vec<String>,
    net: Option<String>,
    oep: Option<String>,
    aep: Option<String>,
    net_oep: Option<String>,
}

#[derive(Serialize)]
struct Context<'a> {
    rows: Vec<Row<'a>>,
    treaties: Vec<&'a str>,
    net: bool,
    trials: Option<String>,
    from: Option<super::From>,
}

/// "45.5 years [38.0, 54.3]"; "never in the trials" past the last one.
fn years(rp: Option<[f64; 3]>) -> Option<String> {
    let y = |x: f64| {
        if x.is_finite() {
            sig(x, 3)
        } else {
            "∞".into()
        }
    };
    rp.map(|[r, lo, hi]| format!("{} [{}, {}]", y(r), y(lo), y(hi)))
}

impl Section for Rds {
    fn id(&self) -> &'static str {
        "rds"
    }
    fn title(&self) -> &'static str {
        "Realistic disaster scenarios"
    }
    fn summary(&self, _page: &Page) -> String {
        "The book's loss in each named incident, and how rare a period with an event (or a year) that bad is.".into()
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.analyses.rds.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(t) = &page.data.analyses.rds else {
            return;
        };
        let rows = t
            .rows
            .iter()
            .map(|r| Row {
                drill: &r.drill,
                paid: format!("{} of {}", r.policies_paid, r.policies),
                gross: money(r.gross_loss),
                ceded: r.ceded.iter().map(|(_, c)| money(*c)).collect(),
                net: r.net_loss.map(money),
                oep: years(r.oep_return_period),
                aep: years(r.aep_return_period),
                net_oep: years(r.net_oep_return_period),
            })
            .collect();
        out.push_str(&templates::render(
            "rds.html",
            Context {
                rows,
                treaties: t
                    .rows
                    .first()
                    .map(|r| r.ceded.iter().map(|(t, _)| t.as_str()).collect())
                    .unwrap_or_default(),
                net: t.rows.iter().any(|r| r.net_loss.is_some()),
                trials: t
                    .rows
                    .iter()
                    .find_map(|r| r.trials)
                    .map(|n| crate::fmtnum::thousands(n as f64)),
                from: from(&[&t.origin], {
                    let s = trials_seed(&t.origin);
                    if s.is_empty() {
                        s
                    } else {
                        format!(" ({s})")
                    }
                }),
            },
        ));
    }
}
