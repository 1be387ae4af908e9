//! `fateshare report DIR`: redraw the charts and `report.html` of a finished
//! run from its output folder, without simulating again, with a section for
//! every analysis table in the folder that belongs with the run.

use crate::cmd::flags::Failure;
use crate::output;
use crate::readback;
use crate::report::{self, Report};
use std::path::Path;

pub fn report(dir: &Path, quiet: bool) -> Result<(), Failure> {
    let run = readback::load_summarized(dir).map_err(|e| Failure::Input(e.to_string()))?;
    if run.version != report::VERSION {
        eprintln!(
            "note: {} was simulated by fateshare {}; redrawing with {}",
            dir.display(),
            run.version,
            report::VERSION
        );
    }
    let report = Report::of_run(&run);
    // The analysis tables beside the run, where they belong with it (docs/report.md §3).
    let (analyses, notes) = report::analyses::load(dir, &report);
    if !quiet {
        for n in &notes {
            eprintln!("note: {n}");
        }
    }
    let exports = report::visuals::exports_with(&report, analyses)
        .map_err(|e| Failure::Internal(e.to_string()))?;
    let stage = output::Staging::begin(dir)?;
    let written = output::write_all(stage.path(), &exports, &report)?;
    let files = super::run::describe_files(stage.path(), &written);
    stage.commit()?;
    if !quiet {
        println!("wrote {files} in {}", dir.display());
    }
    Ok(())
}
