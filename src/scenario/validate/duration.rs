//! Checks a `duration = { dist = ..., ... }` table and builds the
//! distribution: the parameters each `dist` takes, and their ranges.

use super::Checker;
use crate::capped::Capped;
use crate::dist::Duration;
use crate::scenario::format::{DurationSpec, HoursSpec};

/// Builds a duration distribution, reporting missing or stray parameters;
/// `max_hours` caps any `dist` (for `uniform` it is the upper bound).
pub(super) fn duration(
    ck: &mut Checker,
    place: &str,
    field: &str,
    d: &DurationSpec,
) -> Option<Capped> {
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
    let cap = d.dist != "uniform" && d.max_hours.is_some();
    let given: Vec<(&str, bool)> = given
        .into_iter()
        .filter(|&(name, _)| !(cap && name == "max_hours"))
        .collect();
    if !dist_params(ck, place, field, &d.dist, &given, takes) {
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
            if pos("mean_hours", d.mean_hours) {
                built(
                    ck,
                    place,
                    field,
                    Duration::try_exponential(d.mean_hours.unwrap()),
                )
            } else {
                None
            }
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
                ok.then(|| built(ck, place, field, Duration::try_lognormal(m, p)))
                    .flatten()
            }
        }
        "weibull" => {
            let ok = pos("shape", d.shape) & pos("scale_hours", d.scale_hours);
            ok.then(|| {
                let t = Duration::try_weibull(d.shape.unwrap(), d.scale_hours.unwrap());
                built(ck, place, field, t)
            })
            .flatten()
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
    let max = if cap {
        let c = d.max_hours.unwrap_or(0.0);
        if !ck.number(place, &format!("{field}.max_hours"), c, true) {
            return None;
        }
        Some(c)
    } else {
        None
    };
    out.map(|o| Capped::new(o, max))
}

/// The distribution, or its construction error as a problem.
fn built(
    ck: &mut Checker,
    place: &str,
    field: &str,
    d: Result<Duration, String>,
) -> Option<Duration> {
    d.map_err(|e| ck.add(place, format!("{field}: {e}"))).ok()
}

/// `per_year` and `duration`, which a scenario must give unless `use`
/// (expanded before validation, see [`crate::catalogue::scenario`]) filled them.
pub(super) fn required<'a>(
    ck: &mut Checker,
    place: &str,
    prefix: &str,
    per_year: Option<f64>,
    duration: &'a Option<DurationSpec>,
) -> Option<(f64, &'a DurationSpec)> {
    for (field, missing) in [
        ("per_year", per_year.is_none()),
        ("duration", duration.is_none()),
    ] {
        if missing {
            ck.add(
                place,
                format!("missing field `{prefix}{field}`; give it, or take it from the incident catalogue with use = \"CLASS\" (`fateshare catalogue` lists the classes)"),
            );
        }
    }
    Some((per_year?, duration.as_ref()?))
}

/// Reports the parameters (name, given) a `dist` does not take and those it
/// needs but lacks; returns whether there was none.
pub(super) fn dist_params(
    ck: &mut Checker,
    place: &str,
    field: &str,
    dist: &str,
    given: &[(&str, bool)],
    takes: &[&str],
) -> bool {
    let before = ck.problems.len();
    let list = takes.join(" and ");
    for &(name, present) in given {
        if present && !takes.contains(&name) {
            ck.add(
                place,
                format!("{field}: dist \"{dist}\" does not take {name}; it takes {list}"),
            );
        } else if !present && takes.contains(&name) {
            ck.add(
                place,
                format!("{field}: dist \"{dist}\" needs {name} (it takes {list})"),
            );
        }
    }
    ck.problems.len() == before
}
