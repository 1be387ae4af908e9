//! `scenario.toml`: the scenario text as simulated, so that an output folder
//! holds everything needed to redraw its report (`fateshare report`).

use super::{Export, Report};
use std::io::{self, Write};

/// `scenario.toml`.
pub struct ScenarioToml;

impl Export for ScenarioToml {
    fn file_name(&self) -> &'static str {
        "scenario.toml"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(report.scenario_text.as_bytes())
    }
}
