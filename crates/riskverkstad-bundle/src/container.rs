//! The container: a zip whose `SHA256SUMS` lists every other entry's hash and is signed.
//!
//! [`open`] checks, in this order and before any payload entry is decompressed: the file's
//! size; the age layer if any; the zip directory (entry count, names from a fixed pattern,
//! no duplicates, declared sizes and ratios within [`Limits`]); the signature of
//! `SHA256SUMS`; that the listed entries are exactly the entries present; and the manifest
//! (its hash, format and version, and that its sender is the key that signed). Payload
//! entries are then read one at a time with [`Opened::entry`], which enforces the declared
//! size while decompressing and checks the listed hash.

use crate::keys::{PublicKey, SecretKey};
use crate::{ATTESTATIONS, Error, FORMAT_NAME, FORMAT_VERSION, Limits, Result, sha256_hex};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};

/// The signed list of entry hashes.
pub const SUMS: &str = "SHA256SUMS";
/// Its OpenSSH signature.
pub const SIGNATURE: &str = "SHA256SUMS.sig";
/// The bundle's metadata.
pub const MANIFEST: &str = "manifest.json";

const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const MAX_SUMS: u64 = 32 << 20;
const MAX_SIGNATURE: u64 = 64 << 10;
const MAX_MANIFEST: u64 = 4 << 20;

/// Whether `name` is an entry name a bundle may hold: the fixed names, `records/<table>.json`
/// with a lower-case table name, or `documents/<sha256>.pdf`. Nothing else, so no name can
/// escape a folder it is extracted into (no `..`, no leading `/`, no backslash).
pub fn valid_name(name: &str) -> bool {
    let lower_word = |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    match name {
        SUMS | SIGNATURE | MANIFEST | ATTESTATIONS | "tombstones.json" => true,
        _ => {
            if let Some(table) = name.strip_prefix("records/").and_then(|r| r.strip_suffix(".json")) {
                lower_word(table)
            } else if let Some(hash) = name.strip_prefix("documents/").and_then(|r| r.strip_suffix(".pdf")) {
                hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            } else {
                false
            }
        }
    }
}

/// One payload entry to write.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its name; must satisfy [`valid_name`].
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
    /// Deflate it (JSON) or store it as it is (PDFs, already compressed).
    pub compress: bool,
}

/// Who sent a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// The sending installation's id (the `origin` of the records it created).
    pub installation_id: String,
    /// The department's name.
    pub name: String,
    /// Its public key, OpenSSH one-line form.
    pub public_key: String,
    /// The key's fingerprint, OpenSSH form.
    pub fingerprint: String,
}

/// `manifest.json`: what the bundle is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The format version ([`FORMAT_VERSION`] when written by this build).
    pub format_version: u32,
    /// The sender.
    pub sender: Sender,
    /// The sender's bundle counter: every export is numbered one higher than the last.
    pub sequence: u64,
    /// When the bundle was made (RFC 3339, UTC).
    pub created_at: String,
    /// What the bundle holds, in words ("Hela databasen", "Förvaltning: …").
    pub scope: String,
    /// The id of the method version in force at the sender.
    pub method_version_id: String,
    /// Records per table, and tombstones, as counted by the sender.
    pub counts: BTreeMap<String, u64>,
}

#[derive(Deserialize)]
struct VersionProbe {
    format: Option<String>,
    format_version: Option<u32>,
}

/// Writes a signed bundle: `manifest.json` and `entries` in a zip with their signed
/// `SHA256SUMS`, age-encrypted to `encrypt_to` if given.
pub fn write(
    manifest: &Manifest,
    entries: &[Entry],
    key: &SecretKey,
    encrypt_to: Option<&PublicKey>,
) -> Result<Vec<u8>> {
    let manifest_bytes = serde_json::to_vec_pretty(manifest).map_err(|e| Error::Write(e.to_string()))?;
    let mut sums = format!("{}  {MANIFEST}\n", sha256_hex(&manifest_bytes));
    let mut seen = BTreeSet::new();
    for e in entries {
        if !valid_name(&e.name) || matches!(e.name.as_str(), SUMS | SIGNATURE | MANIFEST) || !seen.insert(&e.name) {
            return Err(Error::Write(format!("ogiltigt postnamn {:?}", e.name)));
        }
        sums.push_str(&format!("{}  {}\n", sha256_hex(&e.bytes), e.name));
    }
    let signature = key.sign(sums.as_bytes())?;

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(false);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut put = |name: &str, bytes: &[u8], compress: bool| -> Result<()> {
        zip.start_file(name, if compress { deflated } else { stored }).map_err(|e| Error::Write(e.to_string()))?;
        zip.write_all(bytes).map_err(|e| Error::Write(e.to_string()))
    };
    put(SUMS, sums.as_bytes(), false)?;
    put(SIGNATURE, signature.as_bytes(), false)?;
    put(MANIFEST, &manifest_bytes, true)?;
    for e in entries {
        put(&e.name, &e.bytes, e.compress)?;
    }
    let bytes = zip.finish().map_err(|e| Error::Write(e.to_string()))?.into_inner();
    match encrypt_to {
        None => Ok(bytes),
        Some(recipient) => {
            let r = recipient.age_recipient()?;
            let enc = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
                .map_err(|e| Error::Write(e.to_string()))?;
            let mut out = Vec::with_capacity(bytes.len() + 512);
            let mut w = enc.wrap_output(&mut out).map_err(|e| Error::Write(e.to_string()))?;
            w.write_all(&bytes).map_err(|e| Error::Write(e.to_string()))?;
            w.finish().map_err(|e| Error::Write(e.to_string()))?;
            Ok(out)
        }
    }
}

/// A bundle whose container, signature and manifest have been checked; its payload entries
/// are read with [`Opened::entry`].
pub struct Opened {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    sums: BTreeMap<String, String>,
    /// The key that signed it (the same as the manifest's sender key).
    pub signer: PublicKey,
    /// The manifest.
    pub manifest: Manifest,
    /// Whether it arrived age-encrypted.
    pub encrypted: bool,
    /// SHA-256 of the file as received: tells a re-import of the very same bundle.
    pub file_sha256: String,
    /// Total decompressed size of every entry (as declared and checked).
    pub total_size: u64,
    limits: Limits,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened").field("manifest", &self.manifest).field("file_sha256", &self.file_sha256).finish()
    }
}

/// Whether a file looks age-encrypted.
pub fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(AGE_MAGIC)
}

/// Checks a bundle file and returns it opened; see the module documentation for the order.
/// `identity` decrypts an age-encrypted bundle.
pub fn open(bytes: &[u8], limits: Limits, identity: Option<&SecretKey>) -> Result<Opened> {
    if bytes.len() as u64 > limits.max_file {
        return Err(Error::TooLarge { size: bytes.len() as u64, max: limits.max_file });
    }
    let file_sha256 = sha256_hex(bytes);
    let encrypted = is_encrypted(bytes);
    let plain = if encrypted {
        let key = identity.ok_or_else(|| Error::Decrypt("ingen nyckel".into()))?;
        let id = key.age_identity()?;
        let dec = age::Decryptor::new(bytes).map_err(|e| Error::Decrypt(e.to_string()))?;
        let mut reader =
            dec.decrypt(std::iter::once(&id as &dyn age::Identity)).map_err(|e| Error::Decrypt(e.to_string()))?;
        let mut out = Vec::new();
        (&mut reader).take(limits.max_file + 1).read_to_end(&mut out).map_err(|e| Error::Decrypt(e.to_string()))?;
        if out.len() as u64 > limits.max_file {
            return Err(Error::TooLarge { size: out.len() as u64, max: limits.max_file });
        }
        out
    } else {
        bytes.to_vec()
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(plain)).map_err(|e| Error::NotABundle(e.to_string()))?;
    let (total_size, names) = check_directory(&mut archive, &limits)?;

    let sums_text = read_limited(&mut archive, SUMS, MAX_SUMS)?;
    let signature = read_limited(&mut archive, SIGNATURE, MAX_SIGNATURE)?;
    let signer = PublicKey::of_signature(&signature)?;
    signer.verify(&sums_text, &signature)?;
    let sums = parse_sums(&sums_text)?;
    let present: BTreeSet<String> = names.into_iter().filter(|n| n != SUMS && n != SIGNATURE).collect();
    let listed: BTreeSet<String> = sums.keys().cloned().collect();
    if let Some(extra) = present.difference(&listed).next() {
        return Err(Error::Structure(format!("posten {extra} finns i paketet men inte i den signerade listan")));
    }
    if let Some(missing) = listed.difference(&present).next() {
        return Err(Error::Structure(format!("posten {missing} saknas (paketet är avkortat)")));
    }

    let mut opened = Opened {
        archive,
        sums,
        signer,
        manifest: Manifest {
            format: String::new(),
            format_version: 0,
            sender: Sender {
                installation_id: String::new(),
                name: String::new(),
                public_key: String::new(),
                fingerprint: String::new(),
            },
            sequence: 0,
            created_at: String::new(),
            scope: String::new(),
            method_version_id: String::new(),
            counts: BTreeMap::new(),
        },
        encrypted,
        file_sha256,
        total_size,
        limits,
    };
    let manifest_bytes = opened.entry_limited(MANIFEST, MAX_MANIFEST)?;
    let probe: VersionProbe = serde_json::from_slice(&manifest_bytes).map_err(|e| Error::Manifest(e.to_string()))?;
    if probe.format.as_deref() != Some(FORMAT_NAME) {
        return Err(Error::Manifest(format!("formatet är {:?}, inte {FORMAT_NAME}", probe.format.unwrap_or_default())));
    }
    let version = probe.format_version.ok_or_else(|| Error::Manifest("formatversion saknas".into()))?;
    if version > FORMAT_VERSION {
        return Err(Error::FutureVersion { found: version, supported: FORMAT_VERSION });
    }
    if version == 0 {
        return Err(Error::Manifest("formatversion 0 finns inte".into()));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| Error::Manifest(e.to_string()))?;
    let declared = PublicKey::from_openssh(&manifest.sender.public_key).map_err(|e| Error::Manifest(e.to_string()))?;
    if declared != opened.signer || manifest.sender.fingerprint != opened.signer.fingerprint().openssh {
        return Err(Error::Manifest("avsändarens nyckel i manifestet är inte nyckeln som signerade".into()));
    }
    opened.manifest = manifest;
    Ok(opened)
}

fn check_directory(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, limits: &Limits) -> Result<(u64, BTreeSet<String>)> {
    if archive.len() > limits.max_entries {
        return Err(Error::Structure(format!("{} poster, högst {} tas emot", archive.len(), limits.max_entries)));
    }
    let mut names = BTreeSet::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let f = archive.by_index_raw(i).map_err(|e| Error::NotABundle(e.to_string()))?;
        let name = std::str::from_utf8(f.name_raw())
            .map_err(|_| Error::Structure("ett postnamn är inte giltig UTF-8".into()))?
            .to_string();
        if !valid_name(&name) {
            return Err(Error::Structure(format!("otillåtet postnamn {name:?}")));
        }
        if !names.insert(name.clone()) {
            return Err(Error::Structure(format!("posten {name} finns två gånger")));
        }
        if f.encrypted()
            || !matches!(f.compression(), zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated)
        {
            return Err(Error::Structure(format!("posten {name} använder en packning som inte stöds")));
        }
        let size = f.size();
        if size > limits.max_entry {
            return Err(Error::Bomb(format!("posten {name} är {size} byte, högst {} byte", limits.max_entry)));
        }
        if size > (1 << 20) && size / f.compressed_size().max(1) > limits.max_ratio {
            return Err(Error::Bomb(format!(
                "posten {name} packas upp {} gånger, högst {} gånger",
                size / f.compressed_size().max(1),
                limits.max_ratio
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_total {
            return Err(Error::Bomb(format!("sammanlagt mer än {} byte", limits.max_total)));
        }
    }
    for required in [SUMS, SIGNATURE, MANIFEST] {
        if !names.contains(required) {
            return Err(if required == MANIFEST {
                Error::Structure(format!("posten {required} saknas"))
            } else {
                Error::Unsigned(format!("posten {required} saknas"))
            });
        }
    }
    Ok((total, names))
}

/// Reads a small entry, refusing more than `max` bytes or more than its header declares.
fn read_limited(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str, max: u64) -> Result<Vec<u8>> {
    let f = archive.by_name(name).map_err(|e| Error::Structure(format!("{name}: {e}")))?;
    let declared = f.size();
    if declared > max {
        return Err(Error::Bomb(format!("posten {name} är {declared} byte, högst {max} byte")));
    }
    let mut out = Vec::with_capacity(declared as usize);
    f.take(declared + 1).read_to_end(&mut out).map_err(|e| Error::Tampered(format!("{name} ({e})")))?;
    if out.len() as u64 != declared {
        return Err(Error::Bomb(format!("posten {name} är större än dess huvud anger")));
    }
    Ok(out)
}

fn parse_sums(text: &[u8]) -> Result<BTreeMap<String, String>> {
    let text = std::str::from_utf8(text).map_err(|_| Error::Structure("SHA256SUMS är inte text".into()))?;
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let (hash, name) =
            line.split_once("  ").ok_or_else(|| Error::Structure(format!("felaktig rad i SHA256SUMS: {line:?}")))?;
        let hex_ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hex_ok || !valid_name(name) || matches!(name, SUMS | SIGNATURE) {
            return Err(Error::Structure(format!("felaktig rad i SHA256SUMS: {line:?}")));
        }
        if out.insert(name.to_string(), hash.to_string()).is_some() {
            return Err(Error::Structure(format!("posten {name} står två gånger i SHA256SUMS")));
        }
    }
    if !out.contains_key(MANIFEST) {
        return Err(Error::Structure("SHA256SUMS saknar manifest.json".into()));
    }
    Ok(out)
}

impl Opened {
    /// The payload entries' names (everything listed except the manifest), sorted.
    pub fn names(&self) -> Vec<String> {
        self.sums.keys().filter(|n| *n != MANIFEST).cloned().collect()
    }

    /// Whether the bundle has an entry.
    pub fn has(&self, name: &str) -> bool {
        self.sums.contains_key(name)
    }

    /// A payload entry's content: decompressed no further than its declared size and
    /// [`Limits::max_entry`], and checked against its signed hash.
    pub fn entry(&mut self, name: &str) -> Result<Vec<u8>> {
        self.entry_limited(name, self.limits.max_entry)
    }

    fn entry_limited(&mut self, name: &str, max: u64) -> Result<Vec<u8>> {
        let expected = self.sums.get(name).cloned().ok_or_else(|| Error::Structure(format!("posten {name} saknas")))?;
        let bytes = read_limited(&mut self.archive, name, max)?;
        if sha256_hex(&bytes) != expected {
            return Err(Error::Tampered(name.to_string()));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests;
