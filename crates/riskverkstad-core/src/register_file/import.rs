//! Writing a planned import: everything the plan decided, in one transaction, in dependency
//! order (förvaltningar and units, people, parties, systems, roles, dependencies).

use super::RowAction;
use super::plan::Intent;
use crate::error::Result;
use crate::model::RoleAssignment;
use crate::store::Writer;

pub(super) fn apply(w: &mut Writer<'_>, intent: Intent) -> Result<()> {
    for f in intent.forvaltningar {
        w.insert(f)?;
    }
    for u in intent.units {
        w.insert(u)?;
    }
    for p in intent.people {
        w.insert(p)?;
    }
    for p in intent.parties {
        w.insert(p)?;
    }
    for (action, s) in intent.systems {
        match action {
            RowAction::Create => {
                w.insert(s)?;
            }
            _ => {
                w.update(s)?;
            }
        }
    }
    for id in intent.roles_removed {
        w.delete::<RoleAssignment>(id)?;
    }
    for r in intent.roles_added {
        w.insert(r)?;
    }
    for d in intent.deps_added {
        w.insert(d)?;
    }
    Ok(())
}
