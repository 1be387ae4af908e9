//! The run's fast evaluator: the down timelines of the *watched* components
//! only (the architectures' and the observers'), cluster by cluster, for
//! scenarios on the binary interval algebra (complete outages, no service
//! levels). Analyses that need every component's timeline keep the full
//! evaluator ([`crate::evaluate::Timelines::compute`]).
//!
//! Why it is exact. In the binary algebra a component's state at an instant
//! depends only on which events are in progress then (`all`, `any`, quorum),
//! or on the current stretch of its needs' down time (ride-through, failover
//! switching, which always ends by the time every need is up again, back on
//! the first need). So every down interval lies inside one *cluster*: a
//! maximal set of events whose closed intervals `[start, end]` chain together
//! (touching ones included, since touching outages merge). Clusters are then
//! independent, and a component's timeline is the time-ordered concatenation
//! of its timelines for each cluster alone.
//!
//! Most events are alone in their cluster. For a lone event, which watched
//! components go down depends only on its source and the components it hit,
//! and each of them is then down for exactly `[start, end)`, or for a part of
//! it that a failover's switch time cuts or a ride-through starts late
//! ([`lone`]); other ways through the graph make the pattern "complex". The
//! watched components a pattern takes down, and how, are computed once per
//! (source, hit pattern) and cached ([`effects`]).
//!
//! Many clusters of several events need no algebra either. An event
//! *reaches* a component when it hits it or something it depends on; a
//! component's timeline is a function of its own and its ancestors' events
//! only, so of the events that reach it only. In a cluster, take each
//! watched component `W`:
//!
//! - reached by no event: up throughout;
//! - reached by one event: that event's lone effect on `W`;
//! - reached by several, each of which alone takes `W` down for its whole
//!   interval ([`Kind::Down`]): down exactly over the union of their
//!   intervals, as follows.
//!
//! - At least that: a component that a lone event takes down for `[s, e)`
//!   is down throughout `[s, e)` under any set of events containing it. By
//!   induction in topological order: it is hit (its own intervals are part
//!   of its union); or at least `m` of its needs of a threshold mode (`all`,
//!   `any`, quorum, pool, instant or retrying failover) are so down, seen
//!   without ride-through (a ride-through makes them [`Kind::Late`]), and a
//!   count only grows with more needs down; or it is a failover with switch
//!   time all of whose needs are so down, and a failover is never up while
//!   every need is down (it serves only from a need that is up).
//! - At most that: a component is down only while one of its own events or
//!   one of its needs is down (threshold modes count needs that are down; a
//!   ride-through only shortens a need's intervals; a failover is down while
//!   switching away from a need that is down, or waiting while all are), so
//!   by induction only while an event that reaches it is in progress.
//!
//! - reached by several, not all of that kind, but not *possibly down*
//!   under the components the cluster's events hit ([`bound`]): up
//!   throughout. No event alone takes it down either (it hits fewer), so
//!   it is in no lone effect's list.
//!
//! Timelines are canonical (sorted, disjoint, not touching, not empty), so
//! equal sets are equal interval lists, bit for bit: the union, built in
//! start order by [`crate::timeline::push_merged`], is what the full
//! algebra gives. Clusters with a watched component that none of these
//! rules settles, or with an event of a complex pattern, are
//! evaluated together by the full algebra restricted to
//! those events and to the components the watched ones depend on; the two
//! sets of intervals are merged by start time. The intervals are the same
//! values the full evaluator produces, in the same order, so every figure
//! computed from them is byte-identical (tests compare the two trial by trial
//! on random graphs).

mod bound;
mod effects;
mod lone;
mod order;

use crate::evaluate::Timelines;
use crate::model::Model;
use crate::timeline::{push_merged, Interval};
use crate::world::World;
use effects::{Effects, COMPLEX};

/// Mean number of events in progress from which the full evaluator is used
/// ([`Fast::pays`]).
pub const CONCURRENT_MAX: f64 = 0.25;

/// Per-thread state of the fast evaluator.
#[derive(Debug, Clone)]
pub struct Fast {
    watched: Vec<usize>,
    /// The watched components and everything they depend on, ascending.
    needed: Vec<usize>,
    needed_mask: Vec<bool>,
    /// The lone effects of the hit patterns seen so far.
    effects: Effects,
    /// Which watched components a cluster cannot take down.
    bound: bound::Bound,
    /// Scratch: per watched component, the events of a cluster that reach
    /// it, whether one of them takes it down for less than its whole
    /// interval, and the components counted.
    reaching: Vec<u32>,
    partly: Vec<bool>,
    counted: Vec<u32>,
    /// Scratch: the needed components that events going to the full algebra
    /// can reach (marked, and listed ascending).
    affected: Vec<bool>,
    affected_list: Vec<usize>,
    /// Scratch: events that touch a needed component, sorted by start.
    order: order::Order,
    /// Scratch: the events that go to the full algebra.
    slow_list: Vec<u32>,
    /// Scratch: per watched component (indexed like `Model::components`), the lone intervals.
    lone: Vec<Vec<Interval>>,
    merged: Vec<Interval>,
}

impl Fast {
    /// Whether the fast evaluator applies to this model (the binary algebra).
    pub fn applies(model: &Model) -> bool {
        !model.has_partial_service()
    }

    /// Whether it is expected to be cheaper than the full evaluator: when
    /// few events overlap, so that most are alone in their cluster. The
    /// mean number of events in progress at an instant is Σ rate × mean
    /// duration over the sources; from [`CONCURRENT_MAX`] on, clusters of
    /// several events are common and the full algebra over all of them is
    /// cheaper (the long-outages shape: 0.71 events in progress, cluster
    /// evaluator 4.9k instructions a trial against 2.9k; the benchmark
    /// scenario: 0.014). Both give the same timelines, so the choice changes
    /// only the speed.
    pub fn pays(model: &Model) -> bool {
        let concurrent: f64 = model
            .sources
            .iter()
            .map(|s| s.rate_per_hour * s.duration.mean())
            .sum();
        concurrent < CONCURRENT_MAX
    }

    /// `watched`: the components whose timelines must be exact, ascending.
    pub fn new(model: &Model, watched: &[usize]) -> Self {
        let n = model.components.len();
        let mut needed_mask = vec![false; n];
        for &c in watched {
            needed_mask[c] = true;
        }
        for c in (0..n).rev() {
            if needed_mask[c] {
                for &d in &model.components[c].needs {
                    needed_mask[d] = true;
                }
            }
        }
        Fast {
            watched: watched.to_vec(),
            needed: (0..n).filter(|&c| needed_mask[c]).collect(),
            effects: Effects::new(model, watched, &needed_mask),
            bound: bound::Bound::new(model),
            needed_mask,
            reaching: vec![0; n],
            partly: vec![false; n],
            counted: Vec::new(),
            affected: vec![false; n],
            affected_list: Vec::new(),
            order: order::Order::default(),
            slow_list: Vec::new(),
            lone: vec![Vec::new(); n],
            merged: Vec::new(),
        }
    }

    /// The watched components' timelines from the world's events, into
    /// `tl.down` (other components' timelines are left as they are: not valid).
    pub fn compute(&mut self, model: &Model, world: &World, tl: &mut Timelines) {
        self.order.clear(world.events.len(), world.sampled_until);
        for (i, e) in world.events.iter().enumerate() {
            let Some(effect) = self.effects.of_event(model, world, e) else {
                continue;
            };
            self.order.push(order::Item {
                start: e.start,
                end: e.end,
                index: i as u32,
                effect,
            });
        }
        self.order.sort();
        for &c in &self.watched {
            self.lone[c].clear();
        }
        self.slow_list.clear();
        let mut i = 0;
        while i < self.order.items.len() {
            let items = &self.order.items;
            let first = items[i];
            let mut end = first.end;
            let mut j = i + 1;
            while j < items.len() && items[j].start <= end {
                end = end.max(items[j].end);
                j += 1;
            }
            if j == i + 1 && first.effect != COMPLEX {
                for &(c, kind) in self.effects.down(first.effect) {
                    if let Some(iv) = kind.interval(first.start, first.end) {
                        self.lone[c as usize].push(iv);
                    }
                }
            } else {
                self.cluster(world, i..j);
            }
            i = j;
        }
        if self.slow_list.is_empty() {
            for &c in &self.watched {
                std::mem::swap(&mut self.lone[c], &mut tl.down[c]);
            }
            return;
        }
        self.mark_affected(model, world, tl);
        tl.compute_only(
            model,
            world,
            &self.slow_list,
            &self.affected_list,
            &self.affected,
        );
        for &c in &self.watched {
            if self.lone[c].is_empty() {
                continue;
            }
            merge_by_start(&self.lone[c], &tl.down[c], &mut self.merged);
            std::mem::swap(&mut self.merged, &mut tl.down[c]);
        }
    }

    /// A cluster of several events (`items` of the order), or of one of a
    /// complex pattern: into the lone timelines when the rules settle it
    /// (see the module's documentation), else onto the full algebra's list.
    /// Not inlined: the loop over lone events stays lean.
    #[inline(never)]
    fn cluster(&mut self, world: &World, items: std::ops::Range<usize>) {
        let cluster = &self.order.items[items];
        let settled = cluster.iter().all(|it| it.effect != COMPLEX) && {
            // Count the events reaching each watched component.
            for it in cluster {
                for &(c, whole) in self.effects.reached(it.effect) {
                    let c = c as usize;
                    if self.reaching[c] == 0 {
                        self.counted.push(c as u32);
                    }
                    self.reaching[c] += 1;
                    self.partly[c] |= !whole;
                }
            }
            // A component reached by several events, one of which alone
            // takes it down for less than its whole interval (or not at
            // all): up throughout when the cluster cannot take it down.
            let mut marked = false;
            let settled = self.counted.iter().all(|&c| {
                let c = c as usize;
                if self.reaching[c] == 1 || !self.partly[c] {
                    return true;
                }
                if !marked {
                    for it in cluster {
                        self.bound
                            .hit(world.hit_components(&world.events[it.index as usize]));
                    }
                    marked = true;
                }
                self.bound.stays_up(c)
            });
            if marked {
                self.bound.clear();
            }
            settled
        };
        if settled {
            // Each watched component: the lone effect of the one event
            // reaching it, or the union of the intervals of several.
            for it in cluster {
                for &(c, kind) in self.effects.down(it.effect) {
                    let lone = &mut self.lone[c as usize];
                    if self.reaching[c as usize] == 1 {
                        lone.extend(kind.interval(it.start, it.end));
                    } else {
                        push_merged(lone, Interval::new(it.start, it.end));
                    }
                }
            }
        } else {
            self.slow_list.extend(cluster.iter().map(|it| it.index));
        }
        for &c in &self.counted {
            self.reaching[c as usize] = 0;
            self.partly[c as usize] = false;
        }
        self.counted.clear();
    }

    /// Marks and lists the needed components that the events going to the
    /// full algebra hit or depend on a component they hit; empties the
    /// timelines of the other needed components (under those events alone,
    /// nothing of theirs is down), which the affected ones may read.
    fn mark_affected(&mut self, model: &Model, world: &World, tl: &mut Timelines) {
        for &c in &self.affected_list {
            self.affected[c] = false;
        }
        self.affected_list.clear();
        let mut lowest = usize::MAX;
        for &e in &self.slow_list {
            for &c in world.hit_components(&world.events[e as usize]) {
                let c = c as usize;
                if self.needed_mask[c] {
                    self.affected[c] = true;
                    lowest = lowest.min(c);
                }
            }
        }
        // Needs come before the components that need them.
        let from = self.needed.partition_point(|&c| c < lowest);
        for &c in &self.needed[..from] {
            tl.down[c].clear();
        }
        for &c in &self.needed[from..] {
            if self.affected[c] || model.components[c].needs.iter().any(|&d| self.affected[d]) {
                self.affected[c] = true;
                self.affected_list.push(c);
            } else {
                tl.down[c].clear();
            }
        }
    }
}

/// `out` = two sorted lists of intervals with no common or touching points, merged by start.
fn merge_by_start(a: &[Interval], b: &[Interval], out: &mut Vec<Interval>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].start < b[j].start {
            out.push(a[i]);
            i += 1;
        } else {
            out.push(b[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}
