//! Conflicts: kept for a person when both sides changed a record, never overwritten;
//! settled as mine, theirs or chosen fields, as a version that has seen both sides.

use super::RESOLVE_ACTION;
use super::exchange_error;
use super::import::origins;
use super::kinds::find_object;
use super::kinds::kind;
use super::plan::FieldDiff;
use super::plan::{self};
use crate::error::{Error, Result};
use crate::store::{Read, Store, merge};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};

/// A kept conflict.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// Its id.
    pub id: String,
    /// The table.
    pub table: String,
    /// The kind of record in Swedish.
    pub label: String,
    /// The record's id.
    pub record_id: String,
    /// A name people recognise.
    pub title: String,
    /// Why it is a conflict.
    pub reason: String,
    /// The fields that differ, mine and theirs.
    pub fields: Vec<FieldDiff>,
    /// Whether the record is deleted here.
    pub mine_deleted: bool,
    /// Whether the record is deleted there.
    pub theirs_deleted: bool,
    /// Where theirs was created (installation name).
    pub theirs_origin: String,
    /// Who made theirs (installation name), when proven; `None` when not.
    pub theirs_maker: Option<String>,
    /// The department whose bundle brought it.
    pub sender: String,
    /// When it was found.
    pub detected_at: String,
    /// When it was settled, if it is.
    pub resolved_at: Option<String>,
    /// How: "mine", "theirs" or "edited".
    pub resolution: Option<String>,
    /// By whom.
    pub resolved_by: Option<String>,
}

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "keep", rename_all = "snake_case")]
pub enum Resolution {
    /// Keep my version.
    Mine,
    /// Take theirs.
    Theirs,
    /// Mine with the named fields taken from theirs.
    Fields {
        /// The fields to take from theirs.
        theirs: Vec<String>,
    },
}

/// Conflicts, open ones first; `all` includes settled ones.
pub fn conflicts(store: &Store, all: bool) -> Result<Vec<Conflict>> {
    let names = origins(store)?;
    let sql = format!(
        "SELECT id, record_table, record_id, reason, mine, theirs, theirs_origin, sender_name, detected_at,
                resolved_at, resolution, resolved_by, theirs_maker
         FROM conflict {} ORDER BY resolved_at IS NOT NULL, detected_at, id",
        if all { "" } else { "WHERE resolved_at IS NULL" }
    );
    let mut stmt = store.conn().prepare(&sql)?;
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (
        id,
        table,
        record_id,
        reason,
        _mine_then,
        theirs,
        theirs_origin,
        sender,
        detected_at,
        resolved_at,
        resolution,
        resolved_by,
        theirs_maker,
    ) in rows
    {
        let k = kind(&table);
        let mine = find_object(store.conn(), &table, &record_id)?;
        let theirs: Option<Map<String, Value>> = theirs.and_then(|t| serde_json::from_str(&t).ok());
        let fields = plan::content_diff(mine.as_ref(), theirs.as_ref());
        out.push(Conflict {
            id,
            label: k.map(|k| k.label).unwrap_or("Posten").to_string(),
            title: plan::title_of(theirs.as_ref().or(mine.as_ref()).unwrap_or(&Map::new())),
            table,
            record_id,
            reason,
            fields,
            mine_deleted: mine.is_none(),
            theirs_deleted: theirs.is_none(),
            theirs_maker: Some(theirs_maker).filter(|m| !m.is_empty()),
            theirs_origin: names.get(&theirs_origin).cloned().unwrap_or(theirs_origin),
            sender,
            detected_at,
            resolved_at,
            resolution,
            resolved_by,
        });
    }
    Ok(out)
}

/// Settles a conflict. The result is a new local change that has seen both versions, so
/// it travels on the next exchange and the other side takes it without a new conflict.
pub fn resolve_conflict(store: &mut Store, id: &str, resolution: &Resolution) -> Result<()> {
    let row: Option<(String, String, Option<String>, String, String)> = store
        .conn()
        .query_row(
            "SELECT record_table, record_id, theirs, theirs_versions, theirs_origin FROM conflict WHERE id = ?1 AND resolved_at IS NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((table, record_id, theirs, theirs_versions, theirs_origin)) = row else {
        return Err(exchange_error("conflict_not_found", format!("Det finns ingen öppen konflikt med id {id}.")));
    };
    let k = kind(&table).ok_or_else(|| exchange_error("conflict_not_found", format!("okänd posttyp {table}")))?;
    let theirs: Option<Map<String, Value>> = match theirs {
        Some(t) => Some(serde_json::from_str(&t).map_err(|e| Error::Decode {
            table: "conflict",
            id: id.to_string(),
            detail: e.to_string(),
        })?),
        None => None,
    };
    let theirs_versions = crate::store::received_decode(&table, &record_id, &theirs_versions)?;
    let label = match resolution {
        Resolution::Mine => "mine",
        Resolution::Theirs => "theirs",
        Resolution::Fields { .. } => "edited",
    };
    let actor = store.actor().to_string();
    let conflict_id = id.to_string();
    store.write(&format!("{RESOLVE_ACTION}: {} {}", k.label, record_id), |w| {
        let mine = find_object(w.tx(), &table, &record_id)?;
        let mine_versions = match &mine {
            Some(m) => crate::store::versions_of_object(w.tx(), k.table, m)?,
            None => crate::store::tombstone_versions(w.tx(), k.table, &record_id)?.unwrap_or_default(),
        };
        let mut versions = merge(&mine_versions, &theirs_versions);
        *versions.entry(w.installation_key()).or_insert(0) += 1;
        let rev = |m: &Option<Map<String, Value>>| {
            m.as_ref().and_then(|m| m.get("revision")).and_then(Value::as_i64).unwrap_or(0)
        };
        let revision = rev(&mine).max(rev(&theirs)) + 1;
        let result: Option<Map<String, Value>> = match resolution {
            Resolution::Mine => mine.clone(),
            Resolution::Theirs => theirs.clone(),
            Resolution::Fields { theirs: fields } => {
                let (Some(m), Some(t)) = (&mine, &theirs) else {
                    return Err(exchange_error(
                        "conflict_edit",
                        "Posten är raderad på ena sidan; välj min eller deras version.",
                    ));
                };
                let mut out = m.clone();
                for f in fields {
                    if plan::META.contains(&f.as_str()) || !t.contains_key(f) {
                        return Err(exchange_error("conflict_edit", format!("Fältet {f} kan inte väljas.")));
                    }
                    out.insert(f.clone(), t[f].clone());
                }
                Some(out)
            }
        };
        match result {
            Some(mut rec) => {
                let origin =
                    rec.get("origin").and_then(Value::as_str).map(str::to_string).unwrap_or(theirs_origin.clone());
                rec.insert("origin".into(), Value::String(origin));
                rec.insert("revision".into(), Value::from(revision));
                rec.insert("updated_at".into(), Value::String(w.now().to_string()));
                (k.put)(w, rec, &versions)?;
            }
            None => {
                let origin = mine
                    .as_ref()
                    .and_then(|m| m.get("origin").and_then(Value::as_str))
                    .unwrap_or(&theirs_origin)
                    .to_string();
                (k.remove)(w, &record_id, &origin, &versions)?;
            }
        }
        w.tx().execute(
            "UPDATE conflict SET resolved_at = ?1, resolution = ?2, resolved_by = ?3 WHERE id = ?4",
            params![w.now().to_string(), label, actor, conflict_id],
        )?;
        Ok(())
    })
}
