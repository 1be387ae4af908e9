//! Checks how a component combines its needs (`mode` and the fields each
//! mode takes) and builds its [`Mode`].

use super::Checker;
use crate::model::Mode;
use crate::scenario::format::ComponentSpec;

/// Most needs a pool may have (its naive baseline enumerates their subsets).
pub const MAX_POOL: usize = 16;

/// The capacities of a pool's needs (every need must give one), or none
/// for other modes (where giving one is an error).
pub(super) fn capacities(
    ck: &mut Checker,
    place: &str,
    mode: Mode,
    given: &[Option<f64>],
) -> Vec<f64> {
    if mode == Mode::Pool {
        if given.iter().any(Option::is_none) {
            ck.add(
                place,
                "mode = \"pool\" needs a capacity on every need, the share of full demand it can carry, \
                 e.g. needs = [{ id = \"zone-a\", capacity = 0.5 }, { id = \"zone-b\", capacity = 0.5 }]",
            );
        }
        given.iter().map(|c| c.unwrap_or(0.0)).collect()
    } else {
        if given.iter().any(Option::is_some) {
            ck.add(
                place,
                "capacity is set on a need but mode is not \"pool\"; set mode = \"pool\" or remove capacity",
            );
        }
        Vec::new()
    }
}

/// The component's mode; problems are reported at `place`.
pub(super) fn mode(ck: &mut Checker, place: &str, c: &ComponentSpec) -> Mode {
    let n_needs = c.needs.as_ref().map_or(0, Vec::len);
    let mode = match (c.mode.as_deref(), n_needs) {
        (Some(m), 0) => {
            ck.add(
                place,
                format!("mode = \"{m}\" but the component has no needs; add needs or remove mode"),
            );
            Mode::All
        }
        (None | Some("all"), _) => Mode::All,
        (Some("any"), _) => Mode::Any,
        (Some("quorum"), n) => match c.quorum {
            None => {
                ck.add(
                    place,
                    format!("mode = \"quorum\" needs quorum = K with 1 <= K <= {n}"),
                );
                Mode::All
            }
            Some(k) if k < 1 || k as usize > n => {
                ck.add(
                    place,
                    format!("quorum = {k} is outside 1..={n} (the number of needs)"),
                );
                Mode::All
            }
            Some(k) => Mode::Quorum(k as usize),
        },
        (Some("pool"), n) if n > MAX_POOL => {
            ck.add(
                place,
                format!("mode = \"pool\" takes at most {MAX_POOL} needs, not {n}; group branches into sub-pools"),
            );
            Mode::All
        }
        (Some("pool"), _) => Mode::Pool,
        (Some("failover"), _) => {
            // switch_minutes is detection plus switch; detect_minutes alone is both.
            let minutes = c.switch_minutes.or(c.detect_minutes).unwrap_or(0.0);
            ck.number(place, "switch_minutes", minutes, false);
            if let (Some(s), Some(d)) = (c.switch_minutes, c.detect_minutes) {
                if s < d {
                    ck.add(
                        place,
                        format!(
                            "switch_minutes ({s}) is below detect_minutes ({d}); switch_minutes is detection plus switch, \
                             so give switch_minutes >= detect_minutes (or leave it out)"
                        ),
                    );
                }
            }
            Mode::Failover {
                switch_hours: minutes / 60.0,
                retry: c.retry.unwrap_or(false),
            }
        }
        (Some(other), _) => {
            ck.add(
                place,
                format!(
                    "unknown mode \"{other}\"; use \"all\", \"any\", \"quorum\", \"failover\" or \"pool\""
                ),
            );
            Mode::All
        }
    };
    if c.quorum.is_some() && !matches!(c.mode.as_deref(), Some("quorum")) {
        ck.add(
            place,
            "quorum is set but mode is not \"quorum\"; set mode = \"quorum\" or remove quorum",
        );
    }
    if c.retry.is_some() && !matches!(c.mode.as_deref(), Some("failover")) {
        ck.add(
            place,
            "retry is set but mode is not \"failover\"; set mode = \"failover\" or remove it",
        );
    }
    if c.switch_minutes.is_some() && !matches!(c.mode.as_deref(), Some("failover")) {
        ck.add(place, "switch_minutes is set but mode is not \"failover\"; set mode = \"failover\" or remove it");
    }
    mode
}
