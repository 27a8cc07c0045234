//! What an idle attctl-worker costs, and how late it closes a session that another process
//! created 5 s before its end. Prints figures; asserts nothing (the `idle` test module pins
//! the request bound at the gateway).
//!
//! `cargo bench -p attctl-worker --bench idle --profile dev` (the figures are counts, not
//! speeds: a debug build gives the same ones). `BENCH_IDLE_SECS` (default 60) is the idle
//! window, `BENCH_LAG_SAMPLES` (default 5) how many sessions are created 5 s before their
//! end, one after another. `ATTCTL_WORKER_BIN` measures another build (the one before a
//! change, say); `BENCH_MODES` (default `local,supabase,hatchet`) picks the modes. Modes,
//! each with one worker and nothing else due:
//! - `local`: a SQLite file; the other process is `attctl session create`. Idle cost from
//!   /proc: system calls (reads, writes), wake-ups (voluntary context switches of all its
//!   threads), CPU.
//! - `supabase`: the testkit's stack (PostgreSQL 15, PostgREST 12, the gateway), no Hatchet;
//!   the other process is `psql` inserting a row as the original app does. Idle cost: API
//!   requests per minute at the gateway, by route.
//! - `hatchet`: the same with the Hatchet test engine at the real engine's timings (schedules
//!   polled every 5 s): the session is planned as a run when the worker reads its event.
//! - `local+webhook`, `supabase+webhook`: `local` and `supabase` with a notification channel
//!   configured (a webhook receiver on loopback), so that the delivery loop's idle cost
//!   shows. Not in the default list.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use attctl_testkit::harness::{
    TestEnv, Worker, avoid_midnight, in_secs, lag_ms, test_zone, wall_times,
};
use attctl_testkit::webhook::WebhookReceiver;
use hatchet_test_engine::{EngineConfig, TestEngine};

/// How long before its end the other process creates each session.
const LEAD: i64 = 5;

fn main() {
    let idle_secs = common::size("BENCH_IDLE_SECS", 10..=600, 60);
    let samples = common::size("BENCH_LAG_SAMPLES", 1..=50, 5);
    avoid_midnight(Duration::from_secs(3 * (idle_secs + samples * 10) + 300));
    println!(
        "attctl-worker idle for {idle_secs} s, then {samples} session(s) created by another process {LEAD} s before their end"
    );
    let modes = std::env::var("BENCH_MODES").unwrap_or_else(|_| "local,supabase,hatchet".into());
    let wanted = |mode: &str| modes.split(',').any(|m| m.trim() == mode);
    let receiver = if wanted("local+webhook") || wanted("supabase+webhook") {
        let secret = WebhookReceiver::new_secret();
        match WebhookReceiver::start(&secret) {
            Ok(receiver) => Some((receiver, secret)),
            Err(e) => {
                eprintln!("cannot start the webhook receiver: {e:#}");
                return;
            }
        }
    } else {
        None
    };
    let webhook = receiver.as_ref().map(|(r, s)| (r, s.as_str()));
    if wanted("local") {
        local("local", None, idle_secs, samples);
    }
    if wanted("local+webhook") {
        local("local+webhook", webhook, idle_secs, samples);
    }
    if !wanted("supabase") && !wanted("hatchet") && !wanted("supabase+webhook") {
        return;
    }
    let stack = match SupabaseStack::start() {
        Ok(stack) => stack,
        Err(e) => {
            eprintln!("cannot start the Supabase test stack: {e:#}");
            return;
        }
    };
    if wanted("supabase") {
        supabase("supabase", &stack, None, None, idle_secs, samples);
    }
    if wanted("supabase+webhook") {
        supabase(
            "supabase+webhook",
            &stack,
            None,
            webhook,
            idle_secs,
            samples,
        );
    }
    if !wanted("hatchet") {
        return;
    }
    let runtime = common::runtime();
    let engine = match runtime.block_on(TestEngine::start(EngineConfig::default())) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("cannot start the test engine: {e:#}");
            return;
        }
    };
    supabase("hatchet", &stack, Some(&engine), None, idle_secs, samples);
}

/// What /proc tells of a process and its threads.
#[derive(Debug, Default, Clone, Copy)]
struct ProcFigures {
    read_calls: u64,
    write_calls: u64,
    bytes_read: u64,
    wakeups: u64,
    cpu_ticks: u64,
}

impl ProcFigures {
    fn of(pid: i32) -> Option<Self> {
        let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
        let field = |name: &str| -> Option<u64> {
            io.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
        };
        let mut wakeups = 0;
        for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
            let status = std::fs::read_to_string(task.ok()?.path().join("status")).ok()?;
            wakeups += status
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let cpu_ticks =
            fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(ProcFigures {
            read_calls: field("syscr:")?,
            write_calls: field("syscw:")?,
            bytes_read: field("rchar:")?,
            wakeups,
            cpu_ticks,
        })
    }

    /// Per minute between two readings `secs` apart.
    fn per_minute(before: Self, after: Self, secs: u64) -> String {
        let m = |a: u64, b: u64| (b.saturating_sub(a)) as f64 * 60.0 / secs as f64;
        format!(
            "{:.0} read calls/min ({:.0} bytes/min), {:.0} write calls/min, {:.0} wake-ups/min, CPU {:.2}% of one core",
            m(before.read_calls, after.read_calls),
            m(before.bytes_read, after.bytes_read),
            m(before.write_calls, after.write_calls),
            m(before.wakeups, after.wakeups),
            (after.cpu_ticks - before.cpu_ticks) as f64 * 10.0 / (secs as f64 * 1000.0) * 100.0
        )
    }
}

/// Watches the idle worker for `secs`; returns what /proc says.
fn idle_window(worker: &Worker, secs: u64) -> (Option<ProcFigures>, Option<ProcFigures>) {
    // Start-up reads (sweep, planning, the first look at the store) are over.
    std::thread::sleep(Duration::from_secs(3));
    let before = ProcFigures::of(worker.pid());
    std::thread::sleep(Duration::from_secs(secs));
    (before, ProcFigures::of(worker.pid()))
}

fn print_proc(mode: &str, figures: (Option<ProcFigures>, Option<ProcFigures>), secs: u64) {
    match figures {
        (Some(a), Some(b)) => println!("{mode:<9} idle: {}", ProcFigures::per_minute(a, b, secs)),
        _ => println!("{mode:<9} idle: /proc not readable"),
    }
}

/// Close lags (ms) of sessions created by `create` `LEAD` s before their end, one after
/// another; `None` for one not closed within 30 s of its end.
/// Each session in a class of its own, so that one minute-long session never overlaps the
/// one before it.
fn lags(
    env: &TestEnv,
    samples: u64,
    create: impl Fn(i64, chrono::DateTime<chrono::Utc>) -> Option<i64>,
) -> Vec<Option<i64>> {
    (0..samples)
        .map(|i| {
            let class = env.class();
            // Spread the creations over the worker's poll period.
            std::thread::sleep(Duration::from_millis(1300 * (i % 4)));
            let end = in_secs(LEAD + 1);
            let Some(id) = create(class, end) else {
                eprintln!("the other process could not create the session");
                return None;
            };
            let closed = env.wait_session(id, Duration::from_secs(LEAD as u64 + 31), |s| {
                s["status"] == "Closed"
            });
            (closed["status"] == "Closed")
                .then(|| lag_ms(&closed))
                .flatten()
        })
        .collect()
}

fn print_lags(mode: &str, lags: &[Option<i64>]) {
    let mut closed: Vec<i64> = lags.iter().flatten().copied().collect();
    closed.sort_unstable();
    println!(
        "{mode:<9} close lag of {} session(s) created {LEAD}-{} s before their end: closed {}/{}, p50 {} ms, max {} ms ({:?})",
        lags.len(),
        LEAD + 1,
        closed.len(),
        lags.len(),
        common::pct(&closed, 0.5),
        closed.last().copied().unwrap_or(-1),
        closed
    );
}

/// With a channel: the receiver and its secret.
type Webhook<'a> = Option<(&'a WebhookReceiver, &'a str)>;

fn with_webhook(mut env: TestEnv, webhook: Webhook<'_>) -> TestEnv {
    if let Some((receiver, secret)) = webhook {
        env.set("ATTCTL_WEBHOOK_URL", &receiver.url());
        env.set("ATTCTL_WEBHOOK_SECRET", secret);
    }
    env
}

fn local(mode: &str, webhook: Webhook<'_>, idle_secs: u64, samples: u64) {
    let env = with_webhook(TestEnv::local(), webhook);
    let class = env.class();
    env.session_ending_at(class, in_secs(3600), Duration::from_secs(60));
    let worker = env.spawn_worker(["--sweep-interval", "60"]);
    worker.wait_ready(Duration::from_secs(60));
    print_proc(mode, idle_window(&worker, idle_secs), idle_secs);
    let lags = lags(&env, samples, |class, end| {
        env.session_ending_at(class, end, Duration::from_secs(60))["id"].as_i64()
    });
    print_lags(mode, &lags);
}

fn requests_between(
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .map(|(route, n)| (route.clone(), n - before.get(route).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn supabase(
    mode: &str,
    stack: &SupabaseStack,
    engine: Option<&TestEngine>,
    webhook: Webhook<'_>,
    idle_secs: u64,
    samples: u64,
) {
    let mut env = with_webhook(
        TestEnv::bare()
            .with("SUPABASE_URL", &stack.url())
            .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key()),
        webhook,
    );
    if let Some(engine) = engine {
        env.set("HATCHET_CLIENT_TOKEN", &engine.token());
        env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
    }
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let class = env.class();
    env.session_ending_at(class, in_secs(3600), Duration::from_secs(60));
    let worker = env.spawn_worker(["--sweep-interval", "60"]);
    worker.wait_ready(Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(3));
    let before = stack.api_requests();
    let engine_before = engine.map(|e| e.request_counts());
    let t0 = Instant::now();
    let proc_before = ProcFigures::of(worker.pid());
    std::thread::sleep(Duration::from_secs(idle_secs));
    let proc_after = ProcFigures::of(worker.pid());
    let secs = t0.elapsed().as_secs_f64();
    let idle = requests_between(&before, &stack.api_requests());
    let total: u64 = idle.values().sum();
    println!(
        "{mode:<9} idle: {:.1} API requests/min ({total} in {secs:.0} s: {idle:?})",
        total as f64 * 60.0 / secs
    );
    if let (Some(engine), Some(engine_before)) = (engine, engine_before) {
        let rest = requests_between(&engine_before, &engine.request_counts());
        println!("{mode:<9} idle: engine requests in {secs:.0} s: {rest:?}");
    }
    print_proc(mode, (proc_before, proc_after), idle_secs);
    let lags = lags(&env, samples, |class, end| {
        insert_with_psql(stack, class, end)
    });
    print_lags(mode, &lags);
    drop(worker);
}

/// A session inserted behind attctl's back, as the original app or the dashboard does.
fn insert_with_psql(
    stack: &SupabaseStack,
    class: i64,
    end: chrono::DateTime<chrono::Utc>,
) -> Option<i64> {
    let (date, start, end_time) = wall_times(end, Duration::from_secs(60));
    stack
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
             values ({class}, '{date}', '{start}', '{end_time}', '{}') returning id",
            test_zone()
        ))
        .map_err(|e| eprintln!("psql: {e:#}"))
        .ok()
        .and_then(|id| id.trim().parse().ok())
}
