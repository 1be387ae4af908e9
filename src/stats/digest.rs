//! What the reports read about a run's per-trial figures besides the
//! summary: each design's down time and loss per period as a distribution
//! ([`Sorted`]: every value, or the histogram past the exact limit) and the
//! paired differences between designs on the same trials (down time,
//! outages, loss, SLA met), from exact sums ([`crate::exact`]), so they are
//! the same bits whether the trials were kept in memory or streamed past in
//! any order. A streamed run accumulates every pair ([`Pairs`], at most
//! [`MAX_STREAMED`] designs); a run kept in memory computes a pair when a
//! report asks for it ([`paired_of`]), with the same result.

use super::sorted::Sorted;
use super::stream::Summarizer;
use super::{ArchSummary, Moments};
use crate::engine::Simulation;
use crate::evaluate::Outcome;
use crate::exact::ExactMoments;
use crate::model::Model;

/// The most designs whose every pair a streamed run accumulates (their
/// number grows with the square of the designs); a run with more keeps its
/// per-trial outcomes in memory instead.
pub const MAX_STREAMED: usize = 32;

/// A per-trial figure of one design that designs are compared on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Hours down in the period.
    Downtime,
    /// Outages that started in the period.
    Outages,
    /// Loss in the period (0 without a loss model).
    Loss,
    /// 1 when the period's down time is within the design's SLA, else 0.
    SlaMet,
}

const FIGURES: [Figure; 4] = [
    Figure::Downtime,
    Figure::Outages,
    Figure::Loss,
    Figure::SlaMet,
];

impl Figure {
    fn index(self) -> usize {
        self as usize
    }

    /// The figure of outcome `o` for a design allowed `allowed` hours down by its SLA.
    pub fn of(self, o: &Outcome, allowed: Option<f64>) -> f64 {
        match self {
            Figure::Downtime => o.downtime_hours,
            Figure::Outages => f64::from(o.outages),
            Figure::Loss => o.loss,
            Figure::SlaMet => f64::from(u8::from(allowed.is_some_and(|a| o.downtime_hours <= a))),
        }
    }
}

/// Down time allowed by each architecture's SLA over a period of `horizon` hours.
pub fn allowed(model: &Model, horizon: f64) -> Vec<Option<f64>> {
    model
        .architectures
        .iter()
        .map(|a| a.sla.map(|sla| (1.0 - sla) * horizon))
        .collect()
}

/// The exact moments of every figure's difference `b − a` for every pair `a < b`.
#[derive(Debug, Clone)]
pub struct Pairs {
    n: usize,
    trials: u64,
    allowed: Vec<Option<f64>>,
    sums: Vec<[ExactMoments; 4]>,
}

impl Pairs {
    pub fn new(model: &Model, horizon: f64) -> Self {
        let n = model.architectures.len();
        Pairs {
            n,
            trials: 0,
            allowed: allowed(model, horizon),
            sums: vec![Default::default(); n * n.saturating_sub(1) / 2],
        }
    }

    /// Index of the pair `a < b`.
    fn index(&self, a: usize, b: usize) -> usize {
        // Pairs (0,1) … (0,n−1), (1,2) … : a·n − a(a+1)/2 rows before a's.
        a * self.n - a * (a + 1) / 2 + (b - a - 1)
    }

    /// Adds one trial: one outcome per architecture, in scenario order.
    pub fn add_trial(&mut self, outcomes: &[Outcome]) {
        let mut k = 0;
        for a in 0..self.n {
            for b in a + 1..self.n {
                let s = &mut self.sums[k];
                for f in FIGURES {
                    let d =
                        f.of(&outcomes[b], self.allowed[b]) - f.of(&outcomes[a], self.allowed[a]);
                    s[f.index()].add(d);
                }
                k += 1;
            }
        }
        self.trials += 1;
    }

    /// Adds every trial of `other` (same model).
    pub fn merge(&mut self, other: &Pairs) {
        self.trials += other.trials;
        for (x, y) in self.sums.iter_mut().zip(&other.sums) {
            for (m, o) in x.iter_mut().zip(y) {
                m.merge(o);
            }
        }
    }

    /// The moments of `figure(b) − figure(a)` over the trials.
    pub fn moments(&self, a: usize, b: usize, figure: Figure) -> Moments {
        if a == b {
            return Moments {
                n: self.trials,
                ..Moments::default()
            };
        }
        let m = &self.sums[self.index(a.min(b), a.max(b))][figure.index()];
        let moments = moments(m);
        if a < b {
            moments
        } else {
            // 0 − x, not −x: no negative zero where every difference is 0.
            Moments {
                mean: 0.0 - moments.mean,
                ..moments
            }
        }
    }
}

/// Count, mean and sample standard deviation from exact sums.
pub fn moments(m: &ExactMoments) -> Moments {
    let (mean, sd) = m.mean_sd();
    Moments { n: m.n, mean, sd }
}

/// The moments of `figure(b) − figure(a)` over a run kept in memory: the same
/// exact sums as [`Pairs`], so the same bits.
pub fn paired_of(
    sim: &Simulation,
    allowed: &[Option<f64>],
    a: usize,
    b: usize,
    figure: Figure,
) -> Moments {
    let mut m = ExactMoments::default();
    for (x, y) in sim.of(a).zip(sim.of(b)) {
        m.add(figure.of(y, allowed[b]) - figure.of(x, allowed[a]));
    }
    moments(&m)
}

/// Each design's down time and loss per period, and the pairs when streamed.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// Down time per period, per architecture.
    pub downtime: Vec<Sorted>,
    /// Loss per period, per architecture with a loss model.
    pub loss: Vec<Option<Sorted>>,
    /// Mean and standard deviation of the loss per period, per architecture.
    pub loss_moments: Vec<Moments>,
    /// Every pair's differences, accumulated while streaming; `None` when
    /// the outcomes are in memory (pairs computed on demand).
    pub pairs: Option<Pairs>,
}

/// The summaries and digest of a run kept in memory, with the same exact
/// limit as a streamed run ([`super::stream::EXACT_UP_TO`]), so a folder
/// redrawn from its per-trial table shows what the run showed; each series
/// is sorted once here.
pub fn of(model: &Model, sim: &Simulation, return_periods: &[u32]) -> (Vec<ArchSummary>, Digest) {
    let mut s = Summarizer::new(
        model,
        sim.settings.horizon_hours,
        super::stream::EXACT_UP_TO,
    );
    for trial in sim.outcomes.chunks_exact(sim.architectures.max(1)) {
        s.add_trial(trial);
    }
    let (mut summaries, digest) = s.finish_digest(model, return_periods);
    if let Some(imp) = &sim.importance {
        summaries = super::importance::summarize(model, sim, &imp.weights, return_periods);
    }
    (summaries, digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_pairs_equal_pairs_computed_in_memory_bit_for_bit() {
        let text = "name = \"t\"\n[simulation]\ntrials = 300\nseed = 4\n\
            [[component]]\nid = \"a\"\noutages = { per_year = 40, duration = { dist = \"lognormal\", median_hours = 20, p95_hours = 90 } }\n\
            [[component]]\nid = \"b\"\noutages = { per_year = 25, duration = { dist = \"fixed\", hours = 50 } }\n\
            [[component]]\nid = \"c\"\nneeds = [\"a\", \"b\"]\nmode = \"any\"\n\
            [[architecture]]\nid = \"x\"\nserves = \"a\"\nsla = 0.99\nloss = { per_hour = 10 }\n\
            [[architecture]]\nid = \"y\"\nserves = \"b\"\nsla = 0.995\n\
            [[architecture]]\nid = \"z\"\nserves = \"c\"\nsla = 0.999\nloss = { per_hour = 30 }\n";
        let model = crate::scenario::compile_text(text, "t.toml")
            .expect("valid")
            .1;
        let sim = crate::engine::simulate(&model, &model.settings, &Default::default());
        let h = model.settings.horizon_hours;
        // Streamed in chunks merged in reverse order.
        let mut parts: Vec<Pairs> = sim
            .outcomes
            .chunks(3 * 37)
            .map(|c| {
                let mut p = Pairs::new(&model, h);
                c.chunks_exact(3).for_each(|t| p.add_trial(t));
                p
            })
            .collect();
        parts.reverse();
        let mut all = Pairs::new(&model, h);
        parts.iter().for_each(|p| all.merge(p));
        let allowed = allowed(&model, h);
        for a in 0..3 {
            for b in 0..3 {
                for f in FIGURES {
                    let (s, m) = (all.moments(a, b, f), paired_of(&sim, &allowed, a, b, f));
                    assert_eq!((s.n, m.n), (300, 300));
                    assert_eq!(
                        (s.mean.to_bits(), s.sd.to_bits()),
                        (m.mean.to_bits(), m.sd.to_bits())
                    );
                    // Welford over the differences agrees to rounding.
                    let w = Moments::of(
                        sim.of(a)
                            .zip(sim.of(b))
                            .map(|(x, y)| f.of(y, allowed[b]) - f.of(x, allowed[a])),
                    );
                    assert!(
                        (w.mean - m.mean).abs() <= 1e-9 * (1.0 + w.mean.abs()),
                        "{a} {b} {f:?}"
                    );
                    assert!((w.sd - m.sd).abs() <= 1e-9 * (1.0 + w.sd), "{a} {b} {f:?}");
                }
            }
        }
    }
}
