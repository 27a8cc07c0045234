//! The session service: every operation that changes a session, written once for both
//! binaries and every backend. It is the only code that combines a store and a scheduler.
//!
//! The rules it keeps:
//! - a session is stored before its run is planned, so a scheduling failure never loses it;
//! - a failed cancellation is a warning, never a reason to refuse a close or delete;
//! - a run closes its session only once it is due, so a stale run cannot close a session
//!   that was rescheduled later;
//! - the sweep closes whatever is overdue and plans runs for sessions that have none,
//!   claiming each session first so concurrent sweeps never plan two runs.
//!
//! This file holds the service and its event helpers; its operations live by area:
//! `manual` (create, close, delete, reschedule), `closing` (a run's close), `sweep`,
//! `runs` (planning and cancelling runs), `warning_runs`, `bulk` and `import`; what they
//! answer is in `outcomes` and `sweep_outcome`.

pub(crate) mod bulk;
mod class_lookup;
mod closing;
mod follow;
pub(crate) mod import;
mod manual;
mod outcomes;
mod runs;
mod sweep;
mod sweep_outcome;
mod warning_runs;

pub(crate) use class_lookup::{case_twin, no_exact_name};
use class_lookup::{exact_name_missing, resolve_class_name};

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::error::{Error, Result};
use crate::events::{EventSink, SessionEvent, TraceSink};
use crate::scheduler::ClosureScheduler;
use crate::session::{Class, ClassRef, ClosedBy, SessionId, TeachingSession};
use crate::store::SessionStore;

pub use follow::{ChangeFollower, FollowedChanges};
pub use outcomes::{
    CloseOutcome, CloseResult, CreateOptions, DeleteOutcome, DeleteResult, Reschedule, RunOutcome,
    SessionOutcome,
};
pub(crate) use runs::create_runs;
pub use sweep_outcome::SweepOutcome;

/// How long a sweep's claim protects a session before another sweep may take it over
/// (the claimer crashed between claiming and scheduling).
pub const CLAIM_TTL: Duration = Duration::minutes(2);
/// A scheduled run normally arrives within this long of its closing instant (the engine
/// polls every 5 s); the sweep leaves sessions overdue by less to their runs, so on-time
/// closes stay `auto`, and asks to be called again when that grace has passed.
pub const SWEEP_GRACE: Duration = Duration::seconds(15);
/// Sessions read, claimed and planned per round when planning missing runs (the store's
/// page size).
pub(crate) const PLAN_BATCH: usize = 1000;
/// Runs created at once while planning: enough to plan a backlog of thousands in seconds,
/// few enough not to flood the engine.
pub(crate) const SCHEDULE_CONCURRENCY: usize = 24;
/// Scheduling errors kept in one sweep's outcome (the count is always exact).
pub(crate) const MAX_REPORTED_ERRORS: usize = 20;

#[derive(Clone)]
pub struct SessionService {
    store: Arc<dyn SessionStore>,
    scheduler: Arc<dyn ClosureScheduler>,
    events: Arc<dyn EventSink>,
    /// Offsets (seconds before `closes_at`) of the warning runs planned with each close run.
    warn_offsets: Vec<u32>,
}

impl SessionService {
    pub fn new(store: Arc<dyn SessionStore>, scheduler: Arc<dyn ClosureScheduler>) -> Self {
        SessionService {
            store,
            scheduler,
            events: Arc::new(TraceSink),
            warn_offsets: Vec::new(),
        }
    }

    /// The same service, reporting every change of a session to `sink` (instead of the
    /// default debug trace): the worker's sink wakes its delivery loop.
    pub fn with_events(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.events = sink;
        self
    }

    fn emit(&self, event: SessionEvent) {
        self.events.emit(&event);
    }

    fn emit_closed(&self, ids: &[SessionId], closed_by: ClosedBy, closed_at: DateTime<Utc>) {
        for &session_id in ids {
            self.emit(SessionEvent::Closed {
                session_id,
                closed_by,
                closed_at,
                session: None,
            });
        }
    }

    fn emit_closed_sessions(
        &self,
        sessions: &[TeachingSession],
        closed_by: ClosedBy,
        closed_at: DateTime<Utc>,
    ) {
        for session in sessions {
            self.emit(SessionEvent::Closed {
                session_id: session.id,
                closed_by,
                closed_at,
                session: Some(session.clone()),
            });
        }
    }

    pub fn store(&self) -> &Arc<dyn SessionStore> {
        &self.store
    }

    /// Resolves a class reference to its id, checking a name exists.
    pub async fn class_id(&self, class: &ClassRef) -> Result<i64> {
        match class {
            // An unknown id is reported by the insert itself (foreign key), saving a request.
            ClassRef::Id(id) => Ok(*id),
            ClassRef::Name(name) => {
                if let Some(c) = self.store.find_class(class).await? {
                    return Ok(c.id);
                }
                // Not exact: people type "year 7 (a)" for "Year 7 (A)". One request for
                // the class list is cheap next to a failed command.
                let classes = self.store.list_classes().await?;
                resolve_class_name(name, &classes)
            }
        }
    }

    /// The class a command that changes or deletes it (or its sessions) names: its id, or
    /// its exact name. Anything near is only suggested (exit 3), never taken.
    pub async fn class_exact(&self, class: &ClassRef) -> Result<Class> {
        if let Some(found) = self.store.find_class(class).await? {
            return Ok(found);
        }
        match class {
            ClassRef::Id(id) => Err(Error::NotFound {
                what: "class",
                id: id.to_string(),
            }),
            ClassRef::Name(name) => {
                let classes = self.store.list_classes().await?;
                Err(exact_name_missing(name, &classes))
            }
        }
    }
}

pub(crate) mod dry_run;

#[cfg(test)]
mod tests;
