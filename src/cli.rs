//! The command line: flag definitions (clap) and dispatch to the commands in
//! [`crate::cmd`] (which never imports this module). Errors come back as
//! [`Failure`], which says which exit status to use.

use crate::cmd;
pub use crate::cmd::flags::{CommonFlags, Failure};
pub use crate::cmd::{analyze::AnalyzeArgs, run::RunArgs};
use clap::{Parser, Subcommand};
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
    /// Simulate a scenario and write summary.csv, summary.json, the per-trial table (trials.csv, or trials.parquet past 65,536 rows), the charts and report.html.
    Run(RunArgs),
    /// Join the shard folders of `run --shard I/N` into the folder one run of all the trials writes.
    Merge(cmd::merge::MergeArgs),
    /// Redraw the charts and report.html of a finished run from its output folder.
    Report {
        /// The output folder of `fateshare run`.
        dir: PathBuf,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Compare two output folders: each figure's difference with its 95% interval
    /// (paired when both runs used the same seed and trials); write compare.csv and compare.html.
    Compare(cmd::compare::CompareArgs),
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
    /// Fit your own incident history (CSV: start,end,component or cause[,severity])
    /// and print scenario lines with the posterior rate and fitted durations.
    Calibrate(cmd::calibrate::CalibrateArgs),
    /// Books of insureds: compile an exposure file into the scenario, or
    /// generate a synthetic book of any size (docs/insurance.md § Books).
    Book(cmd::book::BookArgs),
}

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Compare(args) => cmd::compare::compare(&args),
        Command::Run(args) => cmd::run::run(&args),
        Command::Merge(args) => cmd::merge::merge(&args),
        Command::Analyze(args) => cmd::analyze::analyze(&args),
        Command::Validate { scenario } => cmd::validate::validate(&scenario),
        Command::Sweep(args) => cmd::sweep::sweep(&args),
        Command::Tornado(args) => cmd::tornado::tornado(&args),
        Command::Drill(args) => cmd::drill::drill(&args),
        Command::Catalogue(args) => cmd::catalogue::catalogue(&args),
        Command::Calibrate(args) => cmd::calibrate::calibrate(&args),
        Command::Report { dir, quiet } => cmd::report::report(&dir, quiet),
        Command::Graph { scenario } => cmd::graph::graph(&scenario),
        Command::Book(args) => cmd::book::book(&args),
    }
}
