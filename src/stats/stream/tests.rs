//! Tests of the streamed summary: quantiles from the histogram, merges in
//! any order, and availability and the served share mapped from down and
//! unserved time.

use super::*;
use crate::sketch::RELATIVE_ERROR;

#[test]
fn histogram_quantiles_are_within_the_relative_error() {
    let xs: Vec<f64> = (0..20_000)
        .map(|i| {
            let u = ((i as u64 * 2_654_435_761) % 1_000_003) as f64 / 1_000_003.0;
            if i % 5 == 0 {
                0.0
            } else {
                -3.0 * (1.0 - u).ln()
            }
        })
        .collect();
    let (mut exact, mut hist) = (Quantiles::new(u64::MAX), Quantiles::new(100));
    xs.iter().for_each(|&x| {
        exact.add(x);
        hist.add(x);
    });
    assert_eq!(exact.method(), QuantileMethod::Exact);
    assert_eq!(hist.method(), QuantileMethod::Histogram);
    let (e, h) = (exact.finish(), hist.finish());
    for p in [0.0, 0.1, 0.2, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
        let (x, y) = (e.quantile(p), h.quantile(p));
        assert!(
            (x - y).abs() <= RELATIVE_ERROR * x * (1.0 + 1e-9),
            "p {p}: exact {x}, histogram {y}"
        );
    }
}

/// Availability and the served share are `1 − x/h` of down time and
/// unserved time: their mean is that of x mapped, their sd x's scaled
/// by 1/h (exact relations), and a Welford pass over the per-trial
/// shares agrees to rounding.
#[test]
fn availability_and_served_are_the_down_and_unserved_moments_mapped() {
    let text = "name = \"t\"\n[simulation]\ntrials = 400\nseed = 9\n\
        [[component]]\nid = \"a\"\noutages = { per_year = 300, duration = { dist = \"exponential\", mean_hours = 4 }, severity = 0.5 }\n\
        [[component]]\nid = \"b\"\noutages = { per_year = 200, duration = { dist = \"fixed\", hours = 3 } }\n\
        [[architecture]]\nid = \"x\"\nserves = \"a\"\n\
        [[architecture]]\nid = \"y\"\nserves = \"b\"\n";
    let model = crate::scenario::compile_text(text, "t.toml")
        .expect("valid")
        .1;
    let sim = crate::engine::simulate(&model, &model.settings, &Default::default());
    let h = model.settings.horizon_hours;
    let mut s = Summarizer::new(&model, h, EXACT_UP_TO);
    sim.outcomes.chunks_exact(2).for_each(|t| s.add_trial(t));
    let summaries = s.finish(&model, &[]);
    for (a, sum) in summaries.iter().enumerate() {
        let down = crate::stats::Moments::of(sim.of(a).map(|o| o.downtime_hours));
        let unserved = crate::stats::Moments::of(sim.of(a).map(|o| o.unserved_hours));
        assert!(down.mean > 0.0 && unserved.mean > 0.0, "{a}: outages seen");
        assert_eq!(sum.availability, 1.0 - sum.downtime_hours_mean / h);
        let half = Z_95 * sum.downtime_hours_sd / h / 400f64.sqrt();
        assert_eq!(sum.availability_ci_high, sum.availability + half);
        assert_eq!(sum.availability_ci_low, sum.availability - half);
        let avail = crate::stats::Moments::of(sim.of(a).map(|o| 1.0 - o.downtime_hours / h));
        let served = crate::stats::Moments::of(sim.of(a).map(|o| 1.0 - o.unserved_hours / h));
        assert!((avail.mean - sum.availability).abs() <= 1e-14, "{a}");
        assert!((served.mean - sum.served).abs() <= 1e-14, "{a}");
        let half_served = Z_95 * unserved.sd / h / 400f64.sqrt();
        let got = (sum.served_ci_high - sum.served_ci_low) / 2.0;
        assert!(
            (got - half_served).abs() <= 1e-12 * half_served,
            "{a}: {got} {half_served}"
        );
        assert!((avail.sd - down.sd / h).abs() <= 1e-12 * avail.sd, "{a}");
    }
}

#[test]
fn merges_in_any_order_give_the_same_quantiles() {
    let xs: Vec<f64> = (0..3000).map(|i| ((i * 37) % 101) as f64 * 0.25).collect();
    for limit in [u64::MAX, 500] {
        let mut whole = Quantiles::new(limit);
        xs.iter().for_each(|&x| whole.add(x));
        let mut parts: Vec<Quantiles> = xs
            .chunks(256)
            .map(|c| {
                let mut q = Quantiles::new(limit);
                c.iter().for_each(|&x| q.add(x));
                q
            })
            .collect();
        parts.reverse();
        let mut merged = Quantiles::new(limit);
        parts.iter().for_each(|p| merged.merge(p));
        assert_eq!(merged.method(), whole.method());
        let (a, b) = (whole.finish(), merged.finish());
        for p in [0.5, 0.9, 0.99] {
            assert_eq!(a.quantile(p), b.quantile(p), "limit {limit}, p {p}");
        }
    }
}
