//! The merge plan: a pure function of the local state and a bundle's content.
//!
//! Per record, by version vectors ([`crate::store::compare`]): theirs newer → changed;
//! mine newer or the same → nothing; both changed since they last met → a conflict, kept for
//! a person, unless both made the very same change. A record here under another id (the same
//! municipality, förvaltning, catalogue entry, method; or the same system–information or
//! system–requirement link) is matched through an alias, and references in the bundle are
//! rewritten to the local ids. A deletion that arrives for a record still used here, and a
//! record that refers to something deleted here, are conflicts too.

pub use super::diff::{FieldDiff, META, content_diff, field_label, is_reference, natural_key, swedish_name, title_of};
pub use super::inputs::{Fk, IncomingRecords, Key, LocalState, WireRecord, WireTombstone};
use crate::store::{Order, Versions, compare, implicit_of, merge};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// Plans the merge. Pure: reads only its arguments.
pub fn plan(local: &LocalState, incoming: &IncomingRecords<'_>, fks: &[Fk]) -> MergePlan {
    let mut p = Merge::new(local, incoming, fks);
    for (table, label, records) in incoming.tables {
        p.order.push(table);
        p.count(table, label);
        for wire in records {
            p.record(table, label, wire);
        }
    }
    p.deletions();
    p.hold_dangling();
    p.finish()
}

/// One record of the bundle as the plan sees it: its ids here and there, where it comes from,
/// and mine, if I have it.
struct Arrival<'l> {
    table: &'static str,
    label: &'static str,
    foreign_id: String,
    local_id: String,
    theirs_origin: String,
    mine: Option<&'l Map<String, Value>>,
}

/// The plan as it grows: the aliases known and made, the changes, the counts per kind.
struct Merge<'a> {
    local: &'a LocalState,
    incoming: &'a IncomingRecords<'a>,
    fks: &'a [Fk],
    aliases: HashMap<Key, String>,
    new_aliases: Vec<(String, String, String)>,
    changes: Vec<PlannedChange>,
    counts: BTreeMap<&'static str, KindCounts>,
    unchanged: u32,
    order: Vec<&'static str>,
    tombstones_to_record: Vec<WireTombstone>,
}

impl<'a> Merge<'a> {
    fn new(local: &'a LocalState, incoming: &'a IncomingRecords<'a>, fks: &'a [Fk]) -> Merge<'a> {
        Merge {
            local,
            incoming,
            fks,
            aliases: local.aliases.clone(),
            new_aliases: Vec::new(),
            changes: Vec::new(),
            counts: BTreeMap::new(),
            unchanged: 0,
            order: Vec::new(),
            tombstones_to_record: Vec::new(),
        }
    }

    /// An installation's name (the sender's as the bundle gives it).
    fn name_of(&self, installation: &str) -> String {
        if installation == self.incoming.sender.0 {
            return self.incoming.sender.1.to_string();
        }
        self.local
            .installation_names
            .get(installation)
            .cloned()
            .unwrap_or_else(|| format!("installation {installation}"))
    }

    fn count(&mut self, table: &'static str, label: &str) -> &mut KindCounts {
        self.counts.entry(table).or_insert_with(|| KindCounts {
            table: table.to_string(),
            label: label.to_string(),
            ..Default::default()
        })
    }

    fn same(&mut self, table: &'static str, label: &str) {
        self.count(table, label).unchanged += 1;
        self.unchanged += 1;
    }

    fn change(
        &self,
        a: &Arrival<'_>,
        kind: ChangeKind,
        reason: Option<&str>,
        fields: Vec<FieldDiff>,
        versions: Versions,
        theirs: Option<Map<String, Value>>,
    ) -> PlannedChange {
        PlannedChange {
            table: a.table.to_string(),
            label: a.label.to_string(),
            id: a.local_id.clone(),
            title: title_of(theirs.as_ref().or(a.mine).unwrap_or(&Map::new())),
            kind,
            reason: reason.map(str::to_string),
            fields,
            mine_origin: a.mine.map(|m| self.name_of(m.get("origin").and_then(Value::as_str).unwrap_or_default())),
            theirs_origin: a.theirs_origin.clone(),
            theirs,
            versions,
            foreign_id: a.foreign_id.clone(),
        }
    }

    /// One record of the bundle: its references rewritten to local ids (the tables come in
    /// dependency order, so the aliases they need are known), then its own id, then what
    /// happens to it.
    fn record(&mut self, table: &'static str, label: &'static str, wire: &WireRecord) {
        let mut theirs = wire.record.clone();
        let foreign_id = theirs.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        for fk in self.fks.iter().filter(|f| f.table == table) {
            if let Some(Value::String(v)) = theirs.get(&fk.column)
                && let Some(to) = self.aliases.get(&(fk.target, v.clone()))
            {
                theirs.insert(fk.column.clone(), Value::String(to.clone()));
            }
        }
        let local = self.local;
        let key: Key = (table, foreign_id.clone());
        let here = |id: &str| local.ids.get(table).is_some_and(|s| s.contains(id));
        let mut local_id = foreign_id.clone();
        if !here(&foreign_id) && !local.tombstones.contains_key(&key) {
            if let Some(to) = self.aliases.get(&key) {
                local_id = to.clone();
            } else if let Some(nk) = natural_key(table, &theirs)
                && let Some(to) = local.natural.get(&(table, nk))
                && *to != foreign_id
            {
                local_id = to.clone();
                self.aliases.insert(key.clone(), to.clone());
                self.new_aliases.push((table.to_string(), foreign_id.clone(), to.clone()));
            }
        }
        let theirs_origin = self.name_of(theirs.get("origin").and_then(Value::as_str).unwrap_or_default());
        let lkey: Key = (table, local_id.clone());
        let mine = local.records.get(&lkey);
        let a = Arrival { table, label, foreign_id, local_id, theirs_origin, mine };
        if a.local_id != a.foreign_id {
            self.matched(&a, wire, theirs);
        } else if let Some(mine) = mine {
            self.against_mine(&a, mine, &lkey, wire, theirs);
        } else if let Some(tv) = local.tombstones.get(&lkey) {
            self.against_deletion(&a, tv, &lkey, wire, theirs);
        } else {
            self.count(table, label).new += 1;
            let ch = self.change(&a, ChangeKind::New, None, vec![], wire.versions.clone(), Some(theirs));
            self.changes.push(ch);
        }
    }

    /// Matched under another id: reference data stays mine; links are compared.
    fn matched(&mut self, a: &Arrival<'_>, wire: &WireRecord, theirs: Map<String, Value>) {
        let mut own = theirs;
        own.insert("id".into(), Value::String(a.local_id.clone()));
        let diff = content_diff(a.mine, Some(&own));
        let ch = if is_reference(a.table) {
            self.count(a.table, a.label).matched += 1;
            let reason = Some("finns redan här under annat id; den lokala behålls");
            self.change(a, ChangeKind::Matched, reason, diff, wire.versions.clone(), None)
        } else if diff.is_empty() {
            self.same(a.table, a.label);
            return;
        } else {
            self.count(a.table, a.label).conflicts += 1;
            let reason = Some("samma koppling finns här med andra uppgifter");
            self.change(a, ChangeKind::Conflict, reason, diff, wire.versions.clone(), Some(own))
        };
        self.changes.push(ch);
    }

    /// A record I have: theirs newer → changed; mine newer or the same → nothing; both
    /// changed → a conflict, unless both made the very same change.
    fn against_mine(
        &mut self,
        a: &Arrival<'_>,
        mine: &Map<String, Value>,
        lkey: &Key,
        wire: &WireRecord,
        theirs: Map<String, Value>,
    ) {
        let mv = self.local.versions.get(lkey).cloned().unwrap_or_else(|| implicit_of(mine));
        if self.local.open_conflicts.get(lkey) == Some(&wire.versions) {
            self.same(a.table, a.label);
            return;
        }
        let ch = match compare(&wire.versions, &mv) {
            Order::Equal | Order::Before => {
                self.same(a.table, a.label);
                return;
            }
            Order::After => {
                self.count(a.table, a.label).changed += 1;
                let diff = content_diff(Some(mine), Some(&theirs));
                self.change(a, ChangeKind::Changed, None, diff, wire.versions.clone(), Some(theirs))
            }
            Order::Concurrent => {
                let diff = content_diff(Some(mine), Some(&theirs));
                let merged = merge(&wire.versions, &mv);
                if diff.is_empty() {
                    // The same change made on both sides: keep one deterministic copy (the
                    // later), with a vector that has seen both.
                    let rank = |m: &Map<String, Value>| {
                        (
                            m.get("revision").and_then(Value::as_i64).unwrap_or(0),
                            m.get("updated_at").and_then(Value::as_str).unwrap_or_default().to_string(),
                            m.get("origin").and_then(Value::as_str).unwrap_or_default().to_string(),
                        )
                    };
                    let keep = if rank(&theirs) > rank(mine) { theirs } else { mine.clone() };
                    self.count(a.table, a.label).changed += 1;
                    let reason = Some("samma ändring på båda håll");
                    self.change(a, ChangeKind::Changed, reason, vec![], merged, Some(keep))
                } else {
                    self.count(a.table, a.label).conflicts += 1;
                    let reason = Some("ändrad både här och där sedan förra utbytet");
                    self.change(a, ChangeKind::Conflict, reason, diff, wire.versions.clone(), Some(theirs))
                }
            }
        };
        self.changes.push(ch);
    }

    /// A record deleted here: theirs has seen the deletion and kept it → it comes back;
    /// changed there without seeing it → a conflict.
    fn against_deletion(
        &mut self,
        a: &Arrival<'_>,
        tv: &Versions,
        lkey: &Key,
        wire: &WireRecord,
        theirs: Map<String, Value>,
    ) {
        let ch = match compare(&wire.versions, tv) {
            Order::Equal | Order::Before => {
                self.same(a.table, a.label);
                return;
            }
            Order::After => {
                self.count(a.table, a.label).new += 1;
                let reason = Some("återskapad: avsändaren har sett raderingen och behållit posten");
                self.change(a, ChangeKind::New, reason, vec![], wire.versions.clone(), Some(theirs))
            }
            Order::Concurrent => {
                if self.local.open_conflicts.get(lkey) == Some(&wire.versions) {
                    self.same(a.table, a.label);
                    return;
                }
                self.count(a.table, a.label).conflicts += 1;
                let diff = content_diff(None, Some(&theirs));
                let reason = Some("raderad här men ändrad där");
                self.change(a, ChangeKind::Conflict, reason, diff, wire.versions.clone(), Some(theirs))
            }
        };
        self.changes.push(ch);
    }

    /// The bundle's deletions: of a record I have and have not changed since → deleted, unless
    /// it is still used here (a conflict); of one I changed → a conflict; of one I never had →
    /// remembered, so that another bundle does not bring it back.
    fn deletions(&mut self) {
        let (local, incoming) = (self.local, self.incoming);
        let deleted_here: HashSet<Key> = incoming
            .tombstones
            .iter()
            .filter_map(|t| {
                let table = self
                    .order
                    .iter()
                    .copied()
                    .find(|x| **x == t.table)
                    .or_else(|| local.ids.keys().copied().find(|x| *x == t.table))?;
                Some((table, self.aliases.get(&(table, t.id.clone())).cloned().unwrap_or_else(|| t.id.clone())))
            })
            .collect();
        for t in incoming.tombstones {
            let Some(table) = local.ids.keys().copied().find(|x| *x == t.table) else { continue };
            let id = self.aliases.get(&(table, t.id.clone())).cloned().unwrap_or_else(|| t.id.clone());
            let lkey: Key = (table, id.clone());
            let label = incoming.tables.iter().find(|(tb, _, _)| *tb == table).map(|x| x.1).unwrap_or(table);
            self.count(table, label);
            let Some(mine) = local.records.get(&lkey) else {
                if local.tombstones.contains_key(&lkey) {
                    self.same(table, label);
                } else {
                    self.tombstones_to_record.push(WireTombstone { id, ..t.clone() });
                }
                continue;
            };
            if local.open_conflicts.get(&lkey) == Some(&t.versions) {
                self.same(table, label);
                continue;
            }
            let mv = local.versions.get(&lkey).cloned().unwrap_or_else(|| implicit_of(mine));
            let users = local
                .referenced_by
                .get(&lkey)
                .map(|v| v.iter().filter(|k| !deleted_here.contains(*k)).count())
                .unwrap_or(0);
            let (kind, reason) = match compare(&t.versions, &mv) {
                Order::Before => {
                    self.same(table, label);
                    continue;
                }
                Order::Equal | Order::After if users == 0 => (ChangeKind::Deleted, None),
                Order::Equal | Order::After => {
                    (ChangeKind::Conflict, Some(format!("raderad där men används här av {users} post(er)")))
                }
                Order::Concurrent => (ChangeKind::Conflict, Some("raderad där men ändrad här".to_string())),
            };
            if kind == ChangeKind::Deleted {
                self.count(table, label).deleted += 1;
            } else {
                self.count(table, label).conflicts += 1;
            }
            let ch = PlannedChange {
                table: table.to_string(),
                label: label.to_string(),
                id: id.clone(),
                title: title_of(mine),
                kind,
                reason,
                fields: content_diff(Some(mine), None),
                mine_origin: Some(self.name_of(mine.get("origin").and_then(Value::as_str).unwrap_or_default())),
                theirs_origin: self.name_of(&t.origin),
                theirs: None,
                versions: t.versions.clone(),
                foreign_id: t.id.clone(),
            };
            self.changes.push(ch);
        }
    }

    /// A record that refers to something that will not be here is held back as a conflict
    /// (and so is whatever refers to it).
    fn hold_dangling(&mut self) {
        let local = self.local;
        let mut present: HashMap<&'static str, HashSet<String>> = local.ids.clone();
        for ch in &self.changes {
            let t = table_of(&self.order, local, &ch.table);
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
            for ch in self.changes.iter_mut().filter(|c| matches!(c.kind, ChangeKind::New | ChangeKind::Changed)) {
                let Some(theirs) = &ch.theirs else { continue };
                let missing =
                    self.fks.iter().filter(|f| f.table == ch.table).find_map(|fk| match theirs.get(&fk.column) {
                        Some(Value::String(v)) if !present.get(fk.target).is_some_and(|s| s.contains(v)) => {
                            Some(fk.target)
                        }
                        _ => None,
                    });
                let Some(target) = missing else { continue };
                let t = table_of(&self.order, local, &ch.table);
                if let Some(c) = self.counts.get_mut(t) {
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
            if !held {
                break;
            }
        }
    }

    /// The plan: whether the sender's method differs, the counts in dependency order, and the
    /// digest of everything that would be written.
    fn finish(self) -> MergePlan {
        let method_differs = match &self.incoming.sender_method {
            None => false,
            Some((id, def)) => {
                let local_id = self.aliases.get(&("method_version", id.clone())).cloned().unwrap_or_else(|| id.clone());
                local_id != self.local.current_method.0 && *def != self.local.current_method.1
            }
        };
        let order = &self.order;
        let counts: Vec<KindCounts> = order
            .iter()
            .filter_map(|t| self.counts.get(t).cloned())
            .chain(self.counts.values().filter(|c| !order.contains(&c.table.as_str())).cloned())
            .collect();
        let digest = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            for ch in &self.changes {
                h.update(ch.kind.label().as_bytes());
                h.update(ch.table.as_bytes());
                h.update(ch.id.as_bytes());
                h.update(serde_json::to_vec(&ch.versions).unwrap_or_default());
                h.update(b"\n");
            }
            for (t, f, l) in &self.new_aliases {
                h.update(format!("alias|{t}|{f}|{l}\n").as_bytes());
            }
            for t in &self.tombstones_to_record {
                h.update(format!("tombstone|{}|{}\n", t.table, t.id).as_bytes());
            }
            hex::encode(h.finalize())
        };
        MergePlan {
            counts,
            changes: self.changes,
            unchanged: self.unchanged,
            method_differs,
            tombstones_to_record: self.tombstones_to_record,
            aliases: self.new_aliases,
            digest,
        }
    }
}

fn table_of(order: &[&'static str], local: &LocalState, table: &str) -> &'static str {
    order
        .iter()
        .copied()
        .find(|t| *t == table)
        .or_else(|| local.ids.keys().copied().find(|t| *t == table))
        .unwrap_or("okänd")
}
