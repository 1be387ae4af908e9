//! Concentration by provider and by jurisdiction (the `provider` and
//! `jurisdiction` fields of components): per architecture, the share of its
//! down time and loss each group was involved in and responsible for
//! (measured by [`super::cooccurrence`]), whether it can run without
//! the group (substitutable), which other groups share outage sources with
//! it (closely connected) and which it depends on. The mapping to an EU DORA
//! third-party concentration assessment is in docs/analysis.md.

use super::counterfactual::Tally;
use super::estimate::{mean, ratio, Estimate};
use super::graph::{down_when, Graph};
use crate::model::{Model, HOURS_PER_YEAR};
use std::collections::BTreeMap;

/// Whether a group is a provider or a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKind {
    Provider,
    Jurisdiction,
}

impl GroupKind {
    pub fn name(&self) -> &'static str {
        match self {
            GroupKind::Provider => "provider",
            GroupKind::Jurisdiction => "jurisdiction",
        }
    }
}

/// The components that share one provider (or one jurisdiction).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: GroupKind,
    pub name: String,
    /// Ascending component indices.
    pub components: Vec<usize>,
    /// Sources that can hit one of the components directly.
    pub sources: Vec<usize>,
    /// Other groups of the same kind hit by one of the same sources (indices into the group list).
    pub closely_connected: Vec<usize>,
    /// Other groups of the same kind whose components these components need, transitively.
    pub depends_on: Vec<usize>,
}

/// One architecture × group row of `concentration.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConcentrationRow {
    pub architecture: usize,
    pub group: usize,
    /// Some component of the group is in the design (the architecture depends on it).
    pub in_design: bool,
    /// The design is up with every component of the group down and all else up.
    pub substitutable: bool,
    /// Hours per year the design was down while an outage event had put one
    /// of the group's components it depends on below full service.
    pub involved_hours: Estimate,
    pub involved_share: Estimate,
    /// Share of the expected loss from the design's outages that overlap that
    /// time (None without a loss model).
    pub involved_loss_share: Option<Estimate>,
    /// Hours per year of down time that sparing the group's components every
    /// hit would have avoided (the same events hitting everything else).
    pub responsible_hours: Estimate,
    pub responsible_share: Estimate,
    /// Share of the expected loss sparing the group would have avoided.
    pub responsible_loss_share: Option<Estimate>,
}

/// Providers (sorted by name), then jurisdictions (sorted by name).
pub fn groups(model: &Model, graph: &Graph) -> Vec<Group> {
    let mut out = Vec::new();
    for kind in [GroupKind::Provider, GroupKind::Jurisdiction] {
        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (c, comp) in model.components.iter().enumerate() {
            let name = match kind {
                GroupKind::Provider => comp.provider.as_deref(),
                GroupKind::Jurisdiction => comp.jurisdiction.as_deref(),
            };
            if let Some(name) = name {
                by_name.entry(name).or_default().push(c);
            }
        }
        for (name, components) in by_name {
            let mut sources: Vec<usize> = components
                .iter()
                .flat_map(|&c| graph.direct[c].iter().map(|&h| graph.hits[h].source))
                .collect();
            sources.sort_unstable();
            sources.dedup();
            out.push(Group {
                kind,
                name: name.to_string(),
                components,
                sources,
                closely_connected: Vec::new(),
                depends_on: Vec::new(),
            });
        }
    }
    // Groups by source (for sharing) and by component (for dependence).
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); model.sources.len()];
    let mut of_component: Vec<Vec<usize>> = vec![Vec::new(); model.components.len()];
    for (g, group) in out.iter().enumerate() {
        for &s in &group.sources {
            by_source[s].push(g);
        }
        for &c in &group.components {
            of_component[c].push(g);
        }
    }
    for g in 0..out.len() {
        let kind = out[g].kind;
        let mut connected: Vec<usize> = out[g]
            .sources
            .iter()
            .flat_map(|&s| by_source[s].iter().copied())
            .filter(|&q| q != g && out[q].kind == kind)
            .collect();
        connected.sort_unstable();
        connected.dedup();
        // What the group's components depend on, themselves excluded
        // (a component never needs itself: the graph has no cycles).
        let needs: Vec<usize> = out[g]
            .components
            .iter()
            .flat_map(|&c| model.components[c].needs.iter().copied())
            .collect();
        let upstream = graph.upstream_mask(model, &needs);
        let mut depends: Vec<usize> = (0..model.components.len())
            .filter(|&d| upstream[d])
            .flat_map(|d| of_component[d].iter().copied())
            .filter(|&q| q != g && out[q].kind == kind)
            .collect();
        depends.sort_unstable();
        depends.dedup();
        out[g].closely_connected = connected;
        out[g].depends_on = depends;
    }
    out
}

/// The rows: every architecture (file order) × every group.
pub fn rows(
    model: &Model,
    graph: &Graph,
    groups: &[Group],
    tally: &Tally,
    horizon: f64,
) -> Vec<ConcentrationRow> {
    let per_year = HOURS_PER_YEAR / horizon;
    let n_arch = model.architectures.len();
    let (s, n) = (&tally.groups, tally.trials);
    let mut out = Vec::new();
    for (a, arch) in model.architectures.iter().enumerate() {
        let upstream = graph.upstream_mask(model, &[arch.serves]);
        for (g, group) in groups.iter().enumerate() {
            let mut forced = vec![false; model.components.len()];
            for &c in &group.components {
                forced[c] = true;
            }
            let i = g * n_arch + a;
            out.push(ConcentrationRow {
                architecture: a,
                group: g,
                in_design: group.components.iter().any(|&c| upstream[c]),
                substitutable: !down_when(model, &forced)[arch.serves],
                involved_hours: mean(&s.involved_down[i], n).scaled(per_year),
                involved_share: ratio(&s.involved_down[i], &tally.down[a], n),
                involved_loss_share: arch
                    .loss
                    .map(|_| ratio(&s.involved_loss[i], &tally.loss[a], n)),
                responsible_hours: mean(&s.responsible_down[i], n).scaled(per_year),
                responsible_share: ratio(&s.responsible_down[i], &tally.down[a], n),
                responsible_loss_share: arch
                    .loss
                    .map(|_| ratio(&s.responsible_loss[i], &tally.loss[a], n)),
            });
        }
    }
    out
}
