//! Checks how a component combines its needs (`mode` and the fields each
//! mode takes) and builds its [`Mode`].

use super::Checker;
use crate::model::Mode;
use crate::scenario::format::ComponentSpec;

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
        (Some("failover"), _) => {
            let minutes = c.switch_minutes.unwrap_or(0.0);
            ck.number(place, "switch_minutes", minutes, false);
            Mode::Failover {
                switch_hours: minutes / 60.0,
            }
        }
        (Some(other), _) => {
            ck.add(
                place,
                format!(
                    "unknown mode \"{other}\"; use \"all\", \"any\", \"quorum\" or \"failover\""
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
    if c.switch_minutes.is_some() && !matches!(c.mode.as_deref(), Some("failover")) {
        ck.add(place, "switch_minutes is set but mode is not \"failover\"; set mode = \"failover\" or remove it");
    }
    mode
}
