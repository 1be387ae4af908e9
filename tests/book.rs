//! Books from an exposure file (docs/insurance.md § Books): the exposure
//! book equals the same book written as TOML byte for byte, bad rows are
//! refused with file, line, column and fix, and the generator is seeded.

use crate::common;
use common::hostile::{refused, snapshot};
use common::{run, write};
use std::path::Path;

/// Shared parts of the test book: two regions, two DNS providers, a cause.
const SHARED: &str = r#"
name = "test book"
[simulation]
trials = 400
seed = 5

[[component]]
id = "r1"
provider = "cloud-1"
outages = { per_year = 3, duration = { dist = "exponential", mean_hours = 20 } }

[[component]]
id = "r2"
provider = "cloud-2"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 30 } }

[[component]]
id = "dns"
provider = "dns-co"
outages = { per_year = 1, duration = { dist = "exponential", mean_hours = 5 } }

[[cause]]
id = "agent"
per_year = 1.5
duration = { dist = "exponential", mean_hours = 40 }
"#;

/// The same three insureds as exposure rows.
const ROWS: &str = "\
# a comment line
id,description,sector,regions,failover_minutes,services,causes,own_per_year,own_median_hours,own_p95_hours,loss_per_hour,loss_per_outage,grace_minutes,cover,index,waiting_hours,pay_per_hour,max_hours_per_event,deductible,share,event_limit,annual_limit,basis_threshold,pricing,loading,rate,level,expense_ratio,portfolio
a,\"r1, dns\",retail,r1,,dns,agent=0.5,2,0.5,3,10000,2000,5,parametric,r1,4,10000,24,,,150000,300000,40000,std_dev,0.25,,,0.3,book
b,r1 + r2,saas,r1 r2,5,,,,,,20000,,,indemnity,,,,,50000,0.9,1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book
c,no cover,saas,r2,,dns,agent=1,1,1,6,5000,,,,,,,,,,,,,,,,,,
";

/// The same book written by hand as TOML tables.
const TABLES: &str = r#"
[[cause]]
id = "agent"
per_year = 1.5
duration = { dist = "exponential", mean_hours = 40 }
hits = { app-a = 0.5, app-c = 1.0 }

[[component]]
id = "app-a"
outages = { per_year = 2, duration = { dist = "lognormal", median_hours = 0.5, p95_hours = 3 } }

[[component]]
id = "site-a"
needs = ["dns", "app-a", "r1"]

[[component]]
id = "regions-b"
needs = ["r1", "r2"]
mode = "failover"
switch_minutes = 5

[[component]]
id = "site-b"
needs = ["regions-b"]

[[component]]
id = "app-c"
outages = { per_year = 1, duration = { dist = "lognormal", median_hours = 1, p95_hours = 6 } }

[[component]]
id = "site-c"
needs = ["dns", "app-c", "r2"]

[[architecture]]
id = "insured-a"
description = "r1, dns"
sector = "retail"
serves = "site-a"
loss = { per_hour = 10000, per_outage = 2000, grace_minutes = 5 }

[[architecture]]
id = "insured-b"
description = "r1 + r2"
sector = "saas"
serves = "site-b"
loss = { per_hour = 20000 }

[[architecture]]
id = "insured-c"
description = "no cover"
sector = "saas"
serves = "site-c"
loss = { per_hour = 5000 }

[[policy]]
id = "cover-a"
kind = "parametric"
insured = "insured-a"
index = "r1"
waiting_hours = 4
pay_per_hour = 10000
max_hours_per_event = 24
event_limit = 150000
annual_limit = 300000
basis_threshold = 40000
pricing = { method = "std_dev", loading = 0.25, expense_ratio = 0.3 }
portfolio = "book"

[[policy]]
id = "cover-b"
kind = "indemnity"
insured = "insured-b"
deductible = 50000
share = 0.9
event_limit = 1000000
annual_limit = 2000000
pricing = { method = "cost_of_capital", rate = 0.1, level = 0.995, expense_ratio = 0.3 }
portfolio = "book"
"#;

/// The scenario with `[book] exposure`, and the hand-written one.
fn books(dir: &Path, rows: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let shared = SHARED.replace(
        "[[cause]]\nid = \"agent\"\nper_year = 1.5\nduration = { dist = \"exponential\", mean_hours = 40 }\n",
        "[[cause]]\nid = \"agent\"\nper_year = 1.5\nduration = { dist = \"exponential\", mean_hours = 40 }\nhits = {}\n",
    );
    let csv_book = format!("{shared}\n[book]\nexposure = \"rows.csv\"\n");
    write(dir, "rows.csv", rows);
    let without_cause = SHARED.split("[[cause]]").next().unwrap();
    let toml_book = format!("{without_cause}\n[book]\n{TABLES}");
    (
        write(dir, "from-csv.toml", &csv_book),
        write(dir, "by-hand.toml", &toml_book),
    )
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every output file but the ones that name the scenario file or the
/// output folder (scenario.toml, report.html's copy of it, the command line).
fn results(out: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot(out)
        .into_iter()
        .filter(|(p, _)| !["scenario.toml", "report.html"].contains(&p.to_str().unwrap()))
        .map(|(p, bytes)| {
            if p.to_str() == Some("summary.json") {
                let text = String::from_utf8(bytes).unwrap();
                let kept: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.contains("\"command\"") && !l.contains("\"scenario_file\""))
                    .collect();
                (p, kept.join("\n").into_bytes())
            } else {
                (p, bytes)
            }
        })
        .collect()
}

#[test]
fn the_exposure_book_equals_the_same_book_written_as_toml_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (csv_book, toml_book) = books(dir.path(), ROWS);
    let runs: Vec<_> = [&csv_book, &toml_book]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let out = dir.path().join(format!("out{i}"));
            common::run_quiet(f, &out, &["--events"]);
            out
        })
        .collect();
    let (a, b) = (results(&runs[0]), results(&runs[1]));
    assert!(a.len() > 20, "{} files", a.len());
    assert_eq!(a.len(), b.len());
    for ((pa, xa), (pb, xb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(
            xa == xb,
            "{} differs between the exposure book and the TOML book",
            pa.display()
        );
    }
    // The compiled text is what the run wrote as scenario.toml, and running it
    // gives the same results again.
    let compiled = ok(&["book", "compile", csv_book.to_str().unwrap()]);
    assert_eq!(
        compiled.as_bytes(),
        std::fs::read(runs[0].join("scenario.toml")).unwrap()
    );
    let again = write(dir.path(), "compiled.toml", &compiled);
    let out = dir.path().join("out-compiled");
    common::run_quiet(&again, &out, &["--events"]);
    assert!(results(&out) == a, "the compiled book gives other results");
    // `fateshare report` redraws from the folder alone (no exposure file there).
    ok(&["report", runs[0].to_str().unwrap(), "-q"]);
}

/// (row to put in place of insured b's, column named, what the message says)
fn bad_row(row: &str, place: &str, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<&str> = ROWS.lines().collect();
    lines[3] = row;
    let rows = lines.join("\n") + "\n";
    let (csv_book, _) = books(dir.path(), &rows);
    let out = dir.path().join("out");
    for args in [
        vec![
            "run",
            csv_book.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["validate", csv_book.to_str().unwrap()],
    ] {
        refused(&args, &out, "rows.csv", says);
        let err = String::from_utf8_lossy(&run(&args).stderr).into_owned();
        assert!(err.contains(place), "{err} should name {place}");
    }
}

#[test]
fn bad_exposure_rows_exit_2_with_file_line_column_and_fix() {
    // Line 4 is insured b's (line 1 is a comment, line 2 the header).
    bad_row(
        "b,x,saas,r1 r9,5,,,,,,20000,,,indemnity,,,,,50000,0.9,1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book",
        "line 4, column 4 (regions)",
        "unknown component \"r9\"; use the id of one of the scenario's [[component]] tables (dns, r1, r2)",
    );
    bad_row(
        "b,x,saas,r1 r2,5,,,,,,20000,,,indemnity,,,,,50000,0.9,-1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book",
        "line 4, column 21 (event_limit)",
        "event_limit = -1000000 is negative",
    );
    bad_row(
        "a,x,saas,r1 r2,5,,,,,,20000,,,indemnity,,,,,50000,0.9,1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book",
        "line 4, column 1 (id)",
        "insured \"a\" is listed twice (first on line 3); give each row its own id",
    );
    bad_row(
        "b,x,saas,r1 r2,5,,nope=0.5,,,,20000,,,indemnity,,,,,50000,0.9,1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book",
        "line 4, column 7 (causes)",
        "causes hit the insured's own component",
    );
    bad_row(
        "b,x,saas,r1 r2,5,,,,,,20000,,,umbrella,,,,,50000,0.9,1000000,2000000,,cost_of_capital,,0.1,0.995,0.3,book",
        "line 4, column 14 (cover)",
        "use parametric, indemnity, or leave it empty",
    );
    bad_row(
        "b,x,saas,r1",
        "line 4",
        "this row has 4 fields and the header 29",
    );
}

#[test]
fn problems_found_after_compiling_point_at_the_row() {
    // A parametric cover without its index is refused by policy validation;
    // the message names the policy and the row it came from.
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<&str> = ROWS.lines().collect();
    lines[2] = "a,x,retail,r1,,dns,,,,,10000,2000,5,parametric,,4,10000,24,,,150000,300000,40000,std_dev,0.25,,,0.3,book";
    let rows = lines.join("\n") + "\n";
    let (csv_book, _) = books(dir.path(), &rows);
    let o = run(&["validate", csv_book.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("policy \"cover-a\"") && err.contains("rows.csv line 3, insured a"),
        "{err}"
    );
}

#[test]
fn generated_books_are_seeded_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/portfolio-cloud-book.toml"
    );
    let gen = |seed: &str, out: &Path| {
        ok(&[
            "book",
            "generate",
            base,
            "--insureds",
            "300",
            "--seed",
            seed,
            "--trials",
            "200",
            "--out",
            out.to_str().unwrap(),
        ]);
        std::fs::read(out.join("insureds.csv")).unwrap()
    };
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    assert_eq!(gen("3", &a), gen("3", &b));
    assert_ne!(gen("3", &a), gen("4", &c));
    let summary = ok(&["validate", a.join("book.toml").to_str().unwrap()]);
    assert!(
        summary.contains("300 architectures, 300 policies"),
        "{summary}"
    );
    common::run_quiet(
        &a.join("book.toml"),
        &dir.path().join("out"),
        &["--no-trials-csv"],
    );
    // A base without the generator's components is refused and nothing is written.
    let bare = write(dir.path(), "bare.toml", SHARED);
    let out = dir.path().join("none");
    refused(
        &[
            "book",
            "generate",
            bare.to_str().unwrap(),
            "--insureds",
            "5",
            "--out",
            out.to_str().unwrap(),
        ],
        &out,
        "bare.toml",
        "aws-us-east-1",
    );
}
