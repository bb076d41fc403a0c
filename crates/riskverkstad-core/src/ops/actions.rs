//! The handlingsplan: a new action, linked to the risk it treats or the requirement whose gap
//! it closes; and an action progressed, changed or closed.

use crate::error::{Error, Result};
use crate::model::{Action, ActionLink, NewAction, Requirement};
use crate::store::{Read, Store};
use chrono::NaiveDate;

/// A new action (planerad), linked to the risk it treats or the requirement whose gap it
/// closes if `new` names one, in one transaction. A requirement is the gap of a system, so
/// an action for it must name its system.
pub fn add_action(store: &mut Store, new: &NewAction) -> Result<Action> {
    if new.requirement_id.is_some() && new.system_id.is_none() {
        return Err(Error::invalid("krav", "en åtgärd för ett krav gäller ett system; ange systemet"));
    }
    store.write("Ny åtgärd", |w| {
        if let Some(r) = new.requirement_id {
            w.get::<Requirement>(r)?;
        }
        let action = w.insert(new.action())?;
        if let Some(risk_id) = new.risk_id {
            w.insert(ActionLink { action_id: action.id, risk_id: Some(risk_id), ..Default::default() })?;
        }
        if let Some(requirement_id) = new.requirement_id {
            w.insert(ActionLink { action_id: action.id, requirement_id: Some(requirement_id), ..Default::default() })?;
        }
        Ok(action)
    })
}

/// Saves a changed action (its revision must be the stored one): a closed action (genomförd,
/// avbruten) without a completion date was closed `today`; reopened, it has none. The audit
/// log names a change of status ("Åtgärd genomförd").
pub fn save_action(store: &mut Store, mut action: Action, today: NaiveDate) -> Result<Action> {
    action.settle(today);
    let before: Action = store.get(action.id)?;
    let name = if before.status != action.status {
        format!("Åtgärd {}", action.status.label().to_lowercase())
    } else {
        "Ändra åtgärd".to_string()
    };
    store.write(&name, |w| w.update(action))
}
