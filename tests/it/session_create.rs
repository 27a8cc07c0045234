//! `attctl session create`: the JSON contract, validation before any request, conflicts,
//! class by name, and closing instants across DST changes. Runs against both backends.

use crate::common::TestEnv;
use attctl_testkit::Schema;
use serde_json::Value;

const CONTRACT_FIELDS: [&str; 14] = [
    "id",
    "class_id",
    "session_date",
    "start_time",
    "end_time",
    "status",
    "scheduled_task_id",
    "timezone",
    "closes_at",
    "closed_at",
    "closed_by",
    "created_at",
    "updated_at",
    "warnings",
];

fn creates_with_the_json_contract(env: TestEnv) {
    let class = env.class();
    let out = env
        .attctl()
        .args([
            "session",
            "create",
            "-o",
            "ndjson",
            "--class",
            &class.to_string(),
        ])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:30"])
        .success();
    let s = out.json();
    // The original app's database adds its session type, filled by the school's default.
    let app_fields = if env.schema == Schema::OriginalApp {
        assert_eq!(s["session_type"], "theory", "{s}");
        assert!(
            out.stderr.contains("session_type \"theory\" filled"),
            "{}",
            out.stderr
        );
        1
    } else {
        assert!(s.get("session_type").is_none(), "{s}");
        0
    };
    assert_eq!(
        s.as_object().unwrap().len(),
        CONTRACT_FIELDS.len() + app_fields,
        "{s}"
    );
    let positions: Vec<usize> = CONTRACT_FIELDS
        .iter()
        .map(|f| {
            out.stdout
                .find(&format!("\"{f}\":"))
                .unwrap_or_else(|| panic!("{f} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "field order is a contract: {}",
        out.stdout
    );
    assert_eq!(s["class_id"], class);
    assert_eq!(s["session_date"], "2030-01-15");
    assert_eq!(s["start_time"], "08:00:00");
    assert_eq!(s["end_time"], "09:30:00");
    assert_eq!(s["status"], "Open");
    assert_eq!(s["timezone"], "UTC");
    assert_eq!(s["closes_at"], "2030-01-15T09:30:00Z");
    assert_eq!(s["closed_at"], Value::Null);
    assert_eq!(s["warnings"], serde_json::json!([]));
    // No Hatchet configured: the local worker owns the close, under a local run id.
    assert!(
        s["scheduled_task_id"]
            .as_str()
            .unwrap()
            .starts_with("local-"),
        "{s}"
    );
    let shown = env
        .attctl()
        .args(["session", "show", "-o", "json"])
        .arg(s["id"].to_string())
        .success()
        .json();
    assert_eq!(shown["id"], s["id"]);
    assert_eq!(shown["scheduled_task_id"], s["scheduled_task_id"]);
}

fn accepts_seconds_and_class_names_with_reserved_characters(env: TestEnv) {
    let name = crate::common::unique(r#"Year 7.(A), "B" \ x:y*"#);
    let created = env
        .attctl()
        .args(["class", "create", "-o", "json", "--name", &name])
        .success()
        .json();
    let s = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class", &name])
        .args([
            "--date",
            "2030-02-01",
            "--start",
            "10:15:30",
            "--end",
            "11:00:05",
        ])
        .success()
        .json();
    assert_eq!(s["class_id"], created["id"]);
    assert_eq!(s["start_time"], "10:15:30");
    let listed = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class", &name])
        .success()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
}

fn rejects_a_duplicate_session(env: TestEnv) {
    let class = env.class();
    env.session(class, "2030-01-15", "08:00", "09:30");
    env.attctl()
        .args(["session", "create", "--class", &class.to_string()])
        .args([
            "--date",
            "2030-01-15",
            "--start",
            "08:00:00",
            "--end",
            "10:00",
        ])
        .run()
        .assert_one_line_error(4, "already has a session");
    assert_eq!(env.sessions_of(class).len(), 1);
}

fn rejects_an_unknown_class(env: TestEnv) {
    env.attctl()
        .args(["session", "create", "--class", "987654321"])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:00"])
        .run()
        .assert_one_line_error(3, "class 987654321 not found");
    env.attctl()
        .args(["session", "create", "--class", "No Such Class (x)"])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:00"])
        .run()
        .assert_one_line_error(3, "not found");
}

fn bad_input_writes_nothing(env: TestEnv) {
    let class = env.class().to_string();
    let long = "x".repeat(300);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--date", "2030-02-30"], "invalid date"),
        (vec!["--date", "2030-01-15,2030-01-16"], "invalid date"),
        (vec!["--date", "15/01/2030"], "invalid date"),
        (vec!["--start", "25:00"], "invalid time"),
        (vec!["--start", "08:00)"], "invalid time"),
        (vec!["--start", "08.00"], "invalid time"),
        (vec!["--end", "07:00"], "must be after"),
        (vec!["--end", "08:00"], "must be after"),
        (vec!["--end", r#"09:00""#], "invalid time"),
        (vec!["--end", r"09:00\"], "invalid time"),
    ];
    for (overrides, needle) in cases {
        let mut args = vec![
            ("--date", "2030-01-15"),
            ("--start", "08:00"),
            ("--end", "09:00"),
        ];
        for pair in overrides.chunks(2) {
            if let Some(slot) = args.iter_mut().find(|(k, _)| *k == pair[0]) {
                slot.1 = pair[1];
            }
        }
        let mut cmd = env.attctl().args(["session", "create", "--class", &class]);
        for (k, v) in args {
            cmd = cmd.args([k, v]);
        }
        cmd.run().assert_one_line_error(2, needle);
    }
    env.attctl()
        .args(["session", "create", "--class", &long])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:00"])
        .run()
        .assert_one_line_error(2, "too long");
    env.attctl()
        .args(["session", "create", "--class", "1,2"])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:00"])
        .run()
        .assert_one_line_error(3, "not found");
    env.attctl()
        .args([
            "session",
            "create",
            "--class",
            &class,
            "--date",
            "2030-01-15",
        ])
        .run()
        .assert_one_line_error(2, "missing --start, --end");
    assert_eq!(env.sessions_of(class.parse().unwrap()).len(), 0);
}

fn closing_instant_follows_dst(mut env: TestEnv) {
    env.set("ATTCTL_TIMEZONE", "Europe/London");
    let class = env.class();
    // BST starts at 01:00 UTC on 2030-03-31: 09:30 local is 08:30 UTC.
    let after = env.session(class, "2030-03-31", "08:00", "09:30");
    assert_eq!(after["closes_at"], "2030-03-31T08:30:00Z");
    assert_eq!(after["timezone"], "Europe/London");
    let before = env.session(class, "2030-03-30", "08:00", "09:30");
    assert_eq!(before["closes_at"], "2030-03-30T09:30:00Z");
    // A time inside the skipped hour is refused, not guessed.
    env.attctl()
        .args(["session", "create", "--class", &class.to_string()])
        .args(["--date", "2030-03-31", "--start", "01:30", "--end", "03:00"])
        .run()
        .assert_one_line_error(2, "does not exist");
    // A session spanning the change: 00:30 GMT to 03:00 BST is 1h30 of real time.
    let spanning = env.session(class, "2030-03-31", "00:30", "03:00");
    assert_eq!(spanning["closes_at"], "2030-03-31T02:00:00Z");
}

fn past_sessions_are_created_with_a_warning(env: TestEnv) {
    let class = env.class();
    let out = env
        .attctl()
        .args([
            "session",
            "create",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args(["--date", "2020-01-15", "--start", "08:00", "--end", "09:00"])
        .success();
    let s = out.json();
    assert_eq!(s["status"], "Open");
    assert_eq!(s["scheduled_task_id"], Value::Null);
    assert_eq!(s["warnings"].as_array().unwrap().len(), 1);
    assert!(out.stderr.starts_with("warning: "), "{}", out.stderr);
}

fn today_and_tomorrow_are_accepted(env: TestEnv) {
    let class = env.class();
    let today = chrono::Utc::now().date_naive();
    let s = env.session(class, "tomorrow", "08:00", "09:00");
    assert_eq!(
        s["session_date"],
        (today + chrono::Duration::days(1)).to_string()
    );
    let s = env.session(class, "today", "23:58", "23:59");
    assert_eq!(s["session_date"], today.to_string());
}

fn dry_run_changes_nothing(env: TestEnv) {
    let class = env.class();
    let out = env
        .attctl()
        .args([
            "session",
            "create",
            "--dry-run",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args(["--date", "2030-01-15", "--start", "08:00", "--end", "09:00"])
        .success();
    let plan = out.json();
    assert_eq!(plan[0]["method"], "POST");
    assert!(
        plan[0]["target"]
            .as_str()
            .unwrap()
            .contains("teaching_sessions")
    );
    assert!(out.stderr.contains("dry run"));
    assert_eq!(env.sessions_of(class).len(), 0);
}

backend_tests!(
    creates_with_the_json_contract,
    accepts_seconds_and_class_names_with_reserved_characters,
    rejects_a_duplicate_session,
    rejects_an_unknown_class,
    bad_input_writes_nothing,
    closing_instant_follows_dst,
    past_sessions_are_created_with_a_warning,
    today_and_tomorrow_are_accepted,
    dry_run_changes_nothing,
);
