//! A new database's setup and settings with undo, the method editor, presentation mode and
//! the help overlay.

use crate::harness::*;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_new_database_is_set_up_then_settings_are_changed_and_undone() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("egen.db");
    let (app, _) = App::launch(Some(&db)).await;
    // A new database is encrypted: its passphrase is chosen first, with a strength hint.
    app.el("[data-testid='gate-new']").await;
    app.assert_accessible("the new-database gate").await;
    app.type_into("[data-testid='gate-passphrase']", "kort").await;
    app.wait_text("[data-testid='gate-strength']", "Minst 12 tecken").await;
    app.wait_attr("[data-testid='gate-submit']", "disabled", "true").await;
    app.el("[data-testid='gate-passphrase']").await.clear().await.unwrap();
    app.type_into("[data-testid='gate-passphrase']", PASSPHRASE).await;
    app.wait_text("[data-testid='gate-strength']", "tark").await; // Stark or Mycket stark
    app.type_into("[data-testid='gate-again']", PASSPHRASE).await;
    app.screenshot("ny-databas-losenfras").await;
    app.click("[data-testid='gate-submit']").await;
    app.el("[data-testid='setup']").await;
    app.click("[data-testid='setup-start']").await;
    app.wait_text("[role='alert']", "Fyll i").await;
    app.type_into("[data-testid='setup-organisation']", "Åsbacka kommun").await;
    app.type_into("[data-testid='setup-forvaltning']", "Kommunledningsförvaltningen").await;
    app.type_into("[data-testid='setup-short']", "KLF").await;
    app.click("[data-testid='setup-start']").await;
    app.wait_text("[data-testid='organisation']", "Åsbacka kommun").await;

    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-forvaltningar']").await;
    app.wait_text("[data-testid='forvaltningar']", "").await;
    app.type_into("[data-testid='new-forvaltning-name']", "Socialförvaltningen").await;
    app.type_into("[data-testid='new-forvaltning-short']", "SOC").await;
    app.click("[data-testid='add-forvaltning']").await;
    app.wait_attr("[data-testid='forvaltningar'] tbody tr:nth-child(2) input", "value", "Socialförvaltningen").await;

    app.click("[data-testid='settings-tab-personer']").await;
    app.type_into("[data-testid='new-person-name']", "Östen Ärlig").await;
    app.click("[data-testid='add-person']").await;
    app.wait_attr("[data-testid='people'] tbody tr input", "value", "Östen Ärlig").await;
    app.screenshot("installningar").await;

    // Undo (Ctrl+Z outside a text field) takes the person away again, as a logged change.
    app.wait_attr("[data-testid='undo']", "title", "Ångra: Ny person").await;
    app.d().find(By::Css("h1")).await.unwrap().click().await.unwrap();
    app.d().action_chain().key_down(Key::Control).send_keys("z").key_up(Key::Control).perform().await.unwrap();
    app.wait_text("[data-testid='notice']", "Ångrade «Ny person»").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.d().find_all(By::Css("[data-testid='people'] tbody tr")).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the person is still listed after undo");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(app);
    assert_eq!(riskverkstad_core::store::file_kind(&db).unwrap(), riskverkstad_core::store::FileKind::Encrypted);
    let store = riskverkstad_core::store::Store::unlock(&db, Some(passphrase(PASSPHRASE))).unwrap();
    assert!(store.check().unwrap().is_sound());
    let log = store.audit_log(None).unwrap();
    assert!(log.iter().any(|e| e.action.starts_with("Ångra: Ny person")), "the undo is in the audit log");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_method_editor_previews_a_change_and_saves_a_new_version() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-metod']").await;
    app.wait_text("[data-testid='method-preview-risks']", "0 hamnar i ett annat band").await;
    // The default red band's text (black) reads at 5.7:1: enough for screen and print, under
    // the 7:1 that presentation mode aims at; the editor says so, and of no other band.
    let weak = app.d().find_all(thirtyfour::By::Css("[data-testid='method-contrast']")).await.unwrap();
    assert_eq!(weak.len(), 1);
    let said = weak[0].text().await.unwrap();
    assert!(said.contains("Extremt hög") && said.contains("5,7:1"), "{said}");
    assert!(
        app.el("[data-testid='save-method']").await.attr("disabled").await.unwrap().is_some(),
        "nothing to save yet"
    );
    // Clicking a cell of the preview moves it to the next band (a weighting).
    app.click("[data-testid='method-heatmap'] [data-p='3'][data-c='4']").await;
    // The core's preview follows a moment later: the 11 risks in that cell change band.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.text("[data-testid='method-preview-risks']").await.contains(" 0 hamnar") {
        assert!(Instant::now() < deadline, "the preview never counted the risks that change band");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.wait_text("[data-testid='method-preview-risks']", "11 hamnar i ett annat band").await;
    app.type_into("[data-testid='method-note']", "Sannolik allvarlig skada räknas som mycket hög").await;
    app.screenshot("installningar-metod").await;
    app.click("[data-testid='save-method']").await;
    app.wait_text("[data-testid='method-status']", "Metodversion 2 gäller nu").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn presentation_mode_and_the_help_overlay() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.open_system("Katalogtjänst").await;
    app.click("[data-testid='tab-risker']").await;
    app.el("[data-testid='system-heatmap']").await;
    app.click("[data-testid='toggle-presentation']").await;
    let class = app.d().find(By::Css("body")).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
    assert!(class.contains("presentation"));
    app.screenshot("presentationslage").await;
    app.click("[data-testid='toggle-presentation']").await;
    app.d().find(By::Css("body")).await.unwrap().send_keys("?").await.unwrap();
    assert!(app.text("[data-testid='help']").await.contains("Kortkommandon"));
}
