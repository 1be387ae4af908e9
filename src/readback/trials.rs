//! The per-trial table read back (`trials.csv`, or its Parquet form), one
//! trial at a time and checked line by line, so that a run of any size can
//! be summarized again without holding its table ([`super::load_summarized`])
//! or compared with another trial by trial ([`each_trial`]).

use super::{err, measure, number, ReadbackError, Run, NON_NEGATIVE};
use crate::evaluate::Outcome;
use crate::model::{Model, Settings};
use std::path::Path;

const PLAIN: &str = "trial,architecture,downtime_hours,outages,longest_outage_hours,loss,unserved_hours,degraded_hours";

/// Calls `each` with every trial's outcomes of `run` (read from `dir`), one
/// per architecture in scenario order, in trial order: from memory when the
/// run was read whole, else from its per-trial table as it is read
/// ([`super::load_lazily`]), without holding it.
pub fn each_trial(
    dir: &Path,
    run: &Run,
    each: &mut dyn FnMut(&[Outcome]),
) -> Result<(), ReadbackError> {
    let sim = &run.simulation;
    let n = run.model.architectures.len().max(1);
    if sim.outcomes.is_empty() && sim.settings.trials > 0 && !run.model.architectures.is_empty() {
        let rerun = " (runs with --no-trials-csv do not write it: run again without that flag)";
        let path = dir.join("trials.csv");
        return table(&path, &run.model, &sim.settings, rerun, None, each);
    }
    sim.outcomes.chunks(n).for_each(each);
    Ok(())
}

/// Calls `each` with every trial's outcomes (one per architecture, in
/// scenario order), in trial order; with `weights` (a weighted run), also
/// collects each trial's likelihood ratio from the `weight` column.
pub(super) fn table(
    path: &Path,
    model: &Model,
    settings: &Settings,
    rerun: &str,
    mut weights: Option<&mut Vec<f64>>,
    each: &mut dyn FnMut(&[Outcome]),
) -> Result<(), ReadbackError> {
    let header = match weights {
        None => PLAIN.to_string(),
        Some(_) => format!("{PLAIN},weight"),
    };
    let archs = &model.architectures;
    let n = archs.len().max(1);
    let expected = (settings.trials as usize).saturating_mul(archs.len());
    let h = settings.horizon_hours;
    let mut trial: Vec<Outcome> = Vec::with_capacity(n);
    let mut rows = 0usize;
    let mut seen_header = false;
    let wrong_header = || {
        err(
            path,
            format!(
                "the first line must be `{header}` (as summary.json says); run the scenario again"
            ),
        )
    };
    let mut on_line = |l: &str| -> Result<(), ReadbackError> {
        if !seen_header {
            seen_header = true;
            return if l == header {
                Ok(())
            } else {
                Err(wrong_header())
            };
        }
        let i = rows;
        let line = i + 2;
        let mut f = l.split(',');
        let t_read: u64 = number(path, line, (1, "trial"), f.next())?;
        let arch = f.next().unwrap_or_default();
        let (t, a) = (i / n, i % n);
        if t_read != t as u64 || archs.get(a).map(|x| x.id.as_str()) != Some(arch) {
            return Err(err(
                path,
                format!(
                    "line {line}: expected trial {t} of architecture \"{}\"; the file does not match \
                     scenario.toml: run the scenario again",
                    archs.get(a).map_or("?", |x| x.id.as_str())
                ),
            ));
        }
        trial.push(Outcome {
            downtime_hours: measure(path, line, (3, "downtime_hours"), f.next(), (0.0, h))?,
            outages: number(path, line, (4, "outages"), f.next())?,
            longest_outage_hours: measure(
                path,
                line,
                (5, "longest_outage_hours"),
                f.next(),
                NON_NEGATIVE,
            )?,
            loss: measure(path, line, (6, "loss"), f.next(), NON_NEGATIVE)?,
            largest_outage_loss: 0.0,
            unserved_hours: measure(path, line, (7, "unserved_hours"), f.next(), (0.0, h))?,
            degraded_hours: measure(path, line, (8, "degraded_hours"), f.next(), (0.0, h))?,
        });
        if let Some(w) = weights.as_deref_mut() {
            let v = measure(path, line, (9, "weight"), f.next(), NON_NEGATIVE)?;
            if a == 0 {
                w.push(v);
            } else if w.last() != Some(&v) {
                return Err(err(
                    path,
                    format!("line {line}: the weight differs from its trial's first row; run the scenario again"),
                ));
            }
        }
        rows += 1;
        if trial.len() == n {
            each(&trial);
            trial.clear();
        }
        Ok(())
    };
    crate::parquet_io::for_each_line(path, &mut on_line).map_err(|e| {
        err(
            path,
            format!("cannot read it ({e}); give the folder `fateshare run` wrote{rerun}"),
        )
    })??;
    if !seen_header {
        return Err(wrong_header());
    }
    if rows != expected {
        return Err(err(
            path,
            format!(
                "{} rows, expected {} ({} trials × {} architectures, from summary.json); run the scenario again",
                rows,
                expected,
                settings.trials,
                archs.len()
            ),
        ));
    }
    Ok(())
}
