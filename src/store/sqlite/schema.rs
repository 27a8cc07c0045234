//! The SQL schema by version and the upgrade of older files (`PRAGMA user_version`).

use super::*;

/// The schema version this build writes and understands (`PRAGMA user_version`).
pub(super) const SCHEMA_VERSION: i64 = 12;

/// `PRAGMA application_id` of attctl's data files ("attc"): a file with another id, or with
/// none and tables that are not attctl's, belongs to something else and is left alone.
/// Files made before the id was written have id 0 and attctl's tables; they are accepted
/// (and stamped when the file is writable).
pub const APPLICATION_ID: i32 = 0x6174_7463;

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
pub(super) const SCHEMA_V1: &str = r#"
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
pub(super) const SCHEMA_V2: &str = r#"
ALTER TABLE teaching_sessions ADD COLUMN allow_overlap INTEGER NOT NULL DEFAULT 0
    CHECK (allow_overlap IN (0, 1));
"#;

/// Version 3: holidays, mirroring `supabase/migrations/…_attctl_holidays.sql`.
pub(super) const SCHEMA_V3: &str = r#"
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
pub(super) const SCHEMA_V4: &str = r#"
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

/// Version 5, mirroring `supabase/migrations/…_class_notify_emails.sql`: each class's email
/// recipients, a JSON array of addresses (validated by attctl before they are written).
pub(super) const SCHEMA_V5: &str = r#"
ALTER TABLE classes ADD COLUMN notify_emails TEXT NOT NULL DEFAULT '[]'
    CONSTRAINT classes_notify_emails_check
    CHECK (json_valid(notify_emails) AND json_type(notify_emails) = 'array');
"#;

/// Version 6: indexes for `attctl report closures`. The lag of a close,
/// `closed_at - closes_at` in microseconds (the expression of `report::LAG_US`, column for
/// column), is kept in order by closer and class, and by closer alone: the report reads the
/// lags from them, sorted, instead of parsing and sorting a million timestamps; and the
/// open sessions of each class come from a small partial index. `strftime('%s')` rather
/// than `unixepoch()`: a `sqlite3` shell older than 3.38 must still be able to open the file.
pub(super) const SCHEMA_V6: &str = r#"
CREATE INDEX IF NOT EXISTS teaching_sessions_close_lag_idx ON teaching_sessions (
    closed_by, class_id,
    ((CAST(strftime('%s', substr(closed_at, 1, 19)) AS INTEGER) * 1000000 + CAST(substr(closed_at, 21, 6) AS INTEGER))
     - (CAST(strftime('%s', substr(closes_at, 1, 19)) AS INTEGER) * 1000000 + CAST(substr(closes_at, 21, 6) AS INTEGER))));
CREATE INDEX IF NOT EXISTS teaching_sessions_close_lag_all_idx ON teaching_sessions (
    closed_by,
    ((CAST(strftime('%s', substr(closed_at, 1, 19)) AS INTEGER) * 1000000 + CAST(substr(closed_at, 21, 6) AS INTEGER))
     - (CAST(strftime('%s', substr(closes_at, 1, 19)) AS INTEGER) * 1000000 + CAST(substr(closes_at, 21, 6) AS INTEGER))));
CREATE INDEX IF NOT EXISTS teaching_sessions_open_class_idx
    ON teaching_sessions (class_id, closes_at) WHERE status = 'Open';
"#;

/// Version 7, mirroring `supabase/migrations/…_session_sequence.sql`: each session counts the
/// changes of its time (the SEQUENCE of its iCalendar export), raised by a trigger on the
/// same condition as the session.rescheduled event; and the file gets a random identity,
/// made once, that names this store in exported UIDs (two machines' stores never share one).
/// The trigger's own UPDATE changes no time, so it fires no trigger again.
pub(super) const SCHEMA_V7: &str = r#"
ALTER TABLE teaching_sessions ADD COLUMN reschedule_count INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER IF NOT EXISTS teaching_sessions_count_reschedule
AFTER UPDATE ON teaching_sessions
WHEN NEW.session_date IS NOT OLD.session_date OR NEW.start_time IS NOT OLD.start_time
  OR NEW.end_time IS NOT OLD.end_time OR NEW.timezone IS NOT OLD.timezone
  OR NEW.closes_at IS NOT OLD.closes_at
BEGIN
    UPDATE teaching_sessions SET reschedule_count = OLD.reschedule_count + 1 WHERE id = NEW.id;
END;

CREATE TABLE IF NOT EXISTS store_identity (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    identity TEXT NOT NULL CHECK (length(identity) > 0)
) STRICT;

INSERT OR IGNORE INTO store_identity (id, identity)
VALUES (1, 'local-' || lower(hex(randomblob(8))));
"#;

/// Version 8, mirroring `supabase/migrations/…_session_warning_runs.sql`: the ids of
/// planned warning runs, one per (session, offset, closing instant). Only a Hatchet
/// scheduler plans them; a local data file keeps the table empty unless a Hatchet
/// scheduler is configured next to it.
pub(super) const SCHEMA_V8: &str = r#"
CREATE TABLE IF NOT EXISTS session_warning_runs (
    session_id     INTEGER NOT NULL
                   CONSTRAINT session_warning_runs_session_id_fkey
                   REFERENCES teaching_sessions (id) ON DELETE CASCADE,
    offset_seconds INTEGER NOT NULL CHECK (offset_seconds > 0),
    closes_at      TEXT NOT NULL
                   CHECK (closes_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    run_id         TEXT NOT NULL CHECK (length(run_id) BETWEEN 1 AND 200),
    CONSTRAINT session_warning_runs_pkey PRIMARY KEY (session_id, offset_seconds, closes_at)
) STRICT;
CREATE INDEX IF NOT EXISTS session_warning_runs_closes_at_idx
    ON session_warning_runs (closes_at);
"#;

/// Version 9, mirroring `supabase/migrations/…_outbox_states.sql`: two more outbox states,
/// `skipped` (no channel takes the event's type) and `expired` (a warning too late to send),
/// and an index for the claim's rule that one session's events go out in order. SQLite
/// cannot change a CHECK constraint in place, so the table is rebuilt (rows copied in
/// insertion order, which breaks ties between events of one statement); the triggers that
/// write into it are dropped first and made again by running [`SCHEMA_V4`] once more
/// (its table already exists then; its indexes and triggers are created anew).
pub(super) const SCHEMA_V9: &str = r#"
DROP TRIGGER IF EXISTS teaching_sessions_event_insert;
DROP TRIGGER IF EXISTS teaching_sessions_event_close;
DROP TRIGGER IF EXISTS teaching_sessions_event_reopen;
DROP TRIGGER IF EXISTS teaching_sessions_event_reschedule;
DROP TRIGGER IF EXISTS teaching_sessions_event_delete;

CREATE TABLE session_events_v9 (
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
    CONSTRAINT session_events_state_check
        CHECK (state IN ('pending', 'delivered', 'failed', 'skipped', 'expired')),
    CONSTRAINT session_events_dedupe_key_key UNIQUE (dedupe_key)
) STRICT;

INSERT INTO session_events_v9 (id, type, session_id, occurred_at, payload, state, deliveries,
    attempts, next_attempt_at, claimed_by, claimed_until, last_error, delivered_at, dedupe_key)
SELECT id, type, session_id, occurred_at, payload, state, deliveries, attempts,
    next_attempt_at, claimed_by, claimed_until, last_error, delivered_at, dedupe_key
FROM session_events ORDER BY rowid;

DROP TABLE session_events;
ALTER TABLE session_events_v9 RENAME TO session_events;
"#;

/// Version 9's index, after the table and its triggers are back: the pending events of a
/// session in time order, which the claim looks up for each candidate.
pub(super) const SCHEMA_V9_INDEX: &str = r#"
CREATE INDEX IF NOT EXISTS session_events_pending_session_idx
    ON session_events (session_id, occurred_at) WHERE state = 'pending';
"#;

/// Version 10, mirroring `supabase/migrations/…_original_app.sql`: the school's settings
/// (its zone, and the session type of the original app's database), one row.
pub(super) const SCHEMA_V10: &str = r#"
CREATE TABLE IF NOT EXISTS school_settings (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    timezone             TEXT CHECK (timezone IS NULL OR length(timezone) BETWEEN 1 AND 64),
    default_session_type TEXT CHECK (default_session_type IS NULL
                                     OR length(default_session_type) BETWEEN 1 AND 40),
    updated_at           TEXT NOT NULL
) STRICT;
"#;

/// Version 11: class ids are never handed out again (AUTOINCREMENT, as sessions and
/// holidays have had from the start): an exported `class_id` or a webhook consumer's id
/// must not come to name another class. SQLite cannot add AUTOINCREMENT in place, so the
/// table is rebuilt with its rows and ids, with foreign keys off (see [`migrate`]); the
/// event triggers, which read class names, are dropped first and made again by running
/// [`SCHEMA_V4`] once more, as version 9 does. The high-water mark starts at the highest id
/// known: the classes' own, or one a recorded event names (a class deleted before the
/// upgrade), so even those are not handed out again.
pub(super) const SCHEMA_V11: &str = r#"
DROP TRIGGER IF EXISTS teaching_sessions_event_insert;
DROP TRIGGER IF EXISTS teaching_sessions_event_close;
DROP TRIGGER IF EXISTS teaching_sessions_event_reopen;
DROP TRIGGER IF EXISTS teaching_sessions_event_reschedule;
DROP TRIGGER IF EXISTS teaching_sessions_event_delete;

CREATE TABLE classes_v11 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    created_at    TEXT NOT NULL
                  CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'),
    notify_emails TEXT NOT NULL DEFAULT '[]'
                  CONSTRAINT classes_notify_emails_check
                  CHECK (json_valid(notify_emails) AND json_type(notify_emails) = 'array'),
    CONSTRAINT classes_name_key UNIQUE (name),
    CONSTRAINT classes_name_check CHECK (length(trim(name)) > 0 AND length(name) <= 200)
) STRICT;

INSERT INTO classes_v11 (id, name, created_at, notify_emails)
SELECT id, name, created_at, notify_emails FROM classes ORDER BY id;

DROP TABLE classes;
ALTER TABLE classes_v11 RENAME TO classes;

INSERT INTO sqlite_sequence (name, seq)
SELECT 'classes', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'classes');
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM classes), 0),
    coalesce((SELECT max(CAST(json_extract(payload, '$.session.class_id') AS INTEGER))
              FROM session_events WHERE json_valid(payload)), 0))
WHERE name = 'classes';
"#;

/// Version 12, mirroring `supabase/migrations/…_district_scale.sql`: two indexes that keep
/// a semester's reads flat. Open sessions in list order (`status`, `session list --status
/// open`): they walked every Closed session before today. And the Open sessions that may
/// need a run ([`runless_sessions`]), so that planning reads those only, not every planned
/// future session in closing order.
pub(super) fn schema_v12() -> String {
    format!(
        "CREATE INDEX IF NOT EXISTS teaching_sessions_open_date_start_id_idx
             ON teaching_sessions (session_date, start_time, id) WHERE status = 'Open';
         CREATE INDEX IF NOT EXISTS teaching_sessions_open_runless_idx
             ON teaching_sessions (closes_at, id) WHERE status = 'Open' AND {};",
        runless_sessions()
    )
}

/// Sessions with no run, a claim, or the original app's value: neither a run id nor a
/// local run. A query must repeat this term word for word (constants, not parameters) for
/// SQLite to use the partial index of [`schema_v12`].
pub(super) fn runless_sessions() -> String {
    format!(
        "(scheduled_task_id IS NULL OR (scheduled_task_id NOT GLOB '{}' \
         AND scheduled_task_id NOT GLOB '{LOCAL_RUN_PREFIX}*'))",
        uuid_glob()
    )
}

/// The identity of this data file (made by [`SCHEMA_V7`]).
pub(super) async fn store_identity(store: &SqliteStore) -> Result<String> {
    store
        .call(|conn| {
            Ok(conn.query_row(
                "SELECT identity FROM store_identity WHERE id = 1",
                [],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
}

pub(super) fn migrate(conn: &mut Connection, path: &Path, fresh: bool) -> DbResult<()> {
    // Checked outside a transaction first, so that an up-to-date file (every start of the
    // CLI) never takes the write lock.
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = check_version(conn, path)?;
    if version == SCHEMA_VERSION && app_id == APPLICATION_ID {
        return Ok(());
    }
    // Version 11 rebuilds the classes table, which sessions reference: with foreign keys
    // on, dropping the old table would delete (or refuse) every row. The pragma cannot
    // change inside a transaction, so it is set around it, and set back whatever happens.
    if version < 11 {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
    }
    let migrated = migrate_locked(conn, path, fresh);
    if version < 11 {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    migrated
}

/// [`migrate`] in one IMMEDIATE transaction.
fn migrate_locked(conn: &mut Connection, path: &Path, fresh: bool) -> DbResult<()> {
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
    // Version 4 files gain the classes' email recipients (none for existing classes).
    if version < 5 {
        tx.execute_batch(SCHEMA_V5)?;
    }
    // Version 5 files gain the report's indexes (built once, from the rows they hold).
    if version < 6 {
        tx.execute_batch(SCHEMA_V6)?;
    }
    // Version 6 files gain the reschedule count (0: no change of time is known) and an
    // identity.
    if version < 7 {
        tx.execute_batch(SCHEMA_V7)?;
    }
    // Version 7 files gain the table of warning runs (empty).
    if version < 8 {
        tx.execute_batch(SCHEMA_V8)?;
    }
    // Version 8 files gain the outbox's skipped and expired states (the table rebuilt).
    if version < 9 {
        tx.execute_batch(SCHEMA_V9)?;
        tx.execute_batch(SCHEMA_V4)?;
        tx.execute_batch(SCHEMA_V9_INDEX)?;
    }
    // Version 9 files gain the school's settings (none set).
    if version < 10 {
        tx.execute_batch(SCHEMA_V10)?;
    }
    // Version 10 files keep their classes, ids and all, and never hand an id out again.
    if version < 11 {
        tx.execute_batch(SCHEMA_V11)?;
        tx.execute_batch(SCHEMA_V4)?;
    }
    // Version 11 files gain the indexes of a district's scale (built from their rows).
    if version < 12 {
        tx.execute_batch(&schema_v12())?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn check_version(conn: &Connection, path: &Path) -> DbResult<i64> {
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
