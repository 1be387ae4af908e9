//! Engine throughput against the floor, on `scenarios/benchmark.toml` (64
//! components, 12 shared causes, 4 architectures, one-year horizon) and on
//! generated shapes (a deep chain, a wide quorum, many architectures, many
//! causes, long outages that run past the horizon, the peer comparison's
//! tiered system). `run_parquet` is the default `run` with its per-trial
//! table encoded (into a sink), at one and all threads.
//!
//! The floor is the cheapest correct way to sample the same events: per
//! source and trial, one stream seeded as the run seeds it, a Poisson count
//! of the events in progress at time 0 and of the arrivals in the period,
//! uniform start times and a duration each; nothing stored.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fateshare::engine::{self, RunOptions, TrialRunner};
use fateshare::model::{Model, Settings};
use fateshare::world::{Sampler, World};
use std::hint::black_box;

const TRIALS: u64 = 20_000;

mod shapes;
use shapes::floor;

fn shape(c: &mut Criterion, name: &str, model: &Model, settings: &Settings, detail: bool) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(settings.trials));
    g.sample_size(10);
    g.bench_function("floor/1_thread", |b| {
        b.iter(|| black_box(floor(model, settings)))
    });
    if detail {
        // The run's own sampler alone.
        g.bench_function("sample_events_only/1_thread", |b| {
            let sampler = Sampler::new(model);
            let mut world = World::new(model);
            b.iter(|| {
                let mut events = 0usize;
                for t in 0..settings.trials {
                    world.sample(model, &sampler, settings.seed, t, settings.horizon_hours);
                    events += world.events.len();
                }
                black_box(events)
            })
        });
        // Sampling plus the full evaluator (every component's timeline), as analyses use it.
        g.bench_function("sample_and_evaluate_full/1_thread", |b| {
            let mut runner = TrialRunner::new(model, &[]);
            b.iter(|| {
                let mut down = 0.0;
                for t in 0..settings.trials {
                    runner.run(settings, t);
                    down += runner.outcomes[0].downtime_hours;
                }
                black_box(down)
            })
        });
        // Sampling plus the run's evaluator (watched components, cluster by cluster).
        g.bench_function("sample_and_evaluate/1_thread", |b| {
            let mut runner = TrialRunner::watched_only(model, &[]);
            b.iter(|| {
                let mut down = 0.0;
                for t in 0..settings.trials {
                    runner.run(settings, t);
                    down += runner.outcomes[0].downtime_hours;
                }
                black_box(down)
            })
        });
    }
    // The whole engine (chunks on rayon, ordered collection) at 1 and all
    // threads, as `run` uses it by default (no per-outage records) and, on
    // one thread, with the records `--events` writes.
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![(1, false), (1, true)];
    if all > 1 {
        counts.push((all, false));
    }
    for (threads, records) in counts {
        let name = if records {
            "simulate_events"
        } else {
            "simulate"
        };
        g.bench_with_input(
            BenchmarkId::new(name, format!("{threads}_threads")),
            &threads,
            |b, &t| {
                let options = RunOptions {
                    threads: Some(t),
                    progress: None,
                    skip_outage_records: !records,
                };
                b.iter(|| black_box(engine::simulate(model, settings, &options).outcomes.len()))
            },
        );
    }
    // What `run` does by default: the streamed run (summaries, every pair's
    // differences, outage lengths; no outcomes kept), without writing the table.
    g.bench_function("run_streamed/1_thread", |b| {
        b.iter(|| black_box(streamed(model, settings, 1, None)))
    });
    // The default `run` with its per-trial table, typed Parquet cells into a
    // sink that discards the bytes, at 1 and all threads.
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    for threads in counts {
        g.bench_with_input(
            BenchmarkId::new("run_parquet", format!("{threads}_threads")),
            &threads,
            |b, &t| {
                let rows = fateshare::report::csv::TrialsRows {
                    ids: model.architectures.iter().map(|a| a.id.clone()).collect(),
                };
                let header = fateshare::report::csv::trials_header(false);
                b.iter(|| {
                    let mut typed =
                        fateshare::parquet_io::ParquetRows::new(std::io::sink(), &header)
                            .expect("a header");
                    let table = fateshare::streaming::Table {
                        rows: &rows,
                        out: fateshare::streaming::TableOut::Typed(&mut typed),
                    };
                    let n = streamed(model, settings, t, Some(table));
                    typed.finish().expect("a sink that discards cannot fail");
                    black_box(n)
                })
            },
        );
    }
    g.finish();
}

/// The default run's streamed simulation on `threads` threads, writing
/// `table` when given; the outage-length tallies' count.
fn streamed(
    model: &Model,
    settings: &Settings,
    threads: usize,
    table: Option<fateshare::streaming::Table>,
) -> usize {
    let options = RunOptions {
        threads: Some(threads),
        progress: None,
        skip_outage_records: true,
    };
    let exact = fateshare::stats::stream::EXACT_UP_TO;
    fateshare::streaming::simulate(model, settings, &options, exact, true, table)
        .map(|s| s.outage_lengths.len())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    for (i, (name, make)) in shapes::SHAPES.into_iter().enumerate() {
        let model = make();
        let settings = shapes::settings(&model, name, TRIALS);
        // The benchmark scenario's group keeps its historical name ("engine")
        // so criterion's baselines still compare; it also runs stage by stage.
        shape(c, name, &model, &settings, i == 0);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
