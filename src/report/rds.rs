//! Realistic-disaster-scenario tables of `fateshare drill --book`:
//! `rds.csv` (a row per scenario: the book's gross and net loss, where the
//! gross sits on the book's OEP and AEP curves and the net on the net OEP
//! curve, with intervals, then a `ceded:<treaty>` column per treaty) and
//! `rds_policies.csv` (a row per scenario and policy: its payout and what it
//! retains after the treaties), and the terminal table. Formulas:
//! docs/insurance.md §14.

use super::csv::{csv_err, opt};
use super::table::money;
use super::text;
use crate::insurance::rds::{Exceedance, Rds};
use std::io::{self, Write};

pub const FILE: &str = "rds.csv";
pub const POLICIES_FILE: &str = "rds_policies.csv";

pub const COLUMNS: &[&str] = &[
    "drill",
    "hours",
    "policies",
    "policies_paid",
    "gross_loss",
    "net_loss",
    "trials",
    "oep_exceedance_probability",
    "oep_exceedance_ci_low",
    "oep_exceedance_ci_high",
    "oep_return_period",
    "oep_return_period_ci_low",
    "oep_return_period_ci_high",
    "aep_exceedance_probability",
    "aep_exceedance_ci_low",
    "aep_exceedance_ci_high",
    "aep_return_period",
    "aep_return_period_ci_low",
    "aep_return_period_ci_high",
    "net_oep_exceedance_probability",
    "net_oep_exceedance_ci_low",
    "net_oep_exceedance_ci_high",
    "net_oep_return_period",
    "net_oep_return_period_ci_low",
    "net_oep_return_period_ci_high",
];

/// The prefix of the per-treaty ceded columns of `rds.csv` (`ceded:qs`).
pub const CEDED_PREFIX: &str = "ceded:";

pub const POLICY_COLUMNS: &[&str] = &[
    "drill",
    "policy",
    "kind",
    "insured",
    "index",
    "portfolio",
    "payout",
    "net",
    "outages_paid",
];

/// Probability, interval, return period and its interval; empty where
/// unknown, `inf` where no trial was as bad.
fn curve_cells(e: Option<Exceedance>) -> [String; 6] {
    let Some(e) = e else {
        return Default::default();
    };
    let rp = |x: Option<f64>| x.map_or("inf".to_string(), |x| x.to_string());
    let (r, lo, hi) = e.return_period();
    [
        e.probability.to_string(),
        e.probability_low.to_string(),
        e.probability_high.to_string(),
        rp(r),
        rp(lo),
        rp(hi),
    ]
}

pub fn write_csv(rows: &[Rds], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    if let Some(first) = rows.first() {
        header.extend(
            first
                .ceded
                .iter()
                .map(|c| format!("{CEDED_PREFIX}{}", c.treaty)),
        );
    }
    w.write_record(&header).map_err(csv_err)?;
    for r in rows {
        let trials = r.trials.map(|t| t.to_string()).unwrap_or_default();
        let mut rec = vec![
            r.drill.clone(),
            r.hours.to_string(),
            r.policies.len().to_string(),
            r.policies
                .iter()
                .filter(|p| p.payout > 0.0)
                .count()
                .to_string(),
            r.gross.to_string(),
            opt(r.net),
            trials,
        ];
        rec.extend(curve_cells(r.oep));
        rec.extend(curve_cells(r.aep));
        rec.extend(curve_cells(r.net_oep));
        rec.extend(r.ceded.iter().map(|c| c.ceded.to_string()));
        w.write_record(&rec).map_err(csv_err)?;
    }
    w.flush()
}

pub fn write_policies_csv(rows: &[Rds], out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(POLICY_COLUMNS).map_err(csv_err)?;
    for r in rows {
        for p in &r.policies {
            w.write_record([
                r.drill.clone(),
                p.policy.clone(),
                p.kind.to_string(),
                p.insured.clone(),
                p.index.clone().unwrap_or_default(),
                p.portfolio.clone().unwrap_or_default(),
                p.payout.to_string(),
                opt(p.net),
                p.outages_paid.to_string(),
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush()
}

/// A return period and its interval for people: "45.5 [38.0, 54.3]".
fn years(e: Option<Exceedance>) -> String {
    let Some(e) = e else {
        return "-".into();
    };
    let f = |x: Option<f64>| x.map_or("never".to_string(), |x| format!("{x:.1}"));
    let (r, lo, hi) = e.return_period();
    format!("{} [{}, {}]", f(r), f(lo), f(hi))
}

/// The terminal table: a row per scenario (a ceded column per treaty and the
/// net's OEP return period when the book has treaties).
pub fn render(rows: &[Rds]) -> String {
    let treaties: Vec<&str> = rows
        .first()
        .map(|r| r.ceded.iter().map(|c| c.treaty.as_str()).collect())
        .unwrap_or_default();
    let net = rows.iter().any(|r| r.net.is_some());
    let mut header: Vec<String> = vec![
        "scenario".into(),
        "policies paid".into(),
        "gross loss".into(),
    ];
    header.extend(treaties.iter().map(|t| format!("ceded {t}")));
    header.push("net loss".into());
    header.push("OEP return period [95% CI]".into());
    header.push("AEP return period [95% CI]".into());
    if net {
        header.push("net OEP return period [95% CI]".into());
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.drill.clone(),
                format!(
                    "{} of {}",
                    r.policies.iter().filter(|p| p.payout > 0.0).count(),
                    r.policies.len()
                ),
                money(r.gross),
            ];
            row.extend(r.ceded.iter().map(|c| money(c.ceded)));
            row.push(r.net.map_or("-".into(), money));
            row.push(years(r.oep));
            row.push(years(r.aep));
            if net {
                row.push(years(r.net_oep));
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut right = vec![true; header.len()];
    right[0] = false;
    text::table(&header, &body, &right)
}
