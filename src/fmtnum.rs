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
    let u = 100.0 * (1.0 - a);
    let decimals = if u > 0.0 {
        ((-u.log10()).floor() as i64 + 2).clamp(2, 12) as usize
    } else {
        2
    };
    format!("{:.*}%", decimals, 100.0 * a)
}

#[cfg(test)]
mod tests {
    use super::*;

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
