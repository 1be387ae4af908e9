//! Uncertain parameters and the two-level run, against closed forms: the
//! posteriors' formulas, the Gamma–Poisson mixture of a component's
//! unavailability, and point values equal to writing the means.

use crate::common;
use common::{assert_close, H_YEAR, Z};
use fateshare::catalogue::fit::RatePosterior;
use fateshare::catalogue::special::gamma_quantile;
use fateshare::engine::RunOptions;
use fateshare::model::Settings;
use fateshare::scenario;
use fateshare::stats::Moments;
use fateshare::uncertain::{draws, Prior};

fn doc(text: &str) -> (toml::Table, Vec<fateshare::uncertain::Param>) {
    let (doc, _, params) =
        scenario::document_with_uncertain(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    (doc, params)
}

#[test]
fn posteriors_follow_the_documented_formulas() {
    // k incidents over T years: Gamma(k + 1/2, T), the catalogue's own posterior.
    for (k, t) in [(0u64, 1.0), (3, 5.0), (40, 12.5)] {
        let p = Prior::Incidents {
            incidents: k,
            years: t,
        };
        assert_eq!(p.gamma_shape_rate(), Some((k as f64 + 0.5, t)));
        assert_eq!(p.mean(), RatePosterior::new(k, t).mean());
        assert_eq!(p.mean(), (k as f64 + 0.5) / t);
    }
    // h hits of n: Beta(h + 1/2, n − h + 1/2), mean (h + 1/2)/(n + 1).
    for (h, n) in [(0u64, 1u64), (2, 9), (9, 9)] {
        let p = Prior::Hits { hits: h, of: n };
        assert_eq!(
            p.beta_parameters(),
            Some((h as f64 + 0.5, (n - h) as f64 + 0.5))
        );
        assert!((p.mean() - (h as f64 + 0.5) / (n as f64 + 1.0)).abs() < 1e-15);
    }
    // Gamma by mean and sd: shape (mean/sd)², rate mean/sd².
    let g = Prior::Gamma { mean: 2.0, sd: 0.5 };
    let (shape, rate) = g.gamma_shape_rate().unwrap();
    assert!((shape - 16.0).abs() < 1e-12 && (rate - 8.0).abs() < 1e-12);
}

/// Sample moments of each prior's draws against its closed-form mean and
/// variance (the sampler is the distribution documented).
#[test]
fn draws_have_the_priors_mean_and_variance() {
    use rand::SeedableRng;
    let z95: f64 = 1.644_853_626_951_472_2;
    let cases = [
        (
            Prior::Incidents {
                incidents: 3,
                years: 5.0,
            },
            3.5 / 5.0,
            3.5 / 25.0,
        ),
        (
            Prior::Hits { hits: 2, of: 9 },
            0.25,
            2.5 * 7.5 / (100.0 * 11.0),
        ),
        (Prior::Uniform { min: 1.0, max: 3.0 }, 2.0, 4.0 / 12.0),
        (
            Prior::Beta {
                alpha: 2.0,
                beta: 5.0,
            },
            2.0 / 7.0,
            10.0 / (49.0 * 8.0),
        ),
        (Prior::Gamma { mean: 2.0, sd: 0.5 }, 2.0, 0.25),
        (
            Prior::Lognormal {
                median: 1.0,
                p95: z95.exp(),
            },
            0.5f64.exp(),
            (1f64.exp() - 1.0) * 1f64.exp(),
        ),
    ];
    for (i, (prior, mean, var)) in cases.into_iter().enumerate() {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(i as u64 + 11);
        let xs: Vec<f64> = (0..200_000).map(|_| prior.sample(&mut rng)).collect();
        let m = Moments::of(xs.iter().copied());
        assert!(
            (prior.mean() - mean).abs() < 1e-12,
            "{prior:?} mean formula"
        );
        assert_close(&format!("{prior:?} mean"), &m, mean, 0.0);
        let sq = Moments::of(xs.iter().map(|x| (x - mean) * (x - mean)));
        assert_close(&format!("{prior:?} variance"), &sq, var, 0.0);
    }
}

/// One component whose rate per hour is Gamma(α, β) and whose outages last
/// an exponential time of mean D. Given λ its long-run unavailability is
/// 1 − exp(−λD), so over the draws: E[U] = 1 − (β/(β + D))^α, and the 5%
/// (95%) credible availability is exp(−λD) at the Gamma's 95% (5%) point.
#[test]
fn gamma_poisson_mixture_closed_form() {
    let (k, years, d) = (20u64, 10.0, 10.0);
    let text = format!(
        r#"
name = "gamma-poisson"
[[component]]
id = "c"
outages = {{ per_year = {{ incidents = {k}, years = {years} }}, duration = {{ dist = "exponential", mean_hours = {d} }} }}
[[architecture]]
id = "only"
serves = "c"
"#
    );
    let (doc, params) = doc(&text);
    assert_eq!(params.len(), 1);
    let (n, m) = (500u64, 16_000u64);
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: m,
        seed: 5,
    };
    let models = draws::models(&doc, &params, "test.toml", settings.seed, n).unwrap();
    let result = draws::simulate(models, params, &settings, &RunOptions::default(), false);
    let alpha = k as f64 + 0.5;
    let beta = years * H_YEAR; // per hour
    let exact = 1.0 - (beta / (beta + d)).powf(alpha);

    // Inner (Monte Carlo) error is common to every draw (the same trials),
    // so it does not average out: bound it by Z standard errors of one draw
    // at the Gamma's 99.9% rate. Yearly down time of a Poisson(λH) count of
    // exponential(D) outages has variance λH·2D².
    let lambda_hi = gamma_quantile(alpha, beta, 0.999);
    let inner_se = (lambda_hi * H_YEAR * 2.0 * d * d / m as f64).sqrt() / H_YEAR;
    let u = Moments::of(result.draws.iter().map(|x| 1.0 - x.figures[0].availability));
    assert_close("mean unavailability over draws", &u, exact, Z * inner_se);

    // Credible values: the sample p-quantile of N draws lies between the
    // exact quantiles at p ± Z·√(p(1−p)/N), widened by the inner error.
    for (p, name) in [(0.05, "p05"), (0.95, "p95")] {
        let c = result.credible(0, "availability").unwrap();
        let got = if p < 0.5 { c.p05 } else { c.p95 };
        let dp = Z * (p * (1.0 - p) / n as f64).sqrt();
        let avail = |q: f64| (-gamma_quantile(alpha, beta, q) * d).exp();
        let (lo, hi) = (
            avail(1.0 - p + dp) - Z * inner_se,
            avail(1.0 - p - dp) + Z * inner_se,
        );
        assert!(
            lo <= got && got <= hi,
            "availability {name}: {got} outside [{lo}, {hi}] (exact {})",
            avail(1.0 - p)
        );
        // The check can fail: the other tail's value is outside.
        let other = avail(p);
        assert!(other < lo || other > hi, "{name}: interval too wide");
    }
}

/// A plain run of a scenario with uncertain values is the run of the same
/// scenario with each value's mean written instead.
#[test]
fn point_values_are_the_means() {
    let uncertain = r#"
name = "point"
[[component]]
id = "a"
outages = { per_year = { incidents = 3, years = 5 }, duration = { dist = "lognormal", median_hours = { dist = "uniform", min = 1, max = 3 }, p95_hours = 8 } }
[[component]]
id = "b"
outages = { per_year = { dist = "gamma", mean = 1.5, sd = 0.5 }, duration = { dist = "exponential", mean_hours = 3 } }
[[cause]]
id = "dns"
per_year = 0.5
duration = { dist = "exponential", mean_hours = 2 }
hits = { a = { hits = 2, of = 9 }, b = { p = { dist = "beta", alpha = 1, beta = 3 } } }
[[architecture]]
id = "a"
serves = "a"
"#;
    let plain = r#"
name = "point"
[[component]]
id = "a"
outages = { per_year = 0.7, duration = { dist = "lognormal", median_hours = 2.0, p95_hours = 8 } }
[[component]]
id = "b"
outages = { per_year = 1.5, duration = { dist = "exponential", mean_hours = 3 } }
[[cause]]
id = "dns"
per_year = 0.5
duration = { dist = "exponential", mean_hours = 2 }
hits = { a = 0.25, b = { p = 0.25 } }
[[architecture]]
id = "a"
serves = "a"
"#;
    let (x, y) = (common::model(uncertain), common::model(plain));
    assert_eq!(format!("{x:?}"), format!("{y:?}"));
}

/// A draw that moves an uncertain lognormal median keeps its σ: the written
/// p95 scales with the median.
#[test]
fn a_drawn_median_carries_the_p95_with_it() {
    let (doc0, params) = doc(r#"
name = "m"
[[component]]
id = "a"
outages = { per_year = 1, duration = { dist = "lognormal", median_hours = { dist = "uniform", min = 1, max = 3 }, p95_hours = 8 } }
[[architecture]]
id = "a"
serves = "a"
"#);
    let mut d = doc0.clone();
    params[0].write(&mut d, 3.0);
    let dur = &d["component"][0]["outages"]["duration"];
    assert_eq!(dur["median_hours"].as_float(), Some(3.0));
    assert_eq!(dur["p95_hours"].as_float(), Some(12.0));
}
