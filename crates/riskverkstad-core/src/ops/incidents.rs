//! Incidents: a new incident (the clocks start when it became known), an incident changed or
//! closed, what it touched linked and unlinked, a report marked sent, and the lessons fed back:
//! a risk made from the incident in its system's risk analysis, an action it gave.

use crate::error::{Error, Result};
use crate::ids::{IncidentId, IncidentLinkId, SystemId};
use crate::incident::ReportKind;
use crate::model::*;
use crate::store::{Read, Store};
use chrono::NaiveDate;

/// A new incident (öppen), linked to the systems it touched, in one transaction. It is
/// handled by the first system's förvaltning.
pub fn new_incident(store: &mut Store, draft: &NewIncident) -> Result<Incident> {
    let mut systems = Vec::new();
    for id in &draft.system_ids {
        let s: System = store.get(*id)?;
        if !systems.iter().any(|x: &System| x.id == s.id) {
            systems.push(s);
        }
    }
    store.write("Ny incident", |w| {
        let incident = w.insert(Incident {
            title: draft.title.trim().to_string(),
            description: draft.description.trim().to_string(),
            forvaltning_id: systems.first().map(|s| s.forvaltning_id),
            known_at: draft.known_at,
            reported_by: draft.reported_by.trim().to_string(),
            significant: draft.significant,
            personal_data_breach: draft.personal_data_breach,
            status: IncidentStatus::Oppen,
            ..Default::default()
        })?;
        for s in &systems {
            w.insert(IncidentLink::to(incident.id, LinkTarget::System(s.id)))?;
        }
        Ok(incident)
    })
}

/// Saves a changed incident (its revision must be the stored one): closed without a date, it
/// was closed `today`; reopened, it has none. The audit log names a change of status.
pub fn save_incident(store: &mut Store, mut incident: Incident, today: NaiveDate) -> Result<Incident> {
    incident.settle(today);
    let before: Incident = store.get(incident.id)?;
    let name = if before.status != incident.status {
        format!("Incident {}", incident.status.label().to_lowercase())
    } else {
        "Ändra incident".to_string()
    };
    store.write(&name, |w| w.update(incident))
}

/// Links an incident to an affected system or information set, a risk or an action. Linking
/// the same thing twice is refused.
pub fn link_incident(store: &mut Store, incident: IncidentId, target: LinkTarget) -> Result<IncidentLink> {
    store.write("Koppla incident", |w| {
        let i: Incident = w.get(incident)?;
        let existing = w.list_by::<IncidentLink>("incident_id", &i.id.to_string())?;
        if existing.iter().any(|l| l.target() == Some(target)) {
            return Err(Error::invalid("koppling", format!("«{}» är redan kopplad till det", i.title)));
        }
        w.insert(IncidentLink::to(i.id, target))
    })
}

/// Removes a link of an incident.
pub fn unlink_incident(store: &mut Store, link: IncidentLinkId) -> Result<()> {
    store.write("Ta bort incidentkoppling", |w| w.delete::<IncidentLink>(link))
}

/// Records that a report was sent. Refused, nothing written, when the incident does not call
/// for that report (a GDPR report of an incident not marked as a personal data breach, a
/// cybersäkerhetslagen report of one not marked betydande), or when it was sent before the
/// incident became known.
pub fn report_sent(store: &mut Store, sent: &ReportSent) -> Result<IncidentReport> {
    let name = format!("Rapport skickad: {}", sent.kind.label());
    store.write(&name, |w| {
        let incident: Incident = w.get(sent.incident_id)?;
        let recipient: Recipient = w.get(sent.recipient_id)?;
        let asks = match sent.kind {
            ReportKind::Gdpr => incident.personal_data_breach == Answer::Ja,
            _ => incident.significant,
        };
        if !asks {
            let what = match sent.kind {
                ReportKind::Gdpr => "markera den som personuppgiftsincident först",
                _ => "markera den som betydande incident först",
            };
            return Err(Error::invalid(
                "rapport",
                format!("«{}» kräver ingen {}; {what}", incident.title, sent.kind.label().to_lowercase()),
            ));
        }
        if sent.sent_at < incident.known_at {
            return Err(Error::invalid(
                "skickad",
                format!(
                    "{} kan inte vara före att incidenten blev känd ({})",
                    sent.sent_at.local(),
                    incident.known_at.local()
                ),
            ));
        }
        w.insert(IncidentReport {
            incident_id: incident.id,
            kind: sent.kind,
            sent_at: sent.sent_at,
            recipient_id: recipient.id,
            reference: sent.reference.trim().to_string(),
            ..Default::default()
        })
    })
}

/// *Skapa risk från incident*: a risk in `system`'s ongoing risk analysis (a new one, "efter
/// incident", when none is going on), prefilled from the incident: its title, the cause as
/// orsak, what happened as händelse, its impact as konsekvens, its aspects and threat, its
/// consequence (else the scale's middle), a probability one below the top (it happened), marked
/// for review; linked to the incident. One transaction.
pub fn risk_from_incident(store: &mut Store, incident: IncidentId, system: SystemId, today: NaiveDate) -> Result<Risk> {
    store.write("Skapa risk från incident", |w| {
        let i: Incident = w.get(incident)?;
        let s: System = w.get(system)?;
        let method = w.method().definition.clone();
        let ongoing = w
            .list_by::<RiskAnalysis>("system_id", &s.id.to_string())?
            .into_iter()
            .filter(|a| a.status == AnalysisStatus::Pagar)
            .max_by_key(|a| a.analysed_on);
        let analysis = match ongoing {
            Some(a) => a,
            None => w.insert(RiskAnalysis {
                title: format!("Riskanalys {} efter incident {}", s.name, i.known_at.date()),
                scope: format!("Efter incidenten «{}»", i.title),
                analysed_on: today,
                system_id: Some(s.id),
                method_version_id: w.method().id,
                status: AnalysisStatus::Pagar,
                ..Default::default()
            })?,
        };
        let levels = |scale: &[crate::method::ScaleLevel]| scale.iter().map(|l| l.value).max().unwrap_or(4);
        let top_p = levels(&method.risk_matrix.probability);
        let top_c = levels(&method.risk_matrix.consequence);
        let pick = |text: &str, fallback: &str| {
            if text.trim().is_empty() { fallback.to_string() } else { text.trim().to_string() }
        };
        let risk = w.insert(Risk {
            analysis_id: analysis.id,
            threat_id: i.threat_id,
            title: i.title.clone(),
            orsak: pick(if i.root_cause.trim().is_empty() { &i.cause } else { &i.root_cause }, "Se incidenten"),
            handelse: pick(&i.description, &i.title),
            konsekvens: pick(&i.impact, "Se incidenten"),
            aspects: i.aspects.clone(),
            probability: top_p.saturating_sub(1).max(1),
            consequence: i.consequence.unwrap_or(top_c.div_ceil(2)),
            needs_review: true,
            ..Default::default()
        })?;
        w.insert(IncidentLink::to(i.id, LinkTarget::Risk(risk.id)))?;
        Ok(risk)
    })
}

/// An action the incident gave (planerad), linked to it; for the incident's first system when
/// `new` names none. One transaction.
pub fn action_from_incident(store: &mut Store, incident: IncidentId, new: &NewAction) -> Result<Action> {
    store.write("Ny åtgärd från incident", |w| {
        let i: Incident = w.get(incident)?;
        let mut action = new.action();
        if action.system_id.is_none() {
            action.system_id =
                w.list_by::<IncidentLink>("incident_id", &i.id.to_string())?.iter().find_map(|l| l.system_id);
        }
        let action = w.insert(action)?;
        w.insert(IncidentLink::to(i.id, LinkTarget::Action(action.id)))?;
        Ok(action)
    })
}

/// Saves a recipient of incident reports; a name another recipient has is refused.
pub fn save_recipient(store: &mut Store, recipient: Recipient) -> Result<Recipient> {
    super::refuse_taken_name(
        store,
        recipient.id,
        &recipient.name,
        |r: &Recipient| &r.name,
        "mottagarens namn",
        "mottagare",
    )?;
    if recipient.id.is_nil() {
        store.write("Ny mottagare", |w| w.insert(recipient))
    } else {
        store.write("Ändra mottagare", |w| w.update(recipient))
    }
}
