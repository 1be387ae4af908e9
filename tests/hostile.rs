//! Hostile input through the binary: counts that overflow, scenarios that
//! would not fit in memory or time, numbers that break distributions. Each
//! must exit 2 with one `error: <file>: ...` line per problem, never panic,
//! and create no output folder. (Output folders: hostile_folders.rs; text
//! and read-back: hostile_text.rs; large graphs: hostile_scale.rs.)

use crate::common;

use common::hostile::{own, refused, scenario, EXP3};
use common::{assert_rejected, run, write};
use fateshare::model::Settings;
use fateshare::world::{Sampler, World};

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
