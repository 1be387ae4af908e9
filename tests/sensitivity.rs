//! Sweeps and the tornado table: every point reproduces a single run of the
//! changed file exactly (same seed and trials), scaling by 1 changes nothing,
//! swings match closed forms, and bad `--set` flags exit 2 writing nothing.

use crate::common;

use common::{assert_close, u_source, H_YEAR, Z};
use fateshare::engine::RunOptions;
use fateshare::model::SourceKind;
use fateshare::scenario::set::{self, SetSpec};
use fateshare::sensitivity::{self, Overrides, Parameter};
use fateshare::stats::{self, Moments};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scenario with every kind of number a path can reach; `{RATE}`, `{MEAN}`
/// and `{MEDIAN}`/`{P95}` are filled in by the tests.
const TEMPLATE: &str = r#"name = "sweepable"
[simulation]
trials = 3000
seed = 7
[[component]]
id = "a"
outages = { per_year = 6, duration = { dist = "exponential", mean_hours = {MEAN} } }
[[component]]
id = "b"
outages = { per_year = 4.0, duration = { dist = "weibull", shape = 0.8, scale_hours = 2 } }
[[component]]
id = "c"
outages = { per_year = 3, duration = { dist = "empirical", hours = [1, 2.5, 6] } }
[[component]]
id = "ab"
needs = ["a", "b"]
mode = "failover"
switch_minutes = 5
[[component]]
id = "q"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 2
[[cause]]
id = "shared"
per_year = {RATE}
duration = { dist = "lognormal", median_hours = {MEDIAN}, p95_hours = {P95} }
hits = { a = 1.0, b = 0.6 }
[[cause]]
id = "elsewhere"
per_year = 2
duration = { dist = "uniform", min_hours = 1, max_hours = 3 }
hits = { c = 1.0 }
[[architecture]]
id = "pair"
serves = "ab"
loss = { per_hour = 1000, per_outage = 50, grace_minutes = 1 }
[[architecture]]
id = "two-of-three"
serves = "q"
loss = { per_hour = 1000 }
[[architecture]]
id = "b-only"
serves = "b"
"#;

fn scenario(rate: &str, mean: &str, median: &str, p95: &str) -> String {
    TEMPLATE
        .replace("{RATE}", rate)
        .replace("{MEAN}", mean)
        .replace("{MEDIAN}", median)
        .replace("{P95}", p95)
}

fn base() -> String {
    scenario("0.8", "1.5", "2", "8")
}

fn summaries(text: &str) -> Vec<stats::ArchSummary> {
    let m = common::model(text);
    let sim = fateshare::engine::simulate(&m, &m.settings, &RunOptions::default());
    stats::summarize(&m, &sim)
}

#[test]
fn sweep_points_reproduce_single_runs_exactly() {
    let doc = set::document(&base(), "t.toml").unwrap();
    let specs = vec![
        set::parse_spec("cause.shared.per_year=0.2,3").unwrap(),
        set::parse_spec("component.a.outages.duration.mean_hours=0.5:2.5:3").unwrap(),
    ];
    let points = sensitivity::points(&doc, "t.toml", &specs).unwrap();
    assert_eq!(points.len(), 6);
    let results = sensitivity::sweep(&points, Overrides::default(), &RunOptions::default());
    let expected = [
        ("0.2", "0.5"),
        ("0.2", "1.5"),
        ("0.2", "2.5"),
        ("3", "0.5"),
        ("3", "1.5"),
        ("3", "2.5"),
    ];
    for (r, (rate, mean)) in results.iter().zip(expected) {
        let values: Vec<String> = r.changes.iter().map(|a| a.value.to_string()).collect();
        assert_eq!(values, [rate, mean]);
        let single = summaries(&scenario(rate, mean, "2", "8"));
        assert_eq!(r.summaries, single, "point {values:?}");
    }
    // The points differ (the test can fail): the shared cause moves the pair.
    assert!(
        results[0].summaries[0].downtime_hours_mean < results[3].summaries[0].downtime_hours_mean
    );
}

#[test]
fn setting_a_value_to_what_the_file_says_changes_nothing() {
    // Integer fields stay integers, integers written as floats read the same.
    let doc = set::document(&base(), "t.toml").unwrap();
    let specs: Vec<SetSpec> = [
        "component.q.quorum=2",
        "component.a.outages.per_year=6",
        "component.c.outages.per_year=3",
        "component.ab.switch_minutes=5",
        "cause.shared.hits.b=0.6",
        "simulation.trials=3000",
    ]
    .iter()
    .map(|s| set::parse_spec(s).unwrap())
    .collect();
    let points = sensitivity::points(&doc, "t.toml", &specs).unwrap();
    let r = sensitivity::sweep(&points, Overrides::default(), &RunOptions::default());
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].summaries, summaries(&base()));
}

#[test]
fn tornado_at_factor_one_is_the_base_run_everywhere() {
    let doc = set::document(&base(), "t.toml").unwrap();
    let t = sensitivity::tornado(
        &doc,
        "t.toml",
        1.0,
        Overrides::default(),
        &RunOptions::default(),
    )
    .unwrap();
    let base = summaries(&base());
    assert_eq!(t.base, base);
    // (5 sources x 2 parameters + 3 hits + 1 switch time) x 3 architectures.
    assert_eq!(t.bars.len(), 42);
    for b in &t.bars {
        assert_eq!(b.low, b.base, "{b:?}");
        assert_eq!(b.high, b.base, "{b:?}");
        assert_eq!(b.downtime_swing, 0.0);
    }
}

#[test]
fn tornado_points_are_runs_of_the_scaled_file() {
    let doc = set::document(&base(), "t.toml").unwrap();
    let t = sensitivity::tornado(
        &doc,
        "t.toml",
        2.0,
        Overrides::default(),
        &RunOptions::default(),
    )
    .unwrap();
    let bar = |source: &str, p: Parameter| {
        t.bars
            .iter()
            .find(|b| b.architecture == "pair" && b.source == source && b.parameter == p)
            .unwrap()
    };
    let figures = |text: &str| sensitivity::Figures::of(&summaries(text)[0]);
    // Scaling a lognormal's duration scales its median and p95.
    let d = bar("shared", Parameter::Duration);
    assert_eq!(d.low, figures(&scenario("0.8", "1.5", "1", "4")));
    assert_eq!(d.high, figures(&scenario("0.8", "1.5", "4", "16")));
    let r = bar("shared", Parameter::Rate);
    assert_eq!(r.low, figures(&scenario("0.4", "1.5", "2", "8")));
    assert_eq!(r.high, figures(&scenario("1.6", "1.5", "2", "8")));
    assert_eq!(
        bar("a", Parameter::Duration).high,
        figures(&scenario("0.8", "3", "2", "8"))
    );
    // Scaling an empirical list scales every observation (c: [1, 2.5, 6] x2).
    let c = t
        .bars
        .iter()
        .find(|b| {
            b.architecture == "two-of-three"
                && b.source == "c"
                && b.parameter == Parameter::Duration
        })
        .unwrap();
    let c_high = base().replace("hours = [1, 2.5, 6]", "hours = [2, 5, 12]");
    assert_eq!(c.high, sensitivity::Figures::of(&summaries(&c_high)[1]));
    // Every architecture's bars are ranked by loss swing, largest first.
    for arch in ["pair", "two-of-three"] {
        let swings: Vec<f64> = t
            .bars
            .iter()
            .filter(|b| b.architecture == arch)
            .map(|b| b.loss_swing.unwrap())
            .collect();
        assert!(
            swings.windows(2).all(|w| w[0] >= w[1]),
            "{arch}: {swings:?}"
        );
    }
    let ranks: Vec<usize> = t
        .bars
        .iter()
        .filter(|b| b.architecture == "b-only")
        .map(|b| b.downtime_rank)
        .collect();
    assert_eq!(ranks, (1..=14).collect::<Vec<_>>());
    // A hit probability (0.6, capped at 1 when doubled) and the failover's
    // switch time (5 min) are bars too, each a run of the changed file.
    let hit = bar("shared → b", Parameter::Hit);
    assert_eq!(hit.low, figures(&base().replace("b = 0.6", "b = 0.3")));
    assert_eq!(hit.high, figures(&base().replace("b = 0.6", "b = 1.0")));
    let switch = bar("ab", Parameter::Switch);
    assert_eq!(
        switch.high,
        figures(&base().replace("switch_minutes = 5", "switch_minutes = 10"))
    );
    assert!(switch.downtime_swing > 0.0);
    assert!(t
        .bars
        .iter()
        .filter(|b| b.architecture == "b-only")
        .all(|b| b.loss_rank.is_none()));
}

/// Each source draws from its own random stream, so changing one source's
/// numbers leaves every other source's events as they were: architectures
/// that cannot see the source keep every trial row, and their tornado bars
/// for it are exactly zero (not sampling noise).
#[test]
fn sources_an_architecture_cannot_see_change_nothing_trial_by_trial() {
    let settings = fateshare::model::Settings {
        horizon_hours: H_YEAR,
        trials: 4000,
        seed: 5,
    };
    let run = |text: &str| {
        let m = common::model(text);
        fateshare::engine::simulate(&m, &settings, &RunOptions::default())
    };
    let base_sim = run(&base());
    // "elsewhere" hits only c; b-only (serves b) and pair (a, b) cannot see it.
    let changed = base().replace(
        "per_year = 2\nduration = { dist = \"uniform\"",
        "per_year = 7.5\nduration = { dist = \"uniform\"",
    );
    assert_ne!(changed, base());
    // Streams are keyed by source id, not position: a new component with its
    // own outages declared first, and a new cause on c, change nothing either.
    let added = base().replacen(
        "[[component]]",
        "[[component]]\nid = \"new\"\noutages = { per_year = 9, duration = { dist = \"fixed\", hours = 3 } }\n[[component]]",
        1,
    ) + "[[cause]]\nid = \"new-cause\"\nper_year = 5\nduration = { dist = \"fixed\", hours = 9 }\nhits = { c = 1.0, new = 1.0 }\n";
    for variant in [changed, added] {
        let changed_sim = run(&variant);
        for a in [0, 2] {
            let before: Vec<_> = base_sim.of(a).collect();
            let after: Vec<_> = changed_sim.of(a).collect();
            assert!(before == after, "architecture {a} changed");
        }
        // The architecture that sees it does change (the test can fail).
        assert!(base_sim.of(1).collect::<Vec<_>>() != changed_sim.of(1).collect::<Vec<_>>());
    }

    let doc = set::document(&base(), "t.toml").unwrap();
    let t = sensitivity::tornado(
        &doc,
        "t.toml",
        2.0,
        Overrides {
            trials: Some(2000),
            seed: None,
        },
        &RunOptions::default(),
    )
    .unwrap();
    let unseen = [
        ("pair", "c"),
        ("pair", "elsewhere"),
        ("b-only", "a"),
        ("b-only", "c"),
        ("b-only", "elsewhere"),
    ];
    for b in &t.bars {
        if unseen.contains(&(b.architecture.as_str(), b.source.as_str())) {
            assert_eq!((b.low, b.high), (b.base, b.base), "{b:?}");
            assert_eq!(b.downtime_swing, 0.0);
        } else if b.source == "shared" {
            assert!(b.downtime_swing > 0.0, "{b:?}");
        }
    }
}

/// One component with own outages: its long-run down time is
/// horizon · (1 − exp(−λ·E[D])), so scaling the rate or the mean by f gives
/// horizon · (1 − exp(−f·λ·E[D])) at both ends of the bar.
#[test]
fn tornado_swing_matches_the_closed_form() {
    let text = r#"name = "one"
[simulation]
trials = 20000
horizon_hours = 8760
[[component]]
id = "x"
outages = { per_year = 20, duration = { dist = "exponential", mean_hours = 6 } }
[[architecture]]
id = "x"
serves = "x"
"#;
    let doc = set::document(text, "one.toml").unwrap();
    let t = sensitivity::tornado(
        &doc,
        "one.toml",
        2.0,
        Overrides::default(),
        &RunOptions::default(),
    )
    .unwrap();
    assert_eq!(t.bars.len(), 2);
    for b in &t.bars {
        for (fig, f) in [(b.low, 0.5), (b.base, 1.0), (b.high, 2.0)] {
            let exact = H_YEAR * u_source(20.0 * f, 6.0);
            let m = Moments {
                n: 20000,
                mean: fig.downtime_hours,
                sd: fig.downtime_se * (20000f64).sqrt(),
            };
            assert_close(&format!("{} x{f}", b.parameter.name()), &m, exact, 0.0);
        }
        let swing = H_YEAR * (u_source(40.0, 6.0) - u_source(10.0, 6.0));
        let se = (b.low.downtime_se.powi(2) + b.high.downtime_se.powi(2)).sqrt();
        assert!(
            (b.downtime_swing - swing).abs() <= Z * se,
            "{b:?} vs {swing}"
        );
    }
}

#[test]
fn tornado_scales_every_time_parameter_of_each_distribution() {
    // Means scale with the factor for every distribution (checked on the model).
    let doc = set::document(&base(), "t.toml").unwrap();
    let (_, m0) = set::compile(&doc, "t").unwrap();
    for (kind, id) in [
        (SourceKind::Own, "a"),
        (SourceKind::Own, "b"),
        (SourceKind::Own, "c"),
        (SourceKind::Cause, "shared"),
        (SourceKind::Cause, "elsewhere"),
    ] {
        for f in [0.5, 2.0] {
            let scaled = sensitivity::scaled(&doc, kind, id, Parameter::Duration, f).unwrap();
            let (_, m) = set::compile(&scaled, "t").unwrap();
            let s = m.source_index(id).unwrap();
            let (mean, mean0) = (m.sources[s].duration.mean(), m0.sources[s].duration.mean());
            assert!(
                (mean - f * mean0).abs() <= 1e-12 * mean0,
                "{id} x{f}: {mean} vs {mean0}"
            );
            assert_eq!(m.sources[s].per_year, m0.sources[s].per_year);
        }
    }
}

// ---------------------------------------------------------------------------
// The binary
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

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn sweep_csv_rows_are_byte_identical_to_run_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &base());
    let out = dir.path().join("sweep");
    let f = file.to_str().unwrap();
    let mut sweeps = Vec::new();
    for threads in ["1", "2"] {
        ok(&bin(&[
            "sweep",
            f,
            "--set",
            "cause.shared.duration.p95_hours=5:11:3",
            "--trials",
            "2000",
            "--seed",
            "3",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]));
        sweeps.push(std::fs::read_to_string(out.join("sweep.csv")).unwrap());
    }
    assert_eq!(sweeps[0], sweeps[1], "sweep.csv depends on --threads");
    let sweep = &sweeps[0];
    let mut lines = sweep.lines();
    let header = lines.next().unwrap();
    assert!(
        header
            .starts_with("point,cause.shared.duration.p95_hours,architecture,trials,availability,"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3 * 3);
    for (i, p95) in ["5", "8", "11"].iter().enumerate() {
        let changed = write(
            dir.path(),
            &format!("p{i}.toml"),
            &scenario("0.8", "1.5", "2", p95),
        );
        let run_out = dir.path().join(format!("run{i}"));
        ok(&bin(&[
            "run",
            changed.to_str().unwrap(),
            "--trials",
            "2000",
            "--seed",
            "3",
            "--quiet",
            "--out",
            run_out.to_str().unwrap(),
        ]));
        let summary = std::fs::read_to_string(run_out.join("summary.csv")).unwrap();
        for (a, line) in summary.lines().skip(1).enumerate() {
            assert_eq!(rows[i * 3 + a], format!("{i},{p95},{line}"));
        }
    }
}

#[test]
fn tornado_writes_a_ranked_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &base());
    let out = dir.path().join("t");
    let o = bin(&[
        "tornado",
        file.to_str().unwrap(),
        "--trials",
        "500",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("pair: base") && stdout.contains("b-only: base"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("tornado.csv")).unwrap();
    assert!(csv.starts_with("architecture,source,source_kind,parameter,low_factor,high_factor,base_downtime_hours,low_downtime_hours,high_downtime_hours,downtime_swing_hours,"));
    assert_eq!(csv.lines().count(), 1 + 42);
    assert!(csv.lines().nth(1).unwrap().starts_with("pair,"));
}

/// Bad `--set` flags and values: exit 2, a message naming the place and the
/// fix, and no output file.
#[test]
fn bad_sets_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &base());
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--set", "cause.shard.per_year=1"],
            &[
                "s.toml",
                "--set cause.shard.per_year",
                "did you mean \"shared\"",
            ],
        ),
        (
            &["--set", "cuase.shared.per_year=1"],
            &["not a path to a number"],
        ),
        (
            &["--set", "component.a.outages.per_yaer=1"],
            &[
                "s.toml (with --set component.a.outages.per_yaer=1)",
                "unknown field `per_yaer`",
            ],
        ),
        (
            &["--set", "component.q.needs=1"],
            &["needs is an array, not a number"],
        ),
        (
            &["--set", "cause.shared.per_year=-1,1"],
            &[
                "s.toml (with --set cause.shared.per_year=-1)",
                "cause \"shared\": per_year is -1; it must be 0 or more",
            ],
        ),
        (
            &["--set", "cause.shared.hits.b=1.5"],
            &["hit probability for \"b\" is 1.5"],
        ),
        (
            &["--set", "cause.shared.hits.z=0.5"],
            &["hits names unknown component \"z\""],
        ),
        (
            &["--set", "component.q.quorum=2.5"],
            &["quorum takes a whole number"],
        ),
        (
            &["--set", "component.q.quorum=4"],
            &["quorum = 4 is outside 1..=3"],
        ),
        (
            &["--set", "cause.shared.median_hours=1"],
            &["unknown field `median_hours`"],
        ),
        (
            &["--set", "cause.shared.duration.median_hours=9"],
            &["p95_hours (8) must be above median_hours (9)"],
        ),
        (
            &["--set", "simulation.horizon_hours=0"],
            &["horizon_hours is 0; it must be greater than 0"],
        ),
        (
            &["--set", "cause.shared.per_year=lots"],
            &["\"lots\" is not a number"],
        ),
        (
            &["--set", "cause.shared.per_year=0:1:1"],
            &["at least 2 points"],
        ),
        (&["--set", "cause.shared.per_year"], &["no '='"]),
        (
            &[
                "--set",
                "cause.shared.per_year=1",
                "--set",
                "cause.shared.per_year=2",
            ],
            &["given twice"],
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["sweep", f, "--trials", "10", "--out", out.to_str().unwrap()];
        args.extend_from_slice(flags);
        let o = bin(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flags:?}: {err}");
        for e in *expected {
            assert!(err.contains(e), "{flags:?}: expected {e:?} in: {err}");
        }
        assert_eq!(err.lines().count(), 1, "{flags:?}: one line: {err}");
        assert!(!err.contains("panicked"));
        assert!(!out.join("sweep.csv").exists(), "{flags:?} wrote output");
    }
    let o = bin(&[
        "tornado",
        f,
        "--factor",
        "0.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--factor 0.5: give a number above 1"));
    assert!(!out.join("tornado.csv").exists());
}
