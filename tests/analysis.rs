//! `fateshare analyze`: importance measures, risk groups, the independence
//! audit and concentration, each against hand-worked small graphs (exact
//! values, asserted within the run's confidence interval), exact metamorphic
//! relations, and the command line's handling of bad flags.

use crate::common;
use common::*;
use fateshare::analysis::{
    self, estimate::Estimate, importance::ImportanceRow, risk_groups::Limits, Analysis,
};
use fateshare::engine::RunOptions;
use fateshare::model::{Model, Settings};
use fateshare::stats::Moments;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn analyze(m: &Model, trials: u64, seed: u64) -> Analysis {
    analyze_with(m, trials, seed, Limits::default())
}

fn analyze_with(m: &Model, trials: u64, seed: u64, limits: Limits) -> Analysis {
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials,
        seed,
    };
    analysis::analyze(m, &settings, &RunOptions::default(), limits)
}

/// Asserts an estimate is within Z standard errors of the exact value.
fn check(what: &str, e: Estimate, trials: u64, exact: f64) {
    let m = Moments {
        n: trials,
        mean: e.value,
        sd: e.se * (trials as f64).sqrt(),
    };
    assert_close(what, &m, exact, 0.0);
}

fn row<'a>(an: &'a Analysis, m: &Model, arch: &str, source: &str) -> &'a ImportanceRow {
    let a = common::arch(m, arch);
    let s = m.source_index(source).expect("source");
    an.importance
        .iter()
        .find(|r| r.architecture == a && r.source == s)
        .expect("row")
}

/// Risk groups of an architecture: (sources joined by '+', probability, observed share).
fn groups(an: &Analysis, m: &Model, arch: &str) -> Vec<(String, f64, Estimate)> {
    let a = common::arch(m, arch);
    an.risk_groups[a]
        .groups
        .iter()
        .map(|g| {
            let mut ids: Vec<&str> = g
                .group
                .sources
                .iter()
                .map(|&s| m.sources[s].id.as_str())
                .collect();
            ids.sort_unstable();
            (ids.join("+"), g.group.probability, g.observed_share)
        })
        .collect()
}

fn group_names(an: &Analysis, m: &Model, arch: &str) -> Vec<String> {
    groups(an, m, arch).into_iter().map(|g| g.0).collect()
}

fn assert_exact(what: &str, got: f64, exact: f64) {
    assert!(
        (got - exact).abs() <= 1e-12 * exact.abs().max(1.0),
        "{what}: {got} vs exact {exact}"
    );
}

/// q = 1 − exp(−rate × mean duration): the stand-alone unavailability.
fn q(per_year: f64, mean_hours: f64) -> f64 {
    u_source(per_year, mean_hours)
}

// ---------------------------------------------------------------------------
// Series pair
// ---------------------------------------------------------------------------

const SERIES: &str = r#"name = "series"
[[component]]
id = "a"
outages = { per_year = 20.0, duration = { dist = "exponential", mean_hours = 10.0 } }
[[component]]
id = "b"
outages = { per_year = 10.0, duration = { dist = "fixed", hours = 15.0 } }
[[component]]
id = "both"
needs = ["a", "b"]
[[architecture]]
id = "series"
serves = "both"
loss = { per_hour = 1000 }
"#;

#[test]
fn series_pair_importance_and_risk_groups() {
    let m = model(SERIES);
    let n = 20_000;
    let an = analyze(&m, n, 21);
    let (qa, qb) = (q(20.0, 10.0), q(10.0, 15.0));
    let u = 1.0 - (1.0 - qa) * (1.0 - qb);
    for (s, own, other) in [("a", qa, qb), ("b", qb, qa)] {
        let r = row(&an, &m, "series", s);
        // Without s the pair is down exactly when the other is: U − q_other.
        check(
            &format!("{s}: down time avoided"),
            r.downtime_avoided_hours,
            n,
            H_YEAR * own * (1.0 - other),
        );
        // Loss per hour of full outage length: its expectation is per_hour × down time.
        check(
            &format!("{s}: loss avoided"),
            r.loss_avoided.unwrap(),
            n,
            1000.0 * H_YEAR * own * (1.0 - other),
        );
        // Held down, a series pair is down all the time: exactly, in every trial.
        assert_exact(
            &format!("{s}: down if always down"),
            r.downtime_if_always_down_hours.value,
            H_YEAR,
        );
        check(
            &format!("{s}: Fussell-Vesely"),
            r.fussell_vesely,
            n,
            own * (1.0 - other) / u,
        );
        check(&format!("{s}: Birnbaum"), r.birnbaum, n, 1.0 - other);
    }
    // Ranked by loss avoided: a (q 0.0226) before b (q 0.0170).
    assert_eq!(row(&an, &m, "series", "a").rank, 1);
    assert_eq!(row(&an, &m, "series", "b").rank, 2);
    let g = groups(&an, &m, "series");
    assert_eq!(group_names(&an, &m, "series"), ["a", "b"]);
    assert_exact("P{a}", g[0].1, qa);
    assert_exact("P{b}", g[1].1, qb);
    // Whenever a is active the series is down: share q_a / U.
    check("observed {a}", g[0].2, n, qa / u);
    check("observed {b}", g[1].2, n, qb / u);
}

#[test]
fn fussell_vesely_shares_of_independent_series_sources_sum_to_single_cause_share() {
    // In a series system of independent own outages, removing s restores
    // service exactly when s is the only source active, so the sets behind
    // each FV are disjoint and Σ FV = P(exactly one active) / P(at least one).
    let m = model(
        r#"name = "fv"
        [[component]]
        id = "a"
        outages = { per_year = 40.0, duration = { dist = "exponential", mean_hours = 20.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 30.0, duration = { dist = "exponential", mean_hours = 25.0 } }
        [[component]]
        id = "c"
        outages = { per_year = 20.0, duration = { dist = "fixed", hours = 30.0 } }
        [[component]]
        id = "all"
        needs = ["a", "b", "c"]
        [[architecture]]
        id = "all"
        serves = "all""#,
    );
    let n = 20_000;
    let an = analyze(&m, n, 22);
    let qs = [q(40.0, 20.0), q(30.0, 25.0), q(20.0, 30.0)];
    let none: f64 = qs.iter().map(|x| 1.0 - x).product();
    let exactly_one: f64 = (0..3).map(|i| qs[i] * none / (1.0 - qs[i])).sum();
    let rows: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|s| row(&an, &m, "all", s))
        .collect();
    let sum = Estimate {
        value: rows.iter().map(|r| r.fussell_vesely.value).sum(),
        // sd of a sum is at most the sum of the sds.
        se: rows.iter().map(|r| r.fussell_vesely.se).sum(),
    };
    check("sum of FV", sum, n, exactly_one / (1.0 - none));
    assert!(sum.value < 1.0);
    // And each FV is exactly 1 − 1/RRW here (the structure is monotone).
    for r in rows {
        assert!(
            (r.fussell_vesely.value - (1.0 - 1.0 / r.risk_reduction_ratio)).abs() < 1e-9,
            "{r:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Parallel pair with a common cause
// ---------------------------------------------------------------------------

const PAIR: &str = r#"name = "pair"
[[component]]
id = "a"
provider = "p1"
jurisdiction = "us"
outages = { per_year = 40.0, duration = { dist = "exponential", mean_hours = 20.0 } }
[[component]]
id = "b"
provider = "p2"
jurisdiction = "us"
outages = { per_year = 30.0, duration = { dist = "exponential", mean_hours = 25.0 } }
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "any"
[[cause]]
id = "common"
per_year = 4.0
duration = { dist = "exponential", mean_hours = 10.0 }
hits = { a = 1.0, b = 1.0 }
[[architecture]]
id = "pair"
serves = "pair"
"#;

#[test]
fn parallel_pair_with_common_cause_importance() {
    let m = model(PAIR);
    let n = 20_000;
    let an = analyze(&m, n, 23);
    let (qa, qb, qc) = (q(40.0, 20.0), q(30.0, 25.0), q(4.0, 10.0));
    let u = qc + (1.0 - qc) * qa * qb;
    let c = row(&an, &m, "pair", "common");
    check(
        "common: avoided",
        c.downtime_avoided_hours,
        n,
        H_YEAR * qc * (1.0 - qa * qb),
    );
    assert_exact(
        "common: held",
        c.downtime_if_always_down_hours.value,
        H_YEAR,
    );
    check("common: FV", c.fussell_vesely, n, qc * (1.0 - qa * qb) / u);
    check("common: Birnbaum", c.birnbaum, n, 1.0 - qa * qb);
    for (s, own, other) in [("a", qa, qb), ("b", qb, qa)] {
        let r = row(&an, &m, "pair", s);
        check(
            &format!("{s}: avoided"),
            r.downtime_avoided_hours,
            n,
            H_YEAR * (1.0 - qc) * own * other,
        );
        check(
            &format!("{s}: held"),
            r.downtime_if_always_down_hours,
            n,
            H_YEAR * (qc + (1.0 - qc) * other),
        );
        check(
            &format!("{s}: FV"),
            r.fussell_vesely,
            n,
            (1.0 - qc) * own * other / u,
        );
        check(&format!("{s}: Birnbaum"), r.birnbaum, n, (1.0 - qc) * other);
    }
    // The common cause is the single point of failure; the pair needs both.
    let g = groups(&an, &m, "pair");
    assert_eq!(group_names(&an, &m, "pair"), ["common", "a+b"]);
    assert_exact("P{common}", g[0].1, qc);
    assert_exact("P{a,b}", g[1].1, qa * qb);
    check("observed {common}", g[0].2, n, qc / u);
    check("observed {a,b}", g[1].2, n, qa * qb / u);

    // The audit: one shared source, Jaccard |{common}| / |{a, b, common}|.
    assert_eq!(an.independence.len(), 1);
    let audit = &an.independence[0];
    assert_eq!(audit.node.shared, vec![m.source_index("common").unwrap()]);
    assert_eq!(audit.node.single_points, audit.node.shared);
    assert_exact("jaccard", audit.node.jaccard, 1.0 / 3.0);
    check("node down time", audit.downtime_hours, n, H_YEAR * u);
    check(
        "shared down time share",
        audit.shared_downtime_share,
        n,
        qc * (1.0 - qa * qb) / u,
    );

    // Concentration: the pair is down only while a is down (a's own
    // outage or the cause, which always hits a), so p1 is involved in all of
    // its down time, and so is p2; sparing either provider keeps the pair up.
    let conc = |kind: &str, name: &str| {
        let g = an
            .groups
            .iter()
            .position(|g| g.kind.name() == kind && g.name == name)
            .unwrap();
        an.concentration.iter().find(|r| r.group == g).unwrap()
    };
    for (kind, name, substitutable) in [
        ("provider", "p1", true),
        ("provider", "p2", true),
        ("jurisdiction", "us", false),
    ] {
        let r = conc(kind, name);
        assert_exact(&format!("{name}: involved"), r.involved_share.value, 1.0);
        assert_exact(
            &format!("{name}: responsible"),
            r.responsible_share.value,
            1.0,
        );
        assert_eq!(r.substitutable, substitutable, "{name}");
        assert!(r.in_design);
    }
    let p1 = an.groups.iter().position(|g| g.name == "p1").unwrap();
    let p2 = an.groups.iter().position(|g| g.name == "p2").unwrap();
    assert_eq!(an.groups[p1].closely_connected, vec![p2]);
    assert!(an.groups[p1].depends_on.is_empty());
}

#[test]
fn partial_hits_give_the_probability_of_hitting_every_needed_target() {
    // The cause hits a in half of its events and b always: it takes the pair
    // down alone only when it hits both, a thinned Poisson process of rate λ/2.
    let m = model(&PAIR.replace("hits = { a = 1.0, b = 1.0 }", "hits = { a = 0.5, b = 1.0 }"));
    let n = 20_000;
    let an = analyze(&m, n, 24);
    let (qa, qb) = (q(40.0, 20.0), q(30.0, 25.0));
    let h = q(2.0, 10.0); // 1 − exp(−λ/2 · E[D])
                          // a down: own or a both-hitting event; b down: own or any event.
    let u = h + (1.0 - h) * qa * (1.0 - (1.0 - qb) * (1.0 - h));
    let g = groups(&an, &m, "pair");
    assert_eq!(group_names(&an, &m, "pair"), ["common", "a+b"]);
    assert_exact("P{common}", g[0].1, h);
    check(
        "pair unavailability",
        an.independence[0].downtime_hours,
        n,
        H_YEAR * u,
    );
    // The cause is active (on a or b) and the pair down: a both-hitting event,
    // or a b-only event while a is down by itself.
    check("observed {common}", g[0].2, n, (h + (1.0 - h) * h * qa) / u);
    check("observed {a,b}", g[1].2, n, qa * qb / u);
}

// ---------------------------------------------------------------------------
// 2-of-3 with a shared cause
// ---------------------------------------------------------------------------

#[test]
fn two_of_three_with_shared_cause() {
    let m = model(
        r#"name = "2of3"
        [[component]]
        id = "a"
        outages = { per_year = 30.0, duration = { dist = "exponential", mean_hours = 10.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 20.0, duration = { dist = "exponential", mean_hours = 12.0 } }
        [[component]]
        id = "c"
        outages = { per_year = 40.0, duration = { dist = "exponential", mean_hours = 6.0 } }
        [[component]]
        id = "q"
        needs = ["a", "b", "c"]
        mode = "quorum"
        quorum = 2
        [[cause]]
        id = "s"
        per_year = 3.0
        duration = { dist = "exponential", mean_hours = 8.0 }
        hits = { a = 1.0, b = 1.0 }
        [[architecture]]
        id = "q"
        serves = "q""#,
    );
    let n = 40_000;
    let an = analyze(&m, n, 25);
    let (qa, qb, qc, qs) = (q(30.0, 10.0), q(20.0, 12.0), q(40.0, 6.0), q(3.0, 8.0));
    let two = |x: f64, y: f64, z: f64| x * y + x * z + y * z - 2.0 * x * y * z;
    let p2 = two(qa, qb, qc);
    let u = qs + (1.0 - qs) * p2;
    let s = row(&an, &m, "q", "s");
    check(
        "s: avoided",
        s.downtime_avoided_hours,
        n,
        H_YEAR * qs * (1.0 - p2),
    );
    assert_exact("s: held", s.downtime_if_always_down_hours.value, H_YEAR);
    check("s: FV", s.fussell_vesely, n, qs * (1.0 - p2) / u);
    check("s: Birnbaum", s.birnbaum, n, 1.0 - p2);
    // c: without it, 2 of 3 needs a and b both down; held down, one of them.
    let c = row(&an, &m, "q", "c");
    let without_c = qs + (1.0 - qs) * qa * qb;
    let with_c_down = qs + (1.0 - qs) * (1.0 - (1.0 - qa) * (1.0 - qb));
    check(
        "c: avoided",
        c.downtime_avoided_hours,
        n,
        H_YEAR * (u - without_c),
    );
    check(
        "c: held",
        c.downtime_if_always_down_hours,
        n,
        H_YEAR * with_c_down,
    );
    check("c: FV", c.fussell_vesely, n, (u - without_c) / u);
    check("c: Birnbaum", c.birnbaum, n, with_c_down - without_c);
    // a: held down, one more of b, c (or the cause, through b) takes it down.
    let a = row(&an, &m, "q", "a");
    let without_a = qs + (1.0 - qs) * qb * qc;
    let with_a_down = 1.0 - (1.0 - qs) * (1.0 - qb) * (1.0 - qc);
    check(
        "a: avoided",
        a.downtime_avoided_hours,
        n,
        H_YEAR * (u - without_a),
    );
    check("a: Birnbaum", a.birnbaum, n, with_a_down - without_a);

    let g = groups(&an, &m, "q");
    assert_eq!(group_names(&an, &m, "q"), ["s", "a+b", "a+c", "b+c"]);
    let exact = [qs, qa * qb, qa * qc, qb * qc];
    for (k, e) in exact.iter().enumerate() {
        assert_exact(&format!("P{}", g[k].0), g[k].1, *e);
        // Two needs down take the quorum down: observed share q_x q_y / U.
        check(&format!("observed {}", g[k].0), g[k].2, n, e / u);
    }
    let audit = &an.independence[0];
    assert_eq!(audit.node.single_points, vec![m.source_index("s").unwrap()]);
    // Branch source sets {a, s}, {b, s}, {c}: the most alike pair is a, b at 1/3.
    assert_exact("jaccard", audit.node.jaccard, 1.0 / 3.0);
    assert_eq!(
        audit.node.jaccard_pair,
        (
            m.component_index("a").unwrap(),
            m.component_index("b").unwrap()
        )
    );
    check(
        "shared share",
        audit.shared_downtime_share,
        n,
        qs * (1.0 - p2) / u,
    );
}

// ---------------------------------------------------------------------------
// Failover chain
// ---------------------------------------------------------------------------

#[test]
fn failover_chain_with_switch_time() {
    // Primary a: fixed 4 h outages (longer than the 30 min switch); backup b.
    // During an episode of a the chain is down for the first 30 min and
    // whenever b is down: U = q_a q_b + (1 − q_b) · s · λ_a e^(−λ_a L)
    // (episode starts per hour × switch time).
    let m = model(
        r#"name = "failover"
        [[component]]
        id = "a"
        outages = { per_year = 30.0, duration = { dist = "fixed", hours = 4.0 } }
        [[component]]
        id = "b"
        outages = { per_year = 20.0, duration = { dist = "exponential", mean_hours = 10.0 } }
        [[component]]
        id = "chain"
        needs = ["a", "b"]
        mode = "failover"
        switch_minutes = 30
        [[architecture]]
        id = "chain"
        serves = "chain""#,
    );
    let n = 50_000;
    let an = analyze(&m, n, 26);
    let la = 30.0 / H_YEAR;
    let (qa, qb) = (q(30.0, 4.0), q(20.0, 10.0));
    let switching = 0.5 * la * (-la * 4.0).exp();
    let u = qa * qb + (1.0 - qb) * switching;
    let a = row(&an, &m, "chain", "a");
    check(
        "a: avoided (all of it)",
        a.downtime_avoided_hours,
        n,
        H_YEAR * u,
    );
    assert_exact("a: FV", a.fussell_vesely.value, 1.0);
    // Held down since long before the period: already switched to b.
    check("a: held", a.downtime_if_always_down_hours, n, H_YEAR * qb);
    check("a: Birnbaum", a.birnbaum, n, qb);
    let b = row(&an, &m, "chain", "b");
    check(
        "b: avoided",
        b.downtime_avoided_hours,
        n,
        H_YEAR * qb * (qa - switching),
    );
    check("b: held", b.downtime_if_always_down_hours, n, H_YEAR * qa);
    check("b: FV", b.fussell_vesely, n, qb * (qa - switching) / u);
    check("b: Birnbaum", b.birnbaum, n, qa - switching);
    // Structurally a failover is cut only when every need is.
    let g = groups(&an, &m, "chain");
    assert_eq!(group_names(&an, &m, "chain"), ["a+b"]);
    assert_exact("P{a,b}", g[0].1, qa * qb);
    check("observed {a,b}", g[0].2, n, qa * qb / u);
}

// ---------------------------------------------------------------------------
// Metamorphic relations
// ---------------------------------------------------------------------------

#[test]
fn a_cause_hitting_both_branches_is_a_single_point_and_shared_until_removed() {
    let m = model(PAIR);
    let an = analyze(&m, 2_000, 27);
    let common = m.source_index("common").unwrap();
    assert!(groups(&an, &m, "pair").iter().any(|g| g.0 == "common"));
    assert!(an.independence[0].node.shared.contains(&common));
    assert!(an.independence[0].node.single_points.contains(&common));

    let start = PAIR.find("[[cause]]").unwrap();
    let end = PAIR.find("[[architecture]]").unwrap();
    let without = format!("{}{}", &PAIR[..start], &PAIR[end..]);
    let m2 = model(&without);
    let an2 = analyze(&m2, 2_000, 27);
    assert_eq!(group_names(&an2, &m2, "pair"), ["a+b"]);
    assert!(an2.independence[0].node.shared.is_empty());
    assert!(an2.independence[0].node.single_points.is_empty());
    assert_eq!(an2.independence[0].node.jaccard, 0.0);
}

const MASKED: &str = r#"name = "masked"
[[component]]
id = "a"
outages = { per_year = 30.0, duration = { dist = "exponential", mean_hours = 10.0 } }
[[component]]
id = "b"
outages = { per_year = 20.0, duration = { dist = "exponential", mean_hours = 10.0 } }
[[component]]
id = "c"
[[component]]
id = "b-or-c"
needs = ["b", "c"]
mode = "any"
[[component]]
id = "top"
needs = ["a", "b-or-c"]
[[cause]]
id = "z"
per_year = 10.0
duration = { dist = "exponential", mean_hours = 10.0 }
hits = { b = 1.0 }
[[architecture]]
id = "top"
serves = "top"
loss = { per_hour = 100, per_outage = 50 }
[[architecture]]
id = "b-only"
serves = "b"
loss = { per_hour = 100, per_outage = 50 }
"#;

#[test]
fn removing_a_source_of_zero_importance_leaves_every_trial_row_unchanged() {
    // z hits b, which `top` reaches only through b-or-c, and c never fails.
    let m = model(MASKED);
    let trials = 3_000;
    let an = analyze(&m, trials, 28);
    let zero = row(&an, &m, "top", "z");
    assert_eq!(zero.downtime_avoided_hours.value, 0.0);
    assert_eq!(zero.loss_avoided.unwrap().value, 0.0);
    assert_eq!(zero.fussell_vesely.value, 0.0);
    assert_eq!(zero.birnbaum.value, 0.0);
    let important = row(&an, &m, "b-only", "z");
    assert!(important.downtime_avoided_hours.value > 0.0);

    // Remove z from the scenario. Hits of probability 1 and 0 draw no random
    // number, so every other source's events stay exactly as sampled.
    let m2 = model(&MASKED.replace("hits = { b = 1.0 }", "hits = { b = 0.0 }"));
    let sim = simulate(&m, trials, H_YEAR, 28);
    let sim2 = simulate(&m2, trials, H_YEAR, 28);
    let (top, b_only) = (common::arch(&m, "top"), common::arch(&m, "b-only"));
    let mut changed = 0;
    let mut avoided = 0.0;
    for t in 0..trials {
        assert_eq!(sim.outcome(t, top), sim2.outcome(t, top), "top, trial {t}");
        let (x, y) = (sim.outcome(t, b_only), sim2.outcome(t, b_only));
        changed += usize::from(x != y);
        avoided += x.downtime_hours - y.downtime_hours;
    }
    assert!(
        changed > 100,
        "z must matter to b-only: {changed} trials changed"
    );
    // The analysis's removal is the same as removing z from the file, trial by trial.
    let avoided = avoided / trials as f64;
    assert!(
        (important.downtime_avoided_hours.value - avoided).abs() < 1e-9 * avoided,
        "{} vs {avoided}",
        important.downtime_avoided_hours.value
    );
    // And the analysis's baseline is the run's, trial by trial.
    assert_eq!(an.simulation.outcomes, sim.outcomes);
}

// ---------------------------------------------------------------------------
// Risk groups against brute force
// ---------------------------------------------------------------------------

/// A small deterministic generator for random test graphs.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A random scenario: 4 leaves with own outages, 5 combinators over earlier
/// components (random mode), 3 causes hitting 1–3 random components.
fn random_scenario(rng: &mut Lcg) -> String {
    let mut t = String::from("name = \"random\"\n");
    let out = "outages = { per_year = 1.0, duration = { dist = \"fixed\", hours = 1.0 } }";
    for i in 0..4 {
        t += &format!("[[component]]\nid = \"c{i}\"\n{out}\n");
    }
    for i in 4..9 {
        let mut needs: Vec<usize> = Vec::new();
        let k = 2 + rng.below(2) as usize;
        while needs.len() < k {
            let d = rng.below(i as u64) as usize;
            if !needs.contains(&d) {
                needs.push(d);
            }
        }
        let list: Vec<String> = needs.iter().map(|d| format!("\"c{d}\"")).collect();
        let mode = match rng.below(4) {
            0 => String::new(),
            1 => "mode = \"any\"\n".into(),
            2 => "mode = \"failover\"\nswitch_minutes = 1\n".into(),
            _ => format!("mode = \"quorum\"\nquorum = {}\n", 1 + rng.below(k as u64)),
        };
        let own = if rng.below(2) == 0 {
            format!("{out}\n")
        } else {
            String::new()
        };
        t += &format!(
            "[[component]]\nid = \"c{i}\"\nneeds = [{}]\n{mode}{own}",
            list.join(", ")
        );
    }
    for j in 0..3 {
        let mut hits: Vec<usize> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let c = rng.below(9) as usize;
            if !hits.contains(&c) {
                hits.push(c);
            }
        }
        let list: Vec<String> = hits.iter().map(|c| format!("c{c} = 1.0")).collect();
        t += &format!(
            "[[cause]]\nid = \"k{j}\"\nper_year = 1.0\nduration = {{ dist = \"fixed\", hours = 1.0 }}\nhits = {{ {} }}\n",
            list.join(", ")
        );
    }
    t += "[[architecture]]\nid = \"top\"\nserves = \"c8\"\n";
    t
}

#[test]
fn risk_groups_match_brute_force_on_random_graphs() {
    use fateshare::analysis::graph::{down_when, Graph};
    use fateshare::analysis::risk_groups::{families, risk_groups};
    let mut rng = Lcg(7);
    let mut nonempty = 0;
    for _ in 0..200 {
        let m = model(&random_scenario(&mut rng));
        let graph = Graph::new(&m);
        let limits = Limits {
            max_order: 8,
            max_sets: 100_000,
        };
        let fams = families(&m, &graph, limits);
        let top = m.architectures[0].serves;
        let found: Vec<Vec<usize>> = risk_groups(&m, &graph, &fams[top])
            .groups
            .into_iter()
            .map(|g| g.sources)
            .collect();
        // Brute force: every subset of sources, active sources force their
        // targets down; keep the minimal subsets that take `top` down.
        let ns = m.sources.len();
        let cuts = |mask: u32| {
            let mut forced = vec![false; m.components.len()];
            for s in 0..ns {
                if mask >> s & 1 == 1 {
                    for t in &m.sources[s].targets {
                        forced[t.component] = true;
                    }
                }
            }
            down_when(&m, &forced)[top]
        };
        let mut expected: Vec<Vec<usize>> = Vec::new();
        for mask in 1u32..1 << ns {
            let minimal =
                cuts(mask) && (0..ns).all(|s| mask >> s & 1 == 0 || !cuts(mask & !(1 << s)));
            if minimal && mask.count_ones() <= 8 {
                expected.push((0..ns).filter(|s| mask >> s & 1 == 1).collect());
            }
        }
        let mut found_sorted = found.clone();
        found_sorted.sort();
        expected.sort();
        assert_eq!(found_sorted, expected);
        // Size-1 sets come first.
        assert!(found.windows(2).all(|w| w[0].len() <= w[1].len()));
        nonempty += usize::from(!expected.is_empty());
    }
    assert!(nonempty > 150);
}

#[test]
fn enumeration_limits_are_reported() {
    let m = model(PAIR);
    let only_singles = analyze_with(
        &m,
        500,
        29,
        Limits {
            max_order: 1,
            max_sets: 100,
        },
    );
    assert_eq!(group_names(&only_singles, &m, "pair"), ["common"]);
    assert_eq!(only_singles.risk_groups[0].complete_to, 1);
    let counted = analyze_with(
        &m,
        500,
        29,
        Limits {
            max_order: 4,
            max_sets: 2,
        },
    );
    // The pair has four cut sets in hits ({common→a, common→b}, {a, b},
    // {a, common→b}, {common→a, b}); with room for two per component only
    // the sets of one source are complete.
    assert_eq!(group_names(&counted, &m, "pair"), ["common"]);
    assert_eq!(counted.risk_groups[0].complete_to, 1);
}

// ---------------------------------------------------------------------------
// The command line
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

const FILES: [&str; 4] = [
    "importance.csv",
    "risk_groups.csv",
    "independence.csv",
    "concentration.csv",
];

#[test]
fn analyze_writes_four_tables_identically_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let mut outputs = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("out{threads}"));
        let o = bin(&[
            "analyze",
            file.to_str().unwrap(),
            "--trials",
            "1500",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stdout = String::from_utf8_lossy(&o.stdout);
        // The audit names the offender in plain words.
        assert!(
            stdout.contains("pair (any of a and b)")
                && stdout.contains("common takes the whole redundancy down alone"),
            "{stdout}"
        );
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // The four tables and their record (no report.html: the folder holds no run).
        assert_eq!(
            names,
            [
                "analysis.json",
                "concentration.csv",
                "importance.csv",
                "independence.csv",
                "risk_groups.csv"
            ],
        );
        outputs.push(FILES.map(|f| std::fs::read(out.join(f)).unwrap()));
    }
    assert!(
        outputs[0] == outputs[1],
        "outputs differ between 1 and 3 threads"
    );
    let text = |i: usize| String::from_utf8(outputs[0][i].clone()).unwrap();
    assert!(text(0).starts_with(
        "architecture,rank,source,source_kind,downtime_avoided_hours,downtime_avoided_hours_se,loss_avoided,loss_avoided_se,\
         risk_reduction_ratio,downtime_if_always_down_hours,risk_achievement_ratio,fussell_vesely,fussell_vesely_se,birnbaum,birnbaum_se\n"
    ));
    assert_eq!(text(0).lines().count(), 1 + 3);
    let rg = text(1);
    assert!(
        rg.starts_with("architecture,size,sources,probability,observed_share,"),
        "{rg}"
    );
    assert!(
        rg.lines().nth(1).unwrap().starts_with("pair,1,common,"),
        "{rg}"
    );
    assert!(
        rg.lines().nth(2).unwrap().starts_with("pair,2,a+b,"),
        "{rg}"
    );
    let ind = text(2);
    assert!(
        ind.starts_with("component,mode,branches,shared_sources,jaccard,"),
        "{ind}"
    );
    assert!(
        ind.lines()
            .nth(1)
            .unwrap()
            .starts_with("pair,any,a+b,common,0.333"),
        "{ind}"
    );
    let conc = text(3);
    assert!(
        conc.starts_with("architecture,kind,name,components,in_design,substitutable,"),
        "{conc}"
    );
    assert!(conc.contains("\npair,provider,p1,a,true,true,"), "{conc}");
    assert!(
        conc.contains("\npair,jurisdiction,us,a+b,true,false,"),
        "{conc}"
    );
}

#[test]
fn bad_flags_and_bad_fields_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "pair.toml", PAIR);
    let out = dir.path().join("out");
    let f = file.to_str().unwrap();
    let o = out.to_str().unwrap();
    for bad in [
        vec!["--max-order", "0"],
        vec!["--max-order", "9"],
        vec!["--max-order", "two"],
        vec!["--max-sets", "0"],
        vec!["--trials", "0"],
        vec!["--threads", "0"],
        vec!["--seed", "-1"],
        vec!["--no-such-flag"],
    ] {
        let mut args = vec!["analyze", f, "--out", o];
        args.extend_from_slice(&bad);
        let r = bin(&args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{bad:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{bad:?}: nothing may be written");
    }
    // Empty provider and jurisdiction: named with file, place and fix.
    let bad = write(
        dir.path(),
        "bad.toml",
        &PAIR
            .replace("provider = \"p1\"", "provider = \"\"")
            .replace(
                "jurisdiction = \"us\"\noutages = { per_year = 30.0",
                "jurisdiction = \" \"\noutages = { per_year = 30.0",
            ),
    );
    let r = bin(&["analyze", bad.to_str().unwrap(), "--out", o]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.toml: component \"a\": provider is empty"),
        "{err}"
    );
    assert!(
        err.contains("bad.toml: component \"b\": jurisdiction is empty"),
        "{err}"
    );
    assert!(!out.exists());
    // An output path that is a file.
    let plain = write(dir.path(), "plain", "x");
    let r = bin(&[
        "analyze",
        f,
        "--out",
        plain.to_str().unwrap(),
        "--trials",
        "10",
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), "x");
}

#[test]
fn incremental_counterfactuals_equal_full_re_evaluation() {
    // The analysis recomputes only what a counterfactual changes; on the
    // benchmark scenario (64 components, every mode) that must give exactly
    // the timelines a full re-evaluation gives, for every component that an
    // architecture or a redundancy depends on.
    use fateshare::analysis::graph::Graph;
    use fateshare::engine::TrialRunner;
    use fateshare::evaluate::{Counterfactual, Incremental, Subset, Timelines};
    let (_, m) = fateshare::scenario::load(Path::new("scenarios/benchmark.toml")).unwrap();
    let graph = Graph::new(&m);
    let mut watched: Vec<usize> = m.architectures.iter().map(|a| a.serves).collect();
    watched.extend((0..m.components.len()).filter(|&c| m.components[c].needs.len() >= 2));
    let mask = graph.upstream_mask(&m, &watched);
    let needed: Vec<usize> = (0..m.components.len()).filter(|&c| mask[c]).collect();
    let cones: Vec<Subset> = (0..m.sources.len())
        .map(|s| Subset::from_mask(graph.cone(&m, s, &mask)))
        .collect();
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: 60,
        seed: 30,
    };
    let mut runner = TrialRunner::new(&m, &[]);
    let mut full = Timelines::new(&m);
    let mut cf = Incremental::new(&m);
    let mut compared = 0;
    for trial in 0..settings.trials {
        runner.run(&settings, trial);
        let base = runner.timelines.clone();
        cf.reset(&runner.world, &base);
        for (s, cone) in cones.iter().enumerate() {
            for what in [Counterfactual::Remove(s), Counterfactual::HoldDown(s)] {
                cf.evaluate(&m, &runner.world, what, cone, &base);
                full.compute(&m, &runner.world, what);
                for &c in &needed {
                    assert_eq!(
                        cf.timelines.down[c], full.down[c],
                        "trial {trial}, {what:?}, {}",
                        m.components[c].id
                    );
                    compared += usize::from(cf.timelines.down[c] != base.down[c]);
                }
                cf.restore(&base);
                assert_eq!(cf.timelines.down, base.down);
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}

#[test]
fn providers_outside_a_design_are_not_involved_in_it() {
    // `common` hits a (p1) and b (p2); a design that uses only a involves p1
    // alone, although p2 shares the cause.
    let m = model(&format!(
        "{PAIR}[[architecture]]\nid = \"only-a\"\nserves = \"a\"\n"
    ));
    let n = 20_000;
    let an = analyze(&m, n, 31);
    let (qa, qc) = (q(40.0, 20.0), q(4.0, 10.0));
    let only_a = common::arch(&m, "only-a");
    let row = |name: &str| {
        let g = an.groups.iter().position(|g| g.name == name).unwrap();
        an.concentration
            .iter()
            .find(|r| r.group == g && r.architecture == only_a)
            .unwrap()
    };
    let p2 = row("p2");
    assert!(!p2.in_design && p2.substitutable);
    assert_eq!(p2.involved_share.value, 0.0);
    assert_eq!(p2.responsible_share.value, 0.0);
    let p1 = row("p1");
    assert!(p1.in_design && !p1.substitutable);
    // only-a is down exactly while a is hit (by its own outages or the cause).
    let u = 1.0 - (1.0 - qa) * (1.0 - qc);
    assert_exact("p1 involved in only-a", p1.involved_share.value, 1.0);
    assert_exact("p1 responsible in only-a", p1.responsible_share.value, 1.0);
    check("p1 hours in only-a", p1.involved_hours, n, H_YEAR * u);
}

/// A payment API needs a cloud region and an identity provider; a cloud
/// incident always takes the region down and hits the identity provider in
/// half of its events; the identity provider also has outages of its own.
const PAYMENT: &str = r#"name = "payment"
[[component]]
id = "region"
provider = "cloud"
[[component]]
id = "idp"
provider = "idp-co"
outages = { per_year = 4.0, duration = { dist = "fixed", hours = 6.0 } }
[[component]]
id = "api"
needs = ["region", "idp"]
[[cause]]
id = "cloud-incident"
per_year = 20.0
duration = { dist = "exponential", mean_hours = 10.0 }
hits = { region = 1.0, idp = 0.5 }
[[architecture]]
id = "api"
serves = "api"
loss = { per_hour = 1000.0 }
"#;

#[test]
fn a_provider_is_involved_only_in_the_hours_it_was_actually_down() {
    let m = model(PAYMENT);
    let n = 20_000;
    let seed = 41;
    let an = analyze(&m, n, seed);
    let conc = |name: &str| {
        let g = an.groups.iter().position(|g| g.name == name).unwrap();
        an.concentration.iter().find(|r| r.group == g).unwrap()
    };
    // Thinning: the events that hit idp are a Poisson process of rate λ/2,
    // independent of the other half. Everything below is stationary.
    let q_cause = q(20.0, 10.0); // the region is down
    let q_half = q(10.0, 10.0); // an idp-hitting cause event is active
    let q_own = q(4.0, 6.0); // idp's own outage is active
    let idp_down = 1.0 - (1.0 - q_half) * (1.0 - q_own);
    let u = 1.0 - (1.0 - q_cause) * (1.0 - q_own);
    let idp = conc("idp-co");
    let cloud = conc("cloud");
    // Involved: the api is down whenever idp is (series), so idp's
    // involvement is the time idp was actually hit, not the cause's hours.
    check(
        "idp involved hours",
        idp.involved_hours,
        n,
        H_YEAR * idp_down,
    );
    check("idp involved share", idp.involved_share, n, idp_down / u);
    assert!(
        idp_down < 0.7 * q_cause + q_own,
        "the test separates the two"
    );
    // Responsible: sparing idp leaves the region's outages.
    check(
        "idp responsible",
        idp.responsible_hours,
        n,
        H_YEAR * (u - q_cause),
    );
    check("cloud involved", cloud.involved_hours, n, H_YEAR * q_cause);
    check(
        "cloud responsible",
        cloud.responsible_hours,
        n,
        H_YEAR * (u - idp_down),
    );
    // Loss is per hour of outage, so in expectation the loss sparing idp
    // avoids is the same share as the down time (stationary process).
    check(
        "idp responsible loss share",
        idp.responsible_loss_share.unwrap(),
        n,
        (u - q_cause) / u,
    );

    // The same involvement, trial by trial, straight from the timelines:
    // the union of the events that hit idp, intersected with the api's down time.
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: n,
        seed,
    };
    let mut runner = fateshare::engine::TrialRunner::new(&m, &[]);
    let idp_c = m.components.iter().position(|c| c.id == "idp").unwrap() as u32;
    let api_c = m.architectures[0].serves;
    let (mut hit, mut meet) = (Vec::new(), Vec::new());
    let mut total = 0.0;
    for trial in 0..n {
        runner.run(&settings, trial);
        let w = &runner.world;
        hit.clear();
        for e in &w.events {
            if w.hit_components(e).contains(&idp_c) {
                hit.push(fateshare::timeline::Interval::new(e.start, e.end));
            }
        }
        fateshare::timeline::normalize(&mut hit);
        fateshare::timeline::intersect(&runner.timelines.down[api_c], &hit, &mut meet);
        total += fateshare::timeline::measure_within(&meet, 0.0, H_YEAR);
    }
    let direct = total / n as f64;
    assert!(
        (idp.involved_hours.value - direct).abs() <= 1e-9 * direct,
        "involved {} vs the timelines' {direct}",
        idp.involved_hours.value
    );
}
