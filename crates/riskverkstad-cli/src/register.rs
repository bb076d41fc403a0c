//! `register import` and `register export`: the system register as an Excel, ods or csv file.

use crate::{Failure, open, output, write_file};
use clap::Subcommand;
use riskverkstad_core::find;
use riskverkstad_core::register_file::{self, Mapping, RegisterImportReport};
use riskverkstad_core::usecase::register_import::{self, MappingChoice};
use riskverkstad_sheets::{Source, Table};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Läser in en systemförteckning (xlsx, ods eller csv): föreslår en kolumnmappning, visar
    /// per rad vad som skapas, uppdateras eller hoppas över, och läser in allt i en transaktion.
    Import {
        /// Filen.
        file: PathBuf,
        /// Bladet som ska läsas (standard: det första).
        #[arg(long, value_name = "NAMN")]
        sheet: Option<String>,
        /// En sparad kolumnmappning (JSON); kolumner den inte nämner föreslås.
        #[arg(long, value_name = "FIL")]
        mapping: Option<PathBuf>,
        /// Spara den använda kolumnmappningen (JSON) för nästa fil.
        #[arg(long, value_name = "FIL")]
        save_mapping: Option<PathBuf>,
        /// Visa bara planen; skriv ingenting.
        #[arg(long)]
        dry_run: bool,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Skriver systemförteckningen som Excel (xlsx), eller csv om filnamnet slutar på .csv.
    Export {
        /// Filen som skrivs.
        #[arg(long, value_name = "FIL")]
        out: PathBuf,
        /// Bara denna förvaltnings system (namn eller kortnamn).
        #[arg(long, value_name = "NAMN")]
        forvaltning: Option<String>,
    },
}

fn sheet_error(file: &Path, e: riskverkstad_sheets::Error) -> Failure {
    Failure { message: format!("{}: {e}", file.display()), hint: None, code: 1 }
}

pub fn run(command: RegisterCommand, path: &Path, out: &mut String) -> Result<u8, Failure> {
    match command {
        RegisterCommand::Import { file, sheet, mapping, save_mapping, dry_run, json } => {
            let mut store = open(path)?;
            let choice = match mapping {
                Some(m) => {
                    let text = std::fs::read_to_string(&m).map_err(|e| Failure {
                        message: format!("kunde inte läsa mappningen {}: {e}", m.display()),
                        hint: None,
                        code: 1,
                    })?;
                    let saved: Mapping = serde_json::from_str(&text).map_err(|e| Failure {
                        message: format!("{} är ingen kolumnmappning: {e}", m.display()),
                        hint: Some("Spara en mappning med --save-mapping FIL.".into()),
                        code: 1,
                    })?;
                    MappingChoice::Saved(saved)
                }
                None => MappingChoice::Default,
            };
            let prepared = register_import::prepare_file(&store, &file, sheet.as_deref(), choice)?;
            if let Some(f) = save_mapping {
                let text = serde_json::to_string_pretty(&prepared.mapping).map_err(|e| Failure {
                    message: format!("mappningen kunde inte skrivas: {e}"),
                    hint: None,
                    code: 1,
                })?;
                write_file(&f, text.as_bytes())?;
            }
            let report = if dry_run {
                register_file::plan_register_import(&store, &prepared.table, &prepared.mapping)?
            } else {
                register_import::import(&mut store, &prepared, None)?
            };
            if json {
                #[derive(serde::Serialize)]
                struct Out<'a> {
                    source: &'a Source,
                    mapping: &'a Mapping,
                    report: &'a RegisterImportReport,
                }
                output::json(out, &Out { source: &prepared.source, mapping: &prepared.mapping, report: &report })?;
            } else {
                print(out, &file, &prepared.source, &prepared.table, &prepared.mapping, &report);
            }
            Ok(0)
        }
        RegisterCommand::Export { out: file, forvaltning } => {
            let store = open(path)?;
            let scope = forvaltning.as_deref().map(|f| find::forvaltning(&store, f)).transpose()?;
            let table = register_file::export(&store, scope)?;
            let bytes = riskverkstad_sheets::write_for(&file, &table).map_err(|e| sheet_error(&file, e))?;
            write_file(&file, &bytes)?;
            let _ = writeln!(
                out,
                "Skrev {} system ({} kolumner) till {}.",
                table.rows.len(),
                table.headers.len(),
                file.display()
            );
            Ok(0)
        }
    }
}

fn print(out: &mut String, file: &Path, source: &Source, table: &Table, mapping: &Mapping, r: &RegisterImportReport) {
    let what = source.describe();
    let _ = writeln!(out, "Fil: {} (blad «{}», {what}), {} rader", file.display(), table.sheet, table.rows.len());
    let _ = writeln!(out, "Kolumner:");
    for c in &mapping.columns {
        let target = c.field.map(|f| f.header().to_string()).unwrap_or_else(|| "(sparas som övrig uppgift)".into());
        let _ = writeln!(out, "  {} → {target}", c.header);
    }
    let c = &r.counts;
    let _ = writeln!(
        out,
        "Plan: {} skapas, {} uppdateras, {} oförändrade, {} hoppas över, {} varningar",
        c.created, c.updated, c.unchanged, c.skipped, c.warnings
    );
    for (label, list) in [
        ("Nya förvaltningar och enheter", &r.new_organisation),
        ("Nya personer", &r.new_people),
        ("Nya externa parter", &r.new_parties),
        ("Beroenden som inte är system (sparas som externa parter)", &r.unresolved_dependencies),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{label}: {}", list.join(", "));
        }
    }
    let _ = writeln!(out, "Rader:");
    for line in register_file::report_lines(r) {
        let _ = writeln!(out, "  {line}");
    }
    output::applied_or_dry_run(out, r.applied);
}
