//! `attctl session list`: paging past the 1000-row cap, filters, order and formats.
//! Runs against both backends.

use crate::common::TestEnv;

fn lists_more_than_a_thousand_rows_in_order(env: TestEnv) {
    let class = env.class();
    env.seed_sessions(class, 1234);
    let out = env
        .attctl()
        .args(["session", "list", "--all", "-o", "ndjson", "--class"])
        .arg(class.to_string())
        .success();
    let rows = out.ndjson();
    assert_eq!(rows.len(), 1234);
    let keys: Vec<(String, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["session_date"].as_str().unwrap().to_string(),
                r["start_time"].as_str().unwrap().to_string(),
                r["id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        keys, sorted,
        "ordered by date, start, id with no duplicates"
    );

    // JSON array form streams the same rows.
    let arr = env
        .attctl()
        .args(["session", "list", "--all", "-o", "json", "--class"])
        .arg(class.to_string())
        .success()
        .json();
    assert_eq!(arr.as_array().unwrap().len(), 1234);

    // Without --all: the limit, and a footer for people telling how many there are.
    let limited = env
        .attctl()
        .args([
            "session", "list", "-o", "table", "--limit", "1100", "--class",
        ])
        .arg(class.to_string())
        .success();
    assert_eq!(
        limited
            .stdout
            .lines()
            .filter(|l| l.contains("2031-"))
            .count(),
        1100
    );
    assert!(
        limited.stderr.contains("showing 1100 of 1234"),
        "{}",
        limited.stderr
    );
    let default = env
        .attctl()
        .args(["session", "list", "-o", "ndjson", "--class"])
        .arg(class.to_string())
        .success();
    assert_eq!(default.ndjson().len(), 100);
}

fn filters_by_date_range_and_status(env: TestEnv) {
    let class = env.class();
    let c = class.to_string();
    let a = env.session(class, "2030-05-01", "08:00", "09:00");
    env.session(class, "2030-05-02", "08:00", "09:00");
    env.session(class, "2030-05-03", "08:00", "09:00");
    env.attctl()
        .args(["session", "close", "-o", "json"])
        .arg(a["id"].to_string())
        .success();
    let list = |args: &[&str]| {
        env.attctl()
            .args(["session", "list", "-o", "json", "--class", &c])
            .args(args.iter().copied())
            .success()
            .json()
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(list(&[]), 3);
    assert_eq!(list(&["--date", "2030-05-02"]), 1);
    assert_eq!(list(&["--from", "2030-05-02"]), 2);
    assert_eq!(list(&["--from", "2030-05-01", "--to", "2030-05-02"]), 2);
    assert_eq!(list(&["--status", "Closed"]), 1);
    assert_eq!(list(&["--status", "open"]), 2);
    env.attctl()
        .args([
            "session",
            "list",
            "--from",
            "2030-05-03",
            "--to",
            "2030-05-01",
        ])
        .run()
        .assert_one_line_error(2, "is after");
    // A usage error keeps clap's whole message: what was wrong and what would work.
    let bad_status = env
        .attctl()
        .args(["session", "list", "--status", "Open,Closed"])
        .run();
    assert_eq!(bad_status.code, 2, "{}", bad_status.stderr);
    assert!(bad_status.stdout.is_empty());
    assert!(
        bad_status.stderr.starts_with("error: invalid value")
            && bad_status
                .stderr
                .contains("[possible values: Open, Closed]"),
        "{}",
        bad_status.stderr
    );
    env.attctl()
        .args(["session", "list", "--date", "2030-05-01.(x)"])
        .run()
        .assert_one_line_error(2, "invalid date");
}

fn empty_lists_are_valid_json(env: TestEnv) {
    let class = env.class().to_string();
    let out = env
        .attctl()
        .args(["session", "list", "-o", "json", "--class", &class])
        .success();
    assert_eq!(out.json(), serde_json::json!([]));
    let out = env
        .attctl()
        .args(["session", "list", "-o", "ndjson", "--class", &class])
        .success();
    assert!(out.stdout.is_empty());
}

fn tables_have_headers_and_no_colour_codes(env: TestEnv) {
    let class = env.class();
    env.session(class, "2030-05-01", "08:00", "09:00");
    let out = env
        .attctl()
        .args(["session", "list", "-o", "table", "--class"])
        .arg(class.to_string())
        .success();
    let header = out.stdout.lines().next().unwrap();
    for h in ["ID", "CLASS", "DATE", "START", "END", "STATUS"] {
        assert!(header.contains(h), "{header}");
    }
    assert!(!out.stdout.contains('\x1b'), "NO_COLOR is set");
    let coloured = env
        .attctl()
        .args([
            "session", "list", "-o", "table", "--color", "always", "--class",
        ])
        .arg(class.to_string())
        .success();
    assert!(coloured.stdout.contains('\x1b'), "--color always colours");
}

backend_tests!(
    lists_more_than_a_thousand_rows_in_order,
    filters_by_date_range_and_status,
    empty_lists_are_valid_json,
    tables_have_headers_and_no_colour_codes,
);

/// `attctl session list --all | head -1`: the reader leaving early is no error.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::{BufRead, BufReader};
    let env = TestEnv::new(crate::common::Backend::Local);
    let class = env.class();
    env.seed_sessions(class, 3000);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_attctl"))
        .args(["session", "list", "--all", "-o", "ndjson"])
        .env_clear()
        .env("ATTCTL_DATA_FILE", env.dir().join("attctl.db"))
        .env("ATTCTL_CONFIG", env.dir().join("none.toml"))
        .env("ATTCTL_TIMEZONE", "UTC")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"id\":"), "{first}");
    // The pipe's read end is closed here, with most rows unwritten.
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `session list --all` on Supabase past the first page: a day denser than a page, single
/// days, a two-year gap and rows after it all come out once, in list order (the listing
/// reads date windows several at a time), and every page after the first bounds the keyset
/// by date, which PostgREST's generic plan needs to start the index scan at the cursor
/// instead of at the first row.
#[test]
fn supabase_listing_in_windows_keeps_order_across_dense_days_and_gaps() {
    let env = TestEnv::new(crate::common::Backend::Supabase);
    let stack = attctl_testkit::SupabaseStack::shared();
    let class = env.class();
    stack
        .psql(&format!(
            "insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
             select {class}, date '2041-03-01', time '00:00' + g * interval '40 second',
                    time '00:00:30' + g * interval '40 second', 'UTC', now()
             from generate_series(0, 1199) g;
             insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
             select {class}, date '2041-03-02' + (g / 8), time '08:00' + ((g % 8) * interval '1 hour'),
                    time '08:45' + ((g % 8) * interval '1 hour'), 'UTC', now()
             from generate_series(0, 2399) g;
             insert into teaching_sessions (class_id, session_date, start_time, end_time, timezone, closes_at)
             select {class}, date '2044-01-05' + g, time '10:00', time '11:00', 'UTC', now()
             from generate_series(0, 49) g"
        ))
        .expect("seed");
    let expected: Vec<i64> = stack
        .psql(&format!(
            "select id from teaching_sessions where class_id = {class}
             order by session_date, start_time, id"
        ))
        .expect("ids")
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    assert_eq!(expected.len(), 3650);
    let mark = stack.received_requests().len();
    let out = env
        .attctl()
        .args(["session", "list", "--all", "-o", "ndjson", "--class"])
        .arg(class.to_string())
        .success();
    let listed: Vec<i64> = out
        .ndjson()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, expected, "every row once, in list order");

    let keyset: Vec<String> = stack.received_requests()[mark..]
        .iter()
        .filter_map(|r| r.query.clone())
        .filter(|q| q.contains(&format!("class_id=eq.{class}")) && q.contains("or=("))
        .collect();
    assert!(!keyset.is_empty());
    for query in &keyset {
        assert!(
            query.contains("session_date=gte."),
            "a keyset page without a date bound: {query}"
        );
    }
}
