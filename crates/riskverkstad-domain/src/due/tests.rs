use super::*;
use crate::ids::*;
use crate::method::Aspect;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ts(date: NaiveDate) -> Timestamp {
    Timestamp(date.and_hms_opt(8, 0, 0).unwrap().and_utc())
}

struct World {
    method: Method,
    systems: Vec<System>,
    sets: Vec<InformationSet>,
    links: Vec<SystemInformationSet>,
    classifications: Vec<Classification>,
    analyses: Vec<RiskAnalysis>,
    risks: Vec<Risk>,
    actions: Vec<Action>,
    action_links: Vec<ActionLink>,
    decisions: Vec<Decision>,
    roles: Vec<RoleAssignment>,
    statuses: Vec<RequirementStatus>,
    incidents: Vec<Incident>,
    incident_links: Vec<IncidentLink>,
    incident_reports: Vec<IncidentReport>,
    requirements: Vec<Requirement>,
    controls: Vec<Control>,
    control_runs: Vec<ControlRun>,
    exceptions: Vec<Exception>,
}

impl World {
    fn due(&self, today: NaiveDate) -> Vec<DueItem> {
        due_items(&self.input(today))
    }

    fn input(&self, today: NaiveDate) -> DueInput<'_> {
        DueInput {
            today,
            method: &self.method,
            systems: &self.systems,
            information_sets: &self.sets,
            system_sets: &self.links,
            classifications: &self.classifications,
            analyses: &self.analyses,
            risks: &self.risks,
            actions: &self.actions,
            action_links: &self.action_links,
            decisions: &self.decisions,
            roles: &self.roles,
            requirement_statuses: &self.statuses,
            now: crate::incident::Now::on(today).at,
            incidents: &self.incidents,
            incident_links: &self.incident_links,
            incident_reports: &self.incident_reports,
            requirements: &self.requirements,
            controls: &self.controls,
            control_runs: &self.control_runs,
            exceptions: &self.exceptions,
        }
    }
}

fn world() -> World {
    let sys = System {
        id: SystemId(uuid::Uuid::from_u128(1)),
        name: "Ekonomisystem".into(),
        lifecycle: Lifecycle::IDrift,
        business_critical: true,
        nis2: Nis2::EjTillampligt,
        created_at: ts(d(2024, 1, 1)),
        last_review_on: Some(d(2026, 2, 1)),
        contract_end: Some(d(2027, 9, 1)),
        rto_hours: Some(8),
        rpo_hours: Some(24),
        restore_tested_on: Some(d(2026, 1, 20)),
        system_security_plan: Some(true),
        ..Default::default()
    };
    let set = InformationSet {
        id: InformationSetId(uuid::Uuid::from_u128(2)),
        name: "Leverantörsfakturor".into(),
        created_at: ts(d(2024, 1, 1)),
        ..Default::default()
    };
    let link = SystemInformationSet { system_id: sys.id, information_set_id: set.id, ..Default::default() };
    let (sys_id, set_id) = (sys.id, set.id);
    let classification = Classification {
        information_set_id: set.id,
        status: ClassificationStatus::Faststalld,
        classified_on: d(2025, 10, 1),
        decided_on: Some(d(2025, 10, 15)),
        assessments: vec![AspectAssessment { aspect: Aspect::K, level: 2, motivering: "m".into(), areas: vec![] }],
        ..Default::default()
    };
    let analysis = RiskAnalysis {
        id: RiskAnalysisId(uuid::Uuid::from_u128(3)),
        title: "RA".into(),
        analysed_on: d(2026, 1, 10),
        system_id: Some(sys.id),
        status: AnalysisStatus::Klar,
        ..Default::default()
    };
    World {
        method: Method::default_klassa(),
        systems: vec![sys],
        sets: vec![set],
        links: vec![link],
        classifications: vec![classification],
        analyses: vec![analysis],
        risks: vec![],
        actions: vec![],
        action_links: vec![],
        decisions: vec![],
        roles: vec![
            RoleAssignment { role: Role::Systemagare, system_id: Some(sys_id), ..Default::default() },
            RoleAssignment { role: Role::Informationsagare, information_set_id: Some(set_id), ..Default::default() },
        ],
        statuses: vec![],
        incidents: vec![],
        incident_links: vec![],
        incident_reports: vec![],
        requirements: crate::catalog::builtin_requirements(),
        controls: vec![],
        control_runs: vec![],
        exceptions: vec![],
    }
}

fn kinds(items: &[DueItem]) -> Vec<(DueKind, DueState)> {
    items.iter().map(|i| (i.kind, i.state)).collect()
}

#[test]
fn nothing_is_due_in_a_fresh_year() {
    assert_eq!(kinds(&world().due(d(2026, 3, 1))), vec![]);
}

#[test]
fn the_restore_test_is_due_until_done_and_again_after_a_year() {
    let never = restore_test(d(2026, 3, 1), None, d(2026, 1, 10), "Socialförvaltningen").unwrap();
    assert_eq!(
        (never.kind, never.state, never.due_on),
        (DueKind::Aterlasningstest, DueState::Forsenad, d(2026, 1, 10))
    );
    assert!(never.message.starts_with("Återläsning av säkerhetskopia ej testad senaste 12 månaderna"));
    assert_eq!(restore_test(d(2026, 3, 1), Some(d(2026, 2, 1)), d(2026, 1, 10), "x"), None);
    let soon = restore_test(d(2027, 1, 15), Some(d(2026, 2, 1)), d(2026, 1, 10), "x").unwrap();
    assert_eq!((soon.state, soon.due_on), (DueState::Snart, d(2027, 2, 1)));
    let late = restore_test(d(2027, 2, 2), Some(d(2026, 2, 1)), d(2026, 1, 10), "x").unwrap();
    assert_eq!(late.state, DueState::Forsenad);
}

#[test]
fn a_classification_is_due_twelve_months_after_its_decision() {
    let w = world();
    assert_eq!(kinds(&w.due(d(2026, 9, 20))), vec![(DueKind::Omklassning, DueState::Snart)]);
    let items = w.due(d(2026, 10, 16));
    assert_eq!(items[0].kind, DueKind::Omklassning);
    assert_eq!(items[0].state, DueState::Forsenad);
    assert_eq!(items[0].due_on, d(2026, 10, 15));
}

#[test]
fn an_unclassified_set_and_a_critical_system_without_analysis_are_overdue() {
    let mut w = world();
    w.classifications.clear();
    w.analyses.clear();
    let k = kinds(&w.due(d(2026, 3, 1)));
    assert!(k.contains(&(DueKind::KlassningSaknas, DueState::Forsenad)), "{k:?}");
    assert!(k.contains(&(DueKind::Riskanalys, DueState::Forsenad)), "{k:?}");
}

#[test]
fn a_yearly_analysis_of_a_critical_system_falls_due() {
    let w = world();
    let k = kinds(&w.due(d(2027, 1, 11)));
    assert!(k.contains(&(DueKind::Riskanalys, DueState::Forsenad)), "{k:?}");
    let mut not_critical = world();
    not_critical.systems[0].business_critical = false;
    assert!(!kinds(&not_critical.due(d(2027, 1, 11))).iter().any(|(k, _)| *k == DueKind::Riskanalys));
}

#[test]
fn overdue_actions_contracts_and_decisions_are_listed() {
    let mut w = world();
    let sys = w.systems[0].id;
    w.actions.push(Action {
        title: "Inför MFA".into(),
        system_id: Some(sys),
        due_on: Some(d(2026, 2, 1)),
        status: ActionStatus::Pagar,
        ..Default::default()
    });
    w.actions.push(Action {
        title: "Klar".into(),
        due_on: Some(d(2026, 2, 1)),
        status: ActionStatus::Genomford,
        completed_on: Some(d(2026, 1, 1)),
        ..Default::default()
    });
    w.systems[0].contract_end = Some(d(2026, 8, 1));
    w.decisions.push(Decision {
        title: "Driftgodkännande".into(),
        kind: DecisionKind::Driftgodkannande,
        state: DecisionState::Beslutad,
        version: 1,
        valid_until: Some(d(2026, 2, 28)),
        system_id: Some(sys),
        ..Default::default()
    });
    w.decisions.push(Decision {
        title: "Gammalt".into(),
        state: DecisionState::Ersatt,
        version: 1,
        valid_until: Some(d(2025, 1, 1)),
        ..Default::default()
    });
    let items = w.due(d(2026, 3, 1));
    assert_eq!(
        kinds(&items),
        vec![
            (DueKind::Atgard, DueState::Forsenad),
            (DueKind::Beslut, DueState::Forsenad),
            (DueKind::Avtal, DueState::Snart)
        ]
    );
    assert!(items[0].message.contains("2026-02-01"));
}

#[test]
fn information_added_after_the_latest_analysis_calls_for_a_re_examination() {
    let mut w = world();
    w.analyses[0].created_at = ts(d(2026, 1, 10));
    w.links[0].created_at = ts(d(2025, 12, 1));
    assert!(!kinds(&w.due(d(2026, 3, 1))).iter().any(|(k, _)| *k == DueKind::Omprovning));
    w.links.push(SystemInformationSet {
        system_id: w.systems[0].id,
        information_set_id: w.sets[0].id,
        created_at: ts(d(2026, 2, 20)),
        ..Default::default()
    });
    let items = w.due(d(2026, 3, 1));
    let item = items.iter().find(|i| i.kind == DueKind::Omprovning).expect("re-examination listed");
    assert_eq!(item.state, DueState::Snart);
    assert!(item.message.contains("Leverantörsfakturor"), "{}", item.message);
    assert!(w.due(d(2026, 4, 1)).iter().any(|i| i.kind == DueKind::Omprovning && i.state == DueState::Forsenad));
}

#[test]
fn a_phased_out_system_has_nothing_due() {
    let mut w = world();
    w.systems[0].lifecycle = Lifecycle::Avvecklad;
    w.systems[0].contract_end = Some(d(2026, 1, 1));
    assert_eq!(kinds(&w.due(d(2028, 1, 1))), vec![]);
}

#[test]
fn a_high_risk_must_be_treated_within_its_band_deadline() {
    let mut w = world();
    let analysis = w.analyses[0].id;
    let risk = Risk {
        id: RiskId(uuid::Uuid::from_u128(7)),
        analysis_id: analysis,
        title: "Intrång".into(),
        probability: 3,
        consequence: 4,
        ..Default::default()
    };
    w.risks.push(risk.clone());
    // Hög: 90 days from 2026-01-10 = 2026-04-10.
    let items = w.due(d(2026, 4, 11));
    assert!(
        items
            .iter()
            .any(|i| i.kind == DueKind::Riskbehandling && i.state == DueState::Forsenad && i.due_on == d(2026, 4, 10))
    );
    let action = Action {
        id: ActionId(uuid::Uuid::from_u128(8)),
        title: "Segmentera".into(),
        status: ActionStatus::Genomford,
        completed_on: Some(d(2026, 3, 1)),
        ..Default::default()
    };
    w.action_links.push(ActionLink { action_id: action.id, risk_id: Some(risk.id), ..Default::default() });
    w.actions.push(action);
    assert!(!w.due(d(2026, 4, 11)).iter().any(|i| i.kind == DueKind::Riskbehandling));
}

#[test]
fn register_gaps_are_overdue_items_placed_where_they_are_fixed() {
    let mut w = world();
    w.roles.clear();
    w.systems[0].rpo_hours = None;
    let items = w.due(d(2026, 3, 1));
    let gaps: Vec<_> = items.iter().filter(|i| i.kind == DueKind::Registerbrist).collect();
    assert_eq!(
        gaps.iter().map(|i| (i.gap, i.place)).collect::<Vec<_>>(),
        vec![
            (Some(GapKind::SystemagareSaknas), Place::Roller),
            (Some(GapKind::KontinuitetSaknas), Place::Fakta),
            (Some(GapKind::InformationsagareSaknas), Place::Information),
        ]
    );
    assert!(gaps.iter().all(|i| i.state == DueState::Forsenad && i.system_id == Some(w.systems[0].id)));
    assert_eq!(gaps[2].subject, "Leverantörsfakturor");
}

#[test]
fn a_requirement_assessment_is_due_again_after_twelve_months() {
    let mut w = world();
    let status = |day| RequirementStatus {
        system_id: w.systems[0].id,
        status: Compliance::Uppfyllt,
        assessed_on: Some(day),
        ..Default::default()
    };
    w.statuses = vec![
        status(d(2026, 2, 1)),
        status(d(2026, 5, 1)),
        RequirementStatus { assessed_on: None, ..status(d(2026, 1, 1)) },
    ];
    assert!(w.due(d(2026, 12, 1)).iter().all(|i| i.kind != DueKind::Kravuppfoljning));
    let items = w.due(d(2027, 2, 2));
    let item = items.iter().find(|i| i.kind == DueKind::Kravuppfoljning).unwrap();
    assert_eq!((item.state, item.due_on, item.place), (DueState::Forsenad, d(2027, 2, 1), Place::Krav));
    assert!(item.message.starts_with("1 kravbedömning är"), "{}", item.message);
}

#[test]
fn a_condition_is_its_own_item_and_is_named_when_the_approval_is_renewed() {
    let mut w = world();
    let decision = Decision {
        id: DecisionId(uuid::Uuid::from_u128(9)),
        kind: DecisionKind::Driftgodkannande,
        title: "Driftgodkännande".into(),
        system_id: Some(w.systems[0].id),
        version: 1,
        state: DecisionState::Beslutad,
        valid_until: Some(d(2026, 12, 1)),
        created_at: ts(d(2025, 12, 1)),
        ..Default::default()
    };
    w.actions.push(Action {
        title: "Inför MFA".into(),
        system_id: Some(w.systems[0].id),
        due_on: Some(d(2026, 6, 1)),
        decision_id: Some(decision.id),
        ..Default::default()
    });
    w.decisions.push(decision);
    let items = w.due(d(2026, 11, 20));
    let condition = items.iter().find(|i| i.kind == DueKind::Villkor).unwrap();
    assert_eq!((condition.state, condition.place), (DueState::Forsenad, Place::Atgarder));
    let renewal = items.iter().find(|i| i.kind == DueKind::Beslut).unwrap();
    assert!(
        renewal.message.ends_with("Villkor som inte är uppfyllda: Inför MFA (senast 2026-06-01)."),
        "{}",
        renewal.message
    );
    w.actions[0].status = ActionStatus::Genomford;
    w.actions[0].completed_on = Some(d(2026, 5, 20));
    let items = w.due(d(2026, 11, 20));
    assert!(items.iter().all(|i| i.kind != DueKind::Villkor));
    assert!(!items.iter().find(|i| i.kind == DueKind::Beslut).unwrap().message.contains("Villkor"));
}

#[test]
fn only_the_latest_analysis_of_a_system_has_risks_to_treat() {
    let mut w = world();
    let high = |analysis_id| Risk {
        analysis_id,
        title: "Intrång".into(),
        probability: 4,
        consequence: 4,
        ..Default::default()
    };
    let old = w.analyses[0].id;
    w.risks.push(high(old));
    let late = d(2026, 12, 1);
    assert!(w.due(late).iter().any(|i| i.kind == DueKind::Riskbehandling));
    let redo = RiskAnalysis {
        id: RiskAnalysisId(uuid::Uuid::from_u128(30)),
        analysed_on: d(2026, 11, 25),
        based_on: Some(old),
        ..w.analyses[0].clone()
    };
    w.analyses.push(redo);
    assert!(w.due(late).iter().all(|i| i.kind != DueKind::Riskbehandling), "the earlier analysis is replaced");
}

#[test]
fn an_analysis_still_going_on_does_not_yet_do_the_yearly_duty() {
    let mut w = world();
    let day = d(2027, 2, 1);
    let yearly = |w: &World| w.due(day).iter().any(|i| i.kind == DueKind::Riskanalys);
    assert!(yearly(&w), "the analysis of 2026-01-10 is more than a year old");
    let redo = RiskAnalysis {
        id: RiskAnalysisId(uuid::Uuid::from_u128(31)),
        analysed_on: d(2027, 1, 20),
        status: AnalysisStatus::Pagar,
        ..w.analyses[0].clone()
    };
    w.analyses.push(redo);
    assert!(yearly(&w), "a redo that is still going on");
    w.analyses.last_mut().unwrap().status = AnalysisStatus::Klar;
    assert!(!yearly(&w), "the redo finished");
}

/// An incident known Friday 27 November 2026 16:00, betydande, touching the world's system.
fn with_incident(w: &mut World) -> IncidentId {
    let id = IncidentId(uuid::Uuid::from_u128(900));
    w.incidents.push(Incident {
        id,
        title: "Intrång i Ekonomisystem".into(),
        known_at: Moment::parse("2026-11-27 16:00").unwrap(),
        significant: true,
        ..Default::default()
    });
    w.incident_links.push(IncidentLink::to(id, LinkTarget::System(w.systems[0].id)));
    id
}

#[test]
fn an_incidents_reports_are_due_with_hours_left_and_late_after_the_minute() {
    let mut w = world();
    let id = with_incident(&mut w);
    let at = |t: &str| due_items(&DueInput { now: Moment::parse(t).unwrap().at(), ..w.input(d(2026, 11, 28)) });
    let items = at("2026-11-28 13:30");
    let reports: Vec<&DueItem> = items.iter().filter(|i| i.kind == DueKind::Incidentrapport).collect();
    assert_eq!(reports.len(), 2, "the early warning and the notification; the final report waits");
    let warning = reports.iter().find(|i| i.message.starts_with("Tidig varning")).unwrap();
    assert_eq!((warning.state, warning.place), (DueState::Snart, Place::Incident));
    assert!(warning.message.contains("senast 2026-11-28 16:00 (2 h 30 min kvar)"), "{}", warning.message);
    assert_eq!(warning.subject_id, id.to_string());
    let late = at("2026-11-28 16:01");
    let warning = late.iter().find(|i| i.message.starts_with("Tidig varning")).unwrap();
    assert_eq!(warning.state, DueState::Forsenad);
    assert!(warning.message.contains("MISSAD sedan 1 min"), "{}", warning.message);
    // Sent: it leaves the list.
    w.incident_reports.push(IncidentReport {
        incident_id: id,
        kind: crate::incident::ReportKind::TidigVarning,
        sent_at: Moment::parse("2026-11-28 15:00").unwrap(),
        ..Default::default()
    });
    let sent =
        due_items(&DueInput { now: Moment::parse("2026-11-28 16:01").unwrap().at(), ..w.input(d(2026, 11, 28)) });
    assert!(!sent.iter().any(|i| i.message.starts_with("Tidig varning")));
}

#[test]
fn a_serious_incident_makes_a_new_risk_analysis_of_its_systems_due_until_one_is_done() {
    let mut w = world();
    with_incident(&mut w);
    let items = w.due(d(2026, 12, 1));
    let item = items.iter().find(|i| i.kind == DueKind::RiskanalysIncident).expect("due after the incident");
    assert_eq!((item.due_on, item.state, item.place), (d(2026, 12, 27), DueState::Snart, Place::Risker));
    assert_eq!(
        w.due(d(2026, 12, 28)).iter().find(|i| i.kind == DueKind::RiskanalysIncident).unwrap().state,
        DueState::Forsenad
    );
    // A finished analysis on or after the day it became known settles it.
    let mut redone = w.analyses[0].clone();
    redone.id = RiskAnalysisId(uuid::Uuid::from_u128(901));
    redone.analysed_on = d(2026, 11, 30);
    redone.status = AnalysisStatus::Klar;
    w.analyses.push(redone);
    assert!(!w.due(d(2026, 12, 1)).iter().any(|i| i.kind == DueKind::RiskanalysIncident));
    // Not serious: nothing.
    let mut w = world();
    with_incident(&mut w);
    w.incidents[0].significant = false;
    assert!(!w.due(d(2026, 12, 1)).iter().any(|i| i.kind == DueKind::RiskanalysIncident));
}

#[test]
fn a_control_is_due_an_interval_after_it_was_last_done_and_late_the_day_after() {
    let mut w = world();
    let sys = w.systems[0].id;
    let control = Control {
        id: ControlId(uuid::Uuid::from_u128(40)),
        title: "Behörighetsgranskning – Ekonomisystem".into(),
        system_id: Some(sys),
        interval_months: 12,
        first_due: d(2026, 3, 1),
        ..Default::default()
    };
    w.controls.push(control.clone());
    let of = |items: Vec<DueItem>| items.into_iter().filter(|i| i.kind == DueKind::Kontroll).collect::<Vec<_>>();
    // Never done: due at its first date, listed from 30 days before, late the day after.
    assert!(of(w.due(d(2026, 1, 29))).is_empty());
    assert_eq!(of(w.due(d(2026, 1, 30)))[0].state, DueState::Snart);
    let late = of(w.due(d(2026, 3, 2)));
    assert_eq!((late[0].state, late[0].due_on), (DueState::Forsenad, d(2026, 3, 1)));
    assert!(late[0].message.contains("aldrig gjord"), "{}", late[0].message);
    assert_eq!(late[0].place, Place::Kontroller);
    // Done: the next date is a year after the latest run.
    w.control_runs.push(ControlRun { control_id: control.id, done_on: d(2026, 3, 10), ..Default::default() });
    w.control_runs.push(ControlRun { control_id: control.id, done_on: d(2025, 3, 1), ..Default::default() });
    assert!(of(w.due(d(2026, 3, 11))).is_empty());
    let next = of(w.due(d(2027, 3, 11)));
    assert_eq!((next[0].state, next[0].due_on), (DueState::Forsenad, d(2027, 3, 10)));
    // A stopped control is not due.
    w.controls[0].ended_on = Some(d(2027, 1, 1));
    assert!(of(w.due(d(2027, 3, 11))).is_empty());
}

#[test]
fn an_exception_is_due_30_days_before_it_ends_and_after_it_until_the_requirement_is_met() {
    let mut w = world();
    let sys = w.systems[0].id;
    let requirement = RequirementId(uuid::Uuid::from_u128(50));
    w.requirements.push(Requirement { id: requirement, code: "K-06".into(), ..Default::default() });
    w.exceptions.push(Exception {
        id: ExceptionId(uuid::Uuid::from_u128(51)),
        system_id: sys,
        requirement_id: requirement,
        reason: "Leverantören saknar stöd för MFA".into(),
        approved_on: d(2026, 1, 1),
        valid_until: d(2026, 6, 30),
        ..Default::default()
    });
    let of = |items: Vec<DueItem>| items.into_iter().filter(|i| i.kind == DueKind::Avsteg).collect::<Vec<_>>();
    assert!(of(w.due(d(2026, 5, 30))).is_empty());
    let soon = of(w.due(d(2026, 5, 31)));
    assert_eq!(soon[0].state, DueState::Snart);
    assert!(soon[0].message.contains("K-06") && soon[0].message.contains("2026-06-30"), "{}", soon[0].message);
    let gone = of(w.due(d(2026, 7, 1)));
    assert_eq!(gone[0].state, DueState::Forsenad);
    assert!(gone[0].message.contains("brist igen"), "{}", gone[0].message);
    // Met since: nothing to do.
    w.statuses.push(RequirementStatus {
        system_id: sys,
        requirement_id: requirement,
        status: Compliance::Uppfyllt,
        assessed_on: Some(d(2026, 7, 2)),
        ..Default::default()
    });
    assert!(of(w.due(d(2026, 7, 3))).is_empty());
    // Renewed instead: the old one is not listed.
    w.statuses.clear();
    w.exceptions.push(Exception {
        id: ExceptionId(uuid::Uuid::from_u128(52)),
        valid_until: d(2027, 6, 30),
        ..w.exceptions[0].clone()
    });
    assert!(of(w.due(d(2026, 7, 3))).is_empty());
    // The renewal withdrawn: the first one's end is news again.
    w.exceptions[1].withdrawn_on = Some(d(2026, 7, 2));
    assert_eq!(of(w.due(d(2026, 7, 3)))[0].state, DueState::Forsenad);
}
