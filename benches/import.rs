//! Benchmark: `attctl session import` side by side with the hand-written loops it must beat,
//! in one run (issue 24), then the memory figures of large files.
//!
//! - **Supabase** (the test stack: PostgreSQL 15 and PostgREST 12 behind the Supabase-like
//!   gateway): a timetable of `ATTCTL_BENCH_SUPABASE_ROWS` rows (default 10,000: 200 classes,
//!   50 days) imported by attctl with every check, against a plain loop that POSTs 1,000-row
//!   JSON chunks to `/rest/v1/teaching_sessions` with no checks (what supabase-py's
//!   `insert(...).execute()` sends: `Prefer: return=representation`), into other classes
//!   of the same database. Requests are counted at the gateway. `ATTCTL_BENCH_ROUNDS`
//!   rounds (default 3), each on classes of its own; the table gives the medians.
//! - **Local**: CSV files of `ATTCTL_BENCH_SIZES` rows (default 100000; add 1000000 for the
//!   million) imported into a fresh data file, against Python's `sqlite3` `executemany` of
//!   the same rows in one transaction into a fresh data file of the same schema (with the
//!   default pragmas, and with `temp_store=MEMORY`), timed inside Python (insert and commit
//!   only). Prints time, rows/s and the peak RSS of attctl (GNU time's `%M`).
//! - Then a 100,000-event iCalendar file and one VEVENT of 40,000, 80,000 and 1,000,000
//!   content lines (EXDATEs): memory flat, time linear.
//!
//! Run: `cargo bench --bench import` (builds attctl in release mode); `ATTCTL_BENCH_BIN=path`
//! measures another attctl binary instead (an older build, to compare in the same run);
//! `ATTCTL_BENCH_SUPABASE_ROWS=0` skips Supabase, `ATTCTL_BENCH_SIZES=` (empty) the local
//! CSVs, `ATTCTL_BENCH_EVENTS=0` the calendar and `ATTCTL_BENCH_COMPONENT_LINES=` the large
//! event; `ATTCTL_BENCH_PYTHON` names the python3 (default `python3`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use attctl_testkit::SupabaseStack;

fn attctl_bin() -> String {
    std::env::var("ATTCTL_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_attctl").into())
}

fn write_csv(path: &Path, rows: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "class_name,session_date,start_time,end_time")?;
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).expect("a date");
    for i in 0..rows {
        let date = base + chrono::Duration::days((i / 100) as i64);
        let minutes = 6 * 60 + 6 * (i % 100);
        let (h, m) = (minutes / 60, minutes % 60);
        writeln!(f, "Bench,{date},{h:02}:{m:02},{h:02}:{:02}", m + 5)?;
    }
    f.flush()
}

fn write_ics(path: &Path, events: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(
        f,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VTIMEZONE\r\n\
         TZID:Europe/London\r\nBEGIN:STANDARD\r\nDTSTART:19701025T020000\r\n\
         TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )?;
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).expect("a date");
    for i in 0..events {
        let date = (base + chrono::Duration::days((i / 10) as i64)).format("%Y%m%d");
        let hour = 8 + i % 10;
        write!(
            f,
            "BEGIN:VEVENT\r\nUID:bench-{i}@example.org\r\nDTSTAMP:20260901T120000Z\r\n\
             DTSTART;TZID=Europe/London:{date}T{hour:02}0000\r\n\
             DTEND;TZID=Europe/London:{date}T{hour:02}5000\r\nSUMMARY:Bench\r\n\
             DESCRIPTION:A description long enough to be folded at seventy-five oc\r\n \
             tets\r\nEND:VEVENT\r\n"
        )?;
    }
    write!(f, "END:VCALENDAR\r\n")?;
    f.flush()
}

/// One weekly event of ten occurrences whose VEVENT holds `lines` EXDATE lines (one
/// occurrence excluded, over and over): a single component of `lines` content lines.
fn write_one_event(path: &Path, lines: usize) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(
        f,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\n\
         UID:one@example.org\r\nSUMMARY:Bench\r\nDTSTART:20400106T090000Z\r\n\
         DTEND:20400106T095000Z\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\n"
    )?;
    for _ in 0..lines {
        write!(f, "EXDATE:20400113T090000Z\r\n")?;
    }
    write!(f, "END:VEVENT\r\nEND:VCALENDAR\r\n")?;
    f.flush()
}

fn list_of(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// An attctl environment of its own under `dir` (after `env_clear`): no user config, UTC.
fn isolated_env(dir: &Path) -> [(&'static str, std::ffi::OsString); 4] {
    [
        ("HOME", dir.into()),
        ("XDG_CONFIG_HOME", dir.join("config").into()),
        ("XDG_DATA_HOME", dir.join("data").into()),
        ("ATTCTL_TIMEZONE", "UTC".into()),
    ]
}

/// Imports `file` into a fresh local store; returns (seconds, peak RSS in MiB).
fn import(dir: &Path, file: &Path) -> (f64, f64) {
    let data = dir.join(format!(
        "{}.db",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    let rss = dir.join("rss");
    let started = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss)
        .arg(attctl_bin())
        .args(["session", "import"])
        .arg(file)
        .args(["-o", "json"])
        .env_clear()
        .envs(isolated_env(dir))
        .env("ATTCTL_DATA_FILE", &data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run attctl under /usr/bin/time");
    let secs = started.elapsed().as_secs_f64();
    assert!(status.success(), "import of {} failed", file.display());
    let kib: f64 = std::fs::read_to_string(&rss)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()))
        .expect("GNU time's peak RSS");
    let _ = std::fs::remove_file(&data);
    (secs, kib / 1024.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    println!("attctl: {}", attctl_bin());
    let supabase_rows = list_of("ATTCTL_BENCH_SUPABASE_ROWS", &[10_000])
        .first()
        .copied()
        .unwrap_or(0);
    let mut lines = Vec::new();
    if supabase_rows > 0 {
        lines.extend(supabase(dir.path(), supabase_rows));
    }
    for rows in list_of("ATTCTL_BENCH_SIZES", &[100_000]) {
        lines.extend(local(dir.path(), rows));
    }
    println!();
    println!(
        "| work | attctl | requests | hand-written loop | requests | ratio (loop time / attctl time) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for line in &lines {
        println!("{line}");
    }
    println!();

    let mib_of =
        |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) / (1024 * 1024);
    println!("| input | rows | seconds | rows/s | peak RSS |");
    println!("|---|---:|---:|---:|---:|");
    for events in list_of("ATTCTL_BENCH_EVENTS", &[100_000]) {
        if events == 0 {
            continue;
        }
        let path = dir.path().join("big.ics");
        write_ics(&path, events).expect("write the calendar");
        let (secs, mib) = import(dir.path(), &path);
        println!(
            "| iCalendar ({} MiB) | {events} | {secs:.1} | {:.0} | {mib:.1} MiB |",
            mib_of(&path),
            events as f64 / secs
        );
        let _ = std::fs::remove_file(&path);
    }
    for lines in list_of("ATTCTL_BENCH_COMPONENT_LINES", &[40_000, 80_000, 1_000_000]) {
        let path = dir.path().join("one-event.ics");
        write_one_event(&path, lines).expect("write the calendar");
        let (secs, mib) = import(dir.path(), &path);
        println!(
            "| one VEVENT of {lines} lines ({} MiB) | 9 | {secs:.1} | {:.0} lines/s | {mib:.1} MiB |",
            mib_of(&path),
            lines as f64 / secs
        );
        let _ = std::fs::remove_file(&path);
    }
}

/// Rows/s as a table cell.
fn rate(rows: usize, secs: f64) -> String {
    format!("{secs:.2} s ({:.0} rows/s)", rows as f64 / secs)
}

/// Local: attctl against Python's executemany, on the same rows. Returns the table lines.
fn local(dir: &Path, rows: usize) -> Vec<String> {
    let path = dir.join(format!("{rows}.csv"));
    write_csv(&path, rows).expect("write the CSV");
    let (secs, mib) = import(dir, &path);
    println!("local: attctl session import of {rows} rows: {secs:.2} s, peak RSS {mib:.1} MiB");
    let _ = std::fs::remove_file(&path);
    let mut lines = Vec::new();
    for (label, pragmas) in [
        ("default pragmas", ""),
        ("temp_store=MEMORY", "PRAGMA temp_store=MEMORY"),
    ] {
        let py = python_executemany(dir, rows, pragmas);
        println!("local: Python executemany ({label}) of {rows} rows: {py:.2} s");
        lines.push(format!(
            "| local SQLite, {rows} rows (Python: {label}) | {} | | {} | | {:.2}x |",
            rate(rows, secs),
            rate(rows, py),
            py / secs
        ));
    }
    lines
}

/// A fresh data file with class 1 `Bench`, made by attctl (its schema, triggers and all).
fn fresh_data_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let data = dir.join(name);
    let _ = std::fs::remove_file(&data);
    let status = Command::new(attctl_bin())
        .args(["class", "create", "Bench"])
        .env_clear()
        .envs(isolated_env(dir))
        .env("ATTCTL_DATA_FILE", &data)
        .stdout(Stdio::null())
        .status()
        .expect("run attctl class create");
    assert!(status.success(), "class create");
    data
}

/// The rows of [`write_csv`], inserted by Python's `sqlite3` in one transaction with no
/// checks; returns the seconds of `executemany` and the commit.
fn python_executemany(dir: &Path, rows: usize, pragma: &str) -> f64 {
    let data = fresh_data_file(dir, "python.db");
    let script = format!(
        r#"
import datetime, sqlite3, sys, time
n = {rows}
base = datetime.date(2040, 1, 1)
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
rows = []
for i in range(n):
    d = (base + datetime.timedelta(days=i // 100)).isoformat()
    m = 6 * 60 + 6 * (i % 100)
    h, mi = divmod(m, 60)
    rows.append((1, d, f"{{h:02}}:{{mi:02}}:00", f"{{h:02}}:{{mi + 5:02}}:00", "UTC",
                 f"{{d}}T{{h:02}}:{{mi + 5:02}}:00.000000Z", now, now))
c = sqlite3.connect(sys.argv[1])
pragma = "{pragma}"
if pragma:
    c.execute(pragma)
t = time.perf_counter()
with c:
    c.executemany(
        "INSERT INTO teaching_sessions (class_id, session_date, start_time, end_time, "
        "timezone, closes_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
print(time.perf_counter() - t)
assert c.execute("SELECT count(*) FROM session_events").fetchone()[0] == n
"#
    );
    let python = std::env::var("ATTCTL_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&data)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_file(&data);
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("python's seconds")
}

/// Rows of a timetable: `classes` classes, one session a day each, in date order.
fn timetable(classes: &[(i64, String)], days: usize) -> Vec<(i64, String, chrono::NaiveDate)> {
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 2).expect("a date");
    let mut rows = Vec::with_capacity(classes.len() * days);
    for day in 0..days {
        let date = base + chrono::Duration::days(day as i64);
        for (id, name) in classes {
            rows.push((*id, name.clone(), date));
        }
    }
    rows
}

fn requests_since(stack: &SupabaseStack, before: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    stack
        .api_requests()
        .into_iter()
        .filter_map(|(route, n)| {
            let new = n - before.get(&route).copied().unwrap_or(0);
            (new > 0).then_some((route, new))
        })
        .collect()
}

/// The median of a few figures.
fn median(mut figures: Vec<f64>) -> f64 {
    figures.sort_by(f64::total_cmp);
    figures.get(figures.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Supabase: attctl against a loop of 1,000-row POSTs, on the test stack, in
/// `ATTCTL_BENCH_ROUNDS` rounds (default 3; each on classes of its own, attctl then the
/// loop) so that one noisy run does not decide. Returns the table line (medians).
fn supabase(dir: &Path, rows: usize) -> Vec<String> {
    const DAYS: usize = 50;
    let class_count = rows.div_ceil(DAYS);
    let rounds: usize = std::env::var("ATTCTL_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3);
    let stack = SupabaseStack::start().expect("the Supabase test stack");
    let make = |prefix: &str| -> Vec<(i64, String)> {
        let values: Vec<String> = (0..class_count)
            .map(|i| format!("('{prefix} {i:04}')"))
            .collect();
        let out = stack
            .psql(&format!(
                "insert into classes (name) values {} returning id, name",
                values.join(",")
            ))
            .expect("insert the classes");
        out.lines()
            .filter_map(|l| {
                let (id, name) = l.split_once('|')?;
                Some((id.trim().parse().ok()?, name.trim().to_string()))
            })
            .collect()
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut attctl_times, mut loop_times) = (Vec::new(), Vec::new());
    let (mut attctl_requests, mut loop_requests) = (BTreeMap::new(), BTreeMap::new());
    for round in 1..=rounds {
        let ours = make(&format!("attctl {round}"));
        let theirs = make(&format!("loop {round}"));
        assert_eq!(ours.len(), class_count, "classes made");

        // attctl, from a CSV naming the classes.
        let path = dir.join("supabase.csv");
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("csv"));
            writeln!(f, "class_name,session_date,start_time,end_time").expect("csv");
            for (_, name, date) in timetable(&ours, DAYS).into_iter().take(rows) {
                writeln!(f, "{name},{date},09:00,09:45").expect("csv");
            }
            f.flush().expect("csv");
        }
        let before = stack.api_requests();
        let started = Instant::now();
        let out = Command::new(attctl_bin())
            .args(["session", "import"])
            .arg(&path)
            .args(["-o", "json"])
            .env_clear()
            .envs(isolated_env(dir))
            .env("SUPABASE_URL", stack.url())
            .env("SUPABASE_SERVICE_ROLE_KEY", stack.service_role_key())
            .stderr(Stdio::inherit())
            .output()
            .expect("run attctl");
        let attctl_secs = started.elapsed().as_secs_f64();
        assert!(out.status.success(), "attctl import on Supabase failed");
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(
            answer["created"].as_array().map(Vec::len),
            Some(rows),
            "every row created"
        );
        attctl_requests = requests_since(&stack, &before);
        println!(
            "supabase, round {round}: attctl session import of {rows} rows: {attctl_secs:.2} s, \
             requests {attctl_requests:?}"
        );

        // The loop: what supabase-py's insert of 1,000 rows at a time sends, no checks.
        let url = format!("{}/rest/v1/teaching_sessions", stack.url());
        let key = stack.service_role_key();
        let body_rows: Vec<serde_json::Value> = timetable(&theirs, DAYS)
            .into_iter()
            .take(rows)
            .map(|(id, _, date)| {
                serde_json::json!({
                    "class_id": id, "session_date": date.to_string(), "start_time": "09:00:00",
                    "end_time": "09:45:00", "timezone": "UTC",
                    "closes_at": format!("{date}T09:45:00Z"),
                })
            })
            .collect();
        let before = stack.api_requests();
        let loop_secs = rt.block_on(async {
            let client = reqwest::Client::new();
            let started = Instant::now();
            for chunk in body_rows.chunks(1000) {
                let resp = client
                    .post(&url)
                    .header("apikey", &key)
                    .header("Authorization", format!("Bearer {key}"))
                    .header("Prefer", "return=representation")
                    .json(&chunk)
                    .send()
                    .await
                    .expect("POST");
                assert!(resp.status().is_success(), "{}", resp.status());
                let inserted: Vec<serde_json::Value> = resp.json().await.expect("rows");
                assert_eq!(inserted.len(), chunk.len());
            }
            started.elapsed().as_secs_f64()
        });
        loop_requests = requests_since(&stack, &before);
        println!(
            "supabase, round {round}: loop of 1,000-row POSTs, {rows} rows: {loop_secs:.2} s, \
             requests {loop_requests:?}"
        );
        attctl_times.push(attctl_secs);
        loop_times.push(loop_secs);
    }
    let (attctl_secs, loop_secs) = (median(attctl_times), median(loop_times));
    vec![format!(
        "| Supabase, {rows} rows ({class_count} classes, {DAYS} days), median of {rounds} | {} | {} | {} | {} | {:.2}x |",
        rate(rows, attctl_secs),
        attctl_requests.values().sum::<u64>(),
        rate(rows, loop_secs),
        loop_requests.values().sum::<u64>(),
        loop_secs / attctl_secs
    )]
}
