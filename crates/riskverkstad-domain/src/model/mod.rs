//! The domain's records, one type per concept, named as in `docs/ARCHITECTURE.md`'s glossary.
//! Each record has a UUID v7 id, its origin installation, a revision and UTC timestamps (added
//! by `record!`), and checks its own fields in [`Validate`]. Checks that need other records
//! (the high-water mark, acceptance rules) live in [`crate::profile`] and [`crate::risk`].

use crate::error::Invalid;
pub use crate::record::Validate;

/// A text field that must not be empty.
fn required(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() { Err(Invalid::new(field, "får inte vara tomt")) } else { Ok(()) }
}

macro_rules! sql_json {
    ($($t:ty),*) => {$(
        impl crate::column::SqlKind for $t { const KIND: crate::column::ColKind = crate::column::ColKind::Json; }
    )*};
}

mod actions;
mod classification;
mod controls;
mod decisions;
mod incidents;
mod organisation;
mod register;
mod requirements;
mod risks;

pub use actions::*;
pub use classification::*;
pub use controls::*;
pub use decisions::*;
pub use incidents::*;
pub use organisation::*;
pub use register::*;
pub use requirements::*;
pub use risks::*;
