//! Interval algebra on down-time timelines. A timeline is a sorted list of
//! disjoint, non-adjacent half-open intervals `[start, end)` in which
//! something is down. The operations here (merge, union, k-of-n, failover)
//! write into caller-owned buffers so the hot loop does not allocate once the
//! buffers have grown.

/// A half-open interval `[start, end)` of down time, in hours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub start: f64,
    pub end: f64,
}

impl Interval {
    pub fn new(start: f64, end: f64) -> Self {
        Interval { start, end }
    }

    pub fn len(&self) -> f64 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Length of the part inside `[lo, hi)`.
    #[inline]
    pub fn overlap(&self, lo: f64, hi: f64) -> f64 {
        (self.end.min(hi) - self.start.max(lo)).max(0.0)
    }
}

/// Appends `iv` to a timeline being built in order, joining it to the last
/// interval when they touch or overlap. Empty intervals are dropped.
#[inline]
pub fn push_merged(out: &mut Vec<Interval>, iv: Interval) {
    if iv.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if iv.start <= last.end => last.end = last.end.max(iv.end),
        _ => out.push(iv),
    }
}

/// Sorts arbitrary intervals and merges them into a timeline, in place.
pub fn normalize(v: &mut Vec<Interval>) {
    if v.len() <= 1 {
        v.retain(|iv| !iv.is_empty());
        return;
    }
    // Intervals often come in order already (one source's events do): then
    // the sort, which would leave them as they are, is skipped.
    if !v
        .windows(2)
        .all(|w| w[0].start.total_cmp(&w[1].start).is_le())
    {
        v.sort_unstable_by(|a, b| a.start.total_cmp(&b.start));
    }
    let mut w = 0;
    for r in 0..v.len() {
        let iv = v[r];
        if iv.is_empty() {
            continue;
        }
        if w > 0 && iv.start <= v[w - 1].end {
            v[w - 1].end = v[w - 1].end.max(iv.end);
        } else {
            v[w] = iv;
            w += 1;
        }
    }
    v.truncate(w);
}

/// `out` = union of two timelines.
pub fn union(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].start <= b[j].start);
        let iv = if take_a {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        push_merged(out, iv);
    }
}

/// `out` = intersection of two timelines.
pub fn intersect(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        push_merged(out, Interval::new(start, end));
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// An endpoint of a need's down interval, for sweeps: `down` is +1 at a start, −1 at an end.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub time: f64,
    pub need: u32,
    pub down: bool,
}

/// Collects the endpoints of several timelines, sorted by time. Each
/// timeline's endpoints are already in order, so each one is merged into the
/// result from the back, in place: no sort, no allocation once `out` has grown.
pub fn edges<'a>(lists: impl Iterator<Item = &'a [Interval]>, out: &mut Vec<Edge>) {
    out.clear();
    for (k, list) in lists.enumerate() {
        let need = k as u32;
        let endpoint = |j: usize| {
            let iv = &list[j / 2];
            if j.is_multiple_of(2) {
                Edge {
                    time: iv.start,
                    need,
                    down: true,
                }
            } else {
                Edge {
                    time: iv.end,
                    need,
                    down: false,
                }
            }
        };
        let old = out.len();
        let mut j = 2 * list.len();
        out.resize(
            old + j,
            Edge {
                time: 0.0,
                need,
                down: false,
            },
        );
        let (mut i, mut w) = (old, out.len());
        while j > 0 {
            w -= 1;
            let next = endpoint(j - 1);
            if i > 0 && out[i - 1].time > next.time {
                out[w] = out[i - 1];
                i -= 1;
            } else {
                out[w] = next;
                j -= 1;
            }
        }
    }
}

/// Down while at least `threshold` of the timelines behind `edges` are down.
/// `threshold = 1` is the union (`all` needs), `n` the intersection (`any`),
/// `n − k + 1` a k-of-n quorum. All changes at one instant apply together.
pub fn at_least_down(edges: &[Edge], threshold: usize, out: &mut Vec<Interval>) {
    out.clear();
    let mut count = 0usize;
    let mut since = 0.0;
    let mut i = 0;
    while i < edges.len() {
        let t = edges[i].time;
        let was = count >= threshold;
        while i < edges.len() && edges[i].time == t {
            if edges[i].down {
                count += 1;
            } else {
                count -= 1;
            }
            i += 1;
        }
        let is = count >= threshold;
        if is && !was {
            since = t;
        } else if was && !is {
            push_merged(out, Interval::new(since, t));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Failover {
    /// Serving from this need.
    Up(usize),
    /// The need in use went down; switching completes at `deadline`.
    Switching { from: usize, deadline: f64 },
    /// Switch time has passed and every need is down: take the first to return.
    Waiting,
}

/// Ordered failover over `n` needs (priority = index) with a switch time.
///
/// The component is down from the moment the need in use goes down. It comes
/// back as soon as that need, or one of higher priority, is up again; failing
/// that, after `switch` hours it serves from the highest-priority need up then,
/// or, if none is, from the first need to come back. While up it always moves
/// to a higher-priority need the moment one is up, without down time. With
/// `switch = 0` this is exactly "down while every need is down".
/// `down` is scratch space for the needs' states.
pub fn failover(
    edges: &[Edge],
    n: usize,
    switch: f64,
    down: &mut Vec<bool>,
    out: &mut Vec<Interval>,
) {
    out.clear();
    down.clear();
    down.resize(n, false);
    let mut state = Failover::Up(0);
    let mut since = 0.0;
    let mut i = 0;
    loop {
        // A switch deadline that falls strictly before the next change happens first.
        let next = edges.get(i).map_or(f64::INFINITY, |e| e.time);
        if let Failover::Switching { deadline, .. } = state {
            if deadline < next {
                step(&mut state, &mut since, deadline, switch, down, out);
            }
        }
        if i >= edges.len() {
            break;
        }
        while i < edges.len() && edges[i].time == next {
            down[edges[i].need as usize] = edges[i].down;
            i += 1;
        }
        step(&mut state, &mut since, next, switch, down, out);
    }
    debug_assert!(matches!(state, Failover::Up(_)));
}

fn step(
    state: &mut Failover,
    since: &mut f64,
    t: f64,
    switch: f64,
    down: &[bool],
    out: &mut Vec<Interval>,
) {
    let best = down.iter().position(|d| !d);
    let mut resume = |state: &mut Failover, to: usize| {
        push_merged(out, Interval::new(*since, t));
        *state = Failover::Up(to);
    };
    match *state {
        Failover::Up(u) => match best {
            Some(b) if b < u => *state = Failover::Up(b),
            _ if !down[u] => {}
            _ => {
                *since = t;
                if switch > 0.0 {
                    *state = Failover::Switching {
                        from: u,
                        deadline: t + switch,
                    };
                } else if let Some(b) = best {
                    *state = Failover::Up(b);
                } else {
                    *state = Failover::Waiting;
                }
            }
        },
        Failover::Switching { from, deadline } => match best {
            Some(b) if b <= from || t >= deadline => resume(state, b),
            None if t >= deadline => *state = Failover::Waiting,
            _ => {}
        },
        Failover::Waiting => {
            if let Some(b) = best {
                resume(state, b);
            }
        }
    }
}

/// `out` = a timeline as seen through a ride-through of `tolerance` hours:
/// an interval no longer than the tolerance is dropped, a longer one starts
/// `tolerance` later.
pub fn ride_through(t: &[Interval], tolerance: f64, out: &mut Vec<Interval>) {
    out.clear();
    out.extend(
        t.iter()
            .filter(|iv| iv.len() > tolerance)
            .map(|iv| Interval::new(iv.start + tolerance, iv.end)),
    );
}

/// Total length of a timeline inside `[lo, hi)`.
pub fn measure_within(t: &[Interval], lo: f64, hi: f64) -> f64 {
    // Folding from +0.0: `sum()` starts at −0.0 and returns it when nothing
    // overlaps, which prints as "-0".
    t.iter()
        .take_while(|iv| iv.start < hi)
        .map(|iv| iv.overlap(lo, hi))
        .fold(0.0, |acc, x| acc + x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: f64, e: f64) -> Interval {
        Interval::new(s, e)
    }

    fn run_failover(lists: &[Vec<Interval>], switch: f64) -> Vec<Interval> {
        let mut e = Vec::new();
        edges(lists.iter().map(|l| l.as_slice()), &mut e);
        let (mut d, mut out) = (Vec::new(), Vec::new());
        failover(&e, lists.len(), switch, &mut d, &mut out);
        out
    }

    fn run_threshold(lists: &[Vec<Interval>], k: usize) -> Vec<Interval> {
        let mut e = Vec::new();
        edges(lists.iter().map(|l| l.as_slice()), &mut e);
        let mut out = Vec::new();
        at_least_down(&e, k, &mut out);
        out
    }

    #[test]
    fn normalize_merges_overlapping_and_touching() {
        let mut v = vec![
            iv(5.0, 6.0),
            iv(0.0, 2.0),
            iv(1.0, 3.0),
            iv(3.0, 4.0),
            iv(7.0, 7.0),
        ];
        normalize(&mut v);
        assert_eq!(v, vec![iv(0.0, 4.0), iv(5.0, 6.0)]);
    }

    /// Intervals already in order skip the sort: the same timeline as from
    /// the same intervals reversed (sorted), ties, empties and touching ones
    /// included.
    #[test]
    fn normalize_of_ordered_equals_normalize_of_reversed() {
        let mut x = 3u64;
        for n in 0..40 {
            let mut v: Vec<Interval> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let s = ((x >> 40) % 20) as f64;
                    iv(s, s + ((x >> 20) % 4) as f64)
                })
                .collect();
            v.sort_by(|a, b| a.start.total_cmp(&b.start));
            let mut r: Vec<Interval> = v.iter().rev().copied().collect();
            normalize(&mut v);
            normalize(&mut r);
            assert_eq!(v, r, "n = {n}");
        }
    }

    #[test]
    fn union_and_thresholds() {
        let a = vec![iv(0.0, 2.0), iv(5.0, 8.0)];
        let b = vec![iv(1.0, 3.0), iv(8.0, 9.0)];
        let mut u = Vec::new();
        union(&a, &b, &mut u);
        assert_eq!(u, vec![iv(0.0, 3.0), iv(5.0, 9.0)]);
        assert_eq!(run_threshold(&[a.clone(), b.clone()], 1), u);
        assert_eq!(run_threshold(&[a, b], 2), vec![iv(1.0, 2.0)]);
    }

    #[test]
    fn edges_are_merged_in_time_order() {
        let lists = [
            vec![iv(1.0, 5.0), iv(7.0, 9.0)],
            vec![],
            vec![iv(0.0, 2.0), iv(5.0, 6.0), iv(8.0, 12.0)],
            vec![iv(3.0, 4.0)],
        ];
        let mut e = Vec::new();
        edges(lists.iter().map(|l| l.as_slice()), &mut e);
        assert_eq!(e.len(), 12);
        assert!(e.windows(2).all(|w| w[0].time <= w[1].time), "{e:?}");
        for (k, list) in lists.iter().enumerate() {
            let mine: Vec<(f64, bool)> = e
                .iter()
                .filter(|x| x.need as usize == k)
                .map(|x| (x.time, x.down))
                .collect();
            let expected: Vec<(f64, bool)> = list
                .iter()
                .flat_map(|i| [(i.start, true), (i.end, false)])
                .collect();
            assert_eq!(mine, expected);
        }
    }

    #[test]
    fn intersect_matches_the_sweep() {
        let a = vec![iv(0.0, 2.0), iv(5.0, 8.0), iv(9.0, 12.0)];
        let b = vec![iv(1.0, 6.0), iv(7.0, 9.5), iv(11.0, 11.5)];
        let mut out = Vec::new();
        intersect(&a, &b, &mut out);
        assert_eq!(
            out,
            vec![
                iv(1.0, 2.0),
                iv(5.0, 6.0),
                iv(7.0, 8.0),
                iv(9.0, 9.5),
                iv(11.0, 11.5)
            ]
        );
        assert_eq!(out, run_threshold(&[a, b], 2));
    }

    #[test]
    fn simultaneous_handover_is_not_down_time() {
        // One need comes back at the instant the other goes down.
        let a = vec![iv(0.0, 2.0)];
        let b = vec![iv(2.0, 4.0)];
        assert!(run_threshold(&[a.clone(), b.clone()], 2).is_empty());
        assert!(run_failover(&[a, b], 0.0).is_empty());
    }

    #[test]
    fn failover_waits_then_switches() {
        // Primary down 10..20, backup always up, switch 0.5 h: down 10..10.5.
        let out = run_failover(&[vec![iv(10.0, 20.0)], vec![]], 0.5);
        assert_eq!(out, vec![iv(10.0, 10.5)]);
        // Primary back within the switch time: nothing switches, down for its outage.
        let out = run_failover(&[vec![iv(10.0, 10.2)], vec![]], 0.5);
        assert_eq!(out, vec![iv(10.0, 10.2)]);
    }

    #[test]
    fn failover_returns_to_primary_without_down_time() {
        // Primary down 10..20; backup down 15..30. Switch 1 h.
        // 10..11 switching; 11..15 on backup; backup fails at 15: down, switching until 16;
        // at 16 nothing is up: wait; primary back at 20: up.
        let out = run_failover(&[vec![iv(10.0, 20.0)], vec![iv(15.0, 30.0)]], 1.0);
        assert_eq!(out, vec![iv(10.0, 11.0), iv(15.0, 20.0)]);
    }

    #[test]
    fn failover_takes_first_need_back_when_all_down() {
        // Both down; third need returns first at 12 (switch time already passed).
        let out = run_failover(
            &[
                vec![iv(10.0, 20.0)],
                vec![iv(9.0, 18.0)],
                vec![iv(5.0, 12.0)],
            ],
            0.5,
        );
        assert_eq!(out, vec![iv(10.0, 12.0)]);
    }

    #[test]
    fn failover_with_zero_switch_is_any() {
        let lists = vec![
            vec![iv(1.0, 5.0), iv(7.0, 9.0), iv(20.0, 30.0)],
            vec![iv(2.0, 3.0), iv(4.0, 8.0), iv(25.0, 26.0)],
            vec![iv(0.0, 4.5), iv(7.5, 8.5), iv(22.0, 40.0)],
        ];
        assert_eq!(run_failover(&lists, 0.0), run_threshold(&lists, 3));
    }

    #[test]
    fn measure_clips_to_window() {
        let t = vec![iv(-2.0, 1.0), iv(3.0, 4.0), iv(9.0, 12.0)];
        assert_eq!(measure_within(&t, 0.0, 10.0), 1.0 + 1.0 + 1.0);
    }
}
