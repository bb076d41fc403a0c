//! Every record kind takes part in everything a record must (docs/ARCHITECTURE.md, "A new
//! record kind"): this test walks the one registration, `for_each_record!`, and proves for each
//! kind that
//!
//! 1. the schema has its table, with its columns, and every record table of the schema is
//!    registered (a migration without a registration, or the reverse, fails here);
//! 2. the fixture holds at least one record of it (a new kind needs one, below);
//! 3. a change is written with its audit entry, `check` compares the record with the log (a
//!    change behind the log's back is found) and undo reverses the change — or, for the kinds
//!    the domain freezes, undo refuses;
//! 4. it travels in a bundle: exported, imported into another installation, and a later
//!    change arrives as a change whose every field has its Swedish name;
//! 5. every field has a Swedish name.
//!
//! The bindings' side (a TypeScript type per kind) is checked in src-tauri's bindings test.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use riskverkstad_core::exchange::{self, ChangeKind, Limits, PublicKey, Scope};
use riskverkstad_core::ids::Timestamp;
use riskverkstad_core::model::*;
use riskverkstad_core::record::{META_COLUMNS, Record, swedish_name};
use riskverkstad_core::store::{Read, Store};
use riskverkstad_core::{demo, ops};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The tables of the schema that are not records: the log, the exchange's bookkeeping,
/// archived documents and installation-local state.
const NOT_RECORDS: &[&str] = &[
    "attestation",
    "attestation_batch",
    "audit_log",
    "conflict",
    "decision_document",
    "exchange_allowance",
    "id_alias",
    "identity",
    "installation",
    "installation_key",
    "local_state",
    "peer",
    "received_change",
    "record_version",
    "tombstone",
    "trusted_key",
];

/// How a test changes one record of each kind: a valid change of a field people edit. A kind
/// the domain freezes (method versions, decided documents) is changed by nobody.
fn change(table: &str, obj: &mut Map<String, Value>, other: &dyn Fn(&str) -> Option<String>) -> bool {
    let appended =
        |field: &str| Value::String(format!("{} (ändrad)", obj.get(field).and_then(Value::as_str).unwrap_or_default()));
    let text = |t: &str| Value::String(t.to_string());
    let (field, value) = match table {
        "organisation" | "forvaltning" | "unit" | "person" | "external_party" => ("name", appended("name")),
        "system" | "information_set" | "requirement" | "threat" => ("description", appended("description")),
        "role_assignment" => ("role", text("verksamhetsansvarig")),
        "dependency" => ("description", text("Ändrat beroende")),
        "system_information_set" => ("information_set_id", text(&other("information_set").unwrap())),
        "classification" => ("participants", Value::Array(vec![text("Ny deltagare")])),
        "protection_raise" => ("motivering", appended("motivering")),
        "requirement_status" => ("how", text("Ändrat sätt")),
        "risk_analysis" => ("scope", appended("scope")),
        "risk" => ("treatment_description", text("Ändrad behandling")),
        "action" => ("description", text("Ändrad åtgärd")),
        "action_link" => ("risk_id", text(&other("risk").unwrap())),
        "incident" => ("lessons", appended("lessons")),
        "incident_link" => ("system_id", text(&other("system").unwrap())),
        "recipient" => ("address", appended("address")),
        "incident_report" => ("reference", appended("reference")),
        "control_kind" => ("description", appended("description")),
        "control" => ("method", text("Ändrad metod")),
        "control_run" => ("note", appended("note")),
        "exception" => ("compensating", appended("compensating")),
        "extra_requirement" => ("note", appended("note")),
        "security_plan" => ("access_profiles", appended("access_profiles")),
        // Frozen by the domain: a method version is never changed, a decided document never.
        "method_version" | "decision" => return false,
        other => panic!(
            "tests/record_kinds.rs does not know how a «{other}» record is changed: add it to change() (and a record of it to fixture() if the demo has none)"
        ),
    };
    obj.insert(field.to_string(), value);
    true
}

/// An installation with its key in `dir`, holding at least one record of every kind: the demo
/// municipality, and what the demo does not make.
fn fixture(dir: &std::path::Path, name: &str) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.set_key_path(dir.join(format!("{name}.id_ed25519")));
    demo::build(&mut s, &demo::DemoConfig { systems: 12, seed: 5, ..Default::default() }).unwrap();
    // A raise of a classified system above its information (ackumulering).
    let profiles = riskverkstad_core::gather::all_profiles(&s).unwrap();
    let (system, aspect) = profiles
        .iter()
        .find_map(|(id, p)| p.aspects.iter().find(|a| a.level.is_some_and(|l| l < 3)).map(|a| (*id, a.aspect)))
        .unwrap();
    ops::raise_protection(
        &mut s,
        ProtectionRaise {
            system_id: system,
            aspect,
            level: 3,
            reason: RaiseReason::Ackumulering,
            motivering: "Stora mängder samlade".into(),
            ..Default::default()
        },
    )
    .unwrap();
    exchange::init_identity(&mut s, name).unwrap();
    s
}

fn tables_of_schema(store: &Store) -> BTreeSet<String> {
    let mut stmt = store.conn().prepare("SELECT name FROM sqlite_master WHERE type = 'table'").unwrap();
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect();
    names.into_iter().filter(|n| !n.starts_with("sqlite_") && !NOT_RECORDS.contains(&n.as_str())).collect()
}

fn object<R: Record>(r: &R) -> Map<String, Value> {
    match serde_json::to_value(r).unwrap() {
        Value::Object(m) => m,
        _ => unreachable!("records serialise as objects"),
    }
}

/// The id of a record of `table` other than those in `not`, for changes that point elsewhere.
fn another(store: &Store, table: &str, not: &[String]) -> Option<String> {
    let mut stmt = store.conn().prepare(&format!("SELECT id FROM {table} ORDER BY id")).unwrap();
    let ids: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect();
    ids.into_iter().find(|id| !not.contains(id))
}

/// Changes the first record of `R` that `change` knows how to change through the store, as one
/// user action. Returns the record before and after, or `None` for a frozen kind.
fn change_one<R: Record>(store: &mut Store) -> Option<(R, R)> {
    for before in store.list::<R>().unwrap() {
        let mut obj = object(&before);
        let current: Vec<String> = obj.values().filter_map(|v| v.as_str().map(str::to_string)).collect();
        let pick = |table: &str| another(store, table, &current);
        if !change(R::TABLE, &mut obj, &pick) {
            return None;
        }
        let changed: R = serde_json::from_value(Value::Object(obj)).unwrap();
        // A change the domain refuses for this record (a link that would be a duplicate, say)
        // is tried on the next one.
        if let Ok(after) = store.write(&format!("Test: ändra {}", R::TABLE), |w| w.update(changed)) {
            return Some((before, after));
        }
    }
    panic!("no record of {} could be changed; the fixture needs one that can", R::TABLE)
}

/// 2, 3 and 5 for one kind.
fn takes_part_locally<R: Record>(store: &mut Store) {
    let table = R::TABLE;
    let records = store.list::<R>().unwrap();
    assert!(!records.is_empty(), "the fixture has no {table} record: add one to fixture() in tests/record_kinds.rs");

    for (column, _) in META_COLUMNS.iter().chain(R::COLUMNS) {
        let name = swedish_name(column);
        assert!(name.is_some_and(|n| !n.is_empty() && n != *column), "{table}.{column} has no Swedish name");
    }

    let Some((before, after)) = change_one::<R>(store) else {
        // A frozen kind: undo refuses a change of it (its record came with the demo).
        return;
    };
    assert_eq!(after.revision(), before.revision() + 1, "{table}: a change takes the next revision");
    let log = store.audit_log(Some(&after.id().to_string())).unwrap();
    assert!(
        log.iter().any(|e| e.record_table == table && e.action == format!("Test: ändra {table}")),
        "{table}: the change has its audit entry"
    );
    let report = store.check().unwrap();
    assert!(report.is_sound(), "{table}: {:?}", report.problems);

    // A change behind the log's back is found by the check, per table.
    let id = after.id().to_string();
    store
        .conn()
        .execute(&format!("UPDATE {table} SET updated_at = '2001-01-01T00:00:00.000000Z' WHERE id = ?1"), [&id])
        .unwrap();
    let tampered = store.check().unwrap();
    assert!(
        tampered.problems.iter().any(|p| p.contains(table) || p.contains(&id)),
        "{table}: a record changed behind the log's back is not found: {:?}",
        tampered.problems
    );
    store
        .conn()
        .execute(&format!("UPDATE {table} SET updated_at = ?1 WHERE id = ?2"), [&after.updated_at().to_string(), &id])
        .unwrap();
    assert!(store.check().unwrap().is_sound(), "{table}: restored");

    // Undo reverses the change as a new user action.
    let undone = store.undo().unwrap();
    assert_eq!(undone, format!("Test: ändra {table}"));
    let back: R = store.get(after.id()).unwrap();
    assert_eq!(
        object(&back).into_iter().filter(|(k, _)| k != "revision" && k != "updated_at").collect::<Map<_, _>>(),
        object(&before).into_iter().filter(|(k, _)| k != "revision" && k != "updated_at").collect::<Map<_, _>>(),
        "{table}: undo restores what was there"
    );
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn every_registered_kind_is_a_table_of_the_schema_and_every_record_table_is_registered() {
    let store = Store::open_in_memory().unwrap();
    let mut registered = BTreeSet::new();
    macro_rules! collect {
        ($t:ty) => {
            registered.insert(<$t as Record>::TABLE.to_string());
        };
    }
    riskverkstad_core::for_each_record!(collect);
    let schema = tables_of_schema(&store);
    let unregistered: Vec<_> = schema.difference(&registered).collect();
    let missing: Vec<_> = registered.difference(&schema).collect();
    assert!(
        unregistered.is_empty(),
        "record tables without a registration in for_each_record! (crates/riskverkstad-domain/src/record.rs), or add them to NOT_RECORDS if they hold no records: {unregistered:?}"
    );
    assert!(missing.is_empty(), "registered kinds without a table (a migration is missing): {missing:?}");
}

#[test]
fn every_kind_is_audited_checked_and_undone_and_every_field_has_a_swedish_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fixture(dir.path(), "Avdelning A");
    macro_rules! walk {
        ($t:ty) => {
            takes_part_locally::<$t>(&mut store);
        };
    }
    riskverkstad_core::for_each_record!(walk);
}

#[test]
fn every_kind_travels_in_a_bundle_and_its_changes_arrive_with_swedish_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = fixture(dir.path(), "Avdelning A");
    let mut b = Store::open_in_memory().unwrap();
    b.set_key_path(dir.path().join("b.id_ed25519"));
    exchange::init_identity(&mut b, "Centralen").unwrap();
    let key = PublicKey::from_openssh(&exchange::identity(&a).unwrap().unwrap().public_key).unwrap();
    exchange::trust_add(&mut b, &key, "Avdelning A", &exchange::TrustTerms::department(&[], "Testaren")).unwrap();

    let first = exchange::export_bundle(&mut a, &Scope::All, None).unwrap();
    let report = exchange::import_bundle(&mut b, &first.bytes, Limits::default(), None).unwrap();
    macro_rules! arrived {
        ($t:ty) => {{
            let table = <$t as Record>::TABLE;
            let sent = a.count::<$t>().unwrap();
            assert_eq!(first.manifest.counts.get(table).copied(), Some(sent), "{table}: every record is exported");
            let counted = report.plan.counts.iter().find(|c| c.table == table);
            let arrived = counted.map(|c| u64::from(c.new + c.matched + c.unchanged)).unwrap_or(0);
            assert_eq!(arrived, sent, "{table}: every record arrives (new, matched or already there): {counted:?}");
        }};
    }
    riskverkstad_core::for_each_record!(arrived);
    assert!(b.check().unwrap().is_sound());

    // A change of each kind at A arrives at B as a change, each field with its Swedish name.
    let mut changed = Vec::new();
    macro_rules! change_at_a {
        ($t:ty) => {
            if let Some((_, after)) = change_one::<$t>(&mut a) {
                changed.push((<$t as Record>::TABLE, after.id().to_string()));
            }
        };
    }
    riskverkstad_core::for_each_record!(change_at_a);
    let second = exchange::export_bundle(&mut a, &Scope::All, None).unwrap();
    let report = exchange::import_bundle(&mut b, &second.bytes, Limits::default(), None).unwrap();
    for (table, id) in &changed {
        let arrived =
            report.plan.changes.iter().find(|c| &c.table == table && (&c.id == id || c.kind == ChangeKind::Matched));
        let Some(c) = arrived else { panic!("{table} {id}: the change did not arrive: {:?}", report.plan.counts) };
        if c.kind == ChangeKind::Matched {
            continue; // reference data matched to B's own record: B's stays, by design
        }
        assert_eq!(c.kind, ChangeKind::Changed, "{table}: {c:?}");
        assert!(!c.fields.is_empty(), "{table}: the changed fields are listed");
        for f in &c.fields {
            assert!(!f.label.is_empty() && f.label != f.field, "{table}.{}: no Swedish name in the plan", f.field);
        }
    }
    assert!(b.check().unwrap().is_sound());
    let _ = Timestamp::now();
}
