//! `fateshare graph SCENARIO`: print the scenario's dependency graph as
//! Graphviz DOT on standard output (`fateshare graph s.toml | dot -Tsvg`).

use crate::cmd::flags::Failure;
use crate::graph::Graph;
use crate::scenario;
use std::path::Path;

pub fn graph(path: &Path) -> Result<(), Failure> {
    let (_, model) = scenario::load(path)?;
    print!("{}", Graph::of(&model).dot());
    Ok(())
}
