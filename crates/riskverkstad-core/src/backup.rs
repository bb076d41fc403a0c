//! Backups: consistent copies of the open database made with SQLite's online backup API,
//! encrypted with the database's own key, kept in a folder beside the database and rotated;
//! verifying them; restoring one; and changing the passphrase (or encrypting a plain
//! database) by writing a verified copy and swapping it in.
//!
//! Invariants:
//! - a backup or a re-keyed copy is written under a `.tmp` name, synced, and only then
//!   renamed into place: a crash leaves either the old file or the whole new one;
//! - the file being replaced by a restore is backed up first (or, when it cannot be opened,
//!   copied as it is), and the backup is verified before anything is replaced;
//! - rotation only ever deletes files whose names it made, and never the newest copy.

use crate::error::{Error, Result};
use crate::ids::Timestamp;
use crate::store::{FileKind, Passphrase, Read as _, Store, file_kind};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use rusqlite::Connection;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Daily copies kept: the newest of each of the last this many days with a copy.
pub const KEEP_DAILY: usize = 7;
/// Weekly copies kept (ISO weeks).
pub const KEEP_WEEKLY: usize = 4;
/// Monthly copies kept.
pub const KEEP_MONTHLY: usize = 12;

text_enum! {
    /// Why a backup was made.
    pub enum BackupReason {
        /// The first open of the day.
        Daglig = "daglig" / "Daglig",
        /// Before a bundle or register import.
        Import = "import" / "Före import",
        /// Before the schema was upgraded.
        Migrering = "migrering" / "Före uppgradering av databasen",
        /// Before a restore replaced the database.
        Aterlasning = "aterlasning" / "Före återläsning",
        /// Asked for.
        Manuell = "manuell" / "Manuell",
        /// A database that could not be opened, kept as it was before a restore replaced it.
        Skadad = "skadad" / "Skadad databas, sparad före återläsning",
    }
}

/// One backup file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupInfo {
    /// The file's name in the backups folder.
    pub file_name: String,
    /// When it was made.
    pub taken_at: Timestamp,
    /// Why.
    pub reason: BackupReason,
    /// Its size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// What verifying one backup found.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupCheck {
    /// The backup.
    pub backup: BackupInfo,
    /// Whether it opened with the key and passed the integrity and audit-chain checks.
    pub ok: bool,
    /// Its schema version.
    pub schema_version: usize,
    /// How many systems it holds.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub systems: u64,
    /// Audit entries checked.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub audit_entries: u64,
    /// What was wrong, in Swedish (empty when ok).
    pub problems: Vec<String>,
}

/// The backups folder of the database at `db`: `<name>-säkerhetskopior` beside it.
pub fn folder(db: &Path) -> PathBuf {
    let stem = stem(db);
    db.with_file_name(format!("{stem}-säkerhetskopior"))
}

fn stem(db: &Path) -> String {
    db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "databas".into())
}

const STAMP: &str = "%Y-%m-%d-%H%M%S%.3f";

fn file_name(db: &Path, at: Timestamp, reason: BackupReason) -> String {
    format!("{}-{}-{}.db", stem(db), at.0.format(STAMP), reason.key())
}

/// Reads a backup's time and reason from its name; `None` for any other file.
fn parse_name(db: &Path, name: &str) -> Option<(Timestamp, BackupReason)> {
    let rest = name.strip_prefix(&format!("{}-", stem(db)))?.strip_suffix(".db")?;
    let (stamp, reason) = rest.rsplit_once('-')?;
    let reason = BackupReason::ALL.iter().copied().find(|r| r.key() == reason)?;
    // A second copy in the same millisecond gets a "-2" before the reason.
    let stamp = match stamp.rsplit_once('-') {
        Some((s, n)) if n.len() < 3 && n.chars().all(|c| c.is_ascii_digit()) && s.len() >= 21 => s,
        _ => stamp,
    };
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
    Some((Timestamp(DateTime::from_naive_utc_and_offset(at, Utc)), reason))
}

/// The backups of the database at `db`, newest first.
pub fn list(db: &Path) -> Result<Vec<BackupInfo>> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(&dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((taken_at, reason)) = parse_name(db, &name) else { continue };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupInfo { file_name: name, taken_at, reason, bytes });
    }
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then_with(|| b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// Which of `taken` (any order) rotation keeps at `now`: every copy of the last 24 hours,
/// and the newest copy of each of the last [`KEEP_DAILY`] days, [`KEEP_WEEKLY`] ISO weeks and
/// [`KEEP_MONTHLY`] months that have a copy (as restic's `--keep-daily/-weekly/-monthly`).
/// Days, weeks and months are UTC. Pure.
pub fn keep(taken: &[Timestamp], now: Timestamp) -> Vec<bool> {
    let mut order: Vec<usize> = (0..taken.len()).collect();
    order.sort_by(|&a, &b| taken[b].cmp(&taken[a]));
    let mut kept = vec![false; taken.len()];
    let bucket = |key: &dyn Fn(Timestamp) -> (i32, u32), limit: usize, kept: &mut Vec<bool>| {
        let mut seen = HashSet::new();
        for &i in &order {
            if seen.len() == limit && !seen.contains(&key(taken[i])) {
                break;
            }
            if seen.insert(key(taken[i])) {
                kept[i] = true;
            }
        }
    };
    bucket(&|t| (t.0.year(), t.0.ordinal()), KEEP_DAILY, &mut kept);
    bucket(&|t| (t.0.iso_week().year(), t.0.iso_week().week()), KEEP_WEEKLY, &mut kept);
    bucket(&|t| (t.0.year(), t.0.month()), KEEP_MONTHLY, &mut kept);
    for (i, t) in taken.iter().enumerate() {
        if now.0.signed_duration_since(t.0) < chrono::Duration::hours(24) {
            kept[i] = true;
        }
    }
    kept
}

/// How long the copies made before a restore or a schema upgrade are kept whatever else
/// rotation decides: the state someone replaced must outlive the day they replaced it.
pub const KEEP_SAFETY_DAYS: i64 = 30;

/// Deletes the backups rotation does not keep; copies of a damaged database are left alone,
/// and copies made before a restore or an upgrade stay [`KEEP_SAFETY_DAYS`] days. A file that
/// cannot be deleted is left (the next rotation tries again). Returns the names deleted.
pub fn rotate(db: &Path, now: Timestamp) -> Result<Vec<String>> {
    let all: Vec<BackupInfo> = list(db)?.into_iter().filter(|b| b.reason != BackupReason::Skadad).collect();
    let taken: Vec<Timestamp> = all.iter().map(|b| b.taken_at).collect();
    let mut deleted = Vec::new();
    for (b, keep) in all.iter().zip(keep(&taken, now)) {
        let safety = matches!(b.reason, BackupReason::Aterlasning | BackupReason::Migrering)
            && now.0.signed_duration_since(b.taken_at.0) < chrono::Duration::days(KEEP_SAFETY_DAYS);
        if !keep && !safety && std::fs::remove_file(folder(db).join(&b.file_name)).is_ok() {
            deleted.push(b.file_name.clone());
        }
    }
    Ok(deleted)
}

/// Makes `path` (the backups folder, a database file) readable by its owner only, on
/// systems with Unix permissions. SQLite gives the WAL the database file's permissions.
pub(crate) fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Backup(format!("{}: {e}", path.display()))
}

/// `path` with `suffix` appended to its file name.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes `path` durable (through a handle that may write: Windows flushes only those).
fn sync(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.sync_all()).map_err(|e| io_error(path, e))
}

/// Makes the folder holding `path` durable, so that a rename or removal in it is (not
/// possible on Windows, where renames are durable by themselves).
fn sync_folder(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    #[cfg(not(unix))]
    let _ = dir;
}

/// Makes `tmp` durable and readable by its owner only, and moves it to `dest` in one step.
fn commit_file(tmp: &Path, dest: &Path) -> Result<()> {
    owner_only(tmp);
    sync(tmp)?;
    std::fs::rename(tmp, dest).map_err(|e| io_error(dest, e))?;
    sync_folder(dest);
    Ok(())
}

/// Removes the WAL, shared-memory index and journal beside `db` (closed), durably: their
/// frames must never be replayed onto a file that replaces it.
fn remove_sides(db: &Path) -> Result<()> {
    for side in ["-wal", "-shm", "-journal"] {
        let p = sibling(db, side);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| io_error(&p, e))?;
        }
    }
    sync_folder(db);
    Ok(())
}

/// After closing our connection, a WAL that is still there belongs to another connection (the
/// app, another CLI run): replacing the file under it would lose what it writes.
fn refuse_if_open_elsewhere(db: &Path) -> Result<()> {
    if sibling(db, "-wal").exists() {
        return Err(Error::Backup(format!(
            "Databasen {} är öppen i ett annat program (Riskverkstad-appen eller en annan körning). Stäng det och försök igen; ingenting har ändrats.",
            db.display()
        )));
    }
    Ok(())
}

/// Copies the database open on `conn` to `dest` with the online backup API, keyed with `key`
/// (the database's own), through a `.tmp` file.
pub(crate) fn copy_to(conn: &Connection, key: Option<&Passphrase>, dest: &Path) -> Result<()> {
    let tmp = sibling(dest, ".tmp");
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let mut to = Connection::open(&tmp)?;
        if let Some(k) = key {
            k.apply(&to)?;
        }
        rusqlite::backup::Backup::new(conn, &mut to)?.run_to_completion(1024, std::time::Duration::ZERO, None)?;
        // The copy is a single file: no WAL beside it to lose or to carry stale pages.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        to.close().map_err(|(_, e)| e)?;
        commit_file(&tmp, dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Backs up the database open on `conn` (the file `db`, keyed with `key`) into its backups
/// folder (made, owner-only, cleared of leftovers), named by `now` and `reason` ("-2", "-3" …
/// when that name is taken). Returns the name and the path. No rotation.
fn write_backup(
    conn: &Connection,
    key: Option<&Passphrase>,
    db: &Path,
    reason: BackupReason,
    now: Timestamp,
) -> Result<(String, PathBuf)> {
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    owner_only(&dir);
    clear_leftovers(&dir);
    let mut name = file_name(db, now, reason);
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("{}-{}-{n}-{}.db", stem(db), now.0.format(STAMP), reason.key());
        n += 1;
    }
    let dest = dir.join(&name);
    copy_to(conn, key, &dest)?;
    Ok((name, dest))
}

/// The backup made while opening a database whose schema is about to be upgraded (the
/// connection is not yet a [`Store`]).
pub(crate) fn before_migration(conn: &Connection, key: Option<&Passphrase>, db: &Path) -> Result<()> {
    write_backup(conn, key, db, BackupReason::Migrering, Timestamp::now()).map(|_| ())
}

/// Removes what an interrupted backup, rekey or restore left behind.
fn clear_leftovers(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().ends_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Removes the `.tmp` files an interrupted rekey, restore or backup of the database at `db`
/// left behind (each is a whole or partial encrypted copy; none is ever the only copy).
pub(crate) fn clear_interrupted(db: &Path) {
    for suffix in [".ny-nyckel.tmp", ".återläsning.tmp", ".återläsning.tmp.verify.tmp"] {
        let _ = std::fs::remove_file(sibling(db, suffix));
    }
    clear_leftovers(&folder(db));
}

/// Whether `key` opens (reads the header of) one of the three newest backups of `db`.
pub(crate) fn opens_with(db: &Path, key: &Passphrase) -> bool {
    list(db).unwrap_or_default().iter().filter(|b| b.reason != BackupReason::Skadad).take(3).any(|b| {
        let path = folder(db).join(&b.file_name);
        crate::store::schema_version_of(&path, FileKind::Encrypted, Some(key)).is_ok()
    })
}

/// Opens a copy of the backup at `path` (so that the backup itself is never written, not
/// even by a migration) with `key`, and runs the full check.
pub fn verify(
    path: &Path,
    key: Option<&Passphrase>,
) -> std::result::Result<(usize, u64, crate::store::CheckReport), Error> {
    let tmp = sibling(path, ".verify.tmp");
    let _ = std::fs::remove_file(&tmp);
    std::fs::copy(path, &tmp).map_err(|e| io_error(path, e))?;
    let result = (|| {
        let kind = file_kind(&tmp).map_err(|e| io_error(path, e))?;
        let version = crate::store::schema_version_of(&tmp, kind, key)?;
        let store = Store::open_for_check(&tmp, kind, key.cloned())?;
        let systems = crate::store::Read::count::<crate::model::System>(&store)?;
        let report = store.check()?;
        Ok((version, systems, report))
    })();
    let _ = std::fs::remove_file(&tmp);
    let _ = std::fs::remove_file(sibling(&tmp, "-wal"));
    let _ = std::fs::remove_file(sibling(&tmp, "-shm"));
    result.map_err(|e: Error| match e {
        Error::Open { detail, .. } => Error::Backup(format!("{}: {detail}", path.display())),
        other => other,
    })
}

fn check_of(db: &Path, backup: BackupInfo, key: Option<&Passphrase>) -> BackupCheck {
    let path = folder(db).join(&backup.file_name);
    match verify(&path, key) {
        Ok((schema_version, systems, report)) => BackupCheck {
            backup,
            ok: report.is_sound(),
            schema_version,
            systems,
            audit_entries: report.audit_entries,
            problems: report.problems,
        },
        Err(e) => {
            let problem = match e {
                Error::WrongPassphrase { .. } => {
                    "Öppnas inte med databasens lösenfras (den kan vara krypterad med en tidigare lösenfras)."
                        .to_string()
                }
                other => other.to_string(),
            };
            BackupCheck { backup, ok: false, schema_version: 0, systems: 0, audit_entries: 0, problems: vec![problem] }
        }
    }
}

/// The newest backup of the database at `db` that verifies with `key`, if any: what to
/// offer when the database itself does not open.
pub fn newest_sound(db: &Path, key: Option<&Passphrase>) -> Result<Option<BackupCheck>> {
    for b in list(db)? {
        let check = check_of(db, b, key);
        if check.ok {
            return Ok(Some(check));
        }
    }
    Ok(None)
}

/// Copies the backup at `backup` beside the database as the file that will replace it, so
/// that rotation or anything else touching the backups folder cannot take it away midway;
/// refuses a plain backup for an encrypted database (restoring it would drop the encryption).
fn prepare_restore(db: &Path, backup: &Path, encrypted: bool) -> Result<PathBuf> {
    if encrypted && file_kind(backup).map_err(|e| io_error(backup, e))? != FileKind::Encrypted {
        return Err(Error::Backup(format!(
            "Säkerhetskopian {} är inte krypterad men databasen är det; den läses inte tillbaka.",
            backup.display()
        )));
    }
    let tmp = sibling(db, ".återläsning.tmp");
    let _ = std::fs::remove_file(&tmp);
    std::fs::copy(backup, &tmp).map_err(|e| io_error(backup, e))?;
    Ok(tmp)
}

/// Verifies the prepared copy with `key`; removes it when it does not pass.
fn verify_prepared(tmp: &Path, backup: &Path, key: Option<&Passphrase>) -> Result<()> {
    let report = match verify(tmp, key) {
        Ok((_, _, report)) => report,
        Err(e) => {
            let _ = std::fs::remove_file(tmp);
            return Err(e);
        }
    };
    if !report.is_sound() {
        let _ = std::fs::remove_file(tmp);
        return Err(Error::Backup(format!(
            "Säkerhetskopian {} klarar inte kontrollen och läses inte tillbaka: {}",
            backup.display(),
            report.problems.join("; ")
        )));
    }
    Ok(())
}

/// Restores the database at `db`, which is closed and may not open at all (damaged), from
/// `backup`: verifies a copy of the backup with `key`, keeps the current file (and its WAL) as
/// it is in the backups folder, replaces it and opens the result.
pub fn restore_file(db: &Path, backup: &Path, key: Option<Passphrase>, now: Timestamp) -> Result<Store> {
    let tmp = prepare_restore(db, backup, key.is_some())?;
    verify_prepared(&tmp, backup, key.as_ref())?;
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    owner_only(&dir);
    if db.is_file() {
        let kept = dir.join(file_name(db, now, BackupReason::Skadad));
        let copy = sibling(&kept, ".tmp");
        std::fs::copy(db, &copy).map_err(|e| io_error(db, e))?;
        let wal = sibling(db, "-wal");
        if wal.is_file() {
            std::fs::copy(&wal, sibling(&kept, "-wal")).map_err(|e| io_error(&wal, e))?;
            owner_only(&sibling(&kept, "-wal"));
        }
        commit_file(&copy, &kept)?;
    }
    remove_sides(db)?;
    commit_file(&tmp, db)?;
    let mut store = Store::unlock(db, key)?;
    store.mark_restore_tested(now)?;
    Ok(store)
}

impl Store {
    fn file(&self) -> Result<&Path> {
        self.path().ok_or_else(|| Error::Backup("En databas i minnet har inga säkerhetskopior.".into()))
    }

    /// Makes a backup now, then rotates the folder. Returns the new backup.
    pub fn backup(&self, reason: BackupReason, now: Timestamp) -> Result<BackupInfo> {
        let b = self.backup_only(reason, now)?;
        rotate(self.file()?, now)?;
        Ok(b)
    }

    /// A backup without rotation (before a restore: rotation must not touch the folder then).
    fn backup_only(&self, reason: BackupReason, now: Timestamp) -> Result<BackupInfo> {
        let db = self.file()?;
        let (name, dest) = write_backup(self.conn(), self.key(), db, reason, now)?;
        let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo { file_name: name, taken_at: now, reason, bytes })
    }

    /// The backup made before an import writes (none for a database in memory).
    pub(crate) fn backup_before_import(&self) -> Result<()> {
        if self.path().is_some() {
            self.backup(BackupReason::Import, Timestamp::now())?;
        }
        Ok(())
    }

    /// The day's backup, unless one was already made today (UTC): called when a database is
    /// opened.
    pub fn backup_daily(&self, now: Timestamp) -> Result<Option<BackupInfo>> {
        let db = self.file()?;
        if list(db)?.iter().any(|b| b.taken_at.0.date_naive() == now.0.date_naive() && b.reason != BackupReason::Skadad)
        {
            return Ok(None);
        }
        self.backup(BackupReason::Daglig, now).map(Some)
    }

    /// This database's backups, newest first.
    pub fn backups(&self) -> Result<Vec<BackupInfo>> {
        list(self.file()?)
    }

    /// The backups folder.
    pub fn backup_folder(&self) -> Result<PathBuf> {
        Ok(folder(self.file()?))
    }

    /// Opens every backup (a copy of it) with this database's key and runs the integrity and
    /// audit-chain checks. When there is at least one and all pass, the restore test is
    /// recorded as done `now` (the yearly cycle asks for it).
    pub fn verify_backups(&mut self, now: Timestamp) -> Result<Vec<BackupCheck>> {
        let db = self.file()?.to_path_buf();
        let checks: Vec<BackupCheck> = list(&db)?
            .into_iter()
            .filter(|b| b.reason != BackupReason::Skadad)
            .map(|b| check_of(&db, b, self.key()))
            .collect();
        if !checks.is_empty() && checks.iter().all(|c| c.ok) {
            self.mark_restore_tested(now)?;
        }
        Ok(checks)
    }

    /// Replaces this database by a backup: a file name of its backups folder (only names the
    /// folder lists), or a path. A copy of the backup is made beside the database and
    /// verified, the current state backed up, the database closed (refused when another
    /// program holds it open), and the copy swapped in. Returns the restored database, opened;
    /// on an error the database is closed unchanged (open it again).
    pub fn restore(self, backup: &Path, now: Timestamp) -> Result<Store> {
        let db = self.file()?.to_path_buf();
        let backup = if backup.components().count() == 1 && backup.parent().is_some_and(|p| p.as_os_str().is_empty()) {
            let name = backup.to_string_lossy();
            if !list(&db)?.iter().any(|b| b.file_name == name && b.reason != BackupReason::Skadad) {
                return Err(Error::Backup(format!(
                    "Det finns ingen säkerhetskopia {name} i {}.",
                    folder(&db).display()
                )));
            }
            folder(&db).join(backup)
        } else {
            backup.to_path_buf()
        };
        let tmp = prepare_restore(&db, &backup, self.is_encrypted())?;
        verify_prepared(&tmp, &backup, self.key())?;
        if let Err(e) = self.backup_only(BackupReason::Aterlasning, now) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        let key = self.key().cloned();
        let actor = self.actor().to_string();
        self.close()?;
        if let Err(e) = refuse_if_open_elsewhere(&db).and_then(|_| remove_sides(&db)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        commit_file(&tmp, &db)?;
        let mut store = Store::unlock(&db, key)?;
        store.set_actor(actor);
        store.mark_restore_tested(now)?;
        Ok(store)
    }

    /// Sets a new passphrase, or encrypts a plain database: the database is exported to an
    /// encrypted copy under the new key and checked; the backups and the private key file are
    /// re-encrypted into staged copies beside them; then the database is swapped in and the
    /// staged copies moved over theirs (an open finishes a change that stopped between these
    /// renames). Refused, with nothing changed, while another program holds the database
    /// open. Once the database is swapped, what follows is reported, not failed. Returns the
    /// database reopened with the new key, and what became of the backups.
    pub fn change_passphrase(self, new: Passphrase) -> Result<(Store, Rekeyed)> {
        new.check_new()?;
        let db = self.file()?.to_path_buf();
        let old = self.key().cloned();
        let tmp = sibling(&db, ".ny-nyckel.tmp");
        export_encrypted(self.conn(), &tmp, &new)?;
        let discard = |staged: &[(PathBuf, PathBuf)]| {
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_file(sibling(&tmp, "-wal"));
            let _ = std::fs::remove_file(sibling(&tmp, "-shm"));
            for (s, _) in staged {
                let _ = std::fs::remove_file(s);
            }
        };
        // Checked with the new key before it replaces anything.
        let sound = (|| -> Result<bool> {
            let copy = Store::open_for_check(&tmp, FileKind::Encrypted, Some(new.clone()))?;
            Ok(copy.check()?.is_sound())
        })();
        let _ = std::fs::remove_file(sibling(&tmp, "-wal"));
        let _ = std::fs::remove_file(sibling(&tmp, "-shm"));
        if !matches!(sound, Ok(true)) {
            discard(&[]);
            return Err(Error::Backup(
                "Den omkrypterade kopian klarade inte kontrollen; databasen är oförändrad.".into(),
            ));
        }
        // The backups, staged under the new key (a copy of a damaged database is not opened).
        let mut rekeyed = Rekeyed::default();
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for b in list(&db)? {
            let path = folder(&db).join(&b.file_name);
            if b.reason == BackupReason::Skadad {
                rekeyed
                    .left_as_they_were
                    .push(format!("{}: kopia av en skadad databas, lämnad som den var", b.file_name));
                continue;
            }
            let target = sibling(&path, STAGED);
            match reencrypt(&path, &target, old.as_ref(), &new) {
                Ok(()) => staged.push((target, path)),
                Err(e) => rekeyed.left_as_they_were.push(format!("{}: {e}", b.file_name)),
            }
        }
        let key_file = match self.stage_private_key(Some(&new)) {
            Ok(s) => s.zip(self.key_path().map(Path::to_path_buf)),
            Err(e) => {
                discard(&staged);
                return Err(e);
            }
        };
        let actor = self.actor().to_string();
        self.close()?;
        if let Err(e) = refuse_if_open_elsewhere(&db).and_then(|_| remove_sides(&db)) {
            discard(&staged);
            if let Some((k, _)) = &key_file {
                let _ = std::fs::remove_file(k);
            }
            return Err(e);
        }
        commit_file(&tmp, &db)?;
        // From here the database has the new key: the rest is finished, or reported.
        for (from, to) in staged {
            match commit_file(&from, &to) {
                Ok(()) => rekeyed.backups += 1,
                Err(e) => rekeyed.left_as_they_were.push(e.to_string()),
            }
        }
        if let Some((from, to)) = key_file
            && let Err(e) = commit_file(&from, &to)
        {
            rekeyed.left_as_they_were.push(format!("privata nyckeln: {e}"));
        }
        let mut store = Store::unlock(&db, Some(new))?;
        store.set_actor(actor);
        Ok((store, rekeyed))
    }
}

/// The suffix of a backup re-encrypted under a new passphrase, waiting to replace it.
const STAGED: &str = ".ny-nyckel";

/// Finishes a passphrase change that stopped between the database and its backups: a staged
/// backup that opens with the database's passphrase replaces its original; one that does not
/// is removed.
pub(crate) fn settle_staged(store: &Store) {
    let Some(db) = store.path() else { return };
    let Ok(entries) = std::fs::read_dir(folder(db)) else { return };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(original) = name.strip_suffix(STAGED) else { continue };
        let fits =
            store.key().is_some_and(|k| crate::store::schema_version_of(&path, FileKind::Encrypted, Some(k)).is_ok());
        if fits {
            let _ = commit_file(&path, &folder(db).join(original));
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// What a passphrase change did besides the database.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Rekeyed {
    /// Backups now encrypted with the new passphrase.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub backups: u64,
    /// Backups that could not be (file and reason): they keep their earlier key.
    pub left_as_they_were: Vec<String>,
}

/// Writes the database open on `conn` to `dest` encrypted with `key` (SQLCipher's export into
/// an attached, keyed file; the key is a bound parameter).
fn export_encrypted(conn: &Connection, dest: &Path, key: &Passphrase) -> Result<()> {
    let _ = std::fs::remove_file(dest);
    let dest_text =
        dest.to_str().ok_or_else(|| Error::Backup(format!("Sökvägen {} går inte att använda.", dest.display())))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let result = (|| -> Result<()> {
        // The connection may not be allowed to create files: the file exists, empty.
        std::fs::File::create(dest).map_err(|e| io_error(dest, e))?;
        owner_only(dest);
        conn.execute("ATTACH DATABASE ?1 AS nyckel KEY ?2", rusqlite::params![dest_text, key.expose()])?;
        let exported = conn
            .query_row("SELECT sqlcipher_export('nyckel')", [], |_| Ok(()))
            .and_then(|_| conn.execute_batch(&format!("PRAGMA nyckel.user_version = {version}")));
        let detached = conn.execute_batch("DETACH DATABASE nyckel");
        exported?;
        detached?;
        sync(dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

/// Writes the backup at `path` re-encrypted from `old` (or plain) to `new` into `target`,
/// checked; the backup itself is not changed.
fn reencrypt(path: &Path, target: &Path, old: Option<&Passphrase>, new: &Passphrase) -> Result<()> {
    let kind = file_kind(path).map_err(|e| io_error(path, e))?;
    // A working copy: opening the backup itself could checkpoint or rewrite it.
    let work = sibling(path, ".arbete.tmp");
    std::fs::copy(path, &work).map_err(|e| io_error(path, e))?;
    owner_only(&work);
    let result = (|| -> Result<()> {
        // Read-write, as the attached copy takes the connection's mode.
        let conn = Connection::open_with_flags(&work, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        crate::store::quiet(&conn)?;
        if kind == FileKind::Encrypted {
            old.ok_or_else(|| Error::Backup("krypterad, men databasen hade ingen nyckel".into()))?.apply(&conn)?;
        }
        let _ = std::fs::remove_file(target);
        export_encrypted(&conn, target, new)?;
        drop(conn);
        let check = Connection::open(target)?;
        new.apply(&check)?;
        let quick: String = check.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        check.close().map_err(|(_, e)| e)?;
        if quick != "ok" {
            return Err(Error::Backup(quick));
        }
        sync(target)
    })();
    let _ = std::fs::remove_file(&work);
    let _ = std::fs::remove_file(sibling(&work, "-wal"));
    let _ = std::fs::remove_file(sibling(&work, "-shm"));
    if result.is_err() {
        let _ = std::fs::remove_file(target);
    }
    result
}

#[cfg(test)]
mod tests;
