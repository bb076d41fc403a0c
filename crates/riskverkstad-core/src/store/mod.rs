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
mod copy;
mod keyfile;
mod layout;
mod open;
mod passphrase;
mod received;
mod records;
mod seed;
mod undo;

pub use audit::AuditEntry;
pub(crate) use audit::state_hash as audit_state_hash;
pub use check::CheckReport;
pub(crate) use copy::{commit_file, reencrypt, refuse_if_open_elsewhere, remove_sides};
pub use layout::{BackupInfo, BackupReason, folder as backup_folder_of, list as list_backups};
pub(crate) use layout::{STAGED, file_name as backup_file_name, io_error as backup_io_error};
pub use open::local_user;
pub(crate) use passphrase::schema_version_of;
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
use rusqlite::{Connection, TransactionBehavior};
use rusqlite_migration::M;
use std::path::{Path, PathBuf};

/// The schema migrations, numbered by position; only ever appended to.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("migrations/0001_initial.sql")),
    M::up(include_str!("migrations/0002_audit_group_index.sql")),
    M::up(include_str!("migrations/0003_frozen_decisions.sql")),
    M::up(include_str!("migrations/0004_exchange.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0005_system_extra.sql")),
    M::up(include_str!("migrations/0006_local_state.sql")),
    M::up(include_str!("migrations/0007_follow_up.sql")).foreign_key_check(),
    M::up(include_str!("migrations/0008_exchange_authority.sql")),
    M::up(include_str!("migrations/0009_dependency_criticality.sql")),
    M::up(include_str!("migrations/0010_incidents.sql")),
    M::up(include_str!("migrations/0011_incident_malicious.sql")),
    M::up(include_str!("migrations/0012_controls.sql")),
    M::up(include_str!("migrations/0013_audit_changes.sql")),
];

/// The audit log's action name for a bundle import starts with this (undo refuses those:
/// an import is undone by settling what it brought, not by reversing it).
pub const IMPORT_ACTION: &str = "Import av paket";
/// The audit log's action name for settling a conflict starts with this.
pub const RESOLVE_ACTION: &str = "Konflikt avgjord";

/// The idle time after which the app locks, unless set otherwise.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

/// The total size of the backups unless set otherwise: at 5,000 systems a copy is about
/// 130 MB, so some fifteen copies; at a few hundred systems, rotation alone decides.
pub const DEFAULT_BACKUP_LIMIT_MB: u32 = 2048;

/// The bounds of the backups' total size limit, in MB.
pub const BACKUP_LIMIT_MB_RANGE: std::ops::RangeInclusive<u32> = 100..=1_048_576;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

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

    /// The most the backups may take together, in MB (default [`DEFAULT_BACKUP_LIMIT_MB`]).
    pub fn backup_limit_mb(&self) -> Result<u32> {
        Ok(self.local_state("backup_limit_mb")?.and_then(|t| t.parse().ok()).unwrap_or(DEFAULT_BACKUP_LIMIT_MB))
    }

    /// Sets the backups' total size limit, in MB (the backups' `set_limit` also rotates to it).
    pub(crate) fn set_backup_limit_mb(&mut self, mb: u32) -> Result<()> {
        let range = BACKUP_LIMIT_MB_RANGE;
        if !range.contains(&mb) {
            return Err(Error::invalid(
                "backup_limit_mb",
                format!(
                    "Gränsen för säkerhetskopiornas storlek ska vara mellan {} och {} MB (fick {mb}).",
                    range.start(),
                    range.end()
                ),
            ));
        }
        self.set_local_state("backup_limit_mb", &mb.to_string())
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
        let mut ids = vec![id.to_string()];
        macro_rules! referring {
            ($t:ty) => {
                ids.extend(records::ids_mentioning::<$t>(&self.conn, id)?);
            };
        }
        crate::for_each_record!(referring);
        audit::entries_mentioning(&self.conn, &ids)
    }

    /// The full check: SQLite's integrity and foreign-key checks, the audit chain, and that
    /// every stored record matches the last audit entry written for it.
    pub fn check(&self) -> Result<CheckReport> {
        // A second connection for SQLite's own checks, so that they run beside the rest (with
        // the key, an encrypted file costs its key derivation once more, on that core). When
        // it cannot be opened, everything runs on this one.
        let side = self.path.as_deref().and_then(|p| {
            let kind = if self.key.is_some() { FileKind::Encrypted } else { FileKind::Plain };
            let conn = passphrase::open_keyed(p, kind, self.key.as_ref()).ok()?;
            conn.pragma_update(None, "temp_store", "MEMORY").ok()?;
            conn.busy_timeout(std::time::Duration::from_secs(5)).ok()?;
            Some(conn)
        });
        check::run(&self.conn, side)
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

    /// Appends this write's audit entry for one record change, given the record's whole
    /// object form before (update, delete) and after (insert, update): the entry keeps what
    /// changed and the record's hash after ([`audit::state_hash`]).
    pub(crate) fn log(
        &mut self,
        op: audit::Op,
        table: &str,
        id: &str,
        before: Option<&serde_json::Map<String, serde_json::Value>>,
        after: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> Result<()> {
        let encode = |m: &serde_json::Map<String, serde_json::Value>| serde_json::to_string(m).unwrap_or_default();
        let state = after.map(audit::state_hash);
        let (before, after) = match (op, before, after) {
            (audit::Op::Update, Some(b), Some(a)) => {
                let (mut changed_b, mut changed_a) = audit::changed_fields(b, a);
                // Revision and time of last change always, so that undo can tell what the
                // record said after this change from its hash.
                for key in ["revision", "updated_at"] {
                    if let (Some(vb), Some(va)) = (b.get(key), a.get(key)) {
                        changed_b.insert(key.into(), vb.clone());
                        changed_a.insert(key.into(), va.clone());
                    }
                }
                (Some(encode(&changed_b)), Some(encode(&changed_a)))
            }
            (audit::Op::Delete, b, _) => (b.map(encode), None),
            _ => (None, None),
        };
        self.chain.append(&self.tx, &self.actor, &self.action, op, table, id, before, after, state, self.now)
    }

    /// The audit entry of an insert whose record hash was computed already (on another core,
    /// during a bulk import); it must be [`audit::state_hash`] of the inserted object.
    pub(crate) fn log_insert_hashed(&mut self, table: &str, id: &str, state: String) -> Result<()> {
        let op = audit::Op::Insert;
        self.chain.append(&self.tx, &self.actor, &self.action, op, table, id, None, None, Some(state), self.now)
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

#[cfg(test)]
mod tests;
