//! Warnings before close as Hatchet runs, black-box: the real `attctl` and `attctl-worker`
//! against PostgreSQL + PostgREST and the Hatchet test engine, with a webhook receiver that
//! verifies signatures. Each offset of `ATTCTL_WARN_BEFORE` is a scheduled run of
//! `warn-teaching-session`, planned with the session's close run, its id kept in
//! `session_warning_runs`, and cancelled when the session is closed by hand, moved or
//! deleted. The worker's warning loop only catches missed warnings here (every sweep
//! interval; these workers sweep once an hour), so a warning that arrives on time came
//! from its run.
//!
//! The tests share one database and a worker sweeps all of it, so they run one at a time.

use std::time::{Duration, SystemTime};

use crate::common::{TestEnv, Worker, avoid_midnight, in_secs, parse_time, session_id};
use attctl_testkit::SupabaseStack;
use attctl_testkit::webhook::{WebhookReceiver, of_session};
use chrono::{DateTime, Utc};
use hatchet_test_engine::{EngineConfig, ScheduleInfo, TestEngine};
use serde_json::Value;

const LEN: Duration = Duration::from_secs(60);
const WARN_TASK: &str = "warn-teaching-session";

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn stack() -> &'static SupabaseStack {
    SupabaseStack::shared()
}

/// Supabase and Hatchet (`engine`), no notifications.
fn hatchet_env(engine: &TestEngine) -> TestEnv {
    TestEnv::on_stack(stack()).with_hatchet(&engine.token())
}

/// One test's parts: an engine of its own, a signing receiver, and an environment that
/// warns `warn` before each close, and a class.
struct Setup {
    engine: TestEngine,
    receiver: WebhookReceiver,
    env: TestEnv,
    class: i64,
}

async fn setup(warn: &str) -> Setup {
    let engine = TestEngine::start(EngineConfig::default())
        .await
        .expect("test engine");
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = hatchet_env(&engine)
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("ATTCTL_WARN_BEFORE", warn);
    let class = env.class();
    Setup {
        engine,
        receiver,
        env,
        class,
    }
}

/// The worker's log event of a warning run for session `id`.
fn is_warn_run(e: &Value, id: i64) -> bool {
    e["target"] == "attctl_worker::run" && e["workflow"] == WARN_TASK && e["session_id"] == id
}

fn closes_at(session: &Value) -> DateTime<Utc> {
    parse_time(&session["closes_at"]).expect("closes_at")
}

/// The pending warning runs of one session, by trigger time.
fn warning_runs(engine: &TestEngine, id: i64) -> Vec<ScheduleInfo> {
    engine
        .schedules()
        .into_iter()
        .filter(|s| s.workflow == WARN_TASK)
        .filter(|s| {
            s.input
                .as_ref()
                .is_some_and(|i| i["session_id"].as_i64() == Some(id))
        })
        .collect()
}

/// `(offset_seconds, run id)` kept in the database for one session, in offset order.
fn kept_runs(id: i64) -> Vec<(i64, String)> {
    stack()
        .psql(&format!(
            "select offset_seconds || ' ' || run_id from session_warning_runs \
             where session_id = {id} order by offset_seconds"
        ))
        .expect("psql")
        .lines()
        .filter_map(|l| {
            let (o, r) = l.trim().split_once(' ')?;
            Some((o.parse().ok()?, r.to_string()))
        })
        .collect()
}

fn utc(t: SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

/// Each pending warning run of `session` is at `closes_at - offset`, names the instant
/// and the offset, and is the one the database keeps; returns their ids.
fn assert_planned(engine: &TestEngine, session: &Value, offsets: &[i64]) -> Vec<String> {
    let id = session_id(session);
    let runs = warning_runs(engine, id);
    let mut seen: Vec<i64> = runs
        .iter()
        .map(|s| {
            let input = s.input.as_ref().expect("input");
            let offset = input["offset_seconds"].as_i64().expect("offset_seconds");
            assert_eq!(
                parse_time(&input["closes_at"]),
                Some(closes_at(session)),
                "{input}"
            );
            assert_eq!(
                s.trigger_at,
                closes_at(session) - chrono::Duration::seconds(offset),
                "{input}"
            );
            offset
        })
        .collect();
    seen.sort_unstable();
    let mut want = offsets.to_vec();
    want.sort_unstable();
    assert_eq!(seen, want, "warning runs of session {id}");
    let kept = kept_runs(id);
    let mut pending: Vec<(i64, String)> = runs
        .iter()
        .map(|s| {
            (
                s.input.as_ref().expect("input")["offset_seconds"]
                    .as_i64()
                    .expect("offset"),
                s.id.to_string(),
            )
        })
        .collect();
    pending.sort();
    assert_eq!(kept, pending, "the database keeps the engine's run ids");
    kept.into_iter().map(|(_, r)| r).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warning_run_warns_on_time_and_the_close_run_closes_after_it() {
    let _serial = SERIAL.lock().await;
    avoid_midnight(Duration::from_secs(90));
    let Setup {
        engine,
        receiver,
        env,
        class,
    } = setup("6s").await;
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
    let session = env.session_ending_at(class, in_secs(14), LEN);
    let id = session_id(&session);
    let planned = assert_planned(&engine, &session, &[6]);
    assert!(
        receiver.wait_for(Duration::from_secs(40), |d| {
            !of_session(d, id, "session.closed").is_empty()
        }),
        "{:?}",
        receiver.deliveries()
    );
    let all = receiver.deliveries();
    let warnings = of_session(&all, id, "session.closing_soon");
    let closes = of_session(&all, id, "session.closed");
    assert_eq!((warnings.len(), closes.len()), (1, 1), "{all:?}");
    let due = closes_at(&session) - chrono::Duration::seconds(6);
    assert!(utc(warnings[0].at) >= due, "warned before its due time");
    assert!(warnings[0].at < closes[0].at);
    assert_eq!(
        warnings[0].body["data"]["seconds_left"]
            .as_i64()
            .map(|s| s <= 6),
        Some(true)
    );
    assert_eq!(closes[0].body["data"]["closed_by"], "auto");
    assert!(warnings[0].signature_valid && closes[0].signature_valid);
    // The warning came from its run, not from the warning loop.
    let run = worker.wait_event(Duration::from_secs(10), |e| is_warn_run(e, id));
    assert_eq!(run["outcome"], "warning_recorded", "{run}");
    assert_eq!(run["offset_seconds"], 6, "{run}");
    assert_eq!(planned.len(), 1);
    assert!(
        !worker
            .lines()
            .iter()
            .any(|l| l.contains("closing-soon warnings recorded")),
        "the warning loop recorded it:\n{}",
        worker.lines().join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_moving_and_deleting_a_session_cancel_its_warning_runs() {
    let _serial = SERIAL.lock().await;
    avoid_midnight(Duration::from_secs(4 * 3600));
    // The receiver stays up: the worker delivers to it while the test runs.
    let Setup {
        engine,
        receiver: _receiver,
        env,
        class,
    } = setup("10m,1m").await;
    // Registers the tasks: without a worker the engine refuses to schedule them.
    let _worker = env.ready_worker(["--sweep-interval", "3600"]);
    let moved = env.session_ending_at(class, in_secs(2 * 3600), LEN);
    let closed = env.session_ending_at(class, in_secs(2 * 3600 + 120), LEN);
    let deleted = env.session_ending_at(class, in_secs(2 * 3600 + 240), LEN);
    let mut before = Vec::new();
    for s in [&moved, &closed, &deleted] {
        before.extend(assert_planned(&engine, s, &[60, 600]));
    }

    let rescheduled = env.reschedule_ending_at(session_id(&moved), in_secs(3 * 3600), LEN);
    assert_eq!(
        rescheduled["warnings"],
        serde_json::json!([]),
        "{rescheduled}"
    );
    let after = assert_planned(&engine, &rescheduled, &[60, 600]);
    assert!(
        after.iter().all(|r| !before.contains(r)),
        "new runs for the new time"
    );

    env.run_attctl(["session", "close", &session_id(&closed).to_string()])
        .assert_ok();
    assert!(warning_runs(&engine, session_id(&closed)).is_empty());
    assert!(kept_runs(session_id(&closed)).is_empty());

    env.run_attctl([
        "session",
        "delete",
        &session_id(&deleted).to_string(),
        "--yes",
    ])
    .assert_ok();
    assert!(warning_runs(&engine, session_id(&deleted)).is_empty());

    // Every run planned before the changes is gone from the engine; only the moved
    // session's new ones are pending.
    let pending: Vec<String> = engine
        .schedules()
        .into_iter()
        .filter(|s| s.workflow == WARN_TASK)
        .map(|s| s.id.to_string())
        .collect();
    assert!(before.iter().all(|r| !pending.contains(r)), "{pending:?}");
    env.run_attctl([
        "session",
        "delete",
        &session_id(&moved).to_string(),
        "--yes",
    ])
    .assert_ok();
    assert!(warning_runs(&engine, session_id(&moved)).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_plans_the_warning_runs_of_sessions_created_while_no_worker_ran() {
    let _serial = SERIAL.lock().await;
    avoid_midnight(Duration::from_secs(120));
    let Setup {
        engine,
        receiver,
        env,
        class,
    } = setup("20s").await;
    // No worker has registered the tasks: the engine refuses the close run (and so no
    // warning run is tried); the session is kept, and says so.
    let session = env.session_ending_at(class, in_secs(45), LEN);
    let id = session_id(&session);
    assert_eq!(session["scheduled_task_id"], Value::Null, "{session}");
    assert!(
        session["warnings"]
            .to_string()
            .contains("could not be scheduled"),
        "{session}"
    );
    assert!(warning_runs(&engine, id).is_empty());
    // The worker's first sweep plans both runs.
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
    let planned = env.wait_session(id, Duration::from_secs(20), |s| {
        s["scheduled_task_id"].is_string()
    });
    // Its warning run follows in the same pass, once the close run's id is stored.
    engine
        .wait_for(
            |engine| !warning_runs(engine, id).is_empty(),
            Duration::from_secs(20),
        )
        .await
        .expect("a warning run planned by the sweep");
    assert_planned(&engine, &planned, &[20]);
    assert!(
        receiver.wait_for(Duration::from_secs(40), |d| {
            !of_session(d, id, "session.closing_soon").is_empty()
        }),
        "{:?}",
        receiver.deliveries()
    );
    let run = worker.wait_event(Duration::from_secs(10), |e| is_warn_run(e, id));
    assert_eq!(run["outcome"], "warning_recorded", "{run}");
    env.run_attctl(["session", "delete", &id.to_string(), "--yes"])
        .assert_ok();
}

/// Fires a run of `warn-teaching-session` now, as a late or repeated delivery would.
async fn fire_now(engine: &TestEngine, input: &Value) {
    let resp =
        crate::hatchet_e2e::schedule_over_rest(engine, WARN_TASK, Utc::now(), input.clone()).await;
    assert!(resp.status().is_success(), "{}", resp.status());
}

fn quiet_runs(worker: &Worker, id: i64) -> usize {
    worker
        .events()
        .iter()
        .filter(|e| is_warn_run(e, id) && e["outcome"] == "nothing_to_warn")
        .count()
}

/// A run delivered twice, and a run that fires for a session moved since (the engine fires
/// a run armed within 5 s of its trigger even after a delete), record nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_or_stale_warning_run_records_nothing() {
    let _serial = SERIAL.lock().await;
    avoid_midnight(Duration::from_secs(4 * 3600));
    let Setup {
        engine,
        receiver,
        env,
        class,
    } = setup("1h").await;
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
    // Due at once: the session ends in 30 minutes, within the offset.
    let session = env.session_ending_at(class, in_secs(1800), LEN);
    let id = session_id(&session);
    let run = worker.wait_event(Duration::from_secs(20), |e| is_warn_run(e, id));
    assert_eq!(run["outcome"], "warning_recorded", "{run}");
    let input = engine
        .created_schedules()
        .into_iter()
        .filter_map(|(_, input)| input)
        .find(|i| i["session_id"].as_i64() == Some(id) && i.get("offset_seconds").is_some())
        .expect("the warning run's input");
    fire_now(&engine, &input).await;
    worker.wait_event(Duration::from_secs(20), |_| quiet_runs(&worker, id) == 1);
    // Moved three hours on: its new warning run is pending; the old input finds another
    // closing instant.
    env.reschedule_ending_at(id, in_secs(3 * 3600 + 1800), LEN);
    assert_eq!(warning_runs(&engine, id).len(), 1);
    fire_now(&engine, &input).await;
    worker.wait_event(Duration::from_secs(20), |_| quiet_runs(&worker, id) == 2);
    assert!(receiver.wait_for(Duration::from_secs(10), |d| {
        !of_session(d, id, "session.closing_soon").is_empty()
    }));
    // The delivery loop had every chance to send more: one warning, the first.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        of_session(&receiver.deliveries(), id, "session.closing_soon").len(),
        1
    );
    env.run_attctl(["session", "delete", &id.to_string(), "--yes"])
        .assert_ok();
}

/// Sessions whose warning runs were never planned (created by an `attctl` without
/// `ATTCTL_WARN_BEFORE`, or before it was set) get them from the worker's sweep, once
/// they have been left alone for a moment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_replans_warning_runs_that_were_never_planned() {
    let _serial = SERIAL.lock().await;
    avoid_midnight(Duration::from_secs(180));
    let Setup {
        engine,
        receiver,
        env,
        class,
    } = setup("40s").await;
    let worker = env.spawn_worker(["--sweep-interval", "4"]);
    worker.wait_ready(Duration::from_secs(30));
    let without = hatchet_env(&engine);
    let session = without.session_ending_at(class, in_secs(75), LEN);
    let id = session_id(&session);
    assert!(session["scheduled_task_id"].is_string(), "{session}");
    assert!(warning_runs(&engine, id).is_empty(), "attctl planned none");
    engine
        .wait_for(
            |engine| !warning_runs(engine, id).is_empty(),
            Duration::from_secs(40),
        )
        .await
        .expect("the sweep plans the missing warning run");
    // The engine has the run a moment before the database keeps its id: the sweep says
    // when both are done.
    let planning = worker.wait_event(Duration::from_secs(10), |e| {
        e["target"] == "attctl_worker::sweep" && e["warning_runs"] == 1
    });
    assert_eq!(planning["message"], "planning done", "{planning}");
    assert_planned(&engine, &session, &[40]);
    // Planned once: the next sweeps find it kept.
    std::thread::sleep(Duration::from_secs(5));
    let created = engine
        .created_schedules()
        .into_iter()
        .filter_map(|(_, input)| input)
        .filter(|i| i["session_id"].as_i64() == Some(id) && i.get("offset_seconds").is_some())
        .count();
    assert_eq!(created, 1);
    assert!(
        receiver.wait_for(Duration::from_secs(60), |d| {
            !of_session(d, id, "session.closing_soon").is_empty()
        }),
        "{:?}",
        receiver.deliveries()
    );
    let all = receiver.deliveries();
    let warnings = of_session(&all, id, "session.closing_soon");
    assert_eq!(warnings.len(), 1, "{all:?}");
    let due = closes_at(&session) - chrono::Duration::seconds(40);
    assert!(utc(warnings[0].at) >= due, "warned before its due time");
    env.run_attctl(["session", "delete", &id.to_string(), "--yes"])
        .assert_ok();
}
