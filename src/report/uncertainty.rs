//! What a two-level run (`run --uncertainty N`) adds to the outputs:
//! summary.csv with each figure's 5%, 50% and 95% credible values across the
//! outer draws and `best_share`/`down_best_share`, the same in summary.json
//! (`uncertainty`), and `uncertainty.csv` (a row per draw and architecture:
//! the sampled parameters and the draw's figures), `uncertainty_curves.csv`
//! (each draw's exceedance curves at fixed return periods) and
//! `parameter_importance.csv` (each parameter's rank correlation with each design's
//! figure).

use super::csv::{csv_err, opt, summary_header, summary_record};
use super::{Export, Report};
use crate::uncertain::curves::CURVES_HEADER;
use crate::uncertain::draws::{Credible, Draws, FIGURES, SE_COLUMNS};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Arc;

/// `summary.csv` with the credible-value columns after the usual ones.
pub struct SummaryCsv(pub Arc<Draws>);

/// `uncertainty.csv`.
pub struct UncertaintyCsv(pub Arc<Draws>);

/// `parameter_importance.csv`: Spearman's rank correlation of each parameter with each
/// architecture's total cost (or mean down time) across the draws.
pub struct ImportanceCsv(pub Arc<Draws>);

impl Export for ImportanceCsv {
    fn file_name(&self) -> &'static str {
        "parameter_importance.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(["architecture", "parameter", "figure", "spearman"])
            .map_err(csv_err)?;
        for r in crate::uncertain::importance::table(&self.0) {
            w.write_record([
                r.architecture,
                r.parameter,
                r.figure.to_string(),
                opt(r.spearman),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}

/// The columns added to summary.csv: `FIG_p05,FIG_p50,FIG_p95` for each of
/// [`FIGURES`], then `best_share,down_best_share`.
pub fn added_columns() -> Vec<String> {
    let mut h: Vec<String> = FIGURES
        .iter()
        .flat_map(|f| ["p05", "p50", "p95"].map(|q| format!("{f}_{q}")))
        .collect();
    h.push("best_share".into());
    h.push("down_best_share".into());
    h
}

fn added_record(draws: &Draws, a: usize) -> Vec<String> {
    let mut row = Vec::new();
    for f in FIGURES {
        match draws.credible(a, f) {
            Some(c) => row.extend([c.p05, c.p50, c.p95].map(|x| x.to_string())),
            None => row.extend(std::iter::repeat_n(String::new(), 3)),
        }
    }
    let (best, down) = draws.shares(a);
    row.push(opt(best));
    row.push(opt(down));
    row
}

impl Export for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = summary_header(&report.summaries);
        header.extend(added_columns());
        w.write_record(header).map_err(csv_err)?;
        for (a, s) in report.summaries.iter().enumerate() {
            let mut row = summary_record(s);
            row.extend(added_record(&self.0, a));
            w.write_record(row).map_err(csv_err)?;
        }
        w.flush()
    }
}

impl Export for UncertaintyCsv {
    fn file_name(&self) -> &'static str {
        "uncertainty.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let d = &self.0;
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec!["draw".to_string(), "architecture".to_string()];
        header.extend(d.params.iter().map(|p| p.name.clone()));
        header.extend(FIGURES.iter().map(|f| f.to_string()));
        header.extend(SE_COLUMNS.iter().map(|f| f.to_string()));
        w.write_record(header).map_err(csv_err)?;
        for (i, draw) in d.draws.iter().enumerate() {
            for (a, arch) in d.architectures.iter().enumerate() {
                let f = &draw.figures[a];
                let mut row = vec![i.to_string(), arch.clone()];
                row.extend(draw.values.iter().map(|v| v.to_string()));
                row.extend(FIGURES.iter().map(|name| opt(f.get(name))));
                row.push(f.downtime_se.to_string());
                row.push(opt(f.total_cost_se));
                w.write_record(row).map_err(csv_err)?;
            }
        }
        w.flush()
    }
}

/// `uncertainty_curves.csv`: each draw's down-time and loss exceedance
/// curves at a fixed set of return periods (the wheatsheaf charts).
pub struct CurvesCsv(pub Arc<Draws>);

impl Export for CurvesCsv {
    fn file_name(&self) -> &'static str {
        "uncertainty_curves.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let d = &self.0;
        let mut out = io::BufWriter::new(out);
        writeln!(out, "{CURVES_HEADER}")?;
        for (i, draw) in d.draws.iter().enumerate() {
            for (arch, c) in d.architectures.iter().zip(&draw.curves) {
                for (k, t) in d.return_periods.iter().enumerate() {
                    let loss = c.loss.as_ref().map(|l| l[k]);
                    writeln!(out, "{i},{arch},{t},{},{}", c.downtime[k], opt(loss))?;
                }
            }
        }
        out.flush()
    }
}

/// `summary.json`'s `uncertainty` object.
#[derive(Debug, Clone, Serialize)]
pub struct UncertaintyJson {
    pub draws: usize,
    pub parameters: Vec<ParameterJson>,
    pub architectures: Vec<ArchitectureJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParameterJson {
    pub name: String,
    /// As written, e.g. `{ incidents = 3, years = 5 }`.
    pub distribution: String,
    /// The mean: the value a plain run uses.
    pub point: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchitectureJson {
    pub architecture: String,
    /// 5%, 50% and 95% credible values (absent where the design has no such figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<Credible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downtime_hours_mean: Option<Credible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_loss: Option<Credible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss_p99: Option<Credible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla_met_probability: Option<Credible>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_cost: Option<Credible>,
    pub best_share: Option<f64>,
    pub down_best_share: Option<f64>,
}

impl UncertaintyJson {
    pub fn of(d: &Draws) -> Self {
        UncertaintyJson {
            draws: d.draws.len(),
            parameters: d
                .params
                .iter()
                .map(|p| ParameterJson {
                    name: p.name.clone(),
                    distribution: p.prior.describe(),
                    point: p.point,
                })
                .collect(),
            architectures: d
                .architectures
                .iter()
                .enumerate()
                .map(|(a, id)| {
                    let (best_share, down_best_share) = d.shares(a);
                    ArchitectureJson {
                        architecture: id.clone(),
                        availability: d.credible(a, "availability"),
                        downtime_hours_mean: d.credible(a, "downtime_hours_mean"),
                        expected_loss: d.credible(a, "expected_loss"),
                        loss_p99: d.credible(a, "loss_p99"),
                        sla_met_probability: d.credible(a, "sla_met_probability"),
                        total_cost: d.credible(a, "total_cost"),
                        best_share,
                        down_best_share,
                    }
                })
                .collect(),
        }
    }
}
