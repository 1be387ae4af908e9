//! `max_hours` on any duration distribution: outages last min(D, max).

use crate::common;
use common::*;
use fateshare::dist::normal_cdf;

#[test]
fn capped_durations_closed_forms() {
    let m = model(
        r#"name = "t"
        [[component]]
        id = "e"
        outages = { per_year = 300.0, duration = { dist = "exponential", mean_hours = 5.0, max_hours = 3.0 } }
        [[component]]
        id = "l"
        outages = { per_year = 300.0, duration = { dist = "lognormal", median_hours = 2.0, p95_hours = 30.0, max_hours = 8.0 } }
        [[architecture]]
        id = "e"
        serves = "e"
        [[architecture]]
        id = "l"
        serves = "l"
        [[architecture]]
        id = "longest"
        serves = "l""#,
    );
    let sim = simulate(&m, 4_000, H_YEAR, 41);
    // E[min(Exp(m), c)] = m(1 − e^{−c/m}).
    let e = 5.0 * (1.0 - (-3.0f64 / 5.0).exp());
    assert_close(
        "capped exponential",
        &unavailability(&m, &sim, "e"),
        u_source(300.0, e),
        0.0,
    );
    // E[min(LN, c)] = e^{μ+σ²/2} Φ(z − σ) + c (1 − Φ(z)), z = (ln c − μ)/σ.
    let (mu, sigma) = (2.0f64.ln(), (30.0f64 / 2.0).ln() / 1.644_853_626_951_472_2);
    let z = (8.0f64.ln() - mu) / sigma;
    let l = (mu + sigma * sigma / 2.0).exp() * normal_cdf(z - sigma) + 8.0 * (1.0 - normal_cdf(z));
    assert_close(
        "capped lognormal",
        &unavailability(&m, &sim, "l"),
        u_source(300.0, l),
        0.0,
    );
    assert!(m.sources[1].duration.mean() < 8.0);
}

#[test]
fn bad_max_hours_exits_2() {
    assert_rejected(
        r#"name = "t"
        [[component]]
        id = "a"
        outages = { per_year = 1.0, duration = { dist = "exponential", mean_hours = 5.0, max_hours = -2 } }
        [[architecture]]
        id = "a"
        serves = "a""#,
        &[
            "component \"a\"",
            "outages.duration.max_hours is -2",
            "greater than 0",
        ],
    );
}
