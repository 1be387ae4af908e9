//! `fateshare validate`: check a scenario and summarise what it holds.

use crate::cmd::flags::Failure;
use crate::model::SourceKind;
use crate::scenario;
use std::path::Path;

pub fn validate(path: &Path) -> Result<(), Failure> {
    let (text, _, model) = scenario::load_with_text(path)?;
    println!(
        "{}: OK — \"{}\": {} components, {} outage sources ({} shared causes), {} architectures{}",
        path.display(),
        crate::text::escape(&model.name),
        model.components.len(),
        model.sources.len(),
        model
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Cause)
            .count(),
        model.architectures.len(),
        match model.policies.len() {
            0 => String::new(),
            n => format!(", {n} policies"),
        }
    );
    let (_, used, params) = scenario::document_with_uncertain(&text, &path.display().to_string())?;
    print!("{}", crate::catalogue::scenario::describe(&used));
    print!("{}", crate::uncertain::describe(&params));
    Ok(())
}
