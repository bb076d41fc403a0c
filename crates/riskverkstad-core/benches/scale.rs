//! Every figure of issue #21 at 500, 5,000 and 20,000 systems, in one run, each printed with
//! its target and its ratio to a floor or peer measured in the same run:
//!
//! - database size per system, and `check` against SQLite's own integrity check (its floor);
//! - the first view as the app makes it (open without the whole-file check, then Översikt),
//!   and a full open (with it);
//! - register search, the yearly cycle (due list) and the Översikt;
//! - export of the whole database and its import into a new installation, against the floor
//!   of the bundle's records inserted with prepared statements in one transaction;
//! - the first view and the register on an encrypted copy against the plain file.
//!
//! `RISKVERKSTAD_BENCH_SYSTEMS=500,5000` chooses the sizes. The last lines show how each
//! figure grows per system from the smallest size. Run with `bash .ci/bench` (or
//! `cargo bench -p riskverkstad-core --bench scale`).

#[path = "support/floor.rs"]
mod floor;

use chrono::NaiveDate;
use floor::best;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::exchange::{Limits, PublicKey, Scope};
use riskverkstad_core::gather::due_list;
use riskverkstad_core::register_list::{Register, RegisterQuery, SortKey};
use riskverkstad_core::store::{Passphrase, Read, Store};
use riskverkstad_core::usecase::open::{Opened, Purpose};
use riskverkstad_core::views::Overview;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn sizes() -> Vec<usize> {
    if !std::env::args().any(|a| a == "--bench") {
        return vec![20]; // `cargo test --all-targets`: a smoke run a debug build does in seconds
    }
    let wanted = std::env::var("RISKVERKSTAD_BENCH_SYSTEMS").unwrap_or_else(|_| "500,5000,20000".into());
    wanted.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

fn key() -> Passphrase {
    Passphrase::new("korp vattenkanna blyerts sjuttio".into())
}

/// One printed figure.
struct Figure {
    name: &'static str,
    value: f64,
    unit: &'static str,
    target: String,
    ratio: Option<(f64, &'static str)>,
}

fn figure(
    name: &'static str,
    value: f64,
    unit: &'static str,
    target: &str,
    ratio: Option<(f64, &'static str)>,
) -> Figure {
    Figure { name, value, unit, target: target.to_string(), ratio }
}

fn main() {
    let mut all: Vec<(usize, Vec<Figure>)> = Vec::new();
    for n in sizes() {
        let figures = measure(n);
        println!("\n{n} systems");
        println!("  {:<44} {:>12}  {:<22} ratio", "figure", "measured", "target");
        for f in &figures {
            let ratio = f.ratio.map(|(r, to)| format!("{r:.2}× {to}")).unwrap_or_default();
            println!("  {:<44} {:>9.1} {:<3} {:<22} {ratio}", f.name, f.value, f.unit, f.target);
        }
        all.push((n, figures));
    }
    // Growth: each figure per system against the smallest size (1.00 is linear).
    if all.len() > 1 {
        let (n0, base) = &all[0];
        println!("\ngrowth per system against {n0} systems (1.00 = linear; above it grows faster than the register)");
        for (i, f) in base.iter().enumerate() {
            // A figure per system already (KB per system) is compared as it is.
            let per = |value: f64, n: usize| if f.unit == "KB" { value } else { value / n as f64 };
            let per0 = per(f.value, *n0);
            let cells: Vec<String> =
                all.iter().skip(1).map(|(n, fs)| format!("{n}: {:.2}", per(fs[i].value, *n) / per0)).collect();
            println!("  {:<44} {}", f.name, cells.join("   "));
        }
    }
}

fn measure(n: usize) -> Vec<Figure> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kommun.db");
    let mut figures = Vec::new();
    let (built, mut store) = time(|| {
        let mut s = Store::open(&path).expect("open");
        build(&mut s, &DemoConfig { systems: n, seed: 1, today: Some(today()) }).expect("demo");
        s
    });
    figures.push(figure("demo built (records, audit, one transaction)", ms(built), "ms", "", None));

    // Size: the file with its write-ahead log folded in.
    store.conn().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
    let bytes = std::fs::metadata(&path).expect("size").len() as f64;
    let target = if n == 5000 { "≤ 50 MB" } else { "≤ 10 KB/system" };
    figures.push(figure(
        "database size",
        bytes / 1e6,
        "MB",
        target,
        Some((bytes / 1e6 / (n as f64 * 0.01), "of 10 KB/system")),
    ));
    figures.push(figure("size per system", bytes / n as f64 / 1e3, "KB", "≤ 10 KB", None));

    // check, against SQLite's integrity check alone on a fresh connection.
    let check = best(2, || {
        let (t, report) = time(|| store.check().expect("check"));
        assert!(report.is_sound(), "{:?}", report.problems);
        t
    });
    let integrity = best(2, || {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let (t, ok) = time(|| conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)).expect("ic"));
        assert_eq!(ok, "ok");
        t
    });
    let target = if n == 5000 { "≤ 1,000 ms" } else { "" };
    figures.push(figure(
        "check (integrity, chain, every record)",
        ms(check),
        "ms",
        target,
        Some((ms(check) / ms(integrity), "SQLite integrity_check")),
    ));
    figures.push(figure("  floor: SQLite integrity_check", ms(integrity), "ms", "", None));

    // The first view as the app makes it, and a full open, each from a closed file.
    store.set_actor("bench");
    drop(store);
    let first_view = best(3, || {
        let (t, _) = time(|| {
            let Opened::Open { store, .. } = riskverkstad_core::usecase::open::open(
                &path,
                None,
                Purpose::FirstView,
                riskverkstad_core::ids::Timestamp::now(),
            )
            .expect("open") else {
                panic!("opens")
            };
            black_box(Overview::load(&store, today()).expect("overview").due_total);
        });
        t
    });
    let full_open = best(3, || time(|| black_box(Store::open_existing(&path).expect("open").method().number)).0);
    let target = if n == 5000 { "≤ 1,000 ms (app)" } else { "" };
    figures.push(figure(
        "first view (open + Översikt), core",
        ms(first_view),
        "ms",
        target,
        Some((ms(first_view) / 1000.0, "of 1 s")),
    ));
    figures.push(figure("open with the whole-file quick check", ms(full_open), "ms", "", None));
    let store = Store::open_existing(&path).expect("open");

    // Register search, the due list, the Översikt.
    let register = Register::load(&store).expect("register");
    let q = RegisterQuery { text: "system drift".into(), sort: SortKey::Level, ..Default::default() };
    let mut searches: Vec<Duration> =
        (0..41).map(|_| time(|| black_box(register.search(black_box(&q)).len())).0).collect();
    searches.sort();
    let search = searches[20];
    figures.push(figure("register search (median)", ms(search), "ms", "≤ 5 ms", Some((ms(search) / 5.0, "of 5 ms"))));
    let due = best(3, || time(|| black_box(due_list(&store, today()).expect("due").len())).0);
    let overview = best(3, || time(|| black_box(Overview::load(&store, today()).expect("overview").due_total)).0);
    let load = best(3, || time(|| black_box(Register::load(&store).expect("load").rows().len())).0);
    figures.push(figure("due list (årshjul)", ms(due), "ms", "", Some((ms(due) / ms(load), "register load"))));
    figures.push(figure("Översikt", ms(overview), "ms", "", Some((ms(overview) / ms(load), "register load"))));
    figures.push(figure("  peer: register load", ms(load), "ms", "", None));
    drop(store);

    // Export and import, against the floor of the records alone.
    let mut a = Store::open_existing(&path).expect("open");
    riskverkstad_core::exchange::init_identity(&mut a, "Kommunen").expect("identity");
    let mut bundle = Vec::new();
    let export = best(2, || {
        let (t, b) =
            time(|| riskverkstad_core::exchange::export_bundle(&mut a, &Scope::All, None).expect("export").bytes);
        bundle = b;
        t
    });
    let public =
        PublicKey::from_openssh(&riskverkstad_core::exchange::identity(&a).expect("id").expect("id").public_key)
            .expect("key");
    drop(a);
    let mut k = 0;
    let import = best(2, || {
        k += 1;
        let mut c = Store::open(&dir.path().join(format!("central{k}.db"))).expect("open");
        riskverkstad_core::exchange::init_identity(&mut c, &format!("Central {k}")).expect("identity");
        let terms = riskverkstad_core::exchange::TrustTerms::department(&[], "Mätningen");
        riskverkstad_core::exchange::trust_add(&mut c, &public, "Kommunen", &terms).expect("trust");
        let (t, report) = time(|| {
            riskverkstad_core::exchange::import_bundle(&mut c, &bundle, Limits::default(), None).expect("import")
        });
        assert!(report.applied);
        t
    });
    let floor = floor::records_floor(dir.path(), &bundle, 2).best;
    let target = if n == 5000 { "≤ 2,000 ms" } else { "" };
    figures.push(figure(
        "export + sign (whole database)",
        ms(export),
        "ms",
        target,
        Some((ms(export) / ms(floor), "records floor")),
    ));
    figures.push(figure(
        "import (verify, plan, apply)",
        ms(import),
        "ms",
        "≤ 3× floor",
        Some((ms(import) / ms(floor), "records floor")),
    ));
    figures.push(figure("  floor: the bundle's records inserted", ms(floor), "ms", "", None));

    // Encrypted against plain: the same file encrypted in place.
    let plain_copy = dir.path().join("klar.db");
    std::fs::copy(&path, &plain_copy).expect("copy");
    let store = Store::open_existing(&path).expect("open");
    let (store, _) = riskverkstad_core::backup::change_passphrase(store, key()).expect("encrypt");
    drop(store);
    let view = |p: &Path, key: Option<Passphrase>| {
        best(3, || {
            time(|| {
                let store = Store::unlock_unchecked(p, key.clone()).expect("open");
                black_box(Overview::load(&store, today()).expect("overview").due_total);
                black_box(Register::load(&store).expect("register").search(&q).len());
            })
            .0
        })
    };
    let plain = view(&plain_copy, None);
    let encrypted = view(&path, Some(key()));
    figures.push(figure(
        "encrypted: open + Översikt + register",
        ms(encrypted),
        "ms",
        "≤ 1.3× + key derivation",
        Some((ms(encrypted) / ms(plain), "plain")),
    ));
    figures.push(figure("  peer: the same, plain", ms(plain), "ms", "", None));
    figures
}
