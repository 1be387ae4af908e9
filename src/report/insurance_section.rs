//! The insurance section of `report.html` (`templates/insurance.html`),
//! shown when the scenario has policies: the answer to "backup or cover?" in
//! one sentence (`templates/insurance-answer.html`, also a headline item),
//! the decision table sorted by expected total cost of risk with its chart,
//! the policies (payout, premium, attachment and exhaustion, loss on line,
//! the insured's loss before and after, basis risk), the portfolios (PML,
//! diversification) and how the figures are made. It reads the
//! [`InsuranceFigures`] of the page's chart data, which `fateshare run` and
//! `fateshare report` fill alike.

use super::html::{Figure, Page, Section};
use super::templates;
use crate::fmtnum::{money, sig, thousands};
use crate::insurance::decision::Decision;
use crate::insurance::figures::InsuranceFigures;
use crate::model::PremiumPrinciple;
use crate::stats::{Moments, Z_95};
use serde::Serialize;

/// The insurance section.
pub struct Insurance;

fn percent(p: f64) -> String {
    crate::fmtnum::probability(p)
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("–".into(), f)
}

fn signed_money(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", money(-x))
    } else {
        money(x)
    }
}

/// One option of the decision table, as the templates show it.
#[derive(Serialize)]
struct Choice<'a> {
    architecture: &'a str,
    option: &'a str,
    covered: bool,
    cost: String,
    premium: String,
    retained: String,
    total: String,
    tvar: String,
}

fn choice(d: &Decision) -> Choice<'_> {
    Choice {
        architecture: &d.architecture,
        option: &d.option,
        covered: d.option != "none",
        cost: opt(d.cost_per_year, money),
        premium: money(d.premium),
        retained: signed_money(d.expected_retained_loss),
        total: money(d.total_cost_of_risk),
        tvar: signed_money(d.retained_loss_tvar99),
    }
}

#[derive(Serialize)]
struct Diff {
    separated: bool,
    mean: String,
    lo: String,
    hi: String,
}

/// Per trial, the total cost of risk of a decision row: cost per year +
/// premium + the insured's loss − the policy's payout (the premium is a
/// price, fixed once quoted).
fn per_trial<'a>(
    page: &'a Page,
    ins: &'a InsuranceFigures,
    d: &Decision,
) -> Option<impl Iterator<Item = f64> + 'a> {
    let model = page.report.model;
    let a = model
        .architectures
        .iter()
        .position(|x| x.id == d.architecture)?;
    let payouts: Option<&[f64]> = if d.option == "none" {
        None
    } else {
        Some(&ins.payouts[ins.policy_index(&d.option)?])
    };
    let fixed = d.cost_per_year.unwrap_or(0.0) + d.premium;
    Some(
        page.report
            .simulation
            .of(a)
            .enumerate()
            .map(move |(t, o)| fixed + o.loss - payouts.map_or(0.0, |p| p[t])),
    )
}

/// The one-sentence answer to "backup or cover?" (the section's lede and a
/// headline item), as HTML: the option with the lowest expected total cost of
/// risk against the cheapest of the other kind (covered against uncovered),
/// with the paired difference and its 95% CI. `None` without policies.
pub fn answer(page: &Page) -> Option<String> {
    let ins = page.data.insurance.as_deref()?;
    let rows = ins.decisions_by_cost();
    let best = rows.first().copied();
    let covered = best.is_some_and(|b| b.option != "none");
    let other = best.and_then(|_| {
        rows.iter()
            .copied()
            .find(|d| (d.option != "none") != covered)
    });
    let diff = match (best, other) {
        (Some(b), Some(o)) => match (per_trial(page, ins, b), per_trial(page, ins, o)) {
            (Some(x), Some(y)) => {
                let diffs = y.zip(x).map(|(y, x)| y - x);
                // An importance-sampled run's paired difference is weighted.
                let (mean, lo, hi) = match &page.report.simulation.importance {
                    None => {
                        let d = Moments::of(diffs);
                        let (lo, hi) = d.ci(Z_95);
                        (d.mean, lo, hi)
                    }
                    Some(imp) => {
                        let d = crate::weighted::mean(diffs, &imp.weights);
                        (d.mean, d.mean - d.half_width(), d.mean + d.half_width())
                    }
                };
                Some(Diff {
                    separated: lo > 0.0,
                    mean: signed_money(mean),
                    lo: signed_money(lo),
                    hi: signed_money(hi),
                })
            }
            _ => None,
        },
        _ => None,
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(b) = best {
        parts.extend(
            b.cost_per_year
                .map(|c| format!("{} cost per year", money(c))),
        );
        if covered {
            parts.push(format!("{} premium", money(b.premium)));
        }
        parts.push(format!(
            "{} expected retained loss",
            signed_money(b.expected_retained_loss)
        ));
    }
    #[derive(Serialize)]
    struct Context<'a> {
        period: String,
        best: Option<Choice<'a>>,
        other: Option<Choice<'a>>,
        diff: Option<Diff>,
        parts: Vec<String>,
    }
    Some(templates::render(
        "insurance-answer.html",
        Context {
            period: page.data.period(),
            best: best.map(choice),
            other: other.map(choice),
            diff,
            parts,
        },
    ))
}

/// The premium principle with its parameters, and the expense loading.
fn principle(page: &Page, p: usize) -> String {
    let pricing = &page.report.model.policies[p].pricing;
    let rule = match pricing.principle {
        PremiumPrinciple::ExpectedValue { loading } => {
            format!("expected value (1 + θ)E, θ = {}", sig(loading, 3))
        }
        PremiumPrinciple::StdDev { loading } => {
            format!("standard deviation E + kσ, k = {}", sig(loading, 3))
        }
        PremiumPrinciple::CostOfCapital { rate, level } => format!(
            "cost of capital E + r(TVaR − E), r = {} on TVaR {}",
            sig(rate, 3),
            percent(level)
        ),
        PremiumPrinciple::Wang { lambda } => format!("Wang transform, λ = {}", sig(lambda, 3)),
    };
    if pricing.expense_ratio > 0.0 {
        format!("{rule}; {} expenses", percent(pricing.expense_ratio))
    } else {
        rule
    }
}

#[derive(Serialize)]
struct Basis {
    missed: String,
    unneeded: String,
    tail_paid: String,
    correlation: String,
}

#[derive(Serialize)]
struct PolicyRow<'a> {
    id: &'a str,
    kind: &'a str,
    index: Option<&'a str>,
    insured: &'a str,
    portfolio: Option<&'a str>,
    principle: String,
    description: Option<&'a str>,
    payout: String,
    payout_lo: String,
    payout_hi: String,
    premium: String,
    attachment: String,
    exhaustion: String,
    loss_on_line: String,
    loss_before: String,
    loss_after: String,
    tvar_before: String,
    tvar_after: String,
    basis: Option<Basis>,
}

#[derive(Serialize)]
struct PortfolioRow<'a> {
    id: &'a str,
    policies: String,
    payout: String,
    payout_lo: String,
    payout_hi: String,
    pml: Vec<String>,
    tvar: String,
    standalone: String,
    ratio: String,
}

impl Section for Insurance {
    fn id(&self) -> &'static str {
        "insurance"
    }
    fn title(&self) -> &'static str {
        "Insurance: backup or cover?"
    }
    fn summary(&self, page: &Page) -> String {
        let n = page
            .data
            .insurance
            .as_deref()
            .map_or(0, |i| i.policies.len());
        format!("The decision table, its chart, the {n} policies and their portfolios, and how the figures are made.")
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.insurance.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(ins) = page.data.insurance.as_deref() else {
            return;
        };
        let policies = ins
            .policies
            .iter()
            .enumerate()
            .map(|(i, s)| PolicyRow {
                id: &s.policy,
                kind: s.kind,
                index: s.index.as_deref(),
                insured: &s.insured,
                portfolio: s.portfolio.as_deref(),
                principle: principle(page, i),
                description: page.report.model.policies[i].description.as_deref(),
                payout: money(s.expected_payout),
                payout_lo: money(s.expected_payout_ci_low),
                payout_hi: money(s.expected_payout_ci_high),
                premium: money(s.premium.gross),
                attachment: percent(s.attachment_probability),
                exhaustion: opt(s.exhaustion_probability, percent),
                loss_on_line: opt(s.expected_loss_on_line, percent),
                loss_before: money(s.insured_expected_loss_before),
                loss_after: signed_money(s.insured_expected_loss_after),
                tvar_before: money(s.insured_tvar99_before),
                tvar_after: signed_money(s.insured_tvar99_after),
                basis: match (
                    s.p_no_payout_given_bad_year,
                    s.p_payout_given_no_need,
                    s.tail_loss_paid_share,
                    s.payout_loss_correlation,
                ) {
                    (None, None, None, None) => None,
                    (m, u, t, c) => Some(Basis {
                        missed: opt(m, percent),
                        unneeded: opt(u, percent),
                        tail_paid: opt(t, percent),
                        correlation: opt(c, |x| sig(x, 2)),
                    }),
                },
            })
            .collect();
        let portfolios = ins
            .portfolios
            .iter()
            .map(|p| PortfolioRow {
                id: &p.portfolio,
                policies: thousands(p.policies as f64),
                payout: money(p.expected_payout),
                payout_lo: money(p.expected_payout_ci_low),
                payout_hi: money(p.expected_payout_ci_high),
                pml: p.pml.iter().map(|&x| opt(x, money)).collect(),
                tvar: money(p.tvar995),
                standalone: money(p.standalone_tvar995_sum),
                ratio: opt(p.diversification_ratio, |x| sig(x, 3)),
            })
            .collect();
        let charts = page
            .charts
            .iter()
            .filter(|c| c.section == self.id())
            .map(Figure::of)
            .collect();
        #[derive(Serialize)]
        struct Context<'a> {
            period: String,
            answer: minijinja::Value,
            decisions: Vec<Choice<'a>>,
            charts: Vec<Figure<'a>>,
            policies: Vec<PolicyRow<'a>>,
            portfolios: Vec<PortfolioRow<'a>>,
            weighted: bool,
        }
        out.push_str(&templates::render(
            "insurance.html",
            Context {
                weighted: page.report.simulation.importance.is_some(),
                period: page.data.period(),
                answer: templates::safe(answer(page).unwrap_or_default()),
                decisions: ins.decisions_by_cost().into_iter().map(choice).collect(),
                charts,
                policies,
                portfolios,
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::charts::total_cost_of_risk;
    use crate::insurance::decision::Decision;

    #[test]
    fn option_labels_escape_ids() {
        let d = Decision {
            architecture: "a<b".into(),
            option: "none".into(),
            cost_per_year: None,
            premium: 0.0,
            expected_retained_loss: 0.0,
            total_cost_of_risk: 0.0,
            retained_loss_tvar99: 0.0,
        };
        assert_eq!(total_cost_of_risk::option_label(&d), "a<b · no cover");
    }
}
