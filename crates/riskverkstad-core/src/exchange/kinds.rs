//! Every record kind as the exchange handles it without knowing its type: a table of
//! functions built once from [`crate::for_each_record!`], in dependency order.

use super::inputs::{Fk, Key, WireTombstone};
use crate::error::{Error, Result};
use crate::store::{Record, Versions, Writer};
use rusqlite::Connection;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Records in their serde form, by id.
pub(crate) type Objects = Vec<(String, Map<String, Value>)>;
/// One record in its serde form, if it exists.
pub(crate) type Found = Result<Option<Map<String, Value>>>;
/// A record's typed check: deserialise and validate under a method; the object back or why not.
type Check = fn(Map<String, Value>, &crate::method::Method) -> std::result::Result<Map<String, Value>, String>;

/// A record's insert from its checked object form, with its audit hash if already computed.
type Insert = fn(&mut Writer<'_>, &Map<String, Value>, &Versions, Option<String>) -> Result<()>;

/// One kind of record, as the exchange handles it without knowing its type.
pub(crate) struct Kind {
    pub table: &'static str,
    pub label: &'static str,
    /// The record's own columns (after the common ones).
    #[cfg_attr(not(test), allow(dead_code))]
    pub columns: &'static [(&'static str, crate::store::ColKind)],
    /// The references that make a record part of what it refers to ([`Record::OWNED_BY`]).
    pub owned_by: &'static [&'static str],
    pub objects: fn(&Connection) -> Result<Objects>,
    pub check: Check,
    pub put: fn(&mut Writer<'_>, Map<String, Value>, &Versions) -> Result<()>,
    pub insert: Insert,
    pub find: fn(&Connection, &str) -> Found,
    pub remove: fn(&mut Writer<'_>, &str, &str, &Versions) -> Result<()>,
}

fn check_typed<R: Record>(
    m: Map<String, Value>,
    method: &crate::method::Method,
) -> std::result::Result<Map<String, Value>, String> {
    // Deserialised by reference: the map itself is what is stored, once its typed form has
    // passed the record's own validation.
    let value = Value::Object(m);
    let rec = R::deserialize(&value).map_err(|e| e.to_string())?;
    rec.validate(method).map_err(|e| e.to_string())?;
    let Value::Object(mut m) = value else { unreachable!("built as an object above") };
    // A bundle from an older version lacks the fields added since: they get their defaults,
    // as the typed record has them, so that every column is written.
    if R::COLUMNS.iter().any(|(c, _)| !m.contains_key(*c)) {
        let typed = crate::store::to_object(&rec).map_err(|e| e.to_string())?;
        for (column, _) in R::COLUMNS {
            if !m.contains_key(*column)
                && let Some(v) = typed.get(*column)
            {
                m.insert((*column).to_string(), v.clone());
            }
        }
    }
    Ok(m)
}

fn put_typed<R: Record>(w: &mut Writer<'_>, m: Map<String, Value>, versions: &Versions) -> Result<()> {
    let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
    let rec: R = serde_json::from_value(Value::Object(m)).map_err(|e| Error::Decode {
        table: R::TABLE,
        id,
        detail: e.to_string(),
    })?;
    w.put_received(&rec, versions)
}

fn find_typed<R: Record>(conn: &Connection, id: &str) -> Found {
    let Ok(uuid) = id.parse::<uuid::Uuid>() else { return Ok(None) };
    crate::store::find_record::<R>(conn, R::Id::from(uuid))?.map(|r| crate::store::to_object(&r)).transpose()
}

fn insert_typed<R: Record>(
    w: &mut Writer<'_>,
    m: &Map<String, Value>,
    versions: &Versions,
    hashed: Option<String>,
) -> Result<()> {
    w.insert_received_object::<R>(m, versions, hashed)
}

fn remove_typed<R: Record>(w: &mut Writer<'_>, id: &str, origin: &str, versions: &Versions) -> Result<()> {
    let uuid: uuid::Uuid = id.parse().map_err(|e: uuid::Error| Error::Decode {
        table: R::TABLE,
        id: id.to_string(),
        detail: e.to_string(),
    })?;
    w.remove_received::<R>(R::Id::from(uuid), origin, versions)
}

fn objects_typed<R: Record>(conn: &Connection) -> Result<Objects> {
    crate::store::list_objects::<R>(conn)
}

/// Every record kind, in dependency order (referenced tables first).
pub(crate) fn kinds() -> &'static [Kind] {
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut v = Vec::new();
        macro_rules! push {
            ($t:ty) => {
                v.push(Kind {
                    table: <$t as Record>::TABLE,
                    label: <$t as Record>::LABEL,
                    columns: <$t as Record>::COLUMNS,
                    owned_by: <$t as Record>::OWNED_BY,
                    objects: objects_typed::<$t>,
                    check: check_typed::<$t>,
                    put: put_typed::<$t>,
                    insert: insert_typed::<$t>,
                    find: find_typed::<$t>,
                    remove: remove_typed::<$t>,
                });
            };
        }
        crate::for_each_record!(push);
        v
    })
}

/// The record tables in dependency order (referenced tables first): the order a bundle's
/// records are applied in.
pub fn table_order() -> Vec<&'static str> {
    kinds().iter().map(|k| k.table).collect()
}

pub(crate) fn kind(table: &str) -> Option<&'static Kind> {
    kinds().iter().find(|k| k.table == table)
}

/// The foreign keys between record tables, as the schema declares them.
pub(crate) fn foreign_keys(conn: &Connection) -> Result<Vec<Fk>> {
    let mut out = Vec::new();
    for k in kinds() {
        let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({})", k.table))?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (target, column) in rows {
            if let Some(t) = kind(&target) {
                out.push(Fk { table: k.table, column, target: t.table });
            }
        }
    }
    Ok(out)
}

pub(crate) fn all_versions(conn: &Connection) -> Result<HashMap<Key, Versions>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare("SELECT record_table, record_id, versions FROM record_version")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (table, id, text) = row?;
        if let Some(k) = kind(&table) {
            let v = crate::store::received_decode(&table, &id, &text)?;
            out.insert((k.table, id), v);
        }
    }
    Ok(out)
}

pub(crate) fn all_tombstones(conn: &Connection) -> Result<Vec<WireTombstone>> {
    let mut stmt = conn.prepare(
        "SELECT record_table, record_id, origin, deleted_at, versions FROM tombstone ORDER BY record_table, record_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (table, id, origin, deleted_at, versions) = row?;
        let versions = match versions {
            Some(t) => crate::store::received_decode(&table, &id, &t)?,
            None => crate::store::implicit(&origin, 1),
        };
        out.push(WireTombstone { table, id, origin, deleted_at, versions });
    }
    Ok(out)
}

pub(crate) fn find_object(conn: &Connection, table: &str, id: &str) -> Found {
    match kind(table) {
        Some(k) => (k.find)(conn, id),
        None => Ok(None),
    }
}
