//! `session import` streams: its peak memory does not grow with the input. A 100,000-row CSV
//! import (written), a 500,000-row CSV dry run (five times the rows, the same memory as
//! 100,000) and a 100,000-event iCalendar dry run all stay under one small bound that holding
//! the rows (the code before streaming: 65 MiB at 100,000 rows) exceeds. A memory property,
//! measured by GNU time on each import alone; no timing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Backend, TestEnv, unique};

/// Peak RSS allowed to any import here, whatever its size.
const PEAK_LIMIT_MIB: i64 = 40;
/// How much more five times the rows may take.
const GROWTH_LIMIT_MIB: i64 = 8;

struct Measured {
    success: bool,
    stderr: String,
    peak_mib: i64,
}

/// GNU time: it forks the import from its own small process and reports that child's peak
/// RSS. Measuring from here would not work: on Linux a child's `ru_maxrss` includes the
/// high-water mark of the process it was spawned from (recorded at its exec), and this test
/// process, running every integration test at once, is larger than the import itself.
const GNU_TIME: &str = "/usr/bin/time";

/// Runs `attctl session import ARGS` in `env` and reads the peak RSS of that one process.
fn import(env: &TestEnv, args: &[&str]) -> Measured {
    assert!(
        Path::new(GNU_TIME).is_file(),
        "{GNU_TIME} is missing: install GNU time (`apt-get install time`; scripts/test.sh does)"
    );
    let err_path = env.dir().join(format!("{}.stderr", unique("import")));
    let rss_path = env.dir().join(format!("{}.rss", unique("import")));
    let err_file = std::fs::File::create(&err_path).unwrap();
    let status = Command::new(GNU_TIME)
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&rss_path)
        .arg(env!("CARGO_BIN_EXE_attctl"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir())
        .env("XDG_CONFIG_HOME", env.dir().join("config"))
        .env("XDG_DATA_HOME", env.dir().join("data"))
        .env("ATTCTL_TIMEZONE", "UTC")
        .env("ATTCTL_DATA_FILE", env.dir().join("attctl.db"))
        .args(["session", "import"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(err_file)
        .status()
        .expect("run attctl under GNU time");
    // GNU time writes "Command exited with non-zero status N" before the figure on failure.
    let report = std::fs::read_to_string(&rss_path).unwrap_or_default();
    let peak_kib: i64 = report
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak RSS from GNU time: {report:?}"));
    Measured {
        success: status.success(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        peak_mib: peak_kib / 1024,
    }
}

/// A CSV timetable of `rows` rows of one class, 100 a day, in date order.
fn write_csv(path: &Path, class: &str, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "class_name,session_date,start_time,end_time").unwrap();
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).unwrap();
    for i in 0..rows {
        let date = base + chrono::Duration::days((i / 100) as i64);
        let minutes = 6 * 60 + 6 * (i % 100);
        let (h, m) = (minutes / 60, minutes % 60);
        writeln!(f, "{class},{date},{h:02}:{m:02},{h:02}:{:02}", m + 5).unwrap();
    }
}

/// A calendar as Google writes one (VTIMEZONE, CRLF, folded lines) with `events` VEVENTs.
fn write_ics(path: &Path, class: &str, events: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    write!(
        f,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
         X-WR-TIMEZONE:Europe/London\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n\
         BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n\
         DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
         BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n\
         DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
         END:VTIMEZONE\r\n"
    )
    .unwrap();
    let base = chrono::NaiveDate::from_ymd_opt(2040, 1, 1).unwrap();
    for i in 0..events {
        let date = (base + chrono::Duration::days((i / 10) as i64)).format("%Y%m%d");
        let hour = 8 + i % 10;
        write!(
            f,
            "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:{date}T{hour:02}0000\r\n\
             DTEND;TZID=Europe/London:{date}T{hour:02}5000\r\nDTSTAMP:20260901T120000Z\r\n\
             UID:big-{i}@google.com\r\nSUMMARY:{class}\r\nDESCRIPTION:A long description th\r\n \
             at Google folds at seventy-five octets\\, as RFC 5545 says it must be folded\r\n\
             STATUS:CONFIRMED\r\nEND:VEVENT\r\n"
        )
        .unwrap();
    }
    write!(f, "END:VCALENDAR\r\n").unwrap();
}

#[test]
fn hundred_thousand_rows_import_in_flat_memory() {
    const ROWS: usize = 100_000;
    let env = TestEnv::new(Backend::Local);
    let name = unique("Big");
    env.attctl()
        .args(["class", "create", "--name", &name, "-o", "json"])
        .success();
    let path = env.dir().join("big.csv");
    write_csv(&path, &name, ROWS);
    let run = import(&env, &[path.to_str().unwrap(), "-o", "json"]);
    assert!(run.success, "{}", run.stderr);
    println!(
        "peak RSS of `attctl session import` with {ROWS} rows: {} MiB",
        run.peak_mib
    );
    assert!(
        run.peak_mib < PEAK_LIMIT_MIB,
        "peak RSS {} MiB for {ROWS} rows",
        run.peak_mib
    );
    let count = env
        .attctl()
        .args(["session", "list", "--limit", "1", "-o", "table"])
        .success();
    assert!(
        count.stderr.contains(&format!("of {ROWS} sessions")),
        "{}",
        count.stderr
    );
}

#[test]
fn five_times_the_rows_take_the_same_memory() {
    let env = TestEnv::new(Backend::Local);
    let name = unique("Big");
    let mut peaks = Vec::new();
    for rows in [100_000, 500_000] {
        let path = env.dir().join(format!("{rows}.csv"));
        write_csv(&path, &name, rows);
        let run = import(&env, &[path.to_str().unwrap(), "--dry-run", "-o", "json"]);
        assert!(run.success, "{}", run.stderr);
        println!(
            "peak RSS of a {rows}-row import --dry-run: {} MiB",
            run.peak_mib
        );
        std::fs::remove_file(&path).unwrap();
        peaks.push(run.peak_mib);
    }
    assert!(
        peaks[1] < PEAK_LIMIT_MIB,
        "peak RSS {} MiB for 500,000 rows",
        peaks[1]
    );
    assert!(
        peaks[1] <= peaks[0] + GROWTH_LIMIT_MIB,
        "peak RSS grew from {} MiB (100,000 rows) to {} MiB (500,000 rows)",
        peaks[0],
        peaks[1]
    );
}

#[test]
fn a_large_calendar_is_read_one_event_at_a_time() {
    const EVENTS: usize = 100_000;
    let env = TestEnv::new(Backend::Local);
    let name = unique("Big");
    let path = env.dir().join("big.ics");
    write_ics(&path, &name, EVENTS);
    let run = import(&env, &[path.to_str().unwrap(), "--dry-run", "-o", "ndjson"]);
    assert!(run.success, "{}", run.stderr);
    println!(
        "peak RSS of an iCalendar import --dry-run with {EVENTS} events ({} MiB file): {} MiB",
        std::fs::metadata(&path).unwrap().len() / (1024 * 1024),
        run.peak_mib
    );
    assert!(
        run.peak_mib < PEAK_LIMIT_MIB,
        "peak RSS {} MiB for {EVENTS} events",
        run.peak_mib
    );
}
