#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The documents read back as a reader's tools see them: poppler's `pdftotext` and `pdffonts`,
//! and `qpdf --check`. Golden text lives in `tests/golden/`; rewrite it with
//! `RISKVERKSTAD_WRITE_GOLDEN=1 cargo test -p riskverkstad-report` after an intended change.

use chrono::NaiveDate;
use riskverkstad_core::demo::{DemoConfig, build};
use riskverkstad_core::find;
use riskverkstad_core::ids::SystemId;
use riskverkstad_core::model::*;
use riskverkstad_core::store::{Read, Store};
use riskverkstad_report::{Decided, OPEN, ReportKind, ReportRequest, SECRET, decide, render};
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
        decision: None,
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

    /// With RISKVERKSTAD_WRITE_SCREENSHOTS, renders one page (the first unless given) to
    /// docs/screenshots/NAME.png for people to look at.
    fn render_for_docs(&self, name: &str, page: Option<usize>) {
        if std::env::var_os("RISKVERKSTAD_WRITE_SCREENSHOTS").is_none() {
            return;
        }
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots").join(name);
        let page = page.unwrap_or(1).to_string();
        let status = Command::new("pdftoppm")
            .args(["-r", "70", "-png", "-singlefile", "-f", &page, "-l", &page])
            .arg(&self.path)
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
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
            assert_eq!(cols[cols.len() - 4], "yes", "a font is embedded whole, not as a subset: {row}");
        }
        let text = self.text();
        let pages = self.pages();
        for n in 1..=pages {
            assert!(text.contains(&format!("Sida {n} av {pages}")), "page {n} lacks its footer");
        }
        assert!(self.bytes.starts_with(b"%PDF-1.7"));
        self.assert_pdfa_markers();
    }

    /// What PDF/A-2b asks for that our tools can see (not a full veraPDF validation): XMP
    /// with the PDF/A identification whose title and dates equal the Info dictionary's, an
    /// sRGB output intent with its ICC profile, no encryption.
    fn assert_pdfa_markers(&self) {
        let info = self.tool("pdfinfo", &[]);
        assert!(info.contains("Encrypted:       no"), "{info}");
        assert!(info.contains("Metadata Stream: yes"), "{info}");
        let meta = self.tool("pdfinfo", &["-meta"]);
        assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
        assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");
        let title = info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap().trim().to_string();
        assert!(
            meta.contains(&format!("<rdf:li xml:lang=\"x-default\">{title}</rdf:li>")),
            "XMP title ≠ Info title {title}"
        );
        let created = info.lines().find_map(|l| l.strip_prefix("CreationDate:")).unwrap().trim().to_string();
        // pdfinfo prints "Sun Nov 22 12:00:00 2026 UTC"; the XMP date has the same hour.
        assert!(meta.contains("T12:00:00+00:00</xmp:CreateDate>") && created.contains("12:00:00"), "{created}");
        let json = self.tool("qpdf", &["--json", "--json-key=qpdf"]);
        assert!(json.contains("/GTS_PDFA1") && json.contains("sRGB IEC61966-2.1"), "no sRGB output intent");
        assert!(json.contains("/DestOutputProfile"), "the output intent has no ICC profile");
    }
}

#[test]
fn every_document_reads_back_with_its_sections_in_intact_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find::system(&store, "Ekonomisystem").unwrap();
    let cases: &[(ReportKind, Option<SystemId>, &[&str])] = &[
        (
            ReportKind::Driftgodkannande,
            Some(system),
            &[
                "Driftgodkännande – Ekonomisystem",
                "1. Ärendet",
                "2. Underlag",
                "Informationsklassning och skyddsnivå",
                "Krav och hur de uppfylls",
                "Genomförda åtgärder",
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
            ReportKind::Systemsakerhetsplan,
            Some(system),
            &[
                "Systemsäkerhetsplan – Ekonomisystem",
                "1. Roller och organisation",
                "2. Klassning och skyddsprofil",
                "3. Beroenden",
                "4. Krav och hur de uppfylls",
                "Basnivå",
                "5. Behörigheter",
                "6. Loggning och logguppföljning",
                "7. Säkerhetskopiering och återställning",
                "Återställningstid (RTO)",
                "8. Kontinuitet och reservrutiner",
                "9. Återkommande kontroller",
                "10. Avsteg",
                "Systemägare",
            ],
        ),
        (
            ReportKind::Lagesbild,
            None,
            &[
                "Lägesbild – Norrvik kommun",
                "System per högsta skyddsnivå",
                "Risker per band",
                "Försenat i årshjulet",
                "Kontroller och avsteg",
                "brist igen",
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
        pdf.render_for_docs(&format!("pdf-{}", kind.key()), None);
    }
}

#[test]
fn the_same_input_gives_the_same_bytes_and_another_date_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find::system(&store, "Ekonomisystem").unwrap();
    let a = render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap();
    let b = render(&store, &request(ReportKind::Driftgodkannande, Some(system))).unwrap();
    assert_eq!(riskverkstad_report::sha256_hex(&a), riskverkstad_report::sha256_hex(&b));
    assert!(a == b);
    // The fonts are subset to the glyphs drawn: an archived decision is tens of kB, not MB.
    assert!(a.len() < 150_000, "{} bytes", a.len());
    let later =
        ReportRequest { date: day().succ_opt().unwrap(), ..request(ReportKind::Driftgodkannande, Some(system)) };
    assert_ne!(a, render(&store, &later).unwrap());
}

#[test]
fn systems_registered_together_get_different_document_ids() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    // The demo registers every system in the same second: their ids share their first part.
    let ids: std::collections::BTreeSet<String> = store
        .list::<riskverkstad_core::model::System>()
        .unwrap()
        .iter()
        .take(5)
        .map(|s| {
            let pdf = render(&store, &request(ReportKind::Driftgodkannande, Some(s.id))).unwrap();
            let text = Pdf::write(dir.path(), &s.id.to_string(), pdf).text();
            let at = text.find("Dokument-id ").unwrap();
            text[at..].split_whitespace().nth(1).unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
}

#[test]
fn the_open_summary_leaves_out_risks_and_vulnerabilities() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let system = find::system(&store, "Ekonomisystem").unwrap();
    let view =
        riskverkstad_core::views::SystemView::load(&store, system, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap())
            .unwrap();
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
    let system = find::system(&store, "Ekonomisystem").unwrap();
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
    let system = find::system(&store, "Ekonomisystem").unwrap();
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
    let soc = find::forvaltning(&store, "soc").unwrap();
    let req = ReportRequest { forvaltning: Some(soc), ..request(ReportKind::Lagesbild, None) };
    let pdf = Pdf::write(dir.path(), "soc", render(&store, &req).unwrap());
    pdf.assert_sound();
    assert!(pdf.text().contains("Lägesbild – Socialförvaltningen"));

    let many = find::system(&store, "system").unwrap_err().to_string();
    assert!(many.contains("passar flera system") && many.contains("Ekonomisystem"), "{many}");
    let none = find::system(&store, "Finns inte").unwrap_err().to_string();
    assert!(none.contains("«Finns inte»"), "{none}");
    assert!(find::forvaltning(&store, "Ingen sådan").is_err());
    let missing = render(&store, &request(ReportKind::Driftgodkannande, None)).unwrap_err().to_string();
    assert!(missing.contains("ange vilket"), "{missing}");
    let s: System = store.get(find::system(&store, "Ekonomisystem").unwrap()).unwrap();
    assert_eq!(find::system(&store, &s.id.to_string()).unwrap(), s.id);
}

fn person(store: &Store, name: &str) -> riskverkstad_core::ids::PersonId {
    store.list::<Person>().unwrap().into_iter().find(|p| p.name.contains(name)).unwrap().id
}

#[test]
fn a_decision_is_frozen_as_drawn_and_a_later_change_gives_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(dir.path());
    let system = find::system(&store, "Ekonomisystem").unwrap();
    let chef = store.list::<Person>().unwrap()[0].id;
    let chef_name = store.get::<Person>(chef).unwrap().name;
    let req = ReportRequest {
        diarienummer: Some("KS 2026/77".into()),
        ..request(ReportKind::Driftgodkannande, Some(system))
    };
    let before = riskverkstad_core::decisions::next_version(&store, &req.subject()).unwrap();
    let decided = Decided {
        decided_by: chef,
        outcome: Some(DecisionOutcome::MedVillkor),
        conditions: vec![Condition {
            text: "Loggning av behörigheter ska införas".into(),
            due_on: day().checked_add_days(chrono::Days::new(90)),
        }],
        ..Default::default()
    };
    let (first, rendered) = decide(&mut store, &req, decided.clone()).unwrap();
    assert_eq!(first.version, before);
    assert_eq!(first.state, DecisionState::Beslutad);
    let (_, stored) = riskverkstad_core::decisions::document_of(&store, first.id).unwrap();
    assert!(stored == rendered.bytes, "the archive holds exactly the bytes drawn");
    assert_eq!(first.document_sha256.as_deref(), Some(riskverkstad_report::sha256_hex(&stored).as_str()));

    let pdf = Pdf::write(dir.path(), "beslut", stored.clone());
    pdf.assert_sound();
    let text = pdf.text();
    assert!(text.contains("4. Beslut") && !text.contains("Förslag till beslut"), "{text}");
    assert!(text.contains(&format!("version {before}")) && text.contains("beslutad"), "{text}");
    assert!(text.contains("Loggning av behörigheter ska införas"));
    assert!(text.contains(&chef_name), "the decider is named");
    assert!(text.contains("Dnr KS 2026/77"));
    // Render the page with the decision for people to look at.
    let page = text.split('\u{c}').position(|p| p.contains("4. Beslut")).unwrap() + 1;
    pdf.render_for_docs("pdf-driftgodkannande-beslutad", Some(page));

    // The underlag drawn now is the next version; after a change to the system the next
    // decision is a new version, and the first stays retrievable byte for byte.
    let draft = render(&store, &req).unwrap();
    let draft_text = Pdf::write(dir.path(), "utkast", draft).text();
    assert!(draft_text.contains(&format!("version {}", before + 1)) && draft_text.contains("underlag"));
    let mut s: System = store.get(system).unwrap();
    s.description = "Ny beskrivning efter beslutet".into();
    store.write("Ändra system", |w| w.update(s)).unwrap();
    let (second, _) = decide(
        &mut store,
        &ReportRequest { date: day().succ_opt().unwrap(), ..req.clone() },
        Decided { outcome: Some(DecisionOutcome::Driftgodkanns), conditions: vec![], ..decided },
    )
    .unwrap();
    assert_eq!(second.version, before + 1);
    assert_eq!(store.get::<Decision>(first.id).unwrap().state, DecisionState::Ersatt);
    assert!(riskverkstad_core::decisions::document_of(&store, first.id).unwrap().1 == stored);
    let versions = riskverkstad_core::decisions::versions(&store, Some(system)).unwrap();
    let dg: Vec<u32> =
        versions.iter().filter(|v| v.kind == DecisionKind::Driftgodkannande).map(|v| v.version).collect();
    assert_eq!(&dg[..2], &[before + 1, before]);
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn an_incomplete_decision_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(dir.path());
    let system = find::system(&store, "Ekonomisystem").unwrap();
    let req = request(ReportKind::Driftgodkannande, Some(system));
    let entries = store.audit_log(None).unwrap().len();
    let chef = store.list::<Person>().unwrap()[0].id;
    let e = decide(&mut store, &req, Decided { decided_by: chef, ..Default::default() }).unwrap_err().to_string();
    assert!(e.contains("välj driftgodkänns"), "{e}");
    let e = decide(
        &mut store,
        &req,
        Decided { decided_by: chef, outcome: Some(DecisionOutcome::MedVillkor), ..Default::default() },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("villkor"), "{e}");
    assert_eq!(store.audit_log(None).unwrap().len(), entries, "nothing was written");
}

#[test]
fn a_lagesbild_shows_the_trend_since_the_previous_decided_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(dir.path());
    let req = request(ReportKind::Lagesbild, None);
    let first = Pdf::write(dir.path(), "lb0", render(&store, &req).unwrap()).text();
    assert!(first.contains("Ingen tidigare lägesbild"), "{first}");
    let chef = person(&store, "");
    let (frozen, _) = decide(&mut store, &req, Decided { decided_by: chef, ..Default::default() }).unwrap();
    let figures = frozen.key_figures.clone().unwrap();
    assert!(figures.systems > 0);
    let f = store.list::<Forvaltning>().unwrap()[0].id;
    store
        .write("Nytt system", |w| {
            w.insert(System { name: "Helt nytt system".into(), forvaltning_id: f, ..Default::default() })
        })
        .unwrap();
    let later = ReportRequest { date: day().succ_opt().unwrap(), ..req };
    let text = Pdf::write(dir.path(), "lb1", render(&store, &later).unwrap()).text();
    assert!(text.contains(&format!("Förra ({})", day())), "{text}");
    // The trend table's row (the facts at the top have a "System" row too, with one value).
    let line = text
        .lines()
        .find(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            cells.len() == 4 && cells[0] == "System" && cells[1].parse::<u32>().is_ok()
        })
        .unwrap_or_else(|| panic!("no trend row for System: {text}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells, ["System", &(figures.systems + 1).to_string(), &figures.systems.to_string(), "+1"], "{line}");
}

#[test]
fn a_centres_lagesbild_shows_each_departments_share_by_origin() {
    use riskverkstad_core::exchange::{Limits, PublicKey, Scope};
    let dir = tempfile::tempdir().unwrap();
    let department = |name: &str, file: &str, seed: u64, systems: usize| -> Store {
        let mut s = Store::open(&dir.path().join(file)).unwrap();
        build(&mut s, &DemoConfig { systems, seed, today: Some(day()) }).unwrap();
        riskverkstad_core::exchange::init_identity(&mut s, name).unwrap();
        s
    };
    let mut soc = department("Socialförvaltningen", "soc.db", 2, 7);
    let mut bild = department("Bildningsförvaltningen", "bild.db", 3, 5);
    let mut centre = Store::open(&dir.path().join("central.db")).unwrap();
    build(&mut centre, &DemoConfig { systems: 3, seed: 4, today: Some(day()) }).unwrap();
    riskverkstad_core::exchange::init_identity(&mut centre, "Centrala säkerhetsfunktionen").unwrap();
    // A department's own lägesbild has one origin: no such section.
    let own = Pdf::write(dir.path(), "soc", render(&soc, &request(ReportKind::Lagesbild, None)).unwrap());
    assert!(!own.text().contains("Per ursprung"), "one origin, nothing to split");
    for (dept, name) in [(&mut soc, "Socialförvaltningen"), (&mut bild, "Bildningsförvaltningen")] {
        let key =
            PublicKey::from_openssh(&riskverkstad_core::exchange::identity(dept).unwrap().unwrap().public_key).unwrap();
        riskverkstad_core::exchange::trust_add(
            &mut centre,
            &key,
            name,
            &riskverkstad_core::exchange::TrustTerms::department(&[], "Testaren"),
        )
        .unwrap();
        let bundle = riskverkstad_core::exchange::export_bundle(dept, &Scope::All, None).unwrap().bytes;
        assert!(
            riskverkstad_core::exchange::import_bundle(&mut centre, &bundle, Limits::default(), None).unwrap().applied
        );
    }
    let pdf = Pdf::write(dir.path(), "central", render(&centre, &request(ReportKind::Lagesbild, None)).unwrap());
    pdf.assert_sound();
    let text = pdf.text();
    let section = &text[text.find("Per ursprung").unwrap()..text.find("System per högsta skyddsnivå").unwrap()];
    // Each origin's row: its name, then systems, critical systems and risks.
    let counts = |name: &str| -> [u32; 3] {
        let line =
            section.lines().find(|l| l.trim_start().starts_with(name)).unwrap_or_else(|| panic!("{name}: {section}"));
        let numbers: Vec<u32> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        numbers.try_into().unwrap_or_else(|n| panic!("three counts for {name}: {n:?}"))
    };
    let risks_of = |s: &Store| s.count::<Risk>().unwrap() as u32;
    assert_eq!(counts("Socialförvaltningen")[0], 7);
    assert_eq!(counts("Bildningsförvaltningen")[0], 5);
    assert_eq!(counts("Centrala säkerhetsfunktionen")[0], 3);
    assert_eq!(counts("Socialförvaltningen")[2], risks_of(&soc), "{section}");
    assert_eq!(counts("Bildningsförvaltningen")[2], risks_of(&bild), "{section}");
    assert!(section.contains("signerade paket"));
}

#[test]
fn the_tidig_varning_matches_its_golden_text_and_says_what_the_coordinator_answered() {
    use riskverkstad_core::incident::{Now, ReportKind as Kind, parse_time};
    use riskverkstad_report::{IncidentDocument, render_incident};
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let incident = find::incident(&store, "Utpressningsprogram på filserver").unwrap();
    // The morning after: the early warning's clock still runs.
    let now = Now::at(parse_time("2026-11-22 09:00").unwrap());
    let doc = IncidentDocument::Report { incident, kind: Kind::TidigVarning };
    let pdf = Pdf::write(dir.path(), "tidig-varning", render_incident(&store, &doc, now).unwrap().bytes);
    pdf.assert_sound();
    let text = pdf.text();
    // The demo's coordinator suspects a deliberate act; the document says so, from the field.
    assert!(text.contains("Avsiktlig handling") && text.contains("Ja, misstänks"), "{text}");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tidig-varning.txt");
    if std::env::var_os("RISKVERKSTAD_WRITE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(text, expected, "the text changed; if intended, rewrite with RISKVERKSTAD_WRITE_GOLDEN=1");

    // Answered "no", the same line says no: nothing is guessed from the words of the cause.
    let mut store = store;
    let mut record = store.get::<Incident>(incident).unwrap();
    record.malicious = Answer::Nej;
    riskverkstad_core::ops::save_incident(&mut store, record, day()).unwrap();
    let no = Pdf::write(dir.path(), "nej", render_incident(&store, &doc, now).unwrap().bytes).text();
    let line = no.lines().find(|l| l.contains("Avsiktlig handling")).unwrap();
    assert!(line.trim_end().ends_with("Nej"), "{line}");
}

#[test]
fn every_incident_document_reads_back_sound_with_its_rule_and_marking() {
    use riskverkstad_core::incident::{Now, ReportKind as Kind, parse_time};
    use riskverkstad_report::{IncidentDocument, render_incident};
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let now = Now::at(parse_time("2026-11-22 09:00").unwrap());
    let of = |title: &str| find::incident(&store, title).unwrap();
    let cases: Vec<(&str, IncidentDocument, &[&str])> = vec![
        (
            "tidig-varning",
            IncidentDocument::Report { incident: of("Utpressningsprogram på filserver"), kind: Kind::TidigVarning },
            &["inom 24 timmar", "Klockan går", "Avsiktlig handling"],
        ),
        (
            "incidentanmalan",
            IncidentDocument::Report { incident: of("Utpressningsprogram på filserver"), kind: Kind::Incidentanmalan },
            &["inom 72 timmar", "Allvarlighetsgrad", "Indikatorer på intrång"],
        ),
        (
            "slutrapport",
            IncidentDocument::Report { incident: of("Nätfiske ledde till kapat konto"), kind: Kind::Slutrapport },
            &["Grundorsak", "Lärdomar", "Det incidenten gav", "CSIRT-2026-0233"],
        ),
        (
            "gdpr",
            IncidentDocument::Report {
                incident: of("E-post med personuppgifter till fel mottagare"),
                kind: Kind::Gdpr,
            },
            &["Personuppgiftsincident", "Integritetsskyddsmyndigheten"],
        ),
        (
            "incidentlogg",
            IncidentDocument::Log {
                from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            },
            &["Incidenter", "Per system", "Med missad rapporttid"],
        ),
    ];
    for (name, doc, sections) in cases {
        let pdf = Pdf::write(dir.path(), name, render_incident(&store, &doc, now).unwrap().bytes);
        pdf.assert_sound();
        let text = pdf.text();
        assert!(text.contains(SECRET), "{name}: an incident is marked secret (18 kap. 8 § OSL)");
        assert!(!text.contains('\u{FFFD}'), "{name}: a character did not survive");
        for s in sections {
            assert!(text.contains(s), "{name} lacks «{s}»:\n{text}");
        }
        pdf.render_for_docs(&format!("pdf-{name}"), None);
    }
}
