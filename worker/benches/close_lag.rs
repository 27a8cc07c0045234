//! How late does attctl-worker close sessions that all end at the same instant, and how long
//! does it take to stop? Prints figures; asserts nothing.
//!
//! `cargo bench -p attctl-worker --bench close_lag` (release build of both binaries).
//! `BENCH_SESSIONS` (default 500) sets how many sessions end together. Both modes run on a
//! SQLite file in a temp dir: local mode (the worker closes sessions itself) and Hatchet
//! mode against the in-process `hatchet-test-engine` (5 s schedule polling, as the real
//! engine). The sessions are created with the real `attctl`, ten at a time.

mod common;

use std::time::{Duration, Instant};

use attctl_testkit::harness::{TestEnv, avoid_midnight, in_secs, lag_ms};
use chrono::Utc;
use hatchet_test_engine::{EngineConfig, TestEngine};

fn main() {
    let n = common::size("BENCH_SESSIONS", 1..=5000, 500);
    let runtime = common::runtime();
    println!("attctl-worker close lag, {n} sessions ending at the same second");
    println!(
        "{:<8} {:>9} {:>9} {:>9} {:>9} {:>6} {:>6} {:>10} {:>10}",
        "mode", "closed", "p50 ms", "p99 ms", "max ms", "auto", "other", "create s", "stop ms"
    );
    bench_mode("local", n, None);
    runtime.block_on(async {
        let engine = match TestEngine::start(EngineConfig::default()).await {
            Ok(engine) => engine,
            Err(e) => {
                eprintln!("cannot start the test engine: {e:#}");
                return;
            }
        };
        bench_mode("hatchet", n, Some(&engine));
    });
}

/// CPU time (utime + stime, in clock ticks of 10 ms) from /proc/<pid>/stat.
fn cpu_ticks(pid: i32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn rss_kib(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The worker's cost while nothing is due: CPU share over 10 s, and resident memory.
fn idle_cost(mode: &str, pid: i32) {
    std::thread::sleep(Duration::from_secs(2));
    let window = Duration::from_secs(10);
    let before = cpu_ticks(pid);
    std::thread::sleep(window);
    match (before, cpu_ticks(pid), rss_kib(pid)) {
        (Some(a), Some(b), Some(rss)) => println!(
            "{mode:<8} idle: CPU {:.2}% of one core over {}s, RSS {:.1} MiB",
            (b - a) as f64 * 10.0 / window.as_millis() as f64 * 100.0,
            window.as_secs(),
            rss as f64 / 1024.0
        ),
        _ => println!("{mode:<8} idle: /proc not readable"),
    }
}

fn bench_mode(mode: &str, n: u64, engine: Option<&TestEngine>) {
    // Creation time plus the margin below must not cross midnight.
    avoid_midnight(Duration::from_secs(n / 5 + 180));
    let mut env = TestEnv::local();
    if let Some(engine) = engine {
        env.set("HATCHET_CLIENT_TOKEN", &engine.token());
        env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
    }
    let class = env.class();
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(60));
    idle_cost(mode, worker.pid());

    // Leave enough time to create everything (about 20 ms a session here, ten at a time).
    let end = in_secs((n as i64) / 50 + 10);
    let t0 = Instant::now();
    common::create_ending_at(&env, class, end, n);
    let create_s = t0.elapsed().as_secs_f64();
    if Utc::now() >= end {
        println!(
            "{mode:<8} creating took {create_s:.1}s, past the sessions' end: lower BENCH_SESSIONS"
        );
        return;
    }

    // Wait until every session is Closed (or 60 s past the end).
    let sessions = common::sessions_once_closed(&env, class, end + chrono::Duration::seconds(60));
    let mut lags: Vec<i64> = sessions.iter().filter_map(lag_ms).collect();
    lags.sort_unstable();
    let auto = sessions.iter().filter(|s| s["closed_by"] == "auto").count();
    let other = sessions.len() - auto;
    let pct = |p: f64| common::pct(&lags, p);
    let max = lags.last().copied().unwrap_or(-1);
    let closed = format!("{}/{n}", lags.len());

    let t1 = Instant::now();
    worker.signal(libc::SIGTERM);
    let stopped = worker.wait_exit(Duration::from_secs(30));
    let stop_ms = if stopped.is_some() {
        t1.elapsed().as_millis() as i64
    } else {
        -1
    };
    println!(
        "{mode:<8} {closed:>9} {:>9} {:>9} {:>9} {:>6} {:>6} {:>10.1} {:>10}",
        pct(0.5),
        pct(0.99),
        max,
        auto,
        other,
        create_s,
        stop_ms
    );
}
