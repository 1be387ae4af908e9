//! Reports: everything written from a finished run. Each output format is one
//! small module implementing [`Export`]; they read the [`Report`] and never
//! reach back into the engine. Files are written by [`crate::output`].

pub mod analysis_csv;
pub mod analysis_table;
pub mod csv;
pub mod json;
pub mod table;

use crate::engine::Simulation;
use crate::model::{Model, Settings};
use crate::stats::ArchSummary;
use std::io::{self, Write};

/// Everything a report may show about one run.
pub struct Report<'a> {
    pub model: &'a Model,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    pub settings: Settings,
    /// The command that reproduces this run.
    pub command: String,
    pub summaries: Vec<ArchSummary>,
    pub simulation: &'a Simulation,
}

/// The program version written into outputs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One output file.
pub trait Export {
    /// File name inside the output folder.
    fn file_name(&self) -> &'static str;
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The exports `fateshare run` writes.
/// `trials_csv` adds the per-trial tables (`trials.csv`, `outages.csv`).
pub fn standard_exports(trials_csv: bool) -> Vec<Box<dyn Export>> {
    let mut v: Vec<Box<dyn Export>> = vec![Box::new(csv::SummaryCsv), Box::new(json::SummaryJson)];
    if trials_csv {
        v.push(Box::new(csv::TrialsCsv));
        v.push(Box::new(csv::OutagesCsv));
    }
    v
}
