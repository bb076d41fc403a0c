//! Recurring controls and exceptions in the real app: the late restore test found on the
//! Kontroller view and recorded as done in a few keystrokes (its next date moves a year, the
//! requirement it evidences is assessed with it); an exception from a baseline requirement
//! approved within the band's mandate, shown as "Undantag t.o.m." on the system's Krav tab
//! instead of a gap, and withdrawn from the system's own tab. Screenshots go to docs/screenshots/.

use crate::harness::*;
use riskverkstad_core::model::*;
use riskverkstad_core::store::{Read, Store};
use std::path::Path;

#[tokio::test(flavor = "multi_thread")]
async fn a_late_control_is_recorded_done_and_an_exception_is_approved_shown_and_withdrawn() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kommun.db");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let (restore, system, approver) = {
        let mut store = Store::open(&db).unwrap();
        riskverkstad_core::demo::build(
            &mut store,
            &riskverkstad_core::demo::DemoConfig { systems: 12, today: Some(day), ..Default::default() },
        )
        .unwrap();
        let kinds = store.list::<ControlKind>().unwrap();
        let restore_kind = kinds.iter().find(|k| k.name == "Återläsningstest").unwrap().id;
        let restore = store.list::<Control>().unwrap().into_iter().find(|c| c.kind_id == restore_kind).unwrap();
        let system: System = store.get(restore.system_id.unwrap()).unwrap();
        // The demo repeats some names across förvaltningar; this story finds the system by its own.
        let system = riskverkstad_core::ops::edit::Edit::save(
            &mut store,
            System { name: format!("{} Nord", system.name), ..system },
            day,
        )
        .unwrap();
        let restore = Control { title: format!("{} Nord", restore.title), ..restore };
        let restore = riskverkstad_core::ops::edit::Edit::save(&mut store, restore, day).unwrap();
        let approver = store.list::<Person>().unwrap()[0].name.clone();
        (restore, system, approver)
    };
    let (app, _) = App::launch_env(Some(&db), &[("RISKVERKSTAD_TODAY", Path::new("2026-11-22"))]).await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;

    // Kontroller: the restore test is late.
    app.click("[data-testid='nav-controls']").await;
    let row = format!("[data-testid='control-{}']", restore.title);
    let late = app.wait_text(&row, "Försenad").await;
    assert!(late.contains(&system.name), "{late}");
    app.screenshot("kontroller").await;

    // Recorded as done today in a few keystrokes: the date and person are filled in.
    app.click(&format!("[data-testid='control-done-{}']", restore.title)).await;
    app.el("[data-testid='control-done-form']").await;
    let on = app.el("[data-testid='control-done-on']").await;
    assert_eq!(on.value().await.unwrap().as_deref(), Some("2026-11-22"));
    app.type_into("[data-testid='control-done-hours']", "6").await;
    app.screenshot("kontroll-utford").await;
    app.click("[data-testid='control-done-save']").await;
    let notice = app.wait_text("[data-testid='control-notice']", "Nästa gång senast").await;
    assert!(notice.contains("2027-11-22"), "{notice}");
    app.wait_gone("[data-testid='control-done-form']").await;
    let next = app.wait_text(&format!("{row} [data-testid='control-next']"), "2027-11-22").await;
    assert!(!next.contains("Försenad"), "{next}");

    // Avsteg: the demo's exception that ran out is a gap again; a new one from K-02.
    app.click("[data-testid='controls-tab-avsteg']").await;
    app.wait_text("[data-testid='exception-list']", "Brist igen").await;
    app.select("[data-testid='new-exception-system']", &system.name).await;
    app.select("[data-testid='new-exception-requirement']", "K-02").await;
    app.type_into("[data-testid='new-exception-until']", "2027-05-31").await;
    app.select("[data-testid='new-exception-approved-by']", &approver).await;
    app.select("[data-testid='new-exception-mandate']", "Systemägare").await;
    app.type_into("[data-testid='new-exception-reason']", "Rollmodellen byggs om i nästa version").await;
    app.click("[data-testid='new-exception-create']").await;
    let listed = app.wait_text("[data-testid='exception-K-02']", "Gäller t.o.m. 2027-05-31").await;
    assert!(listed.contains(&system.name), "{listed}");
    app.screenshot("avsteg").await;

    // On the system's Krav tab: no gap, "Undantag t.o.m.", and why the requirement applies.
    app.open_system(&system.name).await;
    app.click("[data-testid='tab-krav']").await;
    app.wait_text("[data-testid='excepted-K-02']", "Undantag t.o.m. 2027-05-31").await;
    app.wait_text("[data-testid='basis-K-02']", "Basnivå").await;

    // The system's own tab: its controls (the run just made), and the exception withdrawn.
    app.click("[data-testid='tab-kontroller']").await;
    app.wait_text(&format!("{row} [data-testid='control-next']"), "2027-11-22").await;
    app.wait_text("[data-testid='security-plan']", "").await;
    app.screenshot("system-kontroller").await;
    app.click("[data-testid='exception-withdraw-K-02']").await;
    app.wait_text("[data-testid='exception-K-02'] [data-testid='exception-standing']", "Återkallat 2026-11-22").await;
    drop(app);

    let store = Store::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_sound());
    let runs = store.list_by::<ControlRun>("control_id", &restore.id.to_string()).unwrap();
    let today_run = runs.iter().find(|r| r.done_on == day).expect("the run was recorded");
    assert_eq!(today_run.restore_hours, Some(6));
    let statuses = store.list_by::<RequirementStatus>("system_id", &system.id.to_string()).unwrap();
    let t11 = store.list::<Requirement>().unwrap().into_iter().find(|r| r.code == "T-11").unwrap();
    let assessed = statuses.iter().find(|s| s.requirement_id == t11.id).expect("T-11 assessed from the run");
    assert_eq!(assessed.assessed_on, Some(day));
    assert!(assessed.evidence.contains("Återläsningstest"), "{}", assessed.evidence);
    let exceptions = store.list_by::<Exception>("system_id", &system.id.to_string()).unwrap();
    let mine = exceptions.iter().find(|e| e.reason == "Rollmodellen byggs om i nästa version").unwrap();
    assert_eq!(mine.withdrawn_on, Some(day));
}
