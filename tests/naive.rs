//! The independence baseline against the simulation: exact where its
//! assumption holds (every component reached once, no shared cause), and off
//! by the factor the closed form predicts where a shared cause breaks it.

use crate::common;

use common::*;
use fateshare::naive;
use fateshare::stats::{self, Moments};

/// A tree: each leaf is needed by exactly one component, no causes. Here the
/// independence arithmetic is the exact long-run unavailability, for every
/// mode (failover with no switch time is `any`).
const TREE: &str = r#"
name = "tree"
[[component]]
id = "a"
outages = { per_year = 40, duration = { dist = "exponential", mean_hours = 12 } }
[[component]]
id = "b"
outages = { per_year = 30, duration = { dist = "fixed", hours = 20 } }
[[component]]
id = "c"
outages = { per_year = 25, duration = { dist = "exponential", mean_hours = 10 } }
[[component]]
id = "d"
outages = { per_year = 50, duration = { dist = "uniform", min_hours = 5, max_hours = 15 } }
[[component]]
id = "e"
outages = { per_year = 20, duration = { dist = "exponential", mean_hours = 30 } }
[[component]]
id = "g"
outages = { per_year = 30, duration = { dist = "exponential", mean_hours = 15 } }
[[component]]
id = "h"
outages = { per_year = 60, duration = { dist = "exponential", mean_hours = 8 } }
[[component]]
id = "x"
needs = ["a", "b"]
mode = "any"
[[component]]
id = "q"
needs = ["c", "d", "e"]
mode = "quorum"
quorum = 2
[[component]]
id = "f"
needs = ["g", "h"]
mode = "failover"
[[component]]
id = "top"
needs = ["x", "q", "f"]
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 5 } }
[[architecture]]
id = "x"
serves = "x"
[[architecture]]
id = "q"
serves = "q"
[[architecture]]
id = "f"
serves = "f"
[[architecture]]
id = "top"
serves = "top"
"#;

#[test]
fn naive_is_exact_when_nothing_is_shared() {
    let m = model(TREE);
    let sim = simulate(&m, 20_000, H_YEAR, 11);
    let naive = naive::architecture_unavailability(&m);
    // Hand values of the leaves: u = 1 − exp(−rate·E[D]/8760).
    let u = |r: f64, d: f64| u_source(r, d);
    let (ua, ub) = (u(40.0, 12.0), u(30.0, 20.0));
    let (uc, ud, ue) = (u(25.0, 10.0), u(50.0, 10.0), u(20.0, 30.0));
    let (ug, uh) = (u(30.0, 15.0), u(60.0, 8.0));
    let ux = ua * ub;
    let uq = uc * ud + uc * ue + ud * ue - 2.0 * uc * ud * ue;
    let uf = ug * uh;
    let utop = 1.0 - (1.0 - u(2.0, 5.0)) * (1.0 - ux) * (1.0 - uq) * (1.0 - uf);
    for (i, (id, want)) in [("x", ux), ("q", uq), ("f", uf), ("top", utop)]
        .into_iter()
        .enumerate()
    {
        assert!(
            (naive[i] - want).abs() < 1e-12,
            "{id}: naive {} vs hand {want}",
            naive[i]
        );
        assert_close(id, &unavailability(&m, &sim, id), want, 0.0);
    }
    // The penalty is 1 within its interval.
    let sums = stats::summarize(&m, &sim);
    for (i, s) in sums.iter().enumerate() {
        let per = |o: &fateshare::evaluate::Outcome| o.downtime_hours / (naive[i] * H_YEAR);
        let p = Moments::of(sim.of(i).map(per));
        assert!((s.correlation_penalty.unwrap() - p.mean).abs() < 1e-9 * p.mean);
        assert_close(&format!("{} penalty", s.architecture), &p, 1.0, 0.0);
    }
}

/// docs/scenario-format.md §9: two vendors on one cloud. The simulated pair
/// is down u_pair = (1 − e^(−c)) + e^(−c)(1 − e^(−a))(1 − e^(−b)); the
/// independence arithmetic says u_A·u_B with u_A = 1 − e^(−(a + c)),
/// u_B = 1 − e^(−(b + c)). The penalty is their ratio, about 286.
#[test]
fn a_shared_cause_gives_the_closed_form_penalty() {
    let m = model(
        r#"
name = "worked"
[[component]]
id = "vendor-a"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 2 } }
[[component]]
id = "vendor-b"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 1.5 } }
[[component]]
id = "a-or-b"
needs = ["vendor-a", "vendor-b"]
mode = "any"
[[cause]]
id = "cloud"
per_year = 0.3
duration = { dist = "exponential", mean_hours = 4 }
hits = { vendor-a = 1.0, vendor-b = 1.0 }
[[architecture]]
id = "pair"
serves = "a-or-b"
"#,
    );
    let (a, b, c) = (2.0 * 2.0 / H_YEAR, 4.0 * 1.5 / H_YEAR, 0.3 * 4.0 / H_YEAR);
    let exact = (1.0 - (-c).exp()) + (-c).exp() * (1.0 - (-a).exp()) * (1.0 - (-b).exp());
    let naive_hand = (1.0 - (-(a + c)).exp()) * (1.0 - (-(b + c)).exp());
    let naive = naive::architecture_unavailability(&m)[0];
    assert!(
        (naive - naive_hand).abs() < 1e-15,
        "{naive} vs {naive_hand}"
    );
    let ratio = exact / naive;
    assert!(ratio > 200.0, "{ratio}");
    let sim = simulate(&m, 200_000, 1000.0, 3);
    let sums = stats::summarize(&m, &sim);
    let p = Moments::of(sim.of(0).map(|o| o.downtime_hours / (naive * 1000.0)));
    assert!((sums[0].correlation_penalty.unwrap() - p.mean).abs() < 1e-9 * p.mean);
    assert!((sums[0].naive_availability - (1.0 - naive)).abs() < 1e-15);
    assert_close("penalty", &p, ratio, 0.0);
}

/// The tree with partial outages (severity 0.8 on a and b, 0.7 on c, d and
/// e; g and h complete, as a failover's gray failures are beyond the
/// arithmetic) and a pool of three complete-outage zones of capacity 0.5:
/// combining stand-alone expected levels as if independent is exact here.
#[test]
fn naive_served_is_exact_when_nothing_is_shared() {
    let text = TREE
        .replace("mean_hours = 12 } }", "mean_hours = 12 }, severity = 0.8 }")
        .replace("hours = 20 } }", "hours = 20 }, severity = 0.8 }")
        .replace("mean_hours = 10 } }", "mean_hours = 10 }, severity = 0.7 }")
        .replace("max_hours = 15 } }", "max_hours = 15 }, severity = 0.7 }")
        .replace("mean_hours = 30 } }", "mean_hours = 30 }, severity = 0.7 }")
        + r#"
[[component]]
id = "z1"
outages = { per_year = 60, duration = { dist = "exponential", mean_hours = 15 } }
[[component]]
id = "z2"
outages = { per_year = 60, duration = { dist = "exponential", mean_hours = 15 } }
[[component]]
id = "z3"
outages = { per_year = 60, duration = { dist = "exponential", mean_hours = 15 } }
[[component]]
id = "pool"
needs = [{ id = "z1", capacity = 0.5 }, { id = "z2", capacity = 0.5 }, { id = "z3", capacity = 0.5 }]
mode = "pool"
[[architecture]]
id = "pool"
serves = "pool"
"#;
    let m = model(&text);
    assert_eq!(
        m.sources
            .iter()
            .filter(|s| s.targets[0].severity.mean() < 1.0)
            .count(),
        5
    );
    let sim = simulate(&m, 20_000, H_YEAR, 12);
    let naive = naive::architecture_served(&m);
    // Stand-alone levels: exp(−λ·E[D]·s).
    let l = |r: f64, d: f64, s: f64| (-(r * d / H_YEAR) * s).exp();
    let (la, lb) = (l(40.0, 12.0, 0.8), l(30.0, 20.0, 0.8));
    let (lc, ld, le) = (l(25.0, 10.0, 0.7), l(50.0, 10.0, 0.7), l(20.0, 30.0, 0.7));
    let (lg, lh) = (l(30.0, 15.0, 1.0), l(60.0, 8.0, 1.0));
    let lx = 1.0 - (1.0 - la) * (1.0 - lb);
    let lq = lc * ld + lc * le + ld * le - 2.0 * lc * ld * le;
    let lf = 1.0 - (1.0 - lg) * (1.0 - lh);
    let ltop = l(2.0, 5.0, 1.0) * lx * lq * lf;
    // Pool: full with two or three zones up, half with one.
    let z = l(60.0, 15.0, 1.0);
    let lpool = z * z * z + 3.0 * z * z * (1.0 - z) + 3.0 * z * (1.0 - z) * (1.0 - z) * 0.5;
    for (i, (id, want)) in [
        ("x", lx),
        ("q", lq),
        ("f", lf),
        ("top", ltop),
        ("pool", lpool),
    ]
    .into_iter()
    .enumerate()
    {
        assert!(
            (naive[i] - want).abs() < 1e-12,
            "{id}: naive {} vs hand {want}",
            naive[i]
        );
        assert_close(id, &unserved(&m, &sim, id), 1.0 - want, 0.0);
    }
    // summary.csv and summary.json carry the same arithmetic.
    let sums = stats::summarize(&m, &sim);
    for (i, s) in sums.iter().enumerate() {
        assert_eq!(s.naive_served, naive[i], "{}", s.architecture);
    }
}
