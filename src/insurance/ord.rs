//! Open Results Data (ORD) tables as OasisLMF writes them, one summary set per
//! perspective and grouping, never mixed: `gul` S1 (the insureds' own losses,
//! one `SummaryId` per architecture with a loss), `il` S1 (policy payouts, one
//! per policy) and `il` S2 (the same payouts by portfolio). A trial is a
//! `Period`. This module computes the figures (average loss, its convergence
//! over nested subsets of trials, and the full-uncertainty EP table);
//! `report::ord` writes them. Codes are OasisLMF's (ORD v1) integers.

use super::ep::{EpCurve, RETURN_PERIODS};
use crate::stats::{Moments, Z_95};

/// `EPCalc` 2: full uncertainty (all periods ranked).
pub const EPCALC_FULL: u8 = 2;
/// `EPType` codes.
pub const OEP: u8 = 1;
pub const OEP_TVAR: u8 = 2;
pub const AEP: u8 = 3;
pub const AEP_TVAR: u8 = 4;
/// `SampleType` 2: sampled (not analytical) mean.
pub const SAMPLE_TYPE_SAMPLED: u8 = 2;

/// OasisLMF's loss perspectives: ground-up (the insureds' own losses),
/// insured (policy payouts) and reinsurance (the payouts net of the
/// treaties' recoveries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perspective {
    Gul,
    Il,
    Ri,
}

impl Perspective {
    /// The file-name prefix (`gul`, `il`).
    pub fn code(&self) -> &'static str {
        match self {
            Perspective::Gul => "gul",
            Perspective::Il => "il",
            Perspective::Ri => "ri",
        }
    }
}

/// What a `SummaryId` stands for; each kind is one summary set of one
/// perspective, with its own `SummaryId`s from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryKind {
    Architecture,
    Policy,
    Portfolio,
    /// A policy's payouts net of reinsurance (`ri` S1, SummaryIds as `il` S1).
    RiPolicy,
}

impl SummaryKind {
    /// Every summary set, in the order they are written.
    pub const ALL: [SummaryKind; 4] = [
        SummaryKind::Architecture,
        SummaryKind::Policy,
        SummaryKind::Portfolio,
        SummaryKind::RiPolicy,
    ];

    /// The summary-info column naming what a `SummaryId` is.
    pub fn name(&self) -> &'static str {
        match self {
            SummaryKind::Architecture => "architecture",
            SummaryKind::Policy | SummaryKind::RiPolicy => "policy",
            SummaryKind::Portfolio => "portfolio",
        }
    }

    /// The perspective of the set: architectures are ground-up, policies and
    /// portfolios insured.
    pub fn perspective(&self) -> Perspective {
        match self {
            SummaryKind::Architecture => Perspective::Gul,
            SummaryKind::Policy | SummaryKind::Portfolio => Perspective::Il,
            SummaryKind::RiPolicy => Perspective::Ri,
        }
    }

    /// The summary set number within the perspective (`S1`, `S2`).
    pub fn summary_set(&self) -> u32 {
        match self {
            SummaryKind::Architecture | SummaryKind::Policy | SummaryKind::RiPolicy => 1,
            SummaryKind::Portfolio => 2,
        }
    }
}

/// One `alct.csv` row: the average loss over the first `sample_size` periods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlctRow {
    pub mean: f64,
    pub sd: f64,
    pub sample_size: u64,
    pub lower_ci: f64,
    pub upper_ci: f64,
    pub standard_error: f64,
    pub relative_error: f64,
}

/// One `*_ept.csv` row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EptRow {
    pub ep_type: u8,
    pub return_period: f64,
    pub loss: f64,
}

/// An exceedance curve the EPT reads: the loss and the TVaR at a return
/// period (plain, [`EpCurve`], or period-weighted).
pub trait ExceedanceCurve {
    fn loss_at(&self, rp: f64) -> Option<f64>;
    fn tvar_at(&self, rp: f64) -> Option<f64>;
}

impl ExceedanceCurve for EpCurve {
    fn loss_at(&self, rp: f64) -> Option<f64> {
        EpCurve::loss_at(self, rp)
    }
    fn tvar_at(&self, rp: f64) -> Option<f64> {
        EpCurve::tvar_at(self, rp)
    }
}

/// The EPT rows of an occurrence and an aggregate curve: for each, the
/// losses at the standard return periods, then the TVaRs (where the
/// periods reach them).
pub fn ept_rows(oep: &dyn ExceedanceCurve, aep: &dyn ExceedanceCurve) -> Vec<EptRow> {
    let mut ept = Vec::new();
    for (curve, ep, tvar) in [(oep, OEP, OEP_TVAR), (aep, AEP, AEP_TVAR)] {
        let losses = RETURN_PERIODS
            .iter()
            .filter_map(|&rp| curve.loss_at(rp).map(|l| (ep, rp, l)));
        let tvars = RETURN_PERIODS
            .iter()
            .filter_map(|&rp| curve.tvar_at(rp).map(|l| (tvar, rp, l)));
        ept.extend(
            losses
                .chain(tvars)
                .map(|(ep_type, return_period, loss)| EptRow {
                    ep_type,
                    return_period,
                    loss,
                }),
        );
    }
    ept
}

/// Everything ORD reports about one summary.
#[derive(Debug, Clone, PartialEq)]
pub struct OrdSummary {
    /// From 1 within its summary set.
    pub summary_id: u32,
    pub kind: SummaryKind,
    pub id: String,
    /// The most the summary can pay in one period (`tiv` in the summary-info
    /// file): a policy's annual limit, the sum of a portfolio's; `None` when
    /// unlimited and for architectures.
    pub tiv: Option<f64>,
    pub mean: f64,
    pub sd: f64,
    pub alct: Vec<AlctRow>,
    pub ept: Vec<EptRow>,
}

/// The summaries of a run and how model entities map to them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ord {
    pub periods: u64,
    pub summaries: Vec<OrdSummary>,
    /// SummaryId (in `gul` S1) of each architecture (`None` for one without a loss).
    pub architecture_summary: Vec<Option<u32>>,
    /// SummaryId (in `il` S1) of each policy.
    pub policy_summary: Vec<u32>,
    /// SummaryId (in `il` S2) of each portfolio.
    pub portfolio_summary: Vec<u32>,
}

impl Ord {
    /// The summaries of one set, in `SummaryId` order.
    pub fn set(&self, kind: SummaryKind) -> impl Iterator<Item = &OrdSummary> + '_ {
        self.summaries.iter().filter(move |s| s.kind == kind)
    }
}

/// Nested sample sizes 1, 2, 4, … and the total.
pub fn sample_sizes(n: u64) -> Vec<u64> {
    let mut v = Vec::new();
    let mut s = 1;
    while s < n {
        v.push(s);
        s *= 2;
    }
    if n > 0 {
        v.push(n);
    }
    v
}

/// The moments of the first n values for each n in `sizes` (ascending), in one
/// pass: the same arithmetic as [`Moments::of`], stopped at each size.
pub fn prefix_moments(values: &[f64], sizes: &[u64]) -> Vec<Moments> {
    let (mut n, mut mean, mut m2) = (0u64, 0.0, 0.0);
    let mut out = Vec::with_capacity(sizes.len());
    let mut next = sizes.iter().peekable();
    for &x in values {
        n += 1;
        let d = x - mean;
        mean += d / n as f64;
        m2 += d * (x - mean);
        while next.peek() == Some(&&n) {
            next.next();
            let sd = if n > 1 {
                (m2 / (n - 1) as f64).sqrt()
            } else {
                0.0
            };
            out.push(Moments { n, mean, sd });
        }
    }
    out
}

/// ORD figures of one summary from its per-period aggregate losses (in trial
/// order, and ranked as `aep`) and largest single losses.
pub fn summary(
    summary_id: u32,
    kind: SummaryKind,
    id: &str,
    tiv: Option<f64>,
    annual: &[f64],
    aep: &EpCurve,
    occurrence: &[f64],
) -> OrdSummary {
    let alct: Vec<AlctRow> = prefix_moments(annual, &sample_sizes(annual.len() as u64))
        .into_iter()
        .map(|m| {
            let se = m.se();
            AlctRow {
                mean: m.mean,
                sd: m.sd,
                sample_size: m.n,
                lower_ci: m.mean - Z_95 * se,
                upper_ci: m.mean + Z_95 * se,
                standard_error: se,
                relative_error: if se == 0.0 { 0.0 } else { se / m.mean },
            }
        })
        .collect();
    let all = alct.last().map_or(Moments::default(), |r| Moments {
        n: r.sample_size,
        mean: r.mean,
        sd: r.sd,
    });
    let oep = EpCurve::new(occurrence.iter().copied());
    let ept = ept_rows(&oep, aep);
    OrdSummary {
        summary_id,
        kind,
        id: id.to_string(),
        tiv,
        mean: all.mean,
        sd: all.sd,
        alct,
        ept,
    }
}

/// Month and day (both from 1) of a 0-based day of a 365-day year.
pub fn month_day(day_of_year: u32) -> (u32, u32) {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut d = day_of_year.min(364);
    for (m, &len) in DAYS.iter().enumerate() {
        if d < len {
            return (m as u32 + 1, d + 1);
        }
        d -= len;
    }
    (12, 31)
}

/// `Year, Month, Day, Hour, Minute` of an outage starting `hours` into its
/// period: year = 1 + ⌊hours / 8760⌋, then a 365-day calendar from 1 January 00:00.
pub fn date(hours: f64) -> [u32; 5] {
    let hours = hours.max(0.0);
    let year = (hours / crate::model::HOURS_PER_YEAR).floor();
    let within = hours - year * crate::model::HOURS_PER_YEAR;
    let day = (within / 24.0).floor().min(364.0);
    let in_day = (within - day * 24.0).max(0.0);
    let hour = in_day.floor().min(23.0);
    let minute = ((in_day - hour) * 60.0).floor().clamp(0.0, 59.0);
    let (month, dom) = month_day(day as u32);
    [year as u32 + 1, month, dom, hour as u32, minute as u32]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_sizes() {
        assert_eq!(sample_sizes(1), vec![1]);
        assert_eq!(sample_sizes(8), vec![1, 2, 4, 8]);
        assert_eq!(sample_sizes(10), vec![1, 2, 4, 8, 10]);
    }

    #[test]
    fn prefix_moments_equal_moments_of_prefixes() {
        let v: Vec<f64> = (0..1000).map(|i| f64::from(i * 37 % 101) * 1.5).collect();
        let sizes = sample_sizes(1000);
        for (m, &n) in prefix_moments(&v, &sizes).iter().zip(&sizes) {
            assert_eq!(*m, Moments::of(v[..n as usize].iter().copied()));
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date(0.0), [1, 1, 1, 0, 0]);
        assert_eq!(date(31.0 * 24.0 + 13.5), [1, 2, 1, 13, 30]);
        assert_eq!(date(8759.99), [1, 12, 31, 23, 59]);
        assert_eq!(date(8760.0 + 25.25), [2, 1, 2, 1, 15]);
        assert_eq!(month_day(58), (2, 28));
        assert_eq!(month_day(59), (3, 1));
    }

    #[test]
    fn ept_rows_only_where_periods_allow() {
        let annual: Vec<f64> = (0..300).map(|i| f64::from(i % 7)).collect();
        let curve = EpCurve::new(annual.iter().copied());
        let s = summary(1, SummaryKind::Policy, "p", None, &annual, &curve, &annual);
        // 300 periods reach 250 but not 500 or 1000.
        assert!(s.ept.iter().all(|r| r.return_period <= 250.0));
        assert_eq!(s.ept.iter().filter(|r| r.ep_type == AEP).count(), 8);
        assert_eq!(s.alct.last().unwrap().sample_size, 300);
        assert!((s.alct.last().unwrap().mean - s.mean).abs() < 1e-12);
    }
}
