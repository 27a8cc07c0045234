//! attctl-worker on the original app's own database (its SQLAlchemy schema and rows,
//! upgraded by the migrations): the app's runs and attctl's close their sessions, the
//! sweep closes the app's overdue row, and the registers are never touched.

use std::time::Duration;

use crate::common::{TestEnv, in_secs, test_zone, wall_times};
use attctl_testkit::{ORIGINAL_APP_REGISTERS_SQL as REGISTERS, SupabaseStack};
use chrono::Utc;
use hatchet_test_engine::{EngineConfig, TestEngine};
use serde_json::Value;

const LEGACY_WORKFLOW: &str = "close-session-workflow";

fn stack() -> &'static SupabaseStack {
    SupabaseStack::shared_original_app()
}

/// Inserts a session the way the original app does: every column of its model sent by the
/// client (naive UTC clocks, its session type, status 'Open'), none of attctl's.
fn insert_like_the_app(class: i64, end: chrono::DateTime<Utc>) -> (i64, String) {
    let (date, start, end_time) = wall_times(end, Duration::from_secs(60));
    let row = stack()
        .psql(&format!(
            "insert into teaching_sessions (session_date, start_time, end_time, session_type, \
             status, class_id, created_at, updated_at) values ('{date}', '{start}', \
             '{end_time}', 'theory', 'Open', {class}, now() at time zone 'UTC', \
             now() at time zone 'UTC') returning id || '|' || timezone || '|' || \
             to_char(session_date + end_time, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        ))
        .expect("the app's insert");
    let parts: Vec<&str> = row.trim().split('|').collect();
    assert_eq!(parts.len(), 3, "{row}");
    // The app sends no zone: the school's applies.
    assert_eq!(parts[1], test_zone(), "{row}");
    (parts[0].parse().expect("id"), parts[2].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_and_the_sweep_close_sessions_on_the_apps_database() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("test engine");
    let stack = stack();
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none");
    // The school's zone: the one the test's wall-clock times are written in.
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let registers = stack.psql(REGISTERS).expect("registers");
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(30));

    // The first sweep closed the app's session left Open since 2024 (its mock-task is no run).
    let swept = env.wait_session(2, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(swept["closed_by"], "sweep", "{swept}");
    // The app's 'Close' row is left as the app wrote it.
    assert_eq!(
        stack
            .psql("select status from teaching_sessions where id = 1")
            .unwrap(),
        "Close"
    );

    // A run of the app's own workflow closes the session the app inserted.
    let class = env.class();
    let end = in_secs(3);
    let (theirs, scheduled_close_time) = insert_like_the_app(class, end);
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/tenants/{}/workflows/{LEGACY_WORKFLOW}/scheduled",
            engine.rest_url(),
            engine.tenant_id()
        ))
        .bearer_auth(engine.token())
        .json(&serde_json::json!({
            "input": {"session_id": theirs, "scheduled_close_time": scheduled_close_time},
            "additionalMetadata": {},
            "triggerAt": end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }))
        .send()
        .await
        .expect("schedule the app's run");
    assert!(resp.status().is_success(), "{}", resp.status());

    // attctl's own session on the app's database: planned as a run, closed by it.
    let ours = env.session_ending_at(class, in_secs(4), Duration::from_secs(30));
    assert_eq!(ours["session_type"], "theory", "{ours}");
    assert!(ours["scheduled_task_id"].is_string(), "{ours}");

    for id in [theirs, ours["id"].as_i64().unwrap()] {
        let closed = env.wait_session(id, Duration::from_secs(15), |s| s["status"] == "Closed");
        assert_eq!(
            closed["closed_by"],
            "auto",
            "{closed}\n{}",
            worker.lines().join("\n")
        );
    }
    let stored: Value = serde_json::from_str(
        &stack
            .psql(&format!(
                "select json_agg(status order by id) from teaching_sessions where id in ({theirs}, {})",
                ours["id"]
            ))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(stored, serde_json::json!(["Closed", "Closed"]));
    assert_eq!(stack.psql(REGISTERS).unwrap(), registers);
}
