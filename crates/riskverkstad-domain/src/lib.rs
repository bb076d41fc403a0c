//! Riskverkstad's domain: what Swedish municipal information security work is made of, and
//! the rules that need nothing but values.
//!
//! - [`ids`]: typed UUID v7 ids per record kind, [`ids::Timestamp`];
//! - [`method`]: the method as data (scales, consequence areas, risk matrix, bands, mandates);
//! - [`model`]: the records, each with its own field checks ([`record::Validate`]);
//! - [`record`]: what the store needs to know of a record kind (table, columns, meta fields)
//!   and [`record_kinds!`], the one list of record kinds;
//! - [`profile`], [`risk`], [`due`], [`gaps`]: the high-water mark, risk banding and
//!   acceptance, the yearly cycle, the register's gaps; pure functions of their inputs,
//!   `today` included;
//! - [`catalog`]: the built-in requirement and threat catalogues.
//!
//! The crate has no database, file or network dependency: the compiler keeps the domain pure
//! (`cargo tree -p riskverkstad-domain` shows no rusqlite).
//!
//! ```
//! use riskverkstad_domain::method::{Aspect, Method};
//! use riskverkstad_domain::model::{AspectAssessment, Classification, ClassificationStatus};
//! use riskverkstad_domain::record::Validate;
//!
//! let method = Method::default_klassa();
//! let draft = Classification {
//!     status: ClassificationStatus::Utkast,
//!     assessments: vec![AspectAssessment { aspect: Aspect::K, level: 2, motivering: "Personuppgifter".into(), areas: vec![] }],
//!     ..Default::default()
//! };
//! assert!(draft.validate(&method).is_ok());
//! ```
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

#[macro_use]
mod macros;

pub mod catalog;
pub mod column;
pub mod due;
pub mod error;
pub mod gaps;
pub mod ids;
pub mod incident;
pub mod iso27002;
pub mod method;
pub mod model;
pub mod profile;
pub mod record;
pub mod risk;
