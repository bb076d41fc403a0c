//! A bundle as it arrives: opened, every entry checked and decoded (in parallel), the
//! records validated under the method they were made with; its summary and the progress
//! reported while it is read and written.

use super::attest;
use super::inputs::Attested;
use super::kinds::{Kind, kind, kinds};
use super::plan::{IncomingRecords, WireRecord, WireTombstone};
use super::trust::SignerInfo;
use crate::error::{Error, Result};
use crate::model::MethodVersion;
use crate::store::{Read, Record, Store};
use riskverkstad_bundle::{Fingerprint, Manifest, Opened};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A bundle's content, checked and decoded.
pub struct Incoming {
    /// The manifest.
    pub manifest: Manifest,
    /// The signer (the sender's key).
    pub signer: SignerInfo,
    /// Whether it arrived encrypted.
    pub encrypted: bool,
    /// The file's SHA-256.
    pub file_sha256: String,
    pub(super) tables: Vec<(&'static str, &'static str, Vec<WireRecord>)>,
    pub(super) tombstones: Vec<WireTombstone>,
    pub(super) documents: BTreeMap<String, Vec<u8>>,
    /// The change attestations, checked (empty for a version 1 bundle).
    pub(super) attested: Attested,
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming").field("manifest", &self.manifest).finish_non_exhaustive()
    }
}

/// What `verify` reports of a bundle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct BundleSummary {
    /// The sending department, as the manifest names it.
    pub sender: String,
    /// The name it has in the trust list here.
    pub trusted_as: Option<String>,
    /// The signer's fingerprint.
    pub fingerprint: Fingerprint,
    /// The sender's installation id.
    pub installation_id: String,
    /// The sequence number.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub sequence: u64,
    /// When it was made.
    pub created_at: String,
    /// What it holds, in words.
    pub scope: String,
    /// Format version.
    pub format_version: u32,
    /// Whether it arrived encrypted.
    pub encrypted: bool,
    /// Records per table (as decoded), and "tombstones".
    pub counts: BTreeMap<String, u64>,
    /// Frozen decision documents carried.
    pub documents: u32,
    /// SHA-256 of the file.
    pub file_sha256: String,
    /// Whether exactly this bundle was imported here already.
    pub already_imported: bool,
}

impl Incoming {
    /// The summary `verify` prints.
    pub fn summary(&self, already_imported: bool) -> BundleSummary {
        let mut counts: BTreeMap<String, u64> =
            self.tables.iter().map(|(t, _, r)| (t.to_string(), r.len() as u64)).collect();
        counts.insert("tombstones".into(), self.tombstones.len() as u64);
        BundleSummary {
            sender: self.manifest.sender.name.clone(),
            trusted_as: self.signer.trusted_as.clone(),
            fingerprint: self.signer.fingerprint.clone(),
            installation_id: self.manifest.sender.installation_id.clone(),
            sequence: self.manifest.sequence,
            created_at: self.manifest.created_at.clone(),
            scope: self.manifest.scope.clone(),
            format_version: self.manifest.format_version,
            encrypted: self.encrypted,
            counts,
            documents: self.documents.len() as u32,
            file_sha256: self.file_sha256.clone(),
            already_imported,
        }
    }
}

/// How far an import (or the reading and planning before it) has come, for a progress bar.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportProgress {
    /// The step, in Swedish ("Skriver poster").
    pub step: String,
    /// Done of `total` in this step (0 of 0 for a step without a count).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    /// The step's size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
}

impl ImportProgress {
    pub(super) fn step(step: &str) -> ImportProgress {
        ImportProgress { step: step.to_string(), done: 0, total: 0 }
    }
}

/// Receives progress; called on the importing thread, at each step and about a hundred times
/// while records are written.
pub type Progress<'a> = &'a mut dyn FnMut(&ImportProgress);

impl Incoming {
    pub(super) fn records(&self) -> IncomingRecords<'_> {
        let sender_method = self.tables.iter().find(|(t, _, _)| *t == MethodVersion::TABLE).and_then(|(_, _, rs)| {
            rs.iter()
                .find(|r| r.record.get("id").and_then(Value::as_str) == Some(&self.manifest.method_version_id))
                .map(|r| {
                    (
                        self.manifest.method_version_id.clone(),
                        r.record.get("definition").cloned().unwrap_or(Value::Null),
                    )
                })
        });
        IncomingRecords {
            tables: &self.tables,
            tombstones: &self.tombstones,
            sender: (&self.manifest.sender.installation_id, self.sender_name()),
            sender_method,
            attested: &self.attested,
        }
    }

    /// The sender as this installation knows it: its name in the trust list, else as the
    /// bundle names it.
    pub fn sender_name(&self) -> &str {
        self.signer.trusted_as.as_deref().unwrap_or(&self.manifest.sender.name)
    }
}

pub(super) fn decode(opened: &mut Opened, signer: SignerInfo, store: &Store) -> Result<Incoming> {
    let bad = |what: String| Error::Bundle(riskverkstad_bundle::Error::Structure(what));
    let mut raw: Vec<(&'static Kind, Vec<u8>)> = Vec::new();
    let mut tombstones: Vec<WireTombstone> = Vec::new();
    let mut documents = BTreeMap::new();
    let mut attestations = None;
    for name in opened.names() {
        let bytes = opened.entry(&name)?;
        if let Some(table) = name.strip_prefix("records/").and_then(|n| n.strip_suffix(".json")) {
            let k = kind(table).ok_or_else(|| bad(format!("okänd posttyp {table}")))?;
            raw.push((k, bytes));
        } else if name == riskverkstad_bundle::ATTESTATIONS {
            attestations = Some(bytes);
        } else if name == "tombstones.json" {
            tombstones = serde_json::from_slice(&bytes).map_err(|e| bad(format!("{name} kunde inte läsas: {e}")))?;
        } else if let Some(sha) = name.strip_prefix("documents/").and_then(|n| n.strip_suffix(".pdf")) {
            if riskverkstad_bundle::sha256_hex(&bytes) != sha {
                return Err(bad(format!("dokumentet {name} har inte det innehåll som namnet anger")));
            }
            documents.insert(sha.to_string(), bytes);
        }
    }
    let parse = |k: &Kind, bytes: &[u8]| -> Result<Vec<WireRecord>> {
        serde_json::from_slice(bytes).map_err(|e| bad(format!("records/{}.json kunde inte läsas: {e}", k.table)))
    };
    // Validate each record under the method it was made with (its own method version if it
    // names one, else the sender's method in force). The methods come first.
    let mut methods: HashMap<String, crate::method::Method> =
        store.method_versions()?.into_iter().map(|(id, m)| (id.to_string(), m)).collect();
    let mut method_records = Vec::new();
    if let Some(i) = raw.iter().position(|(k, _)| k.table == MethodVersion::TABLE) {
        let (k, bytes) = raw.swap_remove(i);
        method_records = parse(k, &bytes)?;
        for r in &method_records {
            let mv: MethodVersion = serde_json::from_value(Value::Object(r.record.clone()))
                .map_err(|e| bad(format!("en metodversion kunde inte läsas: {e}")))?;
            mv.definition.validate().map_err(|e| bad(format!("avsändarens metod är ogiltig: {e}")))?;
            methods.insert(mv.id.to_string(), mv.definition);
        }
        raw.push((k, Vec::new()));
    }
    let sender_method =
        methods.get(&opened.manifest.method_version_id).cloned().unwrap_or_else(|| store.method().definition.clone());
    // Parsing and checking are independent per table: the largest first, on every core.
    raw.sort_by_key(|(_, b)| std::cmp::Reverse(b.len()));
    let check_table = |k: &'static Kind, bytes: &[u8]| -> Result<(&'static Kind, Vec<WireRecord>)> {
        let list = if k.table == MethodVersion::TABLE { method_records.clone() } else { parse(k, bytes)? };
        let mut checked = Vec::with_capacity(list.len());
        let mut seen = HashSet::with_capacity(list.len());
        for w in list {
            let id = w.record.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let method = w
                .record
                .get("method_version_id")
                .and_then(Value::as_str)
                .and_then(|m| methods.get(m))
                .unwrap_or(&sender_method);
            let record = (k.check)(w.record, method).map_err(|e| bad(format!("{} {id} är ogiltig: {e}", k.label)))?;
            if w.versions.is_empty() {
                return Err(bad(format!("{} {id} saknar versionsvektor", k.label)));
            }
            if !seen.insert(id.clone()) {
                return Err(bad(format!("{} {id} finns två gånger", k.label)));
            }
            checked.push(WireRecord { record, versions: w.versions });
        }
        Ok((k, checked))
    };
    let mut done: HashMap<&'static str, Vec<WireRecord>> = HashMap::new();
    for result in parallel_map(&raw, |(k, bytes)| check_table(k, bytes)) {
        let (k, list) = result?;
        done.insert(k.table, list);
    }
    let tables: Vec<_> =
        kinds().iter().filter_map(|k| done.remove(k.table).map(|list| (k.table, k.label, list))).collect();
    for t in &tombstones {
        if kind(&t.table).is_none() {
            return Err(bad(format!("en radering gäller den okända posttypen {}", t.table)));
        }
    }
    for (_, _, list) in &tables {
        for w in list {
            if let Some(Value::String(sha)) = w.record.get("document_sha256")
                && !documents.contains_key(sha)
            {
                return Err(bad(format!("beslutsdokumentet {sha} saknas i paketet")));
            }
        }
    }
    let sender = &opened.manifest.sender;
    attest::claim(store.conn(), &sender.installation_id, &sender.name, &opened.signer)?;
    let attested = attest::check(
        store.conn(),
        attestations.as_deref(),
        (&sender.installation_id, &sender.name, &opened.signer),
        signer.terms.as_ref().map(|t| t.role),
    )?;
    Ok(Incoming {
        manifest: opened.manifest.clone(),
        attested,
        signer,
        encrypted: opened.encrypted,
        file_sha256: opened.file_sha256.clone(),
        tables,
        tombstones,
        documents,
    })
}

/// `f` applied to every item, on as many threads as there are cores (at most four), in the
/// items' order. Each thread takes the next item not yet taken.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4).min(items.len());
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = std::thread::scope(|scope| {
        let work = || {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                mine.push((i, f(item)));
            }
            mine
        };
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            // A panic in a helper is a bug; pass it on rather than lose results silently.
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}
