//! Sensitivity (`templates/sensitivity.html`): the tornado table with its
//! chart (`tornado.csv`) and the sweep (`sweep.csv`); then each earlier
//! tornado and sweep result kept in `history/`
//! ([`crate::report::history`]), newest first.

use super::{archs_in, from, trials_seed, From, MAX_ARCHS, MAX_COLUMNS, TOP};
use crate::fmtnum::{hours, money, sig};
use crate::report::analyses::{SweepRow, Table, TornadoBar};
use crate::report::html::{Figure, Page, Section};
use crate::report::templates;
use serde::Serialize;

/// Rows of the sweep table.
const MAX_POINTS: usize = 30;

/// The tornado table and chart; the sweep.
pub struct Sensitivity;

#[derive(Serialize)]
struct Bar<'a> {
    source: &'a str,
    parameter: &'a str,
    low: String,
    high: String,
    swing: String,
    noise: bool,
    loss_low: String,
    loss_high: String,
    loss_swing: String,
    loss_noise: bool,
}

#[derive(Serialize)]
struct Arch<'a> {
    id: &'a str,
    base: String,
    bars: Vec<Bar<'a>>,
}

#[derive(Serialize)]
struct Tornado<'a> {
    /// The invocation's name, when several are shown.
    heading: Option<String>,
    lo: String,
    hi: String,
    trials_seed: String,
    chart: Option<Figure<'a>>,
    loss: bool,
    archs: Vec<Arch<'a>>,
    more: usize,
    from: Option<From>,
}

#[derive(Serialize)]
struct SweepCell {
    hours: String,
    loss: Option<String>,
}

#[derive(Serialize)]
struct Point<'a> {
    values: Vec<&'a str>,
    cells: Vec<Option<SweepCell>>,
}

#[derive(Serialize)]
struct Sweep<'a> {
    heading: Option<String>,
    trials_seed: String,
    paths: Vec<&'a str>,
    columns: Vec<&'a str>,
    points: Vec<Point<'a>>,
    more_points: usize,
    more_columns: usize,
    from: Option<From>,
}

#[derive(Serialize)]
struct Context<'a> {
    period: String,
    top: usize,
    tornados: Vec<Tornado<'a>>,
    sweeps: Vec<Sweep<'a>>,
}

/// "NAME (newest)", "NAME": the heading of the k-th of several results.
fn heading<R>(t: &Table<R>, k: usize, several: bool) -> Option<String> {
    several.then(|| {
        let name = t
            .origin
            .name
            .clone()
            .unwrap_or_else(|| t.origin.command.clone());
        if k == 0 {
            format!("{name} (newest)")
        } else {
            name
        }
    })
}

impl Section for Sensitivity {
    fn id(&self) -> &'static str {
        "sensitivity"
    }
    fn title(&self) -> &'static str {
        "Sensitivity"
    }
    fn summary(&self, _page: &Page) -> String {
        "How much each result moves when a rate or a duration is scaled (tornado), and the sweep."
            .into()
    }
    fn applies(&self, page: &Page) -> bool {
        let a = &page.data.analyses;
        a.tornado.is_some()
            || a.sweep.is_some()
            || !a.earlier.tornado.is_empty()
            || !a.earlier.sweep.is_empty()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let a = &page.data.analyses;
        out.push_str(&templates::render(
            "sensitivity.html",
            Context {
                period: page.data.period(),
                top: TOP,
                tornados: {
                    let all: Vec<_> = a.tornado.iter().chain(&a.earlier.tornado).collect();
                    let several = all.len() > 1;
                    all.into_iter()
                        .enumerate()
                        .map(|(k, t)| {
                            // The chart is drawn from the newest (the folder's tornado.csv).
                            let is_latest = k == 0 && a.tornado.is_some();
                            tornado(page, t, heading(t, k, several), is_latest)
                        })
                        .collect()
                },
                sweeps: {
                    let all: Vec<_> = a.sweep.iter().chain(&a.earlier.sweep).collect();
                    let several = all.len() > 1;
                    all.into_iter()
                        .enumerate()
                        .map(|(k, s)| sweep(page, s, heading(s, k, several)))
                        .collect()
                },
            },
        ));
    }
}

fn tornado<'a>(
    page: &'a Page,
    t: &'a Table<TornadoBar>,
    heading: Option<String>,
    with_chart: bool,
) -> Tornado<'a> {
    let (lo, hi) = t
        .rows
        .first()
        .map_or((0.5, 2.0), |b| (b.low_factor, b.high_factor));
    let loss = t.rows.iter().any(|b| b.loss_swing.is_some());
    let (ids, more) = archs_in(
        page,
        |id| t.rows.iter().any(|b| b.architecture == id),
        MAX_ARCHS,
    );
    let m = |x: Option<f64>| x.map_or("–".into(), money);
    let archs = ids
        .into_iter()
        .filter_map(|arch| {
            // tornado.csv lists each architecture's bars in rank order.
            let bars: Vec<&TornadoBar> = t
                .rows
                .iter()
                .filter(|b| b.architecture == arch)
                .take(TOP)
                .collect();
            let first = bars.first()?;
            let base = match first.base_expected_loss {
                Some(l) if loss => {
                    format!("base {}, {}", hours(first.base_downtime_hours), money(l))
                }
                _ => format!("base {}", hours(first.base_downtime_hours)),
            };
            Some(Arch {
                id: arch,
                base,
                bars: bars
                    .into_iter()
                    .map(|b| Bar {
                        source: &b.source,
                        parameter: &b.parameter,
                        low: hours(b.low_downtime_hours),
                        high: hours(b.high_downtime_hours),
                        swing: hours(b.downtime_swing_hours),
                        noise: b.downtime_swing_hours < 2.0 * b.downtime_swing_se_hours,
                        loss_low: m(b.low_expected_loss),
                        loss_high: m(b.high_expected_loss),
                        loss_swing: m(b.loss_swing),
                        loss_noise: matches!((b.loss_swing, b.loss_swing_se), (Some(s), Some(se)) if s < 2.0 * se),
                    })
                    .collect(),
            })
        })
        .collect();
    Tornado {
        heading,
        lo: format!("×{}", sig(lo, 3)),
        hi: format!("×{}", sig(hi, 3)),
        trials_seed: trials_seed(&t.origin),
        chart: page
            .charts
            .iter()
            .find(|c| with_chart && c.section == "sensitivity")
            .map(Figure::of),
        loss,
        archs,
        more,
        from: from(&[&t.origin], String::new()),
    }
}

fn sweep<'a>(page: &'a Page, t: &'a Table<SweepRow>, heading: Option<String>) -> Sweep<'a> {
    let (columns, more_columns) = archs_in(
        page,
        |id| t.rows.iter().any(|r| r.architecture == id),
        MAX_COLUMNS,
    );
    let paths: Vec<&str> = t
        .rows
        .first()
        .map(|r| r.values.iter().map(|(p, _)| p.as_str()).collect())
        .unwrap_or_default();
    let mut numbers: Vec<usize> = t.rows.iter().map(|r| r.point).collect();
    numbers.dedup();
    let points = numbers
        .iter()
        .take(MAX_POINTS)
        .map(|&p| {
            let rows: Vec<&SweepRow> = t.rows.iter().filter(|r| r.point == p).collect();
            Point {
                values: rows
                    .first()
                    .map(|r| r.values.iter().map(|(_, v)| v.as_str()).collect())
                    .unwrap_or_default(),
                cells: columns
                    .iter()
                    .map(|c| {
                        rows.iter()
                            .find(|r| r.architecture == *c)
                            .map(|r| SweepCell {
                                hours: hours(r.downtime_hours_mean),
                                loss: r.expected_loss.map(money),
                            })
                    })
                    .collect(),
            }
        })
        .collect();
    Sweep {
        heading,
        trials_seed: trials_seed(&t.origin),
        paths,
        columns,
        points,
        more_points: numbers.len().saturating_sub(MAX_POINTS),
        more_columns,
        from: from(&[&t.origin], String::new()),
    }
}
