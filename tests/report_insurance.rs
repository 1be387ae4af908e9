//! The charts and report.html of a scenario with policies: the loss
//! exceedance chart carries every policy's and portfolio's curve, built from
//! the payouts in `policy_trials.csv`; the total-cost-of-risk chart names
//! every option; report.html has the insurance section (every policy, its
//! strings escaped, the decision table sorted by total cost of risk, the
//! portfolio figures) and the headline's "backup or cover?" answer;
//! `fateshare report` reads the insurance figures back bit for bit and
//! redraws byte-identical files, and refuses a folder with an insurance file
//! missing or not matching the scenario.

use fateshare::charts::{loss_exceedance, total_cost_of_risk, ChartData};
use fateshare::engine::RunOptions;
use fateshare::insurance::{self, figures::InsuranceFigures};
use fateshare::readback;
use fateshare::report::Report;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Two architectures, three policies (two in one portfolio), strings with
/// markup, quotes and ampersands.
const COVERED: &str = r#"name = "Cover & <i>backup</i> for \"shop\""
[simulation]
trials = 3000
seed = 11
[[component]]
id = "cloud-a"
outages = { per_year = 3.0, duration = { dist = "exponential", mean_hours = 6.0 } }
[[component]]
id = "cloud-b"
outages = { per_year = 2.0, duration = { dist = "lognormal", median_hours = 3.0, p95_hours = 20.0 } }
[[cause]]
id = "dns"
per_year = 0.5
duration = { dist = "exponential", mean_hours = 4.0 }
hits = { cloud-a = 1.0, cloud-b = 1.0 }
[[component]]
id = "both"
needs = ["cloud-a", "cloud-b"]
mode = "failover"
switch_minutes = 5
[[architecture]]
id = "single"
description = "one <b>cloud</b>"
serves = "cloud-a"
cost_per_year = 5000
loss = { per_hour = 2000, per_outage = 500 }
[[architecture]]
id = "dual"
serves = "both"
cost_per_year = 30000
loss = { per_hour = 2000, per_outage = 500 }
[[policy]]
id = "param-a"
description = "<script>alert('p')</script> pays & \"more\""
kind = "parametric"
index = "cloud-a"
insured = "single"
waiting_hours = 2
pay_per_hour = 2000
max_hours_per_event = 24
annual_limit = 60000
pricing = { method = "std_dev", loading = 0.25, expense_ratio = 0.2 }
portfolio = "book-a"
[[policy]]
id = "bi-single"
kind = "indemnity"
insured = "single"
deductible = 4000
share = 0.8
pricing = { method = "cost_of_capital", rate = 0.1 }
portfolio = "book-a"
[[policy]]
id = "bi-dual"
kind = "indemnity"
insured = "dual"
deductible = 4000
share = 0.5
pricing = { method = "wang", lambda = 0.3 }
"#;

const POLICIES: [&str; 3] = ["param-a", "bi-single", "bi-dual"];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fateshare"))
}

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Writes the scenario and runs it into `<dir>/out`.
fn simulate(dir: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let file = dir.join("covered.toml");
    std::fs::write(&file, COVERED).unwrap();
    let out = dir.join("out");
    let o = bin()
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .args(extra)
        .output()
        .unwrap();
    ok(&o);
    (file, out)
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

/// (width, height, RGB pixels) of an RGB PNG.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    assert_eq!(info.color_type.samples(), 3);
    (info.width, info.height, buf)
}

/// Pixels of exactly this colour.
fn count_colour(px: &[u8], rgb: [u8; 3]) -> usize {
    px.chunks(3).filter(|p| *p == rgb).count()
}

/// Rows of a CSV file as maps column → text (no quoted fields in these files).
fn csv_rows(path: &Path) -> Vec<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

fn field<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    &row.iter().find(|(k, _)| k == name).unwrap().1
}

/// The part of the page inside `<section id="ID">`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = start + html[start..].find("</section>").unwrap();
    &html[start..end]
}

#[test]
fn charts_carry_every_policy_and_portfolio() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = simulate(dir.path(), &[]);
    // Loss exceedance: the architectures, each policy and the portfolio in the legend.
    let svg = std::fs::read_to_string(out.join("charts/loss-exceedance.svg")).unwrap();
    let texts = svg_texts(&svg);
    for want in [
        "single",
        "dual",
        "policy param-a (payout)",
        "policy bi-single (payout)",
        "policy bi-dual (payout)",
        "portfolio book-a (total payout)",
    ] {
        assert!(texts.iter().any(|t| t == want), "no {want:?} in {texts:?}");
    }
    // Total cost of risk: every decision option, the cheapest marked.
    let svg = std::fs::read_to_string(out.join("charts/total-cost-of-risk.svg")).unwrap();
    let texts = svg_texts(&svg);
    for want in [
        "single · no cover",
        "single · cover param-a",
        "single · cover bi-single",
        "dual · no cover",
        "dual · cover bi-dual",
        "premium",
        "expected retained loss",
    ] {
        assert!(texts.iter().any(|t| t == want), "no {want:?} in {texts:?}");
    }
    assert_eq!(texts.iter().filter(|t| t.ends_with("lowest")).count(), 1);
    // The PNGs are drawn: not blank, the bars in their colours, the SVG's size.
    for name in ["loss-exceedance", "total-cost-of-risk"] {
        let (w, h, px) =
            decode_png(&std::fs::read(out.join(format!("charts/{name}.png"))).unwrap());
        let svg = std::fs::read_to_string(out.join(format!("charts/{name}.svg"))).unwrap();
        assert!(
            svg.contains(&format!("width=\"{w}\" height=\"{h}\"")),
            "{name}"
        );
        let non_white = px.chunks(3).filter(|p| p.iter().any(|&c| c < 200)).count();
        assert!(non_white > 5000, "{name}: {non_white} non-white pixels");
        let mut colours: Vec<&[u8]> = px.chunks(3).collect();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 20, "{name}: {} colours", colours.len());
    }
    let (_, _, px) = decode_png(&std::fs::read(out.join("charts/total-cost-of-risk.png")).unwrap());
    for (part, rgb) in total_cost_of_risk::PARTS {
        let c = [rgb.0, rgb.1, rgb.2];
        // Each part fills at least its legend swatch and some bar (3 premiums here).
        assert!(
            count_colour(&px, c) > 2000,
            "{part}: {} pixels",
            count_colour(&px, c)
        );
    }
}

#[test]
fn chart_curves_are_the_payouts_of_policy_trials_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = simulate(dir.path(), &[]);
    // Per policy, its payouts as written, and the portfolio's per-trial sum, by hand.
    let rows = csv_rows(&out.join("policy_trials.csv"));
    assert_eq!(rows.len(), 3000 * POLICIES.len());
    let mut payouts: Vec<Vec<f64>> = vec![Vec::new(); POLICIES.len()];
    for r in &rows {
        let p = POLICIES
            .iter()
            .position(|&x| x == field(r, "policy"))
            .unwrap();
        payouts[p].push(field(r, "payout").parse().unwrap());
    }
    let book: Vec<f64> = (0..3000).map(|t| payouts[0][t] + payouts[1][t]).collect();
    let sorted = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v
    };
    let run = readback::load(&out).unwrap();
    let report = Report::of_run(&run);
    let data = ChartData::from_report(&report);
    let curves = loss_exceedance::curves(&data);
    assert_eq!(curves.len(), 2 + 3 + 1);
    for (p, id) in POLICIES.iter().enumerate() {
        let c = curves
            .iter()
            .find(|c| c.label == format!("policy {id} (payout)"))
            .unwrap();
        assert_eq!(c.series, loss_exceedance::Series::Policy);
        assert_eq!(
            c.sorted.values(),
            Some(sorted(&payouts[p]).as_slice()),
            "{id}"
        );
        assert!(c.sorted.max().unwrap() > 0.0, "{id} never paid");
    }
    let c = curves.last().unwrap();
    assert_eq!(c.label, "portfolio book-a (total payout)");
    assert_eq!(c.series, loss_exceedance::Series::Portfolio);
    assert_eq!(c.sorted.values(), Some(sorted(&book).as_slice()));
    // The bars are the decision table's rows, cheapest first.
    let decisions = csv_rows(&out.join("decisions.csv"));
    let bars = total_cost_of_risk::bars(&data);
    assert_eq!(bars.len(), decisions.len());
    let mut totals: Vec<f64> = decisions
        .iter()
        .map(|r| field(r, "total_cost_of_risk").parse().unwrap())
        .collect();
    totals.sort_by(f64::total_cmp);
    for (b, t) in bars.iter().zip(&totals) {
        assert_eq!(b.total, *t);
        assert!((b.parts.iter().sum::<f64>() - b.total).abs() <= 1e-9 * b.total.abs());
    }
}

#[test]
fn figures_read_back_are_the_runs_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let (file, out) = simulate(dir.path(), &[]);
    let (_, model) = fateshare::scenario::load(&file).unwrap();
    let (_, ins) = insurance::run(
        &model,
        &model.settings,
        &RunOptions::default(),
        insurance::Options {
            ord: false,
            per_trial: true,
        },
    );
    let in_memory = InsuranceFigures::of(&model, &ins.unwrap()).unwrap();
    let read = readback::load(&out).unwrap().insurance.unwrap();
    assert_eq!(in_memory.policies.len(), 3);
    assert_eq!(in_memory.members, vec![vec![0, 1]]);
    assert_eq!(*read, in_memory);
}

#[test]
fn report_html_has_the_insurance_section() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = simulate(dir.path(), &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.to_lowercase().contains("<script"));
    let ins = section(&html, "insurance");
    assert!(html.contains("<li><a href=\"#insurance\">"));
    // Every policy, its description escaped, its pricing named.
    for id in POLICIES {
        assert!(ins.contains(&format!("<strong>{id}</strong>")), "{id}");
    }
    assert!(
        ins.contains("&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt; pays &amp; &quot;more&quot;")
    );
    for s in [
        "standard deviation E + kσ, k = 0.25; 20% expenses",
        "cost of capital E + r(TVaR − E), r = 0.1 on TVaR 99.5%",
        "Wang transform, λ = 0.3",
    ] {
        assert!(ins.contains(s), "pricing: {s}");
    }
    // The policy figures are those of policies.csv.
    let policies = csv_rows(&out.join("policies.csv"));
    let money = |s: &str| fateshare::fmtnum::money(s.parse().unwrap());
    for r in &policies {
        for col in ["expected_payout", "premium", "insured_tvar99_before"] {
            assert!(
                ins.contains(&money(field(r, col))),
                "{col} of {}",
                field(r, "policy")
            );
        }
    }
    // One chart in the section (the total cost of risk), one <svg> per chart on the page.
    assert_eq!(ins.matches("<svg ").count(), 1);
    assert!(ins.contains("<figure id=\"chart-total-cost-of-risk\">"));
    assert_eq!(html.matches("<svg ").count(), 7);
    assert!(!section(&html, "charts").contains("chart-total-cost-of-risk"));
    // The portfolio: PML and diversification ratio as in portfolios.csv.
    let pf = &csv_rows(&out.join("portfolios.csv"))[0];
    assert!(ins.contains("<strong>book-a</strong>"));
    for col in ["pml_100", "pml_200", "pml_250", "tvar995"] {
        assert!(ins.contains(&money(field(pf, col))), "{col}");
    }
    let ratio: f64 = field(pf, "diversification_ratio").parse().unwrap();
    // TVaR is subadditive: the ratio is at least 1 (up to rounding).
    assert!(ratio >= 1.0 - 1e-12, "{ratio}");
    assert!(ins.contains(&format!(
        "<td class=\"num\">{}</td></tr>",
        fateshare::fmtnum::sig(ratio, 3)
    )));
    // The headline answers "backup or cover?", as the section does.
    let head = section(&html, "headline");
    let answer = head
        .split("<li>")
        .find(|l| l.starts_with("<b>Backup or cover?</b>"))
        .expect("a headline item");
    let answer = &answer[..answer.find("</li>").unwrap()];
    assert!(ins.contains(&format!("<p class=\"lede\">{answer}</p>")));
    // It names the cheapest option and the cheapest of the other kind
    // (covered against uncovered), with their totals from decisions.csv.
    let mut rows: Vec<(String, String, f64)> = csv_rows(&out.join("decisions.csv"))
        .iter()
        .map(|r| {
            (
                field(r, "architecture").to_string(),
                field(r, "option").to_string(),
                field(r, "total_cost_of_risk").parse::<f64>().unwrap(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.2.total_cmp(&b.2));
    let best = &rows[0];
    let other = rows
        .iter()
        .find(|r| (r.1 == "none") != (best.1 == "none"))
        .unwrap();
    let name = |r: &(String, String, f64)| {
        if r.1 == "none" {
            format!("<strong>{}</strong> without cover", r.0)
        } else {
            format!(
                "<strong>{}</strong> insured by <strong>{}</strong>",
                r.0, r.1
            )
        }
    };
    let m = |x: f64| fateshare::fmtnum::money(x);
    assert!(
        answer.contains(&format!(
            "{} has the lowest expected total cost of risk, {} a year",
            name(best),
            m(best.2)
        )),
        "{answer}"
    );
    assert!(
        answer.contains(&format!("{} ({};", name(other), m(other.2))),
        "{answer}"
    );
    assert!(answer.contains("paired difference 95% CI"), "{answer}");
}

#[test]
fn decision_table_is_sorted_by_total_cost_of_risk() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = simulate(dir.path(), &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let ins = section(&html, "insurance");
    let start = ins.find("<table id=\"decision-table\">").unwrap();
    let table = &ins[start..start + ins[start..].find("</table>").unwrap()];
    let strip = |s: &str| -> String {
        let mut out = String::new();
        let mut tag = false;
        for c in s.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => out.push(c),
                _ => {}
            }
        }
        out
    };
    // (architecture, option, total) of each row as shown.
    let shown: Vec<(String, String, f64)> = table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td")
                .skip(1)
                .map(|c| strip(&format!("<td{c}")))
                .collect();
            let option = match cells[2].strip_prefix("cover ") {
                Some(p) => p.to_string(),
                None => {
                    assert_eq!(cells[2], "no cover");
                    "none".to_string()
                }
            };
            (
                cells[1].clone(),
                option,
                cells[6].replace(',', "").parse().unwrap(),
            )
        })
        .collect();
    // decisions.csv sorted by total cost of risk (stable: ties in file order).
    let mut want: Vec<(String, String, f64)> = csv_rows(&out.join("decisions.csv"))
        .iter()
        .map(|r| {
            (
                field(r, "architecture").to_string(),
                field(r, "option").to_string(),
                field(r, "total_cost_of_risk").parse::<f64>().unwrap(),
            )
        })
        .collect();
    assert_eq!(want.len(), 5);
    want.sort_by(|a, b| a.2.total_cmp(&b.2));
    assert_eq!(
        shown.iter().map(|r| (&r.0, &r.1)).collect::<Vec<_>>(),
        want.iter().map(|r| (&r.0, &r.1)).collect::<Vec<_>>()
    );
    for (s, w) in shown.iter().zip(&want) {
        assert_eq!(s.2, w.2.round(), "{s:?}");
    }
    assert!(shown.windows(2).all(|w| w[0].2 <= w[1].2));
}

#[test]
fn report_redraws_identical_files_with_insurance() {
    let dir = tempfile::tempdir().unwrap();
    let (file, out) = simulate(dir.path(), &[]);
    let before = tree(&out);
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    std::fs::remove_file(&file).unwrap();
    let o = bin()
        .args(["report", out.to_str().unwrap()])
        .output()
        .unwrap();
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stdout).contains("report.html, charts/ (14 files)"));
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
fn every_chart_and_the_page_are_identical_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let trees: Vec<_> = ["1", "2"]
        .iter()
        .map(|t| {
            let (_, out) = simulate(dir.path(), &["--threads", t, "--trials", "1500"]);
            tree(&out)
        })
        .collect();
    assert!(trees[0]
        .iter()
        .any(|f| f.0 == "charts/total-cost-of-risk.svg"));
    for (a, b) in trees[0].iter().zip(&trees[1]) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between 1 and 2 threads", a.0);
    }
}

#[test]
fn report_refuses_a_policy_folder_with_an_insurance_file_missing_or_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out) = simulate(dir.path(), &[]);
    let html = std::fs::read(out.join("report.html")).unwrap();
    let refuse = |needle: &str| {
        let o = bin()
            .args(["report", out.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{needle}: {err}");
        assert!(err.contains(needle), "{needle}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        // Nothing was redrawn.
        assert_eq!(std::fs::read(out.join("report.html")).unwrap(), html);
    };
    for name in [
        "policies.csv",
        "decisions.csv",
        "portfolios.csv",
        "policy_trials.csv",
    ] {
        let path = out.join(name);
        let saved = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        refuse(name);
        // A file cut short or edited does not match the scenario either.
        let text = String::from_utf8(saved.clone()).unwrap();
        let keep = text.lines().count() - 1;
        let cut: String = text.lines().take(keep).map(|l| format!("{l}\n")).collect();
        std::fs::write(&path, cut).unwrap();
        refuse(name);
        std::fs::write(&path, &saved).unwrap();
    }
    // A payout that is not a number.
    let path = out.join("policy_trials.csv");
    let saved = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, saved.replacen(",param-a,", ",param-a,x", 1)).unwrap();
    refuse("policy_trials.csv: line 2, column 3 (payout)");
    std::fs::write(&path, &saved).unwrap();
    // A policy renamed in the table.
    let path = out.join("policies.csv");
    let saved = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, saved.replacen("\nbi-dual,", "\nbi-other,", 1)).unwrap();
    refuse("policies.csv: line 4: policy is \"bi-other\"");
    std::fs::write(&path, &saved).unwrap();
    // Restored, it redraws.
    ok(&bin()
        .args(["report", out.to_str().unwrap(), "-q"])
        .output()
        .unwrap());
}
