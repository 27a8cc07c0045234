//! Hatchet mode end to end, black-box: the real `attctl` and `attctl-worker` binaries
//! against a Supabase-like stack (`attctl-testkit`, PostgreSQL + PostgREST + gateway) and a
//! Hatchet engine speaking the real wire protocol (`hatchet-test-engine`, in this process).
//!
//! Every test has its own engine and its own class. They share one database, and a worker
//! sweeps every Open session of it, so the tests run one at a time ([`serial`]): a worker
//! of one test must not plan or close another test's sessions while it runs.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use chrono::Utc;
use common::{TestEnv, Worker, avoid_midnight, in_secs, lag_ms};
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
    assert!((0..2000).contains(&lag), "closed {lag} ms after its end");

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
    assert!(!worker.lines().join("\n").contains(&engine.token()));
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
    let out = env.attctl(["session", "delete", &id.to_string(), "--yes", "-o", "json"]);
    out.assert_ok();
    assert!(
        engine.schedules().iter().all(|s| s.id != schedule),
        "schedule still pending"
    );
    sleep_until(in_secs(4), Duration::from_secs(3));

    let show = env.attctl(["session", "show", &id.to_string()]);
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
    env.attctl(["session", "close", &id.to_string(), "-o", "json"])
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
    sleep_until(end - chrono::Duration::seconds(1), Duration::ZERO);
    let locker = std::thread::spawn(|| {
        stack().psql(
            "begin; lock table teaching_sessions in access exclusive mode; \
             select pg_sleep(5); commit;",
        )
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
        .expect("the run started on the first worker");
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
    assert!((0..3000).contains(&lag), "swept {lag} ms after its end");

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
    let _worker = ready_worker(&env, &["--sweep-interval", "3600"]);

    const N: u64 = 500;
    const THREADS: u64 = 10;
    let end = in_secs(60);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let env = &env;
            scope.spawn(move || {
                for i in (t..N).step_by(THREADS as usize) {
                    // Distinct starts: (class, date, start) is unique.
                    env.session_ending_at(class, end, Duration::from_secs(60 + i));
                }
            });
        }
    });
    let took = started.elapsed();
    eprintln!("created {N} sessions in {took:?}");
    assert!(
        Utc::now() < end,
        "creating {N} sessions took {took:?}: past their end"
    );

    sleep_until(end, Duration::from_secs(5));
    let by = count_closed_by(class);
    assert_eq!(by.get("auto").copied(), Some(N as i64), "{by:?}");
    let worst = stack()
        .psql(&format!(
            "select extract(epoch from max(closed_at - closes_at)) from teaching_sessions \
             where class_id = {class}"
        ))
        .expect("psql");
    let worst: f64 = worst.trim().parse().expect("max lag");
    eprintln!("{N} sessions: worst lag {worst:.3}s");
    assert!(worst < 5.0, "worst lag {worst}s");
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
    let before = engine.request_count(routes::CREATE_SCHEDULED);
    let a = env.spawn_worker(["run", "--name", "w-a", "--sweep-interval", "1"]);
    let b = env.spawn_worker(["run", "--name", "w-b", "--sweep-interval", "1"]);
    a.wait_ready(Duration::from_secs(30));
    b.wait_ready(Duration::from_secs(30));
    assert!(Utc::now() < end, "setup took too long");
    sleep_until(end, Duration::from_secs(5));

    // Each session: exactly one schedule created, one run, closed once.
    let created = engine.request_count(routes::CREATE_SCHEDULED) - before;
    assert_eq!(created, N, "schedules created");
    let mut runs_per_session: HashMap<i64, usize> = HashMap::new();
    for run in engine.runs() {
        if let Some(id) = run.input["session_id"].as_i64() {
            *runs_per_session.entry(id).or_default() += 1;
        }
    }
    let events: Vec<Value> = a.events().into_iter().chain(b.events()).collect();
    for id in &ids {
        assert_eq!(runs_per_session.get(id), Some(&1), "runs of session {id}");
        let s = env.show(*id);
        assert_eq!(s["status"], "Closed", "{s}");
        let by_run = events
            .iter()
            .filter(|e| {
                e["target"] == "attctl_worker::run"
                    && e["session_id"] == *id
                    && e["outcome"] == "closed"
            })
            .count();
        let by_sweep = events
            .iter()
            .filter(|e| {
                e["target"] == "attctl_worker::sweep"
                    && e["closed_ids"].as_str().is_some_and(|l| {
                        l.trim_matches(['[', ']'])
                            .split(", ")
                            .any(|x| x == id.to_string())
                    })
            })
            .count();
        assert_eq!(by_run + by_sweep, 1, "session {id}: {s}");
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
    sleep_until(end - chrono::Duration::seconds(1), Duration::ZERO);
    let locker = std::thread::spawn(|| {
        stack().psql(
            "begin; lock table teaching_sessions in access exclusive mode; \
             select pg_sleep(4); commit;",
        )
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
    assert!(took < Duration::from_secs(3), "{took:?}");
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
    let doctor = env.attctl(["doctor", "-o", "json"]);
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
    sleep_until(end - chrono::Duration::seconds(1), Duration::ZERO);
    let locker = std::thread::spawn(|| {
        stack().psql(
            "begin; lock table teaching_sessions in access exclusive mode; \
             select pg_sleep(5); commit;",
        )
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
        .wait_exit(Duration::from_secs(2))
        .expect("no immediate exit on the second signal");
    eprintln!("exit after the second signal took {:?}", t0.elapsed());
    assert_eq!(status.code(), Some(128 + libc::SIGTERM));
    locker.join().expect("locker thread").expect("psql lock");
}
