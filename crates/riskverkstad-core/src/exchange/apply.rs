//! Applying an import: the local state a plan is made against (gathered for the records the
//! bundle names), and the plan written inside the import's transaction, each change with its
//! version vector and audit entry; conflicts kept for a person.

use super::incoming::{ImportProgress, Incoming, Progress};
use super::kinds::{Kind, kind, kinds};
use super::kinds::{all_versions, find_object};
use super::plan::{self, Authority, Fk, Key, LocalState};
use super::plan::{ChangeKind, MergePlan, PlannedChange};
use super::trust::SenderRole;
use crate::error::Result;
use crate::ids::Timestamp;
use crate::store::{Versions, Writer};
use riskverkstad_bundle::Sender;
use rusqlite::OptionalExtension;
use rusqlite::{Connection, params};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Reads what the plan needs of the local database.
pub(super) fn gather(
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
    for t in super::kinds::all_tombstones(conn)? {
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
    local.open_conflicts = open_conflicts(conn)?;
    local.referenced_by = users_of_deleted(conn, &local, incoming, fks)?;
    local.current_method = current_method(conn)?;
    local.authority = authority(conn, incoming)?;
    if local.authority.role == SenderRole::Avdelning {
        local.parents = parents(conn, &local, incoming, fks)?;
    }
    Ok(local)
}

/// What the sender may change here: its trust entry's terms, the records the receiver lets
/// it change as conflicts, and the förvaltningar its earlier bundles touched.
fn authority(conn: &Connection, incoming: &Incoming) -> Result<Authority> {
    let fingerprint = &incoming.signer.fingerprint.openssh;
    let mut a = Authority::default();
    if let Some(terms) = &incoming.signer.terms {
        a.role = terms.role;
        a.forvaltningar = terms.forvaltningar.iter().map(|f| f.trim().to_lowercase()).collect();
    }
    let mut stmt =
        conn.prepare_cached("SELECT record_table, record_id FROM exchange_allowance WHERE sender_fingerprint = ?1")?;
    for row in stmt.query_map([fingerprint], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (t, id) = row?;
        if let Some(k) = kind(&t) {
            a.allowed.insert((k.table, id));
        }
    }
    let seen: Option<String> = conn
        .query_row("SELECT forvaltningar_seen FROM peer WHERE fingerprint = ?1", [fingerprint], |r| r.get(0))
        .optional()?;
    a.seen = seen.map(|s| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default().into_iter().collect());
    Ok(a)
}

/// The local records above the bundle's records and the local records it touches, up their
/// owning references (a risk's analysis, the analysis's system, …): what judging whose a
/// record is needs.
fn parents(
    conn: &Connection,
    local: &LocalState,
    incoming: &Incoming,
    fks: &[Fk],
) -> Result<HashMap<Key, Map<String, Value>>> {
    let mut out: HashMap<Key, Map<String, Value>> = HashMap::new();
    let mut todo: Vec<(&'static str, &Map<String, Value>)> = Vec::new();
    for (t, _, list) in &incoming.tables {
        todo.extend(list.iter().map(|w| (*t, &w.record)));
    }
    todo.extend(local.records.iter().filter(|((t, _), _)| !plan::is_reference(t)).map(|((t, _), m)| (*t, m)));
    let mut found: Vec<(&'static str, Map<String, Value>)> = Vec::new();
    // Parents not here (new in the bundle) are asked for once.
    let mut absent: HashSet<Key> = HashSet::new();
    let mut walk = |t: &'static str,
                    obj: &Map<String, Value>,
                    found: &mut Vec<(&'static str, Map<String, Value>)>|
     -> Result<()> {
        let Some(k) = kind(t) else { return Ok(()) };
        for col in k.owned_by {
            let Some(id) = obj.get(*col).and_then(Value::as_str) else { continue };
            let Some(fk) = fks.iter().find(|f| f.table == t && f.column == *col) else { continue };
            let key: Key = (fk.target, id.to_string());
            if local.records.contains_key(&key) || out.contains_key(&key) || absent.contains(&key) {
                continue;
            }
            match find_object(conn, fk.target, id)? {
                Some(o) => {
                    out.insert(key, o.clone());
                    found.push((fk.target, o));
                }
                None => {
                    absent.insert(key);
                }
            }
        }
        Ok(())
    };
    for (t, obj) in todo {
        walk(t, obj, &mut found)?;
    }
    while let Some((t, obj)) = found.pop() {
        walk(t, &obj, &mut found)?;
    }
    Ok(out)
}

/// The open conflicts: record → the vector of "theirs" already kept.
fn open_conflicts(conn: &Connection) -> Result<HashMap<Key, Versions>> {
    let mut out = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT record_table, record_id, theirs_versions FROM conflict WHERE resolved_at IS NULL")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
        let (t, id, v) = row?;
        if let Some(k) = kind(&t) {
            out.insert((k.table, id.clone()), crate::store::received_decode(&t, &id, &v)?);
        }
    }
    Ok(out)
}

/// Who uses the records a bundle deletes.
fn users_of_deleted(
    conn: &Connection,
    local: &LocalState,
    incoming: &Incoming,
    fks: &[Fk],
) -> Result<HashMap<Key, Vec<Key>>> {
    let mut out = HashMap::new();
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
            out.insert((k.table, id), users);
        }
    }
    Ok(out)
}

/// The local method in force: its id and definition.
fn current_method(conn: &Connection) -> Result<(String, Value)> {
    let current: (String, String) = conn.query_row(
        "SELECT id, definition FROM method_version WHERE origin = (SELECT id FROM installation LIMIT 1) ORDER BY number DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((current.0, serde_json::from_str(&current.1).unwrap_or(Value::Null)))
}

pub(super) fn apply(
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
        // New records are the bulk of a large import: their audit hash is computed on another
        // core while this one writes, in the same order.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, String)>(4096);
        std::thread::scope(|scope| -> Result<()> {
            scope.spawn(move || {
                for (i, ch) in changes.iter().enumerate().filter(|(_, ch)| is_insert(k, ch)) {
                    let Some(theirs) = ch.theirs.as_ref() else { continue };
                    if tx.send((i, crate::store::audit_state_hash(theirs))).is_err() {
                        break; // the writer stopped (an error): nothing more is needed
                    }
                }
            });
            // Owned here, so that an error below drops it and a waiting encoder stops.
            let rx = rx;
            for (i, ch) in changes.iter().enumerate() {
                if is_insert(k, ch) {
                    let Some(theirs) = &ch.theirs else { continue };
                    // The hash is taken only if it is this change's (it always is; the
                    // index makes that a fact rather than an assumption).
                    let hashed = rx.recv().ok().filter(|(j, _)| *j == i).map(|(_, state)| state);
                    (k.insert)(w, theirs, &ch.versions, hashed)?;
                } else if ch.kind != ChangeKind::Deleted {
                    apply_change(w, k, ch, local, (sender, incoming.sender_name()), now)?;
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
    // Who made what was written, and who sent it; the attestations that prove it, kept to
    // pass on; the sender's key bound to its installation id.
    let now_text = now.to_string();
    let me = w.installation_key();
    let mut written = Vec::new();
    for ch in
        plan.changes.iter().filter(|c| matches!(c.kind, ChangeKind::New | ChangeKind::Changed | ChangeKind::Deleted))
    {
        written.push((ch.table.clone(), ch.foreign_id.clone(), ch.id.clone(), ch.versions.clone()));
        // A sender's own record, made and last changed by it, says nothing its origin does
        // not; kept only when this installation's own counter is in its vector, for telling at
        // export whose its newest change is.
        let origin = ch.theirs.as_ref().and_then(|t| t.get("origin").and_then(Value::as_str));
        let plain = ch.maker.as_deref() == Some(sender.installation_id.as_str())
            && origin == Some(sender.installation_id.as_str())
            && !ch.versions.contains_key(&me);
        if plain {
            continue;
        }
        w.tx()
            .prepare_cached(
                "INSERT OR REPLACE INTO received_change (record_table, record_id, versions, maker, maker_name, sender_name,
                     sender_fingerprint, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                ch.table,
                ch.id,
                serde_json::to_string(&ch.versions).unwrap_or_default(),
                ch.maker,
                ch.made_by.clone().unwrap_or_default(),
                incoming.sender_name(),
                sender.fingerprint,
                now_text
            ])?;
    }
    super::attest::store_received(w.tx(), &incoming.attested, &written, &now_text)?;
    let signer = riskverkstad_bundle::PublicKey::from_openssh(&sender.public_key)?;
    super::attest::bind_sender(w.tx(), &sender.installation_id, &sender.name, &signer, &now_text)?;
    // The förvaltningar the sender has touched, with this bundle's.
    let mut seen: std::collections::BTreeSet<String> = local.authority.seen.iter().flatten().cloned().collect();
    seen.extend(plan.touched.iter().cloned());
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
    w.tx()
        .prepare_cached("UPDATE peer SET forvaltningar_seen = ?1 WHERE fingerprint = ?2")?
        .execute(params![serde_json::to_string(&seen).unwrap_or_else(|_| "[]".into()), sender.fingerprint])?;
    Ok(())
}

/// One planned change other than a plain insert, written.
fn apply_change(
    w: &mut Writer<'_>,
    k: &Kind,
    ch: &PlannedChange,
    local: &LocalState,
    (sender, sender_name): (&Sender, &str),
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
                        format!("{sender_name} (avgjord hos avsändaren)"),
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
                         sender_fingerprint = ?5, detected_at = ?6, mine = ?7, theirs_origin = ?8, theirs_maker = ?11
                     WHERE record_table = ?9 AND record_id = ?10 AND resolved_at IS NULL",
                )?
                .execute(params![
                    theirs,
                    serde_json::to_string(&ch.versions).unwrap_or_default(),
                    ch.reason.clone().unwrap_or_default(),
                    sender_name,
                    sender.fingerprint,
                    now.to_string(),
                    mine,
                    theirs_origin,
                    k.table,
                    ch.id,
                    ch.made_by.clone().unwrap_or_default()
                ])?;
            if updated == 0 {
                w.tx()
                    .prepare_cached(
                        "INSERT INTO conflict (id, record_table, record_id, reason, mine, theirs, theirs_versions,
                             theirs_origin, sender_name, sender_fingerprint, detected_at, theirs_maker)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
                        sender_name,
                        sender.fingerprint,
                        now.to_string(),
                        ch.made_by.clone().unwrap_or_default()
                    ])?;
            }
        }
        ChangeKind::Deleted | ChangeKind::Matched => {}
    }
    Ok(())
}
