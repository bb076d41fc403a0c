//! Incidents from the command line: an incident known on a Friday at 16:00 is on time for its
//! early warning Saturday at 16:00 and late at 16:01; the warning marked sent; the
//! notification's sending starts the final report's month; the reports as PDF, read back; a
//! serious incident makes a new risk analysis due; Skapa risk från incident; the incidentlogg.
//! Bad input is refused with a precise message and the database file unchanged.

use riskverkstad_tests::{ok, pdf_text, refused, run, workdir};
use serde_json::Value;

fn the(list: &Value, id: &str) -> Value {
    list.as_array().unwrap().iter().find(|i| i["id"] == id).cloned().expect("the incident is listed")
}

fn deadline<'a>(incident: &'a Value, kind: &str) -> &'a Value {
    incident["deadlines"].as_array().unwrap().iter().find(|d| d["kind"] == kind).expect(kind)
}

#[test]
fn an_incident_known_friday_at_four_is_late_saturday_at_one_minute_past_until_its_warning_is_sent() {
    let dir = workdir();
    let db = dir.path().join("kommun.db");
    ok(&db, &["demo", "--systems", "12", "--today", "2026-11-20"]);
    let id = ok(
        &db,
        &[
            "incidents",
            "new",
            "--title",
            "Intrång i e-tjänsten",
            "--known-at",
            "2026-11-27 16:00",
            "--system",
            "Ekonomisystem",
            "--significant",
            "--personal-data",
        ],
    )
    .trim()
    .to_string();

    // Saturday 16:00: the early warning is due now; 16:01: missed.
    let list = run(&db, &["incidents", "list", "--open", "--json", "--now", "2026-11-28 16:00"]).json();
    let i = the(&list, &id);
    assert_eq!((i["title"].as_str(), i["status"].as_str()), (Some("Intrång i e-tjänsten"), Some("oppen")));
    let warning = deadline(&i, "tidig_varning");
    assert_eq!(warning["due_at"], "2026-11-28T16:00:00+01:00");
    assert_eq!((warning["state"].as_str(), warning["minutes_left"].as_i64()), (Some("loper"), Some(0)));
    assert!(warning["sent_at"].is_null());
    assert_eq!(deadline(&i, "gdpr")["due_at"], "2026-11-30T16:00:00+01:00");
    assert_eq!(deadline(&i, "slutrapport")["state"], "vantar");
    let late = the(&run(&db, &["incidents", "list", "--json", "--now", "2026-11-28 16:01"]).json(), &id);
    assert_eq!(deadline(&late, "tidig_varning")["state"], "missad");
    assert_eq!(late["late"], true);
    // The årshjul says so in hours.
    let due = ok(&db, &["incidents", "list", "--now", "2026-11-28 16:01"]);
    assert!(due.contains("Tidig varning: senast 2026-11-28 16:00, MISSAD sedan 1 min"), "{due}");

    // Marked sent (late), to a recipient kept as data; the notification in time starts the
    // final report's month, which ends on the same time of day a month later.
    ok(
        &db,
        &[
            "incidents",
            "sent",
            &id,
            "--kind",
            "tidig-varning",
            "--at",
            "2026-11-28 17:30",
            "--to",
            "CERT-SE",
            "--reference",
            "CSIRT-2026-1",
        ],
    );
    ok(&db, &["incidents", "sent", &id, "--kind", "incidentanmalan", "--at", "2026-11-30 09:15", "--to", "CERT-SE"]);
    let i = the(&run(&db, &["incidents", "list", "--json", "--now", "2026-12-01 12:00"]).json(), &id);
    let warning = deadline(&i, "tidig_varning");
    assert_eq!(
        (warning["state"].as_str(), warning["sent_at"].as_str()),
        (Some("skickad_sent"), Some("2026-11-28T17:30:00+01:00"))
    );
    assert_eq!(deadline(&i, "incidentanmalan")["state"], "skickad");
    assert_eq!(deadline(&i, "slutrapport")["due_at"], "2026-12-30T09:15:00+01:00");
    assert_eq!(deadline(&i, "gdpr")["state"], "missad", "IMY is still owed its report");

    // Refusals: an unknown recipient (the list is named), a report the incident does not
    // call for, a time before it became known, an unknown kind, a malformed time.
    refused(
        &db,
        &["incidents", "sent", &id, "--kind", "gdpr", "--at", "2026-11-29 10:00", "--to", "Polisen"],
        1,
        "ingen mottagare heter \"Polisen\"",
    );
    refused(
        &db,
        &["incidents", "sent", &id, "--kind", "gdpr", "--at", "2026-11-26 10:00", "--to", "IMY"],
        1,
        "kan inte vara före att incidenten blev känd (2026-11-27 16:00)",
    );
    refused(
        &db,
        &["incidents", "sent", &id, "--kind", "kvartalsrapport", "--at", "2026-11-29 10:00", "--to", "IMY"],
        2,
        "okänd rapport «kvartalsrapport»",
    );
    refused(
        &db,
        &["incidents", "new", "--title", "X", "--known-at", "fredag eftermiddag"],
        2,
        "«fredag eftermiddag» är ingen tidpunkt",
    );
    let minor = ok(&db, &["incidents", "new", "--title", "Borttappad USB-sticka", "--known-at", "2026-11-29 08:00"])
        .trim()
        .to_string();
    refused(
        &db,
        &["incidents", "sent", &minor, "--kind", "tidig-varning", "--at", "2026-11-29 10:00", "--to", "CERT-SE"],
        1,
        "markera den som betydande incident först",
    );
    let minor_row = the(&run(&db, &["incidents", "list", "--json", "--now", "2026-11-29 12:00"]).json(), &minor);
    assert_eq!(minor_row["deadlines"].as_array().unwrap().len(), 0, "nothing to report for a minor incident");

    // The reports as PDF, read back: the early warning with its rule, sending and secrecy.
    let pdf = dir.path().join("tidig-varning.pdf");
    ok(
        &db,
        &[
            "incidents",
            "report",
            &id,
            "--kind",
            "tidig-varning",
            "--out",
            pdf.to_str().unwrap(),
            "--now",
            "2026-12-01 12:00",
        ],
    );
    let text = pdf_text(&pdf);
    for wanted in [
        "Tidig varning – Intrång i e-tjänsten",
        "Sekretess enligt 18 kap. 8 § OSL",
        "inom 24 timmar",
        "2026-11-27 16:00",
        "Skickad för sent",
        "CSIRT-2026-1",
        "Ekonomisystem",
    ] {
        assert!(text.contains(wanted), "«{wanted}» missing in\n{text}");
    }
    for kind in ["incidentanmalan", "slutrapport", "gdpr"] {
        let out = dir.path().join(format!("{kind}.pdf"));
        ok(
            &db,
            &["incidents", "report", &id, "--kind", kind, "--out", out.to_str().unwrap(), "--now", "2026-12-01 12:00"],
        );
        assert!(pdf_text(&out).contains("Sekretess enligt 18 kap. 8 § OSL"), "{kind}");
    }
    // The label wraps inside its column ("Kategorier av" / "personuppgifter").
    let gdpr = pdf_text(&dir.path().join("gdpr.pdf"));
    assert!(gdpr.contains("Kategorier av") && gdpr.contains("personuppgifter"), "{gdpr}");

    // A serious incident makes a new risk analysis of its system due; a risk made from it
    // lands in the system's ongoing analysis, linked to the incident.
    let due = run(&db, &["due", "--json", "--today", "2026-12-01"]).json();
    assert!(
        due.as_array().unwrap().iter().any(|d| d["kind"] == "riskanalys_incident" && d["subject"] == "Ekonomisystem"),
        "{due}"
    );
    let made = ok(&db, &["incidents", "risk", &id, "--system", "Ekonomisystem", "--today", "2026-12-01"]);
    assert!(made.contains("ska granskas"), "{made}");
    let shown = run(&db, &["incidents", "show", &id, "--json", "--now", "2026-12-01 12:00"]).json();
    assert_eq!(shown["risks"].as_array().unwrap().len(), 1);
    assert_eq!(shown["risks"][0]["name"], "Intrång i e-tjänsten");
    ok(&db, &["incidents", "action", &id, "--title", "Byt lösenord för tjänstekonton", "--due", "2026-12-15"]);
    let shown = run(&db, &["incidents", "show", &id, "--json"]).json();
    assert_eq!(shown["actions"][0]["title"], "Byt lösenord för tjänstekonton");
    assert_eq!(shown["actions"][0]["system_id"], shown["systems"][0]["link"]["system_id"], "the incident's system");

    // Closed with lessons through the generic edit path: dated, and out of --open.
    ok(&db, &["records", "set", "incident", &id, "status=avslutad", "lessons=Flerfaktorsinloggning för e-tjänsten"]);
    let closed: Value = run(&db, &["records", "show", "incident", &id]).json();
    assert!(closed["closed_on"].is_string(), "{closed}");
    let open = run(&db, &["incidents", "list", "--open", "--json"]).json();
    assert!(open.as_array().unwrap().iter().all(|i| i["id"] != id.as_str()));

    // The incidentlogg of the period.
    let log = dir.path().join("logg.pdf");
    ok(
        &db,
        &[
            "incidents",
            "log",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out",
            log.to_str().unwrap(),
            "--now",
            "2026-12-01 12:00",
        ],
    );
    let text = pdf_text(&log);
    assert!(text.contains("Incidentlogg 2026-11-01 – 2026-11-30") && text.contains("Intrång i e-tjänsten"), "{text}");
    assert!(text.contains("Borttappad USB-sticka") && text.contains("Per system"), "{text}");
    let check = ok(&db, &["check"]);
    assert!(check.contains("är hel"), "{check}");
}
