//! `run --precision P`: stops at the first batch (4,096 trials, then
//! doubling) where every architecture's 95% half-width of mean down time and
//! expected loss is within P of the mean, the same for 1 and 2 threads, and
//! its outputs equal a plain run of that many trials.

use crate::common;
use common::{run, write};
use std::path::Path;

const SCENARIO: &str = r#"name = "precise"
[simulation]
trials = 100
seed = 3
[[component]]
id = "a"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "b"
outages = { per_year = 2.0, duration = { dist = "exponential", mean_hours = 5.0 } }
[[component]]
id = "both"
needs = ["a", "b"]
mode = "all"
[[architecture]]
id = "one"
serves = "a"
loss = { per_hour = 100, per_outage = 10 }
[[architecture]]
id = "needs-both"
serves = "both"
"#;

const Z: f64 = 1.959_963_984_540_054;

fn go(file: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// The largest relative half-width in a summary.json, from its own figures.
fn worst(j: &serde_json::Value) -> f64 {
    let n = j["trials"].as_f64().unwrap();
    let mut w: f64 = 0.0;
    for a in j["architectures"].as_array().unwrap() {
        let (mean, sd) = (
            a["downtime_hours_mean"].as_f64().unwrap(),
            a["downtime_hours_sd"].as_f64().unwrap(),
        );
        w = w.max(Z * sd / n.sqrt() / mean);
        if let Some(loss) = a["expected_loss"].as_f64() {
            w = w.max((a["expected_loss_ci_high"].as_f64().unwrap() - loss) / loss);
        }
    }
    w
}

#[test]
fn stops_at_the_first_batch_within_the_precision_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.toml", SCENARIO);
    let out = dir.path().join("out");
    let target = 0.015;
    let mut runs = Vec::new();
    for threads in ["1", "2"] {
        let stdout = go(&file, &out, &["--precision", "0.015", "--threads", threads]);
        assert!(
            stdout.contains("precision: every 95% half-width within 1.5%"),
            "{stdout}"
        );
        runs.push((
            std::fs::read(out.join("summary.json")).unwrap(),
            std::fs::read(out.join("trials.csv")).unwrap(),
        ));
    }
    assert!(runs[0] == runs[1], "--precision depends on --threads");
    let j = json(&out);
    let n = j["trials"].as_u64().unwrap();
    let p = &j["precision"];
    assert_eq!(p["target"].as_f64(), Some(target));
    assert_eq!(p["met"].as_bool(), Some(true));
    let reached = p["reached"].as_f64().unwrap();
    // The reported figure is the summary's own worst half-width (the loss
    // interval's upper end is unclipped), and it is within the target.
    assert!(
        (reached - worst(&j)).abs() <= 1e-12,
        "{reached} vs {}",
        worst(&j)
    );
    assert!(reached <= target);
    // A batch boundary past the first: 4096 · 2^k, and the batch before fell short.
    assert!(n > 4096 && n.is_power_of_two(), "{n}");
    let half = (n / 2).to_string();
    go(&file, &out, &["--trials", &half, "-q"]);
    assert!(
        worst(&json(&out)) > target,
        "the batch of {half} trials already met it"
    );
    // The same outputs as a plain run of n trials.
    go(&file, &out, &["--trials", &n.to_string(), "-q"]);
    let mut plain = json(&out);
    assert!(std::fs::read(out.join("trials.csv")).unwrap() == runs[0].1);
    plain["precision"] = j["precision"].clone();
    assert_eq!(plain, j);
}

#[test]
fn max_trials_caps_the_run_and_says_the_precision_was_not_reached() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.toml", SCENARIO);
    let out = dir.path().join("out");
    let stdout = go(
        &file,
        &out,
        &["--precision", "0.001", "--max-trials", "5000"],
    );
    assert!(stdout.contains("precision NOT reached"), "{stdout}");
    let j = json(&out);
    assert_eq!(j["trials"].as_u64(), Some(5000));
    assert_eq!(j["precision"]["met"].as_bool(), Some(false));
    assert!(j["precision"]["reached"].as_f64().unwrap() > 0.001);
    // A share outside (0, 1) is refused with exit status 2.
    for bad in ["0", "1.5", "x"] {
        let o = run(&["run", file.to_str().unwrap(), "--precision", bad, "-q"]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--precision",
        "0.1",
        "--trials",
        "9",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
