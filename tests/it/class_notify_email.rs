//! Per-class email recipients: `class create --notify-email`, `class update --notify-email`
//! and `--clear-notify-email`, on both backends; bad addresses are refused before anything
//! is written.

use crate::common::{TestEnv, unique};
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

/// A Supabase database where the recipients' migration is not applied yet: classes and
/// sessions still work (no recipients), and only setting recipients names the migration.
#[test]
fn a_database_without_the_migration_still_works_but_recipients() {
    let stack = attctl_testkit::SupabaseStack::start().expect("dedicated Supabase stack");
    stack
        .psql(
            "alter table public.classes drop column notify_emails; \
             notify pgrst, 'reload schema';",
        )
        .expect("drop the column");
    // PostgREST reloads its schema cache asynchronously.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let mut env = TestEnv::new(crate::common::Backend::Local);
    env.unset("ATTCTL_DATA_FILE");
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());

    let name = unique("Old");
    let created = env
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success()
        .json();
    assert_eq!(created["notify_emails"], serde_json::json!([]));
    let id = created["id"].as_i64().expect("id");
    assert_eq!(class_json(&env, id)["name"], name.as_str());
    env.session(id, "2031-03-03", "09:00", "10:00");
    env.attctl()
        .args([
            "class",
            "rename",
            &id.to_string(),
            "--name",
            &unique("Renamed"),
        ])
        .success();
    let out = env
        .attctl()
        .args([
            "class",
            "update",
            &id.to_string(),
            "--notify-email",
            "a@b.example",
        ])
        .run();
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("20261130170000"), "{}", out.stderr);
    let out = env
        .attctl()
        .args([
            "class",
            "create",
            "--name",
            &unique("New"),
            "--notify-email",
            "a@b.example",
        ])
        .run();
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("20261130170000"), "{}", out.stderr);
}
