//! Planning an import, a pure function of what is here ([`Existing`]) and the file: per row,
//! in steps — the name; where the system belongs (a förvaltning's own name, a path "Kommun /
//! Förvaltning / Enhet", or separate columns); which system it is (its id, else its name
//! within its förvaltning); its plain fields (`steps`); its supplier; the columns without a
//! field (kept as extra attributes); the levels in the file (compared, never written); the
//! people in its roles; its dependencies by name, resolved once every row is read — and then
//! the counts and the digest of everything that would be written ([`Intent`]).

use super::dependencies::{self, Entry};
use super::fields::{self, Field, level, normalise, person_of, set_extra, short_name};
use super::import::{Existing, Intent};
use super::mapping::Mapping;
use super::organisation::{self, LevelRole};
use super::value_mapping::Values;
use super::values;
use super::{
    ImportCounts, OrgNode, RegisterImportReport, RowAction, RowProblem, RowReport, UnitNode, UnreadValue, steps,
};
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
    planner.organisation_levels(table);
    for row in &table.rows {
        planner.row(row)?;
    }
    planner.dependencies();
    Ok(planner.finish(&table.sheet))
}

/// A dependency cell of a row, read once every row is (a plain list's names are joined
/// again only when the whole file's names are known): the system it is read for (and its
/// förvaltning), its report and row, the cell, the column, and whether the named ones depend
/// on this system (the «Beroende från» column) rather than the reverse.
struct DependencyCell {
    system: SystemId,
    forvaltning: ForvaltningId,
    report: usize,
    row: u32,
    text: String,
    column: usize,
    reverse: bool,
}

/// One entry of a dependency cell.
struct NamedDependency {
    system: SystemId,
    forvaltning: ForvaltningId,
    report: usize,
    row: u32,
    entry: Entry,
    column: usize,
    reverse: bool,
}

/// What a dependency entry says besides the name (see `Planner::entry_details`).
struct EntryDetails {
    criticality: Option<DependencyCriticality>,
    kind: DependencyKind,
    kind_note: Option<Option<String>>,
    criticality_note: Option<Option<String>>,
}

/// A system the file names, for resolving dependencies by name.
#[derive(Clone, Copy)]
struct Named {
    id: SystemId,
    forvaltning: ForvaltningId,
}

/// The plan as it grows row by row, with the lookups by normalised name of what is here and
/// of what this import creates.
struct Planner<'a> {
    existing: &'a Existing,
    mapping: &'a Mapping,
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
    /// Dependency cells, read once every row is.
    dep_cells: Vec<DependencyCell>,
    /// The systems the file names, by normalised name, in the file's order.
    file_names: HashMap<String, Vec<Named>>,
    /// The systems here, by normalised name.
    existing_names: HashMap<String, Vec<Named>>,
    /// The names of the systems here and in the file, trimmed and in lower case.
    exact_names: HashSet<String>,
    /// Each system's förvaltning, here and as the file places it.
    system_forvaltning: HashMap<SystemId, ForvaltningId>,
    /// Per column, the extra attribute a value that is not read is kept under.
    note_names: Vec<String>,
    /// The report of each system the file names (for the dependencies found afterwards).
    report_of: HashMap<SystemId, usize>,
    /// The value mapping.
    values: Values,
    /// The roles of the organisation paths' levels, and the levels as found.
    levels: Vec<LevelRole>,
    levels_found: Vec<organisation::LevelFound>,
    /// Where each imported row's system is (for the organisation tree).
    placed: Vec<(ForvaltningId, Option<UnitId>)>,
    kinds: HashMap<ForvaltningId, ForvaltningKind>,
    /// Values nobody mapped or that could not be read: by column and value, their rows.
    unread: Vec<UnreadValue>,
    unread_at: HashMap<(usize, String), usize>,
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
            dep_cells: Vec::new(),
            file_names: HashMap::new(),
            existing_names: existing.systems.iter().fold(HashMap::new(), |mut m: HashMap<String, Vec<Named>>, s| {
                m.entry(normalise(&s.name)).or_default().push(Named { id: s.id, forvaltning: s.forvaltning_id });
                m
            }),
            exact_names: existing.systems.iter().map(|s| s.name.trim().to_lowercase()).collect(),
            system_forvaltning: existing.systems.iter().map(|s| (s.id, s.forvaltning_id)).collect(),
            note_names: mapping.columns.iter().map(|c| fields::note_name(&c.header)).collect(),
            report_of: HashMap::new(),
            values: Values::new(mapping),
            levels: mapping.levels.clone(),
            levels_found: Vec::new(),
            placed: Vec::new(),
            kinds: existing.forvaltningar.iter().map(|f| (f.id, f.kind)).collect(),
            unread: Vec::new(),
            unread_at: HashMap::new(),
            intent: Intent::default(),
            reports: Vec::new(),
            unresolved: Vec::new(),
        }
    }

    fn col(&self, f: Field) -> Option<usize> {
        self.mapping.column(f)
    }

    /// The organisation column's paths, split; a value that is a förvaltning's own name
    /// (which may hold a "/") is one part, and the organisation's own name at the start of a
    /// path is left out ("Norrvik kommun / Socialförvaltningen" is Socialförvaltningen's).
    fn path_of(&self, text: &str) -> Vec<String> {
        let t = text.trim();
        if t.is_empty() {
            vec![]
        } else if self.forvaltning_by.contains_key(&normalise(t)) {
            vec![t.to_string()]
        } else {
            let mut parts = organisation::split(t);
            if parts.len() > 1
                && self.existing.organisation.as_ref().is_some_and(|o| normalise(&o.name) == normalise(&parts[0]))
            {
                parts.remove(0);
            }
            parts
        }
    }

    /// The roles of the paths' levels: the mapping's, else proposed from the file.
    fn organisation_levels(&mut self, table: &Table) {
        let Some(i) = self.col(Field::Organisation) else { return };
        let paths: Vec<Vec<String>> =
            table.rows.iter().map(|r| self.path_of(&r.cells.get(i).map(Cell::text).unwrap_or_default())).collect();
        let organisation = self.existing.organisation.as_ref().map(|o| o.name.clone()).unwrap_or_default();
        let known = |f: &str| self.forvaltning_by.contains_key(&normalise(f));
        let proposed = organisation::propose(&paths, &organisation, &known);
        if self.levels.is_empty() {
            self.levels = proposed.iter().map(|(r, _)| *r).collect();
        }
        self.levels_found = organisation::levels_found(&paths, &self.levels, &proposed);
    }

    /// Notes a value that is not read (nobody mapped it, or it is no date or number): listed
    /// once with its rows.
    fn unread_value(&mut self, column: usize, value: &str, row: u32, kept: String) {
        let key = (column, normalise(value));
        match self.unread_at.get(&key) {
            Some(i) => self.unread[*i].rows.push(row),
            None => {
                self.unread_at.insert(key, self.unread.len());
                self.unread.push(UnreadValue {
                    column: self.mapping.columns[column].header.clone(),
                    value: value.trim().to_string(),
                    rows: vec![row],
                    kept,
                });
            }
        }
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
        let (placed, unit_name) = self.place(row);
        let by_id = self.system_by_id(row, &mut warnings);
        let Some(forvaltning) = self.forvaltning(&placed, by_id) else {
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
        self.file_names.entry(normalise(&name)).or_default().push(Named { id: system.id, forvaltning });
        self.exact_names.insert(name.to_lowercase());
        self.system_forvaltning.insert(system.id, forvaltning);
        system.name = name.clone();
        system.forvaltning_id = forvaltning;
        self.unit(&mut system, unit_name);
        self.fields(row, &mut system, &mut warnings);
        self.supplier(row, &mut system);
        self.extras_and_levels(row, &mut system, &mut warnings);
        self.questions(row, &mut system, matched.is_some());
        // What would be written is checked now, so that the import does not fail where the
        // dry run passed: a row the register would refuse is skipped with the reason.
        if let Err(e) = crate::model::Validate::validate(&system, &self.existing.method) {
            // Nothing may refer to a system that will not be written.
            if matched.is_none()
                && let Some(v) = self.file_names.get_mut(&normalise(&name))
            {
                v.retain(|n| n.id != system.id);
            }
            self.intent.actions.retain(|a| a.system_id != Some(system.id));
            self.skip(number, &name, format!("systemet kan inte sparas: {e}"), warnings);
            return Ok(());
        }
        let mut role_changes = self.roles(row, &system, forvaltning);
        for (f, reverse) in [(Field::DependsOn, false), (Field::DependedOnBy, true)] {
            if let Some(column) = self.col(f) {
                let text = self.cell(row, f).text();
                if !text.trim().is_empty() {
                    self.dep_cells.push(DependencyCell {
                        system: system.id,
                        forvaltning,
                        report: self.reports.len(),
                        row: number,
                        text,
                        column,
                        reverse,
                    });
                }
            }
        }
        self.placed.push((forvaltning, system.unit_id));
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

    /// Where the row's system belongs: its förvaltning or bolag (a förvaltning's own name, or
    /// the path's part at the förvaltning level, see `organisation::place`) and its unit (the
    /// unit column, else the path's unit).
    fn place(&self, row: &Row) -> (organisation::Placed, Option<String>) {
        let path = self.path_of(&self.cell(row, Field::Organisation).text());
        let mut placed = if path.len() == 1 && self.forvaltning_by.contains_key(&normalise(&path[0])) {
            organisation::Placed { forvaltning: Some(path[0].clone()), kind: ForvaltningKind::Forvaltning, unit: None }
        } else {
            organisation::place(&path, &self.levels)
        };
        // The organisation's own name is no förvaltning.
        if let (Some(f), Some(o)) = (&placed.forvaltning, &self.existing.organisation)
            && normalise(f) == normalise(&o.name)
        {
            placed.forvaltning = None;
        }
        let unit_name = match self.cell(row, Field::Unit).text().trim() {
            "" => placed.unit.clone(),
            u => Some(u.to_string()),
        };
        (placed, unit_name)
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
    fn forvaltning(&mut self, placed: &organisation::Placed, matched: Option<&System>) -> Option<ForvaltningId> {
        let Some(f) = &placed.forvaltning else {
            return matched.map(|s| s.forvaltning_id).or(self.only_forvaltning);
        };
        if let Some(id) = self.forvaltning_by.get(&normalise(f)) {
            return Some(*id);
        }
        let o = self.existing.organisation.as_ref()?;
        let new = Forvaltning {
            id: fresh(),
            organisation_id: o.id,
            name: f.clone(),
            short_name: short_name(f),
            kind: placed.kind,
            ..Default::default()
        };
        self.kinds.insert(new.id, new.kind);
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
    /// A value that cannot be read is kept as an extra attribute under its column's header
    /// (a contract's "Löpande - uppsägningstid på 3-12 månader" stays as a note) and listed
    /// once; a value that is read removes such a note.
    fn fields(&mut self, row: &Row, system: &mut System, warnings: &mut Vec<RowProblem>) {
        let number = row.number as u32;
        for f in steps::PLAIN {
            let Some(i) = self.col(*f) else { continue };
            let cell = self.cell(row, *f);
            let header = self.note_names[i].clone();
            let values = &self.values;
            let key = |c: &Cell| values.key(i, *f, c);
            match steps::read(*f, &cell, system, &key) {
                Ok(()) => set_extra(&mut system.extra, &header, String::new()),
                Err(_) => {
                    let raw = cell.text();
                    set_extra(&mut system.extra, &header, raw.clone());
                    let kept = if values::targets(*f).is_some() {
                        format!("inte mappat; fältet lämnas som det var, texten sparas som övrig uppgift «{header}»")
                    } else {
                        format!("kan inte läsas som {}; sparas som anteckning (övrig uppgift «{header}»)", f.header())
                    };
                    self.unread_value(i, &raw, number, kept);
                }
            }
        }
        let mut warn = |f: Field, message: String| warnings.push(RowProblem { column: self.header(f), message });
        steps::reconcile(system, &mut warn);
    }

    /// The questions "Har … genomförts under det senaste året?": the answer is kept as an
    /// extra attribute under the question, and a "nej" becomes an action to plan for the
    /// system (due in two weeks, so that the yearly cycle lists it at once), unless one of
    /// that title is open or was done within the year.
    fn questions(&mut self, row: &Row, system: &mut System, matched: bool) {
        let columns: Vec<usize> = self.mapping.columns_of(Field::DoneLastYear).collect();
        for i in columns {
            let header = self.mapping.columns[i].header.clone();
            let cell = row.cells.get(i).cloned().unwrap_or(Cell::Empty);
            set_extra(&mut system.extra, &header, cell.text());
            let answer = match self.values.key(i, Field::DoneLastYear, &cell) {
                Ok(a) => a,
                Err(_) => {
                    let kept = format!("inte mappat till ja eller nej; sparas som övrig uppgift «{header}»");
                    self.unread_value(i, &cell.text(), row.number as u32, kept);
                    continue;
                }
            };
            if answer.as_deref() != Some("nej") {
                continue;
            }
            let what = fields::question(&header).unwrap_or_else(|| header.clone());
            let title = format!("Genomför {what}");
            let year_ago = crate::ids::add_months(self.existing.today, -12);
            let have = matched
                && self.existing.actions.iter().any(|a| {
                    a.system_id == Some(system.id)
                        && normalise(&a.title) == normalise(&title)
                        && (a.status.is_open() || a.completed_on.is_some_and(|d| d >= year_ago))
                });
            if have || self.intent.actions.iter().any(|a| a.system_id == Some(system.id) && a.title == title) {
                continue;
            }
            self.intent.actions.push(Action {
                id: fresh(),
                title,
                description: format!(
                    "Systemförteckningen svarar nej på «{header}» (rad {}). Planera arbetet och sätt ett slutdatum som går att hålla.",
                    row.number
                ),
                system_id: Some(system.id),
                // Inside the yearly cycle's window for actions, so that it is listed at once.
                due_on: Some(self.existing.today + chrono::Duration::days(14)),
                status: ActionStatus::Planerad,
                ..Default::default()
            });
        }
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
        for (f, role) in [
            (Field::Owner, Role::Systemagare),
            (Field::Manager, Role::Systemforvaltare),
            (Field::TechnicalManager, Role::TekniskForvaltare),
        ] {
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

    /// Whether `text` is, letter for letter (in any case), the name of a system here or in
    /// the file: a dependency cell's pieces are joined again only when they make one. Parties
    /// do not count: an earlier import's party would make this import read a cell otherwise.
    fn is_known_name(&self, text: &str) -> bool {
        self.exact_names.contains(&text.trim().to_lowercase())
    }

    /// The system a dependency names, seen from a system in `forvaltning`: in the same
    /// förvaltning first (the file's, then here), then anywhere; a name with a förvaltning in
    /// parentheses after it ("Lifecare (Socialförvaltningen)", as an export writes a name
    /// several förvaltningar use) is looked up there. Returns the system and, when the name
    /// was ambiguous, what was chosen and why.
    fn resolve(&self, name: &str, forvaltning: ForvaltningId) -> Option<(SystemId, Option<String>)> {
        let n = normalise(name);
        let mut all: Vec<Named> = self.file_names.get(&n).cloned().unwrap_or_default();
        for x in self.existing_names.get(&n).into_iter().flatten() {
            if !all.iter().any(|a| a.id == x.id) {
                all.push(*x);
            }
        }
        if all.is_empty() {
            let (before, inside) = dependencies_qualifier(name)?;
            let f = *self.forvaltning_by.get(&normalise(inside))?;
            return self.resolve(before, f).filter(|(id, _)| self.forvaltning_of(*id) == Some(f));
        }
        if let Some(same) = all.iter().find(|a| a.forvaltning == forvaltning) {
            let others: Vec<String> = all
                .iter()
                .filter(|a| a.forvaltning != forvaltning)
                .map(|a| self.forvaltning_name(a.forvaltning))
                .collect();
            let note = (!others.is_empty()).then(|| {
                format!(
                    "«{name}» finns också i {}; valde den i systemets egen förvaltning ({})",
                    others.join(", "),
                    self.forvaltning_name(forvaltning)
                )
            });
            return Some((same.id, note));
        }
        let chosen = all[0];
        let note = (all.len() > 1).then(|| {
            let names: Vec<String> = all.iter().map(|a| self.forvaltning_name(a.forvaltning)).collect();
            format!(
                "«{name}» finns i flera förvaltningar ({}) men inte i systemets egen; valde den i {}",
                names.join(", "),
                self.forvaltning_name(chosen.forvaltning)
            )
        });
        Some((chosen.id, note))
    }

    fn forvaltning_of(&self, id: SystemId) -> Option<ForvaltningId> {
        self.system_forvaltning.get(&id).copied()
    }

    fn forvaltning_name(&self, id: ForvaltningId) -> String {
        self.existing
            .forvaltningar
            .iter()
            .chain(&self.intent.forvaltningar)
            .find(|f| f.id == id)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }

    /// Dependencies, now that every row's system is known: on a system here or in the file
    /// (see [`Planner::resolve`]), else on an external party of that name; with the
    /// criticality (through the value mapping) and kind the entry gives. Never a duplicate,
    /// never on itself; an existing dependency takes the criticality and kind the file gives.
    fn dependencies(&mut self) {
        let mut planned: HashMap<(SystemId, Option<SystemId>, Option<ExternalPartyId>), Option<usize>> = self
            .existing
            .deps
            .iter()
            .enumerate()
            .map(|(i, d)| ((d.system_id, d.depends_on_system_id, d.depends_on_party_id), Some(i)))
            .collect();
        let mut named: Vec<NamedDependency> = Vec::new();
        for c in std::mem::take(&mut self.dep_cells) {
            let known = |t: &str| self.is_known_name(t);
            for mut entry in dependencies::parse_known(&c.text, &self.mapping.separators, &known) {
                // A system whose own name holds ": " ("Visma: Personec") is that system.
                if let Some(rest) = &entry.criticality {
                    let whole = format!("{}: {rest}", entry.name);
                    if self.is_known_name(&whole) && entry.kind.is_none() {
                        entry = Entry { name: whole, criticality: None, kind: None };
                    }
                }
                named.push(NamedDependency {
                    system: c.system,
                    forvaltning: c.forvaltning,
                    report: c.report,
                    row: c.row,
                    entry,
                    column: c.column,
                    reverse: c.reverse,
                });
            }
        }
        let mut seen_existing: HashSet<DependencyId> = HashSet::new();
        for d in named {
            let column_header = self.mapping.columns[d.column].header.clone();
            let target = self.resolve(&d.entry.name, d.forvaltning);
            if let Some((_, Some(note))) = &target {
                self.reports[d.report]
                    .warnings
                    .push(RowProblem { column: column_header.clone(), message: note.clone() });
            }
            let target = target.map(|(id, _)| id);
            let (from, to_system, to_party) = match (target, d.reverse) {
                (Some(t), false) => (d.system, Some(t), None),
                (Some(t), true) => (t, Some(d.system), None),
                (None, true) => {
                    // Something that is no system depends on this one: nothing to record here.
                    let message =
                        format!("«{}» är inget system här eller i filen; beroendet registreras inte", d.entry.name);
                    self.reports[d.report].warnings.push(RowProblem { column: column_header, message });
                    continue;
                }
                (None, false) => (d.system, None, Some(self.party_named(&d.entry.name, d.report))),
            };
            if to_system == Some(from) {
                continue;
            }
            let details = self.entry_details(&d);
            let changed = match planned.get(&(from, to_system, to_party)) {
                Some(None) => false, // planned by an earlier entry
                // An existing dependency: the first entry in the file that names it decides,
                // so that two entries saying different things do not flip it at every import.
                Some(Some(i)) if !seen_existing.insert(self.existing.deps[*i].id) => false,
                Some(Some(i)) => {
                    let before = &self.existing.deps[*i];
                    let mut after = before.clone();
                    if details.criticality.is_some() {
                        after.criticality = details.criticality;
                    }
                    if d.entry.kind.is_some() {
                        after.kind = details.kind;
                    }
                    after.description = dependencies::with_notes(
                        before.description.as_deref(),
                        details.kind_note.as_ref().map(|n| n.as_deref()),
                        details.criticality_note.as_ref().map(|n| n.as_deref()),
                    );
                    let changed = after != *before;
                    if changed {
                        self.intent.deps_changed.push(after);
                    }
                    changed
                }
                None => {
                    planned.insert((from, to_system, to_party), None);
                    self.intent.deps_added.push(Dependency {
                        id: fresh(),
                        system_id: from,
                        depends_on_system_id: to_system,
                        depends_on_party_id: to_party,
                        kind: details.kind,
                        description: dependencies::with_notes(
                            None,
                            details.kind_note.as_ref().map(|n| n.as_deref()),
                            details.criticality_note.as_ref().map(|n| n.as_deref()),
                        ),
                        criticality: details.criticality,
                        ..Default::default()
                    });
                    true
                }
            };
            if !changed {
                continue;
            }
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

    /// A dependency entry's criticality (through the value mapping: a phrase nobody mapped is
    /// listed and kept as a note in the description) and its kind (a word for none is kept as
    /// a note, the kind is then «Annat»); a note is `None` when the entry says nothing of it.
    fn entry_details(&mut self, d: &NamedDependency) -> EntryDetails {
        let field = self.mapping.columns[d.column].field.unwrap_or(Field::DependsOn);
        let mut criticality_note = None;
        let criticality =
            d.entry.criticality.as_ref().and_then(|c| match self.values.key(d.column, field, &Cell::Text(c.clone())) {
                Ok(Some(k)) => {
                    criticality_note = Some(None);
                    DependencyCriticality::parse(&k)
                }
                _ => {
                    let header = self.mapping.columns[d.column].header.clone();
                    self.unread_value(
                        d.column,
                        c,
                        d.row,
                        format!("inte mappat till en kritikalitet; sparas i beroendets beskrivning («{header}»)"),
                    );
                    criticality_note = Some(Some(c.clone()));
                    None
                }
            });
        let (kind, kind_note) = match &d.entry.kind {
            None => (DependencyKind::Annan, None),
            Some(k) => match dependencies::kind(k) {
                Some(kind) => (kind, Some(None)),
                None => (DependencyKind::Annan, Some(Some(k.clone()))),
            },
        };
        EntryDetails { criticality, kind, kind_note, criticality_note }
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

    /// The förvaltningar and units the file's systems land in, new ones marked, with how
    /// many systems each gets.
    fn tree(&self, intent: &Intent, names: &HashMap<ForvaltningId, String>) -> Vec<OrgNode> {
        let new_f: HashSet<ForvaltningId> = intent.forvaltningar.iter().map(|f| f.id).collect();
        let new_u: HashSet<UnitId> = intent.units.iter().map(|u| u.id).collect();
        let unit_names: HashMap<UnitId, &str> =
            self.existing.units.iter().chain(&intent.units).map(|u| (u.id, u.name.as_str())).collect();
        let mut nodes: Vec<OrgNode> = Vec::new();
        let mut at: HashMap<ForvaltningId, usize> = HashMap::new();
        for (f, u) in &self.placed {
            let i = *at.entry(*f).or_insert_with(|| {
                nodes.push(OrgNode {
                    name: names.get(f).cloned().unwrap_or_default(),
                    kind: self.kinds.get(f).copied().unwrap_or_default().label().to_string(),
                    new: new_f.contains(f),
                    systems: 0,
                    units: vec![],
                });
                nodes.len() - 1
            });
            let node = &mut nodes[i];
            node.systems += 1;
            if let Some(u) = u {
                let name = unit_names.get(u).copied().unwrap_or_default();
                match node.units.iter_mut().find(|x| x.name == name) {
                    Some(x) => x.systems += 1,
                    None => node.units.push(UnitNode { name: name.to_string(), new: new_u.contains(u), systems: 1 }),
                }
            }
        }
        nodes.sort_by_key(|a| a.name.to_lowercase());
        for n in &mut nodes {
            n.units.sort_by_key(|a| a.name.to_lowercase());
        }
        nodes
    }

    /// The report (counts, what is new, the digest of what would be written) and the intent.
    fn finish(mut self, sheet: &str) -> (RegisterImportReport, Intent) {
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
        let intent = std::mem::take(&mut self.intent);
        let forvaltning_names: HashMap<ForvaltningId, String> =
            self.existing.forvaltningar.iter().chain(&intent.forvaltningar).map(|f| (f.id, f.name.clone())).collect();
        let mut new_organisation: Vec<String> = intent.forvaltningar.iter().map(|f| f.name.clone()).collect();
        new_organisation.extend(intent.units.iter().map(|u| {
            format!("{} / {}", forvaltning_names.get(&u.forvaltning_id).cloned().unwrap_or_default(), u.name)
        }));
        let tree = self.tree(&intent, &forvaltning_names);
        let system_names: HashMap<SystemId, &str> = intent
            .systems
            .iter()
            .map(|(_, s)| (s.id, s.name.as_str()))
            .chain(self.existing.systems.iter().map(|s| (s.id, s.name.as_str())))
            .collect();
        let new_actions: Vec<String> = intent
            .actions
            .iter()
            .map(|a| {
                let system = a.system_id.and_then(|s| system_names.get(&s).copied()).unwrap_or_default();
                format!("{system}: {}", a.title)
            })
            .collect();
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
                .chain(new_actions.iter())
            {
                h.update(format!("new|{n}\n").as_bytes());
            }
            h.update(format!("deps|{}|{}\n", intent.deps_added.len(), intent.deps_changed.len()).as_bytes());
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
            organisation_levels: self.levels_found,
            organisation_tree: tree,
            unread_values: self.unread,
            new_actions,
            new_dependencies: intent.deps_added.len() as u32,
            changed_dependencies: intent.deps_changed.len() as u32,
            digest,
            applied: false,
        };
        (report, intent)
    }
}

/// A name with a förvaltning in parentheses after it: the name and the förvaltning (whose
/// own name may hold parentheses).
fn dependencies_qualifier(name: &str) -> Option<(&str, &str)> {
    dependencies::trailing_group(name)
}
