//! An idle worker's cost on Supabase without Hatchet, counted at the gateway, with the
//! default sweep interval: while nothing is due the local closer's one look every 5 s
//! (`attctl_worker_watch`) is the only request, with or without a notification channel
//! (the sweep asks nothing while the look finds nothing overdue; the delivery loop claims
//! when the look finds events due). A session another process inserts (psql, as the
//! original app or the dashboard does) is still closed at its end, and its events still
//! delivered. Each test starts a stack of its own, so the gateway's counts are its worker's
//! alone.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use attctl_testkit::SupabaseStack;
use attctl_testkit::webhook::{WebhookReceiver, of_session};

use crate::common::{TestEnv, avoid_midnight, in_secs, lag_ms, test_zone, wall_times};

/// How long the worker is watched while nothing is due.
const WINDOW: Duration = Duration::from_secs(20);
/// The bound: one look every 5 s, and nothing else.
const MAX_REQUESTS: u64 = 4;
const LOOK: &str = "POST /rest/v1/rpc/attctl_worker_watch";

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
fn an_idle_worker_makes_one_request_per_5_s_and_still_closes_what_others_insert() {
    idle_worker(None);
}

#[test]
fn an_idle_worker_with_a_webhook_makes_one_request_per_5_s_and_still_delivers() {
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    idle_worker(Some((&receiver, &secret)));
}

fn idle_worker(webhook: Option<(&WebhookReceiver, &str)>) {
    avoid_midnight(Duration::from_secs(180));
    let stack = SupabaseStack::start().expect("stack");
    let mut env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    if let Some((receiver, secret)) = webhook {
        env = env
            .with("ATTCTL_WEBHOOK_URL", &receiver.url())
            .with("ATTCTL_WEBHOOK_SECRET", secret)
            // Not sent by default: here the first sign that a write by psql goes out.
            .with("ATTCTL_NOTIFY_EVENTS", "session.created,session.closed");
    }
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let class = env.class();
    // Something Open, far ahead: the worker knows its next closing instant and sleeps.
    env.session_ending_at(class, in_secs(3600), Duration::from_secs(60));
    // The default sweep interval (60 s): the sweep is no longer what an idle worker pays.
    let worker = env.spawn_worker(std::iter::empty::<&str>());
    worker.wait_ready(Duration::from_secs(30));
    // The start-up reads (sweep, planning, the first looks, the first delivery) are done.
    std::thread::sleep(Duration::from_secs(3));

    let before = stack.api_requests();
    std::thread::sleep(WINDOW);
    let idle = requests_between(&before, &stack.api_requests());
    let total: u64 = idle.values().sum();
    assert!(
        total <= MAX_REQUESTS,
        "{total} requests in {WINDOW:?} idle: {idle:?}\n{}",
        worker.lines().join("\n")
    );
    assert!(
        idle.get(LOOK).copied().unwrap_or(0) >= 3,
        "the worker must keep looking: {idle:?}"
    );

    // Another process inserts a session ending 6 s from now: the worker has not written it
    // and hears of it only through its look.
    let end = in_secs(6);
    let (date, start, end_time) = wall_times(end, Duration::from_secs(60));
    let inserted = Instant::now();
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
    if let Some((receiver, _)) = webhook {
        // Its session.created, written by the trigger in psql's transaction, goes out
        // at the next look (5 s; more room for a loaded machine).
        assert!(
            receiver.wait_for(Duration::from_secs(10), |d| {
                !of_session(d, id, "session.created").is_empty()
            }),
            "no session.created within 10 s: {:?}\n{}",
            receiver.deliveries(),
            worker.lines().join("\n")
        );
        assert!(inserted.elapsed() < Duration::from_secs(10));
    }
    let closed = env.wait_session(id, Duration::from_secs(20), |s| s["status"] == "Closed");
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    // Within a second of its end (the bench measures the lag itself).
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..1000).contains(&lag), "closed {lag} ms after its end");
    if let Some((receiver, _)) = webhook {
        assert!(
            receiver.wait_for(Duration::from_secs(10), |d| {
                !of_session(d, id, "session.closed").is_empty()
            }),
            "no session.closed: {:?}",
            receiver.deliveries()
        );
    }
}

/// A database without `attctl_worker_watch` (before the 20261205170000 migration): the
/// worker asks for it once, then polls the outbox as before, and still closes what others
/// insert at its end.
#[test]
fn without_the_watch_function_the_worker_polls_the_outbox_as_before() {
    avoid_midnight(Duration::from_secs(120));
    let stack = SupabaseStack::start().expect("stack");
    stack
        .psql(
            "drop function public.attctl_worker_watch(timestamptz, timestamptz, timestamptz); \
             notify pgrst, 'reload schema'",
        )
        .expect("an older database");
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let class = env.class();
    let worker = env.spawn_worker(std::iter::empty::<&str>());
    worker.wait_ready(Duration::from_secs(30));
    let end = in_secs(7);
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
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..1000).contains(&lag), "closed {lag} ms after its end");
    let requests = stack.api_requests();
    assert_eq!(
        requests.get(LOOK).copied(),
        Some(1),
        "asked once, not at every look: {requests:?}"
    );
    assert!(
        requests
            .get("GET /rest/v1/session_events")
            .copied()
            .unwrap_or(0)
            >= 2,
        "{requests:?}"
    );
}
