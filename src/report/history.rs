//! Analyses accumulate: every `fateshare drill`, `sweep` and `tornado`
//! invocation also keeps its tables and their record in
//! `history/<command>/<name>/`, named by `--name` or by its options (a
//! second invocation with the same name replaces the first), and numbered
//! in the record (`seq`) so that the report can show them newest first.
//! The report shows each entry made from the run's scenario text; when the
//! scenario changes they are left out, as the latest tables are
//! (docs/report.md §3.2).

use super::provenance::{Kind, Provenance, DRILLS, SWEEP, TORNADO};
use crate::output::OutputError;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The folder, inside an output folder, that keeps them.
pub const DIR: &str = "history";

/// The kinds that accumulate.
pub const KINDS: [Kind; 3] = [TORNADO, DRILLS, SWEEP];

/// Whether the tables of `kind` accumulate.
pub fn accumulates(kind: Kind) -> bool {
    KINDS.contains(&kind)
}

/// The name of an invocation: `explicit` (`--name`), else its options: the
/// reproducing command after the scenario file, without `--out`.
pub fn name(command: &str, explicit: Option<&str>) -> String {
    if let Some(n) = explicit {
        return n.to_string();
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut out = Vec::new();
    let mut k = 3; // "fateshare", the command, the scenario file
    while k < words.len() {
        if words[k] == "--out" {
            k += 2;
            continue;
        }
        out.push(words[k]);
        k += 1;
    }
    if out.is_empty() {
        words.get(1).copied().unwrap_or("analysis").to_string()
    } else {
        out.join(" ")
    }
}

/// A folder name for `name`: letters, digits, `.`, `-`, `_` and `=` kept,
/// everything else `_`, at most 100 characters, never `.` or `..`.
pub fn folder(name: &str) -> String {
    let mut s: String = name
        .trim()
        .trim_start_matches('-')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '=') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if s.is_empty() || s.chars().all(|c| c == '.') {
        s = format!("_{s}");
    }
    s
}

/// Every kept entry of `kind` in `dir`: (its folder, its record), newest
/// first. Entries whose record cannot be read are skipped.
pub fn entries(dir: &Path, kind: Kind) -> Vec<(PathBuf, Provenance)> {
    let base = dir.join(DIR).join(kind.command);
    let Ok(read) = fs::read_dir(&base) else {
        return Vec::new();
    };
    let mut v: Vec<(PathBuf, Provenance)> = read
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let p = e.path();
            Provenance::read(&p, kind).ok().flatten().map(|r| (p, r))
        })
        .collect();
    v.sort_by(|a, b| {
        b.1.seq
            .cmp(&a.1.seq)
            .then_with(|| a.0.file_name().cmp(&b.0.file_name()))
    });
    v
}

/// Keeps the tables of `kind` just written into `dir` (a staging folder):
/// numbers `record` after every entry kept so far, names it, copies the
/// tables and the record into `history/<command>/<folder(name)>/`
/// (replacing an entry of the same name).
pub fn keep(
    dir: &Path,
    kind: Kind,
    record: &mut Provenance,
    name: &str,
) -> Result<(), OutputError> {
    let io_err = |path: &Path, source: io::Error| OutputError::Io {
        path: crate::text::escape(&path.display().to_string()).into_owned(),
        source,
    };
    let seq = entries(dir, kind)
        .iter()
        .filter_map(|(_, r)| r.seq)
        .max()
        .unwrap_or(0)
        + 1;
    record.seq = Some(seq);
    record.name = Some(name.to_string());
    let entry = dir.join(DIR).join(kind.command).join(folder(name));
    if entry.exists() {
        // In the staging folder these are links to the old folder's files:
        // remove them rather than write through them.
        fs::remove_dir_all(&entry).map_err(|e| io_err(&entry, e))?;
    }
    fs::create_dir_all(&entry).map_err(|e| io_err(&entry, e))?;
    for f in kind.files {
        let from = dir.join(f);
        if from.is_file() {
            fs::copy(&from, entry.join(f)).map_err(|e| io_err(&from, e))?;
        }
    }
    record.write(&entry, kind)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_options_without_the_output_folder() {
        assert_eq!(
            name("fateshare drill s.toml --all --out output/s", None),
            "--all"
        );
        assert_eq!(
            name(
                "fateshare tornado a b.toml --factor 2 --trials 100 --seed 1 --out o",
                None
            ),
            "b.toml --factor 2 --trials 100 --seed 1"
        );
        assert_eq!(name("fateshare sweep s.toml --out o", None), "sweep");
        assert_eq!(name("anything", Some("before the fix")), "before the fix");
    }

    #[test]
    fn folders_are_plain_names() {
        assert_eq!(folder("--all"), "all");
        assert_eq!(
            folder("--set cause.x.per_year=0.1:1:10"),
            "set_cause.x.per_year=0.1_1_10"
        );
        assert_eq!(folder("../.."), ".._..");
        assert_eq!(folder(".."), "_..");
        assert_eq!(folder(""), "_");
        assert_eq!(folder(&"x".repeat(300)).len(), 100);
    }
}
