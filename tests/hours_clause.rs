//! Events as treaties define them (docs/insurance.md §13): one event per
//! occurrence of a cause, grouped by the `[book] hours_clause`, with one
//! EventId shared by the ground-up and insured rows it produces; and the
//! exact relations between occurrence (OEP) and aggregate (AEP) losses.

use crate::common;
use common::*;
use fateshare::engine::{Observer, RunOptions, TrialRunner};
use fateshare::insurance::payout::{PayoutObserver, PayoutTable};
use fateshare::insurance::portfolio::Portfolios;
use fateshare::insurance::{self, Options};
use fateshare::model::{Model, Settings};
use fateshare::world::Forced;

/// One cloud, two insureds on it, a parametric and an indemnity cover in one
/// portfolio; the cause almost never happens by itself.
fn book(clause: &str) -> Model {
    model(&format!(
        r#"name = "clause"
{clause}
[[component]]
id = "cloud"
[[component]]
id = "app-a"
needs = ["cloud"]
[[component]]
id = "app-b"
needs = ["cloud"]
[[cause]]
id = "region"
per_year = 1e-9
duration = {{ dist = "fixed", hours = 1 }}
hits = {{ cloud = 1.0 }}
[[architecture]]
id = "a"
serves = "app-a"
loss = {{ per_hour = 1000, per_outage = 500 }}
[[architecture]]
id = "b"
serves = "app-b"
loss = {{ per_hour = 200 }}
[[policy]]
id = "param-a"
kind = "parametric"
index = "cloud"
insured = "a"
waiting_hours = 1
pay_per_hour = 100
portfolio = "book"
[[policy]]
id = "bi-b"
kind = "indemnity"
insured = "b"
deductible = 100
share = 0.5
portfolio = "book"
"#
    ))
}

/// Runs trial 0 of `model` with the region forced down for 3 h at 100 h and
/// again at 110 h (10 h apart), and returns the payout table.
fn forced_trial(model: &Model) -> PayoutTable {
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: 1,
        seed: 7,
    };
    let portfolios = Portfolios::of_model(model);
    let observer = PayoutObserver::new(
        model,
        H_YEAR,
        portfolios.of.clone(),
        portfolios.names.len(),
        true,
    );
    let region = model.source_index("region").unwrap() as u32;
    let cloud = model.component_index("cloud").unwrap() as u32;
    let outage = |start: f64| Forced {
        source: region,
        start,
        end: start + 3.0,
        components: vec![cloud],
        severity: 1.0,
    };
    let mut runner = TrialRunner::new(model, &observer.components());
    runner.world.force(vec![outage(100.0), outage(110.0)]);
    runner.run(&settings, 0);
    let mut chunk = observer.start_chunk();
    observer.trial(
        &mut chunk,
        0,
        &runner.world,
        &runner.timelines,
        &runner.outcomes,
    );
    observer.merge(vec![chunk])
}

// By hand, per 3 h outage: param-a pays 100 × (3 − 1) = 200; insured b loses
// 200 × 3 = 600, bi-b pays 0.5 × (600 − 100) = 250; insured a loses
// 500 + 1000 × 3 = 3500.
const PARAM: f64 = 200.0;
const BI: f64 = 250.0;

#[test]
fn two_outages_10h_apart_are_one_event_with_a_72h_clause() {
    let t = forced_trial(&book("[book]\nhours_clause = 72"));
    assert_eq!(t.events.len(), 4, "two paid outages per policy");
    assert!(t.events.iter().all(|e| e.event_id == 1));
    assert_eq!(t.gul_events.len(), 4);
    assert!(t.gul_events.iter().all(|e| e.event_id == 1));
    let losses: Vec<f64> = t.gul_events.iter().map(|e| e.loss).collect();
    assert_eq!(losses, [3500.0, 3500.0, 600.0, 600.0]);
    // Occurrence loss: both outages of the event, summed.
    assert_eq!(t.years[0].max_event, 2.0 * PARAM);
    assert_eq!(t.years[1].max_event, 2.0 * BI);
    assert_eq!(t.years[0].payout, 2.0 * PARAM);
    assert_eq!(t.portfolio_events.len(), 1);
    let e = t.portfolio_events[0];
    assert_eq!(
        (e.payout, e.policies, e.event_id),
        (2.0 * (PARAM + BI), 2, 1)
    );
    assert_eq!((e.start_hours, e.duration_hours), (100.0, 13.0));
    assert_eq!(t.portfolio_max, [2.0 * (PARAM + BI)]);
    assert_eq!(t.book_max, [2.0 * (PARAM + BI)]);
}

#[test]
fn two_outages_10h_apart_are_two_events_with_a_6h_clause_or_none() {
    for clause in ["[book]\nhours_clause = 6", ""] {
        let t = forced_trial(&book(clause));
        let ids: Vec<u64> = t.events.iter().map(|e| e.event_id).collect();
        // Policy order, then start: param-a's two outages, then bi-b's.
        assert_eq!(ids, [1, 2, 1, 2], "{clause}");
        let gul: Vec<u64> = t.gul_events.iter().map(|e| e.event_id).collect();
        assert_eq!(gul, [1, 2, 1, 2], "{clause}");
        assert_eq!(t.years[0].max_event, PARAM);
        assert_eq!(t.years[1].max_event, BI);
        assert_eq!(t.years[1].payout, 2.0 * BI);
        let pf: Vec<(f64, u64)> = t
            .portfolio_events
            .iter()
            .map(|e| (e.payout, e.event_id))
            .collect();
        assert_eq!(pf, [(PARAM + BI, 1), (PARAM + BI, 2)]);
        assert_eq!(t.book_max, [PARAM + BI]);
    }
}

#[test]
fn a_clause_must_be_positive() {
    let file = fateshare::scenario::parse(
        "name = \"x\"\n[book]\nhours_clause = 0\n[[component]]\nid = \"c\"\n[[architecture]]\nid = \"a\"\nserves = \"c\"\n",
        "t.toml",
    )
    .unwrap();
    let problems = fateshare::scenario::validate::compile(&file).unwrap_err();
    let text: Vec<String> = problems
        .iter()
        .map(|p| format!("{}: {}", p.place, p.message))
        .collect();
    assert!(
        text.iter()
            .any(|p| p.contains("[book]") && p.contains("hours_clause")),
        "{text:?}"
    );
}

/// Two insureds on two regions that fail together through a shared DNS cause,
/// and each on its own; causes recur within days of each other often enough
/// to exercise the clause.
const SAMPLED: &str = r#"
[[component]]
id = "dns"
[[component]]
id = "east"
outages = { per_year = 6, duration = { dist = "exponential", mean_hours = 4 } }
[[component]]
id = "west"
outages = { per_year = 4, duration = { dist = "lognormal", median_hours = 2, p95_hours = 12 } }
[[component]]
id = "app-e"
needs = ["east", "dns"]
[[component]]
id = "app-w"
needs = ["west", "dns"]
[[cause]]
id = "dns-cause"
per_year = 5
duration = { dist = "exponential", mean_hours = 3 }
hits = { dns = 1.0 }
[[architecture]]
id = "e"
serves = "app-e"
loss = { per_hour = 1000 }
[[architecture]]
id = "w"
serves = "app-w"
loss = { per_hour = 500, per_outage = 100 }
[[policy]]
id = "pe"
kind = "parametric"
index = "app-e"
insured = "e"
waiting_hours = 0.5
pay_per_hour = 300
max_hours_per_event = 24
portfolio = "book"
[[policy]]
id = "iw"
kind = "indemnity"
insured = "w"
deductible = 200
share = 0.8
event_limit = 5000
portfolio = "book"
"#;

fn sampled(clause: &str, trials: u64) -> insurance::Insurance {
    let m = model(&format!("name = \"sampled\"\n{clause}\n{SAMPLED}"));
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials,
        seed: 11,
    };
    let opts = Options {
        ord: true,
        per_trial: true,
    };
    insurance::run(&m, &settings, &RunOptions::default(), opts)
        .1
        .expect("insurance results")
}

#[test]
fn occurrence_and_aggregate_losses_keep_their_exact_relations() {
    let trials = 4000;
    let none = sampled("", trials);
    let day = sampled("[book]\nhours_clause = 24", trials);
    let year = sampled("[book]\nhours_clause = 1000000", trials);
    let (n, p) = (trials as usize, none.table.policies);
    let mut grouped = 0;
    for t in 0..n {
        let mut pf = [0.0; 3];
        for (k, ins) in [&none, &day, &year].into_iter().enumerate() {
            let row = &ins.table.years[t * p..(t + 1) * p];
            for y in row {
                // Occurrence ≤ aggregate, every trial.
                assert!(y.max_event <= y.payout + 1e-9 * y.payout, "trial {t}");
            }
            // The portfolio's largest event ≥ any member's; the book's ≥ the portfolio's.
            let pmax = ins.table.portfolio_max[t];
            assert!(row.iter().all(|y| y.max_event <= pmax + 1e-9 * pmax));
            assert!(pmax <= ins.table.book_max[t] + 1e-9 * pmax);
            pf[k] = pmax;
            // The clause changes which outages are one event, never what is paid.
            for (y, z) in row.iter().zip(&none.table.years[t * p..(t + 1) * p]) {
                assert_eq!(
                    (y.payout, y.events_paid, y.exhausted, y.no_need_paid),
                    (z.payout, z.events_paid, z.exhausted, z.no_need_paid)
                );
            }
        }
        // Wider windows only join events: the largest event cannot shrink.
        assert!(pf[0] <= pf[1] + 1e-9 * pf[1] && pf[1] <= pf[2] + 1e-9 * pf[2]);
        grouped += usize::from(pf[1] > pf[0]);
    }
    // A clause longer than the period makes all of a source's occurrences in
    // a trial one event: each policy here can be hit by two sources only.
    let mut per: Vec<(u64, u32, u64)> = year
        .table
        .events
        .iter()
        .map(|e| (e.trial, e.policy, e.event_id))
        .collect();
    per.sort_unstable();
    per.dedup();
    let mut count = std::collections::HashMap::new();
    for (t, p, _) in per {
        *count.entry((t, p)).or_insert(0) += 1;
    }
    assert!(
        count.values().all(|&c| c <= 2),
        "more than two events per policy"
    );
    assert!(
        grouped > 10,
        "the 24 h clause joined events in {grouped} trials only"
    );
    // The OEP curve follows the per-trial relations at every return period.
    for (a, b) in [(&none, &day), (&day, &year)] {
        for s in [
            fateshare::insurance::ord::SummaryKind::Policy,
            fateshare::insurance::ord::SummaryKind::Portfolio,
        ] {
            for (x, y) in a.ord.set(s).zip(b.ord.set(s)) {
                for (r, q) in x.ept.iter().zip(&y.ept) {
                    assert_eq!((r.ep_type, r.return_period), (q.ep_type, q.return_period));
                    if r.ep_type == fateshare::insurance::ord::OEP {
                        assert!(
                            r.loss <= q.loss * (1.0 + 1e-12),
                            "{} {}",
                            x.id,
                            r.return_period
                        );
                    }
                    if r.ep_type == fateshare::insurance::ord::AEP {
                        assert_eq!(r.loss, q.loss);
                    }
                }
            }
        }
    }
}

#[test]
fn event_ids_are_shared_across_ground_up_and_insured_rows() {
    let ins = sampled("[book]\nhours_clause = 72", 1500);
    let t = &ins.table;
    assert!(t.events.len() > 1000, "{} paid outages", t.events.len());
    // Every paid outage of the indemnity cover is an outage of its insured
    // with a loss: same trial, start and event.
    let iw = 1;
    let w = 1;
    let mut checked = 0;
    for e in t.events.iter().filter(|e| e.policy == iw) {
        let g = t
            .gul_events
            .iter()
            .find(|g| g.trial == e.trial && g.architecture == w && g.start_hours == e.start_hours)
            .expect("the insured's outage");
        assert_eq!(g.event_id, e.event_id);
        checked += 1;
    }
    assert!(checked > 300, "{checked}");
    // A portfolio event's payout is the sum of its members' rows with its EventId.
    for pe in &t.portfolio_events {
        let sum: f64 = t
            .events
            .iter()
            .filter(|e| e.trial == pe.trial && e.event_id == pe.event_id)
            .map(|e| e.payout)
            .sum();
        assert!(
            (pe.payout - sum).abs() <= 1e-9 * sum,
            "event {}",
            pe.event_id
        );
    }
    // Ids run from 1 without gaps, ascending with the trial.
    let mut ids: Vec<(u64, u64)> = t
        .events
        .iter()
        .map(|e| (e.event_id, e.trial))
        .chain(t.gul_events.iter().map(|g| (g.event_id, g.trial)))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids[0].0, 1);
    for w in ids.windows(2) {
        assert_eq!(w[1].0, w[0].0 + 1);
        assert!(w[1].1 >= w[0].1);
    }
    // Shared causes: some event pays both insureds.
    assert!(t.portfolio_events.iter().any(|e| e.policies == 2));
}
