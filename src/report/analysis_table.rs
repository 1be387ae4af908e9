//! The terminal summary printed by `fateshare analyze`: per architecture,
//! where its down time and loss come from and its single points of failure;
//! the redundancies whose branches share outage sources, worst first, in
//! plain words; and the providers each design cannot run without.

use crate::analysis::concentration::GroupKind;
use crate::analysis::Analysis;
use crate::model::{Mode, Model};
use std::fmt::Write;

/// How many sources to list per architecture, and how many audit offenders.
const TOP: usize = 5;
const WORST: usize = 3;

fn money(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A share (0 to 1) as a percentage that never rounds to 0% or 100% unless exact.
fn pct(x: f64) -> String {
    crate::fmtnum::probability(x)
}

/// "a, b and c".
fn words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

/// Renders the summary as text.
pub fn render(model: &Model, analysis: &Analysis) -> String {
    let s = &analysis.settings;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — analysis of {} trials of {} h, seed {}; hours and loss are per year",
        model.name, s.trials, s.horizon_hours, s.seed
    );
    let per_year = crate::model::HOURS_PER_YEAR / s.horizon_hours;
    let summaries = crate::stats::summarize(model, &analysis.simulation);
    for (a, arch) in model.architectures.iter().enumerate() {
        let sum = &summaries[a];
        let _ = writeln!(out);
        let loss = sum.expected_loss.map_or(String::new(), |l| {
            format!(", expected loss {}", money(l * per_year))
        });
        let _ = writeln!(
            out,
            "{}: {:.2} h down a year{}",
            arch.id,
            sum.downtime_hours_mean * per_year,
            loss
        );
        let rows: Vec<_> = analysis
            .importance
            .iter()
            .filter(|r| r.architecture == a && r.downtime_avoided_hours.value > 0.0)
            .take(TOP)
            .collect();
        if !rows.is_empty() {
            let _ = writeln!(
                out,
                "  {:<30} {:>5} {:>14} {:>14} {:>7} {:>9}",
                "source (if it never happened)",
                "kind",
                "down h avoided",
                "loss avoided",
                "FV",
                "Birnbaum"
            );
            for r in rows {
                let _ = writeln!(
                    out,
                    "  {:<30} {:>5} {:>14.3} {:>14} {:>7.3} {:>9.2e}",
                    model.sources[r.source].id,
                    r.kind.name(),
                    r.downtime_avoided_hours.value,
                    r.loss_avoided.map_or("-".into(), |l| money(l.value)),
                    r.fussell_vesely.value,
                    r.birnbaum.value
                );
            }
        }
        let rg = &analysis.risk_groups[a];
        let singles: Vec<String> = rg
            .groups
            .iter()
            .filter(|g| g.group.sources.len() == 1)
            .map(|g| model.sources[g.group.sources[0]].id.clone())
            .collect();
        if singles.is_empty() {
            let _ = writeln!(out, "  no single point of failure");
        } else {
            let _ = writeln!(
                out,
                "  single points of failure ({}): {}",
                singles.len(),
                singles.join(", ")
            );
        }
        let limit = if rg.complete_to < analysis.limits.max_order {
            format!(
                "; stopped at the count limit of {}: complete only up to {} sources",
                analysis.limits.max_sets, rg.complete_to
            )
        } else {
            format!(
                "; larger sets not enumerated (--max-order {})",
                rg.complete_to
            )
        };
        let _ = writeln!(
            out,
            "  risk groups: {} listed, all minimal sets of up to {} sources{}",
            rg.groups.len(),
            rg.complete_to,
            limit
        );
    }

    let _ = writeln!(out);
    let mut audit: Vec<_> = analysis
        .independence
        .iter()
        .filter(|r| !r.node.shared.is_empty())
        .collect();
    audit.sort_by(|x, y| {
        let share = |r: &&crate::analysis::independence::AuditRow| {
            let v = r.shared_downtime_share.value;
            if v.is_nan() {
                -1.0
            } else {
                v
            }
        };
        share(y)
            .total_cmp(&share(x))
            .then(y.node.jaccard.total_cmp(&x.node.jaccard))
    });
    if analysis.independence.is_empty() {
        let _ = writeln!(
            out,
            "Independence audit: no redundancy (any, quorum, failover) to audit."
        );
    } else if audit.is_empty() {
        let _ = writeln!(
            out,
            "Independence audit: no redundancy has an outage source that reaches two of its branches."
        );
    } else {
        let _ = writeln!(
            out,
            "Independence audit — redundancies whose branches fail for the same reasons, worst first:"
        );
        for r in audit.iter().take(WORST) {
            let n = &r.node;
            let comp = &model.components[n.component];
            let branches: Vec<String> = n
                .branches
                .iter()
                .map(|&b| model.components[b].id.clone())
                .collect();
            let mode = match comp.mode {
                Mode::Quorum(k) => format!("{k}-of-{} quorum over", n.branches.len()),
                Mode::Failover { .. } => "failover across".into(),
                _ => "any of".into(),
            };
            let mut line = format!(
                "  {} ({} {}): {} outage source{} reach{} more than one branch",
                comp.id,
                mode,
                words(&branches),
                n.shared.len(),
                if n.shared.len() == 1 { "" } else { "s" },
                if n.shared.len() == 1 { "es" } else { "" },
            );
            if !n.single_points.is_empty() {
                let ids: Vec<String> = n
                    .single_points
                    .iter()
                    .map(|&s| model.sources[s].id.clone())
                    .collect();
                let _ = write!(
                    line,
                    "; {} take{} the whole redundancy down alone",
                    words(&ids),
                    if ids.len() == 1 { "s" } else { "" }
                );
            }
            let _ = write!(
                line,
                "; removing {} would have restored service for {} of its {:.2} h down a year; its most alike branches, {} and {}, share {:.0}% of their outage sources",
                if n.shared.len() == 1 { "it" } else { "one of them" },
                pct(r.shared_downtime_share.value),
                r.downtime_hours.value,
                model.components[n.jaccard_pair.0].id,
                model.components[n.jaccard_pair.1].id,
                100.0 * n.jaccard
            );
            let _ = writeln!(out, "{line}.");
        }
        if audit.len() > WORST {
            let _ = writeln!(out, "  ({} more in independence.csv)", audit.len() - WORST);
        }
    }

    let _ = writeln!(out);
    if analysis.groups.is_empty() {
        let _ = writeln!(
            out,
            "Concentration: no component names a provider or jurisdiction (add provider = \"...\" to components)."
        );
    } else {
        let _ = writeln!(
            out,
            "Concentration — providers and jurisdictions each design cannot run without (share of its down time each was involved in / responsible for):"
        );
        for (a, arch) in model.architectures.iter().enumerate() {
            let mut parts = Vec::new();
            for kind in [GroupKind::Provider, GroupKind::Jurisdiction] {
                let mut critical: Vec<_> = analysis
                    .concentration
                    .iter()
                    .filter(|r| {
                        r.architecture == a
                            && r.in_design
                            && !r.substitutable
                            && analysis.groups[r.group].kind == kind
                    })
                    .collect();
                critical.sort_by(|x, y| {
                    y.involved_share
                        .value
                        .total_cmp(&x.involved_share.value)
                        .then(
                            y.responsible_share
                                .value
                                .total_cmp(&x.responsible_share.value),
                        )
                });
                let list: Vec<String> = critical
                    .iter()
                    .map(|r| {
                        format!(
                            "{} ({} / {})",
                            analysis.groups[r.group].name,
                            pct(r.involved_share.value),
                            pct(r.responsible_share.value)
                        )
                    })
                    .collect();
                if !list.is_empty() {
                    parts.push(format!("{} {}", kind.name(), list.join(", ")));
                }
            }
            let _ = writeln!(
                out,
                "  {}: {}",
                arch.id,
                if parts.is_empty() {
                    "none: it can run without any one of them".to_string()
                } else {
                    parts.join("; ")
                }
            );
        }
    }
    out
}
