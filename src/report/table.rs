//! The terminal table printed by `fateshare run`.

use super::Report;
use std::fmt::Write;

pub(crate) fn money(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

fn percent(x: f64) -> String {
    format!("{:.4}", 100.0 * x)
}

/// Renders the results table as text.
pub fn render(report: &Report) -> String {
    let s = &report.settings;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} trials of {} h, seed {}",
        report.model.name, s.trials, s.horizon_hours, s.seed
    );
    // Served share beside availability where partial service makes them differ.
    let served = report.summaries.iter().any(|a| a.served != a.availability);
    let mut header = vec![
        "architecture",
        "availability % [95% CI]",
        "nines",
        "down h mean",
        "down h p99",
        "outages",
        "expected loss",
        "cost/year",
        "naive availability",
        "penalty",
    ];
    if served {
        header.insert(2, "served % [95% CI]");
    }
    let rows: Vec<Vec<String>> = report
        .summaries
        .iter()
        .map(|a| {
            let mut row = vec![
                a.architecture.clone(),
                format!(
                    "{} [{}, {}]",
                    percent(a.availability),
                    percent(a.availability_ci_low),
                    percent(a.availability_ci_high)
                ),
                a.nines.map_or("-".into(), |n| format!("{n:.2}")),
                format!("{:.2}", a.downtime_hours_mean),
                format!("{:.2}", a.downtime_hours_p99),
                format!("{:.2}", a.outages_mean),
                a.expected_loss.map_or("-".into(), money),
                a.cost_per_year.map_or("-".into(), money),
                crate::fmtnum::availability_percent(a.naive_availability),
                a.correlation_penalty
                    .map_or("-".into(), |p| format!("{}×", crate::fmtnum::sig(p, 3))),
            ];
            if served {
                let s = format!(
                    "{} [{}, {}]",
                    percent(a.served),
                    percent(a.served_ci_low),
                    percent(a.served_ci_high)
                );
                row.insert(2, s);
            }
            row
        })
        .collect();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&width).enumerate() {
            let pad = w - c.chars().count();
            if i == 0 {
                l.push_str(c);
                l.push_str(&" ".repeat(pad));
            } else {
                l.push_str("  ");
                l.push_str(&" ".repeat(pad));
                l.push_str(c);
            }
        }
        l.trim_end().to_string()
    };
    let header: Vec<String> = header.into_iter().map(String::from).collect();
    let _ = writeln!(out, "{}", line(&header));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    let _ = writeln!(
        out,
        "down h: hours of down time per {} h period; outages: per period; loss per period",
        s.horizon_hours
    );
    let _ = writeln!(
        out,
        "naive: the composite-SLA arithmetic (all components independent); penalty: simulated down time ÷ naive down time"
    );
    if served {
        let _ = writeln!(
            out,
            "served: mean share of requests served (partial outages serve a share; availability counts time not down)"
        );
    }
    out
}
