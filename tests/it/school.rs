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

/// Today's date in `zone`.
fn today_in(zone: chrono_tz::Tz) -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&zone).date_naive()
}

/// On a machine in another zone, `today` and new sessions are the school's; the difference
/// is said once per machine, not with every command. (Its own local store: it sets the
/// school's zone.)
#[test]
fn dates_are_the_school_s_and_a_machine_in_another_zone_is_told_once() {
    let mut env = TestEnv::new(Backend::Local);
    let class = env.class().to_string();
    env.unset("ATTCTL_TIMEZONE");
    // 26 hours apart: these two zones never share a date.
    env.set("TZ", "Etc/GMT+12");
    let school: chrono_tz::Tz = "Pacific/Kiritimati".parse().unwrap();
    let list = ["session", "list", "-o", "json"];

    let first = env.attctl().args(list).success();
    assert!(
        first.stderr.contains("the school has no time zone") && first.stderr.contains("Etc/GMT+12"),
        "{}",
        first.stderr
    );
    let again = env.attctl().args(list).success();
    assert!(
        !again.stderr.contains("zone"),
        "said twice: {}",
        again.stderr
    );

    env.attctl()
        .args(["school", "set", "--timezone", "Pacific/Kiritimati"])
        .success();
    let before = today_in(school);
    let created = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class", &class])
        .args(["--date", "tomorrow", "--start", "09:00", "--end", "10:00"])
        .success();
    let after = today_in(school);
    let session = created.json();
    let date = session["session_date"].as_str().unwrap().to_string();
    assert!(
        [before, after]
            .iter()
            .any(|d| (*d + chrono::Days::new(1)).to_string() == date),
        "tomorrow at the school is {}, got {date}",
        before + chrono::Days::new(1)
    );
    assert_eq!(session["timezone"], "Pacific/Kiritimati", "{session}");
    assert!(
        created
            .stderr
            .contains("use the school's time zone, Pacific/Kiritimati")
            && created.stderr.contains("Etc/GMT+12"),
        "{}",
        created.stderr
    );
    let again = env.attctl().args(list).success();
    assert!(
        !again.stderr.contains("zone"),
        "said twice: {}",
        again.stderr
    );
    // `--date today` in a listing is the school's today too.
    let today = env
        .attctl()
        .args(["session", "list", "-o", "json", "--date", "tomorrow"])
        .success()
        .json();
    assert_eq!(today.as_array().map(Vec::len), Some(1), "{today}");

    // A zone configured on purpose is used as given, without asking the store (doctor
    // names the difference).
    env.set("ATTCTL_TIMEZONE", "Europe/Paris");
    let configured = env
        .attctl()
        .args(["session", "create", "-o", "json", "--class", &class])
        .args(["--date", "2031-06-02", "--start", "09:00", "--end", "10:00"])
        .success();
    assert_eq!(configured.json()["timezone"], "Europe/Paris");
    assert!(!configured.stderr.contains("zone"), "{}", configured.stderr);
}
