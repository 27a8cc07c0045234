//! The session service: every operation that changes a session, written once for both
//! binaries and every backend. It is the only code that combines a store and a scheduler.
//!
//! The rules it keeps:
//! - a session is stored before its run is planned, so a scheduling failure never loses it;
//! - a failed cancellation is a warning, never a reason to refuse a close or delete;
//! - a run closes its session only once it is due, so a stale run cannot close a session
//!   that was rescheduled later;
//! - the sweep closes whatever is overdue and plans runs for sessions that have none,
//!   claiming each session first so concurrent sweeps never plan two runs.

pub(crate) mod bulk;
mod class_lookup;
pub(crate) mod import;
mod sweep_outcome;
mod warning_runs;

use class_lookup::resolve_class_name;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use futures::StreamExt;
use serde::Serialize;

use crate::clock;
use crate::error::{Error, Result};
use crate::events::{EventSink, SessionEvent, TraceSink};
use crate::scheduler::{Cancelled, ClosureScheduler};
use crate::session::{
    CLAIM_PREFIX, ClassRef, ClosedBy, SessionId, SessionTimes, Status, TaskRef, TeachingSession,
};
use crate::store::{OverdueClosed, OverdueCutoff, SessionStore, TimesUpdate};

pub use sweep_outcome::SweepOutcome;
/// The old name of [`SweepOutcome`], for `worker/` and the service tests until they use
/// the new one.
#[doc(hidden)]
pub type SweepReport = SweepOutcome;

/// How long a sweep's claim protects a session before another sweep may take it over
/// (the claimer crashed between claiming and scheduling).
pub const CLAIM_TTL: Duration = Duration::minutes(2);
/// A scheduled run normally arrives within this long of its closing instant (the engine
/// polls every 5 s); the sweep leaves sessions overdue by less to their runs, so on-time
/// closes stay `auto`, and asks to be called again when that grace has passed.
pub const SWEEP_GRACE: Duration = Duration::seconds(15);
/// Sessions read, claimed and planned per round when planning missing runs (the store's
/// page size).
pub(crate) const PLAN_BATCH: usize = 1000;
/// Runs created at once while planning: enough to plan a backlog of thousands in seconds,
/// few enough not to flood the engine.
pub(crate) const SCHEDULE_CONCURRENCY: usize = 24;
/// Scheduling errors kept in one sweep's outcome (the count is always exact).
pub(crate) const MAX_REPORTED_ERRORS: usize = 20;
/// Sessions closed per round by the sweep.
const CLOSE_BATCH: usize = 1000;

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
    /// [`SessionService::close_from_planned_run`]).
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

#[derive(Clone)]
pub struct SessionService {
    store: Arc<dyn SessionStore>,
    scheduler: Arc<dyn ClosureScheduler>,
    events: Arc<dyn EventSink>,
    /// Offsets (seconds before `closes_at`) of the warning runs planned with each close run.
    warn_offsets: Vec<u32>,
}

impl SessionService {
    pub fn new(store: Arc<dyn SessionStore>, scheduler: Arc<dyn ClosureScheduler>) -> Self {
        SessionService {
            store,
            scheduler,
            events: Arc::new(TraceSink),
            warn_offsets: Vec::new(),
        }
    }

    /// The same service, reporting every change of a session to `sink` (instead of the
    /// default debug trace): the worker's sink wakes its delivery loop.
    pub fn with_events(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.events = sink;
        self
    }

    fn emit(&self, event: SessionEvent) {
        self.events.emit(&event);
    }

    fn emit_closed(&self, ids: &[SessionId], closed_by: ClosedBy, closed_at: DateTime<Utc>) {
        for &session_id in ids {
            self.emit(SessionEvent::Closed {
                session_id,
                closed_by,
                closed_at,
                session: None,
            });
        }
    }

    fn emit_closed_sessions(
        &self,
        sessions: &[TeachingSession],
        closed_by: ClosedBy,
        closed_at: DateTime<Utc>,
    ) {
        for session in sessions {
            self.emit(SessionEvent::Closed {
                session_id: session.id,
                closed_by,
                closed_at,
                session: Some(session.clone()),
            });
        }
    }

    pub fn store(&self) -> &Arc<dyn SessionStore> {
        &self.store
    }

    /// Resolves a class reference to its id, checking a name exists.
    pub async fn class_id(&self, class: &ClassRef) -> Result<i64> {
        match class {
            // An unknown id is reported by the insert itself (foreign key), saving a request.
            ClassRef::Id(id) => Ok(*id),
            ClassRef::Name(name) => {
                if let Some(c) = self.store.find_class(class).await? {
                    return Ok(c.id);
                }
                // Not exact: people type "year 7 (a)" for "Year 7 (A)". One request for
                // the class list is cheap next to a failed command.
                let classes = self.store.list_classes().await?;
                resolve_class_name(name, &classes)
            }
        }
    }

    /// Stores a new session, then plans its closing run.
    pub async fn create(
        &self,
        class: &ClassRef,
        times: SessionTimes,
        now: DateTime<Utc>,
    ) -> Result<SessionOutcome> {
        self.create_with(class, times, now, &CreateOptions::default())
            .await
    }

    /// [`SessionService::create`] with `opts`: letting the session overlap others of its
    /// class (refused by both stores otherwise, with exit 4), its session type.
    pub(crate) async fn create_with(
        &self,
        class: &ClassRef,
        times: SessionTimes,
        now: DateTime<Utc>,
        opts: &CreateOptions,
    ) -> Result<SessionOutcome> {
        let class_id = self.class_id(class).await?;
        let future = times.closes_at > now;
        let mut new = times.into_new_session(class_id);
        new.allow_overlap = opts.allow_overlap;
        new.session_type = opts.session_type.clone();
        if future {
            new.scheduled_task_id = self.scheduler.inline_run_id();
        }
        let session = self.store.insert_session(&new).await?;
        self.emit(SessionEvent::Created {
            session: session.clone(),
        });
        let mut warnings = Vec::new();
        let session = if new.scheduled_task_id.is_some() {
            session
        } else if future {
            let session = self.plan_run(session, None, &mut warnings).await;
            self.plan_warnings(std::slice::from_ref(&session), now, &mut warnings)
                .await;
            session
        } else {
            warnings.push(format!(
                "session {} has already ended; attctl-worker closes it at its next sweep",
                session.id
            ));
            session
        };
        Ok(SessionOutcome { session, warnings })
    }

    /// Plans a run for `session`, whose `scheduled_task_id` currently holds `current`, and
    /// records its id. Failures become warnings: the sweep plans it later.
    async fn plan_run(
        &self,
        session: TeachingSession,
        current: Option<&str>,
        warnings: &mut Vec<String>,
    ) -> TeachingSession {
        let run = match self.scheduler.schedule(&session).await {
            Ok(run) => run,
            Err(e) => {
                warnings.push(format!(
                    "session {} saved, but its automatic close could not be scheduled ({e}); attctl-worker's sweep will schedule or close it",
                    session.id
                ));
                if current.is_some() {
                    // Leave no cancelled run id behind, or the sweep would think it planned.
                    match self
                        .store
                        .swap_scheduled_task(session.id, current, None)
                        .await
                    {
                        Ok(Some(updated)) => return updated,
                        Ok(None) => {}
                        Err(e) => warnings.push(format!(
                            "could not clear the old run id of session {}: {e}",
                            session.id
                        )),
                    }
                }
                return session;
            }
        };
        match self
            .store
            .swap_scheduled_task(session.id, current, Some(&run))
            .await
        {
            Ok(Some(updated)) => updated,
            Ok(None) => {
                // Someone else changed the row meanwhile (deleted, claimed, rescheduled):
                // our run would be a duplicate.
                self.cancel_quietly(&run, session.id, warnings).await;
                session
            }
            Err(e) => {
                warnings.push(format!(
                    "run {run} scheduled for session {}, but its id could not be saved ({e})",
                    session.id
                ));
                session
            }
        }
    }

    async fn cancel_quietly(&self, run: &str, id: SessionId, warnings: &mut Vec<String>) {
        if !matches!(
            TaskRef::of(Some(run)),
            TaskRef::Run(_) | TaskRef::LocalRun(_)
        ) {
            // A claim, or a legacy value of the original app (`mock-task-…`): no run of
            // ours to cancel, and asking the engine would only earn a 400.
            tracing::debug!(
                session_id = id,
                value = run,
                "not a run id: nothing to cancel"
            );
            return;
        }
        match self.scheduler.cancel(run).await {
            Ok(Cancelled::Removed | Cancelled::AlreadyGone) => {}
            Err(e) => warnings.push(format!(
                "could not cancel run {run} of session {id} ({e}); if it fires it finds the session already handled"
            )),
        }
    }

    /// Fetches sessions by id, failing (before any write) if any does not exist.
    pub async fn existing(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        let found = self.store.get_sessions(&unique).await?;
        let missing: Vec<SessionId> = unique
            .iter()
            .copied()
            .filter(|id| !found.iter().any(|s| s.id == *id))
            .collect();
        match missing.as_slice() {
            [] => {}
            [one] => return Err(Error::session_not_found(*one)),
            many => {
                let list: Vec<String> = many.iter().map(|id| id.to_string()).collect();
                return Err(Error::NotFound {
                    what: "sessions",
                    id: list.join(", "),
                });
            }
        }
        // Keep the order the user gave.
        let mut ordered = Vec::with_capacity(found.len());
        for id in ids {
            if let Some(s) = found.iter().find(|s| s.id == *id)
                && !ordered.iter().any(|o: &TeachingSession| o.id == *id)
            {
                ordered.push(s.clone());
            }
        }
        Ok(ordered)
    }

    pub async fn show(&self, id: SessionId) -> Result<TeachingSession> {
        self.existing(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::session_not_found(id))
    }

    /// Closes sessions by hand. With `strict`, an already closed session is a conflict and
    /// nothing is written.
    pub async fn close(
        &self,
        ids: &[SessionId],
        strict: bool,
        now: DateTime<Utc>,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<CloseResult>> {
        let sessions = self.existing(ids).await?;
        if strict && let Some(closed) = sessions.iter().find(|s| !s.is_open()) {
            return Err(Error::Conflict(format!(
                "session {} is already closed",
                closed.id
            )));
        }
        let mut results = Vec::with_capacity(sessions.len());
        for before in sessions {
            let mut warnings = Vec::new();
            let result = match self
                .store
                .close_if_open(before.id, ClosedBy::Manual, now, None)
                .await?
            {
                Some(closed) => {
                    self.emit_closed_sessions(std::slice::from_ref(&closed), ClosedBy::Manual, now);
                    if let Some(run) = closed.scheduled_run() {
                        self.cancel_quietly(run, closed.id, &mut warnings).await;
                    }
                    self.cancel_warnings(&[closed.id], &mut warnings).await;
                    CloseResult {
                        id: closed.id,
                        outcome: CloseOutcome::Closed,
                        session: closed,
                        warnings,
                    }
                }
                None => {
                    let current = self.show(before.id).await?;
                    if strict {
                        return Err(Error::Conflict(format!(
                            "session {} was closed meanwhile",
                            current.id
                        )));
                    }
                    CloseResult {
                        id: current.id,
                        outcome: CloseOutcome::AlreadyClosed,
                        session: current,
                        warnings,
                    }
                }
            };
            results.push(result);
            progress();
        }
        Ok(results)
    }

    /// Deletes sessions, cancelling their runs first.
    pub async fn delete(
        &self,
        ids: &[SessionId],
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<DeleteResult>> {
        let sessions = self.existing(ids).await?;
        let mut results = Vec::with_capacity(sessions.len());
        for session in sessions {
            let mut warnings = Vec::new();
            if session.is_open() {
                if let Some(run) = session.scheduled_run() {
                    self.cancel_quietly(run, session.id, &mut warnings).await;
                }
                self.cancel_warnings(&[session.id], &mut warnings).await;
            }
            match self.store.delete_session(session.id).await? {
                Some(deleted) => results.push({
                    self.emit(SessionEvent::Deleted {
                        session: deleted.clone(),
                    });
                    DeleteResult {
                        id: deleted.id,
                        outcome: DeleteOutcome::Deleted,
                        session: deleted,
                        warnings,
                    }
                }),
                None => results.push(DeleteResult {
                    id: session.id,
                    outcome: DeleteOutcome::AlreadyDeleted,
                    session,
                    warnings,
                }),
            }
            progress();
        }
        Ok(results)
    }

    /// Moves a session to new times: updates the row, cancels the old run, plans a new one.
    pub async fn reschedule(
        &self,
        id: SessionId,
        change: &Reschedule,
        now: DateTime<Utc>,
    ) -> Result<SessionOutcome> {
        let before = self.show(id).await?;
        let times = change.times_for(&before)?;
        let future = times.closes_at > now;
        let reopen = match (before.status, change.reopen) {
            (Status::Closed, false) if future => {
                return Err(Error::Conflict(format!(
                    "session {id} is Closed; pass --reopen to reopen it at the new times"
                )));
            }
            (Status::Closed, true) if !future => {
                return Err(Error::invalid(
                    "--reopen needs new times that end in the future",
                ));
            }
            (Status::Closed, true) => true,
            _ => false,
        };
        let update = TimesUpdate {
            times,
            expected_status: before.status,
            reopen,
        };
        let updated = self.store.update_times(id, &update).await?.ok_or_else(|| {
            Error::Conflict(format!(
                "session {id} changed while rescheduling (closed or deleted); try again"
            ))
        })?;
        self.emit(SessionEvent::Rescheduled {
            before: before.clone(),
            session: updated.clone(),
        });
        if reopen {
            self.emit(SessionEvent::Reopened {
                session: updated.clone(),
            });
        }
        let mut warnings = Vec::new();
        if let Some(old_run) = before.scheduled_run() {
            self.cancel_quietly(old_run, id, &mut warnings).await;
        }
        self.cancel_warnings(&[id], &mut warnings).await;
        let session = if updated.is_open() && future {
            let current = updated.scheduled_task_id.clone();
            let session = self
                .plan_run(updated, current.as_deref(), &mut warnings)
                .await;
            self.plan_warnings(std::slice::from_ref(&session), now, &mut warnings)
                .await;
            session
        } else {
            updated
        };
        Ok(SessionOutcome { session, warnings })
    }

    /// The body of a scheduled run: close the session if it is Open and due.
    pub async fn close_from_run(&self, id: SessionId, now: DateTime<Utc>) -> Result<RunOutcome> {
        self.close_from_planned_run(id, None, now).await
    }

    /// [`close_from_run`](Self::close_from_run) for a run that says which closing instant
    /// it was planned for (attctl's runs carry `closes_at` in their input): it closes only
    /// while the session still closes then. A stale run (the session was rescheduled, and
    /// the engine fired the old run anyway, as it does within 5 s of its trigger) finds it
    /// not due and leaves it to the current run. Runs without it (the original app's,
    /// or planned by an older attctl) keep the tolerance alone.
    pub async fn close_from_planned_run(
        &self,
        id: SessionId,
        planned: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<RunOutcome> {
        let due_by = now + clock::run_tolerance();
        let closed = match planned {
            Some(planned) => {
                self.store
                    .close_if_planned(id, ClosedBy::Auto, now, due_by, planned)
                    .await?
            }
            None => {
                self.store
                    .close_if_open(id, ClosedBy::Auto, now, Some(due_by))
                    .await?
            }
        };
        if let Some(session) = closed {
            self.emit_closed_sessions(std::slice::from_ref(&session), ClosedBy::Auto, now);
            let lag = now - session.closes_at;
            let together = match planned {
                Some(planned) => self.close_due_together(session.id, planned, now).await,
                None => Vec::new(),
            };
            return Ok(RunOutcome::Closed {
                session,
                lag,
                together,
            });
        }
        Ok(
            match self.store.get_sessions(&[id]).await?.into_iter().next() {
                None => RunOutcome::Missing,
                Some(s) if !s.is_open() => RunOutcome::AlreadyClosed,
                Some(s) => RunOutcome::NotDue { session: s },
            },
        )
    }

    /// After a run closed its session at `planned`: closes, in one write, the other Open
    /// sessions due within [`SWEEP_GRACE`] before that instant. Sessions end together (a
    /// period's end), and their runs reach the worker one by one (the engine and the SDK
    /// dispatch each separately, about a millisecond apart), so the last of 10,000 runs
    /// would otherwise close its session seconds late. They close as `auto`: on time, by a
    /// run. Their own runs then find them closed. A failure here only costs the speed-up:
    /// each session still has its own run, and the sweep under both.
    async fn close_due_together(
        &self,
        closed: SessionId,
        planned: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Vec<TeachingSession> {
        match self
            .store
            .close_due_together(planned - SWEEP_GRACE, planned, ClosedBy::Auto, now)
            .await
        {
            Ok(together) => {
                let together: Vec<TeachingSession> =
                    together.into_iter().filter(|s| s.id != closed).collect();
                self.emit_closed_sessions(&together, ClosedBy::Auto, now);
                together
            }
            Err(e) => {
                tracing::debug!(
                    session_id = closed,
                    error = %e,
                    "the sessions due with this one were not closed together; their own runs close them"
                );
                Vec::new()
            }
        }
    }

    /// Closes every Open session due by `cutoff`. Rows that cannot be written are returned
    /// in `failed`; they never keep the others open.
    pub async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<OverdueClosed> {
        let mut all = OverdueClosed::default();
        loop {
            let batch = self
                .store
                .close_overdue(cutoff, closed_by, now, CLOSE_BATCH)
                .await?;
            let done = batch.closed.len() != CLOSE_BATCH;
            self.emit_closed(&batch.closed, closed_by, now);
            all.closed.extend(batch.closed);
            all.failed.extend(batch.failed);
            if done {
                return Ok(all);
            }
        }
    }

    /// One reconciliation pass: close what is overdue, plan runs for what has none. A
    /// session with a planned run is left to it for [`SWEEP_GRACE`] after its end; one with
    /// no run (scheduling failed, or it was never scheduled) is closed at once.
    pub async fn sweep(&self, worker_id: &str, now: DateTime<Utc>) -> Result<SweepOutcome> {
        let started = std::time::Instant::now();
        let mut report = self.close_pass(now).await?;
        self.plan_missing_runs(worker_id, now, &mut report).await?;
        report.duration = started.elapsed();
        Ok(report)
    }

    /// The closing half of [`SessionService::sweep`]: what the daemon runs on time, while
    /// planning goes on apart, so that scheduling a backlog never delays a close.
    pub async fn close_pass(&self, now: DateTime<Utc>) -> Result<SweepOutcome> {
        let started = std::time::Instant::now();
        let cutoff = OverdueCutoff {
            planned: now - SWEEP_GRACE,
            unplanned: now,
        };
        let closed = self.close_overdue(cutoff, ClosedBy::Sweep, now).await?;
        let mut report = SweepOutcome {
            closed: closed.closed,
            failed: closed.failed,
            ..Default::default()
        };
        // Only sessions still inside their run's grace call for an early recheck; an old
        // row that cannot be closed must not make the sweep spin.
        report.recheck_at = self
            .store
            .next_closing(now - SWEEP_GRACE)
            .await?
            .filter(|closes_at| *closes_at <= now)
            .map(|closes_at| closes_at + SWEEP_GRACE);
        report.duration = started.elapsed();
        Ok(report)
    }

    /// Plans runs for future Open sessions that have none, as bulk work: per chunk, one
    /// read, one conditional write claiming the chunk, its runs created
    /// [`SCHEDULE_CONCURRENCY`] at a time, and one write storing their ids. A session whose
    /// run cannot be created gets its claim back, for the next pass. Then the warning runs
    /// the store lacks (with Hatchet and `ATTCTL_WARN_BEFORE`).
    pub async fn plan_missing_runs(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        report: &mut SweepOutcome,
    ) -> Result<()> {
        self.plan_missing_close_runs(worker_id, now, report).await?;
        self.plan_missing_warning_runs(now, report).await
    }

    /// The close runs of [`SessionService::plan_missing_runs`], and the warning runs of the
    /// sessions it plans.
    async fn plan_missing_close_runs(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        report: &mut SweepOutcome,
    ) -> Result<()> {
        loop {
            let batch = self
                .store
                .unscheduled_open(now, now - CLAIM_TTL, PLAN_BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(());
            }
            let full = batch.len() == PLAN_BATCH;
            let claim = format!("{CLAIM_PREFIX}{worker_id}:{}", uuid::Uuid::new_v4());
            let claimed = self.store.claim_for_planning(&batch, &claim, now).await?;
            report.lost_claims += batch.len() - claimed.len().min(batch.len());
            if claimed.is_empty() {
                // Every one was taken by another sweep: it plans them.
                if !full {
                    return Ok(());
                }
                continue;
            }
            // Owned futures (no borrow across the stream) keep the whole pass `Send`.
            let (outcomes, untried) = create_runs(claimed, |session| {
                let scheduler = Arc::clone(&self.scheduler);
                async move {
                    let run = scheduler.schedule(&session).await;
                    (session, run)
                }
            })
            .await;
            if !untried.is_empty() {
                let rest: Vec<SessionId> = untried.iter().map(|s| s.id).collect();
                self.store.release_claim(&claim, &rest).await?;
            }
            let mut ran = Vec::with_capacity(outcomes.len());
            let mut failed = Vec::new();
            for (session, outcome) in outcomes {
                match outcome {
                    Ok(run) => ran.push((session, run)),
                    Err(e) => {
                        if report.errors.len() < MAX_REPORTED_ERRORS {
                            report
                                .errors
                                .push(format!("scheduling session {}: {e}", session.id));
                        }
                        failed.push(session.id);
                    }
                }
            }
            report.schedule_failures += failed.len();
            if !failed.is_empty() {
                self.store.release_claim(&claim, &failed).await?;
            }
            if !ran.is_empty() {
                let runs: Vec<(SessionId, String)> =
                    ran.iter().map(|(s, run)| (s.id, run.clone())).collect();
                let stored = self.store.store_run_ids(&claim, &runs).await?;
                report.scheduled += stored.len();
                let mut planned = Vec::new();
                for (mut session, run) in ran {
                    if stored.contains(&session.id) {
                        session.scheduled_task_id = Some(run);
                        planned.push(session);
                    } else {
                        // Someone else changed the row meanwhile: our run is a duplicate.
                        let mut w = Vec::new();
                        self.cancel_quietly(&run, session.id, &mut w).await;
                        report.errors.extend(w);
                        report.lost_claims += 1;
                    }
                }
                let mut w = Vec::new();
                let warned = self.plan_warnings(&planned, now, &mut w).await;
                report.warning_runs += warned.kept;
                report.errors.extend(w);
                report.errors.truncate(MAX_REPORTED_ERRORS);
            } else {
                // The scheduler refused everything: stop for this pass rather than retrying
                // every session; overdue ones are closed by the sweep regardless.
                return Ok(());
            }
            if !full {
                return Ok(());
            }
        }
    }
}

/// Creates runs for `items`: the first alone and, unless that failed, the rest
/// [`SCHEDULE_CONCURRENCY`] at a time, so that a failing scheduler (engine down, workflow
/// not registered yet) costs one request, not one per item. Answers each item tried with
/// its outcome, and the items not tried.
pub(crate) async fn create_runs<T, R, F, Fut>(
    items: Vec<T>,
    create: F,
) -> (Vec<(T, Result<R>)>, Vec<T>)
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = (T, Result<R>)>,
{
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return (Vec::new(), Vec::new());
    };
    let (first, outcome) = create(first).await;
    if outcome.is_err() {
        return (vec![(first, outcome)], items.collect());
    }
    let mut outcomes = vec![(first, outcome)];
    outcomes.extend(
        futures::stream::iter(items.map(create))
            .buffer_unordered(SCHEDULE_CONCURRENCY)
            .collect::<Vec<_>>()
            .await,
    );
    (outcomes, Vec::new())
}

pub(crate) mod dry_run;

#[cfg(test)]
mod tests;
