//! Reading a two-level run's draws back from its folder, for `fateshare
//! report`: the uncertain parameters from `scenario.toml`, each draw's values
//! and figures from `uncertainty.csv` and its exceedance curves from
//! `uncertainty_curves.csv`. Numbers are written in shortest round-trip form,
//! so the draws read back are bit for bit those of the run and the charts and
//! report drawn from them are byte-identical to the run's. The draws' EP
//! tables (the PSEPT) are not read back: `report` redraws no ORD file.

use super::curves::{Curve, CURVES_HEADER};
use super::draws::{Draw, Draws, Figures, FIGURES, SE_COLUMNS};
use crate::model::Model;
use crate::readback_error::ReadbackError;
use std::path::Path;

fn err(path: &Path, message: impl Into<String>) -> ReadbackError {
    ReadbackError {
        path: path.display().to_string(),
        message: message.into(),
    }
}

const RERUN: &str = "run the scenario again with --uncertainty";

/// The draws of the run in `dir`, or None when it has no `uncertainty.csv`
/// (a plain run). `scenario_text` is the folder's `scenario.toml`.
pub fn load(
    dir: &Path,
    scenario_text: &str,
    model: &Model,
) -> Result<Option<Draws>, ReadbackError> {
    let path = dir.join("uncertainty.csv");
    if !path.exists() {
        return Ok(None);
    }
    let toml_path = dir.join("scenario.toml");
    let (_, _, params) =
        crate::scenario::document_with_uncertain(scenario_text, &toml_path.display().to_string())
            .map_err(|e| err(&toml_path, format!("no longer a valid scenario: {e}")))?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| err(&path, format!("cannot read it ({e}); {RERUN}")))?;
    let mut lines = text.lines();
    let mut header = vec!["draw".to_string(), "architecture".to_string()];
    header.extend(params.iter().map(|p| p.name.clone()));
    header.extend(FIGURES.iter().map(|f| f.to_string()));
    header.extend(SE_COLUMNS.iter().map(|f| f.to_string()));
    let header = header.join(",");
    if lines.next() != Some(header.as_str()) {
        return Err(err(
            &path,
            format!("the first line must be `{header}` (from scenario.toml's uncertain parameters); {RERUN}"),
        ));
    }
    let archs: Vec<String> = model.architectures.iter().map(|a| a.id.clone()).collect();
    let n_arch = archs.len().max(1);
    let mut draws: Vec<Draw> = Vec::new();
    for (i, l) in lines.enumerate() {
        let line = i + 2;
        let (d, a) = (i / n_arch, i % n_arch);
        let cells: Vec<&str> = l.split(',').collect();
        if cells.len() != 2 + params.len() + FIGURES.len() + SE_COLUMNS.len()
            || cells[0] != d.to_string()
            || cells[1] != archs[a]
        {
            return Err(err(
                &path,
                format!(
                    "line {line}: expected draw {d} of architecture \"{}\" with every column; {RERUN}",
                    archs[a]
                ),
            ));
        }
        let num = |k: usize| -> Result<Option<f64>, ReadbackError> {
            let c = cells[k];
            if c.is_empty() {
                return Ok(None);
            }
            match c.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(err(
                    &path,
                    format!(
                        "line {line}, column {}: `{}` is not a finite number; {RERUN}",
                        k + 1,
                        crate::text::escape(c)
                    ),
                )),
            }
        };
        let need = |k: usize| -> Result<f64, ReadbackError> {
            num(k)?.ok_or_else(|| {
                err(
                    &path,
                    format!("line {line}, column {}: missing; {RERUN}", k + 1),
                )
            })
        };
        let values = (0..params.len())
            .map(|p| need(2 + p))
            .collect::<Result<Vec<f64>, _>>()?;
        let f0 = 2 + params.len();
        let figures = Figures {
            availability: need(f0)?,
            downtime_hours_mean: need(f0 + 1)?,
            expected_loss: num(f0 + 2)?,
            loss_p99: num(f0 + 3)?,
            sla_met_probability: num(f0 + 4)?,
            total_cost: num(f0 + 5)?,
            downtime_se: need(f0 + 6)?,
            total_cost_se: num(f0 + 7)?,
        };
        if a == 0 {
            draws.push(Draw {
                values,
                figures: Vec::with_capacity(n_arch),
                curves: Vec::with_capacity(n_arch),
                ept: Vec::new(),
            });
        }
        draws[d].figures.push(figures);
    }
    if draws.is_empty() || draws.last().is_some_and(|d| d.figures.len() != archs.len()) {
        return Err(err(
            &path,
            format!(
                "expected a row per draw and architecture ({} architectures); {RERUN}",
                archs.len()
            ),
        ));
    }
    let return_periods = read_curves(dir, &archs, &mut draws)?;
    Ok(Some(Draws {
        params,
        architectures: archs,
        return_periods,
        draws,
    }))
}

/// `uncertainty_curves.csv` into each draw's curves; returns the return periods.
fn read_curves(
    dir: &Path,
    archs: &[String],
    draws: &mut [Draw],
) -> Result<Vec<f64>, ReadbackError> {
    let path = dir.join("uncertainty_curves.csv");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| err(&path, format!("cannot read it ({e}); {RERUN}")))?;
    let mut lines = text.lines();
    if lines.next() != Some(CURVES_HEADER) {
        return Err(err(
            &path,
            format!("the first line must be `{CURVES_HEADER}`; {RERUN}"),
        ));
    }
    let rows: Vec<&str> = lines.collect();
    let per = archs.len().max(1) * draws.len();
    if per == 0 || !rows.len().is_multiple_of(per) || rows.is_empty() {
        return Err(err(
            &path,
            format!("{} rows: expected the same number of return periods for each of the {} draws and {} architectures; {RERUN}", rows.len(), draws.len(), archs.len()),
        ));
    }
    let k_max = rows.len() / per;
    let mut periods: Vec<f64> = Vec::with_capacity(k_max);
    for (i, l) in rows.iter().enumerate() {
        let line = i + 2;
        let (d, rest) = (i / (k_max * archs.len()), i % (k_max * archs.len()));
        let (a, k) = (rest / k_max, rest % k_max);
        let bad = |what: &str| err(&path, format!("line {line}: {what}; {RERUN}"));
        let cells: Vec<&str> = l.split(',').collect();
        if cells.len() != 5 || cells[0] != d.to_string() || cells[1] != archs[a] {
            return Err(bad(&format!(
                "expected draw {d} of architecture \"{}\" (5 columns)",
                archs[a]
            )));
        }
        let num = |c: &str| c.parse::<f64>().ok().filter(|v| v.is_finite());
        let t = num(cells[2]).ok_or_else(|| bad("return_period is not a number"))?;
        if d == 0 && a == 0 {
            periods.push(t);
        } else if periods[k] != t {
            return Err(bad("the return periods differ from the first curve's"));
        }
        let down = num(cells[3]).ok_or_else(|| bad("downtime_hours is not a number"))?;
        let loss = match cells[4] {
            "" => None,
            c => Some(num(c).ok_or_else(|| bad("loss is not a number"))?),
        };
        let curves = &mut draws[d].curves;
        if k == 0 {
            curves.push(Curve {
                downtime: Vec::with_capacity(k_max),
                loss: loss.map(|_| Vec::with_capacity(k_max)),
            });
        }
        let c = curves.last_mut().expect("pushed at k = 0");
        c.downtime.push(down);
        match (&mut c.loss, loss) {
            (Some(v), Some(x)) => v.push(x),
            (None, None) => {}
            _ => return Err(bad("a curve has a loss at some return periods only")),
        }
    }
    Ok(periods)
}
