//! One stage of the engine on one of the benchmark's shapes, run once on one
//! thread, for instruction counts that do not depend on the machine's load:
//!
//! ```text
//! cargo build --profile test --example engine_profile
//! valgrind --tool=callgrind target/debug/examples/engine_profile engine simulate 2000
//! ```
//!
//! Shapes: those of `benches/engine.rs` (`engine` is the benchmark scenario).
//! Stages: `floor` (the cheapest correct sampling of the same events),
//! `sample` (the run's sampler), `evaluate` (sampler and the run's
//! evaluator), `full` (sampler and the full evaluator), `simulate` (the whole
//! engine keeping every trial's outcomes), `events` (the same keeping every
//! outage record, as `run --events` does), `stream` (what `run` does by
//! default: the streamed run's summaries, paired differences and outage
//! lengths, without writing the per-trial table), `csv` and `parquet` (the
//! same, encoding the per-trial table as `run` writes it, CSV text or typed
//! Parquet cells, into a sink that discards it: `run` writes CSV up to 65,536
//! rows and Parquet past that). An optional fourth argument runs `stream`,
//! `csv` and `parquet` on that many threads (default 1), for
//! `benches/scaling.sh`.

#[path = "../benches/shapes/mod.rs"]
mod shapes;

use fateshare::engine::{self, RunOptions, TrialRunner};
use fateshare::streaming::{Table, TableOut};
use fateshare::world::{Sampler, World};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: engine_profile SHAPE floor|sample|evaluate|full|simulate|events|stream|csv|parquet TRIALS [THREADS]";
    let (shape, stage, trials, threads) = match &args[..] {
        [shape, stage, trials] => (shape, stage, trials, "1"),
        [shape, stage, trials, threads] => (shape, stage, trials, threads.as_str()),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let Ok(threads @ 1..) = threads.parse::<usize>() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Some(&(name, make)) = shapes::SHAPES.iter().find(|(n, _)| n == shape) else {
        let names: Vec<&str> = shapes::SHAPES.iter().map(|(n, _)| *n).collect();
        eprintln!("no shape {shape}; use one of {}", names.join(", "));
        std::process::exit(2);
    };
    let Ok(trials) = trials.parse::<u64>() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let model = make();
    let settings = shapes::settings(&model, name, trials);
    let result = match stage.as_str() {
        "floor" => shapes::floor(&model, &settings),
        "sample" => {
            let sampler = Sampler::new(&model);
            let mut world = World::new(&model);
            let mut events = 0usize;
            for t in 0..trials {
                world.sample(&model, &sampler, settings.seed, t, settings.horizon_hours);
                events += world.events.len();
            }
            events as f64
        }
        "evaluate" | "full" => {
            let mut runner = if stage == "full" {
                TrialRunner::new(&model, &[])
            } else {
                TrialRunner::watched_only(&model, &[])
            };
            let mut down = 0.0;
            for t in 0..trials {
                runner.run(&settings, t);
                down += runner.outcomes[0].downtime_hours;
            }
            down
        }
        "simulate" | "events" => {
            let options = RunOptions {
                threads: Some(1),
                progress: None,
                skip_outage_records: stage == "simulate",
            };
            let sim = engine::simulate(&model, &settings, &options);
            sim.of(0).map(|o| o.downtime_hours).sum::<f64>() + sim.outages.len() as f64
        }
        "stream" | "csv" | "parquet" => {
            let options = RunOptions {
                threads: Some(threads),
                progress: None,
                skip_outage_records: true,
            };
            let rows = fateshare::report::csv::TrialsRows {
                ids: model.architectures.iter().map(|a| a.id.clone()).collect(),
            };
            let header = fateshare::report::csv::trials_header(false);
            let mut text = std::io::sink();
            let mut typed = fateshare::parquet_io::ParquetRows::new(std::io::sink(), &header)
                .expect("a header");
            let table = match stage.as_str() {
                "csv" => Some(Table {
                    rows: &rows,
                    out: TableOut::Text(&mut text),
                }),
                "parquet" => Some(Table {
                    rows: &rows,
                    out: TableOut::Typed(&mut typed),
                }),
                _ => None,
            };
            let streamed = fateshare::streaming::simulate(
                &model,
                &settings,
                &options,
                fateshare::stats::stream::EXACT_UP_TO,
                true,
                table,
            )
            .expect("a sink that discards cannot fail");
            typed.finish().expect("a sink that discards cannot fail");
            streamed.outage_lengths.iter().map(|t| t.len()).sum::<u64>() as f64
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    println!("{name} {stage} {trials}: {result}");
}
