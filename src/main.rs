use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Like other Unix filters, end quietly when the reader of our output goes
    // away (`fateshare analyze ... | head`) instead of panicking on EPIPE.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    fateshare::interrupt::install();
    let cli = fateshare::cli::Cli::parse();
    match fateshare::cli::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // One `error:` line per line of the message, controls escaped.
            for line in failure.message().split('\n') {
                eprintln!("error: {}", fateshare::text::escape(line));
            }
            ExitCode::from(failure.exit_code())
        }
    }
}
