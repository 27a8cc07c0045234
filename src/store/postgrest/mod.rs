//! The Supabase store: teaching sessions in PostgreSQL, reached through PostgREST.
//!
//! Every write that can race is a conditional PATCH whose filter states what we expect
//! (`status=eq.Open`, `scheduled_task_id=eq.<what we read>`): PostgreSQL re-checks the
//! filter under the row lock, so two workers can never both close or claim a session.
//!
//! Layout: `client` speaks HTTP and classifies errors; this file holds the store, its
//! request helpers and the [`SessionStore`] impl, which only dispatches to the method bodies
//! in `classes`, `sessions`, `holidays`, `planning`, `report` and `events`.

pub(crate) mod client;
mod directory;
mod events;
mod planning;
mod report;
mod sessions;
pub mod staff;

use super::events::{
    ChangeWatch, EventFilter, EventOutcome, EventRecord, Look, RetrySelection, StoreState,
};
use super::prelude::*;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use self::client::{ClientError, Filter, PostgrestClient, Request, Retry};
use super::{
    Cursor, INSERT_CHUNK, ImportAnswer, OverdueClosed, OverdueCutoff, PAGE_SIZE, PlannedWrite,
    RowFailure, SessionFilter, SessionPage, SessionStore, SkippedRow, StoreWrite, TimesUpdate,
};
use crate::config::{HttpSettings, SupabaseSettings};
use crate::error::{Error, Result};
use crate::report::{ClosureFigures, ClosureQuery};
use crate::session::{
    CLAIM_PREFIX, CLOSED_SPELLINGS, Class, ClassId, ClassRef, ClosedBy, Holiday, LOCAL_RUN_PREFIX,
    NewSession, SchoolSettings, SchoolUpdate, SessionId, Status, TeachingSession, UUID_REGEX,
};

const SESSIONS: &str = "teaching_sessions";
const CLASSES: &str = "classes";
const EVENTS: &str = "session_events";
const CLAIM_EVENTS_RPC: &str = "rpc/attctl_claim_events";
const WORKER_WATCH_RPC: &str = "rpc/attctl_worker_watch";
const RECORD_WARNING_RPC: &str = "rpc/attctl_record_warning";
const RECORD_DUE_WARNINGS_RPC: &str = "rpc/attctl_record_due_warnings";
/// Columns read into [`EventRecord`].
const EVENT_SELECT: &str = "id,type,session_id,occurred_at,payload,state,deliveries,attempts,\
     next_attempt_at,last_error,delivered_at";
const HOLIDAYS: &str = "holidays";
const HOLIDAY_COLUMNS: &str = "id,name,first_date,last_date,created_at";
/// Columns of a bulk insert: absent keys (`closed_*` of new sessions) take their defaults.
const INSERT_COLUMNS: &str = "class_id,session_date,start_time,end_time,timezone,closes_at,\
scheduled_task_id,status,closed_at,closed_by";
const CLOSE_OVERDUE_RPC: &str = "rpc/attctl_close_overdue";
const IMPORT_SESSIONS_RPC: &str = "rpc/attctl_import_sessions";
const STORE_RUN_IDS_RPC: &str = "rpc/attctl_store_run_ids";
const CLEAR_RUN_IDS_RPC: &str = "rpc/attctl_clear_run_ids";
const CLAIM_FOR_PLANNING_RPC: &str = "rpc/attctl_claim_for_planning";
const CLOSURE_REPORT_RPC: &str = "rpc/attctl_closure_report";
const REGISTER_REPORT_RPC: &str = "rpc/attctl_register_report";
const REGISTERS_INFO_RPC: &str = "rpc/attctl_registers_info";
const AUTOMARK_PREVIEW_RPC: &str = "rpc/attctl_automark_preview";
/// Run ids per request when storing a backlog's runs (a JSON body: no URL limit).
const RUN_IDS_PER_REQUEST: usize = 1000;
const LIST_ORDER: &str = "session_date.asc,start_time.asc,id.asc";
/// Ids per `in.(…)` filter, to keep URLs well under gateway limits.
const IDS_PER_REQUEST: usize = 200;
/// Sessions claimed per request where the ids travel in the body: a loaded database's
/// per-row triggers must still finish within Supabase's statement timeout (8 s).
const CLAIMS_PER_REQUEST: usize = 500;

#[derive(Debug, Clone)]
pub struct PostgrestStore {
    client: PostgrestClient,
}

impl PostgrestStore {
    /// The exclusion constraint refused a write (23P01): read which session it overlaps, so
    /// the error names it. Reading is best effort; the refusal stands either way.
    async fn overlap_error(
        &self,
        class_id: i64,
        date: chrono::NaiveDate,
        start: chrono::NaiveTime,
        end: chrono::NaiveTime,
        except: Option<SessionId>,
    ) -> Error {
        let mut req = Request::new(Method::GET, SESSIONS)
            .query("select", "id,session_date,start_time,end_time")
            .query("class_id", format!("eq.{class_id}"))
            .query("session_date", format!("eq.{date}"))
            .query("start_time", format!("lt.{}", end.format("%H:%M:%S")))
            .query("end_time", format!("gt.{}", start.format("%H:%M:%S")))
            .query("allow_overlap", "is.false")
            .query("order", "start_time.asc,id.asc")
            .query("limit", "1");
        if let Some(id) = except {
            req = req.query("id", format!("neq.{id}"));
        }
        #[derive(Deserialize)]
        struct Span {
            id: SessionId,
            session_date: String,
            start_time: String,
            end_time: String,
        }
        let found = match self.client.send(&req).await {
            Ok(resp) => resp
                .json::<Vec<Span>>()
                .ok()
                .and_then(|v| v.into_iter().next()),
            Err(_) => None,
        };
        match found {
            Some(s) => super::overlap_conflict(s.id, &s.session_date, &s.start_time, &s.end_time),
            None => Error::Conflict(format!(
                "overlaps another session of class {class_id} on {date}: pick other times, or \
                 create it with --allow-overlap if both are meant to run at once"
            )),
        }
    }

    pub fn new(settings: &SupabaseSettings, http: &HttpSettings) -> Result<Self> {
        Ok(PostgrestStore {
            client: PostgrestClient::new(settings, http)?,
        })
    }

    /// The same store, its requests carrying the register switches (automark, late) that
    /// the closing trigger applies.
    pub fn with_registers(self, registers: &crate::registers::RegisterSettings) -> Result<Self> {
        Ok(PostgrestStore {
            client: self.client.with_headers(&registers.headers())?,
        })
    }

    pub fn client(&self) -> &PostgrestClient {
        &self.client
    }

    async fn rows<T: for<'de> Deserialize<'de>>(&self, req: Request) -> Result<Vec<T>> {
        self.client.send(&req).await.map_err(Error::from)?.json()
    }

    async fn first<T: for<'de> Deserialize<'de>>(&self, req: Request) -> Result<Option<T>> {
        Ok(self.rows(req).await?.into_iter().next())
    }
}

/// The conditions (for `and=(…)`) selecting rows whose `scheduled_task_id` is a legacy
/// value ([`crate::session::TaskRef::Legacy`]): not a claim, not a local-scheduler run id,
/// not a run id. NULL fails every `not.` test, so it is excluded too.
pub(crate) fn legacy_task_conditions() -> String {
    let claim = Filter::quoted(&format!("{CLAIM_PREFIX}*"));
    let local = Filter::quoted(&format!("{LOCAL_RUN_PREFIX}*"));
    let run = Filter::quoted(&format!("^{UUID_REGEX}$"));
    format!(
        "scheduled_task_id.not.like.{claim},scheduled_task_id.not.like.{local},scheduled_task_id.not.match.{run}"
    )
}

impl PostgrestStore {
    /// After a write to session `id` whose answer was lost: the session as it is now, or an
    /// error saying plainly that the outcome is unknown and how to check.
    async fn read_back(
        &self,
        id: SessionId,
        what: &str,
        lost: Error,
    ) -> Result<Option<TeachingSession>> {
        tracing::debug!(session_id = id, error = %lost, "no answer to the {what}; reading the session back");
        let req = Request::new(Method::GET, SESSIONS).query("id", format!("eq.{id}"));
        self.first(req).await.map_err(|e| {
            Error::Unavailable(format!(
                "the outcome of the {what} of session {id} is unknown: {lost}, and reading the \
                 session back failed too ({e}); check with `attctl session show {id}`"
            ))
        })
    }

    /// After an insert whose answer was lost: the session if it was created (read back by
    /// its natural key: class, date, start), or an error saying what is known.
    async fn read_back_insert(&self, new: &NewSession, lost: Error) -> Result<TeachingSession> {
        let start = new.start_time.format("%H:%M:%S").to_string();
        let check = format!(
            "check with `attctl session list --class {} --date {}`",
            new.class_id, new.session_date
        );
        tracing::debug!(error = %lost, "no answer to the insert; reading the session back");
        let req = Request::new(Method::GET, SESSIONS)
            .query("class_id", format!("eq.{}", new.class_id))
            .query("session_date", format!("eq.{}", new.session_date))
            .query("start_time", format!("eq.{start}"));
        let found: Option<TeachingSession> = self.first(req).await.map_err(|e| {
            Error::Unavailable(format!(
                "the session may or may not have been created: {lost}, and reading it back \
                 failed too ({e}); {check} before creating it again"
            ))
        })?;
        match found {
            // Ours: the same session, created just now (a pre-existing one would have been
            // refused as a duplicate).
            Some(s)
                if s.end_time == new.end_time
                    && s.timezone == new.timezone
                    && s.closes_at == new.closes_at
                    && (Utc::now() - s.created_at).num_minutes().abs() < 10 =>
            {
                Ok(s)
            }
            Some(_) => Err(duplicate_session(new.class_id, new.session_date, start)),
            None => Err(Error::Unavailable(format!(
                "the session was not created: {lost}, and it is not in the database; if the \
                 server was only slow it may still appear, so {check} before creating it again"
            ))),
        }
    }
}

/// A Hatchet run id as PostgreSQL's `~` sees it (`scheduled_task_id=match.`).
const HATCHET_RUN_ID: &str = crate::session::UUID_REGEX_WHOLE;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn apply_filter(mut req: Request, f: &SessionFilter) -> Request {
    if let Some(class) = f.class_id {
        req = req.query("class_id", format!("eq.{class}"));
    }
    if let Some(date) = f.date {
        req = req.query("session_date", format!("eq.{date}"));
    }
    if let Some(from) = f.from {
        req = req.query("session_date", format!("gte.{from}"));
    }
    if let Some(to) = f.to {
        req = req.query("session_date", format!("lte.{to}"));
    }
    if let Some(status) = f.status {
        req = req.query("status", status_is(status));
    }
    req
}

/// The filter on `status` that matches `status`: Closed includes the original app's
/// `Close` (see `Status`'s deserializer).
fn status_is(status: Status) -> String {
    match status {
        Status::Open => "eq.Open".to_string(),
        Status::Closed => Filter::in_list(CLOSED_SPELLINGS),
    }
}

/// The conditional writes of one session, built once for the real request and for its
/// `--dry-run` description.
mod writes {
    use super::*;

    pub(super) fn insert(new: &NewSession) -> Result<Request> {
        let body = serde_json::to_value(new)
            .map_err(|e| Error::Backend(format!("cannot encode the session: {e}")))?;
        Ok(Request::new(Method::POST, SESSIONS)
            .prefer("return=representation")
            .single()
            .body(body))
    }

    pub(super) fn close_if_open(
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
    ) -> Request {
        let mut req = Request::new(Method::PATCH, SESSIONS)
            .query("id", format!("eq.{id}"))
            .query("status", "eq.Open")
            .prefer("return=representation")
            // Not retried blindly: a lost answer is read back, so that a close that did
            // happen is reported as ours, not as "already closed".
            .retry(Retry::ReadBack)
            .body(close_body(closed_by, now));
        if let Some(due) = due_by {
            req = req.query("closes_at", format!("lte.{}", ts(due)));
        }
        req
    }

    pub(super) fn delete(id: SessionId) -> Request {
        Request::new(Method::DELETE, SESSIONS)
            .query("id", format!("eq.{id}"))
            .prefer("return=representation")
    }

    pub(super) fn swap_scheduled_task(
        id: SessionId,
        expected: Option<&str>,
        new: Option<&str>,
    ) -> Request {
        Request::new(Method::PATCH, SESSIONS)
            .query("id", format!("eq.{id}"))
            .query(
                "scheduled_task_id",
                match expected {
                    Some(v) => format!("eq.{v}"),
                    None => "is.null".to_string(),
                },
            )
            .prefer("return=representation")
            .body(json!({ "scheduled_task_id": new }))
    }

    pub(super) fn update_times(id: SessionId, update: &TimesUpdate) -> Request {
        let t = &update.times;
        let mut body = json!({
            "session_date": t.session_date,
            "start_time": t.start_time.format("%H:%M:%S").to_string(),
            "end_time": t.end_time.format("%H:%M:%S").to_string(),
            "timezone": t.timezone,
            "closes_at": ts(t.closes_at),
        });
        if update.reopen {
            body["status"] = json!(Status::Open);
            body["closed_at"] = serde_json::Value::Null;
            body["closed_by"] = serde_json::Value::Null;
        }
        Request::new(Method::PATCH, SESSIONS)
            .query("id", format!("eq.{id}"))
            .query("status", status_is(update.expected_status))
            .prefer("return=representation")
            .body(body)
    }
}

/// What a close writes, by hand, by a run or by the sweep alike.
fn close_body(closed_by: ClosedBy, now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "status": Status::Closed,
        "closed_at": ts(now),
        "closed_by": closed_by,
    })
}

/// Rows strictly after the cursor in (date, start, id) order, as one PostgREST logic tree.
fn after_cursor(c: &Cursor) -> String {
    let d = Filter::quoted(&c.session_date.to_string());
    let t = Filter::quoted(&c.start_time.format("%H:%M:%S%.f").to_string());
    format!(
        "(session_date.gt.{d},and(session_date.eq.{d},start_time.gt.{t}),and(session_date.eq.{d},start_time.eq.{t},id.gt.{}))",
        c.id
    )
}

/// A page of session rows as read: the rows that decode, the ones that do not (named by
/// id, so one old row breaking a rule never hides the others), and the cursor after the
/// last row fetched.
struct DecodedRows {
    rows: Vec<TeachingSession>,
    skipped: Vec<SkippedRow>,
    next: Option<Cursor>,
}

fn decode_sessions(body: &[u8]) -> Result<DecodedRows> {
    // The common case: every row decodes, in one pass.
    if let Ok(rows) = serde_json::from_slice::<Vec<TeachingSession>>(body) {
        let next = rows.last().map(Cursor::after);
        return Ok(DecodedRows {
            rows,
            skipped: Vec::new(),
            next,
        });
    }
    let raw: Vec<serde_json::Value> = serde_json::from_slice(body).map_err(|e| {
        Error::Backend(format!(
            "Supabase answered something attctl does not understand: {e}"
        ))
    })?;
    let mut rows = Vec::with_capacity(raw.len());
    let mut skipped = Vec::new();
    let mut next = None;
    for value in raw {
        let key = raw_cursor(&value);
        match TeachingSession::deserialize(&value) {
            Ok(session) => {
                next = Some(Cursor::after(&session));
                rows.push(session);
            }
            Err(e) => {
                skipped.push(SkippedRow {
                    id: value.get("id").and_then(serde_json::Value::as_i64),
                    reason: e.to_string(),
                });
                // A row whose key cannot be read leaves the cursor on the row before it;
                // the listing then stops rather than fetching the same page again.
                next = key.or(next);
            }
        }
    }
    Ok(DecodedRows {
        rows,
        skipped,
        next,
    })
}

/// The list-order key of a row that does not decode as a whole.
fn raw_cursor(value: &serde_json::Value) -> Option<Cursor> {
    let id = value.get("id")?.as_i64()?;
    let session_date = value.get("session_date")?.as_str()?.parse().ok()?;
    let start_time =
        chrono::NaiveTime::parse_from_str(value.get("start_time")?.as_str()?, "%H:%M:%S%.f")
            .ok()?;
    Some(Cursor {
        session_date,
        start_time,
        id,
    })
}

fn unreadable(skipped: &SkippedRow) -> Error {
    Error::Backend(format!(
        "session {} cannot be read ({}); `attctl doctor` names such rows and how to fix them",
        skipped
            .id
            .map_or_else(|| "without an id".to_string(), |id| id.to_string()),
        skipped.reason
    ))
}

fn duplicate_session(
    new_class: i64,
    date: impl std::fmt::Display,
    start: impl std::fmt::Display,
) -> Error {
    Error::Conflict(format!(
        "class {new_class} already has a session on {date} starting at {start}"
    ))
}

impl PostgrestStore {
    /// One request claiming up to [`CLAIMS_PER_REQUEST`] sessions
    /// (`attctl_claim_for_planning()`: the ids travel in the body, not in the URL), each
    /// only if it still holds what was read or already holds `claim`. `None` when the
    /// PATCHes must do it: a database without the function (before the 20261205140000
    /// migration), or one that hit its statement timeout.
    async fn claim_in_one_request(
        &self,
        chunk: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Option<Vec<TeachingSession>>> {
        let sessions: Vec<serde_json::Value> = chunk
            .iter()
            .map(|s| json!({ "id": s.id, "held": s.scheduled_task_id }))
            .collect();
        let req = Request::new(Method::POST, CLAIM_FOR_PLANNING_RPC)
            .retry(Retry::Idempotent)
            .body(json!({ "claim": claim, "after": ts(after), "sessions": sessions }));
        match self.client.send(&req).await {
            Ok(resp) => Ok(Some(decode_sessions(&resp.body.0)?.rows)),
            Err(ClientError::Api(api)) if matches!(api.code(), "PGRST202" | "42883") => Ok(None),
            // A database too slow to claim the chunk within its statement timeout (the
            // statement wrote nothing): smaller writes get it done.
            Err(ClientError::Api(api)) if api.code() == "57014" => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Claims `candidates` with conditional PATCHes of [`IDS_PER_REQUEST`] (ids in the
    /// URL): an old database's way, and how a chunk holding a row that breaks a rule on
    /// write is claimed around that row.
    async fn claim_by_patches(
        &self,
        candidates: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let mut claimed = Vec::with_capacity(candidates.len());
        for chunk in candidates.chunks(IDS_PER_REQUEST) {
            match self.claim_chunk(chunk, claim, after).await {
                Ok(rows) => claimed.extend(rows),
                // Some row of the chunk breaks a rule on write (an old row): claim the others
                // one by one, so it never blocks their planning.
                Err(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. })
                    if chunk.len() > 1 =>
                {
                    for session in chunk {
                        match self
                            .claim_chunk(std::slice::from_ref(session), claim, after)
                            .await
                        {
                            Ok(rows) => claimed.extend(rows),
                            Err(
                                Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. },
                            ) => {}
                            Err(e) => return Err(e),
                        }
                    }
                }
                // A chunk of one such row: left unclaimed (and so unplanned); the sweep
                // closes it at its end, or names it if even that write is refused.
                Err(Error::Invalid(_) | Error::Conflict(_) | Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(claimed)
    }

    /// One conditional PATCH claiming `chunk`: each row only if it still holds what was
    /// read (null, a stale claim or a legacy value; all such values are unique, so "one of
    /// the values read" is as good as "the value read") or already holds `claim`.
    async fn claim_chunk(
        &self,
        chunk: &[TeachingSession],
        claim: &str,
        after: DateTime<Utc>,
    ) -> Result<Vec<TeachingSession>> {
        let mut held: Vec<&str> = chunk
            .iter()
            .filter_map(|s| s.scheduled_task_id.as_deref())
            .collect();
        held.push(claim);
        let req = Request::new(Method::PATCH, SESSIONS)
            .query(
                "id",
                Filter::in_list(chunk.iter().map(|s| s.id.to_string())),
            )
            .query("status", "eq.Open")
            .query("closes_at", format!("gt.{}", ts(after)))
            .query(
                "or",
                format!(
                    "(scheduled_task_id.is.null,scheduled_task_id.{})",
                    Filter::in_list(held)
                ),
            )
            .prefer("return=representation")
            .retry(Retry::Idempotent)
            .body(json!({ "scheduled_task_id": claim }));
        let resp = self.client.send(&req).await.map_err(Error::from)?;
        Ok(decode_sessions(&resp.body.0)?.rows)
    }

    async fn close_overdue_by_patch(
        &self,
        due_by: DateTime<Utc>,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
    ) -> Result<OverdueClosed> {
        #[derive(Deserialize)]
        struct Id {
            id: SessionId,
        }
        let req = Request::new(Method::PATCH, SESSIONS)
            .query("status", "eq.Open")
            .query("closes_at", format!("lte.{}", ts(due_by)))
            .query("select", "id")
            .prefer("return=representation")
            .retry(Retry::Idempotent)
            .body(close_body(closed_by, now));
        Ok(OverdueClosed {
            closed: self
                .rows::<Id>(req)
                .await?
                .into_iter()
                .map(|r| r.id)
                .collect(),
            failed: Vec::new(),
        })
    }
}

#[async_trait]
impl SessionStore for PostgrestStore {
    fn backend(&self) -> &'static str {
        "supabase"
    }

    fn describe_write(&self, write: &StoreWrite<'_>) -> PlannedWrite {
        let req = match *write {
            StoreWrite::Insert(new) => match writes::insert(new) {
                Ok(req) => req,
                Err(e) => {
                    return PlannedWrite {
                        method: "POST".into(),
                        target: format!("{SESSIONS} ({e})"),
                        body: None,
                    };
                }
            },
            StoreWrite::CloseIfOpen {
                id,
                closed_by,
                now,
                due_by,
            } => writes::close_if_open(id, closed_by, now, due_by),
            StoreWrite::Delete(id) => writes::delete(id),
            StoreWrite::SwapScheduledTask { id, expected, new } => {
                writes::swap_scheduled_task(id, expected, new)
            }
            StoreWrite::UpdateTimes { id, update } => writes::update_times(id, update),
            StoreWrite::AddWarningRuns(runs) => planning::add_request(runs),
            StoreWrite::TakeWarningRuns(ids) => planning::take_request(ids),
        };
        self.client.describe(&req)
    }

    async fn store_identity(&self) -> Result<String> {
        // The project's host (and port): what tells one Supabase project from another.
        let url = url::Url::parse(self.client.base_url()).ok();
        Ok(url
            .as_ref()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}-{p}"),
                    None => h.to_string(),
                })
            })
            .unwrap_or_else(|| "supabase".to_string()))
    }
}

impl PostgrestStore {
    /// The conditional close: Open, due by `due_by` if given, and still closing at
    /// `planned` if given.
    async fn close_open(
        &self,
        id: SessionId,
        closed_by: ClosedBy,
        now: DateTime<Utc>,
        due_by: Option<DateTime<Utc>>,
        planned: Option<DateTime<Utc>>,
    ) -> Result<Option<TeachingSession>> {
        // The same request as `close_if_open` describes for --dry-run, narrowed to the
        // planned instant for a run that carries one.
        let req = match (due_by, planned) {
            // `closes_at=eq.` alone: a planned instant later than `due_by` is not due.
            (Some(due), Some(planned)) if planned <= due => {
                writes::close_if_open(id, closed_by, now, None)
                    .query("closes_at", format!("eq.{}", ts(planned)))
            }
            (Some(_), Some(_)) => return Ok(None),
            (None, Some(planned)) => writes::close_if_open(id, closed_by, now, None)
                .query("closes_at", format!("eq.{}", ts(planned))),
            (due_by, None) => writes::close_if_open(id, closed_by, now, due_by),
        };
        match self.client.send(&req).await {
            Ok(resp) => Ok(resp.json::<Vec<TeachingSession>>()?.into_iter().next()),
            Err(ClientError::Unanswered(e)) => {
                match self.read_back(id, "close", e).await? {
                    // Our write: the closing instant we sent, to the microsecond.
                    Some(s)
                        if s.status == Status::Closed
                            && s.closed_by == Some(closed_by)
                            && s.closed_at.map(|t| t.timestamp_micros())
                                == Some(now.timestamp_micros()) =>
                    {
                        Ok(Some(s))
                    }
                    // Not applied: the write is conditional, so sending it again is safe.
                    Some(s) if s.is_open() => self.first(req).await,
                    // Closed by someone else, or deleted.
                    _ => Ok(None),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};

    #[test]
    fn cursor_filter_quotes_reserved_characters() {
        let c = Cursor {
            session_date: NaiveDate::from_ymd_opt(2024, 1, 15).unwrap(),
            start_time: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            id: 7,
        };
        assert_eq!(
            after_cursor(&c),
            r#"(session_date.gt."2024-01-15",and(session_date.eq."2024-01-15",start_time.gt."08:00:00"),and(session_date.eq."2024-01-15",start_time.eq."08:00:00",id.gt.7))"#
        );
    }
}
