//! Hostile text and read-back through the binary: control characters stay
//! out of the terminal, SVG, DOT and CSV; numbers read back from an output
//! folder must be finite and in their domain.

use crate::common;

use common::hostile::{ok, own, scenario, snapshot, EXP3};
use common::{run, write};

#[test]
fn control_characters_stay_out_of_terminal_svg_dot_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\u{1b}[31m\u{7}\u{0}name";
    let text = scenario(&own("2", EXP3), "")
        .replace(
            "name = \"hostile\"",
            &format!(
                "name = \"{}\"",
                name.replace('\u{1b}', "\\u001b")
                    .replace('\u{7}', "\\u0007")
                    .replace('\u{0}', "\\u0000")
            ),
        )
        .replace(
            "id = \"a\"\n",
            "id = \"a\"\nprovider = \"=HYPERLINK(\\\"http://x\\\")\"\n",
        )
        .replace("id = \"b\"\n", "id = \"b\"\nprovider = \"-cmd\"\n");
    let file = write(dir.path(), "s.toml", &text);
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    // Terminal: validate names the scenario with its controls escaped.
    let v = run(&["validate", f]);
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stderr)
    );
    let said = String::from_utf8_lossy(&v.stdout);
    assert!(said.contains("evil\\u{1b}[31m"), "{said}");
    assert!(!said.contains('\u{1b}') && !said.contains('\u{7}') && !said.contains('\u{0}'));
    // An error whose place holds a newline stays on one line naming the file.
    let bad = write(
        dir.path(),
        "bad.toml",
        &scenario(&own("2", EXP3), "").replace("id = \"single\"", "id = \"x\\ny\u{1b}\""),
    );
    let e = run(&["validate", bad.to_str().unwrap()]);
    assert_eq!(e.status.code(), Some(2));
    for line in String::from_utf8_lossy(&e.stderr).lines() {
        assert!(
            line.starts_with("error: ") && line.contains("bad.toml"),
            "{line}"
        );
        assert!(!line.contains('\u{1b}'));
    }
    // SVG charts parse as XML.
    ok(&["run", f, "--trials", "200", "--out", o, "-q"]);
    ok(&["analyze", f, "--trials", "200", "--out", o, "-q"]);
    let mut svgs = 0;
    for (p, bytes) in snapshot(&out) {
        if p.extension().is_some_and(|e| e == "svg") {
            let text = String::from_utf8(bytes).unwrap();
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            svgs += 1;
        }
    }
    assert!(svgs > 0);
    // DOT: no NUL or other controls.
    let g = run(&["graph", f]);
    assert_eq!(g.status.code(), Some(0));
    assert!(!g
        .stdout
        .iter()
        .any(|&b| b < 0x20 && b != b'\n' && b != b'\t'));
    // CSV: formula-like text cells are neutralised, and read back as written.
    let conc = std::fs::read_to_string(out.join("concentration.csv")).unwrap();
    assert!(
        conc.contains("'=HYPERLINK") && conc.contains(",'-cmd,"),
        "{conc}"
    );
    assert!(!conc.contains(",=HYPERLINK") && !conc.contains("\"=HYPERLINK"));
    ok(&["report", o, "-q"]);
}

/// `fateshare report` on a folder whose tables were edited: each number
/// that is not finite or outside its domain is refused with the file, line
/// and column, and the folder is left as it was.
#[test]
fn read_back_refuses_numbers_outside_their_domain() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    let scen = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/portfolio-cloud-book.toml"
    );
    ok(&["run", scen, "--trials", "64", "--out", o, "-q", "--events"]);
    // (file, line, column, value, what the message says)
    let cases = [
        (
            "trials.csv",
            2,
            3,
            "inf",
            "line 2, column 3 (downtime_hours)",
        ),
        ("trials.csv", 3, 6, "-5", "line 3, column 6 (loss)"),
        ("trials.csv", 2, 6, "NaN", "line 2, column 6 (loss)"),
        (
            "outages.csv",
            2,
            4,
            "1e999",
            "line 2, column 4 (duration_hours)",
        ),
        (
            "policy_trials.csv",
            2,
            3,
            "NaN",
            "line 2, column 3 (payout)",
        ),
        ("outage_lengths.csv", 2, 2, "-1", "line 2, column 2 (hours)"),
        ("outage_lengths.csv", 2, 3, "x", "line 2, column 3 (count)"),
    ];
    for (file, line, column, value, says) in cases {
        let path = out.join(file);
        let original = std::fs::read_to_string(&path).unwrap();
        let edited: Vec<String> = original
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i + 1 == line {
                    let mut cells: Vec<&str> = l.split(',').collect();
                    cells[column - 1] = value;
                    cells.join(",")
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&path, edited.join("\n") + "\n").unwrap();
        let before = snapshot(&out);
        let r = run(&["report", o, "-q"]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.contains(file) && err.contains(says),
            "{file} should say {says:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(
            snapshot(&out),
            before,
            "{file}: the folder must be left as it was"
        );
        std::fs::write(&path, original).unwrap();
    }
    ok(&["report", o, "-q"]);
}
