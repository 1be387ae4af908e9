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
    Sorted::of(values.iter().copied(), weights).quantile(p)
}

/// Values sorted once with their weights' running sums, for several
/// quantiles and the exceedance curves of the charts.
#[derive(Debug, Clone, Default)]
pub struct Sorted {
    values: Vec<f64>,
    /// Σ of the weights of the values up to and including each one.
    cumulative: Vec<f64>,
    /// The smallest positive weight.
    min_weight: f64,
}

impl Sorted {
    /// Sorts the values (ties in trial order) and sums their weights in that order.
    pub fn of(values: impl Iterator<Item = f64>, weights: &[f64]) -> Self {
        let mut pairs: Vec<(f64, f64)> = values.zip(weights.iter().copied()).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut acc = 0.0;
        let cumulative = pairs
            .iter()
            .map(|&(_, w)| {
                acc += w;
                acc
            })
            .collect();
        let min_weight = pairs
            .iter()
            .map(|p| p.1)
            .filter(|&w| w > 0.0)
            .fold(f64::INFINITY, f64::min);
        Sorted {
            values: pairs.into_iter().map(|(x, _)| x).collect(),
            cumulative,
            min_weight,
        }
    }

    /// The values, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The self-normalised share of the weight on values above `x`:
    /// Σ_{x_i > x} w_i / Σ w (with every w = 1, the plain share of values above x).
    pub fn exceedance(&self, x: f64) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        if total <= 0.0 {
            return 0.0;
        }
        let k = self.values.partition_point(|&v| v <= x);
        let below = if k == 0 { 0.0 } else { self.cumulative[k - 1] };
        (total - below) / total
    }

    /// The smallest positive share one value can carry: min w / Σ w (1 when empty).
    pub fn smallest_share(&self) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        if total > 0.0 && self.min_weight.is_finite() {
            self.min_weight / total
        } else {
            1.0
        }
    }

    /// [`quantile`]: the smallest value whose weighted share reaches `p`.
    pub fn quantile(&self, p: f64) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let k = self.cumulative.partition_point(|&c| c < p * total);
        match self.values.get(k).or(self.values.last()) {
            Some(&x) => x,
            None => f64::NAN,
        }
    }
}

/// How a run was importance-sampled ([`crate::tilt`]), carried with its
/// outcomes so that every figure drawn from them is weighted.
#[derive(Debug, Clone, PartialEq)]
pub struct Importance {
    /// How the factors were chosen: [`GIVEN`] or [`CROSS_ENTROPY`].
    pub method: String,
    /// Per outage source, in `Model::sources` order: its rate factor θ_s.
    pub factors: Vec<f64>,
    /// Each trial's likelihood ratio w, in trial order.
    pub weights: Vec<f64>,
}

/// `--tilt X`: the factors were given.
pub const GIVEN: &str = "given";
/// `--tilt auto`: chosen by the cross-entropy method on pilot runs.
pub const CROSS_ENTROPY: &str = "cross-entropy";

impl Importance {
    /// Kish's effective sample size (Σw)² / Σw².
    pub fn effective_trials(&self) -> f64 {
        let (sw, sw2) = self
            .weights
            .iter()
            .fold((0.0, 0.0), |(a, b), &w| (a + w, b + w * w));
        if sw2 > 0.0 {
            sw * sw / sw2
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_give_the_plain_exceedance_and_quantiles() {
        let xs = [0.0, 0.0, 3.0, 1.0, 2.0, 2.0, 7.5];
        let s = Sorted::of(xs.iter().copied(), &[1.0; 7]);
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        for x in [-1.0, 0.0, 0.5, 1.0, 2.0, 5.0, 7.5, 9.0] {
            let above = sorted.iter().filter(|&&v| v > x).count() as f64;
            assert_eq!(s.exceedance(x), above / 7.0, "x {x}");
        }
        assert_eq!(s.smallest_share(), 1.0 / 7.0);
        // The smallest value whose share of trials at or below it reaches p.
        assert_eq!(s.quantile(0.5), 2.0);
        assert_eq!(s.quantile(2.0 / 7.0), 0.0);
        assert_eq!(s.quantile(1.0), 7.5);
    }

    #[test]
    fn weights_move_the_shares() {
        // Weight 3 on the value 10, 1 on 0: P(X > 5) = 3/4.
        let s = Sorted::of([10.0, 0.0].into_iter(), &[3.0, 1.0]);
        assert_eq!(s.exceedance(5.0), 0.75);
        assert_eq!(s.smallest_share(), 0.25);
        assert_eq!(s.quantile(0.25), 0.0);
        assert_eq!(s.quantile(0.26), 10.0);
    }
}
