//! The lägesbild's content: a förvaltning's or the whole organisation's systems by highest
//! protection level, its risks (those on another scale counted apart), what is overdue in the
//! yearly cycle, where the records come from, and the key figures a decided lägesbild keeps
//! for the next one's trend.

use super::{RiskView, risk_view};
use crate::due::{DueItem, DueState};
use crate::error::Result;
use crate::gaps::{GapCount, count_gaps};
use crate::gather::Snapshot;
use crate::ids::*;
use crate::method::Method;
use crate::model::*;
use crate::profile::ProtectionProfile;
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Systems per highest protection level: index = level, the last entry counts systems without
/// a classified level.
pub fn systems_by_level<'s>(
    method: &Method,
    profiles: &HashMap<SystemId, ProtectionProfile>,
    systems: impl Iterator<Item = &'s System>,
) -> Vec<u32> {
    let longest = method.classification_scales.iter().map(|s| s.levels.len()).max().unwrap_or(0);
    let mut by_level = vec![0u32; longest + 1];
    for s in systems {
        let level = profiles.get(&s.id).and_then(|p| p.max_level()).map(|l| l as usize).unwrap_or(longest);
        by_level[level.min(longest)] += 1;
    }
    by_level
}

/// How much of the picture comes from one installation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OriginCount {
    /// The installation's name.
    pub origin: String,
    /// Systems created there.
    pub systems: u32,
    /// Of which critical.
    pub critical: u32,
    /// Risks created there.
    pub risks: u32,
}

/// The situation of a förvaltning, or of the whole organisation, on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Situation {
    /// What it covers: the förvaltning's or the organisation's name.
    pub scope: String,
    /// The risks on the method's scale, with their levels.
    pub risks: Vec<RiskView>,
    /// How many risks were assessed on another scale (an earlier method, a sender's): counted
    /// apart.
    pub other_scale: u32,
    /// What is overdue in the yearly cycle, oldest first (the register's gaps apart).
    pub overdue: Vec<DueItem>,
    /// Per installation the records come from (one entry when they all come from here).
    pub by_origin: Vec<OriginCount>,
    /// The key figures.
    pub key_figures: KeyFigures,
    /// The register's gaps per kind, in scope.
    pub gaps: Vec<GapCount>,
}

impl Situation {
    /// The situation of `forvaltning` (`None`: the organisation, named `organisation`) on
    /// `date`.
    pub fn load(
        store: &Store,
        forvaltning: Option<ForvaltningId>,
        organisation: &str,
        date: NaiveDate,
    ) -> Result<Situation> {
        let method = store.method().definition.clone();
        let snapshot = Snapshot::load(store)?;
        let (scope, systems): (String, Vec<&System>) = match forvaltning {
            Some(f) => {
                let fv: Forvaltning = store.get(f)?;
                (fv.name, snapshot.systems.iter().filter(|s| s.forvaltning_id == f).collect())
            }
            None => (organisation.to_string(), snapshot.systems.iter().collect()),
        };
        let ids: HashSet<SystemId> = systems.iter().map(|s| s.id).collect();
        let profiles = snapshot.profiles(&method);
        let analyses: HashMap<_, _> = snapshot
            .analyses
            .iter()
            .filter(|a| a.system_id.is_some_and(|s| ids.contains(&s)))
            .map(|a| (a.id, a))
            .collect();
        let (risks, other_scale): (Vec<RiskView>, Vec<RiskView>) = snapshot
            .current_risks()
            .filter_map(|r| {
                let a = analyses.get(&r.analysis_id)?;
                Some(risk_view(&method, snapshot.versions.get(&a.method_version_id), r.clone(), &[]))
            })
            .partition(|v| !v.earlier_scale);
        let overdue: Vec<DueItem> = snapshot
            .due(&method, crate::incident::Now::on(date))
            .into_iter()
            .filter(|d| d.state == DueState::Forsenad)
            // The register's gaps are counted apart (`gaps`).
            .filter(|d| d.kind != crate::due::DueKind::Registerbrist)
            .filter(|d| forvaltning.is_none() || d.forvaltning_id == forvaltning)
            .collect();
        let critical = systems.iter().filter(|s| s.is_critical()).count() as u32;
        let key_figures = KeyFigures {
            systems: systems.len() as u32,
            critical,
            by_level: systems_by_level(&method, &profiles, systems.iter().copied()),
            by_band: method
                .risk_matrix
                .bands
                .iter()
                .enumerate()
                .map(|(i, band)| {
                    let n = risks.iter().filter(|r| r.inherent.as_ref().is_some_and(|l| l.band_index == i)).count();
                    (band.name.clone(), n as u32)
                })
                .collect(),
            overdue: overdue.len() as u32,
        };
        let by_origin = by_origin(store, &systems, &risks)?;
        let gaps = count_gaps(snapshot.gaps(date).iter().filter(|g| ids.contains(&g.system_id)));
        Ok(Situation { scope, risks, other_scale: other_scale.len() as u32, overdue, by_origin, key_figures, gaps })
    }
}

/// A centre that has merged departments' bundles sees where the picture comes from.
fn by_origin(store: &Store, systems: &[&System], risks: &[RiskView]) -> Result<Vec<OriginCount>> {
    let origins = crate::exchange::origins(store)?;
    let name_of = |id: String| origins.get(&id).cloned().unwrap_or_else(|| format!("installation {id}"));
    let mut counts: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    for s in systems {
        let e = counts.entry(name_of(s.origin.to_string())).or_default();
        e.0 += 1;
        e.1 += s.is_critical() as u32;
    }
    for r in risks {
        counts.entry(name_of(r.risk.origin.to_string())).or_default().2 += 1;
    }
    Ok(counts
        .into_iter()
        .map(|(origin, (systems, critical, risks))| OriginCount { origin, systems, critical, risks })
        .collect())
}
