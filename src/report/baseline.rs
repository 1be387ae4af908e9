//! `fateshare run --baseline ARCH`: every design's paired difference against
//! one chosen design, trial by trial on the same sampled worlds (common
//! random numbers), with its 95% interval ([`Paired`]). Written as
//! `baseline.csv`, printed as a terminal table, and shown in the decision
//! table of `report.html` in place of the difference from the best.

use super::paired::Paired;
use super::{Export, Report};
use crate::fmtnum;
use crate::model::HOURS_PER_YEAR;
use crate::stats::digest::Figure;
use std::io::{self, Write};

/// `baseline.csv`.
pub const FILE: &str = "baseline.csv";

/// One figure of one design against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub architecture: usize,
    pub figure: &'static str,
    /// The baseline's mean and this design's.
    pub baseline_value: f64,
    pub value: f64,
    /// Mean of (this design − the baseline), trial by trial.
    pub difference: Paired,
}

/// Architecture `a`'s mean of a compared figure and the paired difference
/// of `b − a`; `None` where either design has no such figure.
fn compare(report: &Report, name: &str, a: usize, b: usize) -> Option<(f64, f64, Paired)> {
    let model = report.model;
    let per_year = HOURS_PER_YEAR / report.settings.horizon_hours;
    let sums = &report.summaries;
    let paired = |f: Figure| Paired::from_moments(report.paired(a, b, f));
    match name {
        "downtime_hours" => Some((
            sums[a].downtime_hours_mean,
            sums[b].downtime_hours_mean,
            paired(Figure::Downtime),
        )),
        "outages" => Some((
            sums[a].outages_mean,
            sums[b].outages_mean,
            paired(Figure::Outages),
        )),
        "loss" => Some((
            sums[a].expected_loss?,
            sums[b].expected_loss?,
            paired(Figure::Loss),
        )),
        "total_cost_per_year" => {
            let total = |x: usize| {
                let arch = &model.architectures[x];
                arch.loss?;
                Some((arch.cost_per_year?, sums[x].expected_loss?))
            };
            let ((ca, la), (cb, lb)) = (total(a)?, total(b)?);
            Some((
                ca + la * per_year,
                cb + lb * per_year,
                paired(Figure::Loss).affine(cb - ca, per_year),
            ))
        }
        _ => None,
    }
}

const FIGURES: [&str; 4] = ["downtime_hours", "outages", "loss", "total_cost_per_year"];

/// Every other design against `base`, figures in [`FIGURES`] order, designs in file order.
pub fn rows(report: &Report, base: usize) -> Vec<Row> {
    let mut out = Vec::new();
    for a in 0..report.model.architectures.len() {
        if a == base {
            continue;
        }
        for name in FIGURES {
            if let Some((baseline_value, value, difference)) = compare(report, name, base, a) {
                out.push(Row {
                    architecture: a,
                    figure: name,
                    baseline_value,
                    value,
                    difference,
                });
            }
        }
    }
    out
}

/// `baseline.csv`: a row per design (but the baseline) and figure.
pub struct BaselineCsv(pub usize);

impl Export for BaselineCsv {
    fn file_name(&self) -> &'static str {
        FILE
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let m = report.model;
        let mut w = ::csv::Writer::from_writer(out);
        let err = |e: ::csv::Error| io::Error::other(e);
        w.write_record([
            "architecture",
            "baseline",
            "figure",
            "baseline_value",
            "value",
            "difference",
            "difference_se",
            "ci_low",
            "ci_high",
            "separated",
            "trials_to_separate",
        ])
        .map_err(err)?;
        for r in rows(report, self.0) {
            let d = &r.difference;
            w.write_record([
                m.architectures[r.architecture].id.clone(),
                m.architectures[self.0].id.clone(),
                r.figure.to_string(),
                r.baseline_value.to_string(),
                r.value.to_string(),
                d.mean().to_string(),
                d.moments.se().to_string(),
                d.lo.to_string(),
                d.hi.to_string(),
                d.separated().to_string(),
                d.trials_to_separate()
                    .map_or(String::new(), |t| t.to_string()),
            ])
            .map_err(err)?;
        }
        w.flush()
    }
}

fn show(figure: &str, x: f64, digits: usize) -> String {
    let s = match figure {
        "loss" | "total_cost_per_year" => fmtnum::money_sig(x.abs(), digits),
        "outages" => fmtnum::sig(x.abs(), digits),
        _ => fmtnum::hours_sig(x.abs(), digits),
    };
    if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

fn words(figure: &str) -> &'static str {
    match figure {
        "loss" => "expected loss",
        "total_cost_per_year" => "total cost a year",
        "outages" => "outages",
        _ => "down time, mean",
    }
}

/// The terminal table.
pub fn render(report: &Report, base: usize) -> String {
    let m = report.model;
    let mut out = format!(
        "Against the baseline {} (paired, trial by trial; 95% intervals; * where the interval excludes zero):\n",
        m.architectures[base].id
    );
    for r in rows(report, base) {
        let d = &r.difference;
        let (lo, hi) = fmtnum::distinct(d.lo, d.hi, |x, k| show(r.figure, x, k), 3);
        out.push_str(&format!(
            "  {:<28} {:<18} {:>12} [{} to {}]{}\n",
            m.architectures[r.architecture].id,
            words(r.figure),
            show(r.figure, d.mean(), 3),
            lo,
            hi,
            if d.separated() { " *" } else { "" }
        ));
    }
    out
}
