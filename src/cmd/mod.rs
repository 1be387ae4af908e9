//! One module per subcommand: each loads its inputs, calls the library and
//! hands the results to the reports.

pub mod analyze;
pub mod run;
pub mod validate;
