use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = fateshare::cli::Cli::parse();
    match fateshare::cli::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message().replace('\n', "\nerror: "));
            ExitCode::from(failure.exit_code())
        }
    }
}
