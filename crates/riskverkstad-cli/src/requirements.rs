//! Kravuppföljning: `requirements list` (a system's requirements with status and gap) and
//! `requirements set` (an assessment).

use crate::{Failure, date, open, output, today, usage};
use chrono::NaiveDate;
use clap::Subcommand;
use riskverkstad_core::find;
use riskverkstad_core::gather::RequirementRow;
use riskverkstad_core::model::{Assessment, Compliance, ExtraRequirement, Person, RequirementSource};
use riskverkstad_core::store::Read;
use riskverkstad_core::views::SystemView;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum RequirementsCommand {
    /// Listar kraven som gäller ett system på dess skyddsnivåer, med status och brister.
    List {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// Bedömer hur ett system uppfyller ett krav.
    Set {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Kravets kod ("K-03").
        #[arg(long, value_name = "KOD")]
        requirement: String,
        /// uppfyllt, delvis, ej_uppfyllt eller ej_tillampligt.
        #[arg(long, value_name = "STATUS")]
        status: String,
        /// Hur kravet uppfylls.
        #[arg(long, value_name = "TEXT")]
        how: Option<String>,
        /// Underlaget som visar det.
        #[arg(long, value_name = "TEXT")]
        evidence: Option<String>,
        /// Var underlaget finns (dokument, diarienummer, länk).
        #[arg(long, value_name = "TEXT")]
        evidence_ref: Option<String>,
        /// Varför kravet inte är tillämpligt (krävs för ej_tillampligt).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Vem som bedömde (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        assessed_by: Option<String>,
        /// Bedömningens datum (ÅÅÅÅ-MM-DD); annars i dag.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        date: Option<NaiveDate>,
    },
    /// Lägger ett tilläggskrav på ett system (utöver skyddsnivån), med källan; --remove tar bort det.
    Extra {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Kravets kod ("T-10").
        #[arg(long, value_name = "KOD")]
        requirement: String,
        /// lag, avtal, verksamhet eller hot.
        #[arg(long, value_name = "KÄLLA", value_parser = source, required_unless_present = "remove")]
        source: Option<RequirementSource>,
        /// Varifrån, i ord ("Driftavtal 2025-031, bilaga 2").
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Ta bort tilläggskravet.
        #[arg(long, conflicts_with_all = ["source", "note"])]
        remove: bool,
    },
}

fn source(text: &str) -> Result<RequirementSource, String> {
    RequirementSource::parse(text)
        .ok_or_else(|| format!("«{text}» är ingen källa; välj lag, avtal, verksamhet eller hot"))
}

/// One requirement as `requirements list --json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    code: &'a str,
    title: &'a str,
    aspect: &'a str,
    min_level: u8,
    /// The status key, or null when not assessed.
    status: Option<&'a str>,
    how: &'a str,
    reason: &'a str,
    evidence: &'a str,
    evidence_ref: &'a str,
    assessed_by: Option<String>,
    assessed_on: Option<NaiveDate>,
    gap: bool,
    due_again: bool,
    open_actions: usize,
    /// Why it applies: "basniva", "skyddsniva" or "tillaggskrav".
    basis: &'static str,
    /// The last day of the exception that holds, if one does.
    excepted_until: Option<NaiveDate>,
}

pub fn run(path: &Path, command: RequirementsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        RequirementsCommand::List { system, json, today: day } => {
            let store = open(path)?;
            let id = find::system(&store, &system)?;
            let view = SystemView::load(&store, id, today(day))?;
            let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
            let lines: Vec<Line> = view.requirements.iter().map(|r| line(r, &people)).collect();
            if json {
                output::json(out, &lines)?;
            } else {
                table(out, &view.system.name, &lines);
            }
            Ok(0)
        }
        RequirementsCommand::Set {
            system,
            requirement,
            status,
            how,
            evidence,
            evidence_ref,
            reason,
            assessed_by,
            date,
        } => {
            let status = Compliance::parse(&status).ok_or_else(|| {
                usage(format!("okänd status «{status}»; välj uppfyllt, delvis, ej_uppfyllt eller ej_tillampligt"))
            })?;
            let mut store = open(path)?;
            let system_id = find::system(&store, &system)?;
            let requirement_id = find::requirement(&store, &requirement)?;
            let assessed_by = assessed_by.map(|p| find::person(&store, &p)).transpose()?;
            let assessment = Assessment {
                requirement_id,
                status,
                how: how.unwrap_or_default(),
                reason: reason.unwrap_or_default(),
                evidence: evidence.unwrap_or_default(),
                evidence_ref: evidence_ref.unwrap_or_default(),
                assessed_by,
                assessed_on: date,
            };
            let stored = riskverkstad_core::ops::assess(&mut store, system_id, &[assessment], today(None))?;
            let code = store.get::<riskverkstad_core::model::Requirement>(requirement_id)?.code;
            let _ = writeln!(
                out,
                "{code}: {} (bedömt {}).",
                stored[0].status.label(),
                stored[0].assessed_on.map(|d| d.to_string()).unwrap_or_default()
            );
            Ok(0)
        }
        RequirementsCommand::Extra { system, requirement, source, note, remove } => {
            let mut store = open(path)?;
            let system_id = find::system(&store, &system)?;
            let requirement_id = find::requirement(&store, &requirement)?;
            let existing = store
                .list_by::<ExtraRequirement>("system_id", &system_id.to_string())?
                .into_iter()
                .find(|e| e.requirement_id == requirement_id);
            let code = store.get::<riskverkstad_core::model::Requirement>(requirement_id)?.code;
            if remove {
                let Some(e) = existing else {
                    return Err(usage(format!("{code} är inget tilläggskrav på systemet")));
                };
                riskverkstad_core::ops::remove_extra_requirement(&mut store, e.id)?;
                let _ = writeln!(out, "{code} är inte längre ett tilläggskrav på systemet.");
                return Ok(0);
            }
            let extra = ExtraRequirement {
                system_id,
                requirement_id,
                source: source.unwrap_or_default(),
                note: note.unwrap_or_default().trim().to_string(),
                ..existing.unwrap_or_default()
            };
            let saved = riskverkstad_core::ops::add_extra_requirement(&mut store, extra)?;
            let _ = writeln!(out, "{code} är tilläggskrav på systemet ({}).", saved.source.label().to_lowercase());
            Ok(0)
        }
    }
}

fn line<'a>(r: &'a RequirementRow, people: &HashMap<riskverkstad_core::ids::PersonId, String>) -> Line<'a> {
    let s = r.status.as_ref();
    Line {
        code: &r.requirement.code,
        title: &r.requirement.title,
        aspect: r.requirement.aspect.key(),
        min_level: r.requirement.min_level,
        status: s.map(|s| s.status.key()),
        how: s.map(|s| s.how.as_str()).unwrap_or(""),
        reason: s.map(|s| s.reason.as_str()).unwrap_or(""),
        evidence: s.map(|s| s.evidence.as_str()).unwrap_or(""),
        evidence_ref: s.map(|s| s.evidence_ref.as_str()).unwrap_or(""),
        assessed_by: s.and_then(|s| s.assessed_by).and_then(|p| people.get(&p).cloned()),
        assessed_on: s.and_then(|s| s.assessed_on),
        gap: r.gap,
        due_again: r.due_again,
        open_actions: r.actions.len(),
        basis: r.basis.key(),
        excepted_until: r.exception.as_ref().map(|e| e.valid_until),
    }
}

fn table(out: &mut String, system: &str, lines: &[Line]) {
    let gaps = lines.iter().filter(|l| l.gap).count();
    let _ = writeln!(out, "{system}: {} krav, {gaps} brister.", lines.len());
    for l in lines {
        let status = l.status.and_then(Compliance::parse).map(|c| c.label()).unwrap_or("Ej bedömt");
        let mark = match (l.gap, l.excepted_until, l.due_again) {
            (true, _, _) => "brist".to_string(),
            (false, Some(until), _) => format!("undantag t.o.m. {until}"),
            (false, None, true) => "bedöm igen".to_string(),
            _ => String::new(),
        };
        let basis = match l.basis {
            "basniva" => " [basnivå]",
            "tillaggskrav" => " [tilläggskrav]",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{:<6} {:<16} {:<10} {}{basis}{}",
            l.code,
            status,
            mark,
            l.title,
            if l.how.is_empty() { String::new() } else { format!(" — {}", l.how) }
        );
    }
}
