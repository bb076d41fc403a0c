//! Undo of the last user action, from the audit log.
//!
//! A user action is the run of consecutive audit entries with the same time, actor and action
//! (one [`Store::write`]). Undo is itself a user action, "Ångra: <action> (#<seq>)", that writes
//! the inverse of each entry, newest first: so the log stays append-only, revisions only grow
//! (other installations see an ordinary change), and repeated undo walks further back, skipping
//! actions already undone. An action is only undone while every record it touched is still as
//! it left it; method versions and decisions are immutable and never undone.

use super::audit::{self, AuditEntry, Group};
use super::records::{self, Record};
use super::{IMPORT_ACTION, RESOLVE_ACTION, Read, Store, Writer};
use crate::error::{Error, Result};
use crate::ids::Timestamp;
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::HashSet;

/// What the name of an undo action starts with.
pub const PREFIX: &str = "Ångra: ";

/// The user action that the next undo would reverse.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UndoTarget {
    /// Its name in the audit log ("Ny risk").
    pub action: String,
    /// When it was made (UTC).
    pub at: String,
    /// Who made it.
    pub actor: String,
    /// How many records it changed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub changes: u64,
    /// Its first audit entry: what [`Store::undo_expecting`] checks.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub first_seq: i64,
    /// Why it cannot be undone (it added a method version), or `None`.
    pub refused: Option<String>,
}

/// The seq an undo action names, if `action` is one.
fn undone_seq(action: &str) -> Option<i64> {
    let rest = action.strip_prefix(PREFIX)?;
    let (_, tail) = rest.rsplit_once(" (#")?;
    tail.strip_suffix(')')?.parse().ok()
}

/// The newest user action not yet undone (walking back over undo actions and what they
/// undid), found from the index without reading any record JSON. The creation of the
/// database is not a change to undo.
fn target(conn: &Connection) -> Result<Option<Group>> {
    let mut undone: HashSet<i64> = HashSet::new();
    let mut upto = i64::MAX;
    while let Some(g) = audit::group_ending_at_or_before(conn, upto)? {
        upto = g.first - 1;
        if let Some(seq) = undone_seq(&g.action) {
            undone.insert(seq);
        } else if !undone.contains(&g.first) {
            return Ok(Some(g).filter(|g| g.action != super::seed::SEED_ACTION));
        }
    }
    Ok(None)
}

/// Why a user action cannot be undone: it came from a bundle or settled a conflict, added a
/// method version, made a decision with an archived document, or fastställde a classification.
fn refusal(conn: &Connection, g: &Group) -> Result<Option<String>> {
    if g.action.starts_with(IMPORT_ACTION) || g.action.starts_with(RESOLVE_ACTION) {
        return Ok(Some(format!(
            "«{}» kom från ett annat paket eller avgjorde en konflikt; det ångras inte (gör en ny ändring)",
            g.action
        )));
    }
    let method: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq BETWEEN ?1 AND ?2 AND record_table = ?3)")?
        .query_row(rusqlite::params![g.first, g.last, crate::model::MethodVersion::TABLE], |r| r.get(0))?;
    if method {
        return Ok(Some(format!(
            "«{}» lade till en metodversion; metodversioner är oföränderliga och ångras inte",
            g.action
        )));
    }
    // Decisions with an archived document (a decision recorded without one, as the demo's, is
    // an ordinary record). An insert's entry holds no copy of the record: the stored decision
    // is asked (a decision with a document is never deleted).
    let decision: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit_log a WHERE seq BETWEEN ?1 AND ?2 AND record_table = ?3
               AND (json_extract(after, '$.document_sha256') IS NOT NULL
                    OR json_extract(before, '$.document_sha256') IS NOT NULL
                    OR EXISTS (SELECT 1 FROM decision d WHERE d.id = a.record_id AND d.document_sha256 IS NOT NULL)))",
        )?
        .query_row(rusqlite::params![g.first, g.last, crate::model::Decision::TABLE], |r| r.get(0))?;
    if decision {
        return Ok(Some(format!(
            "«{}» fattade ett beslut; fattade beslut är arkiverade och ångras inte (fatta en ny version)",
            g.action
        )));
    }
    // A classification fastställd by its information owner is that owner's decision: a change
    // that fastställde a draft is not undone. (Undoing the creation of one already fastställd,
    // such as a whole demo or import, takes the record away with its decision.)
    let decided: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq BETWEEN ?1 AND ?2 AND record_table = ?3
               AND json_extract(after, '$.status') = 'faststalld'
               AND json_extract(before, '$.status') = 'utkast')",
        )?
        .query_row(rusqlite::params![g.first, g.last, crate::model::Classification::TABLE], |r| r.get(0))?;
    Ok(decided.then(|| {
        format!(
            "«{}» fastställde en klassning; informationsägarens beslut ångras inte (gör en ny klassning utifrån den)",
            g.action
        )
    }))
}

impl Store {
    /// The user action the next [`Store::undo`] would reverse, if any.
    pub fn undo_target(&self) -> Result<Option<UndoTarget>> {
        let Some(g) = target(&self.conn)? else { return Ok(None) };
        let refused = refusal(&self.conn, &g)?;
        Ok(Some(UndoTarget {
            action: g.action,
            at: g.at,
            actor: g.actor,
            changes: g.count,
            first_seq: g.first,
            refused,
        }))
    }

    /// [`Store::undo`], but only if the action it would reverse is the one whose first audit
    /// entry is `first_seq` (what the user saw named); otherwise refused, nothing written.
    pub fn undo_expecting(&mut self, first_seq: i64) -> Result<String> {
        match target(&self.conn)? {
            Some(g) if g.first == first_seq => self.undo(),
            _ => Err(Error::Undo(
                "senaste ändringen är inte längre den som visades; titta igen och försök på nytt".into(),
            )),
        }
    }

    /// Reverses the newest user action not yet undone, as one new user action, and returns
    /// the name of the action undone. Refused (nothing written) when there is nothing to undo,
    /// when a record it touched has changed since, or when it added a method version.
    pub fn undo(&mut self) -> Result<String> {
        let group = target(&self.conn)?.ok_or_else(|| Error::Undo("det finns ingen ändring att ångra".into()))?;
        if let Some(why) = refusal(&self.conn, &group)? {
            return Err(Error::Undo(why));
        }
        let entries = audit::entries_between(&self.conn, group.first, group.last)?;
        let name = group.action.clone();
        let action = format!("{PREFIX}{name} (#{})", group.first);
        self.write(&action, |w| {
            for e in entries.iter().rev() {
                undo_entry(w, e)?;
            }
            Ok(())
        })?;
        Ok(name)
    }
}

fn undo_entry(w: &mut Writer<'_>, e: &AuditEntry) -> Result<()> {
    macro_rules! dispatch {
        ($t:ty) => {
            if e.record_table == <$t as Record>::TABLE {
                return undo_typed::<$t>(w, e);
            }
        };
    }
    crate::for_each_record!(dispatch);
    Err(Error::Undo(format!("okänd tabell {} i historiken", e.record_table)))
}

fn parse(json: Option<&str>, e: &AuditEntry) -> Result<Map<String, Value>> {
    match json.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(m))) => Ok(m),
        _ => Err(Error::Undo(format!("historikpost #{} saknar läsbart innehåll", e.seq))),
    }
}

fn undo_typed<R: Record>(w: &mut Writer<'_>, e: &AuditEntry) -> Result<()> {
    let id: R::Id = uuid::Uuid::parse_str(&e.record_id)
        .map_err(|_| Error::Undo(format!("historikpost #{} har ett ogiltigt id", e.seq)))?
        .into();
    let current: Option<R> = w.find(id)?;
    let changed_since = || {
        Error::Undo(format!(
            "{} har ändrats efter «{}»; ändra tillbaka för hand eller se historiken",
            R::LABEL,
            e.action
        ))
    };
    match e.operation.as_str() {
        "insert" | "update" => {
            let current = current.ok_or_else(changed_since)?;
            let now = records::to_object(&current)?;
            if !unchanged_since(&now, e)? {
                return Err(changed_since());
            }
            if e.operation == "insert" {
                return w.delete::<R>(id);
            }
            // The fields the change set go back to what they were; the rest stays (format 1
            // entries hold the whole record before, which sets every field).
            let mut before = now;
            before.extend(parse(e.before.as_deref(), e)?);
            let mut before: R = from_object(before, e)?;
            before.set_meta(id, current.origin(), current.revision(), current.created_at(), current.updated_at());
            w.update(before).map(|_| ())
        }
        "delete" => {
            if current.is_some() {
                return Err(changed_since());
            }
            let before: R = from_object(parse(e.before.as_deref(), e)?, e)?;
            w.restore(before)
        }
        other => Err(Error::Undo(format!("okänd operation {other} i historiken"))),
    }
}

/// Whether a record says what the entry `e` (an insert or update) left it saying. Its
/// revision and time of last change may have moved on, as an undone later change moves them
/// without changing what the record says.
fn unchanged_since(now: &Map<String, Value>, e: &AuditEntry) -> Result<bool> {
    if e.format != audit::FORMAT_CHANGES {
        return Ok(content(now.clone()) == content(parse(e.after.as_deref(), e)?));
    }
    // The record as the entry left it, but for revision and time: its hash must be the entry's.
    let mut then = now.clone();
    if e.operation == "insert" {
        then.insert("revision".into(), Value::from(1));
        then.insert("updated_at".into(), now.get("created_at").cloned().unwrap_or(Value::Null));
    } else {
        let after = parse(e.after.as_deref(), e)?;
        for key in ["revision", "updated_at"] {
            if let Some(v) = after.get(key) {
                then.insert(key.into(), v.clone());
            }
        }
    }
    Ok(e.state.as_deref() == Some(audit::state_hash(&then).as_str()))
}

/// A record's content: everything but its revision and time of last change, which an undone
/// later change moves on without changing what the record says.
fn content(mut m: Map<String, Value>) -> Map<String, Value> {
    m.remove("revision");
    m.remove("updated_at");
    m
}

fn from_object<R: Record>(m: Map<String, Value>, e: &AuditEntry) -> Result<R> {
    serde_json::from_value(Value::Object(m)).map_err(|err| Error::Decode {
        table: R::TABLE,
        id: e.record_id.clone(),
        detail: err.to_string(),
    })
}

impl Writer<'_> {
    /// Brings a deleted record back with its id, origin and creation time, as the next
    /// revision, and removes its tombstone.
    pub(crate) fn restore<R: Record>(&mut self, mut rec: R) -> Result<()> {
        rec.validate(&self.method.definition)?;
        let id = rec.id();
        let now: Timestamp = self.now;
        rec.set_meta(id, rec.origin(), rec.revision() + 1, rec.created_at(), now);
        // The restored record has seen its deletion: its vector continues the tombstone's.
        if let Some(mut v) = super::received::tombstone(&self.tx, R::TABLE, &id.to_string())? {
            *v.entry(self.installation_key()).or_insert(0) += 1;
            super::received::set(&self.tx, R::TABLE, &id.to_string(), &rec.origin().to_string(), rec.revision(), &v)?;
        }
        self.tx.execute(
            "DELETE FROM tombstone WHERE record_table = ?1 AND record_id = ?2",
            rusqlite::params![R::TABLE, id.to_string()],
        )?;
        self.insert_logged(&rec)
    }
}
