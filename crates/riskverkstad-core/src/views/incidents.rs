//! Incidents as people read them: the register of incidents with each one's clocks, and one
//! incident with what it touched, the reports sent and what came of it.

use crate::error::Result;
use crate::ids::*;
use crate::incident::{Deadline, DeadlineState, Now};
use crate::model::*;
use crate::store::{Read, Store};
use serde::Serialize;
use std::collections::HashMap;

/// An incident in the register, with its clocks at the moment it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentRow {
    /// The incident.
    pub incident: Incident,
    /// The names of the systems it touched.
    pub systems: Vec<String>,
    /// Its deadlines and how each stands.
    pub deadlines: Vec<Deadline>,
    /// A serious incident (betydande, or near the top of the consequence scale).
    pub serious: bool,
    /// A deadline was missed and nothing has been sent for it.
    pub late: bool,
}

/// A report that was sent, with the recipient's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportLine {
    /// The report.
    pub report: IncidentReport,
    /// To whom.
    pub recipient: String,
}

/// What an incident is linked to, by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkLine {
    /// The link.
    pub link: IncidentLink,
    /// What it points at, by name ("Ekonomisystem", "Risk: Intrång via leverantör").
    pub name: String,
}

/// One incident with everything around it: the incident page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentView {
    /// The incident and its clocks.
    pub row: IncidentRow,
    /// The affected systems.
    pub systems: Vec<LinkLine>,
    /// The affected information sets.
    pub information_sets: Vec<LinkLine>,
    /// The risks it showed.
    pub risks: Vec<LinkLine>,
    /// The actions it gave, with their status.
    pub actions: Vec<Action>,
    /// The links of those actions (to remove one).
    pub action_links: Vec<LinkLine>,
    /// The reports sent, oldest first.
    pub reports: Vec<ReportLine>,
    /// The recipients of reports to choose from.
    pub recipients: Vec<Recipient>,
    /// The name of the förvaltning that handles it.
    pub forvaltning: String,
}

/// Every incident, newest known first, each with its clocks at `now`.
pub fn incidents(store: &Store, now: Now) -> Result<Vec<IncidentRow>> {
    let links = store.list::<IncidentLink>()?;
    let reports = store.list::<IncidentReport>()?;
    let names: HashMap<SystemId, String> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let method = &store.method().definition;
    let mut rows: Vec<IncidentRow> =
        store.list::<Incident>()?.into_iter().map(|i| row(i, &links, &reports, &names, method, now)).collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.incident.known_at));
    Ok(rows)
}

fn row(
    incident: Incident,
    links: &[IncidentLink],
    reports: &[IncidentReport],
    names: &HashMap<SystemId, String>,
    method: &crate::method::Method,
    now: Now,
) -> IncidentRow {
    let systems = links
        .iter()
        .filter(|l| l.incident_id == incident.id)
        .filter_map(|l| l.system_id.and_then(|s| names.get(&s).cloned()))
        .collect();
    let deadlines = incident.deadlines(reports, now.at);
    let late = deadlines.iter().any(|d| d.state == DeadlineState::Missad);
    IncidentRow { serious: incident.is_serious(method), systems, deadlines, late, incident }
}

/// The incidents that touched `system`, newest first.
pub fn incidents_of(store: &Store, system: SystemId, now: Now) -> Result<Vec<IncidentRow>> {
    let ids: Vec<IncidentId> =
        store.list_by::<IncidentLink>("system_id", &system.to_string())?.into_iter().map(|l| l.incident_id).collect();
    Ok(incidents(store, now)?.into_iter().filter(|r| ids.contains(&r.incident.id)).collect())
}

/// One incident with what it touched and gave, its reports and the recipients, at `now`.
pub fn incident_view(store: &Store, id: IncidentId, now: Now) -> Result<IncidentView> {
    let incident: Incident = store.get(id)?;
    let links = store.list_by::<IncidentLink>("incident_id", &id.to_string())?;
    let reports = store.list_by::<IncidentReport>("incident_id", &id.to_string())?;
    let recipients = store.list::<Recipient>()?;
    let names: HashMap<SystemId, String> = store.list::<System>()?.into_iter().map(|s| (s.id, s.name)).collect();
    let forvaltning = match incident.forvaltning_id {
        Some(f) => store.find::<Forvaltning>(f)?.map(|f| f.name).unwrap_or_default(),
        None => String::new(),
    };
    let (mut systems, mut information_sets, mut risks, mut actions, mut action_links) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for link in &links {
        match link.target() {
            Some(LinkTarget::System(s)) => {
                systems.push(LinkLine { name: names.get(&s).cloned().unwrap_or_default(), link: link.clone() })
            }
            Some(LinkTarget::InformationSet(s)) => {
                let name = store.find::<InformationSet>(s)?.map(|s| s.name).unwrap_or_default();
                information_sets.push(LinkLine { name, link: link.clone() });
            }
            Some(LinkTarget::Risk(r)) => {
                let name = store.find::<Risk>(r)?.map(|r| r.title).unwrap_or_default();
                risks.push(LinkLine { name, link: link.clone() });
            }
            Some(LinkTarget::Action(a)) => {
                if let Some(action) = store.find::<Action>(a)? {
                    action_links.push(LinkLine { name: action.title.clone(), link: link.clone() });
                    actions.push(action);
                }
            }
            None => {}
        }
    }
    let recipient_name: HashMap<RecipientId, String> = recipients.iter().map(|r| (r.id, r.name.clone())).collect();
    let mut report_lines: Vec<ReportLine> = reports
        .iter()
        .map(|r| ReportLine {
            recipient: recipient_name.get(&r.recipient_id).cloned().unwrap_or_default(),
            report: r.clone(),
        })
        .collect();
    report_lines.sort_by_key(|r| r.report.sent_at);
    let row = row(incident, &links, &reports, &names, &store.method().definition, now);
    Ok(IncidentView {
        row,
        systems,
        information_sets,
        risks,
        actions,
        action_links,
        reports: report_lines,
        recipients,
        forvaltning,
    })
}
