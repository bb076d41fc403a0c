//! Version vectors, and writing records that arrive in a bundle (or settle a conflict) with
//! their meta fields as given, through the audited writer.
//!
//! Every record has a version vector: for each installation, how many changes it made to the
//! record. A record with no row in `record_version` has the implicit vector
//! `{origin: revision}`, which is exactly right for records only ever changed where they were
//! created, so the common case costs nothing. Local writes keep the vectors true (see
//! [`Writer::update`] and [`Writer::delete`]).

use super::records::{self, Record};
use super::{Writer, audit};
use crate::error::{Error, Result};
use crate::ids::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A version vector: installation id → number of changes made there.
pub type Versions = BTreeMap<String, u64>;

/// How two version vectors relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The same.
    Equal,
    /// The first is older: the second has seen everything the first has, and more.
    Before,
    /// The first is newer.
    After,
    /// Changed on both sides independently.
    Concurrent,
}

/// Compares `a` with `b`.
pub fn compare(a: &Versions, b: &Versions) -> Order {
    let (mut less, mut more) = (false, false);
    for k in a.keys().chain(b.keys()) {
        let (x, y) = (a.get(k).copied().unwrap_or(0), b.get(k).copied().unwrap_or(0));
        less |= x < y;
        more |= x > y;
    }
    match (less, more) {
        (false, false) => Order::Equal,
        (true, false) => Order::Before,
        (false, true) => Order::After,
        (true, true) => Order::Concurrent,
    }
}

/// The pointwise maximum: what has seen both.
pub fn merge(a: &Versions, b: &Versions) -> Versions {
    let mut out = a.clone();
    for (k, v) in b {
        let e = out.entry(k.clone()).or_insert(0);
        *e = (*e).max(*v);
    }
    out
}

/// The implicit vector of a record without a stored one.
pub fn implicit(origin: &str, revision: i64) -> Versions {
    BTreeMap::from([(origin.to_string(), revision.max(0) as u64)])
}

/// Whether `versions` is the implicit vector `{origin: revision}` (without building it).
pub fn is_implicit(versions: &Versions, origin: &str, revision: i64) -> bool {
    match versions.len() {
        1 => versions.get(origin) == Some(&(revision.max(0) as u64)),
        // An empty vector equals {origin: 0}.
        0 => revision <= 0,
        _ => versions.iter().all(|(k, v)| if k == origin { *v == revision.max(0) as u64 } else { *v == 0 }),
    }
}

/// The implicit vector of a record in its serde form: `{origin: revision}`.
pub fn implicit_of(obj: &Map<String, Value>) -> Versions {
    implicit(
        obj.get("origin").and_then(Value::as_str).unwrap_or_default(),
        obj.get("revision").and_then(Value::as_i64).unwrap_or(0),
    )
}

/// The stored vector of a record, if it has one.
pub(crate) fn stored(conn: &Connection, table: &str, id: &str) -> Result<Option<Versions>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT versions FROM record_version WHERE record_table = ?1 AND record_id = ?2")?
        .query_row(params![table, id], |r| r.get(0))
        .optional()?;
    text.map(|t| decode(table, id, &t)).transpose()
}

/// A record's vector: stored, or implicit from its origin and revision.
pub(crate) fn of_object(conn: &Connection, table: &str, obj: &Map<String, Value>) -> Result<Versions> {
    let id = obj.get("id").and_then(Value::as_str).unwrap_or_default();
    match stored(conn, table, id)? {
        Some(v) => Ok(v),
        None => Ok(implicit_of(obj)),
    }
}

pub(crate) fn decode(table: &str, id: &str, text: &str) -> Result<Versions> {
    serde_json::from_str(text).map_err(|e| Error::Decode {
        table: "record_version",
        id: format!("{table}/{id}"),
        detail: e.to_string(),
    })
}

fn encode(v: &Versions) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// Stores `versions` for a record, or removes the row when they equal the implicit vector.
pub(crate) fn set(
    conn: &Connection,
    table: &str,
    id: &str,
    origin: &str,
    revision: i64,
    versions: &Versions,
) -> Result<()> {
    if is_implicit(versions, origin, revision) {
        conn.prepare_cached("DELETE FROM record_version WHERE record_table = ?1 AND record_id = ?2")?
            .execute(params![table, id])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO record_version (record_table, record_id, versions) VALUES (?1, ?2, ?3)
             ON CONFLICT (record_table, record_id) DO UPDATE SET versions = excluded.versions",
        )?
        .execute(params![table, id, encode(versions)])?;
    }
    Ok(())
}

/// A tombstone's vector, if the record was deleted here or the deletion arrived here.
pub(crate) fn tombstone(conn: &Connection, table: &str, id: &str) -> Result<Option<Versions>> {
    let row: Option<(String, Option<String>, i64)> = conn
        .prepare_cached("SELECT origin, versions, 0 FROM tombstone WHERE record_table = ?1 AND record_id = ?2")?
        .query_row(params![table, id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match row {
        None => Ok(None),
        Some((_, Some(text), _)) => decode(table, id, &text).map(Some),
        // A tombstone from before vectors existed: it beats the record's first version only.
        Some((origin, None, _)) => Ok(Some(implicit(&origin, 1))),
    }
}

impl Writer<'_> {
    /// This installation's id, as it appears in version vectors.
    pub(crate) fn installation_key(&self) -> String {
        self.origin.to_string()
    }

    /// Keeps the vector true after a local change of `before` to revision `revision`.
    pub(crate) fn bump_versions<R: Record>(&mut self, before: &R, revision: i64) -> Result<()> {
        let id = before.id().to_string();
        let origin = before.origin().to_string();
        let me = self.installation_key();
        let current = stored(&self.tx, R::TABLE, &id)?;
        if current.is_none() && origin == me {
            return Ok(()); // implicit {me: revision} stays true
        }
        let mut v = current.unwrap_or_else(|| implicit(&origin, before.revision()));
        *v.entry(me).or_insert(0) += 1;
        set(&self.tx, R::TABLE, &id, &origin, revision, &v)
    }

    /// The vector a local deletion of `before` leaves in its tombstone.
    pub(crate) fn deletion_versions<R: Record>(&self, before: &R) -> Result<Versions> {
        let id = before.id().to_string();
        let mut v = stored(&self.tx, R::TABLE, &id)?
            .unwrap_or_else(|| implicit(&before.origin().to_string(), before.revision()));
        *v.entry(self.installation_key()).or_insert(0) += 1;
        self.tx
            .prepare_cached("DELETE FROM record_version WHERE record_table = ?1 AND record_id = ?2")?
            .execute(params![R::TABLE, id])?;
        Ok(v)
    }

    /// Stores a record exactly as given (meta fields included) with its version vector:
    /// inserted if new here, otherwise the stored one replaced. Audited like any write; a
    /// tombstone for it is removed.
    pub(crate) fn put_received<R: Record>(&mut self, rec: &R, versions: &Versions) -> Result<()> {
        let id = rec.id().to_string();
        match records::find::<R>(&self.tx, rec.id())? {
            None => {
                let after = records::insert(&self.tx, rec)?;
                self.log(audit::Op::Insert, R::TABLE, &id, None, Some(&after))?;
                self.tx
                    .prepare_cached("DELETE FROM tombstone WHERE record_table = ?1 AND record_id = ?2")?
                    .execute(params![R::TABLE, id])?;
            }
            Some(before) => {
                if before != *rec {
                    let before_json = records::to_object(&before)?;
                    let after = records::update(&self.tx, &before_json, rec)?;
                    self.log(audit::Op::Update, R::TABLE, &id, Some(&before_json), Some(&after))?;
                }
            }
        }
        set(&self.tx, R::TABLE, &id, &rec.origin().to_string(), rec.revision(), versions)
    }

    /// Inserts a record that is new here (no row, no tombstone), given as its validated object
    /// form: the fast path of an import.
    /// `hashed` is the object's audit hash when the caller has it already (computed on another
    /// core during a bulk import); it must be [`audit::state_hash`] of `obj`.
    pub(crate) fn insert_received_object<R: Record>(
        &mut self,
        obj: &Map<String, Value>,
        versions: &Versions,
        hashed: Option<String>,
    ) -> Result<()> {
        let id = obj.get("id").and_then(Value::as_str).unwrap_or_default();
        records::insert_object::<R>(&self.tx, obj)?;
        match hashed {
            Some(state) => self.log_insert_hashed(R::TABLE, id, state)?,
            None => self.log(audit::Op::Insert, R::TABLE, id, None, Some(obj))?,
        }
        let origin = obj.get("origin").and_then(Value::as_str).unwrap_or_default();
        let revision = obj.get("revision").and_then(Value::as_i64).unwrap_or(0);
        if !is_implicit(versions, origin, revision) {
            set(&self.tx, R::TABLE, id, origin, revision, versions)?;
        }
        Ok(())
    }

    /// Deletes a record because a bundle (or a settled conflict) says so, leaving a tombstone
    /// with `versions`. Deleting a record that is already gone only records the tombstone.
    pub(crate) fn remove_received<R: Record>(&mut self, id: R::Id, origin: &str, versions: &Versions) -> Result<()> {
        let text_id = id.to_string();
        if let Some(before) = records::find::<R>(&self.tx, id)? {
            let before_json = records::to_object(&before)?;
            records::delete::<R>(&self.tx, id)?;
            self.log(audit::Op::Delete, R::TABLE, &text_id, Some(&before_json), None)?;
        }
        self.tx
            .prepare_cached("DELETE FROM record_version WHERE record_table = ?1 AND record_id = ?2")?
            .execute(params![R::TABLE, text_id])?;
        self.record_tombstone(R::TABLE, &text_id, origin, self.now, versions)
    }

    /// Records (or replaces) a tombstone.
    pub(crate) fn record_tombstone(
        &mut self,
        table: &str,
        id: &str,
        origin: &str,
        deleted_at: Timestamp,
        versions: &Versions,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO tombstone (record_table, record_id, origin, deleted_at, versions) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (record_table, record_id) DO UPDATE SET versions = excluded.versions",
            )?
            .execute(params![table, id, origin, deleted_at.to_string(), encode(versions)])?;
        Ok(())
    }

    /// The transaction, for the exchange module's own tables.
    pub(crate) fn tx(&self) -> &Connection {
        &self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pairs: &[(&str, u64)]) -> Versions {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn comparison_is_the_usual_partial_order() {
        assert_eq!(compare(&v(&[("a", 1)]), &v(&[("a", 1)])), Order::Equal);
        assert_eq!(compare(&v(&[("a", 1)]), &v(&[("a", 2)])), Order::Before);
        assert_eq!(compare(&v(&[("a", 2), ("b", 1)]), &v(&[("a", 2)])), Order::After);
        assert_eq!(compare(&v(&[("a", 2)]), &v(&[("a", 1), ("b", 1)])), Order::Concurrent);
        assert_eq!(compare(&v(&[("a", 0)]), &v(&[])), Order::Equal);
        let m = merge(&v(&[("a", 2)]), &v(&[("a", 1), ("b", 1)]));
        assert_eq!(m, v(&[("a", 2), ("b", 1)]));
        assert_eq!(compare(&m, &v(&[("a", 2)])), Order::After);
    }

    #[test]
    fn the_implicit_test_agrees_with_building_the_implicit_vector() {
        for (versions, origin, revision) in [
            (v(&[("a", 1)]), "a", 1),
            (v(&[("a", 1)]), "a", 2),
            (v(&[("a", 1)]), "b", 1),
            (v(&[("a", 1), ("b", 1)]), "a", 1),
            (v(&[("a", 1), ("b", 0)]), "a", 1),
            (v(&[]), "a", 0),
            (v(&[]), "a", 1),
            (v(&[("a", 0)]), "a", -1),
        ] {
            assert_eq!(
                is_implicit(&versions, origin, revision),
                compare(&versions, &implicit(origin, revision)) == Order::Equal,
                "{versions:?} {origin} {revision}"
            );
        }
    }
}
