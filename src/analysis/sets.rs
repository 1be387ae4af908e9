//! Sets of small integers kept sorted, for the cut-set enumeration:
//! minimisation by absorption, subset test, sorted union, and a fast hasher
//! for membership tests.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast multiplicative hasher for sets of small integers (membership
/// tests only: nothing iterates these sets, so results do not depend on it).
#[derive(Default)]
pub struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastSet<T> = HashSet<T, BuildHasherDefault<Fx>>;

/// Removes duplicates and every set that contains another.
pub fn minimize(mut sets: Vec<Vec<u32>>, universe: usize) -> Vec<Vec<u32>> {
    sets.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets.dedup();
    if sets.first().is_some_and(|s| s.is_empty()) {
        // The empty set absorbs everything.
        return vec![Vec::new()];
    }
    // Sets are taken shortest first, so any subset of a candidate that is
    // kept was kept before it. Small candidates look up each of their proper
    // subsets; long ones scan the kept sets that start with one of their elements.
    let mut kept: Vec<Vec<u32>> = Vec::with_capacity(sets.len());
    let mut lookup: FastSet<Vec<u32>> = FastSet::default();
    let mut by_first: Vec<Vec<usize>> = vec![Vec::new(); universe];
    let mut sub: Vec<u32> = Vec::new();
    for cand in sets {
        let absorbed = if cand.len() <= SUBSET_LOOKUP_MAX {
            (1..(1u32 << cand.len()) - 1).any(|mask| {
                sub.clear();
                sub.extend(
                    cand.iter()
                        .enumerate()
                        .filter(|(i, _)| mask >> i & 1 == 1)
                        .map(|(_, &e)| e),
                );
                lookup.contains(sub.as_slice())
            })
        } else {
            cand.iter().any(|&e| {
                by_first[e as usize]
                    .iter()
                    .any(|&k| is_subset(&kept[k], &cand))
            })
        };
        if !absorbed {
            by_first[cand[0] as usize].push(kept.len());
            lookup.insert(cand.clone());
            kept.push(cand);
        }
    }
    kept
}

/// Longest set whose subsets [`minimize`] enumerates (2^len lookups).
const SUBSET_LOOKUP_MAX: usize = 10;

pub fn is_subset(small: &[u32], big: &[u32]) -> bool {
    let mut j = 0;
    for &x in small {
        while j < big.len() && big[j] < x {
            j += 1;
        }
        if j == big.len() || big[j] != x {
            return false;
        }
        j += 1;
    }
    true
}

pub fn merge(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i] < b[j]) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j] < a[i] {
            out.push(b[j]);
            j += 1;
        } else {
            out.push(a[i]);
            i += 1;
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force: keep the sets that contain no other (distinct) set.
    fn slow(sets: &[Vec<u32>]) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = sets
            .iter()
            .filter(|s| !sets.iter().any(|t| t != *s && is_subset(t, s)))
            .cloned()
            .collect();
        out.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        out.dedup();
        out
    }

    #[test]
    fn minimize_absorbs_supersets_short_and_long() {
        // Long sets (more elements than the subset-lookup limit) take the index path.
        let long: Vec<u32> = (0..14).collect();
        let long_minus: Vec<u32> = (1..14).collect();
        let sets = vec![
            vec![3, 5],
            vec![5],
            vec![1, 2, 3],
            vec![1, 2],
            vec![2, 9],
            vec![1, 2],
            long.clone(),
            long_minus.clone(),
            (20..33).collect(),
            (20..34).collect(),
            vec![7, 40],
        ];
        assert_eq!(minimize(sets.clone(), 64), slow(&sets));
        assert_eq!(
            minimize(vec![vec![4], Vec::new(), vec![1, 2]], 8),
            vec![Vec::<u32>::new()]
        );
    }
}
