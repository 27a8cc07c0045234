//! What the worker's benchmarks share: their size from the environment, a runtime for the
//! in-process Hatchet test engine, many sessions created at once with the real `attctl`,
//! waiting for them to close, and percentiles. Each benchmark uses some of it.
#![allow(dead_code)]

use std::ops::RangeInclusive;
use std::time::Duration;

use attctl_testkit::harness::TestEnv;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// `attctl` processes creating sessions at once.
pub const CREATORS: u64 = 10;

/// `var` from the environment when it is a number in `range`, else `default`.
pub fn size(var: &str, range: RangeInclusive<u64>, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| range.contains(n))
        .unwrap_or(default)
}

/// A two-thread runtime for the in-process Hatchet test engine; exits when none can start.
pub fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            std::process::exit(1);
        }
    }
}

/// Creates `n` sessions of `class` ending at `end` (the i-th one `60 + i` s long), with
/// [`CREATORS`] `attctl` processes at a time; a failed create is told on stderr.
pub fn create_ending_at(env: &TestEnv, class: i64, end: DateTime<Utc>, n: u64) {
    std::thread::scope(|scope| {
        for t in 0..CREATORS {
            scope.spawn(move || {
                for i in (t..n).step_by(CREATORS as usize) {
                    let out = env.try_session_ending_at(class, end, Duration::from_secs(60 + i));
                    if out.code != 0 {
                        eprintln!("create failed: {}", out.stderr.trim());
                    }
                }
            });
        }
    });
}

/// The sessions of `class` (`session list --all -o json`; none if it fails).
pub fn sessions(env: &TestEnv, class: i64) -> Vec<Value> {
    let out = env.run_attctl([
        "session",
        "list",
        "--class",
        &class.to_string(),
        "--all",
        "-o",
        "json",
    ]);
    serde_json::from_str(&out.stdout).unwrap_or_default()
}

/// The sessions of `class` once none is Open (or `deadline` has passed), looking every
/// 250 ms.
pub fn sessions_once_closed(env: &TestEnv, class: i64, deadline: DateTime<Utc>) -> Vec<Value> {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let rows = sessions(env, class);
        let open = rows.iter().filter(|s| s["status"] == "Open").count();
        if (open == 0 && !rows.is_empty()) || Utc::now() > deadline {
            return rows;
        }
    }
}

/// The `p` quantile of `sorted`, -1 when it is empty.
pub fn pct(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return -1;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
