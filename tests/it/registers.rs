//! Registers on the original app's database (`attendances`, `class_students`): automark and
//! late at close, `report registers`, the `session.register_missing` event; refused where
//! the tables are missing.

use serde_json::Value;

use crate::common::{Backend, Terminal, TestEnv, doctor_check, unique};

/// A class of the app with three students: `present` checked in, `other` active with no
/// mark, `dropped` dropped. Returns (class id, [present, other, dropped] student ids).
fn class_with_students(env: &TestEnv) -> (i64, [i64; 3]) {
    let stack = env.stack().expect("stack");
    let name = unique("Reg");
    let class: i64 = env
        .attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success()
        .json()["id"]
        .as_i64()
        .unwrap();
    let mut ids = [0i64; 3];
    for (i, status) in ["active", "active", "dropped"].iter().enumerate() {
        let code = unique("S");
        let id: i64 = stack
            .psql(&format!(
                "insert into students (student_code, full_name, auth_id, created_at, updated_at) \
                 values ('{code}', 'Student {code}', gen_random_uuid(), now(), now()) returning id"
            ))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        stack
            .psql(&format!(
                "insert into class_students (status, class_id, student_id, created_at, updated_at) \
                 values ('{status}', {class}, {id}, now(), now())"
            ))
            .unwrap();
        ids[i] = id;
    }
    (class, ids)
}

/// A present mark at `at` (naive UTC), as the app's QR check-in writes it.
fn check_in(env: &TestEnv, session: i64, student: i64, at: &str) {
    env.stack()
        .unwrap()
        .psql(&format!(
            "insert into attendances (attendance_time, status, confidence_score, user_agent, \
             session_id, student_id, created_at, updated_at) values ('{at}', 'present', 1.0, \
             'okhttp/4.12.0', {session}, {student}, now(), now())"
        ))
        .unwrap();
}

/// The marks of a session: (student, status) in student order.
fn marks(env: &TestEnv, session: i64) -> Vec<(i64, String)> {
    let out = env
        .stack()
        .unwrap()
        .psql(&format!(
            "select coalesce(json_agg(json_build_array(student_id, status) order by student_id, id), '[]') \
             from attendances where session_id = {session}"
        ))
        .unwrap();
    let v: Value = serde_json::from_str(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_i64().unwrap(), p[1].as_str().unwrap().to_string()))
        .collect()
}

/// A session inserted the way the app does (no zone, no run), Open.
fn app_session(env: &TestEnv, class: i64, date: &str, start: &str, end: &str) -> i64 {
    env.stack()
        .unwrap()
        .psql(&format!(
            "insert into teaching_sessions (session_date, start_time, end_time, session_type, \
             status, class_id, created_at, updated_at) values ('{date}', '{start}', '{end}', \
             'theory', 'Open', {class}, now(), now()) returning id"
        ))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn automark_env() -> TestEnv {
    TestEnv::original_app().with("ATTCTL_AUTOMARK", "absent")
}

fn report(env: &TestEnv, class: i64) -> Vec<Value> {
    env.attctl()
        .args(["report", "registers", "-o", "json", "--class"])
        .arg(class.to_string())
        .success()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn automark_marks_the_unmarked_once_by_hand_and_by_the_sweep_and_the_report_names_the_register_not_taken()
 {
    let env = automark_env();
    let (class, [present, other, dropped]) = class_with_students(&env);

    // By hand: one student checked in, the other active one is marked absent, once.
    let by_hand = env.session(class, "2031-03-03", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    check_in(&env, by_hand, present, "2031-03-03 08:05:00");
    let dry = env
        .attctl()
        .args(["session", "close", "--dry-run", &by_hand.to_string()])
        .success();
    assert!(
        dry.stderr.contains(&format!(
            "automark would mark 1 student(s) absent in session {by_hand}"
        )),
        "{}",
        dry.stderr
    );
    assert_eq!(marks(&env, by_hand), vec![(present, "present".into())]);
    for _ in 0..2 {
        env.attctl()
            .args(["session", "close", &by_hand.to_string(), "-o", "json"])
            .success();
    }
    let expected = vec![
        (present, "present".to_string()),
        (other, "absent".to_string()),
    ];
    assert_eq!(marks(&env, by_hand), expected);
    // The absent mark: at the close, no confidence score.
    let row: Value = serde_json::from_str(
        &env.stack()
            .unwrap()
            .psql(&format!(
                "select json_build_object('t', attendance_time = (select closed_at at time zone 'UTC' \
                 from teaching_sessions where id = {by_hand}), 'c', confidence_score) \
                 from attendances where session_id = {by_hand} and student_id = {other}"
            ))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(row, serde_json::json!({"t": true, "c": null}));

    // By the sweep: a session the app left Open past its end, with no mark at all.
    let swept = app_session(&env, class, "2025-01-06", "08:00", "09:00");
    for _ in 0..2 {
        env.worker_once(["sweep", "--once"]).assert_ok();
    }
    assert_eq!(env.show(swept)["closed_by"], "sweep");
    assert_eq!(
        marks(&env, swept),
        vec![(present, "absent".into()), (other, "absent".into())]
    );
    for id in [by_hand, swept] {
        assert!(marks(&env, id).iter().all(|(s, _)| *s != dropped));
    }

    // The report: the register nobody took first, its counts, exact field names.
    let rows = report(&env, class);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[0],
        serde_json::json!({
            "session_id": swept, "class": rows[0]["class"], "date": "2025-01-06",
            "enrolled": 2, "marked": 2, "present": 0, "late": 0, "absent": 2,
            "automarked": 2, "taken": false
        })
    );
    assert_eq!(rows[1]["session_id"], by_hand);
    assert_eq!(rows[1]["taken"], true);
    assert_eq!(rows[1]["automarked"], 1);
    assert_eq!(rows[1]["present"], 1);

    // --missing: exit 1 after the report, for cron; CSV has the same columns.
    let missing = env
        .attctl()
        .args(["report", "registers", "--missing", "-o", "json", "--class"])
        .arg(class.to_string())
        .run();
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert_eq!(missing.json().as_array().unwrap().len(), 2);
    let csv = env
        .attctl()
        .args(["report", "registers", "-o", "csv", "--class"])
        .arg(class.to_string())
        .success();
    assert!(
        csv.stdout
            .starts_with("SESSION,CLASS,DATE,ENROLLED,MARKED,PRESENT,LATE,ABSENT,AUTOMARKED,TAKEN"),
        "{}",
        csv.stdout
    );
    // At an 80-column terminal: one line a session, marked out of enrolled, nothing wider.
    let class_arg = class.to_string();
    let args = ["report", "registers", "--class", class_arg.as_str()];
    if let Some(screen) = env.on_terminal(&args, Terminal::NARROW, "") {
        assert_eq!(screen.code, 0, "{}", screen.text());
        assert!(screen.widest() <= 80, "{}", screen.text());
        let lines = screen.lines();
        assert!(
            lines[0].contains("MARKED") && lines[0].contains("TAKEN"),
            "{lines:?}"
        );
        assert_eq!(screen.lines_with("NOT TAKEN").len(), 1, "{}", screen.text());
        assert_eq!(screen.lines_with("2/2").len(), 2, "{}", screen.text());
    }
    env.attctl()
        .args([
            "report",
            "registers",
            "--missing",
            "--from",
            "2031-01-01",
            "--class",
        ])
        .arg(class.to_string())
        .success();

    // By teacher: the app's classes.teacher_id; attctl's class has none.
    let by_teacher = env
        .attctl()
        .args([
            "report",
            "registers",
            "--by",
            "teacher",
            "-o",
            "json",
            "--class",
        ])
        .arg(class.to_string())
        .success()
        .json();
    assert_eq!(
        by_teacher,
        serde_json::json!([{"teacher": null, "sessions": 2, "not_taken": 1, "enrolled": 4,
            "marked": 4, "present": 1, "late": 0, "absent": 3, "automarked": 3}])
    );

    // The outbox: one register_missing, for the session nobody took.
    let events = env
        .attctl()
        .args([
            "events",
            "list",
            "--type",
            "session.register_missing",
            "-o",
            "json",
        ])
        .success()
        .json();
    let ours: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["session_id"] == swept || e["session_id"] == by_hand)
        .collect();
    assert_eq!(ours.len(), 1, "{events}");
    assert_eq!(ours[0]["session_id"], swept);
    assert_eq!(ours[0]["payload"]["enrolled"], 2);
}

#[test]
fn late_after_turns_late_check_ins_late_at_close() {
    let env = TestEnv::original_app().with("ATTCTL_LATE_AFTER", "10m");
    let (class, [early, late, _]) = class_with_students(&env);
    let id = env.session(class, "2031-04-07", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    // The session's zone is UTC here: its start is 08:00 UTC, the app's clock naive UTC.
    check_in(&env, id, early, "2031-04-07 08:09:59");
    check_in(&env, id, late, "2031-04-07 08:10:01");
    env.attctl()
        .args(["session", "close", &id.to_string()])
        .success();
    // No automark: nobody else is marked.
    assert_eq!(
        marks(&env, id),
        vec![(early, "present".into()), (late, "late".into())]
    );
    let rows = report(&env, class);
    assert_eq!(rows[0]["late"], 1, "{rows:?}");
    assert_eq!(rows[0]["automarked"], 0, "{rows:?}");
    assert_eq!(rows[0]["taken"], true, "{rows:?}");
}

#[test]
fn the_switches_are_refused_where_there_are_no_registers() {
    for env in [
        TestEnv::new(Backend::Local),
        TestEnv::new(Backend::Supabase),
    ] {
        // Without a switch: the report says there are no registers.
        env.attctl()
            .args(["report", "registers"])
            .run()
            .assert_one_line_error(1, "no registers");
        for (var, value) in [("ATTCTL_AUTOMARK", "absent"), ("ATTCTL_LATE_AFTER", "10m")] {
            env.attctl()
                .env(var, value)
                .args(["session", "list"])
                .run()
                .assert_one_line_error(1, var);
            env.worker()
                .env(var, value)
                .args(["sweep", "--once"])
                .run()
                .assert_one_line_error(1, var);
        }
    }
}

#[test]
fn doctor_says_where_registers_are_and_which_switches_are_on() {
    let env = TestEnv::original_app()
        .with("ATTCTL_AUTOMARK", "absent")
        .with("ATTCTL_LATE_AFTER", "10m");
    let report = env.attctl().args(["doctor", "-o", "json"]).run().json();
    let check = doctor_check(&report, "registers");
    assert_eq!(check["status"], "ok", "{check}");
    let detail = check["detail"].as_str().unwrap();
    assert!(
        detail.contains("automark absent") && detail.contains("late after 10 min"),
        "{detail}"
    );

    for env in [
        TestEnv::new(Backend::Local),
        TestEnv::new(Backend::Supabase),
    ] {
        let report = env.attctl().args(["doctor", "-o", "json"]).run().json();
        assert_eq!(doctor_check(&report, "registers")["status"], "ok");
        let out = env
            .attctl()
            .env("ATTCTL_AUTOMARK", "absent")
            .args(["doctor", "-o", "json"])
            .run();
        assert_eq!(out.code, 1, "{}", out.stderr);
        let report = out.json();
        let check = doctor_check(&report, "registers");
        assert_eq!(check["status"], "fail", "{check}");
        assert!(
            check["fix"].as_str().unwrap().contains("ATTCTL_AUTOMARK"),
            "{check}"
        );
    }
}

#[test]
fn config_show_names_the_switches_and_their_source() {
    let env = TestEnv::new(Backend::Local);
    std::fs::write(
        env.dir().join("config.toml"),
        "[profiles.default]\nautomark = \"absent\"\n",
    )
    .unwrap();
    let shown = env
        .attctl()
        .args(["config", "show", "-o", "json", "--config"])
        .arg(env.dir().join("config.toml").display().to_string())
        .env("ATTCTL_LATE_AFTER", "10m")
        .success()
        .json();
    let settings = shown["settings"].as_array().expect("settings");
    let of = |key: &str| {
        settings
            .iter()
            .find(|s| s["key"] == key)
            .unwrap_or_else(|| panic!("{key} in {shown}"))
            .clone()
    };
    assert_eq!(of("automark")["value"], "absent");
    assert_eq!(of("automark")["source"]["kind"], "profile");
    assert_eq!(of("late_after")["value"], "10m");
    assert_eq!(of("late_after")["source"]["kind"], "env");
    env.attctl()
        .env("ATTCTL_AUTOMARK", "present")
        .args(["config", "show"])
        .run()
        .assert_one_line_error(1, "ATTCTL_AUTOMARK");
}
