//! The register and the yearly cycle: `systems list`, `systems show`, `due`.

use crate::{Failure, open, output, today, usage};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use riskverkstad_core::register_list::{Register, RegisterQuery, SortKey};
use riskverkstad_core::{find, gather, views::SystemView};
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
    #[arg(long, value_name = "DATUM")]
    today: Option<NaiveDate>,
}

pub fn run(path: &Path, command: SystemsCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
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
    let items = gather::due_list(&store, today(args.today))?;
    if args.json {
        output::json(out, &items)?;
    } else {
        output::due_table(out, &store, &items)?;
    }
    Ok(0)
}
