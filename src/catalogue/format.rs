//! The catalogue files as written: serde types mirroring `classes.toml` and
//! `incidents.toml` one-to-one, unknown fields rejected. Checked in
//! [`super::check`].

use serde::Deserialize;

/// `classes.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassesFile {
    pub version: String,
    #[serde(default, rename = "class")]
    pub classes: Vec<ClassSpec>,
}

/// `[[class]]`: a cause class and the window its rate is counted over.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub id: String,
    pub title: String,
    /// What one unit of exposure is (`region`, `provider`, ...).
    pub unit: String,
    /// Providers watched; `["any"]` for classes not tied to a provider list.
    pub providers: Vec<String>,
    pub scope: String,
    /// Window start, `YYYY-MM-DD` (inclusive).
    pub from: String,
    /// Window end, `YYYY-MM-DD` (exclusive).
    pub to: String,
    /// Window length times the number of units watched.
    pub exposure_years: f64,
    /// How incidents were counted.
    pub counting: String,
}

/// `incidents.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentsFile {
    #[serde(default, rename = "incident")]
    pub incidents: Vec<IncidentSpec>,
}

/// `[[incident]]`: one public incident.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    pub id: String,
    /// Shared by the records of one event that hit several providers.
    #[serde(default)]
    pub event: Option<String>,
    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MMZ` (UTC).
    pub start: String,
    pub provider: String,
    pub service: String,
    pub scope: String,
    #[serde(default)]
    pub duration_hours: Option<f64>,
    #[serde(default)]
    pub share_affected: Option<f64>,
    /// What else failed with it, and why.
    pub shared_cause: String,
    pub class: String,
    pub source: String,
}
