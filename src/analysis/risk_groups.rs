//! Risk groups: the minimal sets of outage sources whose joint activity
//! takes a component down, from the graph structure alone (minimal cut sets).
//!
//! The basic events are the scenario's hits, "source s takes component c
//! down" ([`Hit`]). Cut sets of basic events are built bottom-up in
//! topological order: a component is cut by any basic event on it, or when
//! its needs are cut under its mode (`all`: any need; `any` and `failover`:
//! every need; `quorum k of n`: at least n − k + 1 needs). Families are
//! minimised by absorption after each step. They are then projected onto
//! sources (a source takes part when any of its hits does) and minimised
//! again, so a cause that hits both branches of a pair forms a set of one.
//!
//! Bounds: only sets of at most `max_order` sources are built (exact: every
//! minimal set of a parent that small is a union of child sets that small),
//! and a family larger than `max_sets` keeps only its smallest sizes, which
//! lowers the size up to which the list is complete ([`RiskGroups::complete_to`]).

use super::graph::{Graph, Hit};
use super::sets::{merge, minimize, FastSet};
use crate::model::{Mode, Model};

/// Limits on the enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest number of sources in a listed set.
    pub max_order: usize,
    /// Most sets kept per component.
    pub max_sets: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_order: 4,
            max_sets: 10_000,
        }
    }
}

/// Minimal cut sets of one component in basic events (indices into `Graph::hits`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Family {
    /// Each sorted ascending; no set contains another.
    pub sets: Vec<Vec<u32>>,
    /// Every minimal set of at most this many sources is in `sets`.
    pub complete_to: usize,
}

/// One minimal set of outage sources.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskGroup {
    /// Source indices, ascending.
    pub sources: Vec<usize>,
    /// Per source (same order): the components through which it takes part.
    pub via: Vec<Vec<usize>>,
    /// Steady-state probability that the set is active in the way that takes
    /// the component down, treating sources as independent (see docs/analysis.md).
    pub probability: f64,
}

/// The risk groups of one component.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskGroups {
    /// Smallest first; within a size, most probable first, then by ids.
    pub groups: Vec<RiskGroup>,
    /// Every minimal set of at most this many sources is listed; below
    /// `max_order` when the count limit cut the enumeration short.
    pub complete_to: usize,
}

/// The distinct sources of a set of basic events (hits are ordered by source).
fn sources_of(set: &[u32], hits: &[Hit]) -> usize {
    let mut n = 0;
    let mut last = usize::MAX;
    for &h in set {
        let s = hits[h as usize].source;
        if s != last {
            n += 1;
            last = s;
        }
    }
    n
}

struct Builder<'g> {
    hits: &'g [Hit],
    limits: Limits,
}

impl Builder<'_> {
    /// Keeps the smallest sizes when a family is over the count limit.
    fn cap(&self, mut f: Family) -> Family {
        if f.sets.len() <= self.limits.max_sets {
            return f;
        }
        let mut count_by_size = vec![0usize; f.complete_to + 2];
        for s in &f.sets {
            let k = sources_of(s, self.hits).min(f.complete_to + 1);
            count_by_size[k] += 1;
        }
        let (mut total, mut keep_to) = (0, 0);
        for (k, &c) in count_by_size.iter().enumerate().skip(1) {
            total += c;
            if total > self.limits.max_sets || k > f.complete_to {
                break;
            }
            keep_to = k;
        }
        f.sets.retain(|s| sources_of(s, self.hits) <= keep_to);
        f.complete_to = keep_to;
        f
    }

    fn or(&self, parts: &[&Family]) -> Family {
        let complete_to = parts
            .iter()
            .map(|f| f.complete_to)
            .min()
            .unwrap_or(self.limits.max_order);
        let sets: Vec<Vec<u32>> = parts
            .iter()
            .flat_map(|f| f.sets.iter())
            .filter(|s| sources_of(s, self.hits) <= complete_to)
            .cloned()
            .collect();
        self.cap(Family {
            sets: minimize(sets, self.hits.len()),
            complete_to,
        })
    }

    /// Every union of one set from each family, of at most `complete_to` sources.
    ///
    /// A pair (x, y) has |src(x) ∪ src(y)| = |src(x)| + |src(y)| − shared
    /// sources, so when the sizes add up to more than the limit only pairs
    /// that share a source can qualify: those are found through an index of
    /// `b`'s sets by source instead of trying every pair.
    fn and(&self, a: &Family, b: &Family) -> Family {
        let mut k = self.limits.max_order.min(a.complete_to).min(b.complete_to);
        let budget = 8 * self.limits.max_sets + 1024;
        let hits = self.hits;
        let size_a: Vec<usize> = a.sets.iter().map(|x| sources_of(x, hits)).collect();
        // b's sets in order of size, and by source.
        let mut order: Vec<usize> = (0..b.sets.len()).collect();
        let size_b: Vec<usize> = b.sets.iter().map(|y| sources_of(y, hits)).collect();
        order.sort_by_key(|&i| size_b[i]);
        let mut by_source: Vec<Vec<usize>> = Vec::new();
        for (i, y) in b.sets.iter().enumerate() {
            for &h in y {
                let src = hits[h as usize].source;
                if by_source.len() <= src {
                    by_source.resize(src + 1, Vec::new());
                }
                if by_source[src].last() != Some(&i) {
                    by_source[src].push(i);
                }
            }
        }
        let mut seen: FastSet<Vec<u32>> = FastSet::default();
        let mut out: Vec<Vec<u32>> = Vec::new();
        let mut u = Vec::new();
        let mut stamp = vec![usize::MAX; b.sets.len()];
        let mut candidates: Vec<usize> = Vec::new();
        for (xi, x) in a.sets.iter().enumerate() {
            let sx = size_a[xi];
            if sx > k {
                continue;
            }
            // Every y small enough to fit whatever it shares, then those that share a source.
            candidates.clear();
            for &yi in order.iter().take_while(|&&yi| size_b[yi] <= k - sx) {
                stamp[yi] = xi;
                candidates.push(yi);
            }
            let mut last = usize::MAX;
            for &h in x {
                let src = hits[h as usize].source;
                if src == last || src >= by_source.len() {
                    continue;
                }
                last = src;
                for &yi in &by_source[src] {
                    if stamp[yi] != xi && size_b[yi] <= k {
                        stamp[yi] = xi;
                        candidates.push(yi);
                    }
                }
            }
            for &yi in &candidates {
                merge(x, &b.sets[yi], &mut u);
                if sources_of(&u, hits) > k || seen.contains(&u) {
                    continue;
                }
                seen.insert(u.clone());
                out.push(u.clone());
            }
            if out.len() > budget {
                // Too many: give up the largest size and go on with fewer.
                while out.len() > budget && k > 0 {
                    k -= 1;
                    out.retain(|s| sources_of(s, hits) <= k);
                    seen.retain(|s| sources_of(s, hits) <= k);
                }
                if k == 0 {
                    break;
                }
            }
        }
        self.cap(Family {
            sets: minimize(out, hits.len()),
            complete_to: k,
        })
    }

    /// Sets that cut at least `m` of the families.
    fn at_least(&self, parts: &[&Family], m: usize) -> Family {
        let k = self.limits.max_order;
        let unit = Family {
            sets: vec![Vec::new()],
            complete_to: k,
        };
        let empty = Family {
            sets: Vec::new(),
            complete_to: k,
        };
        // g[j]: sets cutting at least j of the families seen so far.
        let mut g: Vec<Family> = vec![empty; m + 1];
        g[0] = unit;
        for (i, f) in parts.iter().enumerate() {
            for j in (1..=m.min(i + 1)).rev() {
                let with = self.and(&g[j - 1], f);
                g[j] = self.or(&[&g[j], &with]);
            }
        }
        g.swap_remove(m)
    }
}

/// The minimal cut sets, in basic events, of every component.
pub fn families(model: &Model, graph: &Graph, limits: Limits) -> Vec<Family> {
    let b = Builder {
        hits: &graph.hits,
        limits,
    };
    let mut fams: Vec<Family> = Vec::with_capacity(model.components.len());
    for (c, comp) in model.components.iter().enumerate() {
        let direct = Family {
            sets: graph.direct[c].iter().map(|&h| vec![h as u32]).collect(),
            complete_to: limits.max_order,
        };
        let needs: Vec<&Family> = comp.needs.iter().map(|&d| &fams[d]).collect();
        let n = needs.len();
        let through_needs = match comp.mode {
            _ if n == 0 => None,
            Mode::All => Some(b.or(&needs)),
            Mode::Any | Mode::Failover { .. } => Some(b.at_least(&needs, n)),
            Mode::Quorum(k) => Some(b.at_least(&needs, n - k + 1)),
            // Below full capacity counts as failed; with unequal capacities
            // any set as large as the smallest cut counts (an over-approximation).
            Mode::Pool => Some(b.at_least(&needs, comp.pool_cut().max(1))),
        };
        let f = match through_needs {
            Some(t) => b.or(&[&direct, &t]),
            None => b.cap(direct),
        };
        fams.push(f);
    }
    fams
}

/// Stand-alone unavailability of a source when its events must hit every
/// one of `components`: 1 − exp(−rate × E[D] × Π p).
fn unavailability(model: &Model, graph: &Graph, set: &[u32], source: usize) -> f64 {
    let src = &model.sources[source];
    let p: f64 = set
        .iter()
        .map(|&h| &graph.hits[h as usize])
        .filter(|h| h.source == source)
        .map(|h| h.probability)
        .product();
    1.0 - (-src.rate_per_hour * src.duration.mean() * p).exp()
}

/// Projects a component's family onto sources and minimises it.
pub fn risk_groups(model: &Model, graph: &Graph, family: &Family) -> RiskGroups {
    let project = |set: &[u32]| -> Vec<u32> {
        let mut s: Vec<u32> = set
            .iter()
            .map(|&h| graph.hits[h as usize].source as u32)
            .collect();
        s.dedup();
        s
    };
    let projected: Vec<Vec<u32>> = family.sets.iter().map(|s| project(s)).collect();
    // The family's sets by projection, so each group visits only its own.
    let mut by_projection: std::collections::HashMap<&[u32], Vec<usize>> = Default::default();
    for (i, p) in projected.iter().enumerate() {
        by_projection.entry(p.as_slice()).or_default().push(i);
    }
    let minimal = minimize(projected.clone(), model.sources.len());
    let mut groups: Vec<RiskGroup> = minimal
        .into_iter()
        .map(|srcs| {
            let sources: Vec<usize> = srcs.iter().map(|&s| s as usize).collect();
            let mut via = vec![Vec::new(); sources.len()];
            let mut probability: f64 = 0.0;
            for &i in by_projection.get(srcs.as_slice()).map_or(&[][..], |v| v) {
                let set = &family.sets[i];
                let p: f64 = sources
                    .iter()
                    .map(|&s| unavailability(model, graph, set, s))
                    .product();
                probability = probability.max(p);
                for &h in set {
                    let hit = &graph.hits[h as usize];
                    let k = sources
                        .iter()
                        .position(|&s| s == hit.source)
                        .expect("in set");
                    via[k].push(hit.component);
                }
            }
            for v in &mut via {
                v.sort_unstable();
                v.dedup();
            }
            RiskGroup {
                sources,
                via,
                probability,
            }
        })
        .collect();
    let key = |g: &RiskGroup| -> Vec<&str> {
        let mut ids: Vec<&str> = g
            .sources
            .iter()
            .map(|&s| model.sources[s].id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    };
    groups.sort_by(|a, b| {
        a.sources
            .len()
            .cmp(&b.sources.len())
            .then(b.probability.total_cmp(&a.probability))
            .then_with(|| key(a).cmp(&key(b)))
    });
    RiskGroups {
        groups,
        complete_to: family.complete_to,
    }
}
