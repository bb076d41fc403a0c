//! The audit log: every write records who, when, what, and the record before and after.
//! Each entry carries the SHA-256 of its own content and of the previous entry, so a changed,
//! removed or inserted entry breaks the chain.

use crate::error::Result;
use crate::ids::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash the first entry links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a write did to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Created.
    Insert,
    /// Changed.
    Update,
    /// Deleted.
    Delete,
}

impl Op {
    fn key(self) -> &'static str {
        match self {
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }
}

/// One entry of the audit log.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Position in the log, 1, 2, 3 …
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: i64,
    /// When (UTC).
    pub at: String,
    /// Who (the local user name).
    pub actor: String,
    /// The user action ("Ny klassning").
    pub action: String,
    /// insert, update or delete.
    pub operation: String,
    /// The table.
    pub record_table: String,
    /// The record's id.
    pub record_id: String,
    /// The record before, as JSON (None for an insert).
    pub before: Option<String>,
    /// The record after, as JSON (None for a delete).
    pub after: Option<String>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry, computed from its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            &self.action,
            &self.operation,
            &self.record_table,
            &self.record_id,
            self.before.as_deref(),
            self.after.as_deref(),
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    action: &str,
    operation: &str,
    table: &str,
    id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries hash the same bytes.
    for part in [
        prev,
        &seq.to_string(),
        at,
        actor,
        action,
        operation,
        table,
        id,
        before.unwrap_or("\u{0}"),
        after.unwrap_or("\u{0}"),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The head of the chain while a transaction writes to it.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    /// Reads the newest entry; call inside the write transaction.
    pub(crate) fn load(conn: &Connection) -> Result<Chain> {
        let head = conn
            .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (seq, hash) = head.unwrap_or((0, GENESIS.to_string()));
        Ok(Chain { seq, hash })
    }

    /// Appends an entry; the records before and after are given as their JSON text.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn append(
        &mut self,
        conn: &Connection,
        actor: &str,
        action: &str,
        op: Op,
        table: &str,
        id: &str,
        before: Option<String>,
        after: Option<String>,
        at: Timestamp,
    ) -> Result<()> {
        let seq = self.seq + 1;
        let at = at.to_string();
        let hash =
            entry_hash(&self.hash, seq, &at, actor, action, op.key(), table, id, before.as_deref(), after.as_deref());
        conn.prepare_cached(
            "INSERT INTO audit_log (seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![seq, at, actor, action, op.key(), table, id, before, after, self.hash, hash])?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }
}

/// Entries for the record `id` or whose before/after mention it, oldest first.
pub fn entries_mentioning(conn: &Connection, id: &str) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash
               FROM audit_log
               WHERE record_id = ?1 OR instr(coalesce(after, ''), ?1) > 0 OR instr(coalesce(before, ''), ?1) > 0
               ORDER BY seq";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        operation: r.get(4)?,
        record_table: r.get(5)?,
        record_id: r.get(6)?,
        before: r.get(7)?,
        after: r.get(8)?,
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}

/// One user action in the log: its entries `first..=last` share time, actor and action.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The first entry's seq.
    pub first: i64,
    /// The last entry's seq.
    pub last: i64,
    /// How many entries.
    pub count: u64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// The user action's name.
    pub action: String,
}

/// The user action whose last entry is the newest with a seq at most `upto`, read from the
/// index on (at, actor, action, seq) without touching the before/after JSON.
pub fn group_ending_at_or_before(conn: &Connection, upto: i64) -> Result<Option<Group>> {
    let head = conn
        .prepare_cached("SELECT seq, at, actor, action FROM audit_log WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([upto], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?;
    let Some((last, at, actor, action)) = head else { return Ok(None) };
    let (first, count): (i64, i64) = conn
        .prepare_cached(
            "SELECT min(seq), count(*) FROM audit_log WHERE at = ?1 AND actor = ?2 AND action = ?3 AND seq <= ?4",
        )?
        .query_row(params![at, actor, action, last], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(Some(Group { first, last, count: count as u64, at, actor, action }))
}

/// The entries with seq in `first..=last`, oldest first.
pub fn entries_between(conn: &Connection, first: i64, last: i64) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash
               FROM audit_log WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![first, last], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The log, oldest first; optionally only one record's entries.
pub fn entries(conn: &Connection, record_id: Option<&str>) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash
               FROM audit_log WHERE (?1 IS NULL OR record_id = ?1) ORDER BY seq";
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([record_id], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
