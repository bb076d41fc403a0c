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
use crate::files::{owner_only, sibling};
use crate::ids::Timestamp;
pub use crate::store::{BackupInfo, BackupReason, backup_folder_of as folder, list_backups as list};
use crate::store::{
    FileKind, Passphrase, STAGED, Store, backup_file_name as file_name, backup_io_error as io_error, commit_file,
    file_kind, reencrypt, refuse_if_open_elsewhere, remove_sides,
};
use chrono::Datelike;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Daily copies kept: the newest of each of the last this many days with a copy.
pub const KEEP_DAILY: usize = 7;
/// Weekly copies kept (ISO weeks).
pub const KEEP_WEEKLY: usize = 4;
/// Monthly copies kept.
pub const KEEP_MONTHLY: usize = 12;

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

pub use crate::store::{BACKUP_LIMIT_MB_RANGE as LIMIT_MB_RANGE, DEFAULT_BACKUP_LIMIT_MB as DEFAULT_LIMIT_MB};

/// Deletes the backups rotation does not keep; copies of a damaged database are left alone,
/// and copies made before a restore or an upgrade stay [`KEEP_SAFETY_DAYS`] days. Then, while
/// the copies take more than `limit_bytes` together, the oldest copy rotation kept is
/// deleted too, never the newest nor a safety copy. A file that cannot be deleted is left
/// (the next rotation tries again). Returns the names deleted.
pub fn rotate(db: &Path, now: Timestamp, limit_bytes: u64) -> Result<Vec<String>> {
    let all: Vec<BackupInfo> = list(db)?.into_iter().filter(|b| b.reason != BackupReason::Skadad).collect();
    let taken: Vec<Timestamp> = all.iter().map(|b| b.taken_at).collect();
    let mut deleted = Vec::new();
    let mut kept = Vec::new();
    for (b, keep) in all.iter().zip(keep(&taken, now)) {
        let safety = matches!(b.reason, BackupReason::Aterlasning | BackupReason::Migrering)
            && now.0.signed_duration_since(b.taken_at.0) < chrono::Duration::days(KEEP_SAFETY_DAYS);
        if keep || safety {
            kept.push((b, safety));
        } else if std::fs::remove_file(folder(db).join(&b.file_name)).is_ok() {
            deleted.push(b.file_name.clone());
        } else {
            kept.push((b, true));
        }
    }
    // Newest first: the oldest deletable copy is the last of those after the newest.
    let mut total: u64 = kept.iter().map(|(b, _)| b.bytes).sum();
    for (b, untouchable) in kept.iter().skip(1).rev() {
        if total <= limit_bytes {
            break;
        }
        if !untouchable && std::fs::remove_file(folder(db).join(&b.file_name)).is_ok() {
            total -= b.bytes;
            deleted.push(b.file_name.clone());
        }
    }
    Ok(deleted)
}

/// How much room the backups take, against their limit.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupUsage {
    /// The copies (those of a damaged database included).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// Their total size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// The most they may take together, in MB ([`DEFAULT_LIMIT_MB`] unless set).
    pub limit_mb: u32,
}

/// The backups' total size and limit.
pub fn usage(store: &Store) -> Result<BackupUsage> {
    let all = list_for(store)?;
    Ok(BackupUsage {
        count: all.len() as u64,
        bytes: all.iter().map(|b| b.bytes).sum(),
        limit_mb: store.backup_limit_mb()?,
    })
}

/// Sets the backups' total size limit (in MB, within [`LIMIT_MB_RANGE`]) and rotates the
/// folder to it at once.
pub fn set_limit(store: &mut Store, limit_mb: u32, now: Timestamp) -> Result<BackupUsage> {
    store.set_backup_limit_mb(limit_mb)?;
    if let Some(db) = store.path() {
        rotate(db, now, u64::from(limit_mb) * 1024 * 1024)?;
    }
    usage(store)
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

fn file_of(store: &Store) -> Result<&Path> {
    store.path().ok_or_else(|| Error::Backup("En databas i minnet har inga säkerhetskopior.".into()))
}

/// Makes a backup now, then rotates the folder. Returns the new backup.
pub fn create(store: &Store, reason: BackupReason, now: Timestamp) -> Result<BackupInfo> {
    let b = store.copy_to_backups(reason, now)?;
    rotate(file_of(store)?, now, u64::from(store.backup_limit_mb()?) * 1024 * 1024)?;
    Ok(b)
}

/// The backup made before an import writes (none for a database in memory).
pub(crate) fn before_import(store: &Store) -> Result<()> {
    if store.path().is_some() {
        create(store, BackupReason::Import, Timestamp::now())?;
    }
    Ok(())
}

/// The day's backup, unless one was already made today (UTC): called when a database is
/// opened.
pub fn daily(store: &Store, now: Timestamp) -> Result<Option<BackupInfo>> {
    let db = file_of(store)?;
    if list(db)?.iter().any(|b| b.taken_at.0.date_naive() == now.0.date_naive() && b.reason != BackupReason::Skadad) {
        return Ok(None);
    }
    create(store, BackupReason::Daglig, now).map(Some)
}

/// This database's backups, newest first.
pub fn list_for(store: &Store) -> Result<Vec<BackupInfo>> {
    list(file_of(store)?)
}

/// The backups folder.
pub fn folder_for(store: &Store) -> Result<PathBuf> {
    Ok(folder(file_of(store)?))
}

/// Opens every backup (a copy of it) with this database's key and runs the integrity and
/// audit-chain checks. When there is at least one and all pass, the restore test is
/// recorded as done `now` (the yearly cycle asks for it).
pub fn verify_all(store: &mut Store, now: Timestamp) -> Result<Vec<BackupCheck>> {
    let db = file_of(store)?.to_path_buf();
    let checks: Vec<BackupCheck> = list(&db)?
        .into_iter()
        .filter(|b| b.reason != BackupReason::Skadad)
        .map(|b| check_of(&db, b, store.passphrase()))
        .collect();
    if !checks.is_empty() && checks.iter().all(|c| c.ok) {
        store.mark_restore_tested(now)?;
    }
    Ok(checks)
}

/// Replaces this database by a backup: a file name of its backups folder (only names the
/// folder lists), or a path. A copy of the backup is made beside the database and
/// verified, the current state backed up, the database closed (refused when another
/// program holds it open), and the copy swapped in. Returns the restored database, opened;
/// on an error the database is closed unchanged (open it again).
pub fn restore(store: Store, backup: &Path, now: Timestamp) -> Result<Store> {
    let db = file_of(&store)?.to_path_buf();
    let backup = if backup.components().count() == 1 && backup.parent().is_some_and(|p| p.as_os_str().is_empty()) {
        let name = backup.to_string_lossy();
        if !list(&db)?.iter().any(|b| b.file_name == name && b.reason != BackupReason::Skadad) {
            return Err(Error::Backup(format!("Det finns ingen säkerhetskopia {name} i {}.", folder(&db).display())));
        }
        folder(&db).join(backup)
    } else {
        backup.to_path_buf()
    };
    let tmp = prepare_restore(&db, &backup, store.is_encrypted())?;
    verify_prepared(&tmp, &backup, store.passphrase())?;
    if let Err(e) = store.copy_to_backups(BackupReason::Aterlasning, now) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let key = store.passphrase().cloned();
    let actor = store.actor().to_string();
    store.close()?;
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
pub fn change_passphrase(store: Store, new: Passphrase) -> Result<(Store, Rekeyed)> {
    new.check_new()?;
    let db = file_of(&store)?.to_path_buf();
    let old = store.passphrase().cloned();
    let tmp = sibling(&db, ".ny-nyckel.tmp");
    store.export_encrypted(&tmp, &new)?;
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
        return Err(Error::Backup("Den omkrypterade kopian klarade inte kontrollen; databasen är oförändrad.".into()));
    }
    // The backups, staged under the new key (a copy of a damaged database is not opened).
    let mut rekeyed = Rekeyed::default();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for b in list(&db)? {
        let path = folder(&db).join(&b.file_name);
        if b.reason == BackupReason::Skadad {
            rekeyed.left_as_they_were.push(format!("{}: kopia av en skadad databas, lämnad som den var", b.file_name));
            continue;
        }
        let target = sibling(&path, STAGED);
        match reencrypt(&path, &target, old.as_ref(), &new) {
            Ok(()) => staged.push((target, path)),
            Err(e) => rekeyed.left_as_they_were.push(format!("{}: {e}", b.file_name)),
        }
    }
    let key_file = match store.stage_private_key(Some(&new)) {
        Ok(s) => s.zip(store.key_path().map(Path::to_path_buf)),
        Err(e) => {
            discard(&staged);
            return Err(e);
        }
    };
    let actor = store.actor().to_string();
    store.close()?;
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

#[cfg(test)]
mod tests;
