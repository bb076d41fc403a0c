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
    for tab in SYSTEM_TABS {
        visit(&app, &mut found, &format!("System, {tab}"), &format!("[data-testid='tab-{tab}']")).await;
    }
    app.click("[data-testid='tab-information']").await;
    visit(&app, &mut found, "the classification workshop", "[data-testid^='classify-']").await;
    press(&app, thirtyfour::Key::Escape).await;
    app.wait_gone("[data-testid='workshop']").await;
    visit(&app, &mut found, "Handlingsplan", "[data-testid='nav-plan']").await;
    visit(&app, &mut found, "Årshjul", "[data-testid='nav-due']").await;
    visit(&app, &mut found, "Incidenter", "[data-testid='nav-incidents']").await;
    visit(&app, &mut found, "an incident", "[data-testid^='open-incident-']").await;
    visit(&app, &mut found, "Kontroller", "[data-testid='nav-controls']").await;
    for tab in ["avsteg", "typer", "kontroller"] {
        visit(&app, &mut found, &format!("Kontroller, {tab}"), &format!("[data-testid='controls-tab-{tab}']")).await;
    }
    visit(&app, &mut found, "Inställningar", "[data-testid='nav-settings']").await;
    for tab in SETTINGS_TABS {
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

/// Whether `script` (a JavaScript expression of `arg`) is true in the window now.
async fn holds(app: &App, script: &str, arg: &str) -> bool {
    let ret = app
        .d()
        .execute(format!("const arg = arguments[0]; return !!({script});"), vec![serde_json::Value::String(arg.into())])
        .await
        .unwrap();
    ret.json().as_bool() == Some(true)
}

/// Waits up to 5 seconds until `script` holds for `arg` (see [`holds`]); fails with `what`.
async fn wait_until(app: &App, script: &str, arg: &str, what: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !holds(app, script, arg).await {
        assert!(std::time::Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The focus: on the element with the test id `arg`, on the first element matching the CSS
/// selector `arg`, inside the element matching `arg`, on some element matching `arg`.
const FOCUS_ON_TESTID: &str = "document.activeElement?.dataset.testid === arg";
const FOCUS_ON: &str = "document.activeElement === document.querySelector(arg)";
const FOCUS_INSIDE: &str = "document.querySelector(arg)?.contains(document.activeElement)";
const FOCUS_MATCHES: &str = "document.activeElement?.matches(arg)";

/// Waits until the element `testid` has the focus (a dialog gives it to its first field).
async fn wait_focus(app: &App, testid: &str) {
    wait_until(app, FOCUS_ON_TESTID, testid, &format!("{testid} never got the focus")).await;
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

/// Presses `key` until the element `testid` has the focus (at most 15 times); returns the presses.
async fn arrow_until(app: &App, testid: &str, key: thirtyfour::Key) -> usize {
    for n in 1..=15 {
        press(app, key.clone()).await;
        if focused(app, "dataset.testid").await == testid {
            return n;
        }
    }
    panic!("{testid} not reached with 15 presses of {key:?}");
}

/// Moves the focus inside a heat map with the arrow keys to probability `p`, consequence `c`;
/// every press must move it one cell. Returns the presses.
async fn arrow_to(app: &App, p: i64, c: i64) -> usize {
    let at = async || -> (i64, i64) {
        let ret = app
            .d()
            .execute("const d = document.activeElement.dataset; return [Number(d.p), Number(d.c)];", Vec::new())
            .await
            .unwrap();
        serde_json::from_value(ret.json().clone()).unwrap()
    };
    let mut presses = 0;
    loop {
        let (here_p, here_c) = at().await;
        let key = match (here_p.cmp(&p), here_c.cmp(&c)) {
            (std::cmp::Ordering::Less, _) => thirtyfour::Key::Right,
            (std::cmp::Ordering::Greater, _) => thirtyfour::Key::Left,
            (_, std::cmp::Ordering::Greater) => thirtyfour::Key::Down,
            (_, std::cmp::Ordering::Less) => thirtyfour::Key::Up,
            _ => return presses,
        };
        press(app, key).await;
        presses += 1;
        assert!(presses <= 12, "the arrow keys never reached probability {p}, consequence {c} (at {here_p}, {here_c})");
        let moved = at().await;
        assert_ne!(moved, (here_p, here_c), "the arrow key did not move the focus in the heat map");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_system_is_created_classified_risk_analysed_and_its_driftgodkannande_saved_by_keyboard_alone() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("driftgodkannande.pdf");
    let (app, _) = App::launch_env(None, &[("RISKVERKSTAD_DIALOG_SAVE", pdf.as_path())]).await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    app.el("[data-testid='overview-forvaltningar']").await;
    // n: a new system; its name has the focus; Enter creates it.
    app.d().action_chain().send_keys("n").perform().await.unwrap();
    app.el("[data-testid='new-system-name']").await;
    wait_focus(&app, "new-system-name").await;
    app.d().action_chain().send_keys("Tangentbordssystemet").perform().await.unwrap();
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_text("[data-testid='system-name']", "Tangentbordssystemet").await;

    // The tabs are one stop; the arrow keys open the next.
    let mut presses = tab_to(&app, "[role='tablist'] [aria-selected='true']", 60).await;
    let mut arrows = arrow_until(&app, "tab-information", thirtyfour::Key::Right).await;
    presses += tab_to(&app, "new-set-name", 40).await;
    app.d().action_chain().send_keys("Lokalbokningar").perform().await.unwrap();
    press(&app, thirtyfour::Key::Enter).await;
    app.el("[data-testid='classify-Lokalbokningar']").await;
    // The new set's Klassa takes the focus.
    wait_focus(&app, "classify-Lokalbokningar").await;
    press(&app, thirtyfour::Key::Enter).await;
    app.el("[data-testid='workshop']").await;
    // The matrix is one stop; the arrow keys move to the level.
    presses += tab_to(&app, "[data-testid='classification-matrix'] td[tabindex='0']", 60).await;
    arrows += arrow_until(&app, "cell-individ-2", thirtyfour::Key::Right).await;
    press(&app, thirtyfour::Key::Space).await;
    presses += tab_to(&app, "motivering", 80).await;
    app.d().action_chain().send_keys("Bokningar röjer var enskilda befinner sig.").perform().await.unwrap();
    presses += tab_to(&app, "save-classification", 20).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_attr("[data-testid='system-profile'] [data-aspect='K']", "data-level", "2").await;

    // A risk analysis, and a risk from the threat catalogue placed on the heat map.
    presses += tab_to(&app, "[role='tablist'] [aria-selected='true']", 60).await;
    arrows += arrow_until(&app, "tab-risker", thirtyfour::Key::Right).await;
    presses += tab_to(&app, "new-analysis", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    presses += tab_to(&app, "new-analysis-save", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    // The new analysis's threat search takes the focus.
    wait_focus(&app, "threat-search").await;
    app.d().action_chain().send_keys("nätfiske").perform().await.unwrap();
    app.el("[data-testid='threat-hit']").await;
    presses += tab_to(&app, "threat-hit", 20).await;
    press(&app, thirtyfour::Key::Enter).await;
    // A threat chosen, the heat map takes the focus; it is one stop in the Tab order and the
    // arrow keys move inside it.
    let heat_map_stop = "[data-testid='system-heatmap'] button[tabindex='0']";
    wait_until(&app, FOCUS_MATCHES, heat_map_stop, "the heat map never got the focus").await;
    app.screenshot("tangentbord-riskmatris").await;
    arrows += arrow_to(&app, 3, 3).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='3']", "aria-pressed", "true").await;
    press(&app, thirtyfour::Key::Left).await;
    arrows += 1;
    app.screenshot("tangentbord-riskmatris-vald").await;
    // Still one stop once a cell is chosen: from another cell, Tab leaves the heat map.
    press(&app, thirtyfour::Key::Tab).await;
    assert!(!holds(&app, FOCUS_INSIDE, "[data-testid='system-heatmap']").await, "Tab stayed in the heat map");
    presses += 1 + tab_to(&app, "save-risk", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_attr("[data-testid='system-heatmap'] [data-p='3'][data-c='3']", "data-count", "1").await;

    // The driftgodkännande, saved as a PDF (the save dialog answered by the test).
    presses += tab_to(&app, "[role='tablist'] [aria-selected='true']", 80).await;
    arrows += arrow_until(&app, "tab-beslut", thirtyfour::Key::Right).await;
    presses += tab_to(&app, "report-save", 40).await;
    press(&app, thirtyfour::Key::Enter).await;
    app.wait_text("[data-testid='report-saved']", "").await;
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Driftgodkännande") && text.contains("Tangentbordssystemet"), "{text}");
    println!(
        "a system created, classified, risk-analysed and its driftgodkännande saved by keyboard alone: \
         {presses} presses of Tab, {arrows} of the arrow keys"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn presentation_mode_keeps_every_text_at_7_to_1_on_the_main_views() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.el("[data-testid='overview-forvaltningar']").await;
    app.d().action_chain().send_keys("p").perform().await.unwrap();
    let mut found = Vec::new();
    let mut check = async |view: &str, css: &str| {
        app.click(css).await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        found.extend(app.below_7_to_1().await.into_iter().map(|v| format!("{view}: {v}")));
    };
    check("Översikt", "[data-testid='nav-overview']").await;
    check("Systemförteckning", "[data-testid='nav-register']").await;
    check("Handlingsplan", "[data-testid='nav-plan']").await;
    check("Årshjul", "[data-testid='nav-due']").await;
    check("Incidenter", "[data-testid='nav-incidents']").await;
    check("Kontroller", "[data-testid='nav-controls']").await;
    check("Inställningar", "[data-testid='nav-settings']").await;
    app.open_system("Katalogtjänst").await;
    for tab in ["fakta", "information", "krav", "risker", "atgarder", "beslut"] {
        check(&format!("System, {tab}"), &format!("[data-testid='tab-{tab}']")).await;
    }
    check("System, information", "[data-testid='tab-information']").await;
    check("the classification workshop", "[data-testid^='classify-']").await;
    app.el("[data-testid='workshop']").await;
    app.screenshot("presentationslage-klassningsworkshop").await;
    assert!(found.is_empty(), "{} places below 7:1 in presentation mode:\n{}", found.len(), found.join("\n"));
}

async fn shift_tab(app: &App) {
    app.d()
        .action_chain()
        .key_down(thirtyfour::Key::Shift)
        .send_keys(thirtyfour::Key::Tab.value().to_string())
        .key_up(thirtyfour::Key::Shift)
        .perform()
        .await
        .unwrap();
}

/// Opens the dialog `dialog` from the control `opener` by keyboard (focus, Enter), and checks
/// that the focus moves into it, that 30 presses of Tab and of Shift+Tab keep it there, and
/// that Escape closes it and gives the focus back to `opener`.
async fn dialog_by_keyboard(app: &App, name: &str, opener: &str, dialog: &str) {
    app.el(opener).await;
    let arg = vec![serde_json::Value::String(opener.to_string())];
    app.d().execute("document.querySelector(arguments[0]).focus();", arg).await.unwrap();
    press(app, thirtyfour::Key::Enter).await;
    app.el(dialog).await;
    wait_until(app, FOCUS_INSIDE, dialog, &format!("{name}: the focus did not move into the dialog")).await;
    for n in 1..=30 {
        press(app, thirtyfour::Key::Tab).await;
        assert!(holds(app, FOCUS_INSIDE, dialog).await, "{name}: Tab number {n} left the open dialog");
    }
    // A click on the dialog's heading puts the focus on the dialog itself; Shift+Tab from
    // there stays inside too.
    app.click(&format!("{dialog} h2")).await;
    assert!(holds(app, FOCUS_ON, dialog).await, "{name}: a click on the heading focuses the dialog");
    shift_tab(app).await;
    assert!(holds(app, FOCUS_INSIDE, dialog).await, "{name}: Shift+Tab after a click on the heading left the dialog");
    for n in 1..=30 {
        shift_tab(app).await;
        let at = app.d().execute("const e = document.activeElement; return e.tagName + ' ' + (e.dataset.testid ?? '') + ' ' + e.textContent.slice(0, 30);", Vec::new()).await.unwrap();
        assert!(
            holds(app, FOCUS_INSIDE, dialog).await,
            "{name}: Shift+Tab number {n} left the open dialog (to {})",
            at.json()
        );
    }
    press(app, thirtyfour::Key::Escape).await;
    app.wait_gone(dialog).await;
    wait_until(app, FOCUS_ON, opener, &format!("{name}: Escape did not give the focus back to {opener}")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_dialog_takes_the_focus_keeps_tab_inside_and_gives_it_back_on_escape() {
    let _serial = SERIAL.lock().await;
    let (app, _) = App::start(None).await;
    app.el("[data-testid='overview-forvaltningar']").await;
    app.click("[data-testid='nav-register']").await;
    dialog_by_keyboard(&app, "Nytt system", "[data-testid='new-system']", "[role='dialog']").await;
    app.open_system("Katalogtjänst").await;
    app.click("[data-testid='tab-information']").await;
    dialog_by_keyboard(&app, "the classification workshop", "[data-testid^='classify-']", "[data-testid='workshop']")
        .await;
    // With a level picked and not saved, Escape asks before the workshop closes.
    app.click("[data-testid^='classify-']").await;
    // The window's shortcuts that leave the view wait while a dialog is open.
    app.el("[data-testid='workshop']").await;
    app.d().action_chain().send_keys("n").perform().await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let new_system = app.d().find(thirtyfour::By::Css("[data-testid='new-system-name']")).await;
    assert!(new_system.is_err(), "n opened Nytt system over the workshop");
    app.el("[data-testid='workshop']").await;
    app.click("[data-testid='classification-matrix'] td[data-testid$='-1']").await;
    press(&app, thirtyfour::Key::Escape).await;
    app.wait_text("[data-testid='workshop-discard']", "inte sparade").await;
    app.click("[data-testid='workshop-discard-no']").await;
    app.wait_gone("[data-testid='workshop-discard']").await;
    app.el("[data-testid='workshop']").await;
    press(&app, thirtyfour::Key::Escape).await;
    app.el("[data-testid='workshop-discard']").await;
    press(&app, thirtyfour::Key::Escape).await;
    app.wait_gone("[data-testid='workshop']").await;
    app.click("[data-testid='nav-plan']").await;
    dialog_by_keyboard(&app, "the action editor", "[data-testid^='plan-edit-']", "[data-testid='action-editor']").await;
    app.click("[data-testid='nav-overview']").await;
    dialog_by_keyboard(&app, "Kortkommandon", "[data-testid='help-button']", "[data-testid='help']").await;
}
