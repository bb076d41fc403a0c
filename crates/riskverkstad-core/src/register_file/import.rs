//! What an import starts from and what it ends in: the register as it is here ([`Existing`],
//! read inside the import's transaction), and everything the plan decided ([`Intent`]),
//! written in one transaction in dependency order (förvaltningar and units, people, parties,
//! systems, roles, dependencies).

use super::RowAction;
use crate::error::Result;
use crate::ids::*;
use crate::model::*;
use crate::register_list::Levels;
use crate::store::{Read, Writer};
use std::collections::HashMap;

/// What is here already.
pub(super) struct Existing {
    pub(super) organisation: Option<Organisation>,
    pub(super) forvaltningar: Vec<Forvaltning>,
    pub(super) units: Vec<Unit>,
    pub(super) people: Vec<Person>,
    pub(super) parties: Vec<ExternalParty>,
    pub(super) systems: Vec<System>,
    pub(super) roles: Vec<RoleAssignment>,
    pub(super) deps: Vec<Dependency>,
    /// The actions on systems (a question answered "nej" makes one only when none is open).
    pub(super) actions: Vec<Action>,
    pub(super) levels: HashMap<SystemId, Levels>,
    /// The day of the import (an action it makes is due two weeks later).
    pub(super) today: chrono::NaiveDate,
    /// The method in force, to validate what the import would write.
    pub(super) method: crate::method::Method,
}

impl Existing {
    pub(super) fn load(
        r: &impl Read,
        levels: HashMap<SystemId, Levels>,
        method: crate::method::Method,
    ) -> Result<Existing> {
        Ok(Existing {
            organisation: r.list::<Organisation>()?.into_iter().next(),
            forvaltningar: r.list()?,
            units: r.list()?,
            people: r.list()?,
            parties: r.list()?,
            systems: r.list()?,
            roles: r.list::<RoleAssignment>()?.into_iter().filter(|a| a.system_id.is_some()).collect(),
            deps: r.list()?,
            actions: r.list::<Action>()?.into_iter().filter(|a| a.system_id.is_some()).collect(),
            levels,
            today: chrono::Local::now().date_naive(),
            method,
        })
    }
}

/// Everything the import writes, decided before anything is.
#[derive(Default)]
pub(super) struct Intent {
    pub forvaltningar: Vec<Forvaltning>,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub parties: Vec<ExternalParty>,
    /// Systems to insert or update (desired state).
    pub systems: Vec<(RowAction, System)>,
    pub roles_added: Vec<RoleAssignment>,
    pub roles_removed: Vec<RoleAssignmentId>,
    pub deps_added: Vec<Dependency>,
    /// Existing dependencies with the criticality or kind the file gives.
    pub deps_changed: Vec<Dependency>,
    /// Actions for questions answered "nej".
    pub actions: Vec<Action>,
}

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
    for d in intent.deps_changed {
        w.update(d)?;
    }
    for a in intent.actions {
        w.insert(a)?;
    }
    Ok(())
}
