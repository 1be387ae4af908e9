//! Checks the `[[treaty]]` tables and compiles them into [`Treaty`] values:
//! the kind and the fields it takes, the policies it covers (ids resolved to
//! indices in file order, or a portfolio's policies, or all of them), and the
//! ranges of amounts. Treaties apply in file order (inuring order).

use super::{valid_id, Checker};
use crate::model::{Treaty, TreatyKind};
use crate::scenario::format::{ScenarioFile, TreatySpec};
use std::collections::BTreeMap;

/// The fields only an excess-of-loss treaty takes.
const XL_ONLY: [&str; 6] = [
    "attachment",
    "limit",
    "aggregate_deductible",
    "aggregate_limit",
    "reinstatements",
    "reinstatement_rate",
];

/// Checks every treaty; returns those that compiled.
pub(super) fn treaties(ck: &mut Checker, file: &ScenarioFile) -> Vec<Treaty> {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for t in &file.treaties {
        let place = format!("treaty \"{}\"", t.id);
        if !valid_id(&t.id) {
            ck.add(
                &place,
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if seen.insert(&t.id, ()).is_some() {
            ck.add(
                &place,
                "id is already used by another treaty; treaty ids must be unique",
            );
        }
        let before = ck.problems.len();
        let treaty = treaty(ck, &place, t, file);
        if ck.problems.len() == before {
            out.extend(treaty);
        }
    }
    out
}

/// An optional amount that must be finite and >= 0 (reported otherwise).
fn amount(ck: &mut Checker, place: &str, field: &str, v: Option<f64>, default: f64) -> f64 {
    match v {
        Some(x) if ck.number(place, field, x, false) => x,
        _ => default,
    }
}

fn treaty(ck: &mut Checker, place: &str, t: &TreatySpec, file: &ScenarioFile) -> Option<Treaty> {
    if file.policies.is_empty() {
        ck.add(
            place,
            "the scenario has no [[policy]]; a treaty reinsures policies, so add them or remove the treaty",
        );
        return None;
    }
    let given: [(&str, bool); 7] = [
        ("cession", t.cession.is_some()),
        ("attachment", t.attachment.is_some()),
        ("limit", t.limit.is_some()),
        ("aggregate_deductible", t.aggregate_deductible.is_some()),
        ("aggregate_limit", t.aggregate_limit.is_some()),
        ("reinstatements", t.reinstatements.is_some()),
        ("reinstatement_rate", t.reinstatement_rate.is_some()),
    ];
    let xl = match t.kind.as_str() {
        "quota_share" => false,
        "per_risk_xl" | "cat_xl" => true,
        k => {
            ck.add(
                place,
                format!("unknown kind \"{k}\"; use \"quota_share\", \"per_risk_xl\" or \"cat_xl\""),
            );
            return None;
        }
    };
    for (name, present) in given {
        let wrong = if xl {
            name == "cession"
        } else {
            XL_ONLY.contains(&name)
        };
        if present && wrong {
            let applies = if xl {
                "quota_share treaties"
            } else {
                "per_risk_xl and cat_xl treaties"
            };
            ck.add(
                place,
                format!(
                    "kind \"{}\" does not take {name} (it applies to {applies}); remove it",
                    t.kind
                ),
            );
        }
    }
    let policies = covered(ck, place, t, file)?;
    let loading = amount(ck, place, "loading", t.loading, 0.0);
    let kind = match t.kind.as_str() {
        "quota_share" => {
            let Some(cession) = t.cession else {
                ck.add(
                    place,
                    "a quota_share treaty needs cession = <share ceded of every payout, e.g. 0.4>",
                );
                return None;
            };
            if !(cession > 0.0 && cession <= 1.0) {
                ck.add(
                    place,
                    format!(
                        "cession = {cession} is outside (0, 1]; give the share ceded, e.g. 0.4"
                    ),
                );
            }
            TreatyKind::QuotaShare { cession }
        }
        "per_risk_xl" => TreatyKind::PerRisk,
        _ => TreatyKind::Catastrophe,
    };
    let attachment = amount(ck, place, "attachment", t.attachment, 0.0);
    let limit = match t.limit {
        Some(x) if ck.number(place, "limit", x, true) => x,
        _ => f64::INFINITY,
    };
    let aggregate_deductible = amount(
        ck,
        place,
        "aggregate_deductible",
        t.aggregate_deductible,
        0.0,
    );
    let reinstatements = match t.reinstatements {
        None => 0,
        Some(n) if (0..=1000).contains(&n) => n as u32,
        Some(n) => {
            ck.add(
                place,
                format!("reinstatements = {n}; give the number of reinstatements, 0 to 1000"),
            );
            0
        }
    };
    if reinstatements > 0 && t.limit.is_none() {
        ck.add(
            place,
            "reinstatements need a limit (each reinstates one limit); add limit = <amount per event>",
        );
    }
    if t.reinstatements.is_some() && t.aggregate_limit.is_some() {
        ck.add(
            place,
            "give reinstatements or aggregate_limit, not both (with reinstatements the aggregate limit is (1 + reinstatements) × limit)",
        );
    }
    if t.reinstatement_rate.is_some() && reinstatements == 0 {
        ck.add(
            place,
            "reinstatement_rate is given without reinstatements; add reinstatements = <count> or remove it",
        );
    }
    let reinstatement_rate = amount(ck, place, "reinstatement_rate", t.reinstatement_rate, 1.0);
    let aggregate_limit = match t.aggregate_limit {
        Some(x) if ck.number(place, "aggregate_limit", x, true) => x,
        Some(_) => f64::INFINITY,
        None if xl => (1.0 + f64::from(reinstatements)) * limit,
        None => f64::INFINITY,
    };
    Some(Treaty {
        id: t.id.clone(),
        description: t.description.clone(),
        kind,
        policies,
        attachment,
        limit: if xl { limit } else { f64::INFINITY },
        aggregate_deductible,
        aggregate_limit,
        reinstatements,
        reinstatement_rate,
        loading,
    })
}

/// The policy indices (file order) a treaty covers.
fn covered(
    ck: &mut Checker,
    place: &str,
    t: &TreatySpec,
    file: &ScenarioFile,
) -> Option<Vec<usize>> {
    let ids: Vec<&str> = file.policies.iter().map(|p| p.id.as_str()).collect();
    match (&t.policies, &t.portfolio) {
        (Some(_), Some(_)) => {
            ck.add(
                place,
                "give policies or portfolio, not both (or neither, to cover every policy)",
            );
            None
        }
        (None, None) => Some((0..ids.len()).collect()),
        (None, Some(name)) => {
            let v: Vec<usize> = file
                .policies
                .iter()
                .enumerate()
                .filter(|(_, p)| p.portfolio.as_deref() == Some(name.as_str()))
                .map(|(i, _)| i)
                .collect();
            if v.is_empty() {
                ck.add(
                    place,
                    format!("portfolio = \"{name}\" names no policy's portfolio; fix the name or give policies = [...]"),
                );
                return None;
            }
            Some(v)
        }
        (Some(list), None) => {
            if list.is_empty() {
                ck.add(
                    place,
                    "policies = [] covers nothing; name at least one policy, or remove the field to cover every policy",
                );
                return None;
            }
            let mut v = Vec::with_capacity(list.len());
            let mut ok = true;
            for id in list {
                match ids.iter().position(|p| p == id) {
                    Some(i) if v.contains(&i) => {
                        ck.add(
                            place,
                            format!("policies names \"{id}\" twice; list each policy once"),
                        );
                        ok = false;
                    }
                    Some(i) => v.push(i),
                    None => {
                        ck.add(
                            place,
                            format!("policies names unknown policy \"{id}\"; declare it in a [[policy]] table or fix the id"),
                        );
                        ok = false;
                    }
                }
            }
            v.sort_unstable();
            ok.then_some(v)
        }
    }
}
