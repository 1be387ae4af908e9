//! The command line: flag definitions (clap) and dispatch to the commands in
//! [`crate::cmd`]. Errors come back as [`Failure`], which says which exit
//! status to use.

use crate::cmd;
use crate::output;
use crate::scenario;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    /// Simulate a scenario and write summary.csv, summary.json, trials.csv, the charts and report.html.
    Run(RunArgs),
    /// Redraw the charts and report.html of a finished run from its output folder.
    Report {
        /// The output folder of `fateshare run`.
        dir: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print a scenario's dependency graph as Graphviz DOT.
    Graph {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Explain a scenario's numbers: importance of each outage source, risk
    /// groups, independence audit and provider concentration.
    Analyze(AnalyzeArgs),
    /// Check a scenario file and list what is wrong with it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Simulate a grid of values for numbers in the scenario; write sweep.csv.
    Sweep(cmd::sweep::SweepArgs),
    /// Scale each source's rate and duration down and up one at a time; write tornado.csv.
    Tornado(cmd::tornado::TornadoArgs),
    /// Force causes or components down and see what each architecture does; write drills.csv.
    Drill(cmd::drill::DrillArgs),
    /// List the incident catalogue's classes (rates and durations fitted with
    /// their uncertainty); `catalogue show CLASS` lists one class's incidents and sources.
    Catalogue(cmd::catalogue::CatalogueArgs),
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
    /// Do not write the per-trial tables (trials.csv, outages.csv and, with
    /// policies or --ord, policy_trials.csv and splt.csv), for very large runs.
    #[arg(long)]
    pub no_trials_csv: bool,
    /// Also write the ORD files (ept, alt, alct, splt, summary_map) for a
    /// scenario without policies (a scenario with policies always gets them).
    #[arg(long)]
    pub ord: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
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
    /// Largest risk group (minimal cut set) listed, in outage sources.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=8))]
    pub max_order: u64,
    /// Most risk groups kept per component; beyond it, only the smallest sizes are listed.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_sets: u64,
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
        Command::Run(args) => cmd::run::run(&args),
        Command::Analyze(args) => cmd::analyze::analyze(&args),
        Command::Validate { scenario } => cmd::validate::validate(&scenario),
        Command::Sweep(args) => cmd::sweep::sweep(&args),
        Command::Tornado(args) => cmd::tornado::tornado(&args),
        Command::Drill(args) => cmd::drill::drill(&args),
        Command::Catalogue(args) => cmd::catalogue::catalogue(&args),
        Command::Report { dir, quiet } => cmd::report::report(&dir, quiet),
        Command::Graph { scenario } => cmd::graph::graph(&scenario),
    }
}
