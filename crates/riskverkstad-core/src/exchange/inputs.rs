//! What a merge plan is made from: the bundle's records and deletions as they travel, the
//! local state gathered for them by one read, and the schema's references between tables.

use crate::store::Versions;
use serde::Serialize;
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
