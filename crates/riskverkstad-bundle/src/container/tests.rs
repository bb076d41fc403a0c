use super::*;
use proptest::prelude::*;

fn manifest(key: &SecretKey, version: u32) -> Manifest {
    let public = key.public();
    Manifest {
        format: FORMAT_NAME.into(),
        format_version: version,
        sender: Sender {
            installation_id: "0192f000-0000-7000-8000-000000000001".into(),
            name: "Socialförvaltningen".into(),
            public_key: public.to_openssh(),
            fingerprint: public.fingerprint().openssh,
        },
        sequence: 1,
        created_at: "2026-11-22T10:00:00Z".into(),
        scope: "Hela databasen".into(),
        method_version_id: "m".into(),
        counts: BTreeMap::from([("system".to_string(), 2)]),
    }
}

fn entries() -> Vec<Entry> {
    vec![
        Entry { name: "records/system.json".into(), bytes: br#"[{"id":"a"},{"id":"b"}]"#.repeat(50), compress: true },
        Entry {
            name: format!("documents/{}.pdf", sha256_hex(b"%PDF-1.7")),
            bytes: b"%PDF-1.7".to_vec(),
            compress: false,
        },
    ]
}

fn bundle(key: &SecretKey) -> Vec<u8> {
    write(&manifest(key, FORMAT_VERSION), &entries(), key, None).expect("write")
}

/// A zip with the given raw entries (name, bytes), for hand-made malformed bundles.
fn raw_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// Signs hand-made sums and manifest the way `write` does, for malformed-but-signed bundles.
fn signed(key: &SecretKey, manifest_bytes: &[u8], extra: &[(&str, &[u8])], listed: &[(&str, &[u8])]) -> Vec<u8> {
    let mut sums = format!("{}  {MANIFEST}\n", sha256_hex(manifest_bytes));
    for (n, b) in listed {
        sums.push_str(&format!("{}  {n}\n", sha256_hex(b)));
    }
    let sig = key.sign(sums.as_bytes()).expect("sign");
    let mut files: Vec<(&str, &[u8])> =
        vec![(SUMS, sums.as_bytes()), (SIGNATURE, sig.as_bytes()), (MANIFEST, manifest_bytes)];
    files.extend_from_slice(extra);
    raw_zip(&files)
}

#[test]
fn round_trip_reads_every_entry_and_the_signer() {
    let key = SecretKey::generate("Socialförvaltningen").expect("key");
    let bytes = bundle(&key);
    let mut opened = open(&bytes, Limits::default(), None).expect("opens");
    assert_eq!(opened.signer, key.public());
    assert_eq!(opened.manifest, manifest(&key, FORMAT_VERSION));
    assert!(!opened.encrypted);
    assert_eq!(opened.names().len(), 2);
    for e in entries() {
        assert_eq!(opened.entry(&e.name).expect("entry"), e.bytes);
    }
}

#[test]
fn encrypted_bundles_open_only_with_the_recipients_key() {
    let sender = SecretKey::generate("A").expect("key");
    let receiver = SecretKey::generate("Centralt").expect("key");
    let bytes = write(&manifest(&sender, 1), &entries(), &sender, Some(&receiver.public())).expect("write");
    assert!(is_encrypted(&bytes));
    assert!(matches!(open(&bytes, Limits::default(), None), Err(Error::Decrypt(_))));
    let stranger = SecretKey::generate("C").expect("key");
    assert!(matches!(open(&bytes, Limits::default(), Some(&stranger)), Err(Error::Decrypt(_))));
    let mut opened = open(&bytes, Limits::default(), Some(&receiver)).expect("opens");
    assert!(opened.encrypted);
    assert_eq!(opened.signer, sender.public());
    assert_eq!(opened.entry("records/system.json").expect("entry"), entries()[0].bytes);
}

#[test]
fn a_missing_signature_is_refused() {
    let key = SecretKey::generate("A").expect("key");
    let m = serde_json::to_vec(&manifest(&key, 1)).expect("json");
    let sums = format!("{}  {MANIFEST}\n", sha256_hex(&m));
    let bytes = raw_zip(&[(SUMS, sums.as_bytes()), (MANIFEST, &m)]);
    assert!(matches!(open(&bytes, Limits::default(), None), Err(Error::Unsigned(_))));
    let bytes =
        raw_zip(&[(SUMS, sums.as_bytes()), (SIGNATURE, b"-----BEGIN SSH SIGNATURE-----\nAAAA\n"), (MANIFEST, &m)]);
    assert!(matches!(open(&bytes, Limits::default(), None), Err(Error::Unsigned(_))));
}

#[test]
fn names_that_escape_or_are_unknown_are_refused_before_the_signature() {
    for bad in [
        "../etc/passwd",
        "/abs.json",
        "records/../../x.json",
        "records\\x.json",
        "documents/zz.pdf",
        "other.txt",
        "records/System.json",
    ] {
        assert!(!valid_name(bad), "{bad}");
        let bytes = raw_zip(&[(bad, b"x")]);
        let err = open(&bytes, Limits::default(), None).expect_err(bad);
        assert!(matches!(err, Error::Structure(_)), "{bad}: {err}");
    }
    assert!(valid_name("records/risk_analysis.json"));
}

#[test]
fn an_entry_not_in_the_signed_list_is_refused() {
    let key = SecretKey::generate("A").expect("key");
    let m = serde_json::to_vec(&manifest(&key, 1)).expect("json");
    let bytes = signed(&key, &m, &[("records/system.json", b"[]")], &[]);
    let err = open(&bytes, Limits::default(), None).expect_err("extra");
    assert!(err.to_string().contains("inte i den signerade listan"), "{err}");
    let bytes = signed(&key, &m, &[], &[("records/system.json", b"[]")]);
    let err = open(&bytes, Limits::default(), None).expect_err("missing");
    assert!(err.to_string().contains("saknas"), "{err}");
}

#[test]
fn a_future_format_version_is_refused_with_both_versions() {
    let key = SecretKey::generate("A").expect("key");
    let bytes = write(&manifest(&key, FORMAT_VERSION + 1), &[], &key, None).expect("write");
    let err = open(&bytes, Limits::default(), None).expect_err("future");
    assert!(matches!(err, Error::FutureVersion { found: 3, supported: 2 }), "{err}");
    assert!(err.to_string().contains("formatversion 3"), "{err}");
}

#[test]
fn a_version_1_bundle_still_opens() {
    let key = SecretKey::generate("A").expect("key");
    let bytes = write(
        &manifest(&key, 1),
        &[("records/system.json".into(), b"[]".to_vec())].map(|(name, bytes)| crate::Entry {
            name,
            bytes,
            compress: true,
        }),
        &key,
        None,
    )
    .expect("write");
    let opened = open(&bytes, Limits::default(), None).expect("version 1 reads");
    assert_eq!(opened.manifest.format_version, 1);
}

#[test]
fn a_change_attestation_verifies_only_in_its_own_namespace_and_with_its_own_text() {
    let key = SecretKey::generate("A").expect("key");
    let body = b"riskverkstad-change 1\ninstallation x\n";
    let sig = key.sign_in(crate::CHANGE_NAMESPACE, body).expect("sign");
    key.public().verify_in(crate::CHANGE_NAMESPACE, body, sig.as_bytes()).expect("verifies");
    assert!(key.public().verify(body, sig.as_bytes()).is_err(), "not a bundle signature");
    assert!(key.public().verify_in(crate::CHANGE_NAMESPACE, b"other", sig.as_bytes()).is_err());
}

#[test]
fn a_manifest_naming_another_sender_than_the_signer_is_refused() {
    let key = SecretKey::generate("A").expect("key");
    let other = SecretKey::generate("B").expect("key");
    let bytes = write(&manifest(&other, 1), &[], &key, None).expect("write");
    assert!(matches!(open(&bytes, Limits::default(), None), Err(Error::Manifest(_))));
}

#[test]
fn decompression_bombs_are_refused_from_the_directory() {
    let key = SecretKey::generate("A").expect("key");
    let zeros = vec![0u8; 8 << 20];
    let name = "records/system.json";
    let m = serde_json::to_vec(&manifest(&key, 1)).expect("json");
    let bytes = signed(&key, &m, &[(name, &zeros)], &[(name, &zeros)]);
    // 8 MiB of zeros deflate ~1000:1: refused on the ratio before anything is inflated.
    let err = open(&bytes, Limits::default(), None).expect_err("ratio");
    assert!(matches!(err, Error::Bomb(_)), "{err}");
    let small = Limits { max_ratio: u64::MAX, max_entry: 1 << 20, ..Limits::default() };
    assert!(matches!(open(&bytes, small, None), Err(Error::Bomb(_))));
    let total = Limits { max_ratio: u64::MAX, max_total: 4 << 20, ..Limits::default() };
    assert!(matches!(open(&bytes, total, None), Err(Error::Bomb(_))));
    let file = Limits { max_file: 100, ..Limits::default() };
    assert!(matches!(open(&bytes, file, None), Err(Error::TooLarge { .. })));
}

#[test]
fn truncation_anywhere_is_refused() {
    let key = SecretKey::generate("A").expect("key");
    let bytes = bundle(&key);
    for len in (0..bytes.len()).step_by(7) {
        let r = open(&bytes[..len], Limits::default(), None);
        let read_all = r.and_then(|mut o| {
            for n in o.names() {
                o.entry(&n)?;
            }
            Ok(())
        });
        assert!(read_all.is_err(), "truncated to {len} of {} bytes was accepted", bytes.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Any changed byte is refused: by the zip directory, the signature, or an entry's hash.
    #[test]
    fn any_changed_byte_is_refused(pos in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let key = SecretKey::generate("A").expect("key");
        let mut bytes = bundle(&key);
        let i = pos.index(bytes.len());
        bytes[i] ^= xor;
        let r = open(&bytes, Limits::default(), None).and_then(|mut o| {
            let mut all = Vec::new();
            for n in o.names() {
                all.push(o.entry(&n)?);
            }
            Ok((o.manifest.clone(), all))
        });
        // Some bytes of a zip are not covered by anything (the archive comment length of an
        // empty comment is not, but file-level padding is not written by us): accept only if
        // everything read back is exactly what was signed.
        if let Ok((m, all)) = r {
            prop_assert_eq!(m, manifest(&key, FORMAT_VERSION));
            let want: Vec<Vec<u8>> = {
                let mut e = entries();
                e.sort_by(|a, b| a.name.cmp(&b.name));
                e.into_iter().map(|e| e.bytes).collect()
            };
            prop_assert_eq!(all, want);
        }
    }
}
