//! Charts for many designs, return periods in the charts, and the dependency
//! graph's highlights: with more than 8 architectures the 8 best by the
//! headline measure are drawn one by one in distinct colours and the rest as
//! one grey group; the exceedance charts mark the run's return periods and
//! the loss chart's legend stays off the plot; single points of failure are
//! marked per design, and what takes every design down is filled dark red.

use crate::common;

use common::outputs::{fateshare, ok, svg_size, svg_texts};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn run(dir: &Path, text: &str, extra: &[&str]) -> PathBuf {
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--trials",
        "400",
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend(extra);
    ok(&fateshare(&args));
    out
}

/// Twelve designs, each on its own component; design k fails 2(k + 1) times a year.
fn many() -> String {
    let mut s = String::from("name = \"many\"\n");
    for k in 0..12 {
        s.push_str(&format!(
            "[[component]]\nid = \"c{k}\"\noutages = {{ per_year = {}, duration = {{ dist = \"exponential\", mean_hours = 5.0 }} }}\n",
            2 * (k + 1)
        ));
    }
    for k in 0..12 {
        s.push_str(&format!(
            "[[architecture]]\nid = \"design-{k}\"\nserves = \"c{k}\"\nloss = {{ per_hour = 100 }}\n"
        ));
    }
    s
}

/// Every value of attribute `name` on elements that start with `tag`.
fn attrs<'a>(svg: &'a str, tag: &str, name: &str) -> Vec<&'a str> {
    svg.split(tag)
        .skip(1)
        .filter_map(|el| {
            let el = &el[..el.find('>').unwrap_or(el.len())];
            let key = format!(" {name}=\"");
            let start = el.find(&key)? + key.len();
            Some(&el[start..start + el[start..].find('"')?])
        })
        .collect()
}

/// (x, text) of every `<text>` element.
fn placed_texts(svg: &str) -> Vec<(f64, String)> {
    let xs = attrs(svg, "<text", "x");
    let texts = svg_texts(svg);
    assert_eq!(xs.len(), texts.len());
    xs.into_iter()
        .map(|x| x.parse().unwrap())
        .zip(texts)
        .collect()
}

/// The stroke colours of the thick (width 3) lines: per curve drawn one by
/// one, its line and its legend sample.
fn curve_colours(svg: &str) -> Vec<String> {
    svg.split("<polyline")
        .skip(1)
        .map(|el| &el[..el.find("/>").unwrap()])
        .filter(|el| el.contains("stroke-width=\"3\""))
        .map(|el| {
            let s = el.find("stroke=\"").unwrap() + 8;
            el[s..s + el[s..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn many_designs_draw_the_best_eight_in_distinct_colours_and_group_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &many(), &[]);
    // The eight lowest expected losses, from summary.csv.
    let mut r = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (ia, il) = (col("architecture"), col("expected_loss"));
    let mut losses: Vec<(f64, String)> = r
        .records()
        .map(|x| {
            let x = x.unwrap();
            (x[il].parse().unwrap(), x[ia].to_string())
        })
        .collect();
    losses.sort_by(|a, b| a.0.total_cmp(&b.0));
    let best: BTreeSet<String> = losses[..8].iter().map(|x| x.1.clone()).collect();
    let rest: Vec<String> = losses[8..].iter().map(|x| x.1.clone()).collect();

    for chart in ["downtime-exceedance", "outage-survival"] {
        let svg = std::fs::read_to_string(out.join(format!("charts/{chart}.svg"))).unwrap();
        let colours = curve_colours(&svg);
        let distinct: BTreeSet<&String> = colours.iter().collect();
        assert_eq!(
            colours.len(),
            16,
            "{chart}: eight curves and their legend samples"
        );
        assert_eq!(distinct.len(), 8, "{chart}: {colours:?}");
        let texts = svg_texts(&svg);
        assert!(texts.iter().any(|t| t == "4 other designs"), "{chart}");
        for id in &best {
            assert!(
                texts.iter().any(|t| t.starts_with(id.as_str())),
                "{chart}: {id}"
            );
        }
        for id in &rest {
            assert!(
                !texts.iter().any(|t| t.starts_with(id.as_str())),
                "{chart}: {id}"
            );
        }
    }
    let svg = std::fs::read_to_string(out.join("charts/loss-exceedance.svg")).unwrap();
    let texts = svg_texts(&svg);
    assert!(texts.iter().any(|t| t == "4 other designs"));
    let colours = curve_colours(&svg);
    let distinct: BTreeSet<&String> = colours.iter().collect();
    assert_eq!((colours.len(), distinct.len()), (16, 8), "{colours:?}");
    // The comparison table on the first screen lists the same eight and
    // groups the rest.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = &html[html.find("<table id=\"comparison\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert_eq!(table.matches("<tr").count(), 1 + 8);
    assert!(best
        .iter()
        .all(|id| table.contains(&format!("<strong>{id}</strong>"))));
    assert!(rest
        .iter()
        .all(|id| !table.contains(&format!("<strong>{id}</strong>"))));
    assert!(html.contains("<b>And 4 more designs</b>"));
    // The gap chart has the eight rows only.
    let svg = std::fs::read_to_string(out.join("charts/downtime-gap.svg")).unwrap();
    let texts = svg_texts(&svg);
    assert!(best.iter().all(|id| texts.contains(id)));
    assert!(rest.iter().all(|id| !texts.contains(id)));
}

#[test]
fn exceedance_charts_mark_the_return_periods_and_the_legend_stays_off_the_plot() {
    let dir = tempfile::tempdir().unwrap();
    let text = many().replace("id = \"design-", "id = \"d");
    let out = run(dir.path(), &text, &["--return-periods", "10,25"]);
    let svg = std::fs::read_to_string(out.join("charts/downtime-exceedance.svg")).unwrap();
    let texts = svg_texts(&svg);
    for label in ["1 year in 10", "1 year in 25"] {
        assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
    }
    // A dot on each of the eight curves at each return period.
    assert_eq!(svg.matches("<circle").count(), 16);

    let svg = std::fs::read_to_string(out.join("charts/loss-exceedance.svg")).unwrap();
    let (w, _) = svg_size(&svg);
    let placed = placed_texts(&svg);
    // Every legend entry is in a strip right of the plot; every return-period
    // label is left of it.
    let legend: Vec<f64> = (0..8)
        .map(|k| format!("d{k}"))
        .chain(["4 other designs".into()])
        .map(|id| {
            placed
                .iter()
                .find(|(_, t)| *t == id)
                .expect("legend entry")
                .0
        })
        .collect();
    let strip = legend.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        strip > f64::from(w) - 420.0 && strip < f64::from(w) - 100.0,
        "{strip}"
    );
    assert!(
        legend.iter().all(|&x| (x - strip).abs() < 1.0),
        "one column"
    );
    for label in ["1 in 10", "1 in 25"] {
        let (x, _) = placed.iter().find(|(_, t)| t == label).expect(label);
        assert!(
            *x + 40.0 < strip,
            "{label} at {x}, under the legend at {strip}"
        );
    }
    assert_eq!(svg.matches("<circle").count(), 16);

    // The money table gives each design's loss of a 1-in-N year, as summary.csv.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let money = &html[html.find("<table id=\"money\">").unwrap()..];
    let money = &money[..money.find("</table>").unwrap()];
    assert!(money.contains("<th>loss 1 in 10</th><th>loss 1 in 25</th>"));
    let mut r = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (ia, i10, i25) = (col("architecture"), col("loss_rp10"), col("loss_rp25"));
    for rec in r.records() {
        let rec = rec.unwrap();
        let row = &money[money
            .find(&format!("<strong>{}</strong>", &rec[ia]))
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        for i in [i10, i25] {
            let v: f64 = rec[i].parse().unwrap();
            let shown = format!(
                "<td class=\"num\">{}<br>",
                fateshare::fmtnum::money_sig(v, 3)
            );
            assert!(row.contains(&shown), "{}: {shown} in {row}", &rec[ia]);
        }
    }
}

/// `cdn` hits both web front ends: it takes both designs down. `web-a`'s own
/// outages take `one` down, not `two`, which fails over to `web-b`.
const SPOF: &str = r#"name = "spof"
[[component]]
id = "web-a"
outages = { per_year = 2.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "web-b"
outages = { per_year = 2.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "pair"
needs = ["web-a", "web-b"]
mode = "any"
[[cause]]
id = "cdn"
per_year = 1.0
duration = { dist = "exponential", mean_hours = 2.0 }
hits = { web-a = 1.0, web-b = 1.0 }
[[architecture]]
id = "one"
serves = "web-a"
[[architecture]]
id = "two"
serves = "pair"
"#;

#[test]
fn the_dependency_graph_marks_single_points_of_failure_per_design() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), SPOF, &[]);
    let svg = std::fs::read_to_string(out.join("charts/dependency-graph.svg")).unwrap();
    let texts = svg_texts(&svg);
    // The cause that takes every design down: its note, and a node filled dark red
    // (and the legend's swatch).
    assert_eq!(
        texts
            .iter()
            .filter(|t| *t == "takes every design down")
            .count(),
        1
    );
    let fills = attrs(&svg, "<rect", "fill");
    assert_eq!(
        fills
            .iter()
            .filter(|f| f.eq_ignore_ascii_case("#C0392B"))
            .count(),
        2
    );
    // web-a: a single point of "one" only, with an orange border (and the legend's).
    assert!(
        texts.iter().any(|t| t == "single point of one"),
        "{texts:?}"
    );
    assert!(!texts.iter().any(|t| t.contains("single point of two")));
    let strokes = attrs(&svg, "<rect", "stroke");
    assert_eq!(
        strokes
            .iter()
            .filter(|f| f.eq_ignore_ascii_case("#E69F00"))
            .count(),
        2
    );
    // The first screen says the same.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Takes every design down:</b> <strong>cdn</strong>"));
}
