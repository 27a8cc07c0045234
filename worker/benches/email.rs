//! Email under load, and what an idle worker costs. Prints figures; asserts nothing.
//!
//! `cargo bench -p attctl-worker --bench email`:
//! 1. `BENCH_SESSIONS` (default 200) sessions ending at the same second, local mode on a
//!    SQLite file, email to the testkit's SMTP server (plain SMTP with AUTH, one connection
//!    per message): the delivery lag of each `session.closed` email (arrival at the server
//!    minus `closed_at`), p50/p99/max;
//! 2. one worker on the testkit's Supabase stack with a channel configured and nothing to
//!    do: requests per second it sends to the API over `BENCH_IDLE_SECS` (default 30).

mod common;

use std::time::{Duration, SystemTime};

use attctl_testkit::harness::{TestEnv, avoid_midnight, in_secs};
use attctl_testkit::smtp::{SmtpSecurity, SmtpSink};
use chrono::{DateTime, Utc};
use serde_json::Value;

fn main() {
    let n = common::size("BENCH_SESSIONS", 1..=5000, 200);
    let idle = common::size("BENCH_IDLE_SECS", 1..=600, 30);
    burst(n);
    idle_rate(idle);
}

fn ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn instant_ms(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
}

fn burst(n: u64) {
    avoid_midnight(Duration::from_secs(n / 5 + 240));
    let Ok(sink) = SmtpSink::start(SmtpSecurity::Plain, Some(("bench", "bench-password-1234")))
    else {
        eprintln!("cannot start the SMTP sink");
        return;
    };
    let env = TestEnv::local()
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "attctl <noreply@school.example>")
        .with("ATTCTL_MAIL_TO", "office@school.example");
    let class = env.class();
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(60));
    let end = in_secs((n as i64) / 40 + 15);
    common::create_ending_at(&env, class, end, n);
    if Utc::now() >= end {
        println!("creating took past the sessions' end: lower BENCH_SESSIONS");
        return;
    }
    let marker = |id: i64| format!("#{id},");
    sink.wait_for(Duration::from_secs(n / 2 + 120), |m| {
        m.iter().filter(|m| m.answered == 250).count() as u64 >= n
    });
    let rows = common::sessions(&env, class);
    let mails = sink.accepted();
    let mut lags: Vec<i64> = rows
        .iter()
        .filter_map(|s| {
            let id = s["id"].as_i64()?;
            let closed = instant_ms(&s["closed_at"])?;
            let m = marker(id);
            let mail = mails.iter().find(|x| x.data.contains(&m))?;
            Some(ms(mail.at) - closed)
        })
        .collect();
    lags.sort_unstable();
    println!(
        "email: {}/{n} session.closed emails after {n} closes at the same second; delivery lag \
         (arrival - closed_at) p50 {} ms, p99 {} ms, max {} ms",
        lags.len(),
        common::pct(&lags, 0.5),
        common::pct(&lags, 0.99),
        lags.last().copied().unwrap_or(-1)
    );
    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));
}

fn idle_rate(secs: u64) {
    let stack = match attctl_testkit::SupabaseStack::start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot start the Supabase stack: {e:#}");
            return;
        }
    };
    let Ok(sink) = SmtpSink::start(SmtpSecurity::Plain, None) else {
        eprintln!("cannot start the SMTP sink");
        return;
    };
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "noreply@school.example")
        .with("ATTCTL_MAIL_TO", "office@school.example");
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(60));
    // Past start-up (and the first backoff steps).
    std::thread::sleep(Duration::from_secs(10));
    let before = stack.api_requests();
    std::thread::sleep(Duration::from_secs(secs));
    let after = stack.api_requests();
    let mut total = 0;
    let mut by_route = Vec::new();
    for (route, count) in &after {
        let n = count - before.get(route).copied().unwrap_or(0);
        if n > 0 {
            total += n;
            by_route.push(format!("{route} {n}"));
        }
    }
    println!(
        "idle worker on Supabase (email configured, nothing to send): {total} requests in {secs} s \
         = {:.2}/s ({})",
        total as f64 / secs as f64,
        by_route.join(", ")
    );
    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));
}
