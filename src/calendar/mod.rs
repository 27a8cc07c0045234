//! Calendar files and recurrence: turning a timetable (weekdays, an RRULE, a CSV or iCalendar
//! file) into wall-clock occurrences, and sessions back into files. No store I/O here: the
//! service ([`crate::service::bulk`]) joins what these parse with the stores.

pub(crate) mod csv;
pub(crate) mod ics;
pub(crate) mod recurrence;

use chrono::{NaiveDate, NaiveTime};

use crate::session::{ClassRef, ClosedBy, Status};

/// One session read from a file, before the class is resolved and `closes_at` computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Line of the file where the row (or the event) starts, for error messages.
    pub line: u64,
    /// `None`: the file names no class; `--class` must.
    pub class: Option<ClassRef>,
    pub session_date: NaiveDate,
    pub start_time: NaiveTime,
    pub end_time: NaiveTime,
    /// IANA zone; `None` means the configured one.
    pub timezone: Option<String>,
    pub status: Option<Status>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_by: Option<ClosedBy>,
}

/// A row that cannot be imported: its line and why, as `line N: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}
