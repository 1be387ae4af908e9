//! The end of `fateshare analyze`, `tornado`, `drill` and `sweep`: record
//! where the new tables come from ([`Provenance`]), then bring `report.html`
//! and the charts in the output folder up to date with them, when the folder
//! holds a run (docs/report.md §3). Where the new tables do not belong with
//! that run, the report is redrawn without them (so that it always shows
//! what `fateshare report` would) and the terminal says why; where there is
//! no run, or it cannot be read back, it says that report.html was not
//! updated.

use crate::cmd::flags::Failure;
use crate::model::Settings;
use crate::output;
use crate::readback;
use crate::report::analyses;
use crate::report::history;
use crate::report::provenance::{Kind, Provenance};
use crate::report::{self, Report};
use std::path::Path;

/// What an analysis command ran, for its record.
pub struct Ran<'a> {
    pub kind: Kind,
    /// The command that reproduces the tables.
    pub command: String,
    pub scenario: &'a Path,
    pub scenario_text: &'a str,
    /// Seed and trials, where the command simulated.
    pub settings: Option<Settings>,
    pub horizon_hours: f64,
    /// `--name`, for the commands whose results accumulate.
    pub name: Option<String>,
}

/// Writes the record of the tables just written into `dir` (the staging
/// folder that will replace the output folder `shown`), then redraws
/// `report.html` there if it can. Only an unwritable record is an error;
/// a report that cannot be redrawn is a message.
pub fn after(dir: &Path, shown: &Path, ran: Ran, quiet: bool) -> Result<(), Failure> {
    let mut record = Provenance::new(
        ran.kind,
        dir,
        ran.command,
        ran.scenario,
        ran.scenario_text,
        ran.settings,
        ran.horizon_hours,
    )
    .map_err(|e| Failure::Internal(format!("reading back {}: {e}", shown.display())))?;
    if history::accumulates(ran.kind) {
        let name = history::name(&record.command, ran.name.as_deref());
        history::keep(dir, ran.kind, &mut record, &name)?;
    }
    record.write(dir, ran.kind)?;
    let say = |text: String| {
        if !quiet {
            println!("{text}");
        }
    };
    match redraw(dir, shown, ran.kind) {
        Ok(Redrawn {
            written,
            rejected,
            notes,
        }) => {
            let files = super::run::describe_files(dir, &written);
            match rejected {
                None => say(format!("updated {files} in {}", shown.display())),
                Some(why) => say(format!(
                    "report.html does not show the new tables: {why}\n\
                     (redrew {files} in {} without them)",
                    shown.display()
                )),
            }
            if !quiet {
                for n in notes {
                    eprintln!("note: {n}");
                }
            }
        }
        Err(why) => say(format!("report.html not updated: {why}")),
    }
    Ok(())
}

/// A report redrawn after an analysis command.
struct Redrawn {
    written: Vec<std::path::PathBuf>,
    /// Why the command's own tables were left out, if they were.
    rejected: Option<String>,
    /// Other tables left out.
    notes: Vec<analyses::Note>,
}

/// Redraws the report in `dir` if it holds a run that can be read back,
/// with every table that belongs with it (so report.html always shows what
/// `fateshare report` would); or says why it cannot.
fn redraw(dir: &Path, shown: &Path, kind: Kind) -> Result<Redrawn, String> {
    if !dir.join("summary.json").is_file() {
        return Err(format!(
            "{d} holds no run; `fateshare run SCENARIO --out {d}` writes one, with a report that \
             includes these tables",
            d = shown.display()
        ));
    }
    // A plain run's trials are summarized as they are read, not held.
    let run = readback::load_summarized(dir)
        .map_err(|e| format!("the run in it cannot be read back: {e}"))?;
    let report = Report::of_run(&run);
    let (tables, notes) = analyses::load(dir, &report);
    let (own, notes): (Vec<_>, Vec<_>) = notes.into_iter().partition(|n| n.kind == kind);
    let rejected = own.into_iter().next().map(|n| n.why);
    let exports = report::visuals::exports_with(&report, tables).map_err(|e| e.to_string())?;
    let written = output::write_all(dir, &exports, &report).map_err(|e| e.to_string())?;
    Ok(Redrawn {
        written,
        rejected,
        notes,
    })
}
