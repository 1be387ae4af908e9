//! Single points of failure without enumerating cut sets: the outage sources
//! that on their own take a component down (its risk groups of one), in work
//! that grows with the graph, not with its paths or with components squared.
//!
//! A source alone takes component `c` down when it hits `c`, or hits (alone)
//! any component `c` needs through `all`, or, for a redundancy (`any`,
//! `failover`, `quorum`, `pool`), takes down alone as many of its branches
//! as [`must_fail`] says. So one walk from `c` down the `all` edges collects
//! the direct hits and the redundancies met; each redundancy's own list is
//! computed once, in topological order, by one such walk per branch. This
//! gives exactly the sets of one source that [`super::risk_groups::families`]
//! finds with `max_order = 1` (same rules, pool included), without the
//! per-component families that make that quadratic on a long chain.

use super::graph::Graph;
use crate::model::{Mode, Model};

/// How many branches of a redundant component must be down for it to be
/// down, as the cut-set enumeration counts them; `None` for `all` and for
/// components without needs.
pub fn must_fail(comp: &crate::model::Component) -> Option<usize> {
    let n = comp.needs.len();
    match comp.mode {
        _ if n == 0 => None,
        Mode::All => None,
        Mode::Any | Mode::Failover { .. } => Some(n),
        Mode::Quorum(k) => Some(n - k + 1),
        // Below full capacity counts as failed; with unequal capacities any
        // set as large as the smallest cut counts (as in risk_groups).
        Mode::Pool => Some(comp.pool_cut().max(1)),
    }
}

/// Walk state reused across walks: visit stamps instead of clearing.
struct Walker {
    seen_component: Vec<u32>,
    seen_source: Vec<u32>,
    stamp: u32,
    stack: Vec<usize>,
}

impl Walker {
    /// The sources that alone take `start` down, ascending, given the lists
    /// of every redundancy it reaches through `all` edges.
    fn single(
        &mut self,
        model: &Model,
        graph: &Graph,
        redundant: &[Vec<usize>],
        start: usize,
    ) -> Vec<usize> {
        self.stamp += 1;
        let stamp = self.stamp;
        let mut out = Vec::new();
        let mut add = |s: usize, seen: &mut Vec<u32>| {
            if seen[s] != stamp {
                seen[s] = stamp;
                out.push(s);
            }
        };
        self.stack.push(start);
        while let Some(x) = self.stack.pop() {
            if self.seen_component[x] == stamp {
                continue;
            }
            self.seen_component[x] = stamp;
            for &h in &graph.direct[x] {
                add(graph.hits[h].source, &mut self.seen_source);
            }
            let comp = &model.components[x];
            if must_fail(comp).is_some() {
                for &s in &redundant[x] {
                    add(s, &mut self.seen_source);
                }
            } else {
                self.stack.extend_from_slice(&comp.needs);
            }
        }
        out.sort_unstable();
        out
    }
}

/// Per component in `roots` (same order): the sources that alone take it
/// down, ascending.
pub fn single_sources(model: &Model, graph: &Graph, roots: &[usize]) -> Vec<Vec<usize>> {
    let n = model.components.len();
    let mut w = Walker {
        seen_component: vec![0; n],
        seen_source: vec![0; model.sources.len()],
        stamp: 0,
        stack: Vec::new(),
    };
    // Components are in topological order (needs first): every redundancy
    // a branch reaches has its list before the branch is walked.
    let mut redundant: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut count = vec![0usize; model.sources.len()];
    let mut touched = Vec::new();
    for (c, comp) in model.components.iter().enumerate() {
        let Some(m) = must_fail(comp) else { continue };
        for &b in &comp.needs {
            for s in w.single(model, graph, &redundant, b) {
                if count[s] == 0 {
                    touched.push(s);
                }
                count[s] += 1;
            }
        }
        let mut list: Vec<usize> = touched.iter().copied().filter(|&s| count[s] >= m).collect();
        list.sort_unstable();
        for &s in &touched {
            count[s] = 0;
        }
        touched.clear();
        redundant[c] = list;
    }
    roots
        .iter()
        .map(|&r| w.single(model, graph, &redundant, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::risk_groups::{families, risk_groups, Limits};

    fn same_as_enumeration(model: &Model, what: &str) {
        let graph = Graph::new(model);
        let fams = families(
            model,
            &graph,
            Limits {
                max_order: 1,
                max_sets: 1_000_000,
            },
        );
        let roots: Vec<usize> = (0..model.components.len()).collect();
        let fast = single_sources(model, &graph, &roots);
        for c in roots {
            let mut slow: Vec<usize> = risk_groups(model, &graph, &fams[c])
                .groups
                .iter()
                .filter(|g| g.sources.len() == 1)
                .map(|g| g.sources[0])
                .collect();
            slow.sort_unstable();
            assert_eq!(fast[c], slow, "{what}: {}", model.components[c].id);
        }
    }

    /// Every mode, nested redundancies, shared causes and a pool.
    #[test]
    fn equals_the_order_one_enumeration_on_every_mode() {
        let toml = r#"
name = "modes"
[[component]]
id = "a"
outages = { per_year = 1, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "b"
outages = { per_year = 1, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "c"
needs = ["a"]
[[component]]
id = "d"
outages = { per_year = 0, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "pool"
mode = "pool"
needs = [{ id = "a", capacity = 1 }, { id = "b", capacity = 2.5 }, { id = "c", capacity = 1 }]
[[component]]
id = "q"
mode = "quorum"
quorum = 2
needs = ["c", "b", "d"]
[[component]]
id = "pair"
mode = "any"
needs = ["q", "pool"]
[[component]]
id = "fo"
mode = "failover"
needs = ["pair", "d"]
[[component]]
id = "top"
needs = ["fo", "c"]
[[cause]]
id = "both"
per_year = 0.5
duration = { dist = "fixed", hours = 2 }
hits = { a = 1.0, b = 0.5 }
[[cause]]
id = "never"
per_year = 0.5
duration = { dist = "fixed", hours = 2 }
hits = { d = 0.0, b = 1.0 }
[[cause]]
id = "dee"
per_year = 0.5
duration = { dist = "fixed", hours = 2 }
hits = { d = 1.0, c = 1.0, b = 1.0 }
[[architecture]]
id = "top"
serves = "top"
"#;
        let file = crate::scenario::parse(toml, "t.toml").expect("parses");
        let model = crate::scenario::validate::compile(&file).expect("valid");
        same_as_enumeration(&model, "modes");
        let graph = Graph::new(&model);
        let top = model.components.iter().position(|c| c.id == "top").unwrap();
        let ids: Vec<&str> = single_sources(&model, &graph, &[top])[0]
            .iter()
            .map(|&s| model.sources[s].id.as_str())
            .collect();
        // `a` alone takes `c` (needed by `top`) down; `dee` hits c as well.
        assert!(ids.contains(&"a") && ids.contains(&"dee"), "{ids:?}");
        assert!(!ids.contains(&"b"), "{ids:?}");
    }

    /// Equal to the enumeration at `max_order = 1` on every bundled scenario.
    #[test]
    fn equals_the_order_one_enumeration_on_every_bundled_scenario() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("scenarios") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let Ok((_, _, model)) = crate::scenario::load_with_text(&path) else {
                continue;
            };
            same_as_enumeration(&model, &path.display().to_string());
            checked += 1;
        }
        assert!(checked >= 3, "{checked} scenarios");
    }
}
