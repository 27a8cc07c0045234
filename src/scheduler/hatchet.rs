//! Closing runs as one-time Hatchet scheduled runs, over Hatchet's REST API.
//!
//! Raw HTTP (reqwest), not `hatchet-sdk`'s REST client: the SDK (0.2.8) reduces every
//! error to a string, so neither the handler's description (a 400 is "workflow not found"
//! only when it says so; any other 400 is the engine failing a lookup or insert, which is
//! transient) nor `Retry-After` on a 429 survive it; it has no timeout; it dials gRPC
//! eagerly although scheduling is REST-only; and it does not wrap the bulk routes
//! (`bulk-delete`, `bulk-update`, `PATCH` of one schedule).
//!
//! A 429 pauses every request of this scheduler until `Retry-After` has passed (a shared
//! gate, so bulk planning with many requests in flight slows down as one), and the refused
//! request is sent again: a 429 is answered before the handler runs, so nothing was
//! created. Past [`RATE_LIMIT_PATIENCE`] the error is transient and the sweep retries.

use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::{BulkCancelled, CLOSE_TASK, Cancelled, ClosureScheduler, SchedulerOp, WARN_TASK};
use crate::config::HatchetSettings;
use crate::error::{Error, Result};
use crate::session::{TeachingSession, is_uuid};
use crate::store::PlannedWrite;

/// How long one request keeps waiting out 429s before it gives up (transient).
pub(crate) const RATE_LIMIT_PATIENCE: Duration = Duration::from_secs(120);
/// Longest single `Retry-After` honoured; a missing or unreadable one waits 1 s.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Ids per bulk request (the API's `max=500`).
pub(crate) const BULK_CHUNK: usize = 500;
/// The create handler's description for a workflow no worker has registered.
const WORKFLOW_NOT_FOUND: &str = "workflow not found";

pub struct HatchetScheduler {
    settings: HatchetSettings,
    http: OnceCell<reqwest::Client>,
    /// Nothing is sent before this instant (set by a 429's `Retry-After`).
    paused_until: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for HatchetScheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HatchetScheduler")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// A REST answer that is not a success: status, the handler's description and the
/// `Retry-After` it carried.
struct Refusal {
    status: u16,
    description: String,
    retry_after: Option<Duration>,
}

impl HatchetScheduler {
    pub fn new(settings: HatchetSettings) -> Self {
        HatchetScheduler {
            settings,
            http: OnceCell::new(),
            paused_until: Mutex::new(None),
        }
    }

    pub fn settings(&self) -> &HatchetSettings {
        &self.settings
    }

    async fn http(&self) -> Result<&reqwest::Client> {
        self.http
            .get_or_try_init(|| async {
                crate::http::client(self.settings.timeout, self.settings.timeout)
                    .build()
                    .map_err(|_| Error::Backend("cannot build the Hatchet HTTP client".into()))
            })
            .await
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/api/v1/tenants/{}/{path}",
            self.settings.server_url.trim_end_matches('/'),
            self.settings.tenant_id
        )
    }

    async fn wait_gate(&self) {
        let until = *self
            .paused_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(until) = until
            && until > Instant::now()
        {
            tokio::time::sleep_until(until).await;
        }
    }

    fn close_gate(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut gate = self
            .paused_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if gate.is_none_or(|g| g < until) {
            *gate = Some(until);
        }
    }

    /// One REST call; 429s are waited out (shared gate) up to [`RATE_LIMIT_PATIENCE`].
    async fn call(
        &self,
        what: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        let started = Instant::now();
        loop {
            self.wait_gate().await;
            match self.send(what, method.clone(), path, body).await? {
                Ok(value) => return Ok(value),
                Err(refusal) if refusal.status == 429 => {
                    let wait = refusal
                        .retry_after
                        .unwrap_or(Duration::from_secs(1))
                        .min(MAX_RETRY_AFTER);
                    if started.elapsed() + wait > RATE_LIMIT_PATIENCE {
                        return Err(Error::Unavailable(format!(
                            "Hatchet kept rate-limiting (429) {what} for {}s; retried later",
                            started.elapsed().as_secs()
                        )));
                    }
                    tracing::debug!(what, wait_ms = wait.as_millis() as u64, "Hatchet 429");
                    self.close_gate(wait);
                }
                Err(refusal) => return Err(classify(&refusal, what)),
            }
        }
    }

    async fn send(
        &self,
        what: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<std::result::Result<Value, Refusal>> {
        let http = self.http().await?;
        let mut auth = reqwest::header::HeaderValue::from_str(&format!(
            "Bearer {}",
            self.settings.token.expose()
        ))
        .map_err(|_| {
            Error::Config("HATCHET_CLIENT_TOKEN contains characters not allowed in a header".into())
        })?;
        auth.set_sensitive(true);
        let mut req = http
            .request(method, self.url(path))
            .header(reqwest::header::AUTHORIZATION, auth)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| transport(&e, what, &self.settings))?;
        let status = resp.status().as_u16();
        let retry_after = crate::http::retry_after(resp.headers());
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport(&e, what, &self.settings))?;
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(Ok(value));
        }
        Ok(Err(Refusal {
            status,
            description: description_of(&value),
            retry_after,
        }))
    }

    /// `POST .../workflows/{workflow}/scheduled`: one scheduled run; answers its id.
    async fn create_run(&self, workflow: &str, what: &str, body: &Value) -> Result<String> {
        let path = format!("workflows/{workflow}/scheduled");
        let run = self.call(what, Method::POST, &path, Some(body)).await?;
        match run
            .pointer("/metadata/id")
            .and_then(Value::as_str)
            .filter(|id| !id.trim().is_empty())
        {
            Some(id) => Ok(id.to_string()),
            None => Err(Error::Backend(
                "Hatchet answered a schedule without an id".into(),
            )),
        }
    }

    async fn delete_one(&self, run_id: &str) -> Result<Cancelled> {
        if !is_uuid(run_id) {
            // Not a Hatchet run id (the original app's `mock-task-…`, for one): there is no
            // such schedule, and the engine would answer 400 rather than 404.
            return Ok(Cancelled::AlreadyGone);
        }
        let path = format!("workflows/scheduled/{run_id}");
        match self.call("cancel", Method::DELETE, &path, None).await {
            Ok(_) => Ok(Cancelled::Removed),
            Err(Error::NotFound { .. }) => Ok(Cancelled::AlreadyGone),
            Err(e) => Err(e),
        }
    }
}

#[async_trait]
impl ClosureScheduler for HatchetScheduler {
    fn name(&self) -> &'static str {
        "hatchet"
    }

    async fn schedule(&self, session: &TeachingSession) -> Result<String> {
        let body = schedule_body(session);
        self.create_run(CLOSE_TASK, "schedule", &body).await
    }

    fn plans_warnings(&self) -> bool {
        true
    }

    async fn schedule_warning(
        &self,
        session: &TeachingSession,
        offset_seconds: u32,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let body = warning_body(session, offset_seconds, at);
        self.create_run(WARN_TASK, "schedule a warning", &body)
            .await
    }

    fn describe_cancel_many(&self, run_ids: &[String]) -> Vec<PlannedWrite> {
        let ours: Vec<&String> = run_ids.iter().filter(|id| is_uuid(id)).collect();
        ours.chunks(BULK_CHUNK)
            .map(|chunk| PlannedWrite {
                method: "POST".into(),
                target: crate::secret::redact_url(&self.url(BULK_DELETE)),
                body: Some(bulk_delete_body(chunk)),
            })
            .collect()
    }

    fn describe(&self, op: &SchedulerOp<'_>) -> Option<PlannedWrite> {
        // The same paths and body as `schedule` and `cancel` send, the URL's password masked.
        let shown = |path: &str| crate::secret::redact_url(&self.url(path));
        match *op {
            SchedulerOp::Schedule(session) => Some(PlannedWrite {
                method: "POST".into(),
                target: shown(&format!("workflows/{CLOSE_TASK}/scheduled")),
                body: Some(schedule_body(session)),
            }),
            SchedulerOp::ScheduleWarning {
                session,
                offset_seconds,
                at,
            } => Some(PlannedWrite {
                method: "POST".into(),
                target: shown(&format!("workflows/{WARN_TASK}/scheduled")),
                body: Some(warning_body(session, offset_seconds, at)),
            }),
            // No request for what is not a Hatchet run id (see `delete_one`).
            SchedulerOp::Cancel(run_id) if !is_uuid(run_id) => None,
            SchedulerOp::Cancel(run_id) => Some(PlannedWrite {
                method: "DELETE".into(),
                target: shown(&format!("workflows/scheduled/{run_id}")),
                body: None,
            }),
        }
    }

    async fn cancel(&self, run_id: &str) -> Result<Cancelled> {
        self.delete_one(run_id).await
    }

    /// `POST .../workflows/scheduled/bulk-delete`, [`BULK_CHUNK`] ids per request. Ids the
    /// engine reports as errors (already fired, or never there) are gone.
    async fn cancel_many(&self, run_ids: &[String]) -> Result<Vec<BulkCancelled>> {
        let mut out = Vec::with_capacity(run_ids.len());
        let (ours, foreign): (Vec<&String>, Vec<&String>) =
            run_ids.iter().partition(|id| is_uuid(id));
        out.extend(foreign.into_iter().map(|id| BulkCancelled {
            run_id: id.clone(),
            outcome: Cancelled::AlreadyGone,
        }));
        for chunk in ours.chunks(BULK_CHUNK) {
            let body = bulk_delete_body(chunk);
            let answer = self
                .call("bulk cancel", Method::POST, BULK_DELETE, Some(&body))
                .await?;
            let deleted: std::collections::HashSet<&str> = answer
                .get("deletedIds")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            out.extend(chunk.iter().map(|id| BulkCancelled {
                run_id: (*id).clone(),
                outcome: if deleted.contains(id.as_str()) {
                    Cancelled::Removed
                } else {
                    Cancelled::AlreadyGone
                },
            }));
        }
        Ok(out)
    }

    /// `POST .../workflows/scheduled/bulk-update`: moves pending runs; returns the ids
    /// moved (the others had fired or were gone, and need a new run).
    async fn move_many(&self, moves: &[(String, DateTime<Utc>)]) -> Result<Vec<String>> {
        let mut moved = Vec::new();
        let ours: Vec<&(String, DateTime<Utc>)> =
            moves.iter().filter(|(id, _)| is_uuid(id)).collect();
        for chunk in ours.chunks(BULK_CHUNK) {
            let updates: Vec<Value> = chunk
                .iter()
                .map(|(id, at)| {
                    json!({"id": id, "triggerAt": at.to_rfc3339_opts(SecondsFormat::Millis, true)})
                })
                .collect();
            let answer = self
                .call(
                    "bulk reschedule",
                    Method::POST,
                    "workflows/scheduled/bulk-update",
                    Some(&json!({ "updates": updates })),
                )
                .await?;
            moved.extend(
                answer
                    .get("updatedIds")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        Ok(moved)
    }
}

impl HatchetScheduler {
    /// `PATCH .../workflows/scheduled/{id}` with `{"triggerAt"}`: moves one pending run.
    /// `Ok(false)` when it is gone (fired or deleted).
    pub async fn move_one(&self, run_id: &str, at: DateTime<Utc>) -> Result<bool> {
        if !is_uuid(run_id) {
            return Ok(false);
        }
        let body = json!({"triggerAt": at.to_rfc3339_opts(SecondsFormat::Millis, true)});
        let path = format!("workflows/scheduled/{run_id}");
        match self
            .call("reschedule", Method::PATCH, &path, Some(&body))
            .await
        {
            Ok(_) => Ok(true),
            Err(Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// What scheduling `session`'s close sends: one definition for the request and for its
/// `--dry-run` description. `closes_at` is the instant this run is for: the close is
/// conditional on it.
fn schedule_body(session: &TeachingSession) -> Value {
    json!({
        "input": {
            "session_id": session.id,
            "closes_at": session.closes_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        },
        "additionalMetadata": {
            "session_id": session.id.to_string(),
            "class_id": session.class_id.to_string(),
        },
        "triggerAt": session.closes_at.to_rfc3339_opts(SecondsFormat::Millis, true),
    })
}

/// Hatchet's bulk cancel of scheduled runs.
const BULK_DELETE: &str = "workflows/scheduled/bulk-delete";

/// One bulk cancel's body, for the request and for its `--dry-run` description.
fn bulk_delete_body(chunk: &[&String]) -> Value {
    json!({ "scheduledWorkflowRunIds": chunk })
}

/// What scheduling `session`'s warning `offset_seconds` before its end sends, at `at`
/// (its due instant, or now when that has passed). The run names the closing instant it
/// warns of: a session moved since records nothing.
fn warning_body(session: &TeachingSession, offset_seconds: u32, at: DateTime<Utc>) -> Value {
    json!({
        "input": {
            "session_id": session.id,
            "closes_at": session.closes_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "offset_seconds": offset_seconds,
        },
        "additionalMetadata": {
            "session_id": session.id.to_string(),
            "class_id": session.class_id.to_string(),
            "offset_seconds": offset_seconds.to_string(),
        },
        "triggerAt": at.to_rfc3339_opts(SecondsFormat::Millis, true),
    })
}

/// `{"errors":[{"description"}]}` (handler errors) or `{"message"}` (echo errors).
fn description_of(body: &Value) -> String {
    body.pointer("/errors/0/description")
        .or_else(|| body.get("message"))
        .and_then(Value::as_str)
        .map(|d| d.chars().take(200).collect())
        .unwrap_or_default()
}

fn transport(e: &reqwest::Error, what: &str, settings: &HatchetSettings) -> Error {
    let why = if e.is_timeout() {
        format!("did not answer within {:?}", settings.timeout)
    } else if e.is_connect() {
        "unreachable".to_string()
    } else {
        "connection failed".to_string()
    };
    Error::Unavailable(format!("Hatchet API {why} ({what})"))
}

fn classify(refusal: &Refusal, what: &str) -> Error {
    let desc = &refusal.description;
    match refusal.status {
        // The engine answers 403 for a missing, invalid, expired or foreign token.
        code @ (401 | 403) => Error::Auth(format!(
            "Hatchet rejected the token ({code}) during {what}: check HATCHET_CLIENT_TOKEN"
        )),
        404 => Error::NotFound {
            what: "scheduled run",
            id: what.to_string(),
        },
        400 if desc.eq_ignore_ascii_case(WORKFLOW_NOT_FOUND) => Error::Backend(format!(
            "Hatchet refused to {what} (400: workflow not found): is attctl-worker running? It registers the tasks {CLOSE_TASK} and {WARN_TASK}"
        )),
        // The create handler answers 400 for any error in its lookup or insert (a
        // database timeout, for one): only "workflow not found" is about the request.
        400 => Error::Unavailable(format!(
            "Hatchet could not {what} (400: {}); it is retried later",
            if desc.is_empty() {
                "no description"
            } else {
                desc
            }
        )),
        429 => Error::Unavailable(format!("Hatchet rate-limited {what} (429)")),
        code if code >= 500 => {
            Error::Unavailable(format!("Hatchet API unavailable during {what} ({code})"))
        }
        code => Error::Backend(format!("Hatchet answered {code} during {what}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: u16, description: &str) -> Refusal {
        Refusal {
            status,
            description: description.to_string(),
            retry_after: None,
        }
    }

    #[test]
    fn only_workflow_not_found_is_a_permanent_400() {
        let e = classify(&refusal(400, "workflow not found"), "schedule");
        assert!(!e.is_transient());
        assert!(e.to_string().contains("attctl-worker"), "{e}");
        let e = classify(
            &refusal(400, "could not create scheduled run: timeout"),
            "schedule",
        );
        assert!(e.is_transient(), "{e}");
        assert!(!e.to_string().contains("attctl-worker running"), "{e}");
        assert!(classify(&refusal(429, ""), "schedule").is_transient());
        assert!(classify(&refusal(503, ""), "schedule").is_transient());
        assert!(matches!(
            classify(&refusal(404, ""), "cancel"),
            Error::NotFound { .. }
        ));
    }

    #[test]
    fn descriptions_are_read_from_both_error_shapes() {
        assert_eq!(
            description_of(&json!({"errors":[{"description":"workflow not found"}]})),
            "workflow not found"
        );
        assert_eq!(description_of(&json!({"message":"not found"})), "not found");
        assert_eq!(description_of(&Value::Null), "");
    }
}
