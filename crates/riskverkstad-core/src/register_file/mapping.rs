//! The column mapping: which register field each column of a file holds, proposed from the
//! headers (by what departments call the fields), adapted from a saved one, and checked.

use super::fields::{self, Field, normalise};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Which register field each column of a file holds (`None`: kept as an extra attribute).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The column's header in the file.
    pub header: String,
    /// The field, or none.
    pub field: Option<Field>,
}

/// A file's column mapping. Saved as JSON, it is reused for the next file with the same
/// headers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// One per column, in the file's order.
    pub columns: Vec<ColumnMapping>,
}

impl Mapping {
    /// The proposed mapping of a header row: each field goes to the column whose header is
    /// most like its name or a name departments use for it (at least [`fields::PROPOSE_AT`]).
    pub fn propose(headers: &[String]) -> Mapping {
        let mut pairs: Vec<(f64, usize, Field)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            for f in Field::ALL {
                let s = fields::score(h, *f);
                if s >= fields::PROPOSE_AT {
                    pairs.push((s, i, *f));
                }
            }
        }
        // Best pairs first; each column and each field taken once.
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut columns: Vec<ColumnMapping> =
            headers.iter().map(|h| ColumnMapping { header: h.clone(), field: None }).collect();
        let mut taken = HashSet::new();
        for (_, i, f) in pairs {
            if columns[i].field.is_none() && taken.insert(f) {
                columns[i].field = Some(f);
            }
        }
        Mapping { columns }
    }

    /// A saved mapping applied to a file's headers: a header it names keeps its field (or
    /// none); other headers are proposed, except for a field a kept header already holds.
    pub fn adapt(&self, headers: &[String]) -> Mapping {
        let saved: HashMap<String, Option<Field>> =
            self.columns.iter().map(|c| (normalise(&c.header), c.field)).collect();
        let mut out = Mapping::propose(headers);
        // Only the fields of saved headers that this file has are taken: a file with other
        // headers (an exported register) still gets its name column proposed.
        let taken: HashSet<Field> =
            headers.iter().filter_map(|h| saved.get(&normalise(h)).copied().flatten()).collect();
        for c in &mut out.columns {
            match saved.get(&normalise(&c.header)) {
                Some(f) => c.field = *f,
                None if c.field.is_some_and(|f| taken.contains(&f)) => c.field = None,
                None => {}
            }
        }
        out
    }

    /// Checks that the mapping fits the file's headers, names at most one column per field and
    /// maps the system name.
    pub fn check(&self, headers: &[String]) -> Result<()> {
        let bad = |m: String| Error::invalid("kolumnmappning", m);
        if self.columns.len() != headers.len()
            || self.columns.iter().zip(headers).any(|(c, h)| normalise(&c.header) != normalise(h))
        {
            return Err(bad("mappningen gäller andra kolumner än filens; gör om mappningen för den här filen".into()));
        }
        let mut headers_seen = HashSet::new();
        for h in headers {
            if !headers_seen.insert(normalise(h)) {
                return Err(bad(format!(
                    "kolumnrubriken «{h}» finns två gånger; ge kolumnerna olika rubriker i filen så att inget värde skriver över ett annat"
                )));
            }
        }
        let mut seen = HashMap::new();
        for c in &self.columns {
            if let Some(f) = c.field
                && let Some(first) = seen.insert(f, c.header.clone())
            {
                return Err(bad(format!("«{}» är vald för både «{first}» och «{}»", f.header(), c.header)));
            }
        }
        if !seen.contains_key(&Field::Name) {
            return Err(bad("ange vilken kolumn som innehåller systemnamnet".into()));
        }
        Ok(())
    }

    pub(super) fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(field))
    }
}
