//! Bundle exchange stories: departments A and B, a central office C, through the real CLI and
//! real database files; every refusal proves the database file unchanged.

use riskverkstad_core::model::System;
use riskverkstad_core::store::{Read, Store};
use riskverkstad_tests::{file_bytes, ok, run, workdir};
use std::io::Write as _;
use std::path::{Path, PathBuf};

const DAY: &str = "2026-11-22";

/// A department with a demo municipality and an identity.
pub(crate) fn department(dir: &Path, name: &str, seed: &str, systems: &str) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    ok(&db, &["demo", "--systems", systems, "--seed", seed, "--today", DAY]);
    ok(&db, &["keys", "init", "--department", name]);
    db
}

pub(crate) fn public_key(db: &Path, dir: &Path) -> PathBuf {
    let file = dir.join(format!("{}.pub", db.file_stem().unwrap().to_string_lossy()));
    ok(db, &["keys", "export-public", "--out", file.to_str().unwrap()]);
    file
}

pub(crate) fn export(db: &Path, file: &Path, extra: &[&str]) {
    let mut args = vec!["export", "--out", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    ok(db, &args);
}

pub(crate) fn systems(db: &Path) -> Vec<System> {
    Store::open_existing(db).unwrap().list::<System>().unwrap()
}

pub(crate) fn edit_system(db: &Path, id: riskverkstad_core::ids::SystemId, description: &str) {
    let mut store = Store::open_existing(db).unwrap();
    let mut s: System = store.get(id).unwrap();
    s.description = description.into();
    store.write("Ändra beskrivning", |w| w.update(s)).unwrap();
}

pub(crate) fn checked(db: &Path) {
    let r = run(db, &["check"]);
    assert_eq!(r.code, 0, "check failed for {}:\n{}{}", db.display(), r.stdout, r.stderr);
}

#[test]
fn two_departments_and_a_centre_exchange_without_loss_or_duplicates() {
    let dir = workdir();
    let d = dir.path();
    let a = department(d, "Socialförvaltningen", "1", "20");
    let b = department(d, "Samhällsbyggnadsförvaltningen", "2", "10");
    let c = d.join("central.db");
    ok(&c, &["keys", "init", "--department", "Centrala säkerhetsfunktionen"]);

    // Each department sends its own förvaltning.
    let a1 = d.join("a1.rvb");
    let b1 = d.join("b1.rvb");
    export(&a, &a1, &["--forvaltning", "Socialförvaltningen"]);
    export(&b, &b1, &["--forvaltning", "Samhällsbyggnadsförvaltningen"]);
    let sent_a: Vec<System> = systems(&a).into_iter().filter(|s| a_forvaltning(&a, s, "Socialförvaltningen")).collect();
    let sent_b: Vec<System> =
        systems(&b).into_iter().filter(|s| a_forvaltning(&b, s, "Samhällsbyggnadsförvaltningen")).collect();
    assert!(!sent_a.is_empty() && !sent_b.is_empty());

    // The centre trusts A by its public key file and B from the bundle itself; both show the
    // fingerprint first.
    let shown = ok(
        &c,
        &[
            "trust",
            "add",
            public_key(&a, d).to_str().unwrap(),
            "--name",
            "Socialförvaltningen",
            "--yes",
            "--forvaltning",
            "Socialförvaltningen",
            "--compared-by",
            "Eva Samordnare",
        ],
    );
    assert!(shown.contains("Fingeravtryck:") && shown.contains("SHA256:"), "{shown}");
    let shown = ok(
        &c,
        &[
            "trust",
            "add",
            b1.to_str().unwrap(),
            "--name",
            "Samhällsbyggnadsförvaltningen",
            "--yes",
            "--forvaltning",
            "Samhällsbyggnadsförvaltningen",
        ],
    );
    assert!(shown.contains("Paketet är signerat av \"Samhällsbyggnadsförvaltningen\""), "{shown}");
    let without_yes = run(&c, &["trust", "add", b1.to_str().unwrap(), "--name", "X"]);
    assert_eq!(without_yes.code, 2, "no confirmation, no trust: {}", without_yes.stderr);

    let verified = ok(&c, &["verify", a1.to_str().unwrap()]);
    assert!(
        verified.contains("Paket nr:       1") && verified.contains("system 3") || verified.contains("system "),
        "{verified}"
    );
    let json = run(&c, &["verify", a1.to_str().unwrap(), "--json"]).json();
    assert_eq!(json["sequence"], 1);
    assert_eq!(json["sender"], "Socialförvaltningen");
    assert!(json["counts"]["system"].as_u64().unwrap() >= sent_a.len() as u64);

    // A dry run shows the plan and writes nothing.
    checked(&c);
    let before = file_bytes(&c);
    let plan = ok(&c, &["import", a1.to_str().unwrap(), "--dry-run"]);
    assert!(plan.contains("Provkörning") && plan.contains("Systemet"), "{plan}");
    assert_eq!(file_bytes(&c), before, "a dry run leaves the file as it was");

    let applied = ok(&c, &["import", a1.to_str().unwrap()]);
    assert!(applied.contains("Inläst i en transaktion"), "{applied}");
    ok(&c, &["import", b1.to_str().unwrap()]);
    let again = ok(&c, &["import", b1.to_str().unwrap()]);
    assert!(again.contains("redan inläst"), "{again}");
    checked(&c);
    let at_c = systems(&c);
    for s in sent_a.iter().chain(&sent_b) {
        assert!(at_c.iter().any(|x| x.id == s.id && x.name == s.name), "{} is at the centre", s.name);
    }
    // The combined register shows each record's origin.
    let register = run(&c, &["systems", "list", "--json"]).json();
    let origins: Vec<&str> = register.as_array().unwrap().iter().filter_map(|r| r["origin_name"].as_str()).collect();
    assert!(
        origins.contains(&"Socialförvaltningen") && origins.contains(&"Samhällsbyggnadsförvaltningen"),
        "{origins:?}"
    );

    // The centre edits one of A's systems and sends everything back to A.
    let target = sent_a[0].id;
    edit_system(&c, target, "Granskad av centrala säkerhetsfunktionen");
    let c1 = d.join("c1.rvb");
    export(&c, &c1, &[]);
    // The centre relays: A trusts its key as central. Trusted as a department, the same
    // bundle is refused, naming what it would have relayed.
    ok(&a, &["trust", "add", public_key(&c, d).to_str().unwrap(), "--name", "Central", "--yes"]);
    let as_department = run(&a, &["import", c1.to_str().unwrap()]);
    assert_eq!(as_department.code, 1, "{}", as_department.stderr);
    assert!(
        as_department.stderr.contains("en avdelning får bara föra fram sina egna ändringar")
            && as_department.stderr.contains("trust set \"Central\" --role central"),
        "{}",
        as_department.stderr
    );
    let listed = ok(&a, &["trust", "set", "Central", "--role", "central"]);
    assert!(listed.contains("centralt kontor"), "{listed}");
    let back = ok(&a, &["import", c1.to_str().unwrap()]);
    assert!(!back.contains("Konflikter"), "{back}");
    let at_a = systems(&a);
    assert_eq!(at_a.iter().find(|s| s.id == target).unwrap().description, "Granskad av centrala säkerhetsfunktionen");
    for s in &sent_b {
        assert_eq!(at_a.iter().filter(|x| x.id == s.id).count(), 1, "B's {} arrived once", s.name);
    }
    let mut names: Vec<&str> = at_a.iter().map(|s| s.name.as_str()).collect();
    let n = names.len();
    names.sort();
    names.dedup();
    // The demo names systems uniquely per municipality; A's and B's demos may share names, so
    // compare ids instead for duplicates.
    let mut ids: Vec<_> = at_a.iter().map(|s| s.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no duplicates at A");
    checked(&a);

    // A deletion travels: A deletes a system it sent, the centre imports, the system is gone.
    let gone = sent_a.last().unwrap().id;
    {
        let mut store = Store::open_existing(&a).unwrap();
        delete_system_with_everything(&mut store, gone);
    }
    let a2 = d.join("a2.rvb");
    export(&a, &a2, &["--forvaltning", "Socialförvaltningen"]);
    let plan = ok(&c, &["import", a2.to_str().unwrap()]);
    assert!(plan.contains("raderad"), "{plan}");
    assert!(!systems(&c).iter().any(|s| s.id == gone), "the deletion travelled");
    checked(&c);

    // A conflict: both change the same system; the centre sees it field by field and settles.
    let contested = sent_a[0].id;
    edit_system(&a, contested, "A:s text");
    edit_system(&c, contested, "Centralens text");
    let a3 = d.join("a3.rvb");
    export(&a, &a3, &["--forvaltning", "Socialförvaltningen"]);
    let plan = ok(&c, &["import", a3.to_str().unwrap()]);
    assert!(
        plan.contains("Konflikter (1)")
            && plan.contains("Beskrivning (description): min Centralens text | deras A:s text"),
        "{plan}"
    );
    assert_eq!(
        systems(&c).iter().find(|s| s.id == contested).unwrap().description,
        "Centralens text",
        "kept, not overwritten"
    );
    let list = ok(&c, &["conflicts", "list"]);
    assert!(list.contains("deras version gjord och skickad av Socialförvaltningen"), "{list}");
    let conflicts = run(&c, &["conflicts", "list", "--json"]).json();
    let id = conflicts[0]["id"].as_str().unwrap().to_string();
    ok(&c, &["conflicts", "resolve", &id[..8], "--keep", "theirs"]);
    assert_eq!(systems(&c).iter().find(|s| s.id == contested).unwrap().description, "A:s text");
    assert!(ok(&c, &["conflicts", "list"]).contains("Inga konflikter"));
    let c2 = d.join("c2.rvb");
    export(&c, &c2, &[]);
    let back = ok(&a, &["import", c2.to_str().unwrap()]);
    assert!(!back.contains("Konflikter"), "the settled version has seen both: {back}");
    checked(&a);
    checked(&c);
    // Converged: A and the centre hold the same systems.
    let mut at_a: Vec<(String, String)> = systems(&a).into_iter().map(|s| (s.id.to_string(), s.description)).collect();
    let mut at_c: Vec<(String, String)> = systems(&c).into_iter().map(|s| (s.id.to_string(), s.description)).collect();
    at_a.sort();
    at_c.sort();
    let c_ids: Vec<&String> = at_c.iter().map(|x| &x.0).collect();
    assert!(at_a.iter().filter(|x| c_ids.contains(&&x.0)).all(|x| at_c.contains(x)), "the same content on both sides");
}

fn a_forvaltning(db: &Path, s: &System, name: &str) -> bool {
    let store = Store::open_existing(db).unwrap();
    store.get::<riskverkstad_core::model::Forvaltning>(s.forvaltning_id).unwrap().name == name
}

/// Deletes a system and the records that hang on it, as one user action.
fn delete_system_with_everything(store: &mut Store, id: riskverkstad_core::ids::SystemId) {
    use riskverkstad_core::model::*;
    let sid = id.to_string();
    store
        .write("Radera system", |w| {
            for a in w.list_by::<RiskAnalysis>("system_id", &sid)? {
                for r in w.list_by::<Risk>("analysis_id", &a.id.to_string())? {
                    for l in w.list_by::<ActionLink>("risk_id", &r.id.to_string())? {
                        w.delete::<ActionLink>(l.id)?;
                    }
                    w.delete::<Risk>(r.id)?;
                }
                w.delete::<RiskAnalysis>(a.id)?;
            }
            for act in w.list_by::<Action>("system_id", &sid)? {
                for l in w.list_by::<ActionLink>("action_id", &act.id.to_string())? {
                    w.delete::<ActionLink>(l.id)?;
                }
                w.delete::<Action>(act.id)?;
            }
            for x in w.list_by::<RoleAssignment>("system_id", &sid)? {
                w.delete::<RoleAssignment>(x.id)?;
            }
            for x in w.list_by::<Dependency>("system_id", &sid)? {
                w.delete::<Dependency>(x.id)?;
            }
            for x in w.list_by::<Dependency>("depends_on_system_id", &sid)? {
                w.delete::<Dependency>(x.id)?;
            }
            for x in w.list_by::<SystemInformationSet>("system_id", &sid)? {
                w.delete::<SystemInformationSet>(x.id)?;
            }
            for x in w.list_by::<ProtectionRaise>("system_id", &sid)? {
                w.delete::<ProtectionRaise>(x.id)?;
            }
            for x in w.list_by::<RequirementStatus>("system_id", &sid)? {
                w.delete::<RequirementStatus>(x.id)?;
            }
            for x in w.list_by::<Decision>("system_id", &sid)? {
                w.delete::<Decision>(x.id)?;
            }
            w.delete::<System>(id)
        })
        .unwrap();
}

/// A zip with the given entries, for hand-made bundles.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// The offset in `bundle` of the middle of `name`'s stored (compressed) bytes.
fn entry_middle(bundle: &[u8], name: &str) -> usize {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bundle.to_vec())).unwrap();
    let f = z.by_name(name).unwrap();
    (f.data_start().unwrap() + f.compressed_size() / 2) as usize
}

fn entries(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bundle.to_vec())).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn every_refusal_leaves_the_database_untouched() {
    let dir = workdir();
    let d = dir.path();
    let a = department(d, "A", "1", "4");
    let c = d.join("central.db");
    ok(&c, &["keys", "init", "--department", "Central"]);
    let good = d.join("good.rvb");
    export(&a, &good, &[]);
    let bytes = std::fs::read(&good).unwrap();
    let key_text = std::fs::read_to_string(format!("{}.id_ed25519", a.display())).unwrap();
    let key = riskverkstad_bundle::SecretKey::from_openssh(&key_text).unwrap();

    let refuse = |name: &str, content: &[u8], expect: &str| {
        let file = d.join(format!("{name}.rvb"));
        std::fs::write(&file, content).unwrap();
        checked(&c); // settle the WAL so that the comparison sees only what the import does
        let before = file_bytes(&c);
        for cmd in ["verify", "import"] {
            let r = run(&c, &[cmd, file.to_str().unwrap()]);
            assert_eq!(r.code, 1, "{name}: {cmd} must fail:\n{}{}", r.stdout, r.stderr);
            assert!(r.stderr.contains(expect), "{name}: {cmd} said:\n{}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{name}");
        }
        assert_eq!(file_bytes(&c), before, "{name}: the database is unchanged");
    };

    // Unknown signer: refused, the fingerprint shown so that it can be compared.
    let fp = run(&a, &["keys", "show", "--json"]).json()["fingerprint"]["readable"].as_str().unwrap().to_string();
    refuse("unknown", &bytes, &fp);
    ok(&c, &["trust", "add", good.to_str().unwrap(), "--name", "A", "--yes"]);

    // A changed byte in the payload, the signature, or the list: in the middle of an entry's
    // stored bytes. (Not just the middle of the file: that can fall on a ZIP local header, whose
    // copy of name, size and checksum the reader does not use; see docs/bundle-format.md.)
    for entry in ["records/person.json", "SHA256SUMS.sig", "SHA256SUMS"] {
        let mut changed = bytes.clone();
        let at = entry_middle(&bytes, entry);
        changed[at] ^= 0x20;
        refuse(&format!("changed-{}", entry.replace('/', "-")), &changed, "");
    }
    let parts = entries(&bytes);
    let with = |name: &str, new: &[u8]| -> Vec<u8> {
        let files: Vec<(String, Vec<u8>)> =
            parts.iter().map(|(n, b)| (n.clone(), if n == name { new.to_vec() } else { b.clone() })).collect();
        zip_of(&files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>())
    };
    let system_json = parts.iter().find(|(n, _)| n == "records/system.json").unwrap().1.clone();
    let tampered = String::from_utf8(system_json).unwrap().replacen("\"name\":\"", "\"name\":\"X", 1);
    refuse(
        "tampered-entry",
        &with("records/system.json", tampered.as_bytes()),
        "har ändrats efter att paketet signerades",
    );
    let sums = parts.iter().find(|(n, _)| n == "SHA256SUMS").unwrap().1.clone();
    let mut sums2 = sums.clone();
    sums2[3] = if sums2[3] == b'a' { b'b' } else { b'a' };
    refuse("tampered-sums", &with("SHA256SUMS", &sums2), "Signaturen stämmer inte");

    // Truncated.
    refuse("truncated", &bytes[..bytes.len() * 2 / 3], "avkortad");
    // No signature.
    let unsigned: Vec<(&str, &[u8])> =
        parts.iter().filter(|(n, _)| n != "SHA256SUMS.sig").map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    refuse("unsigned", &zip_of(&unsigned), "saknar giltig signatur");
    // An entry whose name escapes the container.
    let mut escaping: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    escaping.push(("../../home/samordnare/.bashrc", b"echo hej"));
    refuse("escaping", &zip_of(&escaping), "otillåtet postnamn");
    // A decompression bomb: 700 MB of zeros in a few hundred kilobytes.
    let bomb = {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, b) in &parts {
            if n != "records/system.json" {
                z.start_file(n.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
                z.write_all(b).unwrap();
            }
        }
        z.start_file("records/system.json", zip::write::SimpleFileOptions::default().large_file(true)).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..700 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 2 << 20, "the bomb is small: {}", bomb.len());
    refuse("bomb", &bomb, "packas upp till mer än tillåtet");
    // A future format version, properly signed.
    let manifest: riskverkstad_bundle::Manifest =
        serde_json::from_slice(&parts.iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    let future = riskverkstad_bundle::write(
        &riskverkstad_bundle::Manifest {
            format_version: riskverkstad_bundle::FORMAT_VERSION + 1,
            sequence: 99,
            ..manifest.clone()
        },
        &[],
        &key,
        None,
    )
    .unwrap();
    refuse("future", &future, &format!("formatversion {}", riskverkstad_bundle::FORMAT_VERSION + 1));

    // Replay: once a newer bundle is in, the older one is refused.
    let newer = d.join("newer.rvb");
    export(&a, &newer, &[]);
    ok(&c, &["import", newer.to_str().unwrap()]);
    refuse("replay", &bytes, "redan inläst");
    // Revoked signer.
    ok(&c, &["trust", "revoke", "A"]);
    let newest = d.join("newest.rvb");
    export(&a, &newest, &[]);
    refuse("revoked", &std::fs::read(&newest).unwrap(), "återkallad");
}

#[test]
fn a_standard_tool_verifies_our_bundles_and_we_reject_what_it_rejects() {
    if std::process::Command::new("ssh-keygen").arg("-?").output().is_err() {
        panic!("ssh-keygen (openssh-client) is needed for this test; .ci/setup installs it");
    }
    let dir = workdir();
    let d = dir.path();
    let a = department(d, "Socialförvaltningen", "1", "3");
    let bundle = d.join("a.rvb");
    export(&a, &bundle, &[]);
    let public = std::fs::read_to_string(public_key(&a, d)).unwrap();
    let allowed = d.join("allowed_signers");
    let key: Vec<&str> = public.split_whitespace().take(2).collect();
    std::fs::write(&allowed, format!("socialforvaltningen namespaces=\"riskverkstad-bundle\" {} {}\n", key[0], key[1]))
        .unwrap();
    let parts = entries(&std::fs::read(&bundle).unwrap());
    let get = |n: &str| parts.iter().find(|(x, _)| x == n).unwrap().1.clone();
    let ssh_verify = |sums: &[u8]| -> bool {
        let sig = d.join("SHA256SUMS.sig");
        std::fs::write(&sig, get("SHA256SUMS.sig")).unwrap();
        let mut child = std::process::Command::new("ssh-keygen")
            .args([
                "-Y",
                "verify",
                "-f",
                allowed.to_str().unwrap(),
                "-I",
                "socialforvaltningen",
                "-n",
                "riskverkstad-bundle",
                "-s",
            ])
            .arg(&sig)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(sums).unwrap();
        child.wait_with_output().unwrap().status.success()
    };
    let sums = get("SHA256SUMS");
    assert!(ssh_verify(&sums), "ssh-keygen -Y verify accepts our signature");
    // Every listed entry has the listed hash (what `sha256sum -c` checks).
    for line in String::from_utf8(sums.clone()).unwrap().lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        assert_eq!(riskverkstad_bundle::sha256_hex(&get(name)), hash, "{name}");
    }
    // One changed byte in the signed list: ssh-keygen rejects it, and so do we.
    let mut bad = sums.clone();
    bad[10] = if bad[10] == b'0' { b'1' } else { b'0' };
    assert!(!ssh_verify(&bad), "ssh-keygen rejects a changed list");
    let files: Vec<(String, Vec<u8>)> =
        parts.iter().map(|(n, b)| (n.clone(), if n == "SHA256SUMS" { bad.clone() } else { b.clone() })).collect();
    let rebuilt = zip_of(&files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect::<Vec<_>>());
    assert!(matches!(
        riskverkstad_bundle::open(&rebuilt, riskverkstad_bundle::Limits::default(), None),
        Err(riskverkstad_bundle::Error::BadSignature(_))
    ));
}

#[test]
fn an_encrypted_bundle_is_for_its_recipient_only_and_age_opens_it() {
    let dir = workdir();
    let d = dir.path();
    let a = department(d, "A", "1", "3");
    let c = d.join("central.db");
    ok(&c, &["keys", "init", "--department", "Central"]);
    let enc = d.join("enc.rvb");
    export(&a, &enc, &["--encrypt-to", public_key(&c, d).to_str().unwrap()]);
    assert!(std::fs::read(&enc).unwrap().starts_with(b"age-encryption.org/v1"));
    ok(&c, &["trust", "add", public_key(&a, d).to_str().unwrap(), "--name", "A", "--yes"]);
    let v = ok(&c, &["verify", enc.to_str().unwrap()]);
    assert!(v.contains("krypterat"), "{v}");
    // The standard age tool opens it with the centre's key file, if installed.
    if std::process::Command::new("age").arg("--version").output().is_ok() {
        let out = std::process::Command::new("age")
            .args(["-d", "-i"])
            .arg(format!("{}.id_ed25519", c.display()))
            .arg(&enc)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.starts_with(b"PK"), "a zip inside");
    }
    ok(&c, &["import", enc.to_str().unwrap()]);
    assert_eq!(systems(&c).len(), 3);
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing() {
    let dir = workdir();
    let d = dir.path();
    let a = department(d, "A", "4", "150");
    let bundle = d.join("a.rvb");
    export(&a, &bundle, &[]);
    let base = d.join("base.db");
    ok(&base, &["keys", "init", "--department", "Central"]);
    ok(&base, &["trust", "add", bundle.to_str().unwrap(), "--name", "A", "--yes"]);
    checked(&base);
    let sent = systems(&a).len();

    // How long a whole import takes here, to spread the kills over it.
    let timing = d.join("timing.db");
    std::fs::copy(&base, &timing).unwrap();
    let started = std::time::Instant::now();
    ok(&timing, &["import", bundle.to_str().unwrap()]);
    let full = started.elapsed();
    assert_eq!(systems(&timing).len(), sent);

    let (mut all, mut none) = (0, 0);
    let mut seed: u64 = 0x5eed;
    for i in 0..50 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64; // 0..1
        let delay = full.mul_f64(0.05 + 1.1 * fraction);
        let db = d.join(format!("kill-{i}.db"));
        std::fs::copy(&base, &db).unwrap();
        let mut child = std::process::Command::new(riskverkstad_tests::bin())
            .arg("--db")
            .arg(&db)
            .args(["import", bundle.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL: no cleanup of any kind
        let _ = child.wait();
        checked(&db);
        let n = systems(&db).len();
        assert!(n == 0 || n == sent, "kill {i} after {delay:?}: {n} of {sent} systems — half an import");
        if n == sent {
            all += 1
        } else {
            none += 1
        }
        let _ = std::fs::remove_file(&db);
    }
    // Both outcomes occurred, so the kills did land during imports.
    assert!(all > 0 && none > 0, "all {all}, none {none}: the kills missed the import (full import {full:?})");
}
