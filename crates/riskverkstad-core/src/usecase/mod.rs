//! The use cases: what a person does, each as one function that both shells call. The CLI
//! and the desktop app only turn arguments, dialogs and output into these calls and back
//! (docs/ARCHITECTURE.md); the rules live here and below.
//!
//! - [`open`]: opening a database file (its kind, the passphrase, a damaged file's newest
//!   sound backup, the day's backup), creating one, the demo on first start;
//! - [`bundle_file`]: reading a bundle file within the size a bundle may have;
//! - [`register_import`]: preparing a register import (the sheet, the mapping given, saved
//!   beside the database or proposed, samples of each column, the dry run) and running it;
//! - [`records`]: any record by its kind's name, listed, shown and edited field by field
//!   through the kind's own save;
//! - [`decide`]: making a decision: the rules of what is decided, the document drawn by the
//!   caller's drawer (the report crate), then frozen.
//!
//! Finding a record by what a person typed is [`crate::find`]; writing a file so that no
//! one sees half of it is [`crate::files::write_atomic`].

pub mod bundle_file;
pub mod decide;
pub mod open;
pub mod records;
pub mod register_import;
