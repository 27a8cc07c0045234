//! `attctl school show/set`: the school's zone and session type, kept with the data, on
//! every store. (One test per store changes them: the stores of this file are its own.)

use attctl_testkit::Schema;
use serde_json::{Value, json};

use crate::common::{Backend, TestEnv, doctor_check};

fn school(env: &TestEnv) -> Value {
    env.attctl()
        .args(["school", "show", "-o", "json"])
        .success()
        .json()
}

/// Creates a session of `class` starting at `hour` on 2031-06-02; answers its zone.
fn zone_of_a_new_session(env: &TestEnv, class: i64, hour: u32, extra: &[&str]) -> String {
    let (start, end) = (format!("{hour:02}:00"), format!("{hour:02}:30"));
    let mut cmd = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class"])
        .arg(class.to_string())
        .args(["--date", "2031-06-02", "--start", &start, "--end", &end]);
    cmd = cmd.args(extra);
    let s = cmd.success().json();
    s["timezone"].as_str().expect("timezone").to_string()
}

fn the_school_zone_is_the_data_s_and_wins_over_the_machine(mut env: TestEnv) {
    let class = env.class();
    let unset = school(&env);
    assert_eq!(unset["timezone"], Value::Null, "{unset}");
    assert_eq!(unset["session_type"], Value::Null, "{unset}");

    // Nothing to set, a zone that is no IANA name, a type the app does not know: refused,
    // nothing written.
    env.attctl()
        .args(["school", "set"])
        .run()
        .assert_one_line_error(2, "--timezone");
    let bad = env
        .attctl()
        .args(["school", "set", "--timezone", "Mars/Olympus"])
        .run();
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("Mars/Olympus"), "{}", bad.stderr);
    let bad = env
        .attctl()
        .args(["school", "set", "--session-type", "lecture"])
        .run();
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert_eq!(school(&env), unset);

    let set = env
        .attctl()
        .args(["school", "set", "--timezone", "Asia/Tokyo", "-o", "json"])
        .success()
        .json();
    assert_eq!(set["timezone"], "Asia/Tokyo", "{set}");
    // Setting the type keeps the zone.
    let set = env
        .attctl()
        .args(["school", "set", "--session-type", "practice", "-o", "json"])
        .success()
        .json();
    assert_eq!(
        (&set["timezone"], &set["session_type"]),
        (&json!("Asia/Tokyo"), &json!("practice")),
        "{set}"
    );
    assert_eq!(school(&env)["timezone"], "Asia/Tokyo");

    // A machine with no zone configured (a server on UTC) creates in the school's zone; a
    // zone given for the command, or configured on purpose, is used as given.
    env.unset("ATTCTL_TIMEZONE");
    assert_eq!(zone_of_a_new_session(&env, class, 9, &[]), "Asia/Tokyo");
    assert_eq!(
        zone_of_a_new_session(&env, class, 10, &["--timezone", "Europe/Paris"]),
        "Europe/Paris"
    );
    env.set("ATTCTL_TIMEZONE", "America/New_York");
    assert_eq!(
        zone_of_a_new_session(&env, class, 11, &[]),
        "America/New_York"
    );
    // doctor names the difference.
    let doctor = env.attctl().args(["doctor", "-o", "json"]).run().json();
    let check = doctor_check(&doctor, "school.timezone");
    assert_eq!(check["status"], "warn", "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("Asia/Tokyo"),
        "{check}"
    );

    if env.backend == Backend::Supabase {
        // Rows written by anything else (the app, psql) get the school's zone too, and on
        // the app's database its session type.
        let stack = env.stack().unwrap();
        let row = stack
            .psql(&format!(
                "insert into teaching_sessions (class_id, session_date, start_time, end_time) \
                 values ({class}, '2031-06-03', '09:00', '10:00') returning timezone, closes_at"
            ))
            .unwrap();
        assert!(row.contains("Asia/Tokyo|2031-06-03 01:00:00+00"), "{row}");
        if env.schema == Schema::OriginalApp {
            let kind = stack
                .psql(
                    "select session_type from teaching_sessions \
                     where session_date = '2031-06-03'",
                )
                .unwrap();
            assert_eq!(kind, "practice");
        }
    }
}

attctl_testkit::backend_tests!(the_school_zone_is_the_data_s_and_wins_over_the_machine);
