//! Exchange between departments: the department identity and its key, the trust list,
//! exporting a signed bundle, and importing one (verify → plan → apply in one transaction),
//! with conflicts kept for a person to settle.
//!
//! The container, the signature and the limits are `riskverkstad-bundle`'s; this module puts
//! records in and takes them out. The plan is a pure function ([`plan::plan`]) of the local
//! state and the bundle. Invariants:
//! - nothing is written before the container, the signature, the signer (trusted, not
//!   revoked), the sequence number (newer than the last from that sender) and every payload
//!   entry (hash, shape, validation) have been checked;
//! - an import is one transaction, planned again inside it; a conflict never overwrites
//!   the local record;
//! - the private key lives in its own file (mode 0600), never in the database, a bundle or a
//!   log.

pub mod plan;
mod trust;

pub use plan::{ChangeKind, FieldDiff, KindCounts, MergePlan, PlannedChange, WireRecord, WireTombstone};
pub use riskverkstad_bundle::{Fingerprint, Limits, PublicKey};
pub use trust::{Identity, SignerInfo, TrustState, TrustedKey};

use crate::error::{Error, Result};
use crate::ids::Timestamp;
use crate::model::{Decision, MethodVersion};
use crate::store::{Read, Record, Store, Versions, Writer, merge};
use plan::{Fk, IncomingRecords, Key, LocalState};
use riskverkstad_bundle::{Entry, Manifest, Opened, Sender};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

/// The audit log's action name for an import starts with this.
pub const IMPORT_ACTION: &str = "Import av paket";
/// The audit log's action name for settling a conflict starts with this.
pub const RESOLVE_ACTION: &str = "Konflikt avgjord";

/// Records in their serde form, by id.
type Objects = Vec<(String, Map<String, Value>)>;
/// One record in its serde form, if it exists.
type Found = Result<Option<Map<String, Value>>>;
/// A record's typed check: deserialise and validate under a method; the object back or why not.
type Check = fn(Map<String, Value>, &crate::method::Method) -> std::result::Result<Map<String, Value>, String>;

/// A record's insert from its checked object form, with its audit text if already encoded.
type Insert = fn(&mut Writer<'_>, &Map<String, Value>, &Versions, Option<String>) -> Result<()>;

/// One kind of record, as the exchange handles it without knowing its type.
pub(crate) struct Kind {
    pub table: &'static str,
    pub label: &'static str,
    /// The record's own columns (after the common ones).
    #[cfg_attr(not(test), allow(dead_code))]
    pub columns: &'static [(&'static str, crate::store::ColKind)],
    objects: fn(&Connection) -> Result<Objects>,
    check: Check,
    put: fn(&mut Writer<'_>, Map<String, Value>, &Versions) -> Result<()>,
    insert: Insert,
    find: fn(&Connection, &str) -> Found,
    remove: fn(&mut Writer<'_>, &str, &str, &Versions) -> Result<()>,
}

fn check_typed<R: Record>(
    m: Map<String, Value>,
    method: &crate::method::Method,
) -> std::result::Result<Map<String, Value>, String> {
    // Deserialised by reference: the map itself is what is stored, once its typed form has
    // passed the record's own validation.
    let value = Value::Object(m);
    let rec = R::deserialize(&value).map_err(|e| e.to_string())?;
    rec.validate(method).map_err(|e| e.to_string())?;
    let Value::Object(mut m) = value else { unreachable!("built as an object above") };
    // A bundle from an older version lacks the fields added since: they get their defaults,
    // as the typed record has them, so that every column is written.
    if R::COLUMNS.iter().any(|(c, _)| !m.contains_key(*c)) {
        let typed = crate::store::to_object(&rec).map_err(|e| e.to_string())?;
        for (column, _) in R::COLUMNS {
            if !m.contains_key(*column)
                && let Some(v) = typed.get(*column)
            {
                m.insert((*column).to_string(), v.clone());
            }
        }
    }
    Ok(m)
}

fn put_typed<R: Record>(w: &mut Writer<'_>, m: Map<String, Value>, versions: &Versions) -> Result<()> {
    let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
    let rec: R = serde_json::from_value(Value::Object(m)).map_err(|e| Error::Decode {
        table: R::TABLE,
        id,
        detail: e.to_string(),
    })?;
    w.put_received(&rec, versions)
}

fn find_typed<R: Record>(conn: &Connection, id: &str) -> Found {
    let Ok(uuid) = id.parse::<uuid::Uuid>() else { return Ok(None) };
    crate::store::find_record::<R>(conn, R::Id::from(uuid))?.map(|r| crate::store::to_object(&r)).transpose()
}

fn insert_typed<R: Record>(
    w: &mut Writer<'_>,
    m: &Map<String, Value>,
    versions: &Versions,
    encoded: Option<String>,
) -> Result<()> {
    w.insert_received_object::<R>(m, versions, encoded)
}

fn remove_typed<R: Record>(w: &mut Writer<'_>, id: &str, origin: &str, versions: &Versions) -> Result<()> {
    let uuid: uuid::Uuid = id.parse().map_err(|e: uuid::Error| Error::Decode {
        table: R::TABLE,
        id: id.to_string(),
        detail: e.to_string(),
    })?;
    w.remove_received::<R>(R::Id::from(uuid), origin, versions)
}

fn objects_typed<R: Record>(conn: &Connection) -> Result<Objects> {
    crate::store::list_objects::<R>(conn)
}

/// Every record kind, in dependency order (referenced tables first).
pub(crate) fn kinds() -> &'static [Kind] {
    static KINDS: OnceLock<Vec<Kind>> = OnceLock::new();
    KINDS.get_or_init(|| {
        let mut v = Vec::new();
        macro_rules! push {
            ($t:ty) => {
                v.push(Kind {
                    table: <$t as Record>::TABLE,
                    label: <$t as Record>::LABEL,
                    columns: <$t as Record>::COLUMNS,
                    objects: objects_typed::<$t>,
                    check: check_typed::<$t>,
                    put: put_typed::<$t>,
                    insert: insert_typed::<$t>,
                    find: find_typed::<$t>,
                    remove: remove_typed::<$t>,
                });
            };
        }
        crate::for_each_record!(push);
        v
    })
}

/// The record tables in dependency order (referenced tables first): the order a bundle's
/// records are applied in.
pub fn table_order() -> Vec<&'static str> {
    kinds().iter().map(|k| k.table).collect()
}

fn kind(table: &str) -> Option<&'static Kind> {
    kinds().iter().find(|k| k.table == table)
}

/// The foreign keys between record tables, as the schema declares them.
pub(crate) fn foreign_keys(conn: &Connection) -> Result<Vec<Fk>> {
    let mut out = Vec::new();
    for k in kinds() {
        let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({})", k.table))?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (target, column) in rows {
            if let Some(t) = kind(&target) {
                out.push(Fk { table: k.table, column, target: t.table });
            }
        }
    }
    Ok(out)
}

fn exchange_error(code: &'static str, message: impl Into<String>) -> Error {
    Error::Exchange { code, message: message.into() }
}

// ---------------------------------------------------------------------------------------
// Export

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every record.
    All,
    /// One förvaltning: its systems with everything about them, and what they refer to.
    Forvaltning(crate::ids::ForvaltningId),
    /// Chosen systems with everything about them, and what they refer to.
    Systems(Vec<crate::ids::SystemId>),
}

/// A bundle made by [`Store::export_bundle`].
#[derive(Debug, Clone)]
pub struct Exported {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its manifest.
    pub manifest: Manifest,
    /// Whether it is encrypted, and to whom (fingerprint).
    pub encrypted_to: Option<Fingerprint>,
}

/// Which records belong to a subset: the seed systems (and förvaltning) and what hangs on
/// them, then everything those refer to.
fn scope_closure(
    objects: &HashMap<&'static str, Objects>,
    fks: &[Fk],
    systems: &HashSet<String>,
    forvaltningar: &HashSet<String>,
) -> HashSet<Key> {
    // Which references make a record part of what it refers to.
    const OWNED_BY: &[(&str, &str)] = &[
        ("role_assignment", "system_id"),
        ("role_assignment", "information_set_id"),
        ("dependency", "system_id"),
        ("system_information_set", "system_id"),
        ("protection_raise", "system_id"),
        ("requirement_status", "system_id"),
        ("risk_analysis", "system_id"),
        ("decision", "system_id"),
        ("decision", "forvaltning_id"),
        ("classification", "information_set_id"),
        ("information_set", "forvaltning_id"),
        ("unit", "forvaltning_id"),
        ("person", "forvaltning_id"),
        ("risk", "analysis_id"),
        ("action_link", "risk_id"),
        ("action", "system_id"),
    ];
    let mut inc: HashSet<Key> = HashSet::new();
    for k in kinds() {
        for (id, _) in objects.get(k.table).map(Vec::as_slice).unwrap_or_default() {
            if (k.table == "system" && systems.contains(id)) || (k.table == "forvaltning" && forvaltningar.contains(id))
            {
                inc.insert((k.table, id.clone()));
            }
        }
    }
    loop {
        let before = inc.len();
        // Downward: what hangs on included records (systems and förvaltningar only if seeds).
        for k in kinds() {
            for (id, obj) in objects.get(k.table).map(Vec::as_slice).unwrap_or_default() {
                if inc.contains(&(k.table, id.clone())) {
                    continue;
                }
                let owned = fks
                    .iter()
                    .filter(|f| f.table == k.table && OWNED_BY.contains(&(f.table, f.column.as_str())))
                    .any(|f| {
                        let Some(Value::String(v)) = obj.get(&f.column) else { return false };
                        match f.target {
                            "system" => systems.contains(v),
                            "forvaltning" => forvaltningar.contains(v),
                            t => inc.contains(&(t, v.clone())),
                        }
                    });
                if owned {
                    inc.insert((k.table, id.clone()));
                }
            }
        }
        // Upward: everything included records refer to.
        let mut add = Vec::new();
        for (table, id) in &inc {
            let Some(obj) = objects.get(table).and_then(|v| v.iter().find(|(i, _)| i == id)).map(|(_, o)| o) else {
                continue;
            };
            for f in fks.iter().filter(|f| f.table == *table) {
                if let Some(Value::String(v)) = obj.get(&f.column) {
                    add.push((f.target, v.clone()));
                }
            }
        }
        inc.extend(add);
        if inc.len() == before {
            return inc;
        }
    }
}

impl Store {
    /// Exports a signed bundle of `scope`, encrypted to `encrypt_to` if given. Takes the next
    /// sequence number. Needs the department identity ([`Store::init_identity`]).
    pub fn export_bundle(&mut self, scope: &Scope, encrypt_to: Option<&PublicKey>) -> Result<Exported> {
        let identity = self.identity()?.ok_or_else(|| {
            exchange_error(
                "no_identity",
                "Installationen har ingen avdelningsidentitet ännu. Skapa den först (riskverkstad keys init --department NAMN).",
            )
        })?;
        let key = self.secret_key(&identity)?;
        let fks = foreign_keys(self.conn())?;
        let mut objects: HashMap<&'static str, Objects> = HashMap::new();
        for k in kinds() {
            objects.insert(k.table, (k.objects)(self.conn())?);
        }
        let (scope_text, included): (String, Option<HashSet<Key>>) = match scope {
            Scope::All => ("Hela databasen".into(), None),
            Scope::Forvaltning(f) => {
                let fv: crate::model::Forvaltning = self.get(*f)?;
                let systems: HashSet<String> = objects["system"]
                    .iter()
                    .filter(|(_, o)| o.get("forvaltning_id").and_then(Value::as_str) == Some(&f.to_string()))
                    .map(|(id, _)| id.clone())
                    .collect();
                let fset = HashSet::from([f.to_string()]);
                (format!("Förvaltning: {}", fv.name), Some(scope_closure(&objects, &fks, &systems, &fset)))
            }
            Scope::Systems(ids) => {
                let mut names = Vec::new();
                for id in ids {
                    let s: crate::model::System = self.get(*id)?;
                    names.push(s.name);
                }
                let systems: HashSet<String> = ids.iter().map(|i| i.to_string()).collect();
                (
                    format!("System: {}", names.join(", ")),
                    Some(scope_closure(&objects, &fks, &systems, &HashSet::new())),
                )
            }
        };
        let stored = all_versions(self.conn())?;
        let mut entries = Vec::new();
        let mut counts = BTreeMap::new();
        let mut documents = BTreeSet::new();
        for k in kinds() {
            let mut list = Vec::new();
            for (id, obj) in objects.remove(k.table).unwrap_or_default() {
                if included.as_ref().is_some_and(|inc| !inc.contains(&(k.table, id.clone()))) {
                    continue;
                }
                let versions =
                    stored.get(&(k.table, id.clone())).cloned().unwrap_or_else(|| crate::store::implicit_of(&obj));
                if k.table == Decision::TABLE
                    && let Some(Value::String(sha)) = obj.get("document_sha256")
                {
                    documents.insert(sha.clone());
                }
                list.push(WireRecord { record: obj, versions });
            }
            if list.is_empty() {
                continue;
            }
            counts.insert(k.table.to_string(), list.len() as u64);
            let bytes = serde_json::to_vec(&list).map_err(|e| exchange_error("bundle_write", e.to_string()))?;
            entries.push(Entry { name: format!("records/{}.json", k.table), bytes, compress: true });
        }
        let tombstones = all_tombstones(self.conn())?;
        counts.insert("tombstones".into(), tombstones.len() as u64);
        entries.push(Entry {
            name: "tombstones.json".into(),
            bytes: serde_json::to_vec(&tombstones).map_err(|e| exchange_error("bundle_write", e.to_string()))?,
            compress: true,
        });
        for sha in documents {
            let bytes = crate::decisions::document(self, &sha)?;
            entries.push(Entry { name: format!("documents/{sha}.pdf"), bytes, compress: false });
        }
        let sequence: u64 = self.connection().query_row(
            "UPDATE identity SET last_sequence = last_sequence + 1 RETURNING last_sequence",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64;
        let public = key.public();
        let manifest = Manifest {
            format: riskverkstad_bundle::FORMAT_NAME.into(),
            format_version: riskverkstad_bundle::FORMAT_VERSION,
            sender: Sender {
                installation_id: self.installation().id.to_string(),
                name: identity.name.clone(),
                public_key: public.to_openssh(),
                fingerprint: public.fingerprint().openssh,
            },
            sequence,
            created_at: Timestamp::now().to_string(),
            scope: scope_text,
            method_version_id: self.method().id.to_string(),
            counts,
        };
        let bytes = riskverkstad_bundle::write(&manifest, &entries, &key, encrypt_to)?;
        Ok(Exported { bytes, manifest, encrypted_to: encrypt_to.map(PublicKey::fingerprint) })
    }
}

fn all_versions(conn: &Connection) -> Result<HashMap<Key, Versions>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare("SELECT record_table, record_id, versions FROM record_version")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (table, id, text) = row?;
        if let Some(k) = kind(&table) {
            let v = crate::store::received_decode(&table, &id, &text)?;
            out.insert((k.table, id), v);
        }
    }
    Ok(out)
}

fn all_tombstones(conn: &Connection) -> Result<Vec<WireTombstone>> {
    let mut stmt = conn.prepare(
        "SELECT record_table, record_id, origin, deleted_at, versions FROM tombstone ORDER BY record_table, record_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (table, id, origin, deleted_at, versions) = row?;
        let versions = match versions {
            Some(t) => crate::store::received_decode(&table, &id, &t)?,
            None => crate::store::implicit(&origin, 1),
        };
        out.push(WireTombstone { table, id, origin, deleted_at, versions });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Import

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
    tables: Vec<(&'static str, &'static str, Vec<WireRecord>)>,
    tombstones: Vec<WireTombstone>,
    documents: BTreeMap<String, Vec<u8>>,
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
    fn step(step: &str) -> ImportProgress {
        ImportProgress { step: step.to_string(), done: 0, total: 0 }
    }
}

/// Receives progress; called on the importing thread, at each step and about a hundred times
/// while records are written.
pub type Progress<'a> = &'a mut dyn FnMut(&ImportProgress);

/// The result of an import.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The bundle.
    pub bundle: BundleSummary,
    /// The plan (applied unless `applied` is false).
    pub plan: MergePlan,
    /// Whether it was written.
    pub applied: bool,
}

impl Store {
    /// Opens a bundle and checks the container and the signature, then the signer against the
    /// trust list: refused when unknown (the error names the fingerprint) or revoked, or when
    /// it is this installation's own. Decodes nothing else.
    pub fn open_bundle(&self, bytes: &[u8], limits: Limits) -> Result<(Opened, SignerInfo)> {
        let key = self.decryption_key(bytes)?;
        let opened = riskverkstad_bundle::open(bytes, limits, key.as_ref())?;
        let signer = self.signer_info(&opened)?;
        match &signer.trust {
            TrustState::Trusted => Ok((opened, signer)),
            TrustState::Own => Err(exchange_error(
                "own_bundle",
                "Paketet är exporterat från den här installationen; det läses inte in här.",
            )),
            TrustState::Revoked => Err(exchange_error(
                "revoked_signer",
                format!(
                    "Avsändarens nyckel ({}, fingeravtryck {}) är återkallad här. Paketet tas inte emot.",
                    signer.trusted_as.clone().unwrap_or_default(),
                    signer.fingerprint.readable
                ),
            )),
            TrustState::Unknown => Err(exchange_error(
                "unknown_signer",
                format!(
                    "Paketet är signerat av en okänd nyckel: \"{}\", fingeravtryck {} ({}). Jämför fingeravtrycket med avsändaren (per telefon eller på papper) och lägg till nyckeln i listan över betrodda nycklar innan du läser in paketet.",
                    signer.name, signer.fingerprint.readable, signer.fingerprint.openssh
                ),
            )),
        }
    }

    /// Checks a bundle completely without writing: container, signature, signer, sequence
    /// number, and every payload entry. Returns the decoded content.
    pub fn read_bundle(&self, bytes: &[u8], limits: Limits) -> Result<(Incoming, bool)> {
        self.read_bundle_with(bytes, limits, &mut |_| {})
    }

    /// [`Store::read_bundle`], reporting its steps to `progress`.
    pub fn read_bundle_with(&self, bytes: &[u8], limits: Limits, progress: Progress<'_>) -> Result<(Incoming, bool)> {
        progress(&ImportProgress::step("Kontrollerar signatur och avsändare"));
        let (mut opened, signer) = self.open_bundle(bytes, limits)?;
        let already = check_sequence_in(self.conn(), &opened.manifest, &opened.file_sha256)?;
        progress(&ImportProgress::step("Läser och kontrollerar posterna"));
        let incoming = decode(&mut opened, signer, self)?;
        Ok((incoming, already))
    }

    /// Plans an import without writing anything.
    pub fn plan_import(&self, bytes: &[u8], limits: Limits) -> Result<ImportReport> {
        self.plan_import_with(bytes, limits, &mut |_| {})
    }

    /// [`Store::plan_import`], reporting its steps to `progress`.
    pub fn plan_import_with(&self, bytes: &[u8], limits: Limits, progress: Progress<'_>) -> Result<ImportReport> {
        let (incoming, already) = self.read_bundle_with(bytes, limits, progress)?;
        progress(&ImportProgress::step("Jämför med databasen"));
        self.planned(&incoming, already)
    }

    /// The plan of a read bundle against this database, not applied.
    fn planned(&self, incoming: &Incoming, already: bool) -> Result<ImportReport> {
        let fks = foreign_keys(self.conn())?;
        let local = gather(self.conn(), self.origins()?, incoming, &fks)?;
        let plan = plan::plan(&local, &incoming.records(), &fks);
        Ok(ImportReport { bundle: incoming.summary(already), plan, applied: false })
    }

    /// Imports a bundle: checks it, plans the merge again inside one transaction and applies
    /// it. With `expected_digest`, refuses if the plan is not the one shown (the database
    /// changed in between). Re-importing the very same bundle changes nothing.
    pub fn import_bundle(
        &mut self,
        bytes: &[u8],
        limits: Limits,
        expected_digest: Option<&str>,
    ) -> Result<ImportReport> {
        self.import_bundle_with(bytes, limits, expected_digest, &mut |_| {})
    }

    /// [`Store::import_bundle`], reporting its steps (and the records written) to `progress`.
    pub fn import_bundle_with(
        &mut self,
        bytes: &[u8],
        limits: Limits,
        expected_digest: Option<&str>,
        progress: Progress<'_>,
    ) -> Result<ImportReport> {
        let (incoming, already) = self.read_bundle_with(bytes, limits, progress)?;
        if already {
            return self.planned(&incoming, true);
        }
        self.backup_before_import()?;
        let action =
            format!("{IMPORT_ACTION} från {} (nr {})", incoming.manifest.sender.name, incoming.manifest.sequence);
        let names = self.origins()?;
        let plan = self.write(&action, |w| {
            // The same checks again inside the transaction: nothing can slip in between.
            let sequence_again = check_sequence_in(w.tx(), &incoming.manifest, &incoming.file_sha256)?;
            if sequence_again {
                return Err(exchange_error("replay", "Paketet lästes in av någon annan under tiden."));
            }
            progress(&ImportProgress::step("Jämför med databasen"));
            let fks = foreign_keys(w.tx())?;
            let local = gather(w.tx(), names, &incoming, &fks)?;
            let plan = plan::plan(&local, &incoming.records(), &fks);
            if let Some(d) = expected_digest
                && d != plan.digest
            {
                return Err(exchange_error(
                    "plan_changed",
                    "Databasen har ändrats sedan planen visades. Granska planen igen innan du läser in paketet.",
                ));
            }
            apply(w, &plan, &incoming, &local, progress)?;
            let total = plan.changes.len() as u64;
            progress(&ImportProgress { step: "Sparar".into(), done: total, total });
            Ok(plan)
        })?;
        Ok(ImportReport { bundle: incoming.summary(false), plan, applied: true })
    }

    /// The names of the installations records come from (this one and every sender), by id.
    pub fn origins(&self) -> Result<HashMap<String, String>> {
        let mut names: HashMap<String, String> = HashMap::new();
        let mut stmt = self.conn().prepare("SELECT installation_id, name FROM peer")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            names.insert(id, name);
        }
        let me = self.installation();
        names.insert(me.id.to_string(), me.name.clone());
        Ok(names)
    }
}

/// Refuses a sequence number not newer than the last imported from the sender, unless it is
/// the very same file (then `Ok(true)`: nothing to do).
fn check_sequence_in(conn: &Connection, m: &Manifest, file_sha256: &str) -> Result<bool> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT last_sequence, last_bundle_sha256 FROM peer WHERE fingerprint = ?1",
            [&m.sender.fingerprint],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match last {
        Some((seq, sha)) if seq as u64 == m.sequence && sha == file_sha256 => Ok(true),
        Some((seq, _)) if m.sequence <= seq as u64 => Err(exchange_error(
            "replay",
            format!(
                "Paketet från {} har nummer {}, men nummer {} är redan inläst. Ett äldre eller upprepat paket tas inte emot.",
                m.sender.name, m.sequence, seq
            ),
        )),
        _ => Ok(false),
    }
}

impl Incoming {
    fn records(&self) -> IncomingRecords<'_> {
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
            sender: (&self.manifest.sender.installation_id, &self.manifest.sender.name),
            sender_method,
        }
    }
}

fn decode(opened: &mut Opened, signer: SignerInfo, store: &Store) -> Result<Incoming> {
    let bad = |what: String| Error::Bundle(riskverkstad_bundle::Error::Structure(what));
    let mut raw: Vec<(&'static Kind, Vec<u8>)> = Vec::new();
    let mut tombstones: Vec<WireTombstone> = Vec::new();
    let mut documents = BTreeMap::new();
    for name in opened.names() {
        let bytes = opened.entry(&name)?;
        if let Some(table) = name.strip_prefix("records/").and_then(|n| n.strip_suffix(".json")) {
            let k = kind(table).ok_or_else(|| bad(format!("okänd posttyp {table}")))?;
            raw.push((k, bytes));
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
    Ok(Incoming {
        manifest: opened.manifest.clone(),
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

/// Reads what the plan needs of the local database.
fn gather(
    conn: &Connection,
    installation_names: HashMap<String, String>,
    incoming: &Incoming,
    fks: &[Fk],
) -> Result<LocalState> {
    let mut local = LocalState { installation_names, ..Default::default() };
    local.installation = conn.query_row("SELECT id FROM installation LIMIT 1", [], |r| r.get(0))?;
    for k in kinds() {
        let mut stmt = conn.prepare_cached(&format!("SELECT id FROM {}", k.table))?;
        let ids: HashSet<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        local.ids.insert(k.table, ids);
    }
    let mut stmt = conn.prepare("SELECT record_table, foreign_id, local_id FROM id_alias")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
        let (t, f, l) = row?;
        if let Some(k) = kind(&t) {
            local.aliases.insert((k.table, f), l);
        }
    }
    let stored_versions = all_versions(conn)?;
    let mut all_tombstones: HashMap<Key, Versions> = HashMap::new();
    for t in self::all_tombstones(conn)? {
        if let Some(k) = kind(&t.table) {
            all_tombstones.insert((k.table, t.id), t.versions);
        }
    }
    let versions_of = |table: &'static str, obj: &Map<String, Value>| -> Versions {
        let id = obj.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        stored_versions.get(&(table, id)).cloned().unwrap_or_else(|| crate::store::implicit_of(obj))
    };
    // Records of the tables with natural keys that the bundle does not hold by id: the only
    // ones another id in the bundle can match. Reference tables are small and read whole.
    let incoming_ids: HashMap<&'static str, HashSet<&str>> = incoming
        .tables
        .iter()
        .map(|(t, _, list)| (*t, list.iter().filter_map(|w| w.record.get("id").and_then(Value::as_str)).collect()))
        .collect();
    for k in kinds() {
        if !plan::is_reference(k.table) && !matches!(k.table, "system_information_set" | "requirement_status") {
            continue;
        }
        let all_in_bundle = local.ids.get(k.table).is_some_and(|ids| {
            incoming_ids.get(k.table).is_some_and(|inc| ids.iter().all(|id| inc.contains(id.as_str())))
        });
        if all_in_bundle {
            continue;
        }
        for (id, obj) in (k.objects)(conn)? {
            if incoming_ids.get(k.table).is_some_and(|inc| inc.contains(id.as_str())) {
                continue;
            }
            if let Some(nk) = plan::natural_key(k.table, &obj) {
                local.natural.entry((k.table, nk)).or_insert_with(|| id.clone());
            }
            local.versions.insert((k.table, id.clone()), versions_of(k.table, &obj));
            local.records.insert((k.table, id), obj);
        }
    }
    let mut wanted: Vec<Key> = Vec::new();
    for (table, _, list) in &incoming.tables {
        for w in list {
            let id = w.record.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            if let Some(l) = local.aliases.get(&(*table, id.clone())) {
                wanted.push((table, l.clone()));
            }
            wanted.push((table, id));
        }
    }
    for t in &incoming.tombstones {
        if let Some(k) = kind(&t.table) {
            if let Some(l) = local.aliases.get(&(k.table, t.id.clone())) {
                wanted.push((k.table, l.clone()));
            }
            wanted.push((k.table, t.id.clone()));
        }
    }
    for (table, id) in wanted {
        let key = (table, id.clone());
        if local.records.contains_key(&key) {
            continue;
        }
        if local.ids.get(table).is_some_and(|s| s.contains(&id)) {
            if let Some(obj) = find_object(conn, table, &id)? {
                local.versions.insert(key.clone(), versions_of(table, &obj));
                local.records.insert(key, obj);
            }
        } else if let Some(v) = all_tombstones.get(&key) {
            local.tombstones.insert(key, v.clone());
        }
    }
    let mut stmt =
        conn.prepare("SELECT record_table, record_id, theirs_versions FROM conflict WHERE resolved_at IS NULL")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
        let (t, id, v) = row?;
        if let Some(k) = kind(&t) {
            local.open_conflicts.insert((k.table, id.clone()), crate::store::received_decode(&t, &id, &v)?);
        }
    }
    // Who uses the records a bundle deletes.
    for t in &incoming.tombstones {
        let Some(k) = kind(&t.table) else { continue };
        let id = local.aliases.get(&(k.table, t.id.clone())).cloned().unwrap_or_else(|| t.id.clone());
        if !local.records.contains_key(&(k.table, id.clone())) {
            continue;
        }
        let mut users = Vec::new();
        for fk in fks.iter().filter(|f| f.target == k.table) {
            let mut stmt = conn.prepare_cached(&format!("SELECT id FROM {} WHERE {} = ?1", fk.table, fk.column))?;
            for r in stmt.query_map([&id], |r| r.get::<_, String>(0))? {
                users.push((fk.table, r?));
            }
        }
        if !users.is_empty() {
            local.referenced_by.insert((k.table, id), users);
        }
    }
    let current: (String, String) = conn.query_row(
        "SELECT id, definition FROM method_version WHERE origin = (SELECT id FROM installation LIMIT 1) ORDER BY number DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    local.current_method = (current.0, serde_json::from_str(&current.1).unwrap_or(Value::Null));
    Ok(local)
}

fn find_object(conn: &Connection, table: &str, id: &str) -> Found {
    match kind(table) {
        Some(k) => (k.find)(conn, id),
        None => Ok(None),
    }
}

fn apply(
    w: &mut Writer<'_>,
    plan: &MergePlan,
    incoming: &Incoming,
    local: &LocalState,
    progress: Progress<'_>,
) -> Result<()> {
    let now = w.now();
    let total = plan.changes.len() as u64;
    let mut done = 0u64;
    // About a hundred reports, however large the bundle.
    let every = (total / 100).max(1);
    let mut report = |done: u64| {
        if done.is_multiple_of(every) || done == total {
            progress(&ImportProgress { step: "Skriver poster".into(), done, total });
        }
    };
    report(0);
    for (table, foreign, local_id) in &plan.aliases {
        w.tx()
            .prepare_cached("INSERT OR IGNORE INTO id_alias (record_table, foreign_id, local_id) VALUES (?1, ?2, ?3)")?
            .execute(params![table, foreign, local_id])?;
    }
    for (sha, bytes) in &incoming.documents {
        w.tx()
            .prepare_cached("INSERT OR IGNORE INTO decision_document (sha256, bytes, stored_at) VALUES (?1, ?2, ?3)")?
            .execute(params![sha, bytes, now.to_string()])?;
    }
    let sender = &incoming.manifest.sender;
    let mut by_table: HashMap<&str, Vec<&PlannedChange>> = HashMap::new();
    for ch in &plan.changes {
        by_table.entry(ch.table.as_str()).or_default().push(ch);
    }
    let is_insert = |k: &Kind, ch: &PlannedChange| {
        ch.kind == ChangeKind::New && ch.theirs.is_some() && !local.tombstones.contains_key(&(k.table, ch.id.clone()))
    };
    for k in kinds() {
        let Some(changes) = by_table.get(k.table) else { continue };
        // New records are the bulk of a large import: their audit text is encoded on another
        // core while this one writes, in the same order.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, String)>(4096);
        std::thread::scope(|scope| -> Result<()> {
            scope.spawn(move || {
                for (i, ch) in changes.iter().enumerate().filter(|(_, ch)| is_insert(k, ch)) {
                    let json = ch.theirs.as_ref().map(|m| serde_json::to_string(m).unwrap_or_default());
                    if tx.send((i, json.unwrap_or_default())).is_err() {
                        break; // the writer stopped (an error): nothing more is needed
                    }
                }
            });
            // Owned here, so that an error below drops it and a waiting encoder stops.
            let rx = rx;
            for (i, ch) in changes.iter().enumerate() {
                if is_insert(k, ch) {
                    let Some(theirs) = &ch.theirs else { continue };
                    // The text is taken only if it is this change's (it always is; the
                    // index makes that a fact rather than an assumption).
                    let encoded = rx.recv().ok().filter(|(j, _)| *j == i).map(|(_, json)| json);
                    (k.insert)(w, theirs, &ch.versions, encoded)?;
                } else if ch.kind != ChangeKind::Deleted {
                    apply_change(w, k, ch, local, sender, now)?;
                } else {
                    continue; // deletions come last, counted there
                }
                done += 1;
                report(done);
            }
            Ok(())
        })?;
    }
    for k in kinds().iter().rev() {
        for ch in by_table.get(k.table).into_iter().flatten().filter(|c| c.kind == ChangeKind::Deleted) {
            let origin = local
                .records
                .get(&(k.table, ch.id.clone()))
                .and_then(|m| m.get("origin").and_then(Value::as_str))
                .unwrap_or_default()
                .to_string();
            (k.remove)(w, &ch.id, &origin, &ch.versions)?;
            done += 1;
            report(done);
        }
    }

    for t in &plan.tombstones_to_record {
        let at: Timestamp = t.deleted_at.parse().unwrap_or(now);
        w.record_tombstone(&t.table, &t.id, &t.origin, at, &t.versions)?;
    }
    w.tx()
        .prepare_cached(
            "INSERT INTO peer (fingerprint, installation_id, name, last_sequence, last_bundle_sha256, last_imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (fingerprint) DO UPDATE SET installation_id = excluded.installation_id, name = excluded.name,
                 last_sequence = excluded.last_sequence, last_bundle_sha256 = excluded.last_bundle_sha256,
                 last_imported_at = excluded.last_imported_at",
        )?
        .execute(params![
            sender.fingerprint,
            sender.installation_id,
            sender.name,
            incoming.manifest.sequence as i64,
            incoming.file_sha256,
            now.to_string()
        ])?;
    Ok(())
}

/// One planned change other than a plain insert, written.
fn apply_change(
    w: &mut Writer<'_>,
    k: &Kind,
    ch: &PlannedChange,
    local: &LocalState,
    sender: &Sender,
    now: Timestamp,
) -> Result<()> {
    match ch.kind {
        ChangeKind::New | ChangeKind::Changed => {
            let Some(theirs) = ch.theirs.clone() else { return Ok(()) };
            (k.put)(w, theirs, &ch.versions)?;
            if local.open_conflicts.contains_key(&(k.table, ch.id.clone())) {
                w.tx()
                    .prepare_cached(
                        "UPDATE conflict SET resolved_at = ?1, resolution = 'theirs', resolved_by = ?2
                         WHERE record_table = ?3 AND record_id = ?4 AND resolved_at IS NULL",
                    )?
                    .execute(params![
                        now.to_string(),
                        format!("{} (avgjord hos avsändaren)", sender.name),
                        k.table,
                        ch.id
                    ])?;
            }
        }
        ChangeKind::Conflict => {
            let mine = local.records.get(&(k.table, ch.id.clone())).map(|m| Value::Object(m.clone()).to_string());
            let theirs = ch.theirs.as_ref().map(|m| Value::Object(m.clone()).to_string());
            let theirs_origin = ch
                .theirs
                .as_ref()
                .and_then(|t| t.get("origin").and_then(Value::as_str))
                .unwrap_or(&sender.installation_id)
                .to_string();
            let updated = w
                .tx()
                .prepare_cached(
                    "UPDATE conflict SET theirs = ?1, theirs_versions = ?2, reason = ?3, sender_name = ?4,
                         sender_fingerprint = ?5, detected_at = ?6, mine = ?7, theirs_origin = ?8
                     WHERE record_table = ?9 AND record_id = ?10 AND resolved_at IS NULL",
                )?
                .execute(params![
                    theirs,
                    serde_json::to_string(&ch.versions).unwrap_or_default(),
                    ch.reason.clone().unwrap_or_default(),
                    sender.name,
                    sender.fingerprint,
                    now.to_string(),
                    mine,
                    theirs_origin,
                    k.table,
                    ch.id
                ])?;
            if updated == 0 {
                w.tx()
                    .prepare_cached(
                        "INSERT INTO conflict (id, record_table, record_id, reason, mine, theirs, theirs_versions,
                             theirs_origin, sender_name, sender_fingerprint, detected_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    )?
                    .execute(params![
                        uuid::Uuid::now_v7().to_string(),
                        k.table,
                        ch.id,
                        ch.reason.clone().unwrap_or_default(),
                        mine,
                        theirs,
                        serde_json::to_string(&ch.versions).unwrap_or_default(),
                        theirs_origin,
                        sender.name,
                        sender.fingerprint,
                        now.to_string()
                    ])?;
            }
        }
        ChangeKind::Deleted | ChangeKind::Matched => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Conflicts

/// A kept conflict.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// Its id.
    pub id: String,
    /// The table.
    pub table: String,
    /// The kind of record in Swedish.
    pub label: String,
    /// The record's id.
    pub record_id: String,
    /// A name people recognise.
    pub title: String,
    /// Why it is a conflict.
    pub reason: String,
    /// The fields that differ, mine and theirs.
    pub fields: Vec<FieldDiff>,
    /// Whether the record is deleted here.
    pub mine_deleted: bool,
    /// Whether the record is deleted there.
    pub theirs_deleted: bool,
    /// Where theirs was made (installation name).
    pub theirs_origin: String,
    /// The department whose bundle brought it.
    pub sender: String,
    /// When it was found.
    pub detected_at: String,
    /// When it was settled, if it is.
    pub resolved_at: Option<String>,
    /// How: "mine", "theirs" or "edited".
    pub resolution: Option<String>,
    /// By whom.
    pub resolved_by: Option<String>,
}

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "keep", rename_all = "snake_case")]
pub enum Resolution {
    /// Keep my version.
    Mine,
    /// Take theirs.
    Theirs,
    /// Mine with the named fields taken from theirs.
    Fields {
        /// The fields to take from theirs.
        theirs: Vec<String>,
    },
}

impl Store {
    /// Conflicts, open ones first; `all` includes settled ones.
    pub fn conflicts(&self, all: bool) -> Result<Vec<Conflict>> {
        let names = self.origins()?;
        let sql = format!(
            "SELECT id, record_table, record_id, reason, mine, theirs, theirs_origin, sender_name, detected_at,
                    resolved_at, resolution, resolved_by
             FROM conflict {} ORDER BY resolved_at IS NOT NULL, detected_at, id",
            if all { "" } else { "WHERE resolved_at IS NULL" }
        );
        let mut stmt = self.conn().prepare(&sql)?;
        type Row = (
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (
            id,
            table,
            record_id,
            reason,
            _mine_then,
            theirs,
            theirs_origin,
            sender,
            detected_at,
            resolved_at,
            resolution,
            resolved_by,
        ) in rows
        {
            let k = kind(&table);
            let mine = find_object(self.conn(), &table, &record_id)?;
            let theirs: Option<Map<String, Value>> = theirs.and_then(|t| serde_json::from_str(&t).ok());
            let fields = plan::content_diff(mine.as_ref(), theirs.as_ref());
            out.push(Conflict {
                id,
                label: k.map(|k| k.label).unwrap_or("Posten").to_string(),
                title: plan::title_of(theirs.as_ref().or(mine.as_ref()).unwrap_or(&Map::new())),
                table,
                record_id,
                reason,
                fields,
                mine_deleted: mine.is_none(),
                theirs_deleted: theirs.is_none(),
                theirs_origin: names.get(&theirs_origin).cloned().unwrap_or(theirs_origin),
                sender,
                detected_at,
                resolved_at,
                resolution,
                resolved_by,
            });
        }
        Ok(out)
    }

    /// Settles a conflict. The result is a new local change that has seen both versions, so
    /// it travels on the next exchange and the other side takes it without a new conflict.
    pub fn resolve_conflict(&mut self, id: &str, resolution: &Resolution) -> Result<()> {
        let row: Option<(String, String, Option<String>, String, String)> = self
            .conn()
            .query_row(
                "SELECT record_table, record_id, theirs, theirs_versions, theirs_origin FROM conflict WHERE id = ?1 AND resolved_at IS NULL",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((table, record_id, theirs, theirs_versions, theirs_origin)) = row else {
            return Err(exchange_error("conflict_not_found", format!("Det finns ingen öppen konflikt med id {id}.")));
        };
        let k = kind(&table).ok_or_else(|| exchange_error("conflict_not_found", format!("okänd posttyp {table}")))?;
        let theirs: Option<Map<String, Value>> = match theirs {
            Some(t) => Some(serde_json::from_str(&t).map_err(|e| Error::Decode {
                table: "conflict",
                id: id.to_string(),
                detail: e.to_string(),
            })?),
            None => None,
        };
        let theirs_versions = crate::store::received_decode(&table, &record_id, &theirs_versions)?;
        let label = match resolution {
            Resolution::Mine => "mine",
            Resolution::Theirs => "theirs",
            Resolution::Fields { .. } => "edited",
        };
        let actor = self.actor().to_string();
        let conflict_id = id.to_string();
        self.write(&format!("{RESOLVE_ACTION}: {} {}", k.label, record_id), |w| {
            let mine = find_object(w.tx(), &table, &record_id)?;
            let mine_versions = match &mine {
                Some(m) => crate::store::versions_of_object(w.tx(), k.table, m)?,
                None => crate::store::tombstone_versions(w.tx(), k.table, &record_id)?.unwrap_or_default(),
            };
            let mut versions = merge(&mine_versions, &theirs_versions);
            *versions.entry(w.installation_key()).or_insert(0) += 1;
            let rev = |m: &Option<Map<String, Value>>| {
                m.as_ref().and_then(|m| m.get("revision")).and_then(Value::as_i64).unwrap_or(0)
            };
            let revision = rev(&mine).max(rev(&theirs)) + 1;
            let result: Option<Map<String, Value>> = match resolution {
                Resolution::Mine => mine.clone(),
                Resolution::Theirs => theirs.clone(),
                Resolution::Fields { theirs: fields } => {
                    let (Some(m), Some(t)) = (&mine, &theirs) else {
                        return Err(exchange_error(
                            "conflict_edit",
                            "Posten är raderad på ena sidan; välj min eller deras version.",
                        ));
                    };
                    let mut out = m.clone();
                    for f in fields {
                        if plan::META.contains(&f.as_str()) || !t.contains_key(f) {
                            return Err(exchange_error("conflict_edit", format!("Fältet {f} kan inte väljas.")));
                        }
                        out.insert(f.clone(), t[f].clone());
                    }
                    Some(out)
                }
            };
            match result {
                Some(mut rec) => {
                    let origin =
                        rec.get("origin").and_then(Value::as_str).map(str::to_string).unwrap_or(theirs_origin.clone());
                    rec.insert("origin".into(), Value::String(origin));
                    rec.insert("revision".into(), Value::from(revision));
                    rec.insert("updated_at".into(), Value::String(w.now().to_string()));
                    (k.put)(w, rec, &versions)?;
                }
                None => {
                    let origin = mine
                        .as_ref()
                        .and_then(|m| m.get("origin").and_then(Value::as_str))
                        .unwrap_or(&theirs_origin)
                        .to_string();
                    (k.remove)(w, &record_id, &origin, &versions)?;
                }
            }
            w.tx().execute(
                "UPDATE conflict SET resolved_at = ?1, resolution = ?2, resolved_by = ?3 WHERE id = ?4",
                params![w.now().to_string(), label, actor, conflict_id],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests;
