//! Service levels: the share of requests a component serves at each instant,
//! in [0, 1], for scenarios with partial outages (a `severity` below 1).
//! A level timeline is a sorted list of disjoint segments of constant level
//! below 1 (full service in the gaps). Overlapping outages of one component
//! combine as independent request failures (level = Π(1 − severity_i)), and
//! needs combine by the component's mode: `all` = Π levels, `any` =
//! 1 − Π(1 − level), `quorum = k` = P(at least k of n answer) (Poisson-binomial),
//! `failover` serves from the need in use, whose level it passes on, and
//! leaves a need once its level falls below its `detect_below` (default
//! [`DETECT_BELOW`]), re-sending failed requests to the others with `retry`.
//! Scenarios whose outages are all complete never come here: their levels
//! are 0 or 1 and the binary interval algebra of [`crate::timeline`] is exact.
//! Every operation writes into caller-owned buffers.

use crate::evaluate::Outcome;
use crate::model::{Architecture, Component, Mode};
use crate::timeline::{push_merged, Interval};

/// By default a failover client marks a need failed while its level is below
/// this (a partial failure above it is never detected: its lost requests are
/// lost, unless the client retries them elsewhere).
pub const DETECT_BELOW: f64 = 0.5;

/// `[start, end)` at service level `level` (< 1); `hang`: the failed
/// requests wait for the client's timeout rather than fail at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seg {
    pub start: f64,
    pub end: f64,
    pub level: f64,
    pub hang: bool,
}

/// One outage's contribution to a component's own level: `[start, end)`
/// serving `factor` = 1 − severity of requests; `hang` as in [`Seg`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub start: f64,
    pub end: f64,
    pub factor: f64,
    pub hang: bool,
}

/// Appends a segment to a level timeline built in order, joining it to the
/// last one when they touch at the same level; drops empty and full ones.
#[inline]
pub fn push_seg(out: &mut Vec<Seg>, seg: Seg) {
    if seg.end <= seg.start || seg.level >= 1.0 {
        return;
    }
    match out.last_mut() {
        Some(last) if last.end == seg.start && last.level == seg.level && last.hang == seg.hang => {
            last.end = seg.end
        }
        _ => out.push(seg),
    }
}

/// A change of one input's level at an instant (`start` orders a segment's
/// start after another's end at the same instant).
#[derive(Debug, Clone, Copy)]
struct Change {
    time: f64,
    input: u32,
    start: bool,
    level: f64,
    hang: bool,
}

/// Reusable buffers.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    changes: Vec<Change>,
    active: Vec<(f64, bool)>,
    levels: Vec<f64>,
    hangs: Vec<bool>,
    dp: Vec<f64>,
    client: crate::client::State,
}

/// `out` = the level timeline of overlapping pieces: Π factors of those
/// active, hanging while any of them hangs.
pub fn own_levels(pieces: &[Piece], scratch: &mut Scratch, out: &mut Vec<Seg>) {
    out.clear();
    let ch = &mut scratch.changes;
    ch.clear();
    for p in pieces.iter().filter(|p| p.end > p.start) {
        ch.push(Change {
            time: p.start,
            input: 0,
            start: true,
            level: p.factor,
            hang: p.hang,
        });
        ch.push(Change {
            time: p.end,
            input: 0,
            start: false,
            level: p.factor,
            hang: p.hang,
        });
    }
    ch.sort_unstable_by(|a, b| a.time.total_cmp(&b.time));
    let active = &mut scratch.active;
    active.clear();
    let (mut cur, mut since) = ((1.0, false), 0.0);
    let mut i = 0;
    while i < ch.len() {
        let t = ch[i].time;
        while i < ch.len() && ch[i].time == t {
            let key = (ch[i].level, ch[i].hang);
            if ch[i].start {
                active.push(key);
            } else if let Some(k) = active.iter().position(|&f| f == key) {
                active.swap_remove(k);
            }
            i += 1;
        }
        let level = active.iter().map(|a| a.0).product::<f64>();
        let now = (level, level < 1.0 && active.iter().any(|a| a.1));
        if now != cur {
            push_seg(out, Seg::with_hang(since, t, cur.0, cur.1));
            (cur, since) = (now, t);
        }
    }
}

impl Seg {
    pub fn new(start: f64, end: f64, level: f64) -> Self {
        Self::with_hang(start, end, level, false)
    }

    pub fn with_hang(start: f64, end: f64, level: f64, hang: bool) -> Self {
        Seg {
            start,
            end,
            level,
            hang,
        }
    }
}

/// `out` = own level × the levels of the component's needs (`need(k)` is the
/// timeline of its k-th need) combined by its mode, through its client
/// ([`crate::client`]) for failover and active-active. The result hangs
/// while its own level hangs or a need it waits on does.
pub fn combine<'a>(
    own: &'a [Seg],
    comp: &Component,
    need: impl Fn(usize) -> &'a [Seg],
    scratch: &mut Scratch,
    out: &mut Vec<Seg>,
) {
    out.clear();
    let (mode, n) = (comp.mode, comp.needs.len());
    let ch = &mut scratch.changes;
    ch.clear();
    let inputs = std::iter::once(own).chain((0..n).map(need));
    for (k, list) in inputs.enumerate() {
        for s in list {
            let input = k as u32;
            ch.push(Change {
                time: s.start,
                input,
                start: true,
                level: s.level,
                hang: s.hang,
            });
            ch.push(Change {
                time: s.end,
                input,
                start: false,
                level: 1.0,
                hang: false,
            });
        }
    }
    ch.sort_unstable_by(|a, b| {
        (a.time.total_cmp(&b.time))
            .then(a.input.cmp(&b.input))
            .then(a.start.cmp(&b.start))
    });
    let (lv, hg) = (&mut scratch.levels, &mut scratch.hangs);
    lv.clear();
    lv.resize(n + 1, 1.0);
    hg.clear();
    hg.resize(n + 1, false);
    let client = &mut scratch.client;
    let routed = comp.client.active_active() || matches!(mode, Mode::Failover { .. });
    client.reset(n);
    let (mut cur, mut since) = ((1.0, false), 0.0);
    let mut i = 0;
    loop {
        let next = ch.get(i).map_or(f64::INFINITY, |c| c.time);
        let deadline = if routed {
            client.next_deadline(comp)
        } else {
            f64::INFINITY
        };
        // A client deadline strictly before the next change happens first.
        let t = if deadline < next {
            deadline
        } else if i < ch.len() {
            while i < ch.len() && ch[i].time == next {
                let k = ch[i].input as usize;
                (lv[k], hg[k]) = (ch[i].level, ch[i].hang);
                i += 1;
            }
            next
        } else {
            break;
        };
        let (needs, hangs) = (&lv[1..], &hg[1..]);
        let (level, hang) = if routed {
            client.step(t, comp, needs, hangs);
            client.serving(comp, needs, hangs)
        } else {
            let waits = || needs.iter().zip(hangs).any(|(&l, &h)| h && l < 1.0);
            let level = match mode {
                Mode::All => needs.iter().product(),
                Mode::Any => 1.0 - needs.iter().map(|l| 1.0 - l).product::<f64>(),
                Mode::Quorum(k) => at_least(needs, k, &mut scratch.dp),
                Mode::Pool => needs
                    .iter()
                    .zip(&comp.capacity)
                    .map(|(l, c)| l * c)
                    .sum::<f64>()
                    .min(1.0),
                Mode::Failover { .. } => unreachable!("routed"),
            };
            (level, level < 1.0 && waits())
        };
        let level = lv[0] * level;
        let now = (level, level < 1.0 && (hang || (hg[0] && lv[0] < 1.0)));
        if now != cur {
            push_seg(out, Seg::with_hang(since, t, cur.0, cur.1));
            (cur, since) = (now, t);
        }
    }
}

/// P(at least `k` of independent branches with these success probabilities
/// succeed): the Poisson-binomial tail, by dynamic programming.
pub fn at_least(levels: &[f64], k: usize, dp: &mut Vec<f64>) -> f64 {
    dp.clear();
    dp.resize(levels.len() + 1, 0.0);
    dp[0] = 1.0;
    for (n, &p) in levels.iter().enumerate() {
        for j in (1..=n + 1).rev() {
            dp[j] = dp[j] * (1.0 - p) + dp[j - 1] * p;
        }
        dp[0] *= 1.0 - p;
    }
    dp[k.min(levels.len())..].iter().sum::<f64>().min(1.0)
}

/// `out` = a need's level timeline as its user sees it with a ride-through
/// of `tolerance` hours: an episode below full service (a maximal run of
/// touching segments) no longer than the tolerance is dropped; a longer one
/// reaches the user from `tolerance` after its start until it ends.
pub fn ride_through(levels: &[Seg], tolerance: f64, out: &mut Vec<Seg>) {
    out.clear();
    let mut i = 0;
    while i < levels.len() {
        let start = levels[i].start;
        let mut j = i + 1;
        while j < levels.len() && levels[j].start == levels[j - 1].end {
            j += 1;
        }
        let from = start + tolerance;
        if levels[j - 1].end > from {
            for s in &levels[i..j] {
                push_seg(
                    out,
                    Seg {
                        start: s.start.max(from),
                        ..*s
                    },
                );
            }
        }
        i = j;
    }
}

/// `out` = the stretches of a level timeline below full service.
pub fn below_full(levels: &[Seg], out: &mut Vec<Interval>) {
    out.clear();
    for s in levels {
        push_merged(out, Interval::new(s.start, s.end));
    }
}

/// One outage of an architecture: a maximal stretch below its `down_below`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outage {
    pub start: f64,
    pub end: f64,
    /// ∫(1 − level) over the whole outage.
    pub unserved_hours: f64,
}

/// The outages (maximal stretches below `down_below`) of a level timeline, in order.
pub fn outages(levels: &[Seg], down_below: f64) -> impl Iterator<Item = Outage> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < levels.len() && levels[i].level >= down_below {
            i += 1;
        }
        let first = levels.get(i)?;
        let mut o = Outage {
            start: first.start,
            end: first.start,
            unserved_hours: 0.0,
        };
        while i < levels.len() && levels[i].level < down_below && levels[i].start == o.end {
            o.end = levels[i].end;
            o.unserved_hours += (1.0 - levels[i].level) * (levels[i].end - levels[i].start);
            i += 1;
        }
        Some(o)
    })
}

/// The outcome of an architecture over `[0, horizon)` from its served
/// component's level timeline.
pub fn outcome(levels: &[Seg], arch: &Architecture, horizon: f64) -> Outcome {
    let b = arch.down_below;
    let mut o = Outcome::default();
    for s in levels.iter().take_while(|s| s.start < horizon) {
        let inside = (s.end.min(horizon) - s.start.max(0.0)).max(0.0);
        o.unserved_hours += (1.0 - s.level) * inside;
        if s.level < b {
            o.downtime_hours += inside;
        } else {
            o.degraded_hours += inside;
        }
    }
    for out in outages(levels, b).take_while(|x| x.start < horizon) {
        if out.start < 0.0 {
            continue;
        }
        let d = out.end - out.start;
        o.outages += 1;
        o.longest_outage_hours = o.longest_outage_hours.max(d);
        let loss = arch
            .loss
            .map_or(0.0, |l| l.of_partial(d, out.unserved_hours));
        o.loss += loss;
        o.largest_outage_loss = o.largest_outage_loss.max(loss);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(s: f64, e: f64, l: f64) -> Seg {
        Seg::new(s, e, l)
    }

    /// `out` = the needs in `done` combined by `mode` (no own outages).
    fn run(done: &[Vec<Seg>], mode: Mode, capacity: &[f64], out: &mut Vec<Seg>) {
        let comp = Component {
            id: "c".into(),
            description: None,
            needs: (0..done.len()).collect(),
            mode,
            tolerate_hours: vec![0.0; done.len()],
            capacity: capacity.to_vec(),
            client: Default::default(),
            own_source: None,
            provider: None,
            jurisdiction: None,
        };
        combine(&[], &comp, |k| &done[k], &mut Scratch::default(), out);
    }

    #[test]
    fn overlapping_outages_multiply() {
        let pieces = [
            Piece {
                start: 0.0,
                end: 4.0,
                factor: 0.5,
                hang: false,
            },
            Piece {
                start: 2.0,
                end: 6.0,
                factor: 0.4,
                hang: true,
            },
        ];
        let mut out = Vec::new();
        own_levels(&pieces, &mut Scratch::default(), &mut out);
        assert_eq!(
            out,
            vec![
                seg(0.0, 2.0, 0.5),
                Seg::with_hang(2.0, 4.0, 0.2, true),
                Seg::with_hang(4.0, 6.0, 0.4, true)
            ]
        );
    }

    #[test]
    fn compositions() {
        let done = vec![vec![seg(0.0, 2.0, 0.5)], vec![seg(1.0, 3.0, 0.0)], vec![]];
        let mut out = Vec::new();
        run(&done[..2], Mode::All, &[], &mut out);
        assert_eq!(out, vec![seg(0.0, 1.0, 0.5), seg(1.0, 3.0, 0.0)]);
        run(&done[..2], Mode::Any, &[], &mut out);
        assert_eq!(out, vec![seg(1.0, 2.0, 0.5)]);
        // 2 of 3 with levels 0.5, 0, 1 at 1..2: P = 0.5.
        run(&done, Mode::Quorum(2), &[], &mut out);
        assert_eq!(out, vec![seg(1.0, 2.0, 0.5)]);
        // Pool 0.5 + 0.5 + 0.5: 0..1 full; 1..2 0.25 + 0.5 = 0.75; 2..3 1.
        run(&done, Mode::Pool, &[0.5, 0.5, 0.5], &mut out);
        assert_eq!(out, vec![seg(1.0, 2.0, 0.75)]);
    }

    #[test]
    fn failover_passes_on_undetected_partial_failure() {
        // Primary at 0.7 (above DETECT_BELOW) for 0..5, then 0 for 5..8; switch 1 h.
        let done = vec![vec![seg(0.0, 5.0, 0.7), seg(5.0, 8.0, 0.0)], vec![]];
        let mut out = Vec::new();
        let mode = |retry| Mode::Failover {
            switch_hours: 1.0,
            retry,
        };
        run(&done, mode(false), &[], &mut out);
        assert_eq!(out, vec![seg(0.0, 5.0, 0.7), seg(5.0, 6.0, 0.0)]);
    }

    #[test]
    fn ride_through_drops_short_episodes_and_delays_long_ones() {
        let l = [
            seg(0.0, 1.0, 0.5),
            seg(1.0, 3.0, 0.0),
            seg(5.0, 6.0, 0.2),
            seg(8.0, 8.5, 0.0),
        ];
        let mut out = Vec::new();
        ride_through(&l, 1.5, &mut out);
        assert_eq!(out, vec![seg(1.5, 3.0, 0.0)]);
        ride_through(&l, 0.0, &mut out);
        assert_eq!(out, l.to_vec());
    }

    #[test]
    fn poisson_binomial_tail() {
        let mut dp = Vec::new();
        let p = [0.9, 0.8, 0.5];
        let exact = 0.9 * 0.8 * 0.5 + 0.1 * 0.8 * 0.5 + 0.9 * 0.2 * 0.5 + 0.9 * 0.8 * 0.5;
        assert!((at_least(&p, 2, &mut dp) - exact).abs() < 1e-15);
        assert_eq!(at_least(&p, 0, &mut dp), 1.0);
    }

    #[test]
    fn outages_below_threshold_and_partial_loss() {
        let l = [
            seg(0.0, 1.0, 0.6),
            seg(1.0, 2.0, 0.2),
            seg(2.0, 3.0, 0.0),
            seg(5.0, 6.0, 0.6),
        ];
        let o: Vec<Outage> = outages(&l, 0.5).collect();
        assert_eq!(
            o,
            vec![Outage {
                start: 1.0,
                end: 3.0,
                unserved_hours: 0.8 + 1.0
            }]
        );
        let all: Vec<Outage> = outages(&l, 1.0).collect();
        assert_eq!(all.len(), 2);
        assert!((all[0].unserved_hours - (0.4 + 0.8 + 1.0)).abs() < 1e-12);
    }
}
