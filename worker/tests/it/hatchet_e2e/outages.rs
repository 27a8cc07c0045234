//! When the engine or the worker fails: a worker killed mid-run, an engine restarted,
//! down, or crashed (a deaf worker); sessions still close.

use super::*;

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
    let mut first = env.ready_worker(["run", "--name", "first", "--sweep-interval", "3600"]);

    let end = in_secs(4);
    let session = env.session_ending_at(class, end, LEN);
    let id = session_id(&session);
    let schedule = schedule_of(&session);
    // Hold the table from just before the end, so the run's close waits in the database:
    // the worker is then killed in the middle of its run.
    let locker = hold_the_run_in_the_database(&engine, schedule, end, 5).await;
    first.signal(libc::SIGKILL);
    first.wait_exit(Duration::from_secs(5)).expect("killed");
    locker.join().expect("locker thread").expect("psql lock");

    let second = env.ready_worker(["run", "--name", "second", "--sweep-interval", "3600"]);
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
    let worker = env.ready_worker(["--sweep-interval", "3600"]);

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
    let id = session_id(&session);
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
    let worker = env.ready_worker(["--sweep-interval", "1"]);

    engine.stop().await;
    let created = env.try_session_ending_at(class, in_secs(3), LEN);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stderr.contains("warning"), "{}", created.stderr);
    let early: Value = created.json();
    let early_id = session_id(&early);
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
    let later_id = session_id(&later.json());
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
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
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
    let id = session_id(&session);
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
