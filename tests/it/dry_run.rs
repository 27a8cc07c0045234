//! `--dry-run` is the real code path: for every command that takes it, the printed plan
//! equals, step for step, the writes the same command then really makes, and the dry run
//! itself writes nothing. On Supabase the real writes are read at the test gateway; on the
//! local store from the store's own trace of each write (`RUST_LOG=attctl::store=debug`).
//! With Hatchet: `tests/it/hatchet_scheduling.rs`.

use crate::common::{Backend, Outcome, TestEnv};
use attctl_testkit::SupabaseStack;
use serde_json::Value;

/// `(method, target)` of each planned step.
fn plan(env: &TestEnv, command: &[&str]) -> Vec<(String, String)> {
    let out = env
        .attctl()
        .args(command.iter().copied())
        .args(["--dry-run", "-o", "json"])
        .success();
    assert!(
        out.stderr.contains("dry run: nothing was changed"),
        "{}",
        out.stderr
    );
    out.json()
        .as_array()
        .expect("a JSON array of steps")
        .iter()
        .enumerate()
        .map(|(i, step)| {
            assert_eq!(step["step"], i + 1, "{step}");
            assert!(step["note"].is_string(), "{step}");
            (
                step["method"].as_str().expect("method").to_string(),
                step["target"].as_str().expect("target").to_string(),
            )
        })
        .collect()
}

/// The writes the local store made while running `command`, as it traced them.
fn local_writes(env: &TestEnv, command: &[&str]) -> (Outcome, Vec<(String, String)>) {
    let out = env
        .attctl()
        .args(command.iter().copied())
        .args(["-o", "json"])
        .env("RUST_LOG", "attctl::store=debug")
        .run();
    let writes = out
        .stderr
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["target"] == "attctl::store" && e["message"] == "write")
        .map(|e| {
            (
                e["method"].as_str().unwrap_or_default().to_string(),
                e["to"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (out, writes)
}

/// A planned Supabase target as the gateway sees it: the path under the host, with the
/// placeholder of a session not inserted yet replaced by the id it got.
fn as_received(target: &str, new_id: Option<i64>) -> String {
    let path = target
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, path)| format!("/{path}"))
        .unwrap_or_else(|| target.to_string());
    match new_id {
        Some(id) => path.replace("<new id>", &id.to_string()),
        None => path,
    }
}

fn assert_same_steps(
    planned: &[(String, String)],
    real: &[(String, String)],
    new_id: Option<i64>,
    what: &str,
) {
    let planned: Vec<(String, String)> = planned
        .iter()
        .map(|(m, t)| (m.clone(), as_received(t, new_id)))
        .collect();
    assert_eq!(planned, real, "{what}: plan and real writes differ");
}

const DATE: &str = "2031-09-01";

#[test]
fn local_plans_equal_the_writes_made() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class().to_string();
    let create = [
        "session", "create", "--class", &class, "--date", DATE, "--start", "08:00", "--end",
        "09:00",
    ];
    let planned = plan(&env, &create);
    let (out, real) = local_writes(&env, &create);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // One write: the run id of the local scheduler goes in the insert.
    assert_eq!(planned.len(), 1, "{planned:?}");
    assert_same_steps(&planned, &real, None, "create");
    let id = out.json()["id"].to_string();

    for command in [
        vec!["session", "reschedule", &id, "--end", "10:00"],
        vec!["session", "close", &id],
        vec![
            "session",
            "reschedule",
            &id,
            "--date",
            "2031-09-02",
            "--reopen",
        ],
        vec!["session", "delete", &id, "--yes"],
    ] {
        let before = env.show_json(&id);
        let planned = plan(&env, &command);
        assert_eq!(env.show_json(&id), before, "the dry run changed nothing");
        let (out, real) = local_writes(&env, &command);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!planned.is_empty());
        assert_same_steps(&planned, &real, None, &command.join(" "));
    }
}

#[test]
fn supabase_plans_equal_the_requests_sent() {
    // A stack of its own: every request its gateway receives is this test's.
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    let class = env.class().to_string();
    let create = [
        "session", "create", "--class", &class, "--date", DATE, "--start", "08:00", "--end",
        "09:00",
    ];
    let mark = stack.received_requests().len();
    let planned = plan(&env, &create);
    assert!(
        stack.received_writes_since(mark).is_empty(),
        "the dry run wrote"
    );
    let mark = stack.received_requests().len();
    let out = env
        .attctl()
        .args(create.iter().copied())
        .args(["-o", "json"])
        .success();
    let id = out.json()["id"].as_i64().expect("id");
    assert_eq!(planned.len(), 1, "{planned:?}");
    assert_same_steps(
        &planned,
        &stack.received_writes_since(mark),
        Some(id),
        "create",
    );

    let id = id.to_string();
    for command in [
        vec!["session", "reschedule", &id, "--end", "10:00"],
        vec!["session", "close", &id],
        vec![
            "session",
            "reschedule",
            &id,
            "--date",
            "2031-09-02",
            "--reopen",
        ],
        vec!["session", "delete", &id, "--yes"],
    ] {
        let mark = stack.received_requests().len();
        let planned = plan(&env, &command);
        assert!(
            stack.received_writes_since(mark).is_empty(),
            "{command:?}: the dry run wrote"
        );
        let mark = stack.received_requests().len();
        env.attctl()
            .args(command.iter().copied())
            .args(["-o", "json"])
            .success();
        let real = stack.received_writes_since(mark);
        assert!(!planned.is_empty());
        assert_same_steps(&planned, &real, None, &command.join(" "));
    }
}
