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

impl Validate for RequirementStatus {}
