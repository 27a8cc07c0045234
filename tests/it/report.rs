//! `attctl report closures` and `attctl report open-past-end` on both backends: exact
//! counts and percentiles over a known mix, empty ranges, every grouping, CSV, SVG, exit
//! codes, time zones, and identical JSON from SQLite and Supabase on the same data.

use crate::common::{Backend, TestEnv, unique};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde_json::Value;

/// One seeded session: wall-clock times in `zone`, and how it was closed (if it was):
/// `closed_by` and `closed_at - closes_at` in microseconds.
struct Seed {
    date: &'static str,
    start: &'static str,
    end: &'static str,
    zone: &'static str,
    closed: Option<(&'static str, i64)>,
}

const fn open(date: &'static str, start: &'static str) -> Seed {
    Seed {
        date,
        start,
        end: end_of(start),
        zone: "UTC",
        closed: None,
    }
}

const fn closed(date: &'static str, start: &'static str, by: &'static str, us: i64) -> Seed {
    Seed {
        date,
        start,
        end: end_of(start),
        zone: "UTC",
        closed: Some((by, us)),
    }
}

const fn end_of(start: &'static str) -> &'static str {
    // Sessions last 45 minutes; starts are on the hour.
    match start.as_bytes() {
        [b'0', b'8', ..] => "08:45",
        [b'0', b'9', ..] => "09:45",
        [b'1', b'0', ..] => "10:45",
        [b'1', b'1', ..] => "11:45",
        [b'1', b'2', ..] => "12:45",
        [b'1', b'3', ..] => "13:45",
        [b'1', b'4', ..] => "14:45",
        _ => "15:45",
    }
}

const S: i64 = 1_000_000;

/// The known mix: 3 manual (early by 600.5 s and 1200 s, late by 300 s), 5 auto (lags 1, 2,
/// 3, 4 and 100 s), 1 sweep, 1 open past its end, 1 upcoming.
fn mix() -> Vec<Seed> {
    vec![
        closed("2020-01-06", "08:00", "manual", -600 * S - S / 2),
        closed("2020-01-06", "09:00", "manual", -1200 * S),
        closed("2020-01-06", "10:00", "manual", 300 * S),
        closed("2020-01-07", "08:00", "auto", S),
        closed("2020-01-07", "09:00", "auto", 2 * S),
        closed("2020-01-07", "10:00", "auto", 3 * S),
        closed("2020-01-07", "11:00", "auto", 4 * S),
        closed("2020-02-03", "08:00", "auto", 100 * S),
        closed("2020-02-03", "09:00", "sweep", 60 * S),
        open("2020-02-04", "08:00"),
        open("2090-03-01", "08:00"),
    ]
}

fn instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Inserts the seeds straight into the backend's database, as another client would.
fn seed(env: &TestEnv, class: i64, seeds: &[Seed]) {
    let mut statements = Vec::new();
    for s in seeds {
        let date: NaiveDate = s.date.parse().expect("date");
        let start = NaiveTime::parse_from_str(s.start, "%H:%M").expect("start");
        let end = NaiveTime::parse_from_str(s.end, "%H:%M").expect("end");
        let zone: chrono_tz::Tz = s.zone.parse().expect("zone");
        let times = attctl::clock::session_times(date, start, end, zone).expect("times");
        let new = times.into_new_session(class);
        let closes_at = new.closes_at;
        let (status, closed_at, closed_by) = match s.closed {
            Some((by, us)) => (
                "Closed",
                format!("'{}'", instant(closes_at + Duration::microseconds(us))),
                format!("'{by}'"),
            ),
            None => ("Open", "NULL".to_string(), "NULL".to_string()),
        };
        let now = instant(Utc::now());
        statements.push(match env.backend {
            Backend::Supabase => format!(
                "insert into teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, status, closed_at, closed_by) values ({class}, '{}', \
                 '{}:00', '{}:00', '{}', '{}', '{status}', {closed_at}, {closed_by});",
                s.date,
                s.start,
                s.end,
                s.zone,
                instant(closes_at)
            ),
            Backend::Local => format!(
                "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, \
                 timezone, closes_at, status, closed_at, closed_by, created_at, updated_at) \
                 VALUES ({class}, '{}', '{}:00', '{}:00', '{}', '{}', '{status}', {closed_at}, \
                 {closed_by}, '{now}', '{now}');",
                s.date,
                s.start,
                s.end,
                s.zone,
                instant(closes_at)
            ),
        });
    }
    let sql = statements.join("\n");
    match env.backend {
        Backend::Supabase => {
            env.stack()
                .expect("a Supabase environment has a stack")
                .psql(&sql)
                .expect("seed");
        }
        Backend::Local => {
            let conn = rusqlite::Connection::open(env.dir().join("attctl.db")).expect("open");
            conn.execute_batch(&format!("BEGIN; {sql} COMMIT;"))
                .expect("seed");
        }
    }
}

fn report(env: &TestEnv, args: &[&str]) -> Value {
    env.attctl()
        .args(["report", "closures", "-o", "json"])
        .args(args.iter().copied())
        .success()
        .json()
}

fn approx(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!(
        (got - expected).abs() < 1e-9,
        "got {got}, expected {expected}"
    );
}

fn group<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["group"] == name)
        .unwrap_or_else(|| panic!("no group {name} in {report:#}"))
}

fn group_names(report: &Value) -> Vec<String> {
    report["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["group"].as_str().expect("name").to_string())
        .collect()
}

fn exact_counts_and_percentiles(env: TestEnv) {
    let name = unique("Mix");
    let class = env.class_named(&name);
    seed(&env, class, &mix());
    let r = report(&env, &["--class", &class.to_string()]);
    assert_eq!(r["by"], "class");
    assert_eq!(r["from"], Value::Null);
    assert_eq!(group_names(&r), vec![name.clone()]);
    for stats in [group(&r, &name), &r["total"]] {
        assert_eq!(stats["sessions"], 11, "{r:#}");
        assert_eq!(stats["closed_manual"], 3);
        assert_eq!(stats["closed_auto"], 5);
        assert_eq!(stats["closed_sweep"], 1);
        assert_eq!(stats["open_past_end"], 1);
        assert_eq!(stats["open_upcoming"], 1);
        assert_eq!(stats["closed_unrecorded"], 0);
        approx(&stats["auto_lag_p50_s"], 3.0);
        approx(&stats["auto_lag_p95_s"], 80.8);
        approx(&stats["auto_lag_max_s"], 100.0);
        assert_eq!(stats["manual_early"], 2);
        approx(
            &stats["manual_early_median_min"],
            (600.5 / 60.0 + 20.0) / 2.0,
        );
    }

    // A date range: January only (manual, four autos).
    let jan = report(
        &env,
        &[
            "--class",
            &name,
            "--from",
            "2020-01-01",
            "--to",
            "2020-01-31",
        ],
    );
    let t = &jan["total"];
    assert_eq!(t["sessions"], 7);
    approx(&t["auto_lag_p50_s"], 2.5);
    approx(&t["auto_lag_p95_s"], 3.85);
    assert_eq!(jan["from"], "2020-01-01");
    assert_eq!(jan["to"], "2020-01-31");
}

fn empty_ranges_are_null_not_zero(env: TestEnv) {
    let class = env.class();
    seed(&env, class, &mix());
    let r = report(
        &env,
        &[
            "--class",
            &class.to_string(),
            "--from",
            "1990-01-01",
            "--to",
            "1990-12-31",
        ],
    );
    assert_eq!(r["groups"], serde_json::json!([]));
    let t = &r["total"];
    assert_eq!(t["sessions"], 0);
    assert_eq!(t["closed_auto"], 0);
    for k in [
        "auto_lag_p50_s",
        "auto_lag_p95_s",
        "auto_lag_max_s",
        "manual_early_median_min",
    ] {
        assert_eq!(t[k], Value::Null, "{k} in {r:#}");
    }
    // Sessions but no automatic close: the lag is null, the counts are 0.
    let r = report(
        &env,
        &[
            "--class",
            &class.to_string(),
            "--from",
            "2020-02-04",
            "--to",
            "2020-02-04",
        ],
    );
    assert_eq!(r["total"]["sessions"], 1);
    assert_eq!(r["total"]["auto_lag_p50_s"], Value::Null);
    assert_eq!(r["total"]["manual_early_median_min"], Value::Null);
    // The table says so too.
    let out = env
        .attctl()
        .args(["report", "closures", "-o", "table", "--class"])
        .arg(class.to_string())
        .args(["--from", "1990-01-01", "--to", "1990-01-02"])
        .success();
    assert!(out.stdout.contains("TOTAL"), "{}", out.stdout);
    assert!(out.stderr.contains("no sessions"), "{}", out.stderr);
}

fn every_grouping(env: TestEnv) {
    let class = env.class();
    seed(&env, class, &mix());
    let c = class.to_string();
    let by = |b: &str| report(&env, &["--class", &c, "--by", b]);

    let r = by("closed_by");
    assert_eq!(r["by"], "closed_by");
    assert_eq!(group_names(&r), ["auto", "manual", "open", "sweep"]);
    assert_eq!(group(&r, "auto")["sessions"], 5);
    assert_eq!(group(&r, "open")["open_past_end"], 1);
    assert_eq!(group(&r, "open")["open_upcoming"], 1);
    assert_eq!(group(&r, "manual")["manual_early"], 2);
    assert_eq!(group(&r, "manual")["auto_lag_p50_s"], Value::Null);

    let r = by("month");
    assert_eq!(group_names(&r), ["2020-01", "2020-02", "2090-03"]);
    assert_eq!(group(&r, "2020-01")["sessions"], 7);
    assert_eq!(group(&r, "2020-02")["closed_sweep"], 1);
    approx(&group(&r, "2020-02")["auto_lag_p50_s"], 100.0);

    let r = by("week");
    // 2020-01-06/07 are in ISO week 2; 2020-02-03/04 in week 6; 2090-03-01 is a Wednesday.
    assert_eq!(group_names(&r), ["2020-W02", "2020-W06", "2090-W09"]);

    let r = by("weekday");
    // Monday first: 2020-01-06 and 2020-02-03 are Mondays.
    assert_eq!(group_names(&r), ["Monday", "Tuesday", "Wednesday"]);
    assert_eq!(group(&r, "Monday")["sessions"], 5);
    assert_eq!(group(&r, "Tuesday")["sessions"], 5);

    let r = by("class");
    assert_eq!(r["groups"].as_array().map(Vec::len), Some(1));
}

fn grouping_by_class_orders_and_separates_classes(env: TestEnv) {
    let a = env.class_named(&unique("Alpha"));
    let b = env.class_named(&unique("Beta"));
    seed(&env, a, &mix()[..3]);
    seed(&env, b, &mix()[3..8]);
    let r = report(&env, &["--from", "2020-01-01", "--to", "2020-02-03"]);
    let names = group_names(&r);
    let ia = names.iter().position(|n| n.starts_with("Alpha"));
    let ib = names.iter().position(|n| n.starts_with("Beta"));
    assert!(ia < ib, "{names:?}");
    let ga = &r["groups"][ia.expect("alpha")];
    let gb = &r["groups"][ib.expect("beta")];
    assert_eq!(ga["closed_manual"], 3);
    assert_eq!(ga["auto_lag_p50_s"], Value::Null);
    assert_eq!(gb["closed_auto"], 5);
    approx(&gb["auto_lag_p95_s"], 80.8);
}

fn csv_header_and_rows(env: TestEnv) {
    let class = env.class();
    seed(&env, class, &mix());
    let out = env
        .attctl()
        .args([
            "report", "closures", "-o", "csv", "--by", "month", "--class",
        ])
        .arg(class.to_string())
        .success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "kind,group,sessions,closed_manual,closed_auto,closed_sweep,open_past_end,\
         open_upcoming,auto_lag_p50_s,auto_lag_p95_s,auto_lag_max_s,manual_early,\
         manual_early_median_min,closed_unrecorded"
    );
    assert_eq!(lines.len(), 5, "{}", out.stdout);
    assert!(
        lines[1].starts_with("group,2020-01,7,3,4,0,0,0,2.5,"),
        "{}",
        lines[1]
    );
    // No data is an empty cell, never 0.
    assert_eq!(lines[3], "group,2090-03,1,0,0,0,0,1,,,,0,,0");
    assert!(
        lines[4].starts_with("total,,11,3,5,1,1,1,3,"),
        "{}",
        lines[4]
    );
    assert!(out.stdout.contains("\r\n"));
}

fn chart_and_table_show_shares(env: TestEnv) {
    let class = env.class();
    seed(&env, class, &mix());
    let out = env
        .attctl()
        .args([
            "report",
            "closures",
            "--chart",
            "--by",
            "closed_by",
            "--class",
        ])
        .arg(class.to_string())
        .success();
    // Piped, with no -o: --chart still means a table and a chart, without colour. A table
    // covers what has ended (up to today): 3 manual closes of 10 sessions, the one of 2090
    // left out, and says so.
    assert!(out.stdout.contains("MANUAL"), "{}", out.stdout);
    assert!(out.stdout.contains("3 (30.0%)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Who closed the sessions up to "),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("sessions up to today"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains('█') && out.stdout.contains('▓'),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\x1b'), "no colour in a pipe");
    // Colour only when asked (or on a TTY), and never with NO_COLOR in auto.
    let coloured = env
        .attctl()
        .args([
            "report", "closures", "--chart", "--color", "always", "--class",
        ])
        .arg(class.to_string())
        .success();
    assert!(coloured.stdout.contains("\x1b["));
    // A chart with JSON output is a usage error.
    env.attctl()
        .args(["report", "closures", "--chart", "-o", "json"])
        .run()
        .assert_one_line_error(2, "--chart");
}

fn svg_is_xml_with_one_bar_group_per_class(env: TestEnv) {
    let tricky = unique("<Année & \"B\">");
    let a = env.class_named(&tricky);
    let b = env.class_named(&unique("Plain"));
    seed(&env, a, &mix()[..5]);
    seed(&env, b, &mix()[5..]);
    let path = env.dir().join("closures.svg");
    let r = env
        .attctl()
        .args(["report", "closures", "-o", "json", "--svg"])
        .arg(path.display().to_string())
        .args(["--from", "2020-01-01", "--to", "2090-12-31"])
        .success()
        .json();
    let text = std::fs::read_to_string(&path).expect("svg written");
    let doc = roxmltree::Document::parse(&text).expect("the SVG parses as XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let groups: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar-group"))
        .map(|n| n.attribute("data-group").unwrap_or_default().to_string())
        .collect();
    assert_eq!(groups, group_names(&r), "one bar group per class, in order");
    assert!(groups.contains(&tricky), "{groups:?}");
    // Its segments are the group's closes, with lag marks where there are auto closes.
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("lag"))
    );
    // A directory that does not exist: refused before anything is asked.
    env.attctl()
        .args(["report", "closures", "--svg", "/nonexistent-dir/x.svg"])
        .run()
        .assert_one_line_error(2, "does not exist");
}

fn open_past_end_exit_codes(env: TestEnv) {
    let class = env.class();
    let c = class.to_string();
    // Nothing open past its end: exit 0, an empty list.
    seed(&env, class, &[open("2090-03-01", "08:00")]);
    let out = env
        .attctl()
        .args(["report", "open-past-end", "-o", "json", "--class", &c])
        .success();
    assert_eq!(out.json(), serde_json::json!([]));

    // Ended 2 minutes ago (today, in UTC): inside a 5-minute grace, outside a 1-minute one.
    let end = Utc::now() - Duration::minutes(2);
    let start = end - Duration::minutes(1);
    if start.date_naive() == end.date_naive() {
        let date = end.format("%Y-%m-%d").to_string();
        let (s, e) = (
            start.format("%H:%M:%S").to_string(),
            end.format("%H:%M:%S").to_string(),
        );
        env.attctl()
            .env("ATTCTL_TIMEZONE", "UTC")
            .args(["session", "create", "-o", "json", "--class", &c])
            .args(["--date", &date, "--start", &s, "--end", &e])
            .success();
        env.attctl()
            .args([
                "report",
                "open-past-end",
                "--grace",
                "5m",
                "-o",
                "json",
                "--class",
                &c,
            ])
            .success();
        let out = env
            .attctl()
            .args([
                "report",
                "open-past-end",
                "--grace",
                "60s",
                "-o",
                "json",
                "--class",
                &c,
            ])
            .run();
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(out.json().as_array().map(Vec::len), Some(1));
    }

    // Long past: exit 1, listed, with one line on stderr.
    seed(&env, class, &[open("2020-02-04", "08:00")]);
    let out = env
        .attctl()
        .args(["report", "open-past-end", "-o", "json", "--class", &c])
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let rows = out.json();
    assert!(
        rows.as_array()
            .is_some_and(|a| a.iter().any(|s| s["session_date"] == "2020-02-04")),
        "{rows:#}"
    );
    assert!(out.stderr.contains("past their end"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);

    // Bad input: exit 2, nothing on stdout.
    env.attctl()
        .args(["report", "open-past-end", "--grace", "5 parsecs"])
        .run()
        .assert_one_line_error(2, "--grace");
}

fn weekday_and_week_use_the_sessions_own_date(env: TestEnv) {
    let class = env.class();
    let seeds = [
        // Monday 2020-01-06 08:00 in Auckland is Sunday 19:00 UTC (ISO week 1 in UTC).
        Seed {
            date: "2020-01-06",
            start: "08:00",
            end: "08:45",
            zone: "Pacific/Auckland",
            closed: Some(("auto", 5 * S)),
        },
        // Sunday 2020-01-05 20:00 in Los Angeles is Monday 04:00 UTC (ISO week 2 in UTC).
        Seed {
            date: "2020-01-05",
            start: "20:00",
            end: "20:45",
            zone: "America/Los_Angeles",
            closed: Some(("manual", -5 * 60 * S)),
        },
    ];
    seed(&env, class, &seeds);
    let c = class.to_string();
    let r = report(&env, &["--class", &c, "--by", "weekday"]);
    assert_eq!(group_names(&r), ["Monday", "Sunday"]);
    assert_eq!(group(&r, "Monday")["closed_auto"], 1);
    assert_eq!(group(&r, "Sunday")["closed_manual"], 1);
    approx(&group(&r, "Sunday")["manual_early_median_min"], 5.0);
    let r = report(&env, &["--class", &c, "--by", "week"]);
    assert_eq!(group_names(&r), ["2020-W01", "2020-W02"]);
    assert_eq!(group(&r, "2020-W01")["closed_manual"], 1);
    assert_eq!(group(&r, "2020-W02")["closed_auto"], 1);
    // A date range is over session dates too.
    let r = report(
        &env,
        &["--class", &c, "--from", "2020-01-06", "--to", "2020-01-06"],
    );
    assert_eq!(r["total"]["sessions"], 1);
    assert_eq!(r["total"]["closed_auto"], 1);
}

fn bad_input_is_refused_before_any_request(env: TestEnv) {
    env.attctl()
        .args([
            "report",
            "closures",
            "--from",
            "2020-02-01",
            "--to",
            "2020-01-01",
        ])
        .run()
        .assert_one_line_error(2, "--from");
    env.attctl()
        .args(["report", "closures", "--from", "2020-13-01"])
        .run()
        .assert_one_line_error(2, "--from");
    // A value clap refuses: its whole message (the possible values), exit 2, no data.
    let out = env
        .attctl()
        .args(["report", "closures", "--by", "year"])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.starts_with("error: invalid value 'year'"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
    env.attctl()
        .args(["report", "closures", "--class", "999999999"])
        .run()
        .assert_one_line_error(3, "999999999");
}

/// `--svg FILE` never truncates what it did not write: an existing file is replaced only
/// with --force, and a file that is not an SVG (the data file, notes) never is. The chart
/// is written beside its target and renamed into place, leaving nothing behind.
fn svg_never_replaces_what_is_not_a_chart(env: TestEnv) {
    let class = env.class();
    seed(&env, class, &mix()[..3]);
    let c = class.to_string();
    let svg = |path: &std::path::Path, force: bool| {
        let mut cmd = env
            .attctl()
            .args(["report", "closures", "-o", "json", "--class", &c, "--svg"])
            .arg(path.display().to_string());
        if force {
            cmd = cmd.arg("--force");
        }
        cmd.run()
    };
    let notes = env.dir().join("notes.txt");
    std::fs::write(&notes, "not a chart\n").unwrap();
    svg(&notes, false).assert_one_line_error(2, "pass --force");
    svg(&notes, true).assert_one_line_error(2, "not an SVG");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "not a chart\n");
    if env.backend == Backend::Local {
        let data = env.data_file();
        let before = std::fs::read(&data).expect("the data file");
        svg(&data, true).assert_one_line_error(2, "not an SVG");
        assert_eq!(std::fs::read(&data).expect("the data file"), before);
    }
    // A chart: written when new, replaced only with --force.
    let chart = env.dir().join("closures.svg");
    svg(&chart, false).assert_ok();
    svg(&chart, false).assert_one_line_error(2, "pass --force");
    std::fs::write(
        &chart,
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    svg(&chart, true).assert_ok();
    let text = std::fs::read_to_string(&chart).unwrap();
    roxmltree::Document::parse(&text).expect("the new chart parses");
    assert!(text.contains("bar-group"), "replaced by the report's chart");
    let leftovers: Vec<String> = std::fs::read_dir(env.dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // --force means nothing without --svg.
    env.attctl()
        .args(["report", "closures", "--force"])
        .run()
        .assert_one_line_error(2, "--svg");
}

/// `open-past-end` names classes as `session list` does: by name in tables, with
/// `class_name` beside `class_id` in JSON.
fn open_past_end_names_the_class(env: TestEnv) {
    let name = unique("Left open");
    let class = env.class_named(&name);
    seed(&env, class, &[open("2020-02-04", "08:00")]);
    let c = class.to_string();
    let table = env
        .attctl()
        .args(["report", "open-past-end", "-o", "table", "--class", &c])
        .run();
    assert_eq!(table.code, 1, "{}", table.stderr);
    assert!(table.stdout.contains(&name), "{}", table.stdout);
    let json = env
        .attctl()
        .args(["report", "open-past-end", "-o", "json", "--class", &c])
        .run();
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert_eq!(json.json()[0]["class_name"], name.as_str());
    assert_eq!(json.json()[0]["class_id"], class);
}

backend_tests!(
    svg_never_replaces_what_is_not_a_chart,
    open_past_end_names_the_class,
    exact_counts_and_percentiles,
    empty_ranges_are_null_not_zero,
    every_grouping,
    grouping_by_class_orders_and_separates_classes,
    csv_header_and_rows,
    chart_and_table_show_shares,
    svg_is_xml_with_one_bar_group_per_class,
    open_past_end_exit_codes,
    weekday_and_week_use_the_sessions_own_date,
    bad_input_is_refused_before_any_request,
);

/// The same data on both backends gives byte-identical JSON, for every grouping.
#[test]
fn both_backends_give_identical_json() {
    let local = TestEnv::new(Backend::Local);
    let supabase = TestEnv::new(Backend::Supabase);
    let name = unique("Same");
    let mut seeds = mix();
    // Awkward lags: microseconds, and values whose interpolation is not exact in binary.
    seeds.push(closed("2020-03-02", "08:00", "auto", 7 * S + 123_457));
    seeds.push(closed("2020-03-02", "09:00", "auto", 13 * S + 1));
    seeds.push(closed(
        "2020-03-02",
        "10:00",
        "manual",
        -(3 * 60 * S + 333_333),
    ));
    seeds.push(closed("2020-03-02", "11:00", "auto", -2 * S));
    // More than a day: the interval's days and microseconds are added in floating point.
    seeds.push(closed("2020-03-03", "08:00", "auto", 26 * 3600 * S + 1));
    seeds.push(closed(
        "2020-03-03",
        "09:00",
        "manual",
        -(27 * 3600 * S + 123_457),
    ));
    let mut ids = Vec::new();
    for env in [&local, &supabase] {
        let id = env.class_named(&name);
        seed(env, id, &seeds);
        ids.push(id.to_string());
    }
    for by in ["class", "weekday", "week", "month", "closed_by"] {
        for range in [&[][..], &["--from", "2020-01-07", "--to", "2020-03-02"][..]] {
            let run = |env: &TestEnv, id: &str| {
                env.attctl()
                    .args([
                        "report", "closures", "-o", "json", "--by", by, "--class", id,
                    ])
                    .args(range.iter().copied())
                    .success()
                    .stdout
            };
            let a = run(&local, &ids[0]);
            let b = run(&supabase, &ids[1]);
            assert_eq!(a, b, "--by {by} {range:?}");
        }
    }
}

/// The report function is the service role's and signed-in staff's (it is security invoker:
/// a teacher's report covers the rows RLS shows them); anon cannot run it.
#[test]
fn the_report_function_is_granted_to_service_role_and_staff_only() {
    let stack = attctl_testkit::SupabaseStack::shared();
    let sig = "public.attctl_closure_report(text, timestamptz, date, date, bigint)";
    let out = stack
        .psql(&format!(
            "select string_agg(r || '=' || has_function_privilege(r, '{sig}', 'execute'), ',' \
             order by r) from unnest(array['anon', 'authenticated', 'service_role', 'public']) r"
        ))
        .expect("privileges");
    assert_eq!(
        out.trim(),
        "anon=false,authenticated=true,public=false,service_role=true"
    );
    // Through attctl with the anon key: refused, and the key never printed.
    let mut env = TestEnv::new(Backend::Supabase);
    env.set("SUPABASE_SERVICE_ROLE_KEY", &stack.anon_key());
    let out = env.attctl().args(["report", "closures"]).run();
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.is_empty());
    assert!(!out.stderr.contains(&stack.anon_key()));
}

/// The automatic-close lag histogram (`auto_lag_histogram`, fixed log-scale buckets) on both
/// backends, its edges in the report, and the SVG's histogram panel.
mod histogram {
    use super::*;

    /// Buckets: <0, 0-0.5, 0.5-1, 1-2, 2-5, 5-10, 10-30, 30-60, 60-120, 120-300, 300-600,
    /// 600-1800, 1800-3600, >=3600 seconds.
    const EDGES: [f64; 13] = [
        0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
    ];

    fn counts(v: &Value) -> Vec<u64> {
        v.as_array()
            .unwrap_or_else(|| panic!("{v} is not an array"))
            .iter()
            .map(|c| c.as_u64().expect("a count"))
            .collect()
    }

    /// Lags on and next to the edges: a lag lands in the bucket its edge opens.
    fn edge_lags() -> Vec<Seed> {
        vec![
            closed("2021-03-01", "08:00", "auto", -1),
            closed("2021-03-01", "09:00", "auto", 0),
            closed("2021-03-01", "10:00", "auto", S / 2 - 1),
            closed("2021-03-01", "11:00", "auto", S / 2),
            closed("2021-03-01", "12:00", "auto", 3600 * S - 1),
            closed("2021-03-01", "13:00", "auto", 3600 * S),
            closed("2021-03-01", "14:00", "auto", 26 * 3600 * S),
            // Not automatic: never counted.
            closed("2021-03-01", "15:00", "manual", -S),
        ]
    }

    fn known_mix_counts_per_group_and_total(env: TestEnv) {
        let a = env.class_named(&unique("HistA"));
        let b = env.class_named(&unique("HistB"));
        // A: the known mix (autos of 1, 2, 3, 4 and 100 s); B: the edges.
        seed(&env, a, &mix());
        seed(&env, b, &edge_lags());
        let r = report(&env, &["--from", "2020-01-01", "--to", "2021-12-31"]);
        assert_eq!(
            r["auto_lag_histogram_edges_s"],
            serde_json::json!(EDGES),
            "{r:#}"
        );
        let names = group_names(&r);
        let ga = &r["groups"][names
            .iter()
            .position(|n| n.starts_with("HistA"))
            .expect("A")];
        let gb = &r["groups"][names
            .iter()
            .position(|n| n.starts_with("HistB"))
            .expect("B")];
        //                           <0 .5  1  2  5 10 30 60 2m 5m 10 30 1h >=1h
        let want_a: [u64; 14] = [0, 0, 0, 1, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0];
        let want_b: [u64; 14] = [1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2];
        assert_eq!(counts(&ga["auto_lag_histogram"]), want_a, "{ga:#}");
        assert_eq!(counts(&gb["auto_lag_histogram"]), want_b, "{gb:#}");
        // The total is the groups' sum (other tests' classes share the Supabase stack), and
        // counts every automatic close once.
        let mut total = [0u64; 14];
        for g in r["groups"].as_array().expect("groups") {
            for (t, c) in total.iter_mut().zip(counts(&g["auto_lag_histogram"])) {
                *t += c;
            }
        }
        assert_eq!(counts(&r["total"]["auto_lag_histogram"]), total);
        let autos = r["total"]["closed_auto"].as_u64().expect("closed_auto");
        assert_eq!(total.iter().sum::<u64>(), autos);

        // No automatic close: all zeros, never null (a count, not a statistic).
        let none = report(
            &env,
            &[
                "--class",
                &a.to_string(),
                "--from",
                "1990-01-01",
                "--to",
                "1990-01-02",
            ],
        );
        assert_eq!(counts(&none["total"]["auto_lag_histogram"]), [0; 14]);
    }

    fn svg_draws_the_lag_histogram(env: TestEnv) {
        let class = env.class();
        seed(&env, class, &mix());
        let path = env.dir().join("hist.svg");
        let r = env
            .attctl()
            .args(["report", "closures", "-o", "json", "--class"])
            .arg(class.to_string())
            .arg("--svg")
            .arg(path.display().to_string())
            .success()
            .json();
        let text = std::fs::read_to_string(&path).expect("svg written");
        let doc = roxmltree::Document::parse(&text).expect("the SVG parses as XML");
        let panel = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("lag-histogram"))
            .expect("a histogram panel");
        let bars: Vec<(String, u64)> = panel
            .descendants()
            .filter(|n| n.attribute("class") == Some("histogram-bar"))
            .map(|n| {
                (
                    n.attribute("data-bucket").unwrap_or_default().to_string(),
                    n.attribute("data-count")
                        .and_then(|c| c.parse().ok())
                        .expect("data-count"),
                )
            })
            .collect();
        assert_eq!(bars.len(), 14, "{bars:?}");
        let drawn: Vec<u64> = bars.iter().map(|(_, c)| *c).collect();
        assert_eq!(drawn, counts(&r["total"]["auto_lag_histogram"]));
        assert_eq!(bars[0].0, "<0s");
        assert_eq!(bars[13].0, ">=1h");
        // Taller bars for more closes: the 2-5 s bucket (3 closes) beats 1-2 s (1 close).
        let height = |i: usize| -> f64 {
            panel
                .descendants()
                .filter(|n| n.attribute("class") == Some("histogram-bar"))
                .nth(i)
                .and_then(|n| n.attribute("height"))
                .and_then(|h| h.parse().ok())
                .expect("height")
        };
        assert!(height(4) > height(3), "{} vs {}", height(4), height(3));
        assert_eq!(height(0), 0.0);
    }

    backend_tests!(
        known_mix_counts_per_group_and_total,
        svg_draws_the_lag_histogram
    );

    /// The report's helpers are the service role's only, like the report function.
    #[test]
    fn the_report_helpers_are_granted_to_service_role_only() {
        let stack = attctl_testkit::SupabaseStack::shared();
        for sig in [
            "public.attctl_report_buckets(text, timestamptz, date, date, bigint)",
            "public.attctl_report_collect(float8)",
        ] {
            let out = stack
                .psql(&format!(
                    "select string_agg(r || '=' || has_function_privilege(r, '{sig}', 'execute'), \
                     ',' order by r) from unnest(array['anon', 'authenticated', 'service_role', \
                     'public']) r"
                ))
                .expect("privileges");
            assert_eq!(
                out.trim(),
                "anon=false,authenticated=false,public=false,service_role=true",
                "{sig}"
            );
        }
    }
}
