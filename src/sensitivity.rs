//! Sensitivity to the numbers in a scenario: sweeps (`fateshare sweep`: a
//! grid of values for chosen numbers) and the tornado table (`fateshare
//! tornado`: every source's rate and mean duration, every hit probability
//! and every client's switch or detection time scaled down and up one at a time). Each variant is the scenario document with numbers changed
//! ([`crate::scenario::set`]), validated like a file and simulated with the
//! same seed and trials as every other point (common random numbers), so a
//! point reproduces `fateshare run` of the changed file exactly.

use crate::engine::{self, RunOptions};
use crate::model::{Model, Settings, SourceKind};
use crate::scenario::set::{self, Assignment, SetSpec};
use crate::scenario::ScenarioError;
use crate::stats::{self, ArchSummary, Z_95};
use toml::Table;

/// Command-line overrides of `[simulation]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    pub trials: Option<u64>,
    pub seed: Option<u64>,
}

impl Overrides {
    /// The model's settings with the overrides applied.
    pub fn apply(&self, model: &Model) -> Settings {
        let mut s = model.settings;
        if let Some(t) = self.trials {
            s.trials = t;
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        s
    }
}

/// One point of a sweep, ready to simulate.
#[derive(Debug, Clone)]
pub struct Point {
    pub changes: Vec<Assignment>,
    pub model: Model,
}

/// Builds and validates every point of the grid before anything is simulated.
pub fn points(doc: &Table, file: &str, specs: &[SetSpec]) -> Result<Vec<Point>, SweepError> {
    let grid = set::grid(specs).map_err(SweepError::Flags)?;
    grid.into_iter()
        .map(|changes| {
            let (_, model) = set::apply_all(doc, file, &changes).map_err(SweepError::Scenario)?;
            Ok(Point { changes, model })
        })
        .collect()
}

/// Why a sweep cannot run (both are the user's to fix).
#[derive(Debug, Clone, thiserror::Error)]
pub enum SweepError {
    #[error("{0}")]
    Flags(String),
    #[error("{0}")]
    Scenario(ScenarioError),
}

/// A simulated point.
#[derive(Debug, Clone)]
pub struct PointResult {
    pub changes: Vec<Assignment>,
    pub settings: Settings,
    pub summaries: Vec<ArchSummary>,
}

/// Simulates every point with the same seed and trials (unless the point
/// itself changes `simulation.*` and no flag overrides it).
pub fn sweep(points: &[Point], overrides: Overrides, options: &RunOptions) -> Vec<PointResult> {
    points
        .iter()
        .map(|p| {
            let settings = overrides.apply(&p.model);
            let sim = engine::simulate(&p.model, &settings, options);
            PointResult {
                changes: p.changes.clone(),
                settings,
                summaries: stats::summarize(&p.model, &sim),
            }
        })
        .collect()
}

/// What a tornado bar varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parameter {
    /// `per_year`.
    Rate,
    /// Every time parameter of `duration` (so its mean and every quantile).
    Duration,
    /// One hit probability of a cause (`hits.ID`), capped at 1.
    Hit,
    /// A client's `switch_minutes` (failover) or `detect_minutes` (each given one).
    Switch,
}

impl Parameter {
    pub fn name(&self) -> &'static str {
        match self {
            Parameter::Rate => "rate",
            Parameter::Duration => "duration",
            Parameter::Hit => "hit probability",
            Parameter::Switch => "switch time",
        }
    }
}

/// The TOML path of a source's table: `component.ID.outages` or `cause.ID`.
pub fn source_path(kind: SourceKind, id: &str) -> String {
    match kind {
        SourceKind::Own => format!("component.{id}.outages"),
        SourceKind::Cause => format!("cause.{id}"),
    }
}

/// The scenario document with one source's rate or duration scaled.
pub fn scaled(
    doc: &Table,
    kind: SourceKind,
    id: &str,
    parameter: Parameter,
    factor: f64,
) -> Result<Table, String> {
    let mut doc = doc.clone();
    let base = source_path(kind, id);
    match parameter {
        Parameter::Rate => set::scale(&mut doc, &format!("{base}.per_year"), factor)?,
        Parameter::Duration => set::scale_duration(&mut doc, &format!("{base}.duration"), factor)?,
        Parameter::Hit | Parameter::Switch => {
            return Err(format!("{} is scaled by scaled_target", parameter.name()))
        }
    }
    Ok(doc)
}

/// A bar beyond sources' rates and durations: a cause's hit on a component,
/// or a component's client times.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// `cause.CAUSE.hits.COMPONENT` with probability p.
    Hit {
        cause: String,
        component: String,
        p: f64,
    },
    /// `component.ID.switch_minutes` / `detect_minutes`, those given and > 0.
    Switch {
        component: String,
        fields: Vec<&'static str>,
    },
}

impl Target {
    /// The bar's `source` label.
    pub fn label(&self) -> String {
        match self {
            Target::Hit {
                cause, component, ..
            } => format!("{cause} → {component}"),
            Target::Switch { component, .. } => component.clone(),
        }
    }
}

/// Every hit with probability > 0 and every client with a switch or
/// detection time > 0, in model order.
pub fn targets(model: &Model, file: &crate::scenario::ScenarioFile) -> Vec<Target> {
    let mut out = Vec::new();
    for s in model.sources.iter().filter(|s| s.kind == SourceKind::Cause) {
        for t in s.targets.iter().filter(|t| t.probability > 0.0) {
            out.push(Target::Hit {
                cause: s.id.clone(),
                component: model.components[t.component].id.clone(),
                p: t.probability,
            });
        }
    }
    for c in &model.components {
        let spec = file.components.iter().find(|s| s.id == c.id);
        let fields: Vec<&'static str> = spec
            .map(|s| {
                [
                    ("switch_minutes", s.switch_minutes),
                    ("detect_minutes", s.detect_minutes),
                ]
                .into_iter()
                .filter(|(_, v)| v.is_some_and(|v| v > 0.0))
                .map(|(f, _)| f)
                .collect()
            })
            .unwrap_or_default();
        if !fields.is_empty() {
            out.push(Target::Switch {
                component: c.id.clone(),
                fields,
            });
        }
    }
    out
}

/// The scenario document with a hit probability (capped at 1) or a client's
/// times scaled by `factor`.
pub fn scaled_target(doc: &Table, target: &Target, factor: f64) -> Result<Table, String> {
    let mut doc = doc.clone();
    match target {
        Target::Hit {
            cause,
            component,
            p,
        } => {
            // A hit written as a table keeps its severity: set its `p`.
            let table = doc
                .get("cause")
                .and_then(toml::Value::as_array)
                .and_then(|a| {
                    a.iter()
                        .find(|e| e.get("id").and_then(toml::Value::as_str) == Some(cause))
                })
                .and_then(|e| e.get("hits"))
                .and_then(|h| h.get(component))
                .is_some_and(toml::Value::is_table);
            let path = format!(
                "cause.{cause}.hits.{component}{}",
                if table { ".p" } else { "" }
            );
            set::set(&mut doc, &path, (p * factor).min(1.0))?;
        }
        Target::Switch { component, fields } => {
            for f in fields {
                set::scale(&mut doc, &format!("component.{component}.{f}"), factor)?;
            }
        }
    }
    Ok(doc)
}

/// Headline figures of one architecture in one variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub downtime_hours: f64,
    pub downtime_se: f64,
    pub expected_loss: Option<f64>,
    pub loss_se: Option<f64>,
}

impl Figures {
    pub fn of(s: &ArchSummary) -> Self {
        Figures {
            downtime_hours: s.downtime_hours_mean,
            downtime_se: s.downtime_hours_sd / (s.trials as f64).sqrt(),
            expected_loss: s.expected_loss,
            loss_se: s
                .expected_loss
                .zip(s.expected_loss_ci_high)
                .map(|(m, hi)| (hi - m) / Z_95),
        }
    }
}

/// One bar of one architecture's tornado.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub architecture: String,
    pub source: String,
    pub kind: SourceKind,
    pub parameter: Parameter,
    pub base: Figures,
    pub low: Figures,
    pub high: Figures,
    /// |high − low| of the mean down time.
    pub downtime_swing: f64,
    /// |high − low| of the expected loss.
    pub loss_swing: Option<f64>,
    /// 1 = largest down-time swing for this architecture.
    pub downtime_rank: usize,
    pub loss_rank: Option<usize>,
}

/// The whole table: every architecture's bars, each architecture's ranked
/// by loss swing (or by down-time swing when it has no `loss`).
#[derive(Debug, Clone)]
pub struct Tornado {
    pub low_factor: f64,
    pub high_factor: f64,
    pub settings: Settings,
    pub base: Vec<ArchSummary>,
    pub bars: Vec<Bar>,
    /// Simulations run (base included; sources with rate 0 need none).
    pub runs: usize,
}

/// Builds the tornado: the base run, then each source's rate and duration
/// scaled by `1/factor` and `factor`, one at a time.
pub fn tornado(
    doc: &Table,
    file: &str,
    factor: f64,
    overrides: Overrides,
    options: &RunOptions,
) -> Result<Tornado, ScenarioError> {
    let (base_file, base_model) = set::compile(doc, file)?;
    let settings = overrides.apply(&base_model);
    let (low_factor, high_factor) = (1.0 / factor, factor);
    let run = |model: &Model| stats::summarize(model, &engine::simulate(model, &settings, options));
    let base = run(&base_model);
    let mut runs = 1;
    // Per source (or target) and parameter: the low and high summaries.
    let mut variants: Vec<(String, SourceKind, Parameter, _, _)> = Vec::new();
    for source in &base_model.sources {
        for parameter in [Parameter::Rate, Parameter::Duration] {
            // A source that never fires changes nothing whatever its numbers.
            let (low, high) = if source.per_year == 0.0 {
                (base.clone(), base.clone())
            } else {
                let mut pair = Vec::new();
                for f in [low_factor, high_factor] {
                    let label =
                        format!("{file} (tornado: {} {} x{f})", source.id, parameter.name());
                    let changed = scaled(doc, source.kind, &source.id, parameter, f)
                        .map_err(|m| ScenarioError::single(&label, "", m))?;
                    let (_, model) = set::compile(&changed, &label)?;
                    pair.push(run(&model));
                    runs += 1;
                }
                let high = pair.pop().expect("two runs");
                (pair.pop().expect("two runs"), high)
            };
            variants.push((source.id.clone(), source.kind, parameter, low, high));
        }
    }
    for target in targets(&base_model, &base_file) {
        let (kind, parameter) = match target {
            Target::Hit { .. } => (SourceKind::Cause, Parameter::Hit),
            Target::Switch { .. } => (SourceKind::Own, Parameter::Switch),
        };
        let mut pair = Vec::new();
        for f in [low_factor, high_factor] {
            let label = format!(
                "{file} (tornado: {} {} x{f})",
                target.label(),
                parameter.name()
            );
            let changed =
                scaled_target(doc, &target, f).map_err(|m| ScenarioError::single(&label, "", m))?;
            let (_, model) = set::compile(&changed, &label)?;
            pair.push(run(&model));
            runs += 1;
        }
        let high = pair.pop().expect("two runs");
        variants.push((
            target.label(),
            kind,
            parameter,
            pair.pop().expect("two runs"),
            high,
        ));
    }
    let mut bars = Vec::new();
    for (a, arch) in base_model.architectures.iter().enumerate() {
        let mut rows: Vec<Bar> = variants
            .iter()
            .map(|(source, kind, parameter, low, high)| {
                let (b, l, h) = (
                    Figures::of(&base[a]),
                    Figures::of(&low[a]),
                    Figures::of(&high[a]),
                );
                Bar {
                    architecture: arch.id.clone(),
                    source: source.clone(),
                    kind: *kind,
                    parameter: *parameter,
                    base: b,
                    low: l,
                    high: h,
                    downtime_swing: (h.downtime_hours - l.downtime_hours).abs(),
                    loss_swing: h
                        .expected_loss
                        .zip(l.expected_loss)
                        .map(|(h, l)| (h - l).abs()),
                    downtime_rank: 0,
                    loss_rank: None,
                }
            })
            .collect();
        // Stable sorts: ties keep source order (own outages, then causes; rate before duration).
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&i, &j| rows[j].downtime_swing.total_cmp(&rows[i].downtime_swing));
        for (rank, &i) in order.iter().enumerate() {
            rows[i].downtime_rank = rank + 1;
        }
        if arch.loss.is_some() {
            order.sort_by(|&i, &j| {
                let key = |r: &Bar| r.loss_swing.unwrap_or(0.0);
                key(&rows[j])
                    .total_cmp(&key(&rows[i]))
                    .then(rows[i].downtime_rank.cmp(&rows[j].downtime_rank))
            });
            for (rank, &i) in order.iter().enumerate() {
                rows[i].loss_rank = Some(rank + 1);
            }
        }
        rows.sort_by_key(|r| r.loss_rank.unwrap_or(r.downtime_rank));
        bars.extend(rows);
    }
    Ok(Tornado {
        low_factor,
        high_factor,
        settings,
        base,
        bars,
        runs,
    })
}
