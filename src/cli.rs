//! The command line: flag definitions (clap) and the commands they run. Each
//! command loads and validates the scenario, calls the library and hands the
//! results to the reports. Errors come back as [`Failure`], which says which
//! exit status to use.

use crate::engine::{self, RunOptions};
use crate::model::Model;
use crate::output;
use crate::report::{self, Report};
use crate::scenario;
use crate::stats;
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "fateshare",
    version,
    about = "Monte Carlo simulation of correlated outages: what shared causes do to redundant architectures"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write summary.csv, summary.json and trials.csv.
    Run(RunArgs),
    /// Check a scenario file and list what is wrong with it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of trials (simulated periods); overrides [simulation].trials.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// Random seed; overrides [simulation].seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario file stem>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Do not write trials.csv (the per-trial table), for very large runs.
    #[arg(long)]
    pub no_trials_csv: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A failed command: `Input` is the user's to fix (exit 2), `Internal` is not (exit 1).
#[derive(Debug)]
pub enum Failure {
    Input(String),
    Internal(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 2,
            Failure::Internal(_) => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::Input(m) | Failure::Internal(m) => m,
        }
    }
}

impl From<scenario::ScenarioError> for Failure {
    fn from(e: scenario::ScenarioError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<output::OutputError> for Failure {
    fn from(e: output::OutputError) -> Self {
        match e {
            output::OutputError::Folder { .. } => Failure::Input(e.to_string()),
            output::OutputError::Io { .. } => Failure::Internal(e.to_string()),
        }
    }
}

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Validate { scenario } => validate(&scenario),
    }
}

fn validate(path: &Path) -> Result<(), Failure> {
    let (_, model) = scenario::load(path)?;
    println!(
        "{}: OK — \"{}\": {} components, {} outage sources ({} shared causes), {} architectures",
        path.display(),
        model.name,
        model.components.len(),
        model.sources.len(),
        model
            .sources
            .iter()
            .filter(|s| s.kind == crate::model::SourceKind::Cause)
            .count(),
        model.architectures.len()
    );
    Ok(())
}

/// Default output folder: `output/<scenario file stem>/`.
pub fn default_out(scenario: &Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    PathBuf::from("output").join(stem)
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let (_, model) = scenario::load(&args.scenario)?;
    let mut settings = model.settings;
    if let Some(t) = args.trials {
        settings.trials = t;
    }
    if let Some(s) = args.seed {
        settings.seed = s;
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.scenario));
    // Fail on an unusable output folder before spending time simulating.
    output::prepare_dir(&out)?;

    let bar = progress_bar(settings.trials, args.quiet);
    let options = RunOptions {
        threads: args.threads.map(|t| t as usize),
        progress: bar
            .clone()
            .map(|b| Arc::new(move |n| b.inc(n)) as Arc<dyn Fn(u64) + Send + Sync>),
    };
    let sim = engine::simulate(&model, &settings, &options);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = Report {
        model: &model,
        scenario_file: args.scenario.display().to_string(),
        settings,
        command: reproduce_command(&args.scenario, &settings, &out),
        summaries: stats::summarize(&model, &sim),
        simulation: &sim,
    };
    let written = output::write_all(
        &out,
        &report::standard_exports(!args.no_trials_csv),
        &report,
    )?;
    if !args.quiet {
        print!("{}", report::table::render(&report));
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        println!("wrote {} in {}", names.join(", "), out.display());
    }
    Ok(())
}

fn reproduce_command(scenario: &Path, s: &crate::model::Settings, out: &Path) -> String {
    format!(
        "fateshare run {} --trials {} --seed {} --out {}",
        scenario.display(),
        s.trials,
        s.seed,
        out.display()
    )
}

fn progress_bar(total: u64, quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {pos}/{len} trials ({per_sec}, eta {eta})",
        )
        .expect("valid template"),
    );
    Some(bar)
}

/// Loads a scenario for library users that want the model only.
pub fn load_model(path: &Path) -> Result<Model, Failure> {
    Ok(scenario::load(path)?.1)
}
