//! The decision on the first screen of `report.html`
//! (`templates/decision.html`): the recommendation in one sentence, the
//! comparison table (availability, down time with its return-period values,
//! expected loss, cost and total cost, each with its interval, and each
//! design's paired difference from the best, or from the `--baseline`) and the single outage sources
//! that take every design down. A design is said to beat another only when
//! the paired 95% interval of their per-trial difference excludes zero
//! ([`Paired`]); otherwise the sentence says they cannot be told apart at this
//! number of trials and about how many would separate them.

use super::html::Page;
use super::paired::Paired;
use crate::analysis::graph::Graph;
use crate::analysis::singles::single_sources;
use crate::evaluate::Outcome;
use crate::fmtnum::{self, availability_percent, hours, money, thousands};
use crate::model::{Model, SourceKind, HOURS_PER_YEAR};
use crate::stats::digest::Figure;
use crate::stats::Z_95;
use serde::Serialize;

/// The figure the recommendation ranks by: the total cost a year when every
/// design has a cost and a loss model, else the expected loss when every one
/// has a loss model, else the mean down time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    TotalCost,
    ExpectedLoss,
    Downtime,
}

impl Measure {
    pub fn of(model: &Model) -> Self {
        let archs = &model.architectures;
        if archs
            .iter()
            .all(|a| a.loss.is_some() && a.cost_per_year.is_some())
        {
            Measure::TotalCost
        } else if archs.iter().all(|a| a.loss.is_some()) {
            Measure::ExpectedLoss
        } else {
            Measure::Downtime
        }
    }

    /// One trial's figure for architecture `a`.
    pub fn value(self, model: &Model, per_year: f64, a: usize, o: &Outcome) -> f64 {
        match self {
            Measure::TotalCost => {
                model.architectures[a].cost_per_year.unwrap_or(0.0) + o.loss * per_year
            }
            Measure::ExpectedLoss => o.loss,
            Measure::Downtime => o.downtime_hours,
        }
    }

    fn show(self, x: f64) -> String {
        let s = match self {
            Measure::Downtime => hours(x.abs()),
            _ => money(x.abs()),
        };
        if x < 0.0 {
            format!("−{s}")
        } else {
            s
        }
    }

    fn words(self) -> &'static str {
        match self {
            Measure::TotalCost => "total cost (cost plus expected loss)",
            Measure::ExpectedLoss => "expected loss",
            Measure::Downtime => "mean down time",
        }
    }
}

/// The paired difference of the headline measure, `b − a`, over all trials
/// (total cost: the cost difference plus the loss difference a year).
pub fn paired(page: &Page, measure: Measure, a: usize, b: usize) -> Paired {
    let report = page.report;
    match measure {
        Measure::Downtime => Paired::from_moments(report.paired(a, b, Figure::Downtime)),
        Measure::ExpectedLoss => Paired::from_moments(report.paired(a, b, Figure::Loss)),
        Measure::TotalCost => {
            let per_year = HOURS_PER_YEAR / page.data.horizon_hours;
            let cost = |x: usize| report.model.architectures[x].cost_per_year.unwrap_or(0.0);
            Paired::from_moments(report.paired(a, b, Figure::Loss))
                .affine(cost(b) - cost(a), per_year)
        }
    }
}

/// A figure with the ends of its interval, printed so that the ends differ
/// when they differ.
#[derive(Serialize)]
pub struct Ci {
    pub value: String,
    pub lo: String,
    pub hi: String,
}

#[derive(Serialize)]
struct Versus {
    id: String,
    value: String,
    diff: String,
    lo: String,
    hi: String,
    separated: bool,
    identical: bool,
    trials_needed: Option<String>,
}

#[derive(Serialize)]
struct Recommendation {
    measure: &'static str,
    best: String,
    value: String,
    per: String,
    runner_up: Option<Versus>,
    trials: String,
}

#[derive(Serialize)]
struct Row {
    id: String,
    best: bool,
    availability: Ci,
    downtime: Ci,
    return_periods: Vec<Ci>,
    loss: Option<Ci>,
    cost: String,
    total: Option<Ci>,
    /// The paired difference from the best design (or the `--baseline`) in the headline measure.
    versus_best: Option<Ci>,
    versus_separated: bool,
}

#[derive(Serialize)]
struct Dependency {
    id: String,
    cause: bool,
}

#[derive(Serialize)]
pub struct Context {
    period: String,
    recommendation: Option<Recommendation>,
    measure: &'static str,
    return_periods: Vec<u32>,
    rows: Vec<Row>,
    any_loss: bool,
    any_cost: bool,
    any_total: bool,
    everyone: Vec<Dependency>,
    several: bool,
    /// The `--baseline` design the last column compares with, instead of the best.
    baseline: Option<String>,
    /// The designs not listed (beyond the best few), when there are some.
    grouped: Option<Grouped>,
}

/// The designs left out of the comparison table, with the range of their headline measure.
#[derive(Serialize)]
struct Grouped {
    /// How many of the best are listed.
    best: usize,
    count: usize,
    lo: String,
    hi: String,
}

fn ci(value: f64, lo: f64, hi: f64, f: fn(f64, usize) -> String, digits: usize) -> Ci {
    let (l, h) = fmtnum::distinct(lo, hi, f, digits);
    Ci {
        value: f(value, digits),
        lo: l,
        hi: h,
    }
}

fn hours_at(x: f64, d: usize) -> String {
    fmtnum::hours_sig(x, d)
}

fn money_at(x: f64, d: usize) -> String {
    fmtnum::money_sig(x, d)
}

fn signed(x: f64, d: usize, f: fn(f64, usize) -> String) -> String {
    if x < 0.0 {
        format!("−{}", f(-x, d))
    } else {
        format!("+{}", f(x, d))
    }
}

fn signed_money(x: f64, d: usize) -> String {
    signed(x, d, money_at)
}

fn signed_hours(x: f64, d: usize) -> String {
    signed(x, d, hours_at)
}

/// Per architecture (file order): the outage sources that on their own take
/// it down (its risk groups of one, single points of failure), in source order.
pub fn single_points(model: &Model) -> Vec<Vec<usize>> {
    if model.architectures.is_empty() {
        return Vec::new();
    }
    let graph = Graph::new(model);
    let roots: Vec<usize> = model.architectures.iter().map(|a| a.serves).collect();
    single_sources(model, &graph, &roots)
}

/// The outage sources that on their own take down every architecture (risk
/// groups of one shared by all), in source order.
pub fn everyone_down(model: &Model) -> Vec<usize> {
    let per_arch = single_points(model);
    if per_arch.is_empty() {
        return Vec::new();
    }
    (0..model.sources.len())
        .filter(|s| per_arch.iter().all(|v| v.binary_search(s).is_ok()))
        .collect()
}

/// The first screen's figures.
pub fn context(page: &Page, return_periods: &[u32]) -> Context {
    let model = page.report.model;
    let sums = &page.report.summaries;
    let data = page.data;
    let n = sums.len();
    let per_year = HOURS_PER_YEAR / data.horizon_hours;
    let measure = Measure::of(model);
    let means: Vec<f64> = (0..n)
        .map(|a| page.report.measure_mean(measure, a))
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| means[x].total_cmp(&means[y]).then(x.cmp(&y)));
    let best = order.first().copied();
    let trials = page.report.settings.trials;
    let recommendation = best.map(|b| {
        let runner_up = order.get(1).map(|&r| {
            let d = paired(page, measure, b, r);
            Versus {
                id: model.architectures[r].id.clone(),
                value: measure.show(means[r]),
                diff: measure.show(d.mean()),
                lo: measure.show(d.lo),
                hi: measure.show(d.hi),
                separated: d.separated(),
                identical: d.identical(),
                trials_needed: d.trials_to_separate().map(|t| thousands(t as f64)),
            }
        });
        Recommendation {
            measure: measure.words(),
            best: model.architectures[b].id.clone(),
            value: measure.show(means[b]),
            per: if measure == Measure::TotalCost {
                "year".into()
            } else {
                data.period()
            },
            runner_up,
            trials: thousands(trials as f64),
        }
    });
    // The last column's reference: the --baseline design, else the best.
    let anchor = page.report.baseline.or(best);
    // With many designs, the best few by the headline measure (as the charts
    // draw them) and the baseline; the rest are summarised under the table.
    let listed: Vec<usize> = (0..n)
        .filter(|a| data.shown.contains(a) || page.report.baseline == Some(*a))
        .collect();
    let rest: Vec<usize> = (0..n).filter(|a| !listed.contains(a)).collect();
    let grouped = (!rest.is_empty()).then(|| {
        let lo = rest.iter().map(|&a| means[a]).fold(f64::INFINITY, f64::min);
        let hi = rest
            .iter()
            .map(|&a| means[a])
            .fold(f64::NEG_INFINITY, f64::max);
        Grouped {
            best: data.shown.len(),
            count: rest.len(),
            lo: measure.show(lo),
            hi: measure.show(hi),
        }
    });
    let rows = listed
        .iter()
        .map(|&a| {
            let s = &sums[a];
            let down = &page.report.digest.downtime[a];
            let (dlo, dhi) = data.architectures[a].downtime_ci;
            let (alo, ahi) = fmtnum::distinct(
                s.availability_ci_low,
                s.availability_ci_high,
                fmtnum::availability_percent_extra,
                0,
            );
            let total = match (s.cost_per_year, s.expected_loss) {
                (Some(c), Some(_)) => {
                    let m = page.report.digest.loss_moments[a];
                    let (lo, hi) = m.ci(Z_95);
                    Some(ci(
                        c + m.mean * per_year,
                        c + lo * per_year,
                        c + hi * per_year,
                        money_at,
                        3,
                    ))
                }
                _ => None,
            };
            let versus = anchor
                .filter(|&b| b != a)
                .map(|b| paired(page, measure, b, a));
            let show_diff = if measure == Measure::Downtime {
                signed_hours
            } else {
                signed_money
            };
            Row {
                id: model.architectures[a].id.clone(),
                best: best == Some(a),
                availability: Ci {
                    value: availability_percent(s.availability),
                    lo: alo,
                    hi: ahi,
                },
                downtime: ci(s.downtime_hours_mean, dlo, dhi, hours_at, 3),
                return_periods: return_periods
                    .iter()
                    .map(|&rp| {
                        let q = crate::stats::return_period_probability(rp);
                        let (lo, hi) = down.quantile_interval(q);
                        ci(down.quantile(q), lo, hi, hours_at, 3)
                    })
                    .collect(),
                loss: s.expected_loss.map(|l| {
                    ci(
                        l,
                        s.expected_loss_ci_low.unwrap_or(l),
                        s.expected_loss_ci_high.unwrap_or(l),
                        money_at,
                        3,
                    )
                }),
                cost: s.cost_per_year.map_or("–".into(), money),
                total,
                versus_separated: versus.is_some_and(|d| d.separated()),
                versus_best: versus.map(|d| {
                    let (lo, hi) = fmtnum::distinct(d.lo, d.hi, show_diff, 3);
                    Ci {
                        value: show_diff(d.mean(), 3),
                        lo,
                        hi,
                    }
                }),
            }
        })
        .collect();
    let everyone: Vec<Dependency> = everyone_down(model)
        .into_iter()
        .map(|s| {
            let src = &model.sources[s];
            Dependency {
                id: src.id.clone(),
                cause: src.kind == SourceKind::Cause,
            }
        })
        .collect();
    Context {
        period: data.period(),
        recommendation,
        measure: measure.words(),
        return_periods: return_periods.to_vec(),
        rows,
        any_loss: sums.iter().any(|s| s.expected_loss.is_some()),
        any_cost: sums.iter().any(|s| s.cost_per_year.is_some()),
        any_total: sums
            .iter()
            .any(|s| s.expected_loss.is_some() && s.cost_per_year.is_some()),
        everyone,
        several: n > 1,
        grouped,
        baseline: page
            .report
            .baseline
            .map(|b| model.architectures[b].id.clone()),
    }
}
