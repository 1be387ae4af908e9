//! `periods.csv`: the period weights of an importance-sampled run with ORD
//! files, in OasisLMF's `periods.csv` layout (`period_no,weighting`, periods
//! from 1): period t's weighting is its likelihood ratio over the number of
//! periods, w_t / N (a plain run's would be Oasis's default 1/N, so a plain
//! run writes none). With it, OasisLMF's `aalpy` and `lec` reproduce the
//! weighted `palt` and `ept` (docs/insurance.md §9.1).

use super::{Export, Report};
use std::io::{self, Write};

/// `periods.csv` (Parquet above the `--format auto` threshold).
pub struct PeriodsCsv;

impl Export for PeriodsCsv {
    fn file_name(&self) -> &'static str {
        "periods.csv"
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        writeln!(out, "period_no,weighting")?;
        if let Some(imp) = &report.simulation.importance {
            let n = imp.weights.len() as f64;
            for (t, w) in imp.weights.iter().enumerate() {
                writeln!(out, "{},{}", t + 1, w / n)?;
            }
        }
        out.flush()
    }
}
