//! `register import` and `register export` with a department's own, messy Excel list.

use riskverkstad_core::demo::municipal_sheet::{BOLAG, MUNICIPALITY, municipal_sheet, names_party};
use riskverkstad_core::model::{Dependency, ExternalParty, ForvaltningKind, Lifecycle, System};
use riskverkstad_core::store::{Read, Store};
use riskverkstad_tests::workbook::{self, EXTRA};
use riskverkstad_tests::{file_bytes, run, workdir};

const ROWS: usize = 520;

fn plan_line(stdout: &str) -> &str {
    stdout.lines().find(|l| l.starts_with("Plan:")).unwrap_or_else(|| panic!("no plan line: {stdout}"))
}

#[test]
fn a_departments_excel_list_is_mapped_planned_imported_and_reimported_without_duplicates() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "5", "--today", "2026-11-22"]).code, 0);
    let table = workbook::register(ROWS, 7);
    assert!(table.headers.len() >= 40 && table.rows.len() >= 500);
    let xlsx = dir.path().join("systemforteckning.xlsx");
    std::fs::write(&xlsx, riskverkstad_sheets::write_xlsx(&table).unwrap()).unwrap();
    let csv = dir.path().join("systemforteckning.csv");
    std::fs::write(&csv, workbook::windows_1252_csv(&table)).unwrap();
    let x = xlsx.to_str().unwrap();

    // The dry run: the mapping, counts and a line per row; the database untouched.
    let before = file_bytes(&db);
    let dry = run(
        &db,
        &["register", "import", x, "--dry-run", "--save-mapping", dir.path().join("m.json").to_str().unwrap()],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(file_bytes(&db), before, "a dry run writes nothing");
    let nameless = (0..ROWS).filter(|i| workbook::is_nameless(*i)).count();
    assert!(nameless >= 5);
    assert_eq!(
        plan_line(&dry.stdout).split(',').next().unwrap(),
        format!("Plan: {} skapas", ROWS - nameless),
        "{}",
        plan_line(&dry.stdout)
    );
    assert!(plan_line(&dry.stdout).contains(&format!("{nameless} hoppas över")), "{}", plan_line(&dry.stdout));
    for (header, field) in [
        ("System", "Systemnamn"),
        ("Förvaltning/Enhet", "Förvaltning"),
        ("Systemansvarig", "Systemförvaltare"),
        ("Avtalets slutdatum", "Avtalet löper ut"),
        ("PUB-avtal", "Personuppgiftsbiträdesavtal"),
        ("Beroende till", "Beroende till"),
    ] {
        assert!(dry.stdout.contains(&format!("  {header} → {field}")), "{header}: {}", dry.stdout);
    }
    for e in EXTRA {
        assert!(dry.stdout.contains(&format!("  {e} → (sparas som övrig uppgift)")), "{e}");
    }
    // The per-row report: a skipped row with its reason, a bad value with row and column.
    assert!(dry.stdout.contains("rad 15:  – hoppas över (systemnamn saknas"), "{}", dry.stdout);
    assert!(
        dry.stdout.contains(&format!("rad 43: {} – skapas", workbook::system_name(41)))
            && dry.stdout.contains("«snart» i «Avtalets slutdatum» (rad ")
            && dry.stdout.contains("sparas som anteckning"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("Beroenden som inte är system (sparas som externa parter): "), "{}", dry.stdout);

    // The import, then the same file again: nothing new.
    let done = run(&db, &["register", "import", x]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(done.stdout.contains("Inläst i en transaktion."));
    let systems = || run(&db, &["systems", "list", "--json"]).json().as_array().unwrap().len();
    assert_eq!(systems(), 5 + ROWS - nameless);
    assert_eq!(run(&db, &["check"]).code, 0);
    let again = run(&db, &["register", "import", x, "--json"]).json();
    let counts = &again["report"]["counts"];
    assert_eq!((counts["created"].as_u64(), counts["updated"].as_u64()), (Some(0), Some(0)), "{counts}");
    assert_eq!(counts["unchanged"].as_u64(), Some((ROWS - nameless) as u64));
    assert_eq!(systems(), 5 + ROWS - nameless, "no duplicates");

    // Nothing in the file is lost: an unmapped column is kept with the system.
    let name = workbook::system_name(2);
    let shown = run(&db, &["systems", "show", &name, "--json"]).json();
    let extra = shown["system"]["extra"].as_array().unwrap_or_else(|| panic!("{shown}"));
    assert!(
        extra.iter().any(|a| a["name"] == "Kostnad per år" && a["value"].as_str().unwrap().ends_with(" 000")),
        "{extra:?}"
    );

    // The Windows-1252 csv copy with semicolons says the same: nothing to change.
    let c = run(&db, &["register", "import", csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(c.stdout.contains("csv, Windows-1252, avgränsare \";\""), "{}", c.stdout);
    assert!(plan_line(&c.stdout).starts_with("Plan: 0 skapas, 0 uppdateras"), "{}", plan_line(&c.stdout));

    // An updated file (one description changed) updates that system only, with the saved mapping.
    let mut updated = table.clone();
    updated.rows[2].cells[2] = riskverkstad_sheets::Cell::Text("Ny beskrivning".into());
    let u = dir.path().join("uppdaterad.xlsx");
    std::fs::write(&u, riskverkstad_sheets::write_xlsx(&updated).unwrap()).unwrap();
    let up = run(
        &db,
        &["register", "import", u.to_str().unwrap(), "--mapping", dir.path().join("m.json").to_str().unwrap()],
    );
    assert!(plan_line(&up.stdout).starts_with("Plan: 0 skapas, 1 uppdateras"), "{}", plan_line(&up.stdout));
    assert!(up.stdout.contains(&format!("rad 4: {name} – uppdateras: Beskrivning")), "{}", up.stdout);
}

#[test]
fn an_exported_register_reimports_with_no_changes_as_xlsx_and_csv() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "60", "--today", "2026-11-22"]).code, 0);
    // A register that came from Excel has extra attributes, which travel back out.
    let table = workbook::register(40, 3);
    let xlsx = dir.path().join("in.xlsx");
    std::fs::write(&xlsx, riskverkstad_sheets::write_xlsx(&table).unwrap()).unwrap();
    assert_eq!(run(&db, &["register", "import", xlsx.to_str().unwrap()]).code, 0);
    for out in ["ut.xlsx", "ut.csv"] {
        let file = dir.path().join(out);
        let e = run(&db, &["register", "export", "--out", file.to_str().unwrap()]);
        assert_eq!(e.code, 0, "{}", e.stderr);
        assert!(e.stdout.contains("system"), "{}", e.stdout);
        let (read, _) =
            riskverkstad_sheets::read(&std::fs::read(&file).unwrap(), None, "ut", Default::default()).unwrap();
        for x in EXTRA {
            assert!(read.headers.iter().any(|h| h == x), "{x} written back: {:?}", read.headers);
        }
        let dry = run(&db, &["register", "import", file.to_str().unwrap(), "--dry-run"]);
        assert_eq!(dry.code, 0, "{}", dry.stderr);
        let n = read.rows.len();
        assert_eq!(
            plan_line(&dry.stdout),
            format!("Plan: 0 skapas, 0 uppdateras, {n} oförändrade, 0 hoppas över, 0 varningar"),
            "{}",
            dry.stdout
                .lines()
                .filter(|l| l.contains("uppdateras:") || l.contains("varning"))
                .take(8)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // One förvaltning only.
    let soc = dir.path().join("soc.xlsx");
    assert_eq!(run(&db, &["register", "export", "--out", soc.to_str().unwrap(), "--forvaltning", "SOC"]).code, 0);
    let (read, _) = riskverkstad_sheets::read(&std::fs::read(&soc).unwrap(), None, "soc", Default::default()).unwrap();
    let col = read.headers.iter().position(|h| h == "Förvaltning").unwrap();
    assert!(!read.rows.is_empty() && read.rows.iter().all(|r| r.cells[col].text() == "Socialförvaltningen"));
    // Clear errors for a file that is not a register.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 trasig").unwrap();
    let bad = run(&db, &["register", "import", junk.to_str().unwrap()]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("kunde inte läsas som xlsx"), "{}", bad.stderr);
}

/// Issue #18: a municipality's published register (organisation paths with bolag, names
/// recurring in different förvaltningar, dependency cells with commas and parentheses, graded
/// answers, phrases, several names per cell, contract ends as text, yearly questions) through
/// the CLI: the dry run shows the levels, the tree and every value's mapping and writes
/// nothing; the import loses no row and invents no party; the mapping file's value choices
/// are used; again it changes nothing; export → import → export gives the same register.
#[test]
fn a_municipal_register_imports_whole_through_the_cli_and_round_trips() {
    let dir = workdir();
    let fresh = |name: &str| {
        let db = dir.path().join(name);
        let mut s = Store::create(&db, None).unwrap();
        riskverkstad_core::ops::setup(&mut s, MUNICIPALITY, "Socialförvaltningen", "SOC").unwrap();
        db
    };
    let db = fresh("kommun.db");
    let sheet = municipal_sheet(200, 11);
    let xlsx = dir.path().join("systemforteckning.xlsx");
    std::fs::write(&xlsx, riskverkstad_sheets::write_xlsx(&sheet.table).unwrap()).unwrap();
    let x = xlsx.to_str().unwrap();
    let m = dir.path().join("mappning.json");
    let report = dir.path().join("rapport.xlsx");

    let before = file_bytes(&db);
    let dry = run(
        &db,
        &[
            "register",
            "import",
            x,
            "--dry-run",
            "--save-mapping",
            m.to_str().unwrap(),
            "--save-report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(file_bytes(&db), before, "a dry run writes nothing");
    let out = &dry.stdout;
    assert_eq!(plan_line(out).split(", 0 ").next().unwrap(), "Plan: 200 skapas", "{}", plan_line(out));
    assert!(plan_line(out).contains("0 hoppas över"), "{}", plan_line(out));
    for expected in [
        "  Systemansvariga IT → Teknisk förvaltare (synonym «systemansvariga it»)",
        "  Har riskanalys genomförts under det senaste året? → Gjort det senaste året (fråga)",
        "nivå 1: Organisation (sparas inte per system)",
        "nivå 2: Gruppering",
        "nivå 3: Förvaltning eller bolag",
        "  Norrvik Energi AB (bolag, ny): ",
        "    IT-avdelningen (enhet, ny): ",
        "  «Verksamhetskritiskt» «Till betydande del ej verksamhetskritisk» (",
        "→ Nej (graderat svar: till betydande del ej)",
        "  «Systemkategori» «Kärnverksamhetssystem» (",
        "«Löpande - uppsägningstid på 3-12 månader» i «Avtalstiden löper ut datum» (rad ",
        "finns i flera förvaltningar",
    ] {
        assert!(out.contains(expected), "{expected}:\n{out}");
    }
    // The report, saved next to the source, reads back.
    let (saved, _) =
        riskverkstad_sheets::read(&std::fs::read(&report).unwrap(), None, "r", Default::default()).unwrap();
    assert_eq!(saved.rows.iter().filter(|r| r.cells[2].text() == "skapas").count(), 200);
    assert!(saved.rows.iter().any(|r| r.cells[2].text() == "värde inte läst"));

    // The person changes one value's choice in the mapping file: it is used.
    let mut mapping: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&m).unwrap()).unwrap();
    let v = mapping["values"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["value"] == "Under aktiv vidareutveckling")
        .unwrap();
    v["becomes"] = "under_inforande".into();
    std::fs::write(&m, serde_json::to_string_pretty(&mapping).unwrap()).unwrap();
    let done = run(&db, &["register", "import", x, "--mapping", m.to_str().unwrap()]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout.contains("→ Under införande (valt") || done.stdout.contains("→ Under införande ("),
        "{}",
        done.stdout
    );
    assert_eq!(run(&db, &["check"]).code, 0);

    let s = Store::open(&db).unwrap();
    let systems = s.list::<System>().unwrap();
    assert_eq!(systems.len(), sheet.systems, "zero lost rows");
    let developing: Vec<usize> = sheet
        .table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.cells[4].text() == "Under aktiv vidareutveckling")
        .map(|(i, _)| i)
        .collect();
    assert!(!developing.is_empty());
    assert_eq!(
        systems.iter().filter(|x| x.lifecycle == Lifecycle::UnderInforande).count(),
        developing.len(),
        "the mapping file's choice"
    );
    let bogus: Vec<String> =
        s.list::<ExternalParty>().unwrap().into_iter().map(|p| p.name).filter(|n| !names_party(n)).collect();
    assert!(bogus.is_empty(), "zero bogus parties: {bogus:?}");
    let deps = s.list::<Dependency>().unwrap();
    assert_eq!(deps.iter().filter(|d| d.depends_on_system_id.is_some()).count(), sheet.dependencies_on_systems);
    let forvaltningar = s.list::<riskverkstad_core::model::Forvaltning>().unwrap();
    assert!(BOLAG.iter().all(|b| forvaltningar.iter().any(|f| f.name == *b && f.kind == ForvaltningKind::Bolag)));
    drop(s);

    // Again, with the same mapping: nothing changes.
    let again = run(&db, &["register", "import", x, "--mapping", m.to_str().unwrap(), "--json"]).json();
    let counts = &again["report"]["counts"];
    assert_eq!((counts["created"].as_u64(), counts["updated"].as_u64()), (Some(0), Some(0)), "{counts}");
    assert_eq!(again["report"]["new_dependencies"].as_u64(), Some(0));
    assert_eq!(again["report"]["new_actions"].as_array().map(Vec::len), Some(0));

    // Export → import into another database → export: the same register.
    let first = dir.path().join("ut.xlsx");
    assert_eq!(run(&db, &["register", "export", "--out", first.to_str().unwrap()]).code, 0);
    let other = fresh("annan.db");
    let imported = run(&other, &["register", "import", first.to_str().unwrap()]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert!(
        plan_line(&imported.stdout).starts_with("Plan: 200 skapas, 0 uppdateras"),
        "{}",
        plan_line(&imported.stdout)
    );
    let second = dir.path().join("ut2.xlsx");
    assert_eq!(run(&other, &["register", "export", "--out", second.to_str().unwrap()]).code, 0);
    let rows = |f: &std::path::Path| {
        let (t, _) = riskverkstad_sheets::read(&std::fs::read(f).unwrap(), None, "ut", Default::default()).unwrap();
        let id = t.headers.iter().position(|h| h.starts_with("Id")).unwrap();
        let mut rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().enumerate().filter(|(i, _)| *i != id).map(|(_, c)| c.text()).collect())
            .collect();
        rows.sort();
        (t.headers, rows)
    };
    assert_eq!(rows(&first), rows(&second), "export → import is lossless");
}
