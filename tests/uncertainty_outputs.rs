//! What a two-level run (`run --uncertainty N`) draws and prices: the
//! wheatsheaf curves (`uncertainty_curves.csv`) that `fateshare report DIR`
//! redraws byte for byte, and the per-sample EP tables (PSEPT, one sample per
//! draw), each draw's rows exactly those of its own plain run (common random
//! numbers).

use crate::common;
use common::outputs::assert_report_redraws;
use common::{run_quiet, write};
use std::path::Path;

/// One component whose rate is uncertain (a Gamma posterior) and a loss.
fn crn_scenario(rate: &str) -> String {
    format!(
        r#"
name = "crn"
[simulation]
trials = 400
seed = 11
[[component]]
id = "a"
outages = {{ per_year = {rate}, duration = {{ dist = "exponential", mean_hours = 6 }} }}
[[component]]
id = "b"
outages = {{ per_year = 2, duration = {{ dist = "exponential", mean_hours = 3 }} }}
[[component]]
id = "both"
mode = "any"
needs = ["a", "b"]
[[architecture]]
id = "single"
serves = "a"
cost_per_year = 100
loss = {{ per_hour = 1000 }}
[[architecture]]
id = "dual"
serves = "both"
cost_per_year = 900
loss = {{ per_hour = 1000 }}
"#
    )
}

const DRAWS: usize = 4;

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Data rows of a CSV, split on commas (the files hold no quoted cells).
fn cells(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

#[test]
fn report_dir_redraws_the_wheatsheaf_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "u.toml",
        &crn_scenario("{ incidents = 3, years = 2 }"),
    );
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--uncertainty", &DRAWS.to_string()]);
    let curves = cells(&read(&out, "uncertainty_curves.csv"));
    let k = fateshare::uncertain::curves::POINTS;
    assert_eq!(
        curves.len(),
        DRAWS * 2 * k,
        "a row per draw, architecture and return period"
    );
    // Each draw's curve: non-decreasing in the return period, for down time and loss.
    for block in curves.chunks(k) {
        for w in block.windows(2) {
            for col in [2, 3, 4] {
                let (a, b): (f64, f64) = (w[0][col].parse().unwrap(), w[1][col].parse().unwrap());
                assert!(a <= b, "column {col} decreases: {w:?}");
            }
        }
    }
    let svg = read(&out, "charts/downtime-exceedance.svg");
    assert!(
        svg.contains("single: mean of draws"),
        "the wheatsheaf legend"
    );
    let gap = read(&out, "charts/downtime-gap.svg");
    assert!(
        gap.contains("90% credible interval"),
        "the gap chart's second bar"
    );
    assert_report_redraws(&out, "report DIR after run --uncertainty");
}

#[test]
fn each_draw_is_its_own_plain_run_and_the_psept_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "u.toml",
        &crn_scenario("{ incidents = 3, years = 2 }"),
    );
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--uncertainty", &DRAWS.to_string(), "--ord"]);
    let draws = cells(&read(&out, "uncertainty.csv"));
    let psept = cells(&read(&out, "gul_S1_psept.csv"));
    assert_eq!(
        read(&out, "gul_S1_psept.csv").lines().next(),
        Some("SummaryId,SampleId,EPType,ReturnPeriod,Loss")
    );
    let ept = cells(&read(&out, "gul_S1_ept.csv"));
    let plain_rows = ept.iter().filter(|r| r[0] == "1" && r[1] == "2").count();
    assert!(plain_rows > 0);
    // Structure: per SummaryId (1, 2), every SampleId 1..=N with the same rows as the EPT.
    assert_eq!(psept.len(), 2 * DRAWS * plain_rows);
    for (i, r) in psept.iter().enumerate() {
        let (summary, sample) = (i / (DRAWS * plain_rows) + 1, (i / plain_rows) % DRAWS + 1);
        assert_eq!(
            (r[0].as_str(), r[1].as_str()),
            (summary.to_string().as_str(), sample.to_string().as_str())
        );
    }
    // EPCalc 3 (per-sample mean) = the mean over samples of the PSEPT, bit for bit.
    for r in ept.iter().filter(|r| r[1] == "3") {
        let mut sum = 0.0;
        for p in psept
            .iter()
            .filter(|p| p[0] == r[0] && p[2] == r[2] && p[3] == r[3])
        {
            sum += p[4].parse::<f64>().unwrap();
        }
        assert_eq!(r[4], (sum / DRAWS as f64).to_string(), "EPCalc 3 row {r:?}");
    }
    // Common random numbers: draw d run alone (its rate written in) gives the
    // same EPT, summary and curves as the draw inside the two-level run.
    let k = fateshare::uncertain::curves::POINTS;
    let curves = cells(&read(&out, "uncertainty_curves.csv"));
    for d in [0usize, DRAWS - 1] {
        let rate = &draws[2 * d][2];
        let plain_file = write(dir.path(), &format!("d{d}.toml"), &crn_scenario(rate));
        let plain = dir.path().join(format!("plain{d}"));
        run_quiet(&plain_file, &plain, &["--ord"]);
        let own: Vec<Vec<String>> = cells(&read(&plain, "gul_S1_ept.csv"));
        let sample = (d + 1).to_string();
        let mine: Vec<Vec<String>> = psept
            .iter()
            .filter(|p| p[1] == sample)
            .map(|p| {
                vec![
                    p[0].clone(),
                    "2".into(),
                    p[2].clone(),
                    p[3].clone(),
                    p[4].clone(),
                ]
            })
            .collect();
        assert_eq!(mine, own, "draw {d}: PSEPT rows = its plain run's EPT");
        // Its curves: the type-7 quantiles of the plain run's per-trial values.
        let trials = cells(&read(&plain, "trials.csv"));
        for (a, arch) in ["single", "dual"].iter().enumerate() {
            let of = |col: usize| {
                fateshare::stats::sorted(
                    trials
                        .iter()
                        .filter(|t| t[1] == *arch)
                        .map(|t| t[col].parse::<f64>().unwrap()),
                )
            };
            let (down, loss) = (of(2), of(5));
            for row in &curves[(d * 2 + a) * k..(d * 2 + a + 1) * k] {
                let t: f64 = row[2].parse().unwrap();
                let p = 1.0 - 1.0 / t;
                assert_eq!(
                    row[3],
                    fateshare::stats::quantile_sorted(&down, p).to_string(),
                    "{arch} down time at {t}"
                );
                assert_eq!(
                    row[4],
                    fateshare::stats::quantile_sorted(&loss, p).to_string(),
                    "{arch} loss at {t}"
                );
            }
        }
    }
}

#[test]
fn report_says_how_robust_the_choice_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "u.toml",
        &crn_scenario("{ incidents = 3, years = 2 }"),
    );
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--uncertainty", "20"]);
    let html = read(&out, "report.html");
    assert!(
        html.contains("id=\"uncertainty\""),
        "the Parameter uncertainty section"
    );
    // The design with the largest best_share is named with its share.
    let summary = cells(&read(&out, "summary.csv"));
    let header: Vec<String> = read(&out, "summary.csv")
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (top, share) = summary
        .iter()
        .map(|r| (r[0].clone(), r[col("best_share")].parse::<f64>().unwrap()))
        .fold(
            ("".to_string(), -1.0),
            |acc, x| if x.1 > acc.1 { x } else { acc },
        );
    let pct = format!("{}%", fateshare::fmtnum::sig(100.0 * share, 3));
    assert!(
        html.contains(&format!(
            "<strong>{top}</strong> has the lowest total cost in {pct} of plausible worlds"
        )),
        "{top} {pct}"
    );
    // "beats" only where the 90% interval of the paired difference excludes 0.
    let draws = cells(&read(&out, "uncertainty.csv"));
    let uh: Vec<String> = read(&out, "uncertainty.csv")
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    let tc = uh.iter().position(|h| h == "total_cost").unwrap();
    let cost = |arch: &str| -> Vec<f64> {
        draws
            .iter()
            .filter(|r| r[1] == arch)
            .map(|r| r[tc].parse().unwrap())
            .collect()
    };
    let other = if top == "single" { "dual" } else { "single" };
    let diffs = fateshare::stats::sorted(cost(&top).iter().zip(cost(other)).map(|(a, b)| b - a));
    let p05 = fateshare::stats::quantile_sorted(&diffs, 0.05);
    let beats = format!("<strong>{top}</strong> beats <strong>{other}</strong>");
    assert_eq!(
        html.contains(&beats),
        p05 > 0.0,
        "p05 of the paired difference {p05}"
    );
}
