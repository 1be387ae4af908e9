//! `run --precision P`: runs batches of trials until, for every
//! architecture, the 95% confidence interval's half-width of the mean down
//! time (and of the expected loss, where it has a loss model) is at most `P`
//! times the mean, or `--max-trials` is reached. The batches are fixed,
//! [`FIRST_BATCH`] trials then doubling (4,096, 8,192, 16,384, …, capped at
//! the maximum), and every trial is seeded by its index, so the stopping
//! point depends on the seed only, never on the number of threads; the
//! result equals a plain run of the trials it stopped at.

use crate::engine::{self, RunOptions, Simulation};
use crate::model::{Model, Settings};
use crate::stats::{Moments, Z_95};
use serde::Serialize;

/// Trials of the first batch; each further batch doubles the total.
pub const FIRST_BATCH: u64 = 4096;

/// What `--precision` asked for and what the run reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// The asked relative half-width.
    pub target: f64,
    /// The largest relative half-width z·sd/√N ÷ mean over every
    /// architecture's down time and expected loss, at the trials run.
    pub reached: f64,
    /// Whether `reached ≤ target`.
    pub met: bool,
    pub max_trials: u64,
}

/// The relative half-width of a mean: z·se ÷ mean; 0 when nothing varied,
/// infinite when the mean is 0 but not every value is.
fn relative_half_width(m: &Moments) -> f64 {
    let half = Z_95 * m.se();
    if half == 0.0 {
        0.0
    } else if m.mean > 0.0 {
        half / m.mean
    } else {
        f64::INFINITY
    }
}

/// The largest relative half-width over every architecture's mean down time
/// and, where it has a loss model, its expected loss.
pub fn worst(model: &Model, sim: &Simulation) -> f64 {
    let mut worst: f64 = 0.0;
    for (a, arch) in model.architectures.iter().enumerate() {
        let down = Moments::of(sim.of(a).map(|o| o.downtime_hours));
        worst = worst.max(relative_half_width(&down));
        if arch.loss.is_some() {
            let loss = Moments::of(sim.of(a).map(|o| o.loss));
            worst = worst.max(relative_half_width(&loss));
        }
    }
    worst
}

/// The batch totals: [`FIRST_BATCH`], doubling, capped at `max_trials`.
pub fn schedule(max_trials: u64) -> impl Iterator<Item = u64> {
    let mut next = Some(FIRST_BATCH.min(max_trials).max(1));
    std::iter::from_fn(move || {
        let n = next?;
        next = (n < max_trials).then(|| n.saturating_mul(2).min(max_trials));
        Some(n)
    })
}

/// Runs batches until `target` is met or `max_trials` run; `settings.trials`
/// is ignored.
pub fn run(
    model: &Model,
    settings: &Settings,
    target: f64,
    max_trials: u64,
    options: &RunOptions,
) -> (Simulation, Precision) {
    let mut sim: Option<Simulation> = None;
    let mut reached = f64::INFINITY;
    for n in schedule(max_trials) {
        let s = match sim.as_mut() {
            None => sim.insert(engine::simulate(
                model,
                &Settings {
                    trials: n,
                    ..*settings
                },
                options,
            )),
            Some(s) => {
                engine::extend(model, s, n, options);
                s
            }
        };
        reached = worst(model, s);
        if reached <= target {
            break;
        }
    }
    let sim = sim.expect("the schedule has at least one batch");
    (
        sim,
        Precision {
            target,
            reached,
            met: reached <= target,
            max_trials,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_double_up_to_the_cap() {
        let v: Vec<u64> = schedule(40_000).collect();
        assert_eq!(v, [4096, 8192, 16_384, 32_768, 40_000]);
        assert_eq!(schedule(100).collect::<Vec<_>>(), [100]);
        assert_eq!(schedule(8192).collect::<Vec<_>>(), [4096, 8192]);
    }

    #[test]
    fn half_width_relative_to_the_mean() {
        let m = Moments {
            n: 400,
            mean: 2.0,
            sd: 1.0,
        };
        assert!((relative_half_width(&m) - Z_95 / 20.0 / 2.0).abs() < 1e-15);
        let zero = Moments::default();
        assert_eq!(relative_half_width(&zero), 0.0);
    }
}
