//! Issue 10, "the first hour": what a newcomer trips on, black-box through the real binary.
//! Usage errors keep clap's detail, input errors name their source, times and class names
//! are read the way people type them, overlaps are refused, help is short and has examples.

use crate::common::{Backend, Terminal, TestEnv};

// ----- usage errors ----------------------------------------------------------------------

#[test]
fn usage_errors_keep_clap_whole_message() {
    let env = TestEnv::new(Backend::Local);
    let out = env.attctl().args(["session", "close"]).run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(
        out.stderr.contains("<IDS>"),
        "names the argument: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Usage: attctl session close"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let out = env.attctl().args(["sesion", "list"]).run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("'session'"),
        "suggestion kept: {}",
        out.stderr
    );

    let out = env
        .attctl()
        .args(["session", "list", "--form", "2030-01-01"])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--from"), "tip kept: {}", out.stderr);
}

#[test]
fn a_bad_timezone_is_a_usage_error_naming_its_source() {
    let env = TestEnv::new(Backend::Local);
    let out = env
        .attctl()
        .args(["class", "list", "--timezone", "Mars/Base"])
        .run();
    out.assert_one_line_error(2, "flag --timezone");

    let out = env
        .attctl()
        .args(["class", "list"])
        .env("ATTCTL_TIMEZONE", "Europe/Londn")
        .run();
    out.assert_one_line_error(2, "env ATTCTL_TIMEZONE");

    let config = env.dir().join("config.toml");
    std::fs::write(&config, "[profiles.default]\ntimezone = \"Nowhere/Town\"\n").unwrap();
    let out = env
        .attctl()
        .args(["class", "list", "--config"])
        .arg(config.display().to_string())
        .env_remove("ATTCTL_TIMEZONE")
        .run();
    out.assert_one_line_error(2, "profile default");
}

// ----- times, dates ----------------------------------------------------------------------

fn accepts_one_digit_hours(env: TestEnv) {
    let class = env.class();
    let s = env.session(class, "2030-02-01", "9:00", "9:45");
    assert_eq!(s["start_time"], "09:00:00", "{s}");
    assert_eq!(s["end_time"], "09:45:00", "{s}");
}

#[test]
fn yesterday_is_documented() {
    let env = TestEnv::new(Backend::Local);
    let help = env.attctl().args(["session", "create", "--help"]).success();
    assert!(help.stdout.contains("yesterday"), "{}", help.stdout);
    assert!(help.stdout.contains("H:MM"), "{}", help.stdout);
    let out = env
        .attctl()
        .args(["session", "list", "--date", "someday"])
        .run();
    out.assert_one_line_error(2, "today, tomorrow or yesterday");
}

// ----- class lookup ------------------------------------------------------------------------

fn class_names_in_any_case_with_suggestions_and_an_explicit_form(env: TestEnv) {
    let name = crate::common::unique("Year 7 (A)");
    env.attctl()
        .args(["class", "create", "--name", &name])
        .success();
    // A unique case-insensitive match is taken.
    let s = env
        .attctl()
        .args([
            "session",
            "create",
            "-o",
            "json",
            "--class",
            &name.to_lowercase(),
        ])
        .args(["--date", "2030-03-01", "--start", "08:00", "--end", "09:00"])
        .success()
        .json();
    assert!(s["class_id"].as_i64().is_some(), "{s}");

    // A typo gets the closest name.
    let typo = name.replace("(A)", "(B)");
    let out = env
        .attctl()
        .args(["session", "list", "--class", &typo])
        .run();
    out.assert_one_line_error(3, &format!("did you mean \"{name}\""));

    // A class named "42" is reachable with name:42 (a bare 42 is an id).
    let digits = format!("{}", 900_000 + std::process::id() % 99_999);
    let created = env
        .attctl()
        .args(["class", "create", "-o", "json", "--name", &digits])
        .success()
        .json();
    let by_name = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class"])
        .arg(format!("name:{digits}"))
        .args(["--date", "2030-03-02", "--start", "08:00", "--end", "09:00"])
        .success()
        .json();
    assert_eq!(by_name["class_id"], created["id"]);
}

// ----- overlaps ----------------------------------------------------------------------------

fn overlapping_sessions_are_refused_unless_allowed(env: TestEnv) {
    let class = env.class();
    let first = env.session(class, "2030-04-01", "08:00", "09:00");
    let id = first["id"].as_i64().unwrap();
    let out = env
        .attctl()
        .args(["session", "create", "--class", &class.to_string()])
        .args(["--date", "2030-04-01", "--start", "08:30", "--end", "09:30"])
        .run();
    out.assert_one_line_error(4, &format!("overlaps session {id}"));

    // Adjacent is not overlapping.
    let next = env.session(class, "2030-04-01", "09:00", "10:00");
    // Moving a session onto another is refused the same way.
    let out = env
        .attctl()
        .args(["session", "reschedule"])
        .arg(next["id"].as_i64().unwrap().to_string())
        .args(["--start", "08:45", "--end", "09:45"])
        .run();
    out.assert_one_line_error(4, &format!("overlaps session {id}"));

    // Explicitly allowed.
    env.attctl()
        .args([
            "session",
            "create",
            "-o",
            "json",
            "--allow-overlap",
            "--class",
        ])
        .arg(class.to_string())
        .args(["--date", "2030-04-01", "--start", "08:30", "--end", "09:30"])
        .success();
    // Another class is unaffected.
    let other = env.class();
    env.session(other, "2030-04-01", "08:30", "09:30");
}

// ----- listing -----------------------------------------------------------------------------

fn json_lists_cut_at_the_limit_say_so_on_stderr(env: TestEnv) {
    let class = env.class();
    env.seed_sessions(class, 12);
    let out = env
        .attctl()
        .args(["session", "list", "-o", "json", "--limit", "10", "--class"])
        .arg(class.to_string())
        .success();
    assert_eq!(out.json().as_array().unwrap().len(), 10);
    assert!(
        out.stderr.contains("showing 10 of 12"),
        "stderr: {}",
        out.stderr
    );
    let all = env
        .attctl()
        .args(["session", "list", "-o", "json", "--all", "--class"])
        .arg(class.to_string())
        .success();
    assert!(!all.stderr.contains("showing"), "{}", all.stderr);
}

fn closing_already_closed_sessions_says_it_once(env: TestEnv) {
    let class = env.class();
    let a = env.session(class, "2030-05-01", "08:00", "09:00")["id"].clone();
    let b = env.session(class, "2030-05-01", "10:00", "11:00")["id"].clone();
    let ids = [a.to_string(), b.to_string()];
    env.attctl()
        .args(["session", "close", "-o", "table"])
        .args(ids.clone())
        .success();
    let again = env
        .attctl()
        .args(["session", "close", "-o", "table"])
        .args(ids)
        .success();
    assert!(!again.stderr.contains("already closed"), "{}", again.stderr);
    assert_eq!(
        again.stdout.matches("already").count(),
        2,
        "{}",
        again.stdout
    );
}

backend_tests!(
    accepts_one_digit_hours,
    class_names_in_any_case_with_suggestions_and_an_explicit_form,
    overlapping_sessions_are_refused_unless_allowed,
    json_lists_cut_at_the_limit_say_so_on_stderr,
    closing_already_closed_sessions_says_it_once,
    status_shows_today,
    classes_can_be_renamed_and_deleted,
    session_tables_name_the_class,
);

// ----- prompts -----------------------------------------------------------------------------

#[test]
fn declining_the_delete_prompt_is_not_an_error() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let id = env.session(class, "2030-06-01", "08:00", "09:00")["id"].clone();
    let Some(screen) = env.on_terminal(
        &["session", "delete", &id.to_string()],
        Terminal::NARROW,
        "n\n",
    ) else {
        return;
    };
    screen.assert_ok();
    let text = screen.text();
    assert!(text.contains("nothing deleted"), "{text}");
    assert!(!text.contains("error"), "{text}");
    // Still there.
    env.attctl()
        .args(["session", "show"])
        .arg(id.to_string())
        .success();
}

// ----- configuration -----------------------------------------------------------------------

#[test]
fn config_init_leaves_the_backend_to_be_inferred_and_doctor_warns() {
    let env = TestEnv::new(Backend::Local);
    env.attctl().args(["config", "init"]).success();
    let path = env.dir().join("config/attctl/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("backend")),
        "no active backend line:\n{text}"
    );

    // A profile that forces local while Supabase settings are present: doctor warns.
    std::fs::write(
        &path,
        "[profiles.default]\nbackend = \"local\"\nsupabase_url = \"https://example.supabase.co\"\n",
    )
    .unwrap();
    let out = env.attctl().args(["doctor", "-o", "json"]).run();
    let report = out.json();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "config.backend")
        .unwrap_or_else(|| panic!("no config.backend check: {report}"));
    assert_eq!(check["status"], "warn", "{check}");
    assert!(
        check["detail"]
            .as_str()
            .unwrap()
            .contains("local backend is in force"),
        "{check}"
    );
}

// ----- help and version --------------------------------------------------------------------

#[test]
fn subcommand_help_is_short_with_examples_and_globals_named_once() {
    let env = TestEnv::new(Backend::Local);
    let show = env.attctl().args(["session", "show", "--help"]).success();
    assert!(show.stdout.contains("Examples:"), "{}", show.stdout);
    assert!(
        !show.stdout.contains("Supabase project URL"),
        "{}",
        show.stdout
    );
    assert!(show.stdout.contains("attctl --help"), "{}", show.stdout);
    assert!(show.stdout.lines().count() < 25, "{}", show.stdout);
    let top = env.attctl().arg("--help").success();
    assert!(top.stdout.contains("Global options:"), "{}", top.stdout);
    assert!(
        top.stdout.contains("Supabase project URL"),
        "{}",
        top.stdout
    );
    // Globals still work after a subcommand.
    env.attctl()
        .args(["class", "list", "-o", "json", "--timezone", "UTC"])
        .success();
    let list = env.attctl().args(["session", "list", "--help"]).success();
    assert!(
        list.stdout.contains("[possible values: Open, Closed]"),
        "{}",
        list.stdout
    );
    assert!(!list.stdout.contains("open, closed"), "{}", list.stdout);
    env.attctl()
        .args(["session", "list", "--status", "OPEN", "-o", "json"])
        .success();
    for cmd in [
        &["session", "create"][..],
        &["session", "list"],
        &["session", "close"],
        &["session", "delete"],
        &["session", "reschedule"],
        &["class", "list"],
        &["class", "create"],
        &["doctor"],
        &["config", "show"],
        &["config", "init"],
    ] {
        let out = env
            .attctl()
            .args(cmd.iter().copied())
            .arg("--help")
            .success();
        assert!(out.stdout.contains("Examples:"), "{cmd:?}: {}", out.stdout);
    }
}

#[test]
fn version_names_the_build() {
    let env = TestEnv::new(Backend::Local);
    let out = env.attctl().arg("--version").success();
    // "attctl 0.1.0 (abcdef123 2026-11-30)", or "(unknown unknown)" outside git.
    let line = out.stdout.trim();
    assert!(line.starts_with("attctl 0."), "{line}");
    let inside = line
        .split_once(" (")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("no (commit date): {line}"));
    let (commit, date) = inside.split_once(' ').expect("commit and date");
    assert!(
        commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()),
        "{line}"
    );
    assert!(date == "unknown" || date.len() == 10, "{line}");
}

// ----- the overlap constraint on an upgraded database ----------------------------------------

/// The original app's tables, as in production before attctl (see testkit/tests/stack.rs).
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
fn an_upgraded_database_with_overlapping_rows_still_migrates() {
    let stack = attctl_testkit::SupabaseStack::shared();
    let db = format!("legacy_overlap_{}", std::process::id());
    stack.create_database(&db).unwrap();
    stack.psql_in(&db, ORIGINAL_SCHEMA).unwrap();
    stack
        .psql_in(
            &db,
            r#"
            insert into classes (name) values ('Maths'), ('History');
            insert into teaching_sessions (class_id, session_date, start_time, end_time, status) values
              (1, '2024-07-01', '08:00', '09:00', 'Open'),
              (1, '2024-07-01', '08:30', '09:30', 'Open'),
              -- crosses midnight: its span ends the next day
              (2, '2024-07-01', '23:00', '01:00', 'Open'),
              (2, '2024-07-02', '08:00', '09:00', 'Open');
            "#,
        )
        .unwrap();
    // The overlap keeps the constraint out (with a WARNING), not the migration.
    stack.apply_migrations(&db).unwrap();
    let missing = stack
        .psql_in(&db, "select attctl_schema_info()->>'missing_constraints'")
        .unwrap();
    assert!(
        missing.contains("teaching_sessions_no_overlap"),
        "{missing}"
    );
    assert_eq!(
        stack
            .psql_in(&db, "select count(*) from teaching_sessions")
            .unwrap(),
        "4"
    );

    // Resolved, the migration runs again and creates it; then overlaps are refused.
    stack
        .psql_in(
            &db,
            "update teaching_sessions set allow_overlap = true where id = 2",
        )
        .unwrap();
    stack.apply_migrations(&db).unwrap();
    let missing = stack
        .psql_in(&db, "select attctl_schema_info()->>'missing_constraints'")
        .unwrap();
    assert!(
        !missing.contains("teaching_sessions_no_overlap"),
        "{missing}"
    );
    let refused = stack.psql_in(
        &db,
        "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone) \
         values (2, '2024-07-02', '00:30', '00:45', 'UTC')",
    );
    assert!(
        refused.is_err_and(|e| format!("{e:#}").contains("teaching_sessions_no_overlap")),
        "a session inside the overnight row's span is refused"
    );
}

// ----- attctl status -------------------------------------------------------------------------

fn status_shows_today(env: TestEnv) {
    let (start_date, start) = crate::common::utc_in(-60);
    let (end_date, end) = crate::common::utc_in(600);
    if start_date != end_date {
        eprintln!("skipped: too close to midnight UTC");
        return;
    }
    let class = env.class();
    let now_open = env.session(class, &start_date, &start[..5], &end[..5]);
    let other = env.class();
    let overdue = env.session(other, "yesterday", "08:00", "09:00");
    // An overdue session (and, locally, no worker) is an alert: exit 1 after the report.
    let checked = env.attctl().args(["status", "-o", "json"]).run();
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    let report = checked.json();
    // The original app's database holds an overdue row of its own besides this test's.
    let overdue_count = report["overdue"].as_array().map_or(0, Vec::len);
    let said = match overdue_count {
        1 => "1 session overdue".to_string(),
        n => format!("{n} sessions overdue"),
    };
    assert!(checked.stderr.contains(&said), "{said}: {}", checked.stderr);
    let ids = |key: &str| -> Vec<i64> {
        report[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {report}"))
            .iter()
            .filter_map(|s| s["id"].as_i64())
            .collect()
    };
    assert!(
        ids("open_now").contains(&now_open["id"].as_i64().unwrap()),
        "{report}"
    );
    assert!(
        ids("next_closes").contains(&now_open["id"].as_i64().unwrap()),
        "{report}"
    );
    assert!(
        ids("overdue").contains(&overdue["id"].as_i64().unwrap()),
        "{report}"
    );
    let open = report["open_now"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == now_open["id"])
        .unwrap();
    assert!(open["closes_in_secs"].as_i64().unwrap() > 0, "{open}");
    assert!(open["class_name"].is_string(), "{open}");
    match env.backend {
        Backend::Local => {
            assert_eq!(report["store"], "local");
            assert_eq!(report["worker"]["alive"], false, "{report}");
        }
        Backend::Supabase => assert_eq!(report["store"], "supabase"),
    }
    assert_eq!(report["scheduler"], "local");
    let table = env.attctl().args(["status", "-o", "table"]).run();
    assert!(table.stdout.contains("closes in"), "{}", table.stdout);
    assert!(table.stdout.contains("past its end"), "{}", table.stdout);
}

// ----- class rename and delete -----------------------------------------------------------

fn classes_can_be_renamed_and_deleted(env: TestEnv) {
    let old = crate::common::unique("Old name");
    let new = crate::common::unique("New name");
    let taken = crate::common::unique("Taken");
    let id = env
        .attctl()
        .args(["class", "create", "-o", "json", "--name", &old])
        .success()
        .json()["id"]
        .clone();
    env.attctl()
        .args(["class", "create", "--name", &taken])
        .success();
    let renamed = env
        .attctl()
        .args(["class", "rename", &old, "--name", &new, "-o", "json"])
        .success()
        .json();
    assert_eq!(renamed["id"], id);
    assert_eq!(renamed["name"], new.as_str());
    env.attctl()
        .args(["class", "rename", &new, "--name", &taken])
        .run()
        .assert_one_line_error(4, "already exists");

    // A class with sessions is kept unless --cascade --yes.
    let class = id.as_i64().unwrap();
    let s = env.session(class, "2030-07-01", "08:00", "09:00");
    env.attctl()
        .args(["class", "delete", &new])
        .run()
        .assert_one_line_error(4, "still has sessions");
    let no_yes = env
        .attctl()
        .args(["class", "delete", &new, "--cascade"])
        .run();
    assert_eq!(no_yes.code, 2, "{}", no_yes.stderr);
    let gone = env
        .attctl()
        .args(["class", "delete", &new, "--cascade", "--yes", "-o", "json"])
        .success()
        .json();
    assert_eq!(gone["sessions_deleted"], 1, "{gone}");
    env.attctl()
        .args(["session", "show"])
        .arg(s["id"].to_string())
        .run()
        .assert_one_line_error(3, "not found");
    env.attctl()
        .args(["class", "delete", &format!("id:{class}")])
        .run()
        .assert_one_line_error(3, "not found");
    // An empty class goes without ceremony.
    env.attctl().args(["class", "delete", &taken]).success();
}

fn session_tables_name_the_class(env: TestEnv) {
    let name = crate::common::unique("Named class");
    let class = env
        .attctl()
        .args(["class", "create", "-o", "json", "--name", &name])
        .success()
        .json()["id"]
        .as_i64()
        .unwrap();
    let created = env
        .attctl()
        .args(["session", "create", "-o", "table", "--class"])
        .arg(class.to_string())
        .args(["--date", "2030-08-03", "--start", "08:00", "--end", "09:00"])
        .success();
    assert!(created.stdout.contains(&name), "{}", created.stdout);
    // show and delete tables name the class too.
    let id = env.session(class, "2030-08-01", "08:00", "09:00")["id"].to_string();
    let shown = env
        .attctl()
        .args(["session", "show", "-o", "table", &id])
        .success();
    assert!(shown.stdout.contains(&name), "{}", shown.stdout);
    let other = env.session(class, "2030-08-02", "08:00", "09:00")["id"].to_string();
    let deleted = env
        .attctl()
        .args(["session", "delete", "--yes", "-o", "table", &other])
        .success();
    assert!(deleted.stdout.contains(&name), "{}", deleted.stdout);
    let table = env
        .attctl()
        .args(["session", "list", "-o", "table", "--class"])
        .arg(class.to_string())
        .success();
    assert!(table.stdout.contains(&name), "{}", table.stdout);
    let json = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class"])
        .arg(class.to_string())
        .success()
        .json();
    assert_eq!(json[0]["class_name"], name.as_str(), "{json}");
    assert_eq!(json[0]["class_id"], class, "the id stays: {json}");
}

#[test]
fn a_refused_date_at_the_prompt_is_asked_again_from_a_clean_field() {
    if std::process::Command::new("script")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let env = TestEnv::new(Backend::Local);
    let name = crate::common::unique("Prompted");
    env.attctl()
        .args(["class", "create", "--name", &name])
        .success();
    let bin = env!("CARGO_BIN_EXE_attctl");
    // Typed one answer at a time, as a person would: a bad date, then a good one. With the
    // bad text left in the field, the second answer would read "notadate2030-01-15".
    let typed = "(sleep 2; printf 'notadate\\r'; sleep 2; printf '2030-01-15\\r'; sleep 2; \
                 printf '9:00\\r'; sleep 2; printf '10:00\\r'; sleep 3)";
    let out = env
        .attctl_program("sh")
        .args([
            "-c",
            &format!(
                "{typed} | script -qec \"{bin} session create -o json --class '{name}'\" /dev/null"
            ),
        ])
        .run();
    assert!(
        out.stdout.contains("\"session_date\": \"2030-01-15\""),
        "stdout: {}\nstderr: {}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stdout.contains("\"start_time\": \"09:00:00\""),
        "{}",
        out.stdout
    );
}

#[test]
fn a_quick_close_of_two_sessions_shows_no_progress_bar() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let a = env.session(class, "2030-09-01", "08:00", "09:00")["id"].clone();
    let b = env.session(class, "2030-09-01", "10:00", "11:00")["id"].clone();
    let Some(screen) = env.on_terminal(
        &["session", "close", &a.to_string(), &b.to_string()],
        Terminal::NARROW,
        "",
    ) else {
        return;
    };
    screen.assert_ok();
    let text = screen.text();
    assert!(!text.contains("closing"), "a bar was drawn: {text}");
    assert_eq!(text.matches("closed").count(), 2, "{text}");
}
