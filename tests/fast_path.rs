//! The run's fast evaluator ([`fateshare::fast`]: watched components only,
//! cluster by cluster) equals the full evaluator trial by trial, bit for bit,
//! on random graphs with every binary feature: all / any / quorum / failover
//! (with and without switch time and retry), ride-through, random hits,
//! causes over several components, outages overlapping often, events running
//! past the horizon.

use crate::common::model;
use fateshare::engine::TrialRunner;
use fateshare::model::Settings;

/// A small deterministic generator for random test graphs.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn duration(rng: &mut Lcg) -> String {
    match rng.below(4) {
        0 => "{ dist = \"fixed\", hours = 2.0 }".into(),
        1 => format!(
            "{{ dist = \"exponential\", mean_hours = {} }}",
            1 + rng.below(30)
        ),
        2 => "{ dist = \"lognormal\", median_hours = 3, p95_hours = 40 }".into(),
        _ => "{ dist = \"uniform\", min_hours = 0.5, max_hours = 9 }".into(),
    }
}

/// Leaves with own outages, combinators over earlier components, causes;
/// rates divided by `thin` (at least 1 a year).
fn random_scenario(rng: &mut Lcg, thin: u64) -> String {
    let rate = |r: u64| (r / thin).max(1);
    let leaves = 3 + rng.below(4) as usize;
    let inner = 3 + rng.below(6) as usize;
    let n = leaves + inner;
    let mut t = String::from("name = \"random\"\n");
    for i in 0..leaves {
        let per_year = rate(20 + rng.below(200));
        t += &format!(
            "[[component]]\nid = \"c{i}\"\noutages = {{ per_year = {per_year}, duration = {} }}\n",
            duration(rng)
        );
    }
    for i in leaves..n {
        let k = (2 + rng.below(3) as usize).min(i);
        let mut needs: Vec<usize> = Vec::new();
        while needs.len() < k {
            let d = rng.below(i as u64) as usize;
            if !needs.contains(&d) {
                needs.push(d);
            }
        }
        let list: Vec<String> = needs
            .iter()
            .map(|d| {
                if rng.below(5) == 0 {
                    format!(
                        "{{ id = \"c{d}\", tolerate_minutes = {} }}",
                        10 + rng.below(200)
                    )
                } else {
                    format!("\"c{d}\"")
                }
            })
            .collect();
        let mode = match rng.below(6) {
            0 | 1 => String::new(),
            2 => "mode = \"any\"\n".into(),
            3 => format!(
                "mode = \"failover\"\nswitch_minutes = {}\n",
                rng.below(3) * 20
            ),
            4 => "mode = \"failover\"\nswitch_minutes = 5\nretry = true\n".into(),
            _ => format!("mode = \"quorum\"\nquorum = {}\n", 1 + rng.below(k as u64)),
        };
        let own = if rng.below(3) == 0 {
            format!(
                "outages = {{ per_year = {}, duration = {} }}\n",
                rate(5 + rng.below(50)),
                duration(rng)
            )
        } else {
            String::new()
        };
        t += &format!(
            "[[component]]\nid = \"c{i}\"\nneeds = [{}]\n{mode}{own}",
            list.join(", ")
        );
    }
    for j in 0..1 + rng.below(4) {
        let mut hits: Vec<usize> = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let c = rng.below(n as u64) as usize;
            if !hits.contains(&c) {
                hits.push(c);
            }
        }
        let list: Vec<String> = hits
            .iter()
            .map(|c| {
                let p = if rng.below(3) == 0 { "0.5" } else { "1.0" };
                format!("c{c} = {p}")
            })
            .collect();
        t += &format!(
            "[[cause]]\nid = \"k{j}\"\nper_year = {}\nduration = {}\nhits = {{ {} }}\n",
            rate(5 + rng.below(60)),
            duration(rng),
            list.join(", ")
        );
    }
    for a in 0..1 + rng.below(3) {
        let serves = leaves + rng.below(inner as u64) as usize;
        t += &format!(
            "[[architecture]]\nid = \"a{a}\"\nserves = \"c{serves}\"\nloss = {{ per_hour = 100, per_outage = 7 }}\n"
        );
    }
    t
}

#[test]
fn fast_evaluator_equals_full_evaluator_trial_by_trial() {
    let mut rng = Lcg(13);
    let (mut scenarios, mut outages) = (0, 0u64);
    for _ in 0..60 {
        let text = random_scenario(&mut rng, 1);
        let m = model(&text);
        if m.has_partial_service() {
            continue;
        }
        scenarios += 1;
        // A short period, so many outages run past its end.
        let settings = Settings {
            horizon_hours: 500.0,
            trials: 200,
            seed: 5,
        };
        let mut full = TrialRunner::new(&m, &[]);
        let mut fast = TrialRunner::clustered(&m, &[]);
        for trial in 0..settings.trials {
            full.run(&settings, trial);
            fast.run(&settings, trial);
            for (a, arch) in m.architectures.iter().enumerate() {
                let (x, y) = (&full.outcomes[a], &fast.outcomes[a]);
                assert_eq!(
                    format!("{x:?}"),
                    format!("{y:?}"),
                    "trial {trial}, architecture {a} of\n{text}"
                );
                assert_eq!(
                    full.timelines.down[arch.serves], fast.timelines.down[arch.serves],
                    "trial {trial}, architecture {a} of\n{text}"
                );
                assert_eq!(
                    x.downtime_hours.to_bits(),
                    y.downtime_hours.to_bits(),
                    "trial {trial}"
                );
                assert_eq!(x.loss.to_bits(), y.loss.to_bits(), "trial {trial}");
                outages += u64::from(x.outages);
            }
        }
    }
    assert!(scenarios >= 40, "only {scenarios} binary scenarios");
    assert!(outages > 10_000, "only {outages} outages compared");
}

/// Events alone in their cluster (no other event's closed interval meets
/// theirs), as most are in a sparse year, go through the fast evaluator's
/// precomputed effects, including those that a failover's switch time cuts
/// short or a ride-through starts late: still equal to the full evaluator
/// bit for bit, and both kinds are seen often.
#[test]
fn sparse_lone_events_cut_and_late_equal_full_evaluator() {
    let mut rng = Lcg(29);
    let (mut cut, mut late, mut lone) = (0u64, 0u64, 0u64);
    for _ in 0..60 {
        let text = random_scenario(&mut rng, 40);
        let m = model(&text);
        if m.has_partial_service() {
            continue;
        }
        let settings = Settings {
            horizon_hours: 8760.0,
            trials: 100,
            seed: 11,
        };
        let mut full = TrialRunner::new(&m, &[]);
        let mut fast = TrialRunner::clustered(&m, &[]);
        for trial in 0..settings.trials {
            full.run(&settings, trial);
            fast.run(&settings, trial);
            let events = &fast.world.events;
            for (a, arch) in m.architectures.iter().enumerate() {
                let down = &fast.timelines.down[arch.serves];
                assert_eq!(
                    full.timelines.down[arch.serves], *down,
                    "trial {trial}, architecture {a} of\n{text}"
                );
                assert_eq!(
                    format!("{:?}", full.outcomes[a]),
                    format!("{:?}", fast.outcomes[a])
                );
                for iv in down {
                    let meets =
                        |e: &fateshare::world::Event, s: f64, t: f64| e.start <= t && e.end >= s;
                    let mut over = events.iter().filter(|e| meets(e, iv.start, iv.end));
                    let (Some(e), None) = (over.next(), over.next()) else {
                        continue;
                    };
                    if events.iter().filter(|f| meets(f, e.start, e.end)).count() != 1 {
                        continue;
                    }
                    lone += 1;
                    cut += u64::from(iv.end != e.end);
                    late += u64::from(iv.start != e.start);
                }
            }
        }
    }
    assert!(lone > 10_000, "only {lone} outages of lone events");
    assert!(cut > 100, "only {cut} outages cut short by a switch");
    assert!(
        late > 100,
        "only {late} outages started late by a ride-through"
    );
}

/// The run takes the cluster evaluator where few events overlap (the
/// benchmark scenario: 0.014 events in progress on average) and the full one
/// where many do (weeks-long outages: 4 × 2 a year × 775 h mean ÷ 8,760 h =
/// 0.71 in progress), by [`fateshare::fast::Fast::pays`]; both give the
/// same outcomes either way (the tests above).
#[test]
fn cluster_evaluator_is_chosen_where_few_events_overlap() {
    use fateshare::fast::{Fast, CONCURRENT_MAX};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmark.toml");
    let (_, bench) = fateshare::scenario::load(&path).expect("benchmark scenario is valid");
    assert!(Fast::pays(&bench));
    let own = "outages = { per_year = 2.0, duration = { dist = \"lognormal\", median_hours = 200, p95_hours = 3000 } }";
    let mut t = String::from("name = \"long\"\n");
    for i in 0..4 {
        t += &format!("[[component]]\nid = \"l{i}\"\n{own}\n");
    }
    t += "[[component]]\nid = \"top\"\nneeds = [\"l0\", \"l1\", \"l2\", \"l3\"]\nmode = \"any\"\n";
    t += "[[architecture]]\nid = \"top\"\nserves = \"top\"\n";
    let long = model(&t);
    assert!(!Fast::pays(&long));
    // One exponential source of 1 a year: in progress rate × mean on average.
    let one = |mean: f64| {
        model(&format!(
            "name = \"one\"\n[[component]]\nid = \"c\"\noutages = {{ per_year = 1.0, duration = {{ dist = \"exponential\", mean_hours = {mean} }} }}\n[[architecture]]\nid = \"a\"\nserves = \"c\"\n"
        ))
    };
    let edge = CONCURRENT_MAX * 8760.0;
    assert!(Fast::pays(&one(edge * 0.99)));
    assert!(!Fast::pays(&one(edge * 1.01)));
}

/// Asserts that the two runners' last trial gave every architecture the
/// same timeline and outcome, bit for bit; returns how many were compared.
fn same_trial(
    full: &TrialRunner,
    fast: &TrialRunner,
    m: &fateshare::model::Model,
    trial: u64,
    text: &str,
) -> u64 {
    for (a, arch) in m.architectures.iter().enumerate() {
        assert_eq!(
            full.timelines.down[arch.serves], fast.timelines.down[arch.serves],
            "trial {trial}, architecture {a} of\n{text}"
        );
        assert_eq!(
            format!("{:?}", full.outcomes[a]),
            format!("{:?}", fast.outcomes[a])
        );
    }
    m.architectures.len() as u64
}

/// A graph of `all` components only: leaves with own outages, each inner
/// component needing up to three earlier ones, causes hitting several (some
/// at random).
fn all_scenario(rng: &mut Lcg) -> String {
    let leaves = 2 + rng.below(4) as usize;
    let n = leaves + 2 + rng.below(5) as usize;
    let mut t = String::from("name = \"all\"\n");
    for i in 0..n {
        let needs = if i < leaves {
            String::new()
        } else {
            let mut needs: Vec<String> = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let d = format!("\"c{}\"", rng.below(i as u64));
                if !needs.contains(&d) {
                    needs.push(d);
                }
            }
            format!("needs = [{}]\n", needs.join(", "))
        };
        let own = if i < leaves || rng.below(2) == 0 {
            format!(
                "outages = {{ per_year = {}, duration = {} }}\n",
                20 + rng.below(150),
                duration(rng)
            )
        } else {
            String::new()
        };
        t += &format!("[[component]]\nid = \"c{i}\"\n{needs}{own}");
    }
    for j in 0..rng.below(3) {
        let hits: Vec<String> = (0..1 + rng.below(3))
            .map(|_| rng.below(n as u64))
            .collect::<std::collections::BTreeSet<_>>()
            .iter()
            .map(|c| format!("c{c} = {}", if rng.below(2) == 0 { "0.5" } else { "1.0" }))
            .collect();
        t += &format!(
            "[[cause]]\nid = \"k{j}\"\nper_year = {}\nduration = {}\nhits = {{ {} }}\n",
            10 + rng.below(60),
            duration(rng),
            hits.join(", ")
        );
    }
    for a in 0..1 + rng.below(2) {
        let serves = leaves + rng.below((n - leaves) as u64) as usize;
        t += &format!(
            "[[architecture]]\nid = \"a{a}\"\nserves = \"c{serves}\"\nloss = {{ per_hour = 100, per_outage = 7 }}\n"
        );
    }
    t
}

/// In a graph of `all` components every hit pattern takes each watched
/// component it reaches down for the whole event (it is clean), so the fast
/// evaluator takes clusters of several overlapping events as the union of
/// the intervals of the events that reach each watched component
/// ([`fateshare::fast`]), with no algebra: equal to the full evaluator bit
/// for bit, with such clusters common.
#[test]
fn clusters_of_clean_patterns_are_unions_equal_to_full_evaluator() {
    let mut rng = Lcg(41);
    let (mut clustered, mut compared) = (0u64, 0u64);
    for _ in 0..40 {
        let text = all_scenario(&mut rng);
        let m = model(&text);
        let settings = Settings {
            horizon_hours: 2000.0,
            trials: 100,
            seed: 3,
        };
        let mut full = TrialRunner::new(&m, &[]);
        let mut fast = TrialRunner::clustered(&m, &[]);
        for trial in 0..settings.trials {
            full.run(&settings, trial);
            fast.run(&settings, trial);
            compared += same_trial(&full, &fast, &m, trial, &text);
            // Events whose closed intervals meet another event's: in a
            // cluster of several.
            let events = &fast.world.events;
            clustered += events
                .iter()
                .enumerate()
                .filter(|&(i, e)| {
                    events
                        .iter()
                        .enumerate()
                        .any(|(j, f)| j != i && f.start <= e.end && f.end >= e.start)
                })
                .count() as u64;
        }
    }
    assert!(compared >= 4_000, "only {compared} outcomes compared");
    assert!(
        clustered > 5_000,
        "only {clustered} events in clusters of several"
    );
}

/// Architectures each on its own pair of leaves (`any`, failover with or
/// without switch time, a ride-through, `all`), frequent outages: clusters of
/// several events are common, and most reach each watched component through
/// one event only (its lone effect applies, cut or late included), some
/// through several (a union when each alone takes it down throughout, the
/// full algebra otherwise). Equal to the full evaluator bit for bit.
#[test]
fn clusters_reaching_each_component_once_equal_full_evaluator() {
    let mut rng = Lcg(53);
    let (mut shared, mut compared) = (0u64, 0u64);
    for _ in 0..20 {
        let pairs = 2 + rng.below(4) as usize;
        let mut t = String::from("name = \"pairs\"\n");
        for p in 0..pairs {
            for leg in 0..2 {
                t += &format!(
                    "[[component]]\nid = \"l{p}_{leg}\"\noutages = {{ per_year = {}, duration = {} }}\n",
                    30 + rng.below(120),
                    duration(&mut rng)
                );
            }
            let first = if rng.below(4) == 0 {
                format!(
                    "{{ id = \"l{p}_0\", tolerate_minutes = {} }}",
                    30 + rng.below(120)
                )
            } else {
                format!("\"l{p}_0\"")
            };
            let mode = match rng.below(4) {
                0 => "mode = \"any\"\n".to_string(),
                1 => format!(
                    "mode = \"failover\"\nswitch_minutes = {}\n",
                    rng.below(3) * 20
                ),
                2 => "mode = \"quorum\"\nquorum = 1\n".to_string(),
                _ => String::new(),
            };
            t += &format!(
                "[[component]]\nid = \"p{p}\"\nneeds = [{first}, \"l{p}_1\"]\n{mode}[[architecture]]\nid = \"a{p}\"\nserves = \"p{p}\"\nloss = {{ per_hour = 100, per_outage = 7 }}\n"
            );
        }
        let m = model(&t);
        let settings = Settings {
            horizon_hours: 3000.0,
            trials: 100,
            seed: 9,
        };
        let mut full = TrialRunner::new(&m, &[]);
        let mut fast = TrialRunner::clustered(&m, &[]);
        for trial in 0..settings.trials {
            full.run(&settings, trial);
            fast.run(&settings, trial);
            compared += same_trial(&full, &fast, &m, trial, &t);
            // Events meeting an event of another pair: clusters of several
            // events that reach some architecture once only.
            let events = &fast.world.events;
            let pair = |e: &fateshare::world::Event| fast.world.hit_components(e)[0] / 3;
            shared += events
                .iter()
                .filter(|e| {
                    events
                        .iter()
                        .any(|f| pair(f) != pair(e) && f.start <= e.end && f.end >= e.start)
                })
                .count() as u64;
        }
    }
    assert!(compared >= 4_000, "only {compared} outcomes compared");
    assert!(
        shared > 2_000,
        "only {shared} events meeting another pair's"
    );
}
