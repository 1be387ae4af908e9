//! Runs split over machines (`run --shard I/N`, `fateshare merge`): which
//! contiguous range of trial indices shard `I` of `N` simulates, the partial
//! folder a shard writes (`shard.json`, `scenario.toml`, `shard.bin`, and
//! for a streamed run its per-trial table segment), and joining the parts
//! back into what one run would hold. A run that streams ([`simulate_streamed`])
//! returns only its accumulators (exact sums, counts, quantile values or
//! histograms: memory and size flat in the trials past the exact limit),
//! which [`Joined`] adds up in shard order; other runs (policies, `--ord`,
//! `--events`) keep every outcome ([`simulate`]), joined into the
//! [`Simulation`] (and payout table) of one run ([`join`]). Every trial is
//! seeded by its own index and every sum is exact, so the joined parts are
//! bit for bit the run of all the trials: the reports drawn from them are
//! byte-identical (docs/scale-out.md).

use crate::engine::{self, NoObserver, RunOptions, Simulation};
use crate::insurance::payout::{PayoutObserver, PayoutTable};
use crate::insurance::portfolio::Portfolios;
use crate::model::{Model, Settings};
use crate::sketch::Tally;
use crate::stats::digest::Pairs;
use crate::stats::stream::Summarizer;
use crate::streaming::Table;
use serde::{Deserialize, Serialize};

mod accumulated;
mod codec;
pub mod segment;
pub mod state;

/// The environment variables `--shard auto/N` reads the shard index from,
/// in this order: Kubernetes Indexed Jobs, then Slurm job arrays.
pub const INDEX_VARIABLES: [&str; 2] = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

/// The name of a shard folder's manifest.
pub const MANIFEST: &str = "shard.json";
/// The name of a shard folder's simulated state.
pub const STATE: &str = "shard.bin";
/// `format` of the manifests this program writes and reads.
pub const FORMAT: &str = "fateshare shard 1";

/// Shard `index` of `count` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u64,
    pub count: u64,
}

impl ShardSpec {
    /// Parses `I/N` (0 ≤ I < N) or `auto/N`, which takes I from the first set
    /// variable of [`INDEX_VARIABLES`] as looked up by `env`.
    pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<ShardSpec, String> {
        let usage = "give I/N with 0 ≤ I < N (e.g. --shard 0/4 … --shard 3/4), or auto/N \
                     to take I from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID";
        let escaped = crate::text::escape(text);
        let Some((i, n)) = text.split_once('/') else {
            return Err(format!("--shard {escaped}: not I/N; {usage}"));
        };
        let count: u64 = match n.trim().parse() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Err(format!(
                    "--shard {escaped}: the shard count N must be a whole number from 1; {usage}"
                ))
            }
        };
        let (index_text, from) = if i.trim() == "auto" {
            let found = INDEX_VARIABLES
                .iter()
                .find_map(|v| env(v).map(|value| (value, *v)));
            match found {
                Some((value, var)) => (value, format!(" ({var})")),
                None => {
                    return Err(format!(
                        "--shard {escaped}: neither JOB_COMPLETION_INDEX nor SLURM_ARRAY_TASK_ID \
                         is set; run it as a Kubernetes Indexed Job or a Slurm array task, or {usage}"
                    ))
                }
            }
        } else {
            (i.to_string(), String::new())
        };
        match index_text.trim().parse::<u64>() {
            Ok(index) if index < count => Ok(ShardSpec { index, count }),
            _ => Err(format!(
                "--shard {escaped}: the shard index{from} \"{}\" is not a whole number from 0 to {}; {usage}",
                crate::text::escape(&index_text),
                count - 1
            )),
        }
    }

    /// The trial indices `first..last` of this shard of `trials`: contiguous,
    /// in shard order, sizes differing by at most one.
    pub fn range(&self, trials: u64) -> (u64, u64) {
        let at = |i: u64| (u128::from(trials) * u128::from(i) / u128::from(self.count)) as u64;
        (at(self.index), at(self.index + 1))
    }
}

/// The `run` flags that shape the output folder, kept so that `merge`
/// writes the folder the single run would have written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputFlags {
    pub no_trials_csv: bool,
    pub events: bool,
    /// `csv` or `parquet`.
    pub format: String,
    pub ord: bool,
    pub return_periods: Vec<u32>,
    pub baseline: Option<String>,
    /// The most trials whose values are kept for exact quantiles (`--exact-quantiles-up-to`).
    #[serde(default = "exact_up_to")]
    pub exact_quantiles_up_to: u64,
}

fn exact_up_to() -> u64 {
    crate::stats::stream::EXACT_UP_TO
}

/// `shard.json`: what a shard is part of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The program version that simulated it: parts of one run share it.
    pub version: String,
    /// The scenario file as given to `run`.
    pub scenario_file: String,
    pub seed: u64,
    /// Trials of the whole run.
    pub trials: u64,
    pub horizon_hours: f64,
    pub shard: u64,
    pub shards: u64,
    /// This shard's trials: `first..last`.
    pub first: u64,
    pub last: u64,
    pub flags: OutputFlags,
}

impl Manifest {
    /// What must be equal in every part of one run (all but the shard's place).
    pub fn run_identity(&self) -> Manifest {
        Manifest {
            shard: 0,
            first: 0,
            last: 0,
            ..self.clone()
        }
    }
}

/// What one shard simulated: its trials' outcomes (trial-major), outage
/// records and lengths, and with policies the payout table of its trials.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub outcomes: Vec<crate::evaluate::Outcome>,
    pub outages: Vec<engine::OutageRecord>,
    pub outage_lengths: Vec<Tally>,
    pub payouts: Option<PayoutTable>,
}

/// Simulates trials `first..last` of `settings` (seeded as in one run),
/// with the payout table where the scenario has policies, or for `--ord`'s
/// ground-up event table (`per_trial`: keep the per-trial rows and paid
/// events, as `run` does unless `--no-trials-csv`).
pub fn simulate(
    model: &Model,
    settings: &Settings,
    (first, last): (u64, u64),
    options: &RunOptions,
    per_trial: bool,
    ord: bool,
) -> Part {
    let settings = Settings {
        trials: last,
        ..*settings
    };
    let (sim, payouts) = if model.policies.is_empty() && !(ord && per_trial) {
        let (sim, _) = engine::simulate_range(model, &settings, first, options, &NoObserver);
        (sim, None)
    } else {
        let portfolios = Portfolios::of_model(model);
        let observer = PayoutObserver::new(
            model,
            settings.horizon_hours,
            portfolios.of.clone(),
            portfolios.names.len(),
            // Treaties need every paid event.
            per_trial || !model.treaties.is_empty(),
        );
        let (sim, chunks) = engine::simulate_range(model, &settings, first, options, &observer);
        (sim, Some(observer.merge(chunks)))
    };
    Part {
        outcomes: sim.outcomes,
        outages: sim.outages,
        outage_lengths: sim.outage_lengths,
        payouts,
    }
}

/// Simulates trials `first..last` of `settings` streamed (seeded as in one
/// run), writing their per-trial rows into `table` when given, and returns
/// what they accumulated (quantile values kept while at most `exact_up_to`).
pub fn simulate_streamed(
    model: &Model,
    settings: &Settings,
    range: (u64, u64),
    options: &RunOptions,
    exact_up_to: u64,
    table: Option<Table>,
) -> std::io::Result<state::Accumulated> {
    let s = crate::streaming::simulate_range(
        model,
        settings,
        range,
        options,
        exact_up_to,
        true,
        table,
    )?;
    Ok(state::Accumulated {
        trials: s.summary.trials(),
        archs: s.summary.state(),
        pairs: s.pairs.as_ref().map(Pairs::state),
        outage_lengths: s.outage_lengths,
    })
}

/// Streamed parts' accumulators added up in shard order: exact sums and
/// integer counts, so the total is bit for bit that of one run.
pub struct Joined {
    pub summary: Summarizer,
    pub pairs: Pairs,
    pub outage_lengths: Vec<Tally>,
    horizon: f64,
    exact_up_to: u64,
}

impl Joined {
    pub fn new(model: &Model, horizon: f64, exact_up_to: u64) -> Joined {
        Joined {
            summary: Summarizer::new(model, horizon, exact_up_to),
            pairs: Pairs::new(model, horizon),
            outage_lengths: vec![Tally::default(); model.architectures.len()],
            horizon,
            exact_up_to,
        }
    }

    /// Adds a part of `trials` trials; an error (in words) when it does not fit the model.
    pub fn add(&mut self, model: &Model, trials: u64, a: state::Accumulated) -> Result<(), String> {
        if a.trials != trials {
            return Err(format!("holds {} trials, not {trials}", a.trials));
        }
        let n_arch = model.architectures.len();
        if a.outage_lengths.len() != n_arch {
            return Err(format!(
                "holds {} architectures' outage lengths, not {n_arch}",
                a.outage_lengths.len()
            ));
        }
        let summary =
            Summarizer::from_state(model, self.horizon, self.exact_up_to, trials, a.archs)?;
        let pairs = match a.pairs {
            Some(p) if p.0 == trials => Pairs::from_state(model, self.horizon, p)?,
            _ => return Err(format!("does not hold the pairs' sums of {trials} trials")),
        };
        self.summary.merge(&summary);
        self.pairs.merge(&pairs);
        for (all, t) in self.outage_lengths.iter_mut().zip(&a.outage_lengths) {
            all.merge(t);
        }
        Ok(())
    }
}

/// Joins parts given in trial order into the simulation of all `settings.trials`
/// trials and, with policies, its payout table.
pub fn join(
    model: &Model,
    settings: &Settings,
    parts: Vec<Part>,
) -> (Simulation, Option<PayoutTable>) {
    let n_arch = model.architectures.len();
    let mut sim = Simulation {
        settings: *settings,
        architectures: n_arch,
        outcomes: Vec::with_capacity(parts.iter().map(|p| p.outcomes.len()).sum::<usize>()),
        outages: Vec::new(),
        outage_lengths: vec![Tally::default(); n_arch],
        importance: None,
    };
    let mut table: Option<PayoutTable> = None;
    for p in parts {
        sim.outcomes.extend_from_slice(&p.outcomes);
        sim.outages.extend_from_slice(&p.outages);
        for (all, t) in sim.outage_lengths.iter_mut().zip(&p.outage_lengths) {
            all.merge(t);
        }
        if let Some(t) = p.payouts {
            match table.as_mut() {
                None => table = Some(t),
                Some(all) => {
                    // Each shard numbers its events from 1: continue the numbering.
                    let offset = all.events_numbered;
                    all.append(t, offset);
                }
            }
        }
    }
    (sim, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn specs_parse_and_refuse() {
        let none = env(&[]);
        assert_eq!(
            ShardSpec::parse("2/4", &none),
            Ok(ShardSpec { index: 2, count: 4 })
        );
        for bad in [
            "4/4", "-1/4", "1/0", "x/2", "3", "1/2/3", "auto/0", "auto/3",
        ] {
            assert!(ShardSpec::parse(bad, &none).is_err(), "{bad}");
        }
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3"), ("SLURM_ARRAY_TASK_ID", "1")]);
        assert_eq!(
            ShardSpec::parse("auto/4", &k8s),
            Ok(ShardSpec { index: 3, count: 4 })
        );
        let slurm = env(&[("SLURM_ARRAY_TASK_ID", "1")]);
        assert_eq!(
            ShardSpec::parse("auto/4", &slurm),
            Ok(ShardSpec { index: 1, count: 4 })
        );
        let e = ShardSpec::parse("auto/4", env(&[("SLURM_ARRAY_TASK_ID", "7")])).unwrap_err();
        assert!(
            e.contains("SLURM_ARRAY_TASK_ID") && e.contains("0 to 3"),
            "{e}"
        );
    }

    #[test]
    fn ranges_cover_the_trials_once_in_order() {
        for (trials, count) in [(10u64, 4u64), (3, 5), (1_000_000_007, 7), (u64::MAX, 3)] {
            let mut next = 0;
            for index in 0..count {
                let (a, b) = ShardSpec { index, count }.range(trials);
                assert_eq!(a, next);
                assert!(b >= a && b - a <= trials / count + 1);
                next = b;
            }
            assert_eq!(next, trials);
        }
    }
}
