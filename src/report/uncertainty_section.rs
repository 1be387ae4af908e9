//! The "Parameter uncertainty" section of `report.html` for a two-level run
//! (`run --uncertainty N`): per design, the 90% credible interval of mean
//! down time and total cost beside the plain run's Monte Carlo interval, how
//! much of the spread across draws is parameter uncertainty and how much
//! sampling ([`crate::uncertain::spread`]), how robust the choice is (the
//! share of draws in which each design is cheapest) and which paired
//! differences hold across plausible worlds. Figures only: the words are in
//! `templates/uncertainty.html`.

use super::html::{Page, Section};
use super::templates;
use crate::fmtnum::{hours, money, sig};
use crate::model::HOURS_PER_YEAR;
use crate::stats::Z_95;
use crate::uncertain::draws::Draws;
use crate::uncertain::spread;
use serde::Serialize;

/// The section.
pub struct Uncertainty;

#[derive(Serialize)]
struct Row {
    id: String,
    /// Mean down time: the plain run's 95% interval, the 90% credible interval.
    down_mc: (String, String),
    down_credible: (String, String),
    /// Credible width ÷ Monte Carlo width.
    down_ratio: Option<String>,
    /// Percent of the spread across draws that is parameter uncertainty.
    down_parameter: Option<String>,
    cost: Option<CostRow>,
    best_share: Option<String>,
}

#[derive(Serialize)]
struct CostRow {
    mc: (String, String),
    credible: (String, String),
    ratio: Option<String>,
    parameter: Option<String>,
}

#[derive(Serialize)]
struct Winner {
    id: String,
    percent: String,
}

#[derive(Serialize)]
struct Versus {
    other: String,
    lo: String,
    hi: String,
    percent: String,
    /// The 90% interval of the paired difference excludes zero.
    separated: bool,
}

#[derive(Serialize)]
struct Context {
    draws: usize,
    parameters: usize,
    trials: String,
    period: String,
    rows: Vec<Row>,
    /// "total cost" or "mean down time": what best_share ranks by.
    figure: &'static str,
    /// Designs by share of draws in which they are best, highest first (those above 0).
    winners: Vec<Winner>,
    /// The top share is above one half.
    majority: bool,
    /// The top share is at least 95%.
    robust: bool,
    /// The most frequent winner against each other design.
    versus: Vec<Versus>,
    money: bool,
}

fn pct(x: f64) -> String {
    format!("{}%", sig(100.0 * x, 3))
}

fn ratio(credible: (f64, f64), mc: (f64, f64)) -> Option<String> {
    let w = mc.1 - mc.0;
    (w > 0.0).then(|| sig((credible.1 - credible.0) / w, 3))
}

/// One figure of every draw for design `a`, with its standard errors.
fn column(d: &Draws, a: usize, figure: &str) -> Option<(Vec<f64>, Vec<f64>)> {
    let values: Option<Vec<f64>> = d.draws.iter().map(|x| x.figures[a].get(figure)).collect();
    let ses: Option<Vec<f64>> = d
        .draws
        .iter()
        .map(|x| match figure {
            "total_cost" => x.figures[a].total_cost_se,
            _ => Some(x.figures[a].downtime_se),
        })
        .collect();
    Some((values?, ses?))
}

impl Section for Uncertainty {
    fn id(&self) -> &'static str {
        "uncertainty"
    }
    fn title(&self) -> &'static str {
        "Parameter uncertainty"
    }
    fn summary(&self, page: &Page) -> String {
        let n = page.report.draws.as_ref().map_or(0, |d| d.draws.len());
        format!(
            "{n} draws of the uncertain inputs: credible intervals beside the Monte Carlo ones, and how often each design wins."
        )
    }
    fn applies(&self, page: &Page) -> bool {
        page.report.draws.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(d) = page.report.draws.as_deref() else {
            return;
        };
        let r = page.report;
        let per_year = HOURS_PER_YEAR / r.settings.horizon_hours;
        let money_run = (0..d.architectures.len()).any(|a| column(d, a, "total_cost").is_some());
        let figure = if money_run {
            "total_cost"
        } else {
            "downtime_hours_mean"
        };
        let rows: Vec<Row> = d
            .architectures
            .iter()
            .enumerate()
            .map(|(a, id)| {
                let s = &r.summaries[a];
                let half = Z_95 * s.downtime_hours_sd / (s.trials.max(1) as f64).sqrt();
                let mc = (
                    (s.downtime_hours_mean - half).max(0.0),
                    s.downtime_hours_mean + half,
                );
                let cr = d
                    .credible(a, "downtime_hours_mean")
                    .map_or((0.0, 0.0), |c| (c.p05, c.p95));
                let down_parameter = column(d, a, "downtime_hours_mean")
                    .and_then(|(v, se)| spread::decompose(&v, &se))
                    .map(|x| pct(x.parameter_share));
                let cost = match (
                    d.credible(a, "total_cost"),
                    s.cost_per_year,
                    s.expected_loss_ci_low,
                    s.expected_loss_ci_high,
                ) {
                    (Some(c), Some(cost), Some(lo), Some(hi)) => {
                        let mc = (cost + lo * per_year, cost + hi * per_year);
                        Some(CostRow {
                            mc: (money(mc.0), money(mc.1)),
                            credible: (money(c.p05), money(c.p95)),
                            ratio: ratio((c.p05, c.p95), mc),
                            parameter: column(d, a, "total_cost")
                                .and_then(|(v, se)| spread::decompose(&v, &se))
                                .map(|x| pct(x.parameter_share)),
                        })
                    }
                    _ => None,
                };
                Row {
                    id: id.clone(),
                    down_mc: (hours(mc.0), hours(mc.1)),
                    down_credible: (hours(cr.0), hours(cr.1)),
                    down_ratio: ratio(cr, mc),
                    down_parameter,
                    cost,
                    best_share: d.best_share(a, figure).map(pct),
                }
            })
            .collect();
        let mut shares: Vec<(usize, f64)> = (0..d.architectures.len())
            .filter_map(|a| d.best_share(a, figure).map(|s| (a, s)))
            .collect();
        shares.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        let top = shares.first().copied();
        let versus = top
            .and_then(|(b, _)| column(d, b, figure).map(|c| (b, c.0)))
            .map(|(b, mine)| {
                (0..d.architectures.len())
                    .filter(|&o| o != b)
                    .filter_map(|o| {
                        let theirs = column(d, o, figure)?.0;
                        let (lo, hi, lower) = spread::paired(&mine, &theirs)?;
                        let f = |x: f64| if money_run { money(x) } else { hours(x) };
                        Some(Versus {
                            other: d.architectures[o].clone(),
                            lo: f(lo),
                            hi: f(hi),
                            percent: pct(lower),
                            separated: lo > 0.0,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push_str(&templates::render(
            "uncertainty.html",
            Context {
                draws: d.draws.len(),
                parameters: d.params.len(),
                trials: crate::fmtnum::thousands(r.settings.trials as f64),
                period: page.data.period(),
                rows,
                figure: if money_run {
                    "total cost"
                } else {
                    "mean down time"
                },
                winners: shares
                    .iter()
                    .filter(|s| s.1 > 0.0)
                    .map(|&(a, s)| Winner {
                        id: d.architectures[a].clone(),
                        percent: pct(s),
                    })
                    .collect(),
                majority: top.is_some_and(|t| t.1 > 0.5),
                robust: top.is_some_and(|t| t.1 >= 0.95),
                versus,
                money: money_run,
            },
        ));
    }
}
