//! Stopping cleanly on Ctrl-C (SIGINT): the progress bar is cleared, the
//! staging folders this process is building are removed, and the process
//! exits with status 130. The signal handler only writes a byte to a pipe;
//! a watcher thread does the rest, outside the handler. A swap in progress
//! ([`hold`]) finishes before the watcher cleans up, so the output folder is
//! the old one or the new one.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Staging folders to remove on interrupt.
static TRACKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// The progress bar to clear on interrupt.
static BAR: Mutex<Option<indicatif::ProgressBar>> = Mutex::new(None);
/// Held while an output folder is being swapped.
static SWAP: Mutex<()> = Mutex::new(());

/// Exit status after an interrupt (128 + SIGINT).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Removes `path` on interrupt.
pub fn track(path: &Path) {
    if let Ok(mut t) = TRACKED.lock() {
        t.push(path.to_path_buf());
    }
}

/// No longer removes `path` on interrupt.
pub fn untrack(path: &Path) {
    if let Ok(mut t) = TRACKED.lock() {
        t.retain(|p| p != path);
    }
}

/// Clears this bar on interrupt.
pub fn track_bar(bar: &indicatif::ProgressBar) {
    if let Ok(mut b) = BAR.lock() {
        *b = Some(bar.clone());
    }
}

/// Keeps the interrupt from cleaning up until the guard is dropped.
pub fn hold() -> std::sync::MutexGuard<'static, ()> {
    SWAP.lock().unwrap_or_else(|e| e.into_inner())
}

fn clean_up_and_exit() -> ! {
    let _swap = hold();
    if let Some(bar) = BAR.lock().ok().and_then(|mut b| b.take()) {
        bar.finish_and_clear();
    }
    let paths = TRACKED
        .lock()
        .map(|mut t| std::mem::take(&mut *t))
        .unwrap_or_default();
    for p in paths {
        let _ = std::fs::remove_dir_all(p);
    }
    eprintln!("interrupted; the output folder is as it was");
    std::process::exit(EXIT_INTERRUPTED)
}

#[cfg(unix)]
mod unix {
    use std::sync::atomic::{AtomicI32, Ordering};

    static WRITE_END: AtomicI32 = AtomicI32::new(-1);

    extern "C" fn on_signal(_: libc::c_int) {
        let fd = WRITE_END.load(Ordering::Relaxed);
        if fd >= 0 {
            // SAFETY: write(2) is async-signal-safe; one byte from a static.
            unsafe {
                libc::write(fd, b"x".as_ptr().cast(), 1);
            }
        }
    }

    pub fn install() {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe(2) fills the two descriptors.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return;
        }
        let read_end = fds[0];
        let watcher = std::thread::Builder::new()
            .name("interrupt".into())
            .spawn(move || {
                let mut byte = 0u8;
                // SAFETY: reads one byte into a local.
                let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
                if n == 1 {
                    super::clean_up_and_exit();
                }
            });
        if watcher.is_err() {
            // No watcher: keep the default (the process ends at once; the next
            // command into the same place removes what it left).
            return;
        }
        WRITE_END.store(fds[1], Ordering::Relaxed);
        // SAFETY: installing a handler that only calls write(2).
        unsafe {
            libc::signal(
                libc::SIGINT,
                on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
            );
        }
    }
}

/// Installs the Ctrl-C handling (once, at the start of `main`).
pub fn install() {
    #[cfg(unix)]
    unix::install();
}
