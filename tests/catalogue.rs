//! The incident catalogue: the fits against hand computations, the bundled
//! data's integrity, and bad catalogue input.

use crate::common;

use common::run;
use fateshare::catalogue::fit::{fit_all, fit_class, LognormalFit, RatePosterior};
use fateshare::catalogue::special::{gamma_p, gamma_quantile, ln_gamma};
use fateshare::catalogue::Catalogue;
use std::collections::HashSet;

fn close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs(),
        "{what}: got {got}, want {want} (relative tolerance {rel})"
    );
}

#[test]
fn ln_gamma_and_incomplete_gamma_match_closed_forms() {
    // Γ(5) = 24, Γ(½) = √π, Γ(7.5) = 1871.2543057977884 (= 13!!/2^7 · √π).
    close("ln Γ(5)", ln_gamma(5.0), 24f64.ln(), 1e-13);
    close(
        "ln Γ(1/2)",
        ln_gamma(0.5),
        std::f64::consts::PI.sqrt().ln(),
        1e-13,
    );
    close(
        "Γ(7.5)",
        ln_gamma(7.5).exp(),
        135135.0 / 128.0 * std::f64::consts::PI.sqrt(),
        1e-12,
    );
    // Shape 1 is the exponential: P(1, x) = 1 − e^(−x), on both branches.
    for x in [0.1f64, 1.5, 2.5, 10.0] {
        close("P(1, x)", gamma_p(1.0, x), 1.0 - (-x).exp(), 1e-12);
    }
    // Shape 2: P(2, x) = 1 − (1 + x) e^(−x).
    for x in [0.5f64, 3.0, 8.0] {
        close(
            "P(2, x)",
            gamma_p(2.0, x),
            1.0 - (1.0 + x) * (-x).exp(),
            1e-12,
        );
    }
}

#[test]
fn rate_posterior_is_the_documented_gamma() {
    // k = 3 incidents over T = 5 years: Gamma(3.5, 5), mean 0.7.
    let p = RatePosterior::new(3, 5.0);
    assert_eq!((p.shape, p.rate), (3.5, 5.0));
    close("mean", p.mean(), 0.7, 1e-15);
    // Gamma(k + ½, T) = χ²(2k + 1) / (2T); χ²(7) has 5% and 95% points
    // 2.167349909298324 and 14.067140449340169 (tables).
    let (lo, hi) = p.interval90();
    close("5% point", lo, 2.167_349_909_298_324 / 10.0, 1e-9);
    close("95% point", hi, 14.067_140_449_340_169 / 10.0, 1e-9);
    // k = 0: Gamma(½, T) = Z² / (2T) with Z standard normal, so its
    // p-point is z((1 + p)/2)² / (2T): z(0.975) = 1.959963984540054.
    let zero = RatePosterior::new(0, 12.0);
    close("k = 0 mean", zero.mean(), 0.5 / 12.0, 1e-15);
    close(
        "k = 0 95% point",
        zero.quantile(0.95),
        1.959_963_984_540_054f64.powi(2) / 24.0,
        1e-9,
    );
    // The quantile inverts the CDF for a non-half-integer shape too.
    let q = gamma_quantile(2.3, 4.0, 0.3);
    close("P(2.3, 4q)", gamma_p(2.3, 4.0 * q), 0.3, 1e-12);
}

#[test]
fn lognormal_fit_of_a_class_is_the_maximum_likelihood_by_hand() {
    let cat = Catalogue::bundled().unwrap();
    let class = cat.class("cloud.region").unwrap();
    let fit = fit_class(&cat, class);
    // The durations published for cloud.region, typed from incidents.toml.
    let hours = [83.7, 23.7, 4.85, 4.28, 17.1, 6.87, 3.8, 14.53];
    let mut sorted = hours.to_vec();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(fit.durations, sorted);
    let n = hours.len() as f64;
    let mu = hours.iter().map(|h: &f64| h.ln()).sum::<f64>() / n;
    let var = hours
        .iter()
        .map(|h: &f64| (h.ln() - mu).powi(2))
        .sum::<f64>()
        / n;
    let ln = fit.duration.expect("eight durations fit");
    close("mu", ln.mu, mu, 1e-14);
    close("sigma", ln.sigma, var.sqrt(), 1e-14);
    close("median", ln.median(), mu.exp(), 1e-14);
    close(
        "p95",
        ln.p95(),
        (mu + 1.6448536269514722 * var.sqrt()).exp(),
        1e-14,
    );
    // It is the maximum: the log-likelihood is lower at every nearby point.
    let loglik = |m: f64, s: f64| {
        hours
            .iter()
            .map(|h: &f64| -s.ln() - h.ln() - (h.ln() - m).powi(2) / (2.0 * s * s))
            .sum::<f64>()
    };
    let best = loglik(ln.mu, ln.sigma);
    for (dm, ds) in [(0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01)] {
        assert!(loglik(ln.mu + dm, ln.sigma + ds) < best);
    }
    // Parameter uncertainty: se(mu) = sigma/√n, se(sigma) = sigma/√(2n),
    // and the delta-method interval of ln p95.
    close("se mu", ln.se_mu(), var.sqrt() / n.sqrt(), 1e-14);
    close(
        "se sigma",
        ln.se_sigma(),
        var.sqrt() / (2.0 * n).sqrt(),
        1e-14,
    );
    let z = 1.6448536269514722;
    let se = (var / n + z * z * var / (2.0 * n)).sqrt();
    let (lo, hi) = ln.p95_interval90();
    close("p95 low", lo, ((mu + z * var.sqrt()) - z * se).exp(), 1e-12);
    close(
        "p95 high",
        hi,
        ((mu + z * var.sqrt()) + z * se).exp(),
        1e-12,
    );
    let (mlo, mhi) = ln.median_interval90();
    close(
        "median low",
        mlo,
        (mu - z * var.sqrt() / n.sqrt()).exp(),
        1e-12,
    );
    close(
        "median high",
        mhi,
        (mu + z * var.sqrt() / n.sqrt()).exp(),
        1e-12,
    );
    // Rate: 10 events over 15 region-years.
    assert_eq!(fit.rate, RatePosterior::new(10, 15.0));
}

#[test]
fn lognormal_fit_needs_two_different_durations() {
    assert!(LognormalFit::fit(&[]).is_none());
    assert!(LognormalFit::fit(&[3.0]).is_none());
    assert!(LognormalFit::fit(&[3.0, 3.0]).is_none());
    let f = LognormalFit::fit(&[1.0, 4.0]).unwrap();
    close("mu of 1 and 4", f.mu, 2f64.ln(), 1e-15);
    close("sigma of 1 and 4", f.sigma, 2f64.ln(), 1e-15);
}

#[test]
fn classes_extended_in_2026_11_28_2_count_as_documented() {
    // Counts and exposures as docs/catalogue.md states them, typed by hand.
    let cat = Catalogue::bundled().unwrap();
    let fit = |id: &str| fit_class(&cat, cat.class(id).unwrap());
    // Stripe 2019 + Square 2023-02-06 and 2023-09-07 over 2 providers × 7 years.
    let pay = fit("payments.processor");
    assert_eq!(pay.rate, RatePosterior::new(3, 14.0));
    close("payments mean", pay.rate.mean(), 3.5 / 14.0, 1e-15);
    // The two published Square durations, 1.85 h and 15.42 h: with n = 2 the
    // MLE is the mean of the logs and half their distance.
    let ln = pay.duration.expect("two different durations fit");
    close(
        "payments mu",
        ln.mu,
        (1.85f64.ln() + 15.42f64.ln()) / 2.0,
        1e-14,
    );
    close(
        "payments sigma",
        ln.sigma,
        (15.42f64.ln() - 1.85f64.ln()) / 2.0,
        1e-14,
    );
    // OpenAI 2024-06-04, 2024-11-09 and 2024-12-11 over 2 years.
    assert_eq!(fit("ai.vendor").rate, RatePosterior::new(3, 2.0));
    // Six Cloudflare platform events over 3 years; eight routing events over 8.
    assert_eq!(fit("cdn.platform-service").rate, RatePosterior::new(6, 3.0));
    assert_eq!(fit("net.routing").rate, RatePosterior::new(8, 8.0));
}

#[test]
fn events_shared_by_several_records_count_once() {
    let cat = Catalogue::bundled().unwrap();
    let fit = fit_class(&cat, cat.class("compliance.sanctions").unwrap());
    assert_eq!(fit.records, 2);
    assert_eq!(fit.rate.events, 1);
}

#[test]
fn bundled_catalogue_integrity() {
    let cat = Catalogue::bundled().expect("the bundled catalogue is valid");
    // The issue asks for at least 60 incidents.
    assert!(
        cat.incidents.len() >= 60,
        "{} incidents",
        cat.incidents.len()
    );
    let mut ids = HashSet::new();
    for i in &cat.incidents {
        assert!(ids.insert(i.spec.id.clone()), "duplicate id {}", i.spec.id);
        assert!(
            i.spec.source.starts_with("https://") && i.spec.source.len() > 12,
            "{} has no source",
            i.spec.id
        );
        assert!(cat.class(&i.spec.class).is_some(), "{}", i.spec.id);
    }
    for c in &cat.classes {
        assert!(
            cat.incidents_of(&c.spec.id).next().is_some(),
            "class {} has no incidents",
            c.spec.id
        );
    }
    // Nothing in the catalogue points outside the repository.
    for text in [
        fateshare::catalogue::BUNDLED_CLASSES,
        fateshare::catalogue::BUNDLED_INCIDENTS,
    ] {
        assert!(!text.contains(concat!("..", "/shared")) && !text.contains("calibration.md"));
    }
    assert_eq!(fit_all(&cat).len(), cat.classes.len());
}

#[test]
fn catalogue_command_lists_every_class_and_show_lists_sources() {
    let o = run(&["catalogue"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let cat = Catalogue::bundled().unwrap();
    for c in &cat.classes {
        assert!(out.contains(&c.spec.id), "{out}");
    }
    assert!(
        out.contains("0.700 [0.386, 1.089]"),
        "cloud.region rate: {out}"
    );
    let o = run(&["catalogue", "show", "cdn.edge-config"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for i in cat.incidents_of("cdn.edge-config") {
        assert!(
            out.contains(&i.spec.id) && out.contains(&i.spec.source),
            "{out}"
        );
    }
}

#[test]
fn unknown_class_is_rejected_with_a_suggestion() {
    let o = run(&["catalogue", "show", "cdn.edge-confg"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean \"cdn.edge-config\""), "{err}");
}

#[test]
fn charts_are_written_for_classes_with_a_fit() {
    let dir = tempfile::tempdir().unwrap();
    let charts = dir.path().join("charts");
    let o = run(&["catalogue", "--charts", charts.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(charts.join("cloud.region.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("fitted lognormal CDF"));
    // No published durations: no chart.
    assert!(!charts.join("cloud.zone-facility.svg").exists());
}

const CLASSES: &str = r#"
version = "test"
[[class]]
id = "cdn.edge"
title = "t"
unit = "CDN"
providers = ["fastly"]
scope = "s"
from = "2019-01-01"
to = "2026-01-01"
exposure_years = 7.0
counting = "c"
"#;

const GOOD: &str = r#"
[[incident]]
id = "a"
start = "2021-06-08T09:47Z"
provider = "fastly"
service = "edge"
scope = "world"
duration_hours = 0.82
shared_cause = "x"
class = "cdn.edge"
source = "https://www.fastly.com/blog/summary-of-june-8-outage"
"#;

fn rejected(classes: &str, incidents: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("classes.toml"), classes).unwrap();
    std::fs::write(dir.path().join("incidents.toml"), incidents).unwrap();
    let charts = dir.path().join("charts");
    let o = run(&[
        "catalogue",
        "--dir",
        dir.path().to_str().unwrap(),
        "--charts",
        charts.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for line in err.lines() {
        assert!(
            line.starts_with("error: ") && line.contains(".toml"),
            "{err}"
        );
    }
    for e in expected {
        assert!(err.contains(e), "should say {e:?}: {err}");
    }
    assert!(!err.contains("panicked"));
    assert!(!charts.exists(), "nothing may be written");
}

/// `--charts` writes through a staging folder swapped in whole: charts from
/// an earlier run are replaced together, no temporary is left beside the
/// folder, and a path that is a file is refused (exit 2) with nothing written.
#[test]
fn charts_are_swapped_in_whole_and_a_bad_folder_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let charts = dir.path().join("charts");
    std::fs::create_dir(&charts).unwrap();
    std::fs::write(charts.join("cloud.region.svg"), "old").unwrap();
    // A second name for the old file: it must keep the old bytes (the new
    // chart replaces the name, it is not written through the old file).
    std::fs::hard_link(charts.join("cloud.region.svg"), dir.path().join("keep")).unwrap();
    let o = run(&["catalogue", "--charts", charts.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(charts.join("cloud.region.svg")).unwrap();
    assert!(
        svg.starts_with("<svg"),
        "replaced: {}",
        &svg[..svg.len().min(40)]
    );
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut beside = beside;
    beside.sort();
    assert_eq!(beside, vec!["charts", "keep"], "no staging left beside it");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep")).unwrap(),
        "old"
    );
    std::fs::remove_file(dir.path().join("keep")).unwrap();

    let file = dir.path().join("afile");
    std::fs::write(&file, "keep").unwrap();
    let o = run(&["catalogue", "--charts", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("error: --charts ") && err.lines().count() == 1,
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn a_good_test_catalogue_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("classes.toml"), CLASSES).unwrap();
    std::fs::write(dir.path().join("incidents.toml"), GOOD).unwrap();
    let o = run(&["catalogue", "--dir", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    // One event over 7 years: Gamma(1.5, 7), mean 0.214.
    assert!(out.contains("0.214 ["), "{out}");
}

#[test]
fn bad_catalogue_input_names_file_place_and_fix() {
    let twice = format!("{GOOD}{GOOD}");
    rejected(
        CLASSES,
        &twice,
        &["incidents.toml: incident \"a\": id is already used"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("class = \"cdn.edge\"", "class = \"cdn.egde\""),
        &["class \"cdn.egde\" is not in classes.toml; did you mean \"cdn.edge\"?"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("https://www", "www"),
        &["is not a public https:// address"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("0.82", "-1.0"),
        &["duration_hours is -1", "leave it out"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("duration_hours = 0.82", "share_affected = 85.0"),
        &["share_affected is 85", "(0, 1]"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("2021-06-08T09:47Z", "2018-06-08T09:47Z"),
        &["outside class \"cdn.edge\"'s window"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("2021-06-08T09:47Z", "2021-02-30"),
        &["is not a UTC time; write YYYY-MM-DD"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("provider = \"fastly\"", "provider = \"akamai\""),
        &["provider \"akamai\" is not among class \"cdn.edge\"'s providers"],
    );
    rejected(
        &CLASSES.replace("exposure_years = 7.0", "exposure_years = 0.0"),
        GOOD,
        &["classes.toml: class \"cdn.edge\": exposure_years is 0"],
    );
    rejected(
        CLASSES,
        &GOOD.replace("scope = \"world\"", "scope = \"world\"\nsevrity = 1"),
        &["incidents.toml: line", "unknown field `sevrity`"],
    );
}
