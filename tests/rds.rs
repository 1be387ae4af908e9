//! Realistic disaster scenarios (`fateshare drill --book`, docs/insurance.md
//! §14): each policy's payout equals its payout formula on the forced
//! outage, computed by hand; the book's gross is their sum; and its place on
//! the OEP and AEP curves is exactly the share of a run's trials (same seed
//! and trials) whose largest event, or total, is at least as large; net of
//! a quota share and a cat XL by hand, each treaty's ceded amount, and the
//! net's place on the net OEP curve read from the run's `ri_S1_splt.csv`.

use crate::common;
use common::{run, run_quiet, write};
use std::collections::HashMap;

const BOOK: &str = r#"name = "rds"
[simulation]
trials = 3000
seed = 5
[[component]]
id = "cloud"
[[component]]
id = "other"
outages = { per_year = 3, duration = { dist = "exponential", mean_hours = 10 } }
[[component]]
id = "app"
needs = ["cloud"]
[[component]]
id = "app-2"
needs = ["other"]
[[cause]]
id = "region"
per_year = 2
duration = { dist = "exponential", mean_hours = 30 }
hits = { cloud = 1.0 }
[[architecture]]
id = "shop"
serves = "app"
loss = { per_hour = 500, per_outage = 2000 }
[[architecture]]
id = "shop-2"
serves = "app-2"
loss = { per_hour = 100 }
[[drill]]
id = "region-3-days"
causes = ["region"]
hours = 72
at_hours = 100
[[drill]]
id = "region-10-hours"
causes = ["region"]
hours = 10
at_hours = 100
[[policy]]
id = "hourly"
kind = "parametric"
index = "cloud"
insured = "shop"
waiting_hours = 8
pay_per_hour = 1000
max_hours_per_event = 48
event_limit = 40000
portfolio = "book"
[[policy]]
id = "franchise"
kind = "parametric"
index = "app"
insured = "shop"
waiting_hours = 24
franchise = true
pay_per_hour = 100
portfolio = "book"
[[policy]]
id = "bi"
kind = "indemnity"
insured = "shop"
deductible = 5000
share = 0.8
portfolio = "book"
[[policy]]
id = "elsewhere"
kind = "indemnity"
insured = "shop-2"
portfolio = "book"
"#;

fn rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(r: &HashMap<String, String>, k: &str) -> f64 {
    r[k].parse().unwrap_or_else(|_| panic!("{k} = {}", r[k]))
}

#[test]
fn rds_payouts_follow_the_policy_formulas_and_sit_on_the_book_curves() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "book.toml", BOOK);
    let out = dir.path().join("out");
    // The run the return periods are read against: the scenario's trials and seed.
    run_quiet(&file, &out, &[]);
    let o = run(&[
        "drill",
        file.to_str().unwrap(),
        "--all",
        "--book",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    // By hand, 72 h: hourly pays min(1000 × min(72 − 8, 48), 40000) = 40000;
    // franchise 100 × 72 = 7200 (72 > 24, paid from hour 0); the insured
    // loses 2000 + 500 × 72 = 38000 and bi pays 0.8 × (38000 − 5000) = 26400.
    // 10 h: hourly 1000 × 2 = 2000; franchise nothing (10 ≤ 24); bi
    // 0.8 × (2000 + 5000 − 5000) = 1600. "elsewhere" is not hit.
    let want: HashMap<(&str, &str), f64> = [
        (("region-3-days", "hourly"), 40000.0),
        (("region-3-days", "franchise"), 7200.0),
        (("region-3-days", "bi"), 26400.0),
        (("region-3-days", "elsewhere"), 0.0),
        (("region-10-hours", "hourly"), 2000.0),
        (("region-10-hours", "franchise"), 0.0),
        (("region-10-hours", "bi"), 1600.0),
        (("region-10-hours", "elsewhere"), 0.0),
    ]
    .into_iter()
    .collect();
    // report.html shows the book's table (templates/rds.html).
    let html = read("report.html");
    assert!(
        html.contains("Realistic disaster scenarios"),
        "no RDS section"
    );
    assert!(html.contains("73,600") && html.contains("region-3-days"));
    let policies = rows(&read("rds_policies.csv"));
    assert_eq!(policies.len(), 8);
    for r in &policies {
        let key = (r["drill"].as_str(), r["policy"].as_str());
        assert_eq!(num(r, "payout"), want[&key], "{key:?}");
    }
    let book = rows(&read("rds.csv"));
    assert_eq!(book.len(), 2);
    let gross: HashMap<&str, f64> = [("region-3-days", 73600.0), ("region-10-hours", 3600.0)]
        .into_iter()
        .collect();
    // The run's largest event and total per period, from its own tables: all
    // four policies are in portfolio "book", so il_S2 rows are the book's events.
    let mut largest = vec![0.0f64; 3000];
    for r in rows(&read("il_S2_splt.csv")) {
        let t = num(&r, "Period") as usize - 1;
        largest[t] = largest[t].max(num(&r, "Loss"));
    }
    let mut total = vec![0.0f64; 3000];
    for r in rows(&read("policy_trials.csv")) {
        total[num(&r, "trial") as usize] += num(&r, "payout");
    }
    for r in &book {
        let g = gross[r["drill"].as_str()];
        assert_eq!(num(r, "gross_loss"), g);
        assert_eq!(r["net_loss"], "", "no treaties: no net figure");
        assert_eq!(r["trials"], "3000");
        for (curve, per) in [("oep", &largest), ("aep", &total)] {
            let k = per.iter().filter(|&&x| x >= g).count();
            let p = num(r, &format!("{curve}_exceedance_probability"));
            assert_eq!(p, k as f64 / 3000.0, "{curve} of {}", r["drill"]);
            assert!(k > 0, "the scenario is reached by the run");
            let (lo, hi) = (
                num(r, &format!("{curve}_exceedance_ci_low")),
                num(r, &format!("{curve}_exceedance_ci_high")),
            );
            assert!(lo < p && p < hi);
            assert_eq!(num(r, &format!("{curve}_return_period")), 1.0 / p);
        }
        // The largest event of a period is at most its total.
        assert!(num(r, "oep_exceedance_probability") <= num(r, "aep_exceedance_probability"));
    }
}

#[test]
fn book_needs_policies() {
    let dir = tempfile::tempdir().unwrap();
    let plain = BOOK.split("[[policy]]").next().unwrap();
    let file = write(dir.path(), "plain.toml", plain);
    let out = dir.path().join("out");
    let o = run(&[
        "drill",
        file.to_str().unwrap(),
        "--all",
        "--book",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plain.toml") && err.contains("[[policy]]"),
        "{err}"
    );
    assert!(!out.join("rds.csv").exists());
}

const TREATIES: &str = r#"
[[treaty]]
id = "qs"
kind = "quota_share"
cession = 0.3
[[treaty]]
id = "cat"
kind = "cat_xl"
attachment = 10000
limit = 20000
"#;

#[test]
fn rds_net_of_a_quota_share_and_a_cat_xl_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "book.toml", &format!("{BOOK}{TREATIES}"));
    let out = dir.path().join("out");
    run_quiet(&file, &out, &[]);
    let o = run(&[
        "drill",
        file.to_str().unwrap(),
        "--all",
        "--book",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    // By hand, 3 days: gross 73600 (as above); the quota share cedes
    // 0.3 × 73600 = 22080, leaving 51520; the scenario is one event, and
    // 20000 xs 10000 takes min(51520 − 10000, 20000) = 20000: net 31520.
    // 10 hours: gross 3600, qs 1080, 2520 retained is under the attachment.
    let want: HashMap<&str, [f64; 4]> = [
        ("region-3-days", [73600.0, 22080.0, 20000.0, 31520.0]),
        ("region-10-hours", [3600.0, 1080.0, 0.0, 2520.0]),
    ]
    .into_iter()
    .collect();
    let book = rows(&read("rds.csv"));
    assert_eq!(book.len(), 2);
    // The run's largest net event per period, from ri_S1_splt.csv.
    let mut events: HashMap<(usize, u64), f64> = HashMap::new();
    for r in rows(&read("ri_S1_splt.csv")) {
        let key = (num(&r, "Period") as usize - 1, num(&r, "EventId") as u64);
        *events.entry(key).or_default() += num(&r, "Loss");
    }
    let mut largest_net = vec![0.0f64; 3000];
    for ((t, _), x) in events {
        largest_net[t] = largest_net[t].max(x);
    }
    for r in &book {
        let [gross, qs, cat, net] = want[r["drill"].as_str()];
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * gross;
        assert!(close(num(r, "gross_loss"), gross), "{}", r["drill"]);
        assert!(close(num(r, "ceded:qs"), qs), "{}", r["drill"]);
        assert!(close(num(r, "ceded:cat"), cat), "{}", r["drill"]);
        assert!(close(num(r, "net_loss"), net), "{}", r["drill"]);
        assert!(close(qs + cat + net, gross));
        // The net on the net OEP curve: the share of periods whose largest net
        // event is at least as large (bracketed for the sums' rounding).
        let at_least = |x: f64| largest_net.iter().filter(|&&y| y >= x).count() as f64 / 3000.0;
        let p = num(r, "net_oep_exceedance_probability");
        assert!(
            at_least(net * (1.0 + 1e-9)) <= p && p <= at_least(net * (1.0 - 1e-9)),
            "{}: {p}",
            r["drill"]
        );
    }
    // Per policy: ceded + net = gross, and the nets sum to the book's net.
    let policies = rows(&read("rds_policies.csv"));
    for (drill, [gross, _, cat, net]) in &want {
        let of: Vec<_> = policies.iter().filter(|r| r["drill"] == *drill).collect();
        let sum: f64 = of.iter().map(|r| num(r, "net")).sum();
        assert!((sum - net).abs() < 1e-9 * gross, "{drill}: {sum}");
        for r in of {
            let payout = num(r, "payout");
            let retained = 0.7 * payout;
            let share = if *cat > 0.0 { cat / (0.7 * gross) } else { 0.0 };
            let want = retained * (1.0 - share);
            assert!(
                (num(r, "net") - want).abs() < 1e-9 * gross,
                "{drill} {}",
                r["policy"]
            );
        }
    }
    let html = read("report.html");
    assert!(html.contains("ceded: qs") && html.contains("ceded: cat"));
    assert!(html.contains("31,520") && html.contains("22,080"));
}
