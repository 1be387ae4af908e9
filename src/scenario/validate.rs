//! Checks a parsed scenario and compiles it into a [`Model`]: ids resolved to
//! indices, components sorted so needs come first, distributions built.
//! Every problem is collected, so one run of `validate` lists them all.

use super::format::ScenarioFile;
use super::Problem;
use crate::capped::Capped;
use crate::model::{
    Architecture, Component, Loss, Model, Settings, Severity, Source, SourceKind, Target,
    HOURS_PER_YEAR,
};
use std::collections::HashMap;

mod book;
mod client;
mod drill;
mod duration;
mod mode;
mod order;
mod policy;
mod severity;
mod treaty;

use drill::drills;
pub use drill::{drill_problems, unknown_cause_or_component};
use duration::{duration, required};
use order::topological_order;

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn add(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            place: place.into(),
            message: message.into(),
        });
    }

    /// A finite number that is >= 0 (or > 0 when `positive`).
    fn number(&mut self, place: &str, field: &str, value: f64, positive: bool) -> bool {
        if !value.is_finite() {
            self.add(place, format!("{field} is {value}; give a finite number"));
            false
        } else if value < 0.0 || (positive && value == 0.0) {
            let bound = if positive {
                "greater than 0"
            } else {
                "0 or more"
            };
            self.add(place, format!("{field} is {value}; it must be {bound}"));
            false
        } else {
            true
        }
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c))
}

/// Compiles a parsed scenario into a model, or returns every problem found.
pub fn compile(file: &ScenarioFile) -> Result<Model, Vec<Problem>> {
    let mut ck = Checker {
        problems: Vec::new(),
    };

    if file.name.trim().is_empty() {
        ck.add("name", "the scenario name is empty; give it a short title");
    }
    let settings = settings(&mut ck, file);

    // Ids: syntax and uniqueness across components and causes.
    let mut seen: HashMap<&str, &'static str> = HashMap::new();
    let declared = file
        .components
        .iter()
        .map(|c| (c.id.as_str(), "component"))
        .chain(file.causes.iter().map(|c| (c.id.as_str(), "cause")));
    for (id, table) in declared {
        if !valid_id(id) {
            ck.add(
                format!("{table} \"{id}\""),
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if let Some(first) = seen.insert(id, table) {
            ck.add(
                format!("{table} \"{id}\""),
                format!("id is already used by a {first}; ids must be unique among components and causes"),
            );
        }
    }
    if file.components.is_empty() {
        ck.add("", "the scenario has no [[component]]; add at least one");
    }
    if file.architectures.is_empty() {
        ck.add(
            "",
            "the scenario has no [[architecture]]; add at least one (serves = \"<component id>\")",
        );
    }

    let comp_index: HashMap<&str, usize> = file
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let known = |id: &str| comp_index.get(id).copied();

    // Components in file order first; reordered topologically below.
    let mut comps: Vec<Component> = Vec::with_capacity(file.components.len());
    let mut own: Vec<Option<(f64, Capped, Severity, bool)>> =
        Vec::with_capacity(file.components.len());
    for c in &file.components {
        let place = format!("component \"{}\"", c.id);
        let mut needs = Vec::new();
        let (mut tolerate_hours, mut capacity) = (Vec::new(), Vec::new());
        for spec in c.needs.iter().flatten() {
            let n = spec.id();
            let minutes = spec.tolerate_minutes().unwrap_or(0.0);
            ck.number(
                &place,
                &format!("needs \"{n}\": tolerate_minutes"),
                minutes,
                false,
            );
            let cap = spec.capacity();
            if let Some(cap) = cap {
                ck.number(&place, &format!("needs \"{n}\": capacity"), cap, true);
            }
            match known(n) {
                Some(i) if needs.contains(&i) => ck.add(
                    &place,
                    format!("needs lists \"{n}\" twice; list each component once"),
                ),
                Some(i) if file.components[i].id == c.id => {
                    ck.add(&place, "needs lists the component itself; remove it")
                }
                Some(i) => {
                    needs.push(i);
                    tolerate_hours.push(minutes / 60.0);
                    capacity.push(cap);
                }
                None if comp_index.is_empty() => {}
                None => ck.add(&place, unknown_component(n, "needs", &comp_index, file)),
            }
        }
        let mode = mode::mode(&mut ck, &place, c);
        let capacity = mode::capacities(&mut ck, &place, mode, &capacity);
        let client = client::client(&mut ck, &place, c, mode, &capacity);
        let outages = c.outages.as_ref().and_then(|o| {
            let (per_year, spec) = required(&mut ck, &place, "outages.", o.per_year, &o.duration)?;
            let ok = ck.number(&place, "outages.per_year", per_year, false);
            let d = duration(&mut ck, &place, "outages.duration", spec);
            let sev = severity::severity(
                &mut ck,
                &place,
                "outages.severity",
                o.severity.as_ref(),
                Severity::Fixed(1.0),
            );
            let hangs = client::fails(&mut ck, &place, "outages.fails", o.fails.as_deref());
            if ok {
                d.map(|d| (per_year, d, sev, hangs))
            } else {
                None
            }
        });
        for (field, value) in [("provider", &c.provider), ("jurisdiction", &c.jurisdiction)] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                ck.add(
                    &place,
                    format!(
                        "{field} is empty; name it (e.g. {field} = \"{}\") or remove the line",
                        if field == "provider" { "aws" } else { "us" }
                    ),
                );
            }
        }
        own.push(outages);
        comps.push(Component {
            id: c.id.clone(),
            description: c.description.clone(),
            needs,
            mode,
            tolerate_hours,
            capacity,
            client,
            own_source: None,
            provider: c.provider.clone(),
            jurisdiction: c.jurisdiction.clone(),
        });
    }

    // Causes.
    let mut causes = Vec::new();
    for c in &file.causes {
        let place = format!("cause \"{}\"", c.id);
        let (per_year, d) = match required(&mut ck, &place, "", c.per_year, &c.duration) {
            Some((per_year, spec)) => (per_year, duration(&mut ck, &place, "duration", spec)),
            None => (0.0, None),
        };
        let rate_ok = ck.number(&place, "per_year", per_year, false);
        if c.hits.is_empty() {
            ck.add(
                &place,
                "hits is empty; list the components it takes down, e.g. hits = { aws = 1.0 }",
            );
        }
        let cause_severity = severity::severity(
            &mut ck,
            &place,
            "severity",
            c.severity.as_ref(),
            Severity::Fixed(1.0),
        );
        let hangs = client::fails(&mut ck, &place, "fails", c.fails.as_deref());
        let mut targets = Vec::new();
        for (id, hit) in &c.hits {
            let p = hit.probability();
            let severity = severity::severity(
                &mut ck,
                &place,
                &format!("hits.{id}.severity"),
                hit.severity(),
                cause_severity,
            );
            if !(0.0..=1.0).contains(&p) {
                ck.add(
                    &place,
                    format!("hit probability for \"{id}\" is {p}; it must be between 0 and 1"),
                );
            }
            match known(id) {
                Some(i) => targets.push(Target {
                    component: i,
                    probability: p,
                    severity,
                }),
                None if comp_index.is_empty() => {}
                None => ck.add(&place, unknown_component(id, "hits", &comp_index, file)),
            }
        }
        if let (true, Some(d)) = (rate_ok, d) {
            causes.push((c, per_year, d, targets, hangs));
        }
    }

    // Architectures.
    let mut archs = Vec::new();
    let mut arch_ids: HashMap<&str, ()> = HashMap::new();
    for a in &file.architectures {
        let place = format!("architecture \"{}\"", a.id);
        if !valid_id(&a.id) {
            ck.add(
                &place,
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if arch_ids.insert(&a.id, ()).is_some() {
            ck.add(
                &place,
                "id is already used by another architecture; ids must be unique",
            );
        }
        let serves = known(&a.serves);
        if serves.is_none() && !comp_index.is_empty() {
            ck.add(
                &place,
                unknown_component(&a.serves, "serves", &comp_index, file),
            );
        }
        if let Some(cost) = a.cost_per_year {
            ck.number(&place, "cost_per_year", cost, false);
        }
        if let Some(sla) = a.sla {
            if !(sla > 0.0 && sla < 1.0) {
                ck.add(
                    &place,
                    format!(
                        "sla = {sla} is not a probability strictly between 0 and 1 (e.g. 0.999)"
                    ),
                );
            }
        }
        let loss = a.loss.as_ref().map(|l| {
            let mut get = |field: &str, v: Option<f64>| {
                let v = v.unwrap_or(0.0);
                ck.number(&place, &format!("loss.{field}"), v, false);
                v
            };
            Loss {
                per_hour: get("per_hour", l.per_hour),
                per_outage: get("per_outage", l.per_outage),
                grace_hours: get("grace_minutes", l.grace_minutes) / 60.0,
            }
        });
        let down_below = severity::down_below(&mut ck, &place, a.down_below);
        archs.push(Architecture {
            down_below,
            id: a.id.clone(),
            description: a.description.clone(),
            serves: serves.unwrap_or(0),
            cost_per_year: a.cost_per_year,
            sla: a.sla,
            loss,
            sector: a.sector.clone(),
        });
    }

    let drills = drills(&mut ck, file);
    let hours_clause = book::hours_clause(&mut ck, file);
    // Policies (component indices in file order until remapped below).
    let serves: Vec<Option<usize>> = file
        .architectures
        .iter()
        .map(|a| known(&a.serves))
        .collect();
    let mut policies = policy::policies(&mut ck, file, &comp_index, &serves);
    let treaties = treaty::treaties(&mut ck, file);

    // Cycles, then topological order (stable: file order among ready components).
    let order = match topological_order(&comps) {
        Ok(order) => order,
        Err(cycle) => {
            let ids: Vec<&str> = cycle.iter().map(|&i| comps[i].id.as_str()).collect();
            ck.add(
                format!("component \"{}\"", ids[0]),
                format!(
                    "dependency cycle {} -> {}; remove one of these needs",
                    ids.join(" -> "),
                    ids[0]
                ),
            );
            (0..comps.len()).collect()
        }
    };

    if !ck.problems.is_empty() {
        return Err(ck.problems);
    }

    // Remap to topological indices.
    let mut new_index = vec![0; comps.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut components: Vec<Component> = order.iter().map(|&old| comps[old].clone()).collect();
    for c in &mut components {
        for n in &mut c.needs {
            *n = new_index[*n];
        }
    }
    let mut sources = Vec::new();
    for (new, &old) in order.iter().enumerate() {
        if let Some((per_year, d, severity, hangs)) = own[old].take() {
            components[new].own_source = Some(sources.len());
            sources.push(Source {
                id: components[new].id.clone(),
                description: None,
                kind: SourceKind::Own,
                per_year,
                rate_per_hour: per_year / HOURS_PER_YEAR,
                duration: d,
                targets: vec![Target {
                    component: new,
                    probability: 1.0,
                    severity,
                }],
                hangs,
            });
        }
    }
    for (c, per_year, d, targets, hangs) in causes {
        let mut targets: Vec<Target> = targets
            .into_iter()
            .map(|t| Target {
                component: new_index[t.component],
                ..t
            })
            .collect();
        targets.sort_by_key(|t| t.component);
        sources.push(Source {
            id: c.id.clone(),
            description: c.description.clone(),
            kind: SourceKind::Cause,
            per_year,
            rate_per_hour: per_year / HOURS_PER_YEAR,
            duration: d,
            targets,
            hangs,
        });
    }
    for a in &mut archs {
        a.serves = new_index[a.serves];
    }
    for p in &mut policies {
        if let crate::model::PolicyTerms::Parametric { index, .. } = &mut p.terms {
            *index = new_index[*index];
        }
    }
    let model = Model {
        name: file.name.clone(),
        description: file.description.clone(),
        settings,
        components,
        sources,
        architectures: archs,
        drills,
        treaties,
        policies,
        service_levels: false,
        hours_clause,
        book: book::book(&mut ck, file),
    };
    // Its cost with the file's settings (tables: checked by each command).
    let over = crate::budget::check_with(&model, &model.settings, false);
    if over.is_empty() {
        Ok(model)
    } else {
        Err(over)
    }
}

fn settings(ck: &mut Checker, file: &ScenarioFile) -> Settings {
    let mut s = Settings::default();
    let Some(sim) = &file.simulation else {
        return s;
    };
    if let Some(h) = sim.horizon_hours {
        if ck.number("simulation", "horizon_hours", h, true) {
            s.horizon_hours = h;
        }
    }
    if let Some(t) = sim.trials {
        if t < 1 {
            ck.add("simulation", format!("trials = {t}; it must be at least 1"));
        } else {
            s.trials = t as u64;
        }
    }
    if let Some(seed) = sim.seed {
        if seed < 0 {
            ck.add("simulation", format!("seed = {seed}; it must be 0 or more"));
        } else {
            s.seed = seed as u64;
        }
    }
    s
}

fn unknown_component(
    id: &str,
    field: &str,
    comp_index: &HashMap<&str, usize>,
    file: &ScenarioFile,
) -> String {
    let is_cause = file.causes.iter().any(|c| c.id == id);
    if is_cause {
        format!(
            "{field} names \"{id}\", which is a cause, not a component; name a [[component]] id"
        )
    } else {
        let mut ids: Vec<&&str> = comp_index.keys().collect();
        ids.sort();
        let near = ids
            .iter()
            .map(|k| (distance(k, id), k))
            .filter(|(d, _)| *d <= 2)
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k);
        match near {
            Some(k) => format!("{field} names unknown component \"{id}\"; did you mean \"{k}\"?"),
            None => format!(
                "{field} names unknown component \"{id}\"; declare it as a [[component]] or fix the id"
            ),
        }
    }
}

/// Levenshtein edit distance (for "did you mean").
pub fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
