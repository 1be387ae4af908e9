//! The insurance figures the charts and `report.html` show, as one plain
//! value: per policy its summary row and its payout per trial, the decision
//! table, and per portfolio its summary row, its policies and its total
//! payout per trial. `fateshare run` fills it from the [`Insurance`] it just
//! computed ([`InsuranceFigures::of`]); `fateshare report` reads the same
//! values back from the output folder ([`super::readback`]), so both draw
//! from identical numbers.

use super::decision::Decision;
use super::policies::PolicySummary;
use super::portfolio::{self, PortfolioSummary, Portfolios};
use super::Insurance;
use crate::model::Model;

/// What the report shows about a run's policies.
#[derive(Debug, Clone, PartialEq)]
pub struct InsuranceFigures {
    /// In scenario order.
    pub policies: Vec<PolicySummary>,
    /// Per policy, its annual payout in trial order.
    pub payouts: Vec<Vec<f64>>,
    /// In scenario order (as `decisions.csv`).
    pub decisions: Vec<Decision>,
    /// In order of first appearance (as `portfolios.csv`).
    pub portfolios: Vec<PortfolioSummary>,
    /// Per portfolio, the indices of its policies.
    pub members: Vec<Vec<usize>>,
    /// Per portfolio, its total payout in trial order.
    pub totals: Vec<Vec<f64>>,
    /// The rows of `treaties.csv` (empty without treaties).
    pub treaties: Vec<super::treaties::TreatyRow>,
    /// A book's (`[book]`) largest event per trial, gross (empty otherwise).
    pub book_max: Vec<f64>,
    /// A book's rows of `accumulation.csv` (empty otherwise).
    pub accumulation: Vec<super::accumulation::Row>,
}

impl InsuranceFigures {
    /// The figures of a run in memory; `None` without policies.
    pub fn of(model: &Model, ins: &Insurance) -> Option<InsuranceFigures> {
        if !ins.has_policies() {
            return None;
        }
        let payouts = (0..ins.policy_ids.len())
            .map(|p| ins.table.of(p).map(|y| y.payout).collect())
            .collect();
        Some(InsuranceFigures {
            policies: ins.policies.clone(),
            payouts,
            decisions: ins.decisions.clone(),
            portfolios: ins.portfolios.clone(),
            members: Portfolios::of_model(model).members,
            totals: ins.portfolio_totals.clone(),
            treaties: ins
                .treaties
                .as_ref()
                .map_or_else(Vec::new, |t| t.rows.clone()),
            book_max: match model.book {
                Some(_) => ins.table.book_max.clone(),
                None => Vec::new(),
            },
            accumulation: match model.book {
                Some(_) => ins.accumulation.clone(),
                None => Vec::new(),
            },
        })
    }

    /// Per portfolio of `model`, its total payout per trial from the
    /// policies' payouts, summed exactly as the run sums them.
    pub fn portfolio_totals(
        model: &Model,
        payouts: &[Vec<f64>],
    ) -> (Vec<Vec<usize>>, Vec<Vec<f64>>) {
        let pf = Portfolios::of_model(model);
        let n = payouts.first().map_or(0, Vec::len);
        let totals = pf
            .members
            .iter()
            .map(|m| {
                (0..n)
                    .map(|t| portfolio::trial_total(m, |p| payouts[p][t]))
                    .collect()
            })
            .collect();
        (pf.members, totals)
    }

    /// The decision rows from the lowest expected total cost of risk up
    /// (ties in table order), as the terminal prints them.
    pub fn decisions_by_cost(&self) -> Vec<&Decision> {
        let mut v: Vec<(usize, &Decision)> = self.decisions.iter().enumerate().collect();
        v.sort_by(|a, b| {
            a.1.total_cost_of_risk
                .total_cmp(&b.1.total_cost_of_risk)
                .then(a.0.cmp(&b.0))
        });
        v.into_iter().map(|x| x.1).collect()
    }

    /// Index of the policy with id `id`.
    pub fn policy_index(&self, id: &str) -> Option<usize> {
        self.policies.iter().position(|p| p.policy == id)
    }
}
