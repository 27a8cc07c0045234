//! Hatchet mode end to end, black-box: the real `attctl` and `attctl-worker` binaries
//! against a Supabase-like stack (`attctl-testkit`, PostgreSQL + PostgREST + gateway) and a
//! Hatchet engine speaking the real wire protocol (`hatchet-test-engine`, in this process).
//!
//! Every test has its own engine and its own class. They share one database, and a worker
//! sweeps every Open session of it, so the tests run one at a time ([`serial`]): a worker
//! of one test must not plan or close another test's sessions while it runs.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, Worker, avoid_midnight, in_secs, lag_ms, wall_times};
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

fn env_for(engine: &TestEngine) -> TestEnv {
    let stack = stack();
    TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none")
}

async fn start_engine(config: EngineConfig) -> TestEngine {
    TestEngine::start(config).await.expect("test engine")
}

/// Starts a worker and waits until it is ready (first sweep done, generation up).
fn ready_worker(env: &TestEnv, args: &[&str]) -> Worker {
    let worker = env.spawn_worker(args);
    worker.wait_ready(Duration::from_secs(30));
    worker
}

fn id_of(session: &Value) -> i64 {
    session["id"].as_i64().expect("session id")
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_closed_at_its_end_by_its_run() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "closed {lag} ms after its end");

    let event = worker.wait_event(Duration::from_secs(2), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == id
    });
    assert_eq!(event["outcome"], "closed", "{event}");
    assert_eq!(event["attempt"], 1, "{event}");
    assert!(event["lag_ms"].as_i64().is_some(), "{event}");
    assert!(event["task_run_id"].as_str().is_some(), "{event}");

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
        .expect("run succeeded in the engine");
    let runs = engine.runs_for_schedule(schedule);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].attempts.len(), 1);
    assert_eq!(
        runs[0].output.as_ref().map(|o| o["outcome"].clone()),
        Some("closed".into())
    );
    // The token never reaches the logs.
    attctl_testkit::assert_no_secret(&engine.token(), &[("log", &worker.lines().join("\n"))]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_deleted_before_its_end_is_neither_an_error_nor_resurrected() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "2"]);

    let session = env.session_ending_at(class, in_secs(4), LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    let out = env.run_attctl(["session", "delete", &id.to_string(), "--yes", "-o", "json"]);
    out.assert_ok();
    assert!(
        engine.schedules().iter().all(|s| s.id != schedule),
        "schedule still pending"
    );
    sleep_until(in_secs(4), Duration::from_secs(3));

    let show = env.run_attctl(["session", "show", &id.to_string()]);
    assert_eq!(show.code, 3, "{}", show.stderr);
    let rows = stack()
        .psql(&format!(
            "select count(*) from teaching_sessions where id = {id}"
        ))
        .expect("psql");
    assert_eq!(rows.trim(), "0");
    // No run fired, or if one slipped through it found nothing to close, without error.
    for event in run_events(&worker, id) {
        assert_eq!(event["outcome"], "missing", "{event}");
    }
    assert!(
        engine
            .runs_for_schedule(schedule)
            .iter()
            .all(|r| r.status == RunStatus::Succeeded),
        "{:?}",
        engine.runs_for_schedule(schedule)
    );

    // A run that does fire for a deleted session: the row is deleted behind attctl's back
    // (in SQL), so the schedule stays and the run arrives to find nothing.
    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    stack()
        .psql(&format!("delete from teaching_sessions where id = {id}"))
        .expect("psql");
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(schedule)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            Duration::from_secs(15),
        )
        .await
        .expect("the run fired and succeeded");
    let event = worker.wait_event(Duration::from_secs(5), |e| {
        e["target"] == "attctl_worker::run" && e["session_id"] == id
    });
    assert_eq!(event["outcome"], "missing", "{event}");
    let events = run_events(&worker, id);
    assert!(!events.is_empty());
    assert!(
        events.iter().all(|e| e["outcome"] == "missing"),
        "{events:?}"
    );
    let runs = engine.runs_for_schedule(schedule);
    assert!(!runs.is_empty());
    assert!(
        runs.iter().all(|r| r.status == RunStatus::Succeeded),
        "{runs:?}"
    );
    let rows = stack()
        .psql(&format!(
            "select count(*) from teaching_sessions where id = {id}"
        ))
        .expect("psql");
    assert_eq!(rows.trim(), "0", "not resurrected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_by_hand_before_the_end_cancels_the_run() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    let session = env.session_ending_at(class, in_secs(5), LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    assert!(engine.schedules().iter().any(|s| s.id == schedule));
    env.run_attctl(["session", "close", &id.to_string(), "-o", "json"])
        .assert_ok();
    assert!(
        engine.schedules().iter().all(|s| s.id != schedule),
        "the schedule is still in the engine"
    );
    sleep_until(in_secs(5), Duration::from_secs(3));
    assert!(engine.runs_for_schedule(schedule).is_empty());
    assert!(run_events(&worker, id).is_empty());
    let s = env.show(id);
    assert_eq!(s["closed_by"], "manual", "{s}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_run_is_replaced_and_the_session_closed_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig {
        heartbeat_timeout: Duration::from_secs(8),
        ..EngineConfig::fast()
    })
    .await;
    let env = env_for(&engine);
    let class = env.class();
    let mut first = ready_worker(
        &env,
        &["run", "--name", "first", "--sweep-interval", "3600"],
    );

    let end = in_secs(4);
    let session = env.session_ending_at(class, end, LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    // Hold the table from just before the end, so the run's close waits in the database:
    // the worker is then killed in the middle of its run.
    let locker = hold_the_run_in_the_database(&engine, schedule, end, 5).await;
    first.signal(libc::SIGKILL);
    first.wait_exit(Duration::from_secs(5)).expect("killed");
    locker.join().expect("locker thread").expect("psql lock");

    let second = ready_worker(
        &env,
        &["run", "--name", "second", "--sweep-interval", "3600"],
    );
    engine
        .wait_for(
            |e| {
                e.runs_for_schedule(schedule)
                    .iter()
                    .any(|r| r.status == RunStatus::Succeeded)
            },
            Duration::from_secs(40),
        )
        .await
        .expect("the run was retried and succeeded");
    let runs = engine.runs_for_schedule(schedule);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let attempts = &runs[0].attempts;
    assert!(attempts.len() >= 2, "{attempts:?}");
    assert_eq!(
        attempts[0].outcome,
        AttemptOutcome::WorkerLost,
        "{attempts:?}"
    );

    let s = env.show(id);
    assert_eq!(s["status"], "Closed", "{s}");
    assert_eq!(s["closed_by"], "auto", "{s}");
    let closes: usize = [&first, &second]
        .iter()
        .map(|w| {
            run_events(w, id)
                .iter()
                .filter(|e| e["outcome"] == "closed")
                .count()
        })
        .sum();
    assert!(closes <= 1, "closed {closes} times");
    let retried = run_events(&second, id);
    assert!(
        retried
            .iter()
            .any(|e| e["outcome"] == "closed" || e["outcome"] == "already_closed"),
        "{retried:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_engine_restart_the_worker_reconnects_and_keeps_closing() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    engine.restart().await.expect("engine restart");
    let restart = worker.wait_event(Duration::from_secs(20), |e| {
        e["target"] == "attctl_worker::supervisor" && e["generation"] == 1 && e["attempt"] == 1
    });
    assert_eq!(restart["level"], "WARN", "{restart}");
    assert!(
        restart["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{restart}"
    );
    worker.wait_event(Duration::from_secs(20), |e| {
        e["target"] == "attctl_worker::supervisor"
            && e["generation"] == 2
            && e["message"].as_str().is_some_and(|m| m.contains("up"))
    });
    engine
        .wait_for(
            |e| e.workers().iter().filter(|w| w.connected).count() == 1,
            Duration::from_secs(10),
        )
        .await
        .expect("one connected worker after the restart");

    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = id_of(&session);
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_engine_down_sessions_are_still_created_and_then_swept() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "1"]);

    engine.stop().await;
    let created = env.try_session_ending_at(class, in_secs(3), LEN);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stderr.contains("warning"), "{}", created.stderr);
    let early: Value = created.json();
    let early_id = id_of(&early);
    assert!(early["scheduled_task_id"].is_null(), "{early}");

    // Ends while the engine is still down: it has no run, so the next sweep closes it,
    // without the grace (SWEEP_GRACE) the sweep leaves to sessions that have one.
    let closed = env.wait_session(early_id, Duration::from_secs(25), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(
        closed["closed_by"],
        "sweep",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "swept {lag} ms after its end");

    // Created while down, ends after the engine is back: a sweep plans its run.
    let later = env.try_session_ending_at(class, in_secs(10), LEN);
    assert_eq!(later.code, 0, "{}", later.stderr);
    let later_id = id_of(&later.json());
    engine.restart().await.expect("engine restart");
    // (A sweep's transient claim, `claim:...`, is not a run id.)
    let planned = env.wait_session(later_id, Duration::from_secs(8), |s| {
        s["scheduled_task_id"]
            .as_str()
            .is_some_and(|run| !run.starts_with("claim:"))
    });
    schedule_of(&planned);
    let closed = env.wait_session(later_id, Duration::from_secs(40), |s| {
        s["status"] == "Closed"
    });
    assert_eq!(closed["status"], "Closed", "{closed}");
    // The outage was noticed and logged, never silently.
    assert!(
        worker
            .events()
            .iter()
            .any(|e| e["target"] == "attctl_worker::supervisor" && e["attempt"].is_u64()),
        "no restart logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_sessions_ending_together_are_closed_within_seconds() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(900));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    // The burst is written in one statement, so its end can be chosen after everything
    // else is ready: nothing here depends on how fast this machine creates sessions.
    const N: usize = 500;
    let end = in_secs(20);
    let (date, _, end_time) = wall_times(end, Duration::from_secs(60));
    stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, \
               allow_overlap) \
             select {class}, date '{date}', time '{end_time}' - make_interval(secs => 60 + g), \
                    time '{end_time}', '{zone}', true \
             from generate_series(0, {N} - 1) g",
            zone = crate::common::test_zone()
        ))
        .expect("insert the burst");
    // One sweep plans a run for each (in bulk), as it would after an upgrade.
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    assert_eq!(summary["scheduled"], N, "{summary}");

    // Every one is closed by its run, once.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let by = count_closed_by(class);
        if by.get("auto").copied() == Some(N as i64) || Instant::now() > deadline {
            assert_eq!(by.get("auto").copied(), Some(N as i64), "{by:?}");
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let ids = ids_of_class(class);
    assert_eq!(ids.len(), N);
    // Each closed once: by its run, or by the run of a session due with it.
    let closes = closes_reported_for(&[&worker], &ids, Duration::from_secs(30));
    for id in ids {
        let n = closes.get(&id).copied().unwrap_or(0);
        assert_eq!(n, 1, "session {id} closed {n} times");
    }
    // The figure, for people; the benchmark (bench/worker/close_lag.rs) measures it.
    let worst = stack()
        .psql(&format!(
            "select extract(epoch from max(closed_at - closes_at)) from teaching_sessions \
             where class_id = {class}"
        ))
        .unwrap_or_default();
    eprintln!("{N} sessions: worst lag {}s", worst.trim());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_close_every_session_once_and_plan_each_run_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(300));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();

    // Created while the engine is down: no runs, so both workers' sweeps race to plan them.
    engine.stop().await;
    const N: u64 = 40;
    let end = in_secs(25);
    let mut ids = Vec::new();
    for i in 0..N {
        let out = env.try_session_ending_at(class, end, Duration::from_secs(60 + i));
        assert_eq!(out.code, 0, "{}", out.stderr);
        ids.push(id_of(&out.json()));
    }
    engine.restart().await.expect("engine restart");
    let a = env.spawn_worker(["run", "--name", "w-a", "--sweep-interval", "1"]);
    let b = env.spawn_worker(["run", "--name", "w-b", "--sweep-interval", "1"]);
    a.wait_ready(Duration::from_secs(30));
    b.wait_ready(Duration::from_secs(30));
    assert!(Utc::now() < end, "setup took too long");
    sleep_until(end, Duration::from_secs(5));

    // Each session: scheduled exactly once (no second schedule, even one cancelled at
    // once), one run, closed once. The workers also plan Open sessions that other tests of
    // this binary left in the shared database; those are not counted.
    let mut schedules_per_session: HashMap<i64, usize> = HashMap::new();
    let mut others = 0;
    for (_, input) in engine.created_schedules() {
        match input.as_ref().and_then(|i| i["session_id"].as_i64()) {
            Some(id) if ids.contains(&id) => *schedules_per_session.entry(id).or_default() += 1,
            _ => others += 1,
        }
    }
    eprintln!(
        "{} schedules for this test's {N} sessions, {others} for other Open sessions in the database",
        schedules_per_session.values().sum::<usize>()
    );
    let closes = closes_reported_for(&[&a, &b], &ids, Duration::from_secs(30));
    let mut runs_per_session: HashMap<i64, usize> = HashMap::new();
    for run in engine.runs() {
        if let Some(id) = run.input["session_id"].as_i64() {
            *runs_per_session.entry(id).or_default() += 1;
        }
    }
    for id in &ids {
        assert_eq!(
            schedules_per_session.get(id),
            Some(&1),
            "schedules of session {id}"
        );
        assert_eq!(runs_per_session.get(id), Some(&1), "runs of session {id}");
        let s = env.show(*id);
        assert_eq!(s["status"], "Closed", "{s}");
        assert_eq!(closes.get(id), Some(&1), "session {id}: {s}");
    }
    // Both workers took part.
    for w in [&a, &b] {
        assert!(
            w.events()
                .iter()
                .any(|e| e["target"] == "attctl_worker::run"),
            "a worker ran nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_once_closes_what_ended_on_supabase() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(300));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    engine.stop().await;
    let ended = env.try_session_ending_at(class, in_secs(-60), LEN);
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    let id = id_of(&ended.json());
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    assert!(
        summary["closed_ids"]
            .as_array()
            .is_some_and(|ids| ids.contains(&Value::from(id))),
        "{summary}\n{}",
        out.stderr
    );
    assert_eq!(env.show(id)["closed_by"], "sweep");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_run_in_progress_finish_and_report() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let mut worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    let end = in_secs(3);
    let session = env.session_ending_at(class, end, LEN);
    let id = id_of(&session);
    let schedule = schedule_of(&session);
    // The run's close waits on this lock, taken just before the end, for about 3 s.
    let locker = hold_the_run_in_the_database(&engine, schedule, end, 4).await;
    let t0 = Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker
        .wait_exit(Duration::from_secs(25))
        .expect("no exit within the shutdown budget");
    let took = t0.elapsed();
    locker.join().expect("locker thread").expect("psql lock");
    eprintln!("Hatchet-mode stop with a run in progress took {took:?}");
    assert_eq!(status.code(), Some(0), "{}", worker.lines().join("\n"));
    // It waited for the run (blocked about 3 s more), within the 20 s budget.
    assert!(
        took > Duration::from_secs(1),
        "{took:?}: did not wait for the run\n{}",
        worker.lines().join("\n")
    );
    assert!(took < Duration::from_secs(20), "{took:?}");

    // The run was not cut off: it closed the session and told the engine.
    let s = env.show(id);
    assert_eq!(s["closed_by"], "auto", "{s}");
    let events = run_events(&worker, id);
    assert!(
        events.iter().any(|e| e["outcome"] == "closed"),
        "{events:?}\n{}",
        worker.lines().join("\n")
    );
    let runs = engine.runs_for_schedule(schedule);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Succeeded, "{:?}", runs[0]);
    assert_eq!(runs[0].attempts.len(), 1, "{:?}", runs[0].attempts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_hatchet_worker_stops_at_once() {
    let _serial = serial().await;
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let mut worker = ready_worker(&env, &["--sweep-interval", "3600"]);
    let t0 = Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker
        .wait_exit(Duration::from_secs(10))
        .expect("did not exit");
    let took = t0.elapsed();
    eprintln!("idle Hatchet-mode stop took {took:?}");
    assert_eq!(status.code(), Some(0));
    // Idle: no run to wait for, only the quiet period; 5 s leaves room for a loaded machine.
    assert!(took < Duration::from_secs(5), "{took:?}");
    let stopped = worker.wait_event(Duration::from_secs(1), |e| {
        e["message"] == "Hatchet worker stopped"
    });
    assert_eq!(stopped["outcome"], "stopped", "{stopped}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hatchet_mode_on_the_sqlite_file_closes_where_attctl_sees_it() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = TestEnv::local()
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none");
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);
    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = id_of(&session);
    schedule_of(&session);
    // Read by a separate `attctl` process while the worker still runs: the worker's write
    // must be in the shared WAL, not in one only its own connections can see.
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    let wal = env.data_file().with_extension("db-wal");
    assert!(
        wal.exists(),
        "{} is gone while the worker runs",
        wal.display()
    );
    // The worker holds the liveness lock `attctl doctor` looks at.
    let doctor = env.run_attctl(["doctor", "-o", "json"]);
    assert!(
        doctor.stdout.contains("attctl-worker is running"),
        "{}",
        doctor.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_exits_at_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let mut worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    let end = in_secs(3);
    let session = env.session_ending_at(class, end, LEN);
    let schedule = schedule_of(&session);
    // A run blocked in the database keeps the graceful stop waiting.
    let locker = hold_the_run_in_the_database(&engine, schedule, end, 5).await;
    worker.signal(libc::SIGTERM);
    worker.wait_event(Duration::from_secs(2), |e| {
        e["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("stopping gracefully"))
    });
    assert!(
        worker.wait_exit(Duration::from_millis(500)).is_none(),
        "did not wait for the run"
    );
    let t0 = Instant::now();
    worker.signal(libc::SIGTERM);
    let status = worker
        .wait_exit(Duration::from_secs(5))
        .expect("no immediate exit on the second signal");
    eprintln!("exit after the second signal took {:?}", t0.elapsed());
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    locker.join().expect("locker thread").expect("psql lock");
}

// ----- The original app's worker contract (issue 18) -----

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

/// Schedules a run of the original app's workflow the way its Python SDK does.
async fn schedule_like_the_original_app(
    engine: &TestEngine,
    trigger_at: chrono::DateTime<Utc>,
    input: Value,
) -> reqwest::Response {
    schedule_over_rest(engine, LEGACY_WORKFLOW, trigger_at, input).await
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
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);
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
    let worker = ready_worker(&env, &["run", "--name", "both", "--sweep-interval", "3600"]);
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
    let ours_id = id_of(&ours);
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
    let worker = ready_worker(&env, &["--sweep-interval", "1"]);

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
    let _worker = ready_worker(&env, &["--sweep-interval", "3600"]);
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

/// A crash (kill -9, OOM) leaves the worker row active and its heartbeats accepted: only
/// the relay that carried the SDK's action stream tells the worker its stream is gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_engine_crash_the_deaf_worker_is_replaced_within_seconds() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    // No sweep to the rescue: the run alone must close the session.
    let worker = ready_worker(&env, &["--sweep-interval", "3600"]);
    let old = engine.workers()[0].id;

    let crashed = Instant::now();
    engine.crash_and_restart().await.expect("crash and restart");
    let replaced = worker.wait_event(Duration::from_secs(20), |e| {
        e["target"] == "attctl_worker::supervisor"
            && e["generation"] == 2
            && e["message"].as_str().is_some_and(|m| m.contains("up"))
    });
    let back = crashed.elapsed();
    let ended = worker
        .events()
        .into_iter()
        .find(|e| {
            e["target"] == "attctl_worker::supervisor"
                && e["generation"] == 1
                && e["reason"].is_string()
        })
        .expect("generation 1 ended");
    assert!(
        ended["reason"]
            .as_str()
            .is_some_and(|r| r.contains("action stream lost")),
        "{ended}\n{replaced}"
    );
    // The engine still counts the old worker in: its row is active, as after a real crash.
    assert!(
        engine.workers().iter().any(|w| w.id == old && w.is_active),
        "{:?}",
        engine.workers()
    );

    let session = env.session_ending_at(class, in_secs(2), LEN);
    let id = id_of(&session);
    let closed = env.wait_session(id, Duration::from_secs(20), |s| s["status"] == "Closed");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
    let closed_at = crate::common::parse_time(&closed["closed_at"]).expect("closed_at");
    eprintln!(
        "engine crash: new worker generation up after {} ms; session closed {} ms after its end",
        back.as_millis(),
        lag_ms(&closed).unwrap_or(-1)
    );
    assert!(closed_at >= crate::common::parse_time(&closed["closes_at"]).expect("closes_at"));
}

/// The real ticker replays every schedule missed while the engine was down, all at once.
/// The figure is 1,000 closes after a 2-minute outage; on a 2-core CI machine that
/// test alone would take over 3 minutes, so it is scaled to 300 sessions and an outage of
/// about 20 s that spans their end and the sweep's grace (15 s): the replayed runs and
/// the sweep then race for the same sessions, which is what must stay exactly-once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schedules_missed_during_an_outage_are_replayed_and_each_session_closed_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(300));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "1"]);

    const N: i64 = 300;
    // Distinct starts (class, date, start is unique), one shared end 15 s ahead.
    stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, \
               allow_overlap) \
             select {class}, (t at time zone '{zone}')::date, \
                    (t at time zone '{zone}')::time - make_interval(secs => 60 + i), \
                    (t at time zone '{zone}')::time, '{zone}', true \
             from (select date_trunc('second', now()) + interval '15 seconds' as t) x, \
                  generate_series(1, {N}) i",
            zone = crate::common::test_zone()
        ))
        .expect("psql insert");
    let planned = || -> i64 {
        stack()
            .psql(&format!(
                "select count(*) from teaching_sessions where class_id = {class} \
                 and scheduled_task_id ~ '^[0-9a-f-]{{36}}$'"
            ))
            .expect("psql")
            .trim()
            .parse()
            .unwrap_or(-1)
    };
    let deadline = Instant::now() + Duration::from_secs(12);
    while planned() < N && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(planned(), N, "the sweep planned every run");
    assert_eq!(engine.schedules().len() as i64, N);

    engine.crash().await;
    // Down across the end (15 s) and the sweep's grace after it (15 s more).
    std::thread::sleep(Duration::from_secs(20));
    engine.restart().await.expect("restart");

    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let by = count_closed_by(class);
        if !by.contains_key("open") || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let by = count_closed_by(class);
    assert_eq!(by.get("open"), None, "{by:?}");
    let auto = by.get("auto").copied().unwrap_or(0);
    let swept = by.get("sweep").copied().unwrap_or(0);
    assert_eq!(auto + swept, N, "{by:?}");

    // Every missed schedule fired, every run ended well (closed, or found it closed by
    // the sweep), none timed out waiting for a slot.
    engine
        .wait_for(
            |e| {
                let runs = e.runs();
                runs.len() as i64 >= N && runs.iter().all(|r| r.status.is_terminal())
            },
            Duration::from_secs(30),
        )
        .await
        .expect("every replayed run finished");
    let runs = engine.runs();
    let bad: Vec<_> = runs
        .iter()
        .filter(|r| r.status != RunStatus::Succeeded)
        .map(|r| (r.status, r.cancel_reason.clone(), r.error.clone()))
        .collect();
    assert!(
        bad.is_empty(),
        "{} runs did not succeed: {:?}",
        bad.len(),
        &bad[..bad.len().min(5)]
    );
    // Exactly once in effect: each session's close was done by one writer (a replayed
    // run, another replayed run's write, or the sweep).
    let ids = ids_of_class(class);
    let closes = closes_reported_for(&[&worker], &ids, Duration::from_secs(30));
    assert!(closes.values().all(|n| *n == 1), "{closes:?}");
    assert_eq!(closes.len() as i64, auto + swept, "{by:?}");
    eprintln!("{N} missed closes after the outage: {auto} by replayed runs, {swept} by the sweep");
}

/// The real ticker arms a timer for everything due within 5 s; a DELETE in that window
/// answers 204 and the run still fires. A session moved later by less than the run
/// tolerance (10 s) must not be closed by that stale run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_run_fired_after_a_reschedule_does_not_close_the_session() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    // The real 5 s poll and look-ahead.
    let engine = start_engine(EngineConfig::default()).await;
    let env = env_for(&engine);
    let class = env.class();
    let _worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    let end = in_secs(5);
    let session = env.session_ending_at(class, end, LEN);
    let id = id_of(&session);
    let old_run = schedule_of(&session);
    // A (re)started engine polls at once: the old run, due in under 5 s, is armed now
    // rather than at a poll that might come just before it fires.
    engine.restart().await.expect("restart");
    engine
        .wait_for(
            |e| e.schedules().iter().any(|s| s.id == old_run && s.picked),
            Duration::from_secs(3),
        )
        .await
        .expect("the ticker armed the old run");

    // Move the end 7 s later: within the tolerance, inside the armed window.
    let new_end = end + chrono::Duration::seconds(7);
    let (_, _, new_end_wall) = crate::common::wall_times(new_end, LEN);
    let moved = env.run_attctl([
        "session",
        "reschedule",
        &id.to_string(),
        "--end",
        &new_end_wall,
        "-o",
        "json",
    ]);
    moved.assert_ok();
    engine
        .wait_for(
            |e| !e.runs_for_schedule(old_run).is_empty(),
            Duration::from_secs(15),
        )
        .await
        .expect("the stale run fired despite the delete");
    let closed = env.wait_session(id, Duration::from_secs(25), |s| s["status"] == "Closed");
    assert_eq!(closed["status"], "Closed", "{closed}");
    let closed_at = crate::common::parse_time(&closed["closed_at"]).expect("closed_at");
    assert!(
        closed_at >= new_end,
        "closed at {closed_at}, before its new end {new_end}: {closed}"
    );
}

/// A tenant rate limit (Hatchet Cloud's 429 with `Retry-After`) slows bulk planning down;
/// no run fails to be scheduled because of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_planning_under_a_rate_limit_slows_down_instead_of_failing() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(300));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = ready_worker(&env, &["--sweep-interval", "1"]);
    engine.set_rate_limit(Some(25));

    const N: i64 = 120;
    stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, \
               allow_overlap) \
             select {class}, (t at time zone '{zone}')::date, \
                    (t at time zone '{zone}')::time - make_interval(secs => 60 + i), \
                    (t at time zone '{zone}')::time, '{zone}', true \
             from (select date_trunc('second', now()) + interval '200 seconds' as t) x, \
                  generate_series(1, {N}) i",
            zone = crate::common::test_zone()
        ))
        .expect("psql insert");
    engine
        .wait_for(|e| e.schedules().len() as i64 >= N, Duration::from_secs(40))
        .await
        .expect("every run planned");
    assert!(engine.rate_limited_count() > 0, "the limit was never hit");
    let failures: Vec<Value> = worker
        .events()
        .into_iter()
        .filter(|e| e["schedule_failures"].as_u64().is_some_and(|n| n > 0))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(engine.schedules().len() as i64, N, "one run per session");
    engine.set_rate_limit(None);
}
