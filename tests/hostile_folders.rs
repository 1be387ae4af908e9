//! Output folders under failure through the binary: a failed commit, a
//! killed or interrupted run and a refused command leave the previous folder
//! as it was, create nothing new, and leave no stale temporaries behind.

use crate::common;

use common::hostile::{ok, others, own, refused, scenario, snapshot, EXP3};
use common::{run, write};

#[test]
fn a_failed_or_killed_run_leaves_the_previous_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    let before = snapshot(&out);
    assert!(before.iter().any(|(p, _)| p.ends_with("trials.csv")));

    // A commit that fails half-way: a folder where a file must go.
    std::fs::remove_file(out.join("summary.json")).unwrap();
    std::fs::create_dir(out.join("summary.json")).unwrap();
    let with_blocker = snapshot(&out);
    let r = run(&["run", f, "--trials", "301", "--out", o, "-q"]);
    assert_ne!(r.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&r.stderr).contains("panicked"));
    assert_eq!(
        snapshot(&out),
        with_blocker,
        "the previous folder must be intact"
    );
    assert!(out.join("summary.json").is_dir());
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new());
    std::fs::remove_dir(out.join("summary.json")).unwrap();

    // What a killed run leaves: a staging folder of a dead process beside
    // the output folder, a temporary file of an older version inside it.
    let stale = dir.path().join(".out.fateshare-new-999999999");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join("trials.csv"), "partial").unwrap();
    std::fs::write(out.join(".trials.csv.tmp-999999999"), "partial").unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    assert_eq!(
        others(dir.path(), "out"),
        Vec::<String>::new(),
        "stale staging left"
    );
    let after = snapshot(&out);
    assert!(after
        .iter()
        .all(|(p, _)| !p.to_string_lossy().contains(".tmp-")));
    // The same run again gives the same folder, byte for byte.
    let names =
        |s: &[(std::path::PathBuf, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&after),
        names(&before)
            .into_iter()
            .filter(|p| !p.ends_with("summary.json"))
            .chain([std::path::PathBuf::from("summary.json")])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_refused_command_creates_nothing_and_an_unwritable_folder_is_found_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("deep/out");
    let o = out.to_str().unwrap();
    refused(
        &["tornado", f, "--factor", "1e308", "--out", o],
        &out,
        "",
        "",
    );
    assert!(!dir.path().join("deep").exists());
    // A file where the output folder should be: refused before simulating.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let r = run(&[
        "run",
        f,
        "--trials",
        "1000000",
        "--out",
        blocker.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("not a folder"));
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_exits_130_and_leaves_the_previous_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &scenario(&own("2", EXP3), ""));
    let f = file.to_str().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    ok(&["run", f, "--trials", "300", "--out", o, "-q"]);
    let before = snapshot(&out);
    // Far more work than can finish before the signal: 5·10^5 events in
    // each of 10^5 trials.
    let busy = write(dir.path(), "busy.toml", &scenario(&own("5e5", EXP3), ""));
    let child = common::bin()
        .args([
            "run",
            busy.to_str().unwrap(),
            "--trials",
            "100000",
            "--out",
            o,
            "-q",
            "--threads",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    // SAFETY: sends SIGINT to the child we started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let r = child.wait_with_output().unwrap();
    assert_eq!(
        r.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(others(dir.path(), "out"), Vec::<String>::new());
}
