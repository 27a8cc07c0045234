//! The request counts of attctl's bulk paths on Supabase, counted at the gateway: each is
//! one request per chunk plus a constant, so that a loop per session, per class or per day
//! cannot come back silently. Thousands of sessions over many classes and days, written
//! straight into the table (as the testkit's seeds do), then the real `attctl` run once.
//! The Hatchet rows count the engine's requests too (the test engine, with the close
//! workflow registered the way a worker does, without a worker process).
//!
//! The tests of this module share one stack and count everything it receives, so they
//! run one at a time ([`serial`]), each in dates of its own (the filters select by date).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use crate::common::{Backend, Outcome, TestEnv, unique};
use attctl_testkit::SupabaseStack;
use hatchet_test_engine::{EngineConfig, TestEngine, routes};

/// Classes and days of a seeded timetable: 2,400 sessions, one a day per class.
const CLASSES: usize = 40;
const DAYS: usize = 60;
const SESSIONS: usize = CLASSES * DAYS;
/// Rows per page of a listing and per bulk insert (Supabase's cap).
const PAGE: usize = 1000;
/// Ids per request where they travel in the URL (`id=in.(…)`).
const IDS: usize = 200;
/// Sessions claimed per request for planning.
const CLAIMS: usize = 500;
/// Hatchet run ids per `bulk-delete`.
const HATCHET_BULK: usize = 500;

static SERIAL: Mutex<()> = Mutex::new(());

/// One test at a time: each counts every request the stack receives.
fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn stack() -> &'static SupabaseStack {
    SupabaseStack::shared()
}

fn env() -> TestEnv {
    TestEnv::new(Backend::Supabase)
}

fn chunks(n: usize, per: usize) -> u64 {
    n.div_ceil(per) as u64
}

/// What one command sent to the gateway.
struct Sent {
    total: u64,
    routes: BTreeMap<String, u64>,
}

impl Sent {
    fn of(&self, route: &str) -> u64 {
        self.routes.get(route).copied().unwrap_or(0)
    }

    /// Fails naming every route when the command sent more than `bound` requests.
    fn assert_at_most(&self, bound: u64, what: &str) {
        eprintln!(
            "{what}: {} requests (bound {bound}): {:?}",
            self.total, self.routes
        );
        assert!(
            self.total <= bound,
            "{what}: {} requests, at most {bound} expected: {:?}",
            self.total,
            self.routes
        );
    }
}

/// Runs `f` and counts what the gateway received meanwhile.
fn counted<T>(f: impl FnOnce() -> T) -> (T, Sent) {
    let before = stack().api_requests();
    let out = f();
    let routes: BTreeMap<String, u64> = stack()
        .api_requests()
        .into_iter()
        .map(|(k, n)| {
            let d = n - before.get(&k).copied().unwrap_or(0);
            (k, d)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let total = routes.values().sum();
    (out, Sent { total, routes })
}

/// `CLASSES` new classes with `DAYS` sessions each, one a day from `first` (08:00–08:45
/// UTC), each holding `run` (SQL, e.g. `gen_random_uuid()::text`). Returns the class ids.
fn seed(tag: &str, first: &str, run: &str) -> Vec<i64> {
    let prefix = unique(tag);
    let ids = stack()
        .psql(&format!(
            "insert into classes (name) select '{prefix} ' || g from generate_series(1, {CLASSES}) g \
             returning id"
        ))
        .expect("classes");
    let classes: Vec<i64> = ids.lines().filter_map(|l| l.trim().parse().ok()).collect();
    assert_eq!(classes.len(), CLASSES, "{ids}");
    let list = classes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at, scheduled_task_id)
             select c, date '{first}' + d, time '08:00', time '08:45', 'UTC', now(), {run}
             from unnest(array[{list}]::bigint[]) c, generate_series(0, {DAYS} - 1) d"
        ))
        .expect("sessions");
    classes
}

fn count_rows(sql_where: &str) -> usize {
    stack()
        .psql(&format!(
            "select count(*) from teaching_sessions where {sql_where}"
        ))
        .expect("count")
        .trim()
        .parse()
        .expect("a number")
}

fn json_len(out: &Outcome) -> usize {
    out.json().as_array().map_or(0, Vec::len)
}

/// The last day of a seeded timetable from `first`.
fn last_day(first: &str) -> String {
    let first: chrono::NaiveDate = first.parse().expect("date");
    (first + chrono::Duration::days(DAYS as i64 - 1)).to_string()
}

#[test]
fn generate_writes_a_thousand_sessions_per_request() {
    let _serial = serial();
    let env = env();
    let class = env.class();
    // Every day for almost six years: 2,100 sessions of one class.
    let (out, sent) = counted(|| {
        env.attctl()
            .args(["session", "generate", "--class", &class.to_string()])
            .args(["--rrule", "FREQ=DAILY", "--from", "2070-01-01"])
            .args(["--to", "2075-10-01", "--start", "08:00", "--end", "08:45"])
            .args(["-o", "json"])
            .success()
    });
    let created = out.json()["created"].as_array().map_or(0, Vec::len);
    assert_eq!(created, 2100);
    assert_eq!(
        sent.of("POST /rest/v1/teaching_sessions"),
        chunks(created, PAGE),
        "{:?}",
        sent.routes
    );
    // The class, the school's zone, the holidays, the class's existing sessions, the
    // inserts (run ids inline with the local scheduler). One request per day would be
    // thousands.
    sent.assert_at_most(chunks(created, PAGE) + 6, "session generate");
}

#[test]
fn generate_with_hatchet_claims_and_stores_run_ids_per_chunk_with_warnings() {
    let _serial = serial();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::default()))
        .expect("test engine");
    for task in ["close-teaching-session", "warn-teaching-session"] {
        engine
            .deaf_worker("bulk-requests", task, task)
            .expect("register the workflow");
    }
    // A warning 10 minutes before each close: a second run per session, kept in bulk too.
    let env = env()
        .with_hatchet(&engine.token())
        .with("ATTCTL_WARN_BEFORE", "10m");
    let class = env.class();
    // Weekdays of about five years: 1,200 sessions.
    let (out, sent) = counted(|| {
        env.attctl()
            .args(["session", "generate", "--class", &class.to_string()])
            .args(["--days", "mon,tue,wed,thu,fri", "--from", "2080-01-01"])
            .args(["--to", "2084-08-04", "--start", "08:00", "--end", "08:45"])
            .args(["-o", "json"])
            .success()
    });
    let created = out.json()["created"].as_array().map_or(0, Vec::len);
    assert_eq!(created, 1200);
    let runs = count_rows(&format!(
        "class_id = {class} and scheduled_task_id ~ '^[0-9a-f-]{{36}}$'"
    ));
    assert_eq!(runs, created, "every session has its run");
    // Per insert chunk of 1,000: the insert, a claim per 500, one write of the close
    // runs' ids, one of the warning runs'.
    let claims = (created / PAGE) as u64 * chunks(PAGE, CLAIMS) + chunks(created % PAGE, CLAIMS);
    let per_chunk = 3 * chunks(created, PAGE) + claims;
    assert_eq!(
        sent.of("POST /rest/v1/rpc/attctl_claim_for_planning"),
        claims
    );
    assert_eq!(sent.of("PATCH /rest/v1/teaching_sessions"), 0);
    assert_eq!(
        sent.of("POST /rest/v1/rpc/attctl_store_run_ids"),
        chunks(created, PAGE)
    );
    assert_eq!(
        sent.of("POST /rest/v1/rpc/attctl_add_warning_runs"),
        chunks(created, PAGE)
    );
    sent.assert_at_most(per_chunk + 6, "session generate with Hatchet");
    // Hatchet has no bulk create: one scheduled run per session and warning, nothing else.
    assert_eq!(
        engine.request_count(routes::CREATE_SCHEDULED),
        2 * created as u64
    );
    runtime.block_on(engine.stop());
}

#[test]
fn delete_by_filter_deletes_two_hundred_sessions_per_request() {
    let _serial = serial();
    let env = env();
    let first = "2032-03-01";
    let classes = seed("Delete", first, "'local-bulk-' || gen_random_uuid()");
    let (out, sent) = counted(|| {
        env.attctl()
            .args([
                "session",
                "delete",
                "--from",
                first,
                "--to",
                &last_day(first),
            ])
            .args(["--yes", "-o", "json"])
            .success()
    });
    assert_eq!(json_len(&out), SESSIONS);
    assert_eq!(count_rows(&format!("class_id = {}", classes[0])), 0);
    assert_eq!(
        sent.of("DELETE /rest/v1/teaching_sessions"),
        chunks(SESSIONS, IDS)
    );
    // The listing (a page per 1,000), the deletes (200 ids each): nothing per class or day.
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + chunks(SESSIONS, IDS) + 2,
        "session delete by filter",
    );
}

#[test]
fn close_by_filter_closes_two_hundred_sessions_per_request() {
    let _serial = serial();
    let env = env();
    let first = "2033-03-01";
    seed("Close", first, "'local-bulk-' || gen_random_uuid()");
    let (out, sent) = counted(|| {
        env.attctl()
            .args([
                "session",
                "close",
                "--from",
                first,
                "--to",
                &last_day(first),
            ])
            .args(["--yes", "-o", "json"])
            .success()
    });
    assert_eq!(json_len(&out), SESSIONS);
    let between = format!("session_date between '{first}' and '{}'", last_day(first));
    assert_eq!(
        count_rows(&format!("{between} and status = 'Closed'")),
        SESSIONS
    );
    assert_eq!(
        sent.of("PATCH /rest/v1/teaching_sessions"),
        chunks(SESSIONS, IDS)
    );
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + chunks(SESSIONS, IDS) + 2,
        "session close by filter",
    );
}

#[test]
fn class_delete_cascade_deletes_in_bulk() {
    let _serial = serial();
    let env = env();
    let class = env.class();
    // One class, a session a day for 2,000 days.
    stack()
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at, scheduled_task_id)
             select {class}, date '2090-01-01' + d, time '08:00', time '08:45', 'UTC', now(),
                    'local-bulk-' || gen_random_uuid()
             from generate_series(0, 1999) d"
        ))
        .expect("sessions");
    let n = 2000;
    let (out, sent) = counted(|| {
        env.attctl()
            .args([
                "class",
                "delete",
                &format!("id:{class}"),
                "--cascade",
                "--yes",
            ])
            .args(["-o", "json"])
            .success()
    });
    assert_eq!(out.json()["sessions_deleted"], n, "{}", out.stdout);
    assert_eq!(count_rows(&format!("class_id = {class}")), 0);
    assert_eq!(
        sent.of("DELETE /rest/v1/teaching_sessions"),
        chunks(n, IDS),
        "{:?}",
        sent.routes
    );
    // The class, its sessions page by page, the deletes, the class itself.
    sent.assert_at_most(
        chunks(n, PAGE) + 1 + chunks(n, IDS) + 4,
        "class delete --cascade",
    );
}

#[test]
fn holiday_add_delete_sessions_deletes_in_bulk() {
    let _serial = serial();
    let env = env();
    let first = "2035-03-01";
    let classes = seed("Holiday", first, "'local-bulk-' || gen_random_uuid()");
    let (out, sent) = counted(|| {
        env.attctl()
            .args(["holiday", "add", "--name", &unique("Closure")])
            .args(["--from", first, "--to", &last_day(first)])
            .args(["--delete-sessions", "--yes", "-o", "json"])
            .success()
    });
    let deleted = out.json()["sessions_deleted"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(deleted, SESSIONS, "{}", out.stdout);
    assert_eq!(count_rows(&format!("class_id = {}", classes[1])), 0);
    // The listing, the class names, the holiday, the deletes.
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + chunks(SESSIONS, IDS) + 3,
        "holiday add --delete-sessions",
    );
}

#[test]
fn export_reads_a_page_per_thousand_sessions() {
    let _serial = serial();
    let env = env();
    let first = "2036-03-01";
    seed("Export", first, "null");
    let last = last_day(first);
    let (csv, sent) = counted(|| {
        env.attctl()
            .args(["session", "export", "--format", "csv"])
            .args(["--from", first, "--to", &last])
            .success()
    });
    // A header and a line per session.
    assert_eq!(csv.stdout.lines().count(), SESSIONS + 1);
    // The class names, then the sessions page by page.
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + 2,
        "session export --format csv",
    );

    let (ics, sent) = counted(|| {
        env.attctl()
            .args(["session", "export", "--format", "ics"])
            .args(["--from", first, "--to", &last])
            .success()
    });
    assert_eq!(ics.stdout.matches("BEGIN:VEVENT").count(), SESSIONS);
    // A calendar also reads each session's reschedule count (its SEQUENCE), 200 ids a
    // request, and the store's identity (its UIDs).
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + chunks(SESSIONS, IDS) + 3,
        "session export --format ics",
    );
}

#[test]
fn delete_with_hatchet_cancels_runs_in_bulk() {
    let _serial = serial();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let engine = runtime
        .block_on(TestEngine::start(EngineConfig::default()))
        .expect("test engine");
    let env = env().with_hatchet(&engine.token());
    let first = "2038-03-01";
    // Runs the engine never planned: each cancel finds it gone, as after a fired run.
    seed("Cancel", first, "gen_random_uuid()::text");
    let (out, sent) = counted(|| {
        env.attctl()
            .args([
                "session",
                "delete",
                "--from",
                first,
                "--to",
                &last_day(first),
            ])
            .args(["--yes", "-o", "json"])
            .success()
    });
    assert_eq!(json_len(&out), SESSIONS);
    // Runs cancelled 500 a request, never one by one.
    assert_eq!(engine.request_count(routes::DELETE_SCHEDULED), 0);
    assert_eq!(
        engine.request_count(routes::BULK_DELETE_SCHEDULED),
        chunks(SESSIONS, HATCHET_BULK)
    );
    // The listing, the warning runs taken back (200 sessions a request), the deletes.
    sent.assert_at_most(
        chunks(SESSIONS, PAGE) + 1 + 2 * chunks(SESSIONS, IDS) + 2,
        "session delete by filter with Hatchet",
    );
    runtime.block_on(engine.stop());
}

/// A teacher's `session generate` on a staff machine (anon key and their sign-in, no
/// Hatchet): the sessions are written in bulk and left without a run for attctl-worker to
/// plan. No claim is written: a signed-in user may not set `scheduled_task_id`.
#[test]
fn a_teacher_s_generate_writes_in_bulk_and_leaves_the_runs_to_the_worker() {
    let _serial = serial();
    let admin = env();
    let name = unique("Taught");
    let class = admin
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success()
        .json()["id"]
        .as_i64()
        .expect("class id");
    let email = format!("{}@school.example", unique("generator").to_lowercase());
    stack()
        .create_auth_user(&email, "staff room kettle")
        .expect("auth user");
    admin
        .attctl()
        .args([
            "staff", "add", &email, "--role", "teacher", "--class", &name,
        ])
        .success();
    let teacher = admin.staff_machine();
    teacher.login(&email, "staff room kettle").assert_ok();
    let (out, sent) = counted(|| {
        teacher
            .attctl()
            .args(["session", "generate", "--class", &format!("id:{class}")])
            .args(["--rrule", "FREQ=DAILY", "--from", "2086-01-01"])
            .args(["--to", "2088-12-31", "--start", "08:00", "--end", "08:45"])
            .args(["-o", "json"])
            .run()
    });
    out.assert_ok();
    let created = out.json()["created"].as_array().map_or(0, Vec::len);
    assert_eq!(created, 1096);
    assert_eq!(
        count_rows(&format!("class_id = {class} and scheduled_task_id is null")),
        created
    );
    assert_eq!(
        sent.of("PATCH /rest/v1/teaching_sessions"),
        0,
        "{:?}",
        sent.routes
    );
    sent.assert_at_most(chunks(created, PAGE) + 8, "a teacher's session generate");
}
