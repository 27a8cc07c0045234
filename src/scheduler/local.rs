//! The embedded scheduler: no external engine. The local worker closes every Open session at
//! its closing instant by watching the store, so planning a run only records an id that
//! says a closure is planned, and cancelling needs nothing beyond the row change itself.

use async_trait::async_trait;

use super::{Cancelled, ClosureScheduler};
use crate::error::Result;
use crate::session::TeachingSession;

/// Prefix of the run ids this scheduler hands out.
pub const LOCAL_RUN_PREFIX: &str = "local-";

#[derive(Debug, Default, Clone)]
pub struct LocalScheduler;

#[async_trait]
impl ClosureScheduler for LocalScheduler {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        Ok(format!(
            "{LOCAL_RUN_PREFIX}{}-{}",
            session.id,
            session.closes_at.timestamp()
        ))
    }

    async fn cancel(&self, _run_id: &str) -> Result<Cancelled> {
        Ok(Cancelled::Removed)
    }
}
