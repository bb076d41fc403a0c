//! Read models that the CLI and the app show: one system with everything around it, and the
//! overview of the whole organisation. Built from the store; shaped for people, not tables.

use crate::error::Result;
use crate::gather::{self, RequirementRow};
use crate::ids::*;
use crate::model::*;
use crate::profile::{ProtectionProfile, current_classification};
use crate::risk::{self, AcceptanceContext, RiskLevel};
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

mod action_plan;
mod controls;
mod incidents;
mod overview;
mod situation;

pub use action_plan::{ActionPlanRow, action_plan};
pub use controls::{ControlRow, ControlView, ExceptionRow, control_view, controls, exceptions};
pub use incidents::{IncidentRow, IncidentView, LinkLine, ReportLine, incident_view, incidents, incidents_of};
pub use overview::{ForvaltningSummary, HeatCell, Overview, TopRisk};
pub use situation::{OriginCount, Situation, systems_by_level};

/// A role and who holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoleHolder {
    /// The assignment.
    pub assignment: RoleAssignment,
    /// The person's name.
    pub person: String,
}

/// An information set of a system with its classification in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SetView {
    /// The information set.
    pub set: InformationSet,
    /// Its classification in force, if any.
    pub classification: Option<Classification>,
    /// Every classification of it, newest first.
    pub history: Vec<Classification>,
    /// Who holds a role for it (the informationsägare decides its classification).
    pub roles: Vec<RoleHolder>,
}

/// A dependency with the name of what is on its other side.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DependencyView {
    /// The dependency.
    pub dependency: Dependency,
    /// The name of the system or party on the other side.
    pub other: String,
}

/// A risk with its levels and acceptance check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RiskView {
    /// The risk.
    pub risk: Risk,
    /// Before treatment.
    pub inherent: Option<RiskLevel>,
    /// After treatment.
    pub residual: Option<RiskLevel>,
    /// Made under an earlier risk matrix.
    pub earlier_scale: bool,
    /// Whether an acceptance meets the band's rules (`None` when not accepted).
    pub acceptance_ok: Option<bool>,
    /// What is wrong with the acceptance, in Swedish.
    pub acceptance_problems: Vec<String>,
}

/// A risk analysis with its risks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnalysisView {
    /// The analysis.
    pub analysis: RiskAnalysis,
    /// Its risks.
    pub risks: Vec<RiskView>,
}

/// One system with everything around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SystemView {
    /// The system.
    pub system: System,
    /// Its förvaltning's name.
    pub forvaltning: String,
    /// Its supplier's name.
    pub supplier: Option<String>,
    /// The protection profile.
    pub profile: ProtectionProfile,
    /// Role holders.
    pub roles: Vec<RoleHolder>,
    /// Information sets.
    pub information_sets: Vec<SetView>,
    /// What it depends on.
    pub depends_on: Vec<DependencyView>,
    /// What depends on it.
    pub depended_on_by: Vec<DependencyView>,
    /// Requirements at its levels, with status.
    pub requirements: Vec<RequirementRow>,
    /// Risk analyses, newest first.
    pub analyses: Vec<AnalysisView>,
    /// Actions for the system.
    pub actions: Vec<Action>,
    /// The actions that are late (open, past their due date), by id.
    pub overdue_actions: Vec<ActionId>,
    /// The key roles ([`Role::KEY_FOR_SYSTEM`]) nobody holds for the system.
    pub missing_roles: Vec<Role>,
    /// Decisions about the system.
    pub decisions: Vec<Decision>,
    /// Raises of its protection level above its information's.
    pub raises: Vec<ProtectionRaise>,
    /// The incidents that touched it, newest first, with their clocks (read at noon of
    /// `today`; the Incidenter view reads them to the minute).
    pub incidents: Vec<IncidentRow>,
}

impl SystemView {
    /// Loads a system's view as of `today` (what is late).
    pub fn load(store: &Store, id: SystemId, today: NaiveDate) -> Result<SystemView> {
        let system: System = store.get(id)?;
        let key = id.to_string();
        let method = &store.method().definition;
        let versions = store.method_versions()?;
        let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
        let parties: HashMap<_, _> = store.list::<ExternalParty>()?.into_iter().map(|p| (p.id, p.name)).collect();
        let system_name = |s: SystemId| store.find::<System>(s).ok().flatten().map(|s| s.name).unwrap_or_default();
        let forvaltning = store.get::<Forvaltning>(system.forvaltning_id)?.name;
        let assignments = store.list_by::<RoleAssignment>("system_id", &key)?;
        let owners: Vec<PersonId> =
            assignments.iter().filter(|a| a.role == Role::Systemagare).map(|a| a.person_id).collect();
        let roles: Vec<RoleHolder> = assignments
            .into_iter()
            .map(|a| RoleHolder { person: people.get(&a.person_id).cloned().unwrap_or_default(), assignment: a })
            .collect();
        let mut information_sets = Vec::new();
        for link in store.list_by::<SystemInformationSet>("system_id", &key)? {
            let set: InformationSet = store.get(link.information_set_id)?;
            let mut history = store.list_by::<Classification>("information_set_id", &set.id.to_string())?;
            let classification = current_classification(&history).cloned();
            history.sort_by_key(|c| std::cmp::Reverse((c.valid_from(), c.created_at)));
            let roles = store
                .list_by::<RoleAssignment>("information_set_id", &set.id.to_string())?
                .into_iter()
                .map(|a| RoleHolder { person: people.get(&a.person_id).cloned().unwrap_or_default(), assignment: a })
                .collect();
            information_sets.push(SetView { set, classification, history, roles });
        }
        let depends_on = store
            .list_by::<Dependency>("system_id", &key)?
            .into_iter()
            .map(|d| {
                let other = match (d.depends_on_system_id, d.depends_on_party_id) {
                    (Some(s), _) => system_name(s),
                    (_, Some(p)) => parties.get(&p).cloned().unwrap_or_default(),
                    _ => String::new(),
                };
                DependencyView { dependency: d, other }
            })
            .collect();
        let depended_on_by = store
            .list_by::<Dependency>("depends_on_system_id", &key)?
            .into_iter()
            .map(|d| DependencyView { other: system_name(d.system_id), dependency: d })
            .collect();
        let mut analyses = Vec::new();
        for analysis in store.list_by::<RiskAnalysis>("system_id", &key)? {
            let made_under = versions.get(&analysis.method_version_id);
            let risks = store
                .list_by::<Risk>("analysis_id", &analysis.id.to_string())?
                .into_iter()
                .map(|r| risk_view(method, made_under, r, &owners))
                .collect();
            analyses.push(AnalysisView { analysis, risks });
        }
        // Newest first; a redo made the same day as the analysis it redoes comes before it.
        analyses.sort_by_key(|a| std::cmp::Reverse((a.analysis.analysed_on, a.analysis.created_at)));
        let actions = store.list_by::<Action>("system_id", &key)?;
        let overdue_actions = actions.iter().filter(|a| a.is_overdue(today)).map(|a| a.id).collect();
        let missing_roles =
            Role::KEY_FOR_SYSTEM.iter().copied().filter(|r| !roles.iter().any(|h| h.assignment.role == *r)).collect();
        Ok(SystemView {
            supplier: system.supplier_id.and_then(|s| parties.get(&s).cloned()),
            profile: gather::system_profile(store, method, id)?,
            requirements: gather::system_requirements(store, method, id, today)?,
            actions,
            overdue_actions,
            missing_roles,
            decisions: store.list_by::<Decision>("system_id", &key)?,
            raises: store.list_by::<ProtectionRaise>("system_id", &key)?,
            incidents: incidents_of(store, id, crate::incident::Now::on(today))?,
            system,
            forvaltning,
            roles,
            information_sets,
            depends_on,
            depended_on_by,
            analyses,
        })
    }
}

/// A risk's view: levels on the scale it was made under, and its acceptance check.
pub fn risk_view(
    method: &crate::method::Method,
    made_under: Option<&crate::method::Method>,
    r: Risk,
    owners: &[PersonId],
) -> RiskView {
    let assessed = risk::assessed(method, made_under, &r);
    let check_method = if assessed.earlier_scale { made_under.unwrap_or(method) } else { method };
    let check = r.accepted_by.and_then(|_| {
        risk::check_acceptance(
            check_method,
            &r,
            &AcceptanceContext { risk_owner: r.owner_id, system_owners: owners.to_vec() },
        )
    });
    RiskView {
        inherent: assessed.inherent,
        residual: assessed.residual,
        earlier_scale: assessed.earlier_scale,
        acceptance_ok: check.as_ref().map(|c| c.rules_met()),
        acceptance_problems: check.map(|c| c.problems.iter().map(|p| p.message()).collect()).unwrap_or_default(),
        risk: r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoConfig, build};

    #[test]
    fn the_overview_of_the_demo_adds_up() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        build(&mut store, &DemoConfig { systems: 40, seed: 2, today: Some(today) }).unwrap();
        let o = Overview::load(&store, today).unwrap();
        assert_eq!(o.organisation, "Norrvik kommun");
        assert_eq!(o.systems_by_level.iter().sum::<u32>(), 40);
        assert_eq!(o.forvaltningar.iter().map(|f| f.systems).sum::<u32>(), 40);
        assert_eq!(o.heat_map.len(), 16);
        let risks = store.count::<Risk>().unwrap() as u32;
        assert_eq!(o.heat_map.iter().map(|c| c.inherent).sum::<u32>(), risks);
        assert_eq!(o.heat_map.iter().map(|c| c.residual).sum::<u32>(), risks);
        assert!(!o.top_risks.is_empty() && o.top_risks.len() <= 10);
        assert!(
            o.top_risks.windows(2).all(|w| w[0].view.residual.as_ref().map(|l| l.band_index)
                >= w[1].view.residual.as_ref().map(|l| l.band_index))
        );
        assert!(o.overdue_actions.iter().all(|a| a.due_on.unwrap() < today && a.status.is_open()));
    }

    #[test]
    fn the_action_plan_lists_open_actions_first_with_overdue_marked() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        build(&mut store, &DemoConfig { systems: 20, seed: 3, today: Some(today) }).unwrap();
        let plan = action_plan(&store, today).unwrap();
        assert_eq!(plan.len() as u64, store.count::<Action>().unwrap());
        let first_closed = plan.iter().position(|r| !r.action.status.is_open()).unwrap_or(plan.len());
        assert!(plan[first_closed..].iter().all(|r| !r.action.status.is_open()));
        assert!(plan.iter().any(|r| r.overdue));
        for r in &plan {
            assert_eq!(r.overdue, r.action.status.is_open() && r.action.due_on.unwrap() < today);
            assert!(r.system.is_some() && r.responsible.is_some());
            assert!(!r.risks.is_empty() || !r.requirements.is_empty(), "every demo action treats a risk or a gap");
        }
    }

    #[test]
    fn a_system_view_holds_its_roles_information_and_risks() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        build(&mut store, &DemoConfig { systems: 10, seed: 1, today: Some(today) }).unwrap();
        let id = store.list::<System>().unwrap().into_iter().find(|s| s.name == "Katalogtjänst").unwrap().id;
        let v = SystemView::load(&store, id, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).unwrap();
        assert_eq!(v.system.name, "Katalogtjänst");
        assert!(v.roles.iter().any(|r| r.assignment.role == Role::Systemagare && !r.person.is_empty()));
        assert!(!v.information_sets.is_empty());
        assert!(
            v.information_sets
                .iter()
                .all(|s| s.history.first() == s.classification.as_ref() || s.classification.is_some())
        );
        assert!(!v.requirements.is_empty());
        assert!(v.analyses.iter().flat_map(|a| &a.risks).all(|r| r.inherent.is_some()));
    }
}
