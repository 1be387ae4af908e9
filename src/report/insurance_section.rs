//! The insurance section of `report.html`, shown when the scenario has
//! policies: the answer to "backup or cover?" in one sentence (also a
//! headline item), the decision table sorted by expected total cost of risk
//! with its chart, the policies (payout, premium, attachment and exhaustion,
//! loss on line, the insured's loss before and after, basis risk), the
//! portfolios (PML, diversification) and how the figures are made. It reads
//! the [`InsuranceFigures`] of the page's chart data, which `fateshare run`
//! and `fateshare report` fill alike.

use super::html::{escape, inline_svg, Page, Section};
use crate::fmtnum::{money, sig, thousands};
use crate::insurance::decision::Decision;
use crate::insurance::figures::InsuranceFigures;
use crate::model::PremiumPrinciple;
use crate::stats::{Moments, Z_95};
use std::fmt::Write;

/// The insurance section.
pub struct Insurance;

fn b(id: &str) -> String {
    format!("<strong>{}</strong>", escape(id))
}

fn cell(s: &str) -> String {
    format!("<td class=\"num\">{s}</td>")
}

fn percent(p: f64) -> String {
    format!("{}%", sig(100.0 * p, 3))
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

/// "ARCH without cover" or "ARCH insured by POLICY", as HTML.
fn option_html(d: &Decision) -> String {
    if d.option == "none" {
        format!("{} without cover", b(&d.architecture))
    } else {
        format!("{} insured by {}", b(&d.architecture), b(&d.option))
    }
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
/// headline item): the option with the lowest expected total cost of risk
/// against the cheapest of the other kind (covered against uncovered), with
/// the paired difference and its 95% CI. `None` without policies.
pub fn answer(page: &Page) -> Option<String> {
    let ins = page.data.insurance.as_deref()?;
    let rows = ins.decisions_by_cost();
    let period = page.data.period();
    let Some(best) = rows.first() else {
        return Some(
            "<b>Backup or cover?</b> No policy insures an architecture with a loss model, so there is nothing to weigh \
             a cover against."
                .into(),
        );
    };
    let covered = best.option != "none";
    let Some(other) = rows.iter().find(|d| (d.option != "none") != covered) else {
        return Some(format!(
            "<b>Backup or cover?</b> {} has the lowest expected total cost of risk, {} a {period}; no option of the other \
             kind is in the decision table.",
            option_html(best),
            money(best.total_cost_of_risk)
        ));
    };
    let other_kind = if covered {
        "the cheapest option without cover"
    } else {
        "the cheapest covered option"
    };
    let diff = match (per_trial(page, ins, best), per_trial(page, ins, other)) {
        (Some(x), Some(y)) => Some(Moments::of(y.zip(x).map(|(y, x)| y - x))),
        _ => None,
    };
    let versus = match diff {
        Some(d) if d.ci(Z_95).0 > 0.0 => format!(
            "{} less than {other_kind}, {} ({}; paired difference 95% CI {} to {})",
            signed_money(d.mean),
            option_html(other),
            money(other.total_cost_of_risk),
            signed_money(d.ci(Z_95).0),
            signed_money(d.ci(Z_95).1)
        ),
        Some(d) => format!(
            "but at this number of trials it cannot be told apart from {other_kind}, {} ({}; \
             paired difference {}, 95% CI {} to {})",
            option_html(other),
            money(other.total_cost_of_risk),
            signed_money(d.mean),
            signed_money(d.ci(Z_95).0),
            signed_money(d.ci(Z_95).1)
        ),
        None => format!(
            "against {} for {other_kind}, {}",
            money(other.total_cost_of_risk),
            option_html(other)
        ),
    };
    let mut parts: Vec<String> = best
        .cost_per_year
        .map(|c| format!("{} cost per year", money(c)))
        .into_iter()
        .collect();
    if covered {
        parts.push(format!("{} premium", money(best.premium)));
    }
    parts.push(format!(
        "{} expected retained loss",
        signed_money(best.expected_retained_loss)
    ));
    Some(format!(
        "<b>Backup or cover?</b> {} has the lowest expected total cost of risk, {} a {period} \
         ({}), {versus}.",
        option_html(best),
        money(best.total_cost_of_risk),
        parts.join(" + "),
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

impl Section for Insurance {
    fn id(&self) -> &'static str {
        "insurance"
    }
    fn title(&self) -> &'static str {
        "Insurance: backup or cover?"
    }
    fn applies(&self, page: &Page) -> bool {
        page.data.insurance.is_some()
    }
    fn render(&self, page: &Page, out: &mut String) {
        let Some(ins) = page.data.insurance.as_deref() else {
            return;
        };
        let period = page.data.period();
        if let Some(a) = answer(page) {
            let _ = writeln!(out, "<p class=\"lede\">{a}</p>");
        }
        decisions(ins, &period, out);
        for c in page.charts.iter().filter(|c| c.section == self.id()) {
            let _ = writeln!(
                out,
                "<figure id=\"chart-{}\">\n<figcaption><h3>{}</h3>\n<p>{}</p></figcaption>\n{}\n\
                 <p class=\"files\">Also as <code>{}</code> and <code>{}</code>.</p>\n</figure>",
                c.name,
                escape(c.title),
                escape(&c.how_to_read),
                inline_svg(&c.svg, c.title),
                c.png_file,
                c.svg_file
            );
        }
        policies(page, ins, &period, out);
        portfolios(ins, &period, out);
        let _ = writeln!(
            out,
            "<p>The annual payout of each policy and portfolio against its return period is drawn \
             beside the architectures' losses in <a href=\"#chart-loss-exceedance\">the loss \
             exceedance chart</a>.</p>\n\
             <h3>How these figures are made</h3>\n\
             <p>Payouts come from the same simulated {period}s as the losses above, in the same pass: \
             a parametric policy pays per hour of each outage of its index beyond the waiting period, \
             an indemnity policy a share of each outage's loss above the deductible, each capped per \
             event and then per {period} by the annual limit; a payout belongs to the {period} in which \
             its outage starts. The premium is the chosen principle applied to the simulated annual \
             payouts, divided by (1 − expense ratio). The retained loss of a {period} is the insured's \
             loss minus the payout; the expected total cost of risk is cost per year + premium + \
             expected retained loss. TVaR 99% is the mean of the worst 1% of {period}s; a PML at \
             1 in N is the aggregate loss at return period N, ranked over all {period}s and interpolated \
             as in <code>ept.csv</code>; the diversification ratio is the sum of the policies' \
             stand-alone TVaR 99.5% divided by the portfolio's. Paired differences treat the premium \
             as a fixed price and compare the options on the same simulated {period}s. Formulas and \
             a worked example: <code>docs/insurance.md</code>. <code>fateshare report</code> redraws \
             this section from <code>policies.csv</code>, <code>decisions.csv</code>, \
             <code>portfolios.csv</code> and <code>policy_trials.csv</code>.</p>"
        );
    }
}

/// The decision table, cheapest expected total cost of risk first.
fn decisions(ins: &InsuranceFigures, period: &str, out: &mut String) {
    let _ = writeln!(
        out,
        "<h3>Decision table</h3>\n<p class=\"muted\">Every architecture with a loss model, without \
         cover and with each policy that insures it, cheapest first. Expected total cost of risk = \
         cost per year + premium + expected retained loss (loss minus payouts) per {period}; the \
         retained TVaR 99% is the mean retained loss of the worst 1% of {period}s.</p>\n\
         <table id=\"decision-table\"><thead><tr><th>#</th><th class=\"text\">architecture</th>\
         <th class=\"text\">option</th><th>cost per year</th><th>premium</th>\
         <th>expected retained loss</th><th>total cost of risk</th><th>retained TVaR 99%</th>\
         </tr></thead><tbody>"
    );
    for (i, d) in ins.decisions_by_cost().into_iter().enumerate() {
        let strong = |s: String| {
            if i == 0 {
                format!("<strong>{s}</strong>")
            } else {
                s
            }
        };
        let option = if d.option == "none" {
            "no cover".to_string()
        } else {
            format!("cover <strong>{}</strong>", escape(&d.option))
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"text\"><strong>{}</strong></td><td class=\"text\">{option}</td>\
             {}{}{}{}{}</tr>",
            i + 1,
            escape(&d.architecture),
            cell(&opt(d.cost_per_year, money)),
            cell(&money(d.premium)),
            cell(&signed_money(d.expected_retained_loss)),
            cell(&strong(money(d.total_cost_of_risk))),
            cell(&signed_money(d.retained_loss_tvar99)),
        );
    }
    out.push_str("</tbody></table>\n");
}

/// The policies table.
fn policies(page: &Page, ins: &InsuranceFigures, period: &str, out: &mut String) {
    let _ = writeln!(
        out,
        "<h3>Policies</h3>\n<p class=\"muted\">Per policy, its annual payout (the pure premium, with \
         its 95% CI), the premium and how it is priced, the share of {period}s in which it pays \
         (attachment) and in which it reaches its annual limit (exhaustion), the expected loss on \
         line (expected payout ÷ annual limit), and what it does to its insured's loss: expected \
         and TVaR 99% before → after. Basis risk, for parametric covers: the share of {period}s in \
         which the insured loses more than the policy's basis threshold but the cover pays nothing \
         (missed), in which it pays while the insured loses nothing (unneeded), and the \
         correlation of payout and loss.</p>\n\
         <table id=\"policy-table\"><thead><tr><th class=\"text\">policy</th>\
         <th>expected payout [95% CI]</th><th>premium</th><th>attachment</th><th>exhaustion</th>\
         <th>loss on line</th><th>insured expected loss, before → after</th>\
         <th>insured TVaR 99%, before → after</th><th>basis risk: missed, unneeded, \
         correlation</th></tr></thead><tbody>"
    );
    for (i, s) in ins.policies.iter().enumerate() {
        let policy = &page.report.model.policies[i];
        let what = match &s.index {
            Some(index) => format!("{} on {}", s.kind, escape(index)),
            None => s.kind.to_string(),
        };
        let desc = policy
            .description
            .as_deref()
            .map(|d| format!("<br><small>{}</small>", escape(d)))
            .unwrap_or_default();
        let portfolio = s
            .portfolio
            .as_deref()
            .map(|p| format!("; portfolio {}", escape(p)))
            .unwrap_or_default();
        let basis = match (
            s.basis_risk_missed,
            s.basis_risk_unneeded,
            s.payout_loss_correlation,
        ) {
            (None, None, None) => "–".to_string(),
            (m, u, c) => format!(
                "{}<br>{}<br><small>corr. {}</small>",
                opt(m, percent),
                opt(u, percent),
                opt(c, |x| sig(x, 2))
            ),
        };
        // The long words (kind, pricing, description) go in the first,
        // wrapping column; the figures stay narrow.
        let _ = writeln!(
            out,
            "<tr><td class=\"text\"><strong>{}</strong><br><small>{what}, insures {}{portfolio}; \
             priced by {}</small>{desc}</td>{}{}{}{}{}{}{}{}</tr>",
            escape(&s.policy),
            escape(&s.insured),
            escape(&principle(page, i)),
            cell(&format!(
                "{}<br><small>{} – {}</small>",
                money(s.expected_payout),
                money(s.expected_payout_ci_low),
                money(s.expected_payout_ci_high)
            )),
            cell(&money(s.premium.gross)),
            cell(&percent(s.attachment_probability)),
            cell(&opt(s.exhaustion_probability, percent)),
            cell(&opt(s.expected_loss_on_line, percent)),
            cell(&format!(
                "{}<br>→ {}",
                money(s.insured_expected_loss_before),
                signed_money(s.insured_expected_loss_after)
            )),
            cell(&format!(
                "{}<br>→ {}",
                money(s.insured_tvar99_before),
                signed_money(s.insured_tvar99_after)
            )),
            cell(&basis),
        );
    }
    out.push_str("</tbody></table>\n");
}

/// The portfolios table (nothing when no policy names a portfolio).
fn portfolios(ins: &InsuranceFigures, period: &str, out: &mut String) {
    if ins.portfolios.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h3>Portfolios</h3>\n<p class=\"muted\">The policies that carry the same portfolio name, \
         added up {period} by {period} in the same simulated world: what an insurer holding them all \
         pays. PML 1 in N: the total payout of a 1-in-N {period} (– where the trials do not reach \
         it). Diversification ratio: the policies' stand-alone TVaR 99.5% summed, divided by the \
         portfolio's TVaR 99.5%; 1 means their worst {period}s coincide (no diversification), \
         higher is more diversified.</p>\n\
         <table id=\"portfolio-table\"><thead><tr><th class=\"text\">portfolio</th><th>policies</th>\
         <th>expected payout [95% CI]</th><th>PML 1 in 100</th><th>PML 1 in 200</th>\
         <th>PML 1 in 250</th><th>TVaR 99.5%</th><th>sum of stand-alone TVaR 99.5%</th>\
         <th>diversification ratio</th></tr></thead><tbody>"
    );
    for p in &ins.portfolios {
        let _ = writeln!(
            out,
            "<tr><td class=\"text\"><strong>{}</strong></td>{}{}{}{}{}{}{}{}</tr>",
            escape(&p.portfolio),
            cell(&thousands(p.policies as f64)),
            cell(&format!(
                "{}<br><small>{} – {}</small>",
                money(p.expected_payout),
                money(p.expected_payout_ci_low),
                money(p.expected_payout_ci_high)
            )),
            cell(&opt(p.pml[0], money)),
            cell(&opt(p.pml[1], money)),
            cell(&opt(p.pml[2], money)),
            cell(&money(p.tvar995)),
            cell(&money(p.standalone_tvar995_sum)),
            cell(&opt(p.diversification_ratio, |x| sig(x, 3))),
        );
    }
    out.push_str("</tbody></table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::total_cost_of_risk;

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
        assert_eq!(option_html(&d), "<strong>a&lt;b</strong> without cover");
        assert_eq!(total_cost_of_risk::option_label(&d), "a<b · no cover");
    }
}
