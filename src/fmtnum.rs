//! Numbers for people: significant digits, thousands separators, durations
//! and percentages, as the charts, the graph and the HTML report show them.

/// `x` with `digits` significant digits, trailing zeros removed; an exponent
/// only for very large or very small magnitudes (`1.2e-7`).
pub fn sig(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let mag = x.abs().log10().floor() as i64;
    if !(-4..9).contains(&mag) {
        let s = format!("{:.*e}", digits.saturating_sub(1), x);
        // 1.20e-7 -> 1.2e-7
        return match s.split_once('e') {
            Some((m, e)) => format!("{}e{e}", trim_zeros(m)),
            None => s,
        };
    }
    let decimals = (digits as i64 - 1 - mag).max(0) as usize;
    // Round first so that 9.996 with 3 digits gives 10.0 -> "10".
    let rounded = format!("{x:.decimals$}");
    trim_zeros(&rounded).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// A whole amount with thousands separators: `1,234,567`.
pub fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Money in the scenario's own unit: whole amounts with separators from 100
/// up, three significant digits below.
pub fn money(x: f64) -> String {
    if x.abs() >= 100.0 {
        thousands(x)
    } else {
        sig(x, 3)
    }
}

/// A duration given in hours, in the unit that reads best: `16 s`,
/// `4.9 min`, `1.23 h`.
pub fn hours(h: f64) -> String {
    if h <= 0.0 {
        "0 h".into()
    } else if h < 1.0 / 60.0 {
        format!("{} s", sig(h * 3600.0, 2))
    } else if h < 1.0 {
        format!("{} min", sig(h * 60.0, 2))
    } else {
        format!("{} h", sig(h, 3))
    }
}

/// An availability as a percentage with enough decimals to show two
/// significant digits of the unavailability (at least 2, at most 12).
pub fn availability_percent(a: f64) -> String {
    availability_percent_extra(a, 0)
}

/// [`availability_percent`] with `extra` more decimals (at most 14).
pub fn availability_percent_extra(a: f64, extra: usize) -> String {
    let u = 100.0 * (1.0 - a);
    let decimals = if u > 0.0 {
        ((-u.log10()).floor() as i64 + 2).clamp(2, 12) as usize
    } else {
        2
    };
    format!("{:.*}%", (decimals + extra).min(14), 100.0 * a)
}

/// [`hours`] with `digits` significant digits (of the unit chosen).
pub fn hours_sig(h: f64, digits: usize) -> String {
    if h <= 0.0 {
        "0 h".into()
    } else if h < 1.0 / 60.0 {
        format!("{} s", sig(h * 3600.0, digits.max(2)))
    } else if h < 1.0 {
        format!("{} min", sig(h * 60.0, digits.max(2)))
    } else {
        format!("{} h", sig(h, digits))
    }
}

/// [`money`] with `digits` significant digits below 100 (whole amounts from 100 up).
pub fn money_sig(x: f64, digits: usize) -> String {
    if x.abs() >= 100.0 {
        thousands(x)
    } else {
        sig(x, digits)
    }
}

/// The two ends of an interval printed by `f` with `digits`, or with more
/// digits where that would print both ends alike although they differ (at
/// most 8 more).
pub fn distinct(
    lo: f64,
    hi: f64,
    f: impl Fn(f64, usize) -> String,
    digits: usize,
) -> (String, String) {
    let mut d = digits;
    loop {
        let (a, b) = (f(lo, d), f(hi, d));
        if a != b || lo == hi || d >= digits + 8 {
            return (a, b);
        }
        d += 1;
    }
}

/// A probability as a percentage with three significant digits, never
/// rounded to 0% or 100% unless it is exactly 0 or 1: `> 99.9%`, `< 0.1%`
/// take their place.
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        return "–".into();
    }
    if p <= 0.0 {
        return "0%".into();
    }
    if p >= 1.0 {
        return "100%".into();
    }
    let s = sig(100.0 * p, 3);
    if s == "100" {
        "> 99.9%".into()
    } else if 100.0 * p < 0.1 && s == "0" {
        "< 0.1%".into()
    } else {
        format!("{s}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_round_to_0_or_100_only_when_exact() {
        assert_eq!(probability(0.9995), "> 99.9%");
        assert_eq!(probability(0.99999), "> 99.9%");
        assert_eq!(probability(1.0), "100%");
        assert_eq!(probability(0.0), "0%");
        assert_eq!(probability(0.5), "50%");
        assert_eq!(probability(0.000_004), "0.0004%");
        assert_eq!(probability(0.123_456), "12.3%");
    }

    #[test]
    fn interval_ends_get_digits_until_they_differ() {
        // 99.891% and 99.894% both print as 99.89% with two digits of the
        // unavailability; one more decimal tells them apart.
        assert_eq!(
            availability_percent(0.998_91),
            availability_percent(0.998_94)
        );
        let (a, b) = distinct(0.998_91, 0.998_94, availability_percent_extra, 0);
        assert_eq!((a.as_str(), b.as_str()), ("99.891%", "99.894%"));
        let (a, b) = distinct(14.62, 14.64, hours_sig, 3);
        assert_eq!((a.as_str(), b.as_str()), ("14.62 h", "14.64 h"));
        // Equal ends stay as they are.
        let (a, b) = distinct(2.0, 2.0, hours_sig, 3);
        assert_eq!(a, b);
    }

    #[test]
    fn significant_digits() {
        assert_eq!(sig(1.23456, 3), "1.23");
        assert_eq!(sig(1234.56, 3), "1235");
        assert_eq!(sig(0.012345, 2), "0.012");
        assert_eq!(sig(2.0, 3), "2");
        assert_eq!(sig(9.996, 3), "10");
        assert_eq!(sig(4.92e-7, 3), "4.92e-7");
        assert_eq!(sig(0.0, 3), "0");
    }

    #[test]
    fn amounts_and_durations() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(money(12.345), "12.3");
        assert_eq!(hours(1.234), "1.23 h");
        assert_eq!(hours(0.0817), "4.9 min");
        assert_eq!(hours(16.0 / 3600.0), "16 s");
        assert_eq!(availability_percent(0.999403), "99.940%");
        assert_eq!(availability_percent(1.0 - 4.92e-7), "99.999951%");
    }
}
