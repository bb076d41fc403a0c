//! Making a decision: what was decided becomes a [`Decision`] by the method's rules (an
//! outcome and dated conditions belong to a driftgodkännande, conditions only to *med
//! villkor*; a driftgodkännande is valid 12 months unless the decider says otherwise), the
//! caller draws its document as decided, and the decision is frozen with those bytes as the
//! next version of its subject. The core does not lay out documents: the drawer is the
//! caller's (the report crate's).

use crate::decisions::{self, Subject};
use crate::error::Error;
use crate::ids::PersonId;
use crate::model::{Condition, Decision, DecisionKind, DecisionOutcome, KeyFigures};
use crate::store::Store;
use chrono::NaiveDate;

/// How long a driftgodkännande is valid when the decider sets no date: then it is
/// re-examined.
pub const DRIFTGODKANNANDE_VALID_MONTHS: u32 = 12;

/// What was decided, beyond what the document shows of its subject.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Decided {
    /// Beslutsfattare.
    pub decided_by: PersonId,
    /// Föredragande.
    pub presented_by: Option<PersonId>,
    /// The outcome (required for a driftgodkännande).
    pub outcome: Option<DecisionOutcome>,
    /// Conditions with dates (driftgodkänns med villkor).
    pub conditions: Vec<Condition>,
    /// Valid until / re-examined by (a driftgodkännande defaults to a year).
    pub valid_until: Option<NaiveDate>,
    /// The assessment (bedömning), if the decider wrote one.
    pub assessment: String,
}

/// What the subject of a decision is, and when and under which diarienummer it is decided.
#[derive(Debug, Clone)]
pub struct Case {
    /// The kind of document and what it is about.
    pub subject: Subject,
    /// The decision date (the document's date).
    pub date: NaiveDate,
    /// Diarienummer, if the document has one.
    pub diarienummer: Option<String>,
}

/// The document of a decision as drawn: its bytes and what the decision record keeps of it.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Its title (the decision's title).
    pub title: String,
    /// A lägesbild's key figures (kept for the next one's trend).
    pub key_figures: Option<KeyFigures>,
}

/// The decision `decided` on `case` makes, by the rules, not yet stored or drawn: what the
/// drawer draws as decided. Refused (nothing written) when it is not complete.
pub fn prepare(store: &Store, case: &Case, decided: Decided) -> crate::Result<Decision> {
    let mut d = decisions::draft(store, &case.subject, case.subject.kind.label(), case.date)?;
    d.decided_by = Some(decided.decided_by);
    d.presented_by = decided.presented_by;
    // Outcome and conditions belong to a driftgodkännande, conditions to "med villkor"; the
    // core refuses them elsewhere, so that the record never holds what its PDF does not show.
    d.outcome = decided.outcome;
    d.conditions = decided.conditions.into_iter().filter(|c| !c.text.trim().is_empty()).collect();
    if d.outcome != Some(DecisionOutcome::MedVillkor) && d.kind == DecisionKind::Driftgodkannande {
        d.conditions.clear();
    }
    d.valid_until = decided.valid_until.or_else(|| {
        matches!(case.subject.kind, DecisionKind::Driftgodkannande | DecisionKind::Systemsakerhetsplan)
            .then(|| case.date.checked_add_months(chrono::Months::new(DRIFTGODKANNANDE_VALID_MONTHS)))
            .flatten()
    });
    d.summary = decided.assessment.trim().to_string();
    d.diarienummer = case.diarienummer.clone().filter(|n| !n.trim().is_empty());
    // Complete before drawing: the same checks freeze makes.
    decisions::check_complete(&d, &store.method().definition)?;
    Ok(d)
}

/// Makes the decision: [`prepare`]s it, has `draw` draw its document as decided, and freezes
/// both as the next version of the subject in one transaction (the earlier version marked
/// ersatt). Returns the frozen decision and the drawing.
pub fn decide<E: From<Error>>(
    store: &mut Store,
    case: &Case,
    decided: Decided,
    draw: impl FnOnce(&Store, &Decision) -> Result<Drawn, E>,
) -> Result<(Decision, Drawn), E> {
    let mut d = prepare(store, case, decided)?;
    let drawn = draw(store, &d)?;
    d.title = drawn.title.clone();
    d.key_figures = drawn.key_figures.clone();
    let frozen = decisions::freeze(store, d, &drawn.bytes)?;
    Ok((frozen, drawn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::System;
    use crate::store::Read as _;

    fn demo() -> (Store, crate::ids::SystemId, PersonId) {
        let mut s = Store::open_in_memory().unwrap();
        crate::demo::build(&mut s, &crate::demo::DemoConfig { systems: 6, seed: 3, ..Default::default() }).unwrap();
        let system = s.list::<System>().unwrap()[0].id;
        let person = s.list::<crate::model::Person>().unwrap()[0].id;
        (s, system, person)
    }

    fn case(kind: DecisionKind, system: crate::ids::SystemId) -> Case {
        Case {
            subject: Subject { kind, system_id: Some(system), forvaltning_id: None },
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            diarienummer: Some("  ".into()),
        }
    }

    #[test]
    fn a_driftgodkannande_is_valid_a_year_and_keeps_conditions_only_with_villkor() {
        let (s, system, person) = demo();
        let condition = Condition { text: "Inför MFA".into(), due_on: NaiveDate::from_ymd_opt(2027, 3, 1) };
        let decided = Decided {
            decided_by: person,
            outcome: Some(DecisionOutcome::Driftgodkanns),
            conditions: vec![condition.clone()],
            ..Default::default()
        };
        let d = prepare(&s, &case(DecisionKind::Driftgodkannande, system), decided.clone()).unwrap();
        assert_eq!(d.valid_until, NaiveDate::from_ymd_opt(2027, 11, 30));
        assert!(d.conditions.is_empty(), "conditions go only with «med villkor»");
        assert_eq!(d.diarienummer, None, "a blank diarienummer is none");
        let with = Decided { outcome: Some(DecisionOutcome::MedVillkor), ..decided };
        let d = prepare(&s, &case(DecisionKind::Driftgodkannande, system), with).unwrap();
        assert_eq!(d.conditions, vec![condition]);
        // Without an outcome a driftgodkännande is not complete; nothing is drawn.
        let none = Decided { decided_by: person, ..Default::default() };
        assert!(prepare(&s, &case(DecisionKind::Driftgodkannande, system), none).is_err());
    }

    #[test]
    fn the_drawing_is_frozen_with_the_decision_and_a_failed_drawing_writes_nothing() {
        let (mut s, system, person) = demo();
        let c = case(DecisionKind::Klassning, system);
        let decided = Decided { decided_by: person, ..Default::default() };
        let before = s.count::<Decision>().unwrap();
        let failed: Result<_, Error> = decide(&mut s, &c, decided.clone(), |_, _| Err(Error::invalid("pdf", "trasig")));
        assert!(failed.is_err());
        assert_eq!(s.count::<Decision>().unwrap(), before);
        let (frozen, drawn) = decide(&mut s, &c, decided, |_, d| {
            Ok::<_, Error>(Drawn {
                bytes: b"%PDF-1.7 test".to_vec(),
                title: format!("{} v{}", d.title, d.version),
                key_figures: None,
            })
        })
        .unwrap();
        assert_eq!(frozen.version, 1);
        assert_eq!(frozen.title, drawn.title);
        assert_eq!(frozen.document_sha256.as_deref(), Some(decisions::sha256_hex(&drawn.bytes).as_str()));
    }

    #[test]
    fn each_condition_of_an_approval_med_villkor_becomes_an_action_for_the_system_owner() {
        use crate::model::{Action, ActionStatus, Role, RoleAssignment};
        use crate::store::Read as _;
        let (mut s, system, person) = demo();
        let owner = s
            .list_by::<RoleAssignment>("system_id", &system.to_string())
            .unwrap()
            .into_iter()
            .find(|a| a.role == Role::Systemagare)
            .map(|a| a.person_id);
        let before = s.list_by::<Action>("system_id", &system.to_string()).unwrap().len();
        let conditions = vec![
            Condition { text: "Inför MFA".into(), due_on: NaiveDate::from_ymd_opt(2027, 3, 1) },
            Condition { text: "Testa återläsning".into(), due_on: NaiveDate::from_ymd_opt(2027, 5, 1) },
        ];
        let decided = Decided {
            decided_by: person,
            outcome: Some(DecisionOutcome::MedVillkor),
            conditions: conditions.clone(),
            ..Default::default()
        };
        let draw = |_: &Store, d: &Decision| {
            Ok::<_, Error>(Drawn { bytes: b"%PDF-1.7 villkor".to_vec(), title: d.title.clone(), key_figures: None })
        };
        let (frozen, _) = decide(&mut s, &case(DecisionKind::Driftgodkannande, system), decided, draw).unwrap();
        let actions: Vec<Action> = s
            .list_by::<Action>("system_id", &system.to_string())
            .unwrap()
            .into_iter()
            .filter(|a| a.decision_id == Some(frozen.id))
            .collect();
        assert_eq!(s.list_by::<Action>("system_id", &system.to_string()).unwrap().len(), before + 2);
        let mut got: Vec<_> = actions.iter().map(|a| (a.title.clone(), a.due_on, a.status, a.responsible_id)).collect();
        got.sort();
        assert_eq!(
            got,
            conditions.iter().map(|c| (c.text.clone(), c.due_on, ActionStatus::Planerad, owner)).collect::<Vec<_>>()
        );
    }
}
