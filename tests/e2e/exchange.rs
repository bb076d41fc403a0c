//! Bundles: previewed, the signer trusted, applied, conflicts settled in the app.

use crate::harness::*;
use riskverkstad_core::store::Store;
use std::path::Path;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// An installation with an 8-system demo municipality and a department identity.
fn demo(db: &Path, seed: u64, name: &str) -> Store {
    let mut s = Store::open(db).unwrap();
    riskverkstad_core::demo::build(&mut s, &riskverkstad_core::demo::DemoConfig { systems: 8, seed, today: None })
        .unwrap();
    riskverkstad_core::exchange::init_identity(&mut s, name).unwrap();
    s
}

/// A department's bundle is opened in the app: its signer's fingerprint is shown before it is
/// trusted, the merge plan is reviewed and applied; a later bundle brings a conflict, which is
/// shown field by field and settled; and the app exports a signed bundle of its own.
#[tokio::test(flavor = "multi_thread")]
async fn bundles_are_previewed_trusted_applied_and_conflicts_settled_in_the_app() {
    use riskverkstad_core::exchange::{Limits, PublicKey, Scope};
    use riskverkstad_core::model::System;
    use riskverkstad_core::store::Read;
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut a = demo(&d.join("soc.db"), 7, "Socialförvaltningen");
    let c_db = d.join("central.db");
    let c = demo(&c_db, 1, "Centrala säkerhetsfunktionen");
    let a_key =
        PublicKey::from_openssh(&riskverkstad_core::exchange::identity(&a).unwrap().unwrap().public_key).unwrap();
    let a_fp = a_key.fingerprint().readable;
    // The first bundle from A; the centre has not seen A's key.
    let first = d.join("soc-1.rvb");
    std::fs::write(&first, riskverkstad_core::exchange::export_bundle(&mut a, &Scope::All, None).unwrap().bytes)
        .unwrap();
    // A later one in which A has changed a system that the centre will also change.
    let contested: System = a.list::<System>().unwrap().remove(0);
    let mut changed = contested.clone();
    changed.description = "A:s beskrivning".into();
    a.write("Ändra", |w| w.update(changed)).unwrap();
    let second = d.join("soc-2.rvb");
    std::fs::write(&second, riskverkstad_core::exchange::export_bundle(&mut a, &Scope::All, None).unwrap().bytes)
        .unwrap();
    drop(c);

    // 1. The unknown signer: the fingerprint first, trusted by name, then the plan.
    {
        let (app, _) = App::launch_env(Some(&c_db), &[("RISKVERKSTAD_DIALOG_OPEN", first.as_path())]).await;
        app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
        app.click("[data-testid='nav-settings']").await;
        app.click("[data-testid='settings-tab-utbyte']").await;
        app.wait_text("[data-testid='identity']", "Centrala säkerhetsfunktionen").await;
        app.click("[data-testid='choose-bundle']").await;
        let shown = app.wait_text("[data-testid='signer-fingerprint']", &a_fp).await;
        assert_eq!(shown, a_fp);
        app.wait_text("[data-testid='bundle-refusal']", "okänd nyckel").await;
        // Trusted as a department answering for its förvaltning, compared by a named person.
        app.click("[data-testid='trust-scope-Socialförvaltningen']").await;
        app.type_into("[data-testid='trust-compared-by']", "Eva Samordnare").await;
        app.screenshot("utbyte-okand-avsandare").await;
        app.click("[data-testid='trust-signer']").await;
        let counts = app.wait_text("[data-testid='plan-counts']", "Systemet").await;
        assert!(counts.to_lowercase().contains("nya"), "{counts}");
        let terms = app.wait_text("[data-testid='trust-terms-Socialförvaltningen']", "Eva Samordnare").await;
        assert!(terms.contains("Avdelning: Socialförvaltningen"), "{terms}");
        app.wait_text("[data-testid='plan-changes']", "gjord av Socialförvaltningen").await;
        app.screenshot("utbyte-plan").await;
        app.click("[data-testid='apply-bundle']").await;
        app.wait_text("[data-testid='exchange-status']", "Paketet är inläst").await;
        // The combined register shows where each system comes from.
        app.click("[data-testid='nav-register']").await;
        app.click("details.columns summary").await;
        app.click("[data-testid='column-origin']").await;
        app.type_into("[data-testid='register-search']", &contested.name).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mut texts = Vec::new();
            for row in app.d().find_all(By::Css("[data-testid='register-row']")).await.unwrap() {
                texts.push(row.prop("textContent").await.unwrap_or_default().unwrap_or_default());
            }
            if texts.iter().any(|t| t.contains(&contested.name) && t.contains("Socialförvaltningen")) {
                break;
            }
            assert!(Instant::now() < deadline, "no row of {} from Socialförvaltningen: {texts:?}", contested.name);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        app.screenshot("utbyte-register-ursprung").await;
    }
    // The centre changes the same system meanwhile (another session of the same file).
    {
        let mut c = Store::open(&c_db).unwrap();
        let mut s: System = c.get(contested.id).unwrap();
        s.description = "Centralens beskrivning".into();
        c.write("Ändra", |w| w.update(s)).unwrap();
    }

    // 2. The second bundle conflicts; the conflict is shown field by field and settled.
    let exported = d.join("central-ut.rvb");
    {
        let (app, _) = App::launch_env(
            Some(&c_db),
            &[("RISKVERKSTAD_DIALOG_OPEN", second.as_path()), ("RISKVERKSTAD_DIALOG_SAVE", exported.as_path())],
        )
        .await;
        app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
        app.click("[data-testid='nav-settings']").await;
        app.click("[data-testid='settings-tab-utbyte']").await;
        app.click("[data-testid='choose-bundle']").await;
        let plan = app.wait_text("[data-testid='plan-changes']", "konflikt").await;
        assert!(plan.contains(&contested.name), "{plan}");
        app.click("[data-testid='apply-bundle']").await;
        let conflict = app.wait_text("[data-testid='conflict']", "A:s beskrivning").await;
        assert!(conflict.contains("Centralens beskrivning") && conflict.contains("Beskrivning"), "{conflict}");
        assert!(!conflict.contains("description"), "fields by their Swedish names, not column names: {conflict}");
        assert!(conflict.contains("gjord och skickad av Socialförvaltningen"), "who made theirs: {conflict}");
        app.screenshot("utbyte-konflikt").await;
        app.click("[data-testid='keep-theirs']").await;
        app.wait_text("[data-testid='conflicts']", "Inga konflikter").await;
        // And a signed bundle of the centre's own.
        app.click("[data-testid='export-bundle']").await;
        app.wait_text("[data-testid='exchange-status']", "Paketet sparades").await;
    }
    // 3. A large bundle shows how far the import has come while it is written.
    let mut b = Store::open(&d.join("bildning.db")).unwrap();
    riskverkstad_core::demo::build(
        &mut b,
        &riskverkstad_core::demo::DemoConfig { systems: 600, seed: 11, today: None },
    )
    .unwrap();
    riskverkstad_core::exchange::init_identity(&mut b, "Bildningsförvaltningen").unwrap();
    let large = d.join("bildning-1.rvb");
    std::fs::write(&large, riskverkstad_core::exchange::export_bundle(&mut b, &Scope::All, None).unwrap().bytes)
        .unwrap();
    {
        let mut c = Store::open(&c_db).unwrap();
        let b_key =
            PublicKey::from_openssh(&riskverkstad_core::exchange::identity(&b).unwrap().unwrap().public_key).unwrap();
        riskverkstad_core::exchange::trust_add(
            &mut c,
            &b_key,
            "Bildningsförvaltningen",
            &riskverkstad_core::exchange::TrustTerms::department(&["Bildningsförvaltningen"], "Testaren"),
        )
        .unwrap();
    }
    {
        let (app, _) = App::launch_env(Some(&c_db), &[("RISKVERKSTAD_DIALOG_OPEN", large.as_path())]).await;
        app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
        app.click("[data-testid='nav-settings']").await;
        app.click("[data-testid='settings-tab-utbyte']").await;
        app.click("[data-testid='choose-bundle']").await;
        app.wait_text("[data-testid='plan-counts']", "Systemet").await;
        let started = Instant::now();
        app.click("[data-testid='apply-bundle']").await;
        let mut seen = Vec::new();
        loop {
            if let Ok(e) = app.d().find(By::Css("[data-testid='import-progress']")).await
                && let Ok(t) = e.text().await
            {
                if t.contains(" av ") && !seen.iter().any(|s: &String| s.contains(" av ")) {
                    app.screenshot("utbyte-forlopp").await;
                }
                seen.push(t);
            }
            if let Ok(e) = app.d().find(By::Css("[data-testid='exchange-status']")).await
                && e.text().await.unwrap_or_default().contains("Paketet är inläst")
            {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the import never finished: {seen:?}");
        }
        eprintln!("large import in the app: {:?}, progress seen: {:?}", started.elapsed(), seen.last());
        assert!(
            seen.iter().any(|t| t.contains("Skriver poster") && t.contains(" av ") && t.contains("poster")),
            "progress with counts while writing: {seen:?}"
        );
        assert!(app.d().find(By::Css("[data-testid='import-progress']")).await.is_err(), "gone when done");
    }
    let c = Store::open(&c_db).unwrap();
    assert_eq!(c.get::<System>(contested.id).unwrap().description, "A:s beskrivning");
    assert!(c.check().unwrap().is_sound());
    let bytes = std::fs::read(&exported).unwrap();
    let opened =
        riskverkstad_bundle::open(&bytes, Limits::default(), None).expect("the app's bundle is signed and whole");
    assert_eq!(opened.manifest.sender.name, "Centrala säkerhetsfunktionen");
}

/// A trusted department's bundle changes a system the centre made in another förvaltning: the
/// app refuses it whole, naming the system and whose it is, and lets the person let that one
/// system's changes through as a conflict; the key's terms are changed in the trust list.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_outside_a_departments_scope_is_refused_and_can_be_let_through_as_a_conflict() {
    use riskverkstad_core::exchange::{Limits, PublicKey, Scope, TrustTerms};
    use riskverkstad_core::model::{Forvaltning, System};
    use riskverkstad_core::store::Read;
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key_of = |s: &Store| {
        PublicKey::from_openssh(&riskverkstad_core::exchange::identity(s).unwrap().unwrap().public_key).unwrap()
    };
    let c_db = d.join("central.db");
    let mut c = demo(&c_db, 1, "Centrala säkerhetsfunktionen");
    let mut a = demo(&d.join("soc.db"), 7, "Socialförvaltningen");
    riskverkstad_core::exchange::trust_add(&mut a, &key_of(&c), "Centralen", &TrustTerms::central("Eva")).unwrap();
    riskverkstad_core::exchange::trust_add(
        &mut c,
        &key_of(&a),
        "Socialförvaltningen",
        &TrustTerms::department(&["Socialförvaltningen"], "Eva"),
    )
    .unwrap();
    let from_c = riskverkstad_core::exchange::export_bundle(&mut c, &Scope::All, None).unwrap().bytes;
    riskverkstad_core::exchange::import_bundle(&mut a, &from_c, Limits::default(), None).unwrap();
    // A changes one of the centre's systems, outside Socialförvaltningen.
    let fv: Vec<Forvaltning> = c.list().unwrap();
    let target: System = c
        .list::<System>()
        .unwrap()
        .into_iter()
        .find(|s| fv.iter().any(|f| f.id == s.forvaltning_id && f.name != "Socialförvaltningen"))
        .unwrap();
    let mut s: System = a.get(target.id).unwrap();
    s.description = "Ändrad av Socialförvaltningen".into();
    a.write("Ändra", |w| w.update(s)).unwrap();
    let bundle = d.join("soc-utanfor.rvb");
    std::fs::write(&bundle, riskverkstad_core::exchange::export_bundle(&mut a, &Scope::All, None).unwrap().bytes)
        .unwrap();
    drop(c);

    let (app, _) = App::launch_env(Some(&c_db), &[("RISKVERKSTAD_DIALOG_OPEN", bundle.as_path())]).await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-utbyte']").await;
    // The tab has loaded before the bundle is chosen (a click on a button not yet there is lost).
    app.wait_text("[data-testid='identity']", "Centrala säkerhetsfunktionen").await;
    app.click("[data-testid='choose-bundle']").await;
    let refusals = app.wait_text("[data-testid='plan-refusals']", &target.name).await;
    assert!(
        refusals.contains("utanför sin behörighet") && refusals.contains("skapades av Centrala säkerhetsfunktionen"),
        "{refusals}"
    );
    let apply = app.el("[data-testid='apply-bundle']").await;
    assert!(!apply.is_enabled().await.unwrap(), "a refused bundle cannot be applied");
    app.el("[data-testid='plan-refusals']").await.scroll_into_view().await.unwrap();
    app.screenshot("utbyte-avvisat").await;
    app.click(&format!("[data-testid='allow-{}']", target.id)).await;
    let plan = app.wait_text("[data-testid='plan-changes']", "konflikt").await;
    assert!(plan.contains(&target.name) && plan.contains("släpper igenom"), "{plan}");
    app.wait_text("[data-testid='allowances']", &format!("systemet {}", target.name)).await;
    app.click("[data-testid='apply-bundle']").await;
    let conflict = app.wait_text("[data-testid='conflict']", "Ändrad av Socialförvaltningen").await;
    assert!(conflict.contains("gjord och skickad av Socialförvaltningen"), "{conflict}");
    // The key's terms: valid until a date, saved in the trust list.
    app.click("[data-testid='trust-edit-Socialförvaltningen']").await;
    app.type_into("[data-testid='trust-expires']", "2027-06-30").await;
    app.el("[data-testid='trust-editor']").await.scroll_into_view().await.unwrap();
    app.screenshot("utbyte-andra-nyckel").await;
    app.click("[data-testid='trust-save']").await;
    app.wait_text("[data-testid='trust-terms-Socialförvaltningen']", "gäller t.o.m. 2027-06-30").await;
    drop(app);
    let c = Store::open(&c_db).unwrap();
    assert_eq!(c.get::<System>(target.id).unwrap().description, target.description, "kept until settled");
    let trusted = riskverkstad_core::exchange::trust_list(&c).unwrap();
    assert_eq!(trusted[0].terms.expires_on.as_deref(), Some("2027-06-30"));
}
