//! The engine benchmark's shapes and its floor, shared by `benches/engine.rs`
//! (criterion) and `examples/engine_profile.rs` (one run, for valgrind's
//! instruction counts): the benchmark scenario and generated shapes (a deep
//! chain, a wide quorum, many architectures, many causes, long outages that
//! run past the horizon, the peer comparison's tiered system).
//!
//! The floor is the cheapest correct way to sample the same events: per
//! source and trial, one stream seeded as the run seeds it, a Poisson count
//! of the events in progress at time 0 and of the arrivals in the period,
//! uniform start times and a duration each; nothing stored.

use fateshare::model::{Model, Settings};
use fateshare::world::{source_seed, stream_key, trial_seed};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Poisson};
use std::path::Path;

/// Builds one generated shape.
pub type Shape = fn() -> Model;

/// The floor: sample every trial's events the cheapest correct way, keep nothing.
pub fn floor(model: &Model, settings: &Settings) -> f64 {
    let h = settings.horizon_hours;
    let per_source: Vec<_> = model
        .sources
        .iter()
        .map(|s| {
            let poisson = |l: f64| (l > 0.0).then(|| Poisson::new(l).expect("finite mean"));
            (
                stream_key(&s.id),
                poisson(s.rate_per_hour * s.duration.mean()),
                poisson(s.rate_per_hour * h),
            )
        })
        .collect();
    let mut total = 0.0;
    for t in 0..settings.trials {
        let ts = trial_seed(settings.seed, t);
        for (s, (key, in_progress, arrivals)) in model.sources.iter().zip(&per_source) {
            let Some(arrivals) = arrivals else { continue };
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(source_seed(ts, *key));
            if let Some(p) = in_progress {
                for _ in 0..p.sample(&mut rng) as u64 {
                    let (age, remaining) = s.duration.sample_in_progress(&mut rng);
                    total += remaining - age;
                }
            }
            for _ in 0..arrivals.sample(&mut rng) as u64 {
                let start = h * rng.random::<f64>();
                total += start + s.duration.sample(&mut rng);
            }
        }
    }
    total
}

fn compile(text: &str) -> Model {
    let file = fateshare::scenario::parse(text, "bench.toml").expect("generated scenario parses");
    fateshare::scenario::validate::compile(&file).expect("generated scenario is valid")
}

const OWN: &str = "outages = { per_year = 1.0, duration = { dist = \"lognormal\", median_hours = 2, p95_hours = 8 } }";

/// A chain of 40 components, each needing the one before it, all with own outages.
pub fn deep_chain() -> Model {
    let mut t = String::from("name = \"deep chain\"\n");
    for i in 0..40 {
        let needs = if i > 0 {
            format!("needs = [\"c{}\"]\n", i - 1)
        } else {
            String::new()
        };
        t += &format!("[[component]]\nid = \"c{i}\"\n{needs}{OWN}\n");
    }
    t += "[[architecture]]\nid = \"top\"\nserves = \"c39\"\nloss = { per_hour = 1000 }\n";
    compile(&t)
}

/// 30 zones behind a 20-of-30 quorum, with 3 causes over 10 zones each.
pub fn wide_quorum() -> Model {
    let mut t = String::from("name = \"wide quorum\"\n");
    for i in 0..30 {
        t += &format!("[[component]]\nid = \"z{i}\"\n{OWN}\n");
    }
    let zones: Vec<String> = (0..30).map(|i| format!("\"z{i}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"fleet\"\nneeds = [{}]\nmode = \"quorum\"\nquorum = 20\n",
        zones.join(", ")
    );
    for k in 0..3 {
        let hits: Vec<String> = (0..10).map(|i| format!("z{} = 1.0", 10 * k + i)).collect();
        t += &format!("[[cause]]\nid = \"k{k}\"\nper_year = 0.5\nduration = {{ dist = \"exponential\", mean_hours = 4 }}\nhits = {{ {} }}\n", hits.join(", "));
    }
    t += "[[architecture]]\nid = \"fleet\"\nserves = \"fleet\"\nloss = { per_hour = 1000 }\n";
    compile(&t)
}

/// 40 leaves and 20 architectures, each an `any` pair of them.
pub fn many_architectures() -> Model {
    let mut t = String::from("name = \"many architectures\"\n");
    for i in 0..40 {
        t += &format!("[[component]]\nid = \"l{i}\"\n{OWN}\n");
    }
    for a in 0..20 {
        t += &format!(
            "[[component]]\nid = \"p{a}\"\nneeds = [\"l{}\", \"l{}\"]\nmode = \"any\"\n",
            2 * a,
            (2 * a + 7) % 40
        );
        t += &format!(
            "[[architecture]]\nid = \"a{a}\"\nserves = \"p{a}\"\nloss = {{ per_hour = 1000 }}\n"
        );
    }
    compile(&t)
}

/// 20 leaves in 2-of-3 groups under one `all`, hit by 60 causes of 2-4 leaves.
pub fn many_causes() -> Model {
    let mut t = String::from("name = \"many causes\"\n");
    for i in 0..21 {
        t += &format!("[[component]]\nid = \"l{i}\"\n{OWN}\n");
    }
    for g in 0..7 {
        t += &format!(
            "[[component]]\nid = \"g{g}\"\nneeds = [\"l{}\", \"l{}\", \"l{}\"]\nmode = \"quorum\"\nquorum = 2\n",
            3 * g,
            3 * g + 1,
            3 * g + 2
        );
    }
    let groups: Vec<String> = (0..7).map(|g| format!("\"g{g}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"top\"\nneeds = [{}]\n",
        groups.join(", ")
    );
    for k in 0..60 {
        let n = 2 + k % 3;
        let hits: Vec<String> = (0..n)
            .map(|j| format!("l{} = 1.0", (k * 5 + j * 4) % 21))
            .collect();
        t += &format!("[[cause]]\nid = \"k{k}\"\nper_year = 0.3\nduration = {{ dist = \"lognormal\", median_hours = 3, p95_hours = 12 }}\nhits = {{ {} }}\n", hits.join(", "));
    }
    t += "[[architecture]]\nid = \"top\"\nserves = \"top\"\nloss = { per_hour = 1000 }\n";
    compile(&t)
}

/// Two `any` pairs under an `all`, with outages of weeks to months.
pub fn long_outages() -> Model {
    let own = "outages = { per_year = 2.0, duration = { dist = \"lognormal\", median_hours = 200, p95_hours = 3000 } }";
    let mut t = String::from("name = \"long outages\"\n");
    for i in 0..4 {
        t += &format!("[[component]]\nid = \"l{i}\"\n{own}\n");
    }
    t += "[[component]]\nid = \"p0\"\nneeds = [\"l0\", \"l1\"]\nmode = \"any\"\n";
    t += "[[component]]\nid = \"p1\"\nneeds = [\"l2\", \"l3\"]\nmode = \"any\"\n";
    t += "[[component]]\nid = \"top\"\nneeds = [\"p0\", \"p1\"]\n";
    t += "[[architecture]]\nid = \"top\"\nserves = \"top\"\nloss = { per_hour = 1000 }\n";
    compile(&t)
}

/// The peer comparison's system (`benches/peer/tiered.py`): 10 tiers in
/// series, each of 5 components in parallel, every component failing 2
/// times a year for an exponential 4 h.
pub fn peer_tiered() -> Model {
    let own =
        "outages = { per_year = 2.0, duration = { dist = \"exponential\", mean_hours = 4.0 } }";
    let mut t = String::from("name = \"peer tiered\"\n");
    for tier in 0..10 {
        for c in 0..5 {
            t += &format!("[[component]]\nid = \"t{tier}c{c}\"\n{own}\n");
        }
        let needs: Vec<String> = (0..5).map(|c| format!("\"t{tier}c{c}\"")).collect();
        t += &format!(
            "[[component]]\nid = \"tier{tier}\"\nneeds = [{}]\nmode = \"any\"\n",
            needs.join(", ")
        );
    }
    let tiers: Vec<String> = (0..10).map(|t| format!("\"tier{t}\"")).collect();
    t += &format!(
        "[[component]]\nid = \"system\"\nneeds = [{}]\n",
        tiers.join(", ")
    );
    t += "[[architecture]]\nid = \"system\"\nserves = \"system\"\nloss = { per_hour = 1000 }\n";
    compile(&t)
}

/// The benchmark scenario, `scenarios/benchmark.toml`.
pub fn benchmark() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmark.toml");
    fateshare::scenario::load(&path)
        .expect("benchmark scenario is valid")
        .1
}

/// Every shape by name, the benchmark scenario first (its settings are the
/// scenario's; the others run one year from seed 1).
pub const SHAPES: [(&str, Shape); 7] = [
    ("engine", benchmark),
    ("deep_chain", deep_chain),
    ("wide_quorum", wide_quorum),
    ("many_architectures", many_architectures),
    ("many_causes", many_causes),
    ("long_outages", long_outages),
    ("peer_tiered", peer_tiered),
];

/// The settings a shape runs with, for `trials` trials.
pub fn settings(model: &Model, name: &str, trials: u64) -> Settings {
    if name == "engine" {
        Settings {
            trials,
            ..model.settings
        }
    } else {
        Settings {
            trials,
            horizon_hours: 8760.0,
            seed: 1,
        }
    }
}
