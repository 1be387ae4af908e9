//! `fateshare merge PART... --out DIR`: joins the parts `run --shard I/N`
//! wrote ([`super::shard_run`]) into the folder one run of all the trials
//! writes. The parts are checked to be shards of one run (same program
//! version, scenario, seed, trials, period, shard count and output flags,
//! every shard once) before anything is written. Streamed parts are added
//! one at a time in shard order ([`shard::Joined`]: exact sums, memory flat
//! in the trials) and their per-trial table segments appended to the run's
//! table as they are read ([`shard::segment`]); parts that kept every
//! outcome are joined in memory ([`shard::join`]).

use crate::cmd::flags::{CommonFlags, Failure};
use crate::cmd::run::{self, Finished, RunArgs, TableFormat};
use crate::insurance;
use crate::model::{Model, Settings};
use crate::output;
use crate::shard::{self, state::State, Manifest, Part, ShardSpec};
use clap::Args;
use std::path::{Path, PathBuf};

/// `fateshare merge`'s arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard folders written by `run --shard I/N`, every shard of the run once (any order).
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// The output folder to write (as `run --out` would).
    #[arg(long)]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// One part as read: its folder, manifest and scenario text.
pub(crate) struct Read {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub scenario_text: String,
}

pub(crate) fn input(path: &Path, what: impl std::fmt::Display) -> Failure {
    Failure::Input(format!("{}: {what}", path.display()))
}

fn read_part(dir: &Path) -> Result<Read, Failure> {
    let again = "give the folders `fateshare run --shard I/N` wrote";
    let path = dir.join(shard::MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| input(&path, format!("cannot read it ({e}); {again}")))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| input(&path, format!("not a shard manifest ({e}); {again}")))?;
    if manifest.format != shard::FORMAT {
        return Err(input(
            &path,
            format!(
                "format \"{}\" is not \"{}\"; {again}",
                crate::text::escape(&manifest.format),
                shard::FORMAT
            ),
        ));
    }
    let spec = ShardSpec {
        index: manifest.shard,
        count: manifest.shards,
    };
    if manifest.shards == 0
        || manifest.shard >= manifest.shards
        || spec.range(manifest.trials) != (manifest.first, manifest.last)
    {
        return Err(input(
            &path,
            format!(
                "shard {}/{} with trials {}..{} is not a shard of {} trials; run the shard again",
                manifest.shard, manifest.shards, manifest.first, manifest.last, manifest.trials
            ),
        ));
    }
    let toml = dir.join("scenario.toml");
    let scenario_text = std::fs::read_to_string(&toml)
        .map_err(|e| input(&toml, format!("cannot read it ({e}); {again}")))?;
    Ok(Read {
        dir: dir.to_path_buf(),
        manifest,
        scenario_text,
    })
}

/// What differs between two parts' runs, in words (`None` when they are shards of one run).
fn difference(a: &Read, b: &Read) -> Option<String> {
    let (x, y) = (&a.manifest, &b.manifest);
    let differ = |what: &str, u: String, v: String| Some(format!("{what} {u} ≠ {v}"));
    if x.version != y.version {
        return differ("program version", x.version.clone(), y.version.clone());
    }
    if a.scenario_text != b.scenario_text || x.scenario_file != y.scenario_file {
        return Some("a different scenario (scenario.toml or its file name)".into());
    }
    if x.seed != y.seed {
        return differ("seed", x.seed.to_string(), y.seed.to_string());
    }
    if x.trials != y.trials {
        return differ("trials", x.trials.to_string(), y.trials.to_string());
    }
    if x.horizon_hours.to_bits() != y.horizon_hours.to_bits() {
        return differ(
            "horizon_hours",
            x.horizon_hours.to_string(),
            y.horizon_hours.to_string(),
        );
    }
    if x.shards != y.shards {
        return differ("shard count", x.shards.to_string(), y.shards.to_string());
    }
    if x.flags != y.flags {
        return Some(format!("output flags ({:?} ≠ {:?})", x.flags, y.flags));
    }
    None
}

/// Reads and checks the parts; returns them in shard order.
fn read_parts(dirs: &[PathBuf]) -> Result<Vec<Read>, Failure> {
    let mut parts = dirs
        .iter()
        .map(|d| read_part(d))
        .collect::<Result<Vec<_>, _>>()?;
    let first = &parts[0];
    if first.manifest.version != crate::report::VERSION {
        return Err(input(
            &first.dir,
            format!(
                "simulated by fateshare {}; merge with that version (this is {})",
                first.manifest.version,
                crate::report::VERSION
            ),
        ));
    }
    for p in &parts[1..] {
        if let Some(d) = difference(first, p) {
            return Err(input(
                &p.dir,
                format!(
                    "not a shard of the same run as {}: {d}; merge the shards of one run",
                    first.dir.display()
                ),
            ));
        }
    }
    let n = first.manifest.shards;
    parts.sort_by_key(|p| p.manifest.shard);
    for w in parts.windows(2) {
        if w[0].manifest.shard == w[1].manifest.shard {
            return Err(input(
                &w[1].dir,
                format!(
                    "shard {} is given twice (also {}); give each shard once",
                    w[1].manifest.shard,
                    w[0].dir.display()
                ),
            ));
        }
    }
    if parts.len() as u64 != n {
        let have: Vec<u64> = parts.iter().map(|p| p.manifest.shard).collect();
        let missing: Vec<String> = (0..n)
            .filter(|i| !have.contains(i))
            .take(10)
            .map(|i| i.to_string())
            .collect();
        return Err(Failure::Input(format!(
            "{} of {n} shards given; missing shard {}; give every shard of the run",
            parts.len(),
            missing.join(", ")
        )));
    }
    Ok(parts)
}

/// Reads a part's `shard.bin`.
pub(crate) fn read_state(read: &Read) -> Result<State, Failure> {
    let path = read.dir.join(shard::STATE);
    let bytes = std::fs::read(&path)
        .map_err(|e| input(&path, format!("cannot read it ({e}); run the shard again")))?;
    shard::state::decode(&bytes)
        .map_err(|e| input(&path, format!("damaged: it {e}; run the shard again")))
}

/// Checks a part that kept every outcome against the model.
fn load_state(read: &Read, model: &Model, state: State) -> Result<Part, Failure> {
    let path = read.dir.join(shard::STATE);
    let State::Kept(part) = state else {
        return Err(mixed(&path));
    };
    let m = &read.manifest;
    let trials = (m.last - m.first) as usize;
    let n_arch = model.architectures.len();
    let sizes_ok = part.outcomes.len() == trials * n_arch
        && part.outage_lengths.len() == n_arch
        && part
            .outages
            .iter()
            .all(|o| (m.first..m.last).contains(&o.trial) && (o.architecture as usize) < n_arch)
        && match &part.payouts {
            None => model.policies.is_empty(),
            Some(t) => {
                t.policies == model.policies.len()
                    && t.years.len() == trials * t.policies
                    && t.portfolio_max.len() == trials * t.portfolios
            }
        };
    if !sizes_ok {
        return Err(input(
            &path,
            format!(
                "does not hold trials {}..{} of scenario.toml's {} architectures and {} policies; run the shard again",
                m.first,
                m.last,
                n_arch,
                model.policies.len()
            ),
        ));
    }
    Ok(part)
}

/// A part whose kind (streamed or kept) is not the first part's.
pub(crate) fn mixed(path: &Path) -> Failure {
    input(
        path,
        "not the same kind of shard as the first (streamed or keeping every trial); \
         run every shard with the same program and flags",
    )
}

/// `fateshare merge`.
pub fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let parts = read_parts(&args.parts)?;
    let m = parts[0].manifest.clone();
    let label = m.scenario_file.clone();
    let (_, model) = crate::scenario::compile_text(&parts[0].scenario_text, &label)
        .map_err(|e| input(&parts[0].dir.join("scenario.toml"), e))?;
    let settings = Settings {
        horizon_hours: m.horizon_hours,
        trials: m.trials,
        seed: m.seed,
    };
    // The first part says whether the run streamed.
    let first = read_state(&parts[0])?;
    let streamed = matches!(first, State::Streamed(_));
    crate::budget::refuse_with(&model, &settings, &label, !streamed)?;
    let format = match m.flags.format.as_str() {
        "auto" => TableFormat::Auto,
        "csv" => TableFormat::Csv,
        "parquet" => TableFormat::Parquet,
        other => {
            return Err(input(
                &parts[0].dir.join(shard::MANIFEST),
                format!(
                    "format \"{}\" is not auto, csv or parquet",
                    crate::text::escape(other)
                ),
            ))
        }
    };
    // The arguments of the one run the shards are parts of.
    let run_args = RunArgs {
        scenario: PathBuf::from(&m.scenario_file),
        common: CommonFlags {
            trials: Some(m.trials),
            seed: Some(m.seed),
            threads: None,
            out: Some(args.out.clone()),
            quiet: args.quiet,
        },
        no_trials_csv: m.flags.no_trials_csv,
        events: m.flags.events,
        format,
        precision: None,
        max_trials: 1,
        ord: m.flags.ord,
        return_periods: m.flags.return_periods.clone(),
        shard: None,
        summary_only: false,
        exact_quantiles_up_to: m.flags.exact_quantiles_up_to,
        uncertainty: None,
        baseline: m.flags.baseline.clone(),
        tilt: Default::default(),
    };
    let baseline = run::resolve_baseline(&run_args, &model)?;
    output::prepare_dir(&args.out)?;
    if streamed {
        return super::merge_streamed::merge(&run_args, &model, &settings, baseline, &parts, first);
    }
    let mut states = vec![load_state(&parts[0], &model, first)?];
    for p in &parts[1..] {
        states.push(load_state(p, &model, read_state(p)?)?);
    }
    let (sim, table) = shard::join(&model, &settings, states);
    let per_trial = !m.flags.no_trials_csv;
    let insurance = match table {
        Some(table) => Some(insurance::analyze(
            &model,
            &sim,
            table,
            &insurance::portfolio::Portfolios::of_model(&model),
            per_trial,
        )),
        None if m.flags.ord => Some(insurance::analyze(
            &model,
            &sim,
            Default::default(),
            &Default::default(),
            per_trial,
        )),
        None => None,
    };
    let scenario_text = parts[0].scenario_text.clone();
    drop(parts);
    run::write_outputs(
        &run_args,
        Finished {
            model: &model,
            scenario_text,
            settings,
            sim: &sim,
            insurance,
            precision: None,
            baseline,
            draws: None,
            digest: None,
            staged: None,
        },
        &args.out,
    )
}
