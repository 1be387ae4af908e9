//! One module per subcommand: each loads its inputs, calls the library and
//! hands the results to the reports.

pub mod analyze;
pub mod book;
pub mod calibrate;
pub mod catalogue;
pub mod compare;
pub mod drill;
pub mod flags;
pub mod graph;
pub mod merge;
pub mod merge_streamed;
pub mod refresh;
pub mod report;
pub mod run;
pub mod shard_run;
pub mod streamed;
pub mod summary_only;
pub mod sweep;
pub mod tilt;
pub mod tornado;
pub mod uncertainty;
pub mod validate;

use crate::engine::RunOptions;
use std::io::IsTerminal;
use std::sync::Arc;

/// A progress bar over `total` trials on standard error, when that is a
/// terminal and the command is not `--quiet`.
pub(crate) fn progress_bar(total: u64, quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {pos}/{len} trials ({per_sec}, eta {eta})",
        )
        .expect("valid template"),
    );
    crate::interrupt::track_bar(&bar);
    Some(bar)
}

/// Engine options for a command: its `--threads`, the progress bar (if any)
/// advanced as chunks of trials finish, and whether per-outage records are kept.
pub(crate) fn engine_options(
    threads: Option<u64>,
    bar: &Option<indicatif::ProgressBar>,
    keep_outages: bool,
) -> RunOptions {
    RunOptions {
        threads: threads.map(|t| t as usize),
        progress: bar
            .clone()
            .map(|b| Arc::new(move |n| b.inc(n)) as Arc<dyn Fn(u64) + Send + Sync>),
        skip_outage_records: !keep_outages,
    }
}
