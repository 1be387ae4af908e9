//! Large structures through the binary: graph work that scales (a
//! 50,000-way redundancy, a 20,000-deep chain) and analysis work that is
//! estimated and refused up front when over its budget.

use crate::common;

use common::hostile::{ok, refused};
use common::{run, write};

/// An `any` over 50,000 components with one cause hitting every one of them.
fn wide(n: usize) -> String {
    let mut t = String::from("name = \"wide\"\n[simulation]\ntrials = 4\n");
    for i in 0..n {
        t += &format!(
            "[[component]]\nid = \"c{i}\"\noutages = {{ per_year = 0.001, duration = {{ dist = \"fixed\", hours = 1 }} }}\n"
        );
    }
    let ids: Vec<String> = (0..n).map(|i| format!("\"c{i}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"top\"\nmode = \"any\"\nneeds = [{}]\n",
        ids.join(", ")
    );
    let hits: Vec<String> = (0..n).map(|i| format!("c{i} = 1.0")).collect();
    t += &format!(
        "[[cause]]\nid = \"region\"\nper_year = 1\nduration = {{ dist = \"fixed\", hours = 2 }}\nhits = {{ {} }}\n",
        hits.join(", ")
    );
    t += "[[architecture]]\nid = \"all\"\nserves = \"top\"\n";
    t
}

/// `graph` finds the shared fate of a 50,000-way redundancy by walking each
/// branch once (no components × components table), and `analyze`, whose
/// counterfactual tables grow with components × sources, is refused before
/// any work.
#[test]
fn large_graphs_scale_or_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "wide.toml", &wide(50_000));
    let f = file.to_str().unwrap();
    let g = run(&["graph", f]);
    assert_eq!(
        g.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
    let dot = String::from_utf8_lossy(&g.stdout);
    assert!(dot.contains("c49999"));
    let out = dir.path().join("out");
    refused(
        &["analyze", f, "--out", out.to_str().unwrap()],
        &out,
        "wide.toml",
        "the analysis's counterfactual tables",
    );
}

/// A chain of `n` components, each needing the one before, each with its
/// own rare outages.
fn chain(n: usize) -> String {
    let mut t = String::from("name = \"chain\"\n[simulation]\ntrials = 3\n");
    for i in 0..n {
        t += &format!("[[component]]\nid = \"c{i}\"\n");
        if i > 0 {
            t += &format!("needs = [\"c{}\"]\n", i - 1);
        }
        t += "outages = { per_year = 0.001, duration = { dist = \"fixed\", hours = 2 } }\n";
    }
    t += &format!("[[architecture]]\nid = \"top\"\nserves = \"c{}\"\n", n - 1);
    t
}

/// A 20,000-deep chain: `graph` and `run` (its report lists the sources that
/// take every design down, found by one walk per redundancy) do work linear
/// in the chain; `analyze`, whose counterfactual on each source re-evaluates
/// everything above it (20,000²/2 components per trial), is refused up front
/// naming the tables' size.
#[test]
fn a_deep_chain_runs_in_linear_work_and_its_analysis_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "chain.toml", &chain(20_000));
    let f = file.to_str().unwrap();
    let g = run(&["graph", f]);
    assert_eq!(
        g.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
    assert!(String::from_utf8_lossy(&g.stdout).contains("\"component:c19999\""));
    let out = dir.path().join("run");
    ok(&["run", f, "--out", out.to_str().unwrap(), "-q"]);
    // Every one of the 20,000 sources takes the design down on its own.
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("c19999") && report.contains("c0"));
    let out = dir.path().join("analysis");
    refused(
        &["analyze", f, "--out", out.to_str().unwrap()],
        &out,
        "chain.toml",
        "the analysis's counterfactual tables in bytes is 6.685e8, over the limit of 2.684e8 (20000 sources × 20000 components",
    );
}

/// A 33-of-40 quorum (any 8 of 40 nodes down takes it down): with the
/// default --max-order 4 the enumeration is small and the analysis runs
/// (complete to 4: no set of 4 or fewer sources takes it down); with
/// --max-order 8 --max-sets 1000000 its bound (1.3e10 steps) is over the
/// limit and the command is refused at once, saying what drives it.
#[test]
fn a_wide_quorum_enumeration_runs_or_is_refused_up_front() {
    let mut t = String::from("name = \"quorum\"\n[simulation]\ntrials = 20\n");
    for i in 0..40 {
        t += &format!(
            "[[component]]\nid = \"n{i}\"\noutages = {{ per_year = 1, duration = {{ dist = \"fixed\", hours = 2 }} }}\n"
        );
    }
    let ids: Vec<String> = (0..40).map(|i| format!("\"n{i}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"q\"\nmode = \"quorum\"\nquorum = 33\nneeds = [{}]\n",
        ids.join(", ")
    );
    t += "[[architecture]]\nid = \"q\"\nserves = \"q\"\n";
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "quorum.toml", &t);
    let f = file.to_str().unwrap();
    let out = dir.path().join("deep");
    refused(
        &["analyze", f, "--max-order", "8", "--max-sets", "1000000", "--out", out.to_str().unwrap()],
        &out,
        "quorum.toml",
        "the risk-group enumeration's steps (an upper bound on candidate sets and subset checks) is 1.276e10, over the limit of 2.000e9 (component \"q\": 33 of 40 with --max-order 8 --max-sets 1000000); lower --max-order or --max-sets, or raise the limit with FATESHARE_MAX_CUT_SETS=N",
    );
    let out = dir.path().join("default");
    ok(&["analyze", f, "--out", out.to_str().unwrap(), "-q"]);
    let groups = std::fs::read_to_string(out.join("risk_groups.csv")).unwrap();
    assert_eq!(
        groups.lines().count(),
        1,
        "no set of at most 4 sources: {groups}"
    );
}
