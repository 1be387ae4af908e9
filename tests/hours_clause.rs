//! Events as treaties define them (docs/insurance.md §13): one event per
//! occurrence of a cause, grouped by the `[book] hours_clause`, with one
//! EventId shared by the ground-up and insured rows it produces; the
//! exact relations between occurrence (OEP) and aggregate (AEP) losses; and
//! treaties taking those events (not chains of overlapping outages) as theirs:
//! cat XL amounts by hand on forced outages, ceded + net = gross per event.

use crate::common;
use common::*;
use fateshare::engine::{Observer, RunOptions, TrialRunner};
use fateshare::insurance::payout::{PayoutObserver, PayoutTable};
use fateshare::insurance::portfolio::Portfolios;
use fateshare::insurance::treaties::premium;
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

/// Runs trial 0 of `model` with each `(cause, component, start, hours)`
/// forced, and returns the payout table.
fn forced(model: &Model, outages: &[(&str, &str, f64, f64)]) -> PayoutTable {
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
    let mut runner = TrialRunner::new(model, &observer.components());
    runner.world.force(
        outages
            .iter()
            .map(|&(cause, component, start, hours)| Forced {
                source: model.source_index(cause).unwrap() as u32,
                start,
                end: start + hours,
                components: vec![model.component_index(component).unwrap() as u32],
                severity: 1.0,
            })
            .collect(),
    );
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

/// The treaties of `model` on one forced trial.
fn treaties_of(model: &Model, t: &PayoutTable) -> fateshare::insurance::treaties::TreatyResults {
    let mut ord = fateshare::insurance::ord::Ord::default();
    fateshare::insurance::treaties::analyze(model, t, 1, &mut ord, None)
}

/// Per EventId: (gross, net) summed over its paid outages.
fn by_event(t: &PayoutTable, net: &[f64]) -> Vec<(u64, f64, f64)> {
    let mut out: Vec<(u64, f64, f64)> = Vec::new();
    for (e, &n) in t.events.iter().zip(net) {
        match out.iter_mut().find(|x| x.0 == e.event_id) {
            Some(x) => {
                x.1 += e.payout;
                x.2 += n;
            }
            None => out.push((e.event_id, e.payout, n)),
        }
    }
    out.sort_by_key(|x| x.0);
    out
}

const CAT_300_XS_200: &str = r#"
[[treaty]]
id = "cat"
kind = "cat_xl"
attachment = 200
limit = 300
reinstatements = 1
"#;

#[test]
fn cat_xl_events_follow_the_hours_clause() {
    // 72 h: one event of 2 × (200 + 250) = 900 → 300 xs 200 cedes 300.
    // 6 h: two events of 450 → 250 each, 500 in all (one reinstatement:
    // 600 a period, so the second event is not cut; 300 reinstated either way).
    for (clause, events, ceded_per_event) in [
        ("[book]\nhours_clause = 72", 1, 300.0),
        ("[book]\nhours_clause = 6", 2, 250.0),
    ] {
        let m = book(&format!("{clause}\n{CAT_300_XS_200}"));
        let t = forced_trial(&m);
        let r = treaties_of(&m, &t);
        let gross = 2.0 * (PARAM + BI);
        let per_event = gross / events as f64;
        let ceded = ceded_per_event * events as f64;
        assert_eq!(r.years[0].ceded, ceded, "{clause}");
        assert_eq!(r.years[0].max_event, ceded_per_event, "{clause}");
        assert_eq!(r.years[0].reinstated, 300.0, "{clause}");
        assert!(!r.years[0].exhausted, "{clause}");
        assert_eq!(r.book[0], [gross, ceded, gross - ceded], "{clause}");
        assert_eq!(
            r.book_max[0],
            [per_event, ceded_per_event, per_event - ceded_per_event],
            "{clause}"
        );
        // Ceded + net = gross per event, each event ceding its own layer.
        let ev = by_event(&t, &r.net_events);
        assert_eq!(ev.len(), events, "{clause}");
        for (id, g, n) in ev {
            assert!((g - per_event).abs() < 1e-9, "{clause}: event {id}");
            assert!(
                (g - n - ceded_per_event).abs() < 1e-9,
                "{clause}: event {id}"
            );
        }
        // Each paid outage cedes pro rata of its payout.
        for (e, &n) in t.events.iter().zip(&r.net_events) {
            let want = e.payout * (1.0 - ceded_per_event / per_event);
            assert!((n - want).abs() < 1e-9, "{clause}: {n} vs {want}");
        }
        // The treaties' gross occurrence loss is the observer's book event.
        assert_eq!(r.book_max[0][0], t.book_max[0]);
        // Reinstatement premium at 100% pro rata of amount, by hand: with
        // this period as the expectation, P (1 + 300 / 300) = C, so P = C / 2.
        let (p, rip) = premium(&m.treaties[0], ceded, r.years[0].reinstated);
        assert_eq!((p, rip), (ceded / 2.0, Some(ceded / 2.0)), "{clause}");
    }
    // Without the reinstatement the aggregate limit is 300: under the 6 h
    // clause the first event cedes 250 and the second the 50 left, exhausting it.
    let no_reinstatement = CAT_300_XS_200.replace("reinstatements = 1\n", "");
    let m = book(&format!("[book]\nhours_clause = 6\n{no_reinstatement}"));
    assert_eq!(m.treaties[0].aggregate_limit, 300.0);
    let t = forced_trial(&m);
    let r = treaties_of(&m, &t);
    assert_eq!((r.years[0].ceded, r.years[0].exhausted), (300.0, true));
    assert_eq!(r.years[0].reinstated, 0.0);
    let ev = by_event(&t, &r.net_events);
    let ceded: Vec<f64> = ev.iter().map(|(_, g, n)| g - n).collect();
    assert!(
        (ceded[0] - 250.0).abs() < 1e-9 && (ceded[1] - 50.0).abs() < 1e-9,
        "{ceded:?}"
    );
}

#[test]
fn overlapping_outages_of_different_causes_are_two_cat_events() {
    // Two clouds with their own causes, an insured on each; the east cause
    // at 100–103 h and the west one at 101–104 h overlap in time.
    let m = model(&format!(
        r#"name = "two causes"
[[component]]
id = "east"
[[component]]
id = "west"
[[component]]
id = "app-a"
needs = ["east"]
[[component]]
id = "app-b"
needs = ["west"]
[[cause]]
id = "east-down"
per_year = 1e-9
duration = {{ dist = "fixed", hours = 1 }}
hits = {{ east = 1.0 }}
[[cause]]
id = "west-down"
per_year = 1e-9
duration = {{ dist = "fixed", hours = 1 }}
hits = {{ west = 1.0 }}
[[architecture]]
id = "a"
serves = "app-a"
loss = {{ per_hour = 1000 }}
[[architecture]]
id = "b"
serves = "app-b"
loss = {{ per_hour = 200 }}
[[policy]]
id = "param-a"
kind = "parametric"
index = "east"
insured = "a"
waiting_hours = 1
pay_per_hour = 100
[[policy]]
id = "bi-b"
kind = "indemnity"
insured = "b"
deductible = 100
share = 0.5
{CAT_300_XS_200}"#
    ));
    let t = forced(
        &m,
        &[
            ("east-down", "east", 100.0, 3.0),
            ("west-down", "west", 101.0, 3.0),
        ],
    );
    let ids: Vec<(u32, u64, f64)> = t
        .events
        .iter()
        .map(|e| (e.policy, e.event_id, e.payout))
        .collect();
    assert_eq!(ids, [(0, 1, PARAM), (1, 2, BI)]);
    let r = treaties_of(&m, &t);
    // Events of 200 and 250: 300 xs 200 cedes 0 and 50 (one chain of
    // overlapping outages would have been one event of 450 ceding 250).
    assert_eq!(r.years[0].ceded, 50.0);
    assert_eq!(r.years[0].max_event, 50.0);
    assert_eq!(r.book[0], [450.0, 50.0, 400.0]);
    assert_eq!(r.book_max[0], [BI, 50.0, PARAM]);
    assert_eq!(r.net_events, [PARAM, BI - 50.0]);
    assert_eq!(t.book_max[0], BI);
}
