//! Exact relations between runs or architectures, checked trial by trial.

use crate::common;
use common::*;

const REDUNDANT: &str = r#"name = "metamorphic"
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
id = "failover0"
needs = ["a", "b", "c"]
mode = "failover"
switch_minutes = 0
[[component]]
id = "any"
needs = ["a", "b", "c"]
mode = "any"
[[component]]
id = "quorum1"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 1
[[component]]
id = "quorum3"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 3
[[component]]
id = "all"
needs = ["a", "b", "c"]
[[component]]
id = "failover30"
needs = ["a", "b", "c"]
mode = "failover"
switch_minutes = 30
[[architecture]]
id = "failover0"
serves = "failover0"
[[architecture]]
id = "any"
serves = "any"
[[architecture]]
id = "quorum1"
serves = "quorum1"
[[architecture]]
id = "quorum3"
serves = "quorum3"
[[architecture]]
id = "all"
serves = "all"
[[architecture]]
id = "failover30"
serves = "failover30"
[[architecture]]
id = "any-again"
serves = "any"
loss = { per_hour = 10, per_outage = 1 }
"#;

fn assert_same_trials(
    m: &fateshare::model::Model,
    sim: &fateshare::engine::Simulation,
    x: &str,
    y: &str,
    loss_too: bool,
) {
    let fields: &[&str] = if loss_too {
        &["downtime", "outages", "longest", "loss"]
    } else {
        &["downtime", "outages", "longest"]
    };
    assert_rows_equal(sim, arch(m, x), arch(m, y), fields);
}

#[test]
fn failover_with_zero_switch_time_equals_any() {
    let m = model(REDUNDANT);
    let sim = simulate(&m, 4000, H_YEAR, 3);
    assert_same_trials(&m, &sim, "failover0", "any", true);
}

#[test]
fn quorum_one_is_any_and_quorum_n_is_all() {
    let m = model(REDUNDANT);
    let sim = simulate(&m, 4000, H_YEAR, 4);
    assert_same_trials(&m, &sim, "quorum1", "any", true);
    assert_same_trials(&m, &sim, "quorum3", "all", true);
}

#[test]
fn architectures_serving_the_same_component_get_identical_rows() {
    let m = model(REDUNDANT);
    let sim = simulate(&m, 4000, H_YEAR, 5);
    // Loss differs by design (only one has a loss model); the outage rows do not.
    assert_same_trials(&m, &sim, "any", "any-again", false);
}

#[test]
fn failover_with_switch_time_lies_between_any_and_all() {
    // Switching can only add down time to `any`, and never more than `all`... per trial,
    // failover is down whenever all needs are down, and only while the need in use is down.
    let m = model(REDUNDANT);
    let sim = simulate(&m, 4000, H_YEAR, 6);
    let (f, any, all) = (arch(&m, "failover30"), arch(&m, "any"), arch(&m, "all"));
    let mut strictly = 0;
    for t in 0..sim.settings.trials {
        let (df, da, dl) = (
            sim.outcome(t, f).downtime_hours,
            sim.outcome(t, any).downtime_hours,
            sim.outcome(t, all).downtime_hours,
        );
        assert!(
            df >= da - 1e-9 && df <= dl + 1e-9,
            "trial {t}: any {da} <= failover {df} <= all {dl}"
        );
        strictly += usize::from(df > da + 1e-9);
    }
    assert!(strictly > 100);
}

#[test]
fn common_random_numbers_across_architectures() {
    // Adding an architecture changes no other architecture's rows.
    let m = model(REDUNDANT);
    let extra = format!("{REDUNDANT}\n[[architecture]]\nid = \"extra\"\nserves = \"c\"\n");
    let m2 = model(&extra);
    let (s1, s2) = (
        simulate(&m, 2000, H_YEAR, 7),
        simulate(&m2, 2000, H_YEAR, 7),
    );
    for t in 0..2000 {
        for a in 0..m.architectures.len() {
            assert_eq!(s1.outcome(t, a), s2.outcome(t, a));
        }
    }
}

#[test]
fn same_seed_same_results_any_thread_count() {
    use fateshare::engine::{simulate as run, RunOptions};
    let m = model(REDUNDANT);
    let settings = fateshare::model::Settings {
        horizon_hours: H_YEAR,
        trials: 3000,
        seed: 9,
    };
    let one = run(
        &m,
        &settings,
        &RunOptions {
            threads: Some(1),
            progress: None,
            skip_outage_records: false,
        },
    );
    let three = run(
        &m,
        &settings,
        &RunOptions {
            threads: Some(3),
            progress: None,
            skip_outage_records: false,
        },
    );
    assert_eq!(one.outcomes, three.outcomes);
    let other_seed = simulate(&m, 3000, H_YEAR, 10);
    assert_ne!(one.outcomes, other_seed.outcomes);
}
