//! An incident in the real app: heard of on a Friday afternoon, registered from anywhere with
//! Ctrl+I, its clocks shown with the time left (the app's clock moved with RISKVERKSTAD_NOW),
//! the early warning marked sent to a recipient from the organisation's list, the lessons
//! written and the incident closed, and found again on its system's page. Screenshots go to
//! docs/screenshots/.

use crate::harness::*;
use std::path::Path;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
async fn an_incident_is_registered_from_anywhere_its_warning_sent_and_it_is_closed_with_lessons() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kommun.db");
    {
        let mut store = riskverkstad_core::store::Store::open(&db).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        riskverkstad_core::demo::build(
            &mut store,
            &riskverkstad_core::demo::DemoConfig { systems: 12, today: Some(day), ..Default::default() },
        )
        .unwrap();
    }
    let (app, _) = App::launch_env(
        Some(&db),
        &[("RISKVERKSTAD_TODAY", Path::new("2026-11-27")), ("RISKVERKSTAD_NOW", Path::new("2026-11-27 16:30"))],
    )
    .await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    // The demo's incidents are on the Översikt with their clocks.
    app.wait_text("[data-testid='overview-incidents']", "Utpressningsprogram på filserver").await;

    // From the register, Ctrl+I opens Ny incident with the title focused.
    app.click("[data-testid='nav-register']").await;
    app.wait_text("[data-testid='register-count']", " av ").await;
    app.d().action_chain().key_down(Key::Control).send_keys("i").key_up(Key::Control).perform().await.unwrap();
    app.el("[data-testid='new-incident']").await;
    app.d().action_chain().send_keys("Intrång i e-tjänsten").perform().await.unwrap();
    let known = app.el("[data-testid='new-incident-known']").await;
    known.clear().await.unwrap();
    known.send_keys("2026-11-27 16:00").await.unwrap();
    app.select("[data-testid='new-incident-system']", "Ekonomisystem").await;
    app.wait_text("[data-testid='new-incident-systems']", "Ekonomisystem").await;
    app.click("[data-testid='new-incident-significant']").await;
    app.screenshot("incident-ny").await;
    app.click("[data-testid='new-incident-create']").await;

    // Its page: the early warning due Saturday 16:00, 23 h 30 min left at 16:30.
    app.wait_text("[data-testid='incident-title']", "Intrång i e-tjänsten").await;
    let clock = app.wait_text("[data-testid='clock-tidig_varning']", "kvar").await;
    assert!(clock.contains("2026-11-28 16:00") && clock.contains("23 h 30 min kvar"), "{clock}");
    app.wait_text("[data-testid='clock-slutrapport']", "Väntar").await;
    app.screenshot("incident-klockor").await;

    // The early warning sent to CERT-SE with a reference.
    app.select("[data-testid='report-kind']", "Tidig varning").await;
    let at = app.el("[data-testid='report-sent-at']").await;
    at.clear().await.unwrap();
    at.send_keys("2026-11-28 09:10").await.unwrap();
    app.select("[data-testid='report-recipient']", "CERT-SE").await;
    app.type_into("[data-testid='report-reference']", "CSIRT-2026-77").await;
    app.click("[data-testid='report-mark-sent']").await;
    app.wait_text("[data-testid='clock-tidig_varning']", "Skickad i tid").await;
    let sent = app.wait_text("[data-testid='report-list']", "CSIRT-2026-77").await;
    assert!(sent.contains("2026-11-28 09:10") && sent.contains("CERT-SE"), "{sent}");

    // Lessons written, closed.
    app.type_into("[data-testid='incident-edit-lessons']", "Flerfaktorsinloggning för e-tjänsten").await;
    app.select("[data-testid='incident-edit-status']", "Avslutad").await;
    app.click("[data-testid='incident-save']").await;
    app.wait_text("[data-testid='incident-notice']", "Sparat").await;
    app.screenshot("incident-sida").await;

    // Found again on the system's page, reached from the incident.
    app.click("[data-testid='incident-systems'] a").await;
    app.wait_text("[data-testid='system-name']", "Ekonomisystem").await;
    app.click("[data-testid='tab-incidenter']").await;
    let listed = app.wait_text("[data-testid='system-incidents']", "Intrång i e-tjänsten").await;
    assert!(listed.contains("Avslutad"), "{listed}");
    drop(app);

    let store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_sound());
    let incidents: Vec<riskverkstad_core::model::Incident> = riskverkstad_core::store::Read::list(&store).unwrap();
    let mine = incidents.iter().find(|i| i.title == "Intrång i e-tjänsten").unwrap();
    assert_eq!(mine.lessons, "Flerfaktorsinloggning för e-tjänsten");
    assert_eq!(mine.closed_on, chrono::NaiveDate::from_ymd_opt(2026, 11, 27));
    assert!(mine.significant);
}
