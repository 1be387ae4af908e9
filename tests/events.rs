//! The per-event table on request: without `--events`, `run` writes no
//! `outages.csv` and no `gul_S1_splt.csv`, but always
//! `outage_lengths.csv` (each outage length within 0.1%, counted), from which
//! the outage-survival chart is drawn, so `report` redraws a folder without
//! the per-event table and the charts do not depend on `--events`.

use crate::common;
use common::{run, run_quiet, write};
use fateshare::sketch::{LogHistogram, RELATIVE_ERROR};
use std::path::Path;

const COVERED: &str = r#"name = "events"
[simulation]
trials = 3000
seed = 11
[[component]]
id = "region"
outages = { per_year = 3.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[component]]
id = "app"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 1.0 } }
[[component]]
id = "site"
needs = ["region", "app"]
[[architecture]]
id = "shop"
serves = "site"
loss = { per_hour = 1000, per_outage = 100 }
[[architecture]]
id = "app-only"
serves = "app"
loss = { per_hour = 10 }
[[policy]]
id = "bi"
kind = "indemnity"
insured = "shop"
deductible = 2000
share = 0.8
pricing = { method = "wang", lambda = 0.2 }
"#;

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Data rows of a CSV text, split on commas.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn lengths_file_counts_every_outage_of_the_event_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "events.toml", COVERED);
    // Both runs write to the same folder (summary.json and report.html name
    // it); the first is kept aside.
    let (lean, full) = (dir.path().join("lean"), dir.path().join("out"));
    run_quiet(&file, &full, &[]);
    std::fs::rename(&full, &lean).unwrap();
    run_quiet(&file, &full, &["--events"]);
    assert!(!lean.join("outages.csv").exists());
    let lengths = read(&lean, "outage_lengths.csv");
    assert_eq!(lengths, read(&full, "outage_lengths.csv"));
    assert_eq!(lengths.lines().next(), Some("architecture,hours,count"));
    // The event table's lengths, put through the same histogram, give exactly the file.
    let outages = rows(&read(&full, "outages.csv"));
    let mut expected = String::from("architecture,hours,count\n");
    for arch in ["shop", "app-only"] {
        let mut h = LogHistogram::default();
        for o in outages.iter().filter(|o| o[1] == arch) {
            h.add(o[3].parse().unwrap());
        }
        let t = h.tally();
        for (v, n) in t.values.iter().zip(&t.counts) {
            expected += &format!("{arch},{v},{n}\n");
        }
        // Every outage is within the stated relative error of a listed length.
        let listed: Vec<f64> = t.values.clone();
        for o in outages.iter().filter(|o| o[1] == arch) {
            let x: f64 = o[3].parse().unwrap();
            assert!(
                listed
                    .iter()
                    .any(|&v| (v - x).abs() <= RELATIVE_ERROR * x * (1.0 + 1e-9)),
                "{x}"
            );
        }
    }
    assert_eq!(lengths, expected);
    // The counts add up to the outages counted in trials.csv.
    let counted: u64 = rows(&read(&lean, "trials.csv"))
        .iter()
        .map(|r| r[3].parse::<u64>().unwrap())
        .sum();
    let listed: u64 = rows(&lengths)
        .iter()
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(listed, counted);
    assert!(counted > 10_000, "{counted}");
    // Everything but the per-event rows is the same with and without --events.
    for f in [
        "summary.csv",
        "summary.json",
        "trials.csv",
        "policy_trials.csv",
        "report.html",
        "charts/outage-survival.svg",
        "charts/outage-survival.png",
    ] {
        assert!(
            std::fs::read(lean.join(f)).unwrap() == std::fs::read(full.join(f)).unwrap(),
            "{f} depends on --events"
        );
    }
    // gul_S1_splt.csv (the architectures' own outages with a loss) only with
    // --events; il_S1_splt.csv (the payouts) in both, byte for byte.
    assert!(!lean.join("gul_S1_splt.csv").exists());
    let shop_id = rows(&read(&full, "gul_S1_summary-info.csv"))
        .into_iter()
        .find(|r| r[1] == "shop")
        .map(|r| r[0].clone())
        .unwrap();
    let shop_rows = rows(&read(&full, "gul_S1_splt.csv"))
        .into_iter()
        .filter(|r| r[8] == shop_id)
        .count();
    let shop_outages_with_loss = outages
        .iter()
        .filter(|o| o[1] == "shop" && o[4].parse::<f64>().unwrap() > 0.0)
        .count();
    assert_eq!(shop_rows, shop_outages_with_loss);
    let payouts = read(&lean, "il_S1_splt.csv");
    assert!(!rows(&payouts).is_empty());
    assert_eq!(payouts, read(&full, "il_S1_splt.csv"));
}

#[test]
fn report_redraws_a_folder_without_the_event_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "events.toml", COVERED);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--trials", "500"]);
    let html = std::fs::read(out.join("report.html")).unwrap();
    let chart = std::fs::read(out.join("charts/outage-survival.svg")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    let o = run(&["report", out.to_str().unwrap(), "-q"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(std::fs::read(out.join("report.html")).unwrap() == html);
    assert!(std::fs::read(out.join("charts/outage-survival.svg")).unwrap() == chart);
    // Without the lengths file the message names it and the fix.
    std::fs::remove_file(out.join("outage_lengths.csv")).unwrap();
    let o = run(&["report", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("outage_lengths.csv"), "{err}");
}

/// The run counts outage lengths in the same pass that computes the outcomes
/// (`TrialRunner::run_counted`, and the engine's chunks): the same outcomes
/// and the same counts as computing the outcomes and then walking every
/// architecture's outages again (`run` then `record_outages`), trial by
/// trial, on the benchmark scenario and a small one, and the engine's
/// histogram counts exactly the records it keeps with `--events`.
#[test]
fn outage_lengths_counted_in_the_outcome_pass_equal_a_second_walk() {
    use fateshare::engine::{self, RunOptions, TrialRunner};
    use fateshare::model::Settings;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmark.toml");
    let (_, bench) = fateshare::scenario::load(&path).expect("benchmark scenario is valid");
    for model in [bench, common::model(COVERED)] {
        let settings = Settings {
            trials: 600,
            ..model.settings
        };
        let n = model.architectures.len();
        let (mut one, mut two) = (
            TrialRunner::watched_only(&model, &[]),
            TrialRunner::watched_only(&model, &[]),
        );
        let mut counted = vec![LogHistogram::default(); n];
        let mut walked = vec![LogHistogram::default(); n];
        for trial in 0..settings.trials {
            one.run_counted(&settings, trial, &mut counted);
            two.run(&settings, trial);
            two.record_outages(&settings, trial, &mut walked, None);
            assert_eq!(one.outcomes, two.outcomes, "trial {trial}");
        }
        assert_eq!(counted, walked);
        let options = RunOptions {
            threads: Some(2),
            progress: None,
            skip_outage_records: false,
        };
        let sim = engine::simulate(&model, &settings, &options);
        for (a, hist) in walked.iter().enumerate() {
            let mut from_records = LogHistogram::default();
            for r in sim.outages.iter().filter(|r| r.architecture as usize == a) {
                from_records.add(r.duration_hours);
            }
            assert_eq!(
                from_records.tally(),
                sim.outage_lengths[a],
                "architecture {a}"
            );
            assert_eq!(hist.tally(), sim.outage_lengths[a], "architecture {a}");
        }
    }
}
