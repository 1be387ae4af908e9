//! Row order inside each column of the laid-out graph: a few sweeps of the
//! barycenter heuristic, in time linear in nodes and edges per sweep.

use super::Graph;

impl Graph {
    /// Orders each column to reduce crossings: a few sweeps of the
    /// barycenter heuristic (each node moves to the mean position of its
    /// neighbours in the column before, then after), ties kept in model order.
    /// Positions are updated one column at a time, so a sweep costs the
    /// nodes and edges once (plus sorting each column).
    pub(super) fn order_rows(&mut self) {
        let n_nodes = self.nodes.len();
        let mut cols: Vec<Vec<usize>> = vec![Vec::new(); self.columns];
        for (n, node) in self.nodes.iter().enumerate() {
            cols[node.column].push(n);
        }
        let mut pred = vec![Vec::new(); n_nodes];
        let mut succ = vec![Vec::new(); n_nodes];
        for e in &self.edges {
            pred[e.to].push(e.from);
            succ[e.from].push(e.to);
        }
        // Centred position of every node in its column.
        let mut pos = vec![0.0; n_nodes];
        let place = |col: &[usize], pos: &mut [f64]| {
            let mid = (col.len() as f64 - 1.0) / 2.0;
            for (r, &n) in col.iter().enumerate() {
                pos[n] = r as f64 - mid;
            }
        };
        for col in &cols {
            place(col, &mut pos);
        }
        let forward: Vec<usize> = (1..self.columns).collect();
        let backward: Vec<usize> = (0..self.columns).rev().collect();
        for _ in 0..6 {
            for (range, links) in [(&forward, &pred), (&backward, &succ)] {
                for &c in range {
                    let key = |n: usize| {
                        let l = &links[n];
                        if l.is_empty() {
                            pos[n]
                        } else {
                            l.iter().map(|&m| pos[m]).sum::<f64>() / l.len() as f64
                        }
                    };
                    let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                        .iter()
                        .enumerate()
                        .map(|(r, &n)| (key(n), r, n))
                        .collect();
                    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    cols[c] = keyed.into_iter().map(|(_, _, n)| n).collect();
                    place(&cols[c], &mut pos);
                }
            }
        }
        for col in &cols {
            for (r, &n) in col.iter().enumerate() {
                self.nodes[n].row = r;
            }
        }
    }
}
