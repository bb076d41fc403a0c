//! Risk analysis: a new analysis, a new risk, and accepting a risk within its band's mandate.

use crate::error::{Error, Result};
use crate::ids::{PersonId, RiskId, SystemId};
use crate::method::Mandate;
use crate::model::*;
use crate::risk::{AcceptanceCheck, AcceptanceContext, AcceptanceProblem, check_acceptance};
use crate::store::{Read, Store};
use chrono::NaiveDate;

/// A new risk analysis of `system` under the method in force, dated `today`.
pub fn create_analysis(
    store: &mut Store,
    system: SystemId,
    title: &str,
    scope: &str,
    today: NaiveDate,
) -> Result<RiskAnalysis> {
    let analysis = RiskAnalysis {
        title: title.trim().to_string(),
        scope: scope.trim().to_string(),
        analysed_on: today,
        system_id: Some(system),
        method_version_id: store.method().id,
        ..Default::default()
    };
    store.write("Ny riskanalys", |w| w.insert(analysis))
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
