//! The decision table: for each architecture with a loss, the option of no
//! insurance and each policy that insures it, with the expected total cost of
//! risk = cost per year + premium + expected retained loss. This is the
//! "backup or cover" comparison. An importance-sampled run's expected loss
//! and TVaR are weighted ([`super::weighing`]).

use super::policies::{PolicySummary, INSURED_TVAR_LEVEL};
use super::weighing;
use crate::engine::Simulation;
use crate::model::Model;

/// One row of `decisions.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub architecture: String,
    /// `none` or the policy id.
    pub option: String,
    pub cost_per_year: Option<f64>,
    pub premium: f64,
    pub expected_retained_loss: f64,
    /// cost per year (0 when not given) + premium + expected retained loss.
    pub total_cost_of_risk: f64,
    pub retained_loss_tvar99: f64,
}

/// Rows in scenario order: architectures with a loss, each with `none` first,
/// then its policies in file order.
pub fn decisions(model: &Model, sim: &Simulation, policies: &[PolicySummary]) -> Vec<Decision> {
    let mut rows = Vec::new();
    let w = sim.importance.as_ref().map(|i| &i.weights[..]);
    for (a, arch) in model.architectures.iter().enumerate() {
        if arch.loss.is_none() {
            continue;
        }
        let cost = arch.cost_per_year.unwrap_or(0.0);
        let losses: Vec<f64> = sim.of(a).map(|o| o.loss).collect();
        let loss = weighing::mean(&losses, w).moments.mean;
        rows.push(Decision {
            architecture: arch.id.clone(),
            option: "none".into(),
            cost_per_year: arch.cost_per_year,
            premium: 0.0,
            expected_retained_loss: loss,
            total_cost_of_risk: cost + loss,
            retained_loss_tvar99: weighing::tvar(&losses, w, INSURED_TVAR_LEVEL),
        });
        for (p, s) in model.policies.iter().zip(policies) {
            if p.insured != a {
                continue;
            }
            rows.push(Decision {
                architecture: arch.id.clone(),
                option: p.id.clone(),
                cost_per_year: arch.cost_per_year,
                premium: s.premium.gross,
                expected_retained_loss: s.insured_expected_loss_after,
                total_cost_of_risk: cost + s.premium.gross + s.insured_expected_loss_after,
                retained_loss_tvar99: s.insured_tvar99_after,
            });
        }
    }
    rows
}
