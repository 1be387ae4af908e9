//! `report.html`: one self-contained page (inline CSS and SVG, no scripts,
//! nothing fetched), readable on screen and printed to PDF. The page is a
//! list of [`Section`]s rendered in order; the standard list is
//! [`super::sections::standard`], and a feature adds its section by adding
//! one there. The page and its sections are rendered from the templates of
//! [`super::templates`], which escape every value with [`escape`].

use super::templates;
use super::Report;
use crate::charts::{ChartData, Rendered};

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

/// A chart as the templates show it (`figure` in `templates/_macros.html`).
#[derive(serde::Serialize)]
pub struct Figure<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub how_to_read: &'a str,
    /// The inline SVG (markup this program drew).
    pub svg: minijinja::Value,
    pub png_file: &'a str,
    pub svg_file: &'a str,
}

impl<'a> Figure<'a> {
    pub fn of(c: &'a Rendered) -> Self {
        Figure {
            name: c.name,
            title: c.title,
            how_to_read: &c.how_to_read,
            svg: templates::safe(inline_svg(&c.svg, c.title)),
            png_file: c.png_file,
            svg_file: c.svg_file,
        }
    }
}

/// One section as the page template sees it.
#[derive(serde::Serialize)]
struct Shown {
    id: &'static str,
    title: &'static str,
    body: minijinja::Value,
}

/// Renders the whole page (`templates/page.html`): the header, the list of
/// sections that apply and each section's body.
pub fn render(page: &Page, sections: &[Box<dyn Section>]) -> String {
    let model = page.report.model;
    let s = &page.report.settings;
    let shown: Vec<Shown> = sections
        .iter()
        .filter(|x| x.applies(page))
        .map(|x| {
            let mut body = String::new();
            x.render(page, &mut body);
            Shown {
                id: x.id(),
                title: x.title(),
                body: templates::safe(body),
            }
        })
        .collect();
    #[derive(serde::Serialize)]
    struct Context<'a> {
        name: &'a str,
        description: Option<&'a str>,
        version: &'a str,
        trials: String,
        period: String,
        seed: u64,
        scenario_file: &'a str,
        command: &'a str,
        sections: Vec<Shown>,
    }
    templates::render(
        "page.html",
        Context {
            name: &model.name,
            description: model.description.as_deref(),
            version: super::VERSION,
            trials: crate::fmtnum::thousands(s.trials as f64),
            period: page.data.period(),
            seed: s.seed,
            scenario_file: &page.report.scenario_file,
            command: &page.report.command,
            sections: shown,
        },
    )
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
