//! The duties that come back: recurring controls (kontrollmoment) and each time one was done,
//! time-limited exceptions (avsteg) from a requirement, the extra requirements (tilläggskrav) a
//! system carries beyond its class, and the free-text parts of a system's systemsäkerhetsplan.

use super::required;
use crate::error::Invalid;
use crate::ids::*;
use crate::method::{Mandate, Method};
use crate::record::Validate;
use chrono::NaiveDate;

text_enum! {
    /// How a control went.
    pub enum ControlResult {
        /// Nothing to remark.
        UtanAnmarkning = "utan_anmarkning" / "Utan anmärkning",
        /// Deviations were found (they become actions).
        MedAvvikelser = "med_avvikelser" / "Med avvikelser",
    }
}

text_enum! {
    /// The figures a kind of control records each time it is done.
    pub enum ControlFigures {
        /// None beyond the result.
        Inga = "inga" / "Inga",
        /// Accounts reviewed and removed (an access review).
        Konton = "konton" / "Konton granskade och borttagna",
        /// The restore time achieved, against the system's RTO (a restore test).
        Aterlasning = "aterlasning" / "Uppnådd återställningstid",
    }
}

text_enum! {
    /// Where an extra requirement (tilläggskrav) on a system comes from.
    pub enum RequirementSource {
        /// A law or regulation.
        Lag = "lag" / "Lag eller förordning",
        /// A contract.
        Avtal = "avtal" / "Avtal",
        /// The business's own need.
        Verksamhet = "verksamhet" / "Verksamhetens behov",
        /// A threat or a risk found.
        Hot = "hot" / "Hot eller risk",
    }
}

record! {
    /// A kind of recurring control: the built-in ones (behörighetsgranskning,
    /// logguppföljning, återläsningstest, kontinuitetsövning, leverantörsuppföljning) and those
    /// the organisation adds. Reference data, matched by name between installations.
    pub struct ControlKind(ControlKindId) in "control_kind", "Kontrolltypen" {
        /// Name ("Behörighetsgranskning").
        pub name: String,
        /// What is done and what it shows.
        pub description: String,
        /// How often, in months, unless a control says otherwise.
        pub interval_months: u8,
        /// The requirements (by code) a done control of this kind evidences ("K-08").
        pub requirement_codes: Vec<String>,
        /// The figures recorded each time.
        pub figures: ControlFigures,
        /// Shipped with Riskverkstad (may still be edited).
        pub builtin: bool,
    }
}

record! {
    /// A recurring control (kontrollmoment) of a system, or of a whole förvaltning or the
    /// organisation when it has no system: what, how often, by whom, how it is done.
    pub struct Control(ControlId) in "control", "Kontrollmomentet", owned by [system_id, forvaltning_id] {
        /// The kind.
        pub kind_id: ControlKindId,
        /// Title ("Behörighetsgranskning – Ekonomisystem").
        pub title: String,
        /// The system controlled; none for a control of a förvaltning or the organisation.
        pub system_id: Option<SystemId>,
        /// The förvaltning it belongs to (the system's, unless it has none).
        pub forvaltning_id: Option<ForvaltningId>,
        /// How often, in months.
        pub interval_months: u8,
        /// Who does it (a named person, as the instructions demand).
        pub responsible_id: Option<PersonId>,
        /// How it is done ("samkörs mot lönesystemet").
        pub method: String,
        /// The requirements (by code) a done control evidences on its system.
        pub requirement_codes: Vec<String>,
        /// When it is first due, before it has ever been done.
        pub first_due: NaiveDate,
        /// When it was stopped (the system retired, the duty moved); none while it runs.
        pub ended_on: Option<NaiveDate>,
    }
}

record! {
    /// A time a control was done: when, by whom, how, with what result and findings.
    pub struct ControlRun(ControlRunId) in "control_run", "Kontrollen", owned by [control_id] {
        /// The control.
        pub control_id: ControlId,
        /// When it was done.
        pub done_on: NaiveDate,
        /// Who did it (a name, as they sign it).
        pub done_by: String,
        /// How it was done this time, if other than the control's method.
        pub method: String,
        /// The result.
        pub result: ControlResult,
        /// What was found (deviations become actions).
        pub findings: String,
        /// A note.
        pub note: String,
        /// Accounts reviewed (an access review).
        pub accounts_reviewed: Option<u32>,
        /// Accounts removed (an access review).
        pub accounts_removed: Option<u32>,
        /// The restore time achieved, in hours (a restore test), against the system's RTO.
        pub restore_hours: Option<u32>,
    }
}

record! {
    /// A time-limited exception (avsteg) from a requirement for a system: why, what
    /// compensates, who approved it under which mandate, and until when. While it runs the
    /// requirement is no gap; after it the gap is back.
    pub struct Exception(ExceptionId) in "exception", "Avsteget", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The requirement deviated from.
        pub requirement_id: RequirementId,
        /// Why the requirement is not met.
        pub reason: String,
        /// What compensates meanwhile.
        pub compensating: String,
        /// The risk accepted meanwhile: probability on the method's scale, when assessed.
        pub probability: Option<u8>,
        /// The risk accepted meanwhile: consequence on the method's scale, when assessed.
        pub consequence: Option<u8>,
        /// Who approved it.
        pub approved_by: Option<PersonId>,
        /// The mandate under which it was approved (at least the risk band's).
        pub approved_as: Mandate,
        /// When it was approved.
        pub approved_on: NaiveDate,
        /// The last day it holds.
        pub valid_until: NaiveDate,
        /// When it was withdrawn before its end (the requirement met, or the exception refused
        /// on review); none while it holds.
        pub withdrawn_on: Option<NaiveDate>,
    }
}

record! {
    /// An extra requirement (tilläggskrav) on one system, beyond what its class demands, and
    /// where it comes from.
    pub struct ExtraRequirement(ExtraRequirementId) in "extra_requirement", "Tilläggskravet", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// The requirement.
        pub requirement_id: RequirementId,
        /// Where it comes from.
        pub source: RequirementSource,
        /// The law, contract, need or threat, in words ("Avtal 2024-117, bilaga 3").
        pub note: String,
    }
}

record! {
    /// The free-text parts of a system's systemsäkerhetsplan; the rest of the plan is drawn
    /// from the records when it is made, and the made plan is frozen like a decision.
    pub struct SecurityPlan(SecurityPlanId) in "security_plan", "Systemsäkerhetsplanen", owned by [system_id] {
        /// The system.
        pub system_id: SystemId,
        /// Access profiles (behörighetsprofiler): who gets which rights, and how.
        pub access_profiles: String,
        /// What is logged, where, how long, and who follows it up how often.
        pub logging: String,
        /// Backup and restore: what, how often, where kept, the time to restore.
        pub backup: String,
        /// Continuity: reserve routines and how they are known and practised.
        pub continuity: String,
        /// The organisation around the system (förvaltning, support, supplier contacts).
        pub organisation: String,
        /// Anything else the plan must say.
        pub other: String,
    }
}

/// How many days before its end an exception is listed as due.
pub const EXCEPTION_NOTICE_DAYS: i64 = 30;

impl Control {
    /// "varje månad", "varannan månad", "var 3:e månad", "var 12:e månad".
    pub fn interval_text(&self) -> String {
        interval_text(self.interval_months)
    }

    /// Whether the control still runs on `today`.
    pub fn runs(&self, today: NaiveDate) -> bool {
        self.ended_on.is_none_or(|e| e > today)
    }

    /// The date it is next due: one interval after it was last done (`last`), or its first
    /// date when it never was.
    pub fn next_due(&self, last: Option<NaiveDate>) -> NaiveDate {
        match last {
            Some(d) => add_months(d, i32::from(self.interval_months.max(1))),
            None => self.first_due,
        }
    }
}

impl Exception {
    /// Whether the exception holds on `today`: approved, not withdrawn, not past its last day.
    pub fn holds(&self, today: NaiveDate) -> bool {
        self.withdrawn(today).is_none() && self.approved_on <= today && today <= self.valid_until
    }

    /// The day it was withdrawn, once that day has come.
    pub fn withdrawn(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.withdrawn_on.filter(|w| *w <= today)
    }

    /// Whether another exception from the same requirement on the same system, not withdrawn,
    /// runs longer than this one (a renewal): then this one's end is no longer news.
    pub fn renewed(&self, all: &[Exception], today: NaiveDate) -> bool {
        all.iter().any(|o| {
            o.id != self.id
                && o.system_id == self.system_id
                && o.requirement_id == self.requirement_id
                && o.valid_until > self.valid_until
                && o.withdrawn(today).is_none()
        })
    }
}

impl Validate for ControlKind {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("kontrolltypens namn", &self.name)?;
        interval(self.interval_months)
    }
}

impl Validate for Control {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("rubrik", &self.title)?;
        interval(self.interval_months)
    }
}

/// How often, in Swedish: "varje månad", "varannan månad", "var 3:e månad", "var 21:a månad".
pub fn interval_text(months: u8) -> String {
    match months {
        0 | 1 => "varje månad".into(),
        2 => "varannan månad".into(),
        n if matches!(n % 10, 1 | 2) && !matches!(n % 100, 11 | 12) => format!("var {n}:a månad"),
        n => format!("var {n}:e månad"),
    }
}

fn interval(months: u8) -> Result<(), Invalid> {
    if (1..=60).contains(&months) {
        Ok(())
    } else {
        Err(Invalid::new("intervall", format!("{months} månader: ange 1–60 månader")))
    }
}

impl Validate for ControlRun {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        required("utförd av", &self.done_by)?;
        if self.result == ControlResult::MedAvvikelser && self.findings.trim().is_empty() {
            return Err(Invalid::new("avvikelser", "beskriv avvikelserna som hittades"));
        }
        if let (Some(seen), Some(removed)) = (self.accounts_reviewed, self.accounts_removed)
            && removed > seen
        {
            return Err(Invalid::new(
                "borttagna konton",
                format!("{removed} borttagna av {seen} granskade: fler än som granskades"),
            ));
        }
        Ok(())
    }
}

impl Validate for Exception {
    fn validate(&self, method: &Method) -> Result<(), Invalid> {
        required("skäl", &self.reason)?;
        if self.valid_until < self.approved_on {
            return Err(Invalid::new(
                "giltigt till",
                format!("{} är före beslutsdagen {}", self.valid_until, self.approved_on),
            ));
        }
        if crate::ids::add_months(self.approved_on, 36) < self.valid_until {
            return Err(Invalid::new("giltigt till", "ett avsteg gäller högst tre år; förnya det i stället"));
        }
        if let Some((band, lowest)) = self.band(method)?
            && self.approved_as < lowest
        {
            return Err(Invalid::new(
                "godkänt som",
                format!(
                    "en risk i bandet {band} godkänns lägst av {}, inte av {}",
                    lowest.label().to_lowercase(),
                    self.approved_as.label().to_lowercase()
                ),
            ));
        }
        Ok(())
    }
}

impl Exception {
    /// The band of the risk accepted meanwhile and the lowest mandate that may approve it;
    /// none when the risk was not assessed.
    pub fn band(&self, method: &Method) -> Result<Option<(String, Mandate)>, Invalid> {
        match (self.probability, self.consequence) {
            (None, None) => Ok(None),
            (Some(p), Some(c)) => {
                method.check_risk_cell(p, c)?;
                let index = method
                    .risk_matrix
                    .band_index(p, c)
                    .ok_or_else(|| Invalid::new("risk", "sannolikhet och konsekvens ligger utanför skalan"))?;
                let band = &method.risk_matrix.bands[index];
                Ok(Some((band.name.clone(), band.acceptance.lowest_mandate)))
            }
            _ => Err(Invalid::new("risk", "ange både sannolikhet och konsekvens, eller ingen av dem")),
        }
    }
}

impl Validate for ExtraRequirement {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        Ok(())
    }
}

impl Validate for SecurityPlan {
    fn validate(&self, _: &Method) -> Result<(), Invalid> {
        Ok(())
    }
}

/// A control done, as a person records it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ControlDone {
    /// The control.
    pub control_id: ControlId,
    /// When it was done.
    pub done_on: NaiveDate,
    /// Who did it.
    pub done_by: String,
    /// The result.
    pub result: ControlResult,
    /// What was found.
    #[serde(default)]
    pub findings: String,
    /// A note.
    #[serde(default)]
    pub note: String,
    /// How it was done this time, if other than the control's method.
    #[serde(default)]
    pub method: String,
    /// Accounts reviewed.
    #[serde(default)]
    pub accounts_reviewed: Option<u32>,
    /// Accounts removed.
    #[serde(default)]
    pub accounts_removed: Option<u32>,
    /// Restore time achieved, in hours.
    #[serde(default)]
    pub restore_hours: Option<u32>,
}

impl ControlDone {
    /// The run record (new, not yet stored), trimmed.
    pub fn run(&self) -> ControlRun {
        ControlRun {
            control_id: self.control_id,
            done_on: self.done_on,
            done_by: self.done_by.trim().to_string(),
            method: self.method.trim().to_string(),
            result: self.result,
            findings: self.findings.trim().to_string(),
            note: self.note.trim().to_string(),
            accounts_reviewed: self.accounts_reviewed,
            accounts_removed: self.accounts_removed,
            restore_hours: self.restore_hours,
            ..Default::default()
        }
    }
}

/// The kinds of control a new database starts with: each recurring duty of the built-in
/// requirements catalogue has one (the test below holds them together).
pub fn builtin_control_kinds() -> Vec<ControlKind> {
    let k = |name: &str, interval_months: u8, codes: &[&str], figures: ControlFigures, description: &str| ControlKind {
        name: name.into(),
        description: description.into(),
        interval_months,
        requirement_codes: codes.iter().map(|c| c.to_string()).collect(),
        figures,
        builtin: true,
        ..Default::default()
    };
    vec![
        k(
            "Behörighetsgranskning",
            12,
            &["K-08", "K-03"],
            ControlFigures::Konton,
            "Tilldelade behörigheter kontrolleras mot vilka som ska ha dem (t.ex. samkörs mot personalsystemet); konton som inte ska finnas tas bort.",
        ),
        k(
            "Logguppföljning",
            1,
            &["S-06"],
            ControlFigures::Inga,
            "Säkerhetsloggarna följs upp av den som ansvarar för det, med den intervall som är bestämd; avvikelser utreds.",
        ),
        k(
            "Återläsningstest",
            12,
            &["T-11", "T-01"],
            ControlFigures::Aterlasning,
            "En säkerhetskopia läses tillbaka och förmågan att återställa information verifieras; uppnådd tid jämförs med RTO.",
        ),
        k(
            "Kontinuitetsövning",
            12,
            &["T-12", "T-07"],
            ControlFigures::Inga,
            "Reservrutinerna gås igenom och övas med dem som ska använda dem.",
        ),
        k(
            "Leverantörsuppföljning",
            12,
            &["T-08", "K-09"],
            ControlFigures::Inga,
            "Leverantörens efterlevnad av avtalets säkerhetskrav kontrolleras som en del i avtalsuppföljningen.",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn every_recurring_duty_of_the_catalogue_has_a_builtin_kind() {
        let kinds = builtin_control_kinds();
        let codes: Vec<&str> = kinds.iter().flat_map(|k| k.requirement_codes.iter().map(String::as_str)).collect();
        // The catalogue's recurring duties: yearly access review, log review, tested restore,
        // the continuity plan practised, reserve routines, supplier contracts followed up.
        for duty in ["K-08", "S-06", "T-11", "T-12", "T-07", "T-08"] {
            assert!(codes.contains(&duty), "{duty} has no control kind");
        }
        let catalogue = crate::catalog::builtin_requirements();
        for c in codes {
            assert!(catalogue.iter().any(|r| r.code == c), "{c} is not in the catalogue");
        }
        let method = Method::default_klassa();
        assert!(kinds.iter().all(|k| k.validate(&method).is_ok()));
    }

    #[test]
    fn a_control_is_due_one_interval_after_it_was_last_done_or_at_its_first_date() {
        let c = Control { interval_months: 12, first_due: day("2026-03-01"), ..Default::default() };
        assert_eq!(c.next_due(None), day("2026-03-01"));
        assert_eq!(c.next_due(Some(day("2026-02-28"))), day("2027-02-28"));
        let monthly = Control { interval_months: 1, ..c.clone() };
        assert_eq!(monthly.next_due(Some(day("2026-01-31"))), day("2026-02-28"), "month end");
        assert!(c.runs(day("2030-01-01")));
        let ended = Control { ended_on: Some(day("2026-06-01")), ..c };
        assert!(ended.runs(day("2026-05-31")) && !ended.runs(day("2026-06-01")));
    }

    #[test]
    fn an_interval_is_said_as_swedes_say_it() {
        let said: Vec<String> = [1, 2, 3, 6, 12, 21, 22, 24, 11].iter().map(|n| interval_text(*n)).collect();
        assert_eq!(
            said,
            [
                "varje månad",
                "varannan månad",
                "var 3:e månad",
                "var 6:e månad",
                "var 12:e månad",
                "var 21:a månad",
                "var 22:a månad",
                "var 24:e månad",
                "var 11:e månad"
            ]
        );
    }

    #[test]
    fn a_withdrawn_renewal_does_not_hide_the_end_of_the_exception_before_it() {
        let e = Exception {
            id: ExceptionId(uuid::Uuid::from_u128(1)),
            approved_on: day("2026-01-01"),
            valid_until: day("2026-06-30"),
            ..Default::default()
        };
        let renewal = Exception {
            id: ExceptionId(uuid::Uuid::from_u128(2)),
            approved_on: day("2026-06-01"),
            valid_until: day("2026-12-31"),
            ..e.clone()
        };
        let all = [e.clone(), renewal.clone()];
        assert!(e.renewed(&all, day("2026-07-01")));
        let withdrawn = Exception { withdrawn_on: Some(day("2026-06-15")), ..renewal };
        assert!(!e.renewed(&[e.clone(), withdrawn.clone()], day("2026-07-01")));
        assert!(e.renewed(&[e.clone(), withdrawn], day("2026-06-14")), "not withdrawn yet that day");
    }

    #[test]
    fn an_exception_holds_from_its_approval_through_its_last_day_unless_withdrawn() {
        let e = Exception {
            reason: "Leverantören saknar stöd".into(),
            approved_on: day("2026-01-10"),
            valid_until: day("2026-12-31"),
            ..Default::default()
        };
        assert!(!e.holds(day("2026-01-09")));
        assert!(e.holds(day("2026-01-10")) && e.holds(day("2026-12-31")));
        assert!(!e.holds(day("2027-01-01")));
        let withdrawn = Exception { withdrawn_on: Some(day("2026-06-01")), ..e.clone() };
        assert!(withdrawn.holds(day("2026-05-31")) && !withdrawn.holds(day("2026-06-01")));
        let method = Method::default_klassa();
        assert!(e.validate(&method).is_ok());
        let backwards = Exception { valid_until: day("2025-12-31"), ..e.clone() };
        assert!(backwards.validate(&method).unwrap_err().to_string().contains("före beslutsdagen"));
        let forever = Exception { valid_until: day("2030-01-01"), ..e.clone() };
        assert!(forever.validate(&method).unwrap_err().to_string().contains("högst tre år"));
        let half = Exception { probability: Some(2), ..e.clone() };
        assert!(half.validate(&method).is_err());
        // The band rules decide the mandate: the highest cell needs more than a system owner.
        let top = method.risk_matrix.probability.len() as u8;
        let high = Exception { probability: Some(top), consequence: Some(top), approved_as: Mandate::Systemagare, ..e };
        let (band, lowest) = high.band(&method).unwrap().unwrap();
        assert!(lowest > Mandate::Systemagare, "{band}");
        assert!(high.validate(&method).unwrap_err().to_string().contains("godkänns lägst av"));
        assert!(Exception { approved_as: Mandate::Namnd, ..high }.validate(&method).is_ok());
    }

    #[test]
    fn a_run_with_deviations_says_what_they_were_and_removes_no_more_than_it_saw() {
        let method = Method::default_klassa();
        let run = ControlRun { done_by: "Eva".into(), result: ControlResult::MedAvvikelser, ..Default::default() };
        assert!(run.validate(&method).is_err());
        let found = ControlRun { findings: "3 konton för slutade".into(), ..run };
        assert!(found.validate(&method).is_ok());
        let odd = ControlRun { accounts_reviewed: Some(2), accounts_removed: Some(3), ..found };
        assert!(odd.validate(&method).unwrap_err().to_string().contains("fler än som granskades"));
    }
}
