//! How an importance-sampled run ([`crate::tilt`]) is described in its
//! outputs: the `importance` block of `summary.json` (method, estimator,
//! effective sample size and each outage source's rate factor) and the
//! `report.html` of a weighted run ([`page`]), whose section shows those and
//! the weighted results (markup and prose in `templates/importance.html`).

use super::html::{Page, Section};
use super::{templates, Report};
use crate::fmtnum;
use crate::model::SourceKind;
use crate::stats::Z_95;
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

/// The charts and `report.html` of a weighted run: the charts of
/// [`crate::charts::weighted`], and a page of the importance-sampling section
/// (the factors, the effective sample size and the weighted results), those
/// charts, the insurance and treaty sections (their figures weighted,
/// [`crate::insurance::weighing`]) and the scenario's assumptions; the other
/// standard sections, which read per-trial values unweighted, are left out.
pub fn page(
    report: &Report,
) -> Result<(Vec<crate::charts::Rendered>, String), crate::charts::ChartError> {
    let data = crate::charts::ChartData::from_report(report);
    let charts = crate::charts::render_these(crate::charts::weighted(), &data)?;
    let page = Page {
        report,
        data: &data,
        charts: &charts,
    };
    let sections: [Box<dyn Section>; 5] = [
        Box::new(Weighted),
        Box::new(super::sections::Charts),
        // Its policies' and treaties' figures, weighted (each applies only
        // when the scenario has them).
        Box::new(super::insurance_section::Insurance),
        Box::new(super::treaty_section::Treaties),
        Box::new(super::sections::Assumptions),
    ];
    let html = super::html::render(&page, &sections);
    Ok((charts, html))
}

/// The section of a weighted run.
pub struct Weighted;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    availability: String,
    availability_lo: String,
    availability_hi: String,
    nines: String,
    down_mean: String,
    down_lo: String,
    down_hi: String,
    p50: String,
    p90: String,
    p99: String,
    down_rp: Vec<String>,
    sla: String,
    loss: String,
    loss_lo: String,
    loss_hi: String,
    loss_p99: String,
}

impl Section for Weighted {
    fn id(&self) -> &'static str {
        "importance"
    }
    fn title(&self) -> &'static str {
        "Importance-sampled results"
    }
    fn open(&self) -> bool {
        true
    }
    fn render(&self, page: &Page, out: &mut String) {
        let r = page.report;
        let Some(block) = of(r) else {
            return;
        };
        let n = r.settings.trials as f64;
        let dash = || "–".to_string();
        let money = |v: Option<f64>| v.map_or_else(dash, fmtnum::money);
        let rows: Vec<Row> = r
            .summaries
            .iter()
            .map(|s| {
                let (a_lo, a_hi) = fmtnum::distinct(
                    s.availability_ci_low,
                    s.availability_ci_high,
                    fmtnum::availability_percent_extra,
                    0,
                );
                let half = Z_95 * s.downtime_hours_sd / n.sqrt();
                let (d_lo, d_hi) = fmtnum::distinct(
                    (s.downtime_hours_mean - half).max(0.0),
                    s.downtime_hours_mean + half,
                    fmtnum::hours_sig,
                    3,
                );
                Row {
                    id: &s.architecture,
                    availability: fmtnum::availability_percent(s.availability),
                    availability_lo: a_lo,
                    availability_hi: a_hi,
                    nines: s.nines.map_or_else(dash, |x| fmtnum::sig(x, 3)),
                    down_mean: fmtnum::hours(s.downtime_hours_mean),
                    down_lo: d_lo,
                    down_hi: d_hi,
                    p50: fmtnum::hours(s.downtime_hours_p50),
                    p90: fmtnum::hours(s.downtime_hours_p90),
                    p99: fmtnum::hours(s.downtime_hours_p99),
                    down_rp: s
                        .return_periods
                        .iter()
                        .map(|x| fmtnum::hours(x.downtime_hours))
                        .collect(),
                    sla: s.sla_met_probability.map_or_else(dash, fmtnum::probability),
                    loss: money(s.expected_loss),
                    loss_lo: money(s.expected_loss_ci_low),
                    loss_hi: money(s.expected_loss_ci_high),
                    loss_p99: money(s.loss_p99),
                }
            })
            .collect();
        #[derive(Serialize)]
        struct Context<'a> {
            method: &'static str,
            effective: String,
            trials: String,
            factors: Vec<Factor<'a>>,
            period: String,
            return_periods: Vec<u32>,
            any_loss: bool,
            rows: Vec<Row<'a>>,
            seed: u64,
            command: &'a str,
        }
        #[derive(Serialize)]
        struct Factor<'a> {
            source: &'a str,
            kind: &'static str,
            factor: String,
        }
        out.push_str(&templates::render(
            "importance.html",
            Context {
                method: if block.method == crate::weighted::CROSS_ENTROPY {
                    "factors chosen by the cross-entropy method on pilot runs, --tilt auto"
                } else {
                    "factors given with --tilt"
                },
                effective: fmtnum::thousands(block.effective_trials.round()),
                trials: fmtnum::thousands(n),
                factors: block
                    .factors
                    .iter()
                    .map(|f| Factor {
                        source: f.source,
                        kind: f.kind,
                        factor: fmtnum::sig(f.factor, 4),
                    })
                    .collect(),
                period: page.data.period(),
                return_periods: r.return_periods(),
                any_loss: r.summaries.iter().any(|s| s.expected_loss.is_some()),
                rows,
                seed: r.settings.seed,
                command: &r.command,
            },
        ));
    }
}
