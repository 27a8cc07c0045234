//! Turns resolved settings into a store and a scheduler: the only place that knows which
//! implementation goes with which configuration, and the only one that matches on
//! [`BackendSettings`] to ask which backend is configured ([`name`], [`data_file`],
//! [`supabase`]). Doctor also matches once to pick its backend's checks, a choice as local
//! to that command as the checks themselves.

use std::path::Path;
use std::sync::Arc;

use crate::config::{BackendSettings, Settings, SupabaseAccess, SupabaseSettings};
use crate::error::Result;
use crate::scheduler::ClosureScheduler;
use crate::scheduler::hatchet::HatchetScheduler;
use crate::scheduler::local::LocalScheduler;
use crate::scheduler::worker_plans::WorkerPlansScheduler;
use crate::service::SessionService;
use crate::store::SessionStore;
use crate::store::postgrest::PostgrestStore;
use crate::store::sqlite::SqliteStore;

pub fn open_store(settings: &Settings) -> Result<Arc<dyn SessionStore>> {
    Ok(match &settings.backend {
        BackendSettings::Supabase(sb) => {
            Arc::new(PostgrestStore::new(sb, &settings.http)?.with_registers(&settings.registers)?)
        }
        BackendSettings::Local { data_file } => {
            // The SQLite file has no registers: a switch on is refused before anything runs.
            if settings.registers.any() {
                return Err(settings
                    .registers
                    .refuse_without_registers("the local store"));
            }
            SqliteStore::check_directory(data_file)?;
            Arc::new(SqliteStore::open(data_file)?)
        }
    })
}

/// Refuses a register switch (automark, late) on a store without registers, before a
/// command or the worker starts: one request where the switches are on, none otherwise.
pub async fn check_registers(settings: &Settings, store: &dyn SessionStore) -> Result<()> {
    if settings.registers.any() && !store.registers_info().await?.registers {
        return Err(settings
            .registers
            .refuse_without_registers("this Supabase database"));
    }
    Ok(())
}

/// `"local"` or `"supabase"`, as in `backend = …` of the configuration.
pub fn name(settings: &Settings) -> &'static str {
    match settings.backend {
        BackendSettings::Supabase(_) => "supabase",
        BackendSettings::Local { .. } => "local",
    }
}

/// The local data file, when sessions live in one.
pub fn data_file(settings: &Settings) -> Option<&Path> {
    match &settings.backend {
        BackendSettings::Local { data_file } => Some(data_file),
        BackendSettings::Supabase(_) => None,
    }
}

/// The Supabase project, when sessions live there.
pub fn supabase(settings: &Settings) -> Option<&SupabaseSettings> {
    match &settings.backend {
        BackendSettings::Supabase(sb) => Some(sb),
        BackendSettings::Local { .. } => None,
    }
}

/// On a staff machine, none (attctl-worker plans); else Hatchet when a token is
/// configured; otherwise the local worker closes sessions itself.
pub fn scheduler(settings: &Settings) -> Arc<dyn ClosureScheduler> {
    if supabase(settings).is_some_and(|sb| sb.access == SupabaseAccess::Staff) {
        return Arc::new(WorkerPlansScheduler);
    }
    match &settings.hatchet {
        Some(h) => Arc::new(HatchetScheduler::new(h.clone())),
        None => Arc::new(LocalScheduler),
    }
}

pub fn service(settings: &Settings) -> Result<SessionService> {
    Ok(
        SessionService::new(open_store(settings)?, scheduler(settings))
            .with_warnings(&settings.notify.warn_before),
    )
}
