//! Two runs side by side (`fateshare compare DIR_A DIR_B`): per architecture
//! present in both, each figure's difference B − A with its 95% interval.
//! Paired, trial by trial, when both runs used the same seed, trial count
//! and period (common random numbers: the same sampled worlds wherever the
//! scenarios agree); unpaired (difference of means, standard errors added in
//! quadrature) otherwise. Written as `compare.csv`, `compare.html`
//! (`templates/compare.html`) and a terminal table.

use super::paired::Paired;
use super::templates;
use crate::engine::Simulation;
use crate::evaluate::Outcome;
use crate::fmtnum::{self, hours, money};
use crate::model::Model;
use crate::stats::{Moments, Z_95};
use serde::Serialize;
use std::io::{self, Write};

/// One run, as compare reads it.
pub struct Side<'a> {
    /// The folder, as given.
    pub label: String,
    pub model: &'a Model,
    pub simulation: &'a Simulation,
}

/// How the differences were computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Paired,
    Unpaired,
}

/// One figure of one architecture in both runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub architecture: String,
    pub figure: &'static str,
    pub a: f64,
    pub b: f64,
    /// B − A.
    pub difference: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The comparison of two runs.
pub struct Comparison {
    pub method: Method,
    pub rows: Vec<Row>,
    /// Architectures in only one of the runs.
    pub only_a: Vec<String>,
    pub only_b: Vec<String>,
}

type Figure = (&'static str, fn(&Outcome) -> f64);

const FIGURES: [Figure; 3] = [
    ("downtime_hours_mean", |o| o.downtime_hours),
    ("outages_mean", |o| f64::from(o.outages)),
    ("expected_loss", |o| o.loss),
];

/// Compares `b` against `a`.
pub fn compare(a: &Side, b: &Side) -> Comparison {
    let (sa, sb) = (&a.simulation.settings, &b.simulation.settings);
    let method =
        if sa.seed == sb.seed && sa.trials == sb.trials && sa.horizon_hours == sb.horizon_hours {
            Method::Paired
        } else {
            Method::Unpaired
        };
    let index = |m: &Model, id: &str| m.architectures.iter().position(|x| x.id == id);
    let mut rows = Vec::new();
    for (ia, arch) in a.model.architectures.iter().enumerate() {
        let Some(ib) = index(b.model, &arch.id) else {
            continue;
        };
        let has_loss = arch.loss.is_some() && b.model.architectures[ib].loss.is_some();
        for (name, f) in FIGURES {
            if name == "expected_loss" && !has_loss {
                continue;
            }
            let xa = Moments::of(a.simulation.of(ia).map(f));
            let xb = Moments::of(b.simulation.of(ib).map(f));
            let (difference, ci_low, ci_high) = match method {
                Method::Paired => {
                    let d = Paired::of(
                        a.simulation
                            .of(ia)
                            .zip(b.simulation.of(ib))
                            .map(|(x, y)| f(y) - f(x)),
                    );
                    (d.mean(), d.lo, d.hi)
                }
                Method::Unpaired => {
                    let d = xb.mean - xa.mean;
                    let se = (xa.se().powi(2) + xb.se().powi(2)).sqrt();
                    (d, d - Z_95 * se, d + Z_95 * se)
                }
            };
            rows.push(Row {
                architecture: arch.id.clone(),
                figure: name,
                a: xa.mean,
                b: xb.mean,
                difference,
                ci_low,
                ci_high,
            });
        }
    }
    let only = |x: &Model, y: &Model| -> Vec<String> {
        x.architectures
            .iter()
            .filter(|p| index(y, &p.id).is_none())
            .map(|p| p.id.clone())
            .collect()
    };
    Comparison {
        method,
        rows,
        only_a: only(a.model, b.model),
        only_b: only(b.model, a.model),
    }
}

/// `compare.csv`: a row per architecture and figure.
pub fn write_csv(c: &Comparison, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let err = |e: ::csv::Error| io::Error::other(e);
    w.write_record([
        "architecture",
        "figure",
        "a",
        "b",
        "difference",
        "ci_low",
        "ci_high",
        "method",
    ])
    .map_err(err)?;
    let method = match c.method {
        Method::Paired => "paired",
        Method::Unpaired => "unpaired",
    };
    for r in &c.rows {
        w.write_record([
            r.architecture.clone(),
            r.figure.to_string(),
            r.a.to_string(),
            r.b.to_string(),
            r.difference.to_string(),
            r.ci_low.to_string(),
            r.ci_high.to_string(),
            method.to_string(),
        ])
        .map_err(err)?;
    }
    w.flush()
}

fn show(figure: &str, x: f64) -> String {
    let s = match figure {
        "expected_loss" => money(x.abs()),
        "outages_mean" => fmtnum::sig(x.abs(), 3),
        _ => hours(x.abs()),
    };
    if x < 0.0 {
        format!("−{s}")
    } else {
        s
    }
}

fn words(figure: &str) -> &'static str {
    match figure {
        "expected_loss" => "expected loss",
        "outages_mean" => "outages",
        _ => "down time, mean",
    }
}

#[derive(Serialize)]
struct Line {
    architecture: String,
    figure: &'static str,
    a: String,
    b: String,
    difference: String,
    lo: String,
    hi: String,
    separated: bool,
}

fn lines(c: &Comparison) -> Vec<Line> {
    c.rows
        .iter()
        .map(|r| Line {
            architecture: r.architecture.clone(),
            figure: words(r.figure),
            a: show(r.figure, r.a),
            b: show(r.figure, r.b),
            difference: show(r.figure, r.difference),
            lo: show(r.figure, r.ci_low),
            hi: show(r.figure, r.ci_high),
            separated: r.ci_low > 0.0 || r.ci_high < 0.0,
        })
        .collect()
}

/// `compare.html`.
pub fn html(c: &Comparison, a: &Side, b: &Side) -> String {
    #[derive(Serialize)]
    struct Context<'a> {
        a: &'a str,
        b: &'a str,
        paired: bool,
        trials_a: String,
        trials_b: String,
        rows: Vec<Line>,
        only_a: &'a [String],
        only_b: &'a [String],
        version: &'a str,
    }
    templates::render(
        "compare.html",
        Context {
            a: &a.label,
            b: &b.label,
            paired: c.method == Method::Paired,
            trials_a: fmtnum::thousands(a.simulation.settings.trials as f64),
            trials_b: fmtnum::thousands(b.simulation.settings.trials as f64),
            rows: lines(c),
            only_a: &c.only_a,
            only_b: &c.only_b,
            version: super::VERSION,
        },
    )
}

/// The terminal table.
pub fn render(c: &Comparison) -> String {
    let mut out = format!(
        "{} differences, B − A, with 95% intervals:\n",
        match c.method {
            Method::Paired => "paired (same seed and trials: trial by trial)",
            Method::Unpaired => "unpaired (different seed or trials)",
        }
    );
    for l in lines(c) {
        out.push_str(&format!(
            "  {:<28} {:<16} {:>12} → {:<12} {:>12} [{} to {}]{}\n",
            l.architecture,
            l.figure,
            l.a,
            l.b,
            l.difference,
            l.lo,
            l.hi,
            if l.separated { " *" } else { "" }
        ));
    }
    for id in &c.only_a {
        out.push_str(&format!("  {id}: only in A\n"));
    }
    for id in &c.only_b {
        out.push_str(&format!("  {id}: only in B\n"));
    }
    out
}
