//! The SQLite store: opening (the one place a database is opened), schema migrations,
//! reading and writing records, the hash-chained audit log and the integrity check.
//!
//! Invariants:
//! - every write goes through [`Store::write`], one `BEGIN IMMEDIATE` transaction per user
//!   action, and every changed record leaves an audit entry in the same transaction;
//! - records are mapped generically from their serde form to the columns named by
//!   [`Record::COLUMNS`]; all SQL is parameterised, table and column names come only from
//!   those constants.

mod audit;
mod check;
mod passphrase;
mod received;
mod records;
mod seed;
mod undo;

pub use audit::AuditEntry;
pub use check::CheckReport;
pub(crate) use passphrase::quiet;
pub use passphrase::{FileKind, MIN_PASSPHRASE_CHARS, Passphrase, Strength, file_kind, strength};
pub use received::{Order, Versions, compare, implicit, implicit_of, merge};
pub(crate) use received::{
    decode as received_decode, of_object as versions_of_object, tombstone as tombstone_versions,
};
pub use records::{ColKind, META_COLUMNS, Record, SqlKind};
pub(crate) use records::{find as find_record, list_objects, to_object};
pub use undo::UndoTarget;

use crate::error::{Error, Result};
use crate::ids::{IdSource, InstallationId, Timestamp};
use crate::method::Method;
use crate::model::MethodVersion;
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};
use rusqlite_migration::{M, Migrations};
use std::path::{Path, PathBuf};

/// The schema migrations, numbered by position; only ever appended to.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_initial.sql")),
    M::up(include_str!("migrations/0002_audit_group_index.sql")),
    M::up(include_str!("migrations/0003_frozen_decisions.sql")),
    M::up(include_str!("migrations/0004_exchange.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0005_system_extra.sql")),
    M::up(include_str!("migrations/0006_local_state.sql")),
];

/// The idle time after which the app locks, unless set otherwise.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Applies every record table's name to `$mac!(Type)`, in dependency order (referenced tables
/// first). The single list of record kinds the store knows.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_record {
    ($mac:ident) => {
        $mac!($crate::model::Organisation);
        $mac!($crate::model::Forvaltning);
        $mac!($crate::model::Unit);
        $mac!($crate::model::Person);
        $mac!($crate::model::ExternalParty);
        $mac!($crate::model::System);
        $mac!($crate::model::InformationSet);
        $mac!($crate::model::RoleAssignment);
        $mac!($crate::model::Dependency);
        $mac!($crate::model::SystemInformationSet);
        $mac!($crate::model::MethodVersion);
        $mac!($crate::model::Classification);
        $mac!($crate::model::ProtectionRaise);
        $mac!($crate::model::Requirement);
        $mac!($crate::model::RequirementStatus);
        $mac!($crate::model::Threat);
        $mac!($crate::model::RiskAnalysis);
        $mac!($crate::model::Risk);
        $mac!($crate::model::Action);
        $mac!($crate::model::ActionLink);
        $mac!($crate::model::Decision);
    };
}

/// The installation's identity: which department this database belongs to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Installation {
    /// Stable id, the `origin` of every record created here.
    pub id: InstallationId,
    /// A name people recognise (the department).
    pub name: String,
    /// When the database was created.
    pub created_at: Timestamp,
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    installation: Installation,
    actor: String,
    method: MethodVersion,
    key_path: Option<PathBuf>,
    key: Option<Passphrase>,
}

/// What a read needs: a connection. Implemented by [`Store`] and [`Writer`] so that the same
/// queries serve both, inside and outside a transaction.
pub trait Read {
    /// The connection to read through.
    fn conn(&self) -> &Connection;

    /// The record with `id`, or [`Error::NotFound`].
    fn get<R: Record>(&self, id: R::Id) -> Result<R> {
        records::get(self.conn(), id)
    }
    /// The record with `id`, if it exists.
    fn find<R: Record>(&self, id: R::Id) -> Result<Option<R>> {
        records::find(self.conn(), id)
    }
    /// Every record of a kind, oldest first.
    fn list<R: Record>(&self) -> Result<Vec<R>> {
        records::list(self.conn(), "", &[])
    }
    /// Records of a kind where the column `column` equals `value`, oldest first.
    fn list_by<R: Record>(&self, column: &'static str, value: &str) -> Result<Vec<R>> {
        records::list_by(self.conn(), column, value)
    }
    /// How many records of a kind there are.
    fn count<R: Record>(&self) -> Result<u64> {
        records::count::<R>(self.conn())
    }
}

impl Read for Store {
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Options for how the store writes: who is writing, and where new ids come from.
pub struct WriteOptions {
    /// The ids of new records.
    pub ids: IdSource,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions { ids: IdSource::Random }
    }
}

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
        crate::backup::owner_only(path);
        if let Some(p) = &passphrase {
            p.apply(&conn)?;
        }
        Store::init(conn, Some(path.to_path_buf()), FileKind::New, passphrase, true)
    }

    /// Opens the existing database at `path`: a plain one as it is, an encrypted one with
    /// `passphrase` ([`Error::PassphraseRequired`] without one, [`Error::WrongPassphrase`]
    /// when it does not fit). Nothing is written before the key has been proven by reading.
    /// When the schema is older than this build's, a backup is made before the migration.
    pub fn unlock(path: &Path, passphrase: Option<Passphrase>) -> Result<Store> {
        let kind = kind_of(path)?;
        Store::open_kind(path, kind, passphrase, true)
    }

    /// Opens a copy made for checking: no backup before a migration.
    pub(crate) fn open_for_check(path: &Path, kind: FileKind, passphrase: Option<Passphrase>) -> Result<Store> {
        Store::open_kind(path, kind, passphrase, false)
    }

    fn open_kind(path: &Path, kind: FileKind, passphrase: Option<Passphrase>, backup: bool) -> Result<Store> {
        let conn = open_keyed(path, kind, passphrase.as_ref())?;
        let key = if kind == FileKind::Encrypted { passphrase } else { None };
        let store = match Store::init(conn, Some(path.to_path_buf()), kind, key.clone(), backup) {
            Ok(store) => store,
            // A damaged first page reads like a wrong key. When the same passphrase opens one
            // of the newest backups, the passphrase is right and the file is damaged.
            Err(Error::WrongPassphrase { .. })
                if backup && key.as_ref().is_some_and(|k| crate::backup::opens_with(path, k)) =>
            {
                return Err(Error::Corrupt {
                    path: path.to_path_buf(),
                    detail: "filen går inte att dekryptera med lösenfrasen, men lösenfrasen öppnar databasens säkerhetskopior. Har du nyss bytt lösenfras? Ange då den nya; annars är filen skadad".into(),
                });
            }
            Err(e) => return Err(e),
        };
        if backup {
            crate::backup::clear_interrupted(path);
            crate::backup::settle_staged(&store);
            store.settle_private_key();
        }
        Ok(store)
    }

    /// A fresh database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, None, FileKind::New, None, false)
    }

    fn init(
        mut conn: Connection,
        path: Option<PathBuf>,
        kind: FileKind,
        key: Option<Passphrase>,
        backup_before_migration: bool,
    ) -> Result<Store> {
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let found = read_schema_version(&conn, &shown, kind, key.is_some())?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { path: shown, found, supported: SCHEMA_VERSION });
        }
        let not_db = |e: rusqlite::Error| open_error(e, &shown);
        // Checked before anything is written (switching to WAL rewrites the header).
        let quick: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(not_db)?;
        if quick != "ok" {
            return Err(Error::Corrupt { path: shown, detail: quick });
        }
        // Sorting and temporary tables stay in memory: SQLite's temporary files are not
        // encrypted.
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(not_db)?;
        if let Some(p) = &path {
            if backup_before_migration && found > 0 && found < SCHEMA_VERSION {
                crate::backup::before_migration(&conn, key.as_ref(), p)?;
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
        let (installation, method) = seed::ensure_initialised(&mut conn, &actor)?;
        let key_path = path.as_ref().map(|p| {
            let mut name = p.as_os_str().to_owned();
            name.push(".id_ed25519");
            PathBuf::from(name)
        });
        Ok(Store { conn, path, installation, actor, method, key_path, key })
    }

    /// Whether the database file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The key the database was opened with (for its backups).
    pub(crate) fn key(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// The passphrase the database was opened with (to open it again after a swap).
    pub fn passphrase(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// Whether `passphrase` is the one this database was opened with (a plain database has
    /// none, and no passphrase matches it).
    pub fn passphrase_is(&self, passphrase: &Passphrase) -> bool {
        self.key.as_ref().is_some_and(|k| k.expose() == passphrase.expose())
    }

    /// Closes the database (checkpointing and removing its WAL).
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, e)| Error::Sqlite(e))
    }

    fn local_state(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM local_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn set_local_state(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO local_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// When a restore (or a verification of every backup) was last done here.
    pub fn restore_tested(&self) -> Result<Option<Timestamp>> {
        Ok(self.local_state("restore_tested_at")?.and_then(|t| t.parse().ok()))
    }

    /// Records that backups were verified, or one was restored, at `at`.
    pub fn mark_restore_tested(&mut self, at: Timestamp) -> Result<()> {
        self.set_local_state("restore_tested_at", &at.to_string())
    }

    /// Minutes without use after which the app locks (default [`DEFAULT_IDLE_LOCK_MINUTES`]).
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self.local_state("idle_lock_minutes")?.and_then(|t| t.parse().ok()).unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
    }

    /// Sets the idle time before the app locks: 1 to 480 minutes.
    pub fn set_idle_lock_minutes(&mut self, minutes: u32) -> Result<()> {
        if !(1..=480).contains(&minutes) {
            return Err(Error::invalid("idle_lock_minutes", "Låsningstiden ska vara mellan 1 och 480 minuter."));
        }
        self.set_local_state("idle_lock_minutes", &minutes.to_string())
    }

    /// The file, or `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where this installation's private key is kept: beside the database file, named after
    /// it with `.id_ed25519` appended (an OpenSSH private key, readable only by its owner).
    pub fn key_path(&self) -> Option<&Path> {
        self.key_path.as_deref()
    }

    /// Keeps the private key elsewhere (an in-memory database in tests).
    pub fn set_key_path(&mut self, path: impl Into<PathBuf>) {
        self.key_path = Some(path.into());
    }

    pub(crate) fn set_installation_name(&mut self, name: &str) -> Result<()> {
        self.conn.execute("UPDATE installation SET name = ?1", [name])?;
        self.installation.name = name.to_string();
        Ok(())
    }

    /// The connection, for the exchange module's own tables.
    pub(crate) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// This installation's identity.
    pub fn installation(&self) -> &Installation {
        &self.installation
    }

    /// The method version in force.
    pub fn method(&self) -> &MethodVersion {
        &self.method
    }

    /// The user name the audit log records for writes.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// Overrides the user name recorded in the audit log (tests, or a named workshop user).
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }

    /// Runs `f` as one user action: one immediate transaction, committed when `f` returns
    /// `Ok` and rolled back otherwise. `action` names it in the audit log ("Ny klassning").
    pub fn write<T>(&mut self, action: &str, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.write_with(action, WriteOptions::default(), f)
    }

    /// [`Store::write`] with explicit [`WriteOptions`].
    pub fn write_with<T>(
        &mut self,
        action: &str,
        options: WriteOptions,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let chain = audit::Chain::load(&tx)?;
        let mut w = Writer {
            tx,
            origin: self.installation.id,
            actor: self.actor.clone(),
            action: action.to_string(),
            now: Timestamp::now(),
            ids: options.ids,
            method: self.method.clone(),
            chain,
        };
        let out = f(&mut w)?;
        let method = w.method.clone();
        w.tx.commit()?;
        self.method = method;
        Ok(out)
    }

    /// The audit log, oldest first, optionally only for one record.
    pub fn audit_log(&self, record_id: Option<&str>) -> Result<Vec<AuditEntry>> {
        audit::entries(&self.conn, record_id)
    }

    /// The audit entries of a record and of every record whose stored state mentions its id
    /// (its links, information, risks …), oldest first: a record's history.
    pub fn audit_log_mentioning(&self, id: &str) -> Result<Vec<AuditEntry>> {
        audit::entries_mentioning(&self.conn, id)
    }

    /// The full check: SQLite's integrity and foreign-key checks, the audit chain, and that
    /// every stored record matches the last audit entry written for it.
    pub fn check(&self) -> Result<CheckReport> {
        check::run(&self.conn)
    }

    /// The method version with `id`; assessments are interpreted under their own version.
    pub fn method_version(&self, id: crate::ids::MethodVersionId) -> Result<MethodVersion> {
        if id == self.method.id {
            return Ok(self.method.clone());
        }
        self.get(id)
    }

    /// Every method version, keyed by id.
    pub fn method_versions(&self) -> Result<std::collections::HashMap<crate::ids::MethodVersionId, Method>> {
        Ok(self.list::<MethodVersion>()?.into_iter().map(|m| (m.id, m.definition)).collect())
    }
}

/// A write in progress: one transaction, with the context every write records.
pub struct Writer<'a> {
    tx: rusqlite::Transaction<'a>,
    origin: InstallationId,
    actor: String,
    action: String,
    now: Timestamp,
    ids: IdSource,
    method: MethodVersion,
    chain: audit::Chain,
}

impl Read for Writer<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl Writer<'_> {
    /// The time this write is recorded at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The method in force (including a version added by this write).
    pub fn method(&self) -> &MethodVersion {
        &self.method
    }

    /// A fresh id.
    pub fn new_id<I: From<uuid::Uuid>>(&mut self) -> I {
        I::from(self.ids.next_uuid())
    }

    /// Validates and inserts a new record. A nil id is replaced by a fresh one; origin,
    /// revision and timestamps are set here. Returns the stored record.
    pub fn insert<R: Record>(&mut self, mut rec: R) -> Result<R> {
        rec.validate(&self.method.definition)?;
        let id: R::Id = if rec.id().into().is_nil() { self.new_id() } else { rec.id() };
        rec.set_meta(id, self.origin, 1, self.now, self.now);
        self.insert_logged(&rec)?;
        Ok(rec)
    }

    /// Stores a record whose meta fields are set, with its audit entry.
    fn insert_logged<R: Record>(&mut self, rec: &R) -> Result<()> {
        let after = records::insert(&self.tx, rec)?;
        self.log(audit::Op::Insert, R::TABLE, &rec.id().to_string(), None, Some(&after))
    }

    /// Appends this write's audit entry for one record change.
    pub(crate) fn log(
        &mut self,
        op: audit::Op,
        table: &str,
        id: &str,
        before: Option<&serde_json::Map<String, serde_json::Value>>,
        after: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Result<()> {
        let encode = |m: &serde_json::Map<String, serde_json::Value>| serde_json::to_string(m).unwrap_or_default();
        self.log_encoded(op, table, id, before.map(encode), after.map(encode))
    }

    /// [`Writer::log`] with the records already encoded as JSON text.
    pub(crate) fn log_encoded(
        &mut self,
        op: audit::Op,
        table: &str,
        id: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<()> {
        self.chain.append(&self.tx, &self.actor, &self.action, op, table, id, before, after, self.now)
    }

    /// Validates and stores a changed record. `rec.revision` must be the stored revision
    /// (else [`Error::StaleRevision`]); a record with no change is left as it is.
    pub fn update<R: Record>(&mut self, mut rec: R) -> Result<R> {
        rec.validate(&self.method.definition)?;
        let id = rec.id();
        let before: R = records::get(&self.tx, id)?;
        if before.revision() != rec.revision() {
            return Err(Error::StaleRevision {
                label: R::LABEL,
                id: id.to_string(),
                expected: rec.revision(),
                found: before.revision(),
            });
        }
        rec.set_meta(id, before.origin(), before.revision(), before.created_at(), before.updated_at());
        if rec == before {
            return Ok(rec);
        }
        rec.set_meta(id, before.origin(), before.revision() + 1, before.created_at(), self.now);
        self.bump_versions(&before, before.revision() + 1)?;
        let before_json = records::to_object(&before)?;
        let after = records::update(&self.tx, &before_json, &rec)?;
        self.log(audit::Op::Update, R::TABLE, &id.to_string(), Some(&before_json), Some(&after))?;
        Ok(rec)
    }

    /// Deletes a record and leaves a tombstone, so that the deletion can travel to other
    /// installations. Records that refer to it must be deleted first.
    pub fn delete<R: Record>(&mut self, id: R::Id) -> Result<()> {
        let before: R = records::get(&self.tx, id)?;
        let before_json = records::to_object(&before)?;
        records::delete::<R>(&self.tx, id)?;
        let versions = self.deletion_versions(&before)?;
        self.tx.execute(
            "INSERT OR REPLACE INTO tombstone (record_table, record_id, origin, deleted_at, versions) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                R::TABLE,
                id.to_string(),
                before.origin().to_string(),
                self.now.to_string(),
                serde_json::to_string(&versions).unwrap_or_default()
            ],
        )?;
        self.log(audit::Op::Delete, R::TABLE, &id.to_string(), Some(&before_json), None)?;
        Ok(())
    }

    /// Adds a new method version and makes it the one in force. Earlier versions and every
    /// assessment made under them stay as they are.
    pub fn add_method_version(&mut self, definition: Method, note: &str) -> Result<MethodVersion> {
        definition.validate().map_err(Error::InvalidMethod)?;
        let number = self.method.number + 1;
        let mv = MethodVersion { number, note: note.to_string(), definition, ..Default::default() };
        let mv = self.insert(mv)?;
        self.method = mv.clone();
        Ok(mv)
    }
}

fn kind_of(path: &Path) -> Result<FileKind> {
    file_kind(path).map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })
}

fn open_error(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::NotADatabase { path: path.to_path_buf() },
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt { path: path.to_path_buf(), detail: e.to_string() },
        _ => Error::Open { path: path.to_path_buf(), detail: e.to_string() },
    }
}

/// Opens an existing file of `kind` and, when it is encrypted, applies the key.
fn open_keyed(path: &Path, kind: FileKind, passphrase: Option<&Passphrase>) -> Result<Connection> {
    match kind {
        FileKind::New => return Err(Error::Open { path: path.to_path_buf(), detail: "filen finns inte".into() }),
        FileKind::NotADatabase => return Err(Error::NotADatabase { path: path.to_path_buf() }),
        FileKind::Encrypted if passphrase.is_none() => {
            return Err(Error::PassphraseRequired { path: path.to_path_buf() });
        }
        _ => {}
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
    passphrase::quiet(&conn).map_err(|e| Error::Open { path: path.to_path_buf(), detail: e.to_string() })?;
    if let (FileKind::Encrypted, Some(p)) = (kind, passphrase) {
        p.usable()?;
        p.apply(&conn)?;
    }
    Ok(conn)
}

/// The first read of a file: it proves the key (an encrypted file that does not decrypt reads
/// as "not a database") and gives the schema version.
fn read_schema_version(conn: &Connection, path: &Path, kind: FileKind, keyed: bool) -> Result<usize> {
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| open_error(e, path))?;
    match conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)) {
        Ok(v) => Ok(v.max(0) as usize),
        Err(e) if keyed && kind == FileKind::Encrypted && e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(Error::WrongPassphrase { path: path.to_path_buf() })
        }
        Err(e) => Err(open_error(e, path)),
    }
}

/// The schema version of the file at `path`, read without changing it.
pub(crate) fn schema_version_of(path: &Path, kind: FileKind, passphrase: Option<&Passphrase>) -> Result<usize> {
    let conn = open_keyed(path, kind, passphrase)?;
    read_schema_version(&conn, path, kind, passphrase.is_some())
}

/// The name of the local user, as the audit log records it.
pub fn local_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "okänd användare".to_string())
}

#[cfg(test)]
mod tests;
