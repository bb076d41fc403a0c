//! An incident's clocks. Under cybersäkerhetslagen (2025:1506), a *betydande incident* needs an
//! early warning within 24 hours of becoming known, an incident notification within 72 hours
//! and a final report within one month of the notification. A personal data breach goes to
//! IMY within 72 hours (GDPR art. 33). This module is pure: it takes the moment the incident
//! became known, what kind of incident it is and what has been sent when, and gives each
//! deadline with its state at a given moment.
//!
//! Times are instants with their offset. Hours are counted as real hours, so 24 hours over the
//! night the clocks change is 24 hours, not a calendar day. The month of the final report is a
//! calendar month in Swedish time (Europe/Stockholm): 10:00 on 10 March is due at 10:00 on 10
//! April, across the change to summer time. A day that does not exist in the next month ends
//! the month (31 January → 28 or 29 February).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// The time zone incidents are reported in.
pub const ZONE: Tz = chrono_tz::Europe::Stockholm;

text_enum! {
    /// A report an incident may need.
    pub enum ReportKind {
        /// Tidig varning to the CSIRT function, within 24 hours of becoming known.
        TidigVarning = "tidig_varning" / "Tidig varning",
        /// Incidentanmälan to the CSIRT function, within 72 hours of becoming known.
        Incidentanmalan = "incidentanmalan" / "Incidentanmälan",
        /// Slutrapport, within one month of the incident notification.
        Slutrapport = "slutrapport" / "Slutrapport",
        /// Anmälan av personuppgiftsincident to IMY, within 72 hours of becoming known.
        Gdpr = "gdpr" / "Anmälan av personuppgiftsincident",
    }
}

impl ReportKind {
    /// The rule that asks for it.
    pub fn rule(self) -> &'static str {
        match self {
            ReportKind::TidigVarning => "cybersäkerhetslagen (2025:1506): inom 24 timmar från att incidenten blev känd",
            ReportKind::Incidentanmalan => {
                "cybersäkerhetslagen (2025:1506): inom 72 timmar från att incidenten blev känd"
            }
            ReportKind::Slutrapport => "cybersäkerhetslagen (2025:1506): inom en månad från incidentanmälan",
            ReportKind::Gdpr => "GDPR art. 33: inom 72 timmar från att incidenten blev känd",
        }
    }

    /// Reads a kind as written on a command line: its key, its label, or the key with
    /// hyphens ("tidig-varning").
    pub fn from_arg(text: &str) -> Option<ReportKind> {
        ReportKind::parse(&text.trim().replace('-', "_"))
    }
}

text_enum! {
    /// How a deadline stands.
    pub enum DeadlineState {
        /// Not sent; the deadline is ahead.
        Loper = "loper" / "Klockan går",
        /// Not sent; the deadline has passed.
        Missad = "missad" / "Missad",
        /// Sent in time.
        Skickad = "skickad" / "Skickad i tid",
        /// Sent after the deadline.
        SkickadSent = "skickad_sent" / "Skickad för sent",
        /// Waits for another report: the final report's month starts when the incident
        /// notification is sent.
        Vantar = "vantar" / "Väntar på incidentanmälan",
    }
}

/// A report that was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Which report.
    pub kind: ReportKind,
    /// When it was sent.
    pub at: DateTime<FixedOffset>,
}

/// One deadline of an incident.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deadline {
    /// Which report.
    pub kind: ReportKind,
    /// When it is due, in Swedish time; none while it waits for another report.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due_at: Option<DateTime<FixedOffset>>,
    /// When it was first sent.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub sent_at: Option<DateTime<FixedOffset>>,
    /// How it stands.
    pub state: DeadlineState,
    /// Minutes left until it is due (negative once missed); none when sent or waiting.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub minutes_left: Option<i64>,
    /// The time left as the clocks say it ("3 h 20 min kvar", "MISSAD sedan 1 dygn 2 h");
    /// none when sent or waiting.
    pub left: Option<String>,
}

/// "3 h 20 min", "2 dygn 4 h": a span of minutes (left or past), as the clocks show it.
pub fn span_text(minutes: i64) -> String {
    let m = minutes.abs();
    let (days, hours, mins) = (m / (24 * 60), (m / 60) % 24, m % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) => format!("{h} h {mins} min"),
        (d, h) => format!("{d} dygn {h} h"),
    }
}

/// "3 h 20 min kvar" before a deadline, "MISSAD sedan 1 h 0 min" after it (the word, not only a
/// colour, says it was missed).
pub fn left_text(minutes: i64) -> String {
    if minutes < 0 { format!("MISSAD sedan {}", span_text(minutes)) } else { format!("{} kvar", span_text(minutes)) }
}

/// What decides an incident's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reportable {
    /// A betydande incident under cybersäkerhetslagen.
    pub significant: bool,
    /// A personal data breach.
    pub personal_data_breach: bool,
}

/// The moment the product reckons from: the day (for dates) and the instant (for the hours of
/// an incident's clocks). Shells make it from the computer's clock or from a test's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// The Swedish date.
    pub today: chrono::NaiveDate,
    /// The instant, in Swedish time.
    pub at: DateTime<FixedOffset>,
}

impl Now {
    /// At the instant `at`; its day is the Swedish date.
    pub fn at(at: DateTime<FixedOffset>) -> Now {
        let at = swedish(at);
        Now { today: at.date_naive(), at }
    }

    /// A day given without a time (a report's date, a test's day): noon, Swedish time.
    pub fn on(day: chrono::NaiveDate) -> Now {
        let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(chrono::NaiveTime::MIN);
        Now { today: day, at: in_sweden(day.and_time(noon)) }
    }
}

/// `at` in Swedish time.
pub fn swedish(at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    at.with_timezone(&ZONE).fixed_offset()
}

/// A local Swedish date and time as an instant. A time the clocks skip (02:30 on the last
/// Sunday of March) is read as the same wall time an hour later; a time that occurs twice
/// (02:30 on the last Sunday of October) as the first of the two.
pub fn in_sweden(local: NaiveDateTime) -> DateTime<FixedOffset> {
    match ZONE.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.fixed_offset(),
        chrono::LocalResult::Ambiguous(first, _) => first.fixed_offset(),
        chrono::LocalResult::None => in_sweden(local + Duration::hours(1)),
    }
}

/// Reads "YYYY-MM-DD HH:MM" as Swedish time, or a time with its own offset
/// ("2026-11-27T16:00:00+01:00").
pub fn parse_time(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at);
    }
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(in_sweden(local));
        }
    }
    Err(format!("«{t}» är ingen tidpunkt; skriv till exempel 2026-11-27 16:00 (svensk tid)"))
}

/// One calendar month after `at`, in Swedish time; a day the month lacks ends the month.
pub fn one_month_after(at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let local = at.with_timezone(&ZONE).naive_local();
    let (year, month) = if local.month() == 12 { (local.year() + 1, 1) } else { (local.year(), local.month() + 1) };
    let mut day = local.day();
    let date = loop {
        if let Some(d) = chrono::NaiveDate::from_ymd_opt(year, month, day) {
            break d;
        }
        day -= 1;
    };
    in_sweden(date.and_time(local.time()))
}

/// The deadlines of an incident that became known at `known_at`, with what was sent, as they
/// stand at `now`: the early warning, the notification and the final report for a betydande
/// incident, the report to IMY for a personal data breach. A report sent several times (to
/// several recipients) counts from its first sending.
pub fn deadlines(
    known_at: DateTime<FixedOffset>,
    reportable: Reportable,
    sent: &[Sent],
    now: DateTime<FixedOffset>,
) -> Vec<Deadline> {
    let first = |kind: ReportKind| sent.iter().filter(|s| s.kind == kind).map(|s| s.at).min();
    let mut kinds: Vec<(ReportKind, Option<DateTime<FixedOffset>>)> = Vec::new();
    if reportable.significant {
        kinds.push((ReportKind::TidigVarning, Some(known_at + Duration::hours(24))));
        kinds.push((ReportKind::Incidentanmalan, Some(known_at + Duration::hours(72))));
        kinds.push((ReportKind::Slutrapport, first(ReportKind::Incidentanmalan).map(one_month_after)));
    }
    if reportable.personal_data_breach {
        kinds.push((ReportKind::Gdpr, Some(known_at + Duration::hours(72))));
    }
    kinds
        .into_iter()
        .map(|(kind, due)| {
            let sent_at = first(kind);
            let (state, minutes_left) = match (due, sent_at) {
                (None, None) => (DeadlineState::Vantar, None),
                (None, Some(_)) => (DeadlineState::Skickad, None),
                (Some(due), Some(at)) => {
                    (if at <= due { DeadlineState::Skickad } else { DeadlineState::SkickadSent }, None)
                }
                (Some(due), None) => {
                    let left = (due - now).num_seconds();
                    // Whole minutes, rounded towards the past: one second late is a minute late.
                    let minutes = left.div_euclid(60);
                    (if now > due { DeadlineState::Missad } else { DeadlineState::Loper }, Some(minutes))
                }
            };
            Deadline {
                kind,
                due_at: due.map(swedish),
                sent_at: sent_at.map(swedish),
                state,
                minutes_left,
                left: minutes_left.map(left_text),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        parse_time(text).unwrap()
    }

    const BOTH: Reportable = Reportable { significant: true, personal_data_breach: true };

    #[test]
    fn an_incident_known_friday_at_four_is_late_for_the_early_warning_saturday_at_one_minute_past() {
        let known = at("2026-11-27 16:00"); // a Friday
        let due = |now: &str| deadlines(known, BOTH, &[], at(now));
        let on_time = due("2026-11-28 16:00");
        assert_eq!(on_time[0].kind, ReportKind::TidigVarning);
        assert_eq!(on_time[0].due_at, Some(at("2026-11-28T16:00:00+01:00")));
        assert_eq!((on_time[0].state, on_time[0].minutes_left), (DeadlineState::Loper, Some(0)));
        let late = due("2026-11-28 16:01");
        assert_eq!((late[0].state, late[0].minutes_left), (DeadlineState::Missad, Some(-1)));
        // The notification and IMY: 72 hours; the final report waits for the notification.
        assert_eq!(late[1].due_at, Some(at("2026-11-30T16:00:00+01:00")));
        assert_eq!(
            (late[2].kind, late[2].state, late[2].due_at),
            (ReportKind::Slutrapport, DeadlineState::Vantar, None)
        );
        assert_eq!((late[3].kind, late[3].due_at), (ReportKind::Gdpr, Some(at("2026-11-30T16:00:00+01:00"))));
        assert_eq!(late[1].minutes_left, Some(2 * 24 * 60 - 1));
        // The words the clocks show: the core says them, so the app and the CLI say the same.
        assert_eq!(on_time[0].left.as_deref(), Some("0 min kvar"));
        assert_eq!(late[0].left.as_deref(), Some("MISSAD sedan 1 min"));
        assert_eq!(late[1].left.as_deref(), Some("1 dygn 23 h kvar"));
        assert_eq!(late[2].left, None, "a report that waits has no time left");
        assert_eq!(left_text(-(26 * 60 + 5)), "MISSAD sedan 1 dygn 2 h");
        assert_eq!(left_text(3 * 60 + 20), "3 h 20 min kvar");
    }

    #[test]
    fn hours_are_real_hours_across_the_change_to_summer_time() {
        // Saturday 28 March 2026 12:00 CET; the clocks go forward that night.
        let known = at("2026-03-28 12:00");
        let d = deadlines(known, BOTH, &[], known);
        assert_eq!(d[0].due_at, Some(at("2026-03-29T13:00:00+02:00")), "24 hours later is 13:00 summer time");
        assert_eq!(d[0].due_at.unwrap() - known, Duration::hours(24));
        // And back in October: 24 hours after 12:00 summer time is 11:00 winter time.
        let known = at("2026-10-24 12:00");
        let d = deadlines(known, BOTH, &[], known);
        assert_eq!(d[0].due_at, Some(at("2026-10-25T11:00:00+01:00")));
    }

    #[test]
    fn the_final_report_is_due_a_calendar_month_after_the_notification() {
        let known = at("2026-03-08 09:00");
        let sent = [Sent { kind: ReportKind::Incidentanmalan, at: at("2026-03-10 10:00") }];
        let d = deadlines(known, BOTH, &sent, at("2026-03-20 12:00"));
        let report = d.iter().find(|x| x.kind == ReportKind::Slutrapport).unwrap();
        assert_eq!(report.due_at, Some(at("2026-04-10T10:00:00+02:00")), "10:00 Swedish time, now summer time");
        assert_eq!(report.state, DeadlineState::Loper);
        // The month's end: 31 January → 28 February, and 29 February in a leap year.
        assert_eq!(one_month_after(at("2026-01-31 09:30")), at("2026-02-28T09:30:00+01:00"));
        assert_eq!(one_month_after(at("2028-01-31 09:30")), at("2028-02-29T09:30:00+01:00"));
        assert_eq!(one_month_after(at("2026-12-15 08:00")), at("2027-01-15T08:00:00+01:00"));
        // A notification sent at a wall time the next month skips (02:30 on Sunday 28 March
        // 2032, when the clocks go forward): the same wall time an hour later.
        assert_eq!(one_month_after(at("2032-02-28T02:30:00+01:00")).to_rfc3339(), "2032-03-28T03:30:00+02:00");
    }

    #[test]
    fn what_was_sent_counts_from_its_first_sending_and_late_is_said() {
        let known = at("2026-11-27 16:00");
        let sent = [
            Sent { kind: ReportKind::TidigVarning, at: at("2026-11-28 17:30") },
            Sent { kind: ReportKind::TidigVarning, at: at("2026-11-28 15:00") },
            Sent { kind: ReportKind::Gdpr, at: at("2026-12-01 09:00") },
        ];
        let d = deadlines(known, BOTH, &sent, at("2026-12-02 12:00"));
        assert_eq!((d[0].state, d[0].sent_at), (DeadlineState::Skickad, Some(at("2026-11-28 15:00"))));
        assert_eq!(d[0].minutes_left, None);
        assert_eq!(d[3].state, DeadlineState::SkickadSent, "IMY got it after 72 hours");
        assert_eq!(d[1].state, DeadlineState::Missad);
    }

    #[test]
    fn only_what_the_incident_is_asks_for_reports_and_times_read_as_swedish() {
        let known = at("2026-11-27 16:00");
        let none = Reportable { significant: false, personal_data_breach: false };
        assert!(deadlines(known, none, &[], known).is_empty());
        let breach = Reportable { significant: false, personal_data_breach: true };
        let kinds: Vec<ReportKind> = deadlines(known, breach, &[], known).iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [ReportKind::Gdpr]);
        // A time given in UTC is shown in Swedish time.
        let d = deadlines(at("2026-11-27T15:00:00Z"), breach, &[], known);
        assert_eq!(d[0].due_at.unwrap().to_rfc3339(), "2026-11-30T16:00:00+01:00");
        assert_eq!(parse_time("2026-07-01 08:00").unwrap().to_rfc3339(), "2026-07-01T08:00:00+02:00");
        // A wall time the clocks skip is read an hour later; one that occurs twice as the first.
        assert_eq!(parse_time("2026-03-29 02:30").unwrap().to_rfc3339(), "2026-03-29T03:30:00+02:00");
        assert_eq!(parse_time("2026-10-25 02:30").unwrap().to_rfc3339(), "2026-10-25T02:30:00+02:00");
        assert!(parse_time("fredag eftermiddag").unwrap_err().contains("fredag eftermiddag"));
        assert_eq!(ReportKind::from_arg("tidig-varning"), Some(ReportKind::TidigVarning));
        assert_eq!(ReportKind::from_arg("gdpr"), Some(ReportKind::Gdpr));
    }
}
