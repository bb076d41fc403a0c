//! The database itself: `new`, `demo`, `check`, `info`, `audit`, `undo`.

use crate::{Failure, open, output, usage};
use chrono::NaiveDate;
use clap::Args;
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::store::{Passphrase, Store};
use riskverkstad_core::usecase::open::Opened;
use riskverkstad_core::{demo, ops};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Args)]
pub struct NewArgs {
    /// Organisationens namn (kommunen).
    #[arg(long, value_name = "NAMN")]
    organisation: String,
    /// Den första förvaltningens namn.
    #[arg(long, value_name = "NAMN")]
    forvaltning: String,
    /// Förvaltningens kortnamn.
    #[arg(long, value_name = "KORTNAMN", default_value = "")]
    short_name: String,
    /// Fil med lösenfrasen (annars RISKVERKSTAD_NEW_PASSPHRASE, RISKVERKSTAD_PASSPHRASE
    /// eller en fråga två gånger).
    #[arg(long, value_name = "FIL")]
    new_passphrase_file: Option<std::path::PathBuf>,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Antal system.
    #[arg(long, default_value_t = 60)]
    systems: usize,
    /// Slumpfrö: samma frö och dag ger samma kommun.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Dagen demon byggs för (ÅÅÅÅ-MM-DD); standard är i dag.
    #[arg(long, value_name = "DATUM")]
    today: Option<NaiveDate>,
}

#[derive(Args)]
pub struct AuditArgs {
    /// Bara ändringar av denna post (id).
    #[arg(long, value_name = "ID")]
    record: Option<String>,
    /// Högst så många (de senaste).
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Skriv JSON.
    #[arg(long)]
    json: bool,
}

/// `new`: a new, encrypted database with its organisation and first förvaltning.
pub fn new(path: &Path, args: NewArgs, out: &mut String) -> Result<u8, Failure> {
    if path.exists() {
        return Err(Failure {
            message: format!("{} finns redan; välj ett nytt filnamn med --db", path.display()),
            hint: None,
            code: 1,
        });
    }
    let passphrase = match std::env::var(crate::security::ENV_PASSPHRASE) {
        Ok(text)
            if args.new_passphrase_file.is_none() && std::env::var(crate::security::ENV_NEW_PASSPHRASE).is_err() =>
        {
            Passphrase::new(text)
        }
        _ => crate::security::new_passphrase(args.new_passphrase_file.as_deref())?,
    };
    let Opened::Open { mut store, daily_backup } =
        riskverkstad_core::usecase::open::create(path, passphrase, Timestamp::now())?
    else {
        return Err(Failure { message: format!("{} öppnades inte", path.display()), hint: None, code: 1 });
    };
    crate::security::warn_backup(daily_backup);
    ops::setup(&mut store, &args.organisation, &args.forvaltning, &args.short_name)?;
    let _ = writeln!(out, "Ny krypterad databas: {}", path.display());
    let _ = writeln!(out, "Säkerhetskopior sparas i {}", riskverkstad_core::backup::folder_for(&store)?.display());
    Ok(0)
}

/// `demo`: builds the demo municipality, encrypted when a passphrase is given.
pub fn demo(path: &Path, args: DemoArgs, out: &mut String) -> Result<u8, Failure> {
    if args.systems == 0 || args.systems > demo::MAX_SYSTEMS {
        return Err(usage(format!("--systems ska vara mellan 1 och {} (fick {})", demo::MAX_SYSTEMS, args.systems)));
    }
    let mut store = match crate::security::given(path, false)? {
        Some(p) if !path.exists() => Store::create(path, Some(p))?,
        Some(p) => Store::unlock(path, Some(p))?,
        None => Store::open(path)?,
    };
    let started = std::time::Instant::now();
    let summary =
        demo::build(&mut store, &demo::DemoConfig { systems: args.systems, seed: args.seed, today: args.today })?;
    output::demo_summary(out, path, &summary, started.elapsed());
    Ok(0)
}

/// `check`: the integrity check, the audit chain and every record against its last entry.
pub fn check(path: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    // The check reads the whole file itself: no quick check of it first.
    let store = crate::security::open(path, riskverkstad_core::usecase::open::Purpose::FullCheck)?;
    let report = store.check()?;
    if json {
        output::json(out, &report)?;
    } else if report.is_sound() {
        let _ = writeln!(
            out,
            "Databasen {} är hel: integritetskontrollen gick igenom, {} poster stämmer med granskningsloggen och loggens {} poster bildar en obruten kedja.",
            path.display(),
            report.records_checked,
            report.audit_entries
        );
    } else {
        eprintln!("Databasen {} har {} problem:", path.display(), report.problems.len());
        for p in &report.problems {
            eprintln!("  – {p}");
        }
        eprintln!("Återställ från en säkerhetskopia, eller kontakta den som förvaltar Riskverkstad.");
    }
    Ok(if report.is_sound() { 0 } else { 1 })
}

/// `info`: the file, schema, installation, method and record counts.
pub fn info(path: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let info = output::Info::load(&store)?;
    if json {
        output::json(out, &info)?;
    } else {
        info.print(out);
    }
    Ok(0)
}

/// `audit`: the newest entries of the audit log, or of one record.
pub fn audit(path: &Path, args: AuditArgs, out: &mut String) -> Result<u8, Failure> {
    let store = open(path)?;
    let mut entries = riskverkstad_core::exchange::with_makers(&store, store.audit_log(args.record.as_deref())?)?;
    let skip = entries.len().saturating_sub(args.limit);
    entries.drain(..skip);
    if args.json {
        output::json(out, &entries)?;
    } else {
        output::audit_table(out, &entries);
    }
    Ok(0)
}

/// `undo`: undoes the last change not yet undone (or shows what it would undo).
pub fn undo(path: &Path, dry_run: bool, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(path)?;
    if dry_run {
        match store.undo_target()? {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "Nästa ångring: «{}» ({}, {}, {} ändrade poster)",
                    t.action, t.at, t.actor, t.changes
                );
            }
            None => {
                let _ = writeln!(out, "Det finns ingen ändring att ångra.");
            }
        }
        return Ok(0);
    }
    let undone = store.undo()?;
    let _ = writeln!(out, "Ångrade «{undone}».");
    Ok(0)
}
