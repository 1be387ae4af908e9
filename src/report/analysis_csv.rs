//! The tables of `fateshare analyze`: `importance.csv`, `risk_groups.csv`,
//! `independence.csv` and `concentration.csv`. Each export holds the
//! finished [`Analysis`]; columns are documented in docs/analysis.md.

use super::{Export, Report};
use crate::analysis::Analysis;
use crate::model::Model;
use std::io::{self, Write};
use std::sync::Arc;

/// `importance.csv`: one row per architecture × outage source, ranked.
pub struct ImportanceCsv(pub Arc<Analysis>);
/// `risk_groups.csv`: minimal sets of sources that take each architecture down.
pub struct RiskGroupsCsv(pub Arc<Analysis>);
/// `independence.csv`: one row per redundancy node.
pub struct IndependenceCsv(pub Arc<Analysis>);
/// `concentration.csv`: one row per architecture × provider / jurisdiction.
pub struct ConcentrationCsv(pub Arc<Analysis>);

/// The four exports of `fateshare analyze`.
pub fn exports(analysis: &Arc<Analysis>) -> Vec<Box<dyn Export>> {
    vec![
        Box::new(ImportanceCsv(analysis.clone())),
        Box::new(RiskGroupsCsv(analysis.clone())),
        Box::new(IndependenceCsv(analysis.clone())),
        Box::new(ConcentrationCsv(analysis.clone())),
    ]
}

/// A number, empty when undefined (NaN).
fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        x.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn csv_err(e: ::csv::Error) -> io::Error {
    io::Error::other(e)
}

/// Ids of sources, sorted, joined by `+`.
pub fn source_ids(model: &Model, sources: &[usize]) -> String {
    let mut ids: Vec<&str> = sources
        .iter()
        .map(|&s| model.sources[s].id.as_str())
        .collect();
    ids.sort_unstable();
    ids.join("+")
}

/// Ids of components, in the order given, joined by `+`.
pub fn component_ids(model: &Model, components: &[usize]) -> String {
    let ids: Vec<&str> = components
        .iter()
        .map(|&c| model.components[c].id.as_str())
        .collect();
    ids.join("+")
}

pub const IMPORTANCE_COLUMNS: [&str; 15] = [
    "architecture",
    "rank",
    "source",
    "source_kind",
    "downtime_avoided_hours",
    "downtime_avoided_hours_se",
    "loss_avoided",
    "loss_avoided_se",
    "risk_reduction_ratio",
    "downtime_if_always_down_hours",
    "risk_achievement_ratio",
    "fussell_vesely",
    "fussell_vesely_se",
    "birnbaum",
    "birnbaum_se",
];

impl Export for ImportanceCsv {
    fn file_name(&self) -> &'static str {
        "importance.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let m = report.model;
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(IMPORTANCE_COLUMNS).map_err(csv_err)?;
        for r in &self.0.importance {
            w.write_record([
                m.architectures[r.architecture].id.clone(),
                r.rank.to_string(),
                m.sources[r.source].id.clone(),
                r.kind.name().to_string(),
                num(r.downtime_avoided_hours.value),
                num(r.downtime_avoided_hours.se),
                opt(r.loss_avoided.map(|e| e.value)),
                opt(r.loss_avoided.map(|e| e.se)),
                num(r.risk_reduction_ratio),
                num(r.downtime_if_always_down_hours.value),
                num(r.risk_achievement_ratio),
                num(r.fussell_vesely.value),
                num(r.fussell_vesely.se),
                num(r.birnbaum.value),
                num(r.birnbaum.se),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}

pub const RISK_GROUP_COLUMNS: [&str; 8] = [
    "architecture",
    "size",
    "sources",
    "probability",
    "observed_share",
    "observed_share_se",
    "via",
    "complete_to_size",
];

impl Export for RiskGroupsCsv {
    fn file_name(&self) -> &'static str {
        "risk_groups.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let m = report.model;
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(RISK_GROUP_COLUMNS).map_err(csv_err)?;
        for arch in &self.0.risk_groups {
            for g in &arch.groups {
                let mut via: Vec<String> = g
                    .group
                    .sources
                    .iter()
                    .zip(&g.group.via)
                    .map(|(&s, comps)| {
                        let ids: Vec<&str> =
                            comps.iter().map(|&c| m.components[c].id.as_str()).collect();
                        format!("{}:{}", m.sources[s].id, ids.join("|"))
                    })
                    .collect();
                via.sort_unstable();
                w.write_record([
                    m.architectures[arch.architecture].id.clone(),
                    g.group.sources.len().to_string(),
                    source_ids(m, &g.group.sources),
                    num(g.group.probability),
                    num(g.observed_share.value),
                    num(g.observed_share.se),
                    via.join(" "),
                    arch.complete_to.to_string(),
                ])
                .map_err(csv_err)?;
            }
        }
        w.flush()
    }
}

pub const INDEPENDENCE_COLUMNS: [&str; 10] = [
    "component",
    "mode",
    "branches",
    "shared_sources",
    "jaccard",
    "jaccard_pair",
    "single_points",
    "downtime_hours",
    "shared_downtime_share",
    "shared_downtime_share_se",
];

impl Export for IndependenceCsv {
    fn file_name(&self) -> &'static str {
        "independence.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let m = report.model;
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(INDEPENDENCE_COLUMNS).map_err(csv_err)?;
        for r in &self.0.independence {
            let n = &r.node;
            let (p, q) = n.jaccard_pair;
            w.write_record([
                m.components[n.component].id.clone(),
                m.components[n.component].mode.name().to_string(),
                component_ids(m, &n.branches),
                source_ids(m, &n.shared),
                num(n.jaccard),
                component_ids(m, &[p, q]),
                source_ids(m, &n.single_points),
                num(r.downtime_hours.value),
                num(r.shared_downtime_share.value),
                num(r.shared_downtime_share.se),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}

pub const CONCENTRATION_COLUMNS: [&str; 18] = [
    "architecture",
    "kind",
    "name",
    "components",
    "in_design",
    "substitutable",
    "involved_hours",
    "involved_share",
    "involved_share_se",
    "responsible_hours",
    "responsible_share",
    "responsible_share_se",
    "involved_loss_share",
    "involved_loss_share_se",
    "responsible_loss_share",
    "responsible_loss_share_se",
    "closely_connected",
    "depends_on",
];

impl Export for ConcentrationCsv {
    fn file_name(&self) -> &'static str {
        "concentration.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let m = report.model;
        let groups = &self.0.groups;
        let names = |list: &[usize]| -> String {
            let v: Vec<&str> = list.iter().map(|&g| groups[g].name.as_str()).collect();
            v.join("+")
        };
        let mut w = ::csv::Writer::from_writer(out);
        w.write_record(CONCENTRATION_COLUMNS).map_err(csv_err)?;
        for r in &self.0.concentration {
            let g = &groups[r.group];
            w.write_record([
                m.architectures[r.architecture].id.clone(),
                g.kind.name().to_string(),
                crate::text::csv_text(&g.name).into_owned(),
                component_ids(m, &g.components),
                r.in_design.to_string(),
                r.substitutable.to_string(),
                num(r.involved_hours.value),
                num(r.involved_share.value),
                num(r.involved_share.se),
                num(r.responsible_hours.value),
                num(r.responsible_share.value),
                num(r.responsible_share.se),
                opt(r.involved_loss_share.map(|e| e.value)),
                opt(r.involved_loss_share.map(|e| e.se)),
                opt(r.responsible_loss_share.map(|e| e.value)),
                opt(r.responsible_loss_share.map(|e| e.se)),
                crate::text::csv_text(&names(&g.closely_connected)).into_owned(),
                crate::text::csv_text(&names(&g.depends_on)).into_owned(),
            ])
            .map_err(csv_err)?;
        }
        w.flush()
    }
}
