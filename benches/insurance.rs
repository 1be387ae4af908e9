//! Benchmark of insurance pricing on the portfolio scenario
//! (scenarios/portfolio-cloud-book.toml: 120 insureds, 120 policies), one
//! thread: the engine alone against the engine with the payout observer and
//! the insurance statistics (premiums, EP curves, portfolio, ORD tables).
//! Throughput is in trials.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fateshare::engine::{self, RunOptions};
use fateshare::insurance::{self, Options};
use fateshare::model::Settings;
use std::hint::black_box;
use std::path::Path;

const TRIALS: u64 = 1000;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/portfolio-cloud-book.toml");
    let (_, model) = fateshare::scenario::load(&path).expect("portfolio scenario");
    let settings = Settings {
        trials: TRIALS,
        ..model.settings
    };
    let options = RunOptions {
        threads: Some(1),
        progress: None,
        skip_outage_records: false,
    };
    let mut g = c.benchmark_group("portfolio-cloud-book");
    g.throughput(Throughput::Elements(TRIALS));
    g.sample_size(10);
    g.bench_function("engine only", |b| {
        b.iter(|| black_box(engine::simulate(&model, &settings, &options).outcomes.len()))
    });
    g.bench_function("engine + policies", |b| {
        b.iter(|| {
            let (sim, ins) = insurance::run(&model, &settings, &options, Options::default());
            black_box((sim.outcomes.len(), ins.map(|i| i.policies.len())))
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
