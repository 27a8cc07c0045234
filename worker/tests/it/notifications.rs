//! Warnings before close and notifications, black-box: the real `attctl` and
//! `attctl-worker`, the outbox in a SQLite file (and in PostgreSQL behind PostgREST for two
//! workers), and a webhook receiver on loopback that verifies Standard Webhooks signatures.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::common::{TestEnv, avoid_midnight, in_secs};
use attctl_testkit::webhook::{WebhookReceiver, of_session};
use chrono::{DateTime, Utc};
use serde_json::Value;

const LEN: Duration = Duration::from_secs(60);

fn notifying_env(receiver: &WebhookReceiver, secret: &str) -> TestEnv {
    TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", secret)
}

fn at_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn closes_at_ms(session: &Value) -> i64 {
    session["closes_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
        .expect("closes_at")
}

#[test]
fn a_warning_arrives_at_its_offset_and_the_close_after_it_each_signed() {
    avoid_midnight(Duration::from_secs(90));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = notifying_env(&receiver, &secret).with("ATTCTL_WARN_BEFORE", "5s");
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    let session = env.session_ending_at(class, in_secs(9), LEN);
    let id = session["id"].as_i64().expect("id");

    assert!(
        receiver.wait_for(Duration::from_secs(20), |d| {
            !of_session(d, id, "session.closed").is_empty()
        }),
        "no session.closed: {:?}",
        receiver.deliveries()
    );
    let all = receiver.deliveries();
    let warnings = of_session(&all, id, "session.closing_soon");
    let closes = of_session(&all, id, "session.closed");
    assert_eq!(warnings.len(), 1, "{all:?}");
    assert_eq!(closes.len(), 1, "{all:?}");
    let (warning, close) = (warnings[0], closes[0]);
    for d in [warning, close] {
        assert!(d.signature_valid, "bad signature: {d:?}");
        assert_eq!(d.answered, 200);
        assert!(d.body["timestamp"].is_string(), "{d:?}");
        assert!(d.body["data"]["session"]["class_name"].is_string(), "{d:?}");
    }
    assert!(warning.at < close.at, "the warning came after the close");
    let due = closes_at_ms(&session) - 5000;
    let early = due - at_ms(warning.at);
    assert!(
        early <= 0,
        "the warning came {early} ms before its due time"
    );
    assert!(
        at_ms(warning.at) < closes_at_ms(&session),
        "the warning came after the end"
    );
    let left = warning.body["data"]["seconds_left"]
        .as_i64()
        .expect("seconds_left");
    assert!((0..=5).contains(&left), "{left}");
    assert_eq!(close.body["data"]["closed_by"], "auto", "{close:?}");
    assert_eq!(
        close.body["data"]["session"]["status"], "Closed",
        "{close:?}"
    );
    assert_ne!(warning.id, close.id);
}

#[test]
fn manual_and_sweep_closes_each_send_one_signed_closed_event() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = notifying_env(&receiver, &secret);
    let class = env.class();
    // Ended while no worker ran: the worker's sweep at start closes it.
    let overdue = env.session_ending_at(class, in_secs(-120), LEN);
    let manual = env.session_ending_at(class, in_secs(3600), LEN);
    let overdue_id = overdue["id"].as_i64().expect("id");
    let manual_id = manual["id"].as_i64().expect("id");
    env.run_attctl(["session", "close", &manual_id.to_string()])
        .assert_ok();
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    assert!(receiver.wait_for(Duration::from_secs(15), |d| {
        of_session(d, overdue_id, "session.closed").len() == 1
            && of_session(d, manual_id, "session.closed").len() == 1
    }));
    // Nothing more arrives later (no second send of a delivered event).
    std::thread::sleep(Duration::from_secs(3));
    let all = receiver.deliveries();
    for (id, by) in [(overdue_id, "sweep"), (manual_id, "manual")] {
        let closed = of_session(&all, id, "session.closed");
        assert_eq!(closed.len(), 1, "{all:?}");
        assert!(closed[0].signature_valid);
        assert_eq!(closed[0].body["data"]["closed_by"], by);
    }
    // Only the default filter's types are sent.
    assert!(
        all.iter().all(|d| d.body["type"] != "session.created"),
        "{all:?}"
    );

    let out = env.run_attctl(["events", "list", "--type", "session.closed", "-o", "json"]);
    out.assert_ok();
    let events = out.json();
    let events = events.as_array().expect("array");
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events.iter().all(|e| e["state"] == "delivered"),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .all(|e| e["deliveries"]["webhook"]["state"] == "delivered"),
        "{events:?}"
    );
}

#[test]
fn a_receiver_that_fails_twice_gets_the_same_webhook_id_until_it_answers_200() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.fail_next(&[500, 500]);
    let env = notifying_env(&receiver, &secret);
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    assert!(receiver.wait_for(Duration::from_secs(30), |d| {
        of_session(d, id, "session.closed")
            .iter()
            .any(|d| d.answered == 200)
    }));
    let all = receiver.deliveries();
    let tries = of_session(&all, id, "session.closed");
    assert_eq!(
        tries.iter().map(|d| d.answered).collect::<Vec<_>>(),
        vec![500, 500, 200]
    );
    assert!(
        tries
            .iter()
            .all(|d| d.id == tries[0].id && d.signature_valid)
    );
    let out = env.run_attctl([
        "events",
        "list",
        "--state",
        "delivered",
        "--type",
        "session.closed",
        "-o",
        "json",
    ]);
    out.assert_ok();
    assert_eq!(out.json()[0]["attempts"], 3, "{}", out.json());
}

#[test]
fn a_receiver_down_for_30_s_gets_the_event_when_it_returns() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let mut receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.pause();
    let env = notifying_env(&receiver, &secret);
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    std::thread::sleep(Duration::from_secs(30));
    let pending = env.run_attctl(["events", "list", "--type", "session.closed", "-o", "json"]);
    pending.assert_ok();
    assert_eq!(pending.json()[0]["state"], "pending", "{}", pending.json());
    assert!(pending.json()[0]["attempts"].as_i64().unwrap_or(0) >= 3);
    receiver.resume().expect("resume");
    // Backoff after ~5 failures is at most 32 s, then 64 s.
    assert!(receiver.wait_for(Duration::from_secs(90), |d| {
        of_session(d, id, "session.closed").len() == 1
    }));
}

#[test]
fn a_worker_killed_mid_delivery_delivers_after_restart() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.set_delay(Duration::from_secs(2));
    let env = notifying_env(&receiver, &secret).with("ATTCTL_NOTIFY_TIMEOUT_SECS", "4");
    let class = env.class();
    let s = env.session_ending_at(class, in_secs(3600), LEN);
    let id = s["id"].as_i64().expect("id");
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    let start = std::time::Instant::now();
    while receiver.in_flight() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "nothing was sent"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    worker.kill();
    receiver.set_delay(Duration::ZERO);
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    assert!(receiver.wait_for(Duration::from_secs(60), |d| {
        of_session(d, id, "session.closed")
            .iter()
            .any(|d| d.answered == 200 && d.signature_valid)
    }));
    let out = env.run_attctl(["events", "list", "--type", "session.closed", "-o", "json"]);
    out.assert_ok();
    assert!(
        env_wait(&env, |events| events[0]["state"] == "delivered"),
        "{}",
        out.json()
    );
    // Every request of the event carried one id.
    let all = receiver.deliveries();
    let ids: std::collections::HashSet<_> = of_session(&all, id, "session.closed")
        .iter()
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(ids.len(), 1);
}

fn env_wait(env: &TestEnv, pred: impl Fn(&Value) -> bool) -> bool {
    for _ in 0..50 {
        let out = env.run_attctl(["events", "list", "--type", "session.closed", "-o", "json"]);
        if out.code == 0 && pred(&out.json()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn a_rescheduled_sessions_warning_moves_and_a_deleted_session_gets_none() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = notifying_env(&receiver, &secret).with("ATTCTL_WARN_BEFORE", "5s");
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(10));
    let moved = env.session_ending_at(class, in_secs(10), LEN);
    let deleted = env.session_ending_at(class, in_secs(10), Duration::from_secs(120));
    let moved_id = moved["id"].as_i64().expect("id");
    let deleted_id = deleted["id"].as_i64().expect("id");
    env.run_attctl(["session", "delete", &deleted_id.to_string(), "--yes"])
        .assert_ok();
    // Moved 15 s later: the warning is due 10 s after the old due time.
    let rescheduled = env.reschedule_ending_at(moved_id, in_secs(25), LEN);
    assert!(receiver.wait_for(Duration::from_secs(40), |d| {
        !of_session(d, moved_id, "session.closed").is_empty()
    }));
    let all = receiver.deliveries();
    let warnings = of_session(&all, moved_id, "session.closing_soon");
    assert_eq!(warnings.len(), 1, "{all:?}");
    let new_due = closes_at_ms(&rescheduled) - 5000;
    assert!(at_ms(warnings[0].at) >= new_due, "warned at the old time");
    assert!(of_session(&all, deleted_id, "session.closing_soon").is_empty());
    let counts: HashMap<String, usize> = all.iter().fold(HashMap::new(), |mut m, d| {
        *m.entry(d.body["type"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
        m
    });
    assert_eq!(counts.get("session.closing_soon"), Some(&1), "{counts:?}");
}

#[test]
fn two_workers_on_supabase_send_each_event_once() {
    avoid_midnight(Duration::from_secs(300));
    let stack = attctl_testkit::SupabaseStack::start().expect("dedicated Supabase stack");
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    // Slow enough that both workers are busy at once.
    receiver.set_delay(Duration::from_millis(100));
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key())
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("ATTCTL_WARN_BEFORE", "4s");
    let class = env.class();
    let _a = env.spawn_worker(["--sweep-interval", "3600"]);
    let _b = env.spawn_worker(["--sweep-interval", "3600"]);
    let mut ids = Vec::new();
    for i in 0..30 {
        let s = env.session_ending_at(class, in_secs(3600 + i * 120), LEN);
        ids.push(s["id"].as_i64().expect("id"));
    }
    // Closed by their run, with a warning each first: both workers race for these.
    let mut soon = Vec::new();
    for i in 0..5 {
        let s = env.session_ending_at(class, in_secs(8 + i), Duration::from_secs(30));
        soon.push(s["id"].as_i64().expect("id"));
    }
    let mut args = vec!["session".to_string(), "close".to_string()];
    args.extend(ids.iter().map(|i| i.to_string()));
    env.run_attctl(&args).assert_ok();
    assert!(receiver.wait_for(Duration::from_secs(60), |d| {
        ids.iter()
            .chain(&soon)
            .all(|id| !of_session(d, *id, "session.closed").is_empty())
            && soon
                .iter()
                .all(|id| !of_session(d, *id, "session.closing_soon").is_empty())
    }));
    std::thread::sleep(Duration::from_secs(3));
    let all = receiver.deliveries();
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for d in &all {
        assert!(d.signature_valid, "{d:?}");
        assert_eq!(d.answered, 200);
        *per_id.entry(d.id.clone().unwrap_or_default()).or_default() += 1;
    }
    let twice: Vec<_> = per_id.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    for id in ids.iter().chain(&soon) {
        assert_eq!(of_session(&all, *id, "session.closed").len(), 1);
    }
    for id in &soon {
        let w = of_session(&all, *id, "session.closing_soon");
        assert_eq!(w.len(), 1, "{all:?}");
        let c = of_session(&all, *id, "session.closed");
        assert_eq!(c[0].body["data"]["closed_by"], "auto", "{:?}", c[0]);
    }

    // Every outcome was recorded under the worker's claim: nothing is left pending.
    let out = env.run_attctl(["events", "list", "--type", "session.closed", "-o", "json"]);
    out.assert_ok();
    let events = out.json();
    let events = events.as_array().expect("array");
    assert_eq!(events.len(), 35, "{events:?}");
    assert!(
        events
            .iter()
            .all(|e| e["state"] == "delivered" && e["attempts"] == 1),
        "{events:?}"
    );

    // An edit made behind attctl's back (the dashboard's SQL editor) is recorded too.
    let target = ids[0];
    stack
        .psql(&format!(
            "update public.teaching_sessions set status = 'Open', \
             session_date = session_date + 1 where id = {target}"
        ))
        .expect("dashboard edit");
    for kind in ["session.reopened", "session.rescheduled"] {
        let out = env.run_attctl(["events", "list", "--type", kind, "-o", "json"]);
        out.assert_ok();
        let events = out.json();
        let mine: Vec<_> = events
            .as_array()
            .expect("array")
            .iter()
            .filter(|e| e["session_id"] == target)
            .collect();
        assert_eq!(mine.len(), 1, "{kind}: {events}");
    }
}

#[test]
fn notify_test_doctor_and_retry_speak_to_the_receiver() {
    let secret = WebhookReceiver::new_secret();
    let mut receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = notifying_env(&receiver, &secret);

    let out = env.run_attctl(["notify", "test", "--channel", "webhook", "-o", "json"]);
    out.assert_ok();
    assert_eq!(out.json()[0]["ok"], true, "{}", out.stdout);
    assert_eq!(out.json()[0]["status"], 200, "{}", out.stdout);
    let got = receiver.deliveries();
    assert_eq!(got.len(), 1);
    assert!(got[0].signature_valid);
    assert!(!out.stdout.contains(&secret[6..14]) && !out.stderr.contains(&secret[6..14]));

    receiver.fail_next(&[503]);
    let out = env.run_attctl(["notify", "test", "-o", "json"]);
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.json()[0]["status"], 503, "{}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);

    let out = env.run_attctl(["notify", "test", "--channel", "slack"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("ATTCTL_SLACK_WEBHOOK_URL"),
        "{}",
        out.stderr
    );

    let doctor = |env: &TestEnv| {
        let out = env.run_attctl(["doctor", "-o", "json"]);
        let report: Value = serde_json::from_str(&out.stdout).expect("doctor JSON");
        report["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["name"] == "notify.webhook").cloned())
            .expect("a notify.webhook check")
    };
    let sent_before = receiver.deliveries().len();
    assert_eq!(doctor(&env)["status"], "ok");
    receiver.pause();
    assert_eq!(doctor(&env)["status"], "fail");
    receiver.resume().expect("resume");
    assert_eq!(
        receiver.deliveries().len(),
        sent_before,
        "doctor sent something"
    );

    let out = env.run_attctl(["events", "retry", "not-a-uuid"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    let unknown = uuid::Uuid::new_v4().to_string();
    let out = env.run_attctl(["events", "retry", &unknown]);
    out.assert_one_line_error(3, &format!("event {unknown} not found"));
    let out = env.run_attctl(["events", "retry", "--failed", "-o", "json"]);
    out.assert_ok();
    assert_eq!(out.json(), serde_json::json!([]));
    let out = env.run_attctl(["events", "list", "--since", "yesterday-ish"]);
    assert_eq!(out.code, 2, "{}", out.stderr);

    // Slack: a readable text and blocks, to the incoming-webhook URL.
    let slack = WebhookReceiver::start(&secret).expect("slack stand-in");
    let env = TestEnv::local().with("ATTCTL_SLACK_WEBHOOK_URL", &slack.url());
    let out = env.run_attctl(["notify", "test", "-o", "json"]);
    out.assert_ok();
    assert_eq!(out.json()[0]["channel"], "slack", "{}", out.stdout);
    let got = slack.deliveries();
    assert_eq!(got.len(), 1);
    let text = got[0].body["text"].as_str().expect("text");
    assert!(text.starts_with("Closed (manual)"), "{text}");
    assert!(
        got[0].body["blocks"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    );
    assert!(!out.stdout.contains(&slack.url()) && !out.stderr.contains(&slack.url()));

    let bad = TestEnv::local().with("ATTCTL_WARN_BEFORE", "10 minutes");
    let out = bad.run_attctl(["session", "list"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("ATTCTL_WARN_BEFORE"), "{}", out.stderr);
}

/// Hatchet mode on a local data file: the close comes from the Hatchet run (`closed_by
/// auto`), the warning from its `warn-teaching-session` run (the warning loop runs once an
/// hour here). On Supabase: `warning_runs.rs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hatchet_mode_warns_then_reports_the_runs_close() {
    avoid_midnight(Duration::from_secs(90));
    let engine =
        hatchet_test_engine::TestEngine::start(hatchet_test_engine::EngineConfig::default())
            .await
            .expect("test engine");
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = notifying_env(&receiver, &secret)
        .with("ATTCTL_WARN_BEFORE", "6s")
        .with("HATCHET_CLIENT_TOKEN", &engine.token())
        .with("HATCHET_CLIENT_TLS_STRATEGY", "none");
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(30));
    let session = env.session_ending_at(class, in_secs(12), LEN);
    let id = session["id"].as_i64().expect("id");
    assert!(
        receiver.wait_for(Duration::from_secs(40), |d| {
            !of_session(d, id, "session.closed").is_empty()
        }),
        "{:?}",
        receiver.deliveries()
    );
    let all = receiver.deliveries();
    let warnings = of_session(&all, id, "session.closing_soon");
    let closes = of_session(&all, id, "session.closed");
    assert_eq!((warnings.len(), closes.len()), (1, 1), "{all:?}");
    assert!(warnings[0].at < closes[0].at);
    assert!(at_ms(warnings[0].at) >= closes_at_ms(&session) - 6000);
    assert_eq!(closes[0].body["data"]["closed_by"], "auto");
    assert!(warnings[0].signature_valid && closes[0].signature_valid);
}
