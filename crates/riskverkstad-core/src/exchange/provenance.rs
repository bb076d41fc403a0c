//! Who made what an import wrote, and who sent it: for the history (beside the import's audit
//! entry) and the register's *Ursprung* (a record's current version, while it is the one
//! received).

use super::kinds::kind;
use crate::error::Result;
use crate::store::{AuditEntry, IMPORT_ACTION, Read, Versions};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;

/// Who made a record's current version and who sent it, when it came in a bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastChange {
    /// The installation that made it, when proven.
    pub made_by: Option<String>,
    /// The sender whose bundle brought it.
    pub sent_by: String,
}

impl LastChange {
    /// In words: "ändrad av B, skickad av Centralen".
    pub fn text(&self) -> String {
        match self.made_by.as_deref() {
            Some(m) if m == self.sent_by => format!("ändrad av {m}"),
            Some(m) => format!("ändrad av {m}, skickad av {}", self.sent_by),
            None => format!("ändrad av okänd (ej styrkt), skickad av {}", self.sent_by),
        }
    }
}

/// The records of `table` whose current version is one an import wrote, with who made and
/// sent it. A record changed here since is not listed (its version vector moved).
pub fn last_changes(store: &impl Read, table: &str) -> Result<HashMap<String, LastChange>> {
    let Some(k) = kind(table) else { return Ok(HashMap::new()) };
    // The table name is the kind's own, never input.
    let sql = format!(
        "SELECT rc.record_id, rc.versions, rc.maker_name, rc.sender_name, rv.versions, r.origin, r.revision
         FROM received_change rc
         JOIN {t} r ON r.id = rc.record_id
         LEFT JOIN record_version rv ON rv.record_table = rc.record_table AND rv.record_id = rc.record_id
         WHERE rc.record_table = ?1
           AND rc.received_at = (SELECT max(x.received_at) FROM received_change x
                                 WHERE x.record_table = rc.record_table AND x.record_id = rc.record_id)",
        t = k.table
    );
    let mut stmt = store.conn().prepare(&sql)?;
    let rows = stmt.query_map(params![k.table], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, received, maker, sender, stored, origin, revision) = row?;
        let received: Versions = crate::store::received_decode(k.table, &id, &received)?;
        let current = match stored {
            Some(v) => crate::store::received_decode(k.table, &id, &v)?,
            None => crate::store::implicit(&origin, revision),
        };
        if received == current {
            out.insert(id, LastChange { made_by: Some(maker).filter(|m| !m.is_empty()), sent_by: sender });
        }
    }
    Ok(out)
}

/// The history with who made each imported change beside the import's entry, when it was not
/// the sender ("Import av paket från Centralen (nr 3) – gjord av Bildningsförvaltningen").
pub fn with_makers(store: &impl Read, mut entries: Vec<AuditEntry>) -> Result<Vec<AuditEntry>> {
    let mut stmt = store.conn().prepare_cached(
        "SELECT maker_name, sender_name FROM received_change WHERE record_table = ?1 AND record_id = ?2 AND received_at = ?3",
    )?;
    for e in entries.iter_mut().filter(|e| e.action.starts_with(IMPORT_ACTION)) {
        let found: Option<(String, String)> =
            stmt.query_row(params![e.record_table, e.record_id, e.at], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
        match found {
            Some((maker, _)) if maker.is_empty() => e.action.push_str(" – gjord av okänd (ej styrkt)"),
            Some((maker, sender)) if maker != sender => e.action.push_str(&format!(" – gjord av {maker}")),
            _ => {}
        }
    }
    Ok(entries)
}
