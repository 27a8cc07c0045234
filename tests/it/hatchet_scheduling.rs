//! attctl's side of the automatic close: `session create` schedules a Hatchet run of
//! `close-teaching-session`, `close`/`delete`/`reschedule` cancel or replace it, and every
//! scheduling failure leaves the session created with a warning. Real PostgreSQL +
//! PostgREST, the Hatchet test engine, and the real `attctl` and `attctl-worker` binaries.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{Backend, TestEnv, blocking};
use hatchet_test_engine::{EngineConfig, RestFault, TestEngine};
use serde_json::Value;

fn hatchet_env(engine: &TestEngine) -> TestEnv {
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("HATCHET_CLIENT_TOKEN", &engine.token());
    env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
    env.set("ATTCTL_HTTP_TIMEOUT", "5");
    env
}

/// A real attctl-worker, which registers the task with the engine. Killed on drop.
struct WorkerProcess(Child);

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_worker(env: &TestEnv, engine: &TestEngine) -> WorkerProcess {
    start_worker_on(attctl_testkit::SupabaseStack::shared(), env, engine)
}

fn start_worker_on(
    stack: &attctl_testkit::SupabaseStack,
    env: &TestEnv,
    engine: &TestEngine,
) -> WorkerProcess {
    let bin = crate::common::binary("attctl-worker");
    let child = Command::new(bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SUPABASE_URL", stack.url())
        .env("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key())
        .env("HATCHET_CLIENT_TOKEN", engine.token())
        .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
        .env("ATTCTL_SWEEP_INTERVAL", "3600")
        .env("ATTCTL_TIMEZONE", "UTC")
        .current_dir(env.dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn attctl-worker");
    WorkerProcess(child)
}

async fn registered(engine: &TestEngine) {
    engine
        .wait_for(
            |e| {
                e.workflows()
                    .iter()
                    .any(|w| w.name == "close-teaching-session")
            },
            Duration::from_secs(20),
        )
        .await
        .expect("the worker registers close-teaching-session");
}

/// `session create -o json` in a new class, on `date` from `start` to `end`, off the
/// runtime the engine runs on; gives `env` back.
fn create_in_a_new_class(
    env: TestEnv,
    date: &'static str,
    start: &'static str,
    end: &'static str,
) -> (crate::common::Outcome, TestEnv) {
    blocking(move || {
        let class = env.class().to_string();
        let out = env
            .attctl()
            .args(["session", "create", "-o", "json", "--class", &class])
            .args(["--date", date, "--start", start, "--end", end])
            .success();
        (out, env)
    })
}

fn schedule_of(engine: &TestEngine, id: &str) -> Option<hatchet_test_engine::ScheduleInfo> {
    engine
        .schedules()
        .into_iter()
        .find(|s| s.id.to_string() == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_schedules_the_close_and_close_cancels_it() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    let _worker = start_worker(&env, &engine);
    registered(&engine).await;
    let (s, env) = blocking(move || {
        let class = env.class();
        (env.session(class, "2030-09-01", "08:00", "09:30"), env)
    });
    let run = s["scheduled_task_id"]
        .as_str()
        .expect("a run id")
        .to_string();
    assert_eq!(s["warnings"], serde_json::json!([]));
    let schedule = schedule_of(&engine, &run).expect("the schedule exists in the engine");
    assert_eq!(schedule.workflow, "close-teaching-session");
    assert_eq!(
        schedule.trigger_at.to_rfc3339(),
        "2030-09-01T09:30:00+00:00"
    );
    // `closes_at`: the instant the run is for; its close is conditional on it.
    assert_eq!(
        schedule.input,
        Some(
            serde_json::json!({ "session_id": s["id"], "closes_at": "2030-09-01T09:30:00.000000Z" })
        )
    );
    let meta = schedule.additional_metadata.unwrap_or_default();
    assert_eq!(meta["session_id"], s["id"].to_string());
    assert_eq!(meta["class_id"], s["class_id"].to_string());

    let id = s["id"].to_string();
    let closed = blocking(move || {
        env.attctl()
            .args(["session", "close", "-o", "json", &id])
            .success()
    });
    assert_eq!(closed.json()[0]["warnings"], serde_json::json!([]));
    assert!(
        schedule_of(&engine, &run).is_none(),
        "closing cancels the run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_and_reschedule_cancel_the_old_run() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    let _worker = start_worker(&env, &engine);
    registered(&engine).await;
    let (a, b, env) = blocking(move || {
        let class = env.class();
        let a = env.session(class, "2030-09-02", "08:00", "09:00");
        let b = env.session(class, "2030-09-02", "10:00", "11:00");
        (a, b, env)
    });
    let run_a = a["scheduled_task_id"].as_str().unwrap().to_string();
    let run_b = b["scheduled_task_id"].as_str().unwrap().to_string();
    assert!(schedule_of(&engine, &run_a).is_some());
    let (ida, idb) = (a["id"].to_string(), b["id"].to_string());
    let (moved, env) = blocking(move || {
        env.attctl()
            .args(["session", "delete", "--yes", &ida])
            .success();
        let moved = env
            .attctl()
            .args([
                "session",
                "reschedule",
                "-o",
                "json",
                &idb,
                "--end",
                "11:45",
            ])
            .success()
            .json();
        (moved, env)
    });
    assert!(
        schedule_of(&engine, &run_a).is_none(),
        "delete cancels the run"
    );
    assert!(
        schedule_of(&engine, &run_b).is_none(),
        "reschedule cancels the old run"
    );
    let new_run = moved["scheduled_task_id"].as_str().unwrap();
    let schedule = schedule_of(&engine, new_run).expect("a new run");
    assert_eq!(
        schedule.trigger_at.to_rfc3339(),
        "2030-09-02T11:45:00+00:00"
    );
    drop(env);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduling_failures_keep_the_session_and_warn() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    // No worker has registered the task yet: the engine answers 400.
    let (out, env) = create_in_a_new_class(env, "2030-09-03", "08:00", "09:00");
    let s = out.json();
    assert_eq!(s["status"], "Open");
    assert_eq!(s["scheduled_task_id"], Value::Null);
    let warnings = s["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{s}");
    assert!(
        warnings[0].as_str().unwrap().contains("attctl-worker"),
        "{s}"
    );
    assert!(out.stderr.starts_with("warning: "), "{}", out.stderr);
    attctl_testkit::assert_no_secret(
        &engine.token(),
        &[("stdout", &out.stdout), ("stderr", &out.stderr)],
    );

    // The engine down altogether: same outcome, exit 0.
    engine.stop().await;
    let (s, _env) = blocking(move || {
        let class = env.class();
        (env.session(class, "2030-09-03", "10:00", "11:00"), env)
    });
    assert_eq!(s["scheduled_task_id"], Value::Null);
    assert_eq!(s["warnings"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduling_is_rest_only_and_survives_a_dead_grpc_port() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let mut env = hatchet_env(&engine);
    let _worker = start_worker(&env, &engine);
    registered(&engine).await;
    // Nothing listens there: attctl must not need gRPC to schedule.
    env.set("HATCHET_CLIENT_HOST_PORT", "127.0.0.1:9");
    let s = blocking(move || {
        let class = env.class();
        env.session(class, "2030-09-04", "08:00", "09:00")
    });
    let run = s["scheduled_task_id"].as_str().expect("scheduled");
    assert!(schedule_of(&engine, run).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_already_fired_is_no_reason_to_warn() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    let stack = attctl_testkit::SupabaseStack::shared();
    let out = blocking(move || {
        let class = env.class();
        let s = env.session(class, "2030-09-05", "08:00", "09:00");
        // As if the run had fired: the engine no longer knows this schedule (404).
        stack
            .psql(&format!(
                "update teaching_sessions set scheduled_task_id = '{}' where id = {}",
                uuid::Uuid::new_v4(),
                s["id"]
            ))
            .unwrap();
        env.attctl()
            .args(["session", "close", "-o", "json", &s["id"].to_string()])
            .success()
    });
    assert_eq!(out.json()[0]["warnings"], serde_json::json!([]));
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn a_malformed_token_is_a_configuration_error() {
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("HATCHET_CLIENT_TOKEN", "not-a-token");
    env.attctl()
        .args(["session", "list"])
        .run()
        .assert_one_line_error(1, "not a valid Hatchet token");
}

/// `--dry-run` with Hatchet: the plan's store steps are the writes the gateway then receives
/// from the real command, step for step, and its scheduler steps the requests the engine
/// receives; the dry run itself creates no schedule and writes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_plans_equal_what_is_sent_to_supabase_and_hatchet() {
    use hatchet_test_engine::routes;
    let stack = attctl_testkit::SupabaseStack::start().expect("dedicated Supabase stack");
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let mut env = hatchet_env(&engine);
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    // Creates and reschedules plan a warning run and keep its id; closes, moves and
    // deletes take the kept ids back.
    env.set("ATTCTL_WARN_BEFORE", "10m");
    let _worker = start_worker_on(&stack, &env, &engine);
    registered(&engine).await;
    let engine = std::sync::Arc::new(engine);
    let probe = engine.clone();
    blocking(move || {
        let engine = probe;
        let scheduler_counts = || {
            (
                engine.request_count(routes::CREATE_SCHEDULED),
                engine.request_count(routes::DELETE_SCHEDULED),
                engine.request_count(routes::BULK_DELETE_SCHEDULED),
            )
        };
        let class = env.class().to_string();
        let create = [
            "session",
            "create",
            "--class",
            &class,
            "--date",
            "2031-10-01",
            "--start",
            "08:00",
            "--end",
            "09:00",
        ];
        let mut id: Option<String> = None;
        let commands: Vec<Vec<String>> = vec![
            create.iter().map(|s| s.to_string()).collect(),
            vec![
                "session".into(),
                "reschedule".into(),
                "ID".into(),
                "--end".into(),
                "10:00".into(),
            ],
            vec!["session".into(), "close".into(), "ID".into()],
            vec![
                "session".into(),
                "reschedule".into(),
                "ID".into(),
                "--date".into(),
                "2031-10-02".into(),
                "--reopen".into(),
            ],
            vec![
                "session".into(),
                "delete".into(),
                "ID".into(),
                "--yes".into(),
            ],
        ];
        for command in commands {
            let command: Vec<String> = command
                .into_iter()
                .map(|a| match (&id, a.as_str()) {
                    (Some(id), "ID") => id.clone(),
                    _ => a,
                })
                .collect();
            let schedules_before = engine.schedules().len();
            let counts_before = scheduler_counts();
            let mark = stack.received_requests().len();
            let out = env
                .attctl()
                .args(command.iter().cloned())
                .args(["--dry-run", "-o", "json"])
                .success();
            assert_eq!(
                session_writes_since(&stack, mark),
                vec![],
                "{command:?}: the dry run wrote"
            );
            assert_eq!(scheduler_counts(), counts_before, "{command:?}");
            assert_eq!(engine.schedules().len(), schedules_before, "{command:?}");
            let steps: Vec<(String, String)> = out
                .json()
                .as_array()
                .expect("steps")
                .iter()
                .map(|s| {
                    (
                        s["method"].as_str().unwrap_or_default().to_string(),
                        s["target"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();

            let mark = stack.received_requests().len();
            let real = env
                .attctl()
                .args(command.iter().cloned())
                .args(["-o", "json"])
                .success()
                .json();
            if id.is_none() {
                id = Some(real["id"].to_string());
            }
            let new_id = id.clone().unwrap_or_default();
            let planned_store: Vec<(String, String)> = steps
                .iter()
                .filter(|(_, t)| t.contains("/rest/v1/"))
                .filter(|(_, t)| {
                    t.split_once("/rest/v1/")
                        .is_some_and(|(_, p)| is_session_write(&format!("/rest/v1/{p}")))
                })
                .map(|(m, t)| {
                    let path = t
                        .split_once("/rest/v1/")
                        .map(|(_, p)| p)
                        .unwrap_or_default();
                    (
                        m.clone(),
                        format!("/rest/v1/{path}").replace("<new id>", &new_id),
                    )
                })
                .collect();
            assert_eq!(
                planned_store,
                session_writes_since(&stack, mark),
                "{command:?}: store steps"
            );
            let hatchet = |method: &str, bulk: bool| {
                steps
                    .iter()
                    .filter(|(m, t)| {
                        m == method
                            && t.contains("/api/v1/tenants/")
                            && t.ends_with("/bulk-delete") == bulk
                    })
                    .count() as u64
            };
            let planned = (
                hatchet("POST", false),
                hatchet("DELETE", false),
                hatchet("POST", true),
            );
            let (posts, deletes, bulk) = scheduler_counts();
            assert_eq!(
                (
                    posts - counts_before.0,
                    deletes - counts_before.1,
                    bulk - counts_before.2
                ),
                planned,
                "{command:?}: scheduler steps {steps:?}"
            );
        }
        // The warning runs were planned, and cancelled in bulk, for real and in the plans.
        assert!(engine.request_count(routes::BULK_DELETE_SCHEDULED) > 0);
    });
}

/// The create handler answers 400 for any error in its lookup or insert, not only for an
/// unregistered workflow: only `workflow not found` points at attctl-worker; any other 400
/// is transient (a warning; the sweep plans the run later).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_400_other_than_workflow_not_found_is_transient() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    engine.inject_create_fault(RestFault::BadRequest(
        "could not create scheduled workflow run: context deadline exceeded".into(),
    ));
    let (out, env) = create_in_a_new_class(env, "2030-09-04", "08:00", "09:00");
    let s = out.json();
    assert_eq!(s["scheduled_task_id"], Value::Null, "{s}");
    let warning = s["warnings"][0].as_str().unwrap_or_default().to_string();
    assert!(warning.contains("deadline exceeded"), "{warning}");
    assert!(warning.contains("retried later"), "{warning}");
    assert!(!warning.contains("is attctl-worker running"), "{warning}");

    // The real "workflow not found" still names the worker.
    let (out, _env) = create_in_a_new_class(env, "2030-09-04", "10:00", "11:00");
    let s = out.json();
    let warning = s["warnings"][0].as_str().unwrap_or_default();
    assert!(warning.contains("is attctl-worker running"), "{warning}");
}

/// A 429 is waited out (`Retry-After`) and the request sent again, not reported as a
/// failure. (No worker here: workers of parallel tests sweep the shared database. The
/// retried request then meets the engine's own answer, 400 `workflow not found`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_and_the_request_sent_again() {
    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    let env = hatchet_env(&engine);
    engine.inject_create_fault(RestFault::TooManyRequests(1));
    let started = std::time::Instant::now();
    let (out, _env) = create_in_a_new_class(env, "2030-09-05", "08:00", "09:00");
    let s = out.json();
    let warning = s["warnings"][0].as_str().unwrap_or_default();
    assert!(warning.contains("workflow not found"), "{s}");
    assert!(!warning.contains("429"), "{s}");
    assert_eq!(
        engine.request_count(hatchet_test_engine::routes::CREATE_SCHEDULED),
        2
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After honoured"
    );
}

/// The bulk routes the SDK does not wrap, through the scheduler: one request per 500 ids,
/// gone runs reported as such, and the default per-run fallback of other schedulers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_cancel_and_move_use_the_bulk_routes() {
    use attctl::config::{HatchetSettings, Secret, TlsStrategy};
    use attctl::scheduler::hatchet::HatchetScheduler;
    use attctl::scheduler::{Cancelled, ClosureScheduler};
    use hatchet_test_engine::routes;

    let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
    // Registers the workflow the way a worker does, without a worker process.
    engine
        .deaf_worker(
            "bulk-test",
            "close-teaching-session",
            "close-teaching-session",
        )
        .unwrap();
    let scheduler = HatchetScheduler::new(HatchetSettings {
        token: Secret::new(engine.token()),
        tenant_id: engine.tenant_id().to_string(),
        server_url: engine.rest_url(),
        grpc_address: engine.grpc_address(),
        tls: TlsStrategy::None,
        timeout: Duration::from_secs(5),
        run_limit: None,
    });
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for i in 0..3 {
        let body: Value = http
            .post(format!(
                "{}/api/v1/tenants/{}/workflows/close-teaching-session/scheduled",
                engine.rest_url(),
                engine.tenant_id()
            ))
            .bearer_auth(engine.token())
            .json(&serde_json::json!({"input": {"session_id": i}, "triggerAt": "2031-01-01T10:00:00Z"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(body["metadata"]["id"].as_str().unwrap().to_string());
    }
    let at = chrono::DateTime::parse_from_rfc3339("2031-02-01T10:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let moved = scheduler
        .move_many(&[(ids[0].clone(), at), (uuid::Uuid::new_v4().to_string(), at)])
        .await
        .unwrap();
    assert_eq!(moved, vec![ids[0].clone()]);
    assert!(scheduler.move_one(&ids[1], at).await.unwrap());
    assert!(
        engine
            .schedules()
            .iter()
            .filter(|s| s.trigger_at == at)
            .count()
            == 2
    );

    let mut to_cancel = ids.clone();
    to_cancel.push("mock-task-9-1930208400".into());
    to_cancel.push(uuid::Uuid::new_v4().to_string());
    let cancelled = scheduler.cancel_many(&to_cancel).await.unwrap();
    let removed = cancelled
        .iter()
        .filter(|c| c.outcome == Cancelled::Removed)
        .count();
    assert_eq!(removed, 3, "{cancelled:?}");
    assert_eq!(cancelled.len(), 5);
    assert!(engine.schedules().is_empty());
    assert_eq!(engine.request_count(routes::BULK_DELETE_SCHEDULED), 1);
    assert_eq!(engine.request_count(routes::BULK_UPDATE_SCHEDULED), 1);
    assert_eq!(engine.request_count(routes::UPDATE_SCHEDULED), 1);
    assert_eq!(engine.request_count(routes::DELETE_SCHEDULED), 0);
}

/// The writes of a session and its warning runs the gateway received since `mark`: the
/// running worker's own requests (its outbox polling, its sweeps' RPCs, its pruning) are
/// not the command's.
fn session_writes_since(
    stack: &attctl_testkit::SupabaseStack,
    mark: usize,
) -> Vec<(String, String)> {
    stack
        .received_writes_since(mark)
        .into_iter()
        .filter(|(_, target)| is_session_write(target))
        .collect()
}

fn is_session_write(target: &str) -> bool {
    target.starts_with("/rest/v1/teaching_sessions")
        || target.starts_with("/rest/v1/session_warning_runs?session_id=")
        || target.starts_with("/rest/v1/rpc/attctl_add_warning_runs")
}
