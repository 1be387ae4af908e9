//! Reading `treaties.csv` back from an output folder, for `fateshare report`:
//! the rows checked against the treaties of the folder's `scenario.toml`
//! (each treaty in file order, then the book's gross, ceded and net). Numbers
//! were written in shortest round-trip form, so the figures are bit for bit
//! those of the run.

use super::treaties::{Share, TreatyRow};
use crate::model::Model;
use crate::readback_error::ReadbackError;
use crate::report::treaty_csv::TREATY_COLUMNS;
use std::path::Path;

const RERUN: &str = "run the scenario again";

/// The rows of `treaties.csv`; empty when the scenario has no treaties.
pub fn read(dir: &Path, model: &Model) -> Result<Vec<TreatyRow>, ReadbackError> {
    if model.treaties.is_empty() {
        return Ok(Vec::new());
    }
    let path = dir.join("treaties.csv");
    let err = |m: String| ReadbackError {
        path: path.display().to_string(),
        message: m,
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        err(format!(
            "cannot read it ({e}); the scenario has treaties, so `fateshare run` writes it: {RERUN}"
        ))
    })?;
    let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let header = r
        .headers()
        .map_err(|e| err(format!("not a CSV file ({e}); {RERUN}")))?
        .clone();
    if header.iter().ne(TREATY_COLUMNS.iter().copied()) {
        return Err(err(format!(
            "the first line must be `{}`; {RERUN}",
            TREATY_COLUMNS.join(",")
        )));
    }
    let mut want: Vec<(String, String)> = model
        .treaties
        .iter()
        .map(|t| (t.id.clone(), "ceded".to_string()))
        .collect();
    want.extend(["gross", "ceded", "net"].map(|v| (String::new(), v.to_string())));
    let mut rows = Vec::with_capacity(want.len());
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| err(format!("not a CSV file ({e}); {RERUN}")))?;
        let text = |c: &str| {
            let k = TREATY_COLUMNS.iter().position(|h| *h == c).unwrap_or(0);
            rec.get(k).unwrap_or_default().to_string()
        };
        let opt = |c: &str| -> Result<Option<f64>, ReadbackError> {
            let t = text(c);
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>().map(Some).map_err(|_| {
                err(format!(
                    "line {line}: {c} = \"{t}\" is not a number; {RERUN}"
                ))
            })
        };
        let num = |c: &str| -> Result<f64, ReadbackError> {
            opt(c)?.ok_or_else(|| err(format!("line {line}: {c} is empty; {RERUN}")))
        };
        let share = |c: &str| -> Result<Option<Share>, ReadbackError> {
            Ok(match opt(c)? {
                None => None,
                Some(p) => Some(Share {
                    p,
                    lo: num(&format!("{c}_ci_low"))?,
                    hi: num(&format!("{c}_ci_high"))?,
                }),
            })
        };
        match want.get(i) {
            Some((id, view)) if *id == text("treaty") && *view == text("view") => {}
            _ => {
                return Err(err(format!(
                    "line {line}: not the row of the scenario's treaties expected there; {RERUN}"
                )))
            }
        }
        let pml = |p: &str| -> Result<[Option<f64>; 3], ReadbackError> {
            Ok([
                opt(&format!("{p}_100"))?,
                opt(&format!("{p}_200"))?,
                opt(&format!("{p}_250"))?,
            ])
        };
        rows.push(TreatyRow {
            treaty: text("treaty"),
            kind: text("kind"),
            view: text("view"),
            policies: text("policies")
                .parse()
                .map_err(|_| err(format!("line {line}: policies is not a count; {RERUN}")))?,
            expected: num("expected")?,
            expected_ci_low: num("expected_ci_low")?,
            expected_ci_high: num("expected_ci_high")?,
            sd: num("sd")?,
            attachment: share("p_attach")?.unwrap_or_default(),
            exhaustion: share("p_exhaust")?,
            reinstatement_premium: opt("expected_reinstatement_premium")?,
            premium: opt("premium")?,
            rate_on_line: opt("rate_on_line")?,
            aep: pml("aep")?,
            oep: pml("oep")?,
            tvar995: num("tvar995")?,
        });
    }
    if rows.len() != want.len() {
        return Err(err(format!(
            "{} rows, the scenario's treaties need {}; {RERUN}",
            rows.len(),
            want.len()
        )));
    }
    Ok(rows)
}
