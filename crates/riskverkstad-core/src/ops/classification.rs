//! Classifying an information set, and raising a system above its information.

use crate::error::{Error, Result};
use crate::gather;
use crate::ids::{InformationSetId, ProtectionRaiseId, SystemId};
use crate::model::{
    Classification, ClassificationDraft, ClassificationStatus, Faststallande, InformationSet, Person, ProtectionRaise,
    Role, RoleAssignment,
};
use crate::profile::{ProtectionProfile, check_raise};
use crate::store::Read;
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

/// The information owner decides (fastställer) a draft classification: it becomes
/// fastställd, with who decided it, when and who took part, and is never changed again (a
/// new classification starts from it). Refused, nothing written, when the decider is not
/// the set's informationsägare (or the set has none), when it is already fastställd, or when
/// it does not assess every aspect.
pub fn decide_classification(store: &mut Store, f: &Faststallande, today: NaiveDate) -> Result<Classification> {
    store.write("Klassning fastställd", |w| {
        let draft: Classification = w.get(f.classification_id)?;
        let set: InformationSet = w.get(draft.information_set_id)?;
        // The set's newest classification is the one waiting; an older draft is history.
        let pending = pending_classification(w, set.id)?;
        if pending.id != draft.id {
            return Err(Error::invalid(
                "klassning",
                format!("«{}» har en nyare klassning ({}); det är den som fastställs", set.name, pending.classified_on),
            ));
        }
        let owners: Vec<_> = w
            .list_by::<RoleAssignment>("information_set_id", &set.id.to_string())?
            .into_iter()
            .filter(|a| a.role == Role::Informationsagare)
            .map(|a| a.person_id)
            .collect();
        if owners.is_empty() {
            return Err(Error::invalid(
                "informationsägare",
                format!("«{}» har ingen informationsägare; utse en, som sedan fastställer klassningen", set.name),
            ));
        }
        if !owners.contains(&f.decided_by) {
            let mut names = Vec::new();
            for o in &owners {
                names.push(w.get::<Person>(*o)?.name);
            }
            let decider = w.get::<Person>(f.decided_by)?.name;
            return Err(Error::invalid(
                "fastställd av",
                format!(
                    "klassningen av «{}» fastställs av informationsägaren ({}), inte av {decider}",
                    set.name,
                    names.join(", ")
                ),
            ));
        }
        let decided = draft.decided(f, today)?;
        w.update(decided)
    })
}

/// The classification of an information set waiting to be decided: its newest, when that is
/// a draft. Refused when the set has none, or when its newest is already fastställd.
pub fn pending_classification(store: &impl Read, set: InformationSetId) -> Result<Classification> {
    let all = store.list_by::<Classification>("information_set_id", &set.to_string())?;
    let name = || store.get::<InformationSet>(set).map(|s| s.name).unwrap_or_default();
    match all.into_iter().max_by_key(|c| (c.classified_on, c.created_at)) {
        None => Err(Error::invalid("klassning", format!("«{}» är inte klassad; klassa den först", name()))),
        Some(c) if c.status == ClassificationStatus::Faststalld => Err(Error::invalid(
            "klassning",
            format!(
                "den senaste klassningen av «{}» är redan fastställd{}; gör en ny klassning för att fastställa en ny",
                name(),
                c.decided_on.map(|d| format!(" {d}")).unwrap_or_default()
            ),
        )),
        Some(c) => Ok(c),
    }
}

/// Withdraws a raise of a system's protection level (the system falls back to its
/// information's level, or to another raise).
pub fn withdraw_raise(store: &mut Store, id: ProtectionRaiseId) -> Result<()> {
    store.write("Höjning av skyddsnivå återkallad", |w| w.delete::<ProtectionRaise>(id))
}
