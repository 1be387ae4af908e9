//! Analyses accumulate: every `fateshare drill`, `sweep` and `tornado`
//! result is kept in `history/<command>/<name>/` (named by `--name` or its
//! options) and report.html shows each, newest first; the same name again
//! replaces its entry; once the scenario changes, none of them is shown.

use crate::common;

use common::outputs::{fateshare, ok, section};
use std::path::Path;

const SCENARIO: &str = r#"name = "history"
[simulation]
trials = 200
seed = 3
[[component]]
id = "a"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "b"
outages = { per_year = 6.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "any"
[[architecture]]
id = "single"
serves = "a"
[[architecture]]
id = "redundant"
serves = "pair"
[[drill]]
id = "a-out"
causes = ["a"]
hours = 5
"#;

fn cmd(args: &[&str], file: &Path, out: &Path) {
    let mut v = vec![args[0], file.to_str().unwrap()];
    v.extend_from_slice(&args[1..]);
    v.extend_from_slice(&["--out", out.to_str().unwrap(), "-q"]);
    ok(&fateshare(&v));
}

fn html(out: &Path) -> String {
    std::fs::read_to_string(out.join("report.html")).unwrap()
}

/// Position of `needle` in `hay`, panicking with the context when absent.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in\n{hay}"))
}

#[test]
fn drill_sweep_and_tornado_results_accumulate_newest_first_until_the_scenario_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, SCENARIO).unwrap();
    let out = dir.path().join("out");
    cmd(&["run"], &file, &out);
    cmd(&["drill", "--all"], &file, &out);
    cmd(&["drill", "--cause", "b", "--hours", "3"], &file, &out);
    cmd(
        &[
            "sweep",
            "--set",
            "component.a.outages.per_year=1,8",
            "--trials",
            "100",
        ],
        &file,
        &out,
    );
    cmd(
        &[
            "sweep",
            "--set",
            "component.b.outages.per_year=2,3",
            "--trials",
            "100",
            "--name",
            "b rate",
        ],
        &file,
        &out,
    );
    cmd(
        &["tornado", "--trials", "100", "--name", "first"],
        &file,
        &out,
    );
    cmd(
        &[
            "tornado", "--trials", "100", "--factor", "3", "--name", "second",
        ],
        &file,
        &out,
    );

    let page = html(&out);
    // Drills: both, the newest first, each with its own table.
    let drills = section(&page, "drills").expect("drills section");
    let newest = at(drills, "--cause b --hours 3");
    let older = at(drills, "<h3>--all</h3>");
    assert!(newest < older);
    assert!(drills[..older].contains("(newest)"));
    assert_eq!(drills.matches("<table").count(), 2);
    // Sweeps and tornados likewise.
    let sens = section(&page, "sensitivity").expect("sensitivity section");
    assert!(at(sens, "Sweep: b rate (newest)") < at(sens, "component.a.outages.per_year=1,8"));
    assert!(at(sens, "Tornado: second (newest)") < at(sens, "Tornado: first</h3>"));
    assert_eq!(
        sens.matches("<svg").count(),
        1,
        "one tornado chart: the newest"
    );
    for (kind, n) in [("drill", 2), ("sweep", 2), ("tornado", 2)] {
        let kept = std::fs::read_dir(out.join("history").join(kind))
            .unwrap()
            .count();
        assert_eq!(kept, n, "{kind}");
    }

    // `fateshare report` shows the same page.
    ok(&fateshare(&["report", out.to_str().unwrap(), "-q"]));
    assert_eq!(html(&out), page);

    // The same name again replaces its entry (and is now the newest).
    cmd(&["drill", "--all"], &file, &out);
    assert_eq!(
        std::fs::read_dir(out.join("history/drill"))
            .unwrap()
            .count(),
        2
    );
    let page = html(&out);
    let drills = section(&page, "drills").unwrap();
    assert!(at(drills, "<h3>--all (newest)</h3>") < at(drills, "<h3>--cause b --hours 3</h3>"));

    // Another scenario in the same folder: none of them belongs with it.
    std::fs::write(&file, SCENARIO.replace("per_year = 6.0", "per_year = 5.0")).unwrap();
    cmd(&["run"], &file, &out);
    let page = html(&out);
    assert!(section(&page, "drills").is_none());
    assert!(section(&page, "sensitivity").is_none());
    // A new drill on the new scenario is shown alone.
    cmd(&["drill", "--all"], &file, &out);
    let page = html(&out);
    let drills = section(&page, "drills").unwrap();
    assert_eq!(drills.matches("<table").count(), 1);
    assert!(!drills.contains("(newest)"));
}
