//! `register import` and `register export`: the system register as an Excel, ods or csv file.

use crate::{Failure, open, output, write_file};
use clap::Subcommand;
use riskverkstad_core::find;
use riskverkstad_core::register_file::{self, LevelRole, Mapping, RegisterImportReport};
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
        /// Nivåerna i organisationskolumnens sökvägar, i ordning: organisation, grupp,
        /// forvaltning eller enhet, kommaseparerade (standard: föreslås ur filen).
        #[arg(long, value_name = "ROLLER", value_delimiter = ',')]
        levels: Vec<String>,
        /// Skiljetecken i beroendeceller (upprepa för flera; \n är radbrytning). Standard: ; radbrytning ,
        #[arg(long = "separator", value_name = "TECKEN")]
        separators: Vec<String>,
        /// Spara rapporten (varje rad, värden som inte lästs, det som skapas) som xlsx, eller
        /// csv om filnamnet slutar på .csv.
        #[arg(long, value_name = "FIL")]
        save_report: Option<PathBuf>,
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
        RegisterCommand::Import {
            file,
            sheet,
            mapping,
            save_mapping,
            levels,
            separators,
            save_report,
            dry_run,
            json,
        } => {
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
            let choice = with_overrides(choice, &store, &file, sheet.as_deref(), &levels, &separators)?;
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
            if let Some(f) = save_report {
                let table = register_file::report_table(&report);
                let bytes = riskverkstad_sheets::write_for(&f, &table).map_err(|e| sheet_error(&f, e))?;
                write_file(&f, &bytes)?;
            }
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

/// The mapping `choice` gives, with the levels and separators given on the command line.
fn with_overrides(
    choice: MappingChoice,
    store: &riskverkstad_core::store::Store,
    file: &Path,
    sheet: Option<&str>,
    levels: &[String],
    separators: &[String],
) -> Result<MappingChoice, Failure> {
    if levels.is_empty() && separators.is_empty() {
        return Ok(choice);
    }
    let mut mapping = register_import::prepare_file(store, file, sheet, choice)?.mapping;
    if !levels.is_empty() {
        mapping.levels = levels
            .iter()
            .map(|l| match l.trim().to_lowercase().as_str() {
                "organisation" => Ok(LevelRole::Organisation),
                "grupp" | "gruppering" => Ok(LevelRole::Grupp),
                "forvaltning" | "förvaltning" | "bolag" => Ok(LevelRole::Forvaltning),
                "enhet" => Ok(LevelRole::Enhet),
                other => Err(Failure {
                    message: format!("«{other}» är ingen nivå"),
                    hint: Some("Ange nivåerna som organisation, grupp, forvaltning eller enhet, till exempel --levels organisation,grupp,forvaltning,enhet.".into()),
                    code: 2,
                }),
            })
            .collect::<Result<_, _>>()?;
    }
    if !separators.is_empty() {
        mapping.separators = separators.iter().map(|s| s.replace("\\n", "\n")).collect();
    }
    Ok(MappingChoice::Chosen(mapping))
}

fn print(out: &mut String, file: &Path, source: &Source, table: &Table, mapping: &Mapping, r: &RegisterImportReport) {
    let what = source.describe();
    let _ = writeln!(out, "Fil: {} (blad «{}», {what}), {} rader", file.display(), table.sheet, table.rows.len());
    let _ = writeln!(out, "Kolumner:");
    for c in &mapping.columns {
        let target = c.field.map(|f| f.header().to_string()).unwrap_or_else(|| "(sparas som övrig uppgift)".into());
        let why = if c.why.is_empty() { String::new() } else { format!(" ({})", c.why) };
        let _ = writeln!(out, "  {} → {target}{why}", c.header);
    }
    let found = riskverkstad_core::register_file::value_mapping::found(table, mapping);
    if !found.is_empty() {
        let _ = writeln!(out, "Värden:");
        for v in &found {
            let target = match (&v.becomes, riskverkstad_core::register_file::values::targets(v.field)) {
                (Some(k), Some(t)) => {
                    t.iter().find(|t| &t.key == k).map(|t| t.label.clone()).unwrap_or_else(|| k.clone())
                }
                _ => "(läses inte)".into(),
            };
            let _ = writeln!(out, "  «{}» «{}» ({} rader) → {target} ({})", v.header, v.value, v.rows, v.how);
        }
    }
    if !r.organisation_levels.is_empty() {
        let _ = writeln!(out, "Organisationens nivåer:");
        for l in &r.organisation_levels {
            let values = if l.distinct == 1 { "1 värde".to_string() } else { format!("{} olika värden", l.distinct) };
            let _ = writeln!(
                out,
                "  nivå {}: {} ({values}, t.ex. {}; {})",
                l.level,
                l.role.label(),
                l.examples.join(", "),
                l.why
            );
        }
    }
    if !r.organisation_tree.is_empty() {
        let _ = writeln!(out, "Organisationen efter importen:");
        for f in &r.organisation_tree {
            let new = if f.new { ", ny" } else { "" };
            let _ = writeln!(out, "  {} ({}{new}): {} system", f.name, f.kind.to_lowercase(), f.systems);
            for u in &f.units {
                let new = if u.new { ", ny" } else { "" };
                let _ = writeln!(out, "    {} (enhet{new}): {} system", u.name, u.systems);
            }
        }
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
        ("Nya åtgärder (frågor besvarade med nej)", &r.new_actions),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{label}: {}", list.join(", "));
        }
    }
    let _ = writeln!(out, "Beroenden: {} nya, {} ändrade", r.new_dependencies, r.changed_dependencies);
    if !r.unread_values.is_empty() {
        let _ = writeln!(out, "Värden som inte lästs:");
        for u in &r.unread_values {
            let rows: Vec<String> = u.rows.iter().map(u32::to_string).collect();
            let _ = writeln!(out, "  «{}» i «{}» (rad {}): {}", u.value, u.column, rows.join(", "), u.kept);
        }
    }
    let _ = writeln!(out, "Rader:");
    for line in register_file::report_lines(r) {
        let _ = writeln!(out, "  {line}");
    }
    output::applied_or_dry_run(out, r.applied);
}
