//! The scheduler's side of the service: planning one session's run and keeping its id,
//! cancelling a run without failing the change around it, and creating many runs with
//! bounded concurrency (the sweep, bulk writes, warning runs).

use futures::StreamExt;

use super::{SCHEDULE_CONCURRENCY, SessionService};
use crate::error::Result;
use crate::scheduler::Cancelled;
use crate::session::{SessionId, TaskRef, TeachingSession};

impl SessionService {
    /// Plans a run for `session`, whose `scheduled_task_id` currently holds `current`, and
    /// records its id. Failures become warnings: the sweep plans it later.
    pub(super) async fn plan_run(
        &self,
        session: TeachingSession,
        current: Option<&str>,
        warnings: &mut Vec<String>,
    ) -> TeachingSession {
        if self.scheduler.planned_by_worker() {
            // The worker plans it; an old run's id goes, so that it plans the new instant
            // (and cancels the old run, named in the session's events).
            if current.is_none() {
                return session;
            }
            return match self
                .store
                .swap_scheduled_task(session.id, current, None)
                .await
            {
                Ok(Some(updated)) => updated,
                Ok(None) => session,
                Err(e) => {
                    warnings.push(format!(
                        "could not clear the old run id of session {} ({e}); attctl-worker's sweep closes it on time",
                        session.id
                    ));
                    session
                }
            };
        }
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

    /// Cancels `run` of session `id`; a failure is a warning (if the run fires, it finds
    /// the session already handled), and a value that is not a run of ours is left alone.
    pub(super) async fn cancel_quietly(
        &self,
        run: &str,
        id: SessionId,
        warnings: &mut Vec<String>,
    ) {
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
            Ok(Cancelled::Removed | Cancelled::AlreadyGone | Cancelled::LeftToWorker) => {}
            Err(e) => warnings.push(format!(
                "could not cancel run {run} of session {id} ({e}); if it fires it finds the session already handled"
            )),
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
