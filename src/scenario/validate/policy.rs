//! Checks the `[[policy]]` tables and compiles them into [`Policy`] values:
//! ids resolved (the insured architecture, the parametric index), the fields
//! each `kind` and pricing `method` takes, and the ranges of amounts. Component
//! indices are in file order here; `compile` remaps them to topological order.

use super::{distance, valid_id, Checker};
use crate::model::{Policy, PolicyTerms, PremiumPrinciple, Pricing};
use crate::scenario::format::{PolicySpec, PricingSpec, ScenarioFile};
use std::collections::{BTreeMap, HashMap};

/// The fields only one kind takes (the rest apply to both).
const PARAMETRIC_ONLY: [&str; 7] = [
    "index",
    "threshold",
    "waiting_hours",
    "franchise",
    "pay_per_hour",
    "max_hours_per_event",
    "basis_threshold",
];
const INDEMNITY_ONLY: [&str; 2] = ["deductible", "share"];

/// Checks every policy; returns those that compiled (file-order component indices).
pub(super) fn policies(
    ck: &mut Checker,
    file: &ScenarioFile,
    comp_index: &HashMap<&str, usize>,
    serves: &[Option<usize>],
) -> Vec<Policy> {
    let mut arch_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in file.architectures.iter().enumerate() {
        arch_index.entry(a.id.as_str()).or_insert(i);
    }
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    let mut out = Vec::new();
    for p in &file.policies {
        let place = format!("policy \"{}\"", p.id);
        if !valid_id(&p.id) {
            ck.add(
                &place,
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if seen.insert(&p.id, ()).is_some() {
            ck.add(
                &place,
                "id is already used by another policy; policy ids must be unique",
            );
        }
        let before = ck.problems.len();
        let policy = policy(ck, &place, p, file, comp_index, &arch_index, serves);
        if ck.problems.len() == before {
            out.extend(policy);
        }
    }
    out
}

fn policy(
    ck: &mut Checker,
    place: &str,
    p: &PolicySpec,
    file: &ScenarioFile,
    comp_index: &HashMap<&str, usize>,
    arch_index: &BTreeMap<&str, usize>,
    serves: &[Option<usize>],
) -> Option<Policy> {
    let insured = match arch_index.get(p.insured.as_str()) {
        Some(&a) => {
            if file.architectures[a].loss.is_none() {
                ck.add(
                    place,
                    format!(
                        "insured architecture \"{}\" has no loss table; add loss = {{ per_hour = ... }} to it so the policy's effect can be measured",
                        p.insured
                    ),
                );
            }
            Some(a)
        }
        None => {
            ck.add(
                place,
                unknown(
                    &p.insured,
                    "insured",
                    "architecture",
                    arch_index.keys().copied(),
                ),
            );
            None
        }
    };

    let given: [(&str, bool); 9] = [
        ("index", p.index.is_some()),
        ("threshold", p.threshold.is_some()),
        ("waiting_hours", p.waiting_hours.is_some()),
        ("franchise", p.franchise.is_some()),
        ("pay_per_hour", p.pay_per_hour.is_some()),
        ("max_hours_per_event", p.max_hours_per_event.is_some()),
        ("basis_threshold", p.basis_threshold.is_some()),
        ("deductible", p.deductible.is_some()),
        ("share", p.share.is_some()),
    ];
    let (other, other_kind): (&[&str], &str) = match p.kind.as_str() {
        "parametric" => (&INDEMNITY_ONLY, "indemnity"),
        "indemnity" => (&PARAMETRIC_ONLY, "parametric"),
        k => {
            ck.add(
                place,
                format!("unknown kind \"{k}\"; use \"parametric\" or \"indemnity\""),
            );
            return None;
        }
    };
    for (name, present) in given {
        if present && other.contains(&name) {
            ck.add(
                place,
                format!(
                    "kind \"{}\" does not take {name} (it applies to {other_kind} policies); remove it",
                    p.kind
                ),
            );
        }
    }

    let event_limit = amount(ck, place, "event_limit", p.event_limit, f64::INFINITY);
    let annual_limit = amount(ck, place, "annual_limit", p.annual_limit, f64::INFINITY);
    let terms = if p.kind == "parametric" {
        let waiting_hours = amount(ck, place, "waiting_hours", p.waiting_hours, 0.0);
        let pay_per_hour = amount(ck, place, "pay_per_hour", p.pay_per_hour, 0.0);
        let max_hours_per_event = amount(
            ck,
            place,
            "max_hours_per_event",
            p.max_hours_per_event,
            f64::INFINITY,
        );
        let basis_threshold = amount(ck, place, "basis_threshold", p.basis_threshold, 0.0);
        let threshold = p.threshold.unwrap_or(1.0);
        if !(threshold > 0.0 && threshold <= 1.0) {
            ck.add(
                place,
                format!(
                    "threshold is {threshold}; it is the service level under which the index counts as out, \
                     greater than 0 and at most 1 (e.g. 0.5; 1, the default, counts any lost service)"
                ),
            );
        }
        if p.pay_per_hour.is_none() {
            ck.add(
                place,
                "a parametric policy needs pay_per_hour (the amount paid per hour past the waiting period)",
            );
        }
        let index = match &p.index {
            None => {
                ck.add(
                    place,
                    "a parametric policy needs index = \"<component or architecture id>\" (whose outages trigger it)",
                );
                None
            }
            Some(id) => index(ck, place, id, comp_index, arch_index, serves),
        };
        index.map(|index| PolicyTerms::Parametric {
            index,
            index_id: p.index.clone().unwrap_or_default(),
            waiting_hours,
            franchise: p.franchise.unwrap_or(false),
            pay_per_hour,
            max_hours_per_event,
            basis_threshold,
            threshold,
        })
    } else {
        let deductible = amount(ck, place, "deductible", p.deductible, 0.0);
        let share = p.share.unwrap_or(1.0);
        if !(share > 0.0 && share <= 1.0) {
            ck.add(
                place,
                format!("share = {share} is outside (0, 1]; give the share of each loss the policy pays, e.g. 0.8"),
            );
        }
        Some(PolicyTerms::Indemnity { deductible, share })
    };
    if let Some(name) = &p.portfolio {
        if !valid_id(name) {
            ck.add(
                place,
                format!("portfolio = \"{name}\" must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')"),
            );
        }
    }
    let compare: Vec<Option<Pricing>> = p
        .compare_pricing
        .iter()
        .enumerate()
        .map(|(i, spec)| pricing(ck, place, &format!("compare_pricing[{i}]"), spec))
        .collect();
    let pricing = match &p.pricing {
        None => Some(Pricing::default()),
        Some(spec) => pricing(ck, place, "pricing", spec),
    };
    Some(Policy {
        id: p.id.clone(),
        description: p.description.clone(),
        insured: insured?,
        terms: terms?,
        event_limit,
        annual_limit,
        pricing: pricing?,
        compare_pricing: compare.into_iter().collect::<Option<Vec<_>>>()?,
        portfolio: p.portfolio.clone(),
    })
}

/// An optional amount that must be finite and >= 0 (reported otherwise).
fn amount(ck: &mut Checker, place: &str, field: &str, v: Option<f64>, default: f64) -> f64 {
    match v {
        Some(x) if ck.number(place, field, x, false) => x,
        _ => default,
    }
}

/// Resolves a parametric index: a component, or an architecture (its `serves`).
fn index(
    ck: &mut Checker,
    place: &str,
    id: &str,
    comp_index: &HashMap<&str, usize>,
    arch_index: &BTreeMap<&str, usize>,
    serves: &[Option<usize>],
) -> Option<usize> {
    let comp = comp_index.get(id).copied();
    let arch = arch_index.get(id).map(|&a| serves[a]);
    match (comp, arch) {
        (Some(c), Some(Some(s))) if c != s => {
            ck.add(
                place,
                format!("index \"{id}\" names both a component and an architecture that serves another component; rename one of them"),
            );
            None
        }
        (Some(c), _) => Some(c),
        (None, Some(s)) => s,
        (None, None) => {
            let mut ids: Vec<&str> = comp_index.keys().copied().collect();
            ids.extend(arch_index.keys().copied());
            ck.add(
                place,
                unknown(id, "index", "component or architecture", ids.into_iter()),
            );
            None
        }
    }
}

/// "names unknown X; did you mean Y?" with the nearest id within two edits.
fn unknown<'a>(id: &str, field: &str, what: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    let near = ids
        .iter()
        .map(|k| (distance(k, id), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k);
    match near {
        Some(k) => format!("{field} names unknown {what} \"{id}\"; did you mean \"{k}\"?"),
        None => format!("{field} names unknown {what} \"{id}\"; declare it or fix the id"),
    }
}

/// Builds the premium principle, reporting missing or stray parameters.
/// `key` names the table in messages (`pricing`, `compare_pricing[0]`, …).
fn pricing(ck: &mut Checker, place: &str, key: &str, spec: &PricingSpec) -> Option<Pricing> {
    let takes: &[&str] = match spec.method.as_str() {
        "expected_value" | "std_dev" => &["loading"],
        "cost_of_capital" => &["rate", "level"],
        "wang" => &["lambda"],
        other => {
            ck.add(
                place,
                format!("{key}: unknown method \"{other}\"; use \"expected_value\", \"std_dev\", \"cost_of_capital\" or \"wang\""),
            );
            return None;
        }
    };
    let before = ck.problems.len();
    let given = [
        ("loading", spec.loading),
        ("rate", spec.rate),
        ("level", spec.level),
        ("lambda", spec.lambda),
    ];
    for (name, v) in given {
        let optional = name == "level";
        if v.is_some() && !takes.contains(&name) {
            ck.add(
                place,
                format!(
                    "{key}: method \"{}\" does not take {name}; it takes {} (and expense_ratio)",
                    spec.method,
                    takes.join(" and ")
                ),
            );
        } else if v.is_none() && takes.contains(&name) && !optional {
            ck.add(
                place,
                format!(
                    "{key}: method \"{}\" needs {name} (it takes {}, and expense_ratio)",
                    spec.method,
                    takes.join(" and ")
                ),
            );
        }
    }
    let mut nonneg = |name: &str, v: Option<f64>| -> f64 {
        let x = v.unwrap_or(0.0);
        ck.number(place, &format!("{key}.{name}"), x, false);
        x
    };
    let principle = match spec.method.as_str() {
        "expected_value" => PremiumPrinciple::ExpectedValue {
            loading: nonneg("loading", spec.loading),
        },
        "std_dev" => PremiumPrinciple::StdDev {
            loading: nonneg("loading", spec.loading),
        },
        "cost_of_capital" => {
            let rate = nonneg("rate", spec.rate);
            let level = spec.level.unwrap_or(0.995);
            if !(level > 0.0 && level < 1.0) {
                ck.add(
                    place,
                    format!("{key}.level = {level} is not strictly between 0 and 1 (e.g. 0.995)"),
                );
            }
            PremiumPrinciple::CostOfCapital { rate, level }
        }
        _ => PremiumPrinciple::Wang {
            lambda: nonneg("lambda", spec.lambda),
        },
    };
    let expense_ratio = spec.expense_ratio.unwrap_or(0.0);
    if !(0.0..1.0).contains(&expense_ratio) {
        ck.add(
            place,
            format!("{key}.expense_ratio = {expense_ratio} is outside [0, 1); give the share of the premium spent on expenses, e.g. 0.3"),
        );
    }
    (ck.problems.len() == before).then_some(Pricing {
        principle,
        expense_ratio,
    })
}
