//! The body of one Hatchet run of `close-teaching-session` (or of the original app's
//! `close-session-workflow`).
//!
//! A run closes its session through [`SessionService::close_from_planned_run`], which is
//! idempotent: already closed, deleted and not-yet-due are successes, so Hatchet's
//! at-least-once delivery and retries are harmless. Only errors (store unreachable, ...)
//! fail the run, so that Hatchet retries it. Every run logs exactly one event on the
//! `attctl_worker::run` target.

use std::sync::Arc;

use attctl::clock::{self, InputTime};
use attctl::scheduler::{CLOSE_TASK, LEGACY_WORKFLOW};
use attctl::service::{RunOutcome, SessionService};
use attctl::session::SessionId;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::runs::{
    InFlight, RunIds, RunLedger, parse_session_id, planned_closes_at, within_run_budget,
};

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
                if let RunOutcome::Closed {
                    together, session, ..
                } = &outcome
                {
                    let names =
                        crate::log_names::class_names(&self.service, [session.class_id]).await;
                    let what = crate::log_names::describe(&names, session);
                    let late = attctl::human_delay(lag_ms.unwrap_or(0));
                    if together.is_empty() {
                        tracing::info!(
                            target: attctl::WORKER_LOG_TARGET,
                            "closed {what}, {late} late (run)"
                        );
                    } else {
                        self.ledger.closed_together(together);
                        tracing::info!(
                            target: attctl::WORKER_LOG_TARGET,
                            "closed {what}, {late} late (run), and {} more due with it in one write",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
