//! `attctl session close` and `delete`: idempotent closing, --strict, missing ids, and the
//! confirmation rule. Runs against both backends.

use crate::common::TestEnv;

fn status_of(env: &TestEnv, id: &str) -> serde_json::Value {
    env.attctl()
        .args(["session", "show", "-o", "json", id])
        .success()
        .json()
}

fn closing_twice_is_reported_not_an_error(env: TestEnv) {
    let class = env.class();
    let id = env.session(class, "2030-06-01", "08:00", "09:00")["id"].to_string();
    let first = env
        .attctl()
        .args(["session", "close", "-o", "json", &id])
        .success()
        .json();
    assert_eq!(first[0]["outcome"], "closed");
    assert_eq!(first[0]["session"]["status"], "Closed");
    assert_eq!(first[0]["session"]["closed_by"], "manual");
    let closed_at = first[0]["session"]["closed_at"].clone();
    assert!(closed_at.is_string());
    let second = env
        .attctl()
        .args(["session", "close", "-o", "json", &id])
        .success();
    assert_eq!(second.json()[0]["outcome"], "already_closed");
    assert_eq!(second.json()[0]["session"]["closed_at"], closed_at);
    assert!(
        second.stderr.contains("already closed"),
        "{}",
        second.stderr
    );
    env.attctl()
        .args(["session", "close", "--strict", &id])
        .run()
        .assert_one_line_error(4, "already closed");
}

fn strict_and_missing_ids_write_nothing(env: TestEnv) {
    let class = env.class();
    let open = env.session(class, "2030-06-01", "08:00", "09:00")["id"].to_string();
    let closed = env.session(class, "2030-06-01", "10:00", "11:00")["id"].to_string();
    env.attctl().args(["session", "close", &closed]).success();
    env.attctl()
        .args(["session", "close", "--strict", &open, &closed])
        .run()
        .assert_one_line_error(4, "already closed");
    assert_eq!(status_of(&env, &open)["status"], "Open");
    env.attctl()
        .args(["session", "close", &open, "999999999"])
        .run()
        .assert_one_line_error(3, "session 999999999 not found");
    assert_eq!(status_of(&env, &open)["status"], "Open");
    env.attctl()
        .args(["session", "close", "12abc"])
        .run()
        .assert_one_line_error(2, "invalid session id");
    let both = env
        .attctl()
        .args([
            "session",
            "close",
            "-o",
            "json",
            &format!("{open},{closed}"),
        ])
        .success()
        .json();
    assert_eq!(both.as_array().unwrap().len(), 2);
}

fn deleting_needs_confirmation_and_existing_ids(env: TestEnv) {
    let class = env.class();
    let id = env.session(class, "2030-06-01", "08:00", "09:00")["id"].to_string();
    env.attctl()
        .args(["session", "delete", &id])
        .run()
        .assert_one_line_error(2, "--yes");
    assert_eq!(status_of(&env, &id)["status"], "Open");
    env.attctl()
        .args(["session", "delete", "--yes", &id, "999999998"])
        .run()
        .assert_one_line_error(3, "not found");
    assert_eq!(status_of(&env, &id)["status"], "Open");
    let deleted = env
        .attctl()
        .args(["session", "delete", "--yes", "-o", "json", &id])
        .success()
        .json();
    assert_eq!(deleted[0]["outcome"], "deleted");
    assert_eq!(deleted[0]["id"].to_string(), id);
    env.attctl()
        .args(["session", "show", &id])
        .run()
        .assert_one_line_error(3, "not found");
    env.attctl()
        .args(["session", "delete", "--yes", &id])
        .run()
        .assert_one_line_error(3, "not found");
}

fn dry_runs_change_nothing(env: TestEnv) {
    let class = env.class();
    let id = env.session(class, "2030-06-01", "08:00", "09:00")["id"].to_string();
    let plan = env
        .attctl()
        .args(["session", "close", "--dry-run", "-o", "json", &id])
        .success()
        .json();
    assert_eq!(plan[0]["method"], "PATCH");
    let plan = env
        .attctl()
        .args(["session", "delete", "--dry-run", "-o", "json", &id])
        .success()
        .json();
    assert!(
        plan.as_array()
            .unwrap()
            .iter()
            .any(|s| s["method"] == "DELETE")
    );
    assert_eq!(status_of(&env, &id)["status"], "Open");
}

backend_tests!(
    closing_twice_is_reported_not_an_error,
    strict_and_missing_ids_write_nothing,
    deleting_needs_confirmation_and_existing_ids,
    dry_runs_change_nothing,
);
