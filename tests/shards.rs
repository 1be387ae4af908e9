//! Runs split over machines: `run --shard I/N` for every I, then `fateshare
//! merge`, writes the folder one run of all the trials writes, byte for byte
//! (summary.csv, summary.json less the command line, the per-trial, per-event
//! and ORD tables, the charts, report.html less the command line), whatever
//! the shards' thread counts and the order the parts are given in.
//! `--shard auto/N` takes the index from the batch engines' variables; bad
//! shard specs and parts of different runs exit 2 and write nothing.

use crate::common;
use common::outputs::{fateshare, ok, tree};
use std::path::{Path, PathBuf};
use std::process::Command;

const SCENARIO: &str = "scenarios/web-app.toml";

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs shard `i` of `n` of the scenario into `dir/p{i}`.
fn shard(dir: &Path, i: &str, n: u64, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("p{}", i.replace('/', "_")));
    let spec = format!("{i}/{n}");
    let mut args = vec!["run", SCENARIO, "--shard", &spec, "--out", path(&out), "-q"];
    args.extend_from_slice(extra);
    ok(&fateshare(&args));
    out
}

/// The file's bytes, less the lines naming the command (they hold `--out`).
fn without_command(rel: &str, bytes: &[u8]) -> Vec<u8> {
    if rel == "summary.json" || rel == "report.html" {
        let text = String::from_utf8_lossy(bytes);
        text.lines()
            .filter(|l| !l.contains("fateshare run "))
            .collect::<Vec<_>>()
            .join("\n")
            .into_bytes()
    } else {
        bytes.to_vec()
    }
}

/// Every file of `one` equals `merged`'s, less the command line.
fn assert_same_folder(one: &Path, merged: &Path) {
    let (a, b) = (tree(one), tree(merged));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "file lists differ"
    );
    for ((rel, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            without_command(rel, x) == without_command(rel, y),
            "{rel} differs between the single run and the merged shards"
        );
    }
    // Only the command line differs: it names the other --out.
    let json = std::fs::read_to_string(merged.join("summary.json")).unwrap();
    assert!(
        json.contains(&format!("--out {}", merged.display())),
        "{json}"
    );
}

fn merge(parts: &[&Path], out: &Path) -> std::process::Output {
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| path(p)));
    args.extend(["--out", path(out), "-q"]);
    fateshare(&args)
}

#[test]
fn four_shards_merged_equal_one_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // Policies, portfolios, ORD and the per-event tables: every table there is.
    let flags = ["--trials", "2001", "--seed", "7", "--events", "--ord"];
    let one = dir.path().join("one");
    let mut args = vec!["run", SCENARIO, "--out", path(&one), "-q", "--threads", "2"];
    args.extend_from_slice(&flags);
    ok(&fateshare(&args));
    let threads = ["1", "2", "1", "2"];
    let parts: Vec<PathBuf> = (0..4)
        .map(|i| {
            let mut extra = flags.to_vec();
            extra.extend(["--threads", threads[i]]);
            shard(dir.path(), &i.to_string(), 4, &extra)
        })
        .collect();
    let merged = dir.path().join("merged");
    // Parts in any order.
    ok(&merge(
        &[&parts[2], &parts[0], &parts[3], &parts[1]],
        &merged,
    ));
    for table in [
        "trials.csv",
        "outages.csv",
        "policy_trials.csv",
        "il_S1_ept.csv",
        "gul_S1_splt.csv",
    ] {
        assert!(merged.join(table).exists(), "{table} was written");
    }
    assert_same_folder(&one, &merged);
}

#[test]
fn parquet_tables_and_uneven_shards_merge_exactly() {
    let dir = tempfile::tempdir().unwrap();
    // 7 trials over 3 shards: 2, 2 and 3 trials, none of them a whole chunk.
    let flags = [
        "--trials",
        "7",
        "--seed",
        "3",
        "--format",
        "parquet",
        "--return-periods",
        "2,5",
    ];
    let one = dir.path().join("one");
    let mut args = vec!["run", SCENARIO, "--out", path(&one), "-q"];
    args.extend_from_slice(&flags);
    ok(&fateshare(&args));
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| shard(dir.path(), &i.to_string(), 3, &flags))
        .collect();
    let merged = dir.path().join("merged");
    ok(&merge(&[&parts[1], &parts[2], &parts[0]], &merged));
    assert!(merged.join("trials.parquet").exists());
    assert_same_folder(&one, &merged);
}

/// Past `--format auto`'s threshold the merged folder holds the Parquet
/// tables a single run writes, byte for byte.
#[test]
fn auto_format_merges_to_what_one_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.toml");
    std::fs::write(
        &file,
        "name = \"one\"\n[simulation]\nseed = 2\n[[component]]\nid = \"box\"\n\
         outages = { per_year = 3.0, duration = { dist = \"exponential\", mean_hours = 2.0 } }\n\
         [[architecture]]\nid = \"box\"\nserves = \"box\"\n",
    )
    .unwrap();
    let trials = (fateshare::parquet_io::AUTO_CSV_MAX_ROWS + 3).to_string();
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "run",
            path(&file),
            "--trials",
            &trials,
            "--out",
            path(out),
            "-q",
        ];
        args.extend_from_slice(extra);
        ok(&fateshare(&args));
    };
    let one = dir.path().join("one");
    run(&one, &[]);
    let parts: Vec<PathBuf> = (0..2)
        .map(|i| {
            let p = dir.path().join(format!("p{i}"));
            run(&p, &["--shard", &format!("{i}/2")]);
            p
        })
        .collect();
    let merged = dir.path().join("merged");
    ok(&merge(&[&parts[1], &parts[0]], &merged));
    assert!(merged.join("trials.parquet").exists());
    assert_same_folder(&one, &merged);
}

#[test]
fn shard_auto_reads_the_batch_engines_index() {
    let dir = tempfile::tempdir().unwrap();
    let flags = ["--trials", "300", "--seed", "5"];
    let explicit = shard(dir.path(), "2", 3, &flags);
    for var in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"] {
        let out = dir.path().join(var);
        let o = Command::new(env!("CARGO_BIN_EXE_fateshare"))
            .args([
                "run",
                SCENARIO,
                "--shard",
                "auto/3",
                "--out",
                path(&out),
                "-q",
            ])
            .args(flags)
            .env_remove("JOB_COMPLETION_INDEX")
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env(var, "2")
            .output()
            .unwrap();
        ok(&o);
        assert_eq!(
            tree(&explicit),
            tree(&out),
            "auto/3 with {var}=2 is shard 2/3"
        );
    }
}

/// Runs `args` (with the batch variables unset), which must exit 2, say
/// `says`, not panic, and leave `out` unwritten.
fn refused(args: &[&str], out: &Path, says: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_fateshare"))
        .args(args)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "{args:?} wrote {}", out.display());
}

#[test]
fn bad_shard_specs_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (spec, says) in [
        ("4/4", "from 0 to 3"),
        ("-1/4", "from 0 to 3"),
        ("1/0", "shard count N"),
        ("x", "not I/N"),
        (
            "auto/4",
            "neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID",
        ),
    ] {
        let flag = format!("--shard={spec}");
        let args = [
            "run",
            SCENARIO,
            "--trials",
            "100",
            &flag,
            "--out",
            path(&out),
        ];
        refused(&args, &out, says);
    }
    let args = [
        "run",
        SCENARIO,
        "--precision",
        "0.1",
        "--shard",
        "0/2",
        "--out",
        path(&out),
    ];
    let o = fateshare(&args);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--shard with --precision is refused"
    );
}

#[test]
fn parts_of_different_runs_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = ["--trials", "200", "--seed", "1"];
    let p0 = shard(d, "0", 2, &base);
    let p1 = shard(d, "1", 2, &base);
    let other_seed = shard(&d.join("seed"), "1", 2, &["--trials", "200", "--seed", "2"]);
    let other_trials = shard(
        &d.join("trials"),
        "1",
        2,
        &["--trials", "300", "--seed", "1"],
    );
    let other_count = shard(&d.join("count"), "1", 3, &base);
    let other_flags = shard(
        &d.join("flags"),
        "1",
        2,
        &["--trials", "200", "--seed", "1", "--events"],
    );
    let out = d.join("out");
    let merge_args = |parts: &[&Path]| {
        let mut v: Vec<String> = vec!["merge".into()];
        v.extend(parts.iter().map(|p| path(p).to_string()));
        v.extend(["--out".into(), path(&out).to_string()]);
        v
    };
    for (parts, says) in [
        (vec![p0.as_path(), other_seed.as_path()], "seed 1 ≠ 2"),
        (
            vec![p0.as_path(), other_trials.as_path()],
            "trials 200 ≠ 300",
        ),
        (
            vec![p0.as_path(), other_count.as_path()],
            "shard count 2 ≠ 3",
        ),
        (vec![p0.as_path(), other_flags.as_path()], "output flags"),
        (vec![p0.as_path()], "missing shard 1"),
        (
            vec![p0.as_path(), p1.as_path(), p1.as_path()],
            "shard 1 is given twice",
        ),
        (vec![p0.as_path(), d], "shard.json: cannot read it"),
    ] {
        let args = merge_args(&parts);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&args, &out, says);
    }
    // A damaged state file is refused, naming it.
    let bin = p1.join("shard.bin");
    let bytes = std::fs::read(&bin).unwrap();
    std::fs::write(&bin, &bytes[..bytes.len() - 5]).unwrap();
    let args = merge_args(&[&p0, &p1]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&args, &out, "shard.bin: damaged");
    // Intact parts merge.
    std::fs::write(&bin, &bytes).unwrap();
    ok(&merge(&[&p0, &p1], &out));
}

#[test]
fn ground_up_event_ids_merge_exactly_without_policies() {
    // No policies: `--ord --events` still numbers the ground-up events
    // (docs/insurance.md §13), and the shards continue one another's numbering.
    let dir = tempfile::tempdir().unwrap();
    let scenario = "scenarios/eth-rpc.toml";
    let flags = ["--trials", "600", "--seed", "4", "--events", "--ord"];
    let one = dir.path().join("one");
    let mut args = vec!["run", scenario, "--out", path(&one), "-q"];
    args.extend_from_slice(&flags);
    ok(&fateshare(&args));
    let parts: Vec<PathBuf> = (0..2)
        .map(|i| {
            let mut a = vec![
                "run".to_string(),
                scenario.into(),
                "--out".into(),
                path(&dir.path().join(format!("part{i}"))).into(),
                "-q".into(),
                "--shard".into(),
                format!("{i}/2"),
            ];
            a.extend(flags.iter().map(|s| s.to_string()));
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            ok(&fateshare(&a));
            dir.path().join(format!("part{i}"))
        })
        .collect();
    let merged = dir.path().join("merged");
    ok(&merge(&[&parts[1], &parts[0]], &merged));
    let splt = std::fs::read_to_string(merged.join("gul_S1_splt.csv")).unwrap();
    assert!(
        splt.lines().count() > 100,
        "the ground-up event table has rows"
    );
    assert_same_folder(&one, &merged);
}
