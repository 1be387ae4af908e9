//! Which watched components a cluster of events cannot take down, from the
//! set of components its events hit alone, whatever their times.
//!
//! A component is *possibly down* when the cluster hits it, or when enough
//! of its needs are possibly down to meet its mode's threshold (`all` 1,
//! `any` and retrying failover every need, quorum `n − k + 1`, pool its cut),
//! or, a failover without retry, when its first need is. A component that
//! is not possibly down is up throughout the cluster: in the binary algebra
//! it is down at an instant only while it is hit, or while at least its
//! threshold of needs are down then (a ride-through only shortens a need's
//! intervals), or, a failover, once its first need has been down (it is
//! served from the first need until then); by induction in topological
//! order each of those needs is possibly down, and so is the component.
//!
//! The marks spread forward from the components hit, each need counted
//! once for each component that lists it, so a test costs what the
//! cluster's hits reach, not the size of the graph.

use crate::model::{Mode, Model};

/// When a component with needs is possibly down.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// When at least this many of its needs are (at least one).
    AtLeast(u32),
    /// When its first need is.
    First(u32),
}

/// Per-thread state of the test, built once per model.
#[derive(Debug, Clone)]
pub(crate) struct Bound {
    rules: Vec<Rule>,
    /// Per component `d`: the components that need it,
    /// `dependents[from[d]..from[d + 1]]`.
    dependents: Vec<u32>,
    from: Vec<u32>,
    /// False when a threshold is 0 (a component down with no need down):
    /// then nothing is settled by this test.
    applies: bool,
    /// Scratch: per component, the needs possibly down so far and whether
    /// it is; the components touched, and those left to spread from.
    count: Vec<u32>,
    maybe: Vec<bool>,
    touched: Vec<u32>,
    stack: Vec<u32>,
}

impl Bound {
    pub(crate) fn new(model: &Model) -> Self {
        let n = model.components.len();
        let rules: Vec<Rule> = model
            .components
            .iter()
            .map(|comp| {
                let needs = comp.needs.len();
                let at_least = match comp.mode {
                    Mode::All => 1,
                    Mode::Any | Mode::Failover { retry: true, .. } => needs,
                    Mode::Quorum(k) => (needs + 1).saturating_sub(k),
                    Mode::Pool => comp.pool_cut().max(1),
                    Mode::Failover { .. } => {
                        return Rule::First(comp.needs.first().map_or(u32::MAX, |&d| d as u32))
                    }
                };
                Rule::AtLeast(at_least as u32)
            })
            .collect();
        let applies = model
            .components
            .iter()
            .zip(&rules)
            .all(|(comp, rule)| comp.needs.is_empty() || *rule != Rule::AtLeast(0));
        let mut from = vec![0u32; n + 1];
        for comp in &model.components {
            for &d in &comp.needs {
                from[d + 1] += 1;
            }
        }
        for d in 0..n {
            from[d + 1] += from[d];
        }
        let mut dependents = vec![0u32; from[n] as usize];
        let mut at = from.clone();
        for (c, comp) in model.components.iter().enumerate() {
            for &d in &comp.needs {
                dependents[at[d] as usize] = c as u32;
                at[d] += 1;
            }
        }
        Bound {
            rules,
            dependents,
            from,
            applies,
            count: vec![0; n],
            maybe: vec![false; n],
            touched: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// Marks components hit by the cluster as possibly down, and spreads
    /// the marks to the components that need them.
    pub(crate) fn hit(&mut self, hits: &[u32]) {
        for &c in hits {
            self.mark(c);
        }
        while let Some(d) = self.stack.pop() {
            let (a, b) = (self.from[d as usize], self.from[d as usize + 1]);
            for k in a..b {
                let c = self.dependents[k as usize];
                let ci = c as usize;
                if self.maybe[ci] {
                    continue;
                }
                let fires = match self.rules[ci] {
                    Rule::First(first) => first == d,
                    Rule::AtLeast(t) => {
                        self.count[ci] += 1;
                        self.touched.push(c);
                        self.count[ci] >= t
                    }
                };
                if fires {
                    self.mark(c);
                }
            }
        }
    }

    #[inline]
    fn mark(&mut self, c: u32) {
        if !self.maybe[c as usize] {
            self.maybe[c as usize] = true;
            self.touched.push(c);
            self.stack.push(c);
        }
    }

    /// Whether component `w` stays up under the hits marked since the last
    /// [`Bound::clear`] (it is not possibly down).
    #[inline]
    pub(crate) fn stays_up(&self, w: usize) -> bool {
        self.applies && !self.maybe[w]
    }

    /// Forgets the marks.
    pub(crate) fn clear(&mut self) {
        for &c in &self.touched {
            self.count[c as usize] = 0;
            self.maybe[c as usize] = false;
        }
        self.touched.clear();
    }
}
