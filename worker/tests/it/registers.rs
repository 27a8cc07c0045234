//! Registers at close on the original app's database, by the worker: a Hatchet run closes a
//! session with one check-in and marks the other active student absent (the dropped one
//! untouched), exactly once across the sweep and a close by hand; a session nobody took
//! sends `session.register_missing`, signed, to the webhook.

use std::time::Duration;

use crate::common::{TestEnv, in_secs, test_zone};
use attctl_testkit::SupabaseStack;
use attctl_testkit::webhook::{WebhookReceiver, of_session};
use hatchet_test_engine::{EngineConfig, TestEngine};
use serde_json::Value;

fn stack() -> &'static SupabaseStack {
    SupabaseStack::shared_original_app()
}

fn one(sql: &str) -> String {
    stack().psql(sql).expect(sql).trim().to_string()
}

/// A student of `class` with this enrolment status.
fn student(class: i64, status: &str) -> i64 {
    let code = format!("W{}", uuid::Uuid::new_v4().simple());
    let id: i64 = one(&format!(
        "insert into students (student_code, full_name, auth_id, created_at, updated_at) \
         values ('{code}', 'Student {code}', gen_random_uuid(), now(), now()) returning id"
    ))
    .parse()
    .unwrap();
    one(&format!(
        "insert into class_students (status, class_id, student_id, created_at, updated_at) \
         values ('{status}', {class}, {id}, now(), now())"
    ));
    id
}

/// (student, status) of a session's marks, in student order.
fn marks(session: i64) -> Vec<(i64, String)> {
    let v: Value = serde_json::from_str(&one(&format!(
        "select coalesce(json_agg(json_build_array(student_id, status) order by student_id, id), '[]') \
         from attendances where session_id = {session}"
    )))
    .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_i64().unwrap(), p[1].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_automarks_once_and_a_register_nobody_took_is_sent_signed() {
    let engine = TestEngine::start(EngineConfig::fast())
        .await
        .expect("test engine");
    let secret = WebhookReceiver::new_secret();
    let receiver = WebhookReceiver::start(&secret).expect("receiver");
    let env = TestEnv::on_stack(stack())
        .with_hatchet(&engine.token())
        .with("ATTCTL_AUTOMARK", "absent")
        .with("ATTCTL_WEBHOOK_URL", &receiver.url())
        .with("ATTCTL_WEBHOOK_SECRET", &secret);
    env.attctl()
        .args(["school", "set", "--timezone", test_zone()])
        .success();
    let class = env.class();
    let (present, other, dropped) = (
        student(class, "active"),
        student(class, "active"),
        student(class, "dropped"),
    );
    // A session the app left Open long ago, nobody marked: the sweep at start closes it.
    let untaken: i64 = one(&format!(
        "insert into teaching_sessions (session_date, start_time, end_time, session_type, \
         status, class_id, created_at, updated_at) values ('2025-02-03', '08:00', '09:00', \
         'theory', 'Open', {class}, now(), now()) returning id"
    ))
    .parse()
    .unwrap();

    let worker = env.spawn_worker(["--sweep-interval", "3600"]);
    worker.wait_ready(Duration::from_secs(30));
    // attctl's session, planned as a run; one student checks in before its end.
    let ours = env.session_ending_at(class, in_secs(4), Duration::from_secs(30));
    let ours = ours["id"].as_i64().unwrap();
    one(&format!(
        "insert into attendances (attendance_time, status, confidence_score, session_id, \
         student_id, created_at, updated_at) values (now() at time zone 'UTC', 'present', 1.0, \
         {ours}, {present}, now(), now())"
    ));
    let closed = env.wait_session(ours, Duration::from_secs(20), |s| s["status"] == "Closed");
    assert_eq!(
        closed["closed_by"],
        "auto",
        "{closed}\n{}",
        worker.lines().join("\n")
    );
    assert_eq!(env.show(untaken)["closed_by"], "sweep");

    // Again by the sweep and by hand: nothing more is marked.
    env.worker_once(["sweep", "--once"]).assert_ok();
    env.attctl()
        .args(["session", "close", &ours.to_string(), &untaken.to_string()])
        .success();
    let mut expected = vec![
        (present, "present".to_string()),
        (other, "absent".to_string()),
    ];
    expected.sort();
    assert_eq!(marks(ours), expected);
    let mut expected = vec![
        (present, "absent".to_string()),
        (other, "absent".to_string()),
    ];
    expected.sort();
    assert_eq!(marks(untaken), expected);
    assert!(
        marks(ours)
            .into_iter()
            .chain(marks(untaken))
            .all(|(s, _)| s != dropped)
    );

    // The register nobody took arrives at the webhook, signed, once; the other never does.
    assert!(
        receiver.wait_for(Duration::from_secs(15), |d| {
            !of_session(d, untaken, "session.register_missing").is_empty()
        }),
        "{:?}",
        receiver.deliveries()
    );
    std::thread::sleep(Duration::from_secs(2));
    let all = receiver.deliveries();
    let missing = of_session(&all, untaken, "session.register_missing");
    assert_eq!(missing.len(), 1, "{all:?}");
    assert!(missing[0].signature_valid);
    assert_eq!(missing[0].body["data"]["enrolled"], 2);
    assert_eq!(missing[0].body["data"]["automarked"], 2);
    assert!(of_session(&all, ours, "session.register_missing").is_empty());
}
