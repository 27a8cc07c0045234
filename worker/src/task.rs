//! The body of one Hatchet run of `close-teaching-session` (or of the original app's
//! `close-session-workflow`), and the in-flight accounting that lets a stop wait for
//! running closes instead of cutting them off.
//!
//! A run closes its session through [`SessionService::close_from_run`], which is
//! idempotent: already closed, deleted and not-yet-due are successes, so Hatchet's
//! at-least-once delivery and retries are harmless. Only errors (store unreachable, ...)
//! fail the run, so that Hatchet retries it. Every run logs exactly one event on the
//! `attctl_worker::run` target.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use attctl::clock::{self, InputTime};
use attctl::scheduler::{CLOSE_TASK, LEGACY_WORKFLOW};
use attctl::service::{RunOutcome, SessionService};
use attctl::session::SessionId;
use chrono::{DateTime, Utc};
use hatchet_sdk::Context;
use serde_json::{Value, json};
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
    fn record(&self, session: Option<SessionId>, task_run_id: Option<&str>) -> Option<u32> {
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
    fn closed_together(&self, sessions: &[attctl::session::TeachingSession]) {
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
    fn was_closed_together(&self, id: SessionId, planned: DateTime<Utc>) -> bool {
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

/// The handler shared by every run of one worker generation.
#[derive(Clone)]
pub(crate) struct CloseTask {
    service: SessionService,
    inflight: InFlight,
    ledger: Arc<RunLedger>,
}

impl CloseTask {
    pub(crate) fn new(service: SessionService, inflight: InFlight, ledger: Arc<RunLedger>) -> Self {
        CloseTask {
            service,
            inflight,
            ledger,
        }
    }

    /// One run: close the session if due, log one event, tell Hatchet success or failure.
    pub(crate) async fn run(
        &self,
        kind: RunKind,
        input: Value,
        ids: RunIds,
    ) -> anyhow::Result<Value> {
        let _guard = self.inflight.enter();
        let workflow = kind.workflow();
        let parsed = parse_session_id(&input);
        // `attempt` counts deliveries of this task run seen by this process (1-based): a
        // retry that lands on another worker starts again at 1 there.
        let attempt = self
            .ledger
            .record(parsed.as_ref().ok().copied(), ids.task_run_id.as_deref());
        let workflow_run_id = ids.workflow_run_id.as_deref();
        let task_run_id = ids.task_run_id.as_deref();
        let session_id = match parsed {
            Ok(id) => id,
            Err(why) => {
                tracing::error!(
                    target: "attctl_worker::run",
                    outcome = "invalid_input",
                    workflow,
                    attempt,
                    workflow_run_id,
                    task_run_id,
                    "run input rejected: {why}"
                );
                // Retrying cannot fix the input, but failing makes it visible in Hatchet.
                anyhow::bail!("invalid input: {why}");
            }
        };
        // The original app's runs say when they expected the session to end, as a
        // wall-clock time without a zone: compared below with the session's own instant.
        let expected = match kind {
            RunKind::Own => ExpectedClose::NotGiven,
            RunKind::Legacy => ExpectedClose::of(&input),
        };
        // attctl's runs name the closing instant they were planned for: the close is
        // conditional on it (a stale run never closes a rescheduled session).
        let planned = match kind {
            RunKind::Own => planned_closes_at(&input),
            RunKind::Legacy => None,
        };
        if let Some(planned) = planned
            && self.ledger.was_closed_together(session_id, planned)
        {
            // Closed on time by the run of another session due with it.
            tracing::info!(
                target: "attctl_worker::run",
                session_id,
                outcome = "already_closed",
                closed_with_another_run = true,
                workflow,
                attempt,
                workflow_run_id,
                task_run_id,
                "run finished"
            );
            return Ok(
                json!({ "session_id": session_id, "outcome": "already_closed", "lag_ms": null }),
            );
        }
        let now = Utc::now();
        let close = self
            .service
            .close_from_planned_run(session_id, planned, now);
        let result = within_run_budget(close).await;
        match result {
            Ok(outcome) => {
                let (name, lag_ms, due_in_ms) = describe(&outcome);
                // The sessions closed in the same write, named in this run's one event.
                let mut closed_together: Option<Vec<SessionId>> = None;
                if let RunOutcome::Closed { together, .. } = &outcome {
                    if together.is_empty() {
                        tracing::info!(
                            target: attctl::WORKER_LOG_TARGET,
                            "closed session {session_id} (run, {} ms after its end)",
                            lag_ms.map_or_else(|| "?".to_string(), |l| l.to_string())
                        );
                    } else {
                        self.ledger.closed_together(together);
                        tracing::info!(
                            target: attctl::WORKER_LOG_TARGET,
                            "closed session {session_id} (run, {} ms after its end) and {} more due with it, in one write",
                            lag_ms.map_or_else(|| "?".to_string(), |l| l.to_string()),
                            together.len()
                        );
                        closed_together = Some(together.iter().map(|s| s.id).collect());
                    }
                }
                let closed_together = closed_together.as_ref().map(|ids| format!("{ids:?}"));
                let check = expected.compare(&outcome);
                let scheduled_close_time = expected.raw();
                let expected_closes_at = check.expected.map(|t| t.to_rfc3339());
                if let Some(disagreement_ms) = check.disagreement_ms {
                    // Harmless (the close is conditional on the session's own instant), but
                    // worth seeing: the original app scheduled this run for another time.
                    tracing::info!(
                        target: "attctl_worker::run",
                        session_id,
                        outcome = name,
                        workflow,
                        attempt,
                        lag_ms,
                        due_in_ms,
                        scheduled_close_time,
                        expected_closes_at,
                        disagreement_ms,
                        closed_together,
                        workflow_run_id,
                        task_run_id,
                        "run finished; its scheduled_close_time (read in the session's zone) disagrees with the session's closing instant, which alone decides"
                    );
                } else {
                    tracing::info!(
                        target: "attctl_worker::run",
                        session_id,
                        outcome = name,
                        workflow,
                        attempt,
                        lag_ms,
                        due_in_ms,
                        scheduled_close_time,
                        expected_closes_at,
                        closed_together,
                        workflow_run_id,
                        task_run_id,
                        "run finished"
                    );
                }
                Ok(json!({ "session_id": session_id, "outcome": name, "lag_ms": lag_ms }))
            }
            Err(e) => {
                tracing::warn!(
                    target: "attctl_worker::run",
                    session_id,
                    outcome = "error",
                    workflow,
                    attempt,
                    transient = e.is_transient(),
                    workflow_run_id,
                    task_run_id,
                    error = %e,
                    "run failed; Hatchet retries it"
                );
                Err(anyhow::anyhow!("closing session {session_id}: {e}"))
            }
        }
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

/// Which workflow a run came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    /// attctl's own `close-teaching-session`, input `{"session_id": 42}`.
    Own,
    /// The original app's `close-session-workflow`, input
    /// `{"session_id": 42, "scheduled_close_time": "2025-01-15T09:30:00"}`.
    Legacy,
}

impl RunKind {
    pub(crate) fn workflow(self) -> &'static str {
        match self {
            RunKind::Own => CLOSE_TASK,
            RunKind::Legacy => LEGACY_WORKFLOW,
        }
    }
}

/// A legacy run's `scheduled_close_time`: absent, unreadable, or a time.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ExpectedClose {
    NotGiven,
    Unreadable(String),
    Given(String, InputTime),
}

/// The expected instant in the session's zone, and how far it is from `closes_at`.
#[derive(Debug, Default, PartialEq, Eq)]
struct CloseCheck {
    expected: Option<DateTime<Utc>>,
    disagreement_ms: Option<i64>,
}

/// Differences below this are rounding (the original app's times carry whole seconds).
const DISAGREEMENT_MS: i64 = 1000;

impl ExpectedClose {
    fn of(input: &Value) -> Self {
        match input.get("scheduled_close_time") {
            None | Some(Value::Null) => ExpectedClose::NotGiven,
            Some(Value::String(raw)) => match InputTime::parse(raw) {
                Some(t) => ExpectedClose::Given(raw.clone(), t),
                None => ExpectedClose::Unreadable(raw.clone()),
            },
            Some(other) => ExpectedClose::Unreadable(other.to_string()),
        }
    }

    /// The value as the input gave it (bounded: it is only for the log).
    fn raw(&self) -> Option<String> {
        match self {
            ExpectedClose::NotGiven => None,
            ExpectedClose::Unreadable(raw) | ExpectedClose::Given(raw, _) => {
                Some(raw.chars().take(64).collect())
            }
        }
    }

    /// Compares with the session the run found (Open and closed now, or not yet due). A
    /// time without a zone is read in the session's zone, never in UTC by default.
    fn compare(&self, outcome: &RunOutcome) -> CloseCheck {
        let ExpectedClose::Given(_, time) = self else {
            return CloseCheck::default();
        };
        let session = match outcome {
            RunOutcome::Closed { session, .. } | RunOutcome::NotDue { session } => session,
            RunOutcome::AlreadyClosed | RunOutcome::Missing => return CloseCheck::default(),
        };
        let Some(expected) = clock::parse_zone(&session.timezone)
            .ok()
            .and_then(|zone| time.instant_in(zone))
        else {
            return CloseCheck::default();
        };
        let delta = (expected - session.closes_at).num_milliseconds();
        CloseCheck {
            expected: Some(expected),
            disagreement_ms: (delta.abs() >= DISAGREEMENT_MS).then_some(delta),
        }
    }
}

/// The outcome's name, and how late (closed) or how early (not due) the run was.
fn describe(outcome: &RunOutcome) -> (&'static str, Option<i64>, Option<i64>) {
    match outcome {
        RunOutcome::Closed { lag, .. } => ("closed", Some(lag.num_milliseconds()), None),
        RunOutcome::AlreadyClosed => ("already_closed", None, None),
        RunOutcome::Missing => ("missing", None, None),
        RunOutcome::NotDue { session } => (
            "not_due",
            None,
            Some((session.closes_at - Utc::now()).num_milliseconds()),
        ),
    }
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
    fn legacy_close_times_are_optional_and_never_fail_a_run() {
        assert_eq!(
            ExpectedClose::of(&json!({"session_id": 1})),
            ExpectedClose::NotGiven
        );
        assert_eq!(
            ExpectedClose::of(&json!({"session_id": 1, "scheduled_close_time": null})),
            ExpectedClose::NotGiven
        );
        assert!(matches!(
            ExpectedClose::of(&json!({"scheduled_close_time": "2025-01-15T09:30:00"})),
            ExpectedClose::Given(_, InputTime::Wall(_))
        ));
        for bad in [json!("soon"), json!(1_736_933_400), json!({"t": 1})] {
            let e = ExpectedClose::of(&json!({ "scheduled_close_time": bad }));
            assert!(matches!(e, ExpectedClose::Unreadable(_)), "{bad}");
            assert_eq!(e.compare(&RunOutcome::Missing), CloseCheck::default());
        }
        let long = "x".repeat(10_000);
        let raw = ExpectedClose::of(&json!({ "scheduled_close_time": long })).raw();
        assert_eq!(raw.map(|r| r.len()), Some(64));
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
