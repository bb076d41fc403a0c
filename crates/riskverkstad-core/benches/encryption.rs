//! The cost of encryption at rest, measured in one run: the same work on a plain and on an
//! encrypted (SQLCipher) database file, alternating, best of three. Building the 5,000-system
//! demo municipality; the register search as a view does it (load the register from the file,
//! then search) and per keystroke (search only); opening the file (with the passphrase's key
//! derivation); and a backup of the 5,000-system database. Prints each pair and its ratio.
//! Run with `cargo bench -p riskverkstad-core --bench encryption` (target: ≤ 1.3×).

use chrono::NaiveDate;
use riskverkstad_core::backup::BackupReason;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::register_list::{Register, RegisterQuery, SortKey};
use riskverkstad_core::store::{Passphrase, Store};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// `cargo bench` passes `--bench`: the full size; `cargo test --all-targets` runs a small one.
fn systems() -> usize {
    if std::env::args().any(|a| a == "--bench") { 5000 } else { 30 }
}

fn key() -> Option<Passphrase> {
    Some(Passphrase::new("korp vattenkanna blyerts sjuttio".into()))
}

fn create(path: &Path, encrypted: bool) -> Store {
    Store::create(path, if encrypted { key() } else { None }).expect("create")
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn main() {
    let n = systems();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = DemoConfig { systems: n, seed: 1, today: NaiveDate::from_ymd_opt(2026, 11, 22) };
    // [plain, encrypted] best times per measurement.
    let names = [
        "demo build",
        "register: load + search",
        "register: search only (×100)",
        "open (key derivation, checks)",
        "backup",
    ];
    let mut best = [[Duration::MAX; 2]; 5];
    for round in 0..3 {
        for (e, encrypted) in [false, true].into_iter().enumerate() {
            let path = dir.path().join(format!("r{round}-{e}.db"));
            let (t, mut store) = time(|| {
                let mut s = create(&path, encrypted);
                build(&mut s, &config).expect("demo");
                s
            });
            best[0][e] = best[0][e].min(t);
            assert_eq!(store.is_encrypted(), encrypted);
            let q = RegisterQuery { text: "system drift".into(), sort: SortKey::Level, ..Default::default() };
            let (t, register) = time(|| {
                let r = Register::load(&store).expect("load");
                black_box(r.search(&q).len());
                r
            });
            best[1][e] = best[1][e].min(t);
            let (t, _) = time(|| {
                for _ in 0..100 {
                    black_box(register.search(black_box(&q)).len());
                }
            });
            best[2][e] = best[2][e].min(t);
            let (t, b) = time(|| {
                riskverkstad_core::backup::create(&store, BackupReason::Manuell, Timestamp::now()).expect("backup")
            });
            best[4][e] = best[4][e].min(t);
            assert!(b.bytes > 0);
            store.set_actor("bench");
            drop(store);
            let (t, s) = time(|| Store::unlock(&path, if encrypted { key() } else { None }).expect("open"));
            best[3][e] = best[3][e].min(t);
            store = s;
            drop(store);
        }
    }
    println!("encryption at rest, {n} systems, best of 3 (plain / encrypted / ratio):");
    for (name, [plain, enc]) in names.iter().zip(best) {
        println!(
            "  {name:<32} {:>9.1} ms {:>9.1} ms {:>6.2}×",
            plain.as_secs_f64() * 1e3,
            enc.as_secs_f64() * 1e3,
            enc.as_secs_f64() / plain.as_secs_f64()
        );
    }
    let size = std::fs::metadata(dir.path().join("r0-1.db")).map(|m| m.len()).unwrap_or(0);
    println!("  database file: {:.1} MB", size as f64 / 1e6);
}
