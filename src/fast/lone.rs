//! What one lone event `[s, e)` does to each needed component, worked out
//! once per (source, hit pattern) from the model alone: up throughout, down
//! for exactly `[s, e)`, or down for a part of it that depends on the
//! event's length in a way known in advance — cut by a failover's switch
//! time, or started late by a ride-through. Anything else is "complex" and
//! goes to the full algebra.
//!
//! Each rule states what the full algebra ([`crate::timeline`], through
//! [`crate::evaluate::Timelines::combine`]) computes for those inputs, with
//! the same floating-point operations, so the intervals are bit for bit the
//! same (tests/fast_path.rs compares the two on random graphs):
//!
//! - Every timeline under one event lies inside `[s, e)`: a component that
//!   the event hits is down for exactly `[s, e)` whatever its needs do.
//! - Ride-through of `t` hours on a need down for `[s, e)`: `[s + t, e)` when
//!   `e − s > t`, else nothing ([`crate::timeline::ride_through`]).
//! - Failover with switch time `w > 0` whose first need is down for exactly
//!   `[s, e)` while the others are up: `[s, s + w)` when `s + w < e`, else
//!   `[s, e)` ([`crate::timeline::failover`]).
//! - Threshold modes (down while at least `m` needs are down: `all` m = 1,
//!   `any`/retrying or instant failover m = n, quorum, pool): with `m` needs
//!   down for `[s, e)` the component is down for `[s, e)` (every other
//!   timeline lies inside it); with `m − 1` of them and one more need down
//!   for some `X ⊆ [s, e)`, it is down for exactly `X`; with `m = 1` and
//!   every need that is down cut by a switch, for the longest cut.

use crate::model::{Component, Mode, Model};
use crate::timeline::Interval;

/// A needed component's state under one lone event `[s, e)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum State {
    Up,
    /// Down for exactly `[s, e)`.
    Down,
    /// Down for `[s, s + w)` when `s + w < e`, else `[s, e)`.
    Cut(f64),
    /// Down for `[s + t, e)` when `e − s > t`, else up.
    Late(f64),
    /// Down for some other part of `[s, e)`.
    Complex,
}

/// How a watched component goes down under a lone event of a known pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Down,
    Cut(f64),
    Late(f64),
}

impl Kind {
    /// The component's down interval under the event `[s, e)`, if any.
    #[inline]
    pub(crate) fn interval(self, s: f64, e: f64) -> Option<Interval> {
        match self {
            Kind::Down => Some(Interval::new(s, e)),
            Kind::Cut(w) => {
                let deadline = s + w;
                Some(Interval::new(s, if deadline < e { deadline } else { e }))
            }
            Kind::Late(t) => (e - s > t).then(|| Interval::new(s + t, e)),
        }
    }
}

/// The states of the `needed` components (ascending: needs first) under one
/// event hitting `hits`, into `states` (indexed like `Model::components`),
/// and into `reached` whether the event hits the component or something it
/// depends on (whatever the state: an `any` pair with one side hit is
/// reached but up).
pub(crate) fn propagate(
    model: &Model,
    needed: &[usize],
    hits: &[u32],
    states: &mut [State],
    reached: &mut [bool],
) {
    for &c in needed {
        states[c] = State::Up;
        reached[c] = false;
    }
    for &c in hits {
        states[c as usize] = State::Down;
        reached[c as usize] = true;
    }
    // Needs come before the components that need them: nothing before the
    // lowest component hit is reached.
    let lowest = hits.iter().min().map_or(usize::MAX, |&c| c as usize);
    let from = needed.partition_point(|&c| c < lowest);
    for &c in &needed[from..] {
        let comp = &model.components[c];
        if comp.needs.iter().any(|&d| reached[d]) {
            reached[c] = true;
        }
        // Not reached: every need up, so the component is up (as `combine`
        // finds); hit: down throughout.
        if !reached[c] || states[c] == State::Down {
            continue;
        }
        states[c] = combine(comp, states);
    }
}

/// A need's state as the component sees it, after its ride-through.
fn seen(state: State, tolerate: f64) -> State {
    match state {
        State::Up => State::Up,
        _ if tolerate <= 0.0 => state,
        State::Down => State::Late(tolerate),
        _ => State::Complex,
    }
}

/// One component's state from its needs' (it is not hit itself).
fn combine(comp: &Component, states: &[State]) -> State {
    let n = comp.needs.len();
    let need = |k: usize| seen(states[comp.needs[k]], comp.tolerate_hours[k]);
    let threshold = match comp.mode {
        Mode::All => 1,
        Mode::Any | Mode::Failover { retry: true, .. } => n,
        Mode::Quorum(k) => (n + 1).saturating_sub(k),
        Mode::Failover { switch_hours, .. } => {
            let first = need(0);
            if first == State::Up {
                // Served from the first need throughout.
                return State::Up;
            }
            if switch_hours > 0.0 {
                let others_up = (1..n).all(|k| need(k) == State::Up);
                return if first == State::Down && n >= 2 && others_up {
                    State::Cut(switch_hours)
                } else if (0..n).all(|k| need(k) == State::Down) {
                    State::Down
                } else {
                    State::Complex
                };
            }
            n
        }
        Mode::Pool => comp.pool_cut().max(1),
    };
    let (mut down, mut other, mut last) = (0usize, 0usize, State::Up);
    let (mut all_cut, mut longest) = (true, 0.0f64);
    for k in 0..n {
        match need(k) {
            State::Up => {}
            State::Down => down += 1,
            s => {
                other += 1;
                last = s;
                match s {
                    State::Cut(w) => longest = longest.max(w),
                    _ => all_cut = false,
                }
            }
        }
    }
    if down + other < threshold {
        State::Up
    } else if down >= threshold {
        State::Down
    } else if other == 1 && down + 1 == threshold && last != State::Complex {
        last
    } else if threshold == 1 && all_cut {
        State::Cut(longest)
    } else {
        State::Complex
    }
}
