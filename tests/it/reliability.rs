//! Issue 9, "Reliability": wall-clock values PostgreSQL and attctl disagree on, the supported
//! years, class names that hide characters, and `-o json` lists cut off by a failure.
//! Behaviour tests run on both backends; the ones that need a network fault run on Supabase
//! behind the testkit's fault-injection proxy.

use crate::common::{Backend, TestEnv, doctor_check};
use attctl_testkit::{Fault, FaultProxy, Scope, SupabaseStack};

/// `--end 23:59:60` used to be written (as 24:00:00 on PostgreSQL) and then break every read.
fn leap_seconds_and_24_00_are_refused_before_any_request(env: TestEnv) {
    let class = env.class();
    for end in ["23:59:60", "24:00", "24:00:00", "12:30:60"] {
        env.attctl()
            .args(["session", "create", "--class"])
            .arg(class.to_string())
            .args(["--date", "2031-03-03", "--start", "08:00", "--end", end])
            .run()
            .assert_one_line_error(2, "invalid time");
    }
    assert!(env.sessions_of(class).is_empty(), "nothing was written");
    let id = env.session(class, "2031-03-03", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.attctl()
        .args([
            "session",
            "reschedule",
            &id.to_string(),
            "--end",
            "23:59:60",
        ])
        .run()
        .assert_one_line_error(2, "invalid time");
    let shown = env
        .attctl()
        .args(["session", "show", "-o", "json", &id.to_string()])
        .success()
        .json();
    assert_eq!(shown["end_time"], "09:00:00");
}

/// A row that ends at 24:00:00 (written before the check existed) is shown as it is, and
/// neither the listing nor show/delete of it fail.
fn a_stored_24_00_row_does_not_break_reads(env: TestEnv) {
    let class = env.class();
    let normal = env.session(class, "2031-04-04", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let odd = insert_legacy_midnight_row(&env, class);
    let rows = env.sessions_of(class);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let shown = rows.iter().find(|r| r["id"] == odd).expect("listed");
    assert_eq!(shown["end_time"], "24:00:00", "{shown}");
    assert!(rows.iter().any(|r| r["id"] == normal));
    let table = env
        .attctl()
        .args(["session", "list", "-o", "table", "--class"])
        .arg(class.to_string())
        .success();
    // Tables show wall-clock times to the minute: `24:00` (JSON keeps `24:00:00`).
    assert!(
        table.stdout.contains("24:00") && !table.stdout.contains("24:00:00"),
        "{}",
        table.stdout
    );
    // Nor the sweep: a row no write can touch is left unclaimed, the others are planned.
    env.worker_once(["sweep", "--once"]).assert_ok();
    assert!(
        table
            .stderr
            .contains(&format!("warning: session {odd} ends at 24:00:00")),
        "{}",
        table.stderr
    );
    env.attctl()
        .args(["session", "show", &odd.to_string()])
        .success();
    if env.backend == Backend::Supabase {
        // PostgreSQL checks the whole row on every update: the row must get valid times
        // first, and the refusal says why.
        env.attctl()
            .args(["session", "close", &odd.to_string()])
            .run()
            .assert_one_line_error(2, "wall_clock_check");
    }
    env.attctl()
        .args(["session", "reschedule", &odd.to_string(), "--end", "23:00"])
        .success();
    env.attctl()
        .args(["session", "close", &odd.to_string()])
        .success();
    env.attctl()
        .args(["session", "delete", "--yes", &odd.to_string()])
        .success();
}

/// Inserts, bypassing attctl's checks, a session of `class` on 2031-04-04 from 22:00 to
/// 24:00:00, as older versions or other clients could; returns its id.
fn insert_legacy_midnight_row(env: &TestEnv, class: i64) -> i64 {
    match env.backend {
        Backend::Supabase => {
            // The wall-clock check has to step aside for the insert (this test binary has
            // its own database: no other test sees it NOT VALID).
            let out = env.stack().expect("a Supabase environment has a stack")
                .psql(&format!(
                    "begin;
                     alter table public.teaching_sessions drop constraint if exists teaching_sessions_wall_clock_check;
                     insert into public.teaching_sessions (class_id, session_date, start_time, end_time, timezone)
                       values ({class}, '2031-04-04', '22:00', '24:00:00', 'UTC') returning id;
                     alter table public.teaching_sessions add constraint teaching_sessions_wall_clock_check
                       check (start_time < time '24:00' and end_time < time '24:00') not valid;
                     commit;"
                ))
                .expect("insert");
            out.split_whitespace()
                .find_map(|w| w.parse::<i64>().ok())
                .expect("id")
        }
        Backend::Local => {
            let conn = rusqlite::Connection::open(env.dir().join("attctl.db")).expect("open");
            conn.pragma_update(None, "ignore_check_constraints", "ON")
                .expect("pragma");
            conn.query_row(
                "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, created_at, updated_at) VALUES (?1, '2031-04-04', \
                 '22:00:00', '24:00:00', 'UTC', '2031-04-05T00:00:00.000000Z', \
                 '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z') RETURNING id",
                [class],
                |r| r.get(0),
            )
            .expect("insert")
        }
    }
}

/// chrono-tz and PostgreSQL may disagree on closing instants from 2100 on; year 0 is not a
/// PostgreSQL date at all.
fn dates_outside_1970_to_2099_are_refused(env: TestEnv) {
    let class = env.class();
    for date in ["2100-01-01", "0000-01-01", "1969-12-31", "9999-12-31"] {
        env.attctl()
            .args(["session", "create", "--class"])
            .arg(class.to_string())
            .args(["--date", date, "--start", "08:00", "--end", "09:00"])
            .run()
            .assert_one_line_error(2, "out of range");
    }
    env.session(class, "2099-12-31", "08:00", "09:00");
    let id = env.session(class, "1970-01-02", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.attctl()
        .args([
            "session",
            "reschedule",
            &id.to_string(),
            "--date",
            "2100-01-01",
        ])
        .run()
        .assert_one_line_error(2, "out of range");
}

/// Zero-width and bidi-control characters would make names that look alike, or reorder a
/// table on screen; names are stored in NFC.
fn class_names_are_nfc_and_free_of_invisible_characters(env: TestEnv) {
    for bad in [
        "Year\u{200B}7",
        "Year 7 \u{202E}A",
        "\u{2066}Year 7",
        "Year\u{FEFF}7",
        "Year 7\u{200D}",
    ] {
        env.attctl()
            .args(["class", "create", "--name", bad])
            .run()
            .assert_one_line_error(2, "class name");
    }
    let name = crate::common::unique("Cafe\u{301}");
    let created = env
        .attctl()
        .args(["class", "create", "-o", "json", "--name", &name])
        .success()
        .json();
    let nfc = name.replace("e\u{301}", "\u{e9}");
    assert_eq!(created["name"], nfc.as_str());
    // Either spelling finds it.
    env.attctl()
        .args(["session", "create", "--class", &name])
        .args(["--date", "2031-05-05", "--start", "08:00", "--end", "09:00"])
        .success();
    env.attctl()
        .args(["session", "create", "--class", &nfc])
        .args(["--date", "2031-05-05", "--start", "10:00", "--end", "11:00"])
        .success();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(env.sessions_of(id).len(), 2);
}

/// A closing instant edited by hand out of step with the session's date, end time and zone
/// (the sqlite3 shell is a documented way into the local file; on Supabase, a write with
/// the trigger disabled): the sweep does not close a lesson of 2040 today.
fn a_hand_edited_closing_instant_does_not_close_a_future_lesson(env: TestEnv) {
    let class = env.class();
    let lesson = env.session(class, "2040-06-04", "09:00", "10:00");
    let id = lesson["id"].as_i64().unwrap();
    match env.backend {
        Backend::Local => {
            let conn = rusqlite::Connection::open(env.data_file()).expect("open");
            conn.execute(
                "UPDATE teaching_sessions SET closes_at = '2020-01-06T10:00:00.000000Z' WHERE id = ?1",
                [id],
            )
            .expect("hand edit");
        }
        Backend::Supabase => {
            env.stack()
                .unwrap()
                .psql(&format!(
                    "begin; alter table teaching_sessions disable trigger teaching_sessions_before_write; \
                     update teaching_sessions set closes_at = '2020-01-06 10:00+00' where id = {id}; \
                     alter table teaching_sessions enable trigger teaching_sessions_before_write; commit;"
                ))
                .expect("edit with the trigger off");
        }
    }
    let out = env.worker_once(["sweep", "--once"]);
    out.assert_ok();
    let after = env.show(id);
    assert_eq!(after["status"], "Open", "{after}\n{}", out.stderr);
    if env.backend == Backend::Local {
        assert!(
            out.stderr.contains("out of step"),
            "the sweep names the row it left Open: {}",
            out.stderr
        );
        // doctor finds it, and --repair puts the instant back in step.
        let check = doctor_check;
        let report = env.attctl().args(["doctor", "-o", "json"]).run().json();
        let drift = check(&report, "local.closes_at");
        assert_eq!(drift["status"], "warn", "{drift}");
        assert!(
            drift["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("{id} (stored 2020-01-06")),
            "{drift}"
        );
        let repaired = env
            .attctl()
            .args(["doctor", "--repair", "-o", "json"])
            .run()
            .json();
        assert_eq!(
            check(&repaired, "local.repair")["status"],
            "ok",
            "{repaired}"
        );
        assert_eq!(env.show(id)["closes_at"], "2040-06-04T10:00:00Z");
        let report = env.attctl().args(["doctor", "-o", "json"]).run().json();
        assert_eq!(
            check(&report, "local.closes_at")["status"],
            "ok",
            "{report}"
        );
    }
}

backend_tests!(
    a_hand_edited_closing_instant_does_not_close_a_future_lesson,
    leap_seconds_and_24_00_are_refused_before_any_request,
    a_stored_24_00_row_does_not_break_reads,
    dates_outside_1970_to_2099_are_refused,
    class_names_are_nfc_and_free_of_invisible_characters,
);

/// A listing cut off by a server failure exits 6 and prints no partial JSON array.
#[test]
fn a_json_list_cut_off_by_a_failure_prints_nothing() {
    let mut env = TestEnv::new(Backend::Supabase);
    let class = env.class();
    env.seed_sessions(class, 2500);
    let proxy = FaultProxy::start(&SupabaseStack::shared().url()).expect("proxy");
    env.set("SUPABASE_URL", &proxy.url());
    // The class names (one read) and the first page arrive, then the server is down for
    // longer than the retries.
    proxy.set_after(2, Fault::Unavailable(50), Scope::All);
    let out = env
        .attctl()
        .args(["session", "list", "--all", "-o", "json", "--class"])
        .arg(class.to_string())
        .run();
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "partial output: {:.200}", out.stdout);
    // NDJSON streams: the rows printed before the failure are complete lines. A proxy of
    // its own: requests the first process had in flight when it gave up may still reach
    // the first proxy after it is re-armed, and would use up the two let through.
    let proxy = FaultProxy::start(&SupabaseStack::shared().url()).expect("proxy");
    env.set("SUPABASE_URL", &proxy.url());
    proxy.set_after(2, Fault::Unavailable(50), Scope::All);
    let out = env
        .attctl()
        .args(["session", "list", "--all", "-o", "ndjson", "--class"])
        .arg(class.to_string())
        .run();
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert_eq!(out.ndjson().len(), 1000);
    proxy.clear();
    let all = env.sessions_of(class);
    assert_eq!(all.len(), 2500);
}
