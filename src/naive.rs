//! The independence baseline ("vendor arithmetic"): the availability that the
//! published composite-SLA method gives from the same scenario, for comparing
//! with the simulated figure.
//!
//! Each component's stand-alone long-run unavailability comes from the
//! sources that hit it directly (its own outages and every cause that can hit
//! it), as if independent: a source of rate λ per hour, hit probability p and
//! mean duration E[D] is down `1 − exp(−λ·p·E[D])` of the time, and
//! independent sources combine as `1 − Π(1 − uₛ)`. Then, in topological
//! order, needs are combined as if every component were independent of every
//! other: `all` multiplies availabilities, `any` and `failover` multiply
//! unavailabilities (switch time is ignored, as the published method has no
//! notion of it), and `quorum = k` takes the exact probability that at least
//! k of the n needs are up, for unequal needs (Poisson-binomial). The
//! component is up when both its own sources and its needs are.
//!
//! On service levels ([`component_served`]) the same arithmetic combines
//! stand-alone *expected levels*: a source of rate λ, hit probability p, mean
//! duration E[D] and mean severity E[s] leaves `exp(−λ·p·E[D]·E[s])` of the
//! requests served (a Poisson number of overlapping outages, each serving
//! 1 − s), and needs combine by the level rules of the component's mode
//! (`all` Π l, `any` and `failover` 1 − Π(1 − l), `quorum` Poisson-binomial,
//! `pool` E[min(1, Σ c·X)] with each branch up with probability l), exact for
//! independent parts except a pool of partial levels and a failover's
//! switching and gray failures, which it ignores.
//!
//! Everything is computed as *unavailability* so that tiny figures (a pair of
//! vendors is down ~10⁻⁷ of the time by this arithmetic) keep their digits.
//! Works on the [`Model`] only: no simulation.

use crate::model::{Mode, Model};

/// Stand-alone unavailability of every component from the sources that hit it
/// directly, ignoring its needs (indexed like `Model::components`).
pub fn own_unavailability(model: &Model) -> Vec<f64> {
    // Σ λ·p·E[D] per component; 1 − Π exp(−xₛ) = 1 − exp(−Σ xₛ).
    let mut load = vec![0.0; model.components.len()];
    for s in &model.sources {
        let m = s.rate_per_hour * s.duration.mean();
        for t in &s.targets {
            load[t.component] += m * t.probability;
        }
    }
    load.into_iter().map(|x: f64| -(-x).exp_m1()).collect()
}

/// Unavailability of every component by the independence arithmetic
/// (indexed like `Model::components`).
pub fn component_unavailability(model: &Model) -> Vec<f64> {
    let own = own_unavailability(model);
    let mut u = vec![0.0; model.components.len()];
    for (c, comp) in model.components.iter().enumerate() {
        let needs: Vec<f64> = comp.needs.iter().map(|&n| u[n]).collect();
        let from_needs = if needs.is_empty() {
            0.0
        } else {
            match comp.mode {
                Mode::All => all(&needs),
                Mode::Any | Mode::Failover { .. } => any(&needs),
                Mode::Quorum(k) => quorum(&needs, k),
                Mode::Pool => pool(&needs, &comp.capacity),
            }
        };
        u[c] = series(own[c], from_needs);
    }
    u
}

/// Unavailability of every architecture by the independence arithmetic, in
/// scenario order.
pub fn architecture_unavailability(model: &Model) -> Vec<f64> {
    let u = component_unavailability(model);
    model.architectures.iter().map(|a| u[a.serves]).collect()
}

/// Stand-alone expected service level of every component from the sources
/// that hit it directly: `exp(−Σ λ·p·E[D]·E[s])`.
pub fn own_served(model: &Model) -> Vec<f64> {
    let mut load = vec![0.0; model.components.len()];
    for s in &model.sources {
        let m = s.rate_per_hour * s.duration.mean();
        for t in &s.targets {
            load[t.component] += m * t.probability * t.severity.mean();
        }
    }
    load.into_iter().map(|x: f64| (-x).exp()).collect()
}

/// Expected service level (served share) of every component as if every
/// part were independent, by the level rules of each mode.
pub fn component_served(model: &Model) -> Vec<f64> {
    let own = own_served(model);
    let mut l = vec![1.0; model.components.len()];
    for (c, comp) in model.components.iter().enumerate() {
        let needs: Vec<f64> = comp.needs.iter().map(|&n| l[n]).collect();
        let unserved: Vec<f64> = needs.iter().map(|x| 1.0 - x).collect();
        let from_needs = if needs.is_empty() {
            1.0
        } else {
            match comp.mode {
                Mode::All => needs.iter().product(),
                Mode::Any | Mode::Failover { .. } => 1.0 - any(&unserved),
                Mode::Quorum(k) => 1.0 - quorum(&unserved, k),
                Mode::Pool => pool_served(&needs, &comp.capacity),
            }
        };
        l[c] = own[c] * from_needs;
    }
    l
}

/// Expected served share of every architecture by the independence
/// arithmetic on levels, in scenario order.
pub fn architecture_served(model: &Model) -> Vec<f64> {
    let l = component_served(model);
    model.architectures.iter().map(|a| l[a.serves]).collect()
}

/// `pool` on levels: E[min(1, Σ capacity·X)] with branch k up (X = 1) with
/// probability `level[k]`, by enumerating which are up.
fn pool_served(level: &[f64], capacity: &[f64]) -> f64 {
    let n = level.len();
    let mut total = 0.0;
    for mask in 0u32..(1 << n) {
        let (mut p, mut up) = (1.0, 0.0);
        for k in 0..n {
            if mask & (1 << k) != 0 {
                p *= level[k];
                up += capacity[k];
            } else {
                p *= 1.0 - level[k];
            }
        }
        total += p * f64::min(1.0, up);
    }
    total
}

/// Two independent parts in series: down when either is,
/// `1 − (1 − a)(1 − b)`.
pub fn series(a: f64, b: f64) -> f64 {
    a + b - a * b
}

/// `all`: down unless every part is up, `1 − Π(1 − uᵢ)`.
pub fn all(u: &[f64]) -> f64 {
    -u.iter().map(|x| (-x).ln_1p()).sum::<f64>().exp_m1()
}

/// `any` (and `failover`): down only when every part is down, `Π uᵢ`.
pub fn any(u: &[f64]) -> f64 {
    u.iter().product()
}

/// `quorum = k` of n independent parts with unequal unavailabilities: down
/// when fewer than k are up, i.e. when at least n − k + 1 are down. Exact, by
/// the Poisson-binomial recursion over the number of parts down; the upper
/// tail is summed directly (no `1 − …`), so small results keep their digits.
pub fn quorum(u: &[f64], k: usize) -> f64 {
    let n = u.len();
    if k == 0 {
        return 0.0;
    }
    if k > n {
        return 1.0;
    }
    // p[j] = P(exactly j of the parts seen so far are down).
    let mut p = vec![0.0; n + 1];
    p[0] = 1.0;
    for (i, &ui) in u.iter().enumerate() {
        for j in (0..=i + 1).rev() {
            let down = if j > 0 { p[j - 1] * ui } else { 0.0 };
            p[j] = p[j] * (1.0 - ui) + down;
        }
    }
    p[n - k + 1..].iter().sum()
}

/// `pool`: below full service when the capacity of the parts up is under 1,
/// by enumerating which parts are down (at most 16 parts, checked by validation).
pub fn pool(u: &[f64], capacity: &[f64]) -> f64 {
    let n = u.len();
    let mut total = 0.0;
    for mask in 0u32..(1 << n) {
        let (mut p, mut up) = (1.0, 0.0);
        for k in 0..n {
            if mask & (1 << k) != 0 {
                p *= u[k];
            } else {
                p *= 1.0 - u[k];
                up += capacity[k];
            }
        }
        if up < 1.0 {
            total += p;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn model(toml: &str) -> Model {
        let file = scenario::parse(toml, "t.toml").expect("parses");
        scenario::validate::compile(&file).expect("valid")
    }

    fn close(what: &str, got: f64, want: f64, rel: f64) {
        assert!(
            (got - want).abs() <= rel * want.abs(),
            "{what}: got {got}, want {want}"
        );
    }

    /// The worked example of docs/scenario-format.md §9, whose figures were
    /// computed by hand there: u_A = 5.968e-4, u_B = 8.249e-4, and the naive
    /// pair u_A·u_B = 4.92e-7.
    const WORKED: &str = r#"
name = "worked"
[[component]]
id = "vendor-a"
outages = { per_year = 2, duration = { dist = "exponential", mean_hours = 2 } }
[[component]]
id = "vendor-b"
outages = { per_year = 4, duration = { dist = "exponential", mean_hours = 1.5 } }
[[component]]
id = "a-or-b"
needs = ["vendor-a", "vendor-b"]
mode = "any"
[[cause]]
id = "cloud"
per_year = 0.3
duration = { dist = "lognormal", median_hours = 3, p95_hours = 11 }
hits = { vendor-a = 1.0, vendor-b = HIT_B }
[[architecture]]
id = "a"
serves = "vendor-a"
[[architecture]]
id = "pair"
serves = "a-or-b"
"#;

    #[test]
    fn worked_example_of_the_format_doc() {
        let m = model(&WORKED.replace("HIT_B", "1.0"));
        let u = architecture_unavailability(&m);
        close("vendor-a", u[0], 5.968e-4, 2e-4);
        // u_B = 1 − exp(−(4·1.5 + 0.3·4.098)/8760) = 8.249e-4.
        let ub = component_unavailability(&m)[1];
        close("vendor-b", ub, 8.249e-4, 2e-4);
        close("pair", u[1], 5.968e-4 * 8.249e-4, 5e-4);
        close("pair", u[1], 4.92e-7, 1e-3);
    }

    #[test]
    fn partial_hit_scales_the_cause_load() {
        // §9 "With a partial hit": vendor-b alone 7.55e-4, pair 4.5e-7.
        let m = model(&WORKED.replace("HIT_B", "0.5"));
        let c = component_unavailability(&m);
        let sigma = (11.0f64 / 3.0).ln() / crate::dist::Z95;
        let c_load = 0.3 / 8760.0 * 3.0 * (sigma * sigma / 2.0).exp();
        let want_b = 1.0 - (-(4.0 * 1.5 / 8760.0 + 0.5 * c_load)).exp();
        close("vendor-b", c[1], want_b, 1e-4);
        close("vendor-b", c[1], 7.55e-4, 1e-3);
        close("pair", c[2], c[0] * c[1], 1e-12);
        close("pair", c[2], 4.5e-7, 1e-2);
    }

    #[test]
    fn combinators_against_hand_values() {
        // all: 1 − 0.9·0.8 = 0.28
        close("all", all(&[0.1, 0.2]), 0.28, 1e-12);
        // any: 0.1·0.2·0.5
        close("any", any(&[0.1, 0.2, 0.5]), 0.01, 1e-12);
        // 2 of 3 up ⇔ at most one down; down ⇔ ≥ 2 down:
        // u1u2 + u1u3 + u2u3 − 2·u1u2u3 = 0.02 + 0.05 + 0.1 − 0.02 = 0.15
        close("2 of 3", quorum(&[0.1, 0.2, 0.5], 2), 0.15, 1e-12);
        // 1 of n is any, n of n is all.
        close("1 of 3", quorum(&[0.1, 0.2, 0.5], 1), 0.01, 1e-12);
        close(
            "3 of 3",
            quorum(&[0.1, 0.2, 0.5], 3),
            1.0 - 0.9 * 0.8 * 0.5,
            1e-12,
        );
        // 3 of 4 with unequal parts, enumerated by hand: down ⇔ ≥ 2 down.
        let u = [0.1, 0.2, 0.3, 0.4];
        let mut want = 0.0;
        for mask in 0u32..16 {
            let p: f64 = (0..4)
                .map(|i| if mask >> i & 1 == 1 { u[i] } else { 1.0 - u[i] })
                .product();
            if mask.count_ones() >= 2 {
                want += p;
            }
        }
        close("3 of 4", quorum(&u, 3), want, 1e-12);
        close("series", series(0.1, 0.2), 0.28, 1e-12);
    }

    #[test]
    fn tiny_figures_keep_their_digits() {
        // Three parts down 1e-6 each; 2 of 3 down ≈ 3e-12, all-series ≈ 3e-6.
        let u = [1e-6; 3];
        close("2 of 3", quorum(&u, 2), 3e-12 - 2e-18, 1e-9);
        close("all", all(&u), 3e-6 - 3e-12 + 1e-18, 1e-9);
        close("any", any(&u), 1e-18, 1e-12);
    }

    #[test]
    fn graph_combination_in_topological_order() {
        // x (own 0.5/yr · 2 h) needs 2 of {a, b, c} and is hit by a cause
        // with probability 0.5; failover treated as any; a serves chain.
        let m = model(
            r#"
name = "graph"
[[component]]
id = "top"
needs = ["x", "d"]
mode = "failover"
switch_minutes = 30
[[component]]
id = "x"
needs = ["a", "b", "c"]
mode = "quorum"
quorum = 2
outages = { per_year = 0.5, duration = { dist = "fixed", hours = 2 } }
[[component]]
id = "a"
outages = { per_year = 1, duration = { dist = "fixed", hours = 1 } }
[[component]]
id = "b"
outages = { per_year = 2, duration = { dist = "uniform", min_hours = 1, max_hours = 3 } }
[[component]]
id = "c"
outages = { per_year = 3, duration = { dist = "exponential", mean_hours = 4 } }
[[component]]
id = "d"
outages = { per_year = 10, duration = { dist = "fixed", hours = 10 } }
[[cause]]
id = "k"
per_year = 1
duration = { dist = "fixed", hours = 6 }
hits = { x = 0.5, a = 1.0 }
[[architecture]]
id = "top"
serves = "top"
[[architecture]]
id = "x"
serves = "x"
"#,
        );
        let y: f64 = 8760.0;
        let ua = 1.0 - (-(1.0 * 1.0 + 1.0 * 6.0) / y).exp();
        let ub = 1.0 - (-(2.0 * 2.0) / y).exp();
        let uc = 1.0 - (-(3.0 * 4.0) / y).exp();
        let ud = 1.0 - (-(10.0 * 10.0) / y).exp();
        let x_own = 1.0 - (-(0.5 * 2.0 + 0.5 * 6.0) / y).exp();
        let two_of_three = ua * ub + ua * uc + ub * uc - 2.0 * ua * ub * uc;
        let ux = 1.0 - (1.0 - x_own) * (1.0 - two_of_three);
        let u = architecture_unavailability(&m);
        close("x", u[1], ux, 1e-9);
        close("top", u[0], ux * ud, 1e-9);
    }

    #[test]
    fn components_without_sources_are_never_down() {
        let m = model(
            r#"
name = "none"
[[component]]
id = "a"
[[component]]
id = "b"
needs = ["a"]
[[architecture]]
id = "b"
serves = "b"
"#,
        );
        assert_eq!(architecture_unavailability(&m), vec![0.0]);
    }
}
