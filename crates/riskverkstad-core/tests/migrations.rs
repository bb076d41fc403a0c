#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Migrations: a new database gets the latest schema, and a kept fixture database of every
//! schema version opens, upgrades and stays sound. When a migration is added, add the
//! fixture of the version it upgrades from (`schema-v{N}.db`, written by that version's
//! `riskverkstad demo`), or this test fails.

use riskverkstad_core::model::System;
use riskverkstad_core::store::{Read, SCHEMA_VERSION, Store};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn fixture(version: usize) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-v{version}.db"))
}

fn schema(store: &Store) -> BTreeSet<String> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

fn user_version(store: &Store) -> usize {
    store.conn().pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap() as usize
}

#[test]
fn an_empty_database_migrates_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("ny.db")).unwrap();
    assert_eq!(user_version(&store), SCHEMA_VERSION);
    assert!(schema(&store).iter().any(|s| s.starts_with("table system:")));
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn every_earlier_schema_version_upgrades_with_its_data_intact() {
    let fresh = Store::open_in_memory().unwrap();
    for version in 1..=SCHEMA_VERSION {
        let source = fixture(version);
        assert!(source.is_file(), "fixture for schema version {version} is missing: {}", source.display());
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("gammal.db");
        std::fs::copy(&source, &copy).unwrap();
        let raw = rusqlite::Connection::open(&copy).unwrap();
        let before = raw.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap();
        let systems = raw.query_row("SELECT count(*) FROM system", [], |r| r.get::<_, i64>(0)).unwrap() as u64;
        drop(raw);
        // v1–v3: the 8-system demo; v4 adds a department's 3 systems imported from a bundle;
        // v5 is v4 opened by that version with one system given an extra attribute (a column
        // of a department's Excel list kept by a register import); v6 is v5 after
        // `riskverkstad backup verify` (a restore test recorded in the local state); v7 is v6
        // opened by that version with one requirement assessed, with how and evidence; v8 is v7
        // opened by that version with the trusted department given its förvaltning
        // (`riskverkstad trust set Socialförvaltningen --forvaltning Socialförvaltningen
        // --compared-by "Eva Samordnare"`); v9 is v8 after a register import of one row that
        // gives Ekonomisystem's dependency on Katalogtjänst its criticality ("Katalogtjänst:
        // Helt verksamhetskritiskt (fil)"); v10 is v9 opened by that version (which gave it the
        // default recipients of incident reports) with one betydande incident on the first
        // Ekonomisystem and its early warning marked sent to CERT-SE; v11 is v10 opened by that
        // version with that incident marked suspected deliberate (`records set incident …
        // malicious=ja`); v12 is v11 opened by that version (which gave it the built-in kinds of
        // control and marked its baseline requirements) with an access review set up on the
        // first Ekonomisystem and done once, and an exception from K-09 until 2027-06-30; v13
        // is v12 opened by that version (whose audit log keeps what changed) with
        // Bibliotekssystem's description changed and an action made and undone, so that its log
        // holds whole-record entries and change entries, both checked below.
        assert_eq!(systems, if version >= 4 { 11 } else { 8 }, "fixture {}", source.display());
        assert_eq!(before as usize, version, "fixture {} claims another version", source.display());

        let store = Store::open(&copy).unwrap();
        assert_eq!(user_version(&store), SCHEMA_VERSION, "from version {version}");
        // A backup of the old version was made before the upgrade, and it is that version.
        let backups = riskverkstad_core::backup::list_for(&store).unwrap();
        if version < SCHEMA_VERSION {
            assert_eq!(backups.len(), 1, "from version {version}: {backups:?}");
            assert_eq!(backups[0].reason, riskverkstad_core::backup::BackupReason::Migrering);
            let kept = riskverkstad_core::backup::folder_for(&store).unwrap().join(&backups[0].file_name);
            let raw = rusqlite::Connection::open(&kept).unwrap();
            let v: i64 = raw.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
            assert_eq!(v as usize, version, "the backup is of the old version");
        } else {
            assert!(backups.is_empty(), "no upgrade, no backup: {backups:?}");
        }
        assert_eq!(store.restore_tested().unwrap().is_some(), version >= 6, "from version {version}");
        assert_eq!(
            schema(&store),
            schema(&fresh),
            "upgrading from version {version} gives another schema than a new database"
        );
        assert_eq!(store.count::<System>().unwrap(), systems, "the fixture's systems survive");
        let graded = store
            .list::<riskverkstad_core::model::Dependency>()
            .unwrap()
            .into_iter()
            .filter(|d| d.criticality == Some(riskverkstad_core::model::DependencyCriticality::Helt))
            .count();
        assert_eq!(graded, usize::from(version >= 9), "from version {version}: criticality starts empty");
        let extras: usize = store.list::<System>().unwrap().iter().map(|s| s.extra.len()).sum();
        assert_eq!(extras, usize::from(version >= 5), "from version {version}: extra attributes start empty");
        let evidence: Vec<_> = store
            .list::<riskverkstad_core::model::RequirementStatus>()
            .unwrap()
            .into_iter()
            .filter(|r| !r.evidence.is_empty())
            .collect();
        // v7's one assessment with evidence; v12's access review evidenced K-08 and K-03 too.
        let by_hand: Vec<_> = evidence.iter().filter(|r| !r.evidence.starts_with("Kontrollmoment")).collect();
        assert_eq!(by_hand.len(), usize::from(version >= 7), "from version {version}: evidence starts empty");
        assert!(by_hand.iter().all(|r| r.how == "Personliga konton i AD" && r.assessed_on.is_some()));
        assert_eq!(evidence.len() - by_hand.len(), if version >= 12 { 2 } else { 0 }, "from version {version}");
        // Keys trusted before roles existed become departments answering for nothing but what
        // they made: the safe default, widened by the receiver.
        let trusted = riskverkstad_core::exchange::trust_list(&store).unwrap();
        assert_eq!(trusted.len(), usize::from(version >= 4), "from version {version}");
        for t in &trusted {
            assert_eq!(t.terms.role, riskverkstad_core::exchange::SenderRole::Avdelning);
            let expected: Vec<String> = if version >= 8 { vec!["Socialförvaltningen".into()] } else { vec![] };
            assert_eq!(t.terms.forvaltningar, expected, "from version {version}");
            assert_eq!(t.compared_at.is_some(), version >= 8, "from version {version}");
        }
        // Every upgraded database has the default recipients of incident reports, once
        // (audited like any change), and the incidents it had.
        let recipients = store.list::<riskverkstad_core::model::Recipient>().unwrap();
        assert_eq!(recipients.len(), 4, "from version {version}");
        assert!(recipients.iter().any(|r| r.name.starts_with("CERT-SE")));
        assert_eq!(store.count::<riskverkstad_core::model::Incident>().unwrap(), u64::from(version >= 10));
        assert_eq!(store.count::<riskverkstad_core::model::IncidentReport>().unwrap(), u64::from(version >= 10));
        let deliberate = store
            .list::<riskverkstad_core::model::Incident>()
            .unwrap()
            .into_iter()
            .filter(|i| i.malicious == riskverkstad_core::model::Answer::Ja)
            .count();
        assert_eq!(deliberate, usize::from(version >= 11), "from version {version}: not yet known until answered");
        // Every upgraded database has the built-in kinds of control and its baseline, once.
        use riskverkstad_core::model::{Control, ControlKind, ControlRun, Exception, Requirement};
        assert_eq!(store.count::<ControlKind>().unwrap(), 5, "from version {version}");
        let baseline = store.list::<Requirement>().unwrap().into_iter().filter(|r| r.baseline).count();
        assert_eq!(baseline, 8, "from version {version}: the baseline of the built-in catalogue");
        assert_eq!(store.count::<Control>().unwrap(), u64::from(version >= 12));
        assert_eq!(store.count::<ControlRun>().unwrap(), u64::from(version >= 12));
        assert_eq!(store.count::<Exception>().unwrap(), u64::from(version >= 12));
        let described =
            store.list::<System>().unwrap().into_iter().filter(|s| s.description.contains("i drift sedan 2019"));
        assert_eq!(described.count(), usize::from(version >= 13), "from version {version}");
        let log = store.audit_log(None).unwrap();
        let whole = log.iter().filter(|e| e.format == 1).count();
        assert!(whole > 100, "from version {version}: the demo's entries are kept as they were written");
        let changes =
            log.iter().filter(|e| e.format == 2 && (e.action == "Ändra system" || e.action.contains("Ny åtgärd")));
        assert_eq!(changes.count(), if version >= 13 { 3 } else { 0 }, "from version {version}");
        let report = store.check().unwrap();
        assert!(report.is_sound(), "from version {version}: {:?}", report.problems);
        drop(store);
        let again = Store::open(&copy).unwrap();
        assert_eq!(again.count::<riskverkstad_core::model::Recipient>().unwrap(), 4, "seeded once, not on every open");
        assert_eq!(again.count::<riskverkstad_core::model::ControlKind>().unwrap(), 5, "seeded once");
    }
}
