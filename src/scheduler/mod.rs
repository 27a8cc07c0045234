//! Who closes a session at its end: the [`ClosureScheduler`] trait and its implementations.
//!
//! - [`hatchet`]: a one-time Hatchet scheduled run of `close-teaching-session`.
//! - [`local`]: the embedded default; the run is a row the local worker watches.
//! - [`worker_plans`]: a staff machine's: attctl-worker plans and cancels its runs.
//!
//! A scheduler only plans and cancels runs. The run itself always ends in
//! [`crate::service::SessionService::close_from_run`], whichever scheduler planned it.

pub mod hatchet;
pub mod local;
pub mod worker_plans;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::session::TeachingSession;
use crate::store::PlannedWrite;

/// The Hatchet task (and standalone workflow) that closes one session.
pub const CLOSE_TASK: &str = "close-teaching-session";
/// The Hatchet task that records one session's `session.closing_soon` for one offset:
/// input `{"session_id", "closes_at", "offset_seconds"}`, scheduled at `closes_at - offset`.
pub const WARN_TASK: &str = "warn-teaching-session";
/// The original app's workflow (its Python worker's), which `attctl-worker` also serves so
/// that runs the original app schedules are executed: input
/// `{"session_id": <int>, "scheduled_close_time": "<ISO datetime without zone>"}`.
pub const LEGACY_WORKFLOW: &str = "close-session-workflow";
/// The one task of [`LEGACY_WORKFLOW`]; its action id is `close-session-workflow:close_teaching_session`.
pub const LEGACY_TASK: &str = "close_teaching_session";

/// What became of a cancelled run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// The pending run was removed.
    Removed,
    /// The run had already fired or was gone (404): nothing left to cancel.
    AlreadyGone,
    /// Not this machine's to cancel (a staff machine): attctl-worker cancels it when it
    /// sees the change in `session_events`.
    LeftToWorker,
}

/// One run of a bulk cancel and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkCancelled {
    pub run_id: String,
    pub outcome: Cancelled,
}

#[async_trait]
pub trait ClosureScheduler: Send + Sync {
    /// Short name for diagnostics: `hatchet` or `local`.
    fn name(&self) -> &'static str;
    /// Plans a run that closes `session` at its closing instant; returns the run id.
    async fn schedule(&self, session: &TeachingSession) -> Result<String>;
    /// A run id that can be stored with the session's insert, for schedulers whose runs
    /// need no request to exist (the local one): `create` then makes one write, not two.
    fn inline_run_id(&self) -> Option<String> {
        None
    }
    /// Whether attctl-worker plans and cancels the runs of what this machine writes (a
    /// staff machine): sessions are then written without a run, and a reschedule clears
    /// the old run's id so that the worker plans the new instant.
    fn planned_by_worker(&self) -> bool {
        false
    }
    /// Whether warnings before close are runs of this scheduler (Hatchet). When not, the
    /// worker's warning loop records them (the local scheduler), and nothing is planned.
    fn plans_warnings(&self) -> bool {
        false
    }
    /// Plans a run that records `session`'s warning for `offset_seconds` at `at`; returns
    /// the run id. Only called when [`ClosureScheduler::plans_warnings`].
    async fn schedule_warning(
        &self,
        session: &TeachingSession,
        offset_seconds: u32,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let _ = (session, offset_seconds, at);
        Err(crate::Error::Backend(format!(
            "the {} scheduler plans no warning runs",
            self.name()
        )))
    }
    /// Cancels a planned run.
    async fn cancel(&self, run_id: &str) -> Result<Cancelled>;
    /// Cancels many runs; schedulers with a bulk route use it (Hatchet: 500 ids per
    /// request), the default cancels one run at a time and stops at the first error.
    async fn cancel_many(&self, run_ids: &[String]) -> Result<Vec<BulkCancelled>> {
        let mut out = Vec::with_capacity(run_ids.len());
        for run_id in run_ids {
            let outcome = self.cancel(run_id).await?;
            out.push(BulkCancelled {
                run_id: run_id.clone(),
                outcome,
            });
        }
        Ok(out)
    }
    /// Moves pending runs to new instants where the scheduler can (Hatchet's bulk-update);
    /// returns the ids moved. The default moves none: the caller cancels the others and
    /// plans new runs, as a single reschedule does.
    async fn move_many(&self, moves: &[(String, DateTime<Utc>)]) -> Result<Vec<String>> {
        let _ = moves;
        Ok(Vec::new())
    }
    /// The requests [`ClosureScheduler::cancel_many`] would send for `run_ids`: by default
    /// one cancel each, as it makes them.
    fn describe_cancel_many(&self, run_ids: &[String]) -> Vec<PlannedWrite> {
        run_ids
            .iter()
            .filter_map(|id| self.describe(&SchedulerOp::Cancel(id)))
            .collect()
    }
    /// The request this scheduler would send for `op`, or `None` when it sends none (the
    /// local scheduler's runs are rows the worker watches).
    fn describe(&self, op: &SchedulerOp<'_>) -> Option<PlannedWrite> {
        let _ = op;
        None
    }
}

/// A scheduler call, described (not made) for `--dry-run`.
#[derive(Debug, Clone, Copy)]
pub enum SchedulerOp<'a> {
    Schedule(&'a TeachingSession),
    ScheduleWarning {
        session: &'a TeachingSession,
        offset_seconds: u32,
        at: DateTime<Utc>,
    },
    Cancel(&'a str),
}
