//! Per-class email recipients: `class create --notify-email`, `class update --notify-email`
//! and `--clear-notify-email`, on both backends; bad addresses are refused before anything
//! is written.

#[macro_use]
mod common;

use common::{TestEnv, unique};
use serde_json::Value;

fn class_json(env: &TestEnv, id: i64) -> Value {
    let list = env
        .attctl()
        .args(["class", "list", "-o", "json"])
        .success()
        .json();
    list.as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == id).cloned())
        .unwrap_or(Value::Null)
}

fn create_update_and_clear_recipients(env: TestEnv) {
    let name = unique("Mailed");
    let created = env
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .args([
            "--notify-email",
            " head@school.example, deputy@school.example ,HEAD@school.example",
        ])
        .success()
        .json();
    let id = created["id"].as_i64().expect("id");
    let both = serde_json::json!(["head@school.example", "deputy@school.example"]);
    assert_eq!(created["notify_emails"], both, "{created}");
    assert_eq!(class_json(&env, id)["notify_emails"], both);

    // A class without recipients lists an empty array.
    let plain = env.class();
    assert_eq!(
        class_json(&env, plain)["notify_emails"],
        serde_json::json!([])
    );

    let updated = env
        .attctl()
        .args([
            "class",
            "update",
            &name,
            "--notify-email",
            "office@school.example",
        ])
        .args(["-o", "json"])
        .success()
        .json();
    assert_eq!(
        updated["notify_emails"],
        serde_json::json!(["office@school.example"])
    );
    let table = env
        .attctl()
        .args(["class", "list", "-o", "table"])
        .success();
    assert!(table.stdout.contains("NOTIFY EMAILS"), "{}", table.stdout);
    assert!(table.stdout.contains("office@school.example"));

    let cleared = env
        .attctl()
        .args([
            "class",
            "update",
            &format!("id:{id}"),
            "--clear-notify-email",
        ])
        .args(["-o", "json"])
        .success()
        .json();
    assert_eq!(cleared["notify_emails"], serde_json::json!([]));
    assert_eq!(class_json(&env, id)["notify_emails"], serde_json::json!([]));
}

fn bad_addresses_are_refused_and_nothing_is_written(env: TestEnv) {
    let name = unique("Refused");
    env.attctl()
        .args(["class", "create", "--name", &name])
        .args(["--notify-email", "ok@school.example,not-an-address"])
        .run()
        .assert_one_line_error(2, "not-an-address");
    let list = env
        .attctl()
        .args(["class", "list", "-o", "json"])
        .success()
        .json();
    assert!(
        !list.to_string().contains(&name),
        "the class was created: {list}"
    );

    let id = env.class();
    env.attctl()
        .args([
            "class",
            "update",
            &id.to_string(),
            "--notify-email",
            "a@b.example",
        ])
        .success();
    env.attctl()
        .args(["class", "update", &id.to_string(), "--notify-email", "a@@b"])
        .run()
        .assert_one_line_error(2, "--notify-email");
    env.attctl()
        .args(["class", "update", &id.to_string(), "--notify-email", ""])
        .run()
        .assert_one_line_error(2, "--clear-notify-email");
    assert_eq!(
        class_json(&env, id)["notify_emails"],
        serde_json::json!(["a@b.example"])
    );
    // Nothing to change is a usage error; an unknown class is not found.
    let out = env
        .attctl()
        .args(["class", "update", &id.to_string()])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    env.attctl()
        .args(["class", "update", "id:999999", "--clear-notify-email"])
        .run()
        .assert_one_line_error(3, "999999");
}

backend_tests!(
    create_update_and_clear_recipients,
    bad_addresses_are_refused_and_nothing_is_written,
);
