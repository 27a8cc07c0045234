//! The session-event outbox as the stores hand it out: rows of `session_events`, the
//! filters of `attctl events list`, and what a delivery attempt writes back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::session::SessionId;

/// Every type a trigger (or a warning) records; the stable names of the contract.
pub(crate) const EVENT_TYPES: [&str; 7] = [
    "session.created",
    "session.closed",
    "session.rescheduled",
    "session.reopened",
    "session.deleted",
    "session.closing_soon",
    // At close, on the original app's database: a class with students, and no mark.
    "session.register_missing",
];

/// One row of the outbox. Field names are the JSON contract of `events list -o json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub session_id: SessionId,
    pub occurred_at: DateTime<Utc>,
    pub payload: serde_json::Value,
    pub state: String,
    /// Per channel: `{"webhook": {"state": "delivered", "attempts": 1, ...}}`.
    pub deliveries: serde_json::Value,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Filters of `events list`; all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub since: Option<DateTime<Utc>>,
    pub kind: Option<String>,
    pub state: Option<String>,
    /// The latest events first (a table for people); oldest first otherwise (JSON, the
    /// worker following changes).
    pub newest_first: bool,
}

/// What one delivery attempt writes back on an event it holds the claim of.
#[derive(Debug, Clone, PartialEq)]
pub struct EventOutcome {
    /// `pending` (retry at `next_attempt_at`), `delivered` or `failed`.
    pub state: String,
    pub deliveries: serde_json::Value,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Which events `events retry` puts back to pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrySelection {
    One(String),
    AllFailed,
}
