//! Clusters of overlapping events that the fast evaluator
//! ([`fateshare::fast`]) settles without the full algebra because a watched
//! component is up under one event hitting everything the cluster hits: the
//! same timelines and outcomes as the full evaluator, bit for bit, and such
//! clusters are common in the shape built for them.

use crate::common::model;
use fateshare::engine::TrialRunner;
use fateshare::model::Settings;

/// Two `any` pairs of leaves under an `all`, leaves failing 40 times a year
/// for 30 hours on average (4 × 40 × 30 ÷ 8,760 = 0.55 events in progress):
/// one leaf event alone leaves the top up, so a cluster of several reaches
/// it "partly"; unless a cluster hits both leaves of a pair, the top is up
/// under all its hits at once and the cluster is settled by that rule.
#[test]
fn clusters_up_under_all_their_hits_equal_full_evaluator() {
    let own = "outages = { per_year = 40, duration = { dist = \"exponential\", mean_hours = 30 } }";
    let mut t = String::from("name = \"pairs\"\n");
    for i in 0..4 {
        t += &format!("[[component]]\nid = \"l{i}\"\n{own}\n");
    }
    t += "[[component]]\nid = \"p0\"\nneeds = [\"l0\", \"l1\"]\nmode = \"any\"\n";
    t += "[[component]]\nid = \"p1\"\nneeds = [\"l2\", \"l3\"]\nmode = \"any\"\n";
    t += "[[component]]\nid = \"top\"\nneeds = [\"p0\", \"p1\"]\n";
    t += "[[architecture]]\nid = \"top\"\nserves = \"top\"\nloss = { per_hour = 10 }\n";
    let m = model(&t);
    let leaf = |i: usize| m.component_index(&format!("l{i}")).expect("a leaf") as u32;
    let pairs = [(leaf(0), leaf(1)), (leaf(2), leaf(3))];
    let settings = Settings {
        horizon_hours: 8760.0,
        trials: 200,
        seed: 3,
    };
    let mut full = TrialRunner::new(&m, &[]);
    let mut fast = TrialRunner::clustered(&m, &[]);
    let top = m.architectures[0].serves;
    let (mut settled, mut down) = (0u64, 0u64);
    for trial in 0..settings.trials {
        full.run(&settings, trial);
        fast.run(&settings, trial);
        assert_eq!(
            full.timelines.down[top], fast.timelines.down[top],
            "trial {trial}"
        );
        assert_eq!(
            format!("{:?}", full.outcomes[0]),
            format!("{:?}", fast.outcomes[0]),
            "trial {trial}"
        );
        down += u64::from(full.outcomes[0].outages);
        // The clusters of several events that hit no pair whole.
        let world = &fast.world;
        let mut events: Vec<_> = world.events.iter().collect();
        events.sort_by(|a, b| a.start.total_cmp(&b.start));
        let mut i = 0;
        while i < events.len() {
            let (mut end, mut j) = (events[i].end, i + 1);
            while j < events.len() && events[j].start <= end {
                end = end.max(events[j].end);
                j += 1;
            }
            let hit: Vec<u32> = events[i..j]
                .iter()
                .flat_map(|e| world.hit_components(e).iter().copied())
                .collect();
            let whole = |&(a, b): &(u32, u32)| hit.contains(&a) && hit.contains(&b);
            if j - i >= 2 && !pairs.iter().any(whole) {
                settled += 1;
            }
            i = j;
        }
    }
    assert!(
        settled > 2_000,
        "only {settled} clusters settled by the rule"
    );
    assert!(down > 500, "only {down} outages of the top compared");
}
