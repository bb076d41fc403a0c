//! Producing decision documents: a driftgodkännande for a system with 40 risks (target
//! ≤ 100 ms) and a lägesbild for a 5,000-system organisation.
//! Run with `cargo bench -p riskverkstad-report --bench report`. When LibreOffice's `soffice`
//! is installed, the same run converts an equivalent document (the driftgodkännande's text
//! and its 40-row risk table as HTML) with `soffice --headless --convert-to pdf` and prints the
//! ratio.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group};
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::model::{Risk, RiskAnalysis};
use riskverkstad_core::store::Store;
use riskverkstad_report::{ReportKind, ReportRequest, render};
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

/// The 60-system demo with 37 more risks on Ekonomisystem (40 in all).
fn small_store(dir: &std::path::Path) -> (Store, riskverkstad_core::ids::SystemId) {
    let mut store = Store::open(&dir.join("small.db")).expect("open");
    build(&mut store, &DemoConfig { systems: 60, seed: 1, today: Some(day()) }).expect("demo");
    let system = riskverkstad_core::find::system(&store, "Ekonomisystem").expect("system");
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
    (store, system)
}

fn documents(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, system) = small_store(dir.path());
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

/// The driftgodkännande's content as HTML: its text in paragraphs and headings, and the risk
/// table with the same rows.
fn equivalent_html(store: &Store, system: riskverkstad_core::ids::SystemId) -> String {
    let view = riskverkstad_core::views::SystemView::load(
        store,
        system,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
    )
    .expect("view");
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut html = format!(
        "<html><head><meta charset='utf-8'><style>body{{font-family:'DejaVu Sans'}} table{{border-collapse:collapse}} td,th{{border:1px solid #999;padding:3px}}</style></head><body><h1>Driftgodkännande – {}</h1>",
        esc(&view.system.name)
    );
    html.push_str(&format!("<p>{}</p>", esc(&view.system.description)));
    for (heading, text) in [
        (
            "1. Ärendet",
            "Beslut om driftgodkännande av systemet med de informationsmängder, beroenden och krav som redovisas nedan.",
        ),
        ("2. Underlag", "Informationsklassning, krav och brister, riskanalys och öppna åtgärder."),
    ] {
        html.push_str(&format!("<h2>{heading}</h2><p>{text}</p>"));
    }
    html.push_str("<table><tr><th>Krav</th><th>Rubrik</th><th>Status</th></tr>");
    for r in view.requirements.iter().filter(|r| r.gap) {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>Ej uppfyllt</td></tr>",
            esc(&r.requirement.code),
            esc(&r.requirement.title)
        ));
    }
    html.push_str(
        "</table><h2>2.3 Riskanalys</h2><table><tr><th>Risk</th><th>Före</th><th>Efter</th><th>Behandling</th></tr>",
    );
    for r in view.analyses.iter().flat_map(|a| a.risks.iter()) {
        let level = |l: &Option<riskverkstad_core::risk::RiskLevel>| {
            l.as_ref().map(|l| format!("{} ({})", l.band_name, l.value)).unwrap_or_default()
        };
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td></td></tr>",
            esc(&r.risk.title),
            level(&r.inherent),
            level(&r.residual)
        ));
    }
    html.push_str("</table><h2>3. Bedömning</h2><p>Underlaget talar för ett driftgodkännande med villkor.</p><h2>4. Förslag till beslut</h2><p>☐ Driftgodkänns</p><p>☐ Driftgodkänns med villkor</p><p>☐ Driftgodkänns inte</p><p>Ort och datum ____________________</p><p>Systemägare ____________________</p></body></html>");
    html
}

/// LibreOffice converting the equivalent document, against our own rendering, in the same run.
fn libreoffice_comparison() {
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        println!("LibreOffice (soffice) is not installed: comparison skipped.");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, system) = small_store(dir.path());
    let html = dir.path().join("driftgodkannande.html");
    std::fs::write(&html, equivalent_html(&store, system)).expect("html");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).expect("a number"));
        v[v.len() / 2]
    };
    let mut office = Vec::new();
    for _ in 0..6 {
        let start = std::time::Instant::now();
        let status = std::process::Command::new("soffice")
            .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&html)
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
        office.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    // The first run creates LibreOffice's profile: not counted.
    office.remove(0);
    let ours: Vec<f64> = (0..20)
        .map(|_| {
            let start = std::time::Instant::now();
            black_box(render(&store, &request(ReportKind::Driftgodkannande, Some(system))).expect("pdf"));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let (office, ours) = (median(office), median(ours));
    println!(
        "driftgodkännande, 40 risks: LibreOffice {office:.0} ms (median of 5), Riskverkstad {ours:.1} ms (median of 20): {:.0}× faster (target ≥ 10×)",
        office / ours
    );
}

criterion_group!(benches, documents);

fn main() {
    benches();
    libreoffice_comparison();
    Criterion::default().configure_from_args().final_summary();
}
