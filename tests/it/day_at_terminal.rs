//! Issue 26, "A day at the terminal": commands that never guess (destructive commands take
//! an exact name or id), ids never reused, holidays against planned sessions, one name for
//! date ranges, plain single values, exit codes in the help, and the small ones.

use crate::common::{Backend, Terminal, TestEnv, unique};

fn class_json(env: &TestEnv, name: &str) -> serde_json::Value {
    env.attctl()
        .args(["class", "create", "-o", "json", "--name", name])
        .success()
        .json()
}

fn class_names(env: &TestEnv) -> Vec<String> {
    env.attctl()
        .args(["class", "list", "-o", "json"])
        .success()
        .json()
        .as_array()
        .expect("class list")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_string())
        .collect()
}

fn status_of(env: &TestEnv, id: i64) -> String {
    env.show(id)["status"].as_str().expect("status").to_string()
}

// ----- item 2: destructive commands never guess -------------------------------------------

fn destructive_commands_take_an_exact_name_or_id(env: TestEnv) {
    let name = unique("Art");
    let lower = name.to_lowercase();
    let class = class_json(&env, &name)["id"].as_i64().unwrap();
    let session = env.session(class, "2030-09-02", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let suggestion =
        format!("did you mean \"{name}\" (id:{class})? Pass the exact name or id:{class}");

    // Each destructive command refuses the near name with the suggestion, writing nothing.
    for args in [
        vec!["class", "delete", &lower, "--cascade", "--yes"],
        vec!["class", "rename", &lower, "--name", "Anything"],
        vec!["session", "delete", "--class", &lower, "--yes"],
        vec!["session", "close", "--class", &lower, "--yes"],
    ] {
        let out = env.attctl().args(&args).run();
        out.assert_one_line_error(3, &suggestion);
        assert!(
            out.stderr.contains(&format!("no class named \"{lower}\"")),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(class_names(&env).contains(&name));
    assert_eq!(status_of(&env, session), "Open");

    // Read-only commands still take the name in any case.
    let listed = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class", &lower])
        .success()
        .json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    // An unknown id says where the classes are listed.
    env.attctl()
        .args(["class", "delete", "id:987654321"])
        .run()
        .assert_one_line_error(3, "class 987654321 not found; `attctl class list`");

    // The exact name and the id are taken.
    env.attctl()
        .args(["session", "close", "--class", &name, "--yes"])
        .success();
    assert_eq!(status_of(&env, session), "Closed");
    env.attctl()
        .args([
            "class",
            "delete",
            &format!("id:{class}"),
            "--cascade",
            "--yes",
        ])
        .success();
    assert!(!class_names(&env).contains(&name));
}

/// The story: classes `art` and `Art`; deleting `art` twice deletes `art` once, and
/// the second run is refused with `Art` as a suggestion.
fn a_retried_delete_never_reaches_a_class_of_another_case(env: TestEnv) {
    let upper = unique("Art");
    let lower = upper.to_lowercase();
    let upper_id = class_json(&env, &upper)["id"].as_i64().unwrap();
    // A name differing only in case is created, with a warning (as a positional name).
    let out = env
        .attctl()
        .args(["class", "create", "-o", "json", &lower])
        .success();
    assert_eq!(out.json()["name"], lower.as_str());
    assert!(
        out.stderr.contains(&format!(
            "class \"{upper}\" (id:{upper_id}) differs from \"{lower}\" only in case"
        )),
        "{}",
        out.stderr
    );
    env.attctl()
        .args(["class", "delete", &lower, "--cascade", "--yes"])
        .success();
    env.attctl()
        .args(["class", "delete", &lower, "--cascade", "--yes"])
        .run()
        .assert_one_line_error(3, &format!("did you mean \"{upper}\" (id:{upper_id})"));
    let names = class_names(&env);
    assert!(
        names.contains(&upper) && !names.contains(&lower),
        "{names:?}"
    );
}

fn holiday_delete_takes_an_exact_name_or_id(env: TestEnv) {
    let name = unique("Half term");
    let added = env
        .attctl()
        .args([
            "holiday",
            "add",
            "-o",
            "json",
            "--date",
            "2030-10-21",
            "--name",
            &name,
        ])
        .success()
        .json();
    let id = added["id"].as_i64().unwrap();
    env.attctl()
        .args(["holiday", "delete", &name.to_uppercase()])
        .run()
        .assert_one_line_error(3, &format!("did you mean \"{name}\" (id:{id})"));
    let listed = env
        .attctl()
        .args(["holiday", "list", "-o", "json"])
        .success()
        .json();
    assert!(listed.as_array().unwrap().iter().any(|h| h["id"] == id));
    env.attctl()
        .args(["holiday", "delete", "id:987654321"])
        .run()
        .assert_one_line_error(3, "`attctl holiday list`");
    let gone = env
        .attctl()
        .args(["holiday", "delete", "-o", "json", &name])
        .success()
        .json();
    assert_eq!(gone["id"], id);
}

/// `class create` takes its name as a positional argument or as --name, not both.
#[test]
fn class_create_takes_a_positional_name() {
    let env = TestEnv::new(Backend::Local);
    let out = env
        .attctl()
        .args(["class", "create", "-o", "json", "Year 12"])
        .success();
    assert_eq!(out.json()["name"], "Year 12");
    let both = env
        .attctl()
        .args(["class", "create", "Year 13", "--name", "Year 14"])
        .run();
    assert_eq!(both.code, 2, "{}", both.stderr);
    assert_eq!(class_names(&env), ["Year 12"]);
}

// ----- item 3: ids are never reused ------------------------------------------------------

/// Create, delete, create again: the new class, session and holiday each get a new id.
fn ids_are_never_handed_out_again(env: TestEnv) {
    let first = class_json(&env, &unique("Reused"))["id"].as_i64().unwrap();
    env.attctl()
        .args(["class", "delete", &format!("id:{first}")])
        .success();
    let second = class_json(&env, &unique("Reused"))["id"].as_i64().unwrap();
    assert!(
        second > first,
        "class id {first} handed out again as {second}"
    );

    let s1 = env.session(second, "2030-11-04", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.attctl()
        .args(["session", "delete", &s1.to_string(), "--yes"])
        .success();
    let s2 = env.session(second, "2030-11-04", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    assert!(s2 > s1, "session id {s1} handed out again as {s2}");

    let holiday = |name: &str| {
        env.attctl()
            .args([
                "holiday",
                "add",
                "-o",
                "json",
                "--date",
                "2030-12-24",
                "--name",
                name,
            ])
            .success()
            .json()["id"]
            .as_i64()
            .unwrap()
    };
    let h1 = holiday(&unique("Eve"));
    env.attctl()
        .args(["holiday", "delete", &format!("id:{h1}")])
        .success();
    let h2 = holiday(&unique("Eve"));
    assert!(h2 > h1, "holiday id {h1} handed out again as {h2}");
}

// ----- item 4: holidays and the sessions already planned ----------------------------------

fn holidays_on(env: &TestEnv, date: &str) -> usize {
    env.attctl()
        .args([
            "holiday", "list", "-o", "json", "--from", date, "--to", date,
        ])
        .success()
        .json()
        .as_array()
        .map_or(0, Vec::len)
}

fn exists(env: &TestEnv, id: i64) -> bool {
    let out = env
        .attctl()
        .args(["session", "show", &id.to_string()])
        .run();
    match out.code {
        0 => true,
        3 => false,
        _ => panic!("session show {id}: {}", out.stderr),
    }
}

fn a_holiday_names_the_open_sessions_it_covers_and_deletes_them_on_request(env: TestEnv) {
    let name = unique("Year 7");
    let class = class_json(&env, &name)["id"].as_i64().unwrap();
    let open = env.session(class, "2031-02-17", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let closed = env.session(class, "2031-02-18", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.attctl()
        .args(["session", "close", &closed.to_string()])
        .success();
    let after = env.session(class, "2031-02-24", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    let add = |extra: &[&str]| {
        env.attctl()
            .args(["holiday", "add", "-o", "json", "--from", "2031-02-17"])
            .args(["--to", "2031-02-21", "--name", "Half term"])
            .args(extra)
            .run()
    };

    // Deleting needs --yes off a terminal: refused before anything is written.
    add(&["--delete-sessions"]).assert_one_line_error(
        2,
        "refusing to delete 1 session without confirmation: pass --yes",
    );
    assert_eq!(holidays_on(&env, "2031-02-19"), 0);
    assert!(exists(&env, open));

    // Without --delete-sessions the holiday is added and its Open session named.
    let out = add(&[]);
    out.assert_ok();
    assert!(
        out.stderr
            .contains(&format!("{name} 2031-02-17 08:00-09:00 (id {open})")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--delete-sessions"), "{}", out.stderr);
    assert!(
        !out.stderr.contains(&format!("id {closed})")),
        "{}",
        out.stderr
    );
    assert_eq!(out.json()["open_sessions"], serde_json::json!([open]));
    assert!(exists(&env, open));
    let id = out.json()["id"].as_i64().unwrap();
    env.attctl()
        .args(["holiday", "delete", &format!("id:{id}")])
        .success();

    // With --delete-sessions --yes the Open sessions on it go; others stay.
    let out = add(&["--delete-sessions", "--yes"]);
    out.assert_ok();
    assert_eq!(out.json()["sessions_deleted"], serde_json::json!([open]));
    assert!(
        out.stderr.contains("1 Open session on the holiday deleted"),
        "{}",
        out.stderr
    );
    assert!(!exists(&env, open));
    assert!(exists(&env, closed) && exists(&env, after));
    assert_eq!(holidays_on(&env, "2031-02-19"), 1);
}

/// A calendar of lessons (timed events) imports no holiday, and says so.
#[test]
fn a_calendar_without_all_day_events_says_it_imported_nothing() {
    let env = TestEnv::new(Backend::Local);
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n\
               UID:a@t\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20300107T090000Z\r\n\
               DTEND:20300107T100000Z\r\nSUMMARY:Maths\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let out = env
        .attctl()
        .args(["holiday", "import", "-", "-o", "json"])
        .stdin(ics)
        .success();
    assert_eq!(out.json(), serde_json::json!([]));
    assert!(
        out.stderr.contains("no all-day events, only 1 timed event"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("nothing imported"), "{}", out.stderr);
}

// ----- item 12: --from/--to everywhere ----------------------------------------------------

/// `session generate` and `holiday add` take --from/--to; the old --until and --date stay.
#[test]
fn date_ranges_are_from_and_to_with_the_old_names_kept() {
    let env = TestEnv::new(Backend::Local);
    let class = class_json(&env, "Maths")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let generate = |range: [&str; 4]| {
        env.attctl()
            .args(["session", "generate", "-o", "json", "--class", &class])
            .args(["--days", "mon", "--start", "09:00", "--end", "09:50"])
            .args(range)
            .success()
            .json()["created"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(generate(["--from", "2035-10-01", "--to", "2035-10-14"]), 2);
    assert_eq!(
        generate(["--from", "2035-10-15", "--until", "2035-10-28"]),
        2
    );
    for (first, flag) in [("2035-12-24", "--from"), ("2035-12-31", "--date")] {
        env.attctl()
            .args([
                "holiday", "add", flag, first, "--to", first, "--name", "Eve",
            ])
            .success();
    }
    assert_eq!(
        holidays_on(&env, "2035-12-24") + holidays_on(&env, "2035-12-31"),
        2
    );
    let help = env
        .attctl()
        .args(["session", "generate", "--help"])
        .success()
        .stdout;
    assert!(
        help.contains("--to <DATE>") && help.contains("[alias: --until]"),
        "{help}"
    );
}

// ----- item 13: one value, printed plainly ------------------------------------------------

/// `cat "$(attctl config path)"` works: the path alone, unless -o json asks for the record.
#[test]
fn config_path_prints_a_plain_path_unless_json_is_asked_for() {
    let env = TestEnv::new(Backend::Local);
    let expected = env.dir().join("config/attctl/config.toml");
    let plain = env.attctl().args(["config", "path"]).success();
    assert_eq!(plain.stdout, format!("{}\n", expected.display()));
    assert!(plain.stderr.contains("config init"), "{}", plain.stderr);
    let table = env
        .attctl()
        .args(["config", "path", "-o", "table"])
        .success();
    assert_eq!(table.stdout, plain.stdout);
    let json = env
        .attctl()
        .args(["config", "path", "-o", "json"])
        .success();
    assert_eq!(json.json()["exists"], false);
    let init = env.attctl().args(["config", "init"]).success();
    assert_eq!(init.stdout, plain.stdout);
    assert!(std::fs::read_to_string(init.stdout.trim()).is_ok());
}

// ----- item 15: exit codes in the help and the man page -----------------------------------

#[test]
fn exit_codes_are_listed_in_the_help_and_the_man_page() {
    let env = TestEnv::new(Backend::Local);
    let help = env.attctl().arg("--help").success().stdout;
    let codes = &help[help.find("Exit codes:").expect("exit codes in --help")..];
    for code in 0..=7 {
        assert!(
            codes.contains(&format!("\n  {code}  ")),
            "code {code}: {codes}"
        );
    }
    assert!(codes.contains("7  partial"), "{codes}");
    env.attctl()
        .args(["generate-assets", "--out-dir"])
        .arg(env.dir().display().to_string())
        .success();
    let man = std::fs::read_to_string(env.dir().join("man/attctl.1")).unwrap();
    let status = &man[man.find(".SH \"EXIT STATUS\"").expect("EXIT STATUS")..];
    for code in 0..=7 {
        assert!(
            status.contains(&format!("\\fB{code}\\fR")),
            "code {code}: {status}"
        );
    }
    assert!(status.contains("partial"), "{status}");
}

// ----- item 16: the small ones ------------------------------------------------------------

/// One class with one session closed early by hand: the chart says `1 session`, the CSV's
/// figures have at most 2 decimals. (The lag buckets' `30s-1m` is a unit test of
/// `output::report::svg`: it needs automatic closes.)
#[test]
fn report_figures_read_as_a_person_writes_them() {
    use chrono::Timelike as _;
    let now = chrono::Utc::now();
    if !(3600..82_800).contains(&now.num_seconds_from_midnight()) {
        eprintln!("skipped: within an hour of midnight UTC");
        return;
    }
    let env = TestEnv::new(Backend::Local);
    let class = class_json(&env, "Solo")["id"].as_i64().unwrap().to_string();
    let at = |secs: i64| {
        (now + chrono::Duration::seconds(secs))
            .format("%H:%M:%S")
            .to_string()
    };
    let date = now.format("%Y-%m-%d").to_string();
    let s = env
        .attctl()
        .args([
            "session", "create", "-o", "json", "--class", &class, "--date", &date,
        ])
        .args(["--start", &at(-600), "--end", &at(3037)])
        .success()
        .json();
    env.attctl()
        .args(["session", "close", &s["id"].to_string()])
        .success();
    let chart = env
        .attctl()
        .args(["report", "closures", "--chart", "--class", &class])
        .success()
        .stdout;
    assert!(chart.contains(" 1 session\n"), "{chart}");
    assert!(!chart.contains("1 sessions"), "{chart}");

    let csv = env
        .attctl()
        .args(["report", "closures", "-o", "csv", "--class", &class])
        .success()
        .stdout;
    for cell in csv.lines().skip(1).flat_map(|l| l.split(',')) {
        if let Some((_, decimals)) = cell.split_once('.') {
            assert!(decimals.len() <= 2, "{cell} in {csv}");
        }
    }
    // An early close of ~50.6 minutes: rounded, not 50.61666666666667.
    assert!(
        csv.lines().nth(1).is_some_and(|l| l.contains(".")),
        "a fraction expected: {csv}"
    );
}

/// A bulk delete asks about what it names: `Delete 2 sessions of Year 7, D1..D2?`
#[test]
fn the_bulk_delete_prompt_names_the_class_and_the_dates() {
    let env = TestEnv::new(Backend::Local);
    let class = class_json(&env, "Year 7")["id"].as_i64().unwrap();
    let first = env.session(class, "2030-06-03", "08:00", "09:00")["id"]
        .as_i64()
        .unwrap();
    env.session(class, "2030-06-10", "08:00", "09:00");
    let Some(screen) = env.on_terminal(
        &["session", "delete", "--class", &format!("id:{class}")],
        Terminal::NARROW,
        "n\n",
    ) else {
        return;
    };
    let text = screen.text();
    assert!(
        text.contains("Delete 2 sessions of Year 7, 2030-06-03..2030-06-10?"),
        "{text}"
    );
    assert!(exists(&env, first));
}

/// `class list` in the order people count: Year 7 before Year 10, in JSON and tables.
#[test]
fn classes_are_listed_in_natural_order() {
    let env = TestEnv::new(Backend::Local);
    for name in ["Year 10", "Year 7", "year 8", "Art", "Year 9"] {
        class_json(&env, name);
    }
    assert_eq!(
        class_names(&env),
        ["Art", "Year 7", "year 8", "Year 9", "Year 10"]
    );
    let table = env
        .attctl()
        .args(["class", "list", "-o", "table"])
        .success()
        .stdout;
    let (seven, ten) = (
        table.find("Year 7").unwrap(),
        table.find("Year 10").unwrap(),
    );
    assert!(seven < ten, "{table}");
}

/// `2028-02-31` has the right format: the message says the day does not exist.
#[test]
fn a_date_that_does_not_exist_is_called_so() {
    let env = TestEnv::new(Backend::Local);
    let class = class_json(&env, "Maths")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    env.attctl()
        .args([
            "session",
            "create",
            "--class",
            &class,
            "--date",
            "2028-02-31",
        ])
        .args(["--start", "09:00", "--end", "10:00"])
        .run()
        .assert_one_line_error(
            2,
            "invalid date \"2028-02-31\": that day does not exist (February 2028 has 29 days)",
        );
    env.attctl()
        .args(["holiday", "add", "--from", "2027-13-01", "--name", "X"])
        .run()
        .assert_one_line_error(2, "\"2027-13-01\": there is no such month");
    env.attctl()
        .args(["events", "list", "--since", "2027-04-31"])
        .run()
        .assert_one_line_error(2, "that day does not exist (April 2027 has 30 days)");
    let out = env
        .attctl()
        .args(["session", "import", "-", "--format", "csv"])
        .stdin("class_name,session_date,start_time,end_time\nMaths,2028-02-30,09:00,10:00\n")
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("that day does not exist"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("YYYY-MM-DD"), "{}", out.stderr);
    // The format is still blamed when it is the format.
    env.attctl()
        .args(["session", "list", "--date", "31/02/2028"])
        .run()
        .assert_one_line_error(2, "expected YYYY-MM-DD");
}

backend_tests!(
    a_holiday_names_the_open_sessions_it_covers_and_deletes_them_on_request,
    ids_are_never_handed_out_again,
    destructive_commands_take_an_exact_name_or_id,
    a_retried_delete_never_reaches_a_class_of_another_case,
    holiday_delete_takes_an_exact_name_or_id,
);
