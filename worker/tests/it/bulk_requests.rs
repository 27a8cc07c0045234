//! The request counts of attctl-worker's bulk paths on Supabase, counted at the gateway:
//! planning the runs of thousands of sessions over many classes and days, and following
//! thousands of sessions moved by someone else, are each one request per chunk plus a
//! constant, so that a loop per session, class or day cannot come back silently. Each
//! test has a stack of its own: a worker's sweeps see every row, and every request counts.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::common::TestEnv;
use attctl_testkit::SupabaseStack;
use hatchet_test_engine::{EngineConfig, TestEngine, routes};
use serde_json::Value;

/// Classes and days of the seeded timetable: 2,500 sessions, one a day per class.
const CLASSES: usize = 50;
const DAYS: usize = 50;
const SESSIONS: usize = CLASSES * DAYS;
/// Sessions read per planning batch, and run ids stored per request.
const BATCH: usize = 1000;
/// Sessions claimed per request.
const CLAIMS: usize = 500;
/// Hatchet run ids per `bulk-delete`.
const HATCHET_BULK: usize = 500;

fn chunks(n: usize, per: usize) -> u64 {
    n.div_ceil(per) as u64
}

/// `CLASSES` classes with `DAYS` future Open sessions each, one a day from the day after
/// tomorrow, each holding `run` (SQL).
fn seed(stack: &SupabaseStack, run: &str) {
    stack
        .psql(&format!(
            "with c as (insert into public.classes (name)
                        select 'bulk ' || g || ' ' || gen_random_uuid() from generate_series(1, {CLASSES}) g
                        returning id)
             insert into public.teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at, scheduled_task_id)
             select c.id, current_date + 2 + d, time '08:00', time '08:45', 'UTC', now(), {run}
             from c, generate_series(0, {DAYS} - 1) d"
        ))
        .expect("seed the timetable");
}

fn count(stack: &SupabaseStack, sql_where: &str) -> usize {
    stack
        .psql(&format!(
            "select count(*) from public.teaching_sessions where {sql_where}"
        ))
        .expect("count")
        .trim()
        .parse()
        .expect("a number")
}

/// Requests received since `before`, by route.
fn since(stack: &SupabaseStack, before: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    stack
        .api_requests()
        .into_iter()
        .map(|(k, n)| {
            let d = n - before.get(&k).copied().unwrap_or(0);
            (k, d)
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn of(routes: &BTreeMap<String, u64>, route: &str) -> u64 {
    routes.get(route).copied().unwrap_or(0)
}

/// The sweep's planning of a timetable's runs, as `sweep --once` does it: per batch of
/// 1,000, one read, a claim per 500, one write of the run ids. The Hatchet run of it
/// creates one run per session at the engine (it has no bulk create), nothing else.
fn plans_in_chunks(env: TestEnv, stack: &SupabaseStack, engine: Option<&TestEngine>) {
    seed(stack, "null");
    let before = stack.api_requests();
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let sent = since(stack, &before);
    let total: u64 = sent.values().sum();
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    assert_eq!(summary["scheduled"], SESSIONS, "{summary}");
    assert_eq!(count(stack, "scheduled_task_id is null"), 0);
    assert_eq!(
        of(&sent, "POST /rest/v1/rpc/attctl_store_run_ids"),
        chunks(SESSIONS, BATCH),
        "{sent:?}"
    );
    assert_eq!(
        of(&sent, "POST /rest/v1/rpc/attctl_claim_for_planning"),
        (SESSIONS / BATCH) as u64 * chunks(BATCH, CLAIMS) + chunks(SESSIONS % BATCH, CLAIMS),
        "{sent:?}"
    );
    // The close and its recheck, then per batch a read, a claim per 500 and a write of
    // run ids.
    let bound = 2 + chunks(SESSIONS, BATCH) * (2 + chunks(BATCH, CLAIMS)) + 2;
    eprintln!("sweep planning of {SESSIONS} sessions: {total} requests (bound {bound}): {sent:?}");
    assert!(
        total <= bound,
        "{total} requests, at most {bound}: {sent:?}"
    );
    if let Some(engine) = engine {
        assert_eq!(
            engine.request_count(routes::CREATE_SCHEDULED),
            SESSIONS as u64
        );
    }
}

#[test]
fn the_sweep_plans_a_timetable_in_chunks() {
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    plans_in_chunks(TestEnv::on_stack(&stack), &stack, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_plans_a_timetable_s_hatchet_runs_in_chunks() {
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    let engine = TestEngine::start(EngineConfig::default())
        .await
        .expect("test engine");
    engine
        .deaf_worker(
            "bulk-requests",
            "close-teaching-session",
            "close-teaching-session",
        )
        .expect("register the close workflow");
    let env = TestEnv::on_stack(&stack).with_hatchet(&engine.token());
    // The blocking runs on a thread of their own; the engine goes on on the runtime.
    std::thread::scope(|s| {
        s.spawn(|| plans_in_chunks(env, &stack, Some(&engine)))
            .join()
            .expect("test thread")
    });
    engine.stop().await;
}

/// A timetable moved by someone else (here psql, as the original app or a dashboard edit
/// would): the worker following `session_events` takes each old run off its row where the
/// row still holds it in one request per 1,000 sessions (never one compare-and-set per
/// session), cancels the runs 500 a request, and plans the new instants in chunks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_moved_by_others_lose_their_runs_in_bulk() {
    let stack = &SupabaseStack::start().expect("dedicated stack");
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("test engine");
    seed(stack, "gen_random_uuid()::text");
    stack
        .psql(
            "create table public.bulk_old_runs as \
             select id, scheduled_task_id as run from public.teaching_sessions",
        )
        .expect("remember the runs");
    let env = TestEnv::on_stack(stack).with_hatchet(&engine.token());
    let worker = std::thread::scope(|s| {
        s.spawn(|| env.ready_worker(["--sweep-interval", "3600"]))
            .join()
            .expect("worker")
    });
    let before = stack.api_requests();
    let engine_before = engine.request_counts();
    stack
        .psql(
            "update public.teaching_sessions \
             set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour'",
        )
        .expect("move every session");
    // Every moved row loses its old run, and gets a new one.
    let still_old = "id in (select id from public.bulk_old_runs o \
                     where o.run = teaching_sessions.scheduled_task_id)";
    let unplanned = "scheduled_task_id is null or scheduled_task_id like 'claim:%'";
    let deadline = Instant::now() + Duration::from_secs(120);
    while (count(stack, still_old) > 0 || count(stack, unplanned) > 0) && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(count(stack, still_old), 0, "{}", worker.lines().join("\n"));
    assert_eq!(count(stack, unplanned), 0, "{}", worker.lines().join("\n"));
    let sent = since(stack, &before);
    let clears = of(&sent, "POST /rest/v1/rpc/attctl_clear_run_ids");
    eprintln!("{SESSIONS} sessions moved by others, followed and planned again: {sent:?}");
    // Events of one statement may be read over two passes of the follower.
    assert!(
        (1..=chunks(SESSIONS, BATCH) + 1).contains(&clears),
        "{clears} bulk clears: {sent:?}"
    );
    // No PATCH of a session at all (claims are the planner's RPC): a compare-and-set per
    // session would be 2,500.
    let patches = of(&sent, "PATCH /rest/v1/teaching_sessions");
    assert!(patches <= 2, "{patches} PATCHes: {sent:?}");
    let claims = of(&sent, "POST /rest/v1/rpc/attctl_claim_for_planning");
    assert!(
        (1..=2 * chunks(SESSIONS, CLAIMS)).contains(&claims),
        "{claims} claims: {sent:?}"
    );
    let engine_sent =
        |route: &str| engine.request_count(route) - engine_before.get(route).copied().unwrap_or(0);
    assert_eq!(engine_sent(routes::DELETE_SCHEDULED), 0);
    let bulk = engine_sent(routes::BULK_DELETE_SCHEDULED);
    eprintln!(
        "Hatchet: {bulk} bulk cancels, {} runs created",
        engine_sent(routes::CREATE_SCHEDULED)
    );
    assert!(
        (1..=chunks(SESSIONS, HATCHET_BULK) + 2).contains(&bulk),
        "{bulk} bulk cancels"
    );
    drop(worker);
    engine.stop().await;
}
