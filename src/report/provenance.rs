//! Where the analysis tables in an output folder come from. `fateshare
//! analyze`, `tornado`, `drill` and `sweep` write, beside their CSV files, a
//! small JSON record (`analysis.json`, `tornado.json`, `drills.json`,
//! `sweep.json`): the command, the program version, a fingerprint of the
//! scenario text, the seed and trials, and a fingerprint of every file
//! written. `report.html` shows a table only when its record says it was
//! made from the same scenario text as the run in the folder (and, for
//! `analyze`, on the same trials and seed), and the file is unchanged since.
//! The rule is documented in docs/report.md §3.

use super::Report;
use crate::model::Settings;
use crate::output::{self, OutputError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One analysis command's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The subcommand, e.g. `analyze`.
    pub command: &'static str,
    /// The record written beside the tables.
    pub record: &'static str,
    /// The tables it writes.
    pub files: &'static [&'static str],
    /// Whether the tables only belong with a run of the same trials and seed.
    pub same_trials: bool,
}

/// `fateshare analyze`: re-evaluates the run's own sampled worlds, so its
/// tables belong with a run of the same trials and seed.
pub const ANALYZE: Kind = Kind {
    command: "analyze",
    record: "analysis.json",
    files: &[
        "importance.csv",
        "risk_groups.csv",
        "independence.csv",
        "concentration.csv",
    ],
    same_trials: true,
};

/// `fateshare tornado`: its own base run and 4 runs per source, at its own
/// trials (usually fewer than the run's), which the report states.
pub const TORNADO: Kind = Kind {
    command: "tornado",
    record: "tornado.json",
    files: &["tornado.csv"],
    same_trials: false,
};

/// `fateshare drill`: deterministic, plus its own trials with `--trials`;
/// `rds.csv` only with `--book`.
pub const DRILLS: Kind = Kind {
    command: "drill",
    record: "drills.json",
    files: &["drills.csv", "rds.csv"],
    same_trials: false,
};

/// `fateshare sweep`: one run per point at its own trials.
pub const SWEEP: Kind = Kind {
    command: "sweep",
    record: "sweep.json",
    files: &["sweep.csv"],
    same_trials: false,
};

/// Every kind, in the order the report shows them.
pub const ALL: [Kind; 4] = [ANALYZE, TORNADO, DRILLS, SWEEP];

/// The record written beside an analysis command's tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The command that reproduces the tables.
    pub command: String,
    pub version: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// [`fingerprint`] of the scenario file's text.
    pub scenario: String,
    /// Seed and trials of the simulation, where it ran one.
    pub seed: Option<u64>,
    pub trials: Option<u64>,
    pub horizon_hours: f64,
    /// File name → [`fingerprint`] of its bytes.
    pub files: BTreeMap<String, String>,
    /// For the kinds that accumulate ([`super::history`]): the invocation's
    /// name and its number in the output folder (1 for the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
}

/// What identifies a run: its scenario text and settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunId<'a> {
    pub scenario_text: &'a str,
    pub settings: Settings,
}

impl<'a> RunId<'a> {
    pub fn of(report: &'a Report) -> RunId<'a> {
        RunId {
            scenario_text: &report.scenario_text,
            settings: report.settings,
        }
    }
}

/// FNV-1a (64 bit) of `bytes`, as `fnv1a64:` and 16 hex digits. Stable
/// across platforms and versions; a fingerprint, not a defence against
/// deliberate forgery.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

impl Provenance {
    /// A record for tables just written into `dir`: fingerprints the
    /// scenario text and every file of `kind` found there.
    pub fn new(
        kind: Kind,
        dir: &Path,
        command: String,
        scenario_file: &Path,
        scenario_text: &str,
        settings: Option<Settings>,
        horizon_hours: f64,
    ) -> std::io::Result<Provenance> {
        let mut files = BTreeMap::new();
        for f in kind.files {
            let path = dir.join(f);
            if path.exists() {
                files.insert(f.to_string(), fingerprint(&std::fs::read(&path)?));
            }
        }
        Ok(Provenance {
            command,
            version: super::VERSION.to_string(),
            scenario_file: scenario_file.display().to_string(),
            scenario: fingerprint(scenario_text.as_bytes()),
            seed: settings.map(|s| s.seed),
            trials: settings.map(|s| s.trials),
            horizon_hours,
            files,
            name: None,
            seq: None,
        })
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("plain data serializes");
        s.push('\n');
        s
    }

    /// Writes the record as `dir/<kind.record>` (atomically) and returns its path.
    pub fn write(&self, dir: &Path, kind: Kind) -> Result<std::path::PathBuf, OutputError> {
        let path = dir.join(kind.record);
        output::write_atomic(&path, |w| w.write_all(self.to_json().as_bytes()))?;
        Ok(path)
    }

    /// Reads `dir/<kind.record>`; `None` when there is none.
    pub fn read(dir: &Path, kind: Kind) -> Result<Option<Provenance>, String> {
        let path = dir.join(kind.record);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {} ({e})", kind.record)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            format!(
                "{} is not a record written by `fateshare {}` ({e})",
                kind.record, kind.command
            )
        })
    }

    /// Why tables with this record do not belong with the run `run`, if
    /// they do not (another scenario text, or for `analyze` other trials or
    /// seed), with what to do about it.
    pub fn mismatch(&self, kind: Kind, run: &RunId) -> Option<String> {
        if self.scenario != fingerprint(run.scenario_text.as_bytes()) {
            return Some(format!(
                "{} says they were made from {}, whose text is not the run's scenario.toml; \
                 run `fateshare {}` again on the run's scenario",
                kind.record, self.scenario_file, kind.command
            ));
        }
        let s = run.settings;
        let same = self.trials == Some(s.trials)
            && self.seed == Some(s.seed)
            && self.horizon_hours == s.horizon_hours;
        if kind.same_trials && !same {
            return Some(format!(
                "they were computed on {} trials with seed {} and the run on {} trials with seed {}; \
                 `fateshare {}` explains the run's own sampled years, so run it again with \
                 --trials {} --seed {}",
                self.trials.map_or("?".into(), |t| t.to_string()),
                self.seed.map_or("?".into(), |t| t.to_string()),
                s.trials,
                s.seed,
                kind.command,
                s.trials,
                s.seed
            ));
        }
        None
    }

    /// Why the bytes of `file` are not the ones this record describes, if
    /// they are not.
    pub fn changed(&self, kind: Kind, file: &str, bytes: &[u8]) -> Option<String> {
        match self.files.get(file) {
            None => Some(format!(
                "{} does not list it: it was not written by that `fateshare {}`; run it again",
                kind.record, kind.command
            )),
            Some(f) if *f != fingerprint(bytes) => Some(format!(
                "it changed after `fateshare {}` wrote it (its fingerprint differs from the one \
                 in {}); run it again",
                kind.command, kind.record
            )),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a_64() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fingerprint(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_eq!(fingerprint(b"foobar"), "fnv1a64:85944171f73967e8");
    }

    fn record(same: bool) -> (Kind, Provenance) {
        let kind = Kind {
            same_trials: same,
            ..ANALYZE
        };
        let p = Provenance {
            command: "fateshare analyze x.toml".into(),
            version: "0".into(),
            scenario_file: "x.toml".into(),
            scenario: fingerprint(b"name = \"x\""),
            seed: Some(1),
            trials: Some(100),
            horizon_hours: 8760.0,
            files: [("importance.csv".to_string(), fingerprint(b"a,b\n"))].into(),
            name: None,
            seq: None,
        };
        (kind, p)
    }

    #[test]
    fn mismatch_names_the_difference() {
        let settings = Settings {
            horizon_hours: 8760.0,
            trials: 100,
            seed: 1,
        };
        let run = |text, trials, seed| RunId {
            scenario_text: text,
            settings: Settings {
                trials,
                seed,
                ..settings
            },
        };
        let (kind, p) = record(true);
        assert_eq!(p.mismatch(kind, &run("name = \"x\"", 100, 1)), None);
        assert!(p
            .mismatch(kind, &run("name = \"y\"", 100, 1))
            .unwrap()
            .contains("made from x.toml, whose text is not"));
        assert!(p
            .mismatch(kind, &run("name = \"x\"", 200, 1))
            .unwrap()
            .contains("--trials 200 --seed 1"));
        assert!(p.mismatch(kind, &run("name = \"x\"", 100, 2)).is_some());
        // Kinds with their own trials only need the same scenario text.
        let (kind, p) = record(false);
        assert_eq!(p.mismatch(kind, &run("name = \"x\"", 200, 2)), None);
        assert!(p.mismatch(kind, &run("name = \"y\"", 100, 1)).is_some());
    }

    #[test]
    fn changed_files_are_detected() {
        let (kind, p) = record(true);
        assert_eq!(p.changed(kind, "importance.csv", b"a,b\n"), None);
        assert!(p
            .changed(kind, "importance.csv", b"a,c\n")
            .unwrap()
            .contains("changed after"));
        assert!(p
            .changed(kind, "risk_groups.csv", b"a,b\n")
            .unwrap()
            .contains("does not list it"));
    }

    #[test]
    fn record_round_trips_through_json() {
        let (_, p) = record(true);
        let back: Provenance = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(back, p);
    }
}
