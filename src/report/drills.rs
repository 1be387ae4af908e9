//! `drills.csv` (one row per drill and architecture: what the forced events
//! did on their own and, with `--trials`, inside sampled worlds) and the
//! terminal table of `fateshare drill`.

use super::csv::{csv_err, opt};
use super::table::money;
use super::text;
use crate::drill::{self, ConditionalSummary, Effect};
use crate::model::{Drill, Model};
use crate::stats::ArchSummary;
use std::io::{self, Write};

pub const FILE: &str = "drills.csv";

/// One drill's results.
#[derive(Debug, Clone)]
pub struct DrillResult {
    pub drill: Drill,
    /// Per architecture, on a world holding only the forced events.
    pub effects: Vec<Effect>,
    /// Per architecture, with `--trials`.
    pub conditional: Option<Vec<ConditionalSummary>>,
}

/// Everything `fateshare drill` reports.
pub struct DrillReport<'a> {
    pub model: &'a Model,
    pub drills: Vec<DrillResult>,
    /// The same trials without the drill (`fateshare run`'s figures), with `--trials`.
    pub baseline: Option<Vec<ArchSummary>>,
}

pub const COLUMNS: [&str; 26] = [
    "drill",
    "forced",
    "hours",
    "at_hours",
    "architecture",
    "went_down",
    "outages",
    "downtime_hours",
    "longest_outage_hours",
    "loss",
    "path",
    "absorbed",
    "trials",
    "p_down_during_drill",
    "down_during_drill_hours_mean",
    "downtime_hours_mean",
    "downtime_hours_p50",
    "downtime_hours_p90",
    "downtime_hours_p99",
    "expected_loss",
    "loss_p50",
    "loss_p90",
    "loss_p99",
    "baseline_downtime_hours_mean",
    "baseline_expected_loss",
    "source",
];

fn ids(model: &Model, components: &[usize]) -> String {
    components
        .iter()
        .map(|&c| model.components[c].id.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

pub fn write_csv(r: &DrillReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(csv_err)?;
    for d in &r.drills {
        for (a, arch) in r.model.architectures.iter().enumerate() {
            let e = &d.effects[a];
            let c = d.conditional.as_ref().map(|c| &c[a]);
            let b = r.baseline.as_ref().map(|b| &b[a]);
            let num = |f: &dyn Fn(&ConditionalSummary) -> f64| {
                c.map(f).map(|x| x.to_string()).unwrap_or_default()
            };
            let maybe = |f: &dyn Fn(&ConditionalSummary) -> Option<f64>| opt(c.and_then(f));
            w.write_record([
                d.drill.id.clone(),
                d.drill.causes.join("+"),
                d.drill.hours.to_string(),
                d.drill.at_hours.unwrap_or(0.0).to_string(),
                arch.id.clone(),
                e.went_down.to_string(),
                e.outages.to_string(),
                e.downtime_hours.to_string(),
                e.longest_outage_hours.to_string(),
                opt(e.loss),
                drill::path_text(r.model, &e.path),
                ids(r.model, &e.absorbed),
                c.map(|c| c.summary.trials.to_string()).unwrap_or_default(),
                num(&|c| c.p_down_during),
                num(&|c| c.down_during_mean),
                num(&|c| c.summary.downtime_hours_mean),
                num(&|c| c.summary.downtime_hours_p50),
                num(&|c| c.summary.downtime_hours_p90),
                num(&|c| c.summary.downtime_hours_p99),
                maybe(&|c| c.summary.expected_loss),
                maybe(&|c| c.loss_p50),
                maybe(&|c| c.loss_p90),
                maybe(&|c| c.summary.loss_p99),
                b.map(|b| b.downtime_hours_mean.to_string())
                    .unwrap_or_default(),
                opt(b.and_then(|b| b.expected_loss)),
                d.drill.source.clone().unwrap_or_default(),
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush()
}

/// A length of time for people: "12 s", "4.5 min", "7.45 h".
pub fn span(hours: f64) -> String {
    if hours <= 0.0 {
        "0".into()
    } else if hours < 1.0 / 60.0 {
        format!("{:.0} s", hours * 3600.0)
    } else if hours < 1.0 {
        format!("{:.1} min", hours * 60.0)
    } else {
        format!("{hours:.2} h")
    }
}

/// The terminal table: a row per drill and architecture.
pub fn render(r: &DrillReport) -> String {
    let trials = r.baseline.is_some();
    let mut header = vec![
        "drill",
        "forced for",
        "architecture",
        "down",
        "down for",
        "loss",
    ];
    if trials {
        header.extend([
            "P(down in drill)",
            "E[down h | drill]",
            "E[loss | drill]",
            "E[loss] no drill",
        ]);
    }
    header.push("path (forced > ... > served)");
    let mut rows = Vec::new();
    for d in &r.drills {
        for (a, arch) in r.model.architectures.iter().enumerate() {
            let e = &d.effects[a];
            let mut row = vec![
                d.drill.id.clone(),
                span(d.drill.hours),
                arch.id.clone(),
                if e.went_down { "DOWN" } else { "up" }.to_string(),
                span(e.downtime_hours),
                e.loss.map_or("-".into(), money),
            ];
            if let (Some(c), Some(b)) = (&d.conditional, &r.baseline) {
                let c = &c[a];
                row.extend([
                    format!("{:.4}", c.p_down_during),
                    format!("{:.2}", c.summary.downtime_hours_mean),
                    c.summary.expected_loss.map_or("-".into(), money),
                    b[a].expected_loss.map_or("-".into(), money),
                ]);
            }
            row.push(if e.went_down {
                drill::path_text(r.model, &e.path)
            } else if e.absorbed.is_empty() {
                "not affected".to_string()
            } else {
                format!("absorbed: {}", ids(r.model, &e.absorbed))
            });
            rows.push(row);
        }
    }
    let n = header.len();
    let right: Vec<bool> = (0..n)
        .map(|i| !(i == 0 || i == 2 || i == 3 || i == n - 1))
        .collect();
    text::table(&header, &rows, &right)
}
