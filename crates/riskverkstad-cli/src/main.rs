//! The `riskverkstad` binary: the command line (see the library).

fn main() -> std::process::ExitCode {
    riskverkstad_cli::main()
}
