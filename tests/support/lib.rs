//! Helpers for the integration stories: run the real `riskverkstad` binary against real
//! database files in a temporary folder.
//!
//! The binary is the one `cargo test` builds next to this test (target/<profile>/riskverkstad);
//! `cargo test --workspace` always builds it first because the CLI crate has integration
//! tests of its own. Set `RISKVERKSTAD_BIN` to test another build.

pub mod workbook;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `riskverkstad` binary under test.
pub fn bin() -> PathBuf {
    if let Some(p) = std::env::var_os("RISKVERKSTAD_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test binary knows its path");
    // target/<profile>/deps/cli-<hash> → target/<profile>/riskverkstad
    let profile_dir = exe.parent().and_then(Path::parent).expect("test binaries live in target/<profile>/deps");
    let bin = profile_dir.join(format!("riskverkstad{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds it",
        bin.display()
    );
    bin
}

/// The outcome of one CLI run.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `riskverkstad --db DB ARGS…`.
pub fn run(db: &Path, args: &[&str]) -> Run {
    run_with(db, args, &[])
}

/// `riskverkstad --db DB ARGS…` as a command with `env` set (and no passphrase or database
/// inherited from the environment the tests run in), not yet started.
pub fn command(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(bin());
    c.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RISKVERKSTAD_DB")
        .env_remove("RISKVERKSTAD_PASSPHRASE")
        .env_remove("RISKVERKSTAD_NEW_PASSPHRASE")
        .env("USER", "samordnare");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Runs `riskverkstad --db DB ARGS…` with `env` set.
pub fn run_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    command(db, args, env).stdin(std::process::Stdio::null()).output().expect("riskverkstad runs").into()
}

/// A fresh folder for one story's files.
pub fn workdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// Every byte of a database file and its WAL, for "nothing changed" comparisons.
pub fn file_bytes(db: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    (std::fs::read(db).unwrap_or_default(), std::fs::read(wal).ok())
}

/// Runs `riskverkstad --db DB ARGS…`, which must succeed; its standard output.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let r = run(db, args);
    assert_eq!(r.code, 0, "{args:?} failed:\n{}\n{}", r.stdout, r.stderr);
    r.stdout
}

/// Runs `riskverkstad --db DB ARGS…`, which must succeed; its standard output as JSON.
pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let r = run(db, args);
    assert_eq!(r.code, 0, "{args:?} failed:\n{}", r.stderr);
    r.json()
}

/// A bad command: its exit code and message, and not one byte of the database changed.
pub fn refused(db: &Path, args: &[&str], code: i32, message: &str) {
    let before = file_bytes(db);
    let r = run(db, args);
    assert_eq!(r.code, code, "{args:?}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(message), "{args:?}: expected «{message}» in\n{}", r.stderr);
    assert!(file_bytes(db) == before, "{args:?} changed the database file");
}

/// A PDF's text as `pdftotext -layout` reads it.
pub fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is missing ({e}); .ci/setup installs poppler-utils"));
    assert!(out.status.success(), "pdftotext failed on {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}
