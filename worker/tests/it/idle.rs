//! An idle worker's cost on Supabase without Hatchet, counted at the gateway: while nothing
//! is due the local closer only asks whether anyone wrote (one request every 5 s); a
//! session another process inserts (psql, as the original app or the dashboard does) is
//! still closed at its end. This module's stack is its own, so the gateway's counts are
//! this worker's alone.

use std::collections::BTreeMap;
use std::time::Duration;

use attctl_testkit::SupabaseStack;

use crate::common::{TestEnv, avoid_midnight, in_secs, lag_ms, test_zone, wall_times};

/// How long the worker is watched while nothing is due.
const WINDOW: Duration = Duration::from_secs(20);
/// The bound: one poll every 5 s (4 in the window, 5 if the window catches both ends),
/// plus one idle claim of the delivery loop (every 30 s when no channel is configured).
const MAX_REQUESTS: u64 = 6;

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

#[test]
fn an_idle_worker_makes_at_most_six_requests_in_20_s_and_still_closes_what_others_insert() {
    avoid_midnight(Duration::from_secs(180));
    let stack = SupabaseStack::shared();
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let class = env.class();
    // Something Open, far ahead: the worker knows its next closing instant and sleeps.
    env.session_ending_at(class, in_secs(3600), Duration::from_secs(60));
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(30));
    // The start-up reads (sweep, planning, the first look at the outbox) are done.
    std::thread::sleep(Duration::from_secs(2));

    let before = stack.api_requests();
    std::thread::sleep(WINDOW);
    let idle = requests_between(&before, &stack.api_requests());
    let total: u64 = idle.values().sum();
    assert!(
        total <= MAX_REQUESTS,
        "{total} requests in {WINDOW:?} idle: {idle:?}"
    );
    assert!(
        idle.get("GET /rest/v1/session_events")
            .copied()
            .unwrap_or(0)
            >= 3,
        "the worker must keep asking whether anyone wrote: {idle:?}"
    );
    assert!(
        !idle.contains_key("POST /rest/v1/rpc/attctl_close_overdue"),
        "nothing was due, so nothing is closed: {idle:?}"
    );

    // Another process inserts a session ending 6 s from now: the worker has not written it
    // and hears of it only through the outbox.
    let end = in_secs(6);
    let (date, start, end_time) = wall_times(end, Duration::from_secs(60));
    let id: i64 = stack
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
             values ({class}, '{date}', '{start}', '{end_time}', '{}') returning id",
            test_zone()
        ))
        .expect("insert behind attctl's back")
        .trim()
        .parse()
        .expect("id");
    let closed = env.wait_session(id, Duration::from_secs(20), |s| s["status"] == "Closed");
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    // At its end, not at the next sweep an hour later (the bench measures the lag itself;
    // this leaves room for a loaded machine).
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "closed {lag} ms after its end");
}
