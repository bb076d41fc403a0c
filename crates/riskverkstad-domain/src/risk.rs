//! Risk values, bands and acceptance rules: pure functions of the method and a risk.

use crate::ids::PersonId;
use crate::method::{Mandate, Method, RiskBand, RiskMatrix};
use crate::model::Risk;
use serde::Serialize;

/// A position in the risk matrix with its value and band.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskLevel {
    /// Sannolikhet.
    pub probability: u8,
    /// Konsekvens.
    pub consequence: u8,
    /// Probability × consequence.
    pub value: u32,
    /// The band's index in the matrix (0 = lowest).
    pub band_index: usize,
    /// The band's key.
    pub band_key: String,
    /// The band's name.
    pub band_name: String,
}

/// The index of the band a cell lies in ([`RiskMatrix::band_index`]).
pub fn band_index(matrix: &RiskMatrix, probability: u8, consequence: u8) -> Option<usize> {
    matrix.band_index(probability, consequence)
}

/// The level of a cell, or `None` outside the scales.
pub fn level(matrix: &RiskMatrix, probability: u8, consequence: u8) -> Option<RiskLevel> {
    let i = band_index(matrix, probability, consequence)?;
    let band = &matrix.bands[i];
    Some(RiskLevel {
        probability,
        consequence,
        value: probability as u32 * consequence as u32,
        band_index: i,
        band_key: band.key.clone(),
        band_name: band.name.clone(),
    })
}

/// The risk before treatment.
pub fn inherent(matrix: &RiskMatrix, risk: &Risk) -> Option<RiskLevel> {
    level(matrix, risk.probability, risk.consequence)
}

/// The risk after treatment (kvarstående risk); the inherent risk when no residual values are
/// recorded.
pub fn residual(matrix: &RiskMatrix, risk: &Risk) -> Option<RiskLevel> {
    match (risk.residual_probability, risk.residual_consequence) {
        (Some(p), Some(c)) => level(matrix, p, c),
        _ => inherent(matrix, risk),
    }
}

/// A risk's levels as they were assessed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessedRisk {
    /// Before treatment.
    pub inherent: Option<RiskLevel>,
    /// After treatment.
    pub residual: Option<RiskLevel>,
    /// True when the risk scales or bands have changed since the risk was assessed: its levels
    /// are then read on the scale it was made under ("gjord enligt tidigare skala") and not
    /// reinterpreted on the one in force.
    pub earlier_scale: bool,
}

/// The levels of a risk: on the method in force when its risk scale is the one the risk was
/// made under, else on that earlier method (`made_under`), marked as such.
pub fn assessed(current: &Method, made_under: Option<&Method>, risk: &Risk) -> AssessedRisk {
    let earlier_scale = made_under.is_none_or(|m| !m.same_risk_scale(current));
    let method = match made_under {
        Some(m) if earlier_scale => m,
        _ => current,
    };
    AssessedRisk {
        inherent: inherent(&method.risk_matrix, risk),
        residual: residual(&method.risk_matrix, risk),
        earlier_scale,
    }
}

/// What is known about the people around a risk, for checking an acceptance.
#[derive(Debug, Clone, Default)]
pub struct AcceptanceContext {
    /// The risk's owner.
    pub risk_owner: Option<PersonId>,
    /// The system owners of the system analysed.
    pub system_owners: Vec<PersonId>,
}

/// Why an acceptance does not meet the band's rules.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AcceptanceProblem {
    /// Nobody has accepted the risk.
    NotAccepted,
    /// No mandate recorded.
    NoMandate,
    /// The mandate is below what the band demands.
    MandateTooLow {
        /// What the band demands at least.
        required: Mandate,
        /// What was recorded.
        given: Mandate,
    },
    /// Accepted as riskägare by someone who is not the risk's owner.
    NotRiskOwner,
    /// Accepted as systemägare by someone who is not a system owner of the system.
    NotSystemOwner,
    /// No reason given.
    NoReason,
    /// No date given.
    NoDate,
}

impl AcceptanceProblem {
    /// The problem in Swedish.
    pub fn message(&self) -> String {
        match self {
            AcceptanceProblem::NotAccepted => "risken är inte accepterad av någon".into(),
            AcceptanceProblem::NoMandate => "det framgår inte i vilken roll risken accepterades".into(),
            AcceptanceProblem::MandateTooLow { required, given } => {
                format!(
                    "bandet kräver minst {} men risken accepterades av {}",
                    required.label().to_lowercase(),
                    given.label().to_lowercase()
                )
            }
            AcceptanceProblem::NotRiskOwner => "den som accepterade som riskägare är inte riskens ägare".into(),
            AcceptanceProblem::NotSystemOwner => {
                "den som accepterade som systemägare är inte systemägare för systemet".into()
            }
            AcceptanceProblem::NoReason => "motivering saknas".into(),
            AcceptanceProblem::NoDate => "datum saknas".into(),
        }
    }
}

/// The result of checking an acceptance against the band's rules.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptanceCheck {
    /// The (residual) level that was accepted.
    pub level: RiskLevel,
    /// The lowest mandate the band allows to accept.
    pub required: Mandate,
    /// Whom the band says to inform.
    pub inform: Vec<String>,
    /// What is wrong; empty when the rules are met.
    pub problems: Vec<AcceptanceProblem>,
}

impl AcceptanceCheck {
    /// True when the band's acceptance rules are met.
    pub fn rules_met(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks a risk's acceptance against the rules of the band its residual risk lies in.
/// `None` when the risk's values are outside the method's scales.
pub fn check_acceptance(method: &Method, risk: &Risk, ctx: &AcceptanceContext) -> Option<AcceptanceCheck> {
    let level = residual(&method.risk_matrix, risk)?;
    let band: &RiskBand = &method.risk_matrix.bands[level.band_index];
    let rule = &band.acceptance;
    let mut problems = Vec::new();
    match risk.accepted_by {
        None => problems.push(AcceptanceProblem::NotAccepted),
        Some(person) => {
            match risk.accepted_as {
                None => problems.push(AcceptanceProblem::NoMandate),
                Some(given) => {
                    if given < rule.lowest_mandate {
                        problems.push(AcceptanceProblem::MandateTooLow { required: rule.lowest_mandate, given });
                    }
                    if given == Mandate::Riskagare && ctx.risk_owner != Some(person) {
                        problems.push(AcceptanceProblem::NotRiskOwner);
                    }
                    if given == Mandate::Systemagare && !ctx.system_owners.contains(&person) {
                        problems.push(AcceptanceProblem::NotSystemOwner);
                    }
                }
            }
            if risk.acceptance_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                problems.push(AcceptanceProblem::NoReason);
            }
            if risk.accepted_on.is_none() {
                problems.push(AcceptanceProblem::NoDate);
            }
        }
    }
    Some(AcceptanceCheck { level, required: rule.lowest_mandate, inform: rule.inform.clone(), problems })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn default_matrix() -> RiskMatrix {
        Method::default_klassa().risk_matrix
    }

    #[test]
    fn the_default_bands_match_the_domain() {
        let m = default_matrix();
        let band = |p, c| level(&m, p, c).unwrap().band_name;
        assert_eq!(band(1, 1), "Låg");
        assert_eq!(band(1, 2), "Låg");
        assert_eq!(band(1, 3), "Medelhög");
        assert_eq!(band(2, 3), "Medelhög");
        assert_eq!(band(2, 4), "Hög");
        assert_eq!(band(3, 4), "Hög");
        assert_eq!(band(4, 4), "Extremt hög");
        assert_eq!(level(&m, 4, 4).unwrap().value, 16);
        assert!(level(&m, 0, 2).is_none());
        assert!(level(&m, 5, 1).is_none());
    }

    #[test]
    fn a_risk_made_under_an_earlier_matrix_keeps_its_scale_and_is_marked() {
        let old = Method::default_klassa();
        let mut new = old.clone();
        // A 5×5 matrix: 4×4 = 16 no longer lands in the top band.
        new.risk_matrix.probability.push(crate::method::ScaleLevel {
            value: 5,
            name: "Nästan säker".into(),
            color: "#000000".into(),
            description: String::new(),
        });
        new.risk_matrix.consequence.push(crate::method::ScaleLevel {
            value: 5,
            name: "Katastrofal".into(),
            color: "#000000".into(),
            description: String::new(),
        });
        new.risk_matrix.bands[3].min_value = 16;
        new.risk_matrix.bands[3].max_value = 25;
        new.risk_matrix.bands[2].max_value = 15;
        new.validate().unwrap();
        let r = Risk { probability: 4, consequence: 4, ..Default::default() };
        let a = assessed(&new, Some(&old), &r);
        assert!(a.earlier_scale);
        assert_eq!(a.inherent.unwrap().band_name, "Extremt hög");
        let same = assessed(&old, Some(&old), &r);
        assert!(!same.earlier_scale);
    }

    #[test]
    fn an_override_weights_a_high_consequence() {
        let mut method = Method::default_klassa();
        method.risk_matrix.cell_overrides.push(crate::method::CellOverride {
            probability: 1,
            consequence: 4,
            band: "hog".into(),
        });
        method.validate().unwrap();
        assert_eq!(level(&method.risk_matrix, 1, 4).unwrap().band_name, "Hög");
        assert_eq!(level(&method.risk_matrix, 4, 1).unwrap().band_name, "Medelhög");
    }

    fn person(n: u128) -> PersonId {
        PersonId(uuid::Uuid::from_u128(n))
    }

    fn accepted(p: u8, c: u8, by: PersonId, mandate: Mandate) -> Risk {
        Risk {
            title: "r".into(),
            probability: p,
            consequence: c,
            accepted_by: Some(by),
            accepted_as: Some(mandate),
            accepted_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
            acceptance_reason: Some("Kostnaden överstiger nyttan".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_high_risk_accepted_by_a_system_owner_breaks_the_rules() {
        let m = Method::default_klassa();
        let owner = person(1);
        let ctx = AcceptanceContext { risk_owner: Some(owner), system_owners: vec![owner] };
        let check = check_acceptance(&m, &accepted(3, 4, owner, Mandate::Systemagare), &ctx).unwrap();
        assert_eq!(check.level.band_name, "Hög");
        assert_eq!(
            check.problems,
            vec![AcceptanceProblem::MandateTooLow { required: Mandate::Forvaltningschef, given: Mandate::Systemagare }]
        );
        assert!(check.problems[0].message().contains("förvaltningschef"));
        let ok = check_acceptance(&m, &accepted(3, 4, person(9), Mandate::Forvaltningschef), &ctx).unwrap();
        assert!(ok.rules_met(), "{:?}", ok.problems);
    }

    #[test]
    fn the_residual_risk_is_what_is_accepted() {
        let m = Method::default_klassa();
        let owner = person(1);
        let ctx = AcceptanceContext { risk_owner: Some(owner), system_owners: vec![] };
        let mut r = accepted(4, 4, owner, Mandate::Riskagare);
        r.residual_probability = Some(1);
        r.residual_consequence = Some(2);
        assert!(check_acceptance(&m, &r, &ctx).unwrap().rules_met());
        let other = check_acceptance(&m, &accepted(1, 1, person(2), Mandate::Riskagare), &ctx).unwrap();
        assert_eq!(other.problems, vec![AcceptanceProblem::NotRiskOwner]);
    }

    #[test]
    fn a_system_owner_must_be_one() {
        let m = Method::default_klassa();
        let ctx = AcceptanceContext { risk_owner: None, system_owners: vec![person(1)] };
        let check = check_acceptance(&m, &accepted(2, 2, person(2), Mandate::Systemagare), &ctx).unwrap();
        assert_eq!(check.problems, vec![AcceptanceProblem::NotSystemOwner]);
    }

    #[test]
    fn an_unaccepted_risk_and_missing_fields_are_reported() {
        let m = Method::default_klassa();
        let r = Risk { probability: 2, consequence: 2, ..Default::default() };
        assert_eq!(
            check_acceptance(&m, &r, &AcceptanceContext::default()).unwrap().problems,
            vec![AcceptanceProblem::NotAccepted]
        );
        let mut r = accepted(1, 1, person(1), Mandate::Namnd);
        r.acceptance_reason = None;
        r.accepted_on = None;
        assert_eq!(
            check_acceptance(&m, &r, &AcceptanceContext::default()).unwrap().problems,
            vec![AcceptanceProblem::NoReason, AcceptanceProblem::NoDate]
        );
    }

    proptest! {
        #[test]
        fn every_cell_lies_in_exactly_one_band_and_bands_rise_with_the_value(p in 1u8..=4, c in 1u8..=4, dp in 0u8..=3, dc in 0u8..=3) {
            let m = default_matrix();
            let i = band_index(&m, p, c).unwrap();
            let v = p as u32 * c as u32;
            prop_assert_eq!(m.bands.iter().filter(|b| (b.min_value..=b.max_value).contains(&v)).count(), 1);
            let (p2, c2) = ((p + dp).min(4), (c + dc).min(4));
            prop_assert!(band_index(&m, p2, c2).unwrap() >= i);
        }

        #[test]
        fn a_mandate_at_or_above_the_band_minimum_is_never_too_low(p in 1u8..=4, c in 1u8..=4, mandate in 0usize..4) {
            let method = Method::default_klassa();
            let given = Mandate::ALL[mandate];
            let who = person(5);
            let ctx = AcceptanceContext { risk_owner: Some(who), system_owners: vec![who] };
            let check = check_acceptance(&method, &accepted(p, c, who, given), &ctx).unwrap();
            let too_low = check.problems.iter().any(|x| matches!(x, AcceptanceProblem::MandateTooLow { .. }));
            prop_assert_eq!(too_low, given < check.required);
            prop_assert_eq!(check.rules_met(), given >= check.required);
        }

        #[test]
        fn custom_square_matrices_with_valid_bands_band_every_cell(n in 3u8..=6, cuts in prop::collection::btree_set(2u32..36, 1..4)) {
            let mut method = Method::default_klassa();
            let scale = |k: u8| (1..=k).map(|v| crate::method::ScaleLevel { value: v, name: format!("{v}"), color: "#ffffff".into(), description: String::new() }).collect::<Vec<_>>();
            method.risk_matrix.probability = scale(n);
            method.risk_matrix.consequence = scale(n);
            let max = n as u32 * n as u32;
            let mut bounds: Vec<u32> = cuts.into_iter().filter(|c| *c < max).collect();
            bounds.push(max);
            let template = method.risk_matrix.bands[0].clone();
            let mut start = 1;
            method.risk_matrix.bands = bounds.iter().enumerate().map(|(i, end)| {
                let b = RiskBand { key: format!("b{i}"), name: format!("B{i}"), min_value: start, max_value: *end, ..template.clone() };
                start = end + 1;
                b
            }).collect();
            prop_assert!(method.validate().is_ok(), "{:?}", method.validate());
            for p in 1..=n { for c in 1..=n { prop_assert!(band_index(&method.risk_matrix, p, c).is_some()); } }
        }
    }
}
