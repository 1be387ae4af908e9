//! Structural facts about a scenario, computed once and independent of any
//! simulation: which outage sources can take which component down (directly,
//! and transitively through needs), which components each component depends
//! on, which components a counterfactual on a source can change, and the
//! boolean structure function ("is this component down when exactly these
//! components are forced down and everything else is up?").
//!
//! A source *can hit* a component when its rate is above 0 and it lists the
//! component as a target with hit probability above 0; a source that never
//! happens or never hits is ignored here.

use crate::model::{Mode, Model};

/// A fixed-size set of small integers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub fn new(n: usize) -> Self {
        BitSet {
            words: vec![0; n.div_ceil(64)],
        }
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    pub fn union_with(&mut self, other: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn intersection_len(&self, other: &BitSet) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    pub fn union_len(&self, other: &BitSet) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a | b).count_ones() as usize)
            .sum()
    }

    /// Members in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64)
                .filter(move |b| bits >> b & 1 == 1)
                .map(move |b| w * 64 + b)
        })
    }
}

/// One basic event: source `source` takes component `component` down (the
/// source's event hits it with probability `probability`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub source: usize,
    pub component: usize,
    pub probability: f64,
}

/// The scenario's structure, indexed like the model.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Every (source, component) a source can hit, ordered by source then component.
    pub hits: Vec<Hit>,
    /// Per component: indices into `hits` of the basic events on it.
    pub direct: Vec<Vec<usize>>,
    /// Per component: the sources that can take it down, directly or through its needs.
    pub reach: Vec<BitSet>,
    /// Per component: the components it depends on, itself included.
    pub upstream: Vec<BitSet>,
    /// Per component: the components that need it, directly.
    pub users: Vec<Vec<usize>>,
}

impl Graph {
    pub fn new(model: &Model) -> Self {
        let n = model.components.len();
        let ns = model.sources.len();
        let mut hits = Vec::new();
        for (s, src) in model.sources.iter().enumerate() {
            if src.rate_per_hour <= 0.0 {
                continue;
            }
            for t in &src.targets {
                if t.probability > 0.0 {
                    hits.push(Hit {
                        source: s,
                        component: t.component,
                        probability: t.probability,
                    });
                }
            }
        }
        let mut direct = vec![Vec::new(); n];
        for (i, h) in hits.iter().enumerate() {
            direct[h.component].push(i);
        }
        let mut reach = Vec::with_capacity(n);
        let mut upstream: Vec<BitSet> = Vec::with_capacity(n);
        let mut users = vec![Vec::new(); n];
        for (c, comp) in model.components.iter().enumerate() {
            let mut r = BitSet::new(ns);
            let mut u = BitSet::new(n);
            u.insert(c);
            for &h in &direct[c] {
                r.insert(hits[h].source);
            }
            for &d in &comp.needs {
                r.union_with(&reach[d]);
                u.union_with(&upstream[d]);
                users[d].push(c);
            }
            reach.push(r);
            upstream.push(u);
        }
        Graph {
            hits,
            direct,
            reach,
            upstream,
            users,
        }
    }

    /// The components whose timelines a counterfactual on `source` can change
    /// (its targets and everything that needs them), limited to those that
    /// some component in `watched` depends on.
    pub fn cone(&self, model: &Model, source: usize, watched: &[usize]) -> Vec<bool> {
        let n = model.components.len();
        let mut needed = vec![false; n];
        for &w in watched {
            for c in self.upstream[w].iter() {
                needed[c] = true;
            }
        }
        let mut changed = vec![false; n];
        for t in &model.sources[source].targets {
            if t.probability > 0.0 {
                changed[t.component] = true;
            }
        }
        // Components are in topological order: needs before users.
        for c in 0..n {
            if changed[c] {
                for &u in &self.users[c] {
                    changed[u] = true;
                }
            }
        }
        (0..n).map(|c| changed[c] && needed[c]).collect()
    }
}

/// The structure function: which components are down when exactly the
/// components in `forced` are down by themselves and every other component's
/// own outages and causes are absent. `failover` counts as down when every
/// need is down (its state once a switch has completed).
pub fn down_when(model: &Model, forced: &[bool]) -> Vec<bool> {
    let mut down = vec![false; model.components.len()];
    for (c, comp) in model.components.iter().enumerate() {
        let cut = comp.needs.iter().filter(|&&d| down[d]).count();
        let n = comp.needs.len();
        let needs_fail = n > 0
            && match comp.mode {
                Mode::All => cut >= 1,
                Mode::Any | Mode::Failover { .. } => cut == n,
                // At least n − k + 1 needs down leaves fewer than k up.
                Mode::Quorum(k) => cut > n - k,
                // Below full capacity counts as failed.
                Mode::Pool => comp.pool_short(|k| down[comp.needs[k]]),
            };
        down[c] = forced[c] || needs_fail;
    }
    down
}
