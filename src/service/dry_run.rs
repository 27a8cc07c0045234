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

/// Reads from the real store (what the dry run itself "wrote" first), records writes.
struct RecordingStore {
    inner: Arc<dyn SessionStore>,
    plan: Plan,
    /// Rows as the recorded writes left them (`None`: deleted).
    written: Mutex<HashMap<SessionId, Option<TeachingSession>>>,
}

impl RecordingStore {
    fn remember(&self, id: SessionId, row: Option<TeachingSession>) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, row);
    }

    /// The row as the dry run has it so far.
    async fn current(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let known = self
            .written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        match known {
            Some(row) => Ok(row),
            None => Ok(self.inner.get_sessions(&[id]).await?.into_iter().next()),
        }
    }

    fn record(&self, write: StoreWrite<'_>, note: String) {
        self.plan.record(self.inner.describe_write(&write), note);
    }
}

#[async_trait]
impl SessionStore for RecordingStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    fn describe_write(&self, write: &StoreWrite<'_>) -> PlannedWrite {
        self.inner.describe_write(write)
    }

    async fn store_identity(&self) -> Result<String> {
        self.inner.store_identity().await
    }
}

#[async_trait]
impl Directory for RecordingStore {
    async fn list_classes(&self) -> Result<Vec<Class>> {
        self.inner.list_classes().await
    }

    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>> {
        self.inner.find_class(class).await
    }

    async fn create_class(&self, name: &str) -> Result<Class> {
        // Not reached by any command that takes --dry-run; recorded all the same.
        self.plan.record(
            PlannedWrite {
                method: "INSERT".into(),
                target: "classes".into(),
                body: Some(serde_json::json!({ "name": name })),
            },
            format!("create class {name:?}"),
        );
        Ok(Class {
            id: NEW_ID,
            name: name.to_string(),
            created_at: Utc::now(),
            notify_emails: Vec::new(),
            code: None,
        })
    }

    async fn create_class_notifying(&self, name: &str, notify_emails: &[String]) -> Result<Class> {
        self.plan.record(
            PlannedWrite {
                method: "INSERT".into(),
                target: "classes".into(),
                body: Some(serde_json::json!({ "name": name, "notify_emails": notify_emails })),
            },
            format!("create class {name:?}"),
        );
        Ok(Class {
            id: NEW_ID,
            name: name.to_string(),
            created_at: Utc::now(),
            notify_emails: notify_emails.to_vec(),
            code: None,
        })
    }

    async fn set_class_notify_emails(
        &self,
        id: ClassId,
        notify_emails: &[String],
    ) -> Result<Option<Class>> {
        self.plan.record(
            PlannedWrite {
                method: "PATCH".into(),
                target: format!("classes {id}"),
                body: Some(serde_json::json!({ "notify_emails": notify_emails })),
            },
            format!("set the email recipients of class {id}"),
        );
        Ok(None)
    }

    async fn rename_class(&self, id: ClassId, name: &str) -> Result<Option<Class>> {
        // No command that takes --dry-run renames a class; recorded all the same.
        self.plan.record(
            PlannedWrite {
                method: "PATCH".into(),
                target: format!("classes {id}"),
                body: Some(serde_json::json!({ "name": name })),
            },
            format!("rename class {id}"),
        );
        Ok(None)
    }

    async fn delete_class(&self, id: ClassId) -> Result<Option<Class>> {
        self.plan.record(
            PlannedWrite {
                method: "DELETE".into(),
                target: format!("classes {id}"),
                body: None,
            },
            format!("delete class {id}"),
        );
        Ok(None)
    }

    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday> {
        self.plan.record(
            PlannedWrite {
                method: "POST".into(),
                target: "holidays".into(),
                body: Some(serde_json::json!({
                    "name": name, "first_date": first_date, "last_date": last_date,
                })),
            },
            format!("add the holiday {name:?}"),
        );
        Ok(Holiday {
            id: 0,
            name: name.to_string(),
            first_date,
            last_date,
            created_at: Utc::now(),
        })
    }

    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>> {
        self.inner.list_holidays(from, to).await
    }

    async fn school(&self) -> Result<SchoolSettings> {
        self.inner.school().await
    }

    async fn set_school(&self, update: &SchoolUpdate) -> Result<SchoolSettings> {
        self.plan.record(
            PlannedWrite {
                method: "UPSERT".into(),
                target: "school_settings".into(),
                body: Some(serde_json::json!({
                    "timezone": update.timezone, "session_type": update.session_type,
                })),
            },
            "change the school's settings".to_string(),
        );
        let mut now = self.inner.school().await?;
        now.timezone = update.timezone.clone().or(now.timezone);
        now.session_type = update.session_type.clone().or(now.session_type);
        Ok(now)
    }

    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>> {
        self.plan.record(
            PlannedWrite {
                method: "DELETE".into(),
                target: format!("holidays {id}"),
                body: None,
            },
            format!("delete holiday {id}"),
        );
        Ok(None)
    }
}

#[async_trait]
impl Sessions for RecordingStore {
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession> {
        self.record(
            StoreWrite::Insert(new),
            if new.scheduled_task_id.is_some() {
                "insert the session with its run id (one write)".into()
            } else {
                "insert the session".into()
            },
        );
        let now = Utc::now();
        let row = TeachingSession {
            id: NEW_ID,
            class_id: new.class_id,
            session_date: new.session_date,
            start_time: new.start_time,
            end_time: new.end_time,
            status: Status::Open,
            scheduled_task_id: new.scheduled_task_id.clone(),
            timezone: new.timezone.clone(),
            closes_at: new.closes_at,
            closed_at: None,
            closed_by: None,
            created_at: now,
            updated_at: now,
            session_type: new.session_type.clone(),
        };
        self.remember(NEW_ID, Some(row.clone()));
        Ok(row)
    }

    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(new.len());
        for one in new {
            rows.push(self.insert_session(one).await?);
        }
        Ok(rows)
    }

    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.delete_session(id).await? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    async fn close_sessions(
        &self,
        ids: &[SessionId],
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let mut rows = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.close_if_open(id, closed_by, now, None).await? {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    async fn reschedule_counts(&self, ids: &[SessionId]) -> Result<HashMap<SessionId, u32>> {
        self.inner.reschedule_counts(ids).await
    }

    async fn get_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut found = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(row) = self.current(id).await? {
                found.push(row);
            }
        }
        found.sort_by_key(|s| s.id);
        Ok(found)
    }

    async fn list_sessions(
        &self,
        filter: &SessionFilter,
        after: Option<&Cursor>,
        limit: usize,
        with_total: bool,
    ) -> Result<SessionPage> {
        self.inner
            .list_sessions(filter, after, limit, with_total)
            .await
    }

    async fn close_if_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if !row.is_open() || due_by.is_some_and(|due| row.closes_at > due) {
            return Ok(None);
        }
        self.record(
            StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            },
            format!("close session {id} if it is still Open"),
        );
        row.status = Status::Closed;
        row.closed_at = Some(now);
        row.closed_by = Some(closed_by);
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }

    async fn close_due_together(
        &self,
        _after: DateTime<Utc>,
        _until: DateTime<Utc>,
        _closed_by: ClosedBy,
        _now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        // Only a run calls this, and runs have no --dry-run: nothing is closed.
        Ok(Vec::new())
    }

    async fn close_if_planned(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: DateTime<Utc>,
        planned: DateTime<Utc>,
    ) -> Result<Option<TeachingSession>> {
        // Only a run calls this, and runs have no --dry-run; the same answer as the store's.
        match self.current(id).await? {
            Some(row) if row.closes_at == planned && planned <= due_by => {
                self.close_if_open(id, closed_by, now, Some(due_by)).await
            }
            _ => Ok(None),
        }
    }

    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        _limit: usize,
    ) -> Result<OverdueClosed> {
        // Not reached by any command that takes --dry-run (the sweep has none).
        self.plan.record(
            PlannedWrite {
                method: "UPDATE".into(),
                target: format!(
                    "Open sessions closing by {} (with a run) or {} (without)",
                    cutoff.planned, cutoff.unplanned
                ),
                body: Some(serde_json::json!({
                    "status": Status::Closed, "closed_by": closed_by, "closed_at": now,
                })),
            },
            "close every overdue session".into(),
        );
        Ok(OverdueClosed::default())
    }

    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        let row = self.current(id).await?;
        self.record(StoreWrite::Delete(id), format!("delete session {id}"));
        self.remember(id, None);
        Ok(row)
    }

    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if row.status != update.expected_status {
            return Ok(None);
        }
        self.record(
            StoreWrite::UpdateTimes { id, update },
            if update.reopen {
                format!("move session {id} to its new times and reopen it")
            } else {
                format!("move session {id} to its new times")
            },
        );
        let t = &update.times;
        row.session_date = t.session_date;
        row.start_time = t.start_time;
        row.end_time = t.end_time;
        row.timezone = t.timezone.clone();
        row.closes_at = t.closes_at;
        if update.reopen {
            row.status = Status::Open;
            row.closed_at = None;
            row.closed_by = None;
        }
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }
}

#[async_trait]
impl Planning for RecordingStore {
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>> {
        let Some(mut row) = self.current(id).await? else {
            return Ok(None);
        };
        if row.scheduled_task_id.as_deref() != expected {
            return Ok(None);
        }
        self.record(
            StoreWrite::SwapScheduledTask { id, expected, new },
            match new {
                Some(_) => format!("record session {id}'s run id"),
                None => format!("clear session {id}'s run id"),
            },
        );
        row.scheduled_task_id = new.map(str::to_string);
        self.remember(id, Some(row.clone()));
        Ok(Some(row))
    }

    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        self.inner
            .unscheduled_open(after, stale_claims_before, limit)
            .await
    }

    async fn claim_for_planning(
        &self,
        _candidates: &[TeachingSession],
        _claim: &str,
        _after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        // The sweep has no --dry-run: nothing to claim in a plan.
        Ok(Vec::new())
    }

    async fn store_run_ids(
        &self,
        _claim: &str,
        _runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>> {
        Ok(Vec::new())
    }

    async fn release_claim(&self, _claim: &str, _ids: &[SessionId]) -> Result<()> {
        Ok(())
    }

    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        self.inner.next_closing(after).await
    }

    async fn add_warning_runs(&self, runs: &[WarningRun]) -> Result<Vec<WarningRun>> {
        self.record(
            StoreWrite::AddWarningRuns(runs),
            format!("keep the ids of {} warning run(s)", runs.len()),
        );
        Ok(runs.to_vec())
    }

    async fn take_warning_runs(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
        self.record(
            StoreWrite::TakeWarningRuns(ids),
            "take back the session's pending warning runs, to cancel them".into(),
        );
        // What the take would answer: the runs kept now.
        self.inner.warning_runs_of(ids).await
    }

    async fn warning_runs_of(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>> {
        self.inner.warning_runs_of(ids).await
    }

    async fn missing_warning_runs(
        &self,
        offsets_seconds: &[u32],
        after: DateTime<Utc>,
        settled_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(SessionId, u32)>> {
        self.inner
            .missing_warning_runs(offsets_seconds, after, settled_before, limit)
            .await
    }
}

#[async_trait]
impl Outbox for RecordingStore {
    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>> {
        self.inner.list_events(filter, limit).await
    }

    // The outbox is the worker's; no command that takes --dry-run reaches these writes.
    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>> {
        self.inner
            .claim_events(worker, lease_seconds, max, types)
            .await
    }

    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool> {
        self.inner.finish_event(id, worker, outcome).await
    }

    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>> {
        self.inner.retry_events(which).await
    }

    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        self.inner.prune_events(before).await
    }

    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        self.inner
            .record_warning(id, offset_seconds, closes_at)
            .await
    }

    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>> {
        self.inner.record_due_warnings(offsets_seconds).await
    }
}

#[async_trait]
impl Reports for RecordingStore {
    async fn run_health(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<RunHealth> {
        self.inner.run_health(since, until).await
    }

    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures> {
        self.inner.closure_report(query).await
    }

    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        self.inner
            .open_past_end(before, class_id, after_id, limit)
            .await
    }
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
