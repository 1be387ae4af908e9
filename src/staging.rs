//! Replacing an output folder as a whole: a command builds the new folder
//! beside the old one (`.NAME.fateshare-new-PID`, holding hard links to the
//! old folder's files plus everything it writes) and swaps the two in one
//! step, so a reader sees the previous complete folder or the new complete
//! folder, never a mix.
//!
//! On Linux the swap is `renameat2(RENAME_EXCHANGE)`, one atomic step. Where
//! that is not available (another system, or a file system without it) it
//! is two renames: the old folder to `.NAME.fateshare-old-PID`, then the new
//! folder into place; a process that dies between them leaves no folder at
//! NAME, and the next command into the same place puts the old one back.
//! Every command into a place first removes what killed commands left there
//! (staging folders of processes that no longer run, and the `.FILE.tmp-PID`
//! files of older versions inside the folder).

use crate::output::OutputError;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The marker in the names of staging folders.
const MARK: &str = ".fateshare-";

/// A new output folder being built beside `dir`; dropped without
/// [`Staging::commit`], it is removed and `dir` stays as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    stage: PathBuf,
    done: bool,
}

fn folder_error(dir: &Path, reason: String) -> OutputError {
    OutputError::Folder {
        dir: crate::text::escape(&dir.display().to_string()).into_owned(),
        reason,
    }
}

fn io_error(path: &Path, source: io::Error) -> OutputError {
    OutputError::Io {
        path: crate::text::escape(&path.display().to_string()).into_owned(),
        source,
    }
}

/// The folder that holds `dir` (`.` for a bare name).
fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn base_name(dir: &Path) -> Result<String, OutputError> {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..")
        .ok_or_else(|| {
            folder_error(
                dir,
                "names no folder (it ends in . or ..); give a folder name".into(),
            )
        })
}

#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; access only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Checks, creating nothing, that `dir` can be replaced (or created): it is
/// a folder or absent, and it and the folder holding it are writable (the
/// nearest existing one, when the parents are to be created). Commands call
/// it before simulating.
pub fn check(dir: &Path) -> Result<(), OutputError> {
    base_name(dir)?;
    if dir.exists() {
        if !dir.is_dir() {
            return Err(folder_error(
                dir,
                "exists and is not a folder; choose a folder path".into(),
            ));
        }
        if !writable(dir) {
            return Err(folder_error(
                dir,
                "is not writable; make it writable or choose another folder".into(),
            ));
        }
    }
    let mut up = parent_of(dir);
    loop {
        if up.exists() {
            if !up.is_dir() || !writable(&up) {
                return Err(folder_error(
                    dir,
                    format!(
                        "cannot be created or replaced: {} is not a writable folder; choose a writable path",
                        up.display()
                    ),
                ));
            }
            return Ok(());
        }
        match up.parent() {
            Some(p) if !p.as_os_str().is_empty() => up = p.to_path_buf(),
            _ => return Ok(()),
        }
    }
}

/// Whether process `pid` still runs.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// Staging folders beside `dir` left by processes that no longer run:
/// `(path, is_old, pid)`.
fn leftovers(parent: &Path, name: &str) -> Vec<(PathBuf, bool)> {
    let prefix = format!(".{name}{MARK}");
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let (kind, pid) = match rest.split_once('-') {
            Some((k, p)) => (k, p.parse::<u32>().ok()),
            None => continue,
        };
        match pid {
            Some(pid) if pid != std::process::id() && !alive(pid) => {
                out.push((e.path(), kind == "old"));
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// Removes what killed commands left beside `dir`, first putting back a
/// previous folder that a two-step swap had moved aside.
pub fn recover(dir: &Path) -> Result<(), OutputError> {
    let name = base_name(dir)?;
    let parent = parent_of(dir);
    for (path, is_old) in leftovers(&parent, &name) {
        if is_old && !dir.exists() {
            fs::rename(&path, dir).map_err(|e| io_error(dir, e))?;
        } else {
            fs::remove_dir_all(&path).map_err(|e| io_error(&path, e))?;
        }
    }
    Ok(())
}

/// Whether a name is a temporary file of a killed write (`.FILE.tmp-PID`).
fn stale_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Fills `to` with hard links to (or, where links fail, copies of) every
/// file under `from`, leaving out stale temporaries.
fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for e in fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        if stale_temporary(&name.to_string_lossy()) {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        let kind = e.file_type()?;
        if kind.is_dir() {
            link_tree(&src, &dst)?;
        } else if kind.is_file() && fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

impl Staging {
    /// Starts replacing `dir`: cleans up after killed commands, then builds
    /// the staging folder holding everything `dir` holds now.
    pub fn begin(dir: &Path) -> Result<Staging, OutputError> {
        check(dir)?;
        let name = base_name(dir)?;
        let parent = parent_of(dir);
        fs::create_dir_all(&parent).map_err(|e| {
            folder_error(
                dir,
                format!("cannot create the folder ({e}); choose a writable path"),
            )
        })?;
        recover(dir)?;
        let stage = parent.join(format!(".{name}{MARK}new-{}", std::process::id()));
        if stage.exists() {
            fs::remove_dir_all(&stage).map_err(|e| io_error(&stage, e))?;
        }
        let staging = Staging {
            dir: dir.to_path_buf(),
            stage,
            done: false,
        };
        crate::interrupt::track(&staging.stage);
        let filled = if dir.is_dir() {
            link_tree(dir, &staging.stage)
        } else {
            fs::create_dir(&staging.stage)
        };
        filled.map_err(|e| io_error(&staging.stage, e))?;
        Ok(staging)
    }

    /// Where to write the new folder's files.
    pub fn path(&self) -> &Path {
        &self.stage
    }

    /// Puts the new folder in place of the old one (see the module's
    /// comment) and removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        sync_dir(&self.stage);
        let _guard = crate::interrupt::hold();
        if self.dir.exists() {
            if exchange(&self.stage, &self.dir).is_err() {
                // Two steps, recovered by the next command if we die between.
                let aside = parent_of(&self.dir).join(format!(
                    ".{}{MARK}old-{}",
                    base_name(&self.dir)?,
                    std::process::id()
                ));
                crate::interrupt::track(&aside);
                fs::rename(&self.dir, &aside).map_err(|e| io_error(&self.dir, e))?;
                if let Err(e) = fs::rename(&self.stage, &self.dir) {
                    let _ = fs::rename(&aside, &self.dir);
                    return Err(io_error(&self.dir, e));
                }
                self.done = true;
                let _ = fs::remove_dir_all(&aside);
                crate::interrupt::untrack(&aside);
                crate::interrupt::untrack(&self.stage);
                return Ok(());
            }
            // The old folder is now at the staging path: remove it.
            self.done = true;
            let _ = fs::remove_dir_all(&self.stage);
        } else {
            fs::rename(&self.stage, &self.dir).map_err(|e| io_error(&self.dir, e))?;
            self.done = true;
        }
        crate::interrupt::untrack(&self.stage);
        sync_dir(&parent_of(&self.dir));
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.stage);
            crate::interrupt::untrack(&self.stage);
        }
    }
}

/// Flushes a folder's entries to disk (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Swaps two paths in one atomic step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: valid NUL-terminated paths; renameat2 only reads them.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_stale_temporaries() {
        assert!(stale_temporary(".summary.csv.tmp-1234"));
        assert!(!stale_temporary("summary.csv"));
        assert!(!stale_temporary(".summary.csv.tmp-"));
        assert!(!stale_temporary(".x.tmp-12a"));
    }

    #[test]
    fn a_dropped_staging_leaves_the_folder_as_it_was() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("a.csv"), "old").unwrap();
        {
            let s = Staging::begin(&dir).unwrap();
            fs::remove_file(s.path().join("a.csv")).unwrap();
            fs::write(s.path().join("a.csv"), "new").unwrap();
        }
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
        let s = Staging::begin(&dir).unwrap();
        fs::remove_file(s.path().join("a.csv")).unwrap();
        fs::write(s.path().join("a.csv"), "new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "new");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_two_step_swap_cut_short_is_put_back() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        // As if a process died between the two renames: the old folder
        // aside, the new one not yet in place.
        let aside = root.path().join(format!(".out{MARK}old-999999999"));
        let new = root.path().join(format!(".out{MARK}new-999999999"));
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("a.csv"), "old").unwrap();
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a.csv"), "half").unwrap();
        recover(&dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.csv")).unwrap(), "old");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
