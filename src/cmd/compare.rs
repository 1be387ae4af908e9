//! `fateshare compare DIR_A DIR_B`: two finished runs side by side
//! ([`crate::report::compare`]); writes `compare.csv` and `compare.html` to
//! `--out` (default: DIR_B) and prints the table.

use crate::cmd::flags::Failure;
use crate::output;
use crate::readback;
use crate::report::compare::{self, Side};
use clap::Args;
use std::path::PathBuf;

/// `fateshare compare`'s arguments.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The output folder of the first run (A, "before").
    pub a: PathBuf,
    /// The output folder of the second run (B, "after").
    pub b: PathBuf,
    /// Where to write compare.csv and compare.html (default: DIR_B).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let load = |d: &PathBuf| readback::load(d).map_err(|e| Failure::Input(e.to_string()));
    let (ra, rb) = (load(&args.a)?, load(&args.b)?);
    for (dir, r) in [(&args.a, &ra), (&args.b, &rb)] {
        if r.simulation.importance.is_some() {
            return Err(Failure::Input(format!(
                "{}: an importance-sampled run (--tilt): compare's differences are not \
                 weighted; compare runs made without --tilt",
                dir.display()
            )));
        }
    }
    let a = Side {
        label: args.a.display().to_string(),
        model: &ra.model,
        simulation: &ra.simulation,
    };
    let b = Side {
        label: args.b.display().to_string(),
        model: &rb.model,
        simulation: &rb.simulation,
    };
    let c = compare::compare(&a, &b);
    if c.rows.is_empty() {
        return Err(Failure::Input(format!(
            "{} and {}: no architecture id is in both runs; compare runs of the same designs",
            args.a.display(),
            args.b.display()
        )));
    }
    let out = args.out.clone().unwrap_or_else(|| args.b.clone());
    output::prepare_dir(&out)?;
    let page = compare::html(&c, &a, &b);
    output::write_atomic(&out.join("compare.csv"), |w| compare::write_csv(&c, w))?;
    output::write_atomic(&out.join("compare.html"), |w| w.write_all(page.as_bytes()))?;
    if !args.quiet {
        print!("{}", compare::render(&c));
        println!("wrote compare.csv and compare.html in {}", out.display());
    }
    Ok(())
}
