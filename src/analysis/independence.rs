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
use crate::model::{Model, HOURS_PER_YEAR};

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
    let mut seen = vec![false; model.components.len()];
    for (c, comp) in model.components.iter().enumerate() {
        if !super::cost::audited(comp) {
            continue;
        }
        let (shared, jaccard, pair) = overlap_of(model, graph, &comp.needs, &mut seen);
        let single_points = node_groups[c]
            .groups
            .iter()
            .filter(|g| g.sources.len() == 1 && shared.binary_search(&g.sources[0]).is_ok())
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

/// For the branches `needs` of a redundancy: the sources reaching two or
/// more of them (ascending), the largest Jaccard overlap of two branches'
/// reach sets and the first pair (in need order) that has it ((needs[0],
/// needs[1]) with 0 when no two overlap). Pairs are found through the
/// sources they share, so disjoint branches cost nothing.
fn overlap_of(
    model: &Model,
    graph: &Graph,
    needs: &[usize],
    seen: &mut [bool],
) -> (Vec<usize>, f64, (usize, usize)) {
    let reach: Vec<Vec<usize>> = needs.iter().map(|&d| graph.reach(model, d, seen)).collect();
    let mut by_source: std::collections::BTreeMap<usize, Vec<u32>> = Default::default();
    for (i, r) in reach.iter().enumerate() {
        for &s in r {
            by_source.entry(s).or_default().push(i as u32);
        }
    }
    let mut common: std::collections::HashMap<(u32, u32), usize> = Default::default();
    let mut shared = Vec::new();
    for (&s, branches) in &by_source {
        if branches.len() >= 2 {
            shared.push(s);
        }
        for (x, &i) in branches.iter().enumerate() {
            for &j in &branches[x + 1..] {
                *common.entry((i, j)).or_insert(0) += 1;
            }
        }
    }
    let (mut jaccard, mut pair) = (0.0, (0u32, 1u32));
    for (&(i, j), &both) in &common {
        let union = reach[i as usize].len() + reach[j as usize].len() - both;
        let jac = both as f64 / union as f64;
        if jac > jaccard || (jac == jaccard && (i, j) < pair) {
            jaccard = jac;
            pair = (i, j);
        }
    }
    (
        shared,
        jaccard,
        (needs[pair.0 as usize], needs[pair.1 as usize]),
    )
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
