//! Issue 26, the rest of "A day at the terminal", as a person sees it on an 80-column
//! pseudo-terminal: bulk answers summed up after a progress bar (every row with `--verbose`
//! or JSON), `attctl status` in aligned columns with colour and an exit code for monitoring,
//! `session create` asking again for an answer that cannot work, and the notification
//! settings in the help of the commands they affect.

use crate::common::{Backend, Terminal, TestEnv};

/// A class with a holiday in its term: `session generate` of a school year creates about
/// 200 sessions and skips the holiday's three.
fn class_with_a_holiday(env: &TestEnv) -> String {
    let class = env.class().to_string();
    env.attctl()
        .args([
            "holiday",
            "add",
            "--name",
            "Winter",
            "--from",
            "2030-12-24",
            "--to",
            "2030-12-26",
        ])
        .success();
    class
}

const TERM: [&str; 12] = [
    "session",
    "generate",
    "--class",
    "",
    "--from",
    "2030-09-01",
    "--to",
    "2031-06-30",
    "--days",
    "mon,tue,wed,thu,fri",
    "--start",
    "10:00",
];

fn generate_args(class: &str, more: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = TERM.iter().map(|s| s.to_string()).collect();
    args[3] = class.to_string();
    args.extend(["--end".to_string(), "11:00".to_string()]);
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

// ----- item 8: bulk answers at a terminal ----------------------------------------------------

#[test]
fn a_term_generated_at_a_terminal_is_summed_up_after_a_progress_bar() {
    // A terminal has a TERM: progress bars are drawn only then.
    let env = TestEnv::new(Backend::Local).with("TERM", "xterm");
    let class = class_with_a_holiday(&env);
    let Some(screen) = env.on_terminal(&generate_args(&class, &[]), Terminal::NARROW, "") else {
        return;
    };
    screen.assert_ok();
    let text = screen.text();
    // The bar was drawn (past 50 items) and cleared before the answer.
    assert!(
        screen.raw.contains("generating 216 sessions"),
        "no progress bar: {:?}",
        screen.raw
    );
    assert!(screen.lines_with("generating").is_empty(), "{text}");
    // A few rows of each kind, then what was left out and the counts.
    assert_eq!(screen.lines_with("+ created").len(), 3, "{text}");
    assert_eq!(screen.lines_with("- skipped").len(), 3, "{text}");
    assert!(
        screen
            .lines_with("- skipped")
            .iter()
            .all(|l| l.ends_with("holiday")),
        "{text}"
    );
    assert!(
        text.contains("… 210 more rows not shown (--verbose or -o json lists every row)"),
        "{text}"
    );
    assert!(text.contains("213 created · 3 skipped (holiday)"), "{text}");
    assert!(screen.lines().len() < 15, "{text}");
    assert!(screen.widest() <= 80, "{text}");
}

#[test]
fn verbose_and_json_list_every_row_of_a_bulk_answer() {
    let env = TestEnv::new(Backend::Local);
    let class = class_with_a_holiday(&env);
    let Some(screen) = env.on_terminal(
        &generate_args(&class, &["--dry-run", "--verbose"]),
        Terminal::NARROW,
        "",
    ) else {
        return;
    };
    screen.assert_ok();
    assert_eq!(screen.lines_with("+ plan").len(), 213, "{}", screen.text());
    assert_eq!(screen.lines_with("- skipped").len(), 3);
    assert!(!screen.text().contains("not shown"));

    // Piped, the answer is the whole JSON document, as scripts have always read it.
    let json = env
        .attctl()
        .args(generate_args(&class, &[]))
        .success()
        .json();
    assert_eq!(json["created"].as_array().map(Vec::len), Some(213));
    assert_eq!(json["skipped"].as_array().map(Vec::len), Some(3));
}

#[test]
fn a_bulk_delete_at_a_terminal_shows_a_few_rows_and_the_count() {
    let env = TestEnv::new(Backend::Local).with("TERM", "xterm");
    let class = class_with_a_holiday(&env);
    env.attctl().args(generate_args(&class, &[])).success();
    let delete = [
        "session",
        "delete",
        "--class",
        &class,
        "--from",
        "2030-09-01",
        "--to",
        "2031-06-30",
        "--yes",
    ];
    let Some(screen) = env.on_terminal(&delete, Terminal::NARROW, "") else {
        return;
    };
    screen.assert_ok();
    let text = screen.text();
    assert!(
        screen.raw.contains("deleting 213 sessions"),
        "{:?}",
        screen.raw
    );
    assert_eq!(screen.lines_with(" deleted ").len(), 3, "{text}");
    assert!(text.contains("… 210 more rows not shown"), "{text}");
    assert!(text.contains("213 sessions deleted"), "{text}");
    assert!(screen.widest() <= 80, "{text}");
    let left = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class", &class, "--all"])
        .success()
        .json();
    assert_eq!(left.as_array().map(Vec::len), Some(0), "{left}");
}

#[test]
fn a_holiday_over_many_sessions_names_the_first_few_at_a_terminal() {
    let env = TestEnv::new(Backend::Local);
    let class = env.class().to_string();
    for start in ["08:00", "09:00", "10:00", "11:00", "12:00"] {
        let end = format!("{}:30", &start[..2]);
        env.session(class.parse().unwrap(), "2030-11-11", start, &end);
    }
    let add = [
        "holiday",
        "add",
        "--name",
        "Closure",
        "--from",
        "2030-11-11",
        "--to",
        "2030-11-11",
    ];
    let Some(screen) = env.on_terminal(&add, Terminal::NARROW, "") else {
        return;
    };
    screen.assert_ok();
    let text = screen.text();
    assert!(
        text.contains("5 sessions planned on the holiday stay Open"),
        "{text}"
    );
    assert_eq!(screen.lines_with("2030-11-11 ").len(), 3, "{text}");
    assert!(text.contains("… and 2 more (--verbose"), "{text}");
}

// ----- item 9: attctl status --------------------------------------------------------------

#[test]
fn status_is_aligned_coloured_and_a_monitoring_check() {
    let (today, _) = crate::common::utc_in(0);
    let (start_date, start) = crate::common::utc_in(60);
    let (end_date, end) = crate::common::utc_in(3600);
    if start_date != today || end_date != today {
        eprintln!("skipped: too close to midnight UTC");
        return;
    }
    let mut env = TestEnv::new(Backend::Local);
    let long = crate::common::unique("Year 7 (A) Mathematics with Mr Longname-Smythe");
    let a = env.class_named(&long);
    let b = env.class();
    let next = env.session(a, &today, &start[..5], &end[..5]);
    let tomorrow = env.session(b, "tomorrow", "09:00", "10:00");
    // Weeks away: not among the next closes.
    env.session(b, "2031-03-03", "09:00", "10:00");

    // Nothing overdue, no local worker: the worker alone makes it an alert.
    let Some(screen) = env.on_terminal(&["status"], Terminal::NARROW, "") else {
        return;
    };
    assert_eq!(screen.code, 1, "{}", screen.text());
    let text = screen.text();
    assert!(text.contains("NOT RUNNING"), "{text}");
    assert!(text.contains("error: the worker is not running"), "{text}");
    assert!(screen.widest() <= 80, "{text}");
    // One line per session, its columns aligned: the class cut with … to fit.
    let times = format!("{}-{}", &start[..5], &end[..5]);
    let first = screen.lines_with(&times);
    let second = screen.lines_with("tomorrow");
    assert_eq!((first.len(), second.len()), (1, 1), "{text}");
    let (first, second) = (&first[0], &second[0]);
    assert!(first.starts_with("next closes  "), "{text}");
    assert!(first.contains('…'), "the long name is cut: {text}");
    assert!(second.contains("09:00-10:00"), "{text}");
    let column = |line: &str, what: &str| line.find(what).map(|at| line[..at].chars().count());
    assert_eq!(
        column(first, &times),
        column(second, "09:00-10:00"),
        "aligned:\n{text}"
    );
    // A session weeks away is not among the next closes.
    assert!(!text.contains("2031-03-03"), "{text}");
    let json = env.attctl().args(["status", "-o", "json"]).run();
    let report = json.json();
    let ids: Vec<_> = report["next_closes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec![next["id"].clone(), tomorrow["id"].clone()],
        "{report}"
    );
    assert!(report["next_closes_until"].is_string(), "{report}");
    assert_eq!(json.code, 1);

    // Overdue in red, with colour on; NO_COLOR leaves the escapes out.
    let overdue = env.session(b, "yesterday", "08:00", "09:00");
    env.unset("NO_COLOR");
    let Some(coloured) = env.on_terminal(&["status"], Terminal::NARROW, "") else {
        return;
    };
    assert_eq!(coloured.code, 1);
    assert!(
        coloured.raw.contains("\u{1b}[1;31mNOT RUNNING"),
        "{:?}",
        coloured.raw
    );
    let red_row = format!("\u{1b}[31m{}  ", overdue["id"]);
    assert!(coloured.raw.contains(&red_row), "{:?}", coloured.raw);
    assert!(
        coloured
            .text()
            .contains("error: the worker is not running; 1 session overdue"),
        "{}",
        coloured.text()
    );
    let Some(plain) = env.on_terminal(&["status", "--color", "never"], Terminal::NARROW, "") else {
        return;
    };
    assert!(!plain.raw.contains("\u{1b}[31m"), "{:?}", plain.raw);
    env.set("NO_COLOR", "1");
    let Some(plain) = env.on_terminal(&["status"], Terminal::NARROW, "") else {
        return;
    };
    assert!(!plain.raw.contains("\u{1b}[31m"), "{:?}", plain.raw);
}

// ----- item 11: session create asks again ------------------------------------------------

/// Each time is checked when it is typed, against the class's sessions of the day: a start
/// inside another session, an end before the start and an end that runs into the next
/// session are each asked again (the reason beneath), and the answers given stay.
#[test]
fn session_create_asks_again_for_times_that_cannot_work() {
    if !crate::common::terminal_available() {
        return;
    }
    let env = TestEnv::new(Backend::Local);
    let class = env.class();
    let other = env.session(class, "2030-01-15", "09:00", "10:00")["id"].clone();
    let bin = crate::common::binary("attctl");
    // Typed one answer at a time, as a person would.
    let typed = "(sleep 2; printf '9:30\\r'; sleep 1; printf '8:00\\r'; sleep 1; printf '7:00\\r'; \
                 sleep 1; printf '9:30\\r'; sleep 1; printf '9:00\\r'; sleep 3)";
    let out = env
        .attctl_program("sh")
        .args([
            "-c",
            &format!(
                "{typed} | script -qec \"stty cols 80; {} session create -o json --class id:{class} \
                 --date 2030-01-15\" /dev/null",
                bin.display()
            ),
        ])
        .run();
    let screen = crate::common::strip_escapes(&out.stdout);
    assert!(
        screen.contains(&format!(
            "session {other} is running then (09:00-10:00); pick another start"
        )),
        "{screen}"
    );
    assert!(
        screen.contains("the end must be after the start (08:00)"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!(
            "overlaps session {other} (09:00-10:00); end by 09:00 or start later"
        )),
        "{screen}"
    );
    assert!(screen.contains("\"start_time\": \"08:00:00\""), "{screen}");
    assert!(screen.contains("\"end_time\": \"09:00:00\""), "{screen}");
    let day = env
        .attctl()
        .args([
            "session",
            "list",
            "-o",
            "json",
            "--class",
            &format!("id:{class}"),
            "--date",
            "2030-01-15",
        ])
        .success()
        .json();
    assert_eq!(day.as_array().map(Vec::len), Some(2), "{day}");
}

// ----- item 14: the notification settings where they act ---------------------------------

const NOTIFY_VARS: [&str; 5] = [
    "ATTCTL_WARN_BEFORE",
    "ATTCTL_WEBHOOK_URL",
    "ATTCTL_SLACK_WEBHOOK_URL",
    "ATTCTL_SMTP_URL",
    "ATTCTL_MAIL_FROM",
];

#[test]
fn the_notification_settings_are_in_the_help_man_pages_and_template() {
    let env = TestEnv::new(Backend::Local);
    let helps = [
        env.attctl()
            .args(["notify", "test", "--help"])
            .success()
            .stdout,
        env.attctl()
            .args(["config", "init", "--help"])
            .success()
            .stdout,
        env.attctl().args(["events", "--help"]).success().stdout,
        env.worker().args(["--help"]).success().stdout,
        env.worker().args(["run", "--help"]).success().stdout,
    ];
    for help in &helps {
        for var in NOTIFY_VARS {
            assert!(help.contains(var), "{var} missing from:\n{help}");
        }
        assert!(help.contains("[warn_before]"), "the profile key: {help}");
        let widest = help.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest <= 100, "{help}");
    }
    let create = env
        .attctl()
        .args(["session", "create", "--help"])
        .success()
        .stdout;
    assert!(create.contains("ATTCTL_WARN_BEFORE"), "{create}");

    // The man pages, generated from the same definitions, list them under ENVIRONMENT.
    let dir = env.dir().join("assets");
    std::fs::create_dir_all(&dir).unwrap();
    env.attctl()
        .args(["generate-assets", "--out-dir", &dir.display().to_string()])
        .success();
    for page in ["attctl.1", "attctl-worker.8"] {
        let man = std::fs::read_to_string(dir.join("man").join(page)).unwrap();
        let environment = &man[man.find(".SH ENVIRONMENT").expect("ENVIRONMENT")..];
        for var in NOTIFY_VARS {
            assert!(
                environment.contains(&var.replace('-', "\\-")),
                "{var} in {page}"
            );
        }
    }
    let notify_test = std::fs::read_to_string(dir.join("man/attctl-notify-test.1")).unwrap();
    assert!(notify_test.contains("ATTCTL_SMTP_URL"), "{notify_test}");

    // The template names them, its profile keys as examples, and still reads as a config.
    let file = env.dir().join("config.toml");
    let config = file.display().to_string();
    env.attctl()
        .args(["config", "init", "--config", &config])
        .success();
    let template = std::fs::read_to_string(&file).unwrap();
    for var in NOTIFY_VARS {
        assert!(template.contains(var), "{var} in:\n{template}");
    }
    assert!(
        template.contains("# warn_before = \"10m,2m\""),
        "{template}"
    );
    assert!(template.contains("# smtp_url = "), "{template}");
    env.attctl()
        .args(["config", "show", "--config", &config])
        .success();
}
