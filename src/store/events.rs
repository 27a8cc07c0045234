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

/// What a watcher of the store has seen, so that [`Outbox::poll_changes`] can answer
/// "did anyone write since I last asked?" in one cheap call (the local closer's idle poll).
///
/// Each store keeps what it needs here. SQLite: the file's `PRAGMA data_version`, which
/// changes when another connection (another `attctl`, `sqlite3`) commits. PostgREST: a
/// window on the outbox, whose trigger records every change of a session in the writing
/// transaction: the ids of the newest events seen within [`ChangeWatch::LOOKBACK`] of the
/// newest one. A transaction's last event is written just before it commits, so it shows
/// up in the window even when the transaction commits after others that started later.
///
/// [`Outbox::poll_changes`]: crate::store::Outbox::poll_changes
#[derive(Debug, Clone, Default)]
pub struct ChangeWatch {
    pub(crate) data_version: Option<i64>,
    pub(crate) window: Option<EventWindow>,
    /// The database has no `attctl_worker_watch` (before the 20261205170000 migration):
    /// [`Outbox::look`] only polls, as [`Outbox::poll_changes`], without asking again.
    ///
    /// [`Outbox::look`]: crate::store::Outbox::look
    /// [`Outbox::poll_changes`]: crate::store::Outbox::poll_changes
    pub(crate) no_watch_function: bool,
}

/// What [`Outbox::look`] answers: whether anyone wrote, and what an idle worker needs to
/// know of the store, in one call.
///
/// [`Outbox::look`]: crate::store::Outbox::look
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Look {
    /// Someone wrote since the watch last looked (as [`Outbox::poll_changes`] answers).
    ///
    /// [`Outbox::poll_changes`]: crate::store::Outbox::poll_changes
    pub changed: bool,
    /// The rest; `None` from a database without `attctl_worker_watch` (the caller then
    /// does as it did before: sweeps on its interval, claims on a timer).
    pub state: Option<StoreState>,
}

/// The store as an idle worker sees it in one look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreState {
    /// Open sessions due by the `overdue_before` asked for, latest closing first, at most
    /// [`StoreState::OVERDUE_PAGE`] (rows that cannot be closed stay among them).
    pub overdue: Vec<SessionId>,
    /// The earliest closing instant of an Open session after the `closing_after` asked for.
    pub next_closing: Option<DateTime<Utc>>,
    /// A claim of events would find one to send now (pending, due, not under a live claim,
    /// no earlier pending event of its session).
    pub deliver_now: bool,
    /// The earliest `next_attempt_at` of such an event, due or not (a retry's instant), by
    /// the store's clock.
    pub next_delivery: Option<DateTime<Utc>>,
}

impl StoreState {
    /// Overdue sessions listed at most.
    pub const OVERDUE_PAGE: usize = 100;
}

/// The outbox events a [`ChangeWatch`] has seen, from `since` on.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventWindow {
    pub(crate) since: Option<DateTime<Utc>>,
    pub(crate) seen: std::collections::HashMap<String, DateTime<Utc>>,
}

impl ChangeWatch {
    /// How far behind the newest event seen the window starts: a transaction that commits
    /// this long after writing its last event may go unnoticed (until the next change or
    /// the sweep).
    pub const LOOKBACK: chrono::Duration = chrono::Duration::seconds(10);
    /// Events read per poll at most: the newest of the window.
    pub(crate) const PAGE: usize = 1000;

    /// A watch that has seen nothing: its first poll answers "changed".
    pub fn new() -> Self {
        Self::default()
    }
}

impl EventWindow {
    /// Takes in one poll's events (any order); answers whether any was new, and moves the
    /// window to the newest less [`ChangeWatch::LOOKBACK`], forgetting what fell out.
    pub(crate) fn take(&mut self, events: &[(String, DateTime<Utc>)]) -> bool {
        let mut changed = false;
        for (id, at) in events {
            changed |= self.seen.insert(id.clone(), *at).is_none();
        }
        if let Some(newest) = events.iter().map(|(_, at)| *at).max() {
            let since = newest - ChangeWatch::LOOKBACK;
            if self.since.is_none_or(|s| since > s) {
                self.since = Some(since);
                self.seen.retain(|_, at| *at >= since);
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_tells_new_events_from_seen_ones_and_slides_forward() {
        let t0 = Utc::now();
        let mut w = EventWindow::default();
        assert!(w.take(&[("a".into(), t0)]));
        assert_eq!(w.since, Some(t0 - ChangeWatch::LOOKBACK));
        assert!(!w.take(&[("a".into(), t0)]), "seen before");
        assert!(!w.take(&[]), "nothing at all");
        // A late commit: older than the newest seen, but inside the window.
        assert!(w.take(&[
            ("a".into(), t0),
            ("b".into(), t0 - chrono::Duration::seconds(3))
        ]));
        let later = t0 + chrono::Duration::seconds(60);
        assert!(w.take(&[("c".into(), later)]));
        assert_eq!(w.seen.len(), 1, "{:?}", w.seen);
        assert_eq!(w.since, Some(later - ChangeWatch::LOOKBACK));
    }
}
