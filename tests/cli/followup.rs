//! The follow-up through the year from the command line: a system registered, classified and
//! fastställd, its requirements assessed, an action from a gap, a risk analysis redone from
//! the previous one, actions closed, and the yearly items back a year later. Bad input gets
//! a precise message, exit 1 or 2, and the database file stays as it was.

use riskverkstad_tests::{json, ok, refused, run, workdir};
use serde_json::Value;

const DAY: &str = "2026-11-22";

/// The folder a database file is in (where a story writes its PDFs).
fn dir_of(db: &std::path::Path) -> std::path::PathBuf {
    db.parent().unwrap().to_path_buf()
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    ok(&db, &["demo", "--systems", "12", "--today", DAY]);
    (dir, db)
}

#[test]
fn a_year_of_one_system_from_the_command_line() {
    let (_dir, db) = demo();
    let forvaltning = json(&db, &["records", "list", "forvaltning"])[0]["short_name"].as_str().unwrap().to_string();
    let person = json(&db, &["records", "list", "person"])[0]["name"].as_str().unwrap().to_string();
    // Registered, with its owner, its information and its facts.
    let id = ok(&db, &["systems", "new", "Parkeringssystem", "--forvaltning", &forvaltning]).trim().to_string();
    ok(&db, &["systems", "role", "--system", "Parkeringssystem", "--role", "systemagare", "--person", &person]);
    ok(&db, &["systems", "add-set", "--system", "Parkeringssystem", "--name", "Parkeringstillstånd"]);
    ok(
        &db,
        &[
            "systems",
            "role",
            "--system",
            &id,
            "--role",
            "informationsagare",
            "--person",
            &person,
            "--information-set",
            "Parkeringstillstånd",
        ],
    );
    let set = json(
        &db,
        &[
            "records",
            "set",
            "system",
            &id,
            "lifecycle=i_drift",
            "pm3_object=Samhällsbyggnad",
            "business_critical=ja",
            "rto_hours=24",
            "rpo_hours=4",
            &format!("restore_tested_on={DAY}"),
            &format!("last_review_on={DAY}"),
            &format!("last_review_by={person}"),
        ],
    );
    assert_eq!(set["pm3_object"], "Samhällsbyggnad");

    // Classified as a draft, then fastställd by the information owner.
    ok(
        &db,
        &[
            "classification",
            "new",
            "--system",
            &id,
            "--information-set",
            "Parkeringstillstånd",
            "--level",
            "K=2:Personuppgifter i ärenden",
            "--level",
            "R=2:Beslut",
            "--level",
            "T=1:Kan vänta en dag",
            "--level",
            "S=1:Loggas",
            "--date",
            DAY,
        ],
    );
    let listed = json(&db, &["classification", "list", "--system", &id, "--json"]);
    assert_eq!(listed[0]["status"], "utkast");
    assert_eq!(listed[0]["owners"][0], person.as_str());
    ok(
        &db,
        &[
            "classification",
            "decide",
            "--system",
            &id,
            "--information-set",
            "Parkeringstillstånd",
            "--decided-by",
            &person,
            "--date",
            DAY,
        ],
    );
    let listed = json(&db, &["classification", "list", "--system", &id, "--json"]);
    assert_eq!((listed[0]["status"].as_str(), listed[0]["decided_on"].as_str()), (Some("faststalld"), Some(DAY)));
    refused(
        &db,
        &[
            "classification",
            "decide",
            "--system",
            &id,
            "--information-set",
            "Parkeringstillstånd",
            "--decided-by",
            &person,
        ],
        1,
        "redan fastställd",
    );

    // Every requirement assessed; one gap becomes an action.
    let requirements = json(&db, &["requirements", "list", "--system", &id, "--json"]);
    let codes: Vec<String> =
        requirements.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect();
    assert!(codes.len() >= 3, "{requirements}");
    assert!(requirements.as_array().unwrap().iter().all(|r| r["gap"] == true && r["status"].is_null()));
    for code in &codes[1..] {
        ok(
            &db,
            &[
                "requirements",
                "set",
                "--system",
                &id,
                "--requirement",
                code,
                "--status",
                "uppfyllt",
                "--how",
                "Rutin finns",
                "--evidence",
                "Rutinbeskrivning",
                "--date",
                DAY,
            ],
        );
    }
    ok(
        &db,
        &[
            "requirements",
            "set",
            "--system",
            &id,
            "--requirement",
            &codes[0].to_lowercase(),
            "--status",
            "ej_uppfyllt",
            "--how",
            "Saknas",
        ],
    );
    let after = json(&db, &["requirements", "list", "--system", &id, "--json"]);
    let gaps: Vec<&Value> = after.as_array().unwrap().iter().filter(|r| r["gap"] == true).collect();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0]["code"].as_str(), gaps[0]["status"].as_str(), gaps[0]["how"].as_str()),
        (Some(codes[0].as_str()), Some("ej_uppfyllt"), Some("Saknas"))
    );
    let action = ok(
        &db,
        &[
            "actions",
            "new",
            "--system",
            &id,
            "--title",
            "Stäng bristen",
            "--owner",
            &person,
            "--due",
            "2027-02-01",
            "--requirement",
            &codes[0],
        ],
    )
    .trim()
    .to_string();
    let actions = json(&db, &["actions", "list", "--system", &id, "--status", "oppen", "--json"]);
    assert_eq!(actions[0]["requirements"][0], codes[0].as_str());
    assert_eq!(actions[0]["owner"], person.as_str());

    // A risk analysis, then the approval med villkor: its condition is an action.
    let analysis = ok(&db, &["analysis", "new", "--system", &id, "--scope", "Hela ärendeflödet", "--date", DAY])
        .trim()
        .to_string();
    ok(&db, &["analysis", "set", &analysis, "--status", "klar", "--participants", "Eva, Bo"]);
    ok(
        &db,
        &[
            "decision",
            "make",
            "driftgodkannande",
            "--system",
            &id,
            "--decided-by",
            &person,
            "--outcome",
            "med_villkor",
            "--condition",
            "Inför MFA@2027-03-01",
            "--date",
            DAY,
        ],
    );
    // A critical system has a systemsäkerhetsplan: its texts, then the plan frozen (a year).
    ok(&db, &["plan", "set", "--system", &id, "--access-profiles", "Handläggare och administratörer"]);
    let plan = dir_of(&db).join("plan.pdf");
    ok(
        &db,
        &["plan", "make", "--system", &id, "--decided-by", &person, "--out", plan.to_str().unwrap(), "--date", DAY],
    );
    let conditions = json(&db, &["actions", "list", "--system", &id, "--json"]);
    let condition = conditions.as_array().unwrap().iter().find(|a| a["title"] == "Inför MFA").unwrap();
    assert!(condition["condition_of"].as_str().unwrap().starts_with("Driftgodkännande version 1"), "{condition}");

    // The actions closed: nothing for the system in the yearly cycle.
    for a in conditions.as_array().unwrap() {
        let a_id = a["id"].as_str().unwrap();
        ok(&db, &["actions", "set", &a_id[a_id.len() - 8..], "--status", "genomford", "--completed-on", "2026-12-15"]);
    }
    let closed = json(&db, &["actions", "list", "--system", &id, "--status", "genomford", "--json"]);
    assert_eq!(closed.as_array().unwrap().len(), conditions.as_array().unwrap().len());
    assert!(closed.as_array().unwrap().iter().all(|a| a["completed_on"] == "2026-12-15"));
    assert!(action.len() == 36);
    let due = json(&db, &["due", "--system", &id, "--today", "2026-12-20", "--json"]);
    assert_eq!(due.as_array().unwrap().len(), 0, "{due:#}");

    // A year later the yearly duties are back, and the analysis is redone from the last one.
    let later = json(&db, &["due", "--system", &id, "--today", "2027-12-20", "--json"]);
    let kinds: Vec<&str> = later.as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    for kind in ["omklassning", "riskanalys", "kravuppfoljning", "beslut", "systemoversyn"] {
        assert!(kinds.contains(&kind), "{kind} missing in {kinds:?}");
    }
    let redo =
        ok(&db, &["analysis", "new", "--system", &id, "--from-previous", "--date", "2027-12-20"]).trim().to_string();
    let analyses = json(&db, &["analysis", "list", "--system", &id, "--json"]);
    assert_eq!(analyses[0]["id"], redo.as_str());
    assert_eq!(
        (analyses[0]["based_on"].as_str(), analyses[0]["scope"].as_str()),
        (Some(analysis.as_str()), Some("Hela ärendeflödet"))
    );
}

#[test]
fn bad_input_is_named_precisely_and_changes_nothing() {
    let (_dir, db) = demo();
    let system = json(&db, &["systems", "list", "--json"])[0]["name"].as_str().unwrap().to_string();
    let code =
        json(&db, &["requirements", "list", "--system", &system, "--json"])[0]["code"].as_str().unwrap().to_string();
    refused(
        &db,
        &["requirements", "set", "--system", &system, "--requirement", "X-99", "--status", "uppfyllt"],
        1,
        "inget krav heter \"X-99\"",
    );
    refused(
        &db,
        &["requirements", "set", "--system", &system, "--requirement", &code, "--status", "klart"],
        2,
        "okänd status «klart»; välj uppfyllt, delvis, ej_uppfyllt eller ej_tillampligt",
    );
    refused(
        &db,
        &["requirements", "set", "--system", &system, "--requirement", &code, "--status", "ej_tillampligt"],
        1,
        "ange varför kravet inte är tillämpligt",
    );
    refused(
        &db,
        &[
            "requirements",
            "set",
            "--system",
            &system,
            "--requirement",
            &code,
            "--status",
            "uppfyllt",
            "--date",
            "22/11/2026",
        ],
        2,
        "«22/11/2026» är inget datum; skriv ÅÅÅÅ-MM-DD",
    );
    refused(
        &db,
        &["actions", "new", "--system", &system, "--title", "X", "--due", "2026-13-01"],
        2,
        "«2026-13-01» är inget datum",
    );
    refused(
        &db,
        &["actions", "new", "--system", &system, "--title", "X", "--requirement", "X-99"],
        1,
        "inget krav heter",
    );
    refused(
        &db,
        &["actions", "set", "00000000-0000-0000-0000-000000000000", "--status", "genomford"],
        1,
        "ingen åtgärd heter",
    );
    let open = json(&db, &["actions", "list", "--status", "oppen", "--json"]);
    let open_id = open[0]["id"].as_str().unwrap().to_string();
    refused(
        &db,
        &["actions", "set", &open_id, "--status", "klar"],
        2,
        "okänd status «klar»; välj planerad, pagar, genomford eller avbruten",
    );
    refused(
        &db,
        &["actions", "set", &open_id, "--completed-on", "2026-11-01"],
        2,
        "--completed-on gäller en genomförd eller avbruten åtgärd",
    );
    refused(&db, &["actions", "list", "--status", "klar"], 2, "okänd status «klar»");
    refused(
        &db,
        &["classification", "decide", "--system", &system, "--information-set", "Finns inte", "--decided-by", "x"],
        1,
        "ingen av systemets informationsmängder heter \"Finns inte\"",
    );
    refused(
        &db,
        &["classification", "new", "--system", &system, "--information-set", "x", "--level", "K2"],
        2,
        "ska skrivas ASPEKT=NIVÅ:MOTIVERING",
    );
    refused(&db, &["analysis", "new", "--system", "Finns inte"], 1, "inget system heter \"Finns inte\"");
    refused(
        &db,
        &["systems", "role", "--system", &system, "--role", "informationsagare", "--person", "x"],
        2,
        "en informationsägare äger en informationsmängd: ange den med --information-set",
    );
    // An analysis by the short id its list shows.
    let analysis = json(&db, &["records", "list", "risk_analysis"])[0]["id"].as_str().unwrap().to_string();
    let short = &analysis[analysis.len() - 8..];
    ok(&db, &["analysis", "set", short, "--status", "klar"]);
    refused(&db, &["analysis", "set", "ffffffff", "--status", "klar"], 1, "finns inte");
    let risk = json(&db, &["records", "list", "risk"])[0]["id"].as_str().unwrap().to_string();
    refused(&db, &["records", "set", "risk", &risk, "accepted_by="], 1, "Acceptera risk");
    refused(&db, &["records", "set", "risk", &risk, "probability=hög"], 1, "«hög» passar inte");
    refused(&db, &["records", "set", "decision", "00000000", "title=x"], 1, "ett beslut fattas som ett nytt beslut");
    refused(&db, &["records", "set", "sytem", "x", "name=y"], 1, "«sytem» är ingen posttyp");
    refused(&db, &["records", "set", "system", "x", "namn"], 2, "«namn» ska skrivas FÄLT=VÄRDE");
}

#[test]
fn scripts_can_read_and_change_any_editable_field_by_name() {
    let (_dir, db) = demo();
    let kinds = json(&db, &["records", "kinds", "--json"]);
    let decision = kinds.as_array().unwrap().iter().find(|k| k["table"] == "decision").unwrap();
    assert!(decision["through"].as_str().unwrap().contains("decision make"));
    let fields = json(&db, &["records", "fields", "risk", "--json"]);
    let editable: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["editable"] == true)
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(editable.contains(&"treatment") && editable.contains(&"owner_id") && !editable.contains(&"accepted_by"));
    let party = json(&db, &["records", "list", "external_party"])[0].clone();
    let id = party["id"].as_str().unwrap();
    let changed =
        json(&db, &["records", "set", "external_party", id, "Organisationsnummer=556000-1234", "kind=myndighet"]);
    assert_eq!((changed["org_number"].as_str(), changed["kind"].as_str()), (Some("556000-1234"), Some("myndighet")));
    assert_eq!(
        json(&db, &["records", "show", "external_party", &id[id.len() - 8..]])["revision"],
        party["revision"].as_i64().unwrap() + 1
    );
    // The change is audited and undone like any other.
    let undo = run(&db, &["undo"]);
    assert_eq!(undo.code, 0, "{}", undo.stderr);
    assert_eq!(json(&db, &["records", "show", "external_party", id])["org_number"], party["org_number"]);
}
