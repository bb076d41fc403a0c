//! Producing decision documents: a driftgodkännande for a system with 40 risks (target
//! ≤ 100 ms) and a lägesbild for a 5,000-system organisation.
//! Run with `cargo bench -p riskverkstad-report --bench report`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::model::{Risk, RiskAnalysis};
use riskverkstad_core::store::Store;
use riskverkstad_report::{ReportKind, ReportRequest, find_system, render};
use std::hint::black_box;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date")
}

fn request(kind: ReportKind, system: Option<riskverkstad_core::ids::SystemId>) -> ReportRequest {
    ReportRequest {
        kind,
        system,
        forvaltning: None,
        open_summary: false,
        marking: None,
        diarienummer: None,
        date: day(),
        decision: None,
    }
}

fn documents(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&dir.path().join("small.db")).expect("open");
    build(&mut store, &DemoConfig { systems: 60, seed: 1, today: Some(day()) }).expect("demo");
    let system = find_system(&store, "Ekonomisystem").expect("system");
    let method = store.method().id;
    store
        .write("40 risker", |w| {
            let a = w.insert(RiskAnalysis {
                title: "Fördjupad".into(),
                scope: "Allt".into(),
                analysed_on: day(),
                system_id: Some(system),
                method_version_id: method,
                ..Default::default()
            })?;
            for i in 0..37u8 {
                w.insert(Risk {
                    analysis_id: a.id,
                    title: format!("Risk {i}: obehörig åtkomst till ekonomisk information via delade konton"),
                    probability: i % 4 + 1,
                    consequence: (i / 4) % 4 + 1,
                    ..Default::default()
                })?;
            }
            Ok(())
        })
        .expect("risks");
    let mut g = c.benchmark_group("report");
    g.sample_size(20);
    g.bench_function("driftgodkannande_40_risks", |b| {
        b.iter(|| black_box(render(&store, &request(ReportKind::Driftgodkannande, Some(system))).expect("pdf").len()))
    });
    let big_dir = tempfile::tempdir().expect("tempdir");
    let mut big = Store::open(&big_dir.path().join("big.db")).expect("open");
    build(&mut big, &DemoConfig { systems: 5000, seed: 1, today: Some(day()) }).expect("demo");
    g.sample_size(10);
    g.bench_function("lagesbild_5000_systems", |b| {
        b.iter(|| black_box(render(&big, &request(ReportKind::Lagesbild, None)).expect("pdf").len()))
    });
    g.finish();
}

criterion_group!(benches, documents);
criterion_main!(benches);
