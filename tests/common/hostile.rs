//! Helpers of the hostile-input tests (tests/hostile*.rs).

use super::run;

/// A small scenario; `{own}` is replaced by component a's outages and
/// `{extra}` appended.
pub fn scenario(own: &str, extra: &str) -> String {
    format!(
        r#"name = "hostile"
[[component]]
id = "a"
outages = {own}
[[component]]
id = "b"
outages = {{ per_year = 2, duration = {{ dist = "exponential", mean_hours = 3 }} }}
[[component]]
id = "app"
needs = ["a", "b"]
mode = "any"
[[architecture]]
id = "ha"
serves = "app"
loss = {{ per_hour = 100 }}
[[architecture]]
id = "single"
serves = "a"
{extra}"#
    )
}

pub fn own(per_year: &str, duration: &str) -> String {
    format!("{{ per_year = {per_year}, duration = {{ {duration} }} }}")
}

pub const EXP3: &str = r#"dist = "exponential", mean_hours = 3"#;

/// Runs a command that must refuse its input: exit 2, every line naming the
/// file, no panic, no output folder.
pub fn refused(args: &[&str], out: &std::path::Path, file: &str, says: &str) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for line in err.lines() {
        assert!(line.starts_with("error: ") && line.contains(file), "{err}");
    }
    assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
    assert!(!out.exists(), "{args:?} created {}", out.display());
}

/// Every file under `dir` with its bytes, sorted.
pub fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Names in `dir` other than `keep`.
pub fn others(dir: &std::path::Path, keep: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep && !n.ends_with(".toml"))
        .collect()
}

pub fn ok(args: &[&str]) {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
