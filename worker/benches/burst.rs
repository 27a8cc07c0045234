//! A term's worth of period ends at once: 10,000 sessions ending within one minute, in
//! Hatchet mode on the Supabase stack. How many are Closed, how many by their runs
//! (`auto`), and how late (`closed_at - closes_at`, p50/p99/max)? Prints figures; asserts
//! nothing.
//!
//! `cargo bench -p attctl-worker --bench burst` (release build of both binaries).
//! `BENCH_BURST` (default 10000) sets the number of sessions; they end at ten instants,
//! six seconds apart (period ends), within one minute. Two scenarios, each on a fresh
//! PostgreSQL 15 + PostgREST stack and the in-process `hatchet-test-engine` with the real
//! engine's timings (5 s schedule polling):
//! - `planned`: every session has its run before the worker starts (one sweep planned them);
//! - `unplanned`: none has a run (rows another client wrote); the worker starts 60 s before
//!   the first end and must plan them all in time.

mod common;

use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use attctl_testkit::harness::{TestEnv, avoid_midnight};
use chrono::Utc;
use hatchet_test_engine::{EngineConfig, TestEngine};

/// Distinct closing instants of the burst, `STEP_S` apart.
const INSTANTS: usize = 10;
const STEP_S: usize = 6;

fn main() {
    let n = common::size("BENCH_BURST", 1..=100_000, 10_000) as usize;
    let runtime = common::runtime();
    println!(
        "attctl-worker, {n} sessions ending at {INSTANTS} instants within one minute (Hatchet mode, Supabase stack)"
    );
    println!(
        "{:<10} {:>12} {:>8} {:>8} {:>8} {:>8} {:>8} {:>10}",
        "scenario", "closed", "auto %", "p50 ms", "p99 ms", "max ms", "sweep", "plan s"
    );
    for scenario in [Scenario::Planned, Scenario::Unplanned] {
        runtime.block_on(async {
            match TestEngine::start(EngineConfig::default()).await {
                Ok(engine) => run(scenario, n, &engine),
                Err(e) => eprintln!("cannot start the test engine: {e:#}"),
            }
        });
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Planned,
    Unplanned,
}

fn scalar(stack: &SupabaseStack, sql: &str) -> Option<String> {
    stack
        .psql(sql)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn count(stack: &SupabaseStack, sql: &str) -> usize {
    scalar(stack, sql).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn run(scenario: Scenario, n: usize, engine: &TestEngine) {
    let name = match scenario {
        Scenario::Planned => "planned",
        Scenario::Unplanned => "unplanned",
    };
    avoid_midnight(Duration::from_secs(900));
    let stack = match SupabaseStack::start() {
        Ok(stack) => stack,
        Err(e) => {
            eprintln!("cannot start the Supabase stack: {e:#}");
            return;
        }
    };
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none");
    // The first instant: far enough to plan everything first (planned), or 60 s after the
    // worker starts (unplanned). Sessions last 40 minutes or more (starts differ: one class)
    // and end on whole seconds.
    let lead_s = match scenario {
        Scenario::Planned => 90,
        Scenario::Unplanned => 60,
    };
    let first = (Utc::now() + chrono::Duration::seconds(lead_s)).timestamp();
    if let Err(e) = stack.psql(&format!(
        "with c as (insert into public.classes (name) values ('burst') returning id)
         insert into public.teaching_sessions
           (class_id, session_date, start_time, end_time, timezone, allow_overlap)
         select c.id, e::date, (e - interval '40 minutes' - make_interval(secs => g * 0.001))::time,
                e::time, 'UTC', true
         from c, generate_series(0, {n} - 1) g,
              lateral (select (to_timestamp({first} + (g % {INSTANTS}) * {STEP_S}) at time zone 'UTC') as e) t"
    )) {
        eprintln!("cannot seed: {e:#}");
        return;
    }
    let unplanned_sql = "select count(*) from public.teaching_sessions where status = 'Open' \
                         and (scheduled_task_id is null or scheduled_task_id like 'claim:%')";
    let t0 = Instant::now();
    if scenario == Scenario::Planned {
        let out = env.worker_once(["sweep", "--once"]);
        if out.code != 0 {
            eprintln!("sweep --once failed: {}", out.stderr.trim());
            return;
        }
    }
    let mut worker = env.spawn_worker(["--sweep-interval", "60"]);
    let mut plan_s = None;
    let deadline = Instant::now() + Duration::from_secs(lead_s as u64 + 180);
    loop {
        if plan_s.is_none() && count(&stack, unplanned_sql) == 0 {
            plan_s = Some(t0.elapsed().as_secs_f64());
        }
        let open = count(
            &stack,
            "select count(*) from public.teaching_sessions where status = 'Open'",
        );
        if (open == 0 && plan_s.is_some()) || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));

    let stats = scalar(
        &stack,
        "select count(*) filter (where status = 'Closed') || ' ' ||
                count(*) filter (where closed_by = 'auto') || ' ' ||
                count(*) filter (where closed_by = 'sweep') || ' ' ||
                coalesce(round((percentile_cont(0.5) within group (order by extract(epoch from closed_at - closes_at)) * 1000)::numeric)::text, '-') || ' ' ||
                coalesce(round((percentile_cont(0.99) within group (order by extract(epoch from closed_at - closes_at)) * 1000)::numeric)::text, '-') || ' ' ||
                coalesce(round((max(extract(epoch from closed_at - closes_at)) * 1000)::numeric)::text, '-')
         from public.teaching_sessions",
    )
    .unwrap_or_default();
    let f: Vec<&str> = stats.split_whitespace().collect();
    if f.len() != 6 {
        println!("{name:<10} no figures ({stats})");
        return;
    }
    let closed: usize = f[0].parse().unwrap_or(0);
    let auto: usize = f[1].parse().unwrap_or(0);
    let auto_pct = if closed > 0 {
        auto as f64 * 100.0 / n as f64
    } else {
        0.0
    };
    let plan = plan_s.map_or("-".to_string(), |s| format!("{s:.1}"));
    println!(
        "{name:<10} {:>12} {auto_pct:>8.2} {:>8} {:>8} {:>8} {:>8} {plan:>10}",
        format!("{closed}/{n}"),
        f[3],
        f[4],
        f[5],
        f[2]
    );
}
