//! Shared fate: which causes and components reach more than one branch of
//! a redundancy, found with one walk per branch (no closure of the graph).

use super::{NodeKind, SharedFate};
use crate::model::{Mode, Model};

/// Every cause (and every component that can be down by itself) reaching two
/// or more branches of a redundant component, in model order. For each
/// redundant component, one walk down from each branch marks what the branch
/// needs, directly or not: time and memory grow with the size of those
/// walks and the causes' hits, never with components squared.
pub(super) fn shared_fates(model: &Model, causes: &[usize]) -> Vec<SharedFate> {
    let n = model.components.len();
    let mut can_fail = vec![false; n];
    for s in model.sources.iter().filter(|s| s.per_year > 0.0) {
        for t in s.targets.iter().filter(|t| t.probability > 0.0) {
            can_fail[t.component] = true;
        }
    }
    // reached[x]: the branches (indices into needs) that need x, ascending.
    let mut reached: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut touched: Vec<usize> = Vec::new();
    let mut seen = vec![0usize; n];
    let mut stamp = 0usize;
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for comp in &model.components {
        let must_fail = match comp.mode {
            Mode::All => continue,
            Mode::Any | Mode::Failover { .. } => comp.needs.len(),
            Mode::Quorum(k) => comp.needs.len() - k + 1,
            Mode::Pool => comp.pool_cut().max(1),
        };
        if comp.needs.len() < 2 {
            continue;
        }
        for &x in &touched {
            reached[x].clear();
        }
        touched.clear();
        for (branch, &b) in comp.needs.iter().enumerate() {
            stamp += 1;
            stack.push(b);
            while let Some(x) = stack.pop() {
                if seen[x] == stamp {
                    continue;
                }
                seen[x] = stamp;
                if reached[x].is_empty() {
                    touched.push(x);
                }
                reached[x].push(branch as u32);
                stack.extend_from_slice(&model.components[x].needs);
            }
        }
        let fate = |kind, id: &str, branches: &[u32]| SharedFate {
            kind,
            id: id.to_string(),
            redundancy: comp.id.clone(),
            branches: branches
                .iter()
                .map(|&i| model.components[comp.needs[i as usize]].id.clone())
                .collect(),
            of: comp.needs.len(),
            must_fail,
        };
        let mut branches: Vec<u32> = Vec::new();
        for &s in causes {
            let src = &model.sources[s];
            if src.per_year <= 0.0 {
                continue;
            }
            branches.clear();
            for t in src.targets.iter().filter(|t| t.probability > 0.0) {
                branches.extend_from_slice(&reached[t.component]);
            }
            branches.sort_unstable();
            branches.dedup();
            if branches.len() >= 2 {
                out.push(fate(NodeKind::Cause, &src.id, &branches));
            }
        }
        touched.sort_unstable();
        for &d in &touched {
            if can_fail[d] && reached[d].len() >= 2 {
                out.push(fate(
                    NodeKind::Component,
                    &model.components[d].id,
                    &reached[d],
                ));
            }
        }
    }
    out
}
