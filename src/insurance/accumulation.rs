//! Accumulation: what a portfolio has exposed to each provider, component,
//! jurisdiction, shared cause and sector. A policy is exposed to what can
//! trigger its payout: the components its index needs (parametric) or its
//! insured's served component needs (indemnity), transitively, the tags on
//! them and the causes that hit them. Per key: the limits exposed, the
//! expected payout and the co-TVaR (the policies' share of the portfolio's
//! TVaR 99.5%, [`super::allocation`]). Formulas: docs/insurance.md § 16.

use crate::model::{Model, PolicyTerms, SourceKind};
use std::collections::{BTreeMap, BTreeSet};

/// The dimensions, in the order `accumulation.csv` lists them.
pub const DIMENSIONS: [&str; 6] = [
    "book",
    "sector",
    "provider",
    "jurisdiction",
    "component",
    "cause",
];

/// One `accumulation.csv` row: a portfolio's exposure to one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub portfolio: String,
    pub dimension: &'static str,
    pub key: String,
    /// Policies exposed.
    pub policies: usize,
    /// Σ annual limits of the exposed policies with one (finite).
    pub annual_limits: f64,
    /// Σ per-event limits (min(event_limit, annual_limit)) of those with one:
    /// the most one occurrence can cost the portfolio across these policies.
    pub event_limits: f64,
    /// Exposed policies without an annual (resp. per-event) limit.
    pub unlimited: usize,
    pub expected_payout: f64,
    /// Σ co-TVaR 99.5% of the exposed policies.
    pub co_tvar995: f64,
    /// co_tvar995 / the portfolio's TVaR 99.5% (`None` when that is 0).
    pub share_of_tvar995: Option<f64>,
}

/// What can trigger a policy's payout: components (by index) needed,
/// transitively, by its trigger component.
pub fn trigger_components(model: &Model, policy: usize) -> BTreeSet<usize> {
    let p = &model.policies[policy];
    let root = match &p.terms {
        PolicyTerms::Parametric { index, .. } => *index,
        PolicyTerms::Indemnity { .. } => model.architectures[p.insured].serves,
    };
    let mut seen = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(c) = stack.pop() {
        if seen.insert(c) {
            stack.extend(model.components[c].needs.iter().copied());
        }
    }
    seen
}

/// The (dimension, key) pairs a policy is exposed to, each once.
pub fn keys(model: &Model, policy: usize, portfolio: &str) -> BTreeSet<(&'static str, String)> {
    let comps = trigger_components(model, policy);
    let mut out = BTreeSet::new();
    out.insert(("book", portfolio.to_string()));
    let sector = model.architectures[model.policies[policy].insured]
        .sector
        .clone()
        .unwrap_or_else(|| "(none)".to_string());
    out.insert(("sector", sector));
    for &c in &comps {
        let comp = &model.components[c];
        if let Some(p) = &comp.provider {
            out.insert(("provider", p.clone()));
            out.insert(("component", comp.id.clone()));
        }
        if let Some(j) = &comp.jurisdiction {
            out.insert(("jurisdiction", j.clone()));
        }
    }
    for s in &model.sources {
        if s.kind == SourceKind::Cause
            && s.targets
                .iter()
                .any(|t| t.probability > 0.0 && comps.contains(&t.component))
        {
            out.insert(("cause", s.id.clone()));
        }
    }
    out
}

/// The rows of one portfolio. `members` are its policies (indices), with
/// their expected payouts and co-TVaRs in the same order; `tvar` is the
/// portfolio's TVaR 99.5%. Rows come by dimension ([`DIMENSIONS`]), then by
/// per-event limits exposed (largest first), then key.
pub fn rows(
    model: &Model,
    portfolio: &str,
    members: &[usize],
    expected: &[f64],
    co_tvar: &[f64],
    tvar: f64,
) -> Vec<Row> {
    let mut acc: BTreeMap<(usize, String), Row> = BTreeMap::new();
    for (i, &p) in members.iter().enumerate() {
        let policy = &model.policies[p];
        let event = policy.event_limit.min(policy.annual_limit);
        for (dim, key) in keys(model, p, portfolio) {
            let d = DIMENSIONS.iter().position(|x| *x == dim).unwrap_or(0);
            let row = acc.entry((d, key.clone())).or_insert_with(|| Row {
                portfolio: portfolio.to_string(),
                dimension: DIMENSIONS[d],
                key,
                policies: 0,
                annual_limits: 0.0,
                event_limits: 0.0,
                unlimited: 0,
                expected_payout: 0.0,
                co_tvar995: 0.0,
                share_of_tvar995: None,
            });
            row.policies += 1;
            if policy.annual_limit.is_finite() {
                row.annual_limits += policy.annual_limit;
            } else {
                row.unlimited += 1;
            }
            if event.is_finite() {
                row.event_limits += event;
            }
            row.expected_payout += expected[i];
            row.co_tvar995 += co_tvar[i];
        }
    }
    let mut out: Vec<Row> = acc.into_values().collect();
    for r in &mut out {
        r.share_of_tvar995 = (tvar > 0.0).then(|| r.co_tvar995 / tvar);
    }
    out.sort_by(|a, b| {
        let da = DIMENSIONS.iter().position(|x| *x == a.dimension);
        let db = DIMENSIONS.iter().position(|x| *x == b.dimension);
        da.cmp(&db)
            .then(b.event_limits.total_cmp(&a.event_limits))
            .then(a.key.cmp(&b.key))
    });
    out
}
