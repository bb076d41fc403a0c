#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The documents read back as a reader's tools see them: poppler's `pdftotext` and `pdffonts`,
//! and `qpdf --check`. Golden text lives in `tests/golden/`; rewrite it with
//! `RISKVERKSTAD_WRITE_GOLDEN=1 cargo test -p riskverkstad-report` after an intended change.

use chrono::NaiveDate;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::ids::SystemId;
use riskverkstad_core::model::*;
use riskverkstad_core::store::{Read, Store};
use riskverkstad_report::{OPEN, ReportKind, ReportRequest, SECRET, find_forvaltning, find_system, render};
use std::path::{Path, PathBuf};
use std::process::Command;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("kommun.db")).unwrap();
    build(&mut store, &DemoConfig { systems: 30, seed: 1, today: Some(day()) }).unwrap();
    store
}

fn request(kind: ReportKind, system: Option<SystemId>) -> ReportRequest {
    ReportRequest {
        kind,
        system,
        forvaltning: None,
        open_summary: false,
        marking: None,
        diarienummer: Some("KS 2026/123".into()),
        date: day(),
    }
}

struct Pdf {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Pdf {
    fn write(dir: &Path, name: &str, bytes: Vec<u8>) -> Pdf {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &bytes).unwrap();
        Pdf { path, bytes }
    }

    fn tool(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(program)
            .args(args)
            .arg(&self.path)
            .args(if program == "pdftotext" { vec!["-"] } else { vec![] })
            .output()
            .unwrap_or_else(|e| panic!("{program} is missing ({e}); .ci/setup installs poppler-utils and qpdf"));
        assert!(
            out.status.success(),
            "{program} failed on {}: {}",
            self.path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn text(&self) -> String {
        self.tool("pdftotext", &["-layout"])
    }

    fn pages(&self) -> usize {
        self.tool("pdfinfo", &[])
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
            .unwrap()
    }

    /// qpdf's structural check, every font embedded, and the page footer on every page.
    fn assert_sound(&self) {
        let check = self.tool("qpdf", &["--check"]);
        assert!(check.contains("No syntax or stream encoding errors"), "{check}");
        let fonts = self.tool("pdffonts", &[]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "no fonts: {fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "a font is not embedded: {row}");
        }
        let text = self.text();
        let pages = self.pages();
        for n in 1..=pages {
            assert!(text.contains(&format!("Sida {n} av {pages}")), "page {n} lacks its footer");
        }
        assert!(self.bytes.starts_with(b"%PDF-"));
    }
}

#[test]
fn every_document_reads_back_with_its_sections_in_intact_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find_system(&store, "Ekonomisystem").unwrap();
    let cases: &[(ReportKind, Option<SystemId>, &[&str])] = &[
        (
            ReportKind::Driftgodkannande,
            Some(system),
            &[
                "Driftgodkännande – Ekonomisystem",
                "1. Ärendet",
                "2. Underlag",
                "Informationsklassning och skyddsnivå",
                "Krav och brister",
                "Riskanalys",
                "Före åtgärder",
                "Efter åtgärder",
                "Öppna åtgärder",
                "3. Bedömning",
                "4. Förslag till beslut",
                "Driftgodkänns med villkor",
                "Driftgodkänns inte",
                "Giltigt till och med",
                "Omprövas senast",
                "Namnförtydligande",
            ],
        ),
        (
            ReportKind::Riskacceptans,
            Some(system),
            &["Riskacceptans – Ekonomisystem", "Accepterade risker", "Regler", "Namnteckning"],
        ),
        (
            ReportKind::Klassning,
            Some(system),
            &[
                "Klassningsprotokoll – Ekonomisystem",
                "Informationsmängder",
                "Konfidentialitet",
                "Riktighet",
                "Tillgänglighet",
                "Systemets skyddsprofil",
                "Deltagare",
            ],
        ),
        (
            ReportKind::Handlingsplan,
            None,
            &["Handlingsplan – Norrvik kommun", "öppna åtgärder", "Klart senast", "Förvaltningschef, namnteckning"],
        ),
        (
            ReportKind::Lagesbild,
            None,
            &[
                "Lägesbild – Norrvik kommun",
                "System per högsta skyddsnivå",
                "Risker per band",
                "Försenat i årshjulet",
                "Utveckling sedan föregående lägesbild",
            ],
        ),
    ];
    for (kind, sys, sections) in cases {
        let pdf = Pdf::write(dir.path(), kind.key(), render(&store, &request(*kind, *sys)).unwrap());
        pdf.assert_sound();
        let text = pdf.text();
        for s in *sections {
            assert!(text.contains(s), "{} lacks «{s}»:\n{text}", kind.key());
        }
        assert!(text.contains("Norrvik kommun"), "organisation in the header");
        assert!(text.contains("Dnr KS 2026/123") && text.contains("2026-11-22"));
        assert!(!text.contains('\u{FFFD}'), "a character did not survive");
        let marking = if *kind == ReportKind::Klassning { OPEN } else { SECRET };
        assert!(text.contains(marking), "{}: marking {marking}", kind.key());
        // Render a page for people to look at.
        if std::env::var_os("RISKVERKSTAD_WRITE_SCREENSHOTS").is_some() {
            let out = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../docs/screenshots")
                .join(format!("pdf-{}", kind.key()));
            let status = Command::new("pdftoppm")
                .args(["-r", "70", "-png", "-singlefile"])
                .arg(&pdf.path)
                .arg(&out)
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes_and_another_date_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find_system(&store, "Ekonomisystem").unwrap();
    let a = render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap();
    let b = render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap();
    assert_eq!(riskverkstad_report::sha256_hex(&a), riskverkstad_report::sha256_hex(&b));
    assert!(a == b);
    let later =
        ReportRequest { date: day().succ_opt().unwrap(), ..request(ReportKind::Driftgodkannande, Some(system)) };
    assert_ne!(a, render(&store, &later).unwrap());
}

#[test]
fn the_open_summary_leaves_out_risks_and_vulnerabilities() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find_system(&store, "Ekonomisystem").unwrap();
    let view = riskverkstad_core::views::SystemView::load(&store, system).unwrap();
    // The start of each: a table cell may wrap the rest onto lines that -layout interleaves.
    let start = |s: &str| s.chars().take(18).collect::<String>();
    let risk = start(&view.analyses[0].risks[0].risk.title);
    let gap = start(&view.requirements.iter().find(|r| r.gap).unwrap().requirement.title);
    let full =
        Pdf::write(dir.path(), "full", render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap());
    let open = ReportRequest { open_summary: true, ..request(ReportKind::Driftgodkannande, Some(system)) };
    let open = Pdf::write(dir.path(), "open", render(&store, &open).unwrap());
    open.assert_sound();
    let (full, open) = (full.text().replace('\n', " "), open.text().replace('\n', " "));
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squash(&full).contains(&squash(&risk)) && squash(&full).contains(&squash(&gap)));
    assert!(!squash(&open).contains(&squash(&risk)), "a risk title is in the open summary");
    assert!(!squash(&open).contains(&squash(&gap)), "a gap is in the open summary");
    assert!(open.contains(OPEN) || open.contains("öppen sammanfattning"));
    assert!(open.contains("Före åtgärder"), "the heat maps (counts only) stay");
}

#[test]
fn a_system_with_forty_risks_breaks_its_tables_across_pages_with_repeated_headers() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(dir.path());
    let system = find_system(&store, "Ekonomisystem").unwrap();
    let method = store.method().id;
    store
        .write("Många risker", |w| {
            let a = w.insert(RiskAnalysis {
                title: "Fördjupad riskanalys".into(),
                scope: "Allt".into(),
                analysed_on: day(),
                system_id: Some(system),
                method_version_id: method,
                ..Default::default()
            })?;
            // One risk whose title alone is longer than a page: split across pages, not lost.
            let long: String = (0..700).map(|i| format!("ord{i} ")).collect();
            w.insert(Risk { analysis_id: a.id, title: format!("Mycket lång risk: {long}slutord"), probability: 1, consequence: 1, ..Default::default() })?;
            for i in 0..40u8 {
                w.insert(Risk {
                    analysis_id: a.id,
                    title: format!("Risk nummer {i} där en lång rubrik om åtkomst, ändring och förlust av ekonomisk information måste radbrytas"),
                    probability: i % 4 + 1,
                    consequence: (i / 4) % 4 + 1,
                    ..Default::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    let pdf =
        Pdf::write(dir.path(), "many", render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap());
    pdf.assert_sound();
    assert!(pdf.pages() >= 5, "{} pages", pdf.pages());
    let text = pdf.text();
    for i in 0..40 {
        assert!(text.contains(&format!("Risk nummer {i} där")), "risk {i} is missing");
    }
    assert!(
        text.contains("ord0 ") && text.contains("ord699") && text.contains("slutord"),
        "the page-long title is cut"
    );
    // The risk table's header is repeated on the pages it continues on.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let with_risks: Vec<&&str> = pages.iter().filter(|p| p.contains("Risk nummer")).collect();
    assert!(with_risks.len() >= 2);
    for p in with_risks {
        assert!(p.contains("Behandling"), "a page with risks lacks the table header");
    }
}

#[test]
fn the_klassningsprotokoll_matches_its_golden_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find_system(&store, "Ekonomisystem").unwrap();
    let pdf =
        Pdf::write(dir.path(), "klassning", render(&store, &request(ReportKind::Klassning, Some(system))).unwrap());
    let text = pdf.text();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/klassning.txt");
    if std::env::var_os("RISKVERKSTAD_WRITE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(text, expected, "the text changed; if intended, rewrite with RISKVERKSTAD_WRITE_GOLDEN=1");
}

#[test]
fn a_forvaltning_scopes_the_lagesbild_and_names_are_resolved_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let soc = find_forvaltning(&store, "soc").unwrap();
    let req = ReportRequest { forvaltning: Some(soc), ..request(ReportKind::Lagesbild, None) };
    let pdf = Pdf::write(dir.path(), "soc", render(&store, &req).unwrap());
    pdf.assert_sound();
    assert!(pdf.text().contains("Lägesbild – Socialförvaltningen"));

    let many = find_system(&store, "system").unwrap_err().to_string();
    assert!(many.contains("passar flera system") && many.contains("Ekonomisystem"), "{many}");
    let none = find_system(&store, "Finns inte").unwrap_err().to_string();
    assert!(none.contains("«Finns inte»"), "{none}");
    assert!(find_forvaltning(&store, "Ingen sådan").is_err());
    let missing = render(&store, &request(ReportKind::Driftgodkannande, None)).unwrap_err().to_string();
    assert!(missing.contains("ange vilket"), "{missing}");
    let s: System = store.get(find_system(&store, "Ekonomisystem").unwrap()).unwrap();
    assert_eq!(find_system(&store, &s.id.to_string()).unwrap(), s.id);
}
