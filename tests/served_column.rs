//! The served share stands beside availability in the terminal table and the
//! report's results table when partial service makes them differ, and only then.

use crate::common;
use common::*;

const PARTIAL: &str = r#"name = "partial"
[simulation]
trials = 200
[[component]]
id = "a"
outages = { per_year = 50.0, duration = { dist = "exponential", mean_hours = 5.0 }, severity = 0.5 }
[[architecture]]
id = "x"
serves = "a"
"#;

fn run_in(dir: &std::path::Path, text: &str) -> (String, String) {
    let file = write(dir, "s.toml", text);
    let out = dir.join("out");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    (String::from_utf8_lossy(&o.stdout).into_owned(), html)
}

#[test]
fn served_is_shown_only_where_it_differs() {
    let dir = tempfile::tempdir().unwrap();
    let (text, html) = run_in(dir.path(), PARTIAL);
    assert!(text.contains("served % [95% CI]"), "{text}");
    assert!(html.contains("<th>served [95% CI]</th>"));
    let dir = tempfile::tempdir().unwrap();
    let (text, html) = run_in(dir.path(), &PARTIAL.replace(", severity = 0.5", ""));
    assert!(!text.contains("served"), "{text}");
    assert!(!html.contains("<th>served [95% CI]</th>"));
}
