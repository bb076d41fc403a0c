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
    let rows = gather::system_requirements(&f.store, &method, f.system).unwrap();
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
    let rows = gather::system_requirements(&f.store, &method, f.system).unwrap();
    assert!(!rows[0].gap);
    assert_eq!(rows.iter().filter(|r| r.gap).count(), rows.len() - 1);
}
