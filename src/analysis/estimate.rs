//! Estimates from per-trial values: running sums kept per chunk of trials
//! and added in chunk order (so totals do not depend on the thread count),
//! turned into means and ratios of means with normal-approximation
//! standard errors.

/// Sums over trials of a quantity x, its square, and its product with the
/// base quantity y it is paired with (for ratios x̄ / ȳ).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    pub x: f64,
    pub xx: f64,
    pub xy: f64,
}

impl Sums {
    #[inline]
    pub fn add(&mut self, x: f64, y: f64) {
        self.x += x;
        self.xx += x * x;
        self.xy += x * y;
    }

    pub fn merge(&mut self, other: &Sums) {
        self.x += other.x;
        self.xx += other.xx;
        self.xy += other.xy;
    }
}

/// A value with its standard error; the 95% interval is value ± 1.96·se.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub se: f64,
}

impl Estimate {
    pub fn scaled(self, k: f64) -> Estimate {
        Estimate {
            value: self.value * k,
            se: self.se * k.abs(),
        }
    }
}

/// The mean of x over `n` trials.
pub fn mean(s: &Sums, n: u64) -> Estimate {
    let nf = n as f64;
    let m = s.x / nf;
    let var = if n > 1 {
        ((s.xx - s.x * m) / (nf - 1.0)).max(0.0)
    } else {
        0.0
    };
    Estimate {
        value: m,
        se: (var / nf).sqrt(),
    }
}

/// The ratio Σx / Σy over `n` trials, with the delta-method standard error
/// sqrt(Σ(x − R·y)² / (n − 1) / n) / ȳ. `y.x` and `y.xx` are Σy and Σy².
/// NaN when Σy is 0.
pub fn ratio(s: &Sums, y: &Sums, n: u64) -> Estimate {
    if y.x == 0.0 {
        return Estimate {
            value: f64::NAN,
            se: f64::NAN,
        };
    }
    let nf = n as f64;
    let r = s.x / y.x;
    let ss = (s.xx - 2.0 * r * s.xy + r * r * y.xx).max(0.0);
    let var = if n > 1 { ss / (nf - 1.0) } else { 0.0 };
    Estimate {
        value: r,
        se: (var / nf).sqrt() / (y.x / nf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_ratio_match_two_pass_formulas() {
        let xs = [1.0, 4.0, 0.0, 7.0, 3.0];
        let ys = [2.0, 5.0, 1.0, 9.0, 3.0];
        let (mut sx, mut sy) = (Sums::default(), Sums::default());
        for (&x, &y) in xs.iter().zip(&ys) {
            sx.add(x, y);
            sy.add(y, y);
        }
        let m = mean(&sx, 5);
        let mx = 15.0 / 5.0;
        let var = xs.iter().map(|x| (x - mx) * (x - mx)).sum::<f64>() / 4.0;
        assert!((m.value - mx).abs() < 1e-12);
        assert!((m.se - (var / 5.0).sqrt()).abs() < 1e-12);
        let r = ratio(&sx, &sy, 5);
        let rr = 15.0 / 20.0;
        let d = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| (x - rr * y) * (x - rr * y))
            .sum::<f64>()
            / 4.0;
        assert!((r.value - rr).abs() < 1e-12);
        assert!((r.se - (d / 5.0).sqrt() / 4.0).abs() < 1e-12);
    }
}
