//! `fateshare book`: `compile SCENARIO` prints a book scenario with its
//! exposure file compiled in (the same book written as TOML), and
//! `generate BASE --insureds N --seed S --out DIR` writes a synthetic book of
//! any size (DIR/insureds.csv and DIR/book.toml) on BASE's shared components.

use crate::book::{self, generate};
use crate::cmd::flags::Failure;
use crate::scenario;
use clap::{Args, Subcommand};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct BookArgs {
    #[command(subcommand)]
    pub action: BookAction,
}

#[derive(Debug, Subcommand)]
pub enum BookAction {
    /// Print the scenario with its exposure file compiled in: the same book as one TOML file.
    Compile {
        /// A scenario with `[book] exposure = "FILE.csv"`.
        scenario: PathBuf,
    },
    /// Draw a synthetic book (seeded) on a base scenario's shared components;
    /// write OUT/insureds.csv and OUT/book.toml.
    Generate {
        /// The scenario whose shared components and causes the insureds use
        /// (e.g. scenarios/portfolio-cloud-book.toml).
        base: PathBuf,
        /// Number of insureds.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        insureds: u64,
        /// Random seed of the draw.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Trials the generated book.toml asks for ([simulation] trials;
        /// default: the base's). Large books need fewer to stay within the
        /// per-trial table budget (docs/limits.md).
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        trials: Option<u64>,
        /// The folder to write into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn book(args: &BookArgs) -> Result<(), Failure> {
    match &args.action {
        BookAction::Compile { scenario } => compile(scenario),
        BookAction::Generate {
            base,
            insureds,
            seed,
            trials,
            out,
        } => write_generated(base, *insureds as usize, *seed, *trials, out),
    }
}

fn compile(path: &Path) -> Result<(), Failure> {
    let (text, _, _) = scenario::load_with_text(path)?;
    if book::exposure_of(&std::fs::read_to_string(path).unwrap_or_default()).is_none() {
        return Err(Failure::Input(format!(
            "{}: names no exposure file; add [book] exposure = \"insureds.csv\" (docs/insurance.md § Books)",
            crate::text::escape(&path.display().to_string())
        )));
    }
    print!("{text}");
    Ok(())
}

fn write_generated(
    base: &Path,
    n: usize,
    seed: u64,
    trials: Option<u64>,
    out: &Path,
) -> Result<(), Failure> {
    let label = base.display().to_string();
    let text = std::fs::read_to_string(base).map_err(|e| {
        Failure::Input(format!(
            "{label}: cannot read the base scenario ({e}); check the path"
        ))
    })?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| Failure::Input(format!("{label}: {}", e.message().trim())))?;
    let ids = |key: &str| -> BTreeSet<String> {
        doc.get(key)
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.get("id")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let missing = generate::missing(&ids("component"), &ids("cause"));
    if !missing.is_empty() {
        return Err(Failure::Input(format!(
            "{label}: the generator draws insureds onto {} which the scenario does not have; use scenarios/portfolio-cloud-book.toml or a copy that keeps these ids",
            missing.join(", ")
        )));
    }
    let scenario_text = match book::exposure_of(&text) {
        Some(x) => text.replacen(&format!("\"{x}\""), "\"insureds.csv\"", 1),
        None if doc.contains_key("book") => {
            return Err(Failure::Input(format!(
                "{label}: [book] has no exposure; add exposure = \"insureds.csv\" to it"
            )))
        }
        None => format!("{text}\n[book]\nexposure = \"insureds.csv\"\n"),
    };
    let scenario_text = match trials {
        Some(t) => with_trials(&scenario_text, t),
        None => scenario_text,
    };
    let csv = generate::exposure(n, seed);
    let write = |name: &str, body: &str| {
        std::fs::create_dir_all(out)
            .and_then(|_| std::fs::write(out.join(name), body))
            .map_err(|e| {
                Failure::Input(format!(
                    "{}: cannot write ({e}); check the folder",
                    out.join(name).display()
                ))
            })
    };
    write("insureds.csv", &csv)?;
    write("book.toml", &scenario_text)?;
    // Check what was written loads, as `run` will; leave nothing otherwise.
    if let Err(e) = scenario::load(&out.join("book.toml")) {
        let _ = std::fs::remove_file(out.join("insureds.csv"));
        let _ = std::fs::remove_file(out.join("book.toml"));
        return Err(e.into());
    }
    println!(
        "wrote {} insureds (seed {seed}) to {} and book.toml",
        n,
        out.join("insureds.csv").display()
    );
    Ok(())
}

/// The text with `[simulation] trials` set to `t` (the line replaced, or one
/// added under `[simulation]`, or the section added).
fn with_trials(text: &str, t: u64) -> String {
    let mut out = String::new();
    let mut section = String::new();
    let mut done = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            if section.starts_with("[simulation]") && !done {
                out.push_str(line);
                out.push('\n');
                out.push_str(&format!(
                    "trials = {t}   # set by fateshare book generate --trials\n"
                ));
                done = true;
                continue;
            }
        }
        if section.starts_with("[simulation]") && trimmed.starts_with("trials") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    if !done {
        out.push_str(&format!("\n[simulation]\ntrials = {t}\n"));
    }
    out
}
