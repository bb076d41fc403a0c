//! Identities and time: typed UUID v7 ids per record kind, and a UTC timestamp whose text form
//! sorts in time order.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rand::RngCore;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($( $(#[$m:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// The raw UUID.
            pub fn uuid(self) -> Uuid { self.0 }
            /// True for the all-zero id that marks a record not yet stored.
            pub fn is_nil(self) -> bool { self.0.is_nil() }
        }
        impl From<Uuid> for $name { fn from(u: Uuid) -> Self { $name(u) } }
        impl From<$name> for Uuid { fn from(i: $name) -> Uuid { i.0 } }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }
        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Uuid::parse_str(s.trim()).map($name) }
        }
        impl $crate::column::SqlKind for $name {
            const KIND: $crate::column::ColKind = $crate::column::ColKind::Text;
        }
    )+};
}

id_type!(
    /// An installation of Riskverkstad: a department's (or the central office's) database.
    InstallationId,
    /// The organisation (kommun).
    OrganisationId,
    /// A förvaltning or kommunalt bolag.
    ForvaltningId,
    /// A unit (enhet) within a förvaltning.
    UnitId,
    /// A person.
    PersonId,
    /// A role assignment (a person holding a role for a system or information set).
    RoleAssignmentId,
    /// An external party (leverantör, myndighet, other).
    ExternalPartyId,
    /// A system in the register.
    SystemId,
    /// A dependency of a system.
    DependencyId,
    /// An informationsmängd.
    InformationSetId,
    /// A link between a system and an information set.
    SystemInformationSetId,
    /// A version of the method (scales, areas, matrix, bands).
    MethodVersionId,
    /// A classification of an information set.
    ClassificationId,
    /// A raise of a system's protection level above the high-water mark.
    ProtectionRaiseId,
    /// A requirement in the requirements catalogue.
    RequirementId,
    /// A system's status against one requirement.
    RequirementStatusId,
    /// A threat in the threat catalogue.
    ThreatId,
    /// A risk analysis.
    RiskAnalysisId,
    /// A risk.
    RiskId,
    /// An action (åtgärd).
    ActionId,
    /// A link from an action to a risk or a requirement.
    ActionLinkId,
    /// A decision (beslut).
    DecisionId,
    /// An incident.
    IncidentId,
    /// A link from an incident to a system, an information set, a risk or an action.
    IncidentLinkId,
    /// A recipient of incident reports (the CSIRT function, IMY, …).
    RecipientId,
    /// A report of an incident that was sent.
    IncidentReportId,
    /// A kind of recurring control.
    ControlKindId,
    /// A recurring control (kontrollmoment).
    ControlId,
    /// A time a control was done.
    ControlRunId,
    /// A time-limited exception (avsteg) from a requirement.
    ExceptionId,
    /// An extra requirement (tilläggskrav) on a system.
    ExtraRequirementId,
    /// The free-text parts of a system's systemsäkerhetsplan.
    SecurityPlanId,
);

/// A point in time, UTC, always written as `YYYY-MM-DDTHH:MM:SS.ffffffZ` so that the text
/// form sorts in time order (chrono's own form drops a zero fraction and would not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The current time, truncated to the microseconds the text form keeps, so that a
    /// timestamp reads back equal to what was written.
    pub fn now() -> Timestamp {
        use chrono::DurationRound;
        let now = Utc::now();
        Timestamp(now.duration_trunc(chrono::TimeDelta::microseconds(1)).unwrap_or(now))
    }
    /// The date part (UTC).
    pub fn date(self) -> NaiveDate {
        self.0.date_naive()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Micros, true))
    }
}

impl FromStr for Timestamp {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Timestamp(DateTime::parse_from_rfc3339(s)?.with_timezone(&Utc)))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl crate::column::SqlKind for Timestamp {
    const KIND: crate::column::ColKind = crate::column::ColKind::Text;
}

/// Where new ids come from: the clock and the OS's randomness in normal use, a seeded
/// generator for the demo so that the same seed gives the same ids.
pub enum IdSource {
    /// UUID v7 from the current time and OS randomness.
    Random,
    /// UUID v7 from a fixed base time, advancing one millisecond per id, with seeded randomness.
    Seeded {
        /// Milliseconds since the Unix epoch of the next id.
        next_millis: u64,
        /// The seeded generator for the random bits.
        rng: Box<rand_chacha::ChaCha8Rng>,
    },
}

impl IdSource {
    /// A seeded source whose ids start at `base` (Unix milliseconds).
    pub fn seeded(seed: u64, base_millis: u64) -> IdSource {
        use rand::SeedableRng;
        IdSource::Seeded {
            next_millis: base_millis,
            rng: Box::new(rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x1D5)),
        }
    }

    /// The next UUID v7.
    pub fn next_uuid(&mut self) -> Uuid {
        match self {
            IdSource::Random => Uuid::now_v7(),
            IdSource::Seeded { next_millis, rng } => {
                let mut bytes = [0u8; 10];
                rng.fill_bytes(&mut bytes);
                let ms = *next_millis;
                *next_millis += 1;
                uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid()
            }
        }
    }
}

/// Adds whole months to a date, clamping the day to the end of the target month.
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    use chrono::Months;
    if months >= 0 {
        date.checked_add_months(Months::new(months as u32)).unwrap_or(date)
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs())).unwrap_or(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_sort_as_text_in_time_order() {
        let a: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2026-01-01T00:00:00.5Z".parse().unwrap();
        assert!(a < b);
        assert!(a.to_string() < b.to_string(), "{a} should sort before {b}");
        assert_eq!(a.to_string(), "2026-01-01T00:00:00.000000Z");
    }

    #[test]
    fn seeded_ids_repeat_for_a_seed_and_are_v7_in_order() {
        let mut a = IdSource::seeded(3, 1_700_000_000_000);
        let mut b = IdSource::seeded(3, 1_700_000_000_000);
        let xs: Vec<_> = (0..5).map(|_| a.next_uuid()).collect();
        let ys: Vec<_> = (0..5).map(|_| b.next_uuid()).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|u| u.get_version_num() == 7));
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        let mut c = IdSource::seeded(4, 1_700_000_000_000);
        assert_ne!(c.next_uuid(), xs[0]);
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(add_months(d, 1), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(add_months(d, -2), NaiveDate::from_ymd_opt(2025, 11, 30).unwrap());
    }
}
