//! `fateshare compare`: a run against itself gives zero differences with
//! zero-width paired intervals; against a changed scenario with the same seed
//! and trials, each paired difference is the mean of the trial-by-trial
//! differences read from both trials.csv; different seeds compare unpaired.

use crate::common;

use common::outputs::{fateshare, ok};
use std::path::{Path, PathBuf};

fn scenario(rate: f64) -> String {
    format!(
        r#"name = "cmp <&> test"
[simulation]
trials = 2000
seed = 3
[[component]]
id = "a"
outages = {{ per_year = {rate}, duration = {{ dist = "exponential", mean_hours = 3.0 }} }}
[[component]]
id = "b"
outages = {{ per_year = 2.0, duration = {{ dist = "lognormal", median_hours = 1.0, p95_hours = 6.0 }} }}
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "any"
[[architecture]]
id = "single"
serves = "a"
loss = {{ per_hour = 100, per_outage = 10 }}
[[architecture]]
id = "redundant"
serves = "pair"
"#
    )
}

fn run(dir: &Path, name: &str, text: &str, extra: &[&str]) -> PathBuf {
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let out = dir.join(name);
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend(extra);
    ok(&fateshare(&args));
    out
}

/// architecture → per-trial (downtime, outages, loss), in trial order.
fn trials(dir: &Path) -> std::collections::BTreeMap<String, Vec<[f64; 3]>> {
    let mut r = csv::Reader::from_path(dir.join("trials.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (ia, id, io, il) = (
        col("architecture"),
        col("downtime_hours"),
        col("outages"),
        col("loss"),
    );
    let mut m: std::collections::BTreeMap<String, Vec<[f64; 3]>> = Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        m.entry(rec[ia].to_string()).or_default().push([
            rec[id].parse().unwrap(),
            rec[io].parse().unwrap(),
            rec[il].parse().unwrap(),
        ]);
    }
    m
}

/// compare.csv rows: (architecture, figure) → (difference, low, high, method).
fn rows(dir: &Path) -> Vec<(String, String, f64, f64, f64, String)> {
    let mut r = csv::Reader::from_path(dir.join("compare.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[0].to_string(),
                rec[1].to_string(),
                rec[4].parse().unwrap(),
                rec[5].parse().unwrap(),
                rec[6].parse().unwrap(),
                rec[7].to_string(),
            )
        })
        .collect()
}

#[test]
fn a_run_against_itself_differs_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(dir.path(), "a", &scenario(4.0), &[]);
    let out = dir.path().join("cmp");
    let said = ok(&fateshare(&[
        "compare",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(said.contains("paired"), "{said}");
    let r = rows(&out);
    // 3 figures for the design with a loss model, 2 for the other.
    assert_eq!(r.len(), 5);
    for (arch, fig, d, lo, hi, method) in &r {
        assert_eq!((*d, *lo, *hi), (0.0, 0.0, 0.0), "{arch} {fig}");
        assert_eq!(method, "paired");
    }
    let html = std::fs::read_to_string(out.join("compare.html")).unwrap();
    assert!(html.contains("<table id=\"compare\">") && html.contains("Paired:"));
    assert!(!html.contains("<strong>0") && !html.to_lowercase().contains("<script"));
}

#[test]
fn a_changed_scenario_gives_the_mean_of_the_trial_by_trial_differences() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(dir.path(), "a", &scenario(4.0), &[]);
    let b = run(dir.path(), "b", &scenario(2.0), &[]);
    let out = dir.path().join("cmp");
    ok(&fateshare(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]));
    let (ta, tb) = (trials(&a), trials(&b));
    for (arch, fig, d, lo, hi, method) in rows(&out) {
        assert_eq!(method, "paired");
        let k = ["downtime_hours_mean", "outages_mean", "expected_loss"]
            .iter()
            .position(|f| *f == fig)
            .unwrap();
        let diffs: Vec<f64> = ta[&arch]
            .iter()
            .zip(&tb[&arch])
            .map(|(x, y)| y[k] - x[k])
            .collect();
        let n = diffs.len() as f64;
        let mean = diffs.iter().sum::<f64>() / n;
        let sd = (diffs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 1.959_963_984_540_054 * sd / n.sqrt();
        let tol = 1e-9 * mean.abs().max(1.0);
        assert!((d - mean).abs() < tol, "{arch} {fig}: {d} vs {mean}");
        assert!((lo - (mean - half)).abs() < tol && (hi - (mean + half)).abs() < tol);
    }
    // Halving the rate of a's outages cuts the single design's down time
    // (by about 6 h a year: 2 × 3 h), a difference well outside noise.
    let r = rows(&out);
    let single = r
        .iter()
        .find(|x| x.0 == "single" && x.1 == "downtime_hours_mean")
        .unwrap();
    assert!(
        single.4 < 0.0 && (single.2 + 6.0).abs() < 0.1 * 6.0,
        "{single:?}"
    );
}

#[test]
fn different_seeds_compare_unpaired_and_bad_folders_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let a = run(dir.path(), "a", &scenario(4.0), &[]);
    let b = run(dir.path(), "b", &scenario(4.0), &["--seed", "99"]);
    let out = dir.path().join("cmp");
    let said = ok(&fateshare(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(said.contains("unpaired"), "{said}");
    assert!(rows(&out).iter().all(|r| r.5 == "unpaired"));
    let missing = dir.path().join("nothing");
    let o = fateshare(&["compare", a.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing"));
}

/// baseline.csv rows: (architecture, figure) → (difference, low, high).
fn baseline_rows(dir: &Path) -> Vec<(String, String, f64, f64, f64)> {
    let mut r = csv::Reader::from_path(dir.join("baseline.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (a, b, f, d, lo, hi) = (
        col("architecture"),
        col("baseline"),
        col("figure"),
        col("difference"),
        col("ci_low"),
        col("ci_high"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(&rec[b], "single");
            (
                rec[a].to_string(),
                rec[f].to_string(),
                rec[d].parse().unwrap(),
                rec[lo].parse().unwrap(),
                rec[hi].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn baseline_gives_each_design_the_mean_of_its_trial_by_trial_differences() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{}[[architecture]]\nid = \"other\"\nserves = \"b\"\nloss = {{ per_hour = 100, per_outage = 10 }}\n",
        scenario(4.0)
    );
    // An unknown baseline is refused before anything is written.
    let file = dir.path().join("s.toml");
    std::fs::write(&file, &text).unwrap();
    let bad = dir.path().join("bad");
    let o = fateshare(&[
        "run",
        file.to_str().unwrap(),
        "--baseline",
        "nope",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--baseline nope") && err.contains("single, redundant, other"),
        "{err}"
    );
    assert!(!bad.join("summary.csv").exists());

    let out = run(dir.path(), "s", &text, &["--baseline", "single"]);
    let t = trials(&out);
    let r = baseline_rows(&out);
    // Down time and outages for both others; loss only where both have a loss model.
    let got: Vec<(&str, &str)> = r.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        got,
        [
            ("redundant", "downtime_hours"),
            ("redundant", "outages"),
            ("other", "downtime_hours"),
            ("other", "outages"),
            ("other", "loss"),
        ]
    );
    for (arch, fig, d, lo, hi) in &r {
        let k = ["downtime_hours", "outages", "loss"]
            .iter()
            .position(|f| f == fig)
            .unwrap();
        let diffs: Vec<f64> = t["single"]
            .iter()
            .zip(&t[arch])
            .map(|(x, y)| y[k] - x[k])
            .collect();
        let n = diffs.len() as f64;
        let mean = diffs.iter().sum::<f64>() / n;
        let sd = (diffs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 1.959_963_984_540_054 * sd / n.sqrt();
        let tol = 1e-9 * mean.abs().max(1.0);
        assert!((d - mean).abs() < tol, "{arch} {fig}: {d} vs {mean}");
        assert!((lo - (mean - half)).abs() < tol && (hi - (mean + half)).abs() < tol);
    }
    // The report compares with the baseline, and keeps doing so when redrawn.
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(json.contains("\"baseline\": \"single\""), "{json}");
    for _ in 0..2 {
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(html.contains("against single<br>"), "decision table column");
        ok(&fateshare(&["report", out.to_str().unwrap(), "-q"]));
    }
}
