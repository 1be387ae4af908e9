//! Simulated figures against exact closed forms, each within a confidence
//! interval computed from the run (see `common::assert_close`).

use crate::common;
use common::*;
use fateshare::dist::{Duration, Z95};
use fateshare::stats::Moments;

#[test]
fn single_component_exponential() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 6.0, duration = { dist = "exponential", mean_hours = 3.0 } }
        [[architecture]]
        id = "a"
        serves = "a""#,
    );
    let sim = simulate(&m, 40_000, H_YEAR, 11);
    assert_close(
        "exponential unavailability",
        &unavailability(&m, &sim, "a"),
        u_source(6.0, 3.0),
        0.0,
    );
}

#[test]
fn single_component_lognormal() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 2.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
        [[architecture]]
        id = "a"
        serves = "a""#,
    );
    let sigma = (16.0f64 / 4.0).ln() / Z95;
    let mean = (4.0f64.ln() + sigma * sigma / 2.0).exp();
    let sim = simulate(&m, 40_000, H_YEAR, 12);
    assert_close(
        "lognormal unavailability",
        &unavailability(&m, &sim, "a"),
        u_source(2.0, mean),
        0.0,
    );
}

#[test]
fn weibull_uniform_and_empirical_durations() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "w"
        outages = { per_year = 4.0, duration = { dist = "weibull", shape = 0.7, scale_hours = 2.0 } }
        [[component]]
        id = "u"
        outages = { per_year = 4.0, duration = { dist = "uniform", min_hours = 1.0, max_hours = 9.0 } }
        [[component]]
        id = "e"
        outages = { per_year = 4.0, duration = { dist = "empirical", hours = [0.5, 2.5, 14.5] } }
        [[architecture]]
        id = "w"
        serves = "w"
        [[architecture]]
        id = "u"
        serves = "u"
        [[architecture]]
        id = "e"
        serves = "e""#,
    );
    let sim = simulate(&m, 40_000, H_YEAR, 13);
    let weibull_mean = Duration::weibull(0.7, 2.0).mean();
    assert!((weibull_mean - 2.0 * fateshare::dist::gamma(1.0 + 1.0 / 0.7)).abs() < 1e-12);
    assert_close(
        "weibull",
        &unavailability(&m, &sim, "w"),
        u_source(4.0, weibull_mean),
        0.0,
    );
    assert_close(
        "uniform",
        &unavailability(&m, &sim, "u"),
        u_source(4.0, 5.0),
        0.0,
    );
    assert_close(
        "empirical",
        &unavailability(&m, &sim, "e"),
        u_source(4.0, 17.5 / 3.0),
        0.0,
    );
}

#[test]
fn any_and_quorum_of_independent_components() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 50.0, duration = { dist = "exponential", mean_hours = 40.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 40.0, duration = { dist = "fixed", hours = 30.0 } }
        [[component]]
        id = "c"
        outages = { per_year = 40.0, duration = { dist = "lognormal", median_hours = 25.0, p95_hours = 80.0 } }
        [[component]]
        id = "any3"
        needs = ["a", "b", "c"]
        mode = "any"
        [[component]]
        id = "two-of-three"
        needs = ["a", "b", "c"]
        mode = "quorum"
        quorum = 2
        [[component]]
        id = "all3"
        needs = ["a", "b", "c"]
        [[architecture]]
        id = "any3"
        serves = "any3"
        [[architecture]]
        id = "q"
        serves = "two-of-three"
        [[architecture]]
        id = "all3"
        serves = "all3""#,
    );
    let sc = (25.0f64.ln() + ((80.0f64 / 25.0).ln() / Z95).powi(2) / 2.0).exp();
    let (ua, ub, uc) = (
        u_source(50.0, 40.0),
        u_source(40.0, 30.0),
        u_source(40.0, sc),
    );
    let sim = simulate(&m, 30_000, H_YEAR, 14);
    assert_close(
        "any of 3",
        &unavailability(&m, &sim, "any3"),
        ua * ub * uc,
        0.0,
    );
    // Down when at least two of three are down.
    let two = ua * ub * (1.0 - uc) + ua * (1.0 - ub) * uc + (1.0 - ua) * ub * uc + ua * ub * uc;
    assert_close("2-of-3", &unavailability(&m, &sim, "q"), two, 0.0);
    let all = 1.0 - (1.0 - ua) * (1.0 - ub) * (1.0 - uc);
    assert_close("all of 3", &unavailability(&m, &sim, "all3"), all, 0.0);
}

#[test]
fn shared_cause_with_partial_hits_over_an_any_pair() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 10.0, duration = { dist = "exponential", mean_hours = 6.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 8.0, duration = { dist = "exponential", mean_hours = 5.0 } }
        [[component]]
        id = "pair"
        needs = ["a", "b"]
        mode = "any"
        [[cause]]
        id = "region"
        per_year = 6.0
        duration = { dist = "fixed", hours = 12.0 }
        hits = { a = 0.7, b = 0.4 }
        [[architecture]]
        id = "pair"
        serves = "pair"
        [[architecture]]
        id = "a"
        serves = "a""#,
    );
    // Thinning: the cause splits into independent processes hitting both
    // (rate·pa·pb), only a (rate·pa·(1−pb)) and only b (rate·(1−pa)·pb).
    let (r, d, pa, pb) = (6.0, 12.0, 0.7, 0.4);
    let both = u_source(r * pa * pb, d);
    let only_a = 1.0 - (1.0 - u_source(10.0, 6.0)) * (1.0 - u_source(r * pa * (1.0 - pb), d));
    let only_b = 1.0 - (1.0 - u_source(8.0, 5.0)) * (1.0 - u_source(r * (1.0 - pa) * pb, d));
    let exact_pair = both + (1.0 - both) * only_a * only_b;
    let sim = simulate(&m, 30_000, H_YEAR, 15);
    assert_close(
        "pair with shared cause",
        &unavailability(&m, &sim, "pair"),
        exact_pair,
        0.0,
    );
    let exact_a = 1.0 - (1.0 - u_source(10.0, 6.0)) * (1.0 - u_source(r * pa, d));
    assert_close("a with cause", &unavailability(&m, &sim, "a"), exact_a, 0.0);
    // The independence formula would be far off: the test can tell them apart.
    let naive = exact_a * (1.0 - (1.0 - u_source(8.0, 5.0)) * (1.0 - u_source(r * pb, d)));
    assert!((exact_pair - naive).abs() > 10.0 * unavailability(&m, &sim, "pair").se());
}

#[test]
fn dependency_chain() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "region"
        outages = { per_year = 3.0, duration = { dist = "exponential", mean_hours = 4.0 } }
        [[component]]
        id = "db"
        needs = ["region"]
        outages = { per_year = 5.0, duration = { dist = "exponential", mean_hours = 2.0 } }
        [[component]]
        id = "app"
        needs = ["db"]
        outages = { per_year = 12.0, duration = { dist = "uniform", min_hours = 0.5, max_hours = 1.5 } }
        [[architecture]]
        id = "app"
        serves = "app""#,
    );
    let up = (1.0 - u_source(3.0, 4.0)) * (1.0 - u_source(5.0, 2.0)) * (1.0 - u_source(12.0, 1.0));
    let sim = simulate(&m, 40_000, H_YEAR, 16);
    assert_close("chain", &unavailability(&m, &sim, "app"), 1.0 - up, 0.0);
}

#[test]
fn failover_to_a_backup_that_never_fails() {
    // Down time per primary outage is E[min(D, s)]; for exponential D with mean
    // m, m·(1 − e^(−s/m)). Overlapping primary outages (probability ~ rate·m per
    // outage) merge into one, which can only shorten the total: bias bound below.
    let (rate, mean, switch_min): (f64, f64, f64) = (12.0, 1.0, 20.0);
    let m = model(&format!(
        r#"name = "t"
        [[component]]
        id = "primary"
        outages = {{ per_year = {rate}, duration = {{ dist = "exponential", mean_hours = {mean} }} }}
        [[component]]
        id = "backup"
        [[component]]
        id = "client"
        needs = ["primary", "backup"]
        mode = "failover"
        switch_minutes = {switch_min}
        [[architecture]]
        id = "client"
        serves = "client""#
    ));
    let s = switch_min / 60.0;
    let per_outage = mean * (1.0 - (-s / mean).exp());
    let exact_hours = rate * per_outage; // per 8760 h
    let sim = simulate(&m, 40_000, H_YEAR, 17);
    let a = arch(&m, "client");
    let down = Moments::of(sim.of(a).map(|o| o.downtime_hours));
    let overlap_bias = exact_hours * 2.0 * rate / H_YEAR * mean;
    assert_close("failover down time", &down, exact_hours, overlap_bias);
    // Every primary outage is also an outage of the client.
    let outages = Moments::of(sim.of(a).map(|o| f64::from(o.outages)));
    assert_close(
        "failover outages",
        &outages,
        rate * (-rate / H_YEAR * mean).exp(),
        0.0,
    );
}

#[test]
fn stationary_with_horizon_shorter_than_outages() {
    // One-hour periods, outages of 100 h: almost every down hour comes from an
    // outage that started before the period. Availability is still the long-run one.
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 20.0, duration = { dist = "fixed", hours = 100.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 10.0, duration = { dist = "lognormal", median_hours = 50.0, p95_hours = 400.0 } }
        [[architecture]]
        id = "a"
        serves = "a"
        [[architecture]]
        id = "b"
        serves = "b""#,
    );
    let sigma = (400.0f64 / 50.0).ln() / Z95;
    let mean_b = (50.0f64.ln() + sigma * sigma / 2.0).exp();
    let sim = simulate(&m, 60_000, 1.0, 18);
    assert_close(
        "stationary fixed",
        &unavailability(&m, &sim, "a"),
        u_source(20.0, 100.0),
        0.0,
    );
    assert_close(
        "stationary lognormal",
        &unavailability(&m, &sim, "b"),
        u_source(10.0, mean_b),
        0.0,
    );
}

#[test]
fn outage_counts_and_full_lengths_past_the_period_end() {
    // Outages starting in the period count with their full length even when
    // they run past its end: with 10 h periods and fixed 100 h outages, every
    // counted outage (that did not merge with another) is 100 h long.
    let m = model(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 50.0, duration = { dist = "fixed", hours = 100.0 } }
        [[architecture]]
        id = "a"
        serves = "a""#,
    );
    let sim = simulate(&m, 200_000, 10.0, 19);
    let rate = 50.0 / H_YEAR;
    // An outage starts when an arrival finds nothing active (PASTA): rate·e^(−rate·E[D]).
    let starts = Moments::of(sim.of(0).map(|o| f64::from(o.outages)));
    assert_close(
        "outage starts per period",
        &starts,
        10.0 * rate * (-rate * 100.0).exp(),
        0.0,
    );
    for o in sim.of(0).filter(|o| o.outages > 0) {
        assert!(
            o.longest_outage_hours >= 100.0,
            "an outage was cut at the period end: {o:?}"
        );
    }
}

#[test]
fn expected_loss_with_grace() {
    // Each outage longer than the grace period costs per_outage + per_hour·D.
    // E[loss per outage] = e^(−g/m)·(po + ph·(g + m)) for exponential D; outages per
    // period = rate·H. Merged overlapping outages (probability ≤ 2·rate·m) bound the bias.
    let (rate, mean, grace_min, po, ph): (f64, f64, f64, f64, f64) =
        (5.0, 2.0, 90.0, 1000.0, 500.0);
    let m = model(&format!(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = {{ per_year = {rate}, duration = {{ dist = "exponential", mean_hours = {mean} }} }}
        [[architecture]]
        id = "a"
        serves = "a"
        loss = {{ per_hour = {ph}, per_outage = {po}, grace_minutes = {grace_min} }}"#
    ));
    let g = grace_min / 60.0;
    let exact = rate * (-g / mean).exp() * (po + ph * (g + mean));
    let sim = simulate(&m, 60_000, H_YEAR, 20);
    let loss = Moments::of(sim.of(0).map(|o| o.loss));
    assert_close(
        "expected loss",
        &loss,
        exact,
        exact * 2.0 * rate / H_YEAR * mean * 3.0,
    );
}
