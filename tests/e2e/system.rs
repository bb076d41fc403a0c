//! A system's page: information and classification, risks on the heat map with actions,
//! roles and dependencies, and a name like markup shown as text.

use crate::harness::*;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_new_system_gets_information_a_classification_and_a_changed_profile() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.create_system("Testsystem för e2e").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='K']", "data-level", "").await;
    app.screenshot("system-fakta").await;

    app.click("[data-testid='tab-information']").await;
    app.el("[data-testid='new-set-name']").await.send_keys("Journalanteckningar").await.unwrap();
    app.click("[data-testid='add-set']").await;
    app.click("[data-testid='classify-Journalanteckningar']").await;
    app.el("[data-testid='workshop']").await;
    // K: worst consequence Allvarlig skada (3) for the individual.
    app.click("[data-testid='aspect-K']").await;
    app.click("[data-testid='cell-individ-3']").await;
    app.el("[data-testid='motivering']")
        .await
        .send_keys("Röjda journaluppgifter skadar enskilda allvarligt.")
        .await
        .unwrap();
    app.click("[data-testid='aspect-R']").await;
    app.click("[data-testid='cell-liv_halsa-2']").await;
    app.el("[data-testid='motivering']").await.send_keys("Felaktiga uppgifter kan leda till fel vård.").await.unwrap();
    app.wait_text("[data-testid='workshop-profile']", "K3").await;
    app.screenshot("klassningsworkshop").await;
    app.click("[data-testid='save-classification']").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='K']", "data-level", "3").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='R']", "data-level", "2").await;
    assert!(app.text("[data-testid='information-sets']").await.contains("K3"));

    // Level 4 shows the special-analysis warning.
    app.click("[data-testid='classify-Journalanteckningar']").await;
    app.click("[data-testid='aspect-T']").await;
    app.click("[data-testid='cell-samhalle_miljo-4']").await;
    assert!(app.text("[data-testid='level4-warning']").await.contains("särskild analys"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_risk_lands_on_the_heat_map_and_gets_an_action() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.create_system("Riskverkstadens testsystem").await;
    app.click("[data-testid='tab-risker']").await;
    app.click("[data-testid='new-analysis']").await;
    // The new analysis's scope and participants may be left for later.
    app.click("[data-testid='new-analysis-save']").await;
    app.el("[data-testid='threat-search']").await.send_keys("nätfiske").await.unwrap();
    app.click("[data-testid='threat-hit']").await;
    let title = app.el("[data-testid='risk-title']").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(!title.is_empty(), "the threat filled in the risk");
    app.click("[data-testid='system-heatmap'] [data-p='3'][data-c='4']").await;
    assert!(app.text("[data-testid='risk-placement']").await.contains("Sannolikhet 3, konsekvens 4"));
    app.click("[data-testid='save-risk']").await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='4']", "data-count", "1").await;
    app.wait_text("[data-testid='risk-list']", "Hög (12)").await;
    app.screenshot("riskworkshop").await;

    app.click(&format!("[data-testid='add-action-{title}']")).await;
    app.el("[data-testid='action-title']").await.send_keys("Inför phishing-resistent MFA").await.unwrap();
    app.click("[data-testid='save-action']").await;
    app.click("[data-testid='tab-atgarder']").await;
    app.wait_text("[data-testid='action-list']", "Inför phishing-resistent MFA").await;
    app.click("[data-testid='tab-historik']").await;
    app.wait_text("[data-testid='history']", "Ny åtgärd").await;

    // The handlingsplan lists it with its system and the risk it treats, among the open ones.
    app.click("[data-testid='nav-plan']").await;
    let plan = app.wait_text("[data-testid='action-plan']", "Inför phishing-resistent MFA").await;
    assert!(plan.contains("Riskverkstadens testsystem") && plan.contains(&title), "{plan}");
    assert!(app.text("[data-testid='plan-count']").await.contains("försenade"));
    app.screenshot("handlingsplan").await;

    // Drag the risk to another cell (before treatment) and to its residual cell (after).
    app.open_system("Riskverkstadens testsystem").await;
    app.click("[data-testid='tab-risker']").await;
    app.el(&format!("[data-testid='drag-{title}']")).await;
    let drag = |from: String, to: String| async move {
        let js = r#"
            const dt = new DataTransfer();
            const from = document.querySelector(arguments[0]);
            const to = document.querySelector(arguments[1]);
            from.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }));
            to.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
            to.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
        "#;
        (js, vec![serde_json::json!(from), serde_json::json!(to)])
    };
    let (js, args) =
        drag(format!("[data-testid='drag-{title}']"), "[data-testid='system-heatmap'] [data-p='4'][data-c='4']".into())
            .await;
    app.d().execute(js, args).await.unwrap();
    app.wait_attr("[data-testid='system-heatmap'] [data-p='4'][data-c='4']", "data-count", "1").await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='4']", "data-count", "0").await;
    let (js, args) = drag(
        format!("[data-testid='drag-{title}']"),
        "[data-testid='system-heatmap-after'] [data-p='2'][data-c='4']".into(),
    )
    .await;
    app.d().execute(js, args).await.unwrap();
    app.wait_attr("[data-testid='system-heatmap-after'] [data-p='2'][data-c='4']", "data-count", "1").await;
    app.wait_text("[data-testid='risk-list']", "Hög").await;

    // Acceptance within the band's rules: Hög needs at least a förvaltningschef.
    app.click(&format!("[data-testid='accept-{title}']")).await;
    let who = app.select_first("[data-testid='accept-by']").await;
    app.select("[data-testid='accept-as']", "Systemägare").await;
    app.type_into("[data-testid='accept-reason']", "Kvarstående risk efter MFA bedöms godtagbar.").await;
    app.click("[data-testid='accept-save']").await;
    app.wait_text("[role='alert']", "förvaltningschef").await;
    app.select("[data-testid='accept-as']", "Förvaltningschef").await;
    app.click("[data-testid='accept-save']").await;
    let accepted = app.wait_text(&format!("[data-testid='accepted-{title}']"), "Accepterad av").await;
    assert!(accepted.contains(&who) && accepted.contains("förvaltningschef"), "{accepted}");
    app.screenshot("riskacceptans").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_and_dependencies_are_edited_and_drawn() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.create_system("Beroendetest").await;
    app.click("[data-testid='tab-roller']").await;
    assert!(app.text("[data-testid='missing-roles']").await.contains("Systemägare"));
    app.select("[data-testid='new-role']", "Systemägare").await;
    let owner = app.select_first("[data-testid='new-role-person']").await;
    app.click("[data-testid='add-role']").await;
    app.wait_text("[data-testid='roles']", &owner).await;
    assert!(!app.text("[data-testid='missing-roles']").await.contains("Systemägare"));

    app.click("[data-testid='tab-beroenden']").await;
    app.type_into("[data-testid='dependency-search']", "Katalogtjänst").await;
    app.click("[data-testid='dependency-hit']").await;
    app.wait_text("[data-testid='depends-on']", "Katalogtjänst").await;
    app.wait_text("[data-testid='dependency-picture']", "Katalogtjänst").await;
    app.screenshot("beroenden").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_system_named_like_markup_is_shown_as_text_and_runs_nothing() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    let name = "<img src=x onerror=alert(1)>";
    app.create_system(name).await;
    assert_eq!(app.text("[data-testid='system-name']").await, name);
    let imgs = app.d().find_all(By::Css("[data-testid='system-name'] img")).await.unwrap();
    assert!(imgs.is_empty(), "the name became markup");
    assert!(app.d().get_alert_text().await.is_err(), "an alert ran");
    app.open_system(name).await;
    assert!(app.d().find_all(By::Css("main img")).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_supplier_is_chosen_and_a_raise_lifts_the_profile_until_withdrawn() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.create_system("Leverantörstest").await;
    app.select("[data-testid='field-supplier']", "Ny leverantör").await;
    app.type_into("[data-testid='new-supplier-name']", "Norrsken Drift AB").await;
    app.click("[data-testid='new-supplier-save']").await;
    app.wait_text("[data-testid='save-status']", "Sparat").await;
    let chosen = app.el("[data-testid='field-supplier']").await.prop("value").await.unwrap().unwrap_or_default();
    assert!(!chosen.is_empty() && chosen != "__new", "the new supplier is chosen: {chosen}");
    app.click("[data-testid='tab-information']").await;
    app.select("[data-testid='raise-aspect']", "Tillgänglighet").await;
    app.select("[data-testid='raise-level']", "3").await;
    app.select("[data-testid='raise-reason']", "Aggregering").await;
    app.type_into("[data-testid='raise-motivering']", "Samlar alla förvaltningars driftdata").await;
    app.click("[data-testid='raise-save']").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='T']", "data-level", "3").await;
    let item = app.text("[data-testid='raise-item']").await;
    assert!(item.contains("Tillgänglighet höjd till 3 (aggregering)"), "{item}");
    app.screenshot("hojd-skyddsniva").await;
    app.click("[data-testid='withdraw-raise']").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='T']", "data-level", "").await;
}
