//! Opening a database: the one place a database file is opened. The file's kind is judged
//! from its first bytes, the key applied before the first read, and the first read proves it;
//! then the quick check before anything is written (or, for a window that shows the file first,
//! right after: [`Store::unlock_unchecked`]), a backup before a migration, WAL, the
//! migrations and the seeding; then what an interrupted backup, restore or passphrase change
//! left beside the file is cleared or finished.

use super::passphrase::{FileKind, Passphrase, file_kind, open_error, open_keyed, read_schema_version};
use super::{MIGRATIONS, SCHEMA_VERSION, Store, copy, seed};
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;
use std::path::{Path, PathBuf};

impl Store {
    /// Opens the database at `path`, creating it (and its folder) if it does not exist. A
    /// new database made here is not encrypted (the demo, tests); an encrypted one is refused
    /// with [`Error::PassphraseRequired`]: use [`Store::create`] and [`Store::unlock`].
    pub fn open(path: &Path) -> Result<Store> {
        match kind_of(path)? {
            FileKind::New => Store::create(path, None),
            _ => Store::unlock(path, None),
        }
    }

    /// Opens an existing database at `path`; a missing file is an error, not a new database.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::unlock(path, None)
    }

    /// Creates a new database at `path` (and its folder), encrypted with `passphrase` when
    /// one is given (it must pass [`Passphrase::check_new`]). An existing file is refused.
    pub fn create(path: &Path, passphrase: Option<Passphrase>) -> Result<Store> {
        if kind_of(path)? != FileKind::New {
            return Err(Error::Open { path: path.to_path_buf(), detail: "filen finns redan".into() });
        }
        if let Some(p) = &passphrase {
            p.check_new()?;
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
            .map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
        // Owner-only before anything is written: SQLite gives the WAL the file's permissions.
        crate::files::owner_only(path);
        if let Some(p) = &passphrase {
            p.apply(&conn)?;
        }
        Store::init(conn, Some(path.to_path_buf()), FileKind::New, passphrase, true, true)
    }

    /// Opens the existing database at `path`: a plain one as it is, an encrypted one with
    /// `passphrase` ([`Error::PassphraseRequired`] without one, [`Error::WrongPassphrase`]
    /// when it does not fit). Nothing is written before the key has been proven by reading.
    /// When the schema is older than this build's, a backup is made before the migration.
    pub fn unlock(path: &Path, passphrase: Option<Passphrase>) -> Result<Store> {
        let kind = kind_of(path)?;
        Store::open_kind(path, kind, passphrase, true, true)
    }

    /// [`Store::unlock`] without SQLite's quick check of the whole file, whose time grows with
    /// the file: for a window that shows the database first and then runs
    /// [`Store::quick_check`] (a file whose schema must be upgraded is checked first all the
    /// same). Everything else is as [`Store::unlock`] does it.
    pub fn unlock_unchecked(path: &Path, passphrase: Option<Passphrase>) -> Result<Store> {
        let kind = kind_of(path)?;
        Store::open_kind(path, kind, passphrase, true, false)
    }

    /// SQLite's quick check of the whole file: [`Error::Corrupt`] when it finds damage.
    pub fn quick_check(&self) -> Result<()> {
        let shown = self.path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let quick: String = self.conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
        if quick != "ok" {
            return Err(Error::Corrupt { path: shown, detail: quick });
        }
        Ok(())
    }

    /// Opens a copy made for checking: no backup before a migration.
    pub(crate) fn open_for_check(path: &Path, kind: FileKind, passphrase: Option<Passphrase>) -> Result<Store> {
        Store::open_kind(path, kind, passphrase, false, true)
    }

    fn open_kind(
        path: &Path,
        kind: FileKind,
        passphrase: Option<Passphrase>,
        backup: bool,
        check_now: bool,
    ) -> Result<Store> {
        let conn = open_keyed(path, kind, passphrase.as_ref())?;
        let key = if kind == FileKind::Encrypted { passphrase } else { None };
        let store = match Store::init(conn, Some(path.to_path_buf()), kind, key.clone(), backup, check_now) {
            Ok(store) => store,
            // A damaged first page reads like a wrong key. When the same passphrase opens one
            // of the newest backups, the passphrase is right and the file is damaged.
            Err(Error::WrongPassphrase { .. }) if backup && key.as_ref().is_some_and(|k| copy::opens_with(path, k)) => {
                return Err(Error::Corrupt {
                    path: path.to_path_buf(),
                    detail: "filen går inte att dekryptera med lösenfrasen, men lösenfrasen öppnar databasens säkerhetskopior. Har du nyss bytt lösenfras? Ange då den nya; annars är filen skadad".into(),
                });
            }
            Err(e) => return Err(e),
        };
        if backup {
            copy::clear_interrupted(path);
            copy::settle_staged(&store);
            store.settle_private_key();
        }
        Ok(store)
    }

    /// A fresh database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None, FileKind::New, None, false, true)
    }

    fn init(
        mut conn: Connection,
        path: Option<PathBuf>,
        kind: FileKind,
        key: Option<Passphrase>,
        backup_before_migration: bool,
        check_now: bool,
    ) -> Result<Store> {
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let found = read_schema_version(&conn, &shown, kind, key.is_some())?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { path: shown, found, supported: SCHEMA_VERSION });
        }
        let not_db = |e: rusqlite::Error| open_error(e, &shown);
        // Checked before anything is written (switching to WAL rewrites the header), unless
        // the caller checks it after showing it; a file to be migrated is always checked first.
        if check_now || found < SCHEMA_VERSION {
            let quick: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(not_db)?;
            if quick != "ok" {
                return Err(Error::Corrupt { path: shown, detail: quick });
            }
        }
        // Sorting and temporary tables stay in memory: SQLite's temporary files are not
        // encrypted.
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(not_db)?;
        if let Some(p) = &path {
            if backup_before_migration && found > 0 && found < SCHEMA_VERSION {
                copy::before_migration(&conn, key.as_ref(), p)?;
            }
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())).map_err(not_db)?;
            conn.pragma_update(None, "synchronous", "NORMAL").map_err(not_db)?;
            // A page read from an encrypted file is decrypted and checked on every cache
            // miss: a 128 MB page cache (SQLite's default is 2 MB; it is only filled as far as the file is big) keeps the working set.
            conn.pragma_update(None, "cache_size", -131072).map_err(not_db)?;
        }
        // Foreign keys are off while migrating, so that a migration can rebuild a referenced
        // table (SQLite's documented procedure); each such migration checks them itself.
        conn.pragma_update(None, "foreign_keys", "OFF").map_err(not_db)?;
        Migrations::from_slice(MIGRATIONS).to_latest(&mut conn).map_err(|e| Error::Migration(e.to_string()))?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(not_db)?;
        let actor = local_user();
        let (installation, method) = seed::ensure_initialised(&mut conn, &actor, found)?;
        let key_path = path.as_ref().map(|p| crate::files::sibling(p, ".id_ed25519"));
        Ok(Store { conn, path, installation, actor, method, key_path, key })
    }
}

fn kind_of(path: &Path) -> Result<FileKind> {
    file_kind(path).map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })
}

/// The name of the local user, as the audit log records it.
pub fn local_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "okänd användare".to_string())
}
