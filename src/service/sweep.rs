//! Reconciliation: the sweep closes whatever is overdue (a session with a planned run only
//! after [`SWEEP_GRACE`]) and plans runs for the future Open sessions that have none,
//! claiming them first so that concurrent sweeps never plan two runs.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    CLAIM_TTL, MAX_REPORTED_ERRORS, PLAN_BATCH, SWEEP_GRACE, SessionService, SweepOutcome,
    create_runs,
};
use crate::error::Result;
use crate::session::{CLAIM_PREFIX, ClosedBy, SessionId};
use crate::store::{OverdueClosed, OverdueCutoff};

/// Sessions closed per round by the sweep.
const CLOSE_BATCH: usize = 1000;

impl SessionService {
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
        let mut summary = self.close_pass(now).await?;
        self.plan_missing_runs(worker_id, now, &mut summary).await?;
        summary.duration = started.elapsed();
        Ok(summary)
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
        let mut summary = SweepOutcome {
            closed: closed.closed,
            failed: closed.failed,
            ..Default::default()
        };
        // Only sessions still inside their run's grace call for an early recheck; an old
        // row that cannot be closed must not make the sweep spin.
        summary.recheck_at = self
            .store
            .next_closing(now - SWEEP_GRACE)
            .await?
            .filter(|closes_at| *closes_at <= now)
            .map(|closes_at| closes_at + SWEEP_GRACE);
        summary.duration = started.elapsed();
        Ok(summary)
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
        summary: &mut SweepOutcome,
    ) -> Result<()> {
        self.plan_missing_close_runs(worker_id, now, summary)
            .await?;
        self.plan_missing_warning_runs(now, summary).await
    }

    /// The close runs of [`SessionService::plan_missing_runs`], and the warning runs of the
    /// sessions it plans.
    async fn plan_missing_close_runs(
        &self,
        worker_id: &str,
        now: DateTime<Utc>,
        summary: &mut SweepOutcome,
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
            summary.lost_claims += batch.len() - claimed.len().min(batch.len());
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
                        if summary.errors.len() < MAX_REPORTED_ERRORS {
                            summary
                                .errors
                                .push(format!("scheduling session {}: {e}", session.id));
                        }
                        failed.push(session.id);
                    }
                }
            }
            summary.schedule_failures += failed.len();
            if !failed.is_empty() {
                self.store.release_claim(&claim, &failed).await?;
            }
            if !ran.is_empty() {
                let runs: Vec<(SessionId, String)> =
                    ran.iter().map(|(s, run)| (s.id, run.clone())).collect();
                let stored = self.store.store_run_ids(&claim, &runs).await?;
                summary.scheduled += stored.len();
                let mut planned = Vec::new();
                for (mut session, run) in ran {
                    if stored.contains(&session.id) {
                        session.scheduled_task_id = Some(run);
                        planned.push(session);
                    } else {
                        // Someone else changed the row meanwhile: our run is a duplicate.
                        let mut w = Vec::new();
                        self.cancel_quietly(&run, session.id, &mut w).await;
                        summary.errors.extend(w);
                        summary.lost_claims += 1;
                    }
                }
                let mut w = Vec::new();
                let warned = self.plan_warnings(&planned, now, &mut w).await;
                summary.warning_runs += warned.kept;
                summary.errors.extend(w);
                summary.errors.truncate(MAX_REPORTED_ERRORS);
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
