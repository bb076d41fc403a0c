//! A year of one system in the real app: registered, classified and fastställd by its
//! information owner, every requirement assessed (one gap becomes an action), a risk analysis
//! with treatment and risk owner, a driftgodkännande med villkor whose condition becomes an
//! action, the actions closed, the system's årshjul empty; then the clock a year on
//! (RISKVERKSTAD_TODAY, shown as a banner), the yearly items back, and the analysis redone
//! from the previous one. A driftgodkännande drawn afterwards shows the real compliance and
//! the closed actions. Screenshots of each step go to docs/screenshots/.

use crate::harness::*;
use std::path::Path;
use std::process::Command;
use thirtyfour::prelude::*;

const SYSTEM: &str = "Parkeringstillstånd";
const SET: &str = "Ansökningar om parkeringstillstånd";

async fn start_on(db: &Path, today: &str) -> App {
    let (app, _) = App::launch_env(Some(db), &[("RISKVERKSTAD_TODAY", Path::new(today))]).await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    assert!(app.text("[data-testid='test-clock']").await.contains(today), "the moved clock is shown");
    app
}

/// The system's own part of the årshjul, as its page opens it.
async fn system_due(app: &App) -> String {
    app.open_system(SYSTEM).await;
    app.click("[data-testid='system-due']").await;
    app.wait_text("h1", SYSTEM).await;
    // Loaded: either the list has rows or the empty line shows.
    for _ in 0..100 {
        if app.d().find(By::Css("[data-testid='due-none']")).await.is_ok() {
            return String::new();
        }
        let rows = app.d().find_all(By::Css("[data-testid='due-list'] tbody tr")).await.unwrap();
        if !rows.is_empty() {
            return app.text("[data-testid='due-list']").await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the system's årshjul never loaded");
}

async fn close_action(app: &App, title: &str) {
    app.click(&format!("[data-testid='edit-action-{title}']")).await;
    app.el("[data-testid='action-editor']").await;
    app.select("[data-testid='action-edit-status']", "Genomförd").await;
    app.type_into("[data-testid='action-edit-note']", "Klart enligt plan").await;
    app.click("[data-testid='action-edit-save']").await;
    app.wait_gone("[data-testid='action-editor']").await;
    let row = app.wait_text("[data-testid='action-list']", "Genomförd").await;
    assert!(row.contains(title), "{row}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_year_of_one_system_from_registration_to_the_yearly_redo() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kommun.db");
    {
        let mut store = riskverkstad_core::store::Store::open(&db).unwrap();
        riskverkstad_core::demo::build(
            &mut store,
            &riskverkstad_core::demo::DemoConfig { systems: 12, ..Default::default() },
        )
        .unwrap();
    }
    let app = start_on(&db, "2026-12-01").await;

    // Registered, in drift, with its systemägare and its yearly review done.
    app.create_system(SYSTEM).await;
    app.select("[data-testid='field-lifecycle']", "I drift").await;
    app.wait_text("[data-testid='save-status']", "Sparat").await;
    let review = app.el("[data-testid='field-last-review']").await;
    review.send_keys("2026-12-01").await.unwrap();
    review.send_keys(Key::Tab).await.unwrap();
    app.click("[data-testid='tab-roller']").await;
    app.select("[data-testid='new-role']", "Systemägare").await;
    let owner = app.select_first("[data-testid='new-role-person']").await;
    app.click("[data-testid='add-role']").await;
    app.wait_text("[data-testid='roles']", &owner).await;

    // Its information, with an informationsägare, classified and fastställd by that owner.
    app.click("[data-testid='tab-information']").await;
    app.type_into("[data-testid='new-set-name']", SET).await;
    app.click("[data-testid='add-set']").await;
    app.el(&format!("[data-testid='set-owner-{SET}']")).await;
    app.select(&format!("[data-testid='set-owner-{SET}']"), &owner).await;
    app.wait_text("[data-testid='information-sets']", &owner).await;
    app.click(&format!("[data-testid='classify-{SET}']")).await;
    app.el("[data-testid='workshop']").await;
    app.click("[data-testid='aspect-K']").await;
    app.click("[data-testid='cell-individ-2']").await;
    app.type_into("[data-testid='motivering']", "Personuppgifter om sökande och deras hälsa.").await;
    app.click("[data-testid='aspect-R']").await;
    app.click("[data-testid='cell-individ-2']").await;
    app.type_into("[data-testid='motivering']", "Ett felaktigt beslut drabbar den sökande.").await;
    app.click("[data-testid='aspect-T']").await;
    app.click("[data-testid='cell-individ-1']").await;
    app.type_into("[data-testid='motivering']", "Handläggningen kan vänta några dagar.").await;
    app.click("[data-testid='aspect-S']").await;
    app.click("[data-testid='cell-individ-1']").await;
    app.type_into("[data-testid='motivering']", "Beslut loggas i ärendet.").await;
    app.click("[data-testid='save-classification']").await;
    app.wait_text(&format!("[data-testid='set-status-{SET}']"), "Utkast").await;
    app.click(&format!("[data-testid='decide-{SET}']")).await;
    app.el("[data-testid='decide-form']").await;
    app.select("[data-testid='decide-by']", &owner).await;
    app.screenshot("klassning-faststalls").await;
    app.click("[data-testid='decide-save']").await;
    let status = app.wait_text(&format!("[data-testid='set-status-{SET}']"), "Fastställd").await;
    assert!(status.contains(&owner) && status.contains("2026-12-01"), "{status}");
    app.wait_attr("[data-testid='system-profile'] [data-aspect='K']", "data-level", "2").await;
    app.screenshot("klassning-faststalld").await;

    // Every requirement assessed by going down the list with the keyboard; the first is a
    // gap, which becomes an action linked to it.
    app.click("[data-testid='tab-krav']").await;
    let rows = app.d().find_all(By::Css("[data-testid='requirement-list'] tbody tr[data-row]")).await.unwrap();
    assert!(rows.len() >= 5, "{} requirements", rows.len());
    let first_code = rows[0].find(By::Css("td")).await.unwrap().text().await.unwrap();
    // The row's first cell, not its select: the keys go to the focused row.
    rows[0].find(By::Css("td")).await.unwrap().click().await.unwrap();
    let driver = app.d();
    let keys = |k: TypingData| async move { driver.action_chain().send_keys(k).perform().await.unwrap() };
    keys("3".into()).await;
    for _ in 1..rows.len() {
        keys(Key::Down + "1").await;
    }
    app.wait_text("[data-testid='assessments-changed']", &rows.len().to_string()).await;
    // How the gap stands, in the details the Enter key opens.
    app.click(&format!("[data-testid='details-{first_code}']")).await;
    app.type_into(&format!("[data-testid='how-{first_code}']"), "Rutinen saknas").await;
    // Assessed in the workshop three days ago, entered today.
    app.type_into(&format!("[data-testid='assessed-on-{first_code}']"), "2026-11-28").await;
    app.screenshot("kravuppfoljning").await;
    app.click("[data-testid='save-assessments']").await;
    app.wait_text("[data-testid='save-status']", "sparade").await;
    app.wait_attr(&format!("[data-testid='requirement-{first_code}']"), "data-status", "ej_uppfyllt").await;
    app.wait_text(&format!("[data-testid='requirement-{first_code}']"), "2026-11-28").await;
    app.click(&format!("[data-testid='create-action-{first_code}']")).await;
    let gap_action = app.el("[data-testid='gap-action-title']").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(gap_action.contains(&first_code), "{gap_action}");
    app.type_into("[data-testid='gap-action-due']", "2027-03-31").await;
    app.select("[data-testid='gap-action-responsible']", &owner).await;
    app.click("[data-testid='gap-action-save']").await;
    app.wait_text(&format!("[data-testid='requirement-{first_code}']"), "1 öppen åtgärd").await;

    // A risk analysis with its scope, a risk with treatment and risk owner.
    app.click("[data-testid='tab-risker']").await;
    app.click("[data-testid='new-analysis']").await;
    app.type_into("[data-testid='new-analysis-scope']", "Handläggning av ansökningar, e-tjänsten ingår").await;
    app.type_into("[data-testid='new-analysis-participants']", &format!("{owner}, IT-säkerhet")).await;
    app.click("[data-testid='new-analysis-save']").await;
    app.el("[data-testid='analysis-facts']").await;
    app.type_into("[data-testid='threat-search']", "nätfiske").await;
    app.click("[data-testid='threat-hit']").await;
    let risk = app.el("[data-testid='risk-title']").await.prop("value").await.unwrap().unwrap_or_default();
    app.click("[data-testid='system-heatmap'] [data-p='2'][data-c='2']").await;
    app.click("[data-testid='save-risk']").await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='2'][data-c='2']", "data-count", "1").await;
    app.click(&format!("[data-testid='edit-risk-{risk}']")).await;
    app.select("[data-testid='risk-treatment']", "Acceptera").await;
    app.type_into("[data-testid='risk-treatment-text']", "Låg risk; utbildning i nätfiske ingår redan").await;
    app.select("[data-testid='risk-owner']", &owner).await;
    app.screenshot("riskanalys-behandling").await;
    app.click("[data-testid='risk-editor-save']").await;
    app.wait_text("[data-testid='risk-list']", &owner).await;

    // The driftgodkännande med villkor: its condition becomes an action with its date.
    app.click("[data-testid='tab-beslut']").await;
    app.click("[data-testid='decision-start']").await;
    app.select("[data-testid='decision-by']", &owner).await;
    app.click("[data-testid='decision-outcome-med_villkor']").await;
    let condition = "Behörigheterna ska ses över";
    app.type_into("[data-testid='decision-condition-0']", condition).await;
    app.type_into("[data-testid='decision-condition-due-0']", "2027-02-28").await;
    app.click("[data-testid='decision-confirm']").await;
    app.wait_text("[data-testid='decision-made']", "arkiverat").await;
    app.click("[data-testid='tab-atgarder']").await;
    let actions = app.wait_text("[data-testid='action-list']", condition).await;
    assert!(actions.contains("2027-02-28") && actions.contains(&gap_action), "{actions}");
    app.screenshot("atgarder-villkor").await;

    // Both done: they leave the årshjul, and the system has nothing left in it.
    close_action(&app, condition).await;
    close_action(&app, &gap_action).await;
    app.screenshot("atgarder-genomforda").await;
    let due = system_due(&app).await;
    assert_eq!(due, "", "the system's årshjul after a whole year's work");
    app.screenshot("arshjul-tomt").await;
    drop(app);

    // The renewal's driftgodkännande, drawn before the approval runs out on 2027-12-01,
    // shows the real compliance and the closed actions.
    let store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_sound());
    let system = riskverkstad_core::find::system(&store, SYSTEM).unwrap();
    let mut request = riskverkstad_report::ReportRequest::new(
        riskverkstad_report::ReportKind::Driftgodkannande,
        chrono::NaiveDate::from_ymd_opt(2027, 11, 30).unwrap(),
    );
    request.system = Some(system);
    let pdf = riskverkstad_report::render(&store, &request).unwrap();
    let path = std::env::temp_dir().join("riskverkstad-driftgodkannande-efter-aret.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&first_code) && text.contains("Ej uppfyllt"), "{text}");
    let closed = text.split("Genomförda åtgärder").nth(1).unwrap_or_default();
    assert!(
        closed.contains(condition) && closed.contains(&format!("Åtgärda brist i {first_code}")),
        "closed actions listed: {text}"
    );
    assert!(text.contains("Uppfyllda: ") && text.contains("Brister: 1."), "{text}");
    drop(store);

    // A year on: the yearly items are back.
    let app = start_on(&db, "2027-12-15").await;
    let due = system_due(&app).await;
    for item in ["Kravuppföljning", "Årlig översyn av klassning", "Beslut behöver förnyas", "Översyn av systemet"]
    {
        assert!(due.contains(item), "{item} is not back a year later:\n{due}");
    }
    app.screenshot("arshjul-ett-ar-senare").await;

    // The yearly analysis, redone from the last one: its risk copied, marked for review.
    app.open_system(SYSTEM).await;
    app.click("[data-testid='tab-risker']").await;
    app.click("[data-testid='new-analysis']").await;
    // Starting from the last analysis is what the yearly redo does: it is already ticked.
    assert!(app.el("[data-testid='new-analysis-from-previous']").await.is_selected().await.unwrap());
    app.click("[data-testid='new-analysis-save']").await;
    app.wait_text("[data-testid='to-review']", "1").await;
    app.el(&format!("[data-testid='needs-review-{risk}']")).await;
    let choice = app.text("[data-testid='analysis-choice']").await;
    assert!(choice.contains("2027-12-15") && choice.contains("2026-12-01"), "both analyses are kept: {choice}");
    app.screenshot("riskanalys-omgjord").await;
    app.click(&format!("[data-testid='edit-risk-{risk}']")).await;
    app.click("[data-testid='risk-editor-save']").await;
    app.wait_text("[data-testid='save-status']", "").await;
    for _ in 0..50 {
        if app.d().find(By::Css(format!("[data-testid='needs-review-{risk}']"))).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        app.d().find(By::Css(format!("[data-testid='needs-review-{risk}']"))).await.is_err(),
        "a reviewed risk is no longer marked"
    );
    drop(app);

    let store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_sound());
}
