//! `attctl doctor`'s `hatchet.limits` against the Hatchet test engine enforcing a task-run
//! limit (as the engine does with `SERVER_ENFORCE_LIMITS=true`): the runs planned for the
//! next 24 hours (a close run per session, a warning run per offset) against what the
//! engine accepts, from its resource policy or from `ATTCTL_HATCHET_RUN_LIMIT`, and a
//! window already used up. One policy request per doctor run, however many sessions.

use std::time::Duration;

use hatchet_test_engine::{EngineConfig, TestEngine, routes};
use serde_json::Value;

use crate::common::{Outcome, TestEnv, avoid_midnight, doctor_check, in_secs};

fn check(out: &Outcome) -> Value {
    doctor_check(&out.json(), "hatchet.limits").clone()
}

/// A local store with `n` Open sessions closing within the next 24 hours.
fn env_with_sessions(n: i64) -> TestEnv {
    let env = TestEnv::local();
    let class = env.class();
    for i in 0..n {
        env.session_ending_at(class, in_secs(300 + i * 60), Duration::from_secs(30));
    }
    env
}

fn doctor(env: &TestEnv, engine: &TestEngine, extra: &[(&str, &str)]) -> Outcome {
    let mut cmd = env
        .attctl()
        .args(["doctor", "-o", "json"])
        .env("HATCHET_CLIENT_TOKEN", &engine.token())
        .env("HATCHET_CLIENT_TLS_STRATEGY", "none");
    for (k, v) in extra {
        cmd = cmd.env(k, v);
    }
    cmd.run()
}

#[test]
fn doctor_compares_the_days_runs_with_the_engines_task_run_limit() {
    avoid_midnight(Duration::from_secs(900));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::fast()))
        .expect("test engine");
    let env = env_with_sessions(6);

    // No limit enforced: the policy lists none.
    let out = doctor(&env, &engine, &[]);
    let limits = check(&out);
    assert_eq!(limits["status"], "ok", "{limits}");
    assert!(
        limits["detail"]
            .as_str()
            .is_some_and(|d| d.contains("6 runs planned") && d.contains("no task-run limit")),
        "{limits}"
    );

    // Enforced at 10 a day: six close runs fit; with two warnings each (18 runs) they do not.
    engine.set_task_run_limit(Some(10));
    let before = engine.request_count(routes::RESOURCE_POLICY);
    let limits = check(&doctor(&env, &engine, &[]));
    assert_eq!(limits["status"], "ok", "{limits}");
    assert!(
        limits["detail"].as_str().is_some_and(|d| d.contains("10")),
        "{limits}"
    );
    assert_eq!(
        engine.request_count(routes::RESOURCE_POLICY) - before,
        1,
        "one policy request per doctor run, not one per session"
    );
    let limits = check(&doctor(&env, &engine, &[("ATTCTL_WARN_BEFORE", "10m,2m")]));
    assert_eq!(limits["status"], "warn", "{limits}");
    let detail = limits["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("18 runs planned") && detail.contains("6 sessions"),
        "{limits}"
    );
    assert!(
        limits["fix"]
            .as_str()
            .is_some_and(|f| f.contains("SERVER_LIMITS_DEFAULT_TASK_RUN_LIMIT")),
        "{limits}"
    );

    // A configured limit is what the operator says the engine enforces: past it, a failure.
    let out = doctor(&env, &engine, &[("ATTCTL_HATCHET_RUN_LIMIT", "5")]);
    let limits = check(&out);
    assert_eq!(limits["status"], "fail", "{limits}");
    assert!(
        limits["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ATTCTL_HATCHET_RUN_LIMIT") && d.contains('5')),
        "{limits}"
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let limits = check(&doctor(
        &env,
        &engine,
        &[
            ("ATTCTL_HATCHET_RUN_LIMIT", "50000"),
            ("ATTCTL_WARN_BEFORE", "10m,2m"),
        ],
    ));
    assert_eq!(limits["status"], "ok", "{limits}");

    // A limit that is not a number: one clear line, nothing checked against it.
    let out = doctor(&env, &engine, &[("ATTCTL_HATCHET_RUN_LIMIT", "lots")]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("ATTCTL_HATCHET_RUN_LIMIT")
            || out.stdout.contains("ATTCTL_HATCHET_RUN_LIMIT"),
        "stdout: {}\nstderr: {}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn doctor_fails_when_the_engine_has_used_up_its_window_and_refuses_runs() {
    avoid_midnight(Duration::from_secs(900));
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::fast()))
        .expect("test engine");
    engine
        .deaf_worker(
            "limits-test",
            "close-teaching-session",
            "close-teaching-session",
        )
        .expect("workflow registered");
    engine.set_task_run_limit(Some(3));
    // Five runs due now: the engine creates three and refuses the rest.
    let http = reqwest::Client::new();
    runtime.block_on(async {
        for i in 0..5 {
            let resp = http
                .post(format!(
                    "{}/api/v1/tenants/{}/workflows/close-teaching-session/scheduled",
                    engine.rest_url(),
                    engine.tenant_id()
                ))
                .bearer_auth(engine.token())
                .json(&serde_json::json!({
                    "input": {"session_id": 1000 + i},
                    "additionalMetadata": {},
                    "triggerAt": chrono::Utc::now().to_rfc3339(),
                }))
                .send()
                .await
                .expect("schedule");
            assert!(resp.status().is_success(), "{}", resp.status());
        }
    });
    runtime
        .block_on(engine.wait_for(|e| e.refused_runs() >= 2, Duration::from_secs(10)))
        .expect("runs past the limit refused");
    assert_eq!(engine.runs().len(), 3);

    let env = env_with_sessions(1);
    let out = doctor(&env, &engine, &[]);
    let limits = check(&out);
    assert_eq!(limits["status"], "fail", "{limits}");
    let detail = limits["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("used 3 of its 3") && detail.contains("refuses new runs"),
        "{limits}"
    );
    assert!(detail.contains("1 runs planned"), "{limits}");
    assert_eq!(out.code, 1, "{}", out.stderr);
}
