//! The yearly cycle (årshjul): what is due or overdue. A pure function of the records and
//! `today`.

use crate::ids::{ForvaltningId, SystemId, add_months};
use crate::method::Method;
use crate::model::*;
use crate::profile::current_classification;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// How far ahead "snart" reaches for reviews and decisions.
pub const SOON_DAYS: i64 = 30;
/// How far ahead an ending contract is listed.
pub const CONTRACT_MONTHS: i32 = 6;

text_enum! {
    /// What kind of item is due.
    pub enum DueKind {
        /// An information set has no classification.
        KlassningSaknas = "klassning_saknas" / "Klassning saknas",
        /// A classification is older than 12 months.
        Omklassning = "omklassning" / "Årlig översyn av klassning",
        /// A critical system's risk analysis is older than 12 months, or missing.
        Riskanalys = "riskanalys" / "Årlig riskanalys",
        /// An action is past its due date.
        Atgard = "atgard" / "Åtgärd",
        /// A contract ends within 6 months.
        Avtal = "avtal" / "Avtal löper ut",
        /// A decision's validity has run out.
        Beslut = "beslut" / "Beslut behöver förnyas",
        /// A system's yearly review is due.
        Systemoversyn = "systemoversyn" / "Översyn av systemet",
        /// A risk not treated within its band's deadline.
        Riskbehandling = "riskbehandling" / "Riskbehandling",
        /// Information was added to a system after its latest risk analysis or decision.
        Omprovning = "omprovning" / "Omprövning efter ny information",
        /// No backup has been verified or restored here in the last 12 months.
        Aterlasningstest = "aterlasningstest" / "Test av återläsning",
    }
}

text_enum! {
    /// Overdue, or due soon.
    pub enum DueState {
        /// Past its date.
        Forsenad = "forsenad" / "Försenad",
        /// Due within the window.
        Snart = "snart" / "Snart aktuell",
    }
}

/// One item of the yearly cycle.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueItem {
    /// What kind.
    pub kind: DueKind,
    /// Overdue or due soon.
    pub state: DueState,
    /// The date it is or was due.
    pub due_on: NaiveDate,
    /// The id of the record concerned.
    pub subject_id: String,
    /// The name of the record concerned.
    pub subject: String,
    /// The system concerned, if any.
    pub system_id: Option<SystemId>,
    /// The förvaltning concerned, if known.
    pub forvaltning_id: Option<ForvaltningId>,
    /// What to do, in Swedish.
    pub message: String,
}

/// Everything the yearly cycle is computed from.
pub struct DueInput<'a> {
    /// Today.
    pub today: NaiveDate,
    /// The method in force.
    pub method: &'a Method,
    /// Systems.
    pub systems: &'a [System],
    /// Information sets.
    pub information_sets: &'a [InformationSet],
    /// Links between systems and information sets.
    pub system_sets: &'a [SystemInformationSet],
    /// Classifications.
    pub classifications: &'a [Classification],
    /// Risk analyses.
    pub analyses: &'a [RiskAnalysis],
    /// Risks.
    pub risks: &'a [Risk],
    /// Actions.
    pub actions: &'a [Action],
    /// Links from actions to risks and requirements.
    pub action_links: &'a [ActionLink],
    /// Decisions.
    pub decisions: &'a [Decision],
}

/// The yearly restore test of this installation's backups: due 12 months after the last
/// verification or restore (`tested`), and at once (from `since`, when the database was
/// created) when there has been none. Pure.
pub fn restore_test(
    today: NaiveDate,
    tested: Option<NaiveDate>,
    since: NaiveDate,
    installation: &str,
) -> Option<DueItem> {
    let due = tested.map(|t| add_months(t, 12)).unwrap_or(since);
    let st = state(today, due, Duration::days(SOON_DAYS))?;
    Some(DueItem {
        kind: DueKind::Aterlasningstest,
        state: st,
        due_on: due,
        subject_id: String::new(),
        subject: installation.to_string(),
        system_id: None,
        forvaltning_id: None,
        message: match tested {
            Some(t) => format!(
                "Återläsning av säkerhetskopia ej testad senaste 12 månaderna (senast {t}): kontrollera säkerhetskopiorna eller återställ en."
            ),
            None => "Återläsning av säkerhetskopia ej testad senaste 12 månaderna: kontrollera säkerhetskopiorna (riskverkstad backup verify) eller återställ en.".to_string(),
        },
    })
}

fn state(today: NaiveDate, due: NaiveDate, window: Duration) -> Option<DueState> {
    if due < today {
        Some(DueState::Forsenad)
    } else if due <= today + window {
        Some(DueState::Snart)
    } else {
        None
    }
}

/// What is due or overdue, overdue first, then by date.
pub fn due_items(input: &DueInput<'_>) -> Vec<DueItem> {
    let today = input.today;
    let soon = Duration::days(SOON_DAYS);
    let mut out = Vec::new();
    let systems: HashMap<SystemId, &System> = input.systems.iter().map(|s| (s.id, s)).collect();
    let active = |s: &System| s.lifecycle != Lifecycle::Avvecklad;

    // Classifications: every information set held by a system still in use.
    let mut by_set: HashMap<_, Vec<&Classification>> = HashMap::new();
    for c in input.classifications {
        by_set.entry(c.information_set_id).or_default().push(c);
    }
    let mut set_system: HashMap<_, &System> = HashMap::new();
    for link in input.system_sets {
        if let Some(s) = systems.get(&link.system_id).filter(|s| active(s)) {
            set_system.entry(link.information_set_id).or_insert(s);
        }
    }
    for set in input.information_sets {
        let Some(system) = set_system.get(&set.id) else { continue };
        let base = DueItem {
            kind: DueKind::KlassningSaknas,
            state: DueState::Forsenad,
            due_on: set.created_at.date(),
            subject_id: set.id.to_string(),
            subject: set.name.clone(),
            system_id: Some(system.id),
            forvaltning_id: set.forvaltning_id.or(Some(system.forvaltning_id)),
            message: String::new(),
        };
        match current_classification(by_set.get(&set.id).into_iter().flatten().copied()) {
            None => out.push(DueItem { message: format!("Klassa informationsmängden \"{}\".", set.name), ..base }),
            Some(c) => {
                let due = c.valid_until();
                if let Some(st) = state(today, due, soon) {
                    out.push(DueItem {
                        kind: DueKind::Omklassning,
                        state: st,
                        due_on: due,
                        message: format!("Klassningen från {} gäller i 12 månader: se över den.", c.valid_from()),
                        ..base
                    });
                }
            }
        }
    }

    // Risk analyses of critical systems, yearly.
    let mut latest_analysis: HashMap<SystemId, NaiveDate> = HashMap::new();
    for a in input.analyses {
        if let Some(s) = a.system_id {
            let e = latest_analysis.entry(s).or_insert(a.analysed_on);
            *e = (*e).max(a.analysed_on);
        }
    }
    for s in input.systems.iter().filter(|s| active(s) && s.is_critical()) {
        let (due, message) = match latest_analysis.get(&s.id) {
            Some(d) => (add_months(*d, 12), format!("Riskanalysen från {d} ska göras om årligen för kritiska system.")),
            None => (s.created_at.date(), "Kritiskt system utan riskanalys: genomför en riskanalys.".to_string()),
        };
        if let Some(st) = state(today, due, soon) {
            out.push(DueItem {
                kind: DueKind::Riskanalys,
                state: st,
                due_on: due,
                subject_id: s.id.to_string(),
                subject: s.name.clone(),
                system_id: Some(s.id),
                forvaltning_id: Some(s.forvaltning_id),
                message,
            });
        }
    }

    // Actions past (or near) their due date.
    for a in input.actions.iter().filter(|a| a.status.is_open()) {
        let Some(due) = a.due_on else { continue };
        if let Some(st) = state(today, due, Duration::days(14)) {
            let system = a.system_id.and_then(|s| systems.get(&s));
            out.push(DueItem {
                kind: DueKind::Atgard,
                state: st,
                due_on: due,
                subject_id: a.id.to_string(),
                subject: a.title.clone(),
                system_id: a.system_id,
                forvaltning_id: system.map(|s| s.forvaltning_id),
                message: match st {
                    DueState::Forsenad => format!("Åtgärden skulle ha varit klar {due}."),
                    DueState::Snart => format!("Åtgärden ska vara klar {due}."),
                },
            });
        }
    }

    // Contracts ending within six months.
    for s in input.systems.iter().filter(|s| active(s)) {
        let Some(end) = s.contract_end else { continue };
        if end <= add_months(today, CONTRACT_MONTHS) {
            let st = if end < today { DueState::Forsenad } else { DueState::Snart };
            out.push(DueItem {
                kind: DueKind::Avtal,
                state: st,
                due_on: end,
                subject_id: s.id.to_string(),
                subject: s.name.clone(),
                system_id: Some(s.id),
                forvaltning_id: Some(s.forvaltning_id),
                message: match st {
                    DueState::Forsenad => format!("Avtalet löpte ut {end}: förläng, upphandla eller avveckla."),
                    DueState::Snart => format!(
                        "Avtalet löper ut {end}: planera förlängning eller upphandling (tänk på uppsägningstiden)."
                    ),
                },
            });
        }
    }

    // Decisions whose validity has run out (only the version in force).
    for d in input.decisions.iter().filter(|d| d.state == DecisionState::Beslutad) {
        let Some(until) = d.valid_until else { continue };
        if let Some(st) = state(today, until, soon) {
            let system = d.system_id.and_then(|s| systems.get(&s));
            if system.is_some_and(|s| !active(s)) {
                continue;
            }
            out.push(DueItem {
                kind: DueKind::Beslut,
                state: st,
                due_on: until,
                subject_id: d.id.to_string(),
                subject: d.title.clone(),
                system_id: d.system_id,
                forvaltning_id: d.forvaltning_id.or(system.map(|s| s.forvaltning_id)),
                message: format!(
                    "{} version {} gäller till {until}: ta fram ett nytt beslutsunderlag.",
                    d.kind.label(),
                    d.version
                ),
            });
        }
    }

    // Yearly review of systems in operation.
    for s in input.systems.iter().filter(|s| s.lifecycle == Lifecycle::IDrift) {
        let (due, message) = match s.last_review_on {
            Some(d) => (add_months(d, 12), format!("Senaste översynen av systemet gjordes {d}.")),
            None => (s.created_at.date(), "Systemet har aldrig setts över: gå igenom registeruppgifterna.".to_string()),
        };
        if let Some(st) = state(today, due, soon) {
            out.push(DueItem {
                kind: DueKind::Systemoversyn,
                state: st,
                due_on: due,
                subject_id: s.id.to_string(),
                subject: s.name.clone(),
                system_id: Some(s.id),
                forvaltning_id: Some(s.forvaltning_id),
                message,
            });
        }
    }

    // Information added to a system after its latest risk analysis or decision was recorded:
    // the system must be re-examined (compared by when the records were written).
    let mut latest_examination: HashMap<SystemId, crate::ids::Timestamp> = HashMap::new();
    let examinations = input.analyses.iter().filter_map(|a| a.system_id.map(|s| (s, a.created_at))).chain(
        input
            .decisions
            .iter()
            .filter(|d| d.state == DecisionState::Beslutad)
            .filter_map(|d| d.system_id.map(|s| (s, d.created_at))),
    );
    for (s, at) in examinations {
        let e = latest_examination.entry(s).or_insert(at);
        *e = (*e).max(at);
    }
    let sets: HashMap<_, &InformationSet> = input.information_sets.iter().map(|s| (s.id, s)).collect();
    let mut newest_link: HashMap<SystemId, &SystemInformationSet> = HashMap::new();
    for link in input.system_sets {
        let newer = newest_link.get(&link.system_id).is_none_or(|l| l.created_at < link.created_at);
        if newer {
            newest_link.insert(link.system_id, link);
        }
    }
    for (system_id, link) in newest_link {
        let (Some(system), Some(examined)) = (systems.get(&system_id), latest_examination.get(&system_id)) else {
            continue;
        };
        if !active(system) || link.created_at <= *examined {
            continue;
        }
        let added = link.created_at.date();
        let due = added + soon;
        let st = if due < today { DueState::Forsenad } else { DueState::Snart };
        let set_name = sets.get(&link.information_set_id).map(|s| s.name.as_str()).unwrap_or("");
        out.push(DueItem {
            kind: DueKind::Omprovning,
            state: st,
            due_on: due,
            subject_id: system.id.to_string(),
            subject: system.name.clone(),
            system_id: Some(system.id),
            forvaltning_id: Some(system.forvaltning_id),
            message: format!("Informationsmängden \"{set_name}\" lades till {added}: pröva om klassning, riskanalys och driftgodkännande."),
        });
    }

    // Risks not treated within their band's deadline.
    let analyses: HashMap<_, &RiskAnalysis> = input.analyses.iter().map(|a| (a.id, a)).collect();
    let actions: HashMap<_, &Action> = input.actions.iter().map(|a| (a.id, a)).collect();
    let mut risk_actions: HashMap<_, Vec<&Action>> = HashMap::new();
    for l in input.action_links {
        if let (Some(r), Some(a)) = (l.risk_id, actions.get(&l.action_id)) {
            risk_actions.entry(r).or_default().push(a);
        }
    }
    for r in input.risks {
        let Some(analysis) = analyses.get(&r.analysis_id) else { continue };
        let system = analysis.system_id.and_then(|s| systems.get(&s));
        if system.is_some_and(|s| !active(s)) {
            continue;
        }
        let Some(level) = crate::risk::inherent(&input.method.risk_matrix, r) else { continue };
        let Some(days) = input.method.risk_matrix.bands[level.band_index].acceptance.treat_within_days else {
            continue;
        };
        let linked = risk_actions.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
        let treated = r.accepted_by.is_some()
            || matches!(r.treatment, Some(Treatment::Undvika | Treatment::Overfora))
            || (!linked.is_empty() && linked.iter().all(|a| a.status == ActionStatus::Genomford));
        if treated {
            continue;
        }
        let due = analysis.analysed_on + Duration::days(days as i64);
        if let Some(st) = state(today, due, soon) {
            out.push(DueItem {
                kind: DueKind::Riskbehandling,
                state: st,
                due_on: due,
                subject_id: r.id.to_string(),
                subject: r.title.clone(),
                system_id: analysis.system_id,
                forvaltning_id: system.map(|s| s.forvaltning_id),
                message: format!(
                    "Risk i bandet {} ska vara åtgärdad eller accepterad inom {days} dagar från analysen ({}).",
                    level.band_name, analysis.analysed_on
                ),
            });
        }
    }

    out.sort_by(|a, b| (a.state, a.due_on, &a.subject).cmp(&(b.state, b.due_on, &b.subject)));
    out
}

#[cfg(test)]
mod tests {
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
    }

    impl World {
        fn due(&self, today: NaiveDate) -> Vec<DueItem> {
            due_items(&DueInput {
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
            })
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
            ..Default::default()
        };
        let set = InformationSet {
            id: InformationSetId(uuid::Uuid::from_u128(2)),
            name: "Leverantörsfakturor".into(),
            created_at: ts(d(2024, 1, 1)),
            ..Default::default()
        };
        let link = SystemInformationSet { system_id: sys.id, information_set_id: set.id, ..Default::default() };
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
            items.iter().any(|i| i.kind == DueKind::Riskbehandling
                && i.state == DueState::Forsenad
                && i.due_on == d(2026, 4, 10))
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
}
