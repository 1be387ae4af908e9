//! Importance of each outage source to each architecture, from the
//! counterfactual totals: risk-reduction worth (down time and loss avoided
//! if the source never happened, and the ratio), risk-achievement worth
//! (down time with the source always active), Fussell–Vesely (share of the
//! down time that removing the source restores) and Birnbaum (difference of
//! unavailability between the source held down and removed). Rows are
//! ranked per architecture by loss avoided, then down time avoided, then id.
//! Definitions and formulas: docs/analysis.md.

use super::counterfactual::Tally;
use super::estimate::{mean, ratio, Estimate};
use crate::model::{Model, SourceKind, HOURS_PER_YEAR};

/// One architecture × source row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportanceRow {
    pub architecture: usize,
    pub source: usize,
    pub kind: SourceKind,
    /// 1 = most important for this architecture.
    pub rank: usize,
    /// Hours per year of down time avoided if the source never happened.
    pub downtime_avoided_hours: Estimate,
    /// Loss per year avoided if the source never happened (None without a loss model).
    pub loss_avoided: Option<Estimate>,
    /// Unavailability as sampled over unavailability without the source
    /// (infinite when the source explains all down time).
    pub risk_reduction_ratio: f64,
    /// Hours per year of down time with the source always active.
    pub downtime_if_always_down_hours: Estimate,
    /// Unavailability with the source always active over unavailability as sampled.
    pub risk_achievement_ratio: f64,
    pub fussell_vesely: Estimate,
    pub birnbaum: Estimate,
}

/// The importance rows of every architecture (in file order), ranked.
pub fn rows(model: &Model, tally: &Tally, horizon: f64) -> Vec<ImportanceRow> {
    let n = tally.trials;
    let ns = model.sources.len();
    let per_year = HOURS_PER_YEAR / horizon;
    let mut out = Vec::with_capacity(model.architectures.len() * ns);
    for (a, arch) in model.architectures.iter().enumerate() {
        let base = &tally.down[a];
        let d = mean(base, n).value;
        let mut rows: Vec<ImportanceRow> = (0..ns)
            .map(|s| {
                let i = a * ns + s;
                let avoided = mean(&tally.avoided_down[i], n);
                let held = mean(&tally.held[i], n);
                let without = d - avoided.value;
                ImportanceRow {
                    architecture: a,
                    source: s,
                    kind: model.sources[s].kind,
                    rank: 0,
                    downtime_avoided_hours: avoided.scaled(per_year),
                    loss_avoided: arch
                        .loss
                        .map(|_| mean(&tally.avoided_loss[i], n).scaled(per_year)),
                    risk_reduction_ratio: d / without,
                    downtime_if_always_down_hours: held.scaled(per_year),
                    risk_achievement_ratio: held.value / d,
                    fussell_vesely: ratio(&tally.restored[i], base, n),
                    birnbaum: mean(&tally.birnbaum[i], n),
                }
            })
            .collect();
        let loss = |r: &ImportanceRow| r.loss_avoided.map_or(0.0, |e| e.value);
        rows.sort_by(|x, y| {
            loss(y)
                .total_cmp(&loss(x))
                .then(
                    y.downtime_avoided_hours
                        .value
                        .total_cmp(&x.downtime_avoided_hours.value),
                )
                .then_with(|| model.sources[x.source].id.cmp(&model.sources[y.source].id))
        });
        for (k, r) in rows.iter_mut().enumerate() {
            r.rank = k + 1;
        }
        out.extend(rows);
    }
    out
}
