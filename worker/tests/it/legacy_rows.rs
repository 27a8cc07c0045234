//! An upgraded database of the original app, with every kind of old row that breaks
//! attctl's rules, on the real stack (PostgreSQL 15 + PostgREST): the migrations apply, the
//! sweep closes every ordinary overdue row, listings show every readable row, doctor names
//! the bad ones and repairs the safe ones, and once a person has fixed the rest the
//! migrations validate every constraint.

use crate::common::{TestEnv, doctor_check};
use attctl_testkit::SupabaseStack;
use serde_json::Value;

/// The original app's tables as they are in production: no CHECK, UNIQUE or NOT NULL
/// beyond the keys.
const ORIGINAL_SCHEMA: &str = r#"
drop table if exists public.teaching_sessions, public.classes cascade;
create table public.classes (id bigserial primary key, name text);
create table public.teaching_sessions (
  id bigserial primary key,
  class_id bigint references public.classes (id),
  session_date date,
  start_time time,
  end_time time,
  status text,
  scheduled_task_id text null,
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
insert into public.classes (id, name) values (1, 'Maths'), (2, 'Maths'), (3, 'History');
insert into public.teaching_sessions (id, class_id, session_date, start_time, end_time, status) values
  -- an ordinary overdue session
  (101, 3, current_date - 1, '08:00', '09:00', 'Open'),
  -- lowercase statuses
  (102, 3, current_date - 1, '10:00', '11:00', 'open'),
  (103, 3, current_date - 2, '10:00', '11:00', ' closed'),
  -- crossing midnight: one that ended, one still to come
  (104, 3, current_date - 3, '23:00', '00:30', 'Open'),
  (105, 3, current_date + 1, '23:00', '00:30', 'Open'),
  -- zero length
  (106, 3, current_date - 1, '12:00', '12:00', 'Open'),
  -- the same class, date and start twice
  (107, 1, current_date - 1, '14:00', '15:00', 'Open'),
  (108, 1, current_date - 1, '14:00', '15:00', 'Open'),
  -- no class
  (109, null, current_date - 1, '16:00', '17:00', 'Open');
"#;

fn ids(value: &Value) -> Vec<i64> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// `kind -> ids` of the `supabase.rows` check.
fn problems(report: &Value) -> Vec<(String, Vec<i64>)> {
    let rows = &doctor_check(report, "supabase.rows")["rows"];
    rows.as_array()
        .unwrap_or_else(|| panic!("no rows in {report:#}"))
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap_or_default().to_string(),
                ids(&p["ids"]),
            )
        })
        .collect()
}

fn row(stack: &SupabaseStack, id: i64) -> String {
    stack
        .psql(&format!(
            "select status || '|' || coalesce(closed_by, '-') from public.teaching_sessions where id = {id}"
        ))
        .expect("read a row")
}

#[test]
fn an_upgraded_table_with_every_kind_of_bad_row_keeps_closing() {
    let stack = SupabaseStack::start().expect("dedicated Supabase stack");
    stack.psql(ORIGINAL_SCHEMA).expect("the original tables");
    stack
        .apply_migrations("postgres")
        .expect("the migrations apply");
    let env = TestEnv::bare()
        .with("SUPABASE_URL", &stack.url())
        .with("SUPABASE_SERVICE_ROLE_KEY", &stack.service_role_key());

    // The migration fixed the status case and gave overnight sessions the next day's end.
    assert_eq!(row(&stack, 102), "Open|-");
    assert_eq!(row(&stack, 103), "Closed|-");
    let overnight = stack
        .psql(
            "select bool_and(closes_at > (session_date + start_time) at time zone timezone) \
             from public.teaching_sessions where id in (104, 105)",
        )
        .unwrap();
    assert_eq!(overnight, "t", "a closing instant before the start");

    // The sweep closes every overdue row it can write, and names the one it cannot.
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let summary: Value = serde_json::from_str(out.stdout.trim()).expect("one JSON line");
    let mut closed = ids(&summary["closed_ids"]);
    closed.sort_unstable();
    assert_eq!(closed, vec![101, 102, 104, 106, 107, 108], "{summary}");
    let failed: Vec<i64> = summary["failed"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(failed, vec![109], "{summary}");
    for id in [101, 102, 104, 106, 107, 108] {
        assert_eq!(row(&stack, id), "Closed|sweep", "session {id}");
    }
    assert_eq!(row(&stack, 105), "Open|-", "not due yet");
    assert_eq!(row(&stack, 109), "Open|-");
    // A second sweep is not stopped by the row either.
    let again = env.worker_once(["sweep", "--once"]);
    again.assert_ok();

    // Listing shows every readable row, warns with the id of the other, and says so in its
    // exit code.
    let list = env.run_attctl(["session", "list", "--all", "-o", "json"]);
    assert_eq!(list.code, 7, "stderr: {}", list.stderr);
    let mut listed: Vec<i64> = list
        .json()
        .as_array()
        .map(|rows| rows.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default();
    listed.sort_unstable();
    assert_eq!(listed, vec![101, 102, 103, 104, 105, 106, 107, 108]);
    assert!(list.stderr.contains("session 109"), "{}", list.stderr);
    let ndjson = env.run_attctl(["session", "list", "--all", "-o", "ndjson"]);
    assert_eq!(ndjson.code, 7);
    assert_eq!(ndjson.stdout.lines().count(), 8, "{}", ndjson.stdout);

    // Doctor names exactly the bad rows, and what to do about each.
    let doctor = env.run_attctl(["doctor", "-o", "json"]);
    let report = doctor.json();
    assert_eq!(doctor_check(&report, "supabase.rows")["status"], "warn");
    let mut found = problems(&report);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("crosses_midnight".to_string(), vec![104, 105]),
            ("duplicate_class_names".to_string(), vec![1, 2]),
            ("duplicate_sessions".to_string(), vec![107, 108]),
            ("no_class".to_string(), vec![109]),
            ("zero_length".to_string(), vec![106]),
        ],
        "{report:#}"
    );
    let fix = doctor_check(&report, "supabase.rows")["fix"]
        .as_str()
        .unwrap_or_default();
    for kind in ["no_class", "zero_length", "duplicate_sessions"] {
        assert!(fix.contains(kind), "{fix}");
    }

    // Drift that has one meaning: a lowercase status, a closing instant out of step.
    stack
        .psql(
            "alter table public.teaching_sessions drop constraint teaching_sessions_status_check; \
             update public.teaching_sessions set status = 'open ' where id = 105; \
             alter table public.teaching_sessions add constraint teaching_sessions_status_check \
               check (status in ('Open', 'Closed')) not valid; \
             set session_replication_role = replica; \
             update public.teaching_sessions set closes_at = closes_at - interval '1 day' where id = 104;",
        )
        .expect("drift");
    let report = env.run_attctl(["doctor", "-o", "json"]).json();
    let found = problems(&report);
    assert!(
        found.contains(&("status_case".to_string(), vec![105])),
        "{found:?}"
    );
    assert!(
        found.contains(&("closes_at_stale".to_string(), vec![104])),
        "{found:?}"
    );

    let dry = env.run_attctl(["doctor", "--repair", "--dry-run", "-o", "json"]);
    let dry = dry.json();
    assert_eq!(dry["repair"]["applied"], false, "{dry:#}");
    assert_eq!(ids(&dry["repair"]["status_case"]["ids"]), vec![105]);
    assert_eq!(ids(&dry["repair"]["closes_at"]["ids"]), vec![104]);
    assert_eq!(row(&stack, 105), "open |-", "a dry run changes nothing");

    let repaired = env.run_attctl(["doctor", "--repair", "-o", "json"]).json();
    assert_eq!(repaired["repair"]["applied"], true, "{repaired:#}");
    assert_eq!(doctor_check(&repaired, "supabase.repair")["status"], "ok");
    assert_eq!(row(&stack, 105), "Open|-");
    let fixed = problems(&repaired);
    assert!(
        !fixed
            .iter()
            .any(|(kind, _)| kind == "status_case" || kind == "closes_at_stale"),
        "{fixed:?}"
    );
    let on_time = stack
        .psql(
            "select closes_at = ((session_date + 1) + end_time) at time zone timezone \
             from public.teaching_sessions where id = 104",
        )
        .unwrap();
    assert_eq!(on_time, "t");

    // A person settles the rest; the migrations then validate every constraint.
    stack
        .psql(
            "delete from public.teaching_sessions where id in (108, 109); \
             update public.teaching_sessions set end_time = '13:00' where id = 106; \
             update public.classes set name = 'Maths B' where id = 2;",
        )
        .expect("a person's fixes");
    stack
        .apply_migrations("postgres")
        .expect("the migrations apply again");
    let info = stack
        .psql(
            "select attctl_schema_info()->>'unvalidated_constraints', \
             attctl_schema_info()->>'missing_constraints'",
        )
        .unwrap();
    assert_eq!(info, "[]|[]");
    let report = env.run_attctl(["doctor", "-o", "json"]).json();
    assert_eq!(
        doctor_check(&report, "supabase.rows")["status"],
        "ok",
        "{report:#}"
    );
    assert_eq!(
        doctor_check(&report, "supabase.migrations")["status"],
        "ok",
        "{report:#}"
    );
    let list = env.run_attctl(["session", "list", "--all", "-o", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
}
