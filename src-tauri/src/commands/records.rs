//! Reading and writing the records: the register's rows, a system and everything around it,
//! classification, risks and actions, and the settings (organisation, förvaltningar, people,
//! catalogues, the method).

use super::today;
use crate::error::IpcError;
use crate::state::AppState;
use riskverkstad_core::due::DueItem;
use riskverkstad_core::ids::*;
use riskverkstad_core::method::{Mandate, Method};
use riskverkstad_core::model::*;
use riskverkstad_core::ops::edit::Edit;
use riskverkstad_core::ops::{self, ClassificationPreview, MethodPreview};
use riskverkstad_core::store::{AuditEntry, Read as _};
use riskverkstad_core::views::{Overview, SystemView};

/// The organisation at a glance.
pub fn overview(state: &AppState) -> Result<Overview, IpcError> {
    state.with(|s| Ok(Overview::load_at(&s.store, super::now())?))
}

/// Förvaltningar and bolag.
pub fn forvaltningar(state: &AppState) -> Result<Vec<Forvaltning>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// People.
pub fn people(state: &AppState) -> Result<Vec<Person>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// The threat catalogue.
pub fn threats(state: &AppState) -> Result<Vec<Threat>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// The method in force.
pub fn method(state: &AppState) -> Result<MethodVersion, IpcError> {
    state.with(|s| Ok(s.store.method().clone()))
}

/// One system with everything around it.
pub fn system_view(state: &AppState, id: SystemId) -> Result<SystemView, IpcError> {
    state.with(|s| Ok(SystemView::load(&s.store, id, today())?))
}

/// The history of a system and the records that refer to it.
pub fn system_history(state: &AppState, id: SystemId) -> Result<Vec<AuditEntry>, IpcError> {
    state.with(|s| {
        let entries = s.store.audit_log_mentioning(&id.to_string())?;
        Ok(riskverkstad_core::exchange::with_makers(&s.store, entries)?)
    })
}

/// A new system in a förvaltning.
pub fn create_system(state: &AppState, name: String, forvaltning_id: ForvaltningId) -> Result<System, IpcError> {
    state.write(|s| Ok(ops::create_system(&mut s.store, &name, forvaltning_id)?))
}

/// Saves a changed system (its revision must be the stored one).
pub fn save_system(state: &AppState, system: System) -> Result<System, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, system, today())?))
}

/// A new information set held by a system.
pub fn add_information_set(
    state: &AppState,
    system_id: SystemId,
    name: String,
    description: String,
) -> Result<InformationSet, IpcError> {
    state.write(|s| Ok(ops::add_information_set(&mut s.store, system_id, &name, &description)?))
}

/// Records a workshop's classification of an information set under the method in force,
/// dated today.
pub fn classify(state: &AppState, draft: ClassificationDraft) -> Result<Classification, IpcError> {
    state.write(|s| Ok(ops::classify(&mut s.store, &draft, today())?))
}

/// What a workshop's draft would record, and the profile the system would then get
/// (nothing is saved).
pub fn profile_preview(
    state: &AppState,
    system_id: SystemId,
    draft: ClassificationDraft,
) -> Result<ClassificationPreview, IpcError> {
    state.with(|s| Ok(ops::classification_preview(&s.store, system_id, &draft, today())?))
}

/// A new risk analysis of a system (the yearly redo from a copy of the last one's risks),
/// dated today unless the draft has a date.
pub fn new_analysis(state: &AppState, draft: NewAnalysis) -> Result<RiskAnalysis, IpcError> {
    state.write(|s| Ok(ops::new_analysis(&mut s.store, &draft, today())?))
}

/// Saves a changed risk analysis: title, scope, participants, date, status.
pub fn save_analysis(state: &AppState, analysis: RiskAnalysis) -> Result<RiskAnalysis, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, analysis, today())?))
}

/// A new risk, placed on the matrix.
pub fn add_risk(state: &AppState, risk: NewRisk) -> Result<Risk, IpcError> {
    state.write(|s| Ok(ops::add_risk(&mut s.store, &risk)?))
}

/// Saves a changed risk (its revision must be the stored one).
pub fn save_risk(state: &AppState, risk: Risk) -> Result<Risk, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, risk, today())?))
}

/// A new action (planerad), linked to the risk it treats if it names one.
pub fn add_action(state: &AppState, action: NewAction) -> Result<Action, IpcError> {
    state.write(|s| Ok(ops::add_action(&mut s.store, &action)?))
}

/// Saves a changed action (its revision must be the stored one).
pub fn save_action(state: &AppState, action: Action) -> Result<Action, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, action, today())?))
}

/// The handlingsplan: every action with its system, responsible and what it treats.
pub fn action_plan(state: &AppState) -> Result<Vec<riskverkstad_core::views::ActionPlanRow>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::action_plan(&s.store, today())?))
}

/// The yearly cycle as of today.
pub fn due_list(state: &AppState) -> Result<Vec<DueItem>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::gather::due_list_at(&s.store, super::now())?))
}

/// Sets up a new, empty database: the organisation and its first förvaltning.
pub fn setup(
    state: &AppState,
    organisation: String,
    forvaltning: String,
    short_name: String,
) -> Result<Forvaltning, IpcError> {
    state.write(|s| Ok(ops::setup(&mut s.store, &organisation, &forvaltning, &short_name)?))
}

/// The organisation, if set up.
pub fn organisation(state: &AppState) -> Result<Option<Organisation>, IpcError> {
    state.with(|s| Ok(s.store.list::<Organisation>()?.into_iter().next()))
}

/// Saves the organisation's name and number.
pub fn save_organisation(state: &AppState, organisation: Organisation) -> Result<Organisation, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, organisation, today())?))
}

/// Saves a förvaltning or bolag: a new one (nil id) or a change.
pub fn save_forvaltning(state: &AppState, forvaltning: Forvaltning) -> Result<Forvaltning, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, forvaltning, today())?))
}

/// Saves a person: a new one (nil id) or a change.
pub fn save_person(state: &AppState, person: Person) -> Result<Person, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, person, today())?))
}

/// Saves a threat of the catalogue: a new one (nil id) or a change.
pub fn save_threat(state: &AppState, threat: Threat) -> Result<Threat, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, threat, today())?))
}

/// The requirements catalogue.
pub fn requirements(state: &AppState) -> Result<Vec<Requirement>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// Saves a requirement of the catalogue: a new one (nil id) or a change.
pub fn save_requirement(state: &AppState, requirement: Requirement) -> Result<Requirement, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, requirement, today())?))
}

/// What a draft method would mean for the stored assessments (nothing is saved).
pub fn method_preview(state: &AppState, draft: Method) -> Result<MethodPreview, IpcError> {
    state.with(|s| Ok(ops::preview_method(&s.store, &draft)?))
}

/// Saves a draft method as the next version, in force from now.
pub fn save_method(state: &AppState, draft: Method, note: String) -> Result<MethodVersion, IpcError> {
    state.write(|s| Ok(ops::save_method(&mut s.store, draft, &note)?))
}

/// External parties (suppliers, authorities …).
pub fn external_parties(state: &AppState) -> Result<Vec<ExternalParty>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// Gives a person a role for a system (nil id), or changes an assignment.
pub fn save_role(state: &AppState, assignment: RoleAssignment) -> Result<RoleAssignment, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, assignment, today())?))
}

/// Removes a role assignment.
pub fn remove_role(state: &AppState, id: RoleAssignmentId) -> Result<(), IpcError> {
    state.write(|s| Ok(s.store.write("Ta bort roll", |w| w.delete::<RoleAssignment>(id))?))
}

/// Records that a system depends on another system or an external party.
pub fn save_dependency(state: &AppState, dependency: Dependency) -> Result<Dependency, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, dependency, today())?))
}

/// Removes a dependency.
pub fn remove_dependency(state: &AppState, id: DependencyId) -> Result<(), IpcError> {
    state.write(|s| Ok(s.store.write("Ta bort beroende", |w| w.delete::<Dependency>(id))?))
}

/// Records acceptance of a risk within its band's rules; refused with the rule otherwise.
pub fn accept_risk(
    state: &AppState,
    risk_id: RiskId,
    by: PersonId,
    mandate: Mandate,
    reason: String,
) -> Result<Risk, IpcError> {
    state.write(|s| {
        let acceptance = ops::Acceptance { by, mandate, on: today(), reason };
        Ok(ops::accept_risk(&mut s.store, risk_id, acceptance)?.0)
    })
}

/// Records a system's assessment against its requirements (one or a workshop's list), in one
/// transaction.
pub fn assess_requirements(
    state: &AppState,
    system_id: SystemId,
    assessments: Vec<Assessment>,
) -> Result<Vec<RequirementStatus>, IpcError> {
    state.write(|s| Ok(ops::assess(&mut s.store, system_id, &assessments, today())?))
}

/// The information owner decides (fastställer) a draft classification.
pub fn decide_classification(state: &AppState, decision: Faststallande) -> Result<Classification, IpcError> {
    state.write(|s| Ok(ops::decide_classification(&mut s.store, &decision, today())?))
}

/// Raises a system's protection level above its information's, motivated; dated today.
pub fn raise_protection(state: &AppState, raise: ProtectionRaise) -> Result<ProtectionRaise, IpcError> {
    state.write(|s| Ok(ops::raise_protection(&mut s.store, ProtectionRaise { decided_on: today(), ..raise })?))
}

/// Withdraws a raise of a system's protection level.
pub fn withdraw_raise(state: &AppState, id: ProtectionRaiseId) -> Result<(), IpcError> {
    state.write(|s| Ok(ops::withdraw_raise(&mut s.store, id)?))
}

/// Saves an external party (supplier, authority …): a new one (nil id) or a change.
pub fn save_external_party(state: &AppState, party: ExternalParty) -> Result<ExternalParty, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, party, today())?))
}

/// Saves a changed information set: name, description, förvaltning, personal data.
pub fn save_information_set(state: &AppState, set: InformationSet) -> Result<InformationSet, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, set, today())?))
}

/// Units (enheter) of every förvaltning.
pub fn units(state: &AppState) -> Result<Vec<Unit>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// Saves a unit: a new one (nil id) or a change.
pub fn save_unit(state: &AppState, unit: Unit) -> Result<Unit, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, unit, today())?))
}
