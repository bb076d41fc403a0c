//! The handlingsplan: `actions list`, `actions new` and `actions set` (progress, owner, due
//! date, close).

use crate::{Failure, date, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::ids::RiskId;
use riskverkstad_core::model::{Action, ActionStatus, NewAction, Risk};
use riskverkstad_core::ops;
use riskverkstad_core::store::Read;
use riskverkstad_core::views::{ActionPlanRow, action_plan};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum ActionsCommand {
    /// Listar åtgärderna, öppna först efter datum; med filter.
    List {
        /// Bara detta system (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: Option<String>,
        /// Bara denna ansvariga (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        owner: Option<String>,
        /// Bara denna status: planerad, pagar, genomford, avbruten, eller oppen (planerad och pågår).
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
        /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
        #[arg(long, value_name = "DATUM", value_parser = date)]
        today: Option<NaiveDate>,
    },
    /// Skapar en åtgärd (planerad), kopplad till ett krav eller en risk om de anges.
    New(NewArgs),
    /// Ändrar en åtgärd: status, ansvarig, datum, text.
    Set(SetArgs),
}

#[derive(Args)]
pub struct NewArgs {
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: String,
    /// Vad som ska göras.
    #[arg(long, value_name = "TEXT")]
    title: String,
    /// Beskrivning.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// Ansvarig (namn eller e-post).
    #[arg(long, value_name = "NAMN")]
    owner: Option<String>,
    /// Klar senast (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    due: Option<NaiveDate>,
    /// Kravet vars brist åtgärden stänger (kod, "K-03").
    #[arg(long, value_name = "KOD", conflicts_with = "risk")]
    requirement: Option<String>,
    /// Risken åtgärden behandlar (riskens id).
    #[arg(long, value_name = "ID")]
    risk: Option<String>,
}

#[derive(Args)]
pub struct SetArgs {
    /// Åtgärdens id (eller början av det, minst 8 tecken).
    id: String,
    /// planerad, pagar, genomford eller avbruten.
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Ansvarig (namn eller e-post); tom sträng tar bort.
    #[arg(long, value_name = "NAMN")]
    owner: Option<String>,
    /// Klar senast (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = date)]
    due: Option<NaiveDate>,
    /// Genomförd den (ÅÅÅÅ-MM-DD); annars i dag när åtgärden stängs.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    completed_on: Option<NaiveDate>,
    /// Ny rubrik.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Ny beskrivning.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// Anteckning om läget.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

/// One action as `actions list --json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    id: String,
    title: &'a str,
    description: &'a str,
    system: Option<&'a str>,
    system_id: Option<String>,
    owner: Option<&'a str>,
    due_on: Option<NaiveDate>,
    status: &'static str,
    completed_on: Option<NaiveDate>,
    note: &'a str,
    overdue: bool,
    risks: &'a [String],
    requirements: &'a [String],
    condition_of: Option<&'a str>,
}

pub fn run(path: &Path, command: ActionsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        ActionsCommand::List { system, owner, status, json, today: day } => {
            list(path, system, owner, status, json, day, out)
        }
        ActionsCommand::New(args) => new(path, args, out),
        ActionsCommand::Set(args) => set(path, args, out),
    }
}

/// The status filter: a status, or "oppen" (planerad and pågår).
fn status_filter(text: &str) -> Result<Box<dyn Fn(ActionStatus) -> bool>, Failure> {
    match text.trim().to_lowercase().as_str() {
        "oppen" | "öppen" | "oppna" | "öppna" | "open" => Ok(Box::new(ActionStatus::is_open)),
        t => {
            let wanted = parse_status(t)?;
            Ok(Box::new(move |s| s == wanted))
        }
    }
}

fn parse_status(text: &str) -> Result<ActionStatus, Failure> {
    ActionStatus::parse(text)
        .ok_or_else(|| usage(format!("okänd status «{text}»; välj planerad, pagar, genomford eller avbruten")))
}

fn list(
    path: &Path,
    system: Option<String>,
    owner: Option<String>,
    status: Option<String>,
    json: bool,
    day: Option<NaiveDate>,
    out: &mut String,
) -> Result<u8, Failure> {
    let keep_status = status.as_deref().map(status_filter).transpose()?;
    let store = open(path)?;
    let system = system.map(|s| find::system(&store, &s)).transpose()?;
    let owner = owner.map(|p| find::person(&store, &p)).transpose()?;
    let rows: Vec<ActionPlanRow> = action_plan(&store, today(day))?
        .into_iter()
        .filter(|r| system.is_none() || r.action.system_id == system)
        .filter(|r| owner.is_none() || r.action.responsible_id == owner)
        .filter(|r| keep_status.as_ref().is_none_or(|k| k(r.action.status)))
        .collect();
    let lines: Vec<Line> = rows.iter().map(line).collect();
    if json {
        output::json(out, &lines)?;
        return Ok(0);
    }
    if lines.is_empty() {
        let _ = writeln!(out, "Inga åtgärder.");
        return Ok(0);
    }
    for l in &lines {
        let due = l.due_on.map(|d| d.to_string()).unwrap_or_else(|| "–".into());
        let _ = writeln!(
            out,
            "{}  {:<10}{}  {:<10}  {}  [{}{}]",
            riskverkstad_core::find::short_id(&l.id),
            due,
            if l.overdue { " FÖRSENAD" } else { "" },
            ActionStatus::parse(l.status).map(|s| s.label()).unwrap_or(""),
            l.title,
            l.system.unwrap_or("–"),
            l.owner.map(|o| format!(", {o}")).unwrap_or_default()
        );
    }
    let overdue = lines.iter().filter(|l| l.overdue).count();
    let _ = writeln!(out, "{} åtgärder, {overdue} försenade.", lines.len());
    Ok(0)
}

fn line(r: &ActionPlanRow) -> Line<'_> {
    let a = &r.action;
    Line {
        id: a.id.to_string(),
        title: &a.title,
        description: &a.description,
        system: r.system.as_deref(),
        system_id: a.system_id.map(|s| s.to_string()),
        owner: r.responsible.as_deref(),
        due_on: a.due_on,
        status: a.status.key(),
        completed_on: a.completed_on,
        note: &a.note,
        overdue: r.overdue,
        risks: &r.risks,
        requirements: &r.requirements,
        condition_of: r.condition_of.as_deref(),
    }
}

fn new(path: &Path, args: NewArgs, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    let system_id = find::system(&store, &args.system)?;
    let responsible_id = args.owner.map(|p| find::person(&store, &p)).transpose()?;
    let requirement_id = args.requirement.map(|c| find::requirement(&store, &c)).transpose()?;
    let risk_id = match args.risk {
        Some(text) => {
            let id: RiskId = text
                .trim()
                .parse()
                .map_err(|_| usage(format!("«{text}» är inget risk-id (se `riskverkstad systems show`)")))?;
            store.get::<Risk>(id)?;
            Some(id)
        }
        None => None,
    };
    let new = NewAction {
        title: args.title,
        description: args.description.unwrap_or_default(),
        system_id: Some(system_id),
        responsible_id,
        due_on: args.due,
        risk_id,
        requirement_id,
    };
    let action = ops::add_action(&mut store, &new)?;
    let _ = writeln!(out, "{}", action.id);
    Ok(0)
}

fn set(path: &Path, args: SetArgs, out: &mut String) -> Result<u8, Failure> {
    let status = args.status.as_deref().map(parse_status).transpose()?;
    let mut store = open(path)?;
    let id = find::action(&store, &args.id)?;
    let mut action: Action = store.get(id)?;
    if let Some(s) = status {
        action.status = s;
    }
    if let Some(owner) = args.owner {
        action.responsible_id = match owner.trim() {
            "" => None,
            name => Some(find::person(&store, name)?),
        };
    }
    if let Some(d) = args.due {
        action.due_on = Some(d);
    }
    if let Some(d) = args.completed_on {
        if action.status.is_open() {
            return Err(usage(format!(
                "--completed-on gäller en genomförd eller avbruten åtgärd, och «{}» är {}; ange också --status genomford",
                action.title,
                action.status.label().to_lowercase()
            )));
        }
        action.completed_on = Some(d);
    }
    if let Some(t) = args.title {
        action.title = t.trim().to_string();
    }
    if let Some(t) = args.description {
        action.description = t.trim().to_string();
    }
    if let Some(t) = args.note {
        action.note = t.trim().to_string();
    }
    let stored = ops::save_action(&mut store, action, today(None))?;
    let _ = writeln!(
        out,
        "«{}»: {}{}.",
        stored.title,
        stored.status.label().to_lowercase(),
        stored.completed_on.map(|d| format!(" {d}")).unwrap_or_default()
    );
    Ok(0)
}
