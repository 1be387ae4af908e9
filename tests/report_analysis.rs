//! The analysis tables in report.html, end to end: after `run`, `analyze`,
//! `tornado`, `drill --all` and `sweep` into one folder, report.html has a
//! section per table (scenario strings escaped), one `<svg>` per chart and
//! a valid tornado chart naming the sources; `fateshare report` redraws the
//! folder byte for byte, from the files alone; sections are absent when
//! their files are; tables from another scenario, other trials or edited
//! after the fact are detected and left out with a note.

use crate::common;
use common::outputs::*;
use fateshare::report::provenance::fingerprint;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Two vendors behind one SDK: the shared cause takes the `any` pair down
/// on its own. Provider names and drill texts carry markup, quotes and
/// ampersands.
const SHOP: &str = r#"name = "Shop & <Co>"
description = "Two \"vendors\" behind one <i>SDK</i>"
[simulation]
trials = 400
seed = 11

[[component]]
id = "vendor-a"
provider = "Amazon <AWS> & \"co\""
jurisdiction = "us"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 3.0 } }

[[component]]
id = "vendor-b"
provider = "Blue 'cloud'"
jurisdiction = "eu"
outages = { per_year = 6.0, duration = { dist = "exponential", mean_hours = 2.0 } }

[[component]]
id = "pair"
needs = ["vendor-a", "vendor-b"]
mode = "any"

[[component]]
id = "dns"
provider = "Amazon <AWS> & \"co\""
jurisdiction = "us"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 1.5 } }

[[component]]
id = "site"
needs = ["pair", "dns"]
mode = "all"

[[cause]]
id = "shared-sdk"
description = "one SDK bug in both vendors"
per_year = 2.0
duration = { dist = "exponential", mean_hours = 4.0 }
hits = { vendor-a = 1.0, vendor-b = 1.0 }

[[cause]]
id = "region-flood"
per_year = 0.5
duration = { dist = "exponential", mean_hours = 10.0 }
hits = { vendor-a = 0.5 }

[[architecture]]
id = "single"
serves = "vendor-a"
cost_per_year = 1000
loss = { per_hour = 500, per_outage = 100 }

[[architecture]]
id = "redundant"
serves = "site"
cost_per_year = 2500
loss = { per_hour = 500, per_outage = 100 }

[[drill]]
id = "sdk-bug"
description = "<script>alert('drill')</script> & \"bad\" SDK"
causes = ["shared-sdk"]
hours = 5
source = "<b>postmortem</b> & notes"

[[drill]]
id = "dns-out"
causes = ["dns"]
hours = 2
"#;

const SOURCES: [&str; 5] = ["vendor-a", "vendor-b", "dns", "shared-sdk", "region-flood"];

/// The analysis sections, in page order.
const SECTIONS: [&str; 5] = [
    "what-takes-it-down",
    "redundancy-audit",
    "concentration",
    "sensitivity",
    "drills",
];

const CHARTS: [&str; 6] = [
    "downtime-gap",
    "downtime-exceedance",
    "outage-survival",
    "loss-exceedance",
    "cost-of-resilience",
    "dependency-graph",
];

/// One folder with every output, built once and never changed; tests that
/// change files work on a copy.
struct Fixture {
    _dir: tempfile::TempDir,
    scenario: PathBuf,
    out: PathBuf,
    /// Standard output of analyze, tornado, drill and sweep.
    said: Vec<String>,
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("shop.toml");
        std::fs::write(&scenario, SHOP).unwrap();
        let out = dir.path().join("out");
        let (f, o) = (s(&scenario), s(&out));
        ok(&fateshare(&["run", f, "--out", o, "-q"]));
        let said = [
            vec!["analyze", f, "--out", o],
            vec!["tornado", f, "--trials", "100", "--out", o],
            vec!["drill", f, "--all", "--trials", "100", "--out", o],
            vec![
                "sweep",
                f,
                "--set",
                "cause.shared-sdk.per_year=0.5,2",
                "--trials",
                "100",
                "--out",
                o,
            ],
        ]
        .iter()
        .map(|args| ok(&fateshare(args)))
        .collect();
        Fixture {
            _dir: dir,
            scenario,
            out,
            said,
        }
    })
}

/// A copy of the fixture's folder (and scenario) to change.
fn copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    copy_dir(&f.out, &out);
    let scenario = dir.path().join("shop.toml");
    std::fs::copy(&f.scenario, &scenario).unwrap();
    (dir, scenario, out)
}

fn html(out: &Path) -> String {
    std::fs::read_to_string(out.join("report.html")).unwrap()
}

fn shown(html: &str) -> Vec<&'static str> {
    SECTIONS
        .iter()
        .copied()
        .filter(|id| html.contains(&format!("<section id=\"{id}\">")))
        .collect()
}

/// `fateshare report DIR`: (stdout, stderr).
fn report(out: &Path) -> (String, String) {
    let o = fateshare(&["report", s(out)]);
    let stdout = ok(&o);
    (stdout, String::from_utf8_lossy(&o.stderr).into_owned())
}

/// The CSV field `column` of every row, by header name.
fn column(file: &Path, column: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(file).unwrap();
    let i = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    r.records().map(|x| x.unwrap()[i].to_string()).collect()
}

#[test]
fn every_analysis_command_updates_the_report() {
    let f = fixture();
    for said in &f.said {
        assert!(
            said.contains("updated report.html, charts/ (14 files)")
                || said.contains("updated report.html, charts/ (12 files)"),
            "{said}"
        );
    }
    // analyze ran before tornado: no tornado chart yet.
    assert!(f.said[0].contains("(12 files)"), "{}", f.said[0]);
    let html = html(&f.out);
    assert_eq!(shown(&html), SECTIONS);
    // In page order, after the charts and before the assumptions, each in the contents.
    let at = |id: &str| html.find(&format!("<section id=\"{id}\">")).unwrap();
    let order: Vec<usize> = ["charts"]
        .iter()
        .chain(SECTIONS.iter())
        .chain(["assumptions"].iter())
        .map(|id| at(id))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    for (id, title) in SECTIONS.iter().zip([
        "What takes each design down",
        "Redundancy audit",
        "Concentration by provider and jurisdiction",
        "Sensitivity",
        "Drills",
    ]) {
        assert!(html.contains(&format!("<li><a href=\"#{id}\">{title}</a></li>")));
        assert!(html.contains(&format!("<section id=\"{id}\">\n<h2>{title}</h2>")));
    }
    // One <svg> per chart: six with the charts, the tornado with the sensitivity.
    assert_eq!(html.matches("<svg ").count(), CHARTS.len() + 1);
    let charts = section(&html, "charts").unwrap();
    assert_eq!(charts.matches("<svg ").count(), CHARTS.len());
    assert!(!charts.contains("chart-tornado"));
    let sens = section(&html, "sensitivity").unwrap();
    assert_eq!(sens.matches("<svg ").count(), 1);
    assert!(sens.contains("<figure id=\"chart-tornado\">"));
    assert!(sens.contains("<code>charts/tornado.png</code>"));
}

#[test]
fn scenario_strings_in_the_analysis_sections_are_text() {
    let html = html(&fixture().out);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!html.contains("<b>postmortem</b>"));
    assert!(!html.contains("Amazon <AWS>"));
    let conc = section(&html, "concentration").unwrap();
    for escaped in [
        "Amazon &lt;AWS&gt; &amp; &quot;co&quot;",
        "Blue &#39;cloud&#39;",
    ] {
        assert!(conc.contains(escaped), "concentration: {escaped}");
    }
    let drills = section(&html, "drills").unwrap();
    for escaped in [
        "&lt;script&gt;alert(&#39;drill&#39;)&lt;/script&gt; &amp; &quot;bad&quot; SDK",
        "&lt;b&gt;postmortem&lt;/b&gt; &amp; notes",
    ] {
        assert!(drills.contains(escaped), "drills: {escaped}");
    }
}

#[test]
fn sections_say_what_the_tables_say() {
    let f = fixture();
    let html = html(&f.out);
    // The shared SDK takes the pair down alone: a single point of failure of
    // the redundant design, and the audit's worst offender, in words.
    let what = section(&html, "what-takes-it-down").unwrap();
    let redundant = &what[what.find("<h3>redundant</h3>").unwrap()..];
    let spof = &redundant[..redundant.find("</p>").unwrap()];
    assert!(spof.contains("Single points of failure (2):"), "{spof}");
    assert!(spof.contains("<strong>shared-sdk</strong>") && spof.contains("<strong>dns</strong>"));
    assert!(!spof.contains("vendor-a"), "{spof}");
    let audit = section(&html, "redundancy-audit").unwrap();
    assert!(audit.contains(
        "<strong>pair</strong> (any of vendor-a and vendor-b): 1 outage source reaches more than one branch; \
         <span class=\"alert\"><strong>shared-sdk</strong> takes the whole redundancy down alone</span>."
    ), "{audit}");
    // The figures are importance.csv's, formatted: the top source of each design.
    let csv = f.out.join("importance.csv");
    let archs = column(&csv, "architecture");
    let sources = column(&csv, "source");
    let avoided = column(&csv, "downtime_avoided_hours");
    for arch in ["single", "redundant"] {
        let i = archs.iter().position(|a| a == arch).unwrap();
        let block = &what[what.find(&format!("<h3>{arch}</h3>")).unwrap()..];
        let body = &block[block.find("<tbody>").unwrap()..];
        let first_row = &body[..body.find("</tr>").unwrap()];
        assert!(
            first_row.contains(&format!("<strong>{}</strong>", sources[i])),
            "{first_row}"
        );
        let h = fateshare::fmtnum::hours(avoided[i].parse().unwrap());
        assert!(first_row.contains(&format!(">{h}<")), "{h} in {first_row}");
    }
    // Concentration: both designs need the provider of vendor-a and dns.
    let conc = section(&html, "concentration").unwrap();
    assert!(
        conc.contains(
            "<strong>redundant</strong> <span class=\"alert\">cannot run without</span> provider \
         <strong>Amazon &lt;AWS&gt; &amp; &quot;co&quot;</strong>"
        ),
        "{conc}"
    );
    // Drills: the SDK bug takes both designs down for its 5 hours; the DNS
    // outage leaves the single vendor up.
    let drills = section(&html, "drills").unwrap();
    assert_eq!(
        drills
            .matches("<strong class=\"alert\">down 5 h</strong>")
            .count(),
        2
    );
    assert!(drills.contains("vendor-a + vendor-b &gt; pair &gt; site"));
    assert!(drills.contains("forces dns down for 2 h"));
    // Sensitivity: the tornado's and the sweep's trials, each table's own.
    let sens = section(&html, "sensitivity").unwrap();
    assert!(sens.contains("every run on 100 trials, seed 11"));
    assert!(sens.contains("<code>cause.shared-sdk.per_year</code>"));
}

#[test]
fn tornado_chart_is_valid_ranked_and_names_the_sources() {
    let out = &fixture().out;
    let png = std::fs::read(out.join("charts/tornado.png")).unwrap();
    let svg = std::fs::read_to_string(out.join("charts/tornado.svg")).unwrap();
    let (w, h, px, ch) = decode_png(&png);
    assert_eq!((w, h), svg_size(&svg));
    assert!(w >= 800 && h >= 400, "{w}x{h}");
    assert_png_drawn("tornado", &px, ch);
    assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.matches("<rect").count() >= 20, "bars");
    let texts = svg_texts(&svg);
    for a in ["single", "redundant"] {
        assert!(texts.iter().any(|t| t == a), "panel {a}: {texts:?}");
    }
    // Each panel lists its bars with a non-zero swing, largest first.
    let csv = out.join("tornado.csv");
    let archs = column(&csv, "architecture");
    let sources = column(&csv, "source");
    let params = column(&csv, "parameter");
    let swing = column(&csv, "downtime_swing_hours");
    let rank = column(&csv, "downtime_rank");
    for arch in ["single", "redundant"] {
        let mut bars: Vec<(usize, String)> = (0..archs.len())
            .filter(|&i| archs[i] == arch && swing[i].parse::<f64>().unwrap() > 0.0)
            .map(|i| {
                (
                    rank[i].parse().unwrap(),
                    format!("{} · {}", sources[i], params[i]),
                )
            })
            .collect();
        bars.sort();
        bars.truncate(8);
        let from = texts.iter().position(|t| t == arch).unwrap();
        let labels: Vec<&String> = texts[from..]
            .iter()
            .filter(|t| t.contains(" · "))
            .take(bars.len())
            .collect();
        let want: Vec<&String> = bars.iter().map(|b| &b.1).collect();
        assert_eq!(labels, want, "{arch}");
    }
    for source in SOURCES {
        assert!(
            texts.iter().any(|t| t.starts_with(&format!("{source} · "))),
            "{source}"
        );
    }
}

#[test]
fn report_redraws_the_folder_byte_for_byte_from_its_files() {
    let (_dir, scenario, out) = copy();
    let before = tree(&out);
    assert!(before.iter().any(|(p, _)| p == "charts/tornado.png"));
    // Drawn from the folder alone: no scenario file, nothing simulated.
    std::fs::remove_file(&scenario).unwrap();
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    let (said, notes) = report(&out);
    assert!(said.contains("report.html, charts/ (14 files)"), "{said}");
    assert_eq!(notes, "");
    assert_same_tree(&before, &tree(&out), "after `fateshare report`");
}

#[test]
fn run_again_keeps_the_tables_that_belong_with_it() {
    let (_dir, scenario, out) = copy();
    // The run again (here, where the copy's paths go into summary.json):
    // every table still belongs, and a second time changes nothing.
    ok(&fateshare(&["run", s(&scenario), "--out", s(&out), "-q"]));
    assert_eq!(shown(&html(&out)), SECTIONS);
    let before = tree(&out);
    ok(&fateshare(&["run", s(&scenario), "--out", s(&out), "-q"]));
    assert_same_tree(&before, &tree(&out), "after the same run");
    let (_, notes) = report(&out);
    assert_eq!(notes, "");
    assert_same_tree(&before, &tree(&out), "after `fateshare report`");
    // Another seed: analyze explained other years and is left out; the
    // tornado, drills and sweep ran their own trials and stay.
    let o = fateshare(&["run", s(&scenario), "--seed", "12", "--out", s(&out)]);
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("importance.csv") && err.contains("--trials 400 --seed 12"),
        "{err}"
    );
    assert_eq!(shown(&html(&out)), ["sensitivity", "drills"]);
}

#[test]
fn sections_are_absent_without_their_files() {
    // A run alone: none.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("shop.toml");
    std::fs::write(&scenario, SHOP).unwrap();
    let alone = dir.path().join("alone");
    ok(&fateshare(&["run", s(&scenario), "--out", s(&alone), "-q"]));
    let h = html(&alone);
    assert_eq!(shown(&h), Vec::<&str>::new());
    assert_eq!(h.matches("<svg ").count(), CHARTS.len());
    assert!(!alone.join("charts/tornado.svg").exists());

    let (_dir, _, out) = copy();
    let drop = |files: &[&str]| {
        for f in files {
            std::fs::remove_file(out.join(f)).unwrap();
        }
        let (_, notes) = report(&out);
        assert_eq!(notes, "", "no note for a missing table");
        html(&out)
    };
    let h = drop(&["tornado.csv"]);
    assert_eq!(
        shown(&h),
        SECTIONS,
        "the sweep alone keeps the sensitivity section"
    );
    assert_eq!(h.matches("<svg ").count(), CHARTS.len());
    assert!(!section(&h, "sensitivity").unwrap().contains("<figure"));
    let h = drop(&["sweep.csv", "drills.csv"]);
    assert_eq!(shown(&h), SECTIONS[..3]);
    let h = drop(&["importance.csv"]);
    assert_eq!(shown(&h), ["redundancy-audit", "concentration"]);
    let h = drop(&["independence.csv", "concentration.csv"]);
    assert_eq!(shown(&h), Vec::<&str>::new());
    // risk_groups.csv alone has no section of its own.
    assert!(out.join("risk_groups.csv").exists());
}

#[test]
fn tables_of_another_scenario_are_detected() {
    let (_dir, scenario, out) = copy();
    // The same scenario with one rate changed, analysed into the folder.
    let other = scenario.with_file_name("other.toml");
    std::fs::write(&other, SHOP.replace("per_year = 2.0", "per_year = 3.0")).unwrap();
    let said = ok(&fateshare(&["analyze", s(&other), "--out", s(&out), "-q"]));
    assert_eq!(said, "", "quiet");
    let said = ok(&fateshare(&["analyze", s(&other), "--out", s(&out)]));
    assert!(
        said.contains(
            "report.html does not show the new tables: analysis.json says they were made from"
        ) && said.contains("other.toml, whose text is not the run's scenario.toml"),
        "{said}"
    );
    let h = html(&out);
    assert_eq!(
        shown(&h),
        ["sensitivity", "drills"],
        "stale sections removed"
    );
    let (_, notes) = report(&out);
    for f in [
        "importance.csv",
        "risk_groups.csv",
        "independence.csv",
        "concentration.csv",
    ] {
        assert!(notes.contains(f), "{f}: {notes}");
    }
    assert!(notes.contains("left out of report.html"), "{notes}");
    // The same scenario on other trials: analyze must explain the run's own years.
    let said = ok(&fateshare(&[
        "analyze",
        s(&scenario),
        "--trials",
        "300",
        "--out",
        s(&out),
    ]));
    assert!(
        said.contains("run it again with --trials 400 --seed 11"),
        "{said}"
    );
    assert_eq!(shown(&html(&out)), ["sensitivity", "drills"]);
    // A tornado on other trials belongs (it states its own); one of another scenario does not.
    let said = ok(&fateshare(&[
        "tornado",
        s(&scenario),
        "--trials",
        "50",
        "--out",
        s(&out),
    ]));
    assert!(said.contains("updated report.html"), "{said}");
    assert!(section(&html(&out), "sensitivity")
        .unwrap()
        .contains("every run on 50 trials"));
    let said = ok(&fateshare(&[
        "tornado",
        s(&other),
        "--trials",
        "50",
        "--out",
        s(&out),
    ]));
    assert!(
        said.contains("report.html does not show the new tables"),
        "{said}"
    );
    assert_eq!(
        shown(&html(&out)),
        ["sensitivity", "drills"],
        "the sweep remains"
    );
    assert!(!section(&html(&out), "sensitivity")
        .unwrap()
        .contains("<figure"));
    // Analysed again as the run: back in.
    let said = ok(&fateshare(&["analyze", s(&scenario), "--out", s(&out)]));
    assert!(said.contains("updated report.html"), "{said}");
    assert_eq!(shown(&html(&out)), SECTIONS);
}

#[test]
fn tables_are_read_from_the_files_and_edits_are_detected() {
    let (_dir, _, out) = copy();
    let path = out.join("importance.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = column(&path, "downtime_avoided_hours")[0].clone();
    let edited = text.replacen(&format!(",{first},"), ",4321,", 1);
    assert_ne!(edited, text);
    std::fs::write(&path, &edited).unwrap();
    // Edited behind the record's back: left out, with the reason.
    let (_, notes) = report(&out);
    assert!(
        notes.contains("importance.csv left out of report.html: it changed after"),
        "{notes}"
    );
    assert!(!shown(&html(&out)).contains(&"what-takes-it-down"));
    // With the record updated, the report shows the file's number: it reads
    // the table, it does not recompute it.
    let record = out.join("analysis.json");
    let json = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        json.replace(
            &fingerprint(text.as_bytes()),
            &fingerprint(edited.as_bytes()),
        ),
    )
    .unwrap();
    let (_, notes) = report(&out);
    assert_eq!(notes, "");
    let what = section(&html(&out), "what-takes-it-down")
        .unwrap()
        .to_string();
    assert!(what.contains(">4321 h<"), "{what}");
    // A table without its record is left out too.
    std::fs::remove_file(out.join("drills.json")).unwrap();
    let (_, notes) = report(&out);
    assert!(
        notes.contains("there is no drills.json beside it"),
        "{notes}"
    );
    assert!(!shown(&html(&out)).contains(&"drills"));
}

#[test]
fn without_a_run_the_report_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("shop.toml");
    std::fs::write(&scenario, SHOP).unwrap();
    let out = dir.path().join("fresh");
    let said = ok(&fateshare(&[
        "drill",
        s(&scenario),
        "--all",
        "--out",
        s(&out),
    ]));
    assert!(
        said.contains("report.html not updated:") && said.contains("holds no run"),
        "{said}"
    );
    assert!(out.join("drills.csv").exists() && out.join("drills.json").exists());
    assert!(!out.join("report.html").exists());
    // A run written later picks the drills up.
    ok(&fateshare(&["run", s(&scenario), "--out", s(&out), "-q"]));
    assert_eq!(shown(&html(&out)), ["drills"]);
    // A run without per-trial tables cannot be redrawn: said, and left as it is.
    ok(&fateshare(&[
        "run",
        s(&scenario),
        "--out",
        s(&out),
        "-q",
        "--no-trials-csv",
    ]));
    std::fs::remove_file(out.join("trials.csv")).unwrap();
    let before = html(&out);
    let said = ok(&fateshare(&[
        "drill",
        s(&scenario),
        "--drill",
        "dns-out",
        "--out",
        s(&out),
    ]));
    assert!(
        said.contains("report.html not updated: the run in it cannot be read back"),
        "{said}"
    );
    assert_eq!(html(&out), before);
}
