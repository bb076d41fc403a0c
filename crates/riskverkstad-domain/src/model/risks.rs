//! Risk analysis: the threat catalogue, the analyses and their risks (cause, event,
//! consequence; probability and consequence before and after treatment; acceptance).

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::{Aspect, Mandate, Method};
use crate::record::Validate;
use chrono::NaiveDate;

text_enum! {
    /// Threat categories of the catalogue.
    pub enum ThreatCategory {
        /// Antagonistic threats and cyber attacks.
        Antagonistisk = "antagonistisk" / "Antagonistiska hot och cyberangrepp",
        /// Human mistakes.
        Misstag = "misstag" / "Mänskliga misstag",
        /// Technical failures.
        Tekniskt = "tekniskt_fel" / "Tekniska fel",
        /// Infrastructure and suppliers.
        Infrastruktur = "infrastruktur" / "Infrastruktur och leverantörer",
        /// Nature and physical environment.
        Natur = "natur" / "Natur och fysisk miljö",
        /// Administrative shortcomings.
        Administrativ = "administrativ" / "Administrativa brister",
    }
}

text_enum! {
    /// Risk treatment.
    pub enum Treatment {
        /// Reduce.
        Reducera = "reducera" / "Reducera",
        /// Accept.
        Acceptera = "acceptera" / "Acceptera",
        /// Avoid.
        Undvika = "undvika" / "Undvika",
        /// Transfer.
        Overfora = "overfora" / "Överföra",
    }
}

record! {
    /// A threat in the (editable) threat catalogue.
    pub struct Threat(ThreatId) in "threat", "Hotet" {
        /// Code ("H-01").
        pub code: String,
        /// Name.
        pub name: String,
        /// Category.
        pub category: ThreatCategory,
        /// Description.
        pub description: String,
        /// Aspects typically affected.
        pub aspects: Vec<Aspect>,
        /// Example cause ("På grund av …").
        pub orsak: String,
        /// Example event ("inträffar …").
        pub handelse: String,
        /// Example consequence ("vilket leder till …").
        pub konsekvens: String,
        /// Shipped with Riskverkstad.
        pub builtin: bool,
    }
}

text_enum! {
    /// Where a risk analysis stands.
    pub enum AnalysisStatus {
        /// Being worked on.
        Pagar = "pagar" / "Pågår",
        /// Finished.
        Klar = "klar" / "Klar",
    }
}

fn finished() -> AnalysisStatus {
    AnalysisStatus::Klar
}

record! {
    /// A risk analysis of a system or a process.
    pub struct RiskAnalysis(RiskAnalysisId) in "risk_analysis", "Riskanalysen", owned by [system_id] {
        /// Title.
        pub title: String,
        /// Scope (avgränsning).
        pub scope: String,
        /// Date of the analysis.
        pub analysed_on: NaiveDate,
        /// Participants.
        pub participants: Vec<String>,
        /// The system analysed, if any.
        pub system_id: Option<SystemId>,
        /// The process analysed, if not a system.
        pub process: Option<String>,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
        /// Being worked on or finished (an analysis from before statuses were kept is
        /// finished).
        #[serde(default = "finished")]
        pub status: AnalysisStatus,
        /// The earlier analysis this one was redone from, if any.
        #[serde(default)]
        pub based_on: Option<RiskAnalysisId>,
    }
}

record! {
    /// A risk: "På grund av (orsak) inträffar (händelse) vilket leder till (konsekvens)".
    pub struct Risk(RiskId) in "risk", "Risken", owned by [analysis_id] {
        /// The analysis it belongs to.
        pub analysis_id: RiskAnalysisId,
        /// The threat from the catalogue, if picked from it.
        pub threat_id: Option<ThreatId>,
        /// Short title.
        pub title: String,
        /// Cause.
        pub orsak: String,
        /// Event.
        pub handelse: String,
        /// Consequence.
        pub konsekvens: String,
        /// Affected aspects.
        pub aspects: Vec<Aspect>,
        /// Sannolikhet.
        pub probability: u8,
        /// Konsekvens.
        pub consequence: u8,
        /// Chosen treatment.
        pub treatment: Option<Treatment>,
        /// What the treatment is.
        pub treatment_description: String,
        /// Residual probability after treatment.
        pub residual_probability: Option<u8>,
        /// Residual consequence after treatment.
        pub residual_consequence: Option<u8>,
        /// Riskägare.
        pub owner_id: Option<PersonId>,
        /// Who accepted the (residual) risk.
        pub accepted_by: Option<PersonId>,
        /// The mandate under which it was accepted.
        pub accepted_as: Option<Mandate>,
        /// When.
        pub accepted_on: Option<NaiveDate>,
        /// Why.
        pub acceptance_reason: Option<String>,
        /// Copied from the previous analysis and not yet looked at again.
        #[serde(default)]
        pub needs_review: bool,
    }
}

impl Validate for Threat {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("hotets namn", &self.name)
    }
}

impl Validate for RiskAnalysis {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        if self.based_on.is_some_and(|b| b == self.id) {
            return Err(Invalid::new("bygger på", "en riskanalys kan inte bygga på sig själv"));
        }
        if self.system_id.is_none() && self.process.as_deref().is_none_or(|p| p.trim().is_empty()) {
            return Err(Invalid::new("analysobjekt", "ange system eller process som analyseras"));
        }
        Ok(())
    }
}

impl Validate for Risk {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        method.check_risk_cell(self.probability, self.consequence)?;
        match (self.residual_probability, self.residual_consequence) {
            (Some(p), Some(c)) => method.check_risk_cell(p, c)?,
            (None, None) => {}
            _ => return Err(Invalid::new("kvarstående risk", "ange både sannolikhet och konsekvens")),
        }
        if self.accepted_by.is_some() && self.acceptance_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(Invalid::new("motivering för acceptans", "en accepterad risk behöver en motivering"));
        }
        Ok(())
    }
}

/// A new risk as a workshop places it: the event, where it lands on the matrix, and the threat
/// it was picked from. Treatment, residual level, owner and acceptance come later.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewRisk {
    /// The analysis it belongs to.
    pub analysis_id: RiskAnalysisId,
    /// The threat from the catalogue, if picked from it.
    pub threat_id: Option<ThreatId>,
    /// Short title.
    pub title: String,
    /// Cause.
    pub orsak: String,
    /// Event.
    pub handelse: String,
    /// Consequence.
    pub konsekvens: String,
    /// Affected aspects.
    pub aspects: Vec<Aspect>,
    /// Sannolikhet.
    pub probability: u8,
    /// Konsekvens.
    pub consequence: u8,
}

impl NewRisk {
    /// The risk record (new, not yet stored).
    pub fn risk(&self) -> Risk {
        Risk {
            analysis_id: self.analysis_id,
            threat_id: self.threat_id,
            title: self.title.trim().to_string(),
            orsak: self.orsak.trim().to_string(),
            handelse: self.handelse.trim().to_string(),
            konsekvens: self.konsekvens.trim().to_string(),
            aspects: self.aspects.clone(),
            probability: self.probability,
            consequence: self.consequence,
            ..Default::default()
        }
    }
}

/// A new risk analysis of a system: what it covers, who takes part, when; and whether it is
/// the yearly redo of the system's latest analysis (its risks copied, marked for review).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewAnalysis {
    /// The system analysed.
    pub system_id: SystemId,
    /// Title (a default naming the system and the date when blank).
    pub title: String,
    /// Scope (avgränsning).
    pub scope: String,
    /// Participants.
    pub participants: Vec<String>,
    /// Date of the analysis (today when not given).
    pub analysed_on: Option<NaiveDate>,
    /// Start from a copy of the latest analysis's risks.
    pub from_previous: bool,
}

impl Risk {
    /// This risk placed on `method`'s matrix: a value the matrix no longer has (its scale has
    /// shrunk since the risk was placed) becomes the nearest one it has. Used for a copy that
    /// is marked for review, so the move is looked at; the original keeps its placement.
    pub fn placed_on(self, method: &Method) -> Risk {
        let m = &method.risk_matrix;
        let fit = |v: u8, scale: &[crate::method::ScaleLevel]| {
            scale.iter().map(|l| l.value).min_by_key(|x| (x.abs_diff(v), *x)).unwrap_or(v)
        };
        Risk {
            probability: fit(self.probability, &m.probability),
            consequence: fit(self.consequence, &m.consequence),
            residual_probability: self.residual_probability.map(|v| fit(v, &m.probability)),
            residual_consequence: self.residual_consequence.map(|v| fit(v, &m.consequence)),
            ..self
        }
    }

    /// The risk without its acceptance: after a move on the matrix, an acceptance must be
    /// given again within the new band's mandate.
    pub fn unaccepted(self) -> Risk {
        Risk { accepted_by: None, accepted_as: None, accepted_on: None, acceptance_reason: None, ..self }
    }

    /// This risk copied into `analysis` for a yearly redo: the same event, placement, treatment
    /// and owner, marked for review; the acceptance is not copied (it was given for the earlier
    /// analysis and is given again after the review).
    pub fn copied_into(&self, analysis_id: RiskAnalysisId) -> Risk {
        Risk {
            analysis_id,
            threat_id: self.threat_id,
            title: self.title.clone(),
            orsak: self.orsak.clone(),
            handelse: self.handelse.clone(),
            konsekvens: self.konsekvens.clone(),
            aspects: self.aspects.clone(),
            probability: self.probability,
            consequence: self.consequence,
            treatment: self.treatment,
            treatment_description: self.treatment_description.clone(),
            residual_probability: self.residual_probability,
            residual_consequence: self.residual_consequence,
            owner_id: self.owner_id,
            needs_review: true,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_risk_from_a_larger_matrix_is_placed_on_the_nearest_cell_of_the_current_one() {
        let method = Method::default_klassa();
        let wide = Risk {
            probability: 5,
            consequence: 2,
            residual_probability: Some(6),
            residual_consequence: None,
            ..Default::default()
        };
        let placed = wide.clone().placed_on(&method);
        assert_eq!(
            (placed.probability, placed.consequence, placed.residual_probability, placed.residual_consequence),
            (4, 2, Some(4), None)
        );
        assert!(method.check_risk_cell(placed.probability, placed.consequence).is_ok());
        let fitting = Risk { probability: 3, ..wide };
        assert_eq!(fitting.clone().placed_on(&method).probability, 3, "a value the matrix has is kept");
    }
}
