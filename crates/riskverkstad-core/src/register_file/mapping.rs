//! The column mapping: which register field each column of a file holds, proposed from the
//! headers (by what departments call the fields, each proposal saying why), adapted from a
//! saved one, and checked; with the roles of an organisation path's levels, what each value
//! of a closed-set column becomes, and the separators of dependency cells.

use super::dependencies::default_separators;
use super::fields::{self, Field, normalise};
use super::organisation::LevelRole;
use super::values::ValueChoice;
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
    /// Why it was proposed ("synonym «systemansvarig»"), or that it was chosen or saved.
    #[serde(default)]
    pub why: String,
}

/// A file's column mapping. Saved as JSON, it is reused for the next file with the same
/// headers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// One per column, in the file's order.
    pub columns: Vec<ColumnMapping>,
    /// The role of each level of the organisation column's paths (empty: proposed from the
    /// file).
    #[serde(default)]
    pub levels: Vec<LevelRole>,
    /// What the values of the closed-set columns become.
    #[serde(default)]
    pub values: Vec<ValueChoice>,
    /// Where a dependency cell is split (outside parentheses).
    #[serde(default = "default_separators")]
    pub separators: Vec<String>,
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
            headers.iter().map(|h| ColumnMapping { header: h.clone(), field: None, why: String::new() }).collect();
        let mut taken = HashSet::new();
        for (score, i, f) in pairs {
            if columns[i].field.is_none() && (f.several_columns() || taken.insert(f)) {
                columns[i].field = Some(f);
                columns[i].why = fields::why(&headers[i], f, score);
            }
        }
        Mapping { columns, levels: Vec::new(), values: Vec::new(), separators: default_separators() }
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
        // A field's own name in a column the saved mapping does not know wins over a saved
        // header for it: an exported register re-imports under its own columns even after a
        // department's file was mapped. A column the saved mapping knows keeps its choice.
        let own: HashSet<Field> = headers
            .iter()
            .filter(|h| !saved.contains_key(&normalise(h)))
            .filter_map(|h| Field::ALL.iter().copied().find(|f| normalise(f.header()) == normalise(h)))
            .collect();
        for c in &mut out.columns {
            let own_header = Field::ALL.iter().any(|f| normalise(f.header()) == normalise(&c.header));
            match saved.get(&normalise(&c.header)) {
                Some(Some(f)) if own.contains(f) && !own_header && !f.several_columns() => {
                    c.field = None;
                    c.why = format!("«{}» finns som egen kolumn i filen", f.header());
                }
                Some(f) => {
                    c.field = *f;
                    c.why = "sparad mappning".into();
                }
                None if c.field.is_some_and(|f| taken.contains(&f) && !own_header && !f.several_columns()) => {
                    c.field = None;
                    c.why = String::new();
                }
                None => {}
            }
        }
        // The path levels belong to the organisation column they were chosen for: a file
        // whose organisation column has another header gets them proposed again.
        let header_of = |m: &Mapping| m.column(Field::Organisation).map(|i| normalise(&m.columns[i].header));
        if header_of(self).is_some() && header_of(self) == header_of(&out) {
            out.levels = self.levels.clone();
        }
        out.values = self.values.clone();
        out.separators = self.separators.clone();
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
                && !f.several_columns()
            {
                return Err(bad(format!("«{}» är vald för både «{first}» och «{}»", f.header(), c.header)));
            }
        }
        if !seen.contains_key(&Field::Name) {
            return Err(bad("ange vilken kolumn som innehåller systemnamnet".into()));
        }
        if self.separators.iter().all(|s| s.is_empty()) && seen.contains_key(&Field::DependsOn) {
            return Err(bad("ange minst ett skiljetecken för beroenden (till exempel ; eller ,)".into()));
        }
        for v in &self.values {
            let field =
                self.columns.iter().find(|c| normalise(&c.header) == normalise(&v.header)).and_then(|c| c.field);
            if let (Some(f), Some(key)) = (field, &v.becomes)
                && let Some(targets) = super::values::targets(f)
                && !targets.iter().any(|t| &t.key == key)
            {
                return Err(bad(format!(
                    "värdet «{}» i «{}» ska bli «{key}», som inte är ett värde för «{}»",
                    v.value,
                    v.header,
                    f.header()
                )));
            }
        }
        Ok(())
    }

    pub(super) fn column(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|c| c.field == Some(field))
    }

    /// Every column mapped to `field` (several only for a field that takes several).
    pub(super) fn columns_of(&self, field: Field) -> impl Iterator<Item = usize> + '_ {
        self.columns.iter().enumerate().filter(move |(_, c)| c.field == Some(field)).map(|(i, _)| i)
    }
}
