//! Information classification: the method versions assessments are made under, the
//! classification of an information set (per aspect, per consequence area, motivated), and
//! the raises of a system's protection above the high-water mark.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::{Aspect, Method};
use crate::record::Validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum! {
    /// Status of a classification.
    pub enum ClassificationStatus {
        /// Draft.
        Utkast = "utkast" / "Utkast",
        /// Decided.
        Faststalld = "faststalld" / "Fastställd",
    }
}

text_enum! {
    /// Why a system's level is raised above its information sets'.
    pub enum RaiseReason {
        /// Large volumes.
        Ackumulering = "ackumulering" / "Ackumulering",
        /// Sets more sensitive combined.
        Aggregering = "aggregering" / "Aggregering",
        /// Integration with higher-level systems.
        Integration = "integration" / "Integration",
    }
}

/// One aspect's assessment in a classification.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectAssessment {
    /// The aspect.
    pub aspect: Aspect,
    /// The resulting level (the worst area's level when areas are assessed).
    pub level: u8,
    /// Why (required).
    pub motivering: String,
    /// Per consequence area: the level of the worst consequence.
    pub areas: Vec<AreaAssessment>,
}

/// The level chosen for one consequence area.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaAssessment {
    /// The consequence area's key.
    pub area: String,
    /// The level of the worst consequence in that area.
    pub level: u8,
}

record! {
    /// One immutable version of the method; the newest is in force.
    pub struct MethodVersion(MethodVersionId) in "method_version", "Metodversionen" {
        /// 1, 2, 3 … in order.
        pub number: u32,
        /// What changed.
        pub note: String,
        /// The method.
        pub definition: Method,
    }
}

record! {
    /// A classification of an information set: one assessment per aspect.
    pub struct Classification(ClassificationId) in "classification", "Klassningen", owned by [information_set_id] {
        /// The information set.
        pub information_set_id: InformationSetId,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
        /// Draft or decided.
        pub status: ClassificationStatus,
        /// One assessment per aspect assessed.
        pub assessments: Vec<AspectAssessment>,
        /// Who took part in the workshop.
        pub participants: Vec<String>,
        /// Date of the workshop.
        pub classified_on: NaiveDate,
        /// Who decided (fastställde) it.
        pub decided_by: Option<PersonId>,
        /// When it was decided.
        pub decided_on: Option<NaiveDate>,
    }
}

impl Classification {
    /// The level of an aspect, if assessed.
    pub fn level(&self, aspect: Aspect) -> Option<u8> {
        self.assessments.iter().find(|a| a.aspect == aspect).map(|a| a.level)
    }
    /// The date the 12-month validity runs from: the decision date, else the workshop date.
    pub fn valid_from(&self) -> NaiveDate {
        self.decided_on.unwrap_or(self.classified_on)
    }
    /// The last day of validity (12 months).
    pub fn valid_until(&self) -> NaiveDate {
        crate::ids::add_months(self.valid_from(), 12)
    }
}

record! {
    /// A raise of a system's protection level above its information sets' high-water mark.
    pub struct ProtectionRaise(ProtectionRaiseId) in "protection_raise", "Höjningen av skyddsnivån", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The aspect raised.
        pub aspect: Aspect,
        /// The level raised to.
        pub level: u8,
        /// Why.
        pub reason: RaiseReason,
        /// Motivation (required).
        pub motivering: String,
        /// Who decided.
        pub decided_by: Option<PersonId>,
        /// When.
        pub decided_on: NaiveDate,
        /// The method version it was made under.
        pub method_version_id: MethodVersionId,
    }
}

impl Validate for MethodVersion {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        self.definition.validate().map_err(|e| Invalid::new("metod", e))
    }
}

impl Validate for Classification {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        // The stored levels are checked against the method in force when the classification
        // is written; a classification made under an earlier version is never re-checked.
        let mut seen = Vec::new();
        for a in &self.assessments {
            if seen.contains(&a.aspect) {
                return Err(Invalid::new(a.aspect.label(), "aspekten är bedömd två gånger"));
            }
            seen.push(a.aspect);
            method.check_level(a.aspect, a.level)?;
            required(&format!("motivering för {}", a.aspect.label()), &a.motivering)?;
            for area in &a.areas {
                if !method.consequence_areas.iter().any(|c| c.key == area.area) {
                    return Err(Invalid::new(
                        a.aspect.label(),
                        format!("konsekvensområdet \"{}\" finns inte i metoden", area.area),
                    ));
                }
                method.check_level(a.aspect, area.level)?;
            }
            if let Some(worst) = a.areas.iter().map(|x| x.level).max()
                && worst != a.level
            {
                return Err(Invalid::new(
                    a.aspect.label(),
                    format!("nivån ska vara det värsta konsekvensområdets nivå ({worst}), inte {}", a.level),
                ));
            }
        }
        if self.status == ClassificationStatus::Faststalld {
            for aspect in method.aspects() {
                if !seen.contains(&aspect) {
                    return Err(Invalid::new(aspect.label(), "en fastställd klassning måste bedöma alla aspekter"));
                }
            }
            if self.decided_by.is_none() || self.decided_on.is_none() {
                return Err(Invalid::new("fastställd av", "en fastställd klassning behöver beslutsfattare och datum"));
            }
        }
        Ok(())
    }
}

impl Validate for ProtectionRaise {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        method.check_level(self.aspect, self.level)?;
        required("motivering för höjningen", &self.motivering)
    }
}

sql_json!(Vec<AspectAssessment>);

/// One aspect as a workshop assesses it: the level of the worst consequence per area (the
/// worst area decides the aspect's level) or, without areas, a level chosen directly; and why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectDraft {
    /// The aspect.
    pub aspect: Aspect,
    /// A level chosen directly (used when no area is assessed).
    pub level: Option<u8>,
    /// Per consequence area: the level of the worst consequence.
    pub areas: Vec<AreaAssessment>,
    /// Why.
    pub motivering: String,
}

impl AspectDraft {
    /// The aspect's level: the worst area's, else the one chosen directly.
    pub fn level(&self) -> Option<u8> {
        self.areas.iter().map(|a| a.level).max().or(self.level)
    }
}

/// A classification as a workshop sends it: what was assessed and by whom. The record
/// ([`ClassificationDraft::classification`]) is a draft (utkast) with the method version and
/// the date; the information owner then decides it ([`Faststallande`]).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationDraft {
    /// The information set classified.
    pub information_set_id: InformationSetId,
    /// The aspects assessed (an aspect without a level is left out).
    pub assessments: Vec<AspectDraft>,
    /// Who took part in the workshop.
    pub participants: Vec<String>,
}

impl ClassificationDraft {
    /// The draft classification this records under `method_version_id`, made on
    /// `classified_on` (a new record, not yet stored: its own fields are checked when it is
    /// written).
    pub fn classification(&self, method_version_id: MethodVersionId, classified_on: NaiveDate) -> Classification {
        let assessments = self
            .assessments
            .iter()
            .filter_map(|a| {
                a.level().map(|level| AspectAssessment {
                    aspect: a.aspect,
                    level,
                    motivering: a.motivering.trim().to_string(),
                    areas: a.areas.clone(),
                })
            })
            .collect();
        Classification {
            information_set_id: self.information_set_id,
            method_version_id,
            status: ClassificationStatus::Utkast,
            assessments,
            participants: self.participants.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
            classified_on,
            ..Default::default()
        }
    }
}

/// The information owner's decision (fastställande) of a draft classification.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Faststallande {
    /// The draft decided.
    pub classification_id: ClassificationId,
    /// Who decides: the information set's informationsägare.
    pub decided_by: PersonId,
    /// When (today when not given).
    pub decided_on: Option<NaiveDate>,
    /// Who took part, when it is to be changed from the workshop's list.
    pub participants: Option<Vec<String>>,
}

impl Classification {
    /// This draft as decided by `f`, dated `today` unless `f` has a date. Refused when it is
    /// already fastställd or the date lies before the workshop.
    pub fn decided(&self, f: &Faststallande, today: NaiveDate) -> Result<Classification, Invalid> {
        if self.status == ClassificationStatus::Faststalld {
            return Err(Invalid::new(
                "klassning",
                format!(
                    "klassningen är redan fastställd{}; gör en ny klassning utifrån den",
                    self.decided_on.map(|d| format!(" {d}")).unwrap_or_default()
                ),
            ));
        }
        let on = f.decided_on.unwrap_or(today);
        if on < self.classified_on {
            return Err(Invalid::new(
                "fastställd den",
                format!(
                    "{on} ligger före klassningen ({}); en klassning fastställs efter workshopen",
                    self.classified_on
                ),
            ));
        }
        let mut c = self.clone();
        c.status = ClassificationStatus::Faststalld;
        c.decided_by = Some(f.decided_by);
        c.decided_on = Some(on);
        if let Some(p) = &f.participants {
            c.participants = p.iter().map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_area_decides_and_an_aspect_without_a_level_is_left_out() {
        let area = |area: &str, level| AreaAssessment { area: area.into(), level };
        let draft = ClassificationDraft {
            information_set_id: InformationSetId::default(),
            assessments: vec![
                AspectDraft {
                    aspect: Aspect::K,
                    level: Some(0),
                    areas: vec![area("individ", 1), area("ekonomi", 3)],
                    motivering: " Journaler ".into(),
                },
                AspectDraft { aspect: Aspect::R, level: Some(2), areas: vec![], motivering: "Beslut".into() },
                AspectDraft { aspect: Aspect::T, level: None, areas: vec![], motivering: String::new() },
            ],
            participants: vec![" Anna ".into(), "".into()],
        };
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let c = draft.classification(MethodVersionId::default(), day);
        assert_eq!(c.level(Aspect::K), Some(3));
        assert_eq!(c.level(Aspect::R), Some(2));
        assert_eq!(c.level(Aspect::T), None);
        assert_eq!(c.assessments[0].motivering, "Journaler");
        assert_eq!(c.participants, vec!["Anna".to_string()]);
        assert_eq!(c.classified_on, day);
        assert_eq!(c.status, ClassificationStatus::Utkast, "a workshop records a draft");
    }

    #[test]
    fn a_draft_is_decided_once_on_or_after_its_workshop() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let draft = Classification { classified_on: day(10), participants: vec!["Anna".into()], ..Default::default() };
        let owner = PersonId(uuid::Uuid::from_u128(5));
        let f = Faststallande { classification_id: draft.id, decided_by: owner, decided_on: None, participants: None };
        let decided = draft.decided(&f, day(12)).unwrap();
        assert_eq!(decided.status, ClassificationStatus::Faststalld);
        assert_eq!((decided.decided_by, decided.decided_on), (Some(owner), Some(day(12))));
        assert_eq!(decided.participants, vec!["Anna".to_string()], "the workshop's participants stay");
        assert_eq!(decided.valid_from(), day(12));
        let again = decided.decided(&f, day(13)).unwrap_err();
        assert!(again.message.contains("redan fastställd 2026-11-12"), "{again:?}");
        let early = Faststallande { decided_on: Some(day(9)), participants: Some(vec![" Bo ".into()]), ..f };
        assert!(draft.decided(&early, day(12)).unwrap_err().message.contains("före klassningen"));
        let with = Faststallande { decided_on: Some(day(11)), ..early };
        assert_eq!(draft.decided(&with, day(12)).unwrap().participants, vec!["Bo".to_string()]);
    }
}
