//! The Hatchet checks: the token, the API, gRPC, the close task and its workers.

use super::*;

pub(super) struct HatchetTarget {
    pub(super) token: Secret,
    pub(super) tenant: String,
    pub(super) server_url: String,
    pub(super) grpc_address: String,
}

pub(super) async fn hatchet_checks(config: &ConfigOutcome) -> Vec<Check> {
    let Some(token) = &config.hatchet_token else {
        return if config.resolved {
            vec![Check::skip(
                "hatchet",
                "not configured (no HATCHET_CLIENT_TOKEN): attctl-worker closes sessions \
                 by itself",
            )]
        } else {
            Vec::new()
        };
    };
    let mut checks = Vec::new();
    let claims = match TokenClaims::parse(token.expose()) {
        Ok(claims) => claims,
        Err(e) => {
            checks.push(Check::fail(
                "hatchet.token",
                e.to_string(),
                NEW_HATCHET_TOKEN,
            ));
            for name in [
                "hatchet.api",
                "hatchet.grpc",
                "hatchet.task",
                "hatchet.worker",
                "hatchet.limits",
            ] {
                checks.push(Check::skip(name, "not checked: the token is not usable"));
            }
            return checks;
        }
    };
    let target = match config.settings.as_ref().and_then(|s| s.hatchet.as_ref()) {
        Some(h) => HatchetTarget {
            token: h.token.clone(),
            tenant: h.tenant_id.clone(),
            server_url: h.server_url.clone(),
            grpc_address: h.grpc_address.clone(),
        },
        None => HatchetTarget {
            token: token.clone(),
            tenant: claims.tenant_id.clone(),
            server_url: claims.server_url.trim_end_matches('/').to_string(),
            grpc_address: claims.grpc_address.clone(),
        },
    };
    let now = Utc::now();
    let described = format!(
        "tenant {}; REST {}; gRPC {}",
        target.tenant,
        crate::secret::redact_url(&target.server_url),
        target.grpc_address
    );
    checks.push(match claims.expires_at {
        Some(t) if t <= now => Check::fail(
            "hatchet.token",
            format!("the token expired on {}", t.format("%Y-%m-%d %H:%M UTC")),
            NEW_HATCHET_TOKEN,
        ),
        Some(t) if t - now < TOKEN_EXPIRY_WARNING => Check::warn(
            "hatchet.token",
            format!(
                "{described}; the token expires on {}",
                t.format("%Y-%m-%d %H:%M UTC")
            ),
            NEW_HATCHET_TOKEN,
        ),
        Some(t) => Check::ok(
            "hatchet.token",
            format!("{described}; expires {}", t.format("%Y-%m-%d")),
        ),
        None => Check::ok("hatchet.token", format!("{described}; does not expire")),
    });
    if claims.expires_at.is_some_and(|t| t <= now) {
        for name in [
            "hatchet.api",
            "hatchet.grpc",
            "hatchet.task",
            "hatchet.worker",
            "hatchet.limits",
        ] {
            checks.push(Check::skip(name, "not checked: the token has expired"));
        }
        return checks;
    }

    let http = hatchet_http();
    let (api, grpc) = match http {
        Ok(http) => {
            let api = async {
                let scheduled =
                    hatchet_get(&http, &target, "workflows/scheduled", &[("limit", "1")]).await;
                let api_check = hatchet_api_check(&target, &scheduled);
                if api_check.status != CheckStatus::Ok {
                    return vec![
                        api_check,
                        Check::skip("hatchet.task", "not checked: the Hatchet API is not usable"),
                        Check::skip(
                            "hatchet.worker",
                            "not checked: the Hatchet API is not usable",
                        ),
                        Check::skip(
                            "hatchet.limits",
                            "not checked: the Hatchet API is not usable",
                        ),
                    ];
                }
                let warns = config
                    .settings
                    .as_ref()
                    .is_some_and(|s| !s.notify.warn_before.is_empty());
                let (workflows, workers, warn_workflows, policy) = futures::join!(
                    hatchet_get(
                        &http,
                        &target,
                        "workflows",
                        &[("name", CLOSE_TASK), ("limit", "200")]
                    ),
                    hatchet_get(&http, &target, "worker", &[("limit", "200")]),
                    async {
                        if warns {
                            Some(
                                hatchet_get(
                                    &http,
                                    &target,
                                    "workflows",
                                    &[("name", WARN_TASK), ("limit", "200")],
                                )
                                .await,
                            )
                        } else {
                            None
                        }
                    },
                    hatchet_get(&http, &target, "resource-policy", &[]),
                );
                let worker = worker_check(&workers, Utc::now());
                let worker = match &config.settings {
                    Some(settings) => runs_taken(worker, settings, Utc::now()).await,
                    None => worker,
                };
                let mut checks = vec![api_check, task_check(&workflows)];
                checks.extend(warn_workflows.as_ref().map(warn_task_check));
                checks.push(worker);
                checks.push(match &config.settings {
                    Some(settings) => limits_check(&policy, settings, Utc::now()).await,
                    None => Check::skip(
                        "hatchet.limits",
                        "not checked: the configuration is not usable",
                    ),
                });
                checks
            };
            futures::join!(api, grpc_check(&target.grpc_address))
        }
        Err(e) => (
            vec![Check::fail(
                "hatchet.api",
                format!("cannot build the HTTP client: {e}"),
                "report this as a bug",
            )],
            grpc_check(&target.grpc_address).await,
        ),
    };
    let mut api = api.into_iter();
    checks.extend(api.next());
    checks.push(grpc);
    checks.extend(api);
    checks
}

/// The `hatchet.worker` check alone, for `attctl status`: is a worker connected that
/// serves the close task?
pub(crate) async fn hatchet_worker_check(h: &crate::config::HatchetSettings) -> Check {
    let target = HatchetTarget {
        token: h.token.clone(),
        tenant: h.tenant_id.clone(),
        server_url: h.server_url.clone(),
        grpc_address: h.grpc_address.clone(),
    };
    let http = hatchet_http();
    match http {
        Ok(http) => {
            let workers = hatchet_get(&http, &target, "worker", &[("limit", "200")]).await;
            worker_check(&workers, Utc::now())
        }
        Err(e) => Check::skip(
            "hatchet.worker",
            format!("cannot build the HTTP client: {e}"),
        ),
    }
}

/// Doctor's client for Hatchet's REST API: quick to give up, as people wait at a terminal.
fn hatchet_http() -> reqwest::Result<reqwest::Client> {
    crate::http::client(HTTP_TIMEOUT, CONNECT_TIMEOUT)
        .user_agent(crate::http::USER_AGENT)
        .build()
}

/// A Hatchet REST answer: status and JSON body (Null when not JSON), or why there was none.
pub(super) type HatchetAnswer = std::result::Result<(u16, Value), String>;

pub(super) async fn hatchet_get(
    http: &reqwest::Client,
    target: &HatchetTarget,
    path: &str,
    query: &[(&str, &str)],
) -> HatchetAnswer {
    let url = format!(
        "{}/api/v1/tenants/{}/{path}",
        target.server_url, target.tenant
    );
    let mut auth =
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", target.token.expose()))
            .map_err(|_| "the token contains characters not allowed in a header".to_string())?;
    auth.set_sensitive(true);
    let resp = http
        .get(&url)
        .query(query)
        .header(reqwest::header::AUTHORIZATION, auth)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| describe_transport(&e, &target.server_url))?;
    let status = resp.status().as_u16();
    let body = resp
        .bytes()
        .await
        .map_err(|e| describe_transport(&e, &target.server_url))?;
    Ok((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
}

pub(super) fn describe_transport(e: &reqwest::Error, server: &str) -> String {
    format!(
        "{} {}",
        crate::secret::redact_url(server),
        crate::http::transport_reason(e)
    )
}

/// Hatchet's error body `{"errors":[{"description": ...}]}`, as one short line.
pub(super) fn hatchet_message(status: u16, body: &Value) -> String {
    let description = body
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.first())
        .and_then(|e| e.get("description"))
        .and_then(Value::as_str)
        .map(|d| {
            d.lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect::<String>()
        });
    match description {
        Some(d) if !d.is_empty() => format!("HTTP {status}: {d}"),
        _ => format!("HTTP {status}"),
    }
}

pub(super) fn hatchet_api_check(target: &HatchetTarget, answer: &HatchetAnswer) -> Check {
    match answer {
        Ok((status, _)) if (200..300).contains(status) => Check::ok(
            "hatchet.api",
            format!(
                "{} accepts the token",
                crate::secret::redact_url(&target.server_url)
            ),
        ),
        Ok((status @ (401 | 403), body)) => Check::fail(
            "hatchet.api",
            format!(
                "Hatchet rejected the token ({})",
                hatchet_message(*status, body)
            ),
            NEW_HATCHET_TOKEN,
        ),
        Ok((status, body)) => Check::fail(
            "hatchet.api",
            format!(
                "{} answered {}",
                crate::secret::redact_url(&target.server_url),
                hatchet_message(*status, body)
            ),
            "check HATCHET_CLIENT_SERVER_URL (or the token's server_url) and the engine's logs",
        ),
        Err(why) => Check::fail(
            "hatchet.api",
            format!("the Hatchet API cannot be reached: {why}"),
            "check that the engine runs and that HATCHET_CLIENT_SERVER_URL (or the token's \
             server_url) is reachable from here",
        ),
    }
}

pub(super) async fn grpc_check(address: &str) -> Check {
    let connect = tokio::net::TcpStream::connect(address);
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(_)) => Check::ok(
            "hatchet.grpc",
            format!(
                "{address} accepts TCP connections (only the connection is checked, not TLS \
                 or gRPC)"
            ),
        ),
        Ok(Err(e)) => Check::fail(
            "hatchet.grpc",
            format!("cannot connect to {address}: {e}"),
            "attctl-worker needs the engine's gRPC port: check HATCHET_CLIENT_HOST_PORT (or \
             the token's grpc_broadcast_address) and firewalls",
        ),
        Err(_) => Check::fail(
            "hatchet.grpc",
            format!(
                "connecting to {address} timed out after {}s",
                CONNECT_TIMEOUT.as_secs()
            ),
            "attctl-worker needs the engine's gRPC port: check HATCHET_CLIENT_HOST_PORT (or \
             the token's grpc_broadcast_address) and firewalls",
        ),
    }
}

pub(super) fn rows(body: &Value) -> Option<&Vec<Value>> {
    body.get("rows").and_then(Value::as_array)
}

/// What a `workflows?name=<task>` answer says of the task.
enum Registration {
    Found,
    Missing,
    /// Not on the first page of several: cannot be seen.
    BeyondFirstPage,
    Unknown(String),
}

fn registration(answer: &HatchetAnswer, task: &str) -> Registration {
    let (status, body) = match answer {
        Ok((status, body)) if (200..300).contains(status) => (*status, body),
        Ok((status, body)) => return Registration::Unknown(hatchet_message(*status, body)),
        Err(why) => return Registration::Unknown(why.to_string()),
    };
    let Some(rows) = rows(body) else {
        return Registration::Unknown(format!("HTTP {status}, no rows"));
    };
    let found = rows.iter().any(|w| {
        w.get("name")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case(task))
    });
    let more_pages = body
        .pointer("/pagination/num_pages")
        .and_then(Value::as_i64)
        .is_some_and(|n| n > 1);
    if found {
        Registration::Found
    } else if more_pages {
        Registration::BeyondFirstPage
    } else {
        Registration::Missing
    }
}

pub(super) fn task_check(answer: &HatchetAnswer) -> Check {
    match registration(answer, CLOSE_TASK) {
        Registration::Found => Check::ok("hatchet.task", format!("{CLOSE_TASK} is registered")),
        Registration::BeyondFirstPage => Check::skip(
            "hatchet.task",
            format!("{CLOSE_TASK} is not on the first page of workflows: cannot be seen"),
        ),
        Registration::Missing => Check::fail(
            "hatchet.task",
            format!("{CLOSE_TASK} is not registered: scheduling session closes will fail"),
            format!("{START_WORKER}: it registers the task when it connects"),
        ),
        Registration::Unknown(why) => Check::skip(
            "hatchet.task",
            format!("whether {CLOSE_TASK} is registered cannot be seen ({why})"),
        ),
    }
}

/// Only asked when `ATTCTL_WARN_BEFORE` is set: an older attctl-worker serves the closes
/// but not the warnings, and the engine then refuses every warning run.
pub(super) fn warn_task_check(answer: &HatchetAnswer) -> Check {
    const NAME: &str = "hatchet.warn_task";
    match registration(answer, WARN_TASK) {
        Registration::Found => Check::ok(
            NAME,
            format!("{WARN_TASK} is registered: warnings before close are Hatchet runs"),
        ),
        Registration::BeyondFirstPage => Check::skip(
            NAME,
            format!("{WARN_TASK} is not on the first page of workflows: cannot be seen"),
        ),
        Registration::Missing => Check::warn(
            NAME,
            format!(
                "{WARN_TASK} is not registered: ATTCTL_WARN_BEFORE is set, but Hatchet refuses                  warning runs, so warnings come late, from the worker's sweep"
            ),
            "run an attctl-worker of this version: it registers the task when it connects",
        ),
        Registration::Unknown(why) => Check::skip(
            NAME,
            format!("whether {WARN_TASK} is registered cannot be seen ({why})"),
        ),
    }
}

pub(super) fn worker_check(answer: &HatchetAnswer, now: DateTime<Utc>) -> Check {
    let body = match answer {
        Ok((status, body)) if (200..300).contains(status) => body,
        Ok((status, body)) => {
            return Check::skip(
                "hatchet.worker",
                format!(
                    "connected workers cannot be seen ({})",
                    hatchet_message(*status, body)
                ),
            );
        }
        Err(why) => {
            return Check::skip(
                "hatchet.worker",
                format!("connected workers cannot be seen: {why}"),
            );
        }
    };
    let Some(rows) = rows(body) else {
        return Check::skip(
            "hatchet.worker",
            "connected workers cannot be seen (no rows)",
        );
    };
    let active: Vec<&Value> = rows.iter().filter(|w| worker_active(w, now)).collect();
    if active.is_empty() {
        return Check::warn(
            "hatchet.worker",
            "no worker is connected: scheduled closes wait, then are cancelled after the \
             engine's schedule timeout",
            START_WORKER,
        );
    }
    let prefix = format!("{CLOSE_TASK}:");
    let listed = |w: &Value| {
        let actions = w.get("actions").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .any(|a| a.to_ascii_lowercase().starts_with(&prefix))
        });
        let workflows = w
            .get("registeredWorkflows")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter().any(|r| {
                    r.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case(CLOSE_TASK))
                })
            });
        match (actions, workflows) {
            (None, None) => None,
            (a, r) => Some(a.unwrap_or(false) || r.unwrap_or(false)),
        }
    };
    let names = |ws: &[&Value]| -> String {
        ws.iter()
            .filter_map(|w| w.get("name").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ours: Vec<&Value> = active
        .iter()
        .copied()
        .filter(|w| listed(w) == Some(true))
        .collect();
    let unknown = active.iter().all(|w| listed(w).is_none());
    if !ours.is_empty() {
        Check::ok(
            "hatchet.worker",
            format!(
                "{} running {CLOSE_TASK}: {}",
                plural(ours.len(), "worker"),
                names(&ours)
            ),
        )
    } else if unknown {
        Check::ok(
            "hatchet.worker",
            format!(
                "{} connected ({}); whether they run {CLOSE_TASK} cannot be seen",
                plural(active.len(), "worker"),
                names(&active)
            ),
        )
    } else {
        Check::warn(
            "hatchet.worker",
            format!(
                "{} connected ({}), none runs {CLOSE_TASK}",
                plural(active.len(), "worker"),
                names(&active)
            ),
            START_WORKER,
        )
    }
}

/// How far back doctor looks for runs that should have closed their session.
pub(super) const RUN_WINDOW: chrono::Duration = chrono::Duration::hours(1);
/// A run is late past this: the engine fires within ~5 s of the trigger and the close is
/// one write; the sweep's grace (15 s) has passed too.
pub(super) const RUN_LATE: chrono::Duration = chrono::Duration::seconds(60);

/// A worker that heartbeats is listed ACTIVE even when its action stream is dead (after an
/// engine crash, hatchet-sdk 0.2.8 never listens again): the heartbeat proves nothing about
/// runs. What does is in our own store: sessions that had a Hatchet run and ended in the
/// last hour were closed by their run (`auto`), or are still Open / were closed by the
/// sweep. Runs offered and none taken fails the check; some missed warns. Better than a
/// probe run: it needs no write, no wait, and sees the runs that really mattered.
pub(super) async fn runs_taken(worker: Check, settings: &Settings, now: DateTime<Utc>) -> Check {
    if worker.status != CheckStatus::Ok {
        return worker;
    }
    // A store that cannot be opened or read is the backend checks' to report.
    let Ok(store) = crate::backend::open_store(settings) else {
        return worker;
    };
    let health = tokio::time::timeout(
        HTTP_TIMEOUT,
        store.run_health(now - RUN_WINDOW, now - RUN_LATE),
    )
    .await;
    let Ok(Ok(health)) = health else {
        return worker;
    };
    match (health.taken, health.missed) {
        (_, 0) => worker,
        (0, missed) => Check::fail(
            "hatchet.worker",
            format!(
                "{}; yet none of the {missed} sessions with a Hatchet run that ended in the                  last hour was closed by its run (still Open, or closed late by the sweep):                  the workers heartbeat but take no runs",
                worker.detail
            ),
            "restart attctl-worker (an engine crash leaves older workers deaf), then check              its log for 'action stream lost'",
        ),
        (taken, missed) => Check::warn(
            "hatchet.worker",
            format!(
                "{}; {taken} sessions were closed by their run in the last hour, but {missed}                  with a run were not (still Open, or closed late by the sweep)",
                worker.detail
            ),
            "check attctl-worker's log for 'action stream lost' or restarts around those              sessions' ends",
        ),
    }
}

/// ACTIVE, or (when the engine does not say) a heartbeat in the last minute.
pub(super) fn worker_active(worker: &Value, now: DateTime<Utc>) -> bool {
    if let Some(status) = worker.get("status").and_then(Value::as_str) {
        return status.eq_ignore_ascii_case("ACTIVE");
    }
    worker
        .get("lastHeartbeatAt")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| now - t.with_timezone(&Utc) < chrono::Duration::seconds(60))
}

/// What the engine's resource policy (`GET …/resource-policy`) says of task runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TaskRunLimit {
    /// Task runs allowed per window.
    pub(super) limit: u64,
    /// Used so far in the current window.
    pub(super) used: u64,
    /// The window, as the engine writes it (`24h0m0s`).
    pub(super) window: String,
    /// When the current window started (the count goes back to 0 one window later).
    pub(super) last_refill: Option<DateTime<Utc>>,
}

/// The `TASK_RUN` limit in a resource policy answer: `Ok(None)` when the policy lists none,
/// `Err` with why when there is no usable answer.
pub(super) fn task_run_limit(
    answer: &HatchetAnswer,
) -> std::result::Result<Option<TaskRunLimit>, String> {
    match answer {
        Ok((200, body)) => {
            let limits = body
                .get("limits")
                .and_then(Value::as_array)
                .ok_or_else(|| "its resource policy has no list of limits".to_string())?;
            let Some(limit) = limits
                .iter()
                .find(|l| l.get("resource").and_then(Value::as_str) == Some("TASK_RUN"))
            else {
                return Ok(None);
            };
            let number = |key: &str| limit.get(key).and_then(Value::as_u64);
            Ok(Some(TaskRunLimit {
                limit: number("limitValue")
                    .ok_or_else(|| "its TASK_RUN limit has no limitValue".to_string())?,
                used: number("value").unwrap_or(0),
                window: limit
                    .get("window")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                last_refill: limit
                    .get("lastRefill")
                    .and_then(Value::as_str)
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc)),
            }))
        }
        Ok((status, body)) => Err(hatchet_message(*status, body)),
        Err(why) => Err(why.clone()),
    }
}

/// Hours a day's runs are counted over: Hatchet's default task-run window.
const RUN_DAY: chrono::Duration = chrono::Duration::hours(24);

/// `hatchet.limits`: can the engine take the runs planned for the next 24 hours (a close
/// run per Open session closing then, and a warning run per offset of ATTCTL_WARN_BEFORE)?
/// One count in the store and the one policy request made beside the other checks.
pub(super) async fn limits_check(
    policy: &HatchetAnswer,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Check {
    const NAME: &str = "hatchet.limits";
    const RAISE: &str = "raise the engine's SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT (or run it with \
         SERVER_ENFORCE_LIMITS=false, the open-source default), then set ATTCTL_HATCHET_RUN_LIMIT \
         to the new figure; see README, \"Hatchet at a district's scale\"";
    let configured = settings.hatchet.as_ref().and_then(|h| h.run_limit);
    let engine = task_run_limit(policy);
    let runs_per_session = 1 + settings.notify.warn_before.len() as u64;
    let sessions = match crate::backend::open_store(settings) {
        Ok(store) => {
            tokio::time::timeout(HTTP_TIMEOUT, store.open_closing_between(now, now + RUN_DAY))
                .await
                .map_err(|_| {
                    format!(
                        "the store did not answer within {}s",
                        HTTP_TIMEOUT.as_secs()
                    )
                })
                .and_then(|r| r.map_err(|e| e.to_string()))
        }
        Err(e) => Err(e.to_string()),
    };
    let sessions = match sessions {
        Ok(n) => n,
        Err(why) => {
            return Check::skip(
                NAME,
                format!("not checked: cannot count the sessions of the next 24 hours ({why})"),
            );
        }
    };
    let planned = sessions * runs_per_session;
    let planned_text = if runs_per_session == 1 {
        format!("{planned} runs planned for the next 24 hours (one per Open session closing then)")
    } else {
        format!(
            "{planned} runs planned for the next 24 hours ({sessions} sessions closing then, each a close run and {} warning run(s))",
            runs_per_session - 1
        )
    };
    // The engine refusing runs now: its window is used up.
    if let Ok(Some(limit)) = &engine
        && limit.used >= limit.limit
    {
        let until = limit
            .last_refill
            .map(|t| {
                let window = go_duration(&limit.window).unwrap_or(RUN_DAY);
                format!(" until {}", (t + window).format("%Y-%m-%d %H:%M UTC"))
            })
            .unwrap_or_default();
        return Check::fail(
            NAME,
            format!(
                "the engine has used {} of its {} task runs for this window ({}): it refuses new runs{until}, so sessions close late, by the sweep; {planned_text}",
                limit.used,
                limit.limit,
                if limit.window.is_empty() {
                    "24h"
                } else {
                    &limit.window
                },
            ),
            RAISE,
        );
    }
    match (configured, &engine) {
        (Some(limit), _) if planned > limit => Check::fail(
            NAME,
            format!(
                "{planned_text}: more than the {limit} the engine accepts per 24 hours (ATTCTL_HATCHET_RUN_LIMIT)"
            ),
            RAISE,
        ),
        (Some(limit), _) => Check::ok(
            NAME,
            format!(
                "{planned_text}, within the {limit} the engine accepts per 24 hours (ATTCTL_HATCHET_RUN_LIMIT)"
            ),
        ),
        (None, Ok(Some(limit))) if planned > limit.limit => Check::warn(
            NAME,
            format!(
                "{planned_text}: more than the engine's task-run limit of {} per {} (it refuses runs past it when it runs with SERVER_ENFORCE_LIMITS=true)",
                limit.limit,
                if limit.window.is_empty() {
                    "24h"
                } else {
                    &limit.window
                },
            ),
            RAISE,
        ),
        (None, Ok(Some(limit))) => Check::ok(
            NAME,
            format!(
                "{planned_text}, within the engine's task-run limit of {} per {} ({} used)",
                limit.limit,
                if limit.window.is_empty() {
                    "24h"
                } else {
                    &limit.window
                },
                limit.used
            ),
        ),
        (None, Ok(None)) => Check::ok(
            NAME,
            format!("{planned_text}; the engine's resource policy sets no task-run limit"),
        ),
        (None, Err(why)) => Check::skip(
            NAME,
            format!(
                "{planned_text}; the engine's limits are unknown (resource policy: {why}): set ATTCTL_HATCHET_RUN_LIMIT to its task runs per 24 hours to have them compared"
            ),
        ),
    }
}

/// A Go duration as the engine prints windows (`24h0m0s`, `1h30m`): hours, minutes and
/// seconds only, which is all a limit's window uses.
pub(super) fn go_duration(raw: &str) -> Option<chrono::Duration> {
    let mut total = chrono::Duration::zero();
    let mut number = String::new();
    for c in raw.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += match c {
            'h' => chrono::Duration::hours(n),
            'm' => chrono::Duration::minutes(n),
            's' => chrono::Duration::seconds(n),
            _ => return None,
        };
    }
    (number.is_empty() && total > chrono::Duration::zero()).then_some(total)
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn windows_are_read_as_the_engine_prints_them() {
        assert_eq!(go_duration("24h0m0s"), Some(chrono::Duration::hours(24)));
        assert_eq!(go_duration("1h30m"), Some(chrono::Duration::minutes(90)));
        assert_eq!(go_duration(""), None);
        assert_eq!(go_duration("5d"), None);
        assert_eq!(go_duration("10"), None);
    }

    #[test]
    fn the_task_run_limit_is_found_among_the_policys_limits() {
        let body = json!({"limits": [
            {"resource": "WORKER", "limitValue": 4, "value": 1},
            {"resource": "TASK_RUN", "limitValue": 2000, "value": 120, "window": "24h0m0s",
             "lastRefill": "2026-12-05T00:00:00Z"},
        ]});
        let limit = task_run_limit(&Ok((200, body))).unwrap().unwrap();
        assert_eq!((limit.limit, limit.used), (2000, 120));
        assert_eq!(limit.window, "24h0m0s");
        assert!(limit.last_refill.is_some());
        assert_eq!(task_run_limit(&Ok((200, json!({"limits": []})))), Ok(None));
        assert!(task_run_limit(&Ok((404, json!({})))).is_err());
    }
}
