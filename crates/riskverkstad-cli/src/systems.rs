//! The register and the yearly cycle: `systems list | show | new | add-set | role`, `due`.

use crate::{Failure, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::model::{Role, RoleAssignment};
use riskverkstad_core::ops::edit::Edit;
use riskverkstad_core::register_list::{Register, RegisterQuery, SortKey};
use riskverkstad_core::{find, gather, views::SystemView};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Subcommand)]
pub enum SystemsCommand {
    /// Listar system, med sökning och filter.
    List(ListArgs),
    /// Visar ett system med skyddsprofil, roller, information och risker.
    Show {
        /// Systemets namn, del av namnet eller id.
        system: String,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Lägger till ett system i förteckningen (skriver dess id); fälten ändras med `records set system`.
    New {
        /// Systemets namn.
        name: String,
        /// Förvaltningen (namn eller kortnamn).
        #[arg(long, value_name = "NAMN")]
        forvaltning: String,
    },
    /// Lägger till en informationsmängd som systemet hanterar (skriver dess id).
    AddSet {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Informationsmängdens namn.
        #[arg(long, value_name = "NAMN")]
        name: String,
        /// Beskrivning.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
    },
    /// Ger en person en roll för systemet, eller för en av dess informationsmängder.
    Role {
        /// Systemet (namn eller id).
        #[arg(long, value_name = "NAMN_ELLER_ID")]
        system: String,
        /// Rollen: systemagare, informationsagare, systemforvaltare, teknisk_forvaltare …
        #[arg(long, value_name = "ROLL")]
        role: String,
        /// Personen (namn eller e-post).
        #[arg(long, value_name = "NAMN")]
        person: String,
        /// Informationsmängden, för en roll för informationen (informationsägare).
        #[arg(long, value_name = "NAMN")]
        information_set: Option<String>,
    },
}

#[derive(Args)]
pub struct ListArgs {
    /// Ord som ska finnas i namn, alias, beskrivning, leverantör eller förvaltning.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// Bara denna förvaltning (namn eller kortnamn).
    #[arg(long, value_name = "NAMN")]
    forvaltning: Option<String>,
    /// Bara system vars högsta nivå är minst denna.
    #[arg(long, value_name = "NIVÅ")]
    min_level: Option<u8>,
    /// Bara kritiska system.
    #[arg(long)]
    critical: bool,
    /// Sortering: namn, forvaltning, niva, livscykel.
    #[arg(long, default_value = "namn")]
    sort: String,
    /// Skriv JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct DueArgs {
    /// Skriv JSON.
    #[arg(long)]
    json: bool,
    /// Räkna som om det vore denna dag (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", value_parser = crate::date)]
    today: Option<NaiveDate>,
    /// Bara detta system (namn eller id).
    #[arg(long, value_name = "NAMN_ELLER_ID")]
    system: Option<String>,
}

pub fn run(path: &Path, command: SystemsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        SystemsCommand::New { name, forvaltning } => {
            let mut store = open(path)?;
            let f = find::forvaltning(&store, &forvaltning)?;
            let system = riskverkstad_core::ops::create_system(&mut store, &name, f)?;
            let _ = writeln!(out, "{}", system.id);
            Ok(0)
        }
        SystemsCommand::AddSet { system, name, description } => {
            let mut store = open(path)?;
            let id = find::system(&store, &system)?;
            let set =
                riskverkstad_core::ops::add_information_set(&mut store, id, &name, &description.unwrap_or_default())?;
            let _ = writeln!(out, "{}", set.id);
            Ok(0)
        }
        SystemsCommand::Role { system, role, person, information_set } => {
            let role = Role::parse(&role).ok_or_else(|| {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.key()).collect();
                usage(format!("okänd roll «{role}»; välj {}", all.join(", ")))
            })?;
            if role == Role::Informationsagare && information_set.is_none() {
                return Err(usage(
                    "en informationsägare äger en informationsmängd: ange den med --information-set".to_string(),
                ));
            }
            let mut store = open(path)?;
            let system = find::system(&store, &system)?;
            let person_id = find::person(&store, &person)?;
            let set = information_set.map(|n| find::information_set(&store, system, &n)).transpose()?;
            let assignment = RoleAssignment {
                person_id,
                role,
                system_id: if set.is_some() { None } else { Some(system) },
                information_set_id: set,
                ..Default::default()
            };
            RoleAssignment::save(&mut store, assignment, today(None))?;
            let _ = writeln!(out, "{} är {}.", person, role.label().to_lowercase());
            Ok(0)
        }
        SystemsCommand::List(args) => list(path, args, out),
        SystemsCommand::Show { system, json } => {
            let store = open(path)?;
            let id = find::system(&store, &system)?;
            let view = SystemView::load(&store, id, today(None))?;
            if json {
                output::json(out, &view)?;
            } else {
                output::system(out, &view);
            }
            Ok(0)
        }
    }
}

fn list(path: &Path, args: ListArgs, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let sort = match args.sort.as_str() {
        "namn" | "name" => SortKey::Name,
        "forvaltning" | "förvaltning" => SortKey::Forvaltning,
        "niva" | "nivå" | "level" => SortKey::Level,
        "livscykel" | "lifecycle" => SortKey::Lifecycle,
        other => {
            return Err(usage(format!("okänd sortering \"{other}\"; välj namn, forvaltning, niva eller livscykel")));
        }
    };
    let forvaltning = args.forvaltning.as_deref().map(|name| find::forvaltning(&store, name)).transpose()?;
    let register = Register::load(&store)?;
    let query = RegisterQuery {
        text: args.search.unwrap_or_default(),
        forvaltning,
        min_level: args.min_level,
        critical: args.critical.then_some(true),
        sort,
        ..Default::default()
    };
    let hits = register.search(&query);
    if args.json {
        output::json(out, &hits)?;
    } else {
        output::register_table(out, &hits, register.rows().len());
    }
    Ok(0)
}

/// `due`: the yearly cycle as of today (or `--today`).
pub fn due(path: &Path, args: DueArgs, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let system = args.system.map(|s| find::system(&store, &s)).transpose()?;
    let items: Vec<_> = gather::due_list(&store, today(args.today))?
        .into_iter()
        .filter(|i| system.is_none() || i.system_id == system)
        .collect();
    if args.json {
        output::json(out, &items)?;
    } else {
        output::due_table(out, &store, &items)?;
    }
    Ok(0)
}
