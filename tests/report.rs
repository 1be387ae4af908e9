//! The presentation outputs end to end: `fateshare run` writes six charts as
//! valid, non-blank PNG and SVG that name every architecture, and a
//! self-contained report.html in which scenario strings are text, never
//! markup; `fateshare report` redraws them byte for byte from the folder;
//! `fateshare graph` prints DOT.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Name and descriptions full of markup, quotes and ampersands.
const TRICKY: &str = r#"name = "Tom & Jerry's <script>alert(\"name\")</script> shop"
description = "Two \"vendors\" & one <b>cloud</b>: 'quoted'"
[simulation]
trials = 2000
seed = 7
[[component]]
id = "vendor-a"
description = "<script>alert('a')</script> A & co"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "vendor-b"
description = "B \"the backup\""
outages = { per_year = 6.0, duration = { dist = "lognormal", median_hours = 1.0, p95_hours = 6.0 } }
[[component]]
id = "either"
needs = ["vendor-a", "vendor-b"]
mode = "failover"
switch_minutes = 1
[[cause]]
id = "cloud"
description = "<img src=x onerror=alert(1)> cloud & friends"
per_year = 1.0
duration = { dist = "lognormal", median_hours = 3, p95_hours = 11 }
hits = { vendor-a = 1.0, vendor-b = 0.8 }
[[architecture]]
id = "alpha-single"
description = "A <i>alone</i>"
serves = "vendor-a"
cost_per_year = 1000
sla = 0.999
loss = { per_hour = 500, per_outage = 100, grace_minutes = 2 }
[[architecture]]
id = "beta-pair"
description = "A then B & \"hope\""
serves = "either"
cost_per_year = 2500
sla = 0.999
loss = { per_hour = 500, per_outage = 100, grace_minutes = 2 }
"#;

const ARCHS: [&str; 2] = ["alpha-single", "beta-pair"];

const CHARTS: [&str; 6] = [
    "downtime-gap",
    "downtime-exceedance",
    "outage-survival",
    "loss-exceedance",
    "cost-of-resilience",
    "dependency-graph",
];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fateshare"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn scenario(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("tricky.toml");
    std::fs::write(&p, text).unwrap();
    p
}

fn simulate(file: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    ok(&run(&args));
}

/// Every file under `dir`, relative path → bytes, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                v.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

/// Decodes a PNG; returns (width, height, RGB(A) pixels, channels).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>, usize) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    (info.width, info.height, buf, channels)
}

/// (width, height) from the root `<svg width=".." height="..">`.
fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let key = format!(" {name}=\"");
        let start = svg.find(&key).unwrap() + key.len();
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// The text content of every `<text ...>` element.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..];
            body[..body.find("</text>").unwrap()].trim().to_string()
        })
        .collect()
}

#[test]
fn charts_are_valid_non_blank_and_name_every_architecture() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let out = dir.path().join("out");
    simulate(&file, &out, &[]);
    for name in CHARTS {
        let png = std::fs::read(out.join(format!("charts/{name}.png"))).unwrap();
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        // PNG: decodes, same size as the SVG, not blank.
        let (w, h, px, ch) = decode_png(&png);
        assert_eq!((w, h), svg_size(&svg), "{name}: PNG and SVG sizes");
        assert!(w >= 800 && h >= 250, "{name}: {w}x{h}");
        assert_eq!(px.len(), (w * h) as usize * ch);
        let n = px.len() as f64;
        let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let var = px
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / n;
        assert!(
            var.sqrt() > 10.0,
            "{name}: PNG nearly blank (sd {})",
            var.sqrt()
        );
        let non_white = px
            .chunks(ch)
            .filter(|p| p.iter().take(3).any(|&c| c < 200))
            .count();
        assert!(
            non_white > 2000,
            "{name}: only {non_white} non-white pixels"
        );
        let mut colours: Vec<&[u8]> = px.chunks(ch).collect();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 20, "{name}: {} colours", colours.len());
        // SVG: one root element, drawn content, every architecture named in text.
        assert!(svg.starts_with("<svg "), "{name}");
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
        let shapes = [
            "<path",
            "<polyline",
            "<line",
            "<rect",
            "<circle",
            "<polygon",
        ]
        .iter()
        .map(|t| svg.matches(t).count())
        .sum::<usize>();
        assert!(shapes >= 20, "{name}: {shapes} shapes");
        let texts = svg_texts(&svg);
        assert!(texts.len() >= 8, "{name}: {} texts", texts.len());
        for a in ARCHS {
            assert!(
                texts.iter().any(|t| t.contains(a)),
                "{name}: no text names {a}: {texts:?}"
            );
        }
        // The scenario name is in the subtitle, as text.
        assert!(
            texts.iter().any(|t| t.contains(
                "Tom &amp; Jerry&apos;s &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; shop"
            )),
            "{name}: escaped name: {texts:?}"
        );
        assert!(!svg.contains("<script"), "{name}: raw markup in SVG");
    }
    // No temporary files are left in charts/.
    let names: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 12, "{names:?}");
}

#[test]
fn report_html_is_self_contained_and_escapes_scenario_strings() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let out = dir.path().join("out");
    simulate(&file, &out, &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for id in ["headline", "results", "charts", "assumptions", "method"] {
        assert!(
            html.contains(&format!("<section id=\"{id}\">")),
            "section {id}"
        );
    }
    // One inline SVG per chart, each in its figure.
    assert_eq!(html.matches("<svg ").count(), CHARTS.len());
    for name in CHARTS {
        assert!(
            html.contains(&format!("<figure id=\"chart-{name}\">")),
            "{name}"
        );
    }
    // Nothing executable, nothing fetched.
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("<img"), "an img element");
    // " src=" and "onerror=" occur only inside the escaped description.
    let escaped_img = lower.matches("&lt;img src=x onerror=").count();
    assert!(escaped_img >= 1);
    assert_eq!(
        lower.matches(" src=").count(),
        escaped_img,
        "an external source"
    );
    assert_eq!(
        lower.matches("onerror=").count(),
        escaped_img,
        "an event handler"
    );
    for url in lower.match_indices("http") {
        let rest = &lower[url.0..];
        assert!(
            rest.starts_with("http://www.w3.org/2000/svg"),
            "external URL: {}",
            &rest[..rest.len().min(60)]
        );
    }
    // Every scenario string appears escaped.
    for escaped in [
        "Tom &amp; Jerry&#39;s &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; shop",
        "Two &quot;vendors&quot; &amp; one &lt;b&gt;cloud&lt;/b&gt;: &#39;quoted&#39;",
        "&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt; A &amp; co",
        "B &quot;the backup&quot;",
        "&lt;img src=x onerror=alert(1)&gt; cloud &amp; friends",
        "A &lt;i&gt;alone&lt;/i&gt;",
        "A then B &amp; &quot;hope&quot;",
    ] {
        assert!(html.contains(escaped), "missing escaped text {escaped}");
    }
    assert!(!html.contains("<b>cloud</b>") && !html.contains("<i>alone</i>"));
    // Assumptions list every component and cause with its rate and distribution.
    for s in [
        "4/yr, exponential(mean 3 h)",
        "6/yr, lognormal(median 1 h, p95 6 h)",
        "lognormal(median 3 h, p95 11 h)",
        "vendor-b (0.8)",
    ] {
        assert!(html.contains(s), "assumptions: {s}");
    }
    // Method: trials, seed, version and the command.
    assert!(html.contains("2,000 independent years"));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    assert!(html.contains("--trials 2000 --seed 7"));
    // The headline names a best design and the vendor-arithmetic gap.
    assert!(html.contains("Least down time:</b> <strong>beta-pair</strong>"));
    assert!(html.contains("Vendor arithmetic:"));
    // The shared cause is reported as hitting both branches.
    assert!(html.contains("cause &quot;cloud&quot; reaches 2 of 2 branches of &quot;either&quot;"));
}

#[test]
fn report_redraws_identical_files_from_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let out = dir.path().join("out");
    simulate(&file, &out, &[]);
    let before = tree(&out);
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    // The scenario file is no longer needed: the folder has its own copy.
    std::fs::remove_file(&file).unwrap();
    let o = run(&["report", out.to_str().unwrap()]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("report.html, charts/ (12 files)"));
    let after = tree(&out);
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (b, a) in before.iter().zip(&after) {
        assert!(b.1 == a.1, "{} differs after `fateshare report`", b.0);
    }
}

#[test]
fn every_output_is_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    // The same folder both times: the reproduce command names it.
    let out = dir.path().join("out");
    let trees: Vec<_> = ["1", "2"]
        .iter()
        .map(|t| {
            simulate(&file, &out, &["--threads", t, "--trials", "1500"]);
            tree(&out)
        })
        .collect();
    assert_eq!(trees[0].len(), 6 + 12);
    for (a, b) in trees[0].iter().zip(&trees[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between 1 and 2 threads", a.0);
    }
}

#[test]
fn report_needs_the_per_trial_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let out = dir.path().join("out");
    simulate(&file, &out, &["--no-trials-csv"]);
    // The run itself still draws everything, from memory.
    assert!(out.join("report.html").exists() && out.join("charts/downtime-gap.png").exists());
    let html = std::fs::read(out.join("report.html")).unwrap();
    let o = run(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("trials.csv") && err.contains("--no-trials-csv"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("report.html")).unwrap(), html);
    // Not an output folder at all.
    let o = run(&["report", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a folder"));
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = run(&["report", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("scenario.toml"));
    // A trials.csv that does not match the run is refused, not drawn.
    simulate(&file, &out, &[]);
    let trials = std::fs::read_to_string(out.join("trials.csv")).unwrap();
    let cut: String = trials.lines().take(100).map(|l| format!("{l}\n")).collect();
    std::fs::write(out.join("trials.csv"), cut).unwrap();
    let o = run(&["report", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("99 rows, expected 4000"));
    // A summary.json that claims an absurd number of trials is refused, not allocated.
    std::fs::write(out.join("trials.csv"), trials).unwrap();
    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    for (from, to) in [
        ("\"trials\": 2000", "\"trials\": 0"),
        ("\"trials\": 2000", "\"trials\": 1000000000000000"),
    ] {
        std::fs::write(out.join("summary.json"), json.replacen(from, to, 1)).unwrap();
        let o = run(&["report", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{to}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("summary.json")
                || String::from_utf8_lossy(&o.stderr).contains("trials.csv")
        );
    }
}

#[test]
fn charts_without_losses_costs_or_causes_still_render() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(
        dir.path(),
        r#"name = "plain"
[simulation]
trials = 300
[[component]]
id = "a"
outages = { per_year = 3.0, duration = { dist = "fixed", hours = 2.0 } }
[[architecture]]
id = "only-a"
serves = "a"
"#,
    );
    let out = dir.path().join("out");
    simulate(&file, &out, &[]);
    for name in ["loss-exceedance", "cost-of-resilience"] {
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        let texts = svg_texts(&svg);
        assert!(
            texts.iter().any(|t| t.starts_with("No architecture")),
            "{name}: {texts:?}"
        );
        decode_png(&std::fs::read(out.join(format!("charts/{name}.png"))).unwrap());
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg ").count(), CHARTS.len());
    assert!(!html.contains("<h3>Money</h3>"));
    assert!(html.contains("No cause or component reaches more than one branch"));
}

#[test]
fn graph_prints_dot_and_rejects_bad_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let o = run(&["graph", file.to_str().unwrap()]);
    ok(&o);
    let dot = String::from_utf8(o.stdout).unwrap();
    assert!(dot.starts_with("digraph fateshare {"));
    assert!(dot.contains(r#"label="Tom & Jerry's <script>alert(\"name\")</script> shop";"#));
    for edge in [
        r#""component:vendor-a" -> "component:either";"#,
        r#""component:vendor-b" -> "component:either";"#,
        r##""cause:cloud" -> "component:vendor-b" [style=dashed, color="#c0392b""##,
        r#""component:either" -> "architecture:beta-pair" [penwidth=2.5];"#,
    ] {
        assert!(dot.contains(edge), "{edge}\n{dot}");
    }
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, TRICKY.replace("per_year = 4.0", "per_year = -4.0")).unwrap();
    let o = run(&["graph", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.toml"));
}

#[test]
fn summary_carries_the_naive_figures() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), TRICKY);
    let out = dir.path().join("out");
    simulate(&file, &out, &[]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    for a in json["architectures"].as_array().unwrap() {
        let naive = a["naive_availability"].as_f64().unwrap();
        let penalty = a["correlation_penalty"].as_f64().unwrap();
        let down = a["downtime_hours_mean"].as_f64().unwrap();
        let h = json["horizon_hours"].as_f64().unwrap();
        assert!(naive > 0.99 && naive < 1.0);
        assert!(
            (penalty - down / ((1.0 - naive) * h)).abs() < 1e-6 * penalty,
            "{a}"
        );
    }
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(
        ",naive_availability,correlation_penalty,served,served_ci_low,served_ci_high,\
             degraded_hours_mean,naive_served,downtime_hours_rp10,downtime_hours_rp20,\
             downtime_hours_rp50,downtime_hours_rp100,downtime_hours_rp200,loss_rp10,loss_rp20,\
             loss_rp50,loss_rp100,loss_rp200"
    ));
    assert_eq!(
        std::fs::read_to_string(out.join("scenario.toml")).unwrap(),
        TRICKY
    );
}
