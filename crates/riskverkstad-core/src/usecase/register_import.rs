//! Importing a department's register file, as both shells do it: the file read into a table
//! (xlsx, ods or csv), the column mapping chosen (the person's own for these columns, a saved
//! one adapted to them, the one kept beside the database from the last import, or a proposal
//! from the headers), the first values of each column to recognise it by, and the dry run;
//! then the import in one transaction, after which the mapping is kept beside the database
//! for the next file.

use crate::error::{Error, Result};
use crate::register_file::{self, Mapping, RegisterImportReport};
use crate::store::Store;
use riskverkstad_sheets::{Source, Table};
use std::path::{Path, PathBuf};

/// Which mapping to use for a file.
#[derive(Debug, Clone)]
pub enum MappingChoice {
    /// The person's mapping for this file (the app's mapping step): used as it is when it is
    /// for exactly these columns, even while it is not usable yet; for other columns (another
    /// sheet) the default is used instead.
    Chosen(Mapping),
    /// A mapping saved earlier (a file given on the command line): adapted to these columns.
    Saved(Mapping),
    /// None given: the one kept beside the database from the last import, adapted; else one
    /// proposed from the headers.
    Default,
}

/// Where the mapping came from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingOrigin {
    /// The person's own, for these columns.
    Chosen,
    /// A saved mapping given for this import, adapted.
    Given,
    /// The one kept from the last import into this database, adapted.
    Kept,
    /// Proposed from the headers.
    Proposed,
}

/// A register file read and planned, ready to show and to import.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The sheet read, as a table.
    pub table: Table,
    /// What was read: format, encoding, delimiter, the workbook's sheets.
    pub source: Source,
    /// The mapping used.
    pub mapping: Mapping,
    /// Where it came from.
    pub origin: MappingOrigin,
    /// The first few non-empty values of each column, to recognise it by.
    pub samples: Vec<Vec<String>>,
    /// The dry run under this mapping, or why the mapping cannot be used yet (a field chosen
    /// twice, no name column).
    pub plan: std::result::Result<RegisterImportReport, String>,
}

/// Reads `bytes` (a file called `name`, the sheet `sheet` or the first) and plans its import
/// under the mapping `choice` gives, writing nothing.
pub fn prepare(
    store: &Store,
    bytes: &[u8],
    name: &str,
    sheet: Option<&str>,
    choice: MappingChoice,
) -> Result<Prepared> {
    let (table, source) = riskverkstad_sheets::read(bytes, sheet, name, riskverkstad_sheets::Limits::default())
        .map_err(|e| Error::Sheet { file: name.to_string(), detail: e.to_string() })?;
    let (mapping, origin) = match choice {
        MappingChoice::Chosen(m) if m.columns.iter().map(|c| &c.header).eq(table.headers.iter()) => {
            (m, MappingOrigin::Chosen)
        }
        MappingChoice::Saved(m) => (m.adapt(&table.headers), MappingOrigin::Given),
        MappingChoice::Chosen(_) | MappingChoice::Default => match kept_mapping(store) {
            Some(m) => (m.adapt(&table.headers), MappingOrigin::Kept),
            None => (Mapping::propose(&table.headers), MappingOrigin::Proposed),
        },
    };
    // Every distinct value of the closed-set columns gets a choice (kept ones stay).
    let mapping = crate::register_file::value_mapping::complete(mapping, &table);
    let plan = match mapping.check(&table.headers) {
        Ok(()) => Ok(register_file::plan_register_import(store, &table, &mapping)?),
        Err(e) => Err(e.to_string()),
    };
    let samples = (0..table.headers.len())
        .map(|i| {
            table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i).map(|c| c.text()).filter(|t| !t.trim().is_empty()))
                .take(3)
                .collect()
        })
        .collect();
    Ok(Prepared { table, source, mapping, origin, samples, plan })
}

/// Reads the register file at `path` and prepares it ([`prepare`]).
pub fn prepare_file(store: &Store, path: &Path, sheet: Option<&str>, choice: MappingChoice) -> Result<Prepared> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read { path: path.to_path_buf(), detail: e.to_string() })?;
    prepare(store, &bytes, &file_stem(path), sheet, choice)
}

/// A file's name without its extension ("Systemförteckning"), as the table's name.
pub fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "fil".into())
}

/// Imports what was prepared in one transaction, planned again inside it; with
/// `expected_digest`, only if the plan is still the one shown. The mapping is then kept beside
/// the database for the next file (losing it costs a re-mapping, not data).
pub fn import(store: &mut Store, prepared: &Prepared, expected_digest: Option<&str>) -> Result<RegisterImportReport> {
    let report = register_file::import_register(store, &prepared.table, &prepared.mapping, expected_digest)?;
    if let Some(p) = kept_mapping_path(store)
        && let Ok(text) = serde_json::to_string_pretty(&prepared.mapping)
    {
        let _ = crate::files::write_atomic(&p, text.as_bytes());
    }
    Ok(report)
}

/// Where the last import's mapping is kept: beside the database
/// (`<database>.kolumnmappning.json`); none for a database in memory.
pub fn kept_mapping_path(store: &Store) -> Option<PathBuf> {
    store.path().map(|p| crate::files::sibling(p, ".kolumnmappning.json"))
}

fn kept_mapping(store: &Store) -> Option<Mapping> {
    let text = std::fs::read_to_string(kept_mapping_path(store)?).ok()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Systemnamn;Förvaltning;Ägarens anteckning\nLönesystem;Socialförvaltningen;viktig\n";

    #[test]
    fn the_mapping_is_the_persons_then_the_kept_one_then_a_proposal() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let mut store = Store::create(&db, None).unwrap();
        crate::ops::setup(&mut store, "Norrvik kommun", "Socialförvaltningen", "SOC").unwrap();
        let first = prepare(&store, CSV.as_bytes(), "lista", None, MappingChoice::Default).unwrap();
        assert_eq!(first.origin, MappingOrigin::Proposed);
        assert_eq!(first.samples[0], vec!["Lönesystem".to_string()]);
        let report = first.plan.clone().unwrap();
        assert_eq!(report.counts.created, 1);
        // The person maps the third column to the description, and imports.
        let mut chosen = first.mapping.clone();
        chosen.columns[2].field = Some(register_file::Field::Description);
        let second = prepare(&store, CSV.as_bytes(), "lista", None, MappingChoice::Chosen(chosen.clone())).unwrap();
        assert_eq!(second.origin, MappingOrigin::Chosen);
        let digest = second.plan.as_ref().unwrap().digest.clone();
        assert!(import(&mut store, &second, Some(&digest)).unwrap().applied);
        // The next file gets the kept mapping.
        let next = prepare(&store, CSV.as_bytes(), "lista", None, MappingChoice::Default).unwrap();
        assert_eq!(next.origin, MappingOrigin::Kept);
        let fields = |m: &Mapping| m.columns.iter().map(|c| (c.header.clone(), c.field)).collect::<Vec<_>>();
        assert_eq!(fields(&next.mapping), fields(&chosen));
        // A mapping chosen for other columns falls back to the kept one.
        let other = Mapping::propose(&["Namn".to_string()]);
        assert_eq!(
            prepare(&store, CSV.as_bytes(), "lista", None, MappingChoice::Chosen(other)).unwrap().origin,
            MappingOrigin::Kept
        );
    }
}
