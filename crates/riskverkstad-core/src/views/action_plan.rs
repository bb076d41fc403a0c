//! The handlingsplan: every action with the names around it, late ones marked.

use crate::error::Result;
use crate::ids::*;
use crate::model::*;
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One action of the handlingsplan with the names around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionPlanRow {
    /// The action.
    pub action: Action,
    /// The system's name.
    pub system: Option<String>,
    /// The responsible person's name.
    pub responsible: Option<String>,
    /// The titles of the risks it treats.
    pub risks: Vec<String>,
    /// The codes of the requirements whose gaps it closes.
    pub requirements: Vec<String>,
    /// The decision whose condition it fulfils ("Driftgodkännande version 2"), if any.
    pub condition_of: Option<String>,
    /// Open and past its due date.
    pub overdue: bool,
}

/// The handlingsplan: every action, open ones first by due date, then the rest.
pub fn action_plan(store: &Store, today: NaiveDate) -> Result<Vec<ActionPlanRow>> {
    let systems: HashMap<_, _> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let risks: HashMap<_, _> = store.list::<Risk>()?.into_iter().map(|r| (r.id, r.title)).collect();
    let requirements: HashMap<_, _> = store.list::<Requirement>()?.into_iter().map(|r| (r.id, r.code)).collect();
    let decisions: HashMap<_, _> = store
        .list::<Decision>()?
        .into_iter()
        .map(|d| (d.id, format!("{} version {}", d.kind.label(), d.version)))
        .collect();
    let mut links: HashMap<ActionId, Vec<ActionLink>> = HashMap::new();
    for l in store.list::<ActionLink>()? {
        links.entry(l.action_id).or_default().push(l);
    }
    let mut rows: Vec<ActionPlanRow> = store
        .list::<Action>()?
        .into_iter()
        .map(|a| {
            let own = links.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
            // A risk carried into a redone analysis is the same risk: named once.
            let mut treats: Vec<String> =
                own.iter().filter_map(|l| l.risk_id.and_then(|r| risks.get(&r).cloned())).collect();
            treats.sort();
            treats.dedup();
            ActionPlanRow {
                system: a.system_id.and_then(|s| systems.get(&s).cloned()),
                responsible: a.responsible_id.and_then(|p| people.get(&p).cloned()),
                risks: treats,
                condition_of: a.decision_id.and_then(|d| decisions.get(&d).cloned()),
                requirements: own
                    .iter()
                    .filter_map(|l| l.requirement_id.and_then(|r| requirements.get(&r).cloned()))
                    .collect(),
                overdue: a.is_overdue(today),
                action: a,
            }
        })
        .collect();
    rows.sort_by_key(|r| (!r.action.status.is_open(), r.action.due_on.is_none(), r.action.due_on));
    Ok(rows)
}
