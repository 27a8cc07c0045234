//! Delivery under faults, black-box: the real `attctl` and `attctl-worker` against the
//! testkit's receivers misbehaving (an SMTP server that greets and then says nothing, a
//! webhook that redirects, answers 100s of MiB, or refuses one event type), on a SQLite
//! file and, where the store decides (claims, states, order), on PostgreSQL behind
//! PostgREST too.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::{TestEnv, avoid_midnight, in_secs, unique, wall_times};
use attctl_testkit::SupabaseStack;
use attctl_testkit::assert_no_secret;
use attctl_testkit::smtp::{SmtpSecurity, SmtpSink};
use attctl_testkit::webhook::{Delivery, WebhookReceiver, of_session};
use serde_json::Value;

const LEN: Duration = Duration::from_secs(60);

/// The Supabase cases share this file's stack, and each empties its outbox first: one at a
/// time, so that no worker delivers another case's events.
static SUPABASE_SERIAL: Mutex<()> = Mutex::new(());

#[derive(Clone, Copy)]
enum Store {
    Local,
    Supabase,
}

/// A store for one case, and the guard that keeps the Supabase cases apart.
fn store_env(store: Store) -> (TestEnv, Option<std::sync::MutexGuard<'static, ()>>) {
    match store {
        Store::Local => (TestEnv::local(), None),
        Store::Supabase => {
            let guard = SUPABASE_SERIAL.lock().unwrap_or_else(|p| p.into_inner());
            let stack = SupabaseStack::shared();
            stack
                .psql("delete from public.session_events")
                .expect("emptying the outbox");
            let env = TestEnv::bare()
                .with("SUPABASE_URL", &stack.url())
                .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
            (env, Some(guard))
        }
    }
}

/// `fn name(store: Store)` run once per store, as `name::local` and `name::supabase`.
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn local() {
                    super::$name(super::Store::Local);
                }
                #[test]
                fn supabase() {
                    super::$name(super::Store::Supabase);
                }
            }
        )*
    };
}

on_both_stores!(
    a_silent_mail_server_holds_up_neither_the_webhook_nor_later_events,
    a_failed_warning_expires_instead_of_arriving_after_the_close_or_delete,
    one_sessions_events_arrive_in_the_order_they_happened,
    events_no_channel_takes_are_skipped_not_delivered,
);

/// The outbox rows of one type and session, oldest first.
fn events_of(env: &TestEnv, kind: &str, session: i64) -> Vec<Value> {
    let out = env.run_attctl(["events", "list", "--type", kind, "-o", "json"]);
    out.assert_ok();
    out.json()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["session_id"] == session)
        .collect()
}

/// Polls `events list` until the event of this type and session satisfies `pred`; answers
/// the last row seen (or Null).
fn wait_event(
    env: &TestEnv,
    kind: &str,
    session: i64,
    timeout: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let end = Instant::now() + timeout;
    loop {
        let last = events_of(env, kind, session)
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        if pred(&last) || Instant::now() >= end {
            return last;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn future_session(env: &TestEnv, class: i64, secs: i64) -> i64 {
    env.session_ending_at(class, in_secs(secs), LEN)["id"]
        .as_i64()
        .expect("session id")
}

fn accepted<'a>(all: &'a [Delivery], id: i64, kind: &str) -> Vec<&'a Delivery> {
    of_session(all, id, kind)
        .into_iter()
        .filter(|d| d.answered == 200)
        .collect()
}

/// Item 1 of issue 25: a mail server that sends its greeting and then nothing held every
/// send forever (lettre bounds only the connect), and one delivery pass waited for its
/// whole batch, so the healthy webhook got the first event only. Now each send has one
/// deadline, and a channel's trouble is its own: a later event reaches the webhook while the
/// first event's email is still waiting for the silent server.
fn a_silent_mail_server_holds_up_neither_the_webhook_nor_later_events(store: Store) {
    avoid_midnight(Duration::from_secs(300));
    let (env, _serial) = store_env(store);
    let sink = SmtpSink::start(SmtpSecurity::Plain, None).expect("SMTP sink");
    sink.set_silent_after_greeting(true);
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    // A deadline long enough that anything waiting on the first email would show.
    let deadline = Duration::from_secs(15);
    let env = env
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("ATTCTL_SMTP_URL", &sink.url())
        .with("ATTCTL_MAIL_FROM", "noreply@school.example")
        .with("ATTCTL_MAIL_TO", "office@school.example")
        .with(
            "ATTCTL_NOTIFY_TIMEOUT_SECS",
            &deadline.as_secs().to_string(),
        );
    let class = env.class();
    let first = future_session(&env, class, 3600);
    let later = future_session(&env, class, 3700);
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);

    env.run_attctl(["session", "close", &first.to_string()])
        .assert_ok();
    assert!(
        receiver.wait_for(Duration::from_secs(15), |d| {
            !accepted(d, first, "session.closed").is_empty()
        }),
        "the first close never reached the webhook: {:?}",
        worker.lines()
    );
    let tried = Instant::now();
    while sink.connections() == 0 {
        assert!(
            tried.elapsed() < Duration::from_secs(10),
            "the email was not even tried"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let later_closed = Instant::now();
    env.run_attctl(["session", "close", &later.to_string()])
        .assert_ok();
    // Well inside the first email's deadline: had the later event waited for it (or for
    // its batch), it could not be here yet.
    assert!(
        receiver.wait_for(Duration::from_secs(10), |d| {
            !accepted(d, later, "session.closed").is_empty()
        }),
        "a later event waited for the silent mail server: {:?}",
        worker.lines()
    );
    assert!(
        later_closed.elapsed() < deadline,
        "the wait outlived the deadline"
    );

    // The silent server's sends end at their deadline, retried like any failure, and the
    // log says which channel and why.
    let row = wait_event(
        &env,
        "session.closed",
        first,
        deadline + Duration::from_secs(30),
        |e| e["deliveries"]["email"]["attempts"].as_i64().unwrap_or(0) >= 1,
    );
    assert_eq!(row["state"], "pending", "{row}");
    assert_eq!(row["deliveries"]["webhook"]["state"], "delivered", "{row}");
    assert_eq!(row["deliveries"]["email"]["state"], "pending", "{row}");
    let detail = row["deliveries"]["email"]["detail"].as_str().unwrap_or("");
    assert!(detail.contains("timed out"), "{row}");
    let logged = worker.wait_event(Duration::from_secs(10), |e| {
        e["channel"] == "email"
            && e["reason"]
                .as_str()
                .is_some_and(|r| r.contains("timed out"))
    });
    assert!(
        logged["message"].as_str().unwrap_or("").contains("email"),
        "{logged}"
    );
    assert!(sink.accepted().is_empty());
}

/// Item 4: a `session.closing_soon` that failed was retried, and delivered after its session
/// was deleted or after its own `session.closed`. Now such a warning is settled as
/// `expired`, never sent.
fn a_failed_warning_expires_instead_of_arriving_after_the_close_or_delete(store: Store) {
    avoid_midnight(Duration::from_secs(300));
    let (env, _serial) = store_env(store);
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.fail_type("session.closing_soon", 500);
    let env = env
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with("ATTCTL_WARN_BEFORE", "4s");
    let class = env.class();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(15));
    let closes = future_session(&env, class, 10);
    let deleted = future_session(&env, class, 12);
    // Both warnings refused once at least.
    assert!(
        receiver.wait_for(Duration::from_secs(20), |d| {
            !of_session(d, closes, "session.closing_soon").is_empty()
                && !of_session(d, deleted, "session.closing_soon").is_empty()
        }),
        "no warnings: {:?}",
        receiver.deliveries()
    );
    env.run_attctl(["session", "delete", &deleted.to_string(), "--yes"])
        .assert_ok();
    assert!(
        receiver.wait_for(Duration::from_secs(30), |d| {
            !accepted(d, closes, "session.closed").is_empty()
        }),
        "the close never arrived: {:?}",
        receiver.deliveries()
    );
    // The receiver would take the warnings now; give retries (2 s, 4 s, 8 s) their chance.
    receiver.clear_type_failures();
    std::thread::sleep(Duration::from_secs(10));
    let all = receiver.deliveries();
    for id in [closes, deleted] {
        assert!(
            accepted(&all, id, "session.closing_soon").is_empty(),
            "a warning was delivered after its session closed or went: {all:?}"
        );
        let row = wait_event(
            &env,
            "session.closing_soon",
            id,
            Duration::from_secs(10),
            |e| e["state"] == "expired",
        );
        assert_eq!(row["state"], "expired", "{row}");
    }
    let out = env.run_attctl(["events", "list", "--state", "expired", "-o", "json"]);
    out.assert_ok();
    assert_eq!(
        out.json().as_array().map(Vec::len),
        Some(2),
        "{}",
        out.stdout
    );
    let closed = events_of(&env, "session.closed", closes);
    assert_eq!(closed[0]["state"], "delivered", "{closed:?}");
}

/// Item 4: events of one session go out in order. A `session.closed` the receiver refuses
/// for a while holds back the session's `session.reopened` and `session.rescheduled`, which
/// used to overtake it.
fn one_sessions_events_arrive_in_the_order_they_happened(store: Store) {
    avoid_midnight(Duration::from_secs(7300));
    let (env, _serial) = store_env(store);
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.fail_type("session.closed", 503);
    let env = env
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret)
        .with(
            "ATTCTL_NOTIFY_EVENTS",
            "session.closed,session.reopened,session.rescheduled",
        );
    let class = env.class();
    let id = future_session(&env, class, 3600);
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    assert!(receiver.wait_for(Duration::from_secs(15), |d| {
        !of_session(d, id, "session.closed").is_empty()
    }));
    let (date, start, end) = wall_times(in_secs(7200), LEN);
    env.run_attctl([
        "session",
        "reschedule",
        &id.to_string(),
        "--date",
        &date,
        "--start",
        &start,
        "--end",
        &end,
        "--reopen",
        "-o",
        "json",
    ])
    .assert_ok();
    // Long enough for the later events to overtake, were they free to.
    std::thread::sleep(Duration::from_secs(3));
    receiver.clear_type_failures();
    assert!(
        receiver.wait_for(Duration::from_secs(40), |d| {
            ["session.closed", "session.reopened", "session.rescheduled"]
                .iter()
                .all(|k| !accepted(d, id, k).is_empty())
        }),
        "{:?}",
        receiver.deliveries()
    );
    let all = receiver.deliveries();
    let mine: Vec<&Delivery> = all
        .iter()
        .filter(|d| d.body["data"]["session"]["id"] == id)
        .collect();
    let closed_ok = mine
        .iter()
        .position(|d| d.body["type"] == "session.closed" && d.answered == 200)
        .expect("the close was delivered");
    let first_later = mine
        .iter()
        .position(|d| d.body["type"] != "session.closed")
        .expect("later events were delivered");
    assert!(
        first_later > closed_ok,
        "a later event of the session went before its close: {:?}",
        mine.iter()
            .map(|d| (d.body["type"].as_str().unwrap_or(""), d.answered))
            .collect::<Vec<_>>()
    );
}

/// Item 5: events no configured channel takes (`session.created` under the default filter,
/// or anything with no channel at all) used to read `delivered` with no delivery. They
/// are `skipped` now.
fn events_no_channel_takes_are_skipped_not_delivered(store: Store) {
    avoid_midnight(Duration::from_secs(300));
    let (env, _serial) = store_env(store);
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let mut env = env
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    let class = env.class();
    let filtered = future_session(&env, class, 3600);
    let mut worker = env.spawn_worker(["--sweep-interval", "3600"]);
    let row = wait_event(
        &env,
        "session.created",
        filtered,
        Duration::from_secs(20),
        |e| e["state"] != "pending",
    );
    assert_eq!(row["state"], "skipped", "{row}");
    assert_eq!(row["deliveries"], serde_json::json!({}), "{row}");
    assert!(of_session(&receiver.deliveries(), filtered, "session.created").is_empty());
    worker.kill();

    // No channel at all: nothing is sent, everything is skipped.
    env.unset("ATTCTL_WEBHOOK_URL");
    env.unset("ATTCTL_WEBHOOK_SECRET");
    let unsent = future_session(&env, class, 3700);
    env.run_attctl(["session", "close", &unsent.to_string()])
        .assert_ok();
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    let row = wait_event(
        &env,
        "session.closed",
        unsent,
        Duration::from_secs(45),
        |e| e["state"] != "pending",
    );
    assert_eq!(row["state"], "skipped", "{row}");
    let out = env.run_attctl(["events", "list", "--state", "skipped", "-o", "json"]);
    out.assert_ok();
    let skipped = out.json();
    for (id, kind) in [
        (filtered, "session.created"),
        (unsent, "session.created"),
        (unsent, "session.closed"),
    ] {
        assert!(
            skipped
                .as_array()
                .is_some_and(|a| a.iter().any(|e| e["session_id"] == id && e["type"] == kind)),
            "{kind} of {id} not listed as skipped: {skipped}"
        );
    }
}

/// Item 2: a 301/302/303 was followed as a GET without the body, and the event counted as
/// delivered. Redirects are failures now, naming the target with its query masked.
#[test]
fn a_redirect_is_a_failure_naming_its_target_masked() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let elsewhere = WebhookReceiver::start(&secret).expect("redirect target");
    let token = "Redirect-Token-8c1f2e7a";
    receiver.redirect(Some((302, &format!("{}?token={token}", elsewhere.url()))));
    let env = TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    let class = env.class();
    let id = future_session(&env, class, 3600);
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    let row = wait_event(&env, "session.closed", id, Duration::from_secs(20), |e| {
        e["attempts"].as_i64().unwrap_or(0) >= 2
    });
    assert_eq!(row["state"], "pending", "{row}");
    let webhook = &row["deliveries"]["webhook"];
    assert_eq!(webhook["status"], 302, "{row}");
    assert_eq!(webhook["state"], "pending", "{row}");
    let detail = webhook["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("redirect") && detail.contains("token=***"),
        "{detail}"
    );
    assert!(
        elsewhere.deliveries().is_empty(),
        "the redirect was followed: {:?}",
        elsewhere.deliveries()
    );
    assert!(receiver.deliveries().iter().all(|d| d.method == "POST"));
    let listed = env.run_attctl(["events", "list", "-o", "json"]);
    assert_no_secret(
        token,
        &[
            ("events list", &listed.stdout),
            ("worker log", &worker.lines().join("\n")),
        ],
    );
}

/// Item 3: answers were read whole (16 closes answered with 100 MB each took the worker to
/// 1.2 GB). Only a few KiB of each are read now.
#[test]
fn huge_answers_are_read_only_in_part() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    receiver.set_body_size(24 << 20);
    let env = TestEnv::local()
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    let class = env.class();
    let ids: Vec<i64> = (0..16)
        .map(|i| future_session(&env, class, 3600 + i * 120))
        .collect();
    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    let mut args = vec!["session".to_string(), "close".to_string()];
    args.extend(ids.iter().map(i64::to_string));
    env.run_attctl(&args).assert_ok();
    assert!(
        receiver.wait_for(Duration::from_secs(60), |d| {
            ids.iter()
                .all(|id| !of_session(d, *id, "session.closed").is_empty())
        }),
        "{:?}",
        worker.lines()
    );
    for id in &ids {
        let row = wait_event(&env, "session.closed", *id, Duration::from_secs(30), |e| {
            e["state"] == "delivered"
        });
        assert_eq!(row["state"], "delivered", "{row}");
        let detail = row["deliveries"]["webhook"]["detail"]
            .as_str()
            .unwrap_or("");
        assert!(
            detail.starts_with("xxxx") && detail.len() <= 200,
            "{detail}"
        );
    }
    // 16 × 24 MiB read whole is 384 MiB at least; a prefix of each is nothing.
    let peak = peak_rss_kib(worker.pid()).expect("the worker's peak RSS");
    assert!(
        peak < 120 * 1024,
        "the worker's peak RSS is {} MiB",
        peak / 1024
    );
}

/// `VmHWM` of a live process, in KiB.
fn peak_rss_kib(pid: i32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Item 6: class names went into Slack's mrkdwn as they were, so `<!channel>` pinged the
/// channel and `<http://evil|Click me>` showed a disguised link.
#[test]
fn slack_text_from_data_is_escaped() {
    avoid_midnight(Duration::from_secs(300));
    let secret = WebhookReceiver::new_secret();
    let slack = WebhookReceiver::start(&secret).expect("Slack stand-in");
    let env = TestEnv::local().with("ATTCTL_SLACK_WEBHOOK_URL", &slack.url());
    let name = format!(
        "{} <!channel> & <http://evil.example|Click me>",
        unique("Y7")
    );
    let out = env.run_attctl(["class", "create", "--name", &name, "-o", "json"]);
    out.assert_ok();
    let class = out.json()["id"].as_i64().expect("class id");
    let id = future_session(&env, class, 3600);
    let _worker = env.spawn_worker(["--sweep-interval", "3600"]);
    env.run_attctl(["session", "close", &id.to_string()])
        .assert_ok();
    assert!(slack.wait_for(Duration::from_secs(20), |d| {
        d.iter().any(|d| d.body["text"].as_str().is_some())
    }));
    let got = slack.deliveries();
    let body = &got[0].body;
    let all = body.to_string();
    assert!(
        !all.contains("<!channel>") && !all.contains("<http://evil"),
        "{all}"
    );
    let text = body["text"].as_str().unwrap_or("");
    assert!(
        text.contains("&lt;!channel&gt; &amp; &lt;http://evil.example|Click me&gt;"),
        "{text}"
    );
    let section = body["blocks"][0]["text"]["text"].as_str().unwrap_or("");
    assert!(section.contains("&lt;!channel&gt;"), "{section}");
}
