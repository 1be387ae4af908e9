//! `fateshare run`: simulate a scenario, print the results table and write the
//! output files.

use crate::cmd::flags::{CommonFlags, Failure};
use crate::insurance;
use crate::output;
use crate::report::{self, Report};
use crate::scenario;
use crate::stats;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `fateshare run`'s arguments.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// --trials --seed --threads --out --quiet.
    #[command(flatten)]
    pub common: CommonFlags,
    /// Do not write the per-trial tables (trials.csv and, with policies or
    /// --ord, policy_trials.csv and the *_splt.csv tables), for very large runs.
    #[arg(long)]
    pub no_trials_csv: bool,
    /// Also write the per-event tables: outages.csv (every outage of every
    /// architecture) and gul_S1_splt.csv (the architectures' own outages with
    /// a loss).
    #[arg(long)]
    pub events: bool,
    /// Format of the big tables (per-trial, per-event and ORD): auto (CSV
    /// up to 65,536 rows, Parquet above), csv, or parquet (zstd-compressed;
    /// pandas, polars, DuckDB and Spark read it).
    #[arg(long, value_enum, default_value_t = TableFormat::Auto)]
    pub format: TableFormat,
    /// Run batches of trials (4,096, then doubling) until every
    /// architecture's 95% interval half-width of mean down time and expected
    /// loss is at most this share of the mean (0.01 = 1%), or --max-trials.
    #[arg(long, value_name = "SHARE", value_parser = share, conflicts_with = "trials")]
    pub precision: Option<f64>,
    /// The most trials --precision may run.
    #[arg(long, value_name = "N", default_value_t = 1_000_000, requires = "precision",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_trials: u64,
    /// Also write the ground-up ORD files (gul_S1_ept, _palt, _alct, _splt,
    /// _summary-info) for a scenario without policies (a scenario with
    /// policies always gets them, with the insured ones).
    #[arg(long)]
    pub ord: bool,
    /// Return periods N (in periods, each at least 2) whose 1-in-N down time
    /// and loss go into summary.csv (downtime_hours_rpN, loss_rpN),
    /// summary.json and report.html: the type-7 quantile at 1 − 1/N.
    #[arg(long, value_delimiter = ',', value_name = "N,N,...",
          default_values_t = crate::stats::DEFAULT_RETURN_PERIODS,
          value_parser = clap::value_parser!(u32).range(2..))]
    pub return_periods: Vec<u32>,
    /// Simulate only shard I of N (0-based; `auto/N` takes I from
    /// JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID): its contiguous range of
    /// the trials, each seeded as in one run, into a partial folder that
    /// `fateshare merge` joins with the other shards into the run's folder
    /// (docs/scale-out.md).
    #[arg(long, value_name = "I/N", conflicts_with = "precision")]
    pub shard: Option<String>,
    /// Write summary.csv, summary.json, outage_lengths.csv and scenario.toml
    /// only (no charts, report.html or per-trial tables; not with policies).
    /// Memory is flat in the trials in any plain run (quantiles from a
    /// histogram within 0.1% past 131,072 trials; summary.json says which).
    #[arg(long, conflicts_with_all = ["precision", "shard", "events", "ord", "baseline", "uncertainty"])]
    pub summary_only: bool,
    /// With --summary-only or a run that streams (and its shards): the most
    /// trials whose values are kept for exact quantiles.
    #[arg(long, hide = true, default_value_t = crate::stats::stream::EXACT_UP_TO)]
    pub exact_quantiles_up_to: u64,
    /// An architecture id: every other design's paired difference against it
    /// (down time, outages, loss, total cost) in baseline.csv, the terminal and report.html.
    #[arg(long, value_name = "ARCH")]
    pub baseline: Option<String>,
    /// Outer draws of the scenario's uncertain parameters (two-level run):
    /// each draw simulated on the same trials; adds credible values,
    /// best_share and uncertainty.csv (docs/statistics.md).
    #[arg(long, value_name = "N", conflicts_with_all = ["precision", "shard"],
          value_parser = clap::value_parser!(u64).range(2..=100_000))]
    pub uncertainty: Option<u64>,
    #[command(flatten)]
    pub tilt: super::tilt::TiltFlags,
}

/// A share strictly between 0 and 1.
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
        _ => Err(format!(
            "{text} is not a share between 0 and 1 (exclusive); e.g. 0.01 for 1%"
        )),
    }
}

/// `--format`: how the big tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// CSV up to [`crate::parquet_io::AUTO_CSV_MAX_ROWS`] rows, Parquet above.
    Auto,
    Csv,
    Parquet,
}

/// The asked return periods, ascending, each once.
pub(crate) fn return_periods(asked: &[u32]) -> Vec<u32> {
    let mut v = asked.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Default output folder: `output/<scenario file stem>/`.
pub fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    PathBuf::from("output").join(stem)
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let (scenario_text, _, model) = scenario::load_with_text(&args.scenario)?;
    let mut settings = model.settings;
    if let Some(t) = args.common.trials {
        settings.trials = t;
    }
    if let Some(s) = args.common.seed {
        settings.seed = s;
    }
    if args.precision.is_some() {
        // The budget holds for the most trials the run may take.
        settings.trials = args.max_trials;
    }
    let shard = match &args.shard {
        None => None,
        Some(text) => Some(
            crate::shard::ShardSpec::parse(text, |k| std::env::var(k).ok())
                .map_err(Failure::Input)?,
        ),
    };
    // A shard holds only its own trials.
    let held = shard.map_or(settings.trials, |s| {
        let (first, last) = s.range(settings.trials);
        last - first
    });
    // A streamed or summary-only run (or shard of one) keeps no per-trial outcomes.
    let streams = !args.summary_only && super::streamed::applies(args, &model);
    let streamed = shard.is_none() && streams;
    if args.exact_quantiles_up_to != crate::stats::stream::EXACT_UP_TO
        && !args.summary_only
        && !streams
    {
        return Err(Failure::Input(
            "--exact-quantiles-up-to applies to a run that streams (no policies, --ord, \
             --events, --precision, --tilt or --uncertainty) or --summary-only; leave it out"
                .into(),
        ));
    }
    crate::budget::refuse_with(
        &model,
        &crate::model::Settings {
            trials: held,
            ..settings
        },
        &args.scenario.display().to_string(),
        !streams && !args.summary_only,
    )?;
    let baseline = resolve_baseline(args, &model)?;
    super::tilt::refuse(args)?;
    // Every draw's scenario is built and checked before anything runs.
    let draw_models = match args.uncertainty {
        None => None,
        Some(n) => Some(super::uncertainty::models(
            &args.scenario,
            &scenario_text,
            &settings,
            n,
        )?),
    };
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    // Fail on an unusable output folder before spending time simulating.
    output::prepare_dir(&out)?;
    if let Some(spec) = shard {
        return super::shard_run::run_shard(args, spec, scenario_text, &model, &settings, &out);
    }
    if args.summary_only {
        return super::summary_only::run(args, scenario_text, &model, &settings, &out);
    }
    if streamed {
        return super::streamed::run(args, scenario_text, &model, &settings, baseline, &out);
    }

    let bar = super::progress_bar(settings.trials, args.common.quiet);
    // outages.csv and gul_S1_splt.csv need the
    // per-outage records: kept only with --events.
    let options = super::engine_options(args.common.threads, &bar, args.events);
    let ins_options = insurance::Options {
        ord: args.ord,
        per_trial: !args.no_trials_csv,
    };
    let (sim, insurance, precision) = match args.precision {
        None if args.tilt.tilt.is_some() => {
            let (sim, ins) = super::tilt::run(args, &model, &settings, &options, ins_options)?;
            (sim, ins, None)
        }
        None => {
            let (sim, ins) = insurance::run(&model, &settings, &options, ins_options);
            (sim, ins, None)
        }
        Some(target) => {
            let (sim, p) =
                crate::precision::run(&model, &settings, target, args.max_trials, &options);
            settings.trials = sim.settings.trials;
            if model.policies.is_empty() && !args.ord {
                (sim, None, Some(p))
            } else {
                // The policies are priced on the same trials, run again with them.
                let (sim, ins) = insurance::run(&model, &settings, &options, ins_options);
                (sim, ins, Some(p))
            }
        }
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let draws = draw_models.map(|(params, models)| {
        super::uncertainty::simulate(
            params,
            models,
            &settings,
            args.common.threads,
            args.common.quiet,
            args.ord || !model.policies.is_empty(),
        )
    });
    write_outputs(
        args,
        Finished {
            model: &model,
            scenario_text,
            settings,
            sim: &sim,
            insurance,
            precision,
            baseline,
            draws,
            digest: None,
            staged: None,
        },
        &out,
    )
}

/// The index of `--baseline`'s architecture.
pub(crate) fn resolve_baseline(
    args: &RunArgs,
    model: &crate::model::Model,
) -> Result<Option<usize>, Failure> {
    Ok(match &args.baseline {
        None => None,
        Some(id) => Some(
            model
                .architectures
                .iter()
                .position(|a| &a.id == id)
                .ok_or_else(|| {
                    let ids: Vec<&str> =
                        model.architectures.iter().map(|a| a.id.as_str()).collect();
                    Failure::Input(format!(
                        "--baseline {}: {} has no such architecture; use one of {}",
                        crate::text::escape(id),
                        args.scenario.display(),
                        ids.join(", ")
                    ))
                })?,
        ),
    })
}

/// A finished simulation (one run's, or shards' merged) to write.
pub(crate) struct Finished<'a> {
    pub model: &'a crate::model::Model,
    pub scenario_text: String,
    pub settings: crate::model::Settings,
    pub sim: &'a crate::engine::Simulation,
    pub insurance: Option<insurance::Insurance>,
    pub precision: Option<crate::precision::Precision>,
    pub baseline: Option<usize>,
    /// With `--uncertainty N`: the outer draws.
    pub draws: Option<Arc<crate::uncertain::draws::Draws>>,
    /// A streamed run's summaries and digest (else computed from `sim`).
    pub digest: Option<(Vec<crate::stats::ArchSummary>, crate::stats::digest::Digest)>,
    /// A streamed run's output folder being built, with the files it wrote
    /// already (its per-trial table).
    pub staged: Option<(output::Staging, Vec<PathBuf>)>,
}

/// Writes the output folder of a finished run into `out` and prints its
/// tables (unless `--quiet`).
pub(crate) fn write_outputs(args: &RunArgs, done: Finished, out: &Path) -> Result<(), Failure> {
    let Finished {
        model,
        scenario_text,
        settings,
        sim,
        insurance,
        precision,
        baseline,
        draws,
        digest,
        staged,
    } = done;
    let out = out.to_path_buf();
    let insurance = insurance.map(Arc::new);
    let (summaries, digest) = digest
        .unwrap_or_else(|| stats::digest::of(model, sim, &return_periods(&args.return_periods)));
    let report = Report {
        model,
        scenario_file: args.scenario.display().to_string(),
        scenario_text,
        settings,
        command: reproduce_command(
            &args.scenario,
            &settings,
            &out,
            &return_periods(&args.return_periods),
            args.baseline.as_deref(),
            args.uncertainty,
        ) + &super::tilt::command_suffix(args, sim),
        summaries,
        digest,
        simulation: sim,
        insurance: insurance
            .as_deref()
            .and_then(|i| insurance::figures::InsuranceFigures::of(model, i))
            .map(Arc::new),
        baseline,
        draws: draws.clone(),
    };
    let mut exports =
        report::standard_exports(!args.no_trials_csv && staged.is_none(), args.events);
    if let Some(d) = &draws {
        super::uncertainty::exports(&mut exports, d);
    }
    if precision.is_some() {
        for e in exports
            .iter_mut()
            .filter(|e| e.file_name() == "summary.json")
        {
            *e = Box::new(report::json::SummaryJson {
                precision,
                uncertainty: None,
            });
        }
    }
    if let Some(b) = baseline {
        exports.push(Box::new(report::baseline::BaselineCsv(b)));
    }
    if let Some(ins) = &insurance {
        exports.extend(report::insurance_exports(ins, args.events));
        if let Some(d) = &draws {
            exports.extend(report::psept::exports(ins, d));
        }
    }
    super::tilt::weighted_exports(&mut exports, sim);
    exports = match args.format {
        TableFormat::Auto => crate::parquet_io::when_large(exports, &report),
        TableFormat::Csv => exports,
        TableFormat::Parquet => crate::parquet_io::to_parquet(exports),
    };
    // Analysis tables already in the folder that belong with this run.
    let (analyses, notes) = report::analyses::load(&out, &report);
    exports.extend(
        report::visuals::exports_with(&report, analyses)
            .map_err(|e| Failure::Internal(e.to_string()))?,
    );
    let (stage, streamed) = match staged {
        Some(s) => s,
        None => (output::Staging::begin(&out)?, Vec::new()),
    };
    let mut written = output::write_all(stage.path(), &exports, &report)?;
    // A streamed per-trial table is named where the table export would be:
    // after the standard four files.
    let at = written.len().min(4);
    written.splice(at..at, streamed);
    let files = describe_files(stage.path(), &written);
    stage.commit()?;
    if !args.common.quiet {
        print!("{}", report::table::render(&report));
        if let Some(b) = baseline {
            print!("{}", report::baseline::render(&report, b));
        }
        if let Some(p) = &precision {
            println!("{}", precision_line(p, settings.trials));
        }
        if let Some(line) = super::tilt::terminal_line(sim) {
            println!("{line}");
        }
        if let Some(ins) = &insurance {
            print!(
                "{}",
                report::insurance_table::render(ins, model.book.is_some())
            );
        }
        if let Some(d) = &draws {
            print!("{}", super::uncertainty::render(d));
        }
        println!("wrote {files} in {}", out.display());
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    Ok(())
}

/// What `--precision` reached, for the terminal.
fn precision_line(p: &crate::precision::Precision, trials: u64) -> String {
    let pct = |x: f64| crate::fmtnum::sig(100.0 * x, 3);
    if p.met {
        format!(
            "precision: every 95% half-width within {}% of its mean (worst {}%) at {trials} trials",
            pct(p.target),
            pct(p.reached)
        )
    } else {
        format!(
            "precision NOT reached: worst 95% half-width {}% of its mean at --max-trials {trials} \
             (asked {}%); raise --max-trials",
            pct(p.reached),
            pct(p.target)
        )
    }
}

/// `summary.csv, report.html, charts/ (12 files)`: files in the folder by
/// name, files in subfolders counted.
pub fn describe_files(dir: &Path, written: &[PathBuf]) -> String {
    let mut names = Vec::new();
    let mut sub: Vec<(String, usize)> = Vec::new();
    for p in written {
        let rel = p.strip_prefix(dir).unwrap_or(p);
        let mut parts = rel.components();
        let first = parts
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if parts.next().is_some() {
            match sub.iter_mut().find(|(d, _)| *d == first) {
                Some((_, n)) => *n += 1,
                None => sub.push((first, 1)),
            }
        } else {
            names.push(first);
        }
    }
    names.extend(sub.into_iter().map(|(d, n)| format!("{d}/ ({n} files)")));
    names.join(", ")
}

pub(crate) fn reproduce_command(
    scenario: &Path,
    s: &crate::model::Settings,
    out: &Path,
    return_periods: &[u32],
    baseline: Option<&str>,
    uncertainty: Option<u64>,
) -> String {
    let mut c = format!(
        "fateshare run {} --trials {} --seed {} --out {}",
        scenario.display(),
        s.trials,
        s.seed,
        out.display()
    );
    if return_periods != crate::stats::DEFAULT_RETURN_PERIODS {
        let list: Vec<String> = return_periods.iter().map(|n| n.to_string()).collect();
        c.push_str(&format!(" --return-periods {}", list.join(",")));
    }
    if let Some(b) = baseline {
        c.push_str(&format!(" --baseline {b}"));
    }
    if let Some(n) = uncertainty {
        c.push_str(&format!(" --uncertainty {n}"));
    }
    c
}
