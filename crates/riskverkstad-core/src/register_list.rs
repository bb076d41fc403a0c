//! The system register as people search it: loaded once into memory (one row per system with
//! its förvaltning, supplier and protection profile), then searched and filtered per
//! keystroke without touching the database.

use crate::error::Result;
use crate::ids::{ExternalPartyId, ForvaltningId, SystemId};
use crate::method::Aspect;
use crate::model::*;
use crate::store::{Read, Store};
use serde::Serialize;
use std::collections::HashMap;

/// A system's level per aspect, as the register shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Levels {
    /// Konfidentialitet.
    #[serde(rename = "K")]
    pub k: Option<u8>,
    /// Riktighet.
    #[serde(rename = "R")]
    pub r: Option<u8>,
    /// Tillgänglighet.
    #[serde(rename = "T")]
    pub t: Option<u8>,
    /// Spårbarhet (None also when S is switched off).
    #[serde(rename = "S")]
    pub s: Option<u8>,
}

impl Levels {
    /// The level of one aspect.
    pub fn get(&self, aspect: Aspect) -> Option<u8> {
        match aspect {
            Aspect::K => self.k,
            Aspect::R => self.r,
            Aspect::T => self.t,
            Aspect::S => self.s,
        }
    }
    /// The highest level.
    pub fn max(&self) -> Option<u8> {
        [self.k, self.r, self.t, self.s].into_iter().flatten().max()
    }
}

/// One row of the register.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterRow {
    /// The system's id.
    pub id: SystemId,
    /// Name.
    pub name: String,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Description.
    pub description: String,
    /// The förvaltning's id.
    pub forvaltning_id: ForvaltningId,
    /// The förvaltning's name.
    pub forvaltning: String,
    /// The unit's name.
    pub unit: Option<String>,
    /// Category.
    pub category: SystemCategory,
    /// Life-cycle status.
    pub lifecycle: Lifecycle,
    /// The supplier's id.
    pub supplier_id: Option<ExternalPartyId>,
    /// The supplier's name.
    pub supplier: Option<String>,
    /// Holds personal data.
    pub personal_data: Option<bool>,
    /// Critical (verksamhetskritisk, samhällsviktig or NIS2).
    pub critical: bool,
    /// Samhällsviktig.
    pub samhallsviktig: bool,
    /// NIS2.
    pub nis2: Nis2,
    /// The protection profile.
    pub profile: Levels,
    /// The highest level.
    pub max_level: Option<u8>,
    /// Some level needs a special analysis.
    pub special_analysis: bool,
    /// Some level was assessed under an earlier scale.
    pub earlier_scale: bool,
    /// Where the system was registered: this installation's or a sending department's name
    /// (the combined register of a central office).
    pub origin_name: String,
    /// Who made its current version and who sent it, when that was not the origin itself
    /// ("ändrad av B, skickad av Centralen"); none when it was changed here last.
    pub changed_by: Option<String>,
    #[serde(skip)]
    haystack: String,
}

/// How to order the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// By name.
    #[default]
    Name,
    /// By förvaltning, then name.
    Forvaltning,
    /// By highest level, highest first, then name.
    Level,
    /// By life-cycle status, then name.
    Lifecycle,
}

/// A search of the register. Empty fields do not filter.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct RegisterQuery {
    /// Words that must all occur in the name, an alias, the description, the supplier or the
    /// förvaltning (case-insensitive).
    pub text: String,
    /// Only this förvaltning.
    pub forvaltning: Option<ForvaltningId>,
    /// Only this life-cycle status.
    pub lifecycle: Option<Lifecycle>,
    /// Only systems whose highest level is at least this.
    pub min_level: Option<u8>,
    /// Only critical (true) or non-critical (false) systems.
    pub critical: Option<bool>,
    /// Only systems with (true) or without (false) personal data.
    pub personal_data: Option<bool>,
    /// Only this supplier.
    pub supplier: Option<ExternalPartyId>,
    /// Order.
    pub sort: SortKey,
}

/// The register in memory.
#[derive(Debug, Clone, Default)]
pub struct Register {
    rows: Vec<RegisterRow>,
}

impl Register {
    /// Loads every system with its förvaltning, unit, supplier and profile.
    pub fn load(store: &Store) -> Result<Register> {
        let forvaltningar: HashMap<_, _> = store.list::<Forvaltning>()?.into_iter().map(|f| (f.id, f.name)).collect();
        let units: HashMap<_, _> = store.list::<Unit>()?.into_iter().map(|u| (u.id, u.name)).collect();
        let parties: HashMap<_, _> = store.list::<ExternalParty>()?.into_iter().map(|p| (p.id, p.name)).collect();
        let profiles = crate::gather::all_profiles(store)?;
        let origins = crate::exchange::origins(store)?;
        let last = crate::exchange::last_changes(store, <System as crate::store::Record>::TABLE)?;
        let mut rows: Vec<RegisterRow> = store
            .list::<System>()?
            .into_iter()
            .map(|s| {
                let p = profiles.get(&s.id);
                let level = |a| p.and_then(|p| p.level(a));
                let profile =
                    Levels { k: level(Aspect::K), r: level(Aspect::R), t: level(Aspect::T), s: level(Aspect::S) };
                let forvaltning = forvaltningar.get(&s.forvaltning_id).cloned().unwrap_or_default();
                let supplier = s.supplier_id.and_then(|id| parties.get(&id).cloned());
                let haystack = [
                    s.name.as_str(),
                    &s.aliases.join(" "),
                    &s.description,
                    supplier.as_deref().unwrap_or(""),
                    &forvaltning,
                ]
                .join("\n")
                .to_lowercase();
                let origin_name = origins.get(&s.origin.to_string()).cloned().unwrap_or_else(|| s.origin.to_string());
                let changed_by = last
                    .get(&s.id.to_string())
                    .filter(|c| c.made_by.as_deref() != Some(origin_name.as_str()) || c.sent_by != origin_name)
                    .map(|c| c.text());
                RegisterRow {
                    changed_by,
                    origin_name,
                    id: s.id,
                    critical: s.is_critical(),
                    aliases: s.aliases,
                    description: s.description,
                    forvaltning_id: s.forvaltning_id,
                    unit: s.unit_id.and_then(|u| units.get(&u).cloned()),
                    category: s.category,
                    lifecycle: s.lifecycle,
                    supplier_id: s.supplier_id,
                    personal_data: s.personal_data,
                    samhallsviktig: s.samhallsviktig,
                    nis2: s.nis2,
                    max_level: profile.max(),
                    profile,
                    special_analysis: p.is_some_and(|p| p.needs_special_analysis()),
                    earlier_scale: p.is_some_and(|p| p.aspects.iter().any(|a| a.earlier_scale)),
                    name: s.name,
                    forvaltning,
                    supplier,
                    haystack,
                }
            })
            .collect();
        rows.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
        Ok(Register { rows })
    }

    /// Every row, by name.
    pub fn rows(&self) -> &[RegisterRow] {
        &self.rows
    }

    /// The rows matching `query`, in its order.
    pub fn search(&self, query: &RegisterQuery) -> Vec<&RegisterRow> {
        self.search_positions(query).into_iter().map(|i| &self.rows[i as usize]).collect()
    }

    /// The positions in [`Register::rows`] of the rows matching `query`, in its order: what
    /// the app sends per keystroke instead of the rows themselves.
    pub fn search_positions(&self, query: &RegisterQuery) -> Vec<u32> {
        let words: Vec<String> = query.text.to_lowercase().split_whitespace().map(str::to_string).collect();
        let mut hits: Vec<u32> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| query.forvaltning.is_none_or(|f| r.forvaltning_id == f))
            .filter(|(_, r)| query.lifecycle.is_none_or(|l| r.lifecycle == l))
            .filter(|(_, r)| query.min_level.is_none_or(|m| r.max_level.is_some_and(|l| l >= m)))
            .filter(|(_, r)| query.critical.is_none_or(|c| r.critical == c))
            .filter(|(_, r)| query.personal_data.is_none_or(|p| r.personal_data == Some(p)))
            .filter(|(_, r)| query.supplier.is_none_or(|s| r.supplier_id == Some(s)))
            .filter(|(_, r)| words.iter().all(|w| r.haystack.contains(w.as_str())))
            .map(|(i, _)| i as u32)
            .collect();
        let row = |i: &u32| &self.rows[*i as usize];
        match query.sort {
            SortKey::Name => {}
            SortKey::Forvaltning => hits.sort_by(|a, b| row(a).forvaltning.cmp(&row(b).forvaltning)),
            SortKey::Level => hits.sort_by_key(|i| std::cmp::Reverse(row(i).max_level)),
            SortKey::Lifecycle => hits.sort_by_key(|i| row(i).lifecycle),
        }
        hits
    }
}
