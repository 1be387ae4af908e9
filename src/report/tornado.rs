//! `tornado.csv` (one row per architecture, source and parameter, with the
//! base, low and high figures: one bar of a tornado chart) and the terminal
//! summary of `fateshare tornado`.

use super::csv::{csv_err, opt};
use super::table::money;
use super::text;
use crate::sensitivity::{Bar, Tornado};
use std::io::{self, Write};

pub const FILE: &str = "tornado.csv";

pub const COLUMNS: [&str; 19] = [
    "architecture",
    "source",
    "source_kind",
    "parameter",
    "low_factor",
    "high_factor",
    "base_downtime_hours",
    "low_downtime_hours",
    "high_downtime_hours",
    "downtime_swing_hours",
    "downtime_swing_se_hours",
    "downtime_rank",
    "base_expected_loss",
    "low_expected_loss",
    "high_expected_loss",
    "loss_swing",
    "loss_swing_se",
    "loss_rank",
    "trials",
];

/// Upper bound on the standard error of high − low (the two runs share
/// random numbers, which only makes it smaller).
fn swing_se(lo: f64, hi: f64) -> f64 {
    (lo * lo + hi * hi).sqrt()
}

pub fn write_csv(t: &Tornado, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(COLUMNS).map_err(csv_err)?;
    for b in &t.bars {
        let loss_se = b
            .low
            .loss_se
            .zip(b.high.loss_se)
            .map(|(l, h)| swing_se(l, h));
        w.write_record([
            b.architecture.clone(),
            b.source.clone(),
            b.kind.name().to_string(),
            b.parameter.name().to_string(),
            t.low_factor.to_string(),
            t.high_factor.to_string(),
            b.base.downtime_hours.to_string(),
            b.low.downtime_hours.to_string(),
            b.high.downtime_hours.to_string(),
            b.downtime_swing.to_string(),
            swing_se(b.low.downtime_se, b.high.downtime_se).to_string(),
            b.downtime_rank.to_string(),
            opt(b.base.expected_loss),
            opt(b.low.expected_loss),
            opt(b.high.expected_loss),
            opt(b.loss_swing),
            opt(loss_se),
            b.loss_rank.map(|r| r.to_string()).unwrap_or_default(),
            t.settings.trials.to_string(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()
}

/// The `top` largest bars of each architecture.
pub fn render(t: &Tornado, top: usize) -> String {
    let mut out = String::new();
    let mut archs: Vec<&str> = t.bars.iter().map(|b| b.architecture.as_str()).collect();
    archs.dedup();
    for arch in archs {
        let bars: Vec<&Bar> = t.bars.iter().filter(|b| b.architecture == arch).collect();
        let base = bars[0].base;
        out.push_str(&format!(
            "{arch}: base {:.2} h down{}; each source's rate and duration x{} and x{}:\n",
            base.downtime_hours,
            base.expected_loss
                .map_or(String::new(), |l| format!(", expected loss {}", money(l))),
            t.low_factor,
            t.high_factor,
        ));
        let header = [
            "  source",
            "parameter",
            "down h low",
            "high",
            "swing",
            "loss low",
            "high",
            "swing",
        ];
        let rows: Vec<Vec<String>> = bars
            .iter()
            .take(top)
            .map(|b| {
                vec![
                    format!("  {}", b.source),
                    b.parameter.name().to_string(),
                    format!("{:.2}", b.low.downtime_hours),
                    format!("{:.2}", b.high.downtime_hours),
                    format!("{:.2}", b.downtime_swing),
                    b.low.expected_loss.map_or("-".into(), money),
                    b.high.expected_loss.map_or("-".into(), money),
                    b.loss_swing.map_or("-".into(), money),
                ]
            })
            .collect();
        let right = [false, false, true, true, true, true, true, true];
        out.push_str(&text::table(&header, &rows, &right));
    }
    out
}
