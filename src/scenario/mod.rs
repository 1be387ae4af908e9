//! Scenario files: reading TOML ([`format`]), checking it and compiling it
//! into a [`crate::model::Model`] ([`validate`]), with every problem reported
//! at once, each naming its place and the fix.

pub mod format;
pub mod set;
pub mod validate;

use std::fmt;
use std::path::Path;

pub use format::ScenarioFile;

/// One thing wrong with a scenario, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `line 3, column 5`, or a table and id such as `component "alchemy"`.
    pub place: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A scenario that cannot be used: the file and every problem found in it.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            // One line per problem whatever ids or names hold.
            let (file, place, message) = (
                crate::text::escape(&self.file),
                crate::text::escape(&p.place),
                crate::text::escape(&p.message),
            );
            if place.is_empty() {
                write!(f, "{file}: {message}")?;
            } else {
                write!(f, "{file}: {place}: {message}")?;
            }
        }
        Ok(())
    }
}

impl ScenarioError {
    /// An error with one problem.
    pub fn single(file: &str, place: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            file: file.to_string(),
            problems: vec![Problem {
                place: place.into(),
                message: message.into(),
            }],
        }
    }
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<(ScenarioFile, crate::model::Model), ScenarioError> {
    load_with_text(path).map(|(_, file, model)| (file, model))
}

/// As [`load`], also returning the file's text as read.
pub fn load_with_text(
    path: &Path,
) -> Result<(String, ScenarioFile, crate::model::Model), ScenarioError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ScenarioError::single(
            &label,
            "",
            format!("cannot read the scenario file ({e}); check the path"),
        )
    })?;
    let (file, model) = compile_text(&text, &label)?;
    Ok((text, file, model))
}

/// Parses and validates scenario text; `label` names it in messages.
pub fn compile_text(
    text: &str,
    label: &str,
) -> Result<(ScenarioFile, crate::model::Model), ScenarioError> {
    let file = parse(text, label)?;
    let model = validate::compile(&file).map_err(|problems| ScenarioError {
        file: label.to_string(),
        problems,
    })?;
    Ok((file, model))
}

/// Parses TOML text into the file structure (syntax, types and field names).
pub fn parse(text: &str, label: &str) -> Result<ScenarioFile, ScenarioError> {
    // Uncertain values (crate::uncertain) are tables where the format has
    // numbers: they are replaced by their point values before deserializing.
    let uncertain = match text.parse::<toml::Table>() {
        Ok(mut doc) => !crate::uncertain::extract(&mut doc, label)?.is_empty(),
        Err(_) => false,
    };
    if !uncertain {
        let file = parse_as_written(text, label)?;
        let uses = file.causes.iter().any(|c| c.use_class.is_some())
            || file
                .components
                .iter()
                .any(|c| c.outages.as_ref().is_some_and(|o| o.use_class.is_some()));
        if !uses {
            return Ok(file);
        }
    }
    let doc = document_with_catalogue(text, label)?.0;
    doc.try_into()
        .map_err(|e: toml::de::Error| ScenarioError::single(label, "", e.message().trim()))
}

/// The scenario as a TOML document with the fields that `use = "CLASS"`
/// leaves out filled from the catalogue, and what was filled.
pub fn document_with_catalogue(
    text: &str,
    label: &str,
) -> Result<(toml::Table, Vec<crate::catalogue::scenario::Used>), ScenarioError> {
    document_with_uncertain(text, label).map(|(doc, used, _)| (doc, used))
}

/// As [`document_with_catalogue`], with every uncertain value replaced by
/// its point value, and the uncertain values found ([`crate::uncertain`]).
pub fn document_with_uncertain(
    text: &str,
    label: &str,
) -> Result<
    (
        toml::Table,
        Vec<crate::catalogue::scenario::Used>,
        Vec<crate::uncertain::Param>,
    ),
    ScenarioError,
> {
    let mut doc = text
        .parse::<toml::Table>()
        .map_err(|e| ScenarioError::single(label, "", e.message().trim().replace('\n', " ")))?;
    let used = crate::catalogue::scenario::expand(&mut doc, label)?;
    let params = crate::uncertain::extract(&mut doc, label)?;
    Ok((doc, used, params))
}

/// Parses TOML text as written, without filling catalogue fields.
fn parse_as_written(text: &str, label: &str) -> Result<ScenarioFile, ScenarioError> {
    toml::from_str::<ScenarioFile>(text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let (line, column) = line_column(text, span.start);
                format!("line {line}, column {column}")
            })
            .unwrap_or_default();
        let message = e.message().trim().replace('\n', " ");
        let hint = if message.starts_with("unknown field") {
            "; fix the spelling or remove the field (docs/scenario-format.md lists them)"
        } else if message.starts_with("missing field") {
            "; add it (docs/scenario-format.md says what it means)"
        } else {
            ""
        };
        ScenarioError::single(label, place, format!("{message}{hint}"))
    })
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
