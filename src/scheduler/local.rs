//! The embedded scheduler: no external engine. The local worker closes every Open session at
//! its closing instant by watching the store, so planning a run only records an id that
//! says a closure is planned, and cancelling needs nothing beyond the row change itself.

use async_trait::async_trait;

use super::{Cancelled, ClosureScheduler};
use crate::error::Result;
use crate::session::TeachingSession;

/// Prefix of the run ids this scheduler hands out.
pub(crate) use crate::session::LOCAL_RUN_PREFIX;

fn new_run_id() -> String {
    format!("{LOCAL_RUN_PREFIX}{}", uuid::Uuid::new_v4())
}

#[derive(Debug, Default, Clone)]
pub struct LocalScheduler;

#[async_trait]
impl ClosureScheduler for LocalScheduler {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn schedule(&self, _session: &TeachingSession) -> Result<String> {
        Ok(new_run_id())
    }

    fn inline_run_id(&self) -> Option<String> {
        Some(new_run_id())
    }

    async fn cancel(&self, _run_id: &str) -> Result<Cancelled> {
        Ok(Cancelled::Removed)
    }
}
