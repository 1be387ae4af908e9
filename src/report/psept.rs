//! With `run --uncertainty N` and policies or `--ord`: the per-sample EP
//! tables as OasisLMF writes them (`<perspective>_S<n>_psept.csv`, columns
//! `SummaryId,SampleId,EPType,ReturnPeriod,Loss` as in OasisLMF's
//! `oasislmf/pytools/lec/data.py`), one sample per outer draw (SampleId =
//! draw index + 1), each draw's rows exactly those of its own plain run; and
//! the per-sample mean (EPCalc 3, the wheatsheaf mean) that `*_ept.csv` adds
//! beside the plain run's rows. See docs/insurance.md (parameter
//! uncertainty as Oasis samples).

use super::ord::has_set;
use super::{Export, Report};
use crate::insurance::ord::{EptRow, SummaryKind};
use crate::insurance::Insurance;
use crate::uncertain::draws::Draws;
use std::io::{self, Write};
use std::sync::Arc;

/// Oasis's EPCalc for the per-sample mean: each return period's loss
/// averaged over the samples' own EP curves.
pub const EPCALC_PER_SAMPLE_MEAN: u8 = 3;

/// The PSEPT file name of each summary set, by [`SummaryKind::ALL`].
const NAMES: [&str; 4] = [
    "gul_S1_psept.csv",
    "il_S1_psept.csv",
    "il_S2_psept.csv",
    "ri_S1_psept.csv",
];

/// The PSEPT file of one summary set.
pub fn file_name(kind: SummaryKind) -> &'static str {
    let k = SummaryKind::ALL
        .iter()
        .position(|&x| x == kind)
        .unwrap_or(0);
    NAMES[k]
}

/// One summary set's PSEPT.
pub struct PseptCsv {
    pub draws: Arc<Draws>,
    pub kind: SummaryKind,
}

/// The PSEPT of every summary set the run writes.
pub fn exports(ins: &Insurance, draws: &Arc<Draws>) -> Vec<Box<dyn Export>> {
    SummaryKind::ALL
        .into_iter()
        .filter(|&k| has_set(ins, k))
        .map(|kind| {
            Box::new(PseptCsv {
                draws: draws.clone(),
                kind,
            }) as Box<dyn Export>
        })
        .collect()
}

impl Export for PseptCsv {
    fn file_name(&self) -> &'static str {
        file_name(self.kind)
    }

    /// Rows by SummaryId, then SampleId, each sample's rows in its EPT's order.
    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::new(out);
        writeln!(out, "SummaryId,SampleId,EPType,ReturnPeriod,Loss")?;
        for id in summary_ids(&self.draws, self.kind) {
            for (d, draw) in self.draws.draws.iter().enumerate() {
                for s in draw
                    .ept
                    .iter()
                    .filter(|s| s.kind == self.kind && s.summary_id == id)
                {
                    for r in &s.rows {
                        writeln!(
                            out,
                            "{id},{},{},{},{}",
                            d + 1,
                            r.ep_type,
                            r.return_period,
                            r.loss
                        )?;
                    }
                }
            }
        }
        out.flush()
    }
}

/// The SummaryIds of one set in the draws, ascending.
fn summary_ids(draws: &Draws, kind: SummaryKind) -> Vec<u32> {
    let mut ids: Vec<u32> = draws
        .draws
        .first()
        .map(|d| {
            d.ept
                .iter()
                .filter(|s| s.kind == kind)
                .map(|s| s.summary_id)
                .collect()
        })
        .unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The per-sample mean rows (EPCalc 3) of one summary: for each EP type and
/// return period that every draw has, the mean of the draws' values.
pub fn per_sample_mean(draws: &Draws, kind: SummaryKind, summary_id: u32) -> Vec<EptRow> {
    let rows: Vec<&[EptRow]> = draws
        .draws
        .iter()
        .filter_map(|d| {
            d.ept
                .iter()
                .find(|s| s.kind == kind && s.summary_id == summary_id)
                .map(|s| s.rows.as_slice())
        })
        .collect();
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    if rows.len() != draws.draws.len() {
        return Vec::new();
    }
    first
        .iter()
        .filter_map(|r| {
            let mut sum = 0.0;
            for sample in &rows {
                let x = sample
                    .iter()
                    .find(|x| x.ep_type == r.ep_type && x.return_period == r.return_period)?;
                sum += x.loss;
            }
            Some(EptRow {
                ep_type: r.ep_type,
                return_period: r.return_period,
                loss: sum / rows.len() as f64,
            })
        })
        .collect()
}
