//! Summary statistics accumulated as trials stream past (`run
//! --summary-only`, `stats::stream`): means, standard deviations, intervals
//! and SLA shares equal the in-memory run's exactly (exact sums, any order of
//! chunks, any thread count); quantiles are the exact ones while the values
//! are kept and within the histogram's 0.1% relative error once they are not,
//! and summary.json says which.

use crate::common;
use common::outputs::{fateshare, ok};
use fateshare::sketch::RELATIVE_ERROR;
use fateshare::stats::{self, stream::Summarizer};
use std::path::Path;

const SCENARIO: &str = "scenarios/benchmark.toml";

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec!["run", SCENARIO, "--trials", "3000", "--seed", "4", "--out"];
    args.push(out.to_str().unwrap());
    args.push("-q");
    args.extend_from_slice(extra);
    ok(&fateshare(&args));
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn without_command(json: &str) -> String {
    json.lines()
        .filter(|l| !l.contains("\"command\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn summary_only_equals_the_in_memory_run_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(&d.join("full"), &[]);
    run(&d.join("s1"), &["--summary-only", "--threads", "1"]);
    run(&d.join("s2"), &["--summary-only", "--threads", "2"]);
    for s in ["s1", "s2"] {
        assert_eq!(
            read(&d.join("full/summary.csv")),
            read(&d.join(s).join("summary.csv")),
            "{s}"
        );
        assert_eq!(
            without_command(&read(&d.join("full/summary.json"))),
            without_command(&read(&d.join(s).join("summary.json"))),
            "{s}"
        );
        assert_eq!(
            read(&d.join("full/outage_lengths.csv")),
            read(&d.join(s).join("outage_lengths.csv"))
        );
        assert!(!d.join(s).join("trials.csv").exists());
    }
    assert!(read(&d.join("s1/summary.json")).contains("\"quantiles\": \"exact\""));
}

#[test]
fn histogram_quantiles_are_within_the_stated_error_and_the_rest_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(&d.join("full"), &[]);
    // Keep at most 100 values: the quantiles come from the histogram.
    run(
        &d.join("hist"),
        &["--summary-only", "--exact-quantiles-up-to", "100"],
    );
    let json = read(&d.join("hist/summary.json"));
    assert!(json.contains("\"quantiles\": \"histogram\""), "{json}");
    let (a, b) = (
        read(&d.join("full/summary.csv")),
        read(&d.join("hist/summary.csv")),
    );
    let mut la = a.lines();
    let header: Vec<&str> = la.next().unwrap().split(',').collect();
    let mut quantile_columns = 0;
    for (x, y) in la.zip(b.lines().skip(1)) {
        for ((name, u), v) in header.iter().zip(x.split(',')).zip(y.split(',')) {
            let quantile = name.contains("_p50")
                || name.contains("_p90")
                || name.contains("_p99")
                || name.contains("_rp");
            if quantile && !u.is_empty() {
                quantile_columns += 1;
                let (u, v): (f64, f64) = (u.parse().unwrap(), v.parse().unwrap());
                assert!(
                    (u - v).abs() <= RELATIVE_ERROR * u * (1.0 + 1e-9),
                    "{name}: exact {u}, histogram {v}"
                );
            } else {
                assert_eq!(u, v, "{name} must not depend on how quantiles are kept");
            }
        }
    }
    assert!(
        quantile_columns >= 4 * 10,
        "{quantile_columns} quantile cells checked"
    );
}

#[test]
fn chunks_merged_in_any_order_equal_the_in_memory_summary_exactly() {
    let (_, model) = fateshare::scenario::load(Path::new(SCENARIO)).unwrap();
    let sim = common::simulate(&model, 1000, 8760.0, 9);
    let whole = stats::summarize(&model, &sim);
    let a = sim.architectures;
    let h = sim.settings.horizon_hours;
    // Chunks of 37 trials, merged last first.
    let mut parts: Vec<Summarizer> = sim
        .outcomes
        .chunks(37 * a)
        .map(|c| {
            let mut s = Summarizer::new(&model, h, u64::MAX);
            c.chunks_exact(a).for_each(|t| s.add_trial(t));
            s
        })
        .collect();
    parts.reverse();
    let mut merged = Summarizer::new(&model, h, u64::MAX);
    parts.iter().for_each(|p| merged.merge(p));
    assert_eq!(merged.trials(), 1000);
    let streamed = merged.finish(&model, &stats::DEFAULT_RETURN_PERIODS);
    assert_eq!(streamed, whole);
    // The exact mean is the correctly rounded one: compare with a sum in f64 of
    // 1,000 values, off by far less than its own rounding could reach.
    for (i, s) in whole.iter().enumerate() {
        let naive: f64 = sim.of(i).map(|o| o.downtime_hours).sum::<f64>() / 1000.0;
        assert!((s.downtime_hours_mean - naive).abs() <= 1e-12 * naive.max(1.0));
    }
}
