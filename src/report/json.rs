//! `summary.json`: the summary figures with the run's identity (scenario,
//! seed, trials, horizon, program version, command) and, with `--precision`,
//! the precision asked and reached.

use super::{Export, Report, VERSION};
use crate::stats::ArchSummary;
use serde::Serialize;
use std::io::{self, Write};

/// `summary.json`, with what `--precision` reached when it was asked for.
#[derive(Default)]
pub struct SummaryJson {
    pub precision: Option<crate::precision::Precision>,
    /// With `--uncertainty N`: the credible values across the outer draws.
    pub uncertainty: Option<super::uncertainty::UncertaintyJson>,
}

#[derive(Serialize)]
struct Document<'a> {
    scenario: &'a str,
    scenario_file: &'a str,
    description: Option<&'a str>,
    version: &'a str,
    command: &'a str,
    seed: u64,
    trials: u64,
    horizon_hours: f64,
    /// The return periods of `architectures[].return_periods` ("1 in N").
    return_periods: Vec<u32>,
    /// The design every other was compared with (`--baseline`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a str>,
    catalogue: CatalogueId<'a>,
    architectures: &'a [ArchSummary],
    /// With `--precision`: asked and reached relative half-width.
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<crate::precision::Precision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertainty: Option<&'a super::uncertainty::UncertaintyJson>,
    /// With `--tilt`: how the run was importance-sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    importance: Option<super::importance::ImportanceJson<'a>>,
}

/// The incident catalogue built into the program (`use = "CLASS"` reads it).
#[derive(Serialize)]
struct CatalogueId<'a> {
    version: &'a str,
    sha256: String,
}

impl Export for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            scenario: &report.model.name,
            scenario_file: &report.scenario_file,
            description: report.model.description.as_deref(),
            version: VERSION,
            command: &report.command,
            seed: report.settings.seed,
            trials: report.settings.trials,
            horizon_hours: report.settings.horizon_hours,
            return_periods: report.return_periods(),
            baseline: report
                .baseline
                .map(|b| report.model.architectures[b].id.as_str()),
            catalogue: {
                let (version, sha256) = crate::catalogue::scenario::identity();
                CatalogueId { version, sha256 }
            },
            architectures: &report.summaries,
            precision: self.precision,
            uncertainty: self.uncertainty.as_ref(),
            importance: super::importance::of(report),
        };
        serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
        writeln!(out)
    }
}
