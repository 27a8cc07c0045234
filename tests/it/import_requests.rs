//! `session import` on Supabase, counted at the test gateway: one call per chunk of 1,000
//! rows plus a constant, whatever classes and days the file covers, so a loop per class,
//! day or row cannot come back unnoticed (it once read each class's sessions once per day:
//! 2,411 requests for 10,000 rows). And what each row's answer is (created, exists,
//! overlap, holiday), in the file and against the store, written or in a dry run, on both
//! backends and the original app's database.

use std::collections::BTreeMap;

use serde_json::Value;

use attctl_testkit::{Schema, SupabaseStack};

use crate::common::{TestEnv, unique};

/// Rows of a term: every class one session a day, days in order.
fn timetable(names: &[String], first: chrono::NaiveDate, days: i64) -> String {
    let mut csv = String::from("class_name,session_date,start_time,end_time\n");
    for day in 0..days {
        let date = first + chrono::Duration::days(day);
        for name in names {
            csv.push_str(&format!("{name},{date},09:00,09:45\n"));
        }
    }
    csv
}

/// The requests the gateway received while `run` ran, by `METHOD /path`.
fn requests_during(
    stack: &SupabaseStack,
    run: impl FnOnce() -> Value,
) -> (Value, BTreeMap<String, u64>) {
    let mark = stack.received_requests().len();
    let out = run();
    let mut counts = BTreeMap::new();
    for r in stack.received_requests().get(mark..).unwrap_or_default() {
        *counts.entry(r.route.clone()).or_insert(0) += 1;
    }
    (out, counts)
}

fn import(env: &TestEnv, csv: &str, extra: &[&str]) -> Value {
    env.attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .args(extra)
        .stdin(csv)
        .success()
        .json()
}

fn count(out: &Value, key: &str) -> usize {
    out[key].as_array().map_or(0, Vec::len)
}

const IMPORT_RPC: &str = "POST /rest/v1/rpc/attctl_import_sessions";
/// Requests an import makes whatever its size: the school's zone, the class list.
const CONSTANT: u64 = 4;

/// 3,000 rows of 60 classes over 50 days: three calls of the import function, and a
/// handful of other requests (the classes the file names are read once, not one by one).
fn a_term_is_one_request_per_chunk(stack: &SupabaseStack) {
    let env = TestEnv::on_stack(stack);
    const CLASSES: usize = 60;
    const DAYS: i64 = 50;
    const ROWS: u64 = CLASSES as u64 * DAYS as u64;
    let base = unique("Req");
    let names: Vec<String> = (0..CLASSES).map(|i| format!("{base} {i}")).collect();
    let first = chrono::NaiveDate::from_ymd_opt(2058, 1, 7).unwrap();
    let csv = timetable(&names, first, DAYS);

    // The first import also creates the 60 classes (one write each).
    stack.reset_peak_in_flight();
    let (out, counts) = requests_during(stack, || import(&env, &csv, &[]));
    assert_eq!(count(&out, "created"), ROWS as usize, "{counts:?}");
    assert_eq!(counts.get(IMPORT_RPC), Some(&3), "{counts:?}");
    // The first chunk alone (it tells whether the database has the call), then the next
    // two side by side: no class has rows on one day in both.
    assert_eq!(stack.peak_in_flight(IMPORT_RPC), 2, "{counts:?}");
    assert_eq!(
        created_slots(&out),
        csv.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[1].to_string(), format!("{}:00", f[2]))
            })
            .collect::<Vec<_>>(),
        "answers in the file's order"
    );
    let total: u64 = counts.values().sum();
    assert!(
        total <= ROWS / 500 + CLASSES as u64 + CONSTANT,
        "{total} requests for {ROWS} rows: {counts:?}"
    );
    assert_eq!(
        counts.get("GET /rest/v1/teaching_sessions"),
        None,
        "no reads of sessions: {counts:?}"
    );

    // Again: every row exists, found by the same three calls.
    let (again, counts) = requests_during(stack, || import(&env, &csv, &[]));
    assert_eq!(count(&again, "created"), 0);
    assert_eq!(count(&again, "skipped"), ROWS as usize);
    assert_eq!(counts.get(IMPORT_RPC), Some(&3), "{counts:?}");
    let total: u64 = counts.values().sum();
    assert!(
        total <= ROWS / 500 + CONSTANT,
        "{total} requests for {ROWS} rows: {counts:?}"
    );

    // A dry run of new days checks by the same calls and writes nothing.
    let later = first + chrono::Duration::days(DAYS);
    let csv = timetable(&names, later, DAYS);
    let (plan, counts) = requests_during(stack, || import(&env, &csv, &["--dry-run"]));
    assert_eq!(count(&plan, "created"), ROWS as usize);
    assert_eq!(counts.get(IMPORT_RPC), Some(&3), "{counts:?}");
    let total: u64 = counts.values().sum();
    assert!(total <= ROWS / 500 + CONSTANT, "{total}: {counts:?}");
    let writes = counts
        .keys()
        .filter(|route| !route.starts_with("GET ") && route.as_str() != IMPORT_RPC)
        .count();
    assert_eq!(writes, 0, "{counts:?}");
}

// Each on a stack of its own: no other test's requests are counted.
#[test]
fn supabase_import_is_one_request_per_chunk() {
    let stack = SupabaseStack::start().expect("a Supabase test stack");
    a_term_is_one_request_per_chunk(&stack);
}

#[test]
fn original_app_import_is_one_request_per_chunk() {
    let stack = SupabaseStack::start_with(Schema::OriginalApp).expect("a Supabase test stack");
    a_term_is_one_request_per_chunk(&stack);
}

/// Two chunks go to the database side by side only when no class has rows on one day in
/// both: otherwise the second's answer depends on what the first wrote, and it waits. Here
/// the second and third chunks share a day of one class, and the row of the third that
/// overlaps the second's is answered `overlap` (sent together, the third could be checked
/// before the second was written, or written first).
#[test]
fn a_chunk_sharing_a_class_day_with_the_one_before_waits_for_it() {
    let stack = SupabaseStack::start().expect("a Supabase test stack");
    let env = TestEnv::on_stack(&stack);
    let (_, many) = env.unique_class("Days");
    let (_, shared) = env.unique_class("Shared");
    let first = chrono::NaiveDate::from_ymd_opt(2061, 1, 3).unwrap();
    let day = |n: i64| first + chrono::Duration::days(n);
    let mut csv = String::from("class_name,session_date,start_time,end_time\n");
    for n in 0..1999 {
        csv.push_str(&format!("{many},{},09:00,09:45\n", day(n)));
    }
    let clash = day(3000);
    csv.push_str(&format!("{shared},{clash},09:00,10:00\n"));
    csv.push_str(&format!("{shared},{clash},09:30,10:30\n"));
    csv.push_str(&format!("{shared},{clash},10:30,11:00\n"));

    stack.reset_peak_in_flight();
    let (out, counts) = requests_during(&stack, || import(&env, &csv, &[]));
    assert_eq!(counts.get(IMPORT_RPC), Some(&3), "{counts:?}");
    assert_eq!(stack.peak_in_flight(IMPORT_RPC), 1, "{counts:?}");
    assert_eq!(count(&out, "created"), 2001, "{}", out["skipped"]);
    assert_eq!(
        skipped_reasons(&out),
        vec![(
            clash.to_string(),
            "09:30:00".to_string(),
            "overlap".to_string()
        )]
    );
}

fn skipped_reasons(out: &Value) -> Vec<(String, String, String)> {
    out["skipped"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| {
            (
                s["session_date"].as_str().unwrap_or("").to_string(),
                s["start_time"].as_str().unwrap_or("").to_string(),
                s["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn created_slots(out: &Value) -> Vec<(String, String)> {
    out["created"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| {
            (
                s["session_date"].as_str().unwrap_or("").to_string(),
                s["start_time"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Each row's answer, rows taken in order: against the store (exists, overlap), against
/// the file's rows written before it (exists, overlap; a row skipped does not stand in the
/// way of the next), on a holiday; the dry run answers the same without writing.
fn each_row_is_answered_in_order(env: TestEnv) {
    let (class, name) = env.unique_class("Rows");
    let day = "2059-03-04";
    env.attctl()
        .args(["session", "create", "--class", &class.to_string()])
        .args(["--date", day, "--start", "09:00", "--end", "09:50"])
        .success();
    // Holidays apply to every class: a day no other test uses, removed at the end.
    let holiday = env
        .attctl()
        .args([
            "holiday",
            "add",
            "--date",
            "2059-03-05",
            "--name",
            "Rows day",
        ])
        .args(["-o", "json"])
        .success()
        .json()["id"]
        .as_i64()
        .expect("holiday id");
    let csv = format!(
        "class_name,session_date,start_time,end_time\n\
         {name},{day},09:00,09:40\n\
         {name},{day},09:30,10:20\n\
         {name},{day},10:20,11:00\n\
         {name},{day},10:40,11:10\n\
         {name},{day},10:20,10:30\n\
         {name},2059-03-05,09:00,09:50\n\
         {name},2059-03-06,09:00,09:50\n"
    );
    let expected_skips = vec![
        (
            "2059-03-05".to_string(),
            "09:00:00".to_string(),
            "holiday".to_string(),
        ),
        (
            day.to_string(),
            "09:00:00".to_string(),
            "exists".to_string(),
        ),
        (
            day.to_string(),
            "09:30:00".to_string(),
            "overlap".to_string(),
        ),
        (
            day.to_string(),
            "10:40:00".to_string(),
            "overlap".to_string(),
        ),
        (
            day.to_string(),
            "10:20:00".to_string(),
            "exists".to_string(),
        ),
    ];
    let expected_created = vec![
        (day.to_string(), "10:20:00".to_string()),
        ("2059-03-06".to_string(), "09:00:00".to_string()),
    ];

    let plan = import(&env, &csv, &["--dry-run"]);
    assert_eq!(skipped_reasons(&plan), expected_skips, "{plan}");
    assert_eq!(created_slots(&plan), expected_created, "{plan}");
    assert_eq!(env.sessions_of(class).len(), 1, "a dry run writes nothing");

    let out = import(&env, &csv, &[]);
    assert_eq!(skipped_reasons(&out), expected_skips, "{out}");
    assert_eq!(created_slots(&out), expected_created, "{out}");
    assert!(
        out["created"][0]["id"].as_i64().is_some_and(|id| id > 0),
        "{out}"
    );
    assert_eq!(env.sessions_of(class).len(), 3);

    // Each written row has its session.created event, as any insert does.
    let events = env
        .attctl()
        .args([
            "events",
            "list",
            "--type",
            "session.created",
            "--since",
            "1d",
        ])
        .args(["-o", "json"])
        .success()
        .json();
    for created in out["created"].as_array().cloned().unwrap_or_default() {
        let of_it: Vec<&Value> = events
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["session_id"] == created["id"])
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(of_it.len(), 1, "{created} in {events}");
        let session = &of_it[0]["payload"]["session"];
        assert_eq!(session["class_name"], name.as_str(), "{events}");
        assert_eq!(session["start_time"], created["start_time"], "{events}");
    }

    env.attctl()
        .args(["holiday", "delete", &holiday.to_string()])
        .success();
}

backend_tests!(each_row_is_answered_in_order);

/// A teacher signed in imports their class's timetable through the same call, under their
/// row-level security: the function runs as the caller, so a row of another class is
/// refused by the database, not only by attctl.
#[test]
fn a_teacher_imports_their_class_and_nothing_else() {
    use attctl_testkit::harness::blocking;
    let admin = TestEnv::new(crate::common::Backend::Supabase);
    let stack = admin.stack().expect("stack");
    let (mine, my_name) = admin.unique_class("Mine");
    let (theirs, their_name) = admin.unique_class("Theirs");
    let email = format!("{}@school.example", unique("importer").to_lowercase());
    stack
        .create_auth_user(&email, "correct horse battery staple")
        .expect("auth user");
    admin
        .attctl()
        .args([
            "staff", "add", &email, "--role", "teacher", "--class", &my_name,
        ])
        .success();
    let teacher = admin.staff_machine();
    teacher
        .login(&email, "correct horse battery staple")
        .assert_ok();

    let csv = format!(
        "class_name,session_date,start_time,end_time\n\
         {my_name},2061-05-02,09:00,09:45\n\
         {my_name},2061-05-03,09:00,09:45\n"
    );
    let out = import(&teacher, &csv, &[]);
    assert_eq!(count(&out, "created"), 2, "{out}");
    assert_eq!(admin.sessions_of(mine).len(), 2);

    // Another class's name is unknown to them: refused before anything is written.
    let csv = format!(
        "class_name,session_date,start_time,end_time\n\
         {my_name},2061-05-04,09:00,09:45\n\
         {their_name},2061-05-04,09:00,09:45\n"
    );
    let refused = teacher
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&csv)
        .run();
    assert_ne!(refused.code, 0, "{}", refused.stderr);
    assert_eq!(admin.sessions_of(mine).len(), 2, "nothing written");

    // The function itself, called with their token for the other class: RLS refuses it.
    let path = teacher.dir().join(".local/state/attctl/credentials.json");
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("credentials")).expect("json");
    let token = saved[stack.url()]["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let url = format!("{}/rest/v1/rpc/attctl_import_sessions", stack.url());
    let apikey = stack.anon_key();
    let body = serde_json::json!({
        "sessions": [{
            "class_id": theirs, "session_date": "2061-05-05", "start_time": "09:00:00",
            "end_time": "09:45:00", "timezone": "UTC", "closes_at": "2061-05-05T09:45:00Z"
        }]
    });
    let status = blocking(move || {
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(async move {
                reqwest::Client::new()
                    .post(&url)
                    .header("apikey", apikey)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .expect("request")
                    .status()
                    .as_u16()
            })
    });
    assert!(
        status == 401 || status == 403,
        "a teacher's import into another class: {status}"
    );
    assert_eq!(admin.sessions_of(theirs).len(), 0, "nothing written");
}
