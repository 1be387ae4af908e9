//! Shards of a run that streams (no policies, `--ord` or `--events`): each
//! shard returns its accumulators (`shard.bin`: exact sums, counts, quantile
//! values or histogram counts) and its per-trial table segment, and `merge`
//! adds them up and appends the segments, writing the folder one run
//! writes, byte for byte: past the exact-quantile limit (the shards' values
//! spilled into the histogram at the merge, or in every shard already),
//! with Parquet segments, and without the per-trial table. Past the limit
//! `shard.bin` holds histograms, no per-trial values; an older `shard.bin`
//! and a damaged segment exit 2 and write nothing.

use crate::common;
use common::outputs::{fateshare, ok, tree};
use std::path::{Path, PathBuf};

const SCENARIO: &str = "scenarios/eth-rpc.toml";

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One run of `flags` into `dir/one`, and `n` shards of it merged into
/// `dir/merged` (parts given in reverse order); returns both folders and the parts.
fn one_and_merged(dir: &Path, n: u64, flags: &[&str]) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    let one = dir.join("one");
    let mut args = vec!["run", SCENARIO, "--out", path(&one), "-q"];
    args.extend_from_slice(flags);
    ok(&fateshare(&args));
    let parts: Vec<PathBuf> = (0..n)
        .map(|i| {
            let out = dir.join(format!("p{i}"));
            let spec = format!("{i}/{n}");
            let threads = if i % 2 == 0 { "1" } else { "2" };
            let mut args = vec!["run", SCENARIO, "--shard", &spec, "--out", path(&out)];
            args.extend(["-q", "--threads", threads]);
            args.extend_from_slice(flags);
            ok(&fateshare(&args));
            out
        })
        .collect();
    let merged = dir.join("merged");
    let mut args = vec!["merge"];
    args.extend(parts.iter().rev().map(|p| path(p)));
    args.extend(["--out", path(&merged), "-q"]);
    ok(&fateshare(&args));
    (one, merged, parts)
}

/// Every file of `one` equals `merged`'s, less the lines naming the command.
fn assert_same_folder(one: &Path, merged: &Path) {
    let strip = |rel: &str, bytes: &[u8]| -> Vec<u8> {
        if rel == "summary.json" || rel == "report.html" {
            String::from_utf8_lossy(bytes)
                .lines()
                .filter(|l| !l.contains("fateshare run "))
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes()
        } else {
            bytes.to_vec()
        }
    };
    let (a, b) = (tree(one), tree(merged));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "file lists differ"
    );
    for ((rel, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            strip(rel, x) == strip(rel, y),
            "{rel} differs between the single run and the merged shards"
        );
    }
}

fn quantiles(dir: &Path) -> String {
    let json = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    if json.contains("\"quantiles\": \"histogram\"") {
        "histogram".into()
    } else {
        assert!(json.contains("\"quantiles\": \"exact\""), "{json}");
        "exact".into()
    }
}

#[test]
fn streamed_shards_past_the_exact_limit_merge_to_one_run() {
    // 1,003 trials kept exactly up to 300: four shards of about 250 keep
    // their values (spilled into the histogram when merged); three of about
    // 334 are each past the limit already. A baseline adds every pair's sums.
    for (n, limit) in [(4, "300"), (3, "300"), (2, "2000")] {
        let dir = tempfile::tempdir().unwrap();
        let flags = [
            "--trials",
            "1003",
            "--seed",
            "11",
            "--exact-quantiles-up-to",
            limit,
            "--baseline",
            "single-vendor",
        ];
        let (one, merged, parts) = one_and_merged(dir.path(), n, &flags);
        let expected = if limit == "300" { "histogram" } else { "exact" };
        assert_eq!(quantiles(&one), expected, "{n} shards, limit {limit}");
        for p in &parts {
            assert!(p.join("trials.csv").exists(), "a shard writes its segment");
        }
        assert!(merged.join("trials.csv").exists());
        assert!(merged.join("baseline.csv").exists());
        assert_same_folder(&one, &merged);
    }
}

#[test]
fn streamed_parquet_segments_and_no_table_merge_to_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--trials", "701", "--seed", "5", "--format", "parquet"];
    let (one, merged, parts) = one_and_merged(&dir.path().join("parquet"), 3, &flags);
    assert!(parts[0].join("trials.parquet").exists());
    assert!(merged.join("trials.parquet").exists());
    assert_same_folder(&one, &merged);
    // The merged table reads back row for row as the single run's text.
    let text = |d: &Path| fateshare::parquet_io::read_table_text(&d.join("trials.csv")).unwrap();
    let t = text(&merged);
    assert_eq!(t, text(&one));
    assert_eq!(t.lines().count(), 1 + 701 * 4);
    let flags = ["--trials", "301", "--seed", "5", "--no-trials-csv"];
    let (one, merged, parts) = one_and_merged(&dir.path().join("none"), 2, &flags);
    assert!(!parts[0].join("trials.csv").exists());
    assert!(!merged.join("trials.csv").exists());
    assert_same_folder(&one, &merged);
}

/// Past the exact limit a shard returns histograms, not values: every
/// quantile series of `shard.bin` is a histogram's counts, each histogram
/// (and outage-length tally) at most one count per bucket between its
/// smallest and largest positive value ([`fateshare::sketch::bucket`]) and
/// one for 0, whatever the trials; the state is smaller than the outcomes
/// it replaces (52 bytes per trial and architecture).
#[test]
fn a_streamed_shard_state_holds_histograms_not_trials() {
    use fateshare::shard::state::{decode, State};
    use fateshare::stats::stream::QuantilesState;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let args = [
        "run",
        SCENARIO,
        "--shard",
        "0/1",
        "--trials",
        "3000",
        "--exact-quantiles-up-to",
        "50",
        "--no-trials-csv",
        "--out",
        path(&out),
        "-q",
    ];
    ok(&fateshare(&args));
    let bytes = std::fs::read(out.join("shard.bin")).unwrap();
    let Ok(State::Streamed(acc)) = decode(&bytes) else {
        panic!("a plain run's shard streams")
    };
    assert_eq!(acc.trials, 3000);
    let bounded = |t: &fateshare::sketch::Tally| {
        let positive: Vec<f64> = t.values.iter().copied().filter(|&v| v > 0.0).collect();
        let bucket = |v: &f64| i64::from(fateshare::sketch::bucket(*v).unwrap());
        let span = match (positive.first(), positive.last()) {
            (Some(lo), Some(hi)) => (bucket(hi) - bucket(lo) + 1) as usize,
            _ => 0,
        };
        t.values.len() <= span + 1
    };
    for a in &acc.archs {
        for q in &a.quantiles {
            match q {
                QuantilesState::Counts(t) => assert!(bounded(t), "{} buckets", t.values.len()),
                QuantilesState::Kept(v) => panic!("{} values kept past the limit of 50", v.len()),
            }
        }
    }
    assert!(acc.outage_lengths.iter().all(bounded));
    assert!(
        bytes.len() < 3000 * 4 * 52,
        "shard.bin {} bytes",
        bytes.len()
    );
}

/// Runs `merge` of `parts` into `out`, which must exit 2, say `says` and write nothing.
fn refused(parts: &[&Path], out: &Path, says: &str) {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| path(p)));
    args.extend(["--out", path(out), "-q"]);
    let o = fateshare(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(says), "should say {says:?}: {err}");
    assert!(!out.exists(), "wrote {}", out.display());
}

#[test]
fn an_old_state_or_a_damaged_segment_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("p{i}"));
            let spec = format!("{i}/2");
            let args = [
                "run", SCENARIO, "--shard", &spec, "--trials", "200", "--out",
            ];
            let mut args = args.to_vec();
            args.extend([path(&out), "-q"]);
            ok(&fateshare(&args));
            out
        })
        .collect();
    let (p0, p1) = (parts[0].as_path(), parts[1].as_path());
    let out = dir.path().join("merged");
    // A state written by the format before this one.
    let bin = p1.join("shard.bin");
    let bytes = std::fs::read(&bin).unwrap();
    let mut old = b"fateshare shard state 2\n".to_vec();
    old.extend_from_slice(&[0; 64]);
    std::fs::write(&bin, old).unwrap();
    refused(&[p0, p1], &out, "shard state version 2");
    refused(&[p0, p1], &out, "run the shard again");
    std::fs::write(&bin, &bytes).unwrap();
    // A segment cut short, or one with a row too few.
    let csv = p1.join("trials.csv");
    let table = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, &table[..table.len() - 3]).unwrap();
    refused(&[p0, p1], &out, "cut short");
    let fewer: String = table.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let header = table.lines().next().unwrap();
    let fewer = format!("{header}\n{}", &fewer[fewer.find('\n').unwrap() + 1..]);
    std::fs::write(&csv, fewer).unwrap();
    refused(&[p0, p1], &out, "not 400");
    std::fs::remove_file(&csv).unwrap();
    refused(&[p0, p1], &out, "trials.csv: cannot be read");
    // Intact parts merge.
    std::fs::write(&csv, &table).unwrap();
    ok(&fateshare(&[
        "merge",
        path(p0),
        path(p1),
        "--out",
        path(&out),
        "-q",
    ]));
}
