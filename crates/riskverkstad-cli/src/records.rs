//! Any record by its kind, for scripts: `records kinds | fields | list | show | set`; and the
//! method: `method show | save`.

use crate::{Failure, open, output, today, usage};
use clap::Subcommand;
use riskverkstad_core::method::Method;
use riskverkstad_core::ops;
use riskverkstad_core::usecase::records;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum RecordsCommand {
    /// Listar posttyperna och hur de ändras.
    Kinds {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Listar en posttyps fält: vilka som kan ändras, och vad som ändrar de andra.
    Fields {
        /// Posttypen (tabellens namn, se `records kinds`).
        kind: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Listar alla poster av en typ som JSON.
    List {
        /// Posttypen.
        kind: String,
    },
    /// Visar en post som JSON.
    Show {
        /// Posttypen.
        kind: String,
        /// Postens id (eller början av det, minst 8 tecken).
        id: String,
    },
    /// Ändrar fält i en post: FÄLT=VÄRDE (fältets namn eller svenska namn; tomt värde tar bort;
    /// ja/nej; ÅÅÅÅ-MM-DD; en person, ett system, en förvaltning eller en extern part med namn).
    Set {
        /// Posttypen.
        kind: String,
        /// Postens id (eller början av det, minst 8 tecken).
        id: String,
        /// Ändringarna, FÄLT=VÄRDE.
        #[arg(value_name = "FÄLT=VÄRDE", required = true)]
        changes: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum MethodCommand {
    /// Visar metoden som gäller (JSON): skalor, konsekvensområden, riskmatris, band.
    Show,
    /// Sparar en ändrad metod (JSON-fil som `method show` skriver) som nästa version.
    Save {
        /// Metodfilen.
        file: PathBuf,
        /// Varför metoden ändras.
        #[arg(long, value_name = "TEXT")]
        note: String,
        /// Visa bara vad ändringen betyder; spara ingenting.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(path: &Path, command: RecordsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        RecordsCommand::Kinds { json } => {
            let kinds = records::kinds();
            if json {
                output::json(out, &kinds)?;
            } else {
                for k in &kinds {
                    let how = match k.through {
                        Some(t) => format!("ändras inte här: {t}"),
                        None => format!("{} fält kan ändras", k.fields.iter().filter(|f| f.editable).count()),
                    };
                    let _ = writeln!(out, "{:<24} {:<44} {how}", k.table, k.label);
                }
            }
            Ok(0)
        }
        RecordsCommand::Fields { kind, json } => {
            let kind = records::kind(&kind)?;
            if json {
                output::json(out, &kind.fields)?;
            } else {
                for f in &kind.fields {
                    let how = f.through.as_deref().map(|t| format!("ändras inte här: {t}")).unwrap_or_default();
                    let _ = writeln!(out, "{:<36} {:<36} {how}", f.field, f.label);
                }
            }
            Ok(0)
        }
        RecordsCommand::List { kind } => {
            let store = open(path)?;
            output::json(out, &records::list(&store, &kind)?)?;
            Ok(0)
        }
        RecordsCommand::Show { kind, id } => {
            let store = open(path)?;
            output::json(out, &records::show(&store, &kind, &id)?)?;
            Ok(0)
        }
        RecordsCommand::Set { kind, id, changes } => {
            let mut parsed = Vec::new();
            for c in &changes {
                let (field, value) = c
                    .split_once('=')
                    .ok_or_else(|| usage(format!("«{c}» ska skrivas FÄLT=VÄRDE, till exempel pm3_object=Ekonomi")))?;
                parsed.push((field.trim().to_string(), value.to_string()));
            }
            let mut store = open(path)?;
            let stored = records::set(&mut store, &kind, &id, &parsed, today(None))?;
            output::json(out, &stored)?;
            Ok(0)
        }
    }
}

pub fn method(path: &Path, command: MethodCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        MethodCommand::Show => {
            let store = open(path)?;
            output::json(out, &store.method().definition)?;
            Ok(0)
        }
        MethodCommand::Save { file, note, dry_run } => {
            const MAX: u64 = 4 * 1024 * 1024;
            let bytes = riskverkstad_core::files::read_limited(&file, MAX, |size| {
                riskverkstad_core::Error::invalid("metod", format!("filen är {size} byte, högst {MAX} tas emot"))
            })?;
            let draft: Method = serde_json::from_slice(&bytes)
                .map_err(|e| usage(format!("{} är ingen metod i JSON: {e}", file.display())))?;
            let mut store = open(path)?;
            let preview = ops::preview_method(&store, &draft)?;
            if let Some(problem) = &preview.problem {
                return Err(Failure { message: format!("metoden kan inte användas: {problem}"), hint: None, code: 1 });
            }
            let _ = writeln!(
                out,
                "{} av {} risker hamnar i ett annat band; {} klassningar gjorda enligt nuvarande metod.",
                preview.risks_changing_band, preview.risks, preview.classifications
            );
            if dry_run {
                crate::output::applied_or_dry_run(out, false);
                return Ok(0);
            }
            let v = ops::save_method(&mut store, draft, &note)?;
            let _ = writeln!(out, "Metodversion {} gäller från nu.", v.number);
            Ok(0)
        }
    }
}
