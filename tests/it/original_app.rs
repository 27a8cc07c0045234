//! The original app's own database: attctl's migrations upgrade it without breaking the
//! app's writes and reads, and attctl works on it (create, list, close by the sweep).
//!
//! The fixture is the app's schema as its SQLAlchemy models create it, with the app's rows
//! (`attctl_testkit::ORIGINAL_APP_SCHEMA_SQL`, `ORIGINAL_APP_ROWS_SQL`); every
//! `backend_tests!` body also runs on it, next to attctl's own database.

use attctl_testkit::{
    ORIGINAL_APP_REGISTERS_SQL as REGISTERS, ORIGINAL_APP_ROWS_SQL, ORIGINAL_APP_SCHEMA_SQL,
    SupabaseStack,
};
use serde_json::Value;

use crate::common::{Backend, TestEnv, doctor_check, unique};

/// The app's columns of `teaching_sessions`, as its API reads them.
const APP_SESSION_READ: &str = "select coalesce(json_agg(t order by t.id), '[]') from (\
     select id, session_date, start_time, end_time, session_type, qr_code, qr_expired_at, \
     status, class_id, created_at, updated_at, scheduled_task_id from teaching_sessions) t";

/// What anon and authenticated may do on every table of the app, and whether RLS is on.
const ACCESS: &str = "select string_agg(format('%s/%s:%s%s%s%s rls=%s', c.relname, r.role, \
     has_table_privilege(r.role, c.oid, 'SELECT')::int, \
     has_table_privilege(r.role, c.oid, 'INSERT')::int, \
     has_table_privilege(r.role, c.oid, 'UPDATE')::int, \
     has_table_privilege(r.role, c.oid, 'DELETE')::int, c.relrowsecurity), ' ' \
     order by c.relname, r.role) \
     from pg_class c join pg_namespace n on n.oid = c.relnamespace \
     cross join (values ('anon'), ('authenticated')) r (role) \
     where n.nspname = 'public' and c.relkind = 'r' and c.relname in \
     ('classes', 'teaching_sessions', 'attendances', 'class_students', 'students', 'teachers')";

fn as_role(role: &str, sql: &str) -> String {
    format!("set role {role}; {sql}")
}

/// A database of its own, built from the app's models and rows, not yet migrated.
fn app_database(stack: &SupabaseStack, name: &str) -> String {
    let db = format!("{name}_{}", std::process::id());
    stack.create_database(&db).unwrap();
    stack.psql_in(&db, ORIGINAL_APP_SCHEMA_SQL).unwrap();
    stack.psql_in(&db, ORIGINAL_APP_ROWS_SQL).unwrap();
    db
}

#[test]
fn the_apps_reads_writes_and_access_survive_the_migrations() {
    let stack = SupabaseStack::shared();
    let db = app_database(stack, "app_upgrade");
    let anon_read = stack
        .psql_in(&db, &as_role("anon", APP_SESSION_READ))
        .unwrap();
    let registers = stack.psql_in(&db, REGISTERS).unwrap();
    let access = stack.psql_in(&db, ACCESS).unwrap();

    stack.apply_migrations(&db).unwrap();

    // The app's API reads as before: same rows, same values ('Close' stays 'Close').
    assert_eq!(
        stack
            .psql_in(&db, &as_role("anon", APP_SESSION_READ))
            .unwrap(),
        anon_read
    );
    // Its access model is the school's: no privilege changed; RLS is on for staff
    // (20261205110000) on the two tables attctl shares, with a policy that lets anon and
    // signed-in users do what they did.
    let expected = access
        .replace("classes/anon:1111 rls=f", "classes/anon:1111 rls=t")
        .replace(
            "classes/authenticated:1111 rls=f",
            "classes/authenticated:1111 rls=t",
        )
        .replace("sessions/anon:1111 rls=f", "sessions/anon:1111 rls=t")
        .replace(
            "sessions/authenticated:1111 rls=f",
            "sessions/authenticated:1111 rls=t",
        );
    assert_eq!(stack.psql_in(&db, ACCESS).unwrap(), expected);

    // The app's own INSERT, through its anon key, knowing nothing of attctl's columns: the
    // school's zone (none set: the database's, UTC here) and the closing instant are filled.
    let inserted = stack
        .psql_in(
            &db,
            &as_role(
                "anon",
                "insert into teaching_sessions (session_date, start_time, end_time, session_type, \
                 status, class_id, created_at, updated_at) values ('2031-03-02', '07:30', '09:00', \
                 'seminar', 'Close', 1, '2031-02-01 00:00', '2031-02-01 00:00') \
                 returning id, timezone, closes_at, status",
            ),
        )
        .unwrap();
    let fields: Vec<&str> = inserted.lines().last().unwrap().split('|').collect();
    assert!(fields[1].ends_with("UTC"), "{inserted}");
    assert!(fields[2].starts_with("2031-03-02 09:00:00"), "{inserted}");
    assert_eq!(fields[3], "Close");

    // The app's worker: an unconditional UPDATE to 'Closed' with the service key.
    let closed = stack
        .psql_in(
            &db,
            &as_role(
                "service_role",
                "update teaching_sessions set status = 'Closed', updated_at = now() \
                 where id = 2 returning status, closed_at is not null",
            ),
        )
        .unwrap();
    assert_eq!(closed.lines().last(), Some("Closed|t"), "{closed}");
    // Its close is one session.closed event in attctl's outbox, written for it.
    assert_eq!(
        stack
            .psql_in(
                &db,
                "select count(*) from session_events where type = 'session.closed' and session_id = 2"
            )
            .unwrap(),
        "1"
    );

    // A session the app inserts as 'Close' reads as closed to attctl's SQL as well.
    assert_eq!(
        stack
            .psql_in(
                &db,
                "select closed_at is not null from teaching_sessions where status = 'Close' and session_date = '2031-03-02'"
            )
            .unwrap(),
        "t"
    );

    // Registers are untouched by all of it, and by running the migrations again.
    stack.apply_migrations(&db).unwrap();
    assert_eq!(stack.psql_in(&db, REGISTERS).unwrap(), registers);
    assert_eq!(stack.psql_in(&db, ACCESS).unwrap(), expected);
    let notices = stack
        .psql_in(&db, "select attctl_schema_info()->>'version'")
        .unwrap();
    assert_eq!(notices, attctl::commands::doctor::SCHEMA_VERSION);
}

#[test]
fn class_codes_and_times_are_filled_for_writers_that_send_none() {
    let stack = SupabaseStack::shared();
    let db = app_database(stack, "app_fills");
    stack.apply_migrations(&db).unwrap();
    let codes = stack
        .psql_in(
            &db,
            "insert into classes (name) values ('Year 7 (A)'), ('year 7 a'), ('   ') \
             returning code, created_at is not null, updated_at is not null",
        )
        .err();
    // A blank name is refused by attctl's rule, before any code is made up for it.
    assert!(
        codes.is_some_and(|e| format!("{e:#}").contains("classes_name_check")),
        "blank names are refused"
    );
    let codes = stack
        .psql_in(
            &db,
            "insert into classes (name) values ('Year 7 (A)'), ('year 7 a'), \
             ('History of Art & Design, Year 10 — Group B (afternoon)') returning code",
        )
        .unwrap();
    assert_eq!(
        codes.lines().collect::<Vec<_>>(),
        ["YEAR-7-A", "YEAR-7-A-2", "HISTORY-OF-ART-DESIGN-YEAR-10-GR"]
    );
    // A code the writer gives is kept.
    assert_eq!(
        stack
            .psql_in(
                &db,
                "insert into classes (name, code) values ('Chemistry', 'CHEM-9') returning code"
            )
            .unwrap(),
        "CHEM-9"
    );
    // The app's naive UTC clock columns get the UTC wall clock, whatever the zone of the
    // session writing them.
    let skew = stack
        .psql_in(
            &db,
            "set timezone = 'Asia/Ho_Chi_Minh'; \
             select abs(extract(epoch from (created_at - (now() at time zone 'UTC')))) < 60 \
             from classes where code = 'CHEM-9'",
        )
        .unwrap();
    assert_eq!(skew.lines().last(), Some("t"));
}

#[test]
fn attctl_creates_lists_and_the_sweep_closes_on_the_apps_database() {
    let env = TestEnv::original_app();
    let name = unique("Class");
    let out = env
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success();
    let class = out.json();
    let code = class["code"].as_str().expect("the class's code");
    assert!(code.starts_with("CLASS-"), "{class}");
    assert!(
        out.stderr.contains(code),
        "the filled code is named: {}",
        out.stderr
    );
    let class_id = class["id"].as_i64().unwrap();

    // --type is the app's session type; a type outside its CHECK is refused by attctl.
    let typed = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class"])
        .arg(class_id.to_string())
        .args(["--date", "2031-05-05", "--start", "08:00", "--end", "09:00"])
        .args(["--type", "practice"])
        .success()
        .json();
    assert_eq!(typed["session_type"], "practice");
    let refused = env
        .attctl()
        .args(["session", "create", "--class"])
        .arg(class_id.to_string())
        .args(["--date", "2031-05-06", "--start", "08:00", "--end", "09:00"])
        .args(["--type", "lecture"])
        .run();
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("'lecture'"), "{}", refused.stderr);

    // The app's rows: its 'Close' reads as Closed, its overdue Open row as Open.
    let all = env
        .attctl()
        .args(["session", "list", "--all", "-o", "json"])
        .success()
        .json();
    let row = |id: i64| -> Value {
        all.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("session {id} in {all}"))
    };
    assert_eq!(row(1)["status"], "Closed");
    assert_eq!(row(1)["created_at"], "2024-08-20T03:00:00Z");
    assert_eq!(row(2)["status"], "Open");
    let closed = env
        .attctl()
        .args([
            "session", "list", "--all", "--status", "closed", "-o", "json",
        ])
        .success()
        .json();
    assert!(
        closed.as_array().unwrap().iter().any(|s| s["id"] == 1),
        "{closed}"
    );

    // The sweep closes the app's overdue session (its 'mock-task' is no run).
    let stack = env.stack().unwrap();
    let registers = stack.psql(REGISTERS).unwrap();
    env.worker_once(["sweep", "--once"]).assert_ok();
    let swept = env.show(2);
    assert_eq!(swept["status"], "Closed", "{swept}");
    assert_eq!(swept["closed_by"], "sweep", "{swept}");
    assert_eq!(stack.psql(REGISTERS).unwrap(), registers);

    // Closing and deleting by hand work as on attctl's database.
    let id = typed["id"].as_i64().unwrap();
    env.attctl()
        .args(["session", "close", &id.to_string(), "-o", "json"])
        .success();
    assert_eq!(env.show(id)["status"], "Closed");
    env.attctl()
        .args(["session", "delete", &id.to_string(), "--yes", "-o", "json"])
        .success();
}

#[test]
fn session_types_exist_only_on_the_apps_database() {
    for env in [
        TestEnv::new(Backend::Local),
        TestEnv::new(Backend::Supabase),
    ] {
        let class = env.class();
        let before = env
            .attctl()
            .args(["session", "list", "--all", "-o", "json"])
            .success()
            .json();
        env.attctl()
            .args(["session", "create", "--class"])
            .arg(class.to_string())
            .args(["--date", "2031-05-05", "--start", "08:00", "--end", "09:00"])
            .args(["--type", "theory"])
            .run()
            .assert_one_line_error(2, "--type");
        let after = env
            .attctl()
            .args(["session", "list", "--all", "-o", "json"])
            .success()
            .json();
        assert_eq!(before, after, "{:?}: nothing written", env.backend);
    }
}

#[test]
fn doctor_on_the_apps_database_names_what_is_filled_and_who_may_write() {
    let env = TestEnv::original_app();
    let out = env.attctl().args(["doctor", "-o", "json"]).run();
    let report = out.json();
    assert_eq!(out.code, 0, "no check fails: {report}");
    let check = |name: &str| doctor_check(&report, name);
    let fills = check("supabase.app_fills");
    assert_eq!(fills["status"], "ok", "{fills}");
    let detail = fills["detail"].as_str().unwrap();
    for named in [
        "session_type",
        "theory",
        "timezone",
        "classes.code",
        "Close",
    ] {
        assert!(detail.contains(named), "{named} in {detail}");
    }
    let access = check("supabase.app_access");
    assert_eq!(access["status"], "warn", "{access}");
    assert!(
        access["detail"]
            .as_str()
            .unwrap()
            .contains("the anon key, which ships inside the app, can read and write every session"),
        "{access}"
    );
    assert!(
        access["fix"]
            .as_str()
            .unwrap()
            .contains("harden_original_app.sql"),
        "{access}"
    );
    // The app's rows ('Close', mock-task placeholders) are no problem to repair.
    assert_eq!(check("supabase.rows")["status"], "ok", "{report}");
    assert_eq!(check("supabase.migrations")["status"], "ok", "{report}");
}

/// The explicit hardening step closes the app's tables to the anon key, and only that.
#[test]
fn the_optional_hardening_closes_the_apps_tables_to_anon_only() {
    const HARDEN: &str = include_str!("../../supabase/optional/harden_original_app.sql");
    let stack = SupabaseStack::shared();
    let db = app_database(stack, "app_harden");
    stack.apply_migrations(&db).unwrap();
    // Tried inside a transaction that is rolled back, it keeps nothing.
    let before = stack.psql_in(&db, ACCESS).unwrap();
    stack
        .psql_in(&db, &format!("begin; {HARDEN} rollback;"))
        .unwrap();
    assert_eq!(stack.psql_in(&db, ACCESS).unwrap(), before);

    stack.psql_in(&db, HARDEN).unwrap();
    let refused = stack.psql_in(&db, &as_role("anon", APP_SESSION_READ));
    assert!(
        refused.is_err_and(|e| format!("{e:#}").contains("permission denied")),
        "the anon key is refused, not answered with an empty list"
    );
    let rows = stack
        .psql_in(
            &db,
            &as_role("service_role", "select count(*) from teaching_sessions"),
        )
        .unwrap();
    assert_eq!(rows.lines().last(), Some("2"));
    // Running it again changes nothing more; the registers' tables are not touched.
    let after = stack.psql_in(&db, ACCESS).unwrap();
    stack.psql_in(&db, HARDEN).unwrap();
    assert_eq!(stack.psql_in(&db, ACCESS).unwrap(), after);
    assert!(after.contains("attendances/anon:1111 rls=f "), "{after}");
}

/// The outbox's `session.created` and `session.deleted` events are written once per
/// statement from its transition table (migration 20261205180000), rendering each session
/// as the row trigger's `attctl_session_event_json(to_jsonb(row))` does: the same payload,
/// on attctl's database and on the app's (`'Close'` read as `Closed`, its zone-less
/// timestamps as UTC), for a statement of several rows.
#[test]
fn bulk_inserts_and_deletes_record_the_events_the_row_trigger_would() {
    let stack = SupabaseStack::shared();
    let compare = "create temp table written as select * from teaching_sessions \
         where session_date between '2033-01-03' and '2033-01-05'; \
         delete from teaching_sessions where session_date between '2033-01-03' and '2033-01-05'; \
         select string_agg(format('%s %s %s %s', e.type, w.status, \
             e.payload -> 'session' = attctl_session_event_json(to_jsonb(w)), \
             e.payload -> 'actor' = attctl_actor()), ', ' order by e.type, e.session_id) \
         from session_events e join written w on w.id = e.session_id; \
         rollback;";

    // The app's database: the app's own insert (no zone, no closes_at; 'Close' rows).
    let db = app_database(stack, "app_statement_events");
    stack.apply_migrations(&db).unwrap();
    let app = stack
        .psql_in(
            &db,
            &format!(
                "begin; \
                 insert into teaching_sessions (session_date, start_time, end_time, session_type, \
                     status, class_id, created_at, updated_at) \
                 select date '2033-01-03' + g, '09:00', '09:45', 'theory', \
                     case when g = 1 then 'Close' else 'Open' end, \
                     (select min(id) from classes), now()::timestamp, now()::timestamp \
                 from generate_series(0, 2) g; \
                 select count(*) from session_events e join teaching_sessions t on t.id = e.session_id \
                 where t.status = 'Close' and e.payload -> 'session' ->> 'status' = 'Closed' \
                   and e.payload -> 'session' ->> 'created_at' like '%+00:00'; \
                 {compare}"
            ),
        )
        .unwrap();
    assert_eq!(
        app.lines().map(str::trim).collect::<Vec<_>>(),
        [
            "1",
            "session.created Open t t, session.created Close t t, \
             session.created Open t t, session.deleted Open t t, \
             session.deleted Close t t, session.deleted Open t t"
        ],
        "{app}"
    );

    // attctl's own database.
    let name = unique("Statement events");
    let own = stack
        .psql(&format!(
            "begin; \
             insert into classes (name) values ('{name}'); \
             insert into teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at) \
             select (select id from classes where name = '{name}'), date '2033-01-03' + g, \
                 '09:00', '09:45', 'UTC', (date '2033-01-03' + g) + time '09:45' \
             from generate_series(0, 2) g; \
             {compare}"
        ))
        .unwrap();
    assert_eq!(
        own.trim(),
        "session.created Open t t, session.created Open t t, \
         session.created Open t t, session.deleted Open t t, \
         session.deleted Open t t, session.deleted Open t t",
        "{own}"
    );
}
