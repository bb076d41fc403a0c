#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    // The installed package's `riskverkstad` command is this binary called by that name: then
    // it is the command line, and no window opens.
    let called = std::env::args_os().next().map(std::path::PathBuf::from);
    if called.as_deref().and_then(|p| p.file_stem()).is_some_and(|n| n == "riskverkstad") {
        return riskverkstad_cli::main();
    }
    riskverkstad_app::run();
    ExitCode::SUCCESS
}
