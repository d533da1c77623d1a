//! The `baocao` binary: parse the command line, set up logging, run, map the outcome to an
//! exit code (0 success, 1 runtime failure, 2 bad usage or bad config).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = baocao::cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("BAOCAO_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if cli.verbose { "info" } else { "warn" })
    });
    // Colour codes only for a person at a terminal: under systemd the log goes to the journal
    // or a file, where escape codes are noise.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    match baocao::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("baocao: {err:#}");
            ExitCode::from(baocao::cli::exit_code(&err))
        }
    }
}
