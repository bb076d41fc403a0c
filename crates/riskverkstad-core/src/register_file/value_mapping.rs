//! The value mapping applied to a file: the distinct values of its closed-set columns (a
//! dependency column's values are the criticalities its entries name), a mapping completed
//! with a proposal for each value it does not yet have, and the lookup the plan reads cells
//! through.

use super::dependencies;
use super::fields::{Field, normalise};
use super::mapping::Mapping;
use super::values::{ValueChoice, ValueFound, is_yes_no, propose, targets};
use riskverkstad_sheets::{Cell, Table};
use std::collections::HashMap;

/// The distinct values of the value-mapped columns of `table` under `mapping`, with the row
/// numbers each is on (a dependency column's values are the criticalities its entries name).
pub fn distinct(table: &Table, mapping: &Mapping) -> Vec<(usize, Field, String, Vec<u32>)> {
    let mut out: Vec<(usize, Field, String, Vec<u32>)> = Vec::new();
    let mut at: HashMap<(usize, String), usize> = HashMap::new();
    for (i, c) in mapping.columns.iter().enumerate() {
        let Some(field) = c.field.filter(|f| targets(*f).is_some()) else { continue };
        for row in &table.rows {
            let text = row.cells.get(i).map(Cell::text).unwrap_or_default();
            let values: Vec<String> = if matches!(field, Field::DependsOn | Field::DependedOnBy) {
                dependencies::parse(&text, &mapping.separators).into_iter().filter_map(|e| e.criticality).collect()
            } else {
                match row.cells.get(i) {
                    // A real yes/no cell needs no mapping.
                    Some(Cell::Bool(_)) | Some(Cell::Empty) | None => vec![],
                    _ => vec![text.trim().to_string()],
                }
            };
            for v in values.into_iter().filter(|v| !v.is_empty()) {
                let k = (i, normalise(&v));
                match at.get(&k) {
                    Some(j) => out[*j].3.push(row.number as u32),
                    None => {
                        at.insert(k, out.len());
                        out.push((i, field, v, vec![row.number as u32]));
                    }
                }
            }
        }
    }
    out
}

/// `mapping` with a choice for every distinct value of its value-mapped columns in `table`:
/// the ones it has are kept, the others are proposed (none when nothing fits). Choices for
/// values this file does not hold are kept for the next file; a choice that no longer fits
/// its column (the column was mapped to another field) is dropped.
pub fn complete(mut mapping: Mapping, table: &Table) -> Mapping {
    let found = distinct(table, &mapping);
    let have: HashMap<(String, String), usize> =
        mapping.values.iter().enumerate().map(|(i, v)| ((normalise(&v.header), normalise(&v.value)), i)).collect();
    let fits = |v: &ValueChoice| {
        let column = mapping.columns.iter().find(|c| normalise(&c.header) == normalise(&v.header));
        match (column, &v.becomes) {
            (None, _) | (_, None) => true,
            (Some(c), Some(key)) => c.field.and_then(targets).is_some_and(|t| t.iter().any(|t| &t.key == key)),
        }
    };
    let mut kept: Vec<ValueChoice> = mapping.values.iter().filter(|v| fits(v)).cloned().collect();
    for (i, field, value, _) in &found {
        let header = &mapping.columns[*i].header;
        let known = have.get(&(normalise(header), normalise(value))).is_some_and(|j| fits(&mapping.values[*j]));
        if !known {
            let (becomes, how) = match propose(*field, value) {
                Some((k, how)) => (Some(k), how),
                None => (None, "inget förslag".to_string()),
            };
            kept.retain(|v| (normalise(&v.header), normalise(&v.value)) != (normalise(header), normalise(value)));
            kept.push(ValueChoice { header: header.clone(), value: value.clone(), becomes, how });
        }
    }
    mapping.values = kept;
    mapping
}

/// The distinct values with their counts and choices (for showing the value mapping).
pub fn found(table: &Table, mapping: &Mapping) -> Vec<ValueFound> {
    let values = Values::new(mapping);
    distinct(table, mapping)
        .into_iter()
        .map(|(i, field, value, rows)| {
            let (becomes, how) = values.choice(i, field, &value);
            ValueFound {
                header: mapping.columns[i].header.clone(),
                field,
                value,
                rows: rows.len() as u32,
                becomes,
                how,
            }
        })
        .collect()
}

/// The value mapping as the plan reads it: a column's value → what it becomes.
pub(super) struct Values {
    chosen: HashMap<(usize, String), (Option<String>, String)>,
}

impl Values {
    pub(super) fn new(mapping: &Mapping) -> Values {
        let columns: HashMap<String, usize> =
            mapping.columns.iter().enumerate().map(|(i, c)| (normalise(&c.header), i)).collect();
        let chosen = mapping
            .values
            .iter()
            .filter_map(|v| {
                let i = *columns.get(&normalise(&v.header))?;
                Some(((i, normalise(&v.value)), (v.becomes.clone(), v.how.clone())))
            })
            .collect();
        Values { chosen }
    }

    /// What `value` of column `column` becomes and why: the mapping's choice, else the
    /// proposal.
    pub(super) fn choice(&self, column: usize, field: Field, value: &str) -> (Option<String>, String) {
        match self.chosen.get(&(column, normalise(value))) {
            Some(c) => c.clone(),
            None => match propose(field, value) {
                Some((k, how)) => (Some(k), how),
                None => (None, "inget förslag".into()),
            },
        }
    }

    /// The key a cell of a value-mapped column becomes: `Ok(None)` for an empty cell, an error
    /// naming the value when nobody mapped it.
    pub(super) fn key(&self, column: usize, field: Field, cell: &Cell) -> Result<Option<String>, String> {
        match cell {
            Cell::Empty => Ok(None),
            Cell::Bool(b) if is_yes_no(field) => Ok(Some(if *b { "ja" } else { "nej" }.into())),
            other => {
                let t = other.text();
                let t = t.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                match self.choice(column, field, t) {
                    (Some(k), _) => Ok(Some(k)),
                    (None, _) => Err(format!("«{t}» är inte mappat till något värde")),
                }
            }
        }
    }
}
