//! Staff who sign in as themselves: `attctl login/logout/whoami`, `staff add/list/remove`,
//! and the database's policies, on the real stack (PostgREST checks the access tokens the
//! testkit's Supabase Auth signs; RLS decides). Every rule is tried as a teacher on another
//! class's rows, through attctl and through raw PostgREST requests with the teacher's token.

use attctl_testkit::harness::{blocking, unique};
use attctl_testkit::{Schema, SupabaseStack};
use serde_json::{Value, json};

use crate::common::{Backend, TestEnv, session_id};

const PASSWORD: &str = "correct horse battery staple";

/// An admin's machine (service key), and a new Supabase Auth user's email.
fn admin_env() -> TestEnv {
    TestEnv::new(Backend::Supabase)
}

fn new_user(env: &TestEnv, prefix: &str) -> (String, String) {
    let email = format!("{}@school.example", unique(prefix).to_lowercase());
    let id = env
        .stack()
        .expect("stack")
        .create_auth_user(&email, PASSWORD)
        .expect("auth user");
    (email, id)
}

/// A staff machine signed in as a new teacher of `classes`.
fn teacher_of(admin: &TestEnv, classes: &[&str]) -> (TestEnv, String, String) {
    let (email, id) = new_user(admin, "teacher");
    let mut add = admin
        .attctl()
        .args(["staff", "add", &email, "--role", "teacher", "-o", "json"]);
    for class in classes {
        add = add.args(["--class", class]);
    }
    add.success();
    let machine = admin.staff_machine();
    machine.login(&email, PASSWORD).assert_ok();
    (machine, email, id)
}

/// The teacher's saved access token, as attctl keeps it.
fn access_token(machine: &TestEnv, stack: &SupabaseStack) -> String {
    let path = machine.dir().join(".local/state/attctl/credentials.json");
    let text = std::fs::read_to_string(&path).expect("credentials file");
    let all: Value = serde_json::from_str(&text).expect("json");
    all[stack.url()]["access_token"]
        .as_str()
        .expect("token")
        .to_string()
}

/// A raw PostgREST request as a signed-in user: (status, body).
fn raw(
    stack: &SupabaseStack,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = format!("{}/rest/v1/{path}", stack.url());
    let (apikey, token, method) = (stack.anon_key(), token.to_string(), method.to_string());
    blocking(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                let client = reqwest::Client::new();
                let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
                let mut req = client
                    .request(method, &url)
                    .header("apikey", apikey)
                    .bearer_auth(token)
                    .header("Prefer", "return=representation");
                if let Some(body) = body {
                    req = req.json(&body);
                }
                let resp = req.send().await.unwrap();
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap();
                (
                    status,
                    serde_json::from_str(&text).unwrap_or(Value::String(text)),
                )
            })
    })
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .map(|a| a.iter().map(session_id).collect())
        .unwrap_or_default()
}

#[test]
fn a_teacher_manages_the_sessions_of_their_class_and_nothing_else() {
    let admin = admin_env();
    let stack = admin.stack().expect("stack");
    let (mine, my_name) = admin.unique_class("Mine");
    let (theirs, _) = admin.unique_class("Theirs");
    let other = admin.session(theirs, "2031-03-03", "09:00", "10:00");
    let other_id = session_id(&other);
    let (teacher, email, user_id) = teacher_of(&admin, &[&my_name]);

    let me = teacher
        .attctl()
        .args(["whoami", "-o", "json"])
        .success()
        .json();
    assert_eq!(me["email"], email.as_str(), "{me}");
    assert_eq!(me["user_id"], user_id.as_str(), "{me}");
    assert_eq!(me["role"], "teacher", "{me}");
    assert_eq!(me["classes"], json!([my_name]), "{me}");
    let shown = serde_json::to_string(&me).unwrap();
    assert!(!shown.contains("eyJ"), "no token in whoami: {shown}");

    // Create, list, reschedule, close, delete in their class.
    let s = teacher
        .attctl()
        .args(["session", "create", "-o", "json", "--class", &my_name])
        .args(["--date", "2031-03-03", "--start", "09:00", "--end", "10:00"])
        .success()
        .json();
    let id = session_id(&s);
    assert_eq!(s["scheduled_task_id"], Value::Null, "the worker plans: {s}");
    let audit = |column: &str| {
        stack
            .psql(&format!(
                "select {column} from teaching_sessions where id = {id}"
            ))
            .expect("psql")
            .trim()
            .to_string()
    };
    assert_eq!(audit("created_by_user"), user_id, "audit: who created it");
    let listed = teacher
        .attctl()
        .args(["session", "list", "--all", "-o", "json"])
        .success()
        .json();
    assert_eq!(
        ids(&listed),
        vec![id],
        "only their class's sessions: {listed}"
    );
    let table = teacher
        .attctl()
        .args(["session", "list", "--all", "-o", "table"])
        .success();
    assert!(table.stdout.contains("planning"), "{}", table.stdout);
    let moved = teacher
        .attctl()
        .args([
            "session",
            "reschedule",
            &id.to_string(),
            "--start",
            "11:00",
            "--end",
            "12:00",
        ])
        .args(["-o", "json"])
        .success()
        .json();
    assert_eq!(moved["start_time"], "11:00:00", "{moved}");
    let closed = teacher
        .attctl()
        .args(["session", "close", &id.to_string(), "-o", "json"])
        .success()
        .json();
    assert_eq!(closed[0]["session"]["status"], "Closed", "{closed}");
    let row = admin.show(id);
    assert_eq!(row["closed_by"], "manual", "{row}");
    assert_eq!(
        audit("closed_by_user"),
        user_id,
        "audit: who closed it by hand"
    );
    teacher
        .attctl()
        .args(["session", "delete", &id.to_string(), "--yes", "-o", "json"])
        .success();
    assert!(admin.sessions_of(mine).is_empty());

    // Another class: refused, nothing written.
    let refused = teacher
        .attctl()
        .args(["session", "create", "--class"])
        .arg(format!("id:{theirs}"))
        .args(["--date", "2031-03-04", "--start", "09:00", "--end", "10:00"])
        .run();
    assert_ne!(refused.code, 0, "{refused:?}");
    assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
    for args in [
        vec!["session", "close", &other_id.to_string()],
        vec!["session", "delete", &other_id.to_string(), "--yes"],
        vec![
            "session",
            "reschedule",
            &other_id.to_string(),
            "--start",
            "13:00",
            "--end",
            "14:00",
        ],
        vec!["session", "show", &other_id.to_string()],
    ] {
        let out = teacher.attctl().args(&args).run();
        assert_ne!(out.code, 0, "{args:?}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
    }
    let after = admin.show(other_id);
    assert_eq!(after["status"], "Open", "{after}");
    assert_eq!(after["start_time"], "09:00:00", "{after}");
    assert_eq!(admin.sessions_of(theirs).len(), 1);

    // Classes, holidays, staff: admins only.
    for args in [
        vec!["class", "create", "--name", "Sneaky"],
        vec!["holiday", "add", "--date", "2031-12-25", "--name", "Xmas"],
        vec!["staff", "list"],
        vec!["school", "set", "--session-type", "practice"],
    ] {
        let out = teacher.attctl().args(&args).run();
        assert_ne!(out.code, 0, "{args:?}: {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
    }
    let classes = admin
        .attctl()
        .args(["class", "list", "-o", "json"])
        .success();
    assert!(!classes.stdout.contains("Sneaky"), "{}", classes.stdout);

    // The same rules for raw requests with the teacher's token.
    let token = access_token(&teacher, stack);
    let (status, body) = raw(
        stack,
        &token,
        "GET",
        &format!("teaching_sessions?class_id=eq.{theirs}"),
        None,
    );
    assert_eq!((status, body.clone()), (200, json!([])), "{body}");
    let (status, body) = raw(
        stack,
        &token,
        "PATCH",
        &format!("teaching_sessions?id=eq.{other_id}"),
        Some(json!({"status": "Closed", "closed_by": "manual"})),
    );
    assert_eq!((status, body.clone()), (200, json!([])), "{body}");
    let (status, _) = raw(
        stack,
        &token,
        "DELETE",
        &format!("teaching_sessions?id=eq.{other_id}"),
        None,
    );
    assert_eq!(status, 200);
    let (status, body) = raw(
        stack,
        &token,
        "POST",
        "teaching_sessions",
        Some(json!({"class_id": theirs, "session_date": "2031-03-05",
                    "start_time": "09:00", "end_time": "10:00", "timezone": "UTC"})),
    );
    assert!(matches!(status, 401 | 403), "{status} {body}");
    // Moving one of their own sessions into another class is refused too.
    let own = admin.session(mine, "2031-03-06", "09:00", "10:00");
    let (status, body) = raw(
        stack,
        &token,
        "PATCH",
        &format!("teaching_sessions?id=eq.{}", session_id(&own)),
        Some(json!({"class_id": theirs})),
    );
    assert!(matches!(status, 401 | 403), "{status} {body}");
    // A run id is the worker's to write.
    let (status, body) = raw(
        stack,
        &token,
        "PATCH",
        &format!("teaching_sessions?id=eq.{}", session_id(&own)),
        Some(json!({"scheduled_task_id": "11111111-1111-4111-8111-111111111111"})),
    );
    assert!(matches!(status, 401 | 403), "{status} {body}");
    let (status, body) = raw(
        stack,
        &token,
        "GET",
        &format!("classes?id=eq.{theirs}"),
        None,
    );
    assert_eq!((status, body.clone()), (200, json!([])), "{body}");
    let (status, body) = raw(
        stack,
        &token,
        "POST",
        "classes",
        Some(json!({"name": unique("Raw")})),
    );
    assert!(matches!(status, 401 | 403), "{status} {body}");
    let (status, body) = raw(stack, &token, "GET", "staff", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body.as_array().map(Vec::len),
        Some(1),
        "only their own staff row: {body}"
    );
    for table in ["session_events", "session_warning_runs"] {
        let (status, body) = raw(stack, &token, "GET", table, None);
        assert!(
            matches!(status, 401 | 403) || body == json!([]),
            "{table}: {status} {body}"
        );
    }
    let (status, body) = raw(
        stack,
        &token,
        "POST",
        "rpc/attctl_staff_add",
        Some(json!({"email": email, "role": "admin"})),
    );
    assert!(
        matches!(status, 401 | 403),
        "a teacher cannot promote themselves: {status} {body}"
    );
    assert_eq!(
        after,
        admin.show(other_id),
        "nothing of the other class changed"
    );
}

#[test]
fn an_admin_manages_every_class_and_the_staff_list() {
    let admin = admin_env();
    let (email, _) = new_user(&admin, "head");
    admin
        .attctl()
        .args(["staff", "add", &email, "--role", "admin"])
        .success();
    let head = admin.staff_machine();
    head.login(&email, PASSWORD).assert_ok();
    let name = unique("Admin made");
    let class = head
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success()
        .json();
    let class_id = class["id"].as_i64().expect("id");
    let s = head.session(class_id, "2031-04-01", "09:00", "10:00");
    assert_eq!(s["status"], "Open");
    let (teacher_email, _) = new_user(&admin, "new-teacher");
    let added = head
        .attctl()
        .args([
            "staff",
            "add",
            &teacher_email,
            "--role",
            "teacher",
            "--class",
            &name,
        ])
        .args(["-o", "json"])
        .success()
        .json();
    assert_eq!(added["role"], "teacher", "{added}");
    assert_eq!(added["classes"], json!([name]), "{added}");
    let list = head
        .attctl()
        .args(["staff", "list", "-o", "json"])
        .success()
        .json();
    let emails: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["email"].as_str())
        .collect();
    assert!(emails.contains(&teacher_email.as_str()), "{list}");
    // Granting never guesses a class.
    head.attctl()
        .args([
            "staff",
            "add",
            &teacher_email,
            "--role",
            "teacher",
            "--class",
        ])
        .arg(name.to_uppercase())
        .run()
        .assert_one_line_error(3, "exactly");
    // Unknown accounts are named.
    head.attctl()
        .args(["staff", "add", "nobody@school.example", "--role", "teacher"])
        .run()
        .assert_one_line_error(3, "nobody@school.example");
    // Removing asks for --yes off a terminal, then works.
    head.attctl()
        .args(["staff", "remove", &teacher_email])
        .run()
        .assert_one_line_error(2, "--yes");
    head.attctl()
        .args(["staff", "remove", &teacher_email, "--yes"])
        .success();
    head.attctl()
        .args(["staff", "remove", &teacher_email, "--yes"])
        .run()
        .assert_one_line_error(3, &teacher_email);
}

#[test]
fn nobody_signed_in_or_not_staff_gets_a_clear_refusal_never_an_empty_list() {
    let admin = admin_env();
    let (mine, _) = admin.unique_class("Quiet");
    admin.session(mine, "2031-05-01", "09:00", "10:00");
    let machine = admin.staff_machine();
    for args in [
        vec!["session", "list", "--all"],
        vec!["class", "list"],
        vec!["whoami"],
    ] {
        machine
            .attctl()
            .args(&args)
            .run()
            .assert_one_line_error(5, "attctl login");
    }
    // Signed in, but not staff.
    let (email, _) = new_user(&admin, "stranger");
    let login = machine.login(&email, PASSWORD);
    assert_eq!(login.code, 0, "{login:?}");
    assert!(
        login.stderr.contains("not on this school's staff list"),
        "{}",
        login.stderr
    );
    machine
        .attctl()
        .args(["session", "list", "--all"])
        .run()
        .assert_one_line_error(5, "staff add");
    // A wrong password: one line, nothing saved.
    let other = admin.staff_machine();
    other
        .login(&email, "wrong")
        .assert_one_line_error(5, "refused the sign-in");
    assert!(
        !other
            .dir()
            .join(".local/state/attctl/credentials.json")
            .exists()
    );
    // The service key's machine is not where people sign in.
    admin
        .login(&email, PASSWORD)
        .assert_one_line_error(1, "service key");
}

#[test]
fn tokens_are_refreshed_with_rotation_and_logout_revokes_the_session() {
    // A stack of its own: its token lifetime changes.
    let stack = SupabaseStack::start().expect("dedicated stack");
    let admin = TestEnv::on_stack(&stack).with("ATTCTL_TIMEZONE", "UTC");
    let (_, name) = admin.unique_class("Rotating");
    let email = "rotating@school.example";
    stack.create_auth_user(email, PASSWORD).unwrap();
    admin
        .attctl()
        .args(["staff", "add", email, "--role", "teacher", "--class", &name])
        .success();
    // Tokens that are already inside the refresh margin when issued: every command
    // refreshes, so each spends the refresh token it was given and keeps the next.
    stack.set_auth_token_ttl(30);
    let machine = TestEnv::staff_machine_on(&stack);
    machine.login(email, PASSWORD).assert_ok();
    let file = machine.dir().join(".local/state/attctl/credentials.json");
    let saved = |f: &std::path::Path| -> Value {
        serde_json::from_str::<Value>(&std::fs::read_to_string(f).unwrap()).unwrap()[stack.url()]
            .clone()
    };
    let first = saved(&file);
    let issued = stack.auth_refresh_tokens_issued();
    for _ in 0..2 {
        machine
            .attctl()
            .args(["session", "list", "--all", "-o", "json"])
            .success();
    }
    assert!(
        stack.auth_refresh_tokens_issued() >= issued + 2,
        "each command refreshed"
    );
    let now = saved(&file);
    assert_ne!(now["refresh_token"], first["refresh_token"]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The first refresh token was spent: Supabase Auth refuses it.
    let spent = first["refresh_token"].as_str().unwrap().to_string();
    let url = format!("{}/auth/v1/token?grant_type=refresh_token", stack.url());
    let apikey = stack.anon_key();
    let (status, body) = blocking(move || {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                let resp = reqwest::Client::new()
                    .post(url)
                    .header("apikey", apikey)
                    .json(&json!({"refresh_token": spent}))
                    .send()
                    .await
                    .unwrap();
                (resp.status().as_u16(), resp.text().await.unwrap())
            })
    });
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("refresh_token_already_used"), "{body}");

    // Nothing of the tokens in output or logs.
    let token = now["access_token"].as_str().unwrap().to_string();
    let refresh = now["refresh_token"].as_str().unwrap().to_string();
    for args in [
        vec!["config", "show", "-o", "json"],
        vec!["whoami", "-o", "json"],
        vec!["--debug", "session", "list", "--all"],
    ] {
        let out = machine.attctl().args(&args).run();
        for secret in [&token, &refresh] {
            assert!(
                !out.stdout.contains(secret.as_str()) && !out.stderr.contains(secret.as_str()),
                "{args:?} leaked a token"
            );
        }
    }

    stack.set_auth_token_ttl(3600);
    machine.attctl().args(["logout"]).success();
    assert!(!file.exists(), "the sign-in is forgotten");
    machine
        .attctl()
        .args(["session", "list", "--all"])
        .run()
        .assert_one_line_error(5, "attctl login");
    // The session is revoked at Supabase Auth: its last refresh token no longer works.
    machine.attctl().args(["logout"]).success();
}

#[test]
fn a_one_time_code_signs_in_without_a_password() {
    let admin = admin_env();
    let stack = admin.stack().expect("stack");
    let (_, name) = admin.unique_class("Otp");
    let (email, _) = new_user(&admin, "otp");
    admin
        .attctl()
        .args([
            "staff", "add", &email, "--role", "teacher", "--class", &name,
        ])
        .success();
    let machine = admin.staff_machine();
    let sent = machine
        .attctl()
        .args(["login", "--email", &email, "--otp"])
        .success();
    assert!(sent.stderr.contains("--otp-code-stdin"), "{}", sent.stderr);
    let code = stack.last_otp(&email).expect("a code was mailed");
    machine
        .attctl()
        .args(["login", "--email", &email, "--otp-code-stdin"])
        .stdin("000000\n")
        .run()
        .assert_one_line_error(5, "code");
    let me = machine
        .attctl()
        .args(["login", "--email", &email, "--otp-code-stdin", "-o", "json"])
        .stdin(&format!("{code}\n"))
        .success()
        .json();
    assert_eq!(me["role"], "teacher", "{me}");
}

#[test]
fn on_the_original_app_s_database_its_teachers_manage_their_classes_without_a_staff_row() {
    let admin = TestEnv::original_app();
    let stack = admin.stack().expect("stack");
    assert_eq!(admin.schema, Schema::OriginalApp);
    let (email, user_id) = new_user(&admin, "app-teacher");
    let (mine, my_name) = admin.unique_class("AppMine");
    let (theirs, _) = admin.unique_class("AppTheirs");
    let code = unique("T").to_uppercase();
    stack
        .psql(&format!(
            "insert into teachers (teacher_code, full_name, auth_id, created_at, updated_at) \
             values ('{code}', 'App Teacher', '{user_id}', now(), now()); \
             update classes set teacher_id = (select id from teachers where teacher_code = '{code}') \
             where id = {mine};"
        ))
        .expect("the app's teacher");
    let machine = admin.staff_machine();
    machine.login(&email, PASSWORD).assert_ok();
    let me = machine
        .attctl()
        .args(["whoami", "-o", "json"])
        .success()
        .json();
    assert_eq!(me["role"], "teacher", "{me}");
    assert_eq!(me["classes"], json!([my_name]), "{me}");
    let s = machine.session(mine, "2031-06-02", "09:00", "10:00");
    assert_eq!(s["status"], "Open");
    let refused = machine
        .attctl()
        .args(["session", "create", "--class"])
        .arg(format!("id:{theirs}"))
        .args(["--date", "2031-06-02", "--start", "09:00", "--end", "10:00"])
        .run();
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(admin.sessions_of(theirs).is_empty());
    // The app's anon key keeps the access it had.
    let (status, body) = raw(
        stack,
        &stack.anon_key(),
        "GET",
        &format!("teaching_sessions?class_id=eq.{mine}"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), vec![session_id(&s)], "{body}");
}

#[test]
fn doctor_on_a_staff_machine_says_who_is_signed_in_and_what_decides() {
    use crate::common::doctor_check;
    let admin = admin_env();
    let (class_id, name) = admin.unique_class("Doctor");
    let machine = admin.staff_machine();
    let before = machine.attctl().args(["doctor", "-o", "json"]).run();
    assert_ne!(before.code, 0, "{before:?}");
    let report: Value = serde_json::from_str(&before.stdout).expect("json");
    let signed_in = doctor_check(&report, "staff.signed_in");
    assert_eq!(signed_in["status"], "fail", "{signed_in}");
    assert!(
        signed_in["fix"].as_str().unwrap().contains("attctl login"),
        "{signed_in}"
    );

    let (teacher, email, _) = teacher_of(&admin, &[&name]);
    let out = teacher.attctl().args(["doctor", "-o", "json"]).run();
    let report: Value = serde_json::from_str(&out.stdout).expect("json");
    for name in [
        "staff.signed_in",
        "staff.token",
        "staff.role",
        "staff.policies",
        "staff.worker_planning",
    ] {
        let check = doctor_check(&report, name);
        assert_eq!(check["status"], "ok", "{name}: {check}");
    }
    assert!(
        doctor_check(&report, "staff.signed_in")["detail"]
            .as_str()
            .unwrap()
            .contains(&email)
    );
    assert!(
        doctor_check(&report, "staff.role")["detail"]
            .as_str()
            .unwrap()
            .contains("teacher")
    );
    // A session of theirs that no worker planned for a while: said.
    let s = teacher.session(class_id, "2031-07-01", "09:00", "10:00");
    admin
        .stack()
        .unwrap()
        .psql(&format!(
            "update teaching_sessions set created_at = created_at - interval '5 minutes' where id = {}",
            session_id(&s)
        ))
        .unwrap();
    let out = teacher.attctl().args(["doctor", "-o", "json"]).run();
    let report: Value = serde_json::from_str(&out.stdout).expect("json");
    let planning = doctor_check(&report, "staff.worker_planning");
    assert_eq!(planning["status"], "warn", "{planning}");
}
