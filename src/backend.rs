//! Turns resolved settings into a store and a scheduler: the only place that knows which
//! implementation goes with which configuration.

use std::sync::Arc;

use crate::config::{BackendSettings, Settings};
use crate::error::Result;
use crate::scheduler::ClosureScheduler;
use crate::scheduler::hatchet::HatchetScheduler;
use crate::scheduler::local::LocalScheduler;
use crate::service::SessionService;
use crate::store::SessionStore;
use crate::store::postgrest::PostgrestStore;
use crate::store::sqlite::SqliteStore;

pub fn open_store(settings: &Settings) -> Result<Arc<dyn SessionStore>> {
    Ok(match &settings.backend {
        BackendSettings::Supabase(sb) => Arc::new(PostgrestStore::new(sb, &settings.http)?),
        BackendSettings::Local { data_file } => {
            SqliteStore::check_directory(data_file)?;
            Arc::new(SqliteStore::open(data_file)?)
        }
    })
}

/// Hatchet when a token is configured; otherwise the local worker closes sessions itself.
pub fn scheduler(settings: &Settings) -> Arc<dyn ClosureScheduler> {
    match &settings.hatchet {
        Some(h) => Arc::new(HatchetScheduler::new(h.clone())),
        None => Arc::new(LocalScheduler),
    }
}

pub fn service(settings: &Settings) -> Result<SessionService> {
    Ok(SessionService::new(
        open_store(settings)?,
        scheduler(settings),
    ))
}
