//! Planning an import, a pure function of what is here ([`Existing`]) and the file: per row,
//! in steps — the name; where the system belongs (a förvaltning's own name, a path "Kommun /
//! Förvaltning / Enhet", or separate columns); which system it is (its id, else its name
//! within its förvaltning); its plain fields (`steps`); its supplier; the columns without a
//! field (kept as extra attributes); the levels in the file (compared, never written); the
//! people in its roles; its dependencies by name, resolved once every row is read — and then
//! the counts and the digest of everything that would be written ([`Intent`]).

use super::fields::{self, Field, level, normalise, person_of, set_extra, several, short_name};
use super::import::{Existing, Intent};
use super::mapping::Mapping;
use super::{ImportCounts, RegisterImportReport, RowAction, RowProblem, RowReport, steps};
use crate::error::Result;
use crate::exchange::plan::{content_diff, field_label};
use crate::ids::*;
use crate::model::*;
use crate::store::to_object;
use riskverkstad_sheets::{Cell, Row, Table};
use std::collections::{HashMap, HashSet};

fn fresh<I: From<uuid::Uuid>>() -> I {
    I::from(uuid::Uuid::now_v7())
}

/// Plans the import of `table` under `mapping` against `existing`.
pub(super) fn plan(existing: &Existing, table: &Table, mapping: &Mapping) -> Result<(RegisterImportReport, Intent)> {
    mapping.check(&table.headers)?;
    let mut planner = Planner::new(existing, mapping);
    for row in &table.rows {
        planner.row(row)?;
    }
    planner.dependencies();
    Ok(planner.finish(&table.sheet))
}

/// A dependency named in a row: the system it is read for, its report, the name, and whether
/// the named one depends on this system (the «Beroende från» column) rather than the reverse.
struct NamedDependency {
    system: SystemId,
    report: usize,
    name: String,
    reverse: bool,
}

/// The plan as it grows row by row, with the lookups by normalised name of what is here and
/// of what this import creates.
struct Planner<'a> {
    existing: &'a Existing,
    mapping: &'a Mapping,
    org_name: String,
    forvaltning_by: HashMap<String, ForvaltningId>,
    unit_by: HashMap<(ForvaltningId, String), UnitId>,
    person_by: HashMap<String, PersonId>,
    party_by: HashMap<String, ExternalPartyId>,
    by_id: HashMap<SystemId, &'a System>,
    by_name: HashMap<(ForvaltningId, String), SystemId>,
    only_forvaltning: Option<ForvaltningId>,
    /// The columns mapped to a field; the others are extra attributes.
    mapped: HashSet<usize>,
    /// The row that first named each system, by system and by name within förvaltning.
    seen_systems: HashMap<SystemId, u32>,
    rows_by_name: HashMap<(ForvaltningId, String), u32>,
    /// Dependencies by name, resolved once every row is read.
    dep_names: Vec<NamedDependency>,
    /// The systems the file names, by normalised name.
    file_names: HashMap<String, SystemId>,
    /// The report of each system the file names (for the dependencies found afterwards).
    report_of: HashMap<SystemId, usize>,
    intent: Intent,
    reports: Vec<RowReport>,
    unresolved: Vec<String>,
}

impl<'a> Planner<'a> {
    fn new(existing: &'a Existing, mapping: &'a Mapping) -> Planner<'a> {
        let mut forvaltning_by = HashMap::new();
        for f in &existing.forvaltningar {
            forvaltning_by.insert(normalise(&f.name), f.id);
            forvaltning_by.entry(normalise(&f.short_name)).or_insert(f.id);
        }
        let mut person_by = HashMap::new();
        for p in &existing.people {
            person_by.entry(normalise(&p.name)).or_insert(p.id);
            if let Some(e) = &p.email {
                person_by.insert(e.trim().to_lowercase(), p.id);
            }
        }
        let mut by_name = HashMap::new();
        for s in &existing.systems {
            by_name.entry((s.forvaltning_id, normalise(&s.name))).or_insert(s.id);
        }
        Planner {
            existing,
            mapping,
            org_name: existing.organisation.as_ref().map(|o| normalise(&o.name)).unwrap_or_default(),
            forvaltning_by,
            unit_by: existing.units.iter().map(|u| ((u.forvaltning_id, normalise(&u.name)), u.id)).collect(),
            person_by,
            party_by: existing.parties.iter().map(|p| (normalise(&p.name), p.id)).collect(),
            by_id: existing.systems.iter().map(|s| (s.id, s)).collect(),
            by_name,
            only_forvaltning: (existing.forvaltningar.len() == 1).then(|| existing.forvaltningar[0].id),
            mapped: mapping.columns.iter().enumerate().filter(|(_, c)| c.field.is_some()).map(|(i, _)| i).collect(),
            seen_systems: HashMap::new(),
            rows_by_name: HashMap::new(),
            dep_names: Vec::new(),
            file_names: HashMap::new(),
            report_of: HashMap::new(),
            intent: Intent::default(),
            reports: Vec::new(),
            unresolved: Vec::new(),
        }
    }

    fn col(&self, f: Field) -> Option<usize> {
        self.mapping.column(f)
    }

    fn cell(&self, row: &Row, f: Field) -> Cell {
        self.col(f).and_then(|i| row.cells.get(i)).cloned().unwrap_or(Cell::Empty)
    }

    fn header(&self, f: Field) -> String {
        self.col(f).map(|i| self.mapping.columns[i].header.clone()).unwrap_or_default()
    }

    fn skip(&mut self, number: u32, name: &str, reason: String, warnings: Vec<RowProblem>) {
        let action = RowAction::Skip;
        self.reports.push(RowReport {
            row: number,
            name: name.to_string(),
            action,
            reason: Some(reason),
            changes: vec![],
            warnings,
        });
    }

    /// One row: what happens to its system, and why.
    fn row(&mut self, row: &Row) -> Result<()> {
        let number = row.number as u32;
        let name = self.cell(row, Field::Name).text().trim().to_string();
        let mut warnings: Vec<RowProblem> = Vec::new();
        if name.is_empty() {
            let reason = format!("systemnamn saknas (kolumnen «{}»)", self.header(Field::Name));
            self.skip(number, &name, reason, warnings);
            return Ok(());
        }
        let (path, unit_name) = self.place(row);
        let by_id = self.system_by_id(row, &mut warnings);
        let Some(forvaltning) = self.forvaltning(&path, by_id) else {
            let reason = self.no_forvaltning();
            self.skip(number, &name, reason, warnings);
            return Ok(());
        };
        let matched: Option<&'a System> = by_id
            .or_else(|| self.by_name.get(&(forvaltning, normalise(&name))).and_then(|id| self.by_id.get(id)).copied());
        let mut system = matched.cloned().unwrap_or_else(|| System {
            id: fresh(),
            category: SystemCategory::Verksamhetssystem,
            lifecycle: Lifecycle::IDrift,
            ..Default::default()
        });
        let same_name = (forvaltning, normalise(&name));
        if let Some(first) = self.seen_systems.get(&system.id).or_else(|| self.rows_by_name.get(&same_name)) {
            self.skip(number, &name, format!("samma system som rad {first}"), warnings);
            return Ok(());
        }
        self.seen_systems.insert(system.id, number);
        self.rows_by_name.insert(same_name, number);
        self.file_names.insert(normalise(&name), system.id);
        system.name = name.clone();
        system.forvaltning_id = forvaltning;
        self.unit(&mut system, unit_name);
        self.fields(row, &mut system, &mut warnings);
        self.supplier(row, &mut system);
        self.extras_and_levels(row, &mut system, &mut warnings);
        // What would be written is checked now, so that the import does not fail where the
        // dry run passed: a row the register would refuse is skipped with the reason.
        if let Err(e) = crate::model::Validate::validate(&system, &self.existing.method) {
            // Nothing may refer to a system that will not be written.
            if matched.is_none() {
                self.file_names.remove(&normalise(&name));
            }
            self.skip(number, &name, format!("systemet kan inte sparas: {e}"), warnings);
            return Ok(());
        }
        let mut role_changes = self.roles(row, &system, forvaltning);
        for (f, reverse) in [(Field::DependsOn, false), (Field::DependedOnBy, true)] {
            if self.col(f).is_some() {
                for n in several(&self.cell(row, f).text()) {
                    self.dep_names.push(NamedDependency {
                        system: system.id,
                        report: self.reports.len(),
                        name: n,
                        reverse,
                    });
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
        self.report_of.insert(system.id, self.reports.len());
        if action != RowAction::Unchanged {
            self.intent.systems.push((action, system));
        }
        self.reports.push(RowReport { row: number, name, action, reason: None, changes, warnings });
        Ok(())
    }

    /// Where the row's system belongs: the path to its förvaltning (a förvaltning's own name,
    /// which may hold a "/", or "Kommun / Förvaltning / Enhet" without the municipality's own
    /// name) and its unit (the unit column, else the path's second part).
    fn place(&self, row: &Row) -> (Vec<String>, Option<String>) {
        let org_text = self.cell(row, Field::Organisation).text().trim().to_string();
        let path: Vec<String> = if org_text.is_empty() || self.forvaltning_by.contains_key(&normalise(&org_text)) {
            Some(org_text).filter(|w| !w.is_empty()).into_iter().collect()
        } else {
            org_text.split(['/', '>', '\\']).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
        };
        let path: Vec<String> =
            if path.first().is_some_and(|p| normalise(p) == self.org_name) { path[1..].to_vec() } else { path };
        let unit_name = match self.cell(row, Field::Unit).text().trim() {
            "" => path.get(1).cloned(),
            u => Some(u.to_string()),
        };
        (path, unit_name)
    }

    /// The system the row's id column names, if it is here (an id that is not is reported).
    fn system_by_id(&self, row: &Row, warnings: &mut Vec<RowProblem>) -> Option<&'a System> {
        let id_text = self.cell(row, Field::Id).text();
        if id_text.trim().is_empty() {
            return None;
        }
        let found = id_text.trim().parse::<uuid::Uuid>().ok().map(SystemId::from).and_then(|id| self.by_id.get(&id));
        if found.is_none() {
            let message = format!("id «{}» finns inte här; systemet matchas på namn", id_text.trim());
            warnings.push(RowProblem { column: self.header(Field::Id), message });
        }
        found.copied()
    }

    /// The förvaltning of the path's first part (made, when it is new and the organisation is
    /// here), else the matched system's, else the only one there is.
    fn forvaltning(&mut self, path: &[String], matched: Option<&System>) -> Option<ForvaltningId> {
        let Some(f) = path.first() else { return matched.map(|s| s.forvaltning_id).or(self.only_forvaltning) };
        if let Some(id) = self.forvaltning_by.get(&normalise(f)) {
            return Some(*id);
        }
        let o = self.existing.organisation.as_ref()?;
        let new = Forvaltning {
            id: fresh(),
            organisation_id: o.id,
            name: f.clone(),
            short_name: short_name(f),
            kind: ForvaltningKind::Forvaltning,
            ..Default::default()
        };
        self.forvaltning_by.insert(normalise(f), new.id);
        let id = new.id;
        self.intent.forvaltningar.push(new);
        Some(id)
    }

    /// Why a row has no förvaltning.
    fn no_forvaltning(&self) -> String {
        match (&self.existing.organisation, self.col(Field::Organisation)) {
            (None, _) => "ingen organisation är upplagd här; lägg upp kommunen först".to_string(),
            (Some(_), None) => "ingen kolumn är vald som förvaltning, och det finns flera förvaltningar".to_string(),
            (Some(_), Some(_)) => format!(
                "förvaltning saknas i kolumnen «{}», och det finns flera att välja mellan",
                self.header(Field::Organisation)
            ),
        }
    }

    /// The system's unit: the one named (made when new), none when the file leaves it empty,
    /// and none when the system moves to another förvaltning.
    fn unit(&mut self, system: &mut System, unit_name: Option<String>) {
        let forvaltning = system.forvaltning_id;
        if let Some(u) = unit_name {
            let key = (forvaltning, normalise(&u));
            let id = match self.unit_by.get(&key) {
                Some(id) => *id,
                None => {
                    let new = Unit { id: fresh(), forvaltning_id: forvaltning, name: u.clone(), ..Default::default() };
                    self.unit_by.insert(key, new.id);
                    let id = new.id;
                    self.intent.units.push(new);
                    id
                }
            };
            system.unit_id = Some(id);
        } else if self.col(Field::Unit).is_some()
            || system
                .unit_id
                .is_some_and(|u| self.existing.units.iter().any(|x| x.id == u && x.forvaltning_id != forvaltning))
        {
            system.unit_id = None;
        }
    }

    /// The plain fields, one step each (`steps::read`), then made consistent.
    fn fields(&self, row: &Row, system: &mut System, warnings: &mut Vec<RowProblem>) {
        let mut warn = |f: Field, message: String| warnings.push(RowProblem { column: self.header(f), message });
        for f in steps::PLAIN {
            if self.col(*f).is_some()
                && let Err(e) = steps::read(*f, &self.cell(row, *f), system)
            {
                warn(*f, format!("{e}; värdet lämnas som det var"));
            }
        }
        steps::reconcile(system, &mut warn);
    }

    /// The supplier, by name (a new external party when it is not here).
    fn supplier(&mut self, row: &Row, system: &mut System) {
        if self.col(Field::Supplier).is_none() {
            return;
        }
        let n = self.cell(row, Field::Supplier).text().trim().to_string();
        system.supplier_id = if n.is_empty() {
            None
        } else {
            Some(*self.party_by.entry(normalise(&n)).or_insert_with(|| {
                let p =
                    ExternalParty { id: fresh(), name: n.clone(), kind: PartyKind::Leverantor, ..Default::default() };
                let id = p.id;
                self.intent.parties.push(p);
                id
            }))
        };
    }

    /// The columns without a field, kept as extra attributes (an empty cell removes one); and
    /// the levels in the file, compared with the classification and never written: one
    /// warning per row names every level that differs, and the value is kept as an extra
    /// attribute «… enligt förteckningen».
    fn extras_and_levels(&self, row: &Row, system: &mut System, warnings: &mut Vec<RowProblem>) {
        let mut extra = system.extra.clone();
        for (i, c) in self.mapping.columns.iter().enumerate() {
            if !self.mapped.contains(&i) {
                set_extra(
                    &mut extra,
                    &c.header,
                    row.cells.get(i).map(Cell::text).unwrap_or_default().trim().to_string(),
                );
            }
        }
        let lv = self.existing.levels.get(&system.id).cloned().unwrap_or_default();
        let mut differing: Vec<String> = Vec::new();
        let mut level_columns: Vec<String> = Vec::new();
        for (f, here) in [(Field::K, lv.k), (Field::R, lv.r), (Field::T, lv.t), (Field::S, lv.s)] {
            let Some(i) = self.col(f) else { continue };
            let name = format!("{} enligt förteckningen", f.header());
            match level(&self.cell(row, f)) {
                // Agrees with the classification (an exported file writes the classified
                // level here): nothing to note, and a department's own note is kept.
                Ok(Some(v)) if Some(v) == here => {}
                Ok(Some(v)) => {
                    differing.push(match here {
                        Some(h) => format!("{} {v} (klassning: {h})", f.header()),
                        None => format!("{} {v}", f.header()),
                    });
                    level_columns.push(self.header(f));
                    set_extra(&mut extra, &name, v.to_string());
                }
                Ok(None) => {}
                Err(e) => {
                    warnings
                        .push(RowProblem { column: self.header(f), message: format!("{e}; sparas som «{name}»") });
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
    }

    /// The people in the system's roles: the named holders replace the system's holders of
    /// that role (people made when new). Returns the headers of the roles that change.
    fn roles(&mut self, row: &Row, system: &System, forvaltning: ForvaltningId) -> Vec<String> {
        let mut role_changes = Vec::new();
        for (f, role) in [(Field::Owner, Role::Systemagare), (Field::Manager, Role::Systemforvaltare)] {
            if self.col(f).is_none() {
                continue;
            }
            let names = fields::people(&self.cell(row, f).text());
            if names.is_empty() {
                continue;
            }
            let wanted: Vec<PersonId> = names.iter().fold(Vec::new(), |mut wanted, n| {
                let id = self.person(n, forvaltning);
                if !wanted.contains(&id) {
                    wanted.push(id);
                }
                wanted
            });
            let current: Vec<&RoleAssignment> =
                self.existing.roles.iter().filter(|a| a.system_id == Some(system.id) && a.role == role).collect();
            let mut changed = false;
            for a in &current {
                if !wanted.contains(&a.person_id) {
                    self.intent.roles_removed.push(a.id);
                    changed = true;
                }
            }
            for p in wanted {
                if !current.iter().any(|a| a.person_id == p) {
                    let system_id = Some(system.id);
                    self.intent.roles_added.push(RoleAssignment {
                        id: fresh(),
                        person_id: p,
                        role,
                        system_id,
                        ..Default::default()
                    });
                    changed = true;
                }
            }
            if changed {
                role_changes.push(f.header().to_string());
            }
        }
        role_changes
    }

    /// The person a cell names: by e-mail address first, else by name (a person recorded
    /// without one); made in `forvaltning` when not here.
    fn person(&mut self, text: &str, forvaltning: ForvaltningId) -> PersonId {
        let (name, email) = person_of(text);
        let known = email
            .as_ref()
            .and_then(|e| self.person_by.get(e))
            .or_else(|| self.person_by.get(&normalise(&name)))
            .copied();
        let key = email.clone().unwrap_or_else(|| normalise(&name));
        *self.person_by.entry(key).or_insert_with(|| {
            known.unwrap_or_else(|| {
                let p = Person {
                    id: fresh(),
                    name: name.clone(),
                    email: email.clone(),
                    forvaltning_id: Some(forvaltning),
                    ..Default::default()
                };
                let id = p.id;
                self.intent.people.push(p);
                id
            })
        })
    }

    /// Dependencies, now that every row's system is known: on a system here or in the file,
    /// else on an external party of that name; never a duplicate, never on itself.
    fn dependencies(&mut self) {
        let mut here_by_name: HashMap<String, SystemId> =
            self.existing.systems.iter().map(|s| (normalise(&s.name), s.id)).collect();
        here_by_name.extend(self.file_names.drain());
        let mut planned: HashSet<(SystemId, Option<SystemId>, Option<ExternalPartyId>)> =
            self.existing.deps.iter().map(|d| (d.system_id, d.depends_on_system_id, d.depends_on_party_id)).collect();
        for d in std::mem::take(&mut self.dep_names) {
            let target = here_by_name.get(&normalise(&d.name)).copied();
            let (from, to_system, to_party) = match (target, d.reverse) {
                (Some(t), false) => (d.system, Some(t), None),
                (Some(t), true) => (t, Some(d.system), None),
                (None, true) => {
                    // Something that is no system depends on this one: nothing to record here.
                    let message = format!("«{}» är inget system här eller i filen; beroendet registreras inte", d.name);
                    let column = self.header(Field::DependedOnBy);
                    self.reports[d.report].warnings.push(RowProblem { column, message });
                    continue;
                }
                (None, false) => (d.system, None, Some(self.party_named(&d.name, d.report))),
            };
            if to_system == Some(from) || !planned.insert((from, to_system, to_party)) {
                continue;
            }
            self.intent.deps_added.push(Dependency {
                id: fresh(),
                system_id: from,
                depends_on_system_id: to_system,
                depends_on_party_id: to_party,
                kind: DependencyKind::Api,
                ..Default::default()
            });
            if let Some(r) = self
                .report_of
                .get(&from)
                .and_then(|i| self.reports.get_mut(*i))
                .filter(|r| r.action != RowAction::Create)
            {
                if !r.changes.iter().any(|c| c == "Beroenden") {
                    r.changes.push("Beroenden".into());
                }
                if r.action == RowAction::Unchanged {
                    r.action = RowAction::Update;
                }
            }
        }
    }

    /// The external party a dependency names (made and reported when it is not here).
    fn party_named(&mut self, name: &str, report: usize) -> ExternalPartyId {
        let known = self.party_by.contains_key(&normalise(name));
        let id = *self.party_by.entry(normalise(name)).or_insert_with(|| {
            let p = ExternalParty { id: fresh(), name: name.to_string(), kind: PartyKind::Annan, ..Default::default() };
            let id = p.id;
            self.intent.parties.push(p);
            id
        });
        if !known {
            self.unresolved.push(name.to_string());
            let message =
                format!("«{name}» är inget system här eller i filen; sparas som beroende till en extern part");
            let column = self.header(Field::DependsOn);
            self.reports[report].warnings.push(RowProblem { column, message });
        }
        id
    }

    /// The report (counts, what is new, the digest of what would be written) and the intent.
    fn finish(self, sheet: &str) -> (RegisterImportReport, Intent) {
        let mut counts = ImportCounts::default();
        for r in &self.reports {
            match r.action {
                RowAction::Create => counts.created += 1,
                RowAction::Update => counts.updated += 1,
                RowAction::Unchanged => counts.unchanged += 1,
                RowAction::Skip => counts.skipped += 1,
            }
            counts.warnings += r.warnings.len() as u32;
        }
        let intent = self.intent;
        let forvaltning_names: HashMap<ForvaltningId, String> =
            self.existing.forvaltningar.iter().chain(&intent.forvaltningar).map(|f| (f.id, f.name.clone())).collect();
        let mut new_organisation: Vec<String> = intent.forvaltningar.iter().map(|f| f.name.clone()).collect();
        new_organisation.extend(intent.units.iter().map(|u| {
            format!("{} / {}", forvaltning_names.get(&u.forvaltning_id).cloned().unwrap_or_default(), u.name)
        }));
        let digest = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for r in &self.reports {
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
            sheet: sheet.to_string(),
            counts,
            rows: self.reports,
            new_organisation,
            new_people: intent.people.iter().map(|p| p.name.clone()).collect(),
            new_parties: intent.parties.iter().map(|p| p.name.clone()).collect(),
            unresolved_dependencies: self.unresolved,
            digest,
            applied: false,
        };
        (report, intent)
    }
}
