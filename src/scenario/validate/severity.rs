//! Checks the service-level fields: outage `severity` (a share or a
//! distribution over [0, 1]), per-hit severities in a cause's `hits`, and an
//! architecture's `down_below`.

use super::Checker;
use crate::model::Severity;
use crate::scenario::format::{SeverityDistSpec, SeveritySpec};

/// Builds a severity, reporting values outside [0, 1] and missing or stray
/// parameters; `None` (not given) is `default`.
pub(super) fn severity(
    ck: &mut Checker,
    place: &str,
    field: &str,
    spec: Option<&SeveritySpec>,
    default: Severity,
) -> Severity {
    match spec {
        None => default,
        Some(SeveritySpec::Share(s)) => {
            share(ck, place, field, *s).map_or(default, Severity::Fixed)
        }
        Some(SeveritySpec::Dist(d)) => dist(ck, place, field, d).unwrap_or(default),
    }
}

/// A share of requests in [0, 1].
fn share(ck: &mut Checker, place: &str, field: &str, s: f64) -> Option<f64> {
    if (0.0..=1.0).contains(&s) {
        Some(s)
    } else {
        ck.add(
            place,
            format!(
                "{field} is {s}; it is the share of requests that fail, between 0 and 1 (e.g. 0.9)"
            ),
        );
        None
    }
}

fn dist(ck: &mut Checker, place: &str, field: &str, d: &SeverityDistSpec) -> Option<Severity> {
    let given = [
        ("value", d.value),
        ("min", d.min),
        ("max", d.max),
        ("alpha", d.alpha),
        ("beta", d.beta),
    ];
    let takes: &[&str] = match d.dist.as_str() {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "beta" => &["alpha", "beta"],
        other => {
            ck.add(
                place,
                format!("{field}: unknown dist \"{other}\"; use fixed, uniform or beta"),
            );
            return None;
        }
    };
    let given = given.map(|(name, v)| (name, v.is_some()));
    if !super::duration::dist_params(ck, place, field, &d.dist, &given, takes) {
        return None;
    }
    let get = |v: Option<f64>| v.unwrap_or(f64::NAN);
    match d.dist.as_str() {
        "fixed" => share(ck, place, &format!("{field}.value"), get(d.value)).map(Severity::Fixed),
        "uniform" => {
            let min = share(ck, place, &format!("{field}.min"), get(d.min));
            let max = share(ck, place, &format!("{field}.max"), get(d.max));
            match (min, max) {
                (Some(min), Some(max)) if min <= max => Some(Severity::Uniform { min, max }),
                (Some(min), Some(max)) => {
                    ck.add(
                        place,
                        format!("{field}: min = {min} is above max = {max}; swap them"),
                    );
                    None
                }
                _ => None,
            }
        }
        _ => {
            let (alpha, beta) = (get(d.alpha), get(d.beta));
            let mut ok = true;
            for (name, v) in [("alpha", alpha), ("beta", beta)] {
                if !(v.is_finite() && v > 0.0) {
                    ck.add(
                        place,
                        format!("{field}.{name} is {v}; it must be a finite number greater than 0"),
                    );
                    ok = false;
                }
            }
            ok.then_some(Severity::Beta { alpha, beta })
        }
    }
}

/// An architecture's `down_below`: a service level in (0, 1]; default 1.
pub(super) fn down_below(ck: &mut Checker, place: &str, v: Option<f64>) -> f64 {
    match v {
        None => 1.0,
        Some(b) if b > 0.0 && b <= 1.0 => b,
        Some(b) => {
            ck.add(
                place,
                format!(
                    "down_below is {b}; it is the service level under which the architecture counts as down, \
                     greater than 0 and at most 1 (e.g. 0.5; 1 counts any lost service)"
                ),
            );
            1.0
        }
    }
}
