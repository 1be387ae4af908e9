//! Open Results Data (ORD) files, with OasisLMF's names, headers and codes:
//! per summary set (`gul_S1`: the insureds' own losses by architecture;
//! `il_S1`: policy payouts by policy; `il_S2`: the same by portfolio), the
//! summary-info file (what each `SummaryId` is), `palt` (period average loss),
//! `alct` (its convergence over nested subsets of trials), `ept`
//! (full-uncertainty OEP/AEP losses and TVaRs at standard return periods) and
//! `splt` (every outage or paid event with a loss, dated within its period).
//! Perspectives are never mixed in one file. A trial is a `Period` (numbered
//! from 1). See docs/insurance.md §9.

use super::{Export, Report};
use crate::insurance::ord::{self, SummaryKind, SAMPLE_TYPE_SAMPLED};
use crate::insurance::Insurance;
use std::io::{self, Write};
use std::sync::Arc;

/// The tables written for each summary set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    SummaryInfo,
    Palt,
    Alct,
    Ept,
    Splt,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::SummaryInfo,
        Table::Palt,
        Table::Alct,
        Table::Ept,
        Table::Splt,
    ];

    /// The file-name suffix after `<perspective>_S<n>_`.
    pub fn suffix(&self) -> &'static str {
        match self {
            Table::SummaryInfo => "summary-info",
            Table::Palt => "palt",
            Table::Alct => "alct",
            Table::Ept => "ept",
            Table::Splt => "splt",
        }
    }
}

/// `<perspective>_S<set>_<table>.csv`, by [`SummaryKind::ALL`] and [`Table::ALL`].
const NAMES: [[&str; 5]; 4] = [
    [
        "gul_S1_summary-info.csv",
        "gul_S1_palt.csv",
        "gul_S1_alct.csv",
        "gul_S1_ept.csv",
        "gul_S1_splt.csv",
    ],
    [
        "il_S1_summary-info.csv",
        "il_S1_palt.csv",
        "il_S1_alct.csv",
        "il_S1_ept.csv",
        "il_S1_splt.csv",
    ],
    [
        "il_S2_summary-info.csv",
        "il_S2_palt.csv",
        "il_S2_alct.csv",
        "il_S2_ept.csv",
        "il_S2_splt.csv",
    ],
    [
        "ri_S1_summary-info.csv",
        "ri_S1_palt.csv",
        "ri_S1_alct.csv",
        "ri_S1_ept.csv",
        "ri_S1_splt.csv",
    ],
];

/// The file name of one table of one summary set.
pub fn file_name(kind: SummaryKind, table: Table) -> &'static str {
    let k = SummaryKind::ALL
        .iter()
        .position(|&x| x == kind)
        .unwrap_or(0);
    let t = Table::ALL.iter().position(|&x| x == table).unwrap_or(0);
    NAMES[k][t]
}

/// One ORD table of one summary set.
pub struct OrdCsv {
    pub ins: Arc<Insurance>,
    pub kind: SummaryKind,
    pub table: Table,
}

/// Whether a run writes a summary set: `gul` S1 always (with policies or
/// `--ord`), `il` S1 with policies, `il` S2 when a policy names a portfolio.
pub fn has_set(ins: &Insurance, kind: SummaryKind) -> bool {
    match kind {
        SummaryKind::Architecture => true,
        SummaryKind::Policy => ins.has_policies(),
        SummaryKind::Portfolio => !ins.portfolios.is_empty(),
        SummaryKind::RiPolicy => ins.treaties.is_some(),
    }
}

/// The ORD exports of a run; `splt` only when `ins.per_trial`, and the
/// ground-up `splt` (every outage with a loss) only with `events` too.
pub fn exports(ins: &Arc<Insurance>, events: bool) -> Vec<Box<dyn Export>> {
    let mut v: Vec<Box<dyn Export>> = Vec::new();
    for kind in SummaryKind::ALL.into_iter().filter(|&k| has_set(ins, k)) {
        for table in Table::ALL {
            let splt_wanted = ins.per_trial && (events || kind != SummaryKind::Architecture);
            if table != Table::Splt || splt_wanted {
                v.push(Box::new(OrdCsv {
                    ins: ins.clone(),
                    kind,
                    table,
                }));
            }
        }
    }
    v
}

impl Export for OrdCsv {
    fn file_name(&self) -> &'static str {
        file_name(self.kind, self.table)
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        match self.table {
            Table::SummaryInfo => self.summary_info(out),
            Table::Palt => self.palt(out),
            Table::Alct => self.alct(out),
            Table::Ept => self.ept(report, out),
            Table::Splt => self.splt(report, out),
        }
    }
}

impl OrdCsv {
    fn summaries(&self) -> impl Iterator<Item = &ord::OrdSummary> + '_ {
        self.ins.ord.set(self.kind)
    }

    /// `summary_id,<kind>,tiv`, as OasisLMF's `<perspective>_S<n>_summary-info.csv`.
    fn summary_info(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(["summary_id", self.kind.name(), "tiv"])
            .map_err(io::Error::other)?;
        for s in self.summaries() {
            let tiv = s.tiv.map(|t| t.to_string()).unwrap_or_default();
            w.write_record([s.summary_id.to_string(), s.id.clone(), tiv])
                .map_err(io::Error::other)?;
        }
        w.flush()
    }

    fn palt(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "SummaryId,SampleType,MeanLoss,SDLoss")?;
        for s in self.summaries() {
            writeln!(
                out,
                "{},{SAMPLE_TYPE_SAMPLED},{},{}",
                s.summary_id, s.mean, s.sd
            )?;
        }
        Ok(())
    }

    fn alct(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "SummaryId,MeanLoss,SDLoss,SampleSize,LowerCI,UpperCI,StandardError,RelativeError"
        )?;
        for s in self.summaries() {
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

    /// Each summary's rows (EPCalc 2); with `--uncertainty`, then its
    /// per-sample mean over the draws (EPCalc 3, [`super::psept`]).
    fn ept(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "SummaryId,EPCalc,EPType,ReturnPeriod,Loss")?;
        for s in self.summaries() {
            let mean = report.draws.as_ref().map_or(Vec::new(), |d| {
                super::psept::per_sample_mean(d, self.kind, s.summary_id)
            });
            let calcs = [ord::EPCALC_FULL, super::psept::EPCALC_PER_SAMPLE_MEAN];
            for (calc, rows) in calcs.into_iter().zip([&s.ept, &mean]) {
                for r in rows {
                    writeln!(
                        out,
                        "{},{calc},{},{},{}",
                        s.summary_id, r.ep_type, r.return_period, r.loss
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Rows by period, then SummaryId, then start (`il` S2: then event).
    /// EventId is the event (`insurance::events`): one id for every row an
    /// event produces, in every table of the run.
    /// PeriodWeight is 1/N, or an importance-sampled run's period weighting
    /// w_t/N (as `periods.csv`).
    fn splt(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let ins = &self.ins;
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        writeln!(
            out,
            "Period,PeriodWeight,EventId,Year,Month,Day,Hour,Minute,SummaryId,SampleId,Loss,ImpactedExposure,DurationHours"
        )?;
        let n = ins.trials as f64;
        let weights = report.simulation.importance.as_ref().map(|i| &i.weights);
        let weight = |trial: u64| weights.map_or(1.0 / n, |w| w[trial as usize] / n);
        let mut row =
            |trial: u64, event: u64, id: u32, start: f64, dur: f64, loss: f64, e: Option<f64>| {
                splt_row(
                    &mut out,
                    weight(trial),
                    trial,
                    event,
                    id,
                    start,
                    dur,
                    loss,
                    e,
                )
            };
        match self.kind {
            SummaryKind::Architecture => {
                for o in &ins.table.gul_events {
                    if let Some(id) = ins.ord.architecture_summary[o.architecture as usize] {
                        row(
                            o.trial,
                            o.event_id,
                            id,
                            o.start_hours,
                            o.duration_hours,
                            o.loss,
                            None,
                        )?;
                    }
                }
            }
            SummaryKind::Policy => {
                for e in &ins.table.events {
                    let p = e.policy as usize;
                    let exposure = Some(ins.table.exposure[p]);
                    let id = ins.ord.policy_summary[p];
                    row(
                        e.trial,
                        e.event_id,
                        id,
                        e.start_hours,
                        e.duration_hours,
                        e.payout,
                        exposure,
                    )?;
                }
            }
            SummaryKind::Portfolio => {
                for e in &ins.table.portfolio_events {
                    let id = ins.ord.portfolio_summary[e.portfolio as usize];
                    let exposure = Some(e.exposure);
                    row(
                        e.trial,
                        e.event_id,
                        id,
                        e.start_hours,
                        e.duration_hours,
                        e.payout,
                        exposure,
                    )?;
                }
            }
            SummaryKind::RiPolicy => {
                // The paid event's EventId, as in il_S1_splt.csv.
                let net = ins.treaties.as_ref().map_or(&[][..], |t| &t.net_events[..]);
                for (e, &loss) in ins.table.events.iter().zip(net) {
                    if loss <= 0.0 {
                        continue;
                    }
                    let p = e.policy as usize;
                    row(
                        e.trial,
                        e.event_id,
                        ins.ord.policy_summary[p],
                        e.start_hours,
                        e.duration_hours,
                        loss,
                        Some(ins.table.exposure[p]),
                    )?;
                }
            }
        }
        out.flush()
    }
}

/// One `splt` row.
#[allow(clippy::too_many_arguments)]
fn splt_row(
    out: &mut impl Write,
    weight: f64,
    trial: u64,
    event_id: u64,
    summary_id: u32,
    start_hours: f64,
    duration_hours: f64,
    loss: f64,
    exposure: Option<f64>,
) -> io::Result<()> {
    let [year, month, day, hour, minute] = ord::date(start_hours);
    let exposure = exposure
        .filter(|e| e.is_finite())
        .map(|e| e.to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "{},{weight},{event_id},{year},{month},{day},{hour},{minute},{summary_id},1,{loss},{exposure},{duration_hours}",
        trial + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_oasis() {
        for kind in SummaryKind::ALL {
            for table in Table::ALL {
                let want = format!(
                    "{}_S{}_{}.csv",
                    kind.perspective().code(),
                    kind.summary_set(),
                    table.suffix()
                );
                assert_eq!(file_name(kind, table), want);
            }
        }
    }
}
