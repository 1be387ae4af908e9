//! The per-trial figures of the insurance outputs, plain or weighted: a plain
//! run's trials count 1/N each, an importance-sampled run's (`run --tilt`)
//! trial t counts w_t/N, w_t its likelihood ratio
//! ([`crate::weighted::Importance`]). This module owns that one choice for
//! payouts, premiums, portfolios, co-TVaR and decisions: expected values are
//! the mean of w·x with the interval from the standard error of w·x, shares
//! of trials are Σ w/N over the trials that count, and tail figures (TVaR,
//! PML, the Wang transform) read the period-weighted exceedance curve
//! ([`WeightedCurve`], the curve of the ORD files). With no weights every
//! function is the plain one, call for call (docs/insurance.md §3.1).

use super::ep::{self, EpCurve};
use super::period_weights::{self, WeightedCurve};
use crate::stats::{Moments, Z_95};

/// Each trial's likelihood ratio, in trial order; `None` for a plain run.
pub type Weights<'a> = Option<&'a [f64]>;

/// An exceedance curve of per-trial values: ranked counts, or ranked weights.
#[derive(Debug, Clone, PartialEq)]
pub enum Curve {
    Plain(EpCurve),
    Weighted(WeightedCurve),
}

impl Curve {
    /// The curve of `values` (trial order), with the trials' weights if any.
    pub fn new(values: &[f64], w: Weights) -> Curve {
        match w {
            None => Curve::Plain(EpCurve::new(values.iter().copied())),
            Some(w) => Curve::Weighted(WeightedCurve::new(values, w)),
        }
    }

    /// TVaR at confidence `level` ([`EpCurve::tvar`], [`WeightedCurve::tvar`]).
    pub fn tvar(&self, level: f64) -> f64 {
        match self {
            Curve::Plain(c) => c.tvar(level),
            Curve::Weighted(c) => c.tvar(level),
        }
    }

    /// The loss at return period `rp`, where the trials reach it.
    pub fn loss_at(&self, rp: f64) -> Option<f64> {
        match self {
            Curve::Plain(c) => c.loss_at(rp),
            Curve::Weighted(c) => c.loss_at(rp),
        }
    }
}

/// An expected value: its moments (mean, SD) and 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mean {
    pub moments: Moments,
    pub lo: f64,
    pub hi: f64,
}

/// The mean of `values`: plain, [`Moments::of`] with its interval
/// mean ± z·sd/√N; weighted, Σ w x / N with the SD Oasis's `aalpy` gives a
/// weighted period (√((Σ w x² − (Σ w x)²/N)/(N − 1))) and the interval from
/// the estimator's standard error sd(w·x)/√N.
pub fn mean(values: &[f64], w: Weights) -> Mean {
    match w {
        None => {
            let m = Moments::of(values.iter().copied());
            let (lo, hi) = m.ci(Z_95);
            Mean { moments: m, lo, hi }
        }
        Some(w) => {
            let (mean, sd, se) = period_weights::moments(values, w);
            Mean {
                moments: Moments {
                    n: values.len() as u64,
                    mean,
                    sd,
                },
                lo: mean - Z_95 * se,
                hi: mean + Z_95 * se,
            }
        }
    }
}

/// The share of the `n` trials for which `hits` is true: k/N plain, Σ_hit w / N weighted.
pub fn share(hits: impl Iterator<Item = bool>, w: Weights, n: usize) -> f64 {
    match w {
        None => hits.filter(|&h| h).count() as f64 / n.max(1) as f64,
        Some(w) => {
            hits.zip(w)
                .filter(|(h, _)| *h)
                .map(|(_, &w)| w)
                .sum::<f64>()
                / n.max(1) as f64
        }
    }
}

/// P(hit | given) over the trials: plain, the count ratio; weighted, Σ w over
/// both / Σ w over `given`. `None` when no trial is `given` (weighted: when
/// their weights, underflowed, sum to 0).
pub fn conditional(pairs: impl Iterator<Item = (bool, bool)>, w: Weights) -> Option<f64> {
    let (mut given, mut both) = (0u64, 0u64);
    let (mut wg, mut wb) = (0.0, 0.0);
    for (t, (g, h)) in pairs.enumerate() {
        if g {
            given += 1;
            let wt = w.map_or(1.0, |w| w[t]);
            wg += wt;
            if h {
                both += 1;
                wb += wt;
            }
        }
    }
    match w {
        None => (given > 0).then(|| both as f64 / given as f64),
        Some(_) => (wg > 0.0).then(|| wb / wg),
    }
}

/// TVaR at `level` of unsorted values ([`ep::tvar`]; weighted, [`WeightedCurve::tvar`]).
pub fn tvar(values: &[f64], w: Weights, level: f64) -> f64 {
    match w {
        None => ep::tvar(values, level),
        Some(w) => WeightedCurve::new(values, w).tvar(level),
    }
}

/// The trials TVaR at `level` averages over, each with the share of it that
/// counts, and the total m of those shares, so Σ share·x / m is the TVaR
/// (plain: [`ep::tail_trials`]). Weighted: trials from the largest value down
/// (ties in trial order) with their weights w_t, up to m = N(1 − level)
/// ([`ep::tail_size`], at most Σ w), the last one in part.
pub fn tail_trials(values: &[f64], w: Weights, level: f64) -> (Vec<(usize, f64)>, f64) {
    let Some(w) = w else {
        return ep::tail_trials(values, level);
    };
    let n = values.len();
    if n == 0 {
        return (Vec::new(), 0.0);
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let total: f64 = w.iter().sum();
    let m = ep::tail_size(n, level).min(total);
    let (mut out, mut taken) = (Vec::new(), 0.0);
    for t in order {
        if taken + w[t] <= m {
            out.push((t, w[t]));
            taken += w[t];
        } else {
            let part = m - taken;
            if part > 0.0 {
                out.push((t, part));
                taken += part;
            }
            break;
        }
    }
    (out, taken)
}

/// Pearson's correlation of two series, weighted: the weighted means and
/// (co)variances Σ w (x − x̄)(y − ȳ) / Σ w. `None` when either is constant.
pub fn correlation_weighted(x: &[f64], y: &[f64], w: &[f64]) -> Option<f64> {
    let sw: f64 = w.iter().sum();
    if sw <= 0.0 {
        return None;
    }
    let mx = x.iter().zip(w).map(|(a, w)| w * a).sum::<f64>() / sw;
    let my = y.iter().zip(w).map(|(b, w)| w * b).sum::<f64>() / sw;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for ((a, b), w) in x.iter().zip(y).zip(w) {
        let (dx, dy) = (a - mx, b - my);
        sxy += w * dx * dy;
        sxx += w * dx * dx;
        syy += w * dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: [f64; 10] = [0.0, 5.0, 1.0, 0.0, 9.0, 3.0, 0.0, 7.0, 2.0, 0.0];

    #[test]
    fn unit_weights_give_the_plain_figures() {
        let w = [1.0; 10];
        for level in [0.5, 0.8, 0.9, 0.95, 0.99] {
            let (a, b) = (tvar(&V, None, level), tvar(&V, Some(&w), level));
            assert!((a - b).abs() < 1e-12, "{level}: {a} {b}");
            let (pa, ma) = tail_trials(&V, None, level);
            let (pb, mb) = tail_trials(&V, Some(&w), level);
            assert!((ma - mb).abs() < 1e-12);
            assert_eq!(
                pa.iter().map(|p| p.0).collect::<Vec<_>>(),
                pb.iter().map(|p| p.0).collect::<Vec<_>>()
            );
        }
        let (p, q) = (mean(&V, None), mean(&V, Some(&w)));
        assert!((p.moments.mean - q.moments.mean).abs() < 1e-12);
        assert!((p.moments.sd - q.moments.sd).abs() < 1e-12);
        assert!((p.lo - q.lo).abs() < 1e-12 && (p.hi - q.hi).abs() < 1e-12);
        let hits = || V.iter().map(|&x| x > 2.0);
        assert_eq!(share(hits(), None, 10), share(hits(), Some(&w), 10));
        let pairs = || V.iter().map(|&x| (x > 0.0, x > 4.0));
        assert_eq!(conditional(pairs(), None), Some(0.5));
        assert_eq!(conditional(pairs(), Some(&w)), Some(0.5));
        let y: Vec<f64> = V.iter().map(|x| x * x).collect();
        let plain = super::super::policies::correlation(&V, &y).unwrap();
        assert!((correlation_weighted(&V, &y, &w).unwrap() - plain).abs() < 1e-12);
    }

    #[test]
    fn weights_by_hand() {
        // Two trials: 10 with weight 0.02, 0 with weight 1.98 (N = 2).
        let (x, w) = ([0.0, 10.0], [1.98, 0.02]);
        let m = mean(&x, Some(&w));
        assert!((m.moments.mean - 0.1).abs() < 1e-15);
        // w·x = (0, 0.2): sd 0.2/√2, se 0.1.
        assert!((m.hi - (0.1 + Z_95 * 0.1)).abs() < 1e-12);
        assert!((share(x.iter().map(|&v| v > 0.0), Some(&w), 2) - 0.01).abs() < 1e-15);
        // TVaR 99%: m = 0.02, all of it on the 10.
        assert!((tvar(&x, Some(&w), 0.99) - 10.0).abs() < 1e-12);
        // TVaR 98%: m = 0.04, half on 10, half on 0.
        assert!((tvar(&x, Some(&w), 0.98) - 5.0).abs() < 1e-12);
        let (tail, m) = tail_trials(&x, Some(&w), 0.98);
        assert_eq!(tail.len(), 2);
        assert!((m - 0.04).abs() < 1e-15 && (tail[1].1 - 0.02).abs() < 1e-15);
        // P(x > 5 | x ≥ 0) weighted: 0.02 / 2.
        let pairs = x.iter().map(|&v| (v >= 0.0, v > 5.0));
        assert!((conditional(pairs, Some(&w)).unwrap() - 0.01).abs() < 1e-15);
        // Weights underflowed to 0 give no figure rather than 0/0.
        let zero = [0.0, 0.0];
        let pairs = x.iter().map(|&v| (v >= 0.0, v > 5.0));
        assert_eq!(conditional(pairs, Some(&zero)), None);
        assert_eq!(tvar(&x, Some(&zero), 0.99), 10.0);
        assert_eq!(correlation_weighted(&x, &x, &zero), None);
    }
}
