//! The body of one Hatchet run of `warn-teaching-session`: records the session's
//! `session.closing_soon` for the run's offset through
//! [`SessionService::warn_from_run`], which records it only while the session is Open and
//! still closes at the instant the run names, once per session, offset and instant. So a
//! repeat (at-least-once delivery, a retry, another worker) and a stale run (the session was
//! closed, moved or deleted and the cancel came too late) record nothing and succeed. Only
//! errors fail the run, for Hatchet to retry it. Every run logs one event on the
//! `attctl_worker::run` target, as close runs do.

use attctl::scheduler::WARN_TASK;
use attctl::service::SessionService;
use chrono::Utc;
use serde_json::{Value, json};

use crate::runs::{InFlight, RunIds, parse_session_id, planned_closes_at, within_run_budget};

/// The handler shared by every warning run of one worker generation.
#[derive(Clone)]
pub(crate) struct WarnTask {
    service: SessionService,
    inflight: InFlight,
}

impl WarnTask {
    pub(crate) fn new(service: SessionService, inflight: InFlight) -> Self {
        WarnTask { service, inflight }
    }

    /// One run: record the warning if it is still wanted, log one event.
    pub(crate) async fn run(&self, input: Value, ids: RunIds) -> anyhow::Result<Value> {
        let _guard = self.inflight.enter();
        let workflow_run_id = ids.workflow_run_id.as_deref();
        let task_run_id = ids.task_run_id.as_deref();
        let (session_id, offset_seconds, closes_at) = match parse_input(&input) {
            Ok(parsed) => parsed,
            Err(why) => {
                tracing::error!(
                    target: "attctl_worker::run",
                    outcome = "invalid_input",
                    workflow = WARN_TASK,
                    workflow_run_id,
                    task_run_id,
                    "run input rejected: {why}"
                );
                anyhow::bail!("invalid input: {why}");
            }
        };
        let record = self
            .service
            .warn_from_run(session_id, offset_seconds, closes_at);
        let result = within_run_budget(record).await;
        // Against the instant the run was due: how late the engine delivered it.
        let due = closes_at - chrono::Duration::seconds(i64::from(offset_seconds));
        let lag_ms = (Utc::now() - due).num_milliseconds();
        match result {
            Ok(recorded) => {
                let outcome = if recorded.is_some() {
                    "warning_recorded"
                } else {
                    "nothing_to_warn"
                };
                tracing::info!(
                    target: "attctl_worker::run",
                    session_id,
                    outcome,
                    workflow = WARN_TASK,
                    offset_seconds,
                    lag_ms,
                    event_id = recorded.as_deref(),
                    workflow_run_id,
                    task_run_id,
                    "run finished"
                );
                Ok(json!({ "session_id": session_id, "outcome": outcome, "event_id": recorded }))
            }
            Err(e) => {
                tracing::warn!(
                    target: "attctl_worker::run",
                    session_id,
                    outcome = "error",
                    workflow = WARN_TASK,
                    offset_seconds,
                    transient = e.is_transient(),
                    workflow_run_id,
                    task_run_id,
                    error = %e,
                    "run failed; Hatchet retries it"
                );
                Err(anyhow::anyhow!("warning for session {session_id}: {e}"))
            }
        }
    }
}

/// `{"session_id": 42, "closes_at": "<RFC 3339>", "offset_seconds": 600}`: all three are
/// needed, as the record is conditional on the instant and keyed by the offset.
fn parse_input(input: &Value) -> Result<(i64, u32, chrono::DateTime<Utc>), String> {
    let id = parse_session_id(input)?;
    let offset = match input.get("offset_seconds") {
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Some(Value::String(s)) => s.trim().parse::<u32>().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
    .ok_or_else(|| "offset_seconds must be a positive number of seconds".to_string())?;
    let closes_at = planned_closes_at(input)
        .ok_or_else(|| "closes_at must be an RFC 3339 instant".to_string())?;
    Ok((id, offset, closes_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_need_the_session_the_offset_and_the_instant() {
        let ok = parse_input(&json!({
            "session_id": 7, "offset_seconds": 600, "closes_at": "2026-12-01T09:00:00Z"
        }));
        assert_eq!(ok.map(|(id, o, _)| (id, o)), Ok((7, 600)));
        for bad in [
            json!({"session_id": 7, "offset_seconds": 600}),
            json!({"session_id": 7, "closes_at": "2026-12-01T09:00:00Z"}),
            json!({"session_id": 7, "offset_seconds": 0, "closes_at": "2026-12-01T09:00:00Z"}),
            json!({"session_id": 7, "offset_seconds": -5, "closes_at": "2026-12-01T09:00:00Z"}),
            json!({"offset_seconds": 600, "closes_at": "2026-12-01T09:00:00Z"}),
            json!({"session_id": 7, "offset_seconds": 600, "closes_at": "tomorrow"}),
        ] {
            assert!(parse_input(&bad).is_err(), "{bad}");
        }
    }
}
