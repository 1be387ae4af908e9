//! Scenarios on the incident catalogue: `use = "CLASS"` gives exactly the
//! class's numbers, what `validate` and `summary.json` say about it, bad
//! `use`, and the bundled scenarios' citations.

use crate::common;

use common::run;
use fateshare::catalogue::fit::fit_class;
use fateshare::catalogue::Catalogue;

const USES: &str = r#"
name = "uses the catalogue"
[simulation]
trials = 4000
seed = 11
[[component]]
id = "a"
outages = { use = "cdn.edge-config" }
[[component]]
id = "b"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[component]]
id = "pair"
needs = ["a", "b"]
mode = "any"
[[cause]]
id = "region"
use = "cloud.region"
hits = { a = 1.0, b = 1.0 }
[[cause]]
id = "glob"
use = "cloud.global"
per_year = 0.1
hits = { a = 1.0 }
[[architecture]]
id = "pair"
serves = "pair"
"#;

/// The same scenario with the class values written out by hand.
fn explicit() -> String {
    let cat = Catalogue::bundled().unwrap();
    let f = |id: &str| fit_class(&cat, cat.class(id).unwrap());
    let lognormal = |id: &str| {
        let d = f(id).duration.unwrap();
        format!(
            "{{ dist = \"lognormal\", median_hours = {:?}, p95_hours = {:?} }}",
            d.median(),
            d.p95()
        )
    };
    USES.replace(
        "outages = { use = \"cdn.edge-config\" }",
        &format!(
            "outages = {{ per_year = {:?}, duration = {} }}",
            f("cdn.edge-config").rate.mean(),
            lognormal("cdn.edge-config")
        ),
    )
    .replace(
        "use = \"cloud.region\"",
        &format!(
            "per_year = {:?}\nduration = {}",
            f("cloud.region").rate.mean(),
            lognormal("cloud.region")
        ),
    )
    .replace(
        "use = \"cloud.global\"",
        &format!("duration = {}", lognormal("cloud.global")),
    )
}

#[test]
fn use_gives_exactly_the_class_values_and_given_fields_override() {
    let by_use = common::model(USES);
    let by_hand = common::model(&explicit());
    for (u, h) in by_use.sources.iter().zip(&by_hand.sources) {
        assert_eq!(u.id, h.id);
        assert_eq!(u.per_year, h.per_year, "{}", u.id);
        assert_eq!(u.duration.describe(), h.duration.describe(), "{}", u.id);
    }
    let glob = by_use.source_index("glob").unwrap();
    assert_eq!(
        by_use.sources[glob].per_year, 0.1,
        "per_year given here wins"
    );
    // Same numbers, same random stream: identical results, trial by trial.
    let a = common::simulate(&by_use, 4000, 8760.0, 11);
    let b = common::simulate(&by_hand, 4000, 8760.0, 11);
    let down = |s: &fateshare::engine::Simulation| -> Vec<f64> {
        s.of(0).map(|o| o.downtime_hours).collect()
    };
    assert_eq!(down(&a), down(&b));
}

#[test]
fn validate_lists_what_came_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "uses.toml", USES);
    let o = run(&["validate", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("from the incident catalogue 2026.11.28.2"),
        "{out}"
    );
    assert!(out.contains("cause \"region\" use = \"cloud.region\": per_year = 0.7, duration = { dist = \"lognormal\""), "{out}");
    assert!(
        out.contains("cause \"glob\" use = \"cloud.global\": duration = ")
            && out.contains("(given here instead: per_year)"),
        "{out}"
    );
    assert!(
        out.contains("component \"a\" outages use = \"cdn.edge-config\": per_year = 0.40476"),
        "{out}"
    );
}

#[test]
fn summary_json_records_the_catalogue_version_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "uses.toml", USES);
    let out = dir.path().join("out");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--trials",
        "200",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--no-trials-csv",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let bytes = [
        fateshare::catalogue::BUNDLED_CLASSES.as_bytes(),
        fateshare::catalogue::BUNDLED_INCIDENTS.as_bytes(),
    ]
    .concat();
    assert_eq!(json["catalogue"]["version"], "2026.11.28.2");
    assert_eq!(
        json["catalogue"]["sha256"],
        fateshare::catalogue::sha256::hex(&bytes).as_str()
    );
    assert_eq!(json["catalogue"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn tornado_and_set_work_on_numbers_taken_from_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write(dir.path(), "uses.toml", USES);
    let out = dir.path().join("t");
    let o = run(&[
        "tornado",
        file.to_str().unwrap(),
        "--trials",
        "200",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn bad_use_is_rejected_with_file_place_and_fix() {
    common::assert_rejected(
        &USES.replace("\"cloud.region\"", "\"cloud.regoin\""),
        &[
            "cause \"region\"",
            "unknown catalogue class \"cloud.regoin\"; did you mean \"cloud.region\"?",
        ],
    );
    common::assert_rejected(
        &USES.replace("\"cdn.edge-config\"", "\"cloud.zone-facility\""),
        &[
            "component \"a\" outages",
            "has no fitted duration",
            "give duration",
        ],
    );
    common::assert_rejected(
        &USES.replace("use = \"cloud.region\"", ""),
        &[
            "cause \"region\"",
            "missing field `per_year`",
            "use = \"CLASS\"",
        ],
    );
    common::assert_rejected(
        &USES.replace("use = \"cloud.region\"", "use = 3"),
        &["invalid type"],
    );
}

/// A scenario's text with comment markers removed and lines joined, so that
/// citations wrapped over comment lines read as one.
fn joined(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start().trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn ids_after<'a>(text: &'a str, marker: &str) -> Vec<(&'a str, Option<&'a str>)> {
    // (id, the address in parentheses right after the id list, if any)
    let id_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    let mut out = Vec::new();
    for (pos, _) in text.match_indices(marker) {
        let mut rest = &text[pos + marker.len()..];
        loop {
            rest = rest.trim_start();
            let end = rest.find(|c: char| !id_char(c)).unwrap_or(rest.len());
            let id = rest[..end].trim_end_matches('.');
            if id.is_empty() {
                break;
            }
            rest = &rest[id.len()..];
            let url = rest
                .strip_prefix(" (")
                .filter(|r| r.starts_with("https://"))
                .map(|r| &r[..r.find([')', ',']).unwrap_or(r.len())]);
            out.push((id, url));
            // A list goes on while the next item looks like an incident id
            // (`provider-YYYY-MM-DD...`); prose after a comma ends it.
            let dated = |r: &str| {
                let word = &r[..r.find(|c: char| !id_char(c)).unwrap_or(r.len())];
                word.split('-')
                    .any(|p| p.len() == 4 && p.starts_with("20") && p.parse::<u32>().is_ok())
            };
            match rest.strip_prefix(", ") {
                Some(r) if dated(r) => rest = r,
                _ => break,
            }
        }
    }
    out
}

#[test]
fn bundled_scenarios_cite_only_what_the_repository_carries() {
    let cat = Catalogue::bundled().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut uses = 0;
    let mut cited = 0;
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        assert!(
            !text.contains("calibration.md") && !text.contains(concat!("..", "/shared")),
            "{name} cites a file the repository does not carry"
        );
        // Every class used exists (loading would fail otherwise; checked
        // here by name too).
        fateshare::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        for line in text.lines() {
            if let Some(v) = line.split("use = \"").nth(1) {
                let class = &v[..v.find('"').unwrap()];
                assert!(cat.class(class).is_some(), "{name}: use = {class}");
                uses += 1;
            }
        }
        let flat = joined(&text);
        for (id, url) in ids_after(&flat, "catalogue: ") {
            let incident = cat.incidents.iter().find(|i| i.spec.id == id);
            assert!(
                incident.is_some(),
                "{name}: cites catalogue incident {id}, which is not in it"
            );
            if let Some(url) = url {
                assert!(
                    incident.unwrap().spec.source.starts_with(url),
                    "{name}: {id} cited with {url}, the catalogue has {}",
                    incident.unwrap().spec.source
                );
            }
            cited += 1;
        }
        for (class, _) in ids_after(&flat, "catalogue ") {
            if class.contains('.') {
                assert!(cat.class(class).is_some(), "{name}: cites class {class}");
            }
        }
    }
    assert!(uses >= 30 && cited >= 20, "{uses} uses, {cited} citations");
}
