//! The scenario file as written by people: serde types that mirror the TOML
//! one-to-one, with unknown fields rejected. Nothing here is checked beyond
//! syntax and types; `validate` turns it into a [`crate::model::Model`].

use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub simulation: Option<SimulationSection>,
    #[serde(default, rename = "component")]
    pub components: Vec<ComponentSpec>,
    #[serde(default, rename = "cause")]
    pub causes: Vec<CauseSpec>,
    #[serde(default, rename = "architecture")]
    pub architectures: Vec<ArchitectureSpec>,
    #[serde(default, rename = "drill")]
    pub drills: Vec<DrillSpec>,
    #[serde(default, rename = "policy")]
    pub policies: Vec<PolicySpec>,
    #[serde(default)]
    pub book: Option<BookSection>,
}

/// `[book]`: settings of the book of policies as a whole.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookSection {
    /// Occurrences of one cause starting within this many hours of the
    /// event's first are one event (docs/insurance.md §13).
    #[serde(default)]
    pub hours_clause: Option<f64>,
}

/// `[simulation]`: run settings that command-line flags override.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationSection {
    pub horizon_hours: Option<f64>,
    pub trials: Option<i64>,
    pub seed: Option<i64>,
}

/// `[[component]]`: a provider, region, service or internal part.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub outages: Option<OutagesSpec>,
    #[serde(default)]
    pub needs: Option<Vec<NeedSpec>>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub quorum: Option<i64>,
    #[serde(default)]
    pub switch_minutes: Option<f64>,
    /// Failover: a need counts as failed below this service level (default 0.5).
    #[serde(default)]
    pub detect_below: Option<f64>,
    /// Failover: re-send each failed request to the other needs (default false).
    #[serde(default)]
    pub retry: Option<bool>,
    /// Minutes from a need's failure to the client marking it failed.
    #[serde(default)]
    pub detect_minutes: Option<f64>,
    /// Minutes a recovered need must stay up before traffic returns (default 0).
    #[serde(default)]
    pub failback_minutes: Option<f64>,
    /// Failover: stay on the backup until it fails (default false).
    #[serde(default)]
    pub sticky: Option<bool>,
    /// The client's request timeout, which a hanging need makes it wait out.
    #[serde(default)]
    pub timeout_seconds: Option<f64>,
    /// Requests the client re-sends to a need before giving up on it (default 0).
    #[serde(default)]
    pub retries: Option<i64>,
    /// Active-active: each need's share of traffic (one per need).
    #[serde(default)]
    pub weights: Option<Vec<f64>>,
    /// Who provides it (free text, e.g. "aws"); used by `fateshare analyze`.
    #[serde(default)]
    pub provider: Option<String>,
    /// Whose law it operates under (free text, e.g. "us"); used by `fateshare analyze`.
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

/// One entry of `needs`: a component id, or a table
/// `{ id = "idp", tolerate_minutes = 60, capacity = 0.5 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a component id, or a table such as { id = \"idp\", tolerate_minutes = 60 } or { id = \"zone-a\", capacity = 0.5 }"
)]
pub enum NeedSpec {
    Id(String),
    Detailed(NeedDetail),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedDetail {
    pub id: String,
    /// Episodes of this need below full service up to this long do not propagate.
    #[serde(default)]
    pub tolerate_minutes: Option<f64>,
    /// Share of full demand this branch can carry (`mode = "pool"`).
    #[serde(default)]
    pub capacity: Option<f64>,
}

impl NeedSpec {
    pub fn id(&self) -> &str {
        match self {
            NeedSpec::Id(id) => id,
            NeedSpec::Detailed(d) => &d.id,
        }
    }

    pub fn tolerate_minutes(&self) -> Option<f64> {
        match self {
            NeedSpec::Id(_) => None,
            NeedSpec::Detailed(d) => d.tolerate_minutes,
        }
    }

    pub fn capacity(&self) -> Option<f64> {
        match self {
            NeedSpec::Id(_) => None,
            NeedSpec::Detailed(d) => d.capacity,
        }
    }
}

/// A component's own independent outages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutagesSpec {
    /// A catalogue class giving `per_year` and `duration` where these are left out.
    #[serde(default, rename = "use")]
    pub use_class: Option<String>,
    #[serde(default)]
    pub per_year: Option<f64>,
    #[serde(default)]
    pub duration: Option<DurationSpec>,
    /// Share of requests that fail while an outage lasts (default 1).
    #[serde(default)]
    pub severity: Option<SeveritySpec>,
    /// `"error"` (default) or `"hang"`: how failed requests fail.
    #[serde(default)]
    pub fails: Option<String>,
}

/// `severity = 0.9`, or a distribution drawn once per outage:
/// `{ dist = "fixed", value = 0.9 }`, `{ dist = "uniform", min = 0.5, max = 1 }`,
/// `{ dist = "beta", alpha = 2, beta = 5 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a share of failed requests between 0 and 1 (e.g. 0.9) or a table such as { dist = \"uniform\", min = 0.5, max = 1 }"
)]
pub enum SeveritySpec {
    Share(f64),
    Dist(SeverityDistSpec),
}

/// The table form of [`SeveritySpec`], flat like [`DurationSpec`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityDistSpec {
    pub dist: String,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
}

/// One entry of a cause's `hits`: a probability, or `{ p = 1.0, severity = 0.9 }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    untagged,
    expecting = "a hit probability (e.g. 0.3) or a table { p = 1.0, severity = 0.9 }"
)]
pub enum HitSpec {
    Probability(f64),
    Detailed(HitDetail),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HitDetail {
    pub p: f64,
    #[serde(default)]
    pub severity: Option<SeveritySpec>,
}

impl HitSpec {
    /// The hit probability.
    pub fn probability(&self) -> f64 {
        match self {
            HitSpec::Probability(p) => *p,
            HitSpec::Detailed(d) => d.p,
        }
    }

    /// The severity given for this hit, if any (else the cause's applies).
    pub fn severity(&self) -> Option<&SeveritySpec> {
        match self {
            HitSpec::Probability(_) => None,
            HitSpec::Detailed(d) => d.severity.as_ref(),
        }
    }
}

/// `duration = { dist = "...", ... }`. Kept flat so that validation can say
/// which parameters a distribution needs and which it does not take.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationSpec {
    pub dist: String,
    pub hours: Option<HoursSpec>,
    pub mean_hours: Option<f64>,
    pub median_hours: Option<f64>,
    pub p95_hours: Option<f64>,
    pub shape: Option<f64>,
    pub scale_hours: Option<f64>,
    pub min_hours: Option<f64>,
    pub max_hours: Option<f64>,
}

/// `hours` is a number for `fixed` and a list for `empirical`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum HoursSpec {
    One(f64),
    Many(Vec<f64>),
}

/// `[[cause]]`: one event takes down several components at once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    /// A catalogue class giving `per_year` and `duration` where these are left out.
    #[serde(default, rename = "use")]
    pub use_class: Option<String>,
    #[serde(default)]
    pub per_year: Option<f64>,
    #[serde(default)]
    pub duration: Option<DurationSpec>,
    /// Default severity of every hit (see [`SeveritySpec`]; default 1).
    #[serde(default)]
    pub severity: Option<SeveritySpec>,
    /// `"error"` (default) or `"hang"`: how failed requests fail.
    #[serde(default)]
    pub fails: Option<String>,
    pub hits: BTreeMap<String, HitSpec>,
}

/// `[[architecture]]`: a candidate design.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchitectureSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    pub serves: String,
    #[serde(default)]
    pub cost_per_year: Option<f64>,
    #[serde(default)]
    pub sla: Option<f64>,
    #[serde(default)]
    pub loss: Option<LossSpec>,
    /// Down while service is below this level (default 1).
    #[serde(default)]
    pub down_below: Option<f64>,
}

/// What an outage of an architecture costs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LossSpec {
    #[serde(default)]
    pub per_hour: Option<f64>,
    #[serde(default)]
    pub per_outage: Option<f64>,
    #[serde(default)]
    pub grace_minutes: Option<f64>,
}

/// `[[drill]]`: a named what-if (often a historical incident) for `fateshare drill`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillSpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Cause ids and component ids forced down together.
    pub causes: Vec<String>,
    pub hours: f64,
    #[serde(default)]
    pub at_hours: Option<f64>,
    /// Where the incident's figures come from (free text).
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[policy]]`: an insurance policy (parametric or indemnity) on an
/// architecture's outages; see docs/insurance.md. Kept flat so that
/// validation can say which fields a `kind` takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    pub kind: String,
    pub insured: String,
    #[serde(default)]
    pub index: Option<String>,
    #[serde(default)]
    pub waiting_hours: Option<f64>,
    #[serde(default)]
    pub franchise: Option<bool>,
    #[serde(default)]
    pub pay_per_hour: Option<f64>,
    #[serde(default)]
    pub max_hours_per_event: Option<f64>,
    #[serde(default)]
    pub deductible: Option<f64>,
    #[serde(default)]
    pub share: Option<f64>,
    #[serde(default)]
    pub event_limit: Option<f64>,
    #[serde(default)]
    pub annual_limit: Option<f64>,
    #[serde(default)]
    pub basis_threshold: Option<f64>,
    /// Parametric: the index counts as out while its service level is below this (default 1).
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub portfolio: Option<String>,
    #[serde(default)]
    pub pricing: Option<PricingSpec>,
    /// More principles to price the same cover under (`premiums.csv`).
    #[serde(default)]
    pub compare_pricing: Vec<PricingSpec>,
}

/// `pricing = { method = "...", ... }`: the premium principle and its
/// parameters, flat like [`DurationSpec`] and checked per method.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingSpec {
    pub method: String,
    #[serde(default)]
    pub loading: Option<f64>,
    #[serde(default)]
    pub rate: Option<f64>,
    #[serde(default)]
    pub level: Option<f64>,
    #[serde(default)]
    pub lambda: Option<f64>,
    #[serde(default)]
    pub expense_ratio: Option<f64>,
}
