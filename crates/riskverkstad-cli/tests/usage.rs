#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Usage errors and help, straight against the binary (this test also makes `cargo test`
//! build the `riskverkstad` binary that the stories in /tests drive).

use std::process::Command;

fn riskverkstad(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_riskverkstad")).args(args).env_remove("RISKVERKSTAD_DB").output().unwrap()
}

#[test]
fn help_is_in_swedish_and_names_the_commands() {
    let out = riskverkstad(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["demo", "systems", "due", "check"] {
        assert!(text.contains(cmd), "{cmd} missing from:\n{text}");
    }
    assert!(text.contains("Databasfilen"), "{text}");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &["due", "--bogus"][..],
        &["systems"],
        &["demo", "--systems", "many"],
        &["due", "--today", "igår"],
        &["nosuchcommand"],
    ] {
        let out = riskverkstad(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = riskverkstad(&["--db", db.to_str().unwrap(), "demo", "--systems", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--systems ska vara mellan 1 och"));
    assert!(!db.exists(), "a usage error creates nothing");
}
