//! Text hygiene for what a scenario says: control characters (and the
//! invisible bidirectional overrides) shown escaped wherever text reaches a
//! terminal or an error line, so a scenario cannot move the cursor, split one
//! message over two lines or run terminal escape sequences.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every unsafe character written as `\n`, `\t`, `\r` or `\u{..}`
/// (borrowed when there is none).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 forbids `c` (C0 controls other than tab, newline and
/// carriage return; U+FFFE and U+FFFF).
pub fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// `s` without the characters XML forbids, so an SVG stays well-formed
/// whatever text a scenario put in it.
pub fn xml_safe(s: String) -> String {
    if s.chars().any(xml_forbidden) {
        s.chars().filter(|&c| !xml_forbidden(c)).collect()
    } else {
        s
    }
}

/// Longest free text drawn in a chart, in characters.
pub const CHART_TEXT_MAX: usize = 120;

/// Free text for a chart: unsafe characters as spaces, at most
/// [`CHART_TEXT_MAX`] characters, a cut marked with `…`.
pub fn for_chart(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(CHART_TEXT_MAX)
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .collect();
    if s.chars().nth(CHART_TEXT_MAX).is_some() {
        out.pop();
        out.push('…');
    }
    out
}

/// Whether a CSV text cell would be read as a formula by a spreadsheet: it
/// starts with `=`, `+`, `-` or `@` (or a tab or carriage return) and is not
/// a number; or it is `'` before such a cell (so that undoing is exact).
fn formula_like(s: &str) -> bool {
    (s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err())
        || s.strip_prefix('\'').is_some_and(formula_like)
}

/// A free-text CSV cell made spreadsheet-safe: a formula-like cell gets a
/// leading `'` (docs/report.md); [`csv_text_back`] undoes it.
pub fn csv_text(s: &str) -> Cow<'_, str> {
    if formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The text a [`csv_text`] cell was made from.
pub fn csv_text_back(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_keeps_the_rest() {
        assert_eq!(escape("plain é ü"), "plain é ü");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\nb\tc\u{1b}[31m"), "a\\nb\\tc\\u{1b}[31m");
        assert_eq!(escape("\u{202E}x\0"), "\\u{202e}x\\u{0}");
    }

    #[test]
    fn csv_cells_round_trip_and_formulas_are_neutralised() {
        for s in [
            "=HYPERLINK(\"x\")",
            "+1+2",
            "-x",
            "@SUM(A1)",
            "'=a",
            "aws",
            "-1.5",
            "+3",
            "'",
            "",
        ] {
            assert_eq!(csv_text_back(&csv_text(s)), s, "{s}");
        }
        assert_eq!(csv_text("=1+2"), "'=1+2");
        assert_eq!(csv_text("-1.5"), "-1.5");
        assert_eq!(csv_text("aws"), "aws");
    }

    #[test]
    fn chart_text_is_safe_and_bounded() {
        assert_eq!(for_chart("a\u{1b}b"), "a b");
        let long = "x".repeat(500);
        let cut = for_chart(&long);
        assert_eq!(cut.chars().count(), CHART_TEXT_MAX);
        assert!(cut.ends_with('…'));
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\td".into()), "abc\td");
    }
}
