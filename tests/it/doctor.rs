//! `attctl doctor` against real healthy and broken setups: the embedded SQLite store, the
//! Supabase-like stack (PostgreSQL + PostgREST + gateway) and a scripted Hatchet REST/gRPC
//! endpoint. Every test runs the real binary and reads its JSON report.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use attctl_testkit::{SupabaseStack, jwt};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::common::{Backend, Outcome, TestEnv, doctor_check};

fn doctor(env: &TestEnv) -> crate::common::Cmd {
    env.attctl().args(["doctor", "-o", "json"])
}

fn status<'a>(report: &'a Value, name: &str) -> &'a str {
    doctor_check(report, name)["status"].as_str().unwrap_or("?")
}

fn detail<'a>(report: &'a Value, name: &str) -> &'a str {
    doctor_check(report, name)["detail"].as_str().unwrap_or("")
}

fn assert_status(report: &Value, name: &str, expected: &str) {
    assert_eq!(
        status(report, name),
        expected,
        "check {name}: {:#}",
        doctor_check(report, name)
    );
}

/// Exit 1 after printing every check; the last stderr line counts the failures.
fn assert_failed(out: &Outcome, failing: usize) -> Value {
    let report = out.json();
    assert_eq!(out.code, 1, "exit code; stderr: {}\n{report:#}", out.stderr);
    assert_eq!(report["summary"]["fail"], failing, "{report:#}");
    let noun = if failing == 1 { "check" } else { "checks" };
    assert_eq!(
        out.stderr.trim_end().lines().last(),
        Some(format!("error: doctor found {failing} failing {noun}").as_str()),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    report
}

fn assert_healthy(out: &Outcome) -> Value {
    let report = out.json();
    assert_eq!(
        out.code, 0,
        "doctor failed; stderr: {}\n{report:#}",
        out.stderr
    );
    assert_eq!(report["summary"]["fail"], 0, "{report:#}");
    report
}

fn assert_no_secret(out: &Outcome, secret: &str) {
    attctl_testkit::assert_no_secret(secret, &[("stdout", &out.stdout), ("stderr", &out.stderr)]);
}

// ----- JSON shape -----

#[test]
fn json_and_ndjson_shapes() {
    let env = TestEnv::new(Backend::Local);
    let out = doctor(&env).run();
    let report = assert_healthy(&out);
    let keys: BTreeSet<&str> = report
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["checks", "summary"]));
    let checks = report["checks"].as_array().expect("checks array");
    let mut counts = std::collections::BTreeMap::new();
    for c in checks {
        let fields: BTreeSet<&str> = c
            .as_object()
            .expect("check object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            BTreeSet::from(["name", "status", "detail", "fix"]),
            "{c}"
        );
        let status = c["status"].as_str().expect("status");
        assert!(["ok", "warn", "fail", "skip"].contains(&status), "{c}");
        assert!(!c["detail"].as_str().expect("detail").is_empty(), "{c}");
        if matches!(status, "warn" | "fail") {
            assert!(c["fix"].is_string(), "warn/fail need a fix: {c}");
        } else {
            assert!(c["fix"].is_null(), "{c}");
        }
        *counts.entry(status.to_string()).or_insert(0u64) += 1;
    }
    for status in ["ok", "warn", "fail", "skip"] {
        assert_eq!(
            report["summary"][status].as_u64(),
            Some(counts.get(status).copied().unwrap_or(0)),
            "summary.{status}: {report:#}"
        );
    }

    let nd = env.attctl().args(["doctor", "-o", "ndjson"]).success();
    let lines = nd.ndjson();
    assert_eq!(lines.len(), checks.len());
    for (line, c) in lines.iter().zip(checks) {
        assert_eq!(line["name"], c["name"]);
        assert_eq!(line["status"], c["status"]);
    }

    let table = env.attctl().args(["doctor", "-o", "table"]).success();
    let header = table.stdout.lines().next().unwrap_or_default();
    for column in ["CHECK", "STATUS", "DETAIL", "FIX"] {
        assert!(header.contains(column), "{}", table.stdout);
    }
    assert!(table.stdout.contains("local.worker"), "{}", table.stdout);
    assert!(
        !table.stdout.contains('\x1b'),
        "NO_COLOR is set: {}",
        table.stdout
    );
    assert!(table.stderr.contains("0 failing"), "{}", table.stderr);
}

// ----- local backend -----

#[test]
fn healthy_local_with_a_running_worker() {
    let env = TestEnv::new(Backend::Local);
    env.class(); // creates the data file (mode 600)
    let data_file = env.dir().join("attctl.db");
    let _lock = attctl::worker_lock::WorkerLock::acquire(&data_file).expect("worker lock");
    let report = assert_healthy(&doctor(&env).run());
    for name in [
        "config",
        "config.file",
        "local.data_file",
        "local.permissions",
        "local.open",
        "local.worker",
    ] {
        assert_status(&report, name, "ok");
    }
    assert!(
        detail(&report, "local.worker").contains(&format!("pid {}", std::process::id())),
        "{report:#}"
    );
    assert!(
        detail(&report, "config").contains("data_file="),
        "the config check lists where settings come from: {report:#}"
    );
    assert!(detail(&report, "config").contains("env ATTCTL_DATA_FILE"));
    assert_status(&report, "hatchet", "skip");
}

#[test]
fn local_warnings_do_not_fail() {
    let env = TestEnv::new(Backend::Local);
    let out = doctor(&env).run();
    let report = assert_healthy(&out);
    assert_status(&report, "local.data_file", "warn");
    assert!(detail(&report, "local.data_file").contains("will be created on first use"));
    assert_status(&report, "local.open", "skip");
    assert_status(&report, "local.worker", "warn");
    assert!(
        detail(&report, "local.worker").contains("no attctl-worker is running"),
        "{report:#}"
    );
    assert!(
        !env.dir().join("attctl.db").exists(),
        "doctor must not create the data file"
    );

    // Group/other-readable data file and config file.
    env.class();
    let data_file = env.dir().join("attctl.db");
    chmod(&data_file, 0o644);
    let config = env.dir().join("config/attctl/config.toml");
    std::fs::create_dir_all(config.parent().expect("parent")).expect("config dir");
    std::fs::write(&config, "[profiles.default]\nbackend = \"local\"\n").expect("config");
    chmod(&config, 0o644);
    let report = assert_healthy(&doctor(&env).run());
    assert_status(&report, "local.permissions", "warn");
    assert_eq!(
        doctor_check(&report, "local.permissions")["fix"],
        format!("chmod 600 {}", data_file.display()),
    );
    assert_status(&report, "config.file", "warn");
    assert!(
        detail(&report, "config.file").contains("readable by other users"),
        "{report:#}"
    );
    assert_status(&report, "local.open", "ok");
}

fn chmod(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn broken_configuration_is_reported_not_fatal() {
    let env = TestEnv::new(Backend::Local);
    let out = doctor(&env)
        .env("ATTCTL_TIMEZONE", "Mars/Olympus_Mons")
        .run();
    let report = assert_failed(&out, 1);
    assert_status(&report, "config", "fail");
    assert!(
        detail(&report, "config").contains("Mars/Olympus_Mons"),
        "{report:#}"
    );
    assert_status(&report, "backend", "skip");
}

// ----- Supabase -----

#[test]
fn healthy_supabase() {
    let env = TestEnv::new(Backend::Supabase);
    let stack = SupabaseStack::shared();
    let out = doctor(&env).run();
    let report = assert_healthy(&out);
    for name in [
        "config",
        "supabase.api",
        "supabase.key",
        "supabase.schema",
        "supabase.migrations",
    ] {
        assert_status(&report, name, "ok");
    }
    assert!(
        detail(&report, "supabase.migrations").contains(attctl::commands::doctor::SCHEMA_VERSION),
        "{report:#}"
    );
    assert!(
        detail(&report, "config").contains("hidden) (env SUPABASE_SERVICE_ROLE_KEY)"),
        "the key's source is listed, masked: {report:#}"
    );
    assert_no_secret(&out, &stack.service_role_key());

    // The new opaque secret key works too (not sent as a Bearer token).
    let out = doctor(&env)
        .env("SUPABASE_SERVICE_ROLE_KEY", &stack.secret_key())
        .run();
    let report = assert_healthy(&out);
    assert_status(&report, "supabase.key", "ok");
    assert!(detail(&report, "supabase.key").contains("secret key"));
    assert_no_secret(&out, &stack.secret_key());
}

#[test]
fn wrong_supabase_keys() {
    let env = TestEnv::new(Backend::Supabase);
    let stack = SupabaseStack::shared();

    let anon = stack.anon_key();
    let out = doctor(&env).env("SUPABASE_SERVICE_ROLE_KEY", &anon).run();
    let report = assert_failed(&out, 1);
    assert_status(&report, "supabase.key", "fail");
    assert!(
        detail(&report, "supabase.key").contains("this is the anon key"),
        "{report:#}"
    );
    assert_status(&report, "supabase.schema", "skip");
    assert_no_secret(&out, &anon);

    // A service_role key signed with another secret: only the server can tell.
    let good = stack.service_role_key();
    let forged = format!(
        "{}.{}",
        good.rsplit_once('.').map(|(head, _)| head).unwrap_or(&good),
        URL_SAFE_NO_PAD.encode(b"not the right signature at all!!")
    );
    let out = doctor(&env).env("SUPABASE_SERVICE_ROLE_KEY", &forged).run();
    let report = assert_failed(&out, 1);
    assert_status(&report, "supabase.api", "ok");
    assert_status(&report, "supabase.key", "fail");
    assert!(
        detail(&report, "supabase.key").contains("Supabase rejected the key"),
        "{report:#}"
    );
    assert!(
        doctor_check(&report, "supabase.key")["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("SUPABASE_SERVICE_ROLE_KEY"),
        "{report:#}"
    );
    assert_no_secret(&out, &forged);

    let expired = stack.mint_jwt("service_role", -3600);
    let report = assert_failed(
        &doctor(&env)
            .env("SUPABASE_SERVICE_ROLE_KEY", &expired)
            .run(),
        1,
    );
    assert!(
        detail(&report, "supabase.key").contains("expired"),
        "{report:#}"
    );

    let report = assert_failed(
        &doctor(&env)
            .env("SUPABASE_SERVICE_ROLE_KEY", "sb_secret_thisisnotthekey")
            .run(),
        1,
    );
    assert!(
        detail(&report, "supabase.key").contains("rejected"),
        "{report:#}"
    );
}

#[test]
fn supabase_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut env = TestEnv::new(Backend::Local);
    env.set("SUPABASE_URL", &format!("http://127.0.0.1:{port}"));
    env.set("SUPABASE_SERVICE_ROLE_KEY", "sb_secret_whatever");
    let report = assert_failed(&doctor(&env).run(), 1);
    assert_status(&report, "supabase.api", "fail");
    assert!(
        detail(&report, "supabase.api").contains("could not connect"),
        "{report:#}"
    );
    for name in ["supabase.key", "supabase.schema", "supabase.migrations"] {
        assert_status(&report, name, "skip");
    }
}

#[test]
fn bare_postgrest_url_is_not_a_project_url() {
    let stack = SupabaseStack::shared();
    let mut env = TestEnv::new(Backend::Local);
    env.set("SUPABASE_URL", &stack.postgrest_url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    let report = assert_failed(&doctor(&env).run(), 1);
    assert_status(&report, "supabase.api", "fail");
    assert!(
        detail(&report, "supabase.api").contains("no PostgREST API at"),
        "{report:#}"
    );
    assert!(
        doctor_check(&report, "supabase.api")["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("project URL"),
        "{report:#}"
    );
}

fn env_for(stack: &SupabaseStack) -> TestEnv {
    let mut env = TestEnv::new(Backend::Local);
    env.unset("ATTCTL_DATA_FILE");
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    env
}

/// Runs doctor until `done` holds (PostgREST reloads its schema cache asynchronously).
fn doctor_until(env: &TestEnv, what: &str, done: impl Fn(&Value) -> bool) -> (Outcome, Value) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = doctor(env).run();
        let report = out.json();
        if done(&report) {
            return (out, report);
        }
        assert!(
            Instant::now() < deadline,
            "doctor never reported {what}:\n{report:#}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn postgrest_down_then_back() {
    // A stack of its own: stopping the shared PostgREST would break other tests.
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    let env = env_for(&stack);
    assert_healthy(&doctor(&env).run());

    stack.stop_postgrest();
    let out = doctor(&env).run();
    let report = assert_failed(&out, 1);
    assert_status(&report, "supabase.api", "fail");
    assert!(
        detail(&report, "supabase.api").contains("503"),
        "{report:#}"
    );
    assert_status(&report, "supabase.schema", "skip");

    stack.start_postgrest().expect("PostgREST restarts");
    assert_healthy(&doctor(&env).run());
}

#[test]
fn schema_drift_is_named() {
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    let env = env_for(&stack);
    assert_healthy(&doctor(&env).run());

    stack
        .psql(
            "alter table public.teaching_sessions drop column closed_by; \
             notify pgrst, 'reload schema';",
        )
        .expect("drop a column");
    let (out, report) = doctor_until(&env, "the missing column", |r| {
        status(r, "supabase.schema") == "fail"
    });
    assert_eq!(out.code, 1);
    let text = detail(&report, "supabase.schema");
    assert!(text.contains("closed_by"), "{report:#}");
    assert!(
        doctor_check(&report, "supabase.schema")["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("supabase/migrations"),
        "{report:#}"
    );

    // A database whose schema function reports an older migration.
    stack
        .psql(
            "create or replace function public.attctl_schema_info() returns json \
             language sql stable set search_path = '' as \
             $$ select json_build_object('version', '20200101000000', \
             'unvalidated_constraints', '[]'::json, 'missing_constraints', '[]'::json) $$; \
             notify pgrst, 'reload schema';",
        )
        .expect("old schema version");
    let (_, report) = doctor_until(&env, "the old migration", |r| {
        status(r, "supabase.migrations") == "fail"
    });
    assert!(
        detail(&report, "supabase.migrations").contains("20200101000000"),
        "{report:#}"
    );

    stack
        .psql(
            "drop table public.session_warning_runs; drop table public.teaching_sessions cascade; \
             drop function public.attctl_schema_info(); \
             notify pgrst, 'reload schema';",
        )
        .expect("drop the table");
    let (_, report) = doctor_until(&env, "the missing table", |r| {
        detail(r, "supabase.schema").contains("table teaching_sessions is missing")
            && status(r, "supabase.migrations") == "fail"
    });
    assert!(
        detail(&report, "supabase.migrations").contains("missing"),
        "{report:#}"
    );
}

// ----- Hatchet -----

#[test]
fn malformed_hatchet_token() {
    let env = TestEnv::new(Backend::Local);
    let out = doctor(&env).env("HATCHET_CLIENT_TOKEN", "garbage").run();
    let report = assert_failed(&out, 2);
    assert_status(&report, "config", "fail");
    assert_status(&report, "hatchet.token", "fail");
    assert!(
        detail(&report, "hatchet.token").contains("not a valid Hatchet token"),
        "{report:#}"
    );
    for name in [
        "hatchet.api",
        "hatchet.grpc",
        "hatchet.task",
        "hatchet.worker",
    ] {
        assert_status(&report, name, "skip");
    }
    // The backend is still checked, without the broken token.
    assert_status(&report, "local.worker", "warn");
    assert!(!out.stdout.contains("garbage") && !out.stderr.contains("garbage"));
}

/// How the scripted Hatchet answers.
#[derive(Clone)]
struct Script {
    token: String,
    workflows: Value,
    workers: (u16, Value),
}

/// A scripted Hatchet REST API (the engine's routes and shapes) on a loopback port; it
/// records the request lines it served.
struct FakeHatchet {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl FakeHatchet {
    fn seen(&self) -> Vec<String> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

fn serve(stream: TcpStream, script: &Script, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut authorization = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("authorization")
        {
            authorization = value.trim().to_string();
        }
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    if let Ok(mut log) = log.lock() {
        log.push(format!(
            "{} {target}",
            request_line.split_whitespace().next().unwrap_or_default()
        ));
    }
    let path = target.split('?').next().unwrap_or_default();
    let tenant = "/api/v1/tenants/707d0855-80ab-4e1f-a156-f1c4546cbf52";
    let (status, body) = if authorization != format!("Bearer {}", script.token) {
        (403, json!({"errors": [{"description": "forbidden"}]}))
    } else if path == format!("{tenant}/workflows/scheduled") {
        (
            200,
            json!({"rows": [], "pagination": {"current_page": 1, "num_pages": 1}}),
        )
    } else if path == format!("{tenant}/workflows") {
        (200, script.workflows.clone())
    } else if path == format!("{tenant}/worker") {
        script.workers.clone()
    } else {
        (404, json!({"errors": [{"description": "not found"}]}))
    };
    let body = body.to_string();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn healthy_script(token: &str) -> Script {
    Script {
        token: token.to_string(),
        workflows: json!({"rows": [{"metadata": {"id": "w-1"}, "name": "close-teaching-session"}],
                          "pagination": {"current_page": 1, "num_pages": 1}}),
        workers: (
            200,
            json!({"rows": [{"metadata": {"id": "k-1"}, "name": "attctl-worker-host1",
                             "type": "SELFHOSTED", "status": "ACTIVE",
                             "actions": ["close-teaching-session:close-teaching-session"]}]}),
        ),
    }
}

fn far_future() -> i64 {
    chrono::Utc::now().timestamp() + 365 * 24 * 3600
}

#[test]
fn hatchet_healthy_and_broken() {
    // The gRPC side only needs to accept TCP connections for this check.
    let grpc = TcpListener::bind("127.0.0.1:0").expect("bind grpc");
    let grpc_port = grpc.local_addr().expect("addr").port();

    // Healthy: token accepted, task registered, one worker running it.
    let (hatchet, token) = start_fake_with_token(grpc_port, healthy_script);

    let env = TestEnv::new(Backend::Local);
    let out = doctor(&env)
        .env("HATCHET_CLIENT_TOKEN", &token)
        .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
        .run();
    let report = assert_healthy(&out);
    for name in [
        "hatchet.token",
        "hatchet.api",
        "hatchet.grpc",
        "hatchet.task",
        "hatchet.worker",
    ] {
        assert_status(&report, name, "ok");
    }
    assert!(detail(&report, "hatchet.worker").contains("attctl-worker-host1"));
    assert!(detail(&report, "hatchet.grpc").contains("not TLS or gRPC"));
    assert_no_secret(&out, &token);
    let seen = hatchet.seen();
    let tenant = "/api/v1/tenants/707d0855-80ab-4e1f-a156-f1c4546cbf52";
    for expected in [
        format!("GET {tenant}/workflows/scheduled?limit=1"),
        format!("GET {tenant}/workflows?name=close-teaching-session&limit=200"),
        format!("GET {tenant}/worker?limit=200"),
    ] {
        assert!(seen.contains(&expected), "{expected} not in {seen:?}");
    }

    // Task not registered, no worker connected, worker list not visible.
    let (_hatchet, token) = start_fake_with_token(grpc_port, |t| Script {
        workflows: json!({"rows": [], "pagination": {"current_page": 1, "num_pages": 1}}),
        workers: (200, json!({"rows": []})),
        ..healthy_script(t)
    });
    let report = assert_failed(&doctor(&env).env("HATCHET_CLIENT_TOKEN", &token).run(), 1);
    assert_status(&report, "hatchet.task", "fail");
    assert_status(&report, "hatchet.worker", "warn");
    let (_hatchet, token) = start_fake_with_token(grpc_port, |t| Script {
        workers: (404, json!({"errors": [{"description": "not found"}]})),
        ..healthy_script(t)
    });
    let report = assert_healthy(&doctor(&env).env("HATCHET_CLIENT_TOKEN", &token).run());
    assert_status(&report, "hatchet.worker", "skip");
    assert!(detail(&report, "hatchet.worker").contains("cannot be seen"));

    // A token the engine does not accept.
    let (_hatchet, token) = start_fake_with_token(grpc_port, |t| Script {
        token: format!("{t}-other"),
        ..healthy_script(t)
    });
    let out = doctor(&env).env("HATCHET_CLIENT_TOKEN", &token).run();
    let report = assert_failed(&out, 1);
    assert_status(&report, "hatchet.api", "fail");
    assert!(detail(&report, "hatchet.api").contains("rejected the token"));
    assert_status(&report, "hatchet.task", "skip");
    assert_no_secret(&out, &token);

    // gRPC port closed.
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let (_hatchet, token) = start_fake_with_token(closed, healthy_script);
    let report = assert_failed(&doctor(&env).env("HATCHET_CLIENT_TOKEN", &token).run(), 1);
    assert_status(&report, "hatchet.grpc", "fail");
    assert_status(&report, "hatchet.api", "ok");

    // Expired token: nothing else is tried.
    let (hatchet, _) = start_fake_with_token(grpc_port, healthy_script);
    let expired = jwt::hatchet_token(
        &format!("http://127.0.0.1:{}", hatchet.port),
        &format!("127.0.0.1:{grpc_port}"),
        1_000_000_000,
    );
    let report = assert_failed(&doctor(&env).env("HATCHET_CLIENT_TOKEN", &expired).run(), 1);
    assert_status(&report, "hatchet.token", "fail");
    assert!(detail(&report, "hatchet.token").contains("expired"));
    assert_status(&report, "hatchet.api", "skip");
    drop(grpc);
}

/// Starts a scripted Hatchet whose token names its own REST port.
fn start_fake_with_token(grpc_port: u16, script: impl Fn(&str) -> Script) -> (FakeHatchet, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake Hatchet");
    let port = listener.local_addr().expect("addr").port();
    let token = jwt::hatchet_token(
        &format!("http://127.0.0.1:{port}"),
        &format!("127.0.0.1:{grpc_port}"),
        far_future(),
    );
    let script = script(&token);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = serve(stream, &script, &log);
        }
    });
    (FakeHatchet { port, seen }, token)
}

/// The project's Hatchet test engine (real token format, real REST pipeline, and a real
/// attctl-worker registering the task): unregistered, then registered with a live worker.
#[test]
fn hatchet_test_engine() {
    use hatchet_test_engine::{EngineConfig, TestEngine};
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::default()))
        .expect("test engine");
    let env = TestEnv::new(Backend::Local);
    let run = |token: &str| {
        doctor(&env)
            .env("HATCHET_CLIENT_TOKEN", token)
            .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
            .run()
    };

    // No worker yet: scheduling would fail, and doctor says so.
    let token = engine.token();
    let out = run(&token);
    let report = assert_failed(&out, 1);
    for name in ["hatchet.token", "hatchet.api", "hatchet.grpc"] {
        assert_status(&report, name, "ok");
    }
    assert!(
        detail(&report, "hatchet.token").contains(&engine.tenant_id().to_string()),
        "{report:#}"
    );
    assert_status(&report, "hatchet.task", "fail");
    assert_status(&report, "hatchet.worker", "warn");
    assert_no_secret(&out, &token);
    // Only asked about when warnings are configured.
    assert!(
        report["checks"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| c["name"] != "hatchet.warn_task")),
        "{report:#}"
    );
    let warning = |token: &str| {
        doctor(&env)
            .env("HATCHET_CLIENT_TOKEN", token)
            .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
            .env("ATTCTL_WARN_BEFORE", "10m")
            .run()
    };
    let report = assert_failed(&warning(&token), 1);
    assert_status(&report, "hatchet.warn_task", "warn");
    assert!(
        detail(&report, "hatchet.warn_task").contains("ATTCTL_WARN_BEFORE"),
        "{report:#}"
    );

    // A real attctl-worker registers the task and stays connected.
    let worker_bin = crate::common::binary("attctl-worker");
    let mut worker = std::process::Command::new(worker_bin)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ATTCTL_DATA_FILE", env.dir().join("attctl.db"))
        .env("ATTCTL_CONFIG", env.dir().join("none.toml"))
        .env("ATTCTL_TIMEZONE", "UTC")
        .env("HATCHET_CLIENT_TOKEN", &token)
        .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
        .env("ATTCTL_WORKER_NAME", "doctor-test-worker")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn attctl-worker");
    let connected = runtime.block_on(engine.wait_for(
        |e| {
            e.workflows()
                .iter()
                .any(|w| w.name == "close-teaching-session")
                && e.workers().iter().any(|w| w.connected && w.heartbeats > 0)
        },
        std::time::Duration::from_secs(30),
    ));
    let out = run(&token);
    let with_warnings = warning(&token);
    let _ = worker.kill();
    let _ = worker.wait();
    connected.expect("the worker registers and connects");
    let report = assert_healthy(&with_warnings);
    assert_status(&report, "hatchet.warn_task", "ok");
    let report = assert_healthy(&out);
    assert_status(&report, "hatchet.task", "ok");
    assert_status(&report, "hatchet.worker", "ok");
    assert!(
        detail(&report, "hatchet.worker").contains("doctor-test-worker"),
        "{report:#}"
    );
    assert_no_secret(&out, &token);

    let report = assert_failed(&run(&engine.mint_forged_token()), 1);
    assert_status(&report, "hatchet.api", "fail");
    assert!(
        detail(&report, "hatchet.api").contains("rejected the token"),
        "{report:#}"
    );

    let report = assert_failed(&run(&engine.mint_expired_token()), 1);
    assert_status(&report, "hatchet.token", "fail");

    let (_, other) = engine.create_tenant();
    engine.revoke_token(&other);
    let report = assert_failed(&run(&other), 1);
    assert_status(&report, "hatchet.api", "fail");

    runtime.block_on(engine.stop());
    let report = assert_failed(&run(&token), 2);
    assert_status(&report, "hatchet.api", "fail");
    assert_status(&report, "hatchet.grpc", "fail");
}

#[test]
fn supabase_counts_open_sessions_with_legacy_task_ids() {
    let env = TestEnv::new(Backend::Supabase);
    let stack = SupabaseStack::shared();
    let class = env.class();
    // As the original app leaves them: placeholders, not run ids.
    stack
        .psql(&format!(
            "insert into teaching_sessions \
               (class_id, session_date, start_time, end_time, timezone, scheduled_task_id) \
             values ({class}, '2031-03-01', '08:00', '09:00', 'UTC', 'mock-task-1-1930208400'), \
                    ({class}, '2031-03-01', '10:00', '11:00', 'UTC', 'mock-task-2-1930215600'), \
                    ({class}, '2031-03-01', '12:00', '13:00', 'UTC', \
                     '8f0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'), \
                    ({class}, '2031-03-01', '14:00', '15:00', 'UTC', 'claim:w:1')"
        ))
        .expect("psql");
    let out = doctor(&env).run();
    let report = assert_healthy(&out);
    assert_status(&report, "supabase.legacy_tasks", "ok");
    let text = detail(&report, "supabase.legacy_tasks");
    // Other tests of this process may add their own; this one added two.
    let n: u64 = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text:?}"));
    assert!(n >= 2, "{text}");
    assert!(
        text.contains("with legacy task ids") && text.contains("the sweep plans real runs"),
        "{text}"
    );
    stack
        .psql(&format!(
            "delete from teaching_sessions where class_id = {class}"
        ))
        .expect("psql");
}

/// A Hatchet test engine (on `runtime`) whose only worker registered
/// close-teaching-session and never takes a run, and an environment on `backend` that
/// schedules there.
fn deaf_worker_engine(
    runtime: &tokio::runtime::Runtime,
    backend: Backend,
) -> (hatchet_test_engine::TestEngine, TestEnv) {
    use hatchet_test_engine::{EngineConfig, TestEngine};
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::fast()))
        .expect("test engine");
    engine
        .deaf_worker(
            "deaf-worker",
            "close-teaching-session",
            "close-teaching-session",
        )
        .expect("deaf worker");
    let mut env = TestEnv::new(backend);
    env.set("HATCHET_CLIENT_TOKEN", &engine.token());
    env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
    (engine, env)
}

/// A session of a new class on `date`, 08:00-09:00, planned as a Hatchet run.
fn hatchet_planned_session(env: &TestEnv, date: &str) -> Value {
    let class = env.class().to_string();
    let session = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class", &class])
        .args(["--date", date, "--start", "08:00", "--end", "09:00"])
        .success()
        .json();
    let run = session["scheduled_task_id"].as_str().unwrap_or_default();
    assert!(uuid::Uuid::parse_str(run).is_ok(), "{session}");
    session
}

/// A worker that heartbeats but takes no run (what an engine crash leaves of an SDK 0.2.8
/// worker) is listed ACTIVE by the engine: doctor must look at whether runs were taken.
#[test]
fn a_worker_that_heartbeats_but_takes_no_runs_fails_the_worker_check() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (engine, env) = deaf_worker_engine(&runtime, Backend::Local);

    // A session planned as a Hatchet run, then (as if its end had come and gone five
    // minutes ago with the run offered to the only worker, which never took it) moved
    // into the past in the data file.
    let session = hatchet_planned_session(&env, "2031-05-05");
    let ended = (chrono::Utc::now() - chrono::Duration::minutes(5))
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string();
    let db = rusqlite::Connection::open(env.dir().join("attctl.db")).expect("data file");
    let moved = db
        .execute(
            "UPDATE teaching_sessions SET closes_at = ?1 WHERE id = ?2",
            rusqlite::params![ended, session["id"].as_i64()],
        )
        .expect("update");
    assert_eq!(moved, 1);
    drop(db);

    let out = doctor(&env).run();
    let report = out.json();
    assert_status(&report, "hatchet.worker", "fail");
    let text = detail(&report, "hatchet.worker");
    assert!(text.contains("deaf-worker"), "{text}");
    assert!(text.contains("take no runs"), "{text}");
    assert_no_secret(&out, &engine.token());
}

/// The same on Supabase: the counts come from PostgreSQL (`count=exact`).
#[test]
fn on_supabase_a_worker_that_takes_no_runs_fails_the_worker_check() {
    let ended = chrono::Utc::now() - chrono::Duration::minutes(5);
    let started = ended - chrono::Duration::minutes(30);
    if started.date_naive() != ended.date_naive() {
        return; // Too close to midnight UTC for a one-day session; nothing to check.
    }
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let (_engine, env) = deaf_worker_engine(&runtime, Backend::Supabase);
    let session = hatchet_planned_session(&env, "2031-05-06");
    // Its end moved five minutes into the past (the trigger recomputes closes_at).
    let stack = SupabaseStack::shared();
    stack
        .psql(&format!(
            "update teaching_sessions set session_date = '{}', start_time = '{}', \
             end_time = '{}' where id = {}",
            ended.format("%Y-%m-%d"),
            started.format("%H:%M:%S"),
            ended.format("%H:%M:%S"),
            session["id"]
        ))
        .expect("psql");

    let out = doctor(&env).run();
    let report = out.json();
    let worker = doctor_check(&report, "hatchet.worker");
    // Other tests of this process may have sessions closed by their run in the window:
    // then it is a warning, never a pass.
    assert!(
        worker["status"] == "fail" || worker["status"] == "warn",
        "{report:#}"
    );
    assert!(
        detail(&report, "hatchet.worker").contains("deaf-worker"),
        "{report:#}"
    );
    stack
        .psql(&format!(
            "delete from teaching_sessions where class_id = {}",
            session["class_id"]
        ))
        .expect("psql");
}

// ----- the school's zone -----

fn doctor_says_when_the_school_has_no_zone(env: TestEnv) {
    let doctor = env.attctl().args(["doctor", "-o", "json"]).run().json();
    let check = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "school.timezone")
        .cloned();
    // A local data file that does not exist yet has no settings to read.
    if env.backend == Backend::Local && check.is_none() {
        return;
    }
    let check = check.unwrap_or_else(|| panic!("school.timezone in {doctor}"));
    assert_eq!(check["status"], "warn", "{check}");
    assert!(
        check["fix"]
            .as_str()
            .unwrap()
            .contains("attctl school set --timezone"),
        "{check}"
    );
}

#[test]
fn doctor_without_a_school_zone_local() {
    let env = TestEnv::new(Backend::Local);
    env.class();
    doctor_says_when_the_school_has_no_zone(env);
}

#[test]
fn doctor_without_a_school_zone_supabase() {
    doctor_says_when_the_school_has_no_zone(TestEnv::new(Backend::Supabase));
}

// ----- text from servers -----

/// What a hostile or broken server might answer: a window title, a screen clear, a colour.
const ESCAPES: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mgo away";

/// Serves one answer to every connection on a loopback port: `reply` gets what the
/// client sent first, and gives the bytes to write back.
fn one_answer(reply: fn(&[u8]) -> Vec<u8>, read_first: bool) -> u16 {
    use std::io::Read;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_millis(500)))
                .ok();
            let mut got = Vec::new();
            if read_first {
                let mut buf = [0u8; 8192];
                // The request: headers, then as much body as arrives within the timeout.
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got);
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length = head
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            break;
                        }
                    }
                }
            }
            let _ = stream.write_all(&reply(&got));
            let _ = stream.flush();
        }
    });
    port
}

fn assert_no_raw_escapes(what: &str, out: &Outcome) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{what}: raw control characters on {stream}: {text:?}"
        );
    }
}

/// `notify test` shows the receiver's answer, and `doctor` and `notify test` the mail
/// server's: with their control characters escaped, so an answer cannot drive the terminal
/// of whoever runs them.
#[test]
fn servers_answers_are_printed_with_control_characters_escaped() {
    let env = TestEnv::new(Backend::Local);
    let webhook = one_answer(
        |_| {
            let body = format!("accepted {ESCAPES}");
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        },
        true,
    );
    let out = env
        .attctl()
        .env(
            "ATTCTL_WEBHOOK_URL",
            &format!("http://127.0.0.1:{webhook}/hook"),
        )
        .args(["notify", "test", "--channel", "webhook", "-o", "table"])
        .success();
    assert_no_raw_escapes("notify test (webhook)", &out);
    assert!(
        out.stdout.contains("\\u{1b}]0;owned\\u{7}"),
        "{}",
        out.stdout
    );

    let smtp = one_answer(|_| format!("554 5.7.1 {ESCAPES}\r\n").into_bytes(), false);
    let mail = |cmd: crate::common::Cmd| {
        cmd.env("ATTCTL_SMTP_URL", &format!("smtp://127.0.0.1:{smtp}"))
            .env("ATTCTL_MAIL_FROM", "attctl@school.example")
            .env("ATTCTL_MAIL_TO", "office@school.example")
            .run()
    };
    let out = mail(env.attctl().args(["doctor", "-o", "table"]));
    assert_eq!(out.code, 1, "the email check fails: {}", out.stdout);
    assert_no_raw_escapes("doctor", &out);
    assert!(out.stdout.contains("notify.email"), "{}", out.stdout);
    let out = mail(
        env.attctl()
            .args(["notify", "test", "--channel", "email", "-o", "table"]),
    );
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert_no_raw_escapes("notify test (email)", &out);
}
