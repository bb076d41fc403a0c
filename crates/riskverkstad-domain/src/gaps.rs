//! Register gaps (brister i registret): what the register must say about a system and does
//! not, each with a Swedish explanation and the place in the app where it is fixed. A pure
//! function of the records and `today`; the yearly cycle, the Översikt and the lägesbild show
//! the same list.

use crate::ids::{ForvaltningId, InformationSetId, SystemId, add_months};
use crate::model::*;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

text_enum! {
    /// The kinds of register gap.
    pub enum GapKind {
        /// A system in use without a systemägare.
        SystemagareSaknas = "systemagare_saknas" / "Systemägare saknas",
        /// An information set without an informationsägare.
        InformationsagareSaknas = "informationsagare_saknas" / "Informationsägare saknas",
        /// A system in use that holds no information set, so it cannot be classified.
        InformationSaknas = "information_saknas" / "Informationsmängder saknas",
        /// Personal data, and whether a DPIA was made is not answered.
        DpiaObesvarad = "dpia_obesvarad" / "Konsekvensbedömning (DPIA) obesvarad",
        /// Personal data, and whether a processor agreement exists is not answered.
        BitradesavtalObesvarat = "bitradesavtal_obesvarat" / "Personuppgiftsbiträdesavtal obesvarat",
        /// A critical system without RTO or RPO.
        KontinuitetSaknas = "kontinuitet_saknas" / "RTO/RPO saknas",
        /// A critical system whose restore has not been tested in the last 12 months.
        AterlasningEjTestad = "aterlasning_ej_testad" / "Återläsning ej testad",
        /// A samhällsviktigt or critical system without a systemsäkerhetsplan.
        SystemsakerhetsplanSaknas = "systemsakerhetsplan_saknas" / "Systemsäkerhetsplan saknas",
    }
}

text_enum! {
    /// Where in the app a thing is done: the tabs of a system's page, and the settings.
    pub enum Place {
        /// The system's facts.
        Fakta = "fakta" / "Fakta",
        /// Who holds which role.
        Roller = "roller" / "Roller",
        /// Information sets and their classification.
        Information = "information" / "Information och klassning",
        /// Requirements and how they are met.
        Krav = "krav" / "Krav",
        /// Risk analyses.
        Risker = "risker" / "Risker",
        /// Actions.
        Atgarder = "atgarder" / "Åtgärder",
        /// Decisions.
        Beslut = "beslut" / "Beslut",
        /// Settings → security (backups).
        Sakerhet = "sakerhet" / "Inställningar – säkerhet",
        /// The incident's own page.
        Incident = "incident" / "Incidenten",
        /// Recurring controls, exceptions and the systemsäkerhetsplan.
        Kontroller = "kontroller" / "Kontroller och avsteg",
    }
}

/// One gap in the register.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// What is missing.
    pub kind: GapKind,
    /// The system concerned.
    pub system_id: SystemId,
    /// Its name.
    pub system: String,
    /// The information set concerned, for a gap of an information set.
    pub information_set_id: Option<InformationSetId>,
    /// The förvaltning concerned.
    pub forvaltning_id: ForvaltningId,
    /// The name of what is missing something (the system or the information set).
    pub subject: String,
    /// Since when it has been missing (when the record was made).
    pub since: NaiveDate,
    /// What is missing and how to fix it, in Swedish.
    pub message: String,
    /// Where it is fixed.
    pub place: Place,
}

/// How many gaps of one kind there are.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GapCount {
    /// The kind.
    pub kind: GapKind,
    /// How many.
    pub count: u32,
}

/// The gaps counted per kind, in the kinds' order; kinds without a gap are left out.
pub fn count_gaps<'g>(gaps: impl IntoIterator<Item = &'g Gap>) -> Vec<GapCount> {
    let mut counts = vec![0u32; GapKind::ALL.len()];
    for g in gaps {
        if let Some(i) = GapKind::ALL.iter().position(|k| *k == g.kind) {
            counts[i] += 1;
        }
    }
    GapKind::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(kind, count)| GapCount { kind: *kind, count })
        .collect()
}

/// Everything the gaps are computed from.
pub struct GapInput<'a> {
    /// Today (a restore test older than 12 months is a gap).
    pub today: NaiveDate,
    /// Systems.
    pub systems: &'a [System],
    /// Information sets.
    pub information_sets: &'a [InformationSet],
    /// Links between systems and information sets.
    pub system_sets: &'a [SystemInformationSet],
    /// Who holds which role.
    pub roles: &'a [RoleAssignment],
    /// Decisions (a systemsäkerhetsplan is one).
    pub decisions: &'a [Decision],
}

impl System {
    /// In use or on its way into or out of use: everything but planned and phased out. Such a
    /// system must have its owner, its information and its answers in the register.
    pub fn in_use(&self) -> bool {
        !matches!(self.lifecycle, Lifecycle::Planerad | Lifecycle::Avvecklad)
    }
}

/// The register's gaps, by system name, then kind.
pub fn register_gaps(input: &GapInput<'_>) -> Vec<Gap> {
    let owners: HashSet<SystemId> =
        input.roles.iter().filter(|r| r.role == Role::Systemagare).filter_map(|r| r.system_id).collect();
    let set_owners: HashSet<InformationSetId> =
        input.roles.iter().filter(|r| r.role == Role::Informationsagare).filter_map(|r| r.information_set_id).collect();
    let sets: HashMap<InformationSetId, &InformationSet> = input.information_sets.iter().map(|s| (s.id, s)).collect();
    let mut sets_of: HashMap<SystemId, Vec<&InformationSet>> = HashMap::new();
    for link in input.system_sets {
        if let Some(set) = sets.get(&link.information_set_id) {
            sets_of.entry(link.system_id).or_default().push(set);
        }
    }
    let planned: HashSet<SystemId> = input
        .decisions
        .iter()
        .filter(|d| d.kind == DecisionKind::Systemsakerhetsplan && d.state == DecisionState::Beslutad)
        .filter_map(|d| d.system_id)
        .collect();
    let mut out = Vec::new();
    let mut seen_sets = HashSet::new();
    for s in input.systems.iter().filter(|s| s.in_use()) {
        let gap = |kind: GapKind, place: Place, message: String| Gap {
            kind,
            system_id: s.id,
            system: s.name.clone(),
            information_set_id: None,
            forvaltning_id: s.forvaltning_id,
            subject: s.name.clone(),
            since: s.created_at.date(),
            message,
            place,
        };
        if !owners.contains(&s.id) {
            out.push(gap(
                GapKind::SystemagareSaknas,
                Place::Roller,
                format!("«{}» används men har ingen systemägare: utse en under Roller.", s.name),
            ));
        }
        let held = sets_of.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
        if held.is_empty() {
            out.push(gap(
                GapKind::InformationSaknas,
                Place::Information,
                format!(
                    "«{}» har ingen informationsmängd, så den kan inte klassas: lägg till informationen systemet hanterar.",
                    s.name
                ),
            ));
        }
        for set in held.iter().filter(|set| !set_owners.contains(&set.id)) {
            // An information set held by several systems is one gap, named under the first.
            if seen_sets.insert(set.id) {
                out.push(Gap {
                    information_set_id: Some(set.id),
                    subject: set.name.clone(),
                    since: set.created_at.date(),
                    ..gap(
                        GapKind::InformationsagareSaknas,
                        Place::Information,
                        format!(
                            "Informationsmängden «{}» i «{}» har ingen informationsägare, som ska fastställa klassningen: utse en.",
                            set.name, s.name
                        ),
                    )
                });
            }
        }
        if s.personal_data == Some(true) {
            if s.dpia_done.is_none() {
                out.push(gap(
                    GapKind::DpiaObesvarad,
                    Place::Fakta,
                    format!(
                        "«{}» har personuppgifter men det är inte besvarat om en konsekvensbedömning (DPIA) är gjord.",
                        s.name
                    ),
                ));
            }
            if s.processor_agreement.is_none() {
                out.push(gap(
                    GapKind::BitradesavtalObesvarat,
                    Place::Fakta,
                    format!(
                        "«{}» har personuppgifter men det är inte besvarat om det finns ett personuppgiftsbiträdesavtal.",
                        s.name
                    ),
                ));
            }
        }
        if s.is_critical() {
            if s.rto_hours.is_none() || s.rpo_hours.is_none() {
                out.push(gap(
                    GapKind::KontinuitetSaknas,
                    Place::Fakta,
                    format!(
                        "«{}» är kritiskt men saknar {}: ange hur länge systemet får vara nere och hur mycket data som får gå förlorad.",
                        s.name,
                        match (s.rto_hours, s.rpo_hours) {
                            (None, None) => "RTO och RPO",
                            (None, _) => "RTO",
                            _ => "RPO",
                        }
                    ),
                ));
            }
            match s.restore_tested_on {
                None => out.push(gap(
                    GapKind::AterlasningEjTestad,
                    Place::Fakta,
                    format!("«{}» är kritiskt men återläsning från säkerhetskopia har aldrig testats.", s.name),
                )),
                Some(t) if add_months(t, 12) < input.today => out.push(Gap {
                    since: add_months(t, 12),
                    ..gap(
                        GapKind::AterlasningEjTestad,
                        Place::Fakta,
                        format!("«{}» är kritiskt och återläsning testades senast {t}: testa igen (årligen).", s.name),
                    )
                }),
                Some(_) => {}
            }
        }
        // A plan made here, or one the register says exists (imported, kept elsewhere).
        if (s.samhallsviktig || s.is_critical()) && !planned.contains(&s.id) && s.system_security_plan != Some(true) {
            out.push(gap(
                GapKind::SystemsakerhetsplanSaknas,
                Place::Kontroller,
                format!(
                    "«{}» är {} men har ingen systemsäkerhetsplan: skriv planens texter och ta fram planen under Kontroller och avsteg.",
                    s.name,
                    if s.samhallsviktig { "samhällsviktigt" } else { "kritiskt" }
                ),
            ));
        }
    }
    out.sort_by(|a, b| (&a.system, a.kind, &a.subject).cmp(&(&b.system, b.kind, &b.subject)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn system(n: u128, lifecycle: Lifecycle) -> System {
        System {
            id: SystemId(uuid::Uuid::from_u128(n)),
            name: format!("System {n}"),
            lifecycle,
            created_at: Timestamp(d(2025, 1, 1).and_hms_opt(8, 0, 0).unwrap().and_utc()),
            ..Default::default()
        }
    }

    fn kinds(gaps: &[Gap], s: &System) -> Vec<GapKind> {
        gaps.iter().filter(|g| g.system_id == s.id).map(|g| g.kind).collect()
    }

    #[test]
    fn each_rule_fires_on_what_is_missing_and_stops_when_it_is_filled_in() {
        let mut critical = System {
            business_critical: true,
            personal_data: Some(true),
            rto_hours: Some(4),
            ..system(1, Lifecycle::IDrift)
        };
        let planned = system(2, Lifecycle::Planerad);
        let set = InformationSet {
            id: InformationSetId(uuid::Uuid::from_u128(10)),
            name: "Journaler".into(),
            ..Default::default()
        };
        let link = SystemInformationSet { system_id: critical.id, information_set_id: set.id, ..Default::default() };
        let today = d(2026, 11, 30);
        let gaps_of = |systems: &[System], roles: &[RoleAssignment]| {
            register_gaps(&GapInput {
                today,
                systems,
                information_sets: std::slice::from_ref(&set),
                system_sets: std::slice::from_ref(&link),
                roles,
                decisions: &[],
            })
        };
        let gaps = gaps_of(&[critical.clone(), planned.clone()], &[]);
        assert_eq!(
            kinds(&gaps, &critical),
            vec![
                GapKind::SystemagareSaknas,
                GapKind::InformationsagareSaknas,
                GapKind::DpiaObesvarad,
                GapKind::BitradesavtalObesvarat,
                GapKind::KontinuitetSaknas,
                GapKind::AterlasningEjTestad,
                GapKind::SystemsakerhetsplanSaknas,
            ]
        );
        let plan = gaps.iter().find(|g| g.kind == GapKind::SystemsakerhetsplanSaknas).unwrap();
        assert_eq!(plan.place, Place::Kontroller);
        // A plan made here closes it; so does the register's answer that one exists; a plan
        // that was superseded does not count by itself.
        let made = Decision {
            kind: DecisionKind::Systemsakerhetsplan,
            system_id: Some(critical.id),
            state: DecisionState::Beslutad,
            ..Default::default()
        };
        let with = |decisions: &[Decision], s: &System| {
            kinds(
                &register_gaps(&GapInput {
                    today,
                    systems: std::slice::from_ref(s),
                    information_sets: std::slice::from_ref(&set),
                    system_sets: std::slice::from_ref(&link),
                    roles: &[],
                    decisions,
                }),
                s,
            )
        };
        assert!(!with(std::slice::from_ref(&made), &critical).contains(&GapKind::SystemsakerhetsplanSaknas));
        let old = Decision { state: DecisionState::Ersatt, ..made };
        assert!(with(std::slice::from_ref(&old), &critical).contains(&GapKind::SystemsakerhetsplanSaknas));
        let answered = System { system_security_plan: Some(true), ..critical.clone() };
        assert!(!with(&[], &answered).contains(&GapKind::SystemsakerhetsplanSaknas));
        critical.system_security_plan = Some(true);
        assert!(kinds(&gaps, &planned).is_empty(), "a planned system has no duties yet");
        let rpo = gaps.iter().find(|g| g.kind == GapKind::KontinuitetSaknas).unwrap();
        assert!(rpo.message.contains("saknar RPO"), "{}", rpo.message);
        assert_eq!(gaps.iter().find(|g| g.kind == GapKind::InformationsagareSaknas).unwrap().place, Place::Information);

        let owner = RoleAssignment { role: Role::Systemagare, system_id: Some(critical.id), ..Default::default() };
        let set_owner =
            RoleAssignment { role: Role::Informationsagare, information_set_id: Some(set.id), ..Default::default() };
        critical.dpia_done = Some(false);
        critical.processor_agreement = Some(true);
        critical.rpo_hours = Some(24);
        critical.restore_tested_on = Some(d(2026, 3, 1));
        assert!(
            kinds(&gaps_of(std::slice::from_ref(&critical), &[owner.clone(), set_owner.clone()]), &critical).is_empty()
        );

        // A restore test goes stale after a year; a system with no information is a gap.
        critical.restore_tested_on = Some(d(2025, 11, 1));
        let stale = gaps_of(std::slice::from_ref(&critical), &[owner, set_owner]);
        assert_eq!(kinds(&stale, &critical), vec![GapKind::AterlasningEjTestad]);
        assert_eq!(stale[0].since, d(2026, 11, 1));
        let bare = system(3, Lifecycle::UnderInforande);
        let g = register_gaps(&GapInput {
            today,
            systems: std::slice::from_ref(&bare),
            information_sets: &[],
            system_sets: &[],
            roles: &[],
            decisions: &[],
        });
        assert_eq!(kinds(&g, &bare), vec![GapKind::SystemagareSaknas, GapKind::InformationSaknas]);
    }
}
