//! The audit log: every write records who, when, what, and what changed.
//! Each entry carries the SHA-256 of its own content and of the previous entry, so a changed,
//! removed or inserted entry breaks the chain.
//!
//! Entries are written in format 2 ([`FORMAT_CHANGES`]): an insert keeps the SHA-256 of the
//! record as created ([`state_hash`]), an update the changed fields before and after and the
//! hash of the record after, a delete the whole record before. The record's hash is what the
//! check compares the stored record with; undo and history rebuild earlier states from the
//! stored record and the changes. Entries of databases from before schema 13 are format 1
//! ([`FORMAT_FULL`]): whole records before and after, read and checked as they always were.

use crate::error::Result;
use crate::ids::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// Entries written before schema 13: whole records before and after, `prev_hash` stored.
pub const FORMAT_FULL: i64 = 1;
/// Entries written since: what changed, the record's hash after, `prev_hash` not stored.
pub const FORMAT_CHANGES: i64 = 2;

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
    /// Format 2: the changed fields before (an update) or the whole record (a delete), as
    /// JSON. Format 1: the whole record before. None for an insert.
    pub before: Option<String>,
    /// Format 2: the changed fields after (an update), as JSON; None otherwise. Format 1: the
    /// whole record after (None for a delete).
    pub after: Option<String>,
    /// Format 2: the SHA-256 of the record after the write ([`state_hash`]); None for a
    /// delete and in format 1.
    pub state: Option<String>,
    /// [`FORMAT_FULL`] or [`FORMAT_CHANGES`].
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub format: i64,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry, computed from its content and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let parts = EntryParts {
            prev: &self.prev_hash,
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            action: &self.action,
            operation: &self.operation,
            table: &self.record_table,
            id: &self.record_id,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
        };
        if self.format == FORMAT_FULL { parts.hash_v1() } else { parts.hash_v2(self.state.as_deref()) }
    }
}

/// What an entry's hash is computed from (borrowed: the check hashes hundreds of thousands).
pub(crate) struct EntryParts<'a> {
    pub prev: &'a str,
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub operation: &'a str,
    pub table: &'a str,
    pub id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl EntryParts<'_> {
    /// Format 1's hash: length-prefixed fields, so that no two different entries hash the
    /// same bytes.
    pub(crate) fn hash_v1(&self) -> String {
        self.hash(None, None)
    }

    /// Format 2's hash: a format marker first, then format 1's parts and the record's state.
    pub(crate) fn hash_v2(&self, state: Option<&str>) -> String {
        self.hash(Some("riskverkstad-audit-2"), Some(state.unwrap_or("\u{0}")))
    }

    fn hash(&self, marker: Option<&str>, state: Option<&str>) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        let parts = [
            self.prev,
            &seq,
            self.at,
            self.actor,
            self.action,
            self.operation,
            self.table,
            self.id,
            self.before.unwrap_or("\u{0}"),
            self.after.unwrap_or("\u{0}"),
        ];
        for part in marker.into_iter().chain(parts).chain(state) {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// The SHA-256 (hex) of a record's object form, as the audit log keeps it: keys in sorted
/// order at every depth, compact JSON, and top-level fields holding null left out. Leaving
/// those out keeps a record's hash when a later migration adds a nullable column (its rows
/// hold NULL); a migration that adds a column with any other default must write audit entries
/// for the records it changes (the migration tests check every fixture). Every other value
/// counts: NULL, false, 0, "" and [] all hash differently.
pub fn state_hash(obj: &Map<String, Value>) -> String {
    let mut text = Vec::with_capacity(1024);
    write_object(&mut text, obj, true);
    hex::encode(Sha256::digest(&text))
}

fn write_object(out: &mut Vec<u8>, obj: &Map<String, Value>, top: bool) {
    let mut fields: Vec<(&String, &Value)> = obj.iter().filter(|(_, v)| !top || !v.is_null()).collect();
    fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    for (i, (k, v)) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_leaf(out, k);
        out.push(b':');
        write_value(out, v);
    }
    out.push(b'}');
}

pub(crate) fn write_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Object(o) => write_object(out, o, false),
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, x);
            }
            out.push(b']');
        }
        leaf => write_leaf(out, leaf),
    }
}

/// A string or scalar as compact JSON (serde_json's own escaping).
fn write_leaf<T: Serialize + ?Sized>(out: &mut Vec<u8>, leaf: &T) {
    // Writing a string, number, bool or null into memory does not fail.
    let _ = serde_json::to_writer(&mut *out, leaf);
}

/// What an update changed: the fields whose value differs, before and after.
pub fn changed_fields(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut b = Map::new();
    let mut a = Map::new();
    for (k, v) in after {
        let old = before.get(k).unwrap_or(&Value::Null);
        if old != v {
            b.insert(k.clone(), old.clone());
            a.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in before {
        if !after.contains_key(k) {
            b.insert(k.clone(), v.clone());
            a.insert(k.clone(), Value::Null);
        }
    }
    (b, a)
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

    /// Appends a format 2 entry: what changed as JSON text, and the record's hash after.
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
        state: Option<String>,
        at: Timestamp,
    ) -> Result<()> {
        let seq = self.seq + 1;
        let at = at.to_string();
        let hash = EntryParts {
            prev: &self.hash,
            seq,
            at: &at,
            actor,
            action,
            operation: op.key(),
            table,
            id,
            before: before.as_deref(),
            after: after.as_deref(),
        }
        .hash_v2(state.as_deref());
        conn.prepare_cached(
            "INSERT INTO audit_log (seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash, format, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, 2, ?11)",
        )?
        .execute(params![seq, at, actor, action, op.key(), table, id, before, after, hash, state])?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }
}

/// The columns an entry is read with. A format 2 entry does not store the previous entry's
/// hash: it is read from that entry.
const COLUMNS: &str = "seq, at, actor, action, operation, record_table, record_id, before, after,
     CASE WHEN prev_hash <> '' THEN prev_hash
          ELSE coalesce((SELECT p.hash FROM audit_log p WHERE p.seq = a.seq - 1), '0000000000000000000000000000000000000000000000000000000000000000') END,
     hash, state, format";

/// Entries for the records `ids`, and entries whose changes mention the first of them, oldest
/// first: a record's history with the records around it. The caller finds the records that
/// refer to it today ([`super::records::ids_mentioning`]); a record deleted since is found by
/// its deletion entry, which holds it whole, and then by its id.
pub fn entries_mentioning(conn: &Connection, ids: &[String]) -> Result<Vec<AuditEntry>> {
    let Some(id) = ids.first() else { return Ok(Vec::new()) };
    let mut wanted: std::collections::BTreeSet<String> = ids.iter().cloned().collect();
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT record_id FROM audit_log
         WHERE instr(coalesce(after, ''), ?1) > 0 OR instr(coalesce(before, ''), ?1) > 0",
    )?;
    for r in stmt.query_map([id], |r| r.get::<_, String>(0))? {
        wanted.insert(r?);
    }
    let sql = format!("SELECT {COLUMNS} FROM audit_log a WHERE record_id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::new();
    for rid in &wanted {
        for e in stmt.query_map([rid], row_to_entry)? {
            out.push(e?);
        }
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
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
        state: r.get(11)?,
        format: r.get(12)?,
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

/// The user action whose last entry is the newest with a seq at most `upto`. Its entries are
/// contiguous (one transaction): the first is found by walking back from the last while time,
/// actor and action stay the same, without reading what the entries changed.
pub fn group_ending_at_or_before(conn: &Connection, upto: i64) -> Result<Option<Group>> {
    let head = conn
        .prepare_cached("SELECT seq, at, actor, action FROM audit_log WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([upto], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?;
    let Some((last, at, actor, action)) = head else { return Ok(None) };
    let before: Option<i64> = conn
        .prepare_cached(
            "SELECT seq FROM audit_log WHERE seq <= ?4 AND NOT (at = ?1 AND actor = ?2 AND action = ?3)
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![at, actor, action, last], |r| r.get(0))
        .optional()?;
    let first = before.map_or(1, |b| b + 1);
    Ok(Some(Group { first, last, count: (last - first + 1) as u64, at, actor, action }))
}

/// The entries with seq in `first..=last`, oldest first.
pub fn entries_between(conn: &Connection, first: i64, last: i64) -> Result<Vec<AuditEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log a WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![first, last], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The log, oldest first; optionally only one record's entries.
pub fn entries(conn: &Connection, record_id: Option<&str>) -> Result<Vec<AuditEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log a WHERE (?1 IS NULL OR record_id = ?1) ORDER BY seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([record_id], row_to_entry)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
