//! Copies of the open database and their housekeeping: a consistent copy into the backups
//! folder with SQLite's online backup API, keyed with the database's own key; an encrypted
//! export under a new key (`sqlcipher_export`) and the re-encryption of a backup; and, when a
//! database is opened, clearing or finishing what an interrupted copy, restore or passphrase
//! change left behind.
//!
//! Invariant: a copy is written under a `.tmp` name, synced, and only then renamed into place
//! ([`crate::files`]): a crash leaves either the old file or the whole new one.

use super::layout::{self, BackupInfo, BackupReason, STAGED, folder, io_error};
use super::passphrase::{self, FileKind, Passphrase, file_kind};
use super::{Read as _, Store};
use crate::error::{Error, Result};
use crate::files::{owner_only, sibling, sync, sync_folder};
use crate::ids::Timestamp;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Makes `tmp` durable and owner-only and moves it to `dest` (a failure is a backup error).
pub(crate) fn commit_file(tmp: &Path, dest: &Path) -> Result<()> {
    crate::files::commit(tmp, dest).map_err(|e| io_error(dest, e))
}

/// Removes the WAL, shared-memory index and journal beside `db` (closed), durably: their
/// frames must never be replayed onto a file that replaces it.
pub(crate) fn remove_sides(db: &Path) -> Result<()> {
    for p in layout::sides(db) {
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| io_error(&p, e))?;
        }
    }
    sync_folder(db);
    Ok(())
}

/// After closing our connection, a WAL that is still there belongs to another connection (the
/// app, another CLI run): replacing the file under it would lose what it writes.
pub(crate) fn refuse_if_open_elsewhere(db: &Path) -> Result<()> {
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
pub(crate) fn write_backup(
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
    let mut name = layout::file_name(db, now, reason);
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("{}-{}-{n}-{}.db", layout::stem(db), now.0.format(layout::STAMP), reason.key());
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
    layout::list(db).unwrap_or_default().iter().filter(|b| b.reason != BackupReason::Skadad).take(3).any(|b| {
        let path = folder(db).join(&b.file_name);
        passphrase::schema_version_of(&path, FileKind::Encrypted, Some(key)).is_ok()
    })
}

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
            store.key().is_some_and(|k| passphrase::schema_version_of(&path, FileKind::Encrypted, Some(k)).is_ok());
        if fits {
            let _ = commit_file(&path, &folder(db).join(original));
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Writes the database open on `conn` to `dest` encrypted with `key` (SQLCipher's export into
/// an attached, keyed file; the key is a bound parameter).
pub(crate) fn export_encrypted(conn: &Connection, dest: &Path, key: &Passphrase) -> Result<()> {
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
        sync(dest).map_err(|e| io_error(dest, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

/// Writes the backup at `path` re-encrypted from `old` (or plain) to `new` into `target`,
/// checked; the backup itself is not changed.
pub(crate) fn reencrypt(path: &Path, target: &Path, old: Option<&Passphrase>, new: &Passphrase) -> Result<()> {
    let kind = file_kind(path).map_err(|e| io_error(path, e))?;
    // A working copy: opening the backup itself could checkpoint or rewrite it.
    let work = sibling(path, ".arbete.tmp");
    std::fs::copy(path, &work).map_err(|e| io_error(path, e))?;
    owner_only(&work);
    let result = (|| -> Result<()> {
        // Read-write, as the attached copy takes the connection's mode.
        let conn = Connection::open_with_flags(&work, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        passphrase::quiet(&conn)?;
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
        sync(target).map_err(|e| io_error(target, e))
    })();
    let _ = std::fs::remove_file(&work);
    let _ = std::fs::remove_file(sibling(&work, "-wal"));
    let _ = std::fs::remove_file(sibling(&work, "-shm"));
    if result.is_err() {
        let _ = std::fs::remove_file(target);
    }
    result
}

impl Store {
    /// Copies the database into its backups folder as a backup made for `reason` at `now`,
    /// without rotation (rotation is the backup module's policy).
    pub fn copy_to_backups(&self, reason: BackupReason, now: Timestamp) -> Result<BackupInfo> {
        let db = self.path().ok_or_else(|| Error::Backup("En databas i minnet har inga säkerhetskopior.".into()))?;
        let (name, dest) = write_backup(self.conn(), self.key(), db, reason, now)?;
        let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo { file_name: name, taken_at: now, reason, bytes })
    }

    /// Writes the database to `dest` encrypted with `key` (a passphrase change's new file).
    pub(crate) fn export_encrypted(&self, dest: &Path, key: &Passphrase) -> Result<()> {
        export_encrypted(self.conn(), dest, key)
    }
}
