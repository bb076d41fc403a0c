//! Översikt: the organisation at a glance.

use super::{RiskView, risk_view};
use crate::due::{DueItem, DueState};
use crate::error::Result;
use crate::gaps::{GapCount, count_gaps};
use crate::gather;
use crate::ids::*;
use crate::model::*;
use crate::risk::{self, RiskLevel};
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Systems and risks of one förvaltning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForvaltningSummary {
    /// The förvaltning.
    pub forvaltning: Forvaltning,
    /// Its systems.
    pub systems: u32,
    /// Its critical systems.
    pub critical: u32,
    /// Its overdue items in the yearly cycle.
    pub overdue: u32,
}

/// One cell of a heat map: how many risks lie there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeatCell {
    /// Probability.
    pub probability: u8,
    /// Consequence.
    pub consequence: u8,
    /// The band's index.
    pub band_index: u32,
    /// Number of risks before treatment.
    pub inherent: u32,
    /// Number of risks after treatment.
    pub residual: u32,
}

/// A risk among the highest, with its system.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TopRisk {
    /// The risk.
    pub view: RiskView,
    /// The system's id.
    pub system_id: Option<SystemId>,
    /// The system's name.
    pub system: String,
}

/// The organisation at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    /// The organisation's name.
    pub organisation: String,
    /// The day it was computed for.
    pub today: NaiveDate,
    /// Per förvaltning.
    pub forvaltningar: Vec<ForvaltningSummary>,
    /// Systems per highest protection level (index = level; the last entry counts systems
    /// without a classified level).
    pub systems_by_level: Vec<u32>,
    /// The heat map over every risk of the organisation, all cells.
    pub heat_map: Vec<HeatCell>,
    /// The most urgent of what is due or overdue (at most [`Overview::SHOWN`]); the full list
    /// is `gather::due_list`.
    pub due: Vec<DueItem>,
    /// How many items are due or overdue in all.
    pub due_total: u32,
    /// The highest residual risks not accepted.
    pub top_risks: Vec<TopRisk>,
    /// The oldest open actions past their due date (at most [`Overview::SHOWN`]).
    pub overdue_actions: Vec<Action>,
    /// How many open actions are past their due date in all.
    pub overdue_actions_total: u32,
    /// The register's gaps per kind (each is also an overdue item of the yearly cycle).
    pub gaps: Vec<GapCount>,
    /// The incidents not yet closed, with their clocks (newest first).
    pub open_incidents: Vec<super::IncidentRow>,
}

impl Overview {
    /// How many due items and overdue actions the overview carries; the rest are counted.
    pub const SHOWN: usize = 12;

    /// Computes the overview as of `today` (incidents' clocks read at noon).
    pub fn load(store: &Store, today: NaiveDate) -> Result<Overview> {
        Overview::load_at(store, crate::incident::Now::on(today))
    }

    /// Computes the overview at `now`: the day for dates, the instant for incidents' clocks.
    pub fn load_at(store: &Store, now: crate::incident::Now) -> Result<Overview> {
        let today = now.today;
        let method = &store.method().definition;
        let matrix = &method.risk_matrix;
        let organisation = store.list::<Organisation>()?.into_iter().next().map(|o| o.name).unwrap_or_default();
        let snapshot = gather::Snapshot::load(store)?;
        let due = snapshot.due(method, now);
        let profiles = snapshot.profiles(method);
        let systems = &snapshot.systems;
        let systems_by_level = super::systems_by_level(method, &profiles, systems.iter());
        let forvaltningar = store
            .list::<Forvaltning>()?
            .into_iter()
            .map(|f| ForvaltningSummary {
                systems: systems.iter().filter(|s| s.forvaltning_id == f.id).count() as u32,
                critical: systems.iter().filter(|s| s.forvaltning_id == f.id && s.is_critical()).count() as u32,
                overdue: due.iter().filter(|d| d.forvaltning_id == Some(f.id) && d.state == DueState::Forsenad).count()
                    as u32,
                forvaltning: f,
            })
            .collect();
        let mut heat_map = Vec::new();
        for c in &matrix.consequence {
            for p in &matrix.probability {
                let band_index = risk::band_index(matrix, p.value, c.value).unwrap_or(0) as u32;
                heat_map.push(HeatCell {
                    probability: p.value,
                    consequence: c.value,
                    band_index,
                    inherent: 0,
                    residual: 0,
                });
            }
        }
        let analyses: HashMap<_, _> = snapshot.analyses.iter().map(|a| (a.id, a)).collect();
        let system_names: HashMap<_, _> = systems.iter().map(|s| (s.id, s.name.clone())).collect();
        let versions = &snapshot.versions;
        let mut top = Vec::new();
        for r in snapshot.current_risks().cloned() {
            let analysis = analyses.get(&r.analysis_id).copied();
            let made_under = analysis.and_then(|a| versions.get(&a.method_version_id));
            let view = risk_view(method, made_under, r, &[]);
            if !view.earlier_scale {
                let cell = |l: &Option<RiskLevel>| l.as_ref().map(|l| (l.probability, l.consequence));
                for h in heat_map.iter_mut() {
                    if cell(&view.inherent) == Some((h.probability, h.consequence)) {
                        h.inherent += 1;
                    }
                    if cell(&view.residual) == Some((h.probability, h.consequence)) {
                        h.residual += 1;
                    }
                }
            }
            if view.risk.accepted_by.is_none() {
                let system_id = analysis.and_then(|a| a.system_id);
                let system = system_id.and_then(|s| system_names.get(&s).cloned()).unwrap_or_default();
                top.push(TopRisk { view, system_id, system });
            }
        }
        top.sort_by_key(|t| {
            std::cmp::Reverse(t.view.residual.as_ref().map(|l| (l.band_index, l.value)).unwrap_or((0, 0)))
        });
        top.truncate(10);
        let mut overdue_actions: Vec<Action> =
            snapshot.actions.iter().filter(|a| a.is_overdue(today)).cloned().collect();
        overdue_actions.sort_by_key(|a| a.due_on);
        let (due_total, overdue_actions_total) = (due.len() as u32, overdue_actions.len() as u32);
        let gaps = count_gaps(&snapshot.gaps(today));
        let mut due = due;
        due.truncate(Self::SHOWN);
        overdue_actions.truncate(Self::SHOWN);
        Ok(Overview {
            organisation,
            today,
            forvaltningar,
            systems_by_level,
            heat_map,
            due,
            due_total,
            top_risks: top,
            overdue_actions,
            overdue_actions_total,
            gaps,
            open_incidents: super::incidents(store, now)?.into_iter().filter(|r| r.incident.status.is_open()).collect(),
        })
    }
}
