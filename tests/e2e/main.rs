//! End-to-end stories against the real, built desktop app, driven through WebDriver:
//! tauri-driver (cargo install tauri-driver --version 2.1.0) in front of Debian's
//! WebKitWebDriver, under Xvfb. Each story starts the app with its own data folder, so the
//! demo database is built fresh. Screenshots of the main views go to docs/screenshots/.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod accessibility;
mod controls;
mod documents;
mod exchange;
mod followup;
mod harness;
mod incidents;
mod register;
mod security;
mod settings;
mod system;
mod zoom;
