//! The independence audit: for every redundancy (`any`, `quorum` and
//! `failover` components with two or more needs), which outage sources can
//! reach more than one of its branches, how alike the branches' source sets
//! are, which shared sources defeat the redundancy on their own, and how
//! much of the node's simulated down time the shared sources explain.
//! "Three vendors that fail for the same reason are one."

use super::counterfactual::Tally;
use super::estimate::{mean, ratio, Estimate};
use super::graph::Graph;
use super::risk_groups::RiskGroups;
use crate::model::{Mode, Model, HOURS_PER_YEAR};

/// The structural part of one audited node.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditNode {
    pub component: usize,
    /// The node's needs, in priority order.
    pub branches: Vec<usize>,
    /// Sources that can reach at least two branches, ascending.
    pub shared: Vec<usize>,
    /// Largest Jaccard similarity |Rᵢ ∩ Rⱼ| / |Rᵢ ∪ Rⱼ| over pairs of branches'
    /// source sets (0 when both are empty).
    pub jaccard: f64,
    /// The pair of branches (needs) with that similarity.
    pub jaccard_pair: (usize, usize),
    /// Shared sources that form a risk group of one for the node: each alone
    /// takes the redundancy down.
    pub single_points: Vec<usize>,
}

/// One row of `independence.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    pub node: AuditNode,
    /// The node's own down time, hours per year.
    pub downtime_hours: Estimate,
    /// Share of the node's down time that removing some shared source restores.
    pub shared_downtime_share: Estimate,
}

/// Audits the structure of every redundancy node, in component (topological) order.
pub fn audit(model: &Model, graph: &Graph, node_groups: &[RiskGroups]) -> Vec<AuditNode> {
    let mut out = Vec::new();
    for (c, comp) in model.components.iter().enumerate() {
        let redundant = matches!(
            comp.mode,
            Mode::Any | Mode::Quorum(_) | Mode::Failover { .. }
        );
        if !redundant || comp.needs.len() < 2 {
            continue;
        }
        let reach: Vec<_> = comp.needs.iter().map(|&d| &graph.reach[d]).collect();
        let shared: Vec<usize> = (0..model.sources.len())
            .filter(|&s| reach.iter().filter(|r| r.contains(s)).count() >= 2)
            .collect();
        let (mut jaccard, mut pair) = (-1.0, (comp.needs[0], comp.needs[1]));
        for i in 0..reach.len() {
            for j in i + 1..reach.len() {
                let union = reach[i].union_len(reach[j]);
                let jac = if union == 0 {
                    0.0
                } else {
                    reach[i].intersection_len(reach[j]) as f64 / union as f64
                };
                if jac > jaccard {
                    jaccard = jac;
                    pair = (comp.needs[i], comp.needs[j]);
                }
            }
        }
        let single_points = node_groups[c]
            .groups
            .iter()
            .filter(|g| g.sources.len() == 1 && shared.contains(&g.sources[0]))
            .map(|g| g.sources[0])
            .collect();
        out.push(AuditNode {
            component: c,
            branches: comp.needs.clone(),
            shared,
            jaccard,
            jaccard_pair: pair,
            single_points,
        });
    }
    out
}

/// Adds the simulated figures to the audited nodes.
pub fn rows(nodes: &[AuditNode], tally: &Tally, horizon: f64) -> Vec<AuditRow> {
    let per_year = HOURS_PER_YEAR / horizon;
    nodes
        .iter()
        .enumerate()
        .map(|(v, node)| AuditRow {
            node: node.clone(),
            downtime_hours: mean(&tally.node_down[v], tally.trials).scaled(per_year),
            shared_downtime_share: ratio(&tally.node_shared[v], &tally.node_down[v], tally.trials),
        })
        .collect()
}
