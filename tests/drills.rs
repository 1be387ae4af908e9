//! Drills: a forced cause that hits both branches of a redundancy takes it
//! down for exactly the forced hours; a drill of an unused cause changes
//! nothing, trial by trial; forced events inside sampled worlds match closed
//! forms; `[[drill]]` entries and drill flags are validated (exit 2).

use crate::common;

use common::{assert_close, H_YEAR};
use fateshare::drill;
use fateshare::engine::{self, RunOptions};
use fateshare::model::{Drill, Settings};
use fateshare::stats::Moments;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REDUNDANT: &str = r#"name = "redundant"
[[component]]
id = "a"
outages = { per_year = 5, duration = { dist = "exponential", mean_hours = 3 } }
[[component]]
id = "b"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 2 } }
[[component]]
id = "c"
outages = { per_year = 3, duration = { dist = "exponential", mean_hours = 4 } }
[[component]]
id = "lonely"
outages = { per_year = 10, duration = { dist = "exponential", mean_hours = 5 } }
[[component]]
id = "any-ab"
needs = ["a", "b"]
mode = "any"
[[component]]
id = "failover-ab"
needs = ["a", "b"]
mode = "failover"
switch_minutes = 7
[[component]]
id = "two-of-abc"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 2
[[cause]]
id = "both"
per_year = 0.5
duration = { dist = "lognormal", median_hours = 2, p95_hours = 9 }
hits = { a = 1.0, b = 0.3 }
[[cause]]
id = "unused"
per_year = 2
duration = { dist = "fixed", hours = 40 }
hits = { lonely = 1.0 }
[[cause]]
id = "never"
per_year = 1
duration = { dist = "fixed", hours = 1 }
hits = { a = 0.0 }
[[architecture]]
id = "any"
serves = "any-ab"
loss = { per_hour = 100, per_outage = 7 }
[[architecture]]
id = "failover"
serves = "failover-ab"
[[architecture]]
id = "quorum"
serves = "two-of-abc"
[[architecture]]
id = "a-only"
serves = "a"
"#;

fn drill_of(causes: &[&str], hours: f64, at: f64) -> Drill {
    Drill {
        id: causes.join("+"),
        description: None,
        causes: causes.iter().map(|s| s.to_string()).collect(),
        hours,
        at_hours: Some(at),
        source: None,
        severity: 1.0,
    }
}

fn settings(trials: u64, horizon: f64) -> Settings {
    Settings {
        horizon_hours: horizon,
        trials,
        seed: 11,
    }
}

#[test]
fn a_cause_hitting_both_branches_takes_every_redundancy_down_for_exactly_the_forced_hours() {
    let m = common::model(REDUNDANT);
    // Exactly representable start and end, so that "exactly" can mean ==.
    let (at, h) = (96.0, 7.25);
    // The cause hits b with probability 0.3 only; a forced cause hits every target with p > 0.
    let forced = drill::forced_events(&m, &drill_of(&["both"], h, at));
    let effects = drill::deterministic(&m, &forced);
    for (arch, e) in m.architectures.iter().zip(&effects) {
        assert!(e.went_down, "{}", arch.id);
        assert_eq!(e.downtime_hours, h, "{}", arch.id);
        assert_eq!(e.outages, 1);
        assert_eq!(e.longest_outage_hours, h);
    }
    assert_eq!(effects[0].loss, Some(7.0 + 100.0 * h));
    assert_eq!(effects[1].loss, None);
    assert_eq!(drill::path_text(&m, &effects[0].path), "a + b > any-ab");
    assert_eq!(drill::path_text(&m, &effects[2].path), "a + b > two-of-abc");
    assert_eq!(drill::path_text(&m, &effects[3].path), "a");

    // Inside sampled worlds: every trial is down for the whole window, exactly.
    let s = settings(2000, 500.0);
    let c = drill::conditional(&m, &s, &RunOptions::default(), &forced);
    assert_eq!(c.window, (at, at + h));
    for a in 0..m.architectures.len() {
        assert!(c.during_of(a).all(|d| d == h), "{}", m.architectures[a].id);
        assert!(c.simulation.of(a).all(|o| o.downtime_hours >= h));
    }
    let sum = c.summarize(&m);
    assert!(sum
        .iter()
        .all(|x| x.p_down_during == 1.0 && x.down_during_mean == h));
}

#[test]
fn one_branch_forced_is_absorbed_by_the_redundancy() {
    let m = common::model(REDUNDANT);
    let effects = drill::deterministic(&m, &drill::forced_events(&m, &drill_of(&["a"], 5.0, 0.0)));
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&c| m.components[c].id.clone())
            .collect::<Vec<_>>()
    };
    assert!(!effects[0].went_down);
    assert_eq!(ids(&effects[0].absorbed), ["a"]);
    assert_eq!(effects[0].loss, Some(0.0));
    // Failover: down for the switch time only (7 minutes), then on b.
    assert!(effects[1].went_down);
    assert!((effects[1].downtime_hours - 7.0 / 60.0).abs() < 1e-12);
    assert_eq!(drill::path_text(&m, &effects[1].path), "a > failover-ab");
    assert!(!effects[2].went_down);
    assert!(effects[3].went_down && effects[3].downtime_hours == 5.0);
}

#[test]
fn a_drill_of_an_unused_cause_changes_nothing() {
    let m = common::model(REDUNDANT);
    let s = settings(3000, H_YEAR);
    let options = RunOptions::default();
    let run = engine::simulate(&m, &s, &options);
    for causes in [&["unused"][..], &["lonely"], &["never"]] {
        let forced = drill::forced_events(&m, &drill_of(causes, 300.0, 10.0));
        let effects = drill::deterministic(&m, &forced);
        assert!(
            effects
                .iter()
                .all(|e| !e.went_down && e.downtime_hours == 0.0),
            "{causes:?}"
        );
        assert!(effects
            .iter()
            .all(|e| e.path.is_empty() && e.absorbed.is_empty()));
        let c = drill::conditional(&m, &s, &options, &forced);
        assert_eq!(
            c.simulation.outcomes, run.outcomes,
            "{causes:?}: trial rows changed"
        );
    }
    // The check can fail: a used cause does change the rows.
    let forced = drill::forced_events(&m, &drill_of(&["c"], 300.0, 10.0));
    let c = drill::conditional(&m, &s, &options, &forced);
    assert_ne!(c.simulation.outcomes, run.outcomes);
}

/// A component with own outages (rate λ per hour, mean m), forced down for
/// H hours at time 0 inside a period of T hours:
/// E[down time] = H + (T − H) · u with u = 1 − exp(−λ m) (stationarity).
/// For the pair `any(a, b)` with a forced: down during the window exactly when
/// b is, so E[down in window] = H · u_b, and P(down at some time in the window)
/// = 1 − exp(−λ_b (m_b + H)) (no event of b in progress at 0 nor arriving in
/// the window); outside the window both must be down: (T − H) · u_a · u_b.
#[test]
fn conditional_drill_matches_closed_forms() {
    let text = r#"name = "closed"
[[component]]
id = "a"
outages = { per_year = 30, duration = { dist = "exponential", mean_hours = 8 } }
[[component]]
id = "b"
outages = { per_year = 50, duration = { dist = "exponential", mean_hours = 10 } }
[[component]]
id = "ab"
needs = ["a", "b"]
mode = "any"
[[architecture]]
id = "a"
serves = "a"
[[architecture]]
id = "pair"
serves = "ab"
"#;
    let m = common::model(text);
    let (t, h) = (2000.0, 50.0);
    let s = settings(40_000, t);
    let forced = drill::forced_events(&m, &drill_of(&["a"], h, 0.0));
    let c = drill::conditional(&m, &s, &RunOptions::default(), &forced);
    let (la, ma, lb, mb) = (30.0 / H_YEAR, 8.0, 50.0 / H_YEAR, 10.0);
    let (ua, ub) = (1.0 - (-la * ma).exp(), 1.0 - (-lb * mb).exp());

    let down_a = Moments::of(c.simulation.of(0).map(|o| o.downtime_hours));
    assert_close("E[down a | drill]", &down_a, h + (t - h) * ua, 0.0);

    let during = Moments::of(c.during_of(1));
    assert_close("E[pair down in window]", &during, h * ub, 0.0);
    let hit = Moments::of(c.during_of(1).map(|d| f64::from(u8::from(d > 0.0))));
    assert_close(
        "P(pair down in window)",
        &hit,
        1.0 - (-lb * (mb + h)).exp(),
        0.0,
    );
    let down_pair = Moments::of(c.simulation.of(1).map(|o| o.downtime_hours));
    assert_close(
        "E[pair down | drill]",
        &down_pair,
        h * ub + (t - h) * ua * ub,
        0.0,
    );
    let sum = c.summarize(&m);
    assert!((sum[1].p_down_during - hit.mean).abs() < 1e-12);
    assert_eq!(sum[1].down_during_mean, during.mean);
}

// ---------------------------------------------------------------------------
// [[drill]] entries and the binary
// ---------------------------------------------------------------------------

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fateshare"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const DRILLS: &str = r#"
[[drill]]
id = "both-2h"
description = "the shared cause, two hours"
causes = ["both"]
hours = 2
source = "made up for the test"
[[drill]]
id = "a-and-c"
causes = ["a", "c"]
hours = 1.5
at_hours = 30
"#;

#[test]
fn scenario_drills_replay_as_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "d.toml", &format!("{REDUNDANT}{DRILLS}"));
    let out = dir.path().join("out");
    let o = bin(&[
        "drill",
        file.to_str().unwrap(),
        "--all",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let csv = std::fs::read_to_string(out.join("drills.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0]
        .starts_with("drill,forced,hours,at_hours,architecture,went_down,outages,downtime_hours,"));
    assert_eq!(rows.len(), 1 + 2 * 4);
    assert!(
        rows[1].starts_with("both-2h,both,2,0,any,true,1,2,2,207,a + b > any-ab,,"),
        "{}",
        rows[1]
    );
    assert!(rows[1].ends_with(",made up for the test"), "{}", rows[1]);
    // a and c down: any(a, b) holds on b; 2-of-3 falls.
    assert!(
        rows[5].starts_with("a-and-c,a+c,1.5,30,any,false,0,0,0,0,,a,"),
        "{}",
        rows[5]
    );
    assert!(
        rows[7].starts_with("a-and-c,a+c,1.5,30,quorum,true,1,1.5,1.5,,a + c > two-of-abc,,"),
        "{}",
        rows[7]
    );

    // With --trials: the same table plus the conditional columns, identical on 1 and 2 threads.
    let mut tables = Vec::new();
    for threads in ["1", "2"] {
        let o = bin(&[
            "drill",
            file.to_str().unwrap(),
            "--drill",
            "a-and-c",
            "--trials",
            "600",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        tables.push(std::fs::read_to_string(out.join("drills.csv")).unwrap());
    }
    assert_eq!(tables[0], tables[1]);
    let row = tables[0].lines().nth(3).unwrap();
    assert!(
        row.starts_with("a-and-c,a+c,1.5,30,quorum,true,1,1.5,1.5,,a + c > two-of-abc,,600,1,1.5,"),
        "{row}"
    );
}

#[test]
fn bundled_scenarios_replay_their_drills() {
    for (scenario, drills) in [
        ("scenarios/web-app.toml", 6),
        ("scenarios/eth-rpc.toml", 5),
        ("scenarios/ai-vendor.toml", 5),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = bin(&[
            "drill",
            scenario,
            "--all",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{scenario}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let csv = std::fs::read_to_string(out.join("drills.csv")).unwrap();
        let m = fateshare::scenario::load(Path::new(scenario)).unwrap().1;
        assert_eq!(m.drills.len(), drills, "{scenario}");
        assert_eq!(
            csv.lines().count(),
            1 + drills * m.architectures.len(),
            "{scenario}"
        );
        assert!(
            m.drills.iter().all(|d| d.source.is_some()),
            "{scenario}: cite the calibration row"
        );
    }
}

/// Bad drills in a file, and bad drill flags: exit 2, one line per problem
/// naming the file, place and fix, and nothing written.
#[test]
fn bad_drills_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let bad_files: &[(&str, &[&str])] = &[
        ("[[drill]]\nid = \"x\"\ncauses = [\"bothh\"]\nhours = 1\n", &["drill \"x\": causes names unknown cause or component \"bothh\"; did you mean \"both\"?"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"zzzzzz\"]\nhours = 1\n", &["name a [[cause]] or [[component]] id"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\"]\nhours = 0\n", &["drill \"x\": hours is 0; it must be greater than 0"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\"]\nhours = 1\nat_hours = -3\n", &["at_hours is -3; it must be 0 or more"]),
        ("[[drill]]\nid = \"x\"\ncauses = []\nhours = 1\n", &["causes is empty"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\", \"a\"]\nhours = 1\n", &["lists \"a\" twice"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\"]\nhours = 1\n[[drill]]\nid = \"x\"\ncauses = [\"b\"]\nhours = 1\n", &["already used by another drill"]),
        ("[[drill]]\nid = \"X\"\ncauses = [\"a\"]\nhours = 1\n", &["id must match"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\"]\nhour = 1\n", &["unknown field `hour`"]),
        ("[[drill]]\nid = \"x\"\ncauses = [\"a\"]\n", &["missing field `hours`"]),
    ];
    for (extra, expected) in bad_files {
        let file = write(dir.path(), "bad.toml", &format!("{REDUNDANT}{extra}"));
        for cmd in ["validate", "drill"] {
            let mut args = vec![cmd, file.to_str().unwrap()];
            if cmd == "drill" {
                args.extend(["--all", "--out", out.to_str().unwrap()]);
            }
            let o = bin(&args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{extra}: {err}");
            assert!(err.contains("bad.toml"), "{err}");
            for e in *expected {
                assert!(err.contains(e), "expected {e:?} in {err}");
            }
            assert!(!err.contains("panicked"));
        }
    }
    let file = write(dir.path(), "good.toml", &format!("{REDUNDANT}{DRILLS}"));
    let f = file.to_str().unwrap();
    let no_drills = write(dir.path(), "plain.toml", REDUNDANT);
    let bad_flags: &[(&[&str], &str)] = &[
        (
            &["drill", f, "--drill", "both-2"],
            "--drill names unknown drill \"both-2\"; did you mean \"both-2h\"?",
        ),
        (
            &["drill", f, "--drill", "nothing-like-it"],
            "the scenario's drills are both-2h, a-and-c",
        ),
        (
            &["drill", f, "--cause", "bot", "--hours", "2"],
            "good.toml: --cause names unknown cause or component \"bot\"; did you mean \"both\"?",
        ),
        (
            &["drill", f, "--cause", "both", "--hours", "-2"],
            "--hours is -2; it must be greater than 0",
        ),
        (
            &["drill", f, "--cause", "both", "--hours", "nan"],
            "--hours is NaN; give a finite number",
        ),
        (
            &["drill", f, "--cause", "both", "--hours", "1", "--at", "-1"],
            "--at is -1; it must be 0 or more",
        ),
        (&["drill", f, "--cause", "both"], "--cause needs --hours H"),
        (
            &["drill", f, "--hours", "3"],
            "--hours and --at go with --cause",
        ),
        (
            &["drill", f, "--all", "--cause", "a", "--hours", "1"],
            "give it alone",
        ),
        (&["drill", f], "say what to drill"),
        (
            &["drill", no_drills.to_str().unwrap(), "--all"],
            "the scenario has no [[drill]]",
        ),
        (
            &[
                "drill", f, "--cause", "a", "--hours", "1", "--at", "9000", "--trials", "10",
            ],
            "outside the simulated period [0, 8760) h",
        ),
        (
            &["drill", f, "--cause", "a", "--hours", "1", "--seed", "3"],
            "--seed goes with --trials",
        ),
    ];
    for (args, expected) in bad_flags {
        let mut args = args.to_vec();
        args.extend(["--out", out.to_str().unwrap()]);
        let o = bin(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in {err}"
        );
        assert!(!err.contains("panicked"));
    }
    // Several problems: one line each, each naming the file.
    let o = bin(&[
        "drill",
        f,
        "--cause",
        "bot",
        "--cause",
        "cc",
        "--hours",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(
        err.lines()
            .all(|l| l.starts_with("error: ") && l.contains("good.toml: ")),
        "{err}"
    );
    assert!(!out.join("drills.csv").exists(), "nothing may be written");
}
