//! The run's sampler ([`World::sample`], [`World::extend`]) against a
//! straightforward reference written from the sampling rules alone: per
//! source a stream seeded from the trial's seed and the source's id; the
//! events in progress at 0 (a Poisson count, each a length-biased total and
//! a uniform age), then exponential gaps; per (source, target) a stream of
//! its own, seeded on the source's first event of the trial, for which
//! targets an event hits and how badly. Worlds must agree bit for bit: the
//! same events in the same order, the same hits and factors, the same
//! arrival counts, on random scenarios, past the horizon and with forced
//! events.

use crate::common;
use fateshare::model::{Model, Severity};
use fateshare::world::{
    source_seed, splitmix64, stream_key, trial_seed, Forced, Sampler, World, NO_SOURCE,
};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Beta, Distribution, Exp1, Poisson};

/// One event as its values: source, start and end bits, (component, factor bits) per hit.
type Flat = (u32, u64, u64, Vec<(u32, u64)>);

fn flat(w: &World) -> Vec<Flat> {
    w.events
        .iter()
        .map(|e| {
            let hits = w
                .hit_components(e)
                .iter()
                .zip(w.hit_factors(e))
                .map(|(&c, f)| (c, f.to_bits()))
                .collect();
            (e.source, e.start.to_bits(), e.end.to_bits(), hits)
        })
        .collect()
}

/// The reference: each source's state in plain per-source vectors.
struct Reference<'a> {
    model: &'a Model,
    events: Vec<Flat>,
    arrivals: Vec<u32>,
    next: Vec<f64>,
    rngs: Vec<Xoshiro256PlusPlus>,
    target_rngs: Vec<Vec<Xoshiro256PlusPlus>>,
    seeded: Vec<bool>,
    trial_seed: u64,
}

fn gap(rng: &mut Xoshiro256PlusPlus, rate: f64) -> f64 {
    if rate > 0.0 {
        let e: f64 = Exp1.sample(rng);
        e / rate
    } else {
        f64::INFINITY
    }
}

impl<'a> Reference<'a> {
    fn sample(model: &'a Model, seed: u64, trial: u64, until: f64, forced: &[Forced]) -> Self {
        let n = model.sources.len();
        let zero = Xoshiro256PlusPlus::seed_from_u64(0);
        let mut r = Reference {
            model,
            events: Vec::new(),
            arrivals: vec![0; n],
            next: vec![f64::INFINITY; n],
            rngs: vec![zero.clone(); n],
            target_rngs: model
                .sources
                .iter()
                .map(|s| vec![zero.clone(); s.targets.len()])
                .collect(),
            seeded: vec![false; n],
            trial_seed: trial_seed(seed, trial),
        };
        for (s, src) in model.sources.iter().enumerate() {
            if src.rate_per_hour <= 0.0 {
                continue;
            }
            r.rngs[s] =
                Xoshiro256PlusPlus::seed_from_u64(source_seed(r.trial_seed, stream_key(&src.id)));
            let lambda = src.rate_per_hour * src.duration.mean();
            if lambda > 0.0 {
                let k = Poisson::new(lambda).unwrap().sample(&mut r.rngs[s]) as u64;
                r.arrivals[s] = k as u32;
                for _ in 0..k {
                    let (age, remaining) = src.duration.sample_in_progress(&mut r.rngs[s]);
                    r.event(s, -age, remaining);
                }
            }
            r.next[s] = gap(&mut r.rngs[s], src.rate_per_hour);
        }
        r.extend(until);
        for f in forced {
            if f.end > f.start && !f.components.is_empty() {
                let hits = f
                    .components
                    .iter()
                    .map(|&c| (c, (1.0 - f.severity).to_bits()));
                r.events
                    .push((f.source, f.start.to_bits(), f.end.to_bits(), hits.collect()));
            }
        }
        r
    }

    fn extend(&mut self, until: f64) {
        for (s, src) in self.model.sources.iter().enumerate() {
            while self.next[s] < until {
                self.arrivals[s] += 1;
                let t = self.next[s];
                let d = src.duration.sample(&mut self.rngs[s]);
                self.event(s, t, t + d);
                self.next[s] = t + gap(&mut self.rngs[s], src.rate_per_hour);
            }
        }
    }

    /// Draws the hits of one event of source `s` and keeps it if it hits any.
    fn event(&mut self, s: usize, start: f64, end: f64) {
        let src = &self.model.sources[s];
        let key = stream_key(&src.id);
        if !self.seeded[s] {
            for (k, t) in src.targets.iter().enumerate() {
                let c = stream_key(&self.model.components[t.component].id);
                let tkey = splitmix64(key ^ c.rotate_left(29));
                self.target_rngs[s][k] =
                    Xoshiro256PlusPlus::seed_from_u64(source_seed(self.trial_seed, tkey));
            }
            self.seeded[s] = true;
        }
        let mut hits = Vec::new();
        for (k, t) in src.targets.iter().enumerate() {
            let rng = &mut self.target_rngs[s][k];
            if t.probability >= 1.0 || (t.probability > 0.0 && rng.random::<f64>() < t.probability)
            {
                let severity = match t.severity {
                    Severity::Fixed(x) => x,
                    Severity::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
                    Severity::Beta { alpha, beta } => {
                        Beta::new(alpha, beta).map_or(1.0, |b| b.sample(rng))
                    }
                };
                hits.push((t.component as u32, (1.0 - severity).to_bits()));
            }
        }
        if !hits.is_empty() && end > start {
            self.events
                .push((s as u32, start.to_bits(), end.to_bits(), hits));
        }
    }
}

/// A random scenario: components with own outages of every duration law
/// (some capped, some frequent and long enough to be in progress at 0, some
/// with random severities), and causes with certain, random and impossible
/// hits and fixed, uniform and beta severities.
fn scenario(rng: &mut Xoshiro256PlusPlus) -> String {
    const DURATIONS: [&str; 7] = [
        r#"{ dist = "lognormal", median_hours = 2, p95_hours = 8 }"#,
        r#"{ dist = "exponential", mean_hours = 30 }"#,
        r#"{ dist = "weibull", shape = 0.7, scale_hours = 20 }"#,
        r#"{ dist = "uniform", min_hours = 1, max_hours = 90 }"#,
        r#"{ dist = "empirical", hours = [0.5, 2.5, 140] }"#,
        r#"{ dist = "fixed", hours = 5 }"#,
        r#"{ dist = "exponential", mean_hours = 50, max_hours = 20 }"#,
    ];
    const RATES: [&str; 4] = ["0.5", "3", "60", "400"];
    const SEVERITIES: [&str; 4] = [
        "",
        ", severity = 0.6",
        r#", severity = { dist = "uniform", min = 0.3, max = 1 }"#,
        r#", severity = { dist = "beta", alpha = 2, beta = 3 }"#,
    ];
    let pick = |rng: &mut Xoshiro256PlusPlus, n: usize| rng.random_range(0..n);
    let n = 2 + pick(rng, 7);
    let mut t = String::from("name = \"random\"\n");
    for i in 0..n {
        t += &format!("[[component]]\nid = \"c{i}\"\n");
        if pick(rng, 4) > 0 {
            let (rate, dur) = (RATES[pick(rng, 4)], DURATIONS[pick(rng, 7)]);
            let sev = SEVERITIES[pick(rng, 4)];
            t += &format!("outages = {{ per_year = {rate}, duration = {dur}{sev} }}\n");
        }
    }
    for k in 0..pick(rng, 5) {
        let (rate, dur) = (RATES[pick(rng, 4)], DURATIONS[pick(rng, 7)]);
        t += &format!("[[cause]]\nid = \"k{k}\"\nper_year = {rate}\nduration = {dur}\n");
        if pick(rng, 3) == 0 {
            t += &format!(
                "{}\n",
                SEVERITIES[1 + pick(rng, 3)].trim_start_matches(", ")
            );
        }
        let mut hits = Vec::new();
        for c in 0..n {
            if pick(rng, 2) == 0 {
                let p = ["1.0", "0.5", "0.0", "1.0"][pick(rng, 4)];
                hits.push(match pick(rng, 3) {
                    0 => format!("c{c} = {{ p = {p}, severity = 0.8 }}"),
                    _ => format!("c{c} = {p}"),
                });
            }
        }
        let hits = if hits.is_empty() {
            vec!["c0 = 1.0".to_string()]
        } else {
            hits
        };
        t += &format!("hits = {{ {} }}\n", hits.join(", "));
    }
    t += "[[architecture]]\nid = \"a\"\nserves = \"c0\"\nloss = { per_hour = 1 }\n";
    t
}

fn forced() -> Vec<Forced> {
    vec![Forced {
        source: NO_SOURCE,
        start: 10.0,
        end: 20.0,
        components: vec![0, 1],
        severity: 0.25,
    }]
}

#[test]
fn sampled_worlds_equal_a_straightforward_reference_sampler() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(13);
    let (mut events, mut early) = (0usize, 0usize);
    for case in 0..40 {
        let text = scenario(&mut rng);
        let model = common::model(&text);
        let sampler = Sampler::new(&model);
        let mut world = World::new(&model);
        let imposed = if case % 3 == 0 { forced() } else { Vec::new() };
        world.force(imposed.clone());
        let h = [24.0, 500.0, 8760.0][case % 3];
        for trial in 0..30 {
            let seed = case as u64;
            world.sample(&model, &sampler, seed, trial, h);
            let mut r = Reference::sample(&model, seed, trial, h, &imposed);
            assert_eq!(flat(&world), r.events, "case {case} trial {trial}:\n{text}");
            assert_eq!(world.arrivals, r.arrivals, "case {case} trial {trial}");
            events += r.events.len();
            early += r
                .events
                .iter()
                .filter(|e| f64::from_bits(e.1) < 0.0)
                .count();
            for until in [h, 1.5 * h, 3.0 * h] {
                world.extend(&model, &sampler, until);
                r.extend(until);
                assert_eq!(
                    flat(&world),
                    r.events,
                    "case {case} trial {trial} to {until}"
                );
                assert_eq!(world.arrivals, r.arrivals);
                assert_eq!(world.sampled_until, until);
            }
        }
    }
    // The cases exercise what they are for.
    assert!(
        events > 10_000 && early > 100,
        "{events} events, {early} in progress"
    );
    // Means in progress on both sides of 12, where the Poisson draw changes method.
    for per_year in ["3000", "3500", "8760"] {
        let model = common::model(&format!(
            "name = \"busy\"\n[[component]]\nid = \"c0\"\noutages = {{ per_year = {per_year}, duration = {{ dist = \"exponential\", mean_hours = 30 }} }}\n[[architecture]]\nid = \"a\"\nserves = \"c0\"\nloss = {{ per_hour = 1 }}\n"
        ));
        let sampler = Sampler::new(&model);
        let mut world = World::new(&model);
        for trial in 0..50 {
            world.sample(&model, &sampler, 9, trial, 24.0);
            let r = Reference::sample(&model, 9, trial, 24.0, &[]);
            assert_eq!(flat(&world), r.events, "per_year {per_year} trial {trial}");
            assert_eq!(world.arrivals, r.arrivals);
        }
    }
}

/// A world keeps its sampler's fixed hits from trial to trial; one whose
/// hits were cleared, or that is handed another scenario's sampler, or that
/// is extended before it was ever sampled, still gives the reference's events.
#[test]
fn a_reused_or_cleared_world_still_samples_the_reference_events() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let models: Vec<Model> = (0..3).map(|_| common::model(&scenario(&mut rng))).collect();
    let samplers: Vec<Sampler> = models.iter().map(Sampler::new).collect();
    let mut world = World::new(&models[0]);
    for trial in 0..60u64 {
        let m = (trial % 3) as usize;
        if trial % 5 == 0 {
            world.hits.clear();
            world.factors.clear();
        }
        world.sample(&models[m], &samplers[m], 3, trial, 2000.0);
        let r = Reference::sample(&models[m], 3, trial, 2000.0, &[]);
        assert_eq!(flat(&world), r.events, "trial {trial} model {m}");
    }
    // Extended without sampling first: the streams start from their
    // unseeded state, as before; the events still carry the right hits.
    let f = forced();
    let mut w = World::forced_only(&models[1], &f);
    w.extend(&models[1], &samplers[1], 100.0);
    let got = flat(&w);
    assert_eq!(
        got[0].3,
        vec![(0, 0.75f64.to_bits()), (1, 0.75f64.to_bits())]
    );
    for e in &got[1..] {
        let src = &models[1].sources[e.0 as usize];
        for (c, _) in &e.3 {
            assert!(src.targets.iter().any(|t| t.component as u32 == *c));
        }
    }
}

/// One stream per source: changing one source's rate leaves every other
/// source's events exactly as they were.
#[test]
fn changing_one_source_leaves_the_other_sources_events_unchanged() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
    for case in 0..10 {
        let text = scenario(&mut rng);
        let model = common::model(&text);
        let mut edited = model.clone();
        let s = case % model.sources.len();
        edited.sources[s].rate_per_hour *= 3.0;
        let (a, b) = (Sampler::new(&model), Sampler::new(&edited));
        let (mut wa, mut wb) = (World::new(&model), World::new(&edited));
        for trial in 0..40 {
            wa.sample(&model, &a, 5, trial, 8760.0);
            wb.sample(&edited, &b, 5, trial, 8760.0);
            let others = |w: &World| -> Vec<Flat> {
                flat(w).into_iter().filter(|e| e.0 as usize != s).collect()
            };
            assert_eq!(others(&wa), others(&wb), "case {case} trial {trial}");
        }
    }
}
