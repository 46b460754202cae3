//! The `supportsim` binary: parse the command line, run, turn the outcome into an exit code.

use clap::Parser;

fn main() {
    let cli = supportsim::cli::Cli::parse();
    if let Err(e) = supportsim::app::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
