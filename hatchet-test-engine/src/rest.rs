//! The REST routes for scheduled runs, reproducing the engine's request pipeline
//! (api/v1/server/run/run.go): the populator resolves path resources first (400 for a
//! malformed id, 404 when missing), then bearer authentication (403), then parameter and
//! body binding (400), then the handler. Errors raised by the middleware and the binder are
//! echo `HTTPError`s, rendered by echo as `{"message": "..."}`; errors returned by the
//! handlers are `APIErrors`: `{"errors": [{"description": "..."}]}`.

// Early returns carry the finished error `Response`; its size does not matter here.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::Inner;
use crate::routes;
use crate::state::{Schedule, State as EngineState};
use crate::types::RestFault;

type Api = Arc<Inner>;

pub(crate) fn router(inner: Arc<Inner>) -> Router {
    Router::new()
        .route("/api/ready", get(ready))
        .route("/api/live", get(live))
        .route(
            "/api/v1/tenants/{tenant}/workflows/{workflow}/scheduled",
            axum::routing::post(create_scheduled),
        )
        .route(
            "/api/v1/tenants/{tenant}/workflows/scheduled",
            get(list_scheduled),
        )
        .route(
            "/api/v1/tenants/{tenant}/workflows/scheduled/{id}",
            get(get_scheduled)
                .delete(delete_scheduled)
                .patch(update_scheduled),
        )
        .route(
            "/api/v1/tenants/{tenant}/workflows/scheduled/bulk-delete",
            axum::routing::post(bulk_delete_scheduled),
        )
        .route(
            "/api/v1/tenants/{tenant}/workflows/scheduled/bulk-update",
            axum::routing::post(bulk_update_scheduled),
        )
        .route("/api/v1/tenants/{tenant}/workflows", get(list_workflows))
        .route("/api/v1/tenants/{tenant}/worker", get(list_workers))
        .route(
            "/api/v1/tenants/{tenant}/resource-policy",
            get(resource_policy),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(inner)
}

// ---------------------------------------------------------------- responses

/// echo's rendering of an `HTTPError`: `{"message": "..."}`.
fn echo_error(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        "application/json; charset=UTF-8",
        &json!({ "message": message }),
    )
}

/// `apierrors.NewAPIErrors(description)`: `{"errors": [{"description": "..."}]}`.
fn api_errors(status: StatusCode, description: &str) -> Response {
    json_response(
        status,
        "application/json",
        &json!({ "errors": [ { "description": description } ] }),
    )
}

fn json_response(status: StatusCode, content_type: &'static str, body: &Value) -> Response {
    // Go's json.Encoder terminates the document with a newline.
    let mut text = body.to_string();
    text.push('\n');
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    resp
}

fn bad_path(e: &PathRejection) -> Response {
    echo_error(StatusCode::BAD_REQUEST, &e.body_text())
}

fn internal_error() -> Response {
    echo_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
}

fn forbidden() -> Response {
    echo_error(StatusCode::FORBIDDEN, "Please provide valid credentials")
}

async fn not_found(State(api): State<Api>, method: Method) -> Response {
    api.count(&format!("{method} <unknown route>"));
    echo_error(StatusCode::NOT_FOUND, "Not Found")
}

async fn method_not_allowed(State(api): State<Api>, method: Method) -> Response {
    api.count(&format!("{method} <method not allowed>"));
    echo_error(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}

async fn ready(State(api): State<Api>) -> Response {
    api.count(routes::READY);
    empty(StatusCode::OK)
}

async fn live(State(api): State<Api>) -> Response {
    api.count(routes::LIVE);
    empty(StatusCode::OK)
}

fn empty(status: StatusCode) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = status;
    resp
}

// ---------------------------------------------------------------- middleware steps

/// Populator step for `{tenant}`.
fn populate_tenant(api: &Inner, raw: &str) -> Result<Uuid, Response> {
    let tenant = Uuid::parse_str(raw)
        .map_err(|_| echo_error(StatusCode::BAD_REQUEST, "invalid tenant id"))?;
    if api.with_state(|st| st.tenants.contains(&tenant)) {
        Ok(tenant)
    } else {
        // GetTenantByID -> pgx.ErrNoRows -> 404 "not found".
        Err(echo_error(StatusCode::NOT_FOUND, "not found"))
    }
}

/// AuthN step: `Authorization` must split on "Bearer" into exactly two parts; the token
/// must be valid and belong to the tenant in the path. Every failure is the same 403.
fn authenticate(api: &Inner, headers: &HeaderMap, tenant: Uuid) -> Result<(), Response> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts: Vec<&str> = value.split("Bearer").collect();
    if parts.len() != 2 {
        return Err(forbidden());
    }
    match api.verify_token(parts[1].trim(), Utc::now()) {
        Some(token_tenant) if token_tenant == tenant => rate_limit(api, tenant),
        _ => Err(forbidden()),
    }
}

/// Tenant rate limit (Hatchet Cloud's; the open-source engine leaves it off): 429 with
/// `Retry-After` once the tenant's requests in the current second exceed the limit.
fn rate_limit(api: &Inner, tenant: Uuid) -> Result<(), Response> {
    match api.with_state(|st| st.rate_limited(tenant, Utc::now())) {
        None => Ok(()),
        Some(retry_after) => {
            api.count("429");
            Err(too_many_requests(retry_after))
        }
    }
}

fn too_many_requests(retry_after: u64) -> Response {
    let mut resp = api_errors(StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded");
    if let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// Populator step for `{scheduled-workflow-run}` (looked up within the path's tenant).
fn populate_schedule(api: &Inner, tenant: Uuid, raw: &str) -> Result<Uuid, Response> {
    let id = Uuid::parse_str(raw)
        .map_err(|_| echo_error(StatusCode::BAD_REQUEST, "invalid scheduled workflow run id"))?;
    if api.with_state(|st| st.schedule(tenant, id).is_some()) {
        Ok(id)
    } else {
        Err(echo_error(
            StatusCode::NOT_FOUND,
            "scheduled workflow run not found",
        ))
    }
}

// ---------------------------------------------------------------- handlers

async fn create_scheduled(
    State(api): State<Api>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    api.count(routes::CREATE_SCHEDULED);
    let (tenant_raw, workflow) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let tenant = match populate_tenant(&api, &tenant_raw) {
        Ok(t) => t,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let body = match bind_create_body(&headers, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let now = Utc::now();
    let resp = api.with_state(|st| {
        match st.create_faults.pop_front() {
            Some(RestFault::BadRequest(description)) => {
                return api_errors(StatusCode::BAD_REQUEST, &description);
            }
            Some(RestFault::TooManyRequests(after)) => return too_many_requests(after),
            None => {}
        }
        let Some(wf) = st.workflow_by_name(tenant, &workflow) else {
            return api_errors(StatusCode::BAD_REQUEST, "workflow not found");
        };
        let workflow_id = wf.id;
        let priority = body.priority.unwrap_or(1);
        if priority < 1 {
            return api_errors(
                StatusCode::BAD_REQUEST,
                "Key: 'CreateScheduledWorkflowRunForWorkflowOpts.Priority' Error:Field validation for 'Priority' failed on the 'min' tag",
            );
        }
        if priority > 3 {
            return api_errors(
                StatusCode::BAD_REQUEST,
                "Key: 'CreateScheduledWorkflowRunForWorkflowOpts.Priority' Error:Field validation for 'Priority' failed on the 'max' tag",
            );
        }
        let id = st.create_schedule(
            tenant,
            workflow_id,
            body.trigger_at,
            body.input,
            body.additional_metadata,
            priority,
            now,
        );
        match st.schedule(tenant, id) {
            Some(s) => json_response(
                StatusCode::OK,
                "application/json",
                &schedule_json(st, s),
            ),
            None => internal_error(),
        }
    });
    api.changed.notify_waiters();
    resp
}

/// `GET /api/v1/tenants/{tenant}/workflows?name=&limit=&offset=` (WorkflowList): the
/// registered workflows, newest first, optionally those whose name contains `name`.
async fn list_workflows(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    api.count(routes::LIST_WORKFLOWS);
    let tenant = match path {
        Ok(Path(raw)) => match populate_tenant(&api, &raw) {
            Ok(t) => t,
            Err(r) => return r,
        },
        Err(e) => return bad_path(&e),
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let (limit, offset, name) = match page_params(query.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let rows: Vec<Value> = api.with_state(|st| {
        st.workflow_infos()
            .into_iter()
            .filter(|w| w.tenant_id == tenant)
            .filter(|w| name.as_deref().is_none_or(|n| contains_ci(&w.name, n)))
            .map(|w| {
                json!({
                    "metadata": {"id": w.id.to_string()},
                    "name": w.name,
                    "tenantId": w.tenant_id.to_string(),
                    "isPaused": false,
                    "versions": [{"metadata": {"id": w.version_id.to_string()}}],
                })
            })
            .collect()
    });
    paged(rows, limit, offset)
}

/// `GET /api/v1/tenants/{tenant}/worker` (WorkerList): workers heard from in the last
/// 24 h, with `status` ACTIVE when the last heartbeat is at most 5 s old, as the engine
/// reports them; `name` filters case-insensitively.
/// `GET /api/v1/tenants/{tenant}/resource-policy` (TenantResourcePolicy): the tenant's
/// limits, here the task-run limit when [`crate::TestEngine::set_task_run_limit`] set one.
async fn resource_policy(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    api.count(routes::RESOURCE_POLICY);
    let tenant = match path {
        Ok(Path(raw)) => match populate_tenant(&api, &raw) {
            Ok(t) => t,
            Err(r) => return r,
        },
        Err(e) => return bad_path(&e),
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let body = api.with_state(|st| st.resource_policy(tenant, Utc::now()));
    json_response(StatusCode::OK, "application/json", &body)
}

async fn list_workers(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    api.count(routes::LIST_WORKERS);
    let tenant = match path {
        Ok(Path(raw)) => match populate_tenant(&api, &raw) {
            Ok(t) => t,
            Err(r) => return r,
        },
        Err(e) => return bad_path(&e),
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let (limit, offset, name) = match page_params(query.as_deref()) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let window = chrono::Duration::from_std(api.config.worker_active_window)
        .unwrap_or(chrono::Duration::seconds(5));
    let now = Utc::now();
    let seen_since = now - chrono::Duration::hours(24);
    let rows: Vec<Value> = api.with_state(|st| {
        st.worker_infos()
            .into_iter()
            .filter(|w| w.tenant_id == tenant)
            // ListWorkersWithSlotCount: `lastHeartbeatAt > now() - 24h` only.
            .filter(|w| w.last_heartbeat.is_some_and(|h| h > seen_since))
            .filter(|w| name.as_deref().is_none_or(|n| contains_ci(&w.name, n)))
            .map(|w| {
                // The real list says ACTIVE on a recent heartbeat alone, whether or not a
                // stream is open (a crashed engine leaves deaf workers ACTIVE).
                let active = w.last_heartbeat.is_some_and(|h| now - h <= window);
                json!({
                    "metadata": {"id": w.id.to_string(), "createdAt": go_time(w.registered_at)},
                    "name": w.name,
                    "type": "SELFHOSTED",
                    "status": if active { "ACTIVE" } else { "INACTIVE" },
                    "lastHeartbeatAt": w.last_heartbeat.map(go_time),
                    "actions": w.actions,
                    "maxRuns": w.slots,
                    "availableRuns": w.slots - w.in_flight.len() as i32,
                })
            })
            .collect()
    });
    paged(rows, limit, offset)
}

/// The engines' name filters are `ILIKE '%' || name || '%'`.
fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// `limit` (default 50), `offset` (default 0) and `name` of the list routes.
fn page_params(query: Option<&str>) -> Result<(usize, usize, Option<String>), Response> {
    let mut limit = 50usize;
    let mut offset = 0usize;
    let mut name = None;
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let number = || {
            v.parse::<usize>().map_err(|_| {
                echo_error(
                    StatusCode::BAD_REQUEST,
                    &format!("Invalid format for parameter {k}: {v}"),
                )
            })
        };
        match k.as_ref() {
            "limit" => limit = number()?,
            "offset" => offset = number()?,
            "name" => name = Some(v.into_owned()),
            _ => {}
        }
    }
    Ok((limit.max(1), offset, name))
}

fn paged(rows: Vec<Value>, limit: usize, offset: usize) -> Response {
    let total = rows.len();
    let num_pages = total.div_ceil(limit);
    let current_page = offset / limit + 1;
    let page: Vec<Value> = rows.into_iter().skip(offset).take(limit).collect();
    json_response(
        StatusCode::OK,
        "application/json",
        &json!({
            "rows": page,
            "pagination": {
                "current_page": current_page,
                "next_page": if current_page >= num_pages { current_page } else { current_page + 1 },
                "num_pages": num_pages,
            },
        }),
    )
}

async fn get_scheduled(
    State(api): State<Api>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    api.count(routes::GET_SCHEDULED);
    let (tenant_raw, id_raw) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let tenant = match populate_tenant(&api, &tenant_raw) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let id = match populate_schedule(&api, tenant, &id_raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    api.with_state(|st| match st.schedule(tenant, id) {
        Some(s) => json_response(StatusCode::OK, "application/json", &schedule_json(st, s)),
        None => api_errors(StatusCode::NOT_FOUND, "Scheduled workflow not found."),
    })
}

async fn delete_scheduled(
    State(api): State<Api>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    api.count(routes::DELETE_SCHEDULED);
    let (tenant_raw, id_raw) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let tenant = match populate_tenant(&api, &tenant_raw) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let id = match populate_schedule(&api, tenant, &id_raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    // Every schedule created here has method API, so the 403 for code-defined
    // schedules ("Cannot delete scheduled run created via code definition.") never applies.
    api.with_state(|st| st.delete_schedule(id));
    api.changed.notify_waiters();
    empty(StatusCode::NO_CONTENT)
}

/// Most ids one bulk request may carry (`max=500` on the OpenAPI request models).
const BULK_MAX: usize = 500;

fn json_body(headers: &HeaderMap, body: &[u8]) -> Result<Value, Response> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_type {
        return Err(echo_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        echo_error(
            StatusCode::BAD_REQUEST,
            &format!("Syntax error: {}", go_syntax_message(&e)),
        )
    })
}

fn tenant_of(api: &Inner, raw: &str, headers: &HeaderMap) -> Result<Uuid, Response> {
    let tenant = populate_tenant(api, raw)?;
    authenticate(api, headers, tenant)?;
    Ok(tenant)
}

/// `PATCH .../workflows/scheduled/{id}` with `{"triggerAt"}`
/// (UpdateScheduledWorkflowRunRequest): moves one schedule, answers the schedule.
async fn update_scheduled(
    State(api): State<Api>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    api.count(routes::UPDATE_SCHEDULED);
    let (tenant_raw, id_raw) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let tenant = match populate_tenant(&api, &tenant_raw) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let id = match populate_schedule(&api, tenant, &id_raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let value = match json_body(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let trigger_at = match value.get("triggerAt").and_then(Value::as_str) {
        Some(raw) => match parse_go_rfc3339(raw) {
            Ok(t) => t,
            Err(r) => return r,
        },
        None => {
            return api_errors(
                StatusCode::BAD_REQUEST,
                "Key: 'UpdateScheduledWorkflowRunRequest.TriggerAt' Error:Field validation for 'TriggerAt' failed on the 'required' tag",
            );
        }
    };
    let now = Utc::now();
    let resp = api.with_state(|st| {
        st.update_schedule(id, trigger_at, now);
        match st.schedule(tenant, id) {
            Some(s) => json_response(StatusCode::OK, "application/json", &schedule_json(st, s)),
            None => api_errors(StatusCode::NOT_FOUND, "Scheduled workflow not found."),
        }
    });
    api.changed.notify_waiters();
    resp
}

/// `POST .../workflows/scheduled/bulk-delete` (ScheduledWorkflowsBulkDeleteRequest):
/// `{"scheduledWorkflowRunIds": [...]}` (at most 500) or
/// `{"filter": {"workflowId", "additionalMetadata": ["k:v"]}}`; answers
/// `{"deletedIds": [...], "errors": [{"id", "error"}]}`.
async fn bulk_delete_scheduled(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    api.count(routes::BULK_DELETE_SCHEDULED);
    let tenant = match path {
        Ok(Path(raw)) => match tenant_of(&api, &raw, &headers) {
            Ok(t) => t,
            Err(r) => return r,
        },
        Err(e) => return bad_path(&e),
    };
    let value = match json_body(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ids = value
        .get("scheduledWorkflowRunIds")
        .and_then(Value::as_array);
    let filter = value.get("filter").and_then(Value::as_object);
    if ids.is_none() && filter.is_none() {
        return api_errors(
            StatusCode::BAD_REQUEST,
            "either scheduledWorkflowRunIds or filter is required",
        );
    }
    if ids.is_some_and(|ids| ids.len() > BULK_MAX) {
        return api_errors(
            StatusCode::BAD_REQUEST,
            "Key: 'ScheduledWorkflowsBulkDeleteRequest.ScheduledWorkflowRunIds' Error:Field validation for 'ScheduledWorkflowRunIds' failed on the 'max' tag",
        );
    }
    let resp = api.with_state(|st| {
        let mut deleted = Vec::new();
        let mut errors = Vec::new();
        let targets: Vec<(String, Option<Uuid>)> = match (ids, filter) {
            (Some(ids), _) => ids
                .iter()
                .map(|v| {
                    let raw = v.as_str().unwrap_or_default().to_string();
                    let id = Uuid::parse_str(&raw).ok();
                    (raw, id)
                })
                .collect(),
            (None, Some(filter)) => {
                let meta: Map<String, Value> = filter
                    .get("additionalMetadata")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter_map(|kv| kv.split_once(':'))
                    .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                    .collect();
                let workflow = filter
                    .get("workflowId")
                    .and_then(Value::as_str)
                    .and_then(|w| Uuid::parse_str(w).ok());
                st.tenant_schedules(tenant)
                    .into_iter()
                    .filter(|s| workflow.is_none_or(|w| s.workflow_id == w))
                    .filter(|s| {
                        meta.is_empty() || contains_metadata(s.additional_metadata.as_ref(), &meta)
                    })
                    .map(|s| (s.id.to_string(), Some(s.id)))
                    .collect()
            }
            (None, None) => Vec::new(),
        };
        for (raw, id) in targets {
            match id {
                Some(id) if st.schedule(tenant, id).is_some() => {
                    st.delete_schedule(id);
                    deleted.push(Value::String(id.to_string()));
                }
                Some(_) => {
                    errors.push(json!({"id": raw, "error": "scheduled workflow run not found"}))
                }
                None => {
                    errors.push(json!({"id": raw, "error": "invalid scheduled workflow run id"}))
                }
            }
        }
        json_response(
            StatusCode::OK,
            "application/json",
            &json!({"deletedIds": deleted, "errors": errors}),
        )
    });
    api.changed.notify_waiters();
    resp
}

/// `POST .../workflows/scheduled/bulk-update` (ScheduledWorkflowsBulkUpdateRequest):
/// `{"updates": [{"id", "triggerAt"}]}` (at most 500); answers
/// `{"updatedIds": [...], "errors": [{"id", "error"}]}`.
async fn bulk_update_scheduled(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    api.count(routes::BULK_UPDATE_SCHEDULED);
    let tenant = match path {
        Ok(Path(raw)) => match tenant_of(&api, &raw, &headers) {
            Ok(t) => t,
            Err(r) => return r,
        },
        Err(e) => return bad_path(&e),
    };
    let value = match json_body(&headers, &body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(updates) = value.get("updates").and_then(Value::as_array) else {
        return api_errors(
            StatusCode::BAD_REQUEST,
            "Key: 'ScheduledWorkflowsBulkUpdateRequest.Updates' Error:Field validation for 'Updates' failed on the 'required' tag",
        );
    };
    if updates.len() > BULK_MAX {
        return api_errors(
            StatusCode::BAD_REQUEST,
            "Key: 'ScheduledWorkflowsBulkUpdateRequest.Updates' Error:Field validation for 'Updates' failed on the 'max' tag",
        );
    }
    let mut parsed = Vec::new();
    for u in updates {
        let raw = u
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let at = match u
            .get("triggerAt")
            .and_then(Value::as_str)
            .map(parse_go_rfc3339)
        {
            Some(Ok(t)) => Some(t),
            Some(Err(r)) => return r,
            None => None,
        };
        parsed.push((raw, at));
    }
    let now = Utc::now();
    let resp = api.with_state(|st| {
        let mut updated = Vec::new();
        let mut errors = Vec::new();
        for (raw, at) in parsed {
            let id = Uuid::parse_str(&raw)
                .ok()
                .filter(|id| st.schedule(tenant, *id).is_some());
            match (id, at) {
                (Some(id), Some(at)) => {
                    st.update_schedule(id, at, now);
                    updated.push(Value::String(id.to_string()));
                }
                (Some(_), None) => {
                    errors.push(json!({"id": raw, "error": "triggerAt is required"}))
                }
                (None, _) => {
                    errors.push(json!({"id": raw, "error": "scheduled workflow run not found"}))
                }
            }
        }
        json_response(
            StatusCode::OK,
            "application/json",
            &json!({"updatedIds": updated, "errors": errors}),
        )
    });
    api.changed.notify_waiters();
    resp
}

const RUN_STATUSES: &[&str] = &[
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "CANCELLED",
    "QUEUED",
    "BACKOFF",
    "SCHEDULED",
];

async fn list_scheduled(
    State(api): State<Api>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    api.count(routes::LIST_SCHEDULED);
    let tenant_raw = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e),
    };
    let tenant = match populate_tenant(&api, &tenant_raw) {
        Ok(t) => t,
        Err(r) => return r,
    };
    if let Err(r) = authenticate(&api, &headers, tenant) {
        return r;
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let params = match ListParams::bind(&pairs) {
        Ok(p) => p,
        Err(r) => return r,
    };

    let mut metadata_filter = Map::new();
    if let Some(items) = &params.additional_metadata {
        for item in items {
            let split: Vec<&str> = item.split(':').collect();
            if split.len() != 2 {
                return api_errors(
                    StatusCode::BAD_REQUEST,
                    "Additional metadata filters must be in the format key:value.",
                );
            }
            metadata_filter.insert(split[0].to_string(), Value::String(split[1].to_string()));
        }
    }
    let limit = params.limit.unwrap_or(50);
    let offset = params.offset.unwrap_or(0);
    let order_by = params
        .order_by_field
        .clone()
        .unwrap_or_else(|| "triggerAt".into());
    let direction = params
        .order_by_direction
        .clone()
        .unwrap_or_else(|| "DESC".into());
    // The repository validates these with `oneof`; its error surfaces as a 500. So do a
    // negative LIMIT/OFFSET and unknown statuses (PostgreSQL errors).
    if !matches!(order_by.as_str(), "createdAt" | "triggerAt")
        || !matches!(direction.as_str(), "ASC" | "DESC")
        || limit < 0
        || offset < 0
        || params
            .statuses
            .as_ref()
            .is_some_and(|s| s.iter().any(|x| !RUN_STATUSES.contains(&x.as_str())))
    {
        return internal_error();
    }

    api.with_state(|st| {
        let mut rows: Vec<&Schedule> = st
            .tenant_schedules(tenant)
            .into_iter()
            .filter(|s| params.workflow_id.is_none_or(|w| s.workflow_id == w))
            // The engine's SQL compares parentWorkflowRunId with the schedule's own id.
            .filter(|s| params.parent_workflow_run_id.is_none_or(|p| s.id == p))
            // API-created schedules have no parent step run.
            .filter(|_| params.parent_step_run_id.is_none())
            .filter(|s| {
                metadata_filter.is_empty()
                    || contains_metadata(s.additional_metadata.as_ref(), &metadata_filter)
            })
            // A pending schedule has no run yet: only the SCHEDULED status matches it.
            .filter(|_| {
                params
                    .statuses
                    .as_ref()
                    .is_none_or(|s| s.iter().any(|x| x == "SCHEDULED"))
            })
            .collect();
        let count = rows.len() as i64;
        rows.sort_by(|a, b| {
            let key = |s: &Schedule| {
                if order_by == "createdAt" {
                    s.created_at
                } else {
                    s.trigger_at
                }
            };
            let ord = key(a).cmp(&key(b));
            let ord = if direction == "DESC" {
                ord.reverse()
            } else {
                ord
            };
            ord.then(a.id.cmp(&b.id))
        });
        let page: Vec<Value> = rows
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|s| schedule_json(st, s))
            .collect();
        // Same arithmetic (and float->int conversion) as list_scheduled.go.
        let total_pages = go_f64_to_i64((count as f64 / limit as f64).ceil());
        let current_page = 1i64.wrapping_add(go_f64_to_i64((offset as f64 / limit as f64).ceil()));
        let next_page = if current_page == total_pages {
            current_page
        } else {
            current_page.wrapping_add(1)
        };
        json_response(
            StatusCode::OK,
            "application/json",
            &json!({
                "rows": page,
                "pagination": {
                    "current_page": current_page,
                    "next_page": next_page,
                    "num_pages": total_pages,
                }
            }),
        )
    })
}

/// Go's float64 -> int64 conversion on amd64: NaN, infinities and out-of-range values
/// become math.MinInt64.
fn go_f64_to_i64(x: f64) -> i64 {
    if !x.is_finite() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

fn contains_metadata(meta: Option<&Value>, filter: &Map<String, Value>) -> bool {
    let Some(Value::Object(meta)) = meta else {
        return false;
    };
    filter.iter().all(|(k, v)| meta.get(k) == Some(v))
}

#[derive(Default)]
struct ListParams {
    offset: Option<i64>,
    limit: Option<i64>,
    order_by_field: Option<String>,
    order_by_direction: Option<String>,
    workflow_id: Option<Uuid>,
    parent_workflow_run_id: Option<Uuid>,
    parent_step_run_id: Option<Uuid>,
    additional_metadata: Option<Vec<String>>,
    statuses: Option<Vec<String>>,
}

impl ListParams {
    /// oapi-codegen's `BindQueryParameter("form", explode=true, ...)`.
    fn bind(pairs: &[(String, String)]) -> Result<Self, Response> {
        fn single<'a>(
            pairs: &'a [(String, String)],
            name: &str,
        ) -> Result<Option<&'a str>, Response> {
            let values: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect();
            match values.len() {
                0 => Ok(None),
                1 => Ok(Some(values[0])),
                _ => Err(invalid_format(
                    name,
                    &format!("multiple values for single value parameter '{name}'"),
                )),
            }
        }
        fn multi(pairs: &[(String, String)], name: &str) -> Option<Vec<String>> {
            let values: Vec<String> = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect();
            (!values.is_empty()).then_some(values)
        }
        fn int(pairs: &[(String, String)], name: &str) -> Result<Option<i64>, Response> {
            match single(pairs, name)? {
                None => Ok(None),
                Some(v) => v.parse::<i64>().map(Some).map_err(|e| {
                    invalid_format(
                        name,
                        &format!(
                            "error binding string parameter: strconv.ParseInt: parsing {v:?}: {e}"
                        ),
                    )
                }),
            }
        }
        fn uuid(pairs: &[(String, String)], name: &str) -> Result<Option<Uuid>, Response> {
            match single(pairs, name)? {
                None => Ok(None),
                Some(v) => Uuid::parse_str(v).map(Some).map_err(|e| {
                    invalid_format(
                        name,
                        &format!("error unmarshaling '{v}' text as *uuid.UUID: {e}"),
                    )
                }),
            }
        }
        Ok(Self {
            offset: int(pairs, "offset")?,
            limit: int(pairs, "limit")?,
            order_by_field: single(pairs, "orderByField")?.map(str::to_string),
            order_by_direction: single(pairs, "orderByDirection")?.map(str::to_string),
            workflow_id: uuid(pairs, "workflowId")?,
            parent_workflow_run_id: uuid(pairs, "parentWorkflowRunId")?,
            parent_step_run_id: uuid(pairs, "parentStepRunId")?,
            additional_metadata: multi(pairs, "additionalMetadata"),
            statuses: multi(pairs, "statuses"),
        })
    }
}

fn invalid_format(name: &str, err: &str) -> Response {
    echo_error(
        StatusCode::BAD_REQUEST,
        &format!("Invalid format for parameter {name}: {err}"),
    )
}

// ---------------------------------------------------------------- body binding

struct CreateBody {
    input: Option<Value>,
    additional_metadata: Option<Value>,
    priority: Option<i32>,
    trigger_at: DateTime<Utc>,
}

/// echo's `DefaultBinder` + Go's `encoding/json` into `ScheduleWorkflowRunRequest`:
/// empty body -> zero values; non-JSON content type -> 415; syntax/type errors -> 400;
/// field names matched case-insensitively; unknown fields ignored; `null` = absent;
/// numbers inside `input`/`additionalMetadata` pass through float64.
fn bind_create_body(headers: &HeaderMap, body: &[u8]) -> Result<CreateBody, Response> {
    let zero = go_zero_time();
    let mut out = CreateBody {
        input: None,
        additional_metadata: None,
        priority: None,
        trigger_at: zero,
    };
    if body.is_empty() {
        return Ok(out);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err(echo_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
        ));
    }
    let mut stream = serde_json::Deserializer::from_slice(body).into_iter::<Value>();
    let value = match stream.next() {
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            return Err(echo_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "Syntax error: offset={}, error={}",
                    e.column(),
                    go_syntax_message(&e)
                ),
            ));
        }
        None => return Err(echo_error(StatusCode::BAD_REQUEST, "EOF")),
    };
    let obj = match value {
        Value::Null => return Ok(out),
        Value::Object(o) => o,
        other => {
            return Err(type_error(
                "workflows.ScheduleWorkflowRunRequest",
                &other,
                "",
            ));
        }
    };
    for (key, value) in obj {
        if key.eq_ignore_ascii_case("input") {
            out.input = bind_map(value, "input")?;
        } else if key.eq_ignore_ascii_case("additionalMetadata") {
            out.additional_metadata = bind_map(value, "additionalMetadata")?;
        } else if key.eq_ignore_ascii_case("priority") {
            out.priority = match value {
                Value::Null => None,
                Value::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                    Some(i) => Some(i),
                    None => return Err(type_error("int32", &Value::Number(n), "priority")),
                },
                other => return Err(type_error("int32", &other, "priority")),
            };
        } else if key.eq_ignore_ascii_case("triggerAt") {
            match value {
                Value::Null => {}
                Value::String(s) => out.trigger_at = parse_go_rfc3339(&s)?,
                _ => {
                    return Err(echo_error(
                        StatusCode::BAD_REQUEST,
                        "Time.UnmarshalJSON: input is not a JSON string",
                    ));
                }
            }
        }
    }
    Ok(out)
}

fn bind_map(value: Value, field: &str) -> Result<Option<Value>, Response> {
    match value {
        Value::Null => Ok(None),
        Value::Object(o) => Ok(Some(go_numbers(Value::Object(o)))),
        other => Err(type_error("map[string]interface {}", &other, field)),
    }
}

fn type_error(expected: &str, got: &Value, field: &str) -> Response {
    let got = match got {
        Value::Null => "null".to_string(),
        Value::Bool(_) => "bool".to_string(),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => "string".to_string(),
        Value::Array(_) => "array".to_string(),
        Value::Object(_) => "object".to_string(),
    };
    echo_error(
        StatusCode::BAD_REQUEST,
        &format!("Unmarshal type error: expected={expected}, got={got}, field={field}, offset=0"),
    )
}

fn go_syntax_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Go's zero `time.Time`, 0001-01-01T00:00:00Z.
fn go_zero_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("0001-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `time.Parse(time.RFC3339, s)`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm)`, upper-case T/Z.
fn parse_go_rfc3339(s: &str) -> Result<DateTime<Utc>, Response> {
    let bad = || {
        echo_error(
            StatusCode::BAD_REQUEST,
            &format!(
                "parsing time \"\\\"{s}\\\"\" as \"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse \"{s}\\\"\" as \"2006\""
            ),
        )
    };
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || s.contains('t') || s.contains('z') {
        return Err(bad());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad())
}

/// JSON numbers decoded into `interface{}` become float64 and are re-encoded by Go:
/// integral values print without a fraction, and integers beyond 2^53 lose precision.
pub(crate) fn go_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e21 {
                if f.abs() < 9.2e18 {
                    Value::from(f as i64)
                } else {
                    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                }
            } else {
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
        }
        Value::Array(a) => Value::Array(a.into_iter().map(go_numbers).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, go_numbers(v))).collect()),
        other => other,
    }
}

// ---------------------------------------------------------------- serialization

/// `transformers.ToScheduledWorkflowsFromSQLC`. Note `workflowRunCreatedAt` (zero time)
/// and `workflowRunName` ("") are always present because the transformer takes their
/// address even when the run columns are NULL.
fn schedule_json(st: &EngineState, s: &Schedule) -> Value {
    let (workflow_name, version_id) = st
        .workflow(s.workflow_id)
        .map(|w| (w.name.clone(), w.version_id))
        .unwrap_or_default();
    json!({
        "metadata": {
            "id": s.id.to_string(),
            "createdAt": go_time(s.created_at),
            "updatedAt": go_time(s.updated_at),
        },
        "tenantId": s.tenant_id.to_string(),
        "workflowVersionId": version_id.to_string(),
        "workflowId": s.workflow_id.to_string(),
        "workflowName": workflow_name,
        "triggerAt": go_time(s.trigger_at),
        "input": s.input.clone().unwrap_or_else(|| json!({})),
        "additionalMetadata": s.additional_metadata.clone().unwrap_or(Value::Null),
        "workflowRunCreatedAt": "0001-01-01T00:00:00Z",
        "workflowRunName": "",
        "method": "API",
        "priority": s.priority,
    })
}

/// Go's `time.Time` JSON encoding (RFC3339Nano, trailing zeros of the fraction trimmed).
pub(crate) fn go_time(t: DateTime<Utc>) -> String {
    let s = t.to_rfc3339_opts(SecondsFormat::Nanos, true);
    // "2026-01-01T10:00:00.120000000Z" -> "2026-01-01T10:00:00.12Z"
    match s.rfind('.') {
        Some(dot) => {
            let frac = s[dot + 1..s.len() - 1].trim_end_matches('0');
            if frac.is_empty() {
                format!("{}Z", &s[..dot])
            } else {
                format!("{}.{}Z", &s[..dot], frac)
            }
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_time_format() {
        let t = DateTime::parse_from_rfc3339("2026-01-01T10:00:00.120Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(go_time(t), "2026-01-01T10:00:00.12Z");
        let t = DateTime::parse_from_rfc3339("2026-01-01T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        assert_eq!(go_time(t), "2026-01-01T10:00:00Z");
        assert_eq!(go_time(go_zero_time()), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn numbers_like_go() {
        let v: Value = serde_json::from_str(r#"{"a":1,"b":1.5,"c":9007199254740993,"d":[2.0]}"#)
            .unwrap_or_default();
        assert_eq!(
            go_numbers(v).to_string(),
            r#"{"a":1,"b":1.5,"c":9007199254740992,"d":[2]}"#
        );
    }

    #[test]
    fn pagination_conversion() {
        assert_eq!(go_f64_to_i64(f64::NAN), i64::MIN);
        assert_eq!(go_f64_to_i64(3.0), 3);
    }
}
