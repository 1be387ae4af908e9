//! Reading a run's insurance figures back from its output folder, for
//! `fateshare report`: `policies.csv`, `decisions.csv`, `portfolios.csv`
//! (when a policy names a portfolio) and `policy_trials.csv`, each checked
//! against the policies of the folder's `scenario.toml`. Numbers were written
//! in shortest round-trip form and portfolio totals are summed as the run
//! sums them, so the figures are bit for bit those of the run.

use super::decision::Decision;
use super::figures::InsuranceFigures;
use super::policies::{PolicySummary, PORTFOLIO_TVAR_LEVEL};
use super::portfolio::{PortfolioSummary, Portfolios};
use super::pricing::Premium;
use crate::model::{Model, PolicyTerms};
use crate::readback_error::ReadbackError;
use crate::report::insurance_csv::{DECISION_COLUMNS, POLICY_COLUMNS, PORTFOLIO_COLUMNS};
use std::path::{Path, PathBuf};

const RERUN: &str = "run the scenario again";

fn err(path: &Path, message: impl Into<String>) -> ReadbackError {
    ReadbackError {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// A CSV file with a known header, its rows as text.
struct Table {
    path: PathBuf,
    header: &'static [&'static str],
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: PathBuf, header: &'static [&'static str]) -> Result<Table, ReadbackError> {
        let bytes = std::fs::read(&path).map_err(|e| {
            err(
                &path,
                format!(
                    "cannot read it ({e}); the scenario has policies, so `fateshare run` writes it: {RERUN}"
                ),
            )
        })?;
        let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let found = r
            .headers()
            .map_err(|e| err(&path, format!("not a CSV file ({e}); {RERUN}")))?;
        if found.iter().ne(header.iter().copied()) {
            return Err(err(
                &path,
                format!("the first line must be `{}`; {RERUN}", header.join(",")),
            ));
        }
        let rows = r
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(&path, format!("not a CSV file ({e}); {RERUN}")))?;
        Ok(Table { path, header, rows })
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| *h == name)
            .expect("a known column")
    }

    fn text(&self, row: usize, name: &str) -> &str {
        self.rows[row].get(self.column(name)).unwrap_or_default()
    }

    fn fail(&self, row: usize, message: impl std::fmt::Display) -> ReadbackError {
        err(&self.path, format!("line {}: {message}; {RERUN}", row + 2))
    }

    /// An empty cell is `None`; anything else must be a number.
    fn opt(&self, row: usize, name: &str) -> Result<Option<f64>, ReadbackError> {
        let t = self.text(row, name);
        if t.is_empty() {
            return Ok(None);
        }
        let column = self.column(name) + 1;
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.fail(
                row,
                format!(
                    "column {column} ({name}): {} is not a finite number",
                    crate::text::escape(t)
                ),
            )),
        }
    }

    fn num(&self, row: usize, name: &str) -> Result<f64, ReadbackError> {
        self.opt(row, name)?
            .ok_or_else(|| self.fail(row, format!("column {name} is empty")))
    }

    /// Fails unless the cell holds `want`.
    fn expect(&self, row: usize, name: &str, want: &str) -> Result<(), ReadbackError> {
        let got = self.text(row, name);
        if got == want {
            Ok(())
        } else {
            Err(self.fail(
                row,
                format!(
                    "{name} is \"{got}\" where scenario.toml gives \"{want}\": the file does not match the scenario"
                ),
            ))
        }
    }

    fn expect_rows(&self, want: usize, what: &str) -> Result<(), ReadbackError> {
        if self.rows.len() == want {
            Ok(())
        } else {
            Err(err(
                &self.path,
                format!(
                    "{} rows, expected {want} ({what} in scenario.toml); {RERUN}",
                    self.rows.len()
                ),
            ))
        }
    }
}

/// Reads the insurance figures of the run in `dir`; `None` when its
/// scenario has no policies (nothing is read then).
/// `weights`: an importance-sampled run's likelihood ratios (from its
/// `trials.csv`), with which its stand-alone TVaRs were computed.
pub fn load(
    dir: &Path,
    model: &Model,
    trials: u64,
    weights: super::weighing::Weights,
) -> Result<Option<InsuranceFigures>, ReadbackError> {
    if model.policies.is_empty() {
        return Ok(None);
    }
    let payouts = read_payouts(&dir.join("policy_trials.csv"), model, trials)?;
    let policies = read_policies(dir, model, &payouts, weights)?;
    let decisions = read_decisions(dir, model)?;
    let (members, totals) = InsuranceFigures::portfolio_totals(model, &payouts);
    let portfolios = read_portfolios(dir, model)?;
    Ok(Some(InsuranceFigures {
        policies,
        payouts,
        decisions,
        portfolios,
        members,
        totals,
        treaties: super::treaty_readback::read(dir, model)?,
        book_max: super::book_readback::book_max(dir, model, trials)?,
        accumulation: super::book_readback::accumulation(dir, model)?,
    }))
}

/// `policy_trials.csv`: per policy, its payout per trial.
fn read_payouts(path: &Path, model: &Model, trials: u64) -> Result<Vec<Vec<f64>>, ReadbackError> {
    // Also from policy_trials.parquet (`--format parquet`).
    let text = crate::parquet_io::read_table_text(path).map_err(|e| {
        err(
            path,
            format!(
                "cannot read it ({e}); the scenario has policies, so `fateshare run` writes it \
                 (not with --no-trials-csv): {RERUN}"
            ),
        )
    })?;
    let mut lines = text.lines();
    const HEADER: &str = "trial,policy,payout,events_paid";
    if lines.next() != Some(HEADER) {
        return Err(err(
            path,
            format!("the first line must be `{HEADER}`; {RERUN}"),
        ));
    }
    let ids: Vec<&str> = model.policies.iter().map(|p| p.id.as_str()).collect();
    let per = (text.len() / 16 / ids.len()).min(trials as usize);
    let mut payouts: Vec<Vec<f64>> = vec![Vec::with_capacity(per); ids.len()];
    let mut rows = 0usize;
    for (i, l) in lines.enumerate() {
        let (t, p) = (i / ids.len(), i % ids.len());
        let mut f = l.split(',');
        let trial = f.next().and_then(|x| x.parse::<u64>().ok());
        let policy = f.next();
        if trial != Some(t as u64) || policy != Some(ids[p]) {
            return Err(err(
                path,
                format!(
                    "line {}: expected trial {t} of policy \"{}\"; the file does not match scenario.toml: {RERUN}",
                    i + 2,
                    ids[p]
                ),
            ));
        }
        let payout = f
            .next()
            .and_then(|x| x.parse::<f64>().ok())
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| {
                err(
                    path,
                    format!(
                        "line {}, column 3 (payout): missing or not a finite number of 0 or more; {RERUN}",
                        i + 2
                    ),
                )
            })?;
        payouts[p].push(payout);
        rows += 1;
    }
    let expected = (trials as usize).saturating_mul(ids.len());
    if rows != expected {
        return Err(err(
            path,
            format!(
                "{rows} rows, expected {expected} ({trials} trials × {} policies, from summary.json); {RERUN}",
                ids.len()
            ),
        ));
    }
    Ok(payouts)
}

/// `policies.csv`: a row per policy, in scenario order.
fn read_policies(
    dir: &Path,
    model: &Model,
    payouts: &[Vec<f64>],
    weights: super::weighing::Weights,
) -> Result<Vec<PolicySummary>, ReadbackError> {
    let t = Table::read(dir.join("policies.csv"), &POLICY_COLUMNS)?;
    t.expect_rows(model.policies.len(), "[[policy]] tables")?;
    let mut out = Vec::with_capacity(t.rows.len());
    for (r, p) in model.policies.iter().enumerate() {
        t.expect(r, "policy", &p.id)?;
        t.expect(r, "kind", p.kind())?;
        t.expect(r, "insured", &model.architectures[p.insured].id)?;
        let index = match &p.terms {
            PolicyTerms::Parametric { index_id, .. } => Some(index_id.clone()),
            PolicyTerms::Indemnity { .. } => None,
        };
        t.expect(r, "index", index.as_deref().unwrap_or_default())?;
        t.expect(r, "pricing_method", p.pricing.principle.name())?;
        t.expect(r, "portfolio", p.portfolio.as_deref().unwrap_or_default())?;
        out.push(PolicySummary {
            policy: p.id.clone(),
            kind: p.kind(),
            insured: model.architectures[p.insured].id.clone(),
            index,
            portfolio: p.portfolio.clone(),
            expected_payout: t.num(r, "expected_payout")?,
            expected_payout_ci_low: t.num(r, "expected_payout_ci_low")?,
            expected_payout_ci_high: t.num(r, "expected_payout_ci_high")?,
            sd_payout: t.num(r, "sd_payout")?,
            attachment_probability: t.num(r, "attachment_probability")?,
            exhaustion_probability: t.opt(r, "exhaustion_probability")?,
            pricing_method: p.pricing.principle.name(),
            premium: Premium {
                risk: t.num(r, "risk_premium")?,
                gross: t.num(r, "premium")?,
            },
            expected_loss_on_line: t.opt(r, "expected_loss_on_line")?,
            loss_ratio: t.opt(r, "loss_ratio")?,
            annual_limit: t.opt(r, "annual_limit")?,
            insured_expected_loss_before: t.num(r, "insured_expected_loss_before")?,
            insured_expected_loss_after: t.num(r, "insured_expected_loss_after")?,
            insured_tvar99_before: t.num(r, "insured_tvar99_before")?,
            insured_tvar99_after: t.num(r, "insured_tvar99_after")?,
            p_no_payout_given_bad_year: t.opt(r, "p_no_payout_given_bad_year")?,
            p_payout_given_no_need: t.opt(r, "p_payout_given_no_need")?,
            tail_loss_paid_share: t.opt(r, "tail_loss_paid_share")?,
            payout_loss_correlation: t.opt(r, "payout_loss_correlation")?,
            payout_tvar995: super::weighing::tvar(&payouts[r], weights, PORTFOLIO_TVAR_LEVEL),
        });
    }
    Ok(out)
}

/// `decisions.csv`: per architecture with a loss, `none` and then each
/// policy that insures it, in scenario order.
fn read_decisions(dir: &Path, model: &Model) -> Result<Vec<Decision>, ReadbackError> {
    let t = Table::read(dir.join("decisions.csv"), &DECISION_COLUMNS)?;
    let mut expected: Vec<(&str, &str)> = Vec::new();
    for (a, arch) in model.architectures.iter().enumerate() {
        if arch.loss.is_some() {
            expected.push((&arch.id, "none"));
            for p in model.policies.iter().filter(|p| p.insured == a) {
                expected.push((&arch.id, &p.id));
            }
        }
    }
    t.expect_rows(
        expected.len(),
        "one per architecture with a loss and per policy",
    )?;
    let mut out = Vec::with_capacity(expected.len());
    for (r, (arch, option)) in expected.into_iter().enumerate() {
        t.expect(r, "architecture", arch)?;
        t.expect(r, "option", option)?;
        out.push(Decision {
            architecture: arch.to_string(),
            option: option.to_string(),
            cost_per_year: t.opt(r, "cost_per_year")?,
            premium: t.num(r, "premium")?,
            expected_retained_loss: t.num(r, "expected_retained_loss")?,
            total_cost_of_risk: t.num(r, "total_cost_of_risk")?,
            retained_loss_tvar99: t.num(r, "retained_loss_tvar99")?,
        });
    }
    Ok(out)
}

/// `portfolios.csv`: a row per portfolio, in order of first appearance
/// (not read when no policy names a portfolio).
fn read_portfolios(dir: &Path, model: &Model) -> Result<Vec<PortfolioSummary>, ReadbackError> {
    let pf = Portfolios::of_model(model);
    if pf.names.is_empty() {
        return Ok(Vec::new());
    }
    let t = Table::read(dir.join("portfolios.csv"), &PORTFOLIO_COLUMNS)?;
    t.expect_rows(pf.names.len(), "portfolios named by policies")?;
    let mut out = Vec::with_capacity(pf.names.len());
    for (r, (name, members)) in pf.names.iter().zip(&pf.members).enumerate() {
        t.expect(r, "portfolio", name)?;
        t.expect(r, "policies", &members.len().to_string())?;
        out.push(PortfolioSummary {
            portfolio: name.clone(),
            policies: members.len(),
            expected_payout: t.num(r, "expected_payout")?,
            expected_payout_ci_low: t.num(r, "expected_payout_ci_low")?,
            expected_payout_ci_high: t.num(r, "expected_payout_ci_high")?,
            sd_payout: t.num(r, "sd_payout")?,
            pml: [
                t.opt(r, "pml_100")?,
                t.opt(r, "pml_200")?,
                t.opt(r, "pml_250")?,
            ],
            tvar995: t.num(r, "tvar995")?,
            standalone_tvar995_sum: t.num(r, "standalone_tvar995_sum")?,
            diversification_ratio: t.opt(r, "diversification_ratio")?,
        });
    }
    Ok(out)
}
