//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod hostile;
pub mod outputs;

use fateshare::engine::{self, RunOptions, Simulation};
use fateshare::model::{Model, Settings};
use fateshare::scenario;
use fateshare::stats::Moments;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// z for test assertions: |simulated − exact| ≤ Z·se (+ a stated bias bound).
/// 4.0 gives a false-alarm rate of 6e-5 per assertion; seeds are fixed anyway.
pub const Z: f64 = 4.0;

pub const H_YEAR: f64 = 8760.0;

/// Parses and validates a scenario held in a string; panics on any problem.
pub fn model(toml: &str) -> Model {
    let file = scenario::parse(toml, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    scenario::validate::compile(&file).unwrap_or_else(|p| {
        panic!(
            "{}",
            scenario::ScenarioError {
                file: "test.toml".into(),
                problems: p
            }
        )
    })
}

pub fn simulate(model: &Model, trials: u64, horizon: f64, seed: u64) -> Simulation {
    let settings = Settings {
        horizon_hours: horizon,
        trials,
        seed,
    };
    engine::simulate(model, &settings, &RunOptions::default())
}

pub fn arch(model: &Model, id: &str) -> usize {
    model
        .architectures
        .iter()
        .position(|a| a.id == id)
        .unwrap_or_else(|| panic!("no architecture {id}"))
}

/// Moments of the per-trial unavailability (downtime / horizon) of an architecture.
pub fn unavailability(model: &Model, sim: &Simulation, id: &str) -> Moments {
    let a = arch(model, id);
    let h = sim.settings.horizon_hours;
    Moments::of(sim.of(a).map(|o| o.downtime_hours / h))
}

/// Moments of the per-trial unserved share (∫(1 − level) / horizon) of an architecture.
pub fn unserved(model: &Model, sim: &Simulation, id: &str) -> Moments {
    let a = arch(model, id);
    let h = sim.settings.horizon_hours;
    Moments::of(sim.of(a).map(|o| o.unserved_hours / h))
}

/// Every field of an outcome, for [`assert_rows_equal`].
pub const ALL_FIELDS: &[&str] = &[
    "downtime", "outages", "longest", "loss", "largest", "unserved", "degraded",
];

/// Asserts that two architectures of one run have equal `fields` in every
/// trial, and that more than 100 trials had down time (the relation was exercised).
pub fn assert_rows_equal(sim: &Simulation, x: usize, y: usize, fields: &[&str]) {
    let mut exercised = 0;
    for t in 0..sim.settings.trials {
        let (p, q) = (sim.outcome(t, x), sim.outcome(t, y));
        for f in fields {
            let (a, b) = match *f {
                "downtime" => (p.downtime_hours, q.downtime_hours),
                "outages" => (f64::from(p.outages), f64::from(q.outages)),
                "longest" => (p.longest_outage_hours, q.longest_outage_hours),
                "loss" => (p.loss, q.loss),
                "largest" => (p.largest_outage_loss, q.largest_outage_loss),
                "unserved" => (p.unserved_hours, q.unserved_hours),
                "degraded" => (p.degraded_hours, q.degraded_hours),
                _ => unreachable!("unknown field {f}"),
            };
            assert_eq!(a, b, "{f}, trial {t}, architectures {x} and {y}");
        }
        exercised += usize::from(p.downtime_hours > 0.0);
    }
    assert!(exercised > 100, "only {exercised} trials with down time");
}

/// Asserts that two runs give identical rows for these architectures in
/// every trial, more than 100 of them with down time.
pub fn assert_runs_equal(x: &Simulation, y: &Simulation, archs: &[usize], what: &str) {
    let mut exercised = 0;
    for t in 0..x.settings.trials {
        for &a in archs {
            assert_eq!(
                x.outcome(t, a),
                y.outcome(t, a),
                "{what}: trial {t}, architecture {a}"
            );
            exercised += usize::from(x.outcome(t, a).downtime_hours > 0.0);
        }
    }
    assert!(
        exercised > 100,
        "{what}: only {exercised} rows with down time"
    );
}

/// Asserts that a simulated mean is within Z standard errors (+ `bias`) of the exact value.
pub fn assert_close(what: &str, m: &Moments, exact: f64, bias: f64) {
    let tol = Z * m.se() + bias + 1e-12;
    assert!(
        (m.mean - exact).abs() <= tol,
        "{what}: simulated {} (se {}) vs exact {exact}: off by {}, tolerance {tol}",
        m.mean,
        m.se(),
        (m.mean - exact).abs()
    );
    // The test must be able to fail: its tolerance has to be small against the value.
    assert!(
        tol < 0.1 * exact.abs().max(1e-9),
        "{what}: tolerance {tol} too loose for {exact}"
    );
}

/// Long-run unavailability of one Poisson source: P(at least one event active).
pub fn u_source(per_year: f64, mean_hours: f64) -> f64 {
    1.0 - (-per_year / H_YEAR * mean_hours).exp()
}

/// The fateshare binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fateshare"))
}

/// Runs the binary with these arguments and collects its output.
pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

/// `fateshare run FILE --out OUT -q EXTRA...`, which must succeed.
pub fn run_quiet(file: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Writes a file into a test folder and returns its path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs `run` and `validate` on a bad scenario: both must exit 2, print one
/// `error: <file>: ...` line per problem, say each expected phrase, not
/// panic, and leave no output folder.
pub fn assert_rejected(text: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.toml", text);
    let out = dir.path().join("out");
    for args in [
        vec![
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["validate", file.to_str().unwrap()],
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: exit status; stderr: {err}"
        );
        assert!(!err.is_empty(), "{args:?}: no message");
        for line in err.lines() {
            assert!(
                line.starts_with("error: ") && line.contains("bad.toml"),
                "each line must name the file: {err}"
            );
        }
        for e in expected {
            assert!(err.contains(e), "message should say {e:?}: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "nothing may be written for a bad scenario");
    }
}
