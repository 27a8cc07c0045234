//! Where sessions live: the [`SessionStore`] trait and its backends.
//!
//! - [`postgrest`]: Supabase (PostgreSQL behind PostgREST), spoken over HTTP with reqwest.
//! - [`sqlite`]: the embedded default, a SQLite file in the XDG data directory.
//!
//! Both give the same answers for the same calls; the shared behavioural test suite runs
//! against each. Every write that must not race is conditional in the store itself
//! (close only if Open, set `scheduled_task_id` only if it still holds what we read).

pub(crate) mod events;
pub use events::{ChangeWatch, Look, StoreState};

/// The store's traits, for code that calls store methods.
pub mod prelude {
    pub use super::{Directory, Outbox, Planning, Reports, SessionStore, Sessions};
}
pub mod postgrest;
pub mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use self::events::{EventFilter, EventOutcome, EventRecord, RetrySelection};
use crate::error::Result;
use crate::report::{ClosureFigures, ClosureQuery};
use crate::session::{
    Class, ClassId, ClassRef, ClosedBy, Holiday, NewSession, SchoolSettings, SchoolUpdate,
    SessionId, SessionTimes, Status, TeachingSession,
};

/// Sessions written per request (or per transaction) by [`SessionStore::insert_sessions`].
pub(crate) const INSERT_CHUNK: usize = 1000;

/// Largest page one request returns; Supabase silently caps responses at 1000 rows.
pub(crate) const PAGE_SIZE: usize = 1000;

/// What [`Sessions::import_sessions`] did with one row of a chunk.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportAnswer {
    /// Written, as stored.
    Created(TeachingSession),
    /// Nothing in the store stands in its way (a check that writes nothing).
    Free,
    /// An Open row on a holiday (only when asked to skip them).
    Holiday,
    /// The class has a session starting then that day.
    Exists,
    /// It overlaps another session of the class.
    Overlap,
}

/// Filters of `session list`; all optional and combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    pub class_id: Option<ClassId>,
    pub date: Option<NaiveDate>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: Option<Status>,
}

/// See [`SessionStore::run_health`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunHealth {
    /// Closed by their run.
    pub taken: u64,
    /// Planned as a Hatchet run, yet still Open or closed by the sweep.
    pub missed: u64,
}

/// A planned run that records one session's `session.closing_soon` for one offset
/// ([`SessionStore::add_warning_runs`]): only a Hatchet scheduler plans them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WarningRun {
    pub session_id: SessionId,
    pub offset_seconds: u32,
    /// The closing instant it warns of (a run planned before a move names the old one).
    pub closes_at: DateTime<Utc>,
    pub run_id: String,
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
    /// Rows of this page that could not be read; they count towards the page's size.
    pub skipped: Vec<SkippedRow>,
    /// Where the next page starts: after the last row fetched, read or not.
    pub next: Option<Cursor>,
}

/// Every page of sessions matching `filter`, in list order (keyset paging, [`PAGE_SIZE`]
/// rows a request): the one paging loop of every caller that reads a whole listing.
pub fn pages<'a, S: Sessions + ?Sized>(
    store: &'a S,
    filter: &'a SessionFilter,
) -> impl futures::Stream<Item = Result<SessionPage>> + 'a {
    // The state is where the next page starts; `None` once a page came back short.
    futures::stream::try_unfold(Some(None::<Cursor>), move |state| async move {
        let Some(after) = state else {
            return Ok(None);
        };
        let page = store
            .list_sessions(filter, after.as_ref(), PAGE_SIZE, false)
            .await?;
        let next = match &page.next {
            Some(cursor) if page.fetched() >= PAGE_SIZE => Some(Some(cursor.clone())),
            _ => None,
        };
        Ok(Some((page, next)))
    })
}

impl SessionPage {
    /// Rows fetched, read or not: fewer than asked for means the listing is complete.
    pub fn fetched(&self) -> usize {
        self.rows.len() + self.skipped.len()
    }
}

/// A change of a session's times (and optionally reopening it), applied only if the
/// session's status is still `expected_status`.
#[derive(Debug, Clone)]
pub struct TimesUpdate {
    pub times: SessionTimes,
    pub expected_status: Status,
    pub reopen: bool,
}

/// Which Open sessions count as overdue: those with a planned run once their closing
/// instant is at or before `planned` (the run had its grace), those without one (no
/// `scheduled_task_id`, or only a sweep's claim) once it is at or before `unplanned`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueCutoff {
    pub planned: DateTime<Utc>,
    pub unplanned: DateTime<Utc>,
}

impl OverdueCutoff {
    /// The same cutoff for every session, run or not.
    pub fn all(due_by: DateTime<Utc>) -> Self {
        OverdueCutoff {
            planned: due_by,
            unplanned: due_by,
        }
    }
}

/// What a bulk close did: the ids it closed, and the rows it could not write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverdueClosed {
    pub closed: Vec<SessionId>,
    pub failed: Vec<RowFailure>,
}

/// A row a bulk write had to leave out, and why (the database's own words).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowFailure {
    pub id: SessionId,
    pub reason: String,
}

/// A row of a listing that could not be read as a session (an old row breaking a rule):
/// left out of the answer, and reported by id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedRow {
    pub id: Option<SessionId>,
    pub reason: String,
}

/// A write a store can be asked to make, described (not made) for `--dry-run`.
#[derive(Debug, Clone, Copy)]
pub enum StoreWrite<'a> {
    Insert(&'a NewSession),
    CloseIfOpen {
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    },
    Delete(SessionId),
    SwapScheduledTask {
        id: SessionId,
        expected: Option<&'a str>,
        new: Option<&'a str>,
    },
    UpdateTimes {
        id: SessionId,
        update: &'a TimesUpdate,
    },
    /// Keeps the ids of planned warning runs.
    AddWarningRuns(&'a [WarningRun]),
    /// Takes back the warning runs of these sessions.
    TakeWarningRuns(&'a [SessionId]),
}

/// One request (or statement) as a store or scheduler would send it: what `--dry-run`
/// prints, built by the same code that builds the real one.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlannedWrite {
    pub method: String,
    pub target: String,
    pub body: Option<serde_json::Value>,
}

/// The error for deleting a class that still has sessions (exit 4), as both stores say it.
pub(crate) fn class_has_sessions(id: ClassId) -> crate::Error {
    crate::Error::Conflict(format!(
        "class {id} still has sessions: delete them first, or pass --cascade --yes to delete \
         them with the class (their automatic closes are cancelled)"
    ))
}

/// The error for a write that would overlap another session of the same class (exit 4),
/// worded the same by both stores.
pub(crate) fn overlap_conflict(
    other: SessionId,
    date: &str,
    start: &str,
    end: &str,
) -> crate::Error {
    let hm = |t: &str| t.get(..5).unwrap_or(t).to_string();
    crate::Error::Conflict(format!(
        "overlaps session {other} of the same class ({date} {}-{}): pick other times, or \
         create it with --allow-overlap if both are meant to run at once",
        hm(start),
        hm(end)
    ))
}

/// Classes, holidays and the school's settings: what sessions are planned against.
#[async_trait]
pub trait Directory: Send + Sync {
    async fn list_classes(&self) -> Result<Vec<Class>>;
    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>>;
    async fn create_class(&self, name: &str) -> Result<Class>;
    /// Renames a class; `None` when it does not exist. A name another class has is a
    /// Conflict.
    async fn rename_class(&self, id: ClassId, name: &str) -> Result<Option<Class>>;
    /// Deletes a class; `None` when it does not exist. A class that still has sessions is a
    /// Conflict (the foreign key restricts it): delete its sessions first.
    async fn delete_class(&self, id: ClassId) -> Result<Option<Class>>;
    /// Creates a class with its email recipients (already validated) in one write.
    async fn create_class_notifying(&self, name: &str, notify_emails: &[String]) -> Result<Class>;
    /// Replaces a class's email recipients (an empty list clears them); `None` when the
    /// class does not exist.
    async fn set_class_notify_emails(
        &self,
        id: ClassId,
        notify_emails: &[String],
    ) -> Result<Option<Class>>;
    /// Adds a holiday (dates inclusive).
    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday>;
    /// Holidays that overlap `from..=to` (either bound open), by first date.
    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>>;
    /// Deletes a holiday; `None` when it did not exist.
    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>>;
    /// The school's settings (all `None` until `attctl school set`).
    async fn school(&self) -> Result<SchoolSettings>;
    /// Changes the settings `update` names and answers them all.
    async fn set_school(&self, update: &SchoolUpdate) -> Result<SchoolSettings>;
}

/// Teaching sessions: written, read, moved, closed and deleted. Every close is conditional
/// (only an Open session, only if still due), so a session is closed at most once.
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Inserts a session in one write. Duplicate (class, date, start) is a Conflict, an
    /// unknown class is NotFound.
    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession>;
    /// Inserts many sessions, [`INSERT_CHUNK`] per request (PostgREST bulk insert) or per
    /// transaction (SQLite). A session whose (class, date, start) already exists is skipped,
    /// not an error; the rows written are returned. Each chunk is all or nothing.
    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>>;
    /// Deletes the sessions among `ids`, in one write per chunk; returns those deleted.
    /// One chunk of an import (at most [`INSERT_CHUNK`] rows) in one request or transaction,
    /// all or nothing, with one answer per row in order. Each row is checked in the store:
    /// an Open row on a holiday (if `skip_holidays`), a session of the class starting then
    /// (`Exists`) or overlapping it (`Overlap`), counting the rows of the chunk written before
    /// it, as if they were inserted one by one. `write = false` writes nothing and checks each
    /// row against the store only (`Free` where it would be written): `--dry-run`.
    /// `Ok(None)`: this store cannot check in the database (a Supabase database without
    /// migration 20261205130000); the caller reads and checks itself.
    async fn import_sessions(
        &self,
        rows: &[NewSession],
        skip_holidays: bool,
        write: bool,
    ) -> Result<Option<Vec<ImportAnswer>>>;
    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>>;
    /// Closes the Open sessions among `ids`, in one conditional write per chunk; returns
    /// those it closed (already closed or missing ones are left out).
    async fn close_sessions(
        &self,
        ids: &[SessionId],
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>>;
    /// How many times each of `ids` had its time changed (the store counts it on every such
    /// write): the iCalendar SEQUENCE of an export. Ids that do not exist are absent.
    async fn reschedule_counts(
        &self,
        ids: &[SessionId],
    ) -> Result<std::collections::HashMap<SessionId, u32>>;
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
    /// [`close_if_open`](Self::close_if_open) for a run planned for the closing instant
    /// `planned`: it closes only while the session still closes at exactly that instant, so
    /// a run left over from before a reschedule (Hatchet fires what its ticker armed up to
    /// 5 s ahead even after the DELETE) never closes the rescheduled session.
    async fn close_if_planned(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: DateTime<Utc>,
        planned: DateTime<Utc>,
    ) -> Result<Option<TeachingSession>>;
    /// Closes, in one write, every Open session whose closing instant is after `after` and
    /// at or before `until`, and returns them closed: the sessions a run finds due together
    /// with its own (a school's sessions end at a handful of instants a day), so that they
    /// close on time without waiting for their own runs to be dispatched one by one.
    /// Never retried blindly: a lost answer is an error, and each of those sessions still
    /// has its own run, which closes it if this write did not.
    async fn close_due_together(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>>;
    /// Closes Open sessions that are due by `cutoff`, `limit` or more at a time (a store
    /// that closes them all in one write may return more). Exactly `limit` closed means
    /// there may be more: call again. A row that cannot be written (an old row that breaks
    /// a rule) is returned in `failed` and never stops the others from closing.
    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<OverdueClosed>;
    /// Deletes the session; `None` when it did not exist.
    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>>;
    /// Sets new times (and reopens when asked); `None` when the status no longer matches.
    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>>;
}

/// The runs planned for sessions: close runs (`scheduled_task_id`, claimed in bulk by the
/// sweep) and warning runs.
#[async_trait]
pub trait Planning: Send + Sync {
    /// Compare-and-set of `scheduled_task_id`: writes `new` only if the column still holds
    /// `expected`. `None` when it did not (someone else changed it, or the row is gone).
    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
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
    /// Claims for planning, in one conditional write per chunk, those of `candidates` (as
    /// [`SessionStore::unscheduled_open`] read them) that are still Open, still close after
    /// `after`, and still hold the `scheduled_task_id` they were read with (or already hold
    /// `claim`, so a repeated request is harmless). Returns the rows now holding `claim`.
    async fn claim_for_planning(
        &self,
        candidates: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>>;
    /// Stores each run id on its session while the session still holds `claim` (or already
    /// holds that run id), in one write per chunk. Returns the ids stored: a session whose
    /// claim was taken over meanwhile is left out.
    async fn store_run_ids(
        &self,
        claim: &str,
        runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>>;
    /// Gives a claim back (its runs could not be created): `scheduled_task_id` becomes null
    /// on those of `ids` that still hold `claim`.
    async fn release_claim(&self, claim: &str, ids: &[SessionId]) -> Result<()>;
    /// Takes each run id off its session where the session still holds that run (a
    /// compare-and-set per row, so a run planned meanwhile is kept), in one write per
    /// chunk. Returns the ids cleared.
    async fn clear_run_ids(&self, runs: &[(SessionId, String)]) -> Result<Vec<SessionId>>;
    /// The earliest closing instant later than `after` among Open sessions (the local
    /// closer's sleep, the sweep's recheck). Sessions due by `after` were just closed, or
    /// could not be, and must not make a caller wake at once again.
    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>>;
    /// Keeps the ids of planned warning runs, in one write per call: a run whose session is
    /// gone, or whose (session, offset, closing instant) is kept already, is not. Returns
    /// the runs kept; the caller cancels the others.
    async fn add_warning_runs(&self, runs: &[WarningRun]) -> Result<Vec<WarningRun>>;
    /// Forgets the warning runs kept for these sessions and returns them, to be cancelled
    /// (the session is closing, going or moving).
    async fn take_warning_runs(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>>;
    /// The warning runs kept for these sessions, read only (what `--dry-run` shows a take
    /// would cancel).
    async fn warning_runs_of(&self, ids: &[SessionId]) -> Result<Vec<WarningRun>>;
    /// What the sweep replans: Open sessions closing after `after` that have a Hatchet run,
    /// were last changed before `settled_before`, and have no kept warning run for one of
    /// `offsets_seconds` at their current closing instant. (session, offset) pairs, by
    /// closing instant, at most `limit`.
    async fn missing_warning_runs(
        &self,
        offsets_seconds: &[u32],
        after: DateTime<Utc>,
        settled_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(SessionId, u32)>>;
}

/// The outbox of session events and the warnings recorded into it.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Outbox rows (`session_events`) matching `filter`, oldest first, at most `limit`.
    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>>;
    /// Claims up to `max` due pending events for `worker` until `lease_until`, in one
    /// conditional write: an event held by another worker's live lease is never handed out,
    /// nor one whose session has an earlier event still pending (one session's events go
    /// out in order). Pending events whose type is not in `types` are settled as `skipped`
    /// (filtered out, or no channel configured), and `session.closing_soon` events whose
    /// session is gone, closed, moved or past its end as `expired`.
    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>>;
    /// Writes a delivery attempt's outcome if `worker` still holds the event's claim;
    /// `false` when it does not (the lease ran out and another worker took it).
    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool>;
    /// Puts failed (or the one named) events back to pending, due now. Returns their ids.
    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>>;
    /// Deletes settled events (delivered, skipped, expired) that occurred before `before`;
    /// returns how many. Also
    /// forgets warning runs of closing instants before `before` (long fired).
    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64>;
    /// Records a `session.closing_soon` event for the session and offset, once: only while
    /// the session is Open, still closes at `closes_at`, and that instant is in the future.
    /// `None` when nothing was recorded (already recorded, closed, moved, gone or too late).
    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>>;
    /// Records every warning now due, in one write per call: for each offset, Open sessions
    /// closing within it (and not yet closed) get a `session.closing_soon`, once per session,
    /// offset and closing instant. Returns the new events' ids.
    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>>;
    /// Whether anything was written since `watch` last looked, by anyone: one small read
    /// (one request on Supabase: the ids of the outbox's newest events; one pragma in
    /// SQLite). A fresh watch answers `true`. May answer `true` for a write that changed no
    /// session (a delivery's outcome by another process); never `false` after a change of
    /// a session, except for a transaction that commits more than
    /// [`ChangeWatch::LOOKBACK`] after its last write (Supabase).
    async fn poll_changes(&self, watch: &mut ChangeWatch) -> Result<bool>;
    /// The idle worker's one look, in one small read (one request on Supabase, the RPC
    /// `attctl_worker_watch`): whether anything was written since `watch` last looked (as
    /// [`Outbox::poll_changes`]), the Open sessions due by `overdue_before`, the next
    /// closing instant after `closing_after`, and whether events are due for delivery. On
    /// a database without the RPC the answer has no [`Look::state`], and costs what
    /// [`Outbox::poll_changes`] costs.
    async fn look(
        &self,
        watch: &mut ChangeWatch,
        overdue_before: DateTime<Utc>,
        closing_after: DateTime<Utc>,
    ) -> Result<Look>;
}

/// Figures computed in the store: the closure report and the health of runs.
#[async_trait]
pub trait Reports: Send + Sync {
    /// Did Hatchet runs close what they were planned for? Among sessions whose closing
    /// instant lies in `[since, until]`: how many a run closed (`closed_by = auto`), and
    /// how many had a Hatchet run (a UUID in `scheduled_task_id`) and are still Open or
    /// were closed by the sweep instead. Doctor's evidence of a deaf worker.
    async fn run_health(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<RunHealth>;
    /// How many Open sessions close in `[from, until)`: what the runs of a coming day
    /// number (doctor's `hatchet.limits`). One count in the store, no rows fetched.
    async fn open_closing_between(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> Result<u64>;
    /// The closure report's figures, computed where the data is (one SQL function call on
    /// Supabase, one query in SQLite): counts, and percentiles interpolated linearly as
    /// PostgreSQL's `percentile_cont`. Groups come in display order; a statistic without
    /// data is `None`.
    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures>;
    /// Open sessions whose closing instant is at or before `before` (of one class, or of
    /// all), in id order, after `after_id`, at most `limit` (keyset paging).
    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>>;
    /// Does this store hold the original app's registers (`attendances`, `class_students`)?
    /// Stores without them (the SQLite file) keep the default: none.
    async fn registers_info(&self) -> Result<crate::registers::RegistersInfo> {
        Ok(crate::registers::RegistersInfo::default())
    }
    /// The registers of closed sessions, computed where the data is; `None` where the
    /// store has no registers.
    async fn register_report(
        &self,
        _query: &crate::registers::RegisterQuery,
    ) -> Result<Option<crate::registers::RegisterReport>> {
        Ok(None)
    }
    /// How many students automark would mark at the close of each Open session of `ids`
    /// (empty where the store has no registers).
    async fn automark_preview(
        &self,
        _ids: &[SessionId],
    ) -> Result<Vec<crate::registers::AutomarkPreview>> {
        Ok(Vec::new())
    }
}

/// A store: every area's trait, plus what tells stores apart. Code that calls store
/// methods imports the area traits it uses (`use crate::store::prelude::*` brings all).
#[async_trait]
pub trait SessionStore: Directory + Sessions + Planning + Outbox + Reports + Send + Sync {
    /// Short name for diagnostics: `supabase` or `local`.
    fn backend(&self) -> &'static str;
    /// The request (or statement) this store would send for `write`.
    fn describe_write(&self, write: &StoreWrite<'_>) -> PlannedWrite;
    /// A stable name of this store, unique between stores: the host part of exported UIDs.
    async fn store_identity(&self) -> Result<String>;
}
