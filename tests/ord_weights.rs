//! ORD files of an importance-sampled run (`run --tilt X --ord`): each
//! period weighted by its likelihood ratio, as OasisLMF weights periods with
//! a periods file. `--tilt 1 --ord` writes the plain run's folder byte for
//! byte; the weighted average loss of a rare shared cause lies within the
//! run's own weighted 95% interval around its closed form; `periods.csv`
//! holds w_t / N and reproduces `palt`'s mean; the folder does not depend
//! on --threads (policies: tests/tilt_policies.rs).

use crate::common::outputs::{assert_same_tree, tree};
use crate::common::{run_quiet, write};
use std::path::Path;

const H: f64 = 8760.0;

/// An `any` pair losing 1,000 an hour while down: rarely down together
/// alone, and a rare shared cause taking both down (a few minutes a year).
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
loss = { per_hour = 1000 }
"#;

/// Stationary unavailability of one Poisson source with exponential durations: 1 − e^(−λm).
fn u(per_year: f64, mean_hours: f64) -> f64 {
    1.0 - (-per_year / H * mean_hours).exp()
}

/// The pair's exact expected loss per year: 1,000 × H·(1 − P(cause idle)·(1 − u_a·u_b)).
fn pair_loss_exact() -> f64 {
    let ua = u(2.0, 4.0);
    1000.0 * H * (1.0 - (1.0 - u(0.02, 4.0)) * (1.0 - ua * ua))
}

/// The rows of a CSV file below its header, split on commas.
fn rows(out: &Path, name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(out.join(name)).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap()
}

#[test]
fn tilt_one_with_ord_writes_the_plain_runs_folder_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    let flags = ["--trials", "3000", "--ord"];
    run_quiet(&file, &out, &flags);
    let plain = tree(&out);
    assert!(out.join("gul_S1_ept.csv").exists());
    run_quiet(&file, &out, &[&flags[..], &["--tilt", "1"]].concat());
    assert_same_tree(&plain, &tree(&out), "--tilt 1 --ord");
    // No periods file: a plain run's weights are Oasis's default 1/N.
    assert!(!out.join("periods.csv").exists());
}

#[test]
fn weighted_average_loss_matches_its_closed_form_and_the_periods_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--tilt", "50", "--ord"]);
    let n = 20_000usize;
    // periods.csv: period_no from 1, weighting = trials.csv's weight / N.
    let periods = rows(&out, "periods.csv");
    let trials = rows(&out, "trials.csv");
    assert_eq!((periods.len(), trials.len()), (n, n));
    let (mut sum_wx, mut heavy) = (0.0, 0usize);
    for (t, (p, r)) in periods.iter().zip(&trials).enumerate() {
        assert_eq!(p[0], (t + 1).to_string());
        let w = num(&r[8]);
        assert_eq!(num(&p[1]), w / n as f64, "period {}", t + 1);
        sum_wx += w * num(&r[5]);
        heavy += usize::from(w > 1.0);
    }
    assert!(heavy > 0 && heavy < n, "weights are not all 1");
    // palt: Σ w x / N (Oasis's AAL with the periods file), summed in period order.
    let palt = rows(&out, "gul_S1_palt.csv");
    let mean = num(&palt[0][2]);
    assert_eq!(mean, sum_wx / n as f64);
    // alct's last row: the whole run, with the estimator's own 95% interval.
    let alct = rows(&out, "gul_S1_alct.csv");
    let last = alct.last().unwrap();
    assert_eq!(num(&last[3]), n as f64);
    assert_eq!(num(&last[1]), mean);
    let (lo, hi) = (num(&last[4]), num(&last[5]));
    let exact = pair_loss_exact();
    assert!(
        lo <= exact && exact <= hi,
        "exact {exact} outside [{lo}, {hi}] (mean {mean})"
    );
    // The same figure the weighted summary holds.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let expected = summary["architectures"][0]["expected_loss"]
        .as_f64()
        .unwrap();
    // Equal up to the rounding of a different summation.
    assert!(
        (expected - mean).abs() <= 1e-9 * mean,
        "{expected} vs {mean}"
    );
    // The EP table: AEP losses fall as the return period falls, TVaR ≥ loss.
    let ept = rows(&out, "gul_S1_ept.csv");
    let aep: Vec<(f64, f64)> = ept
        .iter()
        .filter(|r| r[2] == "3")
        .map(|r| (num(&r[3]), num(&r[4])))
        .collect();
    assert!(aep.len() >= 8, "{aep:?}");
    assert!(aep.windows(2).all(|p| p[0].0 > p[1].0 && p[0].1 >= p[1].1));
    for r in ept.iter().filter(|r| r[2] == "4") {
        let rp = num(&r[3]);
        let loss = aep.iter().find(|a| a.0 == rp).unwrap().1;
        assert!(num(&r[4]) >= loss, "TVaR at {rp} below its loss");
    }
}

#[test]
fn weighted_ord_is_the_same_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    let common = ["--tilt", "auto", "--trials", "3000", "--ord"];
    run_quiet(&file, &out, &[&common[..], &["--threads", "1"]].concat());
    let one = tree(&out);
    assert!(out.join("periods.csv").exists() && out.join("gul_S1_ept.csv").exists());
    run_quiet(&file, &out, &[&common[..], &["--threads", "2"]].concat());
    assert_same_tree(&one, &tree(&out), "--threads 1 vs 2");
}
