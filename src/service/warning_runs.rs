//! Warnings before close as scheduled runs: with Hatchet, each offset of
//! `ATTCTL_WARN_BEFORE` is a run of `warn-teaching-session` at `closes_at - offset`,
//! planned by whoever plans the session's close run (create, reschedule, generate, import,
//! the sweep), its id kept in the store, and taken back and cancelled when the session is
//! closed by hand, deleted or moved.
//!
//! Nothing here decides whether a warning is sent: the run's body
//! ([`SessionService::warn_from_run`]) records it only while the session is Open and still
//! closes at the instant the run names, once per session, offset and instant. So a run that
//! could not be cancelled, a duplicate, or a run planned by a process that raced with a
//! move, fires and records nothing. The worker's warning sweep records warnings that are
//! due and were missed (no run planned: the scheduler failed, or the session came from
//! elsewhere).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{SessionService, create_runs};
use crate::error::Result;
use crate::events::SessionEvent;
use crate::session::{SessionId, TaskRef, TeachingSession};
use crate::store::WarningRun;

/// How long a session must have been left alone before the sweep replans its missing
/// warning runs: whoever changed it (a create, a reschedule, an import chunk) plans them
/// right after its close run.
const WARNING_PLAN_SETTLE: chrono::Duration = chrono::Duration::seconds(10);

/// What planning warning runs did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct WarningPlan {
    /// Runs created and kept in the store.
    pub kept: usize,
    /// Runs that could not be created.
    pub failed: usize,
}

impl SessionService {
    /// The same service, planning a warning run `offsets` before each close it plans (when
    /// its scheduler runs warnings; largest offset first, as configured).
    pub fn with_warnings(mut self, offsets: &[std::time::Duration]) -> Self {
        self.warn_offsets = offsets
            .iter()
            .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
            .filter(|s| *s > 0)
            .collect();
        self
    }

    /// Whether closes planned by this service get warning runs.
    pub(crate) fn plans_warning_runs(&self) -> bool {
        !self.warn_offsets.is_empty() && self.scheduler.plans_warnings()
    }

    /// Plans the warning runs of `sessions` that are Open, close after `now` and have a
    /// close run: one per offset, at its due instant or now when that has passed, created
    /// as [`create_runs`] does; their ids are kept in one write, and runs the
    /// store did not keep (a duplicate, a session deleted meanwhile) are cancelled.
    /// Failures become `warnings`: the worker's warning sweep covers those sessions.
    pub(crate) async fn plan_warnings(
        &self,
        sessions: &[TeachingSession],
        now: DateTime<Utc>,
        warnings: &mut Vec<String>,
    ) -> WarningPlan {
        if !self.plans_warning_runs() {
            return WarningPlan::default();
        }
        let todo = sessions
            .iter()
            .flat_map(|s| self.warn_offsets.iter().map(move |&o| (s.clone(), o)))
            .collect();
        self.plan_warning_runs(todo, now, warnings).await
    }

    /// Plans the warning runs of (session, offset) pairs: see
    /// [`SessionService::plan_warnings`]. Pairs whose session is not Open, closes by `now`
    /// or has no close run are left out.
    async fn plan_warning_runs(
        &self,
        pairs: Vec<(TeachingSession, u32)>,
        now: DateTime<Utc>,
        warnings: &mut Vec<String>,
    ) -> WarningPlan {
        let mut plan = WarningPlan::default();
        let todo: Vec<(TeachingSession, u32, DateTime<Utc>)> = pairs
            .into_iter()
            .filter(|(s, _)| {
                let has_run = !matches!(s.task_ref(), TaskRef::None | TaskRef::Claim(_));
                s.is_open() && s.closes_at > now && has_run
            })
            .map(|(s, offset)| {
                let due = s.closes_at - chrono::Duration::seconds(i64::from(offset));
                (s, offset, due.max(now))
            })
            .collect();
        let (outcomes, untried) = create_runs(todo, |(session, offset, at)| {
            let scheduler = Arc::clone(&self.scheduler);
            async move {
                let run = scheduler.schedule_warning(&session, offset, at).await;
                ((session, offset, at), run)
            }
        })
        .await;
        plan.failed += untried.len();
        let mut runs = Vec::with_capacity(outcomes.len());
        let mut first_error = None;
        for ((session, offset, _), outcome) in outcomes {
            match outcome {
                Ok(run_id) => runs.push(WarningRun {
                    session_id: session.id,
                    offset_seconds: offset,
                    closes_at: session.closes_at,
                    run_id,
                }),
                Err(e) => {
                    plan.failed += 1;
                    first_error.get_or_insert_with(|| e.to_string());
                }
            }
        }
        if plan.failed > 0 {
            warnings.push(format!(
                "{} warning run(s) could not be scheduled ({}); attctl-worker's sweep records \
                 warnings that are due while the session is Open",
                plan.failed,
                first_error.unwrap_or_else(|| "the first one failed".into())
            ));
        }
        if runs.is_empty() {
            return plan;
        }
        match self.store.add_warning_runs(&runs).await {
            Ok(kept) => {
                plan.kept = kept.len();
                let kept: HashSet<&str> = kept.iter().map(|r| r.run_id.as_str()).collect();
                let extra: Vec<String> = runs
                    .iter()
                    .filter(|r| !kept.contains(r.run_id.as_str()))
                    .map(|r| r.run_id.clone())
                    .collect();
                self.cancel_run_ids(&extra, warnings).await;
            }
            Err(e) => {
                // The runs stay: they warn on time all the same; only an early close or
                // move cannot cancel them (they then fire and record nothing). Not counted
                // as kept, so the sweep's replanning stops here instead of planning again.
                warnings.push(format!(
                    "{} warning run(s) scheduled, but their ids could not be kept ({e}); they \
                     still fire, and record nothing if the session was closed or moved",
                    runs.len()
                ));
            }
        }
        plan
    }

    /// Replans warning runs the store lacks (the sweep): for Open sessions with a close run
    /// whose warning runs were never planned (created by an `attctl` without
    /// `ATTCTL_WARN_BEFORE`, before it was set, or while Hatchet refused them), chunk by
    /// chunk. Sessions changed in the last [`WARNING_PLAN_SETTLE`] are left to whoever is
    /// changing them. Two sweeps may plan the same pair: the store keeps one run, and the
    /// other is cancelled.
    pub(crate) async fn plan_missing_warning_runs(
        &self,
        now: DateTime<Utc>,
        summary: &mut super::SweepOutcome,
    ) -> Result<()> {
        if !self.plans_warning_runs() {
            return Ok(());
        }
        loop {
            let pairs = self
                .store
                .missing_warning_runs(
                    &self.warn_offsets,
                    now,
                    now - WARNING_PLAN_SETTLE,
                    super::PLAN_BATCH,
                )
                .await?;
            if pairs.is_empty() {
                return Ok(());
            }
            let full = pairs.len() == super::PLAN_BATCH;
            let mut ids: Vec<SessionId> = pairs.iter().map(|(id, _)| *id).collect();
            ids.dedup();
            let sessions: HashMap<SessionId, TeachingSession> = self
                .store
                .get_sessions(&ids)
                .await?
                .into_iter()
                .map(|s| (s.id, s))
                .collect();
            let todo = pairs
                .into_iter()
                .filter_map(|(id, offset)| sessions.get(&id).map(|s| (s.clone(), offset)))
                .collect();
            let mut w = Vec::new();
            let plan = self.plan_warning_runs(todo, now, &mut w).await;
            summary.warning_runs += plan.kept;
            summary.schedule_failures += plan.failed;
            summary.errors.extend(w);
            summary.errors.truncate(super::MAX_REPORTED_ERRORS);
            // Nothing kept (the engine refuses): the next sweep tries again.
            if plan.kept == 0 || !full {
                return Ok(());
            }
        }
    }

    /// Takes back the warning runs kept for `ids` and cancels them (a session closed by
    /// hand, deleted or moved). Failures are warnings: a run left fires and records nothing.
    pub(crate) async fn cancel_warnings(&self, ids: &[SessionId], warnings: &mut Vec<String>) {
        if ids.is_empty() || !self.scheduler.plans_warnings() {
            return;
        }
        match self.store.take_warning_runs(ids).await {
            Ok(runs) => {
                let run_ids: Vec<String> = runs.into_iter().map(|r| r.run_id).collect();
                self.cancel_run_ids(&run_ids, warnings).await;
            }
            Err(e) => warnings.push(format!(
                "could not look up the pending warning runs ({e}); if they fire they find \
                 the session already handled"
            )),
        }
    }

    async fn cancel_run_ids(&self, run_ids: &[String], warnings: &mut Vec<String>) {
        if run_ids.is_empty() {
            return;
        }
        if let Err(e) = self.scheduler.cancel_many(run_ids).await {
            warnings.push(format!(
                "could not cancel {} warning run(s) ({e}); if they fire they find the session \
                 already handled",
                run_ids.len()
            ));
        }
    }

    /// The body of a warning run: records the session's `session.closing_soon` for
    /// `offset_seconds` if it is still Open and still closes at `closes_at` (the instant
    /// the run was planned for), once. Returns the new event's id, `None` when nothing was
    /// recorded (already recorded, closed, moved, gone or past its end).
    pub async fn warn_from_run(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let recorded = self
            .store
            .record_warning(id, offset_seconds, closes_at)
            .await?;
        if let Some(event_id) = &recorded {
            self.emit(SessionEvent::ClosingSoon {
                session_id: id,
                offset_seconds,
                closes_at,
                event_id: event_id.clone(),
            });
        }
        Ok(recorded)
    }
}
