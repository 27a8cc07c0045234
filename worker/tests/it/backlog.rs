//! A backlog of Open sessions with no run (an upgraded table, rows written by another
//! client): planning it is bulk work, and it never delays a close. On the real stack
//! (PostgreSQL 15 + PostgREST behind the Supabase-like gateway, which counts requests).

use std::time::{Duration, Instant};

use crate::common::{TestEnv, avoid_midnight, in_secs, lag_ms};
use attctl_testkit::SupabaseStack;
use serde_json::Value;

const BACKLOG: usize = 2000;

/// `n` future Open sessions of a new class with no `scheduled_task_id`, written straight
/// into the table as another client would.
fn seed_backlog(stack: &SupabaseStack, n: usize) {
    stack
        .psql(&format!(
            "with c as (insert into public.classes (name) values ('backlog ' || gen_random_uuid()) returning id)
             insert into public.teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
             select c.id, current_date + 2 + (g / 8), time '08:00' + ((g % 8) * interval '1 hour'),
                    time '08:45' + ((g % 8) * interval '1 hour'), 'UTC', now()
             from c, generate_series(0, {n} - 1) g"
        ))
        .expect("seed the backlog");
}

fn unplanned(stack: &SupabaseStack) -> usize {
    stack
        .psql(
            "select count(*) from public.teaching_sessions \
             where status = 'Open' and (scheduled_task_id is null or scheduled_task_id like 'claim:%')",
        )
        .expect("count")
        .trim()
        .parse()
        .expect("a number")
}

#[test]
fn planning_a_backlog_takes_a_few_requests_per_thousand_sessions() {
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    seed_backlog(&stack, BACKLOG);
    let env = TestEnv::on_stack(&stack);
    let before = stack.api_request_total();
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let requests = stack.api_request_total() - before;
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    assert_eq!(summary["scheduled"], BACKLOG, "{summary}");
    assert_eq!(summary["lost_claims"], 0, "{summary}");
    assert_eq!(unplanned(&stack), 0);
    // Per 1,000 sessions: one read, five claims of 200, one write of the run ids; plus the
    // close, the recheck and the final empty read. One request per session would be 4,000+.
    assert!(
        requests <= 20,
        "{requests} requests: {:?}",
        stack.api_requests()
    );
    // Every session got its own run id.
    let distinct = stack
        .psql("select count(distinct scheduled_task_id) from public.teaching_sessions")
        .unwrap();
    assert_eq!(distinct, BACKLOG.to_string());
}

#[test]
fn a_backlog_being_planned_never_delays_an_on_time_close() {
    avoid_midnight(Duration::from_secs(120));
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    seed_backlog(&stack, BACKLOG);
    // A slow database for planning only: every claimed row costs 10 ms (20 s for the
    // backlog), as a loaded production database or a slow engine would.
    stack
        .psql(
            "create function public.slow_claims() returns trigger language plpgsql as
               $$ begin perform pg_sleep(0.01); return new; end $$;
             create trigger slow_claims before update on public.teaching_sessions
               for each row when (new.scheduled_task_id like 'claim:%')
               execute function public.slow_claims();",
        )
        .expect("slow claims");
    let env = TestEnv::on_stack(&stack);
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    // Not waiting for readiness: the session is created while the worker's first sweep
    // meets the backlog.
    worker.wait_event(Duration::from_secs(30), |e| {
        e["message"] == "attctl-worker starting"
    });
    let session = env.session_ending_at(class, in_secs(4), Duration::from_secs(60));
    let id = session["id"].as_i64().expect("id");
    let closed = env.wait_session(id, Duration::from_secs(10), |s| s["status"] == "Closed");
    assert_eq!(closed["closed_by"], "auto", "{closed}");
    let lag = lag_ms(&closed).expect("lag");
    assert!((0..5000).contains(&lag), "closed {lag} ms after its end");

    // The backlog is planned as well, in the background.
    let deadline = Instant::now() + Duration::from_secs(60);
    while unplanned(&stack) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(unplanned(&stack), 0, "{}", worker.lines().join("\n"));
}

#[test]
fn a_session_without_a_run_is_closed_without_the_runs_grace() {
    avoid_midnight(Duration::from_secs(120));
    let env = TestEnv::local();
    let class = env.class();
    // Ended 3 s ago: created without a run (nothing to plan for a past session).
    let unplanned = env.session_ending_at(class, in_secs(-3), Duration::from_secs(60));
    assert_eq!(unplanned["scheduled_task_id"], Value::Null, "{unplanned}");
    // Ends in a moment, with a run: the sweep leaves it to that run for the grace.
    let planned = env.session_ending_at(class, in_secs(2), Duration::from_secs(60));
    assert!(planned["scheduled_task_id"].is_string(), "{planned}");
    std::thread::sleep(Duration::from_millis(3000));

    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    let closed: Vec<i64> = summary["closed_ids"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    assert!(
        closed.contains(&unplanned["id"].as_i64().expect("id")),
        "{summary}"
    );
    assert!(
        !closed.contains(&planned["id"].as_i64().expect("id")),
        "{summary}"
    );
    assert!(summary["recheck_at"].is_string(), "{summary}");
}
