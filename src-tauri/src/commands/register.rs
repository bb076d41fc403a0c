//! The register as a spreadsheet: a file chosen in the native dialog, its columns mapped
//! (the core's choice of mapping), the dry run, the import in one transaction; the export.

use super::today;
use crate::error::IpcError;
use crate::state::{AppState, Session};
use riskverkstad_core::ids::ForvaltningId;
use riskverkstad_core::register_file::{
    Field, LevelRole, Mapping, RegisterImportReport, ValueChoice, ValueFound, ValueTarget, report_table, value_mapping,
    values,
};
use riskverkstad_core::register_list::{RegisterQuery, RegisterRow};
use riskverkstad_core::usecase::register_import::{self, MappingChoice, MappingOrigin, Prepared};
use serde::Serialize;

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

/// One column of a register file in the mapping step.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RegisterColumn {
    /// The header in the file.
    pub header: String,
    /// The field it is mapped to, or none (kept as an extra attribute).
    pub field: Option<Field>,
    /// The first few values, to recognise the column by.
    pub samples: Vec<String>,
    /// Why the field was proposed, or that it was saved.
    pub why: String,
}

/// A register field the mapping can choose.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct FieldChoice {
    /// The field.
    pub field: Field,
    /// Its Swedish name.
    pub header: String,
    /// What its values can become (a closed-set field), or none (read as they are).
    pub values: Option<Vec<ValueTarget>>,
    /// Whether several columns may hold it (the yearly questions).
    pub several: bool,
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
    /// The distinct values of the closed-set columns, with what each becomes.
    pub values: Vec<ValueFound>,
    /// Every value choice of the mapping (those of values this file does not hold are kept
    /// for the next file); sent back with the mapping.
    pub value_choices: Vec<ValueChoice>,
    /// The roles of the organisation paths' levels in use (as the mapping says, or proposed).
    pub levels: Vec<LevelRole>,
    /// Where dependency cells are split.
    pub separators: Vec<String>,
    /// The roles a level can be given.
    pub level_choices: Vec<LevelChoice>,
}

/// The roles a path level can be given, with their Swedish names.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct LevelChoice {
    /// The role.
    pub role: LevelRole,
    /// Its Swedish name.
    pub label: String,
}

/// The roles a level of an organisation path can be given.
fn level_choices() -> Vec<LevelChoice> {
    [LevelRole::Organisation, LevelRole::Grupp, LevelRole::Forvaltning, LevelRole::Enhet]
        .into_iter()
        .map(|role| LevelChoice { role, label: role.label().to_string() })
        .collect()
}

/// Reads the chosen register file and prepares it under `mapping` (or the kept or proposed
/// one), as the mapping step shows it.
fn register_preview(
    s: &Session,
    sheet: Option<String>,
    mapping: Option<Mapping>,
) -> Result<(RegisterFilePreview, Prepared), IpcError> {
    let (bytes, path) = s.pending_register.as_ref().ok_or_else(|| IpcError::new("no_file", "Ingen fil är vald."))?;
    let choice = mapping.map(MappingChoice::Chosen).unwrap_or(MappingChoice::Default);
    let prepared =
        register_import::prepare(&s.store, bytes, &register_import::file_stem(path), sheet.as_deref(), choice)?;
    let columns = prepared
        .mapping
        .columns
        .iter()
        .zip(&prepared.samples)
        .map(|(c, samples)| RegisterColumn {
            header: c.header.clone(),
            field: c.field,
            samples: samples.clone(),
            why: c.why.clone(),
        })
        .collect();
    let (report, problem) = match &prepared.plan {
        Ok(r) => (Some(r.clone()), None),
        Err(p) => (None, Some(p.clone())),
    };
    let levels = if prepared.mapping.levels.is_empty() {
        report.iter().flat_map(|r| r.organisation_levels.iter().map(|l| l.role)).collect()
    } else {
        prepared.mapping.levels.clone()
    };
    let preview = RegisterFilePreview {
        file: path.display().to_string(),
        format: prepared.source.describe(),
        sheets: prepared.source.sheets.clone(),
        sheet: prepared.table.sheet.clone(),
        rows: prepared.table.rows.len() as u32,
        columns,
        fields: Field::ALL
            .iter()
            .map(|f| FieldChoice {
                field: *f,
                header: f.header().to_string(),
                values: values::targets(*f),
                several: f.several_columns(),
            })
            .collect(),
        report,
        problem,
        saved_mapping: prepared.origin == MappingOrigin::Kept,
        values: value_mapping::found(&prepared.table, &prepared.mapping),
        value_choices: prepared.mapping.values.clone(),
        levels,
        separators: prepared.mapping.separators.clone(),
        level_choices: level_choices(),
    };
    Ok((preview, prepared))
}

/// Every row of the register.
pub fn register_rows(state: &AppState) -> Result<RegisterPage, IpcError> {
    state.with(|s| {
        let generation = s.generation();
        Ok(RegisterPage { generation, rows: s.register()?.rows().to_vec() })
    })
}

/// The positions of the rows matching a search.
pub fn register_search(state: &AppState, query: RegisterQuery) -> Result<RegisterHits, IpcError> {
    state.with(|s| {
        let generation = s.generation();
        Ok(RegisterHits { generation, positions: s.register()?.search_positions(&query) })
    })
}

/// Chooses a register file (xlsx, ods, csv) in the native open dialog and shows its columns,
/// the proposed (or last saved) mapping and the dry run; null when cancelled.
pub fn choose_register_file(state: &AppState) -> Result<Option<RegisterFilePreview>, IpcError> {
    let Some(path) = crate::dialogs::open_register()? else { return Ok(None) };
    let bytes = std::fs::read(&path)
        .map_err(|e| IpcError::new("read", format!("Filen {} kunde inte läsas: {e}", path.display())))?;
    state.with(|s| {
        s.pending_register = Some((bytes, path));
        register_preview(s, None, None).map(|(p, _)| Some(p))
    })
}

/// The chosen register file planned again under another sheet or mapping (writes nothing).
pub fn plan_register_file(
    state: &AppState,
    sheet: Option<String>,
    mapping: Option<Mapping>,
) -> Result<RegisterFilePreview, IpcError> {
    state.with(|s| register_preview(s, sheet, mapping).map(|(p, _)| p))
}

/// Imports the chosen register file in one transaction, if the plan is still the one shown
/// (`digest`); the mapping is kept for the next file.
pub fn import_register_file(
    state: &AppState,
    sheet: Option<String>,
    mapping: Mapping,
    digest: String,
) -> Result<RegisterImportReport, IpcError> {
    state.write(|s| {
        let (_, prepared) = register_preview(s, sheet, Some(mapping))?;
        let report = register_import::import(&mut s.store, &prepared, Some(&digest))?;
        s.pending_register = None;
        Ok(report)
    })
}

/// Saves the import's report (every row, the values not read, what is created) as xlsx next
/// to the chosen file ("<fil>-importrapport.xlsx"); returns the path.
pub fn save_register_report(state: &AppState, sheet: Option<String>, mapping: Mapping) -> Result<String, IpcError> {
    let (table, path) = state.with(|s| {
        let (_, prepared) = register_preview(s, sheet, Some(mapping))?;
        let report = prepared.plan.map_err(|p| IpcError::new("mapping", p))?;
        let source = s.pending_register.as_ref().map(|(_, p)| p.clone()).unwrap_or_default();
        let name = format!("{}-importrapport.xlsx", register_import::file_stem(&source));
        Ok((report_table(&report), source.with_file_name(name)))
    })?;
    let bytes = riskverkstad_sheets::write_xlsx(&table).map_err(|e| IpcError::new("write", e.to_string()))?;
    riskverkstad_core::files::write_atomic(&path, &bytes)?;
    Ok(path.display().to_string())
}

/// Exports the register (or one förvaltning's) as Excel or csv to a file chosen in the
/// native save dialog; returns the path, or null when cancelled.
pub fn export_register_file(
    state: &AppState,
    forvaltning_id: Option<ForvaltningId>,
) -> Result<Option<String>, IpcError> {
    let Some(path) = crate::dialogs::save_register(&format!("Systemförteckning-{}.xlsx", today()))? else {
        return Ok(None);
    };
    let table = state.with(|s| Ok(riskverkstad_core::register_file::export(&s.store, forvaltning_id)?))?;
    let bytes = riskverkstad_sheets::write_for(&path, &table).map_err(|e| IpcError::new("write", e.to_string()))?;
    riskverkstad_core::files::write_atomic(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}
