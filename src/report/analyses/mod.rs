//! The analysis tables `report.html` shows, read back from an output folder
//! (never recomputed): `importance.csv`, `risk_groups.csv`,
//! `independence.csv`, `concentration.csv` (from `fateshare analyze`),
//! `tornado.csv`, `drills.csv` and `sweep.csv`. A table is loaded only when
//! its file is present and its [`provenance`] record says
//! it belongs with the run; otherwise it is left out with a note saying why.
//! Columns are looked up by name, so columns added later do not break it.

mod rows;

use super::provenance::{self, Kind, Provenance, RunId};
use super::Report;
use rows::parse_into;
use std::path::Path;

/// Where a table came from, for the report's captions.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: &'static str,
    /// The command that reproduces it.
    pub command: String,
    pub seed: Option<u64>,
    pub trials: Option<u64>,
    /// The invocation's name, for the results that accumulate.
    pub name: Option<String>,
}

/// Rows read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<R> {
    pub origin: Origin,
    pub rows: Vec<R>,
}

/// Every analysis table found in the folder and belonging with the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analyses {
    pub importance: Option<Table<Importance>>,
    pub risk_groups: Option<Table<RiskGroup>>,
    pub independence: Option<Table<Redundancy>>,
    pub concentration: Option<Table<Concentration>>,
    pub tornado: Option<Table<TornadoBar>>,
    pub drills: Option<Table<DrillRow>>,
    /// `rds.csv`, from `fateshare drill --book` (latest only).
    pub rds: Option<Table<RdsRow>>,
    pub sweep: Option<Table<SweepRow>>,
    /// Earlier drill, sweep and tornado results kept in `history/`
    /// ([`super::history`]), newest first, made from the run's scenario.
    pub earlier: Earlier,
}

/// Earlier results of the commands whose results accumulate, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Earlier {
    pub tornado: Vec<Table<TornadoBar>>,
    pub drills: Vec<Table<DrillRow>>,
    pub sweep: Vec<Table<SweepRow>>,
}

/// A row of `importance.csv` (per-year figures; NaN where empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Importance {
    pub architecture: String,
    pub rank: usize,
    pub source: String,
    pub source_kind: String,
    pub downtime_avoided_hours: f64,
    pub loss_avoided: Option<f64>,
    pub risk_reduction_ratio: f64,
    pub downtime_if_always_down_hours: f64,
    pub risk_achievement_ratio: f64,
    pub fussell_vesely: f64,
    pub birnbaum: f64,
}

/// A row of `risk_groups.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskGroup {
    pub architecture: String,
    pub size: usize,
    /// Source ids, sorted.
    pub sources: Vec<String>,
    pub probability: f64,
    pub observed_share: f64,
    pub complete_to_size: usize,
}

/// A row of `independence.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Redundancy {
    pub component: String,
    pub mode: String,
    pub branches: Vec<String>,
    pub shared_sources: Vec<String>,
    pub jaccard: f64,
    pub jaccard_pair: Vec<String>,
    pub single_points: Vec<String>,
    pub downtime_hours: f64,
    pub shared_downtime_share: f64,
}

/// A row of `concentration.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Concentration {
    pub architecture: String,
    /// `provider` or `jurisdiction`.
    pub kind: String,
    pub name: String,
    pub in_design: bool,
    pub substitutable: bool,
    /// Down while the group was below full service (docs/analysis.md §5).
    pub involved_hours: f64,
    pub involved_share: f64,
    pub involved_loss_share: Option<f64>,
    /// Down time sparing the group would have avoided.
    pub responsible_hours: f64,
    pub responsible_share: f64,
    pub responsible_loss_share: Option<f64>,
    pub closely_connected: Vec<String>,
    pub depends_on: Vec<String>,
}

/// A row of `tornado.csv`: one bar.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub architecture: String,
    pub source: String,
    pub source_kind: String,
    /// `rate` or `duration`.
    pub parameter: String,
    pub low_factor: f64,
    pub high_factor: f64,
    pub base_downtime_hours: f64,
    pub low_downtime_hours: f64,
    pub high_downtime_hours: f64,
    pub downtime_swing_hours: f64,
    pub downtime_swing_se_hours: f64,
    pub downtime_rank: usize,
    pub base_expected_loss: Option<f64>,
    pub low_expected_loss: Option<f64>,
    pub high_expected_loss: Option<f64>,
    pub loss_swing: Option<f64>,
    pub loss_swing_se: Option<f64>,
    pub loss_rank: Option<usize>,
}

/// A row of `rds.csv`: one drill applied to the book of policies.
#[derive(Debug, Clone, PartialEq)]
pub struct RdsRow {
    pub drill: String,
    pub policies: u64,
    pub policies_paid: u64,
    pub gross_loss: f64,
    pub net_loss: Option<f64>,
    pub trials: Option<u64>,
    /// Return period, its interval (infinite where no trial was as bad);
    /// `None` when the scenario cost nothing.
    pub oep_return_period: Option<[f64; 3]>,
    pub aep_return_period: Option<[f64; 3]>,
    /// The net loss's return period on the net OEP curve.
    pub net_oep_return_period: Option<[f64; 3]>,
    /// Ceded by each treaty (`ceded:<treaty>` columns), in inuring order.
    pub ceded: Vec<(String, f64)>,
}

/// A row of `drills.csv`: one drill on one architecture.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillRow {
    pub drill: String,
    /// Forced cause and component ids.
    pub forced: Vec<String>,
    pub hours: f64,
    pub at_hours: f64,
    pub architecture: String,
    pub went_down: bool,
    pub downtime_hours: f64,
    pub loss: Option<f64>,
    /// "forced > … > served", empty when not down.
    pub path: String,
    /// Redundancies that absorbed the drill, joined by " + ".
    pub absorbed: String,
    /// With `--trials`: P(down during the drill), E[down time | drill] and
    /// the same trials' down time without the drill.
    pub conditional: Option<Conditional>,
    /// Where the incident is documented.
    pub source: String,
}

/// The `--trials` columns of `drills.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub trials: u64,
    pub p_down_during_drill: f64,
    pub downtime_hours_mean: f64,
    pub expected_loss: Option<f64>,
    pub baseline_downtime_hours_mean: f64,
    pub baseline_expected_loss: Option<f64>,
}

/// A row of `sweep.csv`: one point and architecture.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    pub point: usize,
    /// (path, value as written) of every swept number.
    pub values: Vec<(String, String)>,
    pub architecture: String,
    pub trials: u64,
    pub downtime_hours_mean: f64,
    pub expected_loss: Option<f64>,
}

/// Why tables of one kind were left out of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: Kind,
    /// The files left out, as paths.
    pub files: String,
    /// Why, and what to do about it.
    pub why: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} left out of report.html: {}", self.files, self.why)
    }
}

/// Loads every analysis table in `dir` that belongs with the run of
/// `report` (the run in the folder, or the one about to be written there).
/// Returns the tables and one note per file (or set of files) left out,
/// saying why.
pub fn load(dir: &Path, report: &Report) -> (Analyses, Vec<Note>) {
    let run = RunId::of(report);
    let model = report.model;
    let mut out = Analyses::default();
    let mut notes = Vec::new();
    for kind in provenance::ALL {
        let present: Vec<&'static str> = kind
            .files
            .iter()
            .copied()
            .filter(|f| dir.join(f).is_file())
            .collect();
        if present.is_empty() {
            continue;
        }
        let note = |files: &[&str], why: String| Note {
            kind,
            files: files
                .iter()
                .map(|f| dir.join(f).display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            why,
        };
        let record = match Provenance::read(dir, kind) {
            Ok(Some(r)) => r,
            Ok(None) => {
                notes.push(note(
                    &present,
                    format!(
                        "there is no {} beside {} (it records which scenario {} made from); \
                         run `fateshare {}` again",
                        kind.record,
                        if present.len() == 1 { "it" } else { "them" },
                        if present.len() == 1 {
                            "it was"
                        } else {
                            "they were"
                        },
                        kind.command,
                    ),
                ));
                continue;
            }
            Err(e) => {
                notes.push(note(
                    &present,
                    format!("{e}; run `fateshare {}` again", kind.command),
                ));
                continue;
            }
        };
        if let Some(why) = record.mismatch(kind, &run) {
            notes.push(note(&present, why));
            continue;
        }
        for file in present {
            let result = std::fs::read(dir.join(file))
                .map_err(|e| format!("cannot read it ({e})"))
                .and_then(|bytes| match record.changed(kind, file, &bytes) {
                    Some(why) => Err(why),
                    None => String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string()),
                })
                .and_then(|text| {
                    let origin = Origin {
                        file,
                        command: record.command.clone(),
                        seed: record.seed,
                        trials: record.trials,
                        name: record.name.clone(),
                    };
                    parse_into(&mut out, file, &text, model, origin)
                        .map_err(|e| format!("{e}; run `fateshare {}` again", kind.command))
                });
            if let Err(why) = result {
                notes.push(note(&[file], why));
            }
        }
    }
    load_earlier(dir, report, &mut out);
    (out, notes)
}

/// The kept results of earlier invocations ([`super::history`]) made from
/// the run's scenario text, newest first, leaving out the newest (the
/// folder's top-level table, which `load` reads or leaves out with a note). Entries made from another scenario,
/// or whose files changed or cannot be read, are left out without a note
/// (the notes are about the latest tables).
fn load_earlier(dir: &Path, report: &Report, out: &mut Analyses) {
    let run = RunId::of(report);
    for kind in super::history::KINDS {
        // The newest entry is the folder's top-level table (shown, or left
        // out with a note, by `load`).
        for (entry, record) in super::history::entries(dir, kind).into_iter().skip(1) {
            if record.mismatch(kind, &run).is_some() {
                continue;
            }
            let mut scratch = Analyses::default();
            // Files a kind writes only sometimes (`rds.csv`) are absent from its record.
            for &file in kind.files.iter().filter(|f| record.files.contains_key(**f)) {
                let path = entry.join(file);
                let result = std::fs::read(&path)
                    .map_err(|e| format!("cannot read it ({e})"))
                    .and_then(|bytes| match record.changed(kind, file, &bytes) {
                        Some(why) => Err(why),
                        None => String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string()),
                    })
                    .and_then(|text| {
                        let origin = Origin {
                            file,
                            command: record.command.clone(),
                            seed: record.seed,
                            trials: record.trials,
                            name: record.name.clone(),
                        };
                        parse_into(&mut scratch, file, &text, report.model, origin)
                    });
                if result.is_err() {
                    scratch = Analyses::default();
                    break;
                }
            }
            out.earlier.tornado.extend(scratch.tornado);
            out.earlier.drills.extend(scratch.drills);
            out.earlier.sweep.extend(scratch.sweep);
        }
    }
}
