//! The system register as a spreadsheet: export to a [`Table`] (written as xlsx or csv by
//! `riskverkstad-sheets`), and import of a department's own list with a column [`Mapping`].
//!
//! Import is planned as a whole first ([`plan_register_import`]): per row what will be
//! created, updated, left unchanged or skipped and why, with the people, förvaltningar, units
//! and suppliers it brings. [`import_register`] plans again inside one transaction and
//! writes it, refusing if the plan is not the one shown (its digest). Invariants:
//! - nothing in the file is lost: a column without a field is kept per system as an extra
//!   attribute, and a value that cannot be read is reported with its row and column and
//!   leaves the field as it was;
//! - a system is matched by its id (a column of an exported file) or else by its name within
//!   its förvaltning, so re-importing the same or an updated file creates no duplicates;
//! - levels (K/R/T/S) are never typed in: they come from classifying information sets. A level
//!   in the file that differs from the system's is kept as an extra attribute and reported;
//! - dependencies are added, never removed by an import.

mod fields;

pub use fields::Field;
use fields::{boolean, choice, date, level, normalise, several, whole};

use crate::error::{Error, Result};
use crate::exchange::plan::{content_diff, field_label};
use crate::ids::*;
use crate::method::Aspect;
use crate::model::*;
use crate::register::Levels;
use crate::store::{Read, Store, Writer, to_object};
use riskverkstad_sheets::{Cell, Row, Table};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Which register field each column of a file holds (`None`: kept as an extra attribute).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The column's header in the file.
    pub header: String,
    /// The field, or none.
    pub field: Option<Field>,
}

/// A file's column mapping. Saved as JSON, it is reused for the next file with the same
/// headers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// One per column, in the file's order.
    pub columns: Vec<ColumnMapping>,
}

impl Mapping {
    /// The proposed mapping of a header row: each field goes to the column whose header is
    /// most like its name or a name departments use for it (at least [`fields::PROPOSE_AT`]).
    pub fn propose(headers: &[String]) -> Mapping {
        let mut pairs: Vec<(f64, usize, Field)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            for f in Field::ALL {
                let s = fields::score(h, *f);
                if s >= fields::PROPOSE_AT {
                    pairs.push((s, i, *f));
                }
            }
        }
        // Best pairs first; each column and each field taken once.
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut columns: Vec<ColumnMapping> =
            headers.iter().map(|h| ColumnMapping { header: h.clone(), field: None }).collect();
        let mut taken = HashSet::new();
        for (_, i, f) in pairs {
            if columns[i].field.is_none() && taken.insert(f) {
                columns[i].field = Some(f);
            }
        }
        Mapping { columns }
    }

    /// A saved mapping applied to a file's headers: a header it names keeps its field (or
    /// none); other headers are proposed, except for a field a kept header already holds.
    pub fn adapt(&self, headers: &[String]) -> Mapping {
        let saved: HashMap<String, Option<Field>> =
            self.columns.iter().map(|c| (normalise(&c.header), c.field)).collect();
        let mut out = Mapping::propose(headers);
        // Only the fields of saved headers that this file has are taken: a file with other
        // headers (an exported register) still gets its name column proposed.
        let taken: HashSet<Field> =
            headers.iter().filter_map(|h| saved.get(&normalise(h)).copied().flatten()).collect();
        for c in &mut out.columns {
            match saved.get(&normalise(&c.header)) {
                Some(f) => c.field = *f,
                None if c.field.is_some_and(|f| taken.contains(&f)) => c.field = None,
                None => {}
            }
        }
        out
    }

    /// Checks that the mapping fits the file's headers, names at most one column per field and
    /// maps the system name.
    pub fn check(&self, headers: &[String]) -> Result<()> {
        let bad = |m: String| Error::invalid("kolumnmappning", m);
        if self.columns.len() != headers.len()
            || self.columns.iter().zip(headers).any(|(c, h)| normalise(&c.header) != normalise(h))
        {
            return Err(bad("mappningen gäller andra kolumner än filens; gör om mappningen för den här filen".into()));
        }
        let mut headers_seen = HashSet::new();
        for h in headers {
            if !headers_seen.insert(normalise(h)) {
                return Err(bad(format!(
                    "kolumnrubriken «{h}» finns två gånger; ge kolumnerna olika rubriker i filen så att inget värde skriver över ett annat"
                )));
            }
        }
        let mut seen = HashMap::new();
        for c in &self.columns {
            if let Some(f) = c.field
                && let Some(first) = seen.insert(f, c.header.clone())
            {
                return Err(bad(format!("«{}» är vald för både «{first}» och «{}»", f.header(), c.header)));
            }
        }
        if !seen.contains_key(&Field::Name) {
            return Err(bad("ange vilken kolumn som innehåller systemnamnet".into()));
        }
        Ok(())
    }

    fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(field))
    }
}

// ---------------------------------------------------------------------------------------
// Export

/// The register (optionally one förvaltning's) as a table: one row per system, the fields in
/// [`Field::ALL`]'s order with Swedish headers, then one column per extra attribute. Written
/// with `riskverkstad-sheets`, it re-imports with no changes.
pub fn export(store: &Store, forvaltning: Option<ForvaltningId>) -> Result<Table> {
    let levels = levels_of(store)?;
    let forvaltningar: HashMap<ForvaltningId, Forvaltning> =
        store.list::<Forvaltning>()?.into_iter().map(|f| (f.id, f)).collect();
    let units: HashMap<UnitId, Unit> = store.list::<Unit>()?.into_iter().map(|u| (u.id, u)).collect();
    let people: HashMap<PersonId, Person> = store.list::<Person>()?.into_iter().map(|p| (p.id, p)).collect();
    let parties: HashMap<ExternalPartyId, ExternalParty> =
        store.list::<ExternalParty>()?.into_iter().map(|p| (p.id, p)).collect();
    let mut systems: Vec<System> =
        store.list::<System>()?.into_iter().filter(|s| forvaltning.is_none_or(|f| s.forvaltning_id == f)).collect();
    systems.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    let names: HashMap<SystemId, String> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let roles = store.list::<RoleAssignment>()?;
    let deps = store.list::<Dependency>()?;
    let holders = |s: SystemId, role: Role| -> Cell {
        let mut n: Vec<String> = roles
            .iter()
            .filter(|r| r.system_id == Some(s) && r.role == role)
            .filter_map(|r| people.get(&r.person_id).map(|p| p.name.clone()))
            .collect();
        n.sort();
        text_cell(n.join("; "))
    };
    let columns: Vec<Field> = Field::ALL.iter().copied().filter(|f| *f != Field::DependedOnBy).collect();
    let mut extra_names: Vec<String> = Vec::new();
    for s in &systems {
        for a in &s.extra {
            if !extra_names.iter().any(|n| n.trim().to_lowercase() == a.name.trim().to_lowercase()) {
                extra_names.push(a.name.clone());
            }
        }
    }
    let mut headers: Vec<String> = columns.iter().map(|f| f.header().to_string()).collect();
    headers.extend(extra_names.iter().cloned());
    let mut rows = Vec::with_capacity(systems.len());
    for (i, s) in systems.iter().enumerate() {
        let opt_bool = |b: Option<bool>| b.map(Cell::Bool).unwrap_or(Cell::Empty);
        let opt_date = |d: Option<chrono::NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
        let opt_num = |n: Option<u32>| n.map(|n| Cell::Number(n as f64)).unwrap_or(Cell::Empty);
        let lv = levels.get(&s.id).cloned().unwrap_or_default();
        let lvl = |l: Option<u8>| l.map(|l| Cell::Number(l as f64)).unwrap_or(Cell::Empty);
        let mut cells: Vec<Cell> = columns
            .iter()
            .map(|f| match f {
                Field::Id => Cell::Text(s.id.to_string()),
                Field::Name => text_cell(s.name.clone()),
                Field::Aliases => text_cell(s.aliases.join("; ")),
                Field::Description => text_cell(s.description.clone()),
                Field::Category => Cell::Text(s.category.label().into()),
                Field::Organisation => {
                    text_cell(forvaltningar.get(&s.forvaltning_id).map(|f| f.name.clone()).unwrap_or_default())
                }
                Field::Unit => {
                    text_cell(s.unit_id.and_then(|u| units.get(&u)).map(|u| u.name.clone()).unwrap_or_default())
                }
                Field::Pm3Object => text_cell(s.pm3_object.clone().unwrap_or_default()),
                Field::Lifecycle => Cell::Text(s.lifecycle.label().into()),
                Field::InOperationSince => opt_date(s.in_operation_since),
                Field::DecommissionOn => opt_date(s.decommission_on),
                Field::Owner => holders(s.id, Role::Systemagare),
                Field::Manager => holders(s.id, Role::Systemforvaltare),
                Field::Supplier => {
                    text_cell(s.supplier_id.and_then(|p| parties.get(&p)).map(|p| p.name.clone()).unwrap_or_default())
                }
                Field::ContractEnd => opt_date(s.contract_end),
                Field::NoticePeriod => opt_num(s.notice_period_months),
                Field::SecurityRequirementsInContract => opt_bool(s.security_requirements_in_contract),
                Field::OperationForm => text_cell(s.operation_form.map(|o| o.label().to_string()).unwrap_or_default()),
                Field::DataLocation => text_cell(s.data_location.map(|o| o.label().to_string()).unwrap_or_default()),
                Field::PersonalData => opt_bool(s.personal_data),
                Field::SensitivePersonalData => opt_bool(s.sensitive_personal_data),
                Field::DpiaDone => opt_bool(s.dpia_done),
                Field::ProcessorAgreement => opt_bool(s.processor_agreement),
                Field::BusinessCritical => Cell::Bool(s.business_critical),
                Field::Samhallsviktig => Cell::Bool(s.samhallsviktig),
                Field::SamhallsviktigReason => text_cell(s.samhallsviktig_reason.clone().unwrap_or_default()),
                Field::Nis2 => Cell::Text(s.nis2.label().into()),
                Field::Sakerhetsskydd => Cell::Bool(s.sakerhetsskydd),
                Field::RtoHours => opt_num(s.rto_hours),
                Field::RpoHours => opt_num(s.rpo_hours),
                Field::BackupFrequency => text_cell(s.backup_frequency.clone().unwrap_or_default()),
                Field::RestoreTestedOn => opt_date(s.restore_tested_on),
                Field::Mfa => opt_bool(s.mfa),
                Field::Logging => opt_bool(s.logging),
                Field::SystemSecurityPlan => opt_bool(s.system_security_plan),
                Field::LastReviewOn => opt_date(s.last_review_on),
                Field::DependsOn => {
                    let mut n: Vec<String> = deps
                        .iter()
                        .filter(|d| d.system_id == s.id)
                        .filter_map(|d| {
                            d.depends_on_system_id
                                .and_then(|t| names.get(&t).cloned())
                                .or_else(|| d.depends_on_party_id.and_then(|p| parties.get(&p)).map(|p| p.name.clone()))
                        })
                        .collect();
                    n.sort();
                    n.dedup();
                    text_cell(n.join("; "))
                }
                Field::DependedOnBy => Cell::Empty,
                Field::K => lvl(lv.k),
                Field::R => lvl(lv.r),
                Field::T => lvl(lv.t),
                Field::S => lvl(lv.s),
            })
            .collect();
        for n in &extra_names {
            cells.push(text_cell(
                s.extra
                    .iter()
                    .find(|a| a.name.trim().to_lowercase() == n.trim().to_lowercase())
                    .map(|a| a.value.clone())
                    .unwrap_or_default(),
            ));
        }
        rows.push(Row { number: i + 2, cells });
    }
    Ok(Table { sheet: "Systemförteckning".into(), headers, rows })
}

fn text_cell(s: String) -> Cell {
    if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s) }
}

fn levels_of(store: &Store) -> Result<HashMap<SystemId, Levels>> {
    let profiles = crate::queries::all_profiles(store)?;
    Ok(profiles
        .into_iter()
        .map(|(id, p)| {
            let l = |a| p.level(a);
            (id, Levels { k: l(Aspect::K), r: l(Aspect::R), t: l(Aspect::T), s: l(Aspect::S) })
        })
        .collect())
}

// ---------------------------------------------------------------------------------------
// Import

/// What happens to a row.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new system.
    Create,
    /// An existing system changes.
    Update,
    /// An existing system, already as the file says.
    Unchanged,
    /// Not imported (the reason says why).
    Skip,
}

impl RowAction {
    /// The Swedish word.
    pub fn label(self) -> &'static str {
        match self {
            RowAction::Create => "skapas",
            RowAction::Update => "uppdateras",
            RowAction::Unchanged => "oförändrad",
            RowAction::Skip => "hoppas över",
        }
    }
}

/// A value that could not be used as it is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    /// The column's header.
    pub column: String,
    /// What was wrong and what was done instead.
    pub message: String,
}

/// One row of the file and what the import does with it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowReport {
    /// Its row number in the file.
    pub row: u32,
    /// The system's name as the file gives it.
    pub name: String,
    /// What happens.
    pub action: RowAction,
    /// Why a row is skipped.
    pub reason: Option<String>,
    /// The fields that change (Swedish names).
    pub changes: Vec<String>,
    /// Values that could not be used, with the column.
    pub warnings: Vec<RowProblem>,
}

/// How many of each.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportCounts {
    /// New systems.
    pub created: u32,
    /// Changed systems.
    pub updated: u32,
    /// Systems already as the file says.
    pub unchanged: u32,
    /// Rows not imported.
    pub skipped: u32,
    /// Values reported (the rows are still imported).
    pub warnings: u32,
}

/// The plan of an import (or what was imported).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterImportReport {
    /// The sheet read.
    pub sheet: String,
    /// Counts.
    pub counts: ImportCounts,
    /// Every row.
    pub rows: Vec<RowReport>,
    /// Förvaltningar and units that will be created ("Förvaltning / Enhet").
    pub new_organisation: Vec<String>,
    /// People who will be created.
    pub new_people: Vec<String>,
    /// Suppliers and external parties that will be created.
    pub new_parties: Vec<String>,
    /// Dependencies on names that are no system here or in the file: kept as dependencies on
    /// an external party of that name.
    pub unresolved_dependencies: Vec<String>,
    /// A digest of what would be written; the import applies only the plan shown.
    pub digest: String,
    /// Whether it was written.
    pub applied: bool,
}

/// What is here already.
struct Existing {
    organisation: Option<Organisation>,
    forvaltningar: Vec<Forvaltning>,
    units: Vec<Unit>,
    people: Vec<Person>,
    parties: Vec<ExternalParty>,
    systems: Vec<System>,
    roles: Vec<RoleAssignment>,
    deps: Vec<Dependency>,
    levels: HashMap<SystemId, Levels>,
    /// The method in force, to validate what the import would write.
    method: crate::method::Method,
}

impl Existing {
    fn load(r: &impl Read, levels: HashMap<SystemId, Levels>, method: crate::method::Method) -> Result<Existing> {
        Ok(Existing {
            organisation: r.list::<Organisation>()?.into_iter().next(),
            forvaltningar: r.list()?,
            units: r.list()?,
            people: r.list()?,
            parties: r.list()?,
            systems: r.list()?,
            roles: r.list::<RoleAssignment>()?.into_iter().filter(|a| a.system_id.is_some()).collect(),
            deps: r.list()?,
            levels,
            method,
        })
    }
}

/// Everything the import writes, decided before anything is.
#[derive(Default)]
struct Intent {
    forvaltningar: Vec<Forvaltning>,
    units: Vec<Unit>,
    people: Vec<Person>,
    parties: Vec<ExternalParty>,
    /// Systems to insert or update (desired state).
    systems: Vec<(RowAction, System)>,
    roles_added: Vec<RoleAssignment>,
    roles_removed: Vec<RoleAssignmentId>,
    deps_added: Vec<Dependency>,
}

fn fresh<I: From<uuid::Uuid>>() -> I {
    I::from(uuid::Uuid::now_v7())
}

/// Plans the import of `table` under `mapping` against `existing`.
fn plan(existing: &Existing, table: &Table, mapping: &Mapping) -> Result<(RegisterImportReport, Intent)> {
    mapping.check(&table.headers)?;
    let col = |f: Field| mapping.column(f);
    let cell = |row: &Row, f: Field| -> Cell { col(f).and_then(|i| row.cells.get(i)).cloned().unwrap_or(Cell::Empty) };
    let header = |f: Field| col(f).map(|i| mapping.columns[i].header.clone()).unwrap_or_default();
    let mut intent = Intent::default();
    let mut reports: Vec<RowReport> = Vec::new();
    let org_name = existing.organisation.as_ref().map(|o| normalise(&o.name)).unwrap_or_default();

    // Lookups by normalised name, including what this import creates.
    let mut forvaltning_by: HashMap<String, ForvaltningId> = HashMap::new();
    for f in &existing.forvaltningar {
        forvaltning_by.insert(normalise(&f.name), f.id);
        forvaltning_by.entry(normalise(&f.short_name)).or_insert(f.id);
    }
    let mut unit_by: HashMap<(ForvaltningId, String), UnitId> =
        existing.units.iter().map(|u| ((u.forvaltning_id, normalise(&u.name)), u.id)).collect();
    let mut person_by: HashMap<String, PersonId> = HashMap::new();
    for p in &existing.people {
        person_by.entry(normalise(&p.name)).or_insert(p.id);
        if let Some(e) = &p.email {
            person_by.insert(e.trim().to_lowercase(), p.id);
        }
    }
    let mut party_by: HashMap<String, ExternalPartyId> =
        existing.parties.iter().map(|p| (normalise(&p.name), p.id)).collect();
    let by_id: HashMap<SystemId, &System> = existing.systems.iter().map(|s| (s.id, s)).collect();
    let mut by_name: HashMap<(ForvaltningId, String), SystemId> = HashMap::new();
    for s in &existing.systems {
        by_name.entry((s.forvaltning_id, normalise(&s.name))).or_insert(s.id);
    }
    let only_forvaltning = (existing.forvaltningar.len() == 1).then(|| existing.forvaltningar[0].id);

    let mapped: HashSet<usize> =
        mapping.columns.iter().enumerate().filter(|(_, c)| c.field.is_some()).map(|(i, _)| i).collect();
    let mut seen_systems: HashMap<SystemId, u32> = HashMap::new();
    let mut rows_by_name: HashMap<(ForvaltningId, String), u32> = HashMap::new();
    // Dependencies by name, resolved once every row is read.
    let mut dep_names: Vec<(SystemId, usize, String, bool)> = Vec::new();
    let mut file_names: HashMap<String, SystemId> = HashMap::new();
    // The report of each system the file names (for the dependencies found afterwards).
    let mut report_of: HashMap<SystemId, usize> = HashMap::new();

    for row in &table.rows {
        let number = row.number as u32;
        let name = cell(row, Field::Name).text().trim().to_string();
        let mut warnings: Vec<RowProblem> = Vec::new();
        let mut warn = |f: Field, message: String| warnings.push(RowProblem { column: header(f), message });
        let skip = |reason: String, warnings: Vec<RowProblem>| RowReport {
            row: number,
            name: name.clone(),
            action: RowAction::Skip,
            reason: Some(reason),
            changes: vec![],
            warnings,
        };
        if name.is_empty() {
            reports.push(skip(format!("systemnamn saknas (kolumnen «{}»)", header(Field::Name)), vec![]));
            continue;
        }
        // Förvaltning and unit: a förvaltning's own name (which may hold a "/"), or a path
        // "Kommun / Förvaltning / Enhet", or separate columns.
        let org_text = cell(row, Field::Organisation).text().trim().to_string();
        let path: Vec<String> = if org_text.is_empty() || forvaltning_by.contains_key(&normalise(&org_text)) {
            Some(org_text).filter(|w| !w.is_empty()).into_iter().collect()
        } else {
            org_text.split(['/', '>', '\\']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
        };
        // The municipality's own name first (or alone) is not a förvaltning.
        let path: Vec<String> =
            if path.first().is_some_and(|p| normalise(p) == org_name) { path[1..].to_vec() } else { path };
        let unit_name = match cell(row, Field::Unit).text().trim() {
            "" => path.get(1).cloned(),
            u => Some(u.to_string()),
        };
        // The system: by id, else by name within its förvaltning.
        let id_text = cell(row, Field::Id).text();
        let mut matched: Option<&System> = None;
        if !id_text.trim().is_empty() {
            match id_text.trim().parse::<uuid::Uuid>().ok().map(SystemId::from).and_then(|id| by_id.get(&id)) {
                Some(s) => matched = Some(s),
                None => warn(Field::Id, format!("id «{}» finns inte här; systemet matchas på namn", id_text.trim())),
            }
        }
        let forvaltning: Option<ForvaltningId> = match path.first() {
            Some(f) => match forvaltning_by.get(&normalise(f)) {
                Some(id) => Some(*id),
                None => match &existing.organisation {
                    Some(o) => {
                        let new = Forvaltning {
                            id: fresh(),
                            organisation_id: o.id,
                            name: f.clone(),
                            short_name: short_name(f),
                            kind: ForvaltningKind::Forvaltning,
                            ..Default::default()
                        };
                        forvaltning_by.insert(normalise(f), new.id);
                        let id = new.id;
                        intent.forvaltningar.push(new);
                        Some(id)
                    }
                    None => None,
                },
            },
            None => matched.map(|s| s.forvaltning_id).or(only_forvaltning),
        };
        let Some(forvaltning) = forvaltning else {
            let why = match (&existing.organisation, col(Field::Organisation)) {
                (None, _) => "ingen organisation är upplagd här; lägg upp kommunen först".to_string(),
                (Some(_), None) => {
                    "ingen kolumn är vald som förvaltning, och det finns flera förvaltningar".to_string()
                }
                (Some(_), Some(_)) => format!(
                    "förvaltning saknas i kolumnen «{}», och det finns flera att välja mellan",
                    header(Field::Organisation)
                ),
            };
            reports.push(skip(why, warnings));
            continue;
        };
        if matched.is_none() {
            matched = by_name.get(&(forvaltning, normalise(&name))).and_then(|id| by_id.get(id)).copied();
        }
        let mut system = matched.cloned().unwrap_or_else(|| System {
            id: fresh(),
            category: SystemCategory::Verksamhetssystem,
            lifecycle: Lifecycle::IDrift,
            ..Default::default()
        });
        let same_name = (forvaltning, normalise(&name));
        if let Some(first) = seen_systems.get(&system.id).or_else(|| rows_by_name.get(&same_name)) {
            reports.push(skip(format!("samma system som rad {first}"), warnings));
            continue;
        }
        seen_systems.insert(system.id, number);
        rows_by_name.insert(same_name, number);
        file_names.insert(normalise(&name), system.id);
        system.name = name.clone();
        system.forvaltning_id = forvaltning;
        if let Some(u) = unit_name {
            let key = (forvaltning, normalise(&u));
            let id = match unit_by.get(&key) {
                Some(id) => *id,
                None => {
                    let new = Unit { id: fresh(), forvaltning_id: forvaltning, name: u.clone(), ..Default::default() };
                    unit_by.insert(key, new.id);
                    let id = new.id;
                    intent.units.push(new);
                    id
                }
            };
            system.unit_id = Some(id);
        } else if col(Field::Unit).is_some()
            || system
                .unit_id
                .is_some_and(|u| existing.units.iter().any(|x| x.id == u && x.forvaltning_id != forvaltning))
        {
            // The file leaves the unit empty, or moves the system to another förvaltning.
            system.unit_id = None;
        }

        // Plain fields.
        macro_rules! read {
            ($f:expr, $parse:expr, $set:expr) => {
                if col($f).is_some() {
                    match $parse(&cell(row, $f)) {
                        Ok(v) => $set(&mut system, v),
                        Err(e) => warn($f, format!("{e}; värdet lämnas som det var")),
                    }
                }
            };
        }
        let text = |c: &Cell| -> std::result::Result<Option<String>, String> {
            Ok(Some(c.text().trim().to_string()).filter(|t| !t.is_empty()))
        };
        read!(Field::Aliases, |c: &Cell| Ok::<_, String>(several(&c.text())), |s: &mut System, v| s.aliases = v);
        read!(Field::Description, text, |s: &mut System, v: Option<String>| s.description = v.unwrap_or_default());
        read!(
            Field::Category,
            |c: &Cell| choice(
                c,
                SystemCategory::parse,
                &[
                    ("stöd", SystemCategory::Stodsystem),
                    ("infra", SystemCategory::Infrastruktur),
                    ("verksamhet", SystemCategory::Verksamhetssystem)
                ],
                "kategori"
            ),
            |s: &mut System, v: Option<SystemCategory>| if let Some(v) = v {
                s.category = v
            }
        );
        read!(Field::Pm3Object, text, |s: &mut System, v| s.pm3_object = v);
        read!(
            Field::Lifecycle,
            |c: &Cell| choice(
                c,
                Lifecycle::parse,
                &[
                    ("drift", Lifecycle::IDrift),
                    ("aktiv", Lifecycle::IDrift),
                    ("i bruk", Lifecycle::IDrift),
                    ("införande", Lifecycle::UnderInforande),
                    ("upphandling", Lifecycle::Planerad),
                    ("plan", Lifecycle::Planerad),
                    ("avveckl", Lifecycle::UnderAvveckling),
                    ("avvecklad", Lifecycle::Avvecklad),
                    ("avvecklat", Lifecycle::Avvecklad),
                    ("avslutad", Lifecycle::Avvecklad),
                    ("ur drift", Lifecycle::Avvecklad),
                ],
                "livscykelstatus"
            ),
            |s: &mut System, v: Option<Lifecycle>| if let Some(v) = v {
                s.lifecycle = v
            }
        );
        read!(Field::InOperationSince, date, |s: &mut System, v| s.in_operation_since = v);
        read!(Field::DecommissionOn, date, |s: &mut System, v| s.decommission_on = v);
        read!(Field::ContractEnd, date, |s: &mut System, v| s.contract_end = v);
        read!(Field::NoticePeriod, whole, |s: &mut System, v| s.notice_period_months = v);
        read!(Field::SecurityRequirementsInContract, boolean, |s: &mut System, v| s
            .security_requirements_in_contract =
            v);
        read!(
            Field::OperationForm,
            |c: &Cell| choice(
                c,
                OperationForm::parse,
                &[
                    ("egen", OperationForm::EgenDrift),
                    ("intern", OperationForm::EgenDrift),
                    ("lokal", OperationForm::EgenDrift),
                    ("on prem", OperationForm::EgenDrift),
                    ("extern", OperationForm::ExternDrift),
                    ("leverantör", OperationForm::ExternDrift),
                    ("moln", OperationForm::Molntjanst),
                    ("saas", OperationForm::Molntjanst),
                    ("cloud", OperationForm::Molntjanst),
                ],
                "driftform"
            ),
            |s: &mut System, v| s.operation_form = v
        );
        read!(
            Field::DataLocation,
            |c: &Cell| choice(
                c,
                DataLocation::parse,
                &[
                    ("sverige", DataLocation::Sverige),
                    ("eu", DataLocation::EuEes),
                    ("ees", DataLocation::EuEes),
                    ("usa", DataLocation::TredjeLand),
                    ("tredje", DataLocation::TredjeLand)
                ],
                "plats för datalagring"
            ),
            |s: &mut System, v| s.data_location = v
        );
        read!(Field::PersonalData, boolean, |s: &mut System, v| s.personal_data = v);
        read!(Field::SensitivePersonalData, boolean, |s: &mut System, v| s.sensitive_personal_data = v);
        read!(Field::DpiaDone, boolean, |s: &mut System, v| s.dpia_done = v);
        read!(Field::ProcessorAgreement, boolean, |s: &mut System, v| s.processor_agreement = v);
        read!(Field::BusinessCritical, boolean, |s: &mut System, v: Option<bool>| if let Some(v) = v {
            s.business_critical = v
        });
        read!(Field::Samhallsviktig, boolean, |s: &mut System, v: Option<bool>| if let Some(v) = v {
            s.samhallsviktig = v
        });
        read!(Field::SamhallsviktigReason, text, |s: &mut System, v| s.samhallsviktig_reason = v);
        read!(
            Field::Nis2,
            |c: &Cell| choice(
                c,
                Nis2::parse,
                &[
                    ("ej", Nis2::EjTillampligt),
                    ("nej", Nis2::EjTillampligt),
                    ("väsentlig", Nis2::Vasentlig),
                    ("viktig", Nis2::Viktig)
                ],
                "NIS2-klass"
            ),
            |s: &mut System, v: Option<Nis2>| if let Some(v) = v {
                s.nis2 = v
            }
        );
        read!(Field::Sakerhetsskydd, boolean, |s: &mut System, v: Option<bool>| if let Some(v) = v {
            s.sakerhetsskydd = v
        });
        read!(Field::RtoHours, whole, |s: &mut System, v| s.rto_hours = v);
        read!(Field::RpoHours, whole, |s: &mut System, v| s.rpo_hours = v);
        read!(Field::BackupFrequency, text, |s: &mut System, v| s.backup_frequency = v);
        read!(Field::RestoreTestedOn, date, |s: &mut System, v| s.restore_tested_on = v);
        read!(Field::Mfa, boolean, |s: &mut System, v| s.mfa = v);
        read!(Field::Logging, boolean, |s: &mut System, v| s.logging = v);
        read!(Field::SystemSecurityPlan, boolean, |s: &mut System, v| s.system_security_plan = v);
        read!(Field::LastReviewOn, date, |s: &mut System, v| s.last_review_on = v);
        if system.sensitive_personal_data == Some(true) && system.personal_data == Some(false) {
            warn(
                Field::SensitivePersonalData,
                "känsliga personuppgifter utan personuppgifter; personuppgifter sätts till ja".into(),
            );
            system.personal_data = Some(true);
        }
        if let (Some(a), Some(b)) = (system.in_operation_since, system.decommission_on)
            && b < a
        {
            warn(Field::DecommissionOn, format!("avvecklingsdatum {b} ligger före driftstart {a}; lämnas tomt"));
            system.decommission_on = None;
        }
        // Supplier.
        if col(Field::Supplier).is_some() {
            let n = cell(row, Field::Supplier).text().trim().to_string();
            system.supplier_id = if n.is_empty() {
                None
            } else {
                Some(*party_by.entry(normalise(&n)).or_insert_with(|| {
                    let p = ExternalParty {
                        id: fresh(),
                        name: n.clone(),
                        kind: PartyKind::Leverantor,
                        ..Default::default()
                    };
                    let id = p.id;
                    intent.parties.push(p);
                    id
                }))
            };
        }
        // Extra attributes: the unmapped columns of this file (an empty cell removes it).
        let mut extra = system.extra.clone();
        for (i, c) in mapping.columns.iter().enumerate() {
            if mapped.contains(&i) {
                continue;
            }
            let value = row.cells.get(i).map(Cell::text).unwrap_or_default().trim().to_string();
            set_extra(&mut extra, &c.header, value);
        }
        // Levels in the file are compared, not written: they come from classification. One
        // warning per row names every level that differs.
        let lv = existing.levels.get(&system.id).cloned().unwrap_or_default();
        let mut differing: Vec<String> = Vec::new();
        let mut level_columns: Vec<String> = Vec::new();
        for (f, here) in [(Field::K, lv.k), (Field::R, lv.r), (Field::T, lv.t), (Field::S, lv.s)] {
            let Some(i) = col(f) else { continue };
            let name = format!("{} enligt förteckningen", f.header());
            match level(&cell(row, f)) {
                // Agrees with the classification (an exported file writes the classified
                // level here): nothing to note, and a department's own note is kept.
                Ok(Some(v)) if Some(v) == here => {}
                Ok(Some(v)) => {
                    differing.push(match here {
                        Some(h) => format!("{} {v} (klassning: {h})", f.header()),
                        None => format!("{} {v}", f.header()),
                    });
                    level_columns.push(header(f));
                    set_extra(&mut extra, &name, v.to_string());
                }
                Ok(None) => {}
                Err(e) => {
                    warn(f, format!("{e}; sparas som «{name}»"));
                    set_extra(&mut extra, &name, row.cells[i].text());
                }
            }
        }
        if !differing.is_empty() {
            let classified = lv.k.or(lv.r).or(lv.t).or(lv.s).is_some();
            warnings.push(RowProblem {
                column: level_columns.join(", "),
                message: format!(
                    "{} i filen{}; nivåer sätts genom att klassa informationsmängder, värdena sparas som övriga uppgifter («… enligt förteckningen»)",
                    differing.join(", "),
                    if classified { "" } else { ", systemet är inte klassat här" }
                ),
            });
        }
        system.extra = extra;
        // What would be written is checked now, so that the import does not fail where the
        // dry run passed: a row the register would refuse is skipped with the reason.
        if let Err(e) = crate::model::Validate::validate(&system, &existing.method) {
            // Nothing may refer to a system that will not be written.
            if matched.is_none() {
                file_names.remove(&normalise(&name));
            }
            reports.push(RowReport {
                row: number,
                name: name.clone(),
                action: RowAction::Skip,
                reason: Some(format!("systemet kan inte sparas: {e}")),
                changes: vec![],
                warnings,
            });
            continue;
        }

        // People in roles: the named holders replace the system's holders of that role.
        let mut role_changes = Vec::new();
        for (f, role) in [(Field::Owner, Role::Systemagare), (Field::Manager, Role::Systemforvaltare)] {
            if col(f).is_none() {
                continue;
            }
            let names = fields::people(&cell(row, f).text());
            if names.is_empty() {
                continue;
            }
            let mut wanted: Vec<PersonId> = Vec::new();
            for n in names {
                let (name, email) = person_of(&n);
                // By e-mail address first, else by name (a person recorded without one).
                let known =
                    email.as_ref().and_then(|e| person_by.get(e)).or_else(|| person_by.get(&normalise(&name))).copied();
                let key = email.clone().unwrap_or_else(|| normalise(&name));
                let id = *person_by.entry(key).or_insert_with(|| {
                    known.unwrap_or_else(|| {
                        let p = Person {
                            id: fresh(),
                            name: name.clone(),
                            email: email.clone(),
                            forvaltning_id: Some(forvaltning),
                            ..Default::default()
                        };
                        let id = p.id;
                        intent.people.push(p);
                        id
                    })
                });
                if !wanted.contains(&id) {
                    wanted.push(id);
                }
            }
            let current: Vec<&RoleAssignment> =
                existing.roles.iter().filter(|a| a.system_id == Some(system.id) && a.role == role).collect();
            let mut changed = false;
            for a in &current {
                if !wanted.contains(&a.person_id) {
                    intent.roles_removed.push(a.id);
                    changed = true;
                }
            }
            for p in wanted {
                if !current.iter().any(|a| a.person_id == p) {
                    intent.roles_added.push(RoleAssignment {
                        id: fresh(),
                        person_id: p,
                        role,
                        system_id: Some(system.id),
                        ..Default::default()
                    });
                    changed = true;
                }
            }
            if changed {
                role_changes.push(f.header().to_string());
            }
        }
        for (f, reverse) in [(Field::DependsOn, false), (Field::DependedOnBy, true)] {
            if col(f).is_some() {
                for n in several(&cell(row, f).text()) {
                    dep_names.push((system.id, reports.len(), n, reverse));
                }
            }
        }

        if matched.is_none() {
            role_changes.clear(); // a new system: everything is new
        }
        let (action, mut changes) = match matched {
            None => (RowAction::Create, vec![]),
            Some(before) => {
                let diff = content_diff(Some(&to_object(before)?), Some(&to_object(&system)?));
                let labels: Vec<String> = diff.iter().map(|d| field_label(&d.field)).collect();
                (if labels.is_empty() { RowAction::Unchanged } else { RowAction::Update }, labels)
            }
        };
        changes.extend(role_changes);
        let action = if action == RowAction::Unchanged && !changes.is_empty() { RowAction::Update } else { action };
        report_of.insert(system.id, reports.len());
        if action != RowAction::Unchanged {
            intent.systems.push((action, system));
        }
        reports.push(RowReport { row: number, name, action, reason: None, changes, warnings });
    }

    // Dependencies, now that every row's system is known.
    let mut here_by_name: HashMap<String, SystemId> =
        existing.systems.iter().map(|s| (normalise(&s.name), s.id)).collect();
    here_by_name.extend(file_names);
    let mut unresolved = Vec::new();
    let mut planned: HashSet<(SystemId, Option<SystemId>, Option<ExternalPartyId>)> =
        existing.deps.iter().map(|d| (d.system_id, d.depends_on_system_id, d.depends_on_party_id)).collect();
    for (system, report, name, reverse) in dep_names {
        let target = here_by_name.get(&normalise(&name)).copied();
        let (from, to_system, to_party) = match (target, reverse) {
            (Some(t), false) => (system, Some(t), None),
            (Some(t), true) => (t, Some(system), None),
            (None, true) => {
                // Something that is no system depends on this one: nothing to record here.
                reports[report].warnings.push(RowProblem {
                    column: header(Field::DependedOnBy),
                    message: format!("«{name}» är inget system här eller i filen; beroendet registreras inte"),
                });
                continue;
            }
            (None, false) => {
                // Not a system here or in the file: an external party of that name.
                let known = party_by.contains_key(&normalise(&name));
                let id = *party_by.entry(normalise(&name)).or_insert_with(|| {
                    let p =
                        ExternalParty { id: fresh(), name: name.clone(), kind: PartyKind::Annan, ..Default::default() };
                    let id = p.id;
                    intent.parties.push(p);
                    id
                });
                if !known {
                    unresolved.push(name.clone());
                    reports[report].warnings.push(RowProblem {
                        column: header(Field::DependsOn),
                        message: format!(
                            "«{name}» är inget system här eller i filen; sparas som beroende till en extern part"
                        ),
                    });
                }
                (system, None, Some(id))
            }
        };
        if to_system == Some(from) || !planned.insert((from, to_system, to_party)) {
            continue;
        }
        intent.deps_added.push(Dependency {
            id: fresh(),
            system_id: from,
            depends_on_system_id: to_system,
            depends_on_party_id: to_party,
            kind: DependencyKind::Api,
            ..Default::default()
        });
        if let Some(r) =
            report_of.get(&from).and_then(|i| reports.get_mut(*i)).filter(|r| r.action != RowAction::Create)
        {
            if !r.changes.iter().any(|c| c == "Beroenden") {
                r.changes.push("Beroenden".into());
            }
            if r.action == RowAction::Unchanged {
                r.action = RowAction::Update;
            }
        }
    }

    let mut counts = ImportCounts::default();
    for r in &reports {
        match r.action {
            RowAction::Create => counts.created += 1,
            RowAction::Update => counts.updated += 1,
            RowAction::Unchanged => counts.unchanged += 1,
            RowAction::Skip => counts.skipped += 1,
        }
        counts.warnings += r.warnings.len() as u32;
    }
    let forvaltning_names: HashMap<ForvaltningId, String> =
        existing.forvaltningar.iter().chain(&intent.forvaltningar).map(|f| (f.id, f.name.clone())).collect();
    let mut new_organisation: Vec<String> = intent.forvaltningar.iter().map(|f| f.name.clone()).collect();
    new_organisation.extend(
        intent
            .units
            .iter()
            .map(|u| format!("{} / {}", forvaltning_names.get(&u.forvaltning_id).cloned().unwrap_or_default(), u.name)),
    );
    let digest = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for r in &reports {
            h.update(format!("{}|{}|{:?}|{}\n", r.row, r.name, r.action, r.changes.join(",")).as_bytes());
        }
        for n in new_organisation
            .iter()
            .chain(intent.people.iter().map(|p| &p.name))
            .chain(intent.parties.iter().map(|p| &p.name))
        {
            h.update(format!("new|{n}\n").as_bytes());
        }
        hex::encode(h.finalize())
    };
    let report = RegisterImportReport {
        sheet: table.sheet.clone(),
        counts,
        rows: reports,
        new_organisation,
        new_people: intent.people.iter().map(|p| p.name.clone()).collect(),
        new_parties: intent.parties.iter().map(|p| p.name.clone()).collect(),
        unresolved_dependencies: unresolved,
        digest,
        applied: false,
    };
    Ok((report, intent))
}

/// Sets (or, for an empty value, removes) an extra attribute by name.
fn set_extra(extra: &mut Vec<ExtraAttribute>, name: &str, value: String) {
    let key = name.trim().to_lowercase();
    let pos = extra.iter().position(|a| a.name.trim().to_lowercase() == key);
    match (pos, value.trim().is_empty()) {
        (Some(i), true) => {
            extra.remove(i);
        }
        (Some(i), false) => extra[i].value = value.trim().to_string(),
        (None, false) => extra.push(ExtraAttribute { name: name.trim().to_string(), value: value.trim().to_string() }),
        (None, true) => {}
    }
}

/// A person as a cell gives them: a name, an e-mail address, or "Name <e-mail>".
fn person_of(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let (Some(open), Some(close)) = (t.find('<'), t.rfind('>'))
        && open < close
    {
        let email = t[open + 1..close].trim().to_lowercase();
        let name = t[..open].trim();
        if email.contains('@') && !email.contains(' ') {
            return (if name.is_empty() { name_from_email(&email) } else { name.to_string() }, Some(email));
        }
        // "Bo <IT-chef>": no address; the name is what is outside the brackets.
        return (if name.is_empty() { t.to_string() } else { name.to_string() }, None);
    }
    if t.contains('@') && !t.contains(' ') {
        let email = t.to_lowercase();
        return (name_from_email(&email), Some(email));
    }
    (t.to_string(), None)
}

/// "anna.andersson@kommun.se" → "Anna Andersson".
fn name_from_email(email: &str) -> String {
    email
        .split('@')
        .next()
        .unwrap_or(email)
        .split(['.', '_', '-'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short name for a new förvaltning: the initials of its words, upper case ("Miljö- och
/// byggförvaltningen" → "MOB").
fn short_name(name: &str) -> String {
    let s: String = name.split([' ', '-']).filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect();
    if s.is_empty() { "NY".into() } else { s.chars().take(6).collect() }
}

/// Plans the import of a register file under `mapping`, without writing anything.
pub fn plan_register_import(store: &Store, table: &Table, mapping: &Mapping) -> Result<RegisterImportReport> {
    let existing = Existing::load(store, levels_of(store)?, store.method().definition.clone())?;
    Ok(plan(&existing, table, mapping)?.0)
}

/// Imports a register file in one transaction, planned again inside it; with
/// `expected_digest`, only if the plan is the one shown.
pub fn import_register(
    store: &mut Store,
    table: &Table,
    mapping: &Mapping,
    expected_digest: Option<&str>,
) -> Result<RegisterImportReport> {
    let levels = levels_of(store)?;
    crate::backup::before_import(store)?;
    let action = format!("Import av systemförteckning ({})", table.sheet);
    store.write(&action, |w| {
        let method = w.method().definition.clone();
        let existing = Existing::load(w, levels, method)?;
        let (mut report, intent) = plan(&existing, table, mapping)?;
        if let Some(d) = expected_digest
            && d != report.digest
        {
            return Err(Error::invalid(
                "import",
                "databasen eller filen har ändrats sedan planen visades; granska planen igen",
            ));
        }
        apply(w, intent)?;
        report.applied = true;
        Ok(report)
    })
}

fn apply(w: &mut Writer<'_>, intent: Intent) -> Result<()> {
    for f in intent.forvaltningar {
        w.insert(f)?;
    }
    for u in intent.units {
        w.insert(u)?;
    }
    for p in intent.people {
        w.insert(p)?;
    }
    for p in intent.parties {
        w.insert(p)?;
    }
    for (action, s) in intent.systems {
        match action {
            RowAction::Create => {
                w.insert(s)?;
            }
            _ => {
                w.update(s)?;
            }
        }
    }
    for id in intent.roles_removed {
        w.delete::<RoleAssignment>(id)?;
    }
    for r in intent.roles_added {
        w.insert(r)?;
    }
    for d in intent.deps_added {
        w.insert(d)?;
    }
    Ok(())
}

/// The rows of a report as lines of text, in the file's order (for the CLI).
pub fn report_lines(report: &RegisterImportReport) -> Vec<String> {
    report
        .rows
        .iter()
        .map(|r| {
            let mut line = format!("rad {}: {} – {}", r.row, r.name, r.action.label());
            if let Some(why) = &r.reason {
                line.push_str(&format!(" ({why})"));
            }
            if !r.changes.is_empty() {
                line.push_str(&format!(": {}", r.changes.join(", ")));
            }
            for p in &r.warnings {
                line.push_str(&format!("\n    varning i «{}»: {}", p.column, p.message));
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests;
