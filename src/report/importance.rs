//! How an importance-sampled run ([`crate::tilt`]) is described in its
//! outputs: the `importance` block of `summary.json` (method, estimator,
//! effective sample size and each outage source's rate factor).

use super::Report;
use crate::model::SourceKind;
use serde::Serialize;

/// The estimator every weighted figure uses (docs/statistics.md §6).
pub const ESTIMATOR: &str = "plain ratio: means are the mean of w·x over the trials (unbiased, \
w the exact likelihood ratio); 95% intervals mean ± 1.96·sd(w·x)/√trials, and \
downtime_hours_sd is sd(w·x); probabilities the mean of w times the event; quantiles the \
smallest value whose self-normalised weight share Σw/Σw reaches p";

/// `summary.json`'s `importance` block.
#[derive(Serialize)]
pub struct ImportanceJson<'a> {
    /// `given` (--tilt X) or `cross-entropy` (--tilt auto).
    pub method: &'a str,
    pub estimator: &'static str,
    /// Kish's effective sample size (Σw)² / Σw².
    pub effective_trials: f64,
    /// Per outage source, its rate factor.
    pub factors: Vec<SourceFactor<'a>>,
}

/// One outage source's rate factor.
#[derive(Serialize)]
pub struct SourceFactor<'a> {
    pub source: &'a str,
    /// `cause` (a shared cause) or `own` (a component's own outages).
    pub kind: &'static str,
    pub factor: f64,
}

/// The block for a weighted run; `None` for a plain one.
pub fn of<'a>(report: &Report<'a>) -> Option<ImportanceJson<'a>> {
    let imp = report.simulation.importance.as_ref()?;
    Some(ImportanceJson {
        method: &imp.method,
        estimator: ESTIMATOR,
        effective_trials: imp.effective_trials(),
        factors: report
            .model
            .sources
            .iter()
            .zip(&imp.factors)
            .map(|(s, &factor)| SourceFactor {
                source: &s.id,
                kind: match s.kind {
                    SourceKind::Cause => "cause",
                    SourceKind::Own => "own",
                },
                factor,
            })
            .collect(),
    })
}
