//! The full check behind `riskverkstad check`.

use super::audit::{self, GENESIS};
use super::records;
use crate::error::Result;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What the check found. Sound when `problems` is empty.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    /// Entries in the audit log.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub audit_entries: u64,
    /// Records checked against the log.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records_checked: u64,
    /// Each problem, in Swedish, naming the table, record or log position.
    pub problems: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

pub(crate) fn run(conn: &Connection) -> Result<CheckReport> {
    let mut report = CheckReport::default();

    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        for l in lines.into_iter().take(20) {
            report.problems.push(format!("SQLite integritetskontroll: {l}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let fks: Vec<(String, i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    for (table, rowid, parent) in fks.into_iter().take(20) {
        report.problems.push(format!("Tabellen {table} (rad {rowid}) hänvisar till en post i {parent} som inte finns"));
    }

    // The chain: contiguous positions, each linked to the previous hash, each hash right.
    let entries = audit::entries(conn, None)?;
    report.audit_entries = entries.len() as u64;
    let mut prev = GENESIS.to_string();
    let mut last_state: HashMap<(String, String), Option<String>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            report.problems.push(format!("Granskningsloggen: post {expected_seq} saknas (nästa är {})", e.seq));
            break;
        }
        if e.prev_hash != prev {
            report.problems.push(format!(
                "Granskningsloggen: post {} hänger inte ihop med post {} (kedjan är bruten)",
                e.seq,
                e.seq - 1
            ));
            break;
        }
        if e.expected_hash() != e.hash {
            report.problems.push(format!(
                "Granskningsloggen: post {} har ändrats i efterhand (kontrollsumman stämmer inte)",
                e.seq
            ));
            break;
        }
        prev = e.hash.clone();
        last_state.insert((e.record_table.clone(), e.record_id.clone()), e.after.clone());
    }

    // Every record as stored must be what the log last wrote for it; nothing may exist that
    // the log does not know. Keys added by later migrations are not in old entries: only the
    // keys the log holds are compared.
    let mut seen = 0u64;
    macro_rules! check_table {
        ($t:ty) => {{
            let table = <$t as records::Record>::TABLE;
            for (id, obj) in records::all_objects::<$t>(conn)? {
                seen += 1;
                match last_state.remove(&(table.to_string(), id.clone())) {
                    Some(Some(after)) => {
                        if !matches_log(&obj, &after) {
                            report.problems.push(format!("Posten {id} i {table} har ändrats utanför Riskverkstad (stämmer inte med granskningsloggen)"));
                        }
                    }
                    _ => report.problems.push(format!("Posten {id} i {table} saknas i granskningsloggen")),
                }
            }
            let gone: Vec<_> = last_state.iter().filter(|((t, _), after)| t == table && after.is_some()).map(|((_, id), _)| id.clone()).collect();
            for id in gone {
                report.problems.push(format!("Posten {id} i {table} finns i granskningsloggen men har tagits bort utanför Riskverkstad"));
            }
        }};
    }
    crate::for_each_record!(check_table);
    report.records_checked = seen;

    // Archived decision documents are addressed by their SHA-256: the bytes must still hash to it.
    let mut stmt = conn.prepare("SELECT sha256, bytes FROM decision_document ORDER BY sha256")?;
    let docs = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    for doc in docs {
        let (sha, bytes) = doc?;
        if riskverkstad_bundle::sha256_hex(&bytes) != sha {
            report
                .problems
                .push(format!("Det arkiverade beslutsdokumentet {sha} har ändrats (kontrollsumman stämmer inte)"));
        }
    }
    report.problems.truncate(200);
    Ok(report)
}

fn matches_log(stored: &Map<String, Value>, logged: &str) -> bool {
    match serde_json::from_str::<Map<String, Value>>(logged) {
        Ok(log) => log.iter().all(|(k, v)| stored.get(k) == Some(v)),
        Err(_) => false,
    }
}
