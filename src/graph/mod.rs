//! The dependency graph of a scenario as plain data: causes, components and
//! architectures laid out in columns left to right (causes, then components
//! by depth, then architectures), the edges between them (needs, hits,
//! serves), and which shared causes and components reach more than one
//! branch of a redundancy. The dependency-graph chart draws it, and
//! `fateshare graph` prints it as Graphviz DOT ([`Graph::dot`]).

use crate::fmtnum::sig;
use crate::model::{Mode, Model, SourceKind};

mod dot;
mod layout;
mod shared;

pub use dot::quote;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

        let shared = shared::shared_fates(model, &causes);
        // First node of each (kind, id): ids are unique within a kind.
        let mut index: std::collections::HashMap<(NodeKind, &str), usize> =
            std::collections::HashMap::with_capacity(nodes.len());
        for (i, n) in nodes.iter().enumerate() {
            index.entry((n.kind, n.id.as_str())).or_insert(i);
        }
        let marked: Vec<usize> = shared
            .iter()
            .filter_map(|f| index.get(&(f.kind, f.id.as_str())).copied())
            .collect();
        for i in marked {
            nodes[i].shared = true;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    pub(super) fn model(toml: &str) -> Model {
        let file = scenario::parse(toml, "t.toml").expect("parses");
        scenario::validate::compile(&file).expect("valid")
    }

    pub(super) const PAIR: &str = r#"
name = "Pair \"quoted\" \\ back"
[[component]]
id = "pair"
needs = ["vendor-a", "vendor-b"]
mode = "any"
[[component]]
id = "vendor-a"
needs = ["cloud-a"]
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 2 } }
[[component]]
id = "vendor-b"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 1.5 } }
[[component]]
id = "cloud-a"
[[cause]]
id = "cloud"
per_year = 0.3
duration = { dist = "fixed", hours = 3 }
hits = { cloud-a = 1.0, vendor-b = 0.5 }
[[cause]]
id = "only-b"
per_year = 1
duration = { dist = "fixed", hours = 3 }
hits = { vendor-b = 1.0 }
[[architecture]]
id = "pair"
serves = "pair"
"#;

    #[test]
    fn columns_follow_depth() {
        let g = Graph::of(&model(PAIR));
        let col = |id: &str| {
            g.nodes
                .iter()
                .find(|n| n.id == id && n.kind != NodeKind::Architecture)
                .unwrap()
                .column
        };
        assert_eq!(col("cloud"), 0);
        assert_eq!(col("cloud-a"), 1);
        assert_eq!(col("vendor-b"), 1);
        assert_eq!(col("vendor-a"), 2);
        assert_eq!(col("pair"), 3);
        let arch = g
            .nodes
            .iter()
            .find(|n| n.kind == NodeKind::Architecture)
            .unwrap();
        assert_eq!(arch.column, 4);
        assert_eq!(g.columns, 5);
        // Every edge runs left to right.
        for e in &g.edges {
            assert!(g.nodes[e.from].column < g.nodes[e.to].column, "{e:?}");
        }
        // needs 3 (pair 2, vendor-a 1) + hits 3 + serves 1
        assert_eq!(g.edges.len(), 7);
        // Rows are a permutation inside each column.
        for c in 0..g.columns {
            let col = g.column(c);
            let rows: Vec<usize> = col.iter().map(|&n| g.nodes[n].row).collect();
            assert_eq!(rows, (0..col.len()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_cause_reaching_both_branches_is_shared() {
        let g = Graph::of(&model(PAIR));
        // "cloud" reaches vendor-a through cloud-a, and vendor-b directly.
        assert_eq!(g.shared.len(), 1, "{:?}", g.shared);
        let f = &g.shared[0];
        assert_eq!(
            (f.kind, f.id.as_str(), f.redundancy.as_str()),
            (NodeKind::Cause, "cloud", "pair")
        );
        assert_eq!(f.branches, vec!["vendor-a", "vendor-b"]);
        assert!(f.defeats());
        assert!(
            f.sentence().contains("reaches 2 of 2 branches"),
            "{}",
            f.sentence()
        );
        let shared: Vec<&str> = g
            .nodes
            .iter()
            .filter(|n| n.shared)
            .map(|n| n.id.as_str())
            .collect();
        assert_eq!(shared, vec!["cloud"]);
    }

    #[test]
    fn a_shared_dependency_and_a_quorum() {
        let g = Graph::of(&model(
            r#"
name = "q"
[[component]]
id = "host"
outages = { per_year = 1, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "a"
needs = ["host"]
[[component]]
id = "b"
needs = ["host"]
[[component]]
id = "c"
outages = { per_year = 1, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "q"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 1
[[architecture]]
id = "q"
serves = "q"
"#,
        ));
        assert_eq!(g.shared.len(), 1, "{:?}", g.shared);
        let f = &g.shared[0];
        assert_eq!((f.kind, f.id.as_str()), (NodeKind::Component, "host"));
        // 1 of 3 must be up: all 3 must fail; host reaches 2.
        assert_eq!((f.branches.len(), f.of, f.must_fail), (2, 3, 3));
        assert!(!f.defeats());
        // No causes: components start in column 0.
        assert_eq!(g.nodes[0].column, 0);
    }
}
