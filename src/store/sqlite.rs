//! The embedded store: classes and teaching sessions in one SQLite file.
//!
//! [`SqliteStore`] owns that file: it creates it (and its directory) private to the user,
//! applies the schema (`PRAGMA user_version` 1, the same tables, checks and keys as the
//! Supabase migration) and answers every [`SessionStore`] call exactly as the PostgREST store
//! does, down to the error variants and messages, so the shared behavioural tests hold for both.
//!
//! The CLI and the worker use the file at the same time from different processes, so:
//!
//! - **WAL journal**: readers never block the writer and the writer never blocks readers;
//!   `synchronous=NORMAL` is durable across application crashes in WAL mode and avoids an
//!   fsync per commit.
//! - **Busy timeout, then a bounded retry**: SQLite allows one writer at a time. A writer that
//!   finds the file locked waits (busy timeout) instead of failing; the few cases where SQLite
//!   reports busy without waiting (WAL recovery, a checkpoint on close) are retried here with
//!   backoff. Only when all of that runs out does the caller see [`Error::Unavailable`], never
//!   a raw "database is locked".
//! - **`BEGIN IMMEDIATE` for writes**: the write lock is taken before anything is read, so a
//!   transaction can never be refused half-way because another process committed in between
//!   (a deferred transaction in WAL mode would fail at once with `SQLITE_BUSY_SNAPSHOT`).
//! - **Conditional writes are single statements** (`UPDATE … WHERE id = ? AND status = 'Open'
//!   … RETURNING …`): the condition and the write cannot be separated, so there are no lost
//!   updates and a session is closed at most once, whichever process gets there first.
//!
//! The trait is async but SQLite is blocking: each store holds one connection behind a mutex
//! and runs every call on tokio's blocking pool, so the runtime's threads never wait on disk
//! or on another process's lock.
//!
//! Instants are stored as fixed-width UTC text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds,
//! like PostgreSQL's `timestamptz`): text order is time order, so comparisons and the
//! `(closes_at, id)` index work on the column directly, and the file stays readable with the
//! `sqlite3` shell. Dates are `YYYY-MM-DD`, wall-clock times `HH:MM:SS`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::types::{Type, Value};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior, ffi, params,
    params_from_iter,
};

use super::events::{EventFilter, EventOutcome, EventRecord, RetrySelection};
use super::{
    Cursor, INSERT_CHUNK, OverdueClosed, OverdueCutoff, PAGE_SIZE, PlannedWrite, SessionFilter,
    SessionPage, SessionStore, StoreWrite, TimesUpdate,
};
use crate::error::{Error, Result};
use crate::report::{ClosureFigures, ClosureGroup, ClosureQuery, ClosureStats, GroupBy};
use crate::session::{
    CLAIM_PREFIX, Class, ClassRef, ClosedBy, Holiday, LOCAL_RUN_PREFIX, NewSession, SessionId,
    Status, TeachingSession, uuid_glob,
};

/// The schema version this build writes and understands (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 4;

/// `PRAGMA application_id` of attctl's data files ("attc"): a file with another id, or with
/// none and tables that are not attctl's, belongs to something else and is left alone.
/// Files made before the id was written have id 0 and attctl's tables; they are accepted
/// (and stamped when the file is writable).
pub const APPLICATION_ID: i32 = 0x6174_7463;

/// How long one statement waits for another process's write lock before SQLite gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Total time a call may spend waiting for the file (busy timeouts and retries together)
/// before it reports [`Error::Unavailable`].
const RETRY_BUDGET: Duration = Duration::from_secs(10);
const MAX_ATTEMPTS: u32 = 6;
const FIRST_BACKOFF: Duration = Duration::from_millis(20);
const MAX_BACKOFF: Duration = Duration::from_millis(500);

/// Ids per `IN (…)` list; far below SQLite's limit on bound parameters.
const IDS_PER_QUERY: usize = 500;

/// Fixed width and zero-padded: text order is chronological order.
const INSTANT_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";
const INSTANT_LEN: usize = "2024-01-15T09:30:00.000000Z".len();
const DATE_FORMAT: &str = "%Y-%m-%d";
const TIME_FORMAT: &str = "%H:%M:%S";

/// Column order read by [`session_from_row`].
const SESSION_COLUMNS: &str = "id, class_id, session_date, start_time, end_time, status, \
     scheduled_task_id, timezone, closes_at, closed_at, closed_by, created_at, updated_at";

/// Version 1, mirroring `supabase/migrations/…_attctl_teaching_sessions.sql`: same tables,
/// columns, constraint names and checks. Differences, each on purpose:
/// - STRICT tables and GLOB shape checks on the text-encoded dates, times and instants,
///   because text comparison is only chronological when every value has the canonical shape
///   (someone may edit the file with the `sqlite3` shell);
/// - the timezone check is the migration's regular expression spelt with GLOB (SQLite has
///   no regular expressions);
/// - no trigger: the store sets `updated_at` in each UPDATE (a SQLite trigger cannot change
///   the row being written, and an AFTER trigger's change would not show in RETURNING), and
///   `closes_at` comes from the caller, computed by [`crate::clock`];
/// - no separate `class_id` index: the UNIQUE (class_id, session_date, start_time) index
///   starts with `class_id` and, unlike on an upgraded PostgreSQL database, always exists;
/// - AUTOINCREMENT on session ids, so the id of a deleted session (which a scheduled run
///   may still name) is never handed out again.
const SCHEMA_V1: &str = r#"
CREATE TABLE IF NOT EXISTS classes (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
               CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    CONSTRAINT classes_name_key UNIQUE (name),
    CONSTRAINT classes_name_check CHECK (length(trim(name)) > 0 AND length(name) <= 200)
) STRICT;

CREATE TABLE IF NOT EXISTS teaching_sessions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id          INTEGER NOT NULL
                      CONSTRAINT teaching_sessions_class_id_fkey
                      REFERENCES classes (id) ON DELETE RESTRICT,
    session_date      TEXT NOT NULL
                      CHECK (session_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    start_time        TEXT NOT NULL
                      CHECK (start_time GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    end_time          TEXT NOT NULL
                      CHECK (end_time GLOB '[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'),
    status            TEXT NOT NULL DEFAULT 'Open',
    scheduled_task_id TEXT,
    timezone          TEXT NOT NULL,
    closes_at         TEXT NOT NULL
                      CHECK (closes_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    closed_at         TEXT
                      CHECK (closed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    closed_by         TEXT,
    created_at        TEXT NOT NULL
                      CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    updated_at        TEXT NOT NULL
                      CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    CONSTRAINT teaching_sessions_status_check CHECK (status IN ('Open', 'Closed')),
    CONSTRAINT teaching_sessions_time_order_check CHECK (end_time > start_time),
    -- No 24:00:00 and no leap seconds (23:59:60), as in the wall-clock migration.
    CONSTRAINT teaching_sessions_wall_clock_check CHECK (
        start_time <= '23:59:59' AND end_time <= '23:59:59'
        AND substr(start_time, 4, 2) <= '59' AND substr(start_time, 7, 2) <= '59'
        AND substr(end_time, 4, 2) <= '59' AND substr(end_time, 7, 2) <= '59'),
    -- ^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$ or UTC, as in the Supabase migration.
    CONSTRAINT teaching_sessions_timezone_check CHECK (
        timezone = 'UTC'
        OR (timezone GLOB '[A-Za-z]*/[A-Za-z0-9_+-]*'
            AND NOT timezone GLOB '*[^A-Za-z0-9_+/-]*'
            AND NOT substr(timezone, 1, instr(timezone, '/') - 1) GLOB '*[^A-Za-z]*'
            AND NOT timezone GLOB '*//*'
            AND NOT timezone GLOB '*/')),
    CONSTRAINT teaching_sessions_closed_by_check
        CHECK (closed_by IN ('manual', 'auto', 'sweep')),
    CONSTRAINT teaching_sessions_closed_by_status_check
        CHECK (closed_by IS NULL OR status = 'Closed'),
    CONSTRAINT teaching_sessions_class_date_start_key UNIQUE (class_id, session_date, start_time)
) STRICT;

-- Open sessions by closing instant: the closer's next wake-up, the sweep, unscheduled_open.
-- Queries must spell the condition as the literal status = 'Open' for SQLite to use it.
CREATE INDEX IF NOT EXISTS teaching_sessions_open_closes_at_idx
    ON teaching_sessions (closes_at, id) WHERE status = 'Open';
-- Listing and keyset paging in (session_date, start_time, id) order.
CREATE INDEX IF NOT EXISTS teaching_sessions_date_start_id_idx
    ON teaching_sessions (session_date, start_time, id);
"#;

/// Version 2: sessions of one class may not overlap unless created with `allow_overlap`
/// (the PostgreSQL exclusion constraint of 20261130130000_attctl_no_overlaps.sql; here the
/// check runs inside each write's IMMEDIATE transaction, which serialises writers).
const SCHEMA_V2: &str = r#"
ALTER TABLE teaching_sessions ADD COLUMN allow_overlap INTEGER NOT NULL DEFAULT 0
    CHECK (allow_overlap IN (0, 1));
"#;

/// Version 3: holidays, mirroring `supabase/migrations/…_attctl_holidays.sql`.
const SCHEMA_V3: &str = r#"
CREATE TABLE IF NOT EXISTS holidays (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    first_date TEXT NOT NULL
               CHECK (first_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    last_date  TEXT NOT NULL
               CHECK (last_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at TEXT NOT NULL,
    CONSTRAINT holidays_name_check CHECK (length(trim(name)) BETWEEN 1 AND 200),
    CONSTRAINT holidays_range_check CHECK (last_date >= first_date)
) STRICT;
CREATE INDEX IF NOT EXISTS holidays_dates_idx ON holidays (first_date, last_date);
"#;

/// Version 4, mirroring `supabase/migrations/…_attctl_session_events.sql`: the session-event
/// outbox, written by triggers in the same transaction as the change, so that every path
/// (attctl, the worker, the `sqlite3` shell) records it: plain SQL only, no functions
/// registered by attctl. Ids are random version-4 UUIDs; instants have the file's shape.
const SCHEMA_V4: &str = r#"
CREATE TABLE IF NOT EXISTS session_events (
    id              TEXT PRIMARY KEY NOT NULL,
    type            TEXT NOT NULL,
    session_id      INTEGER NOT NULL,
    occurred_at     TEXT NOT NULL,
    payload         TEXT NOT NULL DEFAULT '{}',
    state           TEXT NOT NULL DEFAULT 'pending',
    deliveries      TEXT NOT NULL DEFAULT '{}',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by      TEXT,
    claimed_until   TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    dedupe_key      TEXT,
    CONSTRAINT session_events_type_check CHECK (type IN (
        'session.created', 'session.closed', 'session.rescheduled', 'session.reopened',
        'session.deleted', 'session.closing_soon')),
    CONSTRAINT session_events_state_check CHECK (state IN ('pending', 'delivered', 'failed')),
    CONSTRAINT session_events_dedupe_key_key UNIQUE (dedupe_key)
) STRICT;

CREATE INDEX IF NOT EXISTS session_events_pending_idx
    ON session_events (next_attempt_at) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS session_events_occurred_at_idx
    ON session_events (occurred_at, id);

CREATE TRIGGER IF NOT EXISTS teaching_sessions_event_insert
AFTER INSERT ON teaching_sessions
BEGIN
    INSERT INTO session_events (id, type, session_id, occurred_at, next_attempt_at, payload)
    VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), 'session.created', NEW.id, (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
            json_object('session', json_object('id', NEW.id, 'class_id', NEW.class_id, 'session_date', NEW.session_date, 'start_time', NEW.start_time, 'end_time', NEW.end_time, 'status', NEW.status, 'scheduled_task_id', NEW.scheduled_task_id, 'timezone', NEW.timezone, 'closes_at', NEW.closes_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = NEW.class_id))));
END;

CREATE TRIGGER IF NOT EXISTS teaching_sessions_event_close
AFTER UPDATE OF status ON teaching_sessions
WHEN NEW.status = 'Closed' AND OLD.status IS NOT 'Closed'
BEGIN
    INSERT INTO session_events (id, type, session_id, occurred_at, next_attempt_at, payload)
    VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), 'session.closed', NEW.id, (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
            json_object('session', json_object('id', NEW.id, 'class_id', NEW.class_id, 'session_date', NEW.session_date, 'start_time', NEW.start_time, 'end_time', NEW.end_time, 'status', NEW.status, 'scheduled_task_id', NEW.scheduled_task_id, 'timezone', NEW.timezone, 'closes_at', NEW.closes_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = NEW.class_id)),
                        'closed_by', coalesce(NEW.closed_by, 'manual')));
END;

CREATE TRIGGER IF NOT EXISTS teaching_sessions_event_reopen
AFTER UPDATE OF status ON teaching_sessions
WHEN NEW.status = 'Open' AND OLD.status = 'Closed'
BEGIN
    INSERT INTO session_events (id, type, session_id, occurred_at, next_attempt_at, payload)
    VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), 'session.reopened', NEW.id, (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
            json_object('session', json_object('id', NEW.id, 'class_id', NEW.class_id, 'session_date', NEW.session_date, 'start_time', NEW.start_time, 'end_time', NEW.end_time, 'status', NEW.status, 'scheduled_task_id', NEW.scheduled_task_id, 'timezone', NEW.timezone, 'closes_at', NEW.closes_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = NEW.class_id))));
END;

CREATE TRIGGER IF NOT EXISTS teaching_sessions_event_reschedule
AFTER UPDATE ON teaching_sessions
WHEN NEW.session_date IS NOT OLD.session_date OR NEW.start_time IS NOT OLD.start_time
  OR NEW.end_time IS NOT OLD.end_time OR NEW.timezone IS NOT OLD.timezone
  OR NEW.closes_at IS NOT OLD.closes_at
BEGIN
    INSERT INTO session_events (id, type, session_id, occurred_at, next_attempt_at, payload)
    VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), 'session.rescheduled', NEW.id, (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
            json_object('session', json_object('id', NEW.id, 'class_id', NEW.class_id, 'session_date', NEW.session_date, 'start_time', NEW.start_time, 'end_time', NEW.end_time, 'status', NEW.status, 'scheduled_task_id', NEW.scheduled_task_id, 'timezone', NEW.timezone, 'closes_at', NEW.closes_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = NEW.class_id)),
                        'before', json_object('id', OLD.id, 'class_id', OLD.class_id, 'session_date', OLD.session_date, 'start_time', OLD.start_time, 'end_time', OLD.end_time, 'status', OLD.status, 'scheduled_task_id', OLD.scheduled_task_id, 'timezone', OLD.timezone, 'closes_at', OLD.closes_at, 'closed_at', OLD.closed_at, 'closed_by', OLD.closed_by, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = OLD.class_id))));
END;

CREATE TRIGGER IF NOT EXISTS teaching_sessions_event_delete
BEFORE DELETE ON teaching_sessions
BEGIN
    INSERT INTO session_events (id, type, session_id, occurred_at, next_attempt_at, payload)
    VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), 'session.deleted', OLD.id, (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'), (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
            json_object('session', json_object('id', OLD.id, 'class_id', OLD.class_id, 'session_date', OLD.session_date, 'start_time', OLD.start_time, 'end_time', OLD.end_time, 'status', OLD.status, 'scheduled_task_id', OLD.scheduled_task_id, 'timezone', OLD.timezone, 'closes_at', OLD.closes_at, 'closed_at', OLD.closed_at, 'closed_by', OLD.closed_by, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at, 'class_name', (SELECT c.name FROM classes c WHERE c.id = OLD.class_id))));
END;
"#;

/// Knobs that tests shrink so that lock contention can be exercised in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Tuning {
    busy_timeout: Duration,
    retry_budget: Duration,
}

const DEFAULT_TUNING: Tuning = Tuning {
    busy_timeout: BUSY_TIMEOUT,
    retry_budget: RETRY_BUDGET,
};

/// Sessions and classes in a local SQLite file. Cloning shares the one connection.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    path: PathBuf,
    tuning: Tuning,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

/// Why a database operation stopped: a raw SQLite error (retried when busy, otherwise mapped
/// by [`map_db_error`]), or an error the operation already turned into its final form.
enum Fail {
    Db(rusqlite::Error),
    App(Error),
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Db(e)
    }
}

type DbResult<T> = std::result::Result<T, Fail>;

impl SqliteStore {
    /// Each write, as `--dry-run` would describe it, at debug level on `attctl::store`
    /// (`RUST_LOG=attctl::store=debug`): what the dry-run tests compare a plan with.
    fn trace_write(&self, write: StoreWrite<'_>) {
        if tracing::enabled!(target: "attctl::store", tracing::Level::DEBUG) {
            let planned = self.describe_write(&write);
            tracing::debug!(
                target: "attctl::store",
                method = planned.method.as_str(),
                to = planned.target.as_str(),
                "write"
            );
        }
    }

    /// Opens (creating if needed) the data file at `path` and brings its schema up to date.
    ///
    /// Missing parent directories are created with mode 0700 and a new file with mode 0600
    /// (SQLite gives its `-wal` and `-shm` files the same mode); existing ones are left as
    /// they are. Blocks for as long as the file is locked by a schema upgrade elsewhere
    /// (bounded like every other call), so call it before serving requests.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_tuned(path, DEFAULT_TUNING)
    }

    fn open_tuned(path: &Path, tuning: Tuning) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        create_private_file(path)?;
        let unmapped = |f: Fail| match f {
            Fail::Db(e) => map_db_error(e, path),
            Fail::App(e) => e,
        };
        match Self::open_mode(path, tuning, Mode::ReadWrite) {
            Ok(store) => Ok(store),
            // A file or directory we may not write to: readers still work, read-only.
            Err(Fail::Db(e)) if is_read_only(&e) => {
                tracing::debug!(path = %path.display(), error = %e,
                    "the local data file is not writable; opening it read-only");
                match Self::open_mode(path, tuning, Mode::ReadOnly) {
                    Ok(store) => Ok(store),
                    // No -shm beside it and no right to create one: only an immutable
                    // open can read it.
                    Err(Fail::Db(e)) if is_read_only(&e) => {
                        Self::open_mode(path, tuning, Mode::Immutable).map_err(unmapped)
                    }
                    Err(f) => Err(unmapped(f)),
                }
            }
            Err(f) => Err(unmapped(f)),
        }
    }

    fn open_mode(path: &Path, tuning: Tuning, mode: Mode) -> DbResult<Self> {
        let read_only = mode != Mode::ReadWrite;
        let conn = if read_only {
            // Read-only with the usual locking (another user's worker may be writing), or,
            // when SQLite cannot even share the WAL index, `immutable`: no -shm or -wal is
            // created and no locks are taken.
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(read_only_uri(path, mode == Mode::Immutable), flags)?
        } else {
            // No SQLITE_OPEN_URI: a path that happens to start with `file:` is still a path.
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            Connection::open_with_flags(path, flags)?
        };
        conn.busy_timeout(tuning.busy_timeout)?;
        let inner = Inner {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            tuning,
        };
        if read_only {
            inner.run_raw(|conn| check_identity(conn, path, true).map(drop))?;
        } else {
            inner.run_raw(|conn| configure(conn, path))?;
        }
        Ok(SqliteStore {
            inner: Arc::new(inner),
        })
    }

    /// Refuses a data file whose directory does not exist, unless it is the default
    /// location (`$XDG_DATA_HOME/attctl/attctl.db`), which [`SqliteStore::open`] creates on
    /// demand: an explicit path in a missing directory is most likely a typo, and creating
    /// it would silently start an empty store.
    pub fn check_directory(path: &Path) -> Result<()> {
        match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) if !parent.is_dir() && path != crate::config::default_data_file() => {
                Err(Error::Config(format!(
                    "the directory of the data file {} does not exist: check the path \
                     (--data-file, ATTCTL_DATA_FILE or data_file in the profile), or create \
                     the directory first",
                    path.display()
                )))
            }
            _ => Ok(()),
        }
    }

    /// The data file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// A token that changes whenever *another* connection (another process, or another
    /// `SqliteStore` opened on the same file) has committed a change since the last call.
    ///
    /// This is SQLite's `PRAGMA data_version` on this store's own connection: cheap (no
    /// table is read), but only meaningful when compared with an earlier value from the same
    /// store, and it does not change for this store's own writes, which the caller already
    /// knows about. The local worker polls it to wake up early when the CLI creates,
    /// reschedules or closes a session.
    pub async fn data_version_token(&self) -> Result<i64> {
        self.call(|conn| Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?))
            .await
    }

    /// Runs `op` on the blocking pool with the connection, retrying while the file is busy.
    async fn call<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&mut Connection) -> DbResult<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.run(op))
            .await
            .map_err(|e| Error::Backend(format!("the local data store task failed: {e}")))?
    }
}

impl Inner {
    fn run<T>(&self, op: impl FnMut(&mut Connection) -> DbResult<T>) -> Result<T> {
        self.run_raw(op).map_err(|f| match f {
            Fail::Db(e) => map_db_error(e, &self.path),
            Fail::App(e) => e,
        })
    }

    /// [`Inner::run`] without the final mapping of SQLite's error.
    fn run_raw<T>(&self, mut op: impl FnMut(&mut Connection) -> DbResult<T>) -> DbResult<T> {
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let outcome = {
                let mut conn = self.lock();
                op(&mut conn)
            };
            match outcome {
                Ok(value) => return Ok(value),
                Err(Fail::App(e)) => return Err(Fail::App(e)),
                Err(Fail::Db(e)) if is_busy(&e) => {
                    let pause = backoff + jitter(backoff);
                    if attempt >= MAX_ATTEMPTS
                        || started.elapsed() + pause > self.tuning.retry_budget
                    {
                        tracing::warn!(path = %self.path.display(), attempts = attempt, error = %e,
                            "local data file still busy; giving up");
                        return Err(Fail::App(busy_error(&self.path)));
                    }
                    tracing::debug!(path = %self.path.display(), attempt, error = %e,
                        "local data file busy; retrying");
                    // The lock is released while we sleep, so this store's other calls go on.
                    std::thread::sleep(pause);
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    attempt += 1;
                }
                Err(Fail::Db(e)) => return Err(Fail::Db(e)),
            }
        }
    }

    /// The connection, even if a thread panicked while holding it: every operation runs in
    /// its own transaction, so the worst a panic can leave behind is an open transaction,
    /// which is rolled back here before the connection is used again.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.is_autocommit() {
            // Best effort: if even the rollback fails, the next statement reports why.
            let _ = conn.execute_batch("ROLLBACK");
        }
        conn
    }
}

/// Pragmas and schema, on a freshly opened connection.
fn configure(conn: &mut Connection, path: &Path) -> DbResult<()> {
    // Before anything changes the file (WAL mode is written to its header): is it ours?
    let fresh = check_identity(conn, path, false)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some network file systems cannot share WAL's memory index; SQLite then keeps the
        // rollback journal. Still correct, only readers and the writer block each other.
        tracing::warn!(path = %path.display(), journal_mode = %mode,
            "the local data file cannot use WAL; concurrent access will be slower");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    migrate(conn, path, fresh)
}

/// Is this attctl's file? Returns true for an empty (new) database. A database with
/// another application id, or with tables and no id that are not attctl's, is refused.
fn check_identity(conn: &Connection, path: &Path, read_only: bool) -> DbResult<bool> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let not_ours = |what: &str| {
        Fail::App(Error::Config(format!(
            "{} is not an attctl data file ({what}); attctl leaves it alone: \
             pick another --data-file",
            path.display()
        )))
    };
    if app_id == APPLICATION_ID {
        return Ok(false);
    }
    if app_id != 0 {
        return Err(not_ours(&format!(
            "a SQLite database of another application, id {app_id:#x}"
        )));
    }
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if tables.is_empty() {
        if read_only {
            return Err(Fail::App(Error::Config(format!(
                "the local data file {} is empty and read-only: attctl cannot set it up",
                path.display()
            ))));
        }
        return Ok(true);
    }
    let ours = tables.iter().any(|t| t == "teaching_sessions")
        && tables.iter().any(|t| t == "classes")
        && tables.iter().all(|t| {
            t == "teaching_sessions" || t == "classes" || t == "holidays" || t == "session_events"
        });
    if ours {
        // Made by attctl before the application id was written.
        Ok(false)
    } else {
        Err(not_ours("a SQLite database with other tables"))
    }
}

fn migrate(conn: &mut Connection, path: &Path, fresh: bool) -> DbResult<()> {
    // Checked outside a transaction first, so that an up-to-date file (every start of the
    // CLI) never takes the write lock.
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if check_version(conn, path)? == SCHEMA_VERSION && app_id == APPLICATION_ID {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Again under the lock: another process may have migrated the file meanwhile.
    let version = check_version(&tx, path)?;
    if version == 0 {
        if !fresh && !check_identity(&tx, path, false)? {
            // Tables but no version: not something this build made.
            return Err(Fail::App(Error::Config(format!(
                "{} is not an attctl data file (its tables have no schema version); \
                 attctl leaves it alone: pick another --data-file",
                path.display()
            ))));
        }
        tx.execute_batch(SCHEMA_V1)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2)?;
    }
    // Version 2 files (before holidays) gain the table; nothing else changes.
    if version < 3 {
        tx.execute_batch(SCHEMA_V3)?;
    }
    // Version 3 files (before the outbox) gain it; nothing else changes.
    if version < 4 {
        tx.execute_batch(SCHEMA_V4)?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

fn check_version(conn: &Connection, path: &Path) -> DbResult<i64> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(Fail::App(Error::Schema(format!(
            "the local data file {} has schema version {version}, newer than this attctl \
             understands ({SCHEMA_VERSION}): upgrade attctl",
            path.display()
        ))));
    }
    Ok(version)
}

/// SQLite could not write the file or create its journal next to it.
fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// How [`SqliteStore::open_mode`] opens the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    ReadWrite,
    ReadOnly,
    Immutable,
}

/// `file:` URI of `path`, read-only (and immutable if asked), with URI-reserved bytes escaped.
fn read_only_uri(path: &Path, immutable: bool) -> String {
    let mut uri = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'%' | b'?' | b'#' => uri.push_str(&format!("%{b:02X}")),
            _ if b.is_ascii() && !b.is_ascii_control() => uri.push(char::from(*b)),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str(if immutable {
        "?mode=ro&immutable=1"
    } else {
        "?mode=ro"
    });
    uri
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::io(format!("cannot create the directory {}", dir.display()), e))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create the directory {}", dir.display()), e))
}

/// Creates the file ourselves (SQLite would use the umask, usually world-readable).
/// Creates the file private (0600) if it does not exist yet. An existing file is never
/// opened with `std::fs`: closing any descriptor of a file drops every POSIX lock this
/// process holds on it, including the locks of a live SQLite connection in another store
/// of the same process, and SQLite would then delete a WAL that is still in use.
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::io(
            format!("cannot open the local data file {}", path.display()),
            e,
        )),
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Up to a quarter of `base`, so that two processes that collided do not retry in step.
fn jitter(base: Duration) -> Duration {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
        ^ std::process::id();
    let quarter = (base.as_micros() / 4).max(1);
    Duration::from_micros((u128::from(seed) % quarter) as u64)
}

fn busy_error(path: &Path) -> Error {
    Error::Unavailable(format!(
        "the local data file is busy ({}): another attctl process has been writing to it \
         for too long; try again in a moment",
        path.display()
    ))
}

/// The generic mapping, mirroring `ApiError::into_error` of the PostgREST store; callers
/// handle the constraint errors that need their context (duplicates, unknown class) first.
fn map_db_error(e: rusqlite::Error, path: &Path) -> Error {
    let file = path.display();
    match &e {
        rusqlite::Error::SqliteFailure(failure, message) => {
            let detail = message.clone().unwrap_or_else(|| failure.to_string());
            match failure.code {
                ErrorCode::ConstraintViolation => match failure.extended_code {
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        Error::Conflict(format!("already exists: {detail}"))
                    }
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Error::NotFound {
                        what: "referenced row",
                        id: detail,
                    },
                    _ => Error::Invalid(format!("rejected by the database: {detail}")),
                },
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => busy_error(path),
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Error::Backend(format!(
                    "the local data file {file} is damaged or is not an attctl data file: {detail}"
                )),
                ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::NoLargeFileSupport => {
                    let kind = match failure.code {
                        ErrorCode::DiskFull => std::io::ErrorKind::StorageFull,
                        ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
                            std::io::ErrorKind::PermissionDenied
                        }
                        _ => std::io::ErrorKind::Other,
                    };
                    Error::io(
                        format!("the local data file {file}"),
                        std::io::Error::new(kind, detail),
                    )
                }
                _ if detail.starts_with("no such table")
                    || detail.starts_with("no such column") =>
                {
                    Error::Schema(format!(
                        "the local data file {file} lacks attctl's tables or columns: {detail}"
                    ))
                }
                _ => Error::Backend(format!("the local data file {file}: {detail}")),
            }
        }
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => Error::Backend(format!(
            "the local data file {file} holds a value attctl cannot read: {e}"
        )),
        _ => Error::Backend(format!("the local data file {file}: {e}")),
    }
}

fn constraint_code(e: &rusqlite::Error) -> Option<i32> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => {
            Some(f.extended_code)
        }
        _ => None,
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    constraint_code(e) == Some(ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// The first session of `class` on `date` (other than `except`, and not itself allowed to
/// overlap) that shares time with `start`..`end`, as the overlap error. Adjacent sessions
/// do not overlap; the same start is left to the unique key, which words it better.
fn overlapping(
    tx: &rusqlite::Transaction<'_>,
    class: i64,
    date: &str,
    start: &str,
    end: &str,
    except: Option<SessionId>,
) -> DbResult<Option<Error>> {
    let found: Option<(i64, String, String, String)> = tx
        .prepare_cached(
            "SELECT id, session_date, start_time, end_time FROM teaching_sessions \
             WHERE class_id = ?1 AND session_date = ?2 AND allow_overlap = 0 \
               AND start_time < ?4 AND end_time > ?3 AND start_time <> ?3 \
               AND id IS NOT ?5 \
             ORDER BY start_time, id LIMIT 1",
        )?
        .query_row(params![class, date, start, end, except], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    Ok(found.map(|(id, d, s, e)| super::overlap_conflict(id, &d, &s, &e)))
}

fn duplicate_session(class_id: i64, date: NaiveDate, start: NaiveTime) -> Error {
    Error::Conflict(format!(
        "class {class_id} already has a session on {date} starting at {}",
        start.format(TIME_FORMAT)
    ))
}

// ----- encoding -------------------------------------------------------------------------

/// Instants outside years 0000–9999 would not keep the fixed width that makes text order
/// chronological; nothing attctl computes comes near them.
fn enc_instant(t: DateTime<Utc>, what: &str) -> Result<String> {
    use chrono::Datelike;
    if !(0..=9999).contains(&t.year()) {
        return Err(Error::invalid(format!("{what} {t} is out of range")));
    }
    Ok(t.format(INSTANT_FORMAT).to_string())
}

fn enc_date(d: NaiveDate) -> Result<String> {
    use chrono::Datelike;
    if !(0..=9999).contains(&d.year()) {
        return Err(Error::invalid(format!("date {d} is out of range")));
    }
    Ok(d.format(DATE_FORMAT).to_string())
}

/// Whole seconds, as the PostgREST store sends them.
fn enc_time(t: NaiveTime) -> String {
    crate::session::format_wall_time(t)
}

/// `now()` of the database, for `created_at` / `updated_at` (PostgreSQL keeps microseconds).
fn db_now() -> String {
    Utc::now().format(INSTANT_FORMAT).to_string()
}

fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if s.len() != INSTANT_LEN {
        return None;
    }
    NaiveDateTime::parse_from_str(s, INSTANT_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, DATE_FORMAT).ok()
}

/// Also reads a `24:00:00` (or `23:59:60`) stored before the schema forbade it, so one such
/// row cannot make a whole listing fail.
fn parse_time(s: &str) -> Option<NaiveTime> {
    crate::session::parse_wall_time(s)
}

fn parse_status(s: &str) -> Option<Status> {
    match s {
        "Open" => Some(Status::Open),
        "Closed" => Some(Status::Closed),
        _ => None,
    }
}

fn parse_closed_by(s: &str) -> Option<ClosedBy> {
    s.parse().ok()
}
/// Column order read by [`event_from_row`].
const EVENT_COLUMNS: &str = "id, type, session_id, occurred_at, payload, state, deliveries, \
     attempts, next_attempt_at, last_error, delivered_at";

fn parse_json(s: &str) -> Option<serde_json::Value> {
    serde_json::from_str(s).ok()
}

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<EventRecord> {
    Ok(EventRecord {
        id: row.get(0)?,
        kind: row.get(1)?,
        session_id: row.get(2)?,
        occurred_at: text_col(row, 3, parse_instant)?,
        payload: text_col(row, 4, parse_json)?,
        state: row.get(5)?,
        deliveries: text_col(row, 6, parse_json)?,
        attempts: row.get(7)?,
        next_attempt_at: text_col(row, 8, parse_instant)?,
        last_error: row.get(9)?,
        delivered_at: opt_text_col(row, 10, parse_instant)?,
    })
}

/// Inserts a `session.closing_soon` for one session and offset if the session is still Open,
/// still closes at `closes` and that is after `now`; the unique key makes a repeat (another
/// worker, another pass) a no-op. The state is checked in the inserting statement, so a close
/// or a move committed first wins.
fn insert_warning(
    conn: &Connection,
    id: SessionId,
    offset_seconds: u32,
    closes: &str,
    now: &str,
    seconds_left: i64,
) -> rusqlite::Result<Option<String>> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let key = format!("{id}:{offset_seconds}:{closes}");
    conn.prepare_cached(
        "INSERT INTO session_events \
             (id, type, session_id, occurred_at, next_attempt_at, payload, dedupe_key) \
         SELECT ?1, 'session.closing_soon', s.id, ?2, ?2, \
             json_object('session', json_object('id', s.id, 'class_id', s.class_id, \
                 'session_date', s.session_date, 'start_time', s.start_time, \
                 'end_time', s.end_time, 'status', s.status, \
                 'scheduled_task_id', s.scheduled_task_id, 'timezone', s.timezone, \
                 'closes_at', s.closes_at, 'closed_at', s.closed_at, \
                 'closed_by', s.closed_by, 'created_at', s.created_at, \
                 'updated_at', s.updated_at, 'class_name', \
                 (SELECT c.name FROM classes c WHERE c.id = s.class_id)), \
                 'seconds_left', ?5, 'offset_seconds', ?6), ?4 \
         FROM teaching_sessions s \
         WHERE s.id = ?3 AND s.status = 'Open' AND s.closes_at = ?7 AND s.closes_at > ?2 \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )?
    .query_row(
        params![uuid, now, id, key, seconds_left, offset_seconds, closes],
        |r| r.get(0),
    )
    .optional()
}

fn text_col<T>(row: &Row<'_>, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let raw: String = row.get(idx)?;
    parse(&raw).ok_or_else(|| bad_value(idx, &raw))
}

fn opt_text_col<T>(
    row: &Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(raw) => parse(&raw).map(Some).ok_or_else(|| bad_value(idx, &raw)),
    }
}

fn bad_value(idx: usize, raw: &str) -> rusqlite::Error {
    let shown: String = raw.chars().take(60).collect();
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("unexpected value {shown:?}").into(),
    )
}

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<TeachingSession> {
    Ok(TeachingSession {
        id: row.get(0)?,
        class_id: row.get(1)?,
        session_date: text_col(row, 2, parse_date)?,
        start_time: text_col(row, 3, parse_time)?,
        end_time: text_col(row, 4, parse_time)?,
        status: text_col(row, 5, parse_status)?,
        scheduled_task_id: row.get(6)?,
        timezone: row.get(7)?,
        closes_at: text_col(row, 8, parse_instant)?,
        closed_at: opt_text_col(row, 9, parse_instant)?,
        closed_by: opt_text_col(row, 10, parse_closed_by)?,
        created_at: text_col(row, 11, parse_instant)?,
        updated_at: text_col(row, 12, parse_instant)?,
    })
}

fn holiday_from_row(row: &Row<'_>) -> rusqlite::Result<Holiday> {
    Ok(Holiday {
        id: row.get(0)?,
        name: row.get(1)?,
        first_date: text_col(row, 2, parse_date)?,
        last_date: text_col(row, 3, parse_date)?,
        created_at: text_col(row, 4, parse_instant)?,
    })
}

const HOLIDAY_COLUMNS: &str = "id, name, first_date, last_date, created_at";

fn class_from_row(row: &Row<'_>) -> rusqlite::Result<Class> {
    Ok(Class {
        id: row.get(0)?,
        name: row.get(1)?,
        created_at: text_col(row, 2, parse_instant)?,
    })
}

/// `limit` as SQLite wants it; values beyond i64 mean "no limit" anyway.
fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// WHERE terms and their parameters for a listing filter (the cursor is added separately).
fn filter_terms(f: &SessionFilter) -> Result<(Vec<&'static str>, Vec<Value>)> {
    let mut terms = Vec::new();
    let mut args = Vec::new();
    if let Some(class) = f.class_id {
        terms.push("class_id = ?");
        args.push(Value::Integer(class));
    }
    if let Some(date) = f.date {
        terms.push("session_date = ?");
        args.push(Value::Text(enc_date(date)?));
    }
    if let Some(from) = f.from {
        terms.push("session_date >= ?");
        args.push(Value::Text(enc_date(from)?));
    }
    if let Some(to) = f.to {
        terms.push("session_date <= ?");
        args.push(Value::Text(enc_date(to)?));
    }
    if let Some(status) = f.status {
        terms.push("status = ?");
        args.push(Value::Text(status.as_str().to_string()));
    }
    Ok((terms, args))
}

fn where_clause(terms: &[&str]) -> String {
    if terms.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", terms.join(" AND "))
    }
}

/// Microseconds since the epoch of a stored instant (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), as an
/// exact integer.
fn sql_micros(column: &str) -> String {
    format!(
        "(unixepoch(substr({column}, 1, 19)) * 1000000 + CAST(substr({column}, 21, 6) AS INTEGER))"
    )
}

/// `later - earlier` in seconds, as PostgreSQL's `date_part('epoch', later - earlier)`
/// computes it: the interval's whole days (truncated towards zero) and the microseconds
/// left, `rest / 1e6 + 86400 * days` in double precision. The same operations give the same
/// bits, so both stores agree to the last digit.
fn sql_seconds_between(later: &str, earlier: &str) -> String {
    let diff = format!("({} - {})", sql_micros(later), sql_micros(earlier));
    format!("(CAST({diff} % 86400000000 AS REAL) / 1000000 + 86400.0 * ({diff} / 86400000000))")
}

/// A percentile of `v` over rows ranked `rn` of `n` in a group, interpolated linearly exactly
/// as PostgreSQL's `percentile_cont`: rows floor(p(n-1)) and ceil(p(n-1)) (0-based), and
/// `lo + frac * (hi - lo)` in double precision; the row itself when frac is 0.
fn sql_percentile(p: &str, name: &str) -> String {
    let pos = format!("({p} * (n - 1))");
    let first = format!("CAST({pos} AS INTEGER)");
    format!(
        "max(CASE WHEN rn = {first} + 1 THEN v END) AS {name}_lo, \
         max(CASE WHEN rn = {first} + 1 + ({pos} > {first}) THEN v END) AS {name}_hi, \
         max({pos} - {first}) AS {name}_frac"
    )
}

fn sql_interpolated(name: &str) -> String {
    format!(
        "CASE WHEN {name}_frac = 0 THEN {name}_lo \
         ELSE {name}_lo + {name}_frac * ({name}_hi - {name}_lo) END"
    )
}

/// The closure report in one query: per group (level 0) and over all (level 1), in display
/// order. The grouping expressions are fixed SQL, chosen by `by`; values are parameters
/// (?1 from, ?2 to, ?3 class id, ?4 now, ?5 0.5 and ?6 0.95: the percentiles).
fn closure_report_sql(by: GroupBy) -> String {
    let closed_by_label =
        "coalesce(s.closed_by, CASE WHEN s.status = 'Open' THEN 'open' ELSE 'unrecorded' END)";
    // session_date is the session's own local date: weekdays and weeks need no zone.
    let (group, order) = match by {
        GroupBy::Class => (
            "coalesce(c.name, 'class ' || s.class_id)".to_string(),
            "coalesce(c.name, 'class ' || s.class_id)".to_string(),
        ),
        GroupBy::Weekday => (
            "CASE strftime('%u', s.session_date) WHEN '1' THEN 'Monday' WHEN '2' THEN 'Tuesday' \
             WHEN '3' THEN 'Wednesday' WHEN '4' THEN 'Thursday' WHEN '5' THEN 'Friday' \
             WHEN '6' THEN 'Saturday' ELSE 'Sunday' END"
                .to_string(),
            "strftime('%u', s.session_date)".to_string(),
        ),
        GroupBy::Week => (
            "strftime('%G-W%V', s.session_date)".to_string(),
            "strftime('%G-W%V', s.session_date)".to_string(),
        ),
        GroupBy::Month => (
            "substr(s.session_date, 1, 7)".to_string(),
            "substr(s.session_date, 1, 7)".to_string(),
        ),
        GroupBy::ClosedBy => (closed_by_label.to_string(), closed_by_label.to_string()),
    };
    let lag = sql_seconds_between("s.closed_at", "s.closes_at");
    let early = sql_seconds_between("s.closes_at", "s.closed_at");
    // The fractions are bound (?5 = 0.5, ?6 = 0.95) as Rust's correctly rounded doubles,
    // so they are the very values PostgreSQL multiplies by (n - 1), whatever SQLite's own
    // decimal parsing does: near a rounding tie one ulp changes the interpolated answer.
    let lag_p50 = sql_percentile("?5", "p50");
    let lag_p95 = sql_percentile("?6", "p95");
    let early_p50 = sql_percentile("?5", "e50");
    // Only the rows a percentile reads (ranks floor(p(n-1)) + 1 and the next) reach the
    // aggregate.
    let ranks =
        |p: &str| format!("CAST({p} * (n - 1) AS INTEGER) + 1, CAST({p} * (n - 1) AS INTEGER) + 2");
    let ranks_p50 = ranks("?5");
    let ranks_p95 = ranks("?6");
    let counts = "count(*) AS sessions, \
                  count(CASE WHEN kind = 1 THEN 1 END) AS closed_manual, \
                  count(CASE WHEN kind = 2 THEN 1 END) AS closed_auto, \
                  count(CASE WHEN kind = 3 THEN 1 END) AS closed_sweep, \
                  count(CASE WHEN kind = 4 THEN 1 END) AS open_past_end, \
                  count(CASE WHEN kind = 5 THEN 1 END) AS open_upcoming, \
                  max(lag_s) AS lag_max, count(early_min) AS manual_early, \
                  count(CASE WHEN kind = 6 THEN 1 END) AS unrecorded";
    let p50 = sql_interpolated("p50");
    let p95 = sql_interpolated("p95");
    let e50 = sql_interpolated("e50");
    format!(
        "WITH base AS MATERIALIZED ( \
           SELECT {group} AS grp, {order} AS ord, \
                  CASE WHEN s.closed_by = 'manual' THEN 1 WHEN s.closed_by = 'auto' THEN 2 \
                       WHEN s.closed_by = 'sweep' THEN 3 \
                       WHEN s.status = 'Open' AND s.closes_at <= ?4 THEN 4 \
                       WHEN s.status = 'Open' THEN 5 ELSE 6 END AS kind, \
                  CASE WHEN s.closed_by = 'auto' AND s.closed_at IS NOT NULL \
                       THEN {lag} END AS lag_s, \
                  CASE WHEN s.closed_by = 'manual' AND s.closed_at < s.closes_at \
                       THEN {early} / 60 END AS early_min \
           FROM teaching_sessions s LEFT JOIN classes c ON c.id = s.class_id \
           WHERE (?1 IS NULL OR s.session_date >= ?1) AND (?2 IS NULL OR s.session_date <= ?2) \
             AND (?3 IS NULL OR s.class_id = ?3)), \
         counts AS ( \
           SELECT 0 AS lvl, grp, min(ord) AS ord, {counts} FROM base GROUP BY grp \
           UNION ALL \
           SELECT 1, '', '', {counts} FROM base), \
         lag_ranked AS ( \
           SELECT 0 AS lvl, grp, lag_s AS v, row_number() OVER w AS rn, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n \
           FROM base WHERE lag_s IS NOT NULL WINDOW w AS (PARTITION BY grp ORDER BY lag_s) \
           UNION ALL \
           SELECT 1, '', lag_s, row_number() OVER w, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) \
           FROM base WHERE lag_s IS NOT NULL WINDOW w AS (ORDER BY lag_s)), \
         lag_p AS (SELECT lvl, grp, {lag_p50}, {lag_p95} FROM lag_ranked \
                   WHERE rn IN ({ranks_p50}, {ranks_p95}) GROUP BY lvl, grp), \
         early_ranked AS ( \
           SELECT 0 AS lvl, grp, early_min AS v, row_number() OVER w AS rn, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n \
           FROM base WHERE early_min IS NOT NULL WINDOW w AS (PARTITION BY grp ORDER BY early_min) \
           UNION ALL \
           SELECT 1, '', early_min, row_number() OVER w, \
                  count(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) \
           FROM base WHERE early_min IS NOT NULL WINDOW w AS (ORDER BY early_min)), \
         early_p AS (SELECT lvl, grp, {early_p50} FROM early_ranked \
                     WHERE rn IN ({ranks_p50}) GROUP BY lvl, grp) \
         SELECT c.lvl, c.grp, c.sessions, c.closed_manual, c.closed_auto, c.closed_sweep, \
                c.open_past_end, c.open_upcoming, {p50}, {p95}, c.lag_max, c.manual_early, \
                {e50}, c.unrecorded \
         FROM counts c \
         LEFT JOIN lag_p l ON l.lvl = c.lvl AND l.grp = c.grp \
         LEFT JOIN early_p e ON e.lvl = c.lvl AND e.grp = c.grp \
         ORDER BY c.lvl, c.ord, c.grp"
    )
}

#[async_trait]
impl SessionStore for SqliteStore {
    fn backend(&self) -> &'static str {
        "local"
    }

    fn describe_write(&self, write: &StoreWrite<'_>) -> PlannedWrite {
        // `method` is the same verb on both backends (POST insert, PATCH update, DELETE),
        // so scripts reading a plan need not know the store; the target holds the SQL.
        let file = format!("sqlite:{}", self.inner.path.display());
        let (method, clause, body) = match *write {
            StoreWrite::Insert(new) => ("POST", String::new(), serde_json::to_value(new).ok()),
            StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            } => (
                "PATCH",
                match due_by {
                    Some(due) => format!(
                        " WHERE id = {id} AND status = 'Open' AND closes_at <= '{}'",
                        due.format(INSTANT_FORMAT)
                    ),
                    None => format!(" WHERE id = {id} AND status = 'Open'"),
                },
                Some(serde_json::json!({
                    "status": Status::Closed,
                    "closed_at": now.format(INSTANT_FORMAT).to_string(),
                    "closed_by": closed_by,
                })),
            ),
            StoreWrite::Delete(id) => ("DELETE", format!(" WHERE id = {id}"), None),
            StoreWrite::SwapScheduledTask { id, expected, new } => (
                "PATCH",
                match expected {
                    Some(v) => format!(" WHERE id = {id} AND scheduled_task_id = '{v}'"),
                    None => format!(" WHERE id = {id} AND scheduled_task_id IS NULL"),
                },
                Some(serde_json::json!({ "scheduled_task_id": new })),
            ),
            StoreWrite::UpdateTimes { id, update } => {
                let t = &update.times;
                let mut body = serde_json::json!({
                    "session_date": t.session_date,
                    "start_time": enc_time(t.start_time),
                    "end_time": enc_time(t.end_time),
                    "timezone": t.timezone,
                    "closes_at": t.closes_at.format(INSTANT_FORMAT).to_string(),
                });
                if update.reopen {
                    body["status"] = serde_json::json!(Status::Open);
                    body["closed_at"] = serde_json::Value::Null;
                    body["closed_by"] = serde_json::Value::Null;
                }
                (
                    "PATCH",
                    format!(" WHERE id = {id} AND status = '{}'", update.expected_status),
                    Some(body),
                )
            }
        };
        let statement = match method {
            "POST" => "INSERT INTO",
            "PATCH" => "UPDATE",
            _ => "DELETE FROM",
        };
        PlannedWrite {
            method: method.to_string(),
            target: format!("{file} {statement} teaching_sessions{clause}"),
            body,
        }
    }

    async fn list_classes(&self) -> Result<Vec<Class>> {
        self.call(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT id, name, created_at FROM classes ORDER BY id")?;
            let rows = stmt.query_map([], class_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn find_class(&self, class: &ClassRef) -> Result<Option<Class>> {
        let (sql, key) = match class {
            ClassRef::Id(id) => (
                "SELECT id, name, created_at FROM classes WHERE id = ?1",
                Value::Integer(*id),
            ),
            ClassRef::Name(name) => (
                "SELECT id, name, created_at FROM classes WHERE name = ?1",
                Value::Text(name.clone()),
            ),
        };
        self.call(move |conn| {
            Ok(conn
                .prepare_cached(sql)?
                .query_row([&key], class_from_row)
                .optional()?)
        })
        .await
    }

    async fn create_class(&self, name: &str) -> Result<Class> {
        let name = name.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(
                    "INSERT INTO classes (name, created_at) VALUES (?1, ?2) \
                     RETURNING id, name, created_at",
                )?
                .query_row(params![name, db_now()], class_from_row)
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Fail::App(Error::Conflict(format!(
                            "a class named {name:?} already exists"
                        )))
                    } else {
                        Fail::Db(e)
                    }
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
    }

    async fn rename_class(&self, id: crate::session::ClassId, name: &str) -> Result<Option<Class>> {
        let name = name.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached(
                    "UPDATE classes SET name = ?2 WHERE id = ?1 RETURNING id, name, created_at",
                )?
                .query_row(params![id, name], class_from_row)
                .optional()
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        Fail::App(Error::Conflict(format!(
                            "a class named {name:?} already exists"
                        )))
                    } else {
                        Fail::Db(e)
                    }
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
    }

    async fn delete_class(&self, id: crate::session::ClassId) -> Result<Option<Class>> {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let class = tx
                .prepare_cached("DELETE FROM classes WHERE id = ?1 RETURNING id, name, created_at")?
                .query_row(params![id], class_from_row)
                .optional()
                .map_err(|e| match constraint_code(&e) {
                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                        Fail::App(super::class_has_sessions(id))
                    }
                    _ => Fail::Db(e),
                })?;
            tx.commit()?;
            Ok(class)
        })
        .await
    }

    async fn insert_session(&self, new: &NewSession) -> Result<TeachingSession> {
        self.trace_write(StoreWrite::Insert(new));
        let class_id = new.class_id;
        let (date, start) = (new.session_date, new.start_time);
        let args = (
            class_id,
            enc_date(date)?,
            enc_time(start),
            enc_time(new.end_time),
            new.timezone.clone(),
            enc_instant(new.closes_at, "closing instant")?,
            new.scheduled_task_id.clone(),
        );
        let allow_overlap = new.allow_overlap;
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = db_now();
            let (class, date_s, start_s, end_s, zone, closes, run) = &args;
            if !allow_overlap
                && let Some(other) = overlapping(&tx, *class, date_s, start_s, end_s, None)?
            {
                return Err(Fail::App(other));
            }
            let sql = format!(
                "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, scheduled_task_id, created_at, updated_at, allow_overlap) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?7, ?7, ?9) RETURNING {SESSION_COLUMNS}"
            );
            let session = tx
                .prepare_cached(&sql)?
                .query_row(
                    params![
                        class,
                        date_s,
                        start_s,
                        end_s,
                        zone,
                        closes,
                        now,
                        run,
                        allow_overlap
                    ],
                    session_from_row,
                )
                .map_err(|e| match constraint_code(&e) {
                    Some(ffi::SQLITE_CONSTRAINT_UNIQUE) => {
                        Fail::App(duplicate_session(class_id, date, start))
                    }
                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => Fail::App(Error::NotFound {
                        what: "class",
                        id: class_id.to_string(),
                    }),
                    _ => Fail::Db(e),
                })?;
            tx.commit()?;
            Ok(session)
        })
        .await
    }

    async fn insert_sessions(&self, new: &[NewSession]) -> Result<Vec<TeachingSession>> {
        type Args = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        );
        let mut rows: Vec<Args> = Vec::with_capacity(new.len());
        for n in new {
            let (status, closed_at, closed_by) = match &n.closed {
                None => (Status::Open, None, None),
                Some(h) => (
                    h.status,
                    h.closed_at
                        .map(|t| enc_instant(t, "closed_at"))
                        .transpose()?,
                    h.closed_by.map(|b| b.as_str().to_string()),
                ),
            };
            rows.push((
                n.class_id,
                enc_date(n.session_date)?,
                enc_time(n.start_time),
                enc_time(n.end_time),
                n.timezone.clone(),
                enc_instant(n.closes_at, "closing instant")?,
                n.scheduled_task_id.clone(),
                status.as_str().to_string(),
                closed_at,
                closed_by,
            ));
        }
        let mut inserted = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(INSERT_CHUNK) {
            let chunk = chunk.to_vec();
            let mut part = self
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let now = db_now();
                    // A Closed row without a closing instant gets the import's time, as the
                    // Supabase trigger does.
                    let sql = format!(
                        "INSERT INTO teaching_sessions (class_id, session_date, start_time, \
                         end_time, timezone, closes_at, scheduled_task_id, status, closed_at, \
                         closed_by, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
                         CASE WHEN ?8 = 'Closed' THEN coalesce(?9, ?11) END, ?10, ?11, ?11) \
                         ON CONFLICT (class_id, session_date, start_time) DO NOTHING \
                         RETURNING {SESSION_COLUMNS}"
                    );
                    let mut out = Vec::with_capacity(chunk.len());
                    {
                        let mut stmt = tx.prepare_cached(&sql)?;
                        for (class, date, start, end, zone, closes, run, status, cat, cby) in &chunk
                        {
                            let row = stmt
                                .query_row(
                                    params![
                                        class, date, start, end, zone, closes, run, status, cat,
                                        cby, now
                                    ],
                                    session_from_row,
                                )
                                .optional()
                                .map_err(|e| match constraint_code(&e) {
                                    Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => {
                                        Fail::App(Error::NotFound {
                                            what: "class",
                                            id: class.to_string(),
                                        })
                                    }
                                    _ => Fail::Db(e),
                                })?;
                            out.extend(row);
                        }
                    }
                    tx.commit()?;
                    Ok(out)
                })
                .await?;
            inserted.append(&mut part);
        }
        Ok(inserted)
    }

    async fn delete_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let chunk = chunk.to_vec();
            let mut part = self
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let marks = vec!["?"; chunk.len()].join(",");
                    let sql = format!(
                        "DELETE FROM teaching_sessions WHERE id IN ({marks}) \
                         RETURNING {SESSION_COLUMNS}"
                    );
                    let rows = {
                        let mut stmt = tx.prepare(&sql)?;
                        stmt.query_map(rusqlite::params_from_iter(chunk.iter()), session_from_row)?
                            .collect::<rusqlite::Result<Vec<_>>>()?
                    };
                    tx.commit()?;
                    Ok(rows)
                })
                .await?;
            done.append(&mut part);
        }
        done.sort_by_key(|s| s.id);
        Ok(done)
    }

    async fn close_sessions(
        &self,
        ids: &[SessionId],
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let closed_at = enc_instant(now, "closing time")?;
        let mut done = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let chunk = chunk.to_vec();
            let closed_at = closed_at.clone();
            let mut part = self
                .call(move |conn| {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let marks = vec!["?"; chunk.len()].join(",");
                    let sql = format!(
                        "UPDATE teaching_sessions \
                         SET status = 'Closed', closed_at = ?, closed_by = ?, updated_at = ? \
                         WHERE status = 'Open' AND id IN ({marks}) RETURNING {SESSION_COLUMNS}"
                    );
                    let mut args: Vec<Value> = vec![
                        Value::Text(closed_at.clone()),
                        Value::Text(closed_by.as_str().to_string()),
                        Value::Text(db_now()),
                    ];
                    args.extend(chunk.iter().map(|id| Value::Integer(*id)));
                    let rows = {
                        let mut stmt = tx.prepare(&sql)?;
                        stmt.query_map(rusqlite::params_from_iter(args.iter()), session_from_row)?
                            .collect::<rusqlite::Result<Vec<_>>>()?
                    };
                    tx.commit()?;
                    Ok(rows)
                })
                .await?;
            done.append(&mut part);
        }
        done.sort_by_key(|s| s.id);
        Ok(done)
    }

    async fn add_holiday(
        &self,
        name: &str,
        first_date: NaiveDate,
        last_date: NaiveDate,
    ) -> Result<Holiday> {
        let args = (
            name.to_string(),
            enc_date(first_date)?,
            enc_date(last_date)?,
        );
        self.call(move |conn| {
            let sql = format!(
                "INSERT INTO holidays (name, first_date, last_date, created_at) \
                 VALUES (?1, ?2, ?3, ?4) RETURNING {HOLIDAY_COLUMNS}"
            );
            Ok(conn
                .prepare_cached(&sql)?
                .query_row(params![args.0, args.1, args.2, db_now()], holiday_from_row)?)
        })
        .await
    }

    async fn list_holidays(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Holiday>> {
        let from = from.map(enc_date).transpose()?;
        let to = to.map(enc_date).transpose()?;
        self.call(move |conn| {
            let sql = format!(
                "SELECT {HOLIDAY_COLUMNS} FROM holidays \
                 WHERE (?1 IS NULL OR last_date >= ?1) AND (?2 IS NULL OR first_date <= ?2) \
                 ORDER BY first_date, id"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![from, to], holiday_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn delete_holiday(&self, id: i64) -> Result<Option<Holiday>> {
        self.call(move |conn| {
            let sql = format!("DELETE FROM holidays WHERE id = ?1 RETURNING {HOLIDAY_COLUMNS}");
            Ok(conn
                .prepare_cached(&sql)?
                .query_row([id], holiday_from_row)
                .optional()?)
        })
        .await
    }

    async fn get_sessions(&self, ids: &[SessionId]) -> Result<Vec<TeachingSession>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.call(move |conn| {
            // One read transaction: every chunk sees the same snapshot.
            let tx = conn.transaction()?;
            let mut found = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(IDS_PER_QUERY) {
                let marks = vec!["?"; chunk.len()].join(", ");
                let sql = format!(
                    "SELECT {SESSION_COLUMNS} FROM teaching_sessions WHERE id IN ({marks}) \
                     ORDER BY id"
                );
                let mut stmt = tx.prepare(&sql)?;
                let rows = stmt.query_map(params_from_iter(chunk.iter()), session_from_row)?;
                for row in rows {
                    found.push(row?);
                }
            }
            drop(tx);
            Ok(found)
        })
        .await
    }

    async fn list_sessions(
        &self,
        filter: &SessionFilter,
        after: Option<&Cursor>,
        limit: usize,
        with_total: bool,
    ) -> Result<SessionPage> {
        let limit = limit.clamp(1, PAGE_SIZE);
        let (terms, args) = filter_terms(filter)?;
        let count_sql = format!(
            "SELECT count(*) FROM teaching_sessions{}",
            where_clause(&terms)
        );
        let mut page_terms = terms;
        let mut page_args = args.clone();
        if let Some(c) = after {
            // Row-value comparison: strictly after the cursor in list order, and SQLite
            // seeks the (session_date, start_time, id) index to it.
            page_terms.push("(session_date, start_time, id) > (?, ?, ?)");
            page_args.push(Value::Text(enc_date(c.session_date)?));
            page_args.push(Value::Text(enc_time(c.start_time)));
            page_args.push(Value::Integer(c.id));
        }
        page_args.push(Value::Integer(sql_limit(limit)));
        let page_sql = format!(
            "SELECT {SESSION_COLUMNS} FROM teaching_sessions{} \
             ORDER BY session_date, start_time, id LIMIT ?",
            where_clause(&page_terms)
        );
        self.call(move |conn| {
            // The page and its total come from the same snapshot.
            let tx = conn.transaction()?;
            let rows = {
                let mut stmt = tx.prepare_cached(&page_sql)?;
                let rows = stmt.query_map(params_from_iter(page_args.iter()), session_from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            let total = if with_total {
                let n: i64 = tx
                    .prepare_cached(&count_sql)?
                    .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
                Some(u64::try_from(n).unwrap_or(0))
            } else {
                None
            };
            drop(tx);
            let next = rows.last().map(Cursor::after);
            Ok(SessionPage {
                rows,
                total,
                skipped: Vec::new(),
                next,
            })
        })
        .await
    }

    async fn close_if_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        self.close_open(id, closed_by, now, due_by, None).await
    }

    async fn close_if_planned(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: DateTime<Utc>,
        planned: DateTime<Utc>,
    ) -> Result<Option<TeachingSession>> {
        self.close_open(id, closed_by, now, Some(due_by), Some(planned))
            .await
    }

    async fn close_overdue(
        &self,
        cutoff: OverdueCutoff,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<OverdueClosed> {
        if limit == 0 {
            return Ok(OverdueClosed::default());
        }
        // SQLite enforces every constraint on every row (nothing is NOT VALID here), so a
        // close cannot fail for one row: `failed` stays empty.
        let latest = enc_instant(cutoff.planned.max(cutoff.unplanned), "due time")?;
        let planned = enc_instant(cutoff.planned, "due time")?;
        let unplanned = enc_instant(cutoff.unplanned, "due time")?;
        let closed_at = enc_instant(now, "closing time")?;
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // The oldest `limit` overdue sessions, chosen and closed in one statement under
            // the write lock: a concurrent closer either sees them Closed or is not there yet.
            let mut closed: Vec<(String, SessionId)> = {
                let mut stmt = tx.prepare_cached(
                    "UPDATE teaching_sessions \
                     SET status = 'Closed', closed_at = ?2, closed_by = ?3, updated_at = ?4 \
                     WHERE status = 'Open' AND id IN ( \
                         SELECT id FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at <= ?1 \
                           AND (closes_at <= ?6 OR (closes_at <= ?7 AND \
                                (scheduled_task_id IS NULL OR scheduled_task_id LIKE 'claim:%'))) \
                         ORDER BY closes_at, id LIMIT ?5) \
                     RETURNING closes_at, id",
                )?;
                let rows = stmt.query_map(
                    params![
                        latest,
                        closed_at,
                        closed_by.as_str(),
                        db_now(),
                        sql_limit(limit),
                        planned,
                        unplanned
                    ],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            tx.commit()?;
            // RETURNING has no defined order; report them oldest first.
            closed.sort();
            Ok(OverdueClosed {
                closed: closed.into_iter().map(|(_, id)| id).collect(),
                failed: Vec::new(),
            })
        })
        .await
    }

    async fn delete_session(&self, id: SessionId) -> Result<Option<TeachingSession>> {
        self.trace_write(StoreWrite::Delete(id));
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let sql =
                format!("DELETE FROM teaching_sessions WHERE id = ?1 RETURNING {SESSION_COLUMNS}");
            let deleted = tx
                .prepare_cached(&sql)?
                .query_row([id], session_from_row)
                .optional()?;
            tx.commit()?;
            Ok(deleted)
        })
        .await
    }

    async fn swap_scheduled_task(
        &self,
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Result<Option<TeachingSession>> {
        self.trace_write(StoreWrite::SwapScheduledTask { id, expected, new });
        let expected = expected.map(str::to_string);
        let new = new.map(str::to_string);
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // `IS` compares NULL with NULL as equal: expected None means "still unset".
            let sql = format!(
                "UPDATE teaching_sessions SET scheduled_task_id = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND scheduled_task_id IS ?2 RETURNING {SESSION_COLUMNS}"
            );
            let swapped = tx
                .prepare_cached(&sql)?
                .query_row(params![id, expected, new, db_now()], session_from_row)
                .optional()?;
            tx.commit()?;
            Ok(swapped)
        })
        .await
    }

    async fn claim_for_planning(
        &self,
        candidates: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let wanted: Vec<(SessionId, Option<String>)> = candidates
            .iter()
            .map(|s| (s.id, s.scheduled_task_id.clone()))
            .collect();
        let claim = claim.to_string();
        let after = enc_instant(after, "time")?;
        self.call(move |conn| {
            // One transaction for the chunk: one write lock, one fsync.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut claimed = Vec::with_capacity(wanted.len());
            {
                let sql = format!(
                    "UPDATE teaching_sessions SET scheduled_task_id = ?3, updated_at = ?4 \
                     WHERE id = ?1 AND status = 'Open' AND closes_at > ?5 \
                       AND (scheduled_task_id IS ?2 OR scheduled_task_id = ?3) \
                     RETURNING {SESSION_COLUMNS}"
                );
                let mut stmt = tx.prepare_cached(&sql)?;
                let now = db_now();
                for (id, held) in &wanted {
                    if let Some(row) = stmt
                        .query_row(params![id, held, claim, now, after], session_from_row)
                        .optional()?
                    {
                        claimed.push(row);
                    }
                }
            }
            tx.commit()?;
            Ok(claimed)
        })
        .await
    }

    async fn store_run_ids(
        &self,
        claim: &str,
        runs: &[(SessionId, String)],
    ) -> Result<Vec<SessionId>> {
        let runs = runs.to_vec();
        let claim = claim.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut stored = Vec::with_capacity(runs.len());
            {
                let mut stmt = tx.prepare_cached(
                    "UPDATE teaching_sessions SET scheduled_task_id = ?2, updated_at = ?4 \
                     WHERE id = ?1 AND (scheduled_task_id = ?3 OR scheduled_task_id = ?2)",
                )?;
                let now = db_now();
                for (id, run) in &runs {
                    if stmt.execute(params![id, run, claim, now])? > 0 {
                        stored.push(*id);
                    }
                }
            }
            tx.commit()?;
            Ok(stored)
        })
        .await
    }

    async fn release_claim(&self, claim: &str, ids: &[SessionId]) -> Result<()> {
        let ids = ids.to_vec();
        let claim = claim.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut stmt = tx.prepare_cached(
                    "UPDATE teaching_sessions SET scheduled_task_id = NULL, updated_at = ?3 \
                     WHERE id = ?1 AND scheduled_task_id = ?2",
                )?;
                let now = db_now();
                for id in &ids {
                    stmt.execute(params![id, claim, now])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn update_times(
        &self,
        id: SessionId,
        update: &TimesUpdate,
    ) -> Result<Option<TeachingSession>> {
        self.trace_write(StoreWrite::UpdateTimes { id, update });
        let t = &update.times;
        let (date, start) = (t.session_date, t.start_time);
        let args = (
            update.expected_status.as_str(),
            enc_date(date)?,
            enc_time(start),
            enc_time(t.end_time),
            t.timezone.clone(),
            enc_instant(t.closes_at, "closing instant")?,
            update.reopen,
        );
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let (_, date_s, start_s, end_s, _, _, _) = &args;
                let own: Option<(i64, bool)> = tx
                    .query_row(
                        "SELECT class_id, allow_overlap FROM teaching_sessions WHERE id = ?1",
                        params![id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                if let Some((class, false)) = own
                    && let Some(other) = overlapping(&tx, class, date_s, start_s, end_s, Some(id))?
                {
                    return Err(Fail::App(other));
                }
            }
            let sql = format!(
                "UPDATE teaching_sessions \
                 SET session_date = ?3, start_time = ?4, end_time = ?5, timezone = ?6, \
                     closes_at = ?7, updated_at = ?8, \
                     status = CASE WHEN ?9 THEN 'Open' ELSE status END, \
                     closed_at = CASE WHEN ?9 THEN NULL ELSE closed_at END, \
                     closed_by = CASE WHEN ?9 THEN NULL ELSE closed_by END \
                 WHERE id = ?1 AND status = ?2 RETURNING {SESSION_COLUMNS}"
            );
            let (expected, date_s, start_s, end_s, zone, closes, reopen) = &args;
            let updated = tx
                .prepare_cached(&sql)?
                .query_row(
                    params![
                        id,
                        expected,
                        date_s,
                        start_s,
                        end_s,
                        zone,
                        closes,
                        db_now(),
                        reopen
                    ],
                    session_from_row,
                )
                .optional()
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        // Word for word what the PostgREST store says in this case.
                        Fail::App(Error::Conflict(format!(
                            "session {id}'s class already has a session on {date} starting at {}",
                            start.format(TIME_FORMAT)
                        )))
                    } else {
                        Fail::Db(e)
                    }
                })?;
            tx.commit()?;
            Ok(updated)
        })
        .await
    }

    async fn unscheduled_open(
        &self,
        after: DateTime<Utc>,
        stale_claims_before: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        let after = enc_instant(after, "instant")?;
        let stale = enc_instant(stale_claims_before, "instant")?;
        let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
        // GLOB, not LIKE: LIKE ignores ASCII case in SQLite, PostgreSQL's LIKE does not.
        let claim = format!("{CLAIM_PREFIX}*");
        let run = uuid_glob();
        let local_run = format!("{LOCAL_RUN_PREFIX}*");
        self.call(move |conn| {
            // The third branch is `TaskRef::Legacy`: set, and neither a claim nor a run id.
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM teaching_sessions \
                 WHERE status = 'Open' AND closes_at > ?1 \
                   AND (scheduled_task_id IS NULL \
                        OR (scheduled_task_id GLOB ?3 AND updated_at < ?2) \
                        OR (scheduled_task_id NOT GLOB ?3 AND scheduled_task_id NOT GLOB ?5 \
                            AND scheduled_task_id NOT GLOB ?6)) \
                 ORDER BY closes_at, id LIMIT ?4"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![after, stale, claim, limit, run, local_run],
                session_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn next_closing(&self, after: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        let path = self.inner.path.clone();
        let after = enc_instant(after, "time")?;
        self.call(move |conn| {
            let next: Option<String> = conn
                .prepare_cached(
                    "SELECT min(closes_at) FROM teaching_sessions \
                     WHERE status = 'Open' AND closes_at > ?1",
                )?
                .query_row([&after], |r| r.get(0))?;
            next.map(|raw| {
                parse_instant(&raw).ok_or_else(|| {
                    Fail::App(Error::Backend(format!(
                        "the local data file {} holds a value attctl cannot read: closes_at {raw:?}",
                        path.display()
                    )))
                })
            })
            .transpose()
        })
        .await
    }

    async fn run_health(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<crate::store::RunHealth> {
        let since = enc_instant(since, "time")?;
        let until = enc_instant(until, "time")?;
        self.call(move |conn| {
            let (taken, missed): (i64, i64) = conn
                .prepare_cached(
                    "SELECT \
                       coalesce(sum(closed_by = 'auto'), 0), \
                       coalesce(sum(scheduled_task_id GLOB \
                         '????????-????-????-????-????????????' \
                         AND (status = 'Open' OR closed_by = 'sweep')), 0) \
                     FROM teaching_sessions WHERE closes_at >= ?1 AND closes_at <= ?2",
                )?
                .query_row([&since, &until], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(crate::store::RunHealth {
                taken: taken.max(0) as u64,
                missed: missed.max(0) as u64,
            })
        })
        .await
    }

    async fn closure_report(&self, query: &ClosureQuery) -> Result<ClosureFigures> {
        let sql = closure_report_sql(query.by);
        let from = query.from.map(enc_date).transpose()?;
        let to = query.to.map(enc_date).transpose()?;
        let class_id = query.class_id;
        let now = enc_instant(query.now, "time")?;
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows =
                stmt.query_map(params![from, to, class_id, now, 0.5_f64, 0.95_f64], |r| {
                    let count = |i: usize| -> rusqlite::Result<u64> {
                        Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
                    };
                    let stats = ClosureStats {
                        sessions: count(2)?,
                        closed_manual: count(3)?,
                        closed_auto: count(4)?,
                        closed_sweep: count(5)?,
                        open_past_end: count(6)?,
                        open_upcoming: count(7)?,
                        auto_lag_p50_s: r.get(8)?,
                        auto_lag_p95_s: r.get(9)?,
                        auto_lag_max_s: r.get(10)?,
                        manual_early: count(11)?,
                        manual_early_median_min: r.get(12)?,
                        closed_unrecorded: count(13)?,
                    };
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, stats))
                })?;
            let mut figures = ClosureFigures::default();
            for row in rows {
                let (level, group, stats) = row?;
                if level == 0 {
                    figures.groups.push(ClosureGroup { group, stats });
                } else {
                    figures.total = stats;
                }
            }
            Ok(figures)
        })
        .await
    }

    async fn open_past_end(
        &self,
        before: DateTime<Utc>,
        class_id: Option<crate::session::ClassId>,
        after_id: Option<SessionId>,
        limit: usize,
    ) -> Result<Vec<TeachingSession>> {
        let before = enc_instant(before, "time")?;
        let limit = sql_limit(limit.clamp(1, PAGE_SIZE));
        self.call(move |conn| {
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM teaching_sessions \
                 WHERE status = 'Open' AND closes_at <= ?1 AND id > ?2 \
                   AND (?4 IS NULL OR class_id = ?4) ORDER BY id LIMIT ?3"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![before, after_id.unwrap_or(i64::MIN), limit, class_id],
                session_from_row,
            )?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn list_events(&self, filter: &EventFilter, limit: usize) -> Result<Vec<EventRecord>> {
        let since = filter
            .since
            .map(|t| enc_instant(t, "--since"))
            .transpose()?;
        let kind = filter.kind.clone();
        let state = filter.state.clone();
        let limit = sql_limit(limit);
        self.call(move |conn| {
            let sql = format!(
                "SELECT {EVENT_COLUMNS} FROM session_events \
                 WHERE (?1 IS NULL OR occurred_at >= ?1) AND (?2 IS NULL OR type = ?2) \
                   AND (?3 IS NULL OR state = ?3) \
                 ORDER BY occurred_at, id LIMIT ?4"
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![since, kind, state, limit], event_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn claim_events(
        &self,
        worker: &str,
        lease_seconds: u32,
        max: usize,
        types: &[String],
    ) -> Result<Vec<EventRecord>> {
        let worker = worker.to_string();
        let types = serde_json::to_string(types)
            .map_err(|e| Error::Backend(format!("cannot encode event types: {e}")))?;
        let limit = sql_limit(max);
        let lease = i64::from(lease_seconds);
        self.call(move |conn| {
            let now = Utc::now();
            let now_s = now.format(INSTANT_FORMAT).to_string();
            let until = (now + chrono::Duration::seconds(lease))
                .format(INSTANT_FORMAT)
                .to_string();
            // One write transaction: the file lock makes two workers' claims disjoint.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE session_events SET state = 'delivered', delivered_at = ?1, \
                     claimed_by = NULL, claimed_until = NULL \
                 WHERE state = 'pending' AND type NOT IN (SELECT value FROM json_each(?2))",
                params![now_s, types],
            )?;
            let sql = format!(
                "UPDATE session_events SET claimed_by = ?1, claimed_until = ?2 \
                 WHERE id IN (SELECT id FROM session_events \
                              WHERE state = 'pending' AND next_attempt_at <= ?3 \
                                AND (claimed_until IS NULL OR claimed_until < ?3) \
                              ORDER BY next_attempt_at, occurred_at LIMIT ?4) \
                 RETURNING {EVENT_COLUMNS}"
            );
            let claimed = {
                let mut stmt = tx.prepare_cached(&sql)?;
                let rows = stmt.query_map(params![worker, until, now_s, limit], event_from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            tx.commit()?;
            Ok(claimed)
        })
        .await
    }

    async fn finish_event(&self, id: &str, worker: &str, outcome: &EventOutcome) -> Result<bool> {
        let id = id.to_string();
        let worker = worker.to_string();
        let state = outcome.state.clone();
        let deliveries = outcome.deliveries.to_string();
        let attempts = outcome.attempts;
        let next = enc_instant(outcome.next_attempt_at, "next attempt")?;
        let error = outcome.last_error.clone();
        let delivered = outcome
            .delivered_at
            .map(|t| enc_instant(t, "delivered_at"))
            .transpose()?;
        self.call(move |conn| {
            let n = conn
                .prepare_cached(
                    "UPDATE session_events SET state = ?3, deliveries = ?4, attempts = ?5, \
                         next_attempt_at = ?6, last_error = ?7, delivered_at = ?8, \
                         claimed_by = NULL, claimed_until = NULL \
                     WHERE id = ?1 AND claimed_by = ?2",
                )?
                .execute(params![
                    id, worker, state, deliveries, attempts, next, error, delivered
                ])?;
            Ok(n == 1)
        })
        .await
    }

    async fn retry_events(&self, which: &RetrySelection) -> Result<Vec<String>> {
        let which = which.clone();
        self.call(move |conn| {
            let now = db_now();
            let (cond, arg) = match &which {
                RetrySelection::One(id) => ("id = ?2", Some(id.clone())),
                RetrySelection::AllFailed => ("state = 'failed' AND ?2 IS NULL", None),
            };
            let sql = format!(
                "UPDATE session_events SET state = 'pending', next_attempt_at = ?1, \
                     attempts = 0, claimed_by = NULL, claimed_until = NULL, delivered_at = NULL \
                 WHERE {cond} RETURNING id"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params![now, arg], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .await
    }

    async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let before = enc_instant(before, "retention cutoff")?;
        self.call(move |conn| {
            let n = conn
                .prepare_cached(
                    "DELETE FROM session_events WHERE state = 'delivered' AND occurred_at < ?1",
                )?
                .execute([&before])?;
            Ok(u64::try_from(n).unwrap_or(u64::MAX))
        })
        .await
    }

    async fn record_warning(
        &self,
        id: SessionId,
        offset_seconds: u32,
        closes_at: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let closes = enc_instant(closes_at, "closing instant")?;
        self.call(move |conn| {
            let now = Utc::now();
            let now_s = now.format(INSTANT_FORMAT).to_string();
            let left = (closes_at - now).num_seconds().max(0);
            let recorded = insert_warning(conn, id, offset_seconds, &closes, &now_s, left)?;
            Ok(recorded)
        })
        .await
    }

    async fn record_due_warnings(&self, offsets_seconds: &[u32]) -> Result<Vec<String>> {
        let offsets = offsets_seconds.to_vec();
        if offsets.is_empty() {
            return Ok(Vec::new());
        }
        self.call(move |conn| {
            let now = Utc::now();
            let now_s = now.format(INSTANT_FORMAT).to_string();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut ids = Vec::new();
            for offset in &offsets {
                let until = (now + chrono::Duration::seconds(i64::from(*offset)))
                    .format(INSTANT_FORMAT)
                    .to_string();
                let due: Vec<(SessionId, String)> = {
                    let mut stmt = tx.prepare_cached(
                        "SELECT id, closes_at FROM teaching_sessions \
                         WHERE status = 'Open' AND closes_at > ?1 AND closes_at <= ?2",
                    )?;
                    let rows =
                        stmt.query_map(params![now_s, until], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<rusqlite::Result<Vec<_>>>()?
                };
                for (id, closes) in due {
                    let left = parse_instant(&closes)
                        .map(|c| (c - now).num_seconds().max(0))
                        .unwrap_or(0);
                    if let Some(new_id) = insert_warning(&tx, id, *offset, &closes, &now_s, left)? {
                        ids.push(new_id);
                    }
                }
            }
            tx.commit()?;
            Ok(ids)
        })
        .await
    }
}

impl SqliteStore {
    /// The conditional close: Open, due by `due_by` if given, and still closing at
    /// `planned` if given (instants are stored in one fixed format, so equality holds).
    async fn close_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
        planned: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        if planned.is_none() {
            self.trace_write(StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            });
        }
        let closed_at = enc_instant(now, "closing time")?;
        let due_by = due_by.map(|d| enc_instant(d, "due time")).transpose()?;
        let planned = planned
            .map(|d| enc_instant(d, "planned closing time"))
            .transpose()?;
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let sql = format!(
                "UPDATE teaching_sessions \
                 SET status = 'Closed', closed_at = ?2, closed_by = ?3, updated_at = ?4 \
                 WHERE id = ?1 AND status = 'Open' AND (?5 IS NULL OR closes_at <= ?5) \
                 AND (?6 IS NULL OR closes_at = ?6) \
                 RETURNING {SESSION_COLUMNS}"
            );
            let closed = tx
                .prepare_cached(&sql)?
                .query_row(
                    params![id, closed_at, closed_by.as_str(), db_now(), due_by, planned],
                    session_from_row,
                )
                .optional()?;
            tx.commit()?;
            Ok(closed)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionTimes;
    use chrono::{Duration as Span, Timelike};
    use std::collections::HashSet;

    #[tokio::test]
    async fn version_1_files_gain_holidays_and_keep_their_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let raw = Connection::open(&path).unwrap();
            raw.execute_batch(SCHEMA_V1).unwrap();
            raw.pragma_update(None, "user_version", 1).unwrap();
            raw.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let class = class(&store, "A").await;
        store
            .insert_session(&session(class, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let h = store
            .add_holiday("Half term", d("2024-02-12"), d("2024-02-16"))
            .await
            .unwrap();
        assert_eq!(
            store
                .list_holidays(Some(d("2024-02-16")), None)
                .await
                .unwrap(),
            vec![h.clone()]
        );
        assert!(
            store
                .list_holidays(Some(d("2024-02-17")), None)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.delete_holiday(h.id).await.unwrap(), Some(h));
        let raw = Connection::open(&path).unwrap();
        let version: i64 = raw
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[tokio::test]
    async fn insert_sessions_skips_existing_and_keeps_history() {
        let (_dir, store) = temp_store();
        let class = class(&store, "A").await;
        let first = session(class, "2024-01-15", "08:00:00", "09:00:00");
        store.insert_session(&first).await.unwrap();
        let mut closed = session(class, "2024-01-16", "08:00:00", "09:00:00");
        let at = d("2024-01-16").and_time(t("09:00:05")).and_utc();
        closed.closed = Some(crate::session::ClosedHistory {
            status: Status::Closed,
            closed_at: Some(at),
            closed_by: Some(ClosedBy::Auto),
        });
        let rows = store
            .insert_sessions(&[
                first,
                closed,
                session(class, "2024-01-17", "08:00:00", "09:00:00"),
            ])
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "the existing session is skipped");
        assert_eq!(rows[0].status, Status::Closed);
        assert_eq!(rows[0].closed_at, Some(at));
        assert_eq!(rows[0].closed_by, Some(ClosedBy::Auto));
        assert_eq!(rows[1].status, Status::Open);
        let closed = store
            .close_sessions(&[rows[0].id, rows[1].id], ClosedBy::Manual, at)
            .await
            .unwrap();
        assert_eq!(closed.len(), 1, "only the Open one is closed");
        let gone = store
            .delete_sessions(&[rows[0].id, rows[1].id, 999])
            .await
            .unwrap();
        assert_eq!(gone.len(), 2);
    }

    fn temp_store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("data").join("attctl.db")).unwrap();
        (dir, store)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// A UTC session; its closing instant is its end.
    fn session(class_id: i64, date: &str, start: &str, end: &str) -> NewSession {
        let (date, end) = (d(date), t(end));
        NewSession {
            class_id,
            session_date: date,
            start_time: t(start),
            end_time: end,
            timezone: "UTC".into(),
            closes_at: date.and_time(end).and_utc(),
            scheduled_task_id: None,
            // The store's other rules are tested with overlapping sessions; the overlap rule
            // has its own test.
            allow_overlap: true,
            closed: None,
        }
    }

    fn times(s: &NewSession) -> SessionTimes {
        SessionTimes {
            session_date: s.session_date,
            start_time: s.start_time,
            end_time: s.end_time,
            timezone: s.timezone.clone(),
            closes_at: s.closes_at,
        }
    }

    async fn class(store: &SqliteStore, name: &str) -> i64 {
        store.create_class(name).await.unwrap().id
    }

    #[tokio::test]
    async fn overlaps_of_one_class_are_refused_unless_allowed() {
        let (_dir, store) = temp_store();
        let a = class(&store, "A").await;
        let b = class(&store, "B").await;
        let strict = |class, start: &str, end: &str| NewSession {
            allow_overlap: false,
            ..session(class, "2030-01-15", start, end)
        };
        let first = store
            .insert_session(&strict(a, "08:00:00", "09:00:00"))
            .await
            .unwrap();
        match store
            .insert_session(&strict(a, "08:30:00", "09:30:00"))
            .await
        {
            Err(Error::Conflict(m)) => assert!(m.contains(&format!("session {}", first.id)), "{m}"),
            other => panic!("expected an overlap conflict, got {other:?}"),
        }
        // Adjacent, another class, or explicitly allowed: accepted.
        let next = store
            .insert_session(&strict(a, "09:00:00", "10:00:00"))
            .await
            .unwrap();
        store
            .insert_session(&strict(b, "08:30:00", "09:30:00"))
            .await
            .unwrap();
        store
            .insert_session(&session(a, "2030-01-15", "08:30:00", "09:30:00"))
            .await
            .unwrap();
        // Moving a session onto another is refused too; moving it within its own time is not.
        let onto = TimesUpdate {
            times: times(&strict(a, "08:15:00", "09:15:00")),
            expected_status: Status::Open,
            reopen: false,
        };
        assert!(matches!(
            store.update_times(next.id, &onto).await,
            Err(Error::Conflict(_))
        ));
        let within = TimesUpdate {
            times: times(&strict(a, "09:00:00", "09:50:00")),
            expected_status: Status::Open,
            reopen: false,
        };
        assert!(
            store
                .update_times(next.id, &within)
                .await
                .unwrap()
                .is_some()
        );
    }

    #[tokio::test]
    async fn a_version_1_file_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO classes (id, name, created_at) \
                     VALUES (1, 'A', '2026-01-01T00:00:00.000000Z'); \
                 INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                     timezone, closes_at, created_at, updated_at) \
                     VALUES (1, '2030-01-15', '08:00:00', '09:00:00', 'UTC', \
                     '2030-01-15T09:00:00.000000Z', '2026-01-01T00:00:00.000000Z', \
                     '2026-01-01T00:00:00.000000Z');",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let a = 1;
        assert_eq!(store.get_sessions(&[1]).await.unwrap().len(), 1);
        let strict = NewSession {
            allow_overlap: false,
            ..session(a, "2030-01-15", "08:30:00", "09:30:00")
        };
        // The old row does not ask to overlap (column default): the new one is refused.
        assert!(matches!(
            store.insert_session(&strict).await,
            Err(Error::Conflict(_))
        ));
    }

    #[tokio::test]
    async fn session_round_trips_with_microseconds() {
        let (_dir, store) = temp_store();
        assert_eq!(store.backend(), "local");
        let class_id = class(&store, "Year 7 (A)").await;
        let mut new = session(class_id, "2024-03-31", "08:00:00", "09:30:00");
        new.timezone = "Europe/London".into();
        new.closes_at = at("2024-03-31T08:30:00.654321Z");
        let before = Utc::now() - Span::seconds(1);
        let created = store.insert_session(&new).await.unwrap();
        assert!(created.id > 0);
        assert_eq!(created.class_id, class_id);
        assert_eq!(created.session_date, new.session_date);
        assert_eq!(created.start_time, new.start_time);
        assert_eq!(created.end_time, new.end_time);
        assert_eq!(created.status, Status::Open);
        assert_eq!(created.scheduled_task_id, None);
        assert_eq!(created.timezone, "Europe/London");
        assert_eq!(created.closes_at, new.closes_at);
        assert_eq!((created.closed_at, created.closed_by), (None, None));
        assert!(created.created_at >= before && created.created_at <= Utc::now());
        assert_eq!(created.created_at, created.updated_at);
        assert_eq!(created.created_at.nanosecond() % 1000, 0);

        let fetched = store.get_sessions(&[created.id]).await.unwrap();
        assert_eq!(fetched, vec![created.clone()]);

        // Nanoseconds are cut to microseconds, as timestamptz does; microseconds survive.
        let now = at("2024-03-31T08:31:02.123456789Z");
        let closed = store
            .close_if_open(created.id, ClosedBy::Manual, now, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(closed.closed_at, Some(at("2024-03-31T08:31:02.123456Z")));
        assert_eq!(closed.closed_by, Some(ClosedBy::Manual));
        assert_eq!(closed.status, Status::Closed);
        assert_eq!(closed.created_at, created.created_at);
        assert!(closed.updated_at >= created.updated_at);
        assert_eq!(
            store.get_sessions(&[created.id]).await.unwrap(),
            vec![closed.clone()]
        );

        // The JSON contract is the same as for rows that come from PostgREST.
        let json = serde_json::to_value(&closed).unwrap();
        assert_eq!(json["closes_at"], "2024-03-31T08:30:00.654321Z");
        assert_eq!(json["start_time"], "08:00:00");
    }

    #[tokio::test]
    async fn classes_are_found_by_id_and_exact_name() {
        let (_dir, store) = temp_store();
        let a = store.create_class("Maths 1").await.unwrap();
        let b = store.create_class("maths 1").await.unwrap();
        assert_eq!(
            store.list_classes().await.unwrap(),
            vec![a.clone(), b.clone()]
        );
        let by_id = store.find_class(&ClassRef::Id(b.id)).await.unwrap();
        assert_eq!(by_id, Some(b));
        let by_name = store
            .find_class(&ClassRef::Name("Maths 1".into()))
            .await
            .unwrap();
        assert_eq!(by_name, Some(a));
        assert_eq!(store.find_class(&ClassRef::Id(99)).await.unwrap(), None);
        assert_eq!(
            store
                .find_class(&ClassRef::Name("Maths".into()))
                .await
                .unwrap(),
            None
        );

        let dup = store.create_class("Maths 1").await.unwrap_err();
        assert!(matches!(dup, Error::Conflict(_)), "{dup:?}");
        assert_eq!(dup.to_string(), r#"a class named "Maths 1" already exists"#);
        for bad in ["   ", &"x".repeat(201)] {
            let err = store.create_class(bad).await.unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{err:?}");
            assert!(
                err.to_string().starts_with("rejected by the database: "),
                "{err}"
            );
        }
        // 200 characters (not bytes) is the bound, as char_length in PostgreSQL.
        store.create_class(&"é".repeat(200)).await.unwrap();
    }

    #[tokio::test]
    async fn insert_errors_match_the_postgrest_store() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");
        store.insert_session(&new).await.unwrap();

        let dup = store.insert_session(&new).await.unwrap_err();
        assert!(matches!(dup, Error::Conflict(_)), "{dup:?}");
        assert_eq!(
            dup.to_string(),
            format!("class {class_id} already has a session on 2024-01-15 starting at 08:00:00")
        );

        let orphan = store
            .insert_session(&session(999, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap_err();
        match orphan {
            Error::NotFound { what, id } => assert_eq!((what, id.as_str()), ("class", "999")),
            other => panic!("{other:?}"),
        }

        for (start, end) in [("09:00:00", "09:00:00"), ("10:00:00", "09:00:00")] {
            let err = store
                .insert_session(&session(class_id, "2024-01-16", start, end))
                .await
                .unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{err:?}");
            assert!(
                err.to_string()
                    .contains("teaching_sessions_time_order_check"),
                "{err}"
            );
        }
    }

    #[tokio::test]
    async fn timezone_names_are_checked_like_the_migration() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let zones_ok = [
            "UTC",
            "Europe/London",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+5",
        ];
        for (i, zone) in zones_ok.into_iter().enumerate() {
            let mut new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");
            new.start_time = t(&format!("0{i}:00:00"));
            new.timezone = zone.into();
            store.insert_session(&new).await.unwrap();
        }
        let zones_bad = [
            "CET",
            "UTC+2",
            "Europe//London",
            "Europe/",
            "/London",
            "Eur0pe/London",
            "Europe/Lon don",
            "",
        ];
        for zone in zones_bad {
            let mut new = session(class_id, "2024-01-16", "08:00:00", "09:00:00");
            new.timezone = zone.into();
            let err = store.insert_session(&new).await.unwrap_err();
            assert!(matches!(err, Error::Invalid(_)), "{zone:?}: {err:?}");
        }
    }

    #[tokio::test]
    async fn close_if_open_closes_once_and_respects_due_by() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let s = store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let closes = s.closes_at;
        let now = closes + Span::seconds(3);

        // Not yet due: a run that fired early must not close it.
        let early = closes - Span::microseconds(1);
        assert!(
            store
                .close_if_open(s.id, ClosedBy::Auto, now, Some(early))
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.get_sessions(&[s.id]).await.unwrap()[0].is_open());

        // Due exactly at its closing instant.
        let closed = store
            .close_if_open(s.id, ClosedBy::Auto, now, Some(closes))
            .await
            .unwrap();
        assert_eq!(
            closed.map(|c| (c.status, c.closed_by)),
            Some((Status::Closed, Some(ClosedBy::Auto)))
        );

        // Second close: nothing, and the first close's data stays.
        assert!(
            store
                .close_if_open(s.id, ClosedBy::Manual, now, None)
                .await
                .unwrap()
                .is_none()
        );
        let row = store.get_sessions(&[s.id]).await.unwrap().remove(0);
        assert_eq!(
            (row.closed_by, row.closed_at),
            (Some(ClosedBy::Auto), Some(now))
        );

        assert!(
            store
                .close_if_open(12345, ClosedBy::Manual, now, None)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn close_overdue_works_in_batches_oldest_first() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let mut overdue = Vec::new();
        // Inserted newest first, so id order and closing order differ.
        for i in (0..25).rev() {
            let start = NaiveTime::from_hms_opt(6, 0, 0).unwrap() + Span::minutes(i * 10);
            let mut new = session(class_id, "2024-01-15", "00:00:00", "00:05:00");
            new.start_time = start;
            new.end_time = start + Span::minutes(5);
            new.closes_at = new.session_date.and_time(new.end_time).and_utc();
            overdue.push(store.insert_session(&new).await.unwrap());
        }
        overdue.sort_by_key(|s| (s.closes_at, s.id));
        let later = store
            .insert_session(&session(class_id, "2024-01-16", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let already = store
            .insert_session(&session(class_id, "2024-01-14", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let manual_at = at("2024-01-14T10:00:00Z");
        store
            .close_if_open(already.id, ClosedBy::Manual, manual_at, None)
            .await
            .unwrap()
            .unwrap();

        let due_by = at("2024-01-15T23:59:59Z");
        let now = at("2024-01-16T00:00:00.000001Z");
        let mut closed = Vec::new();
        let mut batches = Vec::new();
        loop {
            let batch = store
                .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 10)
                .await
                .unwrap()
                .closed;
            batches.push(batch.len());
            closed.extend(batch.iter().copied());
            if batch.len() < 10 {
                break;
            }
        }
        assert_eq!(batches, vec![10, 10, 5]);
        assert_eq!(closed, overdue.iter().map(|s| s.id).collect::<Vec<_>>());
        assert!(
            store
                .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 10)
                .await
                .unwrap()
                .closed
                .is_empty()
        );
        assert!(
            store
                .close_overdue(OverdueCutoff::all(due_by), ClosedBy::Sweep, now, 0)
                .await
                .unwrap()
                .closed
                .is_empty()
        );

        let rows = store.get_sessions(&closed).await.unwrap();
        assert!(
            rows.iter()
                .all(|r| r.closed_by == Some(ClosedBy::Sweep) && r.closed_at == Some(now))
        );
        let rest = store.get_sessions(&[later.id, already.id]).await.unwrap();
        assert!(rest[0].is_open(), "{rest:?}");
        assert_eq!(rest[1].closed_by, Some(ClosedBy::Manual));
        assert_eq!(rest[1].closed_at, Some(manual_at));
    }

    #[tokio::test]
    async fn scheduled_task_is_compare_and_set() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let s = store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let set = store
            .swap_scheduled_task(s.id, None, Some("run-1"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(set.scheduled_task_id.as_deref(), Some("run-1"));
        assert!(set.updated_at >= s.updated_at);
        // Someone else already set it: expected None no longer holds.
        assert!(
            store
                .swap_scheduled_task(s.id, None, Some("run-2"))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .swap_scheduled_task(s.id, Some("run-x"), None)
                .await
                .unwrap()
                .is_none()
        );
        let cleared = store
            .swap_scheduled_task(s.id, Some("run-1"), None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cleared.scheduled_task_id, None);
        assert!(
            store
                .swap_scheduled_task(999, None, Some("run-3"))
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn update_times_checks_status_and_reopens() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let s = store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let other = store
            .insert_session(&session(class_id, "2024-01-15", "10:00:00", "11:00:00"))
            .await
            .unwrap();

        let moved = session(class_id, "2024-01-17", "13:15:00", "14:45:00");
        let update = |new: &NewSession, expected_status, reopen| TimesUpdate {
            times: times(new),
            expected_status,
            reopen,
        };
        // Expected Closed but it is Open: nothing changes.
        assert!(
            store
                .update_times(s.id, &update(&moved, Status::Closed, false))
                .await
                .unwrap()
                .is_none()
        );
        let row = store
            .update_times(s.id, &update(&moved, Status::Open, false))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                row.session_date,
                row.start_time,
                row.end_time,
                row.closes_at,
                row.status
            ),
            (
                moved.session_date,
                moved.start_time,
                moved.end_time,
                moved.closes_at,
                Status::Open
            )
        );

        // Duplicate of another session of the class: Conflict, as PostgREST words it.
        let clash = session(class_id, "2024-01-15", "10:00:00", "10:30:00");
        let err = store
            .update_times(s.id, &update(&clash, Status::Open, false))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Conflict(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "session {}'s class already has a session on 2024-01-15 starting at 10:00:00",
                s.id
            )
        );
        let bad = session(class_id, "2024-01-15", "12:00:00", "11:00:00");
        let err = store
            .update_times(s.id, &update(&bad, Status::Open, false))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{err:?}");

        // Closed: moving without reopening keeps it closed; with reopen it is Open again.
        let now = at("2024-01-20T00:00:00Z");
        store
            .close_if_open(other.id, ClosedBy::Manual, now, None)
            .await
            .unwrap()
            .unwrap();
        let later = session(class_id, "2024-02-01", "10:00:00", "11:00:00");
        let kept = store
            .update_times(other.id, &update(&later, Status::Closed, false))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (kept.status, kept.closed_by, kept.closed_at),
            (Status::Closed, Some(ClosedBy::Manual), Some(now))
        );
        assert!(
            store
                .update_times(other.id, &update(&later, Status::Open, true))
                .await
                .unwrap()
                .is_none()
        );
        let reopened = store
            .update_times(other.id, &update(&later, Status::Closed, true))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (reopened.status, reopened.closed_by, reopened.closed_at),
            (Status::Open, None, None)
        );
        assert!(
            store
                .update_times(999, &update(&later, Status::Open, false))
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn delete_and_get_sessions() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let a = store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let b = store
            .insert_session(&session(class_id, "2024-01-14", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        let got = store.get_sessions(&[b.id, 999, a.id, b.id]).await.unwrap();
        assert_eq!(got, vec![a.clone(), b.clone()]);
        assert!(store.get_sessions(&[]).await.unwrap().is_empty());
        let many: Vec<i64> = (1..=1200).collect();
        assert_eq!(store.get_sessions(&many).await.unwrap().len(), 2);

        assert_eq!(store.delete_session(a.id).await.unwrap(), Some(a.clone()));
        assert_eq!(store.delete_session(a.id).await.unwrap(), None);
        // Ids of deleted sessions are never handed out again.
        let c = store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        assert!(c.id > b.id);
    }

    fn key(s: &TeachingSession) -> (NaiveDate, NaiveTime, i64) {
        (s.session_date, s.start_time, s.id)
    }

    async fn list_all(
        store: &SqliteStore,
        filter: &SessionFilter,
        limit: usize,
    ) -> (Vec<TeachingSession>, usize) {
        let mut all: Vec<TeachingSession> = Vec::new();
        let mut pages = 0;
        loop {
            let cursor = all.last().map(Cursor::after);
            let page = store
                .list_sessions(filter, cursor.as_ref(), limit, pages == 0)
                .await
                .unwrap();
            pages += 1;
            if pages == 1 {
                assert!(page.total.is_some());
            } else {
                assert_eq!(page.total, None);
            }
            let done = page.rows.len() < limit.clamp(1, PAGE_SIZE);
            all.extend(page.rows);
            if done {
                return (all, pages);
            }
        }
    }

    #[tokio::test]
    async fn keyset_paging_over_2500_rows() {
        let (_dir, store) = temp_store();
        let classes = [
            class(&store, "A").await,
            class(&store, "B").await,
            class(&store, "C").await,
        ];
        let base = d("2024-01-01");
        let mut inserted = Vec::new();
        for i in 0..2500i64 {
            // Unique per (class, date, slot); many rows share a (date, start) across classes,
            // so the id tiebreak of the order is exercised.
            let date = base + Span::days(i % 10);
            let start = t("06:00:00") + Span::minutes(i / 30);
            let new = NewSession {
                class_id: classes[(i % 3) as usize],
                session_date: date,
                start_time: start,
                end_time: start + Span::minutes(30),
                timezone: "UTC".into(),
                closes_at: date.and_time(start + Span::minutes(30)).and_utc(),
                scheduled_task_id: None,
                allow_overlap: true,
                closed: None,
            };
            inserted.push(store.insert_session(&new).await.unwrap());
        }
        let mut expected = inserted.clone();
        expected.sort_by_key(key);

        let everything = SessionFilter::default();
        let first = store
            .list_sessions(&everything, None, 1000, true)
            .await
            .unwrap();
        assert_eq!((first.rows.len(), first.total), (1000, Some(2500)));
        for limit in [1000, 333] {
            let (all, pages) = list_all(&store, &everything, limit).await;
            assert_eq!(pages, 2500 / limit + 1);
            assert_eq!(all, expected, "limit {limit}");
            let ids: HashSet<i64> = all.iter().map(|s| s.id).collect();
            assert_eq!(ids.len(), 2500);
        }
        // Limits are clamped to 1..=PAGE_SIZE.
        assert_eq!(
            store
                .list_sessions(&everything, None, 0, false)
                .await
                .unwrap()
                .rows
                .len(),
            1
        );
        assert_eq!(
            store
                .list_sessions(&everything, None, 5000, false)
                .await
                .unwrap()
                .rows
                .len(),
            PAGE_SIZE
        );

        // Filters combined with AND; total counts the whole filter, not the page.
        for s in inserted.iter().filter(|s| s.id % 7 == 0) {
            store
                .close_if_open(s.id, ClosedBy::Manual, Utc::now(), None)
                .await
                .unwrap()
                .unwrap();
        }
        let now_rows: Vec<TeachingSession> = store
            .get_sessions(&inserted.iter().map(|s| s.id).collect::<Vec<_>>())
            .await
            .unwrap();
        let filters = [
            SessionFilter {
                class_id: Some(classes[1]),
                ..Default::default()
            },
            SessionFilter {
                date: Some(base + Span::days(3)),
                ..Default::default()
            },
            SessionFilter {
                from: Some(base + Span::days(2)),
                to: Some(base + Span::days(5)),
                status: Some(Status::Open),
                ..Default::default()
            },
            SessionFilter {
                class_id: Some(classes[2]),
                status: Some(Status::Closed),
                to: Some(base + Span::days(4)),
                ..Default::default()
            },
            SessionFilter {
                class_id: Some(999),
                ..Default::default()
            },
        ];
        for filter in filters {
            let mut want: Vec<TeachingSession> = now_rows
                .iter()
                .filter(|s| {
                    filter.class_id.is_none_or(|c| s.class_id == c)
                        && filter.date.is_none_or(|x| s.session_date == x)
                        && filter.from.is_none_or(|x| s.session_date >= x)
                        && filter.to.is_none_or(|x| s.session_date <= x)
                        && filter.status.is_none_or(|x| s.status == x)
                })
                .cloned()
                .collect();
            want.sort_by_key(key);
            let page = store.list_sessions(&filter, None, 50, true).await.unwrap();
            assert_eq!(page.total, Some(want.len() as u64), "{filter:?}");
            let (all, _) = list_all(&store, &filter, 50).await;
            assert_eq!(all, want, "{filter:?}");
        }
    }

    #[tokio::test]
    async fn unscheduled_open_includes_stale_claims_and_legacy_values() {
        let (_dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        let mut ids = Vec::new();
        for (i, end) in [
            "09:00:00", "09:10:00", "09:20:00", "09:30:00", "09:40:00", "09:50:00", "08:30:00",
            "09:55:00", "09:56:00", "09:57:00",
        ]
        .iter()
        .enumerate()
        {
            let new = session(class_id, "2024-01-15", &format!("{i:02}:00:00"), end);
            ids.push(store.insert_session(&new).await.unwrap().id);
        }
        let [
            none,
            run,
            claim,
            upper_claim,
            closed,
            none_late,
            past,
            hatchet,
            mock,
            local,
        ] = ids[..]
        else {
            unreachable!()
        };
        store
            .swap_scheduled_task(run, None, Some("local-2-1705310000"))
            .await
            .unwrap()
            .unwrap();
        for (id, value) in [
            (hatchet, "8F0B1C2D-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
            (mock, "mock-task-9-1705312620"),
            (local, "local-8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"),
        ] {
            store
                .swap_scheduled_task(id, None, Some(value))
                .await
                .unwrap()
                .unwrap();
        }
        // A legacy value is swapped like any other: compare-and-set on what was read.
        assert!(
            store
                .swap_scheduled_task(mock, Some("mock-task-9-0"), Some("claim:x"))
                .await
                .unwrap()
                .is_none()
        );
        store
            .swap_scheduled_task(claim, None, Some("claim:abc"))
            .await
            .unwrap()
            .unwrap();
        store
            .swap_scheduled_task(upper_claim, None, Some("CLAIM:abc"))
            .await
            .unwrap()
            .unwrap();
        store
            .close_if_open(closed, ClosedBy::Manual, Utc::now(), None)
            .await
            .unwrap()
            .unwrap();
        let after = at("2024-01-15T08:59:59Z"); // `past` closes at 08:30

        // Claims touched just now are fresh: not handed out again. Values that name no
        // run (the original app's `mock-task-…`, a claim in the wrong case) are planned.
        let fresh = store
            .unscheduled_open(after, Utc::now() - Span::hours(1), 100)
            .await
            .unwrap();
        assert_eq!(
            fresh.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![none, upper_claim, none_late, mock]
        );
        for s in &fresh {
            assert_eq!(s.scheduled_run(), None, "{s:?}");
        }
        // Once they are older than the cut-off, the sweep may take them over.
        let stale_before = Utc::now() + Span::seconds(1);
        let stale = store
            .unscheduled_open(after, stale_before, 100)
            .await
            .unwrap();
        assert_eq!(
            stale.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![none, claim, upper_claim, none_late, mock]
        );
        let claimed = store
            .swap_scheduled_task(mock, Some("mock-task-9-1705312620"), Some("claim:x"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.scheduled_task_id.as_deref(), Some("claim:x"));
        let limited = store
            .unscheduled_open(after, stale_before, 2)
            .await
            .unwrap();
        assert_eq!(limited.len(), 2);
        assert!(!stale.iter().any(|s| s.id == past));

        let long_ago = at("2000-01-01T00:00:00Z");
        assert_eq!(
            store.next_closing(long_ago).await.unwrap(),
            Some(at("2024-01-15T08:30:00Z"))
        );
        // Only closing instants after the one given count.
        assert_eq!(
            store
                .next_closing(at("2024-01-15T08:30:00Z"))
                .await
                .unwrap(),
            Some(at("2024-01-15T09:00:00Z"))
        );
        store
            .close_if_open(past, ClosedBy::Sweep, Utc::now(), None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.next_closing(long_ago).await.unwrap(),
            Some(at("2024-01-15T09:00:00Z"))
        );
    }

    #[tokio::test]
    async fn next_closing_is_none_without_open_sessions() {
        let (_dir, store) = temp_store();
        assert_eq!(
            store
                .next_closing(at("2000-01-01T00:00:00Z"))
                .await
                .unwrap(),
            None
        );
    }

    /// The CLI and the worker: two stores (two connections) on one file, several tasks each,
    /// racing to insert and to close the same sessions.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_stores_race_without_errors_and_close_each_session_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attctl.db");
        let cli = SqliteStore::open(&path).unwrap();
        let worker = SqliteStore::open(&path).unwrap();
        let class_id = class(&cli, "A").await;

        // Inserts from both sides; every (date, start) is tried by one task of each store,
        // so exactly one of each pair wins and the other gets a Conflict.
        let mut inserts = Vec::new();
        for task in 0..8i64 {
            let store = if task % 2 == 0 {
                cli.clone()
            } else {
                worker.clone()
            };
            inserts.push(tokio::spawn(async move {
                let mut won = Vec::new();
                let mut lost = 0;
                for n in 0..40i64 {
                    let slot = (task / 2) * 40 + n;
                    let date = d("2024-01-01") + Span::days(slot / 20);
                    let start = t("08:00:00") + Span::minutes(slot % 20);
                    let new = NewSession {
                        class_id,
                        session_date: date,
                        start_time: start,
                        end_time: start + Span::minutes(45),
                        timezone: "UTC".into(),
                        closes_at: date.and_time(start + Span::minutes(45)).and_utc(),
                        scheduled_task_id: None,
                        allow_overlap: true,
                        closed: None,
                    };
                    match store.insert_session(&new).await {
                        Ok(s) => won.push(s.id),
                        Err(Error::Conflict(_)) => lost += 1,
                        Err(e) => panic!("insert failed: {e:?}"),
                    }
                }
                (won, lost)
            }));
        }
        let mut ids = Vec::new();
        let mut conflicts = 0;
        for handle in inserts {
            let (won, lost) = handle.await.unwrap();
            ids.extend(won);
            conflicts += lost;
        }
        assert_eq!((ids.len(), conflicts), (160, 160));

        // Closers on both sides, in different orders, plus a sweep in small batches.
        let now = at("2024-02-01T00:00:00Z");
        let mut closers = Vec::new();
        for task in 0..6usize {
            let store = if task % 2 == 0 {
                cli.clone()
            } else {
                worker.clone()
            };
            let mut order = ids.clone();
            let shift = task * 27 % order.len();
            order.rotate_left(shift);
            if task % 3 == 0 {
                order.reverse();
            }
            closers.push(tokio::spawn(async move {
                let mut closed = Vec::new();
                for id in order {
                    let due = (id % 2 == 0).then_some(now);
                    if let Some(s) = store
                        .close_if_open(id, ClosedBy::Auto, now, due)
                        .await
                        .unwrap()
                    {
                        closed.push(s.id);
                    }
                }
                closed
            }));
        }
        let sweeper = {
            let store = worker.clone();
            tokio::spawn(async move {
                let mut closed = Vec::new();
                loop {
                    let batch = store
                        .close_overdue(OverdueCutoff::all(now), ClosedBy::Sweep, now, 7)
                        .await
                        .unwrap()
                        .closed;
                    let done = batch.len() < 7;
                    closed.extend(batch);
                    if done {
                        return closed;
                    }
                }
            })
        };
        let mut all_closed = sweeper.await.unwrap();
        for handle in closers {
            all_closed.extend(handle.await.unwrap());
        }
        let unique: HashSet<i64> = all_closed.iter().copied().collect();
        assert_eq!(
            all_closed.len(),
            ids.len(),
            "some session was closed twice or never"
        );
        assert_eq!(unique, ids.iter().copied().collect());
        let rows = cli.get_sessions(&ids).await.unwrap();
        assert!(
            rows.iter()
                .all(|r| r.status == Status::Closed && r.closed_at == Some(now))
        );
    }

    #[tokio::test]
    async fn data_version_token_sees_other_connections_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attctl.db");
        let worker = SqliteStore::open(&path).unwrap();
        let cli = SqliteStore::open(&path).unwrap();
        let v0 = worker.data_version_token().await.unwrap();
        assert_eq!(worker.data_version_token().await.unwrap(), v0);
        cli.create_class("A").await.unwrap();
        let v1 = worker.data_version_token().await.unwrap();
        assert_ne!(v1, v0);
        worker.create_class("B").await.unwrap();
        assert_eq!(worker.data_version_token().await.unwrap(), v1);
    }

    #[tokio::test]
    async fn busy_file_is_retried_then_reported_as_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attctl.db");
        let tuning = Tuning {
            busy_timeout: Duration::from_millis(50),
            retry_budget: Duration::from_millis(300),
        };
        let store = SqliteStore::open_tuned(&path, tuning).unwrap();
        // The short wait is what the connection really uses (not the 5 s default).
        let applied: i64 = store
            .inner
            .lock()
            .query_row("PRAGMA busy_timeout", [], |r| r.get(0))
            .unwrap();
        assert_eq!(applied, 50);
        let class_id = class(&store, "A").await;
        let new = session(class_id, "2024-01-15", "08:00:00", "09:00:00");

        // Another process holds the write lock for longer than we are willing to wait.
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let started = Instant::now();
        let err = store.insert_session(&new).await.unwrap_err();
        assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
        assert!(err.is_transient());
        assert!(
            err.to_string().starts_with("the local data file is busy"),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        // Reads are not blocked by a writer in WAL mode.
        assert_eq!(store.list_classes().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn busy_file_is_retried_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attctl.db");
        let tuning = Tuning {
            busy_timeout: Duration::from_millis(30),
            retry_budget: Duration::from_secs(3),
        };
        let store = SqliteStore::open_tuned(&path, tuning).unwrap();
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(150));
            holder.execute_batch("COMMIT").unwrap();
        });
        // Each attempt waits 30 ms and the lock is held for 150 ms: only the retry gets in.
        store.create_class("A").await.unwrap();
        releaser.join().unwrap();
    }

    #[tokio::test]
    async fn poisoned_lock_does_not_panic() {
        let (_dir, store) = temp_store();
        let inner = Arc::clone(&store.inner);
        let _ = std::thread::spawn(move || {
            let conn = inner.conn.lock().unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            panic!("poisoning the connection lock on purpose");
        })
        .join();
        assert!(store.inner.conn.is_poisoned());
        // The transaction the panicking thread left open is rolled back, not reused.
        store.create_class("A").await.unwrap();
        assert_eq!(store.list_classes().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn open_is_idempotent_private_and_checks_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("deeper").join("attctl.db");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.path(), path);
        store.create_class("A").await.unwrap();
        drop(store);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(&dir.path().join("nested")), 0o700);
        }

        // Reopening keeps the data and the schema version.
        let again = SqliteStore::open(&path).unwrap();
        assert_eq!(again.list_classes().await.unwrap().len(), 1);
        let raw = Connection::open(&path).unwrap();
        let (version, mode): (i64, String) = (
            raw.pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap(),
            raw.pragma_query_value(None, "journal_mode", |r| r.get(0))
                .unwrap(),
        );
        assert_eq!((version, mode.as_str()), (SCHEMA_VERSION, "wal"));

        // A file written by a newer attctl is refused, not misread.
        raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(raw);
        drop(again);
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, Error::Schema(_)), "{err:?}");

        // Something that is not SQLite: a clear error naming the file.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, "not a database ".repeat(40)).unwrap();
        let err = SqliteStore::open(&junk).unwrap_err();
        assert!(matches!(err, Error::Backend(_)), "{err:?}");
        assert!(err.to_string().contains("junk.db"), "{err}");

        // A directory where the file should be: an I/O error naming it.
        let err = SqliteStore::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn unreadable_values_are_backend_errors() {
        let (dir, store) = temp_store();
        let class_id = class(&store, "A").await;
        store
            .insert_session(&session(class_id, "2024-01-15", "08:00:00", "09:00:00"))
            .await
            .unwrap();
        // A hand edit that passes the shape check but is no real date.
        let raw = Connection::open(dir.path().join("data").join("attctl.db")).unwrap();
        raw.execute(
            "UPDATE teaching_sessions SET session_date = '2024-02-30'",
            [],
        )
        .unwrap();
        let err = store
            .list_sessions(&SessionFilter::default(), None, 10, false)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Backend(_)), "{err:?}");
        assert!(err.to_string().contains("2024-02-30"), "{err}");
    }

    /// The outbox is written by triggers: an edit made with the `sqlite3` shell (here a raw
    /// connection, which knows nothing of attctl) records its event like attctl's own.
    #[tokio::test]
    async fn triggers_record_every_change_whoever_makes_it() {
        let (dir, store) = temp_store();
        let class = store.create_class("Maths").await.unwrap();
        let s = store
            .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
            .await
            .unwrap();
        let raw = Connection::open(dir.path().join("data").join("attctl.db")).unwrap();
        raw.execute(
            "UPDATE teaching_sessions SET status = 'Closed', closed_by = 'manual' WHERE id = ?1",
            [s.id],
        )
        .unwrap();
        raw.execute("DELETE FROM teaching_sessions WHERE id = ?1", [s.id])
            .unwrap();
        let events = store
            .list_events(&EventFilter::default(), 100)
            .await
            .unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["session.created", "session.closed", "session.deleted"]
        );
        assert!(
            events
                .iter()
                .all(|e| e.state == "pending" && e.session_id == s.id)
        );
        assert_eq!(events[1].payload["closed_by"], "manual");
        assert_eq!(events[1].payload["session"]["class_name"], "Maths");
        assert!(events.iter().all(|e| uuid::Uuid::parse_str(&e.id).is_ok()));
    }

    #[tokio::test]
    async fn claims_are_exclusive_and_outcomes_need_the_claim() {
        let (_dir, store) = temp_store();
        let class = store.create_class("Maths").await.unwrap();
        store
            .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
            .await
            .unwrap();
        let types = vec!["session.created".to_string()];
        let a = store.claim_events("a", 60, 10, &types).await.unwrap();
        let b = store.claim_events("b", 60, 10, &types).await.unwrap();
        assert_eq!((a.len(), b.len()), (1, 0));
        let outcome = EventOutcome {
            state: "delivered".into(),
            deliveries: serde_json::json!({}),
            attempts: 1,
            next_attempt_at: Utc::now(),
            last_error: None,
            delivered_at: Some(Utc::now()),
        };
        assert!(!store.finish_event(&a[0].id, "b", &outcome).await.unwrap());
        assert!(store.finish_event(&a[0].id, "a", &outcome).await.unwrap());
        // Filtered-out types are settled, not left pending.
        store
            .insert_session(&session(class.id, "2030-01-16", "09:00:00", "10:00:00"))
            .await
            .unwrap();
        assert!(
            store
                .claim_events("a", 60, 10, &[])
                .await
                .unwrap()
                .is_empty()
        );
        let pending = EventFilter {
            state: Some("pending".into()),
            ..Default::default()
        };
        assert!(store.list_events(&pending, 10).await.unwrap().is_empty());
    }

    /// A file made by the previous build (schema version 1) gains the outbox when opened.
    #[tokio::test]
    async fn version_1_files_are_migrated_to_the_outbox() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("attctl.db");
        {
            let raw = Connection::open(&path).unwrap();
            raw.execute_batch(SCHEMA_V1).unwrap();
            raw.pragma_update(None, "user_version", 1).unwrap();
            raw.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let class = store.create_class("Maths").await.unwrap();
        store
            .insert_session(&session(class.id, "2030-01-15", "09:00:00", "10:00:00"))
            .await
            .unwrap();
        let events = store
            .list_events(&EventFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        let raw = Connection::open(&path).unwrap();
        let v: i64 = raw
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}
