//! The standard sections of `report.html`, in order: headline, results,
//! charts, the analysis sections (each only where its table is in the
//! folder, [`analysis_sections`]), assumptions, method and precision. Each
//! is a [`Section`]; a feature that adds a section (insurance, analysis)
//! adds it to [`standard`] and nothing else changes.

use super::analysis_sections;
use super::html::{escape, inline_svg, Page, Section};
use crate::charts::cost_of_resilience;
use crate::evaluate::Outcome;
use crate::fmtnum::{availability_percent, hours, money, sig, thousands};
use crate::graph;
use crate::model::{SourceKind, HOURS_PER_YEAR};
use crate::stats::{Moments, Z_95};
use std::fmt::Write;

/// The sections `report.html` shows, in order.
pub fn standard() -> Vec<Box<dyn Section>> {
    vec![
        Box::new(Headline),
        Box::new(Results),
        Box::new(Charts),
        Box::new(super::insurance_section::Insurance),
        Box::new(analysis_sections::WhatTakesItDown),
        Box::new(analysis_sections::RedundancyAudit),
        Box::new(analysis_sections::Concentration),
        Box::new(analysis_sections::Sensitivity),
        Box::new(analysis_sections::Drills),
        Box::new(Assumptions),
        Box::new(Method),
    ]
}

/// The best design per criterion, one sentence each.
pub struct Headline;
/// The results tables.
pub struct Results;
/// Every chart, inline, with how to read it.
pub struct Charts;
/// Every component, cause and architecture as the scenario states them.
pub struct Assumptions;
/// Trials, seed, confidence intervals, version, the command to reproduce.
pub struct Method;

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

fn b(id: &str) -> String {
    format!("<strong>{}</strong>", escape(id))
}

/// "… N less than Y (95% CI a to b)" or "cannot be told apart from Y".
fn versus(
    page: &Page,
    best: usize,
    second: Option<usize>,
    what: impl Fn(&Outcome) -> f64,
    show: impl Fn(f64) -> String,
    less: &str,
) -> String {
    let Some(s) = second else {
        return String::new();
    };
    let ids = &page.report.model.architectures;
    let d = paired(page, best, s, what);
    let (lo, hi) = d.ci(Z_95);
    if lo > 0.0 {
        format!(
            ", {} {less} than {} (95% CI of the difference {} to {})",
            show(d.mean),
            b(&ids[s].id),
            show(lo),
            show(hi)
        )
    } else {
        format!(
            "; at this number of trials it cannot be told apart from {} (difference {}, 95% CI {} to {})",
            b(&ids[s].id),
            show(d.mean),
            show(lo),
            show(hi)
        )
    }
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
        let data = page.data;
        let period = data.period();
        let ids = &page.report.model.architectures;
        let mut items: Vec<String> = Vec::new();
        if sums.is_empty() {
            return;
        }
        let signed_hours = |x: f64| {
            if x < 0.0 {
                format!("−{}", hours(-x))
            } else {
                hours(x)
            }
        };
        let signed_money = |x: f64| {
            if x < 0.0 {
                format!("−{}", money(-x))
            } else {
                money(x)
            }
        };

        // Least down time.
        let keys: Vec<(usize, f64)> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.downtime_hours_mean))
            .collect();
        if let Some((best, second)) = best_two(&keys) {
            let s = &sums[best];
            items.push(format!(
                "<b>Least down time:</b> {} is down {} a {period} on average (availability {}){}.",
                b(&ids[best].id),
                hours(s.downtime_hours_mean),
                availability_percent(s.availability),
                versus(
                    page,
                    best,
                    second,
                    |o| o.downtime_hours,
                    signed_hours,
                    "less"
                )
            ));
        }
        // Bad periods.
        let keys: Vec<(usize, f64)> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.downtime_hours_p99))
            .collect();
        if let Some((best, second)) = best_two(&keys) {
            let other = second
                .map(|s| {
                    format!(
                        ", against {} for {}",
                        hours(sums[s].downtime_hours_p99),
                        b(&ids[s].id)
                    )
                })
                .unwrap_or_default();
            items.push(format!(
                "<b>Bad {period}s:</b> in a 1-in-100 {period}, {} is down least: {} or more (99th percentile){other}.",
                b(&ids[best].id),
                hours(sums[best].downtime_hours_p99),
            ));
        }
        // SLA.
        let keys: Vec<(usize, f64)> = sums
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.sla_met_probability.map(|p| (i, -p)))
            .collect();
        if let Some((best, _)) = best_two(&keys) {
            let s = &sums[best];
            items.push(format!(
                "<b>SLA:</b> {} meets its {} availability target in the most {period}s: {}%.",
                b(&ids[best].id),
                availability_percent(s.sla.unwrap_or(0.0)),
                sig(100.0 * s.sla_met_probability.unwrap_or(0.0), 3)
            ));
        }
        // Expected loss.
        let keys: Vec<(usize, f64)> = sums
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.expected_loss.map(|l| (i, l)))
            .collect();
        if let Some((best, second)) = best_two(&keys) {
            let s = &sums[best];
            let second = second.filter(|&x| sums[x].expected_loss.is_some());
            items.push(format!(
                "<b>Expected loss:</b> {} loses least on average: {} a {period} (95% CI {} to {}){}.",
                b(&ids[best].id),
                money(s.expected_loss.unwrap_or(0.0)),
                money(s.expected_loss_ci_low.unwrap_or(0.0)),
                money(s.expected_loss_ci_high.unwrap_or(0.0)),
                versus(page, best, second, |o| o.loss, signed_money, "less")
            ));
        }
        // Tail loss.
        let keys: Vec<(usize, f64)> = data
            .architectures
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.loss.as_ref().map(|l| (i, l.tvar99)))
            .collect();
        if let Some((best, _)) = best_two(&keys) {
            let l = data.architectures[best]
                .loss
                .as_ref()
                .map_or(0.0, |l| l.tvar99);
            items.push(format!(
                "<b>Worst years:</b> in the worst 1% of {period}s, {} loses least: {} on average (TVaR 99%).",
                b(&ids[best].id),
                money(l)
            ));
        }
        // Cost plus expected loss.
        let per_year = HOURS_PER_YEAR / data.horizon_hours;
        let pts = cost_of_resilience::points(data);
        let keys: Vec<(usize, f64)> = pts
            .iter()
            .map(|p| (p.index, p.cost + p.expected_loss * per_year))
            .collect();
        if let Some((best, _)) = best_two(&keys) {
            let p = pts.iter().find(|p| p.index == best).expect("listed");
            let el = p.expected_loss * per_year;
            items.push(format!(
                "<b>Total cost:</b> counting what it costs and what it is expected to lose, {} is cheapest: \
                 {} + {} = {} a year.",
                b(&ids[best].id),
                money(p.cost),
                money(el),
                money(p.cost + el)
            ));
        }
        // Insurance: the cheapest option by expected total cost of risk.
        items.extend(super::insurance_section::answer(page));
        // The independence arithmetic.
        let keys: Vec<(usize, f64)> = sums
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.correlation_penalty.map(|p| (i, -p)))
            .collect();
        if let Some((worst, _)) = best_two(&keys) {
            let a = &data.architectures[worst];
            let p = a.correlation_penalty.unwrap_or(1.0);
            if p >= 1.1 {
                items.push(format!(
                    "<b class=\"alert\">Vendor arithmetic:</b> the composite-SLA arithmetic, which treats every \
                     component as independent, is furthest off for {}: it promises {} down a {period}; the \
                     simulation gives {}, <span class=\"alert\">{} times as much</span>, because shared causes \
                     take its redundant branches down together.",
                    b(&a.id),
                    hours(a.naive_downtime),
                    hours(a.downtime_mean),
                    sig(p, 3)
                ));
            } else {
                items.push(format!(
                    "<b>Vendor arithmetic:</b> the composite-SLA arithmetic is within ×{} of the simulated \
                     down time for every design here.",
                    sig(p.max(1.0), 2)
                ));
            }
        }
        out.push_str("<ul class=\"headline\">\n");
        for i in items {
            let _ = writeln!(out, "<li>{i}</li>");
        }
        out.push_str("</ul>\n");
    }
}

fn cell(s: &str) -> String {
    format!("<td class=\"num\">{s}</td>")
}

fn opt_money(v: Option<f64>) -> String {
    v.map_or("–".into(), money)
}

impl Section for Results {
    fn id(&self) -> &'static str {
        "results"
    }
    fn title(&self) -> &'static str {
        "Results"
    }
    fn render(&self, page: &Page, out: &mut String) {
        let sums = &page.report.summaries;
        let data = page.data;
        let archs = &page.report.model.architectures;
        let period = data.period();
        let name = |i: usize| {
            let a = &archs[i];
            match &a.description {
                Some(d) => format!(
                    "<td class=\"text\"><strong>{}</strong><br><small>{}</small></td>",
                    escape(&a.id),
                    escape(d)
                ),
                None => format!("<td class=\"text\"><strong>{}</strong></td>", escape(&a.id)),
            }
        };
        let _ = writeln!(
            out,
            "<h3>Availability and down time</h3>\n<p class=\"muted\">Per simulated {period}; \
             availability with its 95% confidence interval; percentiles over {period}s.</p>\n\
             <table><thead><tr><th>architecture</th><th>availability [95% CI]</th><th>nines</th>\
             <th>down time, mean</th><th>p90</th><th>p99</th><th>outages</th><th>longest outage p99</th>\
             <th>SLA met</th></tr></thead><tbody>"
        );
        for (i, s) in sums.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr>{}{}{}{}{}{}{}{}{}</tr>",
                name(i),
                cell(&format!(
                    "{}<br><small>{} – {}</small>",
                    availability_percent(s.availability),
                    availability_percent(s.availability_ci_low),
                    availability_percent(s.availability_ci_high)
                )),
                cell(&s.nines.map_or("–".into(), |n| sig(n, 3))),
                cell(&hours(s.downtime_hours_mean)),
                cell(&hours(s.downtime_hours_p90)),
                cell(&hours(s.downtime_hours_p99)),
                cell(&sig(s.outages_mean, 3)),
                cell(&hours(s.longest_outage_hours_p99)),
                cell(&match (s.sla, s.sla_met_probability) {
                    (Some(sla), Some(p)) => format!(
                        "{}%<br><small>of {period}s at ≥ {}</small>",
                        sig(100.0 * p, 3),
                        availability_percent(sla)
                    ),
                    _ => "–".into(),
                }),
            );
        }
        out.push_str("</tbody></table>\n");

        let _ = writeln!(
            out,
            "<h3>Simulated against the independence arithmetic</h3>\n<p class=\"muted\">The naive figure \
             combines every component's stand-alone availability as if all were independent, the way \
             composite SLAs are usually computed. The penalty is simulated down time ÷ naive down time.</p>\n\
             <table><thead><tr><th>architecture</th><th>naive availability</th><th>naive down time</th>\
             <th>simulated down time [95% CI]</th><th>penalty</th></tr></thead><tbody>"
        );
        for (i, s) in sums.iter().enumerate() {
            let a = &data.architectures[i];
            let penalty = match s.correlation_penalty {
                Some(p) if p >= 1.5 => format!("<span class=\"alert\">×{}</span>", sig(p, 3)),
                Some(p) => format!("×{}", sig(p, 3)),
                None => "–".into(),
            };
            let _ = writeln!(
                out,
                "<tr>{}{}{}{}{}</tr>",
                name(i),
                cell(&availability_percent(s.naive_availability)),
                cell(&hours(a.naive_downtime)),
                cell(&format!(
                    "{}<br><small>{} – {}</small>",
                    hours(a.downtime_mean),
                    hours(a.downtime_ci.0),
                    hours(a.downtime_ci.1)
                )),
                cell(&penalty),
            );
        }
        out.push_str("</tbody></table>\n");

        let any_money = sums
            .iter()
            .any(|s| s.expected_loss.is_some() || s.cost_per_year.is_some());
        if any_money {
            let per_year = HOURS_PER_YEAR / data.horizon_hours;
            let _ = writeln!(
                out,
                "<h3>Money</h3>\n<p class=\"muted\">In the scenario's money unit. Loss per {period}; TVaR 99% \
                 is the mean loss of the worst 1% of {period}s; the total adds the cost per year and the \
                 expected loss per year.</p>\n<table><thead><tr><th>architecture</th><th>cost per year</th>\
                 <th>expected loss [95% CI]</th><th>loss p99</th><th>TVaR 99%</th><th>cost + expected loss</th>\
                 </tr></thead><tbody>"
            );
            for (i, s) in sums.iter().enumerate() {
                let a = &data.architectures[i];
                let total = match (s.cost_per_year, s.expected_loss) {
                    (Some(c), Some(l)) => money(c + l * per_year),
                    _ => "–".into(),
                };
                let _ = writeln!(
                    out,
                    "<tr>{}{}{}{}{}{}</tr>",
                    name(i),
                    cell(&opt_money(s.cost_per_year)),
                    cell(&match s.expected_loss {
                        Some(l) => format!(
                            "{}<br><small>{} – {}</small>",
                            money(l),
                            opt_money(s.expected_loss_ci_low),
                            opt_money(s.expected_loss_ci_high)
                        ),
                        None => "–".into(),
                    }),
                    cell(&opt_money(s.loss_p99)),
                    cell(&opt_money(a.loss.as_ref().map(|l| l.tvar99))),
                    cell(&total),
                );
            }
            out.push_str("</tbody></table>\n");
        }
    }
}

impl Section for Charts {
    fn id(&self) -> &'static str {
        "charts"
    }
    fn title(&self) -> &'static str {
        "Charts"
    }
    fn render(&self, page: &Page, out: &mut String) {
        let shown = page.charts.iter().filter(|c| c.section == self.id());
        for (i, c) in shown.enumerate() {
            let _ = writeln!(
                out,
                "<figure id=\"chart-{}\">\n<figcaption><h3>{}. {}</h3>\n<p>{}</p></figcaption>\n{}\n\
                 <p class=\"files\">Also as <code>{}</code> and <code>{}</code>.</p>",
                c.name,
                i + 1,
                escape(c.title),
                escape(&c.how_to_read),
                inline_svg(&c.svg, c.title),
                c.png_file,
                c.svg_file
            );
            if c.name == "dependency-graph" {
                shared_fates(page, out);
            }
            out.push_str("</figure>\n");
        }
    }
}

/// The list of causes and components that reach several branches of one redundancy.
fn shared_fates(page: &Page, out: &mut String) {
    let shared = &page.data.graph.shared;
    if shared.is_empty() {
        out.push_str(
            "<p>No cause or component reaches more than one branch of any redundancy in this scenario.</p>\n",
        );
        return;
    }
    out.push_str(
        "<p><b>Shared fates</b> (what makes redundant branches fail together):</p>\n<ul>\n",
    );
    for f in shared {
        let class = if f.defeats() { " class=\"alert\"" } else { "" };
        let _ = writeln!(out, "<li{class}>{}</li>", escape(&f.sentence()));
    }
    out.push_str("</ul>\n");
}

impl Section for Assumptions {
    fn id(&self) -> &'static str {
        "assumptions"
    }
    fn title(&self) -> &'static str {
        "Assumptions"
    }
    fn render(&self, page: &Page, out: &mut String) {
        let model = page.report.model;
        out.push_str(
            "<p>Every number the simulation starts from, as the scenario file states it. Rates are per \
             year of 8760 hours; each source is a Poisson process whose events last a random time drawn \
             from its duration distribution. Where the numbers come from is in the descriptions below and \
             in the comments of the scenario file, reproduced in full at the end of this section.</p>\n",
        );
        let desc = |d: &Option<String>| d.as_deref().map(escape).unwrap_or_default();
        // Components.
        out.push_str(
            "<h3>Components</h3>\n<table><thead><tr><th>component</th><th class=\"text\">description</th>\
             <th class=\"text\">own outages</th><th class=\"text\">needs</th><th class=\"text\">hit by causes</th>\
             </tr></thead><tbody>\n",
        );
        for (c, comp) in model.components.iter().enumerate() {
            let own = comp
                .own_source
                .map(|s| &model.sources[s])
                .filter(|s| s.per_year > 0.0)
                .map(|s| {
                    format!(
                        "{}/yr, {}<br><small>mean {}</small>",
                        sig(s.per_year, 3),
                        escape(&s.duration.describe()),
                        hours(s.duration.mean())
                    )
                })
                .unwrap_or_else(|| "–".into());
            let needs = if comp.needs.is_empty() {
                "–".into()
            } else {
                format!(
                    "{}: {}",
                    escape(&graph::mode_text(comp.mode, comp.needs.len())),
                    comp.needs
                        .iter()
                        .map(|&n| escape(&model.components[n].id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let hits: Vec<String> = model
                .sources
                .iter()
                .filter(|s| s.kind == SourceKind::Cause)
                .filter_map(|s| {
                    s.targets
                        .iter()
                        .find(|t| t.component == c)
                        .map(|t| format!("{} ({})", escape(&s.id), sig(t.probability, 3)))
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><td class=\"text\"><strong>{}</strong></td><td class=\"text\">{}</td>\
                 <td class=\"text\">{own}</td><td class=\"text\">{needs}</td><td class=\"text\">{}</td></tr>",
                escape(&comp.id),
                desc(&comp.description),
                if hits.is_empty() { "–".into() } else { hits.join(", ") }
            );
        }
        out.push_str("</tbody></table>\n");
        // Causes.
        let causes: Vec<_> = model
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Cause)
            .collect();
        if !causes.is_empty() {
            out.push_str(
                "<h3>Shared causes</h3>\n<p class=\"muted\">Each event of a cause takes down each listed \
                 component with the given probability, drawn independently per event and component.</p>\n\
                 <table><thead><tr><th>cause</th><th class=\"text\">description</th><th>rate</th>\
                 <th class=\"text\">duration</th><th class=\"text\">hits (probability per event)</th>\
                 </tr></thead><tbody>\n",
            );
            for s in causes {
                let hits: Vec<String> = s
                    .targets
                    .iter()
                    .map(|t| {
                        format!(
                            "{} ({})",
                            escape(&model.components[t.component].id),
                            sig(t.probability, 3)
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "<tr><td class=\"text\"><strong>{}</strong></td><td class=\"text\">{}</td>{}\
                     <td class=\"text\">{}<br><small>mean {}</small></td><td class=\"text\">{}</td></tr>",
                    escape(&s.id),
                    desc(&s.description),
                    cell(&format!("{}/yr", sig(s.per_year, 3))),
                    escape(&s.duration.describe()),
                    hours(s.duration.mean()),
                    hits.join(", ")
                );
            }
            out.push_str("</tbody></table>\n");
        }
        // Architectures.
        out.push_str(
            "<h3>Architectures</h3>\n<table><thead><tr><th>architecture</th><th class=\"text\">description</th>\
             <th class=\"text\">serves</th><th>cost per year</th><th>SLA</th><th class=\"text\">loss</th>\
             </tr></thead><tbody>\n",
        );
        for a in &model.architectures {
            let loss = a
                .loss
                .map(|l| {
                    format!(
                        "{} per hour + {} per outage; outages of {} or less cost nothing",
                        money(l.per_hour),
                        money(l.per_outage),
                        hours(l.grace_hours)
                    )
                })
                .unwrap_or_else(|| "–".into());
            let _ = writeln!(
                out,
                "<tr><td class=\"text\"><strong>{}</strong></td><td class=\"text\">{}</td>\
                 <td class=\"text\">{}</td>{}{}<td class=\"text\">{}</td></tr>",
                escape(&a.id),
                desc(&a.description),
                escape(&model.components[a.serves].id),
                cell(&opt_money(a.cost_per_year)),
                cell(&a.sla.map_or("–".into(), availability_percent)),
                loss
            );
        }
        out.push_str("</tbody></table>\n");
        let _ = writeln!(
            out,
            "<h3>The scenario file</h3>\n<p class=\"muted\">As simulated (also saved beside this report as \
             <code>scenario.toml</code>).</p>\n<pre>{}</pre>",
            escape(&page.report.scenario_text)
        );
    }
}

impl Section for Method {
    fn id(&self) -> &'static str {
        "method"
    }
    fn title(&self) -> &'static str {
        "Method and precision"
    }
    fn render(&self, page: &Page, out: &mut String) {
        let r = page.report;
        let s = &r.settings;
        let period = page.data.period();
        let _ = writeln!(
            out,
            "<dl class=\"facts\">\n<dt>trials</dt><dd>{} independent {period}s of {} hours each</dd>\n\
             <dt>seed</dt><dd>{}</dd>\n<dt>program</dt><dd>fateshare {}</dd>\n\
             <dt>scenario file</dt><dd><code>{}</code></dd>\n<dt>reproduce</dt><dd><code>{}</code></dd>\n</dl>",
            thousands(s.trials as f64),
            sig(s.horizon_hours, 6),
            s.seed,
            escape(super::VERSION),
            escape(&r.scenario_file),
            escape(&r.command)
        );
        let _ = writeln!(
            out,
            "<h3>How the figures are made</h3>\n\
             <p>Each outage source (a component's own outages, or a shared cause) is a Poisson process: \
             events arrive at the stated rate and last a random time drawn from the stated distribution; \
             each event of a cause hits each of its targets with the stated probability. Every trial \
             simulates one {period} that starts in the steady state (outages already in progress at its \
             start are drawn from the long-run mix), so the mean over trials is the long-run figure. Each \
             component's down time follows from the events and from how its needs combine; an \
             architecture is down while the component it serves is down. All architectures are \
             evaluated on the same sampled worlds, so differences between them are paired, not noise \
             between separate runs.</p>\n\
             <p>An outage belongs to the {period} in which it starts and counts with its full length, \
             also past the {period}'s end; its loss is <code>per_outage + per_hour × length</code> when it \
             is longer than the grace period.</p>\n\
             <h3>Precision</h3>\n\
             <p>Means come with 95% confidence intervals, mean ± 1.96 · sd / √n over the n = {} trials \
             (normal approximation). Differences between two designs in the headline are the means of \
             per-trial differences on the same worlds, with their own 95% interval. Percentiles (p90, p99) \
             interpolate linearly between order statistics; TVaR 99% is the mean of the worst ⌈n / 100⌉ \
             trials. Curves in the charts are empirical: they stop where the trials run out (nothing rarer \
             than 1 in {} {period}s was simulated). Rerunning with another seed moves the figures within \
             their intervals; more trials narrow them by √n.</p>\n\
             <h3>The independence arithmetic (\"naive\")</h3>\n\
             <p>What the usual composite-SLA method gives from the same scenario. Each component's \
             stand-alone unavailability is 1 − Π over the sources that hit it of exp(−λ · p · E[D]) \
             (λ the rate per hour, p the hit probability, E[D] the mean duration). Needs are combined as \
             if every component were independent: <code>all</code> multiplies availabilities, \
             <code>any</code> and <code>failover</code> multiply unavailabilities (switch time ignored), \
             <code>quorum</code> takes the exact k-of-n probability for unequal components; the component's \
             own availability multiplies the result. The penalty is the simulated mean down time divided \
             by the naive down time: how much the independence assumption understates the down time.</p>\n\
             <h3>Reproducibility</h3>\n\
             <p>The same scenario, seed and number of trials give byte-identical output files on any \
             number of threads. <code>fateshare report &lt;folder&gt;</code> redraws the charts and this \
             page from the folder's <code>scenario.toml</code>, <code>summary.json</code>, \
             <code>trials.csv</code> and <code>outages.csv</code> without simulating again.</p>",
            thousands(s.trials as f64),
            thousands(s.trials as f64),
        );
    }
}
