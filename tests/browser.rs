//! report.html in a real browser: headless Chromium loads it from disk,
//! and the test checks the DOM it built (every section, one `<svg>` per
//! chart), that the page logged nothing to the console, and saves a
//! screenshot. Needs /usr/bin/chromium (Debian's `chromium`, which `.ci/run`
//! installs); without it the test fails under CI (env `CI` set) and is
//! skipped, saying so, elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FATESHARE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on `url` with `extra` flags, with a fresh profile
/// and a time limit; returns its output.
fn headless(chrome: &Path, url: &str, extra: &[String]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(chrome);
    let data = profile.path().join("profile");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", data.display()))
    .args(extra)
    .arg(url)
    .stdin(Stdio::null())
    // Files, not pipes: the DOM is larger than a pipe's buffer, and nothing
    // reads the pipes while we wait.
    .stdout(std::fs::File::create(profile.path().join("stdout")).unwrap())
    .stderr(std::fs::File::create(profile.path().join("stderr")).unwrap());
    let mut child = cmd.spawn().expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Output {
        status: child.wait().expect("status"),
        stdout: std::fs::read(profile.path().join("stdout")).unwrap(),
        stderr: std::fs::read(profile.path().join("stderr")).unwrap(),
    }
}

/// Console messages Chromium logged for the page (`...:CONSOLE...] "msg"`).
fn console_lines(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect()
}

fn url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

#[test]
fn report_html_loads_in_headless_chromium() {
    let Some(chrome) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "Chromium is missing (/usr/bin/chromium): .ci/run must install Debian's `chromium`"
            );
        }
        eprintln!("SKIPPED report_html_loads_in_headless_chromium: no /usr/bin/chromium (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/web-app.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_fateshare"))
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--trials",
            "2000",
            "-q",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = url(&out.join("report.html"));

    // The harness sees console output: a page that logs an error is caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><title>x</title><script>console.error('harness-check')</script>",
    )
    .unwrap();
    let o = headless(&chrome, &url(&bad), &["--dump-dom".into()]);
    assert!(
        console_lines(&o.stderr)
            .iter()
            .any(|l| l.contains("harness-check")),
        "console messages are not visible in Chromium's log: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    // The DOM Chromium built from report.html.
    let o = headless(&chrome, &page, &["--dump-dom".into()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dom = String::from_utf8_lossy(&o.stdout);
    // web-app.toml has policies: the insurance section and its chart too.
    for id in [
        "headline",
        "results",
        "charts",
        "insurance",
        "assumptions",
        "method",
    ] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "section {id} missing from the DOM"
        );
    }
    assert_eq!(dom.matches("<svg ").count(), 7, "one <svg> per chart");
    assert_eq!(dom.matches("<figure id=\"chart-").count(), 7);
    assert!(!dom.contains("<script"), "the DOM holds a script");
    assert!(dom.contains("two-clouds-diverse-edge"));
    let console = console_lines(&o.stderr);
    assert!(console.is_empty(), "console messages: {console:?}");

    // A screenshot, kept for a person to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let o = headless(
        &chrome,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let console = console_lines(&o.stderr);
    assert!(console.is_empty(), "console messages: {console:?}");
    let bytes = std::fs::read(&shot).expect("screenshot written");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    buf.truncate(info.buffer_size());
    let dark = buf
        .chunks(info.color_type.samples())
        .filter(|p| p.iter().take(3).all(|&c| c < 100))
        .count();
    assert!(dark > 5000, "screenshot looks blank ({dark} dark pixels)");
    eprintln!("screenshot: {}", shot.display());

    // Folded: every section after the first screen is a <details> under its
    // heading, and the first screen holds the comparison table.
    let folded = dom.matches("<details>").count();
    assert_eq!(
        folded,
        dom.matches("<section id=").count() - 1,
        "every section but the first folds"
    );
    let table = dom
        .find("<table id=\"comparison\">")
        .expect("the comparison table");
    assert!(
        table < dom.find("<details>").unwrap(),
        "the comparison table is on the first screen"
    );
    // The folded page at 1400 px wide is at most about three screens of
    // 900 px: its height is the last row of a tall screenshot that is not
    // white (the page's background).
    let tall = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-folded.png");
    let _ = std::fs::remove_file(&tall);
    let o = headless(
        &chrome,
        &page,
        &[
            format!("--screenshot={}", tall.display()),
            "--window-size=1400,9000".into(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&tall).expect("screenshot written");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let row = info.width as usize * info.color_type.samples();
    let inked = |r: &[u8]| {
        r.chunks(info.color_type.samples())
            .any(|p| p.iter().take(3).any(|&c| c < 230))
    };
    let height = buf[..info.buffer_size()]
        .chunks(row)
        .rposition(inked)
        .map_or(0, |r| r + 1);
    eprintln!("folded page height at 1400 px: {height} px");
    assert!(height > 900, "the page is drawn ({height} px)");
    assert!(
        height <= 3 * 900,
        "folded page is {height} px tall, more than three screens"
    );
}
