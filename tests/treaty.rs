//! Reinsurance treaties (`[[treaty]]`): quota share and excess-of-loss layers
//! against closed forms for policies whose annual loss is a Poisson count of
//! fixed losses (trial by trial exactly, and in expectation within the run's
//! interval), inuring order, reinstatements and exhaustion on events set by
//! hand, ceded + net = gross per event and per period, the `ri` tables and
//! bad treaty tables refused with their place and fix.

use crate::common;
use common::*;
use fateshare::insurance::treaties::premium;
use fateshare::insurance::treaty::{apply_all, cover_flags, one_event, Piece};
use fateshare::insurance::{self, Insurance, Options};
use fateshare::model::{Model, Settings};
use fateshare::stats::Moments;

fn run(model: &Model, trials: u64, seed: u64) -> (fateshare::engine::Simulation, Insurance) {
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials,
        seed,
    };
    let opts = Options {
        ord: true,
        per_trial: true,
    };
    let (sim, ins) = insurance::run(
        model,
        &settings,
        &fateshare::engine::RunOptions::default(),
        opts,
    );
    (sim, ins.expect("insurance results"))
}

fn poisson_pmf(lambda: f64, n: u32) -> f64 {
    let mut p = (-lambda).exp();
    for k in 1..=n {
        p *= lambda / f64::from(k);
    }
    p
}

/// E[f(N)] for N ~ Poisson(λ).
fn poisson_mean(lambda: f64, f: impl Fn(f64) -> f64) -> f64 {
    (0..80)
        .map(|n| poisson_pmf(lambda, n) * f(f64::from(n)))
        .sum()
}

/// ρ-bounded bias of per-outage payouts against per-event closed forms (as
/// tests/insurance.rs): at most λ · 2ρ merged events per period, each changing
/// the period's figure by at most `max_change`.
fn overlap_bias(per_year: f64, hours: f64, max_change: f64) -> f64 {
    max_change * per_year * 2.0 * per_year / H_YEAR * hours
}

const LAMBDA: f64 = 3.0;

/// One service with outages of a fixed tiny length, Poisson(3) a year, each
/// losing 10; five identical indemnity policies pay 10 per outage, so each
/// policy's annual payout is L = 10 N with N ~ Poisson(3).
fn book(treaties: &str) -> String {
    let mut s = format!(
        r#"name = "treaty closed forms"
[[component]]
id = "svc"
outages = {{ per_year = {LAMBDA}, duration = {{ dist = "fixed", hours = 0.01 }} }}
[[architecture]]
id = "svc"
serves = "svc"
loss = {{ per_outage = 10 }}
"#
    );
    for id in ["a", "b", "c", "d", "e"] {
        s.push_str(&format!(
            "[[policy]]\nid = \"{id}\"\nkind = \"indemnity\"\ninsured = \"svc\"\n"
        ));
    }
    s + treaties
}

const TREATIES: &str = r#"
[[treaty]]
id = "qs"
kind = "quota_share"
policies = ["a"]
cession = 0.3

[[treaty]]
id = "cat"
kind = "cat_xl"
policies = ["b"]
attachment = 4
limit = 5
reinstatements = 1
reinstatement_rate = 0.5
loading = 0.2

[[treaty]]
id = "stop"
kind = "cat_xl"
policies = ["c"]
aggregate_deductible = 15
aggregate_limit = 20

[[treaty]]
id = "risk"
kind = "per_risk_xl"
policies = ["d", "e"]
attachment = 6
limit = 4
aggregate_limit = 1000

[[treaty]]
id = "cat-de"
kind = "cat_xl"
policies = ["d", "e"]
attachment = 10
limit = 100
"#;

/// Each treaty's ceded loss as a function of N (the period's outages).
fn ceded_of_n(k: usize, n: f64) -> f64 {
    match k {
        // 0.3 × 10 N.
        0 => 3.0 * n,
        // min(max(10 − 4, 0), 5) = 5 per event, 2 limits a period.
        1 => (5.0 * n).min(10.0),
        // The scope's stop loss: min(max(L − 15, 0), 20) with L = 10 N.
        2 => (10.0 * n - 15.0).clamp(0.0, 20.0),
        // 4 xs 6 on each of two risks of 10: 8 per event (aggregate 1000 never reached).
        3 => 8.0 * n,
        // Inuring: the two risks retain 6 each, 12 per event; 100 xs 10 takes 2.
        _ => 2.0 * n,
    }
}

#[test]
fn layers_match_poisson_closed_forms() {
    let m = model(&book(TREATIES));
    let (sim, ins) = run(&m, 100_000, 31);
    let res = ins.treaties.as_ref().expect("treaty results");
    let nt = m.treaties.len();
    // Trial by trial, exactly.
    for (t, o) in sim.of(0).enumerate() {
        let n = f64::from(o.outages);
        for k in 0..nt {
            let y = res.years[t * nt + k];
            assert!(
                (y.ceded - ceded_of_n(k, n)).abs() < 1e-9,
                "trial {t}, treaty {}: {} with {n} outages",
                m.treaties[k].id,
                y.ceded
            );
        }
        let cat = res.years[t * nt + 1];
        assert_eq!(cat.exhausted, o.outages >= 2, "trial {t}");
        assert_eq!(cat.reinstated, cat.ceded.min(5.0));
    }
    // In expectation, against the Poisson pmf.
    for k in 0..nt {
        let exact = poisson_mean(LAMBDA, |n| ceded_of_n(k, n));
        let sim_k = Moments::of(res.years.iter().skip(k).step_by(nt).map(|y| y.ceded));
        let bias = overlap_bias(LAMBDA, 0.01, 30.0);
        assert_close(&m.treaties[k].id, &sim_k, exact, bias);
        assert!((res.rows[k].expected - sim_k.mean).abs() < 1e-9 * exact);
    }
    let p_attach = 1.0 - poisson_pmf(LAMBDA, 0);
    let p_exhaust = 1.0 - poisson_pmf(LAMBDA, 0) - poisson_pmf(LAMBDA, 1);
    let ex = Moments::of(
        res.years
            .iter()
            .skip(1)
            .step_by(nt)
            .map(|y| f64::from(u8::from(y.exhausted))),
    );
    assert_close(
        "cat exhaustion",
        &ex,
        p_exhaust,
        overlap_bias(LAMBDA, 0.01, 1.0),
    );
    let cat = &res.rows[1];
    let ex_row = cat.exhaustion.expect("a finite aggregate limit");
    assert!((ex_row.p - ex.mean).abs() < 1e-12);
    assert!(ex_row.lo <= ex_row.p && ex_row.p <= ex_row.hi);
    assert!(
        (cat.attachment.p - p_attach).abs() < Z * (p_attach * (1.0 - p_attach) / 1e5).sqrt() + 1e-3
    );
    // Premium with one reinstatement at 50%: P (1 + 0.5 E[min(C, 5)] / 5) = 1.2 E[C].
    let e_c = poisson_mean(LAMBDA, |n| (5.0 * n).min(10.0));
    let e_r = poisson_mean(LAMBDA, |n| (5.0 * n).min(5.0));
    let p_exact = 1.2 * e_c / (1.0 + 0.5 * e_r / 5.0);
    let p = cat.premium.unwrap();
    assert!((p - p_exact).abs() < 0.02 * p_exact, "{p} vs {p_exact}");
    let rip = cat.reinstatement_premium.unwrap();
    assert!((p + rip - 1.2 * cat.expected).abs() < 1e-9 * p);
    assert!((cat.rate_on_line.unwrap() - p / 5.0).abs() < 1e-12);
    // A quota share has no limit, so no rate on line and no exhaustion.
    assert_eq!(
        (res.rows[0].rate_on_line, res.rows[0].exhaustion),
        (None, None)
    );
}

#[test]
fn reinstatements_and_exhaustion_on_events_set_by_hand() {
    // 100 xs 50 per event, two reinstatements at 100%: 300 a period.
    let m = model(&book(
        r#"
[[treaty]]
id = "cat"
kind = "cat_xl"
attachment = 50
limit = 100
reinstatements = 2
"#,
    ));
    let t = &m.treaties[0];
    assert_eq!(t.aggregate_limit, 300.0);
    assert_eq!(t.policies, vec![0, 1, 2, 3, 4]);
    // Four events of one policy: layer amounts 70, 100, 40, 100.
    let mut pieces: Vec<Piece> = [120.0, 200.0, 90.0, 400.0]
        .iter()
        .enumerate()
        .map(|(i, &x)| Piece::new(0, i as u64 + 1, 100.0 * i as f64, 100.0 * i as f64 + 1.0, x))
        .collect();
    let y = apply_all(&m.treaties, &cover_flags(&m.treaties, 5), &mut pieces)[0];
    // 70 + 100 + 40 = 210, then 90 of the last 100: the aggregate is used up.
    assert_eq!(y.ceded, 300.0);
    assert!(y.exhausted);
    assert_eq!(y.max_event, 100.0);
    let nets: Vec<f64> = pieces.iter().map(|p| p.net).collect();
    assert_eq!(nets, vec![50.0, 100.0, 50.0, 310.0]);
    // Two limits reinstated: the reinstatement premium is 2 P.
    assert_eq!(y.reinstated, 200.0);
    let (p, rip) = premium(t, 150.0, 100.0);
    // P (1 + 1.0 × 100 / 100) = 150.
    assert_eq!((p, rip), (75.0, Some(75.0)));
    // Three events of 60: 10 each; not exhausted; 30 reinstated.
    let mut pieces: Vec<Piece> = (0..3u32)
        .map(|i| {
            Piece::new(
                1,
                u64::from(i) + 1,
                10.0 * f64::from(i),
                10.0 * f64::from(i) + 1.0,
                60.0,
            )
        })
        .collect();
    let y = apply_all(&m.treaties, &cover_flags(&m.treaties, 5), &mut pieces)[0];
    assert_eq!((y.ceded, y.exhausted, y.reinstated), (30.0, false, 30.0));
    // One event hitting every policy at once: 5 × 60 = 300 → 100 ceded.
    let (ceded, net) = one_event(
        &m.treaties,
        5,
        &[(0, 60.0), (1, 60.0), (2, 60.0), (3, 60.0), (4, 60.0)],
    );
    assert_eq!((ceded, net), (vec![100.0], vec![40.0; 5]));
}

/// Two services that share a cause, parametric and indemnity covers on both:
/// events overlap across policies, so catastrophe events join several payouts.
const SHARED: &str = r#"name = "treaty relations"
[[component]]
id = "east"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 6 } }
[[component]]
id = "west"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 6 } }
[[cause]]
id = "dns"
per_year = 3
duration = { dist = "exponential", mean_hours = 10 }
hits = { east = 1.0, west = 1.0 }
[[architecture]]
id = "east"
serves = "east"
loss = { per_hour = 1000, per_outage = 500 }
[[architecture]]
id = "west"
serves = "west"
loss = { per_hour = 2000 }
[[policy]]
id = "east-bi"
kind = "indemnity"
insured = "east"
deductible = 2000
event_limit = 20000
annual_limit = 50000
[[policy]]
id = "west-bi"
kind = "indemnity"
insured = "west"
share = 0.9
[[policy]]
id = "west-par"
kind = "parametric"
insured = "west"
index = "west"
waiting_hours = 2
pay_per_hour = 1500
max_hours_per_event = 24
[[treaty]]
id = "qs"
kind = "quota_share"
cession = 0.25
[[treaty]]
id = "risk"
kind = "per_risk_xl"
policies = ["west-bi", "west-par"]
attachment = 5000
limit = 10000
reinstatements = 2
[[treaty]]
id = "cat"
kind = "cat_xl"
attachment = 8000
limit = 30000
reinstatements = 1
loading = 0.25
"#;

#[test]
fn ceded_plus_net_is_gross_per_event_and_per_period() {
    let m = model(SHARED);
    let (_, ins) = run(&m, 20_000, 5);
    let res = ins.treaties.as_ref().unwrap();
    let nt = m.treaties.len();
    let np = m.policies.len();
    assert_eq!(res.net_events.len(), ins.table.events.len());
    let mut joined = 0;
    let mut per_trial_ceded = vec![0.0; 20_000];
    for (e, &net) in ins.table.events.iter().zip(&res.net_events) {
        assert!(
            net >= 0.0 && net <= e.payout + 1e-9,
            "{net} of {}",
            e.payout
        );
        per_trial_ceded[e.trial as usize] += e.payout - net;
    }
    for (t, book) in res.book.iter().enumerate() {
        let [gross, ceded, net] = *book;
        let il: f64 = ins.table.years[t * np..(t + 1) * np]
            .iter()
            .map(|y| y.payout)
            .sum();
        let tol = 1e-9 * gross.max(1.0);
        assert!((gross - il).abs() < tol, "trial {t}: {gross} vs {il}");
        assert!((ceded + net - gross).abs() < tol, "trial {t}");
        let by_treaty: f64 = res.years[t * nt..(t + 1) * nt]
            .iter()
            .map(|y| y.ceded)
            .sum();
        assert!(
            (by_treaty - ceded).abs() < tol,
            "trial {t}: {by_treaty} vs {ceded}"
        );
        assert!((per_trial_ceded[t] - ceded).abs() < tol, "trial {t}");
        // A treaty's event is the EventId: the book's gross occurrence loss
        // is the observer's largest event, and net ≤ gross per event.
        let [gross_max, _, net_max] = res.book_max[t];
        assert!(
            (gross_max - ins.table.book_max[t]).abs() < tol,
            "trial {t}: {gross_max} vs {}",
            ins.table.book_max[t]
        );
        assert!(net_max <= gross_max + tol);
        joined += usize::from(res.years[t * nt + 2].max_event > 0.0);
    }
    assert!(joined > 1000, "the cat layer must be exercised: {joined}");
    // In expectation: the book's gross = ceded + net, and the ri tables are il less ceded.
    let rows = &res.rows;
    let (gross, ceded, net) = (&rows[nt], &rows[nt + 1], &rows[nt + 2]);
    assert_eq!(
        (gross.view.as_str(), ceded.view.as_str(), net.view.as_str()),
        ("gross", "ceded", "net")
    );
    assert!((ceded.expected + net.expected - gross.expected).abs() < 1e-9 * gross.expected);
    let treaties: f64 = rows[..nt].iter().map(|r| r.expected).sum();
    assert!((treaties - ceded.expected).abs() < 1e-9 * gross.expected);
    use fateshare::insurance::ord::SummaryKind;
    let il: f64 = ins.ord.set(SummaryKind::Policy).map(|s| s.mean).sum();
    let ri: f64 = ins.ord.set(SummaryKind::RiPolicy).map(|s| s.mean).sum();
    assert!((il - gross.expected).abs() < 1e-9 * il);
    assert!(
        (ri - net.expected).abs() < 1e-9 * il,
        "{ri} vs {}",
        net.expected
    );
    // Net of reinsurance never exceeds gross, at any return period.
    for (g, n) in gross.aep.iter().zip(&net.aep) {
        if let (Some(g), Some(n)) = (g, n) {
            assert!(n <= g);
        }
    }
}

#[test]
fn bad_treaties_are_refused_with_place_and_fix() {
    let base = book("");
    for (extra, says) in [
        ("[[treaty]]\nid = \"t\"\nkind = \"surplus\"\n", &["treaty \"t\"", "unknown kind \"surplus\"", "\"quota_share\""][..]),
        ("[[treaty]]\nid = \"t\"\nkind = \"quota_share\"\ncession = 1.5\n", &["treaty \"t\"", "cession = 1.5 is outside (0, 1]"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"quota_share\"\n", &["needs cession"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\npolicies = [\"zz\"]\nlimit = 5\n", &["unknown policy \"zz\"", "[[policy]]"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\ncession = 0.5\n", &["does not take cession"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"quota_share\"\ncession = 0.5\nlimit = 3\n", &["does not take limit"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\nreinstatements = 1\n", &["reinstatements need a limit", "add limit"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\nlimit = 5\nreinstatements = 1\naggregate_limit = 10\n", &["not both"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\nlimit = -5\n", &["limit is -5", "greater than 0"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\nportfolio = \"nope\"\n", &["portfolio = \"nope\""]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\n[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\n", &["treaty ids must be unique"]),
        ("[[treaty]]\nid = \"t\"\nkind = \"cat_xl\"\nlayer = 3\n", &["unknown field `layer`"]),
    ] {
        assert_rejected(&format!("{base}{extra}"), says);
    }
    // A treaty without policies to reinsure.
    let no_policies = r#"name = "x"
[[component]]
id = "svc"
[[architecture]]
id = "svc"
serves = "svc"
[[treaty]]
id = "t"
kind = "cat_xl"
"#;
    assert_rejected(no_policies, &["treaty \"t\"", "no [[policy]]"]);
}

#[test]
fn ri_tables_and_treaties_csv_are_written_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.toml", SHARED);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    run_quiet(&file, &a, &["--trials", "3000", "--threads", "1"]);
    run_quiet(&file, &b, &["--trials", "3000", "--threads", "3"]);
    for name in [
        "treaties.csv",
        "treaty_ept.csv",
        "ri_S1_summary-info.csv",
        "ri_S1_palt.csv",
        "ri_S1_alct.csv",
        "ri_S1_ept.csv",
        "ri_S1_splt.csv",
    ] {
        let x = std::fs::read(a.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let y = std::fs::read(b.join(name)).unwrap();
        assert!(x == y, "{name} differs by thread count");
    }
    // report.html shows gross, ceded and net, and `fateshare report` redraws
    // it byte for byte from treaties.csv.
    let html = std::fs::read_to_string(a.join("report.html")).unwrap();
    let section = crate::common::outputs::section(&html, "treaties").expect("the treaties section");
    for says in [
        "treaty-book-table",
        "treaty-table",
        "gross",
        "ceded",
        "net",
        "cat_xl",
    ] {
        assert!(section.contains(says), "{says}");
    }
    let o = common::run(&["report", a.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let again = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(
        again == html,
        "fateshare report draws another treaties section"
    );
    // A damaged treaties.csv is refused, naming the file.
    let t = std::fs::read_to_string(a.join("treaties.csv")).unwrap();
    std::fs::write(
        a.join("treaties.csv"),
        t.replacen(",book,net,", ",book,nett,", 1),
    )
    .unwrap();
    let o = common::run(&["report", a.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("treaties.csv") && err.contains("run the scenario again"),
        "{err}"
    );
    let text = t;
    let views: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        views,
        [
            "qs,quota_share,ceded",
            "risk,per_risk_xl,ceded",
            "cat,cat_xl,ceded",
            ",book,gross",
            ",book,ceded",
            ",book,net"
        ]
    );
    // ri_S1_splt.csv: the paid outages of il_S1_splt.csv (the same period,
    // EventId, policy and start) with their loss net of reinsurance.
    let il = std::fs::read_to_string(a.join("il_S1_splt.csv")).unwrap();
    let ri = std::fs::read_to_string(a.join("ri_S1_splt.csv")).unwrap();
    let key = |r: &[&str]| r[..10].join(",");
    let mut gross: std::collections::HashMap<String, f64> = Default::default();
    for line in il.lines().skip(1) {
        let r: Vec<&str> = line.split(',').collect();
        *gross.entry(key(&r)).or_default() += r[10].parse::<f64>().unwrap();
    }
    let mut net: std::collections::HashMap<String, f64> = Default::default();
    for line in ri.lines().skip(1) {
        let r: Vec<&str> = line.split(',').collect();
        let x: f64 = r[10].parse().unwrap();
        assert!(x > 0.0, "{line}");
        *net.entry(key(&r)).or_default() += x;
    }
    assert!(net.len() > 100, "{} ri rows", net.len());
    for (k, n) in &net {
        let g = gross
            .get(k)
            .unwrap_or_else(|| panic!("ri row {k} is no il row"));
        assert!(*n <= g * (1.0 + 1e-12), "{k}: {n} > {g}");
    }
    // With --format parquet the ri tables are Parquet like the other ORD tables.
    let c = dir.path().join("c");
    run_quiet(&file, &c, &["--trials", "3000", "--format", "parquet"]);
    for name in ["ri_S1_splt.parquet", "ri_S1_ept.parquet", "treaties.csv"] {
        assert!(c.join(name).exists(), "{name}");
    }
    assert!(!c.join("ri_S1_splt.csv").exists());
}

#[test]
fn shards_merged_give_the_single_runs_treaty_tables() {
    // --no-trials-csv: the paid events are kept for the treaties all the same.
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "t.toml", SHARED);
    let f = file.to_str().unwrap();
    let one = dir.path().join("one");
    let flags = ["--trials", "1501", "--no-trials-csv", "-q"];
    let mut args = vec!["run", f, "--out", one.to_str().unwrap()];
    args.extend_from_slice(&flags);
    let o = common::run(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let parts: Vec<std::path::PathBuf> = (0..2)
        .map(|i| {
            let out = dir.path().join(format!("p{i}"));
            let spec = format!("{i}/2");
            let mut args = vec!["run", f, "--shard", &spec, "--out", out.to_str().unwrap()];
            args.extend_from_slice(&flags);
            let o = common::run(&args);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            out
        })
        .collect();
    let merged = dir.path().join("merged");
    let o = common::run(&[
        "merge",
        parts[1].to_str().unwrap(),
        parts[0].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for name in [
        "treaties.csv",
        "treaty_ept.csv",
        "ri_S1_palt.csv",
        "ri_S1_ept.csv",
    ] {
        let x = std::fs::read(one.join(name)).unwrap();
        assert!(x == std::fs::read(merged.join(name)).unwrap(), "{name}");
    }
    // And the treaties ceded something.
    let t = std::fs::read_to_string(one.join("treaties.csv")).unwrap();
    let ceded: f64 = t
        .lines()
        .nth(3)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .parse()
        .unwrap();
    assert!(ceded > 0.0, "{t}");
}
