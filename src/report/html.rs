//! `report.html`: one self-contained page (inline CSS and SVG, no scripts,
//! nothing fetched), readable on screen and printed to PDF. The page is a
//! list of [`Section`]s rendered in order; the standard list is
//! [`super::sections::standard`], and a feature adds its section by adding
//! one there. Every scenario string goes through [`escape`].

use super::Report;
use crate::charts::{ChartData, Rendered};
use std::fmt::Write;

/// What every section may read.
pub struct Page<'a> {
    pub report: &'a Report<'a>,
    pub data: &'a ChartData,
    pub charts: &'a [Rendered],
}

/// One `<section>` of the page.
pub trait Section: Sync {
    /// The section's `id` (anchor), e.g. `headline`.
    fn id(&self) -> &'static str;
    /// Its heading.
    fn title(&self) -> &'static str;
    /// Whether the section has anything to say for this run.
    fn applies(&self, _page: &Page) -> bool {
        true
    }
    /// Appends the section's body (without its heading) as HTML.
    fn render(&self, page: &Page, out: &mut String);
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink: #1e1e1e; --muted: #666; --line: #ddd; --alert: #c0392b; --accent: #0072b2; --soft: #f5f6f8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--ink); }
h3 { font-size: 17px; margin: 24px 0 6px; }
p { margin: 6px 0 10px; max-width: 80ch; }
.lede { font-size: 16px; color: #333; }
.meta, .muted, figcaption p { color: var(--muted); }
.meta { font-size: 13px; }
nav ol { margin: 6px 0 0; padding-left: 20px; columns: 2; font-size: 14px; }
a { color: var(--accent); }
ul.headline { padding-left: 20px; }
ul.headline li { margin: 8px 0; max-width: 95ch; }
.alert { color: var(--alert); }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0 22px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
td small, li small { color: var(--muted); }
figure { margin: 18px 0 36px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
figcaption h3 { margin-top: 0; }
.files { font-size: 12px; color: var(--muted); }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
code { background: var(--soft); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--soft); padding: 12px 14px; white-space: pre-wrap; overflow-wrap: anywhere; border-radius: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
footer { margin-top: 48px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  @page { size: A4; margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h2, h3 { break-after: avoid; }
  table { font-size: 8.5pt; break-inside: auto; }
  tr { break-inside: avoid; }
  figure svg { border: none; }
  a { color: inherit; text-decoration: none; }
  pre { font-size: 7.5pt; background: none; border: 1px solid var(--line); }
}
"#;

/// Renders the whole page.
pub fn render(page: &Page, sections: &[Box<dyn Section>]) -> String {
    let model = page.report.model;
    let s = &page.report.settings;
    let mut out = String::with_capacity(1 << 20);
    let shown: Vec<&Box<dyn Section>> = sections.iter().filter(|x| x.applies(page)).collect();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{} — fateshare report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        escape(&model.name),
        escape(&model.name)
    );
    if let Some(d) = &model.description {
        let _ = writeln!(out, "<p class=\"lede\">{}</p>", escape(d));
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">fateshare {} · {} trials of one {} · seed {} · scenario file <code>{}</code></p>",
        escape(super::VERSION),
        crate::fmtnum::thousands(s.trials as f64),
        escape(&page.data.period()),
        s.seed,
        escape(&page.report.scenario_file)
    );
    out.push_str("<nav><ol>\n");
    for sec in &shown {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            sec.id(),
            escape(sec.title())
        );
    }
    out.push_str("</ol></nav>\n</header>\n<main>\n");
    for sec in &shown {
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>",
            sec.id(),
            escape(sec.title())
        );
        sec.render(page, &mut out);
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "</main>\n<footer>Made by fateshare {} from <code>{}</code>. Reproduce with <code>{}</code>.</footer>\n</body>\n</html>",
        escape(super::VERSION),
        escape(&page.report.scenario_file),
        escape(&page.report.command)
    );
    out
}

/// A chart's SVG, ready to inline: the XML prologue (if any) dropped and an
/// accessible name added.
pub fn inline_svg(svg: &str, title: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    match body.strip_prefix("<svg") {
        Some(rest) => format!("<svg role=\"img\" aria-label=\"{}\"{}", escape(title), rest),
        None => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_ampersands() {
        assert_eq!(
            escape(r#"<script>alert("x & 'y'")</script>"#),
            "&lt;script&gt;alert(&quot;x &amp; &#39;y&#39;&quot;)&lt;/script&gt;"
        );
    }

    #[test]
    fn inline_svg_names_the_image() {
        let s = inline_svg(
            "<?xml version=\"1.0\"?>\n<svg width=\"1\" height=\"1\"></svg>",
            "A & B",
        );
        assert_eq!(
            s,
            "<svg role=\"img\" aria-label=\"A &amp; B\" width=\"1\" height=\"1\"></svg>"
        );
    }
}
