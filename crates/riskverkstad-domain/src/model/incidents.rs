//! Incidents: what happened and when it became known, what it touched, whether it is a
//! betydande incident or a personal data breach (which start the clocks of
//! [`crate::incident`]), the reports sent and to whom, and the lessons fed back into the risk
//! work through links to risks and actions.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::incident::{self, Deadline, ReportKind, Reportable, Sent};
use crate::method::{Aspect, Method};
use crate::record::Validate;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A moment with its time zone, as incidents need ("became known 2026-11-27 16:00"): kept as
/// the instant in Swedish time (`2026-11-27T16:00:00+01:00`), read from that form, from any
/// RFC 3339 time, or from "YYYY-MM-DD HH:MM" meant as Swedish time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Moment(pub DateTime<FixedOffset>);

impl Moment {
    /// Reads a moment as a person writes it (see [`incident::parse_time`]).
    pub fn parse(text: &str) -> Result<Moment, String> {
        incident::parse_time(text).map(|t| Moment(incident::swedish(t)))
    }

    /// The instant.
    pub fn at(self) -> DateTime<FixedOffset> {
        self.0
    }

    /// The Swedish calendar date.
    pub fn date(self) -> NaiveDate {
        incident::swedish(self.0).date_naive()
    }

    /// "2026-11-27 16:00", Swedish time.
    pub fn local(self) -> String {
        incident::swedish(self.0).format("%Y-%m-%d %H:%M").to_string()
    }

    /// The moment a day starts in Sweden (for tests and a date-only clock).
    pub fn start_of(day: NaiveDate) -> Moment {
        Moment(incident::in_sweden(day.and_time(chrono::NaiveTime::MIN)))
    }
}

impl Default for Moment {
    fn default() -> Self {
        Moment::start_of(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&incident::swedish(self.0).to_rfc3339())
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Moment::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl crate::column::SqlKind for Moment {
    const KIND: crate::column::ColKind = crate::column::ColKind::Text;
}

text_enum! {
    /// Where an incident stands.
    pub enum IncidentStatus {
        /// Recorded, not yet taken on.
        Oppen = "oppen" / "Öppen",
        /// Being handled.
        UnderHantering = "under_hantering" / "Under hantering",
        /// Closed.
        Avslutad = "avslutad" / "Avslutad",
    }
}

impl IncidentStatus {
    /// True until the incident is closed.
    pub fn is_open(self) -> bool {
        self != IncidentStatus::Avslutad
    }
}

text_enum! {
    /// An answer to a question the reports ask of an incident (was personal data breached,
    /// GDPR art. 33; is it suspected to be deliberate or unlawful): yes, no, or not yet known.
    pub enum Answer {
        /// Not yet known.
        VetEj = "vet_ej" / "Vet ej",
        /// No.
        Nej = "nej" / "Nej",
        /// Yes.
        Ja = "ja" / "Ja",
    }
}

record! {
    /// An incident (IT- eller informationssäkerhetsincident), recorded at an overall level.
    pub struct Incident(IncidentId) in "incident", "Incidenten", owned by [forvaltning_id] {
        /// Short title.
        pub title: String,
        /// What happened.
        pub description: String,
        /// The förvaltning that handles it (the first affected system's, unless chosen).
        pub forvaltning_id: Option<ForvaltningId>,
        /// When it occurred, if known.
        pub occurred_at: Option<Moment>,
        /// When it was detected, if other than when it became known here.
        pub detected_at: Option<Moment>,
        /// When it became known to the organisation: the clocks start here.
        pub known_at: Moment,
        /// Who reported it (a name, a unit, a supplier).
        pub reported_by: String,
        /// Who handles it.
        pub handler_id: Option<PersonId>,
        /// The aspects affected (K, R, T, S).
        pub aspects: Vec<Aspect>,
        /// The consequence on the organisation's risk scale (1..=n), when assessed.
        pub consequence: Option<u8>,
        /// The threat from the catalogue that came true, if one fits.
        pub threat_id: Option<ThreatId>,
        /// The cause as known (suspected at first, the root cause later).
        pub cause: String,
        /// A supplier involved.
        pub supplier_id: Option<ExternalPartyId>,
        /// Whether personal data was breached.
        pub personal_data_breach: Answer,
        /// Which categories of personal data.
        pub personal_data_categories: String,
        /// About how many people are affected.
        pub people_affected: Option<u32>,
        /// When the people affected were told (GDPR art. 34), if they were.
        pub subjects_informed_on: Option<NaiveDate>,
        /// A betydande incident under cybersäkerhetslagen (2025:1506).
        pub significant: bool,
        /// The coordinator's reasoning on whether it is betydande.
        pub significance_reasoning: String,
        /// Severity and impact: what it did to the business and to others.
        pub impact: String,
        /// Effects across borders (other EU member states), if any.
        pub cross_border: String,
        /// Indicators of compromise, where there are any.
        pub indicators: String,
        /// Measures taken, to contain and to repair.
        pub measures: String,
        /// The root cause, once found.
        pub root_cause: String,
        /// Lessons learned.
        pub lessons: String,
        /// Where it stands.
        pub status: IncidentStatus,
        /// When it was closed.
        pub closed_on: Option<NaiveDate>,
        /// Whether it is suspected to be caused by a deliberate or unlawful act (the early
        /// warning asks; an incident from before this was kept is not yet known).
        #[serde(default)]
        pub malicious: Answer,
    }
}

record! {
    /// Links an incident to what it touched or what came of it: an affected system or
    /// information set, a risk it showed, an action it gave (exactly one).
    pub struct IncidentLink(IncidentLinkId) in "incident_link", "Incidentkopplingen", owned by [incident_id, system_id] {
        /// The incident.
        pub incident_id: IncidentId,
        /// An affected system.
        pub system_id: Option<SystemId>,
        /// An affected information set.
        pub information_set_id: Option<InformationSetId>,
        /// A risk the incident showed.
        pub risk_id: Option<RiskId>,
        /// An action the incident gave.
        pub action_id: Option<ActionId>,
    }
}

/// What an incident link points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// An affected system.
    System(SystemId),
    /// An affected information set.
    InformationSet(InformationSetId),
    /// A risk the incident showed.
    Risk(RiskId),
    /// An action the incident gave.
    Action(ActionId),
}

impl IncidentLink {
    /// A link of `incident` to `target`, not yet stored.
    pub fn to(incident: IncidentId, target: LinkTarget) -> IncidentLink {
        let mut link = IncidentLink { incident_id: incident, ..Default::default() };
        match target {
            LinkTarget::System(s) => link.system_id = Some(s),
            LinkTarget::InformationSet(s) => link.information_set_id = Some(s),
            LinkTarget::Risk(r) => link.risk_id = Some(r),
            LinkTarget::Action(a) => link.action_id = Some(a),
        }
        link
    }

    /// What the link points at, when it points at exactly one thing.
    pub fn target(&self) -> Option<LinkTarget> {
        match (self.system_id, self.information_set_id, self.risk_id, self.action_id) {
            (Some(s), None, None, None) => Some(LinkTarget::System(s)),
            (None, Some(s), None, None) => Some(LinkTarget::InformationSet(s)),
            (None, None, Some(r), None) => Some(LinkTarget::Risk(r)),
            (None, None, None, Some(a)) => Some(LinkTarget::Action(a)),
            _ => None,
        }
    }
}

record! {
    /// Who incident reports go to: the CSIRT function, IMY, the central office, the insurer.
    /// Data the organisation edits, because authorities' names and addresses change.
    pub struct Recipient(RecipientId) in "recipient", "Mottagaren" {
        /// Name ("CERT-SE (Myndigheten för civilt försvar)").
        pub name: String,
        /// The reports that usually go to it.
        pub receives: Vec<ReportKind>,
        /// How to reach it (a web form, an address, a telephone number).
        pub address: String,
        /// A note.
        pub note: String,
    }
}

impl crate::column::SqlKind for Vec<ReportKind> {
    const KIND: crate::column::ColKind = crate::column::ColKind::Json;
}

record! {
    /// A report of an incident that was sent: which, when, to whom, under what reference.
    pub struct IncidentReport(IncidentReportId) in "incident_report", "Rapporten", owned by [incident_id] {
        /// The incident.
        pub incident_id: IncidentId,
        /// Which report.
        pub kind: ReportKind,
        /// When it was sent.
        pub sent_at: Moment,
        /// To whom.
        pub recipient_id: RecipientId,
        /// The recipient's reference (ärendenummer), when given.
        pub reference: String,
        /// A note.
        pub note: String,
    }
}

impl Incident {
    /// What decides its deadlines.
    pub fn reportable(&self) -> Reportable {
        Reportable { significant: self.significant, personal_data_breach: self.personal_data_breach == Answer::Ja }
    }

    /// Its deadlines at `now`, with what was sent (reports of other incidents are ignored).
    pub fn deadlines(&self, reports: &[IncidentReport], now: DateTime<FixedOffset>) -> Vec<Deadline> {
        let sent: Vec<Sent> = reports
            .iter()
            .filter(|r| r.incident_id == self.id)
            .map(|r| Sent { kind: r.kind, at: r.sent_at.at() })
            .collect();
        incident::deadlines(self.known_at.at(), self.reportable(), &sent, now)
    }

    /// A serious incident ("allvarlig incident"): betydande, or assessed at one of the two
    /// highest consequence levels of the method's risk scale. It makes a new risk analysis of
    /// the affected systems due.
    pub fn is_serious(&self, method: &Method) -> bool {
        let top = method.risk_matrix.consequence.iter().map(|l| l.value).max().unwrap_or(4);
        self.significant || self.consequence.is_some_and(|c| c + 1 >= top)
    }

    /// Makes the closing date agree with the status: a closed incident without one was
    /// closed `today`; an open one has none.
    pub fn settle(&mut self, today: NaiveDate) {
        if self.status.is_open() {
            self.closed_on = None;
        } else if self.closed_on.is_none() {
            self.closed_on = Some(today);
        }
    }
}

impl Validate for Incident {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        if let Some(c) = self.consequence
            && !method.risk_matrix.consequence.iter().any(|l| l.value == c)
        {
            return Err(Invalid::new(
                "konsekvensnivå",
                format!("värdet {c} finns inte på skalan 1–{}", method.risk_matrix.consequence.len()),
            ));
        }
        for (field, at) in [("inträffade", self.occurred_at), ("upptäcktes", self.detected_at)] {
            if at.is_some_and(|t| t > self.known_at) {
                return Err(Invalid::new(
                    field,
                    format!("kan inte vara efter att incidenten blev känd ({})", self.known_at.local()),
                ));
            }
        }
        if self.status == IncidentStatus::Avslutad && self.closed_on.is_none() {
            return Err(Invalid::new("avslutad den", "ange när incidenten avslutades"));
        }
        if self.status.is_open() && self.closed_on.is_some() {
            return Err(Invalid::new("avslutad den", "en incident som inte är avslutad har inget avslutsdatum"));
        }
        if self.closed_on.is_some_and(|d| d < self.known_at.date()) {
            return Err(Invalid::new("avslutad den", "kan inte vara före att incidenten blev känd"));
        }
        Ok(())
    }
}

impl Validate for IncidentLink {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        match self.target() {
            Some(_) => Ok(()),
            None => Err(Invalid::new(
                "koppling",
                "en incident kopplas till ett system, en informationsmängd, en risk eller en åtgärd (exakt en)",
            )),
        }
    }
}

impl Validate for Recipient {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("mottagarens namn", &self.name)
    }
}

impl Validate for IncidentReport {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        Ok(())
    }
}

/// A new incident as the coordinator first hears of it: a title and when it became known are
/// enough to start the clocks; the rest is filled in on the incident's page.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct NewIncident {
    /// Short title.
    pub title: String,
    /// What happened, as first told.
    #[serde(default)]
    pub description: String,
    /// When it became known.
    pub known_at: Moment,
    /// Who reported it.
    #[serde(default)]
    pub reported_by: String,
    /// Affected systems.
    #[serde(default)]
    pub system_ids: Vec<SystemId>,
    /// A betydande incident under cybersäkerhetslagen.
    #[serde(default)]
    pub significant: bool,
    /// Whether personal data was breached.
    #[serde(default)]
    pub personal_data_breach: Answer,
}

/// The report of a sending, as a person records it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportSent {
    /// The incident.
    pub incident_id: IncidentId,
    /// Which report.
    pub kind: ReportKind,
    /// When it was sent.
    pub sent_at: Moment,
    /// To whom.
    pub recipient_id: RecipientId,
    /// The recipient's reference, if any.
    #[serde(default)]
    pub reference: String,
}

/// The recipients a new database starts with: names as of 2026, to be edited as they change.
pub fn default_recipients() -> Vec<Recipient> {
    let r = |name: &str, receives: &[ReportKind], address: &str, note: &str| Recipient {
        name: name.into(),
        receives: receives.to_vec(),
        address: address.into(),
        note: note.into(),
        ..Default::default()
    };
    vec![
        r(
            "CERT-SE (nationell CSIRT-funktion)",
            &[ReportKind::TidigVarning, ReportKind::Incidentanmalan, ReportKind::Slutrapport],
            "Incidentrapportering via den nationella rapporteringstjänsten",
            "Mottagare av rapporter enligt cybersäkerhetslagen (2025:1506); kontrollera aktuell myndighet.",
        ),
        r(
            "Integritetsskyddsmyndigheten (IMY)",
            &[ReportKind::Gdpr],
            "Anmälan av personuppgiftsincident via imy.se",
            "Personuppgiftsincidenter enligt GDPR art. 33.",
        ),
        r("Kommunens centrala informationssäkerhetsfunktion", &[], "", "Internt: eskalering och samlad lägesbild."),
        r("Kommunens försäkringsbolag", &[], "", "Vid skada som kan omfattas av försäkring."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(known: &str) -> Incident {
        Incident {
            title: "Intrång".into(),
            known_at: Moment::parse(known).unwrap(),
            significant: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_moment_reads_swedish_time_and_keeps_its_offset_in_storage() {
        let m = Moment::parse("2026-11-27 16:00").unwrap();
        assert_eq!(m.to_string(), "2026-11-27T16:00:00+01:00");
        assert_eq!(m.local(), "2026-11-27 16:00");
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"2026-11-27T16:00:00+01:00\"");
        // A UTC time is kept as the same instant in Swedish time.
        let utc: Moment = serde_json::from_str("\"2026-07-01T06:00:00Z\"").unwrap();
        assert_eq!(utc.to_string(), "2026-07-01T08:00:00+02:00");
        assert!(serde_json::from_str::<Moment>("\"igår\"").is_err());
    }

    #[test]
    fn an_incident_checks_its_times_and_its_close() {
        let method = Method::default_klassa();
        let mut i = incident("2026-11-27 16:00");
        assert!(i.validate(&method).is_ok());
        i.occurred_at = Some(Moment::parse("2026-11-28 10:00").unwrap());
        assert!(i.validate(&method).unwrap_err().to_string().contains("inträffade"));
        i.occurred_at = Some(Moment::parse("2026-11-26 22:00").unwrap());
        i.status = IncidentStatus::Avslutad;
        assert!(i.validate(&method).is_err(), "closed without a date");
        i.settle(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert!(i.validate(&method).is_ok());
        i.consequence = Some(9);
        assert!(i.validate(&method).unwrap_err().to_string().contains("konsekvensnivå"));
    }

    #[test]
    fn the_clocks_come_from_the_incident_and_its_own_reports() {
        let i = Incident { id: IncidentId(uuid::Uuid::from_u128(1)), ..incident("2026-11-27 16:00") };
        let sent = IncidentReport {
            incident_id: i.id,
            kind: ReportKind::TidigVarning,
            sent_at: Moment::parse("2026-11-28 09:00").unwrap(),
            ..Default::default()
        };
        let other = IncidentReport { incident_id: IncidentId(uuid::Uuid::from_u128(2)), ..sent.clone() };
        let now = Moment::parse("2026-11-28 17:00").unwrap().at();
        let d = i.deadlines(std::slice::from_ref(&sent), now);
        assert_eq!(d[0].state, incident::DeadlineState::Skickad);
        let d = i.deadlines(&[other], now);
        assert_eq!(d[0].state, incident::DeadlineState::Missad, "another incident's report does not count");
        assert_eq!(d.len(), 3, "betydande, no personal data: three reports");
    }

    #[test]
    fn a_serious_incident_is_betydande_or_near_the_top_of_the_scale() {
        let method = Method::default_klassa();
        let mut i = incident("2026-11-27 16:00");
        assert!(i.is_serious(&method));
        i.significant = false;
        assert!(!i.is_serious(&method));
        let top = method.risk_matrix.consequence.len() as u8;
        i.consequence = Some(top - 1);
        assert!(i.is_serious(&method));
        i.consequence = Some(top - 2);
        assert!(!i.is_serious(&method));
    }

    #[test]
    fn a_link_points_at_exactly_one_thing() {
        let method = Method::default_klassa();
        let id = IncidentId(uuid::Uuid::from_u128(1));
        let link = IncidentLink::to(id, LinkTarget::System(SystemId(uuid::Uuid::from_u128(5))));
        assert!(link.validate(&method).is_ok());
        let both = IncidentLink { risk_id: Some(RiskId(uuid::Uuid::from_u128(6))), ..link };
        assert!(both.validate(&method).is_err());
        assert!(IncidentLink { incident_id: id, ..Default::default() }.validate(&method).is_err());
    }
}
