//! WCAG 2.1 A/AA in the real window: axe-core run on every view and tab of the demo
//! municipality; a serious or critical violation fails the story and names the view.

use crate::harness::*;
use std::time::Duration;

/// Clicks `css`, lets the view load, and runs axe-core on it.
async fn visit(app: &App, found: &mut Vec<String>, view: &str, css: &str) {
    app.click(css).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    for v in app.axe().await {
        found.push(format!("{view}: {v}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_view_and_tab_passes_axe_core_without_serious_or_critical_violations() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    let mut found = Vec::new();
    app.el("[data-testid='overview-forvaltningar']").await;
    // The first Tab reaches the skip link, which takes the focus to the content.
    app.d().action_chain().send_keys(thirtyfour::Key::Tab.value().to_string()).perform().await.unwrap();
    let focused = app.d().execute("return document.activeElement?.dataset?.testid ?? '';", Vec::new()).await.unwrap();
    assert_eq!(focused.json(), "skip-link", "the first Tab reaches the skip link");
    app.d().action_chain().send_keys(thirtyfour::Key::Enter.value().to_string()).perform().await.unwrap();
    let focused = app.d().execute("return document.activeElement?.id ?? '';", Vec::new()).await.unwrap();
    assert_eq!(focused.json(), "content", "the skip link takes the focus to the content");
    found.extend(app.axe().await.into_iter().map(|v| format!("Översikt: {v}")));
    visit(&app, &mut found, "Systemförteckning", "[data-testid='nav-register']").await;
    visit(&app, &mut found, "the new-system dialog", "[data-testid='new-system']").await;
    app.d().action_chain().send_keys(thirtyfour::Key::Escape.value().to_string()).perform().await.unwrap();
    app.wait_gone("[data-testid='new-system-name']").await;
    let focused = app.d().execute("return document.activeElement?.dataset?.testid ?? '';", Vec::new()).await.unwrap();
    assert_eq!(focused.json(), "new-system", "Escape closes the dialog and gives the focus back to its button");
    app.open_system("Katalogtjänst").await;
    for tab in [
        "fakta",
        "roller",
        "beroenden",
        "information",
        "krav",
        "risker",
        "atgarder",
        "incidenter",
        "kontroller",
        "beslut",
        "historik",
    ] {
        visit(&app, &mut found, &format!("System, {tab}"), &format!("[data-testid='tab-{tab}']")).await;
    }
    visit(&app, &mut found, "Handlingsplan", "[data-testid='nav-plan']").await;
    visit(&app, &mut found, "Årshjul", "[data-testid='nav-due']").await;
    visit(&app, &mut found, "Incidenter", "[data-testid='nav-incidents']").await;
    visit(&app, &mut found, "Kontroller", "[data-testid='nav-controls']").await;
    for tab in ["avsteg", "typer", "kontroller"] {
        visit(&app, &mut found, &format!("Kontroller, {tab}"), &format!("[data-testid='controls-tab-{tab}']")).await;
    }
    visit(&app, &mut found, "Inställningar", "[data-testid='nav-settings']").await;
    for tab in [
        "organisation",
        "forvaltningar",
        "personer",
        "parter",
        "metod",
        "hot",
        "krav",
        "mottagare",
        "utbyte",
        "sakerhet",
    ] {
        visit(&app, &mut found, &format!("Inställningar, {tab}"), &format!("[data-testid='settings-tab-{tab}']")).await;
    }
    // The keyboard help, and Översikt in presentation mode (for the projector).
    visit(&app, &mut found, "Översikt", "[data-testid='nav-overview']").await;
    app.d().action_chain().send_keys("?").perform().await.unwrap();
    app.el("[data-testid='help']").await;
    found.extend(app.axe().await.into_iter().map(|v| format!("the help overlay: {v}")));
    app.d().action_chain().send_keys(thirtyfour::Key::Escape.value().to_string()).perform().await.unwrap();
    app.wait_gone("[data-testid='help']").await;
    visit(&app, &mut found, "Översikt in presentation mode", "[data-testid='toggle-presentation']").await;
    app.screenshot("presentationslage-oversikt").await;
    assert!(found.is_empty(), "{} serious or critical violations:\n{}", found.len(), found.join("\n"));
}
