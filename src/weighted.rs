//! Statistics of importance-weighted trials ([`crate::tilt`]): trial i has
//! value x_i and likelihood ratio w_i (E[w] = 1), and the plain expectation
//! E[X] is estimated by the mean of w·x, with the interval from the sample
//! variance of w·x; distribution figures (exceedance probabilities,
//! quantiles) weight each trial by w_i / n. With every w_i = 1 these are the
//! plain figures.

/// The weighted mean and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// Standard error of `mean`: sd(w·x) / √n.
    pub se: f64,
    pub trials: u64,
    /// Kish's effective sample size (Σw)² / Σw², a warning sign when small.
    pub effective_trials: f64,
}

impl Estimate {
    /// The 95% interval half-width (z = 1.96).
    pub fn half_width(&self) -> f64 {
        1.959_963_984_540_054 * self.se
    }
}

/// Mean of w·x with its standard error, summed in trial order.
pub fn mean(values: impl Iterator<Item = f64>, weights: &[f64]) -> Estimate {
    let (mut n, mut sum) = (0u64, 0.0);
    let (mut sw, mut sw2) = (0.0, 0.0);
    let mut wx = Vec::with_capacity(weights.len());
    for (x, &w) in values.zip(weights) {
        n += 1;
        sum += w * x;
        sw += w;
        sw2 += w * w;
        wx.push(w * x);
    }
    let mean = if n > 0 { sum / n as f64 } else { 0.0 };
    let var = if n > 1 {
        wx.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    Estimate {
        mean,
        se: (var / n.max(1) as f64).sqrt(),
        trials: n,
        effective_trials: if sw2 > 0.0 { sw * sw / sw2 } else { 0.0 },
    }
}

/// P(X > x) for each threshold: Σ_{x_i > x} w_i / n.
pub fn exceedance(values: &[f64], weights: &[f64], thresholds: &[f64]) -> Vec<f64> {
    let n = values.len().max(1) as f64;
    thresholds
        .iter()
        .map(|&t| {
            values
                .iter()
                .zip(weights)
                .filter(|(&x, _)| x > t)
                .map(|(_, &w)| w)
                .sum::<f64>()
                / n
        })
        .collect()
}

/// The weighted quantile: the smallest x_i whose weighted share of trials at
/// or below it, Σ_{x_j ≤ x_i} w_j / Σ w, reaches `p` (self-normalised, so the
/// shares run to 1).
pub fn quantile(values: &[f64], weights: &[f64], p: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for &i in &order {
        acc += weights[i];
        if acc >= p * total {
            return values[i];
        }
    }
    order.last().map_or(0.0, |&i| values[i])
}
