//! End-to-end tests: the real `hatchet-sdk` 0.2.8 worker and plain REST/gRPC clients
//! against the test engine.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use chrono::Utc;
use hatchet_sdk::{Context, Hatchet, HatchetError, Register};
use hatchet_test_engine::proto::{v0 as pb, v1 as pb1};
use hatchet_test_engine::{AttemptOutcome, EngineConfig, RunStatus, TestEngine, routes};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

const TASK: &str = "close-teaching-session";
const WAIT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CloseInput {
    session_id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CloseOutput {
    closed: bool,
    session_id: i64,
}

struct TaskOpts {
    name: &'static str,
    retries: i32,
    execution_timeout: Duration,
    schedule_timeout: Duration,
}

impl Default for TaskOpts {
    fn default() -> Self {
        Self {
            name: TASK,
            retries: 5,
            execution_timeout: Duration::from_secs(30),
            schedule_timeout: Duration::from_secs(300),
        }
    }
}

async fn client(engine: &TestEngine) -> Hatchet {
    Hatchet::from_token(
        &engine.rest_url(),
        &engine.grpc_address(),
        &engine.token(),
        "none",
    )
    .await
    .expect("SDK client")
}

/// Builds a real SDK worker with one task and runs `worker.start()` in a task.
fn spawn_worker<F, Fut>(
    hatchet: &Hatchet,
    worker_name: &str,
    opts: TaskOpts,
    handler: F,
) -> JoinHandle<Result<(), HatchetError>>
where
    F: FnOnce(CloseInput, Context) -> Fut + Send + Sync + Clone + 'static,
    Fut: Future<Output = anyhow::Result<CloseOutput>> + Send + 'static,
{
    let task = hatchet
        .task(opts.name, handler)
        .retries(opts.retries)
        .execution_timeout(opts.execution_timeout)
        .schedule_timeout(opts.schedule_timeout)
        .build()
        .expect("task");
    let mut worker = hatchet
        .worker(worker_name)
        .slots(5)
        .build()
        .expect("worker")
        .add_task_or_workflow(&task);
    tokio::spawn(async move { worker.start().await })
}

/// Waits until a connected worker named `name` has heartbeated and `workflow` exists.
async fn wait_worker_ready(engine: &TestEngine, name: &str, workflow: &str) {
    engine
        .wait_for(
            |e| {
                e.workers()
                    .iter()
                    .any(|w| w.name == name && w.connected && w.last_heartbeat.is_some())
                    && e.workflows().iter().any(|w| w.name == workflow)
            },
            WAIT,
        )
        .await
        .expect("worker ready");
}

struct Rest {
    http: reqwest::Client,
    base: String,
    tenant: Uuid,
    token: String,
}

impl Rest {
    fn new(engine: &TestEngine) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: engine.rest_url(),
            tenant: engine.tenant_id(),
            token: engine.token(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/tenants/{}{}", self.base, self.tenant, path)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> (u16, Value) {
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, body)
    }

    async fn create(&self, workflow: &str, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .post(self.url(&format!("/workflows/{workflow}/scheduled")))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }

    async fn schedule_in(&self, workflow: &str, ms: i64, input: Value, meta: Value) -> Uuid {
        let trigger = Utc::now() + chrono::Duration::milliseconds(ms);
        let (status, body) = self
            .create(
                workflow,
                json!({"input": input, "additionalMetadata": meta, "triggerAt": trigger.to_rfc3339()}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        Uuid::parse_str(body["metadata"]["id"].as_str().expect("id")).expect("uuid")
    }

    async fn get(&self, id: Uuid) -> (u16, Value) {
        self.send(
            self.http
                .get(self.url(&format!("/workflows/scheduled/{id}")))
                .bearer_auth(&self.token),
        )
        .await
    }

    async fn delete(&self, id: Uuid) -> (u16, Value) {
        self.send(
            self.http
                .delete(self.url(&format!("/workflows/scheduled/{id}")))
                .bearer_auth(&self.token),
        )
        .await
    }

    async fn list(&self, query: &[(&str, &str)]) -> (u16, Value) {
        self.send(
            self.http
                .get(self.url("/workflows/scheduled"))
                .query(query)
                .bearer_auth(&self.token),
        )
        .await
    }
}

/// A raw unary gRPC call (for what the SDK does not expose: status codes, bad tokens).
async fn grpc<Req, Resp>(
    engine: &TestEngine,
    token: &str,
    path: &'static str,
    req: Req,
) -> Result<Resp, tonic::Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let channel =
        tonic::transport::Channel::from_shared(format!("http://{}", engine.grpc_address()))
            .expect("uri")
            .connect()
            .await
            .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let mut client = tonic::client::Grpc::new(channel);
    client
        .ready()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let mut request = tonic::Request::new(req);
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("metadata"),
    );
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    client
        .unary(request, http::uri::PathAndQuery::from_static(path), codec)
        .await
        .map(|r| r.into_inner())
}

/// Registers a workflow over gRPC without any worker (PutWorkflow, as the SDK sends it).
async fn put_workflow(engine: &TestEngine, name: &str, schedule_timeout: &str) {
    let req = pb1::CreateWorkflowVersionRequest {
        name: name.to_string(),
        tasks: vec![pb1::CreateTaskOpts {
            readable_id: name.to_string(),
            action: format!("{name}:{name}"),
            timeout: "60s".to_string(),
            inputs: "{{}}".to_string(),
            retries: 0,
            schedule_timeout: Some(schedule_timeout.to_string()),
            ..Default::default()
        }],
        default_priority: Some(1),
        ..Default::default()
    };
    let _: pb1::CreateWorkflowVersionResponse =
        grpc(engine, &engine.token(), "/v1.AdminService/PutWorkflow", req)
            .await
            .expect("PutWorkflow");
}

fn record_and_succeed(
    tx: mpsc::UnboundedSender<i64>,
) -> impl FnOnce(
    CloseInput,
    Context,
) -> std::pin::Pin<Box<dyn Future<Output = anyhow::Result<CloseOutput>> + Send>>
+ Send
+ Sync
+ Clone
+ 'static {
    move |input: CloseInput, _ctx: Context| {
        let tx = tx.clone();
        Box::pin(async move {
            let _ = tx.send(input.session_id);
            Ok(CloseOutput {
                closed: true,
                session_id: input.session_id,
            })
        })
    }
}

#[tokio::test]
async fn scheduled_run_reaches_the_sdk_worker_and_the_schedule_is_deleted() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);

    // Before any worker registered the workflow: 400 "workflow not found".
    let (status, body) = rest
        .create(
            TASK,
            json!({"input": {}, "additionalMetadata": {}, "triggerAt": Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        json!({"errors": [{"description": "workflow not found"}]})
    );

    let hatchet = client(&engine).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = spawn_worker(
        &hatchet,
        "attendance-worker",
        TaskOpts::default(),
        record_and_succeed(tx),
    );
    wait_worker_ready(&engine, "attendance-worker", TASK).await;
    let wf = engine.workflows();
    assert_eq!(
        wf[0].tasks[0].action,
        "close-teaching-session:close-teaching-session"
    );
    assert_eq!(wf[0].tasks[0].retries, 5);
    assert_eq!(wf[0].tasks[0].timeout, Duration::from_secs(30));

    let trigger = Utc::now() + chrono::Duration::milliseconds(1500);
    let (status, body) = rest
        .create(
            TASK,
            json!({"input": {"session_id": 42}, "additionalMetadata": {"session": "42"}, "triggerAt": trigger.to_rfc3339()}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let id = Uuid::parse_str(body["metadata"]["id"].as_str().expect("id")).expect("uuid");
    assert_eq!(body["workflowName"], TASK);
    assert_eq!(body["tenantId"], engine.tenant_id().to_string());
    assert_eq!(body["method"], "API");
    assert_eq!(body["priority"], 1);
    assert_eq!(body["input"], json!({"session_id": 42}));
    assert_eq!(body["additionalMetadata"], json!({"session": "42"}));
    assert_eq!(body["workflowId"], wf[0].id.to_string());
    assert_eq!(body["workflowVersionId"], wf[0].version_id.to_string());
    let echoed =
        chrono::DateTime::parse_from_rfc3339(body["triggerAt"].as_str().expect("triggerAt"))
            .expect("rfc3339");
    // Stored as TIMESTAMP(3): rounded to the millisecond.
    assert!((echoed.timestamp_millis() - trigger.timestamp_millis()).abs() <= 1);
    assert!(body["metadata"]["createdAt"].is_string());

    let (status, got) = rest.get(id).await;
    assert_eq!(status, 200);
    assert_eq!(got["metadata"]["id"], id.to_string());
    let (status, list) = rest.list(&[]).await;
    assert_eq!(status, 200);
    assert_eq!(list["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        list["pagination"],
        json!({"current_page": 1, "next_page": 1, "num_pages": 1})
    );

    let got = tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("task ran");
    assert_eq!(got, Some(42));
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            WAIT,
        )
        .await
        .expect("run succeeded");
    let run = engine.runs_for_schedule(id).remove(0);
    assert_eq!(run.input, json!({"session_id": 42}));
    assert_eq!(run.output, Some(json!({"closed": true, "session_id": 42})));
    assert_eq!(run.attempts.len(), 1);
    assert_eq!(run.attempts[0].outcome, AttemptOutcome::Succeeded);
    assert!(run.attempts[0].started_at.is_some());
    assert!(run.created_at >= trigger - chrono::Duration::milliseconds(5));
    assert_eq!(run.dispatched_to, vec![engine.workers()[0].id]);

    // The engine deletes a schedule once it fired.
    let (status, body) = rest.get(id).await;
    assert_eq!(status, 404);
    assert_eq!(body, json!({"message": "scheduled workflow run not found"}));
    assert_eq!(rest.delete(id).await.0, 404);

    // Deleting a pending schedule: 204, then 404.
    let later = rest
        .schedule_in(TASK, 3_600_000, json!({"session_id": 7}), json!({}))
        .await;
    let (status, body) = rest.delete(later).await;
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(rest.get(later).await.0, 404);
    assert_eq!(rest.delete(later).await.0, 404);

    assert_eq!(engine.request_count(routes::CREATE_SCHEDULED), 3);
    assert_eq!(engine.request_count(routes::DELETE_SCHEDULED), 3);
    assert!(engine.request_count(routes::GRPC_HEARTBEAT) >= 1);
    assert!(!worker.is_finished());
    worker.abort();
}

#[tokio::test]
async fn failed_attempts_are_retried_up_to_the_task_retries() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    let hatchet = client(&engine).await;
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let flaky = move |input: CloseInput, _ctx: Context| {
        let c = c.clone();
        async move {
            let n = c.fetch_add(1, Ordering::SeqCst);
            if n < 2 {
                anyhow::bail!("database unavailable (call {n})");
            }
            Ok(CloseOutput {
                closed: true,
                session_id: input.session_id,
            })
        }
    };
    let worker = spawn_worker(&hatchet, "flaky-worker", TaskOpts::default(), flaky);
    // A second task that always fails, with 1 retry.
    let always_fails = move |_input: CloseInput, _ctx: Context| async move {
        Err::<CloseOutput, _>(anyhow::anyhow!("always"))
    };
    let worker2 = spawn_worker(
        &hatchet,
        "failing-worker",
        TaskOpts {
            name: "always-fails",
            retries: 1,
            ..TaskOpts::default()
        },
        always_fails,
    );
    wait_worker_ready(&engine, "flaky-worker", TASK).await;
    wait_worker_ready(&engine, "failing-worker", "always-fails").await;

    let id = rest
        .schedule_in(TASK, 200, json!({"session_id": 1}), json!({}))
        .await;
    let failing = rest
        .schedule_in("always-fails", 200, json!({"session_id": 2}), json!({}))
        .await;
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status.is_terminal())
                    && e.runs_for_schedule(failing)
                        .iter()
                        .any(|r| r.status.is_terminal())
            },
            WAIT,
        )
        .await
        .expect("runs finished");
    let run = engine.runs_for_schedule(id).remove(0);
    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(run.attempts.len(), 3);
    assert_eq!(
        run.attempts
            .iter()
            .map(|a| a.retry_count)
            .collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert!(
        matches!(&run.attempts[0].outcome, AttemptOutcome::Failed(m) if m.contains("database unavailable (call 0)"))
    );
    assert_eq!(run.attempts[2].outcome, AttemptOutcome::Succeeded);

    let run = engine.runs_for_schedule(failing).remove(0);
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.attempts.len(), 2);
    assert!(run.error.as_deref().is_some_and(|e| e.contains("always")));
    worker.abort();
    worker2.abort();
}

#[tokio::test]
async fn an_attempt_exceeding_the_execution_timeout_is_cancelled_and_retried() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    let hatchet = client(&engine).await;
    let calls = Arc::new(AtomicU32::new(0));
    let c = calls.clone();
    let slow_first = move |input: CloseInput, _ctx: Context| {
        let c = c.clone();
        async move {
            if c.fetch_add(1, Ordering::SeqCst) == 0 {
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            Ok(CloseOutput {
                closed: true,
                session_id: input.session_id,
            })
        }
    };
    let opts = TaskOpts {
        retries: 1,
        execution_timeout: Duration::from_secs(1),
        ..TaskOpts::default()
    };
    let worker = spawn_worker(&hatchet, "slow-worker", opts, slow_first);
    let never = |_input: CloseInput, _ctx: Context| async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(CloseOutput {
            closed: false,
            session_id: 0,
        })
    };
    let opts = TaskOpts {
        name: "never-finishes",
        retries: 0,
        execution_timeout: Duration::from_secs(1),
        ..TaskOpts::default()
    };
    let worker2 = spawn_worker(&hatchet, "stuck-worker", opts, never);
    wait_worker_ready(&engine, "slow-worker", TASK).await;
    wait_worker_ready(&engine, "stuck-worker", "never-finishes").await;
    assert_eq!(
        engine.workflows()[0].tasks[0].timeout,
        Duration::from_secs(1)
    );

    let id = rest
        .schedule_in(TASK, 100, json!({"session_id": 5}), json!({}))
        .await;
    let stuck = rest
        .schedule_in("never-finishes", 100, json!({"session_id": 6}), json!({}))
        .await;
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status.is_terminal())
                    && e.runs_for_schedule(stuck)
                        .iter()
                        .any(|r| r.status.is_terminal())
            },
            WAIT,
        )
        .await
        .expect("runs finished");
    let run = engine.runs_for_schedule(id).remove(0);
    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(run.attempts.len(), 2);
    assert_eq!(run.attempts[0].outcome, AttemptOutcome::TimedOut);
    let run = engine.runs_for_schedule(stuck).remove(0);
    assert_eq!(run.status, RunStatus::TimedOut);
    assert_eq!(run.error.as_deref(), Some("Task exceeded timeout of 1s"));
    worker.abort();
    worker2.abort();
}

#[tokio::test]
async fn without_a_worker_the_run_is_cancelled_after_the_schedule_timeout() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, "orphan-task", "2s").await;
    let id = rest
        .schedule_in("orphan-task", 200, json!({"session_id": 9}), json!({}))
        .await;
    engine
        .wait_for(|e| !e.runs_for_schedule(id).is_empty(), WAIT)
        .await
        .expect("run created");
    assert_eq!(engine.runs_for_schedule(id)[0].status, RunStatus::Queued);
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status == RunStatus::Cancelled)
            },
            WAIT,
        )
        .await
        .expect("cancelled");
    let run = engine.runs_for_schedule(id).remove(0);
    assert_eq!(run.cancel_reason.as_deref(), Some("SCHEDULING_TIMED_OUT"));
    assert!(run.attempts.is_empty());
    let waited = run.finished_at.expect("finished") - run.created_at;
    assert!(waited >= chrono::Duration::milliseconds(1900), "{waited}");
    // Not retried.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(engine.runs().len(), 1);
    assert_eq!(
        engine.run(run.id).map(|r| r.status),
        Some(RunStatus::Cancelled)
    );
}

#[tokio::test]
async fn authentication_and_validation_errors_look_like_the_real_api() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, TASK, "5m").await;
    let forbidden = json!({"message": "Please provide valid credentials"});
    let trigger = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let body = json!({"input": {}, "additionalMetadata": {}, "triggerAt": trigger});
    let create_url = rest.url(&format!("/workflows/{TASK}/scheduled"));

    // REST: no token, expired, forged, another tenant's token -> 403.
    let (tenant2, token2) = engine.create_tenant();
    for token in [
        None,
        Some(engine.mint_expired_token()),
        Some(engine.mint_forged_token()),
        Some(token2.clone()),
        Some("not-a-jwt".to_string()),
    ] {
        let mut req = rest.http.post(&create_url).json(&body);
        if let Some(t) = &token {
            req = req.bearer_auth(t);
        }
        let (status, resp) = rest.send(req).await;
        assert_eq!((status, &resp), (403, &forbidden), "token {token:?}");
    }
    let revoked = engine.mint_token(engine.tenant_id(), Utc::now() + chrono::Duration::hours(1));
    let (status, _) = rest
        .send(
            rest.http
                .post(&create_url)
                .bearer_auth(&revoked)
                .json(&body),
        )
        .await;
    assert_eq!(status, 200);
    engine.revoke_token(&revoked);
    let (status, _) = rest
        .send(
            rest.http
                .post(&create_url)
                .bearer_auth(&revoked)
                .json(&body),
        )
        .await;
    assert_eq!(status, 403);
    // Our token on the other tenant's path -> 403; unknown tenant -> 404; bad id -> 400.
    let other = format!(
        "{}/api/v1/tenants/{tenant2}/workflows/scheduled",
        engine.rest_url()
    );
    assert_eq!(
        rest.send(rest.http.get(&other).bearer_auth(&rest.token))
            .await
            .0,
        403
    );
    assert_eq!(
        rest.send(rest.http.get(&other).bearer_auth(&token2))
            .await
            .0,
        200
    );
    let unknown = format!(
        "{}/api/v1/tenants/{}/workflows/scheduled",
        engine.rest_url(),
        Uuid::new_v4()
    );
    assert_eq!(
        rest.send(rest.http.get(&unknown).bearer_auth(&rest.token))
            .await,
        (404, json!({"message": "not found"}))
    );
    let bad = format!(
        "{}/api/v1/tenants/nope/workflows/scheduled",
        engine.rest_url()
    );
    assert_eq!(
        rest.send(rest.http.get(&bad).bearer_auth(&rest.token))
            .await,
        (400, json!({"message": "invalid tenant id"}))
    );

    // Malformed bodies.
    let (status, resp) = rest
        .send(
            rest.http
                .post(&create_url)
                .bearer_auth(&rest.token)
                .header("content-type", "application/json")
                .body("{not json"),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        resp["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Syntax error")),
        "{resp}"
    );
    let (status, resp) = rest
        .create(TASK, json!({"input": {}, "triggerAt": "tomorrow"}))
        .await;
    assert_eq!(status, 400);
    assert!(
        resp["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("parsing time")),
        "{resp}"
    );
    let (status, resp) = rest
        .create(TASK, json!({"input": "x", "triggerAt": trigger}))
        .await;
    assert_eq!(status, 400);
    assert!(
        resp["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Unmarshal type error")),
        "{resp}"
    );
    let (status, resp) = rest
        .create(
            TASK,
            json!({"input": {}, "triggerAt": trigger, "priority": 4}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        resp["errors"][0]["description"]
            .as_str()
            .is_some_and(|m| m.contains("'max' tag")),
        "{resp}"
    );
    let (status, _) = rest
        .send(
            rest.http
                .post(&create_url)
                .bearer_auth(&rest.token)
                .header("content-type", "text/plain")
                .body("hi"),
        )
        .await;
    assert_eq!(status, 415);

    // Get/delete with a malformed or unknown id.
    let (status, resp) = rest
        .send(
            rest.http
                .get(rest.url("/workflows/scheduled/abc"))
                .bearer_auth(&rest.token),
        )
        .await;
    assert_eq!(
        (status, resp),
        (400, json!({"message": "invalid scheduled workflow run id"}))
    );
    assert_eq!(rest.get(Uuid::new_v4()).await.0, 404);
    // The populator runs before authentication: unknown id with no token is still 404.
    let (status, _) = rest
        .send(
            rest.http
                .get(rest.url(&format!("/workflows/scheduled/{}", Uuid::new_v4()))),
        )
        .await;
    assert_eq!(status, 404);

    // List parameter errors.
    assert_eq!(
        rest.list(&[("additionalMetadata", "nocolon")]).await,
        (
            400,
            json!({"errors": [{"description": "Additional metadata filters must be in the format key:value."}]})
        )
    );
    assert_eq!(rest.list(&[("offset", "x")]).await.0, 400);
    assert_eq!(rest.list(&[("workflowId", "x")]).await.0, 400);
    assert_eq!(rest.list(&[("orderByField", "name")]).await.0, 500);
    assert_eq!(
        rest.send(rest.http.get(format!("{}/api/ready", engine.rest_url())))
            .await
            .0,
        200
    );
    assert_eq!(
        rest.send(rest.http.get(format!("{}/api/nothing", engine.rest_url())))
            .await,
        (404, json!({"message": "Not Found"}))
    );

    // gRPC: bad tokens -> Unauthenticated "invalid auth token".
    let register = pb::WorkerRegisterRequest {
        worker_name: "w".into(),
        actions: vec![format!("{TASK}:{TASK}")],
        slots: Some(1),
        ..Default::default()
    };
    for token in [
        engine.mint_expired_token(),
        engine.mint_forged_token(),
        "x.y.z".to_string(),
    ] {
        let err = grpc::<_, pb::WorkerRegisterResponse>(
            &engine,
            &token,
            "/Dispatcher/Register",
            register.clone(),
        )
        .await
        .expect_err("must be refused");
        assert_eq!(err.code(), tonic::Code::Unauthenticated);
        assert_eq!(err.message(), "invalid auth token");
    }
    let other_tenant_token =
        engine.mint_token(Uuid::new_v4(), Utc::now() + chrono::Duration::hours(1));
    let err = grpc::<_, pb::WorkerRegisterResponse>(
        &engine,
        &other_tenant_token,
        "/Dispatcher/Register",
        register.clone(),
    )
    .await
    .expect_err("unknown tenant");
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    // Heartbeat for an unknown worker -> NotFound; malformed id -> InvalidArgument.
    let err = grpc::<_, pb::HeartbeatResponse>(
        &engine,
        &engine.token(),
        "/Dispatcher/Heartbeat",
        pb::HeartbeatRequest {
            worker_id: Uuid::new_v4().to_string(),
            heartbeat_at: None,
        },
    )
    .await
    .expect_err("unknown worker");
    assert_eq!(err.code(), tonic::Code::NotFound);
    let err = grpc::<_, pb::HeartbeatResponse>(
        &engine,
        &engine.token(),
        "/Dispatcher/Heartbeat",
        pb::HeartbeatRequest {
            worker_id: "nope".into(),
            heartbeat_at: None,
        },
    )
    .await
    .expect_err("bad id");
    assert_eq!(err.code(), tonic::Code::InvalidArgument);

    // The SDK worker with a forged token: start() returns an error (no panic).
    let hatchet = Hatchet::from_token(
        &engine.rest_url(),
        &engine.grpc_address(),
        &engine.mint_forged_token(),
        "none",
    )
    .await
    .expect("client");
    let (tx, _rx) = mpsc::unbounded_channel();
    let worker = spawn_worker(
        &hatchet,
        "bad-token-worker",
        TaskOpts::default(),
        record_and_succeed(tx),
    );
    let res = tokio::time::timeout(WAIT, worker)
        .await
        .expect("start returned")
        .expect("no panic");
    assert!(
        matches!(res, Err(HatchetError::GrpcErrorStatus(ref m)) if m == "invalid auth token"),
        "{res:?}"
    );
}

#[tokio::test]
async fn list_filters_and_pagination() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, TASK, "5m").await;
    put_workflow(&engine, "other-task", "5m").await;
    let a = rest
        .schedule_in(
            TASK,
            3_600_000,
            json!({"session_id": 1}),
            json!({"teacher": "t1", "room": "r1"}),
        )
        .await;
    let b = rest
        .schedule_in(
            TASK,
            7_200_000,
            json!({"session_id": 2}),
            json!({"teacher": "t1"}),
        )
        .await;
    let c = rest
        .schedule_in(
            "other-task",
            10_800_000,
            json!({"session_id": 3}),
            json!({"teacher": "t2"}),
        )
        .await;
    let ids = |v: &Value| -> Vec<String> {
        v["rows"]
            .as_array()
            .map(|r| {
                r.iter()
                    .map(|x| x["metadata"]["id"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };

    let (status, all) = rest.list(&[]).await;
    assert_eq!(status, 200);
    // Default order: triggerAt DESC.
    assert_eq!(ids(&all), vec![c.to_string(), b.to_string(), a.to_string()]);
    let (_, t1) = rest.list(&[("additionalMetadata", "teacher:t1")]).await;
    assert_eq!(ids(&t1), vec![b.to_string(), a.to_string()]);
    let (_, both) = rest
        .list(&[
            ("additionalMetadata", "teacher:t1"),
            ("additionalMetadata", "room:r1"),
        ])
        .await;
    assert_eq!(ids(&both), vec![a.to_string()]);
    let wf = engine
        .workflows()
        .into_iter()
        .find(|w| w.name == "other-task")
        .expect("wf");
    let (_, by_wf) = rest.list(&[("workflowId", &wf.id.to_string())]).await;
    assert_eq!(ids(&by_wf), vec![c.to_string()]);
    let (_, page) = rest
        .list(&[
            ("limit", "1"),
            ("offset", "1"),
            ("orderByField", "triggerAt"),
            ("orderByDirection", "ASC"),
        ])
        .await;
    assert_eq!(ids(&page), vec![b.to_string()]);
    assert_eq!(
        page["pagination"],
        json!({"current_page": 2, "next_page": 3, "num_pages": 3})
    );
    let (_, last) = rest.list(&[("limit", "2"), ("offset", "2")]).await;
    assert_eq!(
        last["pagination"],
        json!({"current_page": 2, "next_page": 2, "num_pages": 2})
    );
    let (_, scheduled) = rest.list(&[("statuses", "SCHEDULED")]).await;
    assert_eq!(ids(&scheduled).len(), 3);
    let (_, running) = rest.list(&[("statuses", "RUNNING")]).await;
    assert_eq!(ids(&running).len(), 0);
    assert_eq!(engine.request_count(routes::LIST_SCHEDULED), 8);
}

#[tokio::test]
async fn stop_and_restart() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    let (rest_port, grpc_port) = (engine.rest_port(), engine.grpc_port());
    let hatchet = client(&engine).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = spawn_worker(
        &hatchet,
        "worker-one",
        TaskOpts::default(),
        record_and_succeed(tx.clone()),
    );
    wait_worker_ready(&engine, "worker-one", TASK).await;
    let old_worker = engine.workers()[0].id;

    let far = rest
        .schedule_in(TASK, 3_600_000, json!({"session_id": 100}), json!({}))
        .await;
    let missed = rest
        .schedule_in(TASK, 1_000, json!({"session_id": 101}), json!({}))
        .await;
    engine.stop().await;
    assert!(!engine.is_running());
    assert!(
        reqwest::get(format!("{}/api/ready", engine.rest_url()))
            .await
            .is_err()
    );

    // The SDK worker notices: start() returns an error (heartbeat fails) instead of going
    // on deaf.
    let res = tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .expect("start() returned")
        .expect("no panic");
    assert!(res.is_err(), "{res:?}");
    eprintln!("start() after stop returned: {res:?}");

    tokio::time::sleep(Duration::from_millis(1200)).await;
    engine.restart().await.expect("restart");
    assert_eq!(
        (engine.rest_port(), engine.grpc_port()),
        (rest_port, grpc_port)
    );

    // State persisted; the schedule that came due while stopped is replayed at once, as
    // the engine source does (no lower bound on the poll).
    assert_eq!(rest.get(far).await.0, 200);
    engine
        .wait_for(
            |e| !e.runs_for_schedule(missed).is_empty(),
            Duration::from_secs(5),
        )
        .await
        .expect("the missed schedule fires after the restart");
    assert_eq!(rest.get(missed).await.0, 404);

    // The old worker id is rejected: its stream is gone.
    let err = grpc::<_, pb::HeartbeatResponse>(
        &engine,
        &engine.token(),
        "/Dispatcher/Heartbeat",
        pb::HeartbeatRequest {
            worker_id: old_worker.to_string(),
            heartbeat_at: None,
        },
    )
    .await
    .expect_err("heartbeat rejected");
    assert_eq!(err.code(), tonic::Code::FailedPrecondition);
    assert!(
        err.message()
            .starts_with("Heartbeat rejected: worker stream is not active")
    );

    // A new worker registers and gets work.
    let hatchet = client(&engine).await;
    let worker = spawn_worker(
        &hatchet,
        "worker-two",
        TaskOpts::default(),
        record_and_succeed(tx),
    );
    wait_worker_ready(&engine, "worker-two", TASK).await;
    let id = rest
        .schedule_in(TASK, 300, json!({"session_id": 102}), json!({}))
        .await;
    // The replayed run (101) waited for a worker; both reach the new one.
    let mut got = Vec::new();
    while got.len() < 2 {
        let next = tokio::time::timeout(WAIT, rx.recv())
            .await
            .expect("task ran");
        got.extend(next);
    }
    got.sort();
    assert_eq!(got, vec![101, 102]);
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            WAIT,
        )
        .await
        .expect("succeeded");
    let new_worker = engine
        .workers()
        .iter()
        .find(|w| w.name == "worker-two")
        .map(|w| w.id);
    assert_eq!(
        engine.runs_for_schedule(id)[0]
            .dispatched_to
            .first()
            .copied(),
        new_worker
    );
    worker.abort();
}

#[tokio::test]
async fn a_delete_after_the_poller_picked_the_schedule_does_not_stop_the_run() {
    let config = EngineConfig {
        poll_interval: Duration::from_secs(3),
        ..EngineConfig::fast()
    };
    let engine = TestEngine::start(config).await.expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, TASK, "5m").await;
    let id = rest
        .schedule_in(TASK, 1_500, json!({"session_id": 3}), json!({}))
        .await;
    // A restart polls at once; the schedule is due within the 3 s look-ahead: a timer is armed.
    engine.restart().await.expect("restart");
    engine
        .wait_for(
            |e| e.schedules().iter().any(|s| s.id == id && s.picked),
            WAIT,
        )
        .await
        .expect("picked");
    assert_eq!(rest.delete(id).await.0, 204);
    engine
        .wait_for(|e| !e.runs_for_schedule(id).is_empty(), WAIT)
        .await
        .expect("the run was created anyway");
    // A schedule deleted before any poll picked it never runs.
    let id2 = rest
        .schedule_in(TASK, 10_000, json!({"session_id": 4}), json!({}))
        .await;
    assert_eq!(rest.delete(id2).await.0, 204);
}

#[tokio::test]
async fn tasks_of_a_silent_worker_are_reassigned_and_work_is_spread_round_robin() {
    let config = EngineConfig {
        heartbeat_timeout: Duration::from_secs(6),
        ..EngineConfig::fast()
    };
    let engine = TestEngine::start(config).await.expect("engine");
    let rest = Rest::new(&engine);
    let hatchet = client(&engine).await;
    let hang_once = Arc::new(AtomicBool::new(true));
    let hanging = Arc::new(tokio::sync::Notify::new());
    let make = |hang: Arc<AtomicBool>, hanging: Arc<tokio::sync::Notify>| {
        move |input: CloseInput, _ctx: Context| {
            let hang = hang.clone();
            let hanging = hanging.clone();
            async move {
                if input.session_id == 99 && hang.swap(false, Ordering::SeqCst) {
                    hanging.notify_one();
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
                Ok(CloseOutput {
                    closed: true,
                    session_id: input.session_id,
                })
            }
        }
    };
    let a = spawn_worker(
        &hatchet,
        "worker-a",
        TaskOpts::default(),
        make(hang_once.clone(), hanging.clone()),
    );
    let b = spawn_worker(
        &hatchet,
        "worker-b",
        TaskOpts::default(),
        make(hang_once.clone(), hanging.clone()),
    );
    wait_worker_ready(&engine, "worker-a", TASK).await;
    wait_worker_ready(&engine, "worker-b", TASK).await;

    // Four runs due at once are spread over both workers.
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            rest.schedule_in(TASK, 300, json!({"session_id": i}), json!({}))
                .await,
        );
    }
    engine
        .wait_for(
            |e| {
                ids.iter().all(|id| {
                    e.runs_for_schedule(*id)
                        .iter()
                        .any(|r| r.status == RunStatus::Succeeded)
                })
            },
            WAIT,
        )
        .await
        .expect("all done");
    let workers = engine.workers();
    for w in &workers {
        let n = ids
            .iter()
            .filter(|id| engine.runs_for_schedule(**id)[0].dispatched_to[0] == w.id)
            .count();
        assert_eq!(n, 2, "worker {} got {n} runs", w.name);
    }

    // The run for session 99 hangs on whichever worker gets it; that worker then goes
    // silent (its start() future is dropped: no more heartbeats).
    let id = rest
        .schedule_in(TASK, 100, json!({"session_id": 99}), json!({}))
        .await;
    tokio::time::timeout(WAIT, hanging.notified())
        .await
        .expect("the handler started");
    let first = engine.runs_for_schedule(id)[0].dispatched_to[0];
    let first_name = workers
        .iter()
        .find(|w| w.id == first)
        .map(|w| w.name.clone());
    let (silent, alive) = if first_name.as_deref() == Some("worker-a") {
        (a, b)
    } else {
        (b, a)
    };
    silent.abort();
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            Duration::from_secs(20),
        )
        .await
        .unwrap_or_else(|e| {
            panic!(
                "reassigned and completed: {e}\n{:#?}\n{:#?}",
                engine.runs_for_schedule(id),
                engine.workers()
            )
        });
    let run = engine.runs_for_schedule(id).remove(0);
    assert_eq!(run.attempts.len(), 2);
    assert_eq!(run.attempts[0].outcome, AttemptOutcome::WorkerLost);
    assert_eq!(run.attempts[1].outcome, AttemptOutcome::Succeeded);
    assert_ne!(run.dispatched_to[0], run.dispatched_to[1]);
    assert_eq!(run.attempts[1].retry_count, 1);
    alive.abort();
}

#[tokio::test]
async fn when_its_stream_ends_the_sdk_worker_stops_with_an_error() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let hatchet = client(&engine).await;
    let (tx, _rx) = mpsc::unbounded_channel();
    let worker = spawn_worker(
        &hatchet,
        "deaf-worker",
        TaskOpts::default(),
        record_and_succeed(tx),
    );
    wait_worker_ready(&engine, "deaf-worker", TASK).await;
    let id = engine.workers()[0].id;
    // End the worker's ListenV2 stream while the engine keeps running.
    let _: pb::WorkerUnsubscribeResponse = grpc(
        &engine,
        &engine.token(),
        "/Dispatcher/Unsubscribe",
        pb::WorkerUnsubscribeRequest {
            worker_id: id.to_string(),
        },
    )
    .await
    .expect("unsubscribe");
    assert!(!engine.workers()[0].connected);
    // The SDK never reconnects the stream, but its next heartbeat is rejected and
    // start() returns that error.
    let res = tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .expect("start() returned")
        .expect("no panic");
    eprintln!("start() after the stream ended returned: {res:?}");
    let expected = format!("Heartbeat rejected: worker stream is not active: {id}");
    assert!(
        matches!(res, Err(HatchetError::GrpcErrorStatus(ref m)) if *m == expected),
        "{res:?}"
    );
}

#[tokio::test]
async fn the_sdk_rest_client_parses_the_responses() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    put_workflow(&engine, TASK, "5m").await;
    let hatchet = client(&engine).await;
    let created = hatchet
        .schedules
        .create(
            TASK,
            hatchet_sdk::CreateScheduleOpts {
                trigger_at: Utc::now() + chrono::Duration::hours(1),
                input: json!({"session_id": 8}),
                additional_metadata: Some(json!({"teacher": "t9"})),
                priority: Some(2),
            },
        )
        .await
        .expect("SDK create");
    assert_eq!(created.workflow_name, TASK);
    assert_eq!(created.priority, Some(2));
    assert_eq!(created.input, json!({"session_id": 8}));
    assert_eq!(created.workflow_run_id, None);
    let got = hatchet
        .schedules
        .get(&created.metadata_id)
        .await
        .expect("SDK get");
    assert_eq!(got.trigger_at, created.trigger_at);
    let listed = hatchet
        .schedules
        .list(hatchet_sdk::ListSchedulesOpts {
            additional_metadata: Some(vec!["teacher:t9".to_string()]),
            ..Default::default()
        })
        .await
        .expect("SDK list");
    assert_eq!(listed.rows.len(), 1);
    assert_eq!(listed.pagination.and_then(|p| p.num_pages), Some(1));
    hatchet
        .schedules
        .delete(&created.metadata_id)
        .await
        .expect("SDK delete");
    let err = hatchet
        .schedules
        .get(&created.metadata_id)
        .await
        .expect_err("gone");
    assert!(err.to_string().contains("404"), "{err}");
    // A REST call with an invalid token through the SDK: the 403 surfaces as a string.
    let bad = Hatchet::from_token(
        &engine.rest_url(),
        &engine.grpc_address(),
        &engine.mint_expired_token(),
        "none",
    )
    .await
    .expect("client");
    let err = bad
        .schedules
        .list(hatchet_sdk::ListSchedulesOpts::default())
        .await
        .expect_err("refused");
    eprintln!("SDK REST error for an expired token: {err}");
    assert!(err.to_string().contains("403"), "{err}");
}

#[test]
fn services_come_from_the_pinned_sdk_protos() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<TestEngine>();
    let dir = std::path::Path::new(hatchet_test_engine::proto::PROTO_DIR);
    assert!(dir.ends_with("api-contracts/protos"), "{}", dir.display());
    assert!(dir.join("dispatcher/dispatcher.proto").is_file());
    assert!(
        dir.to_string_lossy().contains("0.2.8")
            || hatchet_test_engine::proto::PROTO_SOURCE == "cargo metadata"
    );
}

impl Rest {
    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .post(self.url(path))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }

    async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(
            self.http
                .patch(self.url(path))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }
}

#[tokio::test]
async fn bulk_delete_bulk_update_and_patch_have_the_real_shapes() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, TASK, "5m").await;
    let a = rest
        .schedule_in(
            TASK,
            3_600_000,
            json!({"session_id": 1}),
            json!({"class_id": "7"}),
        )
        .await;
    let b = rest
        .schedule_in(
            TASK,
            3_600_000,
            json!({"session_id": 2}),
            json!({"class_id": "7"}),
        )
        .await;
    let c = rest
        .schedule_in(
            TASK,
            3_600_000,
            json!({"session_id": 3}),
            json!({"class_id": "8"}),
        )
        .await;
    let gone = Uuid::new_v4();

    // PATCH one.
    let (status, body) = rest
        .patch(
            &format!("/workflows/scheduled/{a}"),
            json!({"triggerAt": "2031-01-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["triggerAt"], "2031-01-01T10:00:00Z");
    let (status, _) = rest
        .patch(
            &format!("/workflows/scheduled/{gone}"),
            json!({"triggerAt": "2031-01-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, 404);

    // Bulk update: moved ids, and errors for the others.
    let (status, body) = rest
        .post(
            "/workflows/scheduled/bulk-update",
            json!({"updates": [
                {"id": b.to_string(), "triggerAt": "2031-01-02T10:00:00Z"},
                {"id": gone.to_string(), "triggerAt": "2031-01-02T10:00:00Z"},
            ]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["updatedIds"], json!([b.to_string()]));
    assert_eq!(body["errors"][0]["id"], gone.to_string());
    assert_eq!(rest.get(b).await.1["triggerAt"], "2031-01-02T10:00:00Z");

    // Bulk delete by ids, then by metadata filter.
    let (status, body) = rest
        .post(
            "/workflows/scheduled/bulk-delete",
            json!({"scheduledWorkflowRunIds": [a.to_string(), gone.to_string()]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["deletedIds"], json!([a.to_string()]));
    assert_eq!(body["errors"][0]["id"], gone.to_string());
    let (status, body) = rest
        .post(
            "/workflows/scheduled/bulk-delete",
            json!({"filter": {"additionalMetadata": ["class_id:7"]}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["deletedIds"], json!([b.to_string()]));
    assert_eq!(rest.get(c).await.0, 200);

    // At most 500 ids per request.
    let many: Vec<String> = (0..501).map(|_| Uuid::new_v4().to_string()).collect();
    let (status, _) = rest
        .post(
            "/workflows/scheduled/bulk-delete",
            json!({"scheduledWorkflowRunIds": many}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(engine.request_count(routes::BULK_DELETE_SCHEDULED), 3);
    assert_eq!(engine.request_count(routes::BULK_UPDATE_SCHEDULED), 1);
    assert_eq!(engine.request_count(routes::UPDATE_SCHEDULED), 2);
}

#[tokio::test]
async fn rate_limits_and_injected_400s() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    put_workflow(&engine, TASK, "5m").await;
    engine.set_rate_limit(Some(2));
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(rest.get(Uuid::new_v4()).await.0);
    }
    // Path resources come first (404), the limit applies from authentication on.
    assert!(statuses.iter().all(|s| *s == 404), "{statuses:?}");
    let body = json!({"input": {}, "triggerAt": "2031-01-01T10:00:00Z"});
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(rest.create(TASK, body.clone()).await.0);
    }
    assert!(codes.contains(&429), "{codes:?}");
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/tenants/{}/workflows/{TASK}/scheduled",
            engine.rest_url(),
            engine.tenant_id()
        ))
        .bearer_auth(engine.token())
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().get("retry-after").is_some());
    engine.set_rate_limit(None);

    engine.inject_create_fault(hatchet_test_engine::RestFault::BadRequest(
        "could not create scheduled run: timeout".into(),
    ));
    let (status, body) = rest
        .create(
            TASK,
            json!({"input": {}, "triggerAt": "2031-01-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["errors"][0]["description"],
        "could not create scheduled run: timeout"
    );
    let (status, _) = rest
        .create(
            TASK,
            json!({"input": {}, "triggerAt": "2031-01-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_worker_list_is_the_real_one_and_a_crash_keeps_rows_active() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("engine");
    let rest = Rest::new(&engine);
    engine
        .deaf_worker("Deaf-Worker", TASK, TASK)
        .expect("deaf worker");
    // ACTIVE on the heartbeat alone; the name filter ignores case.
    let (status, body) = rest
        .send(
            rest.http
                .get(rest.url("/worker"))
                .query(&[("name", "deaf-WORKER")])
                .bearer_auth(&rest.token),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"][0]["status"], "ACTIVE", "{body}");
    assert_eq!(body["rows"].as_array().map(Vec::len), Some(1));

    // A crash leaves the row active: a run is offered to it, goes back to the queue (one
    // of 10 internal retries), and waits.
    engine.crash_and_restart().await.expect("crash");
    let id = rest
        .schedule_in(TASK, 0, json!({"session_id": 5}), json!({}))
        .await;
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(id)
                    .first()
                    .is_some_and(|r| r.attempts.len() == 1)
            },
            WAIT,
        )
        .await
        .expect("offered once");
    let run = &engine.runs_for_schedule(id)[0];
    assert_eq!(run.status, RunStatus::Queued, "{run:?}");
    assert_eq!(run.attempts[0].outcome, AttemptOutcome::WorkerLost);
    assert!(engine.workers().iter().all(|w| w.is_active));
    assert_eq!(EngineConfig::default().max_internal_retries, 10);
}
