//! Exceedance-probability curves from per-period losses, the way OasisLMF's
//! full-uncertainty EP calculation (`EPCalc = 2`) ranks them: all N periods
//! sorted from the largest loss down, rank i having return period N / i.
//! Losses at other return periods are interpolated linearly in return-period
//! space between neighbouring ranks; TVaR at a return period is the mean loss
//! of the worst N / RP periods. See docs/insurance.md for the formulas.

/// The standard return periods reported in the `*_ept.csv` tables, largest first.
pub const RETURN_PERIODS: [f64; 10] = [
    1000.0, 500.0, 250.0, 200.0, 100.0, 50.0, 25.0, 10.0, 5.0, 2.0,
];

/// Rounds `m` to the nearest integer when it is one up to floating-point noise
/// (e.g. `100000 × (1 − 0.99)`), so ranks land on order statistics.
pub(crate) fn snap(m: f64) -> f64 {
    let r = m.round();
    if (m - r).abs() <= 1e-9 * m.abs().max(1.0) {
        r
    } else {
        m
    }
}

/// Per-period losses ranked from the largest down, with running sums.
#[derive(Debug, Clone, PartialEq)]
pub struct EpCurve {
    desc: Vec<f64>,
    /// `prefix[i]` = sum of the i largest losses (summed from the largest down).
    prefix: Vec<f64>,
    positive: usize,
}

impl EpCurve {
    /// Ranks per-period losses (NaN-free).
    pub fn new(values: impl Iterator<Item = f64>) -> Self {
        let mut desc: Vec<f64> = values.collect();
        if desc.iter().all(|x| x.is_sign_positive()) {
            // Non-negative floats order like their bit patterns: a faster sort, same order.
            desc.sort_unstable_by_key(|x| std::cmp::Reverse(x.to_bits()));
        } else {
            desc.sort_unstable_by(|a, b| b.total_cmp(a));
        }
        let mut prefix = Vec::with_capacity(desc.len() + 1);
        let mut s = 0.0;
        prefix.push(s);
        for &x in &desc {
            s += x;
            prefix.push(s);
        }
        let positive = desc.iter().take_while(|&&x| x > 0.0).count();
        EpCurve {
            desc,
            prefix,
            positive,
        }
    }

    /// Number of periods N.
    pub fn periods(&self) -> usize {
        self.desc.len()
    }

    /// The i-th largest loss (i from 1), whose return period is N / i.
    pub fn ranked(&self, i: usize) -> f64 {
        self.desc[i - 1]
    }

    /// Losses from the largest down.
    pub fn descending(&self) -> &[f64] {
        &self.desc
    }

    /// Loss at return period `rp`; `None` when `rp` is outside [1, N] (the
    /// periods do not allow it). Between ranks i+1 and i it is interpolated
    /// linearly in return period; past the smallest positive loss it is 0 (as
    /// OasisLMF's ktools does).
    pub fn loss_at(&self, rp: f64) -> Option<f64> {
        let n = self.desc.len() as f64;
        if !(rp >= 1.0 && rp <= n) {
            return None;
        }
        let m = snap(n / rp);
        if m > self.positive as f64 {
            return Some(0.0);
        }
        let k = m.floor() as usize;
        if m == k as f64 {
            return Some(self.desc[k - 1]);
        }
        let (rp_hi, rp_lo) = (n / k as f64, n / (k + 1) as f64);
        let (hi, lo) = (self.desc[k - 1], self.desc[k]);
        let w = (rp - rp_lo) / (rp_hi - rp_lo);
        Some(lo + w * (hi - lo))
    }

    /// Tail value at risk at return period `rp`: the mean loss of the worst
    /// m = N / rp periods (a fraction of the next one when m is fractional);
    /// `None` when `rp` is outside [1, N].
    pub fn tvar_at(&self, rp: f64) -> Option<f64> {
        let n = self.desc.len() as f64;
        if !(rp >= 1.0 && rp <= n) {
            return None;
        }
        Some(self.tail_mean(snap(n / rp)))
    }

    /// TVaR at confidence `level` (e.g. 0.99): the mean of the worst N(1 − level) periods.
    pub fn tvar(&self, level: f64) -> f64 {
        let n = self.desc.len() as f64;
        if n == 0.0 {
            return 0.0;
        }
        self.tail_mean(tail_size(self.desc.len(), level))
    }

    fn tail_mean(&self, m: f64) -> f64 {
        let m = m.min(self.desc.len() as f64);
        let k = m.floor() as usize;
        let f = m - k as f64;
        let partial = if f > 0.0 { f * self.desc[k] } else { 0.0 };
        if m < 1.0 {
            // Less than one period: the largest loss.
            return self.desc[0];
        }
        (self.prefix[k] + partial) / m
    }
}

/// The number of worst periods TVaR at `level` averages over, m = N(1 − level)
/// (snapped to an integer when it is one up to rounding), at least a sliver
/// of one period and at most N. The one tail definition used in every file.
pub fn tail_size(n: usize, level: f64) -> f64 {
    snap(n as f64 * (1.0 - level)).clamp(f64::MIN_POSITIVE, n as f64)
}

/// The trials TVaR at `level` averages over, with their weights: trials
/// ranked by value from the largest down (ties in trial order), weight 1 for
/// the first ⌊m⌋ and m − ⌊m⌋ for the next, m = [`tail_size`]. Returns them
/// and m, so Σ w_t x_t / m is the TVaR (summed in another order).
pub fn tail_trials(values: &[f64], level: f64) -> (Vec<(usize, f64)>, f64) {
    let n = values.len();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let m = tail_size(n, level);
    let k = m.floor() as usize;
    let mut out: Vec<(usize, f64)> = order.iter().take(k).map(|&t| (t, 1.0)).collect();
    let f = m - k as f64;
    if f > 0.0 && k < n {
        out.push((order[k], f));
    }
    (out, m)
}

/// TVaR at confidence `level` of unsorted values, without ranking all of
/// them: the worst m = N(1 − level) values are selected in linear time and
/// summed from the largest down, so the result equals [`EpCurve::tvar`] bit
/// for bit.
pub fn tvar(values: &[f64], level: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let m = tail_size(n, level);
    if m < 1.0 {
        return values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    }
    let k = m.floor() as usize;
    let f = m - k as f64;
    let mut v = values.to_vec();
    let desc = |a: &f64, b: &f64| b.total_cmp(a);
    let next = if k < n {
        let (top, next, _) = v.select_nth_unstable_by(k, desc);
        top.sort_unstable_by(desc);
        *next
    } else {
        v.sort_unstable_by(desc);
        0.0
    };
    let sum = v[..k].iter().fold(0.0, |s, x| s + x);
    let partial = if f > 0.0 { f * next } else { 0.0 };
    (sum + partial) / m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(v: &[f64]) -> EpCurve {
        EpCurve::new(v.iter().copied())
    }

    #[test]
    fn ranks_and_exact_return_periods() {
        // 10 periods: return period of rank i is 10 / i.
        let c = curve(&[0.0, 5.0, 1.0, 0.0, 9.0, 3.0, 0.0, 7.0, 2.0, 0.0]);
        assert_eq!(c.loss_at(10.0), Some(9.0));
        assert_eq!(c.loss_at(5.0), Some(7.0));
        assert_eq!(c.loss_at(2.0), Some(2.0)); // rank 5
        assert_eq!(c.loss_at(11.0), None);
        assert_eq!(c.loss_at(0.5), None);
        // Between rank 1 (rp 10) and rank 2 (rp 5), linear in return period.
        assert!((c.loss_at(7.5).unwrap() - 8.0).abs() < 1e-12);
        // Past the last positive loss (rank 6, rp 10/6): 0, as ktools does.
        assert_eq!(c.loss_at(10.0 / 6.0), Some(1.0));
        assert_eq!(c.loss_at(1.5), Some(0.0));
    }

    #[test]
    fn tvar_is_the_tail_mean() {
        let c = curve(&[0.0, 5.0, 1.0, 0.0, 9.0, 3.0, 0.0, 7.0, 2.0, 0.0]);
        assert_eq!(c.tvar_at(10.0), Some(9.0));
        assert_eq!(c.tvar_at(5.0), Some(8.0));
        assert_eq!(c.tvar_at(1.0), Some(2.7));
        // m = 2.5 periods: (9 + 7 + 0.5 × 5) / 2.5.
        assert!((c.tvar_at(4.0).unwrap() - 18.5 / 2.5).abs() < 1e-12);
        assert!((c.tvar(0.8) - 8.0).abs() < 1e-12);
        assert_eq!(c.tvar(0.99), 9.0);
    }

    #[test]
    fn tvar_without_ranking_equals_the_curve() {
        let v: Vec<f64> = (0..10_007u64)
            .map(|i| ((i * 7919) % 1013) as f64 * 0.37)
            .collect();
        let c = EpCurve::new(v.iter().copied());
        for level in [0.0, 0.5, 0.9, 0.99, 0.995, 0.9999, 0.99999] {
            assert_eq!(tvar(&v, level), c.tvar(level), "{level}");
        }
        assert_eq!(tvar(&[], 0.99), 0.0);
    }

    #[test]
    fn snapping_lands_on_order_statistics() {
        let v: Vec<f64> = (0..100_000).map(f64::from).collect();
        let c = EpCurve::new(v.iter().copied());
        // N (1 − 0.99) = 1000.0000000000009 without snapping.
        let top: f64 = (99_000..100_000).map(f64::from).sum::<f64>() / 1000.0;
        assert!((c.tvar(0.99) - top).abs() < 1e-6);
        assert_eq!(c.loss_at(100.0), Some(99_999.0 - 999.0));
    }
}
