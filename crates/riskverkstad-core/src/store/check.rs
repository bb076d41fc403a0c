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

/// The full check of `conn`. SQLite's own checks run on `side`, a second connection to the
/// same file, on another core while this one checks the log and the records (in memory,
/// where there is no second connection, one after the other).
pub(crate) fn run(conn: &Connection, side: Option<Connection>) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let (sqlite, chain) = match side {
        Some(side) => std::thread::scope(|scope| {
            let sqlite = scope.spawn(move || sqlite_checks(&side));
            let chain = chain(conn);
            let sqlite = sqlite.join().unwrap_or_else(|_| Ok(vec!["SQLite integritetskontroll: avbröts".into()]));
            (sqlite, chain)
        }),
        None => (sqlite_checks(conn), chain(conn)),
    };
    report.problems.extend(sqlite?);
    let (entries, broken, mut last_state) = chain?;
    report.audit_entries = entries;
    report.problems.extend(broken);

    // Every record as stored must be what the log last wrote for it; nothing may exist that
    // the log does not know.
    let mut seen = 0u64;
    macro_rules! check_table {
        ($t:ty) => {{
            let table = <$t as records::Record>::TABLE;
            let mut logged = last_state.remove(table).unwrap_or_default();
            let mut hasher = records::RowHasher::new::<$t>();
            records::scan::<$t>(conn, |id, row| {
                seen += 1;
                let matches = match logged.remove(&id) {
                    Some(Logged::Whole(after)) => Some(matches_log(&records::row_object::<$t>(row)?.1, &after)),
                    Some(Logged::State(state)) => Some(hasher.hash(table, &id, row)? == state),
                    Some(Logged::Gone) | None => None,
                };
                match matches {
                    Some(true) => {}
                    Some(false) => report.problems.push(format!(
                        "Posten {id} i {table} har ändrats utanför Riskverkstad (stämmer inte med granskningsloggen)"
                    )),
                    None => report.problems.push(format!("Posten {id} i {table} saknas i granskningsloggen")),
                }
                Ok(())
            })?;
            let mut gone: Vec<_> =
                logged.into_iter().filter(|(_, l)| !matches!(l, Logged::Gone)).map(|(id, _)| id).collect();
            gone.sort();
            for id in gone {
                report.problems.push(format!(
                    "Posten {id} i {table} finns i granskningsloggen men har tagits bort utanför Riskverkstad"
                ));
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

/// SQLite's integrity and foreign-key checks, as problems.
fn sqlite_checks(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if lines != ["ok"] {
        for l in lines.into_iter().take(20) {
            problems.push(format!("SQLite integritetskontroll: {l}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let fks: Vec<(String, i64, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    for (table, rowid, parent) in fks.into_iter().take(20) {
        problems.push(format!("Tabellen {table} (rad {rowid}) hänvisar till en post i {parent} som inte finns"));
    }
    Ok(problems)
}

/// What the log last wrote for each record, by table and id.
type LastState = HashMap<String, HashMap<String, Logged>>;

/// The chain: contiguous positions, each linked to the previous hash, each hash right. Returns
/// the entries read, the break found (if any), and what the log last wrote for each record.
/// Reads each entry's columns in place (a log has hundreds of thousands).
fn chain(conn: &Connection) -> Result<(u64, Vec<String>, LastState)> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, action, operation, record_table, record_id, before, after, prev_hash, hash, state, format
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut entries = 0u64;
    let mut broken = Vec::new();
    let mut last_state: LastState = HashMap::new();
    while let Some(r) = rows.next()? {
        entries += 1;
        if !broken.is_empty() {
            continue;
        }
        let seq: i64 = r.get(0)?;
        let (at, actor, action, operation) = (text(r, 1)?, text(r, 2)?, text(r, 3)?, text(r, 4)?);
        let (table, id, before, after) = (text(r, 5)?, text(r, 6)?, maybe(r, 7)?, maybe(r, 8)?);
        let (stored_prev, hash, state, format) = (text(r, 9)?, text(r, 10)?, maybe(r, 11)?, r.get::<_, i64>(12)?);
        if seq != entries as i64 {
            broken.push(format!("Granskningsloggen: post {entries} saknas (nästa är {seq})"));
            continue;
        }
        if format != audit::FORMAT_FULL && format != audit::FORMAT_CHANGES {
            broken.push(format!("Granskningsloggen: post {seq} har ett okänt format ({format})"));
            continue;
        }
        // A format 2 entry does not store the previous hash; format 1 entries must store it.
        if (format == audit::FORMAT_FULL || !stored_prev.is_empty()) && stored_prev != prev {
            broken.push(format!(
                "Granskningsloggen: post {seq} hänger inte ihop med post {} (kedjan är bruten)",
                seq - 1
            ));
            continue;
        }
        let parts = audit::EntryParts { prev: &prev, seq, at, actor, action, operation, table, id, before, after };
        let expected = if format == audit::FORMAT_FULL { parts.hash_v1() } else { parts.hash_v2(state) };
        if expected != hash {
            broken.push(format!("Granskningsloggen: post {seq} har ändrats i efterhand (kontrollsumman stämmer inte)"));
            continue;
        }
        let logged = match (format, operation) {
            (_, "delete") => Logged::Gone,
            (audit::FORMAT_FULL, _) => after.map_or(Logged::Gone, |a| Logged::Whole(a.to_string())),
            _ => Logged::State(state.unwrap_or_default().to_string()),
        };
        match last_state.get_mut(table) {
            Some(of_table) => {
                of_table.insert(id.to_string(), logged);
            }
            None => {
                last_state.insert(table.to_string(), HashMap::from([(id.to_string(), logged)]));
            }
        }
        prev = hash.to_string();
    }
    Ok((entries, broken, last_state))
}

fn text<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

fn maybe<'a>(r: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'a str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

/// What the log last wrote for a record.
enum Logged {
    /// Format 1: the whole record after, as JSON.
    Whole(String),
    /// Format 2: the record's hash after.
    State(String),
    /// Deleted.
    Gone,
}

/// A format 1 entry's record against the stored one: keys added by later migrations are not
/// in old entries, so only the keys the log holds are compared.
fn matches_log(stored: &Map<String, Value>, logged: &str) -> bool {
    match serde_json::from_str::<Map<String, Value>>(logged) {
        Ok(log) => log.iter().all(|(k, v)| stored.get(k) == Some(v)),
        Err(_) => false,
    }
}
