//! Calendar files as clients write and read them: RECURRENCE-ID overrides in Google- and
//! Outlook-style imports (a moved occurrence replaces its slot in the series, a cancelled one
//! removes it), holidays skipped by `session import`, and the export's STATUS, SEQUENCE
//! (raised by a reschedule, not by a close) and per-store UID host. Both backends.

use crate::common::{Backend, TestEnv, unique};
use serde_json::Value;

/// `(date, start)` of each session, in order.
fn slots(list: &[Value]) -> Vec<(String, String)> {
    list.iter()
        .map(|s| {
            (
                s["session_date"].as_str().unwrap_or("").to_string(),
                s["start_time"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn import_ics(env: &TestEnv, ics: &str) -> Value {
    env.attctl()
        .args(["session", "import", "-", "--format", "ics", "-o", "json"])
        .stdin(ics)
        .success()
        .json()
}

/// As Google Calendar exports a series with exceptions: the master with RRULE and EXDATE,
/// then one VEVENT per changed occurrence with the same UID and a RECURRENCE-ID. Here one
/// override comes before its master, and one is cancelled.
fn google_overrides_move_and_cancel_occurrences(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    let ics = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n\
CALSCALE:GREGORIAN\r\nX-WR-TIMEZONE:Europe/London\r\n\
BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nX-LIC-LOCATION:Europe/London\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n\
DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n\
DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20371019T090000\r\n\
DTEND;TZID=Europe/London:20371019T095000\r\nDTSTAMP:20260901T120000Z\r\n\
UID:7kukuqrfedlm2f9t0vr42e6f0r@google.com\r\n\
RECURRENCE-ID;TZID=Europe/London:20371019T090000\r\nSTATUS:CANCELLED\r\n\
SUMMARY:{name}\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20371005T090000\r\n\
DTEND;TZID=Europe/London:20371005T095000\r\n\
RRULE:FREQ=WEEKLY;WKST=MO;COUNT=5;BYDAY=MO\r\n\
EXDATE;TZID=Europe/London:20371026T090000\r\nDTSTAMP:20260901T120000Z\r\n\
UID:7kukuqrfedlm2f9t0vr42e6f0r@google.com\r\nCREATED:20260901T110000Z\r\n\
DESCRIPTION:Weekly lesson\\, room 4\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\n\
SUMMARY:{name}\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20371013T110000\r\n\
DTEND;TZID=Europe/London:20371013T115000\r\nDTSTAMP:20260901T120000Z\r\n\
UID:7kukuqrfedlm2f9t0vr42e6f0r@google.com\r\n\
RECURRENCE-ID;TZID=Europe/London:20371012T090000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED\r\n\
SUMMARY:{name}\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20371030T090000\r\n\
DTEND;TZID=Europe/London:20371030T095000\r\nUID:gone@google.com\r\nSTATUS:CANCELLED\r\n\
SUMMARY:{name}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let out = import_ics(&env, &ics);
    assert_eq!(out["created"].as_array().map(Vec::len), Some(3), "{out}");
    // 5, 12, 19, 26 Oct, 2 Nov: 12 Oct moved to Tue 13 Oct 11:00, 19 Oct cancelled,
    // 26 Oct EXDATE; the cancelled single event on 30 Oct gives nothing.
    assert_eq!(
        slots(&env.sessions_of(class)),
        [
            ("2037-10-05".into(), "09:00:00".into()),
            ("2037-10-13".into(), "11:00:00".into()),
            ("2037-11-02".into(), "09:00:00".into()),
        ]
    );
}

/// As Outlook writes a series with exceptions: Windows zone names (quoted), the moved
/// occurrence as a VEVENT with RECURRENCE-ID after the master, a cancelled one marked
/// STATUS:CANCELLED, folded lines and X-MICROSOFT-CDO-* properties.
fn outlook_overrides_move_and_cancel_occurrences(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    let tz = "\"W. Europe Standard Time\"";
    let ics = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n\
VERSION:2.0\r\nMETHOD:PUBLISH\r\nX-MS-OLK-FORCEINSPECTOROPEN:TRUE\r\n\
BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\n\
DTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n\
TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n\
DTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n\
TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nCLASS:PUBLIC\r\nCREATED:20260901T100000Z\r\n\
DESCRIPTION:Lesson series with a description long enough that Outlook folds \r\n it onto a second line\r\n\
DTEND;TZID={tz}:20371020T105000\r\nDTSTAMP:20260901T100000Z\r\n\
DTSTART;TZID={tz}:20371020T100000\r\n\
EXDATE;TZID={tz}:20371103T100000\r\n\
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=TU\r\nSEQUENCE:0\r\nSUMMARY;LANGUAGE=en-gb:{name}\r\n\
UID:040000008200E00074C5B7101A82E00800000000D0F8E5A7C84FDC01000000000000000010000000\r\n\
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nX-MICROSOFT-CDO-IMPORTANCE:1\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nCLASS:PUBLIC\r\nDTEND;TZID={tz}:20371028T145000\r\n\
DTSTAMP:20260901T100000Z\r\nDTSTART;TZID={tz}:20371028T140000\r\n\
RECURRENCE-ID;TZID={tz}:20371027T100000\r\nSEQUENCE:1\r\nSUMMARY;LANGUAGE=en-gb:{name}\r\n\
UID:040000008200E00074C5B7101A82E00800000000D0F8E5A7C84FDC01000000000000000010000000\r\n\
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nDTEND;TZID={tz}:20371110T105000\r\nDTSTART;TZID={tz}:20371110T100000\r\n\
RECURRENCE-ID;TZID={tz}:20371110T100000\r\nSTATUS:CANCELLED\r\nSUMMARY:{name}\r\n\
UID:040000008200E00074C5B7101A82E00800000000D0F8E5A7C84FDC01000000000000000010000000\r\n\
END:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let out = import_ics(&env, &ics);
    assert_eq!(out["created"].as_array().map(Vec::len), Some(2), "{out}");
    // 20, 27 Oct, 3, 10 Nov: 27 Oct moved to Wed 28 Oct 14:00 (after the clocks went back:
    // still 14:00 local), 3 Nov EXDATE, 10 Nov cancelled.
    let list = env.sessions_of(class);
    assert_eq!(
        slots(&list),
        [
            ("2037-10-20".into(), "10:00:00".into()),
            ("2037-10-28".into(), "14:00:00".into()),
        ]
    );
    assert_eq!(list[1]["timezone"], "Europe/Berlin");
    assert!(
        list[1]["closes_at"]
            .as_str()
            .unwrap_or("")
            .starts_with("2037-10-28T13:50:00"),
        "{}",
        list[1]
    );
}

/// `session import` skips Open rows on a holiday (`holiday`) unless --no-skip-holidays;
/// a row carrying a Closed history is imported whatever the day.
fn import_skips_holidays(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    // Holidays apply to every class: a range no other test uses, removed at the end.
    let holiday = env
        .attctl()
        .args([
            "holiday",
            "add",
            "--date",
            "2047-02-11",
            "--to",
            "2047-02-12",
        ])
        .args(["--name", "Winter break", "-o", "json"])
        .success()
        .json()["id"]
        .as_i64()
        .expect("holiday id");
    let csv = format!(
        "class_name,session_date,start_time,end_time,status,closed_at,closed_by\n\
{name},2047-02-10,09:00,09:50,,,\n\
{name},2047-02-11,09:00,09:50,,,\n\
{name},2047-02-12,09:00,09:50,Closed,2047-02-12T09:50:00Z,manual\n"
    );
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&csv)
        .success()
        .json();
    assert_eq!(out["created"].as_array().map(Vec::len), Some(2), "{out}");
    assert_eq!(out["skipped"][0]["reason"], "holiday", "{out}");
    assert_eq!(out["skipped"][0]["session_date"], "2047-02-11", "{out}");
    let table = env
        .attctl()
        .args([
            "session",
            "import",
            "-",
            "--format",
            "csv",
            "--dry-run",
            "-o",
            "table",
        ])
        .stdin(&csv)
        .success();
    assert!(
        table
            .stdout
            .contains("0 to create · 3 skipped (1 holiday, 2 exists)"),
        "{}",
        table.stdout
    );

    let again = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .arg("--no-skip-holidays")
        .stdin(&csv)
        .success()
        .json();
    assert_eq!(
        again["created"].as_array().map(Vec::len),
        Some(1),
        "{again}"
    );
    assert_eq!(again["created"][0]["session_date"], "2047-02-11", "{again}");
    assert_eq!(env.sessions_of(class).len(), 3);
    env.attctl()
        .args(["holiday", "delete", &holiday.to_string()])
        .success();
}

fn export_ics(env: &TestEnv, class: i64) -> String {
    env.attctl()
        .args(["session", "export", "--format", "ics", "--class"])
        .arg(class.to_string())
        .success()
        .stdout
}

/// The value of `name` in the (only) VEVENT of `ics`.
fn event_prop(ics: &str, name: &str) -> Option<String> {
    let unfolded = icalendar::parser::unfold(&ics.replace("\r\n", "\n"));
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let ev = cal
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")?;
    ev.find_prop(name).map(|p| p.val.as_str().to_string())
}

/// STATUS is CONFIRMED for every session that exists (Open/Closed stays in
/// X-ATTCTL-STATUS); SEQUENCE starts at 0, is not raised by a close and is raised by each
/// reschedule, as calendar clients expect of a moved event.
fn export_sequence_rises_on_reschedule_only(env: TestEnv) {
    let (class, _) = env.unique_class("Cal");
    let id = env
        .attctl()
        .args(["session", "create", "--class", &class.to_string()])
        .args([
            "--date",
            "2038-03-09",
            "--start",
            "09:00",
            "--end",
            "09:50",
            "-o",
            "json",
        ])
        .success()
        .json()["id"]
        .as_i64()
        .expect("session id")
        .to_string();
    let first = export_ics(&env, class);
    assert_eq!(event_prop(&first, "SEQUENCE").as_deref(), Some("0"));
    assert_eq!(event_prop(&first, "STATUS").as_deref(), Some("CONFIRMED"));

    env.attctl()
        .args([
            "session",
            "reschedule",
            &id,
            "--start",
            "10:00",
            "--end",
            "10:50",
        ])
        .success();
    let moved = export_ics(&env, class);
    assert_eq!(
        event_prop(&moved, "SEQUENCE").as_deref(),
        Some("1"),
        "{moved}"
    );

    env.attctl()
        .args(["session", "close", &id, "--yes"])
        .success();
    let closed = export_ics(&env, class);
    assert_eq!(
        event_prop(&closed, "SEQUENCE").as_deref(),
        Some("1"),
        "{closed}"
    );
    assert_eq!(event_prop(&closed, "STATUS").as_deref(), Some("CONFIRMED"));
    assert_eq!(
        event_prop(&closed, "X-ATTCTL-STATUS").as_deref(),
        Some("Closed")
    );

    env.attctl()
        .args([
            "session",
            "reschedule",
            &id,
            "--date",
            "2038-03-10",
            "--reopen",
        ])
        .success();
    let again = export_ics(&env, class);
    assert_eq!(
        event_prop(&again, "SEQUENCE").as_deref(),
        Some("2"),
        "{again}"
    );
    // The UID does not change with the session.
    assert_eq!(event_prop(&first, "UID"), event_prop(&again, "UID"));
}

/// Rows past the first chunk of 1,000: duplicates and overlaps are found across chunks,
/// whether the file is in date order (days before the chunk are forgotten) or not (every
/// row's key is kept), and a bad row at the end still means nothing is written.
fn duplicates_across_chunks_and_all_or_nothing(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    let base = chrono::NaiveDate::from_ymd_opt(2049, 1, 4).unwrap();
    let row = |day: i64, hour: u32, minute: u32| {
        let date = base + chrono::Duration::days(day);
        format!(
            "{name},{date},{hour:02}:{minute:02},{hour:02}:{:02}\n",
            minute + 20
        )
    };
    // In date order: 2,500 rows, 10 a day; the last day repeats its first slot (exists) and
    // overlaps its second (overlap), both in the third chunk.
    let mut ordered = String::from("class_name,session_date,start_time,end_time\n");
    for i in 0..2500i64 {
        ordered.push_str(&row(i / 10, 8 + (i % 10) as u32, 0));
    }
    ordered.push_str(&row(249, 8, 0));
    ordered.push_str(&row(249, 9, 10));
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv", "-o", "json"])
        .stdin(&ordered)
        .success()
        .json();
    assert_eq!(out["created"].as_array().map(Vec::len), Some(2500));
    let reasons: Vec<&str> = out["skipped"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, ["exists", "overlap"], "{}", out["skipped"]);

    // Not in date order (read through a pipe given as the file): a row of the first day
    // after 1,500 others, against the store and against the file.
    let mut shuffled = String::from("class_name,session_date,start_time,end_time\n");
    for i in 0..1500i64 {
        shuffled.push_str(&row(300 + i / 10, 8 + (i % 10) as u32, 0));
    }
    shuffled.push_str(&row(0, 8, 0)); // in the store already
    shuffled.push_str(&row(300, 8, 10)); // overlaps the file's first row
    shuffled.push_str(&row(299, 8, 0)); // new
    let out = env
        .attctl()
        .args([
            "session",
            "import",
            "/dev/stdin",
            "--format",
            "csv",
            "-o",
            "json",
        ])
        .stdin(&shuffled)
        .success()
        .json();
    assert_eq!(
        out["created"].as_array().map(Vec::len),
        Some(1501),
        "{}",
        out["skipped"]
    );
    let reasons: Vec<&str> = out["skipped"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, ["exists", "overlap"]);
    let count = env.sessions_of(class).len();
    assert_eq!(count, 4001);

    // A bad row after two chunks' worth of good ones: nothing is written.
    let mut bad = String::from("class_name,session_date,start_time,end_time\n");
    for i in 0..2000i64 {
        bad.push_str(&row(600 + i / 10, 8 + (i % 10) as u32, 0));
    }
    bad.push_str(&format!("{name},2049-13-01,08:00,08:20\n"));
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv"])
        .stdin(&bad)
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("line 2002:"), "{}", out.stderr);
    assert_eq!(env.sessions_of(class).len(), count, "nothing written");
}

fn session_on(env: &TestEnv, class: i64, date: &str) {
    env.attctl()
        .args([
            "session",
            "create",
            "-o",
            "json",
            "--class",
            &class.to_string(),
        ])
        .args(["--date", date, "--start", "09:00", "--end", "09:50"])
        .success();
}

fn class_with(env: &TestEnv, name: &str) -> i64 {
    env.attctl()
        .args(["class", "create", "-o", "json"])
        .arg(format!("--name={name}"))
        .success()
        .json()["id"]
        .as_i64()
        .expect("class id")
}

/// Deletes the class's sessions, imports `file` back, and says whether the import found
/// every class by its name (no class created) and gave each its session back.
fn reimport(env: &TestEnv, class: i64, format: &str, file: &str) {
    env.attctl()
        .args(["session", "delete", "--yes", "--class", &class.to_string()])
        .args(["--from", "2040-01-01", "--to", "2060-12-31"])
        .success();
    assert!(env.sessions_of(class).is_empty());
    let out = env
        .attctl()
        .args(["session", "import", "-", "-o", "json", "--format", format])
        .stdin(file)
        .success();
    assert!(
        !out.stderr.contains("created class"),
        "the import did not find the class by its name: {}",
        out.stderr
    );
    assert_eq!(env.sessions_of(class).len(), 1, "{}", out.stderr);
}

/// A cell a spreadsheet would run: starts with = + - @, a tab or a CR, and is no number.
fn would_run(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && cell.parse::<f64>().is_err()
        && cell != "-"
}

/// The records of a CSV output, after checking that every line ends in CRLF and no cell
/// would run as a formula.
fn inert_csv(what: &str, text: &str) -> Vec<Vec<String>> {
    assert!(text.ends_with("\r\n"), "{what}: {text:?}");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "{what}: every line ends in CRLF: {text:?}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_string).collect())
        .collect();
    for cell in rows.iter().flatten() {
        assert!(
            !would_run(cell),
            "{what}: {cell:?} would run in a spreadsheet"
        );
    }
    rows
}

/// CSV is opened in spreadsheets: a class named like a formula is written as text (a
/// leading `'`) by every CSV output, `session export`, `session list -o csv` and `report
/// closures -o csv` alike, with CRLF line ends; and the export imports back to the same
/// class.
fn csv_cells_never_run_as_formulas(env: TestEnv) {
    let tag = unique("f");
    let names = [
        format!("=HYPERLINK(\"http://evil.example/{tag}\",\"open me\")"),
        format!("+cmd|' /C calc'!A0 {tag}"),
        format!("@SUM(1) {tag}"),
        format!("-1+1 {tag}"),
    ];
    for (i, name) in names.iter().enumerate() {
        let class = class_with(&env, name);
        session_on(&env, class, &format!("2043-05-0{}", i + 4));
        let c = class.to_string();
        let export = env
            .attctl()
            .args(["session", "export", "--format", "csv", "--class", &c])
            .success()
            .stdout;
        let rows = inert_csv("session export", &export);
        let col = rows[0]
            .iter()
            .position(|h| h == "class_name")
            .expect("class_name");
        assert_eq!(rows[1][col], format!("'{name}"));
        let list = env
            .attctl()
            .args(["session", "list", "-o", "csv", "--class", &c])
            .success()
            .stdout;
        let rows = inert_csv("session list", &list);
        assert_eq!(rows[1][1], format!("'{name}"), "the CLASS column");
        let report = env
            .attctl()
            .args(["report", "closures", "-o", "csv", "--class", &c])
            .success()
            .stdout;
        let rows = inert_csv("report closures", &report);
        assert_eq!(rows[1][1], format!("'{name}"), "the group column");
        reimport(&env, class, "csv", &export);
    }
}

/// Names with the characters iCalendar escapes (`\` `,` `;`) come back from an export as
/// they were: the parser unescapes TEXT once, and attctl does not do it again.
fn ics_round_trip_keeps_backslashes_commas_and_semicolons(env: TestEnv) {
    let tag = unique("t");
    let names = [
        format!(r"back\slash {tag}"),
        format!(r"a\,b {tag}"),
        format!(r"line\nbreak {tag}"),
        format!("semi;colon, comma {tag}"),
    ];
    for (i, name) in names.iter().enumerate() {
        let class = class_with(&env, name);
        session_on(&env, class, &format!("2043-06-0{}", i + 4));
        let ics = export_ics(&env, class);
        reimport(&env, class, "ics", &ics);
        assert_eq!(
            env.sessions_of(class)[0]["session_date"],
            format!("2043-06-0{}", i + 4)
        );
    }
}

/// What RFC 5545 calls the recurrence set, as Outlook and old clients write it: RDATEs,
/// several RRULEs and an EXRULE all count; a rule that gives no date is said, not silently
/// imported as nothing.
fn rdates_several_rrules_and_exrules_all_count(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:set-{name}\r\nSUMMARY:{name}\r\n\
DTSTART;TZID=Europe/London:20440104T090000\r\nDTEND;TZID=Europe/London:20440104T095000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2\r\n\
RDATE;TZID=Europe/London:20440201T090000\r\nEXRULE:FREQ=MONTHLY;BYMONTHDAY=11\r\n\
END:VEVENT\r\nBEGIN:VEVENT\r\nUID:never-{name}\r\nSUMMARY:{name}\r\n\
DTSTART;TZID=Europe/London:20440105T140000\r\nDTEND;TZID=Europe/London:20440105T145000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "ics", "-o", "json"])
        .stdin(&ics)
        .success();
    assert_eq!(
        slots(&env.sessions_of(class)),
        [
            ("2044-01-04".into(), "09:00:00".into()),
            ("2044-01-06".into(), "09:00:00".into()),
            ("2044-01-13".into(), "09:00:00".into()),
            ("2044-01-18".into(), "09:00:00".into()),
            ("2044-02-01".into(), "09:00:00".into()),
        ]
    );
    assert!(
        out.stderr.contains(
            "warning: line 13: RRULE \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\" gives no date"
        ),
        "{}",
        out.stderr
    );
}

/// Outlook writes a zone its user edited as TZID "Customized Time Zone" with its own
/// VTIMEZONE: the offsets come from that definition (here Central European rules), and the
/// times land in the configured zone.
fn outlook_custom_zones_are_read_from_their_vtimezone(env: TestEnv) {
    let (class, name) = env.unique_class("Cal");
    let tz = "\"Customized Time Zone\"";
    let ics = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n\
VERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n\
DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n\
DTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:custom-{name}\r\nSUMMARY:{name}\r\n\
DTSTART;TZID={tz}:20441024T100000\r\nDTEND;TZID={tz}:20441024T105000\r\n\
RRULE:FREQ=WEEKLY;COUNT=2\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    env.attctl()
        .env("ATTCTL_TIMEZONE", "Europe/Berlin")
        .args(["session", "import", "-", "--format", "ics", "-o", "json"])
        .stdin(&ics)
        .success();
    let list = env.sessions_of(class);
    // 24 Oct in summer time, 31 Oct after the clocks went back on the 30th: 10:00 both.
    assert_eq!(
        slots(&list),
        [
            ("2044-10-24".into(), "10:00:00".into()),
            ("2044-10-31".into(), "10:00:00".into()),
        ]
    );
    assert_eq!(list[0]["timezone"], "Europe/Berlin");
    let closes = |s: &Value| s["closes_at"].as_str().unwrap_or("").to_string();
    assert!(
        closes(&list[0]).starts_with("2044-10-24T08:50:00"),
        "{}",
        list[0]
    );
    assert!(
        closes(&list[1]).starts_with("2044-10-31T09:50:00"),
        "{}",
        list[1]
    );
}

/// The import reads a private copy of its file: a file rewritten while the import writes
/// changes nothing, and the import is whole (exit 2 meant nothing written, yet earlier
/// chunks were).
fn a_file_changed_during_the_import_does_not_change_it(env: TestEnv) {
    use std::io::{Read, Write};
    // Past the first chunk and past what a reader buffers (64 KiB) ahead of it.
    const ROWS: i64 = 5_000;
    let (class, name) = env.unique_class("Cal");
    let base = chrono::NaiveDate::from_ymd_opt(2052, 1, 3).unwrap();
    let mut good = String::from("class_name,session_date,start_time,end_time\n");
    for i in 0..ROWS {
        let date = base + chrono::Duration::days(i / 10);
        let hour = 8 + i % 10;
        good.push_str(&format!("{name},{date},{hour:02}:00,{hour:02}:40\n"));
    }
    let path = env.dir().join("term.csv");
    std::fs::write(&path, &good).unwrap();
    let mut child = env
        .attctl()
        .args(["session", "import", path.to_str().unwrap(), "-o", "ndjson"])
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn attctl");
    // Once the first chunk is written, every row still to be read becomes invalid (same
    // length, so a reader of the original file finds them where it looks).
    let mut stdout = child.stdout.take().expect("stdout");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("\"id\"") {
        let n = stdout.read(&mut buf).expect("read stdout");
        if n == 0 {
            let out = child.wait_with_output().expect("wait");
            panic!(
                "attctl ended before writing: {}\n{}",
                String::from_utf8_lossy(&seen),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        seen.extend_from_slice(&buf[..n]);
    }
    let bad = good.replace(":00,", ":77,");
    assert_eq!(bad.len(), good.len());
    let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.write_all(bad.as_bytes()).unwrap();
    f.sync_all().unwrap();
    stdout.read_to_end(&mut seen).expect("read stdout");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let answer: Value = serde_json::from_slice(&seen).expect("one JSON document");
    assert_eq!(
        answer["created"].as_array().map(Vec::len),
        Some(ROWS as usize),
        "{stderr}"
    );
    assert_eq!(env.sessions_of(class).len(), ROWS as usize);
}

backend_tests!(
    duplicates_across_chunks_and_all_or_nothing,
    google_overrides_move_and_cancel_occurrences,
    outlook_overrides_move_and_cancel_occurrences,
    import_skips_holidays,
    export_sequence_rises_on_reschedule_only,
    csv_cells_never_run_as_formulas,
    ics_round_trip_keeps_backslashes_commas_and_semicolons,
    rdates_several_rrules_and_exrules_all_count,
    outlook_custom_zones_are_read_from_their_vtimezone,
    a_file_changed_during_the_import_does_not_change_it,
    the_same_import_twice_at_once_both_succeed,
);

/// The same file imported twice at once, naming a class that does not exist yet: each
/// import may find it missing and create it; the one that loses the race uses the class the
/// other created instead of failing, and every session exists once.
fn the_same_import_twice_at_once_both_succeed(env: TestEnv) {
    let base = unique("Twice");
    let csv_for = |name: &str| {
        let mut csv = String::from("class_name,session_date,start_time,end_time\n");
        for day in 0..120 {
            let date =
                chrono::NaiveDate::from_ymd_opt(2044, 1, 4).unwrap() + chrono::Duration::days(day);
            csv.push_str(&format!("{name},{date},09:00,09:45\n"));
        }
        csv
    };
    let file = env.dir().join("twice.csv");
    for round in 0..3 {
        let name = format!("{base} {round}");
        std::fs::write(&file, csv_for(&name)).unwrap();
        let spawn = || {
            env.attctl()
                .args(["session", "import", file.to_str().unwrap(), "-o", "json"])
                .command()
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn attctl")
        };
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let classes = env
            .attctl()
            .args(["class", "list", "-o", "json"])
            .success()
            .json();
        let ids: Vec<i64> = classes
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == name.as_str())
            .filter_map(|c| c["id"].as_i64())
            .collect();
        assert_eq!(ids.len(), 1, "one class {name:?}: {classes}");
        assert_eq!(env.sessions_of(ids[0]).len(), 120, "round {round}");
    }
}

/// Two local stores (two machines) give their sessions different UID hosts, each stable
/// from one export to the next: a calendar client subscribed to both sees no collision.
#[test]
fn local_stores_have_their_own_uid_host() {
    let uid = |env: &TestEnv| {
        let (class, _) = env.unique_class("Cal");
        env.attctl()
            .args(["session", "create", "--class", &class.to_string()])
            .args(["--date", "2038-04-06", "--start", "09:00", "--end", "09:50"])
            .success();
        let first = event_prop(&export_ics(env, class), "UID").expect("a UID");
        let second = event_prop(&export_ics(env, class), "UID").expect("a UID");
        assert_eq!(first, second, "stable between exports");
        first
    };
    let (a, b) = (
        uid(&TestEnv::new(Backend::Local)),
        uid(&TestEnv::new(Backend::Local)),
    );
    let host = |u: &str| {
        u.split_once('@')
            .map(|(_, h)| h.to_string())
            .unwrap_or_default()
    };
    assert!(!host(&a).is_empty() && host(&a) != "local.attctl", "{a}");
    assert_ne!(host(&a), host(&b), "{a} vs {b}");
}
