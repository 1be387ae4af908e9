//! A parametric policy's `threshold`: the index counts as out while its
//! service level is below it. Exact relations trial by trial, a closed form
//! within the run's confidence interval, and bad values.

use crate::common;
use common::*;
use fateshare::engine::RunOptions;
use fateshare::insurance::{self, Options};
use fateshare::model::Settings;
use fateshare::stats::Moments;

/// Outages of `a` (λ·D = 0.5) failing half of the requests each: one running
/// leaves 0.5, two 0.25. Policies pay 10 per hour out, from hour 0.
fn scenario(thresholds: &[&str]) -> String {
    let mut s = String::from(
        r#"name = "t"
[[component]]
id = "a"
outages = { per_year = 876.0, duration = { dist = "exponential", mean_hours = 5.0 }, severity = 0.5 }
[[architecture]]
id = "x"
serves = "a"
loss = { per_hour = 10 }
"#,
    );
    for (i, t) in thresholds.iter().enumerate() {
        s += &format!(
            "[[policy]]\nid = \"p{i}\"\nkind = \"parametric\"\ninsured = \"x\"\nindex = \"a\"\npay_per_hour = 10\n{t}\n"
        );
    }
    s
}

#[test]
fn threshold_decides_when_the_index_is_out() {
    let m = model(&scenario(&[
        "",
        "threshold = 1",
        "threshold = 0.6",
        "threshold = 0.4",
    ]));
    let settings = Settings {
        horizon_hours: H_YEAR,
        trials: 2_000,
        seed: 9,
    };
    let opts = Options {
        ord: false,
        per_trial: true,
    };
    let (_, ins) = insurance::run(&m, &settings, &RunOptions::default(), opts);
    let ins = ins.expect("policies");
    let paid = |p: usize| -> Vec<f64> { ins.table.of(p).map(|y| y.payout).collect() };
    // Written default, and any threshold above the one-outage level 0.5, pay the same.
    assert_eq!(paid(0), paid(1));
    assert_eq!(paid(0), paid(2));
    assert!(paid(0).iter().filter(|&&x| x > 0.0).count() > 100);
    // Below 0.4 only while two or more overlap: 1 − e^{−λD}(1 + λD) of the time.
    let ld: f64 = 0.5;
    let m3 = Moments::of(paid(3).into_iter().map(|x| x / 10.0 / H_YEAR));
    assert_close("out below 0.4", &m3, 1.0 - (-ld).exp() * (1.0 + ld), 0.0);
    let m0 = Moments::of(paid(0).into_iter().map(|x| x / 10.0 / H_YEAR));
    assert_close("out below 1", &m0, 1.0 - (-ld).exp(), 0.0);
}

#[test]
fn bad_thresholds_exit_2() {
    for t in ["0", "1.5", "-1"] {
        assert_rejected(
            &scenario(&[&format!("threshold = {t}")]),
            &["policy \"p0\"", &format!("threshold is {t}"), "at most 1"],
        );
    }
}
