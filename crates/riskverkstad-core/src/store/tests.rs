use super::*;
use crate::ids::*;
use crate::method::Aspect;
use crate::model::*;

fn forvaltning(store: &mut Store) -> ForvaltningId {
    store
        .write("test", |w| {
            let org = w.insert(Organisation { name: "Testkommun".into(), ..Default::default() })?;
            Ok(w.insert(Forvaltning {
                organisation_id: org.id,
                name: "Socialförvaltningen".into(),
                short_name: "SOC".into(),
                ..Default::default()
            })?
            .id)
        })
        .unwrap()
}

fn system(store: &mut Store, f: ForvaltningId, name: &str) -> System {
    store
        .write("Nytt system", |w| w.insert(System { name: name.into(), forvaltning_id: f, ..Default::default() }))
        .unwrap()
}

#[test]
fn every_record_kind_maps_onto_its_table_column_by_column() {
    let store = Store::open_in_memory().unwrap();
    macro_rules! check {
        ($t:ty) => {{
            let table = <$t as Record>::TABLE;
            let mut stmt = store.conn().prepare(&format!("PRAGMA table_info({table})")).unwrap();
            let cols: Vec<String> = stmt.query_map([], |r| r.get(1)).unwrap().map(|c| c.unwrap()).collect();
            let expected: Vec<String> = records::META_COLUMNS
                .iter()
                .chain(<$t as Record>::COLUMNS.iter())
                .map(|(c, _)| c.to_string())
                .collect();
            assert_eq!(cols, expected, "table {table} and type {} disagree", stringify!($t));
        }};
    }
    crate::for_each_record!(check);
}

#[test]
fn a_new_database_holds_the_method_and_the_catalogues() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.method().number, 1);
    assert_eq!(store.method().definition, crate::method::Method::default_klassa());
    assert!(store.count::<Requirement>().unwrap() >= 40);
    assert!(store.count::<Threat>().unwrap() >= 38);
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    assert!(report.audit_entries > 80);
}

#[test]
fn records_round_trip_with_ids_origin_and_revision() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    assert_eq!(s.id.uuid().get_version_num(), 7);
    assert_eq!(s.revision, 1);
    assert_eq!(s.origin, store.installation().id);
    let back: System = store.get(s.id).unwrap();
    assert_eq!(back, s);
}

#[test]
fn an_update_bumps_the_revision_and_is_audited_with_before_and_after() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    let mut changed = s.clone();
    changed.mfa = Some(true);
    let saved = store.write("Ändra system", |w| w.update(changed)).unwrap();
    assert_eq!(saved.revision, 2);
    assert_eq!(saved.created_at, s.created_at);
    let log = store.audit_log(Some(&s.id.to_string())).unwrap();
    assert_eq!(log.iter().map(|e| e.operation.as_str()).collect::<Vec<_>>(), ["insert", "update"]);
    assert_eq!(log[0].before, None, "an insert keeps no copy of the record");
    assert_eq!(log[0].after, None);
    assert_eq!(log[0].state.as_deref().map(str::len), Some(64), "but its hash");
    let before: serde_json::Value = serde_json::from_str(log[1].before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(log[1].after.as_deref().unwrap()).unwrap();
    assert_eq!(before, serde_json::json!({"mfa": null, "revision": 1, "updated_at": s.updated_at}));
    assert_eq!(after, serde_json::json!({"mfa": true, "revision": 2, "updated_at": saved.updated_at}));
    assert_eq!(log[1].state, Some(audit::state_hash(&records::to_object(&saved).unwrap())));
    assert_eq!(log[1].action, "Ändra system");
    assert!(!log[1].actor.is_empty());
}

#[test]
fn an_unchanged_record_is_not_written_again() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    let before = store.audit_log(None).unwrap().len();
    let same = store.write("Spara", |w| w.update(s.clone())).unwrap();
    assert_eq!(same.revision, 1);
    assert_eq!(store.audit_log(None).unwrap().len(), before);
}

#[test]
fn a_stale_revision_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    let mut a = s.clone();
    a.description = "första".into();
    store.write("a", |w| w.update(a)).unwrap();
    let mut b = s;
    b.description = "andra".into();
    let e = store.write("b", |w| w.update(b)).unwrap_err();
    assert!(matches!(e, Error::StaleRevision { expected: 1, found: 2, .. }), "{e}");
}

#[test]
fn a_failing_action_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let log_before = store.audit_log(None).unwrap().len();
    let e = store
        .write("Två system", |w| {
            w.insert(System { name: "Första".into(), forvaltning_id: f, ..Default::default() })?;
            w.insert(System { name: "  ".into(), forvaltning_id: f, ..Default::default() })
        })
        .unwrap_err();
    assert!(matches!(e, Error::Invalid(ref i) if i.field == "systemnamn"), "{e}");
    assert_eq!(store.count::<System>().unwrap(), 0);
    assert_eq!(store.audit_log(None).unwrap().len(), log_before);
}

#[test]
fn references_to_missing_records_are_refused_in_swedish() {
    let mut store = Store::open_in_memory().unwrap();
    let e = store
        .write("x", |w| {
            w.insert(System {
                name: "X".into(),
                forvaltning_id: ForvaltningId(uuid::Uuid::now_v7()),
                ..Default::default()
            })
        })
        .unwrap_err();
    assert!(matches!(e, Error::Reference { .. }), "{e}");
    assert!(e.to_string().contains("Systemet"));
}

#[test]
fn a_deletion_leaves_a_tombstone_and_referenced_records_stay() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    assert!(matches!(store.write("x", |w| w.delete::<Forvaltning>(f)).unwrap_err(), Error::Reference { .. }));
    store.write("Ta bort system", |w| w.delete::<System>(s.id)).unwrap();
    assert!(store.find::<System>(s.id).unwrap().is_none());
    let n: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM tombstone WHERE record_id = ?1", [s.id.to_string()], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn the_check_finds_a_changed_audit_entry_a_changed_record_and_a_removed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut store = Store::open(&path).unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    assert!(store.check().unwrap().is_sound());

    store.conn().execute("UPDATE system SET name = 'Smygändrat' WHERE id = ?1", [s.id.to_string()]).unwrap();
    let r = store.check().unwrap();
    assert!(
        r.problems.iter().any(|p| p.contains(&s.id.to_string()) && p.contains("utanför Riskverkstad")),
        "{:?}",
        r.problems
    );
    store.conn().execute("UPDATE system SET name = 'Ekonomisystem' WHERE id = ?1", [s.id.to_string()]).unwrap();
    assert!(store.check().unwrap().is_sound());

    store.conn().execute("UPDATE audit_log SET actor = 'någon annan' WHERE seq = 3", []).unwrap();
    let r = store.check().unwrap();
    assert!(r.problems.iter().any(|p| p.contains("post 3 har ändrats")), "{:?}", r.problems);
    drop(store);

    let mut store = Store::open(&path).unwrap();
    let last: i64 = store.conn().query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0)).unwrap();
    store.conn().execute("DELETE FROM audit_log WHERE seq = ?1", [last - 1]).unwrap();
    store.set_actor("test");
    let r = store.check().unwrap();
    assert!(r.problems.iter().any(|p| p.contains("saknas")), "{:?}", r.problems);
}

#[test]
fn the_check_finds_a_change_outside_in_a_field_the_log_entry_does_not_name() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    store.write("Ändra system", |w| w.update(System { mfa: Some(true), ..s.clone() })).unwrap();
    assert!(store.check().unwrap().is_sound());
    // The last entry names only mfa, revision and time; the record's hash covers the rest.
    store.conn().execute("UPDATE system SET description = 'Smygändrat' WHERE id = ?1", [s.id.to_string()]).unwrap();
    let r = store.check().unwrap();
    assert!(r.problems.iter().any(|p| p.contains(&s.id.to_string()) && p.contains("utanför")), "{:?}", r.problems);
    store.conn().execute("UPDATE system SET description = '' WHERE id = ?1", [s.id.to_string()]).unwrap();
    assert!(store.check().unwrap().is_sound());
    // A record written straight into its table, with no entry at all.
    let ghost = System { name: "Spöke".into(), ..s.clone() };
    let mut obj = records::to_object(&ghost).unwrap();
    obj.insert("id".into(), serde_json::Value::String(uuid::Uuid::now_v7().to_string()));
    records::insert_object::<System>(store.conn(), &obj).unwrap();
    let r = store.check().unwrap();
    assert!(r.problems.iter().any(|p| p.contains("saknas i granskningsloggen")), "{:?}", r.problems);
}

#[test]
fn a_records_hash_leaves_out_null_fields_only_so_a_nullable_column_added_keeps_it() {
    let with = serde_json::json!({"b": "x", "a": {"z": 1, "y": [2, {"q": null}]}, "new": null});
    let without = serde_json::json!({"a": {"y": [2, {"q": null}], "z": 1}, "b": "x"});
    let (with, without) = (with.as_object().unwrap(), without.as_object().unwrap());
    assert_eq!(audit::state_hash(with), audit::state_hash(without), "key order and null fields do not count");
    // Every other value counts: "unknown" is not "no", "none" or "empty".
    let mut seen = std::collections::HashSet::new();
    for v in [
        serde_json::json!(false),
        serde_json::json!(0),
        serde_json::json!(""),
        serde_json::json!([]),
        serde_json::json!({}),
    ] {
        let mut changed = without.clone();
        changed.insert("new".into(), v.clone());
        let h = audit::state_hash(&changed);
        assert_ne!(h, audit::state_hash(without), "{v} counts");
        assert!(seen.insert(h), "{v} hashes apart from the others");
    }
    let nested = serde_json::json!({"a": {"y": [2, {}], "z": 1}, "b": "x"});
    assert_ne!(audit::state_hash(nested.as_object().unwrap()), audit::state_hash(without), "null counts inside");
}

#[test]
fn the_check_finds_an_unknown_answer_changed_to_no_and_an_empty_list_to_another_kind() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    assert_eq!(s.mfa, None);
    for (sql, what) in [
        ("UPDATE system SET mfa = 0 WHERE id = ?1", "unknown → no"),
        ("UPDATE system SET aliases = '{}' WHERE id = ?1", "[] → {}"),
        ("UPDATE system SET pm3_object = '' WHERE id = ?1", "NULL → ''"),
    ] {
        let before: Vec<(String, Option<String>)> = store
            .conn()
            .query_row("SELECT mfa, aliases, pm3_object FROM system WHERE id = ?1", [s.id.to_string()], |r| {
                Ok(vec![
                    ("mfa".to_string(), r.get::<_, Option<i64>>(0)?.map(|v| v.to_string())),
                    ("aliases".to_string(), r.get(1)?),
                    ("pm3_object".to_string(), r.get(2)?),
                ])
            })
            .unwrap();
        store.conn().execute(sql, [s.id.to_string()]).unwrap();
        let r = store.check().unwrap();
        assert!(r.problems.iter().any(|p| p.contains(&s.id.to_string())), "{what}: {:?}", r.problems);
        for (col, v) in before {
            store
                .conn()
                .execute(&format!("UPDATE system SET {col} = ?2 WHERE id = ?1"), rusqlite::params![s.id.to_string(), v])
                .unwrap();
        }
        assert!(store.check().unwrap().is_sound(), "{what}: put back");
    }
}

#[test]
fn a_row_hashed_in_place_hashes_as_its_object_form_for_every_kind() {
    let mut store = Store::open_in_memory().unwrap();
    crate::demo::build(&mut store, &crate::demo::DemoConfig { systems: 30, seed: 5, ..Default::default() }).unwrap();
    let mut kinds = 0;
    macro_rules! same {
        ($t:ty) => {{
            let table = <$t as Record>::TABLE;
            let mut hasher = records::RowHasher::new::<$t>();
            let mut rows = 0;
            records::scan::<$t>(store.conn(), |id, row| {
                let (_, obj) = records::row_object::<$t>(row)?;
                assert_eq!(hasher.hash(table, &id, row)?, audit::state_hash(&obj), "{table} {id}");
                rows += 1;
                Ok(())
            })
            .unwrap();
            kinds += usize::from(rows > 0);
        }};
    }
    crate::for_each_record!(same);
    assert!(kinds >= 30, "the demo fills most kinds ({kinds})");
}

#[test]
fn a_systems_history_holds_the_records_around_it_created_changed_and_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    let other = system(&mut store, f, "Lönesystem");
    let action = store
        .write("Ny åtgärd", |w| {
            w.insert(Action { title: "Inför MFA".into(), system_id: Some(s.id), ..Default::default() })
        })
        .unwrap();
    let dep = store
        .write("Nytt beroende", |w| {
            w.insert(Dependency { system_id: other.id, depends_on_system_id: Some(s.id), ..Default::default() })
        })
        .unwrap();
    store.write("Ta bort beroende", |w| w.delete::<Dependency>(dep.id)).unwrap();
    let history = store.audit_log_mentioning(&s.id.to_string()).unwrap();
    let seen: Vec<(&str, &str)> = history.iter().map(|e| (e.record_table.as_str(), e.operation.as_str())).collect();
    assert_eq!(
        seen,
        [("system", "insert"), ("action", "insert"), ("dependency", "insert"), ("dependency", "delete")],
        "the other system's creation is not in it"
    );
    assert!(history.iter().any(|e| e.record_id == action.id.to_string()));
}

#[test]
fn undo_of_a_creation_after_a_later_change_was_undone() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Procapita");
    store.write("Ändra system", |w| w.update(System { name: "Lifecare".into(), ..s.clone() })).unwrap();
    store.undo().unwrap();
    let back: System = store.get(s.id).unwrap();
    assert_eq!((back.name.as_str(), back.revision), ("Procapita", 3), "content as created, revision moved on");
    assert_eq!(store.undo().unwrap(), "Nytt system");
    assert!(store.find::<System>(s.id).unwrap().is_none());
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn a_newer_schema_is_refused_with_both_versions_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let e = Store::open(&path).err().unwrap();
    let text = e.to_string();
    assert!(text.contains("99") && text.contains(&SCHEMA_VERSION.to_string()), "{text}");
    assert_eq!(e.code(), "schema_too_new");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let content = b"Det h\xc3\xa4r \xc3\xa4r ingen databas, bara text som r\xc3\xa5kar heta .db\n".repeat(200);
    std::fs::write(&path, &content).unwrap();
    let e = Store::open(&path).err().unwrap();
    assert_eq!(e.code(), "not_a_database", "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), content);
    assert!(!dir.path().join("notes.db-wal").exists());
}

#[test]
fn a_missing_file_is_not_created_by_open_existing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.db");
    assert_eq!(Store::open_existing(&path).err().unwrap().code(), "open");
    assert!(!path.exists());
}

#[test]
fn a_new_method_version_leaves_earlier_assessments_as_they_were() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Ekonomisystem");
    let v1 = store.method().id;
    store
        .write("Klassa", |w| {
            let set = w.insert(InformationSet { name: "Fakturor".into(), ..Default::default() })?;
            w.insert(SystemInformationSet { system_id: s.id, information_set_id: set.id, ..Default::default() })?;
            w.insert(Classification {
                information_set_id: set.id,
                method_version_id: v1,
                status: ClassificationStatus::Utkast,
                assessments: vec![AspectAssessment {
                    aspect: Aspect::K,
                    level: 2,
                    motivering: "Betydande skada".into(),
                    areas: vec![],
                }],
                classified_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                ..Default::default()
            })
        })
        .unwrap();
    let mut renamed = store.method().definition.clone();
    renamed.classification_scales[0].levels[2].name = "Konfidentiell".into();
    let v2 = store.write("Ändra metod", |w| w.add_method_version(renamed, "Egna namn för K")).unwrap();
    assert_eq!(v2.number, 2);
    assert_eq!(store.method().id, v2.id);
    let p = crate::gather::system_profile(&store, &store.method().definition, s.id).unwrap();
    let k = &p.aspects[0];
    assert_eq!(k.level, Some(2));
    assert!(k.earlier_scale, "shown as made under an earlier scale");
    // Reopening keeps the newest version in force.
    let mut bad = store.method().definition.clone();
    bad.risk_matrix.bands.clear();
    assert!(matches!(store.write("x", |w| w.add_method_version(bad, "trasig")).unwrap_err(), Error::InvalidMethod(_)));
}

#[test]
fn a_level_outside_the_scale_and_a_missing_motivation_are_refused() {
    let mut store = Store::open_in_memory().unwrap();
    let v = store.method().id;
    let mut c = Classification {
        method_version_id: v,
        assessments: vec![AspectAssessment { aspect: Aspect::T, level: 7, motivering: "x".into(), areas: vec![] }],
        ..Default::default()
    };
    let set = store.write("s", |w| w.insert(InformationSet { name: "S".into(), ..Default::default() })).unwrap();
    c.information_set_id = set.id;
    let e = store.write("k", |w| w.insert(c.clone())).unwrap_err();
    assert!(e.to_string().contains("nivå 7 finns inte"), "{e}");
    c.assessments[0].level = 2;
    c.assessments[0].motivering = "".into();
    assert!(store.write("k", |w| w.insert(c.clone())).unwrap_err().to_string().contains("motivering"));
    c.assessments[0].motivering = "ok".into();
    c.assessments[0].areas = vec![AreaAssessment { area: "ekonomi".into(), level: 3 }];
    assert!(store.write("k", |w| w.insert(c.clone())).unwrap_err().to_string().contains("värsta"));
}

#[test]
fn undo_reverses_the_last_action_and_repeated_undo_walks_back() {
    let mut store = Store::open_in_memory().unwrap();
    assert!(store.undo_target().unwrap().is_none(), "a new database has nothing to undo");
    assert!(matches!(store.undo(), Err(Error::Undo(_))));
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Procapita");
    let renamed = store.write("Ändra system", |w| w.update(System { name: "Lifecare".into(), ..s.clone() })).unwrap();
    assert_eq!(store.undo_target().unwrap().unwrap().action, "Ändra system");

    assert_eq!(store.undo().unwrap(), "Ändra system");
    let back: System = store.get(s.id).unwrap();
    assert_eq!(back.name, "Procapita");
    assert_eq!(back.revision, renamed.revision + 1, "undo is a new revision, never a rewind");

    assert_eq!(store.undo().unwrap(), "Nytt system", "the second undo skips the undone change");
    assert!(store.find::<System>(s.id).unwrap().is_none());
    assert_eq!(store.undo().unwrap(), "test");
    assert_eq!(store.count::<Forvaltning>().unwrap(), 0);
    assert!(matches!(store.undo(), Err(Error::Undo(_))), "then only the creation of the database is left");
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
}

#[test]
fn undo_of_a_deletion_brings_the_record_back_with_its_id_and_no_tombstone() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Procapita");
    store.write("Ta bort system", |w| w.delete::<System>(s.id)).unwrap();
    store.undo().unwrap();
    let back: System = store.get(s.id).unwrap();
    assert_eq!((back.name.as_str(), back.origin, back.created_at), ("Procapita", s.origin, s.created_at));
    assert_eq!(back.revision, 2);
    let tombstones: i64 = store.conn().query_row("SELECT count(*) FROM tombstone", [], |r| r.get(0)).unwrap();
    assert_eq!(tombstones, 0);
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn undo_is_refused_when_a_record_changed_since_and_nothing_is_written() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let s = system(&mut store, f, "Procapita");
    let a = store.write("Ändra system", |w| w.update(System { name: "A".into(), ..s.clone() })).unwrap();
    // Another action on the same record, then undone: the first change is now the target
    // and the record is as that change left it.
    store.write("Ändra system", |w| w.update(System { name: "B".into(), ..a.clone() })).unwrap();
    store.undo().unwrap();
    // A write outside the audit trail's expectations: simulate a concurrent change by
    // making the record differ from what the target left behind.
    let current: System = store.get(s.id).unwrap();
    assert_eq!(current.name, "A");
    store.conn().execute("UPDATE system SET name = 'C' WHERE id = ?1", [s.id.to_string()]).unwrap();
    let log_before = store.audit_log(None).unwrap().len();
    let err = store.undo().unwrap_err();
    assert!(err.to_string().contains("har ändrats efter"), "{err}");
    assert_eq!(store.audit_log(None).unwrap().len(), log_before);
}

#[test]
fn a_new_method_version_is_not_undone() {
    let mut store = Store::open_in_memory().unwrap();
    let mut m = store.method().definition.clone();
    m.traceability_enabled = !m.traceability_enabled;
    store.write("Ny metodversion", |w| w.add_method_version(m, "test")).unwrap();
    let err = store.undo().unwrap_err();
    assert!(err.to_string().contains("metodversion"), "{err}");
    assert_eq!(store.method().number, 2);
    let target = store.undo_target().unwrap().unwrap();
    assert!(target.refused.is_some(), "the UI is told before the user tries");
}

#[test]
fn undo_expecting_refuses_when_the_newest_change_is_another_than_shown() {
    let mut store = Store::open_in_memory().unwrap();
    let f = forvaltning(&mut store);
    let shown = store.undo_target().unwrap().unwrap();
    system(&mut store, f, "Procapita");
    assert!(matches!(store.undo_expecting(shown.first_seq), Err(Error::Undo(_))));
    assert_eq!(store.count::<System>().unwrap(), 1, "nothing was undone");
    let now = store.undo_target().unwrap().unwrap();
    assert_eq!(store.undo_expecting(now.first_seq).unwrap(), "Nytt system");
}
