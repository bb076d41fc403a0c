//! Riskverkstad's core: the whole method of Swedish municipal information security work
//! (system register, information classification, risk analysis, action plan, decisions and
//! the yearly cycle) over an embedded SQLite store.
//!
//! The core knows nothing of Tauri, windows, argv or exit codes. Everything the desktop app
//! and the `riskverkstad` CLI do goes through the small API re-exported here.
//!
//! ```
//! use riskverkstad_core::{demo, register::{Register, RegisterQuery}, store::Store};
//!
//! let mut store = Store::open_in_memory().unwrap();
//! demo::build(&mut store, &demo::DemoConfig { systems: 12, seed: 7, ..Default::default() }).unwrap();
//! let register = Register::load(&store).unwrap();
//! let hits = register.search(&RegisterQuery { text: "ekonomi".into(), ..Default::default() });
//! assert!(hits.len() <= 12);
//! ```
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

#[macro_use]
mod macros;

pub mod catalog;
pub mod demo;
pub mod due;
pub mod error;
pub mod ids;
pub mod method;
pub mod model;
pub mod ops;
pub mod profile;
pub mod queries;
pub mod register;
pub mod risk;
pub mod store;
pub mod views;

pub use error::{Error, Result};
