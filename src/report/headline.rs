//! The headline of `report.html`: the best design per criterion, one
//! sentence each (`templates/headline.html`). A design is said to beat the
//! runner-up only when the paired 95% interval of their per-trial difference
//! excludes zero.

use super::html::{Page, Section};
use super::templates;
use crate::charts::cost_of_resilience;
use crate::evaluate::Outcome;
use crate::fmtnum::{availability_percent, hours, money, sig};
use crate::model::HOURS_PER_YEAR;
use crate::stats::{Moments, Z_95};
use serde::Serialize;

/// The best design per criterion, one sentence each.
pub struct Headline;

/// Per-trial `f(b) − f(a)`, in trial order: the paired difference between
/// two architectures evaluated on the same worlds.
fn paired(page: &Page, a: usize, b: usize, f: impl Fn(&Outcome) -> f64) -> Moments {
    let sim = page.report.simulation;
    Moments::of(sim.of(a).zip(sim.of(b)).map(|(x, y)| f(y) - f(x)))
}

/// Index of the smallest key (first on ties) and of the runner-up.
fn best_two(keys: &[(usize, f64)]) -> Option<(usize, Option<usize>)> {
    let mut v: Vec<(usize, f64)> = keys.to_vec();
    v.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    let first = v.first()?.0;
    Some((first, v.get(1).map(|x| x.0)))
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
}

fn versus(
    page: &Page,
    best: usize,
    second: Option<usize>,
    what: impl Fn(&Outcome) -> f64,
    show: fn(f64) -> String,
) -> Option<Versus> {
    let s = second?;
    let d = paired(page, best, s, what);
    let (lo, hi) = d.ci(Z_95);
    Some(Versus {
        other: page.report.model.architectures[s].id.clone(),
        separated: lo > 0.0,
        diff: signed(d.mean, show),
        lo: signed(lo, show),
        hi: signed(hi, show),
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
}

#[derive(Serialize)]
struct Bad {
    best: String,
    hours: String,
    other: Option<Other>,
}

#[derive(Serialize)]
struct Sla {
    best: String,
    target: String,
    percent: String,
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
struct Tail {
    best: String,
    money: String,
}

#[derive(Serialize)]
struct Total {
    best: String,
    cost: String,
    loss: String,
    total: String,
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
    period: String,
    downtime: Option<Downtime>,
    bad: Option<Bad>,
    sla: Option<Sla>,
    loss: Option<Loss>,
    tail: Option<Tail>,
    total: Option<Total>,
    insurance: Option<minijinja::Value>,
    vendor: Option<Vendor>,
}

impl Section for Headline {
    fn id(&self) -> &'static str {
        "headline"
    }
    fn title(&self) -> &'static str {
        "Headline"
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
                versus: versus(page, best, second, |o| o.downtime_hours, hours),
            });
        let bad = keyed(&|i| Some(sums[i].downtime_hours_p99)).map(|(best, second)| Bad {
            best: id(best),
            hours: hours(sums[best].downtime_hours_p99),
            other: second.map(|s| Other {
                id: id(s),
                hours: hours(sums[s].downtime_hours_p99),
            }),
        });
        let sla = keyed(&|i| sums[i].sla_met_probability.map(|p| -p)).map(|(best, _)| Sla {
            best: id(best),
            target: availability_percent(sums[best].sla.unwrap_or(0.0)),
            percent: sig(100.0 * sums[best].sla_met_probability.unwrap_or(0.0), 3),
        });
        let loss = keyed(&|i| sums[i].expected_loss).map(|(best, second)| {
            let s = &sums[best];
            Loss {
                best: id(best),
                mean: money(s.expected_loss.unwrap_or(0.0)),
                lo: money(s.expected_loss_ci_low.unwrap_or(0.0)),
                hi: money(s.expected_loss_ci_high.unwrap_or(0.0)),
                versus: versus(page, best, second, |o| o.loss, money),
            }
        });
        let tvar = |i: usize| data.architectures[i].loss.as_ref().map(|l| l.tvar99);
        let tail = keyed(&tvar).map(|(best, _)| Tail {
            best: id(best),
            money: money(tvar(best).unwrap_or(0.0)),
        });
        let per_year = HOURS_PER_YEAR / data.horizon_hours;
        let pts = cost_of_resilience::points(data);
        let keys: Vec<(usize, f64)> = pts
            .iter()
            .map(|p| (p.index, p.cost + p.expected_loss * per_year))
            .collect();
        let total = best_two(&keys).map(|(best, _)| {
            let p = pts.iter().find(|p| p.index == best).expect("listed");
            let el = p.expected_loss * per_year;
            Total {
                best: id(best),
                cost: money(p.cost),
                loss: money(el),
                total: money(p.cost + el),
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
                period: data.period(),
                downtime,
                bad,
                sla,
                loss,
                tail,
                total,
                insurance: super::insurance_section::answer(page).map(templates::safe),
                vendor,
            },
        ));
    }
}
