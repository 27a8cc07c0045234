//! Timetables at a term's scale: `holiday`, `session generate`, `session import|export`
//! (CSV and iCalendar) and bulk close/delete by filter. Real binaries, real stores (both
//! backends), and the Hatchet test engine for runs.

use crate::common::{Backend, TestEnv};
use serde_json::Value;

fn created(report: &Value) -> Vec<Value> {
    report["created"].as_array().cloned().unwrap_or_default()
}

fn reasons(report: &Value) -> Vec<String> {
    report["skipped"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| s["reason"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Mon/Wed 09:00–09:50 in London from 4 to 24 October 2035 (clocks go back on Sunday
/// 28 October 2035), with a half term on 15–19 October: 6 sessions, 2 skipped.
fn weekly_term_over_dst_with_half_term(env: TestEnv) {
    let (class, _) = env.unique_class("Maths");
    // Holidays apply to every class: a range no other test uses, removed at the end.
    let holiday = env
        .attctl()
        .args([
            "holiday",
            "add",
            "--date",
            "2035-10-15",
            "--to",
            "2035-10-19",
        ])
        .args(["--name", "Half term", "-o", "json"])
        .success()
        .json();
    let generate = || {
        env.attctl()
            .args([
                "--timezone",
                "Europe/London",
                "session",
                "generate",
                "-o",
                "json",
            ])
            .args(["--class", &class.to_string(), "--days", "mon,wed"])
            .args(["--from", "2035-10-01", "--until", "2035-11-07"])
            .args(["--start", "09:00", "--end", "09:50"])
            .success()
            .json()
    };
    let report = generate();
    let made = created(&report);
    // Mon/Wed 1 Oct–7 Nov: 1,3,8,10,15,17,22,24,29,31 Oct, 5,7 Nov = 12; 2 in half term.
    assert_eq!(made.len(), 10, "{report}");
    assert_eq!(reasons(&report), vec!["holiday", "holiday"], "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]));
    for s in &made {
        assert_eq!(s["start_time"], "09:00:00");
        assert_eq!(s["end_time"], "09:50:00");
        assert_eq!(s["timezone"], "Europe/London");
        assert!(s["scheduled_task_id"].is_string(), "a run is planned: {s}");
        let date = s["session_date"].as_str().unwrap();
        // BST (UTC+1) before 28 October, GMT after: the local time stays 09:50.
        let expect = if date < "2035-10-28" {
            "08:50:00"
        } else {
            "09:50:00"
        };
        let closes = s["closes_at"].as_str().unwrap();
        assert!(
            closes.starts_with(&format!("{date}T{expect}")),
            "{date}: closes_at {closes}, expected {expect} UTC"
        );
    }
    assert_eq!(env.sessions_of(class).len(), 10);

    // Re-running is safe: nothing new, every occurrence skipped with its reason.
    let again = generate();
    assert_eq!(created(&again).len(), 0, "{again}");
    let mut r = reasons(&again);
    r.sort();
    assert_eq!(r.iter().filter(|x| *x == "exists").count(), 10, "{again}");
    assert_eq!(r.iter().filter(|x| *x == "holiday").count(), 2, "{again}");
    assert_eq!(env.sessions_of(class).len(), 10);

    let id = holiday["id"].to_string();
    env.attctl()
        .args(["holiday", "delete", &id, "-o", "json"])
        .success();
}

fn generate_skips_past_and_dst_gaps(env: TestEnv) {
    let (class, _) = env.unique_class("Maths");
    // 01:30 does not exist on 25 March 2040 in London (clocks go forward at 01:00).
    let out = env
        .attctl()
        .args([
            "--timezone",
            "Europe/London",
            "session",
            "generate",
            "-o",
            "json",
        ])
        .args([
            "--class",
            &class.to_string(),
            "--rrule",
            "FREQ=WEEKLY;BYDAY=SU",
        ])
        .args(["--from", "2040-03-18", "--until", "2040-04-01"])
        .args(["--start", "01:30", "--end", "01:45", "--dry-run"])
        .success()
        .json();
    assert_eq!(created(&out).len(), 2, "{out}");
    assert_eq!(reasons(&out), vec!["nonexistent_time"]);
    assert!(
        created(&out)[0]["id"].is_null(),
        "a dry run creates nothing"
    );
    assert_eq!(env.sessions_of(class).len(), 0);

    let past = env
        .attctl()
        .args([
            "session",
            "generate",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args([
            "--days",
            "mon",
            "--from",
            "2020-01-01",
            "--until",
            "2020-01-14",
        ])
        .args(["--start", "09:00", "--end", "10:00"])
        .success()
        .json();
    assert_eq!(reasons(&past), vec!["past", "past"], "{past}");
}

fn csv_with_bom_crlf_and_semicolons(env: TestEnv) {
    let (class, name) = env.unique_class("Maths");
    let csv = format!(
        "\u{feff}class_name;session_date;start_time;end_time;room\r\n\
         {name};2036-01-07;09:00;09:50;B12\r\n\
         {name};2036-01-09;10:00;10:50;B12\r\n"
    );
    let path = env.dir().join("term.csv");
    std::fs::write(&path, csv).unwrap();
    let out = env
        .attctl()
        .args(["session", "import", path.to_str().unwrap(), "-o", "json"])
        .success()
        .json();
    assert_eq!(created(&out).len(), 2, "{out}");
    let list = env.sessions_of(class);
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["start_time"], "10:00:00");
}

fn bad_rows_name_their_lines_and_write_nothing(env: TestEnv) {
    let (class, _) = env.unique_class("Maths");
    let csv = "class_id,session_date,start_time,end_time\n\
               CLASS,2036-02-02,09:00,09:50\n\
               CLASS,2036-02-31,09:00,09:50\n\
               CLASS,2036-02-04,10:00,09:00\n"
        .replace("CLASS", &class.to_string());
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&csv)
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    assert!(
        out.stderr.contains("line 3: session_date"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("line 4: end time"), "{}", out.stderr);
    assert!(!out.stderr.contains("line 2:"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert_eq!(env.sessions_of(class).len(), 0, "all or nothing");
}

/// As Outlook writes it: a Windows zone name, a VTIMEZONE block, folded lines, an RRULE
/// over the DST change and an EXDATE in the same TZID form.
fn ics_with_rrule_exdate_and_vtimezone(env: TestEnv) {
    let (class, name) = env.unique_class("Maths");
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n\
BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T020000\r\n\
TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n\
END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T010000\r\nTZOFFSETFROM:+0000\r\n\
TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:abc-1\r\nSUMMARY:{name}\r\nDESCRIPTION:A long description that is folded\r\n  across two lines as RFC 5545 says\r\n\
DTSTART;TZID=GMT Standard Time:20351022T090000\r\n\
DTEND;TZID=GMT Standard Time:20351022T095000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6\r\n\
EXDATE;TZID=GMT Standard Time:20351024T090000\r\n\
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let path = env.dir().join("outlook.ics");
    std::fs::write(&path, ics).unwrap();
    let out = env
        .attctl()
        .args(["session", "import", path.to_str().unwrap(), "-o", "json"])
        .success()
        .json();
    // 22, 24, 29, 31 Oct, 5, 7 Nov; COUNT counts before EXDATE removes 24 Oct.
    let made = created(&out);
    assert_eq!(made.len(), 5, "{out}");
    let list = env.sessions_of(class);
    let dates: Vec<&str> = list
        .iter()
        .map(|s| s["session_date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2035-10-22",
            "2035-10-29",
            "2035-10-31",
            "2035-11-05",
            "2035-11-07"
        ]
    );
    for s in &list {
        assert_eq!(s["timezone"], "Europe/London");
        assert_eq!(s["start_time"], "09:00:00");
    }
    assert!(
        list[0]["closes_at"]
            .as_str()
            .unwrap()
            .starts_with("2035-10-22T08:50:00")
    );
    assert!(
        list[1]["closes_at"]
            .as_str()
            .unwrap()
            .starts_with("2035-10-29T09:50:00")
    );

    // All-day events are refused with their line.
    let all_day = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:X\r\n\
DTSTART;VALUE=DATE:20351022\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let bad = env
        .attctl()
        .args(["session", "import", "-", "--format", "ics"])
        .stdin(all_day)
        .run();
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("line 3: all-day event"),
        "{}",
        bad.stderr
    );
}

fn holiday_import_reads_all_day_ranges(env: TestEnv) {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Winter\\, break\r\n\
DTSTART;VALUE=DATE:20371220\r\nDTEND;VALUE=DATE:20380103\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let out = env
        .attctl()
        .args(["holiday", "import", "-", "-o", "json", "--dry-run"])
        .stdin(ics)
        .success()
        .json();
    assert_eq!(out[0]["name"], "Winter, break");
    assert_eq!(out[0]["first_date"], "2037-12-20");
    assert_eq!(out[0]["last_date"], "2038-01-02", "DTEND is exclusive");
}

fn bulk_close_and_delete_by_filter(env: TestEnv) {
    let (class, _) = env.unique_class("Maths");
    env.attctl()
        .args([
            "session",
            "generate",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args([
            "--days",
            "tue,thu",
            "--from",
            "2036-03-01",
            "--until",
            "2036-03-31",
        ])
        .args(["--start", "11:00", "--end", "12:00"])
        .success();
    // Tue/Thu in March 2036: 4, 6, 11, 13, 18, 20, 25, 27.
    assert_eq!(env.sessions_of(class).len(), 8);
    let c = class.to_string();
    // Off a terminal, no --yes: refused, nothing changed.
    let refused = env
        .attctl()
        .args(["session", "delete", "--class", &c, "--from", "2036-03-10"])
        .run();
    refused.assert_one_line_error(2, "--yes");
    let dry = env
        .attctl()
        .args([
            "session",
            "close",
            "--class",
            &c,
            "--to",
            "2036-03-10",
            "--dry-run",
            "-o",
            "json",
        ])
        .success()
        .json();
    assert_eq!(dry.as_array().unwrap().len(), 2);
    let closed = env
        .attctl()
        .args([
            "session",
            "close",
            "--class",
            &c,
            "--to",
            "2036-03-10",
            "--yes",
            "-o",
            "json",
        ])
        .success()
        .json();
    assert_eq!(closed.as_array().unwrap().len(), 2);
    let deleted = env
        .attctl()
        .args([
            "session", "delete", "--class", &c, "--status", "Open", "--yes", "-o", "json",
        ])
        .success()
        .json();
    assert_eq!(deleted.as_array().unwrap().len(), 6);
    let left = env.sessions_of(class);
    assert_eq!(left.len(), 2);
    assert!(left.iter().all(|s| s["status"] == "Closed"));
}

fn ics_export_is_valid_and_round_trips(env: TestEnv) {
    let (class, name) = env.unique_class("Maths");
    env.attctl()
        .args([
            "--timezone",
            "Europe/London",
            "session",
            "generate",
            "-o",
            "json",
        ])
        .args(["--class", &class.to_string(), "--days", "fri"])
        .args([
            "--from",
            "2036-10-20",
            "--until",
            "2036-11-07",
            "--start",
            "13:00",
            "--end",
            "14:15",
        ])
        .success();
    let ics = env
        .attctl()
        .args([
            "session",
            "export",
            "--format",
            "ics",
            "--class",
            &class.to_string(),
        ])
        .success()
        .stdout;
    let unfolded = icalendar::parser::unfold(&ics.replace("\r\n", "\n"));
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .collect();
    assert_eq!(events.len(), 3);
    assert!(
        cal.components
            .iter()
            .any(|c| c.name.as_str() == "VTIMEZONE")
    );
    let ev = events[0];
    let prop = |n: &str| ev.find_prop(n).map(|p| p.val.as_str().to_string());
    assert!(prop("UID").unwrap().starts_with("attctl-session-"));
    assert_eq!(prop("SUMMARY").as_deref(), Some(name.as_str()));
    assert!(prop("X-ATTCTL-SESSION-ID").is_some());
    assert_eq!(prop("STATUS").as_deref(), Some("CONFIRMED"));
    assert!(ev.find_prop("SEQUENCE").is_some());
    assert!(
        ics.contains("DTSTART;TZID=Europe/London:20361024T130000"),
        "{ics}"
    );

    // Into a fresh local store: the same sessions.
    let other = TestEnv::new(Backend::Local);
    let out = other
        .attctl()
        .args(["session", "import", "-", "--format", "ics", "-o", "json"])
        .stdin(&ics)
        .success()
        .json();
    let made = created(&out);
    assert_eq!(made.len(), 3, "{out}");
    assert_eq!(made[2]["session_date"], "2036-11-07");
    assert_eq!(made[2]["start_time"], "13:00:00");
    assert_eq!(made[2]["end_time"], "14:15:00");
    assert_eq!(made[2]["timezone"], "Europe/London");
}

/// Holiday names are checked as class names are (no control characters: a name holding
/// ESC sequences would drive the terminal of whoever lists holidays), whether typed or
/// imported; a recurring holiday is each of its days; an end before the start is refused.
/// A refused file adds nothing.
fn holiday_names_are_checked_and_recurring_holidays_expand(env: TestEnv) {
    env.attctl()
        .args(["holiday", "add", "--date", "2051-03-06"])
        .args(["--name", "\u{1b}]0;pwned\u{7}\u{1b}[2JHalf term"])
        .run()
        .assert_one_line_error(2, "control");
    let calendar =
        |events: &str| format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n");
    let event = |summary: &str, extra: &str| {
        format!(
            "BEGIN:VEVENT\r\nSUMMARY:{summary}\r\nDTSTART;VALUE=DATE:20510306\r\n\
             DTEND;VALUE=DATE:20510307\r\n{extra}END:VEVENT\r\n"
        )
    };
    let import = |ics: String| {
        env.attctl()
            .args(["holiday", "import", "-", "-o", "json"])
            .stdin(&ics)
            .run()
    };
    // An imported SUMMARY with ESC, or with an escaped line break, is refused with its line.
    let escape = calendar(&(event("Fine", "") + &event("Bad\u{1b}[31m", "")));
    import(escape).assert_one_line_error(2, "line 8: SUMMARY: holiday name");
    let newline = calendar(&event("Half\\nterm", ""));
    import(newline).assert_one_line_error(2, "line 3: SUMMARY: holiday name");
    let backwards = calendar(
        "BEGIN:VEVENT\r\nSUMMARY:Backwards\r\nDTSTART;VALUE=DATE:20510310\r\n\
         DTEND;VALUE=DATE:20510306\r\nEND:VEVENT\r\n",
    );
    import(backwards).assert_one_line_error(2, "DTEND 20510306 is before DTSTART 20510310");
    let listed = env
        .attctl()
        .args([
            "holiday",
            "list",
            "--from",
            "2051-01-01",
            "--to",
            "2051-12-31",
            "-o",
            "json",
        ])
        .success()
        .json();
    assert_eq!(listed, serde_json::json!([]), "nothing was added");
    // A yearly holiday: one range per year (dry run: holidays apply to every class).
    let yearly = calendar(&event("Founders' day", "RRULE:FREQ=YEARLY;COUNT=3\r\n"));
    let out = env
        .attctl()
        .args(["holiday", "import", "-", "-o", "json", "--dry-run"])
        .stdin(&yearly)
        .success()
        .json();
    let firsts: Vec<&str> = out
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|h| h["first_date"].as_str())
        .collect();
    assert_eq!(firsts, ["2051-03-06", "2052-03-06", "2053-03-06"], "{out}");
}

backend_tests!(
    holiday_names_are_checked_and_recurring_holidays_expand,
    weekly_term_over_dst_with_half_term,
    generate_skips_past_and_dst_gaps,
    csv_with_bom_crlf_and_semicolons,
    bad_rows_name_their_lines_and_write_nothing,
    ics_with_rrule_exdate_and_vtimezone,
    holiday_import_reads_all_day_ranges,
    bulk_close_and_delete_by_filter,
    ics_export_is_valid_and_round_trips,
);

/// The migration pipe of the README: `export --format csv --all` from a local store into
/// Supabase, closed history included.
#[test]
fn csv_export_from_local_imports_into_supabase() {
    let local = TestEnv::new(Backend::Local);
    let (class, name) = local.unique_class("Maths");
    local
        .attctl()
        .args([
            "session",
            "generate",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args([
            "--days",
            "mon,fri",
            "--from",
            "2037-05-01",
            "--until",
            "2037-05-31",
        ])
        .args(["--start", "08:30", "--end", "09:15"])
        .success();
    let first = local.sessions_of(class)[0]["id"].to_string();
    local
        .attctl()
        .args(["session", "close", &first, "-o", "json"])
        .success();
    let csv = local
        .attctl()
        .args(["session", "export", "--format", "csv", "--all"])
        .success()
        .stdout;
    assert!(
        csv.starts_with("id,class_id,class_name,session_date,"),
        "{csv}"
    );

    let supabase = TestEnv::new(Backend::Supabase);
    let out = supabase
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&csv)
        .success()
        .json();
    assert_eq!(created(&out).len(), 9, "{out}");
    let found = supabase
        .attctl()
        .args(["session", "list", "--all", "-o", "json", "--class", &name])
        .success()
        .json();
    let before = local.sessions_of(class);
    let rows = found.as_array().unwrap();
    assert_eq!(rows.len(), before.len());
    for (a, b) in before.iter().zip(rows) {
        for f in [
            "session_date",
            "start_time",
            "end_time",
            "timezone",
            "closes_at",
            "status",
            "closed_by",
        ] {
            assert_eq!(a[f], b[f], "{f}");
        }
    }
    assert_eq!(rows[0]["status"], "Closed");
    // Again: every row exists, nothing is written twice.
    let again = supabase
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&csv)
        .success()
        .json();
    assert_eq!(created(&again).len(), 0);
}

mod hatchet {
    //! With the Hatchet test engine: generate plans every run in bulk, and a bulk delete by
    //! filter cancels them.

    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

    use hatchet_test_engine::{EngineConfig, TestEngine};

    use super::created;
    use crate::common::{Backend, TestEnv, blocking};

    struct Worker(Child);

    impl Drop for Worker {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn generate_plans_runs_and_bulk_delete_cancels_them() {
        let engine = TestEngine::start(EngineConfig::default()).await.unwrap();
        let mut env = TestEnv::new(Backend::Supabase);
        env.set("HATCHET_CLIENT_TOKEN", &engine.token());
        env.set("HATCHET_CLIENT_TLS_STRATEGY", "none");
        env.set("ATTCTL_HTTP_TIMEOUT", "5");
        let bin = crate::common::binary("attctl-worker");
        let stack = attctl_testkit::SupabaseStack::shared();
        let _worker = Worker(
            Command::new(bin)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("SUPABASE_URL", stack.url())
                .env("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key())
                .env("HATCHET_CLIENT_TOKEN", engine.token())
                .env("HATCHET_CLIENT_TLS_STRATEGY", "none")
                .env("ATTCTL_SWEEP_INTERVAL", "3600")
                .env("ATTCTL_TIMEZONE", "UTC")
                .current_dir(env.dir())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn attctl-worker"),
        );
        engine
            .wait_for(
                |e| {
                    e.workflows()
                        .iter()
                        .any(|w| w.name == "close-teaching-session")
                },
                Duration::from_secs(20),
            )
            .await
            .expect("the worker registers close-teaching-session");

        let (report, env) = blocking(move || {
            let (class, _) = env.unique_class("Maths");
            let out = env
                .attctl()
                .args([
                    "session",
                    "generate",
                    "-o",
                    "json",
                    "--class",
                    &class.to_string(),
                ])
                .args(["--days", "mon,tue,wed,thu,fri", "--from", "2038-01-04"])
                .args([
                    "--until",
                    "2038-01-29",
                    "--start",
                    "10:00",
                    "--end",
                    "10:45",
                ])
                .success()
                .json();
            (out, (env, class))
        });
        let made = created(&report);
        assert_eq!(made.len(), 20, "{report}");
        assert_eq!(report["warnings"], serde_json::json!([]));
        let runs: Vec<String> = made
            .iter()
            .map(|s| {
                s["scheduled_task_id"]
                    .as_str()
                    .expect("a run id")
                    .to_string()
            })
            .collect();
        let scheduled = engine.schedules();
        for run in &runs {
            assert!(
                scheduled.iter().any(|s| s.id.to_string() == *run),
                "run {run} exists in the engine"
            );
        }
        let (env, class) = env;
        let deleted = blocking(move || {
            env.attctl()
                .args([
                    "session",
                    "delete",
                    "--class",
                    &class.to_string(),
                    "--yes",
                    "-o",
                    "json",
                ])
                .success()
                .json()
        });
        assert_eq!(deleted.as_array().unwrap().len(), 20);
        let left = engine.schedules();
        for run in &runs {
            assert!(
                !left.iter().any(|s| s.id.to_string() == *run),
                "run {run} was cancelled"
            );
        }
    }
}
