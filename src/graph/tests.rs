//! Unit tests of the graph's layout, shared fates and DOT text.

use super::*;
use crate::scenario;

fn model(toml: &str) -> Model {
    let file = scenario::parse(toml, "t.toml").expect("parses");
    scenario::validate::compile(&file).expect("valid")
}

const PAIR: &str = r#"
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

#[test]
fn dot_quotes_and_escapes() {
    let dot = Graph::of(&model(PAIR)).dot();
    assert!(dot.starts_with("digraph fateshare {\n"));
    assert!(dot.contains(r#"label="Pair \"quoted\" \\ back";"#), "{dot}");
    assert!(dot.contains(r#""cause:cloud" -> "component:cloud-a""#));
    assert!(dot.contains(r#""component:cloud-a" -> "component:vendor-a";"#));
    assert!(dot.contains(r#""component:pair" -> "architecture:pair" [penwidth=2.5];"#));
    assert!(dot.contains("label=\"hit 0.5\""));
    assert_eq!(dot.matches(" -> ").count(), 7);
    assert!(dot.trim_end().ends_with('}'));
    // Quotes are balanced on every line once escapes are removed.
    for line in dot.lines() {
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
    }
}
