//! accumulation.csv (docs/insurance.md § 14): limits exposed add up by hand,
//! co-TVaR allocations add up to the portfolio's TVaR 99.5% (the `book` row
//! and any partition such as the sectors), and exposure follows what can
//! trigger each payout.

use crate::common;
use common::*;
use fateshare::engine::RunOptions;
use fateshare::insurance::accumulation::Row;
use fateshare::insurance::{self, Options};
use fateshare::model::Settings;

/// Two clouds' regions behind DNS providers; a cause takes dns-x and r1.
/// p1 (parametric on r1), p2 (indemnity on an insured using r2 and dns-y),
/// p3 (indemnity, no annual limit, on an insured failing over r1 → r2).
const BOOK: &str = r#"
name = "accumulation"
[[component]]
id = "r1"
provider = "cloud-1"
jurisdiction = "us"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 30 } }
[[component]]
id = "r2"
provider = "cloud-2"
jurisdiction = "eu"
outages = { per_year = 3, duration = { dist = "exponential", mean_hours = 40 } }
[[component]]
id = "dns-x"
provider = "dnsco"
[[component]]
id = "dns-y"
provider = "dnsco"
outages = { per_year = 1, duration = { dist = "exponential", mean_hours = 5 } }
[[component]]
id = "site-1"
needs = ["dns-x", "r1"]
[[component]]
id = "site-2"
needs = ["dns-y", "r2"]
[[component]]
id = "both"
needs = ["r1", "r2"]
mode = "failover"
[[component]]
id = "site-3"
needs = ["dns-x", "both"]
[[cause]]
id = "push"
per_year = 2
duration = { dist = "exponential", mean_hours = 20 }
hits = { dns-x = 1.0 }
[[architecture]]
id = "a1"
serves = "site-1"
sector = "retail"
loss = { per_hour = 10000 }
[[architecture]]
id = "a2"
serves = "site-2"
sector = "saas"
loss = { per_hour = 20000 }
[[architecture]]
id = "a3"
serves = "site-3"
sector = "retail"
loss = { per_hour = 30000 }
[[policy]]
id = "p1"
kind = "parametric"
insured = "a1"
index = "r1"
waiting_hours = 2
pay_per_hour = 10000
event_limit = 100000
annual_limit = 300000
portfolio = "book"
[[policy]]
id = "p2"
kind = "indemnity"
insured = "a2"
deductible = 10000
share = 0.9
event_limit = 500000
annual_limit = 400000
portfolio = "book"
[[policy]]
id = "p3"
kind = "indemnity"
insured = "a3"
deductible = 20000
share = 0.8
event_limit = 700000
portfolio = "book"
"#;

fn rows() -> (Vec<Row>, f64) {
    let model = model(BOOK);
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: 4000,
        seed: 3,
    };
    let opts = Options {
        ord: false,
        per_trial: false,
    };
    let (_, ins) = insurance::run(&model, &settings, &RunOptions::default(), opts);
    let ins = ins.unwrap();
    (ins.accumulation.clone(), ins.portfolios[0].tvar995)
}

fn row<'a>(rows: &'a [Row], dim: &str, key: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.dimension == dim && r.key == key)
        .unwrap_or_else(|| panic!("no row {dim} {key}"))
}

#[test]
fn limits_exposed_add_up_by_hand() {
    let (rows, _) = rows();
    // (dimension, key, policies, Σ annual limits, Σ min(event, annual), unlimited)
    // p1: triggered by r1 alone (its index): cloud-1, us, r1.
    // p2: site-2 → dns-y, r2: dnsco, cloud-2, eu.
    // p3: site-3 → dns-x, both → r1, r2: every provider, us and eu, cause push.
    let expected = [
        (
            "book",
            "book",
            3,
            700_000.0,
            100_000.0 + 400_000.0 + 700_000.0,
            1,
        ),
        ("sector", "retail", 2, 300_000.0, 800_000.0, 1),
        ("sector", "saas", 1, 400_000.0, 400_000.0, 0),
        ("provider", "cloud-1", 2, 300_000.0, 800_000.0, 1),
        ("provider", "cloud-2", 2, 400_000.0, 1_100_000.0, 1),
        ("provider", "dnsco", 2, 400_000.0, 1_100_000.0, 1),
        ("jurisdiction", "us", 2, 300_000.0, 800_000.0, 1),
        ("jurisdiction", "eu", 2, 400_000.0, 1_100_000.0, 1),
        ("component", "r1", 2, 300_000.0, 800_000.0, 1),
        ("component", "r2", 2, 400_000.0, 1_100_000.0, 1),
        ("component", "dns-x", 1, 0.0, 700_000.0, 1),
        ("component", "dns-y", 1, 400_000.0, 400_000.0, 0),
        ("cause", "push", 1, 0.0, 700_000.0, 1),
    ];
    for (dim, key, n, annual, event, unlimited) in expected {
        let r = row(&rows, dim, key);
        assert_eq!(
            (r.policies, r.annual_limits, r.event_limits, r.unlimited),
            (n, annual, event, unlimited),
            "{dim} {key}"
        );
    }
    assert_eq!(rows.len(), expected.len(), "{rows:#?}");
    // Within a dimension, the largest single-event accumulation comes first.
    let components: Vec<&str> = rows
        .iter()
        .filter(|r| r.dimension == "component")
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(components, ["r2", "r1", "dns-x", "dns-y"]);
}

#[test]
fn co_tvar_allocations_add_up_to_the_tvar() {
    let (rows, tvar) = rows();
    assert!(tvar > 0.0);
    let close = |x: f64, what: &str| {
        assert!(
            (x - tvar).abs() <= 1e-9 * tvar,
            "{what}: {x} vs TVaR {tvar}"
        );
    };
    close(row(&rows, "book", "book").co_tvar995, "book");
    assert!((row(&rows, "book", "book").share_of_tvar995.unwrap() - 1.0).abs() < 1e-12);
    // The sectors partition the book: their co-TVaRs add up to the TVaR, and
    // so do their expected payouts to the book's.
    let sectors: Vec<&Row> = rows.iter().filter(|r| r.dimension == "sector").collect();
    close(sectors.iter().map(|r| r.co_tvar995).sum(), "sectors");
    let book = row(&rows, "book", "book").expected_payout;
    let sum: f64 = sectors.iter().map(|r| r.expected_payout).sum();
    assert!((sum - book).abs() <= 1e-9 * book, "{sum} vs {book}");
    // Overlapping keys carry each exposed policy's whole co-TVaR: r1's row is
    // p1's plus p3's, never more than the book's.
    let r1 = row(&rows, "component", "r1").co_tvar995;
    assert!(r1 <= tvar * (1.0 + 1e-12));
}
