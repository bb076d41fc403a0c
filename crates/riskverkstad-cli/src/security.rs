//! Passphrases and backups on the command line: where a passphrase comes from
//! (`RISKVERKSTAD_PASSPHRASE`, `--passphrase-file`, or a prompt on a terminal), opening a
//! database with it, and the `passphrase` and `backup` commands.

use crate::{Failure, output, usage};
use clap::Subcommand;
use riskverkstad_core::Error;
use riskverkstad_core::backup::{self, BackupCheck, BackupInfo, BackupReason};
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::store::{FileKind, Passphrase, Store, file_kind};
use riskverkstad_core::usecase::{
    self,
    open::{Opened, Purpose},
};
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The environment variable holding the passphrase (for scripts; prefer the prompt).
pub const ENV_PASSPHRASE: &str = "RISKVERKSTAD_PASSPHRASE";
/// The environment variable holding the new passphrase for `passphrase change`.
pub const ENV_NEW_PASSPHRASE: &str = "RISKVERKSTAD_NEW_PASSPHRASE";

static PASSPHRASE_FILE: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Remembers `--passphrase-file` for every open of this run.
pub fn set_passphrase_file(file: Option<PathBuf>) {
    let _ = PASSPHRASE_FILE.set(file);
}

fn read_file(file: &Path) -> Result<Passphrase, Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure {
        message: format!("lösenfrasfilen {} kunde inte läsas: {e}", file.display()),
        hint: None,
        code: 1,
    })?;
    Ok(Passphrase::new(text))
}

fn prompt(label: &str) -> Result<Passphrase, Failure> {
    rpassword::prompt_password(label).map(Passphrase::new).map_err(|e| Failure {
        message: format!("lösenfrasen kunde inte läsas från terminalen: {e}"),
        hint: None,
        code: 1,
    })
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// The passphrase given for this run, if any: the environment, the file, else a prompt when
/// a terminal is attached and `ask` is set.
pub fn given(db: &Path, ask: bool) -> Result<Option<Passphrase>, Failure> {
    if let Ok(text) = std::env::var(ENV_PASSPHRASE) {
        return Ok(Some(Passphrase::new(text)));
    }
    if let Some(Some(file)) = PASSPHRASE_FILE.get() {
        return read_file(file).map(Some);
    }
    if ask && interactive() {
        return prompt(&format!("Lösenfras för {}: ", db.display())).map(Some);
    }
    Ok(None)
}

fn needed(db: &Path) -> Failure {
    Failure {
        message: format!("{} [passphrase_required]", Error::PassphraseRequired { path: db.to_path_buf() }),
        hint: Some(format!(
            "Ange lösenfrasen i miljövariabeln {ENV_PASSPHRASE}, i en fil med --passphrase-file, eller kör kommandot i en terminal."
        )),
        code: 1,
    }
}

/// Opens the existing database at `db` for `purpose`, asking for the passphrase when it is
/// encrypted. A damaged database is an error that names the newest backup that verifies.
pub fn open(db: &Path, purpose: Purpose) -> Result<Store, Failure> {
    let passphrase = match file_kind(db) {
        Ok(FileKind::Encrypted) => Some(given(db, true)?.ok_or_else(|| needed(db))?),
        _ => None,
    };
    match usecase::open::open(db, passphrase, purpose, Timestamp::now())? {
        Opened::Open { store, daily_backup } => {
            warn_backup(daily_backup);
            Ok(store)
        }
        Opened::NeedsPassphrase { .. } => Err(needed(db)),
        Opened::Damaged { error, backup, .. } => Err(damaged(db, error, backup)),
    }
}

/// Says on stderr that the day's backup could not be made (the command goes on).
pub fn warn_backup(daily: Result<Option<BackupInfo>, Error>) {
    if let Err(e) = daily {
        eprintln!("riskverkstad: varning: dagens säkerhetskopia kunde inte göras: {e}");
    }
}

/// A database that does not open, with the way out.
fn damaged(db: &Path, e: Error, backup: Option<BackupCheck>) -> Failure {
    let mut f = Failure::from(e);
    f.hint = Some(match backup {
        Some(c) => format!(
            "Den senaste säkerhetskopian som klarar kontrollen är {} ({}, {} system). Återställ den med `riskverkstad backup restore {}`.",
            c.backup.file_name,
            c.backup.taken_at.0.format("%Y-%m-%d %H:%M"),
            c.systems,
            c.backup.file_name
        ),
        None => format!("Det finns ingen säkerhetskopia som klarar kontrollen i {}.", backup::folder(db).display()),
    });
    f
}

/// A new passphrase: the environment, `file`, or typed twice at a terminal. Checked for length.
pub fn new_passphrase(file: Option<&Path>) -> Result<Passphrase, Failure> {
    let p = if let Ok(text) = std::env::var(ENV_NEW_PASSPHRASE) {
        Passphrase::new(text)
    } else if let Some(f) = file {
        read_file(f)?
    } else if interactive() {
        let first = prompt("Ny lösenfras: ")?;
        let s = riskverkstad_core::store::strength(first.expose());
        eprintln!("Styrka: {}{}", s.label, if s.hint.is_empty() { String::new() } else { format!(" – {}", s.hint) });
        let again = prompt("Samma lösenfras igen: ")?;
        if again.expose() != first.expose() {
            return Err(Failure {
                message: "lösenfraserna är inte lika; ingenting ändrades".into(),
                hint: None,
                code: 1,
            });
        }
        first
    } else {
        return Err(usage(format!(
            "ange den nya lösenfrasen i {ENV_NEW_PASSPHRASE}, med --new-passphrase-file eller i en terminal"
        )));
    };
    p.check_new()?;
    Ok(p)
}

#[derive(Subcommand)]
pub enum PassphraseCommand {
    /// Byter lösenfras, eller krypterar en okrypterad databas (en kontrollerad kopia byts in).
    Change {
        /// Fil med den nya lösenfrasen (annars RISKVERKSTAD_NEW_PASSPHRASE eller en fråga).
        #[arg(long, value_name = "FIL")]
        new_passphrase_file: Option<PathBuf>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Visar hur stark en lösenfras är (läses som en ny lösenfras), utan att ändra något.
    Strength,
}

#[derive(Subcommand)]
pub enum BackupCommand {
    /// Gör en säkerhetskopia nu (krypterad med databasens nyckel).
    Create {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Listar säkerhetskopiorna, nyaste först.
    List {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Öppnar varje säkerhetskopia och kör integritetskontrollen och kontrollen av
    /// granskningsloggens kedja.
    Verify {
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Visar hur mycket säkerhetskopiorna tar och gränsen för dem, eller sätter gränsen (i MB;
    /// de äldsta kopiorna tas bort tills de ryms, aldrig den nyaste).
    Limit {
        /// Den nya gränsen i MB (utelämnad: visa).
        mb: Option<u32>,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
    /// Återställer databasen från en säkerhetskopia (namn i mappen eller sökväg); det
    /// nuvarande läget kopieras först.
    Restore {
        /// Säkerhetskopian.
        file: PathBuf,
        /// Skriv JSON.
        #[arg(long)]
        json: bool,
    },
}

fn when(t: Timestamp) -> String {
    t.0.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn passphrase(db: &Path, command: PassphraseCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        PassphraseCommand::Change { new_passphrase_file, json } => {
            let store = open(db, Purpose::Maintenance)?;
            let was = store.is_encrypted();
            let new = new_passphrase(new_passphrase_file.as_deref())?;
            let strength = riskverkstad_core::store::strength(new.expose());
            let (store, rekeyed) = riskverkstad_core::backup::change_passphrase(store, new)?;
            if json {
                output::json(
                    out,
                    &serde_json::json!({ "encrypted": store.is_encrypted(), "was_encrypted": was, "strength": strength, "backups": rekeyed }),
                )?;
            } else {
                let _ = writeln!(
                    out,
                    "{} {}",
                    if was { "Lösenfrasen är bytt för" } else { "Databasen är nu krypterad:" },
                    db.display()
                );
                let _ = writeln!(
                    out,
                    "Styrka: {}{}",
                    strength.label,
                    if strength.hint.is_empty() { String::new() } else { format!(" – {}", strength.hint) }
                );
                let _ = writeln!(out, "Säkerhetskopior krypterade med den nya lösenfrasen: {}", rekeyed.backups);
                for l in &rekeyed.left_as_they_were {
                    let _ = writeln!(out, "  oförändrad: {l}");
                }
            }
            Ok(0)
        }
        PassphraseCommand::Strength => {
            let p = if let Ok(t) = std::env::var(ENV_NEW_PASSPHRASE) {
                Passphrase::new(t)
            } else {
                prompt("Lösenfras: ")?
            };
            let s = riskverkstad_core::store::strength(p.expose());
            let _ = writeln!(
                out,
                "{} ({} tecken){}",
                s.label,
                s.chars,
                if s.hint.is_empty() { String::new() } else { format!(" – {}", s.hint) }
            );
            Ok(if s.long_enough { 0 } else { 1 })
        }
    }
}

pub fn backup(db: &Path, command: BackupCommand, out: &mut String) -> Result<u8, Failure> {
    match command {
        BackupCommand::Create { json } => backup_create(db, json, out),
        BackupCommand::List { json } => backup_list(db, json, out),
        BackupCommand::Verify { json } => backup_verify(db, json, out),
        BackupCommand::Limit { mb, json } => backup_limit(db, mb, json, out),
        BackupCommand::Restore { file, json } => backup_restore(db, &file, json, out),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn usage_line(u: &riskverkstad_core::backup::BackupUsage) -> String {
    let copies = if u.count == 1 { "kopia" } else { "kopior" };
    format!("Totalt {} {copies}, {} av högst {} MB", u.count, megabytes(u.bytes), u.limit_mb)
}

/// `backup limit [MB]`: the backups' total size against its limit, or a new limit applied.
fn backup_limit(db: &Path, mb: Option<u32>, json: bool, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(db, Purpose::Maintenance)?;
    let usage = match mb {
        Some(mb) => riskverkstad_core::backup::set_limit(&mut store, mb, Timestamp::now())?,
        None => riskverkstad_core::backup::usage(&store)?,
    };
    if json {
        output::json(out, &usage)?;
    } else {
        let _ = writeln!(out, "{}", usage_line(&usage));
    }
    Ok(0)
}

/// `backup create`: a backup now (keyed like the database).
fn backup_create(db: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let store = open(db, Purpose::Maintenance)?;
    let b = riskverkstad_core::backup::create(&store, BackupReason::Manuell, Timestamp::now())?;
    if json {
        output::json(out, &b)?;
    } else {
        let _ = writeln!(
            out,
            "Säkerhetskopia: {}",
            riskverkstad_core::backup::folder_for(&store)?.join(&b.file_name).display()
        );
        let _ =
            writeln!(out, "Storlek: {} kB{}", b.bytes / 1024, if store.is_encrypted() { ", krypterad" } else { "" });
    }
    Ok(0)
}

/// `backup list`: the backups, newest first.
fn backup_list(db: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let store = open(db, Purpose::Maintenance)?;
    let list = riskverkstad_core::backup::list_for(&store)?;
    if json {
        output::json(out, &list)?;
    } else {
        let _ = writeln!(out, "Säkerhetskopior i {}:", riskverkstad_core::backup::folder_for(&store)?.display());
        for b in &list {
            let _ = writeln!(
                out,
                "  {}  {:<42} {:>8} kB  {}",
                when(b.taken_at),
                b.reason.label(),
                b.bytes / 1024,
                b.file_name
            );
        }
        if list.is_empty() {
            let _ = writeln!(out, "  (inga)");
        }
        let _ = writeln!(out, "{}", usage_line(&riskverkstad_core::backup::usage(&store)?));
    }
    Ok(0)
}

/// `backup verify`: every backup opened and checked; the restore test recorded when all pass.
fn backup_verify(db: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let mut store = open(db, Purpose::Maintenance)?;
    let checks = riskverkstad_core::backup::verify_all(&mut store, Timestamp::now())?;
    let failed = checks.iter().filter(|c| !c.ok).count();
    if json {
        output::json(out, &checks)?;
    } else {
        for c in &checks {
            let _ = writeln!(
                out,
                "{}  {}  {}",
                if c.ok { "ok  " } else { "FEL " },
                c.backup.file_name,
                if c.ok {
                    format!("{} system, {} loggposter, schemaversion {}", c.systems, c.audit_entries, c.schema_version)
                } else {
                    c.problems.join("; ")
                }
            );
        }
        let _ = writeln!(out, "{} säkerhetskopior kontrollerade, {failed} med fel.", checks.len());
        if checks.is_empty() {
            let _ = writeln!(out, "Det finns inga säkerhetskopior ännu: gör en med `riskverkstad backup create`.");
        } else if failed == 0 {
            let _ = writeln!(out, "Återläsningstestet är registrerat {}.", when(Timestamp::now()));
        }
    }
    Ok(if failed > 0 || checks.is_empty() { 1 } else { 0 })
}

/// `backup restore`: the database replaced by a backup (a name in the folder, or a path).
fn backup_restore(db: &Path, file: &Path, json: bool, out: &mut String) -> Result<u8, Failure> {
    let now = Timestamp::now();
    // A name in the backups folder, else a path.
    let in_folder = backup::folder(db).join(file);
    let backup_path =
        if file.components().count() == 1 && in_folder.is_file() { in_folder } else { file.to_path_buf() };
    let encrypted = |p: &Path| file_kind(p).is_ok_and(|k| k == FileKind::Encrypted);
    let key =
        if encrypted(db) || encrypted(&backup_path) { Some(given(db, true)?.ok_or_else(|| needed(db))?) } else { None };
    let store = match Store::unlock(db, key.clone()) {
        Ok(store) => riskverkstad_core::backup::restore(store, &backup_path, now)?,
        // A damaged (or missing) database cannot be opened: it is kept as it is and
        // replaced. A wrong passphrase replaces nothing.
        Err(Error::Corrupt { .. } | Error::NotADatabase { .. }) => backup::restore_file(db, &backup_path, key, now)?,
        Err(_) if !db.exists() => backup::restore_file(db, &backup_path, key, now)?,
        Err(e) => return Err(e.into()),
    };
    let systems = riskverkstad_core::store::Read::count::<riskverkstad_core::model::System>(&store)?;
    if json {
        output::json(out, &serde_json::json!({ "restored": file, "systems": systems, "check": store.check()? }))?;
    } else {
        let _ = writeln!(out, "Databasen {} är återställd från {} ({systems} system).", db.display(), file.display());
        let _ = writeln!(
            out,
            "Läget före återställningen finns kvar i {}.",
            riskverkstad_core::backup::folder_for(&store)?.display()
        );
    }
    Ok(0)
}
