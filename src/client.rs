//! The client in front of a component's needs, on service levels: which need
//! a failover client sends to, and which needs an active-active client still
//! routes traffic to. A need counts as failed while its level is below the
//! client's `detect_below`.
//!
//! Failover: when the need in use fails, the client serves nothing from it
//! until its switch time has passed (`switch_minutes`, detection plus switch),
//! plus, when the failure hangs (`fails = "hang"`), the client's timeouts
//! `timeout_seconds × (retries + 1)`; then it serves from the first need up.
//! It returns to a higher-priority need once that one has been up for
//! `failback_minutes` (0: at once), or never while the need in use serves
//! (`sticky`).
//!
//! Active-active (`any` or `pool` with `detect_minutes` or `weights`): each
//! need gets its weight's share of traffic, among the needs not marked
//! failed. A need is marked failed `detect_minutes` (plus the timeouts if it
//! hangs) after it fails, and unmarked `failback_minutes` after it recovers.
//! The component serves Σ level × min(share, capacity) over the needs it
//! routes to (capacity only in a pool): the traffic an undetected failed need
//! receives is lost. With every need marked, traffic goes to all of them.

use crate::model::{Component, Mode};

/// A failover client's state.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Failover {
    Up(usize),
    Switching { from: usize, deadline: f64 },
    Waiting,
}

/// An active-active client's view of one need.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Ok,
    /// Failed, to be marked failed at this time.
    Failing(f64),
    Marked,
    /// Recovered, still marked failed until this time.
    Returning(f64),
}

impl Mark {
    fn marked(self) -> bool {
        matches!(self, Mark::Marked | Mark::Returning(_))
    }
}

/// The client's state for one component over one trial; buffers are reused.
#[derive(Debug, Clone)]
pub struct State {
    failover: Failover,
    /// Per need: since when it has been up (−∞: always; +∞: failed now).
    ok_since: Vec<f64>,
    marks: Vec<Mark>,
}

impl Default for State {
    fn default() -> Self {
        State {
            failover: Failover::Up(0),
            ok_since: Vec::new(),
            marks: Vec::new(),
        }
    }
}

impl State {
    /// A fresh client for `n` needs, every one up.
    pub fn reset(&mut self, n: usize) {
        self.failover = Failover::Up(0);
        self.ok_since.clear();
        self.ok_since.resize(n, f64::NEG_INFINITY);
        self.marks.clear();
        self.marks.resize(n, Mark::Ok);
    }

    /// The client's next change without any change of its needs (∞: none).
    pub fn next_deadline(&self, comp: &Component) -> f64 {
        let c = &comp.client;
        if c.active_active() {
            return self
                .marks
                .iter()
                .map(|m| match *m {
                    Mark::Failing(t) | Mark::Returning(t) => t,
                    _ => f64::INFINITY,
                })
                .fold(f64::INFINITY, f64::min);
        }
        match self.failover {
            Failover::Switching { deadline, .. } => deadline,
            Failover::Up(u) if !c.sticky && c.failback_hours > 0.0 => self.ok_since[..u]
                .iter()
                .map(|&s| s + c.failback_hours)
                .fold(f64::INFINITY, f64::min),
            _ => f64::INFINITY,
        }
    }

    /// Brings the client up to time `t` with the needs' current levels and
    /// whether each hangs.
    pub fn step(&mut self, t: f64, comp: &Component, levels: &[f64], hangs: &[bool]) {
        let c = &comp.client;
        let failed = |i: usize| levels[i] < c.detect_below;
        for (i, s) in self.ok_since.iter_mut().enumerate() {
            if failed(i) {
                *s = f64::INFINITY;
            } else if *s == f64::INFINITY {
                *s = t;
            }
        }
        let hang = |i: usize| if hangs[i] { c.hang_hours } else { 0.0 };
        if c.active_active() {
            for (i, m) in self.marks.iter_mut().enumerate() {
                let next = match (*m, failed(i)) {
                    (Mark::Ok, true) => Mark::Failing(t + c.detect_hours + hang(i)),
                    (Mark::Failing(_), false) => Mark::Ok,
                    (Mark::Marked, false) => Mark::Returning(t + c.failback_hours),
                    (Mark::Returning(_), true) => Mark::Marked,
                    (m, _) => m,
                };
                *m = match next {
                    Mark::Failing(at) if t >= at => Mark::Marked,
                    Mark::Returning(at) if t >= at => Mark::Ok,
                    m => m,
                };
            }
            return;
        }
        let Mode::Failover { switch_hours, .. } = comp.mode else {
            return;
        };
        let best = (0..levels.len()).find(|&i| !failed(i));
        self.failover = match self.failover {
            Failover::Up(u) => {
                let back = if c.sticky {
                    None
                } else {
                    (0..u).find(|&b| t >= self.ok_since[b] + c.failback_hours)
                };
                let delay = switch_hours + hang(u);
                match (back, best) {
                    (Some(b), _) => Failover::Up(b),
                    _ if !failed(u) => Failover::Up(u),
                    _ if delay > 0.0 => Failover::Switching {
                        from: u,
                        deadline: t + delay,
                    },
                    (_, Some(b)) => Failover::Up(b),
                    (_, None) => Failover::Waiting,
                }
            }
            Failover::Switching { from, deadline } => match best {
                Some(b) if b <= from || t >= deadline => Failover::Up(b),
                None if t >= deadline => Failover::Waiting,
                _ => self.failover,
            },
            Failover::Waiting => best.map_or(Failover::Waiting, Failover::Up),
        };
    }

    /// The level the client delivers from its needs' levels, and whether
    /// what it waits on hangs.
    pub fn serving(&self, comp: &Component, levels: &[f64], hangs: &[bool]) -> (f64, bool) {
        let c = &comp.client;
        if c.active_active() {
            let routed = |i: &usize| !self.marks[*i].marked();
            let n = levels.len();
            let mut total: f64 = (0..n).filter(routed).map(|i| c.weights[i]).sum();
            let every = total <= 0.0;
            if every {
                total = 1.0;
            }
            let pool = comp.mode == Mode::Pool;
            let (mut served, mut hang) = (0.0, false);
            for i in (0..n).filter(|i| every || routed(i)) {
                let cap = if pool {
                    comp.capacity[i] * total
                } else {
                    f64::INFINITY
                };
                served += levels[i] * c.weights[i].min(cap);
                hang |= hangs[i] && levels[i] < 1.0;
            }
            return ((served / total).min(1.0), hang);
        }
        let Mode::Failover { retry, .. } = comp.mode else {
            return (1.0, false);
        };
        let used = match self.failover {
            Failover::Up(u) => u,
            Failover::Switching { from, .. } => from,
            Failover::Waiting => return (0.0, hangs.iter().any(|&h| h)),
        };
        let hang = hangs[used] && levels[used] < 1.0;
        if !retry {
            return (levels[used], hang);
        }
        // Each request failing at the need in use is re-sent to every other
        // need not marked failed, in order, until one serves it.
        let unserved: f64 = levels
            .iter()
            .enumerate()
            .filter(|&(i, &l)| i == used || l >= c.detect_below)
            .map(|(_, l)| 1.0 - l)
            .product();
        (1.0 - unserved, hang)
    }
}
