//! A backlog of Open sessions with no run (an upgraded table, or rows another client
//! wrote), on the real stack: how fast attctl-worker plans it, how late a session that ends
//! meanwhile is closed, and how long the worker takes to stop while it is planning.
//! Prints figures; asserts nothing.
//!
//! `cargo bench -p attctl-worker --bench backlog` (release build of both binaries).
//! `BENCH_BACKLOG` (default 40000) sets the backlog. Two modes, each on a fresh PostgreSQL
//! 15 + PostgREST stack: `local` (no Hatchet: the worker closes sessions itself and plans
//! local run ids) and `hatchet` (runs created on the in-process `hatchet-test-engine` with
//! the real engine's timings), and `hatchet` again with `ATTCTL_WARN_BEFORE=10m,2m`, where
//! each session also gets two warning runs (`warn s`: until every one is kept).

mod common;

use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use attctl_testkit::harness::{TestEnv, avoid_midnight, in_secs, lag_ms};
use hatchet_test_engine::{EngineConfig, TestEngine};

fn main() {
    let n = common::size("BENCH_BACKLOG", 1..=200_000, 40_000) as usize;
    let runtime = common::runtime();
    println!("attctl-worker and a backlog of {n} Open sessions with no run (Supabase stack)");
    println!(
        "{:<8} {:>10} {:>12} {:>10} {:>10} {:>12} {:>10} {:>10}",
        "mode", "planned", "sessions/s", "lag ms", "closed_by", "plan s", "stop ms", "warn s"
    );
    bench_mode("local", n, None, None);
    runtime.block_on(async {
        match TestEngine::start(EngineConfig::default()).await {
            Ok(engine) => bench_mode("hatchet", n, Some(&engine), None),
            Err(e) => eprintln!("cannot start the test engine: {e:#}"),
        }
        match TestEngine::start(EngineConfig::default()).await {
            Ok(engine) => bench_mode("+warn", n, Some(&engine), Some("10m,2m")),
            Err(e) => eprintln!("cannot start the test engine: {e:#}"),
        }
    });
}

fn count(stack: &SupabaseStack, sql: &str) -> usize {
    stack
        .psql(sql)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn bench_mode(mode: &str, n: usize, engine: Option<&TestEngine>, warn_before: Option<&str>) {
    avoid_midnight(Duration::from_secs(600));
    let stack = match SupabaseStack::start() {
        Ok(stack) => stack,
        Err(e) => {
            eprintln!("cannot start the Supabase stack: {e:#}");
            return;
        }
    };
    if let Err(e) = stack.psql(&format!(
        "with c as (insert into public.classes (name) values ('backlog') returning id)
         insert into public.teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
         select c.id, current_date + 2 + (g / 8), time '08:00' + ((g % 8) * interval '1 hour'),
                time '08:45' + ((g % 8) * interval '1 hour'), 'UTC', now()
         from c, generate_series(0, {n} - 1) g"
    )) {
        eprintln!("cannot seed: {e:#}");
        return;
    }
    let mut env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    if let Some(engine) = engine {
        env.set("HATCHET_CLIENT_TOKEN", &engine.token());
        env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
    }
    let offsets = warn_before.map_or(0, |w| w.split(',').count());
    if let Some(warn) = warn_before {
        env.set("ATTCTL_WARN_BEFORE", warn);
    }
    let class = env.class();
    let unplanned_sql = "select count(*) from public.teaching_sessions where status = 'Open' \
                         and (scheduled_task_id is null or scheduled_task_id like 'claim:%')";

    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    let t0 = Instant::now();
    // A session ending in 10 s, created while the backlog is being planned.
    let session = env.try_session_ending_at(class, in_secs(10), Duration::from_secs(60));
    let id = (session.code == 0)
        .then(|| session.json()["id"].as_i64())
        .flatten();

    // Planning done: no session left without a run (or 5 minutes).
    let mut plan_s = None;
    while t0.elapsed() < Duration::from_secs(300) {
        if count(&stack, unplanned_sql) == 0 {
            plan_s = Some(t0.elapsed().as_secs_f64());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Warning runs kept for every session of the backlog (and the one created).
    let mut warn_s = None;
    while offsets > 0 && t0.elapsed() < Duration::from_secs(600) {
        if count(&stack, "select count(*) from public.session_warning_runs") >= n * offsets {
            warn_s = Some(t0.elapsed().as_secs_f64());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let (lag, closed_by) = match id {
        Some(id) => {
            let closed = env.wait_session(id, Duration::from_secs(60), |s| s["status"] == "Closed");
            (
                lag_ms(&closed).map_or("-".to_string(), |l| l.to_string()),
                closed["closed_by"].as_str().unwrap_or("-").to_string(),
            )
        }
        None => (
            "-".into(),
            format!("create failed: {}", session.stderr.trim()),
        ),
    };

    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));
    let planned = n - count(&stack, unplanned_sql).min(n);

    // Stop while planning: the backlog again, a new worker, SIGTERM a second into its
    // first planning pass.
    let _ = stack
        .psql("update public.teaching_sessions set scheduled_task_id = null where status = 'Open'");
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    std::thread::sleep(Duration::from_secs(1));
    let t1 = Instant::now();
    worker.signal(libc::SIGTERM);
    let stop_ms = match worker.wait_exit(Duration::from_secs(30)) {
        Some(_) => t1.elapsed().as_millis() as i64,
        None => -1,
    };
    let rate = plan_s.map_or("-".to_string(), |s| format!("{:.0}", n as f64 / s));
    let plan = plan_s.map_or("-".to_string(), |s| format!("{s:.1}"));
    let warn = warn_s.map_or("-".to_string(), |s| format!("{s:.1}"));
    println!(
        "{mode:<8} {:>10} {rate:>12} {lag:>10} {closed_by:>10} {plan:>12} {stop_ms:>10} {warn:>10}",
        format!("{planned}/{n}")
    );
}
