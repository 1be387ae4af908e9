//! Unit tests of setting numbers by path.

use super::*;

const DOC: &str = r#"
name = "t"
[simulation]
trials = 10
[[component]]
id = "a"
outages = { per_year = 2, duration = { dist = "lognormal", median_hours = 1, p95_hours = 4 } }
[[component]]
id = "aws.use1"
outages = { per_year = 1.0, duration = { dist = "empirical", hours = [1, 2.5] } }
[[component]]
id = "q"
needs = ["a", "aws.use1"]
mode = "quorum"
quorum = 1
[[cause]]
id = "c"
per_year = 0.5
duration = { dist = "fixed", hours = 3 }
hits = { a = 1.0, "aws.use1" = 0.5 }
[[architecture]]
id = "x"
serves = "q"
"#;

fn doc() -> Table {
    document(DOC, "t.toml").unwrap()
}

#[test]
fn ranges_and_lists() {
    let s = parse_spec("cause.c.per_year=0.1:1.0:10").unwrap();
    assert_eq!(s.path, "cause.c.per_year");
    assert_eq!(
        s.values,
        vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    );
    assert_eq!(
        parse_spec("a.b=1,2.5, 4").unwrap().values,
        vec![1.0, 2.5, 4.0]
    );
    assert_eq!(parse_spec("a.b=-1").unwrap().values, vec![-1.0]);
    for bad in [
        "a.b",
        "=1",
        "a.b=x",
        "a.b=1:2",
        "a.b=1:2:1",
        "a.b=1:2:x",
        "a.b=1,,2",
    ] {
        assert!(parse_spec(bad).is_err(), "{bad}");
    }
}

#[test]
fn grid_is_cartesian_first_slowest() {
    let specs = [
        parse_spec("p=1,2").unwrap(),
        parse_spec("q=10,20,30").unwrap(),
    ];
    let g = grid(&specs).unwrap();
    let flat: Vec<(f64, f64)> = g.iter().map(|p| (p[0].value, p[1].value)).collect();
    assert_eq!(
        flat,
        vec![
            (1., 10.),
            (1., 20.),
            (1., 30.),
            (2., 10.),
            (2., 20.),
            (2., 30.)
        ]
    );
    assert!(grid(&[specs[0].clone(), specs[0].clone()]).is_err());
}

#[test]
fn sets_numbers_everywhere() {
    let mut d = doc();
    set(&mut d, "simulation.horizon_hours", 100.0).unwrap();
    set(&mut d, "component.a.outages.per_year", 3.5).unwrap();
    set(&mut d, "component.a.outages.duration.p95_hours", 9.0).unwrap();
    set(&mut d, "component.aws.use1.outages.per_year", 4.0).unwrap();
    set(&mut d, "component.q.quorum", 2.0).unwrap();
    set(&mut d, "cause.c.hits.aws.use1", 0.25).unwrap();
    set(&mut d, "architecture.x.loss.per_hour", 10.0).unwrap();
    let (_, m) = compile(&d, "t").unwrap();
    assert_eq!(m.settings.horizon_hours, 100.0);
    let a = m.source_index("a").unwrap();
    assert_eq!(m.sources[a].per_year, 3.5);
    assert_eq!(m.sources[m.source_index("aws.use1").unwrap()].per_year, 4.0);
    let q = m.component_index("q").unwrap();
    assert_eq!(m.components[q].mode, crate::model::Mode::Quorum(2));
    let c = &m.sources[m.source_index("c").unwrap()];
    assert!(c.targets.iter().any(|t| t.probability == 0.25));
    assert_eq!(m.architectures[0].loss.unwrap().per_hour, 10.0);
    // The quorum stays an integer in the document.
    assert!(d["component"][2]["quorum"].is_integer());
}

#[test]
fn bad_paths_say_why() {
    let cases = [
        ("cause.cc.per_year", "did you mean \"c\""),
        ("cause.zzzzzz.per_year", "the ids are c"),
        ("component.a", "ends at [[component]] \"a\"; add the number to change, e.g. component.a.outages.per_year"),
        ("component.q.needs.x", "needs has no entry that \"x\" names; give needs.ID.FIELD with ID one of a, aws.use1"),
        ("component.q.needs", "not a number"),
        ("component.a.needs", "this field is not a number"),
        ("cause.c.hits", "name one of its numbers (hits.a, hits.aws.use1)"),
        ("cause.c.id", "not a number"),
        ("name", "not a path"),
        ("drill.x.hours", "not a path"),
        ("simulation.horizon", "does not matter"),
        ("component.q.quorum", "whole number"),
    ];
    for (path, expect) in cases {
        let mut d = doc();
        let got = match set(&mut d, path, 1.5) {
            Err(e) => e,
            Ok(()) => match compile(&d, "t") {
                Err(e) => e.to_string(),
                Ok(_) => String::from("accepted"),
            },
        };
        if expect == "does not matter" {
            assert!(got.contains("unknown field"), "{path}: {got}");
        } else {
            assert!(got.contains(expect), "{path}: {got}");
        }
    }
    // A typo in a field is caught by the format's deny_unknown_fields.
    let mut d = doc();
    set(&mut d, "cause.c.per_yaer", 1.0).unwrap();
    let e = compile(&d, "t (with --set cause.c.per_yaer=1)").unwrap_err();
    assert!(e.to_string().contains("unknown field `per_yaer`"), "{e}");
    assert!(
        e.to_string()
            .starts_with("t (with --set cause.c.per_yaer=1)"),
        "{e}"
    );
}

#[test]
fn invalid_values_get_the_validation_message() {
    let e = apply_all(
        &doc(),
        "t.toml",
        &[Assignment {
            path: "cause.c.per_year".into(),
            value: -1.0,
        }],
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "t.toml (with --set cause.c.per_year=-1): cause \"c\": per_year is -1; it must be 0 or more"
    );
}

#[test]
fn scaling_a_duration_scales_every_time_parameter() {
    let mut d = doc();
    scale_duration(&mut d, "component.a.outages.duration", 2.0).unwrap();
    scale_duration(&mut d, "component.aws.use1.outages.duration", 0.5).unwrap();
    scale_duration(&mut d, "cause.c.duration", 2.0).unwrap();
    scale(&mut d, "cause.c.per_year", 0.5).unwrap();
    let (_, m) = compile(&d, "t").unwrap();
    let mean = |id: &str| m.sources[m.source_index(id).unwrap()].duration.mean();
    let base = compile(&doc(), "t").unwrap().1;
    let base_mean = |id: &str| base.sources[base.source_index(id).unwrap()].duration.mean();
    assert!((mean("a") - 2.0 * base_mean("a")).abs() < 1e-12);
    assert_eq!(mean("aws.use1"), 0.5 * base_mean("aws.use1"));
    assert_eq!(mean("c"), 6.0);
    assert_eq!(m.sources[m.source_index("c").unwrap()].per_year, 0.25);
}

/// `--set` reaches the service-level and client fields, one of each kind:
/// a component's number, an integer, a need's field by id, a plain hit's
/// severity, an outage table's severity, a policy-free architecture number.
#[test]
fn service_level_fields_are_reachable() {
    let text = DOC.replace("mode = \"quorum\"\nquorum = 1", "mode = \"failover\"");
    let d0 = document(&text, "t.toml").unwrap();
    let changes = [
        ("component.q.detect_minutes", 2.0),
        ("component.q.switch_minutes", 3.0),
        ("component.q.failback_minutes", 5.0),
        ("component.q.timeout_seconds", 10.0),
        ("component.q.retries", 2.0),
        ("component.q.needs.aws.use1.tolerate_minutes", 30.0),
        ("cause.c.hits.aws.use1.severity", 0.4),
        ("component.a.outages.severity", 0.7),
        ("component.a.outages.duration.max_hours", 12.0),
        ("architecture.x.down_below", 0.5),
    ];
    let assignments: Vec<Assignment> = changes
        .iter()
        .map(|&(path, value)| Assignment {
            path: path.into(),
            value,
        })
        .collect();
    let (_, m) = apply_all(&d0, "t.toml", &assignments).unwrap();
    let q = &m.components[m.component_index("q").unwrap()];
    assert_eq!(q.client.failback_hours, 5.0 / 60.0);
    assert_eq!(q.client.hang_hours, 10.0 * 3.0 / 3600.0);
    assert_eq!(
        q.mode,
        crate::model::Mode::Failover {
            switch_hours: 3.0 / 60.0,
            retry: false
        }
    );
    let k = q
        .needs
        .iter()
        .position(|&n| m.components[n].id == "aws.use1")
        .unwrap();
    assert_eq!(q.tolerate_hours[k], 0.5);
    let c = &m.sources[m.source_index("c").unwrap()];
    let use1 = m.component_index("aws.use1").unwrap();
    let hit = c.targets.iter().find(|t| t.component == use1).unwrap();
    assert_eq!((hit.probability, hit.severity.mean()), (0.5, 0.4));
    let a = &m.sources[m.source_index("a").unwrap()];
    assert_eq!(a.targets[0].severity.mean(), 0.7);
    assert_eq!(a.duration.max, Some(12.0));
    assert_eq!(m.architectures[0].down_below, 0.5);
    // Weights are a list: named, not changed.
    let mut d = document(
        &text.replace("mode = \"failover\"", "mode = \"any\"\nweights = [1, 2]"),
        "t.toml",
    )
    .unwrap();
    let e = set(&mut d, "component.q.weights.0", 3.0).unwrap_err();
    assert!(e.contains("weights is an array"), "{e}");
}
