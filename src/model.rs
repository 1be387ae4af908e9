//! The compiled scenario: components in topological order with index-based
//! needs, outage sources (own outages and shared causes) with their
//! distributions built once, and the architectures to evaluate. Everything
//! downstream works on indices into these vectors, never on ids.

use crate::capped::Capped;

/// Hours in the year that `per_year` rates refer to.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Run settings after defaults and command-line overrides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub horizon_hours: f64,
    pub trials: u64,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            horizon_hours: HOURS_PER_YEAR,
            trials: 100_000,
            seed: 1,
        }
    }
}

/// How a component's needs combine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// Up only while every need is up.
    All,
    /// Up while at least one need is up.
    Any,
    /// Up while at least this many needs are up.
    Quorum(usize),
    /// Uses one need at a time, in priority order, switching after this many
    /// hours. A need counts as failed while its service level is below
    /// [`Client::detect_below`]; with `retry`, a request that fails is re-sent
    /// to the other needs not marked failed, in order.
    Failover { switch_hours: f64, retry: bool },
    /// Capacity pool: serves min(1, Σ capacity × level) (capacities in
    /// [`Component::capacity`]).
    Pool,
}

impl Component {
    /// For a pool: the fewest failed needs that can leave it below full
    /// service (the largest capacities failing first); 0 when it never has
    /// full capacity, `needs.len() + 1` when it always has.
    pub fn pool_cut(&self) -> usize {
        let mut caps = self.capacity.clone();
        caps.sort_by(|a, b| b.total_cmp(a));
        let mut left: f64 = caps.iter().sum();
        for (k, c) in caps.iter().enumerate() {
            if left < 1.0 {
                return k;
            }
            left -= c;
        }
        if left < 1.0 {
            caps.len()
        } else {
            caps.len() + 1
        }
    }

    /// For a pool: whether it is below full service with exactly the needs
    /// marked in `down` (by need position) failed.
    pub fn pool_short(&self, down: impl Fn(usize) -> bool) -> bool {
        let up: f64 = (0..self.needs.len())
            .filter(|&k| !down(k))
            .map(|k| self.capacity[k])
            .sum();
        up < 1.0
    }
}

impl Mode {
    pub fn name(&self) -> &'static str {
        match self {
            Mode::All => "all",
            Mode::Any => "any",
            Mode::Quorum(_) => "quorum",
            Mode::Failover { .. } => "failover",
            Mode::Pool => "pool",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub description: Option<String>,
    /// Indices of needed components; each is smaller than this component's own index.
    pub needs: Vec<usize>,
    pub mode: Mode,
    /// Per need (parallel to `needs`): ride-through in hours; an episode of
    /// the need below full service this long or shorter does not propagate (0: none).
    pub tolerate_hours: Vec<f64>,
    /// Per need, for [`Mode::Pool`]: the share of full demand it can carry (else empty).
    pub capacity: Vec<f64>,
    /// What the client does when a need fails (detection, failback, active-active).
    pub client: Client,
    /// Index of this component's own outage source, if it has one.
    pub own_source: Option<usize>,
    /// Who provides it (free text), for the concentration analysis.
    pub provider: Option<String>,
    /// Whose law it operates under (free text), for the concentration analysis.
    pub jurisdiction: Option<String>,
}

/// How a client notices and leaves a failed need, beyond [`Mode::Failover`]'s
/// switch time (see [`crate::client`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// A need counts as failed while its service level is below this.
    pub detect_below: f64,
    /// Hours from a need's failure to the client marking it failed
    /// (active-active; a failover's is folded into its switch time).
    pub detect_hours: f64,
    /// Extra hours before a need failing by hanging is marked failed: the
    /// client's timeouts, `timeout_seconds × (retries + 1)`.
    pub hang_hours: f64,
    /// Hours a recovered need must stay up before traffic returns to it.
    pub failback_hours: f64,
    /// Failover: stay on the need in use until it fails.
    pub sticky: bool,
    /// Active-active (`any` or `pool` with `detect_minutes` or `weights`):
    /// each need's share of traffic, summing to 1; empty otherwise.
    pub weights: Vec<f64>,
}

impl Default for Client {
    fn default() -> Self {
        Client {
            detect_below: crate::service::DETECT_BELOW,
            detect_hours: 0.0,
            hang_hours: 0.0,
            failback_hours: 0.0,
            sticky: false,
            weights: Vec::new(),
        }
    }
}

impl Client {
    /// Whether the component routes traffic active-active.
    pub fn active_active(&self) -> bool {
        !self.weights.is_empty()
    }

    /// Whether the client does nothing the binary interval algebra does not
    /// model (given whether any outage hangs).
    pub fn is_plain(&self, hangs: bool) -> bool {
        self.failback_hours == 0.0
            && !self.sticky
            && !self.active_active()
            && (self.hang_hours == 0.0 || !hangs)
    }
}

/// Whether a source is a component's own outages or a shared cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Own,
    Cause,
}

impl SourceKind {
    pub fn name(&self) -> &'static str {
        match self {
            SourceKind::Own => "own",
            SourceKind::Cause => "cause",
        }
    }
}

/// One component an outage source can take down, with what probability per
/// event and how badly: the share of its requests that fail while it lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub component: usize,
    pub probability: f64,
    pub severity: Severity,
}

/// The share of requests an outage makes fail, drawn once per outage and
/// component hit (see [`crate::service`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Severity {
    /// Always this share; `Fixed(1.0)` is a complete outage (the default).
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Beta(alpha, beta).
    Beta { alpha: f64, beta: f64 },
}

impl Severity {
    /// A complete outage every time: the binary model.
    pub fn is_full(&self) -> bool {
        matches!(self, Severity::Fixed(s) if *s >= 1.0)
    }

    /// The mean share of failed requests.
    pub fn mean(&self) -> f64 {
        match *self {
            Severity::Fixed(s) => s,
            Severity::Uniform { min, max } => 0.5 * (min + max),
            Severity::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }
}

/// A Poisson process of outage events.
#[derive(Debug, Clone)]
pub struct Source {
    /// The component's id for own outages, the cause's id for causes.
    pub id: String,
    pub description: Option<String>,
    pub kind: SourceKind,
    pub per_year: f64,
    pub rate_per_hour: f64,
    pub duration: Capped,
    /// In ascending component order.
    pub targets: Vec<Target>,
    /// `fails = "hang"`: its outages answer nothing until the client times out.
    pub hangs: bool,
}

/// What an outage of an architecture costs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Loss {
    pub per_hour: f64,
    pub per_outage: f64,
    pub grace_hours: f64,
}

impl Loss {
    /// Loss of one outage of the given full duration.
    #[inline]
    pub fn of_outage(&self, hours: f64) -> f64 {
        if hours > self.grace_hours {
            self.per_outage + self.per_hour * hours
        } else {
            0.0
        }
    }

    /// Loss of one outage of the given full duration during which
    /// `unserved_hours` = ∫(1 − level) of service was lost: partial service
    /// costs its unserved share. Equals [`Loss::of_outage`] when nothing is served.
    #[inline]
    pub fn of_partial(&self, hours: f64, unserved_hours: f64) -> f64 {
        if hours > self.grace_hours {
            self.per_outage + self.per_hour * unserved_hours
        } else {
            0.0
        }
    }
}

#[derive(Debug, Clone)]
pub struct Architecture {
    pub id: String,
    pub description: Option<String>,
    pub serves: usize,
    pub cost_per_year: Option<f64>,
    pub sla: Option<f64>,
    pub loss: Option<Loss>,
    /// Down while the served component's service level is below this (in
    /// (0, 1]; 1, the default, counts any lost service as down).
    pub down_below: f64,
}

/// A validated scenario, ready to simulate.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    pub settings: Settings,
    /// Topologically ordered: every need comes before the component needing it.
    pub components: Vec<Component>,
    /// Own-outage sources first (in component order), then causes in file order.
    pub sources: Vec<Source>,
    pub architectures: Vec<Architecture>,
    /// Named drills (`[[drill]]`), in file order; not simulated by `run`.
    /// Insurance policies, in file order (see [`Policy`]).
    pub policies: Vec<Policy>,
    pub drills: Vec<Drill>,
    /// Run on service levels whatever the outages (a partial drill forces it).
    pub service_levels: bool,
    /// `[book] hours_clause`: occurrences of one cause that start within
    /// this many hours of an event's first occurrence are one event
    /// (`crate::insurance::events`); `None`: every occurrence is its own event.
    pub hours_clause: Option<f64>,
}

/// A named what-if from the scenario: the listed causes and components are
/// forced down together for `hours` (see `crate::drill`).
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    pub id: String,
    pub description: Option<String>,
    /// Cause ids and component ids as written; each names a declared one.
    pub causes: Vec<String>,
    pub hours: f64,
    pub at_hours: Option<f64>,
    /// Where the incident's figures come from.
    pub source: Option<String>,
    /// The share of requests the forced outage fails (1: complete; `drill --severity`).
    pub severity: f64,
}

impl Model {
    pub fn component_index(&self, id: &str) -> Option<usize> {
        self.components.iter().position(|c| c.id == id)
    }

    pub fn source_index(&self, id: &str) -> Option<usize> {
        self.sources.iter().position(|s| s.id == id)
    }

    /// Whether any outage is partial, or a pool or a client (detection,
    /// failback, hangs, active-active) needs it, so that timelines are computed
    /// as levels ([`crate::service`]) rather than with the binary interval algebra.
    pub fn has_partial_service(&self) -> bool {
        self.service_levels
            || self
                .sources
                .iter()
                .flat_map(|s| &s.targets)
                .any(|t| !t.severity.is_full())
            || self.components.iter().any(|c| c.mode == Mode::Pool)
            || {
                let hangs = self.sources.iter().any(|s| s.hangs);
                self.components.iter().any(|c| !c.client.is_plain(hangs))
            }
    }
}

/// What triggers a policy's payouts and how much each outage pays.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyTerms {
    /// Pays per hour of an index component's continuous outage past a waiting period.
    Parametric {
        /// The component whose outages are the index (an architecture's `serves`).
        index: usize,
        /// The id written in the scenario (a component or an architecture).
        index_id: String,
        waiting_hours: f64,
        /// Once past the waiting period, pay from hour 0.
        franchise: bool,
        pay_per_hour: f64,
        /// Paid hours per outage at most (infinite when not given).
        max_hours_per_event: f64,
        /// Basis risk counts years whose insured loss exceeds this.
        basis_threshold: f64,
        /// The index is out while its service level is below this (1: any lost service).
        threshold: f64,
    },
    /// Pays a share of the insured architecture's own loss per outage above a deductible.
    Indemnity { deductible: f64, share: f64 },
}

/// How the risk premium is loaded on the expected payout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PremiumPrinciple {
    /// `(1 + loading) E`
    ExpectedValue { loading: f64 },
    /// `E + loading σ`
    StdDev { loading: f64 },
    /// `E + rate (TVaR_level − E)`
    CostOfCapital { rate: f64, level: f64 },
    /// `∫ Φ(Φ⁻¹(S(x)) + λ) dx`
    Wang { lambda: f64 },
}

impl PremiumPrinciple {
    pub fn name(&self) -> &'static str {
        match self {
            PremiumPrinciple::ExpectedValue { .. } => "expected_value",
            PremiumPrinciple::StdDev { .. } => "std_dev",
            PremiumPrinciple::CostOfCapital { .. } => "cost_of_capital",
            PremiumPrinciple::Wang { .. } => "wang",
        }
    }
}

/// A premium principle and the expense ratio it is grossed up by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    pub principle: PremiumPrinciple,
    /// Share of the gross premium that goes to expenses: premium = risk premium / (1 − ratio).
    pub expense_ratio: f64,
}

impl Default for Pricing {
    /// The pure premium: expected value with no loading and no expenses.
    fn default() -> Self {
        Pricing {
            principle: PremiumPrinciple::ExpectedValue { loading: 0.0 },
            expense_ratio: 0.0,
        }
    }
}

/// An insurance policy on one architecture.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: String,
    pub description: Option<String>,
    /// Index into `Model::architectures` of the architecture whose loss the policy offsets.
    pub insured: usize,
    pub terms: PolicyTerms,
    /// Payout per outage at most (infinite when not given).
    pub event_limit: f64,
    /// Payouts per trial at most (infinite when not given).
    pub annual_limit: f64,
    pub pricing: Pricing,
    /// Further principles the cover is priced under for comparison
    /// (`compare_pricing`); the premium charged is `pricing`'s.
    pub compare_pricing: Vec<Pricing>,
    pub portfolio: Option<String>,
}

impl Policy {
    pub fn kind(&self) -> &'static str {
        match self.terms {
            PolicyTerms::Parametric { .. } => "parametric",
            PolicyTerms::Indemnity { .. } => "indemnity",
        }
    }
}
