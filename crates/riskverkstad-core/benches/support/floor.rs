//! The records floor that the exchange and scale benchmarks measure an import against: the
//! bundle's records alone, inserted with prepared statements in one transaction into an empty
//! database file with the product's schema (WAL, `synchronous=NORMAL`). Included by both with
//! `#[path]`; each reads what it needs of the result.
#![allow(dead_code)]

use riskverkstad_core::exchange::{Limits, WireRecord};
use riskverkstad_core::store::Store;
use rusqlite::types::Value as Sql;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The best of `runs` timings.
pub fn best(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..runs).map(|_| f()).min().expect("at least one run")
}

fn sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// A new database file at `path` with the product's schema, opened as a floor writes it (WAL,
/// `synchronous=NORMAL`), with the rows of `emptied` deleted.
pub fn empty_database(path: &Path, emptied: &[&str]) -> rusqlite::Connection {
    drop(Store::open(path).expect("schema"));
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
    conn.pragma_update(None, "synchronous", "NORMAL").expect("sync");
    for t in emptied {
        conn.execute(&format!("DELETE FROM {t}"), []).expect("empty");
    }
    conn
}

/// What the floor measured.
pub struct Floor {
    /// The best time.
    pub best: Duration,
    /// The records inserted, and the tables they are in.
    pub rows: usize,
    pub tables: usize,
    /// The last run's database file.
    pub last: PathBuf,
}

/// The floor of `bytes` (a bundle), best of `runs`, each run into a new file in `dir`.
pub fn records_floor(dir: &Path, bytes: &[u8], runs: usize) -> Floor {
    let order: Vec<String> = riskverkstad_core::exchange::table_order().iter().map(|s| s.to_string()).collect();
    let mut opened = riskverkstad_bundle::open(bytes, Limits::default(), None).expect("open");
    let mut tables: Vec<(String, Vec<WireRecord>)> = Vec::new();
    for name in opened.names() {
        if let Some(t) = name.strip_prefix("records/").and_then(|n| n.strip_suffix(".json")) {
            let rows: Vec<WireRecord> = serde_json::from_slice(&opened.entry(&name).expect("entry")).expect("json");
            tables.push((t.to_string(), rows));
        }
    }
    tables.sort_by_key(|(t, _)| order.iter().position(|o| o == t).unwrap_or(usize::MAX));
    let rows: usize = tables.iter().map(|(_, r)| r.len()).sum();
    let mut m = 0;
    let best = best(runs, || {
        m += 1;
        // What a new database is seeded with is emptied, so that only the bundle's records are in it.
        let mut conn = empty_database(
            &dir.join(format!("floor{m}.db")),
            &["requirement", "threat", "method_version", "control_kind", "recipient"],
        );
        let t0 = Instant::now();
        let tx = conn.transaction().expect("tx");
        for (table, list) in &tables {
            let Some(first) = list.first() else { continue };
            let cols: Vec<&String> = first.record.keys().collect();
            let marks = (1..=cols.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let names = cols.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
            let mut stmt = tx.prepare(&format!("INSERT INTO {table} ({names}) VALUES ({marks})")).expect("prepare");
            for w in list {
                stmt.execute(rusqlite::params_from_iter(cols.iter().map(|c| sql(&w.record[c.as_str()]))))
                    .expect("insert");
            }
        }
        tx.commit().expect("commit");
        t0.elapsed()
    });
    Floor { best, rows, tables: tables.len(), last: dir.join(format!("floor{m}.db")) }
}
