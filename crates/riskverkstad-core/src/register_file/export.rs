//! The register as a table: one row per system, the fields with their Swedish headers, then
//! the extra attributes; written by `riskverkstad-sheets` as xlsx or csv, it re-imports with no
//! changes.

use super::fields::Field;
use crate::error::Result;
use crate::ids::*;
use crate::method::Aspect;
use crate::model::*;
use crate::register_list::Levels;
use crate::store::{Read, Store};
use riskverkstad_sheets::{Cell, Row, Table};
use std::collections::HashMap;

/// The register (optionally one förvaltning's) as a table: one row per system, the fields in
/// [`Field::ALL`]'s order with Swedish headers, then one column per extra attribute. Written
/// with `riskverkstad-sheets`, it re-imports with no changes.
pub fn export(store: &Store, forvaltning: Option<ForvaltningId>) -> Result<Table> {
    let here = Here::load(store)?;
    let mut systems: Vec<System> =
        store.list::<System>()?.into_iter().filter(|s| forvaltning.is_none_or(|f| s.forvaltning_id == f)).collect();
    systems.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    // Nothing is written under «Beroende från» (the dependencies are written once, where they
    // start) nor under the questions' field (their answers are extra attributes).
    let columns: Vec<Field> =
        Field::ALL.iter().copied().filter(|f| !matches!(f, Field::DependedOnBy | Field::DoneLastYear)).collect();
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
        let mut cells: Vec<Cell> = columns.iter().map(|f| here.cell(*f, s)).collect();
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

/// What an exported row names besides the system itself: förvaltningar, units, people,
/// parties, other systems, roles, dependencies, and the classified levels.
struct Here {
    forvaltningar: HashMap<ForvaltningId, Forvaltning>,
    units: HashMap<UnitId, Unit>,
    people: HashMap<PersonId, Person>,
    parties: HashMap<ExternalPartyId, ExternalParty>,
    names: HashMap<SystemId, String>,
    systems_forvaltning: HashMap<SystemId, ForvaltningId>,
    /// Whether a system name (lower case) is used in several förvaltningar.
    shared: HashMap<String, bool>,
    roles: Vec<RoleAssignment>,
    deps: Vec<Dependency>,
    levels: HashMap<SystemId, Levels>,
}

impl Here {
    fn load(store: &Store) -> Result<Here> {
        let systems: Vec<System> = store.list()?;
        let mut first: HashMap<String, ForvaltningId> = HashMap::new();
        let mut shared: HashMap<String, bool> = HashMap::new();
        for s in &systems {
            let key = s.name.to_lowercase();
            let f = *first.entry(key.clone()).or_insert(s.forvaltning_id);
            *shared.entry(key).or_default() |= f != s.forvaltning_id;
        }
        Ok(Here {
            systems_forvaltning: systems.iter().map(|s| (s.id, s.forvaltning_id)).collect(),
            shared,
            forvaltningar: store.list::<Forvaltning>()?.into_iter().map(|f| (f.id, f)).collect(),
            units: store.list::<Unit>()?.into_iter().map(|u| (u.id, u)).collect(),
            people: store.list::<Person>()?.into_iter().map(|p| (p.id, p)).collect(),
            parties: store.list::<ExternalParty>()?.into_iter().map(|p| (p.id, p)).collect(),
            names: systems.into_iter().map(|s| (s.id, s.name)).collect(),
            roles: store.list::<RoleAssignment>()?,
            deps: store.list::<Dependency>()?,
            levels: levels_of(store)?,
        })
    }

    /// The people holding `role` for system `s`, by name.
    fn holders(&self, s: SystemId, role: Role) -> Cell {
        let mut n: Vec<String> = self
            .roles
            .iter()
            .filter(|r| r.system_id == Some(s) && r.role == role)
            .filter_map(|r| self.people.get(&r.person_id).map(|p| p.name.clone()))
            .collect();
        n.sort();
        text_cell(n.join("; "))
    }

    /// What system `s` depends on, as a register writes it: "Name: criticality (kind)", or
    /// "Name (kind)" without a criticality, or the name alone; a system's name that several
    /// förvaltningar use carries its förvaltning in parentheses.
    fn depends_on(&self, s: SystemId) -> Cell {
        let mut n: Vec<String> = self
            .deps
            .iter()
            .filter(|d| d.system_id == s)
            .filter_map(|d| {
                let name = match (d.depends_on_system_id, d.depends_on_party_id) {
                    (Some(t), _) => {
                        let name = self.names.get(&t)?;
                        match self.shared.get(&name.to_lowercase()) {
                            Some(true) => {
                                let f = self.systems_forvaltning.get(&t).and_then(|f| self.forvaltningar.get(f))?;
                                format!("{name} ({})", f.name)
                            }
                            _ => name.clone(),
                        }
                    }
                    (None, Some(p)) => self.parties.get(&p)?.name.clone(),
                    (None, None) => return None,
                };
                // A kind word or criticality phrase the import kept as a note goes back out as
                // the file wrote it.
                let (kind_word, phrase) = super::dependencies::notes(d.description.as_deref());
                let kind = match d.kind {
                    DependencyKind::Annan => kind_word.map(|k| format!(" ({k})")),
                    k => Some(format!(" ({})", k.label())),
                };
                Some(match (d.criticality.map(|c| c.label()), phrase) {
                    (Some(c), _) | (None, Some(c)) => format!("{name}: {c}{}", kind.unwrap_or_default()),
                    (None, None) => format!("{name}{}", kind.unwrap_or_default()),
                })
            })
            .collect();
        n.sort();
        n.dedup();
        text_cell(n.join("; "))
    }

    /// The cell of field `f` for system `s`.
    fn cell(&self, f: Field, s: &System) -> Cell {
        let opt_bool = |b: Option<bool>| b.map(Cell::Bool).unwrap_or(Cell::Empty);
        let opt_date = |d: Option<chrono::NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
        let opt_num = |n: Option<u32>| n.map(|n| Cell::Number(n as f64)).unwrap_or(Cell::Empty);
        let opt_text = |t: Option<&str>| text_cell(t.unwrap_or_default().to_string());
        let lv = self.levels.get(&s.id).cloned().unwrap_or_default();
        let lvl = |l: Option<u8>| l.map(|l| Cell::Number(l as f64)).unwrap_or(Cell::Empty);
        match f {
            Field::Id => Cell::Text(s.id.to_string()),
            Field::Name => text_cell(s.name.clone()),
            Field::Aliases => text_cell(s.aliases.join("; ")),
            Field::Description => text_cell(s.description.clone()),
            Field::Category => Cell::Text(s.category.label().into()),
            Field::Organisation => opt_text(self.forvaltningar.get(&s.forvaltning_id).map(|f| f.name.as_str())),
            Field::Unit => opt_text(s.unit_id.and_then(|u| self.units.get(&u)).map(|u| u.name.as_str())),
            Field::Pm3Object => opt_text(s.pm3_object.as_deref()),
            Field::Lifecycle => Cell::Text(s.lifecycle.label().into()),
            Field::InOperationSince => opt_date(s.in_operation_since),
            Field::DecommissionOn => opt_date(s.decommission_on),
            Field::Owner => self.holders(s.id, Role::Systemagare),
            Field::Manager => self.holders(s.id, Role::Systemforvaltare),
            Field::TechnicalManager => self.holders(s.id, Role::TekniskForvaltare),
            Field::Supplier => opt_text(s.supplier_id.and_then(|p| self.parties.get(&p)).map(|p| p.name.as_str())),
            Field::ContractEnd => opt_date(s.contract_end),
            Field::NoticePeriod => opt_num(s.notice_period_months),
            Field::SecurityRequirementsInContract => opt_bool(s.security_requirements_in_contract),
            Field::OperationForm => opt_text(s.operation_form.map(|o| o.label())),
            Field::DataLocation => opt_text(s.data_location.map(|o| o.label())),
            Field::PersonalData => opt_bool(s.personal_data),
            Field::SensitivePersonalData => opt_bool(s.sensitive_personal_data),
            Field::DpiaDone => opt_bool(s.dpia_done),
            Field::ProcessorAgreement => opt_bool(s.processor_agreement),
            Field::BusinessCritical => Cell::Bool(s.business_critical),
            Field::Samhallsviktig => Cell::Bool(s.samhallsviktig),
            Field::SamhallsviktigReason => opt_text(s.samhallsviktig_reason.as_deref()),
            Field::Nis2 => Cell::Text(s.nis2.label().into()),
            Field::Sakerhetsskydd => Cell::Bool(s.sakerhetsskydd),
            Field::RtoHours => opt_num(s.rto_hours),
            Field::RpoHours => opt_num(s.rpo_hours),
            Field::BackupFrequency => opt_text(s.backup_frequency.as_deref()),
            Field::RestoreTestedOn => opt_date(s.restore_tested_on),
            Field::Mfa => opt_bool(s.mfa),
            Field::Logging => opt_bool(s.logging),
            Field::SystemSecurityPlan => opt_bool(s.system_security_plan),
            Field::LastReviewOn => opt_date(s.last_review_on),
            Field::DependsOn => self.depends_on(s.id),
            Field::DependedOnBy | Field::DoneLastYear => Cell::Empty,
            Field::K => lvl(lv.k),
            Field::R => lvl(lv.r),
            Field::T => lvl(lv.t),
            Field::S => lvl(lv.s),
        }
    }
}

fn text_cell(s: String) -> Cell {
    if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s) }
}

pub(super) fn levels_of(store: &Store) -> Result<HashMap<SystemId, Levels>> {
    let profiles = crate::gather::all_profiles(store)?;
    Ok(profiles
        .into_iter()
        .map(|(id, p)| {
            let l = |a| p.level(a);
            (id, Levels { k: l(Aspect::K), r: l(Aspect::R), t: l(Aspect::T), s: l(Aspect::S) })
        })
        .collect())
}
