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

//!
//! The module by step: [`fields`] (the register's columns, what departments call them, the
//! readers of messy cells and the words departments use), `mapping` (columns → fields),
//! `steps` (one reading step per plain field), `plan` (the pure plan, row by row),
//! `import` (writing it), `export` (the register as a table).

pub mod dependencies;
mod export;
pub mod fields;
mod import;
mod mapping;
pub mod organisation;
mod plan;
mod report;
mod steps;
pub mod value_mapping;
pub mod values;

pub use export::export;
pub use fields::Field;
pub use mapping::{ColumnMapping, Mapping};
pub use organisation::{LevelFound, LevelRole};
pub use report::report_table;
pub use values::{ValueChoice, ValueFound, ValueTarget};

use crate::error::{Error, Result};
use crate::store::Store;
use import::Existing;
use plan::plan;
use riskverkstad_sheets::Table;
use serde::Serialize;

// ---------------------------------------------------------------------------------------
// Export

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

/// A value not read, with every row it is on and what was done with it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreadValue {
    /// The column's header.
    pub column: String,
    /// The value.
    pub value: String,
    /// The rows.
    pub rows: Vec<u32>,
    /// What was done with it.
    pub kept: String,
}

/// A förvaltning or bolag the file's systems land in.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgNode {
    /// Its name.
    pub name: String,
    /// Förvaltning or bolag.
    pub kind: String,
    /// Made by this import.
    pub new: bool,
    /// How many of the file's systems land in it.
    pub systems: u32,
    /// Its units the file's systems land in.
    pub units: Vec<UnitNode>,
}

/// A unit the file's systems land in.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitNode {
    /// Its name.
    pub name: String,
    /// Made by this import.
    pub new: bool,
    /// How many of the file's systems land in it.
    pub systems: u32,
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
    /// The levels of the organisation column's paths and what each is taken as.
    pub organisation_levels: Vec<LevelFound>,
    /// The förvaltningar and units the file's systems land in (new ones marked).
    pub organisation_tree: Vec<OrgNode>,
    /// Values not read (nobody mapped them, or no date or number), once each with their rows.
    pub unread_values: Vec<UnreadValue>,
    /// Actions made from questions answered "nej" ("System: Genomför riskanalys").
    pub new_actions: Vec<String>,
    /// Dependencies added.
    pub new_dependencies: u32,
    /// Existing dependencies given the criticality or kind the file says.
    pub changed_dependencies: u32,
    /// A digest of what would be written; the import applies only the plan shown.
    pub digest: String,
    /// Whether it was written.
    pub applied: bool,
}

/// Plans the import of a register file under `mapping`, without writing anything.
pub fn plan_register_import(store: &Store, table: &Table, mapping: &Mapping) -> Result<RegisterImportReport> {
    let existing = Existing::load(store, export::levels_of(store)?, store.method().definition.clone())?;
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
    let levels = export::levels_of(store)?;
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
        import::apply(w, intent)?;
        report.applied = true;
        Ok(report)
    })
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
