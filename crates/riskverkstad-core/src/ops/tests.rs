use super::*;
use crate::gather;
use crate::ids::*;
use crate::method::Aspect;
use crate::method::Mandate;
use crate::model::*;
use crate::store::{Read, Store};
use chrono::NaiveDate;

struct Fixture {
    store: Store,
    system: SystemId,
    owner: PersonId,
    other: PersonId,
    risk: RiskId,
}

/// A system with one information set classified K2 R1 T1 S1, a system owner, and one risk
/// in band Hög (3×4).
fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().unwrap();
    let v = store.method().id;
    let (system, owner, other, risk) = store
        .write("fixture", |w| {
            let org = w.insert(Organisation { name: "K".into(), ..Default::default() })?;
            let f = w.insert(Forvaltning {
                organisation_id: org.id,
                name: "F".into(),
                short_name: "F".into(),
                ..Default::default()
            })?;
            let s = w.insert(System { name: "Lönesystem".into(), forvaltning_id: f.id, ..Default::default() })?;
            let owner = w.insert(Person { name: "Eva Systemägare".into(), ..Default::default() })?;
            let other = w.insert(Person { name: "Per Förvaltare".into(), ..Default::default() })?;
            w.insert(RoleAssignment {
                person_id: owner.id,
                role: Role::Systemagare,
                system_id: Some(s.id),
                ..Default::default()
            })?;
            let set = w.insert(InformationSet { name: "Löneuppgifter".into(), ..Default::default() })?;
            w.insert(SystemInformationSet { system_id: s.id, information_set_id: set.id, ..Default::default() })?;
            let levels = [(Aspect::K, 2), (Aspect::R, 1), (Aspect::T, 1), (Aspect::S, 1)];
            w.insert(Classification {
                information_set_id: set.id,
                method_version_id: v,
                assessments: levels
                    .iter()
                    .map(|(a, l)| AspectAssessment { aspect: *a, level: *l, motivering: "m".into(), areas: vec![] })
                    .collect(),
                classified_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                ..Default::default()
            })?;
            let a = w.insert(RiskAnalysis {
                title: "RA".into(),
                system_id: Some(s.id),
                method_version_id: v,
                ..Default::default()
            })?;
            let r = w.insert(Risk {
                analysis_id: a.id,
                title: "Intrång".into(),
                probability: 3,
                consequence: 4,
                owner_id: Some(other.id),
                ..Default::default()
            })?;
            Ok((s.id, owner.id, other.id, r.id))
        })
        .unwrap();
    Fixture { store, system, owner, other, risk }
}

fn raise(system: SystemId, aspect: Aspect, level: u8) -> ProtectionRaise {
    ProtectionRaise {
        system_id: system,
        aspect,
        level,
        reason: RaiseReason::Aggregering,
        motivering: "Samlade uppgifter".into(),
        decided_on: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        ..Default::default()
    }
}

#[test]
fn a_raise_must_lie_above_the_information_and_is_then_in_the_profile() {
    let mut f = fixture();
    let e = raise_protection(&mut f.store, raise(f.system, Aspect::K, 2)).unwrap_err();
    assert!(e.to_string().contains("sänkning"), "{e}");
    assert_eq!(f.store.count::<ProtectionRaise>().unwrap(), 0);
    raise_protection(&mut f.store, raise(f.system, Aspect::K, 3)).unwrap();
    let p = gather::system_profile(&f.store, &f.store.method().definition.clone(), f.system).unwrap();
    assert_eq!(p.level(Aspect::K), Some(3));
    assert_eq!(p.aspects[0].raise_reasons, vec![RaiseReason::Aggregering]);
}

#[test]
fn an_acceptance_below_the_bands_mandate_is_refused_with_the_rule() {
    let mut f = fixture();
    let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let e = accept_risk(
        &mut f.store,
        f.risk,
        Acceptance { by: f.owner, mandate: Mandate::Systemagare, on, reason: "Billigare att leva med".into() },
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("bandet Hög får accepteras av lägst förvaltningschef"), "{text}");
    assert!(f.store.get::<Risk>(f.risk).unwrap().accepted_by.is_none(), "nothing written");

    let e = accept_risk(
        &mut f.store,
        f.risk,
        Acceptance { by: f.other, mandate: Mandate::Riskagare, on, reason: "x".into() },
    )
    .unwrap_err();
    assert!(e.to_string().contains("förvaltningschef"), "{e}");

    let (stored, check) = accept_risk(
        &mut f.store,
        f.risk,
        Acceptance {
            by: f.owner, mandate: Mandate::Forvaltningschef, on, reason: "Kompenseras av övervakning".into()
        },
    )
    .unwrap();
    assert!(check.rules_met());
    assert!(check.inform.iter().any(|i| i == "Systemägare"));
    assert_eq!(stored.accepted_as, Some(Mandate::Forvaltningschef));
    assert_eq!(stored.treatment, Some(Treatment::Acceptera));
    assert_eq!(stored.revision, 2);
}

#[test]
fn an_accepted_risk_moved_on_the_matrix_must_be_accepted_again() {
    let mut f = fixture();
    let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let why = "Kompenseras av övervakning";
    let acceptance = Acceptance { by: f.owner, mandate: Mandate::Forvaltningschef, on, reason: why.into() };
    let (accepted, _) = accept_risk(&mut f.store, f.risk, acceptance).unwrap();
    // A changed text keeps the acceptance: the risk is the same.
    let worded = edit::Edit::save(&mut f.store, Risk { konsekvens: "Driftstopp".into(), ..accepted }, on).unwrap();
    assert_eq!(worded.accepted_as, Some(Mandate::Forvaltningschef));
    // Moved into Extremt hög, which the förvaltningschef may not accept: the acceptance goes.
    let moved = edit::Edit::save(
        &mut f.store,
        Risk { residual_probability: Some(4), residual_consequence: Some(4), ..worded },
        on,
    )
    .unwrap();
    assert_eq!((moved.accepted_by, moved.accepted_as, moved.acceptance_reason.as_deref()), (None, None, None));
    // Nor is a new risk ever saved as accepted.
    let fresh = Risk {
        id: Default::default(),
        title: "Ny".into(),
        accepted_by: Some(f.owner),
        accepted_as: Some(Mandate::Namnd),
        accepted_on: Some(on),
        acceptance_reason: Some(why.into()),
        ..moved
    };
    let saved = edit::Edit::save(&mut f.store, fresh, on).unwrap();
    assert!(saved.accepted_by.is_none() && saved.accepted_as.is_none());
}

#[test]
fn a_system_owner_acceptance_needs_the_system_owner() {
    let mut f = fixture();
    let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    // Lower the risk into Medelhög, where a system owner may accept.
    f.store
        .write("sänk", |w| {
            let mut r: Risk = w.get(f.risk)?;
            r.residual_probability = Some(2);
            r.residual_consequence = Some(3);
            w.update(r)
        })
        .unwrap();
    let e = accept_risk(
        &mut f.store,
        f.risk,
        Acceptance { by: f.other, mandate: Mandate::Systemagare, on, reason: "ok".into() },
    )
    .unwrap_err();
    assert!(e.to_string().contains("inte systemägare"), "{e}");
    accept_risk(
        &mut f.store,
        f.risk,
        Acceptance { by: f.owner, mandate: Mandate::Systemagare, on, reason: "ok".into() },
    )
    .unwrap();
}

#[test]
fn new_information_on_an_analysed_system_calls_for_re_examination() {
    let mut f = fixture();
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let before = gather::due_list(&f.store, today).unwrap();
    assert!(!before.iter().any(|d| d.kind == crate::due::DueKind::Omprovning));
    let set = f
        .store
        .write("ny", |w| w.insert(InformationSet { name: "Sjukfrånvaro".into(), ..Default::default() }))
        .unwrap();
    link_information_set(&mut f.store, f.system, set.id).unwrap();
    let e = link_information_set(&mut f.store, f.system, set.id).unwrap_err();
    assert!(e.to_string().contains("redan kopplad"), "{e}");
    let after = gather::due_list(&f.store, chrono::Utc::now().date_naive()).unwrap();
    assert!(
        after.iter().any(|d| d.kind == crate::due::DueKind::Omprovning && d.message.contains("Sjukfrånvaro")),
        "{after:?}"
    );
}

#[test]
fn gaps_are_the_applicable_requirements_not_met() {
    let mut f = fixture();
    let method = f.store.method().definition.clone();
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    assert!(rows.iter().all(|r| r.gap), "nothing assessed yet: every applicable requirement is a gap");
    assert!(rows.iter().any(|r| r.requirement.aspect == Aspect::K && r.requirement.min_level == 2));
    assert!(
        !rows.iter().any(|r| r.requirement.aspect == Aspect::K && r.requirement.min_level == 3),
        "K2 does not bring K3 requirements"
    );
    let first = rows[0].requirement.id;
    f.store
        .write("krav", |w| {
            w.insert(RequirementStatus {
                system_id: f.system,
                requirement_id: first,
                status: Compliance::Uppfyllt,
                how: "Granskat".into(),
                ..Default::default()
            })
        })
        .unwrap();
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    assert!(!rows[0].gap);
    assert_eq!(rows.iter().filter(|r| r.gap).count(), rows.len() - 1);
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn set_of(f: &Fixture) -> InformationSetId {
    f.store.list::<SystemInformationSet>().unwrap()[0].information_set_id
}

fn assessment(requirement_id: RequirementId, status: Compliance) -> Assessment {
    Assessment {
        requirement_id,
        status,
        how: " Granskat i workshop ".into(),
        reason: String::new(),
        evidence: "Rutin".into(),
        evidence_ref: "Dnr 2026/14".into(),
        assessed_by: None,
        assessed_on: None,
    }
}

#[test]
fn a_workshop_assesses_its_requirements_at_once_and_a_bad_row_writes_nothing() {
    let mut f = fixture();
    let method = f.store.method().definition.clone();
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    let (a, b) = (rows[0].requirement.id, rows[1].requirement.id);
    let log = f.store.audit_log(None).unwrap().len();
    // Ej tillämpligt without a reason refuses the whole list.
    let bad = assess(
        &mut f.store,
        f.system,
        &[assessment(a, Compliance::Uppfyllt), assessment(b, Compliance::EjTillampligt)],
        day(2026, 11, 30),
    );
    assert!(bad.unwrap_err().to_string().contains("ange varför kravet inte är tillämpligt"));
    assert_eq!(f.store.audit_log(None).unwrap().len(), log, "nothing written");
    let twice = assess(
        &mut f.store,
        f.system,
        &[assessment(a, Compliance::Uppfyllt), assessment(a, Compliance::Delvis)],
        day(2026, 11, 30),
    );
    assert!(twice.is_err());

    let na = Assessment { reason: "Inga utskrifter".into(), ..assessment(b, Compliance::EjTillampligt) };
    let stored = assess(&mut f.store, f.system, &[assessment(a, Compliance::Uppfyllt), na], day(2026, 11, 30)).unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].how, "Granskat i workshop");
    assert_eq!((stored[0].assessed_on, stored[0].evidence_ref.as_str()), (Some(day(2026, 11, 30)), "Dnr 2026/14"));
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    assert!(!rows[0].gap && !rows[1].gap && !rows[0].due_again);
    // A new assessment of the same requirement replaces the status, as a new revision.
    let again = assess(&mut f.store, f.system, &[assessment(a, Compliance::Delvis)], day(2026, 12, 5)).unwrap();
    assert_eq!((again[0].id, again[0].revision), (stored[0].id, 2));
    // A year later the assessments are due again.
    let later = gather::system_requirements(&f.store, &method, f.system, day(2027, 12, 6)).unwrap();
    assert!(later[0].due_again && later[1].due_again);
}

#[test]
fn an_action_from_a_gap_is_linked_to_its_requirement_and_closing_it_dates_it() {
    let mut f = fixture();
    let method = f.store.method().definition.clone();
    let gap = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap()[0].requirement.id;
    let new = NewAction {
        title: "Inför loggning".into(),
        description: String::new(),
        system_id: Some(f.system),
        responsible_id: Some(f.owner),
        due_on: Some(day(2027, 3, 1)),
        risk_id: None,
        requirement_id: Some(gap),
    };
    let action = add_action(&mut f.store, &new).unwrap();
    let links = f.store.list_by::<ActionLink>("action_id", &action.id.to_string()).unwrap();
    assert_eq!(links.iter().map(|l| l.requirement_id).collect::<Vec<_>>(), vec![Some(gap)]);
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    assert_eq!(rows[0].actions, vec![action.id]);
    assert!(
        add_action(&mut f.store, &NewAction { system_id: None, ..new.clone() }).is_err(),
        "a requirement's action names its system"
    );

    let done =
        save_action(&mut f.store, Action { status: ActionStatus::Genomford, ..action.clone() }, day(2026, 12, 1))
            .unwrap();
    assert_eq!(done.completed_on, Some(day(2026, 12, 1)));
    assert_eq!(f.store.audit_log(None).unwrap().last().unwrap().action, "Åtgärd genomförd");
    let reopened = save_action(&mut f.store, Action { status: ActionStatus::Pagar, ..done }, day(2026, 12, 2)).unwrap();
    assert_eq!(reopened.completed_on, None, "reopened, it has no completion date");
    let rows = gather::system_requirements(&f.store, &method, f.system, day(2026, 11, 30)).unwrap();
    assert_eq!(rows[0].actions, vec![action.id], "open again, it is the requirement's open action");
    // The decision a condition came from is not changed by editing.
    let moved = Action { decision_id: Some(DecisionId::default()), ..reopened };
    assert!(edit::Edit::save(&mut f.store, moved, day(2026, 12, 2)).unwrap_err().to_string().contains("villkor"));
}

#[test]
fn the_information_owner_decides_a_draft_and_it_is_never_changed_again() {
    let mut f = fixture();
    let set = set_of(&f);
    let draft = pending_classification(&f.store, set).unwrap();
    let decision = Faststallande {
        classification_id: draft.id,
        decided_by: f.owner,
        decided_on: Some(day(2026, 2, 1)),
        participants: None,
    };
    // No informationsägare yet: refused, and the message says what to do.
    let none = decide_classification(&mut f.store, &decision, day(2026, 2, 1)).unwrap_err().to_string();
    assert!(none.contains("har ingen informationsägare"), "{none}");
    let role = RoleAssignment {
        person_id: f.other,
        role: Role::Informationsagare,
        information_set_id: Some(set),
        ..Default::default()
    };
    f.store.write("roll", |w| w.insert(role)).unwrap();
    let wrong = decide_classification(&mut f.store, &decision, day(2026, 2, 1)).unwrap_err().to_string();
    assert!(wrong.contains("fastställs av informationsägaren (Per Förvaltare), inte av Eva Systemägare"), "{wrong}");
    let by_owner = Faststallande { decided_by: f.other, ..decision };
    let decided = decide_classification(&mut f.store, &by_owner, day(2026, 2, 3)).unwrap();
    assert_eq!((decided.status, decided.decided_on), (ClassificationStatus::Faststalld, Some(day(2026, 2, 1))));
    // Fastställd: decided again, edited, undone or changed in the file — refused.
    assert!(pending_classification(&f.store, set).unwrap_err().to_string().contains("redan fastställd 2026-02-01"));
    assert!(decide_classification(&mut f.store, &by_owner, day(2026, 2, 3)).is_err());
    assert!(edit::Edit::save(&mut f.store, decided.clone(), day(2026, 2, 3)).is_err());
    let undo = f.store.undo_target().unwrap().unwrap();
    assert!(undo.refused.unwrap().contains("informationsägarens beslut ångras inte"));
    let raw = f.store.write("rå ändring", |w| {
        w.conn().execute(
            "UPDATE classification SET participants = '[\"Någon annan\"]' WHERE id = ?1",
            [decided.id.to_string()],
        )?;
        Ok(())
    });
    assert!(raw.unwrap_err().to_string().contains("en fastställd klassning ändras inte"));
    let bookkeeping = f.store.write("rå ändring", |w| {
        w.conn()
            .execute("UPDATE classification SET revision = revision + 1 WHERE id = ?1", [decided.id.to_string()])?;
        Ok(())
    });
    assert!(bookkeeping.is_ok(), "what was decided is kept; its bookkeeping may move: {bookkeeping:?}");
    // A new classification starts as a draft and waits for the owner.
    let next = ClassificationDraft {
        information_set_id: set,
        assessments: vec![AspectDraft {
            aspect: Aspect::K,
            level: Some(3),
            areas: vec![],
            motivering: "Fler uppgifter".into(),
        }],
        participants: vec![],
    };
    let c = classify(&mut f.store, &next, day(2027, 1, 20)).unwrap();
    assert_eq!(pending_classification(&f.store, set).unwrap().id, c.id);
    // Only the newest draft waits for the owner: an older one is history.
    let older = classify(&mut f.store, &next, day(2027, 1, 10)).unwrap();
    let e = decide_classification(
        &mut f.store,
        &Faststallande { classification_id: older.id, ..by_owner },
        day(2027, 1, 21),
    )
    .unwrap_err();
    assert!(e.to_string().contains("har en nyare klassning (2027-01-20)"), "{e}");
}

#[test]
fn the_yearly_redo_copies_the_risks_marked_for_review_with_their_actions() {
    let mut f = fixture();
    let treats = NewAction {
        title: "Segmentera nätet".into(),
        description: String::new(),
        system_id: Some(f.system),
        responsible_id: None,
        due_on: None,
        risk_id: Some(f.risk),
        requirement_id: None,
    };
    let action = add_action(&mut f.store, &treats).unwrap();
    let fresh = NewAnalysis {
        system_id: f.system,
        title: String::new(),
        scope: "Hela systemet".into(),
        participants: vec!["Eva".into()],
        analysed_on: None,
        from_previous: true,
    };
    let redo = new_analysis(&mut f.store, &fresh, day(2027, 1, 15)).unwrap();
    assert_eq!(redo.title, "Riskanalys Lönesystem 2027-01-15");
    assert_eq!((redo.status, redo.analysed_on), (AnalysisStatus::Pagar, day(2027, 1, 15)));
    let previous = f.store.get::<Risk>(f.risk).unwrap().analysis_id;
    assert_eq!(redo.based_on, Some(previous));
    let copied = f.store.list_by::<Risk>("analysis_id", &redo.id.to_string()).unwrap();
    assert_eq!(copied.len(), 1);
    assert!(copied[0].needs_review && copied[0].title == "Intrång" && copied[0].owner_id == Some(f.other));
    let links = f.store.list_by::<ActionLink>("risk_id", &copied[0].id.to_string()).unwrap();
    assert_eq!(links.iter().map(|l| l.action_id).collect::<Vec<_>>(), vec![action.id]);
    // The handlingsplan names the risk once.
    let plan = crate::views::action_plan(&f.store, day(2027, 1, 15)).unwrap();
    assert_eq!(plan.iter().find(|r| r.action.id == action.id).unwrap().risks, vec!["Intrång".to_string()]);
    // A system never analysed has nothing to redo.
    let other = f.store.write("s", |w| {
        let fv = w.list::<Forvaltning>()?[0].id;
        w.insert(System { name: "Nytt".into(), forvaltning_id: fv, ..Default::default() })
    });
    let none = new_analysis(&mut f.store, &NewAnalysis { system_id: other.unwrap().id, ..fresh }, day(2027, 1, 15));
    assert!(none.unwrap_err().to_string().contains("ingen tidigare riskanalys"));
}

#[test]
fn only_requirements_at_the_systems_levels_come_back_for_follow_up() {
    let mut f = fixture();
    let all = f.store.list::<Requirement>().unwrap();
    // The fixture's system is K2: a K requirement from level 3 does not apply to it.
    let above = all.iter().find(|r| r.aspect == Aspect::K && r.min_level >= 3).unwrap();
    let at = all.iter().find(|r| r.aspect == Aspect::K && r.min_level <= 2).unwrap();
    let assessed = day(2025, 1, 10);
    let on = |r: &Requirement| Assessment { assessed_on: Some(assessed), ..assessment(r.id, Compliance::Uppfyllt) };
    assess(&mut f.store, f.system, &[on(above), on(at)], assessed).unwrap();
    let due = gather::due_list(&f.store, day(2026, 3, 1)).unwrap();
    let reviews: Vec<_> = due.iter().filter(|d| d.kind == crate::due::DueKind::Kravuppfoljning).collect();
    assert_eq!(reviews.len(), 1);
    assert!(
        reviews[0].message.starts_with("1 kravbedömning"),
        "only the one the Krav tab shows: {}",
        reviews[0].message
    );
}

#[test]
fn an_assessment_keeps_the_day_it_was_made_and_cannot_be_dated_ahead() {
    let mut f = fixture();
    let r = f.store.list::<Requirement>().unwrap().into_iter().find(|r| r.min_level <= 1).unwrap();
    let workshop = Assessment { assessed_on: Some(day(2026, 11, 24)), ..assessment(r.id, Compliance::Delvis) };
    let stored = assess(&mut f.store, f.system, std::slice::from_ref(&workshop), day(2026, 11, 30)).unwrap();
    assert_eq!(stored[0].assessed_on, Some(day(2026, 11, 24)), "the workshop's day, entered a week later");
    let ahead = Assessment { assessed_on: Some(day(2026, 12, 1)), ..workshop };
    let e = assess(&mut f.store, f.system, &[ahead], day(2026, 11, 30)).unwrap_err();
    assert!(e.to_string().contains("2026-12-01 har inte varit än"), "{e}");
}

fn on(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn an_exception_keeps_its_rules_however_it_is_saved() {
    use crate::ops::edit::Edit;
    let mut f = fixture();
    let today = on("2026-11-22");
    // K-01 is in the baseline: it applies whatever the level.
    let k01 = f.store.list::<Requirement>().unwrap().into_iter().find(|r| r.code == "K-01").unwrap();
    let draft = NewException {
        system_id: f.system,
        requirement_id: k01.id,
        reason: "Gemensamt konto i reservrutinen".into(),
        compensating: String::new(),
        probability: None,
        consequence: None,
        approved_by: Some(f.owner),
        approved_as: None,
        approved_on: None,
        valid_until: on("2027-03-31"),
    };
    let first = new_exception(&mut f.store, &draft, today).unwrap();
    assert_eq!((first.approved_on, first.approved_as), (today, Mandate::Systemagare));
    // A second one over the same time is refused, from the op and from a form alike.
    let again = new_exception(&mut f.store, &NewException { valid_until: on("2027-01-31"), ..draft.clone() }, today);
    assert!(again.unwrap_err().to_string().contains("gäller redan"));
    let later = NewException { approved_on: Some(on("2027-04-01")), valid_until: on("2027-09-30"), ..draft.clone() };
    assert!(new_exception(&mut f.store, &later, on("2027-04-01")).is_ok(), "after it ends, a renewal is fine");
    // Edited: not approved in the future, not stretched over the renewal, not un-withdrawn.
    let future = Exception { approved_on: on("2026-12-01"), ..first.clone() };
    assert!(Edit::save(&mut f.store, future, today).unwrap_err().to_string().contains("har inte varit än"));
    let stretched = Exception { valid_until: on("2027-06-30"), ..first.clone() };
    assert!(Edit::save(&mut f.store, stretched, on("2027-04-02")).unwrap_err().to_string().contains("gäller redan"));
    let reworded = Exception { compensating: "Kontot är spärrat".into(), ..first.clone() };
    let saved = Edit::save(&mut f.store, reworded, today).unwrap();
    assert_eq!(saved.compensating, "Kontot är spärrat");
    let unwithdrawn = Exception { withdrawn_on: Some(today), ..saved.clone() };
    assert!(Edit::save(&mut f.store, unwithdrawn, today).unwrap_err().to_string().contains("Återkalla"));
    // Withdrawn: not before it was approved, not after it ended, once.
    assert!(withdraw_exception(&mut f.store, saved.id, on("2026-11-01")).unwrap_err().to_string().contains("före"));
    assert!(
        withdraw_exception(&mut f.store, saved.id, on("2027-04-01")).unwrap_err().to_string().contains("gällde bara")
    );
    let w = withdraw_exception(&mut f.store, saved.id, today).unwrap();
    assert_eq!(w.withdrawn_on, Some(today));
    assert!(withdraw_exception(&mut f.store, saved.id, today).is_err());
}

#[test]
fn a_control_done_and_corrected_keeps_its_dates_and_its_system() {
    use crate::ops::edit::Edit;
    let mut f = fixture();
    let today = on("2026-11-22");
    let kind = f.store.list::<ControlKind>().unwrap().into_iter().find(|k| k.name == "Behörighetsgranskning").unwrap();
    let draft = NewControl {
        kind_id: kind.id,
        system_id: Some(f.system),
        forvaltning_id: None,
        responsible_id: Some(f.other),
        interval_months: None,
        method: "Samkörs mot lönesystemet".into(),
        first_due: Some(on("2026-12-01")),
    };
    let control = new_control(&mut f.store, &draft, today).unwrap();
    assert_eq!(control.title, "Behörighetsgranskning – Lönesystem");
    let system: System = f.store.get(f.system).unwrap();
    assert_eq!(control.forvaltning_id, Some(system.forvaltning_id));
    let done = ControlDone {
        control_id: control.id,
        done_on: on("2026-11-20"),
        done_by: "Per".into(),
        result: ControlResult::MedAvvikelser,
        findings: "Två konton för slutade".into(),
        note: String::new(),
        method: String::new(),
        accounts_reviewed: Some(40),
        accounts_removed: Some(2),
        restore_hours: None,
    };
    let o = control_done(&mut f.store, &done, today).unwrap();
    assert_eq!(o.next_due, on("2027-11-20"));
    assert!(o.statuses.iter().all(|s| s.status == Compliance::Delvis), "deviations: delvis");
    let action = o.action.unwrap();
    assert_eq!((action.due_on, action.responsible_id), (Some(on("2026-12-20")), Some(f.other)));
    // A run corrected: not into the future, not to another result (that assessed the requirements).
    let future = ControlRun { done_on: on("2062-11-20"), ..o.run.clone() };
    assert!(Edit::save(&mut f.store, future, today).unwrap_err().to_string().contains("har inte varit än"));
    let other_result = ControlRun { result: ControlResult::UtanAnmarkning, ..o.run.clone() };
    assert!(
        Edit::save(&mut f.store, other_result, today)
            .unwrap_err()
            .to_string()
            .contains("registrera kontrollen på nytt")
    );
    let noted =
        Edit::save(&mut f.store, ControlRun { note: "Intyg från chef".into(), ..o.run.clone() }, today).unwrap();
    assert_eq!(noted.note, "Intyg från chef");
    // A control stays on its system; a second one of the same kind is refused.
    let moved = Control { system_id: None, ..control.clone() };
    assert!(Edit::save(&mut f.store, moved, today).is_err());
    assert!(new_control(&mut f.store, &draft, today).unwrap_err().to_string().contains("har redan"));
    // A future run is refused, and nothing was written.
    let runs = f.store.count::<ControlRun>().unwrap();
    assert!(control_done(&mut f.store, &ControlDone { done_on: on("2026-11-23"), ..done }, today).is_err());
    assert_eq!(f.store.count::<ControlRun>().unwrap(), runs);
}
