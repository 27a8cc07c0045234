//! A staff machine's scheduler: none. A signed-in teacher holds no Hatchet token, so the
//! sessions they write are left without a run (`scheduled_task_id` null, shown as
//! "planning"), and attctl-worker plans them: it follows `session_events` and plans every
//! Open session without a run within seconds, and cancels the runs of what staff deleted,
//! moved or closed. Nothing here sends a request.

use async_trait::async_trait;

use super::{Cancelled, ClosureScheduler};
use crate::error::{Error, Result};
use crate::session::TeachingSession;

#[derive(Debug, Default, Clone)]
pub struct WorkerPlansScheduler;

#[async_trait]
impl ClosureScheduler for WorkerPlansScheduler {
    fn name(&self) -> &'static str {
        "worker"
    }

    fn planned_by_worker(&self) -> bool {
        true
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        Err(Error::Backend(format!(
            "session {}: a staff machine plans no runs; attctl-worker does",
            session.id
        )))
    }

    async fn cancel(&self, _run_id: &str) -> Result<Cancelled> {
        Ok(Cancelled::LeftToWorker)
    }
}
