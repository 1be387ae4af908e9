//! Insurance figures against closed forms, each within a confidence interval
//! computed from the run (see `common::assert_close`), and exact relations
//! (EP curve properties, portfolio sums, diversification) checked trial by trial.

use crate::common;
use common::*;
use fateshare::engine::{RunOptions, Simulation};
use fateshare::insurance::ord::{OrdSummary, SummaryKind, AEP, AEP_TVAR, OEP, OEP_TVAR};
use fateshare::insurance::{self, Insurance, Options};
use fateshare::model::{Model, Settings};
use fateshare::stats::Moments;

fn run(model: &Model, trials: u64, seed: u64) -> (Simulation, Insurance) {
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials,
        seed,
    };
    let opts = Options {
        ord: true,
        per_trial: true,
    };
    let (sim, ins) = insurance::run(model, &settings, &RunOptions::default(), opts);
    (sim, ins.expect("insurance results"))
}

fn policy(model: &Model, id: &str) -> usize {
    model
        .policies
        .iter()
        .position(|p| p.id == id)
        .unwrap_or_else(|| panic!("no policy {id}"))
}

/// Moments of a policy's annual payout.
fn payout(ins: &Insurance, p: usize) -> Moments {
    Moments::of(ins.table.of(p).map(|y| y.payout))
}

/// ρ = λ E[D] (rate per hour): the chance an arrival finds an event in progress is
/// at most ρ, and the expected number of arrivals during an event is ρ.
fn rho(per_year: f64, mean_hours: f64) -> f64 {
    per_year / H_YEAR * mean_hours
}

/// Payouts are per outage (a maximal down interval), the closed forms per event.
/// They differ only for events that overlap another one, whose expected number
/// per period is at most λT · 2ρ; each such event changes the period's payout
/// by at most the largest payout of one outage. This bounds the bias.
fn overlap_bias(per_year: f64, mean_hours: f64, max_payout: f64) -> f64 {
    max_payout * per_year * 2.0 * rho(per_year, mean_hours)
}

/// E[min((D − w)+, M)] for D exponential with mean μ.
fn excess_exponential(mu: f64, w: f64, m: f64) -> f64 {
    mu * (-w / mu).exp() * (1.0 - (-m / mu).exp())
}

const EXPONENTIAL_INDEX: &str = r#"name = "parametric"
[[component]]
id = "cloud"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 10.0 } }
[[architecture]]
id = "shop"
serves = "cloud"
loss = { per_hour = 1000 }
[[policy]]
id = "plain"
kind = "parametric"
index = "cloud"
insured = "shop"
waiting_hours = 8
pay_per_hour = 100
max_hours_per_event = 24
[[policy]]
id = "franchise"
kind = "parametric"
index = "cloud"
insured = "shop"
waiting_hours = 8
franchise = true
pay_per_hour = 100
max_hours_per_event = 48
[[policy]]
id = "plain-uncapped"
kind = "parametric"
index = "shop"
insured = "shop"
waiting_hours = 8
pay_per_hour = 100
[[policy]]
id = "franchise-uncapped"
kind = "parametric"
index = "cloud"
insured = "shop"
waiting_hours = 8
franchise = true
pay_per_hour = 100
"#;

#[test]
fn parametric_payout_for_exponential_outages() {
    let m = model(EXPONENTIAL_INDEX);
    let (_, ins) = run(&m, 200_000, 21);
    let (lambda, mu, w, h, cap): (f64, f64, f64, f64, f64) = (1.0, 10.0, 8.0, 100.0, 24.0);
    // E[annual payout] = λ · h · E[min((D − w)+, M)].
    let exact = lambda * h * excess_exponential(mu, w, cap);
    assert_close(
        "parametric expected payout",
        &payout(&ins, policy(&m, "plain")),
        exact,
        overlap_bias(lambda, mu, h * cap),
    );
    // Attachment: P(some outage longer than w) = 1 − exp(−λ e^{−w/μ}).
    let attach = Moments::of(
        ins.table
            .of(policy(&m, "plain"))
            .map(|y| f64::from(u8::from(y.payout > 0.0))),
    );
    assert_close(
        "attachment probability",
        &attach,
        1.0 - (-lambda * (-w / mu).exp()).exp(),
        overlap_bias(lambda, mu, 1.0),
    );
    let s = &ins.policies[policy(&m, "plain")];
    assert!((s.attachment_probability - attach.mean).abs() < 1e-12);
    assert_eq!(s.exhaustion_probability, None, "no annual limit");
}

#[test]
fn franchise_pays_from_hour_zero_once_past_the_waiting_period() {
    let m = model(EXPONENTIAL_INDEX);
    let (_, ins) = run(&m, 200_000, 22);
    let (lambda, mu, w, h, cap): (f64, f64, f64, f64, f64) = (1.0, 10.0, 8.0, 100.0, 48.0);
    // h · E[min(D, M) · 1{D > w}] = h · ((w + μ) e^{−w/μ} − μ e^{−M/μ}) for M > w.
    let exact = lambda * h * ((w + mu) * (-w / mu).exp() - mu * (-cap / mu).exp());
    assert_close(
        "franchise expected payout",
        &payout(&ins, policy(&m, "franchise")),
        exact,
        overlap_bias(lambda, mu, h * cap),
    );
    // Trial by trial, uncapped: the franchise pays h·w more for every outage past w,
    // and both pay for the same outages (an architecture index = its component).
    let (fr, plain) = (
        policy(&m, "franchise-uncapped"),
        policy(&m, "plain-uncapped"),
    );
    let mut paid = 0;
    for (a, b) in ins.table.of(fr).zip(ins.table.of(plain)) {
        assert_eq!(a.events_paid, b.events_paid);
        let diff = a.payout - b.payout;
        let expected = h * w * f64::from(a.events_paid);
        assert!(
            (diff - expected).abs() <= 1e-9 * a.payout.max(1.0),
            "{diff} vs {expected}"
        );
        paid += a.events_paid;
    }
    assert!(
        paid > 10_000,
        "the relation must be exercised: {paid} paid outages"
    );
}

/// Poisson(λ) probability mass at n.
fn poisson_pmf(lambda: f64, n: u32) -> f64 {
    let mut p = (-lambda).exp();
    for k in 1..=n {
        p *= lambda / f64::from(k);
    }
    p
}

/// Outages of a fixed tiny length with a fixed loss each: the number of outages
/// per period is Poisson (overlaps are negligible and bounded).
fn fixed_losses(per_year: f64, extra: &str) -> String {
    format!(
        r#"name = "fixed losses"
[[component]]
id = "svc"
outages = {{ per_year = {per_year}, duration = {{ dist = "fixed", hours = 0.01 }} }}
[[architecture]]
id = "svc"
serves = "svc"
loss = {{ per_outage = 10 }}
{extra}"#
    )
}

#[test]
fn annual_limit_with_fixed_size_events() {
    let m = model(&fixed_losses(
        3.0,
        r#"[[policy]]
id = "capped"
kind = "indemnity"
insured = "svc"
annual_limit = 25
"#,
    ));
    let (sim, ins) = run(&m, 100_000, 23);
    let lambda = 3.0;
    // E[min(10 N, 25)] and P(10 N >= 25) for N ~ Poisson(3).
    let (mut e, mut tail) = (0.0, 1.0);
    for n in 0..60 {
        let p = poisson_pmf(lambda, n);
        e += p * (10.0 * f64::from(n)).min(25.0);
        if n < 3 {
            tail -= p;
        }
    }
    let bias = overlap_bias(lambda, 0.01, 25.0);
    let p = policy(&m, "capped");
    assert_close("capped expected payout", &payout(&ins, p), e, bias);
    let exhausted = Moments::of(ins.table.of(p).map(|y| f64::from(u8::from(y.exhausted))));
    assert_close(
        "exhaustion probability",
        &exhausted,
        tail,
        overlap_bias(lambda, 0.01, 1.0),
    );
    assert!((ins.policies[p].exhaustion_probability.unwrap() - exhausted.mean).abs() < 1e-12);
    // Trial by trial: the limit is applied in start order, 10 + 10 + 5.
    for (y, o) in ins.table.of(p).zip(sim.of(0)) {
        assert_eq!(y.events_paid, o.outages.min(3));
        let expected = (10.0 * f64::from(o.outages)).min(25.0);
        assert!(
            (y.payout - expected).abs() < 1e-9,
            "{} vs {expected}",
            y.payout
        );
    }
    assert!(
        (ins.policies[p].expected_loss_on_line.unwrap() - payout(&ins, p).mean / 25.0).abs()
            < 1e-12
    );
}

#[test]
fn indemnity_deductible_and_share() {
    let m = model(
        r#"name = "indemnity"
[[component]]
id = "svc"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 10.0 } }
[[architecture]]
id = "svc"
serves = "svc"
loss = { per_hour = 1000, per_outage = 2000 }
[[policy]]
id = "bi"
kind = "indemnity"
insured = "svc"
deductible = 5000
share = 0.8
event_limit = 20000
"#,
    );
    let (lambda, mu) = (1.0, 10.0);
    let (_, ins) = run(&m, 200_000, 24);
    // 0.8 · min((2000 + 1000 D − 5000)+, 20000) = 800 · min((D − 3)+, 20).
    let exact = lambda * 800.0 * excess_exponential(mu, 3.0, 20.0);
    assert_close(
        "indemnity expected payout",
        &payout(&ins, policy(&m, "bi")),
        exact,
        overlap_bias(lambda, mu, 16_000.0),
    );
    // The insured keeps the rest: E[loss after] = E[loss before] − E[payout], exactly.
    let s = &ins.policies[0];
    let lhs = s.insured_expected_loss_after;
    let rhs = s.insured_expected_loss_before - s.expected_payout;
    assert!((lhs - rhs).abs() < 1e-6 * rhs, "{lhs} vs {rhs}");
    assert!(s.insured_tvar99_after < s.insured_tvar99_before);
    assert_eq!(
        (s.p_no_payout_given_bad_year, s.payout_loss_correlation),
        (None, None)
    );
}

/// The `*_ept.csv` rows of one summary and type, by return period.
fn ept(s: &OrdSummary, ep_type: u8, rp: f64) -> Option<f64> {
    s.ept
        .iter()
        .find(|r| r.ep_type == ep_type && r.return_period == rp)
        .map(|r| r.loss)
}

#[test]
fn aep_quantile_of_a_poisson_count_of_fixed_losses() {
    let m = model(&fixed_losses(
        2.0,
        r#"[[policy]]
id = "mirror"
kind = "indemnity"
insured = "svc"
"#,
    ));
    let trials = 20_000u64;
    let (_, ins) = run(&m, trials, 25);
    // The mirror pays every loss in full: it pays all of the insured's tail.
    assert_eq!(ins.policies[0].tail_loss_paid_share, Some(1.0));
    let lambda = 2.0;
    let t = trials as f64;
    for rp in [100.0, 10.0] {
        // The 1-in-rp loss is the (trials/rp)-th largest annual loss 10·N. It equals
        // 10·k when #{N >= k} >= i > #{N >= k+1}; each count is Binomial(trials,
        // P(N >= k)). Find k from the Poisson CDF and check both counts are at least
        // Z standard deviations from i, so the claim holds within the run's CI.
        let i = t / rp;
        let at_least = |k: u32| 1.0 - (0..k).map(|n| poisson_pmf(lambda, n)).sum::<f64>();
        let k = (0..50).find(|&k| at_least(k + 1) * t < i).unwrap();
        for (kk, above) in [(k, true), (k + 1, false)] {
            let p = at_least(kk);
            let (mean, sd) = (t * p, (t * p * (1.0 - p)).sqrt());
            let margin = if above { mean - i } else { i - mean };
            assert!(
                margin > Z * sd,
                "rp {rp}: k = {kk} is within {Z} sd of rank {i}"
            );
        }
        let exact = 10.0 * f64::from(k);
        for s in &ins.ord.summaries {
            assert_eq!(ept(s, AEP, rp), Some(exact), "{} at rp {rp}", s.id);
            // Each outage costs the same, so the largest single loss is 10 in any
            // period with an outage: the OEP is 10 wherever the AEP is positive.
            assert_eq!(ept(s, OEP, rp), Some(10.0));
        }
    }
}

const WEB: &str = r#"name = "web"
[[component]]
id = "region"
outages = { per_year = 3.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[component]]
id = "region-2"
outages = { per_year = 3.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[component]]
id = "dns"
outages = { per_year = 2.0, duration = { dist = "exponential", mean_hours = 3.0 } }
[[component]]
id = "app"
outages = { per_year = 6.0, duration = { dist = "weibull", shape = 0.8, scale_hours = 2.0 } }
[[component]]
id = "site"
needs = ["dns", "app", "region"]
[[component]]
id = "regions"
needs = ["region", "region-2"]
mode = "failover"
switch_minutes = 5
[[component]]
id = "site-2"
needs = ["dns", "app", "regions"]
[[cause]]
id = "global"
per_year = 0.5
duration = { dist = "lognormal", median_hours = 3.0, p95_hours = 11.0 }
hits = { region = 1.0, region-2 = 1.0 }
[[architecture]]
id = "one"
serves = "site"
cost_per_year = 10000
loss = { per_hour = 5000, per_outage = 1000, grace_minutes = 5 }
[[architecture]]
id = "two"
serves = "site-2"
cost_per_year = 30000
loss = { per_hour = 5000, per_outage = 1000, grace_minutes = 5 }
[[architecture]]
id = "no-loss"
serves = "site"
[[policy]]
id = "cover"
kind = "parametric"
index = "region"
insured = "one"
waiting_hours = 4
pay_per_hour = 5000
max_hours_per_event = 24
event_limit = 80000
annual_limit = 150000
basis_threshold = 20000
pricing = { method = "wang", lambda = 0.3, expense_ratio = 0.25 }
portfolio = "book"
[[policy]]
id = "bi"
kind = "indemnity"
insured = "two"
deductible = 10000
share = 0.9
annual_limit = 200000
pricing = { method = "expected_value", loading = 0.2 }
portfolio = "book"
[[policy]]
id = "cover-two"
kind = "parametric"
index = "one"
insured = "two"
waiting_hours = 2
pay_per_hour = 3000
pricing = { method = "cost_of_capital", rate = 0.1 }
portfolio = "solo"
"#;

#[test]
fn ep_curve_properties() {
    let m = model(WEB);
    let trials = 5000;
    let (sim, ins) = run(&m, trials, 26);
    // Architectures with a loss, then policies, then portfolios.
    let kinds: Vec<(&str, &str)> = ins
        .ord
        .summaries
        .iter()
        .map(|s| (s.kind.name(), s.id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("architecture", "one"),
            ("architecture", "two"),
            ("policy", "cover"),
            ("policy", "bi"),
            ("policy", "cover-two"),
            ("portfolio", "book"),
            ("portfolio", "solo")
        ]
    );
    let rps = fateshare::insurance::ep::RETURN_PERIODS;
    for s in &ins.ord.summaries {
        // Only return periods the 5000 periods allow.
        assert!(s.ept.iter().all(|r| r.return_period <= trials as f64));
        assert_eq!(s.ept.len(), 4 * rps.len(), "{}", s.id);
        let mut last = [f64::INFINITY; 5];
        for rp in rps.iter().copied().filter(|&rp| rp <= trials as f64) {
            let (oep, aep) = (ept(s, OEP, rp).unwrap(), ept(s, AEP, rp).unwrap());
            let (oep_t, aep_t) = (ept(s, OEP_TVAR, rp).unwrap(), ept(s, AEP_TVAR, rp).unwrap());
            assert!(oep <= aep, "{}: OEP {oep} > AEP {aep} at {rp}", s.id);
            assert!(
                oep_t <= aep_t + 1e-9 * aep_t,
                "{}: OEP TVaR > AEP TVaR at {rp}",
                s.id
            );
            assert!(
                oep_t >= oep - 1e-9 * oep,
                "{}: OEP TVaR < OEP at {rp}",
                s.id
            );
            assert!(
                aep_t >= aep - 1e-9 * aep,
                "{}: AEP TVaR < AEP at {rp}",
                s.id
            );
            // Return periods go down (exceedance probability up): losses do not go up.
            for (l, v) in last.iter_mut().zip([0.0, oep, oep_t, aep, aep_t]).skip(1) {
                assert!(v <= *l + 1e-9 * l.abs(), "{}: curve rises at {rp}", s.id);
                *l = v;
            }
        }
        assert!(
            ept(s, AEP, 1000.0).unwrap() > 0.0,
            "{}: the tail must be exercised",
            s.id
        );
    }
    // The 1-in-N loss is the order statistic it claims: rank trials/N of the annual losses.
    let one = ins.ord.summaries.iter().find(|s| s.id == "one").unwrap();
    let mut losses: Vec<f64> = sim.of(0).map(|o| o.loss).collect();
    losses.sort_by(|a, b| b.total_cmp(a));
    let mut occurrence = vec![0.0f64; trials as usize];
    for o in sim.outages.iter().filter(|o| o.architecture == 0) {
        occurrence[o.trial as usize] = occurrence[o.trial as usize].max(o.loss);
    }
    occurrence.sort_by(|a, b| b.total_cmp(a));
    let cover = ins.ord.summaries.iter().find(|s| s.id == "cover").unwrap();
    let mut cover_losses: Vec<f64> = ins
        .table
        .of(policy(&m, "cover"))
        .map(|y| y.payout)
        .collect();
    cover_losses.sort_by(|a, b| b.total_cmp(a));
    for rp in [
        1000.0, 500.0, 250.0, 200.0, 100.0, 50.0, 25.0, 10.0, 5.0, 2.0,
    ] {
        let rank = (trials as f64 / rp) as usize;
        assert_eq!(ept(one, AEP, rp), Some(losses[rank - 1]), "AEP at {rp}");
        assert_eq!(ept(one, OEP, rp), Some(occurrence[rank - 1]), "OEP at {rp}");
        let tail = losses[..rank].iter().sum::<f64>() / rank as f64;
        assert!(
            (ept(one, AEP_TVAR, rp).unwrap() - tail).abs() < 1e-9 * tail,
            "AEP TVaR at {rp}"
        );
        assert_eq!(
            ept(cover, AEP, rp),
            Some(cover_losses[rank - 1]),
            "policy AEP at {rp}"
        );
    }
    // alt.csv: the mean and sd of the annual losses; alct ends with all periods.
    assert!((one.mean - Moments::of(sim.of(0).map(|o| o.loss)).mean).abs() < 1e-9 * one.mean);
    let last = one.alct.last().unwrap();
    assert_eq!((last.sample_size, last.mean), (trials, one.mean));
    assert!(one
        .alct
        .windows(2)
        .all(|w| w[1].sample_size == 2 * w[0].sample_size || w[1].sample_size == trials));
}

#[test]
fn portfolio_total_is_the_sum_of_its_policies_trial_by_trial() {
    let m = model(WEB);
    let (_, ins) = run(&m, 5000, 27);
    let book = &ins.portfolio_totals[0];
    let (cover, bi) = (policy(&m, "cover"), policy(&m, "bi"));
    for (t, (a, b)) in ins.table.of(cover).zip(ins.table.of(bi)).enumerate() {
        assert_eq!(book[t], a.payout + b.payout, "trial {t}");
        // The largest portfolio event is at most the year's total, and at least
        // each policy's largest event.
        let occ = ins.table.portfolio_max[t * 2];
        assert!(occ <= book[t] + 1e-9 * book[t]);
        assert!(occ >= a.max_event.max(b.max_event) - 1e-9 * occ);
    }
    assert!(book.iter().filter(|&&x| x > 0.0).count() > 500);
    // The portfolio's pure premium is the sum of its policies'.
    let sum = ins.policies[cover].expected_payout + ins.policies[bi].expected_payout;
    assert!((ins.portfolios[0].expected_payout - sum).abs() < 1e-9 * sum);
    // Splt: a policy's paid events add up to its annual payout, period by period.
    let mut by_trial = vec![0.0; 5000];
    for e in ins.table.events.iter().filter(|e| e.policy as usize == bi) {
        by_trial[e.trial as usize] += e.payout;
    }
    for (y, s) in ins.table.of(bi).zip(&by_trial) {
        assert!((y.payout - s).abs() <= 1e-9 * s.max(1.0));
    }
}

#[test]
fn diversification_ratio() {
    // A portfolio of one policy: exactly 1.
    let m = model(WEB);
    let (_, ins) = run(&m, 5000, 28);
    let solo = &ins.portfolios[1];
    assert_eq!((solo.portfolio.as_str(), solo.policies), ("solo", 1));
    assert_eq!(solo.diversification_ratio, Some(1.0));
    // Two policies whose insureds share no outage source: above 1.
    let independent = model(
        r#"name = "independent"
[[component]]
id = "a"
outages = { per_year = 2.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[component]]
id = "b"
outages = { per_year = 2.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[architecture]]
id = "a"
serves = "a"
loss = { per_hour = 1000 }
[[architecture]]
id = "b"
serves = "b"
loss = { per_hour = 1000 }
[[policy]]
id = "pa"
kind = "parametric"
index = "a"
insured = "a"
waiting_hours = 2
pay_per_hour = 1000
portfolio = "two"
[[policy]]
id = "pb"
kind = "indemnity"
insured = "b"
deductible = 2000
portfolio = "two"
[[policy]]
id = "pa-again"
kind = "parametric"
index = "a"
insured = "a"
waiting_hours = 2
pay_per_hour = 1000
portfolio = "same"
[[policy]]
id = "pa-twice"
kind = "parametric"
index = "a"
insured = "a"
waiting_hours = 2
pay_per_hour = 1000
portfolio = "same"
"#,
    );
    let (_, ins) = run(&independent, 20_000, 29);
    let two = &ins.portfolios[0];
    let ratio = two.diversification_ratio.unwrap();
    assert!(ratio > 1.0, "independent insureds diversify: {ratio}");
    assert!(two.tvar995 < two.standalone_tvar995_sum);
    // Control: two identical policies on one index are comonotone, ratio 1.
    let same = ins.portfolios[1].diversification_ratio.unwrap();
    assert!((same - 1.0).abs() < 1e-12, "{same}");
    // Their paid outages coincide, so each portfolio event joins two equal
    // payouts: the largest portfolio event is twice the policy's largest.
    let again = policy(&independent, "pa-again");
    let mut joined = 0;
    for (t, y) in ins.table.of(again).enumerate() {
        assert_eq!(
            ins.table.portfolio_max[t * 2 + 1],
            2.0 * y.max_event,
            "trial {t}"
        );
        joined += usize::from(y.max_event > 0.0);
    }
    assert!(joined > 1000, "{joined}");
}

#[test]
fn annual_limit_applies_in_outage_start_order() {
    // Index = the insured architecture, so its outages (with their lengths) are
    // in the simulation's outage records: recompute every payout from them.
    let m = model(
        r#"name = "order"
[[component]]
id = "svc"
outages = { per_year = 6.0, duration = { dist = "lognormal", median_hours = 3.0, p95_hours = 12.0 } }
[[architecture]]
id = "svc"
serves = "svc"
loss = { per_hour = 1000 }
[[policy]]
id = "capped"
kind = "parametric"
index = "svc"
insured = "svc"
waiting_hours = 1
pay_per_hour = 1000
event_limit = 8000
annual_limit = 20000
"#,
    );
    let trials = 5000;
    let (sim, ins) = run(&m, trials, 31);
    let mut expected = vec![0.0f64; trials as usize];
    let mut left = vec![20_000.0f64; trials as usize];
    let mut events = Vec::new();
    for o in &sim.outages {
        let gross = (1000.0 * (o.duration_hours - 1.0).max(0.0)).min(8000.0);
        let paid = gross.min(left[o.trial as usize]);
        left[o.trial as usize] -= paid;
        expected[o.trial as usize] += paid;
        if paid > 0.0 {
            events.push((o.trial, o.start_hours, paid));
        }
    }
    let mut partial = 0;
    for (t, y) in ins.table.of(0).enumerate() {
        assert!(
            (y.payout - expected[t]).abs() < 1e-6,
            "trial {t}: {} vs {}",
            y.payout,
            expected[t]
        );
        assert_eq!(y.exhausted, left[t] <= 1e-9, "trial {t}");
        partial += usize::from(y.exhausted);
    }
    assert!(partial > 100, "the limit must bind: {partial}");
    let got: Vec<(u64, f64, f64)> = ins
        .table
        .events
        .iter()
        .map(|e| (e.trial, e.start_hours, e.payout))
        .collect();
    assert_eq!(got.len(), events.len());
    for (g, e) in got.iter().zip(&events) {
        assert_eq!((g.0, g.1), (e.0, e.1));
        assert!((g.2 - e.2).abs() < 1e-6);
    }
}

#[test]
fn decision_table_adds_up() {
    let m = model(WEB);
    let (_, ins) = run(&m, 5000, 30);
    let rows: Vec<(&str, &str)> = ins
        .decisions
        .iter()
        .map(|d| (d.architecture.as_str(), d.option.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("one", "none"),
            ("one", "cover"),
            ("two", "none"),
            ("two", "bi"),
            ("two", "cover-two")
        ]
    );
    for d in &ins.decisions {
        let total = d.cost_per_year.unwrap() + d.premium + d.expected_retained_loss;
        assert!((d.total_cost_of_risk - total).abs() < 1e-9 * total);
    }
    // Premiums follow their principles, grossed up by the expense ratio.
    let bi = &ins.policies[policy(&m, "bi")];
    assert!((bi.premium.gross - 1.2 * bi.expected_payout).abs() < 1e-9 * bi.premium.gross);
    let cover = &ins.policies[policy(&m, "cover")];
    assert!((cover.premium.gross - cover.premium.risk / 0.75).abs() < 1e-9 * cover.premium.gross);
    assert!(
        cover.premium.risk > cover.expected_payout,
        "the Wang transform loads"
    );
    assert!(
        cover.p_no_payout_given_bad_year.unwrap() > 0.0
            && cover.payout_loss_correlation.unwrap() > 0.0
    );
    // Retained loss: before minus payouts, per trial, so the means differ by E[payout].
    let none = &ins.decisions[0];
    assert!(
        (none.expected_retained_loss
            - ins.decisions[1].expected_retained_loss
            - cover.expected_payout)
            .abs()
            < 1e-6 * none.expected_retained_loss
    );
}

#[test]
fn basis_risk_of_parametric_covers() {
    // "site" needs the cloud and its own app: a cover on the cloud misses the
    // years with only app outages. "dual" fails over between two clouds within
    // 5 minutes, inside the 10-minute grace: a cover on the first cloud pays in
    // years the insured loses nothing.
    let m = model(
        r#"name = "basis"
[[component]]
id = "cloud"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[component]]
id = "cloud-2"
outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[component]]
id = "app"
outages = { per_year = 2.0, duration = { dist = "exponential", mean_hours = 2.0 } }
[[component]]
id = "site"
needs = ["cloud", "app"]
[[component]]
id = "dual"
needs = ["cloud", "cloud-2"]
mode = "failover"
switch_minutes = 5
[[architecture]]
id = "site"
serves = "site"
loss = { per_hour = 1000 }
[[architecture]]
id = "dual"
serves = "dual"
loss = { per_hour = 1000, grace_minutes = 10 }
[[policy]]
id = "on-site"
kind = "parametric"
index = "cloud"
insured = "site"
pay_per_hour = 1000
[[policy]]
id = "on-dual"
kind = "parametric"
index = "cloud"
insured = "dual"
pay_per_hour = 1000
[[policy]]
id = "on-dual-waiting"
kind = "parametric"
index = "cloud"
insured = "dual"
waiting_hours = 2
pay_per_hour = 1000
"#,
    );
    let trials = 20_000;
    let (_, ins) = run(&m, trials, 32);
    let (lc, la) = (1.0f64, 2.0f64);
    // Overlaps (an app outage merged into a cloud outage, an outage in progress
    // at 0 swallowing one that starts later) change these by at most the
    // expected number of overlapping events, λ·2ρ per source pair.
    let bias = 2.0 * (lc + la) * 2.0 * (rho(lc, 2.0) + rho(la, 2.0));
    let on_site = &ins.policies[policy(&m, "on-site")];
    // A bad year is one with any outage (b = 0): 1 − e^{−(λc + λa)}; the cover
    // misses it when no cloud outage starts but an app outage does:
    // P(no payout | bad year) = e^{−λc} (1 − e^{−λa}) / (1 − e^{−(λc + λa)}).
    let p_bad = 1.0 - (-(lc + la)).exp();
    let missed = on_site.p_no_payout_given_bad_year.unwrap();
    let exact = (-lc).exp() * (1.0 - (-la).exp()) / p_bad;
    let se = (exact * (1.0 - exact) / (trials as f64 * p_bad)).sqrt();
    // Numerator and denominator each move by at most `bias`.
    let tol = Z * se + 2.0 * bias / p_bad;
    assert!((missed - exact).abs() <= tol, "missed {missed} vs {exact}");
    assert!(tol < 0.1 * exact, "tolerance too loose: {tol}");
    assert!(on_site.payout_loss_correlation.unwrap() > 0.3);
    let on_dual = &ins.policies[policy(&m, "on-dual")];
    // The failover keeps the loss of "dual" at 0 during a cloud outage (unless
    // cloud-2 is down too), so nearly every cloud outage is "no need"; the
    // cover pays from the first hour, so it pays for every one of them.
    assert_eq!(on_dual.p_payout_given_no_need, Some(1.0));
    // With 2 h waiting it pays for those longer than 2 h: P(D > 2) = e^{−2/μ}.
    // A cloud outage overlapping one of cloud-2 (λ₂ (μ + μ₂) per hour) or
    // another cloud outage (2ρ) is the only dependence of D on "no need".
    let waiting = &ins.policies[policy(&m, "on-dual-waiting")];
    let unneeded = waiting.p_payout_given_no_need.unwrap();
    let exact = (-2.0f64 / 2.0).exp();
    let count = trials as f64 * lc;
    let se = (exact * (1.0 - exact) / count).sqrt();
    let bias = 1.0 / H_YEAR * 4.0 + 2.0 * rho(lc, 2.0);
    assert!(
        (unneeded - exact).abs() <= Z * se + bias,
        "P(payout | no need) {unneeded} vs {exact}"
    );
    assert!(Z * se + bias < 0.1 * exact, "tolerance too loose");
}

#[test]
fn one_tail_definition_and_loss_p99_beside_the_aep_at_100() {
    let m = model(WEB);
    let trials = 5000u64;
    let (sim, ins) = run(&m, trials, 33);
    let a = 0; // architecture "one", insured by "cover"
    let mut desc: Vec<f64> = sim.of(a).map(|o| o.loss).collect();
    desc.sort_by(|x, y| y.total_cmp(x));
    let x = |rank: usize| desc[rank - 1];
    // TVaR 99%: the mean of the worst N/100 = 50 periods, in policies.csv,
    // decisions.csv, the ORD AEP TVaR at 100 years and the report's charts.
    let tail = desc[..50].iter().sum::<f64>() / 50.0;
    let cover = &ins.policies[policy(&m, "cover")];
    let gul = ins.ord.set(SummaryKind::Architecture).next().unwrap();
    let mut asc = desc.clone();
    asc.reverse();
    for (what, v) in [
        ("policies.csv", cover.insured_tvar99_before),
        ("decisions.csv", ins.decisions[0].retained_loss_tvar99),
        ("gul_S1_ept.csv", ept(gul, AEP_TVAR, 100.0).unwrap()),
        ("charts", fateshare::charts::data::tail_mean(&asc, 0.99)),
    ] {
        assert!((v - tail).abs() <= 1e-9 * tail, "{what}: {v} vs {tail}");
    }
    // loss_p99 (summary.csv) is the type-7 quantile: ascending position
    // h = (N − 1)·0.99 = 4949.01, between the 51st and 50th largest; the AEP
    // at 100 years is the 50th largest itself.
    let s = &fateshare::stats::summarize(&m, &sim)[a];
    let p99 = s.loss_p99.unwrap();
    let want = x(51) + (4949.01 - 4949.0) * (x(50) - x(51));
    assert!((p99 - want).abs() <= 1e-9 * want, "{p99} vs {want}");
    assert_eq!(ept(gul, AEP, 100.0), Some(x(50)));
    assert!(x(50) > x(51), "the two figures must be told apart here");
}

#[test]
fn one_cover_priced_under_several_principles() {
    let with = WEB.replacen(
        "pricing = { method = \"expected_value\", loading = 0.2 }",
        "pricing = { method = \"expected_value\", loading = 0.2 }\n\
         compare_pricing = [{ method = \"std_dev\", loading = 0.5 }, \
         { method = \"cost_of_capital\", rate = 0.1, expense_ratio = 0.2 }]",
        1,
    );
    assert_ne!(with, WEB, "test setup");
    let (m, plain) = (model(&with), model(WEB));
    let (_, ins) = run(&m, 5000, 34);
    let (_, base) = run(&plain, 5000, 34);
    // Comparing principles changes nothing else.
    assert_eq!(ins.policies, base.policies);
    assert_eq!(ins.decisions, base.decisions);
    let bi = policy(&m, "bi");
    let rows: Vec<_> = ins.premiums.iter().filter(|r| r.policy == "bi").collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].charged && !rows[1].charged && !rows[2].charged);
    assert_eq!(rows[0].premium, ins.policies[bi].premium);
    let x: Vec<f64> = ins.table.of(bi).map(|y| y.payout).collect();
    let mo = Moments::of(x.iter().copied());
    let sd = mo.mean + 0.5 * mo.sd;
    assert!((rows[1].premium.gross - sd).abs() <= 1e-9 * sd);
    let tvar = fateshare::insurance::ep::tvar(&x, 0.995);
    let coc = (mo.mean + 0.1 * (tvar - mo.mean)) / 0.8;
    assert!((rows[2].premium.gross - coc).abs() <= 1e-9 * coc, "{coc}");
    // Without compare_pricing, one row per policy: the charged one.
    assert_eq!(base.premiums.len(), 3);
    // Portfolio view: the expected-value principle is additive (no credit),
    // std dev and cost of capital are subadditive; a one-policy portfolio
    // gets no credit under any principle.
    for r in &ins.portfolio_premiums {
        let credit = r.diversification_credit().unwrap();
        match (r.portfolio.as_str(), r.pricing.principle.name()) {
            ("solo", _) | ("book", "expected_value") => {
                assert!(credit.abs() < 1e-12, "{} {credit}", r.portfolio)
            }
            _ => assert!(credit >= -1e-12, "{} {credit}", r.portfolio),
        }
    }
    let book: Vec<&str> = ins
        .portfolio_premiums
        .iter()
        .filter(|r| r.portfolio == "book")
        .map(|r| r.pricing.principle.name())
        .collect();
    assert_eq!(
        book,
        ["wang", "expected_value", "std_dev", "cost_of_capital"]
    );
}

#[test]
fn co_tvar_allocations_add_up_to_the_portfolio_tvar() {
    let m = model(WEB);
    let (_, ins) = run(&m, 5000, 35);
    for (k, p) in ins.portfolios.iter().enumerate() {
        let rows: Vec<_> = ins
            .allocations
            .iter()
            .filter(|a| a.portfolio == p.portfolio)
            .collect();
        assert_eq!(rows.len(), p.policies);
        let sum: f64 = rows.iter().map(|a| a.co_tvar995).sum();
        assert!(p.tvar995 > 0.0);
        assert!(
            (sum - p.tvar995).abs() <= 1e-9 * p.tvar995,
            "{}: {sum} vs {}",
            p.portfolio,
            p.tvar995
        );
        // Each allocation is the policy's mean payout over the portfolio's
        // worst 25 of 5000 trials (0.5%), found here by ranking the totals.
        let total = &ins.portfolio_totals[k];
        let mut order: Vec<usize> = (0..total.len()).collect();
        order.sort_by(|&a, &b| total[b].total_cmp(&total[a]).then(a.cmp(&b)));
        for a in &rows {
            let x: Vec<f64> = ins
                .table
                .of(policy(&m, &a.policy))
                .map(|y| y.payout)
                .collect();
            let want = order[..25].iter().map(|&t| x[t]).sum::<f64>() / 25.0;
            assert!(
                (a.co_tvar995 - want).abs() <= 1e-9 * want.max(1.0),
                "{}",
                a.policy
            );
            // A policy never takes more of the tail than its own TVaR.
            assert!(a.co_tvar995 <= ins.policies[policy(&m, &a.policy)].payout_tvar995 + 1e-9);
        }
    }
}
