//! Chart 3: outage duration survival, P(an outage lasts > x hours) for each
//! architecture, on log–log axes, from every outage that started in a
//! period (full length, also past the period's end), each length within
//! 0.1% ([`crate::sketch`]).

use super::curves::{architecture_curves, draw_exceedance, Marks, Sample};
use super::style;
use super::{chart_files, on_both_backends, Chart, ChartData, ChartError};
use crate::fmtnum::thousands;
use plotters::coord::Shift;
use plotters::prelude::*;

pub struct OutageSurvival;

const TITLE: &str = "How long outages last: duration survival";

impl Chart for OutageSurvival {
    chart_files!("outage-survival");

    fn title(&self) -> &'static str {
        TITLE
    }

    fn how_to_read(&self, data: &ChartData) -> String {
        "For each architecture, the share of its outages (vertical, log scale) that last longer \
         than the hours on the horizontal axis (log scale), counting every outage that started in \
         a simulated period with its full length. The legend gives how many outages each curve is \
         drawn from. Redundancy removes the short, independent outages, so what is left is often \
         the long ones that hit every branch at once: a curve that lies flat and far to the right \
         means the outages that remain are long."
            .to_string()
            + &data.grouping_note(true)
    }

    on_both_backends!(draw);
}

fn draw<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), ChartError> {
    let area = style::title_block(root, TITLE, &data.subtitle())?;
    let (curves, others) = architecture_curves(
        data,
        |a| Sample::Tally(&data.architectures[a].outage_lengths),
        |a| {
            let x = &data.architectures[a];
            format!(
                "{} ({} outages)",
                x.id,
                thousands(x.outage_lengths.len() as f64)
            )
        },
    );
    let marks = Marks {
        lines: [10.0, 100.0]
            .into_iter()
            .map(|n| (1.0 / n, format!("1 outage in {n}")))
            .collect(),
        dots: false,
    };
    draw_exceedance(
        &area,
        &curves,
        &others,
        "outage length, hours (log scale)",
        "share of outages lasting longer (log scale)",
        &marks,
        "No architecture had an outage in any trial.",
    )
}
