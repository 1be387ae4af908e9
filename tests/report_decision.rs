//! The decision on the first screen of report.html: a design is recommended
//! over the runner-up only when the paired 95% interval of their per-trial
//! difference (read back from trials.csv here) excludes zero; otherwise the
//! sentence says they are indistinguishable and how many trials would
//! separate them, by the stated formula. Return-period values are the type-7
//! quantiles of trials.csv.

use crate::common;

use common::outputs::{fateshare, ok, section};
use std::path::Path;

const Z_95: f64 = 1.959_963_984_540_054;
const Z_80: f64 = 0.841_621_233_572_914_3;

/// `ids` twins of one component each with `per_year` outages of fixed
/// length, plus what `extra` adds.
fn scenario(a_rate: f64, b_rate: f64, extra: &str) -> String {
    format!(
        r#"name = "twins"
[simulation]
trials = 3000
seed = 5
[[component]]
id = "a"
outages = {{ per_year = {a_rate}, duration = {{ dist = "exponential", mean_hours = 4.0 }} }}
[[component]]
id = "b"
outages = {{ per_year = {b_rate}, duration = {{ dist = "exponential", mean_hours = 4.0 }} }}
{extra}
[[architecture]]
id = "uses-a"
serves = "a"
[[architecture]]
id = "uses-b"
serves = "b"
"#
    )
}

fn run(dir: &Path, text: &str) -> (String, Vec<(String, f64)>) {
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    ok(&fateshare(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let mut rows = Vec::new();
    let mut r = csv::Reader::from_path(out.join("trials.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let (ia, id) = (
        h.iter().position(|c| c == "architecture").unwrap(),
        h.iter().position(|c| c == "downtime_hours").unwrap(),
    );
    for rec in r.records() {
        let rec = rec.unwrap();
        rows.push((rec[ia].to_string(), rec[id].parse().unwrap()));
    }
    (html, rows)
}

/// Per-trial down time of `arch`, in trial order.
fn downtime(rows: &[(String, f64)], arch: &str) -> Vec<f64> {
    rows.iter()
        .filter(|(a, _)| a == arch)
        .map(|(_, d)| *d)
        .collect()
}

/// Mean, sd and 95% interval of b − a trial by trial.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64, f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = Z_95 * sd / n.sqrt();
    (mean, sd, mean - half, mean + half)
}

fn decision(html: &str) -> &str {
    let head = section(html, "headline").expect("the first section");
    let start = head
        .find("<p class=\"decision\">")
        .expect("a recommendation");
    &head[start..start + head[start..].find("</p>").unwrap()]
}

#[test]
fn a_clear_difference_names_the_better_design() {
    let dir = tempfile::tempdir().unwrap();
    // b fails a quarter as often: 4 h a year against 16 h.
    let (html, rows) = run(dir.path(), &scenario(4.0, 1.0, ""));
    let (mean, _, lo, hi) = paired(&downtime(&rows, "uses-b"), &downtime(&rows, "uses-a"));
    // The difference is clear: 12 h a year, interval well away from zero.
    assert!(
        lo > 0.0 && (mean - 12.0).abs() < 0.1 * 12.0,
        "{mean} [{lo}, {hi}]"
    );
    let d = decision(&html);
    assert!(
        d.contains("<b>Recommendation:</b> <strong>uses-b</strong>"),
        "{d}"
    );
    assert!(d.contains("runner-up <strong>uses-a</strong>"), "{d}");
    let h = |x: f64| fateshare::fmtnum::hours(x);
    assert!(
        d.contains(&format!("{} less", h(mean))) && d.contains(&format!("{} to {}", h(lo), h(hi))),
        "{d}: want {} ({} to {})",
        h(mean),
        h(lo),
        h(hi)
    );
    // The comparison table is on the first screen, in the first section.
    assert!(section(&html, "headline")
        .unwrap()
        .contains("<table id=\"comparison\">"));
}

#[test]
fn twins_in_distribution_get_no_winner_and_a_trials_estimate() {
    let dir = tempfile::tempdir().unwrap();
    // Same rate and durations, different components: identical in
    // distribution, independent trial by trial.
    let (html, rows) = run(dir.path(), &scenario(4.0, 4.0, ""));
    let (a, b) = (downtime(&rows, "uses-a"), downtime(&rows, "uses-b"));
    let (mean, sd, lo, hi) = paired(&a, &b);
    // Under equal distributions the interval straddles zero 95% of the time;
    // with this seed it does (the test then checks the sentence follows it).
    assert!(lo < 0.0 && hi > 0.0, "[{lo}, {hi}]");
    let d = decision(&html);
    assert!(d.contains("<b>No clear winner:</b>"), "{d}");
    assert!(!d.contains("Recommendation"), "{d}");
    assert!(
        d.contains("indistinguishable in mean down time at 3,000 trials"),
        "{d}"
    );
    // About ⌈((z₀.₉₇₅ + z₀.₈)·s_d/|d̄|)²⌉ trials would separate them.
    let need = ((Z_95 + Z_80) * sd / mean.abs()).powi(2).ceil();
    let need = fateshare::fmtnum::thousands(need);
    assert!(
        d.contains(&format!("about {need} trials would separate them")),
        "{d}: {need}"
    );
}

#[test]
fn designs_identical_in_every_trial_are_never_separated() {
    let dir = tempfile::tempdir().unwrap();
    // No outages of their own; one cause always takes both down together.
    let cause = r#"[[cause]]
id = "power"
per_year = 3.0
duration = { dist = "exponential", mean_hours = 2.0 }
hits = { a = 1.0, b = 1.0 }"#;
    let (html, rows) = run(dir.path(), &scenario(0.0, 0.0, cause));
    let (mean, sd, _, _) = paired(&downtime(&rows, "uses-a"), &downtime(&rows, "uses-b"));
    assert_eq!((mean, sd), (0.0, 0.0));
    let d = decision(&html);
    assert!(d.contains("<b>No recommendation between</b>"), "{d}");
    assert!(
        d.contains("the same in every one of the 3,000 trials"),
        "{d}"
    );
    // The shared cause takes every design down, and the page says so.
    let head = section(&html, "headline").unwrap();
    assert!(
        head.contains("<b>Takes every design down:</b> <strong>power</strong>"),
        "{head}"
    );
}

#[test]
fn return_period_values_are_type_7_quantiles_of_the_trials() {
    let dir = tempfile::tempdir().unwrap();
    let (html, rows) = run(dir.path(), &scenario(4.0, 1.0, ""));
    let head = section(&html, "headline").unwrap();
    let table = &head[head.find("<table id=\"comparison\">").unwrap()..];
    for arch in ["uses-a", "uses-b"] {
        let mut v = downtime(&rows, arch);
        v.sort_by(f64::total_cmp);
        let row = &table[table
            .find(&format!("<td class=\"text\"><strong>{arch}</strong>"))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        for n in [10.0, 20.0, 50.0, 100.0, 200.0] {
            // Type 7: h = (n − 1)·p, linear between the order statistics.
            let h = (v.len() - 1) as f64 * (1.0 - 1.0 / n);
            let (i, f) = (h.floor() as usize, h.fract());
            let q = v[i] + f * (v[(i + 1).min(v.len() - 1)] - v[i]);
            let shown = fateshare::fmtnum::hours(q);
            assert!(
                row.contains(&format!(">{shown}<br>")),
                "{arch} 1 in {n}: {shown} in {row}"
            );
        }
    }
}

/// Type-7 quantile of `v` at `p` (sorts a copy).
fn type7(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let (i, f) = (h.floor() as usize, h - h.floor());
    v[i] + f * (v[(i + 1).min(v.len() - 1)] - v[i])
}

#[test]
fn return_periods_go_into_summary_csv_and_json_as_type_7_quantiles() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario(4.0, 1.0, "").replace(
        "serves = \"a\"",
        "serves = \"a\"\nloss = { per_hour = 1000, per_outage = 50 }",
    );
    let file = dir.path().join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    ok(&fateshare(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--return-periods",
        "50,7,20,7",
    ]));
    // Per-trial down time and loss, read from trials.csv.
    let mut r = csv::Reader::from_path(out.join("trials.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (ia, id, il) = (col("architecture"), col("downtime_hours"), col("loss"));
    let mut per: std::collections::BTreeMap<String, (Vec<f64>, Vec<f64>)> = Default::default();
    for rec in r.records() {
        let rec = rec.unwrap();
        let e = per.entry(rec[ia].to_string()).or_default();
        e.0.push(rec[id].parse().unwrap());
        e.1.push(rec[il].parse().unwrap());
    }
    // summary.csv: the columns named by return period, sorted, each once.
    let mut s = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let sh = s.headers().unwrap().clone();
    let names: Vec<&str> = sh.iter().filter(|c| c.contains("_rp")).collect();
    assert_eq!(
        names,
        [
            "downtime_hours_rp7",
            "downtime_hours_rp20",
            "downtime_hours_rp50",
            "loss_rp7",
            "loss_rp20",
            "loss_rp50"
        ]
    );
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["return_periods"], serde_json::json!([7, 20, 50]));
    for rec in s.records() {
        let rec = rec.unwrap();
        let arch = rec[sh.iter().position(|c| c == "architecture").unwrap()].to_string();
        let (down, loss) = &per[&arch];
        let j = json["architectures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["architecture"] == arch.as_str())
            .unwrap();
        for (k, n) in [7u32, 20, 50].into_iter().enumerate() {
            let p = 1.0 - 1.0 / f64::from(n);
            let get = |c: String| rec[sh.iter().position(|x| x == c).unwrap()].to_string();
            let d: f64 = get(format!("downtime_hours_rp{n}")).parse().unwrap();
            assert!(
                close(d, type7(down, p)),
                "{arch} rp{n}: {d} vs {}",
                type7(down, p)
            );
            let rp = &j["return_periods"][k];
            assert_eq!(rp["period"], n);
            assert!(close(
                rp["downtime_hours"].as_f64().unwrap(),
                type7(down, p)
            ));
            let l = get(format!("loss_rp{n}"));
            if arch == "uses-a" {
                let l: f64 = l.parse().unwrap();
                assert!(close(l, type7(loss, p)), "{arch} loss rp{n}: {l}");
                assert!(close(rp["loss"].as_f64().unwrap(), type7(loss, p)));
            } else {
                // No loss model: empty cell, null in JSON.
                assert_eq!(l, "");
                assert!(rp["loss"].is_null());
            }
        }
    }
    // The report's comparison table has the same periods, and `fateshare
    // report` keeps them.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = |h: &str| {
        let head = section(h, "headline").unwrap().to_string();
        head[head.find("<table id=\"comparison\">").unwrap()..].to_string()
    };
    assert!(table(&html).contains("<th>1 in 7</th><th>1 in 20</th><th>1 in 50</th><th>"));
    ok(&fateshare(&["report", out.to_str().unwrap(), "--quiet"]));
    let again = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(again, html);
    // A return period of 1 is refused.
    let o = fateshare(&[
        "run",
        file.to_str().unwrap(),
        "--return-periods",
        "1",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
