//! The insurance tables printed by `fateshare run` for a scenario with
//! policies: the policies, the portfolios, and the decision table sorted by
//! expected total cost of risk. Long tables show their first rows; the CSV
//! files hold all of them.

use crate::insurance::Insurance;
use std::fmt::Write;

/// Rows shown per table before "… more in FILE".
pub const MAX_ROWS: usize = 20;

fn money(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && s != "0" {
        format!("-{out}")
    } else {
        out
    }
}

fn percent(x: f64) -> String {
    format!("{:.2}", 100.0 * x)
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("-".into(), f)
}

/// Lays out a table: first column left-aligned, the others right-aligned.
fn layout(out: &mut String, header: &[&str], rows: &[Vec<String>], file: &str) {
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in shown {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&width).enumerate() {
            let pad = " ".repeat(w - c.chars().count());
            if i == 0 {
                l.push_str(c);
                l.push_str(&pad);
            } else {
                l.push_str("  ");
                l.push_str(&pad);
                l.push_str(c);
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(
        out,
        "{}",
        line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    );
    for r in shown {
        let _ = writeln!(out, "{}", line(r));
    }
    if rows.len() > shown.len() {
        let _ = writeln!(out, "… {} more rows in {file}", rows.len() - shown.len());
    }
}

/// Renders the policies, portfolios and decision tables (empty without
/// policies). For a book (`book`), the decision rows go insured by insured in
/// the book's order: insureds are not ranked against each other.
pub fn render(ins: &Insurance, book: bool) -> String {
    let mut out = String::new();
    if !ins.has_policies() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nPolicies (payouts per period; premium after expenses)"
    );
    let rows: Vec<Vec<String>> = ins
        .policies
        .iter()
        .map(|p| {
            vec![
                p.policy.clone(),
                p.kind.to_string(),
                p.insured.clone(),
                format!(
                    "{} [{}, {}]",
                    money(p.expected_payout),
                    money(p.expected_payout_ci_low),
                    money(p.expected_payout_ci_high)
                ),
                percent(p.attachment_probability),
                opt(p.exhaustion_probability, percent),
                money(p.premium.gross),
                opt(p.loss_ratio, |x| format!("{x:.2}")),
                opt(p.p_no_payout_given_bad_year, percent),
                opt(p.p_payout_given_no_need, percent),
                opt(p.tail_loss_paid_share, percent),
            ]
        })
        .collect();
    layout(
        &mut out,
        &[
            "policy",
            "kind",
            "insured",
            "expected payout [95% CI]",
            "attach %",
            "exhaust %",
            "premium",
            "loss ratio",
            "P(no pay | bad year)",
            "P(pay | no need)",
            "tail paid %",
        ],
        &rows,
        "policies.csv",
    );
    let _ = writeln!(
        out,
        "P(no pay | bad year): of the years the insured lost more than basis_threshold, the share the cover paid nothing; P(pay | no need): of the index outages the insured lost nothing in (e.g. it failed over), the share that paid; tail paid: share of the insured's worst-1% loss the cover pays"
    );

    if !ins.portfolios.is_empty() {
        let _ = writeln!(
            out,
            "\nPortfolios (all insureds in one sampled world per period)"
        );
        let rows: Vec<Vec<String>> = ins
            .portfolios
            .iter()
            .map(|p| {
                vec![
                    p.portfolio.clone(),
                    p.policies.to_string(),
                    money(p.expected_payout),
                    opt(p.pml[0], money),
                    opt(p.pml[1], money),
                    opt(p.pml[2], money),
                    money(p.tvar995),
                    money(p.standalone_tvar995_sum),
                    opt(p.diversification_ratio, |x| format!("{x:.2}")),
                ]
            })
            .collect();
        layout(
            &mut out,
            &[
                "portfolio",
                "policies",
                "expected payout",
                "PML 1-in-100",
                "PML 1-in-200",
                "PML 1-in-250",
                "TVaR 99.5%",
                "sum stand-alone",
                "diversification",
            ],
            &rows,
            "portfolios.csv",
        );
    }

    let mut order: Vec<usize> = (0..ins.decisions.len()).collect();
    if book {
        // Insureds are not alternatives: each one's options, in the book's order.
        let _ = writeln!(
            out,
            "\nDecisions per insured, in the book's order (each insured's options cheapest first; insureds are not ranked)"
        );
        let mut first: std::collections::HashMap<&str, usize> = Default::default();
        let group: Vec<usize> = ins
            .decisions
            .iter()
            .enumerate()
            .map(|(i, d)| *first.entry(d.architecture.as_str()).or_insert(i))
            .collect();
        order.sort_by(|&a, &b| {
            group[a]
                .cmp(&group[b])
                .then(
                    ins.decisions[a]
                        .total_cost_of_risk
                        .total_cmp(&ins.decisions[b].total_cost_of_risk),
                )
                .then(a.cmp(&b))
        });
    } else {
        let _ = writeln!(
            out,
            "\nDecisions, cheapest expected total cost of risk first"
        );
        order.sort_by(|&a, &b| {
            ins.decisions[a]
                .total_cost_of_risk
                .total_cmp(&ins.decisions[b].total_cost_of_risk)
                .then(a.cmp(&b))
        });
    }
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&i| {
            let d = &ins.decisions[i];
            vec![
                d.architecture.clone(),
                d.option.clone(),
                opt(d.cost_per_year, money),
                money(d.premium),
                money(d.expected_retained_loss),
                money(d.total_cost_of_risk),
                money(d.retained_loss_tvar99),
            ]
        })
        .collect();
    layout(
        &mut out,
        &[
            "architecture",
            "option",
            "cost/year",
            "premium",
            "retained loss",
            "total cost",
            "retained TVaR99",
        ],
        &rows,
        "decisions.csv",
    );
    let _ = writeln!(
        out,
        "total cost = cost/year + premium + expected retained loss (loss minus payouts), per period"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_format() {
        assert_eq!(money(1234567.4), "1,234,567");
        assert_eq!(money(-1234.0), "-1,234");
        assert_eq!(money(-0.2), "0");
    }
}
