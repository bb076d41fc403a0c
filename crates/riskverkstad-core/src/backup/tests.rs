use super::*;
use crate::demo::{self, DemoConfig};
use crate::model::{Risk, System};
use crate::store::Read;
use chrono::{TimeZone, Utc};

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.to_string())
}

const RIGHT: &str = "korp vattenkanna blyerts sjuttio";

fn at(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp(Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap())
}

/// An encrypted database with a small demo municipality, and a system name and risk text
/// that must never appear in its raw bytes.
fn encrypted_demo(dir: &Path) -> (PathBuf, String, String) {
    let db = dir.join("avdelning.db");
    let mut store = Store::create(&db, Some(pass(RIGHT))).unwrap();
    demo::build(&mut store, &DemoConfig { systems: 12, seed: 3, ..Default::default() }).unwrap();
    let mut system = store.list::<System>().unwrap().remove(0);
    system.name = "Hemligsystemet Kvastfening".into();
    store.write("Byt namn", |w| w.update(system)).unwrap();
    let risk: Risk = store.list::<Risk>().unwrap().remove(0);
    let text = risk.handelse.clone();
    assert!(text.len() > 12, "a risk text long enough to be unmistakable: {text}");
    drop(store);
    (db, "Hemligsystemet Kvastfening".into(), text)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            out.extend(files_in(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn no_plaintext_in_the_database_its_wal_or_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, risk_text) = encrypted_demo(dir.path());
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.is_encrypted());
    crate::backup::create(&store, BackupReason::Manuell, Timestamp::now()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(folder(&db)).unwrap().permissions().mode() & 0o777, 0o700);
    }
    // A write left in the WAL (the store is still open, nothing checkpointed).
    let mut store = store;
    let mut s = store.list::<System>().unwrap().remove(1);
    s.description = format!("{name} i WAL");
    store.write("Ändra", |w| w.update(s)).unwrap();
    let wal = sibling(&db, "-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the write is in the WAL");
    let files = files_in(dir.path());
    assert!(files.len() >= 3, "database, WAL and a backup: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, &name), "{} holds the system name in plaintext", f.display());
        assert!(!contains(&bytes, &risk_text), "{} holds the risk text in plaintext", f.display());
        assert!(!contains(&bytes, "SQLite format 3"), "{} is an ordinary SQLite file", f.display());
    }
    // The same search finds both in a plain database: the check above can fail.
    let plain = dir.path().join("okrypterad.db");
    let mut p = Store::create(&plain, None).unwrap();
    demo::build(&mut p, &DemoConfig { systems: 12, seed: 3, ..Default::default() }).unwrap();
    let mut system = p.list::<System>().unwrap().remove(0);
    system.name = name.clone();
    p.write("Byt namn", |w| w.update(system)).unwrap();
    p.close().unwrap();
    let bytes = std::fs::read(&plain).unwrap();
    assert!(contains(&bytes, &name) && contains(&bytes, &risk_text));
}

fn digest(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn wrong_empty_truncated_and_foreign_files_give_clear_errors_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ..) = encrypted_demo(dir.path());
    let before = digest(&db);
    let sides = |p: &Path| ["-wal", "-shm", "-journal"].iter().filter(|s| sibling(p, s).exists()).count();
    assert_eq!(sides(&db), 0);

    let e = Store::unlock(&db, Some(pass("fel lösenfras helt och hållet"))).err().unwrap();
    assert!(matches!(e, Error::WrongPassphrase { .. }), "{e:?}");
    assert!(e.to_string().contains("Lösenfrasen stämmer inte"), "{e}");
    assert!(!e.to_string().contains("file is not a database"), "no SQLCipher noise: {e}");
    let e = Store::unlock(&db, Some(pass(""))).err().unwrap();
    assert!(matches!(&e, Error::Passphrase(m) if m.contains("tom")), "{e:?}");
    let e = Store::unlock(&db, None).err().unwrap();
    assert!(matches!(e, Error::PassphraseRequired { .. }), "{e:?}");
    assert!(e.to_string().contains("är krypterad"));
    let e = Store::open(&db).err().unwrap();
    assert!(matches!(e, Error::PassphraseRequired { .. }), "{e:?}");
    assert_eq!(digest(&db), before);
    assert_eq!(sides(&db), 0, "no WAL or journal was created");

    // Truncated: not a whole number of pages, or whole pages but cut short.
    let bytes = std::fs::read(&db).unwrap();
    let cut = dir.path().join("avklippt.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2 + 100]).unwrap();
    let e = Store::unlock(&cut, Some(pass(RIGHT))).err().unwrap();
    assert!(matches!(e, Error::NotADatabase { .. }), "{e:?}");
    let cut_pages = dir.path().join("avklippt-sidor.db");
    std::fs::write(&cut_pages, &bytes[..bytes.len() / 2 / 4096 * 4096]).unwrap();
    let before_cut = digest(&cut_pages);
    let e = Store::unlock(&cut_pages, Some(pass(RIGHT))).err().unwrap();
    assert!(matches!(e, Error::Corrupt { .. } | Error::NotADatabase { .. }), "{e:?}");
    assert_eq!(digest(&cut_pages), before_cut);

    let text = dir.path().join("anteckningar.db");
    std::fs::write(&text, "Det här är en textfil, ingen databas.\n").unwrap();
    let e = Store::unlock(&text, Some(pass(RIGHT))).err().unwrap();
    assert!(matches!(e, Error::NotADatabase { .. }), "{e:?}");
    assert!(e.to_string().contains("inte en Riskverkstad-databas"));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "Det här är en textfil, ingen databas.\n");

    // A new database refuses a short passphrase and writes nothing.
    let new = dir.path().join("ny.db");
    let e = Store::create(&new, Some(pass("kort"))).err().unwrap();
    assert!(matches!(&e, Error::Passphrase(m) if m.contains("minst 12")), "{e:?}");
    assert!(!new.exists());
    // The right passphrase still opens the untouched original.
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn rotation_keeps_the_promised_copies_across_simulated_dates() {
    // One backup a day at 08:00 for 500 days, rotated each time, as a daily open would.
    let start = at(2025, 1, 1, 8);
    let mut taken: Vec<Timestamp> = Vec::new();
    for day in 0..500 {
        let now = Timestamp(start.0 + chrono::Duration::days(day));
        taken.push(now);
        let kept = keep(&taken, now);
        taken = taken.into_iter().zip(kept).filter(|(_, k)| *k).map(|(t, _)| t).collect();
    }
    let now = *taken.iter().max().unwrap();
    let days: HashSet<_> = taken.iter().map(|t| t.date()).collect();
    let last7: Vec<_> = (0..7).map(|i| (now.0 - chrono::Duration::days(i)).date_naive()).collect();
    assert!(last7.iter().all(|d| days.contains(d)), "each of the last 7 days is kept");
    let weeks: HashSet<_> = taken.iter().map(|t| t.0.iso_week()).collect();
    for i in 0..4 {
        assert!(weeks.contains(&(now.0 - chrono::Duration::weeks(i)).iso_week()), "week {i} back is kept");
    }
    let months: HashSet<_> = taken.iter().map(|t| (t.0.year(), t.0.month())).collect();
    assert_eq!(months.len(), 12, "twelve months: {months:?}");
    assert!(taken.len() <= KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY, "{} copies", taken.len());
    assert!(taken.len() >= 12 + 4, "{} copies", taken.len());
    assert!(taken.iter().all(|t| now.0 - t.0 <= chrono::Duration::days(366)), "nothing older than a year");

    // Several copies in one day: all kept for 24 hours, then only that day's newest.
    let day = [at(2026, 3, 2, 8), at(2026, 3, 2, 11), at(2026, 3, 2, 15)];
    assert_eq!(keep(&day, at(2026, 3, 2, 16)), vec![true, true, true]);
    assert_eq!(keep(&day, at(2026, 3, 3, 16)), vec![false, false, true]);
}

#[test]
fn rotation_on_disk_deletes_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("avdelning.db");
    let store = Store::create(&db, None).unwrap();
    let folder = crate::backup::folder_for(&store).unwrap();
    for day in 0..40 {
        crate::backup::create(
            &store,
            BackupReason::Daglig,
            Timestamp(at(2026, 1, 1, 8).0 + chrono::Duration::days(day)),
        )
        .unwrap();
    }
    std::fs::write(folder.join("egen-anteckning.txt"), "behåll").unwrap();
    let kept = crate::backup::list_for(&store).unwrap();
    assert!(kept.len() <= 23 && kept.len() >= 9, "{}", kept.len());
    assert_eq!(kept[0].taken_at, Timestamp(at(2026, 1, 1, 8).0 + chrono::Duration::days(39)));
    assert!(folder.join("egen-anteckning.txt").exists());
    // The daily backup is made once a day.
    let now = Timestamp(at(2026, 2, 10, 12).0);
    assert!(crate::backup::daily(&store, now).unwrap().is_some());
    assert!(crate::backup::daily(&store, Timestamp(now.0 + chrono::Duration::hours(2))).unwrap().is_none());
}

#[test]
fn the_backups_stay_within_their_size_limit_keeping_the_newest_and_the_safety_copies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("avdelning.db");
    let mut store = Store::create(&db, None).unwrap();
    demo::build(&mut store, &DemoConfig { systems: 12, seed: 3, ..Default::default() }).unwrap();
    let start = at(2026, 1, 1, 8).0;
    for day in 0..40 {
        crate::backup::create(&store, BackupReason::Daglig, Timestamp(start + chrono::Duration::days(day))).unwrap();
    }
    let now = Timestamp(start + chrono::Duration::days(39));
    let upgrade = store.copy_to_backups(BackupReason::Migrering, Timestamp(now.0 - chrono::Duration::days(3))).unwrap();
    let before = crate::backup::usage(&store).unwrap();
    assert_eq!(before.limit_mb, crate::backup::DEFAULT_LIMIT_MB, "the default until set");
    assert!(before.count >= 10, "rotation alone kept {}", before.count);
    let size = crate::backup::list_for(&store).unwrap()[0].bytes;
    assert_eq!(before.bytes, crate::backup::list_for(&store).unwrap().iter().map(|b| b.bytes).sum::<u64>());

    // Room for four copies: the newest, the upgrade's safety copy and the two next newest.
    let deleted = crate::backup::rotate(&db, now, 4 * size + size / 2).unwrap();
    let kept = crate::backup::list_for(&store).unwrap();
    assert_eq!(kept.len(), 4, "{kept:?}");
    assert_eq!(deleted.len() as u64, before.count - 4);
    assert_eq!(kept[0].taken_at, now, "the newest copy stays");
    assert!(kept.iter().any(|b| b.file_name == upgrade.file_name), "the copy made before an upgrade stays");
    let dailies: Vec<_> = kept.iter().filter(|b| b.reason == BackupReason::Daglig).map(|b| b.taken_at).collect();
    let newest: Vec<_> = (0..3).map(|d| Timestamp(now.0 - chrono::Duration::days(d))).collect();
    assert_eq!(dailies, newest, "the oldest went first");
    for b in &kept {
        let (_, _, report) = crate::backup::verify(&folder_for(&store).unwrap().join(&b.file_name), None).unwrap();
        assert!(report.is_sound(), "what is kept still verifies: {:?}", report.problems);
    }

    // A limit below any copy keeps the newest and the safety copy all the same.
    crate::backup::rotate(&db, now, 1).unwrap();
    assert_eq!(crate::backup::list_for(&store).unwrap().len(), 2);

    // The limit is a setting, bounded, applied when set.
    let err = crate::backup::set_limit(&mut store, 10, now).unwrap_err();
    assert!(err.to_string().contains("mellan 100 och"), "{err}");
    assert_eq!(store.backup_limit_mb().unwrap(), crate::backup::DEFAULT_LIMIT_MB, "nothing stored");
    let usage = crate::backup::set_limit(&mut store, 500, now).unwrap();
    assert_eq!((usage.limit_mb, usage.count), (500, 2));
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.backup_limit_mb().unwrap(), 500, "kept with the database");
}

#[test]
fn backup_verify_restore_and_the_restore_test_record() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, _) = encrypted_demo(dir.path());
    let mut store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert_eq!(store.restore_tested().unwrap(), None);
    let first = crate::backup::create(&store, BackupReason::Manuell, at(2026, 5, 1, 9)).unwrap();
    // A later change that the restore undoes.
    let mut s = store.list::<System>().unwrap().into_iter().find(|s| s.name == name).unwrap();
    s.name = "Omdöpt efter kopian".into();
    store.write("Byt namn", |w| w.update(s)).unwrap();

    let checks = crate::backup::verify_all(&mut store, at(2026, 5, 1, 10)).unwrap();
    assert_eq!(checks.len(), 1);
    assert!(checks[0].ok, "{:?}", checks[0].problems);
    assert_eq!(checks[0].systems, 12);
    assert!(checks[0].audit_entries > 0);
    assert_eq!(store.restore_tested().unwrap(), Some(at(2026, 5, 1, 10)));

    let store = crate::backup::restore(store, Path::new(&first.file_name), at(2026, 5, 2, 9)).unwrap();
    let names: Vec<String> = store.list::<System>().unwrap().into_iter().map(|s| s.name).collect();
    assert!(names.contains(&name) && !names.contains(&"Omdöpt efter kopian".to_string()));
    assert!(store.check().unwrap().is_sound());
    assert!(store.is_encrypted());
    assert_eq!(store.restore_tested().map_err(|e| e.to_string()).unwrap(), Some(at(2026, 5, 2, 9)));
    // The state before the restore was kept, and it holds the renamed system.
    let before =
        crate::backup::list_for(&store).unwrap().into_iter().find(|b| b.reason == BackupReason::Aterlasning).unwrap();
    let copy = dir.path().join("före.db");
    std::fs::copy(folder(&db).join(&before.file_name), &copy).unwrap();
    let old = Store::unlock(&copy, Some(pass(RIGHT))).unwrap();
    assert!(old.list::<System>().unwrap().iter().any(|s| s.name == "Omdöpt efter kopian"));

    // A damaged backup is refused before anything is replaced.
    let bad = folder(&db).join(&first.file_name);
    let mut bytes = std::fs::read(&bad).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 64].fill(0xAB);
    std::fs::write(&bad, &bytes).unwrap();
    let backups = crate::backup::list_for(&store).unwrap().len();
    let e = crate::backup::restore(store, Path::new(&first.file_name), at(2026, 5, 3, 9)).err().unwrap();
    assert!(matches!(e, Error::Backup(_) | Error::Corrupt { .. } | Error::NotADatabase { .. }), "{e:?}");
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.list::<System>().unwrap().iter().any(|s| s.name == name), "the database is as it was");
    assert_eq!(crate::backup::list_for(&store).unwrap().len(), backups, "no backup was made for a refused restore");
}

#[test]
fn a_damaged_database_is_restored_from_the_newest_backup_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, _) = encrypted_demo(dir.path());
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    crate::backup::create(&store, BackupReason::Daglig, at(2026, 5, 1, 9)).unwrap();
    let newest = crate::backup::create(&store, BackupReason::Import, at(2026, 5, 2, 9)).unwrap();
    store.close().unwrap();
    // The newest backup is damaged too: the one before it is offered.
    let newest_path = folder(&db).join(&newest.file_name);
    let mut bytes = std::fs::read(&newest_path).unwrap();
    let n = bytes.len();
    bytes.truncate(n - 4096 * 2);
    std::fs::write(&newest_path, &bytes).unwrap();
    // Page 1 intact (the key is proven), later 16 KB pages damaged: the quick check fails.
    let good = std::fs::read(&db).unwrap();
    let mut bytes = good.clone();
    for page in 2..bytes.len() / 16384 {
        bytes[page * 16384 + 100] ^= 0xFF;
    }
    std::fs::write(&db, &bytes).unwrap();
    let e = Store::unlock(&db, Some(pass(RIGHT))).err().unwrap();
    assert!(matches!(&e, Error::Corrupt { detail, .. } if !detail.contains("nyss bytt")), "{e:?}");
    // Page 1 damaged reads like a wrong key; the backups tell it apart (and the message
    // names the other reading).
    let mut page_one = good.clone();
    page_one[1000] ^= 0xFF;
    std::fs::write(&db, &page_one).unwrap();
    let e = Store::unlock(&db, Some(pass(RIGHT))).err().unwrap();
    assert!(matches!(&e, Error::Corrupt { detail, .. } if detail.contains("nyss bytt")), "{e:?}");
    assert!(matches!(Store::unlock(&db, Some(pass("helt fel lösenfras här"))), Err(Error::WrongPassphrase { .. })));
    std::fs::write(&db, &bytes).unwrap();
    let offer = newest_sound(&db, Some(&pass(RIGHT))).unwrap().unwrap();
    assert_eq!(offer.backup.reason, BackupReason::Daglig);
    let store =
        restore_file(&db, &folder(&db).join(&offer.backup.file_name), Some(pass(RIGHT)), at(2026, 5, 3, 9)).unwrap();
    assert!(store.list::<System>().unwrap().iter().any(|s| s.name == name));
    assert!(store.check().unwrap().is_sound());
    assert!(list(&db).unwrap().iter().any(|b| b.reason == BackupReason::Skadad), "the damaged file is kept");
}

#[test]
fn changing_the_passphrase_rekeys_the_database_and_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, _) = encrypted_demo(dir.path());
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    crate::backup::create(&store, BackupReason::Manuell, at(2026, 5, 1, 9)).unwrap();
    let second = Store::unlock(&db, Some(pass(RIGHT)));
    let e = crate::backup::change_passphrase(second.map_err(|e| e.to_string()).unwrap(), pass("kort"));
    assert!(matches!(e, Err(Error::Passphrase(_))));
    let new = "åtta ekorrar på Storgatan ✓";
    let (mut store, rekeyed) = crate::backup::change_passphrase(store, pass(new)).unwrap();
    assert_eq!(rekeyed, Rekeyed { backups: 1, left_as_they_were: vec![] });
    assert!(store.list::<System>().unwrap().iter().any(|s| s.name == name));
    assert!(store.check().unwrap().is_sound());
    drop(store);
    assert!(matches!(Store::unlock(&db, Some(pass(RIGHT))).err().unwrap(), Error::WrongPassphrase { .. }));
    store = Store::unlock(&db, Some(pass(new))).unwrap();
    let checks = crate::backup::verify_all(&mut store, Timestamp::now()).unwrap();
    assert!(!checks.is_empty() && checks.iter().all(|c| c.ok), "{checks:?}");
    assert!(files_in(dir.path()).iter().all(|f| !f.to_string_lossy().ends_with(".tmp")));
}

#[test]
fn a_plain_database_is_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut store = Store::create(&db, None).unwrap();
    demo::build(&mut store, &DemoConfig { systems: 8, seed: 2, ..Default::default() }).unwrap();
    let name = store.list::<System>().unwrap().remove(0).name;
    crate::backup::create(&store, BackupReason::Manuell, Timestamp::now()).unwrap();
    assert!(!store.is_encrypted());
    let plain_bytes = [std::fs::read(&db).unwrap(), std::fs::read(sibling(&db, "-wal")).unwrap_or_default()].concat();
    assert!(contains(&plain_bytes, &name), "{name} is readable in the plain file");
    let (store, rekeyed) = crate::backup::change_passphrase(store, pass(RIGHT)).unwrap();
    assert_eq!(rekeyed.backups, 1);
    assert!(store.is_encrypted());
    assert_eq!(file_kind(&db).unwrap(), FileKind::Encrypted);
    store.close().unwrap();
    for f in files_in(dir.path()) {
        assert!(!contains(&std::fs::read(&f).unwrap(), &name), "{} is still plain", f.display());
    }
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.check().unwrap().is_sound());
    assert_eq!(store.count::<System>().unwrap(), 8);
}

#[test]
fn the_private_key_file_is_encrypted_with_the_database_and_follows_its_passphrase() {
    use crate::exchange::Scope;
    let dir = tempfile::tempdir().unwrap();
    let (db, ..) = encrypted_demo(dir.path());
    let mut store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    crate::exchange::init_identity(&mut store, "Socialförvaltningen").unwrap();
    let key_file = store.key_path().unwrap().to_path_buf();
    let text = std::fs::read_to_string(&key_file).unwrap();
    assert!(riskverkstad_bundle::SecretKey::file_is_encrypted(&text), "{text}");
    // It signs: the key opens with the database's passphrase.
    crate::exchange::export_bundle(&mut store, &Scope::All, None).unwrap();
    let (mut store, _) = crate::backup::change_passphrase(store, pass("åtta ekorrar på Storgatan ✓")).unwrap();
    assert_ne!(std::fs::read_to_string(&key_file).unwrap(), text, "rewritten under the new passphrase");
    crate::exchange::export_bundle(&mut store, &Scope::All, None).unwrap();
    assert!(files_in(dir.path()).iter().all(|f| !f.to_string_lossy().ends_with(".ny-nyckel")));

    // A change that stopped between the database and the key file is finished on open.
    let staged = store.stage_private_key(Some(&pass("en tredje lösenfras här"))).unwrap().unwrap();
    drop(store);
    let mut store = Store::unlock(&db, Some(pass("åtta ekorrar på Storgatan ✓"))).unwrap();
    assert!(!staged.exists(), "a staged key for another passphrase is removed");
    crate::exchange::export_bundle(&mut store, &Scope::All, None).unwrap();
    let staged = store.stage_private_key(Some(&pass("åtta ekorrar på Storgatan ✓"))).unwrap().unwrap();
    let before = std::fs::read_to_string(&key_file).unwrap();
    drop(store);
    let mut store = Store::unlock(&db, Some(pass("åtta ekorrar på Storgatan ✓"))).unwrap();
    assert!(!staged.exists());
    assert_ne!(
        std::fs::read_to_string(&key_file).unwrap(),
        before,
        "the staged key for this passphrase took its place"
    );
    crate::exchange::export_bundle(&mut store, &Scope::All, None).unwrap();
}

#[test]
fn encrypting_a_plain_database_encrypts_its_private_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut store = Store::create(&db, None).unwrap();
    crate::exchange::init_identity(&mut store, "Demo").unwrap();
    let key_file = store.key_path().unwrap().to_path_buf();
    assert!(!riskverkstad_bundle::SecretKey::file_is_encrypted(&std::fs::read_to_string(&key_file).unwrap()));
    let (mut store, _) = crate::backup::change_passphrase(store, pass(RIGHT)).unwrap();
    assert!(riskverkstad_bundle::SecretKey::file_is_encrypted(&std::fs::read_to_string(&key_file).unwrap()));
    crate::exchange::export_bundle(&mut store, &crate::exchange::Scope::All, None).unwrap();
}

#[test]
fn a_plain_backup_is_not_restored_into_an_encrypted_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, _) = encrypted_demo(dir.path());
    let plain = dir.path().join("annan.db");
    let mut other = Store::create(&plain, None).unwrap();
    demo::build(&mut other, &DemoConfig { systems: 3, seed: 1, ..Default::default() }).unwrap();
    other.close().unwrap();
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    let e = crate::backup::restore(store, &plain, Timestamp::now()).err().unwrap();
    assert!(matches!(&e, Error::Backup(m) if m.contains("inte krypterad")), "{e:?}");
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.is_encrypted());
    assert!(store.list::<System>().unwrap().iter().any(|s| s.name == name));
    drop(store);
    // A name that the folder does not list is refused, whatever it points at.
    for name in ["..", "avdelning.db", "okänd.db"] {
        let e =
            crate::backup::restore(Store::unlock(&db, Some(pass(RIGHT))).unwrap(), Path::new(name), Timestamp::now())
                .err()
                .unwrap();
        assert!(matches!(&e, Error::Backup(m) if m.contains("ingen säkerhetskopia")), "{name}: {e:?}");
    }
}

#[test]
fn restoring_an_old_backup_survives_the_rotation_its_safety_copy_could_start() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ..) = encrypted_demo(dir.path());
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    let old = crate::backup::create(&store, BackupReason::Manuell, at(2026, 1, 5, 9)).unwrap();
    for day in 1..20 {
        crate::backup::create(
            &store,
            BackupReason::Daglig,
            Timestamp(at(2026, 2, 1, 9).0 + chrono::Duration::days(day)),
        )
        .unwrap();
    }
    assert!(crate::backup::list_for(&store).unwrap().iter().any(|b| b.file_name == old.file_name));
    let store = crate::backup::restore(store, Path::new(&old.file_name), at(2026, 3, 1, 9)).unwrap();
    assert!(store.check().unwrap().is_sound());
    let safety =
        crate::backup::list_for(&store).unwrap().into_iter().find(|b| b.reason == BackupReason::Aterlasning).unwrap();
    // The copy made before the restore outlives a later day's rotation.
    crate::backup::create(&store, BackupReason::Daglig, at(2026, 3, 3, 9)).unwrap();
    assert!(crate::backup::list_for(&store).unwrap().iter().any(|b| b.file_name == safety.file_name));
}

#[test]
fn a_swap_is_refused_while_another_connection_holds_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (db, name, _) = encrypted_demo(dir.path());
    let mut app = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    crate::backup::create(&app, BackupReason::Daglig, Timestamp::now()).unwrap();
    // The app has written since it opened: its WAL holds the change.
    let mut s = app.list::<System>().unwrap().into_iter().find(|s| s.name == name).unwrap();
    s.description = "skrivet i appen".into();
    app.write("Ändra", |w| w.update(s)).unwrap();
    let cli = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    let e = crate::backup::change_passphrase(cli, pass("åtta ekorrar på Storgatan ✓")).err().unwrap();
    assert!(matches!(&e, Error::Backup(m) if m.contains("öppen i ett annat program")), "{e:?}");
    let cli = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    let first = crate::backup::list_for(&cli).unwrap().last().unwrap().file_name.clone();
    let e = crate::backup::restore(cli, Path::new(&first), Timestamp::now()).err().unwrap();
    assert!(matches!(&e, Error::Backup(m) if m.contains("öppen i ett annat program")), "{e:?}");
    // Nothing changed: the holder still reads and writes, the old passphrase still opens it.
    let mut s = app.list::<System>().unwrap().into_iter().find(|s| s.name == name).unwrap();
    assert_eq!(s.description, "skrivet i appen");
    s.description = "skrivet efter de vägrade bytena".into();
    app.write("Ändra", |w| w.update(s)).unwrap();
    drop(app);
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(store.check().unwrap().is_sound());
    assert!(store.list::<System>().unwrap().iter().any(|s| s.description == "skrivet efter de vägrade bytena"));
    let left: Vec<_> = files_in(dir.path()).into_iter().filter(|f| f.to_string_lossy().contains("ny-nyckel")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn staged_backups_of_an_interrupted_passphrase_change_are_finished_or_removed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (db, ..) = encrypted_demo(dir.path());
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    let a = crate::backup::create(&store, BackupReason::Manuell, at(2026, 5, 1, 9)).unwrap();
    let b = crate::backup::create(&store, BackupReason::Manuell, at(2026, 5, 1, 10)).unwrap();
    drop(store);
    let path_a = folder(&db).join(&a.file_name);
    let path_b = folder(&db).join(&b.file_name);
    let other = pass("en helt annan lösenfras");
    // A staged copy under the database's own key (the swap happened) and one under another.
    reencrypt(&path_a, &sibling(&path_a, STAGED), Some(&pass(RIGHT)), &pass(RIGHT)).unwrap();
    reencrypt(&path_b, &sibling(&path_b, STAGED), Some(&pass(RIGHT)), &other).unwrap();
    let before_a = digest(&path_a);
    let before_b = digest(&path_b);
    let store = Store::unlock(&db, Some(pass(RIGHT))).unwrap();
    assert!(!sibling(&path_a, STAGED).exists() && !sibling(&path_b, STAGED).exists());
    assert_ne!(digest(&path_a), before_a, "the staged copy for this key took its place");
    assert_eq!(digest(&path_b), before_b, "the other stays as it was");
    assert!(verify(&path_a, Some(&pass(RIGHT))).unwrap().2.is_sound());
    drop(store);
}
