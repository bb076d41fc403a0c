//! Records whose out-of-scope changes from one sender the receiver lets through, as
//! conflicts to settle (never as automatic changes).

use super::exchange_error;
use super::trust::trusted;
use crate::error::Result;
use crate::ids::Timestamp;
use crate::store::{Read, Store};
use rusqlite::params;
use serde::Serialize;

/// A record whose out-of-scope changes from one sender are let through as conflicts.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allowance {
    /// The sender, by its name in the trust list.
    pub sender: String,
    /// The record's table.
    pub table: String,
    /// The record's id.
    pub record_id: String,
    /// The record as people know it (its name or title), when it is here.
    pub title: String,
    /// The kind of record in Swedish ("Systemet").
    pub label: String,
    /// When, and by whom.
    pub allowed_at: String,
    /// Who allowed it.
    pub allowed_by: String,
}

/// Lets the sender trusted as `sender` change the record `table`/`id` outside its scope: its
/// changes of that record arrive as conflicts to settle, never as automatic changes. (A
/// forged counter is refused all the same.)
pub fn allow_changes(store: &mut Store, sender: &str, table: &str, id: &str) -> Result<Allowance> {
    let t = trusted(store, sender)?;
    let Some(k) = super::kinds::kind(table) else {
        return Err(exchange_error("allowance", format!("\"{table}\" är ingen posttyp")));
    };
    let actor = store.actor().to_string();
    store.connection().execute(
        "INSERT OR REPLACE INTO exchange_allowance (record_table, record_id, sender_fingerprint, allowed_at, allowed_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![k.table, id.trim(), t.fingerprint.openssh, Timestamp::now().to_string(), actor],
    )?;
    allowances(store)?
        .into_iter()
        .find(|a| a.sender == t.name && a.table == k.table && a.record_id == id.trim())
        .ok_or_else(|| exchange_error("allowance", "medgivandet sparades inte"))
}

/// Takes back [`allow_changes`]; says whether there was one.
pub fn disallow_changes(store: &mut Store, sender: &str, table: &str, id: &str) -> Result<bool> {
    let t = trusted(store, sender)?;
    let n = store.connection().execute(
        "DELETE FROM exchange_allowance WHERE record_table = ?1 AND record_id = ?2 AND sender_fingerprint = ?3",
        params![table, id.trim(), t.fingerprint.openssh],
    )?;
    Ok(n > 0)
}

/// Every record whose out-of-scope changes are let through, by sender.
pub fn allowances(store: &Store) -> Result<Vec<Allowance>> {
    let mut stmt = store.conn().prepare(
        "SELECT t.name, a.record_table, a.record_id, a.allowed_at, a.allowed_by
         FROM exchange_allowance a JOIN trusted_key t ON t.fingerprint = a.sender_fingerprint
         ORDER BY t.name, a.record_table, a.record_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Allowance {
            sender: r.get(0)?,
            table: r.get(1)?,
            record_id: r.get(2)?,
            title: String::new(),
            label: String::new(),
            allowed_at: r.get(3)?,
            allowed_by: r.get(4)?,
        })
    })?;
    let mut out: Vec<Allowance> = rows.collect::<rusqlite::Result<_>>()?;
    for a in &mut out {
        a.label = super::kinds::kind(&a.table).map(|k| k.label).unwrap_or("Posten").to_string();
        a.title = super::kinds::find_object(store.conn(), &a.table, &a.record_id)?
            .map(|o| super::diff::title_of(&o))
            .unwrap_or_else(|| a.record_id.clone());
    }
    Ok(out)
}
