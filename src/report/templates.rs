//! The HTML templates of `report.html` (minijinja, one per section, in
//! `templates/`), embedded in the binary with `include_str!` so it stays
//! self-contained. Every value a template prints is escaped with
//! [`super::html::escape`] unless the template marks it `|safe` (only markup
//! this program made: inline SVG and the bodies of other sections).
//! Undefined names are errors, so a misspelt field cannot print nothing.

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use std::sync::OnceLock;

/// Every template, by name (its path under `templates/`).
const TEMPLATES: &[(&str, &str)] = &[
    ("compare.html", include_str!("../../templates/compare.html")),
    (
        "decision.html",
        include_str!("../../templates/decision.html"),
    ),
    ("report.css", include_str!("../../templates/report.css")),
    ("book.html", include_str!("../../templates/book.html")),
    (
        "book-accumulation.html",
        include_str!("../../templates/book-accumulation.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "headline.html",
        include_str!("../../templates/headline.html"),
    ),
    ("results.html", include_str!("../../templates/results.html")),
    ("charts.html", include_str!("../../templates/charts.html")),
    (
        "assumptions.html",
        include_str!("../../templates/assumptions.html"),
    ),
    ("method.html", include_str!("../../templates/method.html")),
    (
        "uncertainty.html",
        include_str!("../../templates/uncertainty.html"),
    ),
    (
        "importance.html",
        include_str!("../../templates/importance.html"),
    ),
    ("_macros.html", include_str!("../../templates/_macros.html")),
    (
        "what-takes-it-down.html",
        include_str!("../../templates/what-takes-it-down.html"),
    ),
    (
        "redundancy-audit.html",
        include_str!("../../templates/redundancy-audit.html"),
    ),
    (
        "concentration.html",
        include_str!("../../templates/concentration.html"),
    ),
    (
        "sensitivity.html",
        include_str!("../../templates/sensitivity.html"),
    ),
    ("drills.html", include_str!("../../templates/drills.html")),
    ("rds.html", include_str!("../../templates/rds.html")),
    (
        "insurance.html",
        include_str!("../../templates/insurance.html"),
    ),
    (
        "treaties.html",
        include_str!("../../templates/treaties.html"),
    ),
    (
        "insurance-answer.html",
        include_str!("../../templates/insurance-answer.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // The project's own escaping (`'` as `&#39;`, `/` left alone), so the
        // page reads the same as before templates.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), AutoEscape::Html) && !value.is_safe() {
                let text = if value.is_none() {
                    String::new()
                } else {
                    value.to_string()
                };
                out.write_str(&super::html::escape(&text))
                    .map_err(minijinja::Error::from)
            } else {
                minijinja::escape_formatter(out, state, value)
            }
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name} does not parse: {e:#}"));
        }
        env
    })
}

/// Renders template `name` with `context`. A template that fails to render
/// is a bug in this program: tests catch it (debug builds stop there), and a
/// release build writes a visible note in its place instead of stopping.
pub fn render<S: Serialize>(name: &str, context: S) -> String {
    let result = environment()
        .get_template(name)
        .and_then(|t| t.render(Value::from(Serde(&context))));
    match result {
        Ok(s) => s,
        Err(e) => {
            debug_assert!(false, "template {name}: {e:#}");
            format!(
                "<p class=\"alert\">fateshare could not render this part of the page (template {}): {}</p>\n",
                super::html::escape(name),
                super::html::escape(&e.to_string())
            )
        }
    }
}

/// Text the program made that is already HTML (a section's body, an inline
/// chart): printed as it is.
pub fn safe(html: String) -> Value {
    Value::from_safe_string(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        for (name, _) in TEMPLATES {
            assert!(environment().get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn every_file_in_templates_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                TEMPLATES.iter().any(|(n, _)| *n == name),
                "{name} is not in TEMPLATES"
            );
        }
    }

    #[test]
    fn values_are_escaped_like_the_rest_of_the_page_and_safe_values_are_not() {
        let env = environment();
        let mut e = env.clone();
        e.add_template("t.html", "{{ a }}|{{ b }}").unwrap();
        let out = e
            .get_template("t.html")
            .unwrap()
            .render(
                minijinja::context! { a => "<a href='/x'>&\"</a>", b => safe("<i>ok</i>".into()) },
            )
            .unwrap();
        assert_eq!(
            out,
            "&lt;a href=&#39;/x&#39;&gt;&amp;&quot;&lt;/a&gt;|<i>ok</i>"
        );
    }

    #[test]
    fn a_misspelt_name_is_an_error_not_an_empty_string() {
        let mut e = environment().clone();
        e.add_template("u.html", "{{ nothing.here }}").unwrap();
        assert!(e.get_template("u.html").unwrap().render(()).is_err());
    }
}
