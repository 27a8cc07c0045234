//! The original app's worker contract (issue 18): its `close-session-workflow` runs,
//! served beside attctl's own by one worker unless turned off, and its placeholder task ids
//! (`mock-task-…`), which are never cancelled and get a real run from the sweep.

use super::*;

const LEGACY_WORKFLOW: &str = "close-session-workflow";
const LEGACY_ACTION: &str = "close-session-workflow:close_teaching_session";
const OWN_ACTION: &str = "close-teaching-session:close-teaching-session";
const WARN_ACTION: &str = "warn-teaching-session:warn-teaching-session";

/// A session as the original app writes it: inserted straight into the table (the
/// trigger derives `closes_at`), ending `secs` from now as a wall-clock time in `zone`,
/// with the app's placeholder `mock-task-<id>-<unix seconds>` as its task id.
struct OriginalSession {
    id: i64,
    /// `session_date + end_time`, ISO without a zone: the app's `scheduled_close_time`.
    scheduled_close_time: String,
    closes_at: chrono::DateTime<Utc>,
    task_id: String,
}

fn original_app_session(class: i64, zone: &str, secs: i64) -> OriginalSession {
    let id: i64 = stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
             select {class}, (t at time zone '{zone}')::date, \
                    case when (t at time zone '{zone}')::time >= time '00:01' \
                         then (t at time zone '{zone}')::time - interval '1 minute' \
                         else time '00:00' end, \
                    (t at time zone '{zone}')::time, '{zone}' \
             from (select date_trunc('second', now()) + make_interval(secs => {secs}) as t) x \
             returning id"
        ))
        .expect("psql insert")
        .trim()
        .parse()
        .expect("session id");
    let row = stack()
        .psql(&format!(
            "update teaching_sessions \
             set scheduled_task_id = 'mock-task-' || id || '-' || extract(epoch from now())::bigint \
             where id = {id} \
             returning scheduled_task_id || '|' || \
                       to_char(session_date + end_time, 'YYYY-MM-DD\"T\"HH24:MI:SS') || '|' || \
                       to_char(closes_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ))
        .expect("psql update");
    let parts: Vec<&str> = row.trim().split('|').collect();
    assert_eq!(parts.len(), 3, "{row}");
    OriginalSession {
        id,
        task_id: parts[0].to_string(),
        scheduled_close_time: parts[1].to_string(),
        closes_at: crate::common::parse_time(&Value::from(parts[2])).expect("closes_at"),
    }
}

/// Schedules a run of the original app's workflow the way its Python SDK does.
async fn schedule_like_the_original_app(
    engine: &TestEngine,
    trigger_at: chrono::DateTime<Utc>,
    input: Value,
) -> reqwest::Response {
    schedule_over_rest(engine, LEGACY_WORKFLOW, trigger_at, input).await
}

async fn original_app_schedule(
    engine: &TestEngine,
    trigger_at: chrono::DateTime<Utc>,
    input: Value,
) -> Uuid {
    let resp = schedule_like_the_original_app(engine, trigger_at, input).await;
    let status = resp.status();
    let body: Value = resp.json().await.expect("schedule JSON");
    assert!(status.is_success(), "{status}: {body}");
    body["metadata"]["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no schedule id: {body}"))
}

fn legacy_registered(engine: &TestEngine) -> bool {
    engine
        .workflows()
        .iter()
        .any(|w| w.name == LEGACY_WORKFLOW && w.tasks.iter().any(|t| t.action == LEGACY_ACTION))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_the_original_app_scheduled_closes_its_session_in_the_school_zone() {
    let _serial = serial().await;
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
    engine
        .wait_for(legacy_registered, Duration::from_secs(10))
        .await
        .expect("close-session-workflow registered");

    // Tokyo is 9 hours ahead of UTC: a naive time read in UTC would be 9 hours off.
    let zone = "Asia/Tokyo";
    let on_time = original_app_session(class, zone, 3);
    let schedule = original_app_schedule(
        &engine,
        on_time.closes_at,
        serde_json::json!({
            "session_id": on_time.id,
            "scheduled_close_time": on_time.scheduled_close_time,
        }),
    )
    .await;
    // Ends in an hour, but the app's run fires now (its times disagree with the session).
    let later_class = env.class();
    let later = original_app_session(later_class, zone, 3600);
    let early_close_time =
        (chrono::NaiveDateTime::parse_from_str(&later.scheduled_close_time, "%Y-%m-%dT%H:%M:%S")
            .expect("naive time")
            - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let early = original_app_schedule(
        &engine,
        in_secs(2),
        serde_json::json!({"session_id": later.id, "scheduled_close_time": early_close_time}),
    )
    .await;

    let closed = env.wait_session(on_time.id, Duration::from_secs(10), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "closed {lag} ms after its end");
    let event = worker.wait_event(Duration::from_secs(2), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == on_time.id
    });
    assert_eq!(event["outcome"], "closed", "{event}");
    assert_eq!(event["workflow"], LEGACY_WORKFLOW, "{event}");
    assert_eq!(
        event["scheduled_close_time"], on_time.scheduled_close_time,
        "{event}"
    );
    // Read in the session's zone, the app's time is the session's own closing instant.
    assert_eq!(
        crate::common::parse_time(&event["expected_closes_at"]),
        Some(on_time.closes_at),
        "{event}"
    );
    assert!(event["disagreement_ms"].is_null(), "{event}");
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(schedule)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            Duration::from_secs(5),
        )
        .await
        .expect("the original app's run succeeded");
    let runs = engine.runs_for_schedule(schedule);
    assert_eq!(runs[0].action_id, LEGACY_ACTION, "{runs:?}");

    // The run that came an hour early closed nothing, and said why.
    let event = worker.wait_event(Duration::from_secs(10), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == later.id
    });
    assert_eq!(event["outcome"], "not_due", "{event}");
    assert_eq!(event["workflow"], LEGACY_WORKFLOW, "{event}");
    let disagreement = event["disagreement_ms"].as_i64().expect("disagreement_ms");
    assert!(
        (-3_600_000 - 1000..=-3_600_000 + 1000).contains(&disagreement),
        "{event}"
    );
    assert!(
        engine
            .runs_for_schedule(early)
            .iter()
            .all(|r| r.status != RunStatus::Failed),
        "a not-due run is a success"
    );
    let s = env.show(later.id);
    assert_eq!(s["status"], "Open", "{s}");
    assert_eq!(s["scheduled_task_id"], later.task_id.as_str(), "{s}");
    // Neither session got a run of attctl's own: only the original app's two schedules
    // name them (the worker's planner may be planning other tests' leftovers meanwhile).
    let ours = engine
        .created_schedules()
        .into_iter()
        .filter(|(_, input)| {
            input.as_ref().and_then(|i| i["session_id"].as_i64()) == Some(on_time.id)
                || input.as_ref().and_then(|i| i["session_id"].as_i64()) == Some(later.id)
        })
        .count();
    assert_eq!(ours, 2);
    env.run_attctl(["session", "delete", &later.id.to_string(), "--yes"])
        .assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_worker_serves_both_workflows_at_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["run", "--name", "both", "--sweep-interval", "3600"]);
    engine
        .wait_for(legacy_registered, Duration::from_secs(10))
        .await
        .expect("close-session-workflow registered");
    let workers = engine.workers();
    assert_eq!(workers.len(), 1, "{workers:?}");
    let mut actions = workers[0].actions.clone();
    actions.sort();
    assert_eq!(
        actions,
        [LEGACY_ACTION, OWN_ACTION, WARN_ACTION],
        "{workers:?}"
    );
    let mut names: Vec<String> = engine.workflows().into_iter().map(|w| w.name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            LEGACY_WORKFLOW,
            "close-teaching-session",
            "warn-teaching-session"
        ]
    );

    // One session planned by attctl, one by the original app, ending together.
    let ours = env.session_ending_at(class, in_secs(3), LEN);
    let ours_id = session_id(&ours);
    let theirs = original_app_session(env.class(), "UTC", 3);
    original_app_schedule(
        &engine,
        theirs.closes_at,
        serde_json::json!({
            "session_id": theirs.id,
            "scheduled_close_time": theirs.scheduled_close_time,
        }),
    )
    .await;
    for id in [ours_id, theirs.id] {
        let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
        assert_eq!(
            closed["closed_by"],
            "auto",
            "{closed}\n{}",
            worker.lines().join("\n")
        );
    }
    let workflow_of = |id: i64| {
        worker.wait_event(Duration::from_secs(2), |e| {
            e["target"] == "attctl_worker::run" && e["session_id"] == id
        })["workflow"]
            .clone()
    };
    assert_eq!(workflow_of(ours_id), "close-teaching-session");
    assert_eq!(workflow_of(theirs.id), LEGACY_WORKFLOW);
    let worker_id = workers[0].id;
    let runs: Vec<_> = engine
        .runs()
        .into_iter()
        .filter(|r| r.input["session_id"] == ours_id || r.input["session_id"] == theirs.id)
        .collect();
    assert_eq!(runs.len(), 2, "{runs:?}");
    for run in &runs {
        assert_eq!(run.status, RunStatus::Succeeded, "{run:?}");
        assert!(
            run.attempts.iter().all(|a| a.worker_id == worker_id),
            "{run:?}"
        );
    }
    let up = worker.wait_event(Duration::from_secs(1), |e| {
        e["target"] == "attctl_worker::supervisor" && e["workflows"].is_string()
    });
    assert_eq!(
        up["workflows"], "close-teaching-session,warn-teaching-session,close-session-workflow",
        "{up}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_legacy_workflow_can_be_turned_off() {
    let _serial = serial().await;
    for (args, extra_env) in [
        (
            vec!["run", "--no-legacy-workflow", "--sweep-interval", "3600"],
            vec![],
        ),
        (
            vec!["run", "--sweep-interval", "3600"],
            vec![("ATTCTL_WORKER_LEGACY_WORKFLOW", "false")],
        ),
    ] {
        let engine = start_engine(EngineConfig::fast()).await;
        let env = env_for(&engine);
        let worker = env.spawn_worker_with(&args, &extra_env);
        worker.wait_ready(Duration::from_secs(30));
        engine
            .wait_for(
                |e| e.workers().iter().any(|w| w.connected),
                Duration::from_secs(10),
            )
            .await
            .expect("the worker connected");
        let mut names: Vec<String> = engine.workflows().into_iter().map(|w| w.name).collect();
        names.sort();
        assert_eq!(
            names,
            ["close-teaching-session", "warn-teaching-session"],
            "{args:?} {extra_env:?}"
        );
        let workers = engine.workers();
        assert_eq!(workers.len(), 1, "{workers:?}");
        let mut actions = workers[0].actions.clone();
        actions.sort();
        assert_eq!(actions, [OWN_ACTION, WARN_ACTION], "{workers:?}");
        // So the original app cannot schedule its workflow on this engine.
        let resp = schedule_like_the_original_app(
            &engine,
            in_secs(60),
            serde_json::json!({"session_id": 1, "scheduled_close_time": "2030-01-01T09:00:00"}),
        )
        .await;
        assert_eq!(resp.status().as_u16(), 400, "{args:?} {extra_env:?}");
        let starting = worker.wait_event(Duration::from_secs(1), |e| {
            e["message"] == "attctl-worker starting"
        });
        assert_eq!(starting["legacy_workflow"], false, "{starting}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_plans_a_real_run_for_a_session_with_a_legacy_task_id() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "1"]);

    // Controls, planned already as far as the sweep can tell: a run id (of a run this
    // engine does not know) and an older local-scheduler id.
    let controls = [
        (
            original_app_session(class, "UTC", 3600),
            Uuid::new_v4().to_string(),
        ),
        (
            original_app_session(class, "UTC", 3660),
            "local-7-1700000000".to_string(),
        ),
    ];
    for (control, value) in &controls {
        stack()
            .psql(&format!(
                "update teaching_sessions set scheduled_task_id = '{value}' where id = {}",
                control.id
            ))
            .expect("psql");
    }
    let session = original_app_session(class, "Europe/London", 6);
    assert!(
        session.task_id.starts_with("mock-task-"),
        "{}",
        session.task_id
    );
    // The next sweep claims it (compare-and-set on the legacy value) and plans a run.
    let planned = env.wait_session(session.id, Duration::from_secs(5), |s| {
        s["scheduled_task_id"]
            .as_str()
            .is_some_and(|v| v.parse::<Uuid>().is_ok())
    });
    let schedule = schedule_of(&planned);
    let pending = engine
        .schedules()
        .into_iter()
        .find(|s| s.id == schedule)
        .unwrap_or_else(|| panic!("no schedule {schedule}: {planned}"));
    assert_eq!(pending.workflow, "close-teaching-session");
    assert_eq!(pending.trigger_at, session.closes_at);

    let closed = env.wait_session(session.id, Duration::from_secs(15), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    let event = worker.wait_event(Duration::from_secs(2), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == session.id
    });
    assert_eq!(event["outcome"], "closed", "{event}");
    assert_eq!(event["workflow"], "close-teaching-session", "{event}");
    assert!(
        engine
            .runs_for_schedule(schedule)
            .iter()
            .any(|r| r.status == RunStatus::Succeeded)
    );
    // A legacy id is never sent to the engine as a run to cancel.
    assert_eq!(engine.request_count(routes::DELETE_SCHEDULED), 0);
    // The sweeps left the sessions that have runs alone.
    for (control, value) in &controls {
        assert_eq!(env.show(control.id)["scheduled_task_id"], value.as_str());
    }
    stack()
        .psql(&format!(
            "delete from teaching_sessions where class_id = {class}"
        ))
        .expect("psql");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_delete_and_reschedule_never_cancel_a_legacy_task_id() {
    let _serial = serial().await;
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    // Registers the workflow, so that the reschedule can plan a real run.
    let _worker = env.ready_worker(["--sweep-interval", "3600"]);
    let [a, b, c] = [3600, 3660, 3720].map(|secs| original_app_session(class, "UTC", secs));
    let deletes = engine.request_count(routes::DELETE_SCHEDULED);

    let closed = env.run_attctl(["session", "close", &a.id.to_string(), "-o", "json"]);
    closed.assert_ok();
    let closed_json = closed.json();
    assert_eq!(closed_json[0]["outcome"], "closed", "{closed_json}");
    assert_eq!(
        closed_json[0]["warnings"],
        serde_json::json!([]),
        "{closed_json}"
    );
    assert!(!closed.stderr.contains("warning"), "{}", closed.stderr);

    let deleted = env.run_attctl([
        "session",
        "delete",
        &b.id.to_string(),
        "--yes",
        "-o",
        "json",
    ]);
    deleted.assert_ok();
    let deleted_json = deleted.json();
    assert_eq!(deleted_json[0]["outcome"], "deleted", "{deleted_json}");
    assert_eq!(
        deleted_json[0]["warnings"],
        serde_json::json!([]),
        "{deleted_json}"
    );
    assert!(!deleted.stderr.contains("warning"), "{}", deleted.stderr);

    let next_day = (c.closes_at + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let moved = env.run_attctl([
        "session",
        "reschedule",
        &c.id.to_string(),
        "--date",
        &next_day,
        "-o",
        "json",
    ]);
    moved.assert_ok();
    let moved_json = moved.json();
    assert_eq!(
        moved_json["warnings"],
        serde_json::json!([]),
        "{moved_json}"
    );
    // The legacy value is replaced by a real run (compare-and-set on the legacy value).
    let run = schedule_of(&moved_json);
    assert!(
        engine
            .schedules()
            .iter()
            .any(|s| s.id == run && s.trigger_at == c.closes_at + chrono::Duration::days(1)),
        "{moved_json}"
    );

    // Not one cancel request for a legacy id reached the engine.
    assert_eq!(engine.request_count(routes::DELETE_SCHEDULED), deletes);
    env.run_attctl(["session", "delete", &c.id.to_string(), "--yes"])
        .assert_ok();
}

// ---------------------------------------------------------------- Hatchet as it behaves
