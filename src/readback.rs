//! Reading a finished run back from its output folder, for `fateshare
//! report`: the scenario from `scenario.toml`, the run's identity from
//! `summary.json`, the per-trial outcomes from `trials.csv`, the outage
//! lengths from `outage_lengths.csv` and, where the run wrote it (`--events`),
//! every outage from `outages.csv` (with policies, their figures through
//! [`crate::insurance::readback`]); for an importance-sampled run, its factors
//! from `summary.json` and each trial's weight from `trials.csv`. Numbers are written in shortest round-trip form, so
//! what is read back is bit for bit what was simulated, and the charts and
//! report drawn from it are byte-identical to those of the run.

mod trials;

pub use trials::each_trial;

use crate::engine::{OutageRecord, Simulation};
use crate::evaluate::Outcome;
use crate::model::{Model, Settings};
use crate::scenario;
use crate::sketch::Tally;
use crate::stats::digest::{Digest, Pairs, MAX_STREAMED};
use crate::stats::stream::{Summarizer, EXACT_UP_TO};
use crate::stats::ArchSummary;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A run as read back from its folder.
pub struct Run {
    pub model: Model,
    pub scenario_text: String,
    /// The scenario file as given to `fateshare run`.
    pub scenario_file: String,
    pub command: String,
    /// The program version that simulated it.
    pub version: String,
    pub settings: Settings,
    /// The return periods ("1 in N") the run reported.
    pub return_periods: Vec<u32>,
    /// The design the run compared every other with (`--baseline`).
    pub baseline: Option<usize>,
    pub simulation: Simulation,
    /// With policies, their figures from `policies.csv`, `decisions.csv`,
    /// `portfolios.csv` and `policy_trials.csv`.
    pub insurance: Option<std::sync::Arc<crate::insurance::figures::InsuranceFigures>>,
    /// With `run --uncertainty N`: the outer draws ([`crate::uncertain::readback`]).
    pub draws: Option<std::sync::Arc<crate::uncertain::draws::Draws>>,
    /// Read by [`load_summarized`]: the summaries and digest of the trials,
    /// whose outcomes are then not kept (`simulation.outcomes` is empty).
    pub digest: Option<(Vec<ArchSummary>, Digest)>,
}

pub use crate::readback_error::ReadbackError;

/// The fields of `summary.json` read back (others are ignored).
#[derive(Deserialize)]
struct RunInfo {
    scenario_file: String,
    version: String,
    command: String,
    seed: u64,
    trials: u64,
    horizon_hours: f64,
    /// Absent in folders written before `--return-periods`.
    #[serde(default = "default_return_periods")]
    return_periods: Vec<u32>,
    /// Absent without `--baseline`.
    #[serde(default)]
    baseline: Option<String>,
    /// Present for an importance-sampled run (`--tilt`).
    #[serde(default)]
    importance: Option<ImportanceInfo>,
}

/// `summary.json`'s `importance` block, as read back.
#[derive(Deserialize)]
struct ImportanceInfo {
    method: String,
    factors: Vec<FactorInfo>,
}

#[derive(Deserialize)]
struct FactorInfo {
    source: String,
    factor: f64,
}

/// The importance block checked against the scenario: one factor (finite,
/// at least 1) per outage source, in order; the weights come from trials.csv.
fn importance(
    path: &Path,
    info: ImportanceInfo,
    model: &Model,
) -> Result<crate::weighted::Importance, ReadbackError> {
    use crate::weighted::{CROSS_ENTROPY, GIVEN};
    let fits = info.factors.len() == model.sources.len()
        && info
            .factors
            .iter()
            .zip(&model.sources)
            .all(|(f, s)| f.source == s.id && f.factor.is_finite() && f.factor >= 1.0);
    if !fits || ![GIVEN, CROSS_ENTROPY].contains(&info.method.as_str()) {
        return Err(err(
            path,
            "importance: expected the method (given or cross-entropy) and one factor of at \
             least 1 per outage source of scenario.toml, in its order; run the scenario again",
        ));
    }
    Ok(crate::weighted::Importance {
        method: info.method,
        factors: info.factors.iter().map(|f| f.factor).collect(),
        weights: Vec::new(),
    })
}

fn default_return_periods() -> Vec<u32> {
    crate::stats::DEFAULT_RETURN_PERIODS.to_vec()
}

fn err(path: &Path, message: impl Into<String>) -> ReadbackError {
    ReadbackError {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// A file's text; a table written as Parquet (`--format parquet`) is read
/// from its `.parquet` form as the CSV it was converted from.
fn read(path: &Path, rerun: &str) -> Result<String, ReadbackError> {
    crate::parquet_io::read_table_text(path).map_err(|e| {
        err(
            path,
            format!("cannot read it ({e}); give the folder `fateshare run` wrote{rerun}"),
        )
    })
}

/// Reads the run in `dir`, with every trial's outcomes.
pub fn load(dir: &Path) -> Result<Run, ReadbackError> {
    load_with(dir, Mode::Whole)
}

/// How [`load_with`] reads the per-trial table of a plain run.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Every outcome kept.
    Whole,
    /// Summarized as it is read ([`load_summarized`]).
    Summarized,
    /// Not read: [`each_trial`] streams it ([`load_lazily`]).
    Lazy,
}

/// Reads the run in `dir` but, for a plain run (one [`load_summarized`]
/// summarizes), not its per-trial table: neither outcomes nor digest are
/// kept, and [`each_trial`] then reads the trials one at a time (checked
/// as they come). Other runs are read whole, as [`load`] does.
pub fn load_lazily(dir: &Path) -> Result<Run, ReadbackError> {
    load_with(dir, Mode::Lazy)
}

/// Reads the run in `dir` for redrawing its report: a plain run's per-trial
/// table is summarized as it is read ([`Run::digest`]: the same figures, bit
/// for bit, as the run's, which summarized the same trials in the same
/// order) and its outcomes are not kept, so memory does not grow with the
/// trials. Runs with policies, `--events`, `--tilt` or `--uncertainty`, or
/// more than [`MAX_STREAMED`] designs, are read whole, as [`load`] does.
pub fn load_summarized(dir: &Path) -> Result<Run, ReadbackError> {
    load_with(dir, Mode::Summarized)
}

fn load_with(dir: &Path, mode: Mode) -> Result<Run, ReadbackError> {
    if !dir.is_dir() {
        return Err(err(
            dir,
            "not a folder; give the output folder of `fateshare run` (its --out)",
        ));
    }
    let file = |name: &str| -> PathBuf { dir.join(name) };
    let toml_path = file("scenario.toml");
    let scenario_text = read(&toml_path, "")?;
    let (_, model) = scenario::compile_text(&scenario_text, &toml_path.display().to_string())
        .map_err(|e| err(&toml_path, format!("no longer a valid scenario: {e}")))?;

    let json_path = file("summary.json");
    let info: RunInfo = serde_json::from_str(&read(&json_path, "")?).map_err(|e| {
        err(
            &json_path,
            format!("not a summary written by `fateshare run` ({e}); run the scenario again"),
        )
    })?;
    if info.trials == 0 || !(info.horizon_hours.is_finite() && info.horizon_hours > 0.0) {
        return Err(err(
            &json_path,
            "trials must be at least 1 and horizon_hours positive; run the scenario again",
        ));
    }
    if info.return_periods.iter().any(|&n| n < 2) {
        return Err(err(
            &json_path,
            "return_periods must each be at least 2 (a 1-in-N period); run the scenario again",
        ));
    }
    let baseline = match &info.baseline {
        None => None,
        Some(id) => Some(
            model
                .architectures
                .iter()
                .position(|a| &a.id == id)
                .ok_or_else(|| {
                    err(
                        &json_path,
                        format!(
                            "baseline \"{}\" is not an architecture of scenario.toml; run the scenario again",
                            crate::text::escape(id)
                        ),
                    )
                })?,
        ),
    };
    let settings = Settings {
        horizon_hours: info.horizon_hours,
        trials: info.trials,
        seed: info.seed,
    };
    let no_csv = " (runs with --no-trials-csv do not write it: run again without that flag)";
    let mut importance = match info.importance {
        None => None,
        Some(i) => Some(self::importance(&json_path, i, &model)?),
    };
    // The per-event table is there only for runs with --events.
    let outages_path = file("outages.csv");
    let outages = if crate::parquet_io::table_path(&outages_path).exists() {
        read_outages(&outages_path, &model, &settings, "")?
    } else {
        Vec::new()
    };
    let draws = crate::uncertain::readback::load(dir, &scenario_text, &model)?;
    let summarize = mode != Mode::Whole
        && importance.is_none()
        && model.policies.is_empty()
        && draws.is_none()
        && outages.is_empty()
        && model.architectures.len() <= MAX_STREAMED;
    let trials_path = file("trials.csv");
    let (mut outcomes, digest) = if summarize && mode == Mode::Lazy {
        (Vec::new(), None)
    } else if summarize {
        let h = settings.horizon_hours;
        let mut summary = Summarizer::new(&model, h, EXACT_UP_TO);
        let mut pairs = Pairs::new(&model, h);
        trials::table(&trials_path, &model, &settings, no_csv, None, &mut |t| {
            summary.add_trial(t);
            pairs.add_trial(t);
        })?;
        let pairs = pairs.complete(&summary);
        let (summaries, mut digest) = summary.finish_digest(&model, &info.return_periods);
        digest.pairs = Some(pairs);
        (Vec::new(), Some((summaries, digest)))
    } else {
        let weights = importance.as_mut().map(|i| &mut i.weights);
        let outcomes = read_trials(&trials_path, &model, &settings, no_csv, weights)?;
        (outcomes, None)
    };
    // A weighted run writes no outage lengths (the tilted world's counts).
    let outage_lengths = match importance {
        None => read_outage_lengths(&file("outage_lengths.csv"), &model)?,
        Some(_) => Vec::new(),
    };
    // The occurrence loss is not a column of trials.csv: take it from the outages.
    let n_arch = model.architectures.len();
    for o in &outages {
        let row = &mut outcomes[o.trial as usize * n_arch + o.architecture as usize];
        row.largest_outage_loss = row.largest_outage_loss.max(o.loss);
    }
    let insurance = crate::insurance::readback::load(
        dir,
        &model,
        settings.trials,
        importance.as_ref().map(|i| &i.weights[..]),
    )?;
    Ok(Run {
        digest,
        draws: draws.map(std::sync::Arc::new),
        insurance: insurance.map(std::sync::Arc::new),
        simulation: Simulation {
            settings,
            architectures: model.architectures.len(),
            outcomes,
            outages,
            outage_lengths,
            importance,
        },
        model,
        scenario_text,
        scenario_file: info.scenario_file,
        command: info.command,
        version: info.version,
        return_periods: info.return_periods,
        baseline,
        settings,
    })
}

fn number<T: std::str::FromStr>(
    path: &Path,
    line: usize,
    column: (usize, &str),
    text: Option<&str>,
) -> Result<T, ReadbackError> {
    let (index, name) = column;
    text.and_then(|t| t.parse().ok()).ok_or_else(|| {
        err(
            path,
            format!(
                "line {line}, column {index} ({name}): missing or not a number; run the scenario again"
            ),
        )
    })
}

/// A measure read back: a finite number from `lo` to `hi` (inclusive).
fn measure(
    path: &Path,
    line: usize,
    column: (usize, &str),
    text: Option<&str>,
    (lo, hi): (f64, f64),
) -> Result<f64, ReadbackError> {
    let v: f64 = number(path, line, column, text)?;
    if v.is_finite() && v >= lo && v <= hi {
        Ok(v)
    } else {
        let (index, name) = column;
        Err(err(
            path,
            format!(
                "line {line}, column {index} ({name}): {} is not a finite number from {lo} to {}; run the scenario again",
                crate::text::escape(text.unwrap_or_default()),
                if hi.is_finite() { hi.to_string() } else { "any finite value".into() }
            ),
        ))
    }
}

/// Any finite number from 0 up.
const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);

/// The per-trial outcomes; with `weights` (a weighted run), each trial's
/// likelihood ratio from the `weight` column as well.
fn read_trials(
    path: &Path,
    model: &Model,
    settings: &Settings,
    rerun: &str,
    weights: Option<&mut Vec<f64>>,
) -> Result<Vec<Outcome>, ReadbackError> {
    let mut out = Vec::new();
    trials::table(path, model, settings, rerun, weights, &mut |t| {
        out.extend_from_slice(t)
    })?;
    Ok(out)
}

fn read_outages(
    path: &Path,
    model: &Model,
    settings: &Settings,
    rerun: &str,
) -> Result<Vec<OutageRecord>, ReadbackError> {
    let text = read(path, rerun)?;
    let mut lines = text.lines();
    const HEADER: &str = "trial,architecture,start_hours,duration_hours,loss";
    if lines.next() != Some(HEADER) {
        return Err(err(
            path,
            format!("the first line must be `{HEADER}`; run the scenario again"),
        ));
    }
    let index: HashMap<&str, u32> = model
        .architectures
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i as u32))
        .collect();
    let mut out = Vec::new();
    for (i, l) in lines.enumerate() {
        let line = i + 2;
        let mut f = l.split(',');
        let trial: u64 = number(path, line, (1, "trial"), f.next())?;
        let arch = f.next().unwrap_or_default();
        let Some(&architecture) = index.get(arch) else {
            return Err(err(
                path,
                format!("line {line}: unknown architecture \"{arch}\"; the file does not match scenario.toml: run the scenario again"),
            ));
        };
        if trial >= settings.trials {
            return Err(err(
                path,
                format!("line {line}: trial {trial} is beyond the run's {} trials; run the scenario again", settings.trials),
            ));
        }
        out.push(OutageRecord {
            trial,
            architecture,
            start_hours: measure(
                path,
                line,
                (3, "start_hours"),
                f.next(),
                (0.0, settings.horizon_hours),
            )?,
            duration_hours: measure(path, line, (4, "duration_hours"), f.next(), NON_NEGATIVE)?,
            loss: measure(path, line, (5, "loss"), f.next(), NON_NEGATIVE)?,
        });
    }
    Ok(out)
}

/// `outage_lengths.csv`: per architecture, ascending lengths with their counts.
fn read_outage_lengths(path: &Path, model: &Model) -> Result<Vec<Tally>, ReadbackError> {
    let text = read(path, "")?;
    let mut lines = text.lines();
    const HEADER: &str = crate::report::csv::OUTAGE_LENGTHS_HEADER;
    if lines.next() != Some(HEADER) {
        return Err(err(
            path,
            format!("the first line must be `{HEADER}`; run the scenario again"),
        ));
    }
    let archs = &model.architectures;
    let mut out = vec![Tally::default(); archs.len()];
    // Architectures come in scenario order, each's lengths strictly ascending.
    let mut at = 0usize;
    for (i, l) in lines.enumerate() {
        let line = i + 2;
        let mut f = l.split(',');
        let id = f.next().unwrap_or_default();
        let Some(a) = archs[at.min(archs.len())..]
            .iter()
            .position(|x| x.id == id)
            .map(|p| p + at)
        else {
            return Err(err(
                path,
                format!(
                    "line {line}: \"{}\" is not an architecture of scenario.toml after \"{}\" \
                     (rows come in scenario order); run the scenario again",
                    crate::text::escape(id),
                    archs.get(at).map_or("", |x| x.id.as_str())
                ),
            ));
        };
        at = a;
        let hours = measure(path, line, (2, "hours"), f.next(), NON_NEGATIVE)?;
        let count: u64 = number(path, line, (3, "count"), f.next())?;
        let t = &mut out[a];
        if count == 0 || t.values.last().is_some_and(|&v| v >= hours) {
            return Err(err(
                path,
                format!(
                    "line {line}: counts must be at least 1 and each architecture's hours strictly \
                     ascending; run the scenario again"
                ),
            ));
        }
        t.values.push(hours);
        t.counts.push(count);
    }
    Ok(out)
}
