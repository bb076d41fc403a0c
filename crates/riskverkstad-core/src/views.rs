//! Read models that the CLI and the app show: one system with everything around it, and the
//! overview of the whole organisation. Built from the store; shaped for people, not tables.

use crate::due::{DueItem, DueState};
use crate::error::Result;
use crate::ids::*;
use crate::model::*;
use crate::profile::{ProtectionProfile, current_classification};
use crate::queries::{self, RequirementRow};
use crate::risk::{self, AcceptanceContext, RiskLevel};
use crate::store::{Read, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

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
            information_sets.push(SetView { set, classification, history });
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
        analyses.sort_by_key(|a| std::cmp::Reverse(a.analysis.analysed_on));
        let actions = store.list_by::<Action>("system_id", &key)?;
        let overdue_actions = actions.iter().filter(|a| a.is_overdue(today)).map(|a| a.id).collect();
        let missing_roles =
            Role::KEY_FOR_SYSTEM.iter().copied().filter(|r| !roles.iter().any(|h| h.assignment.role == *r)).collect();
        Ok(SystemView {
            supplier: system.supplier_id.and_then(|s| parties.get(&s).cloned()),
            profile: queries::system_profile(store, method, id)?,
            requirements: queries::system_requirements(store, method, id)?,
            actions,
            overdue_actions,
            missing_roles,
            decisions: store.list_by::<Decision>("system_id", &key)?,
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

/// Systems and risks of one förvaltning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForvaltningSummary {
    /// The förvaltning.
    pub forvaltning: Forvaltning,
    /// Its systems.
    pub systems: u32,
    /// Its critical systems.
    pub critical: u32,
    /// Its overdue items in the yearly cycle.
    pub overdue: u32,
}

/// One cell of a heat map: how many risks lie there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeatCell {
    /// Probability.
    pub probability: u8,
    /// Consequence.
    pub consequence: u8,
    /// The band's index.
    pub band_index: u32,
    /// Number of risks before treatment.
    pub inherent: u32,
    /// Number of risks after treatment.
    pub residual: u32,
}

/// A risk among the highest, with its system.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TopRisk {
    /// The risk.
    pub view: RiskView,
    /// The system's id.
    pub system_id: Option<SystemId>,
    /// The system's name.
    pub system: String,
}

/// The organisation at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    /// The organisation's name.
    pub organisation: String,
    /// The day it was computed for.
    pub today: NaiveDate,
    /// Per förvaltning.
    pub forvaltningar: Vec<ForvaltningSummary>,
    /// Systems per highest protection level (index = level; the last entry counts systems
    /// without a classified level).
    pub systems_by_level: Vec<u32>,
    /// The heat map over every risk of the organisation, all cells.
    pub heat_map: Vec<HeatCell>,
    /// The most urgent of what is due or overdue (at most [`Overview::SHOWN`]); the full list
    /// is `queries::due_list`.
    pub due: Vec<DueItem>,
    /// How many items are due or overdue in all.
    pub due_total: u32,
    /// The highest residual risks not accepted.
    pub top_risks: Vec<TopRisk>,
    /// The oldest open actions past their due date (at most [`Overview::SHOWN`]).
    pub overdue_actions: Vec<Action>,
    /// How many open actions are past their due date in all.
    pub overdue_actions_total: u32,
}

impl Overview {
    /// How many due items and overdue actions the overview carries; the rest are counted.
    pub const SHOWN: usize = 12;

    /// Computes the overview as of `today`.
    pub fn load(store: &Store, today: NaiveDate) -> Result<Overview> {
        let method = &store.method().definition;
        let matrix = &method.risk_matrix;
        let organisation = store.list::<Organisation>()?.into_iter().next().map(|o| o.name).unwrap_or_default();
        let snapshot = queries::Snapshot::load(store)?;
        let due = snapshot.due(method, today);
        let profiles = snapshot.profiles(method);
        let systems = &snapshot.systems;
        let longest = method.classification_scales.iter().map(|s| s.levels.len()).max().unwrap_or(0);
        let mut systems_by_level = vec![0u32; longest + 1];
        for s in systems {
            let level = profiles.get(&s.id).and_then(|p| p.max_level()).map(|l| l as usize).unwrap_or(longest);
            systems_by_level[level.min(longest)] += 1;
        }
        let forvaltningar = store
            .list::<Forvaltning>()?
            .into_iter()
            .map(|f| ForvaltningSummary {
                systems: systems.iter().filter(|s| s.forvaltning_id == f.id).count() as u32,
                critical: systems.iter().filter(|s| s.forvaltning_id == f.id && s.is_critical()).count() as u32,
                overdue: due.iter().filter(|d| d.forvaltning_id == Some(f.id) && d.state == DueState::Forsenad).count()
                    as u32,
                forvaltning: f,
            })
            .collect();
        let mut heat_map = Vec::new();
        for c in &matrix.consequence {
            for p in &matrix.probability {
                let band_index = risk::band_index(matrix, p.value, c.value).unwrap_or(0) as u32;
                heat_map.push(HeatCell {
                    probability: p.value,
                    consequence: c.value,
                    band_index,
                    inherent: 0,
                    residual: 0,
                });
            }
        }
        let analyses: HashMap<_, _> = snapshot.analyses.iter().map(|a| (a.id, a)).collect();
        let system_names: HashMap<_, _> = systems.iter().map(|s| (s.id, s.name.clone())).collect();
        let versions = &snapshot.versions;
        let mut top = Vec::new();
        for r in snapshot.risks.iter().cloned() {
            let analysis = analyses.get(&r.analysis_id).copied();
            let made_under = analysis.and_then(|a| versions.get(&a.method_version_id));
            let view = risk_view(method, made_under, r, &[]);
            if !view.earlier_scale {
                let cell = |l: &Option<RiskLevel>| l.as_ref().map(|l| (l.probability, l.consequence));
                for h in heat_map.iter_mut() {
                    if cell(&view.inherent) == Some((h.probability, h.consequence)) {
                        h.inherent += 1;
                    }
                    if cell(&view.residual) == Some((h.probability, h.consequence)) {
                        h.residual += 1;
                    }
                }
            }
            if view.risk.accepted_by.is_none() {
                let system_id = analysis.and_then(|a| a.system_id);
                let system = system_id.and_then(|s| system_names.get(&s).cloned()).unwrap_or_default();
                top.push(TopRisk { view, system_id, system });
            }
        }
        top.sort_by_key(|t| {
            std::cmp::Reverse(t.view.residual.as_ref().map(|l| (l.band_index, l.value)).unwrap_or((0, 0)))
        });
        top.truncate(10);
        let mut overdue_actions: Vec<Action> =
            snapshot.actions.iter().filter(|a| a.is_overdue(today)).cloned().collect();
        overdue_actions.sort_by_key(|a| a.due_on);
        let (due_total, overdue_actions_total) = (due.len() as u32, overdue_actions.len() as u32);
        let mut due = due;
        due.truncate(Self::SHOWN);
        overdue_actions.truncate(Self::SHOWN);
        Ok(Overview {
            organisation,
            today,
            forvaltningar,
            systems_by_level,
            heat_map,
            due,
            due_total,
            top_risks: top,
            overdue_actions,
            overdue_actions_total,
        })
    }
}

/// One action of the handlingsplan with the names around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionPlanRow {
    /// The action.
    pub action: Action,
    /// The system's name.
    pub system: Option<String>,
    /// The responsible person's name.
    pub responsible: Option<String>,
    /// The titles of the risks it treats.
    pub risks: Vec<String>,
    /// The codes of the requirements whose gaps it closes.
    pub requirements: Vec<String>,
    /// Open and past its due date.
    pub overdue: bool,
}

/// The handlingsplan: every action, open ones first by due date, then the rest.
pub fn action_plan(store: &Store, today: NaiveDate) -> Result<Vec<ActionPlanRow>> {
    let systems: HashMap<_, _> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let people: HashMap<_, _> = store.list::<Person>()?.into_iter().map(|p| (p.id, p.name)).collect();
    let risks: HashMap<_, _> = store.list::<Risk>()?.into_iter().map(|r| (r.id, r.title)).collect();
    let requirements: HashMap<_, _> = store.list::<Requirement>()?.into_iter().map(|r| (r.id, r.code)).collect();
    let mut links: HashMap<ActionId, Vec<ActionLink>> = HashMap::new();
    for l in store.list::<ActionLink>()? {
        links.entry(l.action_id).or_default().push(l);
    }
    let mut rows: Vec<ActionPlanRow> = store
        .list::<Action>()?
        .into_iter()
        .map(|a| {
            let own = links.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
            ActionPlanRow {
                system: a.system_id.and_then(|s| systems.get(&s).cloned()),
                responsible: a.responsible_id.and_then(|p| people.get(&p).cloned()),
                risks: own.iter().filter_map(|l| l.risk_id.and_then(|r| risks.get(&r).cloned())).collect(),
                requirements: own
                    .iter()
                    .filter_map(|l| l.requirement_id.and_then(|r| requirements.get(&r).cloned()))
                    .collect(),
                overdue: a.is_overdue(today),
                action: a,
            }
        })
        .collect();
    rows.sort_by_key(|r| (!r.action.status.is_open(), r.action.due_on.is_none(), r.action.due_on));
    Ok(rows)
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
