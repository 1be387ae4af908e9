//! `run --format parquet`: the per-trial, per-event and ORD tables as
//! zstd-compressed Parquet, read back here with the same crates and compared
//! cell by cell with the CSV of the same run (integers and text equal,
//! floats bit for bit, empty cells null); `report` redraws such a folder.

use crate::common;
use arrow_array::{Array, Float64Array, Int64Array, StringArray};
use common::{run, run_quiet, write};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use std::path::Path;

const COVERED: &str = r#"name = "tables"
[simulation]
trials = 1500
seed = 5
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
[[policy]]
id = "cover"
kind = "parametric"
index = "region"
insured = "shop"
waiting_hours = 4
pay_per_hour = 1000
max_hours_per_event = 24
event_limit = 20000
pricing = { method = "std_dev", loading = 0.25, expense_ratio = 0.3 }
"#;

const TABLES: [&str; 13] = [
    "trials",
    "outages",
    "policy_trials",
    "gul_S1_summary-info",
    "gul_S1_palt",
    "gul_S1_alct",
    "gul_S1_ept",
    "gul_S1_splt",
    "il_S1_summary-info",
    "il_S1_palt",
    "il_S1_alct",
    "il_S1_ept",
    "il_S1_splt",
];

/// `run` with the per-event tables, so every table has a Parquet form.
fn go(file: &Path, out: &Path, extra: &[&str]) {
    run_quiet(file, out, &[&["--events"], extra].concat());
}

/// Compares one Parquet file with its CSV, cell by cell; returns the rows.
fn same_values(parquet: &Path, csv: &Path) -> usize {
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(parquet).unwrap()).unwrap();
    let meta = builder.metadata().clone();
    let names: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, header, "{}", parquet.display());
    for g in meta.row_groups() {
        for c in g.columns() {
            assert!(
                matches!(c.compression(), Compression::ZSTD(_)),
                "{}",
                parquet.display()
            );
        }
    }
    let mut r = 0;
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        for i in 0..batch.num_rows() {
            let row = &rows[r];
            assert_eq!(row.len(), header.len());
            for (j, col) in batch.columns().iter().enumerate() {
                let want = row[j];
                let at = format!("{} row {r} column {}", parquet.display(), header[j]);
                if col.is_null(i) {
                    assert_eq!(want, "", "{at}");
                    continue;
                }
                let any = col.as_any();
                if let Some(a) = any.downcast_ref::<Int64Array>() {
                    assert_eq!(a.value(i), want.parse::<i64>().unwrap(), "{at}");
                } else if let Some(a) = any.downcast_ref::<Float64Array>() {
                    let v: f64 = want.parse().unwrap();
                    assert_eq!(a.value(i).to_bits(), v.to_bits(), "{at}");
                } else {
                    let a = any.downcast_ref::<StringArray>().unwrap();
                    assert_eq!(a.value(i), want, "{at}");
                }
            }
            r += 1;
        }
    }
    assert_eq!(r, rows.len(), "{}", parquet.display());
    r
}

#[test]
fn parquet_tables_hold_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "tables.toml", COVERED);
    let (csv, out) = (dir.path().join("csv"), dir.path().join("out"));
    go(&file, &out, &[]);
    std::fs::rename(&out, &csv).unwrap();
    go(&file, &out, &["--format", "parquet"]);
    let mut total = 0;
    for t in TABLES {
        assert!(!out.join(format!("{t}.csv")).exists(), "{t}.csv");
        total += same_values(
            &out.join(format!("{t}.parquet")),
            &csv.join(format!("{t}.csv")),
        );
    }
    assert!(total > 3 * 1500, "{total}");
    // Small tables stay CSV, with the same bytes.
    for f in [
        "summary.csv",
        "summary.json",
        "policies.csv",
        "outage_lengths.csv",
    ] {
        assert!(
            std::fs::read(out.join(f)).unwrap() == std::fs::read(csv.join(f)).unwrap(),
            "{f}"
        );
    }
    // report redraws the Parquet folder: the same report and charts as the run's.
    let html = std::fs::read(out.join("report.html")).unwrap();
    let chart = std::fs::read(out.join("charts/downtime-exceedance.svg")).unwrap();
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
    assert!(std::fs::read(out.join("charts/downtime-exceedance.svg")).unwrap() == chart);
    assert!(html == std::fs::read(csv.join("report.html")).unwrap());
}

/// One architecture: trials.csv has a row per trial.
const ONE: &str = r#"name = "one"
[simulation]
trials = 100
seed = 9
[[component]]
id = "box"
outages = { per_year = 3.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[architecture]]
id = "box"
serves = "box"
loss = { per_hour = 10 }
"#;

/// `--format auto` (the default): a big table of at most
/// `AUTO_CSV_MAX_ROWS` rows is CSV, one row more is Parquet with the CSV's
/// values, which `report` redraws byte for byte; `--format csv` forces CSV.
#[test]
fn auto_format_switches_to_parquet_past_the_threshold() {
    let limit = fateshare::parquet_io::AUTO_CSV_MAX_ROWS;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "one.toml", ONE);
    let out = |name: &str| dir.path().join(name);
    let at = limit.to_string();
    let above = (limit + 1).to_string();
    run_quiet(&file, &out("at"), &["--trials", &at]);
    assert!(out("at").join("trials.csv").exists());
    assert!(!out("at").join("trials.parquet").exists());
    run_quiet(&file, &out("above"), &["--trials", &above]);
    assert!(!out("above").join("trials.csv").exists());
    run_quiet(&file, &out("csv"), &["--trials", &above, "--format", "csv"]);
    assert!(!out("csv").join("trials.parquet").exists());
    let rows = same_values(
        &out("above").join("trials.parquet"),
        &out("csv").join("trials.csv"),
    );
    assert_eq!(rows, limit + 1);
    // Small tables stay CSV either way; the terminal names the files written.
    assert!(out("above").join("summary.csv").exists());
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--trials",
        &above,
        "--out",
        out("again").to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("trials.parquet") && !stdout.contains("trials.csv"),
        "{stdout}"
    );
    // compare reads the Parquet folder: against the CSV one, the same trials.
    let o = run(&[
        "compare",
        out("above").to_str().unwrap(),
        out("csv").to_str().unwrap(),
        "--out",
        out("cmp").to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut r = csv::Reader::from_path(out("cmp").join("compare.csv")).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        assert_eq!(rec[4].parse::<f64>().unwrap(), 0.0, "{rec:?}");
    }
    crate::common::outputs::assert_report_redraws(&out("above"), "auto Parquet folder");
    // The same charts as the CSV run's.
    for chart in ["downtime-exceedance.svg", "loss-exceedance.svg"] {
        assert!(
            std::fs::read(out("above").join("charts").join(chart)).unwrap()
                == std::fs::read(out("csv").join("charts").join(chart)).unwrap(),
            "{chart}"
        );
    }
}
