//! The components' topological order (needs first), or a dependency cycle.

use crate::model::Component;
use std::collections::BTreeMap;

/// Kahn's algorithm taking ready components in file order; on a cycle,
/// returns the components on one cycle, in need order.
pub(super) fn topological_order(comps: &[Component]) -> Result<Vec<usize>, Vec<usize>> {
    let n = comps.len();
    let mut indegree: Vec<usize> = comps.iter().map(|c| c.needs.len()).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in comps.iter().enumerate() {
        for &d in &c.needs {
            users[d].push(i);
        }
    }
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &u in &users[i] {
            indegree[u] -= 1;
            if indegree[u] == 0 {
                ready.insert(u);
            }
        }
    }
    if order.len() == n {
        return Ok(order);
    }
    // Walk needs among the remaining components until one repeats.
    let remaining: Vec<bool> = (0..n).map(|i| indegree[i] > 0).collect();
    let start = (0..n).find(|&i| remaining[i]).expect("a cycle exists");
    let mut path = vec![start];
    let mut pos: BTreeMap<usize, usize> = BTreeMap::from([(start, 0)]);
    let mut cur = start;
    loop {
        let next = *comps[cur]
            .needs
            .iter()
            .find(|&&d| remaining[d])
            .expect("on a cycle");
        if let Some(&p) = pos.get(&next) {
            return Err(path[p..].to_vec());
        }
        pos.insert(next, path.len());
        path.push(next);
        cur = next;
    }
}
