//! Generic mapping between records and rows: a record's serde form is an object whose keys
//! are the column names; [`ColKind`] says how each is stored.

use crate::error::{Error, Result};
pub use crate::record::{ColKind, META_COLUMNS, Record, SqlKind};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, ErrorCode, OptionalExtension, params_from_iter};
use serde_json::{Map, Value};

fn columns<R: Record>() -> impl Iterator<Item = &'static (&'static str, ColKind)> {
    META_COLUMNS.iter().chain(R::COLUMNS.iter())
}

fn column_list<R: Record>() -> String {
    columns::<R>().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// The record's serde form as a JSON object.
pub fn to_object<R: Record>(rec: &R) -> Result<Map<String, Value>> {
    match serde_json::to_value(rec) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::Decode { table: R::TABLE, id: rec.id().to_string(), detail: "ingen objektform".into() }),
        Err(e) => Err(Error::Decode { table: R::TABLE, id: rec.id().to_string(), detail: e.to_string() }),
    }
}

/// A field's JSON value as an SQL value: the JSON kind decides (lists and objects become JSON
/// text); reading back is where `ColKind` matters.
fn to_sql(v: Option<&Value>) -> Sql {
    match v {
        None | Some(Value::Null) => Sql::Null,
        Some(Value::Bool(b)) => Sql::Integer(*b as i64),
        Some(Value::Number(n)) => n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
        Some(Value::String(s)) => Sql::Text(s.clone()),
        Some(other) => Sql::Text(other.to_string()),
    }
}

fn from_sql(v: ValueRef<'_>, kind: ColKind) -> std::result::Result<Value, String> {
    Ok(match (v, kind) {
        (ValueRef::Null, _) => Value::Null,
        (ValueRef::Integer(i), ColKind::Bool) => Value::Bool(i != 0),
        (ValueRef::Integer(i), _) => Value::from(i),
        (ValueRef::Real(f), _) => Value::from(f),
        (ValueRef::Text(t), ColKind::Json) => serde_json::from_slice(t).map_err(|e| e.to_string())?,
        (ValueRef::Text(t), _) => Value::String(String::from_utf8_lossy(t).into_owned()),
        (ValueRef::Blob(_), _) => return Err("oväntad binär data".into()),
    })
}

fn row_to<R: Record>(row: &rusqlite::Row<'_>) -> Result<R> {
    let (id, obj) = row_object::<R>(row)?;
    serde_json::from_value(Value::Object(obj)).map_err(|e| Error::Decode { table: R::TABLE, id, detail: e.to_string() })
}

/// A row as the record's serde form, without going through the record type.
pub(crate) fn row_object<R: Record>(row: &rusqlite::Row<'_>) -> Result<(String, Map<String, Value>)> {
    let mut obj = Map::new();
    let mut id = String::new();
    for (i, (name, kind)) in columns::<R>().enumerate() {
        let v = row.get_ref(i)?;
        let value = from_sql(v, *kind).map_err(|detail| Error::Decode {
            table: R::TABLE,
            id: id.clone(),
            detail: format!("{name}: {detail}"),
        })?;
        if i == 0 {
            id = value.as_str().unwrap_or_default().to_string();
        }
        obj.insert((*name).to_string(), value);
    }
    Ok((id, obj))
}

/// Every stored record of a kind in its serde form, read straight from the rows (the
/// export's bulk read), ordered by id.
pub(crate) fn list_objects<R: Record>(conn: &Connection) -> Result<Vec<(String, Map<String, Value>)>> {
    let sql = format!("SELECT {} FROM {} ORDER BY id", column_list::<R>(), R::TABLE);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(row_object::<R>(row)?);
    }
    Ok(out)
}

fn map_write_error<R: Record>(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => {
            let text = e.to_string();
            if text.contains("FOREIGN KEY") {
                Error::Reference { label: R::LABEL }
            } else if text.contains("UNIQUE") {
                Error::invalid(R::LABEL, "det finns redan en likadan post")
            } else {
                Error::invalid(R::LABEL, format!("databasen godtog inte värdet ({text})"))
            }
        }
        _ => Error::Sqlite(e),
    }
}

/// The INSERT statement of a kind, built once per table (bulk imports insert hundreds of
/// thousands of rows through it).
fn insert_sql<R: Record>() -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SQL: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let mut cache = SQL.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    cache.entry(R::TABLE).or_insert_with(|| {
        let n = META_COLUMNS.len() + R::COLUMNS.len();
        let marks = (1..=n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        // One string per record kind for the life of the process: a fixed, small set.
        Box::leak(format!("INSERT INTO {} ({}) VALUES ({marks})", R::TABLE, column_list::<R>()).into_boxed_str())
    })
}

/// Inserts a record; returns its stored object form (for the audit log).
pub fn insert<R: Record>(conn: &Connection, rec: &R) -> Result<Map<String, Value>> {
    let obj = to_object(rec)?;
    insert_object::<R>(conn, &obj)?;
    Ok(obj)
}

/// Inserts a record given as its (already validated) object form.
pub(crate) fn insert_object<R: Record>(conn: &Connection, obj: &Map<String, Value>) -> Result<()> {
    let values = columns::<R>().map(|(c, _)| to_sql(obj.get(*c)));
    conn.prepare_cached(insert_sql::<R>())?.execute(params_from_iter(values)).map_err(map_write_error::<R>)?;
    Ok(())
}

/// Stores a changed record: only the columns whose value differs from `before` (the stored
/// record's serde form) are written, so the schema's guards on a column (a frozen decision's)
/// see an untouched column as untouched.
pub fn update<R: Record>(conn: &Connection, before: &Map<String, Value>, rec: &R) -> Result<Map<String, Value>> {
    let obj = to_object(rec)?;
    let changed: Vec<&str> =
        columns::<R>().skip(1).map(|(c, _)| *c).filter(|c| obj.get(*c) != before.get(*c)).collect();
    if changed.is_empty() {
        return Ok(obj);
    }
    let sets = changed.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE {} SET {sets} WHERE id = ?1", R::TABLE);
    let values = std::iter::once(to_sql(obj.get("id"))).chain(changed.iter().map(|c| to_sql(obj.get(*c))));
    conn.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(map_write_error::<R>)?;
    Ok(obj)
}

/// Deletes a record by id.
pub fn delete<R: Record>(conn: &Connection, id: R::Id) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE id = ?1", R::TABLE);
    conn.prepare_cached(&sql)?.execute([id.to_string()]).map_err(map_write_error::<R>)?;
    Ok(())
}

/// The record with `id`, if any.
pub fn find<R: Record>(conn: &Connection, id: R::Id) -> Result<Option<R>> {
    let sql = format!("SELECT {} FROM {} WHERE id = ?1", column_list::<R>(), R::TABLE);
    let mut stmt = conn.prepare_cached(&sql)?;
    let row = stmt.query_row([id.to_string()], |row| Ok(row_to::<R>(row))).optional()?;
    row.transpose()
}

/// The record with `id`, or [`Error::NotFound`].
pub fn get<R: Record>(conn: &Connection, id: R::Id) -> Result<R> {
    find(conn, id)?.ok_or_else(|| Error::NotFound { label: R::LABEL, id: id.to_string() })
}

/// Records matching a parameterised `WHERE` clause (empty for all), ordered by id.
pub(crate) fn list<R: Record>(
    conn: &Connection,
    where_clause: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<R>> {
    let sql = format!("SELECT {} FROM {} {where_clause} ORDER BY id", column_list::<R>(), R::TABLE);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(row_to::<R>(row)?);
    }
    Ok(out)
}

/// Records whose `column` equals `value`. The column must be one of the record's own.
pub fn list_by<R: Record>(conn: &Connection, column: &'static str, value: &str) -> Result<Vec<R>> {
    if !columns::<R>().any(|(c, _)| *c == column) {
        return Err(Error::invalid(column, format!("{} har ingen sådan kolumn", R::TABLE)));
    }
    list(conn, &format!("WHERE {column} = ?1"), &[&value])
}

/// How many records of a kind there are.
pub fn count<R: Record>(conn: &Connection) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM {}", R::TABLE);
    Ok(conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as u64)
}

/// Calls `f` with every stored row of a kind and its id, in storage order (the check's scan:
/// no sort, no index). [`row_object`] and [`RowHasher`] read the row.
pub(crate) fn scan<R: Record>(
    conn: &Connection,
    mut f: impl FnMut(String, &rusqlite::Row<'_>) -> Result<()>,
) -> Result<()> {
    let sql = format!("SELECT {} FROM {}", column_list::<R>(), R::TABLE);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        f(id, row)?;
    }
    Ok(())
}

/// A kind's row hashed straight from its columns, as [`crate::store::audit_state_hash`]
/// hashes the row's object form (the check compares hundreds of thousands of rows; building
/// each as an object first was most of its time). A test holds the two equal.
pub(crate) struct RowHasher {
    /// Column position, and the name as a JSON string, in name order.
    sorted: Vec<(usize, Vec<u8>, ColKind)>,
    text: Vec<u8>,
}

impl RowHasher {
    pub(crate) fn new<R: Record>() -> RowHasher {
        let mut sorted: Vec<(usize, &str, ColKind)> =
            columns::<R>().enumerate().map(|(i, (name, kind))| (i, *name, *kind)).collect();
        sorted.sort_by(|a, b| a.1.cmp(b.1));
        let sorted =
            sorted.into_iter().map(|(i, name, kind)| (i, serde_json::to_vec(name).unwrap_or_default(), kind)).collect();
        RowHasher { sorted, text: Vec::with_capacity(1024) }
    }

    /// The row's hash; `table` and `id` name it in an error.
    pub(crate) fn hash(&mut self, table: &'static str, id: &str, row: &rusqlite::Row<'_>) -> Result<String> {
        use sha2::{Digest, Sha256};
        let decode = |detail: String| Error::Decode { table, id: id.to_string(), detail };
        self.text.clear();
        self.text.push(b'{');
        let mut first = true;
        for (i, key, kind) in &self.sorted {
            let start = self.text.len();
            if !first {
                self.text.push(b',');
            }
            self.text.extend_from_slice(key);
            self.text.push(b':');
            let written = match (row.get_ref(*i)?, kind) {
                (ValueRef::Null, _) => false,
                (ValueRef::Integer(b), ColKind::Bool) => {
                    self.text.extend_from_slice(if b != 0 { b"true" } else { b"false" });
                    true
                }
                (ValueRef::Integer(n), _) => serde_json::to_writer(&mut self.text, &n).is_ok(),
                (ValueRef::Real(f), _) => serde_json::to_writer(&mut self.text, &Value::from(f)).is_ok(),
                (ValueRef::Text(t), ColKind::Json) => {
                    let v: Value = serde_json::from_slice(t).map_err(|e| decode(e.to_string()))?;
                    !v.is_null() && {
                        crate::store::audit::write_value(&mut self.text, &v);
                        true
                    }
                }
                (ValueRef::Text(t), _) => serde_json::to_writer(&mut self.text, &String::from_utf8_lossy(t)).is_ok(),
                (ValueRef::Blob(_), _) => return Err(decode("oväntad binär data".into())),
            };
            if written {
                first = false;
            } else {
                self.text.truncate(start);
            }
        }
        self.text.push(b'}');
        Ok(hex::encode(Sha256::digest(&self.text)))
    }
}

/// The ids of the records of a kind that mention `id` in one of their own text fields (a
/// reference, or a list of them): the records around a record, for its history.
pub fn ids_mentioning<R: Record>(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let tests: Vec<String> = R::COLUMNS
        .iter()
        .filter(|(_, kind)| matches!(kind, ColKind::Text | ColKind::Json))
        .map(|(c, _)| format!("instr(coalesce({c}, ''), ?1) > 0"))
        .collect();
    if tests.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id FROM {} WHERE {}", R::TABLE, tests.join(" OR "));
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt.query_map([id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}
