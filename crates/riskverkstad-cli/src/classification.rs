//! Information classification: `classification list` (a system's sets and their
//! classification in force), `new` (a workshop's draft), `decide` (the owner's
//! fastställande), `raise` and `withdraw` (a raise of the system's protection level).

use crate::{Failure, date, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::find;
use riskverkstad_core::ids::ProtectionRaiseId;
use riskverkstad_core::method::Aspect;
use riskverkstad_core::model::{
    AspectDraft, ClassificationDraft, Faststallande, Person, ProtectionRaise, RaiseReason, Role,
};
use riskverkstad_core::ops;
use riskverkstad_core::store::Read;
use riskverkstad_core::views::SystemView;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum ClassificationCommand {
    /// Listar systemets informationsmängder med gällande klassning och vem som fastställer den.
    List {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Registrerar en klassningsworkshops bedömning som ett utkast.
    New(NewArgs),
    /// Informationsägaren fastställer det senaste utkastet till klassning av en informationsmängd.
    Decide {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Informationsmängden (namn eller id).
        #[arg(long, value_name = "NAMN")]
        information_set: String,
        /// Informationsägaren som fastställer (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        decided_by: String,
        /// Fastställd den (ÅÅÅÅ-MM-DD); annars i dag.
        #[arg(long, value_name = "DATUM", value_parser = date)]
        date: Option<NaiveDate>,
        /// Deltagare, kommaseparerade (annars workshopens).
        #[arg(long, value_name = "NAMN, NAMN")]
        participants: Option<String>,
    },
    /// Höjer systemets skyddsnivå över informationens (ackumulering, aggregering, integration).
    Raise(RaiseArgs),
    /// Återkallar en höjning av skyddsnivån (höjningens id).
    Withdraw {
        /// Höjningens id.
        id: String,
    },
}

#[derive(Args)]
pub struct NewArgs {
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: String,
    /// Informationsmängden (namn eller id).
    #[arg(long, value_name = "NAMN")]
    information_set: String,
    /// En aspekts nivå och motivering, "K=2:Personuppgifter om brukare"; kan upprepas.
    #[arg(long, value_name = "ASPEKT=NIVÅ:MOTIVERING", required = true)]
    level: Vec<String>,
    /// Deltagare, kommaseparerade.
    #[arg(long, value_name = "NAMN, NAMN")]
    participants: Option<String>,
    /// Workshopens datum (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Args)]
pub struct RaiseArgs {
    /// Systemet (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: String,
    /// Aspekten: K, R, T eller S.
    #[arg(long, value_name = "ASPEKT")]
    aspect: String,
    /// Nivån den höjs till.
    #[arg(long, value_name = "NIVÅ")]
    level: u8,
    /// ackumulering, aggregering eller integration.
    #[arg(long, value_name = "SKÄL")]
    reason: String,
    /// Motivering.
    #[arg(long, value_name = "TEXT")]
    motivation: String,
    /// Vem som beslutade (namn eller e-post).
    #[arg(long, value_name = "NAMN")]
    decided_by: Option<String>,
    /// Beslutsdatum (ÅÅÅÅ-MM-DD); annars i dag.
    #[arg(long, value_name = "DATUM", value_parser = date)]
    date: Option<NaiveDate>,
}

/// One information set as `classification list --json` writes it.
#[derive(Serialize)]
struct Line {
    information_set: String,
    status: Option<&'static str>,
    levels: Vec<(Aspect, u8)>,
    classified_on: Option<NaiveDate>,
    decided_by: Option<String>,
    decided_on: Option<NaiveDate>,
    /// Who decides it: the set's informationsägare.
    owners: Vec<String>,
}

pub fn run(path: &Path, command: ClassificationCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        ClassificationCommand::List { system, json } => list(path, &system, json, out),
        ClassificationCommand::New(args) => new(path, args, out),
        ClassificationCommand::Decide { system, information_set, decided_by, date, participants } => {
            let mut store = open(path)?;
            let system = find::system(&store, &system)?;
            let set = find::information_set(&store, system, &information_set)?;
            let draft = ops::pending_classification(&store, set)?;
            let decided_by = find::person(&store, &decided_by)?;
            let f = Faststallande {
                classification_id: draft.id,
                decided_by,
                decided_on: date,
                participants: participants.map(|p| split(&p)),
            };
            let c = ops::decide_classification(&mut store, &f, today(None))?;
            let _ = writeln!(
                out,
                "Klassningen fastställd {} ({}).",
                c.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                levels(&c.assessments.iter().map(|a| (a.aspect, a.level)).collect::<Vec<_>>())
            );
            Ok(0)
        }
        ClassificationCommand::Raise(args) => raise(path, args, out),
        ClassificationCommand::Withdraw { id } => {
            let id: ProtectionRaiseId =
                id.trim().parse().map_err(|_| usage(format!("«{id}» är inget id för en höjning")))?;
            let mut store = open(path)?;
            ops::withdraw_raise(&mut store, id)?;
            let _ = writeln!(out, "Höjningen är återkallad.");
            Ok(0)
        }
    }
}

fn split(list: &str) -> Vec<String> {
    list.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

fn levels(levels: &[(Aspect, u8)]) -> String {
    levels.iter().map(|(a, l)| format!("{}{l}", a.key())).collect::<Vec<_>>().join(" ")
}

fn list(path: &Path, system: &str, json: bool, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let id = find::system(&store, system)?;
    let view = SystemView::load(&store, id, today(None))?;
    let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let lines: Vec<Line> = view
        .information_sets
        .iter()
        .map(|s| {
            let c = s.classification.as_ref();
            Line {
                information_set: s.set.name.clone(),
                status: c.map(|c| c.status.key()),
                levels: c.map(|c| c.assessments.iter().map(|a| (a.aspect, a.level)).collect()).unwrap_or_default(),
                classified_on: c.map(|c| c.classified_on),
                decided_by: c.and_then(|c| c.decided_by).and_then(|p| people.get(&p).cloned()),
                decided_on: c.and_then(|c| c.decided_on),
                owners: s
                    .roles
                    .iter()
                    .filter(|r| r.assignment.role == Role::Informationsagare)
                    .map(|r| r.person.clone())
                    .collect(),
            }
        })
        .collect();
    if json {
        output::json(out, &lines)?;
        return Ok(0);
    }
    for l in &lines {
        let state = match (l.status, &l.decided_by) {
            (None, _) => "ej klassad".to_string(),
            (Some("faststalld"), Some(by)) => {
                format!("fastställd {} av {by}", l.decided_on.map(|d| d.to_string()).unwrap_or_default())
            }
            _ => "utkast".to_string(),
        };
        let owners = if l.owners.is_empty() { "ingen informationsägare".into() } else { l.owners.join(", ") };
        let _ = writeln!(out, "{}: {} – {state} – fastställs av {owners}", l.information_set, levels(&l.levels));
    }
    Ok(0)
}

fn new(path: &Path, args: NewArgs, out: &mut String) -> Result<u8, Failure> {
    let mut assessments = Vec::new();
    for text in &args.level {
        let (aspect, rest) = text.split_once('=').ok_or_else(|| bad_level(text))?;
        let (level, motivering) = rest.split_once(':').ok_or_else(|| bad_level(text))?;
        let aspect = Aspect::parse(aspect).ok_or_else(|| bad_level(text))?;
        let level: u8 = level.trim().parse().map_err(|_| bad_level(text))?;
        assessments.push(AspectDraft { aspect, level: Some(level), areas: vec![], motivering: motivering.to_string() });
    }
    let mut store = open(path)?;
    let system = find::system(&store, &args.system)?;
    let set = find::information_set(&store, system, &args.information_set)?;
    let draft = ClassificationDraft {
        information_set_id: set,
        assessments,
        participants: args.participants.as_deref().map(split).unwrap_or_default(),
    };
    let c = ops::classify(&mut store, &draft, today(args.date))?;
    let _ = writeln!(
        out,
        "Utkast till klassning sparat ({}); fastställs av informationsägaren.",
        levels(&c.assessments.iter().map(|a| (a.aspect, a.level)).collect::<Vec<_>>())
    );
    Ok(0)
}

fn bad_level(text: &str) -> Failure {
    usage(format!("«{text}» ska skrivas ASPEKT=NIVÅ:MOTIVERING, till exempel K=2:Personuppgifter om brukare"))
}

fn raise(path: &Path, args: RaiseArgs, out: &mut String) -> Result<u8, Failure> {
    let aspect = Aspect::parse(&args.aspect)
        .ok_or_else(|| usage(format!("okänd aspekt «{}»; välj K, R, T eller S", args.aspect)))?;
    let reason = RaiseReason::parse(&args.reason).ok_or_else(|| {
        usage(format!("okänt skäl «{}»; välj ackumulering, aggregering eller integration", args.reason))
    })?;
    let mut store = open(path)?;
    let system_id = find::system(&store, &args.system)?;
    let decided_by = args.decided_by.map(|p| find::person(&store, &p)).transpose()?;
    let raise = ProtectionRaise {
        system_id,
        aspect,
        level: args.level,
        reason,
        motivering: args.motivation,
        decided_by,
        decided_on: today(args.date),
        ..Default::default()
    };
    let stored = ops::raise_protection(&mut store, raise)?;
    let _ = writeln!(
        out,
        "{} höjd till nivå {} ({}): {}",
        aspect.label(),
        stored.level,
        reason.label().to_lowercase(),
        stored.id
    );
    Ok(0)
}
