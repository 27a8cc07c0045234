//! What every Hatchet run shares, close or warning: the in-flight count that lets a stop
//! wait for running work instead of cutting it off ([`InFlight`]), what this process saw of
//! runs across worker generations ([`RunLedger`]), the run's ids for the logs ([`RunIds`]),
//! its time budget, and the reading of its input.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use attctl::session::SessionId;
use chrono::{DateTime, Utc};
use hatchet_sdk::Context;
use serde_json::Value;
use tokio::sync::watch;

/// Hatchet retries a failed run this many times (the SDK has no backoff; the engine
/// requeues at once, which suits a store that failed for a moment).
pub(crate) const RETRIES: i32 = 5;
/// Engine-side limit of one attempt.
pub(crate) const EXECUTION_TIMEOUT: Duration = Duration::from_secs(30);
/// Our own limit, below the engine's: a slow store then ends in a logged error and a
/// retry, not in a silent engine-side cancel.
const RUN_BUDGET: Duration = Duration::from_secs(25);
/// Entries the ledger keeps before it starts afresh (runs are short-lived; this only
/// bounds memory on a worker that runs for months).
const MAX_TRACKED_RUNS: usize = 10_000;
/// Sessions remembered as closed together with another run's (oldest forgotten first):
/// enough for the largest burst of runs still on their way (a forgotten one only costs
/// its run one conditional write that finds it closed).
const MAX_CLOSED_TOGETHER: usize = 200_000;

/// Counts runs in progress. A child counter (one per worker generation) also counts in its
/// parent (the whole process), so a stop can wait for one generation or for all.
#[derive(Clone, Debug)]
pub(crate) struct InFlight {
    count: Arc<watch::Sender<usize>>,
    parent: Option<Box<InFlight>>,
}

impl Default for InFlight {
    fn default() -> Self {
        Self::new()
    }
}

impl InFlight {
    pub(crate) fn new() -> Self {
        InFlight {
            count: Arc::new(watch::channel(0).0),
            parent: None,
        }
    }

    pub(crate) fn child(&self) -> Self {
        InFlight {
            count: Arc::new(watch::channel(0).0),
            parent: Some(Box::new(self.clone())),
        }
    }

    pub(crate) fn enter(&self) -> InFlightGuard {
        let mut level = Some(self);
        while let Some(counter) = level {
            counter.count.send_modify(|n| *n += 1);
            level = counter.parent.as_deref();
        }
        InFlightGuard {
            inflight: self.clone(),
        }
    }

    pub(crate) fn count(&self) -> usize {
        *self.count.borrow()
    }

    /// Resolves when no run is in progress.
    pub(crate) async fn idle(&self) {
        let mut rx = self.count.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

/// Leaves the in-flight count when dropped, including when the run's future is aborted.
#[derive(Debug)]
pub(crate) struct InFlightGuard {
    inflight: InFlight,
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut level = Some(&self.inflight);
        while let Some(counter) = level {
            counter.count.send_modify(|n| *n = n.saturating_sub(1));
            level = counter.parent.as_deref();
        }
    }
}

/// What identifies a run in the logs. The SDK's `Context` exposes neither its ids nor the
/// retry count; its `Debug` (which holds only the two ids, never the token) is the one
/// way to the ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RunIds {
    pub workflow_run_id: Option<String>,
    pub task_run_id: Option<String>,
}

impl RunIds {
    pub(crate) fn of(ctx: &Context) -> Self {
        Self::from_debug(&format!("{ctx:?}"))
    }

    fn from_debug(debug: &str) -> Self {
        RunIds {
            workflow_run_id: debug_field(debug, "workflow_run_id"),
            task_run_id: debug_field(debug, "task_run_external_id"),
        }
    }
}

fn debug_field(debug: &str, name: &str) -> Option<String> {
    let key = format!("{name}: \"");
    let start = debug.find(&key)? + key.len();
    let len = debug[start..].find('"')?;
    Some(debug[start..start + len].to_string()).filter(|s| !s.is_empty())
}

/// What this process has seen of runs, kept across worker generations: attempts per task
/// run (the SDK does not give the handler Hatchet's retry count) and the sessions whose
/// runs arrived (the sweep's deafness check asks whether a run ever reached us).
#[derive(Debug, Default)]
pub(crate) struct RunLedger {
    inner: Mutex<LedgerInner>,
}

#[derive(Debug, Default)]
struct LedgerInner {
    attempts: HashMap<String, u32>,
    sessions: HashSet<SessionId>,
    /// (session, closing instant in µs) closed by another run's write in this process:
    /// their own runs, still on their way, need not touch the store.
    closed_together: HashSet<(SessionId, i64)>,
    closed_together_order: VecDeque<(SessionId, i64)>,
}

impl LedgerInner {
    /// Remembers that a run for this session reached this process.
    fn note_session(&mut self, id: SessionId) {
        if self.sessions.len() >= MAX_TRACKED_RUNS {
            self.sessions.clear();
        }
        self.sessions.insert(id);
    }
}

impl RunLedger {
    /// Records a delivery; returns the attempt number of that task run in this process.
    pub(crate) fn record(
        &self,
        session: Option<SessionId>,
        task_run_id: Option<&str>,
    ) -> Option<u32> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = session {
            inner.note_session(id);
        }
        let key = task_run_id?;
        if inner.attempts.len() >= MAX_TRACKED_RUNS && !inner.attempts.contains_key(key) {
            inner.attempts.clear();
        }
        let n = inner.attempts.entry(key.to_string()).or_insert(0);
        *n += 1;
        Some(*n)
    }

    /// Remembers sessions another run closed in its write, as closed at their instant.
    pub(crate) fn closed_together(&self, sessions: &[attctl::session::TeachingSession]) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        for s in sessions {
            let key = (s.id, s.closes_at.timestamp_micros());
            if inner.closed_together.insert(key) {
                inner.closed_together_order.push_back(key);
            }
            inner.note_session(s.id);
        }
        while inner.closed_together_order.len() > MAX_CLOSED_TOGETHER {
            if let Some(old) = inner.closed_together_order.pop_front() {
                inner.closed_together.remove(&old);
            }
        }
    }

    /// Whether this session, planned to close at `planned`, was closed at that instant by
    /// another run's write in this process. A session reopened since closes at another
    /// instant, so its new run is never skipped.
    pub(crate) fn was_closed_together(&self, id: SessionId, planned: DateTime<Utc>) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .closed_together
            .contains(&(id, planned.timestamp_micros()))
    }

    /// Whether a run for this session reached this process.
    pub(crate) fn saw_session(&self, id: SessionId) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sessions
            .contains(&id)
    }
}

/// A run's store work, bounded by [`RUN_BUDGET`]: past it, an error (and a retry).
pub(crate) async fn within_run_budget<T>(
    work: impl std::future::Future<Output = attctl::Result<T>>,
) -> attctl::Result<T> {
    tokio::time::timeout(RUN_BUDGET, work)
        .await
        .unwrap_or_else(|_| {
            Err(attctl::Error::Unavailable(format!(
                "store did not answer within {}s",
                RUN_BUDGET.as_secs()
            )))
        })
}

/// The `closes_at` an attctl run was planned for (absent in runs planned before it was
/// added; unreadable is treated as absent, the tolerance then decides as before).
pub(crate) fn planned_closes_at(input: &Value) -> Option<DateTime<Utc>> {
    input
        .get("closes_at")
        .and_then(Value::as_str)
        .and_then(|raw| DateTime::parse_from_rfc3339(raw).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// `{"session_id": 42}`; a numeric string is accepted too (hand-triggered runs from the
/// dashboard often quote numbers).
pub(crate) fn parse_session_id(input: &Value) -> Result<SessionId, String> {
    let raw = input
        .get("session_id")
        .ok_or_else(|| "missing session_id".to_string())?;
    let id = match raw {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match id {
        Some(id) if id > 0 => Ok(id),
        _ => Err(format!("session_id must be a positive integer, not {raw}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn session_ids_are_parsed_strictly() {
        assert_eq!(parse_session_id(&json!({"session_id": 7})), Ok(7));
        assert_eq!(parse_session_id(&json!({"session_id": "8"})), Ok(8));
        for bad in [
            json!({}),
            json!({"session_id": null}),
            json!({"session_id": 0}),
            json!({"session_id": -3}),
            json!({"session_id": 1.5}),
            json!({"session_id": "x"}),
            json!([1]),
        ] {
            assert!(parse_session_id(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn run_ids_come_from_the_context_debug() {
        let ids = RunIds::from_debug(
            r#"Context { workflow_run_id: "wf-1", task_run_external_id: "task-2" }"#,
        );
        assert_eq!(ids.workflow_run_id.as_deref(), Some("wf-1"));
        assert_eq!(ids.task_run_id.as_deref(), Some("task-2"));
        assert_eq!(RunIds::from_debug("Context { .. }"), RunIds::default());
    }

    #[tokio::test]
    async fn in_flight_counts_reach_the_parent_and_drain() {
        let all = InFlight::new();
        let generation = all.child();
        let a = generation.enter();
        let b = generation.enter();
        assert_eq!((generation.count(), all.count()), (2, 2));
        drop(a);
        assert_eq!(all.count(), 1);
        let waiter = tokio::spawn({
            let all = all.clone();
            async move { all.idle().await }
        });
        drop(b);
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((generation.count(), all.count()), (0, 0));
    }
}
