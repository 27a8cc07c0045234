//! Stopping a Hatchet worker: SIGTERM lets a run in progress finish, an idle worker stops
//! at once, a second signal exits at once.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_run_in_progress_finish_and_report() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let mut worker = env.ready_worker(["--sweep-interval", "3600"]);

    let end = in_secs(3);
    let session = env.session_ending_at(class, end, LEN);
    let id = session_id(&session);
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
    let mut worker = env.ready_worker(["--sweep-interval", "3600"]);
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
async fn a_second_signal_exits_at_once() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(120));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let mut worker = env.ready_worker(["--sweep-interval", "3600"]);

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
