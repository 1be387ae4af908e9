//! What `fateshare analyze` would cost, computed before it starts so that
//! [`crate::budget::check_analysis`] can refuse what cannot finish:
//!
//! - the risk-group enumeration: an upper bound on the candidate sets it
//!   builds and the subset checks that minimise them, from the structure, `--max-order` and `--max-sets` (each family
//!   holds at most `max_sets` sets; the sets cutting `j` of a redundancy's
//!   first `i` branches are at most the products of the branches' family
//!   sizes, summed over the ways to pick `j` of them);
//! - the counterfactual tables: one flag per (source, component) and the
//!   components each source's counterfactual re-evaluates (its cone), whose
//!   total is also the work of one trial;
//! - the structural walks: per audited redundancy a walk from each branch
//!   and the branch pairs that share a source; per architecture and per
//!   provider or jurisdiction group a walk of the graph.
//!
//! Walk counts stop once they pass a limit, so the estimate itself is cheap.

use super::graph::Graph;
use super::risk_groups::Limits;
use super::singles::must_fail;
use crate::model::{Mode, Model};

/// The estimate; counts are `f64` (saturating, never wrapping).
#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    /// Upper bound on the enumeration's steps (candidate sets and their
    /// subset checks).
    pub cut_sets: f64,
    /// The component contributing most to `cut_sets`, with its shape.
    pub cut_driver: String,
    /// Σ over sources of the components its counterfactual re-evaluates
    /// (at least this much when `cones_stopped`).
    pub cone_cells: f64,
    pub cones_stopped: bool,
    /// Steps of the structural walks and pair checks (at least this much
    /// when `steps_stopped`).
    pub steps: f64,
    pub steps_stopped: bool,
}

/// Whether the independence audit looks at a component.
pub fn audited(comp: &crate::model::Component) -> bool {
    matches!(
        comp.mode,
        Mode::Any | Mode::Quorum(_) | Mode::Failover { .. }
    ) && comp.needs.len() >= 2
}

/// The estimate for analysing `model` with `limits`; the cone count stops
/// past `cone_stop`, the structural steps past `step_stop`.
pub fn estimate(model: &Model, limits: Limits, cone_stop: f64, step_stop: f64) -> Cost {
    let graph = Graph::new(model);
    let (cut_sets, cut_driver) = cut_sets(model, &graph, limits);
    let (cone_cells, cones_stopped) = cones(model, &graph, cone_stop);
    let (steps, steps_stopped) = steps(model, &graph, step_stop);
    Cost {
        cut_sets,
        cut_driver,
        cone_cells,
        cones_stopped,
        steps,
        steps_stopped,
    }
}

/// Upper bound on the enumeration's steps: candidate sets merged, plus
/// the subset checks of minimising them (2^j for a set cutting j branches,
/// at most 2^10), following [`super::risk_groups::families`] step by step with
/// family sizes replaced by their bounds.
fn cut_sets(model: &Model, graph: &Graph, limits: Limits) -> (f64, String) {
    let cap = limits.max_sets as f64;
    let and_cap = 8.0 * cap + 1024.0;
    let mut size = vec![0.0f64; model.components.len()];
    let (mut total, mut worst, mut driver) = (0.0, 0.0, String::new());
    for (c, comp) in model.components.iter().enumerate() {
        let d = graph.direct[c].len() as f64;
        let mut work = d;
        let through = if comp.needs.is_empty() {
            0.0
        } else if let Some(m) = must_fail(comp) {
            let mut g = vec![0.0f64; m + 1];
            g[0] = 1.0;
            for (i, &b) in comp.needs.iter().enumerate() {
                let f = size[b];
                for j in (1..=m.min(i + 1)).rev() {
                    let merges = g[j - 1] * f;
                    let with = merges.min(and_cap);
                    // Minimising checks each candidate's subsets (up to 2^10).
                    work += merges + (g[j] + with) * (1u64 << j.min(10)) as f64;
                    g[j] = (g[j] + with).min(cap);
                }
            }
            g[m]
        } else {
            let sum: f64 = comp.needs.iter().map(|&b| size[b]).sum();
            work += sum;
            sum
        };
        work += d + through;
        size[c] = (d + through).min(cap);
        total += work;
        if work > worst {
            worst = work;
            driver = format!(
                "component \"{}\": {} with --max-order {} --max-sets {}",
                crate::text::escape(&comp.id),
                crate::graph::mode_text(comp.mode, comp.needs.len()),
                limits.max_order,
                limits.max_sets
            );
        }
    }
    (total, driver)
}

/// Σ over sources of their cones (what [`Graph::cone`] marks), counted with
/// walks that stop once the total passes `stop`.
fn cones(model: &Model, graph: &Graph, stop: f64) -> (f64, bool) {
    let mut watched: Vec<usize> = model.architectures.iter().map(|a| a.serves).collect();
    watched.extend((0..model.components.len()).filter(|&c| audited(&model.components[c])));
    let needed = graph.upstream_mask(model, &watched);
    let mut stamp = vec![usize::MAX; model.components.len()];
    let mut stack = Vec::new();
    let mut total = 0.0;
    for (s, src) in model.sources.iter().enumerate() {
        stack.extend(
            src.targets
                .iter()
                .filter(|t| t.probability > 0.0)
                .map(|t| t.component),
        );
        while let Some(x) = stack.pop() {
            if stamp[x] == s || !needed[x] {
                continue;
            }
            stamp[x] = s;
            total += 1.0;
            stack.extend_from_slice(&graph.users[x]);
        }
        if total > stop {
            return (total, true);
        }
    }
    (total, false)
}

/// Steps of the audit's branch walks and shared-source pairs, the
/// architectures' walks and the concentration groups' walks and
/// evaluations; stops once past `stop`.
fn steps(model: &Model, graph: &Graph, stop: f64) -> (f64, bool) {
    let n = model.components.len();
    let edges: usize = model.components.iter().map(|c| c.needs.len()).sum();
    let walk = (n + edges) as f64;
    let groups = model
        .components
        .iter()
        .filter_map(|c| c.provider.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        + model
            .components
            .iter()
            .filter_map(|c| c.jurisdiction.as_deref())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    let archs = model.architectures.len() as f64;
    // Per group one walk; per (architecture, group) one evaluation; per
    // architecture two walks.
    let mut total = groups as f64 * walk * (1.0 + archs) + 2.0 * archs * walk;
    if total > stop {
        return (total, true);
    }
    let mut seen = vec![false; n];
    let mut count = vec![0.0f64; model.sources.len()];
    let mut touched = Vec::new();
    for comp in model.components.iter().filter(|c| audited(c)) {
        for &b in &comp.needs {
            let reach = graph.reach(model, b, &mut seen);
            total += reach.len() as f64 + 1.0;
            for s in reach {
                if count[s] == 0.0 {
                    touched.push(s);
                }
                count[s] += 1.0;
            }
            if total > stop {
                return (total, true);
            }
        }
        for &s in &touched {
            total += count[s] * (count[s] - 1.0) / 2.0;
            count[s] = 0.0;
        }
        touched.clear();
        if total > stop {
            return (total, true);
        }
    }
    (total, false)
}
