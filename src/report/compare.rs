//! Two runs side by side (`fateshare compare DIR_A DIR_B`): per architecture
//! present in both, each figure's difference B − A with its 95% interval.
//! Paired, trial by trial, when both runs used the same seed, trial count
//! and period (common random numbers: the same sampled worlds wherever the
//! scenarios agree); unpaired (difference of means, standard errors added in
//! quadrature) otherwise. Every figure comes from exact sums ([`Sums`]),
//! accumulated as the two runs' trials are read side by side. Written as `compare.csv`, `compare.html`
//! (`templates/compare.html`) and a terminal table.

use super::paired::Paired;
use super::templates;
use crate::evaluate::Outcome;
use crate::exact::{ExactMoments, ExactSum};
use crate::fmtnum::{self, hours, money};
use crate::model::{Model, Settings};
use crate::stats::digest::moments;
use crate::stats::Z_95;
use serde::Serialize;
use std::io::{self, Write};

/// One run, as compare reads it.
pub struct Side<'a> {
    /// The folder, as given.
    pub label: String,
    pub model: &'a Model,
    pub settings: Settings,
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

/// The exact sums compare reads from two runs' trials: per architecture in
/// both (in A's order), each figure's sums in either run and, when paired,
/// the sums of their products trial by trial, so that the differences'
/// moments are exact (`Σ(b − a)² = Σb² − 2Σab + Σa²`) and the trials can be
/// read as they stream past, side by side, without holding either run.
pub struct Sums {
    pub method: Method,
    /// Architectures in both runs: (index in A, index in B).
    matched: Vec<(usize, usize)>,
    a: Vec<[ExactMoments; 3]>,
    b: Vec<[ExactMoments; 3]>,
    cross: Vec<[ExactSum; 3]>,
}

impl Sums {
    /// Paired when both runs used the same seed, trial count and period.
    pub fn new(a: &Side, b: &Side) -> Sums {
        let (sa, sb) = (&a.settings, &b.settings);
        let paired =
            sa.seed == sb.seed && sa.trials == sb.trials && sa.horizon_hours == sb.horizon_hours;
        let matched: Vec<(usize, usize)> = a
            .model
            .architectures
            .iter()
            .enumerate()
            .filter_map(|(ia, x)| index(b.model, &x.id).map(|ib| (ia, ib)))
            .collect();
        let n = matched.len();
        Sums {
            method: if paired {
                Method::Paired
            } else {
                Method::Unpaired
            },
            matched,
            a: vec![Default::default(); n],
            b: vec![Default::default(); n],
            cross: vec![Default::default(); n],
        }
    }

    /// Adds a trial of A (its outcomes in A's scenario order).
    pub fn add_a(&mut self, t: &[Outcome]) {
        for (k, &(ia, _)) in self.matched.iter().enumerate() {
            for (m, (_, f)) in self.a[k].iter_mut().zip(FIGURES) {
                m.add(f(&t[ia]));
            }
        }
    }

    /// Adds a trial of B.
    pub fn add_b(&mut self, t: &[Outcome]) {
        for (k, &(_, ib)) in self.matched.iter().enumerate() {
            for (m, (_, f)) in self.b[k].iter_mut().zip(FIGURES) {
                m.add(f(&t[ib]));
            }
        }
    }

    /// Adds the products of the same trial of A and of B (paired).
    pub fn add_pair(&mut self, ta: &[Outcome], tb: &[Outcome]) {
        for (k, &(ia, ib)) in self.matched.iter().enumerate() {
            for (s, (_, f)) in self.cross[k].iter_mut().zip(FIGURES) {
                s.add_product(f(&ta[ia]), f(&tb[ib]));
            }
        }
    }
}

fn index(m: &Model, id: &str) -> Option<usize> {
    m.architectures.iter().position(|x| x.id == id)
}

/// Compares `b` against `a` from the sums of their trials.
pub fn compare(a: &Side, b: &Side, sums: &Sums) -> Comparison {
    let method = sums.method;
    let mut rows = Vec::new();
    for (k, &(ia, ib)) in sums.matched.iter().enumerate() {
        let arch = &a.model.architectures[ia];
        let has_loss = arch.loss.is_some() && b.model.architectures[ib].loss.is_some();
        for (j, (name, _)) in FIGURES.iter().enumerate() {
            if *name == "expected_loss" && !has_loss {
                continue;
            }
            let xa = moments(&sums.a[k][j]);
            let xb = moments(&sums.b[k][j]);
            let (difference, ci_low, ci_high) = match method {
                Method::Paired => {
                    let (x, y) = (&sums.a[k][j], &sums.b[k][j]);
                    let d = ExactMoments::of_difference(x, y, &sums.cross[k][j]);
                    let d = Paired::from_moments(moments(&d));
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
            trials_a: fmtnum::thousands(a.settings.trials as f64),
            trials_b: fmtnum::thousands(b.settings.trials as f64),
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
