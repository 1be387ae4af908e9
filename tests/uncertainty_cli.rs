//! `run --uncertainty N` from the command line: outputs, reproducibility
//! across thread counts, no change for plain scenarios, and bad input.

use crate::common;
use common::{assert_rejected, run_quiet, write};
use std::path::Path;

const UNCERTAIN: &str = r#"
name = "two designs"
[simulation]
trials = 2000
seed = 3
[[component]]
id = "a"
outages = { per_year = { incidents = 3, years = 5 }, duration = { dist = "lognormal", median_hours = { dist = "lognormal", median = 2, p95 = 4 }, p95_hours = 8 } }
[[component]]
id = "b"
outages = { per_year = { dist = "gamma", mean = 1.5, sd = 0.5 }, duration = { dist = "exponential", mean_hours = 3 } }
[[component]]
id = "both"
mode = "any"
needs = ["a", "b"]
[[cause]]
id = "dns"
per_year = 0.5
duration = { dist = "exponential", mean_hours = 2 }
hits = { a = { hits = 2, of = 9 }, b = { p = { dist = "uniform", min = 0.1, max = 0.3 } } }
[[architecture]]
id = "single"
serves = "a"
cost_per_year = 1000
loss = { per_hour = 500 }
[[architecture]]
id = "dual"
serves = "both"
cost_per_year = 3000
loss = { per_hour = 500 }
"#;

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Rows of a CSV as header → value maps.
fn rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            h.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn outer_draws_are_reproducible_and_independent_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "u.toml", UNCERTAIN);
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    run_quiet(&file, &one, &["--uncertainty", "20", "--threads", "1"]);
    run_quiet(&file, &two, &["--uncertainty", "20", "--threads", "3"]);
    for f in ["uncertainty.csv", "summary.csv", "parameter_importance.csv"] {
        assert_eq!(read(&one, f), read(&two, f), "{f}");
    }
    // summary.json: the same but for the command line (its --out differs).
    let without_command = |dir: &Path| {
        let mut j: serde_json::Value = serde_json::from_str(&read(dir, "summary.json")).unwrap();
        j["command"] = serde_json::Value::Null;
        j
    };
    assert_eq!(without_command(&one), without_command(&two), "summary.json");
    let draws = rows(&read(&one, "uncertainty.csv"));
    assert_eq!(draws.len(), 40, "a row per draw and architecture");
    let importance = rows(&read(&one, "parameter_importance.csv"));
    assert_eq!(
        importance.len(),
        2 * 5,
        "a row per architecture and parameter"
    );
    for r in &importance {
        let rho: f64 = r["spearman"].parse().unwrap();
        assert!((-1.0..=1.0).contains(&rho), "{rho}");
    }
    for col in [
        "component.a.outages.per_year",
        "component.a.outages.duration.median_hours",
        "component.b.outages.per_year",
        "cause.dns.hits.a",
        "cause.dns.hits.b.p",
        "total_cost",
    ] {
        assert!(draws[0].contains_key(col), "uncertainty.csv lacks {col}");
    }
    // The draws differ from each other; both designs of a draw share its values.
    assert_ne!(
        draws[0]["component.a.outages.per_year"],
        draws[2]["component.a.outages.per_year"]
    );
    assert_eq!(
        draws[0]["component.a.outages.per_year"],
        draws[1]["component.a.outages.per_year"]
    );
    // best_share: the shares of the lowest total cost add up to 1.
    let summary = rows(&read(&one, "summary.csv"));
    let total: f64 = summary
        .iter()
        .map(|r| r["best_share"].parse::<f64>().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-12, "best shares sum to {total}");
    for r in &summary {
        let q = |c: &str| r[c].parse::<f64>().unwrap();
        assert!(q("availability_p05") <= q("availability_p50"));
        assert!(q("availability_p50") <= q("availability_p95"));
        assert!(q("total_cost_p05") <= q("total_cost_p95"));
    }
    let json: serde_json::Value = serde_json::from_str(&read(&one, "summary.json")).unwrap();
    assert_eq!(json["uncertainty"]["draws"], 20);
    assert_eq!(
        json["uncertainty"]["architectures"][0]["best_share"].as_f64(),
        summary[0]["best_share"].parse::<f64>().ok()
    );
}

/// A scenario without uncertain values: every draw is the point scenario,
/// so the files a plain run writes are byte-identical (but for the command
/// line recorded in them), and every credible value is the point figure.
#[test]
fn no_uncertain_parameter_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let plain_text = r#"
name = "plain"
[simulation]
trials = 3000
[[component]]
id = "a"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 3 } }
[[architecture]]
id = "a"
serves = "a"
cost_per_year = 10
loss = { per_hour = 100 }
"#;
    let file = write(dir.path(), "p.toml", plain_text);
    let (x, y) = (dir.path().join("x"), dir.path().join("y"));
    run_quiet(&file, &x, &[]);
    run_quiet(&file, &y, &["--uncertainty", "3"]);
    for f in ["trials.csv", "outage_lengths.csv", "scenario.toml"] {
        assert_eq!(read(&x, f), read(&y, f), "{f}");
    }
    let (sx, sy) = (
        rows(&read(&x, "summary.csv")),
        rows(&read(&y, "summary.csv")),
    );
    for (k, v) in &sx[0] {
        assert_eq!(&sy[0][k], v, "summary.csv {k}");
    }
    for f in [
        "availability",
        "downtime_hours_mean",
        "expected_loss",
        "loss_p99",
    ] {
        for q in ["p05", "p50", "p95"] {
            assert_eq!(sy[0][&format!("{f}_{q}")], sx[0][f], "{f}_{q}");
        }
    }
    assert_eq!(sy[0]["best_share"], "1");
}

#[test]
fn bad_uncertain_values_are_refused() {
    let base = |outages: &str, hits: &str| {
        format!(
            r#"
name = "bad"
[[component]]
id = "a"
outages = {{ {outages}, duration = {{ dist = "exponential", mean_hours = 2 }} }}
[[cause]]
id = "c"
per_year = 1
duration = {{ dist = "exponential", mean_hours = 2 }}
hits = {{ a = {hits} }}
[[architecture]]
id = "a"
serves = "a"
"#
        )
    };
    let cases = [
        (
            base("per_year = { incidents = -1, years = 5 }", "1.0"),
            vec!["component \"a\"", "incidents = -1", "whole number"],
        ),
        (
            base("per_year = { incidents = 2, years = 0 }", "1.0"),
            vec!["component \"a\"", "years = 0", "longer than 0 years"],
        ),
        (
            base("per_year = 1", "{ hits = 5, of = 3 }"),
            vec!["cause \"c\"", "hits.a", "hits = 5 is more than of = 3"],
        ),
        (
            base(
                "per_year = 1",
                "{ dist = \"uniform\", min = 0.5, max = 1.2 }",
            ),
            vec!["cause \"c\"", "above 1", "hits = H, of = N"],
        ),
        (
            base(
                "per_year = 1",
                "{ dist = \"lognormal\", median = 0.2, p95 = 0.5 }",
            ),
            vec!["cause \"c\"", "above 1"],
        ),
        (
            base("per_year = { hits = 1, of = 2 }", "1.0"),
            vec!["outages.per_year", "incidents = K, years = T"],
        ),
        (
            base(
                "per_year = { dist = \"uniform\", min = -1, max = 2 }",
                "1.0",
            ),
            vec!["below 0"],
        ),
    ];
    for (text, expected) in cases {
        assert_rejected(&text, &expected);
    }
}

#[test]
fn a_catalogue_class_can_carry_its_rate_uncertainty() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
name = "class"
[simulation]
trials = 1000
[[component]]
id = "a"
outages = { use = "cloud.region", uncertain = true }
[[architecture]]
id = "a"
serves = "a"
"#;
    let file = write(dir.path(), "c.toml", text);
    let o = common::run(&["validate", file.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("per_year = { incidents = "), "{out}");
    let run_dir = dir.path().join("out");
    run_quiet(&file, &run_dir, &["--uncertainty", "4"]);
    let draws = rows(&read(&run_dir, "uncertainty.csv"));
    assert!(draws[0].contains_key("component.a.outages.per_year"));
    assert!(draws[0].contains_key("component.a.outages.duration.median_hours"));
}
