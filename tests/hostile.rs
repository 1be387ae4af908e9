//! Hostile input through the binary: counts that overflow, scenarios that
//! would not fit in memory or time, numbers that break distributions. Each
//! must exit 2 with one `error: <file>: ...` line per problem, never panic,
//! and create no output folder.

mod common;

use common::{assert_rejected, run, write};
use fateshare::model::Settings;
use fateshare::world::{Sampler, World};

/// A small scenario; `{own}` is replaced by component a's outages and
/// `{extra}` appended.
fn scenario(own: &str, extra: &str) -> String {
    format!(
        r#"name = "hostile"
[[component]]
id = "a"
outages = {own}
[[component]]
id = "b"
outages = {{ per_year = 2, duration = {{ dist = "exponential", mean_hours = 3 }} }}
[[component]]
id = "app"
needs = ["a", "b"]
mode = "any"
[[architecture]]
id = "ha"
serves = "app"
loss = {{ per_hour = 100 }}
[[architecture]]
id = "single"
serves = "a"
{extra}"#
    )
}

fn own(per_year: &str, duration: &str) -> String {
    format!("{{ per_year = {per_year}, duration = {{ {duration} }} }}")
}

const EXP3: &str = r#"dist = "exponential", mean_hours = 3"#;

#[test]
fn budgets_refuse_what_cannot_finish() {
    // Outage events per trial: rates, horizon, in-progress outages.
    for (o, extra, says) in [
        (
            own("1e9", EXP3),
            "",
            "1.000e9 outages a year × (8760 h period",
        ),
        (own("1e12", EXP3), "", "expected outage events per trial"),
        (
            own("2", EXP3),
            "[simulation]\nhorizon_hours = 1e15\n",
            "horizon_hours is 1.000e15, over the limit of 1.000e9",
        ),
        (
            own(
                "2",
                r#"dist = "lognormal", median_hours = 1, p95_hours = 1e6"#,
            ),
            "",
            "expected outage events per trial",
        ),
        (
            own("2", EXP3),
            "[simulation]\ntrials = 1000000000000\n",
            "the run's work",
        ),
    ] {
        assert_rejected(&scenario(&o, extra), &[says, "docs/limits.md"]);
    }
    // A loss that overflows f64 is refused before the run.
    let text = scenario(&own("2", EXP3), "").replace("per_hour = 100", "per_hour = 1e308");
    assert_rejected(
        &text,
        &["architecture \"ha\": the loss of one outage", "inf"],
    );
}

#[test]
fn former_panics_are_messages() {
    for (duration, says) in [
        (r#"dist = "fixed", hours = 1e300"#, "events per trial"),
        (
            r#"dist = "exponential", mean_hours = 1.7e308"#,
            "events per trial",
        ),
        (
            r#"dist = "weibull", shape = 0.01, scale_hours = 1"#,
            "events per trial",
        ),
        (
            r#"dist = "weibull", shape = 1e-320, scale_hours = 1"#,
            "1/shape finite",
        ),
        (
            r#"dist = "uniform", min_hours = 0, max_hours = 1e308"#,
            "events per trial",
        ),
        (
            r#"dist = "lognormal", median_hours = 1, p95_hours = 1e30"#,
            "the duration's mean is inf",
        ),
        (
            r#"dist = "lognormal", median_hours = 1e-300, p95_hours = 1e300"#,
            "too large a spread",
        ),
        (
            r#"dist = "lognormal", median_hours = 1e-320, p95_hours = 1"#,
            "too large a spread",
        ),
    ] {
        assert_rejected(&scenario(&own("2", duration), ""), &[says]);
    }
}

/// Runs a command that must refuse its input: exit 2, every line naming the
/// file, no panic, no output folder.
fn refused(args: &[&str], out: &std::path::Path, file: &str, says: &str) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for line in err.lines() {
        assert!(line.starts_with("error: ") && line.contains(file), "{err}");
    }
    assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
    assert!(!out.exists(), "{args:?} created {}", out.display());
}

#[test]
fn overflowing_trial_counts_and_set_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    let huge = "9223372036854775808";
    for cmd in ["run", "analyze", "sweep", "tornado", "drill"] {
        let mut args = vec![cmd, f, "--trials", huge, "--out", o];
        if cmd == "sweep" {
            args.extend(["--set", "component.a.outages.per_year=1,2"]);
        }
        if cmd == "drill" {
            args.extend(["--cause", "a", "--hours", "2"]);
        }
        refused(&args, &out, "s.toml", "run fewer trials");
    }
    refused(
        &[
            "sweep",
            f,
            "--set",
            "simulation.horizon_hours=1e15",
            "--out",
            o,
        ],
        &out,
        "s.toml",
        "over the limit",
    );
    refused(
        &[
            "sweep",
            f,
            "--set",
            "component.a.outages.per_year=1e308",
            "--out",
            o,
        ],
        &out,
        "s.toml",
        "expected outage events per trial",
    );
}

#[test]
fn limits_can_be_raised_and_bad_limits_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // 1.2e6 events in a one-hour trial: over the default 1e6.
    let text = scenario(
        &own("1.05e10", r#"dist = "exponential", mean_hours = 0.01"#),
        "[simulation]\nhorizon_hours = 1\ntrials = 1\n",
    );
    let file = write(dir.path(), "s.toml", &text);
    let f = file.to_str().unwrap();
    let o = run(&["validate", f]);
    assert_eq!(o.status.code(), Some(2));
    let raised = common::bin()
        .args(["validate", f])
        .env("FATESHARE_MAX_EVENTS_PER_TRIAL", "2e6")
        .output()
        .unwrap();
    assert_eq!(
        raised.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
    let bad = common::bin()
        .args(["validate", f])
        .env("FATESHARE_MAX_EVENTS_PER_TRIAL", "lots\u{1b}[31m")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("FATESHARE_MAX_EVENTS_PER_TRIAL") && err.contains("s.toml"));
    assert!(
        !err.contains('\u{1b}'),
        "control characters must be escaped: {err}"
    );
}

/// The budget's figure is the exact expectation of the events a trial
/// samples: Σ rate × (horizon + mean duration) (arrivals plus the
/// Poisson(rate × mean) in progress at the start).
#[test]
fn budgeted_events_per_trial_match_the_sampled_mean() {
    let text = scenario(
        &own("40", r#"dist = "lognormal", median_hours = 20, p95_hours = 200"#),
        "[[cause]]\nid = \"c\"\nper_year = 12\nduration = { dist = \"uniform\", min_hours = 10, max_hours = 500 }\nhits = { a = 1.0, b = 1.0 }\n",
    );
    let model = common::model(&text);
    let h = 500.0;
    let exact = fateshare::budget::events_per_trial(&model, h);
    let sampler = Sampler::new(&model);
    let mut world = World::new(&model);
    let n = 40_000u64;
    let (mut s, mut s2) = (0.0, 0.0);
    for t in 0..n {
        world.sample(&model, &sampler, Settings::default().seed, t, h);
        let k = world.events.len() as f64;
        s += k;
        s2 += k * k;
    }
    let mean = s / n as f64;
    let se = ((s2 / n as f64 - mean * mean) / n as f64).sqrt();
    let tol = common::Z * se;
    assert!(
        (mean - exact).abs() <= tol,
        "sampled {mean} vs {exact} ± {tol}"
    );
    assert!(tol < 0.1 * exact, "tolerance {tol} too loose for {exact}");
}

/// Every file under `dir` with its bytes, sorted.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Names in `dir` other than `keep`.
fn others(dir: &std::path::Path, keep: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep && !n.ends_with(".toml"))
        .collect()
}

fn ok(args: &[&str]) {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_failed_or_killed_run_leaves_the_previous_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    let before = snapshot(&out);
    assert!(before.iter().any(|(p, _)| p.ends_with("trials.csv")));

    // A commit that fails half-way: a folder where a file must go.
    std::fs::remove_file(out.join("summary.json")).unwrap();
    std::fs::create_dir(out.join("summary.json")).unwrap();
    let with_blocker = snapshot(&out);
    let r = run(&["run", f, "--trials", "301", "--out", o, "-q"]);
    assert_ne!(r.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&r.stderr).contains("panicked"));
    assert_eq!(
        snapshot(&out),
        with_blocker,
        "the previous folder must be intact"
    );
    assert!(out.join("summary.json").is_dir());
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new());
    std::fs::remove_dir(out.join("summary.json")).unwrap();

    // What a killed run leaves: a staging folder of a dead process beside
    // the output folder, a temporary file of an older version inside it.
    let stale = dir.path().join(".out.fateshare-new-999999999");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("trials.csv"), "partial").unwrap();
    std::fs::write(out.join(".trials.csv.tmp-999999999"), "partial").unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    assert_eq!(
        others(dir.path(), "out"),
        Vec::<String>::new(),
        "stale staging left"
    );
    let after = snapshot(&out);
    assert!(after
        .iter()
        .all(|(p, _)| !p.to_string_lossy().contains(".tmp-")));
    // The same run again gives the same folder, byte for byte.
    let names =
        |s: &[(std::path::PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&after),
        names(&before)
            .into_iter()
            .filter(|p| !p.ends_with("summary.json"))
            .chain([std::path::PathBuf::from("summary.json")])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_refused_command_creates_nothing_and_an_unwritable_folder_is_found_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("deep/out");
    let o = out.to_str().unwrap();
    refused(
        &["tornado", f, "--factor", "1e308", "--out", o],
        &out,
        "",
        "",
    );
    assert!(!dir.path().join("deep").exists());
    // A file where the output folder should be: refused before simulating.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let r = run(&[
        "run",
        f,
        "--trials",
        "1000000",
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("not a folder"));
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_exits_130_and_leaves_the_previous_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    let before = snapshot(&out);
    // Far more work than can finish before the signal: 5·10^5 events in
    // each of 10^5 trials.
    let busy = write(dir.path(), "busy.toml", &scenario(&own("5e5", EXP3), ""));
    let child = common::bin()
        .args([
            "run",
            busy.to_str().unwrap(),
            "--trials",
            "100000",
            "--out",
            o,
            "-q",
            "--threads",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    // SAFETY: sends SIGINT to the child we started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let r = child.wait_with_output().unwrap();
    assert_eq!(
        r.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new());
}

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

/// An `any` over 50,000 components with one cause hitting every one of them.
fn wide(n: usize) -> String {
    let mut t = String::from("name = \"wide\"\n[simulation]\ntrials = 4\n");
    for i in 0..n {
        t += &format!(
            "[[component]]\nid = \"c{i}\"\noutages = {{ per_year = 0.001, duration = {{ dist = \"fixed\", hours = 1 }} }}\n"
        );
    }
    let ids: Vec<String> = (0..n).map(|i| format!("\"c{i}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"top\"\nmode = \"any\"\nneeds = [{}]\n",
        ids.join(", ")
    );
    let hits: Vec<String> = (0..n).map(|i| format!("c{i} = 1.0")).collect();
    t += &format!(
        "[[cause]]\nid = \"region\"\nper_year = 1\nduration = {{ dist = \"fixed\", hours = 2 }}\nhits = {{ {} }}\n",
        hits.join(", ")
    );
    t += "[[architecture]]\nid = \"all\"\nserves = \"top\"\n";
    t
}

/// `graph` finds the shared fate of a 50,000-way redundancy by walking each
/// branch once (no components × components table), and `analyze`, whose
/// tables grow with components × sources, is refused before any work.
#[test]
fn large_graphs_scale_or_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "wide.toml", &wide(50_000));
    let f = file.to_str().unwrap();
    let g = run(&["graph", f]);
    assert_eq!(
        g.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
    let dot = String::from_utf8_lossy(&g.stdout);
    assert!(dot.contains("c49999"));
    let out = dir.path().join("out");
    refused(
        &["analyze", f, "--out", out.to_str().unwrap()],
        &out,
        "wide.toml",
        "the analysis's reachability tables",
    );
}
