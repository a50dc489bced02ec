use clap::Parser;
use std::process::ExitCode;
use waba_onboard::cli::{self, Cli};

#[tokio::main]
async fn main() -> ExitCode {
    cli::run(Cli::parse()).await
}
