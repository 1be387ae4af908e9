//! `run --tilt` on a scenario with policies: `--tilt 1` writes the plain
//! run's folder byte for byte; a parametric cover on a rare shared cause has
//! its closed-form expected payout (Poisson rate × E[paid hours] × pay per
//! hour) inside the run's own weighted 95% interval; policies.csv,
//! premiums.csv, portfolios.csv and portfolio_allocation.csv are the
//! weighted estimators recomputed from policy_trials.csv and trials.csv's
//! `weight` column; the insured ORD files carry the period weights; the
//! folder does not depend on --threads; `fateshare report` redraws it byte
//! for byte; a quota share cedes its share of the weighted payouts.

use crate::common::outputs::{assert_report_redraws, assert_same_tree, tree};
use crate::common::{run_quiet, write};
use std::path::Path;

const Z95: f64 = 1.959_963_984_540_054;

/// A region down about once a century (exponential, mean 10 h), an app on it
/// with frequent short outages of its own, a parametric cover on the region
/// (8 h waiting, 100 an hour, at most 24 paid hours an outage) and an
/// indemnity cover of the app, in one portfolio.
const RARE: &str = r#"name = "rare region"
[simulation]
trials = 20000
seed = 5
[[component]]
id = "region"
[[component]]
id = "app"
needs = ["region"]
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 1 } }
[[cause]]
id = "region-outage"
per_year = 0.01
duration = { dist = "exponential", mean_hours = 10 }
hits = { region = 1.0 }
[[architecture]]
id = "app"
serves = "app"
loss = { per_hour = 1000 }
[[policy]]
id = "cover"
kind = "parametric"
index = "region"
insured = "app"
waiting_hours = 8
pay_per_hour = 100
max_hours_per_event = 24
pricing = { method = "std_dev", loading = 0.25, expense_ratio = 0.3 }
compare_pricing = [{ method = "wang", lambda = 0.3 }, { method = "cost_of_capital", rate = 0.1, level = 0.99 }]
portfolio = "book"
[[policy]]
id = "bi"
kind = "indemnity"
insured = "app"
deductible = 2000
share = 0.8
portfolio = "book"
"#;

const RATE: f64 = 0.01;
const MU: f64 = 10.0;
const WAIT: f64 = 8.0;
const CAP: f64 = 24.0;
const PAY: f64 = 100.0;

/// E[annual payout] of `cover`: outages of the region start as a Poisson
/// process of rate λ, each paying h·min((D − w)⁺, M), and for exponential D,
/// E[min((D − w)⁺, M)] = μ e^(−w/μ) (1 − e^(−M/μ)) (docs/insurance.md §11).
/// Overlapping outages merge into one; at λ = 0.01 a year that changes the
/// mean by under 2λμ/8760 ≈ 2e-5 of it, far inside the interval.
fn cover_exact() -> f64 {
    RATE * PAY * MU * (-WAIT / MU).exp() * (1.0 - (-CAP / MU).exp())
}

/// A CSV file: its header and rows, split on commas (no quoted cells here).
fn csv(out: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(out.join(name)).unwrap();
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The column `name` of the row whose first cell is `key`.
fn cell(out: &Path, file: &str, key: &str, name: &str) -> f64 {
    let (h, rows) = csv(out, file);
    let c = h.iter().position(|x| x == name).unwrap();
    let r = rows.iter().find(|r| r[0] == key).unwrap();
    r[c].parse().unwrap()
}

/// Per trial, its likelihood ratio (trials.csv), and per policy its payouts.
fn weights_and_payouts(out: &Path) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (h, rows) = csv(out, "trials.csv");
    let w = h.iter().position(|x| x == "weight").unwrap();
    let weights: Vec<f64> = rows.iter().map(|r| r[w].parse().unwrap()).collect();
    let (_, rows) = csv(out, "policy_trials.csv");
    let of = |id: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r[1] == id)
            .map(|r| r[2].parse().unwrap())
            .collect()
    };
    (weights, of("cover"), of("bi"))
}

/// Σ w x / N and the standard error sd(w·x)/√N.
fn weighted(x: &[f64], w: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let wx: Vec<f64> = x.iter().zip(w).map(|(x, w)| x * w).collect();
    let mean = wx.iter().sum::<f64>() / n;
    let var = wx.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs().max(1e-300),
        "{what}: {got} vs {want}"
    );
}

#[test]
fn tilt_one_with_policies_writes_the_plain_runs_folder_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rare.toml", RARE);
    let out = dir.path().join("out");
    let flags = ["--trials", "3000", "--ord"];
    run_quiet(&file, &out, &flags);
    let plain = tree(&out);
    assert!(out.join("policies.csv").exists() && out.join("il_S1_ept.csv").exists());
    for extra in [&["--tilt", "1"][..], &["--tilt", "1", "--tilt-own", "1"]] {
        run_quiet(&file, &out, &[&flags[..], extra].concat());
        assert_same_tree(&plain, &tree(&out), &format!("{extra:?}"));
    }
    assert!(!out.join("periods.csv").exists());
}

#[test]
fn rare_parametric_cover_expected_payout_matches_its_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rare.toml", RARE);
    let out = dir.path().join("out");
    // The region's cause 200 times as often: about 2 outages a year.
    run_quiet(&file, &out, &["--tilt", "200", "--ord"]);
    let exact = cover_exact();
    let e = cell(&out, "policies.csv", "cover", "expected_payout");
    let (lo, hi) = (
        cell(&out, "policies.csv", "cover", "expected_payout_ci_low"),
        cell(&out, "policies.csv", "cover", "expected_payout_ci_high"),
    );
    assert!(
        lo <= exact && exact <= hi,
        "exact {exact} outside [{lo}, {hi}] (mean {e})"
    );
    // Precise, not only consistent. The payout is compound Poisson, so a
    // plain run's variance is λ·E[p²] exactly, with E[p²] = h² e^(−w/μ) ·
    // 2μ²(1 − e^(−M/μ)(1 + M/μ)) (memoryless excess over w): half-width
    // 1.96·√(λE[p²]/N) ≈ 1.09, 27% of the mean. Tilted by θ, E_θ[w²X²] ≈
    // e^(λ(θ−2))·λE[p²]/θ (one event dominating), a half-width ≈ 0.20,
    // 5.4 times narrower: ask for at least half the plain one's width.
    let p2 = PAY
        * PAY
        * (-WAIT / MU).exp()
        * 2.0
        * MU
        * MU
        * (1.0 - (-CAP / MU).exp() * (1.0 + CAP / MU));
    let plain_half = Z95 * (RATE * p2 / 20_000.0).sqrt();
    assert!(
        (hi - lo) / 2.0 < plain_half / 2.0,
        "[{lo}, {hi}] vs the plain run's ± {plain_half}"
    );
    // The figures are the weighted estimators of the per-trial tables.
    let (w, cover, bi) = weights_and_payouts(&out);
    assert_eq!((w.len(), cover.len(), bi.len()), (20_000, 20_000, 20_000));
    assert!(w.iter().any(|&x| x != 1.0));
    let (mean, se) = weighted(&cover, &w);
    close("expected payout", e, mean, 1e-12);
    close("interval", hi - lo, 2.0 * Z95 * se, 1e-9);
    // Attachment: Σ_{x > 0} w / N, against the closed form 1 − exp(−λ e^(−w/μ))
    // (paying outages are the thinned Poisson process of those longer than w)
    // within its own 99.9% interval (z = 3.29; this test checks two figures).
    let hit: Vec<f64> = cover
        .iter()
        .map(|&x| f64::from(u8::from(x > 0.0)))
        .collect();
    let (p, p_se) = weighted(&hit, &w);
    close(
        "attachment",
        cell(&out, "policies.csv", "cover", "attachment_probability"),
        p,
        1e-12,
    );
    let p_exact = 1.0 - (-RATE * (-WAIT / MU).exp()).exp();
    assert!(
        (p - p_exact).abs() <= 3.29 * p_se,
        "attachment {p} ± {p_se} vs {p_exact}"
    );
    // The std-dev premium from the weighted mean and Oasis's weighted SD.
    let n = w.len() as f64;
    let (s, s2) = cover
        .iter()
        .zip(&w)
        .fold((0.0, 0.0), |(a, b), (x, w)| (a + w * x, b + w * x * x));
    let sd = ((s2 - s * s / n) / (n - 1.0)).sqrt();
    close(
        "sd",
        cell(&out, "policies.csv", "cover", "sd_payout"),
        sd,
        1e-9,
    );
    close(
        "premium",
        cell(&out, "policies.csv", "cover", "premium"),
        (mean + 0.25 * sd) / 0.7,
        1e-9,
    );
    // The insured ORD files: il palt's mean is the policy's, and periods.csv is written.
    let (_, palt) = csv(&out, "il_S1_palt.csv");
    close("il palt", palt[0][2].parse().unwrap(), e, 1e-12);
    assert!(out.join("periods.csv").exists());
    let (_, splt) = csv(&out, "il_S1_splt.csv");
    for r in splt.iter().take(50) {
        let t: usize = r[0].parse().unwrap();
        assert_eq!(
            r[1].parse::<f64>().unwrap(),
            w[t - 1] / n,
            "splt period {t}"
        );
    }
    // The portfolio: its expected payout the sum's weighted mean, and its
    // co-TVaR allocations adding up to its weighted TVaR 99.5%.
    let total: Vec<f64> = cover.iter().zip(&bi).map(|(a, b)| a + b).collect();
    close(
        "portfolio",
        cell(&out, "portfolios.csv", "book", "expected_payout"),
        weighted(&total, &w).0,
        1e-12,
    );
    let tvar = cell(&out, "portfolios.csv", "book", "tvar995");
    let (h, rows) = csv(&out, "portfolio_allocation.csv");
    let c = h.iter().position(|x| x == "co_tvar995").unwrap();
    let sum: f64 = rows.iter().map(|r| r[c].parse::<f64>().unwrap()).sum();
    close("co-TVaR sum", sum, tvar, 1e-9);
    // The insured's expected loss, without cover and before the policy, is
    // the weighted summary's expected loss (the same Σ w L / N).
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let loss = summary["architectures"][0]["expected_loss"]
        .as_f64()
        .unwrap();
    let before = cell(
        &out,
        "policies.csv",
        "cover",
        "insured_expected_loss_before",
    );
    close("loss before", before, loss, 1e-12);
    let (h, rows) = csv(&out, "decisions.csv");
    let c = h
        .iter()
        .position(|x| x == "expected_retained_loss")
        .unwrap();
    let none = rows.iter().find(|r| r[1] == "none").unwrap();
    close("no cover", none[c].parse().unwrap(), loss, 1e-12);
}

#[test]
fn weighted_policies_are_the_same_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rare.toml", RARE);
    let out = dir.path().join("out");
    let common = ["--tilt", "auto", "--trials", "3000", "--ord"];
    run_quiet(&file, &out, &[&common[..], &["--threads", "1"]].concat());
    let one = tree(&out);
    assert!(out.join("periods.csv").exists() && out.join("il_S2_ept.csv").exists());
    run_quiet(&file, &out, &[&common[..], &["--threads", "2"]].concat());
    assert_same_tree(&one, &tree(&out), "--threads 1 vs 2");
}

#[test]
fn report_redraws_a_weighted_run_with_policies() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "rare.toml", RARE);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--tilt", "50", "--trials", "3000"]);
    // The weighted page shows the insurance section, saying it is weighted.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let section = crate::common::outputs::section(&html, "insurance").unwrap();
    assert!(section.contains("Importance-sampled:"), "{section}");
    assert_report_redraws(&out, "weighted run with policies");
}

#[test]
fn a_weighted_quota_share_cedes_its_share_of_the_weighted_payout() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{RARE}{}",
        r#"[[treaty]]
id = "qs"
kind = "quota_share"
policies = ["cover"]
cession = 0.3
"#
    );
    let file = write(dir.path(), "treaty.toml", &text);
    let out = dir.path().join("out");
    run_quiet(&file, &out, &["--tilt", "200", "--trials", "5000"]);
    let (w, cover, _) = weights_and_payouts(&out);
    // Ceded 0.3 X_t every trial: the weighted mean and standard error scale by 0.3.
    let (mean, se) = weighted(&cover, &w);
    let (h, rows) = csv(&out, "treaties.csv");
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let qs = rows.iter().find(|r| r[0] == "qs").unwrap();
    let num = |name: &str| qs[col(name)].parse::<f64>().unwrap();
    close("ceded", num("expected"), 0.3 * mean, 1e-9);
    close(
        "ceded interval",
        num("expected_ci_high") - num("expected_ci_low"),
        2.0 * Z95 * 0.3 * se,
        1e-9,
    );
    // P(the treaty pays): Σ_{X > 0} w / N.
    let hit: Vec<f64> = cover
        .iter()
        .map(|&x| f64::from(u8::from(x > 0.0)))
        .collect();
    let p = weighted(&hit, &w).0;
    close("P(attach)", num("p_attach"), p, 1e-12);
    // The ri set is net of the cession, period-weighted: 0.7 of il's mean.
    let (_, ri) = csv(&out, "ri_S1_palt.csv");
    let (_, il) = csv(&out, "il_S1_palt.csv");
    let (ri, il): (f64, f64) = (ri[0][2].parse().unwrap(), il[0][2].parse().unwrap());
    close("ri palt", ri, 0.7 * il, 1e-9);
    assert_report_redraws(&out, "weighted run with a treaty");
}
