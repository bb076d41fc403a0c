//! The duties that come back: `controls list | show | new | done | stop | kinds`, and
//! time-limited exceptions: `exceptions new | list | withdraw`.

use crate::{Failure, date, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::method::Mandate;
use riskverkstad_core::model::{Control, ControlDone, ControlKind, ControlResult};
use riskverkstad_core::ops;
use riskverkstad_core::store::Read;
use riskverkstad_core::views::{self, ControlRow, ExceptionRow};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum ControlsCommand {
    /// Listar kontrollmomenten: försenade och snart aktuella först, sedan efter datum.
    List {
        /// Bara de som är försenade eller ska göras inom 30 dagar.
        #[arg(long)]
        due: bool,
        /// Bara detta system (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// Visar ett kontrollmoment med varje gång det gjorts.
    Show {
        /// Kontrollmomentets id (eller början eller slutet av det, minst 8 tecken) eller rubrik.
        id: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// Lägger upp ett återkommande kontrollmoment för ett system (eller en förvaltning).
    New(NewArgs),
    /// Registrerar att en kontroll är gjord: nästa datum flyttas, kraven den styrker bedöms,
    /// avvikelser blir en åtgärd.
    Done(DoneArgs),
    /// Avslutar ett kontrollmoment (det görs inte längre); historiken finns kvar.
    Stop {
        /// Kontrollmomentets id eller rubrik.
        id: String,
        /// Från denna dag (ÅÅÅÅ-MM-DD); annars i dag.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        date: Option<NaiveDate>,
    },
    /// Lägger till en egen kontrolltyp, eller ändrar en med samma namn.
    Kind {
        /// Namnet ("Granskning av brandväggsregler").
        name: String,
        /// Hur ofta, i månader.
        #[arg(long, value_name = "MÅNADER")]
        interval: Option<u8>,
        /// Kraven en gjord kontroll styrker, kommaseparerade koder ("K-08,K-03").
        #[arg(long, value_name = "KODER")]
        requirements: Option<String>,
        /// Mätvärden: inga, konton eller aterlasning.
        #[arg(long, value_name = "MÄTVÄRDEN", value_parser = figures)]
        figures: Option<riskverkstad_core::model::ControlFigures>,
        /// Vad som görs och vad det visar.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// Listar kontrolltyperna med intervall och de krav de styrker.
    Kinds {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct NewArgs {
    /// Kontrolltypen (namn, t.ex. Behörighetsgranskning; se `controls kinds`).
    #[arg(long, value_name = "TYP")]
    kind: String,
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID", conflicts_with = "forvaltning")]
    system: Option<String>,
    /// Förvaltningen, för ett kontrollmoment utan system.
    #[arg(long, value_name = "NAMN")]
    forvaltning: Option<String>,
    /// Den som gör kontrollen (namn eller e-post).
    #[arg(long, value_name = "NAMN")]
    responsible: Option<String>,
    /// Hur ofta, i månader (annars typens).
    #[arg(long, value_name = "MÅNADER")]
    interval: Option<u8>,
    /// Hur kontrollen görs ("samkörs mot lönesystemet").
    #[arg(long, value_name = "TEXT")]
    method: Option<String>,
    /// När den ska göras första gången (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    first_due: Option<NaiveDate>,
    /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    today: Option<NaiveDate>,
}

#[derive(Args)]
pub struct DoneArgs {
    /// Kontrollmomentets id (eller början eller slutet av det, minst 8 tecken) eller rubrik.
    id: String,
    /// När kontrollen gjordes (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    date: NaiveDate,
    /// Vem som gjorde den.
    #[arg(long, value_name = "NAMN")]
    by: String,
    /// utan_anmarkning eller med_avvikelser.
    #[arg(long, value_name = "RESULTAT", value_parser = result)]
    result: ControlResult,
    /// En anteckning (med avvikelser: vad som hittades, om --findings saknas).
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Avvikelserna som hittades (blir en åtgärd).
    #[arg(long, value_name = "TEXT")]
    findings: Option<String>,
    /// Hur kontrollen gjordes denna gång.
    #[arg(long, value_name = "TEXT")]
    method: Option<String>,
    /// Antal granskade konton (behörighetsgranskning).
    #[arg(long, value_name = "ANTAL")]
    accounts_reviewed: Option<u32>,
    /// Antal borttagna konton (behörighetsgranskning).
    #[arg(long, value_name = "ANTAL")]
    accounts_removed: Option<u32>,
    /// Uppnådd återställningstid i timmar (återläsningstest), jämförs med systemets RTO.
    #[arg(long, value_name = "TIMMAR")]
    restore_hours: Option<u32>,
    /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    today: Option<NaiveDate>,
}

fn result(text: &str) -> Result<ControlResult, String> {
    ControlResult::parse(text)
        .ok_or_else(|| format!("«{text}» är inget resultat; välj utan_anmarkning eller med_avvikelser"))
}

fn figures(text: &str) -> Result<riskverkstad_core::model::ControlFigures, String> {
    riskverkstad_core::model::ControlFigures::parse(text)
        .ok_or_else(|| format!("«{text}» är inga mätvärden; välj inga, konton eller aterlasning"))
}

fn mandate(text: &str) -> Result<Mandate, String> {
    Mandate::parse(text)
        .ok_or_else(|| format!("«{text}» är inget mandat; välj riskagare, systemagare, forvaltningschef eller namnd"))
}

#[derive(Subcommand)]
pub enum ExceptionsCommand {
    /// Registrerar ett tidsbegränsat avsteg från ett krav för ett system, godkänt inom
    /// riskbandets mandat.
    New(ExceptionArgs),
    /// Listar avstegen: de som gäller först, efter slutdatum.
    List {
        /// Bara detta system (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// Återkallar ett avsteg: kravet är en brist igen om det inte är uppfyllt.
    Withdraw {
        /// Avstegets id (eller början eller slutet av det, minst 8 tecken).
        id: String,
        /// Från denna dag (ÅÅÅÅ-MM-DD); annars i dag.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        date: Option<NaiveDate>,
    },
}

#[derive(Args)]
pub struct ExceptionArgs {
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: String,
    /// Kravet (kod, "K-06").
    #[arg(long, value_name = "KOD")]
    requirement: String,
    /// Sista dagen avsteget gäller (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    until: NaiveDate,
    /// Varför kravet inte uppfylls.
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Vem som godkände avsteget (en person i registret, namn eller e-post).
    #[arg(long, value_name = "NAMN")]
    approved_by: String,
    /// I vilken roll: riskagare, systemagare, forvaltningschef eller namnd (annars riskbandets lägsta).
    #[arg(long, value_name = "MANDAT", value_parser = mandate)]
    mandate: Option<Mandate>,
    /// Kompenserande åtgärder under tiden.
    #[arg(long, value_name = "TEXT")]
    compensating: Option<String>,
    /// Den accepterade risken: sannolikhet (metodens skala).
    #[arg(long, value_name = "NIVÅ", requires = "consequence")]
    probability: Option<u8>,
    /// Den accepterade risken: konsekvens (metodens skala).
    #[arg(long, value_name = "NIVÅ", requires = "probability")]
    consequence: Option<u8>,
    /// När avsteget godkändes (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    approved_on: Option<NaiveDate>,
    /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    today: Option<NaiveDate>,
}

/// One control as `controls list --json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    title: &'a str,
    kind: &'a str,
    scope: &'a str,
    system_id: Option<String>,
    responsible: Option<&'a str>,
    interval_months: u8,
    last_done: Option<NaiveDate>,
    last_result: Option<&'static str>,
    next_due: Option<NaiveDate>,
    /// "forsenad", "snart" or none.
    state: Option<&'static str>,
    runs: u32,
    requirements: &'a [String],
}

fn line(r: &ControlRow) -> Line<'_> {
    Line {
        id: r.control.id.to_string(),
        title: &r.control.title,
        kind: &r.kind,
        scope: &r.scope,
        system_id: r.control.system_id.map(|s| s.to_string()),
        responsible: r.responsible.as_deref(),
        interval_months: r.control.interval_months,
        last_done: r.last_done,
        last_result: r.last_result.map(|x| x.key()),
        next_due: r.next_due,
        state: r.state.map(|s| s.key()),
        runs: r.runs,
        requirements: &r.control.requirement_codes,
    }
}

pub fn controls(path: &Path, command: ControlsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        ControlsCommand::List { due, system, json, today: day } => {
            let store = open(path)?;
            let system = system.map(|s| find::system(&store, &s)).transpose()?;
            let rows: Vec<ControlRow> = views::controls(&store, system, today(day))?
                .into_iter()
                .filter(|r| !due || r.state.is_some())
                .collect();
            let lines: Vec<Line> = rows.iter().map(line).collect();
            if json {
                return output::json(out, &lines).map(|_| 0);
            }
            if lines.is_empty() {
                let _ = writeln!(out, "{}", if due { "Inga kontroller att göra." } else { "Inga kontrollmoment." });
                return Ok(0);
            }
            for r in &rows {
                let next = r.next_due.map(|d| d.to_string()).unwrap_or_else(|| "avslutat".into());
                let state = match r.state {
                    Some(riskverkstad_core::due::DueState::Forsenad) => " FÖRSENAD",
                    Some(riskverkstad_core::due::DueState::Snart) => " snart",
                    None => "",
                };
                let last = match (r.last_done, r.last_result) {
                    (Some(d), Some(res)) => format!("senast {d} {}", res.label().to_lowercase()),
                    _ => "aldrig gjord".into(),
                };
                let _ = writeln!(
                    out,
                    "{}  {next:<10}{state:<10} {}  [{last}{}]",
                    find::short_id(&r.control.id.to_string()),
                    r.control.title,
                    r.responsible.as_deref().map(|p| format!(", {p}")).unwrap_or_default()
                );
            }
            let late = rows.iter().filter(|r| r.state == Some(riskverkstad_core::due::DueState::Forsenad)).count();
            let _ = writeln!(out, "{} kontrollmoment, {late} försenade.", rows.len());
            Ok(0)
        }
        ControlsCommand::Show { id, json, today: day } => {
            let store = open(path)?;
            let id = find::control(&store, &id)?;
            let v = views::control_view(&store, id, today(day))?;
            if json {
                return output::json(out, &v).map(|_| 0);
            }
            let c = &v.row.control;
            let _ = writeln!(out, "{}\n{}", c.title, "=".repeat(c.title.chars().count()));
            let _ = writeln!(out, "Id: {}\nTyp: {}\nGäller: {}", c.id, v.row.kind, v.row.scope);
            let _ = writeln!(out, "Intervall: {}", c.interval_text());
            let _ = writeln!(out, "Ansvarig: {}", v.row.responsible.as_deref().unwrap_or("ingen angiven"));
            if !c.method.is_empty() {
                let _ = writeln!(out, "Metod: {}", c.method);
            }
            let _ = writeln!(
                out,
                "Nästa gång: {}",
                v.row.next_due.map(|d| d.to_string()).unwrap_or_else(|| "avslutat".into())
            );
            if !v.requirements.is_empty() {
                let _ = writeln!(out, "Styrker: {}", v.requirements.join("; "));
            }
            let _ = writeln!(out, "\nUtförda kontroller:");
            if v.runs.is_empty() {
                let _ = writeln!(out, "  Ingen ännu.");
            }
            for r in &v.runs {
                let _ = writeln!(out, "  {}  {}  {}", r.done_on, r.result.label(), r.done_by);
                if !r.findings.is_empty() {
                    let _ = writeln!(out, "      Avvikelser: {}", r.findings);
                }
            }
            Ok(0)
        }
        ControlsCommand::New(a) => {
            let mut store = open(path)?;
            let day = today(a.today);
            let draft = ops::NewControl {
                kind_id: find::control_kind(&store, &a.kind)?,
                system_id: a.system.map(|s| find::system(&store, &s)).transpose()?,
                forvaltning_id: a.forvaltning.map(|f| find::forvaltning(&store, &f)).transpose()?,
                responsible_id: a.responsible.map(|p| find::person(&store, &p)).transpose()?,
                interval_months: a.interval,
                method: a.method.unwrap_or_default(),
                first_due: a.first_due,
            };
            let c = ops::new_control(&mut store, &draft, day)?;
            let _ = writeln!(
                out,
                "Kontrollmomentet «{}» ({}) görs {}, första gången senast {}.",
                c.title,
                find::short_id(&c.id.to_string()),
                c.interval_text(),
                c.first_due
            );
            Ok(0)
        }
        ControlsCommand::Done(a) => {
            let mut store = open(path)?;
            let id = find::control(&store, &a.id)?;
            let note = a.note.unwrap_or_default();
            let findings = match (a.findings, a.result) {
                (Some(f), _) => f,
                (None, ControlResult::MedAvvikelser) => note.clone(),
                (None, ControlResult::UtanAnmarkning) => String::new(),
            };
            let done = ControlDone {
                control_id: id,
                done_on: a.date,
                done_by: a.by,
                result: a.result,
                findings,
                note,
                method: a.method.unwrap_or_default(),
                accounts_reviewed: a.accounts_reviewed,
                accounts_removed: a.accounts_removed,
                restore_hours: a.restore_hours,
            };
            let o = ops::control_done(&mut store, &done, today(a.today))?;
            let control: Control = store.get(id)?;
            let _ = writeln!(
                out,
                "«{}» gjord {} av {}: {}. Nästa gång senast {}.",
                control.title,
                o.run.done_on,
                o.run.done_by,
                o.run.result.label().to_lowercase(),
                o.next_due
            );
            let requirements = store.list::<riskverkstad_core::model::Requirement>()?;
            for s in &o.statuses {
                let code =
                    requirements.iter().find(|r| r.id == s.requirement_id).map(|r| r.code.as_str()).unwrap_or("?");
                let _ = writeln!(out, "  {code}: {} (underlag: kontrollen)", s.status.label().to_lowercase());
            }
            if let Some((h, rto)) = o.over_rto {
                let _ = writeln!(out, "  Återställningen tog {h} h, längre än systemets RTO på {rto} h.");
            }
            if let Some(action) = &o.action {
                let _ = writeln!(
                    out,
                    "  Avvikelserna blev åtgärden «{}» ({}), klar senast {}.",
                    action.title,
                    find::short_id(&action.id.to_string()),
                    action.due_on.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            Ok(0)
        }
        ControlsCommand::Stop { id, date: on } => {
            let mut store = open(path)?;
            let id = find::control(&store, &id)?;
            let c: Control = store.get(id)?;
            if c.ended_on.is_some() {
                return Err(usage(format!("«{}» är redan avslutat", c.title)));
            }
            let on = today(on);
            let title = c.title.clone();
            riskverkstad_core::ops::edit::Edit::save(&mut store, Control { ended_on: Some(on), ..c }, on)?;
            let _ = writeln!(out, "«{title}» är avslutat från {on}.");
            Ok(0)
        }
        ControlsCommand::Kind { name, interval, requirements, figures, description } => {
            let mut store = open(path)?;
            let existing = store
                .list::<ControlKind>()?
                .into_iter()
                .find(|k| k.name.trim().to_lowercase() == name.trim().to_lowercase());
            let is_new = existing.is_none();
            let base = existing.unwrap_or(ControlKind { interval_months: 12, ..Default::default() });
            let kind = ControlKind {
                name: name.trim().to_string(),
                interval_months: interval.unwrap_or(base.interval_months),
                requirement_codes: requirements
                    .map(|r| r.split(',').map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()).collect())
                    .unwrap_or_else(|| base.requirement_codes.clone()),
                figures: figures.unwrap_or(base.figures),
                description: description.map(|d| d.trim().to_string()).unwrap_or_else(|| base.description.clone()),
                ..base
            };
            let saved = riskverkstad_core::ops::save_control_kind(&mut store, kind)?;
            let _ = writeln!(
                out,
                "Kontrolltypen «{}» {}: var {} mån., styrker {}.",
                saved.name,
                if is_new { "är tillagd" } else { "är ändrad" },
                saved.interval_months,
                if saved.requirement_codes.is_empty() {
                    "inga krav".into()
                } else {
                    saved.requirement_codes.join(", ")
                }
            );
            Ok(0)
        }
        ControlsCommand::Kinds { json } => {
            let store = open(path)?;
            let kinds = store.list::<ControlKind>()?;
            if json {
                return output::json(out, &kinds).map(|_| 0);
            }
            for k in &kinds {
                let _ = writeln!(
                    out,
                    "{:<24} var {:>2} mån.  styrker {}{}",
                    k.name,
                    k.interval_months,
                    if k.requirement_codes.is_empty() { "–".into() } else { k.requirement_codes.join(", ") },
                    if k.builtin { "" } else { "  (egen)" }
                );
            }
            Ok(0)
        }
    }
}

/// One exception as `exceptions list --json` writes it.
#[derive(Serialize)]
struct ExceptionLine<'a> {
    id: String,
    system: &'a str,
    system_id: String,
    requirement: &'a str,
    title: &'a str,
    reason: &'a str,
    compensating: &'a str,
    approved_by: Option<&'a str>,
    approved_as: &'static str,
    approved_on: NaiveDate,
    valid_until: NaiveDate,
    withdrawn_on: Option<NaiveDate>,
    holds: bool,
    standing: &'a str,
    /// "forsenad" (ended, the gap is back), "snart" (ends within 30 days) or none.
    state: Option<&'static str>,
}

fn exception_line(r: &ExceptionRow) -> ExceptionLine<'_> {
    let e = &r.exception;
    ExceptionLine {
        id: e.id.to_string(),
        system: &r.system,
        system_id: e.system_id.to_string(),
        requirement: &r.code,
        title: &r.requirement,
        reason: &e.reason,
        compensating: &e.compensating,
        approved_by: r.approved_by.as_deref(),
        approved_as: e.approved_as.key(),
        approved_on: e.approved_on,
        valid_until: e.valid_until,
        withdrawn_on: e.withdrawn_on,
        holds: r.holds,
        standing: &r.standing,
        state: r.state.map(|s| s.key()),
    }
}

pub fn exceptions(path: &Path, command: ExceptionsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        ExceptionsCommand::New(a) => {
            let mut store = open(path)?;
            let draft = ops::NewException {
                system_id: find::system(&store, &a.system)?,
                requirement_id: find::requirement(&store, &a.requirement)?,
                reason: a.reason,
                compensating: a.compensating.unwrap_or_default(),
                probability: a.probability,
                consequence: a.consequence,
                approved_by: Some(find::person(&store, &a.approved_by)?),
                approved_as: a.mandate,
                approved_on: a.approved_on,
                valid_until: a.until,
            };
            let e = ops::new_exception(&mut store, &draft, today(a.today))?;
            let _ = writeln!(
                out,
                "Avsteg ({}) från {} gäller t.o.m. {}, godkänt som {}.",
                find::short_id(&e.id.to_string()),
                a.requirement.trim().to_uppercase(),
                e.valid_until,
                e.approved_as.label().to_lowercase()
            );
            Ok(0)
        }
        ExceptionsCommand::List { system, json, today: day } => {
            let store = open(path)?;
            let system = system.map(|s| find::system(&store, &s)).transpose()?;
            let rows = views::exceptions(&store, system, today(day))?;
            if json {
                let lines: Vec<ExceptionLine> = rows.iter().map(exception_line).collect();
                return output::json(out, &lines).map(|_| 0);
            }
            if rows.is_empty() {
                let _ = writeln!(out, "Inga avsteg.");
                return Ok(0);
            }
            for r in &rows {
                let _ = writeln!(
                    out,
                    "{}  {:<6} {:<24} {}{}  {}",
                    find::short_id(&r.exception.id.to_string()),
                    r.code,
                    r.system,
                    r.standing,
                    match r.state {
                        Some(riskverkstad_core::due::DueState::Forsenad) => " – BRIST IGEN",
                        Some(riskverkstad_core::due::DueState::Snart) => " – löper snart ut",
                        None => "",
                    },
                    r.exception.reason
                );
            }
            let holding = rows.iter().filter(|r| r.holds).count();
            let _ = writeln!(out, "{} avsteg, {holding} gäller i dag.", rows.len());
            Ok(0)
        }
        ExceptionsCommand::Withdraw { id, date: on } => {
            let mut store = open(path)?;
            let id = find::exception(&store, &id)?;
            let e = ops::withdraw_exception(&mut store, id, today(on))?;
            let _ = writeln!(out, "Avsteget är återkallat från {}.", e.withdrawn_on.unwrap_or_default());
            Ok(0)
        }
    }
}
