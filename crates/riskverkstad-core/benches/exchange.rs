//! The bundle exchange at municipality scale: 5,000 systems and 50,000 risks.
//! Export+sign (target ≤ 2 s) and verify+plan+apply (target ≤ 3× the floor), where the floor
//! is the same rows inserted into an empty database file with prepared statements in one
//! transaction, measured in the same run. Two floors are measured: the bundle's records
//! alone, and every row the import wrote (the records with their version vectors and the
//! audit entry each write carries). Prints the figures and both ratios.
//! Run with `cargo bench -p riskverkstad-core --bench exchange`.

#[path = "support/floor.rs"]
mod floor;

use chrono::NaiveDate;
use floor::best;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::exchange::{Limits, PublicKey, Scope};
use riskverkstad_core::model::Risk;
use riskverkstad_core::store::{Read, Store};
use rusqlite::types::Value as Sql;
use std::time::{Duration, Instant};

/// `cargo bench` passes `--bench`: the full size. `cargo test --all-targets` runs this once as
/// a smoke test, at a size a debug build does in seconds.
fn size() -> (usize, usize) {
    if std::env::args().any(|a| a == "--bench") { (5000, 50_000) } else { (20, 400) }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let (systems, risks) = size();
    let mut a = Store::open(&dir.path().join("a.db")).expect("open");
    build(&mut a, &DemoConfig { systems, seed: 1, today: Some(today) }).expect("demo");
    let existing: Vec<Risk> = a.list().expect("risks");
    let existing_risks = existing.len();
    let missing = risks.saturating_sub(existing.len());
    a.write("Fler risker", |w| {
        for (i, r) in existing.iter().cycle().take(missing).enumerate() {
            w.insert(Risk { id: Default::default(), title: format!("{} ({i})", r.title), ..r.clone() })?;
        }
        Ok(())
    })
    .expect("risks");
    assert_eq!(a.count::<Risk>().expect("n") as usize, risks.max(existing.len()));
    riskverkstad_core::exchange::init_identity(&mut a, "Kommunen").expect("identity");

    // Export + sign.
    let mut bytes = Vec::new();
    let export = best(3, || {
        let t = Instant::now();
        bytes = riskverkstad_core::exchange::export_bundle(&mut a, &Scope::All, None).expect("export").bytes;
        t.elapsed()
    });
    let public =
        PublicKey::from_openssh(&riskverkstad_core::exchange::identity(&a).expect("id").expect("id").public_key)
            .expect("key");

    // Verify + plan + apply into a new installation.
    let mut n = 0;
    let import = best(3, || {
        n += 1;
        let mut c = Store::open(&dir.path().join(format!("c{n}.db"))).expect("open");
        riskverkstad_core::exchange::init_identity(&mut c, &format!("Central {n}")).expect("identity");
        riskverkstad_core::exchange::trust_add(
            &mut c,
            &public,
            "Kommunen",
            &riskverkstad_core::exchange::TrustTerms::department(&[], "Mätningen"),
        )
        .expect("trust");
        let t = Instant::now();
        let report =
            riskverkstad_core::exchange::import_bundle(&mut c, &bytes, Limits::default(), None).expect("import");
        let e = t.elapsed();
        assert!(report.applied);
        assert_eq!(c.count::<Risk>().expect("n") as usize, risks.max(existing_risks));
        e
    });

    // Where the import's time goes: checking and decoding, then planning (read-only).
    let mut c = Store::open(&dir.path().join("phases.db")).expect("open");
    riskverkstad_core::exchange::init_identity(&mut c, "Central").expect("identity");
    riskverkstad_core::exchange::trust_add(
        &mut c,
        &public,
        "Kommunen",
        &riskverkstad_core::exchange::TrustTerms::department(&[], "Mätningen"),
    )
    .expect("trust");
    let t = Instant::now();
    riskverkstad_core::exchange::read_bundle(&c, &bytes, Limits::default()).expect("read");
    let read = t.elapsed();
    let t = Instant::now();
    riskverkstad_core::exchange::plan_import(&c, &bytes, Limits::default()).expect("plan");
    let planned = t.elapsed();

    let order: Vec<String> = riskverkstad_core::exchange::table_order().iter().map(|s| s.to_string()).collect();
    let floor::Floor { best: floor, rows, tables, last: floor_file } = floor::records_floor(dir.path(), &bytes, 3);
    let (floor_all, total_rows, table_count) = all_rows_floor(dir.path(), &dir.path().join(format!("c{n}.db")), &order);

    // What each wrote: the database file and its write-ahead log, after the last run.
    let written = |name: &str| -> f64 {
        ["", "-wal"]
            .iter()
            .map(|suffix| std::fs::metadata(dir.path().join(format!("{name}{suffix}"))).map(|m| m.len()).unwrap_or(0))
            .sum::<u64>() as f64
            / 1e6
    };
    let (import_mb, floor_mb) =
        (written(&format!("c{n}.db")), written(&floor_file.file_name().unwrap_or_default().to_string_lossy()));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("bundle: {} records in {} tables, {:.1} MB", rows, tables, bytes.len() as f64 / 1e6);
    println!("export+sign:        {:>8.0} ms   (target ≤ 2000 ms)", ms(export));
    println!("verify+plan+apply:  {:>8.0} ms", ms(import));
    println!(
        "  of which verify+decode {:.0} ms, +plan {:.0} ms, +apply {:.0} ms",
        ms(read),
        ms(planned - read),
        ms(import.saturating_sub(planned))
    );
    println!("floor (records):    {:>8.0} ms   (the bundle's records alone)", ms(floor));
    println!("import/floor:       {:>8.2}×", ms(import) / ms(floor));
    println!(
        "floor of every row the import wrote ({total_rows} rows in {} tables): {:.0} ms",
        table_count,
        ms(floor_all)
    );
    println!("import/that floor:  {:>8.2}×     (target ≤ 3×)", ms(import) / ms(floor_all));
    println!(
        "on disk after:      import {import_mb:.0} MB (records, version vectors and one audit entry per record), floor {floor_mb:.0} MB (records only)"
    );
}

/// The floor of everything the import wrote: every row of every table of the imported
/// database (records, version vectors, audit entries, aliases, peer), copied with prepared
/// INSERTs in one transaction into an empty file with the same schema.
fn all_rows_floor(dir: &std::path::Path, imported: &std::path::Path, order: &[String]) -> (Duration, usize, usize) {
    let imported = rusqlite::Connection::open(imported).expect("open imported");
    let db_tables: Vec<String> = imported
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut all_rows: Vec<(String, usize, Vec<Vec<Sql>>)> = Vec::new();
    for t in &db_tables {
        let mut stmt = imported.prepare(&format!("SELECT * FROM {t}")).expect("select");
        let width = stmt.column_count();
        let rows: Vec<Vec<Sql>> = stmt
            .query_map([], |r| (0..width).map(|i| r.get::<_, Sql>(i)).collect())
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        all_rows.push((t.clone(), width, rows));
    }
    // Referenced tables first, as the import writes them (an attestation refers to its batch).
    all_rows
        .sort_by_key(|(t, _, _)| (order.iter().position(|o| o == t).map(|p| p + 1).unwrap_or(0), t == "attestation"));
    let total_rows: usize = all_rows.iter().map(|(_, _, r)| r.len()).sum();
    let mut f = 0;
    let floor_all = best(3, || {
        f += 1;
        let tables: Vec<&str> = all_rows.iter().map(|(t, _, _)| t.as_str()).collect();
        let mut conn = floor::empty_database(&dir.join(format!("floor-all{f}.db")), &tables);
        let t0 = Instant::now();
        let tx = conn.transaction().expect("tx");
        for (table, width, rows) in &all_rows {
            let marks = (1..=*width).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let mut stmt = tx.prepare(&format!("INSERT INTO {table} VALUES ({marks})")).expect("prepare");
            for row in rows {
                stmt.execute(rusqlite::params_from_iter(row.iter())).expect("insert");
            }
        }
        tx.commit().expect("commit");
        t0.elapsed()
    });

    (floor_all, total_rows, all_rows.len())
}
