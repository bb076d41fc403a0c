//! The requirements catalogue and each system's status against a requirement.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::{Aspect, Method};
use crate::record::Validate;
use chrono::NaiveDate;

text_enum! {
    /// A system's status against a requirement.
    pub enum Compliance {
        /// Met.
        Uppfyllt = "uppfyllt" / "Uppfyllt",
        /// Partly met.
        Delvis = "delvis" / "Delvis uppfyllt",
        /// Not met.
        EjUppfyllt = "ej_uppfyllt" / "Ej uppfyllt",
        /// Not applicable.
        EjTillampligt = "ej_tillampligt" / "Ej tillämpligt",
    }
}

text_enum! {
    /// Why a requirement applies to a system.
    pub enum RequirementBasis {
        /// The baseline (basnivå): every system, whatever its class.
        Basniva = "basniva" / "Basnivå",
        /// The system's protection level reaches the requirement's.
        Skyddsniva = "skyddsniva" / "Skyddsnivå",
        /// An extra requirement (tilläggskrav) on this system.
        Tillaggskrav = "tillaggskrav" / "Tilläggskrav",
    }
}

record! {
    /// A requirement of the requirements catalogue, tied to an aspect level.
    pub struct Requirement(RequirementId) in "requirement", "Kravet" {
        /// Code ("K-03").
        pub code: String,
        /// Title.
        pub title: String,
        /// What must be in place and how it is verified.
        pub description: String,
        /// The aspect.
        pub aspect: Aspect,
        /// Applies from this level up.
        pub min_level: u8,
        /// ISO/IEC 27002:2022 control numbers ("8.5").
        pub iso_controls: Vec<String>,
        /// Shipped with Riskverkstad (may still be edited).
        pub builtin: bool,
        /// Part of the baseline (basnivå): applies to every system whatever its class.
        #[serde(default)]
        pub baseline: bool,
    }
}

record! {
    /// A system's status against one requirement, and how it is met.
    pub struct RequirementStatus(RequirementStatusId) in "requirement_status", "Kravstatusen", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The requirement.
        pub requirement_id: RequirementId,
        /// Status.
        pub status: Compliance,
        /// How the requirement is met ("hur").
        pub how: String,
        /// When it was assessed.
        pub assessed_on: Option<NaiveDate>,
        /// Why the requirement does not apply (required for ej tillämpligt).
        #[serde(default)]
        pub reason: String,
        /// The evidence (underlag): what shows that it is met.
        #[serde(default)]
        pub evidence: String,
        /// Where the evidence is kept: a document, a diarienummer, a link.
        #[serde(default)]
        pub evidence_ref: String,
        /// Who assessed it.
        #[serde(default)]
        pub assessed_by: Option<PersonId>,
    }
}

/// How long an assessment of a requirement holds: after this it is due again.
pub const ASSESSMENT_VALID_MONTHS: i32 = 12;

impl Compliance {
    /// Whether the status leaves a gap to close (partly or not met).
    pub fn is_gap(self) -> bool {
        matches!(self, Compliance::Delvis | Compliance::EjUppfyllt)
    }
}

impl RequirementStatus {
    /// The day the assessment is due again: [`ASSESSMENT_VALID_MONTHS`] after it was made
    /// (`None` when it has no date, so it was never really assessed).
    pub fn due_again_on(&self) -> Option<NaiveDate> {
        self.assessed_on.map(|d| crate::ids::add_months(d, ASSESSMENT_VALID_MONTHS))
    }
}

impl Validate for Requirement {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("kravkod", &self.code)?;
        required("kravrubrik", &self.title)?;
        for c in &self.iso_controls {
            if !crate::iso27002::is_iso27002_control(c) {
                return Err(Invalid::new("ISO/IEC 27002", format!("\"{c}\" är ingen åtgärd i ISO/IEC 27002:2022")));
            }
        }
        Ok(())
    }
}

impl Validate for RequirementStatus {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        if self.status == Compliance::EjTillampligt && self.reason.trim().is_empty() {
            return Err(Invalid::new("skäl", "ange varför kravet inte är tillämpligt"));
        }
        Ok(())
    }
}

/// A system's assessment against one requirement, as a workshop or a script records it; the
/// record ([`Assessment::status`]) replaces the system's earlier status for the requirement.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assessment {
    /// The requirement.
    pub requirement_id: RequirementId,
    /// Status.
    pub status: Compliance,
    /// How the requirement is met.
    pub how: String,
    /// Why it does not apply (required for ej tillämpligt).
    pub reason: String,
    /// The evidence.
    pub evidence: String,
    /// Where the evidence is kept.
    pub evidence_ref: String,
    /// Who assessed it.
    pub assessed_by: Option<PersonId>,
    /// When (today when not given).
    pub assessed_on: Option<NaiveDate>,
}

impl Assessment {
    /// The status record for `system` (trimmed), dated `today` unless the assessment has a
    /// date; `earlier`, the system's stored status for the requirement, keeps its identity.
    pub fn status(
        &self,
        system_id: SystemId,
        earlier: Option<&RequirementStatus>,
        today: NaiveDate,
    ) -> RequirementStatus {
        let base = earlier.cloned().unwrap_or_default();
        RequirementStatus {
            system_id,
            requirement_id: self.requirement_id,
            status: self.status,
            how: self.how.trim().to_string(),
            reason: self.reason.trim().to_string(),
            evidence: self.evidence.trim().to_string(),
            evidence_ref: self.evidence_ref.trim().to_string(),
            assessed_by: self.assessed_by,
            assessed_on: Some(self.assessed_on.unwrap_or(today)),
            ..base
        }
    }
}
