//! Recurring controls and exceptions from the command line: an access review set up, due,
//! done (its next date moves a year and the requirements it evidences are assessed with it as
//! evidence), done again with deviations (which become an action); an exception that makes a
//! gap no gap until its last day, is due 30 days before it, and turns the requirement back into
//! a gap after it. Bad input is refused with a precise message and the database file unchanged.

use riskverkstad_tests::{json, ok, refused, workdir};
use serde_json::Value;

const DAY: &str = "2026-11-22";

fn requirement<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("{code} is listed"))
}

#[test]
fn a_control_done_moves_its_date_and_assesses_what_it_evidences_and_an_expired_exception_is_a_gap_again() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    ok(&db, &["demo", "--systems", "12", "--today", DAY]);
    let systems = json(&db, &["records", "list", "system"]);
    let system = systems.as_array().unwrap()[6]["id"].as_str().unwrap().to_string();
    let person = json(&db, &["records", "list", "person"])[0]["name"].as_str().unwrap().to_string();

    // Set up: an access review, first due on 1 December, is due soon.
    let made = ok(
        &db,
        &[
            "controls",
            "new",
            "--kind",
            "Behörighetsgranskning",
            "--system",
            &system,
            "--responsible",
            &person,
            "--method",
            "Samkörs mot lönesystemet",
            "--first-due",
            "2026-12-01",
            "--today",
            DAY,
        ],
    );
    assert!(made.contains("görs var 12:e månad") && made.contains("2026-12-01"), "{made}");
    let due = json(&db, &["controls", "list", "--due", "--json", "--today", DAY]);
    let ours: Vec<&Value> = due.as_array().unwrap().iter().filter(|c| c["system_id"] == system.as_str()).collect();
    assert_eq!(ours.len(), 1, "{due}");
    let id = ours[0]["id"].as_str().unwrap().to_string();
    assert_eq!((ours[0]["state"].as_str(), ours[0]["next_due"].as_str()), (Some("snart"), Some("2026-12-01")));
    assert_eq!(ours[0]["responsible"], person.as_str());

    // Done without remarks: due again a year later, off the due list; K-03 (baseline, always
    // applies) is uppfyllt with the control as evidence, dated the day it was done.
    let done = ok(
        &db,
        &[
            "controls",
            "done",
            &id,
            "--date",
            "2026-11-20",
            "--by",
            "Eva Samordnare",
            "--result",
            "utan_anmarkning",
            "--accounts-reviewed",
            "120",
            "--accounts-removed",
            "4",
            "--today",
            DAY,
        ],
    );
    assert!(done.contains("Nästa gång senast 2027-11-20") && done.contains("K-03: uppfyllt"), "{done}");
    let all = json(&db, &["controls", "list", "--json", "--today", DAY]);
    let row = all.as_array().unwrap().iter().find(|c| c["id"] == id.as_str()).unwrap();
    assert_eq!(
        (row["next_due"].as_str(), row["state"].as_str(), row["runs"].as_u64()),
        (Some("2027-11-20"), None, Some(1))
    );
    let due = json(&db, &["controls", "list", "--due", "--json", "--today", DAY]);
    assert!(!due.as_array().unwrap().iter().any(|c| c["id"] == id.as_str()), "done, so not due");
    let reqs = json(&db, &["requirements", "list", "--system", &system, "--json", "--today", DAY]);
    let k03 = requirement(&reqs, "K-03");
    assert_eq!((k03["status"].as_str(), k03["assessed_on"].as_str()), (Some("uppfyllt"), Some("2026-11-20")));
    assert_eq!(k03["basis"], "basniva");
    let evidence = k03["evidence"].as_str().unwrap();
    assert!(
        evidence.contains("Behörighetsgranskning") && evidence.contains("120 konton granskade, 4 borttagna"),
        "{evidence}"
    );
    assert_eq!(k03["how"], "Samkörs mot lönesystemet");
    // A year on it is late in the årshjul.
    let later = json(&db, &["due", "--json", "--today", "2027-11-21"]);
    assert!(
        later
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "kontroll" && i["subject_id"] == id.as_str() && i["state"] == "forsenad"),
        "{later}"
    );

    // Done again with deviations: the requirement is delvis and the findings became an action.
    let again = ok(
        &db,
        &[
            "controls",
            "done",
            &id,
            "--date",
            DAY,
            "--by",
            "Eva Samordnare",
            "--result",
            "med_avvikelser",
            "--note",
            "Två konsultkonton utan giltigt avtal",
            "--today",
            DAY,
        ],
    );
    assert!(again.contains("K-03: delvis uppfyllt") && again.contains("blev åtgärden"), "{again}");
    let actions = json(&db, &["actions", "list", "--system", &system, "--json"]);
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Åtgärda avvikelser: Behörighetsgranskning"))
        .expect("the deviations became an action");
    assert_eq!(action["description"], "Två konsultkonton utan giltigt avtal");
    assert_eq!(action["due_on"], "2026-12-22");
    let shown = ok(&db, &["controls", "show", &id, "--today", DAY]);
    assert!(shown.contains("2026-11-22  Med avvikelser") && shown.contains("2026-11-20  Utan anmärkning"), "{shown}");

    // An exception: K-04 unmet is a gap; with the exception it is none until its last day,
    // due 30 days before it, and a gap again the day after.
    ok(
        &db,
        &[
            "requirements",
            "set",
            "--system",
            &system,
            "--requirement",
            "K-04",
            "--status",
            "ej_uppfyllt",
            "--date",
            DAY,
        ],
    );
    let gap = |today: &str| {
        let reqs = json(&db, &["requirements", "list", "--system", &system, "--json", "--today", today]);
        let k04 = requirement(&reqs, "K-04");
        (k04["gap"].as_bool().unwrap(), k04["excepted_until"].as_str().map(str::to_string))
    };
    assert_eq!(gap(DAY), (true, None));
    let made = ok(
        &db,
        &[
            "exceptions",
            "new",
            "--system",
            &system,
            "--requirement",
            "K-04",
            "--until",
            "2027-01-31",
            "--reason",
            "Leverantörens version stöds inte på nytt operativsystem",
            "--approved-by",
            &person,
            "--compensating",
            "Isolerat nätsegment",
            "--today",
            DAY,
        ],
    );
    assert!(made.contains("gäller t.o.m. 2027-01-31"), "{made}");
    assert_eq!(gap(DAY), (false, Some("2027-01-31".into())));
    assert_eq!(gap("2027-01-31"), (false, Some("2027-01-31".into())));
    assert_eq!(gap("2027-02-01"), (true, None));
    let avsteg = |today: &str| {
        json(&db, &["due", "--json", "--today", today])
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["kind"] == "avsteg" && i["system_id"] == system.as_str())
            .map(|i| i["state"].as_str().unwrap().to_string())
    };
    assert_eq!(avsteg("2026-12-31"), None);
    assert_eq!(avsteg("2027-01-01").as_deref(), Some("snart"));
    assert_eq!(avsteg("2027-02-01").as_deref(), Some("forsenad"));
    let list = json(&db, &["exceptions", "list", "--system", &system, "--json", "--today", "2027-02-01"]);
    assert_eq!(list[0]["requirement"], "K-04");
    assert_eq!((list[0]["holds"].as_bool(), list[0]["state"].as_str()), (Some(false), Some("forsenad")));
    assert_eq!(list[0]["standing"], "Gick ut 2027-01-31");

    // Refused, nothing written.
    refused(
        &db,
        &[
            "controls",
            "done",
            &id,
            "--date",
            "2026-12-24",
            "--by",
            "Eva",
            "--result",
            "utan_anmarkning",
            "--today",
            DAY,
        ],
        1,
        "2026-12-24 har inte varit än",
    );
    refused(&db, &["controls", "done", &id, "--date", DAY, "--by", "Eva", "--result", "bra"], 2, "inget resultat");
    refused(
        &db,
        &["controls", "done", &id, "--date", DAY, "--by", "Eva", "--result", "med_avvikelser", "--today", DAY],
        1,
        "beskriv avvikelserna",
    );
    refused(
        &db,
        &["controls", "new", "--kind", "Behörighetsgranskning", "--system", &system, "--today", DAY],
        1,
        "har redan ett kontrollmoment",
    );
    refused(&db, &["controls", "new", "--kind", "Städning", "--system", &system], 1, "Behörighetsgranskning");
    let exception = |extra: &[&str]| {
        let mut args = vec![
            "exceptions",
            "new",
            "--system",
            &system,
            "--requirement",
            "K-04",
            "--until",
            "2027-01-15",
            "--reason",
            "Igen",
            "--approved-by",
            &person,
            "--today",
            DAY,
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    let args = exception(&[]);
    refused(
        &db,
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        1,
        "t.o.m. 2027-01-31; ändra det eller återkalla det först",
    );
    let args = exception(&["--probability", "4", "--consequence", "4", "--mandate", "systemagare"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut high = args.clone();
    high[5] = "K-03";
    refused(&db, &high, 1, "godkänns lägst av");
}

#[test]
fn a_systemsakerhetsplan_is_drawn_from_the_register_frozen_and_superseded_by_its_next_version() {
    use riskverkstad_tests::pdf_text;
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    ok(&db, &["demo", "--systems", "12", "--today", DAY]);
    let systems = json(&db, &["records", "list", "system"]);
    let critical = systems
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["business_critical"] == true && s["lifecycle"] == "i_drift")
        .expect("the demo has a critical system in use");
    let id = critical["id"].as_str().unwrap().to_string();
    let name = critical["name"].as_str().unwrap().to_string();

    // A critical system whose register says it has no plan: a gap in the årshjul.
    ok(&db, &["records", "set", "system", &id, "system_security_plan=nej"]);
    let gap = |db: &std::path::Path| {
        json(db, &["due", "--json", "--today", DAY])
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["gap"] == "systemsakerhetsplan_saknas" && i["system_id"] == id.as_str())
    };
    assert!(gap(&db), "a critical system without a plan is a gap");

    // The plan's own texts, then the plan drawn and frozen as version 1.
    ok(
        &db,
        &[
            "plan",
            "set",
            "--system",
            &id,
            "--access-profiles",
            "Handläggare och administratörer, beslutade av enhetschef",
            "--continuity",
            "Pappersblanketter i pärm",
        ],
    );
    ok(&db, &["plan", "set", "--system", &id, "--logging", "Inloggningar sparas två år"]);
    let shown = json(&db, &["plan", "show", "--system", &id, "--json"]);
    assert_eq!(shown["texts"]["continuity"], "Pappersblanketter i pärm", "a later set keeps what it does not name");
    let first = dir.path().join("plan-1.pdf");
    let made = ok(&db, &["plan", "make", "--system", &id, "--out", first.to_str().unwrap(), "--date", DAY]);
    assert!(made.contains("version 1") && made.contains("gäller t.o.m. 2027-11-22"), "{made}");
    let text = pdf_text(&first);
    for wanted in [
        format!("Systemsäkerhetsplan – {name}"),
        "Handläggare och administratörer, beslutade av enhetschef".to_string(),
        "Inloggningar sparas två år".to_string(),
        "4. Krav och hur de uppfylls".to_string(),
        "Basnivå".to_string(),
        "9. Återkommande kontroller".to_string(),
        "Sekretess enligt 18 kap. 8 § OSL".to_string(),
        "beslutad".to_string(),
    ] {
        assert!(text.contains(&wanted), "«{wanted}» missing in\n{text}");
    }
    assert!(!gap(&db), "a plan made here closes the gap");
    let system = json(&db, &["records", "show", "system", &id]);
    assert_eq!(system["system_security_plan"], true, "the register now says the plan exists");

    // A later version supersedes it; both are kept.
    let second = dir.path().join("plan-2.pdf");
    ok(&db, &["plan", "make", "--system", &id, "--out", second.to_str().unwrap(), "--date", DAY]);
    let shown = json(&db, &["plan", "show", "--system", &id, "--json"]);
    let states: Vec<(u64, &str)> = shown["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_u64().unwrap(), v["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, vec![(1, "ersatt"), (2, "beslutad")]);
    assert!(pdf_text(&second).contains("version 2"));

    // A system without a systemägare needs someone named to establish the plan.
    let orphan = ok(&db, &["systems", "new", "Nytt system utan ägare", "--forvaltning", "KS"]).trim().to_string();
    let out = dir.path().join("x.pdf");
    refused(&db, &["plan", "make", "--system", &orphan, "--out", out.to_str().unwrap()], 2, "ingen systemägare");
    assert!(!out.exists());
}
