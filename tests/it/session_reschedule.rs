//! `attctl session reschedule`: new times, a new run, and the --reopen rule.
//! Runs against both backends.

use crate::common::TestEnv;

fn moves_an_open_session_and_plans_a_new_run(env: TestEnv) {
    let class = env.class();
    let s = env.session(class, "2030-07-01", "08:00", "09:00");
    let id = s["id"].to_string();
    let moved = env
        .attctl()
        .args([
            "session",
            "reschedule",
            "-o",
            "json",
            &id,
            "--date",
            "2030-07-02",
            "--end",
            "10:00",
        ])
        .success()
        .json();
    assert_eq!(moved["session_date"], "2030-07-02");
    assert_eq!(moved["start_time"], "08:00:00");
    assert_eq!(moved["end_time"], "10:00:00");
    assert_eq!(moved["closes_at"], "2030-07-02T10:00:00Z");
    assert_eq!(moved["status"], "Open");
    assert_ne!(moved["scheduled_task_id"], s["scheduled_task_id"]);
    assert!(moved["scheduled_task_id"].is_string());
}

fn closed_sessions_reopen_only_when_asked(env: TestEnv) {
    let class = env.class();
    let id = env.session(class, "2030-07-01", "08:00", "09:00")["id"].to_string();
    env.attctl().args(["session", "close", &id]).success();
    let closed = env.show_json(&id);
    env.attctl()
        .args(["session", "reschedule", &id, "--date", "2030-07-03"])
        .run()
        .assert_one_line_error(4, "--reopen");
    // Refused: the session is exactly as it was.
    assert_eq!(env.show_json(&id), closed);
    let reopened = env
        .attctl()
        .args([
            "session",
            "reschedule",
            "-o",
            "json",
            &id,
            "--date",
            "2030-07-03",
            "--reopen",
        ])
        .success()
        .json();
    assert_eq!(reopened["status"], "Open");
    assert_eq!(reopened["closed_at"], serde_json::Value::Null);
    assert_eq!(reopened["closed_by"], serde_json::Value::Null);
    assert_eq!(reopened["session_date"], "2030-07-03");
    assert_eq!(reopened["closes_at"], "2030-07-03T09:00:00Z");
    // A new run is planned for the reopened session.
    assert!(reopened["scheduled_task_id"].is_string(), "{reopened}");
    assert_ne!(reopened["scheduled_task_id"], closed["scheduled_task_id"]);
    let mut stored = reopened.clone();
    if let Some(fields) = stored.as_object_mut() {
        fields.remove("warnings");
    }
    assert_eq!(env.show_json(&id), stored);
    env.attctl().args(["session", "close", &id]).success();
    let closed_again = env.show_json(&id);
    env.attctl()
        .args([
            "session",
            "reschedule",
            &id,
            "--date",
            "2020-07-03",
            "--reopen",
        ])
        .run()
        .assert_one_line_error(2, "future");
    assert_eq!(env.show_json(&id), closed_again);
}

fn invalid_changes_write_nothing(env: TestEnv) {
    let class = env.class();
    let id = env.session(class, "2030-07-01", "08:00", "09:00")["id"].to_string();
    env.session(class, "2030-07-02", "08:00", "09:00");
    let before = env.show_json(&id);
    env.attctl()
        .args(["session", "reschedule", &id])
        .run()
        .assert_one_line_error(2, "nothing to change");
    env.attctl()
        .args(["session", "reschedule", &id, "--end", "07:00"])
        .run()
        .assert_one_line_error(2, "must be after");
    env.attctl()
        .args(["session", "reschedule", &id, "--date", "2030-07-02"])
        .run()
        .assert_one_line_error(4, "already has a session");
    env.attctl()
        .args(["session", "reschedule", "999999997", "--date", "2030-07-02"])
        .run()
        .assert_one_line_error(3, "not found");
    // Every field as before: times, run id, status, updated_at.
    assert_eq!(env.show_json(&id), before);
}

backend_tests!(
    moves_an_open_session_and_plans_a_new_run,
    closed_sessions_reopen_only_when_asked,
    invalid_changes_write_nothing,
);
