//! The handlingsplan: actions and what they treat.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::Method;
use crate::record::Validate;
use chrono::NaiveDate;

text_enum! {
    /// Action status.
    pub enum ActionStatus {
        /// Planned.
        Planerad = "planerad" / "Planerad",
        /// In progress.
        Pagar = "pagar" / "Pågår",
        /// Done.
        Genomford = "genomford" / "Genomförd",
        /// Cancelled.
        Avbruten = "avbruten" / "Avbruten",
    }
}

impl ActionStatus {
    /// True while the action still has to be done.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Planerad | ActionStatus::Pagar)
    }
}

impl Action {
    /// Whether the action is late on `today`: still to be done and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|d| d < today)
    }

    /// Makes the completion date agree with the status: a closed action (genomförd,
    /// avbruten) without one was closed `today`; an open one has none.
    pub fn settle(&mut self, today: NaiveDate) {
        if self.status.is_open() {
            self.completed_on = None;
        } else if self.completed_on.is_none() {
            self.completed_on = Some(today);
        }
    }
}

record! {
    /// An action (åtgärd) of the handlingsplan.
    pub struct Action(ActionId) in "action", "Åtgärden", owned by [system_id] {
        /// Title.
        pub title: String,
        /// Description.
        pub description: String,
        /// The system concerned, if any.
        pub system_id: Option<SystemId>,
        /// Responsible person.
        pub responsible_id: Option<PersonId>,
        /// Due date.
        pub due_on: Option<NaiveDate>,
        /// Status.
        pub status: ActionStatus,
        /// When it was done (or cancelled).
        pub completed_on: Option<NaiveDate>,
        /// A note on progress ("väntar på leverantören").
        #[serde(default)]
        pub note: String,
        /// The driftgodkännande whose condition the action fulfils, if any.
        #[serde(default)]
        pub decision_id: Option<DecisionId>,
    }
}

record! {
    /// Links an action to a risk or to an unmet requirement (exactly one).
    pub struct ActionLink(ActionLinkId) in "action_link", "Åtgärdskopplingen", owned by [risk_id] {
        /// The action.
        pub action_id: ActionId,
        /// The risk it treats.
        pub risk_id: Option<RiskId>,
        /// The requirement it closes the gap for (on the action's system).
        pub requirement_id: Option<RequirementId>,
    }
}

impl Validate for Action {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("åtgärd", &self.title)?;
        if self.status == ActionStatus::Genomford && self.completed_on.is_none() {
            return Err(Invalid::new("genomförd", "ange när åtgärden genomfördes"));
        }
        if self.status.is_open() && self.completed_on.is_some() {
            return Err(Invalid::new(
                "genomförd den",
                format!("en åtgärd som är {} har inget datum då den genomfördes", self.status.label().to_lowercase()),
            ));
        }
        Ok(())
    }
}

impl Validate for ActionLink {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        match (self.risk_id, self.requirement_id) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            _ => Err(Invalid::new("koppling", "en åtgärd kopplas till antingen en risk eller ett krav")),
        }
    }
}

/// A new action: what, for which system, who, by when, and the risk it treats or the
/// requirement whose gap it closes, if any. It starts as planerad.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewAction {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The system concerned, if any.
    pub system_id: Option<SystemId>,
    /// Responsible person.
    pub responsible_id: Option<PersonId>,
    /// Due date.
    pub due_on: Option<NaiveDate>,
    /// The risk it treats, if any.
    pub risk_id: Option<RiskId>,
    /// The requirement whose gap it closes (on its system), if any.
    #[serde(default)]
    pub requirement_id: Option<RequirementId>,
}

impl NewAction {
    /// The action record (new, planerad, not yet stored).
    pub fn action(&self) -> Action {
        Action {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            system_id: self.system_id,
            responsible_id: self.responsible_id,
            due_on: self.due_on,
            status: ActionStatus::Planerad,
            ..Default::default()
        }
    }
}
