//! `--dry-run` through the real code path: the session service runs unchanged on a store
//! and a scheduler that read for real and record every write instead of making it. Each
//! recorded step is described by the real store or scheduler, from the same code that
//! builds the real request, so the plan cannot drift from what the command sends.
//!
//! A recorded write answers with the row it would produce, so the service goes on as it
//! would (the run it would plan, the id it would record). A new session has no id yet: it is
//! shown as `<new id>` (id 0 inside the dry run).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::store::prelude::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::SessionService;
use crate::error::Result;
use crate::report::{ClosureFigures, ClosureQuery};
use crate::scheduler::{BulkCancelled, Cancelled, ClosureScheduler, SchedulerOp};
use crate::session::{
    Class, ClassId, ClassRef, ClosedBy, Holiday, NewSession, SchoolSettings, SchoolUpdate,
    SessionId, Status, TeachingSession,
};
use crate::store::events::{EventFilter, EventOutcome, EventRecord, RetrySelection};
use crate::store::{
    Cursor, OverdueClosed, OverdueCutoff, PlannedWrite, RunHealth, SessionFilter, SessionPage,
    SessionStore, StoreWrite, TimesUpdate, WarningRun,
};

mod recording_store;
use recording_store::RecordingStore;

/// The id a session not yet inserted has inside a dry run.
pub(crate) const NEW_ID: SessionId = 0;
/// The run id a run not yet created has inside a dry run.
pub(crate) const NEW_RUN: &str = "<run id>";

/// One step of a plan: the JSON shape `--dry-run` prints (`{step, method, target, body,
/// note}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PlannedStep {
    pub step: usize,
    pub method: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    pub note: String,
}

/// The steps recorded so far, shared by the recording store and scheduler.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    steps: Arc<Mutex<Vec<PlannedStep>>>,
}

impl Plan {
    fn record(&self, write: PlannedWrite, note: String) {
        let mut steps = self.steps.lock().unwrap_or_else(|p| p.into_inner());
        let step = steps.len() + 1;
        steps.push(PlannedStep {
            step,
            method: write.method,
            target: show_new_id(&write.target),
            body: write.body.map(show_new_id_in),
            note,
        });
    }

    /// The steps, in the order the command would make them.
    pub(crate) fn steps(&self) -> Vec<PlannedStep> {
        self.steps.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The target with the placeholder id of a session not inserted yet shown as `<new id>`.
fn show_new_id(target: &str) -> String {
    let mut out = target.to_string();
    for (exact, shown) in [("id=eq.0", "id=eq.<new id>"), ("id = 0", "id = <new id>")] {
        let mut rebuilt = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(exact) {
            let after = &rest[at + exact.len()..];
            let whole = after.is_empty() || after.starts_with('&') || after.starts_with(' ');
            let before_ok = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric());
            rebuilt.push_str(&rest[..at]);
            rebuilt.push_str(if whole && before_ok { shown } else { exact });
            rest = after;
        }
        rebuilt.push_str(rest);
        out = rebuilt;
    }
    out
}

/// A body with the placeholder session id (`session_id`: 0 or "0") shown as `<new id>`.
fn show_new_id_in(mut body: serde_json::Value) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    let placeholder = v.as_i64() == Some(NEW_ID) || v.as_str() == Some("0");
                    if key == "session_id" && placeholder {
                        *v = serde_json::Value::String("<new id>".into());
                    } else {
                        walk(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut body);
    body
}

/// `service`, with its writes recorded in the returned plan instead of made.
pub(crate) fn dry_run(service: &SessionService) -> (SessionService, Plan) {
    let plan = Plan::default();
    let store = RecordingStore {
        inner: service.store.clone(),
        plan: plan.clone(),
        written: Mutex::new(HashMap::new()),
    };
    let scheduler = RecordingScheduler {
        inner: service.scheduler.clone(),
        plan: plan.clone(),
    };
    let recorded = SessionService {
        store: Arc::new(store),
        scheduler: Arc::new(scheduler),
        events: service.events.clone(),
        warn_offsets: service.warn_offsets.clone(),
    };
    (recorded, plan)
}

/// Records the runs the command would plan and cancel.
struct RecordingScheduler {
    inner: Arc<dyn ClosureScheduler>,
    plan: Plan,
}

#[async_trait]
impl ClosureScheduler for RecordingScheduler {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        if let Some(write) = self.inner.describe(&SchedulerOp::Schedule(session)) {
            self.plan.record(
                write,
                "schedule the automatic close at the session's end".into(),
            );
        }
        Ok(NEW_RUN.to_string())
    }

    fn inline_run_id(&self) -> Option<String> {
        self.inner.inline_run_id()
    }

    fn plans_warnings(&self) -> bool {
        self.inner.plans_warnings()
    }

    async fn schedule_warning(
        &self,
        session: &TeachingSession,
        offset_seconds: u32,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let op = SchedulerOp::ScheduleWarning {
            session,
            offset_seconds,
            at,
        };
        if let Some(write) = self.inner.describe(&op) {
            self.plan.record(
                write,
                format!("schedule the warning {offset_seconds}s before the session's end"),
            );
        }
        Ok(NEW_RUN.to_string())
    }

    async fn cancel(&self, run_id: &str) -> Result<Cancelled> {
        if let Some(write) = self.inner.describe(&SchedulerOp::Cancel(run_id)) {
            self.plan
                .record(write, format!("cancel run {run_id} (404 = already fired)"));
        }
        Ok(Cancelled::Removed)
    }

    async fn cancel_many(&self, run_ids: &[String]) -> Result<Vec<BulkCancelled>> {
        for write in self.inner.describe_cancel_many(run_ids) {
            self.plan.record(
                write,
                format!(
                    "cancel {} pending warning run(s) (gone = already fired)",
                    run_ids.len()
                ),
            );
        }
        Ok(run_ids
            .iter()
            .map(|run_id| BulkCancelled {
                run_id: run_id.clone(),
                outcome: Cancelled::Removed,
            })
            .collect())
    }

    fn describe(&self, op: &SchedulerOp<'_>) -> Option<PlannedWrite> {
        self.inner.describe(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_id_is_shown_as_new_id_and_nothing_else_is() {
        assert_eq!(
            show_new_id("x/teaching_sessions?id=eq.0&scheduled_task_id=eq.0abc"),
            "x/teaching_sessions?id=eq.<new id>&scheduled_task_id=eq.0abc"
        );
        assert_eq!(show_new_id("t?id=eq.05"), "t?id=eq.05");
        assert_eq!(
            show_new_id("sqlite:/a teaching_sessions WHERE id = 0 AND x"),
            "sqlite:/a teaching_sessions WHERE id = <new id> AND x"
        );
        assert_eq!(
            show_new_id_in(serde_json::json!({"input": {"session_id": 0}, "n": 0})),
            serde_json::json!({"input": {"session_id": "<new id>"}, "n": 0})
        );
    }
}
