//! Domain operations: the writes a person makes whose rules the store alone does not know.
//! Each is one user action: one transaction that reads what the rule needs, checks it, and
//! writes, or writes nothing. Both shells call these; neither builds a record itself.
//!
//! - `register`: a new system, its information sets;
//! - `classification`: classifying an information set, the preview of what it means for the
//!   system, raising a system's protection above the high-water mark;
//! - `risks`: a new analysis, a new risk, accepting a risk within a band's mandate;
//! - `actions`: a new action, linked to the risk it treats;
//! - `settings`: Inställningar — setting up a new database, saving any record from a form
//!   (a nil id is new), and a new method version after a preview of what it means.

mod actions;
mod classification;
mod register;
mod risks;
mod settings;

pub use actions::add_action;
pub use classification::{ClassificationPreview, classification_preview, classify, raise_protection};
pub use register::{add_information_set, create_system, link_information_set};
pub use risks::{Acceptance, accept_risk, add_risk, create_analysis};
pub use settings::{BandShift, MethodPreview, preview_method, save, save_method, setup};

#[cfg(test)]
mod tests;
