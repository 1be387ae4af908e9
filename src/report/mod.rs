//! Reports: everything written from a finished run. Each output format is one
//! small module implementing [`Export`]; they read the [`Report`] and never
//! reach back into the engine. Files are written by [`crate::output`].

pub mod analyses;
pub mod analysis_csv;
pub mod analysis_sections;
pub mod analysis_table;
pub mod baseline;
pub mod book_accumulation;
pub mod book_section;
pub mod compare;
pub mod csv;
pub mod decision;
pub mod drills;
pub mod headline;
pub mod history;
pub mod html;
pub mod importance;
pub mod insurance_csv;
pub mod insurance_premiums;
pub mod insurance_section;
pub mod insurance_table;
pub mod json;
pub mod method_section;
pub mod ord;
pub mod paired;
pub mod periods;
pub mod provenance;
pub mod psept;
pub mod rds;
pub mod scenario_copy;
pub mod sections;
pub mod sweep;
pub mod table;
pub mod templates;
pub mod text;
pub mod tornado;
pub mod treaty_csv;
pub mod treaty_section;
pub mod uncertainty;
pub mod uncertainty_section;
pub mod visuals;

use crate::engine::Simulation;
use crate::model::{Model, Settings};
use crate::stats::digest::{self, Digest, Figure};
use crate::stats::{ArchSummary, Moments};
use std::io::{self, Write};

/// Everything a report may show about one run.
pub struct Report<'a> {
    pub model: &'a Model,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// The scenario file's text, copied to `scenario.toml` and shown in `report.html`.
    pub scenario_text: String,
    pub settings: Settings,
    /// The command that reproduces this run.
    pub command: String,
    pub summaries: Vec<ArchSummary>,
    /// Each design's down-time and loss distribution, and (streamed runs)
    /// every pair's differences.
    pub digest: Digest,
    /// The per-trial outcomes; empty for a streamed run (read [`Report::digest`]).
    pub simulation: &'a Simulation,
    /// The policies' figures, when the scenario has policies.
    pub insurance: Option<std::sync::Arc<crate::insurance::figures::InsuranceFigures>>,
    /// The design every other is compared with (`--baseline`), if one was chosen.
    pub baseline: Option<usize>,
    /// With `run --uncertainty N`: the outer draws (from the run, or read
    /// back from `uncertainty.csv` and `uncertainty_curves.csv`).
    pub draws: Option<std::sync::Arc<crate::uncertain::draws::Draws>>,
}

impl<'a> Report<'a> {
    /// The report of a run read back from its folder.
    pub fn of_run(run: &'a crate::readback::Run) -> Report<'a> {
        let (summaries, digest) = match &run.digest {
            Some(d) => d.clone(),
            None => crate::stats::digest::of(&run.model, &run.simulation, &run.return_periods),
        };
        Report {
            model: &run.model,
            scenario_file: run.scenario_file.clone(),
            scenario_text: run.scenario_text.clone(),
            settings: run.settings,
            command: run.command.clone(),
            summaries,
            digest,
            simulation: &run.simulation,
            insurance: run.insurance.clone(),
            baseline: run.baseline,
            draws: run.draws.clone(),
        }
    }

    /// The moments of `figure(b) − figure(a)` trial by trial: from the
    /// streamed pairs, or from the outcomes in memory (the same exact sums).
    pub fn paired(&self, a: usize, b: usize, figure: Figure) -> Moments {
        match &self.digest.pairs {
            Some(p) => p.moments(a, b, figure),
            None => {
                let allowed = digest::allowed(self.model, self.settings.horizon_hours);
                digest::paired_of(self.simulation, &allowed, a, b, figure)
            }
        }
    }

    /// The mean per period of the headline measure of architecture `a`
    /// ([`decision::Measure`]), from the summaries.
    pub fn measure_mean(&self, measure: decision::Measure, a: usize) -> f64 {
        let s = &self.summaries[a];
        match measure {
            decision::Measure::Downtime => s.downtime_hours_mean,
            decision::Measure::ExpectedLoss => s.expected_loss.unwrap_or(0.0),
            decision::Measure::TotalCost => {
                let per_year = crate::model::HOURS_PER_YEAR / self.settings.horizon_hours;
                s.cost_per_year.unwrap_or(0.0) + s.expected_loss.unwrap_or(0.0) * per_year
            }
        }
    }

    /// The run's return periods ("1 in N"), as its summaries carry them.
    pub fn return_periods(&self) -> Vec<u32> {
        self.summaries
            .first()
            .map(|s| s.return_periods.iter().map(|r| r.period).collect())
            .unwrap_or_else(|| crate::stats::DEFAULT_RETURN_PERIODS.to_vec())
    }
}

/// The program version written into outputs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One output file.
pub trait Export {
    /// File name inside the output folder.
    fn file_name(&self) -> &'static str;
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// The data exports `fateshare run` writes (the charts and `report.html`
/// come from [`visuals::exports`]).
/// `trials_csv` adds the per-trial table (`trials.csv`), `events` the
/// per-event table (`outages.csv`).
pub fn standard_exports(trials_csv: bool, events: bool) -> Vec<Box<dyn Export>> {
    let mut v: Vec<Box<dyn Export>> = vec![
        Box::new(csv::SummaryCsv),
        Box::new(json::SummaryJson::default()),
        Box::new(scenario_copy::ScenarioToml),
        Box::new(csv::OutageLengthsCsv),
    ];
    if trials_csv {
        v.push(Box::new(csv::TrialsCsv));
    }
    if events {
        v.push(Box::new(csv::OutagesCsv));
    }
    v
}

/// The insurance exports: with policies, `policies.csv`, `decisions.csv`,
/// `premiums.csv`, `portfolios.csv`, `portfolio_premiums.csv` and
/// `portfolio_allocation.csv` (when a policy names a portfolio) and
/// `policy_trials.csv`;
/// always the ORD files of each summary set ([`ord::exports`]). The per-trial
/// ones only when `ins.per_trial`; `gul_S1_splt.csv` (a row per outage with a
/// loss: the event table again) only with `events` as well.
pub fn insurance_exports(
    ins: &std::sync::Arc<crate::insurance::Insurance>,
    events: bool,
) -> Vec<Box<dyn Export>> {
    let mut v: Vec<Box<dyn Export>> = Vec::new();
    if ins.has_policies() {
        v.push(Box::new(insurance_csv::PoliciesCsv(ins.clone())));
        v.push(Box::new(insurance_csv::DecisionsCsv(ins.clone())));
        v.push(Box::new(insurance_premiums::PremiumsCsv(ins.clone())));
        if !ins.portfolios.is_empty() {
            v.push(Box::new(insurance_csv::PortfoliosCsv(ins.clone())));
            v.push(Box::new(insurance_premiums::PortfolioPremiumsCsv(
                ins.clone(),
            )));
            v.push(Box::new(insurance_premiums::PortfolioAllocationCsv(
                ins.clone(),
            )));
            v.push(Box::new(insurance_premiums::AccumulationCsv(ins.clone())));
        }
        if ins.per_trial {
            v.push(Box::new(insurance_csv::PolicyTrialsCsv(ins.clone())));
        }
    }
    if ins.treaties.is_some() {
        v.push(Box::new(treaty_csv::TreatiesCsv(ins.clone())));
        v.push(Box::new(treaty_csv::TreatyEptCsv(ins.clone())));
    }
    v.extend(ord::exports(ins, events));
    v
}
