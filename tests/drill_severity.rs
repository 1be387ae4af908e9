//! `drill --severity S`: a forced outage that fails the share S of requests,
//! exact on a world holding only the drill; bad values exit 2.

use crate::common;
use common::*;
use fateshare::drill;
use fateshare::model::Drill;

const KV: &str = r#"name = "kv"
[[component]]
id = "kv"
outages = { per_year = 1.0, duration = { dist = "fixed", hours = 1.0 } }
[[component]]
id = "app"
needs = ["kv"]
[[architecture]]
id = "app"
serves = "app"
loss = { per_hour = 100 }
[[architecture]]
id = "tolerant"
serves = "app"
down_below = 0.05
"#;

fn kv_drill(severity: f64) -> Drill {
    Drill {
        id: "kv".into(),
        description: None,
        causes: vec!["kv".into()],
        hours: 2.0,
        at_hours: Some(10.0),
        source: None,
        severity,
    }
}

#[test]
fn a_partial_drill_loses_its_share() {
    let mut m = model(KV);
    m.service_levels = true;
    let e = drill::deterministic(&m, &drill::forced_events(&m, &kv_drill(0.9)));
    // Below full service for the 2 h; the loss is per_hour × 0.9 × 2 h.
    assert_eq!(e[0].downtime_hours, 2.0);
    assert!((e[0].loss.unwrap() - 180.0).abs() < 1e-9, "{:?}", e[0].loss);
    // Serving 10% is not down at down_below = 0.05.
    assert!(!e[1].went_down, "{:?}", e[1]);
    // Severity 1 on service levels is the binary drill.
    let binary = model(KV);
    assert_eq!(
        drill::deterministic(&m, &drill::forced_events(&m, &kv_drill(1.0))),
        drill::deterministic(&binary, &drill::forced_events(&binary, &kv_drill(1.0)))
    );
}

#[test]
fn the_command_takes_severity_and_refuses_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "kv.toml", KV);
    let out = dir.path().join("d");
    let args = |s: &str| {
        vec![
            "drill".to_string(),
            file.to_str().unwrap().to_string(),
            "--cause".into(),
            "kv".into(),
            "--hours".into(),
            "2".into(),
            "--severity".into(),
            s.into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ]
    };
    for bad in ["0", "1.5", "-0.2"] {
        let a = args(bad);
        let o = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{bad}: {err}");
        assert!(err.contains(&format!("--severity {bad}")), "{err}");
        assert!(!out.exists());
    }
    let a = args("0.9");
    let o = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
