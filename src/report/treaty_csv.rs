//! The reinsurance tables: `treaties.csv` (a row per treaty with its ceded
//! loss, then the book's gross, ceded and net loss) and `treaty_ept.csv` (the
//! AEP and OEP curves of every row of `treaties.csv`, in OasisLMF's `ept`
//! codes). Empty cells where a figure does not apply. The `ri` perspective
//! (`ri_S1_*.csv`) is written with the other ORD tables ([`super::ord`]).
//! See docs/insurance.md § Treaties.

use super::{Export, Report};
use crate::insurance::ord::EPCALC_FULL;
use crate::insurance::treaties::TreatyResults;
use crate::insurance::Insurance;
use std::io::{self, Write};
use std::sync::Arc;

/// `treaties.csv`.
pub struct TreatiesCsv(pub Arc<Insurance>);
/// `treaty_ept.csv`.
pub struct TreatyEptCsv(pub Arc<Insurance>);

pub const TREATY_COLUMNS: [&str; 29] = [
    "treaty",
    "kind",
    "view",
    "policies",
    "expected",
    "expected_ci_low",
    "expected_ci_high",
    "sd",
    "p_attach",
    "p_attach_ci_low",
    "p_attach_ci_high",
    "p_exhaust",
    "p_exhaust_ci_low",
    "p_exhaust_ci_high",
    "expected_reinstatement_premium",
    "premium",
    "rate_on_line",
    "aep_100",
    "aep_200",
    "aep_250",
    "oep_100",
    "oep_200",
    "oep_250",
    "tvar995",
    "attachment",
    "limit",
    "aggregate_deductible",
    "aggregate_limit",
    "reinstatements",
];

fn opt(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| x.to_string())
        .unwrap_or_default()
}

fn results(ins: &Insurance) -> io::Result<&TreatyResults> {
    ins.treaties
        .as_ref()
        .ok_or_else(|| io::Error::other("the run has no treaties"))
}

impl Export for TreatiesCsv {
    fn file_name(&self) -> &'static str {
        "treaties.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let res = results(&self.0)?;
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(TREATY_COLUMNS).map_err(io::Error::other)?;
        for (i, r) in res.rows.iter().enumerate() {
            let t = report.model.treaties.get(i).filter(|t| t.id == r.treaty);
            let terms: [String; 5] = match t {
                Some(t) => [
                    opt(Some(t.attachment)),
                    opt(Some(t.limit)),
                    opt(Some(t.aggregate_deductible)),
                    opt(Some(t.aggregate_limit)),
                    t.reinstatements.to_string(),
                ],
                None => Default::default(),
            };
            let ex = r.exhaustion;
            let mut rec = vec![
                r.treaty.clone(),
                r.kind.clone(),
                r.view.clone(),
                r.policies.to_string(),
                r.expected.to_string(),
                r.expected_ci_low.to_string(),
                r.expected_ci_high.to_string(),
                r.sd.to_string(),
                r.attachment.p.to_string(),
                r.attachment.lo.to_string(),
                r.attachment.hi.to_string(),
                opt(ex.map(|s| s.p)),
                opt(ex.map(|s| s.lo)),
                opt(ex.map(|s| s.hi)),
                opt(r.reinstatement_premium),
                opt(r.premium),
                opt(r.rate_on_line),
            ];
            rec.extend(r.aep.iter().chain(&r.oep).map(|&x| opt(x)));
            rec.push(r.tvar995.to_string());
            rec.extend(terms);
            w.write_record(&rec).map_err(io::Error::other)?;
        }
        w.flush()
    }
}

impl Export for TreatyEptCsv {
    fn file_name(&self) -> &'static str {
        "treaty_ept.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let res = results(&self.0)?;
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(["treaty", "view", "EPCalc", "EPType", "ReturnPeriod", "Loss"])
            .map_err(io::Error::other)?;
        for (r, ept) in res.rows.iter().zip(&res.ept) {
            for e in ept {
                w.write_record([
                    r.treaty.clone(),
                    r.view.clone(),
                    EPCALC_FULL.to_string(),
                    e.ep_type.to_string(),
                    e.return_period.to_string(),
                    e.loss.to_string(),
                ])
                .map_err(io::Error::other)?;
            }
        }
        w.flush()
    }
}
