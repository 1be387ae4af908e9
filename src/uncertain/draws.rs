//! The two-level run (`run --uncertainty N`): N outer draws of every
//! uncertain parameter, each draw's parameters from a generator seeded by
//! (seed, draw index, parameter index), and each draw's scenario simulated
//! with the run's own seed and trials, so every draw (and every
//! architecture) sees the same inner random numbers (common random numbers).
//! Keeps each draw's figures per architecture and summarizes them into
//! credible values and how often each design is best.

use super::curves::{self, Curve};
use super::Param;
use crate::engine::{self, RunOptions};
use crate::insurance::ord::{EptRow, SummaryKind};
use crate::model::{Model, Settings, HOURS_PER_YEAR};
use crate::scenario::{set, ScenarioError};
use crate::stats;
use rand::SeedableRng;
use toml::Table;

/// The last columns of `uncertainty.csv`: each draw's Monte Carlo standard
/// error of its mean down time and of its total cost.
pub const SE_COLUMNS: [&str; 2] = ["downtime_hours_mean_se", "total_cost_se"];

/// One draw's figures for one architecture (per period, as in summary.csv;
/// total cost per year).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub availability: f64,
    pub downtime_hours_mean: f64,
    pub expected_loss: Option<f64>,
    pub loss_p99: Option<f64>,
    pub sla_met_probability: Option<f64>,
    /// cost_per_year + expected loss per year, where both are given.
    pub total_cost: Option<f64>,
    /// The Monte Carlo standard error of the draw's mean down time, sd / √n.
    pub downtime_se: f64,
    /// The Monte Carlo standard error of the draw's total cost (that of its
    /// expected loss, per year), where it has one.
    pub total_cost_se: Option<f64>,
}

/// The figures that get credible values, by their summary.csv name.
pub const FIGURES: [&str; 6] = [
    "availability",
    "downtime_hours_mean",
    "expected_loss",
    "loss_p99",
    "sla_met_probability",
    "total_cost",
];

impl Figures {
    /// The figure named as in [`FIGURES`].
    pub fn get(&self, name: &str) -> Option<f64> {
        match name {
            "availability" => Some(self.availability),
            "downtime_hours_mean" => Some(self.downtime_hours_mean),
            "expected_loss" => self.expected_loss,
            "loss_p99" => self.loss_p99,
            "sla_met_probability" => self.sla_met_probability,
            "total_cost" => self.total_cost,
            _ => None,
        }
    }

    /// The figures of a summary (`per_year`: periods per year).
    pub fn of(s: &stats::ArchSummary, per_year: f64) -> Figures {
        Figures {
            availability: s.availability,
            downtime_hours_mean: s.downtime_hours_mean,
            expected_loss: s.expected_loss,
            loss_p99: s.loss_p99,
            sla_met_probability: s.sla_met_probability,
            total_cost: match (s.cost_per_year, s.expected_loss) {
                (Some(c), Some(l)) => Some(c + l * per_year),
                _ => None,
            },
            downtime_se: s.downtime_hours_sd / (s.trials.max(1) as f64).sqrt(),
            total_cost_se: match (
                s.cost_per_year,
                s.expected_loss_ci_low,
                s.expected_loss_ci_high,
            ) {
                (Some(_), Some(lo), Some(hi)) => Some((hi - lo) / (2.0 * stats::Z_95) * per_year),
                _ => None,
            },
        }
    }
}

/// One outer draw: the parameters' values (in [`Draws::params`] order),
/// each architecture's figures and exceedance curves (in model order) and,
/// with policies or `--ord`, its ORD summaries' EP rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    pub values: Vec<f64>,
    pub figures: Vec<Figures>,
    pub curves: Vec<Curve>,
    /// Per ORD summary of the draw's own run: its EP table (the PSEPT's
    /// rows for SampleId = draw + 1). Empty without policies or `--ord`,
    /// and in a run read back from its folder.
    pub ept: Vec<SampleEpt>,
}

/// One ORD summary's EP rows in one draw.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleEpt {
    pub kind: SummaryKind,
    pub summary_id: u32,
    pub rows: Vec<EptRow>,
}

/// Every draw of a two-level run.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    pub params: Vec<Param>,
    pub architectures: Vec<String>,
    /// The return periods of every [`Curve`] ([`super::curves::return_periods`]).
    pub return_periods: Vec<f64>,
    pub draws: Vec<Draw>,
}

/// The 5%, 50% and 95% values across draws (type-7 quantiles).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Credible {
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// Salt that keeps the draws' generators apart from the trials'.
const DRAW_SALT: u64 = 0x5EED_0FD2_A35E_ED00;

/// Parameter `p`'s value in draw `d` of a run with this seed.
pub fn sample(param: &Param, seed: u64, d: u64, p: u64) -> f64 {
    let draw_seed = crate::world::trial_seed(seed ^ DRAW_SALT, d);
    let mut rng =
        rand::rngs::Xoshiro256PlusPlus::seed_from_u64(crate::world::trial_seed(draw_seed, p));
    param.prior.sample(&mut rng)
}

/// Builds and validates every draw's model before anything is simulated:
/// (the draw's values, its model). `doc` holds the point values.
pub fn models(
    doc: &Table,
    params: &[Param],
    label: &str,
    seed: u64,
    n: u64,
) -> Result<Vec<(Vec<f64>, Model)>, ScenarioError> {
    (0..n)
        .map(|d| {
            let values: Vec<f64> = params
                .iter()
                .enumerate()
                .map(|(p, param)| sample(param, seed, d, p as u64))
                .collect();
            let mut doc = doc.clone();
            for (param, &v) in params.iter().zip(&values) {
                param.write(&mut doc, v);
            }
            let shown: Vec<String> = params
                .iter()
                .zip(&values)
                .map(|(p, v)| format!("{} = {v}", p.name))
                .collect();
            let label = format!("{label} (--uncertainty draw {d}: {})", shown.join(", "));
            let (_, model) = set::compile(&doc, &label)?;
            Ok((values, model))
        })
        .collect()
}

/// Simulates every draw with the run's settings (seed, trials, horizon);
/// with `ord` (policies or `--ord`), prices each draw as a plain run would
/// and keeps its EP tables. Each draw's per-trial outcomes are dropped once
/// its figures, curves and EP rows are taken.
pub fn simulate(
    models: Vec<(Vec<f64>, Model)>,
    params: Vec<Param>,
    settings: &Settings,
    options: &RunOptions,
    ord: bool,
) -> Draws {
    let per_year = HOURS_PER_YEAR / settings.horizon_hours;
    let architectures = models
        .first()
        .map(|(_, m)| m.architectures.iter().map(|a| a.id.clone()).collect())
        .unwrap_or_default();
    let return_periods = curves::return_periods(settings.trials);
    let draws = models
        .into_iter()
        .map(|(values, model)| {
            let (sim, ept) = if ord {
                let opts = crate::insurance::Options {
                    ord: true,
                    per_trial: false,
                };
                let (sim, ins) = crate::insurance::run(&model, settings, options, opts);
                let ept = ins
                    .map(|i| {
                        i.ord
                            .summaries
                            .into_iter()
                            .map(|s| SampleEpt {
                                kind: s.kind,
                                summary_id: s.summary_id,
                                rows: s.ept,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                (sim, ept)
            } else {
                (engine::simulate(&model, settings, options), Vec::new())
            };
            let figures = stats::summarize_with(&model, &sim, &[])
                .iter()
                .map(|s| Figures::of(s, per_year))
                .collect();
            let curves = model
                .architectures
                .iter()
                .enumerate()
                .map(|(a, arch)| Curve {
                    downtime: curves::at(
                        &stats::sorted(sim.of(a).map(|o| o.downtime_hours)),
                        &return_periods,
                    ),
                    loss: arch.loss.map(|_| {
                        curves::at(&stats::sorted(sim.of(a).map(|o| o.loss)), &return_periods)
                    }),
                })
                .collect();
            Draw {
                values,
                figures,
                curves,
                ept,
            }
        })
        .collect();
    Draws {
        params,
        architectures,
        return_periods,
        draws,
    }
}

impl Draws {
    /// The credible values of one figure of architecture `a` (None when the
    /// architecture has no such figure).
    pub fn credible(&self, a: usize, figure: &str) -> Option<Credible> {
        let values: Option<Vec<f64>> = self
            .draws
            .iter()
            .map(|d| d.figures[a].get(figure))
            .collect();
        let sorted = stats::sorted(values?.into_iter());
        if sorted.is_empty() {
            return None;
        }
        Some(Credible {
            p05: stats::quantile_sorted(&sorted, 0.05),
            p50: stats::quantile_sorted(&sorted, 0.5),
            p95: stats::quantile_sorted(&sorted, 0.95),
        })
    }

    /// Share of draws in which architecture `a` has the lowest `figure`
    /// among the architectures that have it (a tie goes to the first in file
    /// order); None when `a` has no such figure.
    pub fn best_share(&self, a: usize, figure: &str) -> Option<f64> {
        self.draws.first()?.figures[a].get(figure)?;
        let wins = self
            .draws
            .iter()
            .filter(|d| {
                let best = d
                    .figures
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| f.get(figure).map(|v| (i, v)))
                    .fold(None, |acc: Option<(usize, f64)>, (i, v)| match acc {
                        Some((_, bv)) if bv <= v => acc,
                        _ => Some((i, v)),
                    });
                best.is_some_and(|(i, _)| i == a)
            })
            .count();
        Some(wins as f64 / self.draws.len() as f64)
    }

    /// `best_share`: lowest total cost; `down_best_share`: lowest mean down time.
    pub fn shares(&self, a: usize) -> (Option<f64>, Option<f64>) {
        (
            self.best_share(a, "total_cost"),
            self.best_share(a, "downtime_hours_mean"),
        )
    }
}
