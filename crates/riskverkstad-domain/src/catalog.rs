//! The built-in catalogues shipped with Riskverkstad: the requirements catalogue (tied to
//! aspect levels and ISO/IEC 27002:2022 controls) and the threat catalogue. Both are data
//! files under `data/`, copied into a new database where they can then be edited.

use crate::method::Aspect;
use crate::model::{Requirement, Threat, ThreatCategory};
use serde::Deserialize;

pub use crate::iso27002::is_iso27002_control;

#[derive(Deserialize)]
struct RequirementEntry {
    code: String,
    title: String,
    description: String,
    aspect: Aspect,
    min_level: u8,
    iso_controls: Vec<String>,
    #[serde(default)]
    baseline: bool,
}

#[derive(Deserialize)]
struct ThreatEntry {
    code: String,
    name: String,
    category: ThreatCategory,
    description: String,
    aspects: Vec<Aspect>,
    orsak: String,
    handelse: String,
    konsekvens: String,
}

const REQUIREMENTS_JSON: &str = include_str!("../data/krav.json");
const THREATS_JSON: &str = include_str!("../data/hot.json");

/// The built-in requirements, as new (unsaved) records.
pub fn builtin_requirements() -> Vec<Requirement> {
    let entries: Vec<RequirementEntry> = serde_json::from_str(REQUIREMENTS_JSON).unwrap_or_default();
    entries
        .into_iter()
        .map(|e| Requirement {
            code: e.code,
            title: e.title,
            description: e.description,
            aspect: e.aspect,
            min_level: e.min_level,
            iso_controls: e.iso_controls,
            baseline: e.baseline,
            builtin: true,
            ..Default::default()
        })
        .collect()
}

/// The built-in threats, as new (unsaved) records.
pub fn builtin_threats() -> Vec<Threat> {
    let entries: Vec<ThreatEntry> = serde_json::from_str(THREATS_JSON).unwrap_or_default();
    entries
        .into_iter()
        .map(|e| Threat {
            code: e.code,
            name: e.name,
            category: e.category,
            description: e.description,
            aspects: e.aspects,
            orsak: e.orsak,
            handelse: e.handelse,
            konsekvens: e.konsekvens,
            builtin: true,
            ..Default::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_catalogue_files_parse_completely() {
        // unwrap_or_default above must never hide a broken file: parse strictly here.
        let r: Vec<RequirementEntry> = serde_json::from_str(REQUIREMENTS_JSON).unwrap();
        let t: Vec<ThreatEntry> = serde_json::from_str(THREATS_JSON).unwrap();
        assert_eq!(builtin_requirements().len(), r.len());
        assert_eq!(builtin_threats().len(), t.len());
    }

    #[test]
    fn at_least_forty_requirements_covering_every_aspect_and_level() {
        let reqs = builtin_requirements();
        assert!(reqs.len() >= 40, "{} requirements", reqs.len());
        let codes: HashSet<_> = reqs.iter().map(|r| r.code.clone()).collect();
        assert_eq!(codes.len(), reqs.len(), "codes are unique");
        for aspect in Aspect::ALL {
            for level in 1..=3 {
                assert!(
                    reqs.iter().any(|r| r.aspect == *aspect && r.min_level == level),
                    "no requirement for {aspect:?} at level {level}"
                );
            }
        }
        for r in &reqs {
            assert!(!r.iso_controls.is_empty(), "{} has no ISO control", r.code);
            for c in &r.iso_controls {
                assert!(is_iso27002_control(c), "{}: {c} is not an ISO/IEC 27002:2022 control", r.code);
            }
            assert!((1..=3).contains(&r.min_level), "{}", r.code);
        }
    }

    #[test]
    fn about_forty_threats_in_all_six_categories() {
        let threats = builtin_threats();
        assert!((38..=50).contains(&threats.len()), "{}", threats.len());
        for c in ThreatCategory::ALL {
            assert!(threats.iter().filter(|t| t.category == *c).count() >= 5, "{c:?}");
        }
        for t in &threats {
            assert!(
                !t.aspects.is_empty() && !t.orsak.is_empty() && !t.handelse.is_empty() && !t.konsekvens.is_empty(),
                "{}",
                t.code
            );
        }
    }

    #[test]
    fn iso_control_numbers_are_checked_against_the_2022_structure() {
        for ok in ["5.1", "5.37", "6.8", "7.14", "8.34", "8.5"] {
            assert!(is_iso27002_control(ok), "{ok}");
        }
        for bad in ["5.38", "6.9", "7.15", "8.35", "9.1", "A.9.2.1", "8.05", "8.", "8"] {
            assert!(!is_iso27002_control(bad), "{bad}");
        }
    }
}
