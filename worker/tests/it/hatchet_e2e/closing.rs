//! Sessions closed by their runs, and what must not close them: a delete, a close by
//! hand, a reschedule (a stale run), and the same on the SQLite file; `sweep --once` on
//! Supabase.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_is_closed_at_its_end_by_its_run() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "3600"]);

    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = session_id(&session);
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
    let worker = env.ready_worker(["--sweep-interval", "2"]);

    let session = env.session_ending_at(class, in_secs(4), LEN);
    let id = session_id(&session);
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
    let id = session_id(&session);
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
    let worker = env.ready_worker(["--sweep-interval", "3600"]);

    let session = env.session_ending_at(class, in_secs(5), LEN);
    let id = session_id(&session);
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
    let _worker = env.ready_worker(["--sweep-interval", "3600"]);

    let end = in_secs(5);
    let session = env.session_ending_at(class, end, LEN);
    let id = session_id(&session);
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
    let id = session_id(&ended.json());
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
async fn hatchet_mode_on_the_sqlite_file_closes_where_attctl_sees_it() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(90));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = TestEnv::local()
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none");
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "3600"]);
    let session = env.session_ending_at(class, in_secs(3), LEN);
    let id = session_id(&session);
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
