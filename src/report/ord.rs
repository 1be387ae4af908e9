//! Open Results Data (ORD) files, with OasisLMF's headers and codes:
//! `summary_map.csv` (what each `SummaryId` is), `alt.csv` (average loss),
//! `alct.csv` (its convergence over nested subsets of trials), `ept.csv`
//! (full-uncertainty OEP/AEP losses and TVaRs at standard return periods) and
//! `splt.csv` (every outage or paid event with a loss, dated within its period).
//! A trial is a `Period` (numbered from 1). See docs/insurance.md.

use super::{Export, Report};
use crate::insurance::ord::{self, SAMPLE_TYPE_SAMPLED};
use crate::insurance::Insurance;
use std::io::{self, Write};
use std::sync::Arc;

/// `summary_map.csv`.
pub struct SummaryMapCsv(pub Arc<Insurance>);
/// `alt.csv`.
pub struct AltCsv(pub Arc<Insurance>);
/// `alct.csv`.
pub struct AlctCsv(pub Arc<Insurance>);
/// `ept.csv`.
pub struct EptCsv(pub Arc<Insurance>);
/// `splt.csv`.
pub struct SpltCsv(pub Arc<Insurance>);

impl Export for SummaryMapCsv {
    fn file_name(&self) -> &'static str {
        "summary_map.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(["SummaryId", "kind", "id"])
            .map_err(io::Error::other)?;
        for s in &self.0.ord.summaries {
            w.write_record([s.summary_id.to_string(), s.kind.name().into(), s.id.clone()])
                .map_err(io::Error::other)?;
        }
        w.flush()
    }
}

impl Export for AltCsv {
    fn file_name(&self) -> &'static str {
        "alt.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "SummaryId,SampleType,MeanLoss,SDLoss")?;
        for s in &self.0.ord.summaries {
            writeln!(
                out,
                "{},{SAMPLE_TYPE_SAMPLED},{},{}",
                s.summary_id, s.mean, s.sd
            )?;
        }
        Ok(())
    }
}

impl Export for AlctCsv {
    fn file_name(&self) -> &'static str {
        "alct.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "SummaryId,MeanLoss,SDLoss,SampleSize,LowerCI,UpperCI,StandardError,RelativeError"
        )?;
        for s in &self.0.ord.summaries {
            for r in &s.alct {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{}",
                    s.summary_id,
                    r.mean,
                    r.sd,
                    r.sample_size,
                    r.lower_ci,
                    r.upper_ci,
                    r.standard_error,
                    r.relative_error
                )?;
            }
        }
        Ok(())
    }
}

impl Export for EptCsv {
    fn file_name(&self) -> &'static str {
        "ept.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "SummaryId,EPCalc,EPType,ReturnPeriod,Loss")?;
        for s in &self.0.ord.summaries {
            for r in &s.ept {
                writeln!(
                    out,
                    "{},{},{},{},{}",
                    s.summary_id,
                    ord::EPCALC_FULL,
                    r.ep_type,
                    r.return_period,
                    r.loss
                )?;
            }
        }
        Ok(())
    }
}

/// Writes one `splt.csv` row.
#[allow(clippy::too_many_arguments)]
fn splt_row(
    out: &mut impl Write,
    trial: u64,
    weight: f64,
    event_id: &mut u64,
    summary_id: u32,
    start_hours: f64,
    duration_hours: f64,
    loss: f64,
    exposure: Option<f64>,
) -> io::Result<()> {
    *event_id += 1;
    let [year, month, day, hour, minute] = ord::date(start_hours);
    let exposure = exposure
        .filter(|e| e.is_finite())
        .map(|e| e.to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "{},{weight},{event_id},{year},{month},{day},{hour},{minute},{summary_id},1,{loss},{exposure},{duration_hours}",
        trial + 1
    )
}

impl Export for SpltCsv {
    fn file_name(&self) -> &'static str {
        "splt.csv"
    }

    /// Rows by period, then SummaryId (architectures, policies, portfolios),
    /// then outage start. EventId numbers the rows from 1.
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let ins = &self.0;
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        writeln!(
            out,
            "Period,PeriodWeight,EventId,Year,Month,Day,Hour,Minute,SummaryId,SampleId,Loss,ImpactedExposure,DurationHours"
        )?;
        let weight = 1.0 / ins.trials as f64;
        let arch = &report.simulation.outages;
        let (pol, port) = (&ins.table.events, &ins.table.portfolio_events);
        let (mut i, mut j, mut k) = (0, 0, 0);
        let mut event_id = 0u64;
        for t in 0..ins.trials {
            while i < arch.len() && arch[i].trial == t {
                let o = &arch[i];
                if let Some(id) = ins.ord.architecture_summary[o.architecture as usize] {
                    if o.loss > 0.0 {
                        splt_row(
                            &mut out,
                            t,
                            weight,
                            &mut event_id,
                            id,
                            o.start_hours,
                            o.duration_hours,
                            o.loss,
                            None,
                        )?;
                    }
                }
                i += 1;
            }
            while j < pol.len() && pol[j].trial == t {
                let e = &pol[j];
                let p = e.policy as usize;
                splt_row(
                    &mut out,
                    t,
                    weight,
                    &mut event_id,
                    ins.ord.policy_summary[p],
                    e.start_hours,
                    e.duration_hours,
                    e.payout,
                    Some(ins.table.exposure[p]),
                )?;
                j += 1;
            }
            while k < port.len() && port[k].trial == t {
                let e = &port[k];
                splt_row(
                    &mut out,
                    t,
                    weight,
                    &mut event_id,
                    ins.ord.portfolio_summary[e.portfolio as usize],
                    e.start_hours,
                    e.duration_hours,
                    e.payout,
                    Some(e.exposure),
                )?;
                k += 1;
            }
        }
        out.flush()
    }
}
