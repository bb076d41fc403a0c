//! The merge plan: a pure function of the local state and a bundle's content.
//!
//! Per record, by version vectors ([`crate::store::compare`]): theirs newer → changed;
//! mine newer or the same → nothing; both changed since they last met → a conflict, kept for
//! a person, unless both made the very same change. A record here under another id (the same
//! municipality, förvaltning, catalogue entry, method; or the same system–information or
//! system–requirement link) is matched through an alias, and references in the bundle are
//! rewritten to the local ids. A deletion that arrives for a record still used here, and a
//! record that refers to something deleted here, are conflicts too.

use super::attest::{content_sha256, deletion_sha256};
pub use super::diff::{FieldDiff, META, content_diff, field_label, is_reference, natural_key, swedish_name, title_of};
pub use super::inputs::{Authority, Fk, IncomingRecords, Key, LocalState, WireRecord, WireTombstone};
use super::trust::SenderRole;
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
    /// Who made theirs (installation name): proven by its change attestation, or by the
    /// bundle's signature when the sender made it. `None` when not proven (a relayed change
    /// without an attestation).
    pub made_by: Option<String>,
    /// The maker's installation id.
    #[serde(skip)]
    pub maker: Option<String>,
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

/// A change the sender may not make here: the bundle is refused while there is one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// The table.
    pub table: String,
    /// The kind of record in Swedish ("Systemet").
    pub label: String,
    /// The record's local id.
    pub id: String,
    /// A name people recognise.
    pub title: String,
    /// Why, naming the sender and whose the record is.
    pub reason: String,
    /// Whether the receiver may let this sender's changes of the record through as conflicts
    /// (an out-of-scope change may; a forged counter never).
    pub allowable: bool,
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
    /// Who sent the bundle (its name in the trust list, else as it names itself).
    pub sender: String,
    /// Changes the sender may not make: while there is one, the bundle is not imported.
    pub refusals: Vec<Refusal>,
    /// Things to look at before importing (a sender touching förvaltningar it has not sent
    /// before).
    pub warnings: Vec<String>,
    /// The förvaltningar (lower case) the bundle's changes touch.
    #[serde(skip)]
    pub touched: Vec<String>,
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
    p.judge();
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
    /// The bundle's records by (table, id in the bundle).
    by_id: HashMap<(&'static str, &'a str), &'a Map<String, Value>>,
    refusals: Vec<Refusal>,
    warnings: Vec<String>,
    /// The förvaltningar the changes touch: lower case → as written.
    touched: BTreeMap<String, String>,
}

/// What a record hangs on: the system (its origin) and the förvaltning (its name).
#[derive(Default)]
struct Owner {
    system_origin: Option<String>,
    forvaltning: Option<String>,
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
            by_id: incoming
                .tables
                .iter()
                .flat_map(|(t, _, list)| {
                    list.iter()
                        .filter_map(move |w| w.record.get("id").and_then(Value::as_str).map(|id| ((*t, id), &w.record)))
                })
                .collect(),
            refusals: Vec::new(),
            warnings: Vec::new(),
            touched: BTreeMap::new(),
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
            .or_else(|| self.incoming.attested.name_of(installation).map(str::to_string))
            .unwrap_or_else(|| format!("en installation som inte är känd här ({installation})"))
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
            made_by: None,
            maker: None,
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
                made_by: None,
                maker: None,
                theirs: None,
                versions: t.versions.clone(),
                foreign_id: t.id.clone(),
            };
            self.changes.push(ch);
        }
    }

    /// A record of the bundle or of this database by table and id: the bundle's first when
    /// `theirs_first`, else this database's (the record itself, or a parent read for judging).
    fn lookup(&self, table: &'static str, id: &str, theirs_first: bool) -> Option<&'a Map<String, Value>> {
        let (local, by_id) = (self.local, &self.by_id);
        let key: Key = (table, id.to_string());
        let mine = || local.records.get(&key).or_else(|| local.parents.get(&key));
        let theirs = || by_id.get(&(table, id)).copied();
        if theirs_first { theirs().or_else(mine) } else { mine().or_else(theirs) }
    }

    /// What a record hangs on: up its owning references (a risk → its analysis → its system
    /// → the system's förvaltning), through the bundle's records or this database's.
    fn owner(&self, table: &'static str, obj: &Map<String, Value>, theirs_first: bool) -> Owner {
        let mut out = Owner::default();
        let (mut table, mut obj) = (table, obj);
        let name = |m: &Map<String, Value>| m.get("name").and_then(Value::as_str).map(str::to_string);
        for depth in 0..8 {
            if table == "forvaltning" {
                out.forvaltning = name(obj);
                break;
            }
            if table == "system" {
                if depth > 0 {
                    out.system_origin = obj.get("origin").and_then(Value::as_str).map(str::to_string);
                }
                out.forvaltning = obj
                    .get("forvaltning_id")
                    .and_then(Value::as_str)
                    .and_then(|f| self.lookup("forvaltning", f, theirs_first))
                    .and_then(name);
                break;
            }
            let Some(k) = super::kinds::kind(table) else { break };
            let parent = k.owned_by.iter().find_map(|col| {
                let id = obj.get(*col).and_then(Value::as_str)?;
                let target = self.fks.iter().find(|f| f.table == table && f.column == *col)?.target;
                Some((target, self.lookup(target, id, theirs_first)?))
            });
            let Some((t, o)) = parent else { break };
            (table, obj) = (t, o);
        }
        out
    }

    /// Whether the sender answers for what `owner` names: a system it made, or a förvaltning
    /// in its scope. `None` when the record hangs on nothing.
    fn answers_for(&self, owner: &Owner) -> Option<bool> {
        let sender = self.incoming.sender.0;
        if owner.system_origin.is_none() && owner.forvaltning.is_none() {
            return None;
        }
        let in_scope = owner
            .forvaltning
            .as_ref()
            .is_some_and(|f| self.local.authority.forvaltningar.contains(&f.trim().to_lowercase()));
        Some(owner.system_origin.as_deref() == Some(sender) || in_scope)
    }

    /// Whose a record is, in words: its förvaltning and who made it.
    fn whose(&self, obj: &Map<String, Value>, owner: &Owner) -> String {
        let origin = self.name_of(obj.get("origin").and_then(Value::as_str).unwrap_or_default());
        match &owner.forvaltning {
            Some(f) => format!("den hör till förvaltningen {f} och skapades av {origin}"),
            None => format!("den skapades av {origin}"),
        }
    }

    /// Judges every change against the sender's authority, and finds who made it.
    ///
    /// Every counter the change raises beyond what is known here must be the sender's own,
    /// unless the sender is a central office (which relays). A department changes only what
    /// it made or what belongs to its förvaltningar, judged on the record as it is here and as
    /// it arrives; it creates only records it made, under a system or förvaltning of its own.
    /// A refused change is a refusal (the bundle is not imported), or a conflict when the
    /// receiver lets this sender's changes of the record through.
    fn judge(&mut self) {
        let sender = self.incoming.sender.0;
        let central = self.local.authority.role == SenderRole::Central;
        let empty = Versions::new();
        let (no_owner, no_record) = (Owner::default(), Map::new());
        for i in 0..self.changes.len() {
            let ch = &self.changes[i];
            if ch.kind == ChangeKind::Matched {
                continue;
            }
            let table = table_of(&self.order, self.local, &ch.table);
            let key: Key = (table, ch.id.clone());
            let mine = self.local.records.get(&key);
            let implicit = mine.map(implicit_of);
            let known = self
                .local
                .versions
                .get(&key)
                .or(self.local.tombstones.get(&key))
                .or(implicit.as_ref())
                .unwrap_or(&empty);
            let raised: Vec<(&String, u64)> = ch
                .versions
                .iter()
                .filter(|(x, n)| **n > known.get(*x).copied().unwrap_or(0))
                .map(|(x, n)| (x, *n))
                .collect();
            // Who made it: the installation whose attestation hashes to this content, else the
            // sender when it raised its own counter (its signature covers the bundle). A
            // department moves no counter but its own, so only a relay's records are hashed.
            let sender_raised = raised.iter().any(|(x, _)| x.as_str() == sender);
            let attested = |x: &str| {
                ch.versions.get(x).and_then(|n| self.incoming.attested.of(table, &ch.foreign_id, x, *n)).map(|(s, _)| s)
            };
            let relayed = central && ch.versions.keys().any(|x| attested(x).is_some());
            let hash = match &ch.theirs {
                _ if !relayed => String::new(),
                Some(t) => {
                    let mut t = t.clone();
                    t.insert("id".into(), Value::String(ch.foreign_id.clone()));
                    let natural = |target: &'static str, id: &str| {
                        self.lookup(target, id, true).and_then(|o| natural_key(target, o))
                    };
                    content_sha256(table, &t, self.fks, &natural)
                }
                None => deletion_sha256(table, &ch.foreign_id),
            };
            let maker = ch
                .versions
                .keys()
                .filter(|x| relayed && attested(x) == Some(hash.as_str()))
                .max_by_key(|x| (x.as_str() == sender, ch.versions.get(*x).copied().unwrap_or(0)))
                .cloned()
                .or_else(|| sender_raised.then(|| sender.to_string()));
            // Whose it is, here and as it arrives.
            let mine_owner = mine.map(|m| (self.owner(table, m, false), m));
            let theirs_owner = ch.theirs.as_ref().map(|t| (self.owner(table, t, true), t));
            for (o, _) in mine_owner.iter().chain(theirs_owner.iter()) {
                if let Some(f) = &o.forvaltning {
                    self.touched.insert(f.trim().to_lowercase(), f.trim().to_string());
                }
            }
            // The record as people know it here (a refused rename is named by its name here).
            let title = mine.map(title_of).unwrap_or_else(|| ch.title.clone());
            let mut refusal: Option<(String, bool)> = None;
            if !central {
                let who = self.name_of(sender);
                if let Some((x, n)) = raised.iter().find(|(x, _)| x.as_str() != sender) {
                    refusal = Some((
                        format!(
                            "{who} för fram en ändring som {} gjort (nr {n}) av {} \"{}\"; en avdelning får bara föra fram sina egna ändringar",
                            self.name_of(x),
                            ch.label.to_lowercase(),
                            title
                        ),
                        false,
                    ));
                } else {
                    let made_by_sender =
                        |m: &Map<String, Value>| m.get("origin").and_then(Value::as_str) == Some(sender);
                    let ok_side = |(o, m): &(Owner, &Map<String, Value>)| {
                        made_by_sender(m) || self.answers_for(o).unwrap_or(false)
                    };
                    let (ok, whose) = if ch.kind == ChangeKind::New && mine.is_none() {
                        let (o, t) = theirs_owner.as_ref().map(|(o, t)| (o, *t)).unwrap_or((&no_owner, &no_record));
                        // A record of its own; under another's system only if it answers
                        // for that system (a risk in someone else's analysis is a change of it).
                        let ok =
                            made_by_sender(t) && (o.system_origin.is_none() || self.answers_for(o).unwrap_or(false));
                        (ok, self.whose(t, o))
                    } else {
                        let here = mine_owner.as_ref().is_none_or(ok_side);
                        let there = theirs_owner.as_ref().is_none_or(ok_side);
                        let shown = mine_owner.as_ref().or(theirs_owner.as_ref());
                        (here && there, shown.map(|(o, m)| self.whose(m, o)).unwrap_or_default())
                    };
                    if !ok {
                        let verb = match ch.kind {
                            _ if ch.theirs.is_none() => "raderar",
                            ChangeKind::New => "skapar",
                            _ => "ändrar",
                        };
                        refusal = Some((
                            format!(
                                "{who} (avdelning) {verb} {} \"{}\" utanför sin behörighet: {whose}",
                                ch.label.to_lowercase(),
                                title
                            ),
                            true,
                        ));
                    }
                }
            }
            let made_by = maker.as_deref().map(|m| self.name_of(m));
            let ch = &mut self.changes[i];
            ch.maker = maker;
            ch.made_by = made_by;
            let Some((reason, allowable)) = refusal else { continue };
            if allowable && self.local.authority.allowed.contains(&key) {
                if ch.kind != ChangeKind::Conflict {
                    if let Some(c) = self.counts.get_mut(table) {
                        match ch.kind {
                            ChangeKind::New => c.new -= 1,
                            ChangeKind::Changed => c.changed -= 1,
                            ChangeKind::Deleted => c.deleted -= 1,
                            _ => {}
                        }
                        c.conflicts += 1;
                    }
                    if ch.kind == ChangeKind::Deleted {
                        ch.theirs = None;
                    }
                    ch.kind = ChangeKind::Conflict;
                }
                ch.reason = Some(format!("{reason}; mottagaren släpper igenom ändringar av posten som konflikter"));
                continue;
            }
            self.refusals.push(Refusal {
                table: ch.table.clone(),
                label: ch.label.clone(),
                id: ch.id.clone(),
                title,
                reason,
                allowable,
            });
        }
        // Deletions of records never seen here are remembered, so they must not carry another
        // installation's counters from a department: a forged one would hide that
        // installation's record when it arrives.
        if !central {
            for t in &self.tombstones_to_record {
                if let Some((x, n)) = t.versions.iter().find(|(x, _)| x.as_str() != sender) {
                    self.refusals.push(Refusal {
                        table: t.table.clone(),
                        label: super::kinds::kind(&t.table).map(|k| k.label).unwrap_or("posten").to_string(),
                        id: t.id.clone(),
                        title: t.id.clone(),
                        reason: format!(
                            "{} för fram en radering med en ändring som {} gjort (nr {n}); en avdelning får bara föra fram sina egna ändringar",
                            self.name_of(sender),
                            self.name_of(x)
                        ),
                        allowable: false,
                    });
                }
            }
        }
        if let Some(seen) = &self.local.authority.seen {
            let names: Vec<String> =
                self.touched.iter().filter(|(f, _)| !seen.contains(*f)).map(|(_, shown)| shown.clone()).collect();
            if !names.is_empty() {
                self.warnings.push(format!(
                    "{} har inte skickat poster för {} förut. Kontrollera att det är väntat innan du läser in paketet.",
                    self.name_of(sender),
                    names.join(", ")
                ));
            }
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
            sender: self.incoming.sender.1.to_string(),
            refusals: self.refusals,
            warnings: self.warnings,
            touched: self.touched.into_keys().collect(),
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
