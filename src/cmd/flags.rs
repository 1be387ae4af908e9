//! The flags every simulating command shares (`--trials --seed --threads
//! --out --quiet`), declared once and flattened into each command's
//! arguments, and [`Failure`], how a command fails.

use clap::Args;
use std::path::PathBuf;

/// `--trials --seed --threads --out --quiet`.
#[derive(Debug, Clone, Args)]
pub struct CommonFlags {
    /// Number of trials (simulated periods) of each run; overrides
    /// [simulation].trials (drill: also run this many trials with the forced
    /// events added to the sampled worlds).
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

impl From<crate::scenario::ScenarioError> for Failure {
    fn from(e: crate::scenario::ScenarioError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<crate::output::OutputError> for Failure {
    fn from(e: crate::output::OutputError) -> Self {
        use crate::output::OutputError;
        match e {
            OutputError::Folder { .. } => Failure::Input(e.to_string()),
            OutputError::Io { .. } => Failure::Internal(e.to_string()),
        }
    }
}
