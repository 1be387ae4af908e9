//! Period weights: the ORD figures of an importance-sampled run (`run --tilt`
//! with `--ord`), where period (trial) t carries its likelihood ratio w_t
//! ([`crate::weighted::Importance`]) as OasisLMF carries a `periods.bin`
//! weighting. The weighting written to `periods.csv` is w_t / N (N periods;
//! a plain run's would be Oasis's default 1/N), and every figure here is what
//! OasisLMF's `aalpy` and `lec` compute from that file
//! (docs/insurance.md §9.1):
//!
//! - average loss (`palt`): Σ w x / N, the plain likelihood-ratio
//!   estimator; SD as Oasis's √((Σ w x² − (Σ w x)²/N) / (N − 1));
//! - its convergence (`alct`): the same mean over the first n periods with
//!   the estimator's own standard error sd(w·x)/√n;
//! - the EP table (`ept`): periods ranked from the largest loss down, rank i
//!   at return period 1 / F_i with F_i = Σ_{j ≤ i} w_j / N, interpolated
//!   linearly in return period between ranks; TVaR the weighted mean of the
//!   periods whose weight reaches N / RP.

use super::ep::snap;
use super::ord::{AlctRow, OrdSummary, SummaryKind};
use crate::stats::Z_95;

/// Per-period losses with their weights, ranked from the largest loss down
/// (ties in period order).
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedCurve {
    /// (loss, w), largest loss first.
    desc: Vec<(f64, f64)>,
    /// `cum[i]` = Σ of the weights of the i + 1 largest losses.
    cum: Vec<f64>,
    /// Number of positive losses.
    positive: usize,
    n: f64,
}

impl super::ord::ExceedanceCurve for WeightedCurve {
    fn loss_at(&self, rp: f64) -> Option<f64> {
        WeightedCurve::loss_at(self, rp)
    }
    fn tvar_at(&self, rp: f64) -> Option<f64> {
        WeightedCurve::tvar_at(self, rp)
    }
}

impl WeightedCurve {
    /// Ranks `values` (period order) with their weights.
    pub fn new(values: &[f64], weights: &[f64]) -> Self {
        let mut desc: Vec<(f64, f64)> = values
            .iter()
            .copied()
            .zip(weights.iter().copied())
            .collect();
        // Stable: ties keep period order.
        desc.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut acc = 0.0;
        let cum = desc
            .iter()
            .map(|&(_, w)| {
                acc += w;
                acc
            })
            .collect();
        let positive = desc.iter().take_while(|p| p.0 > 0.0).count();
        WeightedCurve {
            desc,
            cum,
            positive,
            n: values.len() as f64,
        }
    }

    /// Return period of rank i (from 1): N / Σ_{j ≤ i} w_j.
    fn rp(&self, i: usize) -> f64 {
        self.n / self.cum[i - 1]
    }

    /// Loss at return period `rp`; `None` outside [1, the largest loss's
    /// return period] (with every weight 1, [1, N], as
    /// [`super::ep::EpCurve::loss_at`]). Past the smallest positive loss, 0.
    pub fn loss_at(&self, rp: f64) -> Option<f64> {
        if self.desc.is_empty() || !(rp >= 1.0 && rp <= self.rp(1)) {
            return None;
        }
        // The weight above the loss at rp, N / rp (snapped to an integer
        // when it is one up to rounding, as the plain curve's rank).
        let target = snap(self.n / rp);
        if self.positive == 0 || target > self.cum[self.positive - 1] {
            return Some(0.0);
        }
        // The last rank whose return period is at least rp.
        let k = self.cum.partition_point(|&c| c <= target).max(1);
        let rp_hi = self.rp(k);
        if rp == rp_hi || k == self.desc.len() {
            return Some(self.desc[k - 1].0);
        }
        let rp_lo = self.rp(k + 1);
        let (hi, lo) = (self.desc[k - 1].0, self.desc[k].0);
        let t = (rp - rp_lo) / (rp_hi - rp_lo);
        Some(lo + t * (hi - lo))
    }

    /// TVaR at return period `rp`: the weighted mean loss of the largest
    /// losses up to weight m = N / rp (a share of the next period's weight
    /// when m falls inside it); the largest loss when m is below its weight.
    pub fn tvar_at(&self, rp: f64) -> Option<f64> {
        if self.desc.is_empty() || !(rp >= 1.0 && rp <= self.rp(1)) {
            return None;
        }
        Some(self.tail_mean(snap(self.n / rp)))
    }

    /// TVaR at confidence `level` (e.g. 0.995): the weighted mean loss of the
    /// largest losses up to weight m = N(1 − level) ([`super::ep::tail_size`]),
    /// as [`Self::tvar_at`]; with every weight 1, [`super::ep::EpCurve::tvar`].
    pub fn tvar(&self, level: f64) -> f64 {
        if self.desc.is_empty() {
            return 0.0;
        }
        self.tail_mean(super::ep::tail_size(self.desc.len(), level))
    }

    /// The weighted mean of the largest losses up to weight m (at most Σ w).
    fn tail_mean(&self, m: f64) -> f64 {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let m = m.min(total);
        let (mut sum, mut taken) = (0.0, 0.0);
        for &(x, w) in &self.desc {
            if taken + w <= m {
                sum += w * x;
                taken += w;
            } else {
                let part = m - taken;
                sum += part * x;
                taken += part;
                break;
            }
        }
        if taken <= 0.0 {
            return self.desc[0].0;
        }
        sum / taken
    }

    /// The losses from the largest down, each with the weighted share of
    /// periods at or above it, F_i = Σ_{j ≤ i} w_j / N (its exceedance
    /// probability; with every weight 1, i / N).
    pub fn ranked(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.desc
            .iter()
            .zip(&self.cum)
            .map(|(&(x, _), &c)| (x, c / self.n))
    }
}

/// Oasis's weighted mean and SD of `x` over the first n periods (weights
/// w_t, i.e. periods.csv's weighting × N): Σ w x / n and
/// √((Σ w x² − (Σ w x)²/n) / (n − 1)); and the likelihood-ratio estimator's
/// standard error sd(w·x)/√n.
pub(crate) fn moments(x: &[f64], w: &[f64]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let (mut s, mut s2) = (0.0, 0.0);
    for (&x, &w) in x.iter().zip(w) {
        s += w * x;
        s2 += w * x * x;
    }
    let mean = if n > 0.0 { s / n } else { 0.0 };
    let sd = if n > 1.0 {
        ((s2 - s * s / n) / (n - 1.0)).max(0.0).sqrt()
    } else {
        0.0
    };
    let est = crate::weighted::mean(x.iter().copied(), w);
    (mean, sd, est.se)
}

/// The ORD figures of one summary of a weighted run, in the layout of
/// [`super::ord::summary`]: per-period aggregate losses `annual` and largest
/// single losses `occurrence`, in period order, with the periods' weights.
#[allow(clippy::too_many_arguments)]
pub fn summary(
    summary_id: u32,
    kind: SummaryKind,
    id: &str,
    tiv: Option<f64>,
    annual: &[f64],
    occurrence: &[f64],
    weights: &[f64],
) -> OrdSummary {
    let alct: Vec<AlctRow> = super::ord::sample_sizes(annual.len() as u64)
        .into_iter()
        .map(|size| {
            let k = size as usize;
            let (mean, sd, se) = moments(&annual[..k], &weights[..k]);
            AlctRow {
                mean,
                sd,
                sample_size: size,
                lower_ci: mean - Z_95 * se,
                upper_ci: mean + Z_95 * se,
                standard_error: se,
                relative_error: if se == 0.0 { 0.0 } else { se / mean },
            }
        })
        .collect();
    let (mean, sd) = alct.last().map_or((0.0, 0.0), |r| (r.mean, r.sd));
    let oep = WeightedCurve::new(occurrence, weights);
    let aep = WeightedCurve::new(annual, weights);
    let ept = super::ord::ept_rows(&oep, &aep);
    OrdSummary {
        summary_id,
        kind,
        id: id.to_string(),
        tiv,
        mean,
        sd,
        alct,
        ept,
    }
}

#[cfg(test)]
mod tests {
    use super::super::ep::EpCurve;
    use super::*;

    const V: [f64; 10] = [0.0, 5.0, 1.0, 0.0, 9.0, 3.0, 0.0, 7.0, 2.0, 0.0];

    #[test]
    fn unit_weights_give_the_plain_curve() {
        let w = [1.0; 10];
        let (c, p) = (WeightedCurve::new(&V, &w), EpCurve::new(V.iter().copied()));
        for rp in [
            10.0,
            7.5,
            5.0,
            4.0,
            3.0,
            2.5,
            2.0,
            10.0 / 6.0,
            1.5,
            1.0,
            11.0,
            0.5,
        ] {
            match (c.loss_at(rp), p.loss_at(rp)) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "loss {rp}: {a} {b}"),
                (a, b) => assert_eq!(a, b, "loss {rp}"),
            }
            match (c.tvar_at(rp), p.tvar_at(rp)) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "tvar {rp}: {a} {b}"),
                (a, b) => assert_eq!(a, b, "tvar {rp}"),
            }
        }
        let s = summary(1, SummaryKind::Architecture, "a", None, &V, &V, &w);
        let plain = super::super::ord::summary(1, SummaryKind::Architecture, "a", None, &V, &p, &V);
        assert!((s.mean - plain.mean).abs() < 1e-12 && (s.sd - plain.sd).abs() < 1e-12);
        assert_eq!(s.ept.len(), plain.ept.len());
        for (a, b) in s.alct.iter().zip(&plain.alct) {
            assert_eq!(a.sample_size, b.sample_size);
            assert!(
                (a.mean - b.mean).abs() < 1e-12
                    && (a.standard_error - b.standard_error).abs() < 1e-12
            );
        }
    }

    #[test]
    fn weights_move_the_return_periods() {
        // Two periods: loss 10 with weight 0.02, loss 0 with weight 1.98
        // (Σ w = N = 2). P(loss ≥ 10) = 0.02 / 2 = 1%: return period 100.
        let c = WeightedCurve::new(&[0.0, 10.0], &[1.98, 0.02]);
        assert_eq!(c.loss_at(100.0), Some(10.0));
        assert_eq!(c.loss_at(101.0), None);
        // Below rank 1 the next loss is 0.
        assert_eq!(c.loss_at(50.0), Some(0.0));
        assert_eq!(c.tvar_at(100.0), Some(10.0));
        // Weight 0.04 of tail: half at 10, half at 0.
        assert!((c.tvar_at(50.0).unwrap() - 5.0).abs() < 1e-12);
        let s = summary(
            1,
            SummaryKind::Architecture,
            "a",
            None,
            &[0.0, 10.0],
            &[0.0, 10.0],
            &[1.98, 0.02],
        );
        assert!((s.mean - 0.1).abs() < 1e-12);
    }
}
