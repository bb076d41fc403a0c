//! Beslutsunderlag and decisions: `report` (a document as PDF) and `decision make | list |
//! save` (decided documents, frozen).

use crate::{Failure, open, output, today, usage, write_file};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::store::{Read, Store};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Which document, about what, and how it is headed: shared by `report` and `decision make`.
#[derive(Args)]
pub struct DocumentArgs {
    /// Vilket dokument.
    #[arg(value_parser = ["driftgodkannande", "riskacceptans", "klassning", "handlingsplan", "lagesbild", "systemsakerhetsplan"])]
    kind: String,
    /// Systemet (namn eller id); krävs för driftgodkännande, riskacceptans, klassning och systemsäkerhetsplan.
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: Option<String>,
    /// Förvaltningen (namn eller kortnamn) för lägesbild och handlingsplan; utan den hela organisationen.
    #[arg(long, value_name = "NAMN")]
    forvaltning: Option<String>,
    /// Sekretessmarkering i sidhuvudet (annars väljs den efter innehållet).
    #[arg(long, value_name = "TEXT")]
    marking: Option<String>,
    /// Diarienummer.
    #[arg(long, value_name = "DNR")]
    diarienummer: Option<String>,
    /// Dokumentets datum, för ett beslut beslutsdatumet (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM")]
    date: Option<NaiveDate>,
}

impl DocumentArgs {
    /// The request these arguments name, with the system and förvaltning looked up.
    fn request(self, store: &Store) -> Result<riskverkstad_report::ReportRequest, Failure> {
        let kind = riskverkstad_report::ReportKind::parse(&self.kind)
            .ok_or_else(|| usage(format!("okänt dokument {}", self.kind)))?;
        let mut request = riskverkstad_report::ReportRequest::new(kind, today(self.date));
        request.system = self.system.map(|q| find::system(store, &q)).transpose()?;
        request.forvaltning = self.forvaltning.map(|q| find::forvaltning(store, &q)).transpose()?;
        request.marking = self.marking;
        request.diarienummer = self.diarienummer;
        Ok(request)
    }
}

// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum DecisionCommand {
    /// Fattar ett beslut: ritar dokumentet som beslutat och arkiverar PDF:en med beslutet,
    /// som nästa version för systemet (eller förvaltningen/organisationen).
    Make {
        #[command(flatten)]
        document: DocumentArgs,
        /// Beslutsfattaren (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        decided_by: String,
        /// Föredraganden (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        presented_by: Option<String>,
        /// Driftgodkännandets utfall: driftgodkanns, med_villkor eller inte.
        #[arg(long, value_name = "UTFALL")]
        outcome: Option<String>,
        /// Ett villkor med sitt datum, "TEXT@ÅÅÅÅ-MM-DD" (driftgodkänns med villkor); kan upprepas.
        #[arg(long, value_name = "TEXT@DATUM")]
        condition: Vec<String>,
        /// Giltigt till och med (ÅÅÅÅ-MM-DD); ett driftgodkännande gäller annars ett år.
        #[arg(long, value_name = "DATUM")]
        valid_until: Option<NaiveDate>,
        /// Bedömningen, med beslutsfattarens ord.
        #[arg(long, value_name = "TEXT")]
        assessment: Option<String>,
        /// Skriv också den arkiverade PDF:en hit.
        #[arg(long, value_name = "FIL.pdf")]
        out: Option<PathBuf>,
    },
    /// Listar besluten och deras versioner.
    List {
        /// Bara beslut om detta system (namn eller id); utan: alla.
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sparar ett besluts arkiverade PDF, kontrollerad mot sin SHA-256.
    Save {
        /// Beslutets id (från `decision list`).
        id: String,
        /// PDF-filen som skrivs.
        #[arg(long, value_name = "FIL.pdf")]
        out: PathBuf,
    },
}

/// `report`: a decision document as PDF, not decided (an underlag).
pub fn report(
    path: &Path,
    document: DocumentArgs,
    open_summary: bool,
    file: &Path,
    out: &mut String,
) -> Result<u8, Failure> {
    let store = open(path)?;
    let request = riskverkstad_report::ReportRequest { open_summary, ..document.request(&store)? };
    let kind = request.kind;
    let bytes = riskverkstad_report::render(&store, &request)?;
    write_file(file, &bytes)?;
    let _ = writeln!(
        out,
        "Skrev {} ({}, {} byte, SHA-256 {}).",
        file.display(),
        kind.label(),
        bytes.len(),
        riskverkstad_report::sha256_hex(&bytes)
    );
    Ok(0)
}

pub fn decision(path: &Path, command: DecisionCommand, out: &mut String) -> Result<u8, Failure> {
    use riskverkstad_core::decisions;
    use riskverkstad_core::model::{Condition, DecisionOutcome};
    match command {
        DecisionCommand::Make {
            document,
            decided_by,
            presented_by,
            outcome,
            condition,
            valid_until,
            assessment,
            out: file,
        } => {
            let mut store = open(path)?;
            let outcome = outcome
                .map(|o| {
                    DecisionOutcome::parse(&o)
                        .ok_or_else(|| usage(format!("okänt utfall {o}: driftgodkanns, med_villkor eller inte")))
                })
                .transpose()?;
            let conditions = condition
                .iter()
                .map(|c| match c.rsplit_once('@') {
                    Some((text, day)) => day
                        .trim()
                        .parse::<NaiveDate>()
                        .map(|d| Condition { text: text.trim().to_string(), due_on: Some(d) })
                        .map_err(|_| usage(format!("villkoret \"{c}\" har inget giltigt datum efter @ (ÅÅÅÅ-MM-DD)"))),
                    None => Ok(Condition { text: c.trim().to_string(), due_on: None }),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let request = document.request(&store)?;
            let decided = riskverkstad_report::Decided {
                decided_by: find::person(&store, &decided_by)?,
                presented_by: presented_by.map(|p| find::person(&store, &p)).transpose()?,
                outcome,
                conditions,
                valid_until,
                assessment: assessment.unwrap_or_default(),
            };
            let (frozen, rendered) = riskverkstad_report::decide(&mut store, &request, decided)?;
            if let Some(file) = &file {
                write_file(file, &rendered.bytes)?;
            }
            let _ = writeln!(
                out,
                "Beslutet är fattat och arkiverat: {} version {} ({}), id {}, {} byte, SHA-256 {}.",
                frozen.title,
                frozen.version,
                frozen.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                frozen.id,
                rendered.bytes.len(),
                frozen.document_sha256.as_deref().unwrap_or("")
            );
            if let Some(file) = file {
                let _ = writeln!(out, "Skrev {}.", file.display());
            }
            Ok(0)
        }
        DecisionCommand::List { system, json } => {
            let store = open(path)?;
            let rows = match system {
                Some(q) => decisions::versions(&store, Some(find::system(&store, &q)?))?,
                None => {
                    let mut all = decisions::versions(&store, None)?;
                    for s in store.list::<riskverkstad_core::model::System>()? {
                        all.extend(decisions::versions(&store, Some(s.id))?);
                    }
                    all
                }
            };
            if json {
                output::json(out, &rows)?;
                return Ok(0);
            }
            if rows.is_empty() {
                let _ = writeln!(out, "Inga beslut.");
            }
            for v in rows {
                let _ = writeln!(
                    out,
                    "{}  {} v{}  {}  {}  {}  {}",
                    v.id,
                    v.title,
                    v.version,
                    v.state.label(),
                    v.decided_on.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
                    v.decided_by.unwrap_or_else(|| "–".into()),
                    match &v.document_sha256 {
                        Some(sha) => format!("PDF {} byte, SHA-256 {sha}", v.document_bytes),
                        None => "utan arkiverad PDF".into(),
                    }
                );
            }
            Ok(0)
        }
        DecisionCommand::Save { id, out: file } => {
            let store = open(path)?;
            let id = id.trim().parse().map_err(|_| usage(format!("\"{id}\" är inget beslut-id")))?;
            let (d, bytes) = decisions::document_of(&store, id)?;
            write_file(&file, &bytes)?;
            let _ = writeln!(
                out,
                "Skrev {} ({} version {}, {} byte, SHA-256 {}).",
                file.display(),
                d.title,
                d.version,
                bytes.len(),
                decisions::sha256_hex(&bytes)
            );
            Ok(0)
        }
    }
}
