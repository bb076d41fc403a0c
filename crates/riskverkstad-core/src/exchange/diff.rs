//! Records compared field by field, and what the exchange knows of a record kind besides its
//! type: reference data matched by a natural key, a record's title, each field's Swedish name.

use serde::Serialize;
use serde_json::{Map, Value};

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

/// The meta fields, which are not compared field by field.
pub const META: &[&str] = &["id", "origin", "revision", "created_at", "updated_at"];

/// Reference data: matched by natural key, never merged.
pub fn is_reference(table: &str) -> bool {
    matches!(
        table,
        "organisation" | "forvaltning" | "requirement" | "threat" | "method_version" | "recipient" | "control_kind"
    )
}

/// A record's natural key, for the tables that have one.
pub fn natural_key(table: &str, obj: &Map<String, Value>) -> Option<String> {
    let s = |f: &str| obj.get(f).map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
    match table {
        "organisation" | "forvaltning" | "recipient" | "control_kind" => s("name").map(|n| n.trim().to_lowercase()),
        "requirement" | "threat" => s("code"),
        "method_version" => s("definition"),
        "system_information_set" => Some(format!("{}|{}", s("system_id")?, s("information_set_id")?)),
        "requirement_status" => Some(format!("{}|{}", s("system_id")?, s("requirement_id")?)),
        // A system carries a requirement as an extra one once; one systemsäkerhetsplan per system.
        "extra_requirement" => Some(format!("{}|{}", s("system_id")?, s("requirement_id")?)),
        "security_plan" => s("system_id"),
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
