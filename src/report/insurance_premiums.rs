//! `premiums.csv` (every policy under each principle it is priced under, the
//! charged one first) and `portfolio_premiums.csv` (per portfolio and
//! principle: the portfolio priced as one against the sum of its policies'
//! stand-alone premiums), and `portfolio_allocation.csv` (each portfolio's
//! TVaR 99.5% allocated to its policies by co-TVaR). See docs/insurance.md
//! §4 and §8.

use super::{Export, Report};
use crate::insurance::Insurance;
use crate::model::{PremiumPrinciple, Pricing};
use std::io::{self, Write};
use std::sync::Arc;

/// `premiums.csv`.
pub struct PremiumsCsv(pub Arc<Insurance>);
/// `portfolio_premiums.csv`.
pub struct PortfolioPremiumsCsv(pub Arc<Insurance>);

/// The columns naming a principle and its parameters.
pub const PRINCIPLE_COLUMNS: [&str; 6] = [
    "method",
    "loading",
    "rate",
    "level",
    "lambda",
    "expense_ratio",
];

/// The principle's cells, empty for parameters it does not take.
fn principle_cells(p: &Pricing) -> [String; 6] {
    let s = |x: f64| x.to_string();
    let (loading, rate, level, lambda) = match p.principle {
        PremiumPrinciple::ExpectedValue { loading } | PremiumPrinciple::StdDev { loading } => {
            (s(loading), String::new(), String::new(), String::new())
        }
        PremiumPrinciple::CostOfCapital { rate, level } => {
            (String::new(), s(rate), s(level), String::new())
        }
        PremiumPrinciple::Wang { lambda } => {
            (String::new(), String::new(), String::new(), s(lambda))
        }
    };
    [
        p.principle.name().to_string(),
        loading,
        rate,
        level,
        lambda,
        s(p.expense_ratio),
    ]
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl Export for PremiumsCsv {
    fn file_name(&self) -> &'static str {
        "premiums.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec!["policy", "charged"];
        header.extend(PRINCIPLE_COLUMNS);
        header.extend(["risk_premium", "premium", "loss_ratio"]);
        w.write_record(&header).map_err(io::Error::other)?;
        for r in &self.0.premiums {
            let mut row = vec![r.policy.clone(), r.charged.to_string()];
            row.extend(principle_cells(&r.pricing));
            row.extend([
                r.premium.risk.to_string(),
                r.premium.gross.to_string(),
                opt(r.loss_ratio),
            ]);
            w.write_record(&row).map_err(io::Error::other)?;
        }
        w.flush()
    }
}

impl Export for PortfolioPremiumsCsv {
    fn file_name(&self) -> &'static str {
        "portfolio_premiums.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec!["portfolio"];
        header.extend(PRINCIPLE_COLUMNS);
        header.extend([
            "portfolio_premium",
            "standalone_premium_sum",
            "diversification_credit",
        ]);
        w.write_record(&header).map_err(io::Error::other)?;
        for r in &self.0.portfolio_premiums {
            let mut row = vec![r.portfolio.clone()];
            row.extend(principle_cells(&r.pricing));
            row.extend([
                r.portfolio_premium.gross.to_string(),
                r.standalone_sum.gross.to_string(),
                opt(r.diversification_credit()),
            ]);
            w.write_record(&row).map_err(io::Error::other)?;
        }
        w.flush()
    }
}

/// `portfolio_allocation.csv`: each portfolio's TVaR 99.5% allocated to its
/// policies by co-TVaR.
pub struct PortfolioAllocationCsv(pub Arc<Insurance>);

impl Export for PortfolioAllocationCsv {
    fn file_name(&self) -> &'static str {
        "portfolio_allocation.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record([
            "portfolio",
            "policy",
            "expected_payout",
            "co_tvar995",
            "share_of_tvar995",
        ])
        .map_err(io::Error::other)?;
        for a in &self.0.allocations {
            w.write_record([
                a.portfolio.clone(),
                a.policy.clone(),
                a.expected_payout.to_string(),
                a.co_tvar995.to_string(),
                opt(a.share_of_tvar995),
            ])
            .map_err(io::Error::other)?;
        }
        w.flush()
    }
}

/// `accumulation.csv`: each portfolio's limits, expected payout and co-TVaR
/// exposed to each provider, component, jurisdiction, cause and sector
/// (docs/insurance.md § 14).
pub struct AccumulationCsv(pub Arc<Insurance>);

impl Export for AccumulationCsv {
    fn file_name(&self) -> &'static str {
        "accumulation.csv"
    }

    fn write(&self, _: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record([
            "portfolio",
            "dimension",
            "key",
            "policies",
            "annual_limits_exposed",
            "event_limits_exposed",
            "policies_without_limit",
            "expected_payout",
            "co_tvar995",
            "share_of_tvar995",
        ])
        .map_err(io::Error::other)?;
        for r in &self.0.accumulation {
            w.write_record([
                r.portfolio.clone(),
                r.dimension.to_string(),
                r.key.clone(),
                r.policies.to_string(),
                r.annual_limits.to_string(),
                r.event_limits.to_string(),
                r.unlimited.to_string(),
                r.expected_payout.to_string(),
                r.co_tvar995.to_string(),
                opt(r.share_of_tvar995),
            ])
            .map_err(io::Error::other)?;
        }
        w.flush()
    }
}
