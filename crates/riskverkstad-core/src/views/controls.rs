//! Recurring controls and exceptions as people read them: every control with when it was last
//! done and when it is next due, one control with every time it was done, and the register of
//! exceptions with whether each still holds.

use crate::due::{DueState, SOON_DAYS};
use crate::error::Result;
use crate::ids::*;
use crate::model::*;
use crate::store::Read;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// A recurring control with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ControlRow {
    /// The control.
    pub control: Control,
    /// Its kind's name.
    pub kind: String,
    /// The figures its kind records.
    pub figures: ControlFigures,
    /// The system's name, or the förvaltning's, or the organisation's ("Hela organisationen").
    pub scope: String,
    /// Who does it, by name.
    pub responsible: Option<String>,
    /// When it was last done.
    pub last_done: Option<NaiveDate>,
    /// How it went then.
    pub last_result: Option<ControlResult>,
    /// When it is next due (none once it has stopped).
    pub next_due: Option<NaiveDate>,
    /// Late, or due within 30 days; none when neither (or stopped).
    pub state: Option<DueState>,
    /// How many times it was done.
    pub runs: u32,
}

/// One control with every time it was done, newest first: the control's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ControlView {
    /// The control and where it stands.
    pub row: ControlRow,
    /// The times it was done, newest first.
    pub runs: Vec<ControlRun>,
    /// The requirements it evidences, by code and title ("K-08 Årlig översyn av behörigheter").
    pub requirements: Vec<String>,
}

/// An exception with the names around it and whether it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExceptionRow {
    /// The exception.
    pub exception: Exception,
    /// The system's name.
    pub system: String,
    /// The requirement's code ("K-06").
    pub code: String,
    /// The requirement's title.
    pub requirement: String,
    /// Who approved it, by name.
    pub approved_by: Option<String>,
    /// Whether it holds today.
    pub holds: bool,
    /// Where it stands, in Swedish ("Gäller t.o.m. 2027-06-30", "Gick ut 2026-06-30",
    /// "Återkallat 2026-05-01").
    pub standing: String,
    /// Ends within 30 days, or ended with its requirement still unmet.
    pub state: Option<DueState>,
}

/// Every recurring control (or those of one system), due ones first, then by next date.
pub fn controls(store: &impl Read, system: Option<SystemId>, today: NaiveDate) -> Result<Vec<ControlRow>> {
    let all = match system {
        Some(s) => store.list_by::<Control>("system_id", &s.to_string())?,
        None => store.list::<Control>()?,
    };
    let kinds: HashMap<ControlKindId, ControlKind> =
        store.list::<ControlKind>()?.into_iter().map(|k| (k.id, k)).collect();
    let systems: HashMap<SystemId, String> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let forvaltningar: HashMap<ForvaltningId, String> =
        store.list::<Forvaltning>()?.into_iter().map(|f| (f.id, f.name)).collect();
    let people: HashMap<PersonId, String> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let mut runs: HashMap<ControlId, Vec<ControlRun>> = HashMap::new();
    for r in store.list::<ControlRun>()? {
        runs.entry(r.control_id).or_default().push(r);
    }
    let mut rows: Vec<ControlRow> = all
        .into_iter()
        .map(|control| {
            let kind = kinds.get(&control.kind_id);
            let done = runs.get(&control.id).map(Vec::as_slice).unwrap_or(&[]);
            let last = done.iter().max_by_key(|r| (r.done_on, r.created_at));
            let running = control.runs(today);
            let next_due = running.then(|| control.next_due(last.map(|r| r.done_on)));
            ControlRow {
                kind: kind.map(|k| k.name.clone()).unwrap_or_default(),
                figures: kind.map(|k| k.figures).unwrap_or_default(),
                scope: control
                    .system_id
                    .and_then(|s| systems.get(&s).cloned())
                    .or_else(|| control.forvaltning_id.and_then(|f| forvaltningar.get(&f).cloned()))
                    .unwrap_or_else(|| "Hela organisationen".into()),
                responsible: control.responsible_id.and_then(|p| people.get(&p).cloned()),
                last_done: last.map(|r| r.done_on),
                last_result: last.map(|r| r.result),
                next_due,
                state: next_due.and_then(|d| crate::due::state(today, d, Duration::days(SOON_DAYS))),
                runs: done.len() as u32,
                control,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key =
            |r: &ControlRow| (r.state.is_none(), r.state, r.next_due.is_none(), r.next_due, r.control.title.clone());
        key(a).cmp(&key(b))
    });
    Ok(rows)
}

/// One control with every time it was done.
pub fn control_view(store: &impl Read, id: ControlId, today: NaiveDate) -> Result<ControlView> {
    let control: Control = store.get(id)?;
    let row = controls(store, control.system_id, today)?
        .into_iter()
        .find(|r| r.control.id == id)
        .ok_or_else(|| crate::Error::invalid("kontrollmoment", "hittades inte"))?;
    let mut runs = store.list_by::<ControlRun>("control_id", &id.to_string())?;
    runs.sort_by_key(|r| std::cmp::Reverse((r.done_on, r.created_at)));
    let catalogue = store.list::<Requirement>()?;
    let requirements = control
        .requirement_codes
        .iter()
        .map(|c| match catalogue.iter().find(|r| r.code.eq_ignore_ascii_case(c)) {
            Some(r) => format!("{} {}", r.code, r.title),
            None => format!("{c} (finns inte i kravkatalogen)"),
        })
        .collect();
    Ok(ControlView { row, runs, requirements })
}

/// Every exception (or those of one system): holding ones first, by end date.
pub fn exceptions(store: &impl Read, system: Option<SystemId>, today: NaiveDate) -> Result<Vec<ExceptionRow>> {
    let all = match system {
        Some(s) => store.list_by::<Exception>("system_id", &s.to_string())?,
        None => store.list::<Exception>()?,
    };
    let systems: HashMap<SystemId, String> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let requirements: HashMap<RequirementId, Requirement> =
        store.list::<Requirement>()?.into_iter().map(|r| (r.id, r)).collect();
    let people: HashMap<PersonId, String> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let statuses = store.list::<RequirementStatus>()?;
    let mut rows: Vec<ExceptionRow> = all
        .iter()
        .map(|e| {
            let holds = e.holds(today);
            let standing = match e.withdrawn(today) {
                Some(w) => format!("Återkallat {w}"),
                _ if e.valid_until < today => format!("Gick ut {}", e.valid_until),
                _ if e.approved_on > today => format!("Gäller från {}", e.approved_on),
                _ => format!("Gäller t.o.m. {}", e.valid_until),
            };
            let state = crate::due::exception_state(e, &all, &statuses, today);
            let r = requirements.get(&e.requirement_id);
            ExceptionRow {
                system: systems.get(&e.system_id).cloned().unwrap_or_default(),
                code: r.map(|r| r.code.clone()).unwrap_or_default(),
                requirement: r.map(|r| r.title.clone()).unwrap_or_default(),
                approved_by: e.approved_by.and_then(|p| people.get(&p).cloned()),
                holds,
                standing,
                state,
                exception: e.clone(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (!a.holds, a.exception.valid_until, &a.system, &a.code).cmp(&(
            !b.holds,
            b.exception.valid_until,
            &b.system,
            &b.code,
        ))
    });
    Ok(rows)
}
