//! What the service's operations are asked and what they answer: the outcome of a create
//! or reschedule ([`SessionOutcome`]), of each close and delete, of a scheduled run; the
//! changes of a reschedule and the options of a create. Their JSON is a contract.

use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Serialize;

use crate::clock;
use crate::error::Result;
use crate::session::{SessionId, SessionTimes, TeachingSession};

/// A session and what went wrong around it without failing the command.
#[derive(Debug, Clone, Serialize)]
pub struct SessionOutcome {
    #[serde(flatten)]
    pub session: TeachingSession,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseOutcome {
    Closed,
    AlreadyClosed,
}

#[derive(Debug, Clone, Serialize)]
pub struct CloseResult {
    pub id: SessionId,
    pub outcome: CloseOutcome,
    pub session: TeachingSession,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeleteOutcome {
    Deleted,
    /// Gone before this delete reached it.
    AlreadyDeleted,
}

impl DeleteOutcome {
    /// As people read it in a table.
    pub(crate) fn as_words(self) -> &'static str {
        match self {
            DeleteOutcome::Deleted => "deleted",
            DeleteOutcome::AlreadyDeleted => "already deleted",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeleteResult {
    pub id: SessionId,
    pub outcome: DeleteOutcome,
    pub session: TeachingSession,
    pub warnings: Vec<String>,
}

/// What a scheduled run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// Closed now; `lag` is how long after the closing instant. `together` are the other
    /// sessions due at the same time that this run closed in the same write (see
    /// [`super::SessionService::close_from_planned_run`]).
    Closed {
        session: TeachingSession,
        lag: Duration,
        together: Vec<TeachingSession>,
    },
    AlreadyClosed,
    Missing,
    /// The session closes later than this run expected (it was rescheduled, or the run
    /// was planned for another time); it is still Open.
    NotDue {
        session: TeachingSession,
    },
}

/// Changes asked for by `session reschedule`; unset fields keep their current value.
#[derive(Debug, Clone, Default)]
pub struct Reschedule {
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub reopen: bool,
}

impl Reschedule {
    /// The session's new times: the changed fields, the rest as they are, in its own zone.
    pub(crate) fn times_for(&self, before: &TeachingSession) -> Result<SessionTimes> {
        clock::session_times(
            self.date.unwrap_or(before.session_date),
            self.start.unwrap_or(before.start_time),
            self.end.unwrap_or(before.end_time),
            clock::parse_zone(&before.timezone)?,
        )
    }
}

/// How `session create` writes a session besides its times.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    /// `--allow-overlap`.
    pub allow_overlap: bool,
    /// `--type`: the original app's session type; `None` lets the database's default apply.
    pub session_type: Option<String>,
}
