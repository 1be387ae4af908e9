//! The plain data every chart (and the HTML report) draws from: per
//! architecture, the summary figures, the naive (independence) down time and
//! the sorted per-trial values behind the curves; plus the dependency graph
//! and, with policies, the insurance figures.
//! Built from a [`Report`], whether the run was just simulated or read back
//! from an output folder, so charts never reach into the engine.

use crate::graph::Graph;
use crate::insurance::figures::InsuranceFigures;
use crate::model::HOURS_PER_YEAR;
use crate::naive;
use crate::report::analyses::Analyses;
use crate::report::decision::Measure;
use crate::report::Report;
use crate::sketch::Tally;
use crate::stats::sorted::Sorted;
use crate::stats::Z_95;
use plotters::style::RGBColor;
use std::sync::Arc;

/// Everything the charts show.
#[derive(Debug, Clone)]
pub struct ChartData {
    pub scenario: String,
    pub horizon_hours: f64,
    pub trials: u64,
    pub seed: u64,
    /// In scenario order; an architecture's colour is its index here.
    pub architectures: Vec<ArchData>,
    pub graph: Graph,
    /// The analysis tables found beside the run (none unless added by
    /// [`crate::report::visuals::exports_with`]).
    pub analyses: Analyses,
    /// The policies' figures, when the scenario has policies.
    pub insurance: Option<Arc<InsuranceFigures>>,
    /// The architectures drawn one by one, in scenario order: every one, or
    /// with more than [`MAX_SHOWN`], the [`MAX_SHOWN`] best by the headline
    /// measure ([`Measure`]); the others are drawn as one grey group.
    pub shown: Vec<usize>,
    /// The return periods ("1 in N") the run reports, ascending.
    pub return_periods: Vec<u32>,
    /// Per node of [`ChartData::graph`]: the architectures it is a single
    /// point of failure of (its own outages, for a component, or the cause's
    /// events alone take the architecture down).
    pub single_point_of: Vec<Vec<usize>>,
    /// With `run --uncertainty N`: the outer draws (the wheatsheaf curves and
    /// the credible intervals).
    pub draws: Option<Arc<crate::uncertain::draws::Draws>>,
}

/// Per node of `graph`: the architectures the node is a single point of failure of.
fn single_points_by_node(model: &crate::model::Model, graph: &Graph) -> Vec<Vec<usize>> {
    use crate::graph::NodeKind;
    use crate::model::SourceKind;
    let mut out = vec![Vec::new(); graph.nodes.len()];
    for (a, sources) in crate::report::decision::single_points(model)
        .into_iter()
        .enumerate()
    {
        for s in sources {
            let src = &model.sources[s];
            let kind = match src.kind {
                SourceKind::Cause => NodeKind::Cause,
                SourceKind::Own => NodeKind::Component,
            };
            if let Some(n) = graph
                .nodes
                .iter()
                .position(|n| n.kind == kind && n.id == src.id)
            {
                out[n].push(a);
            }
        }
    }
    out
}

/// The most architectures a chart draws one by one, each in its own colour.
pub const MAX_SHOWN: usize = 8;

/// The [`MAX_SHOWN`] architectures with the lowest mean headline measure
/// (ties by scenario order), in scenario order; every one when there are no more.
pub fn best_shown(report: &Report) -> Vec<usize> {
    let model = report.model;
    let n = model.architectures.len();
    if n <= MAX_SHOWN {
        return (0..n).collect();
    }
    let measure = Measure::of(model);
    let means: Vec<f64> = (0..n).map(|a| report.measure_mean(measure, a)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&x, &y| means[x].total_cmp(&means[y]).then(x.cmp(&y)));
    order.truncate(MAX_SHOWN);
    order.sort_unstable();
    order
}

/// One architecture's figures and per-trial values.
#[derive(Debug, Clone)]
pub struct ArchData {
    pub id: String,
    /// Mean down time per period, hours, with its 95% interval.
    pub downtime_mean: f64,
    pub downtime_ci: (f64, f64),
    pub downtime_p90: f64,
    pub downtime_p99: f64,
    /// Down time per period by the independence arithmetic.
    pub naive_downtime: f64,
    /// Simulated ÷ naive down time.
    pub correlation_penalty: Option<f64>,
    /// Down time per period: every trial's ascending, or their histogram.
    pub downtime: Sorted,
    /// An importance-sampled run's down times with their weights (what its
    /// exceedance curve draws); `None` for a plain run.
    pub downtime_weighted: Option<crate::weighted::Sorted>,
    /// Full length of every outage that started in a period, within 0.1%.
    pub outage_lengths: Tally,
    pub loss: Option<LossData>,
    pub cost_per_year: Option<f64>,
}

/// Per-trial losses of an architecture that declares `loss`.
#[derive(Debug, Clone)]
pub struct LossData {
    /// Loss per period: every trial's ascending, or their histogram.
    pub sorted: Sorted,
    pub mean: f64,
    pub ci: (f64, f64),
    /// Mean of the worst 1% of trials (TVaR 99%).
    pub tvar99: f64,
}

impl ChartData {
    pub fn from_report(report: &Report) -> ChartData {
        let model = report.model;
        let sim = report.simulation;
        let h = report.settings.horizon_hours;
        let naive = naive::architecture_unavailability(model);
        let architectures = model
            .architectures
            .iter()
            .enumerate()
            .map(|(a, arch)| {
                let s = &report.summaries[a];
                let half = Z_95 * s.downtime_hours_sd / (s.trials as f64).sqrt();
                let loss = arch.loss.map(|_| {
                    let sorted = report.digest.loss[a].clone().unwrap_or_default();
                    LossData {
                        tvar99: sorted.tail_mean(0.99),
                        sorted,
                        mean: s.expected_loss.unwrap_or(0.0),
                        ci: (
                            s.expected_loss_ci_low.unwrap_or(0.0),
                            s.expected_loss_ci_high.unwrap_or(0.0),
                        ),
                    }
                });
                ArchData {
                    id: arch.id.clone(),
                    downtime_mean: s.downtime_hours_mean,
                    downtime_ci: (
                        (s.downtime_hours_mean - half).max(0.0),
                        s.downtime_hours_mean + half,
                    ),
                    downtime_p90: s.downtime_hours_p90,
                    downtime_p99: s.downtime_hours_p99,
                    naive_downtime: naive[a] * h,
                    correlation_penalty: s.correlation_penalty,
                    downtime: report.digest.downtime[a].clone(),
                    downtime_weighted: sim.importance.as_ref().map(|i| {
                        crate::weighted::Sorted::of(sim.of(a).map(|o| o.downtime_hours), &i.weights)
                    }),
                    outage_lengths: sim.outage_lengths.get(a).cloned().unwrap_or_default(),
                    loss,
                    cost_per_year: arch.cost_per_year,
                }
            })
            .collect();
        let graph = Graph::of(model);
        ChartData {
            scenario: model.name.clone(),
            horizon_hours: h,
            trials: report.settings.trials,
            seed: report.settings.seed,
            architectures,
            analyses: Analyses::default(),
            insurance: report.insurance.clone(),
            single_point_of: single_points_by_node(model, &graph),
            graph,
            shown: best_shown(report),
            return_periods: report.return_periods(),
            draws: report.draws.clone(),
        }
    }

    /// Architecture `a`'s colour in every chart: its own for a shown one
    /// (by its place among [`ChartData::shown`]), the group's grey otherwise.
    pub fn color_of(&self, a: usize) -> RGBColor {
        match self.shown.iter().position(|&s| s == a) {
            Some(k) => super::style::color(k),
            None => super::style::OTHERS,
        }
    }

    /// The sentence every chart's caption adds when some architectures are
    /// grouped ("" when every one is shown).
    pub fn grouping_note(&self, grey: bool) -> String {
        let others = self.architectures.len() - self.shown.len();
        if others == 0 {
            return String::new();
        }
        format!(
            " With {} architectures, the {} best by the figure the recommendation ranks by are \
             drawn one by one, each in its own colour; the other {others} {}.",
            self.architectures.len(),
            self.shown.len(),
            if grey {
                "are drawn as thin grey lines or dots, one legend entry"
            } else {
                "are left out (summary.csv has every one)"
            }
        )
    }

    /// The 90% credible interval (5% and 95% across draws) of architecture
    /// `a`'s mean down time, with draws.
    pub fn credible_downtime(&self, a: usize) -> Option<(f64, f64)> {
        let c = self.draws.as_ref()?.credible(a, "downtime_hours_mean")?;
        Some((c.p05, c.p95))
    }

    /// The architectures not shown one by one.
    pub fn others(&self) -> Vec<usize> {
        (0..self.architectures.len())
            .filter(|a| !self.shown.contains(a))
            .collect()
    }

    /// "year" for the usual 8760-hour horizon, else "period of N h".
    pub fn period(&self) -> String {
        if self.horizon_hours == HOURS_PER_YEAR {
            "year".into()
        } else {
            format!("period of {} h", crate::fmtnum::sig(self.horizon_hours, 4))
        }
    }

    /// The subtitle every chart carries: scenario, trials, seed.
    pub fn subtitle(&self) -> String {
        format!(
            "{} · {} trials of one {} · seed {}",
            self.scenario,
            crate::fmtnum::thousands(self.trials as f64),
            self.period(),
            self.seed
        )
    }
}

/// TVaR at level `p`: the mean of the worst m = n(1 − p) values, a fraction
/// of the next one when m is fractional ([`crate::insurance::ep::tvar`], the
/// one tail definition every file uses). 0 for no values.
pub fn tail_mean(sorted: &[f64], p: f64) -> f64 {
    crate::insurance::ep::tvar(sorted, p)
}

/// P(value > x) for ascending `sorted` values.
pub fn exceedance(sorted: &[f64], x: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let above = sorted.len() - sorted.partition_point(|&v| v <= x);
    above as f64 / sorted.len() as f64
}

/// `n` points spaced evenly in log between `lo` and `hi` (both > 0), ends included.
pub fn log_grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.ln(), hi.ln());
    (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1).max(1) as f64).exp())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_mean_is_the_mean_of_the_worst_share() {
        let v: Vec<f64> = (1..=200).map(f64::from).collect();
        // worst 1% of 200 = the top 2: (199 + 200) / 2
        assert_eq!(tail_mean(&v, 0.99), 199.5);
        // fewer than 100 values: the single worst
        assert_eq!(tail_mean(&[1.0, 3.0, 5.0], 0.99), 5.0);
        // 150 values: m = 1.5, half of the second worst counts.
        let w: Vec<f64> = (1..=150).map(f64::from).collect();
        let want = (150.0 + 0.5 * 149.0) / 1.5;
        assert!((tail_mean(&w, 0.99) - want).abs() < 1e-12 * want);
        assert_eq!(tail_mean(&[], 0.99), 0.0);
        assert_eq!(tail_mean(&v, 0.0), 100.5);
    }

    #[test]
    fn exceedance_counts_strictly_greater() {
        let v = [0.0, 0.0, 1.0, 2.0, 2.0];
        assert_eq!(exceedance(&v, 0.0), 0.6);
        assert_eq!(exceedance(&v, 1.5), 0.4);
        assert_eq!(exceedance(&v, 2.0), 0.0);
        assert_eq!(exceedance(&v, -1.0), 1.0);
    }

    #[test]
    fn log_grid_ends_and_ratio() {
        let g = log_grid(0.01, 100.0, 5);
        assert_eq!(g.len(), 5);
        for (x, want) in g.iter().zip([0.01, 0.1, 1.0, 10.0, 100.0]) {
            assert!((x / want - 1.0).abs() < 1e-12);
        }
    }
}
