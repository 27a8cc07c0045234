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
//!
//! Layout: this file holds the store, its call plumbing and the [`SessionStore`] impl, which
//! only dispatches; `connection` opens the file and runs calls with retries, `schema` holds
//! the SQL schema and its upgrades, `codec` the text encodings, row decoding and error
//! mapping, and `classes`, `sessions`, `holidays`, `planning`, `report` and `events` the
//! bodies of the trait's methods, one group of tables or callers each.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::prelude::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::types::{Type, Value};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior, ffi, params,
    params_from_iter,
};

use super::events::{
    ChangeWatch, EventFilter, EventOutcome, EventRecord, Look, RetrySelection, StoreState,
};
use super::{
    Cursor, INSERT_CHUNK, OverdueClosed, OverdueCutoff, PAGE_SIZE, PlannedWrite, SessionFilter,
    SessionPage, SessionStore, StoreWrite, TimesUpdate,
};
use crate::error::{Error, Result};
use crate::report::{ClosureFigures, ClosureGroup, ClosureQuery, ClosureStats, GroupBy};
use crate::session::{
    CLAIM_PREFIX, Class, ClassRef, ClosedBy, Holiday, LOCAL_RUN_PREFIX, NewSession, SchoolSettings,
    SchoolUpdate, SessionId, Status, TeachingSession, uuid_glob,
};

mod codec;
mod connection;
mod directory;
mod drift;
mod events;
mod import;
mod planning;
mod report;
mod schema;
mod sessions;
#[cfg(test)]
mod tests;

use codec::*;
use connection::*;
use schema::*;

pub use schema::APPLICATION_ID;

/// Ids per `IN (…)` list; far below SQLite's limit on bound parameters.
const IDS_PER_QUERY: usize = 500;

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
            StoreWrite::AddWarningRuns(runs) => {
                return PlannedWrite {
                    method: "POST".into(),
                    target: format!("{file} INSERT INTO session_warning_runs"),
                    body: serde_json::to_value(runs).ok(),
                };
            }
            StoreWrite::TakeWarningRuns(ids) => {
                let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
                return PlannedWrite {
                    method: "DELETE".into(),
                    target: format!(
                        "{file} DELETE FROM session_warning_runs WHERE session_id IN ({})",
                        list.join(", ")
                    ),
                    body: None,
                };
            }
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

    async fn store_identity(&self) -> Result<String> {
        schema::store_identity(self).await
    }
}
