//! The app's commands, by area: each a thin delegation to the core. Declared once in the
//! `commands!` list below, which yields the Tauri handler, the list of names the capability
//! grants (`commands.txt`, checked by a test) and the TypeScript wrappers in
//! `ui/src/lib/bindings.ts`. Each entry calls its area's function, which turns the IPC
//! arguments into a core call (and a native dialog where a file is chosen) and back:
//!
//! - `session`: what is open, the gates (unlock, new database, restore of a damaged one),
//!   the idle lock, passphrase and backups, undo;
//! - `records`: reading and writing the records (register, classification, risks, actions,
//!   settings);
//! - `register`: the register as a spreadsheet (import with a mapping, export);
//! - `documents`: beslutsunderlag and decisions;
//! - `exchange`: the department identity, trusted keys, bundles and conflicts;
//! - `incidents`: incidents and their clocks, reports sent, the recipients;
//! - `controls`: recurring controls and their runs, exceptions, extra requirements, the
//!   systemsäkerhetsplan's texts.

mod controls;
mod documents;
mod exchange;
mod incidents;
mod records;
mod register;
mod session;

pub use documents::ReportPreview;
pub use exchange::{BundlePreview, ExchangeState};
pub use register::{FieldChoice, LevelChoice, RegisterColumn, RegisterFilePreview, RegisterHits, RegisterPage};
pub use session::{AppInfo, SecurityOverview};

use crate::error::IpcError;
use crate::state::{AppState, Gate};
use riskverkstad_core::backup::{BackupCheck, Rekeyed};
use riskverkstad_core::decisions::DecisionVersion;
use riskverkstad_core::due::DueItem;
use riskverkstad_core::exchange::{ImportProgress, ImportReport, Resolution, TrustTerms};
use riskverkstad_core::ids::*;
use riskverkstad_core::incident::ReportKind;
use riskverkstad_core::method::{Mandate, Method};
use riskverkstad_core::model::*;
use riskverkstad_core::ops::ClassificationPreview;
use riskverkstad_core::ops::MethodPreview;
use riskverkstad_core::ops::{ControlOutcome, NewControl, NewException};
use riskverkstad_core::register_file::{Mapping, RegisterImportReport};
use riskverkstad_core::register_list::RegisterQuery;
use riskverkstad_core::store::{AuditEntry, Strength, UndoTarget};
use riskverkstad_core::usecase::decide::Decided;
use riskverkstad_core::views::{
    ControlRow, ControlView, ExceptionRow, IncidentRow, IncidentView, Overview, SystemView,
};

/// Today in the organisation's own time (the computer's local time zone): what a record
/// made now is dated, never UTC's date (a classification made at 00:30 is today's). A test
/// moves the app's clock with `RISKVERKSTAD_TODAY=ÅÅÅÅ-MM-DD` (the app says so on screen).
pub(crate) fn today() -> chrono::NaiveDate {
    test_today().unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Now, for an incident's clocks: the computer's clock, or `RISKVERKSTAD_NOW=ÅÅÅÅ-MM-DD TT:MM`
/// (Swedish time) for a test; under `RISKVERKSTAD_TODAY` alone, that day at the current time.
pub(crate) fn now() -> riskverkstad_core::incident::Now {
    use riskverkstad_core::incident::{Now, in_sweden};
    static NOW: std::sync::OnceLock<Option<riskverkstad_core::model::Moment>> = std::sync::OnceLock::new();
    let fixed = *NOW.get_or_init(|| {
        std::env::var("RISKVERKSTAD_NOW").ok().and_then(|t| riskverkstad_core::model::Moment::parse(&t).ok())
    });
    if let Some(m) = fixed {
        return Now::at(m.at());
    }
    let local = chrono::Local::now();
    match test_today() {
        Some(day) => Now::at(in_sweden(day.and_time(local.time()))),
        None => Now::at(local.fixed_offset()),
    }
}

/// The day `RISKVERKSTAD_TODAY` sets, if it is set (read once).
pub(crate) fn test_today() -> Option<chrono::NaiveDate> {
    static TODAY: std::sync::OnceLock<Option<chrono::NaiveDate>> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| {
        std::env::var("RISKVERKSTAD_TODAY")
            .ok()
            .and_then(|t| chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
    })
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* fn $name:ident ( $state:ident $(, $arg:ident : $ty:ty)* ) -> $ret:ty $body:block )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command(async)]
            pub fn $name($state: tauri::State<'_, AppState> $(, $arg: $ty)*) -> Result<$ret, IpcError> $body
        )*

        /// The handler for every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command's name, in declaration order (checked against the capability).
        #[cfg_attr(not(test), allow(dead_code))]
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The TypeScript wrapper of every command.
        pub fn typescript_wrappers(cfg: &ts_rs::Config) -> Vec<String> {
            vec![$(
                crate::bindings::wrapper(
                    stringify!($name),
                    concat!($($doc),*),
                    &[$((stringify!($arg), <$ty as ts_rs::TS>::name(cfg))),*],
                    &<$ret as ts_rs::TS>::name(cfg),
                )
            ),*]
        }
    };
}

commands! {
    /// What database is open, and whether it is the demo.
    fn app_info(state) -> AppInfo {
        session::app_info(&state)
    }

    /// The organisation at a glance.
    fn overview(state) -> Overview {
        records::overview(&state)
    }

    /// Every recurring control (or one system's), due ones first.
    fn controls(state, system_id: Option<SystemId>) -> Vec<ControlRow> {
        controls::controls(&state, system_id)
    }

    /// One control with every time it was done.
    fn control(state, id: ControlId) -> ControlView {
        controls::control(&state, id)
    }

    /// A new recurring control.
    fn new_control(state, control: NewControl) -> Control {
        controls::new_control(&state, control)
    }

    /// Saves a changed control (stopping it sets its end date).
    fn save_control(state, control: Control) -> Control {
        controls::save_control(&state, control)
    }

    /// Records a control as done: the next date, the requirements it evidences, an action from deviations.
    fn control_done(state, done: ControlDone) -> ControlOutcome {
        controls::control_done(&state, done)
    }

    /// Corrects a recorded run.
    fn save_control_run(state, run: ControlRun) -> ControlRun {
        controls::save_control_run(&state, run)
    }

    /// The kinds of control.
    fn control_kinds(state) -> Vec<ControlKind> {
        controls::control_kinds(&state)
    }

    /// Saves a kind of control (a nil id is new).
    fn save_control_kind(state, kind: ControlKind) -> ControlKind {
        controls::save_control_kind(&state, kind)
    }

    /// Every exception (or one system's), holding ones first.
    fn exceptions(state, system_id: Option<SystemId>) -> Vec<ExceptionRow> {
        controls::exceptions(&state, system_id)
    }

    /// A new exception, approved within its band's mandate.
    fn new_exception(state, exception: NewException) -> Exception {
        controls::new_exception(&state, exception)
    }

    /// Saves a changed exception.
    fn save_exception(state, exception: Exception) -> Exception {
        controls::save_exception(&state, exception)
    }

    /// Withdraws an exception from a day (today when not given).
    fn withdraw_exception(state, id: ExceptionId, on: Option<chrono::NaiveDate>) -> Exception {
        controls::withdraw_exception(&state, id, on)
    }

    /// A system's extra requirements.
    fn extra_requirements(state, system_id: SystemId) -> Vec<ExtraRequirement> {
        controls::extra_requirements(&state, system_id)
    }

    /// Saves an extra requirement on a system (a nil id is new).
    fn save_extra_requirement(state, extra: ExtraRequirement) -> ExtraRequirement {
        controls::save_extra_requirement(&state, extra)
    }

    /// Takes an extra requirement off its system.
    fn remove_extra_requirement(state, id: ExtraRequirementId) -> () {
        controls::remove_extra_requirement(&state, id)
    }

    /// A system's systemsäkerhetsplan texts, if written.
    fn security_plan(state, system_id: SystemId) -> Option<SecurityPlan> {
        controls::security_plan(&state, system_id)
    }

    /// Saves a system's systemsäkerhetsplan texts.
    fn save_security_plan(state, plan: SecurityPlan) -> SecurityPlan {
        controls::save_security_plan(&state, plan)
    }

    /// Every incident with its clocks, newest first.
    fn incidents(state) -> Vec<IncidentRow> {
        incidents::incidents(&state)
    }

    /// One incident's page: the incident, its clocks, what it touched and gave, its reports.
    fn incident(state, id: IncidentId) -> IncidentView {
        incidents::incident(&state, id)
    }

    /// A new incident; the clocks start when it became known.
    fn new_incident(state, incident: NewIncident) -> Incident {
        incidents::new_incident(&state, incident)
    }

    /// Saves a changed incident.
    fn save_incident(state, incident: Incident) -> Incident {
        incidents::save_incident(&state, incident)
    }

    /// Links an incident to a system, an information set, a risk or an action (one of them).
    fn link_incident(state, incident_id: IncidentId, system_id: Option<SystemId>, information_set_id: Option<InformationSetId>, risk_id: Option<RiskId>, action_id: Option<ActionId>) -> IncidentLink {
        incidents::link_incident(&state, incident_id, system_id, information_set_id, risk_id, action_id)
    }

    /// Removes a link of an incident.
    fn unlink_incident(state, link_id: IncidentLinkId) -> () {
        incidents::unlink_incident(&state, link_id)
    }

    /// Records that a report of an incident was sent.
    fn mark_report_sent(state, sent: ReportSent) -> IncidentReport {
        incidents::mark_report_sent(&state, sent)
    }

    /// Corrects a sent report.
    fn save_incident_report(state, report: IncidentReport) -> IncidentReport {
        incidents::save_incident_report(&state, report)
    }

    /// Skapa risk från incident: a prefilled risk in the system's ongoing analysis.
    fn risk_from_incident(state, incident_id: IncidentId, system_id: SystemId) -> Risk {
        incidents::risk_from_incident(&state, incident_id, system_id)
    }

    /// An action the incident gave, linked to it.
    fn action_from_incident(state, incident_id: IncidentId, action: NewAction) -> Action {
        incidents::action_from_incident(&state, incident_id, action)
    }

    /// The recipients of incident reports.
    fn recipients(state) -> Vec<Recipient> {
        incidents::recipients(&state)
    }

    /// Saves a recipient of incident reports (a nil id is new).
    fn save_recipient(state, recipient: Recipient) -> Recipient {
        incidents::save_recipient(&state, recipient)
    }

    /// Saves an incident's report as PDF (a save dialog); the path, or none when cancelled.
    fn save_incident_document(state, incident_id: IncidentId, kind: ReportKind) -> Option<String> {
        incidents::save_incident_document(&state, incident_id, kind)
    }

    /// Saves the incidentlogg of a period as PDF (a save dialog).
    fn save_incident_log(state, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Option<String> {
        incidents::save_incident_log(&state, from, to)
    }

    /// Every row of the register.
    fn register_rows(state) -> RegisterPage {
        register::register_rows(&state)
    }

    /// The positions of the rows matching a search.
    fn register_search(state, query: RegisterQuery) -> RegisterHits {
        register::register_search(&state, query)
    }

    /// Förvaltningar and bolag.
    fn forvaltningar(state) -> Vec<Forvaltning> {
        records::forvaltningar(&state)
    }

    /// People.
    fn people(state) -> Vec<Person> {
        records::people(&state)
    }

    /// The threat catalogue.
    fn threats(state) -> Vec<Threat> {
        records::threats(&state)
    }

    /// The method in force.
    fn method(state) -> MethodVersion {
        records::method(&state)
    }

    /// One system with everything around it.
    fn system_view(state, id: SystemId) -> SystemView {
        records::system_view(&state, id)
    }

    /// The history of a system and the records that refer to it.
    fn system_history(state, id: SystemId) -> Vec<AuditEntry> {
        records::system_history(&state, id)
    }

    /// A new system in a förvaltning.
    fn create_system(state, name: String, forvaltning_id: ForvaltningId) -> System {
        records::create_system(&state, name, forvaltning_id)
    }

    /// Saves a changed system (its revision must be the stored one).
    fn save_system(state, system: System) -> System {
        records::save_system(&state, system)
    }

    /// A new information set held by a system.
    fn add_information_set(state, system_id: SystemId, name: String, description: String) -> InformationSet {
        records::add_information_set(&state, system_id, name, description)
    }

    /// Records a workshop's classification of an information set under the method in force,
    /// dated today.
    fn classify(state, draft: ClassificationDraft) -> Classification {
        records::classify(&state, draft)
    }

    /// What a workshop's draft would record, and the profile the system would then get
    /// (nothing is saved).
    fn profile_preview(state, system_id: SystemId, draft: ClassificationDraft) -> ClassificationPreview {
        records::profile_preview(&state, system_id, draft)
    }

    /// A new risk analysis of a system (the yearly redo from a copy of the last one's risks),
    /// dated today unless the draft has a date.
    fn new_analysis(state, draft: NewAnalysis) -> RiskAnalysis {
        records::new_analysis(&state, draft)
    }

    /// Saves a changed risk analysis: title, scope, participants, date, status.
    fn save_analysis(state, analysis: RiskAnalysis) -> RiskAnalysis {
        records::save_analysis(&state, analysis)
    }

    /// A new risk, placed on the matrix.
    fn add_risk(state, risk: NewRisk) -> Risk {
        records::add_risk(&state, risk)
    }

    /// Saves a changed risk (its revision must be the stored one).
    fn save_risk(state, risk: Risk) -> Risk {
        records::save_risk(&state, risk)
    }

    /// A new action (planerad), linked to the risk it treats if it names one.
    fn add_action(state, action: NewAction) -> Action {
        records::add_action(&state, action)
    }

    /// Saves a changed action (its revision must be the stored one).
    fn save_action(state, action: Action) -> Action {
        records::save_action(&state, action)
    }

    /// The handlingsplan: every action with its system, responsible and what it treats.
    fn action_plan(state) -> Vec<riskverkstad_core::views::ActionPlanRow> {
        records::action_plan(&state)
    }

    /// The yearly cycle as of today.
    fn due_list(state) -> Vec<DueItem> {
        records::due_list(&state)
    }

    /// Sets up a new, empty database: the organisation and its first förvaltning.
    fn setup(state, organisation: String, forvaltning: String, short_name: String) -> Forvaltning {
        records::setup(&state, organisation, forvaltning, short_name)
    }

    /// The organisation, if set up.
    fn organisation(state) -> Option<Organisation> {
        records::organisation(&state)
    }

    /// Saves the organisation's name and number.
    fn save_organisation(state, organisation: Organisation) -> Organisation {
        records::save_organisation(&state, organisation)
    }

    /// Saves a förvaltning or bolag: a new one (nil id) or a change.
    fn save_forvaltning(state, forvaltning: Forvaltning) -> Forvaltning {
        records::save_forvaltning(&state, forvaltning)
    }

    /// Saves a person: a new one (nil id) or a change.
    fn save_person(state, person: Person) -> Person {
        records::save_person(&state, person)
    }

    /// Saves a threat of the catalogue: a new one (nil id) or a change.
    fn save_threat(state, threat: Threat) -> Threat {
        records::save_threat(&state, threat)
    }

    /// The requirements catalogue.
    fn requirements(state) -> Vec<Requirement> {
        records::requirements(&state)
    }

    /// Saves a requirement of the catalogue: a new one (nil id) or a change.
    fn save_requirement(state, requirement: Requirement) -> Requirement {
        records::save_requirement(&state, requirement)
    }

    /// What a draft method would mean for the stored assessments (nothing is saved).
    fn method_preview(state, draft: Method) -> MethodPreview {
        records::method_preview(&state, draft)
    }

    /// Saves a draft method as the next version, in force from now.
    fn save_method(state, draft: Method, note: String) -> MethodVersion {
        records::save_method(&state, draft, note)
    }

    /// Records a system's assessment against its requirements (one or a workshop's list), in
    /// one transaction.
    fn assess_requirements(state, system_id: SystemId, assessments: Vec<Assessment>) -> Vec<RequirementStatus> {
        records::assess_requirements(&state, system_id, assessments)
    }

    /// The information owner decides (fastställer) a draft classification.
    fn decide_classification(state, decision: Faststallande) -> Classification {
        records::decide_classification(&state, decision)
    }

    /// Raises a system's protection level above its information's, motivated.
    fn raise_protection(state, raise: ProtectionRaise) -> ProtectionRaise {
        records::raise_protection(&state, raise)
    }

    /// Withdraws a raise of a system's protection level.
    fn withdraw_raise(state, id: ProtectionRaiseId) -> () {
        records::withdraw_raise(&state, id)
    }

    /// Saves an external party (supplier, authority …): a new one (nil id) or a change.
    fn save_external_party(state, party: ExternalParty) -> ExternalParty {
        records::save_external_party(&state, party)
    }

    /// Saves a changed information set: name, description, förvaltning, personal data.
    fn save_information_set(state, set: InformationSet) -> InformationSet {
        records::save_information_set(&state, set)
    }

    /// Units (enheter) of every förvaltning.
    fn units(state) -> Vec<Unit> {
        records::units(&state)
    }

    /// Saves a unit: a new one (nil id) or a change.
    fn save_unit(state, unit: Unit) -> Unit {
        records::save_unit(&state, unit)
    }

    /// External parties (suppliers, authorities …).
    fn external_parties(state) -> Vec<ExternalParty> {
        records::external_parties(&state)
    }

    /// Gives a person a role for a system (nil id), or changes an assignment.
    fn save_role(state, assignment: RoleAssignment) -> RoleAssignment {
        records::save_role(&state, assignment)
    }

    /// Removes a role assignment.
    fn remove_role(state, id: RoleAssignmentId) -> () {
        records::remove_role(&state, id)
    }

    /// Records that a system depends on another system or an external party.
    fn save_dependency(state, dependency: Dependency) -> Dependency {
        records::save_dependency(&state, dependency)
    }

    /// Removes a dependency.
    fn remove_dependency(state, id: DependencyId) -> () {
        records::remove_dependency(&state, id)
    }

    /// Records acceptance of a risk within its band's rules; refused with the rule otherwise.
    fn accept_risk(state, risk_id: RiskId, by: PersonId, mandate: Mandate, reason: String) -> Risk {
        records::accept_risk(&state, risk_id, by, mandate, reason)
    }

    /// Zooms the window a step in or out, or back to 100 %, and keeps the level for the next
    /// start.
    fn zoom(state, change: crate::zoom::ZoomChange) -> crate::zoom::Zoomed {
        crate::zoom::change(&state, change)
    }

    /// The change that undo would reverse, if any.
    fn undo_target(state) -> Option<UndoTarget> {
        session::undo_target(&state)
    }

    /// Undoes the change the user saw named (its first audit entry); returns its name.
    fn undo(state, first_seq: u32) -> String {
        session::undo(&state, first_seq)
    }

    /// Produces a decision document and describes it (nothing is saved).
    fn report_preview(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, open_summary: bool) -> ReportPreview {
        documents::report_preview(&state, kind, system_id, forvaltning_id, open_summary)
    }

    /// The decisions about a system (every kind), or with null those about förvaltningar and
    /// the organisation; newest version first within each kind.
    fn decision_versions(state, system_id: Option<SystemId>) -> Vec<DecisionVersion> {
        documents::decision_versions(&state, system_id)
    }

    /// Makes the decision: draws the document as decided and archives its PDF, unchangeable,
    /// as the next version of its subject.
    fn decide(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, decided_on: chrono::NaiveDate, diarienummer: Option<String>, decided: Decided) -> DecisionVersion {
        documents::decide(&state, kind, system_id, forvaltning_id, decided_on, diarienummer, decided)
    }

    /// Saves a decision's archived PDF (checked against its SHA-256) where the user chooses;
    /// returns the path, or null when the dialog was cancelled.
    fn save_decision_document(state, decision_id: DecisionId) -> Option<String> {
        documents::save_decision_document(&state, decision_id)
    }

    /// Produces a decision document and saves it where the user chooses in the native save
    /// dialog; returns the path, or null when the dialog was cancelled.
    fn save_report(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, open_summary: bool) -> Option<String> {
        documents::save_report(&state, kind, system_id, forvaltning_id, open_summary)
    }

    /// The department identity, the trust list and the conflicts waiting.
    fn exchange_overview(state) -> ExchangeState {
        exchange::exchange_overview(&state)
    }

    /// Creates the department identity: a new key pair, the private key in a file beside the
    /// database.
    fn create_identity(state, department: String) -> ExchangeState {
        exchange::create_identity(&state, department)
    }

    /// Exports a signed bundle (the whole database or one förvaltning) to a file chosen in the
    /// native save dialog; returns the path, or null when cancelled.
    fn export_bundle(state, forvaltning_id: Option<ForvaltningId>) -> Option<String> {
        exchange::export_bundle(&state, forvaltning_id)
    }

    /// Chooses a bundle in the native open dialog and shows its signer and merge plan without
    /// writing anything; null when cancelled.
    fn choose_bundle(state) -> Option<BundlePreview> {
        exchange::choose_bundle(&state)
    }

    /// Trusts the signer of the chosen bundle under `name` (the UI has shown its fingerprint
    /// and the user confirmed), then shows the plan.
    fn trust_bundle_signer(state, name: String, fingerprint: String, file: String, terms: TrustTerms) -> BundlePreview {
        exchange::trust_bundle_signer(&state, name, fingerprint, file, terms)
    }

    /// Changes what a trusted key may send: its role, förvaltningar, who compared its
    /// fingerprint, and until when.
    fn set_trust_terms(state, name: String, terms: TrustTerms) -> ExchangeState {
        exchange::set_trust_terms(&state, name, terms)
    }

    /// Lets the chosen bundle's sender change one record outside its scope, as conflicts to
    /// settle; then shows the plan again.
    fn allow_changes(state, sender: String, table: String, id: String, file: String) -> BundlePreview {
        exchange::allow_changes(&state, sender, table, id, file)
    }

    /// Takes back letting a sender's changes of a record through.
    fn disallow_changes(state, sender: String, table: String, id: String) -> ExchangeState {
        exchange::disallow_changes(&state, sender, table, id)
    }

    /// Applies the chosen bundle's plan in one transaction, if it is still the plan shown
    /// (`digest`).
    fn apply_bundle(state, digest: String) -> ImportReport {
        exchange::apply_bundle(&state, digest)
    }

    /// Settles a conflict: mine, theirs, or the chosen fields from theirs.
    fn resolve_conflict(state, id: String, resolution: Resolution) -> ExchangeState {
        exchange::resolve_conflict(&state, id, resolution)
    }

    /// How far the running bundle import (or its preview) has come; none when none runs.
    /// Answers while the import holds the database.
    fn import_progress(state) -> Option<ImportProgress> {
        exchange::import_progress(&state)
    }

    /// Chooses a register file (xlsx, ods, csv) in the native open dialog and shows its columns,
    /// the proposed (or last saved) mapping and the dry run; null when cancelled.
    fn choose_register_file(state) -> Option<RegisterFilePreview> {
        register::choose_register_file(&state)
    }

    /// The chosen register file planned again under another sheet or mapping (writes nothing).
    fn plan_register_file(state, sheet: Option<String>, mapping: Option<Mapping>) -> RegisterFilePreview {
        register::plan_register_file(&state, sheet, mapping)
    }

    /// Imports the chosen register file in one transaction, if the plan is still the one shown
    /// (`digest`); the mapping is saved for the next file.
    fn import_register_file(state, sheet: Option<String>, mapping: Mapping, digest: String) -> RegisterImportReport {
        register::import_register_file(&state, sheet, mapping, digest)
    }

    /// Saves the import's report as xlsx next to the chosen register file; returns the path.
    fn save_register_report(state, sheet: Option<String>, mapping: Mapping) -> String {
        register::save_register_report(&state, sheet, mapping)
    }

    /// Exports the register (or one förvaltning's) as Excel or csv to a file chosen in the
    /// native save dialog; returns the path, or null when cancelled.
    fn export_register_file(state, forvaltning_id: Option<ForvaltningId>) -> Option<String> {
        register::export_register_file(&state, forvaltning_id)
    }

    /// Revokes a trusted key: its bundles are refused from now on.
    fn revoke_trust(state, name: String) -> ExchangeState {
        exchange::revoke_trust(&state, name)
    }

    /// The gate shown instead of the app when no database is open (locked, new, damaged).
    fn gate(state) -> Option<Gate> {
        session::gate(&state)
    }

    /// Opens the locked database with `passphrase`. A wrong one changes nothing.
    fn unlock(state, passphrase: String) -> AppInfo {
        session::unlock(&state, passphrase)
    }

    /// Creates the new database behind the gate, encrypted with `passphrase`.
    fn create_database(state, passphrase: String) -> AppInfo {
        session::create_database(&state, passphrase)
    }

    /// How strong a passphrase being chosen is (nothing is stored).
    fn passphrase_strength(state, passphrase: String) -> Strength {
        session::passphrase_strength(&state, passphrase)
    }

    /// Locks the open encrypted database now: it is closed and its key dropped.
    fn lock(state) -> bool {
        session::lock(&state)
    }

    /// Notes that the person is active (typing, clicking), so the idle lock waits.
    fn note_activity(state) -> bool {
        session::note_activity(&state)
    }

    /// Encryption, backups and the idle lock of the open database.
    fn security_overview(state) -> SecurityOverview {
        session::security_overview(&state)
    }

    /// Makes a backup now.
    fn create_backup(state) -> SecurityOverview {
        session::create_backup(&state)
    }

    /// Opens every backup and runs the integrity and audit-chain checks; records the restore
    /// test when all pass.
    fn verify_backups(state) -> Vec<BackupCheck> {
        session::verify_backups(&state)
    }

    /// Replaces the database by the backup `file_name` (verified first; the current state
    /// is backed up before it is replaced).
    fn restore_backup(state, file_name: String) -> AppInfo {
        session::restore_backup(&state, file_name)
    }

    /// Restores the damaged database behind the gate from its newest sound backup.
    fn restore_damaged(state, file_name: String) -> AppInfo {
        session::restore_damaged(&state, file_name)
    }

    /// Sets a new passphrase (the current one must be given), or encrypts a plain database.
    fn change_passphrase(state, current: String, replacement: String) -> Rekeyed {
        session::change_passphrase(&state, current, replacement)
    }

    /// Sets the minutes without use before the app locks.
    fn set_idle_lock_minutes(state, minutes: u32) -> SecurityOverview {
        session::set_idle_lock_minutes(&state, minutes)
    }

    /// Sets the most the backups may take together (MB), and rotates to it at once.
    fn set_backup_limit(state, limit_mb: u32) -> SecurityOverview {
        session::set_backup_limit(&state, limit_mb)
    }
}
