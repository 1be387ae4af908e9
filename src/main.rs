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
    let cli = fateshare::cli::Cli::parse();
    match fateshare::cli::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message().replace('\n', "\nerror: "));
            ExitCode::from(failure.exit_code())
        }
    }
}
