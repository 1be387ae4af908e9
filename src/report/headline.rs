//! The first section of `report.html`: the decision ([`super::decision`]:
//! recommendation, comparison table, what takes every design down), then the
//! best design per criterion, one sentence each (`templates/headline.html`).
//! A design is said to beat the runner-up only when the 95% interval of their
//! difference excludes zero: paired trial by trial for means and
//! probabilities ([`Paired`]), non-overlapping distribution-free intervals
//! for a 1-in-100 value; otherwise the sentence says they cannot be told
//! apart at this number of trials and about how many would separate them.

use super::decision;
use super::html::{Page, Section};
use super::paired::Paired;
use super::templates;
use crate::charts::cost_of_resilience;
use crate::fmtnum::{availability_percent, hours, money, sig};
use crate::model::HOURS_PER_YEAR;
use crate::stats::digest::Figure;
use serde::Serialize;

/// The best design per criterion, one sentence each.
pub struct Headline;

/// `figure(b) − figure(a)` trial by trial: the paired difference between
/// two architectures evaluated on the same worlds.
fn paired(page: &Page, a: usize, b: usize, figure: Figure) -> Paired {
    Paired::from_moments(page.report.paired(a, b, figure))
}

/// Index of the smallest key (first on ties) and of the runner-up.
fn best_two(keys: &[(usize, f64)]) -> Option<(usize, Option<usize>)> {
    let mut v: Vec<(usize, f64)> = keys.to_vec();
    v.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    let first = v.first()?.0;
    Some((first, v.get(1).map(|x| x.0)))
}

/// A difference of two shares as percentage points: `+1.2 pp`.
fn percent_points(x: f64) -> String {
    let s = sig(100.0 * x.abs(), 3);
    if x < 0.0 {
        format!("−{s} pp")
    } else {
        format!("{s} pp")
    }
}

fn signed(x: f64, show: fn(f64) -> String) -> String {
    if x < 0.0 {
        format!("−{}", show(-x))
    } else {
        show(x)
    }
}

/// The best design against the runner-up: the paired difference and its interval.
#[derive(Serialize)]
struct Versus {
    other: String,
    separated: bool,
    diff: String,
    lo: String,
    hi: String,
    /// About how many trials would separate them, when they are not.
    trials_needed: Option<String>,
}

fn versus(
    page: &Page,
    best: usize,
    second: Option<usize>,
    what: Figure,
    show: fn(f64) -> String,
) -> Option<Versus> {
    let s = second?;
    let d = paired(page, best, s, what);
    Some(Versus {
        other: page.report.model.architectures[s].id.clone(),
        separated: d.separated(),
        diff: signed(d.mean(), show),
        lo: signed(d.lo, show),
        hi: signed(d.hi, show),
        trials_needed: d
            .trials_to_separate()
            .map(|t| crate::fmtnum::thousands(t as f64)),
    })
}

#[derive(Serialize)]
struct Downtime {
    best: String,
    hours: String,
    availability: String,
    versus: Option<Versus>,
}

#[derive(Serialize)]
struct Other {
    id: String,
    hours: String,
    lo: String,
    hi: String,
}

#[derive(Serialize)]
struct Bad {
    best: String,
    hours: String,
    lo: String,
    hi: String,
    other: Option<Other>,
    /// The two 95% intervals do not overlap.
    separated: bool,
}

#[derive(Serialize)]
struct Sla {
    best: String,
    target: String,
    percent: String,
    versus: Option<Versus>,
}

#[derive(Serialize)]
struct Loss {
    best: String,
    mean: String,
    lo: String,
    hi: String,
    versus: Option<Versus>,
}

#[derive(Serialize)]
struct Total {
    best: String,
    cost: String,
    loss: String,
    total: String,
    versus: Option<Versus>,
}

#[derive(Serialize)]
struct Vendor {
    alert: bool,
    id: String,
    naive: String,
    simulated: String,
    penalty: String,
}

#[derive(Serialize)]
struct Context {
    decision: minijinja::Value,
    period: String,
    downtime: Option<Downtime>,
    bad: Option<Bad>,
    sla: Option<Sla>,
    loss: Option<Loss>,
    total: Option<Total>,
    insurance: Option<minijinja::Value>,
    vendor: Option<Vendor>,
}

impl Section for Headline {
    fn id(&self) -> &'static str {
        "headline"
    }
    fn title(&self) -> &'static str {
        "Decision"
    }
    fn open(&self) -> bool {
        true
    }
    fn render(&self, page: &Page, out: &mut String) {
        let sums = &page.report.summaries;
        if sums.is_empty() {
            return;
        }
        let data = page.data;
        let ids = &page.report.model.architectures;
        let id = |i: usize| ids[i].id.clone();
        let keyed = |f: &dyn Fn(usize) -> Option<f64>| -> Option<(usize, Option<usize>)> {
            let keys: Vec<(usize, f64)> = (0..sums.len())
                .filter_map(|i| f(i).map(|k| (i, k)))
                .collect();
            best_two(&keys)
        };

        let downtime =
            keyed(&|i| Some(sums[i].downtime_hours_mean)).map(|(best, second)| Downtime {
                best: id(best),
                hours: hours(sums[best].downtime_hours_mean),
                availability: availability_percent(sums[best].availability),
                versus: versus(page, best, second, Figure::Downtime, hours),
            });
        let p99 = |a: usize| page.report.digest.downtime[a].quantile_interval(0.99);
        let bad = keyed(&|i| Some(sums[i].downtime_hours_p99)).map(|(best, second)| {
            let (lo, hi) = p99(best);
            let other = second.map(|s| (s, p99(s)));
            Bad {
                best: id(best),
                hours: hours(sums[best].downtime_hours_p99),
                lo: hours(lo),
                hi: hours(hi),
                separated: other.is_some_and(|(_, (olo, _))| hi < olo),
                other: other.map(|(s, (olo, ohi))| Other {
                    id: id(s),
                    hours: hours(sums[s].downtime_hours_p99),
                    lo: hours(olo),
                    hi: hours(ohi),
                }),
            }
        });
        let sla = keyed(&|i| sums[i].sla_met_probability.map(|p| -p)).map(|(best, second)| {
            let second = second.filter(|&s| sums[s].sla_met_probability.is_some());
            Sla {
                best: id(best),
                target: availability_percent(sums[best].sla.unwrap_or(0.0)),
                percent: crate::fmtnum::probability(sums[best].sla_met_probability.unwrap_or(0.0)),
                // Share of periods in which the runner-up meets its target
                // minus the share in which the best does: negative is better.
                versus: second.map(|s| {
                    let d = paired(page, best, s, Figure::SlaMet).reversed();
                    Versus {
                        other: id(s),
                        separated: d.separated(),
                        diff: percent_points(d.mean()),
                        lo: percent_points(d.lo),
                        hi: percent_points(d.hi),
                        trials_needed: d
                            .trials_to_separate()
                            .map(|t| crate::fmtnum::thousands(t as f64)),
                    }
                }),
            }
        });
        let loss = keyed(&|i| sums[i].expected_loss).map(|(best, second)| {
            let s = &sums[best];
            Loss {
                best: id(best),
                mean: money(s.expected_loss.unwrap_or(0.0)),
                lo: money(s.expected_loss_ci_low.unwrap_or(0.0)),
                hi: money(s.expected_loss_ci_high.unwrap_or(0.0)),
                versus: versus(page, best, second, Figure::Loss, money),
            }
        });
        let per_year = HOURS_PER_YEAR / data.horizon_hours;
        let pts = cost_of_resilience::points(data);
        let keys: Vec<(usize, f64)> = pts
            .iter()
            .map(|p| (p.index, p.cost + p.expected_loss * per_year))
            .collect();
        let total = best_two(&keys).map(|(best, second)| {
            let p = pts.iter().find(|p| p.index == best).expect("listed");
            let el = p.expected_loss * per_year;
            let cost = |a: usize| {
                page.report.model.architectures[a]
                    .cost_per_year
                    .unwrap_or(0.0)
            };
            Total {
                best: id(best),
                cost: money(p.cost),
                loss: money(el),
                total: money(p.cost + el),
                versus: second.map(|s| {
                    let d =
                        paired(page, best, s, Figure::Loss).affine(cost(s) - cost(best), per_year);
                    Versus {
                        other: id(s),
                        separated: d.separated(),
                        diff: signed(d.mean(), money),
                        lo: signed(d.lo, money),
                        hi: signed(d.hi, money),
                        trials_needed: d
                            .trials_to_separate()
                            .map(|t| crate::fmtnum::thousands(t as f64)),
                    }
                }),
            }
        });
        let vendor = keyed(&|i| sums[i].correlation_penalty.map(|p| -p)).map(|(worst, _)| {
            let a = &data.architectures[worst];
            let p = a.correlation_penalty.unwrap_or(1.0);
            Vendor {
                alert: p >= 1.1,
                id: a.id.clone(),
                naive: hours(a.naive_downtime),
                simulated: hours(a.downtime_mean),
                penalty: if p >= 1.1 {
                    sig(p, 3)
                } else {
                    sig(p.max(1.0), 2)
                },
            }
        });
        out.push_str(&templates::render(
            "headline.html",
            Context {
                decision: templates::safe(templates::render(
                    "decision.html",
                    decision::context(page, &page.report.return_periods()),
                )),
                period: data.period(),
                downtime,
                bad,
                sla,
                loss,
                total,
                insurance: super::insurance_section::answer(page).map(templates::safe),
                vendor,
            },
        ));
    }
}
