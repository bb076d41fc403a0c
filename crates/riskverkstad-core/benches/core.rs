//! Benchmarks on a 5,000-system demo municipality in a real database file:
//! register search and filter (target ≤ 5 ms), the yearly cycle, loading the register, and
//! the app's first view (open + Översikt), building the demo itself. Run with `cargo bench -p riskverkstad-core --bench core`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::gather::due_list;
use riskverkstad_core::register_list::{Register, RegisterQuery, SortKey};
use riskverkstad_core::store::{Read, Store};
use riskverkstad_core::views::Overview;
use std::hint::black_box;
use std::time::Duration;

const SYSTEMS: usize = 5000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

fn municipality(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("bench.db")).expect("open");
    build(&mut store, &DemoConfig { systems: SYSTEMS, seed: 1, today: Some(today()) }).expect("demo");
    store
}

fn register(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = municipality(dir.path());
    let register = Register::load(&store).expect("load");
    let soc = register.rows().iter().find(|r| r.forvaltning == "Socialförvaltningen").expect("SOC").forvaltning_id;

    let mut g = c.benchmark_group("register_5000");
    g.bench_function("search_text", |b| {
        let q = RegisterQuery { text: "ekonomi".into(), ..Default::default() };
        b.iter(|| black_box(register.search(black_box(&q)).len()))
    });
    g.bench_function("search_two_words_sorted_by_level", |b| {
        let q = RegisterQuery { text: "system drift".into(), sort: SortKey::Level, ..Default::default() };
        b.iter(|| black_box(register.search(black_box(&q)).len()))
    });
    g.bench_function("filter_forvaltning_critical_level", |b| {
        let q =
            RegisterQuery { forvaltning: Some(soc), critical: Some(true), min_level: Some(2), ..Default::default() };
        b.iter(|| black_box(register.search(black_box(&q)).len()))
    });
    g.bench_function("all_sorted_by_forvaltning", |b| {
        let q = RegisterQuery { sort: SortKey::Forvaltning, ..Default::default() };
        b.iter(|| black_box(register.search(black_box(&q)).len()))
    });
    g.sample_size(20);
    g.bench_function("load_from_database", |b| {
        b.iter(|| black_box(Register::load(&store).expect("load").rows().len()))
    });
    g.finish();

    let mut g = c.benchmark_group("due_5000");
    g.sample_size(20);
    g.bench_function("due_list", |b| b.iter(|| black_box(due_list(&store, today()).expect("due").len())));
    g.finish();

    // What the app does before its first view: open the file (quick_check, migrations) and
    // compute the Översikt.
    let mut g = c.benchmark_group("first_view_5000");
    g.sample_size(10);
    let path = dir.path().join("bench.db");
    g.bench_function("open", |b| b.iter(|| black_box(Store::open_existing(&path).expect("open").method().number)));
    g.bench_function("overview", |b| {
        b.iter(|| black_box(Overview::load(&store, today()).expect("overview").due_total))
    });
    g.finish();
}

fn demo(c: &mut Criterion) {
    let mut g = c.benchmark_group("demo");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    g.bench_function("build_5000_systems", |b| {
        b.iter_with_large_drop(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let store = municipality(dir.path());
            black_box(store.count::<riskverkstad_core::model::System>().expect("count"));
            (store, dir)
        })
    });
    g.finish();
}

criterion_group!(benches, register, demo);
criterion_main!(benches);
