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
    found.extend(app.axe().await.into_iter().map(|v| format!("Översikt: {v}")));
    visit(&app, &mut found, "Systemförteckning", "[data-testid='nav-register']").await;
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
    assert!(found.is_empty(), "{} serious or critical violations:\n{}", found.len(), found.join("\n"));
}
