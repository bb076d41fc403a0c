//! Store-backed reads that gather the inputs of the pure domain functions: protection
//! profiles for every system, and the yearly cycle.

use crate::due::{DueInput, DueItem, due_items};
use crate::error::Result;
use crate::gaps::{Gap, GapInput, register_gaps};
use crate::ids::{InformationSetId, SystemId};
use crate::incident::Now;
use crate::method::Method;
use crate::model::*;
use crate::profile::{ProfileInput, ProtectionProfile, current_classification, protection_profile};
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Everything the organisation-wide reads need, each table read once: the Översikt, the
/// yearly cycle and the profiles of every system share one snapshot.
pub struct Snapshot {
    /// Every system.
    pub systems: Vec<System>,
    /// Every information set.
    pub information_sets: Vec<InformationSet>,
    /// Every system ↔ information set link.
    pub system_sets: Vec<SystemInformationSet>,
    /// Every classification.
    pub classifications: Vec<Classification>,
    /// Every protection raise.
    pub raises: Vec<ProtectionRaise>,
    /// Every risk analysis.
    pub analyses: Vec<RiskAnalysis>,
    /// Every risk.
    pub risks: Vec<Risk>,
    /// Every action.
    pub actions: Vec<Action>,
    /// Every action link.
    pub action_links: Vec<ActionLink>,
    /// Every decision.
    pub decisions: Vec<Decision>,
    /// Every role assignment.
    pub roles: Vec<RoleAssignment>,
    /// Every system's status against the requirements.
    pub requirement_statuses: Vec<RequirementStatus>,
    /// The requirement catalogue.
    pub requirements: Vec<Requirement>,
    /// Every method version's definition.
    pub versions: HashMap<crate::ids::MethodVersionId, Method>,
    /// Every incident.
    pub incidents: Vec<Incident>,
    /// What incidents touched and gave.
    pub incident_links: Vec<IncidentLink>,
    /// The reports of incidents that were sent.
    pub incident_reports: Vec<IncidentReport>,
    /// Every recurring control.
    pub controls: Vec<Control>,
    /// Every time a control was done.
    pub control_runs: Vec<ControlRun>,
    /// Every exception from a requirement.
    pub exceptions: Vec<Exception>,
    /// Every extra requirement on a system.
    pub extra_requirements: Vec<ExtraRequirement>,
}

impl Snapshot {
    /// Reads the tables.
    pub fn load(store: &Store) -> Result<Snapshot> {
        Ok(Snapshot {
            systems: store.list()?,
            information_sets: store.list()?,
            system_sets: store.list()?,
            classifications: store.list()?,
            raises: store.list()?,
            analyses: store.list()?,
            risks: store.list()?,
            actions: store.list()?,
            action_links: store.list()?,
            decisions: store.list()?,
            roles: store.list()?,
            requirement_statuses: store.list()?,
            requirements: store.list()?,
            versions: store.method_versions()?,
            incidents: store.list()?,
            incident_links: store.list()?,
            incident_reports: store.list()?,
            controls: store.list()?,
            control_runs: store.list()?,
            exceptions: store.list()?,
            extra_requirements: store.list()?,
        })
    }

    /// The protection profile of every system under `method` (the one in force).
    pub fn profiles(&self, method: &Method) -> HashMap<SystemId, ProtectionProfile> {
        let mut by_set: HashMap<InformationSetId, Vec<&Classification>> = HashMap::new();
        for c in &self.classifications {
            by_set.entry(c.information_set_id).or_default().push(c);
        }
        let current: HashMap<InformationSetId, &Classification> =
            by_set.iter().filter_map(|(s, cs)| current_classification(cs.iter().copied()).map(|c| (*s, c))).collect();
        let mut sets_of: HashMap<SystemId, Vec<(InformationSetId, Option<&Classification>)>> = HashMap::new();
        for link in &self.system_sets {
            sets_of
                .entry(link.system_id)
                .or_default()
                .push((link.information_set_id, current.get(&link.information_set_id).copied()));
        }
        let mut raises_of: HashMap<SystemId, Vec<ProtectionRaise>> = HashMap::new();
        for r in &self.raises {
            raises_of.entry(r.system_id).or_default().push(r.clone());
        }
        self.systems
            .iter()
            .map(|s| {
                let sets = sets_of.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
                let raises = raises_of.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
                (s.id, protection_profile(&ProfileInput { method, method_versions: &self.versions, sets, raises }))
            })
            .collect()
    }

    /// The assessments of requirements that apply to their system at its levels now: those
    /// the Krav tab shows, and so the ones the follow-up asks to be redone. An assessment of
    /// a requirement the system no longer reaches is kept, and no longer due.
    fn applicable_statuses(&self, method: &Method) -> Vec<RequirementStatus> {
        let profiles = self.profiles(method);
        let requirements: HashMap<_, _> = self.requirements.iter().map(|r| (r.id, r)).collect();
        let extra: std::collections::HashSet<_> =
            self.extra_requirements.iter().map(|e| (e.system_id, e.requirement_id)).collect();
        self.requirement_statuses
            .iter()
            .filter(|s| match (profiles.get(&s.system_id), requirements.get(&s.requirement_id)) {
                (Some(p), Some(r)) => p.basis(r, extra.contains(&(s.system_id, r.id))).is_some(),
                _ => false,
            })
            .cloned()
            .collect()
    }

    /// The yearly cycle as of `today`, under `method` (the one in force).
    pub fn due(&self, method: &Method, now: Now) -> Vec<DueItem> {
        let requirement_statuses = self.applicable_statuses(method);
        due_items(&DueInput {
            today: now.today,
            now: now.at,
            incidents: &self.incidents,
            incident_links: &self.incident_links,
            incident_reports: &self.incident_reports,
            requirements: &self.requirements,
            controls: &self.controls,
            control_runs: &self.control_runs,
            exceptions: &self.exceptions,
            method,
            systems: &self.systems,
            information_sets: &self.information_sets,
            system_sets: &self.system_sets,
            classifications: &self.classifications,
            analyses: &self.analyses,
            risks: &self.risks,
            actions: &self.actions,
            action_links: &self.action_links,
            decisions: &self.decisions,
            roles: &self.roles,
            requirement_statuses: &requirement_statuses,
        })
    }

    /// The risks in force: those of each system's latest analysis (a redone analysis
    /// replaces the one before it) and of analyses of a process.
    pub fn current_risks(&self) -> impl Iterator<Item = &Risk> {
        let latest = crate::due::latest_analyses(&self.analyses);
        let current: std::collections::HashSet<_> = self
            .analyses
            .iter()
            .filter(|a| a.system_id.is_none_or(|s| latest.get(&s) == Some(&a.id)))
            .map(|a| a.id)
            .collect();
        self.risks.iter().filter(move |r| current.contains(&r.analysis_id))
    }

    /// The register's gaps as of `today`.
    pub fn gaps(&self, today: NaiveDate) -> Vec<Gap> {
        register_gaps(&GapInput {
            today,
            systems: &self.systems,
            information_sets: &self.information_sets,
            system_sets: &self.system_sets,
            roles: &self.roles,
            decisions: &self.decisions,
        })
    }
}

/// The protection profile of every system, computed in one pass over the store.
pub fn all_profiles(store: &Store) -> Result<HashMap<SystemId, ProtectionProfile>> {
    Ok(Snapshot::load(store)?.profiles(&store.method().definition))
}

/// The protection profile of one system, under `method` (the one in force).
pub fn system_profile(store: &impl Read, method: &Method, system: SystemId) -> Result<ProtectionProfile> {
    profile_with(store, method, system, None)
}

/// The profile the system would have if `draft` were its information set's classification:
/// what a classification workshop shows live, before anything is saved.
pub fn system_profile_preview(
    store: &impl Read,
    method: &Method,
    system: SystemId,
    draft: &Classification,
) -> Result<ProtectionProfile> {
    profile_with(store, method, system, Some(draft))
}

fn profile_with(
    store: &impl Read,
    method: &Method,
    system: SystemId,
    draft: Option<&Classification>,
) -> Result<ProtectionProfile> {
    store.get::<System>(system)?;
    let versions: HashMap<_, _> = store.list::<MethodVersion>()?.into_iter().map(|m| (m.id, m.definition)).collect();
    let links = store.list_by::<SystemInformationSet>("system_id", &system.to_string())?;
    let mut per_set = Vec::new();
    for l in &links {
        per_set.push((
            l.information_set_id,
            store.list_by::<Classification>("information_set_id", &l.information_set_id.to_string())?,
        ));
    }
    let sets: Vec<(InformationSetId, Option<&Classification>)> = per_set
        .iter()
        .map(|(s, cs)| match draft.filter(|d| d.information_set_id == *s) {
            Some(d) => (*s, Some(d)),
            None => (*s, current_classification(cs)),
        })
        .collect();
    let raises = store.list_by::<ProtectionRaise>("system_id", &system.to_string())?;
    Ok(protection_profile(&ProfileInput { method, method_versions: &versions, sets: &sets, raises: &raises }))
}

/// One requirement as it applies to a system.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementRow {
    /// The requirement.
    pub requirement: Requirement,
    /// The system's status against it, if assessed.
    pub status: Option<RequirementStatus>,
    /// True when it is a gap: not met, partly met, or not yet assessed.
    pub gap: bool,
    /// True when its assessment is older than 12 months (or has no date): assess it again.
    pub due_again: bool,
    /// The open actions linked to it (closing its gap), by id.
    pub actions: Vec<crate::ids::ActionId>,
    /// Why it applies: the baseline, the protection level, or an extra requirement.
    pub basis: RequirementBasis,
    /// Where an extra requirement comes from, for one.
    pub extra: Option<ExtraRequirement>,
    /// The exception (avsteg) that holds today, if any: no gap while it holds.
    pub exception: Option<Exception>,
}

/// The requirements that apply to a system at its protection levels, with their status; gaps
/// are those not met, partly met or not assessed. Requirements apply from their `min_level`
/// up; a level needing a special analysis keeps the catalogue's requirements and adds the
/// analysis (shown by the profile).
pub fn system_requirements(
    store: &impl Read,
    method: &Method,
    system: SystemId,
    today: NaiveDate,
) -> Result<Vec<RequirementRow>> {
    let profile = system_profile(store, method, system)?;
    let statuses = store.list_by::<RequirementStatus>("system_id", &system.to_string())?;
    let actions = store.list_by::<Action>("system_id", &system.to_string())?;
    let mut linked: HashMap<crate::ids::RequirementId, Vec<crate::ids::ActionId>> = HashMap::new();
    for a in actions.iter().filter(|a| a.status.is_open()) {
        for l in store.list_by::<ActionLink>("action_id", &a.id.to_string())? {
            if let Some(r) = l.requirement_id {
                linked.entry(r).or_default().push(a.id);
            }
        }
    }
    let extras = store.list_by::<ExtraRequirement>("system_id", &system.to_string())?;
    let exceptions = store.list_by::<Exception>("system_id", &system.to_string())?;
    let mut rows: Vec<RequirementRow> = store
        .list::<Requirement>()?
        .into_iter()
        .filter_map(|requirement| {
            let extra = extras.iter().find(|e| e.requirement_id == requirement.id).cloned();
            let basis = profile.basis(&requirement, extra.is_some())?;
            let status = statuses.iter().find(|s| s.requirement_id == requirement.id).cloned();
            let exception = exceptions
                .iter()
                .filter(|e| e.requirement_id == requirement.id && e.holds(today))
                .max_by_key(|e| e.valid_until)
                .cloned();
            let unmet =
                !matches!(status.as_ref().map(|s| s.status), Some(Compliance::Uppfyllt | Compliance::EjTillampligt));
            let gap = unmet && exception.is_none();
            let due_again = status.as_ref().is_some_and(|s| s.due_again_on().is_none_or(|d| d < today));
            let actions = linked.remove(&requirement.id).unwrap_or_default();
            Some(RequirementRow { requirement, status, gap, due_again, actions, basis, extra, exception })
        })
        .collect();
    rows.sort_by(|a, b| a.requirement.code.cmp(&b.requirement.code));
    Ok(rows)
}

/// The yearly cycle as of `today`, with this installation's restore test (for a database
/// file; one in memory has no backups).
pub fn due_list(store: &Store, today: NaiveDate) -> Result<Vec<DueItem>> {
    due_list_at(store, Now::on(today))
}

/// [`due_list`] at an instant: an incident's clocks are read in hours.
pub fn due_list_at(store: &Store, now: Now) -> Result<Vec<DueItem>> {
    let today = now.today;
    let mut items = Snapshot::load(store)?.due(&store.method().definition, now);
    if store.path().is_some() {
        let tested = store.restore_tested()?.map(|t| t.date());
        let since = store.installation().created_at.date();
        items.extend(crate::due::restore_test(today, tested, since, &store.installation().name));
    }
    Ok(items)
}
