//! Export: a signed bundle of the whole database, of one förvaltning or of chosen systems
//! with what hangs on them and what they refer to.

use super::exchange_error;
use super::kinds::{Objects, foreign_keys, kinds};
use super::kinds::{all_tombstones, all_versions};
use super::plan::{Fk, Key, WireRecord};
use super::trust::{identity, secret_key};
use crate::error::Result;
use crate::ids::Timestamp;
use crate::model::Decision;
use crate::store::{Read, Record, Store};
use riskverkstad_bundle::{Entry, Fingerprint, Manifest, PublicKey, Sender};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
                let owned =
                    fks.iter().filter(|f| f.table == k.table && k.owned_by.contains(&f.column.as_str())).any(|f| {
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

/// Exports a signed bundle of `scope`, encrypted to `encrypt_to` if given. Takes the next
/// sequence number. Needs the department identity ([`Store::init_identity`]).
pub fn export_bundle(store: &mut Store, scope: &Scope, encrypt_to: Option<&PublicKey>) -> Result<Exported> {
    let identity = identity(store)?.ok_or_else(|| {
        exchange_error(
            "no_identity",
            "Installationen har ingen avdelningsidentitet ännu. Skapa den först (riskverkstad keys init --department NAMN).",
        )
    })?;
    let key = secret_key(store, &identity)?;
    let fks = foreign_keys(store.conn())?;
    let mut objects: HashMap<&'static str, Objects> = HashMap::new();
    for k in kinds() {
        objects.insert(k.table, (k.objects)(store.conn())?);
    }
    let (scope_text, included): (String, Option<HashSet<Key>>) = match scope {
        Scope::All => ("Hela databasen".into(), None),
        Scope::Forvaltning(f) => {
            let fv: crate::model::Forvaltning = store.get(*f)?;
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
                let s: crate::model::System = store.get(*id)?;
                names.push(s.name);
            }
            let systems: HashSet<String> = ids.iter().map(|i| i.to_string()).collect();
            (format!("System: {}", names.join(", ")), Some(scope_closure(&objects, &fks, &systems, &HashSet::new())))
        }
    };
    let stored = all_versions(store.conn())?;
    // The natural keys of the records a receiver may know under other ids, for the hashes the
    // attestations state.
    let natural_keys: HashMap<(&'static str, String), String> = objects
        .iter()
        .flat_map(|(t, list)| {
            list.iter().filter_map(|(id, o)| Some(((*t, id.clone()), super::plan::natural_key(t, o)?)))
        })
        .collect();
    let mut tables: Vec<(&'static str, Vec<WireRecord>)> = Vec::new();
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
        tables.push((k.table, list));
    }
    for (table, list) in &tables {
        let bytes = serde_json::to_vec(list).map_err(|e| exchange_error("bundle_write", e.to_string()))?;
        entries.push(Entry { name: format!("records/{table}.json"), bytes, compress: true });
    }
    let tombstones = all_tombstones(store.conn())?;
    counts.insert("tombstones".into(), tombstones.len() as u64);
    entries.push(Entry {
        name: "tombstones.json".into(),
        bytes: serde_json::to_vec(&tombstones).map_err(|e| exchange_error("bundle_write", e.to_string()))?,
        compress: true,
    });
    for sha in documents {
        let bytes = crate::decisions::document(store, &sha)?;
        entries.push(Entry { name: format!("documents/{sha}.pdf"), bytes, compress: false });
    }
    // The sequence number and this installation's new attestations, in one transaction.
    let me = store.installation().id.to_string();
    let tx = store.connection().transaction()?;
    let sequence: u64 =
        tx.query_row("UPDATE identity SET last_sequence = last_sequence + 1 RETURNING last_sequence", [], |r| {
            r.get::<_, i64>(0)
        })? as u64;
    let records: Vec<(&'static str, &serde_json::Map<String, Value>, &crate::store::Versions)> =
        tables.iter().flat_map(|(t, list)| list.iter().map(move |w| (*t, &w.record, &w.versions))).collect();
    let deletions: Vec<(&str, &str, &crate::store::Versions)> =
        tombstones.iter().map(|t| (t.table.as_str(), t.id.as_str(), &t.versions)).collect();
    let natural = |t: &'static str, id: &str| natural_keys.get(&(t, id.to_string())).cloned();
    let batches = super::attest::for_export(&tx, (&key, &me, &identity.name), &records, &deletions, &fks, &natural)?;
    tx.commit()?;
    if !batches.is_empty() {
        entries.push(Entry {
            name: riskverkstad_bundle::ATTESTATIONS.into(),
            bytes: serde_json::to_vec(&batches).map_err(|e| exchange_error("bundle_write", e.to_string()))?,
            compress: true,
        });
    }
    let public = key.public();
    let manifest = Manifest {
        format: riskverkstad_bundle::FORMAT_NAME.into(),
        format_version: riskverkstad_bundle::FORMAT_VERSION,
        sender: Sender {
            installation_id: me.clone(),
            name: identity.name.clone(),
            public_key: public.to_openssh(),
            fingerprint: public.fingerprint().openssh,
        },
        sequence,
        created_at: Timestamp::now().to_string(),
        scope: scope_text,
        method_version_id: store.method().id.to_string(),
        counts,
    };
    let bytes = riskverkstad_bundle::write(&manifest, &entries, &key, encrypt_to)?;
    Ok(Exported { bytes, manifest, encrypted_to: encrypt_to.map(PublicKey::fingerprint) })
}
