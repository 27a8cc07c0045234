//! A scheduled run's close: the session closes only while it is Open and due (a stale run
//! of a rescheduled session closes nothing), and the first run of an instant closes the
//! other sessions due with it in one write.

use chrono::{DateTime, Utc};

use super::{RunOutcome, SWEEP_GRACE, SessionService};
use crate::clock;
use crate::error::Result;
use crate::session::{ClosedBy, SessionId, TeachingSession};

impl SessionService {
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
}
