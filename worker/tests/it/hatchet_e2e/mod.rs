//! Hatchet mode end to end, black-box: the real `attctl` and `attctl-worker` binaries
//! against a Supabase-like stack (`attctl-testkit`, PostgreSQL + PostgREST + gateway) and a
//! Hatchet engine speaking the real wire protocol (`hatchet-test-engine`, in this process).
//!
//! Every test has its own engine and its own class. They share one database, and a worker
//! sweeps every Open session of it, so the tests run one at a time ([`serial`]): a worker
//! of one test must not plan or close another test's sessions while it runs.
//!
//! One module per story: [`closing`], [`bursts`], [`outages`], [`stopping`], [`legacy_workflow`],
//! [`staff_sessions`].

mod bursts;
mod closing;
mod legacy_workflow;
mod outages;
mod staff_sessions;
mod stopping;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, Worker, avoid_midnight, in_secs, lag_ms, session_id, wall_times};
use attctl_testkit::SupabaseStack;
use chrono::Utc;
use hatchet_test_engine::{AttemptOutcome, EngineConfig, RunStatus, TestEngine, routes};
use serde_json::Value;
use uuid::Uuid;

const LEN: Duration = Duration::from_secs(60);

/// Async-aware (held across awaits) and free of poisoning: a failed test does not fail
/// the ones after it.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn serial() -> tokio::sync::MutexGuard<'static, ()> {
    SERIAL.lock().await
}

fn stack() -> &'static SupabaseStack {
    SupabaseStack::shared()
}

/// This module's stack and `engine`.
fn env_for(engine: &TestEngine) -> TestEnv {
    TestEnv::on_stack(stack()).with_hatchet(&engine.token())
}

async fn start_engine(config: EngineConfig) -> TestEngine {
    TestEngine::start(config).await.expect("test engine")
}

fn schedule_of(session: &Value) -> Uuid {
    session["scheduled_task_id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no Hatchet run id: {session}"))
}

/// Run events of the worker for one session.
fn run_events(worker: &Worker, id: i64) -> Vec<Value> {
    worker
        .events()
        .into_iter()
        .filter(|e| e["target"] == "attctl_worker::run" && e["session_id"] == id)
        .collect()
}

/// The ids of a class's sessions, in order, read in SQL.
fn ids_of_class(class: i64) -> Vec<i64> {
    stack()
        .psql(&format!(
            "select id from teaching_sessions where class_id = {class} order by id"
        ))
        .expect("psql")
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// Ids in a logged list (`closed_ids`, `closed_together`: "[1, 2, 3]").
fn logged_ids(value: &Value) -> Vec<i64> {
    value.as_str().map_or_else(Vec::new, |l| {
        l.trim_matches(['[', ']'])
            .split(", ")
            .filter_map(|x| x.parse().ok())
            .collect()
    })
}

/// How many times the workers' events say each session was closed: by its own run, in
/// another run's write (`closed_together`), or by a sweep.
fn closes_reported(events: &[Value]) -> HashMap<i64, usize> {
    let mut closes: HashMap<i64, usize> = HashMap::new();
    for e in events {
        if e["target"] == "attctl_worker::run" && e["outcome"] == "closed" {
            if let Some(id) = e["session_id"].as_i64() {
                *closes.entry(id).or_default() += 1;
            }
            for id in logged_ids(&e["closed_together"]) {
                *closes.entry(id).or_default() += 1;
            }
        }
        if e["target"] == "attctl_worker::sweep" {
            for id in logged_ids(&e["closed_ids"]) {
                *closes.entry(id).or_default() += 1;
            }
        }
    }
    closes
}

/// The closes the workers report, once every one of `ids` has been reported at least once
/// (or `timeout` has passed). The database shows a close as soon as it commits; the run's
/// log line that names it comes a moment later, so counting at the first sight of the
/// rows in the database could miss it.
fn closes_reported_for(workers: &[&Worker], ids: &[i64], timeout: Duration) -> HashMap<i64, usize> {
    let deadline = Instant::now() + timeout;
    loop {
        let events: Vec<Value> = workers.iter().flat_map(|w| w.events()).collect();
        let closes = closes_reported(&events);
        if ids.iter().all(|id| closes.contains_key(id)) || Instant::now() > deadline {
            return closes;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sleep_until(t: chrono::DateTime<Utc>, extra: Duration) {
    let wait = (t - Utc::now()).to_std().unwrap_or_default() + extra;
    std::thread::sleep(wait);
}

fn count_closed_by(class: i64) -> HashMap<String, i64> {
    let out = stack()
        .psql(&format!(
            "select label || '=' || n from (select coalesce(closed_by, 'open') as label, \
             count(*) as n from teaching_sessions where class_id = {class} group by 1) t \
             order by 1"
        ))
        .expect("psql");
    out.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim().parse().unwrap_or(-1)))
        .collect()
}

/// Holds `teaching_sessions` locked from a second before `end` for `hold_secs`, so that the
/// run of `schedule` (due at `end`) starts and then waits in the database. Returns once the
/// run has started, with the thread that holds the lock.
async fn hold_the_run_in_the_database(
    engine: &TestEngine,
    schedule: Uuid,
    end: chrono::DateTime<Utc>,
    hold_secs: u32,
) -> std::thread::JoinHandle<anyhow::Result<String>> {
    sleep_until(end - chrono::Duration::seconds(1), Duration::ZERO);
    let locker = std::thread::spawn(move || {
        stack().psql(&format!(
            "begin; lock table teaching_sessions in access exclusive mode; \
             select pg_sleep({hold_secs}); commit;"
        ))
    });
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(schedule).iter().any(|r| {
                    r.attempts.last().is_some_and(|a| {
                        a.started_at.is_some() && a.outcome == AttemptOutcome::InFlight
                    })
                })
            },
            Duration::from_secs(10),
        )
        .await
        .expect("the run started");
    locker
}

/// Schedules a run of `workflow` as any other client does (the original app's Python SDK,
/// a test replaying a delivery): a REST POST to its `scheduled` endpoint with `triggerAt`
/// and `input`.
pub(crate) async fn schedule_over_rest(
    engine: &TestEngine,
    workflow: &str,
    trigger_at: chrono::DateTime<Utc>,
    input: Value,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!(
            "{}/api/v1/tenants/{}/workflows/{workflow}/scheduled",
            engine.rest_url(),
            engine.tenant_id()
        ))
        .bearer_auth(engine.token())
        .json(&serde_json::json!({
            "input": input,
            "additionalMetadata": {},
            "triggerAt": trigger_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }))
        .send()
        .await
        .expect("POST scheduled")
}
