//! `fateshare compare DIR_A DIR_B`: two finished runs side by side
//! ([`crate::report::compare`]); writes `compare.csv` and `compare.html` to
//! `--out` (default: DIR_B) and prints the table. Plain runs' per-trial
//! tables are read as they stream past ([`readback::load_lazily`]), both at
//! once when paired (A's on a second thread, a bounded queue of trials
//! between them), into exact sums: memory does not grow with the trials.

use crate::cmd::flags::Failure;
use crate::evaluate::Outcome;
use crate::output;
use crate::readback;
use crate::readback::{ReadbackError, Run};
use crate::report::compare::{self, Side, Sums};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Trials per batch handed from A's reader to B's when paired.
const BATCH: usize = 4096;

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
    let load = |d: &PathBuf| readback::load_lazily(d).map_err(|e| Failure::Input(e.to_string()));
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
        settings: ra.settings,
    };
    let b = Side {
        label: args.b.display().to_string(),
        model: &rb.model,
        settings: rb.settings,
    };
    let mut sums = Sums::new(&a, &b);
    read_trials((&args.a, &ra), (&args.b, &rb), &mut sums)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let c = compare::compare(&a, &b, &sums);
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

/// Adds both runs' trials to `sums`: one after the other when unpaired;
/// side by side when paired, A's read on a second thread and handed over in
/// batches of [`BATCH`] trials (at most two batches waiting).
fn read_trials(a: (&Path, &Run), b: (&Path, &Run), sums: &mut Sums) -> Result<(), ReadbackError> {
    if sums.method == compare::Method::Unpaired {
        readback::each_trial(a.0, a.1, &mut |t| sums.add_a(t))?;
        return readback::each_trial(b.0, b.1, &mut |t| sums.add_b(t));
    }
    let n_a = a.1.model.architectures.len().max(1);
    let (tx, rx) = mpsc::sync_channel::<Vec<Outcome>>(2);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH * n_a);
            // Once B's reader has stopped (an error), A's trials are not needed.
            let mut open = true;
            let read = readback::each_trial(a.0, a.1, &mut |t| {
                batch.extend_from_slice(t);
                if open && batch.len() == BATCH * n_a {
                    open = tx.send(std::mem::take(&mut batch)).is_ok();
                    batch.reserve(BATCH * n_a);
                } else if !open {
                    batch.clear();
                }
            });
            if open && !batch.is_empty() {
                let _ = tx.send(batch);
            }
            read
        });
        let (mut held, mut at, mut short) = (Vec::<Outcome>::new(), 0, false);
        let read_b = readback::each_trial(b.0, b.1, &mut |tb| {
            if at == held.len() {
                match rx.recv() {
                    Ok(next) => (held, at) = (next, 0),
                    Err(_) => {
                        short = true;
                        return;
                    }
                }
            }
            let ta = &held[at..at + n_a];
            sums.add_a(ta);
            sums.add_b(tb);
            sums.add_pair(ta, tb);
            at += n_a;
        });
        drop(rx);
        let read_a = reader.join().unwrap_or_else(|_| {
            Err(ReadbackError {
                path: a.0.display().to_string(),
                message: "reading it stopped unexpectedly".into(),
            })
        });
        read_a?;
        read_b?;
        if short || at != held.len() {
            return Err(ReadbackError {
                path: a.0.display().to_string(),
                message: "its trials ended before B's; run the scenario again".into(),
            });
        }
        Ok(())
    })
}
