//! `run --tilt` (importance sampling on the command line): `--tilt 1` writes
//! the plain run's folder byte for byte; rare closed forms (a component at
//! five nines, an `any` pair hit by a rare shared cause) lie within the
//! run's own weighted 95% interval; the summary is the weighted estimator
//! recomputed from trials.csv's `weight` column; the output does not depend
//! on --threads; bad flag values and unweighted combinations exit 2 with
//! nothing written.

use crate::common::outputs::{assert_report_redraws, assert_same_tree, tree};
use crate::common::{run, run_quiet, write};
use std::path::Path;

const H: f64 = 8760.0;

/// One component at five nines: λ·m = 1e-5 (per_year 0.1, mean 0.876 h).
const FIVE_NINES: &str = r#"name = "five nines"
[simulation]
trials = 20000
seed = 3
[[component]]
id = "box"
outages = { per_year = 0.1, duration = { dist = "exponential", mean_hours = 0.876 } }
[[architecture]]
id = "box"
serves = "box"
"#;

/// An `any` pair: members down often alone, rarely together, and a rare
/// shared cause taking both down (about 5 minutes a year).
const PAIR: &str = r#"name = "pair"
[simulation]
trials = 20000
seed = 4
[[component]]
id = "a"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 4 } }
[[component]]
id = "b"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 4 } }
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "any"
[[cause]]
id = "rack-power"
per_year = 0.02
duration = { dist = "exponential", mean_hours = 4 }
hits = { a = 1.0, b = 1.0 }
[[architecture]]
id = "pair"
serves = "pair"
sla = 0.9999
loss = { per_hour = 1000 }
"#;

/// Stationary unavailability of one Poisson source with exponential durations: 1 − e^(−λm).
fn u(per_year: f64, mean_hours: f64) -> f64 {
    1.0 - (-per_year / H * mean_hours).exp()
}

/// The pair's exact mean down time per year: H·(1 − P(cause idle)·(1 − u_a·u_b)).
fn pair_exact() -> f64 {
    let ua = u(2.0, 4.0);
    H * (1.0 - (1.0 - u(0.02, 4.0)) * (1.0 - ua * ua))
}

fn json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

fn f(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

/// Asserts the exact down time lies within the run's weighted 95% interval
/// (its own availability interval, and mean ± 1.96·sd/√n), and returns the half-width.
fn within_interval(what: &str, out: &Path, exact_down: f64) -> f64 {
    let j = json(out);
    let a = &j["architectures"][0];
    let n = f(&j, "trials");
    let (mean, sd) = (f(a, "downtime_hours_mean"), f(a, "downtime_hours_sd"));
    let half = 1.959_963_984_540_054 * sd / n.sqrt();
    assert!(
        (mean - exact_down).abs() <= half,
        "{what}: {mean} ± {half} vs exact {exact_down}"
    );
    let exact_avail = 1.0 - exact_down / H;
    assert!(
        f(a, "availability_ci_low") <= exact_avail && exact_avail <= f(a, "availability_ci_high"),
        "{what}: availability interval misses {exact_avail}: {a}"
    );
    half
}

#[test]
fn tilt_one_writes_the_plain_runs_folder_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    // One folder (its path is in the reproducing command), snapshot between runs.
    let out = dir.path().join("out");
    let trials = ["--trials", "3000"];
    run_quiet(&file, &out, &trials);
    let plain = tree(&out);
    for extra in [&["--tilt", "1"][..], &["--tilt", "1", "--tilt-own", "1"]] {
        run_quiet(&file, &out, &[&trials[..], extra].concat());
        assert_same_tree(&plain, &tree(&out), &format!("{extra:?}"));
    }
}

#[test]
fn five_nines_component_through_the_cli_matches_its_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "box.toml", FIVE_NINES);
    let out = dir.path().join("out");
    // About one outage a year instead of one in ten.
    run_quiet(&file, &out, &["--tilt", "1", "--tilt-own", "10"]);
    let exact = H * u(0.1, 0.876);
    let half = within_interval("five nines, own × 10", &out, exact);
    // Precise, not just consistent: within 3% at 20,000 trials.
    assert!(half < 0.03 * exact, "half-width {half} vs {exact}");
    let imp = &json(&out)["importance"];
    assert_eq!(imp["method"], "given");
    assert_eq!(imp["factors"][0]["source"], "box");
    assert_eq!(imp["factors"][0]["kind"], "own");
    assert_eq!(f(&imp["factors"][0], "factor"), 10.0);
}

#[test]
fn rare_shared_cause_on_any_pair_through_the_cli_matches_its_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    for extra in [&["--tilt", "50"][..], &["--tilt", "auto"]] {
        run_quiet(&file, &out, extra);
        within_interval(&format!("pair {extra:?}"), &out, pair_exact());
        let imp = &json(&out)["importance"];
        let cause = imp["factors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source"] == "rack-power")
            .unwrap();
        assert!(f(cause, "factor") > 1.0, "{imp}");
    }
}

/// Parses trials.csv: per row (down time, loss, weight).
fn trials(out: &Path) -> Vec<(f64, f64, f64)> {
    let text = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (d, l, w) = (col("downtime_hours"), col("loss"), col("weight"));
    lines
        .map(|line| {
            let v: Vec<f64> = line
                .split(',')
                .map(|x| x.parse().unwrap_or(f64::NAN))
                .collect();
            (v[d], v[l], v[w])
        })
        .collect()
}

#[test]
fn the_summary_is_the_weighted_estimator_of_trials_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--tilt", "50", "--trials", "5000"]);
    let rows = trials(&out);
    assert_eq!(rows.len(), 5000);
    let n = rows.len() as f64;
    let (mut sw, mut sw2, mut sd, mut sl, mut missed) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(d, l, w) in &rows {
        sw += w;
        sw2 += w * w;
        sd += w * d;
        sl += w * l;
        if d > (1.0 - 0.9999) * H {
            missed += w;
        }
    }
    let j = json(&out);
    let a = &j["architectures"][0];
    let close = |what: &str, got: f64, want: f64| {
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
            "{what}: {got} vs {want}"
        );
    };
    close("mean down time", f(a, "downtime_hours_mean"), sd / n);
    close("expected loss", f(a, "expected_loss"), sl / n);
    close("SLA met", f(a, "sla_met_probability"), 1.0 - missed / n);
    close(
        "effective trials",
        f(&j["importance"], "effective_trials"),
        sw * sw / sw2,
    );
    // E[w] = 1: the weights' mean is within its own 4-sigma interval of 1.
    let var = rows.iter().map(|r| (r.2 - sw / n).powi(2)).sum::<f64>() / (n - 1.0);
    assert!(
        (sw / n - 1.0).abs() <= 4.0 * (var / n).sqrt(),
        "mean weight {}",
        sw / n
    );
    // The interval comes from sd(w·x): downtime_hours_sd is that.
    let m = sd / n;
    let sd_wx = (rows.iter().map(|r| (r.2 * r.0 - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    close("sd(w·x)", f(a, "downtime_hours_sd"), sd_wx);
    // The reproducing command names the tilt.
    assert!(
        j["command"].as_str().unwrap().ends_with(" --tilt 50"),
        "{j}"
    );
}

#[test]
fn weighted_output_is_the_same_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    let common = ["--tilt", "auto", "--trials", "3000"];
    run_quiet(&file, &out, &[&common[..], &["--threads", "1"]].concat());
    let one = tree(&out);
    run_quiet(&file, &out, &[&common[..], &["--threads", "2"]].concat());
    assert_same_tree(&one, &tree(&out), "--threads 1 vs 2");
}

#[test]
fn bad_tilt_flags_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    let cases: &[(&[&str], &str)] = &[
        (&["--tilt", "0.5"], "from 1"),
        (&["--tilt", "0"], "from 1"),
        (&["--tilt=-3"], "from 1"),
        (&["--tilt", "inf"], "from 1"),
        (&["--tilt", "NaN"], "from 1"),
        (&["--tilt", "lots"], "auto"),
        (&["--tilt", "1e9"], "from 1"),
        (&["--tilt", "2", "--tilt-own", "0.9"], "from 1"),
        (&["--tilt-own", "2"], "--tilt"),
        (&["--tilt", "auto", "--tilt-own", "2"], "drop --tilt-own"),
        (&["--tilt", "2", "--events"], "--tilt with --events"),
        (
            &["--tilt", "2", "--baseline", "pair"],
            "--tilt with --baseline",
        ),
        (&["--tilt", "2", "--shard", "0/2"], "--tilt with --shard"),
        (
            &["--tilt", "2", "--precision", "0.1"],
            "--tilt with --precision",
        ),
        (
            &["--tilt", "2", "--uncertainty", "2"],
            "--tilt with --uncertainty",
        ),
        (
            &["--tilt", "2", "--summary-only"],
            "--tilt with --summary-only",
        ),
        // The budgets hold for the tilted rates: 4e5 own outages a trial.
        (
            &["--tilt", "1", "--tilt-own", "100000", "--trials", "1000000"],
            "(with --tilt)",
        ),
    ];
    for (extra, says) in cases {
        let mut args = vec![
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(says), "{extra:?} should say {says:?}: {err}");
        assert!(!err.contains("panicked"), "{extra:?}: {err}");
        assert!(!out.exists(), "{extra:?} wrote {}", out.display());
    }
}

#[test]
fn the_report_says_it_was_importance_sampled_and_report_redraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--tilt", "50", "--trials", "2000"]);
    let before = tree(&out);
    let names: Vec<&str> = before.iter().map(|f| f.0.as_str()).collect();
    // Only the charts drawn from weighted figures, and no outage-length
    // counts (the tilted world's, which weights do not make into counts).
    assert_eq!(
        names,
        [
            "charts/dependency-graph.png",
            "charts/dependency-graph.svg",
            "charts/downtime-exceedance.png",
            "charts/downtime-exceedance.svg",
            "charts/downtime-gap.png",
            "charts/downtime-gap.svg",
            "report.html",
            "scenario.toml",
            "summary.csv",
            "summary.json",
            "trials.csv"
        ]
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let j = json(&out);
    let ess = f(&j["importance"], "effective_trials").round();
    for says in [
        "importance-sampled",
        "rack-power",
        "×50",
        &format!(
            "effective sample size of {}",
            fateshare::fmtnum::thousands(ess)
        ),
        "Weighted results",
    ] {
        assert!(html.contains(says), "report.html should say {says:?}");
    }
    // The exceedance chart says how to read a weighted curve.
    assert!(
        html.contains("The run was importance-sampled"),
        "chart reading note"
    );
    // `report` redraws the page and charts from the folder, byte for byte.
    assert_report_redraws(&out, "report on a weighted folder");
    // A weight column that disagrees within a trial is refused, naming the file.
    let csv = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[1] = lines[1]
        .rsplit_once(',')
        .map(|(a, _)| format!("{a},oops"))
        .unwrap();
    std::fs::write(out.join("trials.csv"), lines.join("\n") + "\n").unwrap();
    let o = run(&["report", out.to_str().unwrap(), "-q"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("trials.csv") && err.contains("weight"),
        "{err}"
    );
}

#[test]
fn compare_refuses_a_weighted_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let (plain, tilted) = (dir.path().join("plain"), dir.path().join("tilted"));
    run_quiet(&file, &plain, &["--trials", "1000"]);
    run_quiet(&file, &tilted, &["--tilt", "50", "--trials", "1000"]);
    let out = dir.path().join("cmp");
    let o = run(&[
        "compare",
        plain.to_str().unwrap(),
        tilted.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("importance-sampled"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_weighted_parquet_folder_redraws_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    run_quiet(
        &file,
        &out,
        &["--tilt", "50", "--trials", "1000", "--format", "parquet"],
    );
    assert!(out.join("trials.parquet").exists());
    assert_report_redraws(&out, "report on a weighted Parquet folder");
}

/// A tilt far too strong for the scenario leaves a handful of effective
/// trials: the terminal warns that the figures cannot be trusted; a sound
/// tilt (the plain rates here) gets no warning.
#[test]
fn a_collapsed_effective_sample_size_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = |file: &str, factor: &str| {
        let out = dir.path().join(format!("out-{factor}"));
        let o = run(&[
            "run",
            file,
            "--out",
            out.to_str().unwrap(),
            "--tilt",
            factor,
            "--trials",
            "2000",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let strong = stdout("scenarios/web-app.toml", "20");
    assert!(
        strong.contains("warning: an effective sample size under 100"),
        "{strong}"
    );
    let plain = stdout("scenarios/web-app.toml", "1");
    assert!(!plain.contains("warning"), "{plain}");
}
