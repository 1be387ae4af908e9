//! `fateshare calibrate INCIDENTS.csv`: fits the user's own incident history
//! and prints a scenario snippet per component or cause, with the posterior
//! and the fit's uncertainty in comments.

use crate::catalogue::calibrate::{fit, Group, History};
use crate::cmd::flags::Failure;
use crate::fmtnum::sig;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// CSV of incidents: start,end,component (or cause)[,severity], times in UTC.
    pub incidents: PathBuf,
    /// Observation window in years (default: from the first start to the last
    /// end, which understates it when the window began before the first incident).
    #[arg(long)]
    pub years: Option<f64>,
}

pub fn calibrate(args: &CalibrateArgs) -> Result<(), Failure> {
    let label = args.incidents.display().to_string();
    let text = std::fs::read_to_string(&args.incidents).map_err(|e| {
        Failure::Input(format!(
            "{label}: cannot read the incidents file ({e}); check the path"
        ))
    })?;
    let history = fit(&text, &label, args.years)?;
    print!("{}", snippet(&history, &label));
    Ok(())
}

fn hours_list(v: &[f64]) -> String {
    v.iter().map(|h| sig(*h, 3)).collect::<Vec<_>>().join(", ")
}

/// The `duration = {...}` value for a group.
fn duration_value(g: &Group) -> String {
    match g.duration {
        Some(d) => format!(
            "{{ dist = \"lognormal\", median_hours = {}, p95_hours = {} }}",
            sig(d.median(), 4),
            sig(d.p95(), 4)
        ),
        None => format!(
            "{{ dist = \"empirical\", hours = [{}] }}",
            hours_list(&g.durations)
        ),
    }
}

fn comments(g: &Group, years: f64) -> String {
    let (lo, hi) = g.rate.interval90();
    let mut c = format!(
        "# {} \"{}\": {} incidents in {} years: posterior Gamma({}, {}) (Jeffreys prior), mean {}/yr [90%: {}, {}]\n",
        g.kind,
        g.name,
        g.rate.events,
        sig(years, 4),
        sig(g.rate.shape, 4),
        sig(g.rate.rate, 4),
        sig(g.rate.mean(), 4),
        sig(lo, 3),
        sig(hi, 3)
    );
    c += &format!(
        "# with its uncertainty (for run --uncertainty N): per_year = {{ incidents = {}, years = {} }}\n",
        g.rate.events,
        sig(g.rate.exposure_years, 6)
    );
    c += &format!("# durations, hours: [{}]\n", hours_list(&g.durations));
    match g.duration {
        Some(d) => {
            let (ml, mh) = d.median_interval90();
            let (pl, ph) = d.p95_interval90();
            c += &format!(
                "# lognormal by maximum likelihood: median {} h [90%: {}, {}], p95 {} h [90%: {}, {}]\n",
                sig(d.median(), 3),
                sig(ml, 3),
                sig(mh, 3),
                sig(d.p95(), 3),
                sig(pl, 3),
                sig(ph, 3)
            );
        }
        None => c += "# too few different durations for a lognormal fit: the observed ones, as an empirical distribution\n",
    }
    if !g.severities.is_empty() {
        let mean = g.severities.iter().sum::<f64>() / g.severities.len() as f64;
        c += &format!(
            "# severity: {} given, mean {} (a share affected: e.g. a hit probability)\n",
            g.severities.len(),
            sig(mean, 3)
        );
    }
    c
}

/// The text `fateshare calibrate` prints.
pub fn snippet(h: &History, label: &str) -> String {
    let mut out = format!(
        "# fateshare calibrate {label}: {} incidents over {} years{}\n\
         # rates: Gamma(k + 1/2, T) posterior mean (docs/catalogue.md); durations: lognormal fit\n\n",
        h.incidents,
        sig(h.years, 4),
        if h.years_from_data {
            " (the span of the data; give --years for the whole observation window)"
        } else {
            ""
        }
    );
    for g in &h.groups {
        out += &comments(g, h.years);
        let rate = sig(g.rate.mean(), 4);
        if g.kind == "component" {
            out += &format!(
                "# [[component]] id = \"{}\"\noutages = {{ per_year = {rate}, duration = {} }}\n\n",
                g.name,
                duration_value(g)
            );
        } else {
            out += &format!(
                "[[cause]]\nid = \"{}\"\nper_year = {rate}\nduration = {}\n# hits = {{ COMPONENT = 1.0 }}   # say which components it takes down\n\n",
                g.name,
                duration_value(g)
            );
        }
    }
    out
}
