//! The app's commands: each a thin delegation to the core. Declared once in `commands!`,
//! which yields the Tauri handler, the list of names the capability grants, and the
//! TypeScript wrappers in `ui/src/lib/bindings.ts`.

use crate::error::IpcError;
use crate::state::{AppState, Gate, GateKind, Session};
use riskverkstad_core::backup::{BackupCheck, BackupInfo, BackupReason, Rekeyed};
use riskverkstad_core::decisions::DecisionVersion;
use riskverkstad_core::due::DueItem;
use riskverkstad_core::exchange::{
    Conflict, Identity, ImportProgress, ImportReport, Limits, PublicKey, Resolution, Scope, SignerInfo, TrustedKey,
};
use riskverkstad_core::ids::*;
use riskverkstad_core::method::{Mandate, Method};
use riskverkstad_core::model::*;
use riskverkstad_core::register::{RegisterQuery, RegisterRow};
use riskverkstad_core::register_file::{Field, Mapping, RegisterImportReport};
use riskverkstad_core::settings::{self, MethodPreview};
use riskverkstad_core::store::{AuditEntry, Read as _, SCHEMA_VERSION, UndoTarget};
use riskverkstad_core::store::{Passphrase, Store, Strength};
use riskverkstad_core::views::{Overview, SystemView};
use riskverkstad_report::Decided;
use serde::Serialize;

/// What is open.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct AppInfo {
    /// The database file.
    pub path: String,
    /// True for the demo database.
    pub is_demo: bool,
    /// The organisation's name.
    pub organisation: String,
    /// The installation's name.
    pub installation: String,
    /// Schema version.
    pub schema_version: u32,
    /// Method version in force.
    pub method_version: u32,
    /// True when the database has no organisation yet (a new database): show the setup.
    pub needs_setup: bool,
    /// True when the file is encrypted (SQLCipher).
    pub encrypted: bool,
}

/// Inställningar → Säkerhet: encryption, backups and the idle lock.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SecurityOverview {
    /// True when the file is encrypted.
    pub encrypted: bool,
    /// True for the demo database.
    pub is_demo: bool,
    /// The backups folder.
    pub folder: String,
    /// The backups, newest first.
    pub backups: Vec<BackupInfo>,
    /// When a restore (or a verification of every backup) was last done.
    pub restore_tested: Option<Timestamp>,
    /// Minutes without use before the app locks.
    pub idle_lock_minutes: u32,
}

/// The register's rows, with the generation they belong to.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegisterPage {
    /// Changes with every write; positions from another generation are stale.
    pub generation: u32,
    /// Every row, by name.
    pub rows: Vec<RegisterRow>,
}

/// A search's result: positions in the rows of `generation`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegisterHits {
    /// The generation of the rows the positions refer to.
    pub generation: u32,
    /// Positions of the matching rows, in the query's order.
    pub positions: Vec<u32>,
}

/// What a preview of a decision document shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ReportPreview {
    /// The document's title.
    pub title: String,
    /// The secrecy marking in its header.
    pub marking: String,
    /// Document id, version and date.
    pub identity: String,
    /// Number of pages.
    pub pages: u32,
    /// Size in bytes.
    pub bytes: u32,
    /// SHA-256 of the bytes: the same input gives the same document.
    pub sha256: String,
    /// Its headings, in order.
    pub headings: Vec<String>,
}

/// What the Utbyte tab shows: the identity, the trust list and the conflicts waiting.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExchangeState {
    pub identity: Option<Identity>,
    pub trusted: Vec<TrustedKey>,
    pub conflicts: Vec<Conflict>,
}

/// A bundle chosen for import: who signed it and, when the signer is trusted, the plan; or
/// why it is refused.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BundlePreview {
    pub file: String,
    pub signer: Option<SignerInfo>,
    pub report: Option<ImportReport>,
    pub refusal: Option<IpcError>,
}

fn exchange_state(s: &crate::state::Session) -> Result<ExchangeState, IpcError> {
    Ok(ExchangeState {
        identity: riskverkstad_core::exchange::identity(&s.store)?,
        trusted: riskverkstad_core::exchange::trust_list(&s.store)?,
        conflicts: riskverkstad_core::exchange::conflicts(&s.store, false)?,
    })
}

/// The preview of the pending bundle: its signer (shown before anything else) and, if the
/// signer is trusted, the plan; a refusal is reported, not raised, so the fingerprint shows.
fn preview(state: &AppState, s: &crate::state::Session, file: String) -> Result<BundlePreview, IpcError> {
    let bytes = s.pending_bundle.as_deref().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
    let signer = match riskverkstad_core::exchange::bundle_signer(&s.store, bytes) {
        Ok(si) => Some(si),
        Err(e) => return Ok(BundlePreview { file, signer: None, report: None, refusal: Some(e.into()) }),
    };
    let planned = riskverkstad_core::exchange::plan_import_with(&s.store, bytes, Limits::default(), &mut |p| {
        state.publish_progress(p)
    });
    state.clear_progress();
    match planned {
        Ok(report) => Ok(BundlePreview { file, signer, report: Some(report), refusal: None }),
        Err(e) => Ok(BundlePreview { file, signer, report: None, refusal: Some(e.into()) }),
    }
}

/// One column of a register file in the mapping step.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegisterColumn {
    /// The header in the file.
    pub header: String,
    /// The field it is mapped to, or none (kept as an extra attribute).
    pub field: Option<Field>,
    /// The first few values, to recognise the column by.
    pub samples: Vec<String>,
}

/// A register field the mapping can choose.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FieldChoice {
    /// The field.
    pub field: Field,
    /// Its Swedish name.
    pub header: String,
}

/// A register file chosen for import: what was read, the mapping and the dry run.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegisterFilePreview {
    /// The file.
    pub file: String,
    /// "xlsx", "ods" or "csv", with the encoding and delimiter of a csv.
    pub format: String,
    /// The workbook's sheets.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: String,
    /// Rows under the header.
    pub rows: u32,
    /// The columns and their mapping.
    pub columns: Vec<RegisterColumn>,
    /// Every field, for the mapping's choices.
    pub fields: Vec<FieldChoice>,
    /// The dry run under this mapping, or why there is none.
    pub report: Option<RegisterImportReport>,
    /// Why the mapping cannot be used yet (a field chosen twice, no name column).
    pub problem: Option<String>,
    /// Whether the mapping came from the one saved with the last import.
    pub saved_mapping: bool,
}

/// Where the last register import's mapping is kept: beside the database.
fn saved_mapping_path(s: &crate::state::Session) -> Option<std::path::PathBuf> {
    s.store.path().map(|p| {
        let mut name = p.as_os_str().to_owned();
        name.push(".kolumnmappning.json");
        std::path::PathBuf::from(name)
    })
}

/// Reads the chosen register file and plans it under `mapping` (or the saved or proposed one).
fn register_preview(
    s: &crate::state::Session,
    sheet: Option<String>,
    mapping: Option<Mapping>,
) -> Result<(RegisterFilePreview, riskverkstad_sheets::Table, Mapping), IpcError> {
    let (bytes, path) = s.pending_register.as_ref().ok_or_else(|| IpcError::new("no_file", "Ingen fil är vald."))?;
    let name = path.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (table, source) =
        riskverkstad_sheets::read(bytes, sheet.as_deref(), &name, riskverkstad_sheets::Limits::default())
            .map_err(|e| IpcError::new("sheet", e.to_string()))?;
    let saved: Option<Mapping> =
        saved_mapping_path(s).and_then(|p| std::fs::read_to_string(p).ok()).and_then(|t| serde_json::from_str(&t).ok());
    // A mapping made for these very columns is used as it is, even when it is not usable yet
    // (the person is still choosing); another sheet's falls back to the saved or proposed one.
    let given = mapping.filter(|m| m.columns.iter().map(|c| &c.header).eq(table.headers.iter()));
    let saved_mapping = given.is_none() && saved.is_some();
    let mapping = given.unwrap_or_else(|| match &saved {
        Some(m) => m.adapt(&table.headers),
        None => Mapping::propose(&table.headers),
    });
    let (report, problem) = match mapping.check(&table.headers) {
        Ok(()) => (Some(riskverkstad_core::register_file::plan_register_import(&s.store, &table, &mapping)?), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let columns = mapping
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| RegisterColumn {
            header: c.header.clone(),
            field: c.field,
            samples: table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(|c| c.text()).filter(|t| !t.trim().is_empty()))
                .take(3)
                .collect(),
        })
        .collect();
    let preview = RegisterFilePreview {
        file: path.display().to_string(),
        format: source.describe(),
        sheets: source.sheets.clone(),
        sheet: table.sheet.clone(),
        rows: table.rows.len() as u32,
        columns,
        fields: Field::ALL.iter().map(|f| FieldChoice { field: *f, header: f.header().to_string() }).collect(),
        report,
        problem,
        saved_mapping,
    };
    Ok((preview, table, mapping))
}

fn report_request(
    kind: DecisionKind,
    system: Option<SystemId>,
    forvaltning: Option<ForvaltningId>,
    open_summary: bool,
) -> riskverkstad_report::ReportRequest {
    riskverkstad_report::ReportRequest {
        kind,
        system,
        forvaltning,
        open_summary,
        marking: None,
        diarienummer: None,
        date: today(),
        decision: None,
    }
}

fn security_overview_of(s: &Session) -> Result<SecurityOverview, IpcError> {
    Ok(SecurityOverview {
        encrypted: s.store.is_encrypted(),
        is_demo: s.is_demo,
        folder: riskverkstad_core::backup::folder_for(&s.store)?.display().to_string(),
        backups: riskverkstad_core::backup::list_for(&s.store)?,
        restore_tested: s.store.restore_tested()?,
        idle_lock_minutes: s.idle_lock_minutes,
    })
}

/// Replaces the open store by what `f` makes of it (a restore, a new key). When `f` fails
/// after closing the file, the file is opened again with the key it had, or with `new_key`
/// (a passphrase change that got as far as the swap); a file that then does not open shows
/// the damaged gate, or the unlock gate.
fn swap_store<T>(
    state: &AppState,
    new_key: Option<Passphrase>,
    f: impl FnOnce(Store) -> riskverkstad_core::Result<(Store, T)>,
) -> Result<T, IpcError> {
    let session = state.take()?;
    let is_demo = session.is_demo;
    let path = session.store.path().map(|p| p.to_path_buf());
    let key = session.store.passphrase().cloned();
    match f(session.store) {
        Ok((store, out)) => {
            state.replace(Session::new(store, is_demo));
            Ok(out)
        }
        Err(e) => {
            if let Some(path) = path {
                let reopened = Store::unlock(&path, key.clone()).or_else(|first| match (&first, new_key) {
                    (riskverkstad_core::Error::WrongPassphrase { .. }, Some(k)) => Store::unlock(&path, Some(k)),
                    _ => Err(first),
                });
                match reopened {
                    Ok(store) => state.replace(Session::new(store, is_demo)),
                    Err(
                        again @ (riskverkstad_core::Error::Corrupt { .. }
                        | riskverkstad_core::Error::NotADatabase { .. }),
                    ) => {
                        if let crate::state::Opened::Gate(g, k) = crate::state::damaged(&path, &again, key) {
                            state.close_behind(g, k);
                        }
                    }
                    Err(again) => {
                        let gate = Gate {
                            kind: GateKind::Locked,
                            path: path.display().to_string(),
                            message: again.to_string(),
                            backup: None,
                            encrypted: false,
                        };
                        state.close_behind(gate, None);
                    }
                }
            }
            Err(e.into())
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
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
        state.with(|s| {
            let organisation = s.store.list::<Organisation>()?.into_iter().next();
            let needs_setup = organisation.is_none();
            let organisation = organisation.map(|o| o.name).unwrap_or_default();
            Ok(AppInfo {
                path: s.store.path().map(|p| p.display().to_string()).unwrap_or_default(),
                is_demo: s.is_demo,
                organisation,
                installation: s.store.installation().name.clone(),
                schema_version: SCHEMA_VERSION as u32,
                method_version: s.store.method().number,
                needs_setup,
                encrypted: s.store.is_encrypted(),
            })
        })
    }

    /// The organisation at a glance.
    fn overview(state) -> Overview {
        state.with(|s| Ok(Overview::load(&s.store, today())?))
    }

    /// Every row of the register.
    fn register_rows(state) -> RegisterPage {
        state.with(|s| {
            let generation = s.generation();
            Ok(RegisterPage { generation, rows: s.register()?.rows().to_vec() })
        })
    }

    /// The positions of the rows matching a search.
    fn register_search(state, query: RegisterQuery) -> RegisterHits {
        state.with(|s| {
            let generation = s.generation();
            Ok(RegisterHits { generation, positions: s.register()?.search_positions(&query) })
        })
    }

    /// Förvaltningar and bolag.
    fn forvaltningar(state) -> Vec<Forvaltning> {
        state.with(|s| Ok(s.store.list()?))
    }

    /// People.
    fn people(state) -> Vec<Person> {
        state.with(|s| Ok(s.store.list()?))
    }

    /// The threat catalogue.
    fn threats(state) -> Vec<Threat> {
        state.with(|s| Ok(s.store.list()?))
    }

    /// The method in force.
    fn method(state) -> MethodVersion {
        state.with(|s| Ok(s.store.method().clone()))
    }

    /// One system with everything around it.
    fn system_view(state, id: SystemId) -> SystemView {
        state.with(|s| Ok(SystemView::load(&s.store, id)?))
    }

    /// The history of a system and the records that refer to it.
    fn system_history(state, id: SystemId) -> Vec<AuditEntry> {
        state.with(|s| Ok(s.store.audit_log_mentioning(&id.to_string())?))
    }

    /// A new system in a förvaltning.
    fn create_system(state, name: String, forvaltning_id: ForvaltningId) -> System {
        state.write(|s| {
            let system = System { name: name.trim().to_string(), forvaltning_id, lifecycle: Lifecycle::Planerad, ..Default::default() };
            Ok(s.store.write("Nytt system", |w| w.insert(system))?)
        })
    }

    /// Saves a changed system (its revision must be the stored one).
    fn save_system(state, system: System) -> System {
        state.write(|s| Ok(s.store.write("Ändra system", |w| w.update(system))?))
    }

    /// A new information set held by a system.
    fn add_information_set(state, system_id: SystemId, name: String, description: String) -> InformationSet {
        state.write(|s| {
            let system: System = s.store.get(system_id)?;
            let set = InformationSet { name: name.trim().to_string(), description, forvaltning_id: Some(system.forvaltning_id), ..Default::default() };
            Ok(s.store.write("Ny informationsmängd", |w| {
                let set = w.insert(set)?;
                w.insert(SystemInformationSet { system_id, information_set_id: set.id, ..Default::default() })?;
                Ok(set)
            })?)
        })
    }

    /// Records a classification of an information set under the method in force.
    fn classify(state, classification: Classification) -> Classification {
        state.write(|s| {
            let method_version_id = s.store.method().id;
            let c = Classification { id: ClassificationId::default(), method_version_id, ..classification };
            Ok(s.store.write("Klassning", |w| w.insert(c))?)
        })
    }

    /// The profile the system would get with a draft classification (nothing is saved).
    fn profile_preview(state, system_id: SystemId, draft: Classification) -> riskverkstad_core::profile::ProtectionProfile {
        state.with(|s| {
            let method = s.store.method().clone();
            let draft = Classification { method_version_id: method.id, ..draft };
            Ok(riskverkstad_core::queries::system_profile_preview(&s.store, &method.definition, system_id, &draft)?)
        })
    }

    /// A new risk analysis of a system.
    fn create_analysis(state, system_id: SystemId, title: String, scope: String) -> RiskAnalysis {
        state.write(|s| {
            let method_version_id = s.store.method().id;
            let analysis = RiskAnalysis { title, scope, analysed_on: today(), system_id: Some(system_id), method_version_id, ..Default::default() };
            Ok(s.store.write("Ny riskanalys", |w| w.insert(analysis))?)
        })
    }

    /// Saves a risk: a new one (nil id) or a change.
    fn save_risk(state, risk: Risk) -> Risk {
        state.write(|s| {
            let new = risk.id.is_nil();
            Ok(s.store.write(if new { "Ny risk" } else { "Ändra risk" }, |w| if new { w.insert(risk) } else { w.update(risk) })?)
        })
    }

    /// Saves an action: a new one (nil id, linked to `risk_id` if given) or a change.
    fn save_action(state, action: Action, risk_id: Option<RiskId>) -> Action {
        state.write(|s| {
            if !action.id.is_nil() {
                return Ok(s.store.write("Ändra åtgärd", |w| w.update(action))?);
            }
            Ok(s.store.write("Ny åtgärd", |w| {
                let action = w.insert(action)?;
                if let Some(risk_id) = risk_id {
                    w.insert(ActionLink { action_id: action.id, risk_id: Some(risk_id), ..Default::default() })?;
                }
                Ok(action)
            })?)
        })
    }

    /// The handlingsplan: every action with its system, responsible and what it treats.
    fn action_plan(state) -> Vec<riskverkstad_core::views::ActionPlanRow> {
        state.with(|s| Ok(riskverkstad_core::views::action_plan(&s.store, today())?))
    }

    /// The yearly cycle as of today.
    fn due_list(state) -> Vec<DueItem> {
        state.with(|s| Ok(riskverkstad_core::queries::due_list(&s.store, today())?))
    }

    /// Sets up a new, empty database: the organisation and its first förvaltning.
    fn setup(state, organisation: String, forvaltning: String, short_name: String) -> Forvaltning {
        state.write(|s| Ok(settings::setup(&mut s.store, &organisation, &forvaltning, &short_name)?))
    }

    /// The organisation, if set up.
    fn organisation(state) -> Option<Organisation> {
        state.with(|s| Ok(s.store.list::<Organisation>()?.into_iter().next()))
    }

    /// Saves the organisation's name and number.
    fn save_organisation(state, organisation: Organisation) -> Organisation {
        state.write(|s| Ok(settings::save(&mut s.store, organisation, "Ny organisation", "Ändra organisation")?))
    }

    /// Saves a förvaltning or bolag: a new one (nil id) or a change.
    fn save_forvaltning(state, forvaltning: Forvaltning) -> Forvaltning {
        state.write(|s| Ok(settings::save(&mut s.store, forvaltning, "Ny förvaltning", "Ändra förvaltning")?))
    }

    /// Saves a person: a new one (nil id) or a change.
    fn save_person(state, person: Person) -> Person {
        state.write(|s| Ok(settings::save(&mut s.store, person, "Ny person", "Ändra person")?))
    }

    /// Saves a threat of the catalogue: a new one (nil id) or a change.
    fn save_threat(state, threat: Threat) -> Threat {
        state.write(|s| Ok(settings::save(&mut s.store, threat, "Nytt hot", "Ändra hot")?))
    }

    /// The requirements catalogue.
    fn requirements(state) -> Vec<Requirement> {
        state.with(|s| Ok(s.store.list()?))
    }

    /// Saves a requirement of the catalogue: a new one (nil id) or a change.
    fn save_requirement(state, requirement: Requirement) -> Requirement {
        state.write(|s| Ok(settings::save(&mut s.store, requirement, "Nytt krav", "Ändra krav")?))
    }

    /// What a draft method would mean for the stored assessments (nothing is saved).
    fn method_preview(state, draft: Method) -> MethodPreview {
        state.with(|s| Ok(settings::preview_method(&s.store, &draft)?))
    }

    /// Saves a draft method as the next version, in force from now.
    fn save_method(state, draft: Method, note: String) -> MethodVersion {
        state.write(|s| Ok(settings::save_method(&mut s.store, draft, &note)?))
    }

    /// External parties (suppliers, authorities …).
    fn external_parties(state) -> Vec<ExternalParty> {
        state.with(|s| Ok(s.store.list()?))
    }

    /// Gives a person a role for a system (nil id), or changes an assignment.
    fn save_role(state, assignment: RoleAssignment) -> RoleAssignment {
        state.write(|s| Ok(settings::save(&mut s.store, assignment, "Ny roll", "Ändra roll")?))
    }

    /// Removes a role assignment.
    fn remove_role(state, id: RoleAssignmentId) -> () {
        state.write(|s| Ok(s.store.write("Ta bort roll", |w| w.delete::<RoleAssignment>(id))?))
    }

    /// Records that a system depends on another system or an external party.
    fn save_dependency(state, dependency: Dependency) -> Dependency {
        state.write(|s| Ok(settings::save(&mut s.store, dependency, "Nytt beroende", "Ändra beroende")?))
    }

    /// Removes a dependency.
    fn remove_dependency(state, id: DependencyId) -> () {
        state.write(|s| Ok(s.store.write("Ta bort beroende", |w| w.delete::<Dependency>(id))?))
    }

    /// Records acceptance of a risk within its band's rules; refused with the rule otherwise.
    fn accept_risk(state, risk_id: RiskId, by: PersonId, mandate: Mandate, reason: String) -> Risk {
        state.write(|s| {
            let acceptance = riskverkstad_core::ops::Acceptance { by, mandate, on: today(), reason };
            Ok(riskverkstad_core::ops::accept_risk(&mut s.store, risk_id, acceptance)?.0)
        })
    }

    /// The change that undo would reverse, if any.
    fn undo_target(state) -> Option<UndoTarget> {
        state.with(|s| Ok(s.store.undo_target()?))
    }

    /// Undoes the change the user saw named (its first audit entry); returns its name.
    fn undo(state, first_seq: u32) -> String {
        state.write(|s| Ok(s.store.undo_expecting(i64::from(first_seq))?))
    }

    /// Produces a decision document and describes it (nothing is saved).
    fn report_preview(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, open_summary: bool) -> ReportPreview {
        state.with(|s| {
            let r = riskverkstad_report::render_document(&s.store, &report_request(kind, system_id, forvaltning_id, open_summary))?;
            Ok(ReportPreview {
                sha256: riskverkstad_report::sha256_hex(&r.bytes),
                bytes: r.bytes.len() as u32,
                title: r.title,
                marking: r.marking,
                identity: r.identity,
                pages: r.pages,
                headings: r.headings,
            })
        })
    }

    /// The decisions about a system (every kind), or with null those about förvaltningar and
    /// the organisation; newest version first within each kind.
    fn decision_versions(state, system_id: Option<SystemId>) -> Vec<DecisionVersion> {
        state.with(|s| Ok(riskverkstad_core::decisions::versions(&s.store, system_id)?))
    }

    /// Makes the decision: draws the document as decided and archives its PDF, unchangeable,
    /// as the next version of its subject.
    fn decide(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, decided_on: chrono::NaiveDate, diarienummer: Option<String>, decided: Decided) -> DecisionVersion {
        state.write(|s| {
            let mut request = report_request(kind, system_id, forvaltning_id, false);
            request.date = decided_on;
            request.diarienummer = diarienummer;
            let (frozen, _) = riskverkstad_report::decide(&mut s.store, &request, decided)?;
            riskverkstad_core::decisions::versions(&s.store, system_id)?
                .into_iter()
                .find(|v| v.id == frozen.id)
                .ok_or_else(|| IpcError::new("internal", "Beslutet sparades men hittades inte i listan."))
        })
    }

    /// Saves a decision's archived PDF (checked against its SHA-256) where the user chooses;
    /// returns the path, or null when the dialog was cancelled.
    fn save_decision_document(state, decision_id: DecisionId) -> Option<String> {
        let (d, bytes) = state.with(|s| Ok(riskverkstad_core::decisions::document_of(&s.store, decision_id)?))?;
        let suffix = format!("v{}-{}", d.version, d.decided_on.map(|d| d.to_string()).unwrap_or_default());
        let Some(path) = crate::dialogs::save_pdf(&riskverkstad_report::file_name(&d.title, &suffix))? else { return Ok(None) };
        crate::dialogs::write_file(&path, &bytes)?;
        Ok(Some(path.display().to_string()))
    }

    /// Produces a decision document and saves it where the user chooses in the native save
    /// dialog; returns the path, or null when the dialog was cancelled.
    fn save_report(state, kind: DecisionKind, system_id: Option<SystemId>, forvaltning_id: Option<ForvaltningId>, open_summary: bool) -> Option<String> {
        let r = state.with(|s| Ok(riskverkstad_report::render_document(&s.store, &report_request(kind, system_id, forvaltning_id, open_summary))?))?;
        let Some(path) = crate::dialogs::save_pdf(&r.file_name)? else { return Ok(None) };
        crate::dialogs::write_file(&path, &r.bytes)?;
        Ok(Some(path.display().to_string()))
    }

    /// The department identity, the trust list and the conflicts waiting.
    fn exchange_overview(state) -> ExchangeState {
        state.with(|s| exchange_state(s))
    }

    /// Creates the department identity: a new key pair, the private key in a file beside the
    /// database.
    fn create_identity(state, department: String) -> ExchangeState {
        state.with(|s| {
            riskverkstad_core::exchange::init_identity(&mut s.store, &department)?;
            exchange_state(s)
        })
    }

    /// Exports a signed bundle (the whole database or one förvaltning) to a file chosen in the
    /// native save dialog; returns the path, or null when cancelled.
    fn export_bundle(state, forvaltning_id: Option<ForvaltningId>) -> Option<String> {
        let name = state.with(|s| {
            let id = riskverkstad_core::exchange::identity(&s.store)?.ok_or_else(|| IpcError::new("no_identity", "Skapa avdelningens identitet först."))?;
            Ok(format!("{}-{}.rvb", id.name.replace([' ', '/', '\\'], "_"), today()))
        })?;
        let Some(path) = crate::dialogs::save_bundle(&name)? else { return Ok(None) };
        let bytes = state.with(|s| {
            let scope = match forvaltning_id { Some(f) => Scope::Forvaltning(f), None => Scope::All };
            Ok(riskverkstad_core::exchange::export_bundle(&mut s.store, &scope, None)?.bytes)
        })?;
        crate::dialogs::write_file(&path, &bytes)?;
        Ok(Some(path.display().to_string()))
    }

    /// Chooses a bundle in the native open dialog and shows its signer and merge plan without
    /// writing anything; null when cancelled.
    fn choose_bundle(state) -> Option<BundlePreview> {
        let Some(path) = crate::dialogs::open_bundle()? else { return Ok(None) };
        let max = Limits::default().max_file;
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > max {
            return Err(IpcError::new("bundle_too_large", format!("Paketet är för stort ({size} byte, högst {max} byte tas emot).")));
        }
        let bytes = std::fs::read(&path)
            .map_err(|e| IpcError::new("read", format!("Filen {} kunde inte läsas: {e}", path.display())))?;
        state.with(|s| {
            s.pending_bundle = Some(bytes);
            preview(&state, s, path.display().to_string()).map(Some)
        })
    }

    /// Trusts the signer of the chosen bundle under `name` (the UI has shown its fingerprint
    /// and the user confirmed), then shows the plan.
    fn trust_bundle_signer(state, name: String, fingerprint: String, file: String) -> BundlePreview {
        state.with(|s| {
            let bytes = s.pending_bundle.clone().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
            let signer = riskverkstad_core::exchange::bundle_signer(&s.store, &bytes)?;
            if signer.fingerprint.openssh != fingerprint {
                return Err(IpcError::new("fingerprint", "Paketets nyckel är inte den som visades."));
            }
            let key = PublicKey::from_openssh(&signer.public_key).map_err(riskverkstad_core::Error::from)?;
            riskverkstad_core::exchange::trust_add(&mut s.store, &key, &name)?;
            preview(&state, s, file)
        })
    }

    /// Applies the chosen bundle's plan in one transaction, if it is still the plan shown
    /// (`digest`).
    fn apply_bundle(state, digest: String) -> ImportReport {
        state.with(|s| {
            let bytes = s.pending_bundle.take().ok_or_else(|| IpcError::new("no_bundle", "Inget paket är valt."))?;
            let result = riskverkstad_core::exchange::import_bundle_with(&mut s.store, &bytes, Limits::default(), Some(&digest), &mut |p| {
                state.publish_progress(p)
            });
            state.clear_progress();
            if result.is_err() {
                s.pending_bundle = Some(bytes);
            }
            let report = result?;
            s.changed();
            Ok(report)
        })
    }

    /// Settles a conflict: mine, theirs, or the chosen fields from theirs.
    fn resolve_conflict(state, id: String, resolution: Resolution) -> ExchangeState {
        state.with(|s| {
            riskverkstad_core::exchange::resolve_conflict(&mut s.store, &id, &resolution)?;
            s.changed();
            exchange_state(s)
        })
    }

    /// How far the running bundle import (or its preview) has come; none when none runs.
    /// Answers while the import holds the database.
    fn import_progress(state) -> Option<ImportProgress> {
        Ok(state.progress.lock().ok().and_then(|g| g.clone()))
    }

    /// Chooses a register file (xlsx, ods, csv) in the native open dialog and shows its columns,
    /// the proposed (or last saved) mapping and the dry run; null when cancelled.
    fn choose_register_file(state) -> Option<RegisterFilePreview> {
        let Some(path) = crate::dialogs::open_register()? else { return Ok(None) };
        let bytes = std::fs::read(&path)
            .map_err(|e| IpcError::new("read", format!("Filen {} kunde inte läsas: {e}", path.display())))?;
        state.with(|s| {
            s.pending_register = Some((bytes, path));
            register_preview(s, None, None).map(|(p, _, _)| Some(p))
        })
    }

    /// The chosen register file planned again under another sheet or mapping (writes nothing).
    fn plan_register_file(state, sheet: Option<String>, mapping: Option<Mapping>) -> RegisterFilePreview {
        state.with(|s| register_preview(s, sheet, mapping).map(|(p, _, _)| p))
    }

    /// Imports the chosen register file in one transaction, if the plan is still the one shown
    /// (`digest`); the mapping is saved for the next file.
    fn import_register_file(state, sheet: Option<String>, mapping: Mapping, digest: String) -> RegisterImportReport {
        state.write(|s| {
            let (_, table, mapping) = register_preview(s, sheet, Some(mapping))?;
            let report = riskverkstad_core::register_file::import_register(&mut s.store, &table, &mapping, Some(&digest))?;
            if let Some(p) = saved_mapping_path(s)
                && let Ok(text) = serde_json::to_string_pretty(&mapping)
            {
                // Losing the saved mapping costs a re-mapping next time, not data.
                let _ = crate::dialogs::write_file(&p, text.as_bytes());
            }
            s.pending_register = None;
            Ok(report)
        })
    }

    /// Exports the register (or one förvaltning's) as Excel or csv to a file chosen in the
    /// native save dialog; returns the path, or null when cancelled.
    fn export_register_file(state, forvaltning_id: Option<ForvaltningId>) -> Option<String> {
        let Some(path) = crate::dialogs::save_register(&format!("Systemförteckning-{}.xlsx", today()))? else {
            return Ok(None);
        };
        let table = state.with(|s| Ok(riskverkstad_core::register_file::export(&s.store, forvaltning_id)?))?;
        let bytes = riskverkstad_sheets::write_for(&path, &table).map_err(|e| IpcError::new("write", e.to_string()))?;
        crate::dialogs::write_file(&path, &bytes)?;
        Ok(Some(path.display().to_string()))
    }

    /// Revokes a trusted key: its bundles are refused from now on.
    fn revoke_trust(state, name: String) -> ExchangeState {
        state.with(|s| {
            riskverkstad_core::exchange::trust_revoke(&mut s.store, &name)?;
            exchange_state(s)
        })
    }

    /// The gate shown instead of the app when no database is open (locked, new, damaged).
    fn gate(state) -> Option<Gate> {
        Ok(state.gate())
    }

    /// Opens the locked database with `passphrase`. A wrong one changes nothing.
    fn unlock(state, passphrase: String) -> AppInfo {
        let passphrase = Passphrase::new(passphrase);
        let (gate, _) = state.gate.lock().ok().and_then(|g| g.clone()).ok_or_else(|| IpcError::new("no_gate", "Ingen databas väntar på lösenfras."))?;
        let path = std::path::PathBuf::from(&gate.path);
        match Store::unlock(&path, Some(passphrase.clone())) {
            Ok(store) => state.replace(Session::new(store, false)),
            Err(e @ (riskverkstad_core::Error::Corrupt { .. } | riskverkstad_core::Error::NotADatabase { .. })) => {
                if let crate::state::Opened::Gate(g, k) = crate::state::damaged(&path, &e, Some(passphrase)) {
                    state.close_behind(g, k);
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        }
        app_info(state)
    }

    /// Creates the new database behind the gate, encrypted with `passphrase`.
    fn create_database(state, passphrase: String) -> AppInfo {
        let passphrase = Passphrase::new(passphrase);
        let (gate, _) = state.gate.lock().ok().and_then(|g| g.clone()).ok_or_else(|| IpcError::new("no_gate", "Ingen ny databas väntar."))?;
        if gate.kind != GateKind::New {
            return Err(IpcError::new("no_gate", "Ingen ny databas väntar."));
        }
        let path = std::path::PathBuf::from(&gate.path);
        passphrase.check_new()?;
        // An existing file is never replaced by a new database (its backups and key file
        // would be mixed up with the new one's).
        if path.exists() {
            return Err(IpcError::new(
                "exists",
                format!("Filen {} finns redan. Välj ett nytt filnamn; en befintlig databas öppnas med Arkiv → Öppna databas.", path.display()),
            ));
        }
        let store = Store::create(&path, Some(passphrase))?;
        state.replace(Session::new(store, false));
        app_info(state)
    }

    /// How strong a passphrase being chosen is (nothing is stored).
    fn passphrase_strength(state, passphrase: String) -> Strength {
        let _ = state;
        let passphrase = Passphrase::new(passphrase);
        Ok(riskverkstad_core::store::strength(passphrase.expose()))
    }

    /// Locks the open encrypted database now: it is closed and its key dropped.
    fn lock(state) -> bool {
        Ok(state.lock("Låst. Ange lösenfrasen för att fortsätta."))
    }

    /// Notes that the person is active (typing, clicking), so the idle lock waits.
    fn note_activity(state) -> bool {
        state.touch();
        Ok(true)
    }

    /// Encryption, backups and the idle lock of the open database.
    fn security_overview(state) -> SecurityOverview {
        state.with(|s| security_overview_of(s))
    }

    /// Makes a backup now.
    fn create_backup(state) -> SecurityOverview {
        state.with(|s| {
            riskverkstad_core::backup::create(&s.store, BackupReason::Manuell, riskverkstad_core::ids::Timestamp::now())?;
            security_overview_of(s)
        })
    }

    /// Opens every backup and runs the integrity and audit-chain checks; records the restore
    /// test when all pass.
    fn verify_backups(state) -> Vec<BackupCheck> {
        state.with(|s| Ok(riskverkstad_core::backup::verify_all(&mut s.store, riskverkstad_core::ids::Timestamp::now())?))
    }

    /// Replaces the database by the backup `file_name` (verified first; the current state
    /// is backed up before it is replaced).
    fn restore_backup(state, file_name: String) -> AppInfo {
        // A name of the backups folder: the core refuses any name the folder does not list.
        let name = std::path::PathBuf::from(&file_name);
        swap_store(&state, None, |store| Ok((riskverkstad_core::backup::restore(store, &name, riskverkstad_core::ids::Timestamp::now())?, ())))?;
        app_info(state)
    }

    /// Restores the damaged database behind the gate from its newest sound backup.
    fn restore_damaged(state, file_name: String) -> AppInfo {
        let (gate, key) = state.gate.lock().ok().and_then(|g| g.clone()).ok_or_else(|| IpcError::new("no_gate", "Ingen skadad databas väntar."))?;
        // Only the backup the gate offers (checked when it was offered).
        if gate.kind != GateKind::Damaged || gate.backup.as_ref().is_none_or(|b| b.backup.file_name != file_name) {
            return Err(IpcError::new("invalid", "Välj säkerhetskopian som erbjuds."));
        }
        let db = std::path::PathBuf::from(&gate.path);
        let backup = riskverkstad_core::backup::folder(&db).join(&file_name);
        let store = riskverkstad_core::backup::restore_file(&db, &backup, key, riskverkstad_core::ids::Timestamp::now())?;
        state.replace(Session::new(store, false));
        app_info(state)
    }

    /// Sets a new passphrase (the current one must be given), or encrypts a plain database.
    fn change_passphrase(state, current: String, replacement: String) -> Rekeyed {
        let current = Passphrase::new(current);
        let new = Passphrase::new(replacement);
        state.with(|s| {
            if s.store.is_encrypted() && !s.store.passphrase_is(&current) {
                return Err(IpcError::new("wrong_passphrase", "Den nuvarande lösenfrasen stämmer inte. Ingenting har ändrats."));
            }
            new.check_new()?;
            Ok(())
        })?;
        let rekeyed = swap_store(&state, Some(new.clone()), |store| riskverkstad_core::backup::change_passphrase(store, new))?;
        state.with(|s| {
            s.is_demo = false;
            Ok(rekeyed)
        })
    }

    /// Sets the minutes without use before the app locks.
    fn set_idle_lock_minutes(state, minutes: u32) -> SecurityOverview {
        state.with(|s| {
            s.store.set_idle_lock_minutes(minutes)?;
            s.idle_lock_minutes = minutes;
            security_overview_of(s)
        })
    }
}
