//! The standard sections of `report.html`, in order: headline
//! ([`super::headline`]), results, parameter uncertainty (two-level runs,
//! [`super::uncertainty_section`]), charts, insurance, the analysis sections
//! (each only where its table is in the folder, [`analysis_sections`]),
//! assumptions, method and precision ([`super::method_section`]). Each is a [`Section`] whose markup and
//! prose live in its template (`templates/<id>.html`); the Rust side only
//! gathers and formats the figures. A feature that adds a section adds it to
//! [`standard`] and nothing else changes.

use super::analysis_sections;
use super::html::{Figure, Page, Section};
use super::templates;
use crate::fmtnum::{availability_percent, hours, money, sig};
use crate::graph;
use crate::model::{SourceKind, HOURS_PER_YEAR};
use serde::Serialize;

/// The sections `report.html` shows, in order.
pub fn standard() -> Vec<Box<dyn Section>> {
    vec![
        Box::new(super::headline::Headline),
        Box::new(Results),
        Box::new(super::uncertainty_section::Uncertainty),
        Box::new(Charts),
        Box::new(super::insurance_section::Insurance),
        Box::new(super::treaty_section::Treaties),
        Box::new(analysis_sections::WhatTakesItDown),
        Box::new(analysis_sections::RedundancyAudit),
        Box::new(analysis_sections::Concentration),
        Box::new(analysis_sections::Sensitivity),
        Box::new(analysis_sections::Drills),
        Box::new(analysis_sections::Rds),
        Box::new(Assumptions),
        Box::new(super::method_section::Method),
    ]
}

/// The results tables.
pub struct Results;
/// Every chart, inline, with how to read it.
pub struct Charts;
/// Every component, cause and architecture as the scenario states them.
pub struct Assumptions;

fn opt_money(v: Option<f64>) -> String {
    v.map_or("–".into(), money)
}

#[derive(Serialize)]
struct Arch<'a> {
    id: &'a str,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct SlaCell {
    percent: String,
    target: String,
}

#[derive(Serialize)]
struct Interval {
    mean: String,
    lo: String,
    hi: String,
}

#[derive(Serialize)]
struct ResultRow<'a> {
    arch: Arch<'a>,
    availability: String,
    availability_lo: String,
    availability_hi: String,
    served: Interval,
    nines: String,
    down_mean: String,
    down_lo: String,
    down_hi: String,
    down_p90: String,
    down_p99: String,
    outages: String,
    longest_p99: String,
    sla: Option<SlaCell>,
    naive_availability: String,
    naive_down: String,
    penalty: Option<String>,
    penalty_alert: bool,
    cost: String,
    loss: Option<Interval>,
    /// Loss of a 1-in-N period per return period, with its distribution-free interval.
    loss_rp: Vec<Interval>,
    tvar99: String,
    total: String,
}

impl Section for Results {
    fn id(&self) -> &'static str {
        "results"
    }
    fn title(&self) -> &'static str {
        "Results"
    }
    fn summary(&self, page: &Page) -> String {
        format!(
            "Availability, down time percentiles, outages and money for each of the {} designs, and the independence arithmetic beside the simulation.",
            page.report.summaries.len()
        )
    }
    fn render(&self, page: &Page, out: &mut String) {
        let sums = &page.report.summaries;
        let data = page.data;
        let archs = &page.report.model.architectures;
        let per_year = HOURS_PER_YEAR / data.horizon_hours;
        let rows: Vec<ResultRow> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let a = &data.architectures[i];
                let availability_ends = crate::fmtnum::distinct(
                    s.availability_ci_low,
                    s.availability_ci_high,
                    crate::fmtnum::availability_percent_extra,
                    0,
                );
                let down_ends = crate::fmtnum::distinct(
                    a.downtime_ci.0,
                    a.downtime_ci.1,
                    crate::fmtnum::hours_sig,
                    3,
                );
                ResultRow {
                    arch: Arch {
                        id: &archs[i].id,
                        description: archs[i].description.as_deref(),
                    },
                    availability: availability_percent(s.availability),
                    availability_lo: availability_ends.0,
                    availability_hi: availability_ends.1,
                    served: {
                        let (lo, hi) = crate::fmtnum::distinct(
                            s.served_ci_low,
                            s.served_ci_high,
                            crate::fmtnum::availability_percent_extra,
                            0,
                        );
                        Interval {
                            mean: availability_percent(s.served),
                            lo,
                            hi,
                        }
                    },
                    nines: s.nines.map_or("–".into(), |n| sig(n, 3)),
                    down_mean: hours(s.downtime_hours_mean),
                    down_lo: down_ends.0,
                    down_hi: down_ends.1,
                    down_p90: hours(s.downtime_hours_p90),
                    down_p99: hours(s.downtime_hours_p99),
                    outages: sig(s.outages_mean, 3),
                    longest_p99: hours(s.longest_outage_hours_p99),
                    sla: match (s.sla, s.sla_met_probability) {
                        (Some(sla), Some(p)) => Some(SlaCell {
                            percent: crate::fmtnum::probability(p),
                            target: availability_percent(sla),
                        }),
                        _ => None,
                    },
                    naive_availability: availability_percent(s.naive_availability),
                    naive_down: hours(a.naive_downtime),
                    penalty: s.correlation_penalty.map(|p| sig(p, 3)),
                    penalty_alert: s.correlation_penalty.is_some_and(|p| p >= 1.5),
                    cost: opt_money(s.cost_per_year),
                    loss: s.expected_loss.map(|l| Interval {
                        mean: money(l),
                        lo: opt_money(s.expected_loss_ci_low),
                        hi: opt_money(s.expected_loss_ci_high),
                    }),
                    loss_rp: loss_return_periods(a, &page.report.return_periods()),
                    tvar99: opt_money(a.loss.as_ref().map(|l| l.tvar99)),
                    total: match (s.cost_per_year, s.expected_loss) {
                        (Some(c), Some(l)) => money(c + l * per_year),
                        _ => "–".into(),
                    },
                }
            })
            .collect();
        let any_money = sums
            .iter()
            .any(|s| s.expected_loss.is_some() || s.cost_per_year.is_some());
        // Served share beside availability where partial service makes them differ.
        let show_served = sums.iter().any(|s| s.served != s.availability);
        #[derive(Serialize)]
        struct Context<'a> {
            period: String,
            rows: Vec<ResultRow<'a>>,
            any_money: bool,
            any_loss: bool,
            return_periods: Vec<u32>,
            show_served: bool,
        }
        out.push_str(&templates::render(
            "results.html",
            Context {
                period: data.period(),
                rows,
                any_money,
                any_loss: sums.iter().any(|s| s.expected_loss.is_some()),
                return_periods: page.report.return_periods(),
                show_served,
            },
        ));
    }
}

/// The loss of a 1-in-N period for each N (the type-7 quantile at 1 − 1/N,
/// as `loss_rpN` in summary.csv) with its distribution-free 95% interval;
/// none without a loss model.
fn loss_return_periods(a: &crate::charts::data::ArchData, periods: &[u32]) -> Vec<Interval> {
    let Some(l) = &a.loss else {
        return Vec::new();
    };
    periods
        .iter()
        .map(|&n| {
            let q = crate::stats::return_period_probability(n);
            let (lo, hi) = l.sorted.quantile_interval(q);
            let (lo, hi) = crate::fmtnum::distinct(lo, hi, crate::fmtnum::money_sig, 3);
            Interval {
                mean: crate::fmtnum::money_sig(l.sorted.quantile(q), 3),
                lo,
                hi,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Fate {
    defeats: bool,
    sentence: String,
}

impl Section for Charts {
    fn id(&self) -> &'static str {
        "charts"
    }
    fn title(&self) -> &'static str {
        "Charts"
    }
    fn summary(&self, page: &Page) -> String {
        let titles: Vec<&str> = page
            .charts
            .iter()
            .filter(|c| c.section == self.id())
            .map(|c| c.title)
            .collect();
        format!("{} charts: {}.", titles.len(), titles.join("; "))
    }
    fn render(&self, page: &Page, out: &mut String) {
        let charts: Vec<Figure> = page
            .charts
            .iter()
            .filter(|c| c.section == self.id())
            .map(Figure::of)
            .collect();
        let shared: Vec<Fate> = page
            .data
            .graph
            .shared
            .iter()
            .map(|f| Fate {
                defeats: f.defeats(),
                sentence: f.sentence(),
            })
            .collect();
        #[derive(Serialize)]
        struct Context<'a> {
            charts: Vec<Figure<'a>>,
            shared: Vec<Fate>,
        }
        out.push_str(&templates::render(
            "charts.html",
            Context { charts, shared },
        ));
    }
}

#[derive(Serialize)]
struct Hit<'a> {
    id: &'a str,
    p: String,
}

#[derive(Serialize)]
struct Own {
    rate: String,
    duration: String,
    mean: String,
}

#[derive(Serialize)]
struct Needs<'a> {
    mode: String,
    ids: Vec<&'a str>,
}

#[derive(Serialize)]
struct ComponentRow<'a> {
    id: &'a str,
    description: &'a str,
    own: Option<Own>,
    needs: Option<Needs<'a>>,
    hits: Vec<Hit<'a>>,
}

#[derive(Serialize)]
struct CauseRow<'a> {
    id: &'a str,
    description: &'a str,
    rate: String,
    duration: String,
    mean: String,
    hits: Vec<Hit<'a>>,
}

#[derive(Serialize)]
struct LossModel {
    per_hour: String,
    per_outage: String,
    grace: String,
}

#[derive(Serialize)]
struct ArchRow<'a> {
    id: &'a str,
    description: &'a str,
    serves: &'a str,
    cost: String,
    sla: String,
    loss: Option<LossModel>,
}

impl Section for Assumptions {
    fn id(&self) -> &'static str {
        "assumptions"
    }
    fn title(&self) -> &'static str {
        "Assumptions"
    }
    fn summary(&self, page: &Page) -> String {
        let m = page.report.model;
        let causes = m
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Cause)
            .count();
        format!(
            "{} components, {causes} shared causes and {} architectures as the scenario states them, and the scenario file.",
            m.components.len(),
            m.architectures.len()
        )
    }
    fn render(&self, page: &Page, out: &mut String) {
        let model = page.report.model;
        // Per component, the causes hitting it (cause order; the first
        // target naming it): one pass over the hits.
        let mut hit_by: Vec<Vec<Hit>> = model.components.iter().map(|_| Vec::new()).collect();
        let mut last = vec![usize::MAX; model.components.len()];
        for (i, s) in model.sources.iter().enumerate() {
            if s.kind != SourceKind::Cause {
                continue;
            }
            for t in &s.targets {
                if last[t.component] != i {
                    last[t.component] = i;
                    hit_by[t.component].push(Hit {
                        id: &s.id,
                        p: sig(t.probability, 3),
                    });
                }
            }
        }
        let components: Vec<ComponentRow> = model
            .components
            .iter()
            .enumerate()
            .map(|(c, comp)| ComponentRow {
                id: &comp.id,
                description: comp.description.as_deref().unwrap_or(""),
                own: comp
                    .own_source
                    .map(|s| &model.sources[s])
                    .filter(|s| s.per_year > 0.0)
                    .map(|s| Own {
                        rate: sig(s.per_year, 3),
                        duration: s.duration.describe(),
                        mean: hours(s.duration.mean()),
                    }),
                needs: (!comp.needs.is_empty()).then(|| Needs {
                    mode: graph::mode_text(comp.mode, comp.needs.len()),
                    ids: comp
                        .needs
                        .iter()
                        .map(|&n| model.components[n].id.as_str())
                        .collect(),
                }),
                hits: std::mem::take(&mut hit_by[c]),
            })
            .collect();
        let causes: Vec<CauseRow> = model
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Cause)
            .map(|s| CauseRow {
                id: &s.id,
                description: s.description.as_deref().unwrap_or(""),
                rate: sig(s.per_year, 3),
                duration: s.duration.describe(),
                mean: hours(s.duration.mean()),
                hits: s
                    .targets
                    .iter()
                    .map(|t| Hit {
                        id: &model.components[t.component].id,
                        p: sig(t.probability, 3),
                    })
                    .collect(),
            })
            .collect();
        let architectures: Vec<ArchRow> = model
            .architectures
            .iter()
            .map(|a| ArchRow {
                id: &a.id,
                description: a.description.as_deref().unwrap_or(""),
                serves: &model.components[a.serves].id,
                cost: opt_money(a.cost_per_year),
                sla: a.sla.map_or("–".into(), availability_percent),
                loss: a.loss.map(|l| LossModel {
                    per_hour: money(l.per_hour),
                    per_outage: money(l.per_outage),
                    grace: hours(l.grace_hours),
                }),
            })
            .collect();
        #[derive(Serialize)]
        struct Context<'a> {
            components: Vec<ComponentRow<'a>>,
            causes: Vec<CauseRow<'a>>,
            architectures: Vec<ArchRow<'a>>,
            scenario_text: &'a str,
        }
        out.push_str(&templates::render(
            "assumptions.html",
            Context {
                components,
                causes,
                architectures,
                scenario_text: &page.report.scenario_text,
            },
        ));
    }
}
