//! Parameter importance from the outer draws: for each architecture and
//! uncertain parameter, Spearman's rank correlation between the parameter's
//! drawn values and the architecture's figure across draws (total cost a
//! year where the design has one, else mean down time). Its square is the
//! share of the figure's rank variance that a monotone relation with that
//! parameter alone explains.

use super::draws::Draws;

/// One row of `parameter_importance.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Importance {
    pub architecture: String,
    pub parameter: String,
    /// `total_cost` or `downtime_hours_mean`.
    pub figure: &'static str,
    /// In [−1, 1]; None when either side does not vary across draws.
    pub spearman: Option<f64>,
}

/// Ranks 1..n, ties given their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut r = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation: Pearson's correlation of the ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Every (architecture, parameter) pair, architectures in model order.
pub fn table(d: &Draws) -> Vec<Importance> {
    let mut out = Vec::new();
    for (a, arch) in d.architectures.iter().enumerate() {
        let figure = if d
            .draws
            .first()
            .and_then(|x| x.figures[a].total_cost)
            .is_some()
        {
            "total_cost"
        } else {
            "downtime_hours_mean"
        };
        let y: Vec<f64> = d
            .draws
            .iter()
            .map(|x| x.figures[a].get(figure).unwrap_or(0.0))
            .collect();
        for (p, param) in d.params.iter().enumerate() {
            let x: Vec<f64> = d.draws.iter().map(|dr| dr.values[p]).collect();
            out.push(Importance {
                architecture: arch.clone(),
                parameter: param.name.clone(),
                figure,
                spearman: spearman(&x, &y),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_correlation_of_monotone_and_reversed_relations() {
        let x = [0.3, 1.0, 2.5, 7.0, 9.0];
        let up: Vec<f64> = x.iter().map(|v: &f64| v.exp()).collect();
        let down: Vec<f64> = x.iter().map(|v| -v * v).collect();
        assert_eq!(spearman(&x, &up), Some(1.0));
        assert_eq!(spearman(&x, &down), Some(-1.0));
        assert_eq!(spearman(&x, &[1.0; 5]), None);
        assert_eq!(ranks(&[2.0, 1.0, 2.0]), vec![2.5, 1.0, 2.5]);
        // A hand-computed case: ranks (1,2,3,4) and (2,1,4,3): ρ = 1 − 6·4/(4·15) = 0.6.
        let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 3.0]).unwrap();
        assert!((r - 0.6).abs() < 1e-12);
    }
}
