//! The binary end to end: bad input gets a clear message naming the file and
//! place, exit status 2, and writes nothing; good runs are reproducible.

use crate::common;
use common::{assert_rejected, bin, run, write};

const GOOD: &str = r#"name = "good"
[simulation]
trials = 500
[[component]]
id = "a"
outages = { per_year = 20.0, duration = { dist = "exponential", mean_hours = 5.0 } }
[[component]]
id = "b"
outages = { per_year = 10.0, duration = { dist = "fixed", hours = 3.0 } }
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "failover"
switch_minutes = 5
[[cause]]
id = "shared"
per_year = 2.0
duration = { dist = "lognormal", median_hours = 2.0, p95_hours = 8.0 }
hits = { a = 1.0, b = 0.5 }
[[architecture]]
id = "single"
serves = "a"
cost_per_year = 1000
sla = 0.999
loss = { per_hour = 100, per_outage = 10, grace_minutes = 2 }
[[architecture]]
id = "pair"
serves = "pair"
"#;

fn good_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test setup: {from:?} not in GOOD");
    GOOD.replacen(from, to, 1)
}

#[test]
fn good_scenario_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let o = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--events",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("single") && stdout.contains("pair"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.starts_with(
        "architecture,trials,availability,availability_ci_low,availability_ci_high,nines,downtime_hours_mean,\
         downtime_hours_p50,downtime_hours_p90,downtime_hours_p99,outages_mean,longest_outage_hours_p99,\
         sla_met_probability,expected_loss,loss_p99,cost_per_year,naive_availability,correlation_penalty,\
         served,served_ci_low,served_ci_high,degraded_hours_mean,naive_served,\
         downtime_hours_rp10,downtime_hours_rp20,downtime_hours_rp50,downtime_hours_rp100,downtime_hours_rp200,\
         loss_rp10,loss_rp20,loss_rp50,loss_rp100,loss_rp200
"
    ));
    assert_eq!(summary.lines().count(), 3);
    // `pair` has no sla, loss or cost: those cells are empty (before the two naive columns).
    let pair: Vec<&str> = summary.lines().nth(2).unwrap().split(',').collect();
    assert_eq!(pair[12..16], ["", "", "", ""], "{summary}");
    assert!(pair[16].parse::<f64>().unwrap() > 0.99, "{summary}");
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    assert_eq!(
        trials.lines().next(),
        Some("trial,architecture,downtime_hours,outages,longest_outage_hours,loss,unserved_hours,degraded_hours")
    );
    assert_eq!(trials.lines().count(), 1 + 500 * 2);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "good");
    assert_eq!(json["trials"], 500);
    assert_eq!(json["seed"], 1);
    assert_eq!(json["horizon_hours"], 8760.0);
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["architectures"].as_array().unwrap().len(), 2);
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // summary.csv, summary.json, scenario.toml, outage_lengths.csv, trials.csv, outages.csv
    // (--events), report.html, charts/
    assert_eq!(names.len(), 8, "{names:?}");
    // outages.csv lists exactly the outages counted in trials.csv, with their losses.
    let outages = std::fs::read_to_string(out.join("outages.csv")).unwrap();
    assert_eq!(
        outages.lines().next(),
        Some("trial,architecture,start_hours,duration_hours,loss")
    );
    let count_in_trials: u64 = trials
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(outages.lines().count() as u64 - 1, count_in_trials);
    let loss = |text: &str, col: usize| -> f64 {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
            .sum()
    };
    assert!((loss(&outages, 4) - loss(&trials, 5)).abs() < 1e-6 * loss(&trials, 5).max(1.0));
}

#[test]
fn outputs_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let out = dir.path().join("out");
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let o = run(&[
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--trials",
            "3000",
            "--threads",
            threads,
        ]);
        assert_eq!(o.status.code(), Some(0));
        files.push(
            ["summary.csv", "summary.json", "trials.csv"]
                .map(|f| std::fs::read(out.join(f)).unwrap()),
        );
    }
    assert!(
        files[0] == files[1],
        "outputs differ between 1 and 2 threads"
    );
}

#[test]
fn flags_override_the_file_and_bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--trials",
        "7",
        "--seed",
        "5",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        (json["trials"].as_u64(), json["seed"].as_u64()),
        (Some(7), Some(5))
    );
    for bad in [
        vec!["--trials", "0"],
        vec!["--threads", "0"],
        vec!["--trials", "many"],
        vec!["--seed", "-1"],
        vec!["--tirals", "5"],
    ] {
        let mut args = vec![
            "run",
            file.to_str().unwrap(),
            "--out",
            dir.path().join("o2").to_str().unwrap().to_owned().leak(),
        ];
        args.extend(bad.iter());
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!dir.path().join("o2").exists());
    }
}

#[test]
fn out_path_that_is_a_file_is_rejected_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let blocker = write(dir.path(), "blocker", "keep me");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out"));
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "keep me");
}

#[test]
fn a_bad_scenario_does_not_overwrite_earlier_results() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.toml", GOOD);
    let bad = write(
        dir.path(),
        "bad.toml",
        &good_with("per_year = 2.0", "per_year = -2.0"),
    );
    let out = dir.path().join("out");
    assert_eq!(
        run(&[
            "run",
            good.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    let before = std::fs::read(out.join("summary.csv")).unwrap();
    let o = run(&["run", bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(out.join("summary.csv")).unwrap(), before);
}

#[test]
fn unreadable_file() {
    let o = run(&["run", "/nonexistent/bad.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/nonexistent/bad.toml") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn invalid_toml_names_line_and_column() {
    assert_rejected(
        &good_with("[simulation]\ntrials = 500", "[simulation]\ntrials = = 500"),
        &["line 3, column"],
    );
}

#[test]
fn unknown_field_is_not_ignored() {
    assert_rejected(
        &good_with("per_year = 20.0, duration", "per_yaer = 20.0, duration"),
        &["unknown field `per_yaer`", "line 6"],
    );
    assert_rejected(
        &good_with("id = \"single\"", "id = \"single\"\nslaa = 0.9"),
        &["unknown field `slaa`"],
    );
}

#[test]
fn missing_required_field() {
    assert_rejected(
        &good_with("name = \"good\"\n", ""),
        &["missing field `name`"],
    );
    assert_rejected(
        &good_with("per_year = 2.0\n", ""),
        &["missing field `per_year`"],
    );
}

#[test]
fn duplicate_ids() {
    assert_rejected(
        &good_with("id = \"shared\"", "id = \"a\""),
        &["cause \"a\"", "already used"],
    );
    assert_rejected(
        &good_with("id = \"pair\"\nserves", "id = \"single\"\nserves"),
        &["architecture \"single\"", "unique"],
    );
}

#[test]
fn unknown_ids_in_needs_hits_and_serves() {
    assert_rejected(
        &good_with("needs = [\"a\", \"b\"]", "needs = [\"a\", \"bb\"]"),
        &["component \"pair\"", "\"bb\"", "did you mean \"b\""],
    );
    assert_rejected(
        &good_with(
            "hits = { a = 1.0, b = 0.5 }",
            "hits = { a = 1.0, zz = 0.5 }",
        ),
        &["cause \"shared\"", "\"zz\""],
    );
    assert_rejected(
        &good_with("serves = \"a\"", "serves = \"nowhere\""),
        &["architecture \"single\"", "\"nowhere\""],
    );
    assert_rejected(
        &good_with("serves = \"a\"", "serves = \"shared\""),
        &["is a cause"],
    );
}

#[test]
fn dependency_cycle_names_its_ids() {
    let text = good_with(
        "[[component]]\nid = \"b\"\n",
        "[[component]]\nid = \"b\"\nneeds = [\"c\"]\n[[component]]\nid = \"c\"\nneeds = [\"pair\"]\n",
    );
    assert_rejected(&text, &["dependency cycle", "\"b\"", "c -> pair -> b"]);
}

#[test]
fn negative_and_non_finite_numbers() {
    assert_rejected(
        &good_with("per_year = 2.0", "per_year = -2.0"),
        &["cause \"shared\"", "per_year is -2", "0 or more"],
    );
    assert_rejected(
        &good_with("mean_hours = 5.0", "mean_hours = nan"),
        &["component \"a\"", "NaN", "finite"],
    );
    assert_rejected(
        &good_with("hours = 3.0", "hours = inf"),
        &["component \"b\"", "inf", "finite"],
    );
    assert_rejected(
        &good_with("cost_per_year = 1000", "cost_per_year = -5"),
        &["cost_per_year"],
    );
    assert_rejected(
        &good_with("per_hour = 100", "per_hour = -100"),
        &["loss.per_hour"],
    );
    assert_rejected(
        &good_with("switch_minutes = 5", "switch_minutes = -5"),
        &["switch_minutes"],
    );
}

#[test]
fn hit_probability_outside_0_1() {
    assert_rejected(
        &good_with("b = 0.5 }", "b = 1.5 }"),
        &["cause \"shared\"", "\"b\" is 1.5", "between 0 and 1"],
    );
    assert_rejected(&good_with("b = 0.5 }", "b = -0.1 }"), &["between 0 and 1"]);
}

#[test]
fn quorum_outside_range_and_mode_rules() {
    let q = |k: &str| {
        good_with(
            "mode = \"failover\"\nswitch_minutes = 5",
            &format!("mode = \"quorum\"\nquorum = {k}"),
        )
    };
    assert_rejected(&q("0"), &["quorum = 0", "1..=2"]);
    assert_rejected(&q("3"), &["quorum = 3", "1..=2"]);
    assert_rejected(
        &good_with(
            "[[component]]\nid = \"b\"\n",
            "[[component]]\nid = \"b\"\nmode = \"any\"\n",
        ),
        &["component \"b\"", "no needs"],
    );
    assert_rejected(
        &good_with("mode = \"failover\"", "mode = \"fallback\""),
        &["unknown mode \"fallback\""],
    );
    assert_rejected(
        &good_with("mode = \"failover\"", "mode = \"any\""),
        &["switch_minutes is set but mode is not"],
    );
}

#[test]
fn distribution_parameters() {
    assert_rejected(
        &good_with("p95_hours = 8.0", "p95_hours = 2.0"),
        &["p95_hours (2) must be above median_hours (2)"],
    );
    assert_rejected(
        &good_with(
            "dist = \"fixed\", hours = 3.0",
            "dist = \"empirical\", hours = []",
        ),
        &["empirical hours list is empty"],
    );
    assert_rejected(
        &good_with(
            "dist = \"fixed\", hours = 3.0",
            "dist = \"fixed\", mean_hours = 3.0",
        ),
        &["does not take mean_hours", "needs hours"],
    );
    assert_rejected(
        &good_with("dist = \"fixed\"", "dist = \"gaussian\""),
        &["unknown dist \"gaussian\""],
    );
}

#[test]
fn zero_trials_or_horizon_and_bad_sla() {
    assert_rejected(
        &good_with("trials = 500", "trials = 0"),
        &["simulation", "trials = 0"],
    );
    assert_rejected(
        &good_with("trials = 500", "trials = 500\nhorizon_hours = 0"),
        &["horizon_hours is 0", "greater than 0"],
    );
    assert_rejected(
        &good_with("sla = 0.999", "sla = 1.0"),
        &["sla = 1", "strictly between 0 and 1"],
    );
    assert_rejected(&good_with("sla = 0.999", "sla = 0"), &["sla = 0"]);
}

#[test]
fn every_problem_is_listed_at_once() {
    let text = good_with("per_year = 2.0", "per_year = -2.0").replacen(
        "serves = \"a\"",
        "serves = \"zz\"",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.toml", &text);
    let o = run(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn an_outage_longer_than_a_century_is_cut_not_hung() {
    // Durations of 5·10^7 hours (far past the 10^6 h overhang limit) must not
    // make the simulator sample forever.
    let dir = tempfile::tempdir().unwrap();
    let text = good_with(
        "dist = \"fixed\", hours = 3.0",
        "dist = \"fixed\", hours = 5e7",
    );
    let file = write(dir.path(), "long.toml", &text);
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--trials",
        "20",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    // Backup b is down all the time, so the failover pair is down exactly when a is.
    let down = |arch: &str| -> Vec<String> {
        trials
            .lines()
            .filter(|l| l.split(',').nth(1) == Some(arch))
            .map(|l| l.split(',').nth(2).unwrap().to_owned())
            .collect()
    };
    assert_eq!(down("pair"), down("single"));
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    // `fateshare validate ... | head -0`: the reader is gone before we print.
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let mut child = bin()
        .args(["validate", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
