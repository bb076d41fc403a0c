use super::*;
use crate::demo::{DemoConfig, build};
use crate::model::{Forvaltning, Organisation, Person, System};
use crate::store::{Read, Store};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// An installation: an in-memory database with its key in `dir`.
fn installation(dir: &std::path::Path, name: &str) -> Store {
    let mut s = Store::open_in_memory().expect("store");
    s.set_key_path(dir.join(format!("{name}.id_ed25519")));
    crate::exchange::init_identity(&mut s, name).expect("identity");
    s
}

/// `sender`'s key trusted by `receiver` as a department answering for Kulturförvaltningen (the
/// förvaltning of [`small_org`]).
fn trust(receiver: &mut Store, sender: &Store, name: &str) {
    trust_on(receiver, sender, name, &TrustTerms::department(&["Kulturförvaltningen"], "Testaren"));
}

/// `sender`'s key trusted by `receiver` as a central office.
fn trust_central(receiver: &mut Store, sender: &Store, name: &str) {
    trust_on(receiver, sender, name, &TrustTerms::central("Testaren"));
}

fn trust_on(receiver: &mut Store, sender: &Store, name: &str, terms: &TrustTerms) {
    let key =
        PublicKey::from_openssh(&crate::exchange::identity(sender).expect("id").expect("id").public_key).expect("key");
    crate::exchange::trust_add(receiver, &key, name, terms).expect("trust");
}

/// `s`'s own bundle opened, its entries edited by `edit` and signed again with `s`'s own key:
/// what a hostile installation can do with a key the receiver trusts.
fn forged(
    s: &mut Store,
    edit: impl FnOnce(&mut riskverkstad_bundle::Manifest, &mut BTreeMap<String, Value>),
) -> Vec<u8> {
    let bytes = export(s);
    let mut opened = riskverkstad_bundle::open(&bytes, Limits::default(), None).expect("open");
    let mut entries: BTreeMap<String, Value> = BTreeMap::new();
    let mut documents = Vec::new();
    for name in opened.names() {
        let content = opened.entry(&name).expect("entry");
        if name.ends_with(".json") {
            entries.insert(name, serde_json::from_slice(&content).expect("json"));
        } else {
            documents.push(riskverkstad_bundle::Entry { name, bytes: content, compress: false });
        }
    }
    let mut manifest = opened.manifest.clone();
    edit(&mut manifest, &mut entries);
    let mut out: Vec<riskverkstad_bundle::Entry> = entries
        .into_iter()
        .map(|(name, v)| riskverkstad_bundle::Entry {
            name,
            bytes: serde_json::to_vec(&v).expect("json"),
            compress: true,
        })
        .collect();
    out.extend(documents);
    let (_, key) = s.read_private_key().expect("key");
    riskverkstad_bundle::write(&manifest, &out, &key, None).expect("write")
}

/// Every system record in a bundle's entries, as JSON to edit.
fn wire_systems(entries: &mut BTreeMap<String, Value>) -> impl Iterator<Item = &mut Value> {
    entries.get_mut("records/system.json").and_then(Value::as_array_mut).into_iter().flatten()
}

/// The data of `s` without what `origin` made: what an honest outcome is judged on.
fn honest(s: &Store, origin: &str) -> BTreeMap<(String, String), Map<String, Value>> {
    data(s).into_iter().filter(|(_, o)| o.get("origin").and_then(Value::as_str) != Some(origin)).collect()
}

fn import(receiver: &mut Store, bytes: &[u8]) -> ImportReport {
    crate::exchange::import_bundle(receiver, bytes, Limits::default(), None).expect("import")
}

fn export(s: &mut Store) -> Vec<u8> {
    crate::exchange::export_bundle(s, &Scope::All, None).expect("export").bytes
}

/// The exchanged data of an installation: every record of the kinds that travel as
/// themselves (not reference data, which is matched), as (table, id) → content without the
/// local `revision`-independent meta… everything, in fact, but only of those kinds.
fn data(s: &Store) -> BTreeMap<(String, String), Map<String, Value>> {
    let mut out = BTreeMap::new();
    for k in kinds().iter().filter(|k| !plan::is_reference(k.table)) {
        for (id, obj) in (k.objects)(s.conn()).expect("objects") {
            out.insert((k.table.to_string(), id), obj);
        }
    }
    out
}

/// [`data`] with references to matched reference data written with the sender's ids again
/// (the centre keeps its own catalogue and method; the records are otherwise identical).
fn seen_from(s: &Store) -> BTreeMap<(String, String), Map<String, Value>> {
    let mut back: HashMap<String, String> = HashMap::new();
    let mut stmt = s.conn().prepare("SELECT foreign_id, local_id FROM id_alias").expect("aliases");
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).expect("rows") {
        let (f, l) = row.expect("row");
        back.insert(l, f);
    }
    data(s)
        .into_iter()
        .map(|(k, mut obj)| {
            for v in obj.values_mut() {
                if let Value::String(text) = v
                    && let Some(f) = back.get(text.as_str())
                {
                    *text = f.clone();
                }
            }
            (k, obj)
        })
        .collect()
}

fn small_org(s: &mut Store) -> (SystemId, PersonId) {
    s.write("test", |w| {
        let org = w.insert(Organisation { name: "Testkommun".into(), ..Default::default() })?;
        let f = w.insert(Forvaltning {
            organisation_id: org.id,
            name: "Kulturförvaltningen".into(),
            short_name: "KUF".into(),
            ..Default::default()
        })?;
        let sys = w.insert(System { name: "Biblioteket".into(), forvaltning_id: f.id, ..Default::default() })?;
        let p = w.insert(Person { name: "Eva Chef".into(), ..Default::default() })?;
        Ok((sys.id, p.id))
    })
    .expect("org")
}

use crate::ids::{PersonId, SystemId};

#[test]
fn a_whole_demo_travels_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "Socialförvaltningen");
    build(&mut a, &DemoConfig { systems: 6, seed: 3, today: None }).expect("demo");
    let mut c = installation(dir.path(), "Centrala säkerhetsfunktionen");
    trust(&mut c, &a, "Socialförvaltningen");
    let bundle = export(&mut a);
    let dry = crate::exchange::plan_import(&c, &bundle, Limits::default()).expect("plan");
    assert!(!dry.applied);
    assert_eq!(dry.plan.count(ChangeKind::Conflict), 0);
    let systems_new = dry.plan.counts.iter().find(|k| k.table == "system").expect("systems").new;
    assert_eq!(systems_new, 6);
    // The threat and requirement catalogues are the same codes under other ids: matched.
    assert!(dry.plan.count(ChangeKind::Matched) >= 48 + 42, "{}", dry.plan.count(ChangeKind::Matched));
    assert_eq!(c.count::<System>().expect("n"), 0, "a dry run writes nothing");

    let mut seen: Vec<ImportProgress> = Vec::new();
    let report =
        crate::exchange::import_bundle_with(&mut c, &bundle, Limits::default(), None, &mut |p| seen.push(p.clone()))
            .expect("import");
    assert!(report.applied);
    // Progress: the steps in order, the records counted up to every planned change, then saved.
    let mut steps: Vec<&str> = seen.iter().map(|p| p.step.as_str()).collect();
    steps.dedup();
    assert_eq!(
        steps,
        [
            "Kontrollerar signatur och avsändare",
            "Läser och kontrollerar posterna",
            "Jämför med databasen",
            "Skriver poster",
            "Sparar"
        ]
    );
    let writing: Vec<&ImportProgress> = seen.iter().filter(|p| p.step == "Skriver poster").collect();
    let total = report.plan.changes.len() as u64;
    assert!(writing.iter().all(|p| p.total == total && p.done <= total));
    assert!(writing.windows(2).all(|w| w[0].done < w[1].done), "counts only go up");
    assert_eq!((writing[0].done, writing.last().expect("last").done), (0, total));
    assert!((50..=130).contains(&writing.len()), "about a hundred reports on the way: {}", writing.len());
    assert_eq!(seen_from(&c), data(&a), "the centre holds exactly the department's records");
    assert!(c.check().expect("check").is_sound(), "{:?}", c.check().expect("check").problems);

    // The same file again: nothing to do. An older one: refused.
    let again = import(&mut c, &bundle);
    assert!(!again.applied && again.bundle.already_imported);
    let newer = export(&mut a);
    let none = import(&mut c, &newer);
    assert!(none.plan.changes.iter().all(|ch| ch.kind == ChangeKind::Matched), "nothing changed since");
    let err = crate::exchange::import_bundle(&mut c, &bundle, Limits::default(), None).expect_err("replay");
    assert_eq!(err.code(), "replay", "{err}");
}

#[test]
fn a_centre_merges_two_departments_and_sends_updates_back_without_duplicates() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut b = installation(dir.path(), "B");
    let mut c = installation(dir.path(), "C");
    let (sa, _) = small_org(&mut a);
    let (sb, _) = small_org(&mut b);
    trust(&mut c, &a, "A");
    trust(&mut c, &b, "B");
    trust_central(&mut a, &c, "C");
    import(&mut c, &export(&mut a));
    import(&mut c, &export(&mut b));
    // The organisation and förvaltning by the same name are one at the centre.
    assert_eq!(c.count::<Organisation>().expect("n"), 1);
    assert_eq!(c.count::<Forvaltning>().expect("n"), 1);
    assert_eq!(c.count::<System>().expect("n"), 2);
    let origins = crate::exchange::origins(&c).expect("origins");
    let sys_a: System = c.get(sa).expect("a's system");
    assert_eq!(origins[&sys_a.origin.to_string()], "A");

    // The centre edits A's system and sends everything back; A takes it, B's system arrives.
    let mut s = sys_a.clone();
    s.description = "Granskad centralt".into();
    c.write("ändra", |w| w.update(s)).expect("edit");
    let report = import(&mut a, &export(&mut c));
    assert_eq!(report.plan.count(ChangeKind::Conflict), 0, "{:?}", report.plan.changes);
    let back: System = a.get(sa).expect("system");
    assert_eq!(back.description, "Granskad centralt");
    assert!(a.get::<System>(sb).is_ok(), "B's system came along");
    assert_eq!(a.count::<Organisation>().expect("n"), 1, "no duplicate organisation at A");
    assert_eq!(a.count::<System>().expect("n"), 2);
    assert!(a.check().expect("check").is_sound());
}

#[test]
fn a_conflict_is_kept_shown_field_by_field_and_resolved_either_way() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut c = installation(dir.path(), "C");
    let (sys, _) = small_org(&mut a);
    trust(&mut c, &a, "A");
    trust_central(&mut a, &c, "C");
    import(&mut c, &export(&mut a));
    // Both change the same system.
    let mut s: System = a.get(sys).expect("s");
    s.description = "A:s version".into();
    a.write("a", |w| w.update(s)).expect("a");
    let mut s: System = c.get(sys).expect("s");
    s.description = "C:s version".into();
    c.write("c", |w| w.update(s)).expect("c");
    let report = import(&mut c, &export(&mut a));
    assert_eq!(report.plan.count(ChangeKind::Conflict), 1);
    let kept: System = c.get(sys).expect("s");
    assert_eq!(kept.description, "C:s version", "a conflict never overwrites");
    let conflicts = crate::exchange::conflicts(&c, false).expect("conflicts");
    assert_eq!(conflicts.len(), 1);
    let f = &conflicts[0].fields;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].field.as_str(), f[0].mine.as_str(), f[0].theirs.as_str()),
        ("description", Some("C:s version"), Some("A:s version"))
    );
    assert_eq!(f[0].label, "Beskrivning", "people see the field's Swedish name");
    assert_eq!(conflicts[0].theirs_origin, "A");

    crate::exchange::resolve_conflict(&mut c, &conflicts[0].id, &Resolution::Theirs).expect("resolve");
    assert!(crate::exchange::conflicts(&c, false).expect("c").is_empty());
    assert_eq!(c.get::<System>(sys).expect("s").description, "A:s version");
    // Back at A: the settled version has seen both, so A takes it without a conflict.
    let report = import(&mut a, &export(&mut c));
    assert_eq!(report.plan.count(ChangeKind::Conflict), 0);
    assert_eq!(data(&a), data(&c));
    assert!(c.check().expect("check").is_sound() && a.check().expect("check").is_sound());
}

#[test]
fn deletions_travel_and_a_deletion_of_something_used_here_is_a_conflict() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut c = installation(dir.path(), "C");
    let (sys, person) = small_org(&mut a);
    trust(&mut c, &a, "A");
    import(&mut c, &export(&mut a));
    a.write("radera", |w| w.delete::<System>(sys)).expect("delete");
    // C starts to use the person A is about to delete.
    let mut s: System = c.get(sys).expect("s");
    s.description = "ändrad här".into();
    c.write("c", |w| w.update(s)).expect("c");
    a.write("radera person", |w| w.delete::<Person>(person)).expect("delete");
    let report = import(&mut c, &export(&mut a));
    assert_eq!(report.plan.count(ChangeKind::Deleted), 1, "{:?}", report.plan.changes);
    assert_eq!(report.plan.count(ChangeKind::Conflict), 1, "the system was changed here: {:?}", report.plan.changes);
    assert!(c.find::<Person>(person).expect("p").is_none(), "the unused person is deleted");
    assert!(c.find::<System>(sys).expect("s").is_some(), "the changed system stays until settled");
    let conflict = &crate::exchange::conflicts(&c, false).expect("c")[0];
    assert!(conflict.theirs_deleted);
    crate::exchange::resolve_conflict(&mut c, &conflict.id.clone(), &Resolution::Theirs).expect("resolve");
    assert!(c.find::<System>(sys).expect("s").is_none());
    assert!(c.check().expect("check").is_sound());
}

#[test]
fn refusals_name_the_problem() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut c = installation(dir.path(), "C");
    small_org(&mut a);
    let bundle = export(&mut a);
    let err = crate::exchange::plan_import(&c, &bundle, Limits::default()).expect_err("unknown");
    assert_eq!(err.code(), "unknown_signer");
    let fp = crate::exchange::identity(&a).expect("i").expect("i").fingerprint;
    assert!(err.to_string().contains(&fp.readable), "{err}");
    assert_eq!(crate::exchange::bundle_signer(&c, &bundle).expect("signer").fingerprint, fp);
    trust(&mut c, &a, "A");
    crate::exchange::trust_revoke(&mut c, "A").expect("revoke");
    assert_eq!(
        crate::exchange::plan_import(&c, &bundle, Limits::default()).expect_err("revoked").code(),
        "revoked_signer"
    );
    assert_eq!(crate::exchange::plan_import(&a, &bundle, Limits::default()).expect_err("own").code(), "own_bundle");
    let err = crate::exchange::export_bundle(&mut Store::open_in_memory().expect("s"), &Scope::All, None)
        .expect_err("no identity");
    assert_eq!(err.code(), "no_identity");
}

#[test]
fn an_encrypted_bundle_opens_only_for_its_recipient() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut c = installation(dir.path(), "C");
    let mut x = installation(dir.path(), "X");
    small_org(&mut a);
    trust(&mut c, &a, "A");
    trust(&mut x, &a, "A");
    let to = PublicKey::from_openssh(&crate::exchange::identity(&c).expect("i").expect("i").public_key).expect("k");
    let bundle = crate::exchange::export_bundle(&mut a, &Scope::All, Some(&to)).expect("export");
    assert!(riskverkstad_bundle::is_encrypted(&bundle.bytes));
    assert_eq!(
        crate::exchange::plan_import(&x, &bundle.bytes, Limits::default()).expect_err("not for x").code(),
        "bundle_decrypt"
    );
    assert!(import(&mut c, &bundle.bytes).bundle.encrypted);
    assert_eq!(c.count::<System>().expect("n"), 1);
}

#[test]
fn a_forvaltning_subset_holds_its_systems_and_what_they_need() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    build(&mut a, &DemoConfig { systems: 12, seed: 5, today: None }).expect("demo");
    let f = a
        .list::<Forvaltning>()
        .expect("f")
        .into_iter()
        .find(|f| a.list_by::<System>("forvaltning_id", &f.id.to_string()).map(|s| !s.is_empty()).unwrap_or(false));
    let f = f.expect("a förvaltning with systems");
    let own: Vec<System> = a.list_by("forvaltning_id", &f.id.to_string()).expect("s");
    let bundle = crate::exchange::export_bundle(&mut a, &Scope::Forvaltning(f.id), None).expect("export");
    assert!(bundle.manifest.scope.contains(&f.name));
    let mut c = installation(dir.path(), "C");
    trust(&mut c, &a, "A");
    import(&mut c, &bundle.bytes);
    let systems: Vec<System> = c.list().expect("s");
    // Its own systems, plus at most the systems they depend on (referred to, not expanded).
    assert!(own.iter().all(|s| systems.iter().any(|x| x.id == s.id)));
    assert!(systems.len() < a.count::<System>().expect("n") as usize, "a subset, not everything");
    assert!(c.check().expect("check").is_sound(), "{:?}", c.check().expect("c").problems);
}

#[derive(Debug, Clone)]
enum Edit {
    Describe(usize, String),
    Rename(usize, String),
    Delete(usize),
    Add(String),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..8, "[a-c]{1,3}").prop_map(|(i, s)| Edit::Describe(i, s)),
        (0usize..8, "[x-z]{1,2}").prop_map(|(i, s)| Edit::Rename(i, s)),
        (0usize..8).prop_map(Edit::Delete),
        "[m-o]{2}".prop_map(Edit::Add),
    ]
}

fn apply_edit(s: &mut Store, e: &Edit) {
    let systems: Vec<System> = s.list().expect("systems");
    let pick = |i: usize| (!systems.is_empty()).then(|| systems[i % systems.len()].clone());
    match e {
        Edit::Describe(i, text) | Edit::Rename(i, text) => {
            if let Some(mut sys) = pick(*i) {
                if matches!(e, Edit::Describe(..)) {
                    sys.description = text.clone();
                } else {
                    sys.name = format!("System {text}");
                }
                s.write("ändra", |w| w.update(sys)).expect("update");
            }
        }
        Edit::Delete(i) => {
            if let Some(sys) = pick(*i) {
                s.write("radera", |w| w.delete::<System>(sys.id)).expect("delete");
            }
        }
        Edit::Add(name) => {
            let f: Forvaltning = s.list().expect("f").into_iter().next().expect("förvaltning");
            s.write("ny", |w| {
                w.insert(System { name: format!("Nytt {name}"), forvaltning_id: f.id, ..Default::default() })
            })
            .expect("insert");
        }
    }
}

fn settle_all(s: &mut Store, pick_theirs: &[bool]) {
    for (i, c) in crate::exchange::conflicts(s, false).expect("conflicts").into_iter().enumerate() {
        let r = if pick_theirs.get(i).copied().unwrap_or(false) { Resolution::Theirs } else { Resolution::Mine };
        crate::exchange::resolve_conflict(s, &c.id, &r).expect("resolve");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Random edits on two installations, an exchange both ways with the conflicts settled at
    /// one end: both hold the same data afterwards, and both pass the check.
    #[test]
    fn two_installations_converge(
        first in proptest::collection::vec(edit_strategy(), 0..6),
        second in proptest::collection::vec(edit_strategy(), 0..6),
        picks in proptest::collection::vec(any::<bool>(), 8),
        hostile in proptest::collection::vec(edit_strategy(), 1..5),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let mut a = installation(dir.path(), "A");
        let mut b = installation(dir.path(), "B");
        small_org(&mut a);
        a.write("fler", |w| {
            let f: Forvaltning = w.list().map(|v: Vec<Forvaltning>| v[0].clone())?;
            for n in 0..3 {
                w.insert(System { name: format!("System {n}"), forvaltning_id: f.id, ..Default::default() })?;
            }
            Ok(())
        }).expect("systems");
        trust(&mut b, &a, "A");
        trust_central(&mut a, &b, "B");
        import(&mut b, &export(&mut a));
        prop_assert_eq!(data(&a), data(&b));
        for e in &first { apply_edit(&mut a, e); }
        for e in &second { apply_edit(&mut b, e); }
        // A hostile department H, trusted by B for another förvaltning, edits A's records as
        // it got them and sends them as its own change, and again with A's counters raised:
        // B refuses both, or (when H changed nothing of A's) nothing of A's or B's changes.
        let mut h = installation(dir.path(), "H");
        trust_central(&mut h, &b, "B");
        trust_on(&mut b, &h, "H", &TrustTerms::department(&["Hemtjänsten"], "Testaren"));
        import(&mut h, &export(&mut b));
        for e in &hostile { apply_edit(&mut h, e); }
        let me_a = a.installation().id.to_string();
        let honest_before = honest(&b, &h.installation().id.to_string());
        let plain = export(&mut h);
        let raised = forged(&mut h, |_, e| {
            for w in wire_systems(e) {
                if let Some(v) = w["versions"].as_object_mut() {
                    let n = v.get(&me_a).and_then(Value::as_u64).unwrap_or(0);
                    v.insert(me_a.clone(), Value::from(n + 10));
                }
            }
        });
        for bundle in [plain, raised] {
            let _ = crate::exchange::import_bundle(&mut b, &bundle, Limits::default(), None);
            prop_assert_eq!(&honest(&b, &h.installation().id.to_string()), &honest_before, "H changed an honest record");
        }
        import(&mut b, &export(&mut a));
        settle_all(&mut b, &picks);
        import(&mut a, &export(&mut b));
        prop_assert!(crate::exchange::conflicts(&a, false).expect("c").is_empty(), "A got conflicts: {:?}", crate::exchange::conflicts(&a, false));
        prop_assert_eq!(data(&a), data(&b));
        prop_assert!(a.check().expect("check").is_sound());
        prop_assert!(b.check().expect("check").is_sound());
    }
}

#[test]
fn a_relayed_change_is_shown_as_made_by_its_maker_and_sent_by_the_centre() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut b = installation(dir.path(), "B");
    let mut c = installation(dir.path(), "C");
    let (sys_b, _) = small_org(&mut b);
    small_org(&mut a);
    trust(&mut c, &a, "A");
    trust(&mut c, &b, "B");
    trust_central(&mut a, &c, "Centralen");
    import(&mut c, &export(&mut b));
    let first = import(&mut a, &export(&mut c));
    let arrived = first.plan.changes.iter().find(|ch| ch.id == sys_b.to_string()).expect("B's system");
    assert_eq!(arrived.kind, ChangeKind::New);
    assert_eq!(arrived.made_by.as_deref(), Some("B"), "B's attestation travelled through the centre");
    assert_eq!(first.plan.sender, "Centralen");

    // B changes its system; the centre relays it; A sees B as the maker, the centre as sender.
    let mut s: System = b.get(sys_b).expect("s");
    s.description = "Ändrad hos B".into();
    b.write("b", |w| w.update(s)).expect("b");
    let at_c = import(&mut c, &export(&mut b));
    assert_eq!(at_c.plan.changes[0].made_by.as_deref(), Some("B"));
    let at_a = import(&mut a, &export(&mut c));
    let ch = at_a.plan.changes.iter().find(|ch| ch.id == sys_b.to_string()).expect("relayed");
    assert_eq!((ch.kind, ch.made_by.as_deref()), (ChangeKind::Changed, Some("B")), "{ch:?}");
    assert_eq!(a.get::<System>(sys_b).expect("s").description, "Ändrad hos B");

    // The centre's own change of B's system is the centre's.
    let mut s: System = c.get(sys_b).expect("s");
    s.description = "Granskad centralt".into();
    c.write("c", |w| w.update(s)).expect("c");
    let at_a = import(&mut a, &export(&mut c));
    let ch = at_a.plan.changes.iter().find(|ch| ch.id == sys_b.to_string()).expect("centre's change");
    assert_eq!(ch.made_by.as_deref(), Some("Centralen"));
    // A relay without B's attestation is shown as not proven, and still taken from a centre.
    trust_central(&mut b, &c, "Centralen");
    import(&mut b, &export(&mut c));
    let mut s: System = b.get(sys_b).expect("s");
    s.name = "Biblioteket B".into();
    b.write("b", |w| w.update(s)).expect("b");
    import(&mut c, &export(&mut b));
    let stripped = forged(&mut c, |_, e| {
        e.remove(riskverkstad_bundle::ATTESTATIONS);
    });
    let at_a = import(&mut a, &stripped);
    let ch = at_a.plan.changes.iter().find(|ch| ch.id == sys_b.to_string()).expect("relayed");
    assert_eq!(ch.made_by, None, "no attestation, no proven maker: {ch:?}");
    assert!(a.check().expect("check").is_sound() && c.check().expect("check").is_sound());
}

#[test]
fn a_department_may_not_change_delete_or_forge_what_another_made() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut h = installation(dir.path(), "H");
    let mut c = installation(dir.path(), "C");
    let (sys_a, _) = small_org(&mut a);
    trust(&mut c, &a, "A");
    trust_on(&mut c, &h, "H", &TrustTerms::department(&["Hemtjänsten"], "Testaren"));
    trust(&mut h, &a, "A");
    import(&mut c, &export(&mut a));
    import(&mut h, &export(&mut a));
    let before = data(&c);
    let refused = |c: &mut Store, bytes: &[u8], expect: &str| {
        let e = crate::exchange::import_bundle(c, bytes, Limits::default(), None).expect_err("refused");
        assert!(e.to_string().contains(expect), "{e}");
        assert!(e.to_string().contains("Inget har skrivits"), "{e}");
    };
    // H renames A's system, as its own change.
    let mut s: System = h.get(sys_a).expect("s");
    s.name = "Kapad".into();
    h.write("h", |w| w.update(s)).expect("h");
    refused(
        &mut c,
        &export(&mut h),
        "utanför sin behörighet: den hör till förvaltningen Kulturförvaltningen och skapades av A",
    );
    // … or says A did it, raising A's counter by ten.
    let me_a = a.installation().id.to_string();
    let me_h = h.installation().id.to_string();
    let raised = forged(&mut h, |_, e| {
        for w in wire_systems(e) {
            let v = w["versions"].as_object_mut().expect("versions");
            let n = v.get(&me_a).and_then(Value::as_u64).unwrap_or(0);
            v.insert(me_a.clone(), Value::from(n + 10));
            v.remove(&me_h);
        }
    });
    refused(&mut c, &raised, "för fram en ändring som A gjort");
    // … or deletes it, in A's name.
    let deleting = forged(&mut h, |_, e| {
        let t = serde_json::json!([{"table": "system", "id": sys_a.to_string(), "origin": me_a, "deleted_at": "2026-11-30T10:00:00Z",
            "versions": {me_a.clone(): 11}}]);
        e.insert("tombstones.json".into(), t);
    });
    refused(&mut c, &deleting, "för fram en ändring som A gjort (nr 11) av systemet");
    // … or creates a record claiming A's origin.
    let claiming = forged(&mut h, |_, e| {
        for w in wire_systems(e) {
            w["record"]["id"] = Value::String(uuid::Uuid::now_v7().to_string());
            w["record"]["origin"] = Value::String(me_a.clone());
            w["versions"] = serde_json::json!({me_h.clone(): 1});
        }
    });
    refused(&mut c, &claiming, "skapar systemet");
    // … or claims to be A's installation.
    let posing = forged(&mut h, |m, _| m.sender.installation_id = me_a.clone());
    let e = crate::exchange::import_bundle(&mut c, &posing, Limits::default(), None).expect_err("refused");
    assert!(e.to_string().contains("utger sig för att komma från installationen A"), "{e}");
    assert_eq!(data(&c), before, "nothing of it was written");

    // The receiver lets H's changes of that one system through: a conflict to settle, never
    // an automatic change.
    crate::exchange::allow_changes(&mut c, "H", "system", &sys_a.to_string()).expect("allow");
    let report = import(&mut c, &export(&mut h));
    assert_eq!(report.plan.count(ChangeKind::Conflict), 1, "{:?}", report.plan.changes);
    assert_eq!(c.get::<System>(sys_a).expect("s").name, "Biblioteket", "kept until settled");
    let conflict = &crate::exchange::conflicts(&c, false).expect("c")[0];
    assert_eq!(conflict.theirs_maker.as_deref(), Some("H"));
}

#[test]
fn a_sender_touching_a_forvaltning_it_never_sent_before_is_warned_about_and_an_expired_key_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let mut a = installation(dir.path(), "A");
    let mut c = installation(dir.path(), "C");
    small_org(&mut a);
    trust(&mut c, &a, "A");
    let first = import(&mut c, &export(&mut a));
    assert!(first.plan.warnings.is_empty(), "nothing to compare the first bundle with: {:?}", first.plan.warnings);
    a.write("ny förvaltning", |w| {
        let org: Organisation = w.list().map(|v: Vec<Organisation>| v[0].clone())?;
        let f =
            w.insert(Forvaltning {
                organisation_id: org.id, name: "Miljöförvaltningen".into(), ..Default::default()
            })?;
        w.insert(System { name: "Miljöreda".into(), forvaltning_id: f.id, ..Default::default() })
    })
    .expect("write");
    let second = import(&mut c, &export(&mut a));
    assert_eq!(second.plan.warnings.len(), 1, "{:?}", second.plan.warnings);
    assert!(
        second.plan.warnings[0].contains("A har inte skickat poster för Miljöförvaltningen förut"),
        "{:?}",
        second.plan.warnings
    );
    let third = import(&mut c, &export(&mut a));
    assert!(third.plan.warnings.is_empty(), "seen now: {:?}", third.plan.warnings);

    // A key past its last day: its bundles are refused as expired.
    let mut terms = crate::exchange::trust_list(&c).expect("list")[0].terms.clone();
    terms.expires_on = Some("2020-01-31".into());
    crate::exchange::trust_set(&mut c, "A", &terms).expect("set");
    let e = crate::exchange::import_bundle(&mut c, &export(&mut a), Limits::default(), None).expect_err("expired");
    assert!(e.to_string().contains("gällde till och med 2020-01-31"), "{e}");
    assert!(crate::exchange::trust_list(&c).expect("list")[0].expired);
    let bad = TrustTerms { expires_on: Some("31/1".into()), ..terms };
    assert!(crate::exchange::trust_set(&mut c, "A", &bad).is_err(), "not a date");
}

#[test]
fn every_field_of_every_record_kind_has_a_swedish_name() {
    let mut missing = Vec::new();
    for k in super::kinds() {
        for (column, _) in crate::store::META_COLUMNS.iter().chain(k.columns) {
            match super::plan::swedish_name(column) {
                Some(name) if !name.is_empty() && name != *column => {}
                _ => missing.push(format!("{}.{column}", k.table)),
            }
        }
    }
    assert!(missing.is_empty(), "fields without a Swedish name: {missing:?}");
}
