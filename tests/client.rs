//! What the fallback client does: hangs detected only after the client's
//! timeouts, detection and switch times, failback and sticky clients, and
//! active-active routing. Exact figures on forced outages, closed forms within
//! confidence intervals computed from the run, exact relations and bad values.

use crate::common;
use common::*;
use fateshare::evaluate::{Counterfactual, Outcome, Timelines};
use fateshare::model::Model;
use fateshare::world::{Forced, World};

/// The outcome of architecture `id` over one year in a world holding only
/// these complete outages: (component id, start, end), each under the
/// component's own outage source (so that its `fails` applies).
fn forced(m: &Model, id: &str, outages: &[(&str, f64, f64)]) -> Outcome {
    let events: Vec<Forced> = outages
        .iter()
        .map(|&(c, start, end)| {
            let comp = m.component_index(c).expect("component");
            Forced {
                source: m.components[comp].own_source.expect("own outages") as u32,
                start,
                end,
                components: vec![comp as u32],
                severity: 1.0,
            }
        })
        .collect();
    let world = World::forced_only(m, &events);
    let mut tl = Timelines::new(m);
    tl.compute(m, &world, Counterfactual::None);
    tl.outcome(&m.architectures[arch(m, id)], H_YEAR)
}

fn exact(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() < 1e-9, "{what}: {got} vs exact {want}");
}

const RARE: &str = "outages = { per_year = 1.0, duration = { dist = \"fixed\", hours = 1.0 } }";

/// Primary `p` and backup `b` behind a failover `f` with the given fields;
/// `p` fails as `fails`.
fn failover(fails: &str, fields: &str) -> Model {
    model(&format!(
        r#"name = "t"
[[component]]
id = "p"
outages = {{ per_year = 1.0, duration = {{ dist = "fixed", hours = 1.0 }}, fails = "{fails}" }}
[[component]]
id = "b"
{RARE}
[[component]]
id = "f"
needs = ["p", "b"]
mode = "failover"
{fields}
[[architecture]]
id = "f"
serves = "f"
"#
    ))
}

#[test]
fn a_hanging_primary_is_left_only_after_the_timeouts() {
    // switch 1 min; timeouts 30 s × (2 retries + 1) = 90 s.
    let fields = "switch_minutes = 1\ntimeout_seconds = 30\nretries = 2";
    let o = forced(&failover("hang", fields), "f", &[("p", 100.0, 110.0)]);
    exact("hang", o.downtime_hours, 1.0 / 60.0 + 90.0 / 3600.0);
    assert_eq!(o.outages, 1);
    // An error is detected at once: the switch time alone.
    let o = forced(&failover("error", fields), "f", &[("p", 100.0, 110.0)]);
    exact("error", o.downtime_hours, 1.0 / 60.0);
    // A hang shorter than the timeouts never moves the client: down while it lasts.
    let o = forced(&failover("hang", fields), "f", &[("p", 100.0, 100.02)]);
    exact("short hang", o.downtime_hours, 0.02);
}

#[test]
fn detect_minutes_alone_is_the_switch_time() {
    let (m0, m1) = (
        failover("error", "detect_minutes = 5"),
        failover("error", "switch_minutes = 5"),
    );
    let o = forced(&m0, "f", &[("p", 100.0, 110.0)]);
    exact("detect", o.downtime_hours, 5.0 / 60.0);
    assert_eq!(o, forced(&m1, "f", &[("p", 100.0, 110.0)]));
    // switch_minutes is detection plus switch: it is the whole delay.
    let m2 = failover("error", "detect_minutes = 2\nswitch_minutes = 5");
    assert_eq!(o, forced(&m2, "f", &[("p", 100.0, 110.0)]));
}

#[test]
fn failback_waits_and_sticky_stays() {
    let switch = "switch_minutes = 1";
    // p down 100..110, b down 110.2..112: a client that returned to p at
    // once never sees b's outage; one that waits 30 min is on b when it
    // fails and pays a second switch.
    let w = [("p", 100.0, 110.0), ("b", 110.2, 112.0)];
    let at_once = forced(&failover("error", switch), "f", &w);
    exact("failback 0", at_once.downtime_hours, 1.0 / 60.0);
    let explicit = failover(
        "error",
        &format!("{switch}\nfailback_minutes = 0\nsticky = false"),
    );
    assert_eq!(forced(&explicit, "f", &w), at_once);
    let wait = failover("error", &format!("{switch}\nfailback_minutes = 30"));
    exact(
        "failback 30",
        forced(&wait, "f", &w).downtime_hours,
        2.0 / 60.0,
    );
    // b down 130..131: the waiting client is back on p by 110.5; a sticky one
    // is still on b.
    let w = [("p", 100.0, 110.0), ("b", 130.0, 131.0)];
    exact(
        "failback 30, later",
        forced(&wait, "f", &w).downtime_hours,
        1.0 / 60.0,
    );
    let sticky = failover("error", &format!("{switch}\nsticky = true"));
    exact(
        "sticky",
        forced(&sticky, "f", &w).downtime_hours,
        2.0 / 60.0,
    );
}

/// `n` equal branches (the first with outages `first`, the others none)
/// behind an active-active `any` with the given fields.
fn active(n: usize, first: &str, fields: &str) -> Model {
    let mut s = format!("name = \"t\"\n[[component]]\nid = \"x0\"\n{first}\n");
    for k in 1..n {
        s += &format!("[[component]]\nid = \"x{k}\"\n");
    }
    let needs: Vec<String> = (0..n).map(|k| format!("\"x{k}\"")).collect();
    s += &format!(
        "[[component]]\nid = \"aa\"\nneeds = [{}]\nmode = \"any\"\n{fields}\n[[architecture]]\nid = \"aa\"\nserves = \"aa\"\n",
        needs.join(", ")
    );
    model(&s)
}

#[test]
fn active_active_loses_the_undetected_share() {
    // n = 3, τ = 6 min: a branch failing for d = 3 h > τ loses τ/n of full
    // service; it is below full service (down at down_below = 1) for τ.
    let tau = 0.1;
    let m = active(3, RARE, "detect_minutes = 6");
    let o = forced(&m, "aa", &[("x0", 100.0, 103.0)]);
    exact("unserved τ/n", o.unserved_hours, tau / 3.0);
    exact("below full for τ", o.downtime_hours, tau);
    // Shorter than τ: never detected, its share is lost while it lasts.
    let o = forced(&m, "aa", &[("x0", 100.0, 100.05)]);
    exact("unserved d/n", o.unserved_hours, 0.05 / 3.0);
    // Weights 2:1:1: the failed branch carried half the traffic.
    let m = active(3, RARE, "detect_minutes = 6\nweights = [2, 1, 1]");
    let o = forced(&m, "aa", &[("x0", 100.0, 103.0)]);
    exact("weighted", o.unserved_hours, tau / 2.0);
    // A hanging branch is marked only after the timeouts (10 s × 3 = 30 s).
    let hang = "outages = { per_year = 1.0, duration = { dist = \"fixed\", hours = 1.0 }, fails = \"hang\" }";
    let m = active(
        3,
        hang,
        "detect_minutes = 6\ntimeout_seconds = 10\nretries = 2",
    );
    let o = forced(&m, "aa", &[("x0", 100.0, 103.0)]);
    exact("hang", o.unserved_hours, (tau + 30.0 / 3600.0) / 3.0);
    // failback_minutes keeps a recovered branch out (a cooldown): no loss.
    let m = active(3, RARE, "detect_minutes = 6\nfailback_minutes = 60");
    let o = forced(&m, "aa", &[("x0", 100.0, 103.0), ("x0", 103.5, 105.0)]);
    exact("cooldown", o.unserved_hours, tau / 3.0);
}

#[test]
fn active_active_pool_is_bounded_by_capacities() {
    let m = model(&format!(
        r#"name = "t"
[[component]]
id = "z1"
{RARE}
[[component]]
id = "z2"
{RARE}
[[component]]
id = "z3"
{RARE}
[[component]]
id = "pool"
needs = [{{ id = "z1", capacity = 0.5 }}, {{ id = "z2", capacity = 0.5 }}, {{ id = "z3", capacity = 0.5 }}]
mode = "pool"
detect_minutes = 6
[[architecture]]
id = "pool"
serves = "pool"
"#
    ));
    // One zone: a third of traffic lost for τ, then the other two carry it.
    let o = forced(&m, "pool", &[("z1", 100.0, 103.0)]);
    exact("one zone", o.unserved_hours, 0.1 / 3.0);
    // Two zones 100..103: 2/3 lost for τ, then the last serves its capacity 0.5.
    let o = forced(&m, "pool", &[("z1", 100.0, 103.0), ("z2", 100.0, 103.0)]);
    exact("two zones", o.unserved_hours, 0.1 * 2.0 / 3.0 + 2.9 * 0.5);
}

/// Outages of rate λ = 0.01/h and fixed length d = 2 h: episodes of
/// overlapping outages start at rate λe^{−λd}.
const EPISODES: &str =
    "outages = { per_year = 87.6, duration = { dist = \"fixed\", hours = 2.0 }, fails = \"hang\" }";

fn episode_rate() -> f64 {
    0.01 * (-0.02f64).exp()
}

#[test]
fn active_active_closed_form() {
    // Each episode costs τ/n of full service: E[unserved share] = λe^{−λd} τ/n,
    // here with τ = 30 min plus the hang's timeouts 20 s × 3 = 1 min.
    let m = active(
        3,
        EPISODES,
        "detect_minutes = 30\ntimeout_seconds = 20\nretries = 2",
    );
    let sim = simulate(&m, 2_000, H_YEAR, 41);
    let tau = 0.5 + 1.0 / 60.0;
    assert_close(
        "active-active unserved",
        &unserved(&m, &sim, "aa"),
        episode_rate() * tau / 3.0,
        0.0,
    );
}

#[test]
fn hang_closed_form() {
    // A failover leaving a hanging primary: down s + timeout × (retries + 1)
    // per episode, the backup never failing.
    let fields = "switch_minutes = 1\ntimeout_seconds = 30\nretries = 2";
    let m = model(&format!(
        "name = \"t\"\n[[component]]\nid = \"p\"\n{EPISODES}\n[[component]]\nid = \"b\"\n[[component]]\nid = \"f\"\nneeds = [\"p\", \"b\"]\nmode = \"failover\"\n{fields}\n[[architecture]]\nid = \"f\"\nserves = \"f\"\n"
    ));
    let sim = simulate(&m, 2_000, H_YEAR, 42);
    assert_close(
        "hang down share",
        &unavailability(&m, &sim, "f"),
        episode_rate() * (1.0 / 60.0 + 90.0 / 3600.0),
        0.0,
    );
}

#[test]
fn bad_client_values_exit_2() {
    let base = |fields: &str, fails: &str| {
        format!(
            "name = \"t\"\n[[component]]\nid = \"a\"\noutages = {{ per_year = 1.0, duration = {{ dist = \"fixed\", hours = 1.0 }}{fails} }}\n[[component]]\nid = \"b\"\n[[component]]\nid = \"f\"\nneeds = [\"a\", \"b\"]\n{fields}\n[[architecture]]\nid = \"x\"\nserves = \"f\"\n"
        )
    };
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "mode = \"any\"\nweights = [1, 2, 3]",
            "",
            &[
                "component \"f\"",
                "weights has 3 entries but the component has 2 needs",
            ],
        ),
        (
            "mode = \"any\"\nweights = [1, 0]",
            "",
            &["component \"f\"", "weights[1]"],
        ),
        (
            "mode = \"failover\"\nweights = [1, 1]",
            "",
            &["weights is set but mode is not \"any\" or \"pool\""],
        ),
        (
            "mode = \"any\"\nsticky = true",
            "",
            &["sticky is set but mode is not \"failover\""],
        ),
        (
            "mode = \"failover\"\ndetect_minutes = -1",
            "",
            &["component \"f\"", "detect_minutes"],
        ),
        (
            "mode = \"failover\"\nfailback_minutes = -5",
            "",
            &["failback_minutes"],
        ),
        (
            "mode = \"failover\"\ntimeout_seconds = -1",
            "",
            &["timeout_seconds"],
        ),
        (
            "mode = \"failover\"\nretries = -1",
            "",
            &["retries is -1", "0 or more"],
        ),
        (
            "mode = \"failover\"\ndetect_minutes = 5\nswitch_minutes = 2",
            "",
            &["switch_minutes (2) is below detect_minutes (5)"],
        ),
        (
            "detect_minutes = 5",
            "",
            &["detect_minutes is set but mode is not \"failover\", \"any\" or \"pool\""],
        ),
        (
            "mode = \"any\"\ndetect_below = 1.5",
            "",
            &["detect_below is 1.5", "at most 1"],
        ),
        (
            "mode = \"failover\"",
            ", fails = \"slow\"",
            &["component \"a\"", "outages.fails is \"slow\"", "\"hang\""],
        ),
    ];
    for (fields, fails, expected) in cases {
        assert_rejected(&base(fields, fails), expected);
    }
}
