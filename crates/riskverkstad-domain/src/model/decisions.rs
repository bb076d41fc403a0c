//! Decisions (beslut) and what a decided document keeps: outcome, conditions, key figures.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::Method;
use crate::record::Validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum! {
    /// Kinds of decision documents.
    pub enum DecisionKind {
        /// Approval for operation.
        Driftgodkannande = "driftgodkannande" / "Driftgodkännande",
        /// Risk acceptance.
        Riskacceptans = "riskacceptans" / "Riskacceptans",
        /// Classification record.
        Klassning = "klassning" / "Klassningsprotokoll",
        /// Action plan.
        Handlingsplan = "handlingsplan" / "Handlingsplan",
        /// Situation report.
        Lagesbild = "lagesbild" / "Lägesbild",
        /// A system's security plan (systemsäkerhetsplan), versioned and frozen like a decision.
        Systemsakerhetsplan = "systemsakerhetsplan" / "Systemsäkerhetsplan",
    }
}

text_enum! {
    /// State of a decision record.
    pub enum DecisionState {
        /// Being prepared.
        Utkast = "utkast" / "Utkast",
        /// Decided and frozen.
        Beslutad = "beslutad" / "Beslutad",
        /// Replaced by a later version.
        Ersatt = "ersatt" / "Ersatt",
    }
}

text_enum! {
    /// The outcome of a driftgodkännande.
    pub enum DecisionOutcome {
        /// Approved.
        Driftgodkanns = "driftgodkanns" / "Driftgodkänns",
        /// Approved with conditions.
        MedVillkor = "med_villkor" / "Driftgodkänns med villkor",
        /// Not approved.
        Inte = "inte" / "Driftgodkänns inte",
    }
}

/// A condition attached to a driftgodkännande.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// What must be done.
    pub text: String,
    /// By when.
    pub due_on: Option<NaiveDate>,
}

/// The key figures of a lägesbild, kept with the frozen decision so that the next lägesbild
/// can show the trend since it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KeyFigures {
    /// Systems in scope.
    pub systems: u32,
    /// Of which verksamhetskritiska.
    pub critical: u32,
    /// Systems per highest protection level: index = level, the last entry = not classified.
    pub by_level: Vec<u32>,
    /// Risks per band, by band name, lowest band first.
    pub by_band: Vec<(String, u32)>,
    /// Overdue items in the yearly cycle.
    pub overdue: u32,
}

record! {
    /// A decision (beslut) with its version; the PDF itself is produced by the report module.
    pub struct Decision(DecisionId) in "decision", "Beslutet", owned by [system_id, forvaltning_id] {
        /// Kind.
        pub kind: DecisionKind,
        /// Title.
        pub title: String,
        /// The system concerned.
        pub system_id: Option<SystemId>,
        /// The förvaltning concerned.
        pub forvaltning_id: Option<ForvaltningId>,
        /// Version: 1 for the first decision on the subject, then 2, 3 …
        pub version: u32,
        /// Summary of the content.
        pub summary: String,
        /// State.
        pub state: DecisionState,
        /// Diarienummer.
        pub diarienummer: Option<String>,
        /// Beslutsfattare.
        pub decided_by: Option<PersonId>,
        /// Föredragande.
        pub presented_by: Option<PersonId>,
        /// Decision date.
        pub decided_on: Option<NaiveDate>,
        /// Valid until (re-examination date).
        pub valid_until: Option<NaiveDate>,
        /// The outcome (driftgodkännande).
        pub outcome: Option<DecisionOutcome>,
        /// Conditions with dates (driftgodkännande med villkor).
        pub conditions: Vec<Condition>,
        /// The SHA-256 of the frozen PDF (see [`crate::decisions`]); `None` for a decision
        /// recorded without its document.
        pub document_sha256: Option<String>,
        /// A lägesbild's key figures, for the trend shown in the next one.
        pub key_figures: Option<KeyFigures>,
    }
}

impl Validate for Decision {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        if self.version == 0 {
            return Err(Invalid::new("version", "versionen börjar på 1"));
        }
        if self.state == DecisionState::Beslutad && (self.decided_by.is_none() || self.decided_on.is_none()) {
            return Err(Invalid::new("beslutsfattare", "ett fattat beslut behöver beslutsfattare och datum"));
        }
        if self.outcome == Some(DecisionOutcome::MedVillkor) && self.conditions.is_empty() {
            return Err(Invalid::new("villkor", "ett driftgodkännande med villkor behöver minst ett villkor"));
        }
        Ok(())
    }
}

impl Decision {
    /// The actions that carry this decision's conditions (driftgodkänns med villkor): one per
    /// condition, due on its date, for `responsible` (the system owner) to see through. None
    /// for any other outcome.
    pub fn condition_actions(&self, responsible: Option<PersonId>) -> Vec<super::Action> {
        if self.outcome != Some(DecisionOutcome::MedVillkor) {
            return Vec::new();
        }
        self.conditions
            .iter()
            .map(|c| super::Action {
                title: c.text.trim().to_string(),
                description: format!("Villkor i {} version {}.", self.title, self.version),
                system_id: self.system_id,
                responsible_id: responsible,
                due_on: c.due_on,
                decision_id: Some(self.id),
                ..Default::default()
            })
            .collect()
    }
}

sql_json!(Vec<Condition>, KeyFigures);
