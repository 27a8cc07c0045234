//! attctl against Supabase's real URL layout and failure modes: keys, the gateway, a
//! missing schema, and PostgREST going away. Uses the real PostgreSQL + PostgREST stack.

use crate::common::{Backend, TestEnv};
use attctl_testkit::SupabaseStack;

fn env_with_key(key: &str) -> TestEnv {
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_SERVICE_ROLE_KEY", key);
    env
}

#[test]
fn new_style_secret_keys_work_without_bearer() {
    // A stack of its own, so that every request it receives is this test's.
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_URL", &stack.url());
    env.unset("SUPABASE_SERVICE_ROLE_KEY");
    env.set("SUPABASE_SECRET_KEY", &stack.secret_key());
    let class = env.class();
    let s = env.session(class, "2030-08-01", "08:00", "09:00");
    assert_eq!(s["status"], "Open");

    // What attctl sent: the key as apikey, and no Authorization at all (an opaque key is
    // not a JWT; Supabase refuses one sent as a Bearer token unless it repeats the apikey).
    let received = stack.received_requests();
    assert!(received.len() >= 2, "{received:?}");
    for request in &received {
        assert_eq!(
            request.apikey.as_deref(),
            Some(stack.secret_key().as_str()),
            "{request:?}"
        );
        assert_eq!(request.authorization, None, "{request:?}");
    }
}

#[test]
fn the_gateway_refuses_an_opaque_bearer_token_like_supabase() {
    // The same check from the other side: a client that sends a non-JWT Bearer value other
    // than its apikey is refused, so a test through this gateway cannot hide that bug.
    let stack = SupabaseStack::shared();
    let url = format!("{}/rest/v1/classes?select=id&limit=1", stack.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = reqwest::Client::new();
    let status = |auth: Option<String>| -> u16 {
        let mut request = client.get(&url).header("apikey", stack.secret_key());
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        runtime
            .block_on(request.send())
            .expect("the gateway answers")
            .status()
            .as_u16()
    };
    assert_eq!(status(None), 200);
    assert_eq!(status(Some(format!("Bearer {}", stack.secret_key()))), 200);
    assert_eq!(status(Some("Bearer sb_secret_someone_else".into())), 401);
}

#[test]
fn url_may_be_given_with_rest_v1_and_a_trailing_slash() {
    let stack = SupabaseStack::shared();
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_URL", &format!("{}/rest/v1/", stack.url()));
    env.attctl().args(["class", "list", "-o", "json"]).success();
}

#[test]
fn rejected_keys_exit_with_the_auth_code_and_never_echo_the_key() {
    let stack = SupabaseStack::shared();
    for (key, needle) in [
        (stack.mint_jwt("service_role", -120), "rejected the key"),
        (stack.anon_key(), "not allowed"),
        ("sb_secret_definitely_wrong".to_string(), "rejected the key"),
    ] {
        let out = env_with_key(&key).attctl().args(["session", "list"]).run();
        out.assert_one_line_error(5, needle);
        attctl_testkit::assert_no_secret(&key, &[("stdout", &out.stdout), ("stderr", &out.stderr)]);
    }
}

#[test]
fn a_url_without_a_key_is_a_config_error() {
    let mut env = TestEnv::new(Backend::Supabase);
    env.unset("SUPABASE_SERVICE_ROLE_KEY");
    env.attctl()
        .args(["session", "list"])
        .run()
        .assert_one_line_error(1, "no key");
}

#[test]
fn unreachable_supabase_is_reported_as_unavailable() {
    let mut env = TestEnv::new(Backend::Supabase);
    // A loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    env.set("SUPABASE_URL", &format!("http://127.0.0.1:{port}"));
    env.attctl()
        .args(["session", "list"])
        .run()
        .assert_one_line_error(6, "could not connect");
}

/// A private stack, so that breaking it does not disturb the other tests.
#[test]
fn postgrest_down_and_missing_migrations_are_explained() {
    let stack = SupabaseStack::start().expect("private stack");
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    env.set("ATTCTL_HTTP_TIMEOUT", "5");
    env.attctl().args(["class", "list"]).success();

    stack.stop_postgrest();
    env.attctl()
        .args(["class", "list"])
        .run()
        .assert_one_line_error(6, "unavailable");
    stack.start_postgrest().expect("restart PostgREST");
    env.attctl().args(["class", "list"]).success();

    stack
        .psql(
            "drop table session_warning_runs; drop table teaching_sessions cascade; \
             notify pgrst, 'reload schema';",
        )
        .expect("drop table");
    // PostgREST reloads its schema cache asynchronously.
    let mut last = None;
    for _ in 0..50 {
        let out = env.attctl().args(["session", "list"]).run();
        if out.code == 1 {
            last = Some(out);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    last.expect("schema error within 5 s")
        .assert_one_line_error(1, "apply supabase/migrations");
}

/// `session create` makes one write request: the insert, carrying its run id.
#[test]
fn create_makes_one_write_request() {
    let stack = SupabaseStack::start().expect("private stack");
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_URL", &stack.url());
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());
    let class = env.class();
    let before = stack.api_requests();
    let s = env.session(class, "2030-10-01", "08:00", "09:00");
    assert!(
        s["scheduled_task_id"]
            .as_str()
            .unwrap()
            .starts_with("local-")
    );
    let after = stack.api_requests();
    let sent: Vec<(String, u64)> = after
        .into_iter()
        .map(|(k, n)| (k.clone(), n - before.get(&k).copied().unwrap_or(0)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(
        sent,
        vec![("POST /rest/v1/teaching_sessions".to_string(), 1)],
        "exactly one request, a POST"
    );
}
