//! Service levels (partial outages): closed forms within confidence intervals
//! computed from the run, exact trial-by-trial relations, and bad values.

use crate::common;
use common::*;
use fateshare::engine::{self, RunOptions};
use fateshare::model::{Model, Settings};
use fateshare::stats::Moments;

/// One component with Poisson outages (λ·D = 0.5) of severity 0.5, seen by
/// three architectures with different `down_below`.
const PARTIAL: &str = r#"name = "partial"
[[component]]
id = "a"
outages = { per_year = 876.0, duration = { dist = "exponential", mean_hours = 5.0 }, severity = 0.5 }
[[architecture]]
id = "full"
serves = "a"
loss = { per_hour = 100 }
[[architecture]]
id = "two"
serves = "a"
down_below = 0.4
"#;

#[test]
fn partial_outages_closed_forms() {
    let m = model(PARTIAL);
    assert!(m.has_partial_service());
    let sim = simulate(&m, 2_000, H_YEAR, 21);
    let (ld, s): (f64, f64) = (0.1 * 5.0, 0.5);
    // Overlapping outages: Poisson(λD) of them, each serving 1 − s: E[level] = e^{−λDs}.
    assert_close(
        "unserved share",
        &unserved(&m, &sim, "full"),
        1.0 - (-ld * s).exp(),
        0.0,
    );
    // down_below = 1: down while any outage runs.
    assert_close(
        "time unavailability",
        &unavailability(&m, &sim, "full"),
        1.0 - (-ld).exp(),
        0.0,
    );
    // (1 − s)² < 0.4 < 1 − s: down only while two or more overlap.
    assert_close(
        "down while two overlap",
        &unavailability(&m, &sim, "two"),
        1.0 - (-ld).exp() * (1.0 + ld),
        0.0,
    );
    // ... and degraded (below full, not down) while exactly one runs.
    let two = arch(&m, "two");
    assert_close(
        "degraded share",
        &Moments::of(sim.of(two).map(|o| o.degraded_hours / H_YEAR)),
        ld * (-ld).exp(),
        0.0,
    );
    // Loss per_hour × ∫(1 − level) over outages: in the steady state its mean
    // is per_hour × period × the unserved share.
    let full = arch(&m, "full");
    assert_close(
        "partial loss",
        &Moments::of(sim.of(full).map(|o| o.loss)),
        100.0 * H_YEAR * (1.0 - (-ld * s).exp()),
        0.0,
    );
}

#[test]
fn severity_distributions_enter_by_their_mean() {
    // Uniform severity on [0.2, 0.6] (mean 0.4) and beta(2, 3) (mean 0.4):
    // E[level] = E[Π(1 − S_i)] = e^{−λD·E[S]}.
    let m = model(
        r#"name = "t"
        [[component]]
        id = "u"
        outages = { per_year = 876.0, duration = { dist = "fixed", hours = 5.0 }, severity = { dist = "uniform", min = 0.2, max = 0.6 } }
        [[component]]
        id = "b"
        outages = { per_year = 876.0, duration = { dist = "fixed", hours = 5.0 }, severity = { dist = "beta", alpha = 2, beta = 3 } }
        [[architecture]]
        id = "u"
        serves = "u"
        [[architecture]]
        id = "b"
        serves = "b""#,
    );
    let sim = simulate(&m, 2_000, H_YEAR, 22);
    for id in ["u", "b"] {
        assert_close(
            id,
            &unserved(&m, &sim, id),
            1.0 - (-0.5f64 * 0.4).exp(),
            0.0,
        );
    }
}

#[test]
fn per_hit_severity_of_a_cause_over_any_and_all() {
    // One cause hits x with severity 0.9 and y with 0.3 (always both, fixed 5 h,
    // λD = 0.5), N ~ Poisson(λD) of them overlapping. all: level 0.07^N,
    // E = e^{−λD(1 − 0.07)}; any: 1 − (1 − 0.1^N)(1 − 0.7^N), whose mean is
    // e^{−0.9λD} + e^{−0.3λD} − e^{−0.93λD}.
    let m = model(
        r#"name = "t"
        [[component]]
        id = "x"
        [[component]]
        id = "y"
        [[cause]]
        id = "c"
        per_year = 876.0
        duration = { dist = "fixed", hours = 5.0 }
        severity = 0.3
        hits = { x = { p = 1.0, severity = 0.9 }, y = 1.0 }
        [[component]]
        id = "all"
        needs = ["x", "y"]
        [[component]]
        id = "any"
        needs = ["x", "y"]
        mode = "any"
        [[architecture]]
        id = "all"
        serves = "all"
        [[architecture]]
        id = "any"
        serves = "any""#,
    );
    let sim = simulate(&m, 2_000, H_YEAR, 23);
    assert_close(
        "all",
        &unserved(&m, &sim, "all"),
        1.0 - (-0.5f64 * 0.93).exp(),
        0.0,
    );
    let any = (-0.45f64).exp() + (-0.15f64).exp() - (-0.465f64).exp();
    assert_close("any", &unserved(&m, &sim, "any"), 1.0 - any, 0.0);
}

#[test]
fn gray_failure_of_a_failover_primary_is_served_through() {
    // The primary loses 30% of requests (above the client's detection
    // threshold): never detected, so the failover serves 0.7 during those
    // outages and is never down below 0.5.
    let m = model(
        r#"name = "t"
        [[component]]
        id = "p"
        outages = { per_year = 87.6, duration = { dist = "exponential", mean_hours = 5.0 }, severity = 0.3 }
        [[component]]
        id = "b"
        [[component]]
        id = "f"
        needs = ["p", "b"]
        mode = "failover"
        switch_minutes = 1
        [[architecture]]
        id = "f"
        serves = "f"
        down_below = 0.5"#,
    );
    let sim = simulate(&m, 2_000, H_YEAR, 24);
    // Overlaps of k outages serve 0.7^k; 0.7² < 0.5 is detected, so compare
    // with the exact single-overlap part and bound the rest: λD = 0.05.
    let ld: f64 = 0.05;
    let one = (-ld).exp() * ld * 0.3;
    let u = unserved(&m, &sim, "f");
    assert_close("gray failure", &u, one, 1.0 - (-ld).exp() * (1.0 + ld));
}

/// The metamorphic scenario of tests/metamorphic.rs, with complete outages.
const BINARY: &str = r#"name = "binary"
[[component]]
id = "a"
outages = { per_year = 40.0, duration = { dist = "exponential", mean_hours = 20.0 } }
[[component]]
id = "b"
outages = { per_year = 30.0, duration = { dist = "lognormal", median_hours = 10.0, p95_hours = 60.0 } }
[[component]]
id = "c"
outages = { per_year = 25.0, duration = { dist = "weibull", shape = 0.8, scale_hours = 15.0 } }
[[cause]]
id = "shared"
per_year = 8.0
duration = { dist = "uniform", min_hours = 2.0, max_hours = 30.0 }
hits = { a = 0.9, b = 0.5, c = 0.3 }
[[component]]
id = "any"
needs = ["a", "b", "c"]
mode = "any"
[[component]]
id = "quorum2"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 2
[[component]]
id = "all"
needs = ["a", "b", "c"]
[[component]]
id = "failover30"
needs = ["a", "b", "c"]
mode = "failover"
switch_minutes = 30
[[component]]
id = "ride"
needs = [{ id = "a", tolerate_minutes = 90 }, "b"]
[[component]]
id = "retry"
needs = ["a", "b", "c"]
mode = "failover"
switch_minutes = 30
retry = true
[[architecture]]
id = "any"
serves = "any"
loss = { per_hour = 10, per_outage = 1, grace_minutes = 30 }
[[architecture]]
id = "quorum2"
serves = "quorum2"
[[architecture]]
id = "all"
serves = "all"
loss = { per_hour = 10, per_outage = 1 }
[[architecture]]
id = "failover30"
serves = "failover30"
loss = { per_hour = 3 }
[[architecture]]
id = "ride"
serves = "ride"
[[architecture]]
id = "retry"
serves = "retry"
loss = { per_hour = 10, per_outage = 1, grace_minutes = 30 }
"#;

#[test]
fn failover_with_retry_on_complete_outages_is_any() {
    // Every failed request is re-sent to the other needs: served whenever one
    // of them is up, whatever the switch time.
    let m = model(BINARY);
    let sim = simulate(&m, 1_000, H_YEAR, 8);
    let (any, retry) = (arch(&m, "any"), arch(&m, "retry"));
    assert_rows_equal(&sim, any, retry, ALL_FIELDS);
}

/// A failover whose primary loses 30% of requests per outage (λ = 17.52 per
/// year, exponential mean 5 h); the backup never fails.
fn gray(fields: &str) -> Model {
    model(&format!(
        r#"name = "t"
        [[component]]
        id = "p"
        outages = {{ per_year = 17.52, duration = {{ dist = "exponential", mean_hours = 5.0 }}, severity = 0.3 }}
        [[component]]
        id = "b"
        [[component]]
        id = "f"
        needs = ["p", "b"]
        mode = "failover"
        {fields}
        [[architecture]]
        id = "f"
        serves = "f""#
    ))
}

#[test]
fn client_detection_threshold_and_retry() {
    // Detected (0.7 < detect_below = 0.8): the client keeps sending to the
    // primary until the switch completes after τ = 0.1 h, so each outage
    // loses 0.3 × E[min(X, τ)] = 0.3 D (1 − e^{−τ/D}) hours of service.
    // Overlapping outages (probability ≤ 2λD = 0.02) bound the bias.
    let m = gray(
        "switch_minutes = 6
detect_below = 0.8",
    );
    let sim = simulate(&m, 4_000, H_YEAR, 25);
    let per_outage = 0.3 * 5.0 * (1.0 - (-0.1f64 / 5.0).exp());
    let exact = 17.52 * per_outage / H_YEAR;
    assert_close(
        "detected partial failure",
        &unserved(&m, &sim, "f"),
        exact,
        0.02 * exact,
    );
    // Retried on the healthy backup, nothing is lost, detected or not.
    for fields in [
        "switch_minutes = 6
retry = true",
        "switch_minutes = 6
detect_below = 0.8
retry = true",
    ] {
        let m = gray(fields);
        let sim = simulate(&m, 500, H_YEAR, 26);
        assert!(sim.of(0).all(|o| o.unserved_hours == 0.0), "{fields}");
    }
    // Not retried and never detected: 0.3 of requests lost during outages.
    let m = gray("switch_minutes = 6");
    let sim = simulate(&m, 500, H_YEAR, 26);
    assert!(sim.of(0).map(|o| o.unserved_hours).sum::<f64>() > 100.0);
}

#[test]
fn explicit_defaults_are_byte_identical_to_omitted_ones() {
    let explicit = BINARY
        .replace(
            "mean_hours = 20.0 } }",
            "mean_hours = 20.0 }, severity = 1.0 }",
        )
        .replace(
            "hits = { a = 0.9, b = 0.5, c = 0.3 }",
            "severity = { dist = \"fixed\", value = 1 }\nhits = { a = { p = 0.9, severity = 1 }, b = 0.5, c = 0.3 }",
        )
        .replace("serves = \"all\"", "serves = \"all\"\ndown_below = 1")
        .replace("switch_minutes = 30\n[[component]]\nid = \"ride\"", "switch_minutes = 30\ndetect_below = 0.5\nretry = false\ndetect_minutes = 30\nfailback_minutes = 0\nsticky = false\ntimeout_seconds = 10\nretries = 1\n[[component]]\nid = \"ride\"")
        .replace("hits = {", "fails = \"error\"\nhits = {");
    assert_ne!(explicit, BINARY);
    let (m0, m1) = (model(BINARY), model(&explicit));
    assert!(!m1.has_partial_service());
    let (s0, s1) = (
        simulate(&m0, 1_000, H_YEAR, 5),
        simulate(&m1, 1_000, H_YEAR, 5),
    );
    assert_runs_equal(&s0, &s1, &[0, 1, 2, 3, 4, 5], "explicit defaults");
    assert_eq!(s0.outages, s1.outages);
}

#[test]
fn level_algebra_matches_the_interval_algebra_on_complete_outages() {
    // A partial outage anywhere switches the whole run to service levels; the
    // architectures that cannot reach it (levels 0 or 1 only) must get
    // exactly the binary algebra's rows.
    let with_partial = format!(
        "{BINARY}\n[[component]]\nid = \"z\"\noutages = {{ per_year = 50.0, duration = {{ dist = \"fixed\", hours = 3.0 }}, severity = 0.5 }}\n[[architecture]]\nid = \"z\"\nserves = \"z\"\n"
    );
    let (m0, m1) = (model(BINARY), model(&with_partial));
    assert!(m1.has_partial_service() && !m0.has_partial_service());
    let (s0, s1) = (
        simulate(&m0, 1_000, H_YEAR, 6),
        simulate(&m1, 1_000, H_YEAR, 6),
    );
    for t in 0..s0.settings.trials {
        for a in 0..6 {
            assert_eq!(
                s0.outcome(t, a),
                s1.outcome(t, a),
                "trial {t}, architecture {a}"
            );
        }
    }
    assert_runs_equal(&s0, &s1, &[0, 1, 2, 3, 4, 5], "levels vs intervals");
}

/// Two components reached by one cause, each served by its own architecture.
fn two_branches(p_b: f64, sev_b: &str) -> String {
    format!(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = {{ per_year = 20.0, duration = {{ dist = "exponential", mean_hours = 4.0 }}, severity = 0.6 }}
        [[component]]
        id = "b"
        [[cause]]
        id = "c"
        per_year = 30.0
        duration = {{ dist = "lognormal", median_hours = 2.0, p95_hours = 9.0 }}
        severity = {{ dist = "uniform", min = 0.3, max = 1 }}
        hits = {{ a = 0.5, b = {{ p = {p_b}, severity = {sev_b} }} }}
        [[architecture]]
        id = "a"
        serves = "a"
        loss = {{ per_hour = 5 }}
        [[architecture]]
        id = "b"
        serves = "b""#
    )
}

#[test]
fn changing_one_hit_leaves_unreachable_architectures_identical() {
    let base = model(&two_branches(0.5, "0.8"));
    let s0 = simulate(&base, 1_000, H_YEAR, 7);
    for (p, sev) in [
        (0.2, "0.8"),
        (1.0, "0.8"),
        (0.5, "{ dist = \"beta\", alpha = 2, beta = 2 }"),
    ] {
        let changed = model(&two_branches(p, sev));
        let s1 = simulate(&changed, 1_000, H_YEAR, 7);
        assert_runs_equal(&s0, &s1, &[0], &format!("hits.b = {p}, severity {sev}"));
        assert_ne!(
            s0.of(1).map(|o| o.unserved_hours).collect::<Vec<_>>(),
            s1.of(1).map(|o| o.unserved_hours).collect::<Vec<_>>(),
            "the changed branch must change"
        );
    }
}

#[test]
fn partial_runs_are_identical_for_any_thread_count() {
    let m = model(&format!(
        "{BINARY}\n{}",
        PARTIAL
            .replace("name = \"partial\"", "")
            .replace("id = \"a\"", "id = \"p\"")
            .replace("serves = \"a\"", "serves = \"p\"")
            .replace("id = \"full\"", "id = \"pf\"")
            .replace("id = \"two\"", "id = \"pt\"")
    ));
    let run = |threads| {
        let settings = Settings {
            horizon_hours: H_YEAR,
            trials: 600,
            seed: 9,
        };
        engine::simulate(
            &m,
            &settings,
            &RunOptions {
                threads: Some(threads),
                ..RunOptions::default()
            },
        )
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.outcomes, two.outcomes);
    assert_eq!(one.outages, two.outages);
}

#[test]
fn bad_service_level_values_exit_2() {
    let base = |outages: &str, hits: &str, arch: &str| {
        format!(
            "name = \"t\"\n[[component]]\nid = \"a\"\noutages = {{ per_year = 1.0, duration = {{ dist = \"fixed\", hours = 1.0 }}{outages} }}\n[[cause]]\nid = \"c\"\nper_year = 1.0\nduration = {{ dist = \"fixed\", hours = 1.0 }}\nhits = {{ a = {hits} }}\n[[architecture]]\nid = \"x\"\nserves = \"a\"\n{arch}\n"
        )
    };
    assert_rejected(
        &base(", severity = 1.5", "1.0", ""),
        &[
            "component \"a\"",
            "outages.severity is 1.5",
            "between 0 and 1",
        ],
    );
    assert_rejected(
        &base("", "{ p = 1.0, severity = -0.1 }", ""),
        &["cause \"c\"", "hits.a.severity is -0.1"],
    );
    assert_rejected(
        &base(
            ", severity = { dist = \"uniform\", min = 0.8, max = 0.2 }",
            "1.0",
            "",
        ),
        &["outages.severity: min = 0.8 is above max = 0.2; swap them"],
    );
    assert_rejected(
        &base(
            ", severity = { dist = \"beta\", alpha = 0, beta = 1 }",
            "1.0",
            "",
        ),
        &["outages.severity.alpha is 0", "greater than 0"],
    );
    assert_rejected(
        &base(", severity = { dist = \"gamma\", value = 1 }", "1.0", ""),
        &["unknown dist \"gamma\"; use fixed, uniform or beta"],
    );
    assert_rejected(
        "name = \"t\"\n[[component]]\nid = \"a\"\n[[component]]\nid = \"f\"\nneeds = [\"a\"]\nmode = \"failover\"\ndetect_below = 0\n[[component]]\nid = \"g\"\nneeds = [\"a\"]\nretry = true\n[[architecture]]\nid = \"x\"\nserves = \"f\"\n",
        &["component \"f\": detect_below is 0", "at most 1", "component \"g\": retry is set but mode is not \"failover\""],
    );
    for b in ["0", "1.5", "-1"] {
        assert_rejected(
            &base("", "1.0", &format!("down_below = {b}")),
            &[
                "architecture \"x\"",
                &format!("down_below is {b}"),
                "at most 1",
            ],
        );
    }
}
