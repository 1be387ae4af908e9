//! Checks a parsed scenario and compiles it into a [`Model`]: ids resolved to
//! indices, components sorted so needs come first, distributions built.
//! Every problem is collected, so one run of `validate` lists them all.

use super::format::{DurationSpec, HoursSpec, ScenarioFile};
use super::Problem;
use crate::dist::Duration;
use crate::model::{
    Architecture, Component, Drill, Loss, Mode, Model, Settings, Severity, Source, SourceKind,
    Target,
    HOURS_PER_YEAR,
};
use std::collections::{BTreeMap, HashMap};

mod policy;
mod severity;

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
    let mut own: Vec<Option<(f64, Duration, Severity)>> = Vec::with_capacity(file.components.len());
    for c in &file.components {
        let place = format!("component \"{}\"", c.id);
        let mut needs = Vec::new();
        for n in c.needs.iter().flatten() {
            match known(n) {
                Some(i) if needs.contains(&i) => ck.add(
                    &place,
                    format!("needs lists \"{n}\" twice; list each component once"),
                ),
                Some(i) if file.components[i].id == c.id => {
                    ck.add(&place, "needs lists the component itself; remove it")
                }
                Some(i) => needs.push(i),
                None if comp_index.is_empty() => {}
                None => ck.add(&place, unknown_component(n, "needs", &comp_index, file)),
            }
        }
        let n_needs = c.needs.as_ref().map_or(0, Vec::len);
        let mode = match (c.mode.as_deref(), n_needs) {
            (Some(m), 0) => {
                ck.add(
                    &place,
                    format!(
                        "mode = \"{m}\" but the component has no needs; add needs or remove mode"
                    ),
                );
                Mode::All
            }
            (None | Some("all"), _) => Mode::All,
            (Some("any"), _) => Mode::Any,
            (Some("quorum"), n) => match c.quorum {
                None => {
                    ck.add(
                        &place,
                        format!("mode = \"quorum\" needs quorum = K with 1 <= K <= {n}"),
                    );
                    Mode::All
                }
                Some(k) if k < 1 || k as usize > n => {
                    ck.add(
                        &place,
                        format!("quorum = {k} is outside 1..={n} (the number of needs)"),
                    );
                    Mode::All
                }
                Some(k) => Mode::Quorum(k as usize),
            },
            (Some("failover"), _) => {
                let minutes = c.switch_minutes.unwrap_or(0.0);
                ck.number(&place, "switch_minutes", minutes, false);
                Mode::Failover {
                    switch_hours: minutes / 60.0,
                }
            }
            (Some(other), _) => {
                ck.add(&place, format!("unknown mode \"{other}\"; use \"all\", \"any\", \"quorum\" or \"failover\""));
                Mode::All
            }
        };
        if c.quorum.is_some() && !matches!(c.mode.as_deref(), Some("quorum")) {
            ck.add(
                &place,
                "quorum is set but mode is not \"quorum\"; set mode = \"quorum\" or remove quorum",
            );
        }
        if c.switch_minutes.is_some() && !matches!(c.mode.as_deref(), Some("failover")) {
            ck.add(&place, "switch_minutes is set but mode is not \"failover\"; set mode = \"failover\" or remove it");
        }
        let outages = c.outages.as_ref().and_then(|o| {
            let ok = ck.number(&place, "outages.per_year", o.per_year, false);
            let d = duration(&mut ck, &place, "outages.duration", &o.duration);
            let sev = severity::severity(
                &mut ck,
                &place,
                "outages.severity",
                o.severity.as_ref(),
                Severity::Fixed(1.0),
            );
            if ok {
                d.map(|d| (o.per_year, d, sev))
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
            own_source: None,
            provider: c.provider.clone(),
            jurisdiction: c.jurisdiction.clone(),
        });
    }

    // Causes.
    let mut causes = Vec::new();
    for c in &file.causes {
        let place = format!("cause \"{}\"", c.id);
        let rate_ok = ck.number(&place, "per_year", c.per_year, false);
        let d = duration(&mut ck, &place, "duration", &c.duration);
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
            causes.push((c, d, targets));
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
        });
    }

    let drills = drills(&mut ck, file);
    // Policies (component indices in file order until remapped below).
    let serves: Vec<Option<usize>> = file
        .architectures
        .iter()
        .map(|a| known(&a.serves))
        .collect();
    let mut policies = policy::policies(&mut ck, file, &comp_index, &serves);

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
        if let Some((per_year, d, severity)) = own[old].take() {
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
            });
        }
    }
    for (c, d, targets) in causes {
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
            per_year: c.per_year,
            rate_per_hour: c.per_year / HOURS_PER_YEAR,
            duration: d,
            targets,
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
    Ok(Model {
        name: file.name.clone(),
        description: file.description.clone(),
        settings,
        components,
        sources,
        architectures: archs,
        drills,
        policies,
    })
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

/// Kahn's algorithm taking ready components in file order; on a cycle,
/// returns the components on one cycle, in need order.
fn topological_order(comps: &[Component]) -> Result<Vec<usize>, Vec<usize>> {
    let n = comps.len();
    let mut indegree: Vec<usize> = comps.iter().map(|c| c.needs.len()).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in comps.iter().enumerate() {
        for &d in &c.needs {
            users[d].push(i);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &u in &users[i] {
            indegree[u] -= 1;
            if indegree[u] == 0 {
                ready.insert(u);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Walk needs among the remaining components until one repeats.
    let remaining: Vec<bool> = (0..n).map(|i| indegree[i] > 0).collect();
    let start = (0..n).find(|&i| remaining[i]).expect("a cycle exists");
    let mut path = vec![start];
    let mut pos: BTreeMap<usize, usize> = BTreeMap::from([(start, 0)]);
    let mut cur = start;
    loop {
        let next = *comps[cur]
            .needs
            .iter()
            .find(|&&d| remaining[d])
            .expect("on a cycle");
        if let Some(&p) = pos.get(&next) {
            return Err(path[p..].to_vec());
        }
        pos.insert(next, path.len());
        path.push(next);
        cur = next;
    }
}

/// Builds a duration distribution, reporting missing or stray parameters.
fn duration(ck: &mut Checker, place: &str, field: &str, d: &DurationSpec) -> Option<Duration> {
    let given: Vec<(&str, bool)> = vec![
        ("hours", d.hours.is_some()),
        ("mean_hours", d.mean_hours.is_some()),
        ("median_hours", d.median_hours.is_some()),
        ("p95_hours", d.p95_hours.is_some()),
        ("shape", d.shape.is_some()),
        ("scale_hours", d.scale_hours.is_some()),
        ("min_hours", d.min_hours.is_some()),
        ("max_hours", d.max_hours.is_some()),
    ];
    let takes: &[&str] = match d.dist.as_str() {
        "fixed" => &["hours"],
        "exponential" => &["mean_hours"],
        "lognormal" => &["median_hours", "p95_hours"],
        "weibull" => &["shape", "scale_hours"],
        "uniform" => &["min_hours", "max_hours"],
        "empirical" => &["hours"],
        other => {
            ck.add(
                place,
                format!("{field}: unknown dist \"{other}\"; use fixed, exponential, lognormal, weibull, uniform or empirical"),
            );
            return None;
        }
    };
    let before = ck.problems.len();
    for (name, present) in &given {
        if *present && !takes.contains(name) {
            ck.add(
                place,
                format!(
                    "{field}: dist \"{}\" does not take {name}; it takes {}",
                    d.dist,
                    takes.join(" and ")
                ),
            );
        } else if !*present && takes.contains(name) {
            ck.add(
                place,
                format!(
                    "{field}: dist \"{}\" needs {name} (it takes {})",
                    d.dist,
                    takes.join(" and ")
                ),
            );
        }
    }
    if ck.problems.len() > before {
        return None;
    }
    let mut pos = |name: &str, v: Option<f64>| {
        ck.number(place, &format!("{field}.{name}"), v.unwrap_or(0.0), true)
    };
    let out = match d.dist.as_str() {
        "fixed" => match &d.hours {
            Some(HoursSpec::One(h)) => pos("hours", Some(*h)).then(|| Duration::fixed(*h)),
            _ => {
                ck.add(
                    place,
                    format!("{field}: dist \"fixed\" takes one number, hours = H"),
                );
                None
            }
        },
        "exponential" => {
            pos("mean_hours", d.mean_hours).then(|| Duration::exponential(d.mean_hours.unwrap()))
        }
        "lognormal" => {
            let (m, p) = (d.median_hours.unwrap(), d.p95_hours.unwrap());
            let ok = pos("median_hours", Some(m)) & pos("p95_hours", Some(p));
            if ok && p <= m {
                ck.add(
                    place,
                    format!("{field}: p95_hours ({p}) must be above median_hours ({m})"),
                );
                None
            } else {
                ok.then(|| Duration::lognormal(m, p))
            }
        }
        "weibull" => {
            let ok = pos("shape", d.shape) & pos("scale_hours", d.scale_hours);
            ok.then(|| Duration::weibull(d.shape.unwrap(), d.scale_hours.unwrap()))
        }
        "uniform" => {
            let (lo, hi) = (d.min_hours.unwrap(), d.max_hours.unwrap());
            let ok = ck.number(place, &format!("{field}.min_hours"), lo, false)
                & ck.number(place, &format!("{field}.max_hours"), hi, true);
            if ok && hi < lo {
                ck.add(
                    place,
                    format!("{field}: max_hours ({hi}) is below min_hours ({lo})"),
                );
                None
            } else {
                ok.then(|| Duration::uniform(lo, hi))
            }
        }
        "empirical" => match &d.hours {
            Some(HoursSpec::Many(list)) if list.is_empty() => {
                ck.add(place, format!("{field}: empirical hours list is empty; give observed durations, e.g. hours = [1.5, 4, 7.5]"));
                None
            }
            Some(HoursSpec::Many(list)) => {
                let mut ok = true;
                for (i, &h) in list.iter().enumerate() {
                    ok &= ck.number(place, &format!("{field}.hours[{i}]"), h, false);
                }
                if ok && list.iter().sum::<f64>() <= 0.0 {
                    ck.add(place, format!("{field}: every empirical duration is 0; give at least one positive duration"));
                    ok = false;
                }
                ok.then(|| Duration::empirical(list.clone()))
            }
            _ => {
                ck.add(
                    place,
                    format!("{field}: dist \"empirical\" takes a list, hours = [h1, h2, ...]"),
                );
                None
            }
        },
        _ => unreachable!("checked above"),
    };
    out
}

/// Checks the `[[drill]]` entries: ids, the causes/components they force, hours.
fn drills(ck: &mut Checker, file: &ScenarioFile) -> Vec<Drill> {
    let mut ids: HashMap<&str, ()> = HashMap::new();
    let mut out = Vec::new();
    for d in &file.drills {
        let place = format!("drill \"{}\"", d.id);
        if !valid_id(&d.id) {
            ck.add(
                &place,
                "id must match [a-z0-9][a-z0-9_.-]* (lower-case letters, digits, '_', '.', '-')",
            );
        }
        if ids.insert(&d.id, ()).is_some() {
            ck.add(
                &place,
                "id is already used by another drill; ids must be unique",
            );
        }
        let names = ["causes", "hours", "at_hours"];
        for message in drill_problems(file, &d.causes, d.hours, d.at_hours, names) {
            ck.add(&place, message);
        }
        out.push(Drill {
            id: d.id.clone(),
            description: d.description.clone(),
            causes: d.causes.clone(),
            hours: d.hours,
            at_hours: d.at_hours,
            source: d.source.clone(),
        });
    }
    out
}

/// What is wrong with a drill: the ids it forces down (each a declared cause
/// or component, listed once), its length (> 0) and start (>= 0). `names`
/// are the words for these three in the messages: `["causes", "hours",
/// "at_hours"]` in a file, the flags on the command line.
pub fn drill_problems(
    file: &ScenarioFile,
    causes: &[String],
    hours: f64,
    at_hours: Option<f64>,
    names: [&str; 3],
) -> Vec<String> {
    let mut ck = Checker {
        problems: Vec::new(),
    };
    let [causes_name, hours_name, at_name] = names;
    if causes.is_empty() {
        ck.add(
            "",
            format!("{causes_name} is empty; list the causes or components to force down, e.g. [\"aws-us-east-1\"]"),
        );
    }
    for (i, id) in causes.iter().enumerate() {
        if causes[..i].contains(id) {
            ck.add(
                "",
                format!("{causes_name} lists \"{id}\" twice; list each once"),
            );
        } else if let Some(message) = unknown_cause_or_component(file, id) {
            ck.add("", format!("{causes_name} {message}"));
        }
    }
    ck.number("", hours_name, hours, true);
    if let Some(at) = at_hours {
        ck.number("", at_name, at, false);
    }
    ck.problems.into_iter().map(|p| p.message).collect()
}

/// `None` when `id` is a declared cause or component; otherwise the complaint
/// ("names unknown cause or component ..."), with a near spelling if there is one.
pub fn unknown_cause_or_component(file: &ScenarioFile, id: &str) -> Option<String> {
    let declared = file
        .components
        .iter()
        .map(|c| c.id.as_str())
        .chain(file.causes.iter().map(|c| c.id.as_str()));
    let mut near: Option<(usize, &str)> = None;
    for k in declared {
        if k == id {
            return None;
        }
        let d = distance(k, id);
        if d <= 2 && near.is_none_or(|best| (d, k) < best) {
            near = Some((d, k));
        }
    }
    Some(match near {
        Some((_, k)) => format!("names unknown cause or component \"{id}\"; did you mean \"{k}\"?"),
        None => format!(
            "names unknown cause or component \"{id}\"; name a [[cause]] or [[component]] id"
        ),
    })
}
