//! The merge plan: a pure function of the local state and a bundle's content.
//!
//! Per record, by version vectors ([`crate::store::compare`]): theirs newer → changed;
//! mine newer or the same → nothing; both changed since they last met → a conflict, kept for
//! a person, unless both made the very same change. A record here under another id (the same
//! municipality, förvaltning, catalogue entry, method; or the same system–information or
//! system–requirement link) is matched through an alias, and references in the bundle are
//! rewritten to the local ids. A deletion that arrives for a record still used here, and a
//! record that refers to something deleted here, are conflicts too.

use crate::store::{Order, Versions, compare, implicit_of, merge};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A record's key: its table and id.
pub type Key = (&'static str, String);

/// A foreign key: `table.column` refers to `target.id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fk {
    /// The referring table.
    pub table: &'static str,
    /// Its column.
    pub column: String,
    /// The referred table.
    pub target: &'static str,
}

/// A record as it travels: its serde form and its version vector.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct WireRecord {
    /// The record (meta fields included).
    pub record: Map<String, Value>,
    /// Its version vector.
    pub versions: Versions,
}

/// A deletion as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct WireTombstone {
    /// The table.
    pub table: String,
    /// The deleted record's id.
    pub id: String,
    /// The deleted record's origin installation.
    pub origin: String,
    /// When it was deleted.
    pub deleted_at: String,
    /// Its version vector at deletion.
    pub versions: Versions,
}

/// What the plan needs of the local database; gathered by a read, nothing else.
#[derive(Debug, Default, Clone)]
pub struct LocalState {
    /// This installation's id.
    pub installation: String,
    /// Installation id → name, for showing origins.
    pub installation_names: HashMap<String, String>,
    /// Every local id, per table.
    pub ids: HashMap<&'static str, HashSet<String>>,
    /// The local records the bundle touches (and every record of the tables with natural keys).
    pub records: HashMap<Key, Map<String, Value>>,
    /// Their version vectors.
    pub versions: HashMap<Key, Versions>,
    /// Tombstones of the records the bundle touches.
    pub tombstones: HashMap<Key, Versions>,
    /// Known aliases: (table, foreign id) → local id.
    pub aliases: HashMap<Key, String>,
    /// Natural key → local id, per table.
    pub natural: HashMap<(&'static str, String), String>,
    /// Open conflicts: record → the vector of "theirs" already kept.
    pub open_conflicts: HashMap<Key, Versions>,
    /// For records a bundle deletes: the local records that refer to them.
    pub referenced_by: HashMap<Key, Vec<Key>>,
    /// The local method in force: id and definition.
    pub current_method: (String, Value),
}

/// What happens to one record.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Not here yet: added.
    New,
    /// Changed there since: theirs replaces mine.
    Changed,
    /// Deleted there: deleted here.
    Deleted,
    /// Changed on both sides: kept for a person to settle; mine stays until then.
    Conflict,
    /// Here already under another id (reference data): linked, mine kept.
    Matched,
}

impl ChangeKind {
    /// The Swedish word.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::New => "ny",
            ChangeKind::Changed => "ändrad",
            ChangeKind::Deleted => "raderad",
            ChangeKind::Conflict => "konflikt",
            ChangeKind::Matched => "matchad",
        }
    }
}

/// One field that differs.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDiff {
    /// The field (column) name.
    pub field: String,
    /// The field's name in Swedish, as people know it ("Beskrivning").
    pub label: String,
    /// Its value here (null if the record is not here).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub mine: Value,
    /// Its value in the bundle (null if deleted there).
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub theirs: Value,
}

/// One planned change.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedChange {
    /// The table.
    pub table: String,
    /// The kind of record in Swedish ("Systemet").
    pub label: String,
    /// The record's local id (the id it has or will have here).
    pub id: String,
    /// A name people recognise (name, title or code).
    pub title: String,
    /// What happens.
    pub kind: ChangeKind,
    /// Why, for conflicts and matches.
    pub reason: Option<String>,
    /// The fields that differ (changed, conflicts, matches).
    pub fields: Vec<FieldDiff>,
    /// Where my version was last changed (installation name), if I have one.
    pub mine_origin: Option<String>,
    /// Where theirs comes from (the record's origin installation, by name).
    pub theirs_origin: String,
    /// Theirs, rewritten to local ids (null for a deletion).
    #[serde(skip)]
    pub theirs: Option<Map<String, Value>>,
    /// The vector to store with theirs (or the deletion's, or the conflict's theirs).
    #[serde(skip)]
    pub versions: Versions,
    /// The id in the bundle, when matched to another local id.
    #[serde(skip)]
    pub foreign_id: String,
}

/// Per kind of record: how many of each.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KindCounts {
    /// The table.
    pub table: String,
    /// The kind in Swedish.
    pub label: String,
    /// New records.
    pub new: u32,
    /// Changed records.
    pub changed: u32,
    /// Unchanged (or newer here).
    pub unchanged: u32,
    /// Deleted records.
    pub deleted: u32,
    /// Conflicts.
    pub conflicts: u32,
    /// Matched to a local record under another id.
    pub matched: u32,
}

/// The whole plan, as shown before anything is written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergePlan {
    /// Per kind of record.
    pub counts: Vec<KindCounts>,
    /// Every change (unchanged records are only counted).
    pub changes: Vec<PlannedChange>,
    /// Records unchanged (the same here, or newer here).
    pub unchanged: u32,
    /// Whether the sender's method differs from the one in force here: its assessments keep
    /// their scale and are shown as made under the sender's method.
    pub method_differs: bool,
    /// Deletions of records this installation never had (remembered, so that the record is
    /// not brought back by another bundle).
    #[serde(skip)]
    pub tombstones_to_record: Vec<WireTombstone>,
    /// New aliases: (table, foreign id, local id).
    #[serde(skip)]
    pub aliases: Vec<(String, String, String)>,
    /// A digest of what would be written; the app shows a plan and applies only the same one.
    pub digest: String,
}

impl MergePlan {
    /// Whether applying the plan writes no record (only the sender's sequence number).
    pub fn is_empty(&self) -> bool {
        self.changes.iter().all(|c| c.kind == ChangeKind::Matched) && self.tombstones_to_record.is_empty()
    }

    /// How many changes of a kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// The meta fields, which are not compared field by field.
pub const META: &[&str] = &["id", "origin", "revision", "created_at", "updated_at"];

/// Reference data: matched by natural key, never merged.
pub fn is_reference(table: &str) -> bool {
    matches!(table, "organisation" | "forvaltning" | "requirement" | "threat" | "method_version")
}

/// A record's natural key, for the tables that have one.
pub fn natural_key(table: &str, obj: &Map<String, Value>) -> Option<String> {
    let s = |f: &str| obj.get(f).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    match table {
        "organisation" | "forvaltning" => s("name").map(|n| n.trim().to_lowercase()),
        "requirement" | "threat" => s("code"),
        "method_version" => s("definition"),
        "system_information_set" => Some(format!("{}|{}", s("system_id")?, s("information_set_id")?)),
        "requirement_status" => Some(format!("{}|{}", s("system_id")?, s("requirement_id")?)),
        _ => None,
    }
}

/// A name for the record.
pub fn title_of(obj: &Map<String, Value>) -> String {
    for f in ["name", "title", "code", "note"] {
        if let Some(t) = obj.get(f).and_then(Value::as_str).filter(|t| !t.is_empty()) {
            return t.to_string();
        }
    }
    obj.get("id").and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A field's name in Swedish; every field of every record kind has one (a test checks), and
/// an unknown name is shown as it is.
pub fn field_label(field: &str) -> String {
    swedish_name(field).unwrap_or(field).to_string()
}

pub use crate::record::swedish_name;

/// The fields (other than the meta fields) whose values differ.
pub fn content_diff(mine: Option<&Map<String, Value>>, theirs: Option<&Map<String, Value>>) -> Vec<FieldDiff> {
    let empty = Map::new();
    let (m, t) = (mine.unwrap_or(&empty), theirs.unwrap_or(&empty));
    let mut fields: Vec<&String> = m.keys().chain(t.keys()).filter(|k| !META.contains(&k.as_str())).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|f| {
            let (a, b) = (m.get(f).cloned().unwrap_or(Value::Null), t.get(f).cloned().unwrap_or(Value::Null));
            (a != b).then(|| FieldDiff { field: f.clone(), label: field_label(f), mine: a, theirs: b })
        })
        .collect()
}

/// The incoming content the plan reads.
pub struct IncomingRecords<'a> {
    /// Records per table, in dependency order.
    pub tables: &'a [(&'static str, &'static str, Vec<WireRecord>)],
    /// Deletions.
    pub tombstones: &'a [WireTombstone],
    /// The sender's installation id and name.
    pub sender: (&'a str, &'a str),
    /// The sender's method in force: its id in the bundle and its definition.
    pub sender_method: Option<(String, Value)>,
}

/// Plans the merge. Pure: reads only its arguments.
pub fn plan(local: &LocalState, incoming: &IncomingRecords<'_>, fks: &[Fk]) -> MergePlan {
    let name_of = |installation: &str| -> String {
        if installation == incoming.sender.0 {
            return incoming.sender.1.to_string();
        }
        local.installation_names.get(installation).cloned().unwrap_or_else(|| format!("installation {installation}"))
    };
    let mut aliases: HashMap<Key, String> = local.aliases.clone();
    let mut new_aliases = Vec::new();
    let mut changes: Vec<PlannedChange> = Vec::new();
    let mut counts: BTreeMap<&'static str, KindCounts> = BTreeMap::new();
    let mut unchanged = 0u32;
    let mut order: Vec<&'static str> = Vec::new();

    for (table, label, records) in incoming.tables {
        order.push(table);
        let c = counts.entry(table).or_insert_with(|| KindCounts {
            table: table.to_string(),
            label: label.to_string(),
            ..Default::default()
        });
        for wire in records {
            let mut theirs = wire.record.clone();
            let foreign_id = theirs.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            // References first (the tables come in dependency order, so the aliases they
            // need are known), then the record's own id.
            for fk in fks.iter().filter(|f| f.table == *table) {
                if let Some(Value::String(v)) = theirs.get(&fk.column)
                    && let Some(to) = aliases.get(&(fk.target, v.clone()))
                {
                    theirs.insert(fk.column.clone(), Value::String(to.clone()));
                }
            }
            let key: Key = (table, foreign_id.clone());
            let here = |id: &str| local.ids.get(table).is_some_and(|s| s.contains(id));
            let mut local_id = foreign_id.clone();
            if !here(&foreign_id) && !local.tombstones.contains_key(&key) {
                if let Some(to) = aliases.get(&key) {
                    local_id = to.clone();
                } else if let Some(nk) = natural_key(table, &theirs)
                    && let Some(to) = local.natural.get(&(*table, nk))
                    && *to != foreign_id
                {
                    local_id = to.clone();
                    aliases.insert(key.clone(), to.clone());
                    new_aliases.push((table.to_string(), foreign_id.clone(), to.clone()));
                }
            }
            let theirs_origin = name_of(theirs.get("origin").and_then(Value::as_str).unwrap_or_default());
            let lkey: Key = (table, local_id.clone());
            let mine = local.records.get(&lkey);
            let mk = |kind: ChangeKind,
                      reason: Option<String>,
                      fields: Vec<FieldDiff>,
                      versions: Versions,
                      theirs: Option<Map<String, Value>>| PlannedChange {
                table: table.to_string(),
                label: label.to_string(),
                id: local_id.clone(),
                title: title_of(theirs.as_ref().or(mine).unwrap_or(&Map::new())),
                kind,
                reason,
                fields,
                mine_origin: mine.map(|m| name_of(m.get("origin").and_then(Value::as_str).unwrap_or_default())),
                theirs_origin: theirs_origin.clone(),
                theirs,
                versions,
                foreign_id: foreign_id.clone(),
            };

            if local_id != foreign_id {
                // Matched under another id: reference data stays mine; links are compared.
                let mut own = theirs.clone();
                own.insert("id".into(), Value::String(local_id.clone()));
                let diff = content_diff(mine, Some(&own));
                if is_reference(table) {
                    c.matched += 1;
                    changes.push(mk(
                        ChangeKind::Matched,
                        Some("finns redan här under annat id; den lokala behålls".into()),
                        diff,
                        wire.versions.clone(),
                        None,
                    ));
                } else if diff.is_empty() {
                    c.unchanged += 1;
                    unchanged += 1;
                } else {
                    c.conflicts += 1;
                    changes.push(mk(
                        ChangeKind::Conflict,
                        Some("samma koppling finns här med andra uppgifter".into()),
                        diff,
                        wire.versions.clone(),
                        Some(own),
                    ));
                }
                continue;
            }

            if let Some(mine) = mine {
                let mv = local.versions.get(&lkey).cloned().unwrap_or_else(|| implicit_of(mine));
                if local.open_conflicts.get(&lkey) == Some(&wire.versions) {
                    c.unchanged += 1;
                    unchanged += 1;
                    continue;
                }
                match compare(&wire.versions, &mv) {
                    Order::Equal | Order::Before => {
                        c.unchanged += 1;
                        unchanged += 1;
                    }
                    Order::After => {
                        c.changed += 1;
                        let diff = content_diff(Some(mine), Some(&theirs));
                        changes.push(mk(ChangeKind::Changed, None, diff, wire.versions.clone(), Some(theirs)));
                    }
                    Order::Concurrent => {
                        let diff = content_diff(Some(mine), Some(&theirs));
                        let merged = merge(&wire.versions, &mv);
                        if diff.is_empty() {
                            // The same change made on both sides: keep one deterministic
                            // copy (the later), with a vector that has seen both.
                            let rank = |m: &Map<String, Value>| {
                                (
                                    m.get("revision").and_then(Value::as_i64).unwrap_or(0),
                                    m.get("updated_at").and_then(Value::as_str).unwrap_or_default().to_string(),
                                    m.get("origin").and_then(Value::as_str).unwrap_or_default().to_string(),
                                )
                            };
                            let keep = if rank(&theirs) > rank(mine) { theirs } else { mine.clone() };
                            c.changed += 1;
                            changes.push(mk(
                                ChangeKind::Changed,
                                Some("samma ändring på båda håll".into()),
                                vec![],
                                merged,
                                Some(keep),
                            ));
                        } else {
                            c.conflicts += 1;
                            changes.push(mk(
                                ChangeKind::Conflict,
                                Some("ändrad både här och där sedan förra utbytet".into()),
                                diff,
                                wire.versions.clone(),
                                Some(theirs),
                            ));
                        }
                    }
                }
            } else if let Some(tv) = local.tombstones.get(&lkey) {
                match compare(&wire.versions, tv) {
                    Order::Equal | Order::Before => {
                        c.unchanged += 1;
                        unchanged += 1;
                    }
                    Order::After => {
                        // Theirs has seen the deletion and kept the record (a settled
                        // conflict): it comes back.
                        c.new += 1;
                        changes.push(mk(
                            ChangeKind::New,
                            Some("återskapad: avsändaren har sett raderingen och behållit posten".into()),
                            vec![],
                            wire.versions.clone(),
                            Some(theirs),
                        ));
                    }
                    Order::Concurrent => {
                        if local.open_conflicts.get(&lkey) == Some(&wire.versions) {
                            c.unchanged += 1;
                            unchanged += 1;
                            continue;
                        }
                        c.conflicts += 1;
                        let diff = content_diff(None, Some(&theirs));
                        changes.push(mk(
                            ChangeKind::Conflict,
                            Some("raderad här men ändrad där".into()),
                            diff,
                            wire.versions.clone(),
                            Some(theirs),
                        ));
                    }
                }
            } else {
                c.new += 1;
                changes.push(mk(ChangeKind::New, None, vec![], wire.versions.clone(), Some(theirs)));
            }
        }
    }

    // Deletions.
    let mut tombstones_to_record = Vec::new();
    let deleted_here: HashSet<Key> = incoming
        .tombstones
        .iter()
        .filter_map(|t| {
            let table = order
                .iter()
                .copied()
                .find(|x| **x == t.table)
                .or_else(|| local.ids.keys().copied().find(|x| *x == t.table))?;
            Some((table, aliases.get(&(table, t.id.clone())).cloned().unwrap_or_else(|| t.id.clone())))
        })
        .collect();
    for t in incoming.tombstones {
        let Some(table) = local.ids.keys().copied().find(|x| *x == t.table) else { continue };
        let id = aliases.get(&(table, t.id.clone())).cloned().unwrap_or_else(|| t.id.clone());
        let lkey: Key = (table, id.clone());
        let label = incoming.tables.iter().find(|(tb, _, _)| *tb == table).map(|x| x.1).unwrap_or(table);
        let c = counts.entry(table).or_insert_with(|| KindCounts {
            table: table.to_string(),
            label: label.to_string(),
            ..Default::default()
        });
        if let Some(mine) = local.records.get(&lkey) {
            let mv = local.versions.get(&lkey).cloned().unwrap_or_else(|| implicit_of(mine));
            let users: Vec<&Key> = local
                .referenced_by
                .get(&lkey)
                .map(|v| v.iter().filter(|k| !deleted_here.contains(*k)).collect())
                .unwrap_or_default();
            let change = |kind, reason: Option<String>| PlannedChange {
                table: table.to_string(),
                label: label.to_string(),
                id: id.clone(),
                title: title_of(mine),
                kind,
                reason,
                fields: content_diff(Some(mine), None),
                mine_origin: Some(name_of(mine.get("origin").and_then(Value::as_str).unwrap_or_default())),
                theirs_origin: name_of(&t.origin),
                theirs: None,
                versions: t.versions.clone(),
                foreign_id: t.id.clone(),
            };
            if local.open_conflicts.get(&lkey) == Some(&t.versions) {
                c.unchanged += 1;
                unchanged += 1;
                continue;
            }
            match compare(&t.versions, &mv) {
                Order::Before => {
                    c.unchanged += 1;
                    unchanged += 1;
                }
                Order::Equal | Order::After if users.is_empty() => {
                    c.deleted += 1;
                    changes.push(change(ChangeKind::Deleted, None));
                }
                Order::Equal | Order::After => {
                    c.conflicts += 1;
                    changes.push(change(
                        ChangeKind::Conflict,
                        Some(format!("raderad där men används här av {} post(er)", users.len())),
                    ));
                }
                Order::Concurrent => {
                    c.conflicts += 1;
                    changes.push(change(ChangeKind::Conflict, Some("raderad där men ändrad här".into())));
                }
            }
        } else if local.tombstones.contains_key(&lkey) {
            c.unchanged += 1;
            unchanged += 1;
        } else {
            tombstones_to_record.push(WireTombstone { id, ..t.clone() });
        }
    }

    // A record that refers to something that will not be here is held back as a conflict
    // (and so is whatever refers to it).
    let mut present: HashMap<&'static str, HashSet<String>> = local.ids.clone();
    for ch in &changes {
        let t = table_of(&order, local, &ch.table);
        match ch.kind {
            ChangeKind::New => {
                present.entry(t).or_default().insert(ch.id.clone());
            }
            ChangeKind::Deleted => {
                present.entry(t).or_default().remove(&ch.id);
            }
            _ => {}
        }
    }
    loop {
        let mut held = false;
        for ch in changes.iter_mut().filter(|c| matches!(c.kind, ChangeKind::New | ChangeKind::Changed)) {
            let Some(theirs) = &ch.theirs else { continue };
            let missing = fks.iter().filter(|f| f.table == ch.table).find_map(|fk| match theirs.get(&fk.column) {
                Some(Value::String(v)) if !present.get(fk.target).is_some_and(|s| s.contains(v)) => Some(fk.target),
                _ => None,
            });
            if let Some(target) = missing {
                let t = table_of(&order, local, &ch.table);
                if let Some(c) = counts.get_mut(t) {
                    if ch.kind == ChangeKind::New {
                        c.new -= 1;
                    } else {
                        c.changed -= 1;
                    }
                    c.conflicts += 1;
                }
                if ch.kind == ChangeKind::New {
                    present.entry(t).or_default().remove(&ch.id);
                }
                ch.fields = content_diff(local.records.get(&(t, ch.id.clone())), Some(theirs));
                ch.kind = ChangeKind::Conflict;
                ch.reason = Some(format!("hänvisar till en post ({target}) som inte finns här"));
                held = true;
            }
        }
        if !held {
            break;
        }
    }

    let method_differs = match &incoming.sender_method {
        None => false,
        Some((id, def)) => {
            let local_id = aliases.get(&("method_version", id.clone())).cloned().unwrap_or_else(|| id.clone());
            local_id != local.current_method.0 && *def != local.current_method.1
        }
    };

    let counts: Vec<KindCounts> = order
        .iter()
        .filter_map(|t| counts.get(t).cloned())
        .chain(counts.values().filter(|c| !order.contains(&c.table.as_str())).cloned())
        .collect();
    let digest = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for ch in &changes {
            h.update(ch.kind.label().as_bytes());
            h.update(ch.table.as_bytes());
            h.update(ch.id.as_bytes());
            h.update(serde_json::to_vec(&ch.versions).unwrap_or_default());
            h.update(b"\n");
        }
        for (t, f, l) in &new_aliases {
            h.update(format!("alias|{t}|{f}|{l}\n").as_bytes());
        }
        for t in &tombstones_to_record {
            h.update(format!("tombstone|{}|{}\n", t.table, t.id).as_bytes());
        }
        hex::encode(h.finalize())
    };
    MergePlan { counts, changes, unchanged, method_differs, tombstones_to_record, aliases: new_aliases, digest }
}

fn table_of(order: &[&'static str], local: &LocalState, table: &str) -> &'static str {
    order
        .iter()
        .copied()
        .find(|t| *t == table)
        .or_else(|| local.ids.keys().copied().find(|t| *t == table))
        .unwrap_or("okänd")
}
