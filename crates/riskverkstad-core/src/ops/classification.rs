//! Classifying an information set, and raising a system above its information.

use crate::error::Result;
use crate::gather;
use crate::ids::SystemId;
use crate::model::{Classification, ClassificationDraft, ProtectionRaise};
use crate::profile::{ProtectionProfile, check_raise};
use crate::store::Store;
use chrono::NaiveDate;
use serde::Serialize;

/// Raises a system's protection level on one aspect. Refused unless the raise lies above the
/// high-water mark of the system's information and is motivated.
pub fn raise_protection(store: &mut Store, raise: ProtectionRaise) -> Result<ProtectionRaise> {
    store.write("Höj skyddsnivå", |w| {
        let method = w.method().definition.clone();
        let profile = gather::system_profile(w, &method, raise.system_id)?;
        check_raise(&profile, &raise)?;
        let raise = ProtectionRaise { method_version_id: w.method().id, ..raise };
        w.insert(raise)
    })
}

/// Records a classification of an information set from a workshop's draft, under the method in
/// force, dated `today` (the organisation's own date).
pub fn classify(store: &mut Store, draft: &ClassificationDraft, today: NaiveDate) -> Result<Classification> {
    let c = draft.classification(store.method().id, today);
    store.write("Klassning", |w| w.insert(c))
}

/// What a workshop's draft would record, and the profile the system would then have (nothing
/// is saved).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassificationPreview {
    /// The classification as it would be stored (each aspect's level decided by its worst area).
    pub classification: Classification,
    /// The system's protection profile with it.
    pub profile: ProtectionProfile,
    /// The aspects this classification puts at a level that needs a special analysis.
    pub special_analysis: Vec<crate::method::Aspect>,
}

/// The preview of `draft` for `system` ([`ClassificationPreview`]).
pub fn classification_preview(
    store: &Store,
    system: SystemId,
    draft: &ClassificationDraft,
    today: NaiveDate,
) -> Result<ClassificationPreview> {
    let method = store.method();
    let classification = draft.classification(method.id, today);
    let profile = gather::system_profile_preview(store, &method.definition, system, &classification)?;
    let special_analysis = classification
        .assessments
        .iter()
        .filter(|a| method.definition.needs_special_analysis(a.aspect, a.level))
        .map(|a| a.aspect)
        .collect();
    Ok(ClassificationPreview { classification, profile, special_analysis })
}
