//! `fateshare analyze`: explains a scenario's numbers. From the structure
//! alone: risk groups (minimal cut sets, [`risk_groups`]), the independence
//! audit of every redundancy ([`independence`]) and provider/jurisdiction
//! groups ([`concentration`]), built on [`graph`]. From one simulation pass
//! that re-evaluates each trial's sampled world with every source removed
//! and held down ([`counterfactual`]): importance measures ([`importance`]),
//! how often each risk group explained the down time, how much down time the
//! shared sources of each redundancy explain, and each provider's and jurisdiction's involvement in and responsibility
//! for down time and loss ([`cooccurrence`]). Definitions and formulas: docs/analysis.md.

pub mod concentration;
pub mod cooccurrence;
pub mod cost;
pub mod counterfactual;
pub mod estimate;
pub mod graph;
pub mod importance;
pub mod independence;
pub mod overlap;
pub mod risk_groups;
pub mod sets;
pub mod singles;

use crate::engine::{RunOptions, Simulation};
use crate::evaluate::Subset;
use crate::model::{Model, Settings};
use concentration::{ConcentrationRow, Group};
use counterfactual::{Active, Plan, Watch};
use estimate::{ratio, Estimate};
use graph::Graph;
use importance::ImportanceRow;
use independence::AuditRow;
use risk_groups::{Limits, RiskGroup};
use std::collections::BTreeMap;

/// A risk group with how often it explained the architecture's down time.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedGroup {
    pub group: RiskGroup,
    /// Share of the architecture's simulated down time during which every
    /// source of the group was active on the components it acts through.
    pub observed_share: Estimate,
}

/// The risk groups of one architecture.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchRiskGroups {
    pub architecture: usize,
    /// Size 1 first (single points of failure), then by size, probability and ids.
    pub groups: Vec<ObservedGroup>,
    /// Every minimal set of at most this many sources is listed.
    pub complete_to: usize,
}

/// Everything `fateshare analyze` found.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub settings: Settings,
    pub limits: Limits,
    /// The baseline, trial by trial (identical to `fateshare run`'s
    /// outcomes; `outages` is not collected).
    pub simulation: Simulation,
    /// Ranked per architecture, architectures in file order.
    pub importance: Vec<ImportanceRow>,
    pub risk_groups: Vec<ArchRiskGroups>,
    pub independence: Vec<AuditRow>,
    pub groups: Vec<Group>,
    pub concentration: Vec<ConcentrationRow>,
}

/// Analyses a scenario over `settings.trials` trials.
pub fn analyze(
    model: &Model,
    settings: &Settings,
    options: &RunOptions,
    limits: Limits,
) -> Analysis {
    let graph = Graph::new(model);
    let families = risk_groups::families(model, &graph, limits);
    let per_component: Vec<risk_groups::RiskGroups> = families
        .iter()
        .map(|f| risk_groups::risk_groups(model, &graph, f))
        .collect();
    let nodes = independence::audit(model, &graph, &per_component);
    let groups = concentration::groups(model, &graph);

    // What the simulation pass evaluates and collects.
    let node_components: Vec<usize> = nodes.iter().map(|n| n.component).collect();
    let mut watched: Vec<usize> = model.architectures.iter().map(|a| a.serves).collect();
    watched.extend_from_slice(&node_components);
    let needed = graph.upstream_mask(model, &watched);
    let cones: Vec<Subset> = (0..model.sources.len())
        .map(|s| Subset::from_mask(graph.cone(model, s, &needed)))
        .collect();
    let arch_in_cone = cones
        .iter()
        .map(|cone| {
            (0..model.architectures.len())
                .filter(|&a| cone.member[model.architectures[a].serves])
                .collect()
        })
        .collect();
    let node_shared = (0..model.sources.len())
        .map(|s| {
            (0..nodes.len())
                .filter(|&v| {
                    nodes[v].shared.binary_search(&s).is_ok() && cones[s].member[nodes[v].component]
                })
                .collect()
        })
        .collect();
    let mut actives: Vec<Active> = Vec::new();
    let mut interned: BTreeMap<(usize, Vec<usize>), usize> = BTreeMap::new();
    let mut watches = Vec::new();
    for (a, arch) in model.architectures.iter().enumerate() {
        for g in &per_component[arch.serves].groups {
            let members = g
                .sources
                .iter()
                .zip(&g.via)
                .map(|(&s, via)| {
                    *interned.entry((s, via.clone())).or_insert_with(|| {
                        actives.push(Active {
                            source: s,
                            components: via.clone(),
                        });
                        actives.len() - 1
                    })
                })
                .collect();
            watches.push(Watch { arch: a, members });
        }
    }
    let plan = Plan {
        cones,
        arch_in_cone,
        nodes: node_components,
        node_shared,
        groups: cooccurrence::Plan::new(model, &graph, &groups),
        actives,
        watches,
    };
    let (tally, outcomes) = counterfactual::run(model, &plan, settings, options);

    let h = settings.horizon_hours;
    let mut w = 0;
    let risk = model
        .architectures
        .iter()
        .enumerate()
        .map(|(a, arch)| {
            let rg = &per_component[arch.serves];
            let groups = rg
                .groups
                .iter()
                .map(|g| {
                    let share = ratio(&tally.watches[w], &tally.down[a], tally.trials);
                    w += 1;
                    ObservedGroup {
                        group: g.clone(),
                        observed_share: share,
                    }
                })
                .collect();
            ArchRiskGroups {
                architecture: a,
                groups,
                complete_to: rg.complete_to,
            }
        })
        .collect();
    Analysis {
        settings: *settings,
        limits,
        importance: importance::rows(model, &tally, h),
        risk_groups: risk,
        independence: independence::rows(&nodes, &tally, h),
        concentration: concentration::rows(model, &graph, &groups, &tally, h),
        groups,
        simulation: Simulation {
            settings: *settings,
            architectures: model.architectures.len(),
            outcomes,
            outages: Vec::new(),
            outage_lengths: Vec::new(),
            importance: None,
        },
    }
}
