//! The insurance tables: `policies.csv` (a row per policy), `policy_trials.csv`
//! (a row per trial and policy), `decisions.csv` (a row per architecture and
//! insurance option) and `portfolios.csv` (a row per portfolio). Empty cells
//! where a figure does not apply.

use super::{Export, Report};
use crate::insurance::Insurance;
use std::io::{self, Write};
use std::sync::Arc;

/// `policies.csv`.
pub struct PoliciesCsv(pub Arc<Insurance>);
/// `policy_trials.csv`.
pub struct PolicyTrialsCsv(pub Arc<Insurance>);
/// `decisions.csv`.
pub struct DecisionsCsv(pub Arc<Insurance>);
/// `portfolios.csv`.
pub struct PortfoliosCsv(pub Arc<Insurance>);

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn csv_err(e: ::csv::Error) -> io::Error {
    io::Error::other(e)
}

pub const POLICY_COLUMNS: [&str; 25] = [
    "policy",
    "kind",
    "insured",
    "index",
    "expected_payout",
    "expected_payout_ci_low",
    "expected_payout_ci_high",
    "sd_payout",
    "attachment_probability",
    "exhaustion_probability",
    "premium",
    "expected_loss_on_line",
    "loss_ratio",
    "insured_expected_loss_before",
    "insured_expected_loss_after",
    "insured_tvar99_before",
    "insured_tvar99_after",
    "p_no_payout_given_bad_year",
    "p_payout_given_no_need",
    "tail_loss_paid_share",
    "payout_loss_correlation",
    "pricing_method",
    "risk_premium",
    "annual_limit",
    "portfolio",
];

pub const DECISION_COLUMNS: [&str; 7] = [
    "architecture",
    "option",
    "cost_per_year",
    "premium",
    "expected_retained_loss",
    "total_cost_of_risk",
    "retained_loss_tvar99",
];

pub const PORTFOLIO_COLUMNS: [&str; 12] = [
    "portfolio",
    "policies",
    "expected_payout",
    "expected_payout_ci_low",
    "expected_payout_ci_high",
    "sd_payout",
    "pml_100",
    "pml_200",
    "pml_250",
    "tvar995",
    "standalone_tvar995_sum",
    "diversification_ratio",
];

impl Export for PoliciesCsv {
    fn file_name(&self) -> &'static str {
        "policies.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(POLICY_COLUMNS).map_err(csv_err)?;
        for s in &self.0.policies {
            w.write_record([
                s.policy.clone(),
                s.kind.to_string(),
                s.insured.clone(),
                text(&s.index),
                s.expected_payout.to_string(),
                s.expected_payout_ci_low.to_string(),
                s.expected_payout_ci_high.to_string(),
                s.sd_payout.to_string(),
                s.attachment_probability.to_string(),
                opt(s.exhaustion_probability),
                s.premium.gross.to_string(),
                opt(s.expected_loss_on_line),
                opt(s.loss_ratio),
                s.insured_expected_loss_before.to_string(),
                s.insured_expected_loss_after.to_string(),
                s.insured_tvar99_before.to_string(),
                s.insured_tvar99_after.to_string(),
                opt(s.p_no_payout_given_bad_year),
                opt(s.p_payout_given_no_need),
                opt(s.tail_loss_paid_share),
                opt(s.payout_loss_correlation),
                s.pricing_method.to_string(),
                s.premium.risk.to_string(),
                opt(s.annual_limit),
                text(&s.portfolio),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}

impl Export for PolicyTrialsCsv {
    fn file_name(&self) -> &'static str {
        "policy_trials.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "trial,policy,payout,events_paid")?;
        let ids = &self.0.policy_ids;
        for (i, y) in self.0.table.years.iter().enumerate() {
            let (t, p) = (i / ids.len(), i % ids.len());
            writeln!(out, "{t},{},{},{}", ids[p], y.payout, y.events_paid)?;
        }
        out.flush()
    }
}

impl Export for DecisionsCsv {
    fn file_name(&self) -> &'static str {
        "decisions.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(DECISION_COLUMNS).map_err(csv_err)?;
        for d in &self.0.decisions {
            w.write_record([
                d.architecture.clone(),
                d.option.clone(),
                opt(d.cost_per_year),
                d.premium.to_string(),
                d.expected_retained_loss.to_string(),
                d.total_cost_of_risk.to_string(),
                d.retained_loss_tvar99.to_string(),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}

impl Export for PortfoliosCsv {
    fn file_name(&self) -> &'static str {
        "portfolios.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(PORTFOLIO_COLUMNS).map_err(csv_err)?;
        for p in &self.0.portfolios {
            w.write_record([
                p.portfolio.clone(),
                p.policies.to_string(),
                p.expected_payout.to_string(),
                p.expected_payout_ci_low.to_string(),
                p.expected_payout_ci_high.to_string(),
                p.sd_payout.to_string(),
                opt(p.pml[0]),
                opt(p.pml[1]),
                opt(p.pml[2]),
                p.tvar995.to_string(),
                p.standalone_tvar995_sum.to_string(),
                opt(p.diversification_ratio),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}
