//! Domain operations: the writes a person makes whose rules the store alone does not know.
//! Each is one user action: one transaction that reads what the rule needs, checks it, and
//! writes, or writes nothing. Both shells call these; neither builds a record itself.
//!
//! - `register`: a new system, its information sets;
//! - `classification`: classifying an information set, the preview of what it means for the
//!   system, the information owner's fastställande, raising a system's protection above the
//!   high-water mark (and withdrawing the raise);
//! - `requirements`: kravuppföljning, one requirement or a workshop's list at once;
//! - `risks`: a new analysis (the yearly redo from a copy of the last), a new risk,
//!   accepting a risk within a band's mandate;
//! - `actions`: a new action, linked to the risk it treats or the requirement it closes; an
//!   action progressed or closed;
//! - `incidents`: a new incident and its clocks, changed or closed, what it touched linked, a
//!   report marked sent, a risk or an action made from it, the recipients of reports;
//! - `controls`: a recurring control set up and done (the next date, the requirements it
//!   evidences, deviations as an action), a time-limited exception approved within its
//!   band's mandate or withdrawn, extra requirements, the kinds of control, the
//!   systemsäkerhetsplan's texts;
//! - [`edit`]: saving any record from a form or a command line, with each kind's rules of
//!   what editing may not touch;
//! - `settings`: Inställningar — setting up a new database, saving any record from a form
//!   (a nil id is new), and a new method version after a preview of what it means.

mod actions;
mod classification;
pub(crate) mod controls;
pub mod edit;
mod incidents;
mod register;
mod requirements;
mod risks;
mod settings;

pub use actions::{add_action, save_action};
pub use classification::{
    ClassificationPreview, classification_preview, classify, decide_classification, pending_classification,
    raise_protection, withdraw_raise,
};
pub use controls::{
    ControlOutcome, NewControl, NewException, add_extra_requirement, control_done, last_done, new_control,
    new_exception, remove_extra_requirement, save_control_kind, save_security_plan, withdraw_exception,
};
pub use incidents::{
    action_from_incident, link_incident, new_incident, report_sent, risk_from_incident, save_incident, save_recipient,
    unlink_incident,
};
pub use register::{add_information_set, create_system, link_information_set};
pub use requirements::assess;
pub use risks::{Acceptance, accept_risk, add_risk, new_analysis};
pub use settings::{BandShift, MethodPreview, preview_method, save_method, setup};

/// Refuses a name another record of the kind already has (any case): reference data matched
/// by name between installations (recipients, kinds of control).
fn refuse_taken_name<R: crate::store::Record>(
    store: &impl crate::store::Read,
    id: R::Id,
    name: &str,
    name_of: impl Fn(&R) -> &String,
    field: &str,
    what: &str,
) -> crate::error::Result<()> {
    let wanted = name.trim().to_lowercase();
    if store.list::<R>()?.iter().any(|r| r.id() != id && name_of(r).trim().to_lowercase() == wanted) {
        return Err(crate::error::Error::invalid(
            field,
            format!("det finns redan en {what} som heter «{}»", name.trim()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
