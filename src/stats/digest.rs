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
use crate::exact::{ExactMoments, ExactSum};
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

#[cfg(test)]
const FIGURES: [Figure; 4] = [
    Figure::Downtime,
    Figure::Outages,
    Figure::Loss,
    Figure::SlaMet,
];

impl Figure {
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

/// One design's sums that its pairs' differences are built from.
#[derive(Debug, Clone, Default)]
struct Single {
    down: ExactMoments,
    loss: ExactMoments,
    /// Σk and Σk² of the outages.
    outages: (i128, i128),
    /// Trials within the SLA.
    met: u64,
    /// Whether the design has an SLA (without one, it never meets it).
    sla: bool,
}

impl Single {
    fn new(allowed: Option<f64>) -> Self {
        Single {
            sla: allowed.is_some(),
            ..Single::default()
        }
    }

    fn add(&mut self, o: &Outcome, allowed: Option<f64>) {
        self.down.add(o.downtime_hours);
        self.loss.add(o.loss);
        let k = i128::from(o.outages);
        self.outages.0 += k;
        self.outages.1 += k * k;
        self.met += u64::from(met(o, allowed));
    }

    /// Its cross sums with itself.
    fn with_itself(&self) -> Cross {
        Cross {
            down: self.down.squares().clone(),
            loss: self.loss.squares().clone(),
            outages: self.outages.1,
            missed: if self.sla { self.down.n - self.met } else { 0 },
        }
    }
}

/// Whether `o` is all zeros to the cross sums: no down time, loss or
/// outage, and no SLA missed (every product with it is 0).
fn quiet(o: &Outcome, met: bool, sla: bool) -> bool {
    o.downtime_hours == 0.0 && o.loss == 0.0 && o.outages == 0 && (met || !sla)
}

fn met(o: &Outcome, allowed: Option<f64>) -> bool {
    allowed.is_some_and(|a| o.downtime_hours <= a)
}

/// Two designs' cross sums Σxy: exact products of down times and of
/// losses, integer ones of outages, and the trials in which both designs
/// (each with an SLA) missed it. Every one of them is 0 in a trial where
/// either design is quiet ([`quiet`]), so a trial costs only the
/// pairs of designs that were not.
#[derive(Debug, Clone, Default)]
struct Cross {
    down: ExactSum,
    loss: ExactSum,
    outages: i128,
    missed: u64,
}

impl Cross {
    fn add(&mut self, x: &Outcome, y: &Outcome, missed_x: bool, missed_y: bool) {
        self.down.add_product(x.downtime_hours, y.downtime_hours);
        self.loss.add_product(x.loss, y.loss);
        self.outages += i128::from(x.outages) * i128::from(y.outages);
        self.missed += u64::from(missed_x && missed_y);
    }

    fn merge(&mut self, o: &Cross) {
        self.down.merge(&o.down);
        self.loss.merge(&o.loss);
        self.outages += o.outages;
        self.missed += o.missed;
    }

    /// The trials in which both met their SLA, Σ m_x·m_y, from the both-missed
    /// count: Σ(1 − m_x)(1 − m_y) = n − Σm_x − Σm_y + Σm_x·m_y (0 unless both have an SLA).
    fn both_met(&self, n: u64, x: &Single, y: &Single) -> i128 {
        if !(x.sla && y.sla) {
            return 0;
        }
        i128::from(self.missed) - i128::from(n) + i128::from(x.met) + i128::from(y.met)
    }
}

/// The moments of `figure(y) − figure(x)` over `n` trials from the two
/// designs' sums and their cross sums, every sum exact:
/// `Σ(y − x) = Σy − Σx`, `Σ(y − x)² = Σy² − 2Σxy + Σx²`.
fn difference(n: u64, x: &Single, y: &Single, xy: &Cross, figure: Figure) -> Moments {
    let m = match figure {
        Figure::Downtime => ExactMoments::of_difference(&x.down, &y.down, &xy.down),
        Figure::Loss => ExactMoments::of_difference(&x.loss, &y.loss, &xy.loss),
        Figure::Outages => ExactMoments::of_integers(
            n,
            (
                y.outages.0 - x.outages.0,
                y.outages.1 + x.outages.1 - 2 * xy.outages,
            ),
        ),
        // A 0/1 figure is its own square.
        Figure::SlaMet => {
            let (mx, my, both) = (i128::from(x.met), i128::from(y.met), xy.both_met(n, x, y));
            ExactMoments::of_integers(n, (my - mx, my + mx - 2 * both))
        }
    };
    moments(&m)
}

/// Every pair's cross sums, accumulated as trials stream past, at a few
/// exact additions per pair of designs that were not quiet in the trial
/// (products that are 0 cost nothing). The designs' own sums are the
/// summary's ([`Summarizer`]); [`Pairs::complete`] joins them into
/// [`Paired`], which answers the differences.
#[derive(Debug, Clone)]
pub struct Pairs {
    n: usize,
    trials: u64,
    allowed: Vec<Option<f64>>,
    /// The pairs `a < b`: `(0,1) … (0,n−1), (1,2) …`.
    crosses: Vec<Cross>,
    /// The designs that were not quiet in the trial being added, and
    /// whether each of them missed its SLA.
    loud: Vec<(usize, bool)>,
}

/// Index of the pair `a < b` among `n` designs: a·n − a(a+1)/2 pairs come before a's.
fn index(n: usize, a: usize, b: usize) -> usize {
    a * n - a * (a + 1) / 2 + (b - a - 1)
}

impl Pairs {
    pub fn new(model: &Model, horizon: f64) -> Self {
        let n = model.architectures.len();
        Pairs {
            n,
            trials: 0,
            allowed: allowed(model, horizon),
            crosses: vec![Cross::default(); n * n.saturating_sub(1) / 2],
            loud: Vec::with_capacity(n),
        }
    }

    /// Adds one trial: one outcome per architecture, in scenario order.
    pub fn add_trial(&mut self, outcomes: &[Outcome]) {
        self.trials += 1;
        if self.n < 2 {
            // No pairs to compare.
            return;
        }
        self.loud.clear();
        for (a, (o, &allowed)) in outcomes.iter().zip(&self.allowed).enumerate() {
            let (m, sla) = (met(o, allowed), allowed.is_some());
            if !quiet(o, m, sla) {
                self.loud.push((a, sla && !m));
            }
        }
        // Only pairs of designs that were not quiet have a product to add.
        for (i, &(a, missed_a)) in self.loud.iter().enumerate() {
            for &(b, missed_b) in &self.loud[i + 1..] {
                let k = index(self.n, a, b);
                self.crosses[k].add(&outcomes[a], &outcomes[b], missed_a, missed_b);
            }
        }
    }

    /// Adds every trial of `other` (same model).
    pub fn merge(&mut self, other: &Pairs) {
        self.trials += other.trials;
        for (x, y) in self.crosses.iter_mut().zip(&other.crosses) {
            x.merge(y);
        }
    }

    /// The pairs' differences, with each design's sums from `summary`
    /// (of the same trials).
    pub fn complete(self, summary: &Summarizer) -> Paired {
        debug_assert_eq!(summary.trials(), self.trials);
        let singles = (0..self.n)
            .map(|a| {
                let (down, loss, outages, met) = summary.sums(a);
                Single {
                    down: down.clone(),
                    loss: loss.clone(),
                    outages,
                    met,
                    sla: self.allowed[a].is_some(),
                }
            })
            .collect();
        Paired {
            trials: self.trials,
            n: self.n,
            singles,
            crosses: self.crosses,
        }
    }
}

/// Every design's sums and every pair's cross sums: the exact moments of
/// every figure's difference `b − a` for every pair.
#[derive(Debug, Clone)]
pub struct Paired {
    trials: u64,
    n: usize,
    singles: Vec<Single>,
    crosses: Vec<Cross>,
}

impl Paired {
    /// The moments of `figure(b) − figure(a)` over the trials.
    pub fn moments(&self, a: usize, b: usize, figure: Figure) -> Moments {
        let (x, y) = (&self.singles[a], &self.singles[b]);
        let xy = if a == b {
            x.with_itself()
        } else {
            self.crosses[index(self.n, a.min(b), a.max(b))].clone()
        };
        difference(self.trials, x, y, &xy, figure)
    }
}

/// Count, mean and sample standard deviation from exact sums.
pub fn moments(m: &ExactMoments) -> Moments {
    let (mean, sd) = m.mean_sd();
    Moments { n: m.n, mean, sd }
}

/// The moments of `figure(b) − figure(a)` over a run kept in memory: the
/// same exact sums as [`Pairs`], so the same bits.
pub fn paired_of(
    sim: &Simulation,
    allowed: &[Option<f64>],
    a: usize,
    b: usize,
    figure: Figure,
) -> Moments {
    let (mut x, mut y, mut xy) = (
        Single::new(allowed[a]),
        Single::new(allowed[b]),
        Cross::default(),
    );
    for (p, q) in sim.of(a).zip(sim.of(b)) {
        x.add(p, allowed[a]);
        y.add(q, allowed[b]);
        let missed = |s: &Single, o, al| s.sla && !met(o, al);
        xy.add(p, q, missed(&x, p, allowed[a]), missed(&y, q, allowed[b]));
    }
    if a == b {
        xy = x.with_itself();
    }
    difference(x.down.n, &x, &y, &xy, figure)
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
    pub pairs: Option<Paired>,
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

/// One pair's cross sums of [`Pairs`] as plain data: Σxy of down times and
/// of losses, of outages, and the trials both designs missed their SLA.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossState {
    pub down: ExactSum,
    pub loss: ExactSum,
    pub outages: i128,
    pub missed: u64,
}

impl Pairs {
    /// The trials added and every pair's cross sums (pairs `a < b` in the
    /// order `(0,1) … (0,n−1), (1,2) …`).
    pub fn state(&self) -> (u64, Vec<CrossState>) {
        let crosses = self
            .crosses
            .iter()
            .map(|c| CrossState {
                down: c.down.clone(),
                loss: c.loss.clone(),
                outages: c.outages,
                missed: c.missed,
            })
            .collect();
        (self.trials, crosses)
    }

    /// The pairs of `model` whose state is `(trials, crosses)` (from
    /// [`Pairs::state`]); an error unless the counts fit the model.
    pub fn from_state(
        model: &Model,
        horizon: f64,
        (trials, crosses): (u64, Vec<CrossState>),
    ) -> Result<Pairs, String> {
        let mut p = Pairs::new(model, horizon);
        // Cross sums are kept only with two designs or more.
        let counted = if p.n < 2 { 0 } else { trials };
        if crosses.len() != p.crosses.len() {
            return Err(format!(
                "holds {} pairs' sums, not {}",
                crosses.len(),
                p.crosses.len()
            ));
        }
        for (mine, c) in p.crosses.iter_mut().zip(crosses) {
            // Each trial adds at most 2³² − 1 outages (a `u32`), so sums stay far from overflow.
            if c.missed > counted || !(0..=i128::from(counted) << 64).contains(&c.outages) {
                return Err(format!("a pair's sums do not count {trials} trials"));
            }
            *mine = Cross {
                down: c.down,
                loss: c.loss,
                outages: c.outages,
                missed: c.missed,
            };
        }
        p.trials = trials;
        Ok(p)
    }
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
            [[architecture]]\nid = \"z\"\nserves = \"c\"\nsla = 0.999\nloss = { per_hour = 30 }\n\
            [[architecture]]\nid = \"w\"\nserves = \"a\"\n";
        let model = crate::scenario::compile_text(text, "t.toml")
            .expect("valid")
            .1;
        let sim = crate::engine::simulate(&model, &model.settings, &Default::default());
        let h = model.settings.horizon_hours;
        // Streamed in chunks merged in reverse order.
        let mut parts: Vec<(Pairs, Summarizer)> = sim
            .outcomes
            .chunks(4 * 37)
            .map(|c| {
                let (mut p, mut s) = (Pairs::new(&model, h), Summarizer::new(&model, h, 0));
                c.chunks_exact(4).for_each(|t| {
                    p.add_trial(t);
                    s.add_trial(t);
                });
                (p, s)
            })
            .collect();
        parts.reverse();
        let (mut all, mut summary) = (Pairs::new(&model, h), Summarizer::new(&model, h, 0));
        parts.iter().for_each(|(p, s)| {
            all.merge(p);
            summary.merge(s);
        });
        let all = all.complete(&summary);
        let allowed = allowed(&model, h);
        // w has no SLA (it never meets one) and shares x's outages.
        for a in 0..4 {
            for b in 0..4 {
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
