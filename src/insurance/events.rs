//! Events as treaties define them: an event is one occurrence of an outage
//! source (a shared cause, or a component's own outages), and every loss it
//! produces, in every table, carries the same event. An outage (of a
//! policy's index, or of an insured architecture) is caused by the most
//! recent occurrence, among those that hit the outage's component or
//! anything it depends on, that began at or before the outage's start and
//! had not ended before it (in practice the occurrence whose start is the
//! outage's start). An outage no occurrence explains is an event of its own.
//!
//! With an hours clause H (`[book] hours_clause`), occurrences of the same
//! source are grouped: an event opens at the first occurrence of the source
//! in the trial not yet grouped, and takes every occurrence of that source
//! starting within H hours of it; the next one opens a new event. Without a
//! clause every occurrence is its own event. See docs/insurance.md §13.

use crate::model::Model;
use crate::world::World;

/// An event within one trial: its start (the first occurrence's start) and
/// its source (`u32::MAX` for an outage no occurrence explains).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventKey {
    pub start: f64,
    pub source: u32,
}

/// The source of an event that no occurrence explains.
pub const UNEXPLAINED: u32 = u32::MAX;

impl EventKey {
    /// Events in a trial are numbered by start, then source.
    pub fn order(&self, other: &Self) -> std::cmp::Ordering {
        self.start
            .total_cmp(&other.start)
            .then(self.source.cmp(&other.source))
    }
}

/// What can take each watched component down: itself and everything it
/// needs, transitively (sorted component indices), built once per run.
#[derive(Debug, Clone, Default)]
pub struct Causes {
    ancestors: Vec<Option<Vec<u32>>>,
}

impl Causes {
    /// For the components in `watched` (others are never asked about).
    pub fn new(model: &Model, watched: impl IntoIterator<Item = usize>) -> Self {
        let n = model.components.len();
        let mut ancestors: Vec<Option<Vec<u32>>> = vec![None; n];
        let mut stamp = vec![usize::MAX; n];
        let mut stack = Vec::new();
        for c in watched {
            if ancestors[c].is_some() {
                continue;
            }
            let mut set = Vec::new();
            stack.push(c);
            stamp[c] = c;
            while let Some(x) = stack.pop() {
                set.push(x as u32);
                for &need in &model.components[x].needs {
                    if stamp[need] != c {
                        stamp[need] = c;
                        stack.push(need);
                    }
                }
            }
            set.sort_unstable();
            ancestors[c] = Some(set);
        }
        Causes { ancestors }
    }

    fn can_hit(&self, component: usize, hits: &[u32]) -> bool {
        match &self.ancestors[component] {
            Some(set) => hits.iter().any(|h| set.binary_search(h).is_ok()),
            None => false,
        }
    }
}

/// One trial's occurrences, ranked by start, with the event each belongs to.
#[derive(Debug, Clone, Default)]
pub struct TrialEvents {
    /// Indices into `world.events`, by start then index.
    order: Vec<u32>,
    /// Per world event: the start of its event (after the hours clause).
    event_start: Vec<f64>,
    /// Scratch: per source, the start of its open event.
    open: Vec<f64>,
}

impl TrialEvents {
    /// Ranks the world's occurrences and groups them by the hours clause.
    pub fn prepare(&mut self, world: &World, sources: usize, hours_clause: Option<f64>) {
        let events = &world.events;
        self.order.clear();
        self.order.extend(0..events.len() as u32);
        self.order.sort_by(|&a, &b| {
            events[a as usize]
                .start
                .total_cmp(&events[b as usize].start)
                .then(a.cmp(&b))
        });
        self.event_start.clear();
        self.event_start.extend(events.iter().map(|e| e.start));
        if let Some(h) = hours_clause {
            self.open.clear();
            self.open.resize(sources, f64::NEG_INFINITY);
            for &i in &self.order {
                let e = &events[i as usize];
                let Some(open) = self.open.get_mut(e.source as usize) else {
                    continue;
                };
                if e.start >= *open + h {
                    *open = e.start;
                }
                self.event_start[i as usize] = *open;
            }
        }
    }

    /// The event of an outage of `component` starting at `start`.
    pub fn cause(&self, world: &World, causes: &Causes, component: usize, start: f64) -> EventKey {
        let events = &world.events;
        // The last occurrence starting at or before `start`, then back.
        let upto = self
            .order
            .partition_point(|&i| events[i as usize].start <= start);
        for &i in self.order[..upto].iter().rev() {
            let e = &events[i as usize];
            if e.end < start {
                continue;
            }
            let (a, b) = e.hits;
            if causes.can_hit(component, &world.hits[a as usize..b as usize]) {
                return EventKey {
                    start: self.event_start[i as usize],
                    source: e.source,
                };
            }
        }
        EventKey {
            start,
            source: UNEXPLAINED,
        }
    }
}

/// Sorts `keys` and numbers the distinct ones from 0; returns how many.
pub fn number(keys: &mut Vec<EventKey>) -> usize {
    keys.sort_by(EventKey::order);
    keys.dedup_by(|a, b| a.order(b).is_eq());
    keys.len()
}

/// The number of `key` among `numbered` (as [`number`] left them).
pub fn index_of(numbered: &[EventKey], key: &EventKey) -> usize {
    numbered
        .binary_search_by(|k| k.order(key))
        .expect("every key was numbered")
}

/// Sums amounts by event: sorts `(key, amount)` pairs by key and returns the
/// largest per-event sum (0 when empty).
pub fn largest_event(pairs: &mut [(EventKey, f64)]) -> f64 {
    pairs.sort_by(|a, b| a.0.order(&b.0));
    let mut max = 0.0f64;
    let mut i = 0;
    while i < pairs.len() {
        let mut sum = 0.0;
        let key = pairs[i].0;
        while i < pairs.len() && pairs[i].0.order(&key).is_eq() {
            sum += pairs[i].1;
            i += 1;
        }
        max = max.max(sum);
    }
    max
}
