//! Structural facts about a scenario, independent of any simulation: which
//! outage sources hit which component, what a component depends on and what
//! a source can reach (walks over the needs, in work linear in what they
//! visit; no closure of the whole graph), which components a counterfactual
//! on a source can change, and the boolean structure function ("is this
//! component down when exactly these components are forced down and
//! everything else is up?").
//!
//! A source *can hit* a component when its rate is above 0 and it lists the
//! component as a target with hit probability above 0; a source that never
//! happens or never hits is ignored here.

use crate::model::{Mode, Model};

/// One basic event: source `source` takes component `component` down (the
/// source's event hits it with probability `probability`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub source: usize,
    pub component: usize,
    pub probability: f64,
}

/// The scenario's structure, indexed like the model.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Every (source, component) a source can hit, ordered by source then component.
    pub hits: Vec<Hit>,
    /// Per component: indices into `hits` of the basic events on it.
    pub direct: Vec<Vec<usize>>,
    /// Per component: the components that need it, directly.
    pub users: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(model: &Model) -> Self {
        let n = model.components.len();
        let mut hits = Vec::new();
        for (s, src) in model.sources.iter().enumerate() {
            if src.rate_per_hour <= 0.0 {
                continue;
            }
            for t in &src.targets {
                if t.probability > 0.0 {
                    hits.push(Hit {
                        source: s,
                        component: t.component,
                        probability: t.probability,
                    });
                }
            }
        }
        let mut direct = vec![Vec::new(); n];
        for (i, h) in hits.iter().enumerate() {
            direct[h.component].push(i);
        }
        let mut users = vec![Vec::new(); n];
        for (c, comp) in model.components.iter().enumerate() {
            for &d in &comp.needs {
                users[d].push(c);
            }
        }
        Graph {
            hits,
            direct,
            users,
        }
    }

    /// Marks every component that one of `roots` depends on, the roots
    /// included: one walk down the needs.
    pub fn upstream_mask(&self, model: &Model, roots: &[usize]) -> Vec<bool> {
        let mut mark = vec![false; model.components.len()];
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(x) = stack.pop() {
            if !mark[x] {
                mark[x] = true;
                stack.extend_from_slice(&model.components[x].needs);
            }
        }
        mark
    }

    /// The sources that can take `c` down, directly or through its needs,
    /// ascending; `seen` (one flag per component, all false) is left as found.
    pub fn reach(&self, model: &Model, c: usize, seen: &mut [bool]) -> Vec<usize> {
        let mut visited = vec![c];
        let mut stack = vec![c];
        seen[c] = true;
        let mut out = Vec::new();
        while let Some(x) = stack.pop() {
            out.extend(self.direct[x].iter().map(|&h| self.hits[h].source));
            for &d in &model.components[x].needs {
                if !seen[d] {
                    seen[d] = true;
                    visited.push(d);
                    stack.push(d);
                }
            }
        }
        for x in visited {
            seen[x] = false;
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The components whose timelines a counterfactual on `source` can change
    /// (its targets and everything that needs them), limited to `needed`
    /// (those some watched component depends on: [`Graph::upstream_mask`]).
    /// A walk up from the targets through the users that are needed (a user
    /// of a component no watched one depends on is not needed either).
    pub fn cone(&self, model: &Model, source: usize, needed: &[bool]) -> Vec<bool> {
        let mut changed = vec![false; model.components.len()];
        let mut stack: Vec<usize> = model.sources[source]
            .targets
            .iter()
            .filter(|t| t.probability > 0.0)
            .map(|t| t.component)
            .collect();
        while let Some(x) = stack.pop() {
            if changed[x] || !needed[x] {
                continue;
            }
            changed[x] = true;
            stack.extend_from_slice(&self.users[x]);
        }
        changed
    }
}

/// The structure function: which components are down when exactly the
/// components in `forced` are down by themselves and every other component's
/// own outages and causes are absent. `failover` counts as down when every
/// need is down (its state once a switch has completed).
pub fn down_when(model: &Model, forced: &[bool]) -> Vec<bool> {
    let mut down = vec![false; model.components.len()];
    for (c, comp) in model.components.iter().enumerate() {
        let cut = comp.needs.iter().filter(|&&d| down[d]).count();
        let n = comp.needs.len();
        let needs_fail = n > 0
            && match comp.mode {
                Mode::All => cut >= 1,
                Mode::Any | Mode::Failover { .. } => cut == n,
                // At least n − k + 1 needs down leaves fewer than k up.
                Mode::Quorum(k) => cut > n - k,
                // Below full capacity counts as failed.
                Mode::Pool => comp.pool_short(|k| down[comp.needs[k]]),
            };
        down[c] = forced[c] || needs_fail;
    }
    down
}
