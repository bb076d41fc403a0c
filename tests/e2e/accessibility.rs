//! WCAG 2.1 A/AA in the real window: axe-core run on every view and tab of the demo
//! municipality; a serious or critical violation fails the story and names the view.

use crate::harness::*;
use std::path::Path;
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
    press(&app, thirtyfour::Key::Tab).await;
    assert_eq!(focused(&app, "dataset.testid").await, "skip-link", "the first Tab reaches the skip link");
    press(&app, thirtyfour::Key::Enter).await;
    assert_eq!(focused(&app, "id").await, "content", "the skip link takes the focus to the content");
    found.extend(app.axe().await.into_iter().map(|v| format!("Översikt: {v}")));
    visit(&app, &mut found, "Systemförteckning", "[data-testid='nav-register']").await;
    visit(&app, &mut found, "the new-system dialog", "[data-testid='new-system']").await;
    press(&app, thirtyfour::Key::Escape).await;
    app.wait_gone("[data-testid='new-system-name']").await;
    assert_eq!(
        focused(&app, "dataset.testid").await,
        "new-system",
        "Escape closes the dialog and gives the focus back to its button"
    );
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
    press(&app, thirtyfour::Key::Escape).await;
    app.wait_gone("[data-testid='help']").await;
    visit(&app, &mut found, "Översikt in presentation mode", "[data-testid='toggle-presentation']").await;
    app.screenshot("presentationslage-oversikt").await;
    assert!(found.is_empty(), "{} serious or critical violations:\n{}", found.len(), found.join("\n"));
}

/// The person's actions in the workshop story: clicks and key presses that are not typing text.
struct Actions<'a> {
    app: &'a App,
    count: usize,
}

impl Actions<'_> {
    async fn click(&mut self, css: &str) {
        self.app.click(css).await;
        self.count += 1;
    }

    /// Typing a text is not counted.
    async fn type_into(&self, css: &str, text: &str) {
        self.app.type_into(css, text).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_workshop_from_a_new_system_to_a_saved_driftgodkannande_takes_at_most_40_actions() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("driftgodkannande.pdf");
    let (app, _) = App::launch_env(None, &[("RISKVERKSTAD_DIALOG_SAVE", pdf.as_path())]).await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    let mut a = Actions { app: &app, count: 0 };

    // A new system.
    a.click("[data-testid='nav-register']").await;
    app.wait_text("[data-testid='register-count']", " av ").await;
    a.click("[data-testid='new-system']").await;
    a.type_into("[data-testid='new-system-name']", "Bokningssystem för lokaler").await;
    a.click("[data-testid='new-system-create']").await;
    app.wait_text("[data-testid='system-name']", "Bokningssystem för lokaler").await;

    // Its information, classified K, R and T with a motivation each.
    a.click("[data-testid='tab-information']").await;
    a.type_into("[data-testid='new-set-name']", "Bokningar").await;
    a.click("[data-testid='add-set']").await;
    a.click("[data-testid='classify-Bokningar']").await;
    for (aspect, cell, why) in [
        ("K", "individ-1", "Bokningar röjer lite om enskilda."),
        ("R", "verksamhet-2", "Fel bokningar stör verksamheten märkbart."),
        ("T", "verksamhet-2", "Utan systemet bokas lokaler för hand."),
    ] {
        a.click(&format!("[data-testid='aspect-{aspect}']")).await;
        a.click(&format!("[data-testid='cell-{cell}']")).await;
        a.type_into("[data-testid='motivering']", why).await;
    }
    a.click("[data-testid='save-classification']").await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='R']", "data-level", "2").await;

    // A risk analysis with one risk from the threat catalogue, placed on the heat map.
    a.click("[data-testid='tab-risker']").await;
    a.click("[data-testid='new-analysis']").await;
    a.click("[data-testid='new-analysis-save']").await;
    a.type_into("[data-testid='threat-search']", "nätfiske").await;
    a.click("[data-testid='threat-hit']").await;
    a.click("[data-testid='system-heatmap'] [data-p='3'][data-c='3']").await;
    a.click("[data-testid='save-risk']").await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='3']", "data-count", "1").await;

    // The driftgodkännande, saved as a PDF.
    a.click("[data-testid='tab-beslut']").await;
    a.click("[data-testid='report-save']").await;
    app.wait_text("[data-testid='report-saved']", "").await;
    let count = a.count;
    println!(
        "the workshop, new system to a saved driftgodkännande: {count} actions (clicks and keys, typing not counted)"
    );
    assert!(count <= 40, "{count} actions > 40");

    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Driftgodkännande") && flat.contains("Bokningssystem för lokaler"), "{text}");
    assert!(Path::new(&pdf).is_file());
}

/// Presses Tab until the element with `testid` (or matching the CSS selector `testid` when it
/// starts with `[`) has the focus, at most `max` times, checking that every element the focus
/// lands on shows it (an outline); returns the presses.
async fn tab_to(app: &App, testid: &str, max: usize) -> usize {
    let css = if testid.starts_with('[') { testid.to_string() } else { format!("[data-testid='{testid}']") };
    for n in 1..=max {
        press(app, thirtyfour::Key::Tab).await;
        let here = app
            .d()
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.matches(arguments[0]) ? 'yes' : '', e.tagName, s.outlineStyle, s.outlineWidth];",
                vec![serde_json::Value::String(css.clone())],
            )
            .await
            .unwrap();
        let here: Vec<String> = serde_json::from_value(here.json().clone()).unwrap();
        if here[1] != "BODY" && here[1] != "MAIN" {
            assert!(here[2] != "none" && here[3] != "0px", "the focus on {here:?} is not visible");
        }
        if here[0] == "yes" {
            return n;
        }
    }
    panic!("{testid} not reached with {max} presses of Tab");
}

/// Waits until the element `testid` has the focus (a dialog gives it to its first field).
async fn wait_focus(app: &App, testid: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let here = focused(app, "dataset.testid").await;
        if here == testid {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{testid} never got the focus (it is on {here:?})");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The focused element's `property` ("id", "dataset.testid"), or "" when it has none.
async fn focused(app: &App, property: &str) -> String {
    let script = format!("return String(document.activeElement?.{property} ?? '');");
    let ret = app.d().execute(script, Vec::new()).await.unwrap();
    ret.json().as_str().unwrap_or_default().to_string()
}

async fn press(app: &App, key: thirtyfour::Key) {
    app.d().action_chain().send_keys(key.value().to_string()).perform().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_system_is_created_classified_and_risk_analysed_by_keyboard_alone_with_the_focus_always_visible() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.el("[data-testid='overview-forvaltningar']").await;
    // n: a new system; its name has the focus; Enter creates it.
    app.d().action_chain().send_keys("n").perform().await.unwrap();
    app.el("[data-testid='new-system-name']").await;
    wait_focus(&app, "new-system-name").await;
    app.d().action_chain().send_keys("Tangentbordssystemet").perform().await.unwrap();
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_text("[data-testid='system-name']", "Tangentbordssystemet").await;

    let mut presses = tab_to(&app, "tab-information", 60).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "new-set-name", 40).await;
    app.d().action_chain().send_keys("Lokalbokningar").perform().await.unwrap();
    press(&app, thirtyfour::Key::Enter).await;
    app.el("[data-testid='classify-Lokalbokningar']").await;
    presses += tab_to(&app, "classify-Lokalbokningar", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.el("[data-testid='workshop']").await;
    presses += tab_to(&app, "cell-individ-2", 60).await;
    press(&app, thirtyfour::Key::Space).await;
    presses += tab_to(&app, "motivering", 80).await;
    app.d().action_chain().send_keys("Bokningar röjer var enskilda befinner sig.").perform().await.unwrap();
    presses += tab_to(&app, "save-classification", 20).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='K']", "data-level", "2").await;

    // A risk analysis, and a risk from the threat catalogue placed on the heat map.
    presses += tab_to(&app, "tab-risker", 60).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "new-analysis", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "new-analysis-save", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "threat-search", 60).await;
    app.d().action_chain().send_keys("nätfiske").perform().await.unwrap();
    app.el("[data-testid='threat-hit']").await;
    presses += tab_to(&app, "threat-hit", 20).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "[data-testid='system-heatmap'] [data-p='3'][data-c='3']", 60).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "save-risk", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='3']", "data-count", "1").await;
    println!("a system created, classified and risk-analysed by keyboard alone: {presses} presses of Tab");
}
