//! The Supabase-like stack: gateway key handling, PostgREST behaviour our clients rely on,
//! and the migration (fresh install, upgrade of the original tables, trigger, constraints).

use std::sync::atomic::{AtomicU32, Ordering};

use attctl_testkit::SupabaseStack;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A name no other test of this process uses (they all share one stack).
fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix} {} {}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn rest(stack: &SupabaseStack, path: &str) -> String {
    format!("{}/rest/v1/{path}", stack.url())
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request to the gateway");
    Answer {
        status: response.status(),
        headers: response.headers().clone(),
        text: response.text().await.expect("response body"),
    }
}

/// A request with the legacy service_role key, as the CLI sends it.
fn as_service(stack: &SupabaseStack, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    let key = stack.service_role_key();
    request.header("apikey", &key).bearer_auth(&key)
}

async fn insert_class(stack: &SupabaseStack, name: &str) -> i64 {
    let client = reqwest::Client::new();
    let answer = send(
        as_service(stack, client.post(rest(stack, "classes")))
            .header("Prefer", "return=representation")
            .json(&json!({ "name": name })),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    answer.json()[0]["id"].as_i64().expect("class id")
}

async fn insert_session(stack: &SupabaseStack, row: Value) -> Answer {
    let client = reqwest::Client::new();
    send(
        as_service(stack, client.post(rest(stack, "teaching_sessions")))
            .header("Prefer", "return=representation")
            .json(&row),
    )
    .await
}

#[tokio::test]
async fn service_key_inserts_and_reads_back() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let class_id = insert_class(stack, &unique("Round trip")).await;
    let created = insert_session(
        stack,
        json!({
            "class_id": class_id, "session_date": "2030-05-06", "start_time": "10:00",
            "end_time": "11:15", "timezone": "Europe/Paris",
        }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.json()[0]["id"].as_i64().expect("session id");

    let read = send(
        as_service(
            stack,
            client.get(rest(stack, &format!("teaching_sessions?id=eq.{id}"))),
        )
        .header("Accept", "application/vnd.pgrst.object+json"),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let row = read.json();
    assert_eq!(row["class_id"], class_id);
    assert_eq!(row["session_date"], "2030-05-06");
    assert_eq!(row["start_time"], "10:00:00");
    assert_eq!(row["end_time"], "11:15:00");
    assert_eq!(row["status"], "Open");
    assert_eq!(row["timezone"], "Europe/Paris");
    // 11:15 CEST.
    assert_eq!(row["closes_at"], "2030-05-06T09:15:00+00:00");
    assert_eq!(row["closed_at"], Value::Null);
    assert_eq!(row["closed_by"], Value::Null);
    assert_eq!(row["scheduled_task_id"], Value::Null);

    // Content-Range and the 200/206 status come through the gateway unchanged.
    let counted = send(
        as_service(
            stack,
            client.get(rest(
                stack,
                &format!("teaching_sessions?class_id=eq.{class_id}"),
            )),
        )
        .header("Prefer", "count=exact"),
    )
    .await;
    assert_eq!(counted.status, StatusCode::OK);
    assert_eq!(counted.header("content-range"), Some("0-0/1"));
}

#[tokio::test]
async fn gateway_rejects_requests_like_supabase() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();

    let no_key = send(client.get(rest(stack, "classes"))).await;
    assert_eq!(no_key.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        no_key.json(),
        json!({ "message": "No API key found in request" })
    );

    // Even with a valid bearer token: the gateway wants the apikey header.
    let bearer_only = send(
        client
            .get(rest(stack, "classes"))
            .bearer_auth(stack.service_role_key()),
    )
    .await;
    assert_eq!(bearer_only.status, StatusCode::UNAUTHORIZED);

    let unknown = send(
        client
            .get(rest(stack, "classes"))
            .header("apikey", "sb_secret_not_the_right_one"),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.json(), json!({ "message": "Invalid API key" }));

    let elsewhere = send(
        client
            .get(format!("{}/storage/v1/bucket", stack.url()))
            .header("apikey", stack.service_role_key()),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let root = send(
        client
            .get(format!("{}/classes", stack.url()))
            .header("apikey", stack.service_role_key()),
    )
    .await;
    assert_eq!(root.status, StatusCode::NOT_FOUND);

    // Bare PostgREST serves the same table at its root and ignores apikey.
    let bare = send(
        client
            .get(format!("{}/classes?limit=1", stack.postgrest_url()))
            .bearer_auth(stack.service_role_key()),
    )
    .await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.text);
}

#[tokio::test]
async fn anon_and_authenticated_cannot_read_sessions() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let class_id = insert_class(stack, &unique("Hidden")).await;
    let created = insert_session(
        stack,
        json!({ "class_id": class_id, "session_date": "2030-01-07", "start_time": "08:00",
                "end_time": "09:00", "timezone": "UTC" }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    // anon has no table privilege at all (the migration revokes it): PostgREST answers
    // 401 42501 for the anon role (403 for other roles).
    for key in [stack.anon_key(), stack.publishable_key()] {
        let answer = send(
            client
                .get(rest(stack, "teaching_sessions"))
                .header("apikey", &key),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        assert_eq!(answer.code(), "42501");
        let classes = send(client.get(rest(stack, "classes")).header("apikey", &key)).await;
        assert_eq!(classes.status, StatusCode::UNAUTHORIZED, "{}", classes.text);
        let info = send(
            client
                .post(rest(stack, "rpc/attctl_schema_info"))
                .header("apikey", &key),
        )
        .await;
        assert_eq!(info.status, StatusCode::UNAUTHORIZED, "{}", info.text);
    }

    // authenticated keeps Supabase's default privileges, but RLS has no policy for it: the
    // rows are silently invisible and writes touch nothing.
    let user = stack.mint_jwt("authenticated", 60);
    let read = send(
        client
            .get(rest(stack, "teaching_sessions"))
            .header("apikey", stack.anon_key())
            .bearer_auth(&user),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.json(), json!([]));
    let write = send(
        client
            .patch(rest(
                stack,
                &format!("teaching_sessions?class_id=eq.{class_id}"),
            ))
            .header("apikey", stack.anon_key())
            .bearer_auth(&user)
            .header("Prefer", "return=representation")
            .json(&json!({ "status": "Closed" })),
    )
    .await;
    assert_eq!(write.status, StatusCode::OK, "{}", write.text);
    assert_eq!(write.json(), json!([]));
    let still_open = stack
        .psql(&format!(
            "select status from teaching_sessions where class_id = {class_id}"
        ))
        .unwrap();
    assert_eq!(still_open, "Open");
}

#[tokio::test]
async fn secret_key_acts_as_service_role() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let name = unique("Secret key");
    let secret = stack.secret_key();
    assert!(secret.starts_with("sb_secret_"));

    // apikey alone (the gateway mints the JWT PostgREST needs)...
    let created = send(
        client
            .post(rest(stack, "classes"))
            .header("apikey", &secret)
            .header("Prefer", "return=representation")
            .json(&json!({ "name": name })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    // ...and apikey plus the same key as bearer, as supabase-js sends it.
    let read = send(
        client
            .get(rest(stack, "classes"))
            .query(&[("name", format!("eq.{name}"))])
            .header("apikey", &secret)
            .bearer_auth(&secret),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert_eq!(read.json()[0]["name"], name);

    let info = send(
        client
            .post(rest(stack, "rpc/attctl_schema_info"))
            .header("apikey", &secret),
    )
    .await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
}

#[tokio::test]
async fn expired_jwt_is_refused() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let expired = stack.mint_jwt("service_role", -3600);

    // As the key itself, and as a bearer token next to a valid key.
    for request in [
        client
            .get(rest(stack, "classes"))
            .header("apikey", &expired),
        client
            .get(rest(stack, "classes"))
            .header("apikey", stack.anon_key())
            .bearer_auth(&expired),
    ] {
        let answer = send(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        assert_eq!(answer.code(), "PGRST301");
        assert_eq!(answer.json()["message"], "JWT expired");
        assert!(
            answer
                .header("www-authenticate")
                .is_some_and(|v| v.contains("invalid_token"))
        );
    }

    // PostgREST 12 allows 30 s of clock skew: a token that expired a few seconds ago is
    // still accepted, one that expired a minute ago is not.
    let just_expired = send(
        client
            .get(rest(stack, "classes?limit=1"))
            .header("apikey", stack.mint_jwt("service_role", -5)),
    )
    .await;
    assert_eq!(just_expired.status, StatusCode::OK, "{}", just_expired.text);
    let minute_ago = send(
        client
            .get(rest(stack, "classes?limit=1"))
            .header("apikey", stack.mint_jwt("service_role", -60)),
    )
    .await;
    assert_eq!(
        minute_ago.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        minute_ago.text
    );

    let forged = format!("{}x", stack.service_role_key());
    let answer = send(client.get(rest(stack, "classes")).header("apikey", forged)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
    assert_eq!(answer.code(), "PGRST301");
}

/// A stack of its own: stopping PostgREST must not disturb the tests on the shared one.
#[tokio::test]
async fn gateway_answers_503_while_postgrest_is_down_and_drop_cleans_up() {
    let stack = SupabaseStack::start().expect("start a private stack");
    eprintln!("private stack started in {:?}", stack.startup_time());
    let client = reqwest::Client::new();
    let url = rest(&stack, "classes?limit=1");

    let up = send(as_service(&stack, client.get(&url))).await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.text);

    stack.stop_postgrest();
    let down = send(as_service(&stack, client.get(&url))).await;
    assert_eq!(
        down.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        down.text
    );
    assert!(down.json()["message"].is_string(), "{}", down.text);
    // The key checks still come first.
    let no_key = send(client.get(&url)).await;
    assert_eq!(no_key.status, StatusCode::UNAUTHORIZED);

    stack.start_postgrest().expect("restart PostgREST");
    let again = send(as_service(&stack, client.get(&url))).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);

    let (postgres, postgrest) = stack.pids();
    let (postgres, postgrest) = (
        postgres.expect("postgres pid"),
        postgrest.expect("PostgREST pid"),
    );
    let dir = stack.dir().to_path_buf();
    assert!(
        dir.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("attctl-testkit-")
    );
    drop(stack);
    for pid in [postgres, postgrest] {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "process {pid} survived the drop"
        );
    }
    assert!(!dir.exists(), "{} survived the drop", dir.display());
}

#[tokio::test]
async fn closing_instant_follows_dst() {
    let stack = SupabaseStack::shared();
    let class_id = insert_class(stack, &unique("DST")).await;
    // Clocks go forward in London at 01:00 UTC that day: 09:30 BST is 08:30 UTC. A wrong
    // closes_at sent by the client is overwritten by the trigger.
    let created = insert_session(
        stack,
        json!({ "class_id": class_id, "session_date": "2024-03-31", "start_time": "08:00",
                "end_time": "09:30", "timezone": "Europe/London",
                "closes_at": "2024-03-31T09:30:00Z" }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let row = &created.json()[0];
    assert_eq!(row["closes_at"], "2024-03-31T08:30:00+00:00");
    let id = row["id"].as_i64().unwrap();
    let in_db = stack
        .psql(&format!("select closes_at = timestamptz '2024-03-31T08:30:00Z' from teaching_sessions where id = {id}"))
        .unwrap();
    assert_eq!(in_db, "t");

    // The day before, still GMT.
    let winter = insert_session(
        stack,
        json!({ "class_id": class_id, "session_date": "2024-03-30", "start_time": "08:00",
                "end_time": "09:30", "timezone": "Europe/London" }),
    )
    .await;
    assert_eq!(winter.json()[0]["closes_at"], "2024-03-30T09:30:00+00:00");
}

#[tokio::test]
async fn trigger_keeps_closing_fields_consistent() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let class_id = insert_class(stack, &unique("Trigger")).await;
    let created = insert_session(
        stack,
        json!({ "class_id": class_id, "session_date": "2030-02-04", "start_time": "13:00",
                "end_time": "14:00", "timezone": "America/New_York" }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let before = created.json()[0].clone();
    assert_eq!(before["closes_at"], "2030-02-04T19:00:00+00:00");
    let id = before["id"].as_i64().unwrap();
    let patch = |filter: String, body: Value| {
        as_service(
            stack,
            client.patch(rest(stack, &format!("teaching_sessions?{filter}"))),
        )
        .header("Prefer", "return=representation")
        .json(&body)
    };

    // Editing end_time (as the dashboard would) moves closes_at and bumps updated_at.
    let moved = send(patch(format!("id=eq.{id}"), json!({ "end_time": "15:30" }))).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    let moved = &moved.json()[0];
    assert_eq!(moved["closes_at"], "2030-02-04T20:30:00+00:00");
    assert_ne!(moved["updated_at"], before["updated_at"]);
    // So does changing the zone.
    let rezoned = send(patch(
        format!("id=eq.{id}"),
        json!({ "timezone": "Asia/Tokyo" }),
    ))
    .await;
    assert_eq!(rezoned.json()[0]["closes_at"], "2030-02-04T06:30:00+00:00");

    // Closing sets closed_at; the idempotent close gives [row] then [].
    let close = json!({ "status": "Closed", "closed_by": "manual" });
    let closed = send(patch(format!("id=eq.{id}&status=eq.Open"), close.clone())).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    let closed = &closed.json()[0];
    assert_eq!(closed["closed_by"], "manual");
    assert!(closed["closed_at"].is_string());
    let again = send(patch(format!("id=eq.{id}&status=eq.Open"), close)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.json(), json!([]));

    // Reopening clears closed_at and closed_by.
    let reopened = send(patch(format!("id=eq.{id}"), json!({ "status": "Open" }))).await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.text);
    assert_eq!(reopened.json()[0]["closed_at"], Value::Null);
    assert_eq!(reopened.json()[0]["closed_by"], Value::Null);

    // closed_by or closed_at on an open session is refused, not silently dropped.
    for body in [
        json!({ "closed_by": "auto" }),
        json!({ "closed_at": "2030-02-04T20:00:00Z" }),
    ] {
        let bad = send(patch(format!("id=eq.{id}"), body)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text);
        assert_eq!(bad.code(), "23514");
    }
    let unknown_reason = send(patch(
        format!("id=eq.{id}"),
        json!({ "status": "Closed", "closed_by": "robot" }),
    ))
    .await;
    assert_eq!(
        unknown_reason.status,
        StatusCode::BAD_REQUEST,
        "{}",
        unknown_reason.text
    );
}

#[tokio::test]
async fn constraints_refuse_bad_rows() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let name = unique("Constraints");
    let class_id = insert_class(stack, &name).await;
    let session = |start: &str, end: &str, tz: Value| {
        json!({ "class_id": class_id, "session_date": "2030-03-04", "start_time": start,
                "end_time": end, "timezone": tz })
    };

    let first = insert_session(stack, session("08:00", "09:00", json!("Europe/London"))).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let cases = [
        (
            session("08:00", "09:30", json!("Europe/London")),
            StatusCode::CONFLICT,
            "23505",
        ),
        (
            session("10:00", "09:00", json!("Europe/London")),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
        (
            session("10:00", "10:00", json!("Europe/London")),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
        (
            session("10:00", "11:00", json!("Mars/Olympus")),
            StatusCode::BAD_REQUEST,
            "22023",
        ),
        (
            session("10:00", "11:00", json!("CET")),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
        (
            session("10:00", "11:00", json!("UTC+2")),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
        (
            session("10:00", "11:00", Value::Null),
            StatusCode::BAD_REQUEST,
            "23502",
        ),
        (
            json!({ "class_id": i64::MAX, "session_date": "2030-03-04", "start_time": "10:00",
                    "end_time": "11:00", "timezone": "UTC" }),
            StatusCode::CONFLICT,
            "23503",
        ),
        (
            json!({ "class_id": class_id, "session_date": "2030-03-04", "start_time": "12:00",
                    "end_time": "13:00", "timezone": "UTC", "status": "Cancelled" }),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
    ];
    for (row, status, code) in cases {
        let answer = insert_session(stack, row.clone()).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code.to_string()),
            "{row}: {}",
            answer.text
        );
    }
    let utc = insert_session(stack, session("10:00", "11:00", json!("UTC"))).await;
    assert_eq!(utc.status, StatusCode::CREATED, "{}", utc.text);

    for (class, status, code) in [
        (json!({ "name": name }), StatusCode::CONFLICT, "23505"),
        (json!({ "name": "   " }), StatusCode::BAD_REQUEST, "23514"),
        (
            json!({ "name": "x".repeat(201) }),
            StatusCode::BAD_REQUEST,
            "23514",
        ),
        (json!({ "name": null }), StatusCode::BAD_REQUEST, "23502"),
    ] {
        let answer =
            send(as_service(stack, client.post(rest(stack, "classes"))).json(&class)).await;
        assert_eq!(
            (answer.status, answer.code()),
            (status, code.to_string()),
            "{class}: {}",
            answer.text
        );
    }
    let long_ok = send(
        as_service(stack, client.post(rest(stack, "classes")))
            .json(&json!({ "name": unique(&"y".repeat(180)) })),
    )
    .await;
    assert_eq!(long_ok.status, StatusCode::CREATED, "{}", long_ok.text);

    // A class with sessions cannot be deleted.
    let delete = send(as_service(
        stack,
        client.delete(rest(stack, &format!("classes?id=eq.{class_id}"))),
    ))
    .await;
    assert_eq!(
        (delete.status, delete.code()),
        (StatusCode::CONFLICT, "23503".to_string()),
        "{}",
        delete.text
    );
}

#[tokio::test]
async fn schema_info_reports_the_latest_migration() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../supabase/migrations");
    let mut versions: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.ends_with(".sql").then(|| name[..14].to_string())
        })
        .collect();
    versions.sort();
    let latest = versions.last().expect("a migration").clone();
    assert!(latest.chars().all(|c| c.is_ascii_digit()), "{latest}");

    let info = send(as_service(
        stack,
        client.post(rest(stack, "rpc/attctl_schema_info")),
    ))
    .await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    assert_eq!(
        info.json(),
        json!({
            "version": latest,
            "tables": ["classes", "teaching_sessions"],
            "unvalidated_constraints": [],
            "missing_constraints": [],
        })
    );
}

/// Measured on PostgREST 12.0.2: db-max-rows caps what a GET returns, but not the
/// representation of a write. Our clients must page reads, and may not rely on the cap to
/// bound a PATCH's answer.
#[tokio::test]
async fn db_max_rows_caps_reads_but_not_write_representations() {
    let stack = SupabaseStack::shared();
    let client = reqwest::Client::new();
    let class_id = insert_class(stack, &unique("Max rows")).await;
    let rows: Vec<Value> = (0..1500)
        .map(|i| {
            json!({ "class_id": class_id, "session_date": "2031-01-01",
                    "start_time": format!("{:02}:{:02}:{:02}", i / 3600, (i / 60) % 60, i % 60),
                    "end_time": "23:59:59", "timezone": "UTC", "allow_overlap": true })
        })
        .collect();
    let count = |answer: &Answer| answer.json().as_array().map(Vec::len).unwrap_or_default();

    let inserted = insert_session(stack, json!(rows)).await;
    assert_eq!(inserted.status, StatusCode::CREATED, "{}", inserted.text);
    assert_eq!(count(&inserted), 1500);

    let filter = format!("teaching_sessions?class_id=eq.{class_id}");
    let read =
        send(as_service(stack, client.get(rest(stack, &filter))).header("Prefer", "count=exact"))
            .await;
    assert_eq!(read.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(count(&read), 1000);
    assert_eq!(read.header("content-range"), Some("0-999/1500"));

    let patched = send(
        as_service(stack, client.patch(rest(stack, &filter)))
            .header("Prefer", "return=representation, count=exact")
            .json(&json!({ "scheduled_task_id": "bulk" })),
    )
    .await;
    assert_eq!(
        patched.status,
        StatusCode::OK,
        "{}",
        &patched.text[..200.min(patched.text.len())]
    );
    assert_eq!(count(&patched), 1500);
    assert_eq!(patched.header("content-range"), Some("0-1499/1500"));
    let in_db = stack
        .psql(&format!("select count(*) from teaching_sessions where class_id = {class_id} and scheduled_task_id = 'bulk'"))
        .unwrap();
    assert_eq!(in_db, "1500");
}

/// The original tables of the school's app, as they are in production before attctl.
const ORIGINAL_SCHEMA: &str = r#"
create table classes (id bigserial primary key, name text);
create table teaching_sessions (
  id bigserial primary key,
  class_id bigint references classes (id),
  session_date date,
  start_time time,
  end_time time,
  status text check (status in ('Open', 'Closed')),
  scheduled_task_id text null,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
"#;

#[test]
fn migrations_upgrade_the_original_tables() {
    let stack = SupabaseStack::shared();
    stack.create_database("legacy").unwrap();
    // The database's own zone is what the backfill assumes the old wall-clock times meant.
    stack
        .psql("alter database legacy set timezone = 'Europe/Paris'")
        .unwrap();
    stack.psql_in("legacy", ORIGINAL_SCHEMA).unwrap();
    stack
        .psql_in(
            "legacy",
            r#"
            insert into classes (name) values ('Maths'), ('History');
            insert into teaching_sessions (class_id, session_date, start_time, end_time, status, scheduled_task_id, updated_at) values
              (1, '2024-07-01', '08:00', '09:30', 'Open', 'task-1', '2024-06-20 10:00+00'),
              (2, '2024-01-15', '10:00', '11:00', 'Closed', null, '2024-01-15 10:00:05+00'),
              (1, '2024-07-02', '08:00', '09:30', 'Open', null, '2024-06-20 10:00+00');
            -- A deleted session: its id must never be handed out again.
            delete from teaching_sessions where id = 3;
            "#,
        )
        .unwrap();

    stack.apply_migrations("legacy").unwrap();

    let rows = stack
        .psql_in(
            "legacy",
            "set timezone = 'UTC'; select id, timezone, closes_at, status, closed_at, closed_by, updated_at, scheduled_task_id \
             from teaching_sessions order by id",
        )
        .unwrap();
    assert_eq!(
        rows.lines().collect::<Vec<_>>(),
        [
            // 09:30 CEST; updated_at untouched by the backfill.
            "1|Europe/Paris|2024-07-01 07:30:00+00|Open|||2024-06-20 10:00:00+00|task-1",
            // 11:00 CET; an old closed session gets its last update time as closed_at.
            "2|Europe/Paris|2024-01-15 10:00:00+00|Closed|2024-01-15 10:00:05+00||2024-01-15 10:00:05+00|",
        ]
    );

    let constraints = stack
        .psql_in(
            "legacy",
            "select conname || ':' || convalidated from pg_constraint \
             where conrelid in ('classes'::regclass, 'teaching_sessions'::regclass) order by 1",
        )
        .unwrap();
    // End after start is the trigger's rule (so that old overnight rows can still be
    // closed), not a CHECK.
    assert!(
        !constraints.contains("teaching_sessions_time_order_check"),
        "{constraints}"
    );
    for expected in [
        "classes_name_check:true",
        "classes_name_key:true",
        "teaching_sessions_class_date_start_key:true",
        "teaching_sessions_class_id_fkey:true",
        "teaching_sessions_closed_at_status_check:true",
        "teaching_sessions_closed_by_check:true",
        "teaching_sessions_closed_by_status_check:true",
        "teaching_sessions_status_check:true",
        "teaching_sessions_timezone_check:true",
    ] {
        assert!(
            constraints.lines().any(|l| l == expected),
            "{expected} missing in:\n{constraints}"
        );
    }
    let fk_action = stack
        .psql_in("legacy", "select confdeltype from pg_constraint where conname = 'teaching_sessions_class_id_fkey'")
        .unwrap();
    assert_eq!(fk_action, "r", "on delete restrict");
    let not_null = stack
        .psql_in(
            "legacy",
            "select string_agg(attname, ',' order by attnum) from pg_attribute \
             where attrelid = 'teaching_sessions'::regclass and attnum > 0 and attnotnull",
        )
        .unwrap();
    assert_eq!(
        not_null,
        "id,class_id,session_date,start_time,end_time,status,created_at,updated_at,timezone,closes_at,allow_overlap,reschedule_count"
    );
    let shape = stack
        .psql_in(
            "legacy",
            "select relrowsecurity, (select attidentity from pg_attribute where attrelid = c.oid and attname = 'id') \
             from pg_class c where relname in ('classes', 'teaching_sessions') order by relname",
        )
        .unwrap();
    // RLS is on for staff (20261205110000), and a policy keeps the access the app set for
    // anon and signed-in users; see attctl_table_origin in the first migration.
    assert_eq!(
        shape, "t|d\nt|d",
        "RLS on for staff, ids are identity columns"
    );
    let kept = stack
        .psql_in(
            "legacy",
            "select count(*) from pg_policies where policyname = 'attctl_app_access_unchanged'",
        )
        .unwrap();
    assert_eq!(
        kept.trim(),
        "2",
        "the app's access kept by a policy on both tables"
    );
    let info = stack.psql_in("legacy", "select attctl_schema_info()->>'missing_constraints', attctl_schema_info()->>'unvalidated_constraints'").unwrap();
    assert_eq!(info, "[]|[]");

    // The trigger works on the upgraded table, and ids continue after the deleted one.
    let new_row = stack
        .psql_in(
            "legacy",
            "set timezone = 'UTC'; insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
             values (2, '2024-03-31', '08:00', '09:30', 'Europe/London') returning id, closes_at",
        )
        .unwrap();
    assert_eq!(new_row, "4|2024-03-31 08:30:00+00");

    // Applying the migrations again changes nothing at all.
    let before = stack.dump_database("legacy").unwrap();
    stack.apply_migrations("legacy").unwrap();
    let after = stack.dump_database("legacy").unwrap();
    assert!(
        before == after,
        "second run changed the database:\n{}",
        first_difference(&before, &after)
    );
}

#[test]
fn migrations_keep_bad_old_rows_and_report_them() {
    let stack = SupabaseStack::shared();
    stack.create_database("legacy_dirty").unwrap();
    stack.psql_in("legacy_dirty", ORIGINAL_SCHEMA).unwrap();
    stack
        .psql_in(
            "legacy_dirty",
            r#"
            -- The database is in UTC: old rows get timezone UTC.
            insert into classes (name) values ('Maths'), ('Maths'), (null);
            alter table teaching_sessions drop constraint teaching_sessions_class_id_fkey;
            insert into teaching_sessions (class_id, session_date, start_time, end_time, status) values
              (1, '2024-07-01', '10:00', '09:00', 'Open'),
              (99, '2024-07-01', '08:00', '09:00', 'Open'),
              (null, null, '08:00', '09:00', 'Open');
            "#,
        )
        .unwrap();

    // Nothing is rewritten or deleted; the migration succeeds and says what is left to fix.
    stack.apply_migrations("legacy_dirty").unwrap();
    let info = stack
        .psql_in(
            "legacy_dirty",
            "select attctl_schema_info()->>'unvalidated_constraints', attctl_schema_info()->>'missing_constraints'",
        )
        .unwrap();
    assert_eq!(
        info,
        r#"["classes_name_not_null", "teaching_sessions_class_id_fkey", "teaching_sessions_class_id_not_null", "teaching_sessions_closes_at_not_null", "teaching_sessions_session_date_not_null"]|["classes_name_key"]"#
    );
    assert_eq!(
        stack
            .psql_in("legacy_dirty", "select count(*) from teaching_sessions")
            .unwrap(),
        "3"
    );
    let first = stack
        .psql_in(
            "legacy_dirty",
            "set timezone = 'UTC'; select timezone, closes_at from teaching_sessions where id = 1",
        )
        .unwrap();
    // 10:00 to 09:00 crosses midnight: it closes the next day, never before it starts.
    assert_eq!(first, "UTC|2024-07-02 09:00:00+00");

    // New writes are checked even so.
    let refused = stack.psql_in(
        "legacy_dirty",
        "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) values (1, '2024-07-02', '10:00', '09:00', 'UTC')",
    );
    assert!(
        refused.is_err_and(|e| format!("{e:#}").contains("teaching_sessions_time_order_check"))
    );

    // Once the data is cleaned up, running the migration again completes the schema.
    stack
        .psql_in(
            "legacy_dirty",
            "delete from teaching_sessions where id <> 1; update teaching_sessions set end_time = '11:00'; \
             update classes set name = 'Maths B' where id = 2; update classes set name = 'Art' where id = 3;",
        )
        .unwrap();
    stack.apply_migrations("legacy_dirty").unwrap();
    let info = stack
        .psql_in(
            "legacy_dirty",
            "select attctl_schema_info()->>'unvalidated_constraints', attctl_schema_info()->>'missing_constraints'",
        )
        .unwrap();
    assert_eq!(info, "[]|[]");
    let fallback_checks = stack
        .psql_in(
            "legacy_dirty",
            "select count(*) from pg_constraint where conname like '%\\_not\\_null'",
        )
        .unwrap();
    assert_eq!(
        fallback_checks, "0",
        "the NOT NULL stand-ins are replaced by real NOT NULLs"
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}
