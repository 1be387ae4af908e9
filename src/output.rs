//! Writing output files: every file is written to a temporary file and
//! renamed into place only once all of them have been written. Commands
//! write into a staging folder ([`crate::staging`]) that replaces the output
//! folder as a whole, so a failed or interrupted command leaves the previous
//! folder exactly as it was.

use crate::report::{Export, Report};
pub use crate::staging::Staging;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why the outputs could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder is unusable (the user should pick another).
    #[error("--out {dir}: {reason}")]
    Folder { dir: String, reason: String },
    #[error("writing {path}: {source}")]
    Io { path: String, source: io::Error },
}

/// Checks, creating nothing, that the output folder can be written (see
/// [`crate::staging::check`]); commands call it before simulating.
pub fn prepare_dir(dir: &Path) -> Result<(), OutputError> {
    crate::staging::check(dir)
}

/// Creates a folder (and its parents) if needed.
fn ensure_dir(dir: &Path) -> Result<(), OutputError> {
    let folder = |reason: String| OutputError::Folder {
        dir: dir.display().to_string(),
        reason,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(folder(
            "exists and is not a folder; choose a folder path".into(),
        ));
    }
    fs::create_dir_all(dir).map_err(|e| {
        folder(format!(
            "cannot create the folder ({e}); choose a writable path"
        ))
    })
}

/// Writes every export into `dir`, all or nothing. Returns the final paths.
pub fn write_all(
    dir: &Path,
    exports: &[Box<dyn Export>],
    report: &Report,
) -> Result<Vec<PathBuf>, OutputError> {
    ensure_dir(dir)?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for e in exports {
            let target = dir.join(e.file_name());
            // Exports may live in a subfolder (charts/).
            if let Some(parent) = target.parent().filter(|p| *p != dir) {
                ensure_dir(parent)?;
            }
            let tmp = temp_path(&target);
            staged.push((tmp.clone(), target));
            write_file(&tmp, |w| e.write(report, w))?;
        }
        Ok(())
    })();
    commit(staged, result)
}

/// Writes bytes produced by `fill` into `path` atomically (temp file + rename).
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        ensure_dir(parent)?;
    }
    let tmp = temp_path(path);
    let result = write_file(&tmp, fill);
    commit(vec![(tmp, path.to_path_buf())], result).map(|_| ())
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn write_file(
    tmp: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), OutputError> {
    let io_err = |source| OutputError::Io {
        path: tmp.display().to_string(),
        source,
    };
    let file = fs::File::create(tmp).map_err(io_err)?;
    let mut w = io::BufWriter::new(file);
    fill(&mut w).map_err(io_err)?;
    let file = w.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync_all().map_err(io_err)
}

fn commit(
    staged: Vec<(PathBuf, PathBuf)>,
    result: Result<(), OutputError>,
) -> Result<Vec<PathBuf>, OutputError> {
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    let mut done = Vec::new();
    for (tmp, target) in staged {
        fs::rename(&tmp, &target).map_err(|source| OutputError::Io {
            path: target.display().to_string(),
            source,
        })?;
        done.push(target);
    }
    Ok(done)
}
