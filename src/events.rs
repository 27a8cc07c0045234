//! The one seam where every change of a session is observed: [`SessionEvent`]s, reported by
//! the session service whichever path made the change (the CLI, a Hatchet run, the sweep,
//! the local closer), to an [`EventSink`].
//!
//! Nothing else needs to know which path closed a session: logs, and later notifications,
//! hang off a sink. The service reports an event after the store confirmed the change, so
//! a sink never hears of a change that did not happen. (The database's own record of
//! changes, made by a trigger in the same transaction, is the durable form of these events.)

#[cfg(test)]
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::session::{ClosedBy, SessionId, TeachingSession};

/// A change of a session, as the service made it. The serialised `type` names are stable
/// (`session.created`, `session.closed`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum SessionEvent {
    #[serde(rename = "session.created")]
    Created { session: TeachingSession },
    /// Closed by hand, by its run, or by the sweep. Bulk closes report ids only: the
    /// closing write returns no more.
    #[serde(rename = "session.closed")]
    Closed {
        session_id: SessionId,
        closed_by: ClosedBy,
        closed_at: DateTime<Utc>,
        /// The session as it is now, when the write returned it.
        #[serde(skip_serializing_if = "Option::is_none")]
        session: Option<TeachingSession>,
    },
    #[serde(rename = "session.rescheduled")]
    Rescheduled {
        before: TeachingSession,
        session: TeachingSession,
    },
    /// A Closed session moved into the future and Open again (also reported as
    /// rescheduled).
    #[serde(rename = "session.reopened")]
    Reopened { session: TeachingSession },
    #[serde(rename = "session.deleted")]
    Deleted { session: TeachingSession },
    /// A warning run recorded the session's warning `offset_seconds` before its end.
    #[serde(rename = "session.closing_soon")]
    ClosingSoon {
        session_id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
        /// The outbox event it recorded.
        event_id: String,
    },
}

impl SessionEvent {
    /// The stable name of the event's type.
    pub fn kind(&self) -> &'static str {
        match self {
            SessionEvent::Created { .. } => "session.created",
            SessionEvent::Closed { .. } => "session.closed",
            SessionEvent::Rescheduled { .. } => "session.rescheduled",
            SessionEvent::Reopened { .. } => "session.reopened",
            SessionEvent::Deleted { .. } => "session.deleted",
            SessionEvent::ClosingSoon { .. } => "session.closing_soon",
        }
    }

    pub fn session_id(&self) -> SessionId {
        match self {
            SessionEvent::Created { session }
            | SessionEvent::Rescheduled { session, .. }
            | SessionEvent::Reopened { session }
            | SessionEvent::Deleted { session } => session.id,
            SessionEvent::Closed { session_id, .. }
            | SessionEvent::ClosingSoon { session_id, .. } => *session_id,
        }
    }
}

/// Where session events go. Called after the change is stored; must not block for long
/// (a sink that sends over the network queues instead).
pub trait EventSink: Send + Sync {
    fn emit(&self, event: &SessionEvent);
}

/// The default sink: one debug-level trace event per change, on target `attctl::events`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TraceSink;

impl EventSink for TraceSink {
    fn emit(&self, event: &SessionEvent) {
        match event {
            SessionEvent::Closed { closed_by, .. } => tracing::debug!(
                target: "attctl::events",
                event = event.kind(),
                session_id = event.session_id(),
                closed_by = closed_by.as_str(),
                "session event"
            ),
            _ => tracing::debug!(
                target: "attctl::events",
                event = event.kind(),
                session_id = event.session_id(),
                "session event"
            ),
        }
    }
}

/// A sink that keeps every event, for tests.
#[cfg(test)]
#[derive(Debug, Default, Clone)]
pub(crate) struct RecordingSink {
    events: Arc<Mutex<Vec<SessionEvent>>>,
}

#[cfg(test)]
impl RecordingSink {
    pub(crate) fn events(&self) -> Vec<SessionEvent> {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

#[cfg(test)]
impl EventSink for RecordingSink {
    fn emit(&self, event: &SessionEvent) {
        self.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(event.clone());
    }
}
