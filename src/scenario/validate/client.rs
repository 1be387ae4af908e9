//! Checks what a component's client does when a need fails (`detect_below`,
//! `detect_minutes`, `timeout_seconds`, `retries`, `failback_minutes`,
//! `sticky`, `weights`) and builds its [`Client`]; and an outage source's
//! `fails` (`"error"` or `"hang"`).

use super::Checker;
use crate::model::{Client, Mode};
use crate::scenario::format::ComponentSpec;
use crate::service::DETECT_BELOW;

/// The component's client; `mode` and `capacity` as already built.
pub(super) fn client(
    ck: &mut Checker,
    place: &str,
    c: &ComponentSpec,
    mode: Mode,
    capacity: &[f64],
) -> Client {
    let n = c.needs.as_ref().map_or(0, Vec::len);
    let failover = matches!(mode, Mode::Failover { .. });
    let routed = matches!(c.mode.as_deref(), Some("any" | "pool"));
    let allowed = |field: &str, ok: bool, modes: &str, ck: &mut Checker| {
        if !ok {
            ck.add(
                place,
                format!(
                    "{field} is set but mode is not {modes}; set such a mode or remove {field}"
                ),
            );
        }
    };
    let minutes = |field: &str, v: Option<f64>, ck: &mut Checker| -> f64 {
        let v = v.unwrap_or(0.0);
        if ck.number(place, field, v, false) {
            v
        } else {
            0.0
        }
    };
    let client_modes = "\"failover\", \"any\" or \"pool\"";
    for (field, given) in [
        ("detect_below", c.detect_below.is_some()),
        ("detect_minutes", c.detect_minutes.is_some()),
        ("timeout_seconds", c.timeout_seconds.is_some()),
        ("retries", c.retries.is_some()),
        ("failback_minutes", c.failback_minutes.is_some()),
    ] {
        if given {
            allowed(field, failover || routed, client_modes, ck);
        }
    }
    if c.sticky.is_some() {
        allowed("sticky", failover, "\"failover\"", ck);
    }
    if c.weights.is_some() {
        allowed("weights", routed, "\"any\" or \"pool\"", ck);
    }
    let detect_below = c.detect_below.unwrap_or(DETECT_BELOW);
    if !(detect_below > 0.0 && detect_below <= 1.0) {
        ck.add(
            place,
            format!(
                "detect_below is {detect_below}; it is the service level under which the client marks a need failed, \
                 greater than 0 and at most 1 (e.g. 0.5)"
            ),
        );
    }
    let detect = minutes("detect_minutes", c.detect_minutes, ck);
    let failback = minutes("failback_minutes", c.failback_minutes, ck);
    let timeout = minutes("timeout_seconds", c.timeout_seconds, ck);
    let retries = match c.retries {
        Some(r) if r < 0 => {
            ck.add(
                place,
                format!(
                    "retries is {r}; it is how many times the client re-sends a request, 0 or more"
                ),
            );
            0
        }
        r => r.unwrap_or(0),
    };
    let weights = match &c.weights {
        Some(w) if w.len() != n => {
            ck.add(
                place,
                format!(
                    "weights has {} entries but the component has {n} needs; give one share of traffic per need, in needs order",
                    w.len()
                ),
            );
            Vec::new()
        }
        Some(w) => {
            let ok = w.iter().enumerate().fold(true, |ok, (i, &x)| {
                ck.number(place, &format!("weights[{i}]"), x, true) & ok
            });
            if ok {
                let total: f64 = w.iter().sum();
                w.iter().map(|x| x / total).collect()
            } else {
                Vec::new()
            }
        }
        // Active-active by detection alone: equal shares, or by capacity in a pool.
        None if routed && detect > 0.0 && n > 0 => {
            if mode == Mode::Pool && capacity.iter().sum::<f64>() > 0.0 {
                let total: f64 = capacity.iter().sum();
                capacity.iter().map(|x| x / total).collect()
            } else {
                vec![1.0 / n as f64; n]
            }
        }
        None => Vec::new(),
    };
    Client {
        detect_below,
        detect_hours: if failover { 0.0 } else { detect / 60.0 },
        hang_hours: timeout * (retries as f64 + 1.0) / 3600.0,
        failback_hours: failback / 60.0,
        sticky: c.sticky.unwrap_or(false),
        weights,
    }
}

/// An outage source's `fails`: whether its outages hang (default: they error).
pub(super) fn fails(ck: &mut Checker, place: &str, field: &str, v: Option<&str>) -> bool {
    match v {
        None | Some("error") => false,
        Some("hang") => true,
        Some(other) => {
            ck.add(
                place,
                format!(
                    "{field} is \"{other}\"; use \"error\" (requests fail at once) or \"hang\" (they wait for the client's timeout)"
                ),
            );
            false
        }
    }
}
