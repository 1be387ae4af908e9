//! `run --uncertainty N`: builds every outer draw's scenario from the
//! scenario's uncertain parameters, simulates them ([`crate::uncertain::draws`]),
//! and hands the draws to the outputs and the terminal.

use crate::cmd::flags::Failure;
use crate::fmtnum::{availability_percent, hours_sig, money_sig, sig};
use crate::model::{Model, Settings};
use crate::report::{self, Export};
use crate::scenario;
use crate::uncertain::draws::{self, Draws};
use crate::uncertain::Param;
use std::path::Path;
use std::sync::Arc;

/// Every draw's model, checked; an invalid draw is the user's to fix (exit 2).
#[allow(clippy::type_complexity)]
pub fn models(
    path: &Path,
    text: &str,
    settings: &Settings,
    n: u64,
) -> Result<(Vec<Param>, Vec<(Vec<f64>, Model)>), Failure> {
    let label = path.display().to_string();
    let (doc, _, params) = scenario::document_with_uncertain(text, &label)?;
    let models = draws::models(&doc, &params, &label, settings.seed, n)?;
    Ok((params, models))
}

/// Simulates the draws one after the other (each on every thread).
pub fn simulate(
    params: Vec<Param>,
    models: Vec<(Vec<f64>, Model)>,
    settings: &Settings,
    threads: Option<u64>,
    quiet: bool,
    ord: bool,
) -> Arc<Draws> {
    let total = settings.trials * models.len() as u64;
    let bar = super::progress_bar(total, quiet);
    let options = super::engine_options(threads, &bar, false);
    let d = draws::simulate(models, params, settings, &options, ord);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Arc::new(d)
}

/// Swaps summary.csv and summary.json for their versions with credible
/// values and adds uncertainty.csv.
pub fn exports(exports: &mut Vec<Box<dyn Export>>, d: &Arc<Draws>) {
    for e in exports.iter_mut() {
        match e.file_name() {
            "summary.csv" => *e = Box::new(report::uncertainty::SummaryCsv(d.clone())),
            "summary.json" => {
                *e = Box::new(report::json::SummaryJson {
                    precision: None,
                    uncertainty: Some(report::uncertainty::UncertaintyJson::of(d)),
                })
            }
            _ => {}
        }
    }
    exports.push(Box::new(report::uncertainty::UncertaintyCsv(d.clone())));
    exports.push(Box::new(report::uncertainty::CurvesCsv(d.clone())));
    exports.push(Box::new(report::uncertainty::ImportanceCsv(d.clone())));
}

/// The terminal lines: each design's 90% credible interval of availability,
/// mean down time and total cost, and how often it is best.
pub fn render(d: &Draws) -> String {
    let mut out = format!(
        "\nparameter uncertainty: {} draws of {} uncertain parameter(s); 90% credible interval (5% to 95% across draws)\n",
        d.draws.len(),
        d.params.len()
    );
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{}%", sig(100.0 * x, 3)));
    for (a, id) in d.architectures.iter().enumerate() {
        let av = d.credible(a, "availability").expect("always there");
        let down = d.credible(a, "downtime_hours_mean").expect("always there");
        let mut line = format!(
            "  {id}: availability {} to {}; mean down time {} to {}",
            availability_percent(av.p05),
            availability_percent(av.p95),
            hours_sig(down.p05, 3),
            hours_sig(down.p95, 3)
        );
        if let Some(c) = d.credible(a, "total_cost") {
            line += &format!(
                "; total cost a year {} to {}",
                money_sig(c.p05, 3),
                money_sig(c.p95, 3)
            );
        }
        let (best, down_best) = d.shares(a);
        line += &format!(
            "; lowest total cost in {} of draws, lowest down time in {}\n",
            pct(best),
            pct(down_best)
        );
        out += &line;
    }
    // The parameter whose draws move each design's figure most.
    let table = crate::uncertain::importance::table(d);
    for id in &d.architectures {
        let top = table
            .iter()
            .filter(|r| &r.architecture == id)
            .filter_map(|r| r.spearman.map(|s| (r, s)))
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        if let Some((r, s)) = top {
            out += &format!(
                "  {id}: {} follows {} most (Spearman rank correlation {})\n",
                r.figure,
                r.parameter,
                sig(s, 2)
            );
        }
    }
    out
}
