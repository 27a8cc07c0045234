//! Notifications under load: how punctual warnings are, how soon `session.closed` reaches
//! a webhook after a burst of closes, and whether a slow receiver delays the closes.
//! Prints figures; asserts nothing.
//!
//! `cargo bench -p attctl-worker --bench notify`. Local mode on a SQLite file, the real
//! `attctl` and `attctl-worker`, the testkit's signature-checking webhook receiver.
//! `BENCH_SESSIONS` (default 1000) sessions end at the same second in each burst:
//! 1. warnings: 20 sessions, `ATTCTL_WARN_BEFORE=5s`, arrival against the due instant,
//!    from the local worker's warning loop, then from Hatchet runs of
//!    `warn-teaching-session` (the Hatchet test engine at the real engine's timings; the
//!    sessions created 20 s or more ahead, as real ones are);
//! 2. a burst with a prompt receiver: close lag, and delivery lag of `session.closed`;
//! 3. the same burst with a receiver that takes 5 s per request: close lag only;
//! 4. the same burst with no channel: close lag (the baseline).
//!
//! `BENCH_WARNINGS_ONLY=1` measures the warnings alone.

mod common;

use std::time::{Duration, Instant, SystemTime};

use attctl_testkit::harness::{TestEnv, avoid_midnight, in_secs, lag_ms};
use attctl_testkit::webhook::WebhookReceiver;
use chrono::{DateTime, Utc};
use serde_json::Value;

fn main() {
    let n = common::size("BENCH_SESSIONS", 1..=5000, 1000);
    warnings(None);
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => match rt.block_on(hatchet_test_engine::TestEngine::start(
            hatchet_test_engine::EngineConfig::default(),
        )) {
            Ok(engine) => warnings(Some(&engine)),
            Err(e) => eprintln!("cannot start the Hatchet test engine: {e}"),
        },
        Err(e) => eprintln!("cannot start a runtime: {e}"),
    }
    if std::env::var_os("BENCH_WARNINGS_ONLY").is_some() {
        return;
    }
    println!();
    println!("bursts of {n} sessions ending at the same second (local mode)");
    println!(
        "{:<16} {:>9} {:>9} {:>9} {:>9} {:>12} {:>12} {:>12}",
        "receiver",
        "closed",
        "close p50",
        "close p99",
        "close max",
        "deliv p50",
        "deliv p99",
        "deliv max"
    );
    burst("prompt", n, Some(Duration::ZERO));
    burst("5 s per request", n, Some(Duration::from_secs(5)));
    burst("none", n, None);
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

fn warnings(engine: Option<&hatchet_test_engine::TestEngine>) {
    avoid_midnight(Duration::from_secs(120));
    let secret = WebhookReceiver::new_secret();
    let Ok(receiver) = WebhookReceiver::start(&secret) else {
        eprintln!("cannot start the receiver");
        return;
    };
    let env = TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("ATTCTL_WARN_BEFORE", "5s");
    // Local: the warning loop; Hatchet: one run per warning (the loop sweeps hourly).
    let (env, mode, lead) = match engine {
        None => (env, "local warning loop", 10),
        Some(engine) => (
            env.with("HATCHET_CLIENT_TOKEN", &engine.token())
                .with("HATCHET_CLIENT_TLS_STRATEGY", "none"),
            "Hatchet warning runs",
            20,
        ),
    };
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(30));
    let mut due = std::collections::HashMap::new();
    for i in 0..20 {
        let s = env.session_ending_at(class, in_secs(lead + i * 2), Duration::from_secs(60));
        if let (Some(id), Some(closes)) = (s["id"].as_i64(), instant_ms(&s["closes_at"])) {
            due.insert(id, closes - 5000);
        }
    }
    receiver.wait_for(Duration::from_secs(90), |d| {
        d.iter()
            .filter(|d| d.body["type"] == "session.closing_soon")
            .count()
            >= due.len()
    });
    let mut late: Vec<i64> = receiver
        .deliveries()
        .iter()
        .filter(|d| d.body["type"] == "session.closing_soon")
        .filter_map(|d| {
            let id = d.body["data"]["session"]["id"].as_i64()?;
            Some(ms(d.at) - due.get(&id)?)
        })
        .collect();
    late.sort_unstable();
    println!(
        "warnings (5s before the end, {mode}): {}/{} arrived; lateness against the due \
         instant p50 {} ms, p99 {} ms, min {} ms, max {} ms",
        late.len(),
        due.len(),
        common::pct(&late, 0.5),
        common::pct(&late, 0.99),
        late.first().copied().unwrap_or(-1),
        late.last().copied().unwrap_or(-1)
    );
}

fn burst(label: &str, n: u64, receiver_delay: Option<Duration>) {
    avoid_midnight(Duration::from_secs(n / 5 + 240));
    let secret = WebhookReceiver::new_secret();
    let Ok(receiver) = WebhookReceiver::start(&secret) else {
        eprintln!("cannot start the receiver");
        return;
    };
    let mut env = TestEnv::local();
    if let Some(delay) = receiver_delay {
        receiver.set_delay(delay);
        env.set("ATTCTL_WEBHOOK_URL", &receiver.url());
        env.set("ATTCTL_WEBHOOK_SECRET", &secret);
        // A 5 s receiver must not be timed out: the lag measured is the receiver's.
        env.set("ATTCTL_NOTIFY_TIMEOUT_SECS", "10");
    }
    let class = env.class();
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(60));
    let end = in_secs((n as i64) / 40 + 15);
    common::create_ending_at(&env, class, end, n);
    if Utc::now() >= end {
        println!("{label:<16} creating took past the sessions' end: lower BENCH_SESSIONS");
        return;
    }
    let sessions = common::sessions_once_closed(&env, class, end + chrono::Duration::seconds(90));
    let mut lags: Vec<i64> = sessions.iter().filter_map(lag_ms).collect();
    lags.sort_unstable();
    let mut deliv: Vec<i64> = Vec::new();
    if receiver_delay == Some(Duration::ZERO) {
        let t0 = Instant::now();
        receiver.wait_for(Duration::from_secs(120), |d| {
            d.iter()
                .filter(|d| d.body["type"] == "session.closed")
                .count()
                >= sessions.len()
        });
        let _ = t0;
        let closed_at: std::collections::HashMap<i64, i64> = sessions
            .iter()
            .filter_map(|s| Some((s["id"].as_i64()?, instant_ms(&s["closed_at"])?)))
            .collect();
        deliv = receiver
            .deliveries()
            .iter()
            .filter(|d| d.body["type"] == "session.closed")
            .filter_map(|d| {
                let id = d.body["data"]["session"]["id"].as_i64()?;
                Some(ms(d.at) - closed_at.get(&id)?)
            })
            .collect();
        deliv.sort_unstable();
    }
    let show = |v: &[i64], p: f64| {
        if v.is_empty() {
            "-".to_string()
        } else {
            common::pct(v, p).to_string()
        }
    };
    println!(
        "{label:<16} {:>9} {:>9} {:>9} {:>9} {:>12} {:>12} {:>12}",
        format!("{}/{n}", lags.len()),
        common::pct(&lags, 0.5),
        common::pct(&lags, 0.99),
        lags.last().copied().unwrap_or(-1),
        show(&deliv, 0.5),
        show(&deliv, 0.99),
        deliv
            .last()
            .map(|v| v.to_string())
            .unwrap_or_else(|| "-".into())
    );
    worker.signal(libc::SIGTERM);
    let _ = worker.wait_exit(Duration::from_secs(30));
}
