//! Engine throughput on `scenarios/benchmark.toml` (64 components, 12 shared
//! causes, 4 architectures, one-year horizon), against the floor for this
//! design: sampling the same outage events without evaluating the graph.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fateshare::engine::{self, RunOptions, TrialRunner};
use fateshare::world::{Sampler, World};
use std::hint::black_box;
use std::path::Path;

const TRIALS: u64 = 20_000;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmark.toml");
    let (_, model) = fateshare::scenario::load(&path).expect("benchmark scenario is valid");
    let settings = fateshare::model::Settings {
        trials: TRIALS,
        ..model.settings
    };
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(TRIALS));
    g.sample_size(10);

    // Floor: sample every trial's events (in-progress at 0 and arrivals in the year).
    g.bench_function("sample_events_only/1_thread", |b| {
        let sampler = Sampler::new(&model);
        let mut world = World::new(&model);
        b.iter(|| {
            let mut events = 0usize;
            for t in 0..TRIALS {
                world.sample(&model, &sampler, settings.seed, t, settings.horizon_hours);
                events += world.events.len();
            }
            black_box(events)
        })
    });

    // Sampling plus graph evaluation and outcomes, one trial at a time.
    g.bench_function("sample_and_evaluate/1_thread", |b| {
        let mut runner = TrialRunner::new(&model, &[]);
        b.iter(|| {
            let mut down = 0.0;
            for t in 0..TRIALS {
                runner.run(&settings, t);
                down += runner.outcomes[0].downtime_hours;
            }
            black_box(down)
        })
    });

    // The whole engine (chunks on rayon, ordered collection) at 1 and all threads.
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, all] {
        g.bench_with_input(
            BenchmarkId::new("simulate", format!("{threads}_threads")),
            &threads,
            |b, &t| {
                let options = RunOptions {
                    threads: Some(t),
                    progress: None,
                    skip_outage_records: false,
                };
                b.iter(|| black_box(engine::simulate(&model, &settings, &options).outcomes.len()))
            },
        );
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
