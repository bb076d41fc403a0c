//! Risk analysis: a new analysis, a new risk, and accepting a risk within its band's mandate.

use crate::error::{Error, Result};
use crate::ids::{PersonId, RiskId};
use crate::method::Mandate;
use crate::model::*;
use crate::risk::{AcceptanceCheck, AcceptanceContext, AcceptanceProblem, check_acceptance};
use crate::store::{Read, Store};
use chrono::NaiveDate;

/// A new risk analysis of a system under the method in force, dated `today` unless the draft
/// has a date. The yearly redo (`from_previous`) starts from a copy of the system's latest
/// analysis: its scope and participants unless the draft gives them, and its risks marked for
/// review, each still linked to the actions that treat it. Refused when there is no earlier
/// analysis to start from.
pub fn new_analysis(store: &mut Store, draft: &NewAnalysis, today: NaiveDate) -> Result<RiskAnalysis> {
    let name = if draft.from_previous { "Ny riskanalys utifrån föregående" } else { "Ny riskanalys" };
    store.write(name, |w| {
        let system: System = w.get(draft.system_id)?;
        let on = draft.analysed_on.unwrap_or(today);
        let previous = if draft.from_previous {
            let all = w.list_by::<RiskAnalysis>("system_id", &system.id.to_string())?;
            let latest = crate::due::latest_analyses(&all);
            let id = latest.get(&system.id).ok_or_else(|| {
                Error::invalid(
                    "föregående riskanalys",
                    format!("«{}» har ingen tidigare riskanalys att utgå från; gör en ny", system.name),
                )
            })?;
            let previous = all.into_iter().find(|a| a.id == *id);
            if let Some(p) = &previous
                && on < p.analysed_on
            {
                return Err(Error::invalid(
                    "analysdatum",
                    format!(
                        "en analys som görs om utifrån den från {} kan inte vara daterad före den ({on})",
                        p.analysed_on
                    ),
                ));
            }
            previous
        } else {
            None
        };
        let participants: Vec<String> =
            draft.participants.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
        let analysis = w.insert(RiskAnalysis {
            title: match draft.title.trim() {
                "" => format!("Riskanalys {} {on}", system.name),
                t => t.to_string(),
            },
            scope: match (draft.scope.trim(), &previous) {
                ("", Some(p)) => p.scope.clone(),
                (s, _) => s.to_string(),
            },
            participants: match (participants.is_empty(), &previous) {
                (true, Some(p)) => p.participants.clone(),
                _ => participants,
            },
            analysed_on: on,
            system_id: Some(system.id),
            method_version_id: w.method().id,
            status: AnalysisStatus::Pagar,
            based_on: previous.as_ref().map(|p| p.id),
            ..Default::default()
        })?;
        if let Some(p) = previous {
            let links = w.list::<ActionLink>()?;
            let method = w.method().definition.clone();
            for risk in w.list_by::<Risk>("analysis_id", &p.id.to_string())? {
                let copy = w.insert(risk.copied_into(analysis.id).placed_on(&method))?;
                for l in links.iter().filter(|l| l.risk_id == Some(risk.id)) {
                    w.insert(ActionLink { action_id: l.action_id, risk_id: Some(copy.id), ..Default::default() })?;
                }
            }
        }
        Ok(analysis)
    })
}

/// A new risk, placed on the matrix.
pub fn add_risk(store: &mut Store, new: &NewRisk) -> Result<Risk> {
    store.write("Ny risk", |w| w.insert(new.risk()))
}

/// What an acceptance records.
#[derive(Debug, Clone)]
pub struct Acceptance {
    /// Who accepts.
    pub by: PersonId,
    /// In which role.
    pub mandate: Mandate,
    /// When.
    pub on: NaiveDate,
    /// Why.
    pub reason: String,
}

/// Records that a risk's (residual) level is accepted. Refused, with the band's rule in the
/// message, when the mandate is below the band's minimum or the person does not hold the role
/// claimed; otherwise returns the stored risk and the check (whom to inform).
pub fn accept_risk(store: &mut Store, risk: RiskId, acceptance: Acceptance) -> Result<(Risk, AcceptanceCheck)> {
    store.write("Acceptera risk", |w| {
        let mut r: Risk = w.get(risk)?;
        let analysis: RiskAnalysis = w.get(r.analysis_id)?;
        let system_owners = match analysis.system_id {
            Some(s) => w
                .list_by::<RoleAssignment>("system_id", &s.to_string())?
                .into_iter()
                .filter(|a| a.role == Role::Systemagare)
                .map(|a| a.person_id)
                .collect(),
            None => Vec::new(),
        };
        r.accepted_by = Some(acceptance.by);
        r.accepted_as = Some(acceptance.mandate);
        r.accepted_on = Some(acceptance.on);
        r.acceptance_reason = Some(acceptance.reason);
        if r.treatment.is_none() {
            r.treatment = Some(Treatment::Acceptera);
        }
        let method = w.method().definition.clone();
        let ctx = AcceptanceContext { risk_owner: r.owner_id, system_owners };
        let check = check_acceptance(&method, &r, &ctx)
            .ok_or_else(|| Error::invalid("risk", "riskens värden ligger utanför metodens skalor"))?;
        if let Some(p) = check.problems.first() {
            let rule = match p {
                AcceptanceProblem::MandateTooLow { .. } => format!(
                    " (bandet {} får accepteras av lägst {})",
                    check.level.band_name,
                    check.required.label().to_lowercase()
                ),
                _ => String::new(),
            };
            return Err(Error::invalid("riskacceptans", format!("{}{rule}", p.message())));
        }
        let stored = w.update(r)?;
        Ok((stored, check))
    })
}
