//! The demo's incidents, one in every state a newcomer should see: a betydande incident known
//! this morning with its clocks running, one whose early warning was missed, a personal data
//! breach reported to IMY, and one closed a few months ago with every report sent, its lessons
//! and the risk and action it gave.

use super::builder::{Builder, World};
use crate::error::Result;
use crate::incident::{self, ReportKind};
use crate::method::Aspect;
use crate::model::*;
use crate::store::Read;
use chrono::{Duration, NaiveDate, NaiveTime};

/// A Swedish time on a day.
fn at(day: NaiveDate, h: u32, m: u32) -> Moment {
    Moment(incident::in_sweden(day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))))
}

impl Builder<'_, '_> {
    pub(super) fn incidents(&mut self, world: &World) -> Result<()> {
        let recipients = self.w.list::<Recipient>()?;
        let to = |kind: ReportKind| {
            recipients.iter().find(|r| r.receives.contains(&kind)).or(recipients.first()).map(|r| r.id)
        };
        let today = self.today;
        let system = |i: usize| world.systems.get(i % world.systems.len().max(1)).copied();
        let handler = |f| world.people.get(&f).map(|p| p.samordnare);

        // 1. Known just after midnight, betydande: the early warning's clock runs all day (the
        //    demo is made at any hour, and an incident known later than "now" would be odd).
        if let Some((sid, f)) = system(0) {
            let i = self.w.insert(Incident {
                title: "Utpressningsprogram på filserver".into(),
                description:
                    "Nattjouren såg krypterade filer på en filserver som systemet använder; servern isolerades.".into(),
                forvaltning_id: Some(f),
                detected_at: Some(at(today - Duration::days(1), 23, 40)),
                known_at: at(today, 0, 15),
                reported_by: "IT-servicedesk".into(),
                handler_id: handler(f),
                aspects: vec![Aspect::T, Aspect::K],
                consequence: Some(3),
                cause: "Misstänkt intrång via stulna inloggningsuppgifter".into(),
                malicious: Answer::Ja,
                significant: true,
                significance_reasoning:
                    "Verksamhetskritiskt system otillgängligt för invånare; sannolikt avsiktligt angrepp.".into(),
                impact: "Ärendehandläggningen står still; reservrutin på papper används.".into(),
                status: IncidentStatus::UnderHantering,
                ..Default::default()
            })?;
            self.w.insert(IncidentLink::to(i.id, LinkTarget::System(sid)))?;
        }

        // 2. Known five days ago, betydande: the early warning was never sent (missed); the
        //    notification went late.
        if let Some((sid, f)) = system(3) {
            let known = at(today - Duration::days(5), 16, 0);
            let i = self.w.insert(Incident {
                title: "Avbrott i leverantörens driftmiljö".into(),
                description: "Leverantörens datacenter tappade ström; tjänsten var nere i 14 timmar.".into(),
                forvaltning_id: Some(f),
                known_at: known,
                reported_by: "Leverantörens driftmeddelande".into(),
                handler_id: handler(f),
                aspects: vec![Aspect::T],
                consequence: Some(2),
                cause: "Strömavbrott hos leverantören".into(),
                malicious: Answer::Nej,
                supplier_id: world.suppliers.first().map(|s| s.0),
                significant: true,
                significance_reasoning: "Avbrottet översteg 12 timmar för en samhällsviktig tjänst.".into(),
                status: IncidentStatus::UnderHantering,
                ..Default::default()
            })?;
            self.w.insert(IncidentLink::to(i.id, LinkTarget::System(sid)))?;
            if let Some(r) = to(ReportKind::Incidentanmalan) {
                self.w.insert(IncidentReport {
                    incident_id: i.id,
                    kind: ReportKind::Incidentanmalan,
                    sent_at: Moment(known.at() + Duration::hours(80)),
                    recipient_id: r,
                    reference: "CSIRT-2026-0412".into(),
                    ..Default::default()
                })?;
            }
        }

        // 3. A personal data breach two days ago: IMY was told in time.
        if let Some((sid, f)) = system(5) {
            let known = at(today - Duration::days(2), 10, 30);
            let i = self.w.insert(Incident {
                title: "E-post med personuppgifter till fel mottagare".into(),
                description: "Ett beslut med personnummer och hälsouppgifter skickades till fel vårdnadshavare.".into(),
                forvaltning_id: Some(f),
                known_at: known,
                reported_by: "Handläggare".into(),
                handler_id: handler(f),
                aspects: vec![Aspect::K],
                consequence: Some(2),
                cause: "Fel adress valdes i e-postklienten".into(),
                personal_data_breach: Answer::Ja,
                personal_data_categories: "Personnummer, hälsouppgifter".into(),
                people_affected: Some(1),
                measures: "Mottagaren har bekräftat att e-posten raderats.".into(),
                status: IncidentStatus::UnderHantering,
                ..Default::default()
            })?;
            self.w.insert(IncidentLink::to(i.id, LinkTarget::System(sid)))?;
            if let Some(r) = to(ReportKind::Gdpr) {
                self.w.insert(IncidentReport {
                    incident_id: i.id,
                    kind: ReportKind::Gdpr,
                    sent_at: Moment(known.at() + Duration::hours(26)),
                    recipient_id: r,
                    reference: "IMY-2026-8815".into(),
                    ..Default::default()
                })?;
            }
        }

        // 4. Closed, three months ago: every report sent, lessons learned, a risk and an action.
        if let Some((sid, f)) = system(1) {
            let known = at(today - Duration::days(95), 9, 10);
            let closed = today - Duration::days(40);
            let i = self.w.insert(Incident {
                title: "Nätfiske ledde till kapat konto".into(),
                description: "En medarbetare lämnade ut sina inloggningsuppgifter på en falsk inloggningssida; kontot skickade nätfiske vidare.".into(),
                forvaltning_id: Some(f),
                occurred_at: Some(at(today - Duration::days(96), 14, 0)),
                detected_at: Some(at(today - Duration::days(95), 8, 45)),
                known_at: known,
                reported_by: "Säkerhetsövervakningen".into(),
                handler_id: handler(f),
                aspects: vec![Aspect::K, Aspect::R],
                consequence: Some(3),
                cause: "Nätfiske".into(),
                threat_id: world.threats.iter().find(|t| t.name.to_lowercase().contains("nätfiske")).map(|t| t.id),
                significant: true,
                significance_reasoning: "Kontot användes för att nå externa mottagare; risk för spridning.".into(),
                impact: "Ett konto kapat i sex timmar; 300 nätfiskemejl skickades till externa adresser.".into(),
                indicators: "Inloggning från okänd IP-adress i annat land; ny regel för vidarebefordran i brevlådan.".into(),
                measures: "Kontot spärrades, lösenord byttes, regeln togs bort, mottagarna varnades.".into(),
                root_cause: "Flerfaktorsinloggning saknades för e-post utanför kommunens nät.".into(),
                lessons: "Flerfaktorsinloggning för alla konton; övning i att känna igen nätfiske.".into(),
                status: IncidentStatus::Avslutad,
                closed_on: Some(closed),
                ..Default::default()
            })?;
            self.w.insert(IncidentLink::to(i.id, LinkTarget::System(sid)))?;
            for (kind, hours) in
                [(ReportKind::TidigVarning, 6), (ReportKind::Incidentanmalan, 50), (ReportKind::Slutrapport, 24 * 20)]
            {
                if let Some(r) = to(kind) {
                    self.w.insert(IncidentReport {
                        incident_id: i.id,
                        kind,
                        sent_at: Moment(known.at() + Duration::hours(hours)),
                        recipient_id: r,
                        reference: "CSIRT-2026-0233".into(),
                        ..Default::default()
                    })?;
                }
            }
            // What it gave: the risk it showed in the system's analysis, and an action that
            // treats that risk.
            let analyses = self.w.list_by::<RiskAnalysis>("system_id", &sid.to_string())?;
            let risk = self.w.list::<Risk>()?.into_iter().find(|r| analyses.iter().any(|a| a.id == r.analysis_id));
            if let Some(risk) = risk {
                self.w.insert(IncidentLink::to(i.id, LinkTarget::Risk(risk.id)))?;
                let action = self.w.insert(Action {
                    title: "Inför flerfaktorsinloggning för e-post".into(),
                    description: "Lärdom från incidenten med kapat konto.".into(),
                    system_id: Some(sid),
                    responsible_id: handler(f),
                    due_on: Some(today + Duration::days(30)),
                    status: ActionStatus::Pagar,
                    ..Default::default()
                })?;
                self.w.insert(ActionLink { action_id: action.id, risk_id: Some(risk.id), ..Default::default() })?;
                self.w.insert(IncidentLink::to(i.id, LinkTarget::Action(action.id)))?;
            }
        }
        Ok(())
    }
}
