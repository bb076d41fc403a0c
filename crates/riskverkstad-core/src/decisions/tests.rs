use super::*;
use crate::model::{Forvaltning, Organisation, System};

fn setup() -> (Store, SystemId, PersonId) {
    let mut store = Store::open_in_memory().unwrap();
    let (s, p) = store
        .write("test", |w| {
            let org = w.insert(Organisation { name: "Testkommun".into(), ..Default::default() })?;
            let f = w.insert(Forvaltning {
                organisation_id: org.id,
                name: "Kulturförvaltningen".into(),
                short_name: "KUF".into(),
                ..Default::default()
            })?;
            let s = w.insert(System { name: "Biblioteket".into(), forvaltning_id: f.id, ..Default::default() })?;
            let p = w.insert(Person { name: "Eva Chef".into(), ..Default::default() })?;
            Ok((s.id, p.id))
        })
        .unwrap();
    (store, s, p)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn decide(store: &mut Store, s: SystemId, p: PersonId, on: NaiveDate, pdf: &[u8]) -> Result<Decision> {
    let subject = Subject { kind: DecisionKind::Driftgodkannande, system_id: Some(s), forvaltning_id: None };
    let mut d = draft(store, &subject, "Driftgodkännande – Biblioteket", on)?;
    d.decided_by = Some(p);
    d.outcome = Some(DecisionOutcome::Driftgodkanns);
    freeze(store, d, pdf)
}

#[test]
fn a_decision_is_frozen_with_its_document_and_later_ones_are_new_versions() {
    let (mut store, s, p) = setup();
    let first = decide(&mut store, s, p, day(1), b"%PDF-1.7 first").unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(first.forvaltning_id, Some(store.get::<System>(s).unwrap().forvaltning_id));
    assert_eq!(first.document_sha256.as_deref(), Some(sha256_hex(b"%PDF-1.7 first").as_str()));
    let second = decide(&mut store, s, p, day(20), b"%PDF-1.7 second").unwrap();
    assert_eq!(second.version, 2);

    let (d1, bytes1) = document_of(&store, first.id).unwrap();
    assert_eq!(bytes1, b"%PDF-1.7 first");
    assert_eq!(d1.state, DecisionState::Ersatt, "the earlier version is replaced, not removed");
    let listed = versions(&store, Some(s)).unwrap();
    assert_eq!(
        listed.iter().map(|v| (v.version, v.state)).collect::<Vec<_>>(),
        [(2, DecisionState::Beslutad), (1, DecisionState::Ersatt)]
    );
    assert_eq!(listed[0].decided_by.as_deref(), Some("Eva Chef"));
    assert_eq!(listed[0].document_bytes, b"%PDF-1.7 second".len() as u64);
    assert!(store.check().unwrap().is_sound());
}

#[test]
fn a_frozen_decision_and_its_document_cannot_change_even_by_sql() {
    let (mut store, s, p) = setup();
    let d = decide(&mut store, s, p, day(1), b"%PDF-1.7 x").unwrap();
    let sha = d.document_sha256.clone().unwrap();
    let e = store.conn().execute("UPDATE decision_document SET bytes = x'00' WHERE sha256 = ?1", [&sha]).unwrap_err();
    assert!(e.to_string().contains("ändras aldrig"), "{e}");
    assert!(store.conn().execute("DELETE FROM decision_document", []).is_err());
    assert!(store.conn().execute("UPDATE decision SET outcome = 'inte' WHERE id = ?1", [d.id.to_string()]).is_err());
    assert!(store.conn().execute("DELETE FROM decision WHERE id = ?1", [d.id.to_string()]).is_err());
    // Through the store too: what was decided, what the document shows, and a state going
    // back are refused by the schema.
    let refused = |store: &mut Store, changed: Decision| {
        let e = store.write("ändra", |w| w.update(changed)).unwrap_err().to_string();
        assert!(e.contains("ett fattat beslut ändras inte"), "{e}");
    };
    refused(&mut store, Decision { outcome: Some(DecisionOutcome::Inte), ..d.clone() });
    refused(&mut store, Decision { title: "Annan rubrik".into(), ..d.clone() });
    refused(&mut store, Decision { diarienummer: Some("KS 1/1".into()), ..d.clone() });
    refused(&mut store, Decision { summary: "Ändrad bedömning".into(), ..d.clone() });
    refused(&mut store, Decision { state: DecisionState::Utkast, ..d.clone() });
    // Replaced is the one change allowed; back to decided is not.
    let replaced = store.write("ersätt", |w| w.update(Decision { state: DecisionState::Ersatt, ..d.clone() })).unwrap();
    refused(&mut store, Decision { state: DecisionState::Beslutad, ..replaced });
    assert_eq!(document(&store, &sha).unwrap(), b"%PDF-1.7 x");
}

#[test]
fn a_stale_draft_an_incomplete_decision_and_a_non_pdf_are_refused() {
    let (mut store, s, p) = setup();
    let subject = Subject { kind: DecisionKind::Driftgodkannande, system_id: Some(s), forvaltning_id: None };
    let stale = draft(&store, &subject, "DG", day(1)).unwrap();
    decide(&mut store, s, p, day(1), b"%PDF-1.7 a").unwrap();
    let stale = Decision { decided_by: Some(p), outcome: Some(DecisionOutcome::Inte), ..stale };
    assert!(
        matches!(freeze(&mut store, stale, b"%PDF-1.7 b"), Err(Error::Frozen(m)) if m.contains("nästa version är 2"))
    );

    let no_outcome = Decision { decided_by: Some(p), ..draft(&store, &subject, "DG", day(2)).unwrap() };
    assert!(matches!(freeze(&mut store, no_outcome, b"%PDF-1.7 c"), Err(Error::Invalid(_))));
    let nobody = Decision { outcome: Some(DecisionOutcome::Inte), ..draft(&store, &subject, "DG", day(2)).unwrap() };
    assert!(matches!(freeze(&mut store, nobody, b"%PDF-1.7 c"), Err(Error::Invalid(_))));
    let full = Decision {
        decided_by: Some(p),
        outcome: Some(DecisionOutcome::Inte),
        ..draft(&store, &subject, "DG", day(2)).unwrap()
    };
    assert!(matches!(freeze(&mut store, full, b"<html>"), Err(Error::Invalid(_))));
    assert_eq!(history(&store, &subject).unwrap().len(), 1, "nothing was stored by the refusals");
}

#[test]
fn subjects_are_kept_apart_and_a_decision_is_not_undone() {
    let (mut store, s, p) = setup();
    decide(&mut store, s, p, day(1), b"%PDF-1.7 a").unwrap();
    let org = Subject { kind: DecisionKind::Lagesbild, system_id: None, forvaltning_id: None };
    assert_eq!(next_version(&store, &org).unwrap(), 1);
    let other_kind = Subject { kind: DecisionKind::Riskacceptans, system_id: Some(s), forvaltning_id: None };
    assert_eq!(next_version(&store, &other_kind).unwrap(), 1);
    let target = store.undo_target().unwrap().unwrap();
    assert!(target.refused.as_deref().is_some_and(|r| r.contains("arkiverade")), "{target:?}");
    assert!(matches!(store.undo(), Err(Error::Undo(_))));
}

#[test]
fn a_changed_document_is_found_by_the_check() {
    let (mut store, s, p) = setup();
    let d = decide(&mut store, s, p, day(1), b"%PDF-1.7 a").unwrap();
    store.conn().execute_batch("DROP TRIGGER decision_document_no_update").unwrap();
    store.conn().execute("UPDATE decision_document SET bytes = ?1", [b"%PDF-1.7 b".to_vec()]).unwrap();
    let report = store.check().unwrap();
    assert!(report.problems.iter().any(|p| p.contains("har ändrats")), "{:?}", report.problems);
    assert!(matches!(document_of(&store, d.id), Err(Error::Frozen(_))));
}

#[test]
fn kinds_must_fit_their_subject_and_outcomes_belong_to_a_driftgodkannande() {
    let (mut store, s, p) = setup();
    let lagesbild_on_system = Subject { kind: DecisionKind::Lagesbild, system_id: Some(s), forvaltning_id: None };
    assert!(matches!(draft(&store, &lagesbild_on_system, "LB", day(1)), Err(Error::Invalid(_))));
    let klassning_without = Subject { kind: DecisionKind::Klassning, system_id: None, forvaltning_id: None };
    assert!(matches!(draft(&store, &klassning_without, "KP", day(1)), Err(Error::Invalid(_))));

    let org = Subject { kind: DecisionKind::Lagesbild, system_id: None, forvaltning_id: None };
    let with_outcome = Decision {
        decided_by: Some(p),
        outcome: Some(DecisionOutcome::Driftgodkanns),
        ..draft(&store, &org, "LB", day(1)).unwrap()
    };
    assert!(matches!(freeze(&mut store, with_outcome, b"%PDF-1.7 a"), Err(Error::Invalid(_))));
    let dg = Subject { kind: DecisionKind::Driftgodkannande, system_id: Some(s), forvaltning_id: None };
    let condition = crate::model::Condition { text: "MFA".into(), due_on: Some(day(30)) };
    let conditions_without = Decision {
        decided_by: Some(p),
        outcome: Some(DecisionOutcome::Driftgodkanns),
        conditions: vec![condition.clone()],
        ..draft(&store, &dg, "DG", day(1)).unwrap()
    };
    assert!(matches!(freeze(&mut store, conditions_without, b"%PDF-1.7 b"), Err(Error::Invalid(_))));
    let undated = Decision {
        decided_by: Some(p),
        outcome: Some(DecisionOutcome::MedVillkor),
        conditions: vec![crate::model::Condition { due_on: None, ..condition.clone() }],
        ..draft(&store, &dg, "DG", day(1)).unwrap()
    };
    assert!(matches!(freeze(&mut store, undated, b"%PDF-1.7 c"), Err(Error::Invalid(_))));

    // A handlingsplan on the system and one on its förvaltning are numbered apart.
    let f = store.get::<System>(s).unwrap().forvaltning_id;
    let on_system = Subject { kind: DecisionKind::Handlingsplan, system_id: Some(s), forvaltning_id: None };
    let on_forvaltning = Subject { kind: DecisionKind::Handlingsplan, system_id: None, forvaltning_id: Some(f) };
    let d = Decision { decided_by: Some(p), ..draft(&store, &on_system, "HP", day(1)).unwrap() };
    freeze(&mut store, d, b"%PDF-1.7 d").unwrap();
    assert_eq!(next_version(&store, &on_system).unwrap(), 2);
    assert_eq!(next_version(&store, &on_forvaltning).unwrap(), 1);
    assert_eq!(next_version(&store, &Subject { forvaltning_id: None, ..on_forvaltning }).unwrap(), 1);
}
