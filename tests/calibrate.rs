//! `fateshare calibrate`: a user's incident history fitted by hand-checkable
//! formulas, the printed snippet valid in a scenario, and bad input.

use crate::common;

use common::{run, write};
use fateshare::catalogue::calibrate::{fit, parse_time};

const HISTORY: &str = "start,end,component,severity
2023-01-10T10:00Z,2023-01-10T11:00Z,db,
2023-06-01 08:00,2023-06-01 10:00,db,0.5
2024-03-05T00:00Z,2024-03-05T04:00Z,db,1
2024-07-01T12:00Z,2024-07-01T12:30:00Z,queue,
";

#[test]
fn times_are_hours_since_the_epoch() {
    assert_eq!(parse_time("1970-01-01"), Some(0.0));
    assert_eq!(parse_time("1970-01-02T01:30Z"), Some(25.5));
    // 2000-03-01 is day 11017 (leap year 2000 has Feb 29).
    assert_eq!(parse_time("2000-03-01 00:00"), Some(11017.0 * 24.0));
    assert_eq!(
        parse_time("2024-02-29T23:59:59Z").map(|h| h.fract() > 0.99),
        Some(true)
    );
    for bad in [
        "2023-02-29",
        "2023-01-01T24:00Z",
        "2023-1-01",
        "yesterday",
        "2023-01-01T10Z",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
}

#[test]
fn groups_are_fitted_as_computed_by_hand() {
    let h = fit(HISTORY, "h.csv", Some(2.0)).unwrap();
    assert_eq!((h.incidents, h.years, h.years_from_data), (4, 2.0, false));
    let db = &h.groups[0];
    assert_eq!(db.name, "db");
    // 3 incidents over 2 years: Gamma(3.5, 2), mean 1.75.
    assert_eq!((db.rate.shape, db.rate.rate), (3.5, 2.0));
    assert!((db.rate.mean() - 1.75).abs() < 1e-15);
    // Durations 1, 2, 4 h: mu = ln 2, sigma^2 = ((ln 1 - ln 2)^2 + 0 + (ln 4 - ln 2)^2) / 3.
    assert_eq!(db.durations, vec![1.0, 2.0, 4.0]);
    let d = db.duration.unwrap();
    let ln2 = 2f64.ln();
    assert!((d.mu - ln2).abs() < 1e-14);
    assert!((d.sigma - (2.0 * ln2 * ln2 / 3.0).sqrt()).abs() < 1e-14);
    assert_eq!(db.severities, vec![0.5, 1.0]);
    let q = &h.groups[1];
    assert_eq!(
        (q.name.as_str(), q.rate.events, q.durations.clone()),
        ("queue", 1, vec![0.5])
    );
    assert!(q.duration.is_none());
    // Without --years: the span from the first start to the last end.
    let h = fit(HISTORY, "h.csv", None).unwrap();
    let span = (parse_time("2024-07-01T12:30Z").unwrap()
        - parse_time("2023-01-10T10:00Z").unwrap())
        / 8760.0;
    assert!(h.years_from_data && (h.years - span).abs() < 1e-12);
}

#[test]
fn the_printed_snippet_is_a_valid_scenario_with_the_fitted_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "history.csv", HISTORY);
    let o = run(&["calibrate", file.to_str().unwrap(), "--years", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("mean 1.75/yr [90%: 0.542, 3.52]"), "{out}");
    // The lines after each `# [[component]] id = "X"` go into that component.
    let mut scenario = String::from("name = \"calibrated\"\n");
    let mut lines = out.lines();
    while let Some(line) = lines.next() {
        if let Some(id) = line.strip_prefix("# [[component]] id = ") {
            scenario += &format!("[[component]]\nid = {id}\n{}\n", lines.next().unwrap());
        }
    }
    scenario += "[[component]]\nid = \"both\"\nneeds = [\"db\", \"queue\"]\n[[architecture]]\nid = \"both\"\nserves = \"both\"\n";
    let m = common::model(&scenario);
    let db = &m.sources[m.source_index("db").unwrap()];
    assert_eq!(db.per_year, 1.75);
    // Printed to 4 significant digits: median 2, p95 exp(ln 2 + 1.645 sigma) = 5.074.
    assert_eq!(
        db.duration.describe(),
        fateshare::dist::Duration::lognormal(2.0, 5.074).describe()
    );
    let q = &m.sources[m.source_index("queue").unwrap()];
    assert_eq!(q.per_year, 0.75);
}

#[test]
fn causes_get_a_cause_table_to_complete() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "c.csv",
        "start,end,cause\n2022-01-01T00:00Z,2022-01-01T03:00Z,region-down\n2023-01-01T00:00Z,2023-01-01T06:00Z,region-down\n",
    );
    let o = run(&["calibrate", file.to_str().unwrap(), "--years", "4"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("[[cause]]\nid = \"region-down\"\nper_year = 0.625\n"),
        "{out}"
    );
    assert!(out.contains("# hits = { COMPONENT = 1.0 }"), "{out}");
}

fn rejected(text: &str, extra: &[&str], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.csv", text);
    let mut args = vec!["calibrate", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty(), "nothing printed for bad input");
    for line in err.lines() {
        assert!(
            line.starts_with("error: ") && line.contains("bad.csv"),
            "{err}"
        );
    }
    for e in expected {
        assert!(err.contains(e), "should say {e:?}: {err}");
    }
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_histories_name_file_line_and_fix() {
    rejected(
        "start,end\n",
        &[],
        &["line 1: the header has no component or cause column"],
    );
    rejected(
        "start,end,component,cause\n",
        &[],
        &["both component and cause"],
    );
    rejected(
        "start,end,component,sev\n",
        &[],
        &["unknown column \"sev\""],
    );
    rejected("start,end,component\n", &[], &["no incidents"]);
    rejected(
        "start,end,component\n2023-02-30,2023-03-01,db\n",
        &[],
        &["line 2: start \"2023-02-30\" is not a UTC time"],
    );
    rejected(
        "start,end,component\n2023-03-02,2023-03-01,db\n",
        &[],
        &["line 2: end is not after start"],
    );
    rejected(
        "start,end,component,severity\n2023-03-01,2023-03-02,db,1.5\n",
        &[],
        &["line 2: severity \"1.5\" is not a fraction in [0, 1]"],
    );
    rejected(
        "start,end,component\n2023-03-01,2023-03-02,\n",
        &[],
        &["line 2: component is empty"],
    );
    rejected(HISTORY, &["--years", "0"], &["--years is 0"]);
    rejected(
        HISTORY,
        &["--years", "1"],
        &["shorter than the incidents' span"],
    );
}
