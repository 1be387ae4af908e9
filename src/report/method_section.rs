//! The "Method and precision" section of `report.html`: trials, seed,
//! confidence intervals, program version and the command that reproduces
//! the run (words in `templates/method.html`).

use super::html::{Page, Section};
use super::templates;
use crate::fmtnum::{sig, thousands};
use serde::Serialize;

/// Trials, seed, confidence intervals, version, the command to reproduce.
pub struct Method;

impl Section for Method {
    fn id(&self) -> &'static str {
        "method"
    }
    fn title(&self) -> &'static str {
        "Method and precision"
    }
    fn summary(&self, page: &Page) -> String {
        let s = &page.report.settings;
        format!(
            "{} trials, seed {}: how the figures and their intervals are made, and how to reproduce them.",
            thousands(s.trials as f64),
            s.seed
        )
    }
    fn render(&self, page: &Page, out: &mut String) {
        let r = page.report;
        let s = &r.settings;
        #[derive(Serialize)]
        struct Context<'a> {
            trials: String,
            period: String,
            horizon: String,
            seed: u64,
            version: &'a str,
            scenario_file: &'a str,
            command: &'a str,
        }
        out.push_str(&templates::render(
            "method.html",
            Context {
                trials: thousands(s.trials as f64),
                period: page.data.period(),
                horizon: sig(s.horizon_hours, 6),
                seed: s.seed,
                version: super::VERSION,
                scenario_file: &r.scenario_file,
                command: &r.command,
            },
        ));
    }
}
