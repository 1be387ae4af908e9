//! A plain `run` streams its trials (`src/streaming.rs`): no per-trial
//! outcomes are kept, the per-trial table is written as the trials pass, and
//! the report is drawn from the accumulators. The rule: the folder is the
//! same, byte for byte, as the one a run that keeps every trial in memory
//! writes (`--events` keeps them: the same folder plus `outages.csv`), below
//! and past the exact-quantile limit, in CSV and Parquet, on any thread count.

use crate::common;
use common::outputs::{fateshare, ok, tree};
use std::path::Path;

const BENCHMARK: &str = "scenarios/benchmark.toml";

/// Runs into `dir/NAME/out`, so two runs' folders differ only by `NAME` in
/// the command line they record.
fn run(dir: &Path, name: &str, scenario: &str, trials: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name).join("out");
    let mut args = vec![
        "run", scenario, "--trials", trials, "--seed", "7", "-q", "--out",
    ];
    args.push(out.to_str().unwrap());
    args.extend_from_slice(extra);
    ok(&fateshare(&args));
    out
}

/// Every file of `dir` but `skip`, with the folder's path in its text
/// replaced by `OUT` (it is in the recorded command line).
fn normalised(dir: &Path, skip: &[&str]) -> Vec<(String, Vec<u8>)> {
    let path = dir.display().to_string();
    tree(dir)
        .into_iter()
        .filter(|(rel, _)| !skip.contains(&rel.as_str()))
        .map(|(rel, bytes)| match String::from_utf8(bytes) {
            Ok(text) => (rel, text.replace(&path, "OUT").into_bytes()),
            Err(e) => (rel, e.into_bytes()),
        })
        .collect()
}

fn assert_same(streamed: &Path, kept: &Path, what: &str) {
    let (a, b) = (
        normalised(streamed, &[]),
        normalised(kept, &["outages.csv", "outages.parquet"]),
    );
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "{what}: file lists differ"
    );
    for (x, y) in a.iter().zip(&b) {
        assert!(x.1 == y.1, "{what}: {} differs", x.0);
    }
}

#[test]
fn a_streamed_run_writes_the_folder_a_run_keeping_its_trials_writes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // --baseline exercises every pair's differences (baseline.csv, the report);
    // CSV forced: the kept run's outages table is past `--format auto`'s threshold.
    let base = ["--baseline", "single-region", "--format", "csv"];
    let streamed = run(d, "s", BENCHMARK, "3000", &base);
    let kept = run(
        d,
        "k",
        BENCHMARK,
        "3000",
        &[&base[..], &["--events"]].concat(),
    );
    assert!(kept.join("outages.csv").exists() && !streamed.join("outages.csv").exists());
    assert_same(&streamed, &kept, "benchmark, 3000 trials");
    let two = run(
        d,
        "t",
        BENCHMARK,
        "3000",
        &[&base[..], &["--threads", "2"]].concat(),
    );
    let one = run(
        d,
        "o",
        BENCHMARK,
        "3000",
        &[&base[..], &["--threads", "1"]].concat(),
    );
    assert_same(&two, &one, "threads 2 against 1");
}

#[test]
fn past_the_exact_limit_the_streamed_and_kept_runs_agree_and_use_the_histogram() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = common::write(
        d,
        "pair.toml",
        "name = \"pair\"\n\
         [[cause]]\nid = \"shared\"\nper_year = 3\nhits = { a = 1.0, b = 0.5 }\n\
         duration = { dist = \"lognormal\", median_hours = 2, p95_hours = 9 }\n\
         [[component]]\nid = \"a\"\noutages = { per_year = 4, duration = { dist = \"fixed\", hours = 3 } }\n\
         [[component]]\nid = \"b\"\noutages = { per_year = 2, duration = { dist = \"lognormal\", median_hours = 1, p95_hours = 20 } }\n\
         [[component]]\nid = \"ab\"\nneeds = [\"a\", \"b\"]\nmode = \"any\"\n\
         [[architecture]]\nid = \"a-only\"\nserves = \"a\"\nloss = { per_hour = 100 }\ncost_per_year = 10\n\
         [[architecture]]\nid = \"either\"\nserves = \"ab\"\nloss = { per_hour = 100 }\ncost_per_year = 25\n",
    );
    let s = scenario.to_str().unwrap();
    // One more than EXACT_UP_TO = 2^17.
    let trials = "131073";
    let streamed = run(d, "s", s, trials, &["--format", "parquet"]);
    let kept = run(d, "k", s, trials, &["--format", "parquet", "--events"]);
    assert_same(&streamed, &kept, "past the exact limit");
    let json = std::fs::read_to_string(streamed.join("summary.json")).unwrap();
    assert!(json.contains("\"quantiles\": \"histogram\""), "{json}");
    assert!(streamed.join("trials.parquet").exists());
}

#[test]
fn a_streamed_run_is_not_refused_for_tables_it_does_not_hold() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |extra: &[&str]| {
        let out = d.join("out");
        let mut args = vec!["run", BENCHMARK, "--trials", "600", "-q", "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_fateshare"))
            .args(&args)
            // 600 trials × 4 architectures × 56 bytes is over 1,000 bytes.
            .env("FATESHARE_MAX_TABLE_BYTES", "1000")
            .output()
            .unwrap()
    };
    let kept = run(&["--events"]);
    assert_eq!(kept.status.code(), Some(2));
    let err = String::from_utf8_lossy(&kept.stderr);
    assert!(err.contains("per-trial tables"), "{err}");
    assert!(!d.join("out").exists(), "nothing written when refused");
    let streamed = run(&[]);
    assert_eq!(
        streamed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&streamed.stderr)
    );
    assert!(d.join("out/trials.csv").exists());
}

/// `fateshare report DIR` on a plain run summarizes the per-trial table as it
/// reads it (`readback::load_summarized`): it keeps no outcomes, its figures
/// are those of reading every outcome back (`readback::load`) bit for bit,
/// past the exact-quantile limit and from Parquet too, and the redrawn
/// folder is the run's, byte for byte.
#[test]
fn report_summarizes_a_plain_runs_table_as_it_reads_it() {
    use fateshare::readback;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, trials, format) in [("small", "3000", "csv"), ("big", "140000", "parquet")] {
        let out = run(
            d,
            name,
            BENCHMARK,
            trials,
            &["--format", format, "--threads", "2"],
        );
        let whole = readback::load(&out).unwrap();
        let summed = readback::load_summarized(&out).unwrap();
        assert!(
            summed.simulation.outcomes.is_empty(),
            "{name}: outcomes kept"
        );
        assert!(whole.digest.is_none() && !whole.simulation.outcomes.is_empty());
        let (a, b) = (
            fateshare::report::Report::of_run(&whole),
            fateshare::report::Report::of_run(&summed),
        );
        assert_eq!(
            format!("{:?}", a.summaries),
            format!("{:?}", b.summaries),
            "{name}: summaries differ"
        );
        for x in 0..a.model.architectures.len() {
            for y in 0..a.model.architectures.len() {
                for f in [
                    fateshare::stats::digest::Figure::Downtime,
                    fateshare::stats::digest::Figure::Loss,
                    fateshare::stats::digest::Figure::Outages,
                    fateshare::stats::digest::Figure::SlaMet,
                ] {
                    assert_eq!(
                        format!("{:?}", a.paired(x, y, f)),
                        format!("{:?}", b.paired(x, y, f)),
                        "{name}: pair {x},{y}"
                    );
                }
            }
        }
        let before = normalised(&out, &[]);
        ok(&fateshare(&["report", out.to_str().unwrap(), "-q"]));
        assert!(
            before == normalised(&out, &[]),
            "{name}: the redraw differs"
        );
    }
}
