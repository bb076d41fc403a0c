//! Incidents: the register with its clocks, one incident's page, a new incident, its links,
//! a report marked sent, a risk or an action made from it, the reports as PDF, and the
//! recipients of reports.

use super::{now, today};
use crate::error::IpcError;
use crate::state::AppState;
use chrono::NaiveDate;
use riskverkstad_core::ids::*;
use riskverkstad_core::incident::ReportKind;
use riskverkstad_core::model::*;
use riskverkstad_core::ops::edit::Edit;
use riskverkstad_core::ops::{self};
use riskverkstad_core::store::Read as _;
use riskverkstad_core::views::{IncidentRow, IncidentView};

/// Every incident with its clocks, newest first.
pub fn incidents(state: &AppState) -> Result<Vec<IncidentRow>, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::incidents(&s.store, now())?))
}

/// One incident's page.
pub fn incident(state: &AppState, id: IncidentId) -> Result<IncidentView, IpcError> {
    state.with(|s| Ok(riskverkstad_core::views::incident_view(&s.store, id, now())?))
}

/// A new incident: the clocks start when it became known.
pub fn new_incident(state: &AppState, incident: NewIncident) -> Result<Incident, IpcError> {
    state.write(|s| Ok(ops::new_incident(&mut s.store, &incident)?))
}

/// Saves a changed incident (closing it dates the close).
pub fn save_incident(state: &AppState, incident: Incident) -> Result<Incident, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, incident, today())?))
}

/// Links an incident to one thing: a system, an information set, a risk or an action.
pub fn link_incident(
    state: &AppState,
    incident_id: IncidentId,
    system_id: Option<SystemId>,
    information_set_id: Option<InformationSetId>,
    risk_id: Option<RiskId>,
    action_id: Option<ActionId>,
) -> Result<IncidentLink, IpcError> {
    let target = match (system_id, information_set_id, risk_id, action_id) {
        (Some(s), None, None, None) => LinkTarget::System(s),
        (None, Some(s), None, None) => LinkTarget::InformationSet(s),
        (None, None, Some(r), None) => LinkTarget::Risk(r),
        (None, None, None, Some(a)) => LinkTarget::Action(a),
        _ => {
            return Err(riskverkstad_core::Error::invalid(
                "koppling",
                "välj ett system, en informationsmängd, en risk eller en åtgärd",
            )
            .into());
        }
    };
    state.write(|s| Ok(ops::link_incident(&mut s.store, incident_id, target)?))
}

/// Removes a link of an incident.
pub fn unlink_incident(state: &AppState, link_id: IncidentLinkId) -> Result<(), IpcError> {
    state.write(|s| Ok(ops::unlink_incident(&mut s.store, link_id)?))
}

/// Records that a report was sent.
pub fn mark_report_sent(state: &AppState, sent: ReportSent) -> Result<IncidentReport, IpcError> {
    state.write(|s| Ok(ops::report_sent(&mut s.store, &sent)?))
}

/// Corrects a sent report (its time, recipient, reference, note).
pub fn save_incident_report(state: &AppState, report: IncidentReport) -> Result<IncidentReport, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, report, today())?))
}

/// Skapa risk från incident.
pub fn risk_from_incident(state: &AppState, incident_id: IncidentId, system_id: SystemId) -> Result<Risk, IpcError> {
    state.write(|s| Ok(ops::risk_from_incident(&mut s.store, incident_id, system_id, today())?))
}

/// An action the incident gave.
pub fn action_from_incident(state: &AppState, incident_id: IncidentId, action: NewAction) -> Result<Action, IpcError> {
    state.write(|s| Ok(ops::action_from_incident(&mut s.store, incident_id, &action)?))
}

/// The recipients of incident reports.
pub fn recipients(state: &AppState) -> Result<Vec<Recipient>, IpcError> {
    state.with(|s| Ok(s.store.list()?))
}

/// Saves a recipient (a nil id is new).
pub fn save_recipient(state: &AppState, recipient: Recipient) -> Result<Recipient, IpcError> {
    state.write(|s| Ok(Edit::save(&mut s.store, recipient, today())?))
}

/// Saves one incident's report as PDF where the user chooses; `None` when cancelled.
pub fn save_incident_document(
    state: &AppState,
    incident_id: IncidentId,
    kind: ReportKind,
) -> Result<Option<String>, IpcError> {
    save(state, riskverkstad_report::IncidentDocument::Report { incident: incident_id, kind })
}

/// Saves the incidentlogg of a period as PDF where the user chooses; `None` when cancelled.
pub fn save_incident_log(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Option<String>, IpcError> {
    if to < from {
        return Err(riskverkstad_core::Error::invalid(
            "period",
            format!("perioden slutar ({to}) före den börjar ({from})"),
        )
        .into());
    }
    save(state, riskverkstad_report::IncidentDocument::Log { from, to })
}

fn save(state: &AppState, doc: riskverkstad_report::IncidentDocument) -> Result<Option<String>, IpcError> {
    let r = state.with(|s| Ok(riskverkstad_report::render_incident(&s.store, &doc, now())?))?;
    let Some(path) = crate::dialogs::save_pdf(&r.file_name)? else { return Ok(None) };
    riskverkstad_core::files::write_atomic(&path, &r.bytes)?;
    Ok(Some(path.display().to_string()))
}
