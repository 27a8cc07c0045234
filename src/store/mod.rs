//! Where sessions live: the [`SessionStore`] trait and its backends.
//!
//! - [`postgrest`]: Supabase (PostgreSQL behind PostgREST), spoken over HTTP with reqwest.
//! - [`sqlite`]: the embedded default, a SQLite file in the XDG data directory.
//!
//! Both give the same answers for the same calls; the shared behavioural test suite runs
//! against each. Every write that must not race is conditional in the store itself
//! (close only if Open, set `scheduled_task_id` only if it still holds what we read).

pub mod postgrest;
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::Result;
use crate::session::{
    Class, ClassId, ClassRef, ClosedBy, NewSession, SessionId, SessionTimes, Status,
    TeachingSession,
};

/// Largest page one request returns; Supabase silently caps responses at 1000 rows.
pub const PAGE_SIZE: usize = 1000;

/// Filters of `session list`; all optional and combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub class_id: Option<ClassId>,
    pub date: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: Option<Status>,
}

/// Position after the last row of a page, in list order (date, start, id): keyset paging
/// stays correct and fast however deep the listing goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub session_date: NaiveDate,
    pub start_time: NaiveTime,
    pub id: SessionId,
}

impl Cursor {
    pub fn after(session: &TeachingSession) -> Self {
        Cursor {
            session_date: session.session_date,
            start_time: session.start_time,
            id: session.id,
        }
    }
}

/// One page of a listing. `total` is filled only when asked for.
#[derive(Debug, Clone, Default)]
pub struct SessionPage {
    pub rows: Vec<TeachingSession>,
    pub total: Option<u64>,
}

/// A change of a session's times (and optionally reopening it), applied only if the
/// session's status is still `expected_status`.
#[derive(Debug, Clone)]
pub struct TimesUpdate {
    pub times: SessionTimes,
    pub expected_status: Status,
    pub reopen: bool,
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Short name for diagnostics: `supabase` or `local`.
    fn backend(&self) -> &'static str;

    async fn list_classes(&self) -> Result<Vec<Class>>;
    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>>;
    async fn create_class(&self, name: &str) -> Result<Class>;

    /// Inserts a session in one write. Duplicate (class, date, start) is a Conflict, an
    /// unknown class is NotFound.
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession>;
    /// The sessions among `ids` that exist, in id order.
    async fn get_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>>;
    async fn list_sessions(
        &self,
        filter: &SessionFilter,
        after: Option<&Cursor>,
        limit: usize,
        with_total: bool,
    ) -> Result<SessionPage>;

    /// Closes the session if it is Open (and, with `due_by`, only if its closing instant is
    /// not later than that). `None`: already closed, not yet due, or missing.
    async fn close_if_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>>;
    /// Closes Open sessions whose closing instant is at or before `due_by`, `limit` or more
    /// at a time (a store that closes them all in one write may return more); returns the
    /// ids it closed. Exactly `limit` means there may be more: call again.
    async fn close_overdue(
        &self,
        due_by: DateTime<Utc>,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<SessionId>>;
    /// Deletes the session; `None` when it did not exist.
    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>>;
    /// Compare-and-set of `scheduled_task_id`: writes `new` only if the column still holds
    /// `expected`. `None` when it did not (someone else changed it, or the row is gone).
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>>;
    /// Sets new times (and reopens when asked); `None` when the status no longer matches.
    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>>;
    /// Open sessions closing after `after` that have no run: no `scheduled_task_id`, a
    /// sweep's claim last touched before `stale_claims_before`, or a value that names no
    /// run (the original app's `mock-task-…`: [`crate::session::TaskRef::Legacy`]).
    /// Ordered by closing instant.
    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>>;
    /// The earliest closing instant among Open sessions (for the local closer's sleep).
    async fn next_closing(&self) -> Result<Option<DateTime<Utc>>>;
}
