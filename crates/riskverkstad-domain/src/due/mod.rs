//! The yearly cycle (årshjul): what is due or overdue. A pure function of the records and
//! `today`.

use crate::gaps::{GapInput, GapKind, Place, register_gaps};
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
        /// A system's requirement assessments are older than 12 months.
        Kravuppfoljning = "kravuppfoljning" / "Kravuppföljning",
        /// A condition of a driftgodkännande is past (or near) its date.
        Villkor = "villkor" / "Villkor i driftgodkännande",
        /// The register lacks something it must say (see [`crate::gaps`]).
        Registerbrist = "registerbrist" / "Brist i registret",
        /// A report of an incident is due within hours (cybersäkerhetslagen, GDPR), or late.
        Incidentrapport = "incidentrapport" / "Incidentrapport",
        /// A serious incident makes a new risk analysis of the affected systems due.
        RiskanalysIncident = "riskanalys_incident" / "Riskanalys efter allvarlig incident",
        /// A recurring control is due (or late): one interval after it was last done.
        Kontroll = "kontroll" / "Kontrollmoment",
        /// An exception from a requirement ends within 30 days, or ended with the gap back.
        Avsteg = "avsteg" / "Avsteg löper ut",
    }
}

impl DueKind {
    /// Where in the app the item is dealt with.
    pub fn place(self) -> Place {
        match self {
            DueKind::KlassningSaknas | DueKind::Omklassning | DueKind::Omprovning => Place::Information,
            DueKind::Riskanalys | DueKind::Riskbehandling | DueKind::RiskanalysIncident => Place::Risker,
            DueKind::Incidentrapport => Place::Incident,
            DueKind::Atgard | DueKind::Villkor => Place::Atgarder,
            DueKind::Avtal | DueKind::Systemoversyn | DueKind::Registerbrist => Place::Fakta,
            DueKind::Beslut => Place::Beslut,
            DueKind::Aterlasningstest => Place::Sakerhet,
            DueKind::Kravuppfoljning => Place::Krav,
            DueKind::Kontroll | DueKind::Avsteg => Place::Kontroller,
        }
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
    /// Where in the app it is dealt with.
    pub place: Place,
    /// The kind of register gap, for a [`DueKind::Registerbrist`].
    pub gap: Option<GapKind>,
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
    /// Who holds which role.
    pub roles: &'a [RoleAssignment],
    /// Every system's status against the requirements.
    pub requirement_statuses: &'a [RequirementStatus],
    /// The instant an incident's clocks are read at (Swedish time).
    pub now: chrono::DateTime<chrono::FixedOffset>,
    /// Incidents.
    pub incidents: &'a [Incident],
    /// What incidents touched.
    pub incident_links: &'a [IncidentLink],
    /// The reports of incidents that were sent.
    pub incident_reports: &'a [IncidentReport],
    /// The requirement catalogue (for an exception's code).
    pub requirements: &'a [Requirement],
    /// Recurring controls.
    pub controls: &'a [Control],
    /// The times controls were done.
    pub control_runs: &'a [ControlRun],
    /// Exceptions from requirements.
    pub exceptions: &'a [Exception],
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
        place: Place::Sakerhet,
        gap: None,
        message: match tested {
            Some(t) => format!(
                "Återläsning av säkerhetskopia ej testad senaste 12 månaderna (senast {t}): kontrollera säkerhetskopiorna eller återställ en."
            ),
            None => "Återläsning av säkerhetskopia ej testad senaste 12 månaderna: kontrollera säkerhetskopiorna (riskverkstad backup verify) eller återställ en.".to_string(),
        },
    })
}

/// Late once `due` has passed, due soon within `window` before it, else nothing yet.
pub fn state(today: NaiveDate, due: NaiveDate, window: Duration) -> Option<DueState> {
    if due < today {
        Some(DueState::Forsenad)
    } else if due <= today + window {
        Some(DueState::Snart)
    } else {
        None
    }
}

/// What is due or overdue, overdue first, then by date: each kind of duty is one step.
pub fn due_items(input: &DueInput<'_>) -> Vec<DueItem> {
    let c = Context {
        input,
        today: input.today,
        soon: Duration::days(SOON_DAYS),
        systems: input.systems.iter().map(|s| (s.id, s)).collect(),
    };
    let mut out = Vec::new();
    let steps: [Step; 14] = [
        classifications,
        risk_analyses,
        actions,
        contracts,
        decisions,
        reviews,
        re_examinations,
        risk_treatment,
        requirement_reviews,
        gaps,
        incident_reports,
        incident_analyses,
        controls,
        exceptions,
    ];
    for step in steps {
        step(&c, &mut out);
    }
    out.sort_by(|a, b| (a.state, a.due_on, &a.subject).cmp(&(b.state, b.due_on, &b.subject)));
    out
}

/// One kind of duty: what of it is due, appended to the list.
type Step = fn(&Context<'_>, &mut Vec<DueItem>);

/// An item of `kind` about `system`, placed where the kind is dealt with.
fn about(kind: DueKind, state: DueState, due_on: NaiveDate, system: &System, message: String) -> DueItem {
    DueItem {
        kind,
        state,
        due_on,
        subject_id: system.id.to_string(),
        subject: system.name.clone(),
        system_id: Some(system.id),
        forvaltning_id: Some(system.forvaltning_id),
        message,
        place: kind.place(),
        gap: None,
    }
}

/// What every step reads: the input, the day, how far ahead counts as soon, systems by id.
struct Context<'i> {
    input: &'i DueInput<'i>,
    today: NaiveDate,
    soon: Duration,
    systems: HashMap<SystemId, &'i System>,
}

/// Whether a system is still in use (not avvecklat): only those have duties.
fn active(s: &System) -> bool {
    s.lifecycle != Lifecycle::Avvecklad
}

/// Classifications: every information set held by a system still in use.
fn classifications(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut by_set: HashMap<_, Vec<&Classification>> = HashMap::new();
    for cl in c.input.classifications {
        by_set.entry(cl.information_set_id).or_default().push(cl);
    }
    let mut set_system: HashMap<_, &System> = HashMap::new();
    for link in c.input.system_sets {
        if let Some(s) = c.systems.get(&link.system_id).filter(|s| active(s)) {
            set_system.entry(link.information_set_id).or_insert(s);
        }
    }
    for set in c.input.information_sets {
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
            place: Place::Information,
            gap: None,
        };
        match current_classification(by_set.get(&set.id).into_iter().flatten().copied()) {
            None => out.push(DueItem { message: format!("Klassa informationsmängden \"{}\".", set.name), ..base }),
            Some(current) => {
                let due = current.valid_until();
                if let Some(st) = state(c.today, due, c.soon) {
                    out.push(DueItem {
                        kind: DueKind::Omklassning,
                        state: st,
                        due_on: due,
                        message: format!("Klassningen från {} gäller i 12 månader: se över den.", current.valid_from()),
                        ..base
                    });
                }
            }
        }
    }
}

/// Risk analyses of critical systems, yearly: the duty is done by a finished (klar) analysis;
/// one still going on (pågår) does not yet count.
fn risk_analyses(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut latest_analysis: HashMap<SystemId, NaiveDate> = HashMap::new();
    for a in c.input.analyses.iter().filter(|a| a.status == crate::model::AnalysisStatus::Klar) {
        if let Some(s) = a.system_id {
            let e = latest_analysis.entry(s).or_insert(a.analysed_on);
            *e = (*e).max(a.analysed_on);
        }
    }
    for s in c.input.systems.iter().filter(|s| active(s) && s.is_critical()) {
        let (due, message) = match latest_analysis.get(&s.id) {
            Some(d) => (add_months(*d, 12), format!("Riskanalysen från {d} ska göras om årligen för kritiska system.")),
            None => (s.created_at.date(), "Kritiskt system utan riskanalys: genomför en riskanalys.".to_string()),
        };
        if let Some(st) = state(c.today, due, c.soon) {
            out.push(about(DueKind::Riskanalys, st, due, s, message));
        }
    }
}

/// Actions past (or near) their due date; an action that fulfils a condition of a
/// driftgodkännande is the condition's item.
fn actions(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for a in c.input.actions.iter().filter(|a| a.status.is_open()) {
        let Some(due) = a.due_on else { continue };
        if let Some(st) = state(c.today, due, Duration::days(14)) {
            let system = a.system_id.and_then(|s| c.systems.get(&s));
            if system.is_some_and(|s| !active(s)) {
                continue;
            }
            let (kind, message) = match (a.decision_id.is_some(), st) {
                (true, DueState::Forsenad) => {
                    (DueKind::Villkor, format!("Villkoret i driftgodkännandet skulle ha varit uppfyllt {due}."))
                }
                (true, DueState::Snart) => {
                    (DueKind::Villkor, format!("Villkoret i driftgodkännandet ska vara uppfyllt {due}."))
                }
                (false, DueState::Forsenad) => (DueKind::Atgard, format!("Åtgärden skulle ha varit klar {due}.")),
                (false, DueState::Snart) => (DueKind::Atgard, format!("Åtgärden ska vara klar {due}.")),
            };
            out.push(DueItem {
                kind,
                state: st,
                due_on: due,
                subject_id: a.id.to_string(),
                subject: a.title.clone(),
                system_id: a.system_id,
                forvaltning_id: system.map(|s| s.forvaltning_id),
                message,
                place: kind.place(),
                gap: None,
            });
        }
    }
}

/// Contracts ending within six months.
fn contracts(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for s in c.input.systems.iter().filter(|s| active(s)) {
        let Some(end) = s.contract_end else { continue };
        if end <= add_months(c.today, CONTRACT_MONTHS) {
            let st = if end < c.today { DueState::Forsenad } else { DueState::Snart };
            let message = match st {
                DueState::Forsenad => format!("Avtalet löpte ut {end}: förläng, upphandla eller avveckla."),
                DueState::Snart => {
                    format!("Avtalet löper ut {end}: planera förlängning eller upphandling (tänk på uppsägningstiden).")
                }
            };
            out.push(about(DueKind::Avtal, st, end, s, message));
        }
    }
}

/// Decisions whose validity has run out (only the version in force).
fn decisions(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for d in c.input.decisions.iter().filter(|d| d.state == DecisionState::Beslutad) {
        let Some(until) = d.valid_until else { continue };
        if let Some(st) = state(c.today, until, c.soon) {
            let system = d.system_id.and_then(|s| c.systems.get(&s));
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
                    "{} version {} gäller till {until}: ta fram ett nytt beslutsunderlag.{}",
                    d.kind.label(),
                    d.version,
                    open_conditions(c, d)
                ),
                place: Place::Beslut,
                gap: None,
            });
        }
    }
}

/// The conditions of a decision not yet fulfilled (their actions still open), named for the
/// renewal: " Villkor som inte är uppfyllda: … (senast …)." or nothing.
fn open_conditions(c: &Context<'_>, d: &Decision) -> String {
    let open: Vec<String> = c
        .input
        .actions
        .iter()
        .filter(|a| a.decision_id == Some(d.id) && a.status.is_open())
        .map(|a| match a.due_on {
            Some(due) => format!("{} (senast {due})", a.title),
            None => a.title.clone(),
        })
        .collect();
    if open.is_empty() { String::new() } else { format!(" Villkor som inte är uppfyllda: {}.", open.join("; ")) }
}

/// Yearly review of systems in operation.
fn reviews(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for s in c.input.systems.iter().filter(|s| s.lifecycle == Lifecycle::IDrift) {
        let (due, message) = match s.last_review_on {
            Some(d) => (add_months(d, 12), format!("Senaste översynen av systemet gjordes {d}.")),
            None => (s.created_at.date(), "Systemet har aldrig setts över: gå igenom registeruppgifterna.".to_string()),
        };
        if let Some(st) = state(c.today, due, c.soon) {
            out.push(about(DueKind::Systemoversyn, st, due, s, message));
        }
    }
}

/// Information added to a system after its latest risk analysis or decision was recorded:
/// the system must be re-examined (compared by when the records were written).
fn re_examinations(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut latest_examination: HashMap<SystemId, crate::ids::Timestamp> = HashMap::new();
    let examinations = c.input.analyses.iter().filter_map(|a| a.system_id.map(|s| (s, a.created_at))).chain(
        c.input
            .decisions
            .iter()
            .filter(|d| d.state == DecisionState::Beslutad)
            .filter_map(|d| d.system_id.map(|s| (s, d.created_at))),
    );
    for (s, at) in examinations {
        let e = latest_examination.entry(s).or_insert(at);
        *e = (*e).max(at);
    }
    let sets: HashMap<_, &InformationSet> = c.input.information_sets.iter().map(|s| (s.id, s)).collect();
    let mut newest_link: HashMap<SystemId, &SystemInformationSet> = HashMap::new();
    for link in c.input.system_sets {
        let newer = newest_link.get(&link.system_id).is_none_or(|l| l.created_at < link.created_at);
        if newer {
            newest_link.insert(link.system_id, link);
        }
    }
    for (system_id, link) in newest_link {
        let (Some(system), Some(examined)) = (c.systems.get(&system_id), latest_examination.get(&system_id)) else {
            continue;
        };
        if !active(system) || link.created_at <= *examined {
            continue;
        }
        let added = link.created_at.date();
        let due = added + c.soon;
        let st = if due < c.today { DueState::Forsenad } else { DueState::Snart };
        let set_name = sets.get(&link.information_set_id).map(|s| s.name.as_str()).unwrap_or("");
        let message = format!(
            "Informationsmängden \"{set_name}\" lades till {added}: pröva om klassning, riskanalys och driftgodkännande."
        );
        out.push(about(DueKind::Omprovning, st, due, system, message));
    }
}

/// Risks not treated within their band's deadline, in each system's latest analysis (an
/// analysis redone replaces the one before it).
fn risk_treatment(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let latest = latest_analyses(c.input.analyses);
    let analyses: HashMap<_, &RiskAnalysis> = c
        .input
        .analyses
        .iter()
        .filter(|a| a.system_id.is_none_or(|s| latest.get(&s) == Some(&a.id)))
        .map(|a| (a.id, a))
        .collect();
    let actions: HashMap<_, &Action> = c.input.actions.iter().map(|a| (a.id, a)).collect();
    let mut risk_actions: HashMap<_, Vec<&Action>> = HashMap::new();
    for l in c.input.action_links {
        if let (Some(r), Some(a)) = (l.risk_id, actions.get(&l.action_id)) {
            risk_actions.entry(r).or_default().push(a);
        }
    }
    for r in c.input.risks {
        let Some(analysis) = analyses.get(&r.analysis_id) else { continue };
        let system = analysis.system_id.and_then(|s| c.systems.get(&s));
        if system.is_some_and(|s| !active(s)) {
            continue;
        }
        let Some(level) = crate::risk::inherent(&c.input.method.risk_matrix, r) else { continue };
        let Some(days) = c.input.method.risk_matrix.bands[level.band_index].acceptance.treat_within_days else {
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
        if let Some(st) = state(c.today, due, c.soon) {
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
                place: Place::Risker,
                gap: None,
            });
        }
    }
}

/// Each system's latest risk analysis: the newest by date, then by when it was recorded.
pub fn latest_analyses(analyses: &[RiskAnalysis]) -> HashMap<SystemId, crate::ids::RiskAnalysisId> {
    let mut latest: HashMap<SystemId, &RiskAnalysis> = HashMap::new();
    for a in analyses {
        if let Some(s) = a.system_id {
            let newer = latest.get(&s).is_none_or(|b| (a.analysed_on, a.created_at) > (b.analysed_on, b.created_at));
            if newer {
                latest.insert(s, a);
            }
        }
    }
    latest.into_iter().map(|(s, a)| (s, a.id)).collect()
}

/// Requirement assessments older than 12 months: one item per system, due when its oldest
/// assessment ran out.
fn requirement_reviews(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut by_system: HashMap<SystemId, Vec<NaiveDate>> = HashMap::new();
    for st in c.input.requirement_statuses {
        if let Some(due) = st.due_again_on() {
            by_system.entry(st.system_id).or_default().push(due);
        }
    }
    for (system_id, dues) in by_system {
        let Some(s) = c.systems.get(&system_id).filter(|s| active(s)) else { continue };
        let Some(&oldest) = dues.iter().min() else { continue };
        let Some(st) = state(c.today, oldest, c.soon) else { continue };
        let stale = dues.iter().filter(|d| **d <= c.today + c.soon).count();
        let message = format!(
            "{stale} kravbedömning{} är eller blir äldre än 12 månader: bedöm kraven på nytt.",
            if stale == 1 { "" } else { "ar" }
        );
        out.push(about(DueKind::Kravuppfoljning, st, oldest, s, message));
    }
}

/// The register's gaps ([`crate::gaps`]): overdue since the record was made.
fn gaps(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let gaps = register_gaps(&GapInput {
        today: c.today,
        systems: c.input.systems,
        information_sets: c.input.information_sets,
        system_sets: c.input.system_sets,
        roles: c.input.roles,
        decisions: c.input.decisions,
    });
    for g in gaps {
        out.push(DueItem {
            kind: DueKind::Registerbrist,
            state: DueState::Forsenad,
            due_on: g.since,
            subject_id: g.information_set_id.map(|i| i.to_string()).unwrap_or_else(|| g.system_id.to_string()),
            subject: g.subject,
            system_id: Some(g.system_id),
            forvaltning_id: Some(g.forvaltning_id),
            message: g.message,
            place: g.place,
            gap: Some(g.kind),
        });
    }
}

#[cfg(test)]
mod tests;

/// The reports incidents still owe: each deadline not yet met, with the hours left (or past).
fn incident_reports(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for i in c.input.incidents {
        let system = c.input.incident_links.iter().filter(|l| l.incident_id == i.id).find_map(|l| l.system_id);
        for d in i.deadlines(c.input.incident_reports, c.input.now) {
            let (Some(due), Some(left)) = (d.due_at, d.minutes_left) else { continue };
            let state = if left < 0 { DueState::Forsenad } else { DueState::Snart };
            let when = crate::incident::left_text(left);
            out.push(DueItem {
                kind: DueKind::Incidentrapport,
                state,
                due_on: due.date_naive(),
                subject_id: i.id.to_string(),
                subject: i.title.clone(),
                system_id: system,
                forvaltning_id: i.forvaltning_id,
                message: format!(
                    "{} senast {} ({when}): {}.",
                    d.kind.label(),
                    due.format("%Y-%m-%d %H:%M"),
                    d.kind.rule()
                ),
                place: Place::Incident,
                gap: None,
            });
        }
    }
}

/// How long after a serious incident the new risk analysis of an affected system is due.
pub const INCIDENT_ANALYSIS_DAYS: i64 = 30;

/// A serious incident makes a new risk analysis of every affected system in use due, unless a
/// finished analysis of the system is dated on or after the day the incident became known.
fn incident_analyses(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut analysed: HashMap<SystemId, NaiveDate> = HashMap::new();
    for a in c.input.analyses.iter().filter(|a| a.status == crate::model::AnalysisStatus::Klar) {
        if let Some(s) = a.system_id {
            let e = analysed.entry(s).or_insert(a.analysed_on);
            *e = (*e).max(a.analysed_on);
        }
    }
    for i in c.input.incidents.iter().filter(|i| i.is_serious(c.input.method)) {
        let known = i.known_at.date();
        for l in c.input.incident_links.iter().filter(|l| l.incident_id == i.id) {
            let Some(system) = l.system_id.and_then(|s| c.systems.get(&s)).filter(|s| active(s)) else { continue };
            if analysed.get(&system.id).is_some_and(|d| *d >= known) {
                continue;
            }
            let due = known + Duration::days(INCIDENT_ANALYSIS_DAYS);
            if let Some(st) = state(c.today, due, c.soon) {
                out.push(about(
                    DueKind::RiskanalysIncident,
                    st,
                    due,
                    system,
                    format!("Allvarlig incident «{}» ({known}): gör om riskanalysen av systemet.", i.title),
                ));
            }
        }
    }
}

/// Recurring controls that run: each due one interval after it was last done (or at its
/// first date), listed from 30 days before.
fn controls(c: &Context<'_>, out: &mut Vec<DueItem>) {
    let mut last: HashMap<crate::ids::ControlId, NaiveDate> = HashMap::new();
    for r in c.input.control_runs {
        let e = last.entry(r.control_id).or_insert(r.done_on);
        *e = (*e).max(r.done_on);
    }
    for control in c.input.controls.iter().filter(|k| k.runs(c.today)) {
        let system = control.system_id.and_then(|id| c.systems.get(&id).copied());
        if system.is_some_and(|s| !active(s)) {
            continue;
        }
        let done = last.get(&control.id).copied();
        let due = control.next_due(done);
        let Some(st) = state(c.today, due, c.soon) else { continue };
        let when = match done {
            Some(d) => format!(" (senast gjord {d})"),
            None => " (aldrig gjord)".to_string(),
        };
        let message = match st {
            DueState::Forsenad => {
                format!("{} skulle ha gjorts senast {due}{when}: gör kontrollen och registrera den.", control.title)
            }
            DueState::Snart => format!("{} ska göras senast {due}{when}.", control.title),
        };
        out.push(DueItem {
            kind: DueKind::Kontroll,
            state: st,
            due_on: due,
            subject_id: control.id.to_string(),
            subject: control.title.clone(),
            system_id: control.system_id,
            forvaltning_id: system.map(|s| s.forvaltning_id).or(control.forvaltning_id),
            message,
            place: Place::Kontroller,
            gap: None,
        });
    }
}

/// Exceptions that end within 30 days, and those that ended while their requirement is still
/// unmet and no later exception holds: the gap is back.
fn exceptions(c: &Context<'_>, out: &mut Vec<DueItem>) {
    for e in c.input.exceptions {
        let Some(s) = c.systems.get(&e.system_id).filter(|s| active(s)) else { continue };
        let Some(st) = exception_state(e, c.input.exceptions, c.input.requirement_statuses, c.today) else {
            continue;
        };
        let code = c
            .input
            .requirements
            .iter()
            .find(|r| r.id == e.requirement_id)
            .map(|r| r.code.clone())
            .unwrap_or_else(|| "kravet".into());
        let message = match st {
            DueState::Forsenad => format!(
                "Avsteget från {code} gällde t.o.m. {}: kravet är en brist igen. Uppfyll kravet eller besluta ett nytt avsteg.",
                e.valid_until
            ),
            DueState::Snart => format!(
                "Avsteget från {code} gäller t.o.m. {}: uppfyll kravet eller förnya avsteget i tid.",
                e.valid_until
            ),
        };
        let mut item = about(DueKind::Avsteg, st, e.valid_until, s, message);
        item.subject_id = e.id.to_string();
        item.subject = format!("{} – avsteg från {code}", s.name);
        out.push(item);
    }
}

/// Where an exception's end stands on `today`: due within [`EXCEPTION_NOTICE_DAYS`] of its last
/// day and late after it (the gap is back), unless it was withdrawn, a renewal runs longer or
/// its requirement is met since. One rule for the årshjul and the exceptions register.
pub fn exception_state(
    e: &Exception,
    all: &[Exception],
    statuses: &[RequirementStatus],
    today: NaiveDate,
) -> Option<DueState> {
    let met = statuses
        .iter()
        .any(|s| s.system_id == e.system_id && s.requirement_id == e.requirement_id && !s.status.is_gap());
    if e.withdrawn(today).is_some() || e.renewed(all, today) || met {
        return None;
    }
    state(today, e.valid_until, Duration::days(EXCEPTION_NOTICE_DAYS))
}
