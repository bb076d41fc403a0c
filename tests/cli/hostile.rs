//! A hostile sender: department A's own, trusted key signs bundles built from the product's
//! own bundles, edited and signed again (the format is standard, so a test can do what an
//! attacker can). Each is refused, or becomes a conflict where the receiver opted in, and a
//! refusal leaves the database file byte for byte as it was. Beside it the honest relay,
//! B → centre → A, still merges cleanly and shows who made each change.

use super::exchange::{checked, department, export, public_key, systems};
use riskverkstad_bundle::{Entry, Limits, Manifest, SecretKey};
use riskverkstad_core::model::System;
use riskverkstad_core::store::Store;
use riskverkstad_tests::{file_bytes, ok, run, workdir};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SOC: &str = "Socialförvaltningen";
const SAM: &str = "Samhällsbyggnadsförvaltningen";

/// A fresh bundle of `db` (the whole database), opened, its JSON entries edited by `edit`,
/// and signed again with `db`'s own private key.
fn resigned(
    db: &Path,
    dir: &Path,
    name: &str,
    edit: impl FnOnce(&mut Manifest, &mut BTreeMap<String, Value>),
) -> PathBuf {
    let file = dir.join(format!("{name}-original.rvb"));
    export(db, &file, &[]);
    resign(&std::fs::read(&file).unwrap(), db, dir, name, edit)
}

/// `bytes` opened, edited by `edit`, signed with `signer`'s key.
fn resign(
    bytes: &[u8],
    signer: &Path,
    dir: &Path,
    name: &str,
    edit: impl FnOnce(&mut Manifest, &mut BTreeMap<String, Value>),
) -> PathBuf {
    let mut opened = riskverkstad_bundle::open(bytes, Limits::default(), None).unwrap();
    let mut json: BTreeMap<String, Value> = BTreeMap::new();
    let mut others = Vec::new();
    for entry in opened.names() {
        let content = opened.entry(&entry).unwrap();
        if entry.ends_with(".json") {
            json.insert(entry, serde_json::from_slice(&content).unwrap());
        } else {
            others.push(Entry { name: entry, bytes: content, compress: false });
        }
    }
    let mut manifest = opened.manifest.clone();
    edit(&mut manifest, &mut json);
    let mut entries: Vec<Entry> = json
        .into_iter()
        .map(|(name, v)| Entry { name, bytes: serde_json::to_vec(&v).unwrap(), compress: true })
        .collect();
    entries.extend(others);
    let key_file = PathBuf::from(format!("{}.id_ed25519", signer.display()));
    let key = SecretKey::from_openssh(&std::fs::read_to_string(key_file).unwrap()).unwrap();
    let out = dir.join(format!("{name}.rvb"));
    std::fs::write(&out, riskverkstad_bundle::write(&manifest, &entries, &key, None).unwrap()).unwrap();
    out
}

/// Every wire record of `table` in a bundle's entries.
fn wire<'a>(entries: &'a mut BTreeMap<String, Value>, table: &str) -> impl Iterator<Item = &'a mut Value> {
    entries.get_mut(&format!("records/{table}.json")).and_then(Value::as_array_mut).into_iter().flatten()
}

fn installation_id(db: &Path) -> String {
    Store::open_existing(db).unwrap().installation().id.to_string()
}

/// `import` (and `verify` before it) of `file` at `db` fails with `expect` in its message
/// and leaves the database file byte for byte as it was.
fn refused(db: &Path, file: &Path, expect: &str) {
    checked(db); // settle the WAL so that the comparison sees only what the import does
    let before = file_bytes(db);
    let dry = run(db, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(dry.code, 1, "a dry run of a refused bundle fails too:\n{}{}", dry.stdout, dry.stderr);
    assert!(dry.stdout.contains("Paketet avvisas") || dry.stderr.contains(expect), "{}{}", dry.stdout, dry.stderr);
    let r = run(db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 1, "must be refused:\n{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(expect), "expected «{expect}» in:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    assert_eq!(file_bytes(db), before, "a refused bundle leaves the database file as it was");
}

/// Departments A and B and a centre that has taken one bundle from each, and sent its whole
/// picture back to A (so A holds B's records, as a department laptop would).
struct World {
    _dir: tempfile::TempDir,
    d: PathBuf,
    a: PathBuf,
    b: PathBuf,
    c: PathBuf,
}

fn world() -> World {
    let dir = workdir();
    let d = dir.path().to_path_buf();
    let a = department(&d, SOC, "1", "12");
    let b = department(&d, SAM, "2", "10");
    let c = d.join("central.db");
    ok(&c, &["keys", "init", "--department", "Centrala säkerhetsfunktionen"]);
    let (a1, b1) = (d.join("a1.rvb"), d.join("b1.rvb"));
    export(&a, &a1, &["--forvaltning", SOC]);
    export(&b, &b1, &["--forvaltning", SAM]);
    for (db, name) in [(&a, SOC), (&b, SAM)] {
        let key = public_key(db, &d);
        ok(&c, &["trust", "add", key.to_str().unwrap(), "--name", name, "--yes", "--forvaltning", name]);
    }
    ok(&c, &["import", a1.to_str().unwrap()]);
    ok(&c, &["import", b1.to_str().unwrap()]);
    let c1 = d.join("c1.rvb");
    export(&c, &c1, &[]);
    for db in [&a, &b] {
        let key = public_key(&c, &d);
        ok(db, &["trust", "add", key.to_str().unwrap(), "--name", "Centralen", "--yes", "--role", "central"]);
        ok(db, &["import", c1.to_str().unwrap()]);
    }
    World { _dir: dir, d, a, b, c }
}

fn in_forvaltning(db: &Path, s: &System, name: &str) -> bool {
    let store = Store::open_existing(db).unwrap();
    let f: riskverkstad_core::model::Forvaltning =
        riskverkstad_core::store::Read::get(&store, s.forvaltning_id).unwrap();
    f.name == name
}

#[test]
fn a_trusted_department_cannot_change_delete_or_forge_another_departments_records() {
    let w = world();
    let (a, c, d) = (&w.a, &w.c, &w.d);
    let (id_a, id_b, id_c) = (installation_id(a), installation_id(&w.b), installation_id(c));
    let b_system = systems(&w.b).into_iter().find(|s| in_forvaltning(&w.b, s, SAM)).unwrap();
    let target = b_system.id.to_string();
    assert!(systems(a).iter().any(|s| s.id == b_system.id), "A holds B's system from the centre");

    // 1. A renames B's system as its own change: out of A's scope.
    let renamed = resigned(a, d, "renamed", |_, e| {
        for r in wire(e, "system").filter(|r| r["record"]["id"] == target.as_str()) {
            r["record"]["name"] = "Omdöpt av A".into();
            let v = r["versions"].as_object_mut().unwrap();
            let n = v.get(&id_a).and_then(Value::as_u64).unwrap_or(0);
            v.insert(id_a.clone(), (n + 1).into());
        }
    });
    refused(
        c,
        &renamed,
        &format!(
            "{SOC} (avdelning) ändrar systemet \"{}\" utanför sin behörighet: den hör till förvaltningen {SAM} och skapades av {SAM}",
            b_system.name
        ),
    );

    // 2. … and says B did it, with B's counter raised by ten.
    let raised = resigned(a, d, "raised", |_, e| {
        for r in wire(e, "system").filter(|r| r["record"]["id"] == target.as_str()) {
            r["record"]["name"] = "Omdöpt av A".into();
            let v = r["versions"].as_object_mut().unwrap();
            let n = v.get(&id_b).and_then(Value::as_u64).unwrap_or(0);
            v.insert(id_b.clone(), (n + 10).into());
        }
    });
    refused(c, &raised, &format!("för fram en ändring som {SAM} gjort"));

    // 3. A deletes B's systems: as its own deletion (out of scope), or in B's name (forged).
    let b_ids: Vec<String> =
        systems(&w.b).into_iter().filter(|s| in_forvaltning(&w.b, s, SAM)).map(|s| s.id.to_string()).collect();
    let deletions = |who: &str, n: u64| {
        Value::Array(
            b_ids
                .iter()
                .map(|id| {
                    serde_json::json!({"table": "system", "id": id, "origin": id_b, "deleted_at": "2026-11-30T09:00:00Z",
                        "versions": {id_b.clone(): 1, who.to_string(): n}})
                })
                .collect(),
        )
    };
    let own_deletion = resigned(a, d, "deleted", |_, e| {
        e.insert("tombstones.json".into(), deletions(&id_a, 1));
    });
    refused(c, &own_deletion, &format!("{SOC} (avdelning) raderar systemet"));
    let forged_deletion = resigned(a, d, "deleted-as-b", |_, e| {
        e.insert("tombstones.json".into(), deletions(&id_b, 5));
    });
    refused(c, &forged_deletion, &format!("för fram en ändring som {SAM} gjort"));

    // 4. A claims the centre's origin: a record made by the centre, or the centre's installation.
    let as_centre = resigned(a, d, "centre-record", |_, e| {
        if let Some(r) = wire(e, "system").next() {
            r["record"]["id"] = "01a2f000-0000-7000-8000-000000000001".into();
            r["record"]["origin"] = id_c.clone().into();
            r["versions"] = serde_json::json!({id_c.clone(): 1});
        }
    });
    refused(c, &as_centre, "för fram en ändring som Centrala säkerhetsfunktionen gjort");
    let centre_origin_own_counter = resigned(a, d, "centre-origin", |_, e| {
        if let Some(r) = wire(e, "system").next() {
            r["record"]["id"] = "01a2f000-0000-7000-8000-000000000002".into();
            r["record"]["origin"] = id_c.clone().into();
            r["versions"] = serde_json::json!({id_a.clone(): 1});
        }
    });
    refused(c, &centre_origin_own_counter, &format!("{SOC} (avdelning) skapar systemet"));
    let posing = resigned(a, d, "posing", |m, _| m.sender.installation_id = id_c.clone());
    refused(c, &posing, "anger den här installationens id som sitt eget");
    let posing_as_b = resigned(a, d, "posing-as-b", |m, _| m.sender.installation_id = id_b.clone());
    refused(c, &posing_as_b, &format!("utger sig för att komma från installationen {SAM}"));

    // 5. A replays B's first bundle under its own key, to a centre that has not had it yet.
    let fresh = d.join("central-2.db");
    ok(&fresh, &["keys", "init", "--department", "Ny central"]);
    for (db, name) in [(a, SOC), (&w.b, SAM)] {
        let key = public_key(db, d);
        ok(&fresh, &["trust", "add", key.to_str().unwrap(), "--name", name, "--yes", "--forvaltning", name]);
    }
    let a_manifest = {
        let f = d.join("a-manifest.rvb");
        export(a, &f, &[]);
        riskverkstad_bundle::open(&std::fs::read(&f).unwrap(), Limits::default(), None).unwrap().manifest
    };
    let replay = resign(&std::fs::read(d.join("b1.rvb")).unwrap(), a, d, "replay", |m, _| {
        m.sender = a_manifest.sender.clone();
        m.sequence = a_manifest.sequence + 1;
    });
    refused(&fresh, &replay, &format!("{SOC} för fram en ändring som {SAM} gjort"));
    // B's own bundle is still welcome there.
    ok(&fresh, &["import", d.join("b1.rvb").to_str().unwrap()]);

    // The receiver opts in for that one system: A's change arrives as a conflict to settle,
    // never as an automatic change; the forged counter is refused all the same.
    ok(c, &["trust", "allow", SOC, "system", &target]);
    let listed = ok(c, &["trust", "list"]);
    assert!(listed.contains(&format!("{SOC}: systemet {} (system {target}", b_system.name)), "{listed}");
    let renamed_again = resigned(a, d, "renamed-again", |_, e| {
        for r in wire(e, "system").filter(|r| r["record"]["id"] == target.as_str()) {
            r["record"]["name"] = "Omdöpt av A".into();
            let v = r["versions"].as_object_mut().unwrap();
            let n = v.get(&id_a).and_then(Value::as_u64).unwrap_or(0);
            v.insert(id_a.clone(), (n + 1).into());
        }
    });
    let plan = ok(c, &["import", renamed_again.to_str().unwrap()]);
    assert!(plan.contains("Konflikter (1)") && plan.contains("mottagaren släpper igenom"), "{plan}");
    assert_eq!(systems(c).iter().find(|s| s.id == b_system.id).unwrap().name, b_system.name, "kept until settled");
    let list = ok(c, &["conflicts", "list"]);
    assert!(list.contains(&format!("deras version gjord och skickad av {SOC}")), "{list}");
    let raised_again = resigned(a, d, "raised-again", |_, e| {
        for r in wire(e, "system").filter(|r| r["record"]["id"] == target.as_str()) {
            let v = r["versions"].as_object_mut().unwrap();
            let n = v.get(&id_b).and_then(Value::as_u64).unwrap_or(0);
            v.insert(id_b.clone(), (n + 10).into());
        }
    });
    refused(c, &raised_again, &format!("för fram en ändring som {SAM} gjort"));
    checked(c);
}

#[test]
fn the_relay_b_to_centre_to_a_converges_and_shows_who_made_each_change() {
    let w = world();
    let (a, b, c, d) = (&w.a, &w.b, &w.c, &w.d);
    let b_system = systems(b).into_iter().find(|s| in_forvaltning(b, s, SAM)).unwrap();
    let a_system = systems(a).into_iter().find(|s| in_forvaltning(a, s, SOC)).unwrap();

    // B changes its system; A changes its own; the centre takes both and relays.
    super::exchange::edit_system(b, b_system.id, "Ändrad hos B");
    super::exchange::edit_system(a, a_system.id, "Ändrad hos A");
    let (b2, a2, c2) = (d.join("b2.rvb"), d.join("a2.rvb"), d.join("c2.rvb"));
    export(b, &b2, &["--forvaltning", SAM]);
    export(a, &a2, &["--forvaltning", SOC]);
    let at_c = ok(c, &["import", b2.to_str().unwrap()]);
    assert!(at_c.contains(&format!("(gjord av {SAM})")), "{at_c}");
    ok(c, &["import", a2.to_str().unwrap()]);
    export(c, &c2, &[]);
    let at_a = ok(a, &["import", c2.to_str().unwrap(), "--dry-run"]);
    assert!(
        at_a.contains(&format!("Systemet {} (gjord av {SAM}, skickad av Centralen)", b_system.name)),
        "A is told B made it and the centre sent it:\n{at_a}"
    );
    ok(a, &["import", c2.to_str().unwrap()]);
    ok(b, &["import", c2.to_str().unwrap()]);
    for db in [a, b, c] {
        checked(db);
        let all = systems(db);
        assert_eq!(all.iter().find(|s| s.id == b_system.id).unwrap().description, "Ändrad hos B");
        assert_eq!(all.iter().find(|s| s.id == a_system.id).unwrap().description, "Ändrad hos A");
    }
    // The register's Ursprung and the history say it too.
    let register = run(a, &["systems", "list", "--json"]).json();
    let row = register.as_array().unwrap().iter().find(|r| r["id"] == b_system.id.to_string().as_str()).unwrap();
    assert_eq!(row["origin_name"], SAM);
    assert_eq!(row["changed_by"], format!("ändrad av {SAM}, skickad av Centralen").as_str(), "{row}");
    let history = ok(a, &["audit", "--record", &b_system.id.to_string()]);
    assert!(history.contains(&format!("Centralen (nr 2) – gjord av {SAM}")), "{history}");

    // The attestation that proves it is checked with a standard tool, without our code.
    let mut opened = riskverkstad_bundle::open(&std::fs::read(&c2).unwrap(), Limits::default(), None).unwrap();
    let batches: Vec<Value> =
        serde_json::from_slice(&opened.entry(riskverkstad_bundle::ATTESTATIONS).unwrap()).unwrap();
    let id_b = installation_id(b);
    let batch = batches
        .iter()
        .find(|x| x["installation"] == id_b.as_str() && x["body"].as_str().unwrap().contains(&b_system.id.to_string()))
        .expect("B's batch relayed");
    if std::process::Command::new("ssh-keygen").arg("-?").output().is_err() {
        panic!("ssh-keygen (openssh-client) is needed for this test; .ci/setup installs it");
    }
    let check = d.join("intyg");
    std::fs::create_dir_all(&check).unwrap();
    std::fs::write(check.join("body"), batch["body"].as_str().unwrap()).unwrap();
    std::fs::write(check.join("body.sig"), batch["signature"].as_str().unwrap()).unwrap();
    let key = std::fs::read_to_string(public_key(b, d)).unwrap();
    let fields: Vec<&str> = key.split_whitespace().take(2).collect();
    std::fs::write(check.join("allowed"), format!("b namespaces=\"riskverkstad-change\" {}\n", fields.join(" ")))
        .unwrap();
    let verified = std::process::Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f", "allowed", "-I", "b", "-n", "riskverkstad-change", "-s", "body.sig"])
        .current_dir(&check)
        .stdin(std::fs::File::open(check.join("body")).unwrap())
        .output()
        .unwrap();
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("Good \"riskverkstad-change\" signature"));
}
