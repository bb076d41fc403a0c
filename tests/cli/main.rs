#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Stories that drive the `riskverkstad` CLI as a user would, against real SQLite files.

mod controls;
mod editors;
mod exchange;
mod followup;
mod hostile;
mod incidents;
mod register;
mod security;

use riskverkstad_tests::{file_bytes, run, workdir};

const DAY: &str = "2026-11-22";

#[test]
fn a_new_user_builds_the_demo_lists_the_register_and_checks_the_database() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    let demo = run(&db, &["demo", "--today", DAY]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("60 system"), "{}", demo.stdout);

    let list = run(&db, &["systems", "list", "--json"]).json();
    let systems = list.as_array().unwrap();
    assert_eq!(systems.len(), 60);
    for s in systems {
        assert!(s["id"].as_str().unwrap().len() == 36, "{s}");
        assert!(!s["name"].as_str().unwrap().is_empty());
        assert!(!s["forvaltning"].as_str().unwrap().is_empty());
        for aspect in ["K", "R", "T", "S"] {
            assert!(s["profile"].get(aspect).is_some(), "profile lacks {aspect}: {s}");
        }
    }
    assert!(systems.iter().any(|s| s["profile"]["K"].as_u64() == Some(3)));

    let table = run(&db, &["systems", "list"]);
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("60 av 60 system"), "{}", table.stdout);

    let check = run(&db, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("är hel"), "{}", check.stdout);
}

#[test]
fn the_same_seed_gives_the_same_municipality_and_another_seed_another() {
    let dir = workdir();
    let list = |name: &str, seed: &str| {
        let db = dir.path().join(name);
        assert_eq!(run(&db, &["demo", "--systems", "30", "--seed", seed, "--today", DAY]).code, 0);
        run(&db, &["systems", "list", "--json"]).stdout
    };
    let a = list("a.db", "7");
    assert_eq!(a, list("b.db", "7"));
    assert_ne!(a, list("c.db", "8"));
}

#[test]
fn search_narrows_the_register_and_filters_combine() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "120", "--today", DAY]).code, 0);
    let all = run(&db, &["systems", "list", "--json"]).json().as_array().unwrap().len();
    let hits = run(&db, &["systems", "list", "--search", "ekonomi", "--json"]).json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() < all, "{} of {all}", hits.len());
    for h in hits {
        let text =
            format!("{} {} {} {} {}", h["name"], h["aliases"], h["description"], h["supplier"], h["forvaltning"])
                .to_lowercase();
        assert!(text.contains("ekonomi"), "{h}");
    }
    let soc = run(&db, &["systems", "list", "--forvaltning", "SOC", "--critical", "--json"]).json();
    for h in soc.as_array().unwrap() {
        assert_eq!(h["forvaltning"], "Socialförvaltningen");
        assert_eq!(h["critical"], true);
    }
    let high = run(&db, &["systems", "list", "--min-level", "3", "--sort", "niva", "--json"]).json();
    assert!(high.as_array().unwrap().iter().all(|h| h["max_level"].as_u64().unwrap() >= 3));
    let unknown = run(&db, &["systems", "list", "--forvaltning", "Finns inte"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("ingen förvaltning heter \"Finns inte\""), "{}", unknown.stderr);
}

#[test]
fn the_yearly_cycle_lists_overdue_and_upcoming_work() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--today", DAY]).code, 0);
    let items = run(&db, &["due", "--json", "--today", DAY]).json();
    let items = items.as_array().unwrap();
    let has = |kind: &str, state: &str| items.iter().any(|i| i["kind"] == kind && i["state"] == state);
    assert!(has("atgard", "forsenad"), "overdue actions");
    assert!(has("omklassning", "forsenad") || has("omklassning", "snart"), "classification reviews");
    assert!(has("avtal", "snart") || has("avtal", "forsenad"), "contracts ending");
    // Overdue items come first.
    let first_soon = items.iter().position(|i| i["state"] == "snart").unwrap_or(items.len());
    assert!(items[first_soon..].iter().all(|i| i["state"] == "snart"));
    // Two years later, far more is overdue.
    let later = run(&db, &["due", "--json", "--today", "2028-12-01"]).json();
    let overdue = |v: &serde_json::Value| v.as_array().unwrap().iter().filter(|i| i["state"] == "forsenad").count();
    assert!(overdue(&later) > overdue(&run(&db, &["due", "--json", "--today", DAY]).json()));
    let table = run(&db, &["due", "--today", DAY]);
    assert!(table.stdout.contains("Försenad") && table.stdout.contains("försenade"), "{}", table.stdout);
}

#[test]
fn a_system_is_shown_with_its_profile_roles_and_risks() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--today", DAY]).code, 0);
    let shown = run(&db, &["systems", "show", "Katalogtjänst"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    for expected in ["Skyddsprofil:", "Konfidentialitet", "Systemägare", "Information:", "Krav: ", "Risker ("] {
        assert!(shown.stdout.contains(expected), "missing {expected}:\n{}", shown.stdout);
    }
    let json = run(&db, &["systems", "show", "Katalogtjänst", "--json"]).json();
    assert_eq!(json["system"]["name"], "Katalogtjänst");
    let id = json["system"]["id"].as_str().unwrap().to_string();
    assert_eq!(run(&db, &["systems", "show", &id, "--json"]).json()["system"]["id"], id.as_str());

    let ambiguous = run(&db, &["systems", "show", "system"]);
    assert_eq!(ambiguous.code, 1);
    // An ambiguous name is an error that lists the candidates with their ids.
    assert!(ambiguous.stderr.contains("\"system\" matchar"), "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.contains("Ekonomisystem (") && ambiguous.stderr.matches("; ").count() >= 2,
        "{}",
        ambiguous.stderr
    );
    let unknown = run(&db, &["systems", "show", "Ingetsådantsystem"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("inget system heter \"Ingetsådantsystem\""), "{}", unknown.stderr);
}

#[test]
fn a_record_changed_behind_the_apps_back_fails_the_check() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "10", "--today", DAY]).code, 0);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE system SET mfa = 1 - coalesce(mfa, 0) WHERE name = 'Katalogtjänst'", []).unwrap();
    }
    let check = run(&db, &["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("i system har ändrats utanför Riskverkstad"), "{}", check.stderr);
    let json = run(&db, &["check", "--json"]).json();
    assert_eq!(json["problems"].as_array().unwrap().len(), 1);
}

#[test]
fn a_broken_audit_chain_fails_the_check() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "5", "--today", DAY]).code, 0);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 200", []).unwrap();
    }
    let check = run(&db, &["check"]);
    assert_eq!(check.code, 1);
    assert!(check.stderr.contains("post 200 har ändrats i efterhand"), "{}", check.stderr);
}

#[test]
fn a_database_from_a_newer_riskverkstad_is_refused_untouched() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "3", "--today", DAY]).code, 0);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 42).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_bytes(&db);
    let refused = run(&db, &["systems", "list"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("schemaversion 42")
            && refused
                .stderr
                .contains(&format!("till och med schemaversion {}", riskverkstad_core::store::SCHEMA_VERSION)),
        "{}",
        refused.stderr
    );
    assert_eq!(file_bytes(&db), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = workdir();
    let db = dir.path().join("systemlista.db");
    std::fs::write(&db, "Namn;Förvaltning\nEkonomisystem;KS\n".repeat(300)).unwrap();
    let before = file_bytes(&db);
    for args in [&["systems", "list"][..], &["check"], &["due"], &["demo"]] {
        let r = run(&db, args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("är inte en Riskverkstad-databas"), "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"));
    }
    assert_eq!(file_bytes(&db), before);
}

#[test]
fn a_missing_database_is_explained_not_created() {
    let dir = workdir();
    let db = dir.path().join("saknas.db");
    let r = run(&db, &["systems", "list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("finns inte") && r.stderr.contains("riskverkstad demo"), "{}", r.stderr);
    assert!(!db.exists());
}

#[test]
fn the_audit_log_records_who_did_what() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "3", "--today", DAY]).code, 0);
    let log = run(&db, &["audit", "--limit", "5", "--json"]).json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 5);
    for e in log {
        assert_eq!(e["actor"], "samordnare");
        assert_eq!(e["action"], "Skapa demokommun");
        // The demo inserts its records, and updates a few as it goes (a restore test dates
        // its system, an exception's requirement is assessed again).
        assert!(["insert", "update"].contains(&e["operation"].as_str().unwrap()), "{e}");
        assert_eq!(e["hash"].as_str().unwrap().len(), 64);
    }
}

#[test]
fn a_5000_system_municipality_builds_and_checks_clean() {
    let dir = workdir();
    let db = dir.path().join("stor.db");
    let demo = run(&db, &["demo", "--systems", "5000", "--today", DAY]);
    assert_eq!(demo.code, 0, "{}", demo.stderr);
    assert!(demo.stdout.contains("5000 system"), "{}", demo.stdout);
    let check = run(&db, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let count = run(&db, &["systems", "list", "--json"]).json().as_array().unwrap().len();
    assert_eq!(count, 5000);
}

#[test]
fn undo_reverses_the_last_change_as_a_logged_change_and_says_when_nothing_is_left() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "10", "--today", DAY]).code, 0);
    let dry = run(&db, &["undo", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(dry.stdout.contains("«Skapa demokommun»"), "{}", dry.stdout);
    assert_eq!(
        run(&db, &["systems", "list", "--json"]).json().as_array().unwrap().len(),
        10,
        "a dry run changes nothing"
    );

    let undo = run(&db, &["undo"]);
    assert_eq!(undo.code, 0, "{}", undo.stderr);
    assert!(undo.stdout.contains("Ångrade «Skapa demokommun»"), "{}", undo.stdout);
    assert_eq!(run(&db, &["systems", "list", "--json"]).json().as_array().unwrap().len(), 0);
    let audit = run(&db, &["audit", "--limit", "1"]);
    assert!(audit.stdout.contains("Ångra: Skapa demokommun"), "the undo is itself in the log: {}", audit.stdout);
    assert_eq!(run(&db, &["check"]).code, 0);

    let before = file_bytes(&db);
    let again = run(&db, &["undo"]);
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("ingen ändring att ångra"), "{}", again.stderr);
    assert_eq!(file_bytes(&db), before, "a refused undo leaves the file as it was");
}

#[test]
fn report_writes_a_pdf_and_names_ambiguous_or_unknown_systems() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--today", DAY]).code, 0);
    let pdf = dir.path().join("dg.pdf");
    let ok = run(
        &db,
        &["report", "driftgodkannande", "--system", "Ekonomisystem", "--date", DAY, "--out", pdf.to_str().unwrap()],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("SHA-256"), "{}", ok.stdout);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let again = dir.path().join("dg2.pdf");
    run(
        &db,
        &["report", "driftgodkannande", "--system", "Ekonomisystem", "--date", DAY, "--out", again.to_str().unwrap()],
    );
    assert_eq!(bytes, std::fs::read(&again).unwrap(), "the same input gives the same bytes");

    let lagesbild = dir.path().join("lb.pdf");
    let lb = run(
        &db,
        &["report", "lagesbild", "--forvaltning", "SOC", "--open-summary", "--out", lagesbild.to_str().unwrap()],
    );
    assert_eq!(lb.code, 0, "{}", lb.stderr);

    let many =
        run(&db, &["report", "klassning", "--system", "system", "--out", dir.path().join("x.pdf").to_str().unwrap()]);
    assert_eq!(many.code, 1);
    assert!(many.stderr.contains("passar flera system") && many.stderr.contains("Ekonomisystem ("), "{}", many.stderr);
    let none = run(
        &db,
        &["report", "klassning", "--system", "Finns inte", "--out", dir.path().join("y.pdf").to_str().unwrap()],
    );
    assert_eq!(none.code, 1);
    assert!(none.stderr.contains("«Finns inte»"), "{}", none.stderr);
    assert!(!dir.path().join("x.pdf").exists() && !dir.path().join("y.pdf").exists(), "no file on failure");
    let bad = run(&db, &["report", "arsrapport", "--out", "z.pdf"]);
    assert_eq!(bad.code, 2, "an unknown document is a usage error");
}

#[test]
fn a_decision_is_archived_with_its_pdf_and_every_version_stays_retrievable() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    assert_eq!(run(&db, &["demo", "--systems", "8", "--today", DAY]).code, 0);
    let first_pdf = dir.path().join("v.pdf");
    let made = run(
        &db,
        &[
            "decision",
            "make",
            "driftgodkannande",
            "--system",
            "Ekonomisystem",
            "--decided-by",
            "Karl Axelsson",
            "--outcome",
            "med_villkor",
            "--condition",
            "MFA för alla användare@2027-03-01",
            "--diarienummer",
            "KS 2026/900",
            "--date",
            DAY,
            "--out",
            first_pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stdout.contains("fattat och arkiverat"), "{}", made.stdout);
    let written = std::fs::read(&first_pdf).unwrap();

    let list = run(&db, &["decision", "list", "--system", "Ekonomisystem", "--json"]).json();
    let rows = list.as_array().unwrap();
    let newest = rows.iter().find(|r| r["state"] == "beslutad" && r["document_sha256"].is_string()).unwrap();
    let (id, version) = (newest["id"].as_str().unwrap().to_string(), newest["version"].as_u64().unwrap());
    assert_eq!(newest["decided_by"], "Karl Axelsson");

    // A change to the system, then a new decision: a new version; the first stays as it was.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let before = conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0)).unwrap();
        drop(conn);
        let mut store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
        let id = riskverkstad_core::find::system(&store, "Ekonomisystem").unwrap();
        let mut s: riskverkstad_core::model::System = riskverkstad_core::store::Read::get(&store, id).unwrap();
        s.description = "Ekonomisystemet efter uppgraderingen".into();
        store.write("Ändra system", |w| w.update(s)).unwrap();
        assert!(store.audit_log(None).unwrap().len() as i64 > before);
    }
    let second = run(
        &db,
        &[
            "decision",
            "make",
            "driftgodkannande",
            "--system",
            "Ekonomisystem",
            "--decided-by",
            "Karl Axelsson",
            "--outcome",
            "driftgodkanns",
            "--date",
            "2026-11-23",
        ],
    );
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stdout.contains(&format!("version {}", version + 1)), "{}", second.stdout);
    let saved = dir.path().join("saved.pdf");
    let save = run(&db, &["decision", "save", &id, "--out", saved.to_str().unwrap()]);
    assert_eq!(save.code, 0, "{}", save.stderr);
    assert_eq!(std::fs::read(&saved).unwrap(), written, "the archived bytes are the ones drawn at the decision");
    let list = run(&db, &["decision", "list", "--system", "Ekonomisystem", "--json"]).json();
    let first = list.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap().clone();
    assert_eq!(first["state"], "ersatt");

    // Incomplete decisions and unknown people are refused with the file untouched.
    let before = file_bytes(&db);
    let no_outcome = run(
        &db,
        &["decision", "make", "driftgodkannande", "--system", "Ekonomisystem", "--decided-by", "Karl Axelsson"],
    );
    assert_eq!(no_outcome.code, 1);
    assert!(no_outcome.stderr.contains("välj driftgodkänns"), "{}", no_outcome.stderr);
    let nobody = run(&db, &["decision", "make", "lagesbild", "--decided-by", "Ingen Alls"]);
    assert_eq!(nobody.code, 1);
    assert!(nobody.stderr.contains("ingen person heter"), "{}", nobody.stderr);
    assert_eq!(file_bytes(&db), before);

    // Not even SQL changes an archived document; one changed behind the schema's back (its
    // guard dropped) fails the check and can no longer be saved.
    assert_eq!(run(&db, &["check"]).code, 0);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let e = conn.execute("UPDATE decision_document SET bytes = x'00'", []).unwrap_err();
    assert!(e.to_string().contains("ändras aldrig"), "{e}");
    conn.execute_batch("DROP TRIGGER decision_document_no_update; UPDATE decision_document SET bytes = x'00'").unwrap();
    drop(conn);
    let check = run(&db, &["check"]);
    let said = format!("{}{}", check.stdout, check.stderr);
    assert_eq!(check.code, 1, "{said}");
    assert!(said.contains("beslutsdokumentet") && said.contains("har ändrats"), "{said}");
    let tampered = run(&db, &["decision", "save", &id, "--out", dir.path().join("t.pdf").to_str().unwrap()]);
    assert_eq!(tampered.code, 1);
    assert!(tampered.stderr.contains("har ändrats"), "{}", tampered.stderr);
}
