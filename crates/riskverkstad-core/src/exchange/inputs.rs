//! What a merge plan is made from: the bundle's records and deletions as they travel, the
//! local state gathered for them by one read, and the schema's references between tables.

use super::trust::SenderRole;
use crate::store::Versions;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

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
    /// What the sender may change here (its trust entry), and what it touched before.
    pub authority: Authority,
    /// The local records above the ones the bundle touches (their system, förvaltning, …),
    /// for judging whose scope a record is in; read only for a department sender.
    pub parents: HashMap<Key, Map<String, Value>>,
}

/// What the sender of a bundle may change here: its role and förvaltningar from the trust
/// list, the records the receiver lets it change as conflicts, and the förvaltningar its
/// earlier bundles touched.
#[derive(Debug, Clone)]
pub struct Authority {
    /// Avdelning or central.
    pub role: SenderRole,
    /// The förvaltningar it answers for (names, lower case, trimmed).
    pub forvaltningar: HashSet<String>,
    /// Records (table, local id) whose out-of-scope changes from this sender become conflicts.
    pub allowed: HashSet<Key>,
    /// The förvaltningar (lower case) its earlier bundles touched; `None` before its first.
    pub seen: Option<HashSet<String>>,
}

impl Default for Authority {
    /// A department answering for nothing but what it made: the least a sender may do.
    fn default() -> Authority {
        Authority { role: SenderRole::Avdelning, forvaltningar: HashSet::new(), allowed: HashSet::new(), seen: None }
    }
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
    /// The bundle's change attestations, checked.
    pub attested: &'a Attested,
}

/// One batch as it travels in `attestations.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The installation that made the changes.
    pub installation: String,
    /// Its name, as it calls itself.
    pub name: String,
    /// Its public key (OpenSSH one-line form): the key the signature is made with.
    pub public_key: String,
    /// The signed text: the header, `installation <id>`, then a line per change.
    pub body: String,
    /// The OpenSSH signature (PEM) of `body`, namespace `riskverkstad-change`.
    pub signature: String,
}

/// A batch the receiver has checked: its signature, and that its key is the installation's.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub sha256: String,
    pub batch: Batch,
    /// Learnt from this bundle (the sender's own key, or vouched for by a central sender);
    /// `None` when the binding was known already.
    pub learnt_from: Option<String>,
}

/// A bundle's attestations, checked: per (table, id, installation), the counters attested
/// with their content hashes and the batch that attests each.
#[derive(Debug, Default, Clone)]
pub struct Attested {
    pub(crate) batches: Vec<Checked>,
    pub(super) lines: HashMap<(String, String, String), Vec<Attestation>>,
}

/// One attested change: the installation's counter, the content hash, the batch's index.
#[derive(Debug, Clone)]
pub(super) struct Attestation {
    pub(super) n: u64,
    pub(super) sha256: String,
    pub(super) batch: usize,
}

impl Attested {
    /// The content hash `installation` attests for its `n`-th change of the record, and the
    /// batch's index.
    pub(crate) fn of(&self, table: &str, id: &str, installation: &str, n: u64) -> Option<(&str, usize)> {
        self.lines
            .get(&(table.to_string(), id.to_string(), installation.to_string()))?
            .iter()
            .find(|a| a.n == n)
            .map(|a| (a.sha256.as_str(), a.batch))
    }

    /// An installation's name as its own attestation batch gives it.
    pub(crate) fn name_of(&self, installation: &str) -> Option<&str> {
        self.batches.iter().find(|c| c.batch.installation == installation).map(|c| c.batch.name.as_str())
    }

    /// Whether anything was attested.
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }
}
