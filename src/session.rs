//! Domain types of a teaching session and a class, and the validation of user input.
//!
//! The serialised field names of [`TeachingSession`] and [`Class`] are the JSON contract of
//! `attctl -o json` and match the database columns; do not rename them.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

pub type SessionId = i64;
pub(crate) type ClassId = i64;

/// Longest class name we accept; the database enforces the same bound.
pub(crate) const MAX_CLASS_NAME: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Status {
    Open,
    Closed,
}

/// The original app writes `Close` (its model's default) where attctl and the app's own
/// worker write `Closed`; its database accepts both (see the migration
/// 20261204110000_original_app.sql), and both mean closed. attctl always writes `Closed`.
impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = std::borrow::Cow::<'de, str>::deserialize(d)?;
        match raw.as_ref() {
            "Open" => Ok(Status::Open),
            "Closed" | "Close" => Ok(Status::Closed),
            other => {
                let shown: String = other.chars().take(40).collect();
                Err(serde::de::Error::custom(format!(
                    "unknown status {shown:?} (expected Open, Closed or the original app's Close)"
                )))
            }
        }
    }
}

/// The spellings of a closed session in the database (`status=in.(...)` filters).
pub(crate) const CLOSED_SPELLINGS: [&str; 2] = ["Closed", "Close"];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::Closed => "Closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "open" => Ok(Status::Open),
            "closed" => Ok(Status::Closed),
            _ => Err(Error::invalid(format!(
                "invalid status {s:?}: expected Open or Closed"
            ))),
        }
    }
}

/// Who closed a session: staff by hand, the scheduled run at its end, or the reconciliation sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClosedBy {
    Manual,
    Auto,
    Sweep,
}

impl ClosedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ClosedBy::Manual => "manual",
            ClosedBy::Auto => "auto",
            ClosedBy::Sweep => "sweep",
        }
    }
}

impl fmt::Display for ClosedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ClosedBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "manual" => Ok(ClosedBy::Manual),
            "auto" => Ok(ClosedBy::Auto),
            "sweep" => Ok(ClosedBy::Sweep),
            _ => Err(Error::Backend(format!("unknown closed_by value {s:?}"))),
        }
    }
}

/// A class (a teaching group) that sessions belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub id: ClassId,
    pub name: String,
    #[serde(deserialize_with = "db_instant::deserialize")]
    pub created_at: DateTime<Utc>,
    /// Who is emailed about this class's sessions, besides `ATTCTL_MAIL_TO`.
    #[serde(default)]
    pub notify_emails: Vec<String>,
    /// The original app's unique class code, on its database only (filled from the name by
    /// the database when attctl creates a class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A teaching session as stored. Field order is the JSON output order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingSession {
    pub id: SessionId,
    pub class_id: ClassId,
    pub session_date: NaiveDate,
    #[serde(with = "wall_time")]
    pub start_time: NaiveTime,
    #[serde(with = "wall_time")]
    pub end_time: NaiveTime,
    pub status: Status,
    pub scheduled_task_id: Option<String>,
    /// IANA zone the wall-clock fields are in.
    pub timezone: String,
    /// The absolute instant the session ends and should be closed.
    pub closes_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<ClosedBy>,
    #[serde(deserialize_with = "db_instant::deserialize")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "db_instant::deserialize")]
    pub updated_at: DateTime<Utc>,
    /// The original app's `theory`/`practice`/`seminar`, on its database (and wherever a
    /// session was created with `--type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
}

impl TeachingSession {
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }

    /// What `scheduled_task_id` holds.
    pub fn task_ref(&self) -> TaskRef<'_> {
        TaskRef::of(self.scheduled_task_id.as_deref())
    }

    /// The scheduled run id, if it names a real run: a Hatchet run or a local-scheduler
    /// run, not a sweep's transient claim nor a legacy value of the original app.
    pub(crate) fn scheduled_run(&self) -> Option<&str> {
        match self.task_ref() {
            TaskRef::Run(run) | TaskRef::LocalRun(run) => Some(run),
            TaskRef::None | TaskRef::Claim(_) | TaskRef::Legacy(_) => None,
        }
    }

    /// A `scheduled_task_id` that names no run attctl can cancel or rely on: the original
    /// app's `mock-task-<id>-<seconds>` placeholders, or anything else that is not a run id.
    #[cfg(test)]
    pub(crate) fn legacy_task_id(&self) -> Option<&str> {
        match self.task_ref() {
            TaskRef::Legacy(value) => Some(value),
            _ => None,
        }
    }
}

/// `scheduled_task_id` values with this prefix are a sweep's claim, not a run id.
pub(crate) const CLAIM_PREFIX: &str = "claim:";
/// Prefix of the run ids the local scheduler hands out (`local-<uuid>`).
pub(crate) const LOCAL_RUN_PREFIX: &str = "local-";

/// What a session's `scheduled_task_id` says. The stores select the same classes in SQL
/// (`unscheduled_open`); this is the one definition they follow:
/// - no value: no run planned;
/// - `claim:…`: a sweep is planning one right now;
/// - a hyphenated UUID (any case): a Hatchet scheduled run;
/// - `local-…`: a local-scheduler run (`local-<uuid>`, and `local-<id>-<seconds>` of older
///   versions);
/// - anything else (the original app's `mock-task-…`, hand edits): legacy, no run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskRef<'a> {
    None,
    Claim(&'a str),
    Run(&'a str),
    LocalRun(&'a str),
    Legacy(&'a str),
}

impl<'a> TaskRef<'a> {
    pub fn of(value: Option<&'a str>) -> Self {
        match value {
            None => TaskRef::None,
            Some(v) if v.starts_with(CLAIM_PREFIX) => TaskRef::Claim(v),
            Some(v) if is_uuid(v) => TaskRef::Run(v),
            Some(v) if v.starts_with(LOCAL_RUN_PREFIX) => TaskRef::LocalRun(v),
            Some(v) => TaskRef::Legacy(v),
        }
    }
}

/// The hyphenated form `8-4-4-4-12` of hexadecimal digits (either case): what Hatchet
/// returns as a scheduled run's id. Spelt out rather than `Uuid::parse_str`, which also
/// accepts braced, URN and unhyphenated forms that the stores' SQL patterns do not.
pub(crate) fn is_uuid(s: &str) -> bool {
    let bytes = s.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The text of [`UUID_REGEX`], written once for both of its forms.
macro_rules! uuid_regex {
    () => {
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    };
}

/// [`is_uuid`] as a PostgreSQL regular expression (`~`, PostgREST `match`).
pub(crate) const UUID_REGEX: &str = uuid_regex!();
/// [`UUID_REGEX`] matching a whole value (`^…$`): a run id and nothing else.
pub(crate) const UUID_REGEX_WHOLE: &str = concat!("^", uuid_regex!(), "$");

/// [`is_uuid`] as a SQLite GLOB pattern (case-sensitive, like the check itself).
pub(crate) fn uuid_glob() -> String {
    let hex = "[0-9a-fA-F]";
    [8, 4, 4, 4, 12]
        .iter()
        .map(|n| hex.repeat(*n))
        .collect::<Vec<_>>()
        .join("-")
}

/// A validated session ready to be stored. `closes_at` is derived from the wall-clock
/// fields and the zone by [`crate::clock::session_times`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSession {
    pub class_id: ClassId,
    pub session_date: NaiveDate,
    #[serde(with = "wall_time")]
    pub start_time: NaiveTime,
    #[serde(with = "wall_time")]
    pub end_time: NaiveTime,
    pub timezone: String,
    pub closes_at: DateTime<Utc>,
    /// A run id known before the insert (the local scheduler's), saving a second write.
    pub scheduled_task_id: Option<String>,
    /// May overlap other sessions of its class (`--allow-overlap`). Sent only when true, so
    /// an ordinary create still works against a database without the column.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_overlap: bool,
    /// A closed session moving between stores (`session import` of an export) keeps how
    /// and when it was closed; `None` is a new Open session.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub closed: Option<ClosedHistory>,
    /// `--type`; sent only when given, so that the database's default (the school's, on the
    /// original app's database) applies otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_type: Option<String>,
}

/// How an imported session was closed, kept as it was in the store it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosedHistory {
    pub status: Status,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<ClosedBy>,
}

/// The school's settings, kept with its data (`attctl school set/show`): the zone of new
/// sessions that name none, and the original app's `session_type` of new sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolSettings {
    pub timezone: Option<String>,
    #[serde(rename = "session_type", alias = "default_session_type")]
    pub session_type: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// What `attctl school set` changes; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolUpdate {
    pub timezone: Option<String>,
    pub session_type: Option<String>,
}

/// The original app's session types (its CHECK on `teaching_sessions.session_type`).
pub const SESSION_TYPES: [&str; 3] = ["theory", "practice", "seminar"];

/// A school holiday: dates (both inclusive) on which no class meets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub id: i64,
    pub name: String,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl Holiday {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.first_date <= date && date <= self.last_date
    }
}

/// New wall-clock times for `session reschedule`, already validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionTimes {
    pub session_date: NaiveDate,
    #[serde(with = "wall_time")]
    pub start_time: NaiveTime,
    #[serde(with = "wall_time")]
    pub end_time: NaiveTime,
    pub timezone: String,
    pub closes_at: DateTime<Utc>,
}

/// Names in the order people count: `Year 7` before `Year 10` (runs of digits compared as
/// numbers), letters ignoring case first; ties broken by the text itself, so the order is
/// total.
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn runs(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digit = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if digit.is_some_and(|prev| prev != d) {
                out.push((digit.unwrap_or(false), &s[start..i]));
                start = i;
            }
            digit = Some(d);
        }
        if let Some(d) = digit {
            out.push((d, &s[start..]));
        }
        out
    }
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let order = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    ra.len().cmp(&rb.len()).then_with(|| a.cmp(b))
}

/// How a command names a class: by numeric id or by exact name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClassRef {
    Id(ClassId),
    Name(String),
}

impl FromStr for ClassRef {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::invalid("class must not be empty"));
        }
        // Explicit forms first, so a class named "42" (or "id:3") can still be named.
        if let Some(name) = s.strip_prefix("name:") {
            return validate_class_name(name).map(ClassRef::Name);
        }
        if let Some(id) = s.strip_prefix("id:") {
            return parse_id(id, "class").map(ClassRef::Id);
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return parse_id(s, "class").map(ClassRef::Id);
        }
        validate_class_name(s).map(ClassRef::Name)
    }
}

impl fmt::Display for ClassRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassRef::Id(id) => write!(f, "{id}"),
            ClassRef::Name(name) => write!(f, "{name:?}"),
        }
    }
}

/// Parses a positive database id, with a message that names what it is.
pub(crate) fn parse_id(s: &str, what: &str) -> Result<i64> {
    match s.trim().parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(Error::invalid(format!(
            "invalid {what} id {s:?}: expected a positive whole number"
        ))),
    }
}

/// Class names are free text, but bounded, in Unicode NFC, and free of control and format
/// characters (zero-width spaces and joiners, bidirectional overrides and isolates, BOMs),
/// which would make two names look alike or reorder what a terminal shows.
pub(crate) fn validate_class_name(name: &str) -> Result<String> {
    validate_name(name, "class name", MAX_CLASS_NAME)
}

/// Holiday names follow the rules of class names: they are printed in the same tables.
pub(crate) fn validate_holiday_name(name: &str) -> Result<String> {
    validate_name(name, "holiday name", MAX_HOLIDAY_NAME)
}

/// The longest holiday name.
pub(crate) const MAX_HOLIDAY_NAME: usize = 200;

fn validate_name(name: &str, what: &str, max: usize) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let trimmed: String = name.trim().nfc().collect();
    if trimmed.is_empty() {
        return Err(Error::invalid(format!("{what} must not be empty")));
    }
    if trimmed.chars().count() > max {
        return Err(Error::invalid(format!(
            "{what} is too long: at most {max} characters"
        )));
    }
    if let Some(c) = trimmed
        .chars()
        .find(|c| c.is_control() || is_format_char(*c))
    {
        return Err(Error::invalid(format!(
            "{what} must not contain control or invisible formatting characters (found U+{:04X})",
            u32::from(c)
        )));
    }
    Ok(trimmed)
}

/// Unicode general category Cf (format) and the invisible separators that behave like it:
/// zero-width characters, bidirectional marks, embeddings, overrides and isolates, the BOM,
/// interlinear annotation and tag characters, and the line/paragraph separators.
pub(crate) fn is_format_char(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x0890..=0x0891
            | 0x08E2
            | 0x115F..=0x1160
            | 0x180E
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFEFF
            | 0xFFA0
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Parses a stored wall-clock time: `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff`.
///
/// PostgreSQL's `time` also holds `24:00:00` (and turns an input of `23:59:60` into it);
/// the schema forbids both now, but older rows may hold them. Such a value is read as the
/// last representable instant of the day (chrono's leap-second form of 23:59:59) and written
/// back as `24:00:00`, so one such row never makes a whole page undecodable: it is shown as
/// it is stored and can still be rescheduled or deleted.
pub(crate) fn parse_wall_time(raw: &str) -> Option<NaiveTime> {
    let s = raw.trim();
    if matches!(s, "24:00" | "24:00:00")
        || (s.starts_with("24:00:00.") && s[9..].bytes().all(|b| b == b'0'))
    {
        return Some(end_of_day());
    }
    let t = NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()?;
    if is_leap(t) {
        // A stored leap second (`hh:mm:60`) is what PostgreSQL reads as the next minute;
        // only 23:59:60 is kept (as 24:00:00), any other is not a wall-clock time.
        return (t.format("%H:%M:%S").to_string() == "23:59:60").then(end_of_day);
    }
    Some(t)
}

/// `24:00:00`, as [`parse_wall_time`] reads it.
fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_nano_opt(23, 59, 59, 1_000_000_000).unwrap_or(NaiveTime::MIN)
}

/// chrono's representation of a leap second (`:60`): nanoseconds beyond one second.
pub(crate) fn is_leap(t: NaiveTime) -> bool {
    use chrono::Timelike;
    t.nanosecond() >= 1_000_000_000
}

/// `HH:MM:SS` for people and the wire; `24:00:00` for [`parse_wall_time`]'s end of day.
pub(crate) fn format_wall_time(t: NaiveTime) -> String {
    if is_leap(t) {
        "24:00:00".to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

/// `HH:MM:SS` on the wire and in JSON, whatever precision the backend returns.
/// Instants as the stores hold them: RFC 3339 with an offset (attctl's `timestamptz`
/// columns), or without one (the original app's `timestamp` columns, which its code fills
/// with naive UTC, `datetime.utcnow()`), read as UTC.
pub(crate) mod db_instant {
    use chrono::{DateTime, NaiveDateTime, Utc};
    use serde::{Deserialize, Deserializer, de::Error as _};

    pub(crate) fn parse(raw: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| {
                NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f")
                    .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S%.f"))
                    .ok()
                    .map(|t| t.and_utc())
            })
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let raw = std::borrow::Cow::<'de, str>::deserialize(d)?;
        parse(&raw).ok_or_else(|| {
            let shown: String = raw.chars().take(40).collect();
            D::Error::custom(format!("invalid timestamp {shown:?}"))
        })
    }
}

pub(crate) mod wall_time {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    pub(crate) fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&super::format_wall_time(*t))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let raw = String::deserialize(d)?;
        super::parse_wall_time(&raw).ok_or_else(|| {
            let shown: String = raw.chars().take(40).collect();
            D::Error::custom(format!("invalid time {shown:?}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_apps_rows_read_as_sessions() {
        let row = serde_json::json!({
            "id": 1, "class_id": 1, "session_date": "2024-09-02", "start_time": "07:30:00",
            "end_time": "09:00:00", "status": "Close", "scheduled_task_id": "mock-task-1-1725242400",
            "timezone": "UTC", "closes_at": "2024-09-02T09:00:00+00:00", "closed_at": null,
            "closed_by": null, "created_at": "2024-08-20T03:00:00",
            "updated_at": "2024-09-02T02:00:00.123456", "session_type": "theory",
            "qr_code": "attendance://1/tok"
        });
        let s = TeachingSession::deserialize(&row).unwrap();
        assert_eq!(s.status, Status::Closed);
        assert_eq!(s.created_at.to_rfc3339(), "2024-08-20T03:00:00+00:00");
        assert_eq!(s.updated_at.timestamp_subsec_micros(), 123_456);
        assert_eq!(s.session_type.as_deref(), Some("theory"));
        let out = serde_json::to_value(&s).unwrap();
        assert_eq!(out["status"], "Closed");
        assert_eq!(out["created_at"], "2024-08-20T03:00:00Z");
        for bad in ["close", "Closing", ""] {
            let mut row = row.clone();
            row["status"] = bad.into();
            assert!(TeachingSession::deserialize(&row).is_err(), "{bad}");
        }
    }

    #[test]
    fn class_ref_parses_ids_and_names() {
        assert_eq!("12".parse::<ClassRef>().unwrap(), ClassRef::Id(12));
        let mut names = [
            "Year 10",
            "year 7 (B)",
            "Year 7 (A)",
            "Art",
            "Year 007",
            "Year 9",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "Art",
                "Year 007",
                "Year 7 (A)",
                "year 7 (B)",
                "Year 9",
                "Year 10"
            ]
        );
        assert_eq!(
            " Year 7 (A) ".parse::<ClassRef>().unwrap(),
            ClassRef::Name("Year 7 (A)".into())
        );
        assert_eq!(
            "name:42".parse::<ClassRef>().unwrap(),
            ClassRef::Name("42".into())
        );
        assert_eq!("id:42".parse::<ClassRef>().unwrap(), ClassRef::Id(42));
        assert!("id:x".parse::<ClassRef>().is_err());
        assert!("name: ".parse::<ClassRef>().is_err());
        assert!("0".parse::<ClassRef>().is_err());
        assert!("".parse::<ClassRef>().is_err());
        assert!("99999999999999999999".parse::<ClassRef>().is_err());
        assert!("a\u{7}b".parse::<ClassRef>().is_err());
        assert!("x".repeat(201).parse::<ClassRef>().is_err());
    }

    #[test]
    fn class_names_are_nfc_and_visible() {
        // "e" + combining acute becomes the single precomposed character.
        assert_eq!(validate_class_name("Cafe\u{301}").unwrap(), "Caf\u{e9}");
        for bad in [
            "A\u{200B}B",
            "A\u{202E}B",
            "A\u{2066}B",
            "\u{FEFF}A",
            "A\u{200D}",
        ] {
            assert!(validate_class_name(bad).is_err(), "{bad:?}");
        }
        assert!(validate_class_name("Année 7 — groupe ß").is_ok());
    }

    #[test]
    fn wall_times_read_24_00_and_write_it_back() {
        let t = parse_wall_time("24:00:00").unwrap();
        assert_eq!(format_wall_time(t), "24:00:00");
        assert!(t > NaiveTime::from_hms_opt(23, 59, 59).unwrap());
        assert_eq!(
            format_wall_time(parse_wall_time("23:59:60").unwrap()),
            "24:00:00"
        );
        assert!(parse_wall_time("10:59:60").is_none());
        assert!(parse_wall_time("24:00:01").is_none());
        assert_eq!(
            format_wall_time(parse_wall_time("09:30:00.000000").unwrap()),
            "09:30:00"
        );
    }

    #[test]
    fn status_parses_case_insensitively() {
        assert_eq!("open".parse::<Status>().unwrap(), Status::Open);
        assert_eq!("Closed".parse::<Status>().unwrap(), Status::Closed);
        assert!("Open,Closed".parse::<Status>().is_err());
    }

    #[test]
    fn task_refs_tell_runs_from_claims_and_legacy_values() {
        let uuid = "8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
        let upper = "8F0B1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D";
        let local = format!("local-{uuid}");
        let old_local = "local-2-1705310000";
        assert_eq!(TaskRef::of(None), TaskRef::None);
        assert_eq!(TaskRef::of(Some(uuid)), TaskRef::Run(uuid));
        assert_eq!(TaskRef::of(Some(upper)), TaskRef::Run(upper));
        assert_eq!(
            TaskRef::of(Some(local.as_str())),
            TaskRef::LocalRun(local.as_str())
        );
        assert_eq!(TaskRef::of(Some(old_local)), TaskRef::LocalRun(old_local));
        assert_eq!(TaskRef::of(Some("claim:w:1")), TaskRef::Claim("claim:w:1"));
        for legacy in [
            "mock-task-42-1736933400",
            "",
            "Local-1-2",
            "not-a-uuid",
            "8f0b1c2d3e4f4a5b8c6d7e8f9a0b1c2d",
            "{8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d}",
            "urn:uuid:8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
            "8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2g",
            " 8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
            "Claim:w:1",
        ] {
            assert_eq!(
                TaskRef::of(Some(legacy)),
                TaskRef::Legacy(legacy),
                "{legacy:?}"
            );
        }
    }

    #[test]
    fn scheduled_run_ignores_claims_and_legacy_values() {
        let json = r#"{"id":1,"class_id":1,"session_date":"2024-01-15","start_time":"08:00:00",
            "end_time":"09:30:00","status":"Open","scheduled_task_id":"mock-task-1-1705311000","timezone":"UTC",
            "closes_at":"2024-01-15T09:30:00+00:00","closed_at":null,"closed_by":null,
            "created_at":"2024-01-01T00:00:00+00:00","updated_at":"2024-01-01T00:00:00+00:00"}"#;
        let mut s: TeachingSession = serde_json::from_str(json).unwrap();
        assert_eq!(s.scheduled_run(), None);
        assert_eq!(s.legacy_task_id(), Some("mock-task-1-1705311000"));
        s.scheduled_task_id = Some("claim:w:x".into());
        assert_eq!((s.scheduled_run(), s.legacy_task_id()), (None, None));
        let run = "8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
        s.scheduled_task_id = Some(run.into());
        assert_eq!((s.scheduled_run(), s.legacy_task_id()), (Some(run), None));
    }

    #[test]
    fn session_json_keeps_contract_field_names() {
        let json = r#"{"id":1,"class_id":1,"session_date":"2024-01-15","start_time":"08:00:00",
            "end_time":"09:30:00","status":"Open","scheduled_task_id":null,"timezone":"Europe/London",
            "closes_at":"2024-01-15T09:30:00+00:00","closed_at":null,"closed_by":null,
            "created_at":"2024-01-01T00:00:00.123456+00:00","updated_at":"2024-01-01T00:00:00+00:00"}"#;
        let s: TeachingSession = serde_json::from_str(json).unwrap();
        let out = serde_json::to_string(&s).unwrap();
        assert!(out.starts_with(
            r#"{"id":1,"class_id":1,"session_date":"2024-01-15","start_time":"08:00:00","end_time":"09:30:00","status":"Open","scheduled_task_id":null,"#
        ), "{out}");
    }
}
