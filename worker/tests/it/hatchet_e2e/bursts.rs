//! Many sessions at once: hundreds ending together, two workers sharing them, schedules
//! replayed after an outage, and bulk planning under a rate limit; each session closed
//! once and each run planned once.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_sessions_ending_together_are_closed_within_seconds() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(900));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "3600"]);

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
    // The figure, for people; the benchmark (worker/benches/close_lag.rs) measures it.
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
        ids.push(session_id(&out.json()));
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
    let worker = env.ready_worker(["--sweep-interval", "1"]);

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

/// A tenant rate limit (Hatchet Cloud's 429 with `Retry-After`) slows bulk planning down;
/// no run fails to be scheduled because of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_planning_under_a_rate_limit_slows_down_instead_of_failing() {
    let _serial = serial().await;
    avoid_midnight(Duration::from_secs(300));
    let engine = start_engine(EngineConfig::fast()).await;
    let env = env_for(&engine);
    let class = env.class();
    let worker = env.ready_worker(["--sweep-interval", "1"]);
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
