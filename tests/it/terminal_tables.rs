//! Issue 26 items 5 to 7 and two of item 16, read off the screen of a pseudo-terminal of
//! 80 (and 100) columns, as a person sees them: one line a row, nothing wider than the
//! terminal, `09:00` rather than `09:00:00`, instants on the session's clock, no internal
//! ids unless `-o wide`, today and what is next first, the latest events first, a closure
//! report of what has ended that says which period it covers.

use crate::common::{Backend, Screen, Terminal, TestEnv};

/// `HH:MM:SS` anywhere on the screen.
fn has_seconds(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(8).any(|w| {
        w.iter().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                *b == b':'
            } else {
                b.is_ascii_digit()
            }
        })
    })
}

/// A UUID's shape (8-4-4-4-12 hex digits), as run ids and event ids have.
fn has_uuid(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .any(|word| {
            let parts: Vec<usize> = word.split('-').map(str::len).collect();
            parts.ends_with(&[8, 4, 4, 4, 12])
        })
}

fn screen(env: &TestEnv, args: &[&str], size: Terminal) -> Option<Screen> {
    let screen = env.on_terminal(args, size, "")?;
    screen.assert_ok();
    Some(screen)
}

fn fits(screen: &Screen, size: Terminal) {
    assert!(
        screen.widest() <= usize::from(size.columns),
        "wider than {} columns:\n{}",
        size.columns,
        screen.text()
    );
}

fn id_of(v: &serde_json::Value) -> String {
    v["id"].as_i64().expect("id").to_string()
}

/// The lines that start with a session's id (a table row).
fn rows_of(screen: &Screen, id: &str) -> usize {
    screen
        .lines()
        .iter()
        .filter(|l| l.split_whitespace().next() == Some(id))
        .count()
}

#[test]
fn session_list_is_one_line_a_session_at_80_and_100_columns() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class_named("Year 10 Mathematics and Further Statistics (set 3)");
    let past = env.session(class, "2020-03-02", "09:00", "10:00");
    let mut ids = Vec::new();
    for day in ["2030-09-02", "2030-09-03", "2030-09-04"] {
        ids.push(id_of(&env.session(class, day, "09:00", "10:00")));
        ids.push(id_of(&env.session(class, day, "10:15", "11:15")));
    }
    // A manual close cancels the session's run: its RUN is no run id (item 16).
    env.attctl().args(["session", "close", &ids[0]]).success();
    for size in [Terminal::NARROW, Terminal::columns(100)] {
        let Some(screen) = screen(&env, &["session", "list"], size) else {
            return;
        };
        let text = screen.text();
        fits(&screen, size);
        for id in &ids {
            assert_eq!(rows_of(&screen, id), 1, "session {id}:\n{text}");
        }
        assert!(!has_seconds(&text), "{text}");
        assert!(!has_uuid(&text) && !text.contains("local-"), "{text}");
        assert!(text.contains("09:00") && text.contains("11:15"), "{text}");
        assert!(text.contains('…'), "the long name is cut:\n{text}");
        assert!(text.contains("manual, just now"), "{text}");
        // Today and what is next; history is named on stderr.
        assert_eq!(rows_of(&screen, &id_of(&past)), 0, "{text}");
        assert!(
            text.contains("from today on; 1 session before: --from 2020-03-02 or --all lists them"),
            "{text}"
        );
    }
    // -o wide: the run ids, whole; none for the closed session.
    let Some(wide) = screen(&env, &["session", "list", "-o", "wide"], Terminal::NARROW) else {
        return;
    };
    let text = wide.text();
    assert!(text.contains("local-"), "{text}");
    assert!(text.contains("RUN"), "{text}");
    let closed: Vec<String> = wide
        .lines()
        .into_iter()
        .filter(|l| l.split_whitespace().next() == Some(ids[0].as_str()))
        .collect();
    assert!(
        closed.iter().all(|l| !l.contains("local-")),
        "a closed session shows no run: {closed:?}"
    );
    // --all lists history too; JSON is unchanged (every session, the stored fields).
    let Some(all) = screen(&env, &["session", "list", "--all"], Terminal::NARROW) else {
        return;
    };
    assert_eq!(rows_of(&all, &id_of(&past)), 1, "{}", all.text());
    let json = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class"])
        .arg(class.to_string())
        .success()
        .json();
    let rows = json.as_array().expect("array");
    assert_eq!(rows.len(), 7, "{json}");
    assert_eq!(rows[0]["id"], past["id"], "oldest first: {json}");
    assert_eq!(rows[0]["start_time"], "09:00:00");
}

#[test]
fn session_show_reads_times_on_the_sessions_clock() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class_named("Year 7");
    let session = env
        .attctl()
        .args([
            "session",
            "create",
            "-o",
            "json",
            "--timezone",
            "Europe/London",
        ])
        .args(["--class", &class.to_string(), "--date", "2030-07-01"])
        .args(["--start", "09:00", "--end", "10:00"])
        .success()
        .json();
    let id = id_of(&session);
    let Some(shown) = screen(&env, &["session", "show", &id], Terminal::NARROW) else {
        return;
    };
    let text = shown.text();
    fits(&shown, Terminal::NARROW);
    assert!(!has_seconds(&text), "{text}");
    assert!(!text.contains("+00:00"), "{text}");
    assert!(
        shown
            .lines_with("closes_at")
            .iter()
            .any(|l| l.contains("2030-07-01 10:00 BST (in ")),
        "{text}"
    );
    assert!(!text.contains("local-"), "{text}");
    let Some(wide) = screen(
        &env,
        &["session", "show", "-o", "wide", &id],
        Terminal::NARROW,
    ) else {
        return;
    };
    assert!(wide.text().contains("local-"), "{}", wide.text());
    // JSON keeps the instant as stored.
    let json = env.show(session["id"].as_i64().unwrap());
    assert_eq!(json["closes_at"], session["closes_at"]);
    assert_eq!(json["start_time"], "09:00:00");
}

#[test]
fn events_are_listed_newest_first_without_their_ids() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class_named("Year 8");
    let mut ids = Vec::new();
    for (start, end) in [("08:00", "08:50"), ("09:00", "09:50"), ("10:00", "10:50")] {
        ids.push(id_of(&env.session(class, "2030-09-02", start, end)));
    }
    env.attctl().args(["session", "close", &ids[1]]).success();
    let Some(listed) = screen(&env, &["events", "list"], Terminal::NARROW) else {
        return;
    };
    let text = listed.text();
    fits(&listed, Terminal::NARROW);
    assert!(!has_uuid(&text), "{text}");
    assert!(!has_seconds(&text), "{text}");
    let rows: Vec<String> = listed
        .lines()
        .into_iter()
        .filter(|l| l.trim_start().starts_with("session."))
        .collect();
    assert_eq!(rows.len(), 4, "one line an event:\n{text}");
    assert!(rows[0].contains("session.closed"), "newest first:\n{text}");
    assert!(
        rows[0].contains("just now") || rows[0].contains("min ago"),
        "{text}"
    );
    // -o wide: the ids (for `events retry`); JSON: oldest first, as before.
    let Some(wide) = screen(&env, &["events", "list", "-o", "wide"], Terminal::NARROW) else {
        return;
    };
    assert!(has_uuid(&wide.text()), "{}", wide.text());
    let json = env
        .attctl()
        .args(["events", "list", "-o", "json"])
        .success()
        .json();
    assert_eq!(json[0]["type"], "session.created", "{json}");
    assert_eq!(json[3]["type"], "session.closed", "{json}");
}

#[test]
fn the_closure_report_covers_what_has_ended_in_whole_words() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class_named("Year 11 Geography and Environmental Science");
    let past = env.session(class, "2020-03-02", "09:00", "10:00");
    env.attctl()
        .args(["session", "close", &id_of(&past)])
        .success();
    env.session(class, "2020-03-03", "09:00", "10:00");
    env.session(class, "2030-03-03", "09:00", "10:00");
    for size in [Terminal::NARROW, Terminal::columns(100)] {
        let Some(report) = screen(&env, &["report", "closures", "--chart"], size) else {
            return;
        };
        let text = report.text();
        fits(&report, size);
        for header in ["SESSIONS", "MANUAL", "SWEEP", "UPCOMING", "OPEN", "PAST"] {
            assert!(
                report
                    .lines()
                    .iter()
                    .any(|l| l.split_whitespace().any(|w| w == header)),
                "{header} whole:\n{text}"
            );
        }
        // The session of 2030 is still to come: not counted.
        let total = report.lines_with("TOTAL");
        assert_eq!(total.len(), 1, "{text}");
        assert_eq!(
            total[0].split_whitespace().nth(1),
            Some("2"),
            "two sessions have ended:\n{text}"
        );
        assert!(text.contains("sessions up to today"), "{text}");
        assert!(text.contains("Who closed the sessions up to "), "{text}");
    }
    // JSON keeps its range: every session without --to.
    let json = env
        .attctl()
        .args(["report", "closures", "-o", "json"])
        .success()
        .json();
    assert_eq!(json["total"]["sessions"], 3, "{json}");
    assert_eq!(json["to"], serde_json::Value::Null);
}

#[test]
fn class_and_holiday_lists_fit_the_terminal() {
    let env = TestEnv::new(Backend::Local);
    let names = [
        "Year 12 Further Mathematics with Mechanics and Statistics, group B",
        "Year 7",
    ];
    for name in names {
        env.class_named(name);
    }
    env.attctl()
        .args([
            "holiday",
            "add",
            "--from",
            "2030-10-21",
            "--to",
            "2030-10-25",
        ])
        .args([
            "--name",
            "Autumn half term and the staff training days of the district",
        ])
        .success();
    for args in [["class", "list"], ["holiday", "list"]] {
        let Some(listed) = screen(&env, &args, Terminal::NARROW) else {
            return;
        };
        fits(&listed, Terminal::NARROW);
        let rows = listed
            .lines()
            .iter()
            .filter(|l| !l.trim().is_empty())
            .count();
        let expected = if args[0] == "class" { 3 } else { 2 };
        assert_eq!(
            rows,
            expected,
            "{args:?}, one line a row:\n{}",
            listed.text()
        );
    }
}

#[test]
fn a_reschedule_dry_run_shows_the_change_not_the_requests() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class_named("Year 9");
    let id = id_of(&env.session(class, "2030-09-02", "09:00", "10:00"));
    let args = [
        "session",
        "reschedule",
        &id,
        "--start",
        "09:30",
        "--end",
        "10:30",
        "--dry-run",
    ];
    let Some(shown) = screen(&env, &args, Terminal::NARROW) else {
        return;
    };
    let text = shown.text();
    fits(&shown, Terminal::NARROW);
    assert!(text.contains("09:00 → 09:30"), "{text}");
    assert!(text.contains("10:00 → 10:30"), "{text}");
    assert!(text.contains("2030-09-02 (unchanged)"), "{text}");
    assert!(
        !text.contains("UPDATE") && !text.contains("PATCH"),
        "{text}"
    );
    assert!(text.contains("nothing was changed"), "{text}");
    // Scripts keep the plan of requests.
    let plan = env
        .attctl()
        .args(args)
        .args(["-o", "json"])
        .success()
        .json();
    assert_eq!(plan[0]["method"], "PATCH", "{plan}");
    // And nothing moved.
    assert_eq!(env.show(id.parse().unwrap())["start_time"], "09:00:00");
}

/// On every store: a table lists today's and later sessions first and names the rest on
/// stderr, and the latest events first; JSON keeps every session and the oldest event first.
fn tables_start_today_and_show_the_latest_events_first(env: TestEnv) {
    let class = env.class();
    let past = id_of(&env.session(class, "2021-05-03", "09:00", "10:00"));
    let next = id_of(&env.session(class, "2030-05-06", "09:00", "10:00"));
    env.attctl().args(["session", "close", &next]).success();
    let table = env
        .attctl()
        .args(["session", "list", "-o", "table", "--class"])
        .arg(class.to_string())
        .success();
    let starts = |id: &str| {
        table
            .stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some(id))
    };
    assert!(starts(&next) && !starts(&past), "{}", table.stdout);
    assert!(
        table
            .stderr
            .contains("1 session before: --from 2021-05-03 or --all lists them"),
        "{}",
        table.stderr
    );
    let events = env
        .attctl()
        .args(["events", "list", "-o", "table"])
        .success();
    // Other tests may write events to the same store meanwhile: this test's sessions only.
    let first = events
        .stdout
        .lines()
        .find(|l| {
            let session = l.split_whitespace().nth(1);
            session == Some(past.as_str()) || session == Some(next.as_str())
        })
        .unwrap_or_default();
    assert!(first.contains("session.closed"), "{}", events.stdout);
    assert!(!has_uuid(&events.stdout), "{}", events.stdout);
    let json = env
        .attctl()
        .args(["events", "list", "-o", "json"])
        .success()
        .json();
    let types: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| [past.as_str(), next.as_str()].contains(&e["session_id"].to_string().as_str()))
        .map(|e| e["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        types.last(),
        Some(&"session.closed"),
        "JSON: oldest first: {json}"
    );
}

backend_tests!(tables_start_today_and_show_the_latest_events_first);
