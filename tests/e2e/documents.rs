//! Beslutsunderlag previewed, decided and archived from a system and from Översikt.

use crate::harness::*;
use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn decision_documents_are_previewed_decided_and_archived_from_the_system_and_the_overview() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kommun.db");
    {
        let mut store = riskverkstad_core::store::Store::open(&db).unwrap();
        riskverkstad_core::demo::build(&mut store, &riskverkstad_core::demo::DemoConfig::default()).unwrap();
    }
    let (app, _) = App::start(Some(&db)).await;
    app.open_system("Katalogtjänst").await;
    app.click("[data-testid='tab-beslut']").await;
    app.click("[data-testid='report-preview']").await;
    let card = app.wait_text("[data-testid='report-preview-card']", "Driftgodkännande – Katalogtjänst").await;
    assert!(card.contains("Sekretess enligt 18 kap. 8 § OSL") && card.contains("4. Förslag till beslut"), "{card}");
    assert!(card.contains("sidor") && card.contains("SHA-256"), "{card}");
    app.screenshot("beslutsunderlag").await;
    app.click("[data-testid='report-open']").await;
    app.click("[data-testid='report-preview']").await;
    app.wait_text("[data-testid='report-preview-card']", "Öppen").await;

    // The decision: the system owner's approval with a condition, archived as the next version.
    app.click("[data-testid='decision-start']").await;
    let decider = app.select_first("[data-testid='decision-by']").await;
    app.click("[data-testid='decision-outcome-med_villkor']").await;
    app.type_into("[data-testid='decision-condition-0']", "Säkerhetskopiorna ska återläsas och testas").await;
    app.type_into("[data-testid='decision-condition-due-0']", "2027-02-28").await;
    app.type_into("[data-testid='decision-dnr']", "KS 2026/501").await;
    app.screenshot("beslut-fattas").await;
    app.click("[data-testid='decision-confirm']").await;
    let made = app.wait_text("[data-testid='decision-made']", "arkiverat").await;
    let row = app.wait_text("[data-testid='decision-version']", "SHA-256").await;
    assert!(row.contains("Beslutad") && row.contains("med villkor") && row.contains(&decider), "{row}");
    app.screenshot("beslut-versioner").await;
    // What the app archived is in the file: the decision, its PDF with the condition, sound.
    {
        let store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
        let system = riskverkstad_core::find::system(&store, "Katalogtjänst").unwrap();
        let newest = riskverkstad_core::decisions::versions(&store, Some(system))
            .unwrap()
            .into_iter()
            .find(|v| v.document_sha256.is_some())
            .unwrap();
        assert!(made.contains(&format!("version {}", newest.version)), "{made}");
        let (_, pdf) = riskverkstad_core::decisions::document_of(&store, newest.id).unwrap();
        let path = dir.path().join("beslut.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let text = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("Säkerhetskopiorna ska återläsas") && text.contains("KS 2026/501"), "{text}");
        // A wrapped line may split the condition: compare with whitespace squashed.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("senast 2027-02-28"), "{text}");
        assert!(store.check().unwrap().is_sound());
    }

    app.click("[data-testid='nav-overview']").await;
    app.select("[data-testid='report-kind']", "Lägesbild").await;
    app.click("[data-testid='report-preview']").await;
    app.wait_text("[data-testid='report-preview-card']", "Lägesbild – Norrvik kommun").await;
}
