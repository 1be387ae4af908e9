//! The integration tests, compiled as one test binary.
//!
//! Every `tests/*.rs` file is a module of this crate rather than a binary of
//! its own: each separate binary would link the whole dependency tree again
//! (about 36 copies of arrow and parquet), which costs minutes of linking and
//! gigabytes of disk on a clean machine. `every_test_file_is_compiled` below
//! fails when a new file is added to `tests/` without a `mod` line here.

mod common;

mod accumulation;
mod analysis;
mod book;
mod book_report;
mod browser;
mod calibrate;
mod capped;
mod catalogue;
mod catalogue_scenarios;
mod cli;
mod client;
mod closed_forms;
mod compare;
mod composition;
mod drill_severity;
mod drills;
mod events;
mod fast_clusters;
mod fast_path;
mod fuzz;
mod hostile;
mod hostile_folders;
mod hostile_scale;
mod hostile_text;
mod hours_clause;
mod importance;
mod importance_cli;
mod insurance;
mod insurance_cli;
mod metamorphic;
mod naive;
mod ord_weights;
mod parquet;
mod policy_threshold;
mod precision;
mod rds;
mod report;
mod report_analysis;
mod report_charts;
mod report_decision;
mod report_history;
mod report_insurance;
mod sampler;
mod sensitivity;
mod served_column;
mod service_level;
mod shards;
mod shards_streamed;
mod streamed_run;
mod streaming;
mod tilt_policies;
mod treaty;
mod uncertainty;
mod uncertainty_cli;
mod uncertainty_outputs;

#[test]
fn every_test_file_is_compiled() {
    let here = include_str!("all.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/ is readable") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        if let Some(stem) = name.strip_suffix(".rs") {
            if stem != "all" && !here.contains(&format!("\nmod {stem};")) {
                missing.push(stem.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "tests/{missing:?}.rs are not compiled: add `mod NAME;` lines to tests/all.rs"
    );
}
