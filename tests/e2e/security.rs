//! Encryption, backups, restore, passphrase change, the idle lock, and a damaged database.

use crate::harness::*;
use std::path::Path;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// Rows shown in the backups table.
async fn backup_rows(app: &App) -> usize {
    app.d().find_all(By::Css("[data-testid='backup-row']")).await.unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_database_is_unlocked_backed_up_restored_rekeyed_and_locked() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("krypterad.db");
    {
        let mut store = riskverkstad_core::store::Store::create(&db, Some(passphrase(PASSPHRASE))).unwrap();
        riskverkstad_core::demo::build(
            &mut store,
            &riskverkstad_core::demo::DemoConfig { systems: 12, seed: 5, ..Default::default() },
        )
        .unwrap();
    }
    let (app, _) = App::launch(Some(&db)).await;
    // Locked at start; a wrong passphrase is refused in Swedish and changes nothing.
    app.wait_text("[data-testid='gate-locked']", "är krypterad").await;
    app.assert_accessible("the unlock gate").await;
    app.screenshot("lasa-upp").await;
    app.type_into("[data-testid='gate-passphrase']", "fel lösenfras helt och hållet").await;
    app.click("[data-testid='gate-submit']").await;
    app.wait_text("[data-testid='gate-error']", "Lösenfrasen stämmer inte").await;
    app.type_into("[data-testid='gate-passphrase']", PASSPHRASE).await;
    app.click("[data-testid='gate-submit']").await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    assert!(
        app.d().find(By::Css("[data-testid='demo-badge']")).await.is_err(),
        "no demo badge on an encrypted database"
    );
    app.el("[data-testid='lock']").await;

    // Inställningar → Säkerhet: encrypted, the day's backup is listed; make one more.
    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-sakerhet']").await;
    app.wait_text("[data-testid='security-state']", "krypterade").await;
    app.wait_text("[data-testid='restore-tested']", "aldrig").await;
    app.el("[data-testid='backup-list']").await;
    let before = backup_rows(&app).await;
    assert!(before >= 1, "the day's first open made a backup");
    app.click("[data-testid='backup-create']").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while backup_rows(&app).await != before + 1 {
        assert!(Instant::now() < deadline, "the new backup is not listed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.click("[data-testid='backup-verify']").await;
    app.wait_text("[data-testid='security-notice']", &format!("{0} av {0} säkerhetskopior klarar", before + 1)).await;
    let tested = app.text("[data-testid='restore-tested']").await;
    assert!(!tested.contains("aldrig"), "{tested}");
    // What the copies take, against their limit; the limit is set here and kept.
    app.wait_text("[data-testid='backup-usage']", &format!("{} kopior", before + 1)).await;
    app.wait_text("[data-testid='backup-usage']", "048 MB").await; // 2 048, spaced the Swedish way
    let limit = app.el("[data-testid='backup-limit']").await;
    limit.clear().await.unwrap();
    limit.send_keys("50").await.unwrap();
    app.click("[data-testid='backup-limit-save']").await;
    app.wait_text("[data-testid='security-error']", "mellan 100 och").await;
    limit.clear().await.unwrap();
    limit.send_keys("500").await.unwrap();
    app.click("[data-testid='backup-limit-save']").await;
    app.wait_text("[data-testid='security-notice']", "högst 500 MB").await;
    app.assert_accessible("Säkerhet, with a notice").await;
    app.wait_text("[data-testid='backup-usage']", "av högst 500 MB").await;
    app.screenshot("sakerhet").await;

    // A change after the backup, undone by restoring it (asked once more in the row).
    app.create_system("Efter säkerhetskopian").await;
    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-sakerhet']").await;
    app.el("[data-testid='backup-list']").await;
    app.click("[data-testid='backup-restore']").await;
    app.wait_text("[data-testid='backup-confirm']", "sparas först").await;
    app.screenshot("sakerhet-aterstall").await;
    app.click("[data-testid='backup-restore-confirm']").await;
    app.wait_text("[data-testid='security-notice']", "är återställd").await;
    app.click("[data-testid='nav-register']").await;
    let search = app.el("[data-testid='register-search']").await;
    search.send_keys("Efter säkerhetskopian").await.unwrap();
    app.wait_text("[data-testid='register-count']", "0 av 12").await;

    // Change the passphrase, lock, and unlock with the new one.
    let new = "åtta ekorrar på Storgatan ✓";
    app.click("[data-testid='nav-settings']").await;
    app.click("[data-testid='settings-tab-sakerhet']").await;
    app.type_into("[data-testid='security-current']", PASSPHRASE).await;
    app.type_into("[data-testid='security-new']", new).await;
    app.type_into("[data-testid='security-again']", new).await;
    app.wait_text("[data-testid='security-strength']", "tark").await; // Stark or Mycket stark
    app.click("[data-testid='security-change']").await;
    app.wait_text("[data-testid='security-notice']", "Lösenfrasen är bytt").await;
    app.click("[data-testid='security-lock-now']").await;
    app.wait_text("[data-testid='gate-locked']", "Låst").await;
    app.type_into("[data-testid='gate-passphrase']", PASSPHRASE).await;
    app.click("[data-testid='gate-submit']").await;
    app.wait_text("[data-testid='gate-error']", "Lösenfrasen stämmer inte").await;
    app.type_into("[data-testid='gate-passphrase']", new).await;
    app.click("[data-testid='gate-submit']").await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    // And the sidebar's lock.
    app.click("[data-testid='lock']").await;
    app.wait_text("[data-testid='gate-locked']", "Låst").await;
    assert!(app.d().find(By::Css("[data-testid='undo']")).await.is_err(), "nothing of the closed database stays");
    drop(app);

    // The file: encrypted under the new passphrase, sound, without the restored-away system.
    let store = riskverkstad_core::store::Store::unlock(&db, Some(passphrase(new))).unwrap();
    assert!(store.check().unwrap().is_sound());
    use riskverkstad_core::store::Read as _;
    assert_eq!(store.count::<riskverkstad_core::model::System>().unwrap(), 12);
    drop(store);

    // Left alone, the app locks itself (the idle time shortened for the test).
    let (app, _) = App::launch_env(Some(&db), &[("RISKVERKSTAD_IDLE_LOCK_SECONDS", Path::new("3"))]).await;
    app.type_into("[data-testid='gate-passphrase']", new).await;
    app.click("[data-testid='gate-submit']").await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    app.wait_text("[data-testid='gate-locked']", "utan aktivitet").await;
    app.screenshot("last-efter-inaktivitet").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_database_offers_its_newest_sound_backup_and_restores_it() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("skadad.db");
    {
        let mut store = riskverkstad_core::store::Store::create(&db, None).unwrap();
        riskverkstad_core::demo::build(
            &mut store,
            &riskverkstad_core::demo::DemoConfig { systems: 10, seed: 9, ..Default::default() },
        )
        .unwrap();
        riskverkstad_core::backup::create(
            &store,
            riskverkstad_core::backup::BackupReason::Manuell,
            riskverkstad_core::ids::Timestamp::now(),
        )
        .unwrap();
        store.close().unwrap();
    }
    let mut bytes = std::fs::read(&db).unwrap();
    for page in 2..bytes.len() / 4096 {
        bytes[page * 4096] ^= 0xFF;
    }
    std::fs::write(&db, &bytes).unwrap();
    let (app, _) = App::launch(Some(&db)).await;
    app.wait_text("[data-testid='gate-damaged']", "skadad").await;
    app.assert_accessible("the damaged gate").await;
    app.wait_text("[data-testid='gate-backup']", "10 system").await;
    app.screenshot("skadad-databas").await;
    app.click("[data-testid='gate-restore']").await;
    app.wait_text("[data-testid='organisation']", "Norrvik kommun").await;
    drop(app);
    let store = riskverkstad_core::store::Store::open_existing(&db).unwrap();
    assert!(store.check().unwrap().is_sound());
}
