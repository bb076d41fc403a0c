//! A system's protection profile: per aspect, the high-water mark over the information sets it
//! holds, raised (ackumulering, aggregering, integration) but never lowered below it.
//! Pure functions over plain values.

use crate::error::Invalid;
use crate::ids::{InformationSetId, MethodVersionId};
use crate::method::{Aspect, Method};
use crate::model::{Classification, ClassificationStatus, ProtectionRaise, RaiseReason, Requirement};
use serde::Serialize;
use std::collections::HashMap;

/// One aspect of a system's profile.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AspectProfile {
    /// The aspect.
    pub aspect: Aspect,
    /// The highest level among the information sets' current classifications; `None` when
    /// none is classified on this aspect.
    pub high_water_mark: Option<u8>,
    /// The highest raise recorded for the system on this aspect.
    pub raised_to: Option<u8>,
    /// The resulting level: the higher of the two.
    pub level: Option<u8>,
    /// Why it is raised, when the raise decides the level.
    pub raise_reasons: Vec<RaiseReason>,
    /// The information sets that set the high-water mark.
    pub decided_by_sets: Vec<InformationSetId>,
    /// True when some assessment behind the level was made under an earlier scale of this
    /// aspect ("gjord enligt tidigare skala"): shown as such until re-examined.
    pub earlier_scale: bool,
    /// True when the level is at or above the scale's special-analysis limit (KLASSA level 4:
    /// "särskild analys krävs – kontakta säkerhetsskyddschefen").
    pub special_analysis: bool,
}

/// A system's protection profile.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProtectionProfile {
    /// One entry per aspect assessed under the method in force.
    pub aspects: Vec<AspectProfile>,
    /// Information sets of the system that have no classification.
    pub unclassified_sets: Vec<InformationSetId>,
    /// True when some level comes from a classification that is only a draft.
    pub from_drafts: bool,
}

impl ProtectionProfile {
    /// Whether `requirement` applies at these levels: from its `min_level` of its aspect.
    pub fn requires(&self, requirement: &Requirement) -> bool {
        self.level(requirement.aspect).is_some_and(|l| l >= requirement.min_level)
    }

    /// Why `requirement` applies to the system, if it does: the baseline first, then an extra
    /// requirement the system carries (`extra`, which names its source, even where the levels
    /// would also demand it), then the levels.
    pub fn basis(&self, requirement: &Requirement, extra: bool) -> Option<crate::model::RequirementBasis> {
        use crate::model::RequirementBasis as B;
        if requirement.baseline {
            Some(B::Basniva)
        } else if extra {
            Some(B::Tillaggskrav)
        } else if self.requires(requirement) {
            Some(B::Skyddsniva)
        } else {
            None
        }
    }

    /// The resulting level of an aspect.
    pub fn level(&self, aspect: Aspect) -> Option<u8> {
        self.aspects.iter().find(|a| a.aspect == aspect).and_then(|a| a.level)
    }
    /// The highest level over all aspects.
    pub fn max_level(&self) -> Option<u8> {
        self.aspects.iter().filter_map(|a| a.level).max()
    }
    /// True when any aspect needs a special analysis.
    pub fn needs_special_analysis(&self) -> bool {
        self.aspects.iter().any(|a| a.special_analysis)
    }
}

/// The text shown for a level at or above the special-analysis limit.
pub const SPECIAL_ANALYSIS: &str = "Särskild analys krävs – kontakta säkerhetsskyddschefen";

/// The classification in force for an information set: the latest fastställd one, else the
/// latest draft. "Latest" is by validity date, then creation.
pub fn current_classification<'a>(
    classifications: impl IntoIterator<Item = &'a Classification>,
) -> Option<&'a Classification> {
    let all: Vec<&Classification> = classifications.into_iter().collect();
    let latest = |status: ClassificationStatus| {
        all.iter().copied().filter(|c| c.status == status).max_by_key(|c| (c.valid_from(), c.created_at))
    };
    latest(ClassificationStatus::Faststalld).or_else(|| latest(ClassificationStatus::Utkast))
}

/// Everything the profile of one system is computed from.
pub struct ProfileInput<'a> {
    /// The method in force.
    pub method: &'a Method,
    /// Every method version by id, to tell whether an assessment was made under the scale in
    /// force.
    pub method_versions: &'a HashMap<MethodVersionId, Method>,
    /// The information sets the system holds, with their current classification, if any.
    pub sets: &'a [(InformationSetId, Option<&'a Classification>)],
    /// The system's raises.
    pub raises: &'a [ProtectionRaise],
}

/// Computes the profile. The level per aspect is `max(high-water mark, highest raise)`: it is
/// never below any information set's level.
pub fn protection_profile(input: &ProfileInput<'_>) -> ProtectionProfile {
    let mut aspects = Vec::new();
    let mut from_drafts = false;
    for aspect in input.method.aspects() {
        let mut hwm: Option<u8> = None;
        let mut decided_by_sets = Vec::new();
        let mut earlier_scale = false;
        for (set, c) in input.sets {
            let Some(c) = c else { continue };
            let Some(level) = c.level(aspect) else { continue };
            let same = input
                .method_versions
                .get(&c.method_version_id)
                .is_some_and(|m| m.same_classification_scale(input.method, aspect));
            if !same {
                earlier_scale = true;
            }
            if c.status == ClassificationStatus::Utkast {
                from_drafts = true;
            }
            match hwm {
                Some(h) if h > level => {}
                Some(h) if h == level => decided_by_sets.push(*set),
                _ => {
                    hwm = Some(level);
                    decided_by_sets = vec![*set];
                }
            }
        }
        let raises: Vec<&ProtectionRaise> = input.raises.iter().filter(|r| r.aspect == aspect).collect();
        let raised_to = raises.iter().map(|r| r.level).max();
        for r in &raises {
            let same = input
                .method_versions
                .get(&r.method_version_id)
                .is_some_and(|m| m.same_classification_scale(input.method, aspect));
            earlier_scale |= !same;
        }
        let level = match (hwm, raised_to) {
            (Some(h), Some(r)) => Some(h.max(r)),
            (h, r) => h.or(r),
        };
        let raise_reasons = match (level, raised_to) {
            (Some(l), Some(r)) if r == l && hwm.is_none_or(|h| r > h) => {
                let mut v: Vec<RaiseReason> = raises.iter().filter(|x| x.level == r).map(|x| x.reason).collect();
                v.sort();
                v.dedup();
                v
            }
            _ => Vec::new(),
        };
        let special_analysis = level.is_some_and(|l| input.method.needs_special_analysis(aspect, l));
        aspects.push(AspectProfile {
            aspect,
            high_water_mark: hwm,
            raised_to,
            level,
            raise_reasons,
            decided_by_sets,
            earlier_scale,
            special_analysis,
        });
    }
    let unclassified_sets = input.sets.iter().filter(|(_, c)| c.is_none()).map(|(s, _)| *s).collect();
    ProtectionProfile { aspects, unclassified_sets, from_drafts }
}

/// Checks a new raise against the profile: a raise must lie above the high-water mark (a
/// system's level can never go below its information), and must be motivated.
pub fn check_raise(profile: &ProtectionProfile, raise: &ProtectionRaise) -> Result<(), Invalid> {
    if raise.motivering.trim().is_empty() {
        return Err(Invalid::new("motivering för höjningen", "en höjning måste motiveras"));
    }
    let hwm = profile.aspects.iter().find(|a| a.aspect == raise.aspect).and_then(|a| a.high_water_mark);
    if let Some(h) = hwm
        && raise.level <= h
    {
        return Err(Invalid::new(
            raise.aspect.label(),
            format!(
                "informationen ger redan nivå {h}; en höjning måste ligga över den, och en sänkning under informationens nivå är inte möjlig"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AspectAssessment;
    use proptest::prelude::*;

    #[test]
    fn a_requirement_applies_by_the_baseline_an_extra_requirement_or_the_level() {
        use crate::model::RequirementBasis as B;
        let profile = ProtectionProfile {
            aspects: vec![AspectProfile {
                aspect: Aspect::K,
                high_water_mark: Some(1),
                raised_to: None,
                level: Some(1),
                raise_reasons: vec![],
                decided_by_sets: vec![],
                earlier_scale: false,
                special_analysis: false,
            }],
            unclassified_sets: vec![],
            from_drafts: false,
        };
        let low = Requirement { aspect: Aspect::K, min_level: 1, ..Default::default() };
        let high = Requirement { aspect: Aspect::K, min_level: 3, ..Default::default() };
        let base = Requirement { baseline: true, ..high.clone() };
        assert_eq!(profile.basis(&low, false), Some(B::Skyddsniva));
        assert_eq!(profile.basis(&high, false), None, "above the system's level");
        assert_eq!(profile.basis(&high, true), Some(B::Tillaggskrav));
        assert_eq!(profile.basis(&low, true), Some(B::Tillaggskrav), "the extra names its source");
        assert_eq!(profile.basis(&base, false), Some(B::Basniva), "whatever the level");
        let unclassified = ProtectionProfile { aspects: vec![], unclassified_sets: vec![], from_drafts: false };
        assert_eq!(unclassified.basis(&base, false), Some(B::Basniva), "even before classification");
        assert_eq!(unclassified.basis(&low, false), None);
    }

    fn classification(levels: [u8; 4], version: MethodVersionId, status: ClassificationStatus) -> Classification {
        Classification {
            method_version_id: version,
            status,
            assessments: Aspect::ALL
                .iter()
                .zip(levels)
                .map(|(a, l)| AspectAssessment { aspect: *a, level: l, motivering: "m".into(), areas: vec![] })
                .collect(),
            ..Default::default()
        }
    }

    fn set_id(i: u128) -> InformationSetId {
        InformationSetId(uuid::Uuid::from_u128(i + 1))
    }

    fn raise(aspect: Aspect, level: u8, version: MethodVersionId) -> ProtectionRaise {
        ProtectionRaise {
            aspect,
            level,
            reason: RaiseReason::Aggregering,
            motivering: "m".into(),
            method_version_id: version,
            ..Default::default()
        }
    }

    fn profile_of(levels: &[[u8; 4]], raises: &[ProtectionRaise]) -> ProtectionProfile {
        let method = Method::default_klassa();
        let v = MethodVersionId::default();
        let versions = HashMap::from([(v, method.clone())]);
        let cs: Vec<Classification> =
            levels.iter().map(|l| classification(*l, v, ClassificationStatus::Faststalld)).collect();
        let sets: Vec<_> = cs.iter().enumerate().map(|(i, c)| (set_id(i as u128), Some(c))).collect();
        protection_profile(&ProfileInput { method: &method, method_versions: &versions, sets: &sets, raises })
    }

    #[test]
    fn the_worst_information_set_decides_each_aspect() {
        let p = profile_of(&[[1, 2, 0, 1], [3, 1, 1, 0]], &[]);
        assert_eq!(p.level(Aspect::K), Some(3));
        assert_eq!(p.level(Aspect::R), Some(2));
        assert_eq!(p.level(Aspect::T), Some(1));
        assert_eq!(p.level(Aspect::S), Some(1));
        assert_eq!(p.aspects[0].decided_by_sets, vec![set_id(1)]);
        assert!(!p.needs_special_analysis());
    }

    #[test]
    fn a_raise_lifts_the_level_and_says_why() {
        let v = MethodVersionId::default();
        let p = profile_of(&[[1, 1, 1, 1]], &[raise(Aspect::K, 2, v)]);
        assert_eq!(p.level(Aspect::K), Some(2));
        assert_eq!(p.aspects[0].raise_reasons, vec![RaiseReason::Aggregering]);
        assert_eq!(p.level(Aspect::R), Some(1));
    }

    #[test]
    fn a_raise_below_the_high_water_mark_is_refused() {
        let v = MethodVersionId::default();
        let p = profile_of(&[[2, 1, 1, 1]], &[]);
        let e = check_raise(&p, &raise(Aspect::K, 2, v)).unwrap_err();
        assert!(e.message.contains("sänkning"), "{e}");
        check_raise(&p, &raise(Aspect::K, 3, v)).unwrap();
        let mut unmotivated = raise(Aspect::K, 3, v);
        unmotivated.motivering = " ".into();
        assert!(check_raise(&p, &unmotivated).is_err());
    }

    #[test]
    fn level_four_requires_a_special_analysis() {
        let p = profile_of(&[[4, 1, 1, 1]], &[]);
        assert!(p.needs_special_analysis());
        assert!(p.aspects[0].special_analysis && !p.aspects[1].special_analysis);
    }

    #[test]
    fn an_assessment_under_an_earlier_scale_is_marked_not_reinterpreted() {
        let old = Method::default_klassa();
        let mut new = old.clone();
        new.classification_scales[0].levels[1].name = "Intern".into();
        let (vo, vn) = (MethodVersionId(uuid::Uuid::from_u128(1)), MethodVersionId(uuid::Uuid::from_u128(2)));
        let versions = HashMap::from([(vo, old), (vn, new.clone())]);
        let c = classification([2, 2, 2, 2], vo, ClassificationStatus::Faststalld);
        let sets = [(set_id(0), Some(&c))];
        let p =
            protection_profile(&ProfileInput { method: &new, method_versions: &versions, sets: &sets, raises: &[] });
        assert_eq!(p.level(Aspect::K), Some(2), "the stored value is kept as it is");
        assert!(p.aspects[0].earlier_scale);
        assert!(!p.aspects[1].earlier_scale, "R's scale did not change");
    }

    #[test]
    fn the_decided_classification_is_in_force_over_a_newer_draft() {
        let v = MethodVersionId::default();
        let mut decided = classification([1, 1, 1, 1], v, ClassificationStatus::Faststalld);
        decided.classified_on = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut draft = classification([3, 3, 3, 3], v, ClassificationStatus::Utkast);
        draft.classified_on = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let cs = [decided.clone(), draft.clone()];
        assert_eq!(current_classification(&cs), Some(&decided));
        assert_eq!(current_classification(&cs[1..]), Some(&draft));
        assert_eq!(current_classification(&[]), None);
    }

    #[test]
    fn unclassified_sets_are_listed_and_give_no_level() {
        let method = Method::default_klassa();
        let versions = HashMap::new();
        let sets = [(set_id(0), None)];
        let p =
            protection_profile(&ProfileInput { method: &method, method_versions: &versions, sets: &sets, raises: &[] });
        assert_eq!(p.unclassified_sets, vec![set_id(0)]);
        assert_eq!(p.max_level(), None);
    }

    proptest! {
        #[test]
        fn the_profile_is_never_below_any_information_set_or_raise(
            levels in prop::collection::vec(prop::array::uniform4(0u8..=4), 0..6),
            raises in prop::collection::vec((0usize..4, 0u8..=4), 0..4),
        ) {
            let v = MethodVersionId::default();
            let raises: Vec<_> = raises.into_iter().map(|(a, l)| raise(Aspect::ALL[a], l, v)).collect();
            let p = profile_of(&levels, &raises);
            for (i, aspect) in Aspect::ALL.iter().enumerate() {
                let hwm = levels.iter().map(|l| l[i]).max();
                let top_raise = raises.iter().filter(|r| r.aspect == *aspect).map(|r| r.level).max();
                let level = p.level(*aspect);
                prop_assert_eq!(level, hwm.max(top_raise));
                for l in &levels { prop_assert!(level >= Some(l[i])); }
            }
        }

        #[test]
        fn adding_an_information_set_never_lowers_the_profile(
            levels in prop::collection::vec(prop::array::uniform4(0u8..=4), 1..6),
            extra in prop::array::uniform4(0u8..=4),
        ) {
            let before = profile_of(&levels, &[]);
            let mut more = levels.clone();
            more.push(extra);
            let after = profile_of(&more, &[]);
            for aspect in Aspect::ALL {
                prop_assert!(after.level(*aspect) >= before.level(*aspect));
            }
        }

        #[test]
        fn an_accepted_raise_always_ends_above_the_high_water_mark(
            levels in prop::collection::vec(prop::array::uniform4(0u8..=4), 1..4),
            aspect in 0usize..4, level in 0u8..=4,
        ) {
            let v = MethodVersionId::default();
            let p = profile_of(&levels, &[]);
            let r = raise(Aspect::ALL[aspect], level, v);
            if check_raise(&p, &r).is_ok() {
                let raised = profile_of(&levels, &[r]);
                prop_assert!(raised.level(Aspect::ALL[aspect]) > p.aspects[aspect].high_water_mark);
            }
        }
    }
}
