//! The dependency graph of a scenario as plain data: causes, components and
//! architectures laid out in columns left to right (causes, then components
//! by depth, then architectures), the edges between them (needs, hits,
//! serves), and which shared causes and components reach more than one
//! branch of a redundancy. The dependency-graph chart draws it, and
//! `fateshare graph` prints it as Graphviz DOT ([`Graph::dot`], in [`dot`]).

mod dot;

pub use dot::quote;

use crate::fmtnum::sig;
use crate::model::{Mode, Model, SourceKind};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Cause,
    Component,
    Architecture,
}

impl NodeKind {
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Cause => "cause",
            NodeKind::Component => "component",
            NodeKind::Architecture => "architecture",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub id: String,
    pub description: Option<String>,
    /// A short second line: rate and mean duration, how needs combine.
    pub detail: String,
    /// Column, 0 on the left.
    pub column: usize,
    /// Position inside the column, 0 at the top.
    pub row: usize,
    /// A cause or component that reaches two or more branches of a redundancy.
    pub shared: bool,
}

/// What an edge says; edges always run from a lower column to a higher one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeKind {
    /// `to` needs `from`.
    Needs,
    /// Cause `from` takes `to` down with this probability per event.
    Hits { probability: f64 },
    /// Architecture `to` serves component `from`.
    Serves,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Node indices.
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

/// A cause or component that can take down several branches of one
/// redundant component (`any`, `failover` or `quorum`) at once.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedFate {
    pub kind: NodeKind,
    pub id: String,
    /// The redundant component.
    pub redundancy: String,
    /// The branches (needs of the redundancy) it reaches, in need order.
    pub branches: Vec<String>,
    /// How many needs the redundancy has.
    pub of: usize,
    /// How many branches must be down for the redundancy to be down.
    pub must_fail: usize,
}

impl SharedFate {
    /// Whether one event or outage of it alone can take the redundancy down.
    pub fn defeats(&self) -> bool {
        self.branches.len() >= self.must_fail
    }

    /// One sentence, e.g. `cause "cloud" reaches 2 of 2 branches of
    /// "a-or-b" (vendor-a, vendor-b): one event can take it down`.
    pub fn sentence(&self) -> String {
        format!(
            "{} \"{}\" reaches {} of {} branches of \"{}\" ({}): {}",
            self.kind.name(),
            self.id,
            self.branches.len(),
            self.of,
            self.redundancy,
            self.branches.join(", "),
            if self.defeats() {
                "one event can take it down"
            } else {
                "one event leaves it less redundant"
            }
        )
    }
}

/// The laid-out graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub name: String,
    /// Causes, then components (in model order), then architectures.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub columns: usize,
    pub shared: Vec<SharedFate>,
}

impl Graph {
    /// Builds and lays out the graph of a model.
    pub fn of(model: &Model) -> Graph {
        let causes: Vec<usize> = (0..model.sources.len())
            .filter(|&s| model.sources[s].kind == SourceKind::Cause)
            .collect();
        let offset = usize::from(!causes.is_empty());
        let mut depth = vec![0usize; model.components.len()];
        for (c, comp) in model.components.iter().enumerate() {
            depth[c] = comp.needs.iter().map(|&n| depth[n] + 1).max().unwrap_or(0);
        }
        let max_depth = depth.iter().copied().max().unwrap_or(0);

        let mut nodes = Vec::new();
        for &s in &causes {
            let src = &model.sources[s];
            nodes.push(Node {
                kind: NodeKind::Cause,
                id: src.id.clone(),
                description: src.description.clone(),
                detail: rate(src.per_year, src.duration.mean()),
                column: 0,
                row: 0,
                shared: false,
            });
        }
        let first_component = nodes.len();
        for (c, comp) in model.components.iter().enumerate() {
            let mut parts = Vec::new();
            if let Some(s) = comp.own_source {
                let src = &model.sources[s];
                if src.per_year > 0.0 {
                    parts.push(rate(src.per_year, src.duration.mean()));
                }
            }
            if !comp.needs.is_empty() {
                parts.push(mode_text(comp.mode, comp.needs.len()));
            }
            nodes.push(Node {
                kind: NodeKind::Component,
                id: comp.id.clone(),
                description: comp.description.clone(),
                detail: parts.join("; "),
                column: offset + depth[c],
                row: 0,
                shared: false,
            });
        }
        let first_arch = nodes.len();
        for a in &model.architectures {
            nodes.push(Node {
                kind: NodeKind::Architecture,
                id: a.id.clone(),
                description: a.description.clone(),
                detail: String::new(),
                column: offset + max_depth + 1,
                row: 0,
                shared: false,
            });
        }

        let mut edges = Vec::new();
        for (c, comp) in model.components.iter().enumerate() {
            for &n in &comp.needs {
                edges.push(Edge {
                    from: first_component + n,
                    to: first_component + c,
                    kind: EdgeKind::Needs,
                });
            }
        }
        for (i, &s) in causes.iter().enumerate() {
            for t in &model.sources[s].targets {
                edges.push(Edge {
                    from: i,
                    to: first_component + t.component,
                    kind: EdgeKind::Hits {
                        probability: t.probability,
                    },
                });
            }
        }
        for (a, arch) in model.architectures.iter().enumerate() {
            edges.push(Edge {
                from: first_component + arch.serves,
                to: first_arch + a,
                kind: EdgeKind::Serves,
            });
        }

        let shared = shared_fates(model, &causes);
        for f in &shared {
            let first = if f.kind == NodeKind::Cause {
                0
            } else {
                first_component
            };
            if let Some(n) = nodes[first..]
                .iter_mut()
                .find(|n| n.kind == f.kind && n.id == f.id)
            {
                n.shared = true;
            }
        }

        let columns = offset + max_depth + 2;
        let mut g = Graph {
            name: model.name.clone(),
            nodes,
            edges,
            columns,
            shared,
        };
        g.order_rows();
        g
    }

    /// Node indices of one column, top to bottom.
    pub fn column(&self, col: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.nodes.len())
            .filter(|&n| self.nodes[n].column == col)
            .collect();
        v.sort_by_key(|&n| self.nodes[n].row);
        v
    }

    /// Orders each column to reduce crossings: a few sweeps of the
    /// barycenter heuristic (each node moves to the mean position of its
    /// neighbours in the column before, then after), ties kept in model order.
    fn order_rows(&mut self) {
        let mut cols: Vec<Vec<usize>> = (0..self.columns)
            .map(|c| {
                (0..self.nodes.len())
                    .filter(|&n| self.nodes[n].column == c)
                    .collect()
            })
            .collect();
        let mut pred = vec![Vec::new(); self.nodes.len()];
        let mut succ = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            pred[e.to].push(e.from);
            succ[e.from].push(e.to);
        }
        // Centred position of every node in its column.
        let position = |cols: &[Vec<usize>], n_nodes: usize| {
            let mut pos = vec![0.0; n_nodes];
            for col in cols {
                let mid = (col.len() as f64 - 1.0) / 2.0;
                for (r, &n) in col.iter().enumerate() {
                    pos[n] = r as f64 - mid;
                }
            }
            pos
        };
        let n_nodes = self.nodes.len();
        for _ in 0..6 {
            for (range, links) in [
                ((1..self.columns).collect::<Vec<_>>(), &pred),
                ((0..self.columns).rev().collect::<Vec<_>>(), &succ),
            ] {
                for c in range {
                    let pos = position(&cols, n_nodes);
                    let key = |n: usize| {
                        let l = &links[n];
                        if l.is_empty() {
                            pos[n]
                        } else {
                            l.iter().map(|&m| pos[m]).sum::<f64>() / l.len() as f64
                        }
                    };
                    let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                        .iter()
                        .enumerate()
                        .map(|(r, &n)| (key(n), r, n))
                        .collect();
                    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    cols[c] = keyed.into_iter().map(|(_, _, n)| n).collect();
                }
            }
        }
        for col in &cols {
            for (r, &n) in col.iter().enumerate() {
                self.nodes[n].row = r;
            }
        }
    }
}

/// `0.3/yr · mean 4.1 h`.
fn rate(per_year: f64, mean_hours: f64) -> String {
    format!(
        "{}/yr · mean {}",
        sig(per_year, 3),
        crate::fmtnum::hours(mean_hours)
    )
}

/// `all of 3`, `any of 2`, `2 of 3`, `failover, 4.5 min switch`.
pub fn mode_text(mode: Mode, needs: usize) -> String {
    match mode {
        Mode::All => format!("all of {needs}"),
        Mode::Any => format!("any of {needs}"),
        Mode::Quorum(k) => format!("{k} of {needs}"),
        Mode::Failover { switch_hours, .. } => {
            format!("failover, {} min switch", sig(switch_hours * 60.0, 3))
        }
        Mode::Pool => format!("pool of {needs}"),
    }
}

/// Every cause (and every component that can be down by itself) reaching two
/// or more branches of a redundant component, in model order. For each
/// redundant component, one walk down from each branch marks what the branch
/// needs, directly or not: time and memory grow with the size of those
/// walks and the causes' hits, never with components squared.
fn shared_fates(model: &Model, causes: &[usize]) -> Vec<SharedFate> {
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

#[cfg(test)]
mod tests;
