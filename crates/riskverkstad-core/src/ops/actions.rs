//! The handlingsplan: a new action, linked to the risk it treats.

use crate::error::Result;
use crate::model::{Action, ActionLink, NewAction};
use crate::store::Store;

/// A new action (planerad), linked to the risk it treats if `new` names one, in one
/// transaction.
pub fn add_action(store: &mut Store, new: &NewAction) -> Result<Action> {
    store.write("Ny åtgärd", |w| {
        let action = w.insert(new.action())?;
        if let Some(risk_id) = new.risk_id {
            w.insert(ActionLink { action_id: action.id, risk_id: Some(risk_id), ..Default::default() })?;
        }
        Ok(action)
    })
}
