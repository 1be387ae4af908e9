//! Special functions for the fits: the regularized incomplete gamma
//! function and the Gamma distribution's quantile (log-gamma lives in
//! [`crate::dist`], beside Γ).

pub use crate::dist::ln_gamma;

/// P(a, x) = γ(a, x) / Γ(a), the CDF at x of a Gamma(a, 1) variable.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let log_front = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // Series: Σ x^n / (a (a+1) ... (a+n)).
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (sum.ln() + log_front).exp().min(1.0)
    } else {
        // Continued fraction for Q(a, x) (modified Lentz).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (1.0 - (log_front.exp() * h)).max(0.0)
    }
}

/// The p-quantile of Gamma(shape, rate): the x with P(shape, x·rate) = p,
/// found by bisection to full double precision.
pub fn gamma_quantile(shape: f64, rate: f64, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, shape.max(1.0));
    while gamma_p(shape, hi) < p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if gamma_p(shape, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= hi * 1e-15 {
            break;
        }
    }
    0.5 * (lo + hi) / rate
}

/// z with Φ(z) = 0.95.
pub const Z95: f64 = 1.644_853_626_951_472_2;
