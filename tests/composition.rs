//! Composition on service levels: capacity pools and ride-through on a
//! need, against closed forms and exact trial-by-trial relations.

use crate::common;
use common::*;
use fateshare::stats::Moments;

/// Three independent zones (λD = 0.1 each) combined five ways.
const ZONES: &str = r#"name = "zones"
[[component]]
id = "a"
outages = { per_year = 175.2, duration = { dist = "exponential", mean_hours = 5.0 } }
[[component]]
id = "b"
outages = { per_year = 175.2, duration = { dist = "exponential", mean_hours = 5.0 } }
[[component]]
id = "c"
outages = { per_year = 175.2, duration = { dist = "exponential", mean_hours = 5.0 } }
[[component]]
id = "half"
mode = "pool"
needs = [{ id = "a", capacity = 0.5 }, { id = "b", capacity = 0.5 }, { id = "c", capacity = 0.5 }]
[[component]]
id = "big"
mode = "pool"
needs = [{ id = "a", capacity = 1 }, { id = "b", capacity = 2.5 }, { id = "c", capacity = 1 }]
[[component]]
id = "third"
mode = "pool"
needs = [{ id = "a", capacity = 0.3333333333333333 }, { id = "b", capacity = 0.3333333333333333 }, { id = "c", capacity = 0.3333333333333334 }]
[[component]]
id = "any"
mode = "any"
needs = ["a", "b", "c"]
[[component]]
id = "all"
needs = ["a", "b", "c"]
[[architecture]]
id = "half"
serves = "half"
[[architecture]]
id = "big"
serves = "big"
loss = { per_hour = 7, per_outage = 2 }
[[architecture]]
id = "any"
serves = "any"
loss = { per_hour = 7, per_outage = 2 }
[[architecture]]
id = "third"
serves = "third"
loss = { per_outage = 3 }
[[architecture]]
id = "all"
serves = "all"
loss = { per_outage = 3 }
"#;

#[test]
fn pool_of_independent_branches_closed_form() {
    let m = model(ZONES);
    let sim = simulate(&m, 3_000, H_YEAR, 31);
    // E[level] = Σ_k C(n,k)(1−u)^k u^{n−k} min(1, k·c), n = 3, c = 0.5.
    let u = 1.0 - (-0.1f64).exp();
    let binom = [1.0, 3.0, 3.0, 1.0];
    let level: f64 = (0..=3)
        .map(|k| {
            binom[k] * (1.0 - u).powi(k as i32) * u.powi(3 - k as i32) * (k as f64 * 0.5).min(1.0)
        })
        .sum();
    assert_close(
        "pool unserved",
        &unserved(&m, &sim, "half"),
        1.0 - level,
        0.0,
    );
}

#[test]
fn pool_with_full_capacities_is_any_and_with_thirds_is_all() {
    let m = model(ZONES);
    let sim = simulate(&m, 1_000, H_YEAR, 32);
    let fields = ["downtime", "outages", "longest", "loss", "unserved"];
    assert_rows_equal(&sim, arch(&m, "big"), arch(&m, "any"), &fields);
    // Capacities 1/n: below full exactly when some branch is down, like `all`
    // at down_below = 1 (the unserved share differs: k/n is still served).
    let fields = ["downtime", "outages", "longest", "loss"];
    assert_rows_equal(&sim, arch(&m, "third"), arch(&m, "all"), &fields);
}

/// `app` needs `idp` with a ride-through of `tolerate` minutes; rare outages.
fn ride(duration: &str, tolerate: &str) -> String {
    format!(
        r#"name = "ride"
        [[component]]
        id = "idp"
        outages = {{ per_year = 5.0, duration = {duration} }}
        [[component]]
        id = "app"
        needs = [{{ id = "idp"{tolerate} }}]
        [[component]]
        id = "plain"
        needs = ["idp"]
        [[architecture]]
        id = "app"
        serves = "app"
        loss = {{ per_hour = 1, per_outage = 1 }}
        [[architecture]]
        id = "plain"
        serves = "plain"
        loss = {{ per_hour = 1, per_outage = 1 }}"#
    )
}

#[test]
fn ride_through_closed_forms() {
    // λ = 5 per year; an episode overlaps another with probability about
    // 2λ·E[D] ≤ 0.005, which bounds the relative bias by 2 × that (merged
    // episodes ride through once instead of twice).
    let per_year = 5.0;
    let fixed = model(&ride(
        r#"{ dist = "fixed", hours = 4.0 }"#,
        ", tolerate_minutes = 60",
    ));
    let sim = simulate(&fixed, 4_000, H_YEAR, 33);
    let exact = per_year * (4.0 - 1.0);
    let down = Moments::of(sim.of(arch(&fixed, "app")).map(|o| o.downtime_hours));
    assert_close("fixed d − T", &down, exact, exact * 0.01);

    let exp = model(&ride(
        r#"{ dist = "exponential", mean_hours = 4.0 }"#,
        ", tolerate_minutes = 60",
    ));
    let sim = simulate(&exp, 4_000, H_YEAR, 34);
    let exact = per_year * 4.0 * (-1.0f64 / 4.0).exp();
    let down = Moments::of(sim.of(arch(&exp, "app")).map(|o| o.downtime_hours));
    assert_close("exponential D·e^{−T/D}", &down, exact, exact * 0.01);
}

#[test]
fn zero_tolerance_is_no_tolerance() {
    let m = model(&ride(
        r#"{ dist = "lognormal", median_hours = 2.0, p95_hours = 20.0 }"#,
        ", tolerate_minutes = 0",
    ));
    let sim = simulate(&m, 2_000, H_YEAR, 35);
    let fields = ["downtime", "outages", "longest", "loss", "unserved"];
    assert_rows_equal(&sim, arch(&m, "app"), arch(&m, "plain"), &fields);
}

#[test]
fn bad_composition_values_exit_2() {
    let base = |needs: &str, extra: &str| {
        format!(
            "name = \"t\"\n[[component]]\nid = \"a\"\n[[component]]\nid = \"b\"\n[[component]]\nid = \"p\"\nneeds = {needs}\n{extra}\n[[architecture]]\nid = \"x\"\nserves = \"p\"\n"
        )
    };
    assert_rejected(
        &base(
            r#"[{ id = "a", capacity = 0 }, { id = "b", capacity = 0.5 }]"#,
            "mode = \"pool\"",
        ),
        &[
            "component \"p\"",
            "needs \"a\": capacity is 0",
            "greater than 0",
        ],
    );
    assert_rejected(
        &base(r#"[{ id = "a", capacity = 0.5 }, "b"]"#, "mode = \"pool\""),
        &["mode = \"pool\" needs a capacity on every need"],
    );
    assert_rejected(
        &base(r#"[{ id = "a", capacity = 0.5 }, "b"]"#, ""),
        &["capacity is set on a need but mode is not \"pool\""],
    );
    assert_rejected(
        &base(r#"[{ id = "a", tolerate_minutes = -5 }, "b"]"#, ""),
        &["needs \"a\": tolerate_minutes is -5", "0 or more"],
    );
    assert_rejected(
        &base(r#"[{ id = "idq", tolerate_minutes = 60 }, "b"]"#, ""),
        &["needs names unknown component \"idq\""],
    );
}
