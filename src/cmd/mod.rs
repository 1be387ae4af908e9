//! One module per subcommand: each loads its inputs, calls the library and
//! hands the results to the reports.

pub mod analyze;
pub mod drill;
pub mod graph;
pub mod refresh;
pub mod report;
pub mod run;
pub mod sweep;
pub mod tornado;
pub mod validate;
